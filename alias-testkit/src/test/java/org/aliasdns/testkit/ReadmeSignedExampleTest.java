package org.aliasdns.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** The README's signed-zone example, run as written. */
class ReadmeSignedExampleTest {
  static final String ZONE = SignedZoneTest.ZONE;

  /** dnsjava's validator over the fake's port, with its trust anchor and its clock. */
  static ValidatingResolver validator(FakeDns dns) throws IOException {
    ValidatingResolver v =
        new ValidatingResolver(
            new SimpleResolver(dns.address()),
            Clock.fixed(dns.clock().instant(), ZoneOffset.UTC));
    StringBuilder anchor = new StringBuilder();
    dns.trustAnchor("example.net.").forEach(ds -> anchor.append(ds).append('\n'));
    v.loadTrustAnchors(
        new ByteArrayInputStream(anchor.toString().getBytes(StandardCharsets.US_ASCII)));
    return v;
  }

  static Message ask(ValidatingResolver v, String name) throws IOException {
    return v.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  // README signed example starts here
  @Test
  void aSignedZoneValidates() throws IOException {
    try (FakeDns dns = FakeDns.authoritative()
        .signedZone(ZONE, SigningFault.NONE)    // signed with a throwaway key
        .build()
        .start()) {
      Message reply = ask(validator(dns), "www.example.net.");  // anchor: dns.trustAnchor(...)

      assertTrue(reply.getHeader().getFlag(Flags.AD));          // secure
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EXPIRED_SIGNATURES", "MISSING_RRSIGS", "WRONG_KEY", "BAD_SIGNATURES"})
  void aBrokenZoneIsBogus(SigningFault fault) throws IOException {
    try (FakeDns dns = FakeDns.authoritative().signedZone(ZONE, fault).build().start()) {
      Message reply = ask(validator(dns), "www.example.net.");

      assertEquals(Rcode.SERVFAIL, reply.getRcode());          // bogus
      assertFalse(reply.getHeader().getFlag(Flags.AD));
    }
  }
  // README signed example ends here

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/testkit/ReadmeSignedExampleTest.java",
        "README signed example starts here",
        "README signed example ends here");
  }
}
