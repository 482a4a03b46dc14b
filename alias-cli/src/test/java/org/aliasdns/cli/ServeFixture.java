package org.aliasdns.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.testkit.FakeDns;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * The zone {@code aliasdns serve} tests serve, the fake upstream its alias target lives in (a
 * recursive fake on a real loopback port, on its manual clock), and a session between them that
 * runs only when a test calls {@code runDue()}.
 */
final class ServeFixture implements AutoCloseable {
  /** The apex ALIAS, MX, TXT, and 40 addresses at {@code many} for truncation. */
  static final String ZONE =
      "$ORIGIN example.com.\n"
          + "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 2026112101 7200 3600 1209600 300\n"
          + "@ NS ns1\n"
          + "@ MX 10 mail\n"
          + "@ TXT \"v=spf1 -all\"\n"
          + "@ 300 ALIAS cdn.example.net.\n"
          + "ns1 A 192.0.2.53\n"
          + "mail A 192.0.2.25\n"
          + IntStream.range(100, 140)
              .mapToObj(i -> "many A 192.0.2." + i + "\n")
              .collect(Collectors.joining());

  final FakeDns fake;
  final List<String> log;
  final List<String> warnings;
  final ServeSession session;

  private ServeFixture(
      FakeDns fake, ServeSession session, List<String> log, List<String> warnings) {
    this.fake = fake;
    this.session = session;
    this.log = log;
    this.warnings = warnings;
  }

  /** The CDN chain: {@code cdn.example.net. CNAME edge}, edge A 192.0.2.10 and AAAA ::10. */
  static FakeDns upstream() throws IOException {
    return FakeDns.recursive()
        .zone(
            "$ORIGIN example.net.\n"
                + "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 60\n"
                + "@ 3600 NS ns1\n"
                + "ns1 3600 A 198.51.100.53\n"
                + "cdn 300 CNAME edge.cdn\n"
                + "edge.cdn 60 A 192.0.2.10\n"
                + "edge.cdn 60 AAAA 2001:db8::10\n")
        .build()
        .start();
  }

  static Zone zone() {
    return zone(ZONE);
  }

  static Zone zone(String text) {
    return ZoneFileReader.defaults().read(text, "example.com.zone").zone();
  }

  /** A started session against a started fake, with no secondaries. */
  static ServeFixture start() throws IOException {
    return start(List.of());
  }

  /** A started session against a started fake, telling these secondaries of new serials. */
  static ServeFixture start(List<InetSocketAddress> secondaries) throws IOException {
    return start(upstream(), secondaries);
  }

  /** A started session against this started fake (closed with the fixture, or on failure). */
  static ServeFixture start(FakeDns fake, List<InetSocketAddress> secondaries) throws IOException {
    return start(fake, secondaries, null);
  }

  /** The same, keeping the published serial in a state file when one is given. */
  static ServeFixture start(
      FakeDns fake, List<InetSocketAddress> secondaries, @Nullable Path stateFile)
      throws IOException {
    return start(
        fake,
        ZONE,
        b -> {
          b.notify(secondaries);
          if (stateFile != null) {
            b.serialState(stateFile);
          }
        });
  }

  /**
   * A started session for this zone against this started fake, with more settings (closed with
   * the fixture, or on failure).
   */
  static ServeFixture start(FakeDns fake, String zoneText, Consumer<ServeSession.Builder> more)
      throws IOException {
    List<String> log = new CopyOnWriteArrayList<>();
    List<String> warnings = new CopyOnWriteArrayList<>();
    try {
      ServeSession.Builder builder =
          ServeSession.builder(zone(zoneText))
              .upstream(fake.address())
              .clock(fake.clock())
              .queryTimeout(Duration.ofSeconds(2))
              .log(log::add)
              .warn(warnings::add);
      more.accept(builder);
      ServeSession session = builder.build().start();
      return new ServeFixture(fake, session, log, warnings);
    } catch (IOException | RuntimeException e) {
      fake.close();
      throw e;
    }
  }

  /** Moves the fake's clock past every TTL and refreshes what is due, waiting for it. */
  void advanceAndRefresh(Duration by) {
    fake.clock().advance(by);
    session.runDue().toCompletableFuture().join();
  }

  /** A client of the session's server. */
  SimpleResolver client() {
    SimpleResolver r = new SimpleResolver(session.address());
    r.setTimeout(Duration.ofSeconds(2));
    return r;
  }

  Message ask(String name, int type) throws IOException {
    return client().send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, 1)));
  }

  /** Asks with EDNS (a 1232-byte payload, RFC 6891), so that the reply can carry EDE. */
  Message askWithEdns(String name, int type) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, 1));
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return client().send(query);
  }

  /** The extended DNS errors of a reply (RFC 8914), none when it has no OPT record. */
  static List<ExtendedErrorCodeOption> extendedErrors(Message reply) {
    OPTRecord opt = reply.getOPT();
    return opt == null
        ? List.of()
        : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
            .map(o -> (ExtendedErrorCodeOption) o)
            .toList();
  }

  List<String> rdata(String name, int type) throws IOException {
    return ask(name, type).getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type)
        .map(Record::rdataToString)
        .toList();
  }

  @Override
  public void close() {
    session.close();
    fake.close();
  }
}
