package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Objects;
import org.aliasdns.server.ResponseRateLimit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.xbill.DNS.Address;

/** The serve command's own option formats: durations, and addresses in log lines. */
class ServeOptionsTest {
  @Test
  void durationsInMillisecondsSecondsAndMinutes() {
    assertThat(ServeCommand.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ServeCommand.duration("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(ServeCommand.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ServeCommand.duration("3")).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> ServeCommand.duration("0s")).hasMessageContaining("positive");
  }

  @Test
  void ipv6InLogLinesIsCompressed() throws Exception {
    assertThat(ServeSession.literal(Address.getByAddress("2001:db8::10"))).isEqualTo("2001:db8::10");
    assertThat(ServeSession.literal(Address.getByAddress("2001:db8:0:1:0:0:0:1")))
        .isEqualTo("2001:db8:0:1::1");
    assertThat(ServeSession.literal(Address.getByAddress("::1"))).isEqualTo("::1");
    assertThat(ServeSession.literal(Address.getByAddress("192.0.2.10"))).isEqualTo("192.0.2.10");
  }

  private static ServeCommand parse(String... args) {
    CommandLine.ParseResult serve =
        Objects.requireNonNull(Main.commandLine().parseArgs(args).subcommand());
    return serve.commandSpec().commandLine().getCommand();
  }

  @Test
  void rateLimitTakesANumberAfterItButNeverTheZoneFile() {
    ServeCommand alone = parse("serve", "--rate-limit", "x.zone", "--upstream", "127.0.0.1");
    assertThat(String.valueOf(alone.zoneFile)).isEqualTo("x.zone");
    assertThat(Objects.requireNonNull(alone.rateLimit.limit()).responsesPerSecond())
        .isEqualTo(ResponseRateLimit.DEFAULT_RESPONSES_PER_SECOND);

    ServeCommand last = parse("serve", "x.zone", "--upstream", "127.0.0.1", "--rate-limit");
    assertThat(Objects.requireNonNull(last.rateLimit.limit()).responsesPerSecond()).isEqualTo(200);

    ServeCommand given = parse("serve", "--rate-limit", "75", "x.zone", "--upstream", "127.0.0.1");
    assertThat(String.valueOf(given.zoneFile)).isEqualTo("x.zone");
    assertThat(Objects.requireNonNull(given.rateLimit.limit()).responsesPerSecond()).isEqualTo(75);

    ServeCommand attached = parse("serve", "--rate-limit=50", "x.zone", "--upstream", "127.0.0.1");
    assertThat(Objects.requireNonNull(attached.rateLimit.limit()).responsesPerSecond()).isEqualTo(50);

    ServeCommand none = parse("serve", "x.zone", "--upstream", "127.0.0.1");
    assertThat(none.rateLimit.limit()).isNull();
  }

  @Test
  void theMetricsAddressNeedsAPort() {
    assertThat(ServeCommand.metricsAddress("127.0.0.1:9153").getPort()).isEqualTo(9153);
    assertThat(ServeCommand.metricsAddress("[::1]:0").getPort()).isZero();
    assertThatThrownBy(() -> ServeCommand.metricsAddress("127.0.0.1"))
        .hasMessageContaining("--metrics needs ADDR:PORT");
    assertThatThrownBy(() -> ServeCommand.metricsAddress("::1"))
        .hasMessageContaining("--metrics needs ADDR:PORT");
  }
}
