package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.TSIG;

/** BIND's key statement, read by {@link TsigKeyFile}, and its errors with file and line. */
class TsigKeyFileTest {

  @Test
  void readsKeysAsTsigKeygenWritesThem() {
    String text =
        "# made by tsig-keygen\n"
            + "key \"xfr-key\" {\n"
            + "\talgorithm hmac-sha256;\n"
            + "\tsecret \"yOdEcHuR8kK5S3YbJp4b5kYxZpQ2Vv9hV3tF3hq2m8Y=\";\n"
            + "};\n"
            + "/* a second one,\n   over two lines */\n"
            + "key ns2.example. { algorithm HMAC-SHA512; secret \"c2VjcmV0\"; }; // trailing\n";
    List<TsigKey> keys = TsigKeyFile.parse(text, "keys.conf");
    assertThat(keys).hasSize(2);
    assertThat(keys.get(0).name()).isEqualTo(Wire.name("xfr-key."));
    assertThat(keys.get(0).algorithm()).isEqualTo(TSIG.HMAC_SHA256);
    assertThat(keys.get(0).secretBase64())
        .isEqualTo("yOdEcHuR8kK5S3YbJp4b5kYxZpQ2Vv9hV3tF3hq2m8Y=");
    assertThat(keys.get(1).name()).isEqualTo(Wire.name("ns2.example."));
    assertThat(keys.get(1).algorithmMnemonic()).isEqualTo("hmac-sha512");
    assertThat(keys.get(1).toString()).doesNotContain("c2VjcmV0");
  }

  @Test
  void anUnknownAlgorithmNamesFileLineAndTheAlgorithm() {
    assertThatThrownBy(
            () ->
                TsigKeyFile.parse(
                    "key \"k\" {\n algorithm hmac-sha999;\n secret \"c2VjcmV0\";\n};\n", "k.conf"))
        .isInstanceOf(TsigKeyFileException.class)
        .hasMessageStartingWith("k.conf:1: unknown TSIG algorithm \"hmac-sha999\"");
  }

  @Test
  void aSecretThatIsNotBase64NamesItsLine() {
    TsigKeyFileException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TsigKeyFileException.class,
            () ->
                TsigKeyFile.parse(
                    "key k {\n algorithm hmac-sha256;\n secret \"not*base64\";\n};\n", "k.conf"));
    assertThat(e.source()).isEqualTo("k.conf");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.reason()).contains("not base64");
  }

  @Test
  void aMissingSemicolonOrAnotherStatementIsRefused() {
    assertThatThrownBy(
            () -> TsigKeyFile.parse("key k {\n algorithm hmac-sha256\n secret \"c2VjcmV0\";\n};", "a"))
        .hasMessage("a:3: expected \";\", found \"secret\"");
    assertThatThrownBy(() -> TsigKeyFile.parse("options { };", "b"))
        .hasMessage("b:1: expected a key statement, found \"options\"");
    assertThatThrownBy(() -> TsigKeyFile.parse("key k { algorithm hmac-sha256; };", "c"))
        .hasMessage("c:1: key \"k\" has no secret");
    assertThatThrownBy(() -> TsigKeyFile.parse("# nothing\n", "d"))
        .hasMessage("d: no key statement");
    assertThatThrownBy(
            () ->
                TsigKeyFile.parse(
                    "key k { algorithm hmac-sha256; secret \"c2VjcmV0\"; };\n"
                        + "key K. { algorithm hmac-sha256; secret \"c2VjcmV0\"; };",
                    "e"))
        .hasMessage("e:2: a second key named \"K.\"");
    assertThatThrownBy(() -> TsigKeyFile.parse("key k { algorithm hmac-sha256;", "f"))
        .hasMessage("f:1: the file ends where algorithm, secret or } should be");
  }
}
