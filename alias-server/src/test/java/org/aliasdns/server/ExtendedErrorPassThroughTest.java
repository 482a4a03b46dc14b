package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A handler's EDNS options, an Extended DNS Error (RFC 8914) above all, reach EDNS clients
 * through every path of the wire rules (whole, truncated, TCP, the packet cache), and never reach
 * a client that sent no OPT (RFC 6891 §7).
 */
class ExtendedErrorPassThroughTest {
  private static final String TARGET = "target.example.net.";

  /**
   * Answers A with as many addresses as the first label says ("a40"), marked stale with EDE 3
   * whose extra text is the label after "text" when the name has one, else the target; always
   * with an OPT of its own (payload 4096), whether or not the query had one. Opts in to the
   * packet cache.
   */
  private final DnsHandler staleAnswers =
      new DnsHandler() {
        @Override
        public DnsReply handle(DnsRequest request) {
          Message r = request.response(0);
          r.getHeader().setFlag(Flags.AA);
          Record q = request.message().getQuestion();
          String label = q.getName().getLabelString(0);
          int count = Integer.parseInt(label.substring(1));
          for (int i = 0; i < count; i++) {
            r.addRecord(new ARecord(q.getName(), DClass.IN, 30, address(i)), Section.ANSWER);
          }
          String text = q.getName().labels() > 3 ? "x".repeat(600) : TARGET;
          r.addRecord(
              new OPTRecord(
                  4096,
                  0,
                  0,
                  0,
                  List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.STALE_ANSWER, text))),
              Section.ADDITIONAL);
          return DnsReply.of(r);
        }

        @Override
        public long generation() {
          return 7;
        }
      };

  private final DnsServer server = DnsServer.builder(staleAnswers).build();

  private static java.net.InetAddress address(int i) {
    try {
      return Address.getByAddress("192.0.2." + (i % 250 + 1));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private Message ask(String name, int payload, Transport transport) throws Exception {
    Message q = Wire.query(name, Type.A);
    if (payload > 0) {
      q.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
    }
    List<byte[]> out =
        server.exchange(q.toWire(), Wire.CLIENT, transport).toCompletableFuture().get();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).length).isLessThanOrEqualTo(transport == Transport.UDP ? 1232 : 65535);
    return new Message(out.get(0));
  }

  private static ExtendedErrorCodeOption ede(Message reply) {
    OPTRecord opt = reply.getOPT();
    assertThat(opt).isNotNull();
    List<EDNSOption> options = opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    assertThat(options).hasSize(1);
    return (ExtendedErrorCodeOption) options.get(0);
  }

  @Test
  void anEdnsClientGetsTheHandlersExtendedErrorUnderOurPayloadSize() throws Exception {
    for (Transport transport : Transport.values()) {
      Message reply = ask("a2.example.", 1232, transport);
      assertThat(reply.getSection(Section.ANSWER)).hasSize(2);
      assertThat(ede(reply).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER);
      assertThat(ede(reply).getText()).isEqualTo(TARGET);
      assertThat(reply.getOPT().getPayloadSize()).isEqualTo(1232); // ours, not the handler's
      assertThat(reply.getSection(Section.ADDITIONAL)).hasSize(1);
    }
  }

  @Test
  void aClientThatSentNoOptGetsNoneWhateverTheHandlerPutIn() throws Exception {
    for (Transport transport : Transport.values()) {
      Message reply = ask("a2.example.", 0, transport);
      assertThat(reply.getSection(Section.ANSWER)).hasSize(2);
      assertThat(reply.getOPT()).isNull();
      assertThat(reply.getSection(Section.ADDITIONAL)).isEmpty();
    }
  }

  @Test
  void aTruncatedReplyKeepsTheExtendedError() throws Exception {
    Message reply = ask("a60.example.", 512, Transport.UDP); // 60 addresses do not fit 512
    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(ede(reply).getText()).isEqualTo(TARGET);

    Message overTcp = ask("a60.example.", 512, Transport.TCP);
    assertThat(overTcp.getSection(Section.ANSWER)).hasSize(60);
    assertThat(ede(overTcp).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER);
  }

  @Test
  void anExtendedErrorTooLongForTheTruncatedReplyLeavesABareOpt() throws Exception {
    // 600 bytes of extra text with 60 addresses, for a client that takes 512 bytes.
    Message reply = ask("a60.text.long.example.", 512, Transport.UDP);
    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(reply.numBytes()).isLessThanOrEqualTo(512);
    assertThat(reply.getOPT()).isNotNull();
    assertThat(reply.getOPT().getOptions()).isEmpty();
  }

  @Test
  void thePacketCacheKeepsTheExtendedErrorForEdnsQueriesOnly() throws Exception {
    Message first = ask("a2.example.", 1232, Transport.UDP);
    Message plain = ask("a2.example.", 0, Transport.UDP);
    Message again = ask("a2.example.", 1232, Transport.UDP);
    Message plainAgain = ask("a2.example.", 0, Transport.UDP);

    assertThat(server.stats().packetCacheHits()).isEqualTo(2);
    assertThat(ede(first).getText()).isEqualTo(TARGET);
    assertThat(ede(again).getText()).isEqualTo(TARGET);
    assertThat(plain.getOPT()).isNull();
    assertThat(plainAgain.getOPT()).isNull();
  }
}
