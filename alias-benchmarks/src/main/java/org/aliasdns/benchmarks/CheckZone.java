package org.aliasdns.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import org.aliasdns.core.Finding;
import org.aliasdns.core.Severity;
import org.aliasdns.core.ValidationReport;
import org.aliasdns.core.ZoneFile;
import org.aliasdns.core.ZoneFileException;
import org.aliasdns.core.ZoneFileReader;
import org.aliasdns.core.ZoneValidator;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A zone checker in the manner of {@code named-checkzone ZONE FILE}: reads the file with
 * {@link ZoneFileReader}, validates it with {@link ZoneValidator#defaults()}, prints the
 * findings and a one-line summary, and exits 0 if the zone has no errors, 1 if it has, and 2
 * on bad usage. It is the process the benchmark script times against BIND, NSD and Knot.
 *
 * <p>Usage: {@code CheckZone [-q] ZONE FILE}; {@code -q} prints only the summary and errors.
 */
public final class CheckZone {
  private CheckZone() {}

  /**
   * Checks one zone file and exits with the checker's status.
   *
   * @param args {@code [-q] ZONE FILE}
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Checks one zone file.
   *
   * @param args {@code [-q] ZONE FILE}
   * @return 0 if the zone loads without errors, 1 if not, 2 on bad usage
   */
  public static int run(String[] args) {
    boolean quiet = args.length > 0 && args[0].equals("-q");
    int at = quiet ? 1 : 0;
    if (args.length - at != 2) {
      System.err.println("usage: CheckZone [-q] ZONE FILE");
      return 2;
    }
    Name origin;
    try {
      origin = Name.fromString(args[at], Name.root);
    } catch (TextParseException e) {
      System.err.println("bad zone name " + args[at] + ": " + e.getMessage());
      return 2;
    }
    Path file = Path.of(args[at + 1]);
    ZoneFile zoneFile;
    try {
      zoneFile = ZoneFileReader.forOrigin(origin).read(file);
    } catch (ZoneFileException e) {
      System.out.println(e.getMessage());
      System.out.println("zone " + origin + ": not loaded due to errors.");
      return 1;
    } catch (IOException e) {
      System.out.println(file + ": " + e.getMessage());
      System.out.println("zone " + origin + ": not loaded due to errors.");
      return 1;
    }
    ValidationReport report = ZoneValidator.defaults().validate(zoneFile);
    int errors = 0;
    int warnings = 0;
    for (Finding f : report.findings()) {
      if (f.severity() == Severity.ERROR) {
        errors++;
      } else {
        warnings++;
      }
      if (!quiet || f.severity() == Severity.ERROR) {
        System.out.println(f);
      }
    }
    System.out.println(
        "zone "
            + origin
            + ": "
            + zoneFile.zone().recordCount()
            + " records, "
            + zoneFile.zone().size()
            + " RRsets, "
            + errors
            + " errors, "
            + warnings
            + " warnings"
            + (errors == 0 ? "; OK" : "; not loaded due to errors."));
    return errors == 0 ? 0 : 1;
  }
}
