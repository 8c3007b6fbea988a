#!/bin/sh
# nianbaod -n: the example configuration and catalog in etc/ are valid; a
# bad configuration and a bad catalog are reported line by line as
# file:line, and the good sources still load; a 100,000-line catalog loads
# (the time is printed, never asserted).
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-conf.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

check()
{
	if [ "$1" = 0 ]; then
		echo "ok   $2"
	else
		echo "FAIL $2"
		fail=1
	fi
}

has()
{
	grep -F -q -- "$2" "$1"
}

out="$tmp/out"
"$NIANBAOD" -n -f "$SRC/etc/nianbaod.conf" >"$out" 2>&1
rc=$?
cat "$out"
check $rc "etc/nianbaod.conf passes nianbaod -n"
has "$out" "configuration OK"; check $? "it says configuration OK"
has "$out" "5 sources"; check $? "the catalog lists the five seed agencies"

cat >"$tmp/bad.conf" <<'CONF'
[daemon]
catalog = bad.csv
colour = blue
log_level = loud

[fetch]
interval = often
user_agent = curl
per_host = 0
max_body = 20 parsecs
CONF
cat >"$tmp/bad.csv" <<'CSV'
id	agency	level	region	url
a1	某某县人民政府	government	某某县	http://www.example.gov.cn/nb/
a2	某某县财政局	ministry	某某县	http://www.example.gov.cn/cz/
a3	某某县教育局	department	某某县	ftp://www.example.gov.cn/jy/
a1	某某县人民政府	government	某某县	http://www.example.gov.cn/nb2/
a4		department	某某县	http://www.example.gov.cn/x/
a5	某某镇人民政府	township	某某县	https://zhen.example.gov.cn/nb/
CSV
"$NIANBAOD" -n -f "$tmp/bad.conf" >"$out" 2>&1
rc=$?
cat "$out"
[ $rc = 1 ]; check $? "a bad configuration exits 1 (got $rc)"
has "$out" "bad.conf:3: unknown key \"colour\""; check $? "unknown key named with file:line"
has "$out" "bad.conf:4: daemon.log_level"; check $? "bad log level at line 4"
has "$out" "bad.conf:7: fetch.interval"; check $? "bad duration at line 7"
has "$out" "bad.conf:8: fetch.user_agent"; check $? "user agent without a contact at line 8"
has "$out" "bad.conf:9: fetch.per_host"; check $? "out-of-range per_host at line 9"
has "$out" "bad.conf:10: fetch.max_body"; check $? "bad size at line 10"
has "$out" "bad.csv:3: source a2: level \"ministry\""; check $? "bad level named with file:line"
has "$out" "bad.csv:4: source a3: url"; check $? "non-http URL named with file:line"
has "$out" "bad.csv:5: duplicate id \"a1\" (first on line 2)"; check $? "duplicate id"
has "$out" "bad.csv:6: source a4: empty agency"; check $? "empty agency"
has "$out" "2 sources load"; check $? "the good sources still load"

# 100,000 sources
awk 'BEGIN { print "id,agency,level,region,url,interval";
	for (i = 0; i < 100000; i++)
		printf "s%d,某某县第%d局,department,某某县,http://www%d.example.gov.cn/xxgk/nb/,%s\n", i, i, i % 997, (i % 3 ? "" : "1d") }' >"$tmp/big.csv"
printf '[daemon]\ncatalog = big.csv\n' >"$tmp/big.conf"
start=$(date +%s%N)
"$NIANBAOD" -n -f "$tmp/big.conf" >"$out" 2>&1
rc=$?
end=$(date +%s%N)
cat "$out"
check $rc "a 100,000-line catalog loads"
has "$out" "100000 sources"; check $? "all 100,000 sources counted"
echo "# 100,000-line catalog checked in $(( (end - start) / 1000000 )) ms"
exit $fail
