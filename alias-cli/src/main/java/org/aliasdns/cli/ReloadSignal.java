package org.aliasdns.cli;

/**
 * Where reload requests come from: SIGHUP for {@code aliasdns serve --config}, or a test that
 * asks directly. A seam, so that the reload itself is tested without signals.
 */
@FunctionalInterface
interface ReloadSignal {
  /**
   * Calls the action on each request from now on, on a thread of the caller's choosing, never
   * on the signal handler's.
   *
   * @param action what a request does
   * @throws IllegalStateException if requests cannot be had (no SIGHUP on this platform)
   */
  void install(Runnable action);

  /**
   * SIGHUP through {@code sun.misc.Signal} (module jdk.unsupported): each signal runs the action
   * on a thread of its own, one after another.
   *
   * @return the SIGHUP source
   */
  static ReloadSignal hangup() {
    return action -> {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal("HUP"),
            signal -> {
              Thread t = new Thread(action, "alias-serve-reload");
              t.setDaemon(true);
              t.start();
            });
      } catch (IllegalArgumentException e) {
        // no SIGHUP here, or the JVM keeps it (-Xrs)
        throw new IllegalStateException("cannot handle SIGHUP: " + e.getMessage(), e);
      }
    };
  }
}
