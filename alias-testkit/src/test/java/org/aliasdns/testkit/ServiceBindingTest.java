package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.ask;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The fake serves SVCB and HTTPS records with RFC 9460 §4.1 additional-section processing, so
 * code that reads HTTPS records can be tested against what an authoritative server sends.
 */
class ServiceBindingTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.authoritative()
              .zone(
                  """
                  $ORIGIN example.net.
                  @    3600 SOA   ns1 hostmaster 1 7200 900 1209600 60
                  @    3600 NS    ns1
                  ns1  3600 A     198.51.100.53
                  @    300  HTTPS 0 svc
                  svc  300  HTTPS 1 . alpn=h2,h3
                  svc  300  A     192.0.2.10
                  svc  300  AAAA  2001:db8::10
                  """));

  private static List<String> section(Message m, int section) {
    return m.getSection(section).stream()
        .map(Record::toString)
        .map(s -> s.replaceAll("\\s+", " "))
        .toList();
  }

  @Test
  void anAliasModeAnswerCarriesTheTargetsServiceAndItsAddresses(Resolver resolver) throws Exception {
    Message reply = ask(resolver, "example.net.", Type.HTTPS);

    assertThat(section(reply, Section.ANSWER)).containsExactly("example.net. 300 IN HTTPS 0 svc.example.net.");
    assertThat(section(reply, Section.ADDITIONAL))
        .contains(
            "svc.example.net. 300 IN HTTPS 1 . alpn=h2,h3",
            "svc.example.net. 300 IN A 192.0.2.10",
            "svc.example.net. 300 IN AAAA 2001:db8:0:0:0:0:0:10");
  }
}
