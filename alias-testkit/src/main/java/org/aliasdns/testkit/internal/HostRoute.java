package org.aliasdns.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.Properties;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one place the JVM's host-name look-ups are routed from: the testkit's resolver provider
 * (compiled for JDK 18, in {@code META-INF/versions/18}) asks it, for every look-up, whether a
 * fake holds the route. Everything here compiles for JDK 17; only the provider needs the JDK 18
 * SPI.
 */
public final class HostRoute {
  /** {@code InetAddressResolver.LookupPolicy.IPV4} (JDK 18): IPv4 addresses wanted. */
  public static final int IPV4 = 1;

  /** {@code LookupPolicy.IPV6}: IPv6 addresses wanted. */
  public static final int IPV6 = 2;

  /** {@code LookupPolicy.IPV4_FIRST}: IPv4 addresses before IPv6 ones. */
  public static final int IPV4_FIRST = 4;

  /** {@code LookupPolicy.IPV6_FIRST}: IPv6 addresses before IPv4 ones. */
  public static final int IPV6_FIRST = 8;

  private static final AtomicReference<@Nullable HostAnswers> ROUTE = new AtomicReference<>();
  private static volatile boolean providerLoaded;
  private static volatile String localHostName = "";

  /** The test the extension opens a route for, on this thread, while it opens it. */
  private static final ThreadLocal<@Nullable String> OPENING_FOR = new ThreadLocal<>();

  /** Classes whose frames do not say where a route was opened: the testkit's own. */
  private static final Set<String> OWN_PACKAGES =
      Set.of("org.aliasdns.testkit.internal", "org.aliasdns.testkit.junit");

  private static final Set<String> OWN_CLASSES =
      Set.of("org.aliasdns.testkit.FakeDns", "org.aliasdns.testkit.InetAddressRoute");

  private HostRoute() {}

  /**
   * Opens a route on behalf of a test, so that a route refused while it is open can say which
   * test holds it.
   *
   * @param test the test, in words
   * @param open opens the route
   * @param <T> the route
   * @return what {@code open} returned
   */
  public static <T> T openingFor(String test, Supplier<T> open) {
    OPENING_FOR.set(test);
    try {
      return open.get();
    } finally {
      OPENING_FOR.remove();
    }
  }

  /**
   * Says where a route is being opened: the test (through the extension) or the first caller
   * outside the testkit (class, method, file and line), and the thread.
   *
   * @return the words
   */
  public static String openingSite() {
    String test = OPENING_FOR.get();
    String where = test != null ? test
        : StackWalker.getInstance().walk(frames -> frames
            .filter(f -> !OWN_CLASSES.contains(f.getClassName())
                && !OWN_PACKAGES.contains(packageOf(f.getClassName())))
            .findFirst()
            .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
                + f.getLineNumber() + ")")
            .orElse("an unknown caller"));
    return where + " on thread \"" + Thread.currentThread().getName() + "\"";
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  /**
   * Notes that the JDK chose the testkit's provider, and switches the JDK's own address cache off
   * (it answers a repeated look-up for 30 s, a failed one for 10 s, without asking the resolver),
   * so that every look-up reaches the fake of the test that makes it. The cache policy is read
   * once, just after the JDK's first look-up has asked its resolver, which is when this runs, so
   * the settings take effect. Each of the two the user set at JVM start is kept as set, the
   * other still set to 0: {@code networkaddress.cache.ttl} (in a security properties file, {@code
   * -Djava.security.properties}, or by {@code Security.setProperty} before the first look-up) or
   * {@code -Dsun.net.inetaddr.ttl} for answers; {@code networkaddress.cache.negative.ttl} or
   * {@code -Dsun.net.inetaddr.negative.ttl} for failures. The JDK's own {@code java.security}
   * ships a negative TTL of 10 s, so that one counts as set when its value differs from the
   * shipped one or a {@code -Djava.security.properties} file names it.
   *
   * @param hostName the machine's own host name, as the JDK reports it
   */
  public static void providerLoaded(String hostName) {
    localHostName = hostName;
    if (!setAtJvmStart("networkaddress.cache.ttl", "sun.net.inetaddr.ttl")) {
      Security.setProperty("networkaddress.cache.ttl", "0");
    }
    if (!setAtJvmStart("networkaddress.cache.negative.ttl", "sun.net.inetaddr.negative.ttl")) {
      // java.security ships 10 here, which would hide from the JVM a name a test just added.
      Security.setProperty("networkaddress.cache.negative.ttl", "0");
    }
    providerLoaded = true;
  }

  /**
   * Tells whether the user chose a cache setting: the system property is set, or the security
   * property differs from the JDK's shipped {@code java.security}, or the file of {@code
   * -Djava.security.properties} names it (even with the shipped value).
   */
  private static boolean setAtJvmStart(String securityKey, String systemKey) {
    if (System.getProperty(systemKey) != null) {
      return true;
    }
    String now = Security.getProperty(securityKey);
    if (now == null) {
      return false;
    }
    Properties shipped =
        load(Path.of(System.getProperty("java.home"), "conf", "security", "java.security").toUri()
            .toString());
    String given = System.getProperty("java.security.properties");
    return !now.trim().equals(String.valueOf(shipped.getProperty(securityKey)).trim())
        || (given != null && load(given.startsWith("=") ? given.substring(1) : given)
            .containsKey(securityKey));
  }

  /** Reads a properties file named as the JDK names one (a URL, else a path); empty if unread. */
  private static Properties load(String where) {
    Properties p = new Properties();
    try (InputStream in = where.startsWith("file:") || where.contains("://")
        ? URI.create(where).toURL().openStream()
        : Files.newInputStream(Path.of(where))) {
      p.load(in);
    } catch (IOException | RuntimeException e) {
      // unreadable: then the JDK did not read it either, or it holds nothing of ours
    }
    return p;
  }

  /**
   * Tells whether the JDK chose the testkit's provider.
   *
   * @return true once the JDK has loaded it
   */
  public static boolean isProviderLoaded() {
    return providerLoaded;
  }

  /**
   * Returns the fake that answers the JVM's look-ups now.
   *
   * @return its answers, or null when look-ups go to the system resolver
   */
  public static @Nullable HostAnswers current() {
    return ROUTE.get();
  }

  /**
   * Routes the JVM's look-ups to a fake, unless one has them already.
   *
   * @param answers the fake's answers
   * @return the answers that hold the route: {@code answers} if it was free, else the holder's
   */
  public static HostAnswers install(HostAnswers answers) {
    HostAnswers had = ROUTE.compareAndExchange(null, answers);
    return had == null ? answers : had;
  }

  /**
   * Gives the look-ups back to the system resolver, if a given fake holds them.
   *
   * @param answers the fake's answers
   * @return true if it held the route
   */
  public static boolean remove(HostAnswers answers) {
    return ROUTE.compareAndSet(answers, null);
  }

  /**
   * Tells whether a host name is one a routed look-up answers with the loopback addresses
   * without asking the fake: {@code localhost} and names below it (RFC 6761 §6.3), and the
   * machine's own host name, so that {@code InetAddress.getLocalHost()} keeps working.
   *
   * @param host the name as given to the JDK
   * @return true for a loopback name
   */
  public static boolean isLoopbackName(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    h = h.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.equalsIgnoreCase(localHostName);
  }
}
