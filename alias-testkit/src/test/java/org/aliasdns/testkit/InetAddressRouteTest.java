package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/**
 * The JVM's own look-ups, routed to the fake for each test by the extension, as a user writes
 * it. On JDK 17 every test here is skipped, with the reason, by the extension.
 */
class InetAddressRouteTest {
  @RegisterExtension
  static FakeDnsExtension dns =
      FakeDnsExtension.of(
              FakeDns.recursive()
                  .record("www.example.net. 300 CNAME cdn.example.org.")
                  .record("cdn.example.org. 60 A 192.0.2.10")
                  .record("cdn.example.org. 60 AAAA 2001:db8::10")
                  .record("v4only.example.net. 60 A 192.0.2.20")
                  .record("10.2.0.192.in-addr.arpa. 60 PTR cdn.example.org."))
          .withInetAddress();

  /** The families the JDK asked for, in its order, as the journal saw them. */
  static List<Integer> typesAsked(FakeDns fake) {
    return fake.queries().stream().map(ReceivedQuery::type).toList();
  }

  @Test
  void getByNameAsksTheFake(FakeDns fake) throws Exception {
    InetAddress a = InetAddress.getByName("www.example.net");

    assertThat(a.getHostAddress()).isEqualTo("192.0.2.10");
    assertThat(a.getHostName()).isEqualTo("www.example.net");
    ReceivedQuery first = fake.takeQuery();
    assertThat(first.asked("www.example.net.", Type.A)).isTrue();
  }

  @Test
  void getAllByNameGivesEachFamilyTheJdkAsksForInItsOrder(FakeDns fake) throws Exception {
    InetAddress[] all = InetAddress.getAllByName("www.example.net");

    List<Integer> asked = typesAsked(fake);
    assertThat(asked.get(0)).isEqualTo(Type.A); // IPv4 first unless java.net.preferIPv6Addresses
    List<String> expected = asked.contains(Type.AAAA)
        ? List.of("192.0.2.10", "2001:db8:0:0:0:0:0:10")
        : List.of("192.0.2.10");
    assertThat(Arrays.stream(all).map(InetAddress::getHostAddress)).containsExactlyElementsOf(expected);
  }

  @Test
  void aNameTheFakeDoesNotHoldFailsAtOnceSayingWhy(FakeDns fake) {
    assertThatThrownBy(() -> InetAddress.getByName("nowhere.example.net"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("nowhere.example.net")
        .hasMessageContaining("A: NXDOMAIN");
    assertThat(fake.queryCount("nowhere.example.net.", Type.A)).isEqualTo(1);
  }

  @Test
  void aFamilyWithoutAddressesIsLeftOut(FakeDns fake) throws Exception {
    InetAddress[] all = InetAddress.getAllByName("v4only.example.net");

    assertThat(all).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.20");
  }

  @Test
  void faultsActOnTheJvmsLookUps(FakeDns fake) {
    fake.inject(Fault.servfail().forName("www.example.net."));

    assertThatThrownBy(() -> InetAddress.getByName("www.example.net"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("SERVFAIL");
    assertThat(fake.takeQuery().fault()).isEqualTo(Fault.servfail());
  }

  @Test
  void aDroppedQueryFailsWithoutWaitingForATimeout(FakeDns fake) {
    fake.inject(Fault.drop().everywhere());

    assertThatThrownBy(() -> InetAddress.getByName("www.example.net"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("no reply");
  }

  @Test
  void aLateDropFailsRightAfterItsDelayNotAfterATimeout(FakeDns fake) {
    fake.enqueue(Fault.delay(Duration.ofMillis(200)).then(Fault.drop()));
    fake.enqueue(Fault.delay(Duration.ofMillis(200)).then(Fault.drop()));

    // The drop is known as soon as it happens, not after the resolver's timeout.
    assertThatThrownBy(() -> InetAddress.getAllByName("www.example.net"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("A: no reply (dropped)")
        .hasMessageNotContaining("timed out");
  }

  @Test
  void aChangedAnswerIsSeenByTheNextLookUp(FakeDns fake) throws Exception {
    assertThat(InetAddress.getByName("www.example.net").getHostAddress()).isEqualTo("192.0.2.10");

    fake.replace("cdn.example.org. 60 A 192.0.2.11");

    // The JDK's own address cache is off, or this would be 192.0.2.10 for another 30 s.
    assertThat(InetAddress.getByName("www.example.net").getHostAddress()).isEqualTo("192.0.2.11");
  }

  @Test
  void aNameAddedAfterAFailedLookUpIsFound(FakeDns fake) throws Exception {
    assertThatThrownBy(() -> InetAddress.getByName("new.example.net"))
        .isInstanceOf(UnknownHostException.class);

    fake.add("new.example.net. 60 A 192.0.2.30");

    assertThat(InetAddress.getByName("new.example.net").getHostAddress()).isEqualTo("192.0.2.30");
  }

  @Test
  void theJdksAddressCacheIsOff() {
    assertThat(Security.getProperty("networkaddress.cache.ttl")).isEqualTo("0");
    assertThat(Security.getProperty("networkaddress.cache.negative.ttl")).isEqualTo("0");
  }

  @Test
  void localhostAndTheMachinesOwnNameAreLoopbackWithoutAQuery(FakeDns fake) throws Exception {
    assertThat(InetAddress.getByName("localhost").isLoopbackAddress()).isTrue();
    assertThat(InetAddress.getByName("api.localhost").isLoopbackAddress()).isTrue();
    assertThat(InetAddress.getLocalHost().isLoopbackAddress()).isTrue();

    assertThat(fake.queryCount()).isZero();
  }

  @Test
  void aReverseLookUpAsksForThePtrRecord(FakeDns fake) throws Exception {
    InetAddress address = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10});

    // The JDK then looks the name up forward, to check that it leads back to the address.
    assertThat(address.getHostName()).isEqualTo("cdn.example.org");
    assertThat(fake.queryCount("10.2.0.192.in-addr.arpa.", Type.PTR)).isEqualTo(1);
  }

  @Test
  void anAddressWithoutPtrKeepsItsLiteralAsName() throws Exception {
    InetAddress address = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 99});

    assertThat(address.getHostName()).isEqualTo("192.0.2.99");
  }

  @Test
  void theDispatcherAnswersTheJvmToo(FakeDns fake) throws Exception {
    fake.dispatcher(q -> q.type() == Type.A
        ? Fault.answer(q.name() + " 60 A 198.51.100.7")
        : Fault.noData());

    assertThat(InetAddress.getByName("anything.example.com").getHostAddress())
        .isEqualTo("198.51.100.7");
  }

  @Test
  void strictModeRefusesAnUnexpectedLookUp(FakeDns fake) throws Exception {
    fake.expect("cdn.example.org.");

    assertThat(InetAddress.getByName("cdn.example.org").getHostAddress()).isEqualTo("192.0.2.10");
    assertThatThrownBy(() -> InetAddress.getByName("www.example.net"))
        .hasMessageContaining("REFUSED");
    assertThat(fake.unexpectedQueries()).extracting(q -> q.name().toString())
        .contains("www.example.net.");
    fake.reset(); // the unexpected query is what this test is about
  }

  @Test
  void anotherFakeCannotTakeTheRouteWhileItIsOpen(FakeDns fake) {
    try (FakeDns other = FakeDns.recursive().build()) {
      assertThatThrownBy(other::routeInetAddress)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("routed to another fake already, " + fake)
          .hasMessageContaining("opened at InetAddressRouteTest."
              + "anotherFakeCannotTakeTheRouteWhileItIsOpen(FakeDns)")
          .hasMessageContaining("one fake at a time");
    }
  }

  @Test
  void theSameFakeRoutingTwiceIsToldItHoldsTheRouteAlready(FakeDns fake) {
    assertThatThrownBy(fake::routeInetAddress)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("routed to this fake already")
        .hasMessageContaining("theSameFakeRoutingTwiceIsToldItHoldsTheRouteAlready");
  }

  @Test
  void routingIsSupportedHere() {
    assertThat(InetAddressRoute.unsupportedReason()).isEmpty();
    assertThat(InetAddressRoute.isSupported()).isTrue();
  }
}
