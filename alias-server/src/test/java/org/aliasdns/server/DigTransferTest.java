package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.core.tools.ExternalTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BIND's {@code dig} transferring from a {@link ZoneHandler} that requires TSIG (RFC 8945), with
 * {@code -y}, and asking {@code IXFR=serial} (RFC 1995). Skipped with a printed reason when dig
 * is missing (fails under {@code ALIAS_REQUIRE_TOOLS=1}).
 */
class DigTransferTest {
  private static final TsigKey KEY = TsigTransferTest.KEY;
  private static final Pattern XFR_SIZE =
      Pattern.compile(";; XFR size: (\\d+) records \\(messages (\\d+), bytes \\d+\\)");

  private ZoneHandler handler;
  private DnsServer server;

  @BeforeEach
  void start() throws Exception {
    ExternalTool.DIG.require();
    handler =
        ZoneHandler.builder()
            .tsigKeys(List.of(KEY))
            .transferAcl(
                TransferAcl.builder()
                    .allowKey(KEY.name())
                    .requireTsig(true)
                    .loopbackExempt(false)
                    .build())
            .build();
    handler.serve(Zones.example());
    handler.serve(Zones.big(2000));
    server = DnsServer.builder(handler).build().start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String dig(String... args) {
    List<String> all =
        new ArrayList<>(List.of("@127.0.0.1", "-p", Integer.toString(server.port()), "+tries=1",
            "+time=5"));
    all.addAll(Arrays.asList(args));
    return ExternalTool.DIG.run(all.toArray(String[]::new)).output();
  }

  private static String y(TsigKey key) {
    return key.algorithmMnemonic() + ":" + key.name().toString(true) + ":" + key.secretBase64();
  }

  private static List<String> recordLines(String output) {
    List<String> out = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank() && !line.startsWith(";")) {
        out.add(line);
      }
    }
    return out;
  }

  @Test
  void digWithTheKeyTransfersEveryMessageSignedAndVerified() {
    String out = dig("-y", y(KEY), "big.example.", "AXFR");
    Matcher size = XFR_SIZE.matcher(out);
    assertThat(size.find()).as(out).isTrue();
    int messages = Integer.parseInt(size.group(2));
    assertThat(messages).isGreaterThan(5);
    assertThat(out).doesNotContain("failure").doesNotContain("Transfer failed");
    // dig shows each message's TSIG record, and stops at the first that does not verify.
    long tsigs = recordLines(out).stream().filter(l -> l.contains("\tTSIG\t") || l.contains(" TSIG ")).count();
    assertThat(tsigs).isEqualTo(messages);
    assertThat(Long.parseLong(size.group(1))) // dig does not count the TSIG records
        .isEqualTo(handler.zone(Wire.name("big.example.")).orElseThrow().recordCount() + 1);
  }

  @Test
  void digWithoutTheKeyIsRefusedAndWithAWrongSecretSeesBadsig() {
    assertThat(dig("example.com.", "AXFR")).contains("Transfer failed");
    String wrong = dig("-y", y(TsigTransferTest.WRONG_SECRET), "example.com.", "AXFR");
    assertThat(wrong).contains("Transfer failed");
    assertThat(recordLines(wrong)).noneMatch(l -> l.contains("\tSOA\t"));
    String status = dig("-y", y(TsigTransferTest.WRONG_SECRET), "example.com.", "SOA");
    assertThat(status).contains("status: NOTAUTH").contains("BADSIG");
    String unknown = dig("-y", y(TsigTransferTest.OTHER), "example.com.", "SOA");
    assertThat(unknown).contains("status: NOTAUTH").contains("BADKEY");
  }

  @Test
  void digIxfrGetsTheDifferencesSinceItsSerial() {
    handler.serve(Zones.exampleChanged(2, "192.0.2.11"));
    handler.serve(Zones.exampleChanged(3, "192.0.2.12"));
    String out = dig("-y", y(KEY), "example.com.", "IXFR=1");
    assertThat(out).doesNotContain("failure");
    List<String> records =
        recordLines(out).stream().filter(l -> !l.contains("TSIG")).toList();
    // new SOA, old SOA, host .10 out, new SOA, host .12 in, new SOA
    assertThat(records).hasSize(6);
    assertThat(records.get(1)).contains(" 1 7200 ");
    assertThat(records.get(2)).contains("host.example.com.").endsWith("192.0.2.10");
    assertThat(records.get(4)).contains("host.example.com.").endsWith("192.0.2.12");
    assertThat(records.get(0)).contains(" 3 7200 ");
  }
}
