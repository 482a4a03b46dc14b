import org.jspecify.annotations.NullMarked;

/** The {@code alias} command: check, flatten, trace, serve and demo. */
@NullMarked
module org.aliasdns.cli {
  requires org.aliasdns.core;
  requires org.aliasdns.resolver;
  requires org.aliasdns.server;
  requires org.slf4j;
  requires io.prometheus.metrics.core;
  requires io.prometheus.metrics.model;
  requires io.prometheus.metrics.exporter.httpserver;
  requires org.snakeyaml.engine.v2;
  requires jdk.unsupported; // sun.misc.Signal: SIGHUP reloads aliasdns serve --config
  requires static org.aliasdns.testkit; // only `aliasdns demo`; optional in the POM
  requires transitive info.picocli;
  requires static org.jspecify;

  // picocli reads the command classes' annotations and fields reflectively.
  opens org.aliasdns.cli to info.picocli;

  exports org.aliasdns.cli;
}
