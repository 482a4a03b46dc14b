package org.aliasdns.core.tools;

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
import org.xbill.DNS.DClass;
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
 * A real NSD on 127.0.0.1, secondary for one zone of a primary the test runs: it transfers the
 * zone by AXFR at start and again when the primary sends NOTIFY. Started by the test, stopped by
 * {@link #close()}. Skips the test (or fails it under {@code ALIAS_REQUIRE_TOOLS=1}) without NSD.
 */
public final class NsdSecondary implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;
  private final String zone;

  private NsdSecondary(Process process, Path dir, int port, String zone) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.zone = zone;
  }

  /**
   * Returns a port free on 127.0.0.1 for both UDP and TCP, to give NSD before the primary is
   * told where its secondary is.
   *
   * @return the port
   * @throws IOException if none is found
   */
  public static int freePort() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
        int candidate = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, candidate))) {
          return candidate;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no free port on 127.0.0.1");
  }

  /**
   * Starts NSD as a secondary of {@code zone} from a primary on 127.0.0.1, accepting NOTIFY from
   * 127.0.0.1 (RFC 1996).
   *
   * @param dir a directory of the test's for the configuration, zone file and logs
   * @param zone the zone name, without the final dot
   * @param primaryPort the primary's port on 127.0.0.1
   * @param port the port NSD listens on
   * @return the running secondary
   * @throws IOException if the configuration cannot be written or NSD started
   */
  public static NsdSecondary start(Path dir, String zone, int primaryPort, int port)
      throws IOException {
    Path exe = ExternalTool.NSD.require();
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
            "  name: " + zone,
            "  zonefile: " + zone + ".zone",
            "  request-xfr: 127.0.0.1@" + primaryPort + " NOKEY",
            "  allow-notify: 127.0.0.1 NOKEY",
            "");
    Path confFile = dir.resolve("nsd.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(exe.toString(), "-d", "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nsd.out").toFile())
            .start();
    return new NsdSecondary(process, dir, port, zone);
  }

  /**
   * Returns where NSD answers.
   *
   * @return 127.0.0.1 and its port
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /**
   * Tells whether NSD is still running.
   *
   * @return true while the process lives
   */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Returns what NSD printed and logged, for a failure message.
   *
   * @return its output and log
   * @throws IOException if they cannot be read
   */
  public String output() throws IOException {
    Path log = dir.resolve("nsd.log");
    return Files.readString(dir.resolve("nsd.out"))
        + (Files.exists(log) ? Files.readString(log) : "");
  }

  /**
   * Polls NSD over TCP and UDP, for up to 15 s, until both answer a question authoritatively
   * with exactly one record of this data and, if a serial is given, their SOA has that serial.
   *
   * @param name the owner asked
   * @param type the type asked
   * @param rdata the one record's data as dnsjava prints it
   * @param serial the zone's SOA serial to wait for, or -1 for any
   * @throws Exception if NSD dies or does not get there in time (an assertion failure)
   */
  public void await(String name, int type, String rdata, long serial) throws Exception {
    // Both transports: after a transfer NSD forks new server processes, and the old ones may
    // still answer a while with the old copy, on UDP as on TCP.
    SimpleResolver tcp = new SimpleResolver(address());
    tcp.setTimeout(Duration.ofSeconds(1));
    tcp.setTCP(true);
    SimpleResolver udp = new SimpleResolver(address());
    udp.setTimeout(Duration.ofSeconds(1));
    Name owner = Name.fromString(name);
    Name apex = Name.fromString(zone + ".");
    Instant deadline = Instant.now().plusSeconds(15);
    String seen = "nothing";
    while (true) {
      StringBuilder now = new StringBuilder();
      boolean served = true;
      for (SimpleResolver client : List.of(tcp, udp)) {
        try {
          served &= serves(client, owner, apex, type, rdata, serial, now);
        } catch (IOException notYet) {
          // NSD still starting, or still transferring
          served = false;
          now.append(client == tcp ? "TCP: " : "UDP: ").append(notYet).append('\n');
        }
      }
      seen = now.toString();
      if (served) {
        return;
      }
      if (Instant.now().isAfter(deadline) || !process.isAlive()) {
        fail("NSD did not serve " + name + " " + Type.string(type) + " " + rdata
            + (serial >= 0 ? " with serial " + serial : "") + " on TCP and UDP; last seen:\n"
            + seen + "\n" + output());
      }
      Thread.sleep(100);
    }
  }

  /** One transport's answer: exactly this record, with the serial if one is given. */
  private static boolean serves(
      SimpleResolver client, Name owner, Name apex, int type, String rdata, long serial,
      StringBuilder seen) throws IOException {
    Message answer = client.send(Message.newQuery(Record.newRecord(owner, type, DClass.IN)));
    seen.append(answer).append('\n');
    boolean served =
        answer.getRcode() == Rcode.NOERROR
            && answer.getHeader().getFlag(Flags.AA)
            && answer.getSection(Section.ANSWER).stream()
                .filter(r -> r.getType() == type)
                .map(Record::rdataToString)
                .toList()
                .equals(List.of(rdata));
    if (served && serial >= 0) {
      Message soa = client.send(Message.newQuery(Record.newRecord(apex, Type.SOA, DClass.IN)));
      seen.append(soa).append('\n');
      List<Record> soas = soa.getSection(Section.ANSWER);
      served = soas.size() == 1 && ((SOARecord) soas.get(0)).getSerial() == serial;
    }
    return served;
  }

  /** Stops NSD and waits for it to end. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
