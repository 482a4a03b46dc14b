/**
 * A hardened DNS front end. {@link org.aliasdns.server.DnsServer} owns the sockets and the
 * wire rules (framing, EDNS(0), truncation, FORMERR, NOTIMP); a {@link
 * org.aliasdns.server.DnsHandler} decides what to answer; {@code ZoneHandler} is the ready handler that answers from zone snapshots.
 */
@NullMarked
package org.aliasdns.server;

import org.jspecify.annotations.NullMarked;
