package org.aliasdns.cli;

import java.util.Stack;
import org.aliasdns.server.ResponseRateLimit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
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
      parameterConsumer = RateValue.class,
      description =
          "Limit UDP responses to N per second per client prefix (response rate limiting);"
              + " alone: "
              + ResponseRateLimit.DEFAULT_RESPONSES_PER_SECOND
              + ". Over it, responses are dropped and every"
              + " --rate-limit-slip-th goes out truncated, so real clients retry over TCP,"
              + " which is never limited. Off unless given.")
  @Nullable Integer responsesPerSecond;

  /**
   * Takes the word after {@code --rate-limit} as its value only when it is a number, so that
   * {@code --rate-limit ZONEFILE} is the default rate and a zone file, not a bad number.
   */
  static final class RateValue implements IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      int rate = ResponseRateLimit.DEFAULT_RESPONSES_PER_SECOND;
      if (!args.isEmpty() && args.peek().matches("[0-9]{1,9}")) {
        rate = Integer.parseInt(args.pop()); // out of range is refused with the other settings
      }
      argSpec.setValue(rate);
    }
  }

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
