package org.aliasdns.resolver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import org.aliasdns.core.Hop;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** What the resolver accepts from one upstream response, and what it refuses. */
class ResponseParserTest {
  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (IOException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  /** A record from "owner ttl TYPE rdata". */
  static Record rr(String line) {
    int afterOwner = line.indexOf(' ');
    int afterTtl = line.indexOf(' ', afterOwner + 1);
    int afterType = line.indexOf(' ', afterTtl + 1);
    try {
      return Record.fromString(
          name(line.substring(0, afterOwner)),
          Type.value(line.substring(afterTtl + 1, afterType)),
          DClass.IN,
          Long.parseLong(line.substring(afterOwner + 1, afterTtl)),
          line.substring(afterType + 1),
          Name.root);
    } catch (IOException e) {
      throw new IllegalArgumentException(line, e);
    }
  }

  static Message query(String qname, int type) {
    return Message.newQuery(Record.newRecord(name(qname), type, DClass.IN));
  }

  static Message reply(Message query, int rcode, String... answers) {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setRcode(rcode);
    reply.addRecord(query.getQuestion(), Section.QUESTION);
    for (String a : answers) {
      reply.addRecord(rr(a), Section.ANSWER);
    }
    return reply;
  }

  @Test
  void takesTheContiguousChainFromTheQuestionAndIgnoresEverythingElse() throws Exception {
    Message q = query("www.example.net.", Type.A);
    Message r =
        reply(
            q,
            Rcode.NOERROR,
            "www.example.net. 300 CNAME cdn.example.org.",
            "bank.example. 86400 A 198.51.100.66",
            "other.example.net. 300 CNAME evil.example.",
            "cdn.example.org. 60 A 192.0.2.10");
    r.addRecord(rr("www.example.net. 86400 A 198.51.100.99"), Section.ADDITIONAL);

    Step step = ResponseParser.parse(q, r, NOW);

    assertThat(step.outcome()).isEqualTo(Step.Outcome.ANSWER);
    assertThat(step.hops())
        .containsExactly(Hop.cname(name("www.example.net."), name("cdn.example.org."), 300));
    assertThat(Objects.requireNonNull(step.records()).records()).extracting(Record::rdataToString).containsExactly("192.0.2.10");
  }

  @Test
  void theQuestionNameMatchesIgnoringCase() throws Exception {
    Message q = query("WWW.Example.NET.", Type.A);
    Message r = reply(q, Rcode.NOERROR, "www.example.net. 60 A 192.0.2.1");

    assertThat(ResponseParser.parse(q, r, NOW).outcome()).isEqualTo(Step.Outcome.ANSWER);
  }

  @Test
  void aResponseWithAnotherIdIsRefused() {
    Message q = query("www.example.net.", Type.A);
    Message r = reply(q, Rcode.NOERROR, "www.example.net. 60 A 192.0.2.1");
    r.getHeader().setID((q.getHeader().getID() + 1) & 0xFFFF);

    assertThatThrownBy(() -> ResponseParser.parse(q, r, NOW))
        .isInstanceOf(UpstreamFailure.class)
        .hasMessageContaining("does not match query id");
  }

  @Test
  void aResponseToAnotherQuestionIsRefused() {
    Message q = query("www.example.net.", Type.A);
    Message other = query("www.example.org.", Type.A);
    other.getHeader().setID(q.getHeader().getID());
    Message r = reply(other, Rcode.NOERROR, "www.example.net. 60 A 192.0.2.1");

    assertThatThrownBy(() -> ResponseParser.parse(q, r, NOW))
        .isInstanceOf(UpstreamFailure.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void anNxDomainThatCarriesTheDataAskedForIsMalformed() {
    // RFC 6604 §2: the code speaks of the chain's last name, which cannot both exist and hold A.
    Message q = query("www.example.net.", Type.A);
    Message r = reply(q, Rcode.NXDOMAIN, "www.example.net. 60 A 192.0.2.1");

    assertThatThrownBy(() -> ResponseParser.parse(q, r, NOW))
        .isInstanceOf(UpstreamFailure.class)
        .hasMessageContaining("NXDOMAIN with A records at www.example.net.");
  }

  @Test
  void aResponseToAnotherTypeIsRefused() {
    Message q = query("www.example.net.", Type.A);
    Message other = query("www.example.net.", Type.AAAA);
    other.getHeader().setID(q.getHeader().getID());

    assertThatThrownBy(() -> ResponseParser.parse(q, reply(other, Rcode.NOERROR), NOW))
        .isInstanceOf(UpstreamFailure.class);
  }

  @Test
  void servfailWithoutAChainIsAFailure() {
    Message q = query("www.example.net.", Type.A);

    assertThatThrownBy(() -> ResponseParser.parse(q, reply(q, Rcode.SERVFAIL), NOW))
        .isInstanceOf(UpstreamFailure.class)
        .hasMessageContaining("SERVFAIL");
  }

  @Test
  void servfailWithAPartialChainKeepsTheHopsButFails() throws Exception {
    Message q = query("a.example.net.", Type.A);
    Message r =
        reply(
            q,
            Rcode.SERVFAIL,
            "a.example.net. 60 CNAME b.example.net.",
            "b.example.net. 60 CNAME a.example.net.");

    Step step = ResponseParser.parse(q, r, NOW);

    assertThat(step.outcome()).isEqualTo(Step.Outcome.FAILED);
    assertThat(step.hops()).hasSize(2);
    UpstreamFailure failure = java.util.Objects.requireNonNull(step.failure());
    assertThat(failure.reason()).contains("SERVFAIL");
    assertThat(failure.kind()).isEqualTo(org.aliasdns.core.Resolution.Failure.Kind.SERVFAIL);
  }

  @Test
  void twoDifferentCnamesAtOneOwnerAreRefused() {
    Message q = query("www.example.net.", Type.A);
    Message r =
        reply(
            q,
            Rcode.NOERROR,
            "www.example.net. 60 CNAME a.example.org.",
            "www.example.net. 60 CNAME b.example.org.");

    assertThatThrownBy(() -> ResponseParser.parse(q, r, NOW))
        .isInstanceOf(UpstreamFailure.class)
        .hasMessageContaining("several CNAMEs");
  }

  @Test
  void aDnameHopTakesTheDnamesTtl() throws Exception {
    Message q = query("www.old.example.", Type.A);
    Message r =
        reply(
            q,
            Rcode.NOERROR,
            "old.example. 120 DNAME new.example.",
            "www.old.example. 0 CNAME www.new.example.",
            "www.new.example. 300 A 192.0.2.7");

    Step step = ResponseParser.parse(q, r, NOW);

    assertThat(step.hops())
        .containsExactly(Hop.dname(name("www.old.example."), name("www.new.example."), 120));
    assertThat(step.outcome()).isEqualTo(Step.Outcome.ANSWER);
  }

  @Test
  void aChainEndingAtANameWithoutDataOrSoaAsksAgain() throws Exception {
    Message q = query("www.example.net.", Type.A);
    Message r = reply(q, Rcode.NOERROR, "www.example.net. 300 CNAME edge.example.org.");

    Step step = ResponseParser.parse(q, r, NOW);

    assertThat(step.outcome()).isEqualTo(Step.Outcome.CONTINUE);
    assertThat(step.end()).isEqualTo(name("edge.example.org."));
  }

  @Test
  void theNegativeTtlIsTheSmallerOfSoaTtlAndMinimum() throws Exception {
    Message q = query("www.example.net.", Type.AAAA);
    Message r = reply(q, Rcode.NOERROR);
    r.addRecord(
        rr("example.net. 600 SOA ns.example.net. host.example.net. 1 3600 600 86400 120"),
        Section.AUTHORITY);

    Step step = ResponseParser.parse(q, r, NOW);

    assertThat(step.outcome()).isEqualTo(Step.Outcome.NODATA);
    assertThat(step.negativeTtl()).isEqualTo(120);
  }

  @Test
  void aSoaThatDoesNotCoverTheNameIsNotUsedForNegativeCaching() throws Exception {
    Message q = query("nope.example.net.", Type.A);
    Message r = reply(q, Rcode.NXDOMAIN);
    r.addRecord(
        rr("bank.example. 600 SOA ns.bank.example. host.bank.example. 1 3600 600 86400 86400"),
        Section.AUTHORITY);
    r.addRecord(
        rr("example.net. 600 SOA ns.example.net. host.example.net. 1 3600 600 86400 60"),
        Section.ADDITIONAL);

    Step step = ResponseParser.parse(q, r, NOW);

    assertThat(step.outcome()).isEqualTo(Step.Outcome.NXDOMAIN);
    assertThat(step.negativeTtl()).isZero();
  }

  @Test
  void recordsOfAnotherClassAreIgnored() throws Exception {
    Message q = query("www.example.net.", Type.A);
    Message r = reply(q, Rcode.NOERROR);
    r.addRecord(
        Record.fromString(name("www.example.net."), Type.A, DClass.CH, 60, "192.0.2.1", Name.root),
        Section.ANSWER);

    Step step = ResponseParser.parse(q, r, NOW);

    assertThat(step.outcome()).isEqualTo(Step.Outcome.NODATA);
    assertThat(step.negativeTtl()).isZero();
  }

  @Test
  void aCnameBesideDataOfTheAskedTypeIsRefused() {
    Message q = query("www.example.net.", Type.A);
    Message r =
        reply(
            q,
            Rcode.NOERROR,
            "www.example.net. 300 CNAME cdn.example.org.",
            "cdn.example.org. 60 A 192.0.2.10",
            "www.example.net. 86400 A 198.51.100.99");

    assertThatThrownBy(() -> ResponseParser.parse(q, r, NOW))
        .isInstanceOf(UpstreamFailure.class)
        .hasMessageContaining("CNAME and A");
  }
}
