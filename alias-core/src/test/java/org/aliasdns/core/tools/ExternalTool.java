package org.aliasdns.core.tools;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real DNS program that tests compare against (named-checkzone, nsd-checkzone, ...).
 *
 * <p>When the program is not installed, a test that needs it is skipped with a reason printed
 * to the console, never passed silently; with {@code ALIAS_REQUIRE_TOOLS=1} in the environment
 * (as {@code .ci/run} sets it) a missing program fails the test instead, so CI cannot go green
 * by skipping.
 */
public final class ExternalTool {
  private final String command;
  private final String debianPackage;

  private ExternalTool(String command, String debianPackage) {
    this.command = command;
    this.debianPackage = debianPackage;
  }

  /** BIND's zone checker, from Debian's {@code bind9-utils}. */
  public static final ExternalTool NAMED_CHECKZONE = new ExternalTool("named-checkzone", "bind9-utils");

  /** BIND's query tool, from Debian's {@code bind9-dnsutils}. */
  public static final ExternalTool DIG = new ExternalTool("dig", "bind9-dnsutils");

  /** Knot DNS's zone checker, from Debian's {@code knot-dnssecutils}. */
  public static final ExternalTool KZONECHECK = new ExternalTool("kzonecheck", "knot-dnssecutils");

  /** NSD, the authoritative server, from Debian's {@code nsd}. */
  public static final ExternalTool NSD = new ExternalTool("nsd", "nsd");

  /** Knot DNS, the authoritative server (catalog zones, RFC 9432), from Debian's {@code knot}. */
  public static final ExternalTool KNOTD = new ExternalTool("knotd", "knot");

  /** Unbound, the validating recursive resolver (RFC 4035 §5), from Debian's {@code unbound}. */
  public static final ExternalTool UNBOUND = new ExternalTool("unbound", "unbound");

  /** BIND's DNSSEC zone verifier, from Debian's {@code bind9-utils}. */
  public static final ExternalTool DNSSEC_VERIFY = new ExternalTool("dnssec-verify", "bind9-utils");

  /** ldns's DNSSEC zone verifier, from Debian's {@code ldnsutils}. */
  public static final ExternalTool LDNS_VERIFY_ZONE = new ExternalTool("ldns-verify-zone", "ldnsutils");

  /** BIND 9's server {@code named} (catalog zones, RFC 9432), from Debian's {@code bind9}. */
  public static final ExternalTool NAMED = new ExternalTool("named", "bind9");

  /**
   * Names another program.
   *
   * @param command the executable's file name
   * @param debianPackage the Debian package that installs it, for the skip message
   * @return the tool
   */
  public static ExternalTool of(String command, String debianPackage) {
    return new ExternalTool(command, debianPackage);
  }

  /** The result of one run. */
  public record Run(int exitCode, String output) {}

  /**
   * Returns the absolute path of the program, or empty if it is not on PATH or in sbin.
   *
   * @return the executable
   */
  public java.util.Optional<Path> find() {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.add("/usr/sbin");
    dirs.add("/usr/bin");
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Skips the calling test with a visible reason if the program is missing, or fails it when
   * {@code ALIAS_REQUIRE_TOOLS=1}.
   *
   * @return the executable
   */
  public Path require() {
    java.util.Optional<Path> found = find();
    if (found.isEmpty()) {
      String reason =
          command + " is not installed (apt-get install " + debianPackage + "); test skipped";
      if ("1".equals(System.getenv("ALIAS_REQUIRE_TOOLS"))) {
        fail(reason.replace("test skipped", "and ALIAS_REQUIRE_TOOLS=1"));
      }
      System.out.println("SKIPPED: " + reason);
      Assumptions.abort(reason);
    }
    return found.get();
  }

  /**
   * Runs the program with arguments, with standard error merged into the output. A {@code dig}
   * that received its own query instead of an answer is run again, up to twice: dig sets
   * SO_REUSEPORT on its UDP socket, so the kernel may give it, as its source port, the very port
   * of a server that sets SO_REUSEPORT too (Unbound, Knot), and its datagram then comes back to
   * its own connected socket (dig prints "query response not set": QR clear, RFC 1035 §4.1.1).
   *
   * @param args the arguments
   * @return exit code and output
   */
  public Run run(String... args) {
    Run run = runOnce(args);
    for (int again = 0; again < 2 && this == DIG && run.output().contains(OWN_QUERY); again++) {
      run = runOnce(args);
    }
    return run;
  }

  /** What dig prints when the message it got has QR clear: its own query, looped back. */
  private static final String OWN_QUERY = ";; Warning: query response not set";

  private Run runOnce(String... args) {
    Path exe = require();
    List<String> cmd = new ArrayList<>();
    cmd.add(exe.toString());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(command + " did not finish in 60 s");
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code named-checkzone -i local} on a file. {@code -i local} keeps its integrity
   * checks inside the zone: by default it looks out-of-zone names up through the system
   * resolver, which tests must never touch.
   *
   * @param origin the zone name
   * @param file the zone file
   * @return exit code (0 loaded, 1 refused) and output
   */
  public static Run namedCheckzone(String origin, Path file) {
    return NAMED_CHECKZONE.run("-i", "local", origin, file.toString());
  }

  /**
   * Runs Knot's {@code kzonecheck} on a file; it reads only the file.
   *
   * @param origin the zone name
   * @param file the zone file
   * @return exit code (0 loaded, else refused) and output
   */
  public static Run kzonecheck(String origin, Path file) {
    return KZONECHECK.run("-o", origin, file.toString());
  }
}
