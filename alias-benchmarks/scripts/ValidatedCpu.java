import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.Lookup;
import org.aliasdns.resolver.Security;
import org.aliasdns.resolver.TrustAnchors;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.aliasdns.testkit.SigningFault;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * CPU per validated upstream lookup (the miss path with trust anchors): a recursive testkit fake
 * on loopback serves a signed zone whose A has TTL 0, so every resolve goes upstream and through
 * dnsjava's validator (the DNSKEY stays in its key cache). Prints the process's CPU and the
 * calling thread's per lookup. A single-file program run from any build's benchmarks jar:
 * {@code java -cp alias-benchmarks.jar ValidatedCpu.java 20000}. See validated-cpu.sh.
 */
public class ValidatedCpu {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    String zone =
        """
        $ORIGIN example.net.
        $TTL 300
        @ IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 60
        @ IN NS ns.example.net.
        ns IN A 192.0.2.1
        www 0 IN A 192.0.2.10
        """;
    try (FakeDns fake =
        FakeDns.recursive()
            .clock(ManualClock.startingAt(Instant.now()))
            .signedZone(zone, SigningFault.NONE)
            .build()
            .start()) {
      List<Record> anchors = new ArrayList<>(fake.trustAnchor("example.net."));
      AliasResolver resolver =
          AliasResolver.builder()
              .upstream(fake.address())
              .trustAnchors(TrustAnchors.of(anchors))
              .build();
      Name www = Name.fromConstantString("www.example.net.");
      Runnable op =
          () -> {
            Lookup l = resolver.resolve(www, Type.A).toCompletableFuture().join();
            if (l.security() != Security.SECURE) {
              throw new IllegalStateException("not secure: " + l);
            }
          };
      for (int i = 0; i < n; i++) {
        op.run();
      }
      System.gc();
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      ThreadMXBean th = ManagementFactory.getThreadMXBean();
      long p0 = os.getProcessCpuTime();
      long t0 = th.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        op.run();
      }
      long p = os.getProcessCpuTime() - p0;
      long t = th.getCurrentThreadCpuTime() - t0;
      System.out.printf(Locale.ROOT,
          "validated miss: process CPU %.0f ns/op, calling thread CPU %.0f ns/op (%d ops)%n",
          (double) p / n, (double) t / n, n);
    }
    System.exit(0);
  }
}
