package org.aliasdns.resolver.internal;

/**
 * Upstream did not give a usable answer: an error rcode, a timeout, or a response that fails
 * the checks. Carries the reason; never a stack trace worth keeping.
 */
public final class UpstreamFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the failure.
   *
   * @param reason what went wrong, for logs and {@link org.aliasdns.core.Resolution.Failure}
   */
  public UpstreamFailure(String reason) {
    super(reason, null, false, false);
  }
}
