#!/bin/sh
# End to end: deadlines and the report calendar (issue 6) with the clock
# override NIANBAO_NOW, the real nianbaod (--once --all) and the real
# portal serving the site tests/e2e/lib/calendar_site.py writes: five
# agencies of one county, reports only for 2025 (catalog first_year).
#
#   A 2026-01-31 23:59 state 1  no report anywhere: nothing missing yet
#   B 2026-02-01 00:00 state 1  both departments missing: one event each
#   C the same again            no event more
#   D 2026-02-06 10:00 state 2  dept-late (page date 02-05) found late:
#                               one report.found; the government with the
#                               same date is on time, no event; the
#                               townships (due 02-20) are not due yet
#   E 2026-02-21 10:00 state 3  townships (deadline 02-20 by the region
#                               override): town-missing missing, town-late
#                               (02-21) late; dept-missing one reminder
#   G 2026-02-22 00:00 --once   nothing due: a reminder without a check
# then nianbao missing / calendar (text, --json, --csv, filters).
set -eu
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup NIANBAOD NIANBAO TOOLS SRC

e2e_calendar_fixture

state() {
	e2e_state "$1" 127.0.0.61
}
run() {	# name now [due]: --once --all, or --once (what is due) only
	all=--all
	[ "${3:-}" = due ] && all=
	NIANBAO_NOW=$2 e2e_once "$1" $all
	e2e_events "$1"
}
# the calendar events of run $1 that run $2 did not have, as
# "type source year [late|reminder N]" lines, sorted
new_events() {
	python3 - "$tmp/events$1.json" "$tmp/events$2.json" <<'PY'
import json, sys
def load(p):
    try:
        return json.load(open(p))
    except FileNotFoundError:
        return []
old = {e["id"] for e in load(sys.argv[1])}
out = []
for e in load(sys.argv[2]):
    if e["id"] in old or not e["type"].startswith("report.") or \
            e["type"] in ("report.new", "report.changed", "report.removed"):
        continue
    p = e["payload"]
    s = "%s %s %d" % (e["type"], p["source"], p["year"])
    if e["type"] == "report.found":
        s += " late" if p["late"] else " on_time"
    if e["type"] == "report.missing" and p.get("reminder"):
        s += " reminder %d" % p["reminder"]
    out.append(s)
print("\n".join(sorted(out)))
PY
}
expect_events() {	# from to "expected lines"
	got=$(new_events "$1" "$2")
	[ "$got" = "$3" ] || fail "run $2: events
got:
$got
expected:
$3"
}
statuses() {	# now -> "source status" lines
	NIANBAO_NOW=$1 "$NIANBAO" calendar -f "$tmp/nianbaod.conf" --json |
	    python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["source"], r["year"], r["status"], r["published"] or "-",
          r["published_from"] or "-")'
}

# a bad clock is refused, naming the variable
if NIANBAO_NOW=2026-02-30 "$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once \
    2>"$tmp/bad.err"; then
	fail "nianbaod accepted NIANBAO_NOW=2026-02-30"
fi
grep -q "NIANBAO_NOW" "$tmp/bad.err" || fail "no NIANBAO_NOW in the error"
if NIANBAO_NOW=soon "$NIANBAO" missing -f "$tmp/nianbaod.conf" \
    2>"$tmp/bad.err"; then
	fail "nianbao accepted NIANBAO_NOW=soon"
fi
grep -q "NIANBAO_NOW" "$tmp/bad.err" || fail "no NIANBAO_NOW in the CLI error"

# ---- A: the last minute of 31 January ---------------------------------------
state 1
run A 2026-01-31T23:59+08:00
expect_events none A ""
got=$(statuses 2026-01-31T23:59+08:00)
[ "$got" = "dept-missing 2025 due_soon - -
dept-late 2025 due_soon - -
gov-ontime 2025 not_due - -
town-late 2025 not_due - -
town-missing 2025 not_due - -" ] || fail "A: statuses
$got"

# ---- B: midnight: the departments are missing --------------------------------
run B 2026-02-01T00:00:30+08:00
expect_events A B "report.missing dept-late 2025
report.missing dept-missing 2025"
# the event says what an office needs
python3 - "$tmp/eventsB.json" "$port" <<'PY' || fail "B: payload"
import json, sys
ev = [e for e in json.load(open(sys.argv[1]))
      if e["type"] == "report.missing" and e["source"] == "dept-missing"]
p = ev[0]["payload"]
want = {"agency": "沂源县财政局", "level": "department", "year": 2025,
        "region": "山东省淄博市沂源县", "deadline": "2026-01-31",
        "report": None, "days_overdue": 1,
        "url": "http://127.0.0.61:%s/xxgk/nb/index.html" % sys.argv[2]}
bad = {k: p.get(k) for k in want if p.get(k) != want[k]}
assert not bad, bad
assert ev[0]["key"] == "report.missing:dept-missing:2025", ev[0]["key"]
PY

# ---- C: the same day again: nothing more -------------------------------------
run C 2026-02-01T09:00+08:00
expect_events B C ""

# ---- D: 6 February, the reports dated 5 February ----------------------------
state 2
run D 2026-02-06T10:00+08:00
expect_events C D "report.found dept-late 2025 late
report.late dept-late 2025"
got=$(statuses 2026-02-06T10:00+08:00)
[ "$got" = "dept-missing 2025 missing - -
dept-late 2025 late 2026-02-05 page
gov-ontime 2025 on_time 2026-02-05 page
town-late 2025 not_due - -
town-missing 2025 not_due - -" ] || fail "D: statuses
$got"

# ---- E: 21 February: the townships' day (02-20) has passed -------------------
state 3
run E 2026-02-21T10:00+08:00
expect_events D E "report.late town-late 2025
report.missing dept-missing 2025 reminder 2
report.missing town-missing 2025"
got=$(statuses 2026-02-21T10:00+08:00)
[ "$got" = "dept-missing 2025 missing - -
dept-late 2025 late 2026-02-05 page
gov-ontime 2025 on_time 2026-02-05 page
town-late 2025 late 2026-02-21 page
town-missing 2025 missing - -" ] || fail "E: statuses
$got"
run F 2026-02-21T11:00+08:00
expect_events E F ""
# G: no source is due (interval 2d; 1d for the missing ones), yet the
# start-up sweep sends dept-missing's third weekly reminder on time
run G 2026-02-22T00:00:30+08:00 due
grep -q "no source is due" "$tmp/runG.log" || fail "G: a source was checked"
expect_events F G "report.missing dept-missing 2025 reminder 3"

# ---- nianbao missing ---------------------------------------------------------
now=2026-02-21T10:00+08:00
NIANBAO_NOW=$now "$NIANBAO" missing -f "$tmp/nianbaod.conf" >"$tmp/missing.txt" ||
	fail "nianbao missing"
head -1 "$tmp/missing.txt" | grep -q "^AGENCY .*DEADLINE.*OVERDUE" ||
	fail "missing: header $(head -1 "$tmp/missing.txt")"
[ "$(wc -l <"$tmp/missing.txt")" = 3 ] || fail "missing: $(cat "$tmp/missing.txt")"
grep -q "^沂源县财政局 .*department  2025  2026-01-31      21d  http://127.0.0.61:" \
	"$tmp/missing.txt" || fail "missing: dept line: $(cat "$tmp/missing.txt")"
grep -q "^沂源县历山街道办事处 .*township    2025  2026-02-20       1d  http://" \
	"$tmp/missing.txt" || fail "missing: town line: $(cat "$tmp/missing.txt")"
NIANBAO_NOW=$now "$NIANBAO" missing -f "$tmp/nianbaod.conf" --json |
    python3 -c '
import json, sys
rows = json.load(sys.stdin)
got = sorted((r["source"], r["year"], r["deadline"], r["days_overdue"],
              r["status"]) for r in rows)
assert got == [("dept-missing", 2025, "2026-01-31", 21, "missing"),
               ("town-missing", 2025, "2026-02-20", 1, "missing")], got
' || fail "missing --json"
NIANBAO_NOW=$now "$NIANBAO" missing -f "$tmp/nianbaod.conf" --csv \
	>"$tmp/missing.csv" || fail "missing --csv"
[ "$(head -1 "$tmp/missing.csv")" = \
    "source,agency,region,level,year,deadline,days_overdue,url" ] ||
	fail "missing --csv header: $(head -1 "$tmp/missing.csv")"
grep -qx "town-missing,沂源县历山街道办事处,山东省淄博市沂源县,township,2025,2026-02-20,1,http://127.0.0.65:$port/xxgk/nb/index.html" \
	"$tmp/missing.csv" || fail "missing --csv: $(cat "$tmp/missing.csv")"
[ "$(wc -l <"$tmp/missing.csv")" = 3 ] || fail "missing --csv lines"
# filters
n=$(NIANBAO_NOW=$now "$NIANBAO" missing -f "$tmp/nianbaod.conf" --csv \
	--level township | tail -n +2 | cut -d, -f1)
[ "$n" = "town-missing" ] || fail "missing --level township: $n"
n=$(NIANBAO_NOW=$now "$NIANBAO" missing -f "$tmp/nianbaod.conf" --csv \
	--region 山东省淄博市 | tail -n +2 | wc -l)
[ "$n" = 2 ] || fail "missing --region 山东省淄博市: $n lines"
n=$(NIANBAO_NOW=$now "$NIANBAO" missing -f "$tmp/nianbaod.conf" --csv \
	--region 浙江省 | tail -n +2 | wc -l)
[ "$n" = 0 ] || fail "missing --region 浙江省: $n lines"
n=$(NIANBAO_NOW=$now "$NIANBAO" missing -f "$tmp/nianbaod.conf" --csv \
	--year 2024 | tail -n +2 | wc -l)
[ "$n" = 0 ] || fail "missing --year 2024 (before first_year): $n lines"
# computed from the clock, not the daemon's rows: on 1 April the
# government's report is on time and nothing else changed
n=$(NIANBAO_NOW=2026-04-01 "$NIANBAO" missing -f "$tmp/nianbaod.conf" \
	--csv | tail -n +2 | cut -d, -f1 | tr '\n' ' ')
[ "$n" = "dept-missing town-missing " ] || fail "missing on 1 April: $n"
# before 31 January nothing for 2025 is missing yet: the default year is 2024
n=$(NIANBAO_NOW=2026-01-31T12:00+08:00 "$NIANBAO" missing \
	-f "$tmp/nianbaod.conf" --json | python3 -c '
import json, sys; print(len(json.load(sys.stdin)))')
[ "$n" = 0 ] || fail "missing on 31 January: $n rows"
# the calendar needs the catalog
if "$NIANBAO" calendar --db "$tmp/nb.db" >/dev/null 2>"$tmp/err"; then
	fail "calendar without a configuration"
fi
grep -q "catalog" "$tmp/err" || fail "calendar --db: $(cat "$tmp/err")"
NIANBAO_NOW=$now "$NIANBAO" calendar -f "$tmp/nianbaod.conf" \
	--source dept-late >"$tmp/cal.txt" || fail "calendar --source"
grep -q "^dept-late .*2025  late .*2026-01-31 .*5d  2026-02-05 (page)" \
	"$tmp/cal.txt" || fail "calendar text: $(cat "$tmp/cal.txt")"
echo "ok calendar: deadlines, events and nianbao missing/calendar"
