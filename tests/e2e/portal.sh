#!/bin/sh
# The loopback portal (tests/tools/portal, tests/portal/README.md) answers
# as promised: builds a site tree with gen.py, starts the portal on
# 127.0.0.11... with a kernel-chosen port and checks every kind of endpoint
# with curl: listings, reports, charset, conditional GET, gzip, the state
# switch (added / altered / chrome-only / removed), robots.txt, each hostile
# endpoint under curl bounds, the connection limit and the request log.
# Every curl has --max-time; the portal is always killed.
set -u
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup TOOLS SRC
e2e_logs=portal.out
T=$tmp
fails=0
ok() { echo "ok: $*"; }
nok() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { # description, then a command that must succeed
	d=$1; shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}

python3 "$SRC/tests/portal/gen.py" "$T/root" || fail "gen.py failed"
e2e_portal "$T/root" -c 8
P=$port
H=http://127.0.0.11:$P
TRS=http://127.0.0.12:$P
GBK=http://127.0.0.13:$P
ROB=http://127.0.0.14:$P
HOS=http://127.0.0.15:$P
echo "portal on port $P"

c() { curl -s --max-time 10 "$@"; }
code() { curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$@"; }
header() { # name, url, curl options...: the value of one response header
	n=$1; shift
	curl -s --max-time 10 -o /dev/null -D - "$@" | tr -d '\r' |
	    sed -n "s/^$n: //Ip" | head -n 1
}
nochrome() { sed 's|<div class="portal-chrome">[^<]*</div>||g' "$@"; }

# --- sites by address, listing, report, chrome, {{PORT}} ---
L=/col/col1229/index.html
R24=/art/2025/1/21/art_1229_103.html
c "$H$L" >"$T/list1"
check "hanweb listing links the 2024 report" grep -q "$R24" "$T/list1"
check "the spam mirror link has the real port" \
    grep -q "http://127.0.0.99:$P/art/2025/1/21/art_1229_103.html" "$T/list1"
check "no {{PORT}} left in a served page" sh -c "! grep -q '{{PORT}}' '$T/list1'"
check "the same path on another address is another site" \
    test "$(code "$TRS$L")" = 404
c "$H$R24" >"$T/r1a"
c "$H$R24" >"$T/r1b"
check "report page has its 发布日期" grep -q '发布日期：2025-01-21 10:00' "$T/r1a"
check "chrome marker replaced" sh -c "grep -q portal-chrome '$T/r1a' && ! grep -q '<!--CHROME-->' '$T/r1a'"
check "two fetches differ (chrome)" sh -c "! cmp -s '$T/r1a' '$T/r1b'"
nochrome "$T/r1a" >"$T/r1a.n"; nochrome "$T/r1b" >"$T/r1b.n"
check "... and only in the chrome" cmp -s "$T/r1a.n" "$T/r1b.n"
check "folder without slash redirects" test "$(code "$H/col/col1229")" = 301
check "folder with slash serves index.html" sh -c \
    "curl -s --max-time 10 '$H/col/col1229/' | grep -q '$R24'"
check "path escaping the root refused" \
    test "$(curl -s --max-time 10 --path-as-is -o /dev/null -w '%{http_code}' "$H/../sites.tsv")" = 400
check "html Content-Type with the site charset" \
    test "$(header Content-Type "$H$R24")" = "text/html; charset=utf-8"

# --- TRS pagination, images report, PDF ---
Z=/xxgk/zfxxgknb
check "TRS index has createPageHTML(3, 0" sh -c \
    "curl -s --max-time 10 '$TRS$Z/index.html' | grep -q 'createPageHTML(3, 0, \"index\", \"html\")'"
check "TRS index_1 and index_2 exist, one report each" sh -c \
    "curl -s --max-time 10 '$TRS$Z/index_1.html' | grep -q t20250122_3378101 &&
     curl -s --max-time 10 '$TRS$Z/index_2.html' | grep -q t20240125_3271106"
check "TRS index_3 does not" test "$(code "$TRS$Z/index_3.html")" = 404
check "PDF served as application/pdf" \
    test "$(header Content-Type "$TRS$Z/202401/P020240125512345678901.pdf")" = application/pdf
check "PDF bytes are a PDF" sh -c \
    "curl -s --max-time 10 '$TRS$Z/202401/P020240125512345678901.pdf' | head -c 5 | grep -q '%PDF-'"
check "docx Content-Type" test "$(header Content-Type "$H/module/download/format2021.docx")" = \
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# --- GBK site ---
G=/gongkai/zfxxgknb/202501/t20250116_5012345.html
check "GBK Content-Type header" \
    test "$(header Content-Type "$GBK$G")" = "text/html; charset=gb2312"
check "GBK bytes decode as GBK" sh -c \
    "curl -s --max-time 10 '$GBK$G' | iconv -f GB18030 -t UTF-8 | grep -q 临淄区人民政府办公室"
check "GBK listing is GBK too" sh -c \
    "curl -s --max-time 10 '$GBK/gongkai/zfxxgknb/index.html' | iconv -f GB18030 -t UTF-8 | grep -q 年度报告"

# --- conditional GET ---
ET=$(header ETag "$H$R24")
LM=$(header Last-Modified "$H$R24")
check "ETag present" test -n "$ET"
check "If-None-Match answers 304" \
    test "$(code -H "If-None-Match: $ET" "$H$R24")" = 304
check "another ETag answers 200" \
    test "$(code -H 'If-None-Match: W/"0000"' "$H$R24")" = 200
check "If-Modified-Since answers 304" \
    test "$(code -H "If-Modified-Since: $LM" "$H$R24")" = 304
check "an older If-Modified-Since answers 200" \
    test "$(code -H 'If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT' "$H$R24")" = 200

# --- gzip ---
check "gzip when accepted" \
    test "$(header Content-Encoding -H 'Accept-Encoding: gzip' "$H$R24")" = gzip
check "no gzip when not asked" test -z "$(header Content-Encoding "$H$R24")"
c --compressed "$H$R24" | nochrome >"$T/r1z.n"
check "gzip body inflates to the page" cmp -s "$T/r1a.n" "$T/r1z.n"

# --- robots ---
check "robots.txt disallows /private/" sh -c \
    "curl -s --max-time 10 '$ROB/robots.txt' | grep -q '^Disallow: /private/'"
check "robots.txt is text/plain" \
    test "$(header Content-Type "$ROB/robots.txt")" = "text/plain; charset=utf-8"
check "robots listing links /private/ and the allowed report" sh -c \
    "curl -s --max-time 10 '$ROB/nb/index.html' | grep -q /private/nb2024.html &&
     curl -s --max-time 10 '$ROB/nb/index.html' | grep -q /nb/2020/nb2019.html"

# --- state 2: added, altered, chrome only, removed ---
A=/art/2026/1/20/art_1229_106.html
RM=/art/2023/1/18/art_1229_101.html
ALT=$Z/202501/t20250127_3378533.html
check "state 1: added report not there yet" test "$(code "$H$A")" = 404
check "state 1: removed report there" test "$(code "$H$RM")" = 200
c "$TRS$ALT" >"$T/alt1"
ET1=$(header ETag "$H/art/2024/1/19/art_1229_102.html")
ETC1=$(header ETag "$H$R24")
check "state query answers the state" test "$(c "$H/__portal/state")" = 1
check "switch to state 2 answers ok" test "$(c "$GBK/__portal/state?n=2")" = ok
check "unknown state refused" test "$(code "$H/__portal/state?n=9")" = 404
check "state 2: report added" test "$(code "$H$A")" = 200
check "state 2: added report listed" sh -c "curl -s --max-time 10 '$H$L' | grep -q '$A'"
check "state 2: removed report is 404" test "$(code "$H$RM")" = 404
check "state 2: removed report gone from listing" sh -c \
    "! curl -s --max-time 10 '$H$L' | grep -q '$RM'"
c "$TRS$ALT" >"$T/alt2"
check "state 2: altered report differs in table 三 (68 -> 70)" sh -c \
    "grep -q '>68<' '$T/alt1' && ! grep -q '>70<' '$T/alt1' && grep -q '>70<' '$T/alt2'"
c "$H$R24" >"$T/r2"
nochrome "$T/r2" >"$T/r2.n"
check "state 2: chrome-only page differs" sh -c "! cmp -s '$T/r1a.n' '$T/r2.n'"
zoom() { python3 -c 'import sys; s = open(sys.argv[1], encoding="utf-8").read(); a = s.index("<div id=\"zoom\">"); print(s[a:s.index("<div class=\"footer\">")])' "$1"; }
check "state 2: ... but the report body is identical" \
    test "$(zoom "$T/r1a.n")" = "$(zoom "$T/r2.n")"
check "state 2: ETag of the chrome-changed page changes" \
    test "$(header ETag "$H$R24")" != "$ETC1"
check "state 2: ETag of an unchanged report stays" \
    test "$(header ETag "$H/art/2024/1/19/art_1229_102.html")" = "$ET1"

# --- hostile (state 2 now) ---
check "429 first, with Retry-After: 1" sh -c \
    "test \"\$(curl -s --max-time 10 -o /dev/null -D - '$HOS/hostile/429' | tr -d '\r' | sed -n 's/^Retry-After: //Ip')\" = 1"
check "429 then 200 with a report" sh -c \
    "curl -s --max-time 10 '$HOS/hostile/429' | grep -q 2024年政府信息公开工作年度报告"
c "$H/__portal/state?n=1" >/dev/null
check "429 again after a state switch" test "$(code "$HOS/hostile/429")" = 429
check "hostile listing links the endpoints" sh -c \
    "curl -s --max-time 10 '$HOS/hostile/index.html' | grep -c 'href=\"/hostile/' | grep -qx 11"
check "500" test "$(code "$HOS/hostile/500")" = 500
check "503" test "$(code "$HOS/hostile/503")" = 503
check "503 has Retry-After" test "$(header Retry-After "$HOS/hostile/503")" = 2
check "notfound 404" test "$(code "$HOS/hostile/notfound")" = 404
check "gone 410" test "$(code "$HOS/hostile/gone")" = 410
curl -s --max-time 1 -o "$T/slow" "$HOS/hostile/slow"
rc=$?
check "slow times out (curl 28)" test $rc = 28
check "slow dripped a few bytes, not all" sh -c \
    "n=\$(wc -c <'$T/slow'); [ \$n -ge 1 ] && [ \$n -lt 50 ]"
curl -s -L --max-redirs 5 --max-time 10 -o /dev/null "$HOS/hostile/loop"
rc=$?
check "loop: too many redirects (curl 47)" test $rc = 47
check "huge declares 200 MiB" \
    test "$(header Content-Length -I "$HOS/hostile/huge")" = 209715200
curl -s --max-filesize 1000000 --max-time 10 -o /dev/null "$HOS/hostile/huge"
rc=$?
check "huge stopped by --max-filesize (curl 63)" test $rc = 63
n=$(curl -s --max-time 1 "$HOS/hostile/hugechunked" | wc -c)
check "hugechunked streams without a length ($n bytes in 1 s)" test "$n" -gt 100000
check "gzipbomb is sent gzip-encoded" \
    test "$(header Content-Encoding "$HOS/hostile/gzipbomb")" = gzip
z=$(curl -s --max-time 10 -o /dev/null -w '%{size_download}' "$HOS/hostile/gzipbomb")
check "gzipbomb is small on the wire ($z bytes)" test "$z" -lt 2000000
# curl 7.88's --max-filesize only weighs the Content-Length (the ~1 MiB on
# the wire), so the inflated size is bounded with head -c instead.
n=$(curl -s --compressed --max-time 20 "$HOS/hostile/gzipbomb" | head -c 50000000 | wc -c)
check "gzipbomb inflates far beyond its size ($n bytes read, stopped)" \
    test "$n" -eq 50000000
n=$(curl -s --max-time 1 "$HOS/hostile/endless" | wc -c)
check "endless keeps sending until the client leaves ($n bytes)" test "$n" -gt 10000

# --- connection limit (-c 8): slots come back, a full table says 503 ---
i=0; bad=0
while [ $i -lt 20 ]; do
	[ "$(code "$H$L")" = 200 ] || bad=$((bad + 1))
	i=$((i + 1))
done
check "20 sequential requests with 8 slots all served" test $bad = 0
pids=
i=0
while [ $i -lt 8 ]; do
	curl -s --max-time 20 -o /dev/null "$HOS/hostile/slow" &
	pids="$pids $!"
	i=$((i + 1))
done
got=; i=0
while [ $i -lt 50 ]; do
	got=$(code "$H$L")
	[ "$got" = 503 ] && break
	sleep 0.1; i=$((i + 1))
done
check "9th connection while 8 drip: 503" test "$got" = 503
kill $pids 2>/dev/null
wait $pids 2>/dev/null
got=; i=0
while [ $i -lt 50 ]; do
	got=$(code "$H$L")
	[ "$got" = 200 ] && break
	sleep 0.1; i=$((i + 1))
done
check "slots free again once the clients left" test "$got" = 200

# --- the log ---
check "log lines: ms address method uri status bytes" sh -c \
    "grep -v '^#' '$T/portal.log' | grep -qvE '^[0-9]{13} 127\.0\.0\.[0-9]+ (GET|HEAD|OTHER) [^ ]+ [0-9]{3} [0-9]+\$' && exit 1 || exit 0"
check "log has the 304s" grep -q " GET $R24 304 0\$" "$T/portal.log"
check "log has the abandoned slow stream (499)" grep -q ' /hostile/slow 499 ' "$T/portal.log"
check "log has the GBK site by address" grep -q "127.0.0.13 GET $G 200" "$T/portal.log"
check "log never saw /private/ (nobody asked)" sh -c "! grep -q /private/ '$T/portal.log'"

# --- clean exit ---
kill -TERM "$portal_pid"
i=0
while kill -0 "$portal_pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$portal_pid" 2>/dev/null; then
	nok "portal still running 5 s after SIGTERM"
else
	wait "$portal_pid"
	rc=$?
	portal_pid=
	check "SIGTERM: exit 0" test $rc = 0
fi
if [ -s "$T/portal.out" ]; then
	echo "portal stderr:"; cat "$T/portal.out"
fi

if [ $fails -ne 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all portal checks passed"
