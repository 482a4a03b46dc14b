package org.aliasdns.cli;

import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.AddressText;
import org.aliasdns.core.Hop;
import org.aliasdns.core.Resolution;
import org.aliasdns.resolver.Freshness;
import org.aliasdns.resolver.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * Writes what chasing one name for one type found as lines a person reads at a glance: each hop
 * as the CNAME it is, with its TTL; the final records; then the effective TTL and how it was
 * derived, or what went wrong.
 */
final class ChainText {
  private ChainText() {}

  /**
   * Formats one lookup.
   *
   * @param lookup the lookup
   * @param indent put before every line
   * @return the lines, each ending in a newline
   */
  static String format(Lookup lookup, String indent) {
    Resolution r = lookup.resolution();
    Resolution.Answer answer = lookup.answer();
    // A stale answer's chain is the one that led to the addresses; show that one.
    List<Hop> chain = answer != null ? answer.chain() : r.chain();
    List<String[]> rows = new ArrayList<>();
    for (Hop hop : chain) {
      if (hop.kind() == Hop.Kind.ALIAS_MODE) {
        rows.add(
            new String[] {
              hop.owner().toString(),
              Long.toString(hop.ttl()),
              Type.string(r.type()),
              "0 " + hop.target() + "   (AliasMode, RFC 9460 §2.4.2)"
            });
        continue;
      }
      rows.add(
          new String[] {
            hop.owner().toString(),
            Long.toString(hop.ttl()),
            "CNAME",
            hop.target() + (hop.kind() == Hop.Kind.DNAME ? "   (synthesized from a DNAME, RFC 6672)" : "")
          });
    }
    if (answer != null) {
      for (Record rec : answer.addresses()) {
        rows.add(
            new String[] {
              rec.getName().toString(), Long.toString(answer.records().ttl()), Type.string(rec.getType()),
              AddressText.rdata(rec)
            });
      }
    }
    StringBuilder sb = new StringBuilder();
    table(sb, indent, rows);
    sb.append(indent).append(outcome(lookup)).append('\n');
    return sb.toString();
  }

  /** The last line: the effective TTL and its derivation, or the negative or failed outcome. */
  static String outcome(Lookup lookup) {
    Resolution r = lookup.resolution();
    Name last = r.chain().isEmpty() ? r.target() : r.chain().get(r.chain().size() - 1).target();
    String type = Type.string(r.type());
    if (r instanceof Resolution.Answer a) {
      String unavailable = "";
      if (a.records().first() instanceof SVCBBase svcb
          && svcb.getSvcPriority() == 0
          && svcb.getTargetName().equals(Name.root)) {
        unavailable = " (AliasMode to \".\": the service is not available, RFC 9460 §2.5.1)";
      }
      return "effective TTL " + a.chainTtl() + " = " + derivation(a) + unavailable;
    }
    if (r instanceof Resolution.NoData n) {
      boolean afterAliasMode =
          !r.chain().isEmpty() && r.chain().get(r.chain().size() - 1).kind() == Hop.Kind.ALIAS_MODE;
      return last + " has no " + type + " records (NODATA, cached " + n.negativeTtl()
          + " s, RFC 2308)"
          + (afterAliasMode ? "; clients connect to its addresses (RFC 9460 §2.4.2)" : "");
    }
    if (r instanceof Resolution.NxDomain n) {
      return last + " does not exist (NXDOMAIN, cached " + n.negativeTtl() + " s, RFC 2308)";
    }
    if (r instanceof Resolution.Failure f && f.kind().isBogus()) {
      Resolution.Answer stale = f.stale();
      if (stale != null && lookup.freshness() == Freshness.STALE) {
        return "bogus, not used (" + f.reason() + "): last good answer served stale with TTL "
            + lookup.ttl() + " (RFC 8767; was " + derivation(stale) + ")";
      }
      return "bogus, never published: " + f.reason();
    }
    if (r instanceof Resolution.Failure f) {
      Resolution.Answer stale = f.stale();
      if (stale != null && lookup.freshness() == Freshness.STALE) {
        return "upstream failed (" + f.reason() + "): last good answer served stale with TTL "
            + lookup.ttl() + " (RFC 8767; was " + derivation(stale) + ")";
      }
      return "upstream failed: " + f.reason();
    }
    if (r instanceof Resolution.Loop) {
      return "loop: the chain comes back to " + last + " (RFC 1034 §3.6.2)";
    }
    return "chain too long: stopped after " + r.chain().size() + " hops at " + last;
  }

  /**
   * The DNSSEC line of a validating resolver's lookup: the chain's status (RFC 4035 §4.3), the
   * weakest over its hops, with what it means for publishing.
   */
  static String security(Lookup lookup) {
    boolean stale = lookup.freshness() == Freshness.STALE;
    String of = stale ? " (of the stale answer)" : "";
    return switch (lookup.security()) {
      case SECURE -> "DNSSEC: secure" + of + ": every hop validated from the trust anchor";
      case INSECURE -> "DNSSEC: insecure" + of
          + ": a hop's zone is provably unsigned, or no trust anchor covers it";
      case BOGUS -> "DNSSEC: bogus: validation failed, nothing published";
      case INDETERMINATE -> "DNSSEC: indeterminate" + of + ": nothing could be validated";
    };
  }

  /** {@code min(CNAME 300, A 60)}, or {@code A 60} for an answer without hops. */
  static String derivation(Resolution.Answer a) {
    List<String> terms = new ArrayList<>();
    for (Hop hop : a.chain()) {
      String kind = hop.kind() == Hop.Kind.ALIAS_MODE ? Type.string(a.type()) : hop.kind().toString();
      terms.add(kind + " " + hop.ttl());
    }
    terms.add(Type.string(a.type()) + " " + a.records().ttl());
    return terms.size() == 1 ? terms.get(0) : "min(" + String.join(", ", terms) + ")";
  }

  /** Writes rows with the owner and type columns padded and the TTL right-aligned. */
  static void table(StringBuilder sb, String indent, List<String[]> rows) {
    int[] width = new int[3];
    for (String[] row : rows) {
      for (int i = 0; i < 3; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      sb.append(indent)
          .append(pad(row[0], width[0]))
          .append("  ")
          .append(" ".repeat(width[1] - row[1].length()))
          .append(row[1])
          .append("  ")
          .append(pad(row[2], width[2]))
          .append("  ")
          .append(row[3])
          .append('\n');
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
