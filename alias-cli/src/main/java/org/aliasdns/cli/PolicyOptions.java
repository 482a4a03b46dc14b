package org.aliasdns.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.FlatteningPolicy.HttpsMode;
import org.aliasdns.core.FlatteningPolicy.Scope;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The flattening policy options, a picocli mixin: each maps to one {@link
 * FlatteningPolicy.Builder} setting, and an option not given keeps the policy's default.
 */
final class PolicyOptions {
  @Option(
      names = "--scope",
      paramLabel = "SCOPE",
      converter = ScopeConverter.class,
      description = "Which names flatten: alias (ALIAS/ANAME records, the default), apex-cname"
          + " (also a CNAME at the apex) or all-cnames (every CNAME).")
  @Nullable Scope scope;

  @Option(
      names = "--family",
      paramLabel = "FAMILY",
      split = ",",
      converter = FamilyConverter.class,
      description = "Address families to synthesize: ipv4 (A), ipv6 (AAAA) or both, comma"
          + " separated or repeated (default: both).")
  List<Family> families = new ArrayList<>();

  @Option(
      names = "--ttl-floor",
      paramLabel = "SECONDS",
      description = "Smallest TTL of synthesized records (default: 0).")
  @Nullable Long ttlFloor;

  @Option(
      names = "--ttl-cap",
      paramLabel = "SECONDS",
      description = "Largest TTL of synthesized records (default: 86400).")
  @Nullable Long ttlCap;

  @Option(
      names = "--chain-limit",
      paramLabel = "HOPS",
      description = "Most CNAME/DNAME hops a target's chain may have (default: 16).")
  @Nullable Integer chainLimit;

  @Option(
      names = "--stale-ttl",
      paramLabel = "SECONDS",
      description = "TTL of last good answers served after an upstream failure, RFC 8767"
          + " (default: 30; never above --ttl-cap).")
  @Nullable Long staleTtl;

  @Option(
      names = "--max-stale",
      paramLabel = "SECONDS",
      description = "How long past expiry a last good answer may be served (default: 86400).")
  @Nullable Long maxStaleSeconds;

  @Option(
      names = "--https",
      paramLabel = "MODE",
      converter = HttpsModeConverter.class,
      description =
          "What alias names without an HTTPS record of their own answer for HTTPS (RFC 9460):"
              + " off (the default), alias-mode (publish 'HTTPS 0 <target>') or flatten (the"
              + " target's HTTPS records, after its CNAMEs and AliasMode records, as ServiceMode"
              + " records, kept fresh like addresses).")
  @Nullable HttpsMode https;

  @Option(
      names = "--https-alias-mode",
      description = "The same as --https=alias-mode.")
  boolean httpsAliasMode;

  /**
   * Returns the policy these options describe.
   *
   * @return the policy
   * @throws IllegalArgumentException if a value is out of range or the floor is above the cap
   */
  FlatteningPolicy policy() {
    FlatteningPolicy.Builder b = FlatteningPolicy.builder();
    if (scope != null) {
      b.scope(scope);
    }
    if (!families.isEmpty()) {
      b.families(families.get(0), families.subList(1, families.size()).toArray(new Family[0]));
    }
    if (ttlFloor != null) {
      b.ttlFloor(ttlFloor);
    }
    if (ttlCap != null) {
      b.ttlCap(ttlCap);
    }
    if (chainLimit != null) {
      b.chainLimit(chainLimit);
    }
    if (staleTtl != null) {
      b.staleTtl(staleTtl);
    }
    if (maxStaleSeconds != null) {
      if (maxStaleSeconds < 0) {
        throw new IllegalArgumentException("--max-stale is negative: " + maxStaleSeconds);
      }
      b.maxStale(Duration.ofSeconds(maxStaleSeconds));
    }
    if (httpsAliasMode && https != null && https != HttpsMode.ALIAS_MODE) {
      throw new IllegalArgumentException(
          "--https-alias-mode and --https=" + word(https) + " exclude each other");
    }
    if (https != null) {
      b.https(https);
    } else if (httpsAliasMode) {
      b.https(HttpsMode.ALIAS_MODE);
    }
    return b.build();
  }

  /** Reads {@code alias}, {@code apex-cname} or {@code all-cnames}. */
  static final class ScopeConverter implements ITypeConverter<Scope> {
    @Override
    public Scope convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "alias" -> Scope.ALIAS_RECORDS;
        case "apex-cname" -> Scope.ALIAS_AND_APEX_CNAME;
        case "all-cnames" -> Scope.ALL_CNAMES;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not a scope: alias, apex-cname or all-cnames");
      };
    }
  }

  private static String word(HttpsMode mode) {
    return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Reads {@code off}, {@code alias-mode} or {@code flatten}. */
  static final class HttpsModeConverter implements ITypeConverter<HttpsMode> {
    @Override
    public HttpsMode convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "off" -> HttpsMode.OFF;
        case "alias-mode" -> HttpsMode.ALIAS_MODE;
        case "flatten" -> HttpsMode.FLATTEN;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not an HTTPS mode: off, alias-mode or flatten");
      };
    }
  }

  /** Reads {@code ipv4}/{@code 4}/{@code A} or {@code ipv6}/{@code 6}/{@code AAAA}. */
  static final class FamilyConverter implements ITypeConverter<Family> {
    @Override
    public Family convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "ipv4", "4", "a" -> Family.IPV4;
        case "ipv6", "6", "aaaa" -> Family.IPV6;
        default -> throw new TypeConversionException("'" + value + "' is not a family: ipv4 or ipv6");
      };
    }
  }
}
