package org.aliasdns.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * A reload of {@code aliasdns serve --config} (on SIGHUP): reads the configuration file again,
 * then the zone files that changed, and hands the running {@link ServeSession} the zones to
 * serve from now on.
 *
 * <ul>
 *   <li>A configuration file with an error changes nothing: the error is logged with its file and
 *       line, and every zone stays as it was.
 *   <li>A zone file whose size and modification time, and those of every file it includes
 *       (RFC 1035 §5.1 {@code $INCLUDE}), are as when last read is not read again; one where any
 *       changed is read, and if it reads as the same zone, the zone is kept as it was. A zone
 *       file with an error keeps the zone served from the version read before (logged with file
 *       and line); a new zone whose file has an error is not started.
 *   <li>Settings of the process ({@code server:}, {@code key:}, {@code remote:}, {@code acl:},
 *       {@code policy:}'s resolution settings) that changed are logged and take effect at the
 *       next restart; the zones are reloaded all the same.
 * </ul>
 *
 * <p>Reloads run one at a time.
 */
final class ServeReload {
  private final Path file;
  private final ServeSession session;
  private final Consumer<String> log;
  private final Consumer<String> warn;
  private ServeConfig config;
  private Map<Name, ConfiguredZone> zones;

  /**
   * Starts from what the session was started with.
   *
   * @param config the configuration the session runs
   * @param zones the zones it serves, as read
   * @param session the running session
   * @param log where a reload's outcome goes
   * @param warn where errors go
   */
  ServeReload(
      ServeConfig config,
      List<ConfiguredZone> zones,
      ServeSession session,
      Consumer<String> log,
      Consumer<String> warn) {
    this.file = config.file();
    this.config = config;
    this.session = Objects.requireNonNull(session, "session");
    this.log = log;
    this.warn = warn;
    this.zones = new LinkedHashMap<>();
    zones.forEach(z -> this.zones.put(z.entry().origin(), z));
  }

  /**
   * Reloads once.
   *
   * @return what the session did, or null when the configuration was refused and nothing changed
   */
  synchronized ServeSession.@Nullable Reloaded reload() {
    ServeConfig next;
    try {
      next = ServeConfigFile.read(file);
    } catch (ServeConfigException e) {
      warn.accept("reload refused, everything stays as it was: " + e.getMessage());
      return null;
    }
    if (!next.server().equals(config.server())) {
      warn.accept("reload: " + file + ": settings of server:, key:, remote:, acl: or policy:"
          + " changed; they take effect when aliasdns serve is restarted");
    }
    Map<Name, ConfiguredZone> read = new LinkedHashMap<>();
    List<ServeSession.ZoneSpec> specs = new ArrayList<>();
    for (ServeConfig.ZoneEntry entry : next.zones()) {
      ConfiguredZone before = zones.get(entry.origin());
      ConfiguredZone now = reread(entry, before);
      if (now != null) {
        read.put(entry.origin(), now);
        specs.add(now.spec());
      }
    }
    ServeSession.Reloaded done = session.reload(specs);
    this.config = next;
    this.zones = read;
    log.accept("reloaded " + file + ": " + done);
    return done;
  }

  /**
   * A zone's new version: the one before if its file is unchanged (by size and modification
   * time, or by content), the file read again if it changed and reads well, the one before
   * (logged) if it does not, null for a new zone whose file does not.
   */
  private @Nullable ConfiguredZone reread(
      ServeConfig.ZoneEntry entry, @Nullable ConfiguredZone before) {
    if (before != null && before.entry().file().equals(entry.file())) {
      if (before.stamp().isCurrent()) { // the zone file and every file it includes
        return same(before, entry);
      }
    }
    ConfiguredZone now;
    try {
      now = ConfiguredZone.read(entry, finding -> {});
    } catch (UnusableInputException e) {
      if (before == null) {
        warn.accept("reload: zone " + entry.origin() + " not started: " + e.getMessage());
        return null;
      }
      warn.accept("reload: zone " + entry.origin() + " keeps the version read before: "
          + e.getMessage());
      return same(before, entry);
    }
    if (before != null && before.spec().source().equals(now.spec().source())) {
      // Read again to the same zone (a touched file): kept, so its serial does not move.
      return new ConfiguredZone(
          entry, new ServeSession.ZoneSpec(before.spec().source(), entry.policy()), now.stamp());
    }
    return now;
  }

  /** The zone before, under the entry (and policy) the configuration gives now. */
  private static ConfiguredZone same(ConfiguredZone before, ServeConfig.ZoneEntry entry) {
    return new ConfiguredZone(
        entry, new ServeSession.ZoneSpec(before.spec().source(), entry.policy()), before.stamp());
  }
}
