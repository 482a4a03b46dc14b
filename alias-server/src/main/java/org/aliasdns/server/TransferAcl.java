package org.aliasdns.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * Who may transfer zones (AXFR, IXFR) from a {@link ZoneHandler}: rules of an address prefix, a
 * TSIG key, or both, and whether loopback is let in without one.
 *
 * <pre>{@code
 * TransferAcl acl = TransferAcl.builder()
 *     .allow(InetAddress.getByName("192.0.2.53"), 32, Name.fromString("ns2-key."))  // this key only
 *     .allowKey(Name.fromString("fleet-key."))                                    // anywhere
 *     .allow(InetAddress.getByName("198.51.100.0"), 24)                           // no key needed
 *     .loopbackExempt(false)
 *     .build();
 * }</pre>
 *
 * <p>A request is let in when some rule admits it: a rule's prefix (if it has one) holds the
 * client's address, and the rule names no key or names the key the request was validly signed
 * with (RFC 8945). With {@link Builder#requireTsig}, rules without a key admit nobody: every
 * transfer needs a key. Loopback addresses ({@code 127.0.0.0/8}, {@code ::1}) are admitted
 * without a key unless {@link Builder#loopbackExempt} is switched off, so that tools on the
 * machine itself keep working; switch it off where a proxy or tunnel could make remote clients
 * look local.
 *
 * <p>A request signed with a key the server does not know, or with a bad MAC or time, is refused
 * with the TSIG error before the ACL is consulted (see {@link ZoneHandler}); the ACL decides over
 * unsigned requests and validly signed ones.
 *
 * @since 0.1
 */
public final class TransferAcl {
  private final List<Rule> rules;
  private final boolean requireTsig;
  private final boolean loopbackExempt;
  private final @Nullable Predicate<InetAddress> addresses;

  /**
   * One rule: a prefix, a key, or both.
   *
   * @param network the prefix's address, or null for any address
   * @param prefixLength the prefix length in bits
   * @param key the key a request must be signed with, or null for none
   */
  private record Rule(@Nullable InetAddress network, int prefixLength, @Nullable Name key) {
    boolean holds(InetAddress client) {
      InetAddress n = network;
      if (n == null) {
        return true;
      }
      byte[] a = n.getAddress();
      byte[] c = client.getAddress();
      if (a.length != c.length) {
        return false;
      }
      int bits = prefixLength;
      for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
        if ((a[i] & mask) != (c[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private TransferAcl(
      List<Rule> rules,
      boolean requireTsig,
      boolean loopbackExempt,
      @Nullable Predicate<InetAddress> addresses) {
    this.rules = rules;
    this.requireTsig = requireTsig;
    this.loopbackExempt = loopbackExempt;
    this.addresses = addresses;
  }

  /**
   * Returns the default: loopback only, no key needed.
   *
   * @return the ACL
   */
  public static TransferAcl loopback() {
    return new TransferAcl(List.of(), false, true, null);
  }

  /**
   * Returns an ACL that lets in, without a key, the addresses a predicate accepts (and no one
   * else; loopback only if the predicate accepts it); what {@link
   * ZoneHandler.Builder#allowTransfer(Predicate)} sets.
   *
   * @param addresses true for an address that may transfer
   * @return the ACL
   */
  public static TransferAcl addresses(Predicate<InetAddress> addresses) {
    return new TransferAcl(List.of(), false, false, Objects.requireNonNull(addresses));
  }

  /**
   * Starts building an ACL with no rules: loopback exempt, TSIG not required.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tells whether a client may transfer.
   *
   * @param client the client's address
   * @param key the key the request was validly signed with, or null if unsigned
   * @return true if some rule admits it, or loopback is exempt and the client is loopback
   */
  public boolean permits(InetAddress client, @Nullable Name key) {
    if (loopbackExempt && client.isLoopbackAddress()) {
      return true;
    }
    Predicate<InetAddress> p = addresses;
    if (p != null && p.test(client)) {
      return true;
    }
    for (Rule r : rules) {
      if (!r.holds(client)) {
        continue;
      }
      Name needed = r.key();
      if (needed == null ? !requireTsig : needed.equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the key to sign a NOTIFY to this address with: the key of the first rule that names
   * one and whose prefix holds the address (a rule with a key and no prefix holds every address).
   *
   * @param secondary the secondary's address
   * @return the key's name, or empty to send NOTIFY unsigned
   */
  public Optional<Name> keyFor(InetAddress secondary) {
    for (Rule r : rules) {
      if (r.key() != null && r.holds(secondary)) {
        return Optional.of(r.key());
      }
    }
    return Optional.empty();
  }

  /**
   * Returns every key the rules name.
   *
   * @return the key names, in rule order, each once
   */
  public Set<Name> keys() {
    Set<Name> out = new java.util.LinkedHashSet<>();
    for (Rule r : rules) {
      if (r.key() != null) {
        out.add(r.key());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "TransferAcl[rules=" + rules + ", requireTsig=" + requireTsig
        + ", loopbackExempt=" + loopbackExempt + "]";
  }

  /**
   * Rules of a {@link TransferAcl}; rules add up, the two switches may each be set once.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();
    private boolean requireTsig;
    private boolean loopbackExempt = true;
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String setting) {
      if (!set.add(setting)) {
        throw new IllegalStateException(setting + " was already set");
      }
    }

    private static int checked(InetAddress network, int prefixLength) {
      int max = network instanceof Inet4Address ? 32 : network instanceof Inet6Address ? 128 : -1;
      if (prefixLength < 0 || prefixLength > max) {
        throw new IllegalArgumentException(
            "prefix length must be 0.." + max + " for " + network.getHostAddress()
                + ", was " + prefixLength);
      }
      return prefixLength;
    }

    /**
     * Lets a prefix transfer without a key (unless {@link #requireTsig}).
     *
     * @param network an address of the prefix
     * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
     * @return this builder
     * @throws IllegalArgumentException if the length is out of range
     */
    public Builder allow(InetAddress network, int prefixLength) {
      rules.add(new Rule(network, checked(network, prefixLength), null));
      return this;
    }

    /**
     * Lets a prefix transfer with one key only: a request from there must be signed with it.
     *
     * @param network an address of the prefix
     * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
     * @param key the key's name, as the key file names it
     * @return this builder
     * @throws IllegalArgumentException if the length is out of range
     */
    public Builder allow(InetAddress network, int prefixLength, Name key) {
      rules.add(new Rule(network, checked(network, prefixLength), Objects.requireNonNull(key)));
      return this;
    }

    /**
     * Lets any address transfer with a key.
     *
     * @param key the key's name
     * @return this builder
     */
    public Builder allowKey(Name key) {
      rules.add(new Rule(null, 0, Objects.requireNonNull(key)));
      return this;
    }

    /**
     * Sets whether every transfer needs a valid key; rules without a key then admit no one.
     * Off by default.
     *
     * @param required true to require TSIG
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder requireTsig(boolean required) {
      once("requireTsig");
      this.requireTsig = required;
      return this;
    }

    /**
     * Sets whether loopback addresses may transfer without a key, whatever the rules say. On by
     * default.
     *
     * @param exempt false to hold loopback to the rules like any address
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder loopbackExempt(boolean exempt) {
      once("loopbackExempt");
      this.loopbackExempt = exempt;
      return this;
    }

    /**
     * Builds the ACL.
     *
     * @return the ACL
     */
    public TransferAcl build() {
      return new TransferAcl(List.copyOf(rules), requireTsig, loopbackExempt, null);
    }
  }
}
