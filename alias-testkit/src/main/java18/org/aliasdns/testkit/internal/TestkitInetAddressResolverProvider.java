package org.aliasdns.testkit.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * The testkit's resolver provider (JDK 18, JEP 418), found by the JDK through {@code
 * META-INF/services} at the JVM's first host-name look-up. While a fake holds the {@link
 * HostRoute}, look-ups go to it; otherwise to the JDK's built-in resolver, as if this provider
 * were absent. Compiled with {@code --release 18} into {@code META-INF/versions/18} of the
 * testkit's multi-release jar, so that JDK 17 never sees it.
 */
public final class TestkitInetAddressResolverProvider extends InetAddressResolverProvider {
  /** Creates the provider; the JDK calls this through {@code ServiceLoader}. */
  public TestkitInetAddressResolverProvider() {}

  @Override
  public InetAddressResolver get(Configuration configuration) {
    HostRoute.providerLoaded(configuration.lookupLocalHostName());
    return new Routed(configuration.builtinResolver());
  }

  @Override
  public String name() {
    return "alias-testkit";
  }

  /** Asks the fake that holds the route, else the built-in resolver. */
  private static final class Routed implements InetAddressResolver {
    private final InetAddressResolver builtin;

    Routed(InetAddressResolver builtin) {
      this.builtin = builtin;
    }

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
        throws UnknownHostException {
      HostAnswers fake = HostRoute.current();
      if (fake == null) {
        return builtin.lookupByName(host, policy);
      }
      return fake.byName(host, policy.characteristics()).stream();
    }

    @Override
    public String lookupByAddress(byte[] address) throws UnknownHostException {
      HostAnswers fake = HostRoute.current();
      if (fake == null) {
        return builtin.lookupByAddress(address);
      }
      return fake.byAddress(address);
    }
  }
}
