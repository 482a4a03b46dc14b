/**
 * Master files (RFC 1035 §5) with ALIAS/ANAME records: {@link
 * org.aliasdns.core.zonefile.ZoneFileReader} reads one into a {@link org.aliasdns.core.Zone} with
 * the file and line of every RRset, {@link org.aliasdns.core.zonefile.ZoneFileWriter} writes a
 * zone back as text that reads back equal (IPv6 in RFC 5952 form, RFC 3597 generic rdata where
 * the mnemonic form would not read back), and {@link
 * org.aliasdns.core.zonefile.ZoneFileException} names the file, line and reason of what could
 * not be read, or the bound it passed.
 */
@NullMarked
package org.aliasdns.core.zonefile;

import org.jspecify.annotations.NullMarked;
