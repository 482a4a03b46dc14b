package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.dnssec.Denial;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.KeyFiles;
import org.aliasdns.core.dnssec.KeyTiming;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine;

/**
 * {@code aliasdns serve --key}: the signing options (named as {@code aliasdns sign} names them),
 * and signatures renewed before they expire with one serial bump. Unbound validating the served
 * answers is {@link ServeUnboundTest}.
 */
class ServeSigningTest {
  @TempDir Path dir;

  private static SigningKey key(String zone) {
    return SigningKey.generate(
        Name.fromConstantString(zone), DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED,
        3600, new SecureRandom());
  }

  private static ServeCommand parse(String... args) {
    CommandLine.ParseResult serve =
        Objects.requireNonNull(Main.commandLine().parseArgs(args).subcommand());
    return serve.commandSpec().commandLine().getCommand();
  }

  @Test
  void theKeyOptionsAreSignsAndMakeASigner() throws Exception {
    SigningKey key = key("example.com.");
    KeyFiles.write(key, dir, Instant.now());
    String stem = dir.resolve(key.fileStem()).toString();
    ServeCommand serve =
        parse("serve", "x.zone", "--upstream", "127.0.0.1", "--key", stem, "--nsec3",
            "--validity", "7d", "--refresh", "2d");
    ZoneSigner signer = Objects.requireNonNull(serve.signing.signer());
    assertThat(signer.keys()).extracting(SigningKey::fileStem).containsExactly(key.fileStem());
    assertThat(signer.policy().denial()).isEqualTo(Denial.nsec3());
    assertThat(signer.policy().validity()).isEqualTo(Duration.ofDays(7));
    assertThat(parse("serve", "x.zone", "--upstream", "127.0.0.1").signing.signer()).isNull();
  }

  @Test
  void signaturesAreRenewedBeforeTheyExpireWithOneSerial() throws Exception {
    ZoneSigner signer = ZoneSigner.of(List.of(key("example.com.")), SigningPolicy.defaults());
    try (ServeFixture serve =
        ServeFixture.start(ServeFixture.upstream(), ServeFixture.ZONE, b -> b.signer(signer))) {
      SignedZone first = serve.session.signedZone().orElseThrow();
      assertThat(serve.session.published().serial()).isEqualTo(first.serial());

      // Nothing is due for 9 days (14 days of validity, renewed with 5 left): nothing moves.
      serve.advanceAndRefresh(Duration.ofDays(8));
      assertThat(serve.session.signedZone().orElseThrow().serial()).isEqualTo(first.serial());

      serve.advanceAndRefresh(Duration.ofDays(2));
      SignedZone renewed = serve.session.signedZone().orElseThrow();
      assertThat(renewed.serial()).isEqualTo(first.serial() + 1);
      assertThat(renewed.signaturesMade()).isGreaterThan(0);
      Instant now = serve.fake.clock().instant();
      for (RecordSet set : renewed.zone()) {
        if (set.type() == Type.RRSIG) {
          for (Record r : set) {
            assertThat(((RRSIGRecord) r).getExpire()).isAfter(now.plus(Duration.ofDays(5)));
          }
        }
      }
      assertThat(serve.log).anyMatch(l -> l.contains("signatures renewed serial " + renewed.serial()));
      // What secondaries transfer is the renewed zone.
      assertThat(serve.rdata("example.com.", Type.SOA).get(0))
          .contains(" " + renewed.serial() + " ");
    }
  }

  @Test
  void aFirstSigningThatFailsEndsTheStartWithOneClearError() {
    // Keys of another zone: the very first signing fails, so nothing signed could be served.
    ZoneSigner signer = ZoneSigner.of(List.of(key("example.org.")), SigningPolicy.defaults());
    assertThatThrownBy(
            () ->
                ServeFixture.start(ServeFixture.upstream(), ServeFixture.ZONE, b -> b.signer(signer))
                    .close())
        .isInstanceOf(UnusableInputException.class)
        .hasMessageContaining("signing example.com. failed")
        .hasMessageContaining("the keys are for example.org.")
        .hasMessageNotContaining("previous signed zone");
  }

  @Test
  void serveRefusesAValidityRrsigTimesCannotExpressBeforeReadingKeys() {
    // No key file exists: the validity is refused first (RFC 4034 §3.1.5).
    ServeCommand serve =
        parse("serve", "x.zone", "--upstream", "127.0.0.1", "--key", "Knone.+013+00001",
            "--validity", "30000d");
    assertThatThrownBy(serve.signing::signer)
        .isInstanceOf(UnusableInputException.class)
        .hasMessageContaining("must be below 2^31 s");
  }

  @Test
  void cryptoAndSigningThreadsAreServeOptionsToo() throws Exception {
    SigningKey key = key("example.com.");
    KeyFiles.write(key, dir, Instant.now());
    String stem = dir.resolve(key.fileStem()).toString();
    ZoneSigner jdk =
        Objects.requireNonNull(
            parse("serve", "x.zone", "--upstream", "127.0.0.1", "--key", stem, "--crypto", "jdk",
                    "--signing-threads", "3")
                .signing.signer());
    assertThat(jdk.provider()).isEmpty();
    if (SigningCrypto.accp().isPresent()) {
      ZoneSigner auto =
          Objects.requireNonNull(
              parse("serve", "x.zone", "--upstream", "127.0.0.1", "--key", stem).signing.signer());
      assertThat(auto.provider()).containsSame(SigningCrypto.accp().orElseThrow());
    }
    ServeCommand noKey = parse("serve", "x.zone", "--upstream", "127.0.0.1", "--crypto", "jdk");
    assertThatThrownBy(noKey.signing::signer)
        .isInstanceOf(UnusableInputException.class)
        .hasMessageContaining("need --key");
    ServeCommand zero =
        parse("serve", "x.zone", "--upstream", "127.0.0.1", "--key", stem, "--signing-threads",
            "0");
    assertThatThrownBy(zero.signing::signer)
        .isInstanceOf(UnusableInputException.class)
        .hasMessageContaining("--signing-threads must be at least 1");
  }

  @Test
  void theSerialMetricShowsTheSignedZonesSerialWhichRenewalsMove() throws Exception {
    ZoneSigner signer = ZoneSigner.of(List.of(key("example.com.")), SigningPolicy.defaults());
    InetSocketAddress metricsAt = new InetSocketAddress(Address.getByAddress("127.0.0.1"), 0);
    try (ServeFixture serve =
        ServeFixture.start(
            ServeFixture.upstream(), ServeFixture.ZONE, b -> b.signer(signer).metrics(metricsAt))) {
      long flattened = serve.session.published().serial();
      assertThat(serialMetric(serve)).isEqualTo(serve.session.signedZone().orElseThrow().serial());

      // Renewing signatures moves the signed serial, not the flattening's: the metric follows
      // what secondaries transfer.
      serve.advanceAndRefresh(Duration.ofDays(10));
      SignedZone renewed = serve.session.signedZone().orElseThrow();
      assertThat(renewed.serial()).isNotEqualTo(flattened);
      assertThat(serialMetric(serve)).isEqualTo(renewed.serial());
      assertThat(metric(serve, "aliasdns_zone_serial_changes_total{zone=\"example.com.\"}"))
          .isEqualTo(1.0);
    }
  }

  @Test
  void theExpiryMetricIsTheEarliestRrsigExpirationAndFailedSigningsAreCounted() throws Exception {
    FakeDns fake = ServeFixture.upstream();
    Instant t0 = fake.clock().instant();
    SigningKey k = key("example.com.");
    // The only key stops signing after a day (its Inactive time): the renewal then fails.
    ZoneSigner signer =
        ZoneSigner.of(List.of(k), SigningPolicy.defaults())
            .withTiming(Map.of(k, new KeyTiming(null, null, t0.plus(Duration.ofDays(1)), null)));
    InetSocketAddress metricsAt = new InetSocketAddress(Address.getByAddress("127.0.0.1"), 0);
    try (ServeFixture serve =
        ServeFixture.start(fake, ServeFixture.ZONE, b -> b.signer(signer).metrics(metricsAt))) {
      SignedZone first = serve.session.signedZone().orElseThrow();
      // RFC 4034 §3.1.5: the least expiration of any RRSIG in what is served.
      long earliest = Long.MAX_VALUE;
      for (RecordSet set : first.zone()) {
        if (set.type() == Type.RRSIG) {
          for (Record r : set) {
            earliest = Math.min(earliest, ((RRSIGRecord) r).getExpire().getEpochSecond());
          }
        }
      }
      assertThat(first.expiresAt().getEpochSecond()).isEqualTo(earliest);
      String zone = "{zone=\"example.com.\"}";
      assertThat(metric(serve, "aliasdns_zone_signatures_expire_timestamp_seconds" + zone))
          .isEqualTo((double) earliest);
      assertThat(metric(serve, "aliasdns_zone_signing_failures_total" + zone)).isZero();

      serve.advanceAndRefresh(Duration.ofDays(2));
      assertThat(serve.session.signedZone().orElseThrow()).isSameAs(first);
      assertThat(metric(serve, "aliasdns_zone_signing_failures_total" + zone)).isEqualTo(1.0);
      assertThat(metric(serve, "aliasdns_zone_signatures_expire_timestamp_seconds" + zone))
          .isEqualTo((double) earliest);
    }
  }

  private static long serialMetric(ServeFixture serve) throws Exception {
    return (long) metric(serve, "aliasdns_zone_serial{zone=\"example.com.\"}");
  }

  private static double metric(ServeFixture serve, String sample) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + serve.session.metricsPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    for (String line : response.body().split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1));
      }
    }
    throw new AssertionError("no " + sample + " in\n" + response.body());
  }
}
