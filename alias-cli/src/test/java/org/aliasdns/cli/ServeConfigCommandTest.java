package org.aliasdns.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aliasdns serve --config FILE} refusing what it cannot serve, with file, line and reason,
 * before anything binds, and ending with status 2.
 */
class ServeConfigCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;
  private Path config;

  @BeforeEach
  void capture() throws Exception {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, UTF_8));
    System.setErr(new PrintStream(err, true, UTF_8));
    Files.writeString(dir.resolve("a.example.zone"), ServeReloadTest.zoneText(1));
    config = dir.resolve("aliasdns.yaml");
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private String err() {
    return err.toString(UTF_8);
  }

  private static String config(int port, String... more) {
    return "server:\n  listen: 127.0.0.1:" + port + "\n  upstreams: [127.0.0.1:1]\n"
        + String.join("", more) + "zone:\n  - domain: a.example.\n    file: a.example.zone\n";
  }

  @Test
  void configWithAZoneFileOrAnotherOptionIsRefused() throws Exception {
    Files.writeString(config, config(0));

    int withZone = Main.run("serve", "--config", config.toString(), "x.zone");
    int withOption = Main.run("serve", "--config", config.toString(), "--upstream", "127.0.0.1");

    assertThat(withZone).isEqualTo(Main.UNUSABLE);
    assertThat(withOption).isEqualTo(Main.UNUSABLE);
    assertThat(err())
        .contains(
            "aliasdns serve: --config takes every setting from " + config
                + "; give no ZONEFILE or other option with it (given: ZONEFILE)\n",
            "(given: --upstream)\n");
    assertThat(out.toString(UTF_8)).isEmpty();
  }

  @Test
  void neitherZoneFileNorConfigIsRefused() {
    assertThat(Main.run("serve", "--upstream", "127.0.0.1")).isEqualTo(Main.UNUSABLE);
    assertThat(err()).contains("aliasdns serve: ZONEFILE or --config FILE is required");
  }

  @Test
  void aBadConfigurationIsRefusedWithFileAndLineBeforeAnythingBinds() throws Exception {
    // The listen port is taken: a server that bound first would fail with "cannot listen".
    try (DatagramSocket taken =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      Files.writeString(config, config(taken.getLocalPort(), "  rate-limt: 10\n"));

      int code = Main.run("serve", "--config", config.toString());

      assertThat(code).isEqualTo(Main.UNUSABLE);
      assertThat(err())
          .startsWith("aliasdns serve: " + config + ":4: unknown key 'rate-limt' in server;")
          .doesNotContain("cannot listen");
    }
  }

  @Test
  void aZoneFileOfAnotherDomainIsOneErrorNamingTheConfigLineAndTheFile() throws Exception {
    // domain: a.example. with the file of other.example.: every record is out of the zone.
    Path other = dir.resolve("a.example.zone");
    Files.writeString(other, "$ORIGIN other.example.\n" + ServeReloadTest.zoneText(1));
    Files.writeString(config, config(0));

    int code = Main.run("serve", "--config", config.toString());

    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err())
        .isEqualTo("aliasdns serve: " + config + ":5: zone a.example.: " + other
            + " has no SOA record at a.example.; its records are for other names"
            + " (other.example., ns1.other.example.): is it the file of another domain?\n");
  }

  @Test
  void aZoneFileWithAnErrorIsRefusedWithItsFileAndLine() throws Exception {
    Files.writeString(
        dir.resolve("a.example.zone"), ServeReloadTest.zoneText(1, "bad A 192.0.2.999"));
    Files.writeString(config, config(0));

    int code = Main.run("serve", "--config", config.toString());

    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err()).startsWith("aliasdns serve: " + dir.resolve("a.example.zone") + ":6: ");
  }

  @Test
  void aZoneThatFlatteningCannotRepairIsRefusedWithItsLine() throws Exception {
    Files.writeString(
        dir.resolve("a.example.zone"),
        ServeReloadTest.zoneText(1, "www CNAME cdn.example.net.", "www TXT \"x\""));
    Files.writeString(config, config(0));

    int code = Main.run("serve", "--config", config.toString());

    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err()).contains(dir.resolve("a.example.zone") + ":6").contains("cname-and-other-data");
  }
}
