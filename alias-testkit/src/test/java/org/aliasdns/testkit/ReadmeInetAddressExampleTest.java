package org.aliasdns.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's InetAddress example, run as written (skipped, with the reason, on JDK 17). */
class ReadmeInetAddressExampleTest {
  // README InetAddress example starts here
  @RegisterExtension
  static FakeDnsExtension dns = FakeDnsExtension.of(FakeDns.recursive()
      .record("api.example.net. 60 A 192.0.2.10"))
      .withInetAddress();           // the JVM's own look-ups ask the fake during each test

  @Test
  void theJvmAsksTheFake(FakeDns fake) throws IOException {
    InetSocketAddress api = new InetSocketAddress("api.example.net", 443);  // InetAddress inside

    assertEquals("192.0.2.10", api.getAddress().getHostAddress());
    assertThrows(UnknownHostException.class, () -> InetAddress.getByName("db.example.net"));

    fake.inject(Fault.servfail().forName("api.example.net."));  // faults apply as ever
    assertThrows(UnknownHostException.class, () -> InetAddress.getByName("api.example.net"));
  }
  // README InetAddress example ends here

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/testkit/ReadmeInetAddressExampleTest.java",
        "README InetAddress example starts here",
        "README InetAddress example ends here");
  }
}
