#!/bin/sh
# Notifications end to end, with webhook receivers on 127.0.0.1 started
# here (lib/webhook_receiver.py): signatures verify; a refused (500) and a
# rate-limited (429 + Retry-After) delivery is retried and delivered; a
# burst of 100 events reaches a per_minute = 20 channel as digests within
# that limit; kill -9 during a (slowed) delivery, restart: every event is
# delivered at least once and duplicates carry the same key; an exec
# channel delivers and a command that times out is retried; a channel
# that keeps failing is given up, listed by `nianbao outbox --failed` and
# made due again by `outbox retry`; the secret never appears in the log,
# the outbox listing or `nianbaod -nv`; `nianbao notify test` prints the
# raw answer; /metrics has the backlog; a digest window groups events.
# Events are written with sqlite3.
set -eu
: "${NIANBAOD:?}" "${NIANBAO:?}" "${SRC:?}"

tmp=$(mktemp -d)
daemon_pid=""
rpids=""
cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	for p in $rpids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null || true
	[ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "FAIL: $*" >&2
	for f in "$tmp"/*.log; do
		[ -f "$f" ] && { echo "--- $f" >&2; tail -25 "$f" >&2; }
	done
	exit 1
}
ok() { echo "ok   $*"; }

SECRET='nb-SECRET-7f3a9c-RECOGNISABLE'
printf '%s\n' "$SECRET" >"$tmp/hook.secret"

# receiver NAME [args]: starts one, sets port_NAME
receiver() {
	name=$1
	shift
	python3 "$SRC/tests/e2e/lib/webhook_receiver.py" --log "$tmp/$name.jsonl" \
	    --port-file "$tmp/$name.port" --secret "$SECRET" "$@" \
	    2>"$tmp/recv-$name.log" &
	rpids="$rpids $!"
	i=0
	until [ -s "$tmp/$name.port" ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && fail "receiver $name did not start"
		sleep 0.05
	done
	eval "port_$name=$(cat "$tmp/$name.port")"
}
receiver hook --plan 500,429
receiver burst
receiver slow --delay 1
receiver test --plan 200,500
http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

printf 'id,agency,level,region,url\n' >"$tmp/catalog.csv"
cat >"$tmp/nianbaod.conf" <<EOF
[daemon]
database = $tmp/nb.db
catalog = catalog.csv

[http]
listen = 127.0.0.1:$http_port

[channel hook]
type = webhook
url = http://127.0.0.1:$port_hook/hook?token=abc
secret_file = hook.secret
events = report.*
backoff = 1s
backoff_max = 2s
since = all

[channel burst]
type = webhook
url = http://127.0.0.1:$port_burst/burst
secret_env = NB_TEST_SECRET
events = burst.*
per_minute = 20

[channel slow]
type = webhook
url = http://127.0.0.1:$port_slow/slow
secret_file = $tmp/hook.secret
events = slow.*
timeout = 5s

[channel run]
type = exec
command = cat >"$tmp/exec-\$NIANBAO_EVENT_KEY.json"
events = exec.*

[channel stuck]
type = exec
command = if [ -e "$tmp/stuck-once" ]; then cat >"$tmp/stuck.json"; else touch "$tmp/stuck-once"; sleep 5; fi
timeout = 1s
backoff = 1s
events = stuck.*

[channel dead]
type = webhook
url = http://127.0.0.1:1/never
events = dead.*
backoff = 1s
backoff_max = 1s
give_up_after = 2s

[channel window]
type = exec
command = cat >"$tmp/win-\$NIANBAO_EVENT_KEY.json"
events = window.*
digest = 2s
since = all

[channel journal]
type = log
events = report.*

[channel test]
type = webhook
url = http://127.0.0.1:$port_test/test
secret = $SECRET
EOF
export NB_TEST_SECRET="$SECRET"

# ---- configuration -------------------------------------------------------
"$NIANBAOD" -n -f "$tmp/nianbaod.conf" >"$tmp/n.out" 2>&1 ||
	{ cat "$tmp/n.out"; fail "nianbaod -n"; }
"$NIANBAOD" -nv -f "$tmp/nianbaod.conf" >"$tmp/nv.out" 2>&1 ||
	fail "nianbaod -nv"
grep -q "secret = (set)" "$tmp/nv.out" || fail "-nv does not say the secret is set"
grep -q -- "$SECRET" "$tmp/nv.out" && fail "nianbaod -nv prints the secret"
grep -q "token=abc" "$tmp/nv.out" && fail "nianbaod -nv prints a URL's query"
ok "nianbaod -n accepts the channels; -nv hides the secret"
printf '[channel x]\ntype = webhook\nurl = http://a/\nsecret = a\nsecret_env = B\n' \
    >"$tmp/bad.conf"
printf '[daemon]\ncatalog = catalog.csv\n' >>"$tmp/bad.conf"
"$NIANBAOD" -n -f "$tmp/bad.conf" >"$tmp/bad.out" 2>&1 && fail "two secret sources accepted"
grep -q "bad.conf:[0-9]*: .*set only one" "$tmp/bad.out" || { cat "$tmp/bad.out"; fail "error without file:line"; }
ok "two secret sources: refused with file:line"

# ---- nianbao notify test ------------------------------------------------
NIANBAO_CONF=$tmp/nianbaod.conf "$NIANBAO" notify test test >"$tmp/nt.out" 2>&1 ||
	{ cat "$tmp/nt.out"; fail "notify test: not delivered"; }
grep -q '"ok": true' "$tmp/nt.out" || { cat "$tmp/nt.out"; fail "notify test prints no raw answer"; }
grep -q "^delivered" "$tmp/nt.out" || fail "notify test does not say delivered"
"$NIANBAO" notify test test -f "$tmp/nianbaod.conf" >"$tmp/nt2.out" 2>&1 &&
	fail "notify test: a 500 counted as delivered"
grep -q "^status: 500" "$tmp/nt2.out" || { cat "$tmp/nt2.out"; fail "notify test: no status"; }
python3 - "$tmp/test.jsonl" <<'PY' || fail "notify test: signature"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if '"answered"' in l]
assert len(r) == 2 and all(x["sig_ok"] and x["test"] for x in r), r
assert r[0]["key"] == r[0]["body_key"] and r[0]["key"].startswith("test:test:"), r
PY
ok "notify test: raw answer printed, exit 0 on 200 and 1 on 500, signed"

# ---- the daemon ------------------------------------------------------------
# an event from before the daemon ever ran: only `since = all` gets it
start_daemon() {
	"$NIANBAOD" -d -f "$tmp/nianbaod.conf" 2>>"$tmp/daemon.log" &
	daemon_pid=$!
	i=0
	until [ "$(sqlite3 "$tmp/nb.db" 'SELECT count(*) FROM outbox_cursors' 2>/dev/null || echo 0)" -ge 8 ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && fail "the dispatcher made no cursors"
		sleep 0.05
	done
}
# events(TYPE PREFIX N): N events in one transaction (shell: no python
# start-up per call, it is slow on a loaded machine)
events() {
	t=$(date +%s%3N)
	{
		echo "BEGIN;"
		i=0
		while [ $i -lt "$3" ]; do
			echo "INSERT INTO events (type, key, payload, created) VALUES ('$1', '$2-$i', '{\"agency\":\"测试县人民政府\",\"year\":2025,\"n\":$i}', $t);"
			i=$((i + 1))
		done
		echo "COMMIT;"
	} >"$tmp/ins.sql"
	sqlite3 -cmd '.timeout 5000' "$tmp/nb.db" <"$tmp/ins.sql" >/dev/null || fail "insert events"
}
# wait_py SECONDS PYTHON-SCRIPT: until the script (argv[1] = $tmp) succeeds
wait_py() {
	limit=$1
	shift
	i=0
	until python3 -c "$@" "$tmp" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $((limit * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# a database with one event before any channel saw it
"$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once 2>"$tmp/first.log" ||
	fail "first --once run"
events report.old old 1
sqlite3 "$tmp/nb.db" "DELETE FROM outbox_cursors; DELETE FROM deliveries;"
start_daemon
events report.new rep 3
events exec.run ex 2
events stuck.run st 1
events dead.run dd 1

# 500, then 429 with Retry-After, then delivered; signatures verify
wait_py 30 '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1] + "/hook.jsonl") if "\"answered\"" in l]
got = {k for x in r if x["status"] == 200 for k in x["ids"]}
assert len(got) == 4, got' || fail "hook: not every report event delivered"
python3 - "$tmp/hook.jsonl" <<'PY' || fail "hook deliveries"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if '"answered"' in l]
assert [x["status"] for x in r[:2]] == [500, 429], r[:2]
assert all(x["sig_ok"] for x in r), "a signature does not verify"
assert all(x["key"] == x["body_key"] for x in r), "header and body keys differ"
keys = {}
for x in r:
    for i in x["ids"]:
        keys.setdefault(i, set()).add(x["key"])
# a single delivery's key is its event's, the same on every retry
assert all(len(v) == 1 for v in keys.values()), keys
delivered = {i for x in r if x["status"] == 200 for i in x["ids"]}
assert len(delivered) == 4
PY
ok "webhook: 500 and 429 retried, then delivered; signatures and keys check"
grep -q "notify hook" "$tmp/daemon.log" || fail "the failed attempts are not logged"
grep -q "notify journal \[rep-0\]" "$tmp/daemon.log" || fail "log channel: no line for rep-0"
grep -q "notify journal \[old-0\]" "$tmp/daemon.log" &&
	fail "a channel without since = all got an event from before it existed"
ok "log channel writes a line per event; history is not news"

# a burst of 100 events on a 20/minute channel: first 10 alone, then 100
events burst.one b1 10
wait_py 20 '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1] + "/burst.jsonl") if "\"answered\"" in l]
assert len({i for x in r for i in x["ids"]}) == 10' || fail "burst: first 10 not delivered"
events burst.many b2 100
wait_py 30 '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1] + "/burst.jsonl") if "\"answered\"" in l]
assert len({i for x in r if x["status"] == 200 for i in x["ids"]}) == 110' ||
	fail "burst: not all 110 events delivered"
python3 - "$tmp/burst.jsonl" <<'PY' || fail "burst deliveries"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if '"answered"' in l]
# every request within 60 s of the first: at most 20 of them
t0 = r[0]["t"]
within = [x for x in r if x["t"] - t0 < 60]
assert len(within) <= 20, f"{len(within)} requests in a minute"
assert any(x["digest"] for x in r), "no digest"
d = [x for x in r if x["digest"]]
assert all(x["key"].startswith("digest:burst:") for x in d), d[0]["key"]
assert all(x["sig_ok"] for x in r)
PY
ok "burst of 100 on per_minute = 20: $(grep -c answered "$tmp/burst.jsonl") requests, digests, every event"

# exec: delivered with the JSON on stdin; a timeout is retried
wait_py 20 '
import os, sys
assert os.path.exists(sys.argv[1] + "/exec-ex-0.json") and os.path.exists(sys.argv[1] + "/exec-ex-1.json")
assert os.path.exists(sys.argv[1] + "/stuck.json")' || fail "exec deliveries"
grep -q '"key":"ex-0"' "$tmp/exec-ex-0.json" || fail "exec: no event JSON on stdin"
grep -q "timed out" "$tmp/daemon.log" || fail "exec: the timeout is not logged"
ok "exec: event JSON on stdin, key in the environment; a timed-out command retried"

# digest = 2s: the first event at once, the next ones in one message
events window.one w1 1
wait_py 10 '
import os, sys
assert os.path.exists(sys.argv[1] + "/win-w1-0.json")' || fail "digest window: first event not sent"
events window.more w2 3
wait_py 10 '
import glob, sys
assert len(glob.glob(sys.argv[1] + "/win-digest:window:*.json")) == 1' || fail "digest window: no digest"
[ "$(ls "$tmp" | grep -c '^win-')" = 2 ] || fail "digest window: $(ls "$tmp" | grep -c '^win-') messages for 4 events"
grep -q '"key":"w2-2"' "$tmp"/win-digest:window:*.json || fail "digest window: an event missing"
ok "digest = 2s: one message at once, then one digest of the window's 3 events"

# a channel that keeps failing is given up; outbox lists it; retry
wait_py 20 '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1] + "/nb.db")
assert db.execute("SELECT state FROM deliveries WHERE channel = ?", ("dead",)).fetchone()[0] == 3' ||
	fail "dead channel: not given up"
"$NIANBAO" outbox -f "$tmp/nianbaod.conf" --failed >"$tmp/outbox.out" 2>&1 || fail "nianbao outbox"
grep -q "dead .*given_up" "$tmp/outbox.out" || { cat "$tmp/outbox.out"; fail "outbox --failed lacks the given-up delivery"; }
grep -q "127.0.0.1:1" "$tmp/outbox.out" || { cat "$tmp/outbox.out"; fail "outbox: no last error"; }
"$NIANBAO" outbox --db "$tmp/nb.db" --json --channel dead >"$tmp/outbox.json" || fail "outbox --json"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$tmp/outbox.json")
att=$(sqlite3 "$tmp/nb.db" "SELECT attempts FROM deliveries WHERE id = $id")
"$NIANBAO" outbox retry "$id" --db "$tmp/nb.db" >"$tmp/retry.out" || fail "outbox retry"
wait_py 10 "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1] + '/nb.db')
assert db.execute('SELECT attempts FROM deliveries WHERE id = $id').fetchone()[0] > $att" ||
	fail "retry: the daemon did not try again"
"$NIANBAO" outbox retry 999999 --db "$tmp/nb.db" 2>/dev/null && fail "retry of an unknown id succeeded"
ok "given up after give_up_after, listed with its error, retried on request"

# /metrics: backlog and failures per channel
curl -sf "http://127.0.0.1:$http_port/metrics" >"$tmp/metrics.out" || fail "GET /metrics"
grep -q '^nianbao_outbox_backlog{channel="hook"} 0$' "$tmp/metrics.out" || fail "metrics: no backlog"
grep -Eq '^nianbao_notify_failures_total\{channel="hook"\} [1-9]' "$tmp/metrics.out" ||
	fail "metrics: hook failures not counted"
ok "/metrics: outbox backlog and failures per channel"

# ---- kill -9 during a slowed delivery, then restart ------------------------
events slow.run sl 4
i=0
until grep -q arrived "$tmp/slow.jsonl" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 200 ] && fail "slow: nothing arrived"
	sleep 0.05
done
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null || true
daemon_pid=""
start_daemon
wait_py 30 '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1] + "/slow.jsonl") if "\"answered\"" in l]
assert len({i for x in r for i in x["ids"]}) == 4' || fail "slow: not every event delivered after the restart"
python3 - "$tmp/slow.jsonl" <<'PY' || fail "slow deliveries"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if '"arrived"' in l]
keys = {}
for x in r:
    for i in x["ids"]:
        keys.setdefault(i, set()).add(x["key"])
assert len(keys) == 4
assert all(len(v) == 1 for v in keys.values()), keys
print(f"{len(r)} requests for 4 events")
PY
ok "kill -9 mid-delivery: every event delivered, duplicates with the same key"

# ---- SIGTERM; no secret anywhere -------------------------------------------
kill -TERM "$daemon_pid"
wait "$daemon_pid" || fail "nianbaod did not exit 0 on SIGTERM"
daemon_pid=""
"$NIANBAO" outbox --db "$tmp/nb.db" --all >"$tmp/outbox-all.out" 2>&1 || fail "outbox --all"
"$NIANBAO" outbox --db "$tmp/nb.db" --all --json >>"$tmp/outbox-all.out" 2>&1 || fail "outbox --all --json"
for f in daemon.log first.log outbox.out outbox-all.out nv.out n.out nt.out nt2.out; do
	grep -q -- "$SECRET" "$tmp/$f" && fail "the secret is in $f"
done
[ "$(sqlite3 "$tmp/nb.db" "SELECT count(*) FROM deliveries WHERE last_error LIKE '%$SECRET%'")" = 0 ] ||
	fail "the secret is in the store"
ok "the secret is in no log, listing or -nv output"
exit 0
