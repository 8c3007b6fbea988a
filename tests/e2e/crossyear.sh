#!/bin/sh
# Cross-year rules and the first sync, end to end: the real nianbaod
# (--once --all) against the loopback portal serving the ROOT that
# tests/e2e/lib/years_site.py writes (four sites, one agency each; its
# docstring has the years and the 上年结转 / 结转下年度 numbers).
#
#   run 1 (state 1)  a first sync of every source: one source.synced each,
#                    no report.new; the five-year site has five reports of
#                    one version each; the pair listed together (agree)
#                    has X.CARRY passing, computed in the same check
#   run 2 (state 2)  X.CARRY fails with the cells and numbers in both
#                    orders of discovery: fwd (2023 arrives after 2024:
#                    2024 gets a version 2 and report.changed, reason
#                    cross-year) and rev (2024 after 2023: report.new with
#                    the failing X.CARRY); five's 2025 is report.new;
#                    `nianbao findings` and `nianbao show` show it
#   run 3 (state 2)  nothing new: no version, no event
set -eu
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup NIANBAOD NIANBAO TOOLS SRC
e2e_tail=30
E2E_TIMEOUT=120

python3 "$SRC/tests/e2e/lib/years_site.py" "$tmp/root" ||
	fail "years_site.py"
e2e_portal "$tmp/root"
e2e_unport catalog.csv years.json
MIN_DELAY=100ms
e2e_write_conf

run() {
	e2e_once "$1" --all
	e2e_events "$1"
	"$NIANBAO" reports --db "$tmp/nb.db" --json >"$tmp/reports$1.json" ||
		fail "run $1: nianbao reports"
}

state() {
	e2e_state "$1" 127.0.0.21
}

# Python helpers of the checks below (one interpreter per check: python
# is slow to start on a loaded machine): carry(id[, version]) is the
# X.CARRY findings of a version from `nianbao show --json` as "cell result
# expected actual" lines, rid(source, year, run) a report's id.
cat >"$tmp/lib.py" <<'EOF'
import json, os, subprocess
tmp = os.environ["tmp"]
def carry(rid, version=None):
    cmd = [os.environ["NIANBAO"], "show", "--db", f"{tmp}/nb.db", str(rid),
           "--json"] + (["--version", str(version)] if version else [])
    r = json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout)
    return ["%s %s %g %g" % (",".join(f["cells"]), f["result"],
                             f["expected"], f["actual"])
            for f in r["findings"] if f["rule"] == "X.CARRY"]
def rid(source, year, run):
    for r in json.load(open(f"{tmp}/reports{run}.json")):
        if r["source"] == source and r["year"] == year:
            return r["id"]
    raise KeyError((source, year))
EOF
export tmp NIANBAO

# ---- run 1: first sync ---------------------------------------------------
run 1
python3 - "$tmp" <<'EOF' || fail "run 1 checks"
import json, sys
tmp = sys.argv[1]
exp = json.load(open(f"{tmp}/years.json"))
# this issue's events (the deadline events are another test's)
mine = ("report.new", "report.changed", "report.removed", "source.synced")
ev = [e for e in json.load(open(f"{tmp}/events1.json")) if e["type"] in mine]
reps = json.load(open(f"{tmp}/reports1.json"))
bad = []
types = sorted(e["type"] for e in ev)
if types != ["source.synced"] * len(exp):
    bad.append(f"events {types}, want {len(exp)} source.synced")
for site, x in exp.items():
    synced = [e for e in ev if e["type"] == "source.synced" and
              e["payload"]["source"] == x["source"]]
    if len(synced) != 1:
        bad.append(f"{site}: {len(synced)} source.synced")
        continue
    p = synced[0]["payload"]
    years = sorted(x["states"]["1"])
    if synced[0]["key"] != "source.synced:" + x["source"]:
        bad.append(f"{site}: key {synced[0]['key']}")
    if p["reports_found"] != len(years) or p["years"] != years:
        bad.append(f"{site}: found {p['reports_found']} {p['years']}, "
                   f"want {years}")
    if p["agency"] != x["agency"]:
        bad.append(f"{site}: agency {p['agency']}")
    got = [(r["agency"], r["year"], r["url"]) for r in p["reports"]]
    want = [(x["agency"], y, x["urls"][str(y)]) for y in years]
    if got != want:
        bad.append(f"{site}: reports {got}\n  want {want}")
    if any(not isinstance(r["failing"], int) or r["failing"] < 0
           for r in p["reports"]):
        bad.append(f"{site}: failing counts {p['reports']}")
    mine = sorted(r["year"] for r in reps if r["source"] == x["source"])
    if mine != years:
        bad.append(f"{site}: stored {mine}, want {years}")
    # one version per report: the pair rules ran in the same check
    if any(r["versions"] != 1 for r in reps if r["source"] == x["source"]):
        bad.append(f"{site}: versions {[r['versions'] for r in reps]}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
EOF
python3 - <<'EOF' || fail "run 1: X.CARRY"
import os, sys
sys.path.insert(0, os.environ["tmp"])
from lib import carry, rid
bad = []
# agree (2022 and 2023 listed together): X.CARRY passes, 6 = 6, 7 columns
c = carry(rid("years-agree", 2023, 1))
if "t3.carried_over.total pass 6 6" not in c or \
   "t3.carried_over.natural pass 6 6" not in c or \
   len([x for x in c if " pass " in x]) != 7:
    bad.append(f"agree 2023: {c}")
# the first year of a pair, and a lone year, have no cross-year finding
for site, y in (("agree", 2022), ("fwd", 2024), ("five", 2020)):
    if carry(rid("years-" + site, y, 1)):
        bad.append(f"{site} {y} has X.CARRY")
# five past years, consecutive: every later year passes
for y in (2021, 2022, 2023, 2024):
    if "t3.carried_over.total pass 2 2" not in carry(rid("years-five", y, 1)):
        bad.append(f"five {y}: {carry(rid('years-five', y, 1))}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
EOF
"$NIANBAO" findings --db "$tmp/nb.db" --rule X.CARRY >"$tmp/findings1.txt" ||
	fail "nianbao findings"
grep -q "X.CARRY" "$tmp/findings1.txt" &&
	fail "run 1: failing X.CARRY: $(cat "$tmp/findings1.txt")"

# ---- run 2: the other year arrives ----------------------------------------
state 2
run 2
python3 - "$tmp" <<'EOF' || fail "run 2 checks"
import json, sys
tmp = sys.argv[1]
exp = json.load(open(f"{tmp}/years.json"))
old = {e["id"] for e in json.load(open(f"{tmp}/events1.json"))}
mine = ("report.new", "report.changed", "report.removed", "source.synced")
ev = [e for e in json.load(open(f"{tmp}/events2.json"))
      if e["id"] not in old and e["type"] in mine]
reps = {(r["source"], r["year"]): r for r in json.load(open(f"{tmp}/reports2.json"))}
bad = []
got = sorted((e["type"], e["payload"]["source"], e["payload"]["year"])
             for e in ev)
want = sorted([("report.changed", "years-fwd", 2024),
               ("report.new", "years-fwd", 2023),
               ("report.changed", "years-back", 2024),
               ("report.new", "years-back", 2023),
               ("report.new", "years-rev", 2024),
               ("report.new", "years-five", 2025)])
if got != want:
    bad.append(f"events {got}\n  want {want}")
def carry_fail(e):
    return sorted((",".join(f["cells"]), f["expected"], f["actual"])
                  for f in e["payload"]["findings"] if f["rule"] == "X.CARRY")
for e in ev:
    p = e["payload"]
    for site, reason, a, b in (("fwd", None, 5, 7),
                               ("back", "cross-year", 8, 9)):
        if (p["source"], p["year"]) != ("years-" + site, 2024):
            continue
        # fwd 2024 is read again in the check that finds 2023; back 2024
        # is not listed any more: recomputed from its stored version
        if e["type"] != "report.changed" or p["version"] != 2 or \
           p.get("reason") != reason:
            bad.append(f"{site} 2024: {e['type']} v{p['version']} {p.get('reason')}")
        appeared = [f["id"] for f in p["changes"]["findings_appeared"]]
        if "X.CARRY" not in appeared or p["changes"]["cells"]:
            bad.append(f"{site} 2024 changes: {p['changes']}")
        if carry_fail(e) != [("t3.carried_over.natural", a, b),
                             ("t3.carried_over.total", a, b)]:
            bad.append(f"{site} 2024 failing X.CARRY {carry_fail(e)}")
    if (p["source"], p["year"]) == ("years-rev", 2024):
        if carry_fail(e) != [("t3.carried_over.natural", 3, 4),
                             ("t3.carried_over.total", 3, 4)]:
            bad.append(f"rev 2024 failing X.CARRY {carry_fail(e)}")
    if (p["source"], p["year"]) == ("years-five", 2025) and carry_fail(e):
        bad.append(f"five 2025 failing X.CARRY {carry_fail(e)}")
if any(e["type"] == "source.synced" for e in ev):
    bad.append("a second source.synced")
v = {k: r["versions"] for k, r in reps.items()}
if v[("years-fwd", 2024)] != 2 or v[("years-fwd", 2023)] != 1 or \
   v[("years-back", 2024)] != 2 or v[("years-back", 2023)] != 1 or \
   v[("years-rev", 2023)] != 1 or v[("years-rev", 2024)] != 1:
    bad.append(f"versions {v}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
EOF
# nianbao show: the numbers and the cell in both orders; version 1 of
# back 2024 had none, version 2, made without a fetch, has the same capture
python3 - <<'EOF' || fail "run 2: nianbao show"
import os, sys
sys.path.insert(0, os.environ["tmp"])
from lib import carry, rid
bad = []
for site, a, b in (("fwd", 5, 7), ("rev", 3, 4), ("back", 8, 9)):
    c = carry(rid("years-" + site, 2024, 2))
    if f"t3.carried_over.total fail {a} {b}" not in c:
        bad.append(f"{site} 2024: {c}")
if carry(rid("years-back", 2024, 2), 1):
    bad.append("back 2024 v1 has X.CARRY")
print(rid("years-back", 2024, 2), file=open(os.environ["tmp"] + "/back", "w"))
if bad:
    print("\n".join(bad))
    sys.exit(1)
EOF
caps=$(sqlite3 "$tmp/nb.db" "SELECT count(DISTINCT capture_id) FROM versions
	WHERE report_id = $(cat "$tmp/back")")
[ "$caps" = 1 ] || fail "back 2024: versions from $caps captures"
# nianbao findings lists exactly the two failing pairs (2 columns each)
"$NIANBAO" findings --db "$tmp/nb.db" --rule X.CARRY --json \
	>"$tmp/findings2.json" || fail "nianbao findings --json"
python3 - "$tmp/findings2.json" <<'EOF' || fail "findings: $(cat "$tmp/findings2.json")"
import json, sys
f = json.load(open(sys.argv[1]))
got = sorted((x["agency"], x["year"], x["cells"]) for x in f)
want = sorted([(a, 2024, c) for a in ("东至县人民政府", "青阳县人民政府",
                                     "池州市人民政府")
               for c in ("t3.carried_over.natural", "t3.carried_over.total")])
assert got == want, got
assert all("上年结转" in x["message"] for x in f)
EOF
"$NIANBAO" findings --db "$tmp/nb.db" --rule X.CARRY >"$tmp/findings2.txt"
grep -q "2023年度报告“四、结转下年度继续办理”为 5" "$tmp/findings2.txt" ||
	fail "findings text: $(cat "$tmp/findings2.txt")"

# ---- run 3: nothing changed -------------------------------------------------
run 3
n2=$(grep -c '"key":' "$tmp/events2.json")
n3=$(grep -c '"key":' "$tmp/events3.json")
[ "$n2" = "$n3" ] || fail "run 3 added $((n3 - n2)) events"
grep -q "0 new versions" "$tmp/run3.log" || fail "run 3 made versions: $(grep 'stopped after' "$tmp/run3.log")"
echo "ok: cross-year X.CARRY in both orders, first sync as one source.synced ($n3 events)"
