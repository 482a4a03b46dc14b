package org.aliasdns.core.zonefile;

import org.aliasdns.core.ANAMERecord;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.Zone;

import static org.aliasdns.core.Rr.a;
import static org.aliasdns.core.Rr.name;
import static org.aliasdns.core.Rr.rr;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ZoneFileWriterTest {
  private static final Name ORIGIN = name("example.com.");

  private static Zone.Builder withSoa() {
    return Zone.builder(ORIGIN)
        .add(rr("example.com.", 3600, "SOA", "ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300"))
        .add(rr("example.com.", 3600, "NS", "ns1.example.com."));
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  private static Zone readBack(String text) {
    return ZoneFileReader.defaults().read(text, "written.zone").zone();
  }

  @Test
  void theSameZoneGivesByteIdenticalText() {
    Zone zone =
        withSoa()
            .add(a("www.example.com.", 300, "192.0.2.2"))
            .add(a("www.example.com.", 300, "192.0.2.1"))
            .add(rr("mail.example.com.", 300, "MX", "10 mx.example.net."))
            .build();
    Zone sameContentOtherOrder =
        Zone.builder(ORIGIN)
            .add(rr("mail.example.com.", 300, "MX", "10 mx.example.net."))
            .add(a("www.example.com.", 300, "192.0.2.1"))
            .add(rr("example.com.", 3600, "NS", "ns1.example.com."))
            .add(a("www.example.com.", 300, "192.0.2.2"))
            .add(rr("example.com.", 3600, "SOA", "ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300"))
            .build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(ZoneFileWriter.defaults().toText(zone)).isEqualTo(text);
    assertThat(ZoneFileWriter.defaults().toText(sameContentOtherOrder)).isEqualTo(text);
  }

  @Test
  void writerAndTextGiveTheSameOutput() throws IOException {
    Zone zone = withSoa().add(a("www.example.com.", 300, "192.0.2.1")).build();
    StringWriter out = new StringWriter();

    ZoneFileWriter.defaults().write(zone, out);

    assertThat(out.toString()).isEqualTo(ZoneFileWriter.defaults().toText(zone));
  }

  @Test
  void originComesFirstThenTheSoa() {
    Zone zone = withSoa().add(a("a.example.com.", 300, "192.0.2.1")).add(rr("example.com.", 300, "A", "192.0.2.9")).build();

    List<String> lines = lines(ZoneFileWriter.defaults().toText(zone));

    assertThat(lines.get(0)).isEqualTo("$ORIGIN example.com.");
    assertThat(lines.get(1)).startsWith("@\t3600\tIN\tSOA\t");
    assertThat(lines).filteredOn(l -> l.contains("\tSOA\t")).hasSize(1);
  }

  @Test
  void ownersAreWrittenRelativeToTheOriginWithAtForTheApex() {
    Zone zone = withSoa().add(a("www.example.com.", 300, "192.0.2.1")).add(a("a.b.example.com.", 300, "192.0.2.2")).build();

    List<String> lines = lines(ZoneFileWriter.defaults().toText(zone));

    assertThat(lines).contains("www\t300\tIN\tA\t192.0.2.1", "a.b\t300\tIN\tA\t192.0.2.2");
    assertThat(lines).filteredOn(l -> l.startsWith("@\t")).hasSize(2);
  }

  @Test
  void ownerCaseIsKept() {
    Zone zone = withSoa().add(a("MixedCase.example.com.", 300, "192.0.2.1")).build();

    assertThat(ZoneFileWriter.defaults().toText(zone)).contains("\nMixedCase\t300\tIN\tA\t192.0.2.1\n");
  }

  @Test
  void aLabelStartingWithDollarIsEscapedAndReadBack() {
    Zone zone = withSoa().add(a("\\$ttl.example.com.", 300, "192.0.2.1")).build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text)).contains("\\$ttl\t300\tIN\tA\t192.0.2.1");
    assertThat(readBack(text)).isEqualTo(zone);
  }

  @Test
  void recordsAreInCanonicalOrderAfterTheSoa() {
    Zone zone =
        withSoa()
            .add(a("z.example.com.", 300, "192.0.2.1"))
            .add(a("A.example.com.", 300, "192.0.2.1"))
            .add(rr("b.example.com.", 300, "TXT", "t"))
            .add(a("b.example.com.", 300, "192.0.2.1"))
            .build();

    List<String> owners =
        lines(ZoneFileWriter.defaults().toText(zone)).stream()
            .skip(1)
            .map(l -> l.split("\t")[0] + " " + l.split("\t")[3])
            .toList();

    assertThat(owners).containsExactly("@ SOA", "@ NS", "A A", "b A", "b TXT", "z A");
  }

  @Test
  void aliasTypesAreWrittenWithTheirMnemonicsByDefault() {
    Zone zone =
        withSoa()
            .add(rr("example.com.", 300, "ALIAS", "cdn.example.net."))
            .add(rr("www.example.com.", 300, "ANAME", "cdn.example.net."))
            .build();

    List<String> lines = lines(ZoneFileWriter.defaults().toText(zone));

    assertThat(lines).contains("@\t300\tIN\tALIAS\tcdn.example.net.", "www\t300\tIN\tANAME\tcdn.example.net.");
  }

  @Test
  void genericFormWritesRfc3597Rdata() {
    Zone zone = withSoa().add(rr("example.com.", 300, "ALIAS", "Cdn.example.net.")).add(rr("www.example.com.", 300, "ANAME", "cdn.example.net.")).build();

    List<String> lines = lines(ZoneFileWriter.defaults().withGenericAliasTypes().toText(zone));

    // 3 "Cdn" 7 "example" 3 "net" 0, case kept (RFC 3597 §7)
    assertThat(lines)
        .contains(
            "@\t300\tIN\tTYPE65401\t\\# 17 0343646E076578616D706C65036E657400",
            "www\t300\tIN\tTYPE65305\t\\# 17 0363646E076578616D706C65036E657400");
  }

  @Test
  void genericFormReadsBackAsTheSameAliasRecords() {
    Zone zone =
        withSoa()
            .add(rr("example.com.", 300, "ALIAS", "Cdn.example.net."))
            .add(rr("www.example.com.", 300, "ANAME", "cdn.example.net."))
            .build();

    Zone back = readBack(ZoneFileWriter.defaults().withGenericAliasTypes().toText(zone));

    assertThat(back).isEqualTo(zone);
    assertThat(back.get(name("www.example.com."), AliasRecord.ANAME).orElseThrow().first())
        .isInstanceOf(ANAMERecord.class);
    assertThat(((AliasRecord) back.get(ORIGIN, AliasRecord.ALIAS).orElseThrow().first()).getTarget().toString())
        .isEqualTo("Cdn.example.net.");
  }

  @Test
  void genericFormLeavesOtherTypesAlone() {
    Zone zone = withSoa().add(a("www.example.com.", 300, "192.0.2.1")).build();

    assertThat(ZoneFileWriter.defaults().withGenericAliasTypes().toText(zone))
        .isEqualTo(ZoneFileWriter.defaults().toText(zone));
  }

  @Test
  void writtenTextReadsBackToAnEqualZone() {
    Zone zone =
        withSoa()
            .add(a("www.example.com.", 300, "192.0.2.1"))
            .add(rr("www.example.com.", 60, "TXT", "\"hello world\" \"a;b\" \"\""))
            .add(rr("*.example.com.", 300, "CNAME", "www.example.com."))
            .add(rr("_sip._tcp.example.com.", 300, "SRV", "0 5 5060 sip.example.com."))
            .add(rr("example.com.", 300, "CAA", "0 issue \"ca.example.net\""))
            .build();

    String text = ZoneFileWriter.defaults().toText(zone);
    Zone back = readBack(text);

    assertThat(back).isEqualTo(zone);
    assertThat(ZoneFileWriter.defaults().toText(back)).isEqualTo(text);
  }

  @Test
  void rrsigTtlsAreWrittenPerRecord() {
    String sig = " 8 3 300 20300101000000 20200101000000 1 example.com. AAECAwQFBgcICQ==";
    Zone zone =
        withSoa()
            .add(rr("www.example.com.", 300, "RRSIG", "A" + sig))
            .add(rr("www.example.com.", 60, "RRSIG", "TXT" + sig))
            .build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text)).anyMatch(l -> l.startsWith("www\t60\tIN\tRRSIG\tTXT "));
    assertThat(lines(text)).anyMatch(l -> l.startsWith("www\t300\tIN\tRRSIG\tA "));
    assertThat(readBack(text)).isEqualTo(zone);
  }

  @Test
  void aZoneWithoutSoaIsWrittenWithItsOrigin() {
    Zone zone = Zone.builder(ORIGIN).add(a("www.example.com.", 300, "192.0.2.1")).build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text)).containsExactly("$ORIGIN example.com.", "www\t300\tIN\tA\t192.0.2.1");
    assertThat(ZoneFileReader.forOrigin(ORIGIN).read(text, "w").zone()).isEqualTo(zone);
  }

  @Test
  void typeNamesComeFromDnsjava() {
    Zone zone = withSoa().add(rr("www.example.com.", 300, "TYPE4000", "\\# 2 abcd")).build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(text).contains(Type.string(4000));
    assertThat(readBack(text)).isEqualTo(zone);
  }

  @Test
  void ownerCaseBelowTheOriginSurvivesAReadBack() {
    Zone zone =
        Zone.builder(name("example.com."))
            .add(rr("Example.COM.", 3600, "SOA", "ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300"))
            .add(a("WWW.EXAMPLE.COM.", 300, "192.0.2.1"))
            .add(a("ftp.example.com.", 300, "192.0.2.2"))
            .build();

    String text = ZoneFileWriter.defaults().toText(zone);
    Zone back = readBack(text);

    assertThat(back.names())
        .extracting(Name::toString)
        .containsExactly("Example.COM.", "ftp.example.com.", "WWW.EXAMPLE.COM.");
    assertThat(back).isEqualTo(zone);
    // the origin read back is spelled as the SOA owner; from there on, text is stable
    String again = ZoneFileWriter.defaults().toText(back);
    assertThat(ZoneFileWriter.defaults().toText(readBack(again))).isEqualTo(again);
  }

  // ---- RFC 5952 addresses (issue 10 point 9)

  @Test
  void aaaaRdataIsWrittenInRfc5952Form() {
    Zone zone = withSoa().add(rr("www.example.com.", 300, "AAAA", "2001:0db8:0:0:0:0:0:0080")).build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text)).contains("www\t300\tIN\tAAAA\t2001:db8::80");
    assertThat(readBack(text)).isEqualTo(zone);
  }

  @Test
  void anIpv4MappedAaaaIsWrittenInMixedNotationAndStaysAaaa() {
    Zone zone = withSoa().add(rr("www.example.com.", 300, "AAAA", "::ffff:192.0.2.1")).build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text)).contains("www\t300\tIN\tAAAA\t::ffff:192.0.2.1");
    assertThat(readBack(text)).isEqualTo(zone);
  }

  @Test
  void svcbHintsAreWrittenInRfc5952Form() {
    Zone zone =
        withSoa()
            .add(rr("www.example.com.", 300, "HTTPS", "1 . alpn=h2 ipv6hint=2001:db8:0:0:0:0:0:1"))
            .build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text)).contains("www\t300\tIN\tHTTPS\t1 . alpn=h2 ipv6hint=2001:db8::1");
    assertThat(readBack(text)).isEqualTo(zone);
  }

  // ---- everything the reader accepts reads back equal (issue 11 point 3)

  @Test
  void aTxtRecordWithoutStringsIsWrittenInGenericForm() {
    Zone zone = readBack("$ORIGIN example.com.\n@ 3600 SOA ns1 h 1 2 3 4 5\nwww 300 TXT \\# 0\n");

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text)).contains("www\t300\tIN\tTXT\t\\# 0");
    assertThat(readBack(text)).isEqualTo(zone);
  }

  @Test
  void aDsRecordWithAnEmptyDigestIsWrittenInGenericForm() {
    Zone zone = readBack("$ORIGIN example.com.\n@ 3600 SOA ns1 h 1 2 3 4 5\nx 300 DS \\# 4 c0000201\n");

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text)).contains("x\t300\tIN\tDS\t\\# 4 C0000201");
    assertThat(readBack(text)).isEqualTo(zone);
  }

  @Test
  void anSvcbHintDnsjavaCannotWriteIsWrittenInGenericForm() {
    // dnsjava writes the IPv4-mapped hint as 192.0.2.1, which it then refuses as an ipv6hint.
    Zone zone =
        withSoa().add(rr("www.example.com.", 300, "HTTPS", "1 . ipv6hint=::ffff:192.0.2.1")).build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text)).anyMatch(l -> l.startsWith("www\t300\tIN\tHTTPS\t\\# "));
    assertThat(readBack(text)).isEqualTo(zone);
  }

  @Test
  void recordsWhoseMnemonicFormReadsBackKeepIt() {
    Zone zone =
        withSoa()
            .add(rr("x.example.com.", 300, "DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"))
            .add(rr("x.example.com.", 300, "TXT", "\"\""))
            .add(rr("x.example.com.", 300, "TYPE65280", "\\# 0"))
            .build();

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(lines(text))
        .contains(
            "x\t300\tIN\tDS\t60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
            "x\t300\tIN\tTXT\t\"\"",
            "x\t300\tIN\tTYPE65280\t\\# 0");
    assertThat(readBack(text)).isEqualTo(zone);
  }
}
