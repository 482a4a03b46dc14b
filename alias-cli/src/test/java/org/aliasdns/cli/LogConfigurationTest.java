package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The executable jar's log configuration (src/dist/simplelogger.properties, shaded in). */
class LogConfigurationTest {
  private static Properties dist() throws IOException {
    Properties p = new Properties();
    try (Reader in =
        Files.newBufferedReader(
            Path.of("src/dist/simplelogger.properties"), StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  @Test
  void dnsjavasVerifierStackTracesAreQuietWhileOurWarningsStay() throws IOException {
    // Issue 13: dnsjava's DNSSEC code logs an ERROR with a stack trace for every bad
    // signature; it is off. Our own warnings (logger "aliasdns") stay at the default level.
    Properties p = dist();

    assertThat(p.getProperty("org.slf4j.simpleLogger.log.org.xbill.DNS.dnssec")).isEqualTo("off");
    assertThat(p.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).isEqualTo("info");
    assertThat(p.getProperty("org.slf4j.simpleLogger.log.aliasdns")).isNull();
  }
}
