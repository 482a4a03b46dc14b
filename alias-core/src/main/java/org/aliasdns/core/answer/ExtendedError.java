package org.aliasdns.core.answer;

import java.util.Objects;
import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * An Extended DNS Error (RFC 8914 §2): an INFO-CODE that says why an answer is what it is, and
 * EXTRA-TEXT for a person. {@link QueryAnswerer} attaches one to the answers of alias names it
 * could not answer fresh; {@link Response#toMessage} puts it in the reply's OPT record when the
 * query had one.
 *
 * <table>
 *   <caption>Codes used at alias names</caption>
 *   <tr><th>code</th><th>when</th></tr>
 *   <tr><td>3, Stale Answer (§4.4)</td>
 *       <td>last good addresses served past a failure (RFC 8767)</td></tr>
 *   <tr><td>19, Stale NXDomain Answer (§4.20)</td><td>a target's last NXDOMAIN or NODATA kept past
 *       a failure: NODATA at the alias name</td></tr>
 *   <tr><td>22, No Reachable Authority (§4.23)</td><td>SERVFAIL: the upstream could not answer
 *       for the target and nothing is left to serve</td></tr>
 *   <tr><td>14, Not Ready (§4.15)</td><td>SERVFAIL: the target has no resolution yet</td></tr>
 *   <tr><td>0, Other (§4.1)</td><td>SERVFAIL: the target's chain loops or is longer than the
 *       chain limit, a configuration error the text names</td></tr>
 * </table>
 *
 * <p>The extra text always names the alias target.
 *
 * @param code the INFO-CODE, 0 to 65535 (dnsjava's {@link ExtendedErrorCodeOption} constants)
 * @param text the EXTRA-TEXT, UTF-8 for a person; may be empty
 * @since 0.1
 */
public record ExtendedError(int code, String text) {
  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if the code does not fit 16 bits
   */
  public ExtendedError {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("INFO-CODE out of range: " + code);
    }
    Objects.requireNonNull(text, "text");
  }

  /**
   * Returns the EDNS option that carries this error (RFC 8914 §2, option code 15).
   *
   * @return a new option
   */
  public ExtendedErrorCodeOption toOption() {
    return new ExtendedErrorCodeOption(code, text);
  }

  /** Returns {@code EDE 3 (Stale Answer): text}, as dig prints it. */
  @Override
  public String toString() {
    return "EDE " + code + " (" + ExtendedErrorCodeOption.text(code) + "): " + text;
  }
}
