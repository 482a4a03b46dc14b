import org.jspecify.annotations.NullMarked;

/**
 * The alias core: immutable record-set and zone model, master-file reading and
 * writing with ALIAS/ANAME records, and the zone validation rules.
 *
 * <p>Nothing in this module opens a socket, starts a thread or reads a clock.
 */
@NullMarked
module org.aliasdns.core {
  requires transitive org.dnsjava;
  requires static transitive org.jspecify;

  exports org.aliasdns.core;
  exports org.aliasdns.core.zonefile;
  exports org.aliasdns.core.check;
  exports org.aliasdns.core.flatten;
  exports org.aliasdns.core.answer;
  exports org.aliasdns.core.dnssec;
}
