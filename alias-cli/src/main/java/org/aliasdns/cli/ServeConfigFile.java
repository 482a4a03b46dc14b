package org.aliasdns.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.server.ResponseRateLimit;
import org.aliasdns.server.TsigKey;
import org.aliasdns.server.TsigKeyFile;
import org.aliasdns.server.TsigKeyFileException;
import org.aliasdns.server.ZoneHandler;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the configuration file of {@code aliasdns serve --config}: YAML in the shape of Knot's
 * {@code knot.conf} ({@code server:}, {@code key:}, {@code remote:}, {@code acl:}, {@code zone:}
 * lists of {@code - domain: ...}), plus {@code policy:} with the serve flags' policy settings.
 * SnakeYAML Engine parses it into nodes that keep their line and column, and this class checks
 * every key and value against them: an unknown key, a wrong type, a bad address, a duplicate
 * zone or a missing file is a {@link ServeConfigException} naming file, line and reason.
 * Relative paths are taken from the configuration file's directory.
 */
final class ServeConfigFile {
  /** The policy settings a zone may set for itself; the others are the shared resolver's. */
  private static final Set<String> ZONE_POLICY = Set.of("scope", "family", "ttl-floor",
      "https", "https-alias-mode");

  /** The policy settings the shared resolver and monitor apply to every zone. */
  private static final Set<String> SERVER_POLICY = Set.of("ttl-cap", "chain-limit", "stale-ttl",
      "max-stale");

  private final Path file;
  private final Path dir;
  private final boolean zoneFilesNeeded;
  private final List<String> warnings = new ArrayList<>();

  private ServeConfigFile(Path file, boolean zoneFilesNeeded) {
    this.file = file;
    this.zoneFilesNeeded = zoneFilesNeeded;
    Path parent = file.toAbsolutePath().getParent();
    this.dir = parent == null ? Path.of(".") : parent;
  }

  /**
   * Reads and checks a configuration file. Zone files are not read here, only found.
   *
   * @param file the file
   * @return the configuration
   * @throws ServeConfigException if the file cannot be read or says something wrong
   */
  static ServeConfig read(Path file) {
    return read(file, true);
  }

  /**
   * Reads and checks a configuration file; on a reload a zone file that is missing is not an
   * error of the configuration but of its zone alone (which keeps the version served, or is not
   * started), so {@code zoneFilesNeeded} is false there.
   *
   * @param file the file
   * @param zoneFilesNeeded whether a zone file that is not a regular file refuses the whole
   *     configuration (at start), naming the line
   * @return the configuration
   * @throws ServeConfigException if the file cannot be read or says something wrong
   */
  static ServeConfig read(Path file, boolean zoneFilesNeeded) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      throw new ServeConfigException(file + ": no such file");
    } catch (CharacterCodingException e) {
      throw new ServeConfigException(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new ServeConfigException(file + ": cannot be read: " + e.getMessage());
    }
    return new ServeConfigFile(file, zoneFilesNeeded).parse(text);
  }

  /**
   * Reads configuration text, as if from a file (for messages and relative paths).
   *
   * @param text the YAML
   * @param file where it is said to come from
   * @return the configuration
   * @throws ServeConfigException if it says something wrong
   */
  static ServeConfig parse(String text, Path file) {
    return new ServeConfigFile(file, true).parse(text);
  }

  private ServeConfig parse(String text) {
    Node root;
    try {
      LoadSettings settings =
          LoadSettings.builder()
              .setLabel(file.toString())
              .setAllowDuplicateKeys(false)
              .setMaxAliasesForCollections(0)
              .setCodePointLimit(16 * 1024 * 1024)
              .build();
      root = new Compose(settings).composeString(text).orElse(null);
    } catch (MarkedYamlEngineException e) {
      Mark at = e.getProblemMark().orElse(null);
      throw new ServeConfigException(
          file + (at == null ? "" : ":" + (at.getLine() + 1)) + ": not valid YAML: "
              + e.getProblem());
    } catch (YamlEngineException e) {
      throw new ServeConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      throw new ServeConfigException(file + ": empty; it needs at least server: and zone:");
    }
    Map<String, Node> top =
        mapping(root, "the configuration", Set.of("server", "key", "remote", "acl", "policy",
            "dnssec-policy", "zone"));

    Node serverNode = top.get("server");
    Map<String, Node> server =
        serverNode == null
            ? Map.of()
            : mapping(serverNode, "server", Set.of("listen", "upstreams", "timeout", "tick",
                "udp-threads", "state-dir", "metrics", "rate-limit", "ixfr-versions",
                "ixfr-bytes", "catalog", "require-tsig", "loopback-exemption", "trust-anchor",
                "upstream-queries"));
    List<InetSocketAddress> listen = new ArrayList<>();
    Node listenNode = server.get("listen");
    if (listenNode == null) {
      listen.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), HostPort.DNS_PORT));
    } else {
      for (Node n : scalarOrList(listenNode, "listen")) {
        listen.add(address(n, HostPort.DNS_PORT));
      }
    }
    Node upstreamNode = server.get("upstreams");
    if (upstreamNode == null) {
      throw error(serverNode == null ? root : serverNode,
          "server: needs upstreams: the recursive resolvers alias targets are resolved through");
    }
    List<InetSocketAddress> upstreams = new ArrayList<>();
    for (Node n : scalarOrList(upstreamNode, "upstreams")) {
      upstreams.add(address(n, HostPort.DNS_PORT));
    }
    if (upstreams.isEmpty()) {
      throw error(upstreamNode, "upstreams: needs at least one address");
    }
    Duration timeout = Duration.ofSeconds(5);
    Node timeoutNode = server.get("timeout");
    if (timeoutNode != null) {
      timeout = Duration.ofSeconds(integer(timeoutNode, "timeout", 1, 3600));
    }
    int upstreamQueries = ServeSession.DEFAULT_UPSTREAM_QUERIES;
    Node queriesNode = server.get("upstream-queries");
    if (queriesNode != null) {
      upstreamQueries = (int) integer(queriesNode, "upstream-queries", 1, 4096);
    }
    Duration tick = Duration.ofSeconds(1);
    Node tickNode = server.get("tick");
    if (tickNode != null) {
      tick = convert(tickNode, "tick", ServeCommand::duration);
    }
    int udpThreads = 0;
    Node threads = server.get("udp-threads");
    if (threads != null) {
      udpThreads = (int) integer(threads, "udp-threads", 1, 256);
    }
    Path stateDir = null;
    Node stateNode = server.get("state-dir");
    if (stateNode != null) {
      stateDir = dir.resolve(text(stateNode, "state-dir"));
      if (!Files.isDirectory(stateDir)) {
        throw error(stateNode, "state-dir: " + stateDir + " is not a directory");
      }
    }
    org.aliasdns.resolver.TrustAnchors trustAnchors = null;
    Node anchorNode = server.get("trust-anchor");
    if (anchorNode != null) {
      Path anchorFile = dir.resolve(text(anchorNode, "trust-anchor"));
      try {
        trustAnchors = org.aliasdns.resolver.TrustAnchors.read(anchorFile);
      } catch (org.aliasdns.core.zonefile.ZoneFileException e) {
        throw error(anchorNode, "trust-anchor: " + e.getMessage());
      }
    }
    InetSocketAddress metrics = null;
    Node metricsNode = server.get("metrics");
    if (metricsNode != null) {
      metrics = convert(metricsNode, "metrics", ServeCommand::metricsAddress);
      for (InetSocketAddress l : listen) {
        // The exporter's HTTP is over TCP, as DNS is: the same address and port cannot be both.
        boolean sameAddress =
            l.getAddress().equals(metrics.getAddress())
                || l.getAddress().isAnyLocalAddress()
                || metrics.getAddress().isAnyLocalAddress();
        if (metrics.getPort() != 0 && l.getPort() == metrics.getPort() && sameAddress) {
          throw error(metricsNode, "metrics: " + ServeSession.text(metrics)
              + " is also a listen: address (" + ServeSession.text(l)
              + "); give the metrics another port");
        }
      }
    }
    ServeConfig.RateLimit rateLimit = null;
    Node rrl = server.get("rate-limit");
    if (rrl != null) {
      rateLimit = rateLimit(rrl);
    }
    int ixfrVersions = ZoneHandler.DEFAULT_JOURNAL_VERSIONS;
    Node versions = server.get("ixfr-versions");
    if (versions != null) {
      ixfrVersions = (int) integer(versions, "ixfr-versions", 0, 1_000_000);
    }
    long ixfrBytes = ZoneHandler.DEFAULT_JOURNAL_BYTES;
    Node bytes = server.get("ixfr-bytes");
    if (bytes != null) {
      ixfrBytes = integer(bytes, "ixfr-bytes", 0, Long.MAX_VALUE);
    }
    Name catalog = null;
    Node catalogNode = server.get("catalog");
    if (catalogNode != null) {
      catalog = name(catalogNode, "catalog");
    }
    boolean requireTsig = flag(server.get("require-tsig"), "require-tsig", false);
    // With require-tsig, loopback transfers unsigned only when the operator says so: a
    // "require" that loopback (or a proxy that looks local) slips past is no requirement.
    boolean loopbackExemption =
        flag(server.get("loopback-exemption"), "loopback-exemption", !requireTsig);

    Map<Name, TsigKey> keys = new LinkedHashMap<>();
    Node keyList = top.get("key");
    if (keyList != null) {
      for (Node k : list(keyList, "key")) {
        for (TsigKey key : keys(k)) {
          if (keys.putIfAbsent(key.name(), key) != null) {
            throw error(k, "key " + key.name() + " is defined twice");
          }
          shortSecret(k, key);
        }
      }
    }
    if (requireTsig && keys.isEmpty()) {
      throw error(Objects.requireNonNullElse(server.get("require-tsig"), root),
          "require-tsig: true needs at least one key under key:");
    }

    List<ServeConfig.Remote> remotes = new ArrayList<>();
    Node remoteList = top.get("remote");
    if (remoteList != null) {
      Set<String> ids = new java.util.HashSet<>();
      for (Node r : list(remoteList, "remote")) {
        Map<String, Node> m = mapping(r, "a remote", Set.of("id", "address", "key"));
        String id = text(required(m, r, "id", "a remote"), "id");
        if (!ids.add(id)) {
          throw error(m.get("id"), "remote " + id + " is defined twice");
        }
        InetSocketAddress at =
            address(required(m, r, "address", "remote " + id), HostPort.DNS_PORT);
        Name key = m.containsKey("key") ? knownKey(m.get("key"), keys) : null;
        remotes.add(new ServeConfig.Remote(id, at, key));
      }
    }

    List<ServeConfig.AclRule> acl = new ArrayList<>();
    Node aclList = top.get("acl");
    if (aclList != null) {
      for (Node a : list(aclList, "acl")) {
        Map<String, Node> m = mapping(a, "an acl rule", Set.of("id", "address", "key", "action"));
        Node action = m.get("action");
        if (action != null && !text(action, "action").equals("transfer")) {
          throw error(action, "action: only transfer is supported (NOTIFY goes to remote:)");
        }
        Name key = m.containsKey("key") ? knownKey(m.get("key"), keys) : null;
        Node addresses = m.get("address");
        if (addresses == null) {
          if (key == null) {
            throw error(a, "an acl rule needs address:, key: or both");
          }
          acl.add(new ServeConfig.AclRule(null, 0, key));
          continue;
        }
        for (Node n : scalarOrList(addresses, "address")) {
          acl.add(prefix(n, key));
        }
      }
    }

    Map<String, Node> policyNode =
        top.containsKey("policy")
            ? mapping(top.get("policy"), "policy", union(ZONE_POLICY, SERVER_POLICY))
            : Map.of();
    FlatteningPolicy policy = policy(FlatteningPolicy.builder(), policyNode, top.get("policy"));

    Map<String, ServeConfig.DnssecPolicy> dnssecPolicies = new LinkedHashMap<>();
    Node dnssecNode = top.get("dnssec-policy");
    if (dnssecNode != null) {
      for (Node n : list(dnssecNode, "dnssec-policy")) {
        ServeConfig.DnssecPolicy d = dnssecPolicy(n);
        if (dnssecPolicies.put(d.id(), d) != null) {
          throw error(n, "dnssec-policy " + d.id() + " is listed twice");
        }
      }
    }
    Node zoneList = top.get("zone");
    if (zoneList == null) {
      throw error(root, "zone: is missing: list the zones to serve, each as - domain: ...");
    }
    List<ServeConfig.ZoneEntry> zones = new ArrayList<>();
    Map<Name, Node> origins = new HashMap<>();
    for (Node z : list(zoneList, "zone")) {
      Map<String, Node> m =
          mapping(z, "a zone", union(Set.of("domain", "file", "dnssec-policy"),
              union(ZONE_POLICY, SERVER_POLICY)));
      Node domainNode = required(m, z, "domain", "a zone");
      Name origin = name(domainNode, "domain");
      Node before = origins.putIfAbsent(origin, domainNode);
      if (before != null) {
        throw error(domainNode, "zone " + origin + " is listed twice (first on line "
            + line(before) + ")");
      }
      if (origin.equals(catalog)) {
        throw error(domainNode, "zone " + origin + " is the catalog zone's name (server: catalog)");
      }
      if (catalog != null && origin.subdomain(catalog)) {
        // The catalog would hold a served zone's names: its member list and that zone collide.
        throw error(catalogNode, "catalog: " + catalog + " is a parent of the served zone "
            + origin + " (line " + line(domainNode) + "); give the catalog a name of its own,"
            + " such as catalog.invalid.");
      }
      for (String s : SERVER_POLICY) {
        Node n = m.get(s);
        if (n != null) {
          throw error(n, s + " applies to every zone (the shared resolver and monitor apply it):"
              + " set it under policy:");
        }
      }
      Node fileNode = required(m, z, "file", "zone " + origin);
      Path zoneFile = dir.resolve(text(fileNode, "file"));
      if (zoneFilesNeeded && !Files.isRegularFile(zoneFile)) {
        throw error(fileNode, "file: " + zoneFile + (Files.exists(zoneFile)
            ? " is not a regular file" : ": no such file"));
      }
      FlatteningPolicy zonePolicy = policy(policy.toBuilder(), m, z);
      if (!policy.families().containsAll(zonePolicy.families())) {
        throw error(Objects.requireNonNullElse(m.get("family"), z),
            "family: the zone asks for a family that policy: family leaves out, which the"
                + " shared resolver then does not resolve");
      }
      if (!policy.synthesizedFamilies().containsAll(zonePolicy.synthesizedFamilies())) {
        // The one resolver all zones share asks HTTPS only under policy:'s https: flatten.
        throw error(Objects.requireNonNullElse(m.get("https"), z),
            "https: flatten in a zone needs https: flatten under policy:, since the shared"
                + " resolver asks targets for HTTPS records only then (a zone may still say"
                + " off or alias-mode)");
      }
      ServeConfig.DnssecPolicy dnssec = null;
      Node dnssecRef = m.get("dnssec-policy");
      if (dnssecRef != null) {
        String id = text(dnssecRef, "dnssec-policy");
        dnssec = dnssecPolicies.get(id);
        if (dnssec == null) {
          throw error(dnssecRef, "dnssec-policy: no entry with id " + id + " under dnssec-policy:"
              + (dnssecPolicies.isEmpty() ? "" : " (known: " + String.join(", ",
                  dnssecPolicies.keySet()) + ")"));
        }
      }
      zones.add(
          new ServeConfig.ZoneEntry(origin, zoneFile, zonePolicy, line(z), file, dnssec));
    }
    if (zones.isEmpty()) {
      throw error(zoneList, "zone: lists no zone");
    }
    ServeConfig.Server settings =
        new ServeConfig.Server(
            listen,
            upstreams,
            timeout,
            tick,
            udpThreads,
            stateDir,
            metrics,
            rateLimit,
            ixfrVersions,
            ixfrBytes,
            catalog,
            List.copyOf(keys.values()),
            remotes,
            acl,
            requireTsig,
            loopbackExemption,
            policy,
            trustAnchors,
            upstreamQueries);
    return new ServeConfig(file, settings, zones, warnings);
  }

  /**
   * One {@code dnssec-policy:} entry: its id, its key directory (which must exist at start) and
   * the signing settings, named as Knot names them where it has them ({@code rrsig-lifetime},
   * {@code rrsig-refresh}, {@code nsec3-opt-out}) and as {@code aliasdns sign} does otherwise.
   */
  private ServeConfig.DnssecPolicy dnssecPolicy(Node n) {
    Map<String, Node> m =
        mapping(n, "a dnssec-policy entry", Set.of("id", "key-directory", "nsec3",
            "nsec3-iterations", "nsec3-salt", "nsec3-opt-out", "rrsig-lifetime", "rrsig-refresh",
            "inception-offset", "dnskey-ttl", "crypto"));
    String id = text(required(m, n, "id", "a dnssec-policy entry"), "id");
    String what = "dnssec-policy " + id;
    Node dirNode = required(m, n, "key-directory", what);
    Path keyDirectory = dir.resolve(text(dirNode, "key-directory"));
    if (zoneFilesNeeded && !Files.isDirectory(keyDirectory)) {
      throw error(dirNode, "key-directory: " + keyDirectory + (Files.exists(keyDirectory)
          ? " is not a directory" : ": no such directory"));
    }
    boolean nsec3 = flag(m.get("nsec3"), "nsec3", false);
    for (String only : List.of("nsec3-iterations", "nsec3-salt", "nsec3-opt-out")) {
      if (!nsec3 && m.containsKey(only)) {
        throw error(m.get(only), only + " needs nsec3: on");
      }
    }
    org.aliasdns.core.dnssec.SigningPolicy.Builder b =
        org.aliasdns.core.dnssec.SigningPolicy.builder();
    if (nsec3) {
      // RFC 9276 §3.2: validators may treat more than 100 iterations as insecure.
      Node itNode = m.get("nsec3-iterations");
      int iterations = itNode == null ? 0 : (int) integer(itNode, "nsec3-iterations", 0,
          SigningPolicyOptions.MAX_NSEC3_ITERATIONS);
      Node saltNode = m.get("nsec3-salt");
      String salt = saltNode == null ? "" : text(saltNode, "nsec3-salt");
      if (itNode != null && iterations > 0) {
        warnings.add(file + ":" + line(itNode) + ": warning: nsec3-iterations " + iterations
            + ": RFC 9276 §3.1 says zones MUST use 0 extra iterations");
      }
      if (saltNode != null && !salt.isEmpty() && !salt.equals("-")) {
        warnings.add(file + ":" + line(saltNode) + ": warning: nsec3-salt: RFC 9276 §3.1"
            + " says zones SHOULD NOT use a salt");
      }
      try {
        b.denial(new org.aliasdns.core.dnssec.Denial.Nsec3(iterations, salt,
            flag(m.get("nsec3-opt-out"), "nsec3-opt-out", false)));
      } catch (IllegalArgumentException e) {
        throw error(saltNode == null ? n : saltNode, what + ": " + e.getMessage());
      }
    }
    Node lifetime = m.get("rrsig-lifetime");
    Node refresh = m.get("rrsig-refresh");
    Node offset = m.get("inception-offset");
    Node ttl = m.get("dnskey-ttl");
    Duration validity = org.aliasdns.core.dnssec.SigningPolicy.DEFAULT_VALIDITY;
    Duration window = org.aliasdns.core.dnssec.SigningPolicy.DEFAULT_REFRESH_WINDOW;
    if (lifetime != null) {
      validity = signingDuration(lifetime, "rrsig-lifetime");
      if (validity.isNegative() || validity.isZero()) {
        throw error(lifetime, "rrsig-lifetime: must be more than 0");
      }
      b.validity(validity);
    }
    if (refresh != null) {
      window = signingDuration(refresh, "rrsig-refresh");
      b.refreshWindow(window);
    }
    // A window of 0 would renew a signature only once expired (RFC 4035 §5.3.1).
    if (window.isNegative() || window.isZero() || window.compareTo(validity) >= 0) {
      throw error(refresh != null ? refresh : lifetime,
          "rrsig-refresh (" + window.getSeconds() + " s) must be more than 0 and shorter than"
              + " rrsig-lifetime (" + validity.getSeconds() + " s)");
    }
    if (offset != null) {
      Duration o = signingDuration(offset, "inception-offset");
      if (o.isNegative()) {
        throw error(offset, "inception-offset: must not be negative");
      }
      b.inceptionOffset(o);
    }
    if (ttl != null) {
      b.dnskeyTtl(integer(ttl, "dnskey-ttl", 0, 0x7fffffffL));
    }
    Node cryptoNode = m.get("crypto");
    String crypto = "auto";
    if (cryptoNode != null) {
      crypto = text(cryptoNode, "crypto").toLowerCase(Locale.ROOT);
      if (!List.of("auto", "accp", "nss", "jdk").contains(crypto)) {
        throw error(cryptoNode, "crypto: must be auto, accp, nss or jdk, not '"
            + text(cryptoNode, "crypto") + "'");
      }
    }
    try {
      return new ServeConfig.DnssecPolicy(id, keyDirectory, b.build(), crypto);
    } catch (IllegalArgumentException e) {
      // Lifetime and inception offset together beyond RFC 4034 §3.1.5's 2^31 s.
      throw error(lifetime != null ? lifetime : offset != null ? offset : n,
          what + ": " + e.getMessage());
    }
  }

  /** A duration as {@code aliasdns sign} takes it: seconds, or a number with s, m, h, d, w. */
  private Duration signingDuration(Node node, String what) {
    String t = text(node, what);
    try {
      return SignCommand.duration(what, t);
    } catch (UnusableInputException e) {
      throw error(node, String.valueOf(e.getMessage()));
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return out;
  }

  /** Keys inline ({@code id}, {@code algorithm}, {@code secret}) or from a BIND key file. */
  private List<TsigKey> keys(Node k) {
    Map<String, Node> m = mapping(k, "a key", Set.of("id", "algorithm", "secret", "file"));
    Node fileNode = m.get("file");
    if (fileNode != null) {
      if (m.size() > 1) {
        throw error(k, "a key is either file: (BIND's key-file form) or id:, algorithm: and"
            + " secret:, not both");
      }
      Path keyFile = dir.resolve(text(fileNode, "file"));
      try {
        return TsigKeyFile.read(keyFile);
      } catch (NoSuchFileException e) {
        throw error(fileNode, "file: " + keyFile + ": no such file");
      } catch (IOException e) {
        throw error(fileNode, "file: " + keyFile + ": cannot be read: " + e.getMessage());
      } catch (TsigKeyFileException e) {
        throw error(fileNode, "file: " + e.source() + (e.line() > 0 ? ":" + e.line() : "")
            + ": " + e.reason());
      }
    }
    Node id = required(m, k, "id", "a key");
    String name = text(id, "id");
    String algorithm = text(required(m, k, "algorithm", "key " + name), "algorithm");
    Node secret = required(m, k, "secret", "key " + name);
    try {
      return List.of(TsigKey.of(name, algorithm, text(secret, "secret")));
    } catch (IllegalArgumentException e) {
      throw error(k, "key " + name + ": " + e.getMessage());
    }
  }

  /**
   * Warns of a secret shorter than its HMAC's output: RFC 8945 §6 recommends at least that many
   * bytes (tsig-keygen makes such keys).
   */
  private void shortSecret(Node at, TsigKey key) {
    int hashBytes =
        switch (key.algorithmMnemonic()) {
          case "hmac-md5" -> 16;
          case "hmac-sha1" -> 20;
          case "hmac-sha224" -> 28;
          case "hmac-sha256" -> 32;
          case "hmac-sha384" -> 48;
          case "hmac-sha512" -> 64;
          default -> 0;
        };
    int secretBytes = java.util.Base64.getDecoder().decode(key.secretBase64()).length;
    if (secretBytes < hashBytes) {
      warnings.add(file + ":" + line(at) + ": warning: key " + key.name() + ": the secret is "
          + secretBytes + " bytes, shorter than " + key.algorithmMnemonic() + "'s "
          + hashBytes + "-byte output (RFC 8945 §6 recommends at least that; tsig-keygen"
          + " makes such keys)");
    }
  }

  private Name knownKey(Node n, Map<Name, TsigKey> keys) {
    Name key = name(n, "key");
    if (!keys.containsKey(key)) {
      throw error(n, "key: " + key + " is not defined under key:");
    }
    return key;
  }

  private ServeConfig.AclRule prefix(Node n, @Nullable Name key) {
    String t = text(n, "address");
    int slash = t.indexOf('/');
    String host = slash < 0 ? t : t.substring(0, slash);
    InetAddress a;
    try {
      a = HostPort.address(host);
    } catch (TypeConversionException | UnusableInputException e) {
      throw error(n, "address: " + e.getMessage());
    }
    int max = a.getAddress().length * 8;
    int length = max;
    if (slash >= 0) {
      try {
        length = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        length = -1;
      }
      if (length < 0 || length > max) {
        throw error(n, "address: " + t + ": the prefix length must be 0.." + max);
      }
    }
    byte[] bytes = a.getAddress();
    byte[] network = bytes.clone();
    for (int i = 0; i < network.length; i++) {
      int bits = Math.max(0, Math.min(8, length - 8 * i));
      network[i] &= (byte) (0xFF << (8 - bits));
    }
    if (!java.util.Arrays.equals(bytes, network)) {
      // 203.0.113.7/24 is most likely a typo for a host (/32) or the prefix 203.0.113.0/24.
      String canonical;
      try {
        canonical = InetAddress.getByAddress(network).getHostAddress() + "/" + length;
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
      }
      throw error(n, "address: " + t + " has bits set past its prefix length; write the prefix"
          + " as " + canonical + ", or the host as " + host + "/" + max);
    }
    return new ServeConfig.AclRule(a, length, key);
  }

  private ServeConfig.RateLimit rateLimit(Node rrl) {
    Map<String, Node> m =
        mapping(rrl, "rate-limit", Set.of("responses-per-second", "slip", "ipv4-prefix",
            "ipv6-prefix"));
    Node rate = m.get("responses-per-second");
    ServeConfig.RateLimit limit =
        new ServeConfig.RateLimit(
            rate == null
                ? ResponseRateLimit.DEFAULT_RESPONSES_PER_SECOND
                : (int) integer(rate, "responses-per-second", 1, 1_000_000_000),
            m.containsKey("slip") ? (int) integer(m.get("slip"), "slip", 0, 1000) : null,
            m.containsKey("ipv4-prefix") ? (int) integer(m.get("ipv4-prefix"), "ipv4-prefix", 0, 32)
                : null,
            m.containsKey("ipv6-prefix")
                ? (int) integer(m.get("ipv6-prefix"), "ipv6-prefix", 0, 128)
                : null);
    try {
      ServeSession.rateLimit(limit);
    } catch (IllegalArgumentException e) {
      throw error(rrl, "rate-limit: " + e.getMessage());
    }
    return limit;
  }

  /** Applies the policy settings a mapping gives to a builder. */
  private FlatteningPolicy policy(
      FlatteningPolicy.Builder b, Map<String, Node> m, @Nullable Node where) {
    try {
      Node scope = m.get("scope");
      if (scope != null) {
        b.scope(convert(scope, "scope", new PolicyOptions.ScopeConverter()::convert));
      }
      Node family = m.get("family");
      if (family != null) {
        List<Family> families = new ArrayList<>();
        for (Node n : scalarOrList(family, "family")) {
          families.add(convert(n, "family", new PolicyOptions.FamilyConverter()::convert));
        }
        if (families.isEmpty()) {
          throw error(family, "family: needs ipv4, ipv6 or both");
        }
        b.families(families.get(0), families.subList(1, families.size()).toArray(new Family[0]));
      }
      Node floor = m.get("ttl-floor");
      if (floor != null) {
        b.ttlFloor(integer(floor, "ttl-floor", 0, 0x7FFF_FFFFL));
      }
      Node cap = m.get("ttl-cap");
      if (cap != null) {
        b.ttlCap(integer(cap, "ttl-cap", 0, 0x7FFF_FFFFL));
      }
      Node chain = m.get("chain-limit");
      if (chain != null) {
        b.chainLimit((int) integer(chain, "chain-limit", 1, 1000));
      }
      Node staleTtl = m.get("stale-ttl");
      if (staleTtl != null) {
        b.staleTtl(integer(staleTtl, "stale-ttl", 0, 0x7FFF_FFFFL));
      }
      Node maxStale = m.get("max-stale");
      if (maxStale != null) {
        b.maxStale(Duration.ofSeconds(integer(maxStale, "max-stale", 0, 0x7FFF_FFFFL)));
      }
      // https: off | alias-mode | flatten, as serve --https; https-alias-mode: true|false is
      // the older spelling of the first two, kept working, and not allowed beside https:.
      Node https = m.get("https");
      Node aliasMode = m.get("https-alias-mode");
      if (https != null && aliasMode != null) {
        throw error(aliasMode, "https-alias-mode: and https: are one setting; keep https:"
            + " (off, alias-mode or flatten) and remove https-alias-mode:");
      }
      if (https != null) {
        b.https(convert(https, "https", new PolicyOptions.HttpsModeConverter()::convert));
      } else if (aliasMode != null) {
        b.httpsAliasMode(flag(aliasMode, "https-alias-mode", false));
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw error(where, "policy: " + e.getMessage());
    }
  }

  // --- nodes -----------------------------------------------------------------------------

  /** A mapping with string keys, each allowed and given once. */
  private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, what + " must be a mapping (key: value lines)");
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : mapping.getValue()) {
      Node keyNode = t.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar)) {
        throw error(keyNode, "a key in " + what + " must be a word");
      }
      String key = scalar.getValue();
      if (!allowed.contains(key)) {
        throw error(keyNode, "unknown key '" + key + "' in " + what + "; known: "
            + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
      if (out.put(key, t.getValueNode()) != null) {
        throw error(keyNode, key + " is given twice in " + what);
      }
    }
    return out;
  }

  private Node required(Map<String, Node> m, Node owner, String key, String what) {
    Node n = m.get(key);
    if (n == null) {
      throw error(owner, what + " needs " + key + ":");
    }
    return n;
  }

  private List<Node> list(Node node, String what) {
    if (!(node instanceof SequenceNode seq)) {
      throw error(node, what + ": must be a list (lines starting with '- ')");
    }
    return seq.getValue();
  }

  /** A single value or a list of values. */
  private List<Node> scalarOrList(Node node, String what) {
    if (node instanceof SequenceNode seq) {
      for (Node n : seq.getValue()) {
        text(n, what);
      }
      return seq.getValue();
    }
    text(node, what);
    return List.of(node);
  }

  private String text(Node node, String what) {
    if (!(node instanceof ScalarNode scalar)) {
      throw error(node, what + ": must be a single value, not a list or mapping");
    }
    String v = scalar.getValue().trim();
    if (v.isEmpty()) {
      throw error(node, what + ": is empty");
    }
    return v;
  }

  private long integer(Node node, String what, long min, long max) {
    String t = text(node, what);
    long v;
    try {
      v = Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw error(node, what + ": '" + t + "' is not a whole number");
    }
    if (v < min || v > max) {
      throw error(node, what + ": " + v + " is out of range " + min + ".." + max);
    }
    return v;
  }

  private boolean flag(@Nullable Node node, String what, boolean otherwise) {
    if (node == null) {
      return otherwise;
    }
    String t = text(node, what).toLowerCase(Locale.ROOT);
    return switch (t) {
      case "true", "on", "yes" -> true;
      case "false", "off", "no" -> false;
      default -> throw error(node, what + ": '" + t + "' is not true or false");
    };
  }

  private Name name(Node node, String what) {
    String t = text(node, what);
    try {
      return Name.fromString(t.endsWith(".") ? t : t + ".");
    } catch (TextParseException e) {
      throw error(node, what + ": '" + t + "' is not a domain name: " + e.getMessage());
    }
  }

  private InetSocketAddress address(Node node, int defaultPort) {
    String t = text(node, "address");
    try {
      return HostPort.parse(t, defaultPort);
    } catch (TypeConversionException | UnusableInputException e) {
      throw error(node, String.valueOf(e.getMessage()));
    }
  }

  private <T> T convert(Node node, String what, Function<String, T> converter) {
    String t = text(node, what);
    try {
      return converter.apply(t);
    } catch (TypeConversionException | IllegalArgumentException | UnusableInputException e) {
      throw error(node, what + ": " + e.getMessage());
    }
  }

  private static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  private ServeConfigException error(@Nullable Node node, String reason) {
    int line = node == null ? 0 : line(node);
    return new ServeConfigException(file + (line > 0 ? ":" + line : "") + ": " + reason);
  }
}
