#!/bin/sh
# End to end: a burst of 100 events reaches a DingTalk robot that takes 20
# messages a minute (tests/e2e/lib/im_receiver.py, signature checked) as
# digests within that limit, through the real nianbaod's dispatcher.  The
# events are written into the outbox's table directly (the crawl that
# would make them is the daemon tests' business), then `nianbaod --once`
# delivers what is due.
#
# Asserts: at most 20 messages, every one accepted (signed right), every
# one of the 100 events listed in them exactly once, nothing left pending
# in `nianbao outbox`, and the robot's secret in no log or output.
set -eu
: "${NIANBAOD:?}" "${NIANBAO:?}" "${SRC:?}"

tmp=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "FAIL: $*" >&2
	for f in "$tmp"/*.log; do
		[ -f "$f" ] && { echo "--- $f" >&2; tail -10 "$f" >&2; }
	done
	exit 1
}

SECRET=SEC7f1c0ffee0ddba11deadbeef0123456789abcdef
python3 "$SRC/tests/e2e/lib/im_receiver.py" --port-file "$tmp/im.port" \
	--record "$tmp/im.jsonl" --dingtalk-secret "dtok=$SECRET" \
	--lifetime 240 2>"$tmp/im.log" &
pids="$pids $!"
i=0
while [ ! -s "$tmp/im.port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "the receiver did not start"
	sleep 0.1
done

printf 'id,agency,level,region,url\n' >"$tmp/catalog.csv"
cat >"$tmp/nianbaod.conf" <<CONF
[daemon]
database = $tmp/nb.db
catalog = catalog.csv
[http]
listen = no
[channel ding]
type = dingtalk
url = http://127.0.0.1:$(cat "$tmp/im.port")/robot/send?access_token=dtok
secret_file = ding.secret
since = all
CONF
printf '%s\n' "$SECRET" >"$tmp/ding.secret"

# a first run makes the store; then the burst
timeout 60 "$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once 2>"$tmp/run0.log" ||
	fail "run 0: nianbaod exited $?"
python3 - "$tmp/nb.db" <<'PY' || fail "writing the events"
import json, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1000)
for i in range(100):
    p = {"type": "report.new", "source": "s%d" % i, "agency": "第%d号县人民政府" % i,
         "level": "government", "region": "测试省", "year": 2025, "version": 1,
         "url": "http://127.0.0.1/r/%d.html" % i, "findings": []}
    db.execute("INSERT INTO events(type, source_id, key, payload, created) "
               "VALUES (?, ?, ?, ?, ?)", ("report.new", "s%d" % i,
               "report.new:%d" % (1000 + i), json.dumps(p, ensure_ascii=False), now))
db.commit()
PY
timeout 120 "$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once 2>"$tmp/run1.log" ||
	fail "run 1: nianbaod exited $?"
"$NIANBAO" outbox -f "$tmp/nianbaod.conf" >"$tmp/outbox.log" 2>&1 ||
	fail "nianbao outbox exited $?"
grep -q "no pending or failed" "$tmp/outbox.log" || fail "deliveries left in the outbox"

python3 - "$tmp/im.jsonl" <<'PY' || fail "the burst"
import json, re, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert 1 <= len(rows) <= 20, "%d messages" % len(rows)
seen = {}
for r in rows:
    assert r["robot"] == "dingtalk" and r["token"] == "dtok", r
    t = r["body"]["markdown"]["text"]
    assert r["key"] and "幂等键：" + r["key"] in t, r["key"]
    for m in re.findall(r"第(\d+)号县人民政府 2025 年度", t):
        seen[int(m)] = seen.get(int(m), 0) + 1
digests = [r for r in rows if r["key"].startswith("digest:")]
assert digests, "no digest"
assert "条新事件" in digests[0]["body"]["markdown"]["title"]
assert sorted(seen) == list(range(100)), sorted(set(range(100)) - set(seen))
assert all(n == 1 for n in seen.values()), [k for k, n in seen.items() if n > 1]
PY
for f in "$tmp"/run*.log "$tmp/outbox.log" "$tmp/im.log"; do
	if grep -qF "$SECRET" "$f"; then
		fail "the secret is in $f"
	fi
done
echo "notify_burst: ok"
