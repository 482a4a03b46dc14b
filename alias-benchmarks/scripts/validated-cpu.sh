#!/bin/sh
# CPU per validated upstream lookup (trust anchors set, TTL 0 so never cached), two builds side
# by side: ValidatedCpu.java (beside this script) run from each jar, alternating ROUNDS times.
# The process figure includes the fake upstream in the same JVM; compare medians.
#
# Usage: alias-benchmarks/scripts/validated-cpu.sh BASE_JAR NEW_JAR [ROUNDS] [LOOKUPS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
base=$1
new=$2
rounds=${3:-6}
n=${4:-20000}
round=1
while [ "$round" -le "$rounds" ]; do
  for jar in "$base" "$new"; do
    echo "$round $(basename "$jar") $(java -Xms512m -Xmx512m -cp "$jar" "$here/ValidatedCpu.java" "$n")"
  done
  round=$((round + 1))
done
