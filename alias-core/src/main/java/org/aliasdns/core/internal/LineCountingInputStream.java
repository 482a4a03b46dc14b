package org.aliasdns.core.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered stream that counts the newlines read through it one byte at a time, so a reader
 * driving dnsjava's {@code Tokenizer} (which reads byte by byte and looks one character ahead)
 * can tell the line a token started on. Being a {@link BufferedInputStream}, the tokenizer
 * uses it as is instead of wrapping it in another buffer that would read ahead of the count.
 */
public final class LineCountingInputStream extends BufferedInputStream {
  private int newlines;
  private int lastByte = -1;
  private int depth;
  private int openedOnLine;
  private boolean inComment;
  private boolean quoted;
  private boolean escaped;

  /**
   * Wraps a stream.
   *
   * @param in the underlying stream
   */
  public LineCountingInputStream(InputStream in) {
    super(in, 1 << 16);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b == '\n') {
      newlines++;
    }
    lastByte = b;
    trackParentheses(b);
    return b;
  }

  /*
   * dnsjava's Tokenizer returns EOF inside an open '(' without complaint, so the reader checks
   * the depth at the end. Parentheses inside quotes, comments or after '\' do not count, as in
   * the tokenizer.
   */
  private void trackParentheses(int b) {
    if (inComment) {
      inComment = b != '\n';
    } else if (escaped) {
      escaped = false;
    } else if (b == '\\') {
      escaped = true;
    } else if (quoted) {
      quoted = b != '"';
    } else if (b == '"') {
      quoted = true;
    } else if (b == ';') {
      inComment = true;
    } else if (b == '(') {
      if (depth++ == 0) {
        openedOnLine = newlines + 1;
      }
    } else if (b == ')') {
      depth--;
    }
  }

  /**
   * Returns the line of the outermost parenthesis still open, if any.
   *
   * @return the 1-based line of an unclosed {@code (}, or 0 if all are closed
   */
  public int unclosedParenthesisLine() {
    return depth > 0 ? openedOnLine : 0;
  }

  /**
   * Returns the 1-based line of the token the tokenizer has just returned. The tokenizer has
   * read one character past the token; if that was a newline it belongs to the token's line.
   *
   * @return the line number
   */
  public int tokenLine() {
    return newlines + 1 - (lastByte == '\n' ? 1 : 0);
  }
}
