package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.Resolution;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * The resolver's handling of upstream responses faces whatever the network returns: for any
 * bytes answered to its query (with the query's id, so the bytes get past the transport) a
 * lookup completes with a {@link Resolution} value (a garbage answer is a {@link
 * Resolution.Failure}), never an exception, and never an answer whose records are not of the
 * asked type or chain does not start at the asked name.
 */
class UpstreamResponseFuzzTest {
  private static final Name TARGET = Name.fromConstantString("www.example.net.");

  @FuzzTest(maxDuration = "10m")
  void everyResponseBecomesAResolution(byte[] response) throws Exception {
    AliasResolver resolver =
        AliasResolver.builder()
            .upstream(new Replaying(response))
            .executor(Runnable::run)
            .queryTimeout(Duration.ofSeconds(1))
            .build();

    Lookup lookup =
        resolver.resolve(TARGET, Type.A).toCompletableFuture().get(10, TimeUnit.SECONDS);

    Resolution r = lookup.resolution();
    assertThat(r.target()).isEqualTo(TARGET);
    assertThat(r.type()).isEqualTo(Type.A);
    if (!r.chain().isEmpty()) {
      assertThat(r.chain().get(0).owner()).isEqualTo(TARGET);
    }
    if (r instanceof Resolution.Answer answer) {
      assertThat(answer.records().type()).isEqualTo(Type.A);
    }
  }

  /** An upstream that answers every query with the given bytes under the query's id. */
  private static final class Replaying implements Resolver {
    private final byte[] response;

    Replaying(byte[] response) {
      this.response = response;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
      if (response.length < 2) {
        return CompletableFuture.failedFuture(new IOException("short response"));
      }
      byte[] bytes = response.clone();
      int id = query.getHeader().getID();
      bytes[0] = (byte) (id >>> 8);
      bytes[1] = (byte) id;
      try {
        return CompletableFuture.completedFuture(new Message(bytes));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e); // what SimpleResolver does with bad bytes
      }
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
      return sendAsync(query, Runnable::run);
    }

    @Override
    public void setPort(int port) {}

    @Override
    public void setTCP(boolean flag) {}

    @Override
    public void setIgnoreTruncation(boolean flag) {}

    @Override
    public void setEDNS(int version, int payloadSize, int flags, @Nullable List<EDNSOption> options) {}

    @Override
    public void setTSIGKey(@Nullable TSIG key) {}

    @Override
    public void setTimeout(Duration timeout) {}
  }
}
