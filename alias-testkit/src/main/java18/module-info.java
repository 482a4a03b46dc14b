import org.jspecify.annotations.NullMarked;

/**
 * The alias testkit's module as JDK 18 and later read it (META-INF/versions/18 of the
 * multi-release jar): the module of the main source set, with the testkit's {@code InetAddress}
 * resolver provider registered (JEP 418), so that it is found on the module path as on the class
 * path. The JDK loads the first provider {@code ServiceLoader} finds, once, at the JVM's first
 * host-name look-up. Keep the rest in step with {@code src/main/java/module-info.java}: {@code
 * ModuleDescriptorsTest} compares the two.
 */
@NullMarked
module org.aliasdns.testkit {
  requires transitive org.aliasdns.server;
  requires static transitive org.jspecify;
  requires org.slf4j; // WarmUp starts slf4j's binding look-up
  requires static com.github.benmanes.caffeine;
  requires static org.junit.jupiter.api;

  exports org.aliasdns.testkit;
  exports org.aliasdns.testkit.junit;

  // InetAddressRoute names the provider the JDK chose when it is not this one.
  uses java.net.spi.InetAddressResolverProvider;

  provides java.net.spi.InetAddressResolverProvider with
      org.aliasdns.testkit.internal.TestkitInetAddressResolverProvider;
}
