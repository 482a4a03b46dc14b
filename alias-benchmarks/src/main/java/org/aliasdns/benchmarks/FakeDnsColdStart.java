package org.aliasdns.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.aliasdns.testkit.FakeDns;

/**
 * Where the first fake of a fresh JVM spends its time, phase by phase: what {@code
 * FakeDnsBenchmark.startToFirstAnswer} measures as one number when run single-shot in new
 * forks. Each phase prints its wall time and the classes it loaded; run it in several fresh
 * JVMs and compare.
 *
 * <p>Usage: {@code java -cp alias-benchmarks.jar org.aliasdns.benchmarks.FakeDnsColdStart}
 */
public final class FakeDnsColdStart {
  private FakeDnsColdStart() {}

  // Loaded at the end of each phase: markers in the output of -Xlog:class+load.
  private static final class End1 {}

  private static final class End2 {}

  private static final class End3 {}

  private static final class End4 {}

  private static final class End5 {}

  /**
   * Prints one line per phase: name, milliseconds, classes loaded.
   *
   * @param args none
   * @throws Exception if the fake does not answer
   */
  public static void main(String[] args) throws Exception {
    var classes = ManagementFactory.getClassLoadingMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = ManagementFactory.getThreadMXBean();
    StringBuilder out = new StringBuilder();
    long start = System.nanoTime();
    long loadedAtStart = classes.getTotalLoadedClassCount();
    long[] last = {start, loadedAtStart, os.getProcessCpuTime(), threads.getCurrentThreadCpuTime()};
    Runnable[] mark = new Runnable[1];
    String[] phase = {""};
    int[] ended = {0};
    mark[0] = () -> {
      long now = System.nanoTime();
      long loaded = classes.getTotalLoadedClassCount();
      long cpu = os.getProcessCpuTime();
      long mine = threads.getCurrentThreadCpuTime();
      out.append(String.format("%-28s %7.2f ms %7.2f ms cpu (this thread) %7.2f ms cpu (JVM) %5d classes%n",
          phase[0], (now - last[0]) / 1e6, (mine - last[3]) / 1e6, (cpu - last[2]) / 1e6,
          loaded - last[1]));
      last[0] = now;
      last[1] = loaded;
      last[2] = cpu;
      last[3] = mine;
      // a marker in -Xlog:class+load output, to see which classes each phase loaded
      try {
        Class.forName(FakeDnsColdStart.class.getName() + "$End" + (++ended[0]));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    };

    phase[0] = "query bytes (JMH's setup)";
    byte[] query = FakeDnsBenchmark.queryBytes(); // outside the benchmark's measured part
    mark[0].run();
    long measured = last[0];
    long measuredClasses = last[1];
    long measuredCpu = last[3];

    phase[0] = "build (zone text parsed)";
    FakeDns fake = FakeDnsBenchmark.world();
    mark[0].run();

    phase[0] = "start (sockets, threads)";
    fake.start();
    mark[0].run();

    phase[0] = "first answer over UDP";
    int length;
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(2000);
      socket.send(new DatagramPacket(query, query.length, fake.address()));
      DatagramPacket in = new DatagramPacket(new byte[1232], 1232);
      socket.receive(in);
      length = in.getLength();
    }
    mark[0].run();
    out.append(String.format("%-28s %7.2f ms %7.2f ms cpu (this thread) %5d classes (answer %d bytes)%n",
        "= start to first answer", (last[0] - measured) / 1e6, (last[3] - measuredCpu) / 1e6,
        last[1] - measuredClasses, length));

    phase[0] = "close";
    fake.close();
    mark[0].run();
    System.out.print(out);
  }
}
