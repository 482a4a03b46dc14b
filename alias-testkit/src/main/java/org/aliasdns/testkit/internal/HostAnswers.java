package org.aliasdns.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * Answers the JVM's look-ups ({@code InetAddressResolver.lookupByName} and {@code
 * lookupByAddress}) from a fake, through its in-process resolver, so each family is one ordinary
 * query that the journal records and faults act on. A name is taken as absolute (no search list:
 * a name the fake does not hold fails, rather than being tried under other suffixes).
 */
public final class HostAnswers {
  /** How many CNAMEs are followed when a reply stops at a zone's edge (authoritative fakes). */
  private static final int MAX_FOLLOW = 16;

  private final Resolver resolver;
  private final Object fake;
  private final boolean authoritative;
  private final String openedBy;

  /**
   * Creates the answers of one fake.
   *
   * @param resolver the fake's in-process resolver
   * @param fake the fake (its {@code toString()} names it in error messages)
   * @param authoritative whether the fake answers as an authoritative server, whose reply may
   *     stop at its zone's edge with a CNAME to a name it does not hold (then the target is
   *     asked, as a stub resolver would); a recursive fake's reply already holds the whole
   *     chain, so its NODATA ends the look-up
   * @param openedBy where the route was opened, for the message of a route refused meanwhile
   */
  public HostAnswers(Resolver resolver, Object fake, boolean authoritative, String openedBy) {
    this.resolver = resolver;
    this.fake = fake;
    this.authoritative = authoritative;
    this.openedBy = openedBy;
  }

  /**
   * Returns the fake these answers come from.
   *
   * @return the fake
   */
  public Object fake() {
    return fake;
  }

  /**
   * Says where the route to these answers was opened.
   *
   * @return the test or call site, and the thread
   */
  public String openedBy() {
    return openedBy;
  }

  /**
   * Looks up a host's addresses: an A query, an AAAA query, or both in the policy's order.
   *
   * @param host the name as given to the JDK
   * @param characteristics the JDK's {@code LookupPolicy.characteristics()}: {@link
   *     HostRoute#IPV4}, {@link HostRoute#IPV6}, and their order
   * @return the addresses, in the policy's order; not empty
   * @throws UnknownHostException if no family has an address, saying what each got
   */
  public List<InetAddress> byName(String host, int characteristics) throws UnknownHostException {
    boolean v4 = (characteristics & HostRoute.IPV4) != 0;
    boolean v6 = (characteristics & HostRoute.IPV6) != 0;
    boolean v6First = (characteristics & HostRoute.IPV6_FIRST) != 0;
    int[] types = v4 && v6 ? (v6First ? new int[] {Type.AAAA, Type.A} : new int[] {Type.A, Type.AAAA})
        : v6 ? new int[] {Type.AAAA} : new int[] {Type.A};
    if (HostRoute.isLoopbackName(host)) {
      List<InetAddress> loopback = new ArrayList<>(2);
      for (int type : types) {
        loopback.add(InetAddress.getByAddress(host, type == Type.A
            ? new byte[] {127, 0, 0, 1}
            : new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
      }
      return loopback;
    }
    Name name = parse(host);
    List<InetAddress> found = new ArrayList<>();
    StringJoiner why = new StringJoiner(", ", " (", ")");
    for (int type : types) {
      String outcome = addresses(name, type, host, found);
      why.add(Type.string(type) + ": " + outcome);
    }
    if (found.isEmpty()) {
      throw new UnknownHostException(host + ": not found by " + fake + why);
    }
    return found;
  }

  /**
   * Looks up the host name of an address: a PTR query for its reverse name (RFC 1035 §3.5, RFC
   * 3596 §2.5).
   *
   * @param address 4 or 16 bytes
   * @return the first PTR target, without the final dot
   * @throws UnknownHostException if the fake has no PTR record there
   */
  public String byAddress(byte[] address) throws UnknownHostException {
    Name reverse = ReverseMap.fromAddress(address);
    Message reply;
    try {
      reply = send(reverse, Type.PTR);
    } catch (UnknownHostException e) {
      UnknownHostException u =
          new UnknownHostException(reverse + ": no PTR record from " + fake + " (" + e.getMessage() + ")");
      u.initCause(e.getCause());
      throw u;
    }
    if (reply.getRcode() == Rcode.NOERROR) {
      for (Record r : reply.getSection(Section.ANSWER)) {
        if (r instanceof PTRRecord ptr) {
          String target = ptr.getTarget().toString();
          return target.substring(0, target.length() - 1);
        }
      }
    }
    throw new UnknownHostException(
        reverse + ": no PTR record from " + fake + " (" + outcome(reply) + ")");
  }

  /** Asks one family, following CNAMEs the reply leaves open; adds what it found. */
  private String addresses(Name name, int type, String host, List<InetAddress> found) {
    Name current = name;
    Message reply;
    try {
      for (int hop = 0; ; hop++) {
        reply = send(current, type);
        if (reply.getRcode() != Rcode.NOERROR) {
          return outcome(reply);
        }
        int before = found.size();
        Name end = current;
        for (Record r : reply.getSection(Section.ANSWER)) {
          if (r instanceof ARecord a && type == Type.A) {
            found.add(InetAddress.getByAddress(host, a.getAddress().getAddress()));
          } else if (r instanceof AAAARecord aaaa && type == Type.AAAA) {
            found.add(InetAddress.getByAddress(host, aaaa.getAddress().getAddress()));
          } else if (r instanceof CNAMERecord cname && cname.getName().equals(end)) {
            end = cname.getTarget();
          }
        }
        if (found.size() > before) {
          return (found.size() - before) + (found.size() - before == 1 ? " address" : " addresses");
        }
        // A recursive reply is the whole chain (RFC 1034 §4.3.2 step 3a, followed to its end):
        // NODATA there is final, so one query per family. Only an authoritative reply can stop at
        // its zone's edge with the CNAME's target left to ask (RFC 1034 §3.6.2).
        if (!authoritative || end.equals(current) || hop >= MAX_FOLLOW) {
          return "NODATA";
        }
        current = end; // the reply stopped at a zone's edge: ask for the CNAME's target
      }
    } catch (UnknownHostException e) {
      return String.valueOf(e.getMessage());
    }
  }

  /** Sends one query; a reply that never came or cannot be used is an exception saying so. */
  private Message send(Name name, int type) throws UnknownHostException {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    try {
      return resolver.send(query);
    } catch (InProcessResolver.DroppedQueryException e) {
      throw because("no reply (dropped)", e);
    } catch (SocketTimeoutException e) {
      throw because("no reply (timed out)", e);
    } catch (WireParseException e) {
      throw because("a reply that does not parse or does not match: " + e.getMessage(), e);
    } catch (IOException e) {
      throw because(String.valueOf(e.getMessage()), e);
    }
  }

  private static UnknownHostException because(String reason, Exception cause) {
    UnknownHostException u = new UnknownHostException(reason);
    u.initCause(cause);
    return u;
  }

  private static String outcome(Message reply) {
    int rcode = reply.getRcode();
    return rcode == Rcode.NOERROR ? "NODATA" : Rcode.string(rcode);
  }

  private static Name parse(String host) throws UnknownHostException {
    try {
      return Name.fromString(host, Name.root);
    } catch (TextParseException e) {
      throw new UnknownHostException(host + ": not a DNS name (" + e.getMessage() + ")");
    }
  }

  @Override
  public String toString() {
    return fake.toString();
  }
}
