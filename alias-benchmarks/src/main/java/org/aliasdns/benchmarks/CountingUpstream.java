package org.aliasdns.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.testkit.FakeDns;
import org.xbill.DNS.Type;

/**
 * The counting upstream of {@code scripts/many-zones.sh}: the testkit's {@link FakeDns} as a
 * recursive resolver on loopback, answering {@code t0.example.net.} .. {@code
 * t<targets-1>.example.net.} with one A and one AAAA each (TTL 300), and {@code
 * hot.example.net.} (TTL 1 s, the target a script moves); its journal counts the questions.
 *
 * <p>Address of target {@code k}: {@code 198.51.100.(k % 250 + 1)} and {@code 2001:db8::(k in
 * hex)}; of {@code hot}: {@code 192.0.2.1}, then {@code 192.0.2.2}, ... after each move. The
 * script writes the flattened zones for NSD from the same rule.
 *
 * <p>Usage: {@code java -cp alias-benchmarks.jar org.aliasdns.benchmarks.CountingUpstream
 * TARGETS}. Prints {@code listening PORT} when ready, then reads commands from standard input,
 * one a line, and answers each with one line:
 *
 * <ul>
 *   <li>{@code count}: {@code queries TOTAL A N AAAA N hot N}: every question so far, those of
 *       type A and AAAA, and those for the hot target;
 *   <li>{@code move}: gives the hot target its next address, prints {@code moved EPOCH_MS}, then
 *       waits for the next question for it and prints {@code asked EPOCH_MS} (the time it was
 *       answered with the new address, within a millisecond);
 *   <li>end of input: stops.
 * </ul>
 */
public final class CountingUpstream {
  private CountingUpstream() {}

  /**
   * Runs the upstream until standard input ends.
   *
   * @param args the number of targets
   * @throws IOException if it cannot listen
   * @throws InterruptedException if interrupted while waiting for a question
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    int targets = Integer.parseInt(args[0]);
    List<String> lines = new ArrayList<>(2 * targets + 2);
    for (int k = 0; k < targets; k++) {
      lines.add("t" + k + ".example.net. 300 A 198.51.100." + (k % 250 + 1));
      lines.add("t" + k + ".example.net. 300 AAAA 2001:db8::" + Integer.toHexString(k));
    }
    lines.add("hot.example.net. 1 A 192.0.2.1");
    lines.add("hot.example.net. 1 AAAA 2001:db8:1::1");
    FakeDns fake = FakeDns.recursive().records(lines.toArray(new String[0])).build().start();
    System.out.println("listening " + fake.port());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    int moves = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      switch (line.trim()) {
        case "count" -> {
          int a = 0;
          int aaaa = 0;
          // Per-type totals from the per-name counts: every question is for a known name.
          for (int k = 0; k < targets; k++) {
            a += fake.queryCount("t" + k + ".example.net.", Type.A);
            aaaa += fake.queryCount("t" + k + ".example.net.", Type.AAAA);
          }
          int hot =
              fake.queryCount("hot.example.net.", Type.A)
                  + fake.queryCount("hot.example.net.", Type.AAAA);
          System.out.println(
              "queries " + fake.queryCount() + " A " + a + " AAAA " + aaaa + " hot " + hot);
        }
        case "move" -> {
          moves++;
          int before = fake.queryCount("hot.example.net.", Type.A);
          fake.replace("hot.example.net. 1 A 192.0.2." + (moves % 250 + 1));
          System.out.println("moved " + System.currentTimeMillis());
          System.out.flush();
          while (fake.queryCount("hot.example.net.", Type.A) == before) {
            Thread.sleep(1);
          }
          System.out.println("asked " + System.currentTimeMillis());
        }
        default -> System.out.println("unknown command: " + line);
      }
      System.out.flush();
    }
    fake.close();
  }
}
