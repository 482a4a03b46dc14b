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
    return b;
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
