#!/bin/sh
# CPU per resolver lookup, two builds side by side: ResolverCpu.java (beside this script) run
# from each jar, alternating ROUNDS times, for the upstream path ("miss": a TTL 0 answer, never
# cached) and the cache-hit path ("hit", the control). On a busy shared machine wall-clock JMH
# scores swing by several times; compare the medians of these lines instead.
#
# Usage: alias-benchmarks/scripts/resolver-cpu.sh BASE_JAR NEW_JAR [ROUNDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
base=$1
new=$2
rounds=${3:-6}
round=1
while [ "$round" -le "$rounds" ]; do
  for jar in "$base" "$new"; do
    for op in miss hit; do
      n=300000
      [ "$op" = hit ] && n=3000000
      echo "$round $(basename "$jar") $(java -Xms512m -Xmx512m -cp "$jar" "$here/ResolverCpu.java" "$op" "$n")"
    done
  done
  round=$((round + 1))
done
