package org.aliasdns.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.check.Severity;
import org.aliasdns.core.check.ValidationReport;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.resolver.Upstreams;
import org.aliasdns.server.TransferAcl;
import org.aliasdns.server.TsigKey;
import org.aliasdns.server.TsigKeyFile;
import org.aliasdns.server.TsigKeyFileException;
import org.xbill.DNS.Name;
import org.aliasdns.core.check.ZoneValidator;
import org.aliasdns.server.ResponseRateLimit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.aliasdns.core.dnssec.ZoneSigner;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code aliasdns serve ZONEFILE --listen ADDR:PORT --upstream HOST[:PORT]}: an authoritative server
 * for one zone with live ALIAS answers, AXFR and NOTIFY. Runs a {@link ServeSession} until
 * interrupted or until the JVM is asked to stop (SIGINT, SIGTERM).
 *
 * <p>Changes and warnings go through SLF4J, logger {@code aliasdns}: the executable jar writes
 * them to standard error with a timestamp and a level (slf4j-simple, {@code
 * simplelogger.properties}); a program that embeds the command brings its own binding. The
 * {@code listening on} line, which scripts wait for, stays on standard output.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serve ZONEFILE authoritatively with its aliases flattened from --upstream, kept fresh in"
          + " the background; on each address change the serial moves and the --notify"
          + " secondaries are told (RFC 1996) and pull the zone by AXFR.",
      "Prints 'listening on ADDR:PORT' when ready, then logs one line per change to standard"
          + " error with a timestamp and level; stops cleanly on SIGINT or SIGTERM. A fatal error (out of memory, say) closes the server and ends"
          + " the process with status 70, so that a supervisor restarts it."
    })
final class ServeCommand implements Callable<Integer> {
  /** Where changes and warnings go. */
  static final Logger LOG = LoggerFactory.getLogger("aliasdns");

  /** A session's warning line, at ERROR where it says {@code error:} (a signing that fails). */
  static void warnOrError(String line) {
    if (line.startsWith("error: ")) {
      LOG.error(line);
    } else {
      LOG.warn(line);
    }
  }

  @Parameters(
      paramLabel = "ZONEFILE",
      arity = "0..1",
      description = "The zone, with ALIAS/ANAME records (or --config for many).")
  @Nullable Path zoneFile;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Serve the zones a configuration file names, with every setting from it (YAML, see"
              + " the README); SIGHUP reloads it. No ZONEFILE or other option goes with it.")
  @Nullable Path config;

  @Spec CommandSpec spec = CommandSpec.create();

  @Option(
      names = "--listen",
      paramLabel = "ADDR:PORT",
      defaultValue = "127.0.0.1:53",
      description = "Address and port for UDP and TCP; port 0 picks one (default: ${DEFAULT-VALUE}).")
  String listen = "127.0.0.1:53";

  @Mixin ZoneOptions zoneOptions = new ZoneOptions();

  @Mixin UpstreamOption upstream = new UpstreamOption();

  @Option(
      names = "--notify",
      paramLabel = "ADDR[:PORT]",
      arity = "1..*",
      description = "Secondaries to send NOTIFY to on each new serial; they may transfer the zone.")
  List<String> notify = new ArrayList<>();

  @Option(
      names = "--allow-transfer",
      paramLabel = "ADDR",
      arity = "1..*",
      description = "Further addresses allowed AXFR/IXFR (loopback and --notify always are).")
  List<String> allowTransfer = new ArrayList<>();

  @Option(
      names = "--tsig-key-file",
      paramLabel = "FILE",
      description =
          "TSIG keys (RFC 8945) in BIND's form: key \"name\" { algorithm hmac-sha256; secret"
              + " \"...\"; };. A holder of any of them may transfer from any address; NOTIFY is"
              + " signed with the first.")
  @Nullable Path tsigKeyFile;

  @Option(
      names = "--require-tsig",
      description =
          "Transfers need a valid key from --tsig-key-file; unsigned ones are refused, from"
              + " loopback too unless --loopback-exemption is given.")
  boolean requireTsig;

  @Option(
      names = "--no-loopback-exemption",
      description =
          "Hold loopback addresses to the transfer rules like any other address (the default"
              + " with --require-tsig).")
  boolean noLoopbackExemption;

  @Option(
      names = "--loopback-exemption",
      description =
          "Let loopback addresses transfer without a key even with --require-tsig (the default"
              + " without it).")
  boolean loopbackExemption;

  @Option(
      names = "--catalog",
      paramLabel = "NAME",
      converter = NameConverter.class,
      description =
          "Also publish a catalog zone (RFC 9432, version 2) of the served zones at NAME, e.g."
              + " catalog.invalid.")
  @Nullable Name catalog;

  @Option(
      names = "--ixfr-versions",
      paramLabel = "N",
      defaultValue = "32",
      description = "Earlier versions the IXFR journal reaches back to; 0 for none (default: ${DEFAULT-VALUE}).")
  int ixfrVersions = 32;

  @Option(
      names = "--ixfr-bytes",
      paramLabel = "BYTES",
      defaultValue = "262144",
      description = "Record bytes the IXFR journal holds (default: ${DEFAULT-VALUE}).")
  long ixfrBytes = 262144;

  @Option(
      names = "--tick",
      paramLabel = "DURATION",
      defaultValue = "1s",
      description = "How often the monitor checks for due refreshes: 500ms, 1s, 2m (default: ${DEFAULT-VALUE}).")
  String tick = "1s";

  @Mixin PolicyOptions policyOptions = new PolicyOptions();

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Keep the serial last published in DIR (one file per zone), so that after a restart"
              + " the first serial follows it and secondaries never see one serial with two"
              + " contents. Without it a restart publishes the zone file's serial again.")
  @Nullable Path stateDir;

  @Option(
      names = "--udp-threads",
      paramLabel = "N",
      description = "UDP receiver threads (default: the server's, 2).")
  @Nullable Integer udpThreads;

  @Mixin RateLimitOptions rateLimit = new RateLimitOptions();

  @Mixin SigningOptions signing = new SigningOptions();

  @Option(
      names = "--metrics",
      paramLabel = "ADDR:PORT",
      description =
          "Serve metrics in the Prometheus text format at http://ADDR:PORT/metrics (off unless"
              + " given; keep it on loopback or a management network).")
  @Nullable String metrics;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    Path configFile = config;
    if (configFile != null) {
      List<String> others = new ArrayList<>();
      CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
      for (CommandLine.Model.OptionSpec o : parsed.matchedOptions()) {
        if (!o.longestName().equals("--config")) {
          others.add(o.longestName());
        }
      }
      if (zoneFile != null) {
        others.add(0, "ZONEFILE");
      }
      if (!others.isEmpty()) {
        err.println(
            "aliasdns serve: --config takes every setting from "
                + configFile
                + "; give no ZONEFILE or other option with it (given: "
                + String.join(", ", others)
                + ")");
        return Main.UNUSABLE;
      }
      return serveConfig(configFile, out, err);
    }
    Path file = zoneFile;
    if (file == null) {
      err.println("aliasdns serve: ZONEFILE or --config FILE is required");
      return Main.UNUSABLE;
    }
    ServeSession.Builder builder;
    ResponseRateLimit limit;
    InetSocketAddress metricsAt = null;
    try {
      upstream.requireGiven();
      FlatteningPolicy policy = policyOptions.policy();
      ZoneFile zone = zoneOptions.read(file);
      zone.findings().forEach(f -> err.println(f));
      if (!publishable(zone, policy, err)) {
        return Main.UNUSABLE;
      }
      List<InetSocketAddress> secondaries = new ArrayList<>();
      for (String s : notify) {
        secondaries.add(HostPort.parse(s, HostPort.DNS_PORT));
      }
      if (ixfrVersions < 0 || ixfrBytes < 0) {
        throw new UnusableInputException("--ixfr-versions and --ixfr-bytes must not be negative");
      }
      List<TsigKey> keys = List.of();
      if (tsigKeyFile != null) {
        try {
          keys = TsigKeyFile.read(tsigKeyFile);
        } catch (IOException e) {
          throw new UnusableInputException("cannot read " + tsigKeyFile + ": " + e.getMessage());
        } catch (TsigKeyFileException e) {
          throw new UnusableInputException(
              e.source() + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.reason());
        }
      } else if (requireTsig) {
        throw new UnusableInputException("--require-tsig needs --tsig-key-file");
      }
      if (loopbackExemption && noLoopbackExemption) {
        throw new UnusableInputException(
            "--loopback-exemption and --no-loopback-exemption contradict each other");
      }
      // With --require-tsig, loopback is held to the key too unless explicitly exempted.
      boolean exempt = requireTsig ? loopbackExemption : !noLoopbackExemption;
      TransferAcl.Builder acl =
          TransferAcl.builder().requireTsig(requireTsig).loopbackExempt(exempt);
      for (String a : allowTransfer) {
        InetAddress address = HostPort.address(a);
        acl.allow(address, ServeSession.hostPrefix(address));
      }
      for (InetSocketAddress s : secondaries) {
        // RFC 1996: a notified secondary must be able to pull the zone it was told about.
        acl.allow(s.getAddress(), ServeSession.hostPrefix(s.getAddress()));
      }
      for (TsigKey k : keys) {
        acl.allowKey(k.name());
      }
      builder =
          ServeSession.builder(zone.zone())
              .listen(HostPort.parse(listen, HostPort.DNS_PORT))
              .upstreams(upstream.upstreams())
              .queryTimeout(upstream.timeout())
              .trustAnchors(upstream.trustAnchors())
              .policy(policy)
              .notify(secondaries)
              .transferAcl(acl.build())
              .tsigKeys(keys)
              .journal(ixfrVersions, ixfrBytes)
              .tick(duration(tick))
              .log(LOG::info)
              .warn(ServeCommand::warnOrError)
              // An Error on a server thread has closed the server: end the process rather than
              // run on answering nothing, so that a supervisor restarts it.
              .onFatalError(e -> fatal(e, err, code -> Runtime.getRuntime().halt(code)));
      if (udpThreads != null) {
        builder.udpThreads(udpThreads);
      }
      ZoneSigner signer = signing.signer();
      if (signer != null) {
        for (var key : signer.keys()) {
          if (!key.zone().equals(zone.zone().origin())) {
            throw new UnusableInputException(
                "key " + key.fileStem() + " is for zone " + key.zone() + ", not "
                    + zone.zone().origin());
          }
        }
        signing.policy.nsec3Warnings().forEach(LOG::warn);
        SignCommand.weakKeys(signer.keys()).forEach(LOG::warn);
        ZoneKeys.exposed(signing.keys).forEach(LOG::warn);
        SignCommand.deletedKeys(signer, Instant.now()).forEach(LOG::warn);
        String dropped = SignCommand.droppedDnssec(zone.zone(), signer.keys());
        if (dropped != null) {
          LOG.warn(dropped);
        }
        String shortValidity = SignCommand.shortValidity(zone.zone(), signer.policy());
        if (shortValidity != null) {
          LOG.warn(shortValidity);
        }
        builder.signer(signer);
        LOG.info(
            "signing " + zone.zone().origin() + " on " + signing.threads + " threads with "
                + signer.provider().map(p -> p.getName()).orElse("the JDK's providers"));
      }
      Path dir = stateDir;
      if (dir != null) {
        builder.serialState(SerialState.file(dir, zone.zone().origin()));
      }
      if (catalog != null) {
        builder.catalog(catalog);
      }
      limit = rateLimit.limit();
      if (limit != null) {
        builder.responseRateLimit(limit);
      }
      if (metrics != null) {
        metricsAt = metricsAddress(metrics);
        builder.metrics(metricsAt);
      }
    } catch (UnusableInputException | IllegalArgumentException | CommandLine.TypeConversionException e) {
      err.println("aliasdns serve: " + e.getMessage());
      return Main.UNUSABLE;
    }

    return serveGuarded(builder, limit, metricsAt, ServeCommand::hangupEnds, out, err);
  }

  /**
   * Serves the zones of a configuration file: reads and checks it and every zone file it names
   * before anything binds (a bad one ends with {@link Main#UNUSABLE}), then serves them, and
   * reloads on SIGHUP ({@link ServeReload}).
   */
  private int serveConfig(Path configFile, PrintStream out, PrintStream err) {
    // SIGHUP is taken from here on: one that comes while the zones are read and signed (which
    // may take a while) is kept and runs once serving, instead of ending the process as the
    // JVM's own handling of it would.
    StartupReload hangup = new StartupReload();
    try {
      ReloadSignal.hangup().install(hangup::request);
    } catch (IllegalStateException e) {
      LOG.warn("{}; restart to reload the configuration", e.getMessage());
    }
    ServeConfig cfg;
    List<ConfiguredZone> zones = new ArrayList<>();
    ServeSession.Builder builder;
    ResponseRateLimit limit = null;
    ServeConfig.Server s;
    try {
      cfg = ServeConfigFile.read(configFile);
      cfg.warnings().forEach(err::println);
      zones.addAll(readZones(cfg, err::println, LOG::info));
      s = cfg.server();
      builder =
          sessionBuilder(cfg, zones)
              .tick(s.tick())
              .log(LOG::info)
              .warn(ServeCommand::warnOrError)
              .onFatalError(e -> fatal(e, err, code -> Runtime.getRuntime().halt(code)));
      ServeConfig.RateLimit rrl = s.rateLimit();
      if (rrl != null) {
        limit = ServeSession.rateLimit(rrl);
      }
    } catch (ServeConfigException | UnusableInputException | IllegalArgumentException e) {
      err.println("aliasdns serve: " + e.getMessage());
      return Main.UNUSABLE;
    }
    InetSocketAddress metricsAt = s.metrics();
    ServeConfig started = cfg;
    return serveGuarded(
        builder,
        limit,
        metricsAt,
        session ->
            hangup.serving(new ServeReload(started, zones, session, LOG::info, LOG::warn)),
        out,
        err);
  }

  /**
   * Reload requests from the start on: kept while serve starts, run from when it serves; one
   * kept request runs once, on a thread of its own, as soon as serving begins.
   */
  static final class StartupReload {
    private @Nullable ServeReload reload;
    private boolean pending;

    /** A reload request (SIGHUP): run now if serving, else kept. */
    void request() {
      ServeReload r;
      synchronized (this) {
        r = reload;
        if (r == null) {
          pending = true;
          LOG.info("SIGHUP while starting: the configuration is read again once serving");
          return;
        }
      }
      run(r);
    }

    /** Serving has begun: requests run from now on, a kept one on a thread of its own. */
    void serving(ServeReload r) {
      boolean kept;
      synchronized (this) {
        reload = r;
        kept = pending;
        pending = false;
      }
      if (kept) {
        Thread t = new Thread(() -> run(r), "alias-serve-reload");
        t.setDaemon(true);
        t.start();
      }
    }

    private static void run(ServeReload r) {
      try {
        r.reload();
      } catch (RuntimeException e) {
        LOG.warn("reload failed, zones stay as they were: {}", e.toString());
      }
    }
  }

  /**
   * Reads the zones of a configuration at start: each zone file, and for a zone that names a
   * {@code dnssec-policy:} its keys from the key directory ({@link ZoneKeys}).
   *
   * @param cfg the configuration
   * @param findings told of each zone file finding and each warning about keys
   * @param info told which keys sign each signed zone
   * @return the zones, in the configuration's order
   * @throws UnusableInputException naming the file and line of the first zone that cannot be
   *     read or signed
   */
  static List<ConfiguredZone> readZones(
      ServeConfig cfg, Consumer<String> findings, Consumer<String> info) {
    List<ConfiguredZone> zones = new ArrayList<>();
    ZoneKeys.Listing listing = new ZoneKeys.Listing();
    for (ServeConfig.ZoneEntry e : cfg.zones()) {
      ConfiguredZone zone = ConfiguredZone.read(e, findings);
      if (e.dnssec() != null) {
        ZoneKeys.Read keys =
            Objects.requireNonNull(
                ZoneKeys.read(e, zone.spec().source(), Instant.now(), null, listing));
        keys.warnings().forEach(findings);
        zone = zone.withSigning(keys.signing());
        info.accept("signing " + e.origin() + " with " + keys.keyNames() + " by "
            + keys.provider());
      }
      zones.add(zone);
    }
    return zones;
  }

  /**
   * Returns a session builder with everything a configuration says but the tick, the log and
   * what to do on a fatal error, which the caller adds.
   *
   * @param cfg the configuration
   * @param zones its zones, read
   * @return the builder
   * @throws IllegalArgumentException if a value is refused by the server's builders
   */
  static ServeSession.Builder sessionBuilder(ServeConfig cfg, List<ConfiguredZone> zones) {
    ServeConfig.Server s = cfg.server();
    // One zone whose keys ran out does not keep the others down (nor, with systemd's
    // RestartPreventExitStatus=2, the service).
    ServeSession.Builder builder = ServeSession.builder().partialStart();
    zones.forEach(z -> builder.zone(z.spec().source(), z.spec().policy(), z.spec().signing()));
    builder
        .listen(s.listen())
        .upstreams(Upstreams.of(s.upstreams()))
        .queryTimeout(s.timeout())
        .upstreamQueries(s.upstreamQueries())
        .trustAnchors(s.trustAnchors())
        .policy(s.policy())
        .notify(s.remotes().stream().map(ServeConfig.Remote::address).toList())
        .transferAcl(s.transferAcl())
        .tsigKeys(s.keys())
        .journal(s.ixfrVersions(), s.ixfrBytes());
    if (s.udpThreads() > 0) {
      builder.udpThreads(s.udpThreads());
    }
    Path dir = s.stateDir();
    if (dir != null) {
      builder.stateDir(dir);
    }
    Name cat = s.catalog();
    if (cat != null) {
      builder.catalog(cat);
    }
    ServeConfig.RateLimit rrl = s.rateLimit();
    if (rrl != null) {
      builder.responseRateLimit(ServeSession.rateLimit(rrl));
    }
    InetSocketAddress m = s.metrics();
    if (m != null) {
      builder.metrics(m);
    }
    return builder;
  }

  /**
   * Serves with a handler of fatal errors for every thread in place: a VirtualMachineError that
   * kills any thread ends the process.
   */
  private int serveGuarded(
      ServeSession.Builder builder,
      @Nullable ResponseRateLimit limit,
      @Nullable InetSocketAddress metricsAt,
      @Nullable Consumer<ServeSession> onStarted,
      PrintStream out,
      PrintStream err) {
    // A VirtualMachineError (out of memory, say) that kills any other thread, the resolver's or
    // dnsjava's I/O thread among them, ends the process too: never a process that waits for
    // answers that cannot come. Other uncaught exceptions keep the JVM's usual report.
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof VirtualMachineError vmError) {
            fatal(vmError, err, code -> Runtime.getRuntime().halt(code));
          } else if (before != null) {
            before.uncaughtException(thread, e);
          } else {
            thread.getThreadGroup().uncaughtException(thread, e);
          }
        });
    try {
      return serve(builder, limit, metricsAt, onStarted, out, err);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  private int serve(
      ServeSession.Builder builder,
      @Nullable ResponseRateLimit limit,
      @Nullable InetSocketAddress metricsAt,
      @Nullable Consumer<ServeSession> onStarted,
      PrintStream out,
      PrintStream err) {
    ServeSession session;
    try {
      session = builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("aliasdns serve: " + e.getMessage());
      return Main.UNUSABLE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              session.close();
              stopped.countDown();
            },
            "alias-serve-shutdown");
    try {
      session.start();
    } catch (UnusableInputException e) {
      session.close();
      err.println("aliasdns serve: " + e.getMessage());
      return Main.UNUSABLE;
    } catch (IOException e) {
      session.close();
      // The message names the listener: "ADDR:PORT (DNS over UDP|DNS over TCP|metrics): why".
      err.println("aliasdns serve: cannot listen on " + e.getMessage());
      return Main.FINDINGS;
    }
    Runtime.getRuntime().addShutdownHook(hook); // SIGINT, SIGTERM: close server and monitor
    if (onStarted != null) {
      onStarted.accept(session); // before "listening on": a SIGHUP after that line is handled
    }
    for (InetSocketAddress at : session.addresses()) {
      out.println("listening on " + ServeSession.text(at));
    }
    if (metricsAt != null) {
      InetSocketAddress bound = new InetSocketAddress(metricsAt.getAddress(), session.metricsPort());
      out.println("metrics on http://" + ServeSession.text(bound) + "/metrics");
    }
    if (limit != null) {
      LOG.info("UDP responses limited: {}", limit);
    }
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopped from inside the JVM (a test, an embedder)
    }
    session.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
    return Main.OK;
  }

  /** SIGHUP exit status: 128 + 1, what the JVM's own handling of the signal ends with. */
  static final int HANGUP = 129;

  /**
   * Without {@code --config} there is nothing to re-read: SIGHUP logs that, then ends the
   * process with status {@value #HANGUP} as the JVM would (its shutdown hook closes the server;
   * {@code Restart=on-failure} starts it again).
   */
  private static void hangupEnds(ServeSession session) {
    try {
      ReloadSignal.hangup().install(() -> {
        LOG.warn("SIGHUP: reload needs --config (a single zone file is not re-read);"
            + " exiting with status {}", HANGUP);
        System.exit(HANGUP);
      });
    } catch (IllegalStateException e) {
      // No SIGHUP here: nothing to say about it.
    }
  }

  /**
   * Reads the {@code --metrics} address: an IP address and a port, which must be given.
   *
   * @throws UnusableInputException if no port is given
   */
  static InetSocketAddress metricsAddress(String text) {
    InetSocketAddress at = HostPort.parse(text, 0);
    boolean portGiven = text.startsWith("[") ? text.contains("]:") : text.indexOf(':') > 0
        && text.indexOf(':') == text.lastIndexOf(':');
    if (!portGiven) {
      throw new UnusableInputException("--metrics needs ADDR:PORT (port 0 picks one): " + text);
    }
    return at;
  }

  /**
   * Ends the process after a fatal error: one line on standard error, then {@code halt} with
   * {@link Main#FATAL}. Halting, not exiting: shutdown hooks could wait on the threads the error
   * left behind, and the server has already closed itself.
   *
   * @param error what ended the server
   * @param err where the line goes
   * @param halt ends the process with the code given; {@code Runtime.getRuntime()::halt}
   */
  static void fatal(Error error, PrintStream err, IntConsumer halt) {
    try {
      err.println(
          "aliasdns serve: fatal error on "
              + Thread.currentThread().getName()
              + ": "
              + error
              + "; exiting with status "
              + Main.FATAL);
      err.flush();
    } catch (RuntimeException | Error whilePrinting) {
      // out of memory again, say: exit all the same
    } finally {
      halt.accept(Main.FATAL);
    }
  }

  /**
   * Refuses a zone that would still break the CNAME or apex rules after flattening: validates
   * what the first flattening would publish with no target resolved yet.
   */
  private static boolean publishable(ZoneFile file, FlatteningPolicy policy, PrintStream err) {
    List<String> errors = unpublishable(file, policy);
    errors.forEach(err::println);
    return errors.isEmpty();
  }

  /**
   * Returns what makes a zone unpublishable: the errors of what its first flattening would
   * publish with no target resolved yet, each as {@code file:line: ...}.
   *
   * @return the errors; empty if the zone can be served
   */
  static List<String> unpublishable(ZoneFile file, FlatteningPolicy policy) {
    var flat =
        Flattener.of(policy).flatten(file.zone(), AliasResults.empty(), Instant.EPOCH, null);
    ValidationReport report = ZoneValidator.defaults().validate(flat.zone());
    List<String> out = new ArrayList<>();
    for (Finding f : report.findings(Severity.ERROR)) {
      // The RRset's own line, as check and flatten give it (ZoneValidator.validate(ZoneFile)),
      // else the first record at the name.
      var where = f.type() == 0 ? file.position(f.owner()) : file.position(f.owner(), f.type());
      if (where.isEmpty()) {
        where = file.position(f.owner());
      }
      out.add(f.at(where.orElse(null)).toString());
    }
    return out;
  }

  /**
   * Reads {@code 500ms}, {@code 1s}, {@code 2m}, or a bare number of seconds.
   *
   * @throws IllegalArgumentException if malformed or not positive
   */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else {
        d = Duration.ofSeconds(Long.parseLong(t));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration (500ms, 1s, 2m): " + text, e);
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("duration must be positive: " + text);
    }
    return d;
  }
}
