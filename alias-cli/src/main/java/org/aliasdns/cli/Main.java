package org.aliasdns.cli;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/**
 * The {@code aliasdns} command. Exit codes: 0 success, 1 findings or failure, 2 unusable input,
 * 70 a fatal error that ended {@code aliasdns serve}.
 *
 * @since 0.1
 */
@Command(
    name = "aliasdns",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "CNAME flattening and ALIAS/ANAME resolution.",
    subcommands = {
      CheckCommand.class,
      FlattenCommand.class,
      TraceCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      KeygenCommand.class,
      SignCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  /** Success. */
  public static final int OK = 0;

  /** Findings of severity error, or a failure (an upstream that did not answer, say). */
  public static final int FINDINGS = 1;

  /** Unusable input: a bad option, an unreadable or malformed file. */
  public static final int UNUSABLE = 2;

  /**
   * {@code aliasdns serve} met a fatal error (out of memory, say) on a server thread and ended the
   * process, so that a supervisor restarts it; 70 is {@code EX_SOFTWARE} of BSD's sysexits.
   */
  public static final int FATAL = 70;

  /** Creates the root command; picocli does, through reflection. */
  public Main() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    int code;
    try {
      Integer quick = checkAlone(args);
      code = quick != null ? quick : run(args);
    } catch (OutOfMemoryError e) {
      // A zone too large for the heap (millions of records, or $GENERATE lines that make them):
      // one line saying so, not a stack trace; the heap is the user's to raise.
      System.err.println(outOfMemory(e));
      code = UNUSABLE;
    }
    System.exit(code);
  }

  /**
   * The line for a run that ran out of heap: how to give it more, for the launcher ({@code
   * ALIASDNS_JAVA_OPTS}, which replaces its JVM settings) and for {@code java -jar} ({@code
   * -Xmx}); nothing reads {@code JAVA_OPTS}.
   */
  static String outOfMemory(OutOfMemoryError e) {
    return "aliasdns: out of memory (" + e.getMessage() + "): the input needs more heap than"
        + " this JVM has; give more with ALIASDNS_JAVA_OPTS=-Xmx2g ./aliasdns ... or"
        + " java -Xmx2g -jar aliasdns.jar ..., or split the zone";
  }

  /**
   * Runs the command line without exiting, for tests and embedding.
   *
   * @param args the arguments
   * @return the exit code
   */
  public static int run(String... args) {
    return commandLineFor(args).execute(args);
  }

  /**
   * Runs {@code check FILE}, the command alone with one plain file name and no option, as the
   * command line would, without building picocli's model of it: picocli's classes are older than
   * a class-data archive can hold, so they are loaded and verified anew on every start, which
   * was a fifth of the CPU time of checking a zone of 100,000 records. Returns null for any
   * other arguments (an option, an {@code @file}, more or fewer arguments), which picocli runs.
   * The output, the messages and the exit code are those of {@link #run(PrintWriter,
   * PrintWriter, String...)}.
   */
  static @Nullable Integer checkAlone(String... args) {
    if (args.length != 2 || !args[0].equals("check") || args[1].isEmpty()) {
      return null;
    }
    char first = args[1].charAt(0);
    if (first == '-' || first == '@') {
      return null;
    }
    // The encodings picocli would write in (see CommandLine.getOut and getErr).
    PrintWriter out = writer(System.out, "sun.stdout.encoding");
    PrintWriter err = writer(System.err, "sun.stderr.encoding");
    return checkAlone(out, err, args[1]);
  }

  private static PrintWriter writer(OutputStream stream, String encodingProperty) {
    String encoding = System.getProperty(encodingProperty);
    Charset charset = encoding != null ? Charset.forName(encoding) : Charset.defaultCharset();
    return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)));
  }

  /** {@code check FILE} as {@link #checkAlone(String...)}, writing to the given writers. */
  static int checkAlone(PrintWriter out, PrintWriter err, String file) {
    try {
      CheckCommand check = new CheckCommand();
      check.file = Path.of(file);
      return check.check(out);
    } catch (UnusableInputException e) {
      out.flush();
      err.println("aliasdns check: " + e.getMessage());
      return UNUSABLE;
    } catch (RuntimeException e) {
      out.flush();
      err.println("aliasdns check: failed: " + e);
      e.printStackTrace(err);
      return FINDINGS;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Returns the configured command line: picocli's usage errors exit with {@link #UNUSABLE}.
   *
   * @return a new command line
   */
  public static CommandLine commandLine() {
    return configured(new CommandLine(new Main()));
  }

  /**
   * Returns the command line for these arguments: when the first names a command, a root with
   * that one command under it, which parses, runs and reports exactly as the whole tree does
   * (the same root name, options and handlers). picocli models every command of a tree up
   * front, by reflection over all their options, which was most of the start-up of a short
   * {@code aliasdns check}; anything else (no command, {@code help}, a root option, a typo for
   * picocli to suggest a correction to) gets the whole tree.
   */
  static CommandLine commandLineFor(String... args) {
    Object only = args.length == 0 ? null : command(args[0]);
    if (only == null) {
      return commandLine();
    }
    CommandLine cli = new CommandLine(new Root());
    cli.addSubcommand(only);
    return configured(cli);
  }

  /** A new instance of the command of that name in {@link Main}'s subcommands, or null. */
  private static @Nullable Object command(String name) {
    switch (name) {
      case "check":
        return new CheckCommand();
      case "flatten":
        return new FlattenCommand();
      case "trace":
        return new TraceCommand();
      case "serve":
        return new ServeCommand();
      case "demo":
        return new DemoCommand();
      case "keygen":
        return new KeygenCommand();
      case "sign":
        return new SignCommand();
      default:
        return null;
    }
  }

  private static CommandLine configured(CommandLine cli) {
    versionEverywhere(cli);
    cli.setExitCodeExceptionMapper(e -> UNUSABLE);
    cli.getCommandSpec().exitCodeOnInvalidInput(UNUSABLE);
    cli.setExecutionExceptionHandler(Main::failed);
    return cli;
  }

  /**
   * Gives every command under the root the root's version provider: each has {@code --version}
   * and {@code -V} (picocli's standard help options), which printed nothing without one.
   */
  private static void versionEverywhere(CommandLine cli) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().versionProvider() == null) {
        sub.getCommandSpec().versionProvider(new Version());
      }
      versionEverywhere(sub);
    }
  }

  /** {@link Main}'s root command with no commands under it: one is added (see {@link #commandLineFor}). */
  @Command(
      name = "aliasdns",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "CNAME flattening and ALIAS/ANAME resolution.")
  static final class Root {}

  /**
   * Runs the command line with its output and diagnostics going to the given writers instead
   * of {@code System.out} and {@code System.err}, for tests and embedding.
   *
   * @param out where results go (zone text, findings)
   * @param err where diagnostics and usage errors go
   * @param args the arguments
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    try {
      return commandLineFor(args).setOut(out).setErr(err).execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Reports an exception a command threw: unusable input by its message alone (exit {@link
   * #UNUSABLE}), anything else as the failure it is, with its stack trace (exit {@link
   * #FINDINGS}).
   */
  private static int failed(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    if (e instanceof UnusableInputException) {
      err.println(name + ": " + e.getMessage());
      err.flush();
      return UNUSABLE;
    }
    err.println(name + ": failed: " + e);
    e.printStackTrace(err);
    err.flush();
    return FINDINGS;
  }

  /** Reports the version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"aliasdns " + (v == null ? "development" : v)};
    }
  }
}
