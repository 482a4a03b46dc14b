package org.aliasdns.core;

import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.answer.Response;
import org.aliasdns.core.check.ZoneValidator;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.zonefile.ZoneFileWriter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The README's flattening and answering snippets, run as written, so they cannot rot. */
class ReadmeFlatteningExampleTest {
  private static final String ZONE =
      String.join(
          "\n",
          "$ORIGIN example.com.",
          "$TTL 3600",
          "@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
          "      IN NS  ns1",
          "      IN MX  10 mail",
          "      IN ALIAS my-app.cdn.example.net.",
          "ns1   IN A   192.0.2.1",
          "mail  IN A   192.0.2.2",
          "");

  @TempDir Path dir;

  @Test
  void readmeFlatteningAndAnsweringSnippetsWorkAsWritten() throws Exception {
    Path zoneFile = dir.resolve("example.com.zone");
    Files.writeString(zoneFile, ZONE);

    // --- README: flattening ---
    Zone zone = ZoneFileReader.defaults().read(zoneFile).zone();
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());
    List<Name> targets = flattener.targets(zone); // [my-app.cdn.example.net.]

    // What chasing the target found (alias-resolver produces these; written by hand here).
    Name target = Name.fromString("my-app.cdn.example.net.");
    Name edge = Name.fromString("edge.cdn.example.net.");
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    AliasResults results =
        AliasResults.of(
            new Resolution.Answer(
                target,
                Type.A,
                List.of(Hop.cname(target, edge, 120)),
                RecordSet.of(new ARecord(edge, DClass.IN, 300, Address.getByAddress("192.0.2.80"))),
                now),
            new Resolution.NoData(target, Type.AAAA, List.of(), 300, now));

    FlattenedZone flat = flattener.flatten(zone, results, now, null);
    System.out.print(ZoneFileWriter.defaults().toText(flat.zone()));
    //   @   120  IN  A  192.0.2.80     (min of ALIAS 3600, CNAME 120, A 300); no ALIAS left
    flat.changes().forEach(System.out::println);
    //   example.com. A: [] -> [192.0.2.80]

    // --- README: answering ---
    QueryAnswerer answerer = QueryAnswerer.of(zone, FlatteningPolicy.defaults());
    Message query = Message.newQuery(Record.newRecord(Name.fromString("EXAMPLE.com."), Type.A, DClass.IN));
    Response response = answerer.answer(Question.from(query), results, now);
    Message reply = response.toMessage(query);
    //   NOERROR, AA, answer: EXAMPLE.com. 120 IN A 192.0.2.80
    // --- end of README ---

    assertThat(targets).containsExactly(target);
    Name apex = Name.fromString("example.com.");
    assertThat(flat.zone().get(apex, Type.A))
        .hasValueSatisfying(
            set -> {
              assertThat(set.ttl()).isEqualTo(120);
              assertThat(set.records()).extracting(Record::rdataToString).containsExactly("192.0.2.80");
            });
    assertThat(flat.zone().get(apex, AliasRecord.ALIAS)).isEmpty();
    assertThat(flat.zone().get(apex, Type.AAAA)).isEmpty();
    assertThat(flat.changes()).hasSize(1);
    assertThat(ZoneValidator.defaults().validate(flat.zone()).hasErrors()).isFalse();

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(org.xbill.DNS.Flags.AA)).isTrue();
    assertThat(reply.getSection(org.xbill.DNS.Section.ANSWER))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getName().toString()).isEqualTo("EXAMPLE.com.");
              assertThat(r.getTTL()).isEqualTo(120);
              assertThat(r.rdataToString()).isEqualTo("192.0.2.80");
            });
  }
}
