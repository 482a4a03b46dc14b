package org.aliasdns.benchmarks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;

/**
 * Flattening a zone of N aliases, each with its own target reached through one CNAME hop and
 * answered for A and AAAA: time and allocation per run (divide by N for per alias; run with
 * {@code -prof gc} for {@code gc.alloc.rate.norm}). Two sizes, so linear growth shows.
 *
 * <ul>
 *   <li>{@code firstRun}: no previous result: every alias is new, every change reported.
 *   <li>{@code unchangedRerun}: the steady state: the same results again, compared with the
 *       previous run; nothing changes and the serial stays.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class FlattenBenchmark {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** Number of ALIAS records in the zone. */
  @Param({"10000", "100000"})
  public int aliases;

  private Flattener flattener;
  private Zone source;
  private AliasResults results;
  private FlattenedZone previous;

  /** Builds the zone, its results and a previous run. */
  @Setup(Level.Trial)
  public void setUp() throws TextParseException, UnknownHostException {
    Name origin = Name.fromString("example.com.");
    Name ns = Name.fromString("ns1.example.com.");
    Zone.Builder zone = Zone.builder(origin);
    zone.add(
        new SOARecord(
            origin, DClass.IN, 3600, ns, Name.fromString("hostmaster.example.com."), 1, 7200, 900,
            1209600, 300));
    zone.add(new NSRecord(origin, DClass.IN, 3600, ns));
    zone.add(new ARecord(ns, DClass.IN, 3600, org.xbill.DNS.Address.getByAddress("192.0.2.53")));
    List<Resolution> all = new ArrayList<>(2 * aliases);
    for (int i = 0; i < aliases; i++) {
      Name owner = Name.fromString("a" + i + ".example.com.");
      Name target = Name.fromString("t" + i + ".example.net.");
      Name edge = Name.fromString("e" + i + ".cdn.example.org.");
      zone.add(AliasRecord.of(owner, AliasRecord.ALIAS, DClass.IN, 3600, target));
      List<Hop> chain = List.of(Hop.cname(target, edge, 600));
      byte[] v4 = {(byte) 192, 0, 2, (byte) (1 + i % 254)};
      byte[] v6 = org.xbill.DNS.Address.getByAddress("2001:db8::").getAddress();
      v6[12] = (byte) (i >>> 24);
      v6[13] = (byte) (i >>> 16);
      v6[14] = (byte) (i >>> 8);
      v6[15] = (byte) i;
      all.add(
          new Resolution.Answer(
              target,
              org.xbill.DNS.Type.A,
              chain,
              RecordSet.of(new ARecord(edge, DClass.IN, 300, InetAddress.getByAddress(v4))),
              NOW));
      all.add(
          new Resolution.Answer(
              target,
              org.xbill.DNS.Type.AAAA,
              chain,
              RecordSet.of(new AAAARecord(edge, DClass.IN, 300, InetAddress.getByAddress(v6))),
              NOW));
    }
    source = zone.build();
    results = AliasResults.of(all);
    flattener = Flattener.of(FlatteningPolicy.defaults());
    previous = flattener.flatten(source, results, NOW, null);
  }

  /**
   * Flattens with no previous run.
   *
   * @return the result, so it is not optimized away
   */
  @Benchmark
  public FlattenedZone firstRun() {
    return flattener.flatten(source, results, NOW, null);
  }

  /**
   * Flattens again with the same results: nothing changes.
   *
   * @return the result, so it is not optimized away
   */
  @Benchmark
  public FlattenedZone unchangedRerun() {
    return flattener.flatten(source, results, NOW.plusSeconds(60), previous);
  }
}
