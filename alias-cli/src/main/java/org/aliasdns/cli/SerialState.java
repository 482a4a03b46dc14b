package org.aliasdns.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * The serial {@code aliasdns serve} last published for a zone, kept in a file of its state
 * directory ({@code --state-dir}) so that a restarted server never publishes one serial with
 * other content than before (RFC 1982, RFC 1996 §4.7: a secondary holding that serial would not
 * transfer again). One line, the serial in decimal; written anew, atomically, after each new
 * serial.
 */
final class SerialState {
  private static final long MAX_SERIAL = 0xFFFF_FFFFL;

  private SerialState() {}

  /**
   * The state file of a zone in a directory: the origin without its final dot, characters other
   * than letters, digits, '-' and '.' written as {@code %XX}, then {@code .serial}; the root zone
   * is {@code root.serial}.
   */
  static Path file(Path dir, Name origin) {
    String text = origin.toString(true).toLowerCase(java.util.Locale.ROOT);
    if (text.isEmpty() || text.equals(".")) {
      return dir.resolve("root.serial");
    }
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(java.util.Locale.ROOT, "%02X", c));
      }
    }
    if (out.charAt(0) == '.') {
      out.setCharAt(0, '_'); // never a hidden file
    }
    return dir.resolve(out + ".serial");
  }

  /**
   * Reads the serial last published, or null when the file does not exist yet.
   *
   * @throws UnusableInputException if the file cannot be read or holds no serial in
   *     0..4294967295, naming the file
   */
  static @Nullable Long read(Path file) {
    String text;
    try {
      if (Files.size(file) > 64) {
        throw new UnusableInputException(file + ": not a serial state file (more than 64 bytes)");
      }
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UnusableInputException(file + ": cannot read the serial state: " + e, e);
    }
    try {
      long serial = Long.parseLong(text);
      if (serial >= 0 && serial <= MAX_SERIAL) {
        return serial;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UnusableInputException(
        file + ": not a serial (a number in 0..4294967295): '" + printable(text) + "'");
  }

  /**
   * Reads the serial last published to resume after, or null to start from the zone file's
   * serial: when the file does not exist, and also when it cannot be read or holds no serial
   * (empty after a full disk, garbled), which is warned of, naming the file and why, rather than
   * keeping the server down (a supervisor would restart it into the same refusal). The serial
   * file is written anew at the next serial.
   *
   * @param file the state file
   * @param warn told of a file that cannot be used
   * @return the serial, or null
   */
  static @Nullable Long resume(Path file, java.util.function.Consumer<String> warn) {
    try {
      return read(file);
    } catch (UnusableInputException e) {
      warn.accept("warning: " + e.getMessage() + "; starting from the zone file's serial"
          + " (secondaries holding a later serial, by RFC 1982, will not transfer until the"
          + " serial passes theirs)");
      return null;
    }
  }

  /** The text with anything but printable ASCII shown as '?': never raw control bytes. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }

  /**
   * Writes the serial: to a temporary file beside it, then moved over it, so a crash leaves the
   * old serial or the new one, never half a line.
   *
   * @throws IOException if the directory is not writable
   */
  static void write(Path file, long serial) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, serial + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
