#!/usr/bin/env bash
# DNSSEC signing benchmark: `aliasdns sign` beside BIND's dnssec-signzone and ldns-signzone on the
# same generated zone (100,000 records by default) with the same key (one ECDSAP256SHA256 combined
# signing key made by dnssec-keygen), NSEC and NSEC3 (RFC 9276: 0 extra iterations, no salt),
# interleaved, then the in-process re-signing after one alias change (time and RRSIGs made).
#
#   alias    ./aliasdns sign ZONE -k KEY -o OUT [--nsec3]    (as a user runs it from a checkout:
#            the launcher's JVM settings for short commands, JDK 17, 2 threads, --crypto auto,
#            i.e. the Amazon Corretto Crypto Provider where it loads, here linux-x86_64)
#   aliasjar java -jar aliasdns.jar sign ... (the JVM's defaults: G1, C2), if listed in TOOLS
#   aliasnss the same as alias with --crypto nss (SunPKCS11 over libnss3), if listed in TOOLS
#   aliasjdk the same as alias with --crypto jdk (the JDK's own P-256 code), if listed in TOOLS
#   alias25  the same as alias on JDK 25, if listed in TOOLS and JDK25_HOME points at one
#   bind     dnssec-signzone -S -z -K DIR -o example.com -f OUT -n 2 ZONE [-3 - -H 0]
#   ldns     ldns-signzone -f OUT ZONE KEY [-n -t 0]                        (single-threaded)
#
# Every output of the first repetition is checked with dnssec-verify (like with like).
# Reports median wall and CPU seconds and ours against the faster C signer.
#
# Usage: alias-benchmarks/scripts/sign-bench.sh
# Environment: RECORDS=100000 REPS=3 SEED=20240601 TOOLS="alias bind ldns"
#              (also: aliasjar aliasnss aliasjdk alias25)
#              DENIALS="nsec nsec3" SKIP_BUILD=1 KEEP=1
# Nothing here touches the network.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RECORDS="${RECORDS:-100000}"
REPS="${REPS:-3}"
SEED="${SEED:-20240601}"
ZONE=example.com
BENCH_JAR="$ROOT/alias-benchmarks/target/alias-benchmarks.jar"
CLI_JAR="$ROOT/alias-cli/target/aliasdns.jar"
LAUNCHER="$ROOT/aliasdns"
JDK25_HOME="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
read -r -a TOOLS <<<"${TOOLS:-alias bind ldns}"
read -r -a DENIALS <<<"${DENIALS:-nsec nsec3}"

missing=()
command -v java >/dev/null || missing+=("openjdk-17-jdk-headless (java)")
command -v dnssec-signzone >/dev/null || missing+=("bind9-utils (dnssec-signzone, dnssec-keygen, dnssec-verify)")
command -v ldns-signzone >/dev/null || missing+=("ldnsutils (ldns-signzone)")
[ -x /usr/bin/time ] || missing+=("time (/usr/bin/time)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing tools; on Debian install them with apt-get:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 2
fi
if [ ! -x "$JDK25_HOME/bin/java" ]; then
  TOOLS=("${TOOLS[@]/alias25}")
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building alias-cli and alias-benchmarks ..." >&2
  (cd "$ROOT" && ./mvnw -q -B -pl alias-cli,alias-benchmarks -am package -DskipTests)
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sign-bench.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then echo "work directory: $WORK" >&2; else trap 'rm -rf "$WORK"' EXIT; fi
cd "$WORK"
java -cp "$BENCH_JAR" org.aliasdns.benchmarks.ZoneGenerator "$RECORDS" zone "$SEED"
KEY="$(dnssec-keygen -q -K . -a ECDSAP256SHA256 -f KSK "$ZONE")"
echo "zone: $RECORDS records; key: $KEY" >&2

command_for() { # tool denial
  local n3=""
  case "$1" in
    alias|alias25|aliasjdk|aliasnss)
      [ "$2" = nsec3 ] && n3="--nsec3"
      [ "$1" = aliasjdk ] && n3="$n3 --crypto jdk"
      [ "$1" = aliasnss ] && n3="$n3 --crypto nss"
      local env=""; [ "$1" = alias25 ] && env="env JAVA_HOME=$JDK25_HOME"
      echo "$env $LAUNCHER sign zone -k $KEY -o out-$1-$2 $n3" ;;
    aliasjar)
      [ "$2" = nsec3 ] && n3="--nsec3"
      echo "java -jar $CLI_JAR sign zone -k $KEY -o out-$1-$2 $n3" ;;
    bind)
      [ "$2" = nsec3 ] && n3="-3 - -H 0"
      echo "dnssec-signzone -q -S -z -K . -o $ZONE -f out-$1-$2 -n $(nproc) $n3 zone" ;;
    ldns)
      [ "$2" = nsec3 ] && n3="-n -t 0"
      echo "ldns-signzone -f out-$1-$2 $n3 zone $KEY" ;;
  esac
}

for t in "${TOOLS[@]}"; do
  [ -n "$t" ] || continue
  echo "$t (nsec): $(command_for "$t" nsec)" >&2
done

# One untimed run through the launcher first: after a build, its first run also writes the
# class-data archive the later runs start from.
for t in "${TOOLS[@]}"; do
  case "$t" in
    alias|alias25) $(command_for "$t" nsec) >/dev/null 2>&1 ;;
  esac
done

# Each run is timed, and its output must pass dnssec-verify (like with like: a signer whose
# output does not verify is not compared). The first repetition's outputs are checked.
: >raw.txt
for ((r = 1; r <= REPS; r++)); do
  for d in "${DENIALS[@]}"; do
    for t in "${TOOLS[@]}"; do
      [ -n "$t" ] || continue
      cmd="$(command_for "$t" "$d")"
      if ! /usr/bin/time -f '%e %M %U %S' -o time.out $cmd >"run-$t-$d.out" 2>&1; then
        echo "$t ($d) failed: $cmd" >&2; tail -20 "run-$t-$d.out" >&2; exit 1
      fi
      read -r wall rss user sys <time.out
      if [ "$r" = 1 ] && ! dnssec-verify -q -z -o "$ZONE" "out-$t-$d" >"verify-$t-$d.out" 2>&1; then
        echo "REFUSING TO COMPARE: the output of $t ($d) does not pass dnssec-verify:" >&2
        echo "  $cmd" >&2; tail -20 "verify-$t-$d.out" >&2; exit 1
      fi
      echo "$d $t $wall $rss $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" | tee -a raw.txt >&2
    done
  done
  [ "$r" = 1 ] && echo "every signer's output passes dnssec-verify" >&2
done

echo
echo "$(java -version 2>&1 | head -1); $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
nss="no"; for d in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib; do
  [ -e "$d/libsoftokn3.so" ] && nss="yes ($d)" && break
done
accp="$(unzip -l "$CLI_JAR" 2>/dev/null | grep -c libamazonCorrettoCryptoProvider || true)"
echo "$RECORDS records, key $KEY; NSS installed: $nss; ACCP's native library in the jar: $([ "${accp:-0}" -gt 0 ] && echo yes || echo no) ($(uname -m))"
echo "median of $REPS interleaved runs; wall and CPU (user+system) in seconds"
awk '
  function median(list,    a, k, i, j, t) {
    k = split(list, a, " ")
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  { key = $1 " " $2; wall[key] = wall[key] " " $3; cpu[key] = cpu[key] " " $5; rss[key] = rss[key] " " $4
    if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
  END {
    for (i = 1; i <= n; i++) { split(order[i], p, " "); m[order[i]] = median(wall[order[i]])
      c[order[i]] = median(cpu[order[i]])
      if (p[2] == "bind" || p[2] == "ldns") if (!(p[1] in best) || m[order[i]] < best[p[1]]) { best[p[1]] = m[order[i]]; bestcpu[p[1]] = c[order[i]] } }
    printf "%-6s %-8s %8s %8s %9s %12s %12s\n", "denial", "signer", "wall s", "CPU s", "RSS MiB", "wall/fasterC", "CPU/fasterC"
    for (i = 1; i <= n; i++) { split(order[i], p, " ")
      ratio = (p[2] ~ /^alias/ && best[p[1]] > 0) ? sprintf("%12.2f %12.2f", m[order[i]] / best[p[1]], c[order[i]] / bestcpu[p[1]]) : ""
      printf "%-6s %-8s %8.2f %8.2f %9.0f %s\n", p[1], p[2], m[order[i]], c[order[i]], median(rss[order[i]]) / 1024, ratio }
  }' raw.txt

echo
echo "in-process re-signing after one alias change (SignZone, JDK 17, ACCP from the CLI jar):"
for d in "${DENIALS[@]}"; do
  n3=""; [ "$d" = nsec3 ] && n3="--nsec3"
  # The CLI jar after the benchmarks jar: the same classes come from the first, ACCP from it.
  java -cp "$BENCH_JAR:$CLI_JAR" org.aliasdns.benchmarks.SignZone --reps 1 $n3 \
    --crypto class:com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider \
    zone "$ZONE" "$KEY"
done
