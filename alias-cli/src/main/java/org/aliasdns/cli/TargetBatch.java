package org.aliasdns.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.TargetLookup;
import org.xbill.DNS.Name;

/**
 * Resolves many alias targets with a bounded number in flight, so a zone with thousands of
 * aliases neither overruns the resolver's queue (which fails lookups beyond it at once) nor
 * floods the upstream.
 */
final class TargetBatch {
  /** Targets in flight at once; each asks for A and AAAA, within the resolver's default bounds. */
  static final int IN_FLIGHT = 256;

  private TargetBatch() {}

  /**
   * Resolves every target for every family of the resolver's policy.
   *
   * @param resolver the resolver
   * @param targets the targets
   * @param progress counted once per target
   * @return one lookup per target, in the order given
   * @throws InterruptedException if interrupted while waiting for a slot
   */
  static List<TargetLookup> resolve(AliasResolver resolver, List<Name> targets, Progress progress)
      throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<TargetLookup>> pending = new ArrayList<>(targets.size());
    for (Name target : targets) {
      slots.acquire();
      CompletableFuture<TargetLookup> f =
          resolver
              .resolveAddresses(target)
              .toCompletableFuture()
              .whenComplete(
                  (lookup, failure) -> {
                    slots.release();
                    progress.step();
                  });
      pending.add(f);
    }
    List<TargetLookup> out = new ArrayList<>(pending.size());
    for (CompletableFuture<TargetLookup> f : pending) {
      out.add(f.join());
    }
    progress.finish();
    return out;
  }
}
