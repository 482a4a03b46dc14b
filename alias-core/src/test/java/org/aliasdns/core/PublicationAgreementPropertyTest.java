package org.aliasdns.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.FlatteningPolicy.Scope;
import org.aliasdns.core.FlatteningPolicy.TtlMode;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.answer.Response;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One rule, two paths: for generated alias TTLs, policies (floor, cap, countdown, max stale,
 * stale TTL, chain limit), resolution outcomes (answers through chains, NODATA, NXDOMAIN,
 * failures with and without a stale answer within or past max stale, loops, over-long chains,
 * no result) and previous runs, what the flattened zone holds at each alias name and what
 * {@link QueryAnswerer} answers there agree: the A/AAAA RRset record for record and TTL for
 * TTL, NODATA where the zone has none, the ALIAS record where the zone keeps it, the RRset ANY
 * gets, and the name's existence. The one allowed difference: SERVFAIL live where the zone has
 * no addresses because the family is unresolved.
 */
class PublicationAgreementPropertyTest {
  private static final int RUNS = 400;
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Name ORIGIN = Rr.name("example.com.");
  private static final long[] TTLS = {0, 5, 30, 60, 120, 300, 3600, 86400};

  /** The alias names of every generated zone, and the names asked for them. */
  private static final String[][] NAMES = {
    {"example.com.", "example.com."}, // apex: SOA and NS beside the alias
    {"www.example.com.", "WWW.example.com."}, // the alias alone
    {"mail.example.com.", "mail.example.com."}, // MX beside the alias
    {"dual.example.com.", "dual.example.com."}, // explicit A beside the alias
    {"*.w.example.com.", "host.w.example.com."}, // a wildcard alias
    {"c.example.com.", "c.example.com."}, // a CNAME, flattened under ALL_CNAMES
  };

  @Test
  void theFlattenedZoneAndTheAnswererSayTheSameAtEveryAliasName() {
    int compared = 0;
    int servfails = 0;
    for (long seed = 0; seed < RUNS; seed++) {
      Random random = new Random(seed);
      FlatteningPolicy policy = policy(random);
      Zone zone = zone(random);
      Flattener flattener = Flattener.of(policy);
      List<Name> targets = flattener.targets(zone);
      FlattenedZone previous = null;
      if (random.nextBoolean()) {
        Instant earlier = NOW.minusSeconds(random.nextInt(7200));
        previous =
            flattener.flatten(zone, results(random, targets, earlier, policy), earlier, null);
      }
      AliasResults results = results(random, targets, NOW, policy);
      FlattenedZone flat = flattener.flatten(zone, results, NOW, previous);
      QueryAnswerer answerer = QueryAnswerer.of(zone, policy);
      AliasPublications memory = previous == null ? AliasPublications.none() : previous::publication;
      String what = "seed " + seed + ", " + policy + "\n" + flat.zone();

      for (String[] pair : NAMES) {
        Name owner = Rr.name(pair[0]);
        Name asked = Rr.name(pair[1]);
        if (!zone.contains(owner)) {
          continue; // a CNAME outside the ALL_CNAMES scope is no alias
        }
        assertThat(flat.zone().contains(owner)).as("the name exists: %s", what).isTrue();
        for (Family family : Family.values()) {
          Response live = answerer.answer(Question.of(asked, family.type()), results, memory, NOW);
          if (live.rcode() == Rcode.SERVFAIL) {
            servfails++;
            AliasPublication p = flat.publication(owner, family).orElseThrow();
            assertThat(p).as("SERVFAIL only when unresolved: %s %s", asked, what)
                .isInstanceOf(AliasPublication.Unresolved.class);
            assertThat(flat.zone().get(owner, family.type())).as(what).isEmpty();
            continue;
          }
          assertSame(flat.zone(), owner, asked, family.type(), live, what + "\n" + live);
          compared++;
        }
        for (int type : new int[] {AliasRecord.ALIAS, Type.ANY, Type.TXT, Type.CNAME}) {
          Response live = answerer.answer(Question.of(asked, type), results, memory, NOW);
          assertSame(flat.zone(), owner, asked, type, live, what + "\n" + live);
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(10 * RUNS);
    assertThat(servfails).isPositive();
  }

  /**
   * What a server loading the flattened zone answers at the alias name (RFC 1034 §4.3.2 at one
   * node: the RRset, a CNAME, or NODATA; ANY: the lowest-typed RRset, RFC 8482 §4.1), compared
   * with the live response.
   */
  private static void assertSame(
      Zone flat, Name owner, Name asked, int type, Response live, String what) {
    List<RecordSet> sets = flat.recordSets(owner);
    RecordSet expected = null;
    if (type == Type.ANY) {
      expected = sets.isEmpty() ? null : sets.get(0);
    } else {
      for (RecordSet set : sets) {
        if (set.type() == type || (set.type() == Type.CNAME && type != Type.CNAME)) {
          expected = set;
        }
      }
    }
    assertThat(live.rcode()).as(what).isEqualTo(Rcode.NOERROR);
    assertThat(live.authoritative()).as(what).isTrue();
    if (expected == null) {
      assertThat(live.answer()).as("NODATA: %s", what).isEmpty();
      assertThat(live.authority()).as(what).extracting(Record::getType).containsExactly(Type.SOA);
      return;
    }
    List<String> want = new ArrayList<>();
    for (Record r : expected) {
      want.add(asked + " " + r.getTTL() + " " + Type.string(r.getType()) + " " + r.rdataToString());
    }
    List<String> got = new ArrayList<>();
    for (Record r : live.answer()) {
      got.add(r.getName() + " " + r.getTTL() + " " + Type.string(r.getType()) + " " + r.rdataToString());
      if (r.getType() == Type.CNAME) {
        break; // the chain beyond the name is the resolver's (or the zone's) business
      }
    }
    assertThat(got).as(what).containsExactlyInAnyOrderElementsOf(want);
  }

  private static FlatteningPolicy policy(Random random) {
    long floor = pick(random, 0, 0, 30, 120);
    long cap = Math.max(floor, pick(random, 60, 300, 86400, 86400));
    return FlatteningPolicy.builder()
        .scope(random.nextInt(3) == 0 ? Scope.ALL_CNAMES : Scope.ALIAS_RECORDS)
        .ttlFloor(floor)
        .ttlCap(cap)
        .ttlMode(random.nextBoolean() ? TtlMode.FIXED : TtlMode.COUNTDOWN)
        .maxStale(Duration.ofSeconds(pick(random, 0, 600, 3600, 86400)))
        .staleTtl(pick(random, 0, 30, 30, 90))
        .chainLimit((int) pick(random, 1, 2, 16, 16))
        .build();
  }

  private static Zone zone(Random random) {
    long ttl = TTLS[random.nextInt(TTLS.length)];
    String body =
        "$TTL 3600\n"
            + "@ SOA ns1 hostmaster 1 7200 900 1209600 300\n"
            + "@ NS ns1\n"
            + "ns1 A 192.0.2.53\n"
            + "@ " + ttl + " ALIAS t0.example.net.\n"
            + "www " + TTLS[random.nextInt(TTLS.length)] + " ALIAS t1.example.net.\n"
            + "mail ANAME t2.example.net.\nmail MX 10 ns1\n"
            + "dual ALIAS t0.example.net.\ndual A 198.51.100.4\n"
            + "*.w ALIAS t3.example.net.\n"
            + "c CNAME t1.example.net.\n";
    return ZoneFileReader.forOrigin(ORIGIN).read(body, "agreement.zone").zone();
  }

  /** One generated outcome for each target and family, or none at all. */
  private static AliasResults results(
      Random random, List<Name> targets, Instant now, FlatteningPolicy policy) {
    List<Resolution> out = new ArrayList<>();
    for (Name target : targets) {
      for (Family family : Family.values()) {
        if (!family.isAddress()) {
          continue; // HTTPS flattening has its own tests (flatten.HttpsFlatteningTest)
        }
        Resolution r = outcome(random, target, family.type(), now, policy);
        if (r != null) {
          out.add(r);
        }
      }
    }
    return AliasResults.of(out);
  }

  private static @Nullable Resolution outcome(
      Random random, Name target, int type, Instant now, FlatteningPolicy policy) {
    switch (random.nextInt(9)) {
      case 0:
      case 1:
        return answer(random, target, type, now.minusSeconds(random.nextInt(400)));
      case 2:
        return new Resolution.NoData(target, type, List.of(), pick(random, 0, 60, 300, 900), now);
      case 3:
        return new Resolution.NxDomain(
            target, type, hops(random, target, random.nextInt(2)), pick(random, 0, 60, 300, 900),
            now);
      case 4:
        return new Resolution.Failure(target, type, List.of(), "SERVFAIL", now, null);
      case 5:
        {
          // a stale answer within max stale, at its very end, or just past it
          Resolution.Answer lastGood = answer(random, target, type, now);
          long chainTtl = lastGood.chainTtl();
          long back = chainTtl + policy.maxStale().getSeconds() + (random.nextInt(3) - 1);
          Instant obtained = now.minusSeconds(Math.max(0, back));
          Resolution.Answer stale =
              new Resolution.Answer(
                  target, type, lastGood.chain(), lastGood.records(), obtained);
          return new Resolution.Failure(target, type, List.of(), "timeout", now, stale);
        }
      case 6:
        return new Resolution.Loop(target, type, List.of(Hop.cname(target, target, 60)), now);
      case 7:
        return new Resolution.ChainTooLong(target, type, hops(random, target, 3), now);
      default:
        return null;
    }
  }

  private static Resolution.Answer answer(Random random, Name target, int type, Instant obtained) {
    List<Hop> chain = hops(random, target, random.nextInt(4));
    Name last = chain.isEmpty() ? target : chain.get(chain.size() - 1).target();
    long ttl = TTLS[random.nextInt(TTLS.length)];
    List<Record> records = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      int n = 1 + random.nextInt(250);
      records.add(
          type == Type.A
              ? Rr.a(last.toString(), ttl, "192.0.2." + n)
              : Rr.rr(last.toString(), ttl, "AAAA", "2001:db8::" + Integer.toHexString(n)));
    }
    return new Resolution.Answer(target, type, chain, RecordSet.of(records), obtained);
  }

  private static List<Hop> hops(Random random, Name target, int n) {
    List<Hop> chain = new ArrayList<>();
    Name from = target;
    for (int i = 0; i < n; i++) {
      Name to = Rr.name("h" + i + "." + target);
      chain.add(
          random.nextBoolean()
              ? Hop.cname(from, to, TTLS[random.nextInt(TTLS.length)])
              : Hop.dname(from, to, TTLS[random.nextInt(TTLS.length)]));
      from = to;
    }
    return chain;
  }

  private static long pick(Random random, long... values) {
    return values[random.nextInt(values.length)];
  }
}
