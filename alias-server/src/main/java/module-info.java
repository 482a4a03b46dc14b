import org.jspecify.annotations.NullMarked;

/**
 * The alias DNS front end: NIO UDP and TCP listeners with RFC 7766 framing and EDNS(0), a
 * {@link org.aliasdns.server.DnsHandler} interface that any code can implement, a ready
 * handler that answers from zone snapshots with alias-core, AXFR, and NOTIFY.
 */
@NullMarked
module org.aliasdns.server {
  requires transitive org.aliasdns.core;
  requires com.github.benmanes.caffeine;
  requires static transitive org.jspecify;

  exports org.aliasdns.server;
}
