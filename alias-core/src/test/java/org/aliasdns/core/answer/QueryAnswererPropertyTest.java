package org.aliasdns.core.answer;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RandomZones;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Invariants of answering over many random zones ({@link RandomZones}), asking every name, a
 * re-cased copy of it and a missing child, for several types: no exception; a response code an
 * authoritative server gives; NODATA and NXDOMAIN carry the SOA; a response without AA is a
 * referral; owners echo the query name's case; the wire message round-trips; and an alias name
 * whose target has no result is never an empty success for A or AAAA.
 */
class QueryAnswererPropertyTest {
  private static final int ZONES = 300;
  private static final int[] TYPES = {
    Type.A, Type.AAAA, Type.ANY, Type.CNAME, Type.MX, Type.NS, Type.DS, Type.TXT, AliasRecord.ALIAS
  };
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void everyQuestionOverRandomZonesKeepsTheInvariants() throws Exception {
    int asked = 0;
    for (long seed = 0; seed < ZONES; seed++) {
      Zone zone = seed % 2 == 0 ? RandomZones.anyZone(seed) : RandomZones.validZone(seed);
      for (FlatteningPolicy.Scope scope : FlatteningPolicy.Scope.values()) {
        QueryAnswerer answerer =
            QueryAnswerer.of(zone, FlatteningPolicy.builder().scope(scope).build());
        for (Name name : questionNames(zone)) {
          for (int type : TYPES) {
            check(zone, answerer, name, type);
            asked++;
          }
        }
      }
    }
    assertThat(asked).isGreaterThan(10_000);
  }

  private static List<Name> questionNames(Zone zone) throws Exception {
    List<Name> names = new ArrayList<>();
    for (Name name : zone.names()) {
      names.add(name);
      names.add(Name.fromString(recase(name.toString())));
      if (name.length() < 240) {
        names.add(Name.concatenate(Name.fromConstantString("nx-zz"), name));
      }
    }
    return names;
  }

  private static String recase(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      sb.append(i % 2 == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    return sb.toString();
  }

  private static void check(Zone zone, QueryAnswerer answerer, Name name, int type)
      throws Exception {
    Response r = answerer.answer(Question.of(name, type), AliasResults.empty(), NOW);
    String what = name + " " + Type.string(type) + " in\n" + zone.stream().map(RecordSet::toString)
        .reduce("", (a, b) -> a + "\n" + b) + "\n->\n" + r;
    assertThat(r.rcode())
        .as(what)
        .isIn(Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.SERVFAIL, Rcode.YXDOMAIN);
    if (r.rcode() == Rcode.NXDOMAIN || (r.rcode() == Rcode.NOERROR && r.authoritative()
        && r.answer().isEmpty())) {
      assertThat(r.authority()).as(what).extracting(Record::getType).containsExactly(Type.SOA);
    }
    if (r.rcode() == Rcode.NOERROR && !r.authoritative()) {
      assertThat(r.authority()).as(what).isNotEmpty().allMatch(rec -> rec.getType() == Type.NS);
    }
    if (!r.answer().isEmpty() && r.answer().get(0).getType() != Type.DNAME) {
      assertThat(r.answer().get(0).getName().toString()).as(what).isEqualTo(name.toString());
    }
    if (type == Type.A || type == Type.AAAA) {
      // With both ALIAS and ANAME at a name (an error the validator reports), ANAME, the lower
      // type code, is the one used.
      boolean outOfZoneAlias =
          zone.recordSets(name).stream()
              .filter(set -> AliasRecord.isAliasType(set.type()))
              .findFirst()
              .map(set -> !((AliasRecord) set.first()).getTarget().subdomain(zone.origin()))
              .orElse(false);
      if (outOfZoneAlias && zone.get(name, type).isEmpty() && r.authoritative()) {
        assertThat(r.answer().isEmpty() && r.rcode() == Rcode.NOERROR)
            .as("empty success at an alias name: " + what)
            .isFalse();
      }
    }
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    Message parsed = new Message(r.toMessage(query).toWire());
    assertThat(parsed.getRcode()).as(what).isEqualTo(r.rcode());
    assertThat(parsed.getQuestion().getName().toString().toLowerCase(Locale.ROOT))
        .isEqualTo(name.toString().toLowerCase(Locale.ROOT));
  }
}
