package org.aliasdns.testkit.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.assertj.core.api.Assertions.assertThat;

import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

/** In strict mode the extension fails a test that made an unexpected query. */
class StrictModeExtensionTest {
  static volatile boolean launched;

  static boolean launched() {
    return launched;
  }

  /** Run only by the launcher below, never on its own. */
  @EnabledIf("org.aliasdns.testkit.junit.StrictModeExtensionTest#launched")
  static class Strict {
    @RegisterExtension
    static FakeDnsExtension dns =
        FakeDnsExtension.of(
            FakeDns.recursive()
                .record("cdn.example.org. 60 A 192.0.2.10")
                .expect("cdn.example.org.", Type.A));

    @Test
    void asksOnlyWhatItShould(Resolver resolver) throws Exception {
      resolver.send(query("cdn.example.org.", Type.A));
    }

    @Test
    void asksSomethingElse(Resolver resolver) throws Exception {
      resolver.send(query("cdn.example.org.", Type.AAAA));
    }
  }

  static Message query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
  }

  @Test
  void aTestWithAnUnexpectedQueryFailsAndTheOthersPass() {
    launched = true;
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    try {
      Launcher launcher = LauncherFactory.create();
      launcher.execute(
          LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Strict.class)).build(),
          listener);
    } finally {
      launched = false;
    }

    TestExecutionSummary summary = listener.getSummary();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    TestExecutionSummary.Failure failure = summary.getFailures().get(0);
    assertThat(failure.getTestIdentifier().getDisplayName()).startsWith("asksSomethingElse");
    assertThat(failure.getException())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 unexpected query")
        .hasMessageContaining("cdn.example.org. AAAA");
  }
}
