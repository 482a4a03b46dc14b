package org.aliasdns.core.answer;

import org.aliasdns.core.AddressText;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * An authoritative server's response to one question, as a value: the response code, whether
 * it is authoritative, the answer, authority and additional sections (RFC 1035 §4.1), and an
 * optional Extended DNS Error (RFC 8914).
 * {@link QueryAnswerer} makes these; {@link #toMessage(Message)} turns one into a dnsjava
 * {@link Message} for the wire. Immutable and safe to share.
 *
 * @since 0.1
 */
public final class Response {
  /**
   * The UDP payload size, in bytes, of an OPT record {@link #toMessage} adds: 1232, the value of
   * DNS Flag Day 2020 that alias-server also defaults to.
   */
  public static final int EDNS_PAYLOAD = 1232;

  private final int rcode;
  private final boolean authoritative;
  private final List<Record> answer;
  private final List<Record> authority;
  private final List<Record> additional;
  private final @Nullable ExtendedError extendedError;
  private final @Nullable Instant changesAt;

  private Response(
      int rcode,
      boolean authoritative,
      List<Record> answer,
      List<Record> authority,
      List<Record> additional,
      @Nullable ExtendedError extendedError,
      @Nullable Instant changesAt) {
    this.rcode = rcode;
    this.authoritative = authoritative;
    this.answer = answer;
    this.authority = authority;
    this.additional = additional;
    this.extendedError = extendedError;
    this.changesAt = changesAt;
  }

  /** Builds a response from lists the caller hands over and never touches again. */
  static Response of(
      int rcode,
      boolean authoritative,
      List<Record> answer,
      List<Record> authority,
      List<Record> additional) {
    return new Response(
        rcode,
        authoritative,
        unmodifiable(answer),
        unmodifiable(authority),
        unmodifiable(additional),
        null,
        null);
  }

  /** This response with an Extended DNS Error; the same response when it is null. */
  Response with(@Nullable ExtendedError error) {
    return error == null
        ? this
        : new Response(rcode, authoritative, answer, authority, additional, error, changesAt);
  }

  /** This response, noted to change from an instant on; the same response for null. */
  Response changingAt(@Nullable Instant at) {
    return at == null
        ? this
        : new Response(rcode, authoritative, answer, authority, additional, extendedError, at);
  }

  /**
   * Returns the earliest instant from which the same question, asked of the same zone with the
   * same results and memory, may get another response: alias addresses with countdown TTLs
   * change with each second, a fresh negative answer when it expires, a stale answer (RFC 8767)
   * or an unresolved alias at any time. Empty when the response depends on the data alone
   * (static records, fresh alias addresses with fixed TTLs), so a server may cache it until the
   * data changes.
   *
   * @return the instant, or empty if the time does not matter
   * @since 0.1
   */
  public Optional<Instant> changesAt() {
    return Optional.ofNullable(changesAt);
  }

  /**
   * Returns this response with an Extended DNS Error (RFC 8914), replacing any it had.
   *
   * @param error the error; null for the same response
   * @return the response with it
   */
  public Response withExtendedError(@Nullable ExtendedError error) {
    return with(error);
  }

  private static List<Record> unmodifiable(List<Record> list) {
    return list.isEmpty() ? List.of() : java.util.Collections.unmodifiableList(list);
  }

  /**
   * Returns the response code.
   *
   * @return an {@link Rcode} value, e.g. {@link Rcode#NOERROR} or {@link Rcode#NXDOMAIN}
   */
  public int rcode() {
    return rcode;
  }

  /**
   * Tells whether the AA flag is set. It speaks for the query name (RFC 1035 §4.1.1): off for a
   * referral at or above the query name, for REFUSED, NOTIMP and SERVFAIL; on otherwise,
   * including a referral reached through an in-zone CNAME.
   *
   * @return true for an authoritative answer
   */
  public boolean authoritative() {
    return authoritative;
  }

  /**
   * Returns the answer section.
   *
   * @return an unmodifiable list, in section order
   */
  public List<Record> answer() {
    return answer;
  }

  /**
   * Returns the authority section: the SOA of a negative answer, or the NS RRset of a
   * referral.
   *
   * @return an unmodifiable list
   */
  public List<Record> authority() {
    return authority;
  }

  /**
   * Returns the additional section: addresses of in-zone name servers, mail exchangers and
   * service targets, glue included.
   *
   * @return an unmodifiable list
   */
  public List<Record> additional() {
    return additional;
  }

  /**
   * Returns the Extended DNS Error that says why this answer is what it is (RFC 8914): a stale
   * answer, or the SERVFAIL of an alias whose target could not be resolved.
   *
   * @return the error, or empty for an ordinary answer
   */
  public Optional<ExtendedError> extendedError() {
    return Optional.ofNullable(extendedError);
  }

  /**
   * Builds the wire message answering a query: the query's id, opcode and question, QR set, AA
   * as {@link #authoritative()}, RD and CD copied from the query (RFC 1035 §4.1.1, RFC 4035
   * §3.1.6), and this response's code and sections. When the query has an OPT record (RFC 6891
   * §7: EDNS only to a client that used it) and either the response has an {@link
   * #extendedError()} or the query set the DO bit, the message gets an OPT record carrying the
   * error, if any (RFC 8914 §2): UDP payload size {@value
   * #EDNS_PAYLOAD} (alias-server's default; a server may put its own), version 0, the query's DO
   * bit (RFC 3225 §3). Otherwise EDNS is left to the server that sends the message.
   *
   * @param query the query being answered
   * @return a new message
   */
  public Message toMessage(Message query) {
    Header in = query.getHeader();
    Message out = new Message(in.getID());
    Header header = out.getHeader();
    header.setFlag(Flags.QR);
    if (authoritative) {
      header.setFlag(Flags.AA);
    }
    if (in.getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    if (in.getFlag(Flags.CD)) {
      header.setFlag(Flags.CD);
    }
    header.setOpcode(in.getOpcode());
    header.setRcode(rcode);
    Record question = query.getQuestion();
    if (question != null) {
      out.addRecord(question, Section.QUESTION);
    }
    add(out, answer, Section.ANSWER);
    add(out, authority, Section.AUTHORITY);
    add(out, additional, Section.ADDITIONAL);
    OPTRecord queryOpt = query.getOPT();
    boolean dnssecOk = queryOpt != null && (queryOpt.getFlags() & ExtendedFlags.DO) != 0;
    if (queryOpt != null && (extendedError != null || dnssecOk)) {
      out.addRecord(
          new OPTRecord(
              EDNS_PAYLOAD,
              0,
              0,
              queryOpt.getFlags() & ExtendedFlags.DO,
              extendedError == null ? List.of() : List.of(extendedError.toOption())),
          Section.ADDITIONAL);
    }
    return out;
  }

  private static void add(Message message, List<Record> records, int section) {
    for (int i = 0, n = records.size(); i < n; i++) {
      message.addRecord(records.get(i), section);
    }
  }

  /**
   * Returns the response code, flags, sections and extended error in a dig-like form, for tests
   * and logs.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(Rcode.string(rcode)).append(authoritative ? " aa" : "");
    section(sb, "ANSWER", answer);
    section(sb, "AUTHORITY", authority);
    section(sb, "ADDITIONAL", additional);
    if (extendedError != null) {
      sb.append("\n;; ").append(extendedError);
    }
    return sb.toString();
  }

  private static void section(StringBuilder sb, String title, List<Record> records) {
    if (!records.isEmpty()) {
      sb.append("\n;; ").append(title);
      for (Record r : records) {
        sb.append('\n').append(AddressText.record(r));
      }
    }
  }
}
