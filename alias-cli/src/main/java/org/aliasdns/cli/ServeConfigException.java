package org.aliasdns.cli;

/**
 * A configuration file of {@code aliasdns serve --config} cannot be used: its message is {@code
 * file:line: reason} (or {@code file: reason} where no line applies). At start the command prints
 * it and exits with {@link Main#UNUSABLE} before anything binds; on a reload it is logged and
 * everything stays as it was.
 */
final class ServeConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ServeConfigException(String message) {
    super(message);
  }
}
