#!/bin/sh
# End to end: the real nianbaod against the loopback portal
# (tests/portal/gen.py + $TOOLS/portal), then the real nianbao CLI and the
# sqlite3 shell on its database.
#
#   run 1 (state 1)  every expected report found once (a first sync: one
#                    source.synced per source lists them), look-alikes, the
#                    spam mirror and robots-forbidden paths never fetched,
#                    every hostile endpoint captured with its error,
#                    per-host delay respected in the portal's log
#   run 2 (state 2)  exactly report.new / report.changed / report.removed
#                    for the added / altered / removed report, nothing for
#                    the chrome-only change
#   run 3 (state 2)  nothing new: unchanged pages are revisits
set -eu
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup NIANBAOD NIANBAO TOOLS SRC
e2e_tail=30
e2e_portal_fixture

run() {
	e2e_once "$1" --all
	e2e_events "$1"
}

# ---- run 1 ---------------------------------------------------------------
run 1
sqlite3 "$tmp/nb.db" "SELECT u.url, c.kind, c.status, ifnull(c.error, '')
	FROM captures c JOIN urls u ON u.id = c.url_id" >"$tmp/captures1.txt"
python3 - "$tmp" 1 <<'EOF' || fail "run 1 checks"
import json, sys
tmp, state = sys.argv[1], sys.argv[2]
exp = json.load(open(f"{tmp}/expected.json"))["states"][state]
events = json.load(open(f"{tmp}/events1.json"))
bad = []
# the first check of a source is its first sync: its reports are listed
# by one source.synced, never one report.new each (the deadline events
# report.missing / late / found are another test's)
mine = ("report.new", "report.changed", "report.removed", "source.synced",
        "source.failing", "source.recovered")
events = [e for e in events if e["type"] in mine]
synced = [e for e in events if e["type"] == "source.synced"]
new = [r["url"] for e in synced for r in e["payload"]["reports"]]
want = sorted(r["url"] for r in exp["reports"])
if sorted(new) != want:
    bad.append(f"source.synced lists {sorted(set(new) ^ set(want))}")
if len(new) != len(set(new)):
    bad.append("a report was announced twice")
srcs = [e["payload"]["source"] for e in synced]
if len(srcs) != len(set(srcs)):
    bad.append(f"source.synced twice: {sorted(srcs)}")
for e in synced:
    p = e["payload"]
    if p["reports_found"] != len(p["reports"]) or p["years"] != \
       sorted({r["year"] for r in p["reports"]}):
        bad.append(f"source.synced payload {p}")
others = [e for e in events if e["type"] != "source.synced"]
if others:
    bad.append(f"unexpected events {[e['type'] for e in others]}")
# years and agencies as the portal published them
byurl = {r["url"]: r for e in synced for r in e["payload"]["reports"]}
for r in exp["reports"]:
    p = byurl.get(r["url"])
    if p and p["year"] != r["year"]:
        bad.append(f"{r['url']}: year {p['year']} != {r['year']}")
    if p and p["agency"] != r["agency"]:
        bad.append(f"{r['url']}: agency {p['agency']} != {r['agency']}")
# a report only as a PDF attachment takes its record from the PDF: the
# 洪泽区 2023 report's table 四 does not add up (T4.SUM)
import os, subprocess
for r in exp["reports"]:
    if r.get("kind") == "pdf" and r["url"] in byurl:
        rec = json.loads(subprocess.run([os.environ["NIANBAO"], "show",
            "--db", f"{tmp}/nb.db", str(byurl[r["url"]]["report"]),
            "--json"], check=True, capture_output=True).stdout)
        rules = {f["rule"] for f in rec["findings"] if f["result"] == "fail"}
        if "T4.SUM" not in rules:
            bad.append(f"{r['url']}: PDF record not read (findings {rules})")
# never fetched: spam mirror, robots-forbidden path, look-alikes
log = open(f"{tmp}/portal.log").read().split("\n")
paths = {}
for line in log:
    f = line.split()
    if len(f) >= 4 and f[0].isdigit():
        paths.setdefault(f[1], []).append((int(f[0]), f[3], f[4]))
fetched = {f"http://{a}:{open(tmp + '/port').read().strip()}{p}"
           for a, v in paths.items() for _, p, _ in v}
for u in exp.get("never_fetch", []):
    u = u["url"] if isinstance(u, dict) else u
    if u in fetched:
        bad.append(f"fetched {u}")
for u in exp.get("not_reports", []):
    u = u["url"] if isinstance(u, dict) else u
    if u in new:
        bad.append(f"look-alike announced: {u}")
# every hostile endpoint captured, with an error or an error status
caps = [l.split("|") for l in open(f"{tmp}/captures1.txt").read().splitlines()]
for e in exp.get("errors", []):
    got = [c for c in caps if c[0] == e["url"]]
    if not got:
        bad.append(f"no capture of {e['url']}")
    elif not any(c[3] or int(c[2]) >= 400 for c in got):
        bad.append(f"{e['url']} captured without error: {got}")
# politeness: per host (local address), requests at least 200 ms apart;
# libcurl follows a redirect at once, so a 3xx and its follower are exempt
for addr, v in paths.items():
    v.sort()
    for (t0, p0, s0), (t1, p1, _) in zip(v, v[1:]):
        if t1 - t0 < 190 and not s0.startswith("3"):
            bad.append(f"{addr}: {p0} then {p1} only {t1 - t0} ms apart")
            break
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"run 1: {len(new)} reports, {len(caps)} captures, delays kept")
EOF
for u in slow loop huge gzipbomb; do
	grep -q "/hostile/$u|" "$tmp/captures1.txt" ||
		fail "hostile/$u not captured"
done
grep -q "/hostile/slow|.*|timeout" "$tmp/captures1.txt" ||
	fail "hostile/slow: no timeout recorded"
grep -q "/hostile/loop|.*|redirects" "$tmp/captures1.txt" ||
	fail "hostile/loop: no redirect error recorded"
grep -q "/hostile/gzipbomb|.*|too_large" "$tmp/captures1.txt" ||
	fail "hostile/gzipbomb: not stopped as too_large"
grep -q "/hostile/huge|.*|too_large" "$tmp/captures1.txt" ||
	fail "hostile/huge: not stopped as too_large"
# the 429 answer that was retried is a capture too, then the 200
grep -q "/hostile/429|[^|]*|429|" "$tmp/captures1.txt" ||
	fail "hostile/429: the 429 answer was not captured"
grep -q "/hostile/429|[^|]*|200|" "$tmp/captures1.txt" ||
	fail "hostile/429: no 200 after Retry-After"

# ---- run 2: the portal adds, alters, changes chrome, removes ---------------
e2e_state 2
run 2
python3 - "$tmp" <<'EOF' || fail "run 2 checks"
import json, sys
tmp = sys.argv[1]
exp = json.load(open(f"{tmp}/expected.json"))["changes"]["2"]
old = {e["id"] for e in json.load(open(f"{tmp}/events1.json"))}
mine = ("report.new", "report.changed", "report.removed", "source.synced")
ev = [e for e in json.load(open(f"{tmp}/events2.json"))
      if e["id"] not in old and e["type"] in mine]
got = sorted((e["type"], e["payload"].get("url")) for e in ev)
want = sorted([("report.new", u) for u in exp["added"]] +
              [("report.changed", u) for u in exp["altered"]] +
              [("report.removed", u) for u in exp["removed"]])
bad = []
if got != want:
    bad.append(f"events {got}\n  want {want}")
for e in ev:
    if e["payload"].get("url") in exp["chrome"]:
        bad.append("an event for the chrome-only change")
    if e["type"] == "report.changed":
        cells = {c["key"]: (c["from"], c["to"])
                 for c in e["payload"]["changes"]["cells"]}
        if cells != {"t3.granted.natural": ("68", "70")}:
            bad.append(f"changed cells {cells}")
        rules = {f["id"] for f in e["payload"]["changes"]["findings_appeared"]}
        if not {"T3.ROW", "T3.RESULTS"} <= rules:
            bad.append(f"findings appeared {rules}")
        if e["payload"]["version"] != 2:
            bad.append("altered report is not version 2")
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"run 2: {got}")
EOF

# ---- run 3: nothing changed -----------------------------------------------
run 3
n2=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$tmp/events2.json")
n3=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$tmp/events3.json")
[ "$n2" = "$n3" ] || fail "run 3 recorded $((n3 - n2)) new event(s)"
grep -Eq "stopped after .*\(([1-9][0-9]*) unchanged" "$tmp/run3.log" ||
	fail "run 3: no unchanged fetch (revisit) counted"
# an unchanged listing's links come from the cache: pages still followed
grep -q "portal-trs: checked in .*: 3 listing pages, 3 reports" "$tmp/run3.log" ||
	fail "run 3: the TRS listing's pages were not all followed"
sqlite3 "$tmp/nb.db" "SELECT count(*) FROM reports WHERE absent > 0" |
	grep -qx 0 || fail "run 3: reports counted absent from their listing"

# ---- the CLI and the database ---------------------------------------------
"$NIANBAO" status -f "$tmp/nianbaod.conf" >"$tmp/status.txt" ||
	fail "nianbao status"
for s in portal-hanweb portal-trs portal-gbk portal-robots portal-hostile; do
	grep -q "^$s .* ok " "$tmp/status.txt" || fail "status of $s: $(cat "$tmp/status.txt")"
done
grep -q "石台县人民政府" "$tmp/status.txt" || fail "status lacks agencies"
"$NIANBAO" events --db "$tmp/nb.db" --type report.changed >"$tmp/changed.txt"
grep -q "t3.granted.natural: 68 → 70" "$tmp/changed.txt" ||
	fail "events: no change line: $(cat "$tmp/changed.txt")"
[ "$(sqlite3 "$tmp/nb.db" 'PRAGMA integrity_check')" = ok ] ||
	fail "integrity_check"
"$NIANBAO" events --db "$tmp/nowhere.db" 2>"$tmp/err.txt" && fail "events on a missing db succeeded"
grep -q "nowhere.db" "$tmp/err.txt" || fail "missing db error does not name the file"
echo "ok: daemon end to end ($n3 events over three runs)"
