#!/usr/bin/env bash
# `aliasdns serve` benchmark: apex ALIAS queries per second on loopback, measured with dnsperf, for
#   alias   `java -jar alias-cli/target/aliasdns.jar serve` (the flattened zone, kept fresh by the
#           monitor through Unbound)
#   pdns    PowerDNS 4.7 (bind backend) with `example.com. ALIAS cdn.example.net.` and
#           --expand-alias, resolving through the same Unbound
#   nsd     NSD serving the apex as a static A record
# side by side in the same run, in alternating rounds; servers pinned to CPU 0 and dnsperf to
# CPU 1 (taskset). Reports medians, the server CPU time per query (from /proc), and the ratios the
# issue asks for (alias >= 3x PowerDNS's ALIAS rate, >= 0.75x NSD's static rate).
#
# Then the failure test: dnsperf runs FAIL_DURATION seconds against alias and PowerDNS at once
# (rate-limited to FAIL_QPS each, so both get the same outage), and FAIL_START seconds in, the NSD
# that serves cdn.example.net is stopped for FAIL_OUTAGE seconds. Unbound's cache of the chain
# runs out after CDN_TTL seconds and it answers SERVFAIL (serve-expired is off, Unbound's
# default); the script counts the apex SERVFAIL answers each server gave.
#
# The chain behind the alias, served by an NSD on loopback:
#   cdn.example.net.  CNAME edge.cdn.example.net.   (TTL CDN_TTL)
#   edge.cdn.example.net.  A 192.0.2.10             (TTL CDN_TTL)
#
# Usage: alias-benchmarks/scripts/alias-serve-bench.sh
# Environment:
#   DURATION=10    seconds per throughput run      ROUNDS=3       measured rounds (median)
#   CLIENTS=8      dnsperf -c                      OUTSTANDING=200 dnsperf -q
#   CDN_TTL=5      TTL of the chain's records (short, so caches run out during the outage)
#   FAIL_DURATION=90  FAIL_START=15  FAIL_OUTAGE=60  FAIL_QPS=2000   the failure test;
#                  FAIL_DURATION=0 skips it
#   UDP_THREADS=1  aliasdns serve --udp-threads       JAVA_OPTS=...  JVM flags for aliasdns serve
#   SKIP_BUILD=1   use the jar already built       KEEP=1         keep the work directory
#
# Traffic stays on 127.0.0.1, between processes this script starts and stops.
# Needs: dnsperf, nsd, unbound, pdns_server + pdns-backend-bind (Debian packages), dig, taskset.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAME=alias-serve-bench
# shellcheck source=lib.sh
. "$ROOT/alias-benchmarks/scripts/lib.sh"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
CLIENTS="${CLIENTS:-8}"
OUTSTANDING="${OUTSTANDING:-200}"
CDN_TTL="${CDN_TTL:-5}"
FAIL_DURATION="${FAIL_DURATION:-90}"
FAIL_START="${FAIL_START:-15}"
FAIL_OUTAGE="${FAIL_OUTAGE:-60}"
FAIL_QPS="${FAIL_QPS:-2000}"
UDP_THREADS="${UDP_THREADS:-1}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}"
JAR="$ROOT/alias-cli/target/aliasdns.jar"

require_tools "dnsperf nsd unbound pdns-server pdns-backend-bind bind9-dnsutils" \
  dnsperf nsd unbound pdns_server dig taskset java python3
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -pl alias-cli -am package)
fi

WORK="$(mktemp -d /tmp/alias-serve-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -n "${PID_CDN:-}" ] && kill "$PID_CDN" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "alias-serve-bench: kept $WORK"; fi
}
trap cleanup EXIT

nsd_conf() { # name port zone-name zone-file
  cat > "$WORK/$1.conf" <<CONF
server:
  ip-address: 127.0.0.1@$2
  server-count: 1
  username: ""
  chroot: ""
  zonesdir: "$WORK"
  pidfile: "$WORK/$1.pid"
  logfile: "$WORK/$1.log"
  xfrdfile: "$WORK/$1.xfrd.state"
  zonelistfile: "$WORK/$1.zone.list"
  database: ""
  verbosity: 0
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: $3
  zonefile: $4
CONF
}

# The CDN's zone, served by an NSD that the failure test stops and starts again.
cat > "$WORK/example.net.zone" <<ZONE
\$TTL $CDN_TTL
example.net. 3600 IN SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 1209600 $CDN_TTL
example.net. 3600 IN NS ns1.example.net.
ns1.example.net. 3600 IN A 198.51.100.53
cdn.example.net. $CDN_TTL IN CNAME edge.cdn.example.net.
edge.cdn.example.net. $CDN_TTL IN A 192.0.2.10
ZONE
P_CDN=$(free_port)
nsd_conf cdn "$P_CDN" example.net example.net.zone
start_cdn() {
  taskset -c 0 nsd -d -c "$WORK/cdn.conf" >> "$WORK/cdn.out" 2>&1 &
  PID_CDN=$!
}
start_cdn
wait_answer "$P_CDN" cdn.example.net CNAME

# Unbound, the recursive resolver both alias and PowerDNS ask; example.net is a stub zone at the
# CDN's NSD. Defaults otherwise: serve-expired is off, so an expired chain whose server is down
# is SERVFAIL.
P_UNBOUND=$(free_port)
cat > "$WORK/unbound.conf" <<CONF
server:
  interface: 127.0.0.1
  port: $P_UNBOUND
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$WORK"
  pidfile: "$WORK/unbound.pid"
  logfile: ""
  use-syslog: no
  verbosity: 0
  num-threads: 1
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
stub-zone:
  name: "example.net."
  stub-addr: 127.0.0.1@$P_CDN
CONF
taskset -c 0 unbound -d -c "$WORK/unbound.conf" > "$WORK/unbound.out" 2>&1 &
PIDS+=($!)
wait_answer "$P_UNBOUND" cdn.example.net A

write_zones "$WORK"
printf 'example.com A\n' > "$WORK/q-apex"

# aliasdns serve
P_ALIAS=$(free_port)
# shellcheck disable=SC2086
taskset -c 0 java $JAVA_OPTS -jar "$JAR" serve "$WORK/alias.zone" \
  --listen "127.0.0.1:$P_ALIAS" --upstream "127.0.0.1:$P_UNBOUND" \
  --udp-threads "$UDP_THREADS" --tick 1s > "$WORK/alias.out" 2> "$WORK/alias.err" &
PIDS+=($!)
PID_ALIAS=$!

# PowerDNS 4.7, bind backend, ALIAS expanded through Unbound, one receiver thread, its packet
# cache on (the default)
P_PDNS=$(free_port)
printf 'zone "example.com" { type master; file "%s/alias.zone"; };\n' "$WORK" > "$WORK/named.conf"
taskset -c 0 pdns_server --no-config --daemon=no --guardian=no --disable-syslog --loglevel=3 \
  --local-address=127.0.0.1 --local-port="$P_PDNS" --socket-dir="$WORK" \
  --launch=bind --bind-config="$WORK/named.conf" \
  --expand-alias=yes --resolver="127.0.0.1:$P_UNBOUND" \
  --receiver-threads=1 --distributor-threads=1 --webserver=no --api=no > "$WORK/pdns.out" 2>&1 &
PIDS+=($!)
PID_PDNS=$!

# NSD with the apex as a static A (rate limiting off: Debian's NSD limits 200 q/s per client)
P_NSD=$(free_port)
nsd_conf static "$P_NSD" example.com static.zone
taskset -c 0 nsd -d -c "$WORK/static.conf" > "$WORK/static.out" 2>&1 &
PIDS+=($!)
PID_NSD=$!

wait_answer "$P_ALIAS" example.com
wait_answer "$P_PDNS" example.com
wait_answer "$P_NSD" example.com
for p in "$P_ALIAS" "$P_PDNS" "$P_NSD"; do
  got=$(dig @127.0.0.1 -p "$p" +short +time=1 +tries=1 example.com A)
  [ "$got" = 192.0.2.10 ] || { echo "alias-serve-bench: port $p answered '$got'" >&2; exit 1; }
done


echo "alias-serve-bench: warming up (JIT, caches)"
for p in "$P_ALIAS" "$P_PDNS" "$P_NSD"; do run "$p" "$WORK/q-apex" 5 > /dev/null; done

declare -A RATES CPU
cases="alias:$P_ALIAS:$PID_ALIAS pdns:$P_PDNS:$PID_PDNS nsd:$P_NSD:$PID_NSD"
for round in $(seq 1 "$ROUNDS"); do
  for c in $cases; do
    IFS=: read -r server port pid <<< "$c"
    before=$(cpu_ticks "$pid")
    read -r qps done <<< "$(run "$port" "$WORK/q-apex" "$DURATION")"
    after=$(cpu_ticks "$pid")
    us=$(us_per_query $((after - before)) "$done")
    RATES[$server]="${RATES[$server]:-} $qps"
    CPU[$server]="${CPU[$server]:-} $us"
    printf 'round %d  %-6s apex A %12.0f q/s  %6.2f us CPU/query\n' "$round" "$server" "$qps" "$us"
  done
done

echo
echo "median of $ROUNDS runs of ${DURATION}s, dnsperf -c $CLIENTS -q $OUTSTANDING, servers on CPU 0, dnsperf on CPU 1, chain TTL ${CDN_TTL}s"
declare -A M
for key in alias pdns nsd; do
  M[$key]=$(echo "${RATES[$key]}" | median)
  c=$(echo "${CPU[$key]}" | median)
  label=$key
  case $key in alias) label="aliasdns serve, apex ALIAS";; pdns) label="PowerDNS, apex ALIAS";; nsd) label="NSD, apex static A";; esac
  printf '  %-26s %12.0f q/s  %6.2f us server CPU per query\n' "$label" "${M[$key]}" "$c"
done
echo "ratios:"
echo "  alias ALIAS / PowerDNS ALIAS = $(ratio "${M[alias]}" "${M[pdns]}")  (target >= 3)"
echo "  alias ALIAS / NSD static A   = $(ratio "${M[alias]}" "${M[nsd]}")  (target >= 0.75)"

if [ "$FAIL_DURATION" -gt 0 ]; then
  echo
  echo "alias-serve-bench: failure test: ${FAIL_DURATION}s at ${FAIL_QPS} q/s each against alias and PowerDNS;"
  echo "  the CDN's NSD stops at ${FAIL_START}s for ${FAIL_OUTAGE}s"
  fail_run() { # port out
    taskset -c 1 dnsperf -s 127.0.0.1 -p "$1" -d "$WORK/q-apex" -l "$FAIL_DURATION" -c 1 -q 100 \
      -Q "$FAIL_QPS" > "$2" 2>&1
  }
  fail_run "$P_ALIAS" "$WORK/fail-alias.txt" &
  F1=$!
  fail_run "$P_PDNS" "$WORK/fail-pdns.txt" &
  F2=$!
  sleep "$FAIL_START"
  kill "$PID_CDN"
  wait "$PID_CDN" 2>/dev/null || true
  PID_CDN=""
  echo "  $(date -u +%T) CDN NSD stopped"
  sleep "$FAIL_OUTAGE"
  start_cdn
  echo "  $(date -u +%T) CDN NSD started again"
  wait "$F1" "$F2" || true
  for s in alias pdns; do
    f="$WORK/fail-$s.txt"
    codes=$(grep 'Response codes:' "$f" | sed 's/.*Response codes: *//' || true)
    servfail=$(echo "$codes" | { grep -o 'SERVFAIL [0-9]*' || true; } | awk '{print $2}')
    completed=$(awk '/Queries completed/ {print $3}' "$f")
    lost=$(awk '/Queries lost/ {print $3}' "$f")
    printf '  %-6s completed %s, lost %s, SERVFAIL %s; response codes: %s\n' \
      "$s" "$completed" "$lost" "${servfail:-0}" "$codes"
  done
  echo "  aliasdns serve's log during the run:"
  sed 's/^/    /' "$WORK/alias.out" "$WORK/alias.err"
fi
