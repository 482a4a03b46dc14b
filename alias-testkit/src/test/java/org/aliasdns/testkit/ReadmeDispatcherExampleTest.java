package org.aliasdns.testkit;

import static org.aliasdns.testkit.ReadmeExampleTest.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Resolver;

/** The README's dispatcher example, run as written. */
class ReadmeDispatcherExampleTest {
  // README dispatcher example starts here
  @RegisterExtension
  static FakeDnsExtension dns = FakeDnsExtension.of(FakeDns.recursive()
      .record("www.example.net. 300 A 192.0.2.10")
      .dispatcher(query -> query.name().toString().endsWith(".users.example.net.")
          ? Fault.answer(query.name() + " 60 A 198.51.100.1")  // every name under users.
          : Fault.none()));                                    // the rest from the records

  @Test
  void answersEveryUserName(FakeDns fake, Resolver resolver) throws IOException {
    fake.enqueue(Fault.servfail());                            // faults still come first

    assertEquals(List.of("198.51.100.1"), addresses(resolver, "alice.users.example.net."));
    assertEquals(List.of("192.0.2.10"), addresses(resolver, "www.example.net."));
    assertEquals(Fault.servfail(), fake.takeQuery().fault());  // the journal as ever
  }
  // README dispatcher example ends here

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/testkit/ReadmeDispatcherExampleTest.java",
        "README dispatcher example starts here",
        "README dispatcher example ends here");
  }
}
