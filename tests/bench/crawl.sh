#!/bin/sh
# Crawl benchmarks of `make bench` (docs/design.md "Performance"): the real
# nianbaod against a private loopback nginx, each figure printed next to
# the baseline it names, from one run.  Never fails on a timing: a missed
# target is printed as MISSED.
#
#   1. re-check of N unchanged pages (every answer a 304), pages/s against
#      wrk on the same URLs with as many connections as per_host (target
#      >= 50 % of wrk's plain GETs; wrk's conditional GETs shown too)
#   2. first crawl of the same N pages: pages/s; database bytes per page
#      against the page's raw bytes (target <= 15 %); bytes the unchanged
#      re-check added per page (target <= 200)
#   3. 100,000 sources in the catalog, on a new database and on a restart
#      (every source with a state): time from exec to the "started:" line
#      (target < 1 s) and VmRSS then and 2 s later (target < 150 MB)
#
# The N pages are tests/data/html/wordhtml_2021.html (a real Word-exported
# report page) with a different title, site id and a few table cells each,
# so no two are alike.  Each source's listing URL is one page; politeness
# is raised (per_host 64, no delays, robots off).
#
# usage: tests/bench/crawl.sh BUILD_DIR
#   N=5000           pages (and sources) of benchmarks 1 and 2
#   BIG=100000       sources of benchmark 3
#   WRK_SECONDS=3    length of each wrk run
#   PER_HOST=64      per_host, and wrk's connections
#   PAGE=FILE        another page to vary (to separate parsing from the rest)
#   PERF=FILE        run the re-check under `perf record -g -o FILE`
#   ONLY=3           benchmark 3 alone (N is then irrelevant)
# Needs nginx, wrk, sqlite3 and python3; skips (exit 0) without them.
set -eu
build=${1:-build}
src=$(cd "$(dirname "$0")/../.." && pwd)
n=${N:-5000}
[ "${ONLY:-}" = 3 ] && n=1	# the one page nginx's start is checked on
big=${BIG:-100000}
wrk_s=${WRK_SECONDS:-3}
per_host=${PER_HOST:-64}
nianbaod=$build/nianbaod
page=${PAGE:-$src/tests/data/html/wordhtml_2021.html}

for t in nginx wrk sqlite3 python3; do
	if ! command -v $t >/dev/null 2>&1 && [ ! -x /usr/sbin/$t ]; then
		echo "crawl: $t not installed; skipped (make deps)"
		exit 0
	fi
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nianbaod" ]; then
	echo "crawl: $nianbaod not built" >&2
	exit 2
fi

tmp=$(mktemp -d)
ngx_pid=""
d_pid=""
cleanup() {
	[ -n "$d_pid" ] && kill -9 "$d_pid" 2>/dev/null
	[ -n "$ngx_pid" ] && kill "$ngx_pid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

# python3 -c for the arithmetic: floats and formatting
calc() {
	python3 -c "print($1)"
}
verdict() {	# verdict EXPR: "ok" or "MISSED"
	if [ "$(python3 -c "print(1 if $1 else 0)")" = 1 ]; then
		echo ok
	else
		echo MISSED
	fi
}
dbsize() {	# bytes on disk after the WAL is folded back
	sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	s=$(wc -c <"$1")
	[ -f "$1-wal" ] && s=$((s + $(wc -c <"$1-wal")))
	echo "$s"
}

# ---- the pages, the catalog, nginx ------------------------------------
chmod 755 "$tmp"	# nginx workers run as nobody when started by root
mkdir -p "$tmp/www/p" "$tmp/ngx"
port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$page" "$tmp" "$n" "$port" <<'EOF'
import os, re, sys
page, tmp, n, port = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
base = open(page, encoding="utf-8").read()
# the numbers in table cells: ">12<" between tags
cells = [m.span(1) for m in re.finditer(r">(\d{1,4})<", base)]
stamp = 1700000000	# one mtime: stable ETag and Last-Modified
raw = 0
with open(f"{tmp}/catalog.csv", "w", encoding="utf-8") as cat:
    cat.write("id,agency,level,region,url\n")
    for i in range(n):
        # three cells of the page get another number
        parts, prev = [], 0
        for j, k in enumerate(sorted({(i * 7 + j * 13) % len(cells)
                                      for j in range(3)})):
            a, b = cells[k]
            parts.append(base[prev:a])
            parts.append(str(int(base[a:b]) + 1 + (i + j) % 97))
            prev = b
        parts.append(base[prev:])
        s = "".join(parts)
        s = s.replace("2024年政府信息公开工作年度报告",
                      f"2024年政府信息公开工作年度报告（{i:05d}）")
        s = s.replace("3417220001", f"34{i:08d}")
        # the page links last years' reports: a check would fetch them
        # too; one page per check here
        s = re.sub(r'href="\.\./20\d{4}/[^"]*"', 'href="#"', s)
        p = f"{tmp}/www/p/{i:05d}.html"
        with open(p, "w", encoding="utf-8") as f:
            f.write(s)
        os.utime(p, (stamp, stamp))
        raw += os.path.getsize(p)
        cat.write(f"bench-{i:05d},石台县人民政府,government,,"
                  f"http://127.0.0.1:{port}/p/{i:05d}.html\n")
open(f"{tmp}/raw", "w").write(f"{raw}\n")
# wrk: each thread cycles through the N paths
with open(f"{tmp}/paths.lua", "w") as f:
    f.write(f"""local n, i = {n}, 0
wrk.headers["Accept-Encoding"] = "gzip"
if os.getenv("WRK_IMS") then
  wrk.headers["If-Modified-Since"] = "Tue, 14 Nov 2023 22:13:20 GMT"
end
request = function()
  i = i % n + 1
  return wrk.format("GET", string.format("/p/%05d.html", i - 1))
end
""")
EOF
raw=$(cat "$tmp/raw")
cat >"$tmp/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $tmp/ngx/nginx.pid;
error_log $tmp/ngx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $tmp/ngx/body;
	proxy_temp_path $tmp/ngx/proxy;
	fastcgi_temp_path $tmp/ngx/fastcgi;
	uwsgi_temp_path $tmp/ngx/uwsgi;
	scgi_temp_path $tmp/ngx/scgi;
	types { text/html html; }
	default_type application/octet-stream;
	charset utf-8;
	sendfile on;
	keepalive_requests 1000000;
	etag on;
	gzip on;
	gzip_types text/html;
	server {
		listen 127.0.0.1:$port;
		root $tmp/www;
	}
}
CONF
"$nginx" -p "$tmp/ngx" -c "$tmp/nginx.conf" 2>"$tmp/ngx/stderr" &
ngx_pid=$!
i=0
until python3 -c "import urllib.request
urllib.request.urlopen('http://127.0.0.1:$port/p/00000.html', timeout=1)" \
    2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 50 ]; then
		echo "crawl: nginx did not start:" >&2
		cat "$tmp/ngx/stderr" "$tmp/ngx/error.log" >&2 2>/dev/null
		exit 2
	fi
	sleep 0.1
done

cat >"$tmp/nianbaod.conf" <<CONF
[daemon]
database = $tmp/nb.db
catalog = catalog.csv
max_jobs = 512
[fetch]
user_agent = nianbao-bench/0.1 (+http://127.0.0.1/contact)
per_host = $per_host
min_delay = 0
max_delay = 0
delay_factor = 0
robots = no
connect_timeout = 5s
total_timeout = 30s
[http]
listen = no
CONF

echo "== crawl: $n pages of $(calc "round($raw / $n)") bytes on a local" \
    "nginx, per_host $per_host, max_jobs 512 =="

# ---- runs 1 and 2 ------------------------------------------------------
# (not indented: the heredocs below end at the start of a line)
if [ "${ONLY:-}" != 3 ]; then
# runs a command with its stderr in a log; prints the seconds from its
# "started:" line to its exit (the cycle, to the millisecond: the daemon's
# own "stopped after" has 0.1 s) and from exec to exit; kills it after 200 s
cat >"$tmp/timed.py" <<'EOF'
import subprocess, sys, time
log, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
ts = None
with open(log, "wb") as f:
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    for l in p.stderr:
        if ts is None and b"started:" in l:
            ts = time.monotonic()
        f.write(l)
        if time.monotonic() - t0 > 200:
            p.kill()
            break
    rc = p.wait()
t1 = time.monotonic()
print(f"{t1 - (ts or t0):.3f} {t1 - t0:.2f}")
sys.exit(rc)
EOF
crawl() {	# crawl RUN: one --once --all cycle, bounded
	perf=""
	[ "$1" = 2 ] && [ -n "${PERF:-}" ] &&
		perf="perf record -q -g -o $PERF --"
	if ! python3 "$tmp/timed.py" "$tmp/run$1.log" $perf "$nianbaod" -d \
	    -f "$tmp/nianbaod.conf" --once --all >"$tmp/time$1"; then
		echo "crawl: run $1: nianbaod failed or timed out:" >&2
		tail -5 "$tmp/run$1.log" >&2
		exit 2
	fi
}
crawl 1
size1=$(dbsize "$tmp/nb.db")
crawl 2
size2=$(dbsize "$tmp/nb.db")
read -r s1 wall1 <"$tmp/time1"
read -r s2 wall2 <"$tmp/time2"
sed -n 's/.*\(stopped after .*\)/  run 1: \1/p' "$tmp/run1.log" | tail -1
sed -n 's/.*\(stopped after .*\)/  run 2: \1/p' "$tmp/run2.log" | tail -1
ngx_err=$(grep -c '\[error\]\|\[crit\]\|\[alert\]' "$tmp/ngx/error.log" \
    2>/dev/null || true)
[ "${ngx_err:-0}" -gt 0 ] &&
	echo "  note: nginx logged $ngx_err errors (see $tmp/ngx/error.log)"

# ---- wrk on the same URLs -----------------------------------------------
wrk_rate() {	# wrk_rate LOGNAME: requests/s of one run
	"$(command -v wrk)" -t 2 -c "$per_host" -d "${wrk_s}s" \
	    -s "$tmp/paths.lua" "http://127.0.0.1:$port/" >"$tmp/$1" 2>&1 ||
		true
	sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$tmp/$1"
}
# best of two rounds each, alternating: CPU steal here swings single runs
a=$(wrk_rate wrk-get.txt)
b=$(WRK_IMS=1 wrk_rate wrk-304.txt)
c=$(wrk_rate wrk-get2.txt)
d=$(WRK_IMS=1 wrk_rate wrk-3042.txt)
wrk_get=$(calc "max(${a:-0}, ${c:-0}) or ''")
wrk_304=$(calc "max(${b:-0}, ${d:-0}) or ''")
if [ -z "$wrk_get" ] || [ -z "$wrk_304" ]; then
	echo "crawl: wrk gave no figure:" >&2
	cat "$tmp/wrk-get.txt" "$tmp/wrk-304.txt" >&2
	exit 2
fi

rate1=$(calc "round($n / $s1, 1)")
rate2=$(calc "round($n / $s2, 1)")
ratio=$(calc "round($rate2 / $wrk_get, 3)")
echo "recheck: $rate2 pages/s ($n in ${s2}s, wall ${wall2}s)," \
    "wrk $wrk_get req/s (plain GETs, gzip, $per_host connections, best of 2)," \
    "ratio $ratio (target >= 0.50): $(verdict "$ratio >= 0.50")"
echo "  against wrk's conditional GETs (all 304): $wrk_304 req/s, ratio" \
    "$(calc "round($rate2 / $wrk_304, 3)")"
per_page=$(calc "round($size1 / $n)")
pct=$(calc "round(100 * $size1 / $raw, 1)")
echo "first crawl: $rate1 pages/s ($n in ${s1}s, wall ${wall1}s);" \
    "stored $per_page bytes/page = $pct % of raw (target <= 15 %):" \
    "$(verdict "$pct <= 15")"
sqlite3 "$tmp/nb.db" "SELECT '  blobs: ' || count(*) || ', ' ||
	printf('%.1f', 100.0 * sum(stored) / sum(size)) ||
	' % of their raw bytes after zstd; captures: ' ||
	(SELECT count(*) FROM captures) || ', revisits: ' ||
	(SELECT count(*) FROM captures WHERE revisit) || ' (' ||
	(SELECT count(*) FROM captures WHERE status = 304) || ' of them 304)'
	FROM blobs"
added=$(calc "round(($size2 - $size1) / $n)")
echo "recheck: +$added bytes/page (database $size1 -> $size2 bytes;" \
    "target <= 200): $(verdict "$added <= 200")"
fi	# ONLY

# ---- 100,000 sources: start-up and memory -------------------------------
python3 - "$tmp" "$big" <<'EOF'
import sys
tmp, big = sys.argv[1], int(sys.argv[2])
with open(f"{tmp}/big.csv", "w", encoding="utf-8") as f:
    f.write("id,agency,level,region,url\n")
    for i in range(big):
        # port 9 (discard) is closed here: every check fails fast
        f.write(f"big-{i:06d},测试县人民政府第{i}办公室,department,"
                f"测试省测试市,http://127.0.0.{1 + i % 200}:9/"
                f"xxgk/col{i}/index.html\n")
EOF
sed -e "s|^database = .*|database = $tmp/big.db|" \
    -e "s|^catalog = .*|catalog = big.csv|" \
    "$tmp/nianbaod.conf" >"$tmp/big.conf"
cat >"$tmp/startup.py" <<'EOF'
import signal, subprocess, sys, threading, time
nianbaod, conf, big, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    sys.argv[4]

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for l in f:
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    return 0

t0 = time.monotonic()
p = subprocess.Popen([nianbaod, "-d", "-f", conf], stderr=subprocess.PIPE,
                     stdout=subprocess.DEVNULL)
started = threading.Event()
lines = []
def drain():	# keeps the pipe empty: a full pipe would stall the daemon
    for l in p.stderr:
        if not started.is_set() and b"started:" in l:
            started.t = time.monotonic()
            started.set()
        if len(lines) < 100000:
            lines.append(l)
threading.Thread(target=drain, daemon=True).start()
if not started.wait(30):
    p.kill()
    p.wait()
    print(f"{big} sources, {label}: no \"started:\" line within 30 s: MISSED")
    sys.stdout.write(b"".join(lines[-5:]).decode(errors="replace"))
    sys.exit(0)
t_start = started.t - t0
rss0 = rss_kb(p.pid)
time.sleep(2)
rss2 = rss_kb(p.pid) if p.poll() is None else 0
t_term = time.monotonic()
p.send_signal(signal.SIGTERM)
try:
    rc = p.wait(15)
    stop = f"SIGTERM: exit {rc} after {time.monotonic() - t_term:.1f}s"
except subprocess.TimeoutExpired:
    p.kill()
    p.wait()
    stop = "SIGTERM: still running after 15 s, killed"
mb0, mb2 = rss0 / 1024, rss2 / 1024
print(f"{big} sources, {label}: start-up {t_start:.3f} s (target < 1 s): "
      f"{'ok' if t_start < 1 else 'MISSED'}; VmRSS {mb0:.1f} MB at "
      f"start-up, {mb2:.1f} MB 2 s later (target < 150 MB): "
      f"{'ok' if max(mb0, mb2) < 150 else 'MISSED'}")
last = [l for l in lines if b"stopped after" in l]
print(f"  {stop}" + (f"; {last[-1].decode(errors='replace').strip()}"
                      if last else ""))
EOF
python3 "$tmp/startup.py" "$nianbaod" "$tmp/big.conf" "$big" "new database"
# a restart reads every source's state: give all of them one (every check
# fails at once on the closed port)
if timeout 120 "$nianbaod" -d -f "$tmp/big.conf" --once --all \
    2>"$tmp/big-once.log"; then
	sed -n 's/.*\(stopped after .*\)/  one cycle over all: \1/p' \
	    "$tmp/big-once.log" | tail -1
	python3 "$tmp/startup.py" "$nianbaod" "$tmp/big.conf" "$big" \
	    "restart, every source with a state"
else
	echo "  one cycle over the $big sources failed or took > 120 s:"
	tail -3 "$tmp/big-once.log"
fi
