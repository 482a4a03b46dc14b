package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Provider;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.Denial;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Signatures made by the Amazon Corretto Crypto Provider ({@code --crypto accp}, on alias-cli's
 * class path only): a parallel signing through ACCP gives the same signed zone as a sequential
 * one with the JDK's own providers (RRSIG fields compared, signature bytes differ from run to
 * run for ECDSA, RFC 6605 §6), and every signature verifies with the JDK's providers (dnsjava's
 * {@code DNSSEC.verify}). ECDSA P-256, Ed25519 and RSA keys; NSEC and NSEC3.
 */
class AccpSigningTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Name ORIGIN = Name.fromConstantString("example.com.");
  private static final ExecutorService POOL = Executors.newFixedThreadPool(2);
  private static final SecureRandom RANDOM = new SecureRandom();

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  private static Provider accp() {
    boolean linuxX64 =
        System.getProperty("os.name").equals("Linux")
            && System.getProperty("os.arch").equals("amd64");
    if (SigningCrypto.accp().isEmpty()) {
      assertThat(linuxX64).as("ACCP is bundled for linux-x86_64 and must load there").isFalse();
      Assumptions.assumeTrue(false, "ACCP's native library does not load on this platform");
    }
    return SigningCrypto.accp().orElseThrow();
  }

  private static SigningKey key(DnssecAlgorithm algorithm, SigningKey.Role role) {
    return SigningKey.generate(ORIGIN, algorithm, role, 3600, RANDOM);
  }

  /** A random zone: hosts, deep names (empty non-terminals), wildcards, a delegation, glue. */
  private static Zone randomZone(long seed) {
    Random random = new Random(seed);
    StringBuilder text =
        new StringBuilder(
            "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 2026010100 7200 900 1209600"
                + " 300\n@ NS ns1\nns1 A 192.0.2.53\nsub NS ns.sub\nns.sub A 192.0.2.54\n");
    for (int i = 0; i < 150; i++) {
      String owner = "h" + random.nextInt(1000);
      switch (random.nextInt(5)) {
        case 0 -> text.append(owner).append(" A 192.0.2.").append(random.nextInt(250)).append('\n');
        case 1 -> text.append(owner).append(" AAAA 2001:db8::").append(i).append('\n');
        case 2 -> text.append("a.b.").append(owner).append(" TXT \"t").append(i).append("\"\n");
        case 3 -> text.append("*.").append(owner).append(" A 198.51.100.").append(i).append('\n');
        default -> text.append(owner).append(" MX 10 mail.example.com.\n");
      }
    }
    return ZoneFileReader.defaults().read(text.toString(), "random.zone").zone();
  }

  /** The signed zone with each RRSIG's signature left out: what must be equal. */
  private static Map<String, String> comparable(Zone signed) {
    Map<String, String> out = new TreeMap<>();
    for (RecordSet set : signed) {
      List<String> rows = new ArrayList<>();
      for (Record r : set) {
        if (r instanceof RRSIGRecord s) {
          rows.add(
              Type.string(s.getTypeCovered()) + " " + s.getAlgorithm() + " " + s.getLabels() + " "
                  + s.getOrigTTL() + " " + s.getExpire() + " " + s.getTimeSigned() + " "
                  + s.getFootprint() + " " + s.getSigner());
        } else {
          rows.add(r.toString());
        }
      }
      rows.sort(null);
      out.put(set.owner() + " " + Type.string(set.type()), String.join("\n", rows));
    }
    return out;
  }

  /** Verifies every RRSIG against the zone's DNSKEY RRset with the JDK; returns how many. */
  private static int verifyAll(Zone signed) throws DNSSEC.DNSSECException {
    List<DNSKEYRecord> dnskeys = new ArrayList<>();
    signed.get(ORIGIN, Type.DNSKEY).orElseThrow().forEach(r -> dnskeys.add((DNSKEYRecord) r));
    int verified = 0;
    for (RecordSet sigs : signed) {
      if (sigs.type() != Type.RRSIG) {
        continue;
      }
      for (Record r : sigs) {
        RRSIGRecord sig = (RRSIGRecord) r;
        RRset rrset = new RRset();
        signed.get(sig.getName(), sig.getTypeCovered()).orElseThrow().forEach(rrset::addRR);
        DNSKEYRecord key =
            dnskeys.stream()
                .filter(k -> k.getFootprint() == sig.getFootprint()
                    && k.getAlgorithm() == sig.getAlgorithm())
                .findFirst()
                .orElseThrow();
        DNSSEC.verify(rrset, sig, key, T0);
        verified++;
      }
    }
    return verified;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {0, 1, 2, 3})
  void accpSignsWhatTheJdkSignsAndEverySignatureVerifies(long seed) throws Exception {
    Provider accp = accp();
    List<SigningKey> keys =
        switch ((int) seed) {
          case 0 -> List.of(key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED));
          case 1 -> List.of(
              key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.KEY_SIGNING),
              key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.ZONE_SIGNING));
          case 2 -> List.of(
              key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED),
              key(DnssecAlgorithm.ED25519, SigningKey.Role.ZONE_SIGNING));
          default -> List.of(key(DnssecAlgorithm.RSASHA256, SigningKey.Role.COMBINED));
        };
    Denial denial = seed % 2 == 0 ? Denial.nsec() : Denial.nsec3();
    ZoneSigner jdk = ZoneSigner.of(keys, SigningPolicy.builder().denial(denial).build());
    ZoneSigner withAccp = jdk.withExecutor(POOL, 2).withProvider(accp);
    Zone zone = randomZone(seed);

    SignedZone one = jdk.sign(zone, T0);
    SignedZone other = withAccp.sign(zone, T0);

    assertThat(comparable(other.zone())).isEqualTo(comparable(one.zone()));
    assertThat(other.signaturesMade()).isEqualTo(one.signaturesMade()).isGreaterThan(100);
    assertThat(verifyAll(other.zone())).isEqualTo(other.signaturesMade());
  }
}
