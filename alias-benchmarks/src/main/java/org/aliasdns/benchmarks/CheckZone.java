package org.aliasdns.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.ForkJoinPool;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Severity;
import org.aliasdns.core.check.ValidationReport;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileException;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.check.ZoneValidator;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A zone checker in the manner of {@code named-checkzone ZONE FILE}: reads the file with
 * {@link ZoneFileReader}, validates it with {@link ZoneValidator#defaults()}, prints the
 * findings and a one-line summary, and exits 0 if the zone has no errors, 1 if it has, and 2
 * on bad usage. It is the process the benchmark script times against BIND, NSD and Knot.
 *
 * <p>Usage: {@code CheckZone [-q] [-t] [-j] ZONE FILE}; {@code -q} prints only the summary and
 * errors, {@code -t} adds the time spent reading and validating, the main thread's and the
 * process's CPU time and the collector's time, on standard error; {@code -j} reads and validates
 * on every core (the common pool), as {@code aliasdns check} does.
 */
public final class CheckZone {
  private CheckZone() {}

  /**
   * Checks one zone file and exits with the checker's status.
   *
   * @param args {@code [-q] ZONE FILE}
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Checks one zone file.
   *
   * @param args {@code [-q] ZONE FILE}
   * @return 0 if the zone loads without errors, 1 if not, 2 on bad usage
   */
  public static int run(String[] args) {
    boolean quiet = false;
    boolean timed = false;
    boolean cores = false;
    int at = 0;
    for (; at < args.length && args[at].startsWith("-"); at++) {
      if (args[at].equals("-q")) {
        quiet = true;
      } else if (args[at].equals("-t")) {
        timed = true;
      } else if (args[at].equals("-j")) {
        cores = true;
      } else {
        at = -1;
        break;
      }
    }
    if (at < 0 || args.length - at != 2) {
      System.err.println("usage: CheckZone [-q] [-t] [-j] ZONE FILE");
      return 2;
    }
    Name origin;
    try {
      origin = Name.fromString(args[at], Name.root);
    } catch (TextParseException e) {
      System.err.println("bad zone name " + args[at] + ": " + e.getMessage());
      return 2;
    }
    Path file = Path.of(args[at + 1]);
    long start = System.nanoTime();
    ZoneFile zoneFile;
    try {
      ZoneFileReader reader = ZoneFileReader.forOrigin(origin);
      zoneFile = (cores ? reader.withExecutor(ForkJoinPool.commonPool()) : reader).read(file);
    } catch (ZoneFileException e) {
      System.out.println(e.getMessage());
      System.out.println("zone " + origin + ": not loaded due to errors.");
      return 1;
    } catch (java.nio.file.NoSuchFileException e) {
      System.out.println(file + ": no such file");
      System.out.println("zone " + origin + ": not loaded due to errors.");
      return 1;
    } catch (IOException e) {
      System.out.println(file + ": cannot read: " + e);
      System.out.println("zone " + origin + ": not loaded due to errors.");
      return 1;
    }
    long read = System.nanoTime();
    ZoneValidator validator = ZoneValidator.defaults();
    ValidationReport report =
        (cores ? validator.withExecutor(ForkJoinPool.commonPool()) : validator).validate(zoneFile);
    long validated = System.nanoTime();
    if (timed) {
      long gcMillis = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        gcMillis += Math.max(0, gc.getCollectionTime());
      }
      System.err.printf(
          "read %d ms, validate %d ms, main thread CPU %d ms, process CPU %d ms, allocated %d MB,"
              + " GC %d ms%n",
          (read - start) / 1_000_000,
          (validated - read) / 1_000_000,
          ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000,
          processCpuMillis(),
          allocatedBytes() / 1_000_000,
          gcMillis);
    }
    int errors = 0;
    int warnings = 0;
    for (Finding f : report.findings()) {
      if (f.severity() == Severity.ERROR) {
        errors++;
      } else {
        warnings++;
      }
      if (!quiet || f.severity() == Severity.ERROR) {
        System.out.println(f);
      }
    }
    System.out.println(
        "zone "
            + origin
            + ": "
            + zoneFile.zone().recordCount()
            + " records, "
            + zoneFile.zone().size()
            + " RRsets, "
            + errors
            + " errors, "
            + warnings
            + " warnings"
            + (errors == 0 ? "; OK" : "; not loaded due to errors."));
    return errors == 0 ? 0 : 1;
  }

  private static long processCpuMillis() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1_000_000;
    }
    return -1;
  }

  private static long allocatedBytes() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (threads instanceof com.sun.management.ThreadMXBean) {
      return ((com.sun.management.ThreadMXBean) threads)
          .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }
}
