#!/usr/bin/env bash
# `aliasdns serve --config` reloaded under load: dnsperf sends QPS queries per second for
# DURATION seconds over the apexes of ZONES zones (ALIASes to TARGETS targets), first with no
# reload (the baseline), then while the script sends SIGHUP every RELOAD_EVERY seconds, each time
# after changing the configuration: one zone's file edited (a new serial), one zone added or
# removed. It prints, for both runs, the queries sent, completed and lost and the response codes,
# and the number of reloads the server logged. "No query dropped" means the reload run loses no
# more queries than the baseline and answers NOERROR only (the zones queried are never removed).
#
# The targets are served by an NSD on loopback (authoritative for example.net), the upstream of
# aliasdns serve.
#
# Usage: alias-benchmarks/scripts/reload-under-load.sh
# Environment:
#   ZONES=200  TARGETS=20  DURATION=20  QPS=3000  RELOAD_EVERY=2
#   CLIENTS=4  OUTSTANDING=100   dnsperf -c and -q
#   JAVA_OPTS=...  JVM flags     SKIP_BUILD=1  use the jar already built   KEEP=1  keep the work dir
#
# Traffic stays on 127.0.0.1, between processes this script starts and stops.
# Needs: dnsperf, nsd, dig, java, python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAME=reload-under-load
# shellcheck source=lib.sh
. "$ROOT/alias-benchmarks/scripts/lib.sh"
ZONES="${ZONES:-200}"
TARGETS="${TARGETS:-20}"
DURATION="${DURATION:-20}"
QPS="${QPS:-3000}"
RELOAD_EVERY="${RELOAD_EVERY:-2}"
CLIENTS="${CLIENTS:-4}"
OUTSTANDING="${OUTSTANDING:-100}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx256m}"
JAR="$ROOT/alias-cli/target/aliasdns.jar"

require_tools "dnsperf nsd bind9-dnsutils" dnsperf nsd dig java python3
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -pl alias-cli -am package)
fi

WORK="$(mktemp -d /tmp/reload-under-load.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "work directory kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# The upstream: NSD, authoritative for example.net, t0..t(TARGETS-1) with an A each.
NSD_PORT=$(free_port)
{
  echo '$TTL 300'
  echo 'example.net. 3600 IN SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 1209600 300'
  echo 'example.net. 3600 IN NS ns1.example.net.'
  echo 'ns1.example.net. 3600 IN A 198.51.100.53'
  for t in $(seq 0 $((TARGETS - 1))); do
    echo "t$t.example.net. 300 IN A 192.0.2.$((10 + t % 200))"
  done
} > "$WORK/example.net.zone"
cat > "$WORK/nsd.conf" <<EOF
server:
  ip-address: 127.0.0.1@$NSD_PORT
  port: $NSD_PORT
  username: ""
  chroot: ""
  zonesdir: "$WORK"
  database: ""
  zonelistfile: "$WORK/zone.list"
  xfrdfile: "$WORK/xfrd.state"
  pidfile: "$WORK/nsd.pid"
  logfile: "$WORK/nsd.log"
  server-count: 1
  verbosity: 0
remote-control:
  control-enable: no
zone:
  name: example.net
  zonefile: example.net.zone
EOF
nsd -d -c "$WORK/nsd.conf" &
PIDS+=($!)
wait_answer "$NSD_PORT" t0.example.net.

zone_file() { # index serial -> the zone text of z<index>.example.
  printf '$TTL 300\n@ 3600 SOA ns1 hostmaster %s 7200 3600 1209600 300\n@ NS ns1\nns1 A 198.51.100.53\n@ 300 ALIAS t%s.example.net.\n' \
    "$2" "$(($1 % TARGETS))"
}
config() { # extra-zone-count -> the configuration: ZONES zones, plus extras x0..
  echo "server:"
  echo "  listen: 127.0.0.1:$PORT"
  echo "  upstreams: [127.0.0.1:$NSD_PORT]"
  echo "zone:"
  for z in $(seq 0 $((ZONES - 1))); do
    printf '  - domain: z%s.example.\n    file: z%s.zone\n' "$z" "$z"
  done
  for x in $(seq 0 $(($1 - 1))); do
    printf '  - domain: x%s.example.\n    file: x%s.zone\n' "$x" "$x"
  done
}

PORT=$(free_port)
for z in $(seq 0 $((ZONES - 1))); do zone_file "$z" 1 > "$WORK/z$z.zone"; done
for x in 0 1; do zone_file "$x" 1 > "$WORK/x$x.zone"; done
config 0 > "$WORK/aliasdns.yaml"
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" serve --config "$WORK/aliasdns.yaml" > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVE=$!
PIDS+=($SERVE)
wait_answer "$PORT" z0.example.
for z in $(seq 0 $((ZONES - 1))); do echo "z$z.example. A"; done > "$WORK/queries"

measure() { # label -> runs dnsperf for DURATION seconds and prints its counts
  dnsperf -s 127.0.0.1 -p "$PORT" -d "$WORK/queries" -l "$DURATION" -Q "$QPS" \
    -c "$CLIENTS" -q "$OUTSTANDING" > "$WORK/$1.dnsperf" 2>&1
  awk -v label="$1" '
    /Queries sent/ {sent = $3} /Queries completed/ {done = $3} /Queries lost/ {lost = $3}
    /Response codes/ {sub(/.*Response codes: */, ""); codes = $0}
    END {printf "%-8s sent %s completed %s lost %s; %s\n", label, sent, done, lost, codes}' \
    "$WORK/$1.dnsperf"
}

measure baseline
before=$(grep -c 'reloaded ' "$WORK/serve.err" || true)
(
  i=0
  end=$((SECONDS + DURATION - 1))
  while [ "$SECONDS" -lt "$end" ]; do
    sleep "$RELOAD_EVERY"
    i=$((i + 1))
    zone_file $((i % ZONES)) $((1 + i)) > "$WORK/z$((i % ZONES)).zone"  # a changed zone
    config $((i % 3)) > "$WORK/aliasdns.yaml"                          # 0, 1 or 2 extra zones
    kill -HUP "$SERVE"
  done
) &
RELOADER=$!
measure reload
wait "$RELOADER" || true
sleep 1
after=$(grep -c 'reloaded ' "$WORK/serve.err" || true)
echo "reloads logged during the reload run: $((after - before))"
grep -E 'WARN|refused' "$WORK/serve.err" | head -5 || true
