package org.aliasdns.cli;

import org.aliasdns.server.ResponseRateLimit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The response rate limiting options of {@code aliasdns serve}: off unless {@code --rate-limit}
 * is given; {@code --rate-limit} alone limits each client prefix to {@value
 * ResponseRateLimit#DEFAULT_RESPONSES_PER_SECOND} UDP responses per second (see {@link
 * ResponseRateLimit} for why that default).
 */
final class RateLimitOptions {
  @Option(
      names = "--rate-limit",
      paramLabel = "N",
      arity = "0..1",
      fallbackValue = "" + ResponseRateLimit.DEFAULT_RESPONSES_PER_SECOND,
      description =
          "Limit UDP responses to N per second per client prefix (response rate limiting);"
              + " alone: ${FALLBACK-VALUE}. Over it, responses are dropped and every"
              + " --rate-limit-slip-th goes out truncated, so real clients retry over TCP,"
              + " which is never limited. Off unless given.")
  @Nullable Integer responsesPerSecond;

  @Option(
      names = "--rate-limit-slip",
      paramLabel = "N",
      description =
          "Send every Nth limited response truncated (TC) instead of dropping it; 1 every one,"
              + " 0 none (default: " + ResponseRateLimit.DEFAULT_SLIP + ").")
  @Nullable Integer slip;

  @Option(
      names = "--rate-limit-ipv4-prefix",
      paramLabel = "BITS",
      description =
          "IPv4 addresses sharing this prefix are one client (default: "
              + ResponseRateLimit.DEFAULT_IPV4_PREFIX_LENGTH + ").")
  @Nullable Integer ipv4Prefix;

  @Option(
      names = "--rate-limit-ipv6-prefix",
      paramLabel = "BITS",
      description =
          "IPv6 addresses sharing this prefix are one client (default: "
              + ResponseRateLimit.DEFAULT_IPV6_PREFIX_LENGTH + ").")
  @Nullable Integer ipv6Prefix;

  /**
   * Returns the limit the options ask for.
   *
   * @return the limit, or null when {@code --rate-limit} was not given
   * @throws UnusableInputException if a value is out of range, or a {@code --rate-limit-*}
   *     option is given without {@code --rate-limit}
   */
  @Nullable ResponseRateLimit limit() {
    Integer rate = responsesPerSecond;
    if (rate == null) {
      if (slip != null || ipv4Prefix != null || ipv6Prefix != null) {
        throw new UnusableInputException(
            "--rate-limit-slip and --rate-limit-ipv4/ipv6-prefix need --rate-limit");
      }
      return null;
    }
    try {
      ResponseRateLimit.Builder b = ResponseRateLimit.builder().responsesPerSecond(rate);
      Integer s = slip;
      if (s != null) {
        b.slip(s);
      }
      Integer v4 = ipv4Prefix;
      if (v4 != null) {
        b.ipv4PrefixLength(v4);
      }
      Integer v6 = ipv6Prefix;
      if (v6 != null) {
        b.ipv6PrefixLength(v6);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException("--rate-limit: " + e.getMessage());
    }
  }
}
