/** Implementation of the resolver: cache entries, response parsing, coalescing. Not exported. */
@NullMarked
package org.aliasdns.resolver.internal;

import org.jspecify.annotations.NullMarked;
