package org.aliasdns.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.jspecify.annotations.Nullable;

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
   * This zone signed as given.
   *
   * @param signing its signing, or null to serve it unsigned
   * @return the zone with that signing
   */
  ConfiguredZone withSigning(ServeSession.@Nullable Signing signing) {
    return new ConfiguredZone(
        entry, new ServeSession.ZoneSpec(spec.source(), spec.policy(), signing), stamp);
  }

  /**
   * The size in bytes, last modification time, inode change time and inode number of a zone file
   * and of each file it {@code $INCLUDE}s (RFC 1035 §5.1): when every one is as before, the zone
   * is taken as unchanged.
   *
   * @param files each file's state, the zone file first
   */
  record Stamp(List<FileState> files) {
    Stamp {
      files = List.copyOf(files);
    }

    /**
     * One file's path, size in bytes, modification time and, where the file system has the
     * {@code unix} attribute view, its inode's change time and number.
     *
     * <p>The change time moves with every write and every {@code touch}, and cannot be set back
     * (a same-size edit with the modification time put back, {@code cp -p}, an unpacked
     * package); the inode number changes when a file is replaced by another (a rename over it).
     * Without the view, size and modification time are all that is compared.
     *
     * @param ctime the inode change time, or null where the file system does not tell it
     * @param inode the inode number, or null where the file system does not tell it
     */
    record FileState(
        Path file, long size, FileTime modified, @Nullable FileTime ctime, @Nullable Object inode) {
      static FileState of(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        FileTime ctime = null;
        Object inode = null;
        try {
          Map<String, Object> unix = Files.readAttributes(file, "unix:ctime,ino");
          ctime = (FileTime) unix.get("ctime");
          inode = unix.get("ino");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
          // No unix view (Windows, some file systems): size and modification time only.
        }
        return new FileState(file, a.size(), a.lastModifiedTime(), ctime, inode);
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
     * Tells whether every file is as when stamped: same size, modification time, inode change
     * time and inode number, still there.
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
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UnusableInputException(entry.file() + ": no such file", e);
    } catch (IOException e) {
      throw new UnusableInputException(
          entry.file() + ": cannot be read: " + ZoneOptions.reason(e), e);
    }
    ZoneFileReader reader =
        ZoneFileReader.forOrigin(entry.origin()).withExecutor(ForkJoinPool.commonPool());
    ZoneFile file;
    try {
      file = reader.read(entry.file());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UnusableInputException(entry.file() + ": no such file", e);
    } catch (IOException e) {
      throw new UnusableInputException(
          entry.file() + ": cannot be read: " + ZoneOptions.reason(e), e);
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
    if (file.zone().soa().isEmpty()) {
      // RFC 1035 §5.2: records outside the origin are ignored; with no SOA at the origin the
      // file is most likely another domain's. One error, rather than a warning per record.
      List<String> others =
          file.findings().stream()
              .filter(f -> f.rule() == org.aliasdns.core.check.Rule.OUT_OF_ZONE)
              .map(f -> f.owner().toString())
              .distinct()
              .limit(3)
              .toList();
      throw new UnusableInputException(entry.where() + ": zone " + entry.origin() + ": "
          + entry.file() + " has no SOA record at " + entry.origin()
          + (others.isEmpty() ? "" : "; its records are for other names (" + String.join(", ",
              others) + "): is it the file of another domain?"));
    }
    // Every finding names the zone file: with a line where it has one, else the file alone.
    file.findings().forEach(f ->
        findings.accept(f.position() == null ? entry.file() + ": " + f : f.toString()));
    List<String> errors = ServeCommand.unpublishable(file, entry.policy());
    if (!errors.isEmpty()) {
      throw new UnusableInputException(String.join("\n", errors));
    }
    return new ConfiguredZone(entry, new ServeSession.ZoneSpec(file.zone(), entry.policy()), stamp);
  }
}
