package org.aliasdns.server.internal;

import java.time.Duration;

/**
 * The bounds a {@link TcpListener} keeps.
 *
 * @param idleTimeout how long a connection may make no progress before it is closed
 * @param maxConnections connections open at once
 * @param maxConnectionsPerClient connections open at once from one client (an IPv4 address or an
 *     IPv6 /64)
 * @param maxUnsentBytes reply bytes all connections together may hold unsent when another reply
 *     arrives
 */
public record TcpLimits(
    Duration idleTimeout, int maxConnections, int maxConnectionsPerClient, long maxUnsentBytes) {}
