package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.core.tools.CatalogSecondary;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.tools.NsdSecondary;
import org.aliasdns.testkit.FakeDns;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * An operator's whole path, in one lifetime of the executable jar: {@code aliasdns serve --config}
 * with several zones, a TSIG key required for transfers, a catalog, rate limiting and metrics; a
 * real Knot configured as the README shows (nothing but the catalog and the key) picks up every
 * zone; a target moves and the new serial and addresses reach Knot; {@code kill -HUP} after the
 * configuration gained a zone has Knot serve it too; a burst of queries from one client is rate
 * limited (dropped, and every second one slipped as a truncated answer); the metrics endpoint,
 * scraped by the JDK's HTTP client, shows the serials, the transfers, the NOTIFY results and the
 * limited responses; SIGTERM (what {@code systemctl stop} sends) ends the process, which leaves
 * no process and no bound port behind. Skipped with a printed reason when knotd is missing
 * (failed under {@code ALIAS_REQUIRE_TOOLS=1}).
 */
class OperatorPathIT {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern METRICS =
      Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");
  private static final Name A = Name.fromConstantString("a.example.");
  private static final Name B = Name.fromConstantString("b.example.");
  private static final Name C = Name.fromConstantString("c.example.");

  @TempDir Path dir;

  private static String config(FakeDns fake, int knotPort, String... zones) {
    StringBuilder b =
        new StringBuilder(
            "server:\n"
                + "  listen: 127.0.0.1:0\n"
                + "  upstreams: [" + ServeSession.text(fake.address()) + "]\n"
                + "  timeout: 2\n"
                + "  metrics: 127.0.0.1:0\n"
                + "  catalog: catalog.invalid.\n"
                + "  rate-limit:\n"
                + "    responses-per-second: 20\n"
                + "    slip: 2\n"
                + "  require-tsig: true\n"
                + "  loopback-exemption: false\n"
                + "key:\n"
                + "  - id: transfer.\n"
                + "    algorithm: hmac-sha256\n"
                + "    secret: \"" + CatalogReloadSecondaryTest.SECRET + "\"\n"
                + "remote:\n"
                + "  - id: ns2\n"
                + "    address: 127.0.0.1:" + knotPort + "\n"
                + "    key: transfer.\n"
                + "zone:\n"
                + "  - domain: a.example.\n    file: a.example.zone\n"
                + "  - domain: b.example.\n    file: b.example.zone\n    https: alias-mode\n");
    for (String z : zones) {
      b.append("  - domain: ").append(z).append("\n    file: ").append(z).append("zone\n");
    }
    return b.toString();
  }

  @Test
  void configStartSecondariesChangeReloadRateLimitMetricsStop() throws Exception {
    ExternalTool.KNOTD.require();
    int knotPort = NsdSecondary.freePort();
    Path knotDir = Files.createDirectory(dir.resolve("knot"));
    try (FakeDns fake = CatalogReloadSecondaryTest.upstream()) {
      Files.writeString(dir.resolve("a.example.zone"),
          CatalogReloadSecondaryTest.zoneText(1, "www A 192.0.2.81\n"));
      Files.writeString(dir.resolve("b.example.zone"), CatalogReloadSecondaryTest.zoneText(1, ""));
      Files.writeString(dir.resolve("c.example.zone"),
          CatalogReloadSecondaryTest.zoneText(7, "mail A 192.0.2.82\n"));
      Path config = dir.resolve("aliasdns.yaml");
      Files.writeString(config, config(fake, knotPort));
      Path stderr = dir.resolve("stderr.txt");
      Process serve =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  Objects.requireNonNull(System.getProperty("aliasdns.jar")),
                  "serve",
                  "--config",
                  config.toString())
              .redirectError(stderr.toFile())
              .start();
      int port;
      int metricsPort;
      try {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        port = group(LISTENING, out.readLine(), stderr);
        metricsPort = group(METRICS, out.readLine(), stderr);

        try (CatalogSecondary knot =
            ReadmeSecondaries.start(CatalogSecondary.Kind.KNOT, knotDir, knotPort, port)) {
          // Every zone reaches the secondary from the catalog alone.
          long a1 = serial(port, A);
          long b1 = serial(port, B);
          knot.await(A, a1);
          knot.await(B, b1);
          assertThat(knot.addresses(A, Type.A)).containsExactly("192.0.2.10");
          // b.example. says https: alias-mode: its apex co-publishes HTTPS 0 <target> (RFC 9460).
          assertThat(rdata(knot.query(B, Type.HTTPS), Type.HTTPS))
              .containsExactly("0 cdn.example.net.");
          assertThat(rdata(knot.query(A, Type.HTTPS), Type.HTTPS)).isEmpty();

          // The target moves: one new serial per zone, logged, and the secondary follows.
          fake.replace("edge.cdn.example.net. 1 A 192.0.2.20");
          await(() -> serial(port, A) == a1 + 1 && serial(port, B) == b1 + 1, "new serials", stderr);
          knot.await(A, a1 + 1);
          knot.await(B, b1 + 1);
          assertThat(knot.addresses(A, Type.A)).containsExactly("192.0.2.20");
          assertThat(knot.addresses(B, Type.A)).containsExactly("192.0.2.20");
          assertThat(Files.readString(stderr))
              .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z INFO aliasdns - a\\.example\\. A"
                  + " \\[192\\.0\\.2\\.10\\] -> \\[192\\.0\\.2\\.20\\] serial " + (a1 + 1) + "$");

          // The configuration gains a zone; SIGHUP (systemctl reload) reads it.
          Files.writeString(config, config(fake, knotPort, "c.example."));
          hangup(serve);
          await(() -> serial(port, C) == 7, "c.example. served", stderr);
          knot.await(C, 7);
          assertThat(knot.addresses(Name.fromConstantString("mail.c.example."), Type.A))
              .containsExactly("192.0.2.82");
          await(() -> read(stderr).contains(
                  "reloaded " + config + ": 1 added, 0 removed, 0 changed, 2 unchanged"),
              "the reload logged", stderr);
          knot.await(A, a1 + 1);

          // An amplification-style burst from one address: over 20 responses a second, one in
          // two is slipped (TC, header and question only) and the rest dropped.
          Burst burst = burst(port, 300);
          System.out.println("OperatorPathIT: " + burst);
          assertThat(burst.full()).as("%s", burst).isBetween(1, 100);
          assertThat(burst.truncated()).as("%s", burst).isPositive();
          assertThat(burst.full() + burst.truncated()).as("%s", burst).isLessThan(300);
          Thread.sleep(1_100); // the client's bucket fills again

          // The metrics, scraped over HTTP.
          Map<String, Double> m = scrape(metricsPort);
          assertThat(value(m, "aliasdns_zone_serial{zone=\"a.example.\"}")).isEqualTo(a1 + 1.0);
          assertThat(value(m, "aliasdns_zone_serial{zone=\"b.example.\"}")).isEqualTo(b1 + 1.0);
          assertThat(value(m, "aliasdns_zone_serial{zone=\"c.example.\"}")).isEqualTo(7.0);
          assertThat(value(m, "aliasdns_zone_aliases{status=\"fresh\",zone=\"a.example.\"}"))
              .isEqualTo(2.0);
          // catalog, a, b, c: whole; a and b after the move: by IXFR (Knot asks IXFR).
          assertThat(value(m, "aliasdns_transfers_total{result=\"served\",type=\"axfr\"}")
                  + value(m, "aliasdns_transfers_total{result=\"served\",type=\"ixfr\"}"))
              .isGreaterThanOrEqualTo(6.0);
          assertThat(value(m, "aliasdns_transfers_total{result=\"served\",type=\"ixfr\"}"))
              .isGreaterThanOrEqualTo(2.0);
          // a and b after the move, c and the catalog after the reload (those sent at start,
          // before Knot ran, timed out)
          assertThat(value(m, "aliasdns_notify_total{status=\"acknowledged\"}"))
              .isGreaterThanOrEqualTo(3.0);
          assertThat(value(m, "aliasdns_dns_responses_limited_total{action=\"slipped\"}"))
              .isGreaterThanOrEqualTo((double) burst.truncated());
          assertThat(value(m, "aliasdns_dns_responses_limited_total{action=\"dropped\"}"))
              .isPositive();
          assertThat(knot.log()).doesNotContain("denied");
        }
      } finally {
        serve.destroy(); // SIGTERM, as systemctl stop sends
        if (!serve.waitFor(30, TimeUnit.SECONDS)) {
          serve.destroyForcibly();
          serve.waitFor(10, TimeUnit.SECONDS);
        }
      }
      // Stopped: the JVM ended by SIGTERM (128 + 15), nothing of it left running, every
      // port it bound free again.
      assertThat(serve.exitValue()).as("stderr: %s", read(stderr)).isEqualTo(143);
      assertThat(serve.toHandle().isAlive()).isFalse();
      assertThat(serve.toHandle().descendants()).isEmpty();
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
          ServerSocket tcp = new ServerSocket()) {
        tcp.bind(new InetSocketAddress("127.0.0.1", port));
        assertThat(udp.isBound()).isTrue();
      }
      try (ServerSocket http = new ServerSocket()) {
        http.bind(new InetSocketAddress("127.0.0.1", metricsPort));
      }
    }
  }

  private static int group(Pattern p, @Nullable String line, Path stderr) {
    if (line == null) {
      throw new AssertionError("stdout ended early; stderr: " + read(stderr));
    }
    Matcher m = p.matcher(line);
    assertThat(m.matches()).as("%s; stderr: %s", line, read(stderr)).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void hangup(Process serve) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(serve.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** The SOA serial our server publishes for a zone, or -1 when it serves none. */
  private static long serial(int port, Name zone) {
    try {
      SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
      r.setTimeout(Duration.ofSeconds(2));
      Message reply = r.send(Message.newQuery(Record.newRecord(zone, Type.SOA, 1)));
      if (reply.getRcode() == Rcode.NOERROR) {
        for (Record rec : reply.getSection(Section.ANSWER)) {
          if (rec instanceof SOARecord soa) {
            return soa.getSerial();
          }
        }
      }
    } catch (IOException e) {
      // not answered: -1
    }
    return -1;
  }

  private static List<String> rdata(Message reply, int type) {
    return reply.getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type)
        .map(Record::rdataToString)
        .toList();
  }

  private static void await(BooleanSupplier condition, String what, Path stderr)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(40);
    while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(condition.getAsBoolean()).as("%s; stderr: %s", what, read(stderr)).isTrue();
  }

  /** What a burst of UDP queries from one socket drew. */
  record Burst(int sent, int full, int truncated) {}

  /** Sends queries as fast as the socket takes them, then counts replies until 1 s of silence. */
  private static Burst burst(int port, int count) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setReceiveBufferSize(1 << 20);
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
      for (int i = 0; i < count; i++) {
        Message q = Message.newQuery(Record.newRecord(A, Type.A, 1));
        q.getHeader().setID(i);
        byte[] wire = q.toWire();
        socket.send(new DatagramPacket(wire, wire.length, to));
      }
      int full = 0;
      int truncated = 0;
      socket.setSoTimeout(1_000);
      byte[] buf = new byte[4096];
      while (true) {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(in);
        } catch (SocketTimeoutException silence) {
          break;
        }
        Message reply = new Message(java.util.Arrays.copyOf(buf, in.getLength()));
        if (reply.getHeader().getFlag(Flags.TC)) {
          assertThat(reply.getSection(Section.ANSWER)).isEmpty();
          truncated++;
        } else {
          assertThat(reply.getSection(Section.ANSWER)).isNotEmpty();
          full++;
        }
      }
      return new Burst(count, full, truncated);
    }
  }

  private static Map<String, Double> scrape(int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
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

  private static double value(Map<String, Double> samples, String key) {
    Double v = samples.get(key);
    assertThat(v).as("sample %s in %s", key, samples.keySet()).isNotNull();
    return v == null ? Double.NaN : v;
  }
}
