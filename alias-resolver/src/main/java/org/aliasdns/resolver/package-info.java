/**
 * Resolving alias targets: {@link org.aliasdns.resolver.AliasResolver} chases a target's chain
 * upstream through a per-hop cache and returns {@link org.aliasdns.resolver.Lookup} values that
 * wrap alias-core's {@link org.aliasdns.core.Resolution}; {@link
 * org.aliasdns.resolver.TargetMonitor} keeps a set of targets fresh in the background and
 * reports changes.
 */
@NullMarked
package org.aliasdns.resolver;

import org.jspecify.annotations.NullMarked;
