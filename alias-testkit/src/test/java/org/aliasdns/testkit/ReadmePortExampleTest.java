package org.aliasdns.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.server.DnsServer;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The README's fixed-port example, run as written. */
class ReadmePortExampleTest {
  /** The port the example binds: picked free here, so that parallel builds do not collide. */
  static final int PORT = freePort();

  static int freePort() {
    try {
      return FixedPortTest.freePort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String firstAddress(SimpleResolver client) throws IOException {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromConstantString("cdn.example.org."), Type.A, DClass.IN));
    return client.send(query).getSection(Section.ANSWER).get(0).rdataToString();
  }

  // README port example starts here
  @RegisterExtension
  static FakeDnsExtension dns = FakeDnsExtension.of(FakeDns.recursive()
      .record("cdn.example.org. 60 A 192.0.2.10")
      .listen(new InetSocketAddress("127.0.0.1", PORT)))   // the port your CI allows
      .withNetwork();                                       // listening before each test

  @Test
  void answersOnTheChosenPort() throws IOException {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress("127.0.0.1", PORT));

    assertEquals("192.0.2.10", firstAddress(client));
  }

  @Test
  void answersInsideYourOwnServer(FakeDns fake) throws IOException {
    try (DnsServer server = DnsServer.builder(fake.handler())  // your address, threads, limits
        .udpThreads(1)
        .build()
        .start()) {
      assertEquals("192.0.2.10", firstAddress(new SimpleResolver(server.address())));
      assertEquals(1, fake.queryCount());                      // journaled all the same
    }
  }
  // README port example ends here

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/testkit/ReadmePortExampleTest.java",
        "README port example starts here",
        "README port example ends here");
  }
}
