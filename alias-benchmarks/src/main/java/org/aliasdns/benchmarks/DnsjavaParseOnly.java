package org.aliasdns.benchmarks;

import java.io.IOException;
import org.aliasdns.core.AliasRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The floor under {@link CheckZone}: dnsjava's own {@link Master} reading a zone file and
 * dropping every record, with no zone model, positions or validation. The benchmark script
 * times it beside the checkers (with {@code FLOOR=1}) to show how much of our time is the
 * tokenizer and record parsing we build on.
 *
 * <p>Usage: {@code DnsjavaParseOnly ZONE FILE}; prints the record count.
 */
public final class DnsjavaParseOnly {
  private DnsjavaParseOnly() {}

  /**
   * Parses one zone file and prints how many records it holds.
   *
   * @param args {@code ZONE FILE}
   * @throws IOException if the file cannot be read or parsed
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: DnsjavaParseOnly ZONE FILE");
      System.exit(2);
    }
    AliasRecord.registerTypes();
    Name origin;
    try {
      origin = Name.fromString(args[0], Name.root);
    } catch (TextParseException e) {
      System.err.println("bad zone name " + args[0] + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    long records = 0;
    try (Master master = new Master(args[1], origin)) {
      while (master.nextRecord() != null) {
        records++;
      }
    }
    System.out.println(records + " records");
  }
}
