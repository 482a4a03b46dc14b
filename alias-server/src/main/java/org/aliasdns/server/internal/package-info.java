/** Implementation of the listeners and the wire pipeline; not API. */
@NullMarked
package org.aliasdns.server.internal;

import org.jspecify.annotations.NullMarked;
