package org.aliasdns.cli;

import org.jspecify.annotations.Nullable;

/**
 * The input cannot be used: a missing or malformed file, an option value out of range. {@link
 * Main} prints the message and exits with {@link Main#UNUSABLE}.
 */
final class UnusableInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnusableInputException(String message) {
    super(message);
  }

  UnusableInputException(@Nullable String message, Throwable cause) {
    super(message, cause);
  }
}
