package org.aliasdns.core.zonefile;

import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.tools.ExternalTool;

import static org.aliasdns.core.Rr.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.HTTPSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.SVCBRecord;
import org.xbill.DNS.Type;

/**
 * SVCB (64) and HTTPS (65) records (RFC 9460) through the zone-file reader and writer: every
 * SvcParamKey of RFC 9460 §7 and §14.3.2 in presentation form reads, writes and reads back to
 * the same records, in mnemonic form or in RFC 3597 generic form for tools that predate the
 * types; and what dnsjava refuses stops the reader with the file, line and reason.
 */
class SvcbZoneFileTest {
  private static final Name ORIGIN = name("example.com.");

  private static final String ZONE =
      "$ORIGIN example.com.\n"
          + "$TTL 300\n"
          + "@ SOA ns1 hostmaster 1 3600 600 86400 300\n"
          + "@ NS ns1\n"
          + "ns1 A 192.0.2.1\n"
          + "www A 192.0.2.80\n"
          + "www AAAA 2001:db8::80\n"
          + "@ HTTPS 1 www alpn=h2,h3 no-default-alpn port=8443 ipv4hint=192.0.2.80,192.0.2.81"
          + " ech=AEP+DQA/BAAgACA= ipv6hint=2001:db8:0:0:0:0:0:80 mandatory=alpn,port key65000=abc\n"
          + "@ HTTPS 2 . alpn=\"h2\" key65535=\"with space\"\n"
          + "app HTTPS 0 cdn.example.net.\n"
          + "_8443._foo.api SVCB 1 www key667=hello\n"
          + "_dns SVCB 1 www alpn=dot port=853\n";

  private static Zone read(String text) {
    return ZoneFileReader.forOrigin(ORIGIN).read(text, "svcb.zone").zone();
  }

  private static SVCBBase first(Zone zone, String owner, int type) {
    RecordSet set = zone.get(name(owner), type).orElseThrow();
    return (SVCBBase) set.records().stream().filter(r -> ((SVCBBase) r).getSvcPriority() <= 1).findFirst().orElseThrow();
  }

  @Test
  void everyKeyIsReadAsDnsjavaParametersOfTheRightKind() {
    Zone zone = read(ZONE);

    SVCBBase https = first(zone, "example.com.", Type.HTTPS);
    assertThat(https).isInstanceOf(HTTPSRecord.class);
    assertThat(https.getSvcPriority()).isEqualTo(1);
    assertThat(https.getTargetName()).isEqualTo(name("www.example.com."));
    assertThat(https.getSvcParamKeys())
        .containsExactly(
            SVCBBase.MANDATORY,
            SVCBBase.ALPN,
            SVCBBase.NO_DEFAULT_ALPN,
            SVCBBase.PORT,
            SVCBBase.IPV4HINT,
            SVCBBase.ECH,
            SVCBBase.IPV6HINT,
            65000);
    assertThat(((SVCBBase.ParameterAlpn) https.getSvcParamValue(SVCBBase.ALPN)).getValues()).containsExactly("h2", "h3");
    assertThat(((SVCBBase.ParameterPort) https.getSvcParamValue(SVCBBase.PORT)).getPort()).isEqualTo(8443);
    assertThat(((SVCBBase.ParameterMandatory) https.getSvcParamValue(SVCBBase.MANDATORY)).getValues())
        .containsExactly(SVCBBase.ALPN, SVCBBase.PORT);
    SVCBBase alias = first(zone, "app.example.com.", Type.HTTPS);
    assertThat(alias.getSvcPriority()).isZero();
    assertThat(alias.getTargetName()).isEqualTo(name("cdn.example.net."));
    assertThat(first(zone, "_8443._foo.api.example.com.", Type.SVCB)).isInstanceOf(SVCBRecord.class);
  }

  @Test
  void presentationFormRoundTripsToTheSameRecordsWithRfc5952Hints() {
    Zone zone = read(ZONE);

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(read(text)).isEqualTo(zone);
    assertThat(text.lines())
        .contains(
            "@\t300\tIN\tHTTPS\t1 www.example.com. mandatory=alpn,port alpn=h2,h3 no-default-alpn"
                + " port=8443 ipv4hint=192.0.2.80,192.0.2.81 ech=AEP+DQA/BAAgACA="
                + " ipv6hint=2001:db8::80 key65000=abc",
            "app\t300\tIN\tHTTPS\t0 cdn.example.net.");
    assertThat(ZoneFileWriter.defaults().toText(read(text))).isEqualTo(text);
  }

  @Test
  void theGenericModeWritesSvcbAndHttpsAsUnknownTypesThatReadBackEqual() {
    Zone zone = read(ZONE);

    String text = ZoneFileWriter.defaults().withGenericTypes(Type.SVCB, Type.HTTPS).toText(zone);

    assertThat(text.lines().filter(l -> l.contains("\tHTTPS\t") || l.contains("\tSVCB\t"))).isEmpty();
    assertThat(text.lines()).contains("app\t300\tIN\tTYPE65\t\\# 19 00000363646E076578616D706C65036E657400");
    assertThat(read(text)).isEqualTo(zone);
    assertThat(text.lines()).anyMatch(l -> l.startsWith("www\t300\tIN\tAAAA\t2001:db8::80"));
  }

  @Test
  void theGenericModeAddsToTheGenericAliasTypes() {
    Zone zone = read(ZONE + "@ ALIAS cdn.example.net.\n");

    String text =
        ZoneFileWriter.defaults().withGenericAliasTypes().withGenericTypes(Type.HTTPS).toText(zone);

    assertThat(text.lines()).anyMatch(l -> l.startsWith("@\t300\tIN\tTYPE65401\t\\# "));
    assertThat(text.lines()).anyMatch(l -> l.startsWith("@\t300\tIN\tTYPE65\t\\# "));
    assertThat(text.lines()).anyMatch(l -> l.startsWith("_dns\t300\tIN\tSVCB\t1 "));
    assertThat(read(text)).isEqualTo(zone);
  }

  @Test
  void aTypeCodeOutOfRangeIsRefused() {
    IllegalArgumentException e =
        catchThrowableOfType(() -> ZoneFileWriter.defaults().withGenericTypes(0x10000), IllegalArgumentException.class);

    assertThat(e).hasMessage("type code out of range: 65536");
  }

  @Test
  void anAliasModeRecordWithParamsReadFromGenericFormIsWrittenGenericallySoItReadsBack() {
    // dnsjava reads SvcParams on an AliasMode record only in generic form, and would not read
    // back its own text for it.
    Zone zone =
        read(ZONE + "x HTTPS \\# 26 0000 03777777076578616d706c6503636f6d00 0001 0003 026832\n");

    String text = ZoneFileWriter.defaults().toText(zone);

    assertThat(text.lines()).anyMatch(l -> l.startsWith("x\t300\tIN\tHTTPS\t\\# 26 "));
    assertThat(read(text)).isEqualTo(zone);
  }

  @Test
  void whatDnsjavaRefusesStopsTheReaderWithTheLineAndReason() {
    for (String bad :
        List.of(
            "x HTTPS 1 . alpn=h2 alpn=h3",
            "x HTTPS 1 . mandatory=mandatory",
            "x HTTPS 1 . mandatory=alpn",
            "x HTTPS 0 cdn.example.net. alpn=h2",
            "x HTTPS 1 . port=notanumber")) {
      ZoneFileException e =
          catchThrowableOfType(() -> read(ZONE + bad + "\n"), ZoneFileException.class);

      assertThat(e).as(bad).isNotNull();
      assertThat(e.source()).isEqualTo("svcb.zone");
      assertThat(e.line()).as(bad).isEqualTo(ZONE.lines().count() + 1);
      assertThat(e.reason()).as(bad).isNotBlank();
    }
  }

  @Test
  void namedCheckzoneAndKzonecheckLoadWhatTheWriterWritesInBothForms(@TempDir Path dir) throws IOException {
    Zone zone = read(ZONE);
    for (ZoneFileWriter writer :
        List.of(ZoneFileWriter.defaults(), ZoneFileWriter.defaults().withGenericTypes(Type.SVCB, Type.HTTPS))) {
      Path file = dir.resolve("written.zone");
      Files.writeString(file, writer.toText(zone), StandardCharsets.UTF_8);

      ExternalTool.Run bind = ExternalTool.namedCheckzone("example.com.", file);
      assertThat(bind.exitCode()).as("named-checkzone said:%n%s", bind.output()).isZero();
      ExternalTool.Run knot = ExternalTool.kzonecheck("example.com.", file);
      assertThat(knot.exitCode()).as("kzonecheck said:%n%s", knot.output()).isZero();
    }
  }
}
