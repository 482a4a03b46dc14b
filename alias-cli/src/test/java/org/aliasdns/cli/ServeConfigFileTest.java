package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.server.TsigKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/** The configuration file of {@code aliasdns serve --config}: what it says, and what it refuses. */
class ServeConfigFileTest {
  private static final String SECRET = "yOdEcHuR8kK5S3YbJp4b5kYxZpQ2Vv9hV3tF3hq2m8Y=";

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("a.zone"), "");
    Files.writeString(dir.resolve("b.zone"), "");
    Files.writeString(
        dir.resolve("keys.conf"),
        "key \"file-key.\" {\n algorithm hmac-sha512;\n secret \"c2VjcmV0\";\n};\n");
    Files.createDirectory(dir.resolve("state"));
    config = dir.resolve("aliasdns.yaml");
  }

  private ServeConfig parse(String text) {
    return ServeConfigFile.parse(text, config);
  }

  /** The message of the refusal of this text. */
  private String refusal(String text) {
    try {
      parse(text);
    } catch (ServeConfigException e) {
      return String.valueOf(e.getMessage());
    }
    throw new AssertionError("accepted: " + text);
  }

  private static final String MINIMAL =
      "server:\n  upstreams: [127.0.0.1:5353]\nzone:\n  - domain: a.example\n    file: a.zone\n";

  @Test
  void everySettingIsRead() {
    ServeConfig c =
        parse(
            "server:\n"
                + "  listen: [127.0.0.1:5300, '[::1]:5300']\n"
                + "  upstreams: [127.0.0.1:5353, 127.0.0.2]\n"
                + "  timeout: 3\n"
                + "  tick: 500ms\n"
                + "  udp-threads: 4\n"
                + "  state-dir: state\n"
                + "  metrics: 127.0.0.1:9153\n"
                + "  rate-limit:\n"
                + "    responses-per-second: 100\n"
                + "    slip: 3\n"
                + "  ixfr-versions: 8\n"
                + "  ixfr-bytes: 65536\n"
                + "  catalog: catalog.invalid.\n"
                + "  require-tsig: true\n"
                + "  loopback-exemption: false\n"
                + "key:\n"
                + "  - id: transfer.\n"
                + "    algorithm: hmac-sha256\n"
                + "    secret: " + SECRET + "\n"
                + "  - file: keys.conf\n"
                + "remote:\n"
                + "  - id: nsd1\n"
                + "    address: 192.0.2.53:5301\n"
                + "    key: transfer.\n"
                + "acl:\n"
                + "  - id: secondaries\n"
                + "    address: [198.51.100.0/24, 2001:db8::/32]\n"
                + "    key: file-key.\n"
                + "    action: transfer\n"
                + "policy:\n"
                + "  max-stale: 3600\n"
                + "  ttl-cap: 600\n"
                + "zone:\n"
                + "  - domain: a.example.\n"
                + "    file: a.zone\n"
                + "  - domain: b.example\n"
                + "    file: b.zone\n"
                + "    scope: apex-cname\n"
                + "    family: ipv4\n"
                + "    ttl-floor: 60\n");

    ServeConfig.Server s = c.server();
    assertThat(s.listen()).hasSize(2);
    assertThat(s.upstreams())
        .containsExactly(
            new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("127.0.0.2", 53));
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.tick()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.udpThreads()).isEqualTo(4);
    assertThat(s.stateDir()).isEqualTo(dir.resolve("state"));
    assertThat(s.metrics()).isEqualTo(new InetSocketAddress("127.0.0.1", 9153));
    assertThat(s.rateLimit()).isEqualTo(new ServeConfig.RateLimit(100, 3, null, null));
    assertThat(s.ixfrVersions()).isEqualTo(8);
    assertThat(s.ixfrBytes()).isEqualTo(65536);
    assertThat(s.catalog()).isEqualTo(Name.fromConstantString("catalog.invalid."));
    assertThat(s.keys()).extracting(TsigKey::name)
        .containsExactly(Name.fromConstantString("transfer."), Name.fromConstantString("file-key."));
    assertThat(s.remotes()).singleElement().satisfies(r -> {
      assertThat(r.address()).isEqualTo(new InetSocketAddress("192.0.2.53", 5301));
      assertThat(r.key()).isEqualTo(Name.fromConstantString("transfer."));
    });
    assertThat(s.acl()).hasSize(2);
    assertThat(s.requireTsig()).isTrue();
    assertThat(s.loopbackExemption()).isFalse();
    assertThat(s.policy().maxStale()).isEqualTo(Duration.ofHours(1));

    assertThat(c.zones()).hasSize(2);
    ServeConfig.ZoneEntry a = c.zones().get(0);
    assertThat(a.origin()).isEqualTo(Name.fromConstantString("a.example."));
    assertThat(a.file()).isEqualTo(dir.resolve("a.zone"));
    assertThat(a.policy()).isEqualTo(s.policy());
    ServeConfig.ZoneEntry b = c.zones().get(1);
    assertThat(b.origin()).isEqualTo(Name.fromConstantString("b.example."));
    assertThat(b.line()).isEqualTo(37);
    assertThat(b.policy().scope()).isEqualTo(FlatteningPolicy.Scope.ALIAS_AND_APEX_CNAME);
    assertThat(b.policy().families()).isEqualTo(Set.of(Family.IPV4));
    assertThat(b.policy().ttlFloor()).isEqualTo(60);
    assertThat(b.policy().ttlCap()).isEqualTo(600); // from policy:
    assertThat(b.policy().maxStale()).isEqualTo(Duration.ofHours(1));

    // The transfer ACL: the remote with its key, the prefixes with theirs.
    var acl = s.transferAcl();
    assertThat(acl.keyFor(new InetSocketAddress("192.0.2.53", 0).getAddress()))
        .contains(Name.fromConstantString("transfer."));
    assertThat(acl.permits(
            new InetSocketAddress("198.51.100.7", 0).getAddress(),
            Name.fromConstantString("file-key.")))
        .isTrue();
    assertThat(acl.permits(new InetSocketAddress("198.51.100.7", 0).getAddress(), null)).isFalse();
  }

  @Test
  void requireTsigHoldsLoopbackToTheKeyUnlessExemptedExplicitly() {
    String required =
        "server:\n  upstreams: [127.0.0.1:5353]\n  require-tsig: true\n"
            + "key:\n  - id: transfer.\n    algorithm: hmac-sha256\n    secret: \"" + SECRET + "\"\n"
            + "zone:\n  - domain: a.example\n    file: a.zone\n";
    ServeConfig.Server s = parse(required).server();
    assertThat(s.loopbackExemption()).isFalse();
    assertThat(s.transferAcl().permits(InetAddress.getLoopbackAddress(), null)).isFalse();

    ServeConfig.Server exempt =
        parse(required.replace("require-tsig: true\n", "require-tsig: true\n  loopback-exemption: true\n"))
            .server();
    assertThat(exempt.transferAcl().permits(InetAddress.getLoopbackAddress(), null)).isTrue();
  }

  @Test
  void aMetricsAddressThatIsAlsoAListenAddressIsRefusedAtItsLine() {
    String text =
        "server:\n  listen: [127.0.0.1:25310, 127.0.0.1:25353]\n  upstreams: [127.0.0.1:5353]\n"
            + "  metrics: 127.0.0.1:25353\n"
            + "zone:\n  - domain: a.example\n    file: a.zone\n";
    assertThat(refusal(text))
        .isEqualTo(config + ":4: metrics: 127.0.0.1:25353 is also a listen: address"
            + " (127.0.0.1:25353); give the metrics another port");
    assertThat(refusal(text.replace("listen: [127.0.0.1:25310, 127.0.0.1:25353]",
            "listen: 0.0.0.0:25353")))
        .contains(":4: metrics: 127.0.0.1:25353 is also a listen: address (0.0.0.0:25353)");
  }

  @Test
  void upstreamQueriesBoundsTheQueriesInFlight() {
    assertThat(parse(MINIMAL.replace("upstreams: [127.0.0.1:5353]\n",
            "upstreams: [127.0.0.1:5353]\n  upstream-queries: 16\n")).server().upstreamQueries())
        .isEqualTo(16);
    assertThat(refusal(MINIMAL.replace("upstreams: [127.0.0.1:5353]\n",
            "upstreams: [127.0.0.1:5353]\n  upstream-queries: 0\n")))
        .contains(":3:").contains("upstream-queries");
  }

  @Test
  void knotsAtPortFormIsRefusedSayingWhatToWrite() {
    assertThat(refusal(MINIMAL.replace("127.0.0.1:5353", "127.0.0.1@5353")))
        .contains(":2:")
        .contains("write ADDR:PORT (Knot's ADDR@PORT is not read)");
  }

  @Test
  void aSecretShorterThanItsHmacIsWarnedOfAtItsLine() {
    String text =
        "server:\n  upstreams: [127.0.0.1:5353]\n"
            + "key:\n  - id: short.\n    algorithm: hmac-sha256\n    secret: c2VjcmV0\n"
            + "  - id: long.\n    algorithm: hmac-sha256\n    secret: \"" + SECRET + "\"\n"
            + "zone:\n  - domain: a.example\n    file: a.zone\n";
    assertThat(parse(text).warnings())
        .containsExactly(config + ":4: warning: key short.: the secret is 6 bytes, shorter than"
            + " hmac-sha256's 32-byte output (RFC 8945 §6 recommends at least that; tsig-keygen"
            + " makes such keys)");
  }

  @Test
  void anAclPrefixWithHostBitsSetIsRefusedWithTheCanonicalPrefix() {
    String text =
        "server:\n  upstreams: [127.0.0.1:5353]\n"
            + "acl:\n  - id: monitoring\n    address: 203.0.113.7/24\n"
            + "zone:\n  - domain: a.example\n    file: a.zone\n";
    assertThat(refusal(text))
        .isEqualTo(config + ":5: address: 203.0.113.7/24 has bits set past its prefix length;"
            + " write the prefix as 203.0.113.0/24, or the host as 203.0.113.7/32");
    assertThat(refusal(text.replace("203.0.113.7/24", "2001:db8::1/64")))
        .contains("write the prefix as 2001:db8:0:0:0:0:0:0/64");
    assertThat(parse(text.replace("203.0.113.7/24", "203.0.113.0/24")).server().acl())
        .hasSize(1);
  }

  @Test
  void aCatalogThatIsAParentOfAServedZoneIsRefused() {
    String text =
        "server:\n  upstreams: [127.0.0.1:5353]\n  catalog: example.\n"
            + "zone:\n  - domain: a.example\n    file: a.zone\n";
    assertThat(refusal(text))
        .isEqualTo(config + ":3: catalog: example. is a parent of the served zone a.example."
            + " (line 5); give the catalog a name of its own, such as catalog.invalid.");
    assertThat(refusal(text.replace("catalog: example.", "catalog: a.example.")))
        .contains("is the catalog zone's name");
  }

  @Test
  void theDefaultsAreLoopbackPort53AndNoExtras() {
    ServeConfig.Server s = parse(MINIMAL).server();
    assertThat(s.listen()).containsExactly(new InetSocketAddress("127.0.0.1", 53));
    assertThat(s.catalog()).isNull();
    assertThat(s.metrics()).isNull();
    assertThat(s.rateLimit()).isNull();
    assertThat(s.keys()).isEmpty();
    assertThat(s.loopbackExemption()).isTrue();
    assertThat(s.upstreamQueries()).isEqualTo(64);
    assertThat(s.policy()).isEqualTo(FlatteningPolicy.defaults());
  }

  @Test
  void anUnknownKeyIsRefusedWithItsLine() {
    assertThat(refusal(MINIMAL + "    scpoe: alias\n"))
        .isEqualTo(config + ":6: unknown key 'scpoe' in a zone; known: chain-limit,"
            + " dnssec-policy, domain, family, file, https, https-alias-mode, max-stale, scope,"
            + " stale-ttl, ttl-cap, ttl-floor");
    assertThat(refusal("sever:\n  upstreams: [127.0.0.1]\n"))
        .startsWith(config + ":1: unknown key 'sever' in the configuration");
  }

  @Test
  void aWrongTypeIsRefusedWithItsLine() {
    assertThat(refusal("server:\n  upstreams: [127.0.0.1]\n  timeout: soon\nzone: []\n"))
        .isEqualTo(config + ":3: timeout: 'soon' is not a whole number");
    assertThat(refusal("server:\n  upstreams: [127.0.0.1]\nzone:\n  domain: a.example\n"))
        .isEqualTo(config + ":4: zone: must be a list (lines starting with '- ')");
    assertThat(refusal("server:\n  upstreams:\n    a: b\n"))
        .isEqualTo(config + ":3: upstreams: must be a single value, not a list or mapping");
  }

  @Test
  void aMissingZoneFileIsRefusedWithItsLine() {
    assertThat(refusal(MINIMAL.replace("a.zone", "missing.zone")))
        .isEqualTo(config + ":5: file: " + dir.resolve("missing.zone") + ": no such file");
  }

  @Test
  void aTrustAnchorFileIsReadRelativeToTheConfigurationOrRefusedWithItsLine() throws Exception {
    Files.writeString(
        dir.resolve("anchors.ds"),
        "; the root's KSK-2017\n"
            + ". 86400 IN DS 20326 8 2"
            + " E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
    Files.writeString(dir.resolve("not-anchors.ds"), "example.net. 300 IN A 192.0.2.1\n");
    String withAnchors = MINIMAL.replace("server:\n", "server:\n  trust-anchor: anchors.ds\n");

    ServeConfig.Server s = parse(withAnchors).server();

    assertThat(parse(MINIMAL).server().trustAnchors()).isNull();
    assertThat(java.util.Objects.requireNonNull(s.trustAnchors()).zones()).extracting(Object::toString).containsExactly(".");
    assertThat(refusal(withAnchors.replace("anchors.ds", "not-anchors.ds")))
        .startsWith(config + ":2: trust-anchor: ")
        .contains("a trust anchor is a DS or DNSKEY record, not example.net.");
    assertThat(refusal(withAnchors.replace("anchors.ds", "none.ds")))
        .isEqualTo(config + ":2: trust-anchor: " + dir.resolve("none.ds") + ": no such file");
  }

  @Test
  void aZoneListedTwiceIsRefusedWithBothLines() {
    assertThat(refusal(MINIMAL + "  - domain: A.EXAMPLE.\n    file: b.zone\n"))
        .isEqualTo(config + ":6: zone A.EXAMPLE. is listed twice (first on line 4)");
  }

  @Test
  void aBadAddressIsRefusedWithItsLine() {
    assertThat(refusal(MINIMAL.replace("127.0.0.1:5353", "resolver.example:53")))
        .startsWith(config + ":2: ");
    assertThat(refusal(MINIMAL + "acl:\n  - address: 192.0.2.0/33\n"))
        .isEqualTo(config + ":7: address: 192.0.2.0/33: the prefix length must be 0..32");
  }

  @Test
  void anUndefinedKeyOrAServerWidePolicySettingInAZoneIsRefused() {
    assertThat(refusal(MINIMAL + "remote:\n  - id: s\n    address: 192.0.2.1\n    key: nope.\n"))
        .isEqualTo(config + ":9: key: nope. is not defined under key:");
    assertThat(refusal(MINIMAL + "    max-stale: 60\n"))
        .startsWith(config + ":6: max-stale applies to every zone");
    assertThat(refusal("policy:\n  family: ipv4\n" + MINIMAL + "    family: [ipv4, ipv6]\n"))
        .startsWith(config + ":8: family: the zone asks for a family that policy: family leaves out");
  }

  @Test
  void httpsTakesTheThreeModesOfServeHttpsPerZoneAndTheOldKeyStillWorks() {
    ServeConfig c =
        parse("policy:\n  https: flatten\n" + MINIMAL + "    https: alias-mode\n"
            + "  - domain: b.example\n    file: b.zone\n");
    assertThat(c.server().policy().httpsMode()).isEqualTo(FlatteningPolicy.HttpsMode.FLATTEN);
    assertThat(c.zones().get(0).policy().httpsMode()).isEqualTo(FlatteningPolicy.HttpsMode.ALIAS_MODE);
    assertThat(c.zones().get(0).policy().synthesizes(org.xbill.DNS.Type.HTTPS)).isFalse();
    assertThat(c.zones().get(1).policy().httpsMode()).isEqualTo(FlatteningPolicy.HttpsMode.FLATTEN);
    assertThat(c.zones().get(1).policy().synthesizes(org.xbill.DNS.Type.HTTPS)).isTrue();
    assertThat(parse(MINIMAL + "    https: OFF\n").zones().get(0).policy().httpsMode())
        .isEqualTo(FlatteningPolicy.HttpsMode.OFF);
    // https-alias-mode: true|false, the older key, means alias-mode|off.
    assertThat(parse(MINIMAL + "    https-alias-mode: true\n").zones().get(0).policy().httpsMode())
        .isEqualTo(FlatteningPolicy.HttpsMode.ALIAS_MODE);
    assertThat(parse("policy:\n  https-alias-mode: yes\n" + MINIMAL).server().policy().httpsMode())
        .isEqualTo(FlatteningPolicy.HttpsMode.ALIAS_MODE);
  }

  @Test
  void aBadHttpsModeBothHttpsKeysOrAZoneFlatteningAloneIsRefusedWithItsLine() {
    assertThat(refusal(MINIMAL + "    https: on\n"))
        .isEqualTo(config + ":6: https: 'on' is not an HTTPS mode: off, alias-mode or flatten");
    assertThat(refusal(MINIMAL + "    https: flatten\n    https-alias-mode: true\n"))
        .isEqualTo(config + ":7: https-alias-mode: and https: are one setting; keep https:"
            + " (off, alias-mode or flatten) and remove https-alias-mode:");
    // The shared resolver asks HTTPS only when policy: flattens it.
    assertThat(refusal(MINIMAL + "    https: flatten\n"))
        .startsWith(config + ":6: https: flatten in a zone needs https: flatten under policy:");
  }

  @Test
  void aBadKeyFileIsRefusedWithItsOwnLine() throws Exception {
    Files.writeString(dir.resolve("bad.conf"), "key k {\n algorithm hmac-sha999;\n secret \"c2VjcmV0\";\n};\n");
    assertThat(refusal(MINIMAL + "key:\n  - file: bad.conf\n"))
        .startsWith(config + ":7: file: " + dir.resolve("bad.conf") + ":1: unknown TSIG algorithm");
  }

  @Test
  void invalidYamlIsRefusedWithItsLine() {
    assertThat(refusal("server:\n  upstreams: [127.0.0.1\nzone: x\n")).startsWith(config + ":3: not valid YAML");
    assertThat(refusal("")).isEqualTo(config + ": empty; it needs at least server: and zone:");
  }

  @Test
  void aMissingFileIsRefused() {
    assertThatThrownBy(() -> ServeConfigFile.read(dir.resolve("none.yaml")))
        .isInstanceOf(ServeConfigException.class)
        .hasMessage(dir.resolve("none.yaml") + ": no such file");
  }

  /** A configuration whose one zone names dnssec-policy signed, given these entry lines. */
  private static String signed(String... policyLines) {
    StringBuilder b =
        new StringBuilder("server:\n  upstreams: [127.0.0.1:5353]\ndnssec-policy:\n  - id: signed\n");
    for (String l : policyLines) {
      b.append("    ").append(l).append('\n');
    }
    return b.append("zone:\n  - domain: a.example\n    file: a.zone\n    dnssec-policy: signed\n")
        .toString();
  }

  @Test
  void aDnssecPolicyIsReadWithKnotsNamesAndAZoneRefersToItById() throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    ServeConfig c =
        parse(signed("key-directory: keys", "nsec3: on", "nsec3-opt-out: on",
            "rrsig-lifetime: 7d", "rrsig-refresh: 2d", "inception-offset: 30m",
            "dnskey-ttl: 600", "crypto: jdk"));
    ServeConfig.DnssecPolicy d = java.util.Objects.requireNonNull(c.zones().get(0).dnssec());
    assertThat(d.id()).isEqualTo("signed");
    assertThat(d.keyDirectory()).isEqualTo(dir.resolve("keys"));
    assertThat(d.crypto()).isEqualTo("jdk");
    assertThat(d.signing().validity()).isEqualTo(Duration.ofDays(7));
    assertThat(d.signing().refreshWindow()).isEqualTo(Duration.ofDays(2));
    assertThat(d.signing().inceptionOffset()).isEqualTo(Duration.ofMinutes(30));
    assertThat(d.signing().dnskeyTtl()).isEqualTo(600L);
    assertThat(d.signing().denial())
        .isEqualTo(new org.aliasdns.core.dnssec.Denial.Nsec3(0, "", true));
    assertThat(c.warnings()).isEmpty();
    // A zone that names none is served unsigned.
    assertThat(parse(MINIMAL).zones().get(0).dnssec()).isNull();
    // RFC 9276 §3.1: iterations and a salt are accepted, with a warning at their line.
    assertThat(parse(signed("key-directory: keys", "nsec3: on", "nsec3-iterations: 5",
            "nsec3-salt: abcd")).warnings())
        .satisfiesExactly(
            w -> assertThat(w).startsWith(config + ":7: warning: nsec3-iterations 5"),
            w -> assertThat(w).startsWith(config + ":8: warning: nsec3-salt"));
  }

  @Test
  void aBadDnssecPolicyIsRefusedAtItsLine() throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    assertThat(refusal(signed("key-directory: none")))
        .isEqualTo(config + ":5: key-directory: " + dir.resolve("none") + ": no such directory");
    assertThat(refusal(signed("key-directory: a.zone")))
        .isEqualTo(config + ":5: key-directory: " + dir.resolve("a.zone") + " is not a directory");
    assertThat(refusal(signed("nsec3: on")))
        .isEqualTo(config + ":4: dnssec-policy signed needs key-directory:");
    assertThat(refusal(signed("key-directory: keys", "nsec3-iterations: 1")))
        .isEqualTo(config + ":6: nsec3-iterations needs nsec3: on");
    assertThat(refusal(signed("key-directory: keys", "nsec3: on", "nsec3-iterations: 101")))
        .isEqualTo(config + ":7: nsec3-iterations: 101 is out of range 0..100");
    assertThat(refusal(signed("key-directory: keys", "rrsig-lifetime: soon")))
        .startsWith(config + ":6: rrsig-lifetime: 'soon' is not a duration");
    assertThat(refusal(signed("key-directory: keys", "rrsig-lifetime: 1d", "rrsig-refresh: 2d")))
        .isEqualTo(config + ":7: rrsig-refresh (172800 s) must be more than 0 and shorter than"
            + " rrsig-lifetime (86400 s)");
    assertThat(refusal(signed("key-directory: keys", "rrsig-lifetime: 2d")))
        .isEqualTo(config + ":6: rrsig-refresh (432000 s) must be more than 0 and shorter than"
            + " rrsig-lifetime (172800 s)");
    assertThat(refusal(signed("key-directory: keys", "rrsig-lifetime: -5d")))
        .isEqualTo(config + ":6: rrsig-lifetime: must be more than 0");
    assertThat(refusal(signed("key-directory: keys", "rrsig-lifetime: 25000d")))
        .startsWith(config + ":6: dnssec-policy signed: signature validity (")
        .contains("must be below 2^31 s");
    assertThat(refusal(signed("key-directory: keys", "crypto: fast")))
        .isEqualTo(config + ":6: crypto: must be auto, accp, nss or jdk, not 'fast'");
    assertThat(refusal(signed("key-directory: keys", "algorithm: 13")))
        .startsWith(config + ":6: unknown key 'algorithm' in a dnssec-policy entry; known: ");
    assertThat(refusal(signed("key-directory: keys").replace("dnssec-policy: signed\n",
            "dnssec-policy: other\n")))
        .isEqualTo(config + ":9: dnssec-policy: no entry with id other under dnssec-policy:"
            + " (known: signed)");
    assertThat(refusal(signed("key-directory: keys").replace("  - id: signed\n",
            "  - id: signed\n    key-directory: keys\n  - id: signed\n")))
        .isEqualTo(config + ":6: dnssec-policy signed is listed twice");
  }
}
