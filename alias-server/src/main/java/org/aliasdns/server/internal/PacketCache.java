package org.aliasdns.server.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the bytes of recent UDP replies by the bytes of the query that produced them, so a
 * repeated question is answered without parsing or encoding (PowerDNS and Knot keep such a
 * cache too). The key is the whole query after its id (flags, question with the case it was
 * asked in, EDNS OPT), so a hit is byte-for-byte the reply the handler gave; only the id is
 * patched. An entry is used only while the handler's generation (see {@code
 * DnsHandler.generation()}) is the one it was made under, so a zone swap is seen at once. Bounded: when full it is emptied and refilled, which keeps the code lock-free
 * and the memory fixed.
 */
public final class PacketCache {
  private static final int HEADER = 12;
  private static final int AXFR = 252;
  private static final int IXFR = 251;

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final int capacity;

  /**
   * Creates a cache.
   *
   * @param capacity the most entries held
   */
  public PacketCache(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Tells whether a query may be cached at all: a standard query with one question that is not
   * a zone transfer (access to those depends on the client), nothing in the answer and
   * authority sections, and at most one additional record (an OPT; TSIG and anything else vary
   * per message).
   *
   * @param query the query bytes
   * @return true if {@link #get} and {@link #put} may be used for it
   */
  public static boolean cacheable(byte[] query) {
    if (query.length <= HEADER) {
      return false;
    }
    int opcode = (query[2] >> 3) & 0xF;
    if ((query[2] & 0x80) != 0
        || opcode != 0
        || count(query, 4) != 1
        || count(query, 6) != 0
        || count(query, 8) != 0
        || count(query, 10) > 1) {
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
    if (at + 4 >= query.length) {
      return false;
    }
    int qtype = count(query, at + 1);
    return qtype != AXFR && qtype != IXFR;
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
    Entry e = entries.get(new Key(query));
    if (e == null || e.generation != generation) {
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
   * @param generation the handler's generation when the reply was made
   */
  public void put(byte[] query, byte[] reply, long generation) {
    if (reply.length < HEADER) {
      return;
    }
    if (entries.size() >= capacity) {
      entries.clear();
    }
    entries.put(new Key(query.clone()), new Entry(reply.clone(), generation));
  }

  private record Entry(byte[] reply, long generation) {}

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
