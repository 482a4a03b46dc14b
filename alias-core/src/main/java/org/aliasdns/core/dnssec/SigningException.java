package org.aliasdns.core.dnssec;

/**
 * A zone could not be signed: the crypto provider refused a key or failed, or the NSEC3 hashes
 * of two names collided (RFC 5155 §7.1 then asks for another salt). Names the owner and type
 * where one applies.
 *
 * @since 0.1
 */
public final class SigningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, and where
   * @param cause the underlying exception, or null
   */
  public SigningException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
  }
}
