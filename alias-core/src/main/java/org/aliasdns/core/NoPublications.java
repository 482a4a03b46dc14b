package org.aliasdns.core;

import java.util.Optional;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.xbill.DNS.Name;

/**
 * {@link AliasPublications#none()}: a class rather than a lambda, since an answerer made for a
 * fake's or a server's first answer asks for it, and a lambda's first use spins a class at run
 * time (issue 14's cold start).
 */
enum NoPublications implements AliasPublications {
  INSTANCE;

  @Override
  public Optional<AliasPublication> find(Name owner, Family family) {
    return Optional.empty();
  }
}
