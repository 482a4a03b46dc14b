package org.aliasdns.core.zonefile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * Finds where a master file can be cut into segments that read the same on their own as in
 * the whole file, so that the segments can be read on several cores.
 *
 * <p>A segment starts at a line that begins with an owner name (so that no record carries the
 * owner of the line before it over the cut, RFC 1035 §5.1), outside parentheses, quotes and
 * escapes, with the {@code $ORIGIN} and the {@code $TTL} in force known. One fast pass over the
 * bytes tracks parentheses, quotes, comments and escapes as dnsjava's tokenizer does, and
 * follows the {@code $ORIGIN} and {@code $TTL} lines (read with that tokenizer) to know what is
 * in force at each cut. What it cannot follow ends the cuts: a directive it does not follow
 * ({@code $INCLUDE}, {@code $GENERATE}, an unknown one) means the file is read whole, in order;
 * an {@code $ORIGIN} or {@code $TTL} it cannot read, or a line it cannot be sure where it
 * starts, ends the cuts there, and the rest is one segment. Reading each segment then reports
 * every error as reading the whole file would, at the same line.
 */
final class FileSegments {
  /** The longest directive line followed; a longer one ends the cuts. */
  private static final int MAX_DIRECTIVE_BYTES = 4096;

  /**
   * One segment: the bytes {@code [start, end)} of the file, starting on line {@code
   * firstLine}, with the origin and TTL in force where it starts.
   */
  record Segment(long start, long end, int firstLine, Name origin, long ttl) {}

  /** The bytes that change no scanning state outside an escape: all but \n \\ " ; ( ). */
  private static final boolean[] ORDINARY = new boolean[256];

  static {
    java.util.Arrays.fill(ORDINARY, true);
    for (char c : "\n\\\";()".toCharArray()) {
      ORDINARY[c] = false;
    }
  }

  private FileSegments() {}

  /**
   * Plans the segments of a file.
   *
   * @param channel the file, read from position 0 to {@code size} by position (its own
   *     position is not used)
   * @param size the bytes to plan
   * @param origin the origin in force at the start (the reader's zone origin), or null
   * @param ttl the TTL in force at the start (the reader's default TTL), or null
   * @param target the bytes a segment should have at least
   * @return the segments in file order, the first starting at 0 (its origin and TTL, unknown
   *     there, are placeholders: the reader reads it as the start of the file), the last ending
   *     at {@code size}; a single segment if the file cannot or need not be cut; empty if the
   *     file must be read whole because of a directive
   * @throws IOException if the file cannot be read
   */
  static List<Segment> plan(
      FileChannel channel, long size, @Nullable Name origin, @Nullable Long ttl, long target)
      throws IOException {
    List<long[]> cuts = new ArrayList<>(); // {offset, line}
    List<Name> origins = new ArrayList<>();
    List<Long> ttls = new ArrayList<>();
    @Nullable Name current = origin;
    @Nullable Long currentTtl = ttl;
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    byte[] bytes = buffer.array();
    long bufferStart = 0;
    int line = 1;
    int depth = 0;
    boolean inComment = false;
    boolean quoted = false;
    boolean escaped = false;
    boolean lineStart = true; // at the first byte of a line that begins outside any entry
    long nextCut = target;
    // A directive line being collected: from its '$' to its newline.
    byte[] directive = new byte[MAX_DIRECTIVE_BYTES];
    int directiveLength = -1;
    boolean cutting = true;
    scan:
    while (bufferStart < size) {
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), size - bufferStart));
      int n = channel.read(buffer, bufferStart);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        int b = bytes[i] & 0xff;
        if (lineStart) {
          lineStart = false;
          if (b == '$') {
            directiveLength = 0;
          } else if (b == '"' || b == '(' || b == ')') {
            // A quoted first token may be a directive; a parenthesis hides where the first
            // token starts. Rare enough to read such a file whole.
            return List.of();
          } else if (cutting
              && startsOwner(b)
              && bufferStart + i >= nextCut
              && current != null
              && currentTtl != null) {
            cuts.add(new long[] {bufferStart + i, line});
            origins.add(current);
            ttls.add(currentTtl);
            nextCut = bufferStart + i + target;
          }
        }
        if (ORDINARY[b] && !escaped && directiveLength < 0) {
          continue; // changes no state: most bytes
        }
        if (directiveLength >= 0 && b != '\n') {
          if (directiveLength == MAX_DIRECTIVE_BYTES) {
            cutting = false; // too long to follow; its name is still looked at
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
              cutting = false;
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
            cutting = false; // the tokenizer refuses it; reading stops there anyway
          }
        }
        if (b == '\n') {
          line++;
          boolean clean = depth == 0 && !quoted;
          if (directiveLength >= 0) {
            int length = directiveLength;
            directiveLength = -1;
            if (!clean) {
              cutting = false;
            } else if (cutting) {
              @Nullable Directive d = directive(directive, length, current, currentTtl);
              if (d == null) {
                cutting = false;
              } else if (d.whole) {
                return List.of();
              } else {
                current = d.origin;
                currentTtl = d.ttl;
              }
            } else if (isOtherDirective(directive, length)) {
              return List.of();
            }
          }
          // Past the last cut, the scan goes on only to find a directive that makes the file
          // be read whole.
          lineStart = clean;
        }
      }
      bufferStart += n;
      if (bufferStart >= size) {
        break scan;
      }
    }
    if (directiveLength >= 0) {
      // A directive on the last line, without a newline: the same rules.
      if (isOtherDirective(directive, directiveLength)) {
        return List.of();
      }
    }
    List<Segment> segments = new ArrayList<>(cuts.size() + 1);
    long start = 0;
    int firstLine = 1;
    @Nullable Name startOrigin = origin;
    long startTtl = ttl == null ? 0 : ttl;
    for (int c = 0; c < cuts.size(); c++) {
      long[] cut = cuts.get(c);
      segments.add(
          new Segment(start, cut[0], firstLine, startOrigin == null ? Name.root : startOrigin, startTtl));
      start = cut[0];
      firstLine = (int) cut[1];
      startOrigin = origins.get(c);
      startTtl = ttls.get(c);
    }
    segments.add(
        new Segment(start, size, firstLine, startOrigin == null ? Name.root : startOrigin, startTtl));
    return segments;
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

  /** What a directive line does to the state: a new origin and TTL, or read the file whole. */
  private static final class Directive {
    final boolean whole;
    final @Nullable Name origin;
    final @Nullable Long ttl;

    Directive(boolean whole, @Nullable Name origin, @Nullable Long ttl) {
      this.whole = whole;
      this.origin = origin;
      this.ttl = ttl;
    }
  }

  /**
   * Reads a directive line as the reader does ({@code $ORIGIN name}, {@code $TTL ttl}, each
   * followed by the end of the line). Returns null if it cannot be followed: bad text (the
   * reader reports it when it gets there) or a relative origin with none to complete it.
   */
  private static @Nullable Directive directive(
      byte[] text, int length, @Nullable Name current, @Nullable Long ttl) {
    String line = new String(text, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    try {
      Tokenizer st = new Tokenizer(line);
      String name = st.get(true, false).value;
      switch (name.toUpperCase(Locale.ROOT)) {
        case "$ORIGIN":
          {
            Name next;
            if (current != null) {
              next = st.getName(current);
            } else {
              Name relative = Name.fromString(st.getString(), null);
              if (!relative.isAbsolute()) {
                return null; // completed by the zone origin, known only when read
              }
              next = relative;
            }
            st.getEOL();
            return new Directive(false, next, ttl);
          }
        case "$TTL":
          {
            long value = st.getTTL();
            st.getEOL();
            return new Directive(false, current, value);
          }
        default:
          return new Directive(true, null, null);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Whether a directive line is one other than {@code $ORIGIN} and {@code $TTL}. */
  private static boolean isOtherDirective(byte[] text, int length) {
    int end = 0;
    while (end < length && text[end] != ' ' && text[end] != '\t' && text[end] != ';'
        && text[end] != '\r' && text[end] != '(' && text[end] != '"') {
      end++;
    }
    String name = new String(text, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
    return !name.equalsIgnoreCase("$ORIGIN") && !name.equalsIgnoreCase("$TTL");
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
