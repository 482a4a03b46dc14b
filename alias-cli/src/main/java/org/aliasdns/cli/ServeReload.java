package org.aliasdns.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
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
 *   <li>A zone file whose size, modification time, inode change time and inode number, and
 *       those of every file it includes (RFC 1035 §5.1 {@code $INCLUDE}), are as when last read
 *       is not read again; one where any
 *       changed is read, and if it reads as the same zone, the zone is kept as it was. A zone
 *       file with an error keeps the zone served from the version read before (logged with file
 *       and line); a new zone whose file has an error is not started. A zone file that is missing
 *       or cannot be read is such an error of its zone alone: the rest of the reload applies.
 *   <li>Settings of the process ({@code server:}, {@code key:}, {@code remote:}, {@code acl:},
 *       {@code policy:}'s resolution settings) that differ from those the process was started
 *       with are logged by name and take effect at the next restart; the zones are reloaded all
 *       the same.
 * </ul>
 *
 * <p>Reloads run one at a time.
 */
final class ServeReload {
  private final Path file;
  private final ServeSession session;
  private final Consumer<String> log;
  private final Consumer<String> warn;
  /** The settings the process runs with: those it was started with, until it is restarted. */
  private final ServeConfig.Server running;
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
    this.running = config.server();
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
      // A missing zone file is that zone's error, below, not the whole reload's.
      next = ServeConfigFile.read(file, false);
    } catch (ServeConfigException e) {
      warn.accept("reload refused, everything stays as it was: " + e.getMessage());
      return null;
    }
    next.warnings().forEach(w -> warn.accept("reload: " + w));
    List<String> changed = changedSettings(running, next.server());
    if (!changed.isEmpty()) {
      warn.accept("reload: " + file + ": " + String.join(", ", changed)
          + (changed.size() == 1 ? " changed; it takes" : " changed; they take")
          + " effect when aliasdns serve is restarted (the zones are reloaded all the same)");
    }
    Map<Name, ConfiguredZone> read = new LinkedHashMap<>();
    List<ServeSession.ZoneSpec> specs = new ArrayList<>();
    Map<Name, ServeSession.ZoneSpec> served = session.zones();
    ZoneKeys.Listing listing = new ZoneKeys.Listing();
    for (ServeConfig.ZoneEntry entry : next.zones()) {
      ConfiguredZone before = zones.get(entry.origin());
      ConfiguredZone now = reread(entry, before);
      if (now != null) {
        now = signed(entry, now, before, served.get(entry.origin()), listing);
      }
      if (now != null) {
        read.put(entry.origin(), now);
        specs.add(now.spec());
      }
    }
    ServeSession.Reloaded done = session.reload(specs);
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
    if (before != null) {
      serialBehind(entry, before, now);
    }
    return now;
  }

  /**
   * The zone signed as its entry says now, its keys read again from the key directory: the
   * signing it is served with when the keys and policy are the same (so that the zone is kept),
   * a new one when they changed (logged, with the keys' warnings). Keys that cannot be used
   * keep the zone's signing as it was (a zone served unsigned stays so, as it was); a new zone
   * whose keys cannot be used is not started (null). Each such failure is logged with the
   * entry's line.
   *
   * @param served the spec the session serves the zone from now, or null if not served
   */
  private @Nullable ConfiguredZone signed(
      ServeConfig.ZoneEntry entry, ConfiguredZone now, @Nullable ConfiguredZone before,
      ServeSession.@Nullable ZoneSpec served, ZoneKeys.Listing listing) {
    ServeSession.Signing was = served == null ? null : served.signing();
    if (entry.dnssec() == null) {
      if (was != null) {
        log.accept("reload: zone " + entry.origin() + " names no dnssec-policy now: served"
            + " unsigned");
      }
      return now.withSigning(null);
    }
    ZoneKeys.Read read;
    try {
      read = ZoneKeys.read(
          entry, now.spec().source(), Instant.now(), was == null ? null : was.madeFrom(),
          listing);
    } catch (UnusableInputException e) {
      if (before == null || served == null) {
        warn.accept("reload: zone " + entry.origin() + " not started: " + e.getMessage());
        return null;
      }
      if (was == null) {
        warn.accept("reload: zone " + entry.origin() + " keeps the version served, unsigned: "
            + e.getMessage());
        return same(before, entry);
      }
      warn.accept("reload: zone " + entry.origin() + " keeps the keys it is signed with: "
          + e.getMessage());
      return now.withSigning(was);
    }
    if (read == null) {
      return now.withSigning(was); // the same keys and policy
    }
    read.warnings().forEach(w -> warn.accept("reload: " + w));
    log.accept("reload: zone " + entry.origin() + ": keys " + read.keyNames() + " (signing by "
        + read.provider() + ")");
    return now.withSigning(read.signing());
  }

  /**
   * Logs a zone file whose serial went back (RFC 1982 §3.2) since it was last read: the serial
   * published does not follow it back, it continues from the last one published (a secondary
   * would ignore a lower one, RFC 1996 §4.7); to publish a lower serial, see the README.
   */
  private void serialBehind(
      ServeConfig.ZoneEntry entry, ConfiguredZone before, ConfiguredZone now) {
    var was = before.spec().source().soa();
    var is = now.spec().source().soa();
    if (was.isEmpty() || is.isEmpty() || !serialGreater(was.get().getSerial(),
        is.get().getSerial())) {
      return;
    }
    long published;
    try {
      published = session.servedSerial(entry.origin());
    } catch (IllegalStateException notServed) {
      return; // a zone left out at start (its signing failed): it starts afresh
    }
    warn.accept("reload: zone " + entry.origin() + ": " + entry.file() + " has serial "
        + is.get().getSerial() + ", behind the " + was.get().getSerial() + " it had (RFC 1982);"
        + " the published serial continues from " + published);
  }

  /** RFC 1982 §3.2: whether serial a is greater than serial b. */
  private static boolean serialGreater(long a, long b) {
    long half = 1L << 31;
    return (a < b && b - a > half) || (a > b && a - b < half);
  }

  /**
   * Names the settings of the process that differ, as the configuration file writes them
   * ({@code server: listen}, {@code key:}, {@code remote:}, {@code acl:}, {@code policy:}).
   */
  static List<String> changedSettings(ServeConfig.Server was, ServeConfig.Server is) {
    List<String> out = new ArrayList<>();
    BiConsumer<String, Function<ServeConfig.Server, @Nullable Object>> compare =
        (name, setting) -> {
          if (!Objects.equals(setting.apply(was), setting.apply(is))) {
            out.add(name);
          }
        };
    compare.accept("server: listen", ServeConfig.Server::listen);
    compare.accept("server: upstreams", ServeConfig.Server::upstreams);
    compare.accept("server: timeout", ServeConfig.Server::timeout);
    compare.accept("server: upstream-queries", ServeConfig.Server::upstreamQueries);
    compare.accept("server: tick", ServeConfig.Server::tick);
    compare.accept("server: udp-threads", ServeConfig.Server::udpThreads);
    compare.accept("server: state-dir", ServeConfig.Server::stateDir);
    compare.accept("server: metrics", ServeConfig.Server::metrics);
    compare.accept("server: rate-limit", ServeConfig.Server::rateLimit);
    compare.accept("server: ixfr-versions", ServeConfig.Server::ixfrVersions);
    compare.accept("server: ixfr-bytes", ServeConfig.Server::ixfrBytes);
    compare.accept("server: catalog", ServeConfig.Server::catalog);
    compare.accept("server: require-tsig", ServeConfig.Server::requireTsig);
    compare.accept("server: loopback-exemption", ServeConfig.Server::loopbackExemption);
    compare.accept("server: trust-anchor", ServeConfig.Server::trustAnchors);
    compare.accept("key:", ServeConfig.Server::keys);
    compare.accept("remote:", ServeConfig.Server::remotes);
    compare.accept("acl:", ServeConfig.Server::acl);
    compare.accept("policy:", ServeConfig.Server::policy);
    return out;
  }

  /** The zone before, under the entry (and policy) the configuration gives now. */
  private static ConfiguredZone same(ConfiguredZone before, ServeConfig.ZoneEntry entry) {
    return new ConfiguredZone(
        entry, new ServeSession.ZoneSpec(before.spec().source(), entry.policy()), before.stamp());
  }
}
