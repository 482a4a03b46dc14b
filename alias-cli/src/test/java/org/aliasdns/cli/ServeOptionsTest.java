package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
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
}
