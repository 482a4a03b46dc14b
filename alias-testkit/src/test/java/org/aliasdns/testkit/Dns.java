package org.aliasdns.testkit;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Small helpers for the tests: ask a question, print a section as master-file lines. */
final class Dns {
  private Dns() {}

  static Message query(String name, int type) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Message ask(Resolver resolver, String name, int type) throws IOException {
    return resolver.send(query(name, type));
  }

  /** The records of a section, one per line, as dnsjava prints them (tabs made single spaces). */
  static List<String> section(Message m, int section) {
    return m.getSection(section).stream()
        .map(r -> r.toString().replaceAll("\\s+", " "))
        .collect(Collectors.toList());
  }

  static List<String> answer(Message m) {
    return section(m, Section.ANSWER);
  }

  static List<String> authority(Message m) {
    return section(m, Section.AUTHORITY);
  }
}
