package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import org.aliasdns.testkit.internal.HostRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.xbill.DNS.Type;

/** Opening and closing the JVM-wide route by hand, and what happens where it cannot work. */
class InetAddressRouteLifecycleTest {
  static FakeDns fake() {
    return FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10").build();
  }

  static void assumeJdk18() {
    int feature = Runtime.version().feature();
    assumeTrue(feature >= 18, "JDK " + feature + " has no resolver SPI (JEP 418, JDK 18)");
  }

  @Test
  void closingTheRouteLetsAnotherFakeTakeIt() throws Exception {
    assumeJdk18();
    try (FakeDns first = fake();
        FakeDns second = fake().add("cdn.example.org. 60 A 192.0.2.20")) {
      InetAddressRoute route = first.routeInetAddress();
      assertThat(route.isOpen()).isTrue();
      assertThat(route.fake()).isSameAs(first);
      route.close();
      assertThat(route.isOpen()).isFalse();
      route.close(); // idempotent

      try (InetAddressRoute again = second.routeInetAddress()) {
        assertThat(InetAddress.getAllByName("cdn.example.org"))
            .extracting(InetAddress::getHostAddress)
            .contains("192.0.2.20");
        assertThat(first.queryCount()).isZero();
      }
    }
  }

  @Test
  void closingTheFakeClosesItsRoute() {
    assumeJdk18();
    FakeDns fake = fake();
    InetAddressRoute route = fake.routeInetAddress();

    fake.close();

    assertThat(route.isOpen()).isFalse();
    assertThat(HostRoute.current()).isNull();
  }

  @Test
  void resetKeepsTheRouteOpen() {
    assumeJdk18();
    try (FakeDns fake = fake();
        InetAddressRoute route = fake.routeInetAddress()) {
      fake.reset();

      assertThat(route.isOpen()).isTrue();
    }
  }

  @Test
  void aClosedFakeCannotRoute() {
    FakeDns fake = fake();
    fake.close();

    assertThatThrownBy(fake::routeInetAddress)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void withAHostsFileTheJdkLoadsNoProviderAndTheReasonSaysSo() {
    assumeJdk18();
    System.setProperty("jdk.net.hosts.file", "/nonexistent/hosts");
    try {
      assertThat(InetAddressRoute.unsupportedReason())
          .hasValueSatisfying(why -> assertThat(why).contains("jdk.net.hosts.file"));
    } finally {
      System.clearProperty("jdk.net.hosts.file");
    }
    assertThat(InetAddressRoute.unsupportedReason()).isEmpty();
  }

  @Test
  void theLookUpPolicyBitsAreTheJdks() throws Exception {
    assumeJdk18();
    Class<?> policy = Class.forName("java.net.spi.InetAddressResolver$LookupPolicy");

    assertThat(policy.getField("IPV4").getInt(null)).isEqualTo(HostRoute.IPV4);
    assertThat(policy.getField("IPV6").getInt(null)).isEqualTo(HostRoute.IPV6);
    assertThat(policy.getField("IPV4_FIRST").getInt(null)).isEqualTo(HostRoute.IPV4_FIRST);
    assertThat(policy.getField("IPV6_FIRST").getInt(null)).isEqualTo(HostRoute.IPV6_FIRST);
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_17)
  void onJdk17RoutingIsRefusedSayingWhy() {
    assertThat(InetAddressRoute.isSupported()).isFalse();
    assertThat(InetAddressRoute.unsupportedReason())
        .hasValueSatisfying(why -> assertThat(why).contains("JDK 17").contains("JEP 418"));
    try (FakeDns fake = fake()) {
      assertThatThrownBy(fake::routeInetAddress)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("JDK 17");
    }
  }

  @Test
  void anAuthoritativeFakesCnameOutOfItsZoneIsFollowed() throws Exception {
    assumeJdk18();
    try (FakeDns auth =
            FakeDns.authoritative()
                .record("www.example.net. 60 CNAME cdn.example.org.")
                .record("cdn.example.org. 60 A 192.0.2.10")
                .build();
        InetAddressRoute route = auth.routeInetAddress()) {
      InetAddress a = InetAddress.getByName("www.example.net");

      assertThat(a.getHostAddress()).isEqualTo("192.0.2.10");
      assertThat(auth.queryCount("www.example.net.", Type.A)).isEqualTo(1);
      assertThat(auth.queryCount("cdn.example.org.", Type.A)).isEqualTo(1);
    }
  }

  @Test
  void aRouteLeftOpenIsNamedWithWhereItWasOpened() {
    assumeJdk18();
    try (FakeDns left = fake();
        FakeDns next = fake()) {
      left.routeInetAddress(); // never closed by the code that opened it

      assertThatThrownBy(next::routeInetAddress)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("routed to another fake already, " + left)
          .hasMessageContaining("opened at " + InetAddressRouteLifecycleTest.class.getName()
              + ".aRouteLeftOpenIsNamedWithWhereItWasOpened(InetAddressRouteLifecycleTest.java:")
          .hasMessageContaining("on thread \"" + Thread.currentThread().getName() + "\"")
          .hasMessageNotContaining("parallel with");
      assertThatThrownBy(left::routeInetAddress)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("routed to this fake already");
    }
  }
}
