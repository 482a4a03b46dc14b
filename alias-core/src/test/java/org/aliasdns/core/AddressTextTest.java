package org.aliasdns.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Address;
import org.xbill.DNS.Type;

/** RFC 5952 text of IPv6 addresses: the RFC's own examples, then a property over random ones. */
class AddressTextTest {
  private static final Pattern GROUP = Pattern.compile("0|[1-9a-f][0-9a-f]{0,3}");

  private static byte[] bytes(String literal) {
    byte[] b = Address.toByteArray(literal, literal.indexOf(':') >= 0 ? Address.IPv6 : Address.IPv4);
    assertThat(b).as(literal).isNotNull();
    return b;
  }

  private static InetAddress address(String literal) throws UnknownHostException {
    return InetAddress.getByAddress(bytes(literal)); // bytes only: nothing is looked up
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // §4.1 leading zeros dropped, §4.3 lower case
    "2001:0DB8:0000:0000:0000:0000:0000:0080, 2001:db8::80",
    "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
    // §4.2.1 the longest run is compressed as far as it goes
    "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
    // §4.2.2 a single zero group is not compressed
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    // §4.2.3 the longest run wins; the first of equal runs
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    // runs at either end, and the extremes
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "2001:db8:0:0:0:0:0:0, 2001:db8::",
    "0:0:1:0:0:0:0:0, 0:0:1::",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    // §5 IPv4-mapped addresses in mixed notation; other embeddings stay hexadecimal
    "0:0:0:0:0:ffff:c000:0201, ::ffff:192.0.2.1",
    "0:0:0:0:0:0:c000:0201, ::c000:201",
    "64:ff9b:0:0:0:0:c000:0201, 64:ff9b::c000:201",
    // IPv4
    "192.0.2.1, 192.0.2.1",
    "0.0.0.0, 0.0.0.0",
  })
  void followsTheRfcExamples(String input, String expected) {
    assertThat(AddressText.of(bytes(input))).isEqualTo(expected);
  }

  @Test
  void anInetAddressIsWrittenTheSameWay() throws UnknownHostException {
    assertThat(AddressText.of(address("2001:db8:0:0:0:0:0:80"))).isEqualTo("2001:db8::80");
    assertThat(AddressText.of(address("192.0.2.7"))).isEqualTo("192.0.2.7");
  }

  @Test
  void anIpv4MappedAddressOfAnAaaaRecordStaysIpv6() throws UnknownHostException {
    // The JDK turns ::ffff:192.0.2.1 into an Inet4Address.
    InetAddress mapped = address("::ffff:192.0.2.1");

    assertThat(AddressText.of(mapped)).isEqualTo("192.0.2.1");
    assertThat(AddressText.ofIpv6(mapped)).isEqualTo("::ffff:192.0.2.1");
    assertThat(AddressText.list(List.of(mapped, address("2001:db8::1")), Type.AAAA))
        .isEqualTo("[::ffff:192.0.2.1, 2001:db8::1]");
  }

  @Test
  void aSocketAddressPutsIpv6InBrackets() throws UnknownHostException {
    assertThat(AddressText.of(new InetSocketAddress(address("2001:db8:0:0:0:0:0:53"), 5300)))
        .isEqualTo("[2001:db8::53]:5300");
    assertThat(AddressText.of(new InetSocketAddress(address("192.0.2.53"), 53)))
        .isEqualTo("192.0.2.53:53");
  }

  @Test
  void anAliasChangeIsWrittenWithIt() throws UnknownHostException {
    var change =
        new org.aliasdns.core.flatten.AliasChange(
            Rr.name("www.example.com."),
            FlatteningPolicy.Family.IPV6,
            List.of(address("::ffff:192.0.2.1")),
            List.of(address("2001:db8:0:0:0:0:0:80")));

    assertThat(change.toString())
        .isEqualTo("www.example.com. AAAA: [::ffff:192.0.2.1] -> [2001:db8::80]");
  }

  @Test
  void anythingButFourOrSixteenBytesIsRefused() {
    assertThatThrownBy(() -> AddressText.of(new byte[5])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recordTextUsesTheRfcFormForEveryIpv6Address() {
    assertThat(AddressText.rdata(Rr.rr("x.example.com.", 60, "AAAA", "2001:db8:0:0:0:0:0:80")))
        .isEqualTo("2001:db8::80");
    assertThat(
            AddressText.rdata(
                Rr.rr("x.example.com.", 60, "HTTPS", "1 . alpn=h2 ipv6hint=2001:db8:0:0:0:0:0:1,2001:db8::2")))
        .isEqualTo("1 . alpn=h2 ipv6hint=2001:db8::1,2001:db8::2");
    assertThat(AddressText.rdata(Rr.rr("x.example.com.", 60, "APL", "!2:2001:db8:0:0:0:0:0:0/32 1:192.0.2.0/24")))
        .isEqualTo("!2:2001:db8::/32 1:192.0.2.0/24");
    assertThat(AddressText.record(Rr.rr("x.example.com.", 60, "AAAA", "2001:db8:0:0:0:0:0:80")))
        .isEqualTo("x.example.com.\t\t60\tIN\tAAAA\t2001:db8::80");
  }

  /**
   * For random addresses, biased towards runs of zero groups: the text parses back to the same
   * bytes, and it obeys each rule of RFC 5952 §4, checked from the bytes independently of how
   * the formatter works.
   */
  @Test
  void randomAddressesParseBackAndFollowEveryRule() {
    Random random = new Random(5952);
    for (int n = 0; n < 10_000; n++) {
      byte[] a = randomAddress(random);
      String text = AddressText.of(a);

      assertThat(Address.toByteArray(text, Address.IPv6)).as(text).isEqualTo(a);
      if (isMapped(a)) {
        assertThat(text).isEqualTo("::ffff:" + (a[12] & 0xff) + "." + (a[13] & 0xff) + "." + (a[14] & 0xff) + "." + (a[15] & 0xff));
        continue;
      }
      int[] groups = groups(a);
      int[] longest = longestZeroRun(groups);
      int compressed = text.indexOf("::");
      assertThat(text.indexOf("::", compressed + 1)).as(text).isEqualTo(-1);
      List<String> shown = new ArrayList<>();
      if (longest[1] < 2) {
        assertThat(compressed).as("%s has no run of two zero groups to compress", text).isEqualTo(-1);
        shown.addAll(fields(text));
      } else {
        assertThat(compressed).as(text).isNotNegative();
        List<String> before = fields(text.substring(0, compressed));
        List<String> after = fields(text.substring(compressed + 2));
        assertThat(before.size()).as("%s compresses the first longest run", text).isEqualTo(longest[0]);
        assertThat(8 - before.size() - after.size()).as(text).isEqualTo(longest[1]);
        shown.addAll(before);
        shown.addAll(after);
      }
      for (String group : shown) {
        assertThat(GROUP.matcher(group).matches())
            .as("group '%s' of %s: lower case, no leading zeros", group, text)
            .isTrue();
      }
    }
  }

  private static byte[] randomAddress(Random random) {
    byte[] a = new byte[16];
    if (random.nextInt(20) == 0) {
      a[10] = (byte) 0xff;
      a[11] = (byte) 0xff;
      for (int i = 12; i < 16; i++) {
        a[i] = (byte) random.nextInt(256);
      }
      return a;
    }
    for (int g = 0; g < 8; g++) {
      int kind = random.nextInt(4);
      int value = kind < 2 ? 0 : kind == 2 ? random.nextInt(16) : random.nextInt(65536);
      a[2 * g] = (byte) (value >> 8);
      a[2 * g + 1] = (byte) value;
    }
    return a;
  }

  private static boolean isMapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
  }

  private static int[] groups(byte[] a) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    return g;
  }

  /** {start, length} of the first longest run of zero groups. */
  private static int[] longestZeroRun(int[] groups) {
    int bestStart = -1;
    int bestLength = 0;
    for (int start = 0; start < 8; start++) {
      int length = 0;
      while (start + length < 8 && groups[start + length] == 0) {
        length++;
      }
      if (length > bestLength) {
        bestStart = start;
        bestLength = length;
      }
    }
    return new int[] {bestStart, bestLength};
  }

  private static List<String> fields(String text) {
    List<String> out = new ArrayList<>();
    if (!text.isEmpty()) {
      for (String f : text.split(":", -1)) {
        out.add(f);
      }
    }
    return out;
  }
}
