#!/bin/sh
# End to end: the query commands of nianbao (reports, show, history, diff,
# findings, export, captures) on the store of a real nianbaod that crawled
# the loopback portal twice, with the portal's state switch (add, alter,
# chrome-only change, remove) in between.  The hostile site is left out
# of the catalog to keep it fast.
#
# --raw is compared with what the portal serves for the same URL after
# removing the portal's <div class="portal-chrome"> (a visit counter and a
# time the portal injects into every fetch, so no two fetches are equal).
set -eu
: "${NIANBAOD:?}" "${NIANBAO:?}" "${TOOLS:?}" "${SRC:?}"

tmp=$(mktemp -d)
portal_pid=""
cleanup() {
	[ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "FAIL: $*" >&2
	for f in "$tmp"/run*.log; do
		[ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
	done
	exit 1
}

MIN_DELAY=50ms
. "$SRC/tests/e2e/lib/portal_env.sh"
grep -v hostile "$tmp/catalog.csv" >"$tmp/catalog.tmp"
mv "$tmp/catalog.tmp" "$tmp/catalog.csv"

run() {
	timeout 240 "$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once --all \
		2>"$tmp/run$1.log" || fail "run $1: nianbaod exited $?"
}
nb() {
	"$NIANBAO" "$@" --db "$tmp/nb.db"
}

run 1
curl -sf "http://127.0.0.11:$port/__portal/state?n=2" >/dev/null ||
	fail "portal state switch"
run 2

# the altered report (TRS site), named by its URL, id and agency:year
alt=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["changes"]["2"]["altered"][0])' "$tmp/expected.json")
nb reports --json >"$tmp/reports.json" || fail "reports --json"
id=$(python3 - "$tmp/reports.json" "$alt" <<'EOF'
import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if r["url"] == sys.argv[2]]
print(rows[0]["id"] if len(rows) == 1 else "")
EOF
)
[ -n "$id" ] || fail "altered report $alt not listed once by reports"

# ---- history: two versions ------------------------------------------------
nb history "$alt" >"$tmp/history.txt" || fail "history by URL"
[ "$(grep -c '^v[0-9]' "$tmp/history.txt")" = 2 ] ||
	fail "history does not show two versions: $(cat "$tmp/history.txt")"
grep -q '^v2 .*t3.granted.natural: 68 → 70' "$tmp/history.txt" ||
	fail "history v2 does not say what changed: $(cat "$tmp/history.txt")"
nb history "$id" --json >"$tmp/history.json" || fail "history by id"
python3 - "$tmp/history.json" <<'EOF' || fail "history --json"
import json, sys
h = json.load(open(sys.argv[1]))
v = h["versions"]
assert [x["version"] for x in v] == [1, 2], v
assert v[0]["first_seen"] <= v[0]["last_seen"] <= v[1]["first_seen"], v
assert v[0]["digest"] != v[1]["digest"]
EOF

# ---- diff: exactly the one cell, and +T3.ROW --------------------------------
nb diff "$id" >"$tmp/diff.txt" || fail "diff"
grep ': .* → ' "$tmp/diff.txt" | grep -v '^report ' >"$tmp/cells.txt" || true
[ "$(cat "$tmp/cells.txt")" = "t3.granted.natural: 68 → 70" ] ||
	fail "diff cells: $(cat "$tmp/diff.txt")"
grep -q '^+T3.ROW' "$tmp/diff.txt" || fail "diff lacks +T3.ROW: $(cat "$tmp/diff.txt")"
nb diff "$id" 1 2 --json >"$tmp/diff.json" || fail "diff --json"
python3 - "$tmp/diff.json" <<'EOF' || fail "diff --json content"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["changes"]
assert [(x["key"], x["from"], x["to"]) for x in c["cells"]] == \
    [("t3.granted.natural", "68", "70")], c["cells"]
assert "T3.ROW" in [f["id"] for f in c["findings_appeared"]]
assert d["from"] == 1 and d["to"] == 2
EOF
# the same versions backwards: the finding vanishes
nb diff "$id" 2 1 | grep -q '^-T3.ROW' || fail "diff 2 1 lacks -T3.ROW"

# ---- show --raw: the bytes the portal serves, chrome removed ----------------
nb show "$id" --raw >"$tmp/raw.bin" || fail "show --raw"
curl -sf "$alt" >"$tmp/served.bin" || fail "curl $alt"
python3 - "$tmp/raw.bin" "$tmp/served.bin" <<'EOF' || fail "show --raw differs from the served page"
import re, sys
strip = lambda b: re.sub(rb'<div class="portal-chrome">[^<]*</div>', b"", b)
a, b = (open(p, "rb").read() for p in sys.argv[1:3])
assert len(a) > 1000, len(a)
assert b"portal-chrome" in a   # the comparison is not vacuous
assert strip(a) == strip(b), "bytes differ"
EOF
nb show "$id" --raw --headers | head -1 | grep -q '^HTTP 200' ||
	fail "show --raw --headers"
nb show "$id" --version 1 --json >"$tmp/v1.json" || fail "show --version 1"
nb show "$id" --flat >"$tmp/flat.txt" || fail "show --flat"
grep -q "^t3.granted.natural	70	number	70$" "$tmp/flat.txt" ||
	fail "show --flat: $(grep granted.natural "$tmp/flat.txt")"
nb show "$id" --at 2001-01-01 2>"$tmp/err.txt" && fail "show --at before any version"
grep -q "no version yet" "$tmp/err.txt" || fail "show --at: $(cat "$tmp/err.txt")"

# ---- export: one row per report, every cell as show --json says -------------
nb export --format csv >"$tmp/export.csv" || fail "export csv"
nb export --format ndjson --long >"$tmp/export.ndjson" || fail "export long"
nb export --format csv --bom | head -c 3 | od -An -tx1 | grep -q "ef bb bf" ||
	fail "export --bom"
for r in $(python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(open(sys.argv[1]))))' "$tmp/reports.json"); do
	nb show "$r" --json >"$tmp/show.$r.json" || fail "show $r"
done
python3 - "$tmp" <<'EOF' || fail "export does not match the records"
import csv, json, sys
tmp = sys.argv[1]
reports = json.load(open(f"{tmp}/reports.json"))
rows = list(csv.DictReader(open(f"{tmp}/export.csv", newline="", encoding="utf-8")))
assert sorted(int(r["id"]) for r in rows) == sorted(r["id"] for r in reports), \
    "not one row per report"
def cells(rec, prefix=""):
    for k, v in rec.items():
        if isinstance(v, dict) and "kind" in v:
            yield prefix + k, v
        elif isinstance(v, dict):
            yield from cells(v, prefix + k + ".")
checked = 0
long = {}
for line in open(f"{tmp}/export.ndjson"):
    o = json.loads(line)
    long[(o["id"], o["key"])] = o
for row in rows:
    rec = json.load(open(f"{tmp}/show.{row['id']}.json"))
    assert row["year"] == str(rec["meta"]["year"]), row["year"]
    for t in ("t2", "t3", "t4"):
        for k, c in cells(rec.get(t, {}), t + "."):
            got = row[k]
            if c["kind"] in ("number", "zero"):
                assert float(got) == c["value"], (row["id"], k, got, c)
            else:
                assert got == (c["raw"] or ""), (row["id"], k, got, c)
            l = long[(int(row["id"]), k)]
            assert l["kind"] == c["kind"] and l["raw"] == c["raw"], (k, l, c)
            checked += 1
assert checked > 100, checked
print(f"export: {len(rows)} rows, {checked} cells match")
EOF

# ---- export from the version rows = export from the records, byte for byte --
# (the daemon wrote an export row with each version; versions stored before
# schema had them have none and are exported from their record JSON)
[ "$(sqlite3 "$tmp/nb.db" "SELECT count(*) FROM version_flat")" = \
    "$(sqlite3 "$tmp/nb.db" "SELECT count(*) FROM versions")" ] ||
	fail "not every version has an export row"
sqlite3 "$tmp/nb.db" ".backup '$tmp/old.db'" || fail "copy the store"
sqlite3 "$tmp/old.db" "DELETE FROM version_flat WHERE report_id % 2 = 0" ||
	fail "delete half the rows"
sqlite3 "$tmp/old.db" ".backup '$tmp/none.db'" || fail "copy the store"
sqlite3 "$tmp/none.db" "DELETE FROM version_flat" || fail "delete the rows"
for args in "csv" "json" "ndjson" "csv --long" "json --long" \
    "ndjson --long" "csv --year 2024" "json --all"; do
	# shellcheck disable=SC2086
	nb export --format $args >"$tmp/x.rows" || fail "export $args"
	for db in old none; do
		# shellcheck disable=SC2086
		"$NIANBAO" export --db "$tmp/$db.db" --format $args \
		    >"$tmp/x.$db" || fail "export $args ($db)"
		cmp -s "$tmp/x.rows" "$tmp/x.$db" ||
			fail "export $args: rows and records ($db) differ"
	done
	[ "$(wc -c <"$tmp/x.rows")" -gt 1000 ] || fail "export $args: empty"
done

# ---- reports --year, findings ----------------------------------------------
python3 - "$tmp/reports.json" "$tmp/expected.json" <<'EOF' >"$tmp/want2024.txt"
import json, sys
print("\n".join(sorted(str(r["id"]) for r in json.load(open(sys.argv[1]))
                       if r["year"] == 2024)))
EOF
[ -s "$tmp/want2024.txt" ] || fail "no 2024 report to list"
nb reports --year 2024 --json | python3 -c 'import json,sys; print("\n".join(sorted(str(r["id"]) for r in json.load(sys.stdin))))' >"$tmp/got2024.txt"
cmp -s "$tmp/want2024.txt" "$tmp/got2024.txt" ||
	fail "reports --year 2024: $(cat "$tmp/got2024.txt") want $(cat "$tmp/want2024.txt")"
nb reports --year 2024 | grep -q "^ *ID  YEAR  AGENCY" || fail "reports header"
nb findings --rule T3.ROW --json >"$tmp/findings.json" || fail "findings"
python3 - "$tmp/findings.json" "$id" <<'EOF' || fail "findings --rule T3.ROW"
import json, sys
f = json.load(open(sys.argv[1]))
assert f and all(x["rule"] == "T3.ROW" for x in f), f
assert int(sys.argv[2]) in [x["report"] for x in f]
EOF
nb reports --failing T3.ROW | grep -q "^ *$id " || fail "reports --failing T3.ROW"

# ---- captures ----------------------------------------------------------------
nb captures "$alt" --json >"$tmp/caps.json" || fail "captures"
python3 - "$tmp/caps.json" <<'EOF' || fail "captures --json"
import json, sys
c = json.load(open(sys.argv[1]))
assert len(c) >= 2, c
assert [x["timestamp_ms"] for x in c] == sorted(x["timestamp_ms"] for x in c)
EOF
nb captures "$alt" --limit 1 2>"$tmp/more.txt" | grep -c "^ *[0-9]" | grep -qx 1 ||
	fail "captures --limit 1"
grep -q "^more: --after [0-9]" "$tmp/more.txt" || fail "captures: no resume hint"
nb captures "$alt" --from 2001-01-01 --to 2001-12-31 --json | grep -qx '\[\]' ||
	fail "captures in an empty range"

# ---- malformed input ---------------------------------------------------------
before=$(sqlite3 "$tmp/nb.db" "SELECT count(*) FROM reports")
set +e
nb show 999999 2>"$tmp/err.txt"; rc=$?
[ $rc = 2 ] && grep -q "no report 999999" "$tmp/err.txt" || fail "unknown id: rc $rc $(cat "$tmp/err.txt")"
nb history "nobody:2024" 2>"$tmp/err.txt"; rc=$?
[ $rc = 2 ] && grep -q "no report nobody:2024" "$tmp/err.txt" || fail "unknown agency:year: rc $rc"
nb diff "$id" 7 2>"$tmp/err.txt"; rc=$?
[ $rc = 2 ] && grep -q "no version 7" "$tmp/err.txt" || fail "unknown version: rc $rc"
nb captures "http://127.0.0.1:1/none" 2>"$tmp/err.txt"; rc=$?
[ $rc = 2 ] && grep -q "no capture of" "$tmp/err.txt" || fail "unknown url: rc $rc"
nb captures "$alt" --limit -1 2>/dev/null; rc=$?
[ $rc = 64 ] || fail "--limit -1: rc $rc"
nb captures "$alt" --limit 99999999999999999999 2>/dev/null; rc=$?
[ $rc = 64 ] || fail "huge --limit: rc $rc"
nb reports --year abc 2>/dev/null; rc=$?
[ $rc = 64 ] || fail "--year abc: rc $rc"
nb show "$id" --at yesterday 2>/dev/null; rc=$?
[ $rc = 64 ] || fail "--at yesterday: rc $rc"
nb export --format xml 2>/dev/null; rc=$?
[ $rc = 64 ] || fail "--format xml: rc $rc"
nb show 2>/dev/null; rc=$?
[ $rc = 64 ] || fail "show without REPORT: rc $rc"
out=$(nb reports --agency "'; DROP TABLE reports; --" --json); rc=$?
[ $rc = 0 ] && [ "$out" = "[]" ] || fail "SQL-looking agency: rc $rc $out"
nb show "x'); DROP TABLE reports; --:2024" 2>/dev/null; rc=$?
[ $rc = 2 ] || fail "SQL-looking report name: rc $rc"
set -e
nb captures "$alt" --limit 1000000000 >/dev/null || fail "a large --limit"
[ "$(sqlite3 "$tmp/nb.db" "SELECT count(*) FROM reports")" = "$before" ] ||
	fail "reports changed"
nb reports --help | grep -q "^usage: nianbao reports" || fail "reports --help"
for c in show history diff findings export captures; do
	"$NIANBAO" help $c | grep -q "^usage: nianbao $c" || fail "help $c"
done
echo "ok: query commands end to end (report $id, $(wc -l <"$tmp/export.csv") CSV lines)"
