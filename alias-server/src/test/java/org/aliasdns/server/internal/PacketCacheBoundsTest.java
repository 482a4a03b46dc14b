package org.aliasdns.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** The packet cache is bounded in bytes, and only small, exact queries become keys. */
class PacketCacheBoundsTest {
  private static byte[] query(String name, boolean edns) throws TextParseException {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    if (edns) {
      q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return q.toWire();
  }

  @Test
  void manyDistinctLargeEntriesStayWithinTheByteBudget() {
    long budget = 100_000;
    PacketCache cache = new PacketCache(budget);
    Random random = new Random(11);
    byte[] reply = new byte[1_000];
    for (int i = 0; i < 5_000; i++) {
      byte[] key = new byte[500]; // at the key size limit, each one different
      random.nextBytes(key);
      cache.put(key, reply, 1);
      assertThat(cache.weightedBytes()).isLessThanOrEqualTo(budget);
    }
    long perEntry = 500 + 1_000 + PacketCache.ENTRY_OVERHEAD;
    assertThat(cache.size()).isLessThanOrEqualTo(budget / perEntry);
    assertThat(cache.weightedBytes()).isEqualTo(cache.size() * perEntry);
  }

  @Test
  void aFloodOfOneOffQuestionsDoesNotPushOutAPopularOne() throws Exception {
    PacketCache cache = new PacketCache(50_000);
    byte[] hot = query("www.example.com.", true);
    byte[] answer = new byte[300];
    cache.put(hot, answer, 1);
    for (int i = 0; i < 5_000; i++) {
      if (i % 50 == 0) {
        assertThat(cache.get(hot, 1)).as("after %d one-off questions", i).isNotNull();
      }
      cache.put(query("r" + i + ".example.com.", true), answer, 1);
    }
    assertThat(cache.get(hot, 1)).isNotNull();
    assertThat(cache.weightedBytes()).isLessThanOrEqualTo(50_000);
  }

  @Test
  void onlyAQuestionAndAnOptionalRootOptWithNothingAfterThemAreCacheable() throws Exception {
    byte[] plain = query("www.example.com.", false);
    byte[] edns = query("www.example.com.", true);
    assertThat(PacketCache.cacheable(plain)).isTrue();
    assertThat(PacketCache.cacheable(edns)).isTrue();

    assertThat(PacketCache.cacheable(Arrays.copyOf(plain, plain.length + 1))).isFalse();
    assertThat(PacketCache.cacheable(Arrays.copyOf(edns, edns.length + 1))).isFalse();
    assertThat(PacketCache.cacheable(Arrays.copyOf(edns, edns.length - 1))).isFalse();

    Message notRoot = Message.newQuery(
        Record.newRecord(Name.fromString("www.example.com."), Type.A, DClass.IN));
    notRoot.addRecord(
        Record.newRecord(Name.fromString("x."), Type.OPT, 1232, 0, new byte[0]),
        Section.ADDITIONAL);
    assertThat(PacketCache.cacheable(notRoot.toWire())).isFalse();

    Message txt = Message.newQuery(
        Record.newRecord(Name.fromString("www.example.com."), Type.A, DClass.IN));
    txt.addRecord(
        Record.newRecord(Name.fromString("www.example.com."), Type.TXT, DClass.IN, 0, new byte[] {0}),
        Section.ADDITIONAL);
    assertThat(PacketCache.cacheable(txt.toWire())).isFalse();
  }

  @Test
  void aQueryLongerThanTheKeyLimitIsNotCached() throws Exception {
    // An OPT carrying 600 bytes of padding (RFC 7830): a valid query, too large to be a key.
    Message q = Message.newQuery(
        Record.newRecord(Name.fromString("www.example.com."), Type.A, DClass.IN));
    q.addRecord(
        new OPTRecord(1232, 0, 0, 0, new org.xbill.DNS.GenericEDNSOption(12, new byte[600])),
        Section.ADDITIONAL);
    byte[] wire = q.toWire();
    assertThat(wire.length).isGreaterThan(PacketCache.MAX_QUERY);
    assertThat(PacketCache.cacheable(wire)).isFalse();

    PacketCache cache = new PacketCache(1 << 20);
    cache.put(wire, new byte[100], 1);
    assertThat(cache.size()).isZero();
  }
}
