package org.aliasdns.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;

/**
 * Runs one JMH benchmark method of this jar in a plain loop and prints the CPU time it costs
 * per call: the process's (every thread, the collector's included) and the calling thread's.
 * On a shared machine whose cores are busy with other work, wall-clock scores swing by 2× from
 * run to run while CPU time per call stays within a few percent, so side-by-side comparisons of
 * two builds (run this from each build's jar, alternating) are made on CPU time.
 *
 * <p>Usage: {@code java -Xms4g -Xmx4g -cp alias-benchmarks.jar
 * org.aliasdns.benchmarks.CpuPerOp CLASS METHOD [PARAM=VALUE ...] [--warmup N] [--calls N]},
 * e.g. {@code org.aliasdns.benchmarks.FlattenBenchmark unchangedRerun aliases=100000}. The
 * class's {@code @Setup} method must be called {@code setUp}; {@code @Param} fields are set
 * from the arguments.
 */
public final class CpuPerOp {
  private CpuPerOp() {}

  /**
   * Runs the benchmark and prints one line.
   *
   * @param args the class, the method, then parameters and options as above
   * @throws Exception if the class, method or a parameter is not found, or the method throws
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: CpuPerOp CLASS METHOD [PARAM=VALUE ...] [--warmup N] [--calls N]");
      System.exit(2);
    }
    Class<?> type = Class.forName(args[0]);
    Object bench = type.getDeclaredConstructor().newInstance();
    int warmup = 5;
    int calls = 6;
    StringBuilder params = new StringBuilder();
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("--warmup")) {
        warmup = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--calls")) {
        calls = Integer.parseInt(args[++i]);
      } else {
        String[] kv = args[i].split("=", 2);
        Field field = type.getDeclaredField(kv[0]);
        field.setAccessible(true);
        if (field.getType() == int.class) {
          field.setInt(bench, Integer.parseInt(kv[1]));
        } else {
          field.set(bench, kv[1]);
        }
        params.append(' ').append(args[i]);
      }
    }
    type.getMethod("setUp").invoke(bench);
    Method method = type.getMethod(args[1]);
    for (int i = 0; i < warmup; i++) {
      call(method, bench);
    }
    System.gc();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] each = new long[calls];
    long process = os.getProcessCpuTime();
    for (int i = 0; i < calls; i++) {
      long start = threads.getCurrentThreadCpuTime();
      call(method, bench);
      each[i] = threads.getCurrentThreadCpuTime() - start;
    }
    process = os.getProcessCpuTime() - process;
    Arrays.sort(each);
    System.out.printf(
        Locale.ROOT,
        "%s.%s%s: process CPU %.1f ms/call, calling thread CPU median %.1f ms/call (%d calls)%n",
        type.getSimpleName(),
        args[1],
        params,
        process / 1e6 / calls,
        each[calls / 2] / 1e6,
        calls);
  }

  private static void call(Method method, Object bench) throws Exception {
    try {
      Object unused = method.invoke(bench);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Exception ex ? ex : e;
    }
  }
}
