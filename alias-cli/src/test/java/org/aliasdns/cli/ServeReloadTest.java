package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@link ServeReload}: the configuration file and the zone files read again, as SIGHUP does,
 * without a signal: what changes, what stays, and what an error keeps as it was.
 */
class ServeReloadTest {
  @TempDir Path dir;
  private FakeDns fake;
  private ServeSession session;
  private ServeReload reload;
  private Path config;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  static String zoneText(long serial, String... more) {
    StringBuilder b =
        new StringBuilder("$TTL 3600\n@ SOA ns1 hostmaster " + serial
            + " 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n@ 300 ALIAS cdn.example.net.\n");
    for (String line : more) {
      b.append(line).append('\n');
    }
    return b.toString();
  }

  private String configText(String... zones) {
    StringBuilder b =
        new StringBuilder("server:\n  listen: 127.0.0.1:0\n  upstreams: ["
            + ServeSession.text(fake.address()) + "]\n  timeout: 2\n  catalog: catalog.invalid.\nzone:\n");
    for (String z : zones) {
      b.append("  - domain: ").append(z).append("\n    file: ").append(z).append("zone\n");
    }
    return b.toString();
  }

  @BeforeEach
  void start() throws IOException {
    fake = MultiZoneFake.start();
    Files.writeString(dir.resolve("a.example.zone"), zoneText(1));
    Files.writeString(dir.resolve("b.example.zone"), zoneText(1, "www A 192.0.2.80"));
    config = dir.resolve("aliasdns.yaml");
    Files.writeString(config, configText("a.example.", "b.example."));
    ServeConfig cfg = ServeConfigFile.read(config);
    List<ConfiguredZone> zones = new ArrayList<>();
    for (ServeConfig.ZoneEntry e : cfg.zones()) {
      zones.add(ConfiguredZone.read(e, f -> {}));
    }
    session =
        ServeCommand.sessionBuilder(cfg, zones)
            .clock(fake.clock())
            .log(log::add)
            .warn(warnings::add)
            .build()
            .start();
    reload = new ServeReload(cfg, zones, session, log::add, warnings::add);
  }

  @AfterEach
  void stop() {
    session.close();
    fake.close();
  }

  private Message ask(String name, int type) throws IOException {
    SimpleResolver r = new SimpleResolver(session.address());
    r.setTimeout(Duration.ofSeconds(2));
    return r.send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, 1)));
  }

  private long serial(String origin) {
    return session.published(Name.fromConstantString(origin)).serial();
  }

  /** Reloads, which must not be refused. */
  private ServeSession.Reloaded reloaded() {
    ServeSession.Reloaded done = reload.reload();
    assertThat(done).as("warnings: %s", warnings).isNotNull();
    return java.util.Objects.requireNonNull(done);
  }

  /** Writes a zone file and moves its modification time on, as an editor would. */
  private void edit(String file, String text) throws IOException {
    Path p = dir.resolve(file);
    FileTime before = Files.getLastModifiedTime(p);
    Files.writeString(p, text);
    Files.setLastModifiedTime(p, FileTime.fromMillis(before.toMillis() + 2000));
  }

  @Test
  void aReloadAskedForWhileServeStartsRunsOnceWhenServing() throws Exception {
    // SIGHUP while the zones are still being read and signed: kept, not the end of the process.
    ServeCommand.StartupReload hangup = new ServeCommand.StartupReload();
    hangup.request();
    hangup.request();
    assertThat(log).noneMatch(l -> l.startsWith("reloaded "));

    hangup.serving(reload);
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
    while (log.stream().noneMatch(l -> l.startsWith("reloaded "))
        && java.time.Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(log).filteredOn(l -> l.startsWith("reloaded ")).hasSize(1);

    // Serving: each request is one reload.
    hangup.request();
    assertThat(log).filteredOn(l -> l.startsWith("reloaded ")).hasSize(2);
  }

  @Test
  void anUntouchedConfigurationChangesNothingAndAsksNothingUpstream() throws Exception {
    int queries = fake.queryCount();
    long a = serial("a.example.");

    ServeSession.Reloaded done = reloaded();

    assertThat(done.kept()).hasSize(2);
    assertThat(done.added()).isEmpty();
    assertThat(done.replaced()).isEmpty();
    assertThat(serial("a.example.")).isEqualTo(a);
    assertThat(fake.queryCount()).isEqualTo(queries);
    assertThat(log).contains("reloaded " + config + ": 0 added, 0 removed, 0 changed, 2 unchanged");
  }

  @Test
  void aZoneAddedToTheConfigurationStartsAndARemovedOneStops() throws Exception {
    Files.writeString(dir.resolve("c.example.zone"), zoneText(5));
    Files.writeString(config, configText("a.example.", "c.example."));

    ServeSession.Reloaded done = reloaded();

    assertThat(done.added()).containsExactly(Name.fromConstantString("c.example."));
    assertThat(done.removed()).containsExactly(Name.fromConstantString("b.example."));
    assertThat(ask("c.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);
    assertThat(ask("www.b.example.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void aChangedZoneFileIsServedWithTheNextSerialAndATouchedOneKeepsItsSerial() throws Exception {
    long a = serial("a.example.");
    long b = serial("b.example.");
    edit("a.example.zone", zoneText(1, "new A 192.0.2.81"));
    edit("b.example.zone", zoneText(1, "www A 192.0.2.80")); // same zone, new mtime

    ServeSession.Reloaded done = reloaded();

    assertThat(done.replaced()).containsExactly(Name.fromConstantString("a.example."));
    assertThat(done.kept()).containsExactly(Name.fromConstantString("b.example."));
    assertThat(serial("a.example.")).isEqualTo(a + 1);
    assertThat(serial("b.example.")).isEqualTo(b);
    assertThat(ask("new.a.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void aSameSizeEditWithTheModificationTimePutBackIsSeenByTheInodeChangeTime() throws Exception {
    // sed -i of one digit and touch -d back to the old time: size and mtime as before.
    Path p = dir.resolve("b.example.zone");
    FileTime mtime = Files.getLastModifiedTime(p);
    long size = Files.size(p);
    long b = serial("b.example.");
    Thread.sleep(20); // the inode change time must be able to move on (file system granularity)
    Files.writeString(p, zoneText(1, "www A 192.0.2.81"));
    Files.setLastModifiedTime(p, mtime);
    assertThat(Files.size(p)).isEqualTo(size);

    ServeSession.Reloaded done = reloaded();

    assertThat(done.replaced()).containsExactly(Name.fromConstantString("b.example."));
    assertThat(serial("b.example.")).isEqualTo(b + 1);
    assertThat(ask("www.b.example.", Type.A).getSection(Section.ANSWER))
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.81");
  }

  @Test
  void aZoneWhoseIncludedFileChangedIsReadAgainThoughTheZoneFileItselfDidNot() throws Exception {
    // a.example. now takes its hosts from a file it $INCLUDEs (RFC 1035 §5.1).
    Files.createDirectories(dir.resolve("inc"));
    Files.writeString(dir.resolve("inc/hosts.inc"), "www A 192.0.2.80\n");
    Files.writeString(dir.resolve("inc/more.inc"), "; nothing yet\n");
    Files.writeString(dir.resolve("inc/hosts.inc"), "www A 192.0.2.80\n$INCLUDE more.inc\n");
    edit("a.example.zone", zoneText(1, "$INCLUDE inc/hosts.inc"));
    assertThat(reloaded().replaced()).containsExactly(Name.fromConstantString("a.example."));
    long a = serial("a.example.");

    // Nothing changed: kept, no file read again.
    assertThat(reloaded().kept()).contains(Name.fromConstantString("a.example."));
    assertThat(serial("a.example.")).isEqualTo(a);

    // A file included two deep changes; the zone file and the first include do not.
    edit("inc/more.inc", "ftp A 192.0.2.81\n");

    ServeSession.Reloaded done = reloaded();

    assertThat(done.replaced()).containsExactly(Name.fromConstantString("a.example."));
    assertThat(serial("a.example.")).isEqualTo(a + 1);
    assertThat(ask("ftp.a.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);
    assertThat(ask("www.a.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);

    // An included file touched to the same content: read again, same zone, serial kept.
    edit("inc/more.inc", "ftp A 192.0.2.81\n");
    assertThat(reloaded().kept()).contains(Name.fromConstantString("a.example."));
    assertThat(serial("a.example.")).isEqualTo(a + 1);

    // An included file that vanishes: the zone keeps the version read before, saying why.
    Files.delete(dir.resolve("inc/more.inc"));
    assertThat(reloaded().kept()).contains(Name.fromConstantString("a.example."));
    assertThat(warnings)
        .anyMatch(w -> w.startsWith("reload: zone a.example. keeps the version read before: ")
            && w.contains("$INCLUDE more.inc: no such file"));
    assertThat(ask("ftp.a.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void aZoneFileWithAnErrorKeepsTheVersionReadBeforeAndSaysWhereTheErrorIs() throws Exception {
    long b = serial("b.example.");
    edit("b.example.zone", zoneText(2, "www A 192.0.2.80", "broken A not-an-address"));

    ServeSession.Reloaded done = reloaded();

    assertThat(done.kept()).contains(Name.fromConstantString("b.example."));
    assertThat(serial("b.example.")).isEqualTo(b);
    assertThat(ask("www.b.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);
    assertThat(warnings)
        .anyMatch(w -> w.startsWith("reload: zone b.example. keeps the version read before: ")
            && w.contains("b.example.zone:7: Invalid address"));
  }

  @Test
  void aMissingZoneFileKeepsItsZoneAndTheRestOfTheReloadApplies() throws Exception {
    long b = serial("b.example.");
    Files.delete(dir.resolve("b.example.zone"));
    edit("a.example.zone", zoneText(1, "new A 192.0.2.81"));
    Files.writeString(config, configText("a.example.", "b.example.", "c.example."));

    ServeSession.Reloaded done = reloaded();

    assertThat(done.replaced()).containsExactly(Name.fromConstantString("a.example."));
    assertThat(done.kept()).containsExactly(Name.fromConstantString("b.example."));
    assertThat(done.added()).isEmpty();
    assertThat(serial("b.example.")).isEqualTo(b);
    assertThat(ask("www.b.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);
    assertThat(ask("new.a.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);
    assertThat(warnings)
        .anyMatch(w -> w.equals("reload: zone b.example. keeps the version read before: "
            + dir.resolve("b.example.zone") + ": no such file"))
        .anyMatch(w -> w.equals("reload: zone c.example. not started: "
            + dir.resolve("c.example.zone") + ": no such file"));
  }

  @Test
  void aZoneFileSerialThatGoesBackIsLoggedAndThePublishedSerialContinues() throws Exception {
    edit("a.example.zone", zoneText(5));
    reloaded();
    long published = serial("a.example.");
    edit("a.example.zone", zoneText(3, "new A 192.0.2.81"));

    ServeSession.Reloaded done = reloaded();

    assertThat(done.replaced()).containsExactly(Name.fromConstantString("a.example."));
    assertThat(serial("a.example.")).isEqualTo(published + 1);
    assertThat(warnings)
        .contains("reload: zone a.example.: " + dir.resolve("a.example.zone") + " has serial 3,"
            + " behind the 5 it had (RFC 1982); the published serial continues from "
            + published);
  }

  @Test
  void aConfigurationWithAnErrorChangesNothingAndSaysWhere() throws Exception {
    Files.writeString(dir.resolve("c.example.zone"), zoneText(5));
    Files.writeString(config, configText("a.example.", "c.example.") + "  - domian: x\n");

    assertThat(reload.reload()).isNull();

    assertThat(warnings)
        .anyMatch(w -> w.startsWith("reload refused, everything stays as it was: " + config + ":11:"));
    assertThat(session.zones().keySet())
        .containsExactlyInAnyOrder(
            Name.fromConstantString("a.example."), Name.fromConstantString("b.example."));
    assertThat(ask("www.b.example.", Type.A).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void aChangedServerSettingIsLoggedAndWaitsForARestart() throws Exception {
    Files.writeString(config, configText("a.example.", "b.example.").replace("timeout: 2", "timeout: 3"));

    ServeSession.Reloaded done = reloaded();

    assertThat(done.kept()).hasSize(2);
    assertThat(warnings)
        .contains("reload: " + config + ": server: timeout changed; it takes effect when aliasdns"
            + " serve is restarted (the zones are reloaded all the same)");

    Files.writeString(config, configText("a.example.", "b.example.")
        + "remote:\n  - id: ns2\n    address: 192.0.2.53\nacl:\n  - address: 198.51.100.0/24\n");
    reloaded();
    // Against what runs (timeout 2 again): only what differs from it now.
    assertThat(warnings)
        .anyMatch(w -> w.startsWith("reload: " + config + ": remote:, acl: changed; they take"));
  }
}
