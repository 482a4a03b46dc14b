package org.aliasdns.core.tools;

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
public final class CatalogSecondary implements AutoCloseable {
  /** Which program. */
  public enum Kind {
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

  /**
   * A TSIG key (RFC 8945) as both programs write it.
   *
   * @param name the key's name, absolute, without the final dot as BIND and Knot write it
   * @param algorithm the algorithm's mnemonic, such as {@code hmac-sha256}
   * @param secretBase64 the secret, in base64
   */
  public record Key(String name, String algorithm, String secretBase64) {}

  /**
   * Starts the program with a configuration written into {@code dir}.
   *
   * @param kind Knot or BIND
   * @param dir a directory of the test's own, for configuration, zones and log
   * @param catalog the catalog zone's origin
   * @param primaryPort the port our server listens on, on 127.0.0.1
   * @param port the port the secondary listens on, on 127.0.0.1
   * @param key the key every transfer and NOTIFY is signed with
   * @return the running secondary
   * @throws IOException if the configuration cannot be written or the program not started
   */
  public static CatalogSecondary start(
      Kind kind, Path dir, Name catalog, int primaryPort, int port, Key key)
      throws IOException {
    ExternalTool tool = kind == Kind.KNOT ? ExternalTool.KNOTD : ExternalTool.NAMED;
    Path exe = tool.require();
    Path conf = dir.resolve(kind == Kind.KNOT ? "knot.conf" : "named.conf");
    Path log = dir.resolve(kind == Kind.KNOT ? "knot.log" : "named.log");
    String keyName = key.name();
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
              "    algorithm: " + key.algorithm(),
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
              "key \"" + keyName + "\" { algorithm " + key.algorithm() + "; secret \""
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
    return launch(kind, command, log, port);
  }

  /**
   * Starts the program with a configuration of the caller's (an operator's example, say),
   * written to {@code dir} as {@code knot.conf} or {@code named.conf}: it must listen on
   * 127.0.0.1 at {@code port}, keep its files under {@code dir} and log to standard error.
   *
   * @param kind Knot or BIND
   * @param dir a directory of the test's own
   * @param configuration the configuration's text
   * @param port the port it listens on, on 127.0.0.1
   * @return the running secondary
   * @throws IOException if the configuration cannot be written or the program not started
   */
  public static CatalogSecondary startWith(Kind kind, Path dir, String configuration, int port)
      throws IOException {
    Path exe = (kind == Kind.KNOT ? ExternalTool.KNOTD : ExternalTool.NAMED).require();
    Path conf = dir.resolve(kind == Kind.KNOT ? "knot.conf" : "named.conf");
    Files.writeString(conf, configuration, StandardCharsets.UTF_8);
    List<String> command =
        kind == Kind.KNOT
            ? List.of(exe.toString(), "-c", conf.toString())
            : List.of(exe.toString(), "-g", "-n", "1", "-c", conf.toString());
    return launch(kind, command, dir.resolve(kind == Kind.KNOT ? "knot.log" : "named.log"), port);
  }

  private static CatalogSecondary launch(Kind kind, List<String> command, Path log, int port)
      throws IOException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new CatalogSecondary(kind, p, log, port);
  }

  /**
   * Returns what the secondary logged so far.
   *
   * @return the log's text
   * @throws IOException if the log cannot be read
   */
  public String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /**
   * Waits until the secondary's log holds a line that matches a pattern; fails after 20 s.
   *
   * @param pattern a regular expression
   * @throws IOException if the log cannot be read
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitLog(String pattern) throws IOException, InterruptedException {
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

  /**
   * Returns the SOA serial the secondary serves for a zone (authoritatively), or -1 when it
   * serves none.
   *
   * @param zone the zone's origin
   * @return the serial, or -1
   * @throws IOException never for a timeout (-1), only for a bad query
   */
  public long serial(Name zone) throws IOException {
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

  /**
   * Asks the secondary a question over UDP.
   *
   * @param name the name
   * @param type the type code
   * @return the response
   * @throws IOException if no response comes within 2 s
   */
  public Message query(Name name, int type) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(Duration.ofSeconds(2));
    return r.send(Message.newQuery(Record.newRecord(name, type, org.xbill.DNS.DClass.IN)));
  }

  /**
   * Returns the addresses the secondary answers for a name and type (A or AAAA), as text.
   *
   * @param name the name
   * @param type A or AAAA
   * @return the rdata of each answer record of that type, in the order given
   * @throws IOException if no response comes within 2 s
   */
  public List<String> addresses(Name name, int type) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    for (Record r : query(name, type).getSection(Section.ANSWER)) {
      if (r.getType() == type) {
        out.add(r.rdataToString());
      }
    }
    return out;
  }

  /**
   * Waits until the secondary serves a zone at a serial; fails after 40 s, or if the program
   * exited.
   *
   * @param zone the zone's origin
   * @param serial the serial, -1 for any serial, -2 for "serves it no longer"
   * @throws IOException if a query cannot be made
   * @throws InterruptedException if interrupted while waiting
   */
  public void await(Name zone, long serial) throws IOException, InterruptedException {
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

  /**
   * Returns the zone as the secondary transfers it out, one record text each.
   *
   * @param zone the zone's origin
   * @return the record texts, the closing SOA left out
   * @throws Exception if the transfer fails
   */
  public Set<String> axfr(Name zone) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(zone, new InetSocketAddress("127.0.0.1", port), null);
    xfr.setTimeout(Duration.ofSeconds(10));
    xfr.run();
    Set<String> out = new HashSet<>();
    List<Record> records = xfr.getAXFR();
    records.subList(0, records.size() - 1).forEach(r -> out.add(r.toString()));
    return out;
  }

  /**
   * Returns a zone's records, one text each, as {@link #axfr} gives them.
   *
   * @param zone the zone
   * @return the record texts
   */
  public static Set<String> texts(Zone zone) {
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
