# Shell functions the load scripts share; sourced, not run. The caller sets NAME (for
# messages), CLIENTS and OUTSTANDING (dnsperf -c and -q).

free_port() { # -> a TCP port free on 127.0.0.1 now
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_answer() { # port name [type] -> returns once the server answers, else exits 1
  for _ in $(seq 1 150); do
    dig @127.0.0.1 -p "$1" +short +time=1 +tries=1 "$2" "${3:-A}" 2>/dev/null | grep -q . && return 0
    sleep 0.1
  done
  echo "$NAME: server on port $1 never answered $2" >&2
  exit 1
}

run() { # port queryfile seconds -> "qps queries" (dnsperf pinned to CPU 1; DNSPERF_OPTS added)
  # shellcheck disable=SC2086
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$1" -d "$2" -l "$3" -c "$CLIENTS" -q "$OUTSTANDING" \
    ${DNSPERF_OPTS:-} 2>&1 \
    | awk '/Queries completed/ {done = $3} /Queries per second/ {qps = $4} END {print qps, done}'
}

descendants() { # pid -> the pid and all its descendants
  echo "$1"
  for child in $(pgrep -P "$1" 2>/dev/null); do descendants "$child"; done
}

cpu_ticks() { # pid -> user + system clock ticks of the process tree
  local total=0 t
  for p in $(descendants "$1"); do
    # utime and stime are fields 14 and 15; the name in field 2 may hold spaces ("nsd: server 1")
    t=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}')
    t=${t:-0}
    total=$((total + t))
  done
  echo "$total"
}

us_per_query() { # ticks queries -> microseconds of CPU per query
  awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$2" 'BEGIN {printf "%.2f", n ? t / hz * 1e6 / n : 0}'
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

require_tools() { # "apt-get hint" tool... -> exits 2 naming the first tool missing
  local hint=$1
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
      echo "$NAME: $tool not found (apt-get install $hint)" >&2
      exit 2
    }
  done
}

write_zones() { # dir -> dir/alias.zone (apex ALIAS cdn.example.net.), dir/static.zone (apex A)
  # One zone; the static one carries at the apex the address the ALIAS gives.
  local head='$TTL 300
example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300
example.com. 3600 IN NS ns1.example.com.
example.com. 3600 IN MX 10 mail.example.com.
ns1.example.com. 3600 IN A 192.0.2.53
mail.example.com. 3600 IN A 192.0.2.25
www.example.com. 300 IN A 192.0.2.1'
  printf '%s\nexample.com. 300 IN ALIAS cdn.example.net.\n' "$head" > "$1/alias.zone"
  printf '%s\nexample.com. 300 IN A 192.0.2.10\n' "$head" > "$1/static.zone"
}
