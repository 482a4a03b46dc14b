package org.aliasdns.core.check;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;

import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The rules about the RRsets at one name: what may share a name with a CNAME, a DNAME or an
 * alias, singleton types, where an SOA may be, data below a DNAME, and owner-name syntax.
 */
final class NameRules {
  private NameRules() {}

  /**
   * Checks the RRsets at one name, adding findings to {@code out}.
   *
   * @param origin the zone origin
   * @param dnameAbove the owner of a DNAME above this name, or null
   * @param syntax the owner-name syntax checker of this pass
   */
  static void check(
      Name name,
      List<RecordSet> sets,
      Name origin,
      @Nullable Name dnameAbove,
      OwnerNameSyntax syntax,
      List<Finding> out) {
    boolean apex = name.equals(origin);
    RecordSet cname = null;
    RecordSet dname = null;
    RecordSet soa = null;
    RecordSet firstAlias = null;
    int aliasSets = 0;
    boolean multipleAliasRecords = false;
    int addressType = 0;
    boolean hostOwner = false;
    for (RecordSet set : sets) {
      int type = set.type();
      if (type == Type.CNAME) {
        cname = set;
      } else if (type == Type.DNAME) {
        dname = set;
      } else if (type == Type.SOA) {
        soa = set;
      } else if (AliasRecord.isAliasType(type)) {
        aliasSets++;
        multipleAliasRecords |= set.size() > 1;
        firstAlias = firstAlias == null ? set : firstAlias;
      }
      if ((type == Type.A || type == Type.AAAA) && addressType == 0) {
        addressType = type;
      }
      hostOwner |= type == Type.A || type == Type.AAAA || type == Type.MX;
    }

    if (cname != null) {
      // Built only here: most names hold no CNAME.
      StringJoiner besideCname = new StringJoiner(", ");
      for (RecordSet set : sets) {
        if (!mayShareWithCname(set.type())) {
          besideCname.add(Type.string(set.type()));
        }
      }
      checkCname(name, apex, cname, besideCname, firstAlias, dname, out);
    }
    if (aliasSets > 1 || multipleAliasRecords) {
      RecordSet alias = firstAlias;
      out.add(
          Finding.of(
              Rule.MULTIPLE_ALIAS,
              name,
              alias == null ? 0 : alias.type(),
              "more than one alias target at one name; a flattener has no single target"));
    }
    if (firstAlias != null && addressType != 0) {
      // Policy: explicit address records win over what the alias would synthesize.
      out.add(
          Finding.of(
              Rule.ALIAS_SHADOWED,
              name,
              addressType,
              "explicit " + Type.string(addressType) + " records beside "
                  + Type.string(firstAlias.type()) + " are served instead of the alias target's"));
    }
    if (dname != null && dname.size() > 1) {
      // RFC 6672 §2.4: one DNAME per name.
      out.add(Finding.of(Rule.MULTIPLE_DNAME, name, Type.DNAME, dname.size() + " DNAME records at one name"));
    }
    if (soa != null) {
      if (!apex) {
        out.add(
            Finding.of(
                Rule.SOA_NOT_AT_APEX,
                name,
                Type.SOA,
                "SOA record below the zone origin " + origin));
      } else if (soa.size() > 1) {
        out.add(Finding.of(Rule.MULTIPLE_SOA, name, Type.SOA, soa.size() + " SOA records at the origin"));
      }
    }
    if (dnameAbove != null) {
      // RFC 6672 §2.3: no data below a DNAME; such data is never reached.
      out.add(
          Finding.of(
              Rule.DATA_BELOW_DNAME,
              name,
              sets.get(0).type(),
              "data below the DNAME at " + dnameAbove + " can never be reached"));
    }
    syntax.examine(name);
    if (hostOwner && !syntax.isHostNameOrWildcard()) {
      int type = addressType != 0 ? addressType : Type.MX;
      out.add(
          Finding.of(
              Rule.BAD_HOST_NAME,
              name,
              type,
              "owner of " + Type.string(type) + " records is not a host name"));
    }
    if (syntax.hasInnerAsterisk()) {
      out.add(
          Finding.of(
              Rule.NON_TERMINAL_WILDCARD,
              name,
              sets.get(0).type(),
              "an asterisk label below the first is not a wildcard"));
    }
  }

  private static void checkCname(
      Name name,
      boolean apex,
      RecordSet cname,
      StringJoiner besideCname,
      @Nullable RecordSet alias,
      @Nullable RecordSet dname,
      List<Finding> out) {
    if (apex) {
      // RFC 1034 §3.6.2: the apex holds SOA and NS, so a CNAME there is always other data.
      out.add(
          Finding.of(
              Rule.CNAME_AT_APEX,
              name,
              Type.CNAME,
              "CNAME at the zone origin, which must hold SOA and NS records"));
    } else if (besideCname.length() > 0) {
      // RFC 2181 §10.1; RFC 4035 §2.5 allows RRSIG and NSEC, BIND also KEY and SIG.
      out.add(
          Finding.of(
              Rule.CNAME_AND_OTHER_DATA,
              name,
              Type.CNAME,
              "CNAME beside other data: " + besideCname));
    }
    if (cname.size() > 1) {
      out.add(Finding.of(Rule.MULTIPLE_CNAME, name, Type.CNAME, cname.size() + " CNAME records at one name"));
    }
    if (alias != null) {
      out.add(
          Finding.of(
              Rule.ALIAS_AND_CNAME,
              name,
              alias.type(),
              Type.string(alias.type()) + " beside a CNAME"));
    }
    if (dname != null) {
      // RFC 6672 §2.4
      out.add(Finding.of(Rule.DNAME_AND_CNAME, name, Type.DNAME, "DNAME beside a CNAME"));
    }
  }

  /** The types BIND lets share a name with a CNAME, plus those other rules report. */
  private static boolean mayShareWithCname(int type) {
    switch (type) {
      case Type.CNAME:
      case Type.RRSIG:
      case Type.NSEC:
      case Type.KEY:
      case Type.SIG:
      case Type.DNAME:
        return true;
      default:
        return AliasRecord.isAliasType(type);
    }
  }
}
