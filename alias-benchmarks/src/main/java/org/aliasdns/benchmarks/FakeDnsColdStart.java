package org.aliasdns.benchmarks;

import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aliasdns.testkit.FakeDns;
import org.jspecify.annotations.Nullable;

/**
 * Where the first fake of a fresh JVM spends its time, phase by phase: what {@code
 * FakeDnsBenchmark.startToFirstAnswer} measures as one number when run single-shot in new
 * forks, here in a bare JVM with nothing warmed but dnsjava. Each phase prints its wall time,
 * the CPU time of the main thread, of all Java threads (the fake's listeners answer on theirs;
 * not the JIT compiler's or GC's threads), of the whole JVM (in clock ticks), and the classes
 * it loaded; {@code
 * scripts/fake-cold-start.sh} runs it in many fresh JVMs and prints the medians.
 *
 * <p>The harness itself stays out of what it measures: readings go into arrays and are formatted
 * after the fake is closed, so no string concatenation (whose first use bootstraps {@code
 * StringConcatFactory}), {@code String.format} or lambda of its own runs before or inside the
 * measured phases and warms up what the fake would otherwise pay for.
 *
 * <p>Usage: {@code java -cp alias-benchmarks.jar org.aliasdns.benchmarks.FakeDnsColdStart
 * [records] [dnsjava-first] [load=FILE | link=FILE]}: by default the fake is built from the
 * benchmark's two zone files; with {@code records}, from three record lines holding the same
 * chain, as the README's examples build it. By default the query's bytes are written by hand, so
 * the fake pays for dnsjava's start-up as the first fake of a test JVM does; with {@code
 * dnsjava-first} they are made with dnsjava before the measured part, as {@code
 * FakeDnsBenchmark}'s setup does. With {@code load=FILE} the classes FILE names (one binary name
 * a line) are loaded before the measured part, and with {@code link=FILE} loaded and linked
 * (verified), none initialised: what the first fake costs once the class loader has done its
 * part, which says how much of the cold figure is loading and linking ({@code
 * scripts/fake-cold-start.sh} with {@code PRELOAD=load} or {@code link} lists the classes).
 */
public final class FakeDnsColdStart {
  private static final String[] PHASES = {
    "query bytes",
    "build",
    "start (sockets, threads)",
    "first answer over UDP",
    "close"
  };

  private FakeDnsColdStart() {}

  // Loaded at the end of each phase: markers in the output of -Xlog:class+load.
  private static final class End1 {}

  private static final class End2 {}

  private static final class End3 {}

  private static final class End4 {}

  private static final class End5 {}

  /** Readings at each phase's end: wall and CPU nanoseconds, classes loaded. */
  private static final class Readings {
    final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    final long[] wall = new long[PHASES.length + 1];
    final long[] mine = new long[PHASES.length + 1];
    final long[] java = new long[PHASES.length + 1];
    final long[] jvm = new long[PHASES.length + 1];
    final long[] loaded = new long[PHASES.length + 1];
    int next;

    /** Takes a reading; the class named is loaded just after, as a marker. */
    void mark(@Nullable Class<?> marker) {
      wall[next] = System.nanoTime();
      mine[next] = threads.getCurrentThreadCpuTime();
      long all = 0;
      for (long id : threads.getAllThreadIds()) {
        all += Math.max(0, threads.getThreadCpuTime(id)); // -1 for a thread that has ended
      }
      java[next] = all;
      jvm[next] = os.getProcessCpuTime();
      loaded[next] = classes.getTotalLoadedClassCount();
      next++;
      if (marker != null && marker.getName().isEmpty()) {
        throw new AssertionError(); // only to use the marker
      }
    }
  }

  /**
   * Prints one line per phase: name, milliseconds, classes loaded.
   *
   * @param args any of {@code records}, {@code dnsjava-first}, {@code load=FILE}, {@code link=FILE}
   * @throws Exception if the fake does not answer
   */
  public static void main(String[] args) throws Exception {
    boolean fromRecords = false;
    boolean dnsjavaFirst = false;
    @Nullable String preload = null;
    boolean link = false;
    for (String arg : args) {
      if (arg.equals("records")) {
        fromRecords = true;
      } else if (arg.equals("dnsjava-first")) {
        dnsjavaFirst = true;
      } else if (arg.startsWith("load=") || arg.startsWith("link=")) {
        preload = arg.substring(5);
        link = arg.startsWith("link=");
      } else {
        throw new IllegalArgumentException(arg);
      }
    }
    Readings r = new Readings();
    r.mark(null);

    // Outside the measured part. By default the query's bytes are written by hand, so the first
    // testkit call is also the JVM's first use of dnsjava, as in a test whose first line starts
    // the fake; with dnsjava-first they come from dnsjava's Message as in JMH's setup, which
    // warms dnsjava's own start-up (Type's tables, Header's SecureRandom) before the fake.
    byte[] query = dnsjavaFirst ? FakeDnsBenchmark.queryBytes() : handWrittenQuery();
    if (preload != null) {
      preload(Path.of(preload), link);
    }
    r.mark(End1.class);

    FakeDns fake =
        fromRecords
            ? FakeDns.recursive()
                .records(
                    "www.example.net. 300 CNAME edge.cdn.example.org.",
                    "edge.cdn.example.org. 60 A 192.0.2.10",
                    "edge.cdn.example.org. 60 A 192.0.2.11")
                .build()
            : FakeDnsBenchmark.world();
    r.mark(End2.class);

    fake.start();
    r.mark(End3.class);

    int length;
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(2000);
      socket.send(new DatagramPacket(query, query.length, fake.address()));
      DatagramPacket in = new DatagramPacket(new byte[1232], 1232);
      socket.receive(in);
      length = in.getLength();
    }
    r.mark(End4.class);

    fake.close();
    r.mark(End5.class);

    StringBuilder out = new StringBuilder();
    for (int i = 0; i < PHASES.length; i++) {
      String phase = i != 1 ? PHASES[i] : fromRecords ? "build (record lines)" : "build (zone text)";
      out.append(line(phase, r, i, i + 1)).append(System.lineSeparator());
      if (i == 3) {
        // the measured part: build, start, first answer
        out.append(line("= start to first answer", r, 1, 4))
            .append(String.format(" (answer %d bytes)%n", length));
      }
    }
    System.out.print(out);
  }

  /**
   * Loads, and if asked links, the classes a file names, initialising none.
   *
   * @param list a text file with one binary class name a line
   * @param link whether to link (verify) each class too
   * @throws IOException if the file cannot be read
   * @throws ClassNotFoundException if a named class is not on the class path
   */
  private static void preload(Path list, boolean link) throws IOException, ClassNotFoundException {
    ClassLoader loader = FakeDnsColdStart.class.getClassLoader();
    int fields = 0;
    for (String name : Files.readAllLines(list, StandardCharsets.UTF_8)) {
      if (!name.isBlank()) {
        Class<?> c = Class.forName(name.strip(), false, loader);
        if (link) {
          // reflection on a class's fields links it (HotSpot verifies it first)
          fields += c.getDeclaredFields().length;
        }
      }
    }
    if (fields < 0) {
      throw new AssertionError(); // only to use the count
    }
  }

  /**
   * The query {@code www.example.net. IN A} with RD set, in wire format (RFC 1035 §4.1), without
   * touching dnsjava.
   */
  static byte[] handWrittenQuery() {
    return new byte[] {
      0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, // id, RD, one question
      3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0,
      0, 1, 0, 1 // type A, class IN
    };
  }

  private static String line(String phase, Readings r, int from, int to) {
    return String.format(
        "%-28s %7.2f ms %7.2f ms cpu (this thread) %7.2f ms cpu (Java threads) %7.2f ms cpu"
            + " (JVM) %5d classes",
        phase,
        (r.wall[to] - r.wall[from]) / 1e6,
        (r.mine[to] - r.mine[from]) / 1e6,
        (r.java[to] - r.java[from]) / 1e6,
        (r.jvm[to] - r.jvm[from]) / 1e6,
        r.loaded[to] - r.loaded[from]);
  }
}
