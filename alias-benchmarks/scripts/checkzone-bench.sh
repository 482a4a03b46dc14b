#!/usr/bin/env bash
# Zone-check benchmark: the `aliasdns check` command as a user runs it, beside the C checkers,
# on the same generated zones of 100k and 1M records, in one run, interleaved.
#
#   alias    ./aliasdns check FILE              the launcher at the top of the checkout, with the
#                                               JVM settings it chooses (and its class-data archive)
#   jar      java -jar aliasdns.jar check FILE  the executable jar on the JVM's defaults
#   named    named-checkzone -i local ZONE FILE (BIND)
#   nsd      nsd-checkzone ZONE FILE            (NSD)
#   knot     kzonecheck -o ZONE FILE            (Knot)
#
# Reports the median wall time and peak RSS of each, and ours against the fastest C checker.
#
# Usage: alias-benchmarks/scripts/checkzone-bench.sh
# Environment:
#   SIZES="100000 1000000"  record counts to generate (5% CNAME, 1% ALIAS each)
#   REPS=5                  repetitions per tool and size (the median is reported)
#   SEED=20240601           generator seed; the same seed gives the same zone
#   TOOLS="alias jar named nsd knot"   which rows to time
#   SKIP_BUILD=1            use the jars already built
#   KEEP=1                  keep the work directory with the zones and raw timings
#
# Nothing here touches the network: named-checkzone runs with -i local only (in-zone checks),
# nsd-checkzone and kzonecheck never resolve, and aliasdns check has no resolver.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIZES="${SIZES:-100000 1000000}"
REPS="${REPS:-5}"
SEED="${SEED:-20240601}"
ZONE=example.com
BENCH_JAR="$ROOT/alias-benchmarks/target/alias-benchmarks.jar"
CLI_JAR="$ROOT/alias-cli/target/aliasdns.jar"
read -r -a TOOLS <<<"${TOOLS:-alias jar named nsd knot}"

missing=()
command -v java >/dev/null || missing+=("openjdk-17-jdk-headless (java)")
command -v named-checkzone >/dev/null || missing+=("bind9-utils (named-checkzone)")
command -v nsd-checkzone >/dev/null || missing+=("nsd (nsd-checkzone)")
command -v kzonecheck >/dev/null || missing+=("knot-dnssecutils (kzonecheck)")
[ -x /usr/bin/time ] || missing+=("time (/usr/bin/time)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing tools; on Debian install them with:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  echo "  sudo apt-get install openjdk-17-jdk-headless bind9-utils nsd knot-dnssecutils time" >&2
  exit 2
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building alias-cli and alias-benchmarks ..." >&2
  (cd "$ROOT" && ./mvnw -q -B -pl alias-cli,alias-benchmarks -am package -DskipTests)
fi
for j in "$BENCH_JAR" "$CLI_JAR"; do
  [ -f "$j" ] || { echo "no $j; build first" >&2; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/checkzone-bench.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then
  echo "work directory: $WORK" >&2
else
  trap 'rm -rf "$WORK"' EXIT
fi

for n in $SIZES; do
  echo "generating $n records ..." >&2
  java -cp "$BENCH_JAR" org.aliasdns.benchmarks.ZoneGenerator "$n" "$WORK/zone-$n" "$SEED"
done

command_for() { # tool zonefile
  case "$1" in
    alias) echo "$ROOT/aliasdns check $2" ;;
    jar) echo "java -jar $CLI_JAR check $2" ;;
    named) echo "named-checkzone -i local $ZONE $2" ;;
    nsd) echo "nsd-checkzone $ZONE $2" ;;
    knot) echo "kzonecheck -o $ZONE $2" ;;
    *) echo "unknown tool $1" >&2; exit 2 ;;
  esac
}

# Like with like: every tool must accept every zone before anything is timed. This pass is
# also the launcher's first run after a build, which writes its class-data archive.
for n in $SIZES; do
  for t in "${TOOLS[@]}"; do
    cmd="$(command_for "$t" "$WORK/zone-$n")"
    if ! $cmd >"$WORK/check-$t-$n.out" 2>&1; then
      echo "REFUSING TO COMPARE: $t reports the $n-record zone invalid:" >&2
      echo "  $cmd" >&2
      tail -20 "$WORK/check-$t-$n.out" >&2
      exit 1
    fi
  done
  echo "all tools (${TOOLS[*]}) accept the $n-record zone" >&2
done

RAW="$WORK/raw.txt"
: >"$RAW"
for n in $SIZES; do
  for ((r = 1; r <= REPS; r++)); do
    # Interleave the tools so that noise on a shared machine hits them alike.
    for t in "${TOOLS[@]}"; do
      cmd="$(command_for "$t" "$WORK/zone-$n")"
      if ! /usr/bin/time -f '%e %M %U %S' -o "$WORK/time.out" $cmd >/dev/null 2>&1; then
        echo "$t failed on the $n-record zone during timing" >&2
        exit 1
      fi
      read -r wall rss user sys <"$WORK/time.out"
      echo "$n $t $wall $rss $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" >>"$RAW"
    done
  done
done

echo
echo "$(java -version 2>&1 | head -1); $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $REPS runs; wall and CPU (user+system) in seconds, peak RSS in MiB"
awk -v tools="${TOOLS[*]}" '
  function median(list,    a, k, i, j, t) {
    k = split(list, a, " ")
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  { key = $1 " " $2
    wall[key] = wall[key] " " $3; rss[key] = rss[key] " " $4; cpu[key] = cpu[key] " " $5
    if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1 } }
  END {
    nt = split(tools, tl, " ")
    printf "%-9s %-6s %8s %8s %8s %9s %12s\n", "records", "tool", "wall s", "min s", "CPU s", "RSS MiB", "/fastest C"
    for (s = 1; s <= ns; s++) {
      n = order[s]; fastest = ""
      for (i = 1; i <= nt; i++) {
        m[tl[i]] = median(wall[n " " tl[i]])
        if (tl[i] != "alias" && tl[i] != "jar" && (fastest == "" || m[tl[i]] < fastest)) fastest = m[tl[i]]
      }
      for (i = 1; i <= nt; i++) {
        t = tl[i]; k = split(wall[n " " t], w, " "); mn = w[1]; for (j = 2; j <= k; j++) if (w[j] + 0 < mn + 0) mn = w[j]
        ratio = (fastest != "" && (t == "alias" || t == "jar")) ? sprintf("%12.2f", m[t] / fastest) : ""
        printf "%-9s %-6s %8.2f %8.2f %8.2f %9.0f %s\n", n, t, m[t], mn, median(cpu[n " " t]), median(rss[n " " t]) / 1024, ratio
      }
    }
  }' "$RAW"
