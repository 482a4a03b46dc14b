package org.aliasdns.core;

import org.aliasdns.core.internal.ServedZones;
import org.aliasdns.core.internal.TargetWalk;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Resolves alias targets that lie in zones the server is authoritative for from those zones'
 * own data, never upstream: a server that holds {@code www.example.com. A 192.0.2.5} knows the
 * answer for an {@code ALIAS www.example.com.} better than any resolver it could ask.
 *
 * <p>A target is followed as the server would answer an A or AAAA question for it (RFC 1034
 * §4.3.2): through in-zone CNAMEs, DNAMEs (RFC 6672), wildcards (RFC 4592) and other alias
 * records (each an {@link Hop.Kind#ALIAS} hop), across every zone given here, with explicit
 * address records winning over an alias record beside them, as they do in answers. Where the
 * chain ends decides the outcome:
 *
 * <ul>
 *   <li>in address records of a zone: a {@link Resolution.Answer} with those records and their
 *       TTLs, obtained "now";
 *   <li>at a name without the type, or one that does not exist: {@link Resolution.NoData} or
 *       {@link Resolution.NxDomain}, with the negative TTL min(SOA TTL, SOA MINIMUM) of that
 *       name's zone (RFC 2308 §5), no longer than any hop's TTL;
 *   <li>back at a name it passed: a {@link Resolution.Loop}, found without asking anyone (RFC
 *       1034 §3.6.2); past the policy's chain limit: {@link Resolution.ChainTooLong};
 *   <li>outside every zone, or at or below a delegation (whose data is the child zone's): an
 *       <em>exit</em>, which {@link #upstreamTargets} lists for the resolver to ask; its
 *       upstream resolution is then the target's, with the in-zone hops in front of its chain
 *       (and a loop if the upstream chain comes back to a name the in-zone part passed).
 * </ul>
 *
 * <p>The results are ordinary {@link Resolution} values, so flattening and answering publish
 * them by the same rule as upstream ones. {@code Flattener} and {@code QueryAnswerer} use this
 * class for every alias target; pass one built over all of a server's zones to their
 * overloads that take it, so that targets in sibling zones are resolved locally too.
 *
 * <pre>{@code
 * InZoneTargets served = InZoneTargets.of(List.of(exampleCom, exampleOrg));
 * List<Name> ask = served.upstreamTargets(targets, policy);        // only the exits
 * AliasResults upstream = ...;                                     // the resolver's answers
 * Resolution r = served.resolve(target, Type.A, upstream, now, policy).orElseThrow();
 * }</pre>
 *
 * <p>Indexes of the zones are built the first time a target in them is followed and shared by
 * copies made with {@link #with}. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class InZoneTargets {
  private final ServedZones zones;

  private InZoneTargets(ServedZones zones) {
    this.zones = zones;
  }

  /**
   * Serves one zone.
   *
   * @param zone the zone
   * @return the in-zone resolution over that zone alone
   */
  public static InZoneTargets of(Zone zone) {
    return new InZoneTargets(ServedZones.of(List.of(Objects.requireNonNull(zone, "zone"))));
  }

  /**
   * Serves several zones, as one server is authoritative for all of them. A name belongs to
   * the zone with the longest origin at or above it.
   *
   * @param zones the zones, no two with the same origin
   * @return the in-zone resolution over those zones
   * @throws IllegalArgumentException if two zones have the same origin
   */
  public static InZoneTargets of(Collection<Zone> zones) {
    return new InZoneTargets(ServedZones.of(zones));
  }

  /**
   * Returns a copy in which this zone snapshot replaces the one with its origin, or is added;
   * the other zones keep the indexes already built.
   *
   * @param zone the zone
   * @return this, if it already holds exactly that snapshot; else the copy
   */
  public InZoneTargets with(Zone zone) {
    ServedZones next = zones.with(Objects.requireNonNull(zone, "zone"));
    return next == zones ? this : new InZoneTargets(next);
  }

  /**
   * Returns the zones served.
   *
   * @return the zone snapshots, in no particular order
   */
  public List<Zone> zones() {
    return zones.zones();
  }

  /**
   * Tells whether a name is at or below the origin of a served zone, so that an alias target
   * there starts in the zones' data (it may still leave them, through a delegation or a CNAME
   * to elsewhere).
   *
   * @param name an absolute name
   * @return true if a served zone holds it
   */
  public boolean covers(Name name) {
    return zones.holds(name);
  }

  /**
   * Returns what to ask the resolver so that these alias targets can be resolved: a target
   * outside the zones as it is, and for a target inside them the name where its chain leaves
   * them, for each family the policy synthesizes (HTTPS too, under {@link
   * FlatteningPolicy.HttpsMode#FLATTEN}); nothing for a target the zones answer alone (addresses,
   * NODATA, NXDOMAIN, a loop or a chain too long).
   *
   * @param targets the alias targets
   * @param policy gives the families and the chain limit
   * @return the distinct names to resolve upstream, in canonical order
   */
  public List<Name> upstreamTargets(Collection<Name> targets, FlatteningPolicy policy) {
    Set<Name> out = new TreeSet<>();
    for (Name target : targets) {
      if (!zones.holds(target)) {
        out.add(target);
        continue;
      }
      for (FlatteningPolicy.Family family : policy.synthesizedFamilies()) {
        TargetWalk.Walk walk = TargetWalk.walk(zones, target, family.type(), policy.chainLimit());
        if (walk.end() == TargetWalk.End.EXIT) {
          out.add(walk.last());
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Resolves one alias target for one type: from the zones' data where the chain stays in
   * them, else from the upstream resolution of the name where it leaves them.
   *
   * @param target the alias target
   * @param type {@link Type#A}, {@link Type#AAAA}, or {@link Type#HTTPS} (followed through
   *     in-zone CNAMEs, AliasMode records and alias names, RFC 9460 §2.4.2)
   * @param upstream the resolutions of the names {@link #upstreamTargets} listed; a result for
   *     a name inside the zones is never used, the zones' data wins
   * @param now the time of this look-up: when an answer from the zones counts as obtained
   * @param policy gives the chain limit
   * @return the resolution; empty if the chain leaves the zones at a name {@code upstream}
   *     has no result for
   * @throws IllegalArgumentException if the type is not A, AAAA or HTTPS
   */
  public Optional<Resolution> resolve(
      Name target, int type, AliasResults upstream, Instant now, FlatteningPolicy policy) {
    if (type != Type.A && type != Type.AAAA && type != Type.HTTPS) {
      throw new IllegalArgumentException(
          "alias targets resolve for A, AAAA or HTTPS, not " + Type.string(type));
    }
    return Optional.ofNullable(
        TargetWalk.resolve(zones, target, type, upstream, now, policy.chainLimit()));
  }
}
