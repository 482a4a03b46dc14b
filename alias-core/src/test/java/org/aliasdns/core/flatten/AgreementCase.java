package org.aliasdns.core.flatten;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.zonefile.ZoneFileReader;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.FlatteningPolicy.TtlMode;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One generated input of {@link LiveFlattenedAgreementTest}: a zone with aliases, a policy, the
 * resolutions of the alias targets at "now", perhaps the previous flattening run (its results and
 * time), and the questions to ask. The same seed always gives the same case.
 *
 * <p>Zones hold aliases at the apex, below it, below an empty non-terminal and as wildcards ({@code
 * *.wN}, once in a while {@code *} at the apex), with and without explicit A/AAAA beside them, with
 * MX and TXT at alias names and data below them; plain hosts (with both families, one, or none),
 * CNAMEs (to hosts, aliases, wildcard-matched names, missing names and out-of-zone names, never in
 * a loop), empty non-terminals and an apex MX. Alias targets are out-of-zone ({@code
 * tN.cdn.example.net.}, shared between aliases) or in-zone: a host, another alias or the alias
 * itself, a CNAME, the apex, an empty non-terminal, a wildcard-matched name, or a name that does
 * not exist (the classic missing trailing dot).
 *
 * <p>Results exist only for out-of-zone names (the settled rule: in-zone targets are answered from
 * the zone, never asked upstream), and cover every outcome: an answer (also one whose chain is
 * longer than the policy's limit), NODATA and NXDOMAIN with negative TTLs on both sides of the
 * SOA's, a failure with a stale answer inside max stale (with a few seconds or many left), past it,
 * with the previous run's last good answer or with nothing, a loop, a chain too long, and no result
 * at all. Half the cases have a previous run; a failure's stale answer is then never older than
 * what that run saw, as a resolver's last good answer cannot be.
 *
 * <p>Questions: every name of the zone, the apex, names matched by each wildcard (one and two
 * labels deep), a name below each alias name, every empty non-terminal and a name that does not
 * exist, a third of them in mixed case; each for A, AAAA, MX, TXT, CNAME, ALIAS, ANAME and ANY, the
 * apex also for SOA and NS.
 *
 * @param name what the case is called in a report: its seed, or a hand-written case's name
 * @param zoneText the source zone as master-file text
 * @param source the source zone
 * @param policy the policy of both paths
 * @param now the instant of the current run and of the live answers
 * @param results the resolutions at {@code now}
 * @param previousAt when the previous run was made, or null if there is none
 * @param previousResults the resolutions the previous run had (empty without one)
 * @param story the results in words, for a failure message
 * @param outcomes the generated outcome by {@code "target TYPE"}, now and before, for a failure
 *     message
 * @param questions what to ask, names in the case to ask them
 */
record AgreementCase(
    String name,
    String zoneText,
    Zone source,
    FlatteningPolicy policy,
    Instant now,
    AliasResults results,
    @Nullable Instant previousAt,
    AliasResults previousResults,
    String story,
    Map<String, String> outcomes,
    List<Question> questions) {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final int[] TYPES_EVERYWHERE = {
    Type.A,
    Type.AAAA,
    Type.MX,
    Type.TXT,
    Type.CNAME,
    Type.HTTPS,
    AliasRecord.ALIAS,
    AliasRecord.ANAME,
    Type.ANY
  };
  private static final String[] OUT_OF_ZONE = {
    "t1.cdn.example.net.", "t2.cdn.example.net.", "t3.cdn.example.net.", "t4.cdn.example.org."
  };

  /** What chasing one target for one family found, as generated. */
  enum Outcome {
    ANSWER,
    ANSWER_OVER_CHAIN_LIMIT,
    NODATA,
    NXDOMAIN,
    FAILURE_STALE_WITHIN_MAX_STALE,
    FAILURE_STALE_PAST_MAX_STALE,
    FAILURE_WITH_LAST_GOOD,
    FAILURE_WITHOUT_STALE,
    LOOP,
    CHAIN_TOO_LONG,
    NO_RESULT
  }

  /**
   * Generates the case of a seed.
   *
   * @param seed any number
   * @return the case
   */
  static AgreementCase generate(long seed) {
    return new Generator(seed).build();
  }

  /**
   * Makes a case by hand, at {@link #NOW}.
   *
   * @param name what the case is called
   * @param zoneText the source zone, starting with an {@code $ORIGIN} line
   * @param policy the policy
   * @param results the resolutions at {@link #NOW}
   * @param previousAt when the previous run was made, or null for none
   * @param previousResults the resolutions of the previous run
   * @param questions what to ask, each as {@code "name TYPE"} with the name relative to the origin
   *     ({@code @} for the apex); none to ask what a generated case would
   * @return the case
   */
  static AgreementCase of(
      String name,
      String zoneText,
      FlatteningPolicy policy,
      List<Resolution> results,
      @Nullable Instant previousAt,
      List<Resolution> previousResults,
      String... questions) {
    Name origin = Rr.name(zoneText.lines().findFirst().orElseThrow().replace("$ORIGIN", "").trim());
    Zone source = ZoneFileReader.forOrigin(origin).read(zoneText, name + ".zone").zone();
    StringBuilder story = new StringBuilder();
    Map<String, String> outcomes = new LinkedHashMap<>();
    for (Resolution r : previousResults) {
      story
          .append("previous ")
          .append(
              describe(
                  r,
                  r.target(),
                  r.type(),
                  r.getClass().getSimpleName(),
                  Objects.requireNonNull(previousAt),
                  policy));
    }
    for (Resolution r : results) {
      story
          .append("now      ")
          .append(describe(r, r.target(), r.type(), r.getClass().getSimpleName(), NOW, policy));
      outcomes.put(r.target() + " " + Type.string(r.type()), r.getClass().getSimpleName());
    }
    List<Question> asked = new ArrayList<>();
    for (String q : questions) {
      String[] parts = q.split(" ");
      Name qname = parts[0].equals("@") ? origin : Rr.name(parts[0] + "." + origin);
      asked.add(Question.of(qname, Type.value(parts[1])));
    }
    return new AgreementCase(
        name,
        zoneText,
        source,
        policy,
        NOW,
        AliasResults.of(results),
        previousAt,
        AliasResults.of(previousResults),
        story.toString(),
        Map.copyOf(outcomes),
        asked.isEmpty() ? questions(source, null) : List.copyOf(asked));
  }

  /** Returns the source zone text, policy, results and time, for a failure message. */
  String describe() {
    return name
        + "\n"
        + policy
        + "\nnow "
        + now
        + (previousAt == null
            ? ", no previous run"
            : ", previous run at now-" + Duration.between(previousAt, now).getSeconds() + "s")
        + "\n--- source zone\n"
        + zoneText
        + "--- results\n"
        + story;
  }

  // ---- questions and descriptions

  /** The questions of a zone; with a random source, a third of the names in mixed case. */
  private static List<Question> questions(Zone source, @Nullable Random random) {
    Name origin = source.origin();
    Map<String, Name> asked = new LinkedHashMap<>();
    ask(asked, origin);
    for (Name name : source.names()) {
      ask(asked, name);
      if (name.isWild()) {
        Name parent = new Name(name, 1);
        ask(asked, child("q", parent));
        ask(asked, child("y", child("q", parent)));
      } else if (!name.equals(origin)) {
        ask(asked, child("below", name));
        for (Name n = new Name(name, 1); n.labels() > origin.labels(); n = new Name(n, 1)) {
          ask(asked, n); // empty non-terminals
        }
      }
    }
    ask(asked, child("nx", origin));
    List<Question> out = new ArrayList<>();
    for (Name name : asked.values()) {
      Name spelled = random != null && random.nextInt(3) == 0 ? recased(name, random) : name;
      for (int type : TYPES_EVERYWHERE) {
        out.add(Question.of(spelled, type));
      }
      if (name.equals(origin)) {
        out.add(Question.of(spelled, Type.SOA));
        out.add(Question.of(spelled, Type.NS));
      }
    }
    return out;
  }

  private static void ask(Map<String, Name> asked, Name name) {
    asked.putIfAbsent(name.toString().toLowerCase(Locale.ROOT), name);
  }

  private static Name recased(Name name, Random random) {
    StringBuilder sb = new StringBuilder();
    for (char c : name.toString().toCharArray()) {
      sb.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    return Rr.name(sb.toString());
  }

  private static Name child(String label, Name parent) {
    return Rr.name(label + "." + parent);
  }

  private static String describe(
      @Nullable Resolution r,
      Name target,
      int type,
      String outcome,
      Instant at,
      FlatteningPolicy policy) {
    StringBuilder sb = new StringBuilder();
    sb.append(target).append(' ').append(Type.string(type)).append(": ").append(outcome);
    if (r instanceof Resolution.Answer) {
      sb.append(' ').append(answerText((Resolution.Answer) r, at));
    } else if (r instanceof Resolution.NoData) {
      sb.append(" negative TTL ").append(((Resolution.NoData) r).negativeTtl());
    } else if (r instanceof Resolution.NxDomain) {
      sb.append(" negative TTL ").append(((Resolution.NxDomain) r).negativeTtl());
    } else if (r instanceof Resolution.Failure) {
      Resolution.Answer stale = ((Resolution.Failure) r).stale();
      sb.append(" (").append(((Resolution.Failure) r).reason()).append(")");
      sb.append(
          stale == null
              ? ", no stale answer"
              : ", stale "
                  + answerText(stale, at)
                  + ", max stale ends "
                  + relative(policy.expiry(stale).plus(policy.maxStale()), at));
    } else if (r != null) {
      sb.append(' ').append(r.chain().size()).append(" hops");
    }
    return sb.append('\n').toString();
  }

  private static String answerText(Resolution.Answer a, Instant at) {
    return a.records().records().stream().map(Record::rdataToString).collect(Collectors.toList())
        + " TTL "
        + a.records().ttl()
        + (a.chain().isEmpty()
            ? ""
            : " via " + a.chain().size() + " hops (chain TTL " + a.chainTtl() + ")")
        + " obtained "
        + relative(a.obtained(), at);
  }

  private static String relative(Instant t, Instant at) {
    long s = Duration.between(at, t).getSeconds();
    return s == 0 ? "then" : s < 0 ? "then" + s + "s" : "then+" + s + "s";
  }

  private static final class Generator {
    private final long seed;
    private final Random random;
    private final Name origin;
    private final StringBuilder zone = new StringBuilder();
    private final StringBuilder story = new StringBuilder();
    private final Map<String, String> outcomes = new LinkedHashMap<>();
    private int addressCounter;

    Generator(long seed) {
      this.seed = seed;
      this.random = new Random(seed * 0x9E3779B97F4A7C15L + 17);
      this.origin = Rr.name("z" + seed + ".example.com.");
    }

    AgreementCase build() {
      FlatteningPolicy policy = policy();
      String text = zoneText();
      Zone source = ZoneFileReader.forOrigin(origin).read(text, "z" + seed + ".zone").zone();
      Instant previousAt =
          random.nextBoolean() ? null : NOW.minusSeconds(number(30, 600, 7200, 172_800));
      List<Resolution> previous = new ArrayList<>();
      List<Resolution> current = new ArrayList<>();
      for (Name target : outOfZoneNames(source)) {
        for (Family family : Family.values()) {
          Resolution.@Nullable Answer lastGood = null;
          String earlier = "";
          if (previousAt != null) {
            Outcome before =
                pick(
                    Outcome.ANSWER,
                    Outcome.ANSWER,
                    Outcome.ANSWER,
                    Outcome.NODATA,
                    Outcome.NXDOMAIN,
                    Outcome.FAILURE_WITHOUT_STALE,
                    Outcome.FAILURE_STALE_WITHIN_MAX_STALE,
                    Outcome.LOOP,
                    Outcome.NO_RESULT);
            Resolution r =
                resolution(target, family.type(), before, policy, previousAt, null, null);
            story
                .append("previous ")
                .append(describe(r, target, family.type(), before.toString(), previousAt, policy));
            earlier = ", previous run " + before;
            if (r != null) {
              previous.add(r);
              lastGood =
                  r instanceof Resolution.Answer
                      ? (Resolution.Answer) r
                      : r instanceof Resolution.Failure ? ((Resolution.Failure) r).stale() : null;
            }
          }
          Outcome now =
              pick(
                  Outcome.ANSWER,
                  Outcome.ANSWER,
                  Outcome.ANSWER,
                  Outcome.ANSWER_OVER_CHAIN_LIMIT,
                  Outcome.NODATA,
                  Outcome.NXDOMAIN,
                  Outcome.FAILURE_STALE_WITHIN_MAX_STALE,
                  Outcome.FAILURE_STALE_PAST_MAX_STALE,
                  Outcome.FAILURE_WITH_LAST_GOOD,
                  Outcome.FAILURE_WITHOUT_STALE,
                  Outcome.LOOP,
                  Outcome.CHAIN_TOO_LONG,
                  Outcome.NO_RESULT);
          if (now == Outcome.FAILURE_WITH_LAST_GOOD && lastGood == null) {
            now = Outcome.FAILURE_WITHOUT_STALE;
          }
          Resolution r = resolution(target, family.type(), now, policy, NOW, previousAt, lastGood);
          story
              .append("now      ")
              .append(describe(r, target, family.type(), now.toString(), NOW, policy));
          outcomes.put(target + " " + Type.string(family.type()), now + earlier);
          if (r != null) {
            current.add(r);
          }
        }
      }
      return new AgreementCase(
          "seed " + seed,
          text,
          source,
          policy,
          NOW,
          AliasResults.of(current),
          previousAt,
          AliasResults.of(previous),
          story.toString(),
          Map.copyOf(outcomes),
          questions(source, random));
    }

    // ---- policy

    private FlatteningPolicy policy() {
      FlatteningPolicy.Builder b = FlatteningPolicy.builder();
      int families = random.nextInt(10);
      if (families == 0) {
        b.families(Family.IPV4);
      } else if (families == 1) {
        b.families(Family.IPV6);
      }
      if (random.nextInt(3) == 0) {
        b.ttlFloor(60);
      }
      if (random.nextInt(3) == 0) {
        b.ttlCap(600);
      }
      if (random.nextInt(3) == 0) {
        b.ttlMode(TtlMode.COUNTDOWN);
      }
      b.maxStale(Duration.ofSeconds(number(86_400, 86_400, 600, 0)));
      if (random.nextInt(4) == 0) {
        b.staleTtl(5);
      }
      if (random.nextInt(3) == 0) {
        b.chainLimit(3);
      }
      int https = random.nextInt(3);
      if (https == 0) {
        b.httpsAliasMode(true);
      } else if (https == 1) {
        b.https(FlatteningPolicy.HttpsMode.FLATTEN); // the target's HTTPS RRset
      }
      return b.build();
    }

    // ---- zone

    private String zoneText() {
      line("$ORIGIN " + origin);
      line("$TTL 3600");
      line(
          "@ "
              + number(300, 3600)
              + " SOA ns1 hostmaster "
              + (2026030100 + seed % 50)
              + " 7200 900 1209600 "
              + number(60, 300, 900));
      line("@ NS ns1");
      if (random.nextBoolean()) {
        line("@ NS ns.example.net.");
      }
      line("ns1 A 192.0.2.1");

      List<String> hosts = new ArrayList<>();
      int hostCount = random.nextInt(4);
      for (int i = 1; i <= hostCount; i++) {
        String host = random.nextInt(3) == 0 ? "h" + i + ".e" + i : "h" + i;
        hosts.add(host);
        boolean any = false;
        if (random.nextInt(5) < 3) {
          line(host + " " + number(60, 300, 3600) + " A 192.0.2." + (10 + i));
          any = true;
        }
        if (random.nextInt(2) == 0) {
          line(host + " " + number(60, 300, 3600) + " AAAA 2001:db8::" + (10 + i));
          any = true;
        }
        if (!any) {
          line(host + " TXT \"host " + i + " without addresses\"");
        }
        int https = random.nextInt(6);
        if (https == 0) {
          line(host + " " + number(60, 300, 3600) + " HTTPS 1 . alpn=h2");
        } else if (https == 1 && i > 1) {
          // RFC 9460 §2.4.2: an in-zone AliasMode record to an earlier host (no loops).
          line(host + " " + number(60, 300, 3600) + " HTTPS 0 " + hosts.get(random.nextInt(i - 1)));
        } else if (https == 2) {
          line(host + " " + number(60, 300, 3600) + " HTTPS 2 alt.example.net. alpn=h3 port=8443");
        }
      }

      // Alias owners first, so that targets can name any of them.
      List<String> aliases = new ArrayList<>();
      int aliasCount = 1 + random.nextInt(4);
      boolean apexUsed = false;
      boolean apexWildcard = false;
      for (int i = 1; i <= aliasCount; i++) {
        int where = random.nextInt(20);
        String owner;
        if (where < 4 && !apexUsed) {
          owner = "@";
          apexUsed = true;
        } else if (where < 8) {
          owner = "*.w" + i;
        } else if (where == 8 && !apexWildcard) {
          owner = "*";
          apexWildcard = true;
        } else if (where < 11) {
          owner = "a" + i + ".e" + (10 + i);
        } else {
          owner = "a" + i;
        }
        aliases.add(owner);
      }
      List<String> cnames = new ArrayList<>();
      int cnameCount = random.nextInt(3);
      for (int i = 1; i <= cnameCount; i++) {
        cnames.add("c" + i);
      }

      for (String owner : aliases) {
        String target = aliasTarget(owner, hosts, aliases, cnames);
        line(
            owner
                + " "
                + number(60, 300, 3600)
                + " "
                + pick("ALIAS", "ALIAS", "ANAME")
                + " "
                + target);
        if (random.nextInt(5) == 0) {
          line(owner + " " + number(60, 300) + " A 192.0.2." + (100 + aliases.indexOf(owner)));
        }
        if (random.nextInt(5) == 0) {
          line(owner + " " + number(60, 300) + " AAAA 2001:db8::" + (100 + aliases.indexOf(owner)));
        }
        if (random.nextInt(3) == 0) {
          line(owner + " MX 10 " + pick("mail.example.net.", hostOr(hosts, "mail.example.net.")));
        }
        if (random.nextInt(3) == 0) {
          line(owner + " TXT \"v=spf1 -all\"");
        }
        if (random.nextInt(6) == 0) {
          line(owner + " " + number(60, 300) + " HTTPS 1 . alpn=h2"); // its own wins
        }
        if (owner.startsWith("*.")) {
          if (random.nextInt(3) == 0) {
            line("b" + owner.substring(1) + " A 192.0.2.200"); // blocks the wildcard for b.wN
          }
        } else if (!owner.equals("@") && !owner.equals("*") && random.nextInt(5) == 0) {
          line("sub." + owner + " TXT \"below an alias\"");
        }
      }

      for (int i = 0; i < cnames.size(); i++) {
        List<String> choices = new ArrayList<>();
        choices.addAll(hosts);
        for (String a : aliases) {
          choices.add(inZoneName(a));
        }
        choices.add("gone");
        choices.add(pick(OUT_OF_ZONE));
        choices.addAll(cnames.subList(0, i)); // earlier CNAMEs only: no loops
        line(
            cnames.get(i)
                + " "
                + number(60, 300, 3600)
                + " CNAME "
                + choices.get(random.nextInt(choices.size())));
      }
      if (random.nextBoolean()) {
        List<String> exchangers = new ArrayList<>(List.of("mx.example.net."));
        exchangers.addAll(hosts);
        for (String a : aliases) {
          if (!a.contains("*")) {
            exchangers.add(a);
          }
        }
        line("@ MX 20 " + exchangers.get(random.nextInt(exchangers.size())));
      }
      if (random.nextInt(6) == 0) {
        line("*.v TXT \"wildcard without alias\"");
      }
      return zone.toString();
    }

    private String aliasTarget(
        String owner, List<String> hosts, List<String> aliases, List<String> cnames) {
      if (random.nextInt(5) < 3) {
        return pick(OUT_OF_ZONE);
      }
      List<String> choices = new ArrayList<>();
      choices.addAll(hosts);
      for (String a : aliases) {
        choices.add(inZoneName(a)); // another alias, or this one
      }
      choices.addAll(cnames);
      choices.add(origin.toString());
      choices.add("nothing-here");
      choices.add("api.cdn.example.net"); // no final dot: a name in this zone that does not exist
      for (String h : hosts) {
        if (h.contains(".")) {
          choices.add(h.substring(h.indexOf('.') + 1)); // an empty non-terminal
        }
      }
      return choices.get(random.nextInt(choices.size()));
    }

    /** A name that reaches the alias at an owner: the owner, or a name its wildcard matches. */
    private String inZoneName(String owner) {
      if (owner.equals("@")) {
        return origin.toString();
      }
      if (owner.equals("*")) {
        return "matched-by-apex-wildcard";
      }
      return owner.startsWith("*.") ? "q" + owner.substring(1) : owner;
    }

    private String hostOr(List<String> hosts, String otherwise) {
      return hosts.isEmpty() ? otherwise : hosts.get(random.nextInt(hosts.size()));
    }

    private void line(String text) {
      zone.append(text).append('\n');
    }

    // ---- results

    /** Every out-of-zone name an alias or a CNAME points at. */
    private List<Name> outOfZoneNames(Zone source) {
      Set<Name> out = new LinkedHashSet<>();
      for (RecordSet set : source) {
        Name target = null;
        if (AliasRecord.isAliasType(set.type())) {
          target = ((AliasRecord) set.first()).getTarget();
        } else if (set.type() == Type.CNAME) {
          target = ((org.xbill.DNS.CNAMERecord) set.first()).getTarget();
        }
        if (target != null && !target.subdomain(origin)) {
          out.add(target);
        }
      }
      return new ArrayList<>(out);
    }

    private @Nullable Resolution resolution(
        Name target,
        int type,
        Outcome outcome,
        FlatteningPolicy policy,
        Instant at,
        @Nullable Instant previousAt,
        Resolution.@Nullable Answer lastGood) {
      long maxStale = policy.maxStale().getSeconds();
      switch (outcome) {
        case ANSWER:
          return answer(
              target,
              type,
              at.minusSeconds(number(0, 5, 100, 4000)),
              number(20, 300, 3600, 172_800),
              random.nextInt(3));
        case ANSWER_OVER_CHAIN_LIMIT:
          return answer(
              target, type, at.minusSeconds(number(0, 100)), 300, policy.chainLimit() + 1);
        case NODATA:
          return new Resolution.NoData(
              target, type, hops(target, random.nextInt(2), 600), number(30, 300, 3600), at);
        case NXDOMAIN:
          return new Resolution.NxDomain(
              target, type, hops(target, random.nextInt(2), 600), number(30, 300, 3600), at);
        case FAILURE_WITH_LAST_GOOD:
          return new Resolution.Failure(target, type, List.of(), "upstream SERVFAIL", at, lastGood);
        case FAILURE_STALE_WITHIN_MAX_STALE:
        case FAILURE_STALE_PAST_MAX_STALE:
          Resolution.Answer stale;
          if (previousAt != null && lastGood != null) {
            // A resolver's last good answer is never older than one the previous run saw.
            long gap = Duration.between(previousAt, at).getSeconds();
            stale =
                answer(
                    target,
                    type,
                    previousAt.plusSeconds(1 + random.nextInt((int) gap)),
                    number(20, 300, 3600),
                    0);
          } else if (outcome == Outcome.FAILURE_STALE_WITHIN_MAX_STALE) {
            long left = number(3, 20, 1000, 50_000); // seconds of max stale left at "at"
            long ttl = Math.max(number(20, 300, 3600), left);
            stale = answer(target, type, at.plusSeconds(left - maxStale - ttl), ttl, 0);
          } else {
            long ttl = number(20, 300, 3600);
            stale = answer(target, type, at.minusSeconds(number(1, 1000) + maxStale + ttl), ttl, 0);
          }
          return new Resolution.Failure(
              target, type, List.of(), pick("upstream SERVFAIL", "timeout", "REFUSED"), at, stale);
        case FAILURE_WITHOUT_STALE:
          return new Resolution.Failure(target, type, List.of(), "timeout", at, null);
        case LOOP:
          Name other = Rr.name("loop." + target);
          return new Resolution.Loop(
              target,
              type,
              List.of(Hop.cname(target, other, 300), Hop.cname(other, target, 300)),
              at);
        case CHAIN_TOO_LONG:
          return new Resolution.ChainTooLong(
              target, type, hops(target, policy.chainLimit(), 300), at);
        default:
          return null;
      }
    }

    /**
     * An answer of one or two addresses at the end of {@code hops} CNAMEs; the hops' TTL is
     * sometimes below the records' (then the chain TTL is the hops').
     */
    private Resolution.Answer answer(Name target, int type, Instant obtained, long ttl, int hops) {
      List<Hop> chain = hops(target, hops, random.nextBoolean() ? ttl : ttl + number(-10, 100));
      Name last = chain.isEmpty() ? target : chain.get(chain.size() - 1).target();
      if (type == Type.HTTPS) {
        return httpsAnswer(target, chain, last, obtained, ttl);
      }
      int count = 1 + random.nextInt(2);
      List<Record> records = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = ++addressCounter;
        records.add(
            type == Type.A
                ? Rr.rr(
                    last.toString(),
                    ttl,
                    "A",
                    (n % 2 == 0 ? "198.51.100." : "192.0.2.") + (20 + n % 200))
                : Rr.rr(
                    last.toString(),
                    ttl,
                    "AAAA",
                    "2001:db8:"
                        + Integer.toHexString(seed % 0xffff == 0 ? 1 : (int) (seed % 0xffff))
                        + "::"
                        + Integer.toHexString(n)));
      }
      return new Resolution.Answer(target, type, chain, RecordSet.of(records), obtained);
    }

    /**
     * An HTTPS answer: ServiceMode records (a TargetName of "." or explicit) or an AliasMode "."
     * (RFC 9460 §2.5.1), sometimes at the end of an AliasMode hop after the CNAMEs.
     */
    private Resolution.Answer httpsAnswer(
        Name target, List<Hop> cnames, Name last, Instant obtained, long ttl) {
      List<Hop> chain = new ArrayList<>(cnames);
      Name owner = last;
      if (random.nextInt(3) == 0) {
        owner = Rr.name("pool." + last);
        chain.add(Hop.aliasMode(last, owner, number(60, 300, 3600)));
      }
      List<Record> records = new ArrayList<>();
      int shape = random.nextInt(5);
      if (shape == 0) {
        records.add(Rr.rr(owner.toString(), ttl, "HTTPS", "0 ."));
      } else {
        records.add(
            Rr.rr(owner.toString(), ttl, "HTTPS", "1 . alpn=h2,h3 ipv4hint=192.0.2." + (20 + shape)));
        if (shape > 2) {
          records.add(Rr.rr(owner.toString(), ttl, "HTTPS", "2 alt.cdn.example.net. alpn=h2"));
        }
      }
      return new Resolution.Answer(target, Type.HTTPS, chain, RecordSet.of(records), obtained);
    }

    private List<Hop> hops(Name target, int count, long ttl) {
      List<Hop> chain = new ArrayList<>();
      Name from = target;
      for (int i = 1; i <= count; i++) {
        Name to = Rr.name("edge" + i + "." + target);
        chain.add(Hop.cname(from, to, Math.max(0, ttl)));
        from = to;
      }
      return chain;
    }

    // ---- choices

    @SafeVarargs
    private <T> T pick(T... choices) {
      return choices[random.nextInt(choices.length)];
    }

    private int number(int... choices) {
      return choices[random.nextInt(choices.length)];
    }
  }
}
