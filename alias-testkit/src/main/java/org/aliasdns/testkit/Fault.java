package org.aliasdns.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.internal.RecordLines;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What a {@link FakeDns} does to a query instead of, or on top of, answering it normally. Faults
 * are immutable values made by the static factories; hand one to {@link FakeDns#enqueue} for the
 * next query, or make a {@link FaultRule} of it ({@link #forName(String, int)}, {@link
 * #everywhere()}) and {@link FakeDns#inject} that.
 *
 * <p>Every fault acts on the wire, through the same server pipeline whether the query came over
 * the in-process resolver or a real socket, so the client sees exactly what it would from a
 * misbehaving server:
 *
 * <table>
 *   <caption>faults and what the client sees</caption>
 *   <tr><th>fault</th><th>the reply</th></tr>
 *   <tr><td>{@link #none()}</td><td>no fault: the answer from the loaded zones (or the {@link
 *       Dispatcher}'s)</td></tr>
 *   <tr><td>{@link #delay(Duration)}</td><td>the same (or another fault's, {@link
 *       Delay#then}), sent late</td></tr>
 *   <tr><td>{@link #drop()}</td><td>nothing: the client times out</td></tr>
 *   <tr><td>{@link #servfail()}, {@link #refused()}, {@link #rcode(int)}</td><td>that response
 *       code, no records</td></tr>
 *   <tr><td>{@link #nxdomain()}</td><td>NXDOMAIN with the SOA of the zone holding the name, if
 *       the fake has one (RFC 2308 §2.1)</td></tr>
 *   <tr><td>{@link #noData()}</td><td>NOERROR, no answer, the same SOA: the name exists but
 *       not with that type (RFC 2308 §2.2)</td></tr>
 *   <tr><td>{@link #truncate()}</td><td>TC set, no records: a UDP client retries over TCP (RFC
 *       7766 §5), which is answered normally unless a fault applies to it too</td></tr>
 *   <tr><td>{@link #wrongId()}</td><td>the normal answer with another message id (RFC 5452
 *       §9.1: a client must discard it)</td></tr>
 *   <tr><td>{@link #malformed()}</td><td>bytes with the query's id that do not parse</td></tr>
 *   <tr><td>{@link #extraAnswers}, {@link #extraAdditional}</td><td>the normal answer plus
 *       records nobody asked for: a cache-poisoning attempt</td></tr>
 *   <tr><td>{@link #answer}</td><td>NOERROR with these records as the whole answer section</td></tr>
 * </table>
 *
 * @since 0.1
 */
public sealed interface Fault
    permits Fault.None,
        Fault.Delay,
        Fault.Drop,
        Fault.ResponseCode,
        Fault.NxDomain,
        Fault.NoData,
        Fault.Truncate,
        Fault.WrongId,
        Fault.Malformed,
        Fault.ExtraRecords,
        Fault.Answer {

  /**
   * No fault: the query gets the answer it would get without one, from the loaded zones (or the
   * {@link Dispatcher}, when one is set). Useful in a {@link FakeDns#enqueue} script (fail, then
   * succeed) and as a dispatcher's "answer from the data". The journal records it as no fault:
   * {@link ReceivedQuery#fault()} is null.
   *
   * @return the absence of a fault
   * @since 0.1
   */
  static Fault none() {
    return None.INSTANCE;
  }

  /**
   * The former name of {@link #none()}.
   *
   * @return {@link #none()}
   * @deprecated a plain answer is not a fault: use {@link #none()}
   */
  @Deprecated(since = "0.1", forRemoval = true)
  static Fault normal() {
    return none();
  }

  /**
   * Answers normally, late.
   *
   * @param delay how long to wait in real time before replying; keep it short in tests
   * @return the delay; {@link Delay#then} sends another fault late instead
   * @throws IllegalArgumentException if the delay is negative
   */
  static Delay delay(Duration delay) {
    return new Delay(delay, None.INSTANCE);
  }

  /**
   * Sends nothing; the client times out.
   *
   * @return the drop fault
   */
  static Fault drop() {
    return Drop.INSTANCE;
  }

  /**
   * Replies SERVFAIL with no records, as a resolver whose upstream failed.
   *
   * @return the fault
   */
  static Fault servfail() {
    return new ResponseCode(Rcode.SERVFAIL);
  }

  /**
   * Replies REFUSED with no records.
   *
   * @return the fault
   */
  static Fault refused() {
    return new ResponseCode(Rcode.REFUSED);
  }

  /**
   * Replies with a response code and no records.
   *
   * @param rcode a 4-bit {@link Rcode} value other than NOERROR, e.g. {@link Rcode#NOTIMP}
   * @return the fault
   * @throws IllegalArgumentException if the code is NOERROR or does not fit the header
   */
  static Fault rcode(int rcode) {
    return new ResponseCode(rcode);
  }

  /**
   * Replies NXDOMAIN, with the SOA of the zone that holds the name when the fake has one, so
   * that it can be cached (RFC 2308 §2.1).
   *
   * @return the fault
   */
  static Fault nxdomain() {
    return NxDomain.INSTANCE;
  }

  /**
   * Replies NOERROR with an empty answer section (NODATA), with the SOA of the zone that holds
   * the name when the fake has one (RFC 2308 §2.2).
   *
   * @return the fault
   */
  static Fault noData() {
    return NoData.INSTANCE;
  }

  /**
   * Replies with TC set and no records, forcing a UDP client to retry over TCP (RFC 7766 §5). As
   * a {@link FaultRule} it matches UDP queries only, so the retry is answered normally, unless
   * the rule says {@link FaultRule#overTransport overTransport(TCP)}; from the {@link
   * FakeDns#enqueue queue} it applies to whichever query comes next.
   *
   * @return the fault
   */
  static Fault truncate() {
    return Truncate.INSTANCE;
  }

  /**
   * Replies with the normal answer under a message id that is not the query's.
   *
   * @return the fault
   */
  static Fault wrongId() {
    return WrongId.INSTANCE;
  }

  /**
   * Replies with bytes that carry the query's id and QR set but do not parse as a message.
   *
   * @return the fault
   */
  static Fault malformed() {
    return Malformed.INSTANCE;
  }

  /**
   * Replies with the normal answer plus records appended to its answer section.
   *
   * @param records records nobody asked for, e.g. an out-of-bailiwick A record
   * @return the fault
   * @throws IllegalArgumentException if no record is given
   */
  static Fault extraAnswers(Record... records) {
    return new ExtraRecords(List.of(records), List.of());
  }

  /**
   * Replies with the normal answer plus records appended to its answer section.
   *
   * @param masterFileLines the records in master-file form, absolute names, e.g. {@code
   *     "www.bank.example. 86400 A 198.51.100.66"}
   * @return the fault
   * @throws IllegalArgumentException if a line does not parse, or none is given
   */
  static Fault extraAnswers(String... masterFileLines) {
    return new ExtraRecords(RecordLines.parse(masterFileLines), List.of());
  }

  /**
   * Replies with the normal answer plus records appended to its additional section.
   *
   * @param records records nobody asked for
   * @return the fault
   * @throws IllegalArgumentException if no record is given
   */
  static Fault extraAdditional(Record... records) {
    return new ExtraRecords(List.of(), List.of(records));
  }

  /**
   * Replies with the normal answer plus records appended to its additional section.
   *
   * @param masterFileLines the records in master-file form, absolute names
   * @return the fault
   * @throws IllegalArgumentException if a line does not parse, or none is given
   */
  static Fault extraAdditional(String... masterFileLines) {
    return new ExtraRecords(List.of(), RecordLines.parse(masterFileLines));
  }

  /**
   * Replies NOERROR with exactly these records in the answer section, whatever the zones say: an
   * answer that changes, without touching the data.
   *
   * @param records the answer section
   * @return the fault
   */
  static Fault answer(Record... records) {
    return new Answer(List.of(records));
  }

  /**
   * Replies NOERROR with exactly these records in the answer section.
   *
   * @param masterFileLines the records in master-file form, absolute names, e.g. {@code
   *     "www.example.net. 60 A 192.0.2.99"}
   * @return the fault
   * @throws IllegalArgumentException if a line does not parse
   */
  static Fault answer(String... masterFileLines) {
    return new Answer(masterFileLines.length == 0 ? List.of() : RecordLines.parse(masterFileLines));
  }

  /**
   * Says which {@link Resolution.Failure.Kind} a resolver reports when this fault makes its query
   * fail, so that a test can hold a resolver's typed failure against the journal ({@link
   * ReceivedQuery#failureKind()}).
   *
   * <table>
   *   <caption>faults and the failure they cause</caption>
   *   <tr><th>fault</th><th>kind</th></tr>
   *   <tr><td>{@link #servfail()}, {@link #refused()}</td><td>SERVFAIL, REFUSED</td></tr>
   *   <tr><td>{@link #rcode(int)}</td><td>RCODE (SERVFAIL or REFUSED for those codes)</td></tr>
   *   <tr><td>{@link #drop()}</td><td>TIMEOUT</td></tr>
   *   <tr><td>{@link #malformed()}</td><td>MALFORMED</td></tr>
   *   <tr><td>{@link #wrongId()}</td><td>MISMATCHED</td></tr>
   *   <tr><td>{@link #truncate()}</td><td>TRUNCATED, for a client that does not retry over
   *       TCP</td></tr>
   *   <tr><td>{@link #delay(Duration)}</td><td>that of the fault sent late (TIMEOUT if the
   *       client gives up first)</td></tr>
   *   <tr><td>the others</td><td>none: they are answers (NXDOMAIN and NODATA included)</td></tr>
   * </table>
   *
   * <p>What the client makes of a reply can differ: over UDP, alias-resolver ignores a reply
   * with the wrong id or one that does not parse and waits for the real one (RFC 5452 §9.1), so
   * its query ends as a TIMEOUT.
   *
   * @return the kind, or empty for a fault that is an answer
   * @since 0.1
   */
  default Optional<Resolution.Failure.Kind> failureKind() {
    Resolution.Failure.Kind kind = null;
    if (this instanceof ResponseCode code) {
      kind = code.rcode() == Rcode.SERVFAIL ? Resolution.Failure.Kind.SERVFAIL
          : code.rcode() == Rcode.REFUSED ? Resolution.Failure.Kind.REFUSED
          : Resolution.Failure.Kind.RCODE;
    } else if (this instanceof Drop) {
      kind = Resolution.Failure.Kind.TIMEOUT;
    } else if (this instanceof Malformed) {
      kind = Resolution.Failure.Kind.MALFORMED;
    } else if (this instanceof WrongId) {
      kind = Resolution.Failure.Kind.MISMATCHED;
    } else if (this instanceof Truncate) {
      kind = Resolution.Failure.Kind.TRUNCATED;
    } else if (this instanceof Delay delay) {
      return delay.then().failureKind();
    }
    return Optional.ofNullable(kind);
  }

  /**
   * Makes a rule that applies this fault to queries for one name and type.
   *
   * @param name the query name, absolute (a final dot is optional), any case
   * @param type the query type, e.g. {@link Type#A}
   * @return a rule; narrow it further with its methods
   * @throws IllegalArgumentException if the name does not parse
   */
  default FaultRule forName(String name, int type) {
    return FaultRule.of(this, RecordLines.name(name), type);
  }

  /**
   * Makes a rule that applies this fault to queries for one name and type.
   *
   * @param name the absolute query name, any case
   * @param type the query type
   * @return a rule
   */
  default FaultRule forName(Name name, int type) {
    return FaultRule.of(this, name, type);
  }

  /**
   * Makes a rule that applies this fault to queries for one name, of any type.
   *
   * @param name the query name, absolute (a final dot is optional), any case
   * @return a rule
   * @throws IllegalArgumentException if the name does not parse
   */
  default FaultRule forName(String name) {
    return FaultRule.of(this, RecordLines.name(name), FaultRule.ANY_TYPE);
  }

  /**
   * Makes a rule that applies this fault to queries for a name or any name below it, of any
   * type: a whole zone failing.
   *
   * @param name the apex of the subtree, absolute (a final dot is optional), any case
   * @return a rule
   * @throws IllegalArgumentException if the name does not parse
   */
  default FaultRule forNamesUnder(String name) {
    return FaultRule.subtree(this, RecordLines.name(name));
  }

  /**
   * Makes a rule that applies this fault to every query.
   *
   * @return a rule
   */
  default FaultRule everywhere() {
    return FaultRule.of(this, null, FaultRule.ANY_TYPE);
  }

  /** No fault: the answer from the zones (or the dispatcher). */
  enum None implements Fault {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "none";
    }
  }

  /**
   * Another fault's reply (normally the plain answer), sent after a real-time delay.
   *
   * @param delay how long to wait
   * @param then what to send after the wait
   */
  record Delay(Duration delay, Fault then) implements Fault {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the delay is negative
     */
    public Delay {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(then, "then");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, was " + delay);
      }
    }

    /**
     * Sends another fault's reply after this delay, e.g. {@code
     * Fault.delay(Duration.ofMillis(200)).then(Fault.servfail())}.
     *
     * @param next what to send late; another delay adds up
     * @return the combined fault
     * @throws IllegalStateException if this delay already has a fault to send
     */
    public Delay then(Fault next) {
      if (then != None.INSTANCE) {
        throw new IllegalStateException("then was already set to " + then);
      }
      return new Delay(delay, next);
    }

    @Override
    public String toString() {
      return "delay " + delay.toMillis() + " ms" + (then == None.INSTANCE ? "" : ", then " + then);
    }
  }

  /** Nothing is sent. */
  enum Drop implements Fault {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "drop";
    }
  }

  /**
   * A reply with a response code and no records.
   *
   * @param rcode the {@link Rcode} value, 1 to 15
   */
  record ResponseCode(int rcode) implements Fault {
    /**
     * Checks the value.
     *
     * @throws IllegalArgumentException if the code is NOERROR or above 15
     */
    public ResponseCode {
      if (rcode <= Rcode.NOERROR || rcode > 0xF) {
        throw new IllegalArgumentException(
            "rcode must be 1..15 (an error code that fits the header), was " + rcode);
      }
    }

    @Override
    public String toString() {
      return Rcode.string(rcode);
    }
  }

  /** NXDOMAIN, with the SOA of the zone holding the name when there is one. */
  enum NxDomain implements Fault {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "NXDOMAIN";
    }
  }

  /** NOERROR without answers, with the SOA of the zone holding the name when there is one. */
  enum NoData implements Fault {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "NODATA";
    }
  }

  /** TC set, header and question only. */
  enum Truncate implements Fault {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "truncate";
    }
  }

  /** The normal answer under another message id. */
  enum WrongId implements Fault {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "wrong id";
    }
  }

  /** Bytes that do not parse. */
  enum Malformed implements Fault {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "malformed";
    }
  }

  /**
   * The normal answer with records added.
   *
   * @param answer records appended to the answer section
   * @param additional records appended to the additional section
   */
  record ExtraRecords(List<Record> answer, List<Record> additional) implements Fault {
    /**
     * Copies the lists.
     *
     * @throws IllegalArgumentException if both lists are empty
     */
    public ExtraRecords {
      answer = List.copyOf(answer);
      additional = List.copyOf(additional);
      if (answer.isEmpty() && additional.isEmpty()) {
        throw new IllegalArgumentException("extra records: give at least one record");
      }
    }

    @Override
    public String toString() {
      List<String> all = new ArrayList<>();
      answer.forEach(r -> all.add("answer " + r));
      additional.forEach(r -> all.add("additional " + r));
      return "extra records " + all;
    }
  }

  /**
   * NOERROR with exactly these records in the answer section.
   *
   * @param records the answer section
   */
  record Answer(List<Record> records) implements Fault {
    /** Copies the list. */
    public Answer {
      records = List.copyOf(records);
    }

    @Override
    public String toString() {
      return "answer " + records;
    }
  }
}
