package org.aliasdns.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * RFC 9460 §4.1: an SVCB or HTTPS answer carries, in the additional section, what the client
 * asks next where this zone has it: ServiceMode targets' addresses, AliasMode targets' own
 * RRsets, and the addresses an alias name publishes when it is a target.
 */
class ServiceBindingAdditionalTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Name CDN = Name.fromConstantString("edge.cdn.example.net.");
  private static final Zone ZONE =
      ZoneFileReader.defaults()
          .read(
              """
              $ORIGIN example.com.
              $TTL 300
              @      SOA   ns1 hostmaster 1 7200 900 1209600 300
              @      NS    ns1
              ns1    A     192.0.2.1
              @      HTTPS 0 svc
              svc    HTTPS 1 . alpn=h2
              svc    A     192.0.2.10
              svc    AAAA  2001:db8::10
              www    HTTPS 1 pool alpn=h3
              www    HTTPS 2 flat alpn=h2
              pool   A     192.0.2.20
              flat   ALIAS edge.cdn.example.net.
              away   HTTPS 1 svc.example.net.
              gone   HTTPS 0 .
              plain  HTTPS 0 pool
              toflat HTTPS 0 flat
              """,
              "example.com.zone")
          .zone();
  private static final AliasResults RESULTS =
      AliasResults.of(
          List.of(
              new Resolution.Answer(
                  CDN,
                  Type.A,
                  List.of(),
                  RecordSet.of(
                      new ARecord(CDN, DClass.IN, 60, new byte[] {(byte) 192, 0, 2, 80})),
                  NOW),
              new Resolution.NoData(CDN, Type.AAAA, List.of(), 60, NOW)));

  private static List<String> additional(String name) {
    Response r =
        QueryAnswerer.of(ZONE, FlatteningPolicy.defaults())
            .answer(Question.of(Name.fromConstantString(name), Type.HTTPS), RESULTS, NOW);
    return r.additional().stream().map(Record::toString).map(s -> s.replaceAll("\\s+", " ")).toList();
  }

  @Test
  void anAliasModeRecordBringsItsTargetsRrsetAndThatRecordsAddresses() {
    assertThat(additional("example.com."))
        .containsExactlyInAnyOrder(
            "svc.example.com. 300 IN HTTPS 1 . alpn=h2",
            "svc.example.com. 300 IN A 192.0.2.10",
            "svc.example.com. 300 IN AAAA 2001:db8:0:0:0:0:0:10");
  }

  @Test
  void anAliasModeTargetWithoutAnRrsetOfTheTypeBringsItsAddresses() {
    // RFC 9460 §2.4.2: the chain ends at pool, whose A the client connects to.
    assertThat(additional("plain.example.com."))
        .containsExactly("pool.example.com. 300 IN A 192.0.2.20");
  }

  @Test
  void anAliasModeTargetThatIsAnAliasNameBringsTheAddressesItPublishes() {
    assertThat(additional("toflat.example.com."))
        .containsExactly("flat.example.com. 60 IN A 192.0.2.80");
  }

  @Test
  void aServiceModeTargetOfDotMeansTheOwnersOwnAddresses() {
    assertThat(additional("svc.example.com."))
        .containsExactlyInAnyOrder(
            "svc.example.com. 300 IN A 192.0.2.10", "svc.example.com. 300 IN AAAA 2001:db8:0:0:0:0:0:10");
  }

  @Test
  void serviceModeTargetsBringTheirAddressesAnAliasNameThoseItPublishes() {
    assertThat(additional("www.example.com."))
        .containsExactlyInAnyOrder(
            "pool.example.com. 300 IN A 192.0.2.20", "flat.example.com. 60 IN A 192.0.2.80");
  }

  @Test
  void targetsOutsideTheZoneAndTheUnavailableServiceBringNothing() throws Exception {
    assertThat(additional("away.example.com.")).isEmpty();
    assertThat(additional("gone.example.com.")).isEmpty();
  }
}
