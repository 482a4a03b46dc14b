package org.aliasdns.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.server.TransferAcl;
import org.aliasdns.server.TsigKey;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * What a configuration file of {@code aliasdns serve --config} says, checked: the server's
 * settings, which a reload cannot change, and the zones, which it can. Read by {@link
 * ServeConfigFile}.
 *
 * @param file the configuration file
 * @param server the settings of the process: listeners, upstreams, keys, secondaries, ACL
 * @param zones the zones, no two with the same origin
 * @param warnings what is accepted but unwise ({@code file:line: warning: ...}), to be logged
 */
record ServeConfig(Path file, Server server, List<ZoneEntry> zones, List<String> warnings) {
  ServeConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(server, "server");
    zones = List.copyOf(zones);
    warnings = List.copyOf(warnings);
  }

  /**
   * The settings a running process keeps until it is restarted. Records all through, so that a
   * reload tells whether any of them changed by {@code equals}.
   *
   * @param listen the addresses to serve DNS on, UDP and TCP, at least one
   * @param upstreams the recursive resolvers, at least one, in order of preference (failover as
   *     {@link org.aliasdns.resolver.Upstreams} describes)
   * @param timeout how long one upstream query may take
   * @param tick how often the monitor looks for due refreshes
   * @param udpThreads UDP receiver threads per listener, or 0 for the server's default
   * @param stateDir where each zone's last serial is kept, or null
   * @param metrics the Prometheus exporter's address, or null for none
   * @param rateLimit response rate limiting, or null for none
   * @param ixfrVersions earlier versions each zone's IXFR journal keeps
   * @param ixfrBytes record bytes each zone's IXFR journal keeps
   * @param catalog the catalog zone's origin (RFC 9432), or null for none
   * @param keys the TSIG keys (RFC 8945)
   * @param remotes the secondaries told of every new serial (RFC 1996)
   * @param acl who may transfer every zone
   * @param requireTsig whether every transfer needs a valid key
   * @param loopbackExemption whether loopback may transfer without a rule
   * @param policy the policy every zone starts from; its resolution settings (chain limit,
   *     stale TTL, max stale, TTL cap) are the shared resolver's and monitor's
   * @param trustAnchors the DNSSEC trust anchors alias targets are validated from, or null
   *     for no validation
   * @param upstreamQueries upstream queries in flight at once, at most
   */
  record Server(
      List<InetSocketAddress> listen,
      List<InetSocketAddress> upstreams,
      Duration timeout,
      Duration tick,
      int udpThreads,
      @Nullable Path stateDir,
      @Nullable InetSocketAddress metrics,
      @Nullable RateLimit rateLimit,
      int ixfrVersions,
      long ixfrBytes,
      @Nullable Name catalog,
      List<TsigKey> keys,
      List<Remote> remotes,
      List<AclRule> acl,
      boolean requireTsig,
      boolean loopbackExemption,
      FlatteningPolicy policy,
      org.aliasdns.resolver.@Nullable TrustAnchors trustAnchors,
      int upstreamQueries) {
    Server {
      listen = List.copyOf(listen);
      upstreams = List.copyOf(upstreams);
      keys = List.copyOf(keys);
      remotes = List.copyOf(remotes);
      acl = List.copyOf(acl);
    }

    /**
     * Builds the transfer ACL: each ACL rule, and each remote by its address (RFC 1996: a
     * notified secondary must be able to pull the zone), with its key where it has one.
     */
    TransferAcl transferAcl() {
      TransferAcl.Builder b =
          TransferAcl.builder().requireTsig(requireTsig).loopbackExempt(loopbackExemption);
      for (Remote r : remotes) {
        InetAddress a = r.address().getAddress();
        Name key = r.key();
        if (key == null) {
          b.allow(a, ServeSession.hostPrefix(a));
        } else {
          b.allow(a, ServeSession.hostPrefix(a), key);
        }
      }
      for (AclRule rule : acl) {
        InetAddress network = rule.network();
        Name key = rule.key();
        if (network == null) {
          b.allowKey(Objects.requireNonNull(key, "a rule without an address has a key"));
        } else if (key == null) {
          b.allow(network, rule.prefixLength());
        } else {
          b.allow(network, rule.prefixLength(), key);
        }
      }
      return b.build();
    }
  }

  /**
   * Response rate limiting as configured; null fields keep {@code ResponseRateLimit}'s defaults.
   */
  record RateLimit(
      int responsesPerSecond,
      @Nullable Integer slip,
      @Nullable Integer ipv4Prefix,
      @Nullable Integer ipv6Prefix) {}

  /**
   * A secondary: NOTIFY goes to it on every new serial, signed with its key if it has one, and it
   * may transfer (with that key, if given).
   */
  record Remote(String id, InetSocketAddress address, @Nullable Name key) {}

  /**
   * One transfer rule: a prefix, a key, or a prefix with a key.
   *
   * @param network an address of the prefix, or null for "from anywhere, with the key"
   * @param prefixLength the prefix length, ignored without a network
   * @param key the key the request must be signed with, or null
   */
  record AclRule(@Nullable InetAddress network, int prefixLength, @Nullable Name key) {}

  /**
   * One zone as configured.
   *
   * @param origin the zone's origin, absolute
   * @param file its zone file, resolved against the configuration file's directory
   * @param policy the zone's flattening policy: the configuration's with the zone's own settings
   * @param line the line of the configuration file that starts the zone's entry, 1-based
   * @param config the configuration file that names the zone
   * @param dnssec the DNSSEC policy the zone is signed under, or null to serve it unsigned
   */
  record ZoneEntry(
      Name origin,
      Path file,
      FlatteningPolicy policy,
      int line,
      Path config,
      @Nullable DnssecPolicy dnssec) {
    /** An unsigned zone. */
    ZoneEntry(Name origin, Path file, FlatteningPolicy policy, int line, Path config) {
      this(origin, file, policy, line, config, null);
    }

    /** Where the entry is, as {@code config:line}, for messages. */
    String where() {
      return config + ":" + line;
    }
  }

  /**
   * One entry of {@code dnssec-policy:}: how the zones that name it are signed (RFC 4033–4035)
   * and where their keys are.
   *
   * @param id the name zones refer to it by
   * @param keyDirectory where each zone's keys are found, as BIND's {@code key-directory}: the
   *     {@code K<zone>+<alg>+<tag>.key} and {@code .private} files, read again on every reload
   * @param signing the signing policy: denial of existence, signature timing, DNSKEY TTL
   * @param crypto who computes the signatures ({@code auto}, {@code accp}, {@code nss}, {@code
   *     jdk}; {@link SigningCrypto#choose})
   */
  record DnssecPolicy(
      String id, Path keyDirectory, org.aliasdns.core.dnssec.SigningPolicy signing,
      String crypto) {}
}
