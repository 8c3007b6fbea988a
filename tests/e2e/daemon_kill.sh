#!/bin/sh
# kill -9 of nianbaod in the middle of a run, then a restart: the database
# passes PRAGMA integrity_check, the interrupted sources are checked on the
# restart, every report is announced exactly once (in its source's first
# sync, source.synced), no event is duplicated.
# Then SIGTERM (drains and exits 0) and SIGHUP (a broken configuration is
# refused and the old one kept; a good one is taken).
set -eu
: "${NIANBAOD:?}" "${NIANBAO:?}" "${TOOLS:?}" "${SRC:?}"

tmp=$(mktemp -d)
portal_pid=""
daemon_pid=""
cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	[ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "FAIL: $*" >&2
	for f in "$tmp"/*.log; do
		[ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
	done
	exit 1
}
MIN_DELAY=400ms
. "$SRC/tests/e2e/lib/portal_env.sh"
# the hostile site only makes runs long here
grep -v hostile "$tmp/catalog.csv" >"$tmp/c" && mv "$tmp/c" "$tmp/catalog.csv"

# ---- kill -9 half-way, restart -------------------------------------------
"$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once 2>"$tmp/killed.log" &
daemon_pid=$!
# wait until the first source's reports are committed, then kill
i=0
until grep -q "event source.synced" "$tmp/killed.log"; do
	i=$((i + 1))
	[ $i -gt 200 ] && fail "no report found before the kill"
	sleep 0.05
done
sleep 0.3
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null || true
daemon_pid=""
grep -q "stopped after" "$tmp/killed.log" && fail "the run ended before the kill; make it longer"
[ "$(sqlite3 "$tmp/nb.db" 'PRAGMA integrity_check')" = ok ] ||
	fail "integrity_check after kill -9"
timeout 120 "$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once 2>"$tmp/restart.log" ||
	fail "restart failed"
# sources finished before the kill are not due; the others are
grep -Eq "stopped after .*: [1-9][0-9]* checks" "$tmp/restart.log" ||
	fail "the restart checked nothing"
[ "$(sqlite3 "$tmp/nb.db" 'PRAGMA integrity_check')" = ok ] ||
	fail "integrity_check after restart"
"$NIANBAO" events --db "$tmp/nb.db" --json >"$tmp/events.json"
python3 - "$tmp" <<'PY' || fail "events after kill -9"
import json, sys
tmp = sys.argv[1]
exp = json.load(open(f"{tmp}/expected.json"))["states"]["1"]
want = sorted(r["url"] for r in exp["reports"] if r["site"] != "hostile")
ev = json.load(open(f"{tmp}/events.json"))
keys = [e["key"] for e in ev]
# the deadline events (report.missing ...) are another test's
ev = [e for e in ev if e["type"] in ("report.new", "report.changed",
      "report.removed", "source.synced")]
new = sorted(r["url"] for e in ev if e["type"] == "source.synced"
             for r in e["payload"]["reports"])
bad = []
if new != want:
    bad.append(f"source.synced reports {new}\n  want {want}")
if len(keys) != len(set(keys)):
    bad.append("duplicate event keys")
if any(e["type"] != "source.synced" for e in ev):
    bad.append(f"unexpected {[e['type'] for e in ev]}")
if bad:
    print("\n".join(bad)); sys.exit(1)
print(f"kill -9: {len(new)} reports, each announced once")
PY

# ---- SIGHUP and SIGTERM on a running daemon -------------------------------
"$NIANBAOD" -d -f "$tmp/nianbaod.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!
i=0
until grep -q "started:" "$tmp/daemon.log"; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "daemon did not start"
	sleep 0.05
done
cp "$tmp/nianbaod.conf" "$tmp/good.conf"
printf '[fetch]\nper_host = lots\n' >>"$tmp/nianbaod.conf"
kill -HUP "$daemon_pid"
i=0
until grep -q "reload refused" "$tmp/daemon.log"; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "broken config not refused"
	sleep 0.05
done
grep -q "nianbaod.conf:[0-9]*: fetch.per_host" "$tmp/daemon.log" ||
	fail "refusal does not name file:line"
cp "$tmp/good.conf" "$tmp/nianbaod.conf"
echo "x-extra,追加,department,,http://127.0.0.11:$port/col/col1229/index.html,,," >>"$tmp/catalog.csv"
kill -HUP "$daemon_pid"
i=0
until grep -q "reloaded: 5 sources" "$tmp/daemon.log"; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "good config not reloaded"
	sleep 0.05
done
kill -TERM "$daemon_pid"
i=0
while kill -0 "$daemon_pid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && fail "SIGTERM: still running after 15 s"
	sleep 0.05
done
wait "$daemon_pid" && rc=0 || rc=$?
daemon_pid=""
[ "$rc" = 0 ] || fail "SIGTERM: exit status $rc"
grep -q "stopping" "$tmp/daemon.log" || fail "SIGTERM not logged"
[ "$(sqlite3 "$tmp/nb.db" 'PRAGMA integrity_check')" = ok ] ||
	fail "integrity_check after SIGTERM"
echo "ok: kill -9 / restart, SIGHUP, SIGTERM"
