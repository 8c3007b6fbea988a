#!/bin/sh
# make demo: validate the five seed reports and show what nianbao finds,
# then run the daemon twice against the bundled local portal (tests/portal)
# and show what it discovered and the events of the second run.
# Usage: sh tests/demo.sh BUILD_DIR
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
nianbao="$here/$build/nianbao"
seeds=$(cd "$here/../shared/seeds" 2>/dev/null && pwd || echo "$here/../shared/seeds")

if [ ! -d "$seeds" ]; then
	echo "demo: $seeds not found (the shared folder must sit beside the project)" >&2
	exit 1
fi
echo "== nianbao validate: the five seed reports (../shared/seeds/)"
echo
for f in "$seeds"/*.txt; do
	"$nianbao" validate "$f"
	echo "   -> exit status $?"
	echo
done
echo "== nianbao parse --flat (first lines of seed 003, 石台县人民政府 2024)"
"$nianbao" parse --flat "$seeds"/003_*.txt | sed -n '1,9p;/^t2.fees/p;/^t3.new/p;/^t4.review/p'
if [ -f "$here/tests/data/html/wordhtml_2021.html" ]; then
	echo
	echo "== the same report as Word-exported HTML"
	"$nianbao" validate "$here/tests/data/html/wordhtml_2021.html"
fi
# ---- the daemon against the local portal ---------------------------------
SRC=$here
TOOLS="$here/$build/tests/tools"
nianbaod="$here/$build/nianbaod"
. "$here/tests/e2e/lib/common.sh"
e2e_setup
# log lines without their timestamp and pid, for reading
strip() { sed -n 's/^[0-9-]* [0-9:]* nianbaod\[[0-9]*\] [a-z]*: /   /p'; }
echo
echo "== nianbaod --once against the local portal (tests/portal: Hanweb, TRS,"
echo "   GBK and robots.txt sites on 127.0.0.11-14; the hostile site is left to"
echo "   the tests because its timeouts take half a minute)"
python3 "$here/tests/portal/gen.py" "$tmp/root" >/dev/null || exit 1
e2e_portal "$tmp/root"
e2e_unport catalog.csv
e2e_no_hostile
cat >"$tmp/nianbaod.conf" <<CONF
[daemon]
database = $tmp/nianbao.db
catalog = catalog.csv
[fetch]
user_agent = nianbao-demo/0.1 (+http://127.0.0.1/contact)
min_delay = 100ms
total_timeout = 5s
[http]
listen = no
CONF
echo "   catalog:"
sed 's/^/     /' "$tmp/catalog.csv"
echo
echo "-- first run (a new database: every source is due)"
"$nianbaod" -d -f "$tmp/nianbaod.conf" --once 2>&1 | strip
echo
echo "-- the portal now adds a 2025 report, alters a number in a TRS report,"
echo "   changes only the sidebar of another page and removes the 2022 report"
e2e_state 2
echo
echo "-- second run (--all: due or not)"
"$nianbaod" -d -f "$tmp/nianbaod.conf" --once --all 2>&1 | strip
echo
echo "== nianbao events --db nianbao.db (what both runs recorded)"
"$nianbao" events --db "$tmp/nianbao.db"
echo
echo "== nianbao status -f nianbaod.conf"
"$nianbao" status -f "$tmp/nianbaod.conf"
exit 0
