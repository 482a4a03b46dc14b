package org.aliasdns.core.zonefile;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.Zone;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 * drives them so it can say which file and line each record came from. A malformed file throws
 * {@link ZoneFileException} naming the file, the line and the reason: a zone is returned whole
 * or not at all. Records outside the zone are left out and reported as {@link
 * Rule#OUT_OF_ZONE} findings; RRsets with mixed TTLs are reduced to their smallest TTL and
 * reported as {@link Rule#RRSET_TTL_MISMATCH} (RFC 2181 §5.2).
 *
 * <p>The TTL of a record without one is, in order: the {@code $TTL} in force, the last TTL
 * stated explicitly (RFC 1035 §5.1), or the SOA MINIMUM (as BIND does). Relative {@code
 * $INCLUDE} paths resolve against the directory of the including file (the working directory
 * for text and stream sources); includes nest at most {@value #MAX_INCLUDE_DEPTH} deep. One
 * {@code $GENERATE} may produce at most {@value #MAX_GENERATED} records.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ZoneFileReader {
  /** How deep {@code $INCLUDE} may nest before the reader assumes a cycle. */
  public static final int MAX_INCLUDE_DEPTH = 8;

  /** The most records one {@code $GENERATE} line may produce. */
  public static final int MAX_GENERATED = 1_000_000;

  private static final Pattern DNSJAVA_POSITION = Pattern.compile("^.*?:(\\d+): (.*)$", Pattern.DOTALL);

  private final @Nullable Name origin;
  private final @Nullable Long defaultTtl;
  private final boolean includes;

  private ZoneFileReader(@Nullable Name origin, @Nullable Long defaultTtl, boolean includes) {
    this.origin = origin;
    this.defaultTtl = defaultTtl;
    this.includes = includes;
  }

  /**
   * Returns a reader that infers the origin from the file's SOA record and follows {@code
   * $INCLUDE}.
   *
   * @return the default reader
   */
  public static ZoneFileReader defaults() {
    return new ZoneFileReader(null, null, true);
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
    return new ZoneFileReader(zoneOrigin, defaultTtl, includes);
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
    return new ZoneFileReader(origin, ttl, includes);
  }

  /**
   * Returns a copy of this reader that follows {@code $INCLUDE} or refuses it. Switch includes
   * off when the zone text comes from someone who should not read files on this host.
   *
   * @param allowed whether {@code $INCLUDE} is followed; if false it is an error
   * @return the new reader
   */
  public ZoneFileReader withIncludes(boolean allowed) {
    return new ZoneFileReader(origin, defaultTtl, allowed);
  }

  /**
   * Reads a zone file.
   *
   * @param file the master file
   * @return the zone with source positions and reader findings
   * @throws IOException if the file (or an included file) cannot be read
   * @throws ZoneFileException if the text is malformed, naming file, line and reason
   */
  public ZoneFile read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), file.toAbsolutePath().getParent());
    }
  }

  /**
   * Reads a zone from master-file text.
   *
   * @param text the master-file text
   * @param sourceName the name to use for the text in positions and errors
   * @return the zone with source positions and reader findings
   * @throws ZoneFileException if the text is malformed, or an included file cannot be read
   */
  public ZoneFile read(String text, String sourceName) {
    try {
      return read(
          new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
          sourceName,
          null);
    } catch (IOException e) {
      throw new ZoneFileException(sourceName, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a zone from a stream of master-file text. The stream is read to its end but not
   * closed.
   *
   * @param in the master-file bytes (UTF-8 or ASCII)
   * @param sourceName the name to use for the stream in positions and errors
   * @return the zone with source positions and reader findings
   * @throws IOException if the stream (or an included file) cannot be read
   * @throws ZoneFileException if the text is malformed, naming source, line and reason
   */
  public ZoneFile read(InputStream in, String sourceName) throws IOException {
    return read(in, sourceName, null);
  }

  private ZoneFile read(InputStream in, String sourceName, @Nullable Path baseDir)
      throws IOException {
    AliasRecord.registerTypes();
    Parse parse = new Parse();
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
    @Nullable Long defaultTtl;
    @Nullable Long lastExplicitTtl;
    @Nullable SOARecord firstSoa;
    @Nullable Name zoneOrigin;
    Zone.@Nullable Builder builder;

    Parse() {
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

    void file(
        InputStream raw,
        String sourceName,
        @Nullable Path baseDir,
        @Nullable Name startOrigin,
        int depth)
        throws IOException {
      LineCountingInputStream in = new LineCountingInputStream(raw);
      int source = positions.source(sourceName);
      @Nullable Name current = startOrigin;
      @Nullable Name lastOwner = null;
      @Nullable String lastOwnerText = null;
      @Nullable Name lastOwnerOrigin = null;
      Tokenizer st = new Tokenizer(in);
      while (true) {
        int line = 0;
        try {
          Tokenizer.Token token = st.get(true, false);
          line = in.tokenLine();
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
            switch (directive) {
              case "$ORIGIN":
                current = st.getName(current == null ? Name.root : current);
                st.getEOL();
                break;
              case "$TTL":
                defaultTtl = st.getTTL();
                st.getEOL();
                break;
              case "$INCLUDE":
                include(st, sourceName, line, baseDir, current, depth);
                break;
              case "$GENERATE":
                generate(st, sourceName, line, source, current);
                break;
              default:
                throw new ZoneFileException(sourceName, line, "unknown directive " + token.value);
            }
            continue;
          } else if (lastOwner != null
              && current == lastOwnerOrigin
              && token.value.equals(lastOwnerText)) {
            // The same owner, spelled the same, under the same origin: one Name instance for
            // all its records saves parsing, memory and look-ups downstream.
            owner = lastOwner;
          } else {
            owner = absolute(Name.fromString(token.value, current), sourceName, line, token.value);
            lastOwner = owner;
            lastOwnerText = token.value;
            lastOwnerOrigin = current;
          }
          Header header = header(st, sourceName, line);
          Record record =
              Record.fromString(owner, header.type, DClass.IN, header.ttlOr(0), st, current);
          add(record, header, source, line);
        } catch (TextParseException e) {
          throw rethrow(e, sourceName, in.tokenLine());
        } catch (IllegalArgumentException e) {
          // dnsjava reports some bad text this way: a relative name in rdata with no origin
          // (RelativeNameException), a TTL or field out of range.
          throw new ZoneFileException(
              sourceName,
              in.tokenLine(),
              Objects.requireNonNullElse(e.getMessage(), e.toString()),
              e);
        }
      }
    }

    private void checkParentheses(LineCountingInputStream in, String sourceName) {
      int open = in.unclosedParenthesisLine();
      if (open > 0) {
        throw new ZoneFileException(sourceName, open, "unbalanced parentheses: '(' never closed");
      }
    }

    private void add(Record record, Header header, int source, int line) {
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
        // The origin is the first SOA's owner, known now (a zone file usually opens with its
        // SOA, RFC 1035 §5.2): the records read before it go in first, in the order read.
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
      if (!includes) {
        throw new ZoneFileException(
            sourceName, line, "$INCLUDE " + fileName + ": includes are switched off");
      }
      if (depth + 1 > MAX_INCLUDE_DEPTH) {
        throw new ZoneFileException(
            sourceName,
            line,
            "$INCLUDE " + fileName + ": nested deeper than " + MAX_INCLUDE_DEPTH + " (a cycle?)");
      }
      Path path = Path.of(fileName);
      if (!path.isAbsolute() && baseDir != null) {
        path = baseDir.resolve(path);
      }
      InputStream in;
      try {
        in = Files.newInputStream(path);
      } catch (NoSuchFileException e) {
        throw new ZoneFileException(sourceName, line, "$INCLUDE " + fileName + ": no such file", e);
      } catch (IOException e) {
        throw new ZoneFileException(
            sourceName, line, "$INCLUDE " + fileName + ": " + e.getMessage(), e);
      }
      // RFC 1035 §5.1: an include does not change the origin (or, here, the TTL) of its parent.
      @Nullable Long savedTtl = defaultTtl;
      try (InputStream included = in) {
        file(included, path.toString(), path.toAbsolutePath().getParent(), includeOrigin, depth + 1);
      }
      defaultTtl = savedTtl;
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
      long start;
      long end;
      long step = 1;
      try {
        int dash = range.indexOf('-');
        int slash = range.indexOf('/');
        if (dash < 0) {
          throw new NumberFormatException();
        }
        start = Long.parseLong(range.substring(0, dash));
        end = Long.parseLong(range.substring(dash + 1, slash < 0 ? range.length() : slash));
        if (slash >= 0) {
          step = Long.parseLong(range.substring(slash + 1));
        }
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        throw new ZoneFileException(sourceName, line, "$GENERATE range '" + range + "' is invalid");
      }
      if (start < 0 || end < start || step < 1) {
        throw new ZoneFileException(sourceName, line, "$GENERATE range '" + range + "' is invalid");
      }
      if ((end - start) / step + 1 > MAX_GENERATED) {
        throw new ZoneFileException(
            sourceName,
            line,
            "$GENERATE range '" + range + "' makes more than " + MAX_GENERATED + " records");
      }
      Generator generator =
          new Generator(
              start, end, step, lhs, header.type, DClass.IN, header.ttlOr(0), rhs, current);
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
      return positions.toZoneFile(b.build(), findings);
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
