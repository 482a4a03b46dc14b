/**
 * DNSSEC signing: {@link org.aliasdns.core.dnssec.SigningKey}s read and written in BIND's key
 * file format ({@link org.aliasdns.core.dnssec.KeyFiles}) or generated, and the {@link
 * org.aliasdns.core.dnssec.ZoneSigner} that turns a {@link org.aliasdns.core.Zone} (typically
 * a flattened one) into a {@link org.aliasdns.core.dnssec.SignedZone}: DNSKEY at the apex, RRSIG
 * over every authoritative RRset, and NSEC or NSEC3 denial of existence (RFC 4033–4035, RFC
 * 5155, RFC 9276), re-signed incrementally from the previous run. The cryptography is the JDK's,
 * through dnsjava's {@link org.xbill.DNS.DNSSEC}; nothing here reads a clock: "now" is a
 * parameter.
 */
@NullMarked
package org.aliasdns.core.dnssec;

import org.jspecify.annotations.NullMarked;
