package org.aliasdns.core.internal;

import org.aliasdns.core.RandomZones;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ZoneIndexTest {
  private static final Zone ZONE =
      ZoneFileReader.forOrigin(Name.fromConstantString("example.com."))
          .read(
              "$TTL 3600\n"
                  + "@ SOA ns1 hostmaster 1 7200 900 1209600 300\n"
                  + "@ NS ns1\n"
                  + "ns1 A 192.0.2.53\n"
                  + "a.b A 192.0.2.1\n"
                  + "*.w A 192.0.2.2\n"
                  + "x.*.e A 192.0.2.3\n"
                  + "sub NS ns.example.net.\n"
                  + "glue.sub A 192.0.2.4\n"
                  + "old DNAME example.net.\n",
              "test.zone")
          .zone();

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  @Test
  void anEmptyNonTerminalExistsWithoutData() {
    ZoneIndex.Lookup found = ZoneIndex.of(ZONE).find(name("b.example.com."));

    assertThat(found.kind()).isEqualTo(ZoneIndex.Kind.DATA);
    assertThat(found.node()).isNull();
  }

  @Test
  void aMissingNameBelowAWildcardsParentIsAnsweredByTheWildcard() {
    ZoneIndex.Lookup found = ZoneIndex.of(ZONE).find(name("q.w.example.com."));

    assertThat(found.kind()).isEqualTo(ZoneIndex.Kind.DATA);
    assertThat(found.at()).isEqualTo(name("*.w.example.com."));
    assertThat(found.has(Type.A)).isTrue();
  }

  @Test
  void aWildcardThatIsOnlyAnEmptyNonTerminalMatchesWithNoData() {
    ZoneIndex.Lookup found = ZoneIndex.of(ZONE).find(name("q.e.example.com."));

    assertThat(found.kind()).isEqualTo(ZoneIndex.Kind.DATA);
    assertThat(found.at()).isEqualTo(name("q.e.example.com."));
    assertThat(Objects.requireNonNull(found.node()).sets()).isEmpty();
  }

  @Test
  void aNameWithNoDataAndNoWildcardIsNoName() {
    assertThat(ZoneIndex.of(ZONE).find(name("nx.example.com.")).kind())
        .isEqualTo(ZoneIndex.Kind.NO_NAME);
  }

  @Test
  void glueBelowADelegationIsDelegated() {
    ZoneIndex.Lookup found = ZoneIndex.of(ZONE).find(name("glue.sub.example.com."));

    assertThat(found.kind()).isEqualTo(ZoneIndex.Kind.DELEGATED);
    assertThat(found.at()).isEqualTo(name("sub.example.com."));
  }

  @Test
  void aNameBelowADnameIsRewrittenNotItsOwner() {
    ZoneIndex index = ZoneIndex.of(ZONE);

    assertThat(index.find(name("www.old.example.com.")).kind()).isEqualTo(ZoneIndex.Kind.BELOW_DNAME);
    assertThat(index.find(name("old.example.com.")).kind()).isEqualTo(ZoneIndex.Kind.DATA);
  }

  @Test
  void aNameOutsideTheZoneIsOutside() {
    assertThat(ZoneIndex.of(ZONE).find(name("example.net.")).kind())
        .isEqualTo(ZoneIndex.Kind.OUTSIDE);
  }

  /**
   * The index precomputed for answering and the one made on demand for checking are one index:
   * over random zones, every look-up of every name, its children and its wildcard matches gives
   * the same result in both forms.
   */
  @Test
  void thePrecomputedAndOnDemandFormsFindEveryNameAlike() throws Exception {
    int compared = 0;
    for (long seed = 0; seed < 300; seed++) {
      Zone zone = seed % 2 == 0 ? RandomZones.anyZone(seed) : RandomZones.validZone(seed);
      ZoneIndex answering = ZoneIndex.of(zone);
      ZoneIndex checking = ZoneIndex.onDemand(zone);
      for (Name n : questions(zone)) {
        String what = n + " in seed " + seed;
        assertThat(describe(checking.find(n))).as(what).isEqualTo(describe(answering.find(n)));
        if (n.subdomain(zone.origin())) {
          assertThat(checking.exists(n)).as(what).isEqualTo(answering.exists(n));
          assertThat(checking.cutAbove(n)).as(what).isEqualTo(answering.cutAbove(n));
        }
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(5_000);
  }

  private static List<Name> questions(Zone zone) throws Exception {
    List<Name> names = new ArrayList<>();
    for (Name n : zone.names()) {
      names.add(n);
      if (n.length() < 230) {
        names.add(Name.concatenate(Name.fromConstantString("zz-nx"), n));
        names.add(Name.concatenate(Name.fromConstantString("a.zz-nx"), n));
      }
      if (n.labels() > zone.origin().labels() + 1) {
        names.add(new Name(n, 1)); // maybe an empty non-terminal
      }
    }
    names.add(Name.fromConstantString("outside.example.invalid."));
    return names;
  }

  private static String describe(ZoneIndex.Lookup found) {
    ZoneIndex.Node node = found.node();
    return found.kind()
        + " at "
        + found.at()
        + " sets "
        + (node == null ? "none" : node.sets())
        + " dname "
        + found.dname();
  }
}
