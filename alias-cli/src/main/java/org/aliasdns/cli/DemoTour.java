package org.aliasdns.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.AddressText;
import org.aliasdns.core.flatten.AliasChange;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.flatten.FlatteningProblem;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.check.ValidationReport;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.zonefile.ZoneFileWriter;
import org.aliasdns.core.check.ZoneValidator;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.Freshness;
import org.aliasdns.resolver.LiveZone;
import org.aliasdns.resolver.Lookup;
import org.aliasdns.resolver.Source;
import org.aliasdns.resolver.TargetLookup;
import org.aliasdns.resolver.TargetMonitor;
import org.aliasdns.server.DnsServer;
import org.aliasdns.server.ZoneHandler;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.ManualClock;
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
 * What {@code aliasdns demo} shows: flattening end to end against the testkit's fake upstream,
 * with no network and no configuration. It shows a zone with aliases, the chains behind them, the
 * flattened zone, a live answer from a server on 127.0.0.1, a target that changes (and the serial
 * that moves with it), and a target that fails (and the last good answer served stale).
 *
 * <p>Time is a {@link ManualClock} shared by the fake, the resolver and the server, so "two
 * minutes later" takes no time at all. Only this class uses the testkit, so that the command line
 * is built without it (see {@link DemoCommand}).
 */
final class DemoTour {
  /** The zone a user would write: an apex ALIAS to a CDN, and two more aliases. */
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 3600
      @       SOA   ns1 hostmaster 2026112101 7200 3600 1209600 300
      @       NS    ns1
      ns1     A     192.0.2.53
      @       ALIAS my-app.cdn.example.net.     ; the apex points at a CDN
      @       MX    10 mail
      mail    A     192.0.2.25
      shop    ALIAS shop.saas.example.org.      ; a target that will change
      status  ALIAS status.monitor.example.org. ; a target that will fail
      """;

  static final String SHOP = "shop.saas.example.org.";
  static final String STATUS = "status.monitor.example.org.";

  private final PrintWriter out;

  DemoTour(PrintWriter out) {
    this.out = out;
  }

  /** Runs the tour, printing to the writer given. */
  void run() throws IOException {
    ManualClock clock = ManualClock.create();
    try (FakeDns fake = world(clock)) {
      run(fake, clock);
    }
    out.flush();
  }

  /** The upstream world: a CDN-style chain, a SaaS name that will move, a monitor that fails. */
  static FakeDns world(ManualClock clock) {
    return FakeDns.recursive()
        .clock(clock)
        .records(
            "my-app.cdn.example.net. 300 CNAME edge.cdn.example.net.",
            "edge.cdn.example.net. 60 A 192.0.2.80",
            "edge.cdn.example.net. 60 A 192.0.2.81",
            "edge.cdn.example.net. 60 AAAA 2001:db8::80",
            SHOP + " 120 A 198.51.100.10",
            STATUS + " 60 A 198.51.100.30")
        .build();
  }

  private void run(FakeDns fake, ManualClock clock) throws IOException {
    FlatteningPolicy policy = FlatteningPolicy.defaults();
    // In-process: the fake's resolver runs its wire pipeline without a socket.
    AliasResolver resolver =
        AliasResolver.builder().upstream(fake.resolver()).clock(clock).policy(policy).build();

    heading("1. The zone you write (example.com.zone)");
    out.print(ZONE);
    ZoneFile file = ZoneFileReader.defaults().read(ZONE, "example.com.zone");
    Zone zone = file.zone();
    ValidationReport report = ZoneValidator.defaults().validate(file);
    report.findings().forEach(out::println);
    out.println(
        "aliasdns check: "
            + CheckCommand.summary(
                "example.com.zone",
                zone.origin(),
                report.findings(org.aliasdns.core.check.Severity.ERROR).size(),
                report.findings(org.aliasdns.core.check.Severity.WARNING).size(),
                0)); // the tour leaves out the suggestions (aliasdns check --no-suggestions)

    // The live zone aliasdns serve runs: targets watched, the zone flattened again on change.
    // No jitter, so "two minutes later" finds every refresh due.
    TargetMonitor monitor = TargetMonitor.builder(resolver).jitter(Duration.ZERO).build();
    List<LiveZone.Update> updates = new ArrayList<>();
    ZoneHandler handler = ZoneHandler.builder().policy(policy).clock(clock).build();
    try (LiveZone live = LiveZone.builder(zone, monitor).build()) {
      live.addListener(u -> handler.serve(u.source(), u.current(), u.results()));
      live.addListener(updates::add);

      heading("2. Chasing the alias targets (fake upstream, in-process, no network)");
      for (Name target : live.targets()) {
        TargetLookup lookup = resolver.resolveAddresses(target).toCompletableFuture().join();
        for (Lookup l : lookup.lookups()) {
          out.println(target + " " + Type.string(l.resolution().type()));
          out.print(ChainText.format(l, "  "));
        }
      }
      live.runDue().toCompletableFuture().join(); // the same answers, now from the cache

      heading("3. The flattened zone: plain A/AAAA that any DNS server loads");
      out.print(ZoneFileWriter.defaults().toText(live.current().orElseThrow().zone()));

      try (DnsServer server =
          DnsServer.builder(handler)
              .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .build()
              .start()) {
        SimpleResolver client = new SimpleResolver(server.address());
        client.setTimeout(Duration.ofSeconds(5));

        heading("4. A live answer from a server on " + HostPort.format(server.address()));
        ask(client, "example.com.", Type.A);
        ask(client, "example.com.", Type.AAAA);
        ask(client, "example.com.", Type.MX);

        heading("5. A target changes: " + SHOP + " moves to 198.51.100.20");
        fake.replace(SHOP + " 120 A 198.51.100.20");
        clock.advance(Duration.ofSeconds(121));
        out.println("(two minutes later: every TTL has run out; the targets are asked again)");
        updates.clear();
        live.runDue().toCompletableFuture().join();
        updates.forEach(this::changes);
        ask(client, "shop.example.com.", Type.A);

        heading("6. A target fails: the last good answer is served stale (RFC 8767)");
        fake.inject(Fault.servfail().forName(STATUS, Type.A));
        clock.advance(Duration.ofSeconds(61));
        out.println(
            "(" + STATUS + " now answers SERVFAIL; a minute later its TTL of 60 s has run out)");
        updates.clear();
        live.runDue().toCompletableFuture().join();
        Resolution failed =
            monitor.results().get(Name.fromConstantString(STATUS), Type.A).orElseThrow();
        Lookup stale = new Lookup(failed, Freshness.STALE, Source.CACHE, policy.staleTtl());
        out.println(ChainText.format(stale, "  ").stripTrailing());
        for (LiveZone.Update update : updates) {
          changes(update);
          for (FlatteningProblem p : update.problems()) {
            out.println("problem: " + p);
          }
        }
        ask(client, "status.example.com.", Type.A);
        out.println("(the name keeps answering; the short TTL makes caches come back soon)");
      }
    }

    heading("Done");
    out.println(
        fake.queryCount()
            + " queries to the fake upstream, none to the network. Next: aliasdns check,"
            + " aliasdns flatten, aliasdns trace (aliasdns --help).");
  }

  /** Prints what one re-flattening changed, and the serial it moved to. */
  private void changes(LiveZone.Update update) {
    for (AliasChange change : update.changes()) {
      out.println("changed: " + change);
    }
    FlattenedZone before = update.previous();
    out.println(
        "serial "
            + (before == null ? "none" : Long.toString(before.serial()))
            + " -> "
            + update.serial()
            + (update.serialChanged()
                ? " (a NOTIFY tells secondaries to transfer the new zone)"
                : ""));
  }

  /** Asks the server one question and prints the answer like a terse {@code dig}. */
  private void ask(SimpleResolver client, String name, int type) throws IOException {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
    Message reply = client.send(query);
    out.println(
        "query " + name + " " + Type.string(type) + ": " + Rcode.string(reply.getRcode())
            + (reply.getHeader().getFlag(Flags.AA) ? ", authoritative answer" : ""));
    List<String[]> rows = new ArrayList<>();
    for (Record r : reply.getSection(Section.ANSWER)) {
      rows.add(
          new String[] {
            r.getName().toString(), Long.toString(r.getTTL()), Type.string(r.getType()),
            AddressText.rdata(r)
          });
    }
    StringBuilder sb = new StringBuilder();
    ChainText.table(sb, "  ", rows);
    out.print(sb);
  }

  private void heading(String title) {
    out.println();
    out.println("== " + title + " ==");
  }
}
