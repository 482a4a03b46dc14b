package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.testkit.FakeDns;
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
 * A real SIGHUP ({@code kill -HUP}) to a running {@code aliasdns serve --config} (the executable
 * jar, in a process of its own): the configuration is read again and the zone it adds is served,
 * while the process stays up.
 */
class ServeHangupIT {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;

  private static String zone(long serial) {
    return "$TTL 3600\n@ SOA ns1 hostmaster " + serial + " 7200 3600 1209600 300\n@ NS ns1\n"
        + "ns1 A 192.0.2.53\n@ 300 ALIAS cdn.example.net.\n";
  }

  private static String config(FakeDns fake, String... zones) {
    StringBuilder b =
        new StringBuilder("server:\n  listen: 127.0.0.1:0\n  upstreams: ["
            + ServeSession.text(fake.address()) + "]\n  timeout: 2\nzone:\n");
    for (String z : zones) {
      b.append("  - domain: ").append(z).append("\n    file: ").append(z).append("zone\n");
    }
    return b.toString();
  }

  private static Message ask(int port, String name) throws Exception {
    SimpleResolver r = new SimpleResolver("127.0.0.1");
    r.setPort(port);
    r.setTimeout(Duration.ofSeconds(2));
    return r.send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, 1)));
  }

  @Test
  void sighupWithoutConfigLogsThatReloadNeedsItAndExitsWith129() throws Exception {
    try (FakeDns fake = MultiZoneFake.start()) {
      Path zoneFile = dir.resolve("a.example.zone");
      Files.writeString(zoneFile, "$ORIGIN a.example.\n" + zone(1));
      Path stderr = dir.resolve("stderr.txt");
      Process serve =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  Objects.requireNonNull(System.getProperty("aliasdns.jar")),
                  "serve",
                  zoneFile.toString(),
                  "--listen",
                  "127.0.0.1:0",
                  "--upstream",
                  ServeSession.text(fake.address()))
              .redirectError(stderr.toFile())
              .start();
      try {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("first line of stdout; stderr: %s", Files.readString(stderr)).isNotNull();
        assertThat(LISTENING.matcher(line).matches()).as(line).isTrue();

        Process kill =
            new ProcessBuilder("kill", "-HUP", Long.toString(serve.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(serve.exitValue()).isEqualTo(129);
        assertThat(Files.readString(stderr))
            .contains("SIGHUP: reload needs --config (a single zone file is not re-read);"
                + " exiting with status 129");
      } finally {
        serve.destroyForcibly();
      }
    }
  }

  @Test
  void sighupReadsTheConfigurationAgainAndServesTheZoneItAdds() throws Exception {
    try (FakeDns fake = MultiZoneFake.start()) {
      Files.writeString(dir.resolve("a.example.zone"), zone(1));
      Files.writeString(dir.resolve("b.example.zone"), zone(1));
      Path config = dir.resolve("aliasdns.yaml");
      Files.writeString(config, config(fake, "a.example."));
      Path stderr = dir.resolve("stderr.txt");
      Process serve =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  Objects.requireNonNull(System.getProperty("aliasdns.jar")),
                  "serve",
                  "--config",
                  config.toString())
              .redirectError(stderr.toFile())
              .start();
      try {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("first line of stdout; stderr: %s", Files.readString(stderr)).isNotNull();
        Matcher m = LISTENING.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        int port = Integer.parseInt(m.group(1));
        assertThat(ask(port, "a.example.").getSection(Section.ANSWER)).hasSize(1);
        assertThat(ask(port, "b.example.").getRcode()).isEqualTo(Rcode.REFUSED);

        Files.writeString(config, config(fake, "a.example.", "b.example."));
        Process kill =
            new ProcessBuilder("kill", "-HUP", Long.toString(serve.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();

        Instant deadline = Instant.now().plusSeconds(30);
        Message b = ask(port, "b.example.");
        while (b.getRcode() != Rcode.NOERROR && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
          b = ask(port, "b.example.");
        }
        assertThat(b.getRcode()).as("stderr: %s", Files.readString(stderr)).isEqualTo(Rcode.NOERROR);
        assertThat(b.getSection(Section.ANSWER)).hasSize(1);
        assertThat(serve.isAlive()).isTrue();
        // logged once the reload is over, which may be a moment after the zone is served
        String reloaded = "reloaded " + config + ": 1 added, 0 removed, 0 changed, 1 unchanged";
        while (!Files.readString(stderr).contains(reloaded) && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
        }
        assertThat(Files.readString(stderr)).contains(reloaded);
        assertThat(List.of(ask(port, "a.example.").getRcode())).containsExactly(Rcode.NOERROR);
      } finally {
        serve.destroy(); // SIGTERM: the shutdown hook closes the server
        if (!serve.waitFor(30, TimeUnit.SECONDS)) {
          serve.destroyForcibly();
        }
      }
    }
  }
}
