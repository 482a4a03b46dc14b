package org.aliasdns.core;

import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.answer.Response;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * RFC 8767 §4 as one rule for answering and flattening: a last good answer is served stale
 * until the upstream data's expiry (obtained + chain TTL, not the alias TTL) plus max stale,
 * with a TTL that never reaches past that.
 */
class StaleWindowTest {
  private static final Instant OBTAINED = Instant.parse("2026-11-21T00:00:00Z");
  private static final FlatteningPolicy POLICY =
      FlatteningPolicy.builder().maxStale(Duration.ofHours(1)).build();
  // The alias TTL (60) is below the chain TTL (300): the window counts from the chain TTL.
  private static final String ZONE =
      "$ORIGIN example.com.\n"
          + "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
          + "@ 3600 IN NS ns1\n"
          + "ns1 3600 IN A 192.0.2.1\n"
          + "@ 60 IN ALIAS target.example.net.\n";

  private final Zone zone = ZoneFileReader.defaults().read(ZONE, "stale.zone").zone();
  private final Name apex = Name.fromConstantString("example.com.");
  private final Name target = Name.fromConstantString("target.example.net.");

  private Resolution.Answer lastGood() throws Exception {
    return new Resolution.Answer(
        target,
        Type.A,
        List.of(),
        RecordSet.of(new ARecord(target, DClass.IN, 300, Address.getByAddress("192.0.2.80"))),
        OBTAINED);
  }

  private AliasResults failingAt(Instant now) throws Exception {
    return AliasResults.of(
        new Resolution.Failure(target, Type.A, List.of(), "SERVFAIL", now, lastGood()));
  }

  @Test
  void expiryIsObtainedPlusChainTtl() throws Exception {
    assertThat(POLICY.expiry(lastGood())).isEqualTo(OBTAINED.plusSeconds(300));
  }

  @Test
  void windowIncludesItsLastSecondAndNotTheNext() {
    Instant expiry = OBTAINED.plusSeconds(300);
    assertThat(POLICY.withinMaxStale(expiry, expiry.plus(Duration.ofHours(1)))).isTrue();
    assertThat(POLICY.withinMaxStale(expiry, expiry.plus(Duration.ofHours(1)).plusSeconds(1)))
        .isFalse();
  }

  @Test
  void answererAndFlattenerServeStaleUpToTheSameInstant() throws Exception {
    Instant last = OBTAINED.plusSeconds(300).plus(Duration.ofHours(1));

    Response answered =
        QueryAnswerer.of(zone, POLICY).answer(Question.of(apex, Type.A), failingAt(last), last);
    FlattenedZone flat = Flattener.of(POLICY).flatten(zone, failingAt(last), last, null);

    // Served at the window's last second, with no TTL left to reach past it.
    assertThat(answered.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answered.answer()).singleElement().satisfies(r -> assertThat(r.getTTL()).isZero());
    assertThat(flat.zone().get(apex, Type.A)).hasValueSatisfying(s -> assertThat(s.ttl()).isZero());
  }

  @Test
  void answererAndFlattenerCapTheStaleTtlAtTheTimeLeftAlike() throws Exception {
    Instant near = OBTAINED.plusSeconds(300).plus(Duration.ofHours(1)).minusSeconds(12);

    Response answered =
        QueryAnswerer.of(zone, POLICY).answer(Question.of(apex, Type.A), failingAt(near), near);
    FlattenedZone flat = Flattener.of(POLICY).flatten(zone, failingAt(near), near, null);

    assertThat(answered.answer()).singleElement().satisfies(r -> assertThat(r.getTTL()).isEqualTo(12));
    assertThat(flat.zone().get(apex, Type.A)).hasValueSatisfying(s -> assertThat(s.ttl()).isEqualTo(12));
  }

  @Test
  void answererAndFlattenerStopServingStaleAtTheSameInstant() throws Exception {
    Instant after = OBTAINED.plusSeconds(300).plus(Duration.ofHours(1)).plusSeconds(1);

    Response answered =
        QueryAnswerer.of(zone, POLICY).answer(Question.of(apex, Type.A), failingAt(after), after);
    FlattenedZone flat = Flattener.of(POLICY).flatten(zone, failingAt(after), after, null);

    assertThat(answered.rcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(flat.zone().get(apex, Type.A)).isEmpty();
    assertThat(flat.problems()).isNotEmpty();
  }
}
