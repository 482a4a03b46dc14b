#!/usr/bin/env bash
# Signed serving benchmark: queries with the DO bit (dnsperf -D, RFC 3225) per second on
# loopback, for
#   alias  `aliasdns serve ZONE --key K` (the flattened zone signed in process, DO=1 answered by
#          SignedAnswerer with RRSIGs and NSEC/NSEC3 proofs), its target served by an NSD
#   nsd    NSD serving the same signed zone: what aliasdns serve hands out by AXFR
# side by side in the same run, in alternating rounds; servers pinned to CPU 0 and dnsperf to
# CPU 1 (taskset). Questions, each measured on its own: the apex ALIAS's A (a positive answer
# with its RRSIG), a static A, the apex MX (additional section with its RRSIGs), an
# NXDOMAIN (the SOA and the denial proofs with their RRSIGs) and a AAAA NODATA at a name that
# has only A. Reports medians, the server CPU time per query (from /proc) and alias/NSD per
# question (target >= 0.9).
#
# Usage: alias-benchmarks/scripts/signed-serve-bench.sh
# Environment:
#   DURATION=10    seconds per dnsperf run         ROUNDS=3       measured rounds (median)
#   CLIENTS=8      dnsperf -c                      OUTSTANDING=200 dnsperf -q
#   DENIAL=nsec    nsec or nsec3                   UDP_THREADS=1  aliasdns serve --udp-threads
#   JAVA_OPTS=...  JVM flags for aliasdns serve    SKIP_BUILD=1   use the jar already built
#   KEEP=1         keep the work directory
#
# Traffic stays on 127.0.0.1, between processes this script starts and stops.
# Needs: dnsperf, nsd, dig, dnssec-keygen (bind9-utils), taskset.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAME=signed-serve-bench
# shellcheck source=lib.sh
. "$ROOT/alias-benchmarks/scripts/lib.sh"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
CLIENTS="${CLIENTS:-8}"
OUTSTANDING="${OUTSTANDING:-200}"
DENIAL="${DENIAL:-nsec}"
UDP_THREADS="${UDP_THREADS:-1}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}"
JAR="$ROOT/alias-cli/target/aliasdns.jar"
DNSPERF_OPTS="-D"

require_tools "dnsperf nsd bind9-dnsutils bind9-utils" dnsperf nsd dig dnssec-keygen taskset java python3
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -pl alias-cli -am package)
fi

WORK="$(mktemp -d /tmp/signed-serve-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "$NAME: kept $WORK"; fi
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

# The target's zone, served by an NSD that aliasdns serve asks.
cat > "$WORK/example.net.zone" <<'ZONE'
$TTL 300
example.net. 3600 IN SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 1209600 300
example.net. 3600 IN NS ns1.example.net.
ns1.example.net. 3600 IN A 198.51.100.53
cdn.example.net. 300 IN CNAME edge.cdn.example.net.
edge.cdn.example.net. 300 IN A 192.0.2.10
ZONE
P_CDN=$(free_port)
nsd_conf cdn "$P_CDN" example.net example.net.zone
taskset -c 0 nsd -d -c "$WORK/cdn.conf" > "$WORK/cdn.out" 2>&1 &
PIDS+=($!)
wait_answer "$P_CDN" cdn.example.net CNAME

write_zones "$WORK"
KEY="$(cd "$WORK" && dnssec-keygen -q -K . -a ECDSAP256SHA256 -f KSK example.com)"
n3=""; [ "$DENIAL" = nsec3 ] && n3="--nsec3"

# aliasdns serve, signing
P_ALIAS=$(free_port)
# shellcheck disable=SC2086
taskset -c 0 java $JAVA_OPTS -jar "$JAR" serve "$WORK/alias.zone" \
  --listen "127.0.0.1:$P_ALIAS" --upstream "127.0.0.1:$P_CDN" --key "$WORK/$KEY" $n3 \
  --udp-threads "$UDP_THREADS" > "$WORK/alias.out" 2> "$WORK/alias.err" &
PIDS+=($!)
PID_ALIAS=$!
wait_answer "$P_ALIAS" example.com

# NSD serving what aliasdns serve transfers
dig @127.0.0.1 -p "$P_ALIAS" +tcp +nocmd +nostats +nocomments +noquestion example.com AXFR \
  | grep -v '^;' | awk 'NF' | sed '$d' > "$WORK/signed.zone"   # the closing SOA left out
grep -q RRSIG "$WORK/signed.zone" || { echo "$NAME: the AXFR holds no RRSIG" >&2; exit 1; }
P_NSD=$(free_port)
nsd_conf signed "$P_NSD" example.com signed.zone
taskset -c 0 nsd -d -c "$WORK/signed.conf" > "$WORK/signed.out" 2>&1 &
PIDS+=($!)
PID_NSD=$!
wait_answer "$P_NSD" example.com

printf 'example.com A\n' > "$WORK/q-apex"
printf 'www.example.com A\n' > "$WORK/q-static"
printf 'example.com MX\n' > "$WORK/q-mx"
printf 'nope.example.com A\n' > "$WORK/q-nxdomain"
printf 'www.example.com AAAA\n' > "$WORK/q-nodata"
QUESTIONS="apex static mx nxdomain nodata"

# The two must give the same signed answers (RRSIGs included) before they are compared: the
# answer section, and for the negative answers the authority section with its proofs (NSD adds
# the apex NS RRset to the authority section of positive answers, which is optional).
for q in $QUESTIONS; do
  read -r qname qtype < "$WORK/q-$q"
  sections="+answer"
  case "$q" in nxdomain|nodata) sections="+answer +authority" ;; esac
  # shellcheck disable=SC2086
  a=$(dig @127.0.0.1 -p "$P_ALIAS" +dnssec +norec +noall $sections "$qname" "$qtype" | sort)
  # shellcheck disable=SC2086
  n=$(dig @127.0.0.1 -p "$P_NSD" +dnssec +norec +noall $sections "$qname" "$qtype" | sort)
  echo "$a" | grep -q RRSIG || { echo "$NAME: $q from aliasdns serve has no RRSIG:" >&2; echo "$a" >&2; exit 1; }
  if [ "$a" != "$n" ]; then
    echo "$NAME: $q: aliasdns serve and NSD differ:" >&2; diff <(echo "$a") <(echo "$n") >&2
    exit 1
  fi
done
echo "$NAME: aliasdns serve and NSD give the same signed answers to: $QUESTIONS"

echo "$NAME: warming up (JIT, caches)"
for p in "$P_ALIAS" "$P_NSD"; do
  for q in $QUESTIONS; do run "$p" "$WORK/q-$q" 2 > /dev/null; done
done

declare -A RATES CPU
for round in $(seq 1 "$ROUNDS"); do
  for q in $QUESTIONS; do
    for c in "alias:$P_ALIAS:$PID_ALIAS" "nsd:$P_NSD:$PID_NSD"; do
      IFS=: read -r server port pid <<< "$c"
      before=$(cpu_ticks "$pid")
      read -r qps done <<< "$(run "$port" "$WORK/q-$q" "$DURATION")"
      after=$(cpu_ticks "$pid")
      us=$(us_per_query $((after - before)) "$done")
      RATES[$server:$q]="${RATES[$server:$q]:-} $qps"
      CPU[$server:$q]="${CPU[$server:$q]:-} $us"
      printf 'round %d  %-5s %-8s %12.0f q/s  %6.2f us CPU/query\n' "$round" "$server" "$q" "$qps" "$us"
    done
  done
done

echo
echo "DO=1 (dnsperf -D), $DENIAL, median of $ROUNDS runs of ${DURATION}s, dnsperf -c $CLIENTS -q $OUTSTANDING, servers on CPU 0, dnsperf on CPU 1; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-9s %12s %8s %12s %8s %10s %10s\n' question "alias q/s" "us CPU" "nsd q/s" "us CPU" "alias/nsd" "CPU ratio"
for q in $QUESTIONS; do
  ar=$(echo "${RATES[alias:$q]}" | median); nr=$(echo "${RATES[nsd:$q]}" | median)
  ac=$(echo "${CPU[alias:$q]}" | median); nc=$(echo "${CPU[nsd:$q]}" | median)
  printf '  %-9s %12.0f %8.2f %12.0f %8.2f %10s %10s\n' "$q" "$ar" "$ac" "$nr" "$nc" "$(ratio "$ar" "$nr")" "$(ratio "$ac" "$nc")"
done
echo "(target: alias/nsd >= 0.9 in q/s; CPU ratio = alias's server CPU per query / NSD's)"
