package org.aliasdns.testkit;

/**
 * Decides, query by query, what a {@link FakeDns} replies, as MockWebServer's {@code Dispatcher}
 * does for HTTP: for answers that depend on the question, the client, the transport, the EDNS
 * options or how many queries came before, where fixed zone data and scripted faults are not
 * enough.
 *
 * <pre>{@code
 * FakeDns fake = FakeDns.recursive()
 *     .dispatcher(query -> query.name().toString().endsWith(".shard.example.net.")
 *         ? Fault.answer(query.name() + " 60 A 192.0.2." + (query.sequence() % 250 + 1))
 *         : Fault.none())                        // everything else from the zones
 *     .build();
 * }</pre>
 *
 * <p>The dispatcher stands where the zone data stands: for each query the fake still applies, in
 * order, the strict check ({@link FakeDns#expect}), the next {@link FakeDns#enqueue enqueued}
 * fault and the first {@link FakeDns#inject injected} rule that applies; only a query none of
 * them took reaches the dispatcher. Whatever it returns is sent through the same wire pipeline
 * as any fault ({@link Fault#answer}, {@link Fault#servfail()}, {@link Fault#delay}, ...; {@link
 * Fault#none()} for the zones' own answer) and recorded in the journal as the query's {@link
 * ReceivedQuery#fault() fault} (null for {@link Fault#none()}).
 *
 * <p>It is called on the fake's threads, possibly for several queries at once, so it must be
 * thread-safe, and should return promptly ({@link Fault#delay} makes a reply late without
 * holding a thread). If it throws, the query is answered SERVFAIL, journaled with {@link
 * Fault#servfail()}, and {@link FakeDns#verify()} fails naming the query, with the exception as
 * the cause.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Dispatcher {

  /**
   * Decides the reply to one query.
   *
   * @param query the query as the journal keeps it, its reply not yet decided: {@link
   *     ReceivedQuery#fault()} is null and {@link ReceivedQuery#unexpected()} false
   * @return what to send: {@link Fault#none()} for the answer from the loaded zones, or any
   *     other {@link Fault}
   */
  Fault dispatch(ReceivedQuery query);
}
