#!/usr/bin/env bash
# `aliasdns serve --config` with many zones, beside NSD serving the same zones flattened, in one
# run. Generates ZONES zones holding ALIASES aliases (ALIASES / ZONES per zone: the apex and
# a1, a2, ...) over TARGETS distinct targets t0..t(TARGETS-1).example.net., plus one target
# hot.example.net. (TTL 1 s) at the apex of the first SHARED zones instead of their usual one.
# The upstream is CountingUpstream (alias-benchmarks: the testkit's FakeDns on loopback, which
# counts the questions it gets); a NOTIFY listener on loopback is the secondary (remote:) and
# records when each NOTIFY arrives. Prints:
#   start      time from launching aliasdns to the last zone answering (every zone is served
#              in one batch), and the JVM's CPU time by then
#   upstream   questions the upstream got during start, beside one per distinct target and
#              family (the target)
#   memory     aliasdns: RSS, and heap used after a full GC (jcmd GC.heap_info); NSD: RSS and
#              PSS summed over its processes (PSS shares the pages its forks share); each per
#              served record, and aliasdns RSS / NSD PSS (the target: <= 2)
#   notify     after the hot target moves: from the move, and from the upstream first
#              answering the new address, to the first and the last NOTIFY of the SHARED zones
#              that use it (the wait before the upstream is asked is the TTL, at least 5 s: the
#              monitor's minimum refresh, plus up to 5 s of jitter)
#   dnsperf    queries per second over a query file spanning every zone (apex A and AAAA, an
#              alias's A, a static name), after one uncounted round each, ROUNDS rounds
#              alternating aliasdns and NSD, each pinned to CPU 0 and dnsperf to CPU 1; the
#              median ratio (target >= 0.9), and the server's CPU per query
#   ixfr       bytes of the IXFR of z0 from serial 1 (after the move) beside its AXFR (dig +stat)
# The flattened zones NSD serves are written by the generator from the upstream's addressing
# rule (CountingUpstream's javadoc); the script checks that aliasdns's AXFR of the last zone
# holds the same records as NSD's before it measures.
#
# Usage: alias-benchmarks/scripts/many-zones.sh
# Environment:
#   ZONES=10000  ALIASES=100000  TARGETS=5000  SHARED=1000
#   DURATION=10  seconds per dnsperf run       ROUNDS=2  rounds per server (median)
#   CLIENTS=8    OUTSTANDING=200  dnsperf -c and -q
#   JAVA_OPTS=...  JVM flags for serve (ALIASDNS_JAVA_OPTS of the launcher; unset: the
#                  launcher's settings for serve)
#   SKIP_BUILD=1  use the jars already built   KEEP=1  keep the work directory
#   HISTOGRAM=1   also write aliasdns's class histogram (jcmd GC.class_histogram) there
# A small run takes seconds: ZONES=200 ALIASES=2000 TARGETS=100 SHARED=50 DURATION=3 ROUNDS=1
#
# Traffic stays on 127.0.0.1, between processes this script starts and stops.
# Needs: dnsperf, nsd, dig, java (jcmd), python3, taskset.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAME=many-zones
# shellcheck source=lib.sh
. "$ROOT/alias-benchmarks/scripts/lib.sh"
ZONES="${ZONES:-10000}"
ALIASES="${ALIASES:-100000}"
TARGETS="${TARGETS:-5000}"
SHARED="${SHARED:-1000}"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-2}"
CLIENTS="${CLIENTS:-8}"
OUTSTANDING="${OUTSTANDING:-200}"
BENCH_JAR="$ROOT/alias-benchmarks/target/alias-benchmarks.jar"

require_tools "dnsperf nsd bind9-dnsutils util-linux" dnsperf nsd dig java jcmd python3 taskset
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -pl alias-cli,alias-benchmarks -am package)
fi
[ "$SHARED" -le "$ZONES" ] || { echo "$NAME: SHARED must be at most ZONES" >&2; exit 2; }

WORK="$(mktemp -d /tmp/many-zones.XXXXXX)"
PIDS=()
cleanup() {
  exec 3>&- 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "work directory kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }

# ---- the upstream: CountingUpstream, commands on fd 3, answers in upstream.out
mkfifo "$WORK/upstream.in"
java -cp "$BENCH_JAR" org.aliasdns.benchmarks.CountingUpstream "$TARGETS" \
  < "$WORK/upstream.in" > "$WORK/upstream.out" 2> "$WORK/upstream.err" &
PIDS+=($!)
exec 3> "$WORK/upstream.in"
for _ in $(seq 1 300); do grep -q '^listening' "$WORK/upstream.out" && break; sleep 0.1; done
UP_PORT=$(awk '/^listening/ {print $2}' "$WORK/upstream.out")
[ -n "$UP_PORT" ] || { echo "$NAME: the upstream did not start" >&2; cat "$WORK/upstream.err" >&2; exit 1; }
upstream() { # command word -> sends the command, waits for the answer line starting with the
  # word, then prints every line the command printed (a move prints "moved" and "asked")
  local before
  before=$(wc -l < "$WORK/upstream.out")
  echo "$1" >&3
  for _ in $(seq 1 1200); do
    if tail -n +"$((before + 1))" "$WORK/upstream.out" | grep -q "^$2"; then
      tail -n +"$((before + 1))" "$WORK/upstream.out"
      return
    fi
    sleep 0.1
  done
  echo "$NAME: no '$2' from the upstream after '$1'" >&2
  exit 1
}

# ---- the NOTIFY listener: acknowledges each NOTIFY, writes "epoch_ms zone serial"
NOTIFY_PORT=$(free_port)
cat > "$WORK/notify.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
out = open(sys.argv[2], "a", buffering=1)
while True:
    data, peer = s.recvfrom(65535)
    at = int(time.time() * 1000)
    if len(data) < 12 or (data[2] >> 3) & 0xF != 4:   # opcode 4: NOTIFY (RFC 1996)
        continue
    i, labels = 12, []
    while data[i]:
        labels.append(data[i + 1:i + 1 + data[i]].decode("ascii", "replace"))
        i += data[i] + 1
    qend = i + 5
    serial = "?"
    # the SOA in the answer section: name (a pointer or labels), type, class, ttl, rdlength,
    # rdata = mname, rname, then the serial
    try:
        j = qend
        j = j + 2 if data[j] & 0xC0 == 0xC0 else data.index(0, j) + 1
        j += 10
        for _ in range(2):
            while data[j]:
                if data[j] & 0xC0 == 0xC0:
                    j += 1
                    break
                j += data[j] + 1
            j += 1
        serial = int.from_bytes(data[j:j + 4], "big")
    except (IndexError, ValueError):
        pass
    out.write("%d %s. %s\n" % (at, ".".join(labels), serial))
    reply = bytearray(data[:qend])
    reply[2] |= 0x80                      # QR
    reply[6:12] = b"\0\0\0\0\0\0"          # no answer, authority or additional records
    s.sendto(bytes(reply), peer)
EOF
: > "$WORK/notify.log"
python3 "$WORK/notify.py" "$NOTIFY_PORT" "$WORK/notify.log" &
PIDS+=($!)

# ---- the zones: aliasdns's sources, NSD's flattened copies, the configs and the queries
PORT=$(free_port)
NSD_PORT=$(free_port)
mkdir -p "$WORK/zones" "$WORK/nsd"
python3 - "$WORK" "$ZONES" "$ALIASES" "$TARGETS" "$SHARED" "$PORT" "$UP_PORT" "$NOTIFY_PORT" \
    "$NSD_PORT" <<'EOF'
import random, sys
work, zones, aliases, targets, shared, port, up, notify, nsd_port = sys.argv[1:]
zones, aliases, targets, shared = int(zones), int(aliases), int(targets), int(shared)
per = max(1, aliases // zones)
head = ("$TTL 300\n@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 3600 NS ns1\n"
        "ns1 3600 A 192.0.2.53\nwww 300 A 192.0.2.80\n")
used, records, queries = set(), 0, []
def addresses(target):
    if target == "hot":
        return "192.0.2.1", "2001:db8:1::1"
    k = int(target[1:])
    return "198.51.100.%d" % (k % 250 + 1), "2001:db8::%x" % k
with open(work + "/aliasdns.yaml", "w") as conf, open(work + "/nsd.conf", "w") as nsd:
    conf.write("server:\n  listen: 127.0.0.1:%s\n  upstreams: [127.0.0.1:%s]\n"
               "remote:\n  - id: listener\n    address: 127.0.0.1:%s\nzone:\n"
               % (port, up, notify))
    nsd.write("server:\n  ip-address: 127.0.0.1@%s\n  port: %s\n  username: \"\"\n"
              "  chroot: \"\"\n  zonesdir: \"%s/nsd\"\n  database: \"\"\n"
              "  zonelistfile: \"%s/zone.list\"\n  xfrdfile: \"%s/xfrd.state\"\n"
              "  pidfile: \"%s/nsd.pid\"\n  logfile: \"%s/nsd.log\"\n  server-count: 1\n"
              "  verbosity: 0\nremote-control:\n  control-enable: no\n"
              % (nsd_port, nsd_port, work, work, work, work, work))
    for i in range(zones):
        origin = "z%d.example." % i
        src, flat = [head], [head]
        for j in range(per):
            owner = "@" if j == 0 else "a%d" % j
            target = "hot" if (j == 0 and i < shared) else "t%d" % ((i * per + j) % targets)
            used.add(target)
            src.append("%s 300 ALIAS %s.example.net.\n" % (owner, target))
            a, aaaa = addresses(target)
            ttl = 1 if target == "hot" else 300
            flat.append("%s %d A %s\n%s %d AAAA %s\n" % (owner, ttl, a, owner, ttl, aaaa))
        records += 4 + 2 * per
        open("%s/zones/z%d.zone" % (work, i), "w").write("".join(src))
        open("%s/nsd/z%d.zone" % (work, i), "w").write("".join(flat))
        conf.write("  - domain: %s\n    file: zones/z%d.zone\n" % (origin, i))
        nsd.write("zone:\n  name: %s\n  zonefile: z%d.zone\n  provide-xfr: 127.0.0.1 NOKEY\n"
                  % (origin, i))
        queries += ["%s A" % origin, "%s AAAA" % origin, "www.%s A" % origin]
        if per > 1:
            queries.append("a%d.%s A" % (1 + i % (per - 1), origin))
random.Random(7).shuffle(queries)
open(work + "/queries", "w").write("\n".join(queries) + "\n")
open(work + "/counts", "w").write("%d %d %d\n" % (records, len(used), zones * per))
EOF
read -r RECORDS DISTINCT ALIAS_COUNT < "$WORK/counts"
LAST="z$((ZONES - 1)).example."
echo "zones $ZONES, aliases $ALIAS_COUNT over $DISTINCT distinct targets (hot.example.net. at the apex of $SHARED zones), $RECORDS records served"

# ---- aliasdns: from launch to the last zone answering
START=$(now_ms)
if [ -n "${JAVA_OPTS:-}" ]; then export ALIASDNS_JAVA_OPTS="$JAVA_OPTS"; fi
"$ROOT/aliasdns" serve --config "$WORK/aliasdns.yaml" > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVE=$!
PIDS+=($SERVE)
until dig @127.0.0.1 -p "$PORT" +short +time=1 +tries=1 "$LAST" A 2>/dev/null | grep -q .; do
  kill -0 "$SERVE" 2>/dev/null || { echo "$NAME: aliasdns serve ended" >&2; tail "$WORK/serve.err" >&2; exit 1; }
  sleep 0.2
done
SERVING=$(now_ms)
START_TICKS=$(cpu_ticks "$SERVE")
echo "start      aliasdns: $(awk -v a="$START" -v b="$SERVING" 'BEGIN {printf "%.1f", (b - a) / 1000}') s from launch to the last zone answering; JVM CPU $(awk -v t="$START_TICKS" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}') s"
read -r _ TOTAL _ QA _ QAAAA _ QHOT <<< "$(upstream count queries | grep '^queries')"
echo "upstream   $TOTAL questions at start (A $QA, AAAA $QAAAA, hot $QHOT); one per distinct target and family: $((DISTINCT * 2))"

# ---- NSD on the flattened copies
NSD_START=$(now_ms)
nsd -d -c "$WORK/nsd.conf" &
NSD=$!
PIDS+=($NSD)
for _ in $(seq 1 3000); do
  dig @127.0.0.1 -p "$NSD_PORT" +short +time=1 +tries=1 "$LAST" A 2>/dev/null | grep -q . && break
  sleep 0.2
done
echo "start      nsd: $(awk -v a="$NSD_START" -v b="$(now_ms)" 'BEGIN {printf "%.1f", (b - a) / 1000}') s from launch to the last zone answering"

records_of() { # port zone -> the AXFR's records as "name type rdata", sorted, SOA left out
  dig @127.0.0.1 -p "$1" +tcp +nocmd +nostats +noall +answer "$2" AXFR \
    | awk '$4 != "SOA" {$2 = ""; print}' | sort -u
}
if ! diff <(records_of "$PORT" "$LAST") <(records_of "$NSD_PORT" "$LAST") > "$WORK/axfr.diff"; then
  echo "$NAME: aliasdns and NSD serve $LAST differently:" >&2
  head "$WORK/axfr.diff" >&2
  exit 1
fi

# ---- memory, both idle: once the NOTIFYs of the start (one per zone) are all in, so that
# none is still queued in the notifier
for _ in $(seq 1 3000); do
  [ "$(wc -l < "$WORK/notify.log")" -ge "$ZONES" ] && break
  sleep 0.1
done
echo "notify     $(wc -l < "$WORK/notify.log") NOTIFYs at start; the last arrived $(awk -v a="$START" '{if ($1 > m) m = $1} END {printf "%.1f", (m - a) / 1000}' "$WORK/notify.log") s after launch"
sleep 2
jcmd "$SERVE" GC.run > /dev/null
# Heap used: G1 prints one "garbage-first heap total ..., used ...K" line, Serial and Parallel
# one per generation: every "total ..., used" line but the metaspace's is summed.
HEAP_KB=$(jcmd "$SERVE" GC.heap_info | awk '/total/ && /used/ && !/[Mm]etaspace|class space/ {
  for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K.*/, "", v); sum += v}} END {print sum + 0}')
RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVE/status")
NSD_RSS=0
NSD_PSS=0
for p in $(descendants "$NSD"); do
  NSD_RSS=$((NSD_RSS + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  NSD_PSS=$((NSD_PSS + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
done
per_record() { awk -v kb="$1" -v n="$RECORDS" 'BEGIN {printf "%.0f", kb * 1024 / n}'; }
echo "memory     aliasdns: RSS $((RSS_KB / 1024)) MiB ($(per_record "$RSS_KB") B/record), heap used after GC $((HEAP_KB / 1024)) MiB ($(per_record "$HEAP_KB") B/record)"
echo "memory     nsd: RSS $((NSD_RSS / 1024)) MiB summed over its processes, PSS $((NSD_PSS / 1024)) MiB ($(per_record "$NSD_PSS") B/record)"
echo "memory     aliasdns RSS / nsd PSS: $(ratio "$RSS_KB" "$NSD_PSS") (target <= 2)"
if [ -n "${HISTOGRAM:-}" ]; then
  jcmd "$SERVE" GC.class_histogram > "$WORK/histogram.txt"
  # with -XX:NativeMemoryTracking=summary in JAVA_OPTS, where the rest of the RSS is
  jcmd "$SERVE" VM.native_memory summary > "$WORK/native-memory.txt" 2>&1 || true
  echo "memory     the heap's classes: $WORK/histogram.txt (KEEP=1 keeps it)"
fi

# ---- one move of the hot target: NOTIFY of every zone that uses it
BEFORE=$(wc -l < "$WORK/notify.log")
upstream move asked > "$WORK/move.out"
MOVED=$(awk '/^moved/ {print $2}' "$WORK/move.out")
ASKED=$(awk '/^asked/ {print $2}' "$WORK/move.out")
for _ in $(seq 1 1200); do
  [ "$(tail -n +"$((BEFORE + 1))" "$WORK/notify.log" | awk '$3 == 2' | wc -l)" -ge "$SHARED" ] && break
  sleep 0.1
done
tail -n +"$((BEFORE + 1))" "$WORK/notify.log" | awk '$3 == 2' > "$WORK/notify.moved"
GOT=$(wc -l < "$WORK/notify.moved")
FIRST=$(awk 'NR == 1 || $1 < m {m = $1} END {print m}' "$WORK/notify.moved")
LATEST=$(awk 'NR == 1 || $1 > m {m = $1} END {print m}' "$WORK/notify.moved")
OTHERS=$(tail -n +"$((BEFORE + 1))" "$WORK/notify.log" | awk '$3 != 2' | wc -l)
echo "notify     $GOT of $SHARED zones notified with serial 2 ($OTHERS other NOTIFYs); move -> last NOTIFY $((LATEST - MOVED)) ms; upstream answered the new address -> first NOTIFY $((FIRST - ASKED)) ms, -> last $((LATEST - ASKED)) ms"

# ---- dnsperf, alternating, each server on CPU 0
taskset -a -cp 0 "$SERVE" > /dev/null
for p in $(descendants "$NSD"); do taskset -a -cp 0 "$p" > /dev/null; done
ALIAS_QPS=()
NSD_QPS=()
# One round each first, not counted: the JVM compiles the answer path under this load.
run "$PORT" "$WORK/queries" "$DURATION" > /dev/null
run "$NSD_PORT" "$WORK/queries" "$DURATION" > /dev/null
for round in $(seq 1 "$ROUNDS"); do
  for server in aliasdns nsd; do
    if [ "$server" = aliasdns ]; then pid=$SERVE; port=$PORT; else pid=$NSD; port=$NSD_PORT; fi
    t0=$(cpu_ticks "$pid")
    read -r qps done <<< "$(run "$port" "$WORK/queries" "$DURATION")"
    t1=$(cpu_ticks "$pid")
    echo "dnsperf    round $round $server: $qps q/s, $done queries, $(us_per_query $((t1 - t0)) "$done") us CPU/query"
    if [ "$server" = aliasdns ]; then ALIAS_QPS+=("$qps"); else NSD_QPS+=("$qps"); fi
  done
done
A_MED=$(echo "${ALIAS_QPS[*]}" | median)
N_MED=$(echo "${NSD_QPS[*]}" | median)
echo "dnsperf    median aliasdns $A_MED q/s, nsd $N_MED q/s: $(ratio "$A_MED" "$N_MED")x (target >= 0.9)"

# ---- IXFR after the move beside the AXFR, zone z0 (one of the zones the move changed)
xfr_bytes() { dig @127.0.0.1 -p "$PORT" +tcp "$@" | awk '/XFR size/ {for (i = 1; i <= NF; i++) if ($i == "bytes") {v = $(i + 1); sub(/\).*/, "", v); print v}}'; }
echo "ixfr       z0.example. from serial 1: $(xfr_bytes z0.example. IXFR=1) bytes; AXFR: $(xfr_bytes z0.example. AXFR) bytes"
grep -E 'WARN|ERROR' "$WORK/serve.err" | head -3 || true
