package org.aliasdns.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileException;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/** Reads the zone file a command was given, turning every way it can fail into unusable input. */
final class ZoneInput {
  private ZoneInput() {}

  /**
   * Reads a master file.
   *
   * @param file the file
   * @param origin the zone origin, or null to take it from the file's SOA
   * @return the zone file
   * @throws UnusableInputException if the file cannot be read or does not parse; the message
   *     names the file and line
   */
  static ZoneFile read(Path file, @Nullable Name origin) {
    ZoneFileReader reader =
        origin == null ? ZoneFileReader.defaults() : ZoneFileReader.forOrigin(origin);
    try {
      if (Files.isDirectory(file)) {
        throw new UnusableInputException(file + ": is a directory, not a zone file");
      }
      return reader.read(file);
    } catch (NoSuchFileException e) {
      throw new UnusableInputException(file + ": no such file", e);
    } catch (IOException e) {
      throw new UnusableInputException(file + ": cannot be read: " + e.getMessage(), e);
    } catch (ZoneFileException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
  }
}
