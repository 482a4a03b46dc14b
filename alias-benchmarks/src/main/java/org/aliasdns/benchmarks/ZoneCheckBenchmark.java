package org.aliasdns.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.check.ValidationReport;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.check.ZoneValidator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * In-process cost of checking a generated zone (default 100,000 records), so that regressions
 * in the reader, the zone model or the validator show without JVM start-up in the way:
 *
 * <ul>
 *   <li>{@code readAndValidate}: master-file text to a validation report, as {@link CheckZone}
 *   <li>{@code read}: text to {@link ZoneFile} only
 *   <li>{@code buildZone}: parsed records to a {@link Zone} (no dnsjava parsing)
 *   <li>{@code validate}: a read zone file to a report
 * </ul>
 *
 * <p>Run: {@code java -jar alias-benchmarks/target/alias-benchmarks.jar ZoneCheckBenchmark}
 * (add {@code -p records=1000000} for the large zone, {@code -prof gc} for allocation rates).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms2g", "-Xmx2g"})
public class ZoneCheckBenchmark {
  /** How many records the generated zone holds. */
  @Param({"100000"})
  public int records;

  private byte[] text = new byte[0];
  private List<Record> parsed = new ArrayList<>();
  private ZoneFile zoneFile;
  private Name origin = Name.root;

  /** Creates the benchmark state; JMH fills it in {@link #setUp()}. */
  public ZoneCheckBenchmark() {
    zoneFile = ZoneFileReader.defaults().read("example.com. 60 SOA a. b. 1 2 3 4 5", "empty");
  }

  /**
   * Generates the zone (seeded, so every run sees the same text) and reads it once.
   *
   * @throws IOException never: the text is in memory
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    text = ZoneGenerator.text(records, ZoneGenerator.DEFAULT_SEED).getBytes(StandardCharsets.US_ASCII);
    origin = Name.fromConstantString("example.com.");
    zoneFile = read();
    parsed = new ArrayList<>();
    for (RecordSet set : zoneFile.zone()) {
      parsed.addAll(set.records());
    }
  }

  /**
   * Reads and validates the zone text.
   *
   * @return the report
   * @throws IOException never: the text is in memory
   */
  @Benchmark
  public ValidationReport readAndValidate() throws IOException {
    return ZoneValidator.defaults().validate(read());
  }

  /**
   * Reads the zone text.
   *
   * @return the zone file
   * @throws IOException never: the text is in memory
   */
  @Benchmark
  public ZoneFile read() throws IOException {
    return ZoneFileReader.forOrigin(origin).read(new ByteArrayInputStream(text), "bench.zone");
  }

  /**
   * Builds a zone snapshot from already parsed records.
   *
   * @return the zone
   */
  @Benchmark
  public Zone buildZone() {
    return Zone.builder(origin).addAll(parsed).build();
  }

  /**
   * Validates an already read zone file.
   *
   * @return the report
   */
  @Benchmark
  public ValidationReport validate() {
    return ZoneValidator.defaults().validate(zoneFile);
  }
}
