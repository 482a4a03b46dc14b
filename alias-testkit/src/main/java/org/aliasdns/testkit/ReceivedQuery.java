package org.aliasdns.testkit;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.answer.Question;
import org.aliasdns.server.Transport;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One query a {@link FakeDns} received, as its journal keeps it: what was asked, how, when by the
 * fake's clock, and what the fake did about it. Immutable: {@link #message()} returns a copy.
 *
 * @param sequence 1 for the first query since the fake was built or {@link FakeDns#reset reset},
 *     then 2, 3...
 * @param name the query name, in the case asked
 * @param type the query type, e.g. {@link Type#A}
 * @param dclass the query class, normally {@link DClass#IN}
 * @param transport UDP or TCP; the in-process resolver reports the transport it acts as
 * @param client where the query came from; 127.0.0.1 port 0 for the in-process resolver
 * @param receivedAt the fake's {@link ManualClock} when the query arrived
 * @param message the whole query as parsed
 * @param fault the fault applied (enqueued, from a rule, or returned by the {@link Dispatcher}),
 *     or null when the query was answered from the zones (or refused as unexpected)
 * @param unexpected whether strict mode refused the query as not expected
 * @since 0.1
 */
public record ReceivedQuery(
    long sequence,
    Name name,
    int type,
    int dclass,
    Transport transport,
    InetSocketAddress client,
    Instant receivedAt,
    Message message,
    @Nullable Fault fault,
    boolean unexpected) {

  /** Keeps a copy of the message, so that the value cannot change. */
  public ReceivedQuery {
    message = message.clone();
  }

  /**
   * Returns a copy of the query message.
   *
   * @return a new copy on each call
   */
  @Override
  public Message message() {
    return message.clone();
  }

  /**
   * Says which {@link Resolution.Failure.Kind} the reply to this query makes a resolver report:
   * that of its {@link #fault()} ({@link Fault#failureKind()}), or REFUSED for a query strict
   * mode refused.
   *
   * <pre>{@code
   * Resolution.Failure failure = ...;                 // what the code under test got
   * assertEquals(fake.takeQuery().failureKind(), Optional.of(failure.kind()));
   * }</pre>
   *
   * @return the kind, or empty when the query was answered (from the zones, or by a fault that
   *     is an answer)
   */
  public Optional<Resolution.Failure.Kind> failureKind() {
    if (unexpected) {
      return Optional.of(Resolution.Failure.Kind.REFUSED);
    }
    return fault == null ? Optional.empty() : fault.failureKind();
  }

  /**
   * Returns the question.
   *
   * @return name, type and class
   */
  public Question question() {
    return new Question(name, type, dclass);
  }

  /**
   * Tells whether this query asked for a name and type.
   *
   * @param qname the name, absolute (a final dot is optional), any case
   * @param qtype the type
   * @return true if both match
   * @throws IllegalArgumentException if the name does not parse
   */
  public boolean asked(String qname, int qtype) {
    return type == qtype && name.equals(org.aliasdns.testkit.internal.RecordLines.name(qname));
  }

  /**
   * Returns the query in one line, e.g. {@code #2 www.example.net. A over TCP at
   * 2026-01-01T00:00:00Z (truncate)}.
   */
  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder()
            .append('#')
            .append(sequence)
            .append(' ')
            .append(name)
            .append(' ')
            .append(Type.string(type));
    if (dclass != DClass.IN) {
      sb.append(' ').append(DClass.string(dclass));
    }
    sb.append(" over ").append(transport).append(" at ").append(receivedAt);
    if (unexpected) {
      sb.append(" (unexpected: refused)");
    } else if (fault != null) {
      sb.append(" (").append(fault).append(')');
    }
    return sb.toString();
  }
}
