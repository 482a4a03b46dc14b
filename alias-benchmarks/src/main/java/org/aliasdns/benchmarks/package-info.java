/**
 * Benchmarks for alias: a deterministic zone generator, a {@code named-checkzone}-like checker
 * for process-level comparisons with other DNS tools, and JMH benchmarks.
 */
@NullMarked
package org.aliasdns.benchmarks;

import org.jspecify.annotations.NullMarked;
