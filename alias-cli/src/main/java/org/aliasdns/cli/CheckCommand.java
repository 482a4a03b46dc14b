package org.aliasdns.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;
import org.aliasdns.core.check.Severity;
import org.aliasdns.core.zonefile.SourcePosition;
import org.aliasdns.core.check.ValidationReport;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.check.ZoneValidator;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aliasdns check ZONEFILE}: the validator. One finding per line in the form compilers and
 * {@code named-checkzone} use, then a summary line; exit 1 if any finding is an error.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    header = "Check a zone file: CNAME, ALIAS/ANAME, DNAME, SVCB/HTTPS and apex rules.",
    sortOptions = false,
    description = {
      "Checks a zone file against the CNAME, ALIAS/ANAME, DNAME, SVCB/HTTPS and apex rules.",
      "Prints one finding per line (file:line: severity rule-id: owner: message) and a summary.",
      "Findings of severity info are suggestions, such as the HTTPS AliasMode record beside an"
          + " apex ALIAS (RFC 9460); --no-suggestions leaves them out.",
      "Exit status: 0 no errors (warnings and suggestions allowed), 1 errors found, 2 unusable"
          + " input."
    })
final class CheckCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format {
    text,
    json
  }

  @Spec @Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ZONEFILE", description = "The master file to check; - reads standard input.")
  Path file = Path.of("");

  @Mixin ZoneOptions zoneOptions = new ZoneOptions();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json, one object for tools.")
  Format format = Format.text;

  @Option(
      names = "--chain-limit",
      paramLabel = "HOPS",
      defaultValue = "16",
      description = "Longest in-zone CNAME/DNAME/alias chain before chain-too-long (default: 16).")
  int chainLimit = ZoneValidator.DEFAULT_CHAIN_LIMIT;

  @Option(
      names = "--no-suggestions",
      description =
          "Leave out the findings of severity info (suggestions), such as apex-alias-without-https.")
  boolean noSuggestions;

  @Override
  public Integer call() {
    return check(Objects.requireNonNull(spec).commandLine().getOut());
  }

  /**
   * Checks the file with these options, printing to {@code out}; returns the exit code.
   *
   * @throws UnusableInputException if the file cannot be read or is malformed
   */
  int check(PrintWriter out) {
    if (chainLimit < 1) {
      throw new UnusableInputException("--chain-limit must be at least 1: " + chainLimit);
    }
    ZoneFile zone = zoneOptions.read(file);
    // The target and chain rules are independent: on every core (the common pool has one
    // thread per core but one, and this thread works too).
    ZoneValidator validator =
        ZoneValidator.defaults().withChainLimit(chainLimit).withExecutor(ForkJoinPool.commonPool());
    if (!noSuggestions) {
      for (Rule rule : Rule.values()) {
        if (rule.severity() == Severity.INFO) {
          validator = validator.withRule(rule, true);
        }
      }
    }
    ValidationReport report = validator.validate(zone);
    int errors = report.findings(Severity.ERROR).size();
    int warnings = report.findings(Severity.WARNING).size();
    int suggestions = report.findings(Severity.INFO).size();
    if (format == Format.json) {
      out.println(json(zone, report, errors, warnings, suggestions));
    } else {
      for (Finding f : report.findings()) {
        // a finding with no line (missing-soa, say) is about the file as a whole: named by it
        out.println(f.position() == null ? file + ": " + f : f.toString());
      }
      out.println(summary(file.toString(), zone.zone().origin(), errors, warnings, suggestions));
    }
    out.flush();
    return errors > 0 ? Main.FINDINGS : Main.OK;
  }

  /**
   * {@code example.com.zone: zone example.com.: 1 error, 2 warnings}, with {@code , 1 suggestion}
   * when there are any.
   */
  static String summary(String file, Name origin, int errors, int warnings, int suggestions) {
    return file + ": zone " + origin + ": " + count(errors, "error") + ", " + count(warnings, "warning")
        + (suggestions > 0 ? ", " + count(suggestions, "suggestion") : "");
  }

  private static String count(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  private String json(
      ZoneFile zone, ValidationReport report, int errors, int warnings, int suggestions) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"file\":").append(Json.string(file.toString()));
    sb.append(",\"origin\":").append(Json.string(zone.zone().origin().toString()));
    sb.append(",\"errors\":").append(errors);
    sb.append(",\"warnings\":").append(warnings);
    sb.append(",\"suggestions\":").append(suggestions);
    sb.append(",\"findings\":[");
    boolean first = true;
    for (Finding f : report.findings()) {
      sb.append(first ? "\n" : ",\n");
      first = false;
      SourcePosition at = f.position();
      sb.append("{\"file\":").append(Json.string(at == null ? file.toString() : at.source()));
      sb.append(",\"line\":").append(at == null ? "null" : Integer.toString(at.line()));
      sb.append(",\"severity\":").append(Json.string(f.severity().label()));
      sb.append(",\"rule\":").append(Json.string(f.rule().id()));
      sb.append(",\"owner\":").append(Json.string(f.owner().toString()));
      sb.append(",\"type\":").append(f.type() == 0 ? "null" : Json.string(Type.string(f.type())));
      sb.append(",\"message\":").append(Json.string(f.message()));
      sb.append(",\"reference\":").append(Json.string(f.rule().reference()));
      sb.append('}');
    }
    sb.append(first ? "]}" : "\n]}");
    return sb.toString();
  }
}
