package org.aliasdns.server.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the bytes of recent UDP replies by the bytes of the query that produced them, so a
 * repeated question is answered without parsing or encoding (PowerDNS and Knot keep such a cache
 * too). The key is the whole query after its id (flags, question with the case it was asked in,
 * EDNS OPT), so a hit is byte-for-byte the reply the handler gave; only the id is patched. An
 * entry is used only while the handler's generation (see {@code DnsHandler.generation()}) is
 * within the span the reply was given for (from the generation it was made under up to the
 * reply's {@code DnsReply.Single.validBelow()}, by default the next one), so a zone swap is seen
 * at once.
 *
 * <p>Bounded in bytes: a Caffeine cache weighed by the bytes of key and reply plus {@link
 * #ENTRY_OVERHEAD} for the objects around them, evicting by frequency and recency (W-TinyLFU),
 * so a flood of one-off questions does not push out the names asked all the time. Only queries
 * of at most {@link #MAX_QUERY} bytes that are exactly a question and an optional OPT are
 * cached, so no query makes a large key.
 */
public final class PacketCache {
  /** Bytes of a cached query beyond which it is not cached: ordinary queries are under 100. */
  public static final int MAX_QUERY = 512;

  /** What one entry costs beyond its key and reply bytes: the map node, key and value objects. */
  static final int ENTRY_OVERHEAD = 160;

  private static final int HEADER = 12;
  private static final int AXFR = 252;
  private static final int IXFR = 251;
  private static final int OPT = 41;

  private final Cache<Key, Entry> entries;

  /**
   * Creates a cache.
   *
   * @param maxBytes the most bytes its entries may weigh together, at least 1
   */
  public PacketCache(long maxBytes) {
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((Key k, Entry e) -> k.query.length + e.reply.length + ENTRY_OVERHEAD)
            // eviction on the thread that adds, so the bound holds without a background pool
            .executor(Runnable::run)
            .build();
  }

  /**
   * Tells whether a query may be cached at all: a standard query of at most {@link #MAX_QUERY}
   * bytes with exactly one question that is not a zone transfer (access to those depends on the
   * client), nothing in the answer and authority sections, and either nothing more or exactly
   * one OPT record owned by the root (TSIG and anything else vary per message), with no byte
   * after it.
   *
   * @param query the query bytes
   * @return true if {@link #get} and {@link #put} may be used for it
   */
  public static boolean cacheable(byte[] query) {
    if (query.length <= HEADER || query.length > MAX_QUERY) {
      return false;
    }
    int opcode = (query[2] >> 3) & 0xF;
    int additional = count(query, 10);
    if ((query[2] & 0x80) != 0
        || opcode != 0
        || count(query, 4) != 1
        || count(query, 6) != 0
        || count(query, 8) != 0
        || additional > 1) {
      return false;
    }
    // Walk the question name's labels (RFC 1035 §4.1.2); a pointer or overrun: not cached.
    int at = HEADER;
    while (at < query.length && query[at] != 0) {
      int label = query[at] & 0xFF;
      if (label > 63) {
        return false;
      }
      at += label + 1;
    }
    int end = at + 5; // the root label, QTYPE, QCLASS
    if (end > query.length) {
      return false;
    }
    int qtype = count(query, at + 1);
    if (qtype == AXFR || qtype == IXFR) {
      return false;
    }
    if (additional == 0) {
      return end == query.length;
    }
    // RFC 6891 §6.1.2: root owner, TYPE 41, CLASS, TTL, RDLENGTH, then RDATA to the very end.
    return end + 11 <= query.length
        && query[end] == 0
        && count(query, end + 1) == OPT
        && end + 11 + count(query, end + 9) == query.length;
  }

  private static int count(byte[] wire, int at) {
    return ((wire[at] & 0xFF) << 8) | (wire[at + 1] & 0xFF);
  }

  /**
   * Returns the remembered reply to a query, with the query's id.
   *
   * @param query a {@link #cacheable} query
   * @param generation the handler's current generation
   * @return a fresh copy of the reply bytes, or null on a miss
   */
  public byte @Nullable [] get(byte[] query, long generation) {
    Entry e = entries.getIfPresent(new Key(query));
    if (e == null || generation < e.madeUnder || generation >= e.validBelow) {
      return null;
    }
    byte[] reply = e.reply.clone();
    reply[0] = query[0];
    reply[1] = query[1];
    return reply;
  }

  /**
   * Remembers a reply.
   *
   * @param query a {@link #cacheable} query
   * @param reply the reply bytes sent for it
   * @param madeUnder the handler's generation when the query came in
   * @param validBelow the first generation for which the reply may be another (at least {@code
   *     madeUnder + 1} for it to be used at all)
   */
  public void put(byte[] query, byte[] reply, long madeUnder, long validBelow) {
    if (reply.length < HEADER || query.length > MAX_QUERY || validBelow <= madeUnder) {
      return;
    }
    entries.put(new Key(query.clone()), new Entry(reply.clone(), madeUnder, validBelow));
  }

  /**
   * Remembers a reply valid for the one generation it was made under.
   *
   * @param query a {@link #cacheable} query
   * @param reply the reply bytes sent for it
   * @param generation the handler's generation when the reply was made
   */
  public void put(byte[] query, byte[] reply, long generation) {
    put(query, reply, generation, generation + 1);
  }

  /**
   * Returns what the entries weigh now, after any pending eviction.
   *
   * @return bytes of keys and replies plus {@link #ENTRY_OVERHEAD} per entry
   */
  public long weightedBytes() {
    entries.cleanUp();
    return entries.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  /**
   * Returns how many entries there are now, after any pending eviction.
   *
   * @return the number of cached replies
   */
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  private record Entry(byte[] reply, long madeUnder, long validBelow) {}

  /** The query bytes after the id, compared and hashed byte for byte. */
  private static final class Key {
    private final byte[] query;
    private final int hash;

    Key(byte[] query) {
      this.query = query;
      int h = 1;
      for (int i = 2; i < query.length; i++) {
        h = 31 * h + query[i];
      }
      this.hash = h;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Key k
          && k.hash == hash
          && Arrays.equals(query, 2, query.length, k.query, 2, k.query.length);
    }
  }
}
