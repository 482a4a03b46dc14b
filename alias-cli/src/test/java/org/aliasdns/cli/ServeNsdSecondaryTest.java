package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.tools.ExternalTool;
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
 * A real NSD on 127.0.0.1 as a secondary of {@code alias serve}: it transfers the flattened zone
 * by AXFR and answers the apex with the flattened addresses; when the target's address moves
 * upstream, the session re-flattens, the serial moves, NOTIFY goes out, and NSD transfers and
 * serves the new address with the new serial. Skipped with a printed reason without NSD.
 */
class ServeNsdSecondaryTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void nsdFollowsTheServedZoneThroughAChange(@TempDir Path dir) throws Exception {
    Path nsd = ExternalTool.NSD.require();
    int nsdPort = freePort();
    try (ServeFixture serve =
        ServeFixture.start(List.of(new InetSocketAddress(LOOPBACK, nsdPort)))) {
      Process process = startNsd(nsd, dir, serve.session.port(), nsdPort);
      try {
        SimpleResolver secondary = new SimpleResolver(new InetSocketAddress(LOOPBACK, nsdPort));
        secondary.setTimeout(Duration.ofSeconds(1));
        secondary.setTCP(true);
        long first = serve.session.published().serial();
        await(secondary, process, dir, "192.0.2.10", first);
        assertThat(rdata(secondary, "example.com.", Type.MX)).containsExactly("10 mail.example.com.");

        serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.20");
        serve.advanceAndRefresh(Duration.ofSeconds(400)); // re-flattens; NOTIFY goes to NSD

        long second = serve.session.published().serial();
        assertThat(second).isEqualTo(first + 1);
        await(secondary, process, dir, "192.0.2.20", second);
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
        String.join(
            "\n",
            "server:",
            "  ip-address: 127.0.0.1",
            "  port: " + port,
            "  username: \"\"",
            "  chroot: \"\"",
            "  zonesdir: \"" + dir + "\"",
            "  database: \"\"",
            "  pidfile: \"" + dir.resolve("nsd.pid") + "\"",
            "  xfrdfile: \"" + dir.resolve("xfrd.state") + "\"",
            "  xfrdir: \"" + dir + "\"",
            "  zonelistfile: \"" + dir.resolve("zone.list") + "\"",
            "  logfile: \"" + dir.resolve("nsd.log") + "\"",
            "  server-count: 1",
            "  xfrd-reload-timeout: 0",
            "  verbosity: 2",
            "remote-control:",
            "  control-enable: no",
            "zone:",
            "  name: example.com",
            "  zonefile: example.com.zone",
            "  request-xfr: 127.0.0.1@" + primaryPort + " NOKEY",
            "  allow-notify: 127.0.0.1 NOKEY",
            "");
    Path confFile = dir.resolve("nsd.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    return new ProcessBuilder(exe.toString(), "-d", "-c", confFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("nsd.out").toFile())
        .start();
  }

  private static Message ask(SimpleResolver resolver, String name, int type) throws IOException {
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, 1)));
  }

  private static List<String> rdata(SimpleResolver resolver, String name, int type)
      throws IOException {
    return ask(resolver, name, type).getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type)
        .map(Record::rdataToString)
        .toList();
  }

  /**
   * Polls NSD, for up to 15 s, until it answers the apex A authoritatively with exactly this
   * address and its SOA has this serial.
   */
  private static void await(
      SimpleResolver nsd, Process process, Path dir, String address, long serial)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(15);
    String seen = "nothing";
    while (true) {
      try {
        Message a = ask(nsd, "example.com.", Type.A);
        Message soa = ask(nsd, "example.com.", Type.SOA);
        List<Record> soaAnswer = soa.getSection(Section.ANSWER);
        seen = a + "\n" + soa;
        if (a.getRcode() == Rcode.NOERROR
            && a.getHeader().getFlag(Flags.AA)
            && a.getSection(Section.ANSWER).stream()
                .map(Record::rdataToString)
                .toList()
                .equals(List.of(address))
            && soaAnswer.size() == 1
            && ((SOARecord) soaAnswer.get(0)).getSerial() == serial) {
          return;
        }
      } catch (IOException notYet) {
        // NSD still starting
      }
      if (Instant.now().isAfter(deadline) || !process.isAlive()) {
        fail(
            "NSD did not serve example.com. A "
                + address
                + " with serial "
                + serial
                + "; last seen:\n"
                + seen
                + "\n"
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
      try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
        int candidate = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, candidate))) {
          return candidate;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no free port");
  }
}
