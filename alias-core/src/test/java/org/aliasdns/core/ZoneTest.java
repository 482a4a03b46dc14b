package org.aliasdns.core;

import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;
import org.aliasdns.core.zonefile.ZoneFileWriter;

import static org.aliasdns.core.Rr.a;
import static org.aliasdns.core.Rr.name;
import static org.aliasdns.core.Rr.rr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneTest {
  private static final Name ORIGIN = name("example.com.");

  private static Record soa() {
    return rr(
        "example.com.", 3600, "SOA", "ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300");
  }

  private static Zone.Builder builder() {
    return Zone.builder(ORIGIN);
  }

  @Test
  void aSplitBuildJoinsIntoTheZoneOneBuilderBuilds() {
    List<Record> records = new ArrayList<>();
    records.add(soa());
    for (int i = 0; i < 500; i++) {
      records.add(a("h" + i + ".example.com.", 300, "192.0.2." + (i % 250)));
      records.add(a((i % 2 == 0 ? "H" : "h") + (i / 2) + ".example.com.", 60, "198.51.100.1"));
      records.add(rr("x.d" + (i % 7) + ".example.com.", 300, "TXT", "\"t" + i + "\""));
    }
    List<Finding> oneFindings = new ArrayList<>();
    Zone.Builder one = builder().onFinding(oneFindings::add);
    records.forEach(one::add);
    List<Finding> partFindings = new ArrayList<>();
    List<Zone.Builder> parts = builder().onFinding(partFindings::add).split(3);
    for (Record r : records) {
      for (Zone.Builder part : parts) {
        if (part.takes(r.getName())) {
          part.add(r);
        }
      }
    }
    parts.get(1).build(); // built alone first, as on a thread of its own

    Zone joined = Zone.join(parts);
    Zone whole = one.build();

    assertThat(parts.stream().filter(p -> p.takes(name("h1.example.com.")))).hasSize(1);
    for (Record r : records) {
      assertThat(parts.get(Zone.partOf(r.getName(), 3)).takes(r.getName())).isTrue();
    }
    assertThat(Zone.partOf(name("H1.Example.COM."), 3)).isEqualTo(Zone.partOf(name("h1.example.com."), 3));
    assertThat(joined).isEqualTo(whole);
    assertThat(joined.names()).isEqualTo(whole.names());
    assertThat(joined.size()).isEqualTo(whole.size());
    assertThat(joined.recordCount()).isEqualTo(whole.recordCount());
    assertThat(joined.get(name("H4.EXAMPLE.COM."), Type.A)).isEqualTo(whole.get(name("h4.example.com."), Type.A));
    assertThat(joined.contains(name("nowhere.example.com."))).isFalse();
    assertThat(partFindings).extracting(Finding::rule).containsOnly(Rule.RRSET_TTL_MISMATCH);
    assertThat(partFindings).containsExactlyInAnyOrderElementsOf(oneFindings);
  }

  @Test
  void aPartRefusesTheNamesOfAnotherAndJoinWantsEveryPartInOrder() {
    List<Zone.Builder> parts = builder().split(2);
    Name owner = name("www.example.com.");
    Zone.Builder other = parts.get(0).takes(owner) ? parts.get(1) : parts.get(0);

    assertThatThrownBy(() -> other.add(a("www.example.com.", 300, "192.0.2.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another part");
    assertThat(builder().takes(owner)).isTrue();
    assertThatThrownBy(() -> Zone.join(List.of(parts.get(1), parts.get(0))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Zone.join(List.of(parts.get(0))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Zone.join(List.of(builder())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().split(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parts.get(0).split(2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder().add(soa()).split(2))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void lookupIgnoresCase() {
    Zone zone = builder().add(a("Www.Example.com.", 300, "192.0.2.1")).build();

    assertThat(zone.get(name("WWW.EXAMPLE.COM."), Type.A)).isPresent();
    assertThat(zone.contains(name("www.example.com."))).isTrue();
    assertThat(zone.recordSets(name("wWw.eXample.cOm."))).hasSize(1);
  }

  @Test
  void lookupOfAMissingTypeIsEmpty() {
    Zone zone = builder().add(a("www.example.com.", 300, "192.0.2.1")).build();

    assertThat(zone.get(name("www.example.com."), Type.AAAA)).isEmpty();
    assertThat(zone.get(name("ftp.example.com."), Type.A)).isEmpty();
    assertThat(zone.contains(name("ftp.example.com."))).isFalse();
    assertThat(zone.recordSets(name("ftp.example.com."))).isEmpty();
  }

  @Test
  void anEmptyNonTerminalIsNotContained() {
    Zone zone = builder().add(a("a.b.example.com.", 300, "192.0.2.1")).build();

    assertThat(zone.contains(name("b.example.com."))).isFalse();
  }

  @Test
  void namesKeepTheirOriginalCase() {
    Zone zone =
        builder()
            .add(a("Www.Example.com.", 300, "192.0.2.1"))
            .add(a("www.example.com.", 300, "192.0.2.2"))
            .build();

    assertThat(zone.names()).extracting(Name::toString).containsExactly("Www.Example.com.");
    assertThat(zone.get(name("www.example.com."), Type.A).orElseThrow().owner().toString())
        .isEqualTo("Www.Example.com.");
  }

  @Test
  void outputKeepsTheOriginalCase() {
    Zone zone = builder().add(soa()).add(a("MiXeD.example.com.", 300, "192.0.2.1")).build();

    assertThat(ZoneFileWriter.defaults().toText(zone)).contains("MiXeD\t");
  }

  @Test
  void namesAreInCanonicalOrderOfRfc4034() {
    // RFC 4034 §6.1, example list, given here shuffled
    List<String> canonical =
        List.of(
            "example.com.",
            "a.example.com.",
            "yljkjljk.a.example.com.",
            "Z.a.example.com.",
            "zABC.a.EXAMPLE.com.",
            "z.example.com.",
            "\\001.z.example.com.",
            "*.z.example.com.",
            "\\200.z.example.com.");
    List<String> shuffled = new ArrayList<>(canonical);
    java.util.Collections.reverse(shuffled);
    shuffled.add(0, shuffled.remove(4));
    Zone.Builder builder = builder();
    for (String owner : shuffled) {
      builder.add(rr(owner, 300, "TXT", "x"));
    }

    assertThat(builder.build().names()).extracting(Name::toString).containsExactlyElementsOf(canonical);
  }

  @Test
  void iterationIsByNameThenAscendingType() {
    Zone zone =
        builder()
            .add(rr("b.example.com.", 300, "TXT", "t"))
            .add(a("b.example.com.", 300, "192.0.2.1"))
            .add(rr("example.com.", 300, "NS", "ns1.example.com."))
            .add(soa())
            .add(rr("a.example.com.", 300, "AAAA", "2001:db8::1"))
            .build();

    List<String> order = new ArrayList<>();
    for (RecordSet set : zone) {
      order.add(set.owner() + " " + Type.string(set.type()));
    }

    assertThat(order)
        .containsExactly(
            "example.com. NS", "example.com. SOA", "a.example.com. AAAA", "b.example.com. A",
            "b.example.com. TXT");
    assertThat(zone.stream().map(s -> s.owner() + " " + Type.string(s.type())).toList())
        .isEqualTo(order);
  }

  @Test
  void soaIsTheOnesAtTheOrigin() {
    assertThat(builder().add(soa()).build().soa()).isPresent();
    assertThat(builder().add(a("example.com.", 300, "192.0.2.1")).build().soa()).isEmpty();
  }

  @Test
  void sizeCountsRecordSetsAndRecordCountCountsRecords() {
    Zone zone =
        builder()
            .add(a("www.example.com.", 300, "192.0.2.1"))
            .add(a("www.example.com.", 300, "192.0.2.2"))
            .add(rr("www.example.com.", 300, "TXT", "t"))
            .build();

    assertThat(zone.size()).isEqualTo(2);
    assertThat(zone.recordCount()).isEqualTo(3);
  }

  @Test
  void differingTtlsInOneSetAreReportedAndReduced() {
    List<Finding> findings = new ArrayList<>();
    Zone zone =
        builder()
            .onFinding(findings::add)
            .add(a("www.example.com.", 300, "192.0.2.1"))
            .add(a("www.example.com.", 60, "192.0.2.2"))
            .build();

    assertThat(zone.get(name("www.example.com."), Type.A).orElseThrow().ttl()).isEqualTo(60);
    assertThat(findings).hasSize(1);
    assertThat(findings.get(0).rule()).isEqualTo(Rule.RRSET_TTL_MISMATCH);
    assertThat(findings.get(0).owner()).isEqualTo(name("www.example.com."));
    assertThat(findings.get(0).message()).contains("300").contains("60");
  }

  @Test
  void equalTtlsAreNotReported() {
    List<Finding> findings = new ArrayList<>();
    builder()
        .onFinding(findings::add)
        .add(a("www.example.com.", 300, "192.0.2.1"))
        .add(a("www.example.com.", 300, "192.0.2.2"))
        .add(rr("www.example.com.", 60, "TXT", "t"))
        .build();

    assertThat(findings).isEmpty();
  }

  @Test
  void differingRrsigTtlsAreNotReported() {
    List<Finding> findings = new ArrayList<>();
    String sig = " 8 3 300 20300101000000 20200101000000 1 example.com. AAECAwQFBgcICQ==";
    builder()
        .onFinding(findings::add)
        .add(rr("www.example.com.", 300, "RRSIG", "A" + sig))
        .add(rr("www.example.com.", 60, "RRSIG", "TXT" + sig))
        .build();

    assertThat(findings).isEmpty();
  }

  @Test
  void aRecordOutsideTheZoneIsRejected() {
    assertThatThrownBy(() -> builder().add(a("www.example.net.", 300, "192.0.2.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("www.example.net.");
  }

  @Test
  void aRecordAtAParentOfTheOriginIsRejected() {
    assertThatThrownBy(() -> builder().add(a("com.", 300, "192.0.2.1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRecordOfAnotherClassIsRejected() {
    assertThatThrownBy(() -> builder().add(rr("www.example.com.", 300, DClass.CH, "A", "192.0.2.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IN");
  }

  @Test
  void aRelativeOriginIsRejected() {
    assertThatThrownBy(() -> Zone.builder(Name.fromConstantString("example")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ownerMatchingIgnoresCaseForTheZoneCut() {
    Zone zone = builder().add(a("www.EXAMPLE.COM.", 300, "192.0.2.1")).build();

    assertThat(zone.contains(name("www.example.com."))).isTrue();
  }

  @Test
  void removingATypeLeavesTheEarlierSnapshotAlone() {
    Zone before =
        builder()
            .add(a("www.example.com.", 300, "192.0.2.1"))
            .add(rr("www.example.com.", 300, "TXT", "t"))
            .build();

    Zone after = before.toBuilder().remove(name("WWW.example.com."), Type.A).build();

    assertThat(after.get(name("www.example.com."), Type.A)).isEmpty();
    assertThat(after.get(name("www.example.com."), Type.TXT)).isPresent();
    assertThat(before.get(name("www.example.com."), Type.A)).isPresent();
  }

  @Test
  void removingTheLastTypeRemovesTheName() {
    Zone zone =
        builder()
            .add(a("www.example.com.", 300, "192.0.2.1"))
            .remove(name("www.example.com."), Type.A)
            .build();

    assertThat(zone.contains(name("www.example.com."))).isFalse();
    assertThat(zone.names()).isEmpty();
  }

  @Test
  void removingANameRemovesAllItsSets() {
    Zone zone =
        builder()
            .add(a("www.example.com.", 300, "192.0.2.1"))
            .add(rr("www.example.com.", 300, "TXT", "t"))
            .remove(name("WWW.example.com."))
            .build();

    assertThat(zone.size()).isZero();
    assertThat(zone.recordCount()).isZero();
  }

  @Test
  void putReplacesTheSetAndLeavesTheEarlierSnapshotAlone() {
    Zone before = builder().add(a("www.example.com.", 300, "192.0.2.1")).build();

    Zone after =
        before.toBuilder().put(RecordSet.of(a("www.example.com.", 60, "192.0.2.9"))).build();

    assertThat(after.get(name("www.example.com."), Type.A).orElseThrow())
        .isEqualTo(RecordSet.of(a("www.example.com.", 60, "192.0.2.9")));
    assertThat(before.get(name("www.example.com."), Type.A).orElseThrow())
        .isEqualTo(RecordSet.of(a("www.example.com.", 300, "192.0.2.1")));
  }

  @Test
  void toBuilderGivesAnEqualZone() {
    Zone zone =
        builder()
            .add(soa())
            .add(a("Www.example.com.", 300, "192.0.2.1"))
            .add(rr("www.example.com.", 300, "TXT", "t"))
            .build();

    Zone copy = zone.toBuilder().build();

    assertThat(copy).isEqualTo(zone);
    assertThat(copy.hashCode()).isEqualTo(zone.hashCode());
    assertThat(copy.names()).extracting(Name::toString).isEqualTo(List.of("example.com.", "Www.example.com."));
  }

  @Test
  void addingToTheBuilderAfterBuildLeavesTheSnapshotAlone() {
    Zone.Builder builder = builder().add(a("www.example.com.", 300, "192.0.2.1"));
    Zone first = builder.build();

    builder.add(a("www.example.com.", 300, "192.0.2.2")).add(a("ftp.example.com.", 300, "192.0.2.3"));
    Zone second = builder.build();

    assertThat(first.recordCount()).isEqualTo(1);
    assertThat(first.get(name("www.example.com."), Type.A).orElseThrow().size()).isEqualTo(1);
    assertThat(first.contains(name("ftp.example.com."))).isFalse();
    assertThat(second.recordCount()).isEqualTo(3);
  }

  @Test
  void buildingTwiceGivesIndependentEqualZones() {
    Zone.Builder builder =
        builder().add(soa()).add(a("www.example.com.", 300, "192.0.2.1"));

    Zone first = builder.build();
    Zone second = builder.build();

    assertThat(first).isNotSameAs(second).isEqualTo(second);
    builder.remove(name("www.example.com."));
    assertThat(first).isEqualTo(second);
    assertThat(first.contains(name("www.example.com."))).isTrue();
  }

  @Test
  void zonesWithDifferentContentAreNotEqual() {
    Zone one = builder().add(a("www.example.com.", 300, "192.0.2.1")).build();
    Zone other = builder().add(a("www.example.com.", 300, "192.0.2.2")).build();
    Zone elsewhere = builder().add(a("ftp.example.com.", 300, "192.0.2.1")).build();

    assertThat(one).isNotEqualTo(other).isNotEqualTo(elsewhere);
  }

  @Test
  void zonesWithDifferentOriginsAreNotEqual() {
    Zone one = Zone.builder(name("example.com.")).add(a("a.b.example.com.", 300, "192.0.2.1")).build();
    Zone other =
        Zone.builder(name("b.example.com.")).add(a("a.b.example.com.", 300, "192.0.2.1")).build();

    assertThat(one).isNotEqualTo(other);
  }

  @Test
  void listsFromTheZoneCannotBeModified() {
    Zone zone = builder().add(a("www.example.com.", 300, "192.0.2.1")).build();

    assertThatThrownBy(() -> zone.names().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> zone.recordSets(name("www.example.com.")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everySetAtANameIsSpelledAsTheNameWasFirstGiven() {
    Zone zone =
        builder()
            .add(rr("WWW.example.com.", 300, "TXT", "t"))
            .add(a("www.EXAMPLE.com.", 300, "192.0.2.1"))
            .build();

    assertThat(zone.names()).extracting(Name::toString).containsExactly("WWW.example.com.");
    assertThat(zone.recordSets(name("www.example.com.")))
        .extracting(set -> set.owner().toString())
        .containsOnly("WWW.example.com.");
    assertThat(zone.get(name("www.example.com."), Type.A).orElseThrow().first().getName().toString())
        .isEqualTo("WWW.example.com.");
  }
}
