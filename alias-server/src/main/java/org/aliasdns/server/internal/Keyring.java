package org.aliasdns.server.internal;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.aliasdns.server.TransactionSigner;
import org.aliasdns.server.TsigKey;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * The TSIG keys a server knows, by name: checks the signature of a request and makes the signer
 * of its reply (RFC 8945 §5.2, §5.3).
 */
public final class Keyring {
  private final Map<Name, Entry> keys = new HashMap<>();
  private final InstantSource clock;

  private record Entry(TsigKey key, TSIG tsig) {}

  /** What a request's signature came to. */
  public sealed interface Check {}

  /** The request carries no TSIG record. */
  public enum Unsigned implements Check {
    /** The only instance. */
    INSTANCE
  }

  /**
   * The request is signed with a key we know, and the MAC and time are right.
   *
   * @param key the key
   * @param signer signs the reply (RFC 8945 §5.3: a signed request gets a signed reply)
   */
  public record Valid(TsigKey key, TransactionSigner signer) implements Check {}

  /**
   * The request's signature failed: the TSIG error (RFC 8945 §5.2) and the signer of the error
   * reply, which is unsigned (a MAC of length 0) but for BADTIME.
   *
   * @param error BADKEY (17), BADSIG (16) or BADTIME (18), or FORMERR for a TSIG record that
   *     is not the last record
   * @param signer adds the TSIG record of the error reply
   */
  public record Invalid(int error, TransactionSigner signer) implements Check {}

  /**
   * Makes a keyring.
   *
   * @param keys the keys, no two with one name
   * @param clock what "now" is for the time check
   * @throws IllegalArgumentException if two keys share a name
   */
  public Keyring(Collection<TsigKey> keys, InstantSource clock) {
    this.clock = clock;
    for (TsigKey k : keys) {
      if (this.keys.put(k.name(), new Entry(k, k.tsig(clock))) != null) {
        throw new IllegalArgumentException("two TSIG keys named " + k.name());
      }
    }
  }

  /**
   * Tells whether a key of this name is known.
   *
   * @param name the key's name
   * @return true if known
   */
  public boolean knows(Name name) {
    return keys.containsKey(name);
  }

  /**
   * Returns a key by name.
   *
   * @param name the key's name
   * @return the key, or null
   */
  public @Nullable TsigKey key(Name name) {
    Entry e = keys.get(name);
    return e == null ? null : e.key();
  }

  /**
   * Returns dnsjava's signer for a known key.
   *
   * @param name the key's name
   * @return the signer, or null when no key has that name
   */
  public @Nullable TSIG tsig(Name name) {
    Entry e = keys.get(name);
    return e == null ? null : e.tsig();
  }

  /**
   * Checks a request's signature (RFC 8945 §5.2): the key known by name and algorithm (else
   * BADKEY), the MAC over the bytes as they came (else BADSIG), the time within the fudge (else
   * BADTIME).
   *
   * @param query the parsed request
   * @param wire its bytes as they came
   * @return what the signature came to
   */
  public Check check(Message query, byte[] wire) {
    TSIGRecord theirs = query.getTSIG();
    if (theirs == null) {
      return Unsigned.INSTANCE;
    }
    Entry entry = keys.get(theirs.getName());
    if (entry == null || !entry.key().algorithm().equals(theirs.getAlgorithm())) {
      return new Invalid(Rcode.BADKEY, unsignedError(theirs, Rcode.BADKEY));
    }
    int result = entry.tsig().verify(query, wire, null);
    if (result == Rcode.NOERROR) {
      return new Valid(entry.key(), signer(entry.tsig(), theirs));
    }
    if (result == Rcode.BADTIME) {
      // RFC 8945 §5.2.3: signed, with our time in Other Data so the client can tell the skew.
      TSIG tsig = entry.tsig();
      return new Invalid(
          Rcode.BADTIME,
          new TransactionSigner() {
            @Override
            public void sign(Message message) {
              TSIGRecord r = tsig.generate(message, message.toWire(), Rcode.BADTIME, theirs);
              message.addRecord(r, Section.ADDITIONAL);
            }

            @Override
            public int recordLength() {
              return tsig.recordLength();
            }
          });
    }
    int error = result == Rcode.BADKEY ? Rcode.BADKEY : Rcode.BADSIG;
    return new Invalid(error, unsignedError(theirs, error));
  }

  /**
   * The signer of a reply to a valid request: every message signed, each chained to the MAC
   * before it, the first to the request's (RFC 8945 §5.3.1).
   */
  private static TransactionSigner signer(TSIG tsig, TSIGRecord request) {
    TSIG.StreamGenerator stream = new TSIG.StreamGenerator(tsig, request);
    return new TransactionSigner() {
      @Override
      public void sign(Message message) {
        stream.generate(message);
      }

      @Override
      public int recordLength() {
        return tsig.recordLength();
      }
    };
  }

  /**
   * The TSIG record of a BADKEY or BADSIG reply: the request's key name and algorithm, an empty
   * MAC, the error (RFC 8945 §5.3.2: such a reply is not signed).
   */
  private TransactionSigner unsignedError(TSIGRecord request, int error) {
    return new TransactionSigner() {
      @Override
      public void sign(Message message) {
        message.addRecord(
            new TSIGRecord(
                request.getName(),
                DClass.ANY,
                0,
                request.getAlgorithm(),
                clock.instant(),
                Duration.ofSeconds(300),
                new byte[0],
                request.getOriginalID(),
                error,
                null),
            Section.ADDITIONAL);
      }

      @Override
      public int recordLength() {
        // owner, type/class/ttl/rdlength, algorithm, time (6) fudge (2) MAC size (2),
        // original id (2), error (2), other length (2)
        return request.getName().length() + 10 + request.getAlgorithm().length() + 16;
      }
    };
  }
}
