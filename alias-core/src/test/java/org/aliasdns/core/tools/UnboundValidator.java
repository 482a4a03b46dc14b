package org.aliasdns.core.tools;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Record;

/**
 * A real Unbound on 127.0.0.1, validating (RFC 4035 §5) one zone served by a server the test
 * runs: the zone's DNSKEYs are its trust anchor, and every question (the root included, so
 * Unbound never reaches the Internet) goes to that server as a stub. Its cache holds nothing
 * longer than 0 s, so every question reaches the server. Started by the test, stopped by {@link
 * #close()}; skips the test (or fails it under {@code ALIAS_REQUIRE_TOOLS=1}) without Unbound or
 * dig.
 */
public final class UnboundValidator implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;

  private UnboundValidator(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** What dig printed for one question through Unbound. */
  public record Answer(String status, boolean authenticated, String output) {
    /**
     * Returns the answer section's records of a type, as dig prints their data.
     *
     * @param type the type's mnemonic, e.g. {@code A}
     * @return the data fields, in order
     */
    public List<String> rdata(String type) {
      return output
          .lines()
          .filter(l -> !l.startsWith(";") && !l.isBlank())
          .map(l -> l.split("\\s+", 5))
          .filter(f -> f.length == 5 && f[3].equals(type))
          .map(f -> f[4])
          .collect(Collectors.toList());
    }
  }

  /**
   * Starts Unbound with the zone's DNSKEY records as trust anchor, asking a server on 127.0.0.1
   * for everything.
   *
   * @param dir a directory of the test's for the configuration and logs
   * @param zone the zone name, without the final dot
   * @param anchors the zone's DNSKEY records (the SEP keys suffice)
   * @param serverPort the authoritative server's port on 127.0.0.1
   * @return the running validator, answering
   * @throws Exception if it cannot be configured or does not start within 15 s
   */
  public static UnboundValidator start(
      Path dir, String zone, List<DNSKEYRecord> anchors, int serverPort) throws Exception {
    Path exe = ExternalTool.UNBOUND.require();
    ExternalTool.DIG.require();
    int port = NsdSecondary.freePort();
    Path anchorFile = dir.resolve("anchor.keys");
    Files.writeString(
        anchorFile,
        anchors.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")),
        StandardCharsets.UTF_8);
    String conf =
        String.join(
            "\n",
            "server:",
            "  interface: 127.0.0.1",
            "  port: " + port,
            "  do-ip6: no",
            "  do-not-query-localhost: no",
            "  username: \"\"",
            "  chroot: \"\"",
            "  directory: \"" + dir + "\"",
            "  pidfile: \"" + dir.resolve("unbound.pid") + "\"",
            "  logfile: \"" + dir.resolve("unbound.log") + "\"",
            "  use-syslog: no",
            "  verbosity: 1",
            "  val-log-level: 2",
            "  module-config: \"validator iterator\"",
            "  trust-anchor-file: \"" + anchorFile + "\"",
            "  trust-anchor-signaling: no",
            "  root-key-sentinel: no",
            "  qname-minimisation: no",
            "  cache-max-ttl: 0",
            "  cache-max-negative-ttl: 0",
            "  num-threads: 1",
            "  access-control: 127.0.0.0/8 allow",
            "remote-control:",
            "  control-enable: no",
            "stub-zone:",
            "  name: \"" + zone + "\"",
            "  stub-addr: 127.0.0.1@" + serverPort,
            "stub-zone:",
            "  name: \".\"",
            "  stub-addr: 127.0.0.1@" + serverPort,
            "");
    Path confFile = dir.resolve("unbound.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(exe.toString(), "-d", "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("unbound.out").toFile())
            .start();
    UnboundValidator unbound = new UnboundValidator(process, dir, port);
    Instant deadline = Instant.now().plusSeconds(15);
    while (true) {
      if (!process.isAlive()) {
        String out = unbound.output();
        unbound.close();
        fail("unbound ended at start:\n" + out);
      }
      Answer probe = unbound.ask(zone + ".", "SOA");
      if (!probe.status().isEmpty()) {
        return unbound;
      }
      if (Instant.now().isAfter(deadline)) {
        String out = unbound.output();
        unbound.close();
        fail("unbound did not answer in 15 s:\n" + out);
      }
      Thread.sleep(100);
    }
  }

  /**
   * Asks Unbound one question with dig, DO bit set ({@code +dnssec}).
   *
   * @param name the name
   * @param type the type's mnemonic
   * @return the status (empty when nothing came back), the AD flag and dig's output
   */
  public Answer ask(String name, String type) {
    ExternalTool.Run run =
        ExternalTool.DIG.run(
            "@127.0.0.1", "-p", Integer.toString(port), "+dnssec", "+tries=1", "+time=5",
            name, type);
    String out = run.output();
    String status = "";
    boolean ad = false;
    for (String line : out.lines().toList()) {
      int at = line.indexOf("status: ");
      if (at >= 0) {
        status = line.substring(at + 8, line.indexOf(',', at));
      }
      if (line.startsWith(";; flags:")) {
        String flags = line.substring(9, line.indexOf(';', 9));
        ad = List.of(flags.trim().split("\\s+")).contains("ad");
      }
    }
    return new Answer(status, ad, out);
  }

  /**
   * Returns what Unbound printed and logged, for a failure message.
   *
   * @return its output and log
   */
  public String output() {
    try {
      Path log = dir.resolve("unbound.log");
      Path out = dir.resolve("unbound.out");
      return (Files.exists(out) ? Files.readString(out) : "")
          + (Files.exists(log) ? Files.readString(log) : "");
    } catch (IOException e) {
      return "(cannot read unbound's log: " + e + ")";
    }
  }

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
