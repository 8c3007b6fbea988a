#!/bin/sh
# End to end: retention.  A real nianbaod crawls the loopback portal three
# times (the portal's state switch between the first two, so one report
# has two versions; the third run makes every unchanged page's second
# revisit prunable).  Then `nianbao gc`:
#
#   --dry-run            reports what it would do and changes nothing
#   --prune-revisits 0s  deletes old revisit captures; every version's
#   --vacuum             capture and each URL's latest stay; `show --raw`
#                        gives the same bytes and `history` is unchanged;
#                        an unreferenced blob planted with sqlite3 is
#                        reclaimed and the file shrinks by about the
#                        bytes printed; integrity and foreign keys check
#   again                nothing left to do
#
# and a --once run with [daemon] prune_revisits_after prunes by itself.
# The hostile site is left out of the catalog to keep it fast.
set -eu
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup NIANBAOD NIANBAO TOOLS SRC
MIN_DELAY=50ms
e2e_portal_fixture
e2e_no_hostile

run() {
	e2e_once "$1" --all
}
nb() {
	"$NIANBAO" "$@" --db "$tmp/nb.db"
}
q() {
	sqlite3 "$tmp/nb.db" "$1"
}
# what must not change: history and raw bytes of the altered report, the
# latest capture of every URL, the versions' captures
snapshot() {
	nb history "$alt" --json >"$tmp/history.$1" || fail "history ($1)"
	nb show "$alt" --raw | sha256sum >"$tmp/raw.$1" || fail "show --raw ($1)"
	nb show "$alt" --version 1 --raw | sha256sum >>"$tmp/raw.$1" ||
		fail "show --version 1 --raw ($1)"
	q "SELECT url_id, max(id), max(fetched_at) FROM captures
	    GROUP BY url_id ORDER BY url_id" >"$tmp/latest.$1"
	q "SELECT v.report_id, v.number, c.id, c.blob_id FROM versions v
	    JOIN captures c ON c.id = v.capture_id ORDER BY 1, 2" \
	    >"$tmp/versions.$1"
	[ -s "$tmp/versions.$1" ] || fail "no version captures ($1)"
}
same() {
	for f in history raw latest versions; do
		cmp -s "$tmp/$f.$1" "$tmp/$f.$2" ||
			fail "$f changed ($1 → $2): $(diff "$tmp/$f.$1" "$tmp/$f.$2" | head -5)"
	done
}
checkdb() {
	[ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check ($1)"
	[ -z "$(q 'PRAGMA foreign_key_check')" ] || fail "foreign keys ($1)"
}

run 1
e2e_state 2
run 2
run 3
alt=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["changes"]["2"]["altered"][0])' "$tmp/expected.json")
snapshot a
python3 - "$tmp/history.a" <<'EOF' || fail "the altered report has no two versions"
import json, sys
assert [v["version"] for v in json.load(open(sys.argv[1]))["versions"]] == [1, 2]
EOF
revisits0=$(q "SELECT count(*) FROM captures WHERE revisit")
captures0=$(q "SELECT count(*) FROM captures")
[ "$revisits0" -gt 0 ] || fail "no revisits after three runs"

# a blob nothing refers to, 300000 incompressible bytes
q "INSERT INTO blobs (sha256, size, stored, codec, data)
    VALUES (randomblob(32), 300000, 300000, 0, randomblob(300000))"
blobs0=$(q "SELECT count(*) FROM blobs")
file0=$(stat -c %s "$tmp/nb.db")

# ---- dry run: counts, no change ---------------------------------------------
nb gc --prune-revisits 0s --dry-run --json >"$tmp/dry.json" || fail "gc --dry-run"
[ "$(q 'SELECT count(*) FROM captures')" = "$captures0" ] ||
	fail "gc --dry-run deleted captures"
[ "$(q 'SELECT count(*) FROM blobs')" = "$blobs0" ] ||
	fail "gc --dry-run deleted blobs"
snapshot b
same a b

# ---- the real thing ------------------------------------------------------------
nb gc --prune-revisits 0s --vacuum --json >"$tmp/gc.json" || fail "gc"
file1=$(stat -c %s "$tmp/nb.db")
revisits1=$(q "SELECT count(*) FROM captures WHERE revisit")
captures1=$(q "SELECT count(*) FROM captures")
python3 - "$tmp/dry.json" "$tmp/gc.json" "$file0" "$file1" \
    "$captures0" "$captures1" "$revisits0" "$revisits1" <<'EOF' || fail "gc report: $(cat "$tmp/gc.json")"
import json, sys
dry, gc = (json.load(open(p)) for p in sys.argv[1:3])
file0, file1, c0, c1, r0, r1 = map(int, sys.argv[3:9])
assert dry["dry_run"] and not gc["dry_run"] and gc["vacuum"]
# the dry run said exactly what the real run did
for k in ("pruned", "blobs", "bytes"):
    assert dry[k] == gc[k], (k, dry[k], gc[k])
assert gc["pruned"] > 0, gc
assert c0 - c1 == gc["pruned"] and r0 - r1 == gc["pruned"], (c0, c1, r0, r1)
assert r1 > 0                          # each URL's latest revisit stays
assert gc["blobs"] == 1, gc            # exactly the planted one
assert 300000 <= gc["bytes"] < 310000, gc
# the sizes printed are the file's, and it shrank by about what was freed
assert gc["file_before"] >= file0 - 4096, (gc, file0)
assert gc["file_after"] == file1, (gc, file1)
saved = file0 - file1
assert gc["bytes"] * 0.9 <= saved <= gc["bytes"] + gc["pruned"] * 512 + 65536, \
    (saved, gc)
EOF
snapshot c
same a c
checkdb "after gc"

# ---- nothing left; the human line ---------------------------------------------
nb gc --prune-revisits 0s >"$tmp/gc2.txt" || fail "second gc"
grep -q "^pruned 0 revisit captures; reclaimed 0 blobs, 0 bytes; database [0-9]* → [0-9]* bytes" \
    "$tmp/gc2.txt" || fail "second gc: $(cat "$tmp/gc2.txt")"
nb gc --prune-revisits soon >/dev/null 2>&1 && fail "gc accepted a bad age"
nb gc extra >/dev/null 2>&1 && fail "gc accepted an operand"

# ---- the daemon prunes by itself -------------------------------------------------
printf '[daemon]\nprune_revisits_after = 1ms\n' >>"$tmp/nianbaod.conf"
"$NIANBAOD" -n -f "$tmp/nianbaod.conf" >/dev/null 2>&1 ||
	fail "nianbaod -n rejects prune_revisits_after"
run 4
grep -q "pruned [1-9][0-9]* revisit captures" "$tmp/run4.log" ||
	fail "run 4: the daemon pruned nothing"
snapshot d
# run 4 added captures and moved the latest version's last-seen time on
cmp -s "$tmp/raw.a" "$tmp/raw.d" || fail "raw bytes changed after run 4"
cmp -s "$tmp/versions.a" "$tmp/versions.d" || fail "versions changed after run 4"
python3 - "$tmp/history.a" "$tmp/history.d" <<'EOF2' || fail "history changed after the daemon's prune"
import json, sys
a, d = (json.load(open(p))["versions"] for p in sys.argv[1:3])
assert len(a) == len(d) == 2
assert a[0] == d[0], (a[0], d[0])
a[1].pop("last_seen"); d[1].pop("last_seen")
assert a[1] == d[1], (a[1], d[1])
EOF2
checkdb "after the daemon's prune"
echo "ok: gc pruned $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pruned"])' "$tmp/gc.json") revisits, file $file0 → $file1 bytes"
