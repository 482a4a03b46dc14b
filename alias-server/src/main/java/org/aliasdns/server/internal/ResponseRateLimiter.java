package org.aliasdns.server.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import org.aliasdns.server.ResponseRateLimit;

/**
 * The buckets behind {@link ResponseRateLimit}: decides, for each UDP response about to go out,
 * whether it is sent, sent truncated (slipped) or dropped.
 *
 * <p>Each client prefix has one bucket, kept as its theoretical arrival time (the generic cell
 * rate algorithm, the token bucket written as one number): a response is allowed while that time
 * is at most one burst ahead of now, and each allowed response moves it one interval on. The
 * table is a fixed set of arrays, {@code tableSize} slots in groups of {@link #WAYS}; a prefix
 * hashes (with a per-table random seed, so that no one can aim forged sources at one group) to a
 * group, and a prefix not found there takes an empty slot or the one whose bucket is furthest
 * behind now, the least recently answered. Groups share one of {@link #STRIPES} locks.
 */
public final class ResponseRateLimiter {
  /** What to do with one response. */
  public enum Verdict {
    /** Within the limit: send it. */
    SEND,
    /** Over the limit, and this one slips: send it truncated ({@link #slipped}). */
    SLIP,
    /** Over the limit: send nothing. */
    DROP
  }

  /** Candidate slots per prefix. */
  static final int WAYS = 4;

  private static final int STRIPES = 64;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final byte EMPTY = 0;
  private static final byte V4 = 4;
  private static final byte V6 = 6;
  private static final int HEADER = 12;

  private final InstantSource clock;
  private final int slip;
  private final long interval;
  private final long burst;
  private final long maskV4;
  private final long maskV6High;
  private final long maskV6Low;
  private final long seed;
  private final int groupMask;
  private final Object[] locks = new Object[STRIPES];
  private final byte[] family;
  private final long[] high;
  private final long[] low;
  private final long[] arrival;
  private final int[] limited;

  /**
   * Allocates the table.
   *
   * @param settings the limit
   */
  public ResponseRateLimiter(ResponseRateLimit settings) {
    this.clock = settings.clock();
    this.slip = settings.slip();
    this.interval = NANOS_PER_SECOND / settings.responsesPerSecond();
    this.burst = interval * (settings.responsesPerSecond() - 1L);
    this.maskV4 = 0xFFFF_FFFFL & ~(0xFFFF_FFFFL >>> settings.ipv4PrefixLength());
    int v6 = settings.ipv6PrefixLength();
    this.maskV6High = leadingBits(Math.min(v6, 64));
    this.maskV6Low = leadingBits(Math.max(v6 - 64, 0));
    this.seed = new SplittableRandom().nextLong();
    int size = settings.tableSize();
    this.groupMask = size / WAYS - 1;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
    this.family = new byte[size];
    this.high = new long[size];
    this.low = new long[size];
    this.arrival = new long[size];
    this.limited = new int[size];
  }

  private static long leadingBits(int n) {
    return n == 0 ? 0 : n == 64 ? -1L : ~(-1L >>> n);
  }

  /**
   * Takes one response for a client from its prefix's bucket.
   *
   * @param client the address the response goes to
   * @return whether to send it, slip it or drop it
   */
  public Verdict admit(InetAddress client) {
    byte fam;
    long hi;
    long lo;
    byte[] a = client.getAddress();
    if (client instanceof Inet4Address) {
      fam = V4;
      hi = 0;
      lo = (((a[0] & 0xFFL) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | (a[3] & 0xFF))
          & maskV4;
    } else {
      fam = V6;
      hi = bytes(a, 0) & maskV6High;
      lo = bytes(a, 8) & maskV6Low;
    }
    int group = (int) hash(fam, hi, lo) & groupMask;
    long now = nanos(clock.instant());
    synchronized (locks[group & (STRIPES - 1)]) {
      int slot = find(group * WAYS, fam, hi, lo, now);
      long at = Math.max(arrival[slot], now);
      if (at - now > burst + interval) {
        at = now; // the clock stepped back past this bucket: start it again
      }
      if (at - now <= burst) {
        arrival[slot] = at + interval;
        return Verdict.SEND;
      }
      if (slip == 0) {
        return Verdict.DROP;
      }
      int count = limited[slot] + 1;
      if (count >= slip) {
        limited[slot] = 0;
        return Verdict.SLIP;
      }
      limited[slot] = count;
      return Verdict.DROP;
    }
  }

  /** The slot of this prefix in its group, claimed (a full bucket) if it was not there. */
  private int find(int first, byte fam, long hi, long lo, long now) {
    int empty = -1;
    int oldest = first;
    for (int i = first; i < first + WAYS; i++) {
      if (family[i] == EMPTY) {
        if (empty < 0) {
          empty = i;
        }
      } else if (family[i] == fam && high[i] == hi && low[i] == lo) {
        return i;
      } else if (arrival[i] < arrival[oldest] || family[oldest] == EMPTY) {
        oldest = i;
      }
    }
    int slot = empty >= 0 ? empty : oldest;
    family[slot] = fam;
    high[slot] = hi;
    low[slot] = lo;
    arrival[slot] = now;
    limited[slot] = 0;
    return slot;
  }

  private long hash(byte fam, long hi, long lo) {
    long x = seed ^ fam;
    x = mix(x ^ hi);
    return mix(x ^ lo);
  }

  /** The finalizer of SplitMix64: every input bit affects every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long bytes(byte[] a, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = (v << 8) | (a[i] & 0xFF);
    }
    return v;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * NANOS_PER_SECOND + t.getNano();
  }

  /**
   * The slipped form of a response: its header with TC set and no records, and its question, so
   * that the client retries over TCP (RFC 1035 §4.2.1, RFC 7766 §5). It is no larger than the
   * query was, so a forged query gains nothing from it.
   *
   * @param reply the response as it would have gone out
   * @return the truncated response; just the header if the question cannot be read
   */
  public static byte[] slipped(byte[] reply) {
    if (reply.length < HEADER) {
      return reply.clone();
    }
    int questions = ((reply[4] & 0xFF) << 8) | (reply[5] & 0xFF);
    int end = HEADER;
    if (questions == 1) {
      end = questionEnd(reply);
    }
    if (end < 0) {
      end = HEADER;
      questions = 0;
    }
    byte[] out = new byte[end];
    System.arraycopy(reply, 0, out, 0, end);
    out[2] |= 0x02; // TC
    out[4] = 0;
    out[5] = (byte) (end == HEADER ? 0 : questions);
    for (int i = 6; i < HEADER; i++) {
      out[i] = 0; // no answer, authority or additional records
    }
    return out;
  }

  /** Where the one question after the header ends, or -1 if it runs past the message. */
  private static int questionEnd(byte[] m) {
    int p = HEADER;
    while (p < m.length) {
      int len = m[p] & 0xFF;
      if (len == 0) {
        p += 1;
        return p + 4 <= m.length ? p + 4 : -1; // QTYPE and QCLASS
      }
      if ((len & 0xC0) != 0) {
        return -1; // a pointer, or a label type we do not write: give up on the question
      }
      p += 1 + len;
    }
    return -1;
  }
}
