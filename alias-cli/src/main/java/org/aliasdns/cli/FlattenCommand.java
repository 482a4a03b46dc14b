package org.aliasdns.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.aliasdns.core.flatten.AliasChange;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.flatten.FlatteningProblem;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.check.Rule;
import org.aliasdns.core.check.Severity;
import org.aliasdns.core.check.ValidationReport;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileWriter;
import org.aliasdns.core.check.ZoneValidator;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.TargetLookup;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aliasdns flatten ZONEFILE --upstream HOST[:PORT]}: resolves every alias target through the
 * upstream and prints the flattened zone as master-file text on stdout; what changed and what
 * could not be resolved go to stderr.
 */
@Command(
    name = "flatten",
    mixinStandardHelpOptions = true,
    header = "Resolve every alias and print the flattened zone.",
    sortOptions = false,
    description = {
      "Resolves every ALIAS/ANAME target through a recursive server and prints the flattened"
          + " zone (plain A/AAAA records; an alias record stays, in RFC 3597 generic form, only"
          + " where its name would otherwise be empty) as master-file text on stdout.",
      "Diagnostics (addresses found, problems) go to stderr, including targets that have no"
          + " addresses (NXDOMAIN or NODATA).",
      "Exit status: 0 all aliases resolved, 1 some could not be (the zone is still printed),"
          + " 2 unusable input (a bad file, a zone with errors, a bad option)."
    })
final class FlattenCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ZONEFILE", description = "The master file to flatten; - reads standard input.")
  Path file = Path.of("");

  @Mixin ZoneOptions zoneOptions = new ZoneOptions();

  @Mixin UpstreamOption upstream = new UpstreamOption();

  @Mixin PolicyOptions policyOptions = new PolicyOptions();

  @Option(
      names = "--keep-aliases",
      description = "Keep every ALIAS/ANAME record beside its addresses (by default one stays"
          + " only where the name would otherwise be empty), written in RFC 3597 generic form"
          + " (TYPE65401) that servers without alias support still load.")
  boolean keepAliases;

  @Override
  public Integer call() throws InterruptedException {
    CommandSpec s = Objects.requireNonNull(spec);
    PrintWriter out = s.commandLine().getOut();
    PrintWriter err = s.commandLine().getErr();
    FlatteningPolicy policy = policy(policyOptions);
    ZoneFile zoneFile = zoneOptions.read(file);
    ZoneValidator validator = ZoneValidator.defaults().withChainLimit(policy.chainLimit());
    refuseErrors(
        validator.validate(zoneFile),
        policy.scope() != FlatteningPolicy.Scope.ALIAS_RECORDS,
        err);
    Flattener flattener = Flattener.of(policy);
    if (keepAliases) {
      flattener = flattener.keepingAliasRecords();
    }
    List<Name> targets = flattener.targets(zoneFile.zone());
    AliasResolver resolver = upstream.resolver(policy);
    upstream.warnAnchors(targets, err::println);
    List<TargetLookup> lookups =
        TargetBatch.resolve(
            resolver, targets, Progress.onTerminal(err, "resolving alias targets", targets.size()));
    List<Resolution> resolutions = new ArrayList<>();
    lookups.forEach(l -> resolutions.addAll(l.resolutions()));
    FlattenedZone flat =
        flattener.flatten(
            zoneFile.zone(), AliasResults.of(resolutions), resolver.clock().instant(), null);

    // A CNAME the scope flattens may have been an error in the input; the output must be clean.
    refuseErrors(validator.validate(flat.zone()), false, err);

    // RFC 3597 generic form: alias records that keep a name in existence (and all of them with
    // --keep-aliases) load in servers that do not know the types.
    out.print(ZoneFileWriter.defaults().withGenericAliasTypes().toText(flat.zone()));
    out.flush();

    for (AliasChange change : flat.changes()) {
      err.println(change);
    }
    for (FlatteningProblem problem : flat.problems()) {
      err.println("problem: " + problem);
    }
    err.println(
        flat.zone().origin()
            + " serial "
            + flat.serial()
            + ": "
            + targets.size()
            + (targets.size() == 1 ? " alias target" : " alias targets")
            + " via "
            + upstream.names()
            + ", "
            + flat.problems().size()
            + (flat.problems().size() == 1 ? " problem" : " problems"));
    err.flush();
    // A target without addresses is a warning; an alias that could not be resolved is a finding.
    boolean unresolved = flat.problems().stream().anyMatch(p -> p.kind().isFailure());
    return unresolved ? Main.FINDINGS : Main.OK;
  }

  /**
   * Refuses a zone with errors, printing them: flattening does not repair a broken zone, and
   * its output must load in any server. Before flattening, the CNAME errors that the policy's
   * scope flattens away are let through; the flattened zone is checked again.
   */
  private void refuseErrors(ValidationReport report, boolean flattensCnames, PrintWriter err) {
    List<Finding> errors = new ArrayList<>();
    for (Finding f : report.findings(Severity.ERROR)) {
      boolean cnameRule = f.rule() == Rule.CNAME_AT_APEX || f.rule() == Rule.CNAME_AND_OTHER_DATA;
      if (!(flattensCnames && cnameRule)) {
        errors.add(f);
      }
    }
    if (!errors.isEmpty()) {
      errors.forEach(err::println);
      throw new UnusableInputException(
          file + ": the zone has errors (aliasdns check lists them); not flattened");
    }
  }

  /** The policy the options describe; a value out of range is unusable input. */
  static FlatteningPolicy policy(PolicyOptions options) {
    try {
      return options.policy();
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
  }
}
