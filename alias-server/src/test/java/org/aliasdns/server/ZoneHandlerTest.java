package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Collectors;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** {@link ZoneHandler} through {@link DnsServer#exchange}, the listeners' own path. */
class ZoneHandlerTest {
  private final ZoneHandler handler =
      ZoneHandler.builder().clock(InstantSource.fixed(Zones.NOW)).build();
  private final DnsServer server = DnsServer.builder(handler).build();

  private List<Message> ask(Message query, Transport transport, InetSocketAddress client)
      throws Exception {
    return server.exchange(query.toWire(), client, transport).toCompletableFuture().get().stream()
        .map(ZoneHandlerTest::parse)
        .collect(Collectors.toList());
  }

  private Message ask(Message query, Transport transport) throws Exception {
    List<Message> out = ask(query, transport, Wire.CLIENT);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  private Message ask(String name, int type) throws Exception {
    return ask(Wire.query(name, type), Transport.UDP);
  }

  private static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> answers(Message m) {
    return m.getSection(Section.ANSWER).stream()
        .map(
            r ->
                r.getName()
                    + " "
                    + r.getTTL()
                    + " "
                    + Type.string(r.getType())
                    + " "
                    + r.rdataToString())
        .collect(Collectors.toList());
  }

  @Test
  void aNameUnderNoServedZoneIsRefusedWithoutAa() throws Exception {
    handler.serve(Zones.example());
    Message reply = ask("www.example.org.", Type.A);
    assertThat(reply.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(ask("com.", Type.NS).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void anEmptyHandlerRefusesEverything() throws Exception {
    assertThat(ask("example.com.", Type.SOA).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void ordinaryRecordsAreAnsweredAuthoritatively() throws Exception {
    handler.serve(Zones.example());
    Message reply = ask("HOST.example.com.", Type.A);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(answers(reply)).containsExactly("HOST.example.com. 3600 A 192.0.2.10");
    Message nx = ask("nope.example.com.", Type.A);
    assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(nx.getSection(Section.AUTHORITY).get(0).getType()).isEqualTo(Type.SOA);
  }

  @Test
  void theApexAliasAnswersAFromTheAliasResults() throws Exception {
    handler.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    Message reply = ask("example.com.", Type.A);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    // TTL: min(ALIAS 3600, A 300)
    assertThat(answers(reply)).containsExactly("example.com. 300 A 192.0.2.80");
    // MX beside the alias is served normally
    assertThat(answers(ask("example.com.", Type.MX)))
        .containsExactly("example.com. 3600 MX 10 mail.example.com.");
  }

  @Test
  void newResultsAndZonesAreVisibleToTheNextQuery() throws Exception {
    handler.serve(Zones.example());
    handler.results(Zones.resolvedTo("192.0.2.80"));
    assertThat(answers(ask("example.com.", Type.A)))
        .containsExactly("example.com. 300 A 192.0.2.80");

    handler.results(Zones.resolvedTo("192.0.2.81"));
    assertThat(answers(ask("example.com.", Type.A)))
        .containsExactly("example.com. 300 A 192.0.2.81");

    handler.serve(Zones.exampleChanged(2, "192.0.2.11"));
    assertThat(answers(ask("host.example.com.", Type.A)))
        .containsExactly("host.example.com. 3600 A 192.0.2.11");
    assertThat(answers(ask("example.com.", Type.A)))
        .as("replacing a zone keeps the results")
        .containsExactly("example.com. 300 A 192.0.2.81");
    assertThat(
            handler.zone(Wire.name("EXAMPLE.com.")).orElseThrow().soa().orElseThrow().getSerial())
        .isEqualTo(2);
  }

  @Test
  void aZoneServedWithItsOwnResultsAnswersFromThemAndLeavesOtherZonesAlone() throws Exception {
    Zone other = Zones.parse("example.org.", Zones.EXAMPLE.replace("example.com.", "example.org."));
    handler.serve(Zones.example(), Zones.resolvedTo("192.0.2.80"));
    handler.serve(other, Zones.resolvedTo("192.0.2.90"));

    handler.results(Zones.resolvedTo("192.0.2.99")); // shared results: neither zone uses them

    assertThat(answers(ask("example.com.", Type.A)))
        .containsExactly("example.com. 300 A 192.0.2.80");
    assertThat(answers(ask("example.org.", Type.A)))
        .containsExactly("example.org. 300 A 192.0.2.90");

    handler.serve(Zones.exampleChanged(2, "192.0.2.11"), Zones.resolvedTo("192.0.2.81"));
    assertThat(answers(ask("example.com.", Type.A)))
        .containsExactly("example.com. 300 A 192.0.2.81");
    assertThat(answers(ask("example.org.", Type.A)))
        .as("serving one zone leaves the others' results as they were")
        .containsExactly("example.org. 300 A 192.0.2.90");

    handler.serve(other); // served again without results of its own: the shared ones
    assertThat(answers(ask("example.org.", Type.A)))
        .containsExactly("example.org. 300 A 192.0.2.99");
  }

  @Test
  void updateReplacesEveryZoneAndTheResultsAtOnce() throws Exception {
    handler.serve(Zones.example());
    handler.update(List.of(Zones.big(3)), AliasResults.empty());
    assertThat(handler.zone(Zones.ORIGIN)).isEmpty();
    assertThat(ask("host.example.com.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ask("big.example.", Type.SOA).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void theLongestMatchingOriginAnswers() throws Exception {
    handler.serve(Zones.example());
    handler.serve(
        Zones.parse(
            "sub.example.com.",
            "$TTL 60\n@ SOA ns1 hostmaster 5 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.5\n"
                + "host A 192.0.2.55\n"));
    assertThat(answers(ask("host.sub.example.com.", Type.A)))
        .containsExactly("host.sub.example.com. 60 A 192.0.2.55");
    assertThat(answers(ask("host.example.com.", Type.A)))
        .containsExactly("host.example.com. 3600 A 192.0.2.10");
  }

  @Test
  void aWithdrawnZoneIsRefused() throws Exception {
    handler.serve(Zones.example());
    handler.withdraw(Wire.name("Example.COM."));
    assertThat(handler.zone(Zones.ORIGIN)).isEmpty();
    assertThat(ask("host.example.com.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void aClassOtherThanInIsRefusedAndAnyIsAnsweredAsIn() throws Exception {
    handler.serve(Zones.example());
    Message chaos =
        Message.newQuery(Record.newRecord(Wire.name("host.example.com."), Type.A, DClass.CH));
    assertThat(ask(chaos, Transport.UDP).getRcode()).isEqualTo(Rcode.REFUSED);
    Message any =
        Message.newQuery(Record.newRecord(Wire.name("host.example.com."), Type.A, DClass.ANY));
    Message reply = ask(any, Transport.UDP);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getQuestion().getDClass()).isEqualTo(DClass.ANY);
    assertThat(answers(reply)).containsExactly("host.example.com. 3600 A 192.0.2.10");
  }

  @Test
  void notifyIsNotImplementedOnAPrimary() throws Exception {
    handler.serve(Zones.example());
    Message notify = Message.newQuery(Record.newRecord(Zones.ORIGIN, Type.SOA, DClass.IN));
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.AA);
    Message reply = ask(notify, Transport.UDP);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(reply.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
  }

  @Test
  void axfrOverUdpIsRefused() throws Exception {
    handler.serve(Zones.example());
    assertThat(ask(Wire.query("example.com.", Type.AXFR), Transport.UDP).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }

  @Test
  void axfrFromAnAddressOutsideTheAclIsRefused() throws Exception {
    handler.serve(Zones.example());
    InetSocketAddress outsider =
        new InetSocketAddress(org.xbill.DNS.Address.getByAddress("192.0.2.99"), 4000);
    List<Message> out = ask(Wire.query("example.com.", Type.AXFR), Transport.TCP, outsider);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(out.get(0).getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void theAclIsConfigurable() throws Exception {
    ZoneHandler open = ZoneHandler.builder().allowTransfer(address -> true).build();
    open.serve(Zones.example());
    DnsServer openServer = DnsServer.builder(open).build();
    InetSocketAddress outsider =
        new InetSocketAddress(org.xbill.DNS.Address.getByAddress("192.0.2.99"), 4000);
    List<byte[]> out =
        openServer
            .exchange(Wire.query("example.com.", Type.AXFR).toWire(), outsider, Transport.TCP)
            .toCompletableFuture()
            .get();
    assertThat(parse(out.get(0)).getSection(Section.ANSWER)).isNotEmpty();
  }

  @Test
  void axfrOfANameThatIsNoServedOriginIsNotauth() throws Exception {
    handler.serve(Zones.example());
    assertThat(ask(Wire.query("host.example.com.", Type.AXFR), Transport.TCP).getRcode())
        .isEqualTo(Rcode.NOTAUTH);
    assertThat(ask(Wire.query("example.org.", Type.AXFR), Transport.TCP).getRcode())
        .isEqualTo(Rcode.NOTAUTH);
  }

  @Test
  void axfrStreamsSoaEveryRecordAsServedThenSoa() throws Exception {
    Zone zone = Zones.example();
    handler.serve(zone);
    Message query = Wire.query("example.com.", Type.AXFR);
    List<Message> stream = ask(query, Transport.TCP, Wire.CLIENT);
    List<Record> records =
        stream.stream()
            .flatMap(m -> m.getSection(Section.ANSWER).stream())
            .collect(Collectors.toList());
    assertThat(records.get(0).getType()).isEqualTo(Type.SOA);
    assertThat(records.get(records.size() - 1)).isEqualTo(records.get(0));
    assertThat(records).hasSize((int) zone.recordCount() + 1);
    // the alias record goes out as the zone holds it
    assertThat(records).anyMatch(r -> Type.string(r.getType()).equals("ALIAS"));
    for (Message m : stream) {
      assertThat(m.getHeader().getID()).isEqualTo(query.getHeader().getID());
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    }
    assertThat(stream.get(0).getQuestion().getType()).isEqualTo(Type.AXFR);
  }

  @Test
  void aLargeAxfrIsSplitBetweenRecordsWithTheQuestionOnlyInTheFirstMessage() throws Exception {
    Zone zone = Zones.big(2000);
    handler.serve(zone);
    List<byte[]> wires =
        server
            .exchange(Wire.query("big.example.", Type.AXFR).toWire(), Wire.CLIENT, Transport.TCP)
            .toCompletableFuture()
            .get();
    assertThat(wires.size()).isGreaterThan(5);
    long total = 0;
    for (int i = 0; i < wires.size(); i++) {
      assertThat(wires.get(i).length).isLessThanOrEqualTo(16 * 1024);
      Message m = parse(wires.get(i));
      assertThat(m.getHeader().getCount(Section.QUESTION)).isEqualTo(i == 0 ? 1 : 0);
      total += m.getHeader().getCount(Section.ANSWER);
    }
    assertThat(total).isEqualTo(zone.recordCount() + 1);
    // an RRset that fits one message is never spread over two
    for (byte[] wire : wires) {
      List<Record> answer = parse(wire).getSection(Section.ANSWER);
      long many = answer.stream().filter(r -> r.getName().toString().startsWith("many.")).count();
      assertThat(many).isIn(0L, 40L);
    }
  }

  @Test
  void ixfrOverUdpGivesTheCurrentSoaOnly() throws Exception {
    handler.serve(Zones.example());
    Message reply = ask(Wire.query("example.com.", Type.IXFR), Transport.UDP);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(answers(reply)).hasSize(1);
    assertThat(reply.getSection(Section.ANSWER).get(0).getType()).isEqualTo(Type.SOA);
  }

  @Test
  void ixfrOverTcpIsAFullTransfer() throws Exception {
    Zone zone = Zones.example();
    handler.serve(zone);
    List<Message> stream = ask(Wire.query("example.com.", Type.IXFR), Transport.TCP, Wire.CLIENT);
    long total = stream.stream().mapToLong(m -> m.getSection(Section.ANSWER).size()).sum();
    assertThat(total).isEqualTo(zone.recordCount() + 1);
  }

  @Test
  void aZoneWithoutSoaCannotBeServed() {
    Zone noSoa = Zone.builder(Wire.name("nosoa.example.")).build();
    assertThatThrownBy(() -> handler.serve(noSoa))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SOA");
  }

  @Test
  void updateRejectsTwoZonesWithOneOrigin() {
    assertThatThrownBy(
            () -> handler.update(List.of(Zones.example(), Zones.example()), AliasResults.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderSettingsMayBeSetOnce() {
    ZoneHandler.Builder builder = ZoneHandler.builder().policy(FlatteningPolicy.defaults());
    assertThatThrownBy(() -> builder.policy(FlatteningPolicy.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("policy");
    builder.clock(InstantSource.system());
    assertThatThrownBy(() -> builder.clock(InstantSource.system())).hasMessageContaining("clock");
  }

  private static Message ixfr(long serial) {
    Message q = Wire.query("example.com.", Type.IXFR);
    q.addRecord(
        new org.xbill.DNS.SOARecord(
            Zones.ORIGIN,
            DClass.IN,
            0,
            Wire.name("ns1.example.com."),
            Wire.name("hostmaster.example.com."),
            serial,
            0,
            0,
            0,
            0),
        Section.AUTHORITY);
    return q;
  }

  @Test
  void ixfrFromAnUpToDateClientGetsJustTheSoaOverTcp() throws Exception {
    handler.serve(Zones.example()); // serial 1
    for (long serial : new long[] {1, 2}) {
      List<Message> out = ask(ixfr(serial), Transport.TCP, Wire.CLIENT);
      assertThat(out).hasSize(1);
      assertThat(out.get(0).getSection(Section.ANSWER)).hasSize(1);
      assertThat(
              ((org.xbill.DNS.SOARecord) out.get(0).getSection(Section.ANSWER).get(0)).getSerial())
          .isEqualTo(1);
    }
  }

  @Test
  void ixfrFromAnOlderSerialGetsTheWholeZoneOverTcp() throws Exception {
    Zone zone = Zones.exampleChanged(5, "192.0.2.10");
    handler.serve(zone);
    // 4 is older than 5; so is 4294967295, which wraps to just before 0 (RFC 1982)
    for (long serial : new long[] {4, 4294967295L}) {
      List<Message> out = ask(ixfr(serial), Transport.TCP, Wire.CLIENT);
      long total = out.stream().mapToLong(m -> m.getSection(Section.ANSWER).size()).sum();
      assertThat(total).isEqualTo(zone.recordCount() + 1);
    }
  }
}
