package org.aliasdns.core.internal;

import java.util.Arrays;
import org.xbill.DNS.Name;

/**
 * DNSSEC canonical order of owner names (RFC 4034 §6.1) as sortable keys: {@link #key} turns a
 * name into characters whose lexicographic order is the canonical order, and {@link #sort} sorts
 * many of them at once (a radix sort over shared prefixes, which a zone's names have plenty of).
 * {@link org.aliasdns.core.Zone} uses it to iterate in canonical order.
 */
public final class CanonicalOrder {
  private CanonicalOrder() {}

  /**
   * Returns a key whose lexicographic order is the DNSSEC canonical order of names (RFC 4034
   * §6.1): labels from the root down, each as its lower-cased octets shifted up by one and
   * ended by 0, so that a shorter label, and an ancestor name, sorts first.
   *
   * @param name an absolute name
   * @param skip how many labels next to the root to leave out, such as a zone origin's, which
   *     every name being compared shares
   */
  public static char[] key(Name name, int skip) {
    byte[] wire = name.toWireCanonical();
    int[] starts = new int[name.labels()];
    int labels = 0;
    for (int p = 0; p < wire.length && wire[p] != 0; p += (wire[p] & 0xff) + 1) {
      starts[labels++] = p;
    }
    int kept = labels - skip;
    // the kept labels fill wire[0, end): their octets plus one length byte (as 0 here) each
    int end = kept <= 0 ? 0 : kept < labels ? starts[kept] : wire.length - 1;
    char[] key = new char[end];
    int k = 0;
    for (int i = kept - 1; i >= 0; i--) {
      int p = starts[i];
      int n = wire[p] & 0xff;
      for (int j = 1; j <= n; j++) {
        key[k++] = (char) ((wire[p + j] & 0xff) + 1);
      }
      key[k++] = 0;
    }
    return key;
  }

  /**
   * Returns the permutation that puts canonical keys in order (see {@link #key}).
   * Keys are sorted seven characters at a time: an LSD radix sort on those characters packed
   * into a long, then the same again on the next seven within each run of ties, and insertion
   * sort for short runs. Names in a zone share long prefixes and compare slowly one by one;
   * this touches each key a few times in sequence instead of some twenty times at random.
   *
   * @param keys distinct canonical keys
   * @return positions into {@code keys}, in ascending key order
   */
  public static int[] sort(char[][] keys) {
    int n = keys.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    sortRange(keys, order, 0, n, 0, new long[n], new long[n], new int[n], new int[257]);
    return order;
  }

  private static final int PREFIX_CHARS = 7; // 9 bits each: a key character is 0 to 256
  private static final int INSERTION_SORT_MAX = 64;

  /** Sorts {@code order[from, to)}, whose keys agree on their first {@code depth * 7} chars. */
  private static void sortRange(
      char[][] keys,
      int[] order,
      int from,
      int to,
      int depth,
      long[] k,
      long[] k2,
      int[] v2,
      int[] count) {
    int size = to - from;
    if (size < 2) {
      return;
    }
    int offset = depth * PREFIX_CHARS;
    boolean longer = false;
    for (int i = from; i < to; i++) {
      char[] key = keys[order[i]];
      long p = 0;
      for (int c = offset; c < offset + PREFIX_CHARS; c++) {
        p = (p << 9) | (c < key.length ? key[c] : 0);
      }
      k[i] = p;
      longer |= key.length > offset + PREFIX_CHARS;
    }
    if (size <= INSERTION_SORT_MAX) {
      // short runs: insertion sort on the packed prefixes, cheaper than eight radix passes
      for (int i = from + 1; i < to; i++) {
        long p = k[i];
        int v = order[i];
        int j = i - 1;
        while (j >= from && k[j] > p) {
          k[j + 1] = k[j];
          order[j + 1] = order[j];
          j--;
        }
        k[j + 1] = p;
        order[j + 1] = v;
      }
    } else {
      radixSort(order, from, to, k, k2, v2, count);
    }
    if (!longer) {
      return; // no key goes on past these characters: no ties left to break
    }
    int runStart = from;
    for (int i = from + 1; i <= to; i++) {
      if (i == to || k[i] != k[runStart]) {
        // sorting a run touches k, k2, v2 and count only inside [runStart, i)
        sortRange(keys, order, runStart, i, depth + 1, k, k2, v2, count);
        runStart = i;
      }
    }
  }

  /** LSD radix sort of {@code k[from, to)} (non-negative), carrying {@code order} along. */
  private static void radixSort(
      int[] order, int from, int to, long[] k, long[] k2, int[] v2, int[] count) {
    int size = to - from;
    long[] srcK = k;
    long[] dstK = k2;
    int[] srcV = order;
    int[] dstV = v2;
    for (int shift = 0; shift < 64; shift += 8) {
      Arrays.fill(count, 0);
      for (int i = from; i < to; i++) {
        count[(int) ((srcK[i] >>> shift) & 0xff) + 1]++;
      }
      if (count[(int) ((srcK[from] >>> shift) & 0xff) + 1] == size) {
        continue; // every key has the same byte here
      }
      for (int b = 0; b < 256; b++) {
        count[b + 1] += count[b];
      }
      for (int i = from; i < to; i++) {
        int at = from + count[(int) ((srcK[i] >>> shift) & 0xff)]++;
        dstK[at] = srcK[i];
        dstV[at] = srcV[i];
      }
      long[] tk = srcK;
      srcK = dstK;
      dstK = tk;
      int[] tv = srcV;
      srcV = dstV;
      dstV = tv;
    }
    if (srcV != order) {
      System.arraycopy(srcV, from, order, from, size);
      System.arraycopy(srcK, from, k, from, size);
    }
  }
}
