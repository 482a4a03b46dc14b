package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Provider;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code --crypto}: what {@code auto} takes when ACCP is healthy, unhealthy or absent, and the
 * errors of a provider asked for by name that cannot be had.
 */
class SigningCryptoTest {
  private static final Provider NSS = new Named("NSS-test");
  private static final Provider ACCP = new Named("ACCP-test");

  /** A provider that is only a name: enough for choosing. */
  static class Named extends Provider {
    private static final long serialVersionUID = 1L;

    Named(String name) {
      super(name, "1", name);
    }
  }

  /** A provider of ACCP's shape whose native library did not load. */
  public static final class Unhealthy extends Provider {
    private static final long serialVersionUID = 1L;
    public static final Unhealthy INSTANCE = new Unhealthy();

    Unhealthy() {
      super("Unhealthy", "1", "native library not loaded");
    }

    public void assertHealthy() {
      throw new IllegalStateException("Unable to load native library");
    }
  }

  /** A provider of ACCP's shape that works. */
  public static final class Healthy extends Provider {
    private static final long serialVersionUID = 1L;
    public static final Healthy INSTANCE = new Healthy();

    Healthy() {
      super("Healthy", "1", "loaded");
    }

    public void assertHealthy() {}
  }

  @Test
  void autoTakesAccpWhenItIsHealthy() {
    SigningCrypto.Chosen c =
        SigningCrypto.choose(
            SigningCrypto.Choice.AUTO, () -> Optional.of(ACCP), () -> Optional.of(NSS), 17);
    assertThat(c.provider()).containsSame(ACCP);
    assertThat(c.name()).isEqualTo("ACCP");
  }

  @Test
  void anUnhealthyAccpIsNotLoadedAndAutoFallsBackToNssBelowJdk21ElseTheJdk() {
    // The loader keeps a provider only if its assertHealthy() passes.
    assertThat(SigningCrypto.load(Unhealthy.class.getName())).isEmpty();
    assertThat(SigningCrypto.load(Healthy.class.getName())).containsSame(Healthy.INSTANCE);
    assertThat(SigningCrypto.load("com.example.NoSuchProvider")).isEmpty();

    SigningCrypto.Chosen on17 =
        SigningCrypto.choose(
            SigningCrypto.Choice.AUTO,
            () -> SigningCrypto.load(Unhealthy.class.getName()),
            () -> Optional.of(NSS),
            17);
    assertThat(on17.provider()).containsSame(NSS);
    assertThat(on17.name()).isEqualTo("NSS");

    SigningCrypto.Chosen on25 =
        SigningCrypto.choose(
            SigningCrypto.Choice.AUTO,
            () -> SigningCrypto.load(Unhealthy.class.getName()),
            () -> Optional.of(NSS),
            25);
    assertThat(on25.provider()).isEmpty();
    assertThat(on25.name()).isEqualTo("the JDK");

    SigningCrypto.Chosen noNss =
        SigningCrypto.choose(
            SigningCrypto.Choice.AUTO, Optional::empty, Optional::empty, 17);
    assertThat(noNss.provider()).isEmpty();
  }

  @Test
  void aProviderAskedForByNameThatDoesNotLoadIsUnusableInput() {
    assertThatThrownBy(
            () ->
                SigningCrypto.choose(
                    SigningCrypto.Choice.ACCP,
                    () -> SigningCrypto.load(Unhealthy.class.getName()),
                    () -> Optional.of(NSS),
                    17))
        .isInstanceOf(UnusableInputException.class)
        .hasMessageContaining("--crypto accp")
        .hasMessageContaining("linux-x86_64");
    assertThatThrownBy(
            () ->
                SigningCrypto.choose(
                    SigningCrypto.Choice.NSS, () -> Optional.of(ACCP), Optional::empty, 17))
        .isInstanceOf(UnusableInputException.class)
        .hasMessageContaining("libnss3");
    assertThat(
            SigningCrypto.choose(
                    SigningCrypto.Choice.JDK, () -> Optional.of(ACCP), () -> Optional.of(NSS), 17)
                .provider())
        .isEmpty();
    assertThatThrownBy(() -> SigningCrypto.parse("openssl"))
        .isInstanceOf(UnusableInputException.class)
        .hasMessage("--crypto must be auto, accp, nss or jdk, not 'openssl'");
    assertThat(SigningCrypto.parse(" ACCP ")).isEqualTo(SigningCrypto.Choice.ACCP);
  }

  @Test
  void onLinuxX8664TheBundledAccpLoadsAndIsWhatAutoTakes() {
    boolean here =
        System.getProperty("os.name").equals("Linux")
            && System.getProperty("os.arch").equals("amd64");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        here, "ACCP's bundled native library is for linux-x86_64 only");
    assertThat(SigningCrypto.accp()).isPresent();
    assertThat(SigningCrypto.choose("auto").name()).isEqualTo("ACCP");
  }
}
