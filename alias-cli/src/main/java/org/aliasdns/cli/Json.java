package org.aliasdns.cli;

/** The one piece of JSON writing {@code aliasdns check --format json} needs: string literals. */
final class Json {
  private Json() {}

  /**
   * Quotes a string as a JSON string literal (RFC 8259 §7).
   *
   * @param s the text
   * @return the literal, with quotes
   */
  static String string(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
