package org.aliasdns.core.check;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.SourcePosition;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class ZoneValidatorTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  /** SOA and two NS at the apex; ns1 is in the zone with an address. */
  private static final String HEAD =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n"
          + "@ NS ns1\n"
          + "@ NS ns2.example.net.\n"
          + "ns1 A 192.0.2.1\n";

  private static final int HEAD_LINES = 5;

  private static ZoneFile read(String body) {
    return ZoneFileReader.forOrigin(ORIGIN).read(HEAD + body, "test.zone");
  }

  private static ValidationReport check(String body) {
    return ZoneValidator.defaults().validate(read(body));
  }

  private static List<String> ids(ValidationReport report) {
    return report.findings().stream()
        .map(f -> f.severity().label() + " " + f.rule().id())
        .collect(Collectors.toList());
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  /** An alias record line in mnemonic form: owner and type, then the target. */
  private static String alias(String ownerAndType, String target) {
    return ownerAndType + " " + target;
  }

  @Nested
  class Clean {
    @Test
    void aTypicalZoneHasNoFindings() {
      ValidationReport report =
          check(
              "@ A 192.0.2.10\n"
                  + "@ MX 10 mail\n"
                  + "mail A 192.0.2.25\n"
                  + "www CNAME @\n"
                  + "_sip._tcp SRV 0 5 5060 sip\n"
                  + "sip AAAA 2001:db8::5\n");

      assertThat(report.findings()).isEmpty();
      assertThat(report.isClean()).isTrue();
      assertThat(report.hasErrors()).isFalse();
    }

    @Test
    void aliasAtTheApexBesideSoaNsAndMxIsTheWholePoint() {
      ValidationReport report =
          check(alias("@ ALIAS", "cdn.example.net.") + "\n@ MX 10 ns1\n@ TXT hello\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void genericAndMnemonicAliasFormsAreTheSame() {
      // TYPE65401 \# 17 ... is how BIND must be given an ALIAS; our reader takes either form.
      ValidationReport report =
          check("www CNAME host\nhost A 192.0.2.3\nwww TYPE65401 \\# 17 03636466076578616d706c65036e657400\n");

      assertThat(ids(report)).containsExactly("error alias-and-cname");
    }
  }

  @Nested
  class CnameAndOtherData {
    @Test
    void cnameBesideAnAddressIsAnError() {
      ValidationReport report = check("www CNAME host\nwww A 192.0.2.2\nhost A 192.0.2.3\n");

      assertThat(ids(report)).containsExactly("error cname-and-other-data");
      Finding f = report.findings().get(0);
      assertThat(f.owner()).isEqualTo(name("www.example.com."));
      assertThat(f.type()).isEqualTo(Type.CNAME);
      assertThat(f.message()).contains("A");
    }

    @Test
    void namesThatDifferOnlyInCaseConflict() {
      ValidationReport report = check("WWW CNAME host\nwww A 192.0.2.2\nhost A 192.0.2.3\n");

      assertThat(ids(report)).containsExactly("error cname-and-other-data");
    }

    @Test
    void rrsigAndNsecMaySitBesideACname() {
      ValidationReport report =
          check(
              "www CNAME host\n"
                  + "www RRSIG CNAME 8 3 3600 20300101000000 20240101000000 12345 example.com."
                  + " AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=\n"
                  + "www NSEC host.example.com. CNAME RRSIG NSEC\n"
                  + "host A 192.0.2.3\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void keyMaySitBesideACnameAsBindAllows() {
      ValidationReport report =
          check(
              "www CNAME host\n"
                  + "www KEY 256 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=\n"
                  + "host A 192.0.2.3\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void dsBesideACnameIsOtherData() {
      ValidationReport report =
          check(
              "www CNAME host\n"
                  + "www DS 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE5F6C1F8E3DBAF1E1C2D3A4B5\n"
                  + "host A 192.0.2.3\n");

      assertThat(ids(report)).containsExactly("error cname-and-other-data");
    }

    @Test
    void aCnameAtADelegationPointIsOtherData() {
      ValidationReport report =
          check("sub NS ns.example.net.\nsub CNAME host\nhost A 192.0.2.3\n");

      assertThat(ids(report)).containsExactly("error cname-and-other-data");
    }

    @Test
    void aWildcardCnameBesideDataConflicts() {
      ValidationReport report = check("* CNAME host\n* TXT wild\nhost A 192.0.2.3\n");

      assertThat(ids(report)).containsExactly("error cname-and-other-data");
      assertThat(report.findings().get(0).owner()).isEqualTo(name("*.example.com."));
    }

    @Test
    void aCnameAtTheApexIsReportedOnceAsCnameAtApex() {
      ValidationReport report = check("@ CNAME host.example.net.\n");

      assertThat(ids(report)).containsExactly("error cname-at-apex");
    }

    @Test
    void twoDifferentCnamesAtOneNameAreAnError() {
      ValidationReport report =
          check("www CNAME a\nwww CNAME b\na A 192.0.2.3\nb A 192.0.2.4\n");

      assertThat(ids(report)).containsExactly("error multiple-cname");
    }

    @Test
    void theSameCnameTwiceIsOneRecord() {
      ValidationReport report = check("www CNAME host\nwww CNAME HOST\nhost A 192.0.2.3\n");

      assertThat(report.findings()).isEmpty();
    }
  }

  @Nested
  class Aliases {
    @Test
    void anAliasBesideACnameIsAnErrorAtTheAliasRecord() {
      ValidationReport report =
          check("www CNAME host\n" + alias("www ANAME", "cdn.example.net.") + "\nhost A 192.0.2.3\n");

      assertThat(ids(report)).containsExactly("error alias-and-cname");
      assertThat(report.findings().get(0).type()).isEqualTo(AliasRecord.ANAME);
      assertThat(report.findings().get(0).position()).isEqualTo(new SourcePosition("test.zone", HEAD_LINES + 2));
    }

    @Test
    void aliasAndAnameAtOneNameWarn() {
      ValidationReport report =
          check(alias("@ ALIAS", "cdn.example.net.") + "\n" + alias("@ ANAME", "cdn.example.org.") + "\n");

      assertThat(ids(report)).containsExactly("warning multiple-alias");
    }

    @Test
    void twoAliasTargetsOfOneTypeWarn() {
      ValidationReport report =
          check(alias("app ALIAS", "a.example.net.") + "\n" + alias("app ALIAS", "b.example.net.") + "\n");

      assertThat(ids(report)).containsExactly("warning multiple-alias");
    }

    @Test
    void explicitAddressesBesideAnAliasAreShadowingWarnings() {
      ValidationReport report =
          check(alias("@ ALIAS", "cdn.example.net.") + "\n@ AAAA 2001:db8::80\n");

      assertThat(ids(report)).containsExactly("warning alias-shadowed");
      assertThat(report.findings().get(0).type()).isEqualTo(Type.AAAA);
    }
  }

  @Nested
  class Targets {
    @Test
    void anMxTargetThatIsACnameWarns() {
      ValidationReport report = check("@ MX 10 mail\nmail CNAME ns1\n");

      assertThat(ids(report)).containsExactly("warning target-is-alias");
      Finding f = report.findings().get(0);
      assertThat(f.owner()).isEqualTo(ORIGIN);
      assertThat(f.type()).isEqualTo(Type.MX);
    }

    @Test
    void targetsAreMatchedIgnoringCase() {
      ValidationReport report = check("@ MX 10 MAIL\nmail CNAME ns1\n");

      assertThat(ids(report)).containsExactly("warning target-is-alias");
    }

    @Test
    void anSrvTargetThatIsAnAliasWarns() {
      ValidationReport report =
          check("_sip._tcp SRV 0 0 5060 sip\n" + alias("sip ALIAS", "sip.example.net.") + "\n");

      assertThat(ids(report)).containsExactly("warning target-is-alias");
    }

    @Test
    void anApexNsTargetThatIsACnameIsAnError() {
      ValidationReport report = check("@ NS ns3\nns3 CNAME ns1\n");

      assertThat(ids(report)).containsExactly("error target-is-alias");
      assertThat(report.findings().get(0).rule().severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void aDelegationNsTargetThatIsACnameOnlyWarns() {
      ValidationReport report = check("sub NS nsc\nnsc CNAME ns1\n");

      assertThat(ids(report)).containsExactly("warning target-is-alias");
    }

    @Test
    void anApexNsTargetThatIsAnAliasWithoutAddressesIsAnError() {
      ValidationReport report = check("@ NS ns3\n" + alias("ns3 ALIAS", "ns.example.net.") + "\n");

      assertThat(ids(report)).containsExactly("error target-is-alias");
    }

    @Test
    void anApexNsTargetThatIsAnAliasWithAnAddressOnlyWarns() {
      ValidationReport report =
          check("@ NS ns3\n" + alias("ns3 ALIAS", "ns.example.net.") + "\nns3 A 192.0.2.53\n");

      assertThat(ids(report)).containsExactlyInAnyOrder("warning target-is-alias", "warning alias-shadowed");
    }

    @Test
    void anMxTargetWithoutAddressesWarns() {
      ValidationReport report = check("@ MX 10 mail\nmail TXT nothing\n");

      assertThat(ids(report)).containsExactly("warning target-without-address");
    }

    @Test
    void anApexNsTargetWithoutAddressesIsAnError() {
      ValidationReport report = check("@ NS ns3\n");

      assertThat(ids(report)).containsExactly("error target-without-address");
    }

    @Test
    void anAaaaRecordIsEnoughOfAnAddress() {
      ValidationReport report = check("@ NS ns3\nns3 AAAA 2001:db8::53\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void targetsOutsideTheZoneAreNotLookedUp() {
      ValidationReport report = check("@ MX 10 mail.example.net.\nsub NS ns.example.org.\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void aNullMxOrSrvTargetMeansNoService() {
      ValidationReport report = check("@ MX 0 .\n_ftp._tcp SRV 0 0 0 .\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void aWildcardAddressAnswersForAMissingTarget() {
      ValidationReport report = check("@ MX 10 mail\n* A 192.0.2.99\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void aWildcardCnameMakesTheTargetACname() {
      ValidationReport report = check("@ MX 10 mail\n* CNAME ns1\n");

      assertThat(ids(report)).containsExactly("warning target-is-alias");
    }

    @Test
    void aWildcardDoesNotAnswerForAnEmptyNonTerminal() {
      // RFC 4592 §2.2.2: b exists (it has a descendant), so the wildcard does not apply.
      ValidationReport report = check("@ MX 10 b\na.b A 192.0.2.7\n* A 192.0.2.99\n");

      assertThat(ids(report)).containsExactly("warning target-without-address");
    }

    @Test
    void onlyTheWildcardAtTheClosestEncloserApplies() {
      ValidationReport report = check("@ MX 10 x.y\ny TXT here\n* A 192.0.2.99\n");

      assertThat(ids(report)).containsExactly("warning target-without-address");
    }

    @Test
    void anMxTargetBelowADelegationIsAnsweredByReferral() {
      ValidationReport report = check("@ MX 10 mail.sub\nsub NS ns.example.net.\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void anMxTargetBelowADnameWarns() {
      ValidationReport report = check("@ MX 10 mail.d\nd DNAME example.net.\n");

      assertThat(ids(report)).containsExactly("warning target-below-dname");
    }

    @Test
    void anApexNsTargetBelowADnameIsAnError() {
      ValidationReport report = check("@ NS ns.d\nd DNAME example.net.\n");

      assertThat(ids(report)).containsExactly("error target-below-dname");
    }

    @Test
    void recordsBelowADelegationAreNotCheckedAsTargets() {
      ValidationReport report = check("sub NS ns.example.net.\nhost.sub MX 10 nowhere\n");

      assertThat(report.findings()).isEmpty();
    }
  }

  @Nested
  class Glue {
    @Test
    void aDelegationWithGlueIsClean() {
      ValidationReport report = check("sub NS ns.sub\nns.sub A 192.0.2.60\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void anInBailiwickNameServerWithoutGlueWarns() {
      ValidationReport report = check("sub NS ns.sub\n");

      assertThat(ids(report)).containsExactly("warning missing-glue");
      assertThat(report.findings().get(0).message()).contains("required");
    }

    @Test
    void aNameServerBelowAnotherDelegationNeedsSiblingGlue() {
      ValidationReport report = check("a NS ns.b\nb NS ns.example.net.\n");

      assertThat(ids(report)).containsExactly("warning missing-glue");
      assertThat(report.findings().get(0).message()).contains("sibling");
    }

    @Test
    void aDelegationNsTargetInTheZoneWithoutAddressesWarns() {
      ValidationReport report = check("sub NS nsz\n");

      assertThat(ids(report)).containsExactly("warning target-without-address");
    }

    @Test
    void anApexNsTargetBelowADelegationIsLeftToTheDelegation() {
      ValidationReport report = check("@ NS ns.sub\nsub NS ns.example.net.\n");

      assertThat(report.findings()).isEmpty();
    }
  }

  @Nested
  class Chains {
    @Test
    void twoCnamesPointingAtEachOtherAreALoop() {
      ValidationReport report = check("a CNAME b\nb CNAME a\n");

      assertThat(ids(report)).containsExactly("error cname-loop");
      Finding f = report.findings().get(0);
      assertThat(f.owner()).isEqualTo(name("a.example.com."));
      assertThat(f.message()).contains("a.example.com. -> b.example.com. -> a.example.com.");
    }

    @Test
    void aLoopIsReportedOnceWhereverItIsEntered() {
      ValidationReport report = check("www CNAME b\nz CNAME a\na CNAME b\nb CNAME a\n");

      assertThat(ids(report)).containsExactly("error cname-loop");
    }

    @Test
    void aCnameToItselfInAnotherCaseIsALoop() {
      ValidationReport report = check("loop CNAME LOOP.example.com.\n");

      assertThat(ids(report)).containsExactly("error cname-loop");
    }

    @Test
    void aLoopThroughAnAliasIsALoop() {
      ValidationReport report = check(alias("app ALIAS", "edge.example.com.") + "\nedge CNAME app\n");

      assertThat(ids(report)).containsExactly("error cname-loop");
    }

    @Test
    void aLoopThroughADnameIsALoop() {
      ValidationReport report = check("www CNAME www.d\nd DNAME example.com.\n");

      assertThat(ids(report)).containsExactly("error cname-loop");
    }

    @Test
    void aLoopThroughAWildcardIsALoop() {
      // x does not exist, so the wildcard answers for it: a -> x -> x.
      ValidationReport report = check("a CNAME x\n* CNAME x.example.com.\n");

      assertThat(ids(report)).containsExactly("error cname-loop");
    }

    @Test
    void aDnameThatKeepsGrowingTheNameEndsWhenTheNameIsTooLong() {
      ValidationReport report = check("www CNAME x.d\nd DNAME d.d.example.com.\n");

      assertThat(ids(report)).containsExactly("warning chain-too-long");
    }

    @Test
    void aChainPastTheLimitWarnsAtItsHeadOnly() {
      ValidationReport report = check(chain(17));

      assertThat(ids(report)).containsExactly("warning chain-too-long");
      assertThat(report.findings().get(0).owner()).isEqualTo(name("c0.example.com."));
      assertThat(report.findings().get(0).message()).contains("17");
    }

    @Test
    void aChainAtTheLimitIsFine() {
      assertThat(check(chain(16)).findings()).isEmpty();
    }

    @Test
    void theChainLimitIsConfigurable() {
      ZoneFile file = read(chain(3));

      assertThat(ZoneValidator.defaults().withChainLimit(2).validate(file).findings())
          .extracting(f -> f.rule().id())
          .containsExactly("chain-too-long");
      assertThat(ZoneValidator.defaults().withChainLimit(3).validate(file).findings()).isEmpty();
    }

    @Test
    void aChainLimitBelowOneIsRefused() {
      assertThatThrownBy(() -> ZoneValidator.defaults().withChainLimit(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("0");
    }

    @Test
    void anAliasChainIsCountedFromItsTargetAsFlatteningResolvesIt() {
      String body = alias("c0 ALIAS", "c1.example.com.") + "\n" + chain(3).replace("c0 CNAME c1\n", "");

      assertThat(ZoneValidator.defaults().withChainLimit(2).validate(read(body)).findings())
          .isEmpty();
    }

    @Test
    void anAliasChainPastTheLimitFromItsTargetIsTooLong() {
      String body = alias("c0 ALIAS", "c1.example.com.") + "\n" + chain(3).replace("c0 CNAME c1\n", "");

      List<Finding> findings = ZoneValidator.defaults().withChainLimit(1).validate(read(body)).findings();

      assertThat(findings).extracting(f -> f.rule().id()).containsExactly("chain-too-long");
      assertThat(findings.get(0).message())
          .isEqualTo("chain of 2 in-zone hops from the alias target is longer than the limit of 1");
    }

    @Test
    void everyAliasInsideALongChainWhoseOwnChainIsTooLongIsReported() {
      // h0 ALIAS h1 ... h4 ALIAS h5, h5 A: each alias is flattened on its own, so h0 (4 hops
      // from its target) and h1 (3) fail under a limit of 2, h2 (2) does not.
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        body.append(alias("h" + i + " ALIAS", "h" + (i + 1) + ".example.com.")).append('\n');
      }
      body.append("h5 A 192.0.2.5\n");

      List<Finding> findings =
          ZoneValidator.defaults().withChainLimit(2).validate(read(body.toString())).findings();

      assertThat(findings)
          .extracting(f -> f.owner().toString() + " " + f.rule().id())
          .containsExactlyInAnyOrder("h0.example.com. chain-too-long", "h1.example.com. chain-too-long");
    }

    @Test
    void chainsLeavingTheZoneEndThere() {
      ValidationReport report = check("www CNAME www.example.net.\ncdn CNAME www\n");

      assertThat(report.findings()).isEmpty();
    }

    private String chain(int hops) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < hops; i++) {
        sb.append("c").append(i).append(" CNAME c").append(i + 1).append('\n');
      }
      return sb.append("c").append(hops).append(" A 192.0.2.9\n").toString();
    }
  }

  @Nested
  class Dname {
    @Test
    void aDnameBesideACnameIsAnError() {
      ValidationReport report = check("d DNAME example.net.\nd CNAME ns1\n");

      assertThat(ids(report)).containsExactly("error dname-and-cname");
    }

    @Test
    void twoDnamesAtOneNameAreAnError() {
      ValidationReport report = check("d DNAME example.net.\nd DNAME example.org.\n");

      assertThat(ids(report)).containsExactly("error multiple-dname");
    }

    @Test
    void anAliasBelowADelegationIsOccludedAndWarned() {
      // Issue 13: RFC 1034 §4.2.1, a referral answers there; the flattener skips it.
      ValidationReport below =
          check("sub NS ns.sub\nns.sub A 192.0.2.3\nx.sub ALIAS edge.example.net.\n");
      ValidationReport at = check("sub NS ns.example.net.\nsub ALIAS edge.example.net.\n");

      assertThat(ids(below)).containsExactly("warning alias-below-delegation");
      assertThat(below.findings().get(0).owner()).isEqualTo(name("x.sub.example.com."));
      assertThat(below.findings().get(0).message()).contains("delegation at sub.example.com.");
      assertThat(ids(at)).containsExactly("warning alias-below-delegation");
    }

    @Test
    void dataBelowADnameIsAnErrorStricterThanBind() {
      ValidationReport report = check("d DNAME example.net.\nhost.d A 192.0.2.3\n");

      assertThat(ids(report)).containsExactly("error data-below-dname");
      assertThat(report.findings().get(0).owner()).isEqualTo(name("host.d.example.com."));
    }

    @Test
    void dataBelowADnameIsFoundThroughAnEmptyNonTerminal() {
      ValidationReport report = check("d DNAME example.net.\na.b.D A 192.0.2.3\n");

      assertThat(ids(report)).containsExactly("error data-below-dname");
    }

    @Test
    void dataBesideADnameIsAllowed() {
      ValidationReport report = check("d DNAME example.net.\nd A 192.0.2.3\nd TXT moved\n");

      assertThat(report.findings()).isEmpty();
    }
  }

  @Nested
  class Structure {
    @Test
    void aZoneWithoutSoaOrNsHasBothErrors() {
      Zone zone =
          Zone.builder(ORIGIN).add(new ARecord(name("www.example.com."), DClass.IN, 300, address("192.0.2.2"))).build();

      ValidationReport report = ZoneValidator.defaults().validate(zone);

      assertThat(ids(report)).containsExactly("error missing-soa", "error missing-ns");
    }

    @Test
    void anSoaBelowTheOriginIsAnError() {
      ValidationReport report = check("sub SOA ns1 hostmaster 1 7200 3600 1209600 3600\n");

      assertThat(ids(report)).containsExactly("error soa-not-at-apex");
    }

    @Test
    void twoSoaRecordsAreAnError() {
      ValidationReport report = check("@ SOA ns1 hostmaster 2 7200 3600 1209600 3600\n");

      assertThat(ids(report)).containsExactly("error multiple-soa");
    }

    @Test
    void theReadersFindingsAreKept() {
      ValidationReport report = check("www.example.net. A 192.0.2.2\nwww 300 A 192.0.2.2\nwww 600 A 192.0.2.3\n");

      assertThat(ids(report)).containsExactly("warning out-of-zone", "warning rrset-ttl-mismatch");
    }
  }

  @Nested
  class HostNameSyntax {
    @Test
    void anAddressOwnerWithAnUnderscoreWarns() {
      ValidationReport report = check("under_score A 192.0.2.2\n");

      assertThat(ids(report)).containsExactly("warning bad-host-name");
    }

    @Test
    void serviceLabelsAreFineOnSrvAndTxtOwners() {
      ValidationReport report = check("_dmarc TXT v=DMARC1\n_sip._tcp SRV 0 0 5060 ns1\n");

      assertThat(report.findings()).isEmpty();
    }

    @Test
    void labelsMayNotStartOrEndWithAHyphen() {
      assertThat(ids(check("-a A 192.0.2.2\n"))).containsExactly("warning bad-host-name");
      assertThat(ids(check("b- A 192.0.2.2\n"))).containsExactly("warning bad-host-name");
      assertThat(check("1a-b A 192.0.2.2\n").findings()).isEmpty();
    }

    @Test
    void aWildcardOwnerIsAHostName() {
      assertThat(check("* A 192.0.2.2\n").findings()).isEmpty();
    }

    @Test
    void mxAndNsTargetsMustBeHostNamesEvenOutsideTheZone() {
      ValidationReport report = check("@ MX 10 mail_x.example.net.\nsub NS ns_x.example.net.\n");

      assertThat(ids(report)).containsExactly("warning bad-host-name", "warning bad-host-name");
    }

    @Test
    void everyNameBelowABadParentLabelIsFlaggedAndNoneElsewhere() {
      ValidationReport report =
          check("a.bad_p A 192.0.2.1\nb.bad_p A 192.0.2.2\nc.good A 192.0.2.3\nd.good A 192.0.2.4\n");

      assertThat(report.findings(Rule.BAD_HOST_NAME))
          .extracting(f -> f.owner().toString())
          .containsExactly("a.bad_p.example.com.", "b.bad_p.example.com.");
    }

    @Test
    void theSoaMnameMustBeAHostName() {
      ZoneFile file =
          ZoneFileReader.forOrigin(ORIGIN)
              .read("$TTL 300\n@ SOA ns_1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.1\n", "soa.zone");

      ValidationReport report = ZoneValidator.defaults().validate(file);

      assertThat(ids(report)).containsExactly("warning bad-host-name");
      assertThat(report.findings().get(0).type()).isEqualTo(Type.SOA);
    }

    @Test
    void anAsteriskBelowTheFirstLabelIsNotAWildcard() {
      ValidationReport report = check("foo.*.bar TXT x\n");

      assertThat(ids(report)).containsExactly("warning non-terminal-wildcard");
    }
  }

  @Nested
  class Reporting {
    @Test
    void findingsCarryThePositionOfTheRecordTheyConcern() {
      ValidationReport report = check("www A 192.0.2.2\nwww CNAME host\nhost A 192.0.2.3\n");

      Finding f = report.findings().get(0);
      assertThat(f.position()).isEqualTo(new SourcePosition("test.zone", HEAD_LINES + 2));
      assertThat(f.toString()).startsWith("test.zone:" + (HEAD_LINES + 2) + ": error cname-and-other-data: www.example.com.: ");
    }

    @Test
    void findingsAboutATargetPointAtTheReferringRecord() {
      ValidationReport report = check("mail CNAME ns1\n@ MX 10 mail\n");

      assertThat(report.findings().get(0).position()).isEqualTo(new SourcePosition("test.zone", HEAD_LINES + 2));
    }

    @Test
    void findingsAreOrderedByPositionThenOwnerThenRule() {
      ValidationReport report =
          check("b CNAME x\nb A 192.0.2.1\na CNAME y\na A 192.0.2.2\nx A 192.0.2.3\ny A 192.0.2.4\n");

      assertThat(report.findings())
          .extracting(f -> f.owner().toString())
          .containsExactly("b.example.com.", "a.example.com.");
    }

    @Test
    void findingsWithoutPositionsAreInCanonicalOwnerOrder() {
      Zone zone =
          Zone.builder(ORIGIN)
              .add(soa())
              .add(new NSRecord(ORIGIN, DClass.IN, 300, name("ns.example.net.")))
              .add(new CNAMERecord(name("Z.example.com."), DClass.IN, 300, name("z.example.com.")))
              .add(new CNAMERecord(name("b.example.com."), DClass.IN, 300, name("b.example.com.")))
              .add(new ARecord(name("b.example.com."), DClass.IN, 300, address("192.0.2.1")))
              .build();

      ValidationReport report = ZoneValidator.defaults().validate(zone);

      assertThat(report.findings())
          .extracting(f -> f.owner().toString() + " " + f.rule().id())
          .containsExactly(
              "b.example.com. cname-and-other-data", "b.example.com. cname-loop", "Z.example.com. cname-loop");
      assertThat(report.findings()).allSatisfy(f -> assertThat(f.position()).isNull());
    }

    @Test
    void findingOfWithoutATypeStillWorks() {
      Finding f = Finding.of(Rule.MISSING_NS, ORIGIN, "none").at(new SourcePosition("z", 3));

      assertThat(f.type()).isZero();
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.toString()).isEqualTo("z:3: error missing-ns: example.com.: none");
    }

    @Test
    void aFindingCanBeAboutOneTypeAndTakeAnotherSeverity() {
      Finding f = Finding.of(Rule.TARGET_IS_ALIAS, ORIGIN, Type.NS, "ns is a CNAME").withSeverity(Severity.ERROR);

      assertThat(f.type()).isEqualTo(Type.NS);
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.rule().severity()).isEqualTo(Severity.WARNING);
      assertThat(new Finding(Rule.MISSING_NS, Severity.ERROR, ORIGIN, null, "none").type()).isZero();
    }

    @Test
    void aFindingTypeMustBeASixteenBitValue() {
      assertThatThrownBy(() -> Finding.of(Rule.MISSING_NS, ORIGIN, 65536, "x"))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRuleHasAHyphenatedIdAndAReference() {
      for (Rule rule : Rule.values()) {
        assertThat(rule.id()).matches("[a-z]+(-[a-z]+)*");
        assertThat(rule.reference()).isNotBlank();
        assertThat(Rule.byId(rule.id())).contains(rule);
      }
    }
  }

  @Nested
  class OnAnExecutor {
    /** Tens of thousands of MX owners (several tasks' worth), some with findings, and chains. */
    private ZoneFile large() {
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < 20_000; i++) {
        String target = i % 7 == 0 ? "alias" + (i % 50) : i % 11 == 0 ? "nowhere" + i : "ns1";
        body.append("m").append(i).append(" MX 10 ").append(target).append('\n');
      }
      for (int i = 0; i < 50; i++) {
        body.append("alias").append(i).append(" CNAME alias").append(i + 1).append('\n');
      }
      body.append("alias50 CNAME alias0\n"); // a loop
      return read(body.toString());
    }

    @Test
    void theReportIsTheSameAsOnTheCallingThreadAlone() {
      ZoneFile file = large();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        ValidationReport alone = ZoneValidator.defaults().validate(file);
        ValidationReport spread = ZoneValidator.defaults().withExecutor(pool).validate(file);

        assertThat(alone.findings()).hasSizeGreaterThan(20_000 / 7);
        assertThat(ids(alone)).contains("error cname-loop", "warning target-is-alias");
        assertThat(spread).isEqualTo(alone);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void anExecutorThatNeverRunsATaskOnlyMakesTheCallerDoAll() {
      ZoneFile file = large();
      ValidationReport idle = ZoneValidator.defaults().withExecutor(task -> {}).validate(file);

      assertThat(idle).isEqualTo(ZoneValidator.defaults().validate(file));
    }
  }

  private static java.net.InetAddress address(String literal) {
    // A literal address only: never a name, never the resolver.
    try {
      return java.net.InetAddress.getByAddress(org.xbill.DNS.Address.toByteArray(literal, org.xbill.DNS.Address.IPv4));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static SOARecord soa() {
    return new SOARecord(
        ORIGIN, DClass.IN, 300, name("ns.example.net."), name("hostmaster.example.com."), 1, 7200, 3600, 1209600, 3600);
  }
}
