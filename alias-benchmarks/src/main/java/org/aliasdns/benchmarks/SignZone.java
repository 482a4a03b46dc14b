package org.aliasdns.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.answer.SignedAnswerer;
import org.aliasdns.core.dnssec.Denial;
import org.aliasdns.core.dnssec.KeyFiles;
import org.aliasdns.core.dnssec.NssProvider;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.zonefile.ZoneFileWriter;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

/**
 * Times {@link ZoneSigner} in process on a zone file: a full signing, then five re-signings, each
 * after one alias name gained or changed an A RRset (what flattening does when a target moves)
 * and each followed by {@link SignedAnswerer#of} (what serving the new signed zone costs), then a
 * refresh pass with nothing due. Prints wall times and the calling thread's CPU in milliseconds,
 * and the RRSIGs each run made.
 *
 * <p>Usage: {@code SignZone [--nsec3] [--threads N] [--reps N] [--crypto auto|nss|jdk|class:NAME]
 * [--out FILE] ZONEFILE ORIGIN KEY...}; {@code class:NAME} signs with a JCA provider class on the
 * class path (its {@code INSTANCE} field or no-argument constructor), for comparison.
 * where each KEY is a BIND key file or stem. {@code --out} writes the fully signed zone (RFC 3597
 * form for alias types) so that a validator can check it.
 */
public final class SignZone {
  private SignZone() {}

  /**
   * Runs the benchmark.
   *
   * @param args the arguments, as in the class documentation
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    boolean nsec3 = false;
    String crypto = "auto";
    int threads = Runtime.getRuntime().availableProcessors();
    int reps = 3;
    @Nullable Path out = null;
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nsec3" -> nsec3 = true;
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--crypto" -> crypto = args[++i];
        default -> positional.add(args[i]);
      }
    }
    if (positional.size() < 3) {
      System.err.println(
          "usage: SignZone [--nsec3] [--threads N] [--reps N] [--out FILE] ZONEFILE ORIGIN KEY...");
      System.exit(2);
    }
    Name origin = Name.fromString(positional.get(1), Name.root);
    long t0 = System.nanoTime();
    Zone zone = ZoneFileReader.forOrigin(origin).read(Path.of(positional.get(0))).zone();
    long read = System.nanoTime() - t0;
    List<SigningKey> keys = new ArrayList<>();
    for (String k : positional.subList(2, positional.size())) {
      keys.add(KeyFiles.read(Path.of(k)));
    }
    SigningPolicy policy =
        SigningPolicy.builder().denial(nsec3 ? Denial.nsec3() : Denial.nsec()).build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      ZoneSigner signer = ZoneSigner.of(keys, policy).withExecutor(pool, threads);
      if (crypto.startsWith("class:")) {
        // A JCA provider on the class path, by class name, for comparison (e.g. a native one:
        // class:com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider).
        Class<?> type = Class.forName(crypto.substring("class:".length()));
        java.security.Provider p;
        try {
          p = (java.security.Provider) type.getField("INSTANCE").get(null);
        } catch (NoSuchFieldException e) {
          p = (java.security.Provider) type.getConstructor().newInstance();
        }
        signer = signer.withProvider(p);
      } else if (!crypto.equals("jdk")) {
        java.util.Optional<java.security.Provider> nss =
            crypto.equals("nss") ? NssProvider.find() : NssProvider.findIfFaster();
        if (nss.isPresent()) {
          signer = signer.withProvider(nss.get());
        } else if (crypto.equals("nss")) {
          throw new IllegalStateException("--crypto nss: NSS not found");
        }
      }
      Instant now = Instant.now();
      SignedZone signed = null;
      long best = Long.MAX_VALUE;
      for (int r = 0; r < reps; r++) {
        long s = System.nanoTime();
        signed = signer.sign(zone, now);
        best = Math.min(best, System.nanoTime() - s);
      }
      SignedZone full = java.util.Objects.requireNonNull(signed);
      System.out.printf(
          Locale.ROOT, "records %d, read %d ms, %s, %d threads, crypto %s%n", zone.recordCount(),
          read / 1_000_000, nsec3 ? "NSEC3" : "NSEC", threads,
          signer.provider().map(java.security.Provider::getName).orElse("JDK default"));
      System.out.printf(
          Locale.ROOT, "sign:    %7d ms (best of %d)  RRSIGs made %d, signed zone %d records%n",
          best / 1_000_000, reps, full.signaturesMade(), full.zone().recordCount());

      // One change at a time, five times, each signed from the previous signing: wall time and
      // the calling thread's CPU (the signing of 2 or 3 RRSIGs is on the pool's threads; the rest
      // of a re-signing, the O(zone) passes, is on this one).
      java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
      SignedZone again = full;
      for (int change = 1; change <= 5; change++) {
        Zone changed = withOneAliasMoved(zone, change);
        long c = cpu.getCurrentThreadCpuTime();
        long s = System.nanoTime();
        SignedZone before = again;
        again = signer.sign(changed, now.plusSeconds(60L * change), before);
        long resign = System.nanoTime() - s;
        long resignCpu = cpu.getCurrentThreadCpuTime() - c;
        // What serving the re-signed zone costs on top: the DO=1 answerer's index of it (built
        // for every new signed zone, as ZoneHandler.serve does).
        c = cpu.getCurrentThreadCpuTime();
        s = System.nanoTime();
        SignedAnswerer answerer = SignedAnswerer.of(again.zone());
        long index = System.nanoTime() - s;
        long indexCpu = cpu.getCurrentThreadCpuTime() - c;
        System.out.printf(
            Locale.ROOT,
            "re-sign: %7d ms (%d ms CPU)  RRSIGs made %d, kept %d, serial %d -> %d;"
                + " SignedAnswerer.of %d ms (%d ms CPU) over %d records%n",
            resign / 1_000_000, resignCpu / 1_000_000, again.signaturesMade(),
            again.signaturesKept(), before.serial(), again.serial(), index / 1_000_000,
            indexCpu / 1_000_000, answerer.zone().recordCount());
      }
      long s = System.nanoTime();
      SignedZone refreshed = signer.refresh(again, now.plusSeconds(600));
      long refresh = System.nanoTime() - s;
      System.out.printf(
          Locale.ROOT, "refresh: %7d ms  RRSIGs made %d (nothing due)%n", refresh / 1_000_000,
          refreshed.signaturesMade());
      if (out != null) {
        Files.writeString(
            out, ZoneFileWriter.defaults().withGenericAliasTypes().toText(full.zone()),
            StandardCharsets.UTF_8);
      }
    } finally {
      pool.shutdown();
    }
  }

  /** The zone with an A RRset (192.0.2.100 + n) added at the first name holding an alias. */
  static Zone withOneAliasMoved(Zone zone, int n) throws java.net.UnknownHostException {
    for (RecordSet set : zone) {
      if (set.type() == ZoneGenerator.ALIAS_TYPE) {
        return zone.toBuilder()
            .add(new ARecord(set.owner(), DClass.IN, 300, java.net.InetAddress.getByAddress(
                new byte[] {(byte) 192, 0, 2, (byte) (100 + n)})))
            .build();
      }
    }
    throw new IllegalArgumentException("the zone has no alias record to move");
  }
}
