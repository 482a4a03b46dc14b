package org.aliasdns.resolver.internal;

/** Calls into listener code, which must never break resolution. */
final class Listeners {
  private Listeners() {}

  static void call(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException ignored) {
      // A listener's failure is its own; resolution goes on.
    }
  }
}
