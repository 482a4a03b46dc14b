package org.aliasdns.core.tools;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A real NSD on 127.0.0.1, authoritative for zone files the test wrote: one process serves many
 * zones, so a test can load a whole batch of generated zones with one start. Started by the test,
 * stopped by {@link #close()}. Skips the test (or fails it under {@code ALIAS_REQUIRE_TOOLS=1})
 * without NSD, as {@link ExternalTool#require()} does.
 *
 * <p>Queries go over UDP with an EDNS payload of 4096 bytes (RFC 6891), and over TCP when the
 * answer comes back truncated.
 */
public final class NsdAuthority implements AutoCloseable {
  private static final int PAYLOAD = 4096;

  private final Process process;
  private final Path dir;
  private final int port;
  private final DatagramSocket udp;
  private int nextId;

  private NsdAuthority(Process process, Path dir, int port, DatagramSocket udp) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.udp = udp;
  }

  /**
   * Writes the zones into {@code dir}, starts NSD on them and waits until it answers the SOA of
   * each authoritatively.
   *
   * @param dir an empty directory of the test's for configuration, zone files and logs
   * @param zones master-file text by zone origin
   * @param minimalResponses NSD's {@code minimal-responses} setting: with {@code no} (NSD's
   *     default) it adds the apex NS RRset to the authority section of positive answers
   * @return the running server
   * @throws IOException if the files cannot be written or NSD cannot be started
   * @throws InterruptedException if interrupted while waiting for NSD
   */
  public static NsdAuthority start(Path dir, Map<Name, String> zones, boolean minimalResponses)
      throws IOException, InterruptedException {
    Path exe = ExternalTool.NSD.require();
    int port = NsdSecondary.freePort();
    List<String> conf =
        new ArrayList<>(
            List.of(
                "server:",
                "  ip-address: 127.0.0.1",
                "  port: " + port,
                "  username: \"\"",
                "  chroot: \"\"",
                "  zonesdir: \"" + dir + "\"",
                "  database: \"\"",
                "  pidfile: \"" + dir.resolve("nsd.pid") + "\"",
                "  xfrdfile: \"" + dir.resolve("xfrd.state") + "\"",
                "  zonelistfile: \"" + dir.resolve("zone.list") + "\"",
                "  logfile: \"" + dir.resolve("nsd.log") + "\"",
                "  server-count: 1",
                "  minimal-responses: " + (minimalResponses ? "yes" : "no"),
                "remote-control:",
                "  control-enable: no"));
    for (Map.Entry<Name, String> zone : zones.entrySet()) {
      String file = zone.getKey().toString(true) + ".zone";
      Files.writeString(dir.resolve(file), zone.getValue(), StandardCharsets.UTF_8);
      conf.add("zone:");
      conf.add("  name: " + zone.getKey().toString(true));
      conf.add("  zonefile: " + file);
    }
    Path confFile = dir.resolve("nsd.conf");
    Files.writeString(confFile, String.join("\n", conf) + "\n", StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(exe.toString(), "-d", "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nsd.out").toFile())
            .start();
    DatagramSocket udp =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    NsdAuthority nsd = new NsdAuthority(process, dir, port, udp);
    try {
      for (Name origin : zones.keySet()) {
        nsd.awaitZone(origin);
      }
    } catch (IOException | RuntimeException | Error e) {
      nsd.close();
      throw e;
    }
    return nsd;
  }

  private void awaitZone(Name origin) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plusSeconds(15);
    String seen = "no answer";
    while (true) {
      try {
        Message answer = ask(Record.newRecord(origin, Type.SOA, DClass.IN), 200, 1);
        if (answer.getRcode() == Rcode.NOERROR && answer.getHeader().getFlag(Flags.AA)) {
          return;
        }
        seen = answer.toString();
      } catch (SocketTimeoutException notYet) {
        // still starting
      }
      if (Instant.now().isAfter(deadline) || !process.isAlive()) {
        fail("NSD does not serve " + origin + "; last answer:\n" + seen + "\n" + output());
      }
      Thread.sleep(50);
    }
  }

  /**
   * Returns the port NSD answers on, on 127.0.0.1.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Asks one question, recursion not desired; a lost datagram is sent again once.
   *
   * @param question the question, its name in the case to ask it
   * @return NSD's response, the OPT record removed
   * @throws IOException if NSD does not answer within 2 s twice, or answers another question
   */
  public Message ask(Record question) throws IOException {
    return ask(question, 2000, 2);
  }

  private Message ask(Record question, int timeoutMillis, int tries) throws IOException {
    Message query = Message.newQuery(question);
    query.getHeader().unsetFlag(Flags.RD);
    query.getHeader().setID(nextId = (nextId + 1) & 0xffff);
    query.addRecord(new OPTRecord(PAYLOAD, 0, 0), Section.ADDITIONAL);
    byte[] wire = query.toWire();
    udp.setSoTimeout(timeoutMillis);
    byte[] buffer = new byte[PAYLOAD];
    Message response = null;
    for (int attempt = 1; response == null; attempt++) {
      udp.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
      try {
        while (response == null) {
          DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
          udp.receive(packet);
          Message m = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
          if (m.getHeader().getID() == query.getHeader().getID()) {
            response = m; // an earlier query's late answer is skipped
          }
        }
      } catch (SocketTimeoutException lost) {
        if (attempt >= tries) {
          throw lost;
        }
      }
    }
    if (response.getHeader().getFlag(Flags.TC)) {
      response = overTcp(wire);
    }
    if (!response.getQuestion().getName().toString().equals(question.getName().toString())
        || response.getQuestion().getType() != question.getType()) {
      throw new IOException("NSD answered another question: " + response.getQuestion());
    }
    for (Record r : new ArrayList<>(response.getSection(Section.ADDITIONAL))) {
      if (r.getType() == Type.OPT) {
        response.removeRecord(r, Section.ADDITIONAL);
      }
    }
    return response;
  }

  private Message overTcp(byte[] wire) throws IOException {
    try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), port)) {
      tcp.setSoTimeout(2000);
      DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
      out.writeShort(wire.length); // RFC 1035 §4.2.2 length prefix
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(tcp.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return new Message(answer);
    }
  }

  /**
   * Returns what NSD printed and logged, for a failure message.
   *
   * @return its output and log
   */
  public String output() {
    try {
      Path log = dir.resolve("nsd.log");
      return Files.readString(dir.resolve("nsd.out"))
          + (Files.exists(log) ? Files.readString(log) : "");
    } catch (IOException e) {
      return "(NSD's output cannot be read: " + e + ")";
    }
  }

  /** Stops NSD and waits for it to end. */
  @Override
  public void close() {
    udp.close();
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
