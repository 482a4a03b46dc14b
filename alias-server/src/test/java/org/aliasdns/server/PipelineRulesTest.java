package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The wire rules every listener shares, through {@link DnsServer#exchange}: what is dropped, what
 * is FORMERR, NOTIMP or BADVERS, EDNS(0) and truncation.
 */
class PipelineRulesTest {
  /** Answers TXT with as many 100-byte strings as the first label of the name says ("t7"). */
  private final DnsServer server = DnsServer.builder(PipelineRulesTest::txt).build();

  static DnsReply txt(DnsRequest request) {
    Message q = request.message();
    Record question = q.getQuestion();
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    r.addRecord(question, Section.QUESTION);
    String label = question.getName().getLabelString(0);
    int count = label.startsWith("t") ? Integer.parseInt(label.substring(1)) : 0;
    for (int i = 0; i < count; i++) {
      String text = String.format("%03d", i) + "x".repeat(97);
      r.addRecord(new TXTRecord(question.getName(), DClass.IN, 60, text), Section.ANSWER);
    }
    return DnsReply.of(r);
  }

  private List<byte[]> exchange(byte[] wire, Transport transport) throws Exception {
    return server.exchange(wire, Wire.CLIENT, transport).toCompletableFuture().get();
  }

  private Message one(byte[] wire, Transport transport) throws Exception {
    List<byte[]> out = exchange(wire, transport);
    assertThat(out).hasSize(1);
    return new Message(out.get(0));
  }

  private Message one(byte[] wire) throws Exception {
    return one(wire, Transport.UDP);
  }

  private static byte[] queryWire(String name) {
    return Wire.query(name, Type.TXT).toWire();
  }

  private static byte[] withEdns(String name, int payload, int version) {
    Message q = Wire.query(name, Type.TXT);
    q.addRecord(new OPTRecord(payload, 0, version), Section.ADDITIONAL);
    return q.toWire();
  }

  private static void setCount(byte[] wire, int section, int count) {
    wire[4 + 2 * section] = (byte) (count >> 8);
    wire[5 + 2 * section] = (byte) count;
  }

  @Test
  void aShorterThanHeaderPacketIsDropped() throws Exception {
    assertThat(exchange(new byte[] {1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0}, Transport.UDP)).isEmpty();
    assertThat(exchange(new byte[0], Transport.TCP)).isEmpty();
    assertThat(server.stats().dropped()).isEqualTo(2);
  }

  @Test
  void aPacketWithQrSetIsDropped() throws Exception {
    byte[] wire = queryWire("t1.example.");
    wire[2] |= (byte) 0x80;
    assertThat(exchange(wire, Transport.UDP)).isEmpty();
  }

  @Test
  void aTruncatedQueryIsFormerrWithItsId() throws Exception {
    byte[] full = queryWire("t1.example.");
    Message reply = one(Arrays.copyOf(full, full.length - 3));
    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getHeader().getID()).isEqualTo(((full[0] & 0xFF) << 8) | (full[1] & 0xFF));
    assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(server.stats().formerr()).isEqualTo(1);
  }

  @Test
  void garbageAfterTheHeaderIsFormerr() throws Exception {
    byte[] wire = new byte[40];
    Arrays.fill(wire, (byte) 0xC7); // compression pointers to nowhere
    wire[0] = 0x0A;
    wire[1] = 0x0B;
    wire[2] = 0x01; // QUERY, RD
    wire[3] = 0;
    Message reply = one(wire);
    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getHeader().getID()).isEqualTo(0x0A0B);
  }

  @Test
  void countsThatPromiseMissingRecordsAreFormerr() throws Exception {
    byte[] wire = queryWire("t1.example.");
    setCount(wire, Section.ANSWER, 5);
    assertThat(one(wire).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void bytesAfterTheLastRecordTheHeaderCountsAreFormerr() throws Exception {
    // RFC 1035 §4.1: a message is its header and the records it counts; anything after them
    // is not a query any client sends, and would make every query a new packet-cache key.
    byte[] query = queryWire("t1.example.");
    byte[] oneMore = Arrays.copyOf(query, query.length + 1);
    Message reply = one(oneMore);
    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getHeader().getID()).isEqualTo(((query[0] & 0xFF) << 8) | (query[1] & 0xFF));
    assertThat(reply.getSection(Section.QUESTION)).isEmpty();

    byte[] withOpt = withEdns("t1.example.", 1232, 0);
    byte[] junk = Arrays.copyOf(withOpt, withOpt.length + 300);
    Arrays.fill(junk, withOpt.length, junk.length, (byte) 0x5A);
    assertThat(one(junk).getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(one(junk, Transport.TCP).getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(server.stats().formerr()).isEqualTo(3);

    assertThat(one(query).getRcode()).isEqualTo(Rcode.NOERROR); // the same without the tail
  }

  @Test
  void anOptRecordNotOwnedByTheRootIsFormerr() throws Exception {
    // RFC 6891 §6.1.2: the OPT's owner is the root; anything else is a malformed query.
    Message q = Wire.query("t1.example.", Type.TXT);
    q.addRecord(
        Record.newRecord(Wire.name("opt.example."), Type.OPT, 1232, 0, new byte[0]),
        Section.ADDITIONAL);
    Message reply = one(q.toWire());
    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getOPT()).isNotNull();
    assertThat(reply.getOPT().getName()).isEqualTo(Name.root);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(server.stats().formerr()).isEqualTo(1);
  }

  @Test
  void noQuestionOrTwoQuestionsAreFormerr() throws Exception {
    Message none = new Message(7);
    assertThat(one(none.toWire()).getRcode()).isEqualTo(Rcode.FORMERR);

    Message two = Wire.query("t1.example.", Type.TXT);
    two.addRecord(
        Record.newRecord(Wire.name("t2.example."), Type.TXT, DClass.IN), Section.QUESTION);
    Message reply = one(two.toWire());
    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getHeader().getCount(Section.QUESTION)).isZero();
  }

  @Test
  void twoOptRecordsAreFormerr() throws Exception {
    Message q = Wire.query("t1.example.", Type.TXT);
    q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    assertThat(one(q.toWire()).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void ednsVersionOneIsBadversSplitOverHeaderAndOpt() throws Exception {
    Message reply = one(withEdns("t1.example.", 1232, 1));
    // RFC 6891 §6.1.3: BADVERS is 16: 0 in the header, 1 in the OPT's extended rcode.
    assertThat(reply.getHeader().getRcode()).isZero();
    OPTRecord opt = reply.getOPT();
    assertThat(opt).isNotNull();
    assertThat(opt.getExtendedRcode()).isEqualTo(1);
    assertThat(opt.getVersion()).isZero();
    assertThat(reply.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(server.stats().rejected()).isEqualTo(1);
  }

  @Test
  void updateAndStatusOpcodesAreNotimp() throws Exception {
    for (int opcode : new int[] {Opcode.UPDATE, Opcode.STATUS}) {
      Message q = Wire.query("t1.example.", Type.TXT);
      q.getHeader().setOpcode(opcode);
      Message reply = one(q.toWire());
      assertThat(reply.getRcode()).isEqualTo(Rcode.NOTIMP);
      assertThat(reply.getHeader().getOpcode()).isEqualTo(opcode);
      assertThat(reply.getHeader().getID()).isEqualTo(q.getHeader().getID());
    }
  }

  @Test
  void aLargeUdpAnswerWithoutEdnsIsTruncatedAt512() throws Exception {
    Message reply = one(queryWire("t5.example."));
    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(reply.getQuestion().getName()).isEqualTo(Wire.name("t5.example."));
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(server.stats().truncated()).isEqualTo(1);
  }

  @Test
  void anAnswerThatFits512IsSentWhole() throws Exception {
    Message reply = one(queryWire("t4.example."));
    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(4);
    assertThat(reply.getOPT()).as("no OPT when the query had none").isNull();
  }

  @Test
  void theSameAnswerOverTcpIsNotTruncated() throws Exception {
    Message reply = one(queryWire("t40.example."), Transport.TCP);
    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(40);
  }

  @Test
  void ednsBufsizeDecidesTruncationAndOptIsAdded() throws Exception {
    // About 110 bytes per record: 9 fit in 1100, 11 do not.
    Message fits = one(withEdns("t9.example.", 1100, 0));
    assertThat(fits.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(fits.getSection(Section.ANSWER)).hasSize(9);
    assertThat(fits.getOPT()).isNotNull();
    assertThat(fits.getOPT().getPayloadSize()).isEqualTo(1232);

    Message tooBig = one(withEdns("t11.example.", 1100, 0));
    assertThat(tooBig.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(tooBig.getOPT()).isNotNull();
  }

  @Test
  void theServersPayloadSizeCapsTheClients() throws Exception {
    // The client offers 4096 but we offer 1232 (RFC 6891 §6.2.5 takes the smaller).
    Message reply = one(withEdns("t12.example.", 4096, 0));
    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
  }

  @Test
  void aPayloadSizeBelow512IsTreatedAs512() throws Exception {
    Message reply = one(withEdns("t4.example.", 100, 0));
    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(4);
  }

  @Test
  void aHandlerThatThrowsGivesServfailForThatQueryOnly() throws Exception {
    DnsServer failing =
        DnsServer.builder(
                r -> {
                  if (r.message().getQuestion().getName().toString().startsWith("boom")) {
                    throw new IllegalStateException("boom");
                  }
                  return txt(r);
                })
            .build();
    Message boom =
        new Message(
            failing
                .exchange(queryWire("boom.example."), Wire.CLIENT, Transport.UDP)
                .toCompletableFuture()
                .get()
                .get(0));
    Message fine =
        new Message(
            failing
                .exchange(queryWire("t1.example."), Wire.CLIENT, Transport.UDP)
                .toCompletableFuture()
                .get()
                .get(0));
    assertThat(boom.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(fine.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(failing.stats().handlerFailures()).isEqualTo(1);
  }

  @Test
  void aFailedDeferredReplyIsServfail() throws Exception {
    DnsServer later =
        DnsServer.builder(
                r -> DnsReply.later(CompletableFuture.failedFuture(new IllegalStateException("x"))))
            .build();
    Message reply =
        new Message(
            later
                .exchange(withEdns("t1.example.", 1232, 0), Wire.CLIENT, Transport.UDP)
                .toCompletableFuture()
                .get()
                .get(0));
    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getOPT()).isNotNull();
  }

  @Test
  void aStreamReplyOverUdpSendsOnlyItsFirstMessage() throws Exception {
    DnsServer streaming =
        DnsServer.builder(
                r -> {
                  List<Message> parts = new ArrayList<>();
                  for (int i = 0; i < 3; i++) {
                    parts.add(((DnsReply.Single) txt(r)).message());
                  }
                  return DnsReply.stream(parts);
                })
            .build();
    assertThat(
            streaming
                .exchange(queryWire("t1.example."), Wire.CLIENT, Transport.UDP)
                .toCompletableFuture()
                .get())
        .hasSize(1);
    assertThat(
            streaming
                .exchange(queryWire("t1.example."), Wire.CLIENT, Transport.TCP)
                .toCompletableFuture()
                .get())
        .hasSize(3);
  }

  @Test
  void theHandlersMessageIsNeverChangedSoItMayBeShared() throws Exception {
    Message shared =
        ((DnsReply.Single)
                txt(
                    new DnsRequest(
                        Wire.query("t30.example.", Type.TXT), Wire.CLIENT, Transport.UDP, 512)))
            .message();
    byte[] before = shared.toWire();
    DnsServer sharing = DnsServer.builder(r -> DnsReply.of(shared)).build();
    Message edns =
        new Message(
            sharing
                .exchange(withEdns("t30.example.", 1232, 0), Wire.CLIENT, Transport.UDP)
                .toCompletableFuture()
                .get()
                .get(0));
    assertThat(edns.getOPT()).isNotNull();
    assertThat(edns.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(shared.toWire()).isEqualTo(before);
    assertThat(shared.getOPT()).isNull();
  }
}
