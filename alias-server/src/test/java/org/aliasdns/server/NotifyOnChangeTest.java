package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/** A {@link ZoneHandler} with secondaries sends NOTIFY exactly when a zone's serial changes. */
class NotifyOnChangeTest {
  private final NotifierTest.Receiver secondary;
  private final BlockingQueue<NotifyResult> results = new LinkedBlockingQueue<>();
  private final ZoneHandler handler;

  NotifyOnChangeTest() throws Exception {
    secondary = new NotifierTest.Receiver((m, n) -> List.of(NotifierTest.ack(m, Rcode.NOERROR)));
    handler =
        ZoneHandler.builder()
            .notify(List.of(secondary.address()))
            .notifier(Notifier.builder().timeout(Duration.ofMillis(500)).build())
            .onNotified(results::add)
            .build();
  }

  @AfterEach
  void stop() {
    secondary.close();
  }

  private long notifiedSerial() throws InterruptedException {
    NotifyResult result = results.poll(10, TimeUnit.SECONDS);
    assertThat(result).as("a NOTIFY outcome").isNotNull();
    assertThat(result.acknowledged()).isTrue();
    Message last = secondary.received.get(secondary.received.size() - 1);
    assertThat(last.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    return ((SOARecord) last.getSection(Section.ANSWER).get(0)).getSerial();
  }

  @Test
  void aNewZoneAndEachNewSerialAreNotifiedAndNothingElseIs() throws Exception {
    handler.serve(Zones.example()); // a zone served for the first time
    assertThat(notifiedSerial()).isEqualTo(1);

    handler.results(Zones.resolvedTo("192.0.2.99")); // answers change, the zone does not
    handler.serve(Zones.example()); // the same serial again
    handler.serve(Zones.exampleChanged(2, "192.0.2.20"));
    assertThat(notifiedSerial()).isEqualTo(2);

    handler.update(List.of(Zones.exampleChanged(3, "192.0.2.30")), Zones.resolvedTo("192.0.2.1"));
    assertThat(notifiedSerial()).isEqualTo(3);

    assertThat(results.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(secondary.received).hasSize(3);
  }

  @Test
  void withoutSecondariesNothingIsSent() {
    ZoneHandler quiet = ZoneHandler.builder().onNotified(results::add).build();
    quiet.serve(Zones.example());
    quiet.serve(Zones.exampleChanged(2, "192.0.2.20"));

    assertThat(results).isEmpty();
  }
}
