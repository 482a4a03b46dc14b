package org.aliasdns.core.zonefile;

/**
 * A master file could not be read: a syntax error, an unknown type, bad rdata, a forbidden or
 * missing {@code $INCLUDE}. Names the file and line and says why; no partial zone is returned
 * when this is thrown.
 *
 * @since 0.1
 */
public final class ZoneFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param source the file name, or the name given to a text or stream source
   * @param line the 1-based line number, or 0 if the problem is not tied to a line
   * @param reason what is wrong
   */
  public ZoneFileException(String source, int line, String reason) {
    super(
        line > 0
            ? printable(source) + ":" + line + ": " + printable(reason)
            : printable(source) + ": " + printable(reason));
    this.source = source;
    this.line = line;
    this.reason = printable(reason);
  }

  /**
   * Zone text quoted in a message, with control characters written as RFC 1035 §5.1 {@code
   * \DDD} escapes: a hostile file must not reach a terminal with escape sequences.
   */
  private static String printable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
      if (control && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (control) {
          out.append('\\').append(String.format(java.util.Locale.ROOT, "%03d", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Creates the exception with a cause.
   *
   * @param source the file name, or the name given to a text or stream source
   * @param line the 1-based line number, or 0 if the problem is not tied to a line
   * @param reason what is wrong
   * @param cause the underlying exception
   */
  public ZoneFileException(String source, int line, String reason, Throwable cause) {
    this(source, line, reason);
    initCause(cause);
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
   * @return the 1-based line number, or 0 if not tied to a line
   */
  public int line() {
    return line;
  }

  /**
   * Returns what is wrong, without the source and line.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
