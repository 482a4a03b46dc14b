package org.aliasdns.core.answer;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A DNS question: name, type and class (RFC 1035 §4.1.2). The name keeps the case it was asked
 * in, so that an answer can echo it (RFC 4343 §4.1).
 *
 * @param name the absolute query name, in the case asked
 * @param type the query type, e.g. {@link Type#A}
 * @param dclass the query class, normally {@link DClass#IN}
 * @since 0.1
 */
public record Question(Name name, int type, int dclass) {
  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if the name is relative or the type or class is out of
   *     range
   */
  public Question {
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("query name must be absolute: " + name);
    }
    Type.check(type);
    DClass.check(dclass);
  }

  /**
   * Creates a class IN question.
   *
   * @param name the absolute query name
   * @param type the query type
   * @return the question
   * @throws IllegalArgumentException as the canonical constructor
   */
  public static Question of(Name name, int type) {
    return new Question(name, type, DClass.IN);
  }

  /**
   * Takes the question of a query message.
   *
   * @param query a query with a question section
   * @return its first (and normally only) question
   * @throws IllegalArgumentException if the message has no question
   */
  public static Question from(Message query) {
    Record q = query.getQuestion();
    if (q == null) {
      throw new IllegalArgumentException("the message has no question");
    }
    return new Question(q.getName(), q.getType(), q.getDClass());
  }

  /** Returns {@code name type class}, as dig prints a question. */
  @Override
  public String toString() {
    return name + " " + Type.string(type) + " " + DClass.string(dclass);
  }
}
