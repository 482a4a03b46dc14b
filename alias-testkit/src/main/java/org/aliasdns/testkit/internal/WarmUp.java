package org.aliasdns.testkit.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.CompletableFuture;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.server.DnsServer;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * Runs the one-time start-up of the libraries a fake needs on a background thread while the
 * test's own thread reads the fake's zones: the first fake of a JVM otherwise waits for each in
 * turn. What it does would happen anyway on the test's thread a moment later; run here first,
 * it overlaps with the zone reading, so the first answer comes sooner where a second core is
 * free (issue 14's cold start); where none looks free it is not started ({@link
 * #coreLooksFree}). The test's thread never waits for this thread except where both need the
 * same class at once, which the JVM's class initialisation already orders.
 *
 * <ul>
 *   <li>dnsjava's {@code Record} initialises a logger (slf4j looks for its binding on the class
 *       path) and a {@code DecimalFormat} (the JDK's locale data): about a quarter of the first
 *       fake's CPU time on JDK 17.
 *   <li>dnsjava's {@code Header} makes a {@code SecureRandom} for message ids (the JDK's
 *       security providers), needed only once the first query arrives.
 *   <li>The classes needed after the zones are read ({@link #LATER}) are verified, which the JVM
 *       otherwise does on the test's thread when each is first used.
 *   <li>The JDK's channel and selector classes, which {@code start()} needs: a UDP channel, a TCP
 *       server channel and a selector are opened and closed unbound (no port is taken, nothing
 *       is sent).
 * </ul>
 *
 * <p>Nothing here starts a class initialisation that waits for one the test's thread could be
 * in the middle of (dnsjava's {@code Record} and {@code Header} need only slf4j and the JDK), so
 * the two threads cannot deadlock. Failures are ignored: the test's thread meets the same
 * failure itself, where it can report it.
 */
public final class WarmUp implements Runnable {
  /** The thread's name, as a thread dump shows it. */
  public static final String THREAD_NAME = "alias-testkit-warm-up";

  /**
   * Classes the test's thread needs only after reading the zones (to index them, to start the
   * listeners, to answer): verified here meanwhile. Naming one that is no longer on the path
   * costs a little time on this thread, nothing else.
   */
  private static final Class<?>[] LATER = {
    World.class,
    Answering.class,
    Journal.class,
    QueryAnswerer.class,
    DnsServer.class,
    Message.class,
    Compression.class,
    DNSOutput.class
  };

  /** How many fields the reflection that links {@link #LATER} saw: kept only to use it. */
  private static volatile int fieldsSeen;

  private WarmUp() {}

  /**
   * Starts the warm-up once per class loader, at the first call, if a core looks free; later
   * calls do nothing.
   */
  public static void begin() {
    if (coreLooksFree()) {
      Once.touch();
    }
  }

  /**
   * Whether another core is likely idle: more than one processor, and (where Linux's {@code
   * /proc/loadavg} can be read) a one-minute load average below the processors less one. On a
   * machine with no free core the thread only takes CPU from the test's thread: measured on a
   * 2-core machine at load 20, the first answer came later with it than without.
   */
  static boolean coreLooksFree() {
    int processors = Runtime.getRuntime().availableProcessors();
    if (processors < 2) {
      return false;
    }
    byte[] text = new byte[32];
    int length;
    try (FileInputStream in = new FileInputStream("/proc/loadavg")) {
      length = in.read(text);
    } catch (IOException | SecurityException e) {
      return true; // not Linux, or not allowed: assume a free core, as on most machines
    }
    // "0.52 0.58 0.59 1/467 12345": the whole part of the first figure is enough.
    int whole = 0;
    for (int i = 0; i < length && text[i] >= '0' && text[i] <= '9'; i++) {
      whole = Math.min(whole * 10 + (text[i] - '0'), 1_000_000);
    }
    return whole < processors - 1;
  }

  /** Starts the thread in its class initialisation, which the JVM runs exactly once. */
  private static final class Once {
    static {
      Thread t = new Thread(new WarmUp(), THREAD_NAME);
      t.setDaemon(true);
      t.start();
    }

    private Once() {}

    static void touch() {
      // class initialisation did the work
    }
  }

  @Override
  public void run() {
    try {
      Class.forName(Record.class.getName(), true, Record.class.getClassLoader());
      Class.forName(Header.class.getName(), true, Header.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
      // the test's thread meets this itself
    }
    try {
      int seen = 0;
      for (Class<?> c : LATER) {
        // Links (verifies) the class without initialising it: reflection on its fields needs
        // a linked class.
        seen += c.getDeclaredFields().length;
      }
      fieldsSeen = seen;
    } catch (LinkageError | RuntimeException e) {
      // the test's thread meets this itself
    }
    try {
      // The server's pipeline completes replies as futures: CompletableFuture's initialisation
      // brings ForkJoinPool's classes (no thread is started).
      CompletableFuture.completedFuture(Boolean.TRUE).join();
      SelectorProvider provider = SelectorProvider.provider();
      try (DatagramChannel udp = provider.openDatagramChannel();
          ServerSocketChannel tcp = provider.openServerSocketChannel();
          Selector selector = provider.openSelector()) {
        udp.configureBlocking(false);
        tcp.configureBlocking(false);
        selector.selectNow();
      }
    } catch (IOException | RuntimeException e) {
      // no channels here (a sandbox, file descriptors used up): start() reports its own failure
    }
  }
}
