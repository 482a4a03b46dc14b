package org.aliasdns.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The resolutions of alias targets that flattening and answering work from, keyed by target
 * name (ignoring case) and type (A, AAAA, or HTTPS under {@link
 * FlatteningPolicy.HttpsMode#FLATTEN}). Several aliases may share one target, and so one
 * resolution. Immutable.
 *
 * @since 0.1
 */
public final class AliasResults {
  private static final AliasResults EMPTY = new AliasResults(Map.of(), Map.of(), Map.of());

  private final Map<Name, Resolution> ipv4;
  private final Map<Name, Resolution> ipv6;
  private final Map<Name, Resolution> https;

  private AliasResults(
      Map<Name, Resolution> ipv4, Map<Name, Resolution> ipv6, Map<Name, Resolution> https) {
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
    this.https = https;
  }

  /**
   * Returns results that hold nothing.
   *
   * @return the empty results
   */
  public static AliasResults empty() {
    return EMPTY;
  }

  /**
   * Collects resolutions; a later one for the same target and type replaces an earlier one.
   * Resolutions of SVCB are not kept: alias names flatten HTTPS only.
   *
   * @param resolutions the resolutions
   * @return the results
   */
  public static AliasResults of(Collection<? extends Resolution> resolutions) {
    Map<Name, Resolution> v4 = new HashMap<>();
    Map<Name, Resolution> v6 = new HashMap<>();
    Map<Name, Resolution> service = new HashMap<>();
    for (Resolution r : resolutions) {
      int type = r.type();
      if (type == Type.A) {
        v4.put(r.target(), r);
      } else if (type == Type.AAAA) {
        v6.put(r.target(), r);
      } else if (type == Type.HTTPS) {
        service.put(r.target(), r);
      }
    }
    return new AliasResults(Map.copyOf(v4), Map.copyOf(v6), Map.copyOf(service));
  }

  /**
   * Collects resolutions.
   *
   * @param resolutions the resolutions
   * @return the results
   */
  public static AliasResults of(Resolution... resolutions) {
    return of(List.of(resolutions));
  }

  /**
   * Returns the resolution of one target for one type.
   *
   * @param target the alias target, in any case
   * @param type {@link Type#A}, {@link Type#AAAA} or {@link Type#HTTPS}
   * @return the resolution, or empty if none is known
   */
  public Optional<Resolution> get(Name target, int type) {
    if (type == Type.A) {
      return Optional.ofNullable(ipv4.get(target));
    } else if (type == Type.AAAA) {
      return Optional.ofNullable(ipv6.get(target));
    } else if (type == Type.HTTPS) {
      return Optional.ofNullable(https.get(target));
    }
    return Optional.empty();
  }

  /**
   * Returns the number of resolutions held.
   *
   * @return the count over all types
   */
  public int size() {
    return ipv4.size() + ipv6.size() + https.size();
  }
}
