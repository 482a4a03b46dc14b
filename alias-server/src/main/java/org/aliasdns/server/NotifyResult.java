package org.aliasdns.server;

import java.net.InetSocketAddress;
import org.aliasdns.core.AddressText;

/**
 * How one NOTIFY (RFC 1996) to one secondary ended.
 *
 * @param secondary the address notified
 * @param status what came of it
 * @param rcode the response code of the secondary's reply, or -1 when no reply came
 * @param attempts how many times the NOTIFY was sent
 * @since 0.1
 */
public record NotifyResult(InetSocketAddress secondary, Status status, int rcode, int attempts) {

  /** What came of a NOTIFY. */
  public enum Status {
    /** The secondary replied NOERROR (RFC 1996 §4.7): it will check the serial. */
    ACKNOWLEDGED,
    /** The secondary replied with an error, e.g. NOTAUTH or REFUSED; not retried. */
    REJECTED,
    /** No matching reply came after every attempt. */
    TIMED_OUT,
    /** The NOTIFY could not be sent, e.g. no route to the address. */
    FAILED
  }

  /**
   * Tells whether the secondary acknowledged the NOTIFY.
   *
   * @return true for {@link Status#ACKNOWLEDGED}
   */
  public boolean acknowledged() {
    return status == Status.ACKNOWLEDGED;
  }

  /** Returns the components as a record does, with the address in RFC 5952 form. */
  @Override
  public String toString() {
    return "NotifyResult[secondary=" + AddressText.of(secondary) + ", status=" + status
        + ", rcode=" + rcode + ", attempts=" + attempts + "]";
  }
}
