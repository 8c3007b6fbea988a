#!/bin/sh
# kill -9 of nianbaod in the middle of a run, then a restart: the database
# passes PRAGMA integrity_check, the interrupted sources are checked on the
# restart, every report is announced exactly once (in its source's first
# sync, source.synced), no event is duplicated.
# Then SIGTERM (drains and exits 0) and SIGHUP (a broken configuration is
# refused and the old one kept; a good one is taken).
set -eu
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup NIANBAOD NIANBAO TOOLS SRC
e2e_logs='*.log'
MIN_DELAY=400ms
e2e_portal_fixture
e2e_no_hostile

# ---- kill -9 half-way, restart -------------------------------------------
e2e_daemon killed.log --once
# wait until the first source's reports are committed, then kill
e2e_wait_log "$tmp/killed.log" "event source.synced" \
	"no report found before the kill" 200
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
e2e_daemon daemon.log
e2e_wait_log "$tmp/daemon.log" "started:" "daemon did not start"
cp "$tmp/nianbaod.conf" "$tmp/good.conf"
printf '[fetch]\nper_host = lots\n' >>"$tmp/nianbaod.conf"
kill -HUP "$daemon_pid"
e2e_wait_log "$tmp/daemon.log" "reload refused" "broken config not refused"
grep -q "nianbaod.conf:[0-9]*: fetch.per_host" "$tmp/daemon.log" ||
	fail "refusal does not name file:line"
cp "$tmp/good.conf" "$tmp/nianbaod.conf"
echo "x-extra,追加,department,,http://127.0.0.11:$port/col/col1229/index.html,,," >>"$tmp/catalog.csv"
kill -HUP "$daemon_pid"
e2e_wait_log "$tmp/daemon.log" "reloaded: 5 sources" "good config not reloaded"
e2e_daemon_stop
grep -q "stopping" "$tmp/daemon.log" || fail "SIGTERM not logged"
[ "$(sqlite3 "$tmp/nb.db" 'PRAGMA integrity_check')" = ok ] ||
	fail "integrity_check after SIGTERM"
echo "ok: kill -9 / restart, SIGHUP, SIGTERM"
