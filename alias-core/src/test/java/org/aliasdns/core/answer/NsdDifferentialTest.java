package org.aliasdns.core.answer;

import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Asks NSD, an authoritative server, and {@link QueryAnswerer} the same questions about the
 * same zone (no aliases: NSD does not synthesize them) and checks that they agree on the
 * response code, the AA flag and the answer section record for record, owner case included;
 * on the authority section of negative answers and referrals; and on referral glue.
 *
 * <p>Not compared, by design: NSD puts the apex NS RRset in the authority section of positive
 * answers (we give minimal responses, as BIND's {@code minimal-responses yes} and Knot do, RFC
 * 1034 §4.3.2 step 6 making it optional); its choice of RRset for ANY (RFC 8482 §4.1 leaves the
 * choice to the server); and an in-zone CNAME loop, which NSD answers NOERROR with the chain
 * while we answer SERVFAIL (see {@link QueryAnswerer}).
 *
 * <p>When NSD is not installed the test is skipped with a reason printed; with {@code
 * ALIAS_REQUIRE_TOOLS=1} it fails instead.
 */
class NsdDifferentialTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  private static final String ZONE =
      "$ORIGIN example.com.\n"
          + "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
          + "@ NS ns1\n"
          + "@ NS ns2.example.net.\n"
          + "@ MX 10 mail\n"
          + "ns1 A 192.0.2.1\n"
          + "mail A 192.0.2.2\n"
          + "mail AAAA 2001:db8::2\n"
          + "host A 192.0.2.10\n"
          + "Upper A 192.0.2.11\n"
          + "www 300 CNAME host\n"
          + "api CNAME svc.cdn.example.net.\n"
          + "chain1 CNAME chain2\n"
          + "chain2 CNAME host\n"
          + "dangling CNAME nowhere\n"
          + "*.wild A 192.0.2.20\n"
          + "*.wild TXT \"wild\"\n"
          + "cw CNAME x.wild\n"
          + "sub 600 DNAME other\n"
          + "dn CNAME a.sub\n"
          + "a.other CNAME host\n"
          + "b.c.ent A 192.0.2.30\n"
          + "deleg NS ns.deleg\n"
          + "deleg NS ns.example.net.\n"
          + "deleg DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
          + "ns.deleg A 192.0.2.53\n"
          + "todeleg CNAME www.deleg\n"
          + "srv SRV 0 5 443 host\n";

  /** Each question as {@code name type}. */
  private static final List<String> QUESTIONS =
      List.of(
          "host.example.com. A",
          "HoSt.ExAmPlE.com. A",
          "upper.example.com. A",
          "host.example.com. AAAA",
          "host.example.com. TXT",
          "nope.example.com. A",
          "nope.example.com. MX",
          "example.com. NS",
          "example.com. SOA",
          "example.com. MX",
          "example.com. A",
          "www.example.com. A",
          "WWW.example.com. A",
          "www.example.com. CNAME",
          "www.example.com. TXT",
          "api.example.com. A",
          "chain1.example.com. A",
          "chain1.example.com. AAAA",
          "dangling.example.com. A",
          "foo.wild.example.com. A",
          "Foo.Bar.Wild.example.com. A",
          "foo.wild.example.com. TXT",
          "foo.wild.example.com. MX",
          "cw.example.com. A",
          "a.sub.example.com. A",
          "A.Sub.example.com. A",
          "x.y.sub.example.com. A",
          "sub.example.com. DNAME",
          "sub.example.com. A",
          "dn.example.com. A",
          "c.ent.example.com. A",
          "ent.example.com. A",
          "deleg.example.com. A",
          "deleg.example.com. NS",
          "deleg.example.com. DS",
          "ns.deleg.example.com. A",
          "x.deleg.example.com. A",
          "todeleg.example.com. A",
          "srv.example.com. SRV");

  private static @Nullable Process nsd;
  private static int port;

  @BeforeAll
  static void startNsd(@TempDir Path dir) throws Exception {
    Path exe = requireNsd();
    Files.writeString(dir.resolve("example.com.zone"), ZONE, StandardCharsets.UTF_8);
    port = freePort();
    String conf =
        "server:\n"
            + "  ip-address: 127.0.0.1\n"
            + "  port: " + port + "\n"
            + "  username: \"\"\n"
            + "  chroot: \"\"\n"
            + "  zonesdir: \"" + dir + "\"\n"
            + "  database: \"\"\n"
            + "  pidfile: \"" + dir.resolve("nsd.pid") + "\"\n"
            + "  xfrdfile: \"" + dir.resolve("xfrd.state") + "\"\n"
            + "  zonelistfile: \"" + dir.resolve("zone.list") + "\"\n"
            + "  logfile: \"" + dir.resolve("nsd.log") + "\"\n"
            + "  server-count: 1\n"
            + "remote-control:\n"
            + "  control-enable: no\n"
            + "zone:\n"
            + "  name: example.com\n"
            + "  zonefile: example.com.zone\n";
    Path confFile = dir.resolve("nsd.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    Process started =
        new ProcessBuilder(exe.toString(), "-d", "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nsd.out").toFile())
            .start();
    nsd = started;
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      try {
        if (ask("example.com. SOA").getRcode() == Rcode.NOERROR) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (Instant.now().isAfter(deadline) || !started.isAlive()) {
        fail("NSD did not start: " + Files.readString(dir.resolve("nsd.out")));
      }
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stopNsd() throws InterruptedException {
    Process p = nsd;
    if (p != null) {
      p.destroy();
      if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static Path requireNsd() {
    Optional<Path> found =
        Stream.of("/usr/sbin/nsd", "/usr/local/sbin/nsd", "/usr/bin/nsd")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      String reason = "nsd is not installed (apt-get install nsd); test skipped";
      if ("1".equals(System.getenv("ALIAS_REQUIRE_TOOLS"))) {
        fail(reason.replace("test skipped", "and ALIAS_REQUIRE_TOOLS=1"));
      }
      System.out.println("SKIPPED: " + reason);
      Assumptions.abort(reason);
    }
    return found.get();
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int candidate = tcp.getLocalPort();
        try (DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate))) {
          return candidate;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no free port");
  }

  private static Message query(String question) {
    String[] parts = question.split(" ");
    Message q =
        Message.newQuery(
            Record.newRecord(Rr.name(parts[0]), Type.value(parts[1]), DClass.IN));
    q.getHeader().unsetFlag(Flags.RD);
    return q;
  }

  private static Message ask(String question) throws IOException {
    SimpleResolver resolver =
        new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    resolver.setTimeout(Duration.ofSeconds(2));
    resolver.setTCP(true); // no truncation surprises
    return resolver.send(query(question));
  }

  private static List<String> lines(List<Record> records) {
    return records.stream()
        .filter(r -> r.getType() != Type.OPT)
        .map(r -> r.toString().replaceAll("\\s+", " "))
        .collect(Collectors.toList());
  }

  @TestFactory
  Stream<DynamicTest> nsdAndWeGiveTheSameAnswers() {
    Zone zone = ZoneFileReader.forOrigin(ORIGIN).read(ZONE, "example.com.zone").zone();
    QueryAnswerer answerer = QueryAnswerer.of(zone, FlatteningPolicy.defaults());
    return QUESTIONS.stream()
        .map(
            question ->
                dynamicTest(
                    question,
                    () -> {
                      Message theirs = ask(question);
                      Message query = query(question);
                      Message ours =
                          new Message(
                              answerer
                                  .answer(Question.from(query), AliasResults.empty(), Instant.EPOCH)
                                  .toMessage(query)
                                  .toWire());
                      String what = question + "\nNSD:\n" + theirs + "\nours:\n" + ours;
                      assertThat(Rcode.string(ours.getRcode()))
                          .as(what)
                          .isEqualTo(Rcode.string(theirs.getRcode()));
                      assertThat(ours.getHeader().getFlag(Flags.AA))
                          .as(what)
                          .isEqualTo(theirs.getHeader().getFlag(Flags.AA));
                      assertThat(lower(lines(ours.getSection(Section.ANSWER))))
                          .as(what)
                          .containsExactlyElementsOf(
                              lower(lines(theirs.getSection(Section.ANSWER))));
                      assertThat(queryOwners(ours))
                          .as(what)
                          .containsExactlyElementsOf(queryOwners(theirs));
                      boolean referral = !ours.getHeader().getFlag(Flags.AA)
                          || isReferral(ours);
                      boolean negative = ours.getSection(Section.AUTHORITY).stream()
                          .anyMatch(r -> r.getType() == Type.SOA);
                      if (negative || referral) {
                        assertThat(lines(ours.getSection(Section.AUTHORITY)))
                            .as(what)
                            .containsExactlyInAnyOrderElementsOf(
                                lines(theirs.getSection(Section.AUTHORITY)));
                      }
                      if (referral) {
                        assertThat(lines(ours.getSection(Section.ADDITIONAL)))
                            .as(what)
                            .containsExactlyInAnyOrderElementsOf(
                                lines(theirs.getSection(Section.ADDITIONAL)));
                      }
                    }));
  }

  private static List<String> lower(List<String> lines) {
    return lines.stream().map(l -> l.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toList());
  }

  /**
   * The exact spelling of answer owners that are the query name. Other names are compared
   * ignoring case: wire compression reuses whichever spelling came first, and a server may
   * spell a DNAME-synthesized target with its own data's case (NSD) or the query's (we do).
   */
  private static List<String> queryOwners(Message m) {
    Name qname = m.getQuestion().getName();
    return m.getSection(Section.ANSWER).stream()
        .map(Record::getName)
        .filter(qname::equals)
        .map(Name::toString)
        .collect(Collectors.toList());
  }

  private static boolean isReferral(Message m) {
    List<Record> authority = new ArrayList<>(m.getSection(Section.AUTHORITY));
    return !authority.isEmpty() && authority.stream().allMatch(r -> r.getType() == Type.NS)
        && !authority.get(0).getName().equals(ORIGIN);
  }
}
