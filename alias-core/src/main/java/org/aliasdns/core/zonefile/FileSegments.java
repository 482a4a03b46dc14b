package org.aliasdns.core.zonefile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * Finds where a master file can be cut into segments that read the same on their own as in
 * the whole file, so that the segments can be read on several threads.
 *
 * <p>A segment starts at a line that begins with an owner name (so that no record carries the
 * owner of the line before it over the cut, RFC 1035 §5.1), outside parentheses, quotes and
 * escapes, with the {@code $ORIGIN} and the {@code $TTL} in force known. One fast pass over the
 * bytes tracks parentheses, quotes, comments and escapes as dnsjava's tokenizer does, and
 * follows the {@code $ORIGIN} and {@code $TTL} lines (read with that tokenizer) to know what is
 * in force at each cut. Where it can follow no further (a directive other than these two, such
 * as {@code $INCLUDE} or {@code $GENERATE}; an {@code $ORIGIN} or {@code $TTL} it cannot read; a
 * line it cannot be sure where it starts), the rest of the file is one last segment to be read
 * in order, by the reader that read the segments before it. Reading each segment then reports
 * every error as reading the whole file would, at the same line.
 *
 * <p>The pass goes on as the segments are asked for ({@link #segment(int)}) or a thread
 * drives it ({@link #advance()}), so that the first segments can be read while it finds the
 * rest. Thread-safe.
 */
final class FileSegments {
  /** The longest directive line followed; a longer one ends the cuts. */
  private static final int MAX_DIRECTIVE_BYTES = 4096;

  /** The bytes that change no scanning state outside an escape: all but \n \\ " ; ( ). */
  private static final boolean[] ORDINARY = new boolean[256];

  static {
    java.util.Arrays.fill(ORDINARY, true);
    for (char c : "\n\\\";()".toCharArray()) {
      ORDINARY[c] = false;
    }
  }

  /**
   * One segment: the bytes {@code [start, end)} of the file, starting on line {@code
   * firstLine}, with the origin and TTL in force where it starts; {@code inOrder} if it must be
   * read by the reader of the segments before it (the first segment, whose origin and TTL are
   * the reader's own, and the rest of a file that could not be cut further).
   */
  record Segment(
      long start, long end, int firstLine, @Nullable Name origin, @Nullable Long ttl, boolean inOrder) {}

  private final FileChannel channel;
  private final long size;
  private final long target;
  private final List<Segment> segments = new ArrayList<>();
  private boolean done;
  private @Nullable IOException failure;

  // The scan's state between steps.
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
  private long bufferStart;
  private int index; // the next byte of the buffer to scan
  private int filled; // the bytes in the buffer
  private int line = 1;
  private int depth;
  private boolean inComment;
  private boolean quoted;
  private boolean escaped;
  private boolean lineStart = true; // at the first byte of a line that begins outside any entry
  private long nextCut;
  private final byte[] directive = new byte[MAX_DIRECTIVE_BYTES];
  private int directiveLength = -1;
  private boolean tooLong;
  private @Nullable Name current;
  private @Nullable Long currentTtl;
  // Where the segment being scanned started, with its state.
  private long segmentStart;
  private int segmentLine = 1;
  private @Nullable Name segmentOrigin;
  private @Nullable Long segmentTtl;

  /**
   * Starts planning a file.
   *
   * @param channel the file, read by position from 0 to {@code size} (its own position is not
   *     used)
   * @param size the bytes to plan
   * @param origin the origin in force at the start (the reader's zone origin), or null
   * @param ttl the TTL in force at the start (the reader's default TTL), or null
   * @param target the bytes a segment should have at least
   */
  FileSegments(FileChannel channel, long size, @Nullable Name origin, @Nullable Long ttl, long target) {
    this.channel = channel;
    this.size = size;
    this.target = target;
    this.nextCut = target;
    this.current = origin;
    this.currentTtl = ttl;
    this.segmentOrigin = origin;
    this.segmentTtl = ttl;
  }

  /**
   * Plans a whole file at once.
   *
   * @return the segments in file order, the first starting at 0, the last ending at {@code size}
   * @throws IOException if the file cannot be read
   */
  static List<Segment> plan(
      FileChannel channel, long size, @Nullable Name origin, @Nullable Long ttl, long target)
      throws IOException {
    FileSegments plan = new FileSegments(channel, size, origin, ttl, target);
    for (int i = 0; plan.segment(i) != null; i++) {
      // planned
    }
    return List.copyOf(plan.segments);
  }

  /**
   * Returns a segment, scanning on until it is known.
   *
   * @param i the segment's index, from 0
   * @return the segment, or null if the file has fewer
   * @throws IOException if the file cannot be read
   */
  synchronized @Nullable Segment segment(int i) throws IOException {
    while (segments.size() <= i && !done) {
      step();
    }
    return i < segments.size() ? segments.get(i) : null;
  }

  /**
   * Scans on until the next segment is known.
   *
   * @return false if the plan was already done
   * @throws IOException if the file cannot be read
   */
  synchronized boolean advance() throws IOException {
    if (done) {
      return false;
    }
    step();
    return true;
  }

  /** Returns how many segments are known so far. */
  synchronized int known() {
    return segments.size();
  }

  /** Scans until a segment is added (a cut, the end, or where the cuts must stop). */
  private void step() throws IOException {
    IOException failed = failure;
    if (failed != null) {
      throw failed;
    }
    try {
      scan();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private void scan() throws IOException {
    byte[] bytes = buffer.array();
    while (true) {
      if (index >= filled) {
        bufferStart += filled;
        index = 0;
        filled = 0;
        if (bufferStart >= size) {
          if (directiveLength >= 0 && isOtherDirective()) {
            // A directive on the last line, without a newline: read it in order.
            finishInOrder();
            return;
          }
          finish(false);
          return;
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), size - bufferStart));
        int n = channel.read(buffer, bufferStart);
        if (n <= 0) {
          finish(false); // the file shrank: plan what there is
          return;
        }
        filled = n;
      }
      for (; index < filled; index++) {
        int b = bytes[index] & 0xff;
        if (lineStart) {
          lineStart = false;
          if (b == '$') {
            directiveLength = 0;
            tooLong = false;
          } else if (b == '"' || b == '(' || b == ')') {
            // A quoted first token may be a directive; a parenthesis hides where the first
            // token starts.
            finishInOrder();
            return;
          } else if (startsOwner(b)
              && bufferStart + index >= nextCut
              && current != null
              && currentTtl != null) {
            cut(bufferStart + index);
            return;
          }
        }
        if (ORDINARY[b] && !escaped && directiveLength < 0) {
          continue; // changes no state: most bytes
        }
        if (directiveLength >= 0 && b != '\n') {
          if (directiveLength == MAX_DIRECTIVE_BYTES) {
            tooLong = true;
          } else {
            directive[directiveLength++] = (byte) b;
          }
        }
        // The same state as LineCountingInputStream's parenthesis tracking.
        if (inComment) {
          inComment = b != '\n';
        } else if (escaped) {
          escaped = false;
          if (b == '\n') {
            // An escaped newline joins the lines: no entry starts on the next one.
            line++;
            if (directiveLength >= 0) {
              index++;
              finishInOrder();
              return;
            }
            continue;
          }
        } else if (b == '\\') {
          escaped = true;
        } else if (quoted) {
          quoted = b != '"';
        } else if (b == '"') {
          quoted = true;
        } else if (b == ';') {
          inComment = true;
        } else if (b == '(') {
          depth++;
        } else if (b == ')') {
          if (--depth < 0) {
            index++;
            finishInOrder(); // the tokenizer refuses it
            return;
          }
        }
        if (b == '\n') {
          line++;
          boolean clean = depth == 0 && !quoted;
          if (directiveLength >= 0) {
            @Nullable Directive d = clean && !tooLong ? directive() : null;
            directiveLength = -1;
            if (d == null) {
              index++;
              finishInOrder();
              return;
            }
            current = d.origin;
            currentTtl = d.ttl;
          }
          lineStart = clean;
        }
      }
    }
  }

  /** A cut before the byte at {@code offset}: the segment before it is known. */
  private void cut(long offset) {
    segments.add(
        new Segment(
            segmentStart, offset, segmentLine, segmentOrigin, segmentTtl, segments.isEmpty()));
    segmentStart = offset;
    segmentLine = line;
    segmentOrigin = current;
    segmentTtl = currentTtl;
    nextCut = offset + target;
  }

  /** The end of the file: the last segment is known. */
  private void finish(boolean inOrder) {
    segments.add(
        new Segment(
            segmentStart, size, segmentLine, segmentOrigin, segmentTtl, inOrder || segments.isEmpty()));
    done = true;
  }

  /** No cut can be trusted past the current segment's start: the rest is read in order. */
  private void finishInOrder() {
    finish(true);
  }

  /** Whether the directive being collected is one other than {@code $ORIGIN} and {@code $TTL}. */
  private boolean isOtherDirective() {
    int end = 0;
    while (end < directiveLength && directive[end] != ' ' && directive[end] != '\t'
        && directive[end] != ';' && directive[end] != '\r' && directive[end] != '('
        && directive[end] != '"') {
      end++;
    }
    String name = new String(directive, 0, end, StandardCharsets.ISO_8859_1);
    return !name.equalsIgnoreCase("$ORIGIN") && !name.equalsIgnoreCase("$TTL");
  }

  /** A byte that can begin an owner name at the start of a line. */
  private static boolean startsOwner(int b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || b == '_'
        || b == '-'
        || b == '*'
        || b == '@'
        || b == '.'
        || b == '\\';
  }

  /** The origin and TTL in force after a directive line. */
  private static final class Directive {
    final @Nullable Name origin;
    final @Nullable Long ttl;

    Directive(@Nullable Name origin, @Nullable Long ttl) {
      this.origin = origin;
      this.ttl = ttl;
    }
  }

  /**
   * Reads the directive line collected as the reader does ({@code $ORIGIN name}, {@code $TTL
   * ttl}, each followed by the end of the line). Returns null if it cannot be followed: another
   * directive (read in order), bad text (the reader reports it when it gets there) or a relative
   * origin with none to complete it.
   */
  private @Nullable Directive directive() {
    String text = new String(directive, 0, directiveLength, StandardCharsets.UTF_8);
    try {
      Tokenizer st = new Tokenizer(text);
      String name = st.get(true, false).value;
      switch (name.toUpperCase(Locale.ROOT)) {
        case "$ORIGIN":
          {
            Name next;
            @Nullable Name base = current;
            if (base != null) {
              next = st.getName(base);
            } else {
              Name relative = Name.fromString(st.getString(), null);
              if (!relative.isAbsolute()) {
                return null; // completed by the zone origin, known only when read
              }
              next = relative;
            }
            st.getEOL();
            return new Directive(next, currentTtl);
          }
        case "$TTL":
          {
            // as the reader takes it: 2^31 or more is 0 (RFC 2181 §8), reported when read
            long value = org.xbill.DNS.TTL.parse(st.getIdentifier(), false);
            value = value > org.xbill.DNS.TTL.MAX_VALUE ? 0 : value;
            st.getEOL();
            return new Directive(current, value);
          }
        default:
          return null;
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The bytes {@code [start, end)} of a file, read by position: one stream per segment. */
  static final class Range extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    Range(FileChannel channel, long start, long end) {
      this.channel = channel;
      this.position = start;
      this.end = end;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (position >= end) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int want = (int) Math.min(len, end - position);
      int n = channel.read(ByteBuffer.wrap(b, off, want), position);
      if (n < 0) {
        return -1; // the file shrank: read what is there
      }
      position += n;
      return n;
    }
  }
}
