package org.aliasdns.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;

/**
 * One zone of a configuration file, read: the entry, the zone as its file gave it, and the
 * file's size and modification time when it was read, by which a reload tells that it has not
 * changed without reading it again.
 *
 * @param entry the zone's entry in the configuration file
 * @param spec the zone and its policy, as served
 * @param stamp the zone file's size and modification time when read
 */
record ConfiguredZone(ServeConfig.ZoneEntry entry, ServeSession.ZoneSpec spec, Stamp stamp) {

  /**
   * A file's size in bytes and last modification time: when both are as before, the file is
   * taken as unchanged (a change in a file it includes alone is not seen: touch the zone file).
   */
  record Stamp(long size, FileTime modified) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.size(), a.lastModifiedTime());
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
    file.findings().forEach(f -> findings.accept(f.toString()));
    List<String> errors = ServeCommand.unpublishable(file, entry.policy());
    if (!errors.isEmpty()) {
      throw new UnusableInputException(String.join("\n", errors));
    }
    return new ConfiguredZone(entry, new ServeSession.ZoneSpec(file.zone(), entry.policy()), stamp);
  }
}
