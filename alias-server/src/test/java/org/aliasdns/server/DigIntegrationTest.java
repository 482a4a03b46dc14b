package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.aliasdns.core.tools.ExternalTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BIND's {@code dig} against a {@link DnsServer} with a {@link ZoneHandler} on 127.0.0.1: plain
 * answers on both transports, truncation and the retry over TCP, zone transfer, and the apex alias.
 * Skipped with a printed reason when dig is missing (fails under {@code ALIAS_REQUIRE_TOOLS=1}).
 */
class DigIntegrationTest {
  private static final Pattern HEADER = Pattern.compile("status: (\\w+), id: (\\d+)");
  private static final Pattern FLAGS = Pattern.compile(";; flags:([a-z ]*);");

  private static DnsServer server;

  @BeforeAll
  static void start() throws Exception {
    ExternalTool.DIG.require();
    ZoneHandler handler = ZoneHandler.builder().clock(InstantSource.fixed(Zones.NOW)).build();
    handler.update(List.of(Zones.example(), Zones.big(200)), Zones.resolvedTo("192.0.2.80"));
    server = DnsServer.builder(handler).build().start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** What dig printed, read the way a person reads it. */
  record DigOutput(String text, String status, List<String> flags, List<List<String>> records) {
    static DigOutput parse(String text) {
      Matcher header = HEADER.matcher(text);
      String status = header.find() ? header.group(1) : "";
      Matcher flags = FLAGS.matcher(text);
      List<String> flagList =
          flags.find() ? Arrays.asList(flags.group(1).trim().split(" +")) : List.of();
      List<List<String>> records = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith(";")) {
          continue;
        }
        records.add(Arrays.asList(line.trim().split("\\s+", 5)));
      }
      return new DigOutput(text, status, flagList, records);
    }

    List<String> types() {
      return records.stream().map(r -> r.get(3)).collect(Collectors.toList());
    }

    List<String> rdata(String type) {
      return records.stream()
          .filter(r -> r.get(3).equals(type))
          .map(r -> r.get(4))
          .collect(Collectors.toList());
    }
  }

  private static DigOutput dig(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "@127.0.0.1",
                "-p",
                Integer.toString(server.port()),
                "+norec",
                "+time=2",
                "+tries=1"));
    all.addAll(Arrays.asList(args));
    ExternalTool.Run run = ExternalTool.DIG.run(all.toArray(new String[0]));
    assertThat(run.exitCode()).as(run.output()).isZero();
    return DigOutput.parse(run.output());
  }

  @Test
  void aPlainQueryOverUdp() {
    DigOutput out = dig("host.example.com", "A");
    assertThat(out.status()).isEqualTo("NOERROR");
    assertThat(out.flags()).contains("qr", "aa").doesNotContain("tc");
    assertThat(out.records())
        .containsExactly(List.of("host.example.com.", "3600", "IN", "A", "192.0.2.10"));
  }

  @Test
  void aPlainQueryOverTcp() {
    DigOutput out = dig("+tcp", "mail.example.com", "AAAA");
    assertThat(out.status()).isEqualTo("NOERROR");
    assertThat(out.rdata("AAAA")).containsExactly("2001:db8::2");
  }

  @Test
  void aNameOutsideTheZonesIsRefused() {
    DigOutput out = dig("www.example.org", "A");
    assertThat(out.status()).isEqualTo("REFUSED");
    assertThat(out.flags()).doesNotContain("aa");
  }

  @Test
  void theApexAliasIsSynthesized() {
    DigOutput out = dig("example.com", "A");
    assertThat(out.status()).isEqualTo("NOERROR");
    assertThat(out.records())
        .containsExactly(List.of("example.com.", "300", "IN", "A", "192.0.2.80"));
  }

  @Test
  void aLargeAnswerIsTruncatedAndDigRetriesOverTcp() {
    DigOutput out = dig("+bufsize=512", "many.big.example", "A");
    assertThat(out.text()).contains(";; Truncated, retrying in TCP mode.");
    assertThat(out.status()).isEqualTo("NOERROR");
    assertThat(out.rdata("A")).hasSize(40).contains("192.0.2.100", "192.0.2.139");
  }

  @Test
  void withIgnoreDigShowsTheTcFlag() {
    DigOutput out = dig("+ignore", "+bufsize=512", "many.big.example", "A");
    assertThat(out.flags()).contains("tc");
    assertThat(out.rdata("A")).isEmpty();
  }

  @Test
  void axfrGivesEveryRecordBetweenTwoSoas() {
    DigOutput out = dig("big.example", "AXFR");
    List<String> types = out.types();
    assertThat(types.get(0)).isEqualTo("SOA");
    assertThat(types.get(types.size() - 1)).isEqualTo("SOA");
    // SOA, NS, ns1 A, 200 TXT, 40 A, SOA
    assertThat(types).hasSize(1 + 1 + 1 + 200 + 40 + 1);
    assertThat(out.text()).containsPattern("XFR size: 244 records");
  }

  @Test
  void axfrCarriesTheAliasRecordAsTheZoneHoldsIt() {
    DigOutput out = dig("example.com", "AXFR");
    assertThat(out.types()).contains("TYPE65401");
    assertThat(out.types()).hasSize((int) Zones.example().recordCount() + 1);
  }
}
