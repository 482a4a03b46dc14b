package org.aliasdns.resolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aliasdns.core.Resolution;
import org.xbill.DNS.Name;

/**
 * The lookups of one alias target for each address family, resolved in parallel; each family
 * is judged on its own (one may be an answer while the other is NODATA or failing).
 *
 * @param target the alias target
 * @param lookups one lookup per family the resolver's policy synthesizes, A before AAAA before
 *     HTTPS
 * @since 0.1
 */
public record TargetLookup(Name target, List<Lookup> lookups) {
  /** Copies the list. */
  public TargetLookup {
    lookups = List.copyOf(lookups);
  }

  /**
   * Returns the lookup for one type.
   *
   * @param type {@link org.xbill.DNS.Type#A}, {@link org.xbill.DNS.Type#AAAA} or {@link
   *     org.xbill.DNS.Type#HTTPS}
   * @return the lookup, or empty if that family was not resolved
   */
  public Optional<Lookup> get(int type) {
    for (Lookup lookup : lookups) {
      if (lookup.resolution().type() == type) {
        return Optional.of(lookup);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the resolutions, ready for {@link org.aliasdns.core.AliasResults#of(java.util.Collection)}.
   *
   * @return one resolution per family
   */
  public List<Resolution> resolutions() {
    List<Resolution> out = new ArrayList<>(lookups.size());
    for (Lookup lookup : lookups) {
      out.add(lookup.resolution());
    }
    return out;
  }
}
