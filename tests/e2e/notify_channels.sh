#!/bin/sh
# End to end: the DingTalk, WeCom, Feishu/Lark and email channels against
# receivers on loopback that answer like the real ones
# (tests/e2e/lib/im_receiver.py: signatures checked, errors as HTTP 200
# with a code, rate limits; tests/e2e/lib/smtp_sink.py: SMTP with AUTH and
# a 451 for the first mail), through $TOOLS/notifytool (one channel from
# the command line) and through `nianbao notify test CHANNEL`.
#
# Asserts: each channel delivers and the receiver recorded the message;
# the signatures verify (a robot with a secret only accepts a valid one);
# a wrong secret is not delivered and names the receiver's code although
# HTTP said 200; a rate-limited answer is retryable; a long message is cut
# within each limit (WeCom 4096 B of content, Feishu 20 KB of body); the
# mail's subject decodes to the Chinese title, its body is there, a 451 is
# retryable and a resend has the same Message-ID; mail over STARTTLS and
# over implicit TLS with AUTH (tls_verify = no), a self-signed certificate
# refused with tls_verify = yes, a server without STARTTLS refused (no
# fallback: the password never goes in clear); no secret in any output.
set -eu
: "${SRC:?}"
. "$SRC/tests/e2e/lib/notify_env.sh"
notify_setup TOOLS SRC NIANBAO

NT="$TOOLS/notifytool"
DSECRET=SECd41d8cd98f00b204e9800998ecf8427e0123456789abcdef
FSECRET=fsk_5ecret_feishu_0123
SMTPPASS=smtp-pa55word-xyz

notify_im --dingtalk-secret "dtok=$DSECRET" \
	--feishu-secret "ftok=$FSECRET" --feishu-secret "frl=$FSECRET" \
	--wecom-key wkey --wecom-key wrl --feishu-per-minute 5
notify_smtp mail --user nbmail --password "$SMTPPASS" --fail-first 1
SMTP="smtp://127.0.0.1:$smtp_port"

# one report.new with a failing finding, and 300 events for the limits
cat >"$tmp/new.json" <<'JSON'
{"type":"report.new","key":"report.new:12","source":"portal-trs","payload":{"version":1,"findings":[{"rule":"T3.ROW","severity":"error","result":"fail","cells":["t3.granted.total","t3.granted.natural"],"expected":70,"actual":68,"message":"（一）予以公开：总计 68 ≠ 六列之和 70"}],"source":"portal-trs","agency":"沂源县人民政府","level":"government","region":"山东省淄博市沂源县","report":12,"year":2025,"url":"http://127.0.0.12/xxgk/zfxxgknb/t20250127_3378533.html","title":"沂源县人民政府2025年政府信息公开工作年度报告","published":"2026-01-27","published_from":"first_seen"}}
JSON
python3 - "$tmp/many.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(300):
        f.write(json.dumps({"type": "report.new", "key": "report.new:%d" % i,
            "payload": {"agency": "第%d号县人民政府办公室" % i, "year": 2025,
                "url": "http://127.0.0.12/xxgk/nb/%d.html" % i,
                "findings": [{"rule": "T3.ROW", "severity": "error"}]}},
            ensure_ascii=False) + "\n")
PY

# rc CMD...: runs a notifytool line into $tmp/last.out, prints its exit
rc() {
	set +e
	timeout 60 "$@" >"$tmp/last.out" 2>>"$tmp/tool.log"
	r=$?
	set -e
	cat "$tmp/last.out" >>"$tmp/all.out"
	echo $r
}
# recorded N FILTER: the receiver recorded exactly N messages matching
recorded() {
	python3 - "$tmp/im.jsonl" "$1" "$2" <<'PY' || fail "recorded $1 $2"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
robot, token = sys.argv[3].split(":")
n = sum(1 for r in rows if r["robot"] == robot and r["token"] == token)
if n != int(sys.argv[2]):
    sys.exit("%s: %d recorded, want %s" % (sys.argv[3], n, sys.argv[2]))
PY
}

# --- DingTalk: signed, markdown, errcode 0
r=$(rc "$NT" -t dingtalk -s "$DSECRET" -u "$IM/robot/send?access_token=dtok" "$tmp/new.json")
[ "$r" = 0 ] || fail "dingtalk: exit $r: $(cat "$tmp/last.out")"
recorded 1 dingtalk:dtok
python3 - "$tmp/im.jsonl" <<'PY' || fail "dingtalk message"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")][-1]
b = r["body"]
assert b["msgtype"] == "markdown", b
assert b["markdown"]["title"] == "新发布：沂源县人民政府 2025 年度", b
t = b["markdown"]["text"]
for w in ("新发布", "沂源县人民政府", "2025", "T3.ROW", "应为 70，实为 68",
          "t3.granted.natural（（一）予以公开 · 自然人）",
          "http://127.0.0.12/xxgk/zfxxgknb/t20250127_3378533.html",
          "首次发现日期，实际发布可能更早", "幂等键：report.new:12"):
    assert w in t, (w, t)
assert r["key"] == "report.new:12", r
PY
# a wrong secret: HTTP 200, errcode 310000, not delivered, not retryable
r=$(rc "$NT" -t dingtalk -s SECwrongwrongwrong -u "$IM/robot/send?access_token=dtok" "$tmp/new.json")
[ "$r" = 4 ] || fail "dingtalk wrong secret: exit $r"
grep -q '"status":200' "$tmp/last.out" || fail "dingtalk wrong secret: not HTTP 200"
grep -q 'errcode 310000' "$tmp/last.out" || fail "dingtalk wrong secret: no 310000"
recorded 1 dingtalk:dtok
# no secret at all on a signing robot: refused the same way
r=$(rc "$NT" -t dingtalk -u "$IM/robot/send?access_token=dtok" "$tmp/new.json")
[ "$r" = 4 ] || fail "dingtalk unsigned: exit $r"
# 20 a minute: the 21st is throttled (130101), retryable
r=$(rc "$NT" -t dingtalk -n 21 -k burst -u "$IM/robot/send?access_token=drl" "$tmp/new.json")
[ "$r" = 3 ] || fail "dingtalk rate: exit $r"
[ "$(grep -c '"delivered":true' "$tmp/last.out")" = 20 ] ||
	fail "dingtalk rate: not 20 delivered"
tail -1 "$tmp/last.out" | grep -q 'errcode 130101' || fail "dingtalk rate: no 130101"
tail -1 "$tmp/last.out" | grep -q '"retryable":true' || fail "dingtalk rate: not retryable"
recorded 20 dingtalk:drl

# --- WeCom: markdown content, errcode 0, 4096 bytes
r=$(rc "$NT" -t wecom -u "$IM/cgi-bin/webhook/send?key=wkey" "$tmp/new.json")
[ "$r" = 0 ] || fail "wecom: exit $r: $(cat "$tmp/last.out")"
r=$(rc "$NT" -t wecom -u "$IM/cgi-bin/webhook/send?key=wkey" "$tmp/many.jsonl")
[ "$r" = 0 ] || fail "wecom digest: exit $r: $(cat "$tmp/last.out")"
recorded 2 wecom:wkey
python3 - "$tmp/im.jsonl" <<'PY' || fail "wecom message"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
w = [r for r in rows if r["robot"] == "wecom"]
assert "沂源县人民政府" in w[0]["body"]["markdown"]["content"]
c = w[1]["body"]["markdown"]["content"]
n = len(c.encode("utf-8"))
assert 3000 < n <= 4096, n
assert "nianbao：300 条新事件" in c and "第0号县人民政府办公室" in c, c[:200]
assert "另有 " in c and " 条未列出" in c, c[-200:]
PY
r=$(rc "$NT" -t wecom -u "$IM/cgi-bin/webhook/send?key=nokey" "$tmp/new.json")
[ "$r" = 4 ] || fail "wecom bad key: exit $r"
grep -q 'errcode 93000' "$tmp/last.out" || fail "wecom bad key: no 93000"
r=$(rc "$NT" -t wecom -n 21 -k wburst -u "$IM/cgi-bin/webhook/send?key=wrl" "$tmp/new.json")
[ "$r" = 3 ] || fail "wecom rate: exit $r"
tail -1 "$tmp/last.out" | grep -q 'errcode 45009' || fail "wecom rate: no 45009"

# --- Feishu: signed body, post message, code 0, 20 KB
r=$(rc "$NT" -t feishu -s "$FSECRET" -u "$IM/open-apis/bot/v2/hook/ftok" "$tmp/new.json")
[ "$r" = 0 ] || fail "feishu: exit $r: $(cat "$tmp/last.out")"
r=$(rc "$NT" -t feishu -s "$FSECRET" -u "$IM/open-apis/bot/v2/hook/ftok" "$tmp/many.jsonl")
[ "$r" = 0 ] || fail "feishu digest: exit $r: $(cat "$tmp/last.out")"
r=$(rc "$NT" -t lark -s "$FSECRET" -u "$IM/open-apis/bot/v2/hook/ftok" "$tmp/new.json")
[ "$r" = 0 ] || fail "lark: exit $r: $(cat "$tmp/last.out")"
recorded 3 feishu:ftok
python3 - "$tmp/im.jsonl" <<'PY' || fail "feishu message"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
f = [r for r in rows if r["robot"] == "feishu"]
p = f[0]["body"]["content"]["post"]["zh_cn"]
assert p["title"] == "新发布：沂源县人民政府 2025 年度", p["title"]
els = [e for para in p["content"] for e in para]
links = [e for e in els if e["tag"] == "a"]
assert links and links[0]["href"] == "http://127.0.0.12/xxgk/zfxxgknb/t20250127_3378533.html", links
text = "".join(e.get("text", "") for e in els)
assert "T3.ROW" in text and "沂源县人民政府" in text, text
assert f[1]["bytes"] <= 20 * 1024 and f[1]["bytes"] > 15 * 1024, f[1]["bytes"]
text = "".join(e.get("text", "") for para in f[1]["body"]["content"]["post"]["zh_cn"]["content"] for e in para)
assert "另有 " in text and " 条未列出" in text, text[-200:]
PY
r=$(rc "$NT" -t feishu -s wrong-secret-0000 -u "$IM/open-apis/bot/v2/hook/ftok" "$tmp/new.json")
[ "$r" = 4 ] || fail "feishu wrong secret: exit $r"
grep -q '"status":200' "$tmp/last.out" || fail "feishu wrong secret: not HTTP 200"
grep -q 'code 19021' "$tmp/last.out" || fail "feishu wrong secret: no 19021"
# 5 a second and (here) 5 a minute: the 6th is throttled, retryable
r=$(rc "$NT" -t feishu -s "$FSECRET" -n 6 -k fburst -u "$IM/open-apis/bot/v2/hook/frl" "$tmp/new.json")
[ "$r" = 3 ] || fail "feishu rate: exit $r"
tail -1 "$tmp/last.out" | grep -q 'code 11232' || fail "feishu rate: no 11232"
recorded 5 feishu:frl

# --- email: AUTH, 451 first (retryable), then delivered
MAIL="-t email -u $SMTP -l none -F nianbao<nb@example.org> -T ops@example.org -U nbmail"
r=$(rc "$NT" $MAIL -P "$SMTPPASS" "$tmp/new.json")
[ "$r" = 3 ] || fail "email 451: exit $r: $(cat "$tmp/last.out")"
grep -q '"status":451' "$tmp/last.out" || fail "email 451: status"
r=$(rc "$NT" $MAIL -P "$SMTPPASS" "$tmp/new.json")
[ "$r" = 0 ] || fail "email: exit $r: $(cat "$tmp/last.out")"
r=$(rc "$NT" $MAIL -P "$SMTPPASS" "$tmp/new.json")
[ "$r" = 0 ] || fail "email resend: exit $r"
r=$(rc "$NT" $MAIL -P wrong-password "$tmp/new.json")
[ "$r" = 4 ] || fail "email bad password: exit $r"
grep -q '"status":535' "$tmp/last.out" || fail "email bad password: status"
python3 - "$tmp/mail" <<'PY' || fail "email message"
import email, email.header, os, sys
d = sys.argv[1]
ms = [email.message_from_binary_file(open(os.path.join(d, "%d.eml" % i), "rb"))
      for i in (1, 2)]
m = ms[0]
s = str(email.header.make_header(email.header.decode_header(m["Subject"])))
assert s == "新发布：沂源县人民政府 2025 年度", s
assert m["X-Nianbao-Idempotency-Key"] == "report.new:12"
assert m["Message-ID"] and m["Message-ID"] == ms[1]["Message-ID"]
assert m.get_content_type() == "text/plain" and m.get_content_charset() == "utf-8"
body = m.get_payload(decode=True).decode("utf-8")
for w in ("沂源县人民政府", "T3.ROW", "http://127.0.0.12/xxgk/zfxxgknb/t20250127_3378533.html"):
    assert w in body, (w, body)
assert not os.path.exists(os.path.join(d, "3.eml"))
PY

# --- through the configuration and `nianbao notify test`
cat >"$tmp/nianbaod.conf" <<CONF
[daemon]
database = $tmp/nb.db
[http]
listen = no
[channel ding]
type = dingtalk
url = $IM/robot/send?access_token=dtok
secret = $DSECRET
[channel wx]
type = wecom
url = $IM/cgi-bin/webhook/send?key=wkey
[channel fs]
type = feishu
url = $IM/open-apis/bot/v2/hook/ftok
secret_env = NB_TEST_FEISHU_SECRET
[channel mail]
type = email
url = $SMTP
tls = none
from = nianbao <nb@example.org>
to = ops@example.org
username = nbmail
password_file = $tmp/smtp.pass
CONF
printf '%s\n' "$SMTPPASS" >"$tmp/smtp.pass"
export NB_TEST_FEISHU_SECRET="$FSECRET"
for ch in ding wx fs mail; do
	set +e
	timeout 60 "$NIANBAO" notify test "$ch" -f "$tmp/nianbaod.conf" \
		>"$tmp/test_$ch.out" 2>&1
	r=$?
	set -e
	cat "$tmp/test_$ch.out" >>"$tmp/all.out"
	[ "$r" = 0 ] || fail "notify test $ch: exit $r: $(cat "$tmp/test_$ch.out")"
done
recorded 2 dingtalk:dtok
recorded 4 feishu:ftok
grep -q '测试' "$tmp/im.jsonl" || fail "notify test: no test text recorded"
[ -f "$tmp/mail/3.eml" ] || fail "notify test mail: not received"

# --- email over TLS (a self-signed certificate made here): STARTTLS and
# implicit TLS (smtps) with AUTH, tls_verify = no; with tls_verify = yes
# the certificate is refused; a server without STARTTLS is refused when
# tls = starttls, and the password never goes in clear
notify_cert
notify_smtp stls --tls starttls --cert "$tmp/cert.pem" --key "$tmp/key.pem" \
	--user nbmail --password "$SMTPPASS"
stls=$smtp_port
notify_smtp itls --tls implicit --cert "$tmp/cert.pem" --key "$tmp/key.pem" \
	--user nbmail --password "$SMTPPASS"
itls=$smtp_port
notify_smtp plain --user nbmail --password "$SMTPPASS"
plain=$smtp_port
cat >"$tmp/tls.conf" <<CONF
[daemon]
database = $tmp/nb.db
[http]
listen = no
[channel stls]
type = email
url = smtp://127.0.0.1:$stls
tls = starttls
tls_verify = no
from = nianbao <nb@example.org>
to = ops@example.org
username = nbmail
password_file = $tmp/smtp.pass
[channel itls]
type = email
url = smtps://127.0.0.1:$itls
tls = tls
tls_verify = no
from = nianbao <nb@example.org>
to = ops@example.org
username = nbmail
password_file = $tmp/smtp.pass
[channel verify]
type = email
url = smtp://127.0.0.1:$stls
tls = starttls
tls_verify = yes
from = nianbao <nb@example.org>
to = ops@example.org
username = nbmail
password_file = $tmp/smtp.pass
[channel nostarttls]
type = email
url = smtp://127.0.0.1:$plain
tls = starttls
tls_verify = no
from = nianbao <nb@example.org>
to = ops@example.org
username = nbmail
password_file = $tmp/smtp.pass
CONF
# tls_test CHANNEL: `nianbao notify test CHANNEL` into $tmp/tls_CHANNEL.out, prints its exit
tls_test() {
	set +e
	timeout 60 "$NIANBAO" notify test "$1" -f "$tmp/tls.conf" \
		>"$tmp/tls_$1.out" 2>&1
	r=$?
	set -e
	cat "$tmp/tls_$1.out" >>"$tmp/all.out"
	echo $r
}
r=$(tls_test stls)
[ "$r" = 0 ] || fail "starttls: exit $r: $(cat "$tmp/tls_stls.out")"
r=$(tls_test itls)
[ "$r" = 0 ] || fail "smtps: exit $r: $(cat "$tmp/tls_itls.out")"
r=$(tls_test verify)
[ "$r" != 0 ] || fail "tls_verify = yes took a self-signed certificate"
grep -qi 'certificate' "$tmp/tls_verify.out" ||
	fail "tls_verify = yes: no word of the certificate: $(cat "$tmp/tls_verify.out")"
r=$(tls_test nostarttls)
[ "$r" != 0 ] || fail "tls = starttls went on without STARTTLS"
grep -q 'STARTTLS' "$tmp/tls_nostarttls.out" ||
	fail "no STARTTLS: unclear error: $(cat "$tmp/tls_nostarttls.out")"
python3 - "$tmp" <<'PY' || fail "email over TLS"
import email, json, os, sys
t = sys.argv[1]
for d in ("stls", "itls"):
    j = json.load(open(os.path.join(t, d, "1.json")))
    assert j["tls"] is True and j["auth"] == "nbmail", (d, j)
    m = email.message_from_binary_file(open(os.path.join(t, d, "1.eml"), "rb"))
    assert m["X-Nianbao-Idempotency-Key"], (d, dict(m))
# the refused ones sent no mail, and no password in clear anywhere
assert not os.path.exists(os.path.join(t, "stls", "2.eml")), "verify = yes sent a mail"
assert not os.listdir(os.path.join(t, "plain")), os.listdir(os.path.join(t, "plain"))
for d in ("stls", "itls", "plain"):
    assert not os.path.exists(os.path.join(t, d, "cleartext-auth")), d
PY

# --- no secret in anything printed
for s in "$DSECRET" "$FSECRET" "$SMTPPASS"; do
	if grep -qF "$s" "$tmp/all.out" "$tmp/tool.log"; then
		fail "a secret was printed"
	fi
done
echo "notify_channels: ok"
