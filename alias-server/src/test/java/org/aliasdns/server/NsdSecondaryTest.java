package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.aliasdns.core.FlattenedZone;
import org.aliasdns.core.Flattener;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;
import org.aliasdns.core.tools.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * NSD as a secondary of our server, both on 127.0.0.1: NSD transfers the flattened zone from us;
 * after the alias target moves, we flatten again (the serial moves on), send NOTIFY, and NSD
 * transfers and serves the new address. Skipped with a printed reason without NSD.
 */
class NsdSecondaryTest {

  @Test
  void nsdTransfersTheFlattenedZoneAndFollowsANotify(@TempDir Path dir) throws Exception {
    Path nsd = ExternalTool.NSD.require();
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());
    Zone source = Zones.example();
    FlattenedZone first =
        flattener.flatten(source, Zones.resolvedTo("192.0.2.80"), Zones.NOW, null);

    ZoneHandler handler = ZoneHandler.builder().clock(InstantSource.fixed(Zones.NOW)).build();
    handler.serve(first.zone());
    try (DnsServer primary = DnsServer.builder(handler).build().start()) {
      int nsdPort = freePort();
      Process process = startNsd(nsd, dir, primary.port(), nsdPort);
      try {
        SimpleResolver secondary =
            new SimpleResolver(new InetSocketAddress(Wire.LOOPBACK, nsdPort));
        secondary.setTimeout(Duration.ofSeconds(1));
        secondary.setTCP(true);

        awaitAnswer(secondary, process, dir, "example.com.", Type.A, "192.0.2.80");
        assertThat(rdata(secondary, "mail.example.com.", Type.AAAA))
            .containsExactly(org.xbill.DNS.Address.getByAddress("2001:db8::2").getHostAddress());

        FlattenedZone second =
            flattener.flatten(
                source, Zones.resolvedTo("192.0.2.81"), Zones.NOW.plusSeconds(60), first);
        assertThat(second.changed()).isTrue();
        assertThat(second.serial()).isGreaterThan(first.serial());
        handler.serve(second.zone());

        NotifyResult result =
            Notifier.builder()
                .timeout(Duration.ofMillis(500))
                .build()
                .notify(second.zone(), new InetSocketAddress(Wire.LOOPBACK, nsdPort))
                .toCompletableFuture()
                .get();
        assertThat(result.acknowledged()).as(result.toString()).isTrue();

        awaitAnswer(secondary, process, dir, "example.com.", Type.A, "192.0.2.81");
        SOARecord soa =
            (SOARecord) ask(secondary, "example.com.", Type.SOA).getSection(Section.ANSWER).get(0);
        assertThat(soa.getSerial()).isEqualTo(second.serial());
      } finally {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  private static Process startNsd(Path exe, Path dir, int primaryPort, int port)
      throws IOException {
    String conf =
        "server:\n"
            + "  ip-address: 127.0.0.1\n"
            + "  port: "
            + port
            + "\n"
            + "  username: \"\"\n"
            + "  chroot: \"\"\n"
            + "  zonesdir: \""
            + dir
            + "\"\n"
            + "  database: \"\"\n"
            + "  pidfile: \""
            + dir.resolve("nsd.pid")
            + "\"\n"
            + "  xfrdfile: \""
            + dir.resolve("xfrd.state")
            + "\"\n"
            + "  xfrdir: \""
            + dir
            + "\"\n"
            + "  zonelistfile: \""
            + dir.resolve("zone.list")
            + "\"\n"
            + "  logfile: \""
            + dir.resolve("nsd.log")
            + "\"\n"
            + "  server-count: 1\n"
            + "  xfrd-reload-timeout: 0\n"
            + "  verbosity: 2\n"
            + "remote-control:\n"
            + "  control-enable: no\n"
            + "zone:\n"
            + "  name: example.com\n"
            + "  zonefile: example.com.zone\n"
            + "  request-xfr: 127.0.0.1@"
            + primaryPort
            + " NOKEY\n"
            + "  allow-notify: 127.0.0.1 NOKEY\n";
    Path confFile = dir.resolve("nsd.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    return new ProcessBuilder(exe.toString(), "-d", "-c", confFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("nsd.out").toFile())
        .start();
  }

  private static Message ask(SimpleResolver resolver, String name, int type) throws IOException {
    return resolver.send(Wire.query(name, type));
  }

  private static List<String> rdata(SimpleResolver resolver, String name, int type)
      throws IOException {
    return ask(resolver, name, type).getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type)
        .map(Record::rdataToString)
        .toList();
  }

  /** Polls NSD until it answers authoritatively with exactly this record, for up to 15 s. */
  private static void awaitAnswer(
      SimpleResolver resolver, Process process, Path dir, String name, int type, String expected)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(15);
    Predicate<Message> done =
        m ->
            m.getRcode() == Rcode.NOERROR
                && m.getHeader().getFlag(Flags.AA)
                && m.getSection(Section.ANSWER).stream()
                    .map(Record::rdataToString)
                    .toList()
                    .equals(List.of(expected));
    while (true) {
      try {
        if (done.test(ask(resolver, name, type))) {
          return;
        }
      } catch (IOException notYet) {
        // NSD still starting
      }
      if (Instant.now().isAfter(deadline) || !process.isAlive()) {
        fail(
            "NSD did not serve "
                + name
                + " "
                + expected
                + ":\n"
                + Files.readString(dir.resolve("nsd.out"))
                + (Files.exists(dir.resolve("nsd.log"))
                    ? Files.readString(dir.resolve("nsd.log"))
                    : ""));
      }
      Thread.sleep(100);
    }
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, Wire.LOOPBACK)) {
        int candidate = tcp.getLocalPort();
        try (DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(Wire.LOOPBACK, candidate))) {
          return candidate;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no free port");
  }
}
