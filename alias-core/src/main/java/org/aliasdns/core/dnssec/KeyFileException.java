package org.aliasdns.core.dnssec;

/**
 * A DNSSEC key file could not be read or written: missing, malformed, of an unsupported
 * algorithm, or a private key that does not belong to the public one. Names the file (and the
 * line, where one applies) and says why.
 *
 * @since 0.1
 */
public final class KeyFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  /**
   * Creates the exception.
   *
   * @param file the file name
   * @param line the 1-based line, or 0 if the problem is not tied to a line
   * @param reason what is wrong
   * @param cause the underlying exception, or null
   */
  public KeyFileException(String file, int line, String reason, @org.jspecify.annotations.Nullable Throwable cause) {
    super(line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason, cause);
    this.file = file;
    this.line = line;
  }

  /**
   * Returns the file the problem is in.
   *
   * @return the file name as given
   */
  public String file() {
    return file;
  }

  /**
   * Returns the line of the problem.
   *
   * @return the 1-based line, or 0 if not tied to a line
   */
  public int line() {
    return line;
  }
}
