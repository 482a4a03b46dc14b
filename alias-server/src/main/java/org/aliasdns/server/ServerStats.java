package org.aliasdns.server;

/**
 * A snapshot of a {@link DnsServer}'s counters since it was built. Counts never go down; take two
 * snapshots and subtract to see a period.
 *
 * @param queries messages handed to the wire rules, from the listeners or {@link
 *     DnsServer#exchange}
 * @param udpQueries of those, the ones that came on (or acted as) UDP
 * @param tcpQueries of those, the ones that came on (or acted as) TCP
 * @param formerr queries answered FORMERR because they could not be parsed or broke a wire rule
 * @param rejected queries answered NOTIMP (an opcode we do not serve) or BADVERS (an EDNS version
 *     other than 0)
 * @param dropped messages not answered at all: shorter than a header, QR set, or dropped by the
 *     handler
 * @param truncated UDP responses that did not fit and went out with TC set
 * @param handlerFailures queries answered SERVFAIL because the handler threw or its deferred reply
 *     failed
 * @param tcpConnectionsOpen TCP connections open now
 * @param tcpConnectionsAccepted TCP connections accepted and served
 * @param tcpConnectionsRejected TCP connections closed on accept because {@link
 *     DnsServer.Builder#maxTcpConnections} were open, or {@link
 *     DnsServer.Builder#maxTcpConnectionsPerClient} from the same client, and none was idle
 * @param tcpConnectionsTimedOut TCP connections closed after {@link
 *     DnsServer.Builder#tcpIdleTimeout} without progress
 * @param tcpConnectionsEvicted idle TCP connections closed to make room for a new one, the table
 *     or the client's share being full (RFC 7766 §6.2.3)
 * @param tcpBytesUnsent reply bytes TCP connections hold now, not yet written to their peers; at
 *     most {@link DnsServer.Builder#maxTcpUnsentBytes} plus one reply
 * @param listenerErrors unexpected exceptions caught in a listener thread; the thread carries on,
 *     so anything but 0 is a bug worth reporting
 * @param listenerThreads listener threads running now: {@link DnsServer.Builder#udpThreads} plus
 *     one for TCP while the server is started, 0 before and after
 * @param packetCacheHits UDP queries answered from the packet cache (see {@link
 *     DnsHandler#generation()}), counted in {@code queries} too
 * @param packetCacheBytes what the packet cache holds now, in bytes (its entries' query and
 *     reply bytes plus a fixed cost per entry), at most {@link DnsServer.Builder#packetCacheBytes}
 * @param rateLimitDropped UDP responses not sent because their client's prefix was over the
 *     {@link DnsServer.Builder#responseRateLimit} (counted in {@code queries} too); 0 without one
 * @param rateLimitSlipped UDP responses over the rate limit that went out truncated (TC set, no
 *     records) so that a real client retries over TCP ({@link ResponseRateLimit#slip()})
 * @since 0.1
 */
public record ServerStats(
    long queries,
    long udpQueries,
    long tcpQueries,
    long formerr,
    long rejected,
    long dropped,
    long truncated,
    long handlerFailures,
    int tcpConnectionsOpen,
    long tcpConnectionsAccepted,
    long tcpConnectionsRejected,
    long tcpConnectionsTimedOut,
    long tcpConnectionsEvicted,
    long tcpBytesUnsent,
    long listenerErrors,
    int listenerThreads,
    long packetCacheHits,
    long packetCacheBytes,
    long rateLimitDropped,
    long rateLimitSlipped) {}
