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
# in `nianbao outbox`, and the robot's secret in no log or output.  Then
# two restarts within the minute: the rate window comes back from the
# store, so the robot never gets more than 20 messages in a rolling minute
# (every answer recorded, refused ones too) nor a 130101.
set -eu
: "${SRC:?}"
. "$SRC/tests/e2e/lib/notify_env.sh"
notify_setup NIANBAOD NIANBAO SRC

SECRET=SEC7f1c0ffee0ddba11deadbeef0123456789abcdef
notify_im --dingtalk-secret "dtok=$SECRET" --attempts "$tmp/attempts.jsonl"

printf 'id,agency,level,region,url\n' >"$tmp/catalog.csv"
cat >"$tmp/nianbaod.conf" <<CONF
[daemon]
database = $tmp/nb.db
catalog = catalog.csv
[http]
listen = no
[channel ding]
type = dingtalk
url = $IM/robot/send?access_token=dtok
secret_file = ding.secret
since = all
CONF
printf '%s\n' "$SECRET" >"$tmp/ding.secret"

# a first run makes the store; then the burst
timeout 60 "$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once 2>"$tmp/run0.log" ||
	fail "run 0: nianbaod exited $?"
# events FIRST COUNT: writes report.new events FIRST .. FIRST+COUNT-1
events() {
	python3 - "$tmp/nb.db" "$1" "$2" <<'PY' || fail "writing the events"
import json, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1000)
for i in range(int(sys.argv[2]), int(sys.argv[2]) + int(sys.argv[3])):
    p = {"type": "report.new", "source": "s%d" % i, "agency": "第%d号县人民政府" % i,
         "level": "government", "region": "测试省", "year": 2025, "version": 1,
         "url": "http://127.0.0.1/r/%d.html" % i, "findings": []}
    db.execute("INSERT INTO events(type, source_id, key, payload, created) "
               "VALUES (?, ?, ?, ?, ?)", ("report.new", "s%d" % i,
               "report.new:%d" % (1000 + i), json.dumps(p, ensure_ascii=False), now))
db.commit()
PY
}
events 0 100
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

# Restarts right after the burst: the robot's minute is filled up with
# single messages (run 2 starts with the burst's sends of run 1 in its
# window, read back from the store), then run 3 has 5 more events.  Its
# window, read back from the store too, is full: it must not send them
# now (the robot would answer 130101 and count them), and they stay
# pending for the next run.
n=$(wc -l <"$tmp/im.jsonl")
events 1000 $((20 - n))
timeout 120 "$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once 2>"$tmp/run2.log" ||
	fail "run 2: nianbaod exited $?"
events 2000 5
t3=$(date +%s)
timeout 120 "$NIANBAOD" -d -f "$tmp/nianbaod.conf" --once 2>"$tmp/run3.log" ||
	fail "run 3: nianbaod exited $?"
"$NIANBAO" outbox -f "$tmp/nianbaod.conf" >"$tmp/outbox3.log" 2>&1 ||
	fail "nianbao outbox exited $?"
python3 - "$tmp/attempts.jsonl" "$tmp/im.jsonl" "$tmp/outbox3.log" "$t3" <<'PY' ||
import json, sys
att = [json.loads(l) for l in open(sys.argv[1])]
rows = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
listing = open(sys.argv[3], encoding="utf-8").read()
# every message that reached the robot was taken: none over its limit
assert all(a["code"] == 0 for a in att), [a for a in att if a["code"] != 0]
ts = sorted(a["t"] for a in att)
for i, t in enumerate(ts):
    n = sum(1 for u in ts[i:] if u - t < 60)
    assert n <= 20, "%d messages in the minute from %.1f" % (n, t)
assert len(rows) == len(ts), (len(rows), len(ts))
# when run 3 began within the minute of the first send, its events wait
if int(sys.argv[4]) - ts[0] < 50:
    assert len(ts) == 20, "%d messages" % len(ts)
    assert listing.count("report.new") >= 5, listing
PY
	fail "the restarts"
for f in "$tmp"/run*.log "$tmp"/outbox*.log "$tmp/im.log"; do
	if grep -qF "$SECRET" "$f"; then
		fail "the secret is in $f"
	fi
done
echo "notify_burst: ok"
