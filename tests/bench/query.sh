#!/bin/sh
# Query benchmark (make bench): a store of REPORTS reports (default 10,000)
# with VERSIONS versions each (default 5, so 50,000), filled through the
# store's API by fill_store from a real seed record; then the latency of
# `nianbao reports`, `history` and `diff` (whole commands, process start
# included: what a user waits for) and of the HTTP API's report list, as
# p50/p99 over RUNS calls, and the rate of `nianbao export` over all
# reports in each format (against the 10,000 reports/s target).  Targets (issue 4): milliseconds; export >= 10,000 reports/s.
# Figures only: nothing here fails on a timing.
# Usage: sh tests/bench/query.sh BUILD_DIR
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")/../.." && pwd)
shared="$here/../shared"
nianbao="$here/$build/nianbao"
nianbaod="$here/$build/nianbaod"
fill="$here/$build/tests/bench/fill_store"
reports=${REPORTS:-10000}
versions=${VERSIONS:-5}
runs=${RUNS:-30}
for f in "$nianbao" "$nianbaod" "$fill"; do
	[ -x "$f" ] || { echo "query bench: $f not built"; exit 2; }
done
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM HUP PIPE

echo "== query: $reports reports x $versions versions =="
t0=$(date +%s.%N)
"$fill" "$tmp/nb.db" "$shared/seeds/000_009e668a3bf157d3.txt" "$reports" \
    "$versions" || exit 2
t1=$(date +%s.%N)
size=$(stat -c %s "$tmp/nb.db")
python3 -c "import sys; print('  store filled in %.1f s: %.1f MB' % (float(sys.argv[2]) - float(sys.argv[1]), int(sys.argv[3]) / 1e6))" "$t0" "$t1" "$size"

# latency of one command, RUNS times: prints p50 and p99 in ms
lat() {
	name=$1
	shift
	i=0
	: >"$tmp/lat"
	while [ $i -lt "$runs" ]; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		echo $(((e - s) / 1000)) >>"$tmp/lat"
		i=$((i + 1))
	done
	python3 - "$tmp/lat" "$name" <<'EOF'
import sys
v = sorted(int(x) / 1000 for x in open(sys.argv[1]))
p = lambda q: v[min(len(v) - 1, int(q * len(v)))]
print(f"{sys.argv[2]}: p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms "
      f"({len(v)} calls; target: milliseconds)")
EOF
}
mid=$((reports / 2))
lat "nianbao reports --year 2024 --limit 100" \
    "$nianbao" reports --db "$tmp/nb.db" --year 2024 --limit 100
lat "nianbao history REPORT" "$nianbao" history --db "$tmp/nb.db" "$mid"
lat "nianbao diff REPORT" "$nianbao" diff --db "$tmp/nb.db" "$mid"

# the API's report list, on a daemon with an empty catalog
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
echo "id,agency,level,region,url" >"$tmp/catalog.csv"
cat >"$tmp/nianbaod.conf" <<EOF
[daemon]
database = $tmp/nb.db
catalog = catalog.csv
[http]
listen = 127.0.0.1:$port
EOF
"$nianbaod" -d -f "$tmp/nianbaod.conf" 2>"$tmp/daemon.log" &
pid=$!
i=0
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "query bench: API did not start"; break; }
	sleep 0.1
done
lat "API /api/v1/reports?limit=100" \
    curl -sf "http://127.0.0.1:$port/api/v1/reports?limit=100"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=""

# export of every report, each format; rows come from the export rows
# written with each version (version_flat), not from the record JSON
for fmt in csv ndjson json; do
	s=$(date +%s%N)
	"$nianbao" export --db "$tmp/nb.db" --format $fmt >"$tmp/export.$fmt"
	e=$(date +%s%N)
	python3 - "$s" "$e" "$reports" "$size" "$fmt" <<'EOF'
import sys
s, e, rows, size = (int(x) for x in sys.argv[1:5])
rate = rows / ((e - s) / 1e9)
print(f"export --format {sys.argv[5]}: {rows} reports in {(e - s) / 1e9:.2f} s "
      f"= {rate:,.0f} reports/s = {rate / 10000:.2f} x the 10,000/s target "
      f"({'ok' if rate >= 10000 else 'MISSED'}); store {size / 1e6:.1f} MB")
EOF
done
rows=$(($(wc -l <"$tmp/export.csv") - 1))
[ "$rows" = "$reports" ] || echo "query bench: export gave $rows rows, not $reports"
exit 0
