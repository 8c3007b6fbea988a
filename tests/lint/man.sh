#!/bin/sh
# The manual pages: each renders without a warning (groff -ww, and
# mandoc -T lint at warning level when mandoc is installed); each flag that
# `nianbaod --help` lists has an item in nianbaod.8; each key that
# `nianbaod -nv` prints is documented in its section of nianbaod.conf.5,
# and nothing else is; each command of `nianbao --help` has an item in
# nianbao.1 and each option of `nianbao CMD --help` an item in that
# command's entry; the examples of nianbaod.conf.5 pass `nianbaod -n`.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
m1=$SRC/daemon/nianbao.1
m5=$SRC/daemon/nianbaod.conf.5
m8=$SRC/daemon/nianbaod.8

check()
{
	if [ "$1" = 0 ]; then
		echo "ok   $2"
	else
		echo "FAIL $2"
		fail=1
	fi
}

# "Fl x" / "Fl \-long" on an .It line of the page (the mdoc of -x, --long)
has_item_flag()	# page flag
{
	awk -v want="$(printf '%s' "${2#-}" | sed 's/^-/\\-/')" '
	    $1 == ".It" { for (i = 2; i < NF; i++) if ($i == "Fl" && $(i + 1) == want) f = 1 }
	    END { exit !f }' "$1"
}

# --- rendering --------------------------------------------------------------
if ! command -v groff >/dev/null 2>&1; then
	echo "FAIL groff is not installed (make deps: groff-base)"
	exit 1
fi
for page in "$m1" "$m5" "$m8"; do
	name=${page##*/}
	[ -s "$page" ]
	check $? "$name exists"
	# -k: preconv, the pages hold Chinese text in UTF-8
	groff -k -mandoc -Tutf8 -ww -z "$page" >"$tmp/groff.out" 2>&1
	rc=$?
	[ "$rc" = 0 ] && [ ! -s "$tmp/groff.out" ]
	check $? "$name: groff -mandoc -ww renders it without a warning"
	cat "$tmp/groff.out"
	# -P-cbou: plain text, no bold or underline by overstriking
	groff -k -mandoc -Tutf8 -P-cbou "$page" 2>/dev/null |
	    grep -q "^NAME\$"
	check $? "$name: rendered page has a NAME section"
	if command -v mandoc >/dev/null 2>&1; then
		# warning level: STYLE notes such as "referenced manual not
		# found" depend on the pages installed on this machine
		mandoc -T lint -W warning "$page" >"$tmp/lint.out" 2>/dev/null
		rc=$?
		[ "$rc" = 0 ] && [ ! -s "$tmp/lint.out" ]
		check $? "$name: mandoc -T lint -W warning is clean"
		cat "$tmp/lint.out"
	else
		echo "skip $name: mandoc -T lint (mandoc is not installed)"
	fi
done

# --- nianbaod.8: every flag of nianbaod --help --------------------------------
"$NIANBAOD" --help >"$tmp/help8" 2>&1
check $? "nianbaod --help exits 0"
flags=$(sed -n 's/^  \(--*[a-z][a-z-]*\).*/\1/p' "$tmp/help8")
[ -n "$flags" ]
check $? "nianbaod --help lists flags ($(echo $flags))"
for f in $flags; do
	has_item_flag "$m8" "$f"
	check $? "nianbaod.8 documents $f"
done
for s in SIGTERM SIGINT SIGHUP READY=1 RELOADING=1 STOPPING=1 STATUS= \
    WATCHDOG=1 JOURNAL_STREAM NOTIFY_SOCKET; do
	grep -q -- "$s" "$m8"
	check $? "nianbaod.8 mentions $s"
done
for s in "EXIT STATUS" FILES EXAMPLES SIGNALS SYSTEMD; do
	grep -qx "\.Sh $s" "$m8"
	check $? "nianbaod.8 has a $s section"
done

# --- nianbaod.conf.5: every key of nianbaod -nv, in its section -------------
"$NIANBAOD" -nv -f "$SRC/etc/nianbaod.conf" >"$tmp/nv" 2>&1
check $? "nianbaod -nv -f etc/nianbaod.conf"
# "section.key" as printed, and as documented (.It Cm key under
# ".Ss The [section] section")
awk '/^\[.*\]$/ { s = substr($0, 2, length($0) - 2); next }
    / = / { print s "." $1 }' "$tmp/nv" | sort >"$tmp/keys.printed"
awk '/^\.Ss / { s = ""; if (match($0, /\[[a-z]+\]/))
	s = substr($0, RSTART + 1, RLENGTH - 2); next }
    /^\.Sh / { s = "" }
    s != "" && $1 == ".It" && $2 == "Cm" { print s "." $3 }' "$m5" |
    sort >"$tmp/keys.documented"
n=$(wc -l <"$tmp/keys.printed")
[ "$n" -ge 20 ]
check $? "nianbaod -nv printed $n keys"
missing=$(comm -23 "$tmp/keys.printed" "$tmp/keys.documented")
[ -z "$missing" ]
check $? "nianbaod.conf.5 documents every key${missing:+; missing: }$(echo $missing)"
extra=$(comm -13 "$tmp/keys.printed" "$tmp/keys.documented")
[ -z "$extra" ]
check $? "nianbaod.conf.5 documents no key nianbaod lacks${extra:+: }$(echo $extra)"
for c in id agency level region url interval hosts tls_verify; do
	awk -v c="$c" '/^\.Sh SOURCE CATALOG/ { on = 1; next } /^\.Sh / { on = 0 }
	    on && $1 == ".It" && $2 == "Cm" && $3 == c { f = 1 } END { exit !f }' "$m5"
	check $? "nianbaod.conf.5 documents catalog column $c"
done

# the examples of the page are a working configuration and catalog
mkdir "$tmp/ex"
sed -n '/^\[daemon\]$/,/^\.Ed$/p' "$m5" | grep -v '^\.' >"$tmp/ex/ex.conf"
sed -n '/^# the agencies of the seed reports$/,/^\.Ed$/p' "$m5" |
    grep -v '^\.' >"$tmp/ex/catalog.csv"
"$NIANBAOD" -n -f "$tmp/ex/ex.conf" >"$tmp/ex.out" 2>&1
rc=$?
cat "$tmp/ex.out"
[ "$rc" = 0 ] && grep -q '^configuration OK .*2 sources' "$tmp/ex.out"
check $? "nianbaod.conf.5 EXAMPLES: configuration and catalog pass nianbaod -n"

# --- nianbao.1: every command, every option of each -------------------------
"$NIANBAO" --help >"$tmp/help1" 2>&1
check $? "nianbao --help exits 0"
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$tmp/help1")
[ -n "$cmds" ]
check $? "nianbao --help lists commands ($(echo $cmds))"
for g in $(sed -n '1s/[^-]*\(--[a-z]*\)[^-]*/\1 /gp' "$tmp/help1"); do
	has_item_flag "$m1" "$g"
	check $? "nianbao.1 documents nianbao $g"
done
for c in $cmds; do
	# an entry is ".It Cm c ..." or ".It Xo" followed by ".Cm c"
	awk -v c="$c" '
	    /^\.It Xo$/ { xo = 1; next }
	    xo { xo = 0; if ($1 == ".Cm") cur = $2 }
	    $1 == ".It" && $2 == "Cm" { cur = $3 }
	    /^\.Sh / { cur = "" }
	    cur == c { f = 1 }
	    END { exit !f }' "$m1"
	check $? "nianbao.1 has an entry for command $c"
	[ "$c" = help ] && continue
	"$NIANBAO" "$c" --help >"$tmp/help.$c" 2>&1
	check $? "nianbao $c --help exits 0"
	for f in $(sed -n 's/^  \(--*[a-z][a-z-]*\).*/\1/p' "$tmp/help.$c"); do
		awk -v c="$c" -v want="$(printf '%s' "${f#-}" | sed 's/^-/\\-/')" '
		    /^\.It Xo$/ { xo = 1; next }
		    xo { xo = 0; if ($1 == ".Cm") cur = $2 }
		    $1 == ".It" && $2 == "Cm" { cur = $3 }
		    /^\.Sh / { cur = "" }
		    cur == c && $1 == ".It" {
			for (i = 2; i < NF; i++) if ($i == "Fl" && $(i + 1) == want) f = 1 }
		    END { exit !f }' "$m1"
		check $? "nianbao.1 documents nianbao $c $f"
	done
done
for s in 0 1 2 64; do
	awk -v s="$s" '/^\.Sh EXIT STATUS/ { on = 1; next } /^\.Sh / { on = 0 }
	    on && $0 == ".It " s { f = 1 } END { exit !f }' "$m1"
	check $? "nianbao.1 EXIT STATUS documents $s"
done

exit $fail
