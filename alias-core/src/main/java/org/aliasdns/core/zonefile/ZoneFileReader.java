package org.aliasdns.core.zonefile;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.core.internal.LineCountingInputStream;
import org.aliasdns.core.internal.Records;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Generator;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TTL;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Reads RFC 1035 master files (§5) into a {@link ZoneFile}: {@code $ORIGIN}, {@code $TTL},
 * {@code $INCLUDE} (which can be switched off) and BIND's {@code $GENERATE}, with ALIAS and
 * ANAME records in mnemonic or RFC 3597 generic form.
 *
 * <p>Tokens and rdata are parsed by dnsjava's {@link Tokenizer} and record types; this class
 * drives them so it can say which file and line each record came from. Records outside the
 * zone are left out and reported as {@link Rule#OUT_OF_ZONE} findings; RRsets with mixed TTLs
 * are reduced to their smallest TTL and reported as {@link Rule#RRSET_TTL_MISMATCH} (RFC 2181
 * §5.2).
 *
 * <p><b>Origin.</b> The zone origin is the one given ({@link #forOrigin(Name)}), else the owner
 * of the first SOA record. Relative names are completed with the {@code $ORIGIN} in force, else
 * with the zone origin: a file without {@code $ORIGIN} whose first record is {@code example.com.
 * SOA ns1 hostmaster ...} may write {@code ns1} and {@code www} for {@code ns1.example.com.} and
 * {@code www.example.com.} in that SOA and after it, as BIND reads it.
 *
 * <p><b>TTL.</b> The TTL of a record without one is, in order: the {@code $TTL} in force, the
 * last TTL stated explicitly (RFC 1035 §5.1), or the SOA MINIMUM (as BIND does).
 *
 * <p><b>{@code $INCLUDE}.</b> Followed by default when reading a file ({@link #read(Path)}),
 * not when reading text or a stream, which often comes from someone who should not read files
 * on this host; {@link #withIncludes(boolean)} decides for every source. Relative paths resolve
 * against the directory of the including file (the working directory for text and streams);
 * only regular files are included (never a device, FIFO or directory); includes nest at most
 * {@value #MAX_INCLUDE_DEPTH} deep and at most {@value #MAX_INCLUDES} are followed per read.
 *
 * <p><b>Bounds</b>, so that no input can exhaust memory or run for ever: one entry (a record
 * with its continuation lines, a directive, a comment line) is at most {@value
 * #MAX_ENTRY_BYTES} bytes; a file at most {@value #DEFAULT_MAX_FILE_BYTES} bytes and a file with
 * its includes at most {@value #DEFAULT_MAX_TOTAL_BYTES} bytes ({@link #withByteLimits(long,
 * long)}); one {@code $GENERATE} makes at most {@value #MAX_GENERATED} records and all of them
 * together at most {@value #DEFAULT_MAX_GENERATED_TOTAL} ({@link #withMaxGenerated(long)}),
 * from a range within 0 to {@value #MAX_GENERATE_VALUE} (as BIND) and with a field width of at
 * most {@value #MAX_GENERATE_WIDTH}.
 *
 * <p><b>Errors.</b> Every malformed input throws {@link ZoneFileException} naming the file, the
 * line, the reason and, for a bound, the limit: bad syntax or rdata, a record whose wire form
 * cannot be built (a TXT record over 65,535 bytes of rdata, an RRSIG time after 2106), an RRset
 * too large for any DNS message, a refused or unreadable {@code $INCLUDE}, a bound passed. A
 * zone is returned whole or not at all. {@link IOException} is thrown only when the file being
 * read cannot be opened or fails while being read.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ZoneFileReader {
  /** How deep {@code $INCLUDE} may nest before the reader assumes a cycle. */
  public static final int MAX_INCLUDE_DEPTH = 8;

  /** The most {@code $INCLUDE} directives one read follows, over all files. */
  public static final int MAX_INCLUDES = 10_000;

  /** The most records one {@code $GENERATE} line may produce. */
  public static final int MAX_GENERATED = 1_000_000;

  /**
   * The default for the most records all {@code $GENERATE} lines of one read may produce
   * together ({@link #withMaxGenerated(long)}).
   */
  public static final long DEFAULT_MAX_GENERATED_TOTAL = 1_000_000;

  /** The largest start or stop value of a {@code $GENERATE} range, and the largest step. */
  public static final long MAX_GENERATE_VALUE = Integer.MAX_VALUE;

  /** The widest {@code ${offset,width,base}} field of a {@code $GENERATE} pattern. */
  public static final int MAX_GENERATE_WIDTH = 255;

  /**
   * The most bytes of one entry: a record with its continuation lines, a directive or a comment
   * line. The largest record that can exist (65,535 bytes of rdata, RFC 1035 §3.2.1) fits in
   * RFC 3597 hex or in {@code \DDD} escapes.
   */
  public static final int MAX_ENTRY_BYTES = 1 << 20;

  /** The default for the most bytes of one file: 1 GiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;

  /** The default for the most bytes of a file and its includes together: 2 GiB. */
  public static final long DEFAULT_MAX_TOTAL_BYTES = 2L << 30;

  /** The most bytes of a DNS message (RFC 1035 §4.2.2: TCP's two-byte length). */
  private static final int MAX_MESSAGE = 65_535;

  /** The most bytes of rdata (RFC 1035 §3.2.1: RDLENGTH is 16 bits). */
  private static final int MAX_RDATA = 65_535;

  /**
   * An RRset of these types with at most this many records always fits in a message: each
   * record is at most 2 + 10 + 261 bytes (a name and a 16-bit field), the SOA is alone.
   */
  private static final int SMALL_SET = 200;

  private static final Pattern DNSJAVA_POSITION = Pattern.compile("^.*?:(\\d+): (.*)$", Pattern.DOTALL);

  /** Whether {@code $INCLUDE} is followed. */
  private enum Includes {
    /** In files, not in text or streams: the default. */
    FILES_ONLY,
    /** In every source. */
    ALWAYS,
    /** Never. */
    NEVER
  }

  private final @Nullable Name origin;
  private final @Nullable Long defaultTtl;
  private final Includes includes;
  private final long maxFileBytes;
  private final long maxTotalBytes;
  private final long maxGenerated;

  private ZoneFileReader(
      @Nullable Name origin,
      @Nullable Long defaultTtl,
      Includes includes,
      long maxFileBytes,
      long maxTotalBytes,
      long maxGenerated) {
    this.origin = origin;
    this.defaultTtl = defaultTtl;
    this.includes = includes;
    this.maxFileBytes = maxFileBytes;
    this.maxTotalBytes = maxTotalBytes;
    this.maxGenerated = maxGenerated;
  }

  /**
   * Returns a reader that infers the origin from the file's SOA record, follows {@code
   * $INCLUDE} in files but not in text or streams, and has the default byte limits.
   *
   * @return the default reader
   */
  public static ZoneFileReader defaults() {
    return new ZoneFileReader(
        null,
        null,
        Includes.FILES_ONLY,
        DEFAULT_MAX_FILE_BYTES,
        DEFAULT_MAX_TOTAL_BYTES,
        DEFAULT_MAX_GENERATED_TOTAL);
  }

  /**
   * Returns a reader for a zone with a known origin, which is also the initial {@code $ORIGIN}
   * for relative names.
   *
   * @param origin the absolute zone origin
   * @return a reader for that zone
   * @throws IllegalArgumentException if the origin is relative
   */
  public static ZoneFileReader forOrigin(Name origin) {
    return defaults().withOrigin(origin);
  }

  /**
   * Returns a copy of this reader for a zone with a known origin.
   *
   * @param zoneOrigin the absolute zone origin
   * @return the new reader
   * @throws IllegalArgumentException if the origin is relative
   */
  public ZoneFileReader withOrigin(Name zoneOrigin) {
    if (!zoneOrigin.isAbsolute()) {
      throw new IllegalArgumentException("zone origin must be absolute: " + zoneOrigin);
    }
    return new ZoneFileReader(
        zoneOrigin, defaultTtl, includes, maxFileBytes, maxTotalBytes, maxGenerated);
  }

  /**
   * Returns a copy of this reader with a TTL for records that state none before any {@code
   * $TTL}, like BIND's {@code -D}-less default of a configured TTL.
   *
   * @param ttl the TTL in seconds, 0 to 2147483647
   * @return the new reader
   * @throws IllegalArgumentException if the TTL is out of range
   */
  public ZoneFileReader withDefaultTtl(long ttl) {
    if (ttl < 0 || ttl > TTL.MAX_VALUE) {
      throw new IllegalArgumentException("TTL out of range: " + ttl);
    }
    return new ZoneFileReader(origin, ttl, includes, maxFileBytes, maxTotalBytes, maxGenerated);
  }

  /**
   * Returns a copy of this reader that follows {@code $INCLUDE} in every source, or in none.
   * Without this setting, files follow includes and text and streams do not. Switch includes
   * off when the zone text comes from someone who should not read files on this host.
   *
   * @param allowed true to follow {@code $INCLUDE} in files, text and streams alike; false to
   *     make it an error everywhere
   * @return the new reader
   */
  public ZoneFileReader withIncludes(boolean allowed) {
    return new ZoneFileReader(
        origin,
        defaultTtl,
        allowed ? Includes.ALWAYS : Includes.NEVER,
        maxFileBytes,
        maxTotalBytes,
        maxGenerated);
  }

  /**
   * Returns a copy of this reader with other bounds on the bytes read: past either, reading
   * fails with a {@link ZoneFileException} that names the limit.
   *
   * @param perFile the most bytes of any one file, text or stream, included or not
   * @param total the most bytes of a file with everything it includes
   * @return the new reader
   * @throws IllegalArgumentException if a limit is not positive
   */
  public ZoneFileReader withByteLimits(long perFile, long total) {
    if (perFile < 1 || total < 1) {
      throw new IllegalArgumentException(
          "byte limits must be positive: per file " + perFile + ", total " + total);
    }
    return new ZoneFileReader(origin, defaultTtl, includes, perFile, total, maxGenerated);
  }

  /**
   * Returns a copy of this reader with another bound on the records that all {@code $GENERATE}
   * lines of one read may make together; one line makes at most {@value #MAX_GENERATED}
   * whatever this says. Past the bound, reading fails with a {@link ZoneFileException} at the
   * line that passes it, before that line makes any record.
   *
   * @param total the most generated records, 0 to refuse {@code $GENERATE}
   * @return the new reader
   * @throws IllegalArgumentException if the bound is negative
   */
  public ZoneFileReader withMaxGenerated(long total) {
    if (total < 0) {
      throw new IllegalArgumentException("generated record bound is negative: " + total);
    }
    return new ZoneFileReader(origin, defaultTtl, includes, maxFileBytes, maxTotalBytes, total);
  }

  /**
   * Reads a zone file, following {@code $INCLUDE} unless {@link #withIncludes(boolean)
   * withIncludes(false)} was set.
   *
   * @param file the master file
   * @return the zone with source positions and reader findings
   * @throws IOException if the file cannot be opened or fails while being read
   * @throws ZoneFileException if the text is malformed or passes a bound, naming file, line and
   *     reason; also if the path is a directory
   */
  public ZoneFile read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new ZoneFileException(file.toString(), 0, "is a directory, not a zone file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), file.toAbsolutePath().getParent(), includes != Includes.NEVER);
    }
  }

  /**
   * Reads a zone from master-file text. {@code $INCLUDE} is an error unless {@link
   * #withIncludes(boolean) withIncludes(true)} was set.
   *
   * @param text the master-file text
   * @param sourceName the name to use for the text in positions and errors
   * @return the zone with source positions and reader findings
   * @throws ZoneFileException if the text is malformed or passes a bound, or an included file
   *     cannot be read
   */
  public ZoneFile read(String text, String sourceName) {
    try {
      return read(
          new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
          sourceName,
          null,
          includes == Includes.ALWAYS);
    } catch (IOException e) {
      throw new ZoneFileException(sourceName, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a zone from a stream of master-file text. The stream is read to its end but not
   * closed. {@code $INCLUDE} is an error unless {@link #withIncludes(boolean)
   * withIncludes(true)} was set.
   *
   * @param in the master-file bytes (UTF-8 or ASCII)
   * @param sourceName the name to use for the stream in positions and errors
   * @return the zone with source positions and reader findings
   * @throws IOException if the stream fails while being read
   * @throws ZoneFileException if the text is malformed or passes a bound, naming source, line
   *     and reason
   */
  public ZoneFile read(InputStream in, String sourceName) throws IOException {
    return read(in, sourceName, null, includes == Includes.ALWAYS);
  }

  private ZoneFile read(
      InputStream in, String sourceName, @Nullable Path baseDir, boolean followIncludes)
      throws IOException {
    AliasRecord.registerTypes();
    Parse parse = new Parse(followIncludes);
    parse.defaultTtl = defaultTtl;
    parse.file(in, sourceName, baseDir, origin, 0);
    return parse.finish(sourceName);
  }

  /** One record as read, with its position. */
  private static final class Parsed {
    final Record record;
    final int source;
    final int line;

    Parsed(Record record, int source, int line) {
      this.record = record;
      this.source = source;
      this.line = line;
    }
  }

  /** The state of one read: shared across included files. */
  private final class Parse {
    /** Records held back until the origin is known (until the first SOA, without one given). */
    final List<Parsed> records = new ArrayList<>();
    final ZoneFile.Positions positions = new ZoneFile.Positions();
    final List<Finding> findings = new ArrayList<>();
    final int[] where = new int[2];
    final boolean followIncludes;
    final LineCountingInputStream.Budget budget = new LineCountingInputStream.Budget(maxTotalBytes);
    @Nullable Long defaultTtl;
    @Nullable Long lastExplicitTtl;
    @Nullable SOARecord firstSoa;
    @Nullable Name zoneOrigin;
    Zone.@Nullable Builder builder;
    int includeCount;
    long generatedCount;

    Parse(boolean followIncludes) {
      this.followIncludes = followIncludes;
      if (origin != null) {
        start(origin);
      }
    }

    private Zone.Builder start(Name apex) {
      zoneOrigin = apex;
      Zone.Builder b =
          Zone.builder(apex)
              .onFinding(
                  f ->
                      findings.add(
                          f.at(new SourcePosition(positions.sourceName(where[0]), where[1]))));
      builder = b;
      return b;
    }

    /**
     * Reads one file (or text, or stream) to its end. Every way its text can be malformed ends
     * here as a {@link ZoneFileException} with the file and line: dnsjava's tokenizer and rdata
     * parsers throw {@link TextParseException}, other {@link IOException}s (a wire-form error in
     * RFC 3597 rdata) and unchecked exceptions (a number or time out of range, a relative name
     * with no origin); the bounds throw {@link LineCountingInputStream.LimitExceeded}. Only a
     * failure of the source itself leaves as an {@link IOException}.
     */
    void file(
        InputStream raw,
        String sourceName,
        @Nullable Path baseDir,
        @Nullable Name startOrigin,
        int depth)
        throws IOException {
      LineCountingInputStream in =
          new LineCountingInputStream(raw, MAX_ENTRY_BYTES, maxFileBytes, budget);
      int source = positions.source(sourceName);
      @Nullable Name current = startOrigin;
      @Nullable Name lastOwner = null;
      @Nullable String lastOwnerText = null;
      @Nullable Name lastOwnerOrigin = null;
      Tokenizer st = new Tokenizer(in);
      while (true) {
        int line = 0;
        // What is being read, for an error message: a directive, or a record's type (-1 before
        // it is known). Kept as is, not as text, to spare a string per record.
        @Nullable String directiveRead = null;
        int typeRead = -1;
        try {
          in.startEntry();
          Tokenizer.Token token = st.get(true, false);
          line = in.tokenLine();
          // RFC 1035 §5.1: relative names take the current origin; with no $ORIGIN, the zone
          // origin (given, or the owner of the first SOA) stands in for it, as in BIND.
          @Nullable Name relativeTo = current != null ? current : zoneOrigin;
          Name owner;
          if (token.type == Tokenizer.EOF) {
            checkParentheses(in, sourceName);
            return;
          } else if (token.type == Tokenizer.EOL) {
            continue;
          } else if (token.type == Tokenizer.WHITESPACE) {
            Tokenizer.Token next = st.get();
            if (next.type == Tokenizer.EOL) {
              continue;
            } else if (next.type == Tokenizer.EOF) {
              checkParentheses(in, sourceName);
              return;
            }
            st.unget();
            if (lastOwner == null) {
              throw new ZoneFileException(sourceName, line, "record has no owner name");
            }
            owner = lastOwner;
          } else if (token.value.startsWith("$")) {
            String directive = token.value.toUpperCase(java.util.Locale.ROOT);
            directiveRead = directive;
            switch (directive) {
              case "$ORIGIN":
                current = st.getName(relativeTo == null ? Name.root : relativeTo);
                st.getEOL();
                break;
              case "$TTL":
                defaultTtl = st.getTTL();
                st.getEOL();
                break;
              case "$INCLUDE":
                include(st, sourceName, line, baseDir, relativeTo, depth);
                break;
              case "$GENERATE":
                generate(st, sourceName, line, source, relativeTo);
                break;
              default:
                throw new ZoneFileException(sourceName, line, "unknown directive " + token.value);
            }
            continue;
          } else if (lastOwner != null
              && relativeTo == lastOwnerOrigin
              && token.value.equals(lastOwnerText)) {
            // The same owner, spelled the same, under the same origin: one Name instance for
            // all its records saves parsing, memory and look-ups downstream.
            owner = lastOwner;
          } else {
            owner =
                absolute(Name.fromString(token.value, relativeTo), sourceName, line, token.value);
            lastOwner = owner;
            lastOwnerText = token.value;
            lastOwnerOrigin = relativeTo;
          }
          Header header = header(st, sourceName, line);
          typeRead = header.type;
          if (relativeTo == null && header.type == Type.SOA) {
            relativeTo = owner; // the SOA names the zone: its own rdata may be relative too
          }
          Record record =
              Record.fromString(owner, header.type, DClass.IN, header.ttlOr(0), st, relativeTo);
          add(record, header, source, line);
        } catch (ZoneFileException e) {
          throw e;
        } catch (LineCountingInputStream.LimitExceeded e) {
          throw new ZoneFileException(sourceName, e.line(), Objects.requireNonNull(e.getMessage()), e);
        } catch (TextParseException e) {
          throw rethrow(e, sourceName, in.tokenLine());
        } catch (IOException e) {
          if (e == in.sourceFailure()) {
            throw e; // the source failed: not malformed text
          }
          // dnsjava's wire-form parse of RFC 3597 rdata (WireParseException and the like).
          throw new ZoneFileException(
              sourceName, in.tokenLine(), bad(directiveRead, typeRead) + reason(e), e);
        } catch (RuntimeException e) {
          // dnsjava reports much bad text unchecked: a relative name in rdata with no origin
          // (RelativeNameException), a number or TTL out of range (IllegalArgumentException),
          // a malformed time (DateTimeException), an overflow (ArithmeticException).
          throw new ZoneFileException(
              sourceName,
              Math.max(line, in.tokenLine()),
              bad(directiveRead, typeRead) + reason(e),
              e);
        }
      }
    }

    /** {@code bad $GENERATE: }, {@code bad MX record: } or {@code bad record: }. */
    private String bad(@Nullable String directive, int type) {
      if (directive != null) {
        return "bad " + directive + ": ";
      }
      return type < 0 ? "bad record: " : "bad " + Type.string(type) + " record: ";
    }

    private void checkParentheses(LineCountingInputStream in, String sourceName) {
      int open = in.unclosedParenthesisLine();
      if (open > 0) {
        throw new ZoneFileException(sourceName, open, "unbalanced parentheses: '(' never closed");
      }
    }

    private void add(Record record, Header header, int source, int line) {
      checkEncodes(record, source, line);
      if (header.type == Type.SOA && firstSoa == null) {
        firstSoa = (SOARecord) record;
      }
      if (header.ttl == null) {
        // RFC 1035 §5.1 leaves this open; BIND falls back to the SOA MINIMUM.
        SOARecord soa = header.type == Type.SOA ? (SOARecord) record : firstSoa;
        if (soa == null) {
          throw new ZoneFileException(
              positions.sourceName(source), line, "no TTL, no $TTL and no SOA to take one from");
        }
        record = Records.withTtl(record, soa.getMinimum());
      }
      Zone.Builder b = builder;
      if (b == null && firstSoa != null) {
        // The first SOA names the zone: place what was held back, and go straight on.
        b = start(firstSoa.getName());
        for (Parsed p : records) {
          place(b, p.record, p.source, p.line);
        }
        records.clear();
      }
      if (b != null) {
        // With the origin known, records go straight into the zone: no list of them all.
        place(b, record, source, line);
      } else {
        records.add(new Parsed(record, source, line));
      }
    }

    /**
     * Refuses a record whose wire form cannot be built, which no server could send or transfer:
     * rdata over 65,535 bytes (RFC 1035 §3.2.1), a field dnsjava cannot encode (an RRSIG time
     * past 2106, RFC 4034 §3.1.5). The types whose text parse already bounds every field are
     * not encoded again.
     */
    private void checkEncodes(Record record, int source, int line) {
      if (boundedByParse(record.getType())) {
        return;
      }
      int length;
      try {
        length = record.rdataToWireCanonical().length;
      } catch (RuntimeException e) {
        throw new ZoneFileException(
            positions.sourceName(source),
            line,
            Type.string(record.getType()) + " record cannot be encoded: " + reason(e),
            e);
      }
      if (length > MAX_RDATA) {
        throw new ZoneFileException(
            positions.sourceName(source),
            line,
            Type.string(record.getType())
                + " record has "
                + length
                + " bytes of rdata; at most "
                + MAX_RDATA
                + " fit in a record (RFC 1035 §3.2.1)");
      }
      long message = messageSize(record.getName(), 1, length);
      if (message > MAX_MESSAGE) {
        throw tooLarge(positions.sourceName(source), line, record.getName(), record.getType(), 1, message);
      }
    }

    private Header header(Tokenizer st, String sourceName, int line) throws IOException {
      // RFC 1035 §5.1: [<TTL>] [<class>] <type> or [<class>] [<TTL>] <type>.
      @Nullable Long ttl = null;
      int dclass = -1;
      String s = st.getString();
      for (int i = 0; i < 2; i++) {
        if (ttl == null && !s.isEmpty() && Character.isDigit(s.charAt(0))) {
          try {
            ttl = TTL.parseTTL(s);
            s = st.getString();
            continue;
          } catch (NumberFormatException e) {
            // not a TTL; try class and type
          }
        }
        if (dclass < 0) {
          int c = DClass.value(s);
          if (c >= 0) {
            dclass = c;
            s = st.getString();
          }
        }
      }
      if (dclass >= 0 && dclass != DClass.IN) {
        throw new ZoneFileException(
            sourceName, line, "class " + DClass.string(dclass) + " is not supported; zones are IN");
      }
      int type = Type.value(s);
      if (type < 0) {
        throw new ZoneFileException(sourceName, line, "unknown record type '" + s + "'");
      }
      if (ttl != null) {
        lastExplicitTtl = ttl;
      } else if (defaultTtl != null) {
        ttl = defaultTtl;
      } else if (lastExplicitTtl != null) {
        ttl = lastExplicitTtl;
      }
      return new Header(ttl, type);
    }

    private void include(
        Tokenizer st,
        String sourceName,
        int line,
        @Nullable Path baseDir,
        @Nullable Name current,
        int depth)
        throws IOException {
      String fileName = st.getString();
      @Nullable Name includeOrigin = current;
      Tokenizer.Token t = st.get();
      if (t.isString()) {
        includeOrigin = absolute(Name.fromString(t.value, current), sourceName, line, t.value);
        st.getEOL();
      } else {
        st.unget();
        st.getEOL();
      }
      String what = "$INCLUDE " + fileName + ": ";
      if (!followIncludes) {
        throw new ZoneFileException(
            sourceName,
            line,
            what
                + (includes == Includes.NEVER
                    ? "includes are switched off"
                    : "includes are not followed in zone text read from a string or stream"));
      }
      if (depth + 1 > MAX_INCLUDE_DEPTH) {
        throw new ZoneFileException(
            sourceName, line, what + "nested deeper than " + MAX_INCLUDE_DEPTH + " (a cycle?)");
      }
      if (++includeCount > MAX_INCLUDES) {
        throw new ZoneFileException(
            sourceName, line, what + "more than " + MAX_INCLUDES + " includes in one read");
      }
      Path path = Path.of(fileName);
      if (!path.isAbsolute() && baseDir != null) {
        path = baseDir.resolve(path);
      }
      InputStream in = open(path, what, sourceName, line);
      // RFC 1035 §5.1: an include does not change the origin (or, here, the TTL) of its parent.
      @Nullable Long savedTtl = defaultTtl;
      try (InputStream included = in) {
        file(included, path.toString(), path.toAbsolutePath().getParent(), includeOrigin, depth + 1);
      } catch (ZoneFileException e) {
        throw e;
      } catch (IOException e) {
        throw new ZoneFileException(sourceName, line, what + "cannot be read: " + reason(e), e);
      }
      defaultTtl = savedTtl;
    }

    /** Opens an included file: a regular file only, never a device, FIFO or directory. */
    private InputStream open(Path path, String what, String sourceName, int line) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
          throw new ZoneFileException(sourceName, line, what + "is a directory, not a zone file");
        }
        if (!attributes.isRegularFile()) {
          throw new ZoneFileException(
              sourceName, line, what + "is not a regular file (a device, FIFO or socket)");
        }
        // Kernel interfaces look like regular files but are not zone files: reading one can
        // disclose the process's environment (/proc/self/environ) or consume kernel messages.
        Path real = path.toRealPath();
        for (String kernel : new String[] {"/proc", "/sys", "/dev"}) {
          if (real.startsWith(kernel)) {
            throw new ZoneFileException(
                sourceName, line, what + "is under " + kernel + ", a kernel interface, not a zone file");
          }
        }
        return Files.newInputStream(real);
      } catch (NoSuchFileException e) {
        throw new ZoneFileException(sourceName, line, what + "no such file", e);
      } catch (IOException e) {
        throw new ZoneFileException(sourceName, line, what + "cannot be opened: " + reason(e), e);
      }
    }

    private void generate(
        Tokenizer st, String sourceName, int line, int source, @Nullable Name current)
        throws IOException {
      // BIND's $GENERATE: range lhs [ttl] [class] type rhs
      String range = st.getString();
      String lhs = st.getString();
      Header header = header(st, sourceName, line);
      String rhs = st.getString();
      st.getEOL();
      if (current == null) {
        throw new ZoneFileException(sourceName, line, "$GENERATE needs an origin");
      }
      if (!Generator.supportedType(header.type)) {
        throw new ZoneFileException(
            sourceName, line, "$GENERATE does not support type " + Type.string(header.type));
      }
      long[] bounds = GenerateRange.parse(range, sourceName, line);
      long count = (bounds[1] - bounds[0]) / bounds[2] + 1;
      if (count > MAX_GENERATED) {
        throw new ZoneFileException(
            sourceName,
            line,
            "$GENERATE range '" + range + "' makes more than " + MAX_GENERATED + " records");
      }
      generatedCount += count;
      if (generatedCount > maxGenerated) {
        throw new ZoneFileException(
            sourceName,
            line,
            "$GENERATE: more than " + maxGenerated + " generated records in one read");
      }
      GenerateRange.checkPattern(lhs, sourceName, line);
      GenerateRange.checkPattern(rhs, sourceName, line);
      Generator generator =
          new Generator(
              bounds[0],
              bounds[1],
              bounds[2],
              lhs,
              header.type,
              DClass.IN,
              header.ttlOr(0),
              rhs,
              current);
      Record record;
      while ((record = generator.nextRecord()) != null) {
        add(record, header, source, line);
      }
    }

    ZoneFile finish(String sourceName) {
      // The builder starts with the given origin or at the first SOA (see add).
      Zone.Builder b = builder;
      if (b == null) {
        throw new ZoneFileException(
            sourceName, 0, "no SOA record to take the zone origin from; give the origin");
      }
      Zone zone = b.build();
      checkSetSizes(zone);
      return positions.toZoneFile(zone, findings);
    }

    /**
     * Refuses an RRset that cannot fit in any DNS message (RFC 1035 §4.2.2: at most 65,535
     * bytes over TCP), counted as the smallest response that carries it whole: header,
     * question, and each record with its owner compressed to a pointer and its rdata as is. No
     * server can answer such an RRset, and BIND refuses to load it ("ran out of space").
     * RRSIGs are left out: each covers one RRset and travels with it.
     */
    private void checkSetSizes(Zone zone) {
      zone.forEachName(
          (owner, sets) -> {
            for (RecordSet set : sets) {
              int type = set.type();
              // One record was measured as it was read (checkEncodes).
              if (set.size() == 1
                  || type == Type.RRSIG
                  || type == Type.SIG
                  || (boundedByParse(type) && set.size() <= SMALL_SET)) {
                continue;
              }
              long rdata = 0;
              for (Record r : set) {
                rdata += r.rdataToWireCanonical().length;
              }
              long bytes = messageSize(owner, set.size(), rdata);
              if (bytes > MAX_MESSAGE) {
                SourcePosition at =
                    positions.toZoneFile(zone, findings).position(owner, type).orElse(null);
                throw tooLarge(
                    at == null ? "zone" : at.source(),
                    at == null ? 0 : at.line(),
                    owner,
                    type,
                    set.size(),
                    bytes);
              }
            }
          });
    }

    private void place(Zone.Builder b, Record r, int source, int line) {
      Name apex = Objects.requireNonNull(zoneOrigin);
      if (!r.getName().subdomain(apex)) {
        findings.add(
            Finding.of(
                    Rule.OUT_OF_ZONE,
                    r.getName(),
                    Type.string(r.getType()) + " record is outside zone " + apex + "; ignored")
                .at(new SourcePosition(positions.sourceName(source), line)));
        return;
      }
      where[0] = source;
      where[1] = line;
      b.add(r);
      positions.note(r.getName(), r.getType(), source, line);
    }

    private Name absolute(Name name, String sourceName, int line, String text) {
      if (!name.isAbsolute()) {
        throw new ZoneFileException(
            sourceName, line, "relative name '" + text + "' and no $ORIGIN or zone origin");
      }
      return name;
    }

    private ZoneFileException rethrow(TextParseException e, String sourceName, int line) {
      String message = Objects.requireNonNullElse(e.getMessage(), "syntax error");
      // dnsjava's own line count is one ahead when the offending token is an end of line, and
      // it names no file for streams: keep its reason, take the line from our count.
      Matcher m = DNSJAVA_POSITION.matcher(message);
      return new ZoneFileException(sourceName, line, m.matches() ? m.group(2) : message, e);
    }
  }

  /**
   * Whether the text parse of a type already bounds every field, so that its records always
   * encode and are small (at most two names and a few fixed fields): the types of most records
   * of most zones, which are then not encoded again.
   */
  private static boolean boundedByParse(int type) {
    return switch (type) {
      case Type.A, Type.AAAA, Type.NS, Type.CNAME, Type.PTR, Type.DNAME, Type.MX, Type.SRV,
          Type.SOA, AliasRecord.ALIAS, AliasRecord.ANAME ->
          true;
      default -> false;
    };
  }

  /**
   * The smallest response that carries an RRset whole: header, question, and each record with
   * its owner compressed to a pointer, type, class, TTL, RDLENGTH and rdata (RFC 1035 §4.1).
   */
  private static long messageSize(Name owner, int records, long rdataBytes) {
    return 12 + owner.length() + 4 + records * (2L + 10) + rdataBytes;
  }

  private static ZoneFileException tooLarge(
      String source, int line, Name owner, int type, int records, long bytes) {
    return new ZoneFileException(
        source,
        line,
        Type.string(type)
            + " RRset at "
            + owner
            + " ("
            + records
            + (records == 1 ? " record" : " records")
            + ") needs a message of "
            + bytes
            + " bytes; at most "
            + MAX_MESSAGE
            + " fit in one (RFC 1035 §4.2.2), so it can never be answered");
  }

  /** The message of an exception, or its type where it has none. */
  private static String reason(Exception e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    m = m.strip();
    return m.endsWith(":") ? m.substring(0, m.length() - 1) : m;
  }

  /** TTL (if stated or inherited) and type of one entry. */
  private static final class Header {
    final @Nullable Long ttl;
    final int type;

    Header(@Nullable Long ttl, int type) {
      this.ttl = ttl;
      this.type = type;
    }

    long ttlOr(long fallback) {
      return ttl == null ? fallback : ttl;
    }
  }
}
