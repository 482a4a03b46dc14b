package org.aliasdns.core.check;

import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.InZoneTargets;
import org.aliasdns.core.RandomZones;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.answer.Response;
import org.aliasdns.core.internal.ZoneIndex;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The validator never judges an alias target differently from how the zone is answered: over
 * random zones, with every name the in-zone chains leave the zone at answering with addresses,
 * an alias is reported by {@code alias-target-without-address} exactly when the answerer gives
 * it no addresses for either family (and no SERVFAIL, which loops and long chains get).
 */
class AliasTargetAgreementTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final FlatteningPolicy POLICY = FlatteningPolicy.defaults();

  @Test
  void theCheckAndTheAnswersAgreeOnWhichAliasesHaveNoAddresses() {
    int aliases = 0;
    int reported = 0;
    for (long seed = 0; seed < 300; seed++) {
      Zone zone = seed % 2 == 0 ? RandomZones.anyZone(seed) : RandomZones.validZone(seed);
      Set<Name> flagged = new HashSet<>();
      for (Finding f : ZoneValidator.defaults().validate(zone).findings()) {
        if (f.rule() == Rule.ALIAS_TARGET_WITHOUT_ADDRESS) {
          flagged.add(f.owner());
        }
      }
      ZoneIndex index = ZoneIndex.of(zone);
      QueryAnswerer answerer = QueryAnswerer.of(zone, POLICY);
      AliasResults upstream = everyExitAnswers(zone, index);
      for (Name owner : zone.names()) {
        ZoneIndex.Node node = index.node(owner);
        if (node == null || node.alias() == null || !answeredHere(index, owner)) {
          assertThat(flagged).as("seed %d: %s is no served alias", seed, owner).doesNotContain(owner);
          continue;
        }
        if (node.cname() != null || node.has(Type.A) || node.has(Type.AAAA)) {
          continue; // records beside the alias answer for it; the target is judged all the same
        }
        aliases++;
        Response a = answerer.answer(Question.of(owner, Type.A), upstream, NOW);
        Response aaaa = answerer.answer(Question.of(owner, Type.AAAA), upstream, NOW);
        boolean noAddresses = a.answer().isEmpty() && aaaa.answer().isEmpty();
        boolean servfail = a.rcode() == Rcode.SERVFAIL || aaaa.rcode() == Rcode.SERVFAIL;
        String what = "seed " + seed + ": " + owner + " -> " + node.aliasTarget() + "\n" + a + "\n" + aaaa;
        if (flagged.contains(owner)) {
          reported++;
          assertThat(noAddresses).as(what).isTrue();
        } else if (noAddresses && !servfail) {
          assertThat(flagged).as(what).contains(owner);
        }
      }
    }
    assertThat(aliases).isGreaterThan(100);
    assertThat(reported).isGreaterThan(10);
  }

  /** Whether a name's own data answers for it: not at or below a delegation, not below a DNAME. */
  private static boolean answeredHere(ZoneIndex index, Name owner) {
    ZoneIndex.Lookup found = index.find(owner);
    return found.kind() == ZoneIndex.Kind.DATA && owner.equals(found.at());
  }

  /** An address answer for each family at every name where an in-zone chain leaves the zone. */
  private static AliasResults everyExitAnswers(Zone zone, ZoneIndex index) {
    List<Name> targets = new ArrayList<>();
    for (Name owner : zone.names()) {
      ZoneIndex.Node node = index.node(owner);
      Name target = node == null ? null : node.aliasTarget();
      if (target != null) {
        targets.add(target);
      }
    }
    List<Resolution> answers = new ArrayList<>();
    for (Name exit : InZoneTargets.of(zone).upstreamTargets(targets, POLICY)) {
      answers.add(
          new Resolution.Answer(
              exit, Type.A, List.of(), RecordSet.of(Rr.a(exit.toString(), 300, "198.51.100.1")), NOW));
      answers.add(
          new Resolution.Answer(
              exit,
              Type.AAAA,
              List.of(),
              RecordSet.of(Rr.rr(exit.toString(), 300, "AAAA", "2001:db8::1")),
              NOW));
    }
    return AliasResults.of(answers);
  }
}
