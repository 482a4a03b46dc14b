/**
 * Flattening: {@link org.aliasdns.core.flatten.Flattener} turns a zone with aliases and the
 * resolutions of their targets into a {@link org.aliasdns.core.flatten.FlattenedZone} that every
 * standard server and secondary accepts, with the serial moved exactly when the published
 * content changed, the {@link org.aliasdns.core.flatten.AliasChange}s and the {@link
 * org.aliasdns.core.flatten.FlatteningProblem}s of the run.
 */
@NullMarked
package org.aliasdns.core.flatten;

import org.jspecify.annotations.NullMarked;
