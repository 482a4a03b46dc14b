package org.aliasdns.core.zonefile;

import org.aliasdns.core.ALIASRecord;
import org.aliasdns.core.ANAMERecord;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;

import static org.aliasdns.core.Rr.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class ZoneFileReaderTest {
  @TempDir Path dir;

  private static final String SOA =
      "example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300\n";

  private static ZoneFile read(String text) {
    return ZoneFileReader.defaults().read(text, "test.zone");
  }

  private static Zone zone(String text) {
    return read(text).zone();
  }

  private static RecordSet set(Zone zone, String owner, int type) {
    return zone.get(name(owner), type)
        .orElseThrow(() -> new AssertionError("no " + Type.string(type) + " at " + owner));
  }

  private static ZoneFileException failure(String text) {
    return catchThrowableOfType(() -> read(text), ZoneFileException.class);
  }

  private static ZoneFileException failure(ZoneFileReader reader, String text) {
    return catchThrowableOfType(() -> reader.read(text, "test.zone"), ZoneFileException.class);
  }

  // ---- directives

  @Test
  void absoluteOriginAppliesToRelativeNames() {
    Zone zone = zone("$ORIGIN example.com.\n" + SOA + "www 300 IN A 192.0.2.1\n");

    assertThat(set(zone, "www.example.com.", Type.A).first().rdataToString()).isEqualTo("192.0.2.1");
  }

  @Test
  void relativeOriginIsAppendedToTheCurrentOrigin() {
    Zone zone =
        zone("$ORIGIN example.com.\n" + SOA + "$ORIGIN sub\nwww 300 IN A 192.0.2.1\n");

    assertThat(zone.contains(name("www.sub.example.com."))).isTrue();
  }

  @Test
  void originAppliesToNamesInRdata() {
    Zone zone = zone("$ORIGIN example.com.\n" + SOA + "@ 300 IN NS ns1\n");

    assertThat(set(zone, "example.com.", Type.NS).first().rdataToString())
        .isEqualTo("ns1.example.com.");
  }

  @Test
  void theGivenOriginIsTheInitialOrigin() {
    Zone zone =
        ZoneFileReader.forOrigin(name("example.com."))
            .read("www 300 IN A 192.0.2.1\n", "test.zone")
            .zone();

    assertThat(zone.origin()).isEqualTo(name("example.com."));
    assertThat(zone.contains(name("www.example.com."))).isTrue();
  }

  @Test
  void atSignIsTheOrigin() {
    Zone zone = zone("$ORIGIN example.com.\n" + SOA + "@ 300 IN TXT apex\n");

    assertThat(zone.get(name("example.com."), Type.TXT)).isPresent();
  }

  @Test
  void ttlDirectiveAppliesToRecordsWithoutTtl() {
    Zone zone = zone("$TTL 120\n" + SOA + "www.example.com. IN A 192.0.2.1\n");

    assertThat(set(zone, "www.example.com.", Type.A).ttl()).isEqualTo(120);
  }

  @Test
  void ttlUnitsAreUnderstood() {
    Zone zone = zone("$TTL 1h30m\n" + SOA + "www.example.com. IN A 192.0.2.1\nftp.example.com. 2d IN A 192.0.2.2\n");

    assertThat(set(zone, "www.example.com.", Type.A).ttl()).isEqualTo(5400);
    assertThat(set(zone, "ftp.example.com.", Type.A).ttl()).isEqualTo(172800);
  }

  @Test
  void directiveNamesIgnoreCase() {
    Zone zone = zone("$origin example.com.\n$ttl 99\n" + SOA + "www IN A 192.0.2.1\n");

    assertThat(set(zone, "www.example.com.", Type.A).ttl()).isEqualTo(99);
  }

  // ---- entries

  @Test
  void ttlAndClassMayComeInEitherOrder() {
    Zone zone =
        zone(SOA + "a.example.com. 300 IN A 192.0.2.1\nb.example.com. IN 300 A 192.0.2.2\n");

    assertThat(set(zone, "a.example.com.", Type.A).ttl()).isEqualTo(300);
    assertThat(set(zone, "b.example.com.", Type.A).ttl()).isEqualTo(300);
  }

  @Test
  void classMayBeLeftOut() {
    Zone zone = zone(SOA + "a.example.com. 300 A 192.0.2.1\n");

    assertThat(set(zone, "a.example.com.", Type.A).ttl()).isEqualTo(300);
  }

  @Test
  void aLineStartingWithBlankInheritsThePreviousOwner() {
    Zone zone = zone(SOA + "www.example.com. 300 IN A 192.0.2.1\n   300 IN TXT hello\n\t300 IN AAAA 2001:db8::1\n");

    assertThat(zone.recordSets(name("www.example.com."))).hasSize(3);
  }

  @Test
  void ownerIsInheritedAcrossADirective() {
    Zone zone =
        zone("$ORIGIN example.com.\n" + SOA + "www 300 IN A 192.0.2.1\n$TTL 60\n  IN TXT t\n");

    assertThat(set(zone, "www.example.com.", Type.TXT).ttl()).isEqualTo(60);
  }

  @Test
  void parenthesisedSoaMaySpanLines() {
    Zone zone =
        zone(
            "$ORIGIN example.com.\n"
                + "@ 3600 IN SOA ns1 hostmaster (\n"
                + "    2024010101 ; serial\n"
                + "    7200       ; refresh\n"
                + "    900\n"
                + "    1209600\n"
                + "    300 )\n");

    SOARecord soa = zone.soa().orElseThrow();
    assertThat(soa.getSerial()).isEqualTo(2024010101L);
    assertThat(soa.getMinimum()).isEqualTo(300);
    assertThat(soa.getHost()).isEqualTo(name("ns1.example.com."));
  }

  @Test
  void commentsAreIgnored() {
    Zone zone =
        zone("; a zone\n" + SOA + "; www is next\nwww.example.com. 300 IN A 192.0.2.1 ; the web\n");

    assertThat(zone.recordCount()).isEqualTo(2);
  }

  @Test
  void quotedTextKeepsSpacesAndSemicolons() {
    Zone zone = zone(SOA + "www.example.com. 300 IN TXT \"v=spf1 -all; x\" \"two words\"\n");

    TXTRecord txt = (TXTRecord) set(zone, "www.example.com.", Type.TXT).first();
    assertThat(txt.getStrings()).containsExactly("v=spf1 -all; x", "two words");
  }

  @Test
  void aliasAndAnameAreReadInMnemonicForm() {
    Zone zone =
        zone(SOA + "example.com. 300 IN ALIAS cdn.example.net.\nwww.example.com. 300 IN ANAME cdn.example.net.\n");

    assertThat(set(zone, "example.com.", AliasRecord.ALIAS).first()).isInstanceOf(ALIASRecord.class);
    assertThat(set(zone, "www.example.com.", AliasRecord.ANAME).first()).isInstanceOf(ANAMERecord.class);
  }

  @Test
  void aliasIsReadInGenericForm() {
    Zone zone =
        zone(SOA + "example.com. 300 IN TYPE65401 \\# 17 0363646e076578616d706c65036e657400\n");

    AliasRecord alias = (AliasRecord) set(zone, "example.com.", AliasRecord.ALIAS).first();
    assertThat(alias.getTarget()).isEqualTo(name("cdn.example.net."));
  }

  @Test
  void crlfLineEndingsAreAccepted() {
    Zone zone =
        zone(
            ("$ORIGIN example.com.\n" + SOA + "www 300 IN A 192.0.2.1\n  300 IN TXT \"x y\"\n")
                .replace("\n", "\r\n"));

    assertThat(zone.recordCount()).isEqualTo(3);
    assertThat(((TXTRecord) set(zone, "www.example.com.", Type.TXT).first()).getStrings())
        .containsExactly("x y");
  }

  // ---- ttls

  @Test
  void anExplicitTtlWinsOverTtlDirective() {
    Zone zone = zone("$TTL 120\n" + SOA + "www.example.com. 30 IN A 192.0.2.1\n");

    assertThat(set(zone, "www.example.com.", Type.A).ttl()).isEqualTo(30);
  }

  @Test
  void ttlDirectiveWinsOverTheLastExplicitTtl() {
    Zone zone = zone(SOA + "$TTL 120\nwww.example.com. IN A 192.0.2.1\n");

    assertThat(set(zone, "www.example.com.", Type.A).ttl()).isEqualTo(120);
  }

  @Test
  void withoutTtlDirectiveTheLastExplicitTtlApplies() {
    Zone zone =
        zone(SOA + "a.example.com. 42 IN A 192.0.2.1\nb.example.com. IN A 192.0.2.2\n");

    assertThat(set(zone, "b.example.com.", Type.A).ttl()).isEqualTo(42);
  }

  @Test
  void withNoOtherTtlTheSoaMinimumApplies() {
    Zone zone =
        zone(
            "example.com. IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 77\n"
                + "www.example.com. IN A 192.0.2.1\n");

    assertThat(set(zone, "www.example.com.", Type.A).ttl()).isEqualTo(77);
    assertThat(zone.soa().orElseThrow().getTTL()).isEqualTo(77);
  }

  @Test
  void aRecordWithNoTtlSourceAtAllIsAnError() {
    ZoneFileException e =
        failure(ZoneFileReader.forOrigin(name("example.com.")), "www 300 IN A 192.0.2.1\nftp.example.com. IN A 192.0.2.2\n".replace("www 300", "www"));

    assertThat(e.line()).isEqualTo(1);
    assertThat(e.reason()).contains("TTL");
  }

  @Test
  void theConfiguredDefaultTtlAppliesBeforeAnyTtlDirective() {
    Zone zone =
        ZoneFileReader.forOrigin(name("example.com."))
            .withDefaultTtl(500)
            .read("www IN A 192.0.2.1\n", "test.zone")
            .zone();

    assertThat(set(zone, "www.example.com.", Type.A).ttl()).isEqualTo(500);
  }

  @Test
  void mixedTtlsInOneSetAreReducedAndReportedWithTheirLine() {
    ZoneFile file =
        read(SOA + "www.example.com. 300 IN A 192.0.2.1\nwww.example.com. 60 IN A 192.0.2.2\n");

    assertThat(set(file.zone(), "www.example.com.", Type.A).ttl()).isEqualTo(60);
    assertThat(file.findings()).hasSize(1);
    Finding finding = file.findings().get(0);
    assertThat(finding.rule()).isEqualTo(Rule.RRSET_TTL_MISMATCH);
    assertThat(finding.position()).isEqualTo(new SourcePosition("test.zone", 3));
  }

  // ---- origin

  @Test
  void theOriginIsTakenFromTheSoa() {
    ZoneFile file = read(SOA + "www.example.com. 300 IN A 192.0.2.1\n");

    assertThat(file.zone().origin()).isEqualTo(name("example.com."));
  }

  @Test
  void aGivenOriginWinsAndTheSoaElsewhereIsOutOfZone() {
    ZoneFile file =
        ZoneFileReader.forOrigin(name("sub.example.com."))
            .read(SOA + "www.sub.example.com. 300 IN A 192.0.2.1\n", "test.zone");

    assertThat(file.zone().origin()).isEqualTo(name("sub.example.com."));
    assertThat(file.zone().soa()).isEmpty();
    assertThat(file.findings()).extracting(Finding::rule).containsExactly(Rule.OUT_OF_ZONE);
  }

  @Test
  void withoutOriginDirectiveRelativeNamesAfterTheSoaTakeItsOwner() {
    // Issue 10 point 6: no $ORIGIN, no given origin, the SOA first (without a TTL, as written).
    ZoneFile file =
        read(
            "example.com. IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300\n"
                + "www IN A 192.0.2.4\n");

    assertThat(file.zone().origin()).isEqualTo(name("example.com."));
    assertThat(set(file.zone(), "www.example.com.", Type.A).first().rdataToString())
        .isEqualTo("192.0.2.4");
  }

  @Test
  void relativeNamesInTheSoaItselfTakeItsOwner() {
    Zone zone = zone("example.com. 3600 IN SOA ns1 hostmaster 1 7200 900 1209600 300\n");

    assertThat(set(zone, "example.com.", Type.SOA).first().rdataToString())
        .startsWith("ns1.example.com. hostmaster.example.com. 1 ");
  }

  @Test
  void namesInRdataAfterTheSoaAreCompletedWithItsOwnerToo() {
    Zone zone = zone(SOA + "example.com. 300 IN NS ns1\n@ 300 IN MX 10 mail\n");

    assertThat(set(zone, "example.com.", Type.NS).first().getAdditionalName())
        .isEqualTo(name("ns1.example.com."));
    assertThat(set(zone, "example.com.", Type.MX).first().getAdditionalName())
        .isEqualTo(name("mail.example.com."));
  }

  @Test
  void anOriginDirectiveWinsOverTheSoaOwner() {
    Zone zone = zone(SOA + "$ORIGIN sub.example.com.\nwww 300 IN A 192.0.2.1\n");

    assertThat(zone.contains(name("www.sub.example.com."))).isTrue();
  }

  @Test
  void aGivenOriginWinsOverTheSoaOwnerForRelativeNames() {
    Zone zone =
        ZoneFileReader.forOrigin(name("example.com."))
            .read(SOA.replace("example.com. 3600", "@ 3600") + "www 300 IN A 192.0.2.1\n", "test.zone")
            .zone();

    assertThat(zone.contains(name("www.example.com."))).isTrue();
  }

  @Test
  void recordsBeforeTheSoaAreKeptOnceItNamesTheZone() {
    ZoneFile file = read("www.example.com. 300 IN A 192.0.2.1\n" + SOA + "ftp 300 IN A 192.0.2.2\n");

    assertThat(file.zone().recordCount()).isEqualTo(3);
    assertThat(file.position(name("www.example.com."), Type.A))
        .contains(new SourcePosition("test.zone", 1));
    assertThat(file.position(name("ftp.example.com."), Type.A))
        .contains(new SourcePosition("test.zone", 3));
  }

  @Test
  void anIncludedFileWithoutOriginTakesTheSoaOwnerToo() throws IOException {
    write("hosts.inc", "www 300 IN A 192.0.2.1\n");
    Path main = write("main.zone", SOA + "$INCLUDE hosts.inc\n");

    Zone zone = ZoneFileReader.defaults().read(main).zone();

    assertThat(zone.contains(name("www.example.com."))).isTrue();
  }

  @Test
  void withoutSoaOrGivenOriginReadingFails() {
    ZoneFileException e = failure("www.example.com. 300 IN A 192.0.2.1\n");

    assertThat(e.source()).isEqualTo("test.zone");
    assertThat(e.reason()).contains("origin");
  }

  @Test
  void outOfZoneRecordsAreLeftOutAndReportedWithTheirLine() {
    ZoneFile file =
        read(SOA + "www.example.com. 300 IN A 192.0.2.1\n\nwww.example.net. 300 IN A 192.0.2.2\n");

    assertThat(file.zone().contains(name("www.example.net."))).isFalse();
    assertThat(file.zone().recordCount()).isEqualTo(2);
    assertThat(file.findings()).hasSize(1);
    Finding finding = file.findings().get(0);
    assertThat(finding.rule()).isEqualTo(Rule.OUT_OF_ZONE);
    assertThat(finding.owner()).isEqualTo(name("www.example.net."));
    assertThat(finding.position()).isEqualTo(new SourcePosition("test.zone", 4));
  }

  // ---- includes

  private Path write(String fileName, String text) throws IOException {
    Path file = dir.resolve(fileName);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aRelativePathIsResolvedAgainstTheIncludingFilesDirectory() throws IOException {
    write("sub/hosts.inc", "www 300 IN A 192.0.2.1\n");
    Path main = write("sub/main.zone", "$ORIGIN example.com.\n" + SOA + "$INCLUDE hosts.inc\n");

    Zone zone = ZoneFileReader.defaults().read(main).zone();

    assertThat(zone.contains(name("www.example.com."))).isTrue();
  }

  @Test
  void theFilesIncludedAtAnyDepthAreListedInTheOrderOpenedAndAFileWithoutIncludesListsNone()
      throws IOException {
    Path inner = write("sub/inner.inc", "; only a comment: still a file the zone depends on\n");
    Path hosts = write("sub/hosts.inc", "www 300 IN A 192.0.2.1\n$INCLUDE inner.inc\n");
    Path mail = write("mail.inc", "mail 300 IN A 192.0.2.2\n");
    Path main =
        write("main.zone", "$ORIGIN example.com.\n" + SOA + "$INCLUDE sub/hosts.inc\n"
            + "$INCLUDE " + mail.toAbsolutePath() + "\n");

    ZoneFile file = ZoneFileReader.defaults().read(main);

    assertThat(file.includedFiles())
        .containsExactly(
            hosts.toAbsolutePath().normalize(),
            inner.toAbsolutePath().normalize(),
            mail.toAbsolutePath().normalize());
    assertThat(ZoneFileReader.forOrigin(name("example.com.")).read(mail).includedFiles()).isEmpty();
    assertThat(read(SOA).includedFiles()).isEmpty();
  }

  @Test
  void anIncludeWithAnOriginUsesItAndTheParentsOriginIsRestoredAfter() throws IOException {
    write("hosts.inc", "www 300 IN A 192.0.2.1\n$ORIGIN other.example.com.\nx 300 IN A 192.0.2.3\n");
    Path main =
        write(
            "main.zone",
            "$ORIGIN example.com.\n" + SOA + "$INCLUDE hosts.inc sub.example.com.\nftp 300 IN A 192.0.2.2\n");

    Zone zone = ZoneFileReader.defaults().read(main).zone();

    assertThat(zone.contains(name("www.sub.example.com."))).isTrue();
    assertThat(zone.contains(name("x.other.example.com."))).isTrue();
    assertThat(zone.contains(name("ftp.example.com."))).isTrue();
  }

  @Test
  void recordsOfAnIncludedFileArePositionedInThatFile() throws IOException {
    Path inc = write("hosts.inc", "; hosts\n\nwww 300 IN A 192.0.2.1\n");
    Path main = write("main.zone", "$ORIGIN example.com.\n" + SOA + "$INCLUDE hosts.inc\nftp 300 IN A 192.0.2.2\n");

    ZoneFile file = ZoneFileReader.defaults().read(main);

    SourcePosition www = file.position(name("www.example.com."), Type.A).orElseThrow();
    assertThat(Path.of(www.source()).getFileName()).isEqualTo(inc.getFileName());
    assertThat(www.line()).isEqualTo(3);
    assertThat(file.position(name("ftp.example.com."), Type.A))
        .contains(new SourcePosition(main.toString(), 4));
  }

  @Test
  void anErrorInAnIncludedFileNamesThatFileAndLine() throws IOException {
    write("hosts.inc", "www 300 IN A 192.0.2.1\nbad 300 IN A 192.0.2.999\n");
    Path main = write("main.zone", "$ORIGIN example.com.\n" + SOA + "$INCLUDE hosts.inc\n");

    ZoneFileException e =
        catchThrowableOfType(() -> ZoneFileReader.defaults().read(main), ZoneFileException.class);

    assertThat(Path.of(e.source()).getFileName().toString()).isEqualTo("hosts.inc");
    assertThat(e.line()).isEqualTo(2);
  }

  @Test
  void switchedOffIncludesAreAnError() throws IOException {
    write("hosts.inc", "www 300 IN A 192.0.2.1\n");
    Path main = write("main.zone", "$ORIGIN example.com.\n" + SOA + "$INCLUDE hosts.inc\n");

    ZoneFileException e =
        catchThrowableOfType(
            () -> ZoneFileReader.defaults().withIncludes(false).read(main), ZoneFileException.class);

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).contains("switched off");
  }

  @Test
  void textDoesNotFollowIncludesUnlessAsked() throws IOException {
    Path inc = write("hosts.inc", "www 300 IN A 192.0.2.1\n");
    String text = "$ORIGIN example.com.\n" + SOA + "$INCLUDE " + inc + "\n";

    ZoneFileException e = failure(text);
    Zone zone = ZoneFileReader.defaults().withIncludes(true).read(text, "test.zone").zone();

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).contains("not followed in zone text read from a string or stream");
    assertThat(zone.contains(name("www.example.com."))).isTrue();
  }

  @Test
  void aStreamDoesNotFollowIncludesUnlessAsked() throws IOException {
    Path inc = write("hosts.inc", "www 300 IN A 192.0.2.1\n");
    byte[] text =
        ("$ORIGIN example.com.\n" + SOA + "$INCLUDE " + inc + "\n").getBytes(StandardCharsets.UTF_8);

    ZoneFileException e =
        catchThrowableOfType(
            () -> ZoneFileReader.defaults().read(new ByteArrayInputStream(text), "s"),
            ZoneFileException.class);
    Zone zone =
        ZoneFileReader.defaults().withIncludes(true).read(new ByteArrayInputStream(text), "s").zone();

    assertThat(e.line()).isEqualTo(3);
    assertThat(zone.contains(name("www.example.com."))).isTrue();
  }

  @Test
  void anIncludedDirectoryIsAZoneFileErrorAtTheIncludeLine() throws IOException {
    Files.createDirectories(dir.resolve("hosts.d"));
    Path main = write("main.zone", "$ORIGIN example.com.\n" + SOA + "$INCLUDE hosts.d\n");

    ZoneFileException e =
        catchThrowableOfType(() -> ZoneFileReader.defaults().read(main), ZoneFileException.class);

    assertThat(e.source()).isEqualTo(main.toString());
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).isEqualTo("$INCLUDE hosts.d: is a directory, not a zone file");
  }

  @Test
  void anIncludedDeviceIsRefusedBeforeAByteIsRead() throws IOException {
    Path main = write("main.zone", "$ORIGIN example.com.\n" + SOA + "$INCLUDE /dev/zero\n");

    ZoneFileException e =
        catchThrowableOfType(() -> ZoneFileReader.defaults().read(main), ZoneFileException.class);

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).contains("/dev/zero").contains("not a regular file");
  }

  @Test
  void aDirectoryToReadIsAZoneFileError() {
    ZoneFileException e =
        catchThrowableOfType(() -> ZoneFileReader.defaults().read(dir), ZoneFileException.class);

    assertThat(e.source()).isEqualTo(dir.toString());
    assertThat(e.reason()).contains("directory");
  }

  @Test
  void aMissingIncludedFileIsAnErrorAtTheIncludeLine() throws IOException {
    Path main = write("main.zone", "$ORIGIN example.com.\n" + SOA + "$INCLUDE nothere.inc\n");

    ZoneFileException e =
        catchThrowableOfType(() -> ZoneFileReader.defaults().read(main), ZoneFileException.class);

    assertThat(e.source()).isEqualTo(main.toString());
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).contains("nothere.inc");
  }

  @Test
  void aSelfIncludeStopsAtTheDepthLimit() throws IOException {
    Path main = write("loop.zone", "$ORIGIN example.com.\n" + SOA + "$INCLUDE loop.zone\n");

    ZoneFileException e =
        catchThrowableOfType(() -> ZoneFileReader.defaults().read(main), ZoneFileException.class);

    assertThat(e.reason()).contains("nested deeper than " + ZoneFileReader.MAX_INCLUDE_DEPTH);
    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void ttlDirectiveInAnIncludedFileDoesNotLeakOut() throws IOException {
    write("hosts.inc", "$TTL 5\nwww 300 IN A 192.0.2.1\n");
    Path main =
        write("main.zone", "$ORIGIN example.com.\n$TTL 100\n" + SOA + "$INCLUDE hosts.inc\nftp IN A 192.0.2.2\n");

    Zone zone = ZoneFileReader.defaults().read(main).zone();

    assertThat(set(zone, "ftp.example.com.", Type.A).ttl()).isEqualTo(100);
  }

  // ---- generate

  @Test
  void aRangeMakesOneRecordPerValue() {
    Zone zone = zone("$ORIGIN example.com.\n" + SOA + "$GENERATE 1-3 host$ 300 IN A 192.0.2.$\n");

    assertThat(set(zone, "host1.example.com.", Type.A).first().rdataToString()).isEqualTo("192.0.2.1");
    assertThat(set(zone, "host3.example.com.", Type.A).first().rdataToString()).isEqualTo("192.0.2.3");
    assertThat(zone.contains(name("host4.example.com."))).isFalse();
  }

  @Test
  void aStepSkipsValues() {
    Zone zone = zone("$ORIGIN example.com.\n" + SOA + "$GENERATE 0-10/5 h$ 300 IN A 192.0.2.$\n");

    assertThat(zone.names())
        .extracting(Name::toString)
        .containsExactly("example.com.", "h0.example.com.", "h10.example.com.", "h5.example.com.");
  }

  @Test
  void offsetWidthAndBaseAreApplied() {
    Zone zone =
        zone("$ORIGIN example.com.\n" + SOA + "$GENERATE 10-11 h${1,3,x} 300 IN CNAME t${-10,2,d}\n");

    assertThat(set(zone, "h00b.example.com.", Type.CNAME).first().rdataToString())
        .isEqualTo("t00.example.com.");
    assertThat(set(zone, "h00c.example.com.", Type.CNAME).first().rdataToString())
        .isEqualTo("t01.example.com.");
  }

  @Test
  void generatedRecordsArePositionedAtTheGenerateLine() {
    ZoneFile file = read("$ORIGIN example.com.\n" + SOA + "\n$GENERATE 1-2 h$ 300 IN A 192.0.2.$\n");

    assertThat(file.position(name("h2.example.com."), Type.A))
        .contains(new SourcePosition("test.zone", 4));
  }

  @Test
  void tooManyRecordsAreRefused() {
    ZoneFileException e =
        failure("$ORIGIN example.com.\n" + SOA + "$GENERATE 0-2000000 h$ 300 IN A 192.0.2.1\n");

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).contains("more than");
  }

  @Test
  void anUnsupportedTypeIsRefused() {
    ZoneFileException e =
        failure("$ORIGIN example.com.\n" + SOA + "$GENERATE 1-2 h$ 300 IN TXT x$\n");

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).contains("TXT");
  }

  @Test
  void aBadRangeIsRefused() {
    ZoneFileException e = failure("$ORIGIN example.com.\n" + SOA + "$GENERATE 5-1 h$ 300 IN A 192.0.2.1\n");

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).contains("range");
  }

  // ---- errors

  @Test
  void aBadAddressNamesSourceLineAndReason() {
    ZoneFileException e = failure(SOA + "\nwww.example.com. 300 IN A 192.0.2.300\n");

    assertThat(e.source()).isEqualTo("test.zone");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).isNotBlank();
    assertThat(e.getMessage()).startsWith("test.zone:3: ");
  }

  @Test
  void anUnknownTypeNamesTheType() {
    ZoneFileException e = failure(SOA + "www.example.com. 300 IN BOGUS 1\n");

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.reason()).contains("BOGUS");
  }

  @Test
  void anUnknownDirectiveIsAnError() {
    ZoneFileException e = failure(SOA + "$FOO bar\n");

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.reason()).contains("$FOO");
  }

  @Test
  void aFirstLineWithoutOwnerIsAnError() {
    ZoneFileException e = failure("  300 IN A 192.0.2.1\n" + SOA);

    assertThat(e.line()).isEqualTo(1);
    assertThat(e.reason()).contains("owner");
  }

  @Test
  void aRelativeOwnerBeforeAnyOriginIsAnError() {
    ZoneFileException e = failure("www 300 IN A 192.0.2.1\n" + SOA);

    assertThat(e.line()).isEqualTo(1);
    assertThat(e.reason()).contains("www");
  }

  @Test
  void aRelativeNameInRdataBeforeAnyOriginIsAnError() {
    ZoneFileException e = failure("www.example.com. 300 IN CNAME target\n" + SOA);

    assertThat(e.line()).isEqualTo(1);
    assertThat(e.reason()).contains("target");
  }

  @Test
  void aClassOtherThanInIsAnError() {
    ZoneFileException e = failure(SOA + "www.example.com. 300 CH A 192.0.2.1\n");

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.reason()).contains("CH");
  }

  @Test
  void anUnclosedParenthesisIsAnError() {
    ZoneFileException e =
        failure("example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. ( 1 7200\n 900 1209600 300\n");

    assertThat(e.source()).isEqualTo("test.zone");
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.reason()).contains("parentheses");
  }

  @Test
  void parenthesesInQuotesAndCommentsDoNotCount() {
    Zone zone =
        zone(SOA + "www.example.com. 300 IN TXT \"(\" ; (\nftp.example.com. 300 IN TXT \\(\n");

    assertThat(((TXTRecord) set(zone, "www.example.com.", Type.TXT).first()).getStrings())
        .containsExactly("(");
    assertThat(((TXTRecord) set(zone, "ftp.example.com.", Type.TXT).first()).getStrings())
        .containsExactly("(");
  }

  @Test
  void anUnclosedParenthesisIsNamedAtTheLineItOpened() {
    ZoneFileException e =
        failure(SOA + "\ntxt.example.com. 300 IN TXT ( \"a\"\n \"b\"\n");

    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void aStrayClosingParenthesisIsAnError() {
    ZoneFileException e = failure(SOA + "www.example.com. 300 IN A 192.0.2.1 )\n");

    assertThat(e.line()).isEqualTo(2);
  }

  @Test
  void garbageBytesAreAnError() {
    byte[] junk = {(byte) 0xff, (byte) 0xfe, 0x00, 0x01, (byte) 0x80, '\n', 0x7f, '(', '\n'};

    ZoneFileException e =
        catchThrowableOfType(
            () -> ZoneFileReader.defaults().read(new ByteArrayInputStream(junk), "junk"),
            ZoneFileException.class);

    assertThat(e).isNotNull();
    assertThat(e.source()).isEqualTo("junk");
  }

  @Test
  void anEmptyFileIsAnError() {
    ZoneFileException e = failure("");

    assertThat(e.source()).isEqualTo("test.zone");
    assertThat(e.reason()).contains("SOA");
  }

  @Test
  void anEmptyFileWithAGivenOriginIsAnEmptyZone() {
    Zone zone = ZoneFileReader.forOrigin(name("example.com.")).read("; nothing\n", "test.zone").zone();

    assertThat(zone.size()).isZero();
  }

  @Test
  void aTruncatedFileIsAnErrorNotAPartialZone() {
    String whole = SOA + "www.example.com. 300 IN A 192.0.2.1\nftp.example.com. 300 IN MX 10 mail.example.com.\n";
    String truncated = whole.substring(0, whole.length() - "mail.example.com.\n".length());

    ZoneFileException e = failure(truncated);

    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void anErrorAfterGoodRecordsGivesNoZone() {
    assertThatThrownBy(() -> read(SOA + "www.example.com. 300 IN A 192.0.2.1\nftp.example.com. 300 IN A nope\n"))
        .isInstanceOf(ZoneFileException.class);
  }

  @Test
  void aTtlOutOfRangeIsAnError() {
    ZoneFileException e = failure(SOA + "www.example.com. 4294967296 IN A 192.0.2.1\n");

    assertThat(e.line()).isEqualTo(2);
  }

  @Test
  void aPortOutOfRangeIsAZoneFileError() {
    ZoneFileException e = failure(SOA + "_sip._tcp.example.com. 300 IN SRV 0 0 70000 sip.example.com.\n");

    assertThat(e.line()).isEqualTo(2);
  }

  // ---- every malformed input is a ZoneFileException with file, line and reason (issue 11 pt 4)

  @Test
  void genericRdataTooShortForItsTypeNamesTheLine() {
    ZoneFileException e = failure("$ORIGIN example.com.\n" + SOA + "x 300 CNAME \\# 1 ff\n");

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).startsWith("bad CNAME record: ");
  }

  @Test
  void aMalformedRrsigTimeIsAZoneFileError() {
    ZoneFileException e =
        failure(
            "$ORIGIN example.com.\n"
                + SOA
                + "x 300 RRSIG A 8 2 300 2024010100000 20000101000000 1 example.com. AAAAAA==\n");

    assertThat(e.source()).isEqualTo("test.zone");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).startsWith("bad RRSIG record: ");
    assertThat(e.getCause()).isInstanceOf(java.time.DateTimeException.class);
  }

  @Test
  void generatedRecordsThatDoNotParseNameTheGenerateLine() {
    ZoneFileException e =
        failure("$ORIGIN example.com.\n" + SOA + "$GENERATE 1-3 h$ 300 IN A 192.0.2.${300}\n");

    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void aMissingIncludeFileNameIsAnError() {
    ZoneFileException e = failure(SOA + "$INCLUDE\n");

    assertThat(e.line()).isEqualTo(2);
  }

  // ---- positions

  @Test
  void eachRecordSetIsPositionedAtItsFirstLine() {
    ZoneFile file =
        read(SOA + "www.example.com. 300 IN A 192.0.2.1\nwww.example.com. 300 IN A 192.0.2.2\n");

    assertThat(file.position(name("www.example.com."), Type.A))
        .contains(new SourcePosition("test.zone", 2));
    assertThat(file.position(name("WWW.example.com."))).contains(new SourcePosition("test.zone", 2));
  }

  @Test
  void linesAreCountedAfterBlankCommentAndDirectiveLines() {
    ZoneFile file =
        read(
            "; header\n\n$ORIGIN example.com.\n$TTL 300\n"
                + SOA
                + "\n; comment\n   \n\t; indented comment\nwww IN A 192.0.2.1\n");

    assertThat(file.position(name("example.com."), Type.SOA)).contains(new SourcePosition("test.zone", 5));
    assertThat(file.position(name("www.example.com."), Type.A))
        .contains(new SourcePosition("test.zone", 10));
  }

  @Test
  void aMultiLineRecordIsPositionedAtItsFirstLineAndTheNextOneAfterIt() {
    ZoneFile file =
        read(
            "example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. (\n"
                + " 1 ; serial\n 7200\n 900\n 1209600\n 300 )\n"
                + "www.example.com. 300 IN A 192.0.2.1\n"
                + "txt.example.com. 300 IN TXT ( \"a\"\n \"b\" )\n"
                + "ftp.example.com. 300 IN A 192.0.2.2\n");

    assertThat(file.position(name("example.com."), Type.SOA)).contains(new SourcePosition("test.zone", 1));
    assertThat(file.position(name("www.example.com."), Type.A)).contains(new SourcePosition("test.zone", 7));
    assertThat(file.position(name("txt.example.com."), Type.TXT)).contains(new SourcePosition("test.zone", 8));
    assertThat(file.position(name("ftp.example.com."), Type.A)).contains(new SourcePosition("test.zone", 10));
  }

  @Test
  void anErrorAfterAMultiLineRecordNamesItsOwnLine() {
    ZoneFileException e =
        failure(
            "example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. (\n"
                + " 1\n 7200\n 900\n 1209600\n 300 )\n"
                + "\n"
                + "www.example.com. 300 IN A 192.0.2.1\n"
                + "bad.example.com. 300 IN AAAA 192.0.2.1\n");

    assertThat(e.line()).isEqualTo(9);
  }

  @Test
  void anErrorInsideAMultiLineRecordNamesALineOfThatRecord() {
    ZoneFileException e =
        failure(
            "example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. (\n"
                + " 1\n 7200\n xyz\n 1209600\n 300 )\n");

    assertThat(e.line()).isBetween(1, 4);
  }

  @Test
  void linesAreCountedWithCrlfEndings() {
    ZoneFile file =
        read(("; c\n" + SOA + "\nwww.example.com. 300 IN A 192.0.2.1\n").replace("\n", "\r\n"));

    assertThat(file.position(name("www.example.com."), Type.A)).contains(new SourcePosition("test.zone", 4));
  }

  @Test
  void errorsAreCountedWithCrlfEndings() {
    ZoneFileException e =
        failure(("; c\n" + SOA + "\nwww.example.com. 300 IN A 192.0.2.999\n").replace("\n", "\r\n"));

    assertThat(e.line()).isEqualTo(4);
  }

  // ---- sources

  @Test
  void pathTextAndStreamGiveEqualZones() throws IOException {
    String text =
        "$ORIGIN example.com.\n$TTL 300\n" + SOA + "www IN A 192.0.2.1\n  IN TXT \"hello world\"\nmail IN MX 10 www\n";
    Path file = dir.resolve("example.zone");
    Files.writeString(file, text);

    Zone fromPath = ZoneFileReader.defaults().read(file).zone();
    Zone fromText = ZoneFileReader.defaults().read(text, "example.zone").zone();
    Zone fromStream;
    try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
      fromStream = ZoneFileReader.defaults().read(in, "example.zone").zone();
    }

    assertThat(fromPath).isEqualTo(fromText).isEqualTo(fromStream);
    assertThat(fromPath.recordCount()).isEqualTo(4);
  }

  @Test
  void aPathSourceIsNamedByThePath() throws IOException {
    Path file = dir.resolve("bad.zone");
    Files.writeString(file, SOA + "www.example.com. 300 IN A x\n");

    ZoneFileException e =
        catchThrowableOfType(() -> ZoneFileReader.defaults().read(file), ZoneFileException.class);

    assertThat(e.source()).isEqualTo(file.toString());
    assertThat(e.line()).isEqualTo(2);
  }

  @Test
  void theStreamIsNotClosed() throws IOException {
    boolean[] closed = {false};
    InputStream in =
        new ByteArrayInputStream(SOA.getBytes(StandardCharsets.UTF_8)) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };

    ZoneFileReader.defaults().read(in, "s");

    assertThat(closed[0]).isFalse();
  }

  @Test
  void aRecordReadIsTheSameAsDnsjavasOwnParse() {
    Zone zone = zone(SOA + "mx.example.com. 300 IN MX 10 mail.example.com.\n");

    Record mx = set(zone, "mx.example.com.", Type.MX).first();
    assertThat(mx).isEqualTo(Rr.rr("mx.example.com.", 300, "MX", "10 mail.example.com."));
    assertThat(List.of(mx.getTTL())).containsExactly(300L);
  }

  @Test
  void everyRrsetOfThousandsOfOwnersKeepsWhereItWasRead() {
    // enough owners for the position table to grow several times
    StringBuilder text = new StringBuilder("$ORIGIN example.com.\n$TTL 300\n" + "@ SOA ns1 h 1 2 3 4 5\n");
    int owners = 5000;
    for (int i = 0; i < owners; i++) {
      text.append("h").append(i).append(" A 192.0.2.1\n");
      text.append("   TXT \"t\"\n");
      text.append("h").append(i).append(" A 192.0.2.2\n"); // same RRset: its first line stays
    }
    ZoneFile file = ZoneFileReader.defaults().read(text.toString(), "big.zone");

    for (int i = 0; i < owners; i++) {
      int first = 4 + 3 * i;
      Name owner = name("H" + i + ".EXAMPLE.COM."); // any case (RFC 4343)
      assertThat(file.position(owner, Type.A)).contains(new SourcePosition("big.zone", first));
      assertThat(file.position(owner, Type.TXT)).contains(new SourcePosition("big.zone", first + 1));
      assertThat(file.position(owner)).contains(new SourcePosition("big.zone", first));
      assertThat(file.position(owner, Type.AAAA)).isEmpty();
    }
    assertThat(file.position(name("h" + owners + ".example.com."))).isEmpty();
  }

  @Test
  void recordsBeforeTheSoaGoInFirstAndInOrder() {
    ZoneFile file =
        ZoneFileReader.defaults()
            .read(
                "$ORIGIN example.com.\n"
                    + "www 300 A 192.0.2.1\n"
                    + "www.example.net. 300 A 192.0.2.9\n"
                    + "@ 300 SOA ns1 h 1 2 3 4 5\n"
                    + "www 600 A 192.0.2.2\n",
                "early.zone");

    assertThat(file.zone().origin()).isEqualTo(name("example.com."));
    RecordSet www = file.zone().get(name("www.example.com."), Type.A).orElseThrow();
    assertThat(www.size()).isEqualTo(2);
    assertThat(www.ttl()).isEqualTo(300);
    assertThat(file.position(name("www.example.com."), Type.A))
        .contains(new SourcePosition("early.zone", 2));
    assertThat(file.findings())
        .extracting(f -> f.rule() + "@" + f.position())
        .containsExactly(
            Rule.OUT_OF_ZONE + "@" + new SourcePosition("early.zone", 3),
            Rule.RRSET_TTL_MISMATCH + "@" + new SourcePosition("early.zone", 5));
  }
}
