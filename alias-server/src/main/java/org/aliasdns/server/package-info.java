/**
 * A hardened DNS front end. {@link org.aliasdns.server.DnsServer} owns the sockets and the
 * wire rules (framing, EDNS(0), truncation, FORMERR, NOTIMP); a {@link
 * org.aliasdns.server.DnsHandler} decides what to answer; {@link
 * org.aliasdns.server.ZoneHandler} is the ready handler that answers from zone snapshots and
 * serves zone transfers; {@link org.aliasdns.server.Notifier} tells secondaries a zone changed.
 */
@NullMarked
package org.aliasdns.server;

import org.jspecify.annotations.NullMarked;
