/**
 * Zones, record sets, ALIAS/ANAME records, zone files and their validation.
 *
 * <p>Start with {@link org.aliasdns.core.ZoneFileReader} to read a master file, {@link
 * org.aliasdns.core.Zone} for the immutable snapshot it produces, and {@link
 * org.aliasdns.core.ZoneValidator} to check it.
 */
@NullMarked
package org.aliasdns.core;

import org.jspecify.annotations.NullMarked;
