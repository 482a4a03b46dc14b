#!/usr/bin/env bash
# Server benchmark: queries per second on loopback, measured with dnsperf, for
#   alias   alias-server + ZoneHandler (ServeZone): a static A, and an apex ALIAS A answered
#           from warm results (the target already resolved), with the packet cache (default)
#   nocache the same with the packet cache off (packetCacheBytes 0): every query parsed,
#           answered and encoded
#   nsd     NSD serving the same zone with the apex as a static A
#   pdns    PowerDNS (bind backend) serving the same static zone
# side by side in the same run, in alternating rounds. Each server is pinned to CPU 0 and
# dnsperf to CPU 1 (taskset), so every server gets one core and the client the other.
# Reports the median rate per server and question, the ratios the issue asks for, and the
# server's CPU time per query (user + system, over the server and its child processes, from
# /proc): at these rates dnsperf's one core can be the limit, and CPU per query still shows
# what each server costs.
#
# Usage: alias-benchmarks/scripts/serve-bench.sh
# Environment:
#   DURATION=10   seconds per dnsperf run          ROUNDS=3   measured rounds (median)
#   CLIENTS=8     dnsperf -c (UDP sockets)         OUTSTANDING=200  dnsperf -q
#   SKIP_BUILD=1  use the jar already built        KEEP=1     keep the work directory
#   JAVA_OPTS=... JVM flags for ServeZone          UDP_THREADS=1    alias-server UDP threads
#
# Traffic stays on 127.0.0.1, between processes this script starts and stops.
# Needs: dnsperf, nsd, pdns_server + pdns-backend-bind (Debian packages), taskset.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAME=serve-bench
# shellcheck source=lib.sh
. "$ROOT/alias-benchmarks/scripts/lib.sh"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
CLIENTS="${CLIENTS:-8}"
OUTSTANDING="${OUTSTANDING:-200}"
UDP_THREADS="${UDP_THREADS:-1}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}"
JAR="$ROOT/alias-benchmarks/target/alias-benchmarks.jar"

require_tools "dnsperf nsd pdns-server pdns-backend-bind bind9-dnsutils" \
  dnsperf nsd pdns_server dig taskset java python3
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -pl alias-benchmarks -am package)
fi

WORK="$(mktemp -d /tmp/serve-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "serve-bench: kept $WORK"; fi
}
trap cleanup EXIT


write_zones "$WORK"
printf 'www.example.com A\n' > "$WORK/q-static"
printf 'example.com A\n' > "$WORK/q-apex"

# alias-server
P_ALIAS=$(free_port)
# shellcheck disable=SC2086
taskset -c 0 java $JAVA_OPTS -cp "$JAR" org.aliasdns.benchmarks.ServeZone \
  "$WORK/alias.zone" "$P_ALIAS" "$UDP_THREADS" > "$WORK/alias.out" 2>&1 &
PIDS+=($!)
PID_ALIAS=$!
P_NOCACHE=$(free_port)
# shellcheck disable=SC2086
taskset -c 0 java $JAVA_OPTS -cp "$JAR" org.aliasdns.benchmarks.ServeZone \
  "$WORK/alias.zone" "$P_NOCACHE" "$UDP_THREADS" 0 > "$WORK/nocache.out" 2>&1 &
PIDS+=($!)
PID_NOCACHE=$!

# NSD (rate limiting off: Debian's NSD limits 200 q/s per client by default)
P_NSD=$(free_port)
cat > "$WORK/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@$P_NSD
  server-count: 1
  username: ""
  chroot: ""
  zonesdir: "$WORK"
  pidfile: "$WORK/nsd.pid"
  logfile: "$WORK/nsd.log"
  xfrdfile: "$WORK/xfrd.state"
  zonelistfile: "$WORK/zone.list"
  database: ""
  verbosity: 0
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: example.com
  zonefile: static.zone
CONF
taskset -c 0 nsd -d -c "$WORK/nsd.conf" > "$WORK/nsd.out" 2>&1 &
PIDS+=($!)
PID_NSD=$!

# PowerDNS 4.7, bind backend, one receiver thread, its packet cache on (the default)
P_PDNS=$(free_port)
printf 'zone "example.com" { type master; file "%s/static.zone"; };\n' "$WORK" > "$WORK/named.conf"
taskset -c 0 pdns_server --no-config --daemon=no --guardian=no --disable-syslog --loglevel=3 \
  --local-address=127.0.0.1 --local-port="$P_PDNS" --socket-dir="$WORK" \
  --launch=bind --bind-config="$WORK/named.conf" \
  --receiver-threads=1 --distributor-threads=1 --webserver=no --api=no > "$WORK/pdns.out" 2>&1 &
PIDS+=($!)
PID_PDNS=$!

wait_answer "$P_ALIAS" example.com
wait_answer "$P_NOCACHE" example.com
wait_answer "$P_NSD" example.com
wait_answer "$P_PDNS" example.com


echo "serve-bench: warming up (JIT, caches)"
for p in "$P_ALIAS" "$P_NOCACHE" "$P_NSD" "$P_PDNS"; do run "$p" "$WORK/q-static" 5 > /dev/null; done
for p in "$P_ALIAS" "$P_NOCACHE"; do run "$p" "$WORK/q-apex" 5 > /dev/null; done

declare -A RATES CPU
cases="alias:static:$P_ALIAS:$PID_ALIAS alias:apex:$P_ALIAS:$PID_ALIAS"
cases="$cases nocache:static:$P_NOCACHE:$PID_NOCACHE nocache:apex:$P_NOCACHE:$PID_NOCACHE"
cases="$cases nsd:static:$P_NSD:$PID_NSD nsd:apex:$P_NSD:$PID_NSD pdns:static:$P_PDNS:$PID_PDNS"
for round in $(seq 1 "$ROUNDS"); do
  for c in $cases; do
    IFS=: read -r server q port pid <<< "$c"
    before=$(cpu_ticks "$pid")
    read -r qps done <<< "$(run "$port" "$WORK/q-$q" "$DURATION")"
    after=$(cpu_ticks "$pid")
    us=$(us_per_query $((after - before)) "$done")
    RATES[$server:$q]="${RATES[$server:$q]:-} $qps"
    CPU[$server:$q]="${CPU[$server:$q]:-} $us"
    printf 'round %d  %-7s %-6s %12.0f q/s  %6.2f us CPU/query\n' "$round" "$server" "$q" "$qps" "$us"
  done
done

echo
echo "median of $ROUNDS runs of ${DURATION}s, dnsperf -c $CLIENTS -q $OUTSTANDING, servers on CPU 0, dnsperf on CPU 1"
for key in alias:static alias:apex nocache:static nocache:apex nsd:static nsd:apex pdns:static; do
  m=$(echo "${RATES[$key]}" | median)
  RATES[$key:m]=$m
  c=$(echo "${CPU[$key]}" | median)
  printf '  %-14s %12.0f q/s  %6.2f us server CPU per query\n' "$key" "$m" "$c"
done
echo "ratios:"
echo "  alias static A / pdns static A   = $(ratio "${RATES[alias:static:m]}" "${RATES[pdns:static:m]}")  (target >= 1)"
echo "  alias static A / nsd static A    = $(ratio "${RATES[alias:static:m]}" "${RATES[nsd:static:m]}")  (target >= 0.75)"
echo "  alias apex ALIAS / nsd apex A    = $(ratio "${RATES[alias:apex:m]}" "${RATES[nsd:apex:m]}")  (target >= 0.75)"
echo "  alias apex ALIAS / pdns static A = $(ratio "${RATES[alias:apex:m]}" "${RATES[pdns:static:m]}")"
echo "  without the packet cache:"
echo "  nocache static A / pdns static A = $(ratio "${RATES[nocache:static:m]}" "${RATES[pdns:static:m]}")"
echo "  nocache static A / nsd static A  = $(ratio "${RATES[nocache:static:m]}" "${RATES[nsd:static:m]}")"
echo "  nocache apex ALIAS / nsd apex A  = $(ratio "${RATES[nocache:apex:m]}" "${RATES[nsd:apex:m]}")"
