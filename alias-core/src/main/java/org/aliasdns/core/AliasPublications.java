package org.aliasdns.core;

import java.util.Optional;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.xbill.DNS.Name;

/**
 * What alias names published before, by name and family: the memory the publication rule
 * ({@link AliasPublication#of}) rides out failures with (RFC 8767). A flattening run hands it
 * its previous run ({@code FlattenedZone::publication}); an answerer that serves live beside a
 * flattened zone can hand it that zone, so that both say the same; {@link #none()} is an
 * answerer's default, whose memory is then only the resolver's stale answers.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface AliasPublications {
  /**
   * Returns what a name published for a family.
   *
   * @param owner the alias name, in any case; for a wildcard alias, the wildcard name
   * @param family the family
   * @return the publication, or empty if none is known
   */
  Optional<AliasPublication> find(Name owner, Family family);

  /**
   * Returns publications that hold nothing.
   *
   * @return an instance whose {@link #find} is always empty
   */
  static AliasPublications none() {
    return NoPublications.INSTANCE;
  }
}
