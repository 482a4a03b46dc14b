package org.aliasdns.core.check;

import org.xbill.DNS.Name;

/**
 * Host-name syntax as RFC 952 and RFC 1123 §2.1 define it and BIND's check-names applies it:
 * every label is letters, digits and hyphens, and starts and ends with a letter or digit.
 */
final class HostNames {
  private HostNames() {}

  /** Tells whether a name is a host name (no wildcard label allowed). */
  static boolean isHostName(Name name) {
    int labels = name.labels();
    for (int i = 0; i < labels; i++) {
      if (!isHostLabel(name.getLabel(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Tells whether a label is a host-name label; the empty root label is.
   *
   * @param label the label in wire form: length byte, then the characters
   */
  static boolean isHostLabel(byte[] label) {
    int length = label[0];
    for (int j = 1; j <= length; j++) {
      int c = label[j] & 0xFF;
      boolean border = j == 1 || j == length;
      if (!(isLetterOrDigit(c) || (!border && c == '-'))) {
        return false;
      }
    }
    return true;
  }

  /** Tells whether a label (in wire form) is a single {@code *}. */
  static boolean isAsterisk(byte[] label) {
    return label[0] == 1 && label[1] == '*';
  }

  private static boolean isLetterOrDigit(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
