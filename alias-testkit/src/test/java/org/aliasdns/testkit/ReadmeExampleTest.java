package org.aliasdns.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The example of the root README's "Testing your DNS code", compiled and run. */
class ReadmeExampleTest {
  // The code under test: looks up IPv4 addresses, asking once more after a SERVFAIL.
  static List<String> addresses(Resolver resolver, String name) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    Message reply = resolver.send(query);
    if (reply.getRcode() == Rcode.SERVFAIL) {
      reply = resolver.send(query);
    }
    List<String> out = new ArrayList<>();
    for (Record r : reply.getSection(Section.ANSWER)) {
      if (r instanceof ARecord a) {
        out.add(a.getAddress().getHostAddress());
      }
    }
    return out;
  }

  // README example starts here
  @RegisterExtension
  static FakeDnsExtension dns = FakeDnsExtension.of(FakeDns.recursive()
      .record("www.example.net. 300 CNAME cdn.example.org.")
      .record("cdn.example.org. 60 A 192.0.2.10"));

  @Test
  void asksAgainAfterServfail(FakeDns fake, Resolver resolver) throws IOException {
    fake.enqueue(Fault.servfail());                       // the upstream hiccups once

    List<String> found = addresses(resolver, "www.example.net.");

    assertEquals(List.of("192.0.2.10"), found);           // the chain was followed
    assertEquals(2, fake.queryCount("www.example.net.", Type.A));
    assertEquals(Fault.servfail(), fake.takeQuery().fault());
  }
  // README example ends here

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/testkit/ReadmeExampleTest.java",
        "README example starts here",
        "README example ends here");
  }
}
