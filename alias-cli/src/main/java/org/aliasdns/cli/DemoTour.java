package org.aliasdns.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.flatten.AliasChange;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
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
import org.aliasdns.resolver.Lookup;
import org.aliasdns.resolver.TargetLookup;
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
    Flattener flattener = Flattener.of(policy);

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
                report.findings(org.aliasdns.core.check.Severity.WARNING).size()));

    heading("2. Chasing the alias targets (fake upstream, in-process, no network)");
    List<Name> targets = flattener.targets(zone);
    List<TargetLookup> lookups = resolveAll(resolver, targets, true);

    heading("3. The flattened zone: plain A/AAAA that any DNS server loads");
    FlattenedZone first =
        flattener.flatten(zone, results(lookups), clock.instant(), null);
    out.print(ZoneFileWriter.defaults().toText(first.zone()));

    ZoneHandler handler = ZoneHandler.builder().policy(policy).clock(clock).build();
    handler.update(List.of(zone), results(lookups));
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
      lookups = resolveAll(resolver, targets, false);
      FlattenedZone second = flattener.flatten(zone, results(lookups), clock.instant(), first);
      changes(first, second);
      handler.update(List.of(zone), results(lookups));
      ask(client, "shop.example.com.", Type.A);

      heading("6. A target fails: the last good answer is served stale (RFC 8767)");
      fake.inject(Fault.servfail().forName(STATUS, Type.A));
      clock.advance(Duration.ofSeconds(61));
      out.println(
          "(" + STATUS + " now answers SERVFAIL; a minute later its TTL of 60 s has run out)");
      lookups = resolveAll(resolver, List.of(Name.fromConstantString(STATUS)), false);
      lookups = new ArrayList<>(lookups);
      for (Name target : targets) {
        if (!target.equals(Name.fromConstantString(STATUS))) {
          lookups.add(resolver.resolveAddresses(target).toCompletableFuture().join());
        }
      }
      out.println(
          ChainText.format(lookups.get(0).get(Type.A).orElseThrow(), "  ").stripTrailing());
      FlattenedZone third = flattener.flatten(zone, results(lookups), clock.instant(), second);
      changes(second, third);
      for (FlatteningProblem p : third.problems()) {
        out.println("problem: " + p);
      }
      handler.update(List.of(zone), results(lookups));
      ask(client, "status.example.com.", Type.A);
      out.println("(the name keeps answering; the short TTL makes caches come back soon)");
    }

    heading("Done");
    out.println(
        fake.queryCount()
            + " queries to the fake upstream, none to the network. Next: aliasdns check,"
            + " aliasdns flatten, aliasdns trace (aliasdns --help).");
  }

  private List<TargetLookup> resolveAll(AliasResolver resolver, List<Name> targets, boolean show) {
    List<TargetLookup> lookups = new ArrayList<>();
    for (Name target : targets) {
      TargetLookup lookup = resolver.resolveAddresses(target).toCompletableFuture().join();
      lookups.add(lookup);
      if (show) {
        for (Lookup l : lookup.lookups()) {
          out.println(target + " " + Type.string(l.resolution().type()));
          out.print(ChainText.format(l, "  "));
        }
      }
    }
    return lookups;
  }

  private static AliasResults results(List<TargetLookup> lookups) {
    List<Resolution> all = new ArrayList<>();
    lookups.forEach(l -> all.addAll(l.resolutions()));
    return AliasResults.of(all);
  }

  private void changes(FlattenedZone before, FlattenedZone after) {
    for (AliasChange change : after.changes()) {
      out.println("changed: " + change);
    }
    out.println(
        "serial "
            + before.serial()
            + " -> "
            + after.serial()
            + (after.changed() ? " (a NOTIFY tells secondaries to transfer the new zone)" : ""));
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
            r.rdataToString()
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
