package org.aliasdns.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;

/**
 * One zone of a configuration file, read: the entry, the zone as its file gave it, and the size
 * and modification time of that file and of every file it includes when it was read, by which a
 * reload tells that none of them changed without reading them again.
 *
 * @param entry the zone's entry in the configuration file
 * @param spec the zone and its policy, as served
 * @param stamp the zone file's and its included files' sizes and modification times when read
 */
record ConfiguredZone(ServeConfig.ZoneEntry entry, ServeSession.ZoneSpec spec, Stamp stamp) {

  /**
   * The size in bytes and last modification time of a zone file and of each file it {@code
   * $INCLUDE}s (RFC 1035 §5.1): when every one is as before, the zone is taken as unchanged.
   *
   * @param files each file's state, the zone file first
   */
  record Stamp(List<FileState> files) {
    Stamp {
      files = List.copyOf(files);
    }

    /** One file's path, size in bytes and modification time. */
    record FileState(Path file, long size, FileTime modified) {
      static FileState of(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileState(file, a.size(), a.lastModifiedTime());
      }
    }

    /** The state of a zone file alone, before it is read. */
    static Stamp of(Path file) throws IOException {
      return new Stamp(List.of(FileState.of(file)));
    }

    /** This stamp with the state of the files the zone file included, as they are now. */
    Stamp including(List<Path> included) throws IOException {
      List<FileState> all = new ArrayList<>(files);
      for (Path p : included) {
        all.add(FileState.of(p));
      }
      return new Stamp(all);
    }

    /**
     * Tells whether every file is as when stamped: same size and modification time, still
     * there.
     *
     * @return false if any file changed, vanished or cannot be read
     */
    boolean isCurrent() {
      try {
        for (FileState f : files) {
          if (!FileState.of(f.file()).equals(f)) {
            return false;
          }
        }
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  /**
   * Reads a configured zone's file, under the zone's origin, and refuses it if it is malformed or
   * would break the CNAME or apex rules once flattened.
   *
   * @param entry the zone's entry
   * @param findings told of each finding of the zone file ({@code file:line: ...})
   * @return the zone, read
   * @throws UnusableInputException if the file cannot be read or used; the message names the
   *     file and line
   */
  static ConfiguredZone read(ServeConfig.ZoneEntry entry, Consumer<String> findings) {
    Stamp stamp;
    try {
      stamp = Stamp.of(entry.file());
    } catch (IOException e) {
      throw new UnusableInputException(entry.file() + ": cannot be read: " + e.getMessage(), e);
    }
    ZoneFileReader reader =
        ZoneFileReader.forOrigin(entry.origin()).withExecutor(ForkJoinPool.commonPool());
    ZoneFile file;
    try {
      file = reader.read(entry.file());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UnusableInputException(entry.file() + ": no such file", e);
    } catch (IOException e) {
      throw new UnusableInputException(entry.file() + ": cannot be read: " + e.getMessage(), e);
    } catch (org.aliasdns.core.zonefile.ZoneFileException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
    try {
      // The included files are known once read: stamped now (a change made while the zone was
      // read is seen at the next reload only if it also touched the zone file).
      stamp = stamp.including(file.includedFiles());
    } catch (IOException e) {
      throw new UnusableInputException(entry.file() + ": an included file cannot be read: "
          + e.getMessage(), e);
    }
    file.findings().forEach(f -> findings.accept(f.toString()));
    List<String> errors = ServeCommand.unpublishable(file, entry.policy());
    if (!errors.isEmpty()) {
      throw new UnusableInputException(String.join("\n", errors));
    }
    return new ConfiguredZone(entry, new ServeSession.ZoneSpec(file.zone(), entry.policy()), stamp);
  }
}
