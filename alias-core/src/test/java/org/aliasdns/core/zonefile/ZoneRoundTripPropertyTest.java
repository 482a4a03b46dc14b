package org.aliasdns.core.zonefile;

import org.aliasdns.core.RandomZones;
import org.aliasdns.core.Zone;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Write → read is the identity, and so is read → write → read, for random zones.
 *
 * <p>Seeds 0 to {@value #SEEDS}-1 run every time; {@code -Dalias.seed=N} runs one seed only, to
 * reproduce a failure.
 */
class ZoneRoundTripPropertyTest {
  private static final int SEEDS = 300;

  static Stream<Long> seeds() {
    String one = System.getProperty("alias.seed");
    return one != null ? Stream.of(Long.parseLong(one)) : LongStream.range(0, SEEDS).boxed();
  }

  @TestFactory
  Stream<DynamicTest> writtenZonesReadBackEqualAndWriteAgainIdentically() {
    return seeds().map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> roundTrip(seed, ZoneFileWriter.defaults())));
  }

  @TestFactory
  Stream<DynamicTest> genericAliasFormRoundTripsToo() {
    return seeds()
        .filter(seed -> seed % 5 == 0)
        .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> roundTrip(seed, ZoneFileWriter.defaults().withGenericAliasTypes())));
  }

  @TestFactory
  Stream<DynamicTest> everyRecordTheReaderAcceptsRoundTrips() {
    // Known types in RFC 3597 generic form with empty, short or odd rdata, AAAA records of any
    // bytes, SVCB hints: whatever the reader takes, the writer writes so that it reads back.
    return seeds()
        .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> roundTrip(seed, RandomZones.oddRdataZone(seed), ZoneFileWriter.defaults())));
  }

  private static void roundTrip(long seed, ZoneFileWriter writer) {
    roundTrip(seed, RandomZones.anyZone(seed), writer);
  }

  private static void roundTrip(long seed, Zone zone, ZoneFileWriter writer) {
    String text = writer.toText(zone);
    Zone back;
    try {
      back = ZoneFileReader.defaults().read(text, "seed-" + seed + ".zone").zone();
    } catch (RuntimeException e) {
      fail("seed " + seed + ": written text does not read back: " + e + "\n" + text, e);
      return;
    }
    if (!back.equals(zone)) {
      fail("seed " + seed + ": zone read back differs\n--- written\n" + text + "--- read back, written again\n" + writer.toText(back));
    }
    if (!spellings(back).equals(spellings(zone))) {
      fail("seed " + seed + ": owner case changed\n" + spellings(zone) + "\n" + spellings(back) + "\n" + text);
    }
    String again = writer.toText(back);
    if (!again.equals(text)) {
      fail("seed " + seed + ": text differs on second write\n--- first\n" + text + "--- second\n" + again);
    }
  }

  private static java.util.List<String> spellings(Zone zone) {
    return zone.names().stream().map(Object::toString).toList();
  }
}
