package org.aliasdns.core.flatten;

import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Rr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.FlatteningPolicy.TtlMode;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The smallest inputs for each way the two paths have been seen to disagree, written by hand so
 * that a failure names its cause: each case is one zone, one kind of result and the few questions
 * that show it. {@link LiveFlattenedAgreementTest} asks them of both paths, like the generated
 * cases.
 */
final class AgreementShapes {
  private static final Instant NOW = AgreementCase.NOW;
  private static final FlatteningPolicy DEFAULTS = FlatteningPolicy.defaults();

  private AgreementShapes() {}

  /** Every shape, each zone with its own origin so that one NSD serves them all. */
  static List<AgreementCase> all() {
    List<AgreementCase> out = new ArrayList<>();

    // An alias name always exists: a vanished target is NODATA at the alias name (RFC 8020).
    out.add(
        AgreementCase.of(
            "a target that is NXDOMAIN leaves the alias name in place, NODATA",
            zone("vanished", "nx ALIAS gone.example.net."),
            DEFAULTS,
            List.of(
                nxDomain("gone.example.net.", Type.A), nxDomain("gone.example.net.", Type.AAAA)),
            null,
            List.of(),
            "nx A",
            "nx AAAA",
            "nx TXT",
            "below.nx A"));
    out.add(
        AgreementCase.of(
            "a wildcard alias whose target is NXDOMAIN still matches",
            zone("wildvanished", "*.w ALIAS gone.example.net."),
            DEFAULTS,
            List.of(
                nxDomain("gone.example.net.", Type.A), nxDomain("gone.example.net.", Type.AAAA)),
            null,
            List.of(),
            "q.w A",
            "q.w TXT",
            "w A"));

    // No usable answer: SERVFAIL live, NODATA (the documented difference) in the zone.
    out.add(
        AgreementCase.of(
            "a failing target with nothing stale is SERVFAIL live and NODATA in the zone",
            zone("down", "www ALIAS down.example.net."),
            DEFAULTS,
            List.of(failure("down.example.net.", Type.A), failure("down.example.net.", Type.AAAA)),
            null,
            List.of(),
            "www A",
            "www AAAA",
            "www TXT"));
    out.add(
        AgreementCase.of(
            "a target that loops is SERVFAIL live and NODATA in the zone",
            zone("loops", "www ALIAS loop.example.net."),
            DEFAULTS,
            List.of(loop("loop.example.net.", Type.A), loop("loop.example.net.", Type.AAAA)),
            null,
            List.of(),
            "www A",
            "www AAAA"));
    out.add(
        AgreementCase.of(
            "a CNAME to a failing alias is SERVFAIL live and the CNAME with NODATA in the zone",
            zone("viacname", "c CNAME www\nwww ALIAS down.example.net."),
            DEFAULTS,
            List.of(failure("down.example.net.", Type.A), failure("down.example.net.", Type.AAAA)),
            null,
            List.of(),
            "c A",
            "c AAAA"));

    // ALIAS and ANAME questions answer the same on both paths.
    out.add(
        AgreementCase.of(
            "an ALIAS question gets the same answer on both paths",
            zone("aliastype", "www ALIAS cdn.example.net.\nwww2 ANAME cdn.example.net."),
            DEFAULTS,
            List.of(answer("cdn.example.net.", Type.A, 300, NOW, "192.0.2.7")),
            null,
            List.of(),
            "www ALIAS",
            "www2 ANAME",
            "www ANAME"));

    out.add(
        AgreementCase.of(
            "an ALIAS question where the previous run's addresses are kept answers alike",
            zone("aliaskept", "www ALIAS cdn.example.net."),
            DEFAULTS,
            List.of(failure("cdn.example.net.", Type.A), failure("cdn.example.net.", Type.AAAA)),
            NOW.minusSeconds(600),
            List.of(answer("cdn.example.net.", Type.A, 3600, NOW.minusSeconds(600), "192.0.2.7")),
            "www ALIAS",
            "www A",
            "www AAAA"));

    // TTLs: the floor holds under COUNTDOWN; stale TTLs end with the max-stale window.
    out.add(
        AgreementCase.of(
            "a counted-down TTL is clamped to the floor on both paths",
            zone("countdown", "www 300 ALIAS cdn.example.net."),
            FlatteningPolicy.builder().ttlMode(TtlMode.COUNTDOWN).ttlFloor(60).build(),
            List.of(answer("cdn.example.net.", Type.A, 300, NOW.minusSeconds(280), "192.0.2.7")),
            null,
            List.of(),
            "www A"));
    FlatteningPolicy tenMinutes =
        FlatteningPolicy.builder().maxStale(Duration.ofMinutes(10)).build();
    // Expired 590 s ago: 10 s of the 600 s window are left.
    Resolution.Answer lastGood =
        answer("cdn.example.net.", Type.A, 110, NOW.minusSeconds(700), "192.0.2.7");
    out.add(
        AgreementCase.of(
            "the stale TTL of the previous run's addresses ends with the max-stale window",
            zone("stalecap", "www ALIAS cdn.example.net."),
            tenMinutes,
            List.of(failure("cdn.example.net.", Type.A)),
            NOW.minusSeconds(700),
            List.of(lastGood),
            "www A"));
    out.add(
        AgreementCase.of(
            "a resolver's stale answer near the end of the max-stale window answers alike",
            zone("stalecap2", "www ALIAS cdn.example.net."),
            tenMinutes,
            List.of(
                new Resolution.Failure(
                    Rr.name("cdn.example.net."), Type.A, List.of(), "timeout", NOW, lastGood)),
            null,
            List.of(),
            "www A"));

    // Targets in the zone are answered from the zone.
    out.add(
        AgreementCase.of(
            "an in-zone target is answered from the zone's own data",
            zone("inzone", "@ ALIAS www\nwww A 192.0.2.5\nwww AAAA 2001:db8::5"),
            DEFAULTS,
            List.of(),
            null,
            List.of(),
            "@ A",
            "@ AAAA"));
    out.add(
        AgreementCase.of(
            "aliases pointing at each other are SERVFAIL live and NODATA in the zone",
            zone("inzoneloop", "a ALIAS b\nb ALIAS a"),
            DEFAULTS,
            List.of(),
            null,
            List.of(),
            "a A",
            "b AAAA",
            "a TXT"));
    out.add(
        AgreementCase.of(
            "a target without its final dot names a missing in-zone name: NODATA",
            zone("typo", "api ALIAS api.cdn.example.net"),
            DEFAULTS,
            List.of(),
            null,
            List.of(),
            "api A",
            "api AAAA"));

    // Seen disagreeing, and not among the causes being fixed on the rule and index branches.
    out.add(
        AgreementCase.of(
            "an answer whose chain is longer than the policy's limit is judged alike",
            zone("overlimit", "www ALIAS cdn.example.net.\nwww TXT \"keeps the name\""),
            FlatteningPolicy.builder().chainLimit(3).build(),
            List.of(answer("cdn.example.net.", Type.A, 300, NOW, 4, "192.0.2.7")),
            null,
            List.of(),
            "www A"));
    out.add(
        AgreementCase.of(
            "NODATA for a target with a short negative TTL carries the same SOA TTL",
            zone("negttl", "www ALIAS cdn.example.net.\nwww TXT \"keeps the name\""),
            DEFAULTS,
            List.of(
                new Resolution.NoData(Rr.name("cdn.example.net."), Type.AAAA, List.of(), 30, NOW)),
            null,
            List.of(),
            "www AAAA"));
    out.add(
        AgreementCase.of(
            "an exchanger that is an alias name has its addresses in the additional section",
            zone("mx", "@ MX 10 www\nwww ALIAS cdn.example.net."),
            DEFAULTS,
            List.of(answer("cdn.example.net.", Type.A, 300, NOW, "192.0.2.7")),
            null,
            List.of(),
            "@ MX"));
    return out;
  }

  /** SOA (negative TTL 300), NS and the server's address, then the lines given. */
  private static String zone(String label, String body) {
    return "$ORIGIN "
        + label
        + ".example.com.\n"
        + "$TTL 3600\n"
        + "@ SOA ns1 hostmaster 1 7200 900 1209600 300\n"
        + "@ NS ns1\n"
        + "ns1 A 192.0.2.1\n"
        + body
        + "\n";
  }

  private static Resolution.Answer answer(
      String target, int type, long ttl, Instant obtained, String... addresses) {
    return answer(target, type, ttl, obtained, 0, addresses);
  }

  /** An answer at the end of {@code hops} CNAMEs below the target, each with the same TTL. */
  private static Resolution.Answer answer(
      String target, int type, long ttl, Instant obtained, int hops, String... addresses) {
    Name from = Rr.name(target);
    List<Hop> chain = new ArrayList<>();
    for (int i = 1; i <= hops; i++) {
      Name to = Rr.name("edge" + i + "." + target);
      chain.add(Hop.cname(from, to, ttl));
      from = to;
    }
    List<Record> records = new ArrayList<>();
    for (String address : addresses) {
      records.add(Rr.rr(from.toString(), ttl, Type.string(type), address));
    }
    return new Resolution.Answer(Rr.name(target), type, chain, RecordSet.of(records), obtained);
  }

  private static Resolution nxDomain(String target, int type) {
    return new Resolution.NxDomain(Rr.name(target), type, List.of(), 300, NOW);
  }

  private static Resolution failure(String target, int type) {
    return new Resolution.Failure(Rr.name(target), type, List.of(), "timeout", NOW, null);
  }

  private static Resolution loop(String target, int type) {
    Name t = Rr.name(target);
    Name other = Rr.name("back." + target);
    return new Resolution.Loop(
        t, type, List.of(Hop.cname(t, other, 300), Hop.cname(other, t, 300)), NOW);
  }
}
