package org.aliasdns.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
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
}
