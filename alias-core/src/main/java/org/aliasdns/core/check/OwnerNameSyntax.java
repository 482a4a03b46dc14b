package org.aliasdns.core.check;

import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * Host-name syntax (RFC 952, RFC 1123 §2.1) and inner asterisks (RFC 4592 §2.1.1) of owner
 * names met in canonical order. Sibling names follow each other in that order, so the verdict
 * on the parent's labels is kept and only each name's first label is read: a million-name zone
 * costs one small label copy per name. Not thread-safe; one instance per validation.
 */
final class OwnerNameSyntax {
  private @Nullable Name parent;
  private boolean parentIsHostName;
  private boolean parentHasAsterisk;
  private boolean firstIsHostLabel;
  private boolean firstIsAsterisk;

  /** Reads a name; the other methods then answer for it. */
  void examine(Name name) {
    int labels = name.labels();
    if (labels <= 1) {
      parent = null;
      parentIsHostName = true;
      parentHasAsterisk = false;
      firstIsHostLabel = true;
      firstIsAsterisk = false;
      return;
    }
    Name known = parent;
    if (known == null || known.labels() != labels - 1 || !name.subdomain(known)) {
      Name p = new Name(name, 1);
      parentIsHostName = true;
      parentHasAsterisk = false;
      for (int i = 0; i < p.labels(); i++) {
        byte[] label = p.getLabel(i);
        parentIsHostName &= HostNames.isHostLabel(label);
        parentHasAsterisk |= HostNames.isAsterisk(label);
      }
      parent = p;
    }
    byte[] first = name.getLabel(0);
    firstIsHostLabel = HostNames.isHostLabel(first);
    firstIsAsterisk = HostNames.isAsterisk(first);
  }

  /** Whether the name is a host name, a first label of {@code *} allowed. */
  boolean isHostNameOrWildcard() {
    return (firstIsHostLabel || firstIsAsterisk) && parentIsHostName;
  }

  /** Whether a label other than the first is {@code *}. */
  boolean hasInnerAsterisk() {
    return parentHasAsterisk;
  }
}
