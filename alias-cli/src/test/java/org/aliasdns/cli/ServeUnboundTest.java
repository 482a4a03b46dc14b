package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.core.dnssec.Denial;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.KeyTiming;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.tools.NsdSecondary;
import org.aliasdns.core.tools.UnboundValidator;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.ManualClock;
import org.assertj.core.api.ListAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * {@code aliasdns serve} signing its zone (RFC 4033–4035), checked by a real validator: Unbound on
 * 127.0.0.1, with the zone's key as its trust anchor, asks our server and must validate every
 * answer (AD set, never SERVFAIL), with NSEC and with NSEC3. The fake upstream's clock starts at
 * the real time, since Unbound checks signature validity against its own clock. Skipped with a
 * printed reason without Unbound or dig (fails under {@code ALIAS_REQUIRE_TOOLS=1}). An NSD
 * secondary transferring the signed zone is validated by Unbound alike.
 */
class ServeUnboundTest {
  private static final String ZONE =
      "$ORIGIN example.com.\n"
          + "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 2026112101 7200 3600 1209600 300\n"
          + "@ NS ns1\n"
          + "@ MX 10 mail\n"
          + "@ 300 ALIAS cdn.example.net.\n"
          + "ns1 A 192.0.2.53\n"
          + "mail A 192.0.2.25\n"
          + "v4 300 ALIAS v4.example.net.\n"
          + "nowhere 300 ALIAS nowhere.example.net.\n"
          + "gone 300 ALIAS gone.example.net.\n"
          + "*.w 300 ALIAS cdn.example.net.\n"
          + "a.b.deep TXT \"below an empty non-terminal\"\n"
          + "sub NS ns.sub.example.net.\n"
          + "down 300 ALIAS down.example.net.\n"
          + manyAddresses();

  private static final String UPSTREAM =
      "$ORIGIN example.net.\n"
          + "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 60\n"
          + "@ 3600 NS ns1\n"
          + "ns1 3600 A 198.51.100.53\n"
          + "cdn 300 CNAME edge.cdn\n"
          + "edge.cdn 60 A 192.0.2.10\n"
          + "edge.cdn 60 AAAA 2001:db8::10\n"
          + "v4 60 A 192.0.2.20\n"
          + "gone 60 A 192.0.2.30\n";

  @TempDir Path dir;

  @SuppressWarnings("NullAway.Init") // set by start(), which every test calls first
  private ServeFixture serve;

  @SuppressWarnings("NullAway.Init")
  private UnboundValidator unbound;

  @SuppressWarnings("NullAway.Init")
  private SigningKey key;

  private static String manyAddresses() {
    StringBuilder sb = new StringBuilder();
    for (int i = 100; i < 140; i++) {
      sb.append("many A 192.0.2.").append(i).append('\n');
    }
    return sb.toString();
  }

  @AfterEach
  void stop() {
    if (unbound != null) {
      unbound.close();
    }
    if (serve != null) {
      serve.close();
    }
  }

  private void start(boolean nsec3) throws Exception {
    start(nsec3, List.of());
  }

  private void start(boolean nsec3, List<InetSocketAddress> secondaries) throws Exception {
    key = generate(SigningKey.Role.COMBINED);
    SigningPolicy.Builder policy = SigningPolicy.builder();
    if (nsec3) {
      policy.denial(Denial.nsec3());
    }
    start(ZoneSigner.of(List.of(key), policy.build()), List.of(key.dnskey()), secondaries,
        Instant.now());
  }

  private static SigningKey generate(SigningKey.Role role) {
    return SigningKey.generate(
        Name.fromConstantString("example.com."), DnssecAlgorithm.ECDSAP256SHA256, role, 3600,
        new SecureRandom());
  }

  /**
   * Starts the fake upstream (its clock at {@code t0}), our server signing with the keys given
   * and Unbound trusting the anchors given.
   */
  private void start(
      ZoneSigner keys, List<DNSKEYRecord> anchors, List<InetSocketAddress> secondaries,
      Instant t0) throws Exception {
    ExternalTool.UNBOUND.require();
    ExternalTool.DIG.require();
    // As serve --key signs by default: ACCP where it loads (here, linux-x86_64), so that Unbound
    // and the AXFR checks below validate ACCP's signatures.
    ZoneSigner signer = SigningCrypto.choose("auto").apply(keys);
    FakeDns fake =
        FakeDns.recursive()
            .clock(ManualClock.startingAt(t0))
            .zone(UPSTREAM)
            .build()
            .start();
    fake.inject(Fault.servfail().forName("down.example.net.")); // never resolved
    serve =
        ServeFixture.start(
            fake,
            ZONE,
            b -> {
              b.signer(signer);
              b.notify(secondaries);
            });
    unbound =
        UnboundValidator.start(
            Files.createDirectories(dir.resolve("unbound")), "example.com", anchors,
            serve.session.port());
  }

  /** The key tags of the RRSIGs our server gives with an RRset (DO set). */
  private Set<Integer> signedBy(String name, String type) {
    Set<Integer> tags = new TreeSet<>();
    Matcher m =
        Pattern.compile("\tRRSIG\t" + type + " \\d+ \\d+ \\d+ \\d+ \\d+ (\\d+) ")
            .matcher(direct("+dnssec", name, type));
    while (m.find()) {
      tags.add(Integer.parseInt(m.group(1)));
    }
    return tags;
  }

  /** The key tags of the apex DNSKEY RRset our server gives. */
  private Set<Integer> published() {
    Set<Integer> tags = new TreeSet<>();
    serve.session.signedZone().orElseThrow().zone()
        .get(Name.fromConstantString("example.com."), Type.DNSKEY).orElseThrow()
        .forEach(r -> tags.add(((DNSKEYRecord) r).getFootprint()));
    return tags;
  }

  @Test
  void aZoneSigningKeyRolloverByPrePublicationValidatesThroughEveryPhase() throws Exception {
    // RFC 6781 §4.1.1.1 in one run: the successor ZSK is published from the start, so that
    // Unbound's cached DNSKEY RRset already holds it when its signatures come (Activate), and
    // when the predecessor's stop (Inactive) and its DNSKEY goes (Delete). Unbound trusts the
    // KSK only; a new question in each phase makes it check signatures made in that phase.
    Instant t0 = Instant.now();
    SigningKey ksk = generate(SigningKey.Role.KEY_SIGNING);
    SigningKey current = generate(SigningKey.Role.ZONE_SIGNING);
    SigningKey successor = generate(SigningKey.Role.ZONE_SIGNING);
    ZoneSigner keys =
        ZoneSigner.of(List.of(ksk, current, successor), SigningPolicy.defaults())
            .withTiming(
                Map.of(
                    current, new KeyTiming(null, null, t0.plusSeconds(200), t0.plusSeconds(400)),
                    successor, new KeyTiming(null, t0.plusSeconds(100), null, null)));
    start(keys, List.of(ksk.dnskey()), List.of(), t0);

    assertThat(published()).containsExactlyInAnyOrder(
        ksk.keyTag(), current.keyTag(), successor.keyTag());
    assertThat(signedBy("mail.example.com.", "A")).containsExactly(current.keyTag());
    validated("example.com.", "DNSKEY", "NOERROR");
    validated("mail.example.com.", "A", "NOERROR");

    serve.advanceAndRefresh(Duration.ofSeconds(110)); // the successor is active
    assertThat(signedBy("ns1.example.com.", "A"))
        .containsExactlyInAnyOrder(current.keyTag(), successor.keyTag());
    validated("ns1.example.com.", "A", "NOERROR");

    serve.advanceAndRefresh(Duration.ofSeconds(100)); // the predecessor is inactive
    assertThat(signedBy("example.com.", "MX")).containsExactly(successor.keyTag());
    validated("example.com.", "MX", "NOERROR");
    validated("nosuch.example.com.", "A", "NXDOMAIN");
    assertThat(published()).contains(current.keyTag());

    serve.advanceAndRefresh(Duration.ofSeconds(200)); // the predecessor's DNSKEY is deleted
    assertThat(published()).containsExactlyInAnyOrder(ksk.keyTag(), successor.keyTag());
    assertThat(signedBy("v4.example.com.", "A")).containsExactly(successor.keyTag());
    validated("v4.example.com.", "A", "NOERROR");
    validated("other.example.com.", "TXT", "NXDOMAIN");
  }

  private static String nsdOutput(NsdSecondary nsd) {
    try {
      return nsd.output();
    } catch (IOException e) {
      return "(cannot read NSD's log: " + e + ")";
    }
  }

  /** Asks through Unbound and requires a validated answer with this status. */
  private UnboundValidator.Answer validated(String name, String type, String status) {
    return new Check(unbound).validated(name, type, status);
  }

  /**
   * Questions through one Unbound, each required to validate; a failure shows dig's output,
   * Unbound's log and {@code more} (what the server behind Unbound logged).
   */
  private record Check(UnboundValidator unbound, Supplier<String> more) {
    Check(UnboundValidator unbound) {
      this(unbound, () -> "");
    }

    UnboundValidator.Answer validated(String name, String type, String status) {
      UnboundValidator.Answer answer = unbound.ask(name, type);
      assertThat(answer.status())
          .as("%s %s through Unbound:\n%s", name, type, context(answer))
          .isEqualTo(status);
      assertThat(answer.authenticated())
          .as("AD for %s %s:\n%s", name, type, context(answer))
          .isTrue();
      return answer;
    }

    /** A validated NOERROR answer's records of the type asked, described as above. */
    ListAssert<String> data(String name, String type) {
      UnboundValidator.Answer answer = validated(name, type, "NOERROR");
      return assertThat(answer.rdata(type))
          .as("%s %s through Unbound:\n%s", name, type, context(answer));
    }

    private String context(UnboundValidator.Answer answer) {
      return answer.output() + "\nUnbound's log:\n" + unbound.output() + more.get();
    }
  }

  @ParameterizedTest(name = "nsec3={0}")
  @ValueSource(booleans = {false, true})
  void unboundValidatesEveryKindOfAnswer(boolean nsec3) throws Exception {
    start(nsec3);
    assertThat(validated("example.com.", "A", "NOERROR").rdata("A")).containsExactly("192.0.2.10");
    assertThat(validated("example.com.", "AAAA", "NOERROR").rdata("AAAA"))
        .containsExactly("2001:db8::10");
    validated("example.com.", "MX", "NOERROR");
    validated("example.com.", "DNSKEY", "NOERROR");
    // A single-stack target: its bitmap has A and no AAAA, so AAAA is a provable NODATA.
    assertThat(validated("v4.example.com.", "A", "NOERROR").rdata("A"))
        .containsExactly("192.0.2.20");
    assertThat(validated("v4.example.com.", "AAAA", "NOERROR").rdata("AAAA")).isEmpty();
    // A target that does not exist: NODATA at the alias name, never NXDOMAIN.
    assertThat(validated("nowhere.example.com.", "A", "NOERROR").rdata("A")).isEmpty();
    validated("nosuch.example.com.", "A", "NXDOMAIN");
    validated("x.nosuch.example.com.", "AAAA", "NXDOMAIN");
    // An empty non-terminal is NODATA, not NXDOMAIN (RFC 8020).
    validated("b.deep.example.com.", "A", "NOERROR");
    // A wildcard ALIAS: the expansion carries the wildcard's signature and the proof that no
    // closer name exists; a type the wildcard lacks is a wildcard NODATA.
    assertThat(validated("anything.w.example.com.", "A", "NOERROR").rdata("A"))
        .containsExactly("192.0.2.10");
    validated("anything.w.example.com.", "MX", "NOERROR");
    // An unsigned delegation: its NSEC/NSEC3 proves NS without DS.
    validated("sub.example.com.", "DS", "NOERROR");
    // Forty addresses and their signature do not fit 512 bytes: Unbound gets TC, asks over TCP.
    assertThat(validated("many.example.com.", "A", "NOERROR").rdata("A")).hasSize(40);
  }

  @ParameterizedTest(name = "nsec3={0}")
  @ValueSource(booleans = {false, true})
  void afterATargetMovesAndDuringAnOutageTheResignedAnswersValidate(boolean nsec3)
      throws Exception {
    start(nsec3);
    long before = serve.session.signedZone().orElseThrow().serial();
    validated("gone.example.com.", "A", "NOERROR");
    // The target moves and another vanishes: one re-flattening, one re-signing, one serial.
    serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.11");
    serve.fake.remove("gone.example.net.", Type.A);
    serve.advanceAndRefresh(Duration.ofSeconds(120));
    SignedZone moved = serve.session.signedZone().orElseThrow();
    assertThat(moved.serial()).isEqualTo(before + 1);
    assertThat(validated("example.com.", "A", "NOERROR").rdata("A")).containsExactly("192.0.2.11");
    assertThat(validated("anything.w.example.com.", "A", "NOERROR").rdata("A"))
        .containsExactly("192.0.2.11");
    assertThat(validated("gone.example.com.", "A", "NOERROR").rdata("A")).isEmpty();

    // What a secondary transfers after the change passes BIND's, ldns's and Knot's checks.
    Path axfr = dir.resolve("example.com.zone");
    ExternalTool.Run dig =
        ExternalTool.DIG.run(
            "@127.0.0.1", "-p", Integer.toString(serve.session.port()), "+noall", "+answer",
            "+onesoa", "example.com.", "AXFR");
    assertThat(dig.exitCode()).isZero();
    Files.writeString(axfr, dig.output(), StandardCharsets.UTF_8);
    ExternalTool.Run verify =
        ExternalTool.DNSSEC_VERIFY.run("-z", "-o", "example.com.", axfr.toString());
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    ExternalTool.Run ldns = ExternalTool.LDNS_VERIFY_ZONE.run(axfr.toString());
    assertThat(ldns.exitCode()).as(ldns.output()).isZero();
    ExternalTool.Run knot =
        ExternalTool.KZONECHECK.run("-o", "example.com.", "-d", "on", axfr.toString());
    assertThat(knot.exitCode()).as(knot.output()).isZero();

    // The upstream goes down: the last good addresses are served stale, signed anew with the
    // stale TTL, and still validate.
    serve.fake.inject(Fault.servfail().everywhere());
    serve.advanceAndRefresh(Duration.ofSeconds(120));
    assertThat(validated("example.com.", "A", "NOERROR").rdata("A")).containsExactly("192.0.2.11");
    assertThat(validated("v4.example.com.", "A", "NOERROR").rdata("A"))
        .containsExactly("192.0.2.20");
    assertThat(direct("+dnssec", "example.com.", "A")).contains("EDE: 3 (Stale Answer)");
  }

  /** dig straight at our server. */
  private String direct(String... args) {
    List<String> all = new java.util.ArrayList<>(
        List.of("@127.0.0.1", "-p", Integer.toString(serve.session.port()), "+tries=1"));
    all.addAll(List.of(args));
    return ExternalTool.DIG.run(all.toArray(String[]::new)).output();
  }

  @ParameterizedTest(name = "nsec3={0}")
  @ValueSource(booleans = {false, true})
  void theDoBitGetsSignaturesAndProofsAndOnlyIt(boolean nsec3) throws Exception {
    start(nsec3);
    String signed = direct("+dnssec", "example.com.", "A");
    assertThat(signed).contains("flags: do;").contains("\tRRSIG\tA 13 2 ");
    String plain = direct("example.com.", "A");
    assertThat(plain).doesNotContain("RRSIG").doesNotContain("flags: do;");
    // RFC 4035 §3.1.1: a signed answer that does not fit is truncated, never sent unsigned.
    String truncated = direct("+dnssec", "+bufsize=512", "+ignore", "many.example.com.", "A");
    assertThat(truncated).containsPattern("flags: qr aa tc[ ;]");
    // A referral to an unsigned delegation: NS and the proof that there is no DS.
    String referral = direct("+dnssec", "+norec", "www.sub.example.com.", "A");
    assertThat(referral).contains("\tNS\tns.sub.example.net.")
        .containsPattern(nsec3 ? "\\sNSEC3\\s.* NS\n" : "\\sNSEC\\s.* NS RRSIG NSEC\n")
        .doesNotContain("\tDS\t");
    // An alias with nothing usable is SERVFAIL, with or without DO: a SERVFAIL needs no
    // signature, and no empty signed answer is invented.
    String down = direct("+dnssec", "down.example.com.", "A");
    assertThat(down).contains("status: SERVFAIL").contains("EDE: 22").doesNotContain("RRSIG");
  }

  @ParameterizedTest(name = "nsec3={0}")
  @ValueSource(booleans = {false, true})
  void anNsdSecondaryServesTheSignedZoneAndUnboundValidatesIt(boolean nsec3) throws Exception {
    ExternalTool.NSD.require();
    int nsdPort = NsdSecondary.freePort();
    start(nsec3, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), nsdPort)));
    try (NsdSecondary nsd =
            NsdSecondary.start(
                Files.createDirectories(dir.resolve("nsd")), "example.com",
                serve.session.port(), nsdPort);
        UnboundValidator throughNsd =
            UnboundValidator.start(
                Files.createDirectories(dir.resolve("unbound-nsd")), "example.com",
                List.of(key.dnskey()), nsdPort)) {
      long first = serve.session.signedZone().orElseThrow().serial();
      nsd.await("example.com.", Type.A, "192.0.2.10", first);
      Check check =
          new Check(
              throughNsd,
              () -> "\nNSD's log:\n" + nsdOutput(nsd) + "\nserve's log:\n"
                  + String.join("\n", serve.log) + "\n" + String.join("\n", serve.warnings));
      check.data("example.com.", "A").containsExactly("192.0.2.10");
      check.data("v4.example.com.", "AAAA").isEmpty();
      check.data("nowhere.example.com.", "A").isEmpty();
      check.validated("nosuch.example.com.", "A", "NXDOMAIN");
      check.data("anything.w.example.com.", "A").containsExactly("192.0.2.10");

      // The target moves: re-signed, NOTIFY, NSD transfers it, and it still validates there.
      serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.11");
      serve.advanceAndRefresh(Duration.ofSeconds(120));
      long second = serve.session.signedZone().orElseThrow().serial();
      assertThat(second).isEqualTo(first + 1);
      nsd.await("example.com.", Type.A, "192.0.2.11", second);
      check.data("example.com.", "A").containsExactly("192.0.2.11");
    }
  }
}
