#!/usr/bin/env bash
# Zone-check benchmark: reads and validates generated zones of 100k and 1M records with our
# CheckZone (ZoneFileReader + ZoneValidator) and, side by side in the same run, with
# named-checkzone -i local (BIND), nsd-checkzone (NSD) and kzonecheck (Knot), on the same file.
# Reports median wall time and peak RSS per tool, and our ratios to named-checkzone and to the
# fastest of the three.
#
# Usage: alias-benchmarks/scripts/checkzone-bench.sh
# Environment:
#   SIZES="100000 1000000"  record counts to generate (5% CNAME, 1% ALIAS each)
#   REPS=3                  repetitions per tool and size (the median is reported)
#   SEED=20240601           generator seed; the same seed gives the same zone
#   JAVA_OPTS=...           replaces the JVM flags below (see "JVM flags")
#   NO_CDS=1                do not build and use an AppCDS archive
#   SKIP_BUILD=1            use the jar already in alias-benchmarks/target
#   KEEP=1                  keep the work directory with the zones and raw timings
#   FLOOR=1                 also time "dnsjava": dnsjava's Master parsing the file and
#                           dropping the records (same JVM flags): the floor under CheckZone
#
# Nothing here touches the network: named-checkzone runs with -i local only (in-zone checks),
# nsd-checkzone and kzonecheck never resolve, and CheckZone has no resolver.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIZES="${SIZES:-100000 1000000}"
REPS="${REPS:-3}"
SEED="${SEED:-20240601}"
ZONE=example.com
JAR="$ROOT/alias-benchmarks/target/alias-benchmarks.jar"

# JVM flags (peak RSS is measured, so the JVM gets no more than it needs). Nearly everything a
# check allocates is either garbage at once (tokens, strings) or kept to the end (the zone), so
# the best collection is few young collections that copy each survivor once:
#   -XX:+UseParallelGC         throughput collector; on this 2-core box it beat G1 (default)
#                              and Serial, whose extra young/full collections cost seconds
#   -Xms1g -Xmx1g              a fixed 1 GiB heap: the 1M-record zone is ~300 MB live at the
#                              end; a fixed size keeps the old generation from being resized
#                              (which forced full collections); untouched pages cost no RSS
#   -Xmn600m -XX:SurvivorRatio=32 -XX:MaxTenuringThreshold=0 -XX:-UseAdaptiveSizePolicy
#                              a large eden and promotion at the first collection: no
#                              collection at all for 100k records, one for 1M, each survivor
#                              copied once instead of bouncing between survivor spaces
#   -Xss512k                   the reader does not recurse
#   -XX:-UsePerfData           no hsperfdata file to map and update
#   -XX:SharedArchiveFile      AppCDS archive of the classes a check loads, made below by a
#                              training run on the smallest zone; cuts JVM start-up
# Not used: -XX:TieredStopAtLevel=1 (C1 only) helps 100k records but is ~2x slower on 1M.
DEFAULT_JAVA_OPTS="-XX:+UseParallelGC -Xms1g -Xmx1g -Xmn600m -XX:SurvivorRatio=32 -XX:MaxTenuringThreshold=0 -XX:-UseAdaptiveSizePolicy -Xss512k -XX:-UsePerfData"
JAVA_OPTS="${JAVA_OPTS:-$DEFAULT_JAVA_OPTS}"

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
  echo "building alias-benchmarks ..." >&2
  (cd "$ROOT" && ./mvnw -q -pl alias-benchmarks -am package -DskipTests)
fi
[ -f "$JAR" ] || { echo "no $JAR; build first" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/checkzone-bench.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then
  echo "work directory: $WORK" >&2
else
  trap 'rm -rf "$WORK"' EXIT
fi

for n in $SIZES; do
  echo "generating $n records ..." >&2
  java -cp "$JAR" org.aliasdns.benchmarks.ZoneGenerator "$n" "$WORK/zone-$n" "$SEED"
done

CDS_OPTS=""
if [ "${NO_CDS:-0}" != 1 ]; then
  smallest="$(printf '%s\n' $SIZES | sort -n | head -1)"
  echo "training an AppCDS archive on $smallest records ..." >&2
  # shellcheck disable=SC2086
  if java $JAVA_OPTS -XX:ArchiveClassesAtExit="$WORK/alias.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
      -cp "$JAR" org.aliasdns.benchmarks.CheckZone -q "$ZONE" "$WORK/zone-$smallest" >/dev/null 2>&1 \
      && [ -s "$WORK/alias.jsa" ]; then
    CDS_OPTS="-XX:SharedArchiveFile=$WORK/alias.jsa -Xlog:cds=off"
  else
    echo "  (AppCDS archive not made; running without it)" >&2
  fi
fi

TOOLS=(alias named nsd knot)
[ "${FLOOR:-0}" = 1 ] && TOOLS+=(dnsjava)
command_for() { # tool zonefile
  case "$1" in
    # shellcheck disable=SC2086
    alias) echo "java $JAVA_OPTS $CDS_OPTS -cp $JAR org.aliasdns.benchmarks.CheckZone -q $ZONE $2" ;;
    named) echo "named-checkzone -i local $ZONE $2" ;;
    nsd) echo "nsd-checkzone $ZONE $2" ;;
    knot) echo "kzonecheck -o $ZONE $2" ;;
    dnsjava) echo "java $JAVA_OPTS $CDS_OPTS -cp $JAR org.aliasdns.benchmarks.DnsjavaParseOnly $ZONE $2" ;;
  esac
}

# Like with like: every tool must accept every zone before anything is timed. (The AppCDS
# training run above already read the smallest zone; a broken zone is caught here.)
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
  grep -h 'records' "$WORK/check-alias-$n.out" >&2 || true
done

RAW="$WORK/raw.txt"
: >"$RAW"
for n in $SIZES; do
  for ((r = 1; r <= REPS; r++)); do
    # Interleave the tools so that noise on a shared machine hits them alike.
    for t in "${TOOLS[@]}"; do
      cmd="$(command_for "$t" "$WORK/zone-$n")"
      if ! /usr/bin/time -f '%e %M' -o "$WORK/time.out" $cmd >/dev/null 2>&1; then
        echo "$t failed on the $n-record zone during timing" >&2
        exit 1
      fi
      read -r wall rss <"$WORK/time.out"
      echo "$n $t $wall $rss" >>"$RAW"
    done
  done
done

echo
echo "JVM flags: $JAVA_OPTS ${CDS_OPTS:+(+ AppCDS archive)}"
echo "median of $REPS runs; wall time in seconds, peak RSS in MiB"
awk -v tools="${TOOLS[*]}" '
  function median(list,    a, k, i, j, t) {
    k = split(list, a, " ")
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  { wall[$1 " " $2] = wall[$1 " " $2] " " $3; rss[$1 " " $2] = rss[$1 " " $2] " " $4
    if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1 } }
  END {
    nt = split(tools, tl, " ")
    printf "%-9s %-8s %9s %9s %10s %14s %14s\n", "records", "tool", "wall s", "min s", "RSS MiB", "alias/named", "alias/fastest"
    for (s = 1; s <= ns; s++) {
      n = order[s]; fastest = ""
      for (i = 1; i <= nt; i++) { m[tl[i]] = median(wall[n " " tl[i]]); if (tl[i] != "alias" && tl[i] != "dnsjava" && (fastest == "" || m[tl[i]] < fastest)) fastest = m[tl[i]] }
      for (i = 1; i <= nt; i++) {
        t = tl[i]; k = split(wall[n " " t], w, " "); mn = w[1]; for (j = 2; j <= k; j++) if (w[j] + 0 < mn + 0) mn = w[j]
        if (t == "alias") printf "%-9s %-8s %9.2f %9.2f %10.0f %14.2f %14.2f\n", n, t, m[t], mn, median(rss[n " " t]) / 1024, m[t] / m["named"], m[t] / fastest
        else printf "%-9s %-8s %9.2f %9.2f %10.0f\n", n, t, m[t], mn, median(rss[n " " t]) / 1024
      }
    }
    if (ns >= 2) {
      a = order[1]; b = order[ns]
      printf "\ngrowth %s -> %s records (x%.0f): ", a, b, b / a
      for (i = 1; i <= nt; i++) { t = tl[i]; printf "%s x%.1f  ", t, median(wall[b " " t]) / median(wall[a " " t]) }
      printf "\n"
    }
  }' "$RAW"
