package org.aliasdns.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.server.DnsServer;
import org.aliasdns.server.ResponseRateLimit;
import org.aliasdns.server.ServerStats;
import org.aliasdns.server.ZoneHandler;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What an amplification attempt gets from alias-server, without and with response rate limiting:
 * a burst of small UDP queries from one address (127.0.0.1, standing in for a forged victim's
 * address) for a name whose answer is large, and the bytes that come back against the bytes
 * sent. Everything runs on loopback, against a server this program starts and stops; the burst
 * is bounded in count and rate.
 *
 * <p>Usage: {@code AmplificationLoad [QUERIES [QUERIES_PER_SECOND]]}, by default 20,000 queries
 * at 10,000 per second. Prints one line per run: queries and bytes sent, responses and bytes
 * received (full and truncated), the amplification factor (bytes out / bytes in), and the
 * server's rate-limit counters.
 */
public final class AmplificationLoad {
  /** 60 addresses at one name: an answer of about 1 kB to a query of 45 bytes. */
  private static final String ZONE =
      "$ORIGIN example.com.\n"
          + "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 2026112101 7200 3600 1209600 300\n"
          + "@ NS ns1\n"
          + "ns1 A 192.0.2.53\n"
          + IntStream.range(0, 60)
              .mapToObj(i -> "big A 198.51.100." + (i + 1) + "\n")
              .collect(Collectors.joining());

  private AmplificationLoad() {}

  /**
   * Runs the burst against an unlimited server, then against one with the default limit.
   *
   * @param args optionally the number of queries and the sending rate per second
   * @throws Exception if a socket cannot be opened
   */
  public static void main(String[] args) throws Exception {
    int queries = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    if (queries < 1 || queries > 1_000_000 || rate < 1 || rate > 100_000) {
      System.err.println("usage: AmplificationLoad [QUERIES (<= 1000000) [QUERIES_PER_SECOND (<= 100000)]]");
      System.exit(2);
    }
    Zone zone = ZoneFileReader.defaults().read(ZONE, "example.com.zone").zone();
    System.out.printf(
        Locale.ROOT,
        "%d queries for big.example.com. A (EDNS, 4096) from 127.0.0.1 at %d/s%n", queries, rate);
    run("no limit", null, zone, queries, rate);
    run("rate limit", ResponseRateLimit.defaults(), zone, queries, rate);
  }

  private static void run(
      String label, @Nullable ResponseRateLimit limit, Zone zone, int queries, int rate)
      throws Exception {
    ZoneHandler handler = ZoneHandler.builder().build();
    handler.serve(zone, AliasResults.empty());
    DnsServer.Builder builder =
        DnsServer.builder(handler).listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    if (limit != null) {
      builder.responseRateLimit(limit);
    }
    try (DnsServer server = builder.build().start();
        DatagramChannel client = DatagramChannel.open()) {
      client.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
      client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      client.connect(server.address());
      AtomicLong received = new AtomicLong();
      AtomicLong receivedBytes = new AtomicLong();
      AtomicLong truncated = new AtomicLong();
      Thread reader =
          new Thread(
              () -> {
                ByteBuffer in = ByteBuffer.allocate(65535);
                try {
                  while (true) {
                    in.clear();
                    client.read(in);
                    received.incrementAndGet();
                    receivedBytes.addAndGet(in.position());
                    if (in.position() > 3 && (in.get(2) & 0x02) != 0) {
                      truncated.incrementAndGet();
                    }
                  }
                } catch (ClosedChannelException stopped) {
                  // done
                } catch (IOException e) {
                  System.err.println("read: " + e);
                }
              },
              "amplification-reader");
      reader.setDaemon(true);
      reader.start();

      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("big.example.com."), Type.A, DClass.IN));
      query.getHeader().unsetFlag(Flags.RD);
      query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
      byte[] wire = query.toWire();
      long sentBytes = 0;
      long start = System.nanoTime();
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      for (int i = 0; i < queries; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        wire[0] = (byte) (i >> 8);
        wire[1] = (byte) i;
        sentBytes += client.write(ByteBuffer.wrap(wire));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // the stragglers: until nothing has come for half a second (at most 5 s)
      long last = -1;
      for (int i = 0; i < 10 && received.get() != last; i++) {
        last = received.get();
        Thread.sleep(500);
      }
      ServerStats stats = server.stats();
      System.out.printf(
          Locale.ROOT,
          "%-10s sent %d queries, %d bytes in %.2f s; received %d responses (%d full, %d"
              + " truncated), %d bytes; amplification %.2fx; server: %d UDP queries, %d dropped"
              + " and %d slipped by the rate limit%n",
          label,
          queries,
          sentBytes,
          seconds,
          received.get(),
          received.get() - truncated.get(),
          truncated.get(),
          receivedBytes.get(),
          (double) receivedBytes.get() / sentBytes,
          stats.udpQueries(),
          stats.rateLimitDropped(),
          stats.rateLimitSlipped());
      client.close();
      reader.join(5_000);
    }
  }
}
