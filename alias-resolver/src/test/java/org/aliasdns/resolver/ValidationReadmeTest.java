package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.aliasdns.testkit.SigningFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The README's "Validating alias targets" snippet, run as written against a recursive fake
 * serving a signed zone on loopback, on a clock that starts now (the snippet's resolver reads
 * the wall clock).
 */
class ValidationReadmeTest {
  @TempDir Path dir;

  @Test
  void readmeSnippetWorksAsWritten() throws Exception {
    try (FakeDns fake =
        FakeDns.recursive()
            .clock(ManualClock.startingAt(Instant.now()))
            .signedZone(ValidationTest.NET, SigningFault.NONE)
            .signedZone(ValidationTest.ORG, SigningFault.NONE)
            .zone(ValidationTest.SUB)
            .build()
            .start()) {
      InetSocketAddress recursive = fake.address();
      Path anchorFile = dir.resolve("anchors.ds");
      StringBuilder text = new StringBuilder();
      for (Record r : fake.trustAnchor("example.net.")) {
        text.append(r).append('\n');
      }
      for (Record r : fake.trustAnchor("example.org.")) {
        text.append(r).append('\n');
      }
      Files.writeString(anchorFile, text);

      // README validation example starts here
      AliasResolver resolver = AliasResolver.builder()
          .upstream(recursive)
          .trustAnchors(TrustAnchors.read(anchorFile))  // DS or DNSKEY lines, e.g. the root's DS
          .signatureSkew(Duration.ofHours(1), Duration.ofDays(1))  // the default, Unbound's
          .build();
      Lookup lookup = resolver.resolve(Name.fromString("www.example.net."), Type.A)
          .toCompletableFuture().join();
      lookup.security();  // SECURE, INSECURE, INDETERMINATE, or BOGUS: a Failure, never published
      // README validation example ends here

      assertThat(lookup.security()).isEqualTo(Security.SECURE);
      assertThat(lookup.hasAnswer()).isTrue();
      Lookup insecure =
          resolver.resolve(Name.fromString("plain.example.net."), Type.A)
              .toCompletableFuture().join();
      assertThat(insecure.security()).isEqualTo(Security.INSECURE);
    }
  }

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    assumeTrue(readme.contains("## Resolving alias targets"),
        "the root README has no \"Resolving alias targets\" section yet");
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/resolver/ValidationReadmeTest.java",
        "README validation example starts here",
        "README validation example ends here");
  }
}
