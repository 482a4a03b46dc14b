package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * The configuration file the README shows under "Many zones: the configuration file" is read as
 * it stands, its zone files and key file in place (the paths under {@code /etc/aliasdns} and
 * {@code /var/lib/aliasdns} moved to a temporary directory).
 */
class ServeConfigReadmeTest {
  @TempDir Path dir;

  private static final String EXAMPLE =
      """
      # README example: begin
      server:
        listen: [192.0.2.1:53, "[2001:db8::1]:53"]
        upstreams: [127.0.0.1, "[::1]"]
        state-dir: /var/lib/aliasdns
        metrics: 127.0.0.1:9153
        catalog: catalog.invalid.
        rate-limit:
          responses-per-second: 200
        require-tsig: true

      key:
        - id: transfer.
          algorithm: hmac-sha256
          secret: "yOdEcHuR8kK5S3YbJp4b5kYxZpQ2Vv9hV3tF3hq2m8Y="
        - file: /etc/aliasdns/keys.conf

      remote:
        - id: ns2
          address: 198.51.100.2
          key: transfer.

      acl:
        - id: monitoring
          address: 203.0.113.0/24
          key: transfer.

      policy:
        max-stale: 86400

      zone:
        - domain: example.com.
          file: /etc/aliasdns/zones/example.com.zone
        - domain: example.org.
          file: /etc/aliasdns/zones/example.org.zone
          scope: apex-cname
          family: ipv4
      # README example: end
      """;

  @Test
  void theReadmeShowsThisExample() throws Exception {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/cli/ServeConfigReadmeTest.java",
        "# README example: begin",
        "# README example: end");
  }

  @Test
  void theReadmeExampleIsAValidConfigurationWhoseZonesRead() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc/aliasdns/zones"));
    Files.createDirectories(dir.resolve("var/lib/aliasdns"));
    Files.writeString(
        dir.resolve("etc/aliasdns/keys.conf"),
        "key \"ns3.\" { algorithm hmac-sha512; secret \"c2VjcmV0\"; };\n");
    Files.writeString(etc.resolve("example.com.zone"), ServeReloadTest.zoneText(1));
    Files.writeString(
        etc.resolve("example.org.zone"), ServeReloadTest.zoneText(1).replace("ALIAS", "CNAME"));
    String text =
        EXAMPLE.replace("/etc/aliasdns/", dir + "/etc/aliasdns/")
            .replace("/var/lib/aliasdns", dir + "/var/lib/aliasdns");

    ServeConfig c = ServeConfigFile.parse(text, dir.resolve("etc/aliasdns/aliasdns.yaml"));
    List<ConfiguredZone> zones = new ArrayList<>();
    for (ServeConfig.ZoneEntry e : c.zones()) {
      zones.add(ConfiguredZone.read(e, f -> {}));
    }

    assertThat(c.server().listen()).hasSize(2);
    assertThat(c.server().keys()).hasSize(2);
    assertThat(c.server().remotes()).singleElement()
        .extracting(ServeConfig.Remote::key).isEqualTo(Name.fromConstantString("transfer."));
    assertThat(zones).extracting(z -> z.spec().origin())
        .containsExactly(
            Name.fromConstantString("example.com."), Name.fromConstantString("example.org."));
    assertThat(zones.get(1).spec().policy().scope())
        .isEqualTo(FlatteningPolicy.Scope.ALIAS_AND_APEX_CNAME);
    // what serve builds from it, short of binding
    ServeCommand.sessionBuilder(c, zones).build().close();
  }
}
