package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.core.tools.CatalogSecondary;
import org.aliasdns.core.tools.NsdSecondary;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A real Knot ({@code catalog-role: interpret}) and a real BIND 9.18 ({@code catalog-zones}) on
 * 127.0.0.1, configured with nothing but our catalog zone (RFC 9432) and a TSIG key (RFC 8945):
 * the README's configurations ({@link ReadmeSecondaries}),
 * behind {@code aliasdns serve --config} with the key required even from loopback: they pick up
 * every zone; when a target moves they follow each affected zone's signed NOTIFY to its new
 * serial (RFC 1996); a reload (what SIGHUP runs) that adds a zone and removes one has them gain
 * the first (transferred, then following its NOTIFYs too) and drop the second. Skipped with a
 * printed reason when knotd or named is missing (failed under {@code ALIAS_REQUIRE_TOOLS=1}).
 */
class CatalogReloadSecondaryTest {
  /** The key of the README's examples, which the secondaries' configurations name. */
  static final String SECRET = "yOdEcHuR8kK5S3YbJp4b5kYxZpQ2Vv9hV3tF3hq2m8Y=";
  static final Name CATALOG = Name.fromConstantString("catalog.invalid.");
  static final Name A = Name.fromConstantString("a.example.");
  static final Name B = Name.fromConstantString("b.example.");
  static final Name C = Name.fromConstantString("c.example.");
  static final Name WWW_A = Name.fromConstantString("www.a.example.");

  @TempDir Path dir;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  /**
   * The upstream: {@code cdn.example.net.} a CNAME to an edge whose addresses have a TTL of 1 s,
   * so that the monitor (at most every 5 s) sees a move soon after it happens.
   */
  static FakeDns upstream() throws java.io.IOException {
    return FakeDns.recursive()
        .zone(
            "$ORIGIN example.net.\n"
                + "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 60\n"
                + "@ 3600 NS ns1\n"
                + "ns1 3600 A 198.51.100.53\n"
                + "cdn 300 CNAME edge.cdn\n"
                + "edge.cdn 1 A 192.0.2.10\n"
                + "edge.cdn 1 AAAA 2001:db8::10\n")
        .build()
        .start();
  }

  static String zoneText(long serial, String more) {
    return "$TTL 3600\n@ SOA ns1 hostmaster " + serial + " 7200 3600 1209600 300\n@ NS ns1\n"
        + "ns1 A 192.0.2.53\n@ 300 ALIAS cdn.example.net.\n" + more;
  }

  private static String config(FakeDns fake, int secondaryPort, String... zones) {
    StringBuilder b =
        new StringBuilder(
            "server:\n"
                + "  listen: 127.0.0.1:0\n"
                + "  upstreams: [" + ServeSession.text(fake.address()) + "]\n"
                + "  timeout: 2\n"
                + "  catalog: catalog.invalid.\n"
                + "  require-tsig: true\n"
                + "  loopback-exemption: false\n"
                + "key:\n"
                + "  - id: transfer.\n"
                + "    algorithm: hmac-sha256\n"
                + "    secret: \"" + SECRET + "\"\n"
                + "remote:\n"
                + "  - id: secondary\n"
                + "    address: 127.0.0.1:" + secondaryPort + "\n"
                + "    key: transfer.\n"
                + "zone:\n");
    for (String z : zones) {
      b.append("  - domain: ").append(z).append("\n    file: ").append(z).append("zone\n");
    }
    return b.toString();
  }

  @Test
  void theReadmeShowsTheSecondariesConfigurations() throws Exception {
    ReadmeSecondaries.assertInReadme();
  }

  @ParameterizedTest
  @EnumSource(CatalogSecondary.Kind.class)
  void aSecondaryOfTheCatalogFollowsNotifiesAndGainsAndDropsZonesOnReload(
      CatalogSecondary.Kind kind) throws Exception {
    // Skips before anything starts when the program is missing.
    (kind == CatalogSecondary.Kind.KNOT
            ? org.aliasdns.core.tools.ExternalTool.KNOTD
            : org.aliasdns.core.tools.ExternalTool.NAMED)
        .require();
    int secondaryPort = NsdSecondary.freePort();
    Path secondaryDir = Files.createDirectory(dir.resolve("secondary"));
    try (FakeDns fake = upstream()) {
      Files.writeString(dir.resolve("a.example.zone"), zoneText(1, "www A 192.0.2.81\n"));
      Files.writeString(dir.resolve("b.example.zone"), zoneText(1, ""));
      Path configFile = dir.resolve("aliasdns.yaml");
      Files.writeString(configFile, config(fake, secondaryPort, "a.example.", "b.example."));
      ServeConfig cfg = ServeConfigFile.read(configFile);
      List<ConfiguredZone> zones = new ArrayList<>();
      for (ServeConfig.ZoneEntry e : cfg.zones()) {
        zones.add(ConfiguredZone.read(e, f -> {}));
      }
      try (ServeSession session =
              ServeCommand.sessionBuilder(cfg, zones)
                  .tick(Duration.ofMillis(200))
                  .log(log::add)
                  .warn(warnings::add)
                  .build()
                  .start();
          CatalogSecondary secondary =
              ReadmeSecondaries.start(kind, secondaryDir, secondaryPort, session.port())) {
        ServeReload reload = new ServeReload(cfg, zones, session, log::add, warnings::add);

        // Every member zone picked up, from the catalog alone.
        secondary.await(A, serial(session, A));
        secondary.await(B, serial(session, B));
        assertThat(secondary.addresses(A, Type.A)).containsExactly("192.0.2.10");
        assertThat(secondary.addresses(WWW_A, Type.A)).containsExactly("192.0.2.81");

        // The target moves: each zone gets one new serial and a signed NOTIFY, which the
        // secondary follows.
        long a1 = serial(session, A);
        long b1 = serial(session, B);
        fake.replace("edge.cdn.example.net. 1 A 192.0.2.20");
        awaitSerial(session, A, a1 + 1);
        awaitSerial(session, B, b1 + 1);
        secondary.await(A, a1 + 1);
        secondary.await(B, b1 + 1);
        assertThat(secondary.addresses(A, Type.A)).containsExactly("192.0.2.20");
        assertThat(secondary.addresses(B, Type.A)).containsExactly("192.0.2.20");
        if (kind == CatalogSecondary.Kind.BIND) {
          secondary.awaitLog("received notify for zone 'a\\.example': TSIG 'transfer\\.?'");
        } else {
          secondary.awaitLog("\\[a\\.example\\.\\] notify, incoming, remote 127\\.0\\.0\\.1@\\d+, serial " + (a1 + 1));
          assertThat(secondary.log()).doesNotContain("denied");
        }

        // The reload SIGHUP runs: c.example. added, b.example. removed.
        Files.writeString(dir.resolve("c.example.zone"), zoneText(7, "mail A 192.0.2.82\n"));
        Files.writeString(configFile, config(fake, secondaryPort, "a.example.", "c.example."));
        ServeSession.Reloaded done = reload.reload();
        if (done == null) {
          throw new AssertionError("reload refused: " + warnings);
        }
        assertThat(done.added()).containsExactly(C);
        assertThat(done.removed()).containsExactly(B);
        long c1 = serial(session, C);
        secondary.await(C, c1);
        assertThat(secondary.addresses(Name.fromConstantString("mail.c.example."), Type.A))
            .containsExactly("192.0.2.82");
        secondary.await(B, -2);
        secondary.await(A, a1 + 1);

        // The zone gained on reload follows its NOTIFYs as the others do.
        long a2 = serial(session, A);
        fake.replace("edge.cdn.example.net. 1 A 192.0.2.30");
        awaitSerial(session, C, c1 + 1);
        awaitSerial(session, A, a2 + 1);
        secondary.await(C, c1 + 1);
        secondary.await(A, a2 + 1);
        assertThat(secondary.addresses(C, Type.A)).containsExactly("192.0.2.30");
        assertThat(secondary.addresses(A, Type.A)).containsExactly("192.0.2.30");
        assertThat(warnings).as("warnings").noneMatch(w -> w.contains("refused") || w.contains("BADKEY"));
      }
    }
  }

  static long serial(ServeSession session, Name origin) {
    return session.published(origin).serial();
  }

  /** Waits until our server publishes a zone at a serial; fails after 30 s. */
  static void awaitSerial(ServeSession session, Name origin, long serial) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (serial(session, origin) < serial && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertThat(serial(session, origin)).as("serial of %s", origin).isEqualTo(serial);
  }
}
