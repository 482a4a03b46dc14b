package org.aliasdns.core.zonefile;

/**
 * The bounds of BIND's {@code $GENERATE} directive, checked before dnsjava's {@code Generator}
 * expands it: that class counts with a {@code long} that overflows past {@code Long.MAX_VALUE}
 * (and then never stops) and pads a {@code ${offset,width,base}} field to any width it is given.
 * Ranges are those BIND accepts: start and stop from 0 to 2<sup>31</sup>-1, a step from 1.
 */
final class GenerateRange {
  private GenerateRange() {}

  /**
   * Reads {@code start-stop} or {@code start-stop/step}.
   *
   * @return {@code {start, stop, step}}
   * @throws ZoneFileException if malformed or out of bounds, naming the range and the limit
   */
  static long[] parse(String range, String sourceName, int line) {
    int dash = range.indexOf('-');
    int slash = range.indexOf('/');
    if (dash <= 0 || (slash >= 0 && slash < dash)) {
      throw invalid(range, sourceName, line, "write start-stop or start-stop/step");
    }
    long start = number(range.substring(0, dash), range, sourceName, line);
    long stop = number(range.substring(dash + 1, slash < 0 ? range.length() : slash), range, sourceName, line);
    long step = slash < 0 ? 1 : number(range.substring(slash + 1), range, sourceName, line);
    if (stop < start) {
      throw invalid(range, sourceName, line, "stop is below start");
    }
    if (step < 1) {
      throw invalid(range, sourceName, line, "the step must be at least 1");
    }
    return new long[] {start, stop, step};
  }

  private static long number(String text, String range, String sourceName, int line) {
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid(
          range, sourceName, line, "values are 0 to " + ZoneFileReader.MAX_GENERATE_VALUE);
    }
    long value = Long.parseLong(text);
    if (value > ZoneFileReader.MAX_GENERATE_VALUE) {
      throw invalid(
          range, sourceName, line, "values are 0 to " + ZoneFileReader.MAX_GENERATE_VALUE);
    }
    return value;
  }

  private static ZoneFileException invalid(String range, String sourceName, int line, String why) {
    return new ZoneFileException(
        sourceName, line, "$GENERATE range '" + range + "' is invalid: " + why);
  }

  /**
   * Checks the {@code ${offset,width,base}} fields of an owner or rdata pattern: an offset
   * within ±2<sup>31</sup>-1 and a width of at most {@value ZoneFileReader#MAX_GENERATE_WIDTH}
   * (no name or address is longer). Escaped characters and {@code $$} are skipped as dnsjava
   * skips them; the rest of the syntax is left to dnsjava.
   *
   * @throws ZoneFileException if a field is out of bounds
   */
  static void checkPattern(String pattern, String sourceName, int line) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '$' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '$') {
        i++;
      } else if (c == '$' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '{') {
        int close = pattern.indexOf('}', i);
        String[] fields =
            pattern.substring(i + 2, close < 0 ? pattern.length() : close).split(",", -1);
        String offset = fields[0].startsWith("-") ? fields[0].substring(1) : fields[0];
        if (!fits(offset, ZoneFileReader.MAX_GENERATE_VALUE)) {
          throw new ZoneFileException(
              sourceName,
              line,
              "$GENERATE pattern '" + pattern + "': the offset is beyond ±"
                  + ZoneFileReader.MAX_GENERATE_VALUE);
        }
        if (fields.length > 1 && !fits(fields[1], ZoneFileReader.MAX_GENERATE_WIDTH)) {
          throw new ZoneFileException(
              sourceName,
              line,
              "$GENERATE pattern '" + pattern + "': the width is over "
                  + ZoneFileReader.MAX_GENERATE_WIDTH);
        }
        i = close < 0 ? pattern.length() : close;
      }
    }
  }

  /** Whether digits (or nothing, which dnsjava reads as 0) are a number of at most max. */
  private static boolean fits(String digits, long max) {
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true; // not a number: dnsjava says what is wrong
    }
    return digits.length() <= 10 && (digits.isEmpty() || Long.parseLong(digits) <= max);
  }
}
