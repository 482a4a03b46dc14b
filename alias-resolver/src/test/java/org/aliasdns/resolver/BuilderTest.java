package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Builders fail fast, naming the setting. */
class BuilderTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10"));

  FakeDns fake;

  @BeforeEach
  void build(FakeDns fake) {
    this.fake = fake;
  }

  @Test
  void aRepeatedSettingThrowsSayingWhatItWas() {
    AliasResolver.Builder builder =
        AliasResolver.builder().upstream(fake.resolver()).queryTimeout(Duration.ofSeconds(2));

    assertThatThrownBy(() -> builder.queryTimeout(Duration.ofSeconds(3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("queryTimeout was already set to PT2S");
    assertThatThrownBy(() -> builder.upstream(fake.resolver()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("upstream was already set to");
  }

  @Test
  void badValuesAreRefusedNamingTheSetting() {
    AliasResolver.Builder builder = AliasResolver.builder();

    assertThatThrownBy(() -> builder.maxInFlight(0)).hasMessageContaining("maxInFlight");
    assertThatThrownBy(() -> builder.maxQueued(-1)).hasMessageContaining("maxQueued");
    assertThatThrownBy(() -> builder.queryTimeout(Duration.ZERO))
        .hasMessageContaining("queryTimeout");
    assertThatThrownBy(() -> builder.maximumCacheBytes(0))
        .hasMessageContaining("maximumCacheBytes");
    assertThatThrownBy(() -> builder.failureRecheck(Duration.ofSeconds(-1)))
        .hasMessageContaining("failureRecheck");
  }

  @Test
  void anUnresolvedUpstreamAddressIsRefused() {
    assertThatThrownBy(
            () ->
                AliasResolver.builder()
                    .upstream(InetSocketAddress.createUnresolved("dns.example.net", 53)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unresolved");
  }

  @Test
  void anUpstreamIsRequired() {
    assertThatThrownBy(() -> AliasResolver.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("upstream is required");
  }

  @Test
  void onlyAbsoluteNamesAndAddressTypesAreResolved() throws Exception {
    AliasResolver resolver = AliasResolver.builder().upstream(fake.resolver()).build();

    assertThatThrownBy(() -> resolver.resolve(Name.fromString("relative"), Type.A))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> resolver.resolve(Name.fromString("cdn.example.org."), Type.MX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MX");
  }

  @Test
  void monitorSettingsFailFastToo() {
    AliasResolver resolver = AliasResolver.builder().upstream(fake.resolver()).build();
    TargetMonitor.Builder builder = TargetMonitor.builder(resolver).jitter(Duration.ZERO);

    assertThatThrownBy(() -> builder.jitter(Duration.ofSeconds(1)))
        .hasMessage("jitter was already set to PT0S");
    assertThatThrownBy(() -> builder.retryBackoff(Duration.ofMinutes(5), Duration.ofSeconds(30)))
        .hasMessageContaining("retryBackoff");
    assertThat(builder.build().targets()).isEmpty();
  }
}
