package org.aliasdns.core.dnssec;

import static org.aliasdns.core.dnssec.SigningFixtures.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Signing spread over threads (and through NSS, where it is installed) gives the zone a
 * sequential signing gives: the same records, RRSIGs with the same fields, and every signature
 * verifying. ECDSA signatures differ from run to run (RFC 6605 §6), so the signature bytes are
 * the one thing compared by verifying rather than by equality.
 */
class ParallelSigningTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final ExecutorService POOL = Executors.newFixedThreadPool(4);
  private static final SigningKey CSK = SigningFixtures.csk();
  private static final SigningKey KSK =
      SigningFixtures.key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.KEY_SIGNING);
  private static final SigningKey ZSK =
      SigningFixtures.key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.ZONE_SIGNING);
  private static final SigningKey ED_ZSK =
      SigningFixtures.key(DnssecAlgorithm.ED25519, SigningKey.Role.ZONE_SIGNING);

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  /** A random zone: hosts, deep names (empty non-terminals), wildcards, delegations, glue. */
  static Zone randomZone(long seed) {
    Random random = new Random(seed);
    StringBuilder text =
        new StringBuilder(
            "$TTL 3600\n@ SOA ns1 hostmaster 2026010100 7200 900 1209600 300\n@ NS ns1\n"
                + "ns1 A 192.0.2.53\n");
    int names = 10 + random.nextInt(50);
    for (int i = 0; i < names; i++) {
      String owner = "h" + random.nextInt(1000);
      switch (random.nextInt(7)) {
        case 0:
          owner = "x" + random.nextInt(50) + ".e" + random.nextInt(5) + "." + owner;
          break;
        case 1:
          owner = "*.w" + random.nextInt(20);
          break;
        default:
          break;
      }
      switch (random.nextInt(8)) {
        case 0:
          text.append(owner).append(" AAAA 2001:db8::").append(Integer.toHexString(random.nextInt(0xffff))).append('\n');
          break;
        case 1:
          text.append(owner).append(" TXT \"t").append(random.nextInt()).append("\"\n");
          break;
        case 2:
          text.append(owner).append(" MX 10 ns1\n");
          break;
        case 3:
          String cut = "d" + random.nextInt(40);
          text.append(cut).append(" NS ns.").append(cut).append('\n');
          text.append("ns.").append(cut).append(" A 192.0.2.").append(random.nextInt(250)).append('\n');
          if (random.nextBoolean()) {
            text.append(cut).append(" DS 12345 13 2 ")
                .append("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
          }
          break;
        default:
          text.append(owner).append(" A 198.51.100.").append(random.nextInt(250)).append('\n');
          break;
      }
    }
    return SigningFixtures.zone(text.toString());
  }

  /** The signed zone with each RRSIG's signature left out: what must be equal. */
  private static Map<String, String> comparable(Zone signed) {
    Map<String, String> out = new TreeMap<>();
    for (RecordSet set : signed) {
      List<String> rows = new ArrayList<>();
      for (Record r : set) {
        if (r instanceof RRSIGRecord) {
          RRSIGRecord s = (RRSIGRecord) r;
          rows.add(
              Type.string(s.getTypeCovered()) + " " + s.getAlgorithm() + " " + s.getLabels() + " "
                  + s.getOrigTTL() + " " + s.getTTL() + " " + s.getExpire() + " "
                  + s.getTimeSigned() + " " + s.getFootprint() + " " + s.getSigner());
        } else {
          rows.add(r.toString());
        }
      }
      rows.sort(null);
      out.put(set.owner() + " " + Type.string(set.type()), String.join("\n", rows));
    }
    return out;
  }

  /** Verifies every RRSIG of the zone against its DNSKEY RRset; returns how many. */
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
            dnskeys.stream().filter(k -> k.getFootprint() == sig.getFootprint()).findFirst()
                .orElseThrow();
        DNSSEC.verify(rrset, sig, key, T0);
        verified++;
      }
    }
    return verified;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void aParallelSigningEqualsASequentialOne(long seed) throws Exception {
    Random random = new Random(seed * 7919);
    Zone zone = randomZone(seed);
    List<SigningKey> keys =
        switch (random.nextInt(3)) {
          case 0 -> List.of(CSK);
          case 1 -> List.of(KSK, ZSK);
          default -> List.of(CSK, ED_ZSK);
        };
    Denial denial =
        random.nextBoolean() ? Denial.nsec() : new Denial.Nsec3(0, "", random.nextBoolean());
    ZoneSigner sequential = ZoneSigner.of(keys, SigningPolicy.builder().denial(denial).build());
    ZoneSigner parallel = sequential.withExecutor(POOL, 1 + random.nextInt(4));
    if (random.nextBoolean() && NssProvider.find().isPresent()) {
      parallel = parallel.withProvider(NssProvider.find().orElseThrow());
    }

    SignedZone one = sequential.sign(zone, T0);
    SignedZone many = parallel.sign(zone, T0);

    assertThat(comparable(many.zone())).isEqualTo(comparable(one.zone()));
    assertThat(many.signaturesMade()).isEqualTo(one.signaturesMade());
    assertThat(many.serial()).isEqualTo(one.serial());
    int verified = verifyAll(many.zone());
    assertThat(verified).isEqualTo(verifyAll(one.zone())).isEqualTo(one.signaturesMade());
  }

  @Test
  void signaturesThroughNssVerifyWithTheJdk() throws Exception {
    if (NssProvider.find().isEmpty()) {
      assertThat(System.getenv("ALIAS_REQUIRE_TOOLS"))
          .as("ALIAS_REQUIRE_TOOLS=1 but NSS (libnss3) is not installed")
          .isNotEqualTo("1");
      Assumptions.assumeTrue(false, "NSS (libnss3) is not installed: nothing to compare");
    }
    ZoneSigner nss =
        ZoneSigner.of(List.of(KSK, ZSK), SigningPolicy.defaults())
            .withProvider(NssProvider.find().orElseThrow());
    SignedZone signed = nss.sign(randomZone(99), T0);
    // dnsjava verifies with the JDK's own provider: NSS's signatures are standard ones.
    assertThat(verifyAll(signed.zone())).isEqualTo(signed.signaturesMade()).isGreaterThan(20);
  }
}
