package org.aliasdns.core.internal;

import org.aliasdns.core.Zone;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Which names of a zone hold occluded data: data the zone never answers with. */
public final class Occlusion {
  private Occlusion() {}

  /**
   * Tells whether data at a name is occluded: the name is at or below a delegation point (a
   * non-apex NS RRset, RFC 1034 §4.2.1: the answer there is a referral) or below a DNAME (RFC
   * 6672 §2.3).
   *
   * @param zone the zone
   * @param name a name at or below the zone's origin
   * @return true if the zone never answers with the data at the name
   */
  public static boolean isOccluded(Zone zone, Name name) {
    int below = name.labels() - zone.origin().labels();
    for (int strip = 0; strip < below; strip++) {
      Name above = strip == 0 ? name : new Name(name, strip);
      if (zone.get(above, Type.NS).isPresent()
          || (strip > 0 && zone.get(above, Type.DNAME).isPresent())) {
        return true;
      }
    }
    return false;
  }
}
