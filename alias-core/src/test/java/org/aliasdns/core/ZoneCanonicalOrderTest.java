package org.aliasdns.core;

import org.aliasdns.core.internal.CanonicalOrder;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** The zone's fast sort key must order names exactly as RFC 4034 §6.1 (dnsjava's compareTo). */
class ZoneCanonicalOrderTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  @Test
  void keyOrderIsNameCanonicalOrderForAwkwardLabels() throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    byte[] alphabet = {'a', 'B', 'z', '-', '0', '9', 0, 1, (byte) 0x7f, (byte) 0xfe, (byte) 0xff};
    List<Name> names = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Name name = ORIGIN;
      int labels = 1 + random.nextInt(3);
      for (int l = 0; l < labels; l++) {
        byte[] label = new byte[1 + random.nextInt(3)];
        for (int b = 0; b < label.length; b++) {
          label[b] = alphabet[random.nextInt(alphabet.length)];
        }
        // the label, then the root label, in wire form
        byte[] wire = new byte[label.length + 2];
        wire[0] = (byte) label.length;
        System.arraycopy(label, 0, wire, 1, label.length);
        name = Name.concatenate(new Name(wire).relativize(Name.root), name);
      }
      names.add(name);
    }
    names.add(ORIGIN);
    for (int i = 0; i < 3000; i++) {
      Name a = names.get(random.nextInt(names.size()));
      Name b = names.get(random.nextInt(names.size()));
      int expected = Integer.signum(a.compareTo(b));
      assertThat(Integer.signum(Arrays.compare(CanonicalOrder.key(a, 0), CanonicalOrder.key(b, 0))))
          .as("%s vs %s", a, b)
          .isEqualTo(expected);
      // relative to the origin every name shares, as Zone.Builder.build() uses it
      assertThat(Integer.signum(Arrays.compare(CanonicalOrder.key(a, 2), CanonicalOrder.key(b, 2))))
          .as("%s vs %s below the origin", a, b)
          .isEqualTo(expected);
    }
  }

  @Test
  void canonicalOrderSortsLikeNameCompareToThroughLongSharedPrefixes() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    String[] stems = {"server-", "serverfarm", "s", "www-1", "www-12", "a.b.c.d.e.f.g", "\\255\\255"};
    java.util.Set<Name> unique = new java.util.LinkedHashSet<>();
    while (unique.size() < 20_000) {
      String stem = stems[random.nextInt(stems.length)];
      String label = random.nextInt(4) == 0 ? "" : Integer.toString(random.nextInt(100_000), 36);
      String text = random.nextBoolean() ? stem + label : label.isEmpty() ? stem : label + "." + stem;
      unique.add(new Name(random.nextInt(5) == 0 ? text.toUpperCase(java.util.Locale.ROOT) : text, ORIGIN));
    }
    List<Name> names = new ArrayList<>(unique);
    char[][] keys = new char[names.size()][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = CanonicalOrder.key(names.get(i), 2);
    }
    int[] order = CanonicalOrder.sort(keys);
    List<Name> actual = new ArrayList<>();
    for (int i : order) {
      actual.add(names.get(i));
    }
    List<Name> expected = new ArrayList<>(names);
    expected.sort(Name::compareTo);
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void zoneIteratesInCanonicalOrderWhateverTheInsertionOrder() throws Exception {
    List<Record> records = new ArrayList<>();
    for (String s :
        new String[] {
          "z", "A", "a.b", "b", "*.z", "yljkjlkj", "Z.a", "a-b", "\\000", "\\255", "\\255a",
          "www-1", "www-10", "www-1.eu", "WWW-100", "www-1a", "abcdefg", "abcdefgh", "abcdefg.x"
        }) {
      records.add(new ARecord(new Name(s, ORIGIN), DClass.IN, 60, org.xbill.DNS.Address.getByAddress("192.0.2.1")));
    }
    records.add(new ARecord(ORIGIN, DClass.IN, 60, org.xbill.DNS.Address.getByAddress("192.0.2.1")));
    Zone zone = Zone.builder(ORIGIN).addAll(records).build();
    List<Name> expected = new ArrayList<>(zone.names());
    expected.sort(Name::compareTo);
    assertThat(zone.names()).containsExactlyElementsOf(expected);
    assertThat(zone.names().get(0)).isEqualTo(ORIGIN);
  }

  @Test
  void removedNamesStayRemovedAndCanComeBack() throws Exception {
    Name a = new Name("a", ORIGIN);
    Record ra = new ARecord(a, DClass.IN, 60, org.xbill.DNS.Address.getByAddress("192.0.2.1"));
    Zone.Builder builder = Zone.builder(ORIGIN).add(ra).remove(a);
    assertThat(builder.build().contains(a)).isFalse();
    builder.add(ra).remove(a, org.xbill.DNS.Type.A).add(ra);
    Zone zone = builder.build();
    assertThat(zone.names()).containsExactly(a);
    assertThat(zone.recordCount()).isEqualTo(1);
  }
}
