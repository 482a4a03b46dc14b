package org.aliasdns.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * What {@code aliasdns serve} does when its server meets an {@link Error}: the session's server
 * closes itself and the hook hears of it; the command's hook then ends the process with {@link
 * Main#FATAL}, so that a supervisor restarts it.
 */
class ServeFatalErrorTest {

  /** The fake's clock, until armed; then out of memory on the server's UDP threads. */
  private static final class FailingClock implements InstantSource {
    private final InstantSource clock;
    private volatile boolean armed;

    FailingClock(InstantSource clock) {
      this.clock = clock;
    }

    @Override
    public Instant instant() {
      if (armed && Thread.currentThread().getName().startsWith("alias-dns-udp-")) {
        throw new OutOfMemoryError("injected by the test");
      }
      return clock.instant();
    }
  }

  @Test
  void anErrorOnAServerThreadClosesTheServerAndReachesTheSessionsHook() throws Exception {
    BlockingQueue<Error> fatal = new LinkedBlockingQueue<>();
    try (FakeDns fake = ServeFixture.upstream()) {
      FailingClock clock = new FailingClock(fake.clock());
      try (ServeSession session =
          ServeSession.builder(ServeFixture.zone())
              .upstream(fake.address())
              .clock(clock)
              .queryTimeout(Duration.ofSeconds(2))
              .onFatalError(fatal::add)
              .build()
              .start()) {
        InetSocketAddress address = session.address();
        SimpleResolver client = new SimpleResolver(address);
        client.setTimeout(Duration.ofMillis(500));
        Message apex =
            Message.newQuery(
                Record.newRecord(Name.fromConstantString("example.com."), Type.A, 1));
        assertThat(client.send(apex).getRcode()).isEqualTo(Rcode.NOERROR);

        clock.armed = true;
        assertThatThrownBy(() -> client.send(apex)).isInstanceOf(java.io.IOException.class);

        Error error = fatal.poll(5, TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(OutOfMemoryError.class).hasMessage("injected by the test");
        // nothing left half-alive: the TCP side is closed too
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void theCommandsHookPrintsOneLineAndHaltsWithTheFatalStatus() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<Integer> halted = new CopyOnWriteArrayList<>();

    ServeCommand.fatal(
        new OutOfMemoryError("Java heap space"), new PrintStream(err, true, UTF_8), halted::add);

    assertThat(halted).containsExactly(Main.FATAL);
    assertThat(Main.FATAL).isEqualTo(70);
    assertThat(err.toString(UTF_8))
        .startsWith("aliasdns serve: fatal error on ")
        .contains("java.lang.OutOfMemoryError: Java heap space")
        .endsWith("; exiting with status 70" + System.lineSeparator());
  }

  @Test
  void theCommandHaltsEvenWhenTheLineCannotBePrinted() {
    List<Integer> halted = new CopyOnWriteArrayList<>();
    PrintStream broken =
        new PrintStream(new ByteArrayOutputStream()) {
          @Override
          public void println(String line) {
            throw new OutOfMemoryError("again");
          }
        };

    ServeCommand.fatal(new OutOfMemoryError("first"), broken, halted::add);

    assertThat(halted).containsExactly(Main.FATAL);
  }
}
