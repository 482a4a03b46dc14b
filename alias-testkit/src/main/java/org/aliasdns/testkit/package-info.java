/** The alias testkit. */
@NullMarked
package org.aliasdns.testkit;

import org.jspecify.annotations.NullMarked;
