package org.aliasdns.core.check;

import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.aliasdns.core.Rr.name;
import static org.aliasdns.core.Rr.rr;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.HTTPSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * The SVCB and HTTPS rules (RFC 9460), each with a zone that breaks it and one that does not.
 * The corpus in {@code corpus-svcb/} compares the same rules with BIND and Knot; these tests pin
 * the messages and the cases that only zones built in code can hold.
 */
class SvcbRulesTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  private static final String HEAD =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n"
          + "@ NS ns1\n"
          + "ns1 A 192.0.2.1\n"
          + "www A 192.0.2.80\n";

  private static ValidationReport check(String body) {
    return ZoneValidator.defaults()
        .validate(ZoneFileReader.forOrigin(ORIGIN).read(HEAD + body, "test.zone"));
  }

  private static List<String> ids(ValidationReport report) {
    return report.findings().stream()
        .map(f -> f.severity().label() + " " + f.rule().id())
        .collect(Collectors.toList());
  }

  private static Finding only(ValidationReport report) {
    assertThat(report.findings()).hasSize(1);
    return report.findings().get(0);
  }

  private static Zone.Builder base() {
    return Zone.builder(ORIGIN)
        .add(rr("example.com.", 3600, "SOA", "ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600"))
        .add(rr("example.com.", 3600, "NS", "ns1.example.com."))
        .add(rr("ns1.example.com.", 3600, "A", "192.0.2.1"))
        .add(rr("www.example.com.", 3600, "A", "192.0.2.80"));
  }

  private static HTTPSRecord https(String owner, int priority, String target, List<SVCBBase.ParameterBase> params) {
    return new HTTPSRecord(name(owner), DClass.IN, 300, priority, name(target), params);
  }

  @Test
  void aValidServiceModeRecordWithEveryKeyIsClean() {
    assertThat(
            check(
                "@ HTTPS 1 www alpn=h2,h3 no-default-alpn port=8443 ipv4hint=192.0.2.80"
                    + " ech=AEP+DQA/BAAgACA= ipv6hint=2001:db8::80 mandatory=alpn,port key65000=abc\n")
                .findings())
        .isEmpty();
  }

  @Test
  void svcParamsOnAnAliasModeRecordAreAWarning() {
    // The generic form of "@ HTTPS 0 www.example.com. alpn=h2", which dnsjava reads.
    Finding f =
        only(check("@ HTTPS \\# 26 0000 03777777076578616d706c6503636f6d00 0001 0003 026832\n"));

    assertThat(f.rule()).isEqualTo(Rule.SVCB_ALIAS_MODE_PARAMS);
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.type()).isEqualTo(Type.HTTPS);
    assertThat(f.message())
        .isEqualTo("HTTPS AliasMode record to www.example.com. has SvcParams (alpn), which clients ignore");
  }

  @Test
  void twoAliasModeRecordsInOneRRsetAreAWarning() {
    Finding f = only(check("@ HTTPS 0 a.example.net.\n@ HTTPS 0 b.example.net.\n"));

    assertThat(f.rule()).isEqualTo(Rule.SVCB_MULTIPLE_ALIAS_MODE);
    assertThat(f.message()).isEqualTo("2 AliasMode HTTPS records in one RRset; clients follow one at random");
  }

  @Test
  void oneAliasModeRecordBesideAnotherTypesRRsetIsClean() {
    assertThat(check("@ HTTPS 0 a.example.net.\n@ SVCB 0 b.example.net.\n").findings()).isEmpty();
  }

  @Test
  void aliasModeAndServiceModeInOneRRsetAreAWarning() {
    Finding f = only(check("@ SVCB 0 a.example.net.\n@ SVCB 1 www alpn=h2\n"));

    assertThat(f.rule()).isEqualTo(Rule.SVCB_MIXED_MODES);
    assertThat(f.type()).isEqualTo(Type.SVCB);
    assertThat(f.message())
        .isEqualTo("AliasMode and ServiceMode SVCB records in one RRset; clients ignore the 1 ServiceMode record");
  }

  @Test
  void mandatoryListingItselfIsAnError() {
    Finding f =
        only(check("@ HTTPS \\# 25 0001 03777777076578616d706c6503636f6d00 0000 0002 0000\n"));

    assertThat(f.rule()).isEqualTo(Rule.SVCB_BAD_MANDATORY);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.message()).isEqualTo("HTTPS record 1 www.example.com.: mandatory lists itself");
  }

  @Test
  void mandatoryListingAnAbsentKeyOrOneTwiceIsAnErrorInAZoneBuiltInCode() {
    // dnsjava refuses both in text and on the wire; a zone built from records in code holds them.
    Zone zone =
        base()
            .add(https("example.com.", 1, "www.example.com.",
                List.of(new SVCBBase.ParameterMandatory(List.of(SVCBBase.ALPN, SVCBBase.PORT, SVCBBase.PORT)),
                    port(443))))
            .build();

    Finding f = only(ZoneValidator.defaults().validate(zone));

    assertThat(f.rule()).isEqualTo(Rule.SVCB_BAD_MANDATORY);
    assertThat(f.message())
        .isEqualTo(
            "HTTPS record 1 www.example.com.: mandatory lists alpn, which the record does not have,"
                + " lists port twice");
  }

  @Test
  void mandatoryListingKeysThatArePresentIsClean() {
    assertThat(check("@ HTTPS 1 www alpn=h2 port=443 mandatory=alpn,port\n").findings()).isEmpty();
  }

  @Test
  void noDefaultAlpnWithoutAlpnIsAnError() {
    Finding f = only(check("@ HTTPS 1 www no-default-alpn port=443\n"));

    assertThat(f.rule()).isEqualTo(Rule.SVCB_NO_DEFAULT_ALPN_WITHOUT_ALPN);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.message()).isEqualTo("HTTPS record 1 www.example.com. has no-default-alpn without alpn");
  }

  @Test
  void aServiceModeTargetWithoutAddressesIsAWarning() {
    Finding f = only(check("@ HTTPS 1 svc alpn=h2\nsvc TXT \"none\"\n"));

    assertThat(f.rule()).isEqualTo(Rule.SVCB_TARGET_WITHOUT_ADDRESS);
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.message()).isEqualTo("HTTPS ServiceMode target svc.example.com. has no A or AAAA records");
  }

  @Test
  void aServiceModeDotTargetIsTheOwnerItself() {
    assertThat(ids(check("api HTTPS 1 . alpn=h2\napi TXT \"none\"\n")))
        .containsExactly("warning svcb-target-without-address");
    assertThat(check("api HTTPS 1 . alpn=h2\napi AAAA 2001:db8::1\n").findings()).isEmpty();
  }

  @Test
  void aServiceModeTargetThatIsAnAliasNameOrACnameToAHostIsClean() {
    assertThat(check("@ HTTPS 1 edge\nedge ALIAS cdn.example.net.\n").findings()).isEmpty();
    assertThat(check("@ HTTPS 1 edge\nedge CNAME www\n").findings()).isEmpty();
  }

  @Test
  void anOutOfZoneTargetIsNotChecked() {
    assertThat(check("@ HTTPS 1 svc.example.net. alpn=h2\n@ SVCB 0 gone.example.org.\n").findings()).isEmpty();
  }

  @Test
  void anAliasModeTargetThatDoesNotExistIsAWarningWithTheTrailingDotCase() {
    Finding f = only(check("@ HTTPS 0 cdn.example.net\n"));

    assertThat(f.rule()).isEqualTo(Rule.SVCB_TARGET_WITHOUT_ADDRESS);
    assertThat(f.message())
        .isEqualTo("HTTPS AliasMode target cdn.example.net.example.com. does not exist in the zone");
  }

  @Test
  void anAliasModeChainIsFollowedThroughCnamesAndAliasModeRecordsToItsEnd() {
    ValidationReport report = check("@ HTTPS 0 a\na CNAME b\nb HTTPS 0 c\nc TXT \"none\"\n");

    // Each AliasMode record is judged on its own, as each alias record is.
    assertThat(report.findings())
        .extracting(Finding::message)
        .containsExactly(
            "HTTPS AliasMode target a.example.com. leads to c.example.com., which has no A or AAAA"
                + " records",
            "HTTPS AliasMode target c.example.com. has no A or AAAA records");
  }

  @Test
  void anAliasModeChainEndingInServiceModeRecordsOrAddressesOrDotIsClean() {
    assertThat(check("@ HTTPS 0 a\na CNAME b\nb HTTPS 1 www alpn=h2\n").findings()).isEmpty();
    assertThat(check("@ HTTPS 0 www\n").findings()).isEmpty();
    assertThat(check("@ HTTPS 0 .\n").findings()).isEmpty();
    assertThat(check("@ HTTPS 0 a\na HTTPS 0 .\na TXT \"x\"\n").findings()).isEmpty();
  }

  @Test
  void aServiceModeRecordAtTheEndOfAnAliasChainOfAnotherTypeDoesNotCount() {
    // RFC 9460 §2.4.2: AliasMode asks the target for the same type; an SVCB RRset is not HTTPS.
    assertThat(ids(check("@ HTTPS 0 a\na SVCB 1 www\n")))
        .containsExactly("warning svcb-target-without-address");
  }

  @Test
  void anAliasModeLoopIsOneWarningAtTheCanonicallyFirstOwner() {
    ValidationReport report = check("b HTTPS 0 c\nc CNAME d\nd HTTPS 0 b\n");

    Finding f = only(report);
    assertThat(f.rule()).isEqualTo(Rule.SVCB_ALIAS_LOOP);
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.owner()).isEqualTo(name("b.example.com."));
    assertThat(f.message())
        .isEqualTo(
            "in-zone HTTPS AliasMode chain loops: b.example.com. -> c.example.com. -> d.example.com."
                + " -> b.example.com.");
  }

  /** n AliasMode records h0 -> h1 -> ... -> h(n-1), the last one to {@code last}. */
  private static String aliasChain(int n, String last) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < n; i++) {
      body.append('h').append(i).append(" HTTPS 0 ").append(i + 1 < n ? "h" + (i + 1) : last)
          .append('\n');
    }
    return body.toString();
  }

  @Test
  void anAliasModeLoopOfAnyLengthIsOneWarning() {
    for (int n : new int[] {2, 17, 18, 30, 5000}) {
      ValidationReport report = check(aliasChain(n, "h0"));

      assertThat(report.findings()).as("loop of %d", n).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo(Rule.SVCB_ALIAS_LOOP);
        assertThat(f.owner()).isEqualTo(name("h0.example.com."));
        assertThat(f.message())
            .startsWith("in-zone HTTPS AliasMode chain loops: h0.example.com. -> h1.example.com.")
            .endsWith(" -> h0.example.com.");
      });
    }
  }

  @Test
  void anAliasModeChainLongerThanTheLimitIsOneChainTooLongAtItsHead() {
    // The default limit is 16 hops: 16 AliasMode records to www are within it.
    assertThat(check(aliasChain(16, "www")).findings()).isEmpty();

    for (int n : new int[] {17, 30, 5000}) {
      ValidationReport report = check(aliasChain(n, "www"));

      assertThat(report.findings()).as("chain of %d", n).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo(Rule.CHAIN_TOO_LONG);
        assertThat(f.owner()).isEqualTo(name("h0.example.com."));
        assertThat(f.type()).isEqualTo(Type.HTTPS);
        assertThat(f.message())
            .isEqualTo("in-zone HTTPS AliasMode chain of " + n
                + " hops is longer than the limit of 16");
      });
    }
  }

  @Test
  void aChainIntoAnAliasModeLoopReportsTheLoopOnly() {
    ValidationReport report = check("x HTTPS 0 h0\n" + aliasChain(20, "h0"));

    assertThat(ids(report)).containsExactly("warning svcb-alias-loop");
  }

  @Test
  void aCnameBesideAnHttpsRRsetIsCnameAndOtherData() {
    Finding f = only(check("x CNAME www\nx HTTPS 1 . alpn=h2\n"));

    assertThat(f.rule()).isEqualTo(Rule.CNAME_AND_OTHER_DATA);
    assertThat(f.message()).isEqualTo("CNAME beside other data: HTTPS");
  }

  @Test
  void recordsBelowADelegationAreNotFollowed() {
    assertThat(check("sub NS ns.example.net.\nx.sub HTTPS 1 gone alpn=h2\n").findings()).isEmpty();
  }

  @Test
  void theApexSuggestionIsOffByDefaultAndNamesTheAliasTarget() {
    String body = "@ ALIAS cdn.example.net.\n";
    assertThat(check(body).findings()).isEmpty();

    ZoneValidator withSuggestion = ZoneValidator.defaults().withRule(Rule.APEX_ALIAS_WITHOUT_HTTPS, true);
    assertThat(withSuggestion.isOn(Rule.APEX_ALIAS_WITHOUT_HTTPS)).isTrue();
    ValidationReport report =
        withSuggestion.validate(ZoneFileReader.forOrigin(ORIGIN).read(HEAD + body, "test.zone"));

    Finding f = only(report);
    assertThat(f.severity()).isEqualTo(Severity.INFO);
    assertThat(f.toString())
        .isEqualTo(
            "test.zone:6: info apex-alias-without-https: example.com.: clients that ask for HTTPS"
                + " records would follow \"@ HTTPS 0 cdn.example.net.\" to the target's own; the"
                + " flattened A/AAAA serve the others");
    assertThat(report.hasErrors()).isFalse();
  }

  @Test
  void theApexSuggestionIsNotMadeWhereAnHttpsRRsetOrNoAliasIsAtTheApex() {
    ZoneValidator withSuggestion = ZoneValidator.defaults().withRule(Rule.APEX_ALIAS_WITHOUT_HTTPS, true);
    ZoneFileReader reader = ZoneFileReader.forOrigin(ORIGIN);

    assertThat(withSuggestion.validate(reader.read(HEAD + "@ ALIAS cdn.example.net.\n@ HTTPS 0 cdn.example.net.\n", "t")).findings())
        .isEmpty();
    assertThat(withSuggestion.validate(reader.read(HEAD + "app ALIAS cdn.example.net.\n", "t")).findings())
        .isEmpty();
  }

  @Test
  void aRuleSwitchedOffAddsNoFindingsNotEvenTheReaders() {
    String body = "x CNAME www\nx HTTPS 1 . alpn=h2\ny 60 A 192.0.2.9\ny 70 A 192.0.2.10\n";
    ZoneValidator off =
        ZoneValidator.defaults()
            .withRule(Rule.CNAME_AND_OTHER_DATA, false)
            .withRule(Rule.RRSET_TTL_MISMATCH, false);

    assertThat(ids(check(body))).containsExactlyInAnyOrder("error cname-and-other-data", "warning rrset-ttl-mismatch");
    assertThat(off.validate(ZoneFileReader.forOrigin(ORIGIN).read(HEAD + body, "t")).findings()).isEmpty();
    assertThat(off.isOn(Rule.CNAME_AND_OTHER_DATA)).isFalse();
  }

  private static SVCBBase.ParameterBase port(int port) {
    SVCBBase.ParameterPort p = new SVCBBase.ParameterPort();
    try {
      p.fromString(Integer.toString(port));
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IllegalArgumentException(e);
    }
    return p;
  }
}
