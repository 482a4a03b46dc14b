import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * CPU per lookup of {@code ResolverMissBenchmark.aliasResolverMiss} ("miss") or {@code
 * ResolverHitBenchmark.aliasResolverHit} ("hit"), in a plain loop: the process's CPU and the
 * calling thread's, per call. A single-file program, so one copy runs against any build's jar:
 * {@code java -cp alias-benchmarks.jar ResolverCpu.java miss 300000}. See resolver-cpu.sh.
 */
public class ResolverCpu {
  public static void main(String[] args) throws Exception {
    String which = args[0];
    int n = Integer.parseInt(args[1]);
    Runnable op;
    Runnable close = () -> {};
    if (which.equals("miss")) {
      var b = new org.aliasdns.benchmarks.ResolverMissBenchmark();
      b.setUp();
      op = b::aliasResolverMiss;
      close = b::tearDown;
    } else {
      var b = new org.aliasdns.benchmarks.ResolverHitBenchmark();
      b.setUp();
      op = b::aliasResolverHit;
    }
    for (int i = 0; i < n; i++) {
      op.run();
    }
    System.gc();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean th = ManagementFactory.getThreadMXBean();
    long p0 = os.getProcessCpuTime();
    long t0 = th.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    long p = os.getProcessCpuTime() - p0;
    long t = th.getCurrentThreadCpuTime() - t0;
    System.out.printf(Locale.ROOT, "%s: process CPU %.0f ns/op, calling thread CPU %.0f ns/op (%d ops)%n",
        which, (double) p / n, (double) t / n, n);
    close.run();
    System.exit(0);
  }
}
