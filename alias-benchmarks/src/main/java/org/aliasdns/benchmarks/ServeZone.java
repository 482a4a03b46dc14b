package org.aliasdns.benchmarks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.server.DnsServer;
import org.aliasdns.server.ZoneHandler;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Serves one zone file on 127.0.0.1 with alias-server and a {@link ZoneHandler}, every alias
 * target already resolved ("warm results": 192.0.2.10 and 2001:db8::10, TTL 300), until killed.
 * The load script {@code scripts/serve-bench.sh} runs it beside NSD and PowerDNS.
 *
 * <p>Usage: {@code ServeZone ZONEFILE PORT [UDP_THREADS [PACKET_CACHE_BYTES]]}; a packet cache
 * of 0 bytes turns the server's packet cache off. Prints {@code listening PORT} when ready.
 */
public final class ServeZone {
  private ServeZone() {}

  /**
   * Runs the server.
   *
   * @param args zone file, port, and optionally the number of UDP threads and the packet cache
   *     size in bytes
   * @throws Exception if the zone cannot be read or the port bound
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ServeZone ZONEFILE PORT [UDP_THREADS [PACKET_CACHE_BYTES]]");
      System.exit(2);
    }
    Zone zone = ZoneFileReader.defaults().read(Path.of(args[0])).zone();
    int port = Integer.parseInt(args[1]);
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    long packetCache = args.length > 3 ? Long.parseLong(args[3]) : 8L << 20;
    FlatteningPolicy policy = FlatteningPolicy.defaults();
    ZoneHandler handler = ZoneHandler.builder().policy(policy).build();
    handler.update(List.of(zone), warmResults(zone, policy));
    DnsServer server =
        DnsServer.builder(handler)
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .udpThreads(threads)
            .packetCacheBytes(packetCache)
            .build()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("listening " + server.port());
    new CountDownLatch(1).await();
  }

  /** Every alias target of the zone resolved to one documentation address per family. */
  static AliasResults warmResults(Zone zone, FlatteningPolicy policy) throws Exception {
    Instant now = Instant.now();
    List<Resolution> results = new ArrayList<>();
    for (Name target : Flattener.of(policy).targets(zone)) {
      results.add(
          new Resolution.Answer(
              target,
              Type.A,
              List.of(),
              RecordSet.of(new ARecord(target, DClass.IN, 300, Address.getByAddress("192.0.2.10"))),
              now));
      results.add(
          new Resolution.Answer(
              target,
              Type.AAAA,
              List.of(),
              RecordSet.of(
                  new AAAARecord(target, DClass.IN, 300, Address.getByAddress("2001:db8::10"))),
              now));
    }
    return AliasResults.of(results);
  }
}
