package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@link ZoneHandler#serve(Zone, FlattenedZone, SignedZone, AliasResults)}: a query with the DO
 * bit gets the signed flattened zone's data with RRSIGs and NSEC proofs (RFC 4035 §3.1), one
 * without it the live answer as before, and transfers carry the signed zone. Unbound validating
 * these answers is {@code ServeUnboundTest} in alias-cli.
 */
class SignedServingTest {
  private static Message ask(SimpleResolver client, String name, int type) throws Exception {
    return client.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  private static List<Record> section(Message m, int section, int type) {
    return m.getSection(section).stream().filter(r -> r.getType() == type).toList();
  }

  @Test
  void theReadmeExampleServesSignedAnswersAndReSignsAMove() throws Exception {
    Zone source = Zones.example();
    AliasResults results = Zones.resolvedTo("192.0.2.80");
    AliasResults newResults = Zones.resolvedTo("192.0.2.81");
    Instant now = Instant.now();
    Instant later = now.plusSeconds(60);
    Name origin = source.origin();
    FlatteningPolicy policy = FlatteningPolicy.defaults();
    ZoneHandler handler = ZoneHandler.builder().policy(policy).build();
    Message signedReply;
    Message plainReply;
    Message movedReply;

    // --- README: begin signed serving
    SigningKey key = SigningKey.generate(origin, DnssecAlgorithm.ECDSAP256SHA256,
        SigningKey.Role.COMBINED, 3600, new SecureRandom()); // or KeyFiles.read(stem)
    ZoneSigner signer = ZoneSigner.of(List.of(key), SigningPolicy.defaults());
    FlattenedZone flat = Flattener.of(policy).flatten(source, results, now, null);
    SignedZone signed = signer.sign(flat.zone(), now);
    handler.serve(source, flat, signed, results); // transfers: the signed zone
    try (DnsServer server = DnsServer.builder(handler)
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start()) {
      SimpleResolver client = new SimpleResolver(server.address());
      plainReply = ask(client, "example.com.", Type.A); // DO=0: the live answer, as before
      client.setEDNS(0, 1232, ExtendedFlags.DO);
      signedReply = ask(client, "example.com.", Type.A); // DO=1: A and its RRSIG

      // The target moved: flatten from the last run, re-sign from the last signing (the apex A
      // RRset and the SOA are signed again), serve both in one atomic swap.
      FlattenedZone moved = Flattener.of(policy).flatten(source, newResults, later, flat);
      handler.serve(source, moved, signer.sign(moved.zone(), later, signed), newResults);
      movedReply = ask(client, "example.com.", Type.A);
    }
    // --- README: end signed serving

    assertThat(section(plainReply, Section.ANSWER, Type.A)).hasSize(1);
    assertThat(section(plainReply, Section.ANSWER, Type.RRSIG)).isEmpty();
    assertThat(signedReply.getOPT().getFlags() & ExtendedFlags.DO).isNotZero();
    assertThat(section(signedReply, Section.ANSWER, Type.A))
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.80");
    assertThat(section(signedReply, Section.ANSWER, Type.RRSIG))
        .singleElement()
        .satisfies(r -> assertThat(((RRSIGRecord) r).getTypeCovered()).isEqualTo(Type.A));
    assertThat(section(movedReply, Section.ANSWER, Type.A))
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.81");
    Zone published = handler.zone(origin).orElseThrow();
    assertThat(((SOARecord) published.soa().orElseThrow()).getSerial())
        .isEqualTo(signed.serial() + 1);
    assertThat(published.get(origin, Type.DNSKEY)).isPresent();
    assertThat(published.get(origin, Type.NSEC)).isPresent();
  }

  @Test
  void negativeAnswersCarryTheirProofsAndAnUnresolvedFamilyStaysServfail() throws Exception {
    Zone source = Zones.example();
    AliasResults results = Zones.resolvedTo("192.0.2.80"); // A only: AAAA never resolved
    Instant now = Instant.now();
    SigningKey key =
        SigningKey.generate(
            source.origin(), DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED, 3600,
            new SecureRandom());
    ZoneSigner signer = ZoneSigner.of(List.of(key), SigningPolicy.defaults());
    FlattenedZone flat =
        Flattener.of(FlatteningPolicy.defaults()).flatten(source, results, now, null);
    ZoneHandler handler = ZoneHandler.builder().build();
    handler.serve(source, flat, signer.sign(flat.zone(), now), results);
    try (DnsServer server =
        DnsServer.builder(handler)
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start()) {
      SimpleResolver client = new SimpleResolver(server.address());
      client.setEDNS(0, 1232, ExtendedFlags.DO);

      Message nx = ask(client, "nosuch.example.com.", Type.A);
      assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(section(nx, Section.AUTHORITY, Type.SOA)).hasSize(1);
      assertThat(section(nx, Section.AUTHORITY, Type.NSEC)).isNotEmpty();
      assertThat(section(nx, Section.AUTHORITY, Type.RRSIG))
          .hasSize(1 + section(nx, Section.AUTHORITY, Type.NSEC).size());

      // host holds A only: its NSEC bitmap proves there is no AAAA.
      Message noData = ask(client, "host.example.com.", Type.AAAA);
      assertThat(noData.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(noData.getSection(Section.ANSWER)).isEmpty();
      NSECRecord nsec = (NSECRecord) section(noData, Section.AUTHORITY, Type.NSEC).get(0);
      assertThat(nsec.getName()).isEqualTo(Name.fromString("host.example.com."));
      assertThat(nsec.hasType(Type.A)).isTrue();
      assertThat(nsec.hasType(Type.AAAA)).isFalse();

      // The CNAME and the apex A it leads to, each signed.
      Message chain = ask(client, "www.example.com.", Type.A);
      assertThat(section(chain, Section.ANSWER, Type.CNAME)).hasSize(1);
      assertThat(section(chain, Section.ANSWER, Type.A)).hasSize(1);
      assertThat(section(chain, Section.ANSWER, Type.RRSIG)).hasSize(2);

      // Without DO, the DNSKEY RRset is zone data like any: given, without its RRSIG.
      SimpleResolver plain = new SimpleResolver(server.address());
      Message keys = ask(plain, "example.com.", Type.DNSKEY);
      assertThat(section(keys, Section.ANSWER, Type.DNSKEY)).hasSize(1);
      assertThat(keys.getSection(Section.ANSWER)).hasSize(1);
      Message keysSigned = ask(client, "example.com.", Type.DNSKEY);
      assertThat(section(keysSigned, Section.ANSWER, Type.RRSIG)).hasSize(1);
      Message plainNx = ask(plain, "nosuch.example.com.", Type.A);
      assertThat(plainNx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(plainNx.getSection(Section.AUTHORITY)).hasSize(1); // the SOA alone

      // The apex's AAAA has no result at all: SERVFAIL, never a signed empty answer.
      Message unresolved = ask(client, "example.com.", Type.AAAA);
      assertThat(unresolved.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(unresolved.getSection(Section.AUTHORITY)).isEmpty();
    }
  }

  @Test
  void theReadmeShowsThisExampleAsItIs() throws Exception {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/server/SignedServingTest.java",
        "--- README: begin signed serving",
        "--- README: end signed serving");
  }
}
