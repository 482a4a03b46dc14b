package org.aliasdns.core;

import static org.aliasdns.core.Rr.name;
import static org.aliasdns.core.Rr.rr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.RelativeNameException;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AliasRecordTest {
  @Test
  void aliasSurvivesTheWireWithCaseAndWithoutCompression() throws Exception {
    Name owner = Name.fromString("Example.COM.");
    AliasRecord alias = new ALIASRecord(owner, DClass.IN, 300, Name.fromString("CDN.example.com."));
    Message message = new Message();
    message.addRecord(alias, Section.ANSWER);

    byte[] wire = message.toWire();
    Record back = new Message(wire).getSection(Section.ANSWER).get(0);

    assertThat(back).isInstanceOf(ALIASRecord.class);
    assertThat(((AliasRecord) back).getTarget().toString()).isEqualTo("CDN.example.com.");
    // the target is written out whole even though its suffix could be compressed (RFC 3597 §4)
    assertThat(back.rdataToWireCanonical()).hasSize("CDN.example.com.".length() + 1);
  }

  @Test
  void typesAreRegisteredWithTheirMnemonics() {
    AliasRecord.registerTypes();
    assertThat(Type.value("ALIAS")).isEqualTo(AliasRecord.ALIAS);
    assertThat(Type.value("ANAME")).isEqualTo(AliasRecord.ANAME);
    assertThat(Type.string(65305)).isEqualTo("ANAME");
  }

  @Test
  void textFormIsTheTargetName() {
    AliasRecord alias = new ALIASRecord(name("example.com."), DClass.IN, 300, name("Cdn.Example.net."));

    assertThat(alias.rdataToString()).isEqualTo("Cdn.Example.net.");
    assertThat(alias.toString().split("\\s+"))
        .containsExactly("example.com.", "300", "IN", "ALIAS", "Cdn.Example.net.");
  }

  @Test
  void mnemonicTextIsReadAsAnAliasRecord() {
    Record record = rr("example.com.", 300, "ALIAS", "cdn.example.net.");

    assertThat(record).isInstanceOf(ALIASRecord.class);
    assertThat(((AliasRecord) record).getTarget()).isEqualTo(name("cdn.example.net."));
  }

  @Test
  void genericFormIsReadAsAnAliasRecord() {
    // RFC 3597 §5: TYPE65401 \# <length> <hex>, rdata "cdn.example.net." in wire form
    byte[] wire = name("cdn.example.net.").toWire();
    String hex = org.xbill.DNS.utils.base16.toString(wire);

    Record record = rr("example.com.", 300, "TYPE65401", "\\# " + wire.length + " " + hex);

    assertThat(record).isInstanceOf(ALIASRecord.class);
    assertThat(((AliasRecord) record).getTarget().toString()).isEqualTo("cdn.example.net.");
  }

  @Test
  void anameKeepsItsMnemonic() {
    Record record = rr("example.com.", 300, "ANAME", "cdn.example.net.");

    assertThat(record).isInstanceOf(ANAMERecord.class);
    assertThat(record.getType()).isEqualTo(AliasRecord.ANAME);
    assertThat(record.toString()).contains("ANAME").doesNotContain("ALIAS");
  }

  @Test
  void genericAnameIsReadAsAnAnameRecord() {
    byte[] wire = name("cdn.example.net.").toWire();
    Record record =
        rr(
            "example.com.",
            300,
            "TYPE65305",
            "\\# " + wire.length + " " + org.xbill.DNS.utils.base16.toString(wire));

    assertThat(record).isInstanceOf(ANAMERecord.class);
  }

  @Test
  void rdataRoundTripsThroughTheWireWithoutCompression() throws Exception {
    AliasRecord alias = new ANAMERecord(name("www.example.com."), DClass.IN, 60, name("Www.Example.COM."));
    Message message = new Message();
    message.addRecord(alias, Section.ANSWER);

    Record back = new Message(message.toWire()).getSection(Section.ANSWER).get(0);

    assertThat(back).isInstanceOf(ANAMERecord.class).isEqualTo(alias);
    assertThat(back.getTTL()).isEqualTo(60);
    assertThat(((AliasRecord) back).getTarget().toString()).isEqualTo("Www.Example.COM.");
    // the owner www.example.com. precedes the rdata; a compressed target would be a 2-byte pointer
    assertThat(back.rdataToWireCanonical()).isEqualTo(name("Www.Example.COM.").toWire());
  }

  @Test
  void recordToWireAndBackIsTheSameRecord() throws Exception {
    AliasRecord alias = new ALIASRecord(name("example.com."), DClass.IN, 60, name("cdn.example.net."));

    Record back = Record.fromWire(alias.toWire(Section.ANSWER), Section.ANSWER);

    assertThat(back).isInstanceOf(ALIASRecord.class).isEqualTo(alias);
  }

  @Test
  void aRelativeTargetIsRejected() {
    assertThatThrownBy(
            () -> new ALIASRecord(name("example.com."), DClass.IN, 60, Name.fromConstantString("cdn")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
  }

  @Test
  void aRelativeOwnerIsRejected() {
    assertThatThrownBy(
            () -> new ALIASRecord(Name.fromConstantString("www"), DClass.IN, 60, name("cdn.example.net.")))
        .isInstanceOf(RelativeNameException.class);
  }

  @Test
  void ofMakesTheRecordOfTheGivenType() {
    AliasRecord alias = AliasRecord.of(name("example.com."), AliasRecord.ALIAS, DClass.IN, 60, name("a.example.net."));
    AliasRecord aname = AliasRecord.of(name("example.com."), AliasRecord.ANAME, DClass.IN, 60, name("a.example.net."));

    assertThat(alias).isInstanceOf(ALIASRecord.class);
    assertThat(aname).isInstanceOf(ANAMERecord.class);
    assertThat(aname.getTarget()).isEqualTo(name("a.example.net."));
    assertThat(aname.getTTL()).isEqualTo(60);
  }

  @Test
  void ofRejectsOtherTypes() {
    assertThatThrownBy(
            () -> AliasRecord.of(name("example.com."), Type.CNAME, DClass.IN, 60, name("a.example.net.")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CNAME");
  }

  @Test
  void onlyAliasAndAnameAreAliasTypes() {
    assertThat(AliasRecord.isAliasType(AliasRecord.ALIAS)).isTrue();
    assertThat(AliasRecord.isAliasType(AliasRecord.ANAME)).isTrue();
    assertThat(AliasRecord.isAliasType(Type.CNAME)).isFalse();
  }

  @Test
  void targetsDifferingOnlyInCaseAreDifferentRdata() {
    // RFC 3597 §7: the canonical form of a type outside RFC 4034 §6.2 keeps the case, so the
    // rdata compare as different octets (unlike a CNAME's, which are lower-cased)
    Record lower = rr("example.com.", 300, "ALIAS", "cdn.example.net.");
    Record upper = rr("example.com.", 300, "ALIAS", "CDN.example.net.");

    assertThat(RecordSet.of(lower, upper).size()).isEqualTo(2);
  }
}
