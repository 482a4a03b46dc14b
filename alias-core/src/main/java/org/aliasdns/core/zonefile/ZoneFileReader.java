package org.aliasdns.core.zonefile;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.core.internal.LineCountingInputStream;
import org.aliasdns.core.internal.MessageSize;
import org.aliasdns.core.internal.Records;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Generator;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
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
 * §5.2); a TTL of 2^31 seconds or more, a record's or {@code $TTL}'s, is set to 0 and reported
 * as {@link Rule#TTL_ABOVE_MAX} (RFC 2181 §8), as BIND does. A file that starts with a UTF-8
 * byte-order mark, or has CR line endings, is refused at line 1 saying so.
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
  private static final int MAX_MESSAGE = MessageSize.MAX_MESSAGE;

  /** The most bytes of rdata (RFC 1035 §3.2.1: RDLENGTH is 16 bits). */
  private static final int MAX_RDATA = 65_535;

  /**
   * An RRset of these types with at most this many records always fits in a message: each
   * record is at most 2 + 10 + 261 bytes (a name and a 16-bit field), the SOA is alone.
   */
  private static final int SMALL_SET = 200;

  /** The smallest segment a file is cut into when read on several threads. */
  private static final long MIN_SEGMENT_BYTES = 256 << 10;

  /** The most parts a zone is built in at once (one per core, up to this). */
  private static final int MAX_PARTS = 8;

  /**
   * dnsjava's "file:line: reason" error text; compiled on the first error, not in this class's
   * initialisation, which every first zone read of a JVM pays (issue 14's cold start).
   */
  private static final class DnsjavaPosition {
    static final Pattern PATTERN = Pattern.compile("^.*?:(\\d+): (.*)$", Pattern.DOTALL);

    private DnsjavaPosition() {}
  }

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
  private final @Nullable Executor executor;
  private final long segmentBytes;
  /** Whether simple lines are read without the tokenizer (see Parse.simpleLine). */
  private final boolean simpleLines;
  /** How many parts a file read in segments builds its zone in; 0: one per core. */
  private final int zoneParts;

  private ZoneFileReader(
      @Nullable Name origin,
      @Nullable Long defaultTtl,
      Includes includes,
      long maxFileBytes,
      long maxTotalBytes,
      long maxGenerated,
      @Nullable Executor executor,
      long segmentBytes,
      boolean simpleLines,
      int zoneParts) {
    this.origin = origin;
    this.defaultTtl = defaultTtl;
    this.includes = includes;
    this.maxFileBytes = maxFileBytes;
    this.maxTotalBytes = maxTotalBytes;
    this.maxGenerated = maxGenerated;
    this.executor = executor;
    this.segmentBytes = segmentBytes;
    this.simpleLines = simpleLines;
    this.zoneParts = zoneParts;
  }

  private ZoneFileReader(
      @Nullable Name origin,
      @Nullable Long defaultTtl,
      Includes includes,
      long maxFileBytes,
      long maxTotalBytes,
      long maxGenerated) {
    this(origin, defaultTtl, includes, maxFileBytes, maxTotalBytes, maxGenerated, null, 0, true, 0);
  }

  /** A copy of this reader with the executor and segment size of another. */
  private ZoneFileReader withTasksOf(ZoneFileReader other) {
    return new ZoneFileReader(
        origin,
        defaultTtl,
        includes,
        maxFileBytes,
        maxTotalBytes,
        maxGenerated,
        other.executor,
        other.segmentBytes,
        other.simpleLines,
        other.zoneParts);
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
        zoneOrigin, defaultTtl, includes, maxFileBytes, maxTotalBytes, maxGenerated)
        .withTasksOf(this);
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
    return new ZoneFileReader(origin, ttl, includes, maxFileBytes, maxTotalBytes, maxGenerated)
        .withTasksOf(this);
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
        maxGenerated)
        .withTasksOf(this);
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
    return new ZoneFileReader(origin, defaultTtl, includes, perFile, total, maxGenerated)
        .withTasksOf(this);
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
    return new ZoneFileReader(origin, defaultTtl, includes, maxFileBytes, maxTotalBytes, total)
        .withTasksOf(this);
  }

  /**
   * Returns a copy of this reader that reads a large file in segments on an executor's
   * threads, the calling thread working through them too, and builds the zone in parts, one
   * per core, each part taking the records of its names in file order. The zone, its positions and findings, and any error (its reason and
   * line) are the same as reading the file in order: each segment starts at a line with an
   * owner name, outside parentheses, with the {@code $ORIGIN} and {@code $TTL} in force known
   * from one fast pass over the bytes (RFC 1035 §5.1). A file that cannot be cut so (one with
   * {@code $INCLUDE} or {@code $GENERATE}, without {@code $ORIGIN} or a zone origin, without
   * {@code $TTL} or a default TTL), text and streams are read in order on the calling thread.
   * By default a reader starts no tasks.
   *
   * @param tasks the executor, such as {@link java.util.concurrent.ForkJoinPool#commonPool()}
   * @return the new reader
   */
  public ZoneFileReader withExecutor(Executor tasks) {
    return new ZoneFileReader(
        origin,
        defaultTtl,
        includes,
        maxFileBytes,
        maxTotalBytes,
        maxGenerated,
        Objects.requireNonNull(tasks, "tasks"),
        segmentBytes,
        simpleLines,
        zoneParts);
  }

  /**
   * Returns a copy of this reader whose segments (with an executor) are at least this many
   * bytes, instead of a size chosen from the file's; for tests, which cut small files.
   */
  ZoneFileReader withSegmentBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("segment bytes must be positive: " + bytes);
    }
    return new ZoneFileReader(
        origin,
        defaultTtl,
        includes,
        maxFileBytes,
        maxTotalBytes,
        maxGenerated,
        executor,
        bytes,
        simpleLines,
        zoneParts);
  }

  /**
   * Returns a copy of this reader that reads every line with dnsjava's tokenizer; for tests,
   * which compare it with the reading of simple lines without it.
   */
  ZoneFileReader withTokenizerOnly() {
    return new ZoneFileReader(
        origin,
        defaultTtl,
        includes,
        maxFileBytes,
        maxTotalBytes,
        maxGenerated,
        executor,
        segmentBytes,
        false,
        zoneParts);
  }

  /**
   * Returns a copy of this reader that builds the zone of a file read in segments in this many
   * parts (1: in order on the calling thread) instead of one per core; for tests, which must
   * take every path on any machine.
   */
  ZoneFileReader withZoneParts(int parts) {
    if (parts < 1 || parts > MAX_PARTS) {
      throw new IllegalArgumentException("zone parts must be from 1 to " + MAX_PARTS + ": " + parts);
    }
    return new ZoneFileReader(
        origin,
        defaultTtl,
        includes,
        maxFileBytes,
        maxTotalBytes,
        maxGenerated,
        executor,
        segmentBytes,
        simpleLines,
        parts);
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
    Executor tasks = executor;
    if (tasks != null) {
      try (FileChannel channel = FileChannel.open(file)) {
        ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES);
        while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
          // the first bytes, for checkStart
        }
        checkStart(head.array(), head.position(), file.toString());
        long size = channel.size();
        long target = segmentBytes > 0 ? segmentBytes : Math.max(MIN_SEGMENT_BYTES, size / 16);
        // Within the bounds only: past one, the file is read in order to fail at its line.
        if (size > 2 * target && size <= Math.min(maxFileBytes, maxTotalBytes)) {
          FileSegments plan = new FileSegments(channel, size, origin, defaultTtl, target);
          FileSegments.Segment first = Objects.requireNonNull(plan.segment(0));
          if (first.end() < size) {
            return readSegments(channel, plan, size / target + 2, file, tasks);
          }
        }
      }
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), file.toAbsolutePath().getParent(), includes != Includes.NEVER);
    }
  }

  /**
   * Reads a file cut into segments: the calling thread reads the first segment into the zone,
   * then puts each further segment's records in, in order, reading a segment itself when no
   * task has taken it yet, and reading the rest of the file itself where the plan stopped
   * cutting. A task finds the segments (the calling thread does when no task has). A
   * segment's error is thrown when its turn comes, after the records before it, so the first
   * error in the file is the one thrown, as when reading in order.
   */
  private ZoneFile readSegments(
      FileChannel channel, FileSegments plan, long most, Path file, Executor tasks)
      throws IOException {
    AliasRecord.registerTypes();
    String sourceName = file.toString();
    @Nullable Path baseDir = file.toAbsolutePath().getParent();
    boolean followIncludes = includes != Includes.NEVER;
    int count = (int) Math.min(most, Integer.MAX_VALUE - 8);
    int partCount =
        zoneParts > 0 ? zoneParts : Math.min(Runtime.getRuntime().availableProcessors(), MAX_PARTS);
    AtomicBoolean[] taken = new AtomicBoolean[count];
    @SuppressWarnings("unchecked")
    CompletableFuture<Detached>[] done = new CompletableFuture[count];
    for (int i = 0; i < count; i++) {
      taken[i] = new AtomicBoolean();
      done[i] = new CompletableFuture<>();
    }
    AtomicBoolean abandoned = new AtomicBoolean();
    Runnable planning =
        () -> {
          // Finds the segments, handing each out to be read as soon as it is known.
          int handed = 1;
          try {
            while (!abandoned.get() && plan.advance()) {
              for (int known = plan.known(); handed < known && handed < count; handed++) {
                FileSegments.Segment segment = Objects.requireNonNull(plan.segment(handed));
                if (!segment.inOrder()) {
                  int index = handed;
                  tasks.execute(
                      () -> {
                        if (!abandoned.get() && taken[index].compareAndSet(false, true)) {
                          done[index].complete(
                              readDetached(channel, segment, sourceName, baseDir, followIncludes, partCount));
                        }
                      });
                }
              }
            }
          } catch (IOException | RejectedExecutionException e) {
            // The calling thread meets the same failure, or reads the segments itself.
          }
        };
    try {
      tasks.execute(planning);
    } catch (RejectedExecutionException e) {
      // the calling thread plans and reads every segment itself
    }
    try {
      if (partCount > 1) {
        return readInParts(
            channel, plan, count, taken, done, sourceName, baseDir, followIncludes, tasks,
            partCount);
      }
      Parse parse = new Parse(followIncludes);
      parse.defaultTtl = defaultTtl;
      // About one owner per line of 32 bytes, as in most zones; at most a million up front.
      parse.expectOwners((int) Math.min(channel.size() / 32, 1 << 20));
      FileSegments.Segment first = Objects.requireNonNull(plan.segment(0));
      parse.file(
          new FileSegments.Range(channel, first.start(), first.end()),
          sourceName,
          baseDir,
          origin,
          0,
          1);
      for (int i = 1; ; i++) {
        FileSegments.Segment segment = plan.segment(i);
        if (segment == null) {
          break;
        }
        if (segment.inOrder() || i >= count) {
          // The rest of the file, which could not be cut: read in order as the file would be,
          // with the origin and TTL in force there, and the bytes before it counted against
          // the bound on a file with its includes.
          parse.budget.charge(segment.start() - parse.budget.read());
          parse.defaultTtl = segment.ttl();
          parse.file(
              new FileSegments.Range(channel, segment.start(), segment.end()),
              sourceName,
              baseDir,
              segment.origin(),
              0,
              segment.firstLine());
          continue;
        }
        Detached part =
            taken[i].compareAndSet(false, true)
                ? readDetached(channel, segment, sourceName, baseDir, followIncludes, partCount)
                : done[i].join();
        for (int r = 0; r < part.size; r++) {
          parse.addChecked(
              Objects.requireNonNull(part.records[r]), !part.noTtl.get(r), 0, part.lines[r]);
          part.records[r] = null; // in the zone now
        }
        parse.findings.addAll(part.findings);
        part.rethrow();
      }
      return parse.finish(sourceName);
    } finally {
      abandoned.set(true);
    }
  }

  /**
   * Reads a file cut into segments and builds its zone in parts, one per core: the segments'
   * records are gathered in file order (the in-order segments through the calling thread's
   * parse, the others read on any thread), then every thread places the records of the names
   * of its part ({@link Zone.Builder#split}) in file order and builds its part, and the parts
   * are joined. What the reader reports is the same as placing every record in order: the
   * first error in the file is thrown, each RRset's position is that of its first record, and
   * the findings (TTL mismatches, records out of zone) keep the order of their records.
   */
  private ZoneFile readInParts(
      FileChannel channel,
      FileSegments plan,
      int count,
      AtomicBoolean[] taken,
      CompletableFuture<Detached>[] done,
      String sourceName,
      @Nullable Path baseDir,
      boolean followIncludes,
      Executor tasks,
      int partCount)
      throws IOException {
    Parse parse = new Parse(followIncludes);
    parse.defaultTtl = defaultTtl;
    List<Detached> read = new ArrayList<>();
    FileSegments.Segment first = Objects.requireNonNull(plan.segment(0));
    boolean failed = parse.gather(channel, first, sourceName, baseDir, origin, read, partCount);
    for (int i = 1; !failed; i++) {
      FileSegments.Segment segment = plan.segment(i);
      if (segment == null) {
        break;
      }
      if (segment.inOrder() || i >= count) {
        // The rest of the file, which could not be cut: read in order as the file would be
        // (see readSegments), relative names completed by the zone origin known so far.
        parse.budget.charge(segment.start() - parse.budget.read());
        parse.defaultTtl = segment.ttl();
        if (parse.zoneOrigin == null) {
          SOARecord soa = firstSoa(read);
          parse.zoneOrigin = soa == null ? null : soa.getName();
        }
        failed =
            parse.gather(channel, segment, sourceName, baseDir, segment.origin(), read, partCount);
        continue;
      }
      Detached part =
          taken[i].compareAndSet(false, true)
              ? readDetached(channel, segment, sourceName, baseDir, followIncludes, partCount)
              : done[i].join();
      read.add(part);
      failed = part.failure != null;
    }
    // In file order, as placing each record in turn would: a record without a TTL takes the
    // MINIMUM of the first SOA before it (or its own), and a segment's error comes after its
    // records.
    // Only those records are visited: the rest wait in the arrays for their part's thread.
    @Nullable SOARecord soa = null;
    long records = 0;
    for (Detached part : read) {
      @Nullable SOARecord partSoa =
          part.firstSoa < 0 ? null : (SOARecord) part.records[part.firstSoa];
      for (int r = part.noTtl.nextSetBit(0); r >= 0 && r < part.size; r = part.noTtl.nextSetBit(r + 1)) {
        Record record = Objects.requireNonNull(part.records[r]);
        // RFC 1035 §5.1 leaves this open; BIND falls back to the SOA MINIMUM.
        SOARecord minimum =
            record.getType() == Type.SOA
                ? (SOARecord) record
                : soa != null ? soa : partSoa != null && part.firstSoa < r ? partSoa : null;
        if (minimum == null) {
          throw new ZoneFileException(
              parse.positions.sourceName(part.source(r)),
              part.lines[r],
              "no TTL, no $TTL and no SOA to take one from");
        }
        part.records[r] = Records.withTtl(record, minimum.getMinimum());
      }
      if (soa == null && partSoa != null) {
        soa = partSoa;
      }
      records += part.size;
      parse.findings.addAll(part.findings);
      part.rethrow();
    }
    Name apex = parse.zoneOrigin != null ? parse.zoneOrigin : soa == null ? null : soa.getName();
    if (apex == null) {
      throw new ZoneFileException(
          sourceName, 0, "no SOA record to take the zone origin from; give the origin");
    }
    // About as many names as records, less the names with several (one per line of 32 bytes
    // read above); at most a million up front.
    int expected = (int) Math.min(Math.min(records, channel.size() / 32), 1 << 20);
    List<Zone.Builder> builders = Zone.builder(apex).split(partCount);
    PartPlacer[] placers = new PartPlacer[partCount];
    for (int p = 0; p < partCount; p++) {
      placers[p] = new PartPlacer(p, builders.get(p), parse.positions, apex, expected / partCount);
    }
    runParts(placers, read, tasks);
    Zone zone = Zone.join(builders);
    ZoneFile.Positions[] positions = new ZoneFile.Positions[partCount];
    for (int p = 0; p < partCount; p++) {
      positions[p] = placers[p].positions;
    }
    parse.positions.joinParts(positions);
    PartPlacer.mergeFindings(placers, parse.findings);
    for (PartPlacer placer : placers) {
      parse.multiple.addAll(placer.multiple);
    }
    return parse.finish(zone);
  }

  /** The owner of the first SOA among the records gathered, or null. */
  private static @Nullable SOARecord firstSoa(List<Detached> read) {
    for (Detached part : read) {
      if (part.firstSoa >= 0) {
        return (SOARecord) part.records[part.firstSoa];
      }
    }
    return null;
  }

  /**
   * Runs every placer, on the calling thread and the executor's; a placer no other thread has
   * started is run by the calling thread, so a busy executor delays nothing. Returns when all
   * have run, rethrowing the first failure.
   */
  private static void runParts(PartPlacer[] placers, List<Detached> read, Executor tasks)
      throws IOException {
    int n = placers.length;
    AtomicBoolean[] started = new AtomicBoolean[n];
    @SuppressWarnings("unchecked")
    CompletableFuture<@Nullable Throwable>[] finished = new CompletableFuture[n];
    for (int p = 0; p < n; p++) {
      started[p] = new AtomicBoolean();
      finished[p] = new CompletableFuture<>();
    }
    for (int p = 1; p < n; p++) {
      int part = p;
      try {
        tasks.execute(
            () -> {
              if (started[part].compareAndSet(false, true)) {
                finished[part].complete(placers[part].run(read));
              }
            });
      } catch (RejectedExecutionException e) {
        // the calling thread places this part itself
      }
    }
    @Nullable Throwable failure = null;
    for (int p = 0; p < n; p++) {
      @Nullable Throwable f =
          started[p].compareAndSet(false, true) ? placers[p].run(read) : finished[p].join();
      if (failure == null) {
        failure = f;
      }
    }
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    } else if (failure instanceof Error) {
      throw (Error) failure;
    } else if (failure != null) {
      throw new IOException(failure);
    }
  }

  /**
   * Places the records of one part's names into that part's builder and positions, in file
   * order, and builds the part; keeps each finding with the index of its record in the file,
   * so that the parts' findings can be put back in file order.
   */
  private static final class PartPlacer implements Consumer<Finding> {
    final int part;
    final Zone.Builder builder;
    final ZoneFile.Positions positions;
    final Name apex;
    final List<Finding> findings = new ArrayList<>();
    long[] findingIndexes = new long[16];
    final SetsToMeasure multiple = new SetsToMeasure();
    // the record being placed, for a finding of the builder's
    private int source;
    private int line;
    private long index;

    PartPlacer(int part, Zone.Builder builder, ZoneFile.Positions shared, Name apex, int expected) {
      this.part = part;
      this.builder = builder.expectNames(expected).onFinding(this);
      this.positions = new ZoneFile.Positions(shared);
      this.positions.expectOwners(expected);
      this.apex = apex;
    }

    @Override
    public void accept(Finding f) {
      found(f.at(new SourcePosition(positions.sourceName(source), line)));
    }

    private void found(Finding f) {
      if (findings.size() == findingIndexes.length) {
        findingIndexes = Arrays.copyOf(findingIndexes, findingIndexes.length * 2);
      }
      findingIndexes[findings.size()] = index;
      findings.add(f);
    }

    /** Places this part's records and builds the part; returns what failed, or null. */
    @Nullable Throwable run(List<Detached> read) {
      try {
        long at = 0;
        for (Detached segment : read) {
          byte[] parts = Objects.requireNonNull(segment.parts);
          for (int r = 0; r < segment.size; r++, at++) {
            // the part as the tokenizing thread found it, so as not to touch the others' records
            if (parts[r] == part) {
              index = at;
              place(Objects.requireNonNull(segment.records[r]), segment.source(r), segment.lines[r]);
            }
          }
        }
        builder.build(); // sealed and sorted here, on this part's thread
        return null;
      } catch (RuntimeException | Error e) {
        return e;
      }
    }

    /** As Parse.place, for one part. */
    private void place(Record r, int source, int line) {
      if (!r.getName().subdomain(apex)) {
        found(
            Finding.of(
                    Rule.OUT_OF_ZONE,
                    r.getName(),
                    r.getType(),
                    Type.string(r.getType()) + " record is outside zone " + apex + "; ignored")
                .at(new SourcePosition(positions.sourceName(source), line)));
        return;
      }
      this.source = source;
      this.line = line;
      builder.add(r);
      int type = r.getType();
      int records = positions.note(r.getName(), type, source, line);
      multiple.noteIfMeasured(r.getName(), type, records);
    }

    /** Adds the placers' findings to the list in the order of their records in the file. */
    static void mergeFindings(PartPlacer[] placers, List<Finding> into) {
      int[] next = new int[placers.length];
      while (true) {
        int best = -1;
        for (int p = 0; p < placers.length; p++) {
          PartPlacer placer = placers[p];
          if (next[p] < placer.findings.size()
              && (best < 0
                  || placer.findingIndexes[next[p]]
                      < placers[best].findingIndexes[next[best]])) {
            best = p;
          }
        }
        if (best < 0) {
          return;
        }
        into.add(placers[best].findings.get(next[best]++));
      }
    }
  }

  /** Reads one segment on its own, keeping its records (or its error) for the zone. */
  private Detached readDetached(
      FileChannel channel,
      FileSegments.Segment segment,
      String sourceName,
      @Nullable Path baseDir,
      boolean followIncludes,
      int partCount) {
    Parse parse = new Parse(followIncludes);
    Detached records = new Detached(partCount);
    parse.detached = records;
    parse.defaultTtl = Objects.requireNonNull(segment.ttl());
    try {
      parse.file(
          new FileSegments.Range(channel, segment.start(), segment.end()),
          sourceName,
          baseDir,
          segment.origin(),
          0,
          segment.firstLine());
    } catch (IOException | RuntimeException | Error e) {
      records.failure = e;
    }
    return records;
  }

  /**
   * The records of a segment read on its own, in order, with their lines, and the error that
   * ended it. Two arrays rather than an object per record: they live until the calling thread
   * puts them into the zone, long enough to be copied by the collector.
   */
  private static final class Detached {
    @Nullable Record[] records = new Record[1024];
    int[] lines = new int[1024];
    /** Each record's file (an index into the positions' names), once one is not the first. */
    int @Nullable [] sources;
    /** Of a zone built in parts: each record's part (Zone.partOf), found while it is at hand. */
    byte @Nullable [] parts;
    private final int partCount;
    /** The index of the first SOA record, or -1. */
    int firstSoa = -1;

    Detached(int partCount) {
      this.partCount = partCount;
      this.parts = partCount > 1 ? new byte[records.length] : null;
    }
    /** The records whose entry had no TTL (none in force): each takes the SOA MINIMUM. */
    final BitSet noTtl = new BitSet();
    /** The reader's findings while reading the segment (TTLs of 2^31 or more), in order. */
    final List<Finding> findings = new ArrayList<>(0);
    int size;
    @Nullable Throwable failure;

    void add(Record record, boolean ttlKnown, int source, int line) {
      if (size == records.length) {
        records = Arrays.copyOf(records, size * 2);
        lines = Arrays.copyOf(lines, size * 2);
        if (sources != null) {
          sources = Arrays.copyOf(sources, size * 2);
        }
        if (parts != null) {
          parts = Arrays.copyOf(parts, size * 2);
        }
      }
      byte[] partOf = parts;
      if (partOf != null) {
        partOf[size] = (byte) Zone.partOf(record.getName(), partCount);
      }
      if (firstSoa < 0 && record.getType() == Type.SOA) {
        firstSoa = size;
      }
      int[] from = sources;
      if (from == null && source != 0) {
        from = new int[records.length];
        sources = from;
      }
      if (from != null) {
        from[size] = source;
      }
      if (!ttlKnown) {
        noTtl.set(size);
      }
      records[size] = record;
      lines[size++] = line;
    }

    int source(int r) {
      int[] from = sources;
      return from == null ? 0 : from[r];
    }

    void rethrow() throws IOException {
      Throwable f = failure;
      if (f instanceof IOException) {
        throw (IOException) f;
      } else if (f instanceof RuntimeException) {
        throw (RuntimeException) f;
      } else if (f instanceof Error) {
        throw (Error) f;
      }
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
      InputStream source, String sourceName, @Nullable Path baseDir, boolean followIncludes)
      throws IOException {
    InputStream in = source.markSupported() ? source : new BufferedInputStream(source, HEAD_BYTES);
    in.mark(HEAD_BYTES);
    byte[] head = in.readNBytes(HEAD_BYTES);
    in.reset();
    checkStart(head, head.length, sourceName);
    AliasRecord.registerTypes();
    Parse parse = new Parse(followIncludes);
    parse.defaultTtl = defaultTtl;
    parse.file(in, sourceName, baseDir, origin, 0, 1);
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
    /** Every file {@code $INCLUDE} brought in, in the order they were opened. */
    final List<Path> includedFiles = new ArrayList<>();
    long generatedCount;
    /** The owners and types of the RRsets checkSetSizes measures (see place). */
    final SetsToMeasure multiple = new SetsToMeasure();
    /** Where the tokens of a simple line start and end (see simpleLine): owner, TTL, class, type and 4 fields. */
    final int[] tokenStarts = new int[8];
    final int[] tokenEnds = new int[8];
    /** How many owner names the zone is expected to have (a hint for its builder). */
    int expectedOwners;
    /** For a segment read on its own: where its records go, checked but not yet placed. */
    @Nullable Detached detached;
    /** Whether this parse gathers the in-order segments of a file read in parts. */
    boolean gathering;

    Parse(boolean followIncludes) {
      this.followIncludes = followIncludes;
      if (origin != null) {
        start(origin);
      }
    }

    /** Makes room for about this many owner names in the zone and the positions. */
    void expectOwners(int count) {
      expectedOwners = count;
      positions.expectOwners(count);
      Zone.Builder b = builder;
      if (b != null) {
        b.expectNames(count);
      }
    }

    private Zone.Builder start(Name apex) {
      zoneOrigin = apex;
      // An anonymous class, not a lambda: every first zone read of a JVM comes here (issue 14).
      Zone.Builder b =
          Zone.builder(apex)
              .expectNames(expectedOwners)
              .onFinding(
                  new Consumer<Finding>() {
                    @Override
                    public void accept(Finding f) {
                      findings.add(
                          f.at(new SourcePosition(positions.sourceName(where[0]), where[1])));
                    }
                  });
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
        int depth,
        int firstLine)
        throws IOException {
      LineCountingInputStream in =
          new LineCountingInputStream(raw, MAX_ENTRY_BYTES, maxFileBytes, budget, firstLine);
      int source = positions.source(sourceName);
      @Nullable Name current = startOrigin;
      LastOwner last = new LastOwner();
      Tokenizer st = new Tokenizer(in);
      while (true) {
        int line = 0;
        // What is being read, for an error message: a directive, or a record's type (-1 before
        // it is known). Kept as is, not as text, to spare a string per record.
        @Nullable String directiveRead = null;
        int typeRead = -1;
        try {
          in.startEntry();
          if (simpleLines && simpleLine(in, last, current != null ? current : zoneOrigin, source)) {
            continue;
          }
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
            @Nullable Name previous = last.owner;
            if (previous == null) {
              throw new ZoneFileException(sourceName, line, "record has no owner name");
            }
            owner = previous;
          } else if (token.value.startsWith("$")) {
            String directive = token.value.toUpperCase(java.util.Locale.ROOT);
            directiveRead = directive;
            switch (directive) {
              case "$ORIGIN":
                current = st.getName(relativeTo == null ? Name.root : relativeTo);
                st.getEOL();
                break;
              case "$TTL":
                defaultTtl = ttl(st, relativeTo, 0, sourceName, line);
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
          } else {
            @Nullable Name same = last.same(token.value, relativeTo);
            if (same != null) {
              owner = same;
            } else {
              owner =
                  absolute(Name.fromString(token.value, relativeTo), sourceName, line, token.value);
              last.set(owner, token.value, relativeTo);
            }
          }
          Header header = header(st, sourceName, line);
          typeRead = header.type;
          if (header.statedAboveMax != 0) {
            aboveMax(owner, header.type, header.statedAboveMax, sourceName, line);
          }
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

    /**
     * Reads the next line without dnsjava's tokenizer if it is a simple record: one line, whole
     * in the stream's buffer, of printable ASCII without parentheses, quotes, escapes,
     * comments or directives, of type A, AAAA, NS, CNAME, MX or SRV with well-formed rdata.
     * Such a line makes the same record, header and position as {@link Record#fromString}
     * driven by the loop in {@link #file} (the same dnsjava parsers of names, addresses, TTLs,
     * classes and types; the record built by dnsjava's constructors), which {@code
     * SimpleLineTest} checks line by line. Anything else, or anything in doubt, returns false
     * with nothing read and nothing changed, and the tokenizer reads the line: every error is
     * its.
     *
     * <p>Called only at the start of an entry, where the tokenizer holds nothing read ahead but
     * an end of line (an empty line to it).
     *
     * @return whether the line was read and its record added
     */
    private boolean simpleLine(
        LineCountingInputStream in, LastOwner last, @Nullable Name relativeTo, int source)
        throws IOException {
      if (relativeTo == null || !in.atCleanLineStart()) {
        return false;
      }
      int end = in.nextLineEnd();
      if (end < 0) {
        return false;
      }
      byte[] bytes = in.buffer();
      int start = in.position();
      int count = 0;
      int[] starts = tokenStarts;
      int[] ends = tokenEnds;
      for (int i = start; i < end; ) {
        int b = bytes[i];
        if (b == ' ' || b == '\t') {
          i++;
          continue;
        }
        if (count == starts.length) {
          return false;
        }
        starts[count] = i;
        while (i < end && bytes[i] != ' ' && bytes[i] != '\t') {
          if (!SIMPLE_BYTE[bytes[i] & 0xff]) {
            return false;
          }
          i++;
        }
        ends[count++] = i;
      }
      if (count == 0) {
        return false; // an empty line: the tokenizer's
      }
      boolean carried = bytes[start] == ' ' || bytes[start] == '\t';
      int t = 0;
      Name owner;
      @Nullable String ownerText = null;
      @Nullable Long ttl = null;
      @Nullable Long inForce;
      int type;
      Record record;
      try {
        if (carried) {
          @Nullable Name previous = last.owner;
          if (previous == null) {
            return false;
          }
          owner = previous;
        } else {
          ownerText = token(bytes, starts, ends, t++);
          @Nullable Name same = last.same(ownerText, relativeTo);
          owner = same != null ? same : Name.fromString(ownerText, relativeTo);
          if (!owner.isAbsolute()) {
            return false;
          }
        }
        // The header as header() reads it: [<TTL>] [<class>] <type> or [<class>] [<TTL>] <type>.
        int dclass = -1;
        if (t >= count) {
          return false;
        }
        String s = token(bytes, starts, ends, t);
        for (int k = 0; k < 2; k++) {
          if (ttl == null && !s.isEmpty() && Character.isDigit(s.charAt(0))) {
            try {
              ttl = TTL.parseTTL(s);
              if (ttl == TTL.MAX_VALUE && TTL.parse(s, false) > TTL.MAX_VALUE) {
                return false; // set to 0 with a finding by header()
              }
              if (++t >= count) {
                return false;
              }
              s = token(bytes, starts, ends, t);
              continue;
            } catch (NumberFormatException e) {
              // not a TTL; try class and type
            }
          }
          if (dclass < 0) {
            int c = DClass.value(s);
            if (c >= 0) {
              dclass = c;
              if (++t >= count) {
                return false;
              }
              s = token(bytes, starts, ends, t);
            }
          }
        }
        if (dclass >= 0 && dclass != DClass.IN) {
          return false;
        }
        type = Type.value(s);
        t++;
        inForce = ttl != null ? ttl : defaultTtl != null ? defaultTtl : lastExplicitTtl;
        long ttlValue = inForce == null ? 0 : inForce;
        int fields = count - t;
        switch (type) {
          case Type.A, Type.AAAA -> {
            if (fields != 1) {
              return false;
            }
            byte[] address =
                Address.toByteArray(
                    token(bytes, starts, ends, t),
                    type == Type.A ? Address.IPv4 : Address.IPv6);
            if (address == null) {
              return false;
            }
            record = Record.newRecord(owner, type, DClass.IN, ttlValue, address);
          }
          case Type.NS, Type.CNAME -> {
            if (fields != 1) {
              return false;
            }
            @Nullable Name target = name(bytes, starts, ends, t, relativeTo);
            if (target == null) {
              return false;
            }
            record =
                type == Type.NS
                    ? new NSRecord(owner, DClass.IN, ttlValue, target)
                    : new CNAMERecord(owner, DClass.IN, ttlValue, target);
          }
          case Type.MX -> {
            int priority = fields == 2 ? uint16(bytes, starts[t], ends[t]) : -1;
            @Nullable Name target = priority < 0 ? null : name(bytes, starts, ends, t + 1, relativeTo);
            if (target == null) {
              return false;
            }
            record = new MXRecord(owner, DClass.IN, ttlValue, priority, target);
          }
          case Type.SRV -> {
            if (fields != 4) {
              return false;
            }
            int priority = uint16(bytes, starts[t], ends[t]);
            int weight = uint16(bytes, starts[t + 1], ends[t + 1]);
            int port = uint16(bytes, starts[t + 2], ends[t + 2]);
            @Nullable Name target =
                priority < 0 || weight < 0 || port < 0
                    ? null
                    : name(bytes, starts, ends, t + 3, relativeTo);
            if (target == null) {
              return false;
            }
            record = new SRVRecord(owner, DClass.IN, ttlValue, priority, weight, port, target);
          }
          default -> {
            return false;
          }
        }
      } catch (TextParseException | RuntimeException e) {
        return false; // the tokenizer reads it again and reports what is wrong
      }
      // Read: now the state changes as the tokenizer's reading would have changed it.
      if (ownerText != null && owner != last.owner) {
        last.set(owner, ownerText, relativeTo);
      }
      if (ttl != null) {
        lastExplicitTtl = ttl;
      }
      int line = in.skipLine(end);
      add(record, new Header(inForce, type), source, line);
      return true;
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
      Detached kept = detached;
      if (kept != null) {
        if (gathering && zoneOrigin == null && record.getType() == Type.SOA) {
          // As the first SOA placed in order would: its owner completes relative names after it.
          zoneOrigin = record.getName();
        }
        kept.add(record, header.ttl != null, source, line);
        return;
      }
      addChecked(record, header.ttl != null, source, line);
    }

    /**
     * Adds a record whose wire form was checked ({@link #checkEncodes}).
     *
     * @param ttlKnown whether the entry stated a TTL or one was in force; if not, the record
     *     takes the SOA MINIMUM
     */
    void addChecked(Record record, boolean ttlKnown, int source, int line) {
      int type = record.getType();
      if (type == Type.SOA && firstSoa == null) {
        firstSoa = (SOARecord) record;
      }
      if (!ttlKnown) {
        // RFC 1035 §5.1 leaves this open; BIND falls back to the SOA MINIMUM.
        SOARecord soa = type == Type.SOA ? (SOARecord) record : firstSoa;
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
      long statedAboveMax = 0;
      int dclass = -1;
      String s = st.getString();
      for (int i = 0; i < 2; i++) {
        if (ttl == null && !s.isEmpty() && Character.isDigit(s.charAt(0))) {
          try {
            long stated = TTL.parse(s, false);
            // RFC 2181 §8: a TTL with the top bit set is treated as zero
            ttl = stated > TTL.MAX_VALUE ? 0L : stated;
            statedAboveMax = stated > TTL.MAX_VALUE ? stated : 0;
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
      return new Header(ttl, type, statedAboveMax);
    }

    /**
     * Reads a {@code $TTL} value: one of 2^31 or more is taken as 0 (RFC 2181 §8) with a
     * {@link Rule#TTL_ABOVE_MAX} finding at the line, where dnsjava would cut it to 2^31 - 1.
     */
    private long ttl(Tokenizer st, @Nullable Name current, int type, String sourceName, int line)
        throws IOException {
      String text = st.getIdentifier();
      long stated;
      try {
        stated = TTL.parse(text, false);
      } catch (NumberFormatException e) {
        throw st.exception("expected a TTL value");
      }
      if (stated <= TTL.MAX_VALUE) {
        return stated;
      }
      aboveMax(current != null ? current : Name.root, type, stated, sourceName, line);
      return 0;
    }

    /** Reports a TTL of 2^31 or more, which was set to 0 (RFC 2181 §8). */
    private void aboveMax(Name owner, int type, long stated, String sourceName, int line) {
      String what = type == 0 ? "$TTL " : Type.string(type) + " record's TTL ";
      Finding f =
          Finding.of(
                  Rule.TTL_ABOVE_MAX,
                  owner,
                  type,
                  what + stated + " is above 2147483647 (2^31 - 1); set to 0, as a TTL with"
                      + " the top bit set is treated as zero")
              .at(new SourcePosition(sourceName, line));
      Detached kept = detached;
      if (kept != null) {
        kept.findings.add(f);
      } else {
        findings.add(f);
      }
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
      includedFiles.add(path.toAbsolutePath().normalize());
      // The included file is named in messages and positions as the including one is: a
      // relative name beside the including file's name as given (not made absolute).
      @Nullable Path givenDir = Path.of(fileName).isAbsolute() ? null : Path.of(sourceName).getParent();
      String includedName = givenDir == null ? fileName : givenDir.resolve(fileName).toString();
      // RFC 1035 §5.1: an include does not change the origin (or, here, the TTL) of its parent.
      @Nullable Long savedTtl = defaultTtl;
      try (InputStream included = in) {
        file(
            included, includedName, path.toAbsolutePath().getParent(), includeOrigin, depth + 1, 1);
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
      if (header.statedAboveMax != 0) {
        aboveMax(current != null ? current : Name.root, header.type, header.statedAboveMax, sourceName, line);
      }
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

    /**
     * Reads an in-order segment of a file read in parts, keeping its records (and its error,
     * which ends the reading) in the list; returns whether it failed.
     */
    boolean gather(
        FileChannel channel,
        FileSegments.Segment segment,
        String sourceName,
        @Nullable Path baseDir,
        @Nullable Name startOrigin,
        List<Detached> read,
        int partCount) {
      Detached kept = new Detached(partCount);
      read.add(kept);
      detached = kept;
      gathering = true;
      try {
        file(
            new FileSegments.Range(channel, segment.start(), segment.end()),
            sourceName,
            baseDir,
            startOrigin,
            0,
            segment.firstLine());
      } catch (IOException | RuntimeException | Error e) {
        kept.failure = e;
      } finally {
        detached = null;
        gathering = false;
      }
      return kept.failure != null;
    }

    /** Ends a read whose zone was built in parts and joined. */
    ZoneFile finish(Zone zone) {
      checkSetSizes(zone);
      ownDirectiveFindings(zone.origin());
      return positions.toZoneFile(zone, findings, includedFiles);
    }

    /**
     * Gives the findings of a {@code $TTL} directive (type 0) the zone's origin as owner: the
     * directive belongs to the file, not to a name, and one read before any {@code $ORIGIN} or
     * SOA had no origin to name yet.
     */
    private void ownDirectiveFindings(Name origin) {
      for (int i = 0; i < findings.size(); i++) {
        Finding f = findings.get(i);
        if (f.rule() == Rule.TTL_ABOVE_MAX && f.type() == 0 && !f.owner().equals(origin)) {
          findings.set(
              i, new Finding(f.rule(), f.severity(), origin, 0, f.position(), f.message()));
        }
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
      ownDirectiveFindings(zone.origin());
      return positions.toZoneFile(zone, findings, includedFiles);
    }

    /**
     * Refuses an RRset that cannot fit in any DNS message (RFC 1035 §4.2.2: at most 65,535
     * bytes over TCP), counted as the smallest response that carries it whole: header,
     * question, and each record with its owner compressed to a pointer and its rdata as is. No
     * server can answer such an RRset, and BIND refuses to load it ("ran out of space").
     * RRSIGs are left out: each covers one RRset and travels with it.
     */
    private void checkSetSizes(Zone zone) {
      // Only the RRsets noted in place can be too large (one record was measured as it was
      // read, in checkEncodes; up to SMALL_SET small ones always fit); of those too large, the
      // first in canonical order (RFC 4034 §6.1, then by type) is reported, as a walk over the
      // whole zone would find it.
      @Nullable RecordSet worst = null;
      long worstBytes = 0;
      for (int i = 0; i < multiple.size(); i++) {
        RecordSet set = zone.get(multiple.owner(i), multiple.type(i)).orElse(null);
        if (set == null) {
          continue;
        }
        int type = set.type();
        if (set.size() == 1 || (boundedByParse(type) && set.size() <= SMALL_SET)) {
          continue;
        }
        long rdata = 0;
        for (Record r : set) {
          rdata += r.rdataToWireCanonical().length;
        }
        long bytes = messageSize(set.owner(), set.size(), rdata);
        if (bytes > MAX_MESSAGE
            && (worst == null
                || set.owner().compareTo(worst.owner()) < 0
                || (set.owner().equals(worst.owner()) && type < worst.type()))) {
          worst = set;
          worstBytes = bytes;
        }
      }
      if (worst != null) {
        Name owner = worst.owner();
        SourcePosition at =
            positions.toZoneFile(zone, findings, List.of())
                .position(owner, worst.type())
                .orElse(null);
        throw tooLarge(
            at == null ? "zone" : at.source(),
            at == null ? 0 : at.line(),
            owner,
            worst.type(),
            worst.size(),
            worstBytes);
      }
    }

    private void place(Zone.Builder b, Record r, int source, int line) {
      Name apex = Objects.requireNonNull(zoneOrigin);
      if (!r.getName().subdomain(apex)) {
        findings.add(
            Finding.of(
                    Rule.OUT_OF_ZONE,
                    r.getName(),
                    r.getType(),
                    Type.string(r.getType()) + " record is outside zone " + apex + "; ignored")
                .at(new SourcePosition(positions.sourceName(source), line)));
        return;
      }
      where[0] = source;
      where[1] = line;
      b.add(r);
      int type = r.getType();
      int records = positions.note(r.getName(), type, source, line);
      multiple.noteIfMeasured(r.getName(), type, records);
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
      Matcher m = DnsjavaPosition.PATTERN.matcher(message);
      return new ZoneFileException(sourceName, line, m.matches() ? m.group(2) : message, e);
    }
  }

  /**
   * The owners and types of the RRsets the size check measures, in the order they were noted:
   * of a type whose records are small, those past {@link #SMALL_SET} records; of another, those
   * of more than one (one record is measured as it is read). RRSIGs are left out: each covers
   * one RRset and travels with it.
   */
  private static final class SetsToMeasure {
    private final List<Name> owners = new ArrayList<>();
    private int[] types = new int[64];

    /**
     * Notes the RRset if its record count, just raised to {@code records}, makes it one to
     * measure.
     */
    void noteIfMeasured(Name owner, int type, int records) {
      if (records == (boundedByParse(type) ? SMALL_SET + 1 : 2)
          && type != Type.RRSIG
          && type != Type.SIG) {
        add(owner, type);
      }
    }

    void addAll(SetsToMeasure other) {
      for (int i = 0; i < other.size(); i++) {
        add(other.owner(i), other.type(i));
      }
    }

    int size() {
      return owners.size();
    }

    Name owner(int i) {
      return owners.get(i);
    }

    int type(int i) {
      return types[i];
    }

    private void add(Name owner, int type) {
      if (owners.size() == types.length) {
        types = Arrays.copyOf(types, types.length * 2);
      }
      types[owners.size()] = type;
      owners.add(owner);
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

  private static long messageSize(Name owner, int records, long rdataBytes) {
    return MessageSize.ofRRset(owner, records, rdataBytes);
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
  /** How much of a file's start {@link #checkStart} looks at: 64 KiB. */
  private static final int HEAD_BYTES = 1 << 16;

  /**
   * Refuses, with a message saying why, the two starts of a file that the tokenizer would
   * report only as a strange name or a missing field on some later line: a UTF-8 byte-order
   * mark (RFC 1035 §5.1 master files are plain text; the mark would be read as the start of
   * the first owner name), and CR line endings (a bare CR and no LF in the first {@link
   * #HEAD_BYTES}: the whole file would be one line).
   */
  private static void checkStart(byte[] head, int length, String sourceName) {
    if (length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
      throw new ZoneFileException(
          sourceName,
          1,
          "starts with a UTF-8 byte-order mark (bytes EF BB BF), which a zone file may not have;"
              + " save it without one");
    }
    boolean bareCr = false;
    for (int i = 0; i < length; i++) {
      if (head[i] == '\n') {
        return;
      }
      if (head[i] == '\r' && (i + 1 >= length || head[i + 1] != '\n')) {
        bareCr = true;
      }
    }
    if (bareCr) {
      throw new ZoneFileException(
          sourceName,
          1,
          "uses CR line endings (a CR with no LF after it, as old Mac OS wrote them); zone files"
              + " end lines with LF or CR LF: convert it, e.g. with tr '\\r' '\\n'");
    }
  }

  private static String reason(Exception e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    m = m.strip();
    return m.endsWith(":") ? m.substring(0, m.length() - 1) : m;
  }

  /**
   * The owner of the last record with an owner of its own (RFC 1035 §5.1: a line that starts
   * with a blank has the same owner), with how it was spelled and the origin it was read under:
   * a record spelling it the same under the same origin gets the same Name instance, which
   * spares parsing, memory and look-ups downstream.
   */
  private static final class LastOwner {
    @Nullable Name owner;
    @Nullable String text;
    @Nullable Name origin;

    /** The last owner if it is spelled so under this origin, else null. */
    @Nullable Name same(String spelled, @Nullable Name relativeTo) {
      return owner != null && relativeTo == origin && spelled.equals(text) ? owner : null;
    }

    void set(Name name, String spelled, @Nullable Name relativeTo) {
      owner = name;
      text = spelled;
      origin = relativeTo;
    }
  }

  /**
   * The bytes a token of a simple line may hold: printable ASCII but for what the tokenizer
   * treats specially ({@code ( ) " ; \}) and {@code $} (a directive).
   */
  private static final boolean[] SIMPLE_BYTE = new boolean[256];

  static {
    for (int b = 0x21; b < 0x7f; b++) {
      SIMPLE_BYTE[b] = "()\";\\$".indexOf(b) < 0;
    }
  }

  /** Token {@code i} of a simple line, decoded byte by byte as the tokenizer does. */
  private static String token(byte[] bytes, int[] starts, int[] ends, int i) {
    return new String(bytes, starts[i], ends[i] - starts[i], StandardCharsets.ISO_8859_1);
  }

  /** A name as {@code Tokenizer.getName} reads it, or null where that would fail. */
  private static @Nullable Name name(
      byte[] bytes, int[] starts, int[] ends, int i, Name relativeTo) throws TextParseException {
    Name name = Name.fromString(token(bytes, starts, ends, i), relativeTo);
    return name.isAbsolute() ? name : null;
  }

  /**
   * A 16-bit number as {@code Tokenizer.getUInt16} reads it (decimal digits, leading zeros
   * allowed), or -1 where that would fail or where in doubt.
   */
  private static int uint16(byte[] bytes, int start, int end) {
    if (end - start < 1 || end - start > 5) {
      return -1;
    }
    int value = 0;
    for (int i = start; i < end; i++) {
      int d = bytes[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value > 0xFFFF ? -1 : value;
  }

  /** TTL (if stated or inherited) and type of one entry. */
  private static final class Header {
    final @Nullable Long ttl;
    final int type;
    /** The TTL the entry stated if it was 2^31 or more (and {@link #ttl} is 0), else 0. */
    final long statedAboveMax;

    Header(@Nullable Long ttl, int type) {
      this(ttl, type, 0);
    }

    Header(@Nullable Long ttl, int type, long statedAboveMax) {
      this.ttl = ttl;
      this.type = type;
      this.statedAboveMax = statedAboveMax;
    }

    long ttlOr(long fallback) {
      return ttl == null ? fallback : ttl;
    }
  }
}
