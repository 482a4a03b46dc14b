package org.aliasdns.server;

/**
 * A TSIG key file could not be read ({@link TsigKeyFile}): names the file and line and says why.
 *
 * @since 0.1
 */
public final class TsigKeyFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param source the file name, or the name given to a text
   * @param line the 1-based line, or 0 when the problem is not tied to a line
   * @param reason what is wrong
   */
  public TsigKeyFileException(String source, int line, String reason) {
    super(line > 0 ? source + ":" + line + ": " + reason : source + ": " + reason);
    this.source = source;
    this.line = line;
    this.reason = reason;
  }

  /**
   * Returns the file or source name.
   *
   * @return the source name
   */
  public String source() {
    return source;
  }

  /**
   * Returns the line of the problem.
   *
   * @return the 1-based line, or 0 when not tied to a line
   */
  public int line() {
    return line;
  }

  /**
   * Returns what is wrong, without the file and line.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
