package org.aliasdns.core.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * A buffered stream that counts the newlines read through it one byte at a time, so a reader
 * driving dnsjava's {@code Tokenizer} (which reads byte by byte and looks one character ahead)
 * can tell the line a token started on. Being a {@link BufferedInputStream}, the tokenizer
 * uses it as is instead of wrapping it in another buffer that would read ahead of the count.
 *
 * <p>It also bounds what a hostile file can cost, since the tokenizer itself buffers a token of
 * any length: the bytes of one entry (from {@link #startEntry()} on, so a token, a line or a
 * record with its continuation lines), the bytes of this stream, and the bytes of every stream
 * sharing one {@link Budget}. Past a bound, reading throws {@link LimitExceeded}. The bounds are
 * checked each time the buffer is refilled, so they may be overrun by up to one buffer (64 KiB).
 * An {@link IOException} of the underlying stream is remembered ({@link #sourceFailure()}), so
 * the reader can tell a failing file from malformed text.
 *
 * <p>It keeps its own buffer rather than {@link BufferedInputStream}'s: that class's {@code
 * read()} is {@code synchronized}, a lock per byte of a zone file that this single-threaded
 * use does not need. Not thread-safe; mark and reset are not supported.
 */
public final class LineCountingInputStream extends BufferedInputStream {
  private static final int BUFFER_SIZE = 1 << 16;

  private final InputStream source;
  private final long maxEntryBytes;
  private final long maxBytes;
  private final Budget budget;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  /** Bytes of the source before the current buffer. */
  private long bufferStart;
  private long entryStart;
  private int entryLine = 1;
  private @Nullable IOException sourceFailure;
  private int position;
  private int limit;
  private boolean closed;
  private int newlines;
  private int lastByte = -1;
  private int depth;
  private int openedOnLine;
  private boolean inComment;
  private boolean quoted;
  private boolean escaped;

  /**
   * The bytes that several streams (a file and the files it includes) may read together.
   * Not thread-safe: one read of one zone uses it.
   */
  public static final class Budget {
    private final long maxBytes;
    private long read;

    /**
     * Creates a budget.
     *
     * @param maxBytes the most bytes all streams sharing it may read
     */
    public Budget(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    /**
     * Returns the bytes read against this budget so far.
     *
     * @return the bytes
     */
    public long read() {
      return read;
    }

    /**
     * Counts bytes read elsewhere (a part of a file read by another stream) against this
     * budget; a stream passing the bound then fails at its next refill.
     *
     * @param bytes the bytes, 0 or more
     */
    public void charge(long bytes) {
      read += Math.max(0, bytes);
    }
  }

  /** A bound of this stream or its budget was passed; the message says which. */
  public static final class LimitExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    private final int line;

    LimitExceeded(String reason, int line) {
      super(reason);
      this.line = line;
    }

    /**
     * Returns the line the bound was passed on: for an entry, the line it started on.
     *
     * @return the 1-based line
     */
    public int line() {
      return line;
    }
  }

  /**
   * Wraps a stream with no bounds.
   *
   * @param in the underlying stream
   */
  public LineCountingInputStream(InputStream in) {
    this(in, Long.MAX_VALUE, Long.MAX_VALUE, new Budget(Long.MAX_VALUE));
  }

  /**
   * Wraps a stream with bounds.
   *
   * @param in the underlying stream
   * @param maxEntryBytes the most bytes from one {@link #startEntry()} to the next
   * @param maxBytes the most bytes this stream may read
   * @param budget the bytes this stream and others may read together
   */
  public LineCountingInputStream(InputStream in, long maxEntryBytes, long maxBytes, Budget budget) {
    this(in, maxEntryBytes, maxBytes, budget, 1);
  }

  /**
   * Wraps a stream with bounds that starts on a given line: a part of a file read on its own.
   *
   * @param in the underlying stream
   * @param maxEntryBytes the most bytes from one {@link #startEntry()} to the next
   * @param maxBytes the most bytes this stream may read
   * @param budget the bytes this stream and others may read together
   * @param firstLine the 1-based line of the stream's first byte
   */
  public LineCountingInputStream(
      InputStream in, long maxEntryBytes, long maxBytes, Budget budget, int firstLine) {
    // The superclass's own buffer is never used: a token size keeps it from costing memory.
    super(in, 1);
    this.source = in;
    this.maxEntryBytes = maxEntryBytes;
    this.maxBytes = maxBytes;
    this.budget = budget;
    this.newlines = firstLine - 1;
    this.entryLine = firstLine;
  }

  /**
   * Marks the start of an entry: the bytes from here to the next mark are bounded by the entry
   * limit.
   */
  public void startEntry() {
    entryStart = bufferStart + position;
    entryLine = newlines + 1;
  }

  /**
   * Returns the exception the underlying stream threw, if it threw one.
   *
   * @return the failure, or null if the underlying stream has not failed
   */
  public @Nullable IOException sourceFailure() {
    return sourceFailure;
  }

  @Override
  public int read() throws IOException {
    if (position >= limit && !fill()) {
      lastByte = -1;
      return -1;
    }
    int b = buffer[position++] & 0xff;
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
   * Returns whether the last byte read was a newline outside parentheses, quotes, comments and
   * escapes: the stream is at the start of a line that starts an entry.
   *
   * @return whether the stream is at the clean start of a line
   */
  public boolean atCleanLineStart() {
    return lastByte == '\n' && depth == 0 && !quoted && !escaped && !inComment;
  }

  /**
   * Returns where the next line ends in the buffer, filling it first if it is used up.
   *
   * @return the index in {@link #buffer()} of the newline that ends the line starting at
   *     {@link #position()}, or -1 if the line does not end within the buffer or the stream is
   *     at its end
   * @throws IOException if the source fails or a bound is passed
   */
  public int nextLineEnd() throws IOException {
    if (position >= limit && !fill()) {
      return -1;
    }
    for (int i = position; i < limit; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the buffer; the bytes from {@link #position()} are the next to be read. For
   * reading a line in place: not to be changed.
   *
   * @return the buffer itself
   */
  public byte[] buffer() {
    return buffer;
  }

  /**
   * Returns where the next byte to be read is in {@link #buffer()}.
   *
   * @return the index
   */
  public int position() {
    return position;
  }

  /**
   * Moves past a line read in place, up to and including its newline. The line must hold no
   * parenthesis, quote, semicolon or backslash, so that the tracked state does not change.
   *
   * @param end the index of the line's newline, from {@link #nextLineEnd()}
   * @return the 1-based number of the line
   */
  public int skipLine(int end) {
    int line = newlines + 1;
    position = end + 1;
    newlines++;
    lastByte = '\n';
    return line;
  }

  /**
   * Returns the line of the outermost parenthesis still open, if any.
   *
   * @return the 1-based line of an unclosed {@code (}, or 0 if all are closed
   */
  public int unclosedParenthesisLine() {
    return depth > 0 ? openedOnLine : 0;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    // Byte by byte, so that every newline is counted in order; the tokenizer never uses it.
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    int n = 0;
    while (n < len) {
      int c = read();
      if (c < 0) {
        return n == 0 ? -1 : n;
      }
      b[off + n++] = (byte) c;
      if (position >= limit && n > 0) {
        break;
      }
    }
    return n;
  }

  private boolean fill() throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
    if (bufferStart + limit - entryStart > maxEntryBytes) {
      throw new LimitExceeded(
          "an entry (a record with its continuation lines, a directive or a comment) longer than "
              + maxEntryBytes
              + " bytes",
          entryLine);
    }
    int n;
    try {
      n = source.read(buffer, 0, buffer.length);
      while (n == 0) {
        n = source.read(buffer, 0, buffer.length);
      }
    } catch (IOException e) {
      sourceFailure = e;
      throw e;
    }
    if (n < 0) {
      return false;
    }
    bufferStart += limit;
    if (bufferStart + n > maxBytes) {
      throw new LimitExceeded("more than " + maxBytes + " bytes in this file", newlines + 1);
    }
    budget.read += n;
    if (budget.read > budget.maxBytes) {
      throw new LimitExceeded(
          "more than " + budget.maxBytes + " bytes in this file and its includes", newlines + 1);
    }
    position = 0;
    limit = n;
    return true;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n && read() >= 0) {
      skipped++;
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
    return (limit - position) + source.available();
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void mark(int readlimit) {
    // not supported
  }

  @Override
  public void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  @Override
  public void close() throws IOException {
    closed = true;
    source.close();
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
