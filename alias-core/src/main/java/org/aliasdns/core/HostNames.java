package org.aliasdns.core;

import org.xbill.DNS.Name;

/**
 * Host-name syntax as RFC 952 and RFC 1123 §2.1 define it and BIND's check-names applies it:
 * every label is letters, digits and hyphens, and starts and ends with a letter or digit.
 */
final class HostNames {
  private HostNames() {}

  /**
   * Tells whether a name is a host name.
   *
   * @param name an absolute name
   * @param wildcardAllowed whether a first label of {@code *} is accepted (for owner names)
   */
  static boolean isHostName(Name name, boolean wildcardAllowed) {
    int labels = name.labels();
    int first = wildcardAllowed && name.isWild() ? 1 : 0;
    for (int i = first; i < labels; i++) {
      byte[] label = name.getLabel(i);
      int length = label[0];
      for (int j = 1; j <= length; j++) {
        char c = (char) (label[j] & 0xFF);
        boolean border = j == 1 || j == length;
        if (!(isLetterOrDigit(c) || (!border && c == '-'))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Tells whether a label other than the first is {@code *} (RFC 4592 §2.1.1). */
  static boolean hasInnerAsterisk(Name name) {
    int labels = name.labels();
    for (int i = 1; i < labels; i++) {
      byte[] label = name.getLabel(i);
      if (label[0] == 1 && label[1] == '*') {
        return true;
      }
    }
    return false;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
