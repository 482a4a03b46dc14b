package org.aliasdns.resolver.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.aliasdns.core.Resolution.Failure.Kind;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.WireParseException;

/**
 * Upstream did not give a usable answer: an error rcode, a timeout, or a response that fails
 * the checks. Carries what failed and the reason; never a stack trace worth keeping.
 */
public final class UpstreamFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** The beginnings of dnsjava's messages for a response that does not match its query. */
  private static final String[] MISMATCH_MESSAGES = {
    "invalid message id", "invalid name in message", "invalid class in message",
    "invalid type in message", "invalid message: question section missing",
    "invalid message: opcode"
  };

  private final Kind kind;

  /**
   * Creates the failure.
   *
   * @param kind what failed
   * @param reason what went wrong, for logs and {@link org.aliasdns.core.Resolution.Failure}
   */
  public UpstreamFailure(Kind kind, String reason) {
    super(reason, null, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * Returns what failed.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the reason in words.
   *
   * @return the message
   */
  public String reason() {
    return String.valueOf(getMessage());
  }

  /**
   * Returns the kind of failure an error response code means.
   *
   * @param rcode a response code other than NOERROR and NXDOMAIN
   * @return {@link Kind#SERVFAIL}, {@link Kind#REFUSED} or {@link Kind#RCODE}
   */
  public static Kind ofRcode(int rcode) {
    return switch (rcode) {
      case Rcode.SERVFAIL -> Kind.SERVFAIL;
      case Rcode.REFUSED -> Kind.REFUSED;
      default -> Kind.RCODE;
    };
  }

  /**
   * Turns whatever ended an upstream query exceptionally into a typed failure: an {@link
   * UpstreamFailure} as it is; a timeout (ours or the transport's) as {@link Kind#TIMEOUT};
   * dnsjava's complaints about a response that answers another query as {@link
   * Kind#MISMATCHED}, and about one that does not parse as {@link Kind#MALFORMED}; other I/O
   * errors as {@link Kind#NETWORK}; anything else as {@link Kind#INTERNAL}.
   *
   * @param error the exception, perhaps wrapped in completion exceptions, or null if none came
   * @param timeoutMillis the query timeout, for the reason of a timeout
   * @return the failure
   */
  public static UpstreamFailure of(@Nullable Throwable error, long timeoutMillis) {
    if (error == null) {
      return new UpstreamFailure(Kind.OTHER, "no response");
    }
    Throwable t = unwrap(error);
    if (t instanceof UpstreamFailure failure) {
      return failure;
    }
    String message = t.getMessage();
    if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
      return new UpstreamFailure(Kind.TIMEOUT, "timeout after " + timeoutMillis + " ms");
    }
    String text = t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    if (t instanceof WireParseException) {
      for (String mismatch : MISMATCH_MESSAGES) {
        if (message != null && message.startsWith(mismatch)) {
          return new UpstreamFailure(Kind.MISMATCHED, text);
        }
      }
      return new UpstreamFailure(Kind.MALFORMED, text);
    }
    if (t instanceof IOException) {
      return new UpstreamFailure(Kind.NETWORK, text);
    }
    return new UpstreamFailure(Kind.INTERNAL, text);
  }

  /**
   * Returns the exception inside completion, execution and unchecked I/O wrappers.
   *
   * @param error the exception
   * @return the innermost cause that is not such a wrapper
   */
  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException
            || t instanceof ExecutionException
            || t instanceof UncheckedIOException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
