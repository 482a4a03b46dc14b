package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Resolution.Failure.Kind;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

/**
 * Every way an upstream query can fail comes back as a {@link Resolution.Failure} whose {@link
 * Kind} says which, through the in-process fake and through a real socket alike.
 */
class FailureKindTest {
  FakeDns fake = FakeDns.recursive().record("www.example.net. 60 A 192.0.2.10").build();

  @AfterEach
  void close() {
    fake.close();
  }

  private Resolution.Failure failure(AliasResolver resolver) {
    Lookup lookup = Upstream.lookup(resolver, "www.example.net.", Type.A);
    assertThat(lookup.resolution()).isInstanceOf(Resolution.Failure.class);
    return (Resolution.Failure) lookup.resolution();
  }

  private Kind kindInProcess(Fault fault) {
    fake.enqueue(fault);
    return failure(Upstream.resolverFor(fake).queryTimeout(Duration.ofMillis(300)).build()).kind();
  }

  private AliasResolver overTheNetwork() throws IOException {
    fake.start();
    return AliasResolver.builder()
        .upstream(fake.address())
        .clock(fake.clock())
        .queryTimeout(Duration.ofMillis(300))
        .build();
  }

  private Kind kindOverTheNetwork(Fault fault) throws IOException {
    AliasResolver resolver = overTheNetwork();
    fake.enqueue(fault);
    return failure(resolver).kind();
  }

  @Test
  void aDroppedQueryIsATimeout() throws IOException {
    assertThat(kindInProcess(Fault.drop())).isEqualTo(Kind.TIMEOUT);
    assertThat(kindOverTheNetwork(Fault.drop())).isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void servfailRefusedAndOtherCodesAreTheirOwnKinds() {
    assertThat(kindInProcess(Fault.servfail())).isEqualTo(Kind.SERVFAIL);
    assertThat(kindInProcess(Fault.refused())).isEqualTo(Kind.REFUSED);
    assertThat(kindInProcess(Fault.rcode(Rcode.NOTIMP))).isEqualTo(Kind.RCODE);
    assertThat(kindInProcess(Fault.rcode(Rcode.FORMERR))).isEqualTo(Kind.RCODE);
  }

  @Test
  void theReasonStaysForPeople() {
    fake.enqueue(Fault.servfail());
    Resolution.Failure f = failure(Upstream.resolver(fake));

    assertThat(f.reason()).isEqualTo("upstream answered SERVFAIL for www.example.net.");
  }

  @Test
  void bytesThatDoNotParseAreMalformed() {
    assertThat(kindInProcess(Fault.malformed())).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void onTheWireADatagramThatDoesNotParseIsIgnoredAndTheQueryTimesOut() throws IOException {
    // RFC 5452 §9.1: anyone can send a datagram to our port; only the real response counts.
    AliasResolver resolver = overTheNetwork();
    fake.enqueue(Fault.malformed());

    assertThat(failure(resolver).kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(resolver.stats().ignoredResponses()).isEqualTo(1);
  }

  @Test
  void aChainThatContradictsItselfIsMalformed() {
    // RFC 2181 §10.1: a CNAME and the asked type at one name cannot both be true.
    assertThat(
            kindInProcess(
                Fault.answer(
                    "www.example.net. 60 CNAME other.example.net.",
                    "www.example.net. 60 A 192.0.2.66")))
        .isEqualTo(Kind.MALFORMED);
  }

  @Test
  void aResponseWithAnotherIdIsMismatched() {
    // Through a dnsjava Resolver that gives up on it, as the fake's in-process one does.
    assertThat(kindInProcess(Fault.wrongId())).isEqualTo(Kind.MISMATCHED);
  }

  @Test
  void onTheWireAResponseWithAnotherIdIsIgnoredAndTheQueryTimesOut() throws IOException {
    AliasResolver resolver = overTheNetwork();
    fake.enqueue(Fault.wrongId());

    assertThat(failure(resolver).kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(resolver.stats().ignoredResponses()).isEqualTo(1);
  }

  @Test
  void aTruncatedResponseThatIsNotRetriedIsTruncated() {
    Resolver upstream = fake.resolver();
    upstream.setIgnoreTruncation(true);
    fake.enqueue(Fault.truncate());

    Resolution.Failure f =
        failure(AliasResolver.builder().upstream(upstream).clock(fake.clock()).build());

    assertThat(f.kind()).isEqualTo(Kind.TRUNCATED);
  }

  @Test
  void aClosedUpstreamIsANetworkError() {
    AliasResolver resolver = Upstream.resolver(fake);
    fake.close();

    assertThat(failure(resolver).kind()).isEqualTo(Kind.NETWORK);
  }

  @Test
  void aPortWhereNothingListensIsANetworkErrorOrATimeout() throws IOException {
    InetSocketAddress nobody;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
    }
    AliasResolver resolver =
        AliasResolver.builder().upstream(nobody).queryTimeout(Duration.ofMillis(300)).build();

    // ICMP port unreachable where the system reports it, else no reply at all.
    assertThat(failure(resolver).kind()).isIn(Kind.NETWORK, Kind.TIMEOUT);
  }

  @Test
  void aFullQueueIsOverloadNotAnUpstreamFailure() throws Exception {
    fake.inject(Fault.delay(Duration.ofMillis(300)).everywhere());
    AliasResolver resolver = Upstream.resolverFor(fake).maxInFlight(1).maxQueued(0).build();
    CompletableFuture<Lookup> first =
        resolver.resolve(Upstream.name("a.example.net."), Type.A).toCompletableFuture();

    Resolution.Failure refused = failure(resolver);

    assertThat(refused.kind()).isEqualTo(Kind.OVERLOADED);
    first.join();
    fake.clearFaults();
    // Nothing was asked, so nothing holds the question back: the next lookup goes upstream.
    assertThat(Upstream.lookup(resolver, "www.example.net.", Type.A).resolution())
        .isInstanceOf(Resolution.Answer.class);
  }

  @Test
  void aQuestionHeldBackAfterAFailureKeepsThatFailuresKind() {
    AliasResolver resolver = Upstream.resolver(fake);
    fake.enqueue(Fault.refused());
    failure(resolver);
    int asked = fake.queryCount();

    fake.clock().advance(Duration.ofSeconds(5)); // within the 30 s failure recheck
    Resolution.Failure held = failure(resolver);

    assertThat(fake.queryCount()).isEqualTo(asked);
    assertThat(held.kind()).isEqualTo(Kind.REFUSED);
    assertThat(held.reason()).contains("REFUSED").contains("before the question is asked again");
  }

  @Test
  void theMonitorsResultsKeepTheKind() {
    AliasResolver resolver = Upstream.resolver(fake);
    TargetMonitor monitor = TargetMonitor.builder(resolver).build();
    monitor.watch(Upstream.name("www.example.net."));
    fake.inject(Fault.refused().everywhere());

    monitor.runDue().toCompletableFuture().join();

    assertThat(monitor.results().get(Upstream.name("www.example.net."), Type.A).orElseThrow())
        .isInstanceOfSatisfying(
            Resolution.Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.REFUSED));
  }
}
