package org.aliasdns.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import static org.aliasdns.core.Rr.a;
import static org.aliasdns.core.Rr.name;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class RecordSetTest {
  private static Record rrsig(String owner, long ttl, int covered, int keyTag) {
    return Rr.rr(
        owner,
        ttl,
        "RRSIG",
        Type.string(covered)
            + " 8 2 300 20300101000000 20200101000000 "
            + keyTag
            + " example.com. AAECAwQFBgcICQ==");
  }

  private static List<String> addresses(RecordSet set) {
    return set.records().stream().map(Record::rdataToString).toList();
  }

  @Test
  void recordsAreHeldInCanonicalRdataOrder() {
    RecordSet set =
        RecordSet.of(
            a("www.example.com.", 300, "192.0.2.10"),
            a("www.example.com.", 300, "192.0.2.9"),
            a("www.example.com.", 300, "192.0.2.200"));

    // RFC 4034 §6.3: rdata compared as unsigned octet strings, not as text
    assertThat(addresses(set)).containsExactly("192.0.2.9", "192.0.2.10", "192.0.2.200");
  }

  @Test
  void orderDoesNotDependOnTheOrderRecordsWereGiven() {
    Record one = a("www.example.com.", 300, "192.0.2.1");
    Record two = a("www.example.com.", 300, "192.0.2.2");

    assertThat(RecordSet.of(two, one).records()).isEqualTo(RecordSet.of(one, two).records());
  }

  @Test
  void duplicateRecordsCountOnce() {
    RecordSet set =
        RecordSet.of(
            a("www.example.com.", 300, "192.0.2.1"),
            a("www.example.com.", 300, "192.0.2.2"),
            a("WWW.example.com.", 300, "192.0.2.1"));

    assertThat(set.size()).isEqualTo(2);
    assertThat(addresses(set)).containsExactly("192.0.2.1", "192.0.2.2");
  }

  @Test
  void duplicatesWithDifferentTtlsCountOnce() {
    RecordSet set =
        RecordSet.of(a("www.example.com.", 300, "192.0.2.1"), a("www.example.com.", 60, "192.0.2.1"));

    assertThat(set.size()).isEqualTo(1);
    assertThat(set.ttl()).isEqualTo(60);
  }

  @Test
  void addingADuplicateGivesAnEqualSet() {
    RecordSet set = RecordSet.of(a("www.example.com.", 300, "192.0.2.1"));

    assertThat(set.with(a("www.example.com.", 300, "192.0.2.1"))).isEqualTo(set);
  }

  @Test
  void differingTtlsAreReducedToTheSmallest() {
    RecordSet set =
        RecordSet.of(
            a("www.example.com.", 300, "192.0.2.1"),
            a("www.example.com.", 60, "192.0.2.2"),
            a("www.example.com.", 3600, "192.0.2.3"));

    assertThat(set.ttl()).isEqualTo(60);
    assertThat(set.records()).extracting(Record::getTTL).containsOnly(60L);
  }

  @Test
  void withTtlChangesEveryRecord() {
    RecordSet set =
        RecordSet.of(a("www.example.com.", 300, "192.0.2.1"), a("www.example.com.", 300, "192.0.2.2"));

    RecordSet changed = set.withTtl(30);

    assertThat(changed.ttl()).isEqualTo(30);
    assertThat(changed.records()).extracting(Record::getTTL).containsOnly(30L);
    assertThat(set.ttl()).isEqualTo(300);
  }

  @Test
  void rrsigRecordsKeepTheirOwnTtls() {
    RecordSet set =
        RecordSet.of(
            rrsig("www.example.com.", 300, Type.A, 1),
            rrsig("www.example.com.", 3600, Type.TXT, 2));

    assertThat(set.records()).extracting(Record::getTTL).containsExactlyInAnyOrder(300L, 3600L);
    assertThat(set.ttl()).isEqualTo(300);
  }

  @Test
  void rrsigSetsWithDifferentTtlsAreNotEqual() {
    RecordSet one =
        RecordSet.of(
            rrsig("www.example.com.", 300, Type.A, 1), rrsig("www.example.com.", 3600, Type.TXT, 2));
    RecordSet other =
        RecordSet.of(
            rrsig("www.example.com.", 300, Type.A, 1), rrsig("www.example.com.", 300, Type.TXT, 2));

    assertThat(one).isNotEqualTo(other);
  }

  @Test
  void ownerKeepsTheCaseOfTheFirstRecord() {
    RecordSet set =
        RecordSet.of(a("WwW.Example.com.", 300, "192.0.2.2"), a("www.example.COM.", 300, "192.0.2.1"));

    assertThat(set.owner().toString()).isEqualTo("WwW.Example.com.");
    assertThat(set.records())
        .extracting(r -> r.getName().toString())
        .containsOnly("WwW.Example.com.");
  }

  @Test
  void recordsOfDifferentOwnersAreRejected() {
    assertThatThrownBy(
            () ->
                RecordSet.of(
                    a("www.example.com.", 300, "192.0.2.1"), a("ftp.example.com.", 300, "192.0.2.1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recordsOfDifferentTypesAreRejected() {
    Record txt = new TXTRecord(name("www.example.com."), DClass.IN, 300, "hello");

    assertThatThrownBy(() -> RecordSet.of(a("www.example.com.", 300, "192.0.2.1"), txt))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recordsOfDifferentClassesAreRejected() {
    Record ch = Rr.rr("www.example.com.", 300, DClass.CH, "A", "192.0.2.1");

    assertThatThrownBy(() -> RecordSet.of(a("www.example.com.", 300, "192.0.2.1"), ch))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptySetIsRejected() {
    assertThatThrownBy(() -> RecordSet.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addingARecordOfAnotherOwnerIsRejected() {
    RecordSet set = RecordSet.of(a("www.example.com.", 300, "192.0.2.1"));

    assertThatThrownBy(() -> set.with(a("ftp.example.com.", 300, "192.0.2.1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void setsWithTheSameContentAreEqualWithEqualHashCodes() {
    RecordSet one =
        RecordSet.of(a("www.example.com.", 300, "192.0.2.1"), a("www.example.com.", 300, "192.0.2.2"));
    RecordSet other =
        RecordSet.of(a("WWW.EXAMPLE.COM.", 300, "192.0.2.2"), a("www.example.com.", 300, "192.0.2.1"));

    assertThat(one).isEqualTo(other);
    assertThat(one.hashCode()).isEqualTo(other.hashCode());
  }

  @Test
  void setsDifferingInTtlAreNotEqual() {
    assertThat(RecordSet.of(a("www.example.com.", 300, "192.0.2.1")))
        .isNotEqualTo(RecordSet.of(a("www.example.com.", 60, "192.0.2.1")));
  }

  @Test
  void setsDifferingInRdataAreNotEqual() {
    assertThat(RecordSet.of(a("www.example.com.", 300, "192.0.2.1")))
        .isNotEqualTo(RecordSet.of(a("www.example.com.", 300, "192.0.2.2")));
  }

  @Test
  void setsDifferingInARecordAreNotEqual() {
    assertThat(
            RecordSet.of(
                a("www.example.com.", 300, "192.0.2.1"), a("www.example.com.", 300, "192.0.2.2")))
        .isNotEqualTo(RecordSet.of(a("www.example.com.", 300, "192.0.2.1")));
  }

  @Test
  void recordListCannotBeModified() {
    RecordSet set = RecordSet.of(a("www.example.com.", 300, "192.0.2.1"));

    assertThatThrownBy(() -> set.records().add(a("www.example.com.", 300, "192.0.2.2")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toStringIsOneMasterFileLinePerRecord() {
    RecordSet set =
        RecordSet.of(a("www.example.com.", 300, "192.0.2.2"), a("www.example.com.", 300, "192.0.2.1"));

    assertThat(set.toString().lines().map(line -> line.split("\\s+")))
        .extracting(fields -> String.join(" ", fields))
        .containsExactly(
            "www.example.com. 300 IN A 192.0.2.1", "www.example.com. 300 IN A 192.0.2.2");
  }

  @Test
  void typeOfTheSetIsTheRecordsType() {
    assertThat(RecordSet.of(a("www.example.com.", 300, "192.0.2.1")).type()).isEqualTo(Type.A);
    assertThat(RecordSet.of(a("www.example.com.", 300, "192.0.2.1")).first())
        .isInstanceOf(ARecord.class);
  }

  @Test
  void rrsigRecordsAreRecords() {
    assertThat(rrsig("example.com.", 60, Type.A, 7)).isInstanceOf(RRSIGRecord.class);
  }
}
