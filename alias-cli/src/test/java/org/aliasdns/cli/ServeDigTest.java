package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.FlatteningPolicy.HttpsMode;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * BIND's {@code dig} against what {@code aliasdns serve} runs, on 127.0.0.1, with the fake upstream
 * behind it. Skipped with a printed reason when dig is missing (fails under {@code
 * ALIAS_REQUIRE_TOOLS=1}).
 */
class ServeDigTest {
  private static final Pattern STATUS = Pattern.compile("status: (\\w+),");

  private ServeFixture serve;

  @BeforeEach
  void start() throws Exception {
    ExternalTool.DIG.require();
    serve = ServeFixture.start();
  }

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.close();
    }
  }

  /** What dig printed: the status and the records, split into owner, TTL, class, type, rdata. */
  private record Dig(String text, String status, List<List<String>> records) {
    List<String> rdata(String type) {
      return records.stream().filter(r -> r.get(3).equals(type)).map(r -> r.get(4)).toList();
    }

    List<String> section(String name) {
      List<String> out = new ArrayList<>();
      boolean in = false;
      for (String line : text.split("\n")) {
        if (line.startsWith(";; " + name + " SECTION:")) {
          in = true;
        } else if (line.isBlank()) {
          in = false;
        } else if (in) {
          out.add(line.trim().split("\\s+")[3]);
        }
      }
      return out;
    }
  }

  private Dig dig(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "@127.0.0.1",
                "-p",
                Integer.toString(serve.session.port()),
                "+norec",
                "+time=2",
                "+tries=1"));
    all.addAll(Arrays.asList(args));
    ExternalTool.Run run = ExternalTool.DIG.run(all.toArray(new String[0]));
    assertThat(run.exitCode()).as(run.output()).isZero();
    Matcher m = STATUS.matcher(run.output());
    List<List<String>> records = new ArrayList<>();
    for (String line : run.output().split("\n")) {
      if (!line.isBlank() && !line.startsWith(";")) {
        records.add(Arrays.asList(line.trim().split("\\s+", 5)));
      }
    }
    return new Dig(run.output(), m.find() ? m.group(1) : "", records);
  }

  @Test
  void theApexAddressesAreSynthesized() {
    Dig a = dig("example.com", "A");
    assertThat(a.status()).isEqualTo("NOERROR");
    assertThat(a.text()).contains("flags: qr aa");
    assertThat(a.records()).containsExactly(List.of("example.com.", "60", "IN", "A", "192.0.2.10"));
    assertThat(dig("example.com", "AAAA").rdata("AAAA")).containsExactly("2001:db8::10");
  }

  @Test
  void mxTxtNsAndSoaAtTheApexAreIntact() {
    assertThat(dig("example.com", "MX").rdata("MX")).containsExactly("10 mail.example.com.");
    assertThat(dig("example.com", "TXT").rdata("TXT")).containsExactly("\"v=spf1 -all\"");
    assertThat(dig("example.com", "NS").rdata("NS")).containsExactly("ns1.example.com.");
    assertThat(dig("example.com", "SOA").rdata("SOA"))
        .containsExactly("ns1.example.com. hostmaster.example.com. 2026112101 7200 3600 1209600 300");
  }

  @Test
  void aVanishedTargetLeavesTheApexNoDataWithTheSoa() {
    serve.fake.remove("cdn.example.net.", Type.CNAME); // NXDOMAIN upstream from now on
    serve.advanceAndRefresh(Duration.ofSeconds(400));

    Dig a = dig("example.com", "A");
    assertThat(a.status()).isEqualTo("NOERROR");
    assertThat(a.section("ANSWER")).isEmpty();
    assertThat(a.section("AUTHORITY")).containsExactly("SOA");
    assertThat(a.rdata("SOA")).singleElement().asString().contains(" 2026112102 ");
  }

  @Test
  void anUpstreamDownFromTheStartIsServfailWithItsExtendedErrorThenAnswered() throws Exception {
    serve.close(); // closing twice (again after the test) is harmless
    FakeDns down = ServeFixture.upstream();
    down.inject(Fault.servfail().everywhere());
    serve = ServeFixture.start(down, List.of());

    // RFC 2308 §5 / RFC 8767 §5: SERVFAIL, not an empty NOERROR; EDE 22 names the target.
    Dig a = dig("example.com", "A");
    assertThat(a.status()).isEqualTo("SERVFAIL");
    assertThat(a.text()).contains("EDE: 22 (No Reachable Authority)").contains("cdn.example.net.");
    assertThat(dig("example.com", "MX").rdata("MX")).containsExactly("10 mail.example.com.");

    down.clearFaults();
    serve.advanceAndRefresh(Duration.ofMinutes(10)); // past the retry backoff
    assertThat(dig("example.com", "A").rdata("A")).containsExactly("192.0.2.10");
  }

  @Test
  void httpsAnswersCarryTheirAdditionalRecordsAndAliasNamesCoPublishAliasMode() throws Exception {
    serve.close(); // closing twice (again after the test) is harmless
    serve =
        ServeFixture.start(
            ServeFixture.upstream(),
            ServeFixture.ZONE
                + "svc HTTPS 1 . alpn=h2\n"
                + "svc A 192.0.2.44\n"
                + "www HTTPS 1 svc alpn=h3\n",
            b -> b.policy(FlatteningPolicy.builder().httpsAliasMode(true).build()));

    // RFC 9460 §2.4.2: the apex ALIAS also publishes AliasMode to its target.
    Dig apex = dig("example.com", "HTTPS");
    assertThat(apex.status()).isEqualTo("NOERROR");
    assertThat(apex.rdata("HTTPS")).containsExactly("0 cdn.example.net.");
    // RFC 9460 §4.1: a ServiceMode target inside the zone comes with its address.
    Dig www = dig("www.example.com", "HTTPS");
    assertThat(www.rdata("HTTPS")).containsExactly("1 svc.example.com. alpn=\"h3\"");
    assertThat(www.section("ADDITIONAL")).contains("A");
    assertThat(www.rdata("A")).containsExactly("192.0.2.44");
  }

  @Test
  void withHttpsFlattenedTheApexAnswersItsTargetsServiceModeRecordsAndFollowsAChange()
      throws Exception {
    serve.close(); // closing twice (again after the test) is harmless
    FakeDns upstream = ServeFixture.upstream();
    // The target's HTTPS RRset sits at the end of its CNAME, with a TargetName of ".".
    upstream.add("edge.cdn.example.net. 60 HTTPS 1 . alpn=h2 ipv4hint=192.0.2.10");
    serve =
        ServeFixture.start(
            upstream,
            ServeFixture.ZONE,
            b -> b.policy(FlatteningPolicy.builder().https(HttpsMode.FLATTEN).build()));

    // RFC 9460 §2.5.2: "." meant edge.cdn.example.net., the owner it was copied from; TTL
    // min(ALIAS 300, CNAME 300, HTTPS 60).
    Dig apex = dig("example.com", "HTTPS");
    assertThat(apex.status()).isEqualTo("NOERROR");
    assertThat(apex.records())
        .containsExactly(
            List.of(
                "example.com.", "60", "IN", "HTTPS",
                "1 edge.cdn.example.net. alpn=\"h2\" ipv4hint=192.0.2.10"));
    String serial = dig("example.com", "SOA").rdata("SOA").get(0).split(" ")[2];

    upstream.replace("edge.cdn.example.net. 60 HTTPS 1 . alpn=h2,h3 ipv4hint=192.0.2.10");
    serve.advanceAndRefresh(Duration.ofMinutes(10));

    assertThat(dig("example.com", "HTTPS").rdata("HTTPS"))
        .containsExactly("1 edge.cdn.example.net. alpn=\"h2,h3\" ipv4hint=192.0.2.10");
    String moved = dig("example.com", "SOA").rdata("SOA").get(0).split(" ")[2];
    assertThat(Long.parseLong(moved)).isEqualTo(Long.parseLong(serial) + 1);
    assertThat(serve.log)
        .contains(
            "cdn.example.net. HTTPS: [1 . alpn=h2 ipv4hint=192.0.2.10] -> [1 . alpn=h2,h3"
                + " ipv4hint=192.0.2.10] serial " + moved);
    // The zone transfer carries the same record.
    assertThat(dig("example.com", "AXFR").rdata("HTTPS"))
        .containsExactly("1 edge.cdn.example.net. alpn=\"h2,h3\" ipv4hint=192.0.2.10");
  }

  @Test
  void aLargeAnswerIsTruncatedThenFetchedOverTcp() {
    Dig many = dig("+bufsize=512", "many.example.com", "A");
    assertThat(many.text()).contains(";; Truncated, retrying in TCP mode.");
    assertThat(many.status()).isEqualTo("NOERROR");
    assertThat(many.rdata("A")).hasSize(40).contains("192.0.2.100", "192.0.2.139");
  }

  @Test
  void aZoneTransferCarriesTheFlattenedAddresses() {
    Dig axfr = dig("example.com", "AXFR");
    assertThat(axfr.records()).extracting(r -> r.get(3)).doesNotContain("TYPE65401", "ALIAS");
    assertThat(axfr.records())
        .contains(List.of("example.com.", "60", "IN", "A", "192.0.2.10"));
  }
}
