package org.aliasdns.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ForkJoinPool;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileException;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import picocli.CommandLine.Option;

/**
 * How a command reads its zone file, a picocli mixin: every command that reads one ({@code
 * check}, {@code flatten}, {@code serve}) takes these options and reads through {@link
 * #read(Path)}, so they all accept the same files the same way.
 */
final class ZoneOptions {
  @Option(
      names = "--origin",
      paramLabel = "NAME",
      converter = NameConverter.class,
      description = "Zone origin, which also completes relative names until a $ORIGIN (default:"
          + " the owner of the first SOA record, which completes relative names after it).")
  @Nullable Name origin;

  @Option(
      names = "--no-includes",
      description = "Refuse $INCLUDE, for zone files written by others (default: included files"
          + " are read; only regular files, at most 8 deep).")
  boolean noIncludes;

  /** The file name that stands for standard input. */
  static final String STDIN = "-";

  /**
   * Why a file could not be read, in the words of the OS: "permission denied" for an {@link
   * AccessDeniedException} (whose message is only the path), the reason a {@link
   * FileSystemException} carries, else the exception's message.
   */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /**
   * Returns the reader these options describe.
   *
   * @return the reader
   */
  ZoneFileReader reader() {
    ZoneFileReader reader = origin == null ? ZoneFileReader.defaults() : ZoneFileReader.forOrigin(origin);
    // A large file is read in segments on every core (the common pool has one thread per core
    // but one, and the calling thread works too); the zone is the same as read in order.
    reader = reader.withExecutor(ForkJoinPool.commonPool());
    return noIncludes ? reader.withIncludes(false) : reader;
  }

  /**
   * Reads a master file.
   *
   * @param file the file
   * @return the zone file
   * @throws UnusableInputException if the file cannot be read or is malformed; the message is
   *     {@code file:line: reason}, or {@code file: reason} where no line applies
   */
  ZoneFile read(Path file) {
    try {
      if (file.toString().equals(STDIN)) {
        // "-" is standard input, as for named-checkzone; $INCLUDE is not followed there
        return reader().read(System.in, STDIN);
      }
      return reader().read(file);
    } catch (NoSuchFileException e) {
      throw new UnusableInputException(file + ": no such file", e);
    } catch (IOException e) {
      throw new UnusableInputException(file + ": cannot be read: " + reason(e), e);
    } catch (ZoneFileException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
  }
}
