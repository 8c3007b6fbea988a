#!/bin/sh
# End to end: `nianbao reports --late` and the human lines of `nianbao
# events` for the calendar's events, on the site of calendar.sh
# (tests/e2e/lib/calendar_site.py) with the clock override NIANBAO_NOW:
#
#   A 2026-02-01 09:00 state 1  first checks: every source source.synced,
#                               the departments report.missing
#   B 2026-02-06 10:00 state 2  dept-late (page date 02-05) report.found,
#                               late; gov-ontime with the same date on time
#
# then reports --late lists dept-late and not gov-ontime (text and JSON),
# and needs the catalog.
set -eu
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup NIANBAOD NIANBAO TOOLS SRC

e2e_calendar_fixture
conf=$tmp/nianbaod.conf

e2e_state 1 127.0.0.61
NIANBAO_NOW=2026-02-01T09:00+08:00 e2e_once A --all
e2e_state 2 127.0.0.61
NIANBAO_NOW=2026-02-06T10:00+08:00 e2e_once B --all
now=2026-02-06T10:00+08:00

# ---- nianbao reports --late --------------------------------------------------
NIANBAO_NOW=$now "$NIANBAO" reports -f "$conf" >"$tmp/all.txt" ||
	fail "reports"
grep -q "沂源县人民政府" "$tmp/all.txt" || fail "reports: no gov-ontime
$(cat "$tmp/all.txt")"
NIANBAO_NOW=$now "$NIANBAO" reports -f "$conf" --late >"$tmp/late.txt" ||
	fail "reports --late"
head -1 "$tmp/late.txt" | grep -q "DEADLINE .*LATE .*PUBLISHED .*URL$" ||
	fail "reports --late: header: $(head -1 "$tmp/late.txt")"
[ "$(wc -l <"$tmp/late.txt")" = 2 ] || fail "reports --late: one report
$(cat "$tmp/late.txt")"
grep -q "  2025  沂源县教育局 .* 2026-01-31     5d  2026-02-05 (page) .*http://127.0.0.62:$port/" \
	"$tmp/late.txt" || fail "reports --late: dept-late line
$(cat "$tmp/late.txt")"
! grep -q "沂源县人民政府" "$tmp/late.txt" ||
	fail "reports --late lists the on-time report"
NIANBAO_NOW=$now "$NIANBAO" reports -f "$conf" --late --json |
    python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert [r["agency"] for r in rows] == ["沂源县教育局"], rows
cal = rows[0]["calendar"]
want = {"status": "late", "deadline": "2026-01-31", "published": "2026-02-05",
        "published_from": "page", "days_late": 5, "upper_bound": False}
assert cal == want, cal
' || fail "reports --late --json"
# with --year of another year, nothing; and the other filters still apply
n=$(NIANBAO_NOW=$now "$NIANBAO" reports -f "$conf" --late --year 2024 |
	wc -l)
[ "$n" = 1 ] || fail "reports --late --year 2024: $n lines"
n=$(NIANBAO_NOW=$now "$NIANBAO" reports -f "$conf" --late \
	--source gov-ontime | wc -l)
[ "$n" = 1 ] || fail "reports --late --source gov-ontime: $n lines"
# the calendar needs the catalog
rc=0
NIANBAO_NOW=$now "$NIANBAO" reports --db "$tmp/nb.db" --late \
	>/dev/null 2>"$tmp/nocat.err" || rc=$?
[ "$rc" = 64 ] || fail "reports --late without -f: exit $rc"
grep -q "needs the catalog" "$tmp/nocat.err" ||
	fail "reports --late without -f: $(cat "$tmp/nocat.err")"

# ---- nianbao events: one line per event, every type readable -----------------
"$NIANBAO" events --db "$tmp/nb.db" >"$tmp/events.txt" || fail "events"
ev() {	# TYPE SOURCE PATTERN: the event's line matches PATTERN
	grep "  $1 *$2 " "$tmp/events.txt" | grep -q "$3" ||
		fail "events: no $1 $2 line matching '$3'
$(cat "$tmp/events.txt")"
}
ev source.synced dept-missing "   -  first sync: 0 past reports recorded$"
ev source.synced gov-ontime "first sync: 0 past reports recorded"
ev report.missing dept-missing "2025  沂源县财政局  no report, deadline 2026-01-31, 1 day overdue  http://127.0.0.61:$port/"
ev report.missing dept-late "2025  沂源县教育局  no report, deadline 2026-01-31, 1 day overdue"
ev report.found dept-late "2025  沂源县教育局  published 2026-02-05 (page), deadline 2026-01-31, 5 days late  http://127.0.0.62:$port/"
ev report.late dept-late "2025  沂源县教育局  published 2026-02-05 (page), deadline 2026-01-31, 5 days late"
ev report.new dept-late "2025  沂源县教育局  http://127.0.0.62:$port/"
# every line names its type and source; the usage lists every type emitted
[ "$(grep -c '' "$tmp/events.txt")" = "$("$NIANBAO" events --db \
	"$tmp/nb.db" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" ] ||
	fail "events: not one line per event"
"$NIANBAO" events --help >"$tmp/help.txt" || fail "events --help"
for t in $(grep -ho '"\(report\|source\)\.[a-z]*"' "$SRC/daemon/job.c" \
    "$SRC/daemon/calsweep.c" | tr -d '"' | sort -u); do
	grep -q "^  $t " "$tmp/help.txt" || fail "events --help: no $t"
done
echo "ok late"
