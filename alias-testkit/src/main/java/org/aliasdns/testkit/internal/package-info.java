/** The alias testkit/internal. */
@NullMarked
package org.aliasdns.testkit.internal;

import org.jspecify.annotations.NullMarked;
