/**
 * Answering: {@link org.aliasdns.core.answer.QueryAnswerer} is the pure RFC 1034 §4.3.2
 * algorithm over one zone snapshot, with alias names answering A and AAAA from the resolutions
 * of their targets; a {@link org.aliasdns.core.answer.Question} goes in and a {@link
 * org.aliasdns.core.answer.Response} comes out.
 */
@NullMarked
package org.aliasdns.core.answer;

import org.jspecify.annotations.NullMarked;
