/**
 * The model: immutable {@link org.aliasdns.core.Zone} snapshots of {@link
 * org.aliasdns.core.RecordSet}s, the ALIAS/ANAME records ({@link org.aliasdns.core.AliasRecord}),
 * what chasing a target found ({@link org.aliasdns.core.Resolution}, {@link
 * org.aliasdns.core.Hop}, {@link org.aliasdns.core.AliasResults}), the resolution of targets
 * inside the served zones from their own data ({@link org.aliasdns.core.InZoneTargets}), the
 * {@link org.aliasdns.core.FlatteningPolicy}, and the one rule that flattening and answering
 * share for what an alias name ({@link org.aliasdns.core.Alias}) publishes: {@link
 * org.aliasdns.core.AliasPublication}.
 *
 * <p>The areas that work on the model have packages of their own: zone files in {@code
 * org.aliasdns.core.zonefile}, validation in {@code org.aliasdns.core.check}, flattening in
 * {@code org.aliasdns.core.flatten} and answering in {@code org.aliasdns.core.answer}.
 */
@NullMarked
package org.aliasdns.core;

import org.jspecify.annotations.NullMarked;
