package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aliasdns.core.zonefile.ZoneFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/** Trust anchor files in the forms dnssec-dsfromkey and dnssec-keygen write them. */
class TrustAnchorsTest {
  @Test
  void dsFromKeyOutputWithoutTtlIsRead() {
    // What `dnssec-dsfromkey -2 Kexample.net.+013+15848.key` prints: no TTL.
    TrustAnchors anchors =
        TrustAnchors.parse(
            "example.net. IN DS 15848 13 2"
                + " F13D2C6C1D2F1B0E9F6A1C2B3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60\n",
            "ta-net.ds");
    assertThat(anchors.zones()).containsExactly(Name.fromConstantString("example.net."));
    assertThat(anchors.records().get(0)).isInstanceOf(DSRecord.class);
  }

  @Test
  void keyFileWithCommentsAndNoTtlIsRead(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("Kexample.net.+013+15848.key");
    Files.writeString(
        key,
        """
        ; This is a key-signing key, keyid 15848, for example.net.
        ; Created: 20261130000000 (Mon Nov 30 00:00:00 2026)
        example.net. IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+ KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== ; KSK
        """);
    TrustAnchors anchors = TrustAnchors.read(key);
    assertThat(anchors.records()).singleElement().isInstanceOf(DNSKEYRecord.class);
  }

  @Test
  void aBadLineIsNamedByFileAndLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ta-net.ds");
    Files.writeString(file, "; anchors\nexample.net. IN DS 15848 13 2 NOTHEX\n");
    assertThatThrownBy(() -> TrustAnchors.read(file))
        .isInstanceOf(ZoneFileException.class)
        .satisfies(
            e -> {
              ZoneFileException z = (ZoneFileException) e;
              assertThat(z.source()).isEqualTo(file.toString());
              assertThat(z.line()).isEqualTo(2);
              assertThat(z.getMessage()).startsWith(file + ":2: ").doesNotContain("<none>");
            });
  }
}
