package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

/** The data a fake serves can change mid-test, and goes back on reset. */
class DataChangesTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("www.example.net. 300 CNAME cdn.example.org.")
              .record("cdn.example.org. 60 A 192.0.2.10"));

  FakeDns fake;
  Resolver resolver;

  @BeforeEach
  void build(FakeDns fake, Resolver resolver) {
    this.fake = fake;
    this.resolver = resolver;
  }

  @Test
  void replaceChangesAnAddress() throws Exception {
    fake.replace("cdn.example.org. 60 A 192.0.2.20", "cdn.example.org. 60 A 192.0.2.21");

    assertThat(answer(ask(resolver, "cdn.example.org.", Type.A)))
        .containsExactly("cdn.example.org. 60 IN A 192.0.2.20", "cdn.example.org. 60 IN A 192.0.2.21");
  }

  @Test
  void addJoinsAnRrset() throws Exception {
    fake.add("cdn.example.org. 60 A 192.0.2.11");

    assertThat(answer(ask(resolver, "cdn.example.org.", Type.A))).hasSize(2);
  }

  @Test
  void removeMakesANameDisappear() throws Exception {
    fake.remove("cdn.example.org.", Type.A);

    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void aZoneCanBeLoadedAndRemovedWhileRunning() throws Exception {
    fake.zone(
        "example.com.",
        """
        @ 3600 IN SOA ns hostmaster 1 3600 600 86400 60
        www 120 IN A 192.0.2.30
        """);
    assertThat(answer(ask(resolver, "www.example.com.", Type.A)))
        .containsExactly("www.example.com. 120 IN A 192.0.2.30");

    fake.removeZone("example.com");
    assertThat(ask(resolver, "www.example.com.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void resetPutsTheDataBackAsBuilt() throws Exception {
    fake.replace("cdn.example.org. 60 A 192.0.2.99");

    fake.reset();

    assertThat(answer(ask(resolver, "cdn.example.org.", Type.A)))
        .containsExactly("cdn.example.org. 60 IN A 192.0.2.10");
  }

  @Test
  void aLineThatDoesNotParseIsRejectedWithTheReason() {
    assertThatThrownBy(() -> fake.add("cdn.example.org. 60 A 192.0.2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read records");
  }

  @Test
  void aZoneGivenTwiceToTheBuilderIsRejected() {
    String zone =
        """
        $ORIGIN example.com.
        @ 3600 IN SOA ns hostmaster 1 3600 600 86400 60
        """;
    FakeDns.Builder builder = FakeDns.recursive().zone(zone);

    assertThatThrownBy(() -> builder.zone(zone))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("zone example.com. was already given");
  }

  @Test
  void aBuilderSettingGivenTwiceIsRejected() {
    assertThatThrownBy(() -> FakeDns.recursive().chainLimit(8).chainLimit(9))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("chainLimit was already set to 8");
  }

  @Test
  void beforeStartThereIsNoAddress() {
    assertThatThrownBy(fake::address)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("start()");
  }

  @Test
  void aClosedFakeFailsInProcessQueries() {
    fake.close();

    assertThatThrownBy(() -> ask(resolver, "cdn.example.org.", Type.A))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("closed");
  }
}
