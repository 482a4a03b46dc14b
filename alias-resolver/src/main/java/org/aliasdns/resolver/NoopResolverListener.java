package org.aliasdns.resolver;

/** The listener that does nothing. */
enum NoopResolverListener implements ResolverListener {
  INSTANCE
}
