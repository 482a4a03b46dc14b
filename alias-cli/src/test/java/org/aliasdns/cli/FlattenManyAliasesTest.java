package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class FlattenManyAliasesTest {
  private static final int ALIASES = 2000;

  @Test
  void flattensThousandsOfAliasesWithoutOverrunningTheResolver(@TempDir Path dir) throws Exception {
    // More targets than the resolver queues (1,024 queries): the command must pace them.
    FakeDns.Builder world = FakeDns.recursive();
    StringBuilder zone =
        new StringBuilder(
            """
            $ORIGIN example.com.
            $TTL 3600
            @ SOA ns1 hostmaster 1 7200 3600 1209600 300
            @ NS ns1
            ns1 A 192.0.2.53
            """);
    for (int i = 0; i < ALIASES; i++) {
      zone.append("h").append(i).append(" ALIAS t").append(i).append(".example.net.\n");
      world.record("t" + i + ".example.net. 300 A 198.51." + (100 + i / 250) + "." + (i % 250));
    }
    Path file = dir.resolve("many.zone");
    Files.writeString(file, zone, StandardCharsets.UTF_8);

    try (FakeDns fake = world.build().start()) {
      Cli.Result r =
          Cli.run(
              "flatten", file.toString(), "--upstream", HostPort.format(fake.address()),
              "--family", "ipv4");

      assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
      Zone flat = ZoneFileReader.defaults().read(r.out(), "flat").zone();
      assertThat(flat.get(Name.fromString("h1999.example.com."), Type.A).orElseThrow().first()
              .rdataToString())
          .isEqualTo("198.51.107.249");
      assertThat(r.err()).endsWith(ALIASES + " alias targets via " + HostPort.format(fake.address())
          + ", 0 problems\n");
      assertThat(r.err()).doesNotContain("\r");
    }
  }
}
