package org.aliasdns.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * The record-level rules of SVCB and HTTPS records (RFC 9460) that a server must not break:
 * shared by {@code aliasdns check} (as findings) and by the resolver (an upstream answer that
 * breaks one is malformed, never published).
 *
 * <p>Duplicate SvcParamKeys and keys out of order (RFC 9460 §2.2) are refused by dnsjava in
 * presentation form; on the wire dnsjava keeps one value per key, in order, so they never reach
 * these rules.
 */
public final class SvcbWireRules {
  private SvcbWireRules() {}

  /**
   * Whether a record is in AliasMode (SvcPriority 0) yet carries SvcParams (RFC 9460 §2.4.2).
   *
   * @param record an SVCB or HTTPS record
   * @return true if it breaks the rule
   */
  public static boolean aliasModeWithParams(SVCBBase record) {
    return record.getSvcPriority() == 0 && !record.getSvcParamKeys().isEmpty();
  }

  /**
   * Whether a record has {@code no-default-alpn} without {@code alpn} (RFC 9460 §7.1.1).
   *
   * @param record an SVCB or HTTPS record
   * @return true if it breaks the rule
   */
  public static boolean noDefaultAlpnWithoutAlpn(SVCBBase record) {
    return record.getSvcParamKeys().contains(SVCBBase.NO_DEFAULT_ALPN)
        && !record.getSvcParamKeys().contains(SVCBBase.ALPN);
  }

  /**
   * What is wrong with a record's {@code mandatory} key (RFC 9460 §8: it lists other keys, each
   * once, each present in the record).
   *
   * @param record an SVCB or HTTPS record
   * @return the problems ("lists itself", "lists alpn twice", ...), empty if none or no
   *     {@code mandatory} key
   */
  public static List<String> mandatoryProblems(SVCBBase record) {
    if (!(record.getSvcParamValue(SVCBBase.MANDATORY) instanceof SVCBBase.ParameterMandatory m)) {
      return List.of();
    }
    Set<Integer> seen = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (int key : m.getValues()) {
      String name = keyName(key);
      if (key == SVCBBase.MANDATORY) {
        problems.add("lists itself");
      } else if (!seen.add(key)) {
        problems.add("lists " + name + " twice");
      } else if (!record.getSvcParamKeys().contains(key)) {
        problems.add("lists " + name + ", which the record does not have");
      }
    }
    return problems;
  }

  /**
   * The first RFC 9460 rule an SVCB or HTTPS RRset breaks, for refusing an upstream answer:
   * AliasMode with SvcParams (§2.4.2), a bad {@code mandatory} key (§8), {@code
   * no-default-alpn} without {@code alpn} (§7.1.1). AliasMode and ServiceMode records together
   * are no violation: RFC 9460 §2.4.1 tells the recipient to ignore the ServiceMode records,
   * as the resolver does.
   *
   * @param records the records of one RRset; records that are not SVCB or HTTPS are skipped
   * @return a reason naming the rule and the record, or null if the RRset breaks none
   */
  public static @Nullable String violation(Iterable<? extends Record> records) {
    for (Record r : records) {
      if (!(r instanceof SVCBBase svcb)) {
        continue;
      }
      if (aliasModeWithParams(svcb)) {
        return "AliasMode record with SvcParams (RFC 9460 §2.4.2): " + text(r);
      }
      List<String> mandatory = mandatoryProblems(svcb);
      if (!mandatory.isEmpty()) {
        return "mandatory " + String.join(", ", mandatory) + " (RFC 9460 §8): " + text(r);
      }
      if (noDefaultAlpnWithoutAlpn(svcb)) {
        return "no-default-alpn without alpn (RFC 9460 §7.1.1): " + text(r);
      }
    }
    return null;
  }

  private static String text(Record r) {
    return r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString();
  }

  /**
   * A SvcParamKey's presentation name (RFC 9460 §14.3.2), or keyNNNNN.
   *
   * @param key the SvcParamKey
   * @return its name
   */
  public static String keyName(int key) {
    switch (key) {
      case SVCBBase.MANDATORY:
        return "mandatory";
      case SVCBBase.ALPN:
        return "alpn";
      case SVCBBase.NO_DEFAULT_ALPN:
        return "no-default-alpn";
      case SVCBBase.PORT:
        return "port";
      case SVCBBase.IPV4HINT:
        return "ipv4hint";
      case SVCBBase.ECH:
        return "ech";
      case SVCBBase.IPV6HINT:
        return "ipv6hint";
      default:
        return "key" + key;
    }
  }

  /**
   * The names of a set of SvcParamKeys, space-separated.
   *
   * @param keys the keys
   * @return their names
   */
  public static String keyNames(Set<Integer> keys) {
    StringJoiner text = new StringJoiner(" ");
    keys.forEach(k -> text.add(keyName(k)));
    return text.toString();
  }
}
