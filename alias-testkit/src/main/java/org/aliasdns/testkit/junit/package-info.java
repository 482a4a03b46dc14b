/** The alias testkit/junit. */
@NullMarked
package org.aliasdns.testkit.junit;

import org.jspecify.annotations.NullMarked;
