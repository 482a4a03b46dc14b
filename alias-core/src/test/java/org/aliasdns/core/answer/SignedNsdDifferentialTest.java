package org.aliasdns.core.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.Denial;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.core.tools.NsdAuthority;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.zonefile.ZoneFileWriter;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.SRVRecord;

/**
 * Asks NSD serving a signed zone and {@link SignedAnswerer} answering from the same signed zone
 * the same questions with the DO bit, with NSEC and with NSEC3, and checks that they agree on
 * the response code, the AA flag, the answer section (RRSIGs included), the authority section
 * of negative answers and referrals (the NSEC/NSEC3 proofs and their RRSIGs) and the additional
 * section (addresses of NS, MX and SRV targets with their RRSIGs, glue without), as sets: what a
 * secondary holding the zone answers is what we answer (one NSD omission aside, {@link
 * #DNAME_NXDOMAIN}). NSD runs without minimal responses, so that it fills the additional
 * section; the apex NS RRset it then adds to the authority section of positive answers is
 * optional (RFC 1034 §4.3.2 step 6) and not compared, and neither are the addresses it adds
 * for that NS RRset only. NSD 4.6 adds nothing for SVCB and HTTPS (RFC 9460 §4.1 is a
 * SHOULD): {@code SignedAdditionalTest} holds those to {@link QueryAnswerer}'s.
 * Skipped with a printed reason without NSD (fails under {@code ALIAS_REQUIRE_TOOLS=1}).
 */
class SignedNsdDifferentialTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  private static final String ZONE =
      "$ORIGIN example.com.\n"
          + "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
          + "@ NS ns1\n"
          + "@ MX 10 mail\n"
          + "ns1 A 192.0.2.1\n"
          + "mail A 192.0.2.2\n"
          + "host A 192.0.2.10\n"
          + "www 300 CNAME host\n"
          + "api CNAME svc.cdn.example.net.\n"
          + "*.wild A 192.0.2.20\n"
          + "*.wild TXT \"wild\"\n"
          + "cw CNAME x.wild\n"
          + "sub 600 DNAME other\n"
          + "a.other A 192.0.2.31\n"
          + "b.c.ent A 192.0.2.30\n"
          + "deleg NS ns.deleg\n"
          + "deleg DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
          + "ns.deleg A 192.0.2.53\n"
          + "open NS ns.example.net.\n"
          + "v4 A 192.0.2.40\n"
          + "v4 AAAA 2001:db8::40\n"
          + "_sip._tcp SRV 0 5 5060 v4\n"
          + "_ldap._tcp SRV 0 5 389 ns.deleg\n"
          + "two MX 10 mail\n"
          + "two MX 20 v4\n"
          + "two MX 30 mx.example.net.\n";

  private static final List<String> QUESTIONS =
      List.of(
          "example.com. A",
          "example.com. MX",
          "example.com. NS",
          "two.example.com. MX",
          "_sip._tcp.example.com. SRV",
          "_ldap._tcp.example.com. SRV",
          "example.com. DNSKEY",
          "example.com. SOA",
          "host.example.com. A",
          "host.example.com. AAAA",
          "v4.example.com. AAAA",
          "nope.example.com. A",
          "x.nope.example.com. TXT",
          "www.example.com. A",
          "api.example.com. A",
          "foo.wild.example.com. A",
          "foo.bar.wild.example.com. TXT",
          "foo.wild.example.com. MX",
          "cw.example.com. A",
          "a.sub.example.com. A",
          "zz.sub.example.com. A",
          "c.ent.example.com. A",
          "ent.example.com. TXT",
          "deleg.example.com. DS",
          "x.deleg.example.com. A",
          "open.example.com. DS",
          "x.open.example.com. A");

  /**
   * An NXDOMAIN reached through a DNAME: NSD 4.6 proves only that the wildcard does not exist,
   * leaving out the NSEC that covers the rewritten name itself; we give both (RFC 4035
   * §3.1.3.2), so there ours must hold all of NSD's and may hold more.
   */
  private static final String DNAME_NXDOMAIN = "zz.sub.example.com. A";

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicNode> nsdAndWeGiveTheSameSignedAnswers() throws Exception {
    Zone zone = ZoneFileReader.forOrigin(ORIGIN).read(ZONE, "example.com.zone").zone();
    SigningKey key =
        SigningKey.generate(
            ORIGIN, DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED, 3600,
            new SecureRandom());
    Instant now = Instant.now();
    return Stream.of(Denial.nsec(), Denial.nsec3())
        .map(
            denial -> {
              Zone signed =
                  ZoneSigner.of(List.of(key), SigningPolicy.builder().denial(denial).build())
                      .sign(zone, now)
                      .zone();
              SignedAnswerer ours = SignedAnswerer.of(signed);
              return DynamicContainer.dynamicContainer(
                  denial.toString(),
                  QUESTIONS.stream()
                      .map(q -> dynamicTest(q, () -> compare(denial.toString(), signed, ours, q))));
            });
  }

  private NsdAuthority nsd(String denial, Zone signed) throws Exception {
    Path at = dir.resolve(denial.replace(' ', '_'));
    if (!Files.exists(at.resolve("nsd.conf"))) {
      Files.createDirectories(at);
      NsdAuthority started =
          NsdAuthority.start(at, Map.of(ORIGIN, ZoneFileWriter.defaults().toText(signed)), false);
      servers.put(denial, started);
    }
    return java.util.Objects.requireNonNull(servers.get(denial), denial);
  }

  private final Map<String, NsdAuthority> servers = new java.util.concurrent.ConcurrentHashMap<>();

  @org.junit.jupiter.api.AfterEach
  void stop() {
    servers.values().forEach(NsdAuthority::close);
  }

  private void compare(String denial, Zone signed, SignedAnswerer ours, String question)
      throws Exception {
    NsdAuthority server = nsd(denial, signed);
    String[] parts = question.split(" ");
    Message query =
        Message.newQuery(
            Record.newRecord(Name.fromString(parts[0]), Type.value(parts[1]), DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    SimpleResolver client =
        new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    client.setTCP(true);
    client.setTimeout(Duration.ofSeconds(2));
    client.setEDNS(0, 4096, ExtendedFlags.DO);
    Message theirs = client.send(query);
    Response answer = ours.answer(Question.from(query));
    String what = question + "\nNSD:\n" + theirs + "\nours:\n" + answer;
    assertThat(Rcode.string(answer.rcode())).as(what).isEqualTo(Rcode.string(theirs.getRcode()));
    assertThat(answer.authoritative()).as(what).isEqualTo(theirs.getHeader().getFlag(Flags.AA));
    assertThat(lines(answer.answer()))
        .as(what)
        .containsExactlyInAnyOrderElementsOf(lines(theirs.getSection(Section.ANSWER)));
    boolean positive =
        answer.rcode() == Rcode.NOERROR && answer.authoritative() && !answer.answer().isEmpty()
            && answer.authority().stream().noneMatch(r -> r.getType() == Type.SOA);
    if (question.equals(DNAME_NXDOMAIN)) {
      assertThat(lines(answer.authority()))
          .as(what)
          .containsAll(lines(theirs.getSection(Section.AUTHORITY)));
    } else if (!positive || answer.answer().stream().anyMatch(r -> isExpanded(r, signed))) {
      List<Record> theirAuthority = new ArrayList<>();
      for (Record r : theirs.getSection(Section.AUTHORITY)) {
        boolean apexNs =
            r.getName().equals(ORIGIN)
                && (r.getType() == Type.NS
                    || (r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.NS));
        if (!(positive && apexNs)) {
          theirAuthority.add(r);
        }
      }
      assertThat(lines(answer.authority()))
          .as(what)
          .containsExactlyInAnyOrderElementsOf(lines(theirAuthority));
    }
    // RFC 4035 §3.1.1: additional RRsets with their RRSIGs where they are signed data. Left
    // out of NSD's: the addresses of the name servers of the NS RRset it adds to authority.
    Set<Name> ourTargets = new HashSet<>();
    answer.answer().forEach(r -> addTarget(r, ourTargets));
    answer.authority().forEach(r -> addTarget(r, ourTargets));
    Set<Name> authorityOnly = new HashSet<>();
    if (positive) {
      theirs.getSection(Section.AUTHORITY).forEach(r -> addTarget(r, authorityOnly));
      authorityOnly.removeAll(ourTargets);
    }
    List<Record> theirAdditional = new ArrayList<>();
    for (Record r : theirs.getSection(Section.ADDITIONAL)) {
      if (!authorityOnly.contains(r.getName())) {
        theirAdditional.add(r);
      }
    }
    assertThat(lines(answer.additional()))
        .as(what)
        .containsExactlyInAnyOrderElementsOf(lines(theirAdditional));
  }

  private static void addTarget(Record r, Set<Name> out) {
    if (r instanceof NSRecord ns) {
      out.add(ns.getTarget());
    } else if (r instanceof MXRecord mx) {
      out.add(mx.getTarget());
    } else if (r instanceof SRVRecord srv) {
      out.add(srv.getTarget());
    }
  }

  /** A record owned by a name the zone does not hold: a wildcard expansion. */
  private static boolean isExpanded(Record r, Zone signed) {
    return r.getName().subdomain(ORIGIN) && !signed.contains(r.getName())
        && r.getType() != Type.CNAME;
  }

  private static List<String> lines(List<Record> records) {
    return records.stream()
        .filter(r -> r.getType() != Type.OPT)
        .map(r -> r.toString().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT))
        .collect(Collectors.toList());
  }
}
