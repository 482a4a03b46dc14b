/** Implementation details of alias-core; not exported, not API. */
@NullMarked
package org.aliasdns.core.internal;

import org.jspecify.annotations.NullMarked;
