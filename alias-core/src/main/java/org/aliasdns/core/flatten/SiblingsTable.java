package org.aliasdns.core.flatten;

import java.util.List;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * The {@link Siblings} of one flattening by name and family, in one array with open addressing:
 * no key or map node per entry, so a served zone keeps about 12 bytes per flattened name and
 * family for the lookup rather than about 70 in a {@code HashMap}. Immutable once built; {@link
 * Name} compares and hashes ignoring case.
 */
final class SiblingsTable {
  private final @Nullable Siblings[] slots;
  private final int mask;

  /**
   * Builds the table.
   *
   * @param all the siblings, at most one per name and family
   */
  SiblingsTable(List<Siblings> all) {
    int size = Integer.highestOneBit(Math.max(2, all.size() * 3 / 2)) << 1; // load at most 3/4
    this.slots = new Siblings[size];
    this.mask = size - 1;
    for (Siblings s : all) {
      int i = index(s.owner(), s.family());
      while (slots[i] != null) {
        i = (i + 1) & mask;
      }
      slots[i] = s;
    }
  }

  private int index(Name owner, Family family) {
    int h = owner.hashCode() * 31 + family.ordinal();
    return (h ^ (h >>> 16)) & mask;
  }

  /**
   * Returns what was synthesized for one name and family.
   *
   * @param owner the name, in any case
   * @param family the family
   * @return the entry, or null if there is none
   */
  @Nullable Siblings get(Name owner, Family family) {
    for (int i = index(owner, family); ; i = (i + 1) & mask) {
      Siblings s = slots[i];
      if (s == null) {
        return null;
      }
      if (s.family() == family && s.owner().equals(owner)) {
        return s;
      }
    }
  }
}
