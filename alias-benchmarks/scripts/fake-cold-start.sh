#!/usr/bin/env bash
# The first fake of a fresh JVM: runs FakeDnsColdStart (build a FakeDns, start it on 127.0.0.1:0,
# get one answer over UDP) in RUNS new JVMs per jar, the jars interleaved run by run so that a
# busy machine weighs on each alike, and prints per jar and phase the median (and range) of the
# wall time, of the main thread's CPU time and of all Java threads' CPU time (the fake answers on
# its listener threads), and of the whole JVM (JIT and GC threads included, and threads that have
# ended, such as the testkit's warm-up thread; in clock ticks of 10 ms, so only its median means
# much).
#
# Usage: alias-benchmarks/scripts/fake-cold-start.sh [LABEL=JAR ...]
#   with no argument: now=alias-benchmarks/target/alias-benchmarks.jar
# Environment:
#   RUNS=21            JVMs per jar
#   JAVA=java          the java command (e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   JAVA_OPTS=         extra JVM flags for every run
#   WORLD=zone         zone: the fake is built from two zone files; records: from record lines
#   DNSJAVA=fake       fake: the query's bytes are written by hand, so the fake is the JVM's first
#                      user of dnsjava and pays its start-up (a test whose first line starts the
#                      fake); first: dnsjava makes the query before the measured part (JMH's setup)
#   CDS=0              1: each jar's JVMs map a class-data archive of their own, written first by
#                      one untimed run of that jar (-XX:ArchiveClassesAtExit, then
#                      -XX:SharedArchiveFile; the jar is the whole class path, as the JDK requires)
#   PRELOAD=           load: before the measured part, each JVM loads the classes the first fake
#                      loads from the jar (listed by one untimed run of that jar with
#                      -Xlog:class+load); link: loads and links (verifies) them; none is
#                      initialised. What is left is the first fake's cost without the class
#                      loader's share of it.
#
# Only loopback traffic: the fake listens on 127.0.0.1 and the query goes there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${RUNS:-21}"
JAVA="${JAVA:-java}"
read -r -a OPTS <<<"${JAVA_OPTS:-}"
WORLD="${WORLD:-zone}"
case "$WORLD" in
  zone) ARGS=() ;;
  records) ARGS=(records) ;;
  *) echo "fake-cold-start: WORLD is zone or records" >&2; exit 2 ;;
esac
DNSJAVA="${DNSJAVA:-fake}"
case "$DNSJAVA" in
  fake) ;;
  first) ARGS+=(dnsjava-first) ;;
  *) echo "fake-cold-start: DNSJAVA is fake or first" >&2; exit 2 ;;
esac
if [ $# -eq 0 ]; then
  set -- "now=$ROOT/alias-benchmarks/target/alias-benchmarks.jar"
fi
for spec in "$@"; do
  jar="${spec#*=}"
  [ -f "$jar" ] || { echo "fake-cold-start: no jar $jar (build: ./mvnw -q -B -pl alias-benchmarks -am package -DskipTests)" >&2; exit 2; }
done

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
CDS="${CDS:-0}"
case "$CDS" in
  0 | 1) ;;
  *) echo "fake-cold-start: CDS is 0 or 1" >&2; exit 2 ;;
esac

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
archive() { # label -> the JVM flags of its archive, or none
  if [ "$CDS" = 1 ]; then echo "-XX:SharedArchiveFile=$out/$1.jsa"; fi
}
PRELOAD="${PRELOAD:-}"
case "$PRELOAD" in
  "" | load | link) ;;
  *) echo "fake-cold-start: PRELOAD is load or link" >&2; exit 2 ;;
esac
preload() { # label -> the argument naming its class list, or none
  if [ -n "$PRELOAD" ]; then echo "$PRELOAD=$out/$1.classes"; fi
}
if [ -n "$PRELOAD" ]; then
  for spec in "$@"; do
    # the classes loaded from the jar from the testkit's FakeDns to the end of the first answer
    # (the marker class End4), the harness's own left out
    "$JAVA" "${OPTS[@]}" "-Xlog:class+load:file=$out/${spec%%=*}.log" -cp "${spec#*=}" \
      org.aliasdns.benchmarks.FakeDnsColdStart "${ARGS[@]}" >/dev/null 2>&1
    awk '/org\.aliasdns\.testkit\.FakeDns source:/ {on = 1} /FakeDnsColdStart\$End4 / {on = 0}
         on && $(NF) ~ /^file:/ && $(NF - 2) !~ /^org\.aliasdns\.benchmarks\./ {print $(NF - 2)}' \
      "$out/${spec%%=*}.log" >"$out/${spec%%=*}.classes"
    [ -s "$out/${spec%%=*}.classes" ] || { echo "fake-cold-start: no classes listed for ${spec%%=*}" >&2; exit 1; }
  done
fi
if [ "$CDS" = 1 ]; then
  for spec in "$@"; do
    "$JAVA" "${OPTS[@]}" "-XX:ArchiveClassesAtExit=$out/${spec%%=*}.jsa" -cp "${spec#*=}" \
      org.aliasdns.benchmarks.FakeDnsColdStart "${ARGS[@]}" >/dev/null 2>&1
    [ -s "$out/${spec%%=*}.jsa" ] || { echo "fake-cold-start: no archive written for ${spec%%=*}" >&2; exit 1; }
  done
fi
for run in $(seq 1 "$RUNS"); do
  for spec in "$@"; do
    label="${spec%%=*}"
    jar="${spec#*=}"
    read -r -a CDS_OPTS <<<"$(archive "$label")"
    read -r -a PRELOAD_ARGS <<<"$(preload "$label")"
    # FakeDnsColdStart prints: a 28-character phase name, wall ms, "ms", main-thread CPU ms,
    # "ms cpu (this thread)", all live Java threads' CPU ms, "ms cpu (Java threads)", the JVM's
    # CPU ms, ...
    "$JAVA" "${OPTS[@]}" "${CDS_OPTS[@]}" -cp "$jar" org.aliasdns.benchmarks.FakeDnsColdStart "${ARGS[@]}" \
      "${PRELOAD_ARGS[@]}" | awk -v label="$label" '{name = substr($0, 1, 28); sub(/ +$/, "", name); split(substr($0, 29), f, " ");
                               print label "\t" name "\t" f[1] "\t" f[3] "\t" f[8] "\t" f[13]}' >>"$out/all.tsv"
  done
done

echo "$("$JAVA" -version 2>&1 | head -1); $(nproc) cores; load averages at the start: $load_start, at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median (min to max) of $RUNS fresh JVMs per jar, milliseconds; world: $WORLD; dnsjava first used by: $DNSJAVA; class-data archive: $CDS; preloaded: ${PRELOAD:-no}$([ -n "$PRELOAD" ] && echo " ($(wc -l <"$out/${1%%=*}.classes") classes)")"
printf '%-8s %-28s %26s %26s %26s %26s\n' jar phase "wall" "main-thread CPU" "Java threads' CPU" "whole JVM's CPU"
for spec in "$@"; do
  label="${spec%%=*}"
  awk -F'\t' -v label="$label" '$1 == label {print $2}' "$out/all.tsv" | awk '!seen[$0]++' |
    while IFS= read -r phase; do
      stats() { # column -> "median (min to max)"
        awk -F'\t' -v label="$label" -v phase="$phase" -v c="$1" '$1 == label && $2 == phase {print $c}' "$out/all.tsv" |
          sort -g | awk '{a[NR] = $1} END {m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
                                          printf "%7.2f (%6.2f to %6.2f)", m, a[1], a[NR]}'
      }
      printf '%-8s %-28s %26s %26s %26s %26s\n' "$label" "$phase" "$(stats 3)" "$(stats 4)" "$(stats 5)" "$(stats 6)"
    done
done
