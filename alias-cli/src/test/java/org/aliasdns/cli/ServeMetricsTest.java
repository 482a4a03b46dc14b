package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@code aliasdns serve --metrics}: the JDK's HTTP client scrapes the session's exporter on
 * loopback, and the values move with what the server does.
 */
class ServeMetricsTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private DatagramSocket secondary;
  private Thread acknowledging;
  private ServeFixture serve;

  @BeforeEach
  void start() throws IOException {
    // a secondary that acknowledges every NOTIFY (RFC 1996 §4.7), until closed
    secondary = new DatagramSocket(new InetSocketAddress(loopback(), 0));
    acknowledging = new Thread(this::acknowledge, "notify-acknowledger");
    acknowledging.setDaemon(true);
    acknowledging.start();
    InetSocketAddress metricsAt = new InetSocketAddress(loopback(), 0);
    serve =
        ServeFixture.start(
            ServeFixture.upstream(),
            ServeFixture.ZONE,
            b -> b.metrics(metricsAt)
                .notify(List.of((InetSocketAddress) secondary.getLocalSocketAddress())));
  }

  @AfterEach
  void stop() throws InterruptedException {
    serve.close();
    secondary.close();
    acknowledging.join(5_000);
  }

  private void acknowledge() {
    byte[] buf = new byte[512];
    while (!secondary.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        secondary.receive(in);
        Message notify = new Message(java.util.Arrays.copyOf(buf, in.getLength()));
        Message ack = new Message(notify.getHeader().getID());
        ack.getHeader().setFlag(Flags.QR);
        ack.getHeader().setFlag(Flags.AA);
        ack.getHeader().setOpcode(Opcode.NOTIFY);
        ack.addRecord(notify.getQuestion(), Section.QUESTION);
        byte[] out = ack.toWire();
        secondary.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static InetAddress loopback() throws IOException {
    return Address.getByAddress("127.0.0.1");
  }

  /** Scrapes /metrics: each sample line as {@code name{labels}} to its value. */
  private Map<String, Double> scrape() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + serve.session.metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain"));
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  @Test
  void queriesServedMoveTheQueryCounters() throws Exception {
    Map<String, Double> before = scrape();
    for (int i = 0; i < 3; i++) {
      serve.ask("example.com.", Type.A);
    }
    Map<String, Double> after = scrape();

    assertThat(value(after, "aliasdns_dns_queries_total{transport=\"udp\"}"))
        .isEqualTo(value(before, "aliasdns_dns_queries_total{transport=\"udp\"}") + 3);
    assertThat(after).containsKeys(
        "aliasdns_dns_responses_limited_total{action=\"dropped\"}",
        "aliasdns_dns_responses_limited_total{action=\"slipped\"}",
        "aliasdns_tcp_connections_open",
        "aliasdns_resolver_queries_sent_total");
    assertThat(value(after, "aliasdns_resolver_queries_sent_total")).isPositive(); // the first resolution
  }

  @Test
  void aMovedTargetMovesTheSerialTheChangeCountAndANotifyIsCounted() throws Exception {
    Map<String, Double> before = awaitNotifies(1); // the one sent when serving started
    long serial = serve.session.published().serial();
    assertThat(value(before, "aliasdns_zone_serial{zone=\"example.com.\"}")).isEqualTo((double) serial);
    assertThat(value(before, "aliasdns_zone_aliases{status=\"fresh\",zone=\"example.com.\"}"))
        .isEqualTo(2.0); // the apex, A and AAAA
    double notifies = notifies(before);

    serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.20");
    serve.advanceAndRefresh(Duration.ofSeconds(400));

    Map<String, Double> after = scrape();
    assertThat(value(after, "aliasdns_zone_serial{zone=\"example.com.\"}")).isEqualTo(serial + 1.0);
    assertThat(value(after, "aliasdns_zone_serial_changes_total{zone=\"example.com.\"}"))
        .isEqualTo(value(before, "aliasdns_zone_serial_changes_total{zone=\"example.com.\"}") + 1);
    after = awaitNotifies(notifies + 1); // sent in the background, counted when answered
    assertThat(notifies(after)).isEqualTo(notifies + 1);
    assertThat(value(after, "aliasdns_notify_total{status=\"acknowledged\"}"))
        .isEqualTo(value(before, "aliasdns_notify_total{status=\"acknowledged\"}") + 1);
  }

  @Test
  void aFailingTargetShowsAsStaleAliases() throws Exception {
    serve.fake.inject(Fault.servfail().everywhere());
    serve.advanceAndRefresh(Duration.ofSeconds(400));

    Map<String, Double> after = scrape();
    assertThat(value(after, "aliasdns_zone_aliases{status=\"stale\",zone=\"example.com.\"}"))
        .isEqualTo(2.0);
    assertThat(value(after, "aliasdns_zone_aliases{status=\"fresh\",zone=\"example.com.\"}"))
        .isEqualTo(0.0);
    assertThat(value(after, "aliasdns_resolver_upstream_failures_total")).isPositive();
  }

  @Test
  void eachUpstreamServerShowsItsStateQueriesAndFailures() throws Exception {
    String label = "{upstream=\"" + HostPort.format(serve.fake.address()) + "\"}";
    Map<String, Double> before = scrape();
    assertThat(value(before, "aliasdns_upstream_up" + label)).isEqualTo(1.0);
    assertThat(value(before, "aliasdns_upstream_queries_total" + label)).isPositive();
    assertThat(value(before, "aliasdns_upstream_failures_total" + label)).isZero();

    serve.fake.inject(Fault.servfail().everywhere());
    serve.advanceAndRefresh(Duration.ofSeconds(400)); // A and AAAA fail: 2 in a row
    serve.advanceAndRefresh(Duration.ofSeconds(400)); // 4 in a row: down after 3

    Map<String, Double> after = scrape();
    assertThat(value(after, "aliasdns_upstream_up" + label)).isZero();
    assertThat(value(after, "aliasdns_upstream_failures_total" + label)).isGreaterThanOrEqualTo(3);
    assertThat(value(after, "aliasdns_upstream_timeouts_total" + label)).isZero();
    String name = HostPort.format(serve.fake.address());
    assertThat(serve.warnings.stream().filter(w -> w.startsWith("upstream ")))
        .containsExactly(
            "upstream " + name + " is down: 3 failures in a row, the last: upstream answered"
                + " SERVFAIL for cdn.example.net.");

    serve.fake.clearFaults();
    serve.advanceAndRefresh(Duration.ofSeconds(400)); // all down: still asked, and up again
    assertThat(value(scrape(), "aliasdns_upstream_up" + label)).isEqualTo(1.0);
    assertThat(serve.log).contains("upstream " + name + " is up again");
  }

  @Test
  void aZoneAddedByAReloadIsScrapedAndARemovedOneIsNoMore() throws Exception {
    ServeSession.ZoneSpec com =
        java.util.Objects.requireNonNull(
            serve.session.zones().get(org.xbill.DNS.Name.fromConstantString("example.com.")));
    ServeSession.ZoneSpec org =
        new ServeSession.ZoneSpec(
            MultiZoneServeTest.zone("example.org.", 5, "@ 300 ALIAS cdn.example.net."),
            com.policy());

    serve.session.reload(List.of(com, org));
    Map<String, Double> both = scrape();
    serve.session.reload(List.of(org));
    Map<String, Double> orgOnly = scrape();

    assertThat(value(both, "aliasdns_zone_serial{zone=\"example.org.\"}")).isEqualTo(5.0);
    assertThat(value(both, "aliasdns_zone_aliases{status=\"fresh\",zone=\"example.org.\"}"))
        .isEqualTo(2.0);
    assertThat(both).containsKey("aliasdns_zone_serial{zone=\"example.com.\"}");
    assertThat(orgOnly).containsKey("aliasdns_zone_serial{zone=\"example.org.\"}");
    assertThat(orgOnly.keySet()).noneMatch(k -> k.contains("zone=\"example.com.\""));
  }

  @Test
  void zoneTransfersAreCountedByKindAndOutcome() throws Exception {
    Map<String, Double> before = scrape();
    assertThat(value(before, "aliasdns_transfers_total{result=\"served\",type=\"axfr\"}")).isZero();
    org.xbill.DNS.Name origin = org.xbill.DNS.Name.fromConstantString("example.com.");

    // AXFR (RFC 5936), from loopback, which may transfer by default.
    org.xbill.DNS.ZoneTransferIn axfr =
        org.xbill.DNS.ZoneTransferIn.newAXFR(origin, serve.session.address(), null);
    axfr.setTimeout(Duration.ofSeconds(5));
    axfr.run();
    assertThat(axfr.getAXFR()).isNotEmpty();
    // IXFR (RFC 1995) from the current serial: "up to date", a served transfer too.
    org.xbill.DNS.ZoneTransferIn ixfr =
        org.xbill.DNS.ZoneTransferIn.newIXFR(
            origin, serve.session.published().serial(), false, serve.session.address(), null);
    ixfr.setTimeout(Duration.ofSeconds(5));
    ixfr.run();
    // An AXFR of a zone not served: REFUSED.
    org.xbill.DNS.ZoneTransferIn refused =
        org.xbill.DNS.ZoneTransferIn.newAXFR(
            org.xbill.DNS.Name.fromConstantString("example.org."), serve.session.address(), null);
    refused.setTimeout(Duration.ofSeconds(5));
    org.assertj.core.api.Assertions.assertThatThrownBy(refused::run)
        .isInstanceOf(org.xbill.DNS.ZoneTransferException.class);

    Map<String, Double> after = scrape();
    assertThat(value(after, "aliasdns_transfers_total{result=\"served\",type=\"axfr\"}")).isEqualTo(1.0);
    assertThat(value(after, "aliasdns_transfers_total{result=\"served\",type=\"ixfr\"}")).isEqualTo(1.0);
    assertThat(value(after, "aliasdns_transfers_total{result=\"refused\",type=\"axfr\"}")).isEqualTo(1.0);
    assertThat(value(after, "aliasdns_transfers_total{result=\"refused\",type=\"ixfr\"}")).isZero();
  }

  /** One sample's value; the test fails if the scrape did not have it. */
  private static double value(Map<String, Double> samples, String key) {
    Double v = samples.get(key);
    assertThat(v).as("sample %s in %s", key, samples.keySet()).isNotNull();
    return v == null ? Double.NaN : v;
  }

  /** Scrapes until the NOTIFY results counted reach a number, for at most 10 s. */
  private Map<String, Double> awaitNotifies(double atLeast) throws Exception {
    Map<String, Double> samples = scrape();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (notifies(samples) < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(20);
      samples = scrape();
    }
    return samples;
  }

  private static double notifies(Map<String, Double> samples) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().startsWith("aliasdns_notify_total{"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }
}
