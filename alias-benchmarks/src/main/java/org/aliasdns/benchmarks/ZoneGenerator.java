package org.aliasdns.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes a deterministic, valid master file of a given size for benchmarks: the same record
 * count and seed always give the same bytes.
 *
 * <p>The zone {@code example.com.} holds a realistic mix: SOA, apex NS/MX/TXT/A/AAAA, hosts
 * with A and AAAA, mail domains (MX and SPF TXT), SRV records, delegations with glue, 5%
 * CNAMEs whose targets are in-zone hosts or out-of-zone names, and 1% ALIAS records (type
 * {@value #ALIAS_TYPE}) in RFC 3597 generic form, so that BIND, NSD and Knot read them too.
 * Every in-zone MX, SRV and NS target has addresses, no CNAME shares its name, and every
 * in-bailiwick delegation has glue: {@code named-checkzone -i local}, {@code nsd-checkzone}
 * and {@code kzonecheck} accept it. Addresses come from the documentation ranges (RFC 5737,
 * RFC 3849) and repeat; names do not.
 *
 * <p>Usage: {@code ZoneGenerator RECORDS OUTPUT [SEED]}.
 */
public final class ZoneGenerator {
  /** The ALIAS wire type, as PowerDNS assigns it. */
  public static final int ALIAS_TYPE = 65401;

  /** The default seed, so that runs without one are comparable. */
  public static final long DEFAULT_SEED = 20_240_601L;

  /** Records written before the mixed body: SOA, apex and name-server/mail-server hosts. */
  private static final int FIXED_RECORDS = 14;

  private static final String[] WORDS = {
    "www", "api", "web", "app", "db", "cache", "vpn", "git", "ci", "build", "img", "static",
    "auth", "login", "shop", "blog", "docs", "status", "search", "edge", "node", "svc", "files",
    "media"
  };
  private static final String[] REGIONS = {"eu", "us", "ap", "sa"};
  private static final String[] OUTSIDE = {
    "cdn.example.net.", "edge.example.org.", "lb.example.net.", "hosting.example.org."
  };
  private static final String[] SRV_SERVICES = {
    "_sip._tcp", "_sip._udp", "_xmpp-server._tcp", "_ldap._tcp", "_imaps._tcp", "_submission._tcp"
  };

  private final int records;
  private final SplittableRandom random;
  private final Appendable out;

  /** In-zone hosts that own address records, usable as CNAME, MX and SRV targets. */
  private int[] hosts = new int[1024];
  private int hostCount;
  private int serial;
  private int written;

  private ZoneGenerator(int records, long seed, Appendable out) {
    this.records = records;
    this.random = new SplittableRandom(seed);
    this.out = out;
  }

  /**
   * Writes a zone to a file.
   *
   * @param records how many records, at least {@value #FIXED_RECORDS} + 2
   * @param seed the random seed
   * @param file where to write; replaced if it exists
   * @throws IOException if the file cannot be written
   * @throws IllegalArgumentException if the count is too small
   */
  public static void write(int records, long seed, Path file) throws IOException {
    try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII), 1 << 16)) {
      write(records, seed, w);
    }
  }

  /**
   * Writes a zone as master-file text.
   *
   * @param records how many records, at least {@value #FIXED_RECORDS} + 2
   * @param seed the random seed
   * @param out where the text goes
   * @throws IOException if writing fails
   * @throws IllegalArgumentException if the count is too small
   */
  public static void write(int records, long seed, Appendable out) throws IOException {
    if (records < FIXED_RECORDS + 2) {
      throw new IllegalArgumentException("need at least " + (FIXED_RECORDS + 2) + " records");
    }
    new ZoneGenerator(records, seed, out).generate();
  }

  /**
   * Returns the zone as a string; for tests and in-process benchmarks.
   *
   * @param records how many records
   * @param seed the random seed
   * @return the master-file text
   */
  public static String text(int records, long seed) {
    StringBuilder sb = new StringBuilder(records * 40);
    try {
      write(records, seed, sb);
    } catch (IOException e) {
      throw new AssertionError("StringBuilder does not throw", e);
    }
    return sb.toString();
  }

  /**
   * Writes a zone file.
   *
   * @param args record count, output path, optional seed
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: ZoneGenerator RECORDS OUTPUT [SEED]");
      System.exit(2);
    }
    int records = Integer.parseInt(args[0].replace("_", ""));
    long seed = args.length == 3 ? Long.parseLong(args[2]) : DEFAULT_SEED;
    write(records, seed, Path.of(args[1]));
  }

  private void generate() throws IOException {
    int cnames = records / 20;
    int aliases = records / 100;
    int other = records - FIXED_RECORDS - cnames - aliases;
    header();
    while (cnames + aliases + other > 0) {
      int left = cnames + aliases + other;
      int pick = random.nextInt(left);
      if (pick < cnames) {
        cname();
        cnames--;
      } else if (pick < cnames + aliases) {
        alias();
        aliases--;
      } else {
        other -= group(other);
      }
    }
    if (written != records) {
      throw new IllegalStateException("wrote " + written + " records, not " + records);
    }
  }

  private void header() throws IOException {
    line("; generated by ZoneGenerator: " + records + " records");
    line("$ORIGIN example.com.");
    line("$TTL 3600");
    record("@", "IN SOA ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300");
    record("", "NS ns1");
    record("", "NS ns2");
    record("", "MX 10 mail1");
    record("", "MX 20 mail2");
    record("", "TXT \"v=spf1 mx -all\"");
    record("", "A 192.0.2.1");
    record("", "AAAA 2001:db8::1");
    record("ns1", "A 192.0.2.53");
    record("", "AAAA 2001:db8::53");
    record("ns2", "A 198.51.100.53");
    record("", "AAAA 2001:db8:1::53");
    record("mail1", "A 192.0.2.25");
    record("mail2", "A 198.51.100.25");
  }

  /** Writes one group of ordinary records, at most {@code budget}; returns how many. */
  private int group(int budget) throws IOException {
    int kind = random.nextInt(100);
    int before = written;
    if (budget < 4 || kind < 70 || hostCount == 0) {
      host(budget);
    } else if (kind < 82) {
      mailDomain();
    } else if (kind < 92) {
      srv(budget);
    } else {
      delegation();
    }
    return written - before;
  }

  private void host(int budget) throws IOException {
    int id = next();
    String name = hostName(id);
    record(name, "A " + ipv4());
    int n = 1;
    if (n < budget && random.nextInt(2) == 0) {
      record("", "AAAA " + ipv6());
      n++;
    }
    if (n < budget && random.nextInt(10) == 0) {
      record("", "TXT \"host " + id + " owner=ops-" + random.nextInt(100) + "\"");
    }
    if (hostCount == hosts.length) {
      hosts = Arrays.copyOf(hosts, hosts.length * 2);
    }
    hosts[hostCount++] = id;
  }

  private void mailDomain() throws IOException {
    String name = "mx-" + next();
    record(name, "MX 10 " + hostName(anyHost()));
    record("", "MX 20 mail2");
    record("", "TXT \"v=spf1 a mx include:_spf.example.net -all\"");
  }

  private void srv(int budget) throws IOException {
    String owner = SRV_SERVICES[random.nextInt(SRV_SERVICES.length)] + ".svc-" + next();
    int count = Math.min(budget, 1 + random.nextInt(3));
    for (int i = 0; i < count; i++) {
      record(
          i == 0 ? owner : "",
          "SRV " + (10 + i) + " " + (5 * (i + 1)) + " " + (1024 + random.nextInt(60000)) + " "
              + hostName(anyHost()));
    }
  }

  private void delegation() throws IOException {
    // An in-bailiwick delegation: two name servers below the cut, each with glue (RFC 1034
    // §4.2.1), so BIND, NSD and Knot all accept it.
    String child = "sub-" + next();
    record(child, "NS ns1." + child);
    record("", "NS ns2." + child);
    record("ns1." + child, "A " + ipv4());
    record("ns2." + child, "AAAA " + ipv6());
  }

  private void cname() throws IOException {
    String owner = "c-" + next() + "." + REGIONS[random.nextInt(REGIONS.length)];
    if (hostCount > 0 && random.nextInt(2) == 0) {
      record(owner, "CNAME " + hostName(anyHost()));
    } else {
      record(owner, "CNAME " + outside());
    }
  }

  private void alias() throws IOException {
    String target = outside();
    record("alias-" + next(), "TYPE" + ALIAS_TYPE + " " + genericName(target));
  }

  private String outside() {
    return "t" + random.nextInt(1_000_000) + "." + OUTSIDE[random.nextInt(OUTSIDE.length)];
  }

  /** RFC 3597 §5 generic rdata of one uncompressed absolute name. */
  static String genericName(String absoluteName) {
    StringBuilder hex = new StringBuilder();
    int length = 0;
    for (String label : absoluteName.substring(0, absoluteName.length() - 1).split("\\.")) {
      hex.append(String.format("%02x", label.length()));
      for (char c : label.toCharArray()) {
        hex.append(String.format("%02x", (int) c));
      }
      length += 1 + label.length();
    }
    hex.append("00");
    length++;
    return "\\# " + length + " " + hex;
  }

  private int next() {
    return serial++;
  }

  private int anyHost() {
    return hosts[random.nextInt(hostCount)];
  }

  /** A host name derived from its id alone, so targets can be named again later. */
  private static String hostName(int id) {
    String word = WORDS[id % WORDS.length];
    return id % 5 == 0 ? word + "-" + id + "." + REGIONS[id % REGIONS.length] : word + "-" + id;
  }

  private String ipv4() {
    int net = random.nextInt(3);
    String prefix = net == 0 ? "192.0.2." : net == 1 ? "198.51.100." : "203.0.113.";
    return prefix + (1 + random.nextInt(254));
  }

  private String ipv6() {
    return "2001:db8:" + Integer.toHexString(random.nextInt(0x10000)) + "::"
        + Integer.toHexString(1 + random.nextInt(0xffff));
  }

  private void record(String owner, String rest) throws IOException {
    out.append(owner).append('\t').append(rest).append('\n');
    written++;
  }

  private void line(String text) throws IOException {
    out.append(text).append('\n');
  }
}
