package org.aliasdns.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.tools.ExternalTool;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A real Knot or BIND on 127.0.0.1, configured with nothing but one catalog zone (RFC 9432), its
 * primary (our server, on 127.0.0.1) and a TSIG key: it learns its member zones from the catalog
 * and transfers each, accepting NOTIFY from 127.0.0.1 signed with the key. It lets 127.0.0.1
 * transfer its zones, so a test can compare them with ours. Started by the test, stopped by
 * {@link #close()}; skips the test (fails it under {@code ALIAS_REQUIRE_TOOLS=1}) when the
 * program is missing.
 */
final class CatalogSecondary implements AutoCloseable {
  enum Kind {
    KNOT,
    BIND
  }

  private final Kind kind;
  private final Process process;
  private final Path log;
  private final int port;

  private CatalogSecondary(Kind kind, Process process, Path log, int port) {
    this.kind = kind;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  static CatalogSecondary start(
      Kind kind, Path dir, Name catalog, int primaryPort, int port, TsigKey key)
      throws IOException {
    ExternalTool tool = kind == Kind.KNOT ? ExternalTool.KNOTD : ExternalTool.NAMED;
    Path exe = tool.require();
    Path conf = dir.resolve(kind == Kind.KNOT ? "knot.conf" : "named.conf");
    Path log = dir.resolve(kind == Kind.KNOT ? "knot.log" : "named.log");
    String keyName = key.name().toString(true);
    String cat = catalog.toString();
    List<String> command;
    if (kind == Kind.KNOT) {
      Files.writeString(
          conf,
          String.join(
              "\n",
              "server:",
              "    rundir: \"" + dir + "\"",
              "    listen: 127.0.0.1@" + port,
              "database:",
              "    storage: \"" + dir + "\"",
              "control:",
              "    listen: \"" + dir.resolve("knot.sock") + "\"",
              "log:",
              "  - target: stderr",
              "    any: info",
              "key:",
              "  - id: " + keyName,
              "    algorithm: " + key.algorithmMnemonic(),
              "    secret: " + key.secretBase64(),
              "remote:",
              "  - id: primary",
              "    address: 127.0.0.1@" + primaryPort,
              "    key: " + keyName,
              "acl:",
              "  - id: from_primary",
              "    address: 127.0.0.1",
              "    key: " + keyName,
              "    action: notify",
              "  - id: local_transfer",
              "    address: 127.0.0.1",
              "    action: transfer",
              "template:",
              "  - id: default",
              "    storage: \"" + dir + "\"",
              "  - id: member",
              "    storage: \"" + dir + "\"",
              "    master: primary",
              "    acl: [from_primary, local_transfer]",
              "zone:",
              "  - domain: " + cat,
              "    master: primary",
              "    acl: [from_primary, local_transfer]",
              "    catalog-role: interpret",
              "    catalog-template: member",
              ""),
          StandardCharsets.UTF_8);
      command = List.of(exe.toString(), "-c", conf.toString());
    } else {
      String primary = "{ 127.0.0.1 port " + primaryPort + " key \"" + keyName + "\"; }";
      Files.writeString(
          conf,
          String.join(
              "\n",
              "key \"" + keyName + "\" { algorithm " + key.algorithmMnemonic() + "; secret \""
                  + key.secretBase64() + "\"; };",
              "controls { };",
              "options {",
              "  directory \"" + dir + "\";",
              "  pid-file \"" + dir.resolve("named.pid") + "\";",
              "  session-keyfile \"" + dir.resolve("session.key") + "\";",
              "  managed-keys-directory \"" + dir + "\";",
              "  listen-on port " + port + " { 127.0.0.1; };",
              "  listen-on-v6 { none; };",
              "  recursion no;",
              "  dnssec-validation no;",
              "  notify no;",
              "  allow-new-zones yes;",
              "  allow-transfer { 127.0.0.1; };",
              "  catalog-zones {",
              "    zone \"" + cat + "\" default-primaries " + primary + " in-memory yes;",
              "  };",
              "};",
              "zone \"" + cat + "\" { type secondary; file \"catalog.db\"; primaries " + primary
                  + "; };",
              ""),
          StandardCharsets.UTF_8);
      command = List.of(exe.toString(), "-g", "-n", "1", "-c", conf.toString());
    }
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new CatalogSecondary(kind, p, log, port);
  }

  /** What the secondary logged so far. */
  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** Waits until the secondary's log holds a line that matches a pattern; fails after 20 s. */
  void awaitLog(String pattern) throws IOException, InterruptedException {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(pattern);
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      if (p.matcher(log()).find()) {
        return;
      }
      Thread.sleep(100);
    }
    fail(kind + " never logged /" + pattern + "/:\n" + log());
  }

  /** The SOA serial the secondary serves for a zone, or -1 when it serves none. */
  long serial(Name zone) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(Duration.ofSeconds(1));
    Message q = Message.newQuery(Record.newRecord(zone, Type.SOA, org.xbill.DNS.DClass.IN));
    try {
      Message reply = r.send(q);
      if (reply.getRcode() != Rcode.NOERROR || !reply.getHeader().getFlag(org.xbill.DNS.Flags.AA)) {
        return -1;
      }
      for (Record rec : reply.getSection(Section.ANSWER)) {
        if (rec instanceof SOARecord soa) {
          return soa.getSerial();
        }
      }
    } catch (IOException timeout) {
      // not up yet
    }
    return -1;
  }

  /** Waits until the secondary serves a zone at a serial (-1: at any serial; -2: not at all). */
  void await(Name zone, long serial) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plusSeconds(40);
    long last = -1;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        fail(kind + " exited with " + process.exitValue() + ":\n" + log());
      }
      last = serial(zone);
      if (serial == -2 ? last == -1 : serial == -1 ? last != -1 : last == serial) {
        return;
      }
      Thread.sleep(200);
    }
    fail(kind + " serves " + zone + " at serial " + last + ", not " + serial + ":\n" + log());
  }

  /** The zone as the secondary transfers it out, one record text each. */
  Set<String> axfr(Name zone) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(zone, new InetSocketAddress("127.0.0.1", port), null);
    xfr.setTimeout(Duration.ofSeconds(10));
    xfr.run();
    Set<String> out = new HashSet<>();
    List<Record> records = xfr.getAXFR();
    records.subList(0, records.size() - 1).forEach(r -> out.add(r.toString()));
    return out;
  }

  /** A zone's records, one text each, as {@link #axfr} gives them. */
  static Set<String> texts(Zone zone) {
    Set<String> out = new HashSet<>();
    for (RecordSet set : zone) {
      set.records().forEach(r -> out.add(r.toString()));
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
