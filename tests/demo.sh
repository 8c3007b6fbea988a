#!/bin/sh
# make demo: validate the five seed reports and show what nianbao finds.
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
exit 0
