package org.aliasdns.core.flatten;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasPublications;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.tools.NsdAuthority;
import org.aliasdns.core.zonefile.ZoneFileWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One rule, two paths (DESIGN.md, "Settled behaviour"): for generated zones and resolution results
 * ({@link AgreementCase}), every question gets the same response from {@link QueryAnswerer}
 * answering live from the source zone as from a real NSD serving what {@link Flattener} made of the
 * same zone, results and instant (with the previous run where the case has one). Response code, AA
 * flag and the answer, authority and additional sections agree, compared as sets, TTLs included,
 * owners that are the query name spelled as asked.
 *
 * <p>A third of the generated policies flatten the targets' HTTPS RRsets ({@code
 * HttpsMode.FLATTEN}), whose generated answers hold ServiceMode records with a TargetName of "."
 * (made explicit at the alias name) and AliasMode hops; the test fails if none of those is ever
 * answered.
 *
 * <p>The one documented difference: where the live answer to an A or AAAA question (or HTTPS,
 * when flattened) is SERVFAIL
 * because the name it reaches (directly or through in-zone CNAMEs) is an alias name with no usable
 * answer for that family, the flattened zone, which cannot say SERVFAIL, answers NODATA with the SOA
 * (RFC 2308 §2.2). The live answerer is given the previous run's publications as its memory ({@code
 * previous::publication}, what a server passes from the flattened zone it serves), so the previous
 * run's addresses kept stale (RFC 8767 §4) are no difference: both paths serve them. Nothing else
 * may differ.
 *
 * <p>Two things are set aside because they are NSD's, not the paths': NSD (with its default {@code
 * minimal-responses: no}) adds the apex NS RRset to the authority section of positive answers, with
 * its addresses in additional, where we answer minimally (DESIGN.md); those are removed from NSD's
 * response before comparing, unless the answer itself names those servers. And ANY is compared by
 * response code and AA only, RFC 8482 §4.1 leaving the choice of RRset to the server. The live
 * answerer answers from the source zone with the flattened run's SOA serial, as a server publishing
 * both would: the serial is the zone version, not alias data.
 *
 * <p>Besides {@value #CASES} seeded cases, the hand-written {@link AgreementShapes} (the smallest
 * input of each disagreement seen so far) are asked the same way, so that a failure there names its
 * cause. Each failure message holds the source zone, policy, results, the flattened zone and, for
 * every question that disagrees, both responses and which alias the question reaches and what its
 * target did.
 *
 * <p>NSD serves a batch of zones per start (here, {@value #BATCH}). When NSD is not installed the
 * test is skipped with a reason printed; with {@code ALIAS_REQUIRE_TOOLS=1} it fails instead.
 */
class LiveFlattenedAgreementTest {
  private static final int CASES = 300;
  private static final int BATCH = 100;
  private static final ZoneFileWriter WRITER = ZoneFileWriter.defaults().withGenericAliasTypes();

  @TempDir static Path dir;

  private static @Nullable NsdAuthority nsd;
  private static String servedBatch = "";
  private static int batches;
  private static Map<String, Prepared> prepared = Map.of();

  /** A case with both paths made ready: the flattened zone NSD serves and the live answerer. */
  private record Prepared(
      AgreementCase input,
      @Nullable FlattenedZone previous,
      FlattenedZone flattened,
      String flattenedText,
      QueryAnswerer live) {

    static Prepared of(AgreementCase c) {
      Flattener flattener = Flattener.of(c.policy());
      Instant previousAt = c.previousAt();
      FlattenedZone previous =
          previousAt == null
              ? null
              : flattener.flatten(c.source(), c.previousResults(), previousAt, null);
      FlattenedZone flattened = flattener.flatten(c.source(), c.results(), c.now(), previous);
      SOARecord soa = c.source().soa().orElseThrow();
      Zone live =
          c.source().toBuilder().put(RecordSet.of(withSerial(soa, flattened.serial()))).build();
      return new Prepared(
          c,
          previous,
          flattened,
          WRITER.toText(flattened.zone()),
          QueryAnswerer.of(live, c.policy()));
    }
  }

  /** Questions asked, and how many of them the documented difference applied to. */
  private static int questionsAsked;

  private static int underTheDifference;
  private static int throughCnames;
  /** HTTPS questions answered with a target's flattened HTTPS RRset (HttpsMode.FLATTEN). */
  private static int flattenedHttps;

  @AfterAll
  static void stopNsd() {
    NsdAuthority running = nsd;
    if (running != null) {
      running.close();
    }
  }

  @AfterAll
  static void report() {
    System.out.println(
        "LiveFlattenedAgreementTest: "
            + questionsAsked
            + " questions asked of both paths, "
            + underTheDifference
            + " of them under the documented SERVFAIL difference ("
            + throughCnames
            + " reaching the alias through CNAMEs), "
            + flattenedHttps
            + " HTTPS questions answered with a target's flattened HTTPS RRset");
    if (questionsAsked > 1000) {
      // The generated cases must exercise HTTPS flattening, or this test says nothing of it.
      assertThat(flattenedHttps).as("HTTPS answers flattened from targets").isPositive();
    }
  }

  @TestFactory
  Stream<DynamicTest> liveAnswersAndTheFlattenedZoneAgree() {
    ExternalTool.NSD.require();
    return LongStream.range(0, CASES)
        .mapToObj(
            seed ->
                dynamicTest(
                    "seed " + seed,
                    () -> {
                      long first = seed - seed % BATCH;
                      String batch = "seeds " + first + ".." + Math.min(CASES, first + BATCH);
                      check(
                          serve(
                              batch,
                              () ->
                                  LongStream.range(first, Math.min(CASES, first + BATCH))
                                      .mapToObj(AgreementCase::generate)
                                      .collect(Collectors.toList()),
                              "seed " + seed));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> theSmallestShapesAgree() {
    ExternalTool.NSD.require();
    List<AgreementCase> shapes = AgreementShapes.all();
    return shapes.stream()
        .map(
            shape ->
                dynamicTest(
                    shape.name(), () -> check(serve("shapes", () -> shapes, shape.name()))));
  }

  /**
   * Returns a prepared case, starting NSD on its batch first unless that batch is being served. NSD
   * serves one batch at a time; a batch it cannot serve fails each of its cases, once each.
   */
  private static Prepared serve(String batch, Supplier<List<AgreementCase>> cases, String name)
      throws IOException, InterruptedException {
    if (!batch.equals(servedBatch)) {
      stopNsd();
      nsd = null;
      servedBatch = batch;
      prepared = Map.of();
      Map<String, Prepared> ready = new LinkedHashMap<>();
      Map<Name, String> zones = new LinkedHashMap<>();
      for (AgreementCase c : cases.get()) {
        Prepared p = Prepared.of(c);
        ready.put(c.name(), p);
        zones.put(c.source().origin(), p.flattenedText());
      }
      Path batchDir = Files.createDirectories(dir.resolve("batch" + (++batches)));
      nsd = NsdAuthority.start(batchDir, zones, false);
      prepared = ready;
    }
    Prepared p = prepared.get(name);
    if (p == null) {
      throw new IllegalStateException("NSD did not start for the batch of " + name);
    }
    return p;
  }

  private static void check(Prepared p) throws IOException {
    NsdAuthority server = nsd;
    if (server == null) {
      throw new IllegalStateException("NSD is not running");
    }
    AgreementCase c = p.input();
    Name origin = c.source().origin();
    List<String> disagreements = new ArrayList<>();
    for (Question q : c.questions()) {
      Record asked = Record.newRecord(q.name(), q.type(), DClass.IN);
      Message query = Message.newQuery(asked);
      query.getHeader().unsetFlag(Flags.RD);
      // The live answerer remembers what the previous run published, as a server does through
      // the flattened zone it serves ({@code flat::publication}).
      FlattenedZone before = p.previous();
      AliasPublications memory = before == null ? AliasPublications.none() : before::publication;
      Message live =
          new Message(
              p.live().answer(q, c.results(), memory, c.now()).toMessage(query).toWire());
      View expected = documentedDifference(p, q, live);
      boolean documented = expected != null;
      questionsAsked++;
      if (q.type() == Type.HTTPS && c.policy().flattensHttps() && madeExplicit(live)) {
        flattenedHttps++;
      }
      if (documented) {
        underTheDifference++;
      }
      if (expected == null) {
        expected = View.of(live, q, origin, false);
      }
      View flattened = View.of(server.ask(asked), q, origin, true);
      if (!expected.agrees(flattened, q.type() == Type.ANY)) {
        disagreements.add(
            q
                + "\n  "
                + reaches(c, q)
                + "\n  "
                + (documented ? "live SERVFAIL, so the flattened zone should answer" : "live")
                + ":\n"
                + expected
                + "\n  flattened (NSD):\n"
                + flattened);
      }
    }
    if (!disagreements.isEmpty()) {
      fail(
          disagreements.size()
              + " of "
              + c.questions().size()
              + " questions disagree\n"
              + c.describe()
              + "--- flattened zone (serial "
              + p.flattened().serial()
              + ")\n"
              + p.flattenedText()
              + "--- problems\n"
              + p.flattened().problems().stream()
                  .map(Object::toString)
                  .collect(Collectors.joining("\n"))
              + "\n--- disagreements\n"
              + String.join("\n\n", disagreements));
    }
  }

  /**
   * Whether an answer holds a ServiceMode record whose TargetName only flattening writes: a
   * target's "." made explicit, or the generated targets' {@code alt.cdn.example.net.}.
   */
  private static boolean madeExplicit(Message response) {
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof org.xbill.DNS.SVCBBase service && service.getSvcPriority() > 0) {
        String target = service.getTargetName().toString();
        if (!target.equals(".") && !target.equals("alt.example.net.")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Says which alias a question reaches, and what its target did, for a failure message. */
  private static String reaches(AgreementCase c, Question q) {
    int type = q.type() == Type.AAAA ? Type.AAAA : Type.A;
    Reach reach = reachAlias(c.source(), q.name(), type);
    if (reach == null) {
      return "reaches no alias";
    }
    boolean inZone = reach.target.subdomain(c.source().origin());
    return "reaches alias "
        + reach.aliasOwner
        + " -> "
        + reach.target
        + (inZone ? " (in-zone target)" : "")
        + (reach.explicit ? " (explicit " + Type.string(type) + " beside it)" : "")
        + (reach.chain.isEmpty() ? "" : " through " + reach.chain.size() + " CNAME(s)")
        + (inZone
            ? ""
            : ", "
                + Type.string(type)
                + " outcome "
                + c.outcomes().getOrDefault(reach.target + " " + Type.string(type), "?"));
  }

  // ---- the documented difference

  /**
   * Returns what the flattened zone must answer instead of a live SERVFAIL, or null where the live
   * answer is no SERVFAIL of an alias name with no usable answer (then the two agree).
   */
  private static @Nullable View documentedDifference(Prepared p, Question q, Message live) {
    AgreementCase c = p.input();
    FlatteningPolicy policy = c.policy();
    if (live.getRcode() != Rcode.SERVFAIL || !policy.synthesizes(q.type())) {
      return null;
    }
    Reach reach = reachAlias(c.source(), q.name(), q.type());
    if (reach == null || reach.explicit) {
      return null;
    }
    List<Record> answer = new ArrayList<>(reach.chain);
    List<Record> authority = new ArrayList<>();
    if (!reach.chain.isEmpty()) {
      throughCnames++;
    }
    // The live answerer was given the previous run's publications, so a SERVFAIL there means the
    // flattened zone has nothing to keep either: NODATA with the SOA (RFC 2308 §2.2, §3).
    SOARecord soa = p.flattened().zone().soa().orElseThrow();
    authority.add(withTtl(soa, Math.min(soa.getTTL(), soa.getMinimum())));
    return new View(
        Rcode.NOERROR, true, lines(answer), lines(authority), Set.of(), owners(answer, q.name()));
  }

  /** An alias reached from a query name: the CNAMEs on the way, the alias and the name reached. */
  private record Reach(
      List<Record> chain, Name aliasOwner, Name target, Name reached, boolean explicit) {}

  /**
   * Walks from the query name through in-zone CNAMEs (RFC 1034 §4.3.2) and wildcards (RFC 4592) to
   * an alias, telling whether explicit records of the type asked stand beside it; returns null if
   * the walk ends elsewhere.
   */
  private static @Nullable Reach reachAlias(Zone zone, Name qname, int qtype) {
    Name origin = zone.origin();
    Set<Name> existing = new HashSet<>();
    for (Name name : zone.names()) {
      for (Name n = name; n.labels() >= origin.labels(); n = new Name(n, 1)) {
        existing.add(n);
        if (n.labels() == origin.labels()) {
          break;
        }
      }
    }
    List<Record> chain = new ArrayList<>();
    Set<Name> visited = new HashSet<>();
    Name sname = qname;
    while (sname.subdomain(origin) && visited.add(sname)) {
      List<RecordSet> sets = zone.recordSets(sname);
      if (sets.isEmpty()) {
        if (existing.contains(sname)) {
          return null; // an empty non-terminal
        }
        Name encloser = new Name(sname, 1);
        while (!existing.contains(encloser)) {
          encloser = new Name(encloser, 1);
        }
        try {
          sets = zone.recordSets(Name.concatenate(Name.fromConstantString("*"), encloser));
        } catch (NameTooLongException e) {
          return null;
        }
      }
      RecordSet alias = null;
      RecordSet cname = null;
      boolean explicit = false;
      for (RecordSet set : sets) {
        if (AliasRecord.isAliasType(set.type()) && alias == null) {
          alias = set;
        } else if (set.type() == Type.CNAME) {
          cname = set;
        } else if (set.type() == qtype) {
          explicit = true;
        }
      }
      if (alias != null) {
        Name target = ((AliasRecord) alias.first()).getTarget();
        return new Reach(chain, alias.owner(), target, sname, explicit);
      }
      if (cname == null) {
        return null;
      }
      chain.add(cname.first().withName(sname));
      sname = ((CNAMERecord) cname.first()).getTarget();
    }
    return null;
  }

  // ---- comparing responses

  /**
   * A response as compared: code, AA, each section as a set of records in text (lower case,
   * whitespace collapsed), and the exact spelling of answer owners that are the query name.
   */
  private record View(
      int rcode,
      boolean aa,
      Set<String> answer,
      Set<String> authority,
      Set<String> additional,
      List<String> queryOwners) {

    static View of(Message m, Question q, Name origin, boolean fromNsd) {
      List<Record> answer = m.getSection(Section.ANSWER);
      List<Record> authority = m.getSection(Section.AUTHORITY);
      List<Record> additional = m.getSection(Section.ADDITIONAL);
      if (fromNsd
          && m.getRcode() == Rcode.NOERROR
          && !answer.isEmpty()
          && !authority.isEmpty()
          && authority.stream()
              .allMatch(r -> r.getType() == Type.NS && r.getName().equals(origin))) {
        // NSD's non-minimal extra: the apex NS RRset and its addresses, unless the answer
        // names those servers itself (RFC 1034 §4.3.2 step 6 makes both optional).
        Set<Name> servers = new HashSet<>();
        authority.forEach(r -> servers.add(((NSRecord) r).getTarget()));
        Set<Name> named = new HashSet<>();
        for (Record r : answer) {
          if (r instanceof MXRecord) {
            named.add(((MXRecord) r).getTarget());
          } else if (r instanceof NSRecord) {
            named.add(((NSRecord) r).getTarget());
          } else if (r instanceof SRVRecord) {
            named.add(((SRVRecord) r).getTarget());
          }
        }
        authority = List.of();
        additional =
            additional.stream()
                .filter(r -> !servers.contains(r.getName()) || named.contains(r.getName()))
                .collect(Collectors.toList());
      }
      if (q.type() == Type.HTTPS || q.type() == Type.SVCB) {
        // NSD 4.6 does no RFC 9460 §4.1 additional processing; ours is tested on its own
        // (ServiceBindingAdditionalTest), so the additional section is not compared here.
        additional = List.of();
      }
      return new View(
          m.getRcode(),
          m.getHeader().getFlag(Flags.AA),
          lines(answer),
          lines(authority),
          lines(additional),
          owners(answer, q.name()));
    }

    boolean agrees(View other, boolean codeOnly) {
      if (rcode != other.rcode || aa != other.aa) {
        return false;
      }
      return codeOnly
          || (answer.equals(other.answer)
              && authority.equals(other.authority)
              && additional.equals(other.additional)
              && queryOwners.equals(other.queryOwners));
    }

    @Override
    public String toString() {
      StringBuilder sb =
          new StringBuilder("    ").append(Rcode.string(rcode)).append(aa ? " aa" : "");
      section(sb, "answer", answer);
      section(sb, "authority", authority);
      section(sb, "additional", additional);
      if (!queryOwners.isEmpty()) {
        sb.append("\n    owners as asked: ").append(queryOwners);
      }
      return sb.toString();
    }

    private static void section(StringBuilder sb, String title, Set<String> records) {
      if (!records.isEmpty()) {
        sb.append("\n    ").append(title).append(':');
        records.forEach(r -> sb.append("\n      ").append(r));
      }
    }
  }

  private static Set<String> lines(List<Record> records) {
    Set<String> out = new TreeSet<>();
    for (Record r : records) {
      if (r.getType() != Type.OPT) {
        out.add(r.toString().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  /** Owners of answer records that are the query name, exactly as spelled (RFC 4343 §4.1). */
  private static List<String> owners(List<Record> answer, Name qname) {
    return answer.stream()
        .map(Record::getName)
        .filter(qname::equals)
        .map(Name::toString)
        .sorted()
        .collect(Collectors.toList());
  }

  private static SOARecord withSerial(SOARecord soa, long serial) {
    return new SOARecord(
        soa.getName(),
        soa.getDClass(),
        soa.getTTL(),
        soa.getHost(),
        soa.getAdmin(),
        serial,
        soa.getRefresh(),
        soa.getRetry(),
        soa.getExpire(),
        soa.getMinimum());
  }

  private static SOARecord withTtl(SOARecord soa, long ttl) {
    return new SOARecord(
        soa.getName(),
        soa.getDClass(),
        ttl,
        soa.getHost(),
        soa.getAdmin(),
        soa.getSerial(),
        soa.getRefresh(),
        soa.getRetry(),
        soa.getExpire(),
        soa.getMinimum());
  }
}
