package org.aliasdns.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Zone.Builder keeps RRsets by ascending type through any mix of adds and removes. */
class ZoneBuilderCompactNodeTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  @Test
  void randomAddsAndRemovesMatchASimpleModel() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    int[] types = {Type.A, Type.TXT, 65280, Type.AAAA, 65281, 65282, AliasRecord.ALIAS};
    Name[] names = {new Name("a", ORIGIN), new Name("b", ORIGIN), new Name("c.b", ORIGIN)};
    for (int round = 0; round < 200; round++) {
      Zone.Builder builder = Zone.builder(ORIGIN);
      if (round % 2 == 1) {
        builder.expectNames(random.nextInt(5000)); // a hint only: the same zone either way
      }
      Map<Name, TreeMap<Integer, Integer>> model = new TreeMap<>();
      for (int step = 0; step < 30; step++) {
        Name name = names[random.nextInt(names.length)];
        int type = types[random.nextInt(types.length)];
        int op = random.nextInt(10);
        if (op < 7) {
          builder.add(record(name, type, random.nextInt(3)));
          model.computeIfAbsent(name, n -> new TreeMap<>()).merge(type, 1, Integer::sum);
        } else if (op < 9) {
          builder.remove(name, type);
          TreeMap<Integer, Integer> node = model.get(name);
          if (node != null) {
            node.remove(type);
            if (node.isEmpty()) {
              model.remove(name);
            }
          }
        } else {
          builder.remove(name);
          model.remove(name);
        }
        if (random.nextInt(8) == 0) {
          check(builder.build(), model);
        }
        if (random.nextInt(16) == 0) {
          builder.expectNames(random.nextInt(100)); // after build(): the zone built stays as it was
        }
      }
      check(builder.build(), model);
    }
  }

  private static void check(Zone zone, Map<Name, TreeMap<Integer, Integer>> model) {
    assertThat(zone.names()).containsExactlyElementsOf(model.keySet());
    for (Map.Entry<Name, TreeMap<Integer, Integer>> e : model.entrySet()) {
      List<Integer> actual = new ArrayList<>();
      for (RecordSet set : zone.recordSets(e.getKey())) {
        actual.add(set.type());
      }
      assertThat(actual).containsExactlyElementsOf(e.getValue().keySet());
    }
  }

  private static Record record(Name name, int type, int variant) throws Exception {
    if (type == Type.A) {
      return new ARecord(name, DClass.IN, 60, org.xbill.DNS.Address.getByAddress("192.0.2." + (variant + 1)));
    }
    if (type == Type.TXT) {
      return new TXTRecord(name, DClass.IN, 60, "v" + variant);
    }
    if (type == Type.AAAA) {
      return new AAAARecord(name, DClass.IN, 60, org.xbill.DNS.Address.getByAddress("2001:db8::" + (variant + 1)));
    }
    if (type == AliasRecord.ALIAS) {
      return AliasRecord.of(name, type, DClass.IN, 60, new Name("t" + variant + ".example.net."));
    }
    // private-use types, in RFC 3597 form: only the type matters here
    return Record.fromString(name, type, DClass.IN, 60, "\\# 1 0" + variant, ORIGIN);
  }
}
