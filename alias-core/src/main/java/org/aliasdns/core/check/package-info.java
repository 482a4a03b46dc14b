/**
 * Validation: {@link org.aliasdns.core.check.ZoneValidator} judges a zone against the catalogue
 * of {@link org.aliasdns.core.check.Rule}s (each with a stable id, a {@link
 * org.aliasdns.core.check.Severity} and the RFC section it enforces) and returns a {@link
 * org.aliasdns.core.check.ValidationReport} of {@link org.aliasdns.core.check.Finding}s.
 */
@NullMarked
package org.aliasdns.core.check;

import org.jspecify.annotations.NullMarked;
