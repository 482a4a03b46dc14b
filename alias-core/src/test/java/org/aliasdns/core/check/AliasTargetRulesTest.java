package org.aliasdns.core.check;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** {@code alias-target-without-address}: an in-zone alias target that leads to no addresses. */
class AliasTargetRulesTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  private static final String HEAD =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n"
          + "@ NS ns1\n"
          + "@ NS ns2.example.net.\n"
          + "ns1 A 192.0.2.1\n";

  /** The zone as a zone file would have it: relative names get the origin appended. */
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

  @Test
  void theTargetWithoutItsTrailingDotIsAWarningThatAsksAboutTheDot() {
    Finding f = only(check("api ALIAS api.cdn.example.net\n"));

    assertThat(f.rule()).isEqualTo(Rule.ALIAS_TARGET_WITHOUT_ADDRESS);
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.owner()).isEqualTo(Name.fromConstantString("api.example.com."));
    assertThat(f.type()).isEqualTo(AliasRecord.ALIAS);
    assertThat(f.message())
        .isEqualTo(
            "ALIAS target api.cdn.example.net.example.com. does not exist in the zone;"
                + " missing trailing dot?");
    assertThat(f.position()).isNotNull();
  }

  @Test
  void aTargetWithDataButNoAddressesIsTheSameFinding() {
    Finding f = only(check("www ANAME info\ninfo TXT \"no address here\"\n"));

    assertThat(f.rule()).isEqualTo(Rule.ALIAS_TARGET_WITHOUT_ADDRESS);
    assertThat(f.message()).isEqualTo("ANAME target info.example.com. has no A or AAAA records");
  }

  @Test
  void aMissingOneLabelTargetGetsNoDotHint() {
    Finding f = only(check("www ALIAS web\n"));

    assertThat(f.message()).isEqualTo("ALIAS target web.example.com. does not exist in the zone");
  }

  @Test
  void aChainEndingWithoutAddressesNamesWhereItEnds() {
    Finding f = only(check("shop ALIAS store\nstore CNAME gone\n"));

    assertThat(f.message())
        .isEqualTo(
            "ALIAS target store.example.com. leads to gone.example.com., which does not exist in"
                + " the zone");
  }

  @Test
  void anEmptyNonTerminalTargetHasNoAddresses() {
    assertThat(ids(check("www ALIAS b\na.b A 192.0.2.9\n")))
        .containsExactly("warning alias-target-without-address");
  }

  @Test
  void aTargetReachingAddressesThroughACnameIsClean() {
    assertThat(check("@ ALIAS www\nwww CNAME web\nweb A 192.0.2.5\n").findings()).isEmpty();
  }

  @Test
  void aTargetWithOnlyIpv6IsClean() {
    assertThat(check("@ ALIAS www\nwww AAAA 2001:db8::5\n").findings()).isEmpty();
  }

  @Test
  void aTargetThatIsAnAliasOutOfTheZoneIsClean() {
    assertThat(check("@ ALIAS cdn\ncdn ALIAS edge.example.net.\n").findings()).isEmpty();
  }

  @Test
  void aTargetAnsweredByAWildcardIsClean() {
    assertThat(check("@ ALIAS www.users\n*.users A 192.0.2.7\n").findings()).isEmpty();
  }

  @Test
  void aTargetBelowADelegationIsLeftToUpstream() {
    assertThat(check("app ALIAS app.sub\nsub NS ns.example.net.\n").findings()).isEmpty();
  }

  @Test
  void anAliasBelowADelegationIsNotCheckedOnlySaidToBeOccluded() {
    // Its target is not checked; that it is occluded is (alias-below-delegation, issue 13).
    assertThat(ids(check("sub NS ns.example.net.\nold.sub ALIAS gone\n")))
        .containsExactly("warning alias-below-delegation");
  }

  @Test
  void aTargetOutsideTheZoneIsNotChecked() {
    assertThat(check("@ ALIAS cdn.example.net.\n").findings()).isEmpty();
  }

  @Test
  void aLoopAmongAliasesIsOnlyACnameLoop() {
    assertThat(ids(check("ping ALIAS pong\npong ALIAS ping\n")))
        .containsExactly("error cname-loop");
  }
}
