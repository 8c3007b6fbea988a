#!/bin/sh
# `cmake --install` into temporary DESTDIRs: every file lands where the
# install rules promise; the installed nianbaod accepts the installed
# configuration (its catalog path is relative to it); an edited
# configuration survives a second install; --component installs only its
# part; a /usr/local prefix still puts the configuration in /etc/nianbao;
# `make install` passes PREFIX and DESTDIR on (checked with make -n, so that
# this test never rebuilds the tree it tests).
set -u
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup BUILD SRC
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

# --- everything, prefix /usr ----------------------------------------------
d=$tmp/root
DESTDIR=$d cmake --install "$BUILD" --prefix /usr >"$tmp/install.log" 2>&1
check $? "DESTDIR=... cmake --install BUILD --prefix /usr"
for f in usr/bin/nianbao usr/bin/nianbaod; do
	[ -f "$d/$f" ] && [ -x "$d/$f" ]
	check $? "$f installed, executable"
done
for f in usr/share/man/man1/nianbao.1 usr/share/man/man5/nianbaod.conf.5 \
    usr/share/man/man8/nianbaod.8 \
    usr/share/doc/nianbao/examples/nianbaod.conf \
    usr/share/doc/nianbao/examples/catalog.csv \
    etc/nianbao/nianbaod.conf etc/nianbao/catalog.csv \
    usr/lib/systemd/system/nianbaod.service \
    usr/lib/sysusers.d/nianbao.conf; do
	[ -s "$d/$f" ]
	check $? "$f installed"
done
cmp -s "$SRC/etc/nianbaod.conf" "$d/etc/nianbao/nianbaod.conf"
check $? "etc/nianbao/nianbaod.conf is etc/nianbaod.conf"
grep -qx 'ExecStart=/usr/bin/nianbaod -d -f /etc/nianbao/nianbaod.conf' \
    "$d/usr/lib/systemd/system/nianbaod.service"
check $? "the unit runs /usr/bin/nianbaod with /etc/nianbao/nianbaod.conf"
# nothing outside the expected trees, and no file twice
extra=$(cd "$d" && find . -type f | sed 's|^\./||' |
    grep -vE '^(usr/bin|usr/share/man|usr/share/doc/nianbao|etc/nianbao|usr/lib/systemd/system|usr/lib/sysusers\.d)/')
[ -z "$extra" ]
check $? "no file outside bin, man, doc, etc/nianbao, systemd dirs${extra:+: }$(echo $extra)"

# the installed daemon, the installed configuration: "catalog = catalog.csv"
# is found next to it
"$d/usr/bin/nianbaod" -n -f "$d/etc/nianbao/nianbaod.conf" >"$tmp/n.out" 2>&1
rc=$?
cat "$tmp/n.out"
[ "$rc" = 0 ] && grep -q "^configuration OK .* sources in $d/etc/nianbao/catalog.csv)" \
    "$tmp/n.out"
check $? "installed nianbaod -n -f DESTDIR/etc/nianbao/nianbaod.conf: configuration OK"
"$d/usr/bin/nianbao" --version >/dev/null 2>&1
check $? "installed nianbao --version runs"
# man finds the pages by section under the installed MANPATH
for p in "1 nianbao" "5 nianbaod.conf" "8 nianbaod"; do
	set -- $p
	[ "$(MANPATH=$d/usr/share/man man -w "$1" "$2" 2>/dev/null)" = \
	    "$d/usr/share/man/man$1/$2.$1" ]
	check $? "man -w $1 $2 finds the installed page"
done

# --- a second install keeps an edited configuration and catalog -------------
printf '# edited by the admin\n' >>"$d/etc/nianbao/nianbaod.conf"
printf '# edited by the admin\n' >>"$d/etc/nianbao/catalog.csv"
cp "$d/etc/nianbao/nianbaod.conf" "$tmp/conf.edited"
DESTDIR=$d cmake --install "$BUILD" --prefix /usr >"$tmp/install2.log" 2>&1
check $? "second install into the same DESTDIR"
cmp -s "$tmp/conf.edited" "$d/etc/nianbao/nianbaod.conf" &&
    tail -n 1 "$d/etc/nianbao/catalog.csv" | grep -q 'edited by the admin'
check $? "second install keeps the edited nianbaod.conf and catalog.csv"
grep -q 'Keeping: .*/etc/nianbao/nianbaod.conf' "$tmp/install2.log"
check $? "second install says it keeps them"
cmp -s "$SRC/etc/nianbaod.conf" "$d/usr/share/doc/nianbao/examples/nianbaod.conf"
check $? "the example in share/doc is the new one"

# --- one component ----------------------------------------------------------
c=$tmp/man
DESTDIR=$c cmake --install "$BUILD" --prefix /usr --component man \
    >"$tmp/install3.log" 2>&1
check $? "cmake --install --component man"
n=$(cd "$c" && find . -type f | wc -l)
[ "$n" = 3 ] && [ -f "$c/usr/share/man/man8/nianbaod.8" ] &&
    [ ! -e "$c/usr/bin" ] && [ ! -e "$c/etc" ]
check $? "--component man installs the 3 pages and nothing else ($n files)"

# --- prefix /usr/local ------------------------------------------------------
l=$tmp/local
DESTDIR=$l cmake --install "$BUILD" --prefix /usr/local >"$tmp/install4.log" 2>&1
check $? "cmake --install --prefix /usr/local"
[ -x "$l/usr/local/bin/nianbaod" ] && [ -f "$l/etc/nianbao/nianbaod.conf" ] &&
    [ -f "$l/usr/local/share/man/man5/nianbaod.conf.5" ] &&
    grep -qx 'ExecStart=/usr/local/bin/nianbaod -d -f /etc/nianbao/nianbaod.conf' \
    "$l/usr/local/lib/systemd/system/nianbaod.service"
check $? "prefix /usr/local: binaries and unit under it, configuration in /etc/nianbao"

# --- make install (dry run) -------------------------------------------------
make -n -C "$SRC" install BUILD="$BUILD" PREFIX=/opt/nb DESTDIR="$tmp/mk" \
    >"$tmp/make.out" 2>&1
rc=$?
grep -q "cmake --install $BUILD --prefix /opt/nb" "$tmp/make.out" &&
    grep -q "DESTDIR=\"$tmp/mk\"" "$tmp/make.out"
r2=$?
[ "$rc" = 0 ] && [ "$r2" = 0 ]
check $? "make install runs cmake --install BUILD --prefix PREFIX with DESTDIR"
[ "$rc" = 0 ] && [ "$r2" = 0 ] || cat "$tmp/make.out"
[ ! -e "$tmp/mk" ]
check $? "make -n install wrote nothing"

exit $fail
