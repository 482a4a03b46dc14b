package org.aliasdns.server;

import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Response rate limiting (RRL) for UDP, as NSD, Knot and BIND do it: a server that answers
 * anyone over UDP is a reflector for whoever can forge a source address, and a 45-byte query can
 * draw a reply twenty times its size. With a limit set through {@link
 * DnsServer.Builder#responseRateLimit}, each client prefix (an IPv4 /24 and an IPv6 /56 by
 * default) gets at most {@link #responsesPerSecond()} UDP responses per second, in a token bucket
 * that holds one second's worth; a response beyond that is not sent, except that every {@link
 * #slip()}-th one goes out truncated (header and question, TC set, no records), so a real client
 * behind the prefix retries over TCP (RFC 7766 §5 requires it to be able to) and is answered
 * there in full. TCP is never limited: its handshake proves the source address.
 *
 * <p>The buckets live in a table of {@link #tableSize()} entries allocated once, so memory stays
 * the same however many sources are forged (about 30 bytes an entry). A prefix not in the table
 * takes the slot of the least recently used prefix among a few candidates; a prefix that keeps
 * sending stays.
 *
 * <p>The defaults ({@link #defaults()}) follow NSD, whose limit is also counted per source prefix
 * over every response: 200 responses per second and slip 2 (NSD's {@code rrl-ratelimit} and
 * {@code rrl-slip}, BIND's {@code slip}); the IPv6 prefix is BIND's /56 (NSD uses /64). BIND and
 * Knot have no default rate: BIND's {@code responses-per-second} counts per response (prefix,
 * name and kind together), where 5 to 10 is usual, which is not the same count as ours; Knot's
 * slip is 1.
 *
 * <pre>{@code
 * DnsServer.builder(handler)
 *     .responseRateLimit(ResponseRateLimit.builder().responsesPerSecond(50).build())
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class ResponseRateLimit {
  /** Responses per second per client prefix when not set: NSD's {@code rrl-ratelimit}. */
  public static final int DEFAULT_RESPONSES_PER_SECOND = 200;

  /** Every second limited response is sent truncated when not set: NSD's and BIND's slip. */
  public static final int DEFAULT_SLIP = 2;

  /** The IPv4 client prefix when not set, as in NSD, Knot and BIND. */
  public static final int DEFAULT_IPV4_PREFIX_LENGTH = 24;

  /** The IPv6 client prefix when not set, as in BIND (a typical end site's allocation). */
  public static final int DEFAULT_IPV6_PREFIX_LENGTH = 56;

  /** Entries in the bucket table when not set: about 2 MB. */
  public static final int DEFAULT_TABLE_SIZE = 65_536;

  private final int responsesPerSecond;
  private final int slip;
  private final int ipv4PrefixLength;
  private final int ipv6PrefixLength;
  private final int tableSize;
  private final InstantSource clock;

  private ResponseRateLimit(Builder b) {
    this.responsesPerSecond = b.responsesPerSecond;
    this.slip = b.slip;
    this.ipv4PrefixLength = b.ipv4PrefixLength;
    this.ipv6PrefixLength = b.ipv6PrefixLength;
    this.tableSize = b.tableSize;
    this.clock = b.clock;
  }

  /**
   * Returns the default limit: 200 responses per second per /24 or /56, slip 2, 65,536 entries.
   *
   * @return the limit with every setting at its default
   */
  public static ResponseRateLimit defaults() {
    return builder().build();
  }

  /**
   * Starts a limit whose settings are the defaults until set.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns how many UDP responses one client prefix gets per second, and in a burst.
   *
   * @return responses per second, at least 1
   */
  public int responsesPerSecond() {
    return responsesPerSecond;
  }

  /**
   * Returns which limited responses are sent truncated: every {@code slip}-th, 1 for every one,
   * 0 for none (all dropped).
   *
   * @return 0 to 10
   */
  public int slip() {
    return slip;
  }

  /**
   * Returns how many leading bits of an IPv4 source make one client.
   *
   * @return 1 to 32
   */
  public int ipv4PrefixLength() {
    return ipv4PrefixLength;
  }

  /**
   * Returns how many leading bits of an IPv6 source make one client.
   *
   * @return 1 to 128
   */
  public int ipv6PrefixLength() {
    return ipv6PrefixLength;
  }

  /**
   * Returns how many client prefixes the table holds at once.
   *
   * @return entries, a power of two from 64 to 16,777,216
   */
  public int tableSize() {
    return tableSize;
  }

  /**
   * Returns the clock the buckets refill by.
   *
   * @return the clock; the system's unless set
   */
  public InstantSource clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "ResponseRateLimit[responsesPerSecond=" + responsesPerSecond + ", slip=" + slip
        + ", ipv4PrefixLength=" + ipv4PrefixLength + ", ipv6PrefixLength=" + ipv6PrefixLength
        + ", tableSize=" + tableSize + "]";
  }

  /**
   * Settings of a {@link ResponseRateLimit}. Each may be set at most once.
   *
   * @since 0.1
   */
  public static final class Builder {
    private int responsesPerSecond = DEFAULT_RESPONSES_PER_SECOND;
    private int slip = DEFAULT_SLIP;
    private int ipv4PrefixLength = DEFAULT_IPV4_PREFIX_LENGTH;
    private int ipv6PrefixLength = DEFAULT_IPV6_PREFIX_LENGTH;
    private int tableSize = DEFAULT_TABLE_SIZE;
    private InstantSource clock = InstantSource.system();
    private @Nullable String set;

    private Builder() {}

    private void once(String setting) {
      String already = set == null ? "" : set;
      if (already.contains("[" + setting + "]")) {
        throw new IllegalStateException(setting + " was already set");
      }
      set = already + "[" + setting + "]";
    }

    /**
     * Sets how many UDP responses one client prefix gets per second; the bucket holds as many,
     * so a client that was quiet may have that many at once.
     *
     * @param responses 1 to 1,000,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder responsesPerSecond(int responses) {
      once("responsesPerSecond");
      if (responses < 1 || responses > 1_000_000) {
        throw new IllegalArgumentException(
            "responsesPerSecond must be 1..1000000, was " + responses);
      }
      this.responsesPerSecond = responses;
      return this;
    }

    /**
     * Sets which limited responses go out truncated (TC set, no records) instead of not at all:
     * every {@code n}-th; 1 truncates every one (no reply is lost, but the reflected bytes stay
     * about those of the queries), 0 drops every one (a real client behind the prefix then only
     * gets through by retrying).
     *
     * @param n 0 to 10
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder slip(int n) {
      once("slip");
      if (n < 0 || n > 10) {
        throw new IllegalArgumentException("slip must be 0..10, was " + n);
      }
      this.slip = n;
      return this;
    }

    /**
     * Sets how many leading bits of an IPv4 source address make one client.
     *
     * @param bits 1 to 32
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder ipv4PrefixLength(int bits) {
      once("ipv4PrefixLength");
      if (bits < 1 || bits > 32) {
        throw new IllegalArgumentException("ipv4PrefixLength must be 1..32, was " + bits);
      }
      this.ipv4PrefixLength = bits;
      return this;
    }

    /**
     * Sets how many leading bits of an IPv6 source address make one client.
     *
     * @param bits 1 to 128
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder ipv6PrefixLength(int bits) {
      once("ipv6PrefixLength");
      if (bits < 1 || bits > 128) {
        throw new IllegalArgumentException("ipv6PrefixLength must be 1..128, was " + bits);
      }
      this.ipv6PrefixLength = bits;
      return this;
    }

    /**
     * Sets how many client prefixes the table holds; memory is about 30 bytes an entry,
     * allocated when the server is built, whatever the traffic.
     *
     * @param entries a power of two from 64 to 16,777,216
     * @return this builder
     * @throws IllegalArgumentException if out of range or not a power of two
     * @throws IllegalStateException if already set
     */
    public Builder tableSize(int entries) {
      once("tableSize");
      if (entries < 64 || entries > (1 << 24) || Integer.bitCount(entries) != 1) {
        throw new IllegalArgumentException(
            "tableSize must be a power of two from 64 to 16777216, was " + entries);
      }
      this.tableSize = entries;
      return this;
    }

    /**
     * Sets the clock the buckets refill by; a test gives a manual one. A clock that steps back
     * never limits a client for longer than a second (the buckets start again).
     *
     * @param value the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(InstantSource value) {
      once("clock");
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds the limit.
     *
     * @return the limit
     */
    public ResponseRateLimit build() {
      return new ResponseRateLimit(this);
    }
  }
}
