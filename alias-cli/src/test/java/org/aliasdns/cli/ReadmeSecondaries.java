package org.aliasdns.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.aliasdns.core.tools.CatalogSecondary;
import org.aliasdns.core.tools.ReadmeSnippets;

/**
 * The Knot and BIND configurations the README shows under "Secondaries from the catalog", and
 * how tests run them: as they stand, with the addresses moved to 127.0.0.1 and the test's
 * ports, and the files and logs of the program moved to the test's directory (the only lines
 * added). Any other drift between these and the README fails {@link #assertInReadme}.
 */
final class ReadmeSecondaries {
  private ReadmeSecondaries() {}

  static final String KNOT =
      """
      # README knot.conf: begin
      server:
          listen: 198.51.100.2@53

      key:
        - id: transfer.
          algorithm: hmac-sha256
          secret: yOdEcHuR8kK5S3YbJp4b5kYxZpQ2Vv9hV3tF3hq2m8Y=

      remote:
        - id: aliasdns
          address: 192.0.2.1@53
          key: transfer.

      acl:
        - id: notify_from_aliasdns
          address: 192.0.2.1
          key: transfer.
          action: notify

      template:
        - id: default
          master: aliasdns
          acl: notify_from_aliasdns

      zone:
        - domain: catalog.invalid.
          catalog-role: interpret
          catalog-template: default
      # README knot.conf: end
      """;

  static final String BIND =
      """
      # README named.conf: begin
      key "transfer." {
          algorithm hmac-sha256;
          secret "yOdEcHuR8kK5S3YbJp4b5kYxZpQ2Vv9hV3tF3hq2m8Y=";
      };

      options {
          directory "/var/cache/bind";
          listen-on { 198.51.100.2; };
          recursion no;
          allow-new-zones yes;
          catalog-zones {
              zone "catalog.invalid."
                  default-primaries { 192.0.2.1 port 53 key "transfer."; }
                  in-memory yes;
          };
      };

      zone "catalog.invalid." {
          type secondary;
          file "catalog.invalid.db";
          primaries { 192.0.2.1 port 53 key "transfer."; };
      };
      # README named.conf: end
      """;

  /** Fails unless the README shows both configurations as they are here. */
  static void assertInReadme() throws IOException {
    String source = "src/test/java/org/aliasdns/cli/ReadmeSecondaries.java";
    ReadmeSnippets.assertInReadme(source, "# README knot.conf: begin", "# README knot.conf: end");
    ReadmeSnippets.assertInReadme(
        source, "# README named.conf: begin", "# README named.conf: end");
  }

  /**
   * Starts the README's configuration of a kind on 127.0.0.1.
   *
   * @param kind Knot or BIND
   * @param dir the program's directory
   * @param port where it listens
   * @param primaryPort where aliasdns serve listens, on 127.0.0.1
   * @return the running secondary
   */
  static CatalogSecondary start(CatalogSecondary.Kind kind, Path dir, int port, int primaryPort)
      throws IOException {
    String text;
    if (kind == CatalogSecondary.Kind.KNOT) {
      text =
          replace(KNOT, "    listen: 198.51.100.2@53\n",
              "    listen: 127.0.0.1@" + port + "\n    rundir: \"" + dir + "\"\n");
      text = replace(text, "address: 192.0.2.1@53", "address: 127.0.0.1@" + primaryPort);
      text = replace(text, "address: 192.0.2.1\n", "address: 127.0.0.1\n");
      text =
          replace(text, "  - id: default\n", "  - id: default\n    storage: \"" + dir + "\"\n")
              + "database:\n    storage: \"" + dir + "\"\n"
              + "control:\n    listen: \"" + dir.resolve("knot.sock") + "\"\n"
              + "log:\n  - target: stderr\n    any: info\n";
    } else {
      text =
          replace(BIND, "    directory \"/var/cache/bind\";\n",
              "    directory \"" + dir + "\";\n"
                  + "    pid-file \"" + dir.resolve("named.pid") + "\";\n"
                  + "    session-keyfile \"" + dir.resolve("session.key") + "\";\n"
                  + "    managed-keys-directory \"" + dir + "\";\n"
                  + "    listen-on-v6 { none; };\n"
                  + "    dnssec-validation no;\n"
                  // BIND would notify the zones' NS addresses, which are not on loopback.
                  + "    notify no;\n");
      text = replace(text, "listen-on { 198.51.100.2; };", "listen-on port " + port + " { 127.0.0.1; };");
      text = replace(text, "192.0.2.1 port 53", "127.0.0.1 port " + primaryPort);
      text = "controls { };\n" + text;
    }
    return CatalogSecondary.startWith(kind, dir, text, port);
  }

  /** Replaces every occurrence of a text that must be there. */
  private static String replace(String text, String what, String with) {
    if (!text.contains(what)) {
      throw new IllegalStateException("the README's configuration no longer has: " + what);
    }
    return text.replace(what, with);
  }
}
