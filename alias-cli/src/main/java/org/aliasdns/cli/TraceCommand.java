package org.aliasdns.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Resolution;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.Lookup;
import org.aliasdns.resolver.ResolverListener;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code aliasdns trace NAME --upstream HOST[:PORT]}: chases one name's chain as a flattener would
 * and shows each hop with its TTL, the final records, and the effective TTL with its derivation.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    header = "Show a name's chain, hop by hop, and its effective TTL.",
    sortOptions = false,
    description = {
      "Chases a name's CNAME/DNAME chain through a recursive server, as flattening an alias to"
          + " it would, and shows each hop with its TTL, the final records, and the effective"
          + " TTL with how it was derived.",
      "With --type HTTPS or SVCB, follows AliasMode records too (RFC 9460) to the ServiceMode"
          + " records.",
      "With several --upstream servers, each question is followed by the server that answered"
          + " it and those that failed before it.",
      "Exit status: 0 answered (NODATA and NXDOMAIN are answers), 1 upstream failure, loop or"
          + " over-long chain, 2 unusable input."
    })
final class TraceCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      converter = NameConverter.class,
      description = "The name to chase, e.g. an alias target.")
  Name name = Name.root;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = QuestionType.class,
      description = "A, AAAA, HTTPS or SVCB (default: A and AAAA).")
  @Nullable Integer type;

  @Mixin UpstreamOption upstream = new UpstreamOption();

  @Option(
      names = "--chain-limit",
      paramLabel = "HOPS",
      defaultValue = "16",
      description = "Most CNAME/DNAME hops to follow (default: 16).")
  int chainLimit = 16;

  @Override
  public Integer call() {
    PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
    FlatteningPolicy policy;
    try {
      policy = FlatteningPolicy.builder().chainLimit(chainLimit).build();
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
    // With several servers, say which one answered each question and which failed before it.
    List<String> asked = Collections.synchronizedList(new ArrayList<>());
    boolean several = upstream.upstreams.size() > 1;
    AliasResolver resolver =
        several
            ? upstream.resolver(
                policy,
                new ResolverListener() {
                  @Override
                  public void upstreamAnswered(String server, Name n, int t) {
                    asked.add(n + " " + Type.string(t) + " answered by " + server);
                  }

                  @Override
                  public void attemptFailed(String server, Name n, int t, String reason) {
                    asked.add(n + " " + Type.string(t) + " failed at " + server + ": " + reason);
                  }
                })
            : upstream.resolver(policy);
    upstream.warnAnchors(
        List.of(name), Objects.requireNonNull(spec).commandLine().getErr()::println);
    Integer only = type;
    List<Integer> types = only == null ? List.of(Type.A, Type.AAAA) : List.of(only);
    boolean failed = false;
    for (int i = 0; i < types.size(); i++) {
      int t = types.get(i);
      asked.clear();
      Lookup lookup = resolver.resolve(name, t).toCompletableFuture().join();
      if (i > 0) {
        out.println();
      }
      out.println(name + " " + Type.string(t));
      out.print(ChainText.format(lookup, "  "));
      if (upstream.trustAnchorFile != null) {
        out.println("  " + ChainText.security(lookup));
      }
      synchronized (asked) {
        for (String line : asked) {
          out.println("  " + line);
        }
      }
      Resolution r = lookup.resolution();
      failed |=
          r instanceof Resolution.Failure
              || r instanceof Resolution.Loop
              || r instanceof Resolution.ChainTooLong;
    }
    out.flush();
    return failed ? Main.FINDINGS : Main.OK;
  }

  /** Reads A, AAAA, HTTPS or SVCB, in any case. */
  static final class QuestionType implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return switch (value.toUpperCase(Locale.ROOT)) {
        case "A" -> Type.A;
        case "AAAA" -> Type.AAAA;
        case "HTTPS" -> Type.HTTPS;
        case "SVCB" -> Type.SVCB;
        default ->
            throw new TypeConversionException("'" + value + "' is not A, AAAA, HTTPS or SVCB");
      };
    }
  }
}
