package org.aliasdns.testkit.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.text.DecimalFormat;
import java.util.concurrent.CompletableFuture;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.server.DnsServer;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;

/**
 * Runs the one-time start-up of the libraries a fake needs on a background thread while the
 * test's own thread reads the fake's zones: the first fake of a JVM otherwise waits for each in
 * turn. What it does would happen anyway on the test's thread a moment later; run here first,
 * it overlaps with the zone reading, so the first answer comes sooner where a second core is
 * free (issue 14's cold start); where none looks free it is not started ({@link
 * #coreLooksFree}).
 *
 * <p>It takes nothing the test's thread needs first, so that thread never stands idle waiting
 * for it. The zone read starts with dnsjava's {@code Record} (alias-core's {@code AliasRecord}
 * is one, and registers ALIAS and ANAME through it) and then dnsjava's {@code Type} (one
 * constructor lambda per record type, 62, and in a fresh JVM the lambda machinery's start-up:
 * the biggest single cost). Both stay on the test's thread: when this thread initialised {@code
 * Record}, the test's thread waited for all of it before it could start on {@code Type} (one run
 * with a class-data archive: 29 ms of an 82 ms build idle). What this thread does instead:
 *
 * <ul>
 *   <li>slf4j's look-up of its binding on the class path, which {@code Record}'s and {@code
 *       Type}'s initialisers ask for first. Asked while the look-up runs here, slf4j hands the
 *       test's thread a substitute logger at once, which forwards to the real one when the
 *       look-up ends; dnsjava logs nothing while the classes initialise.
 *   <li>The JDK's number-format data for the default locale, which {@code Record}'s {@code
 *       DecimalFormat} needs (the test's thread finds it ready or makes it alongside).
 *   <li>dnsjava's {@code Header}: a {@code SecureRandom} for message ids (the JDK's security
 *       providers), needed only once the first query arrives.
 *   <li>The classes needed after the zones are read ({@link #LATER}) are verified, which the JVM
 *       otherwise does on the test's thread when each is first used.
 *   <li>The JDK's channel and selector classes and {@code InetAddress} (its native library),
 *       which {@code start()} needs: a UDP channel, a TCP server channel and a selector are
 *       opened and closed unbound (no port is taken, nothing is sent).
 * </ul>
 *
 * <p>The two threads cannot deadlock in class initialisation: this thread initialises only JDK
 * classes, slf4j's and dnsjava's {@code Header} (which needs only slf4j and the JDK), none of
 * which waits for a class of dnsjava's or ours. Failures are ignored: the test's thread meets
 * the same failure itself, where it can report it.
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
      // slf4j's binding look-up: dnsjava's first class initialisers ask for a logger
      LoggerFactory.getILoggerFactory();
      // the default locale's number-format data, as Record's DecimalFormat needs it
      new DecimalFormat().setMinimumIntegerDigits(3);
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
