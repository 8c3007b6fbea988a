#!/bin/sh
# The systemd unit: installed into a temporary DESTDIR with --prefix /usr
# and /usr/local, its paths must follow the prefix; every hardening
# directive the daemon relies on is there with its value; every directive
# line has a comment above it (why it is there); `systemd-analyze verify`
# accepts it; the sysusers.d entry parses.  Only the systemd-analyze and
# systemd-sysusers parts are skipped, and say so, when systemd is missing.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-unit.XXXXXX") || exit 1
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

inst()	# DESTDIR PREFIX COMPONENT...
{
	d=$1 p=$2
	shift 2
	for c in "$@"; do
		DESTDIR=$d cmake --install "$BUILD" --prefix "$p" --component "$c" \
		    >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; return 1; }
	done
}

# --- the unit as `make install PREFIX=/usr` writes it -----------------------
inst "$tmp/usr" /usr bin man systemd
check $? "cmake --install --prefix /usr (bin, man, systemd)"
unit=$tmp/usr/usr/lib/systemd/system/nianbaod.service
[ -f "$unit" ]
check $? "unit installed as usr/lib/systemd/system/nianbaod.service"
[ -f "$unit" ] || { echo "FAIL: no unit to check"; exit 1; }
grep -qx 'ExecStart=/usr/bin/nianbaod -d -f /etc/nianbao/nianbaod.conf' "$unit"
check $? "prefix /usr: ExecStart=/usr/bin/nianbaod -d -f /etc/nianbao/nianbaod.conf"
! grep -q '@[A-Z]*@' "$unit"
check $? "no @VARIABLE@ left in the installed unit"

inst "$tmp/local" /usr/local systemd
check $? "cmake --install --prefix /usr/local (systemd)"
grep -qx 'ExecStart=/usr/local/bin/nianbaod -d -f /etc/nianbao/nianbaod.conf' \
    "$tmp/local/usr/local/lib/systemd/system/nianbaod.service" 2>/dev/null
check $? "prefix /usr/local: ExecStart=/usr/local/bin/nianbaod, config still in /etc/nianbao"

# --- the directives the brief and the daemon's behaviour require ------------
while IFS= read -r want; do
	grep -qxF -- "$want" "$unit"
	check $? "has $want"
done <<'EOF'
Type=notify
ExecReload=/bin/kill -HUP $MAINPID
WatchdogSec=60
Restart=on-failure
TimeoutStopSec=20
User=nianbao
StateDirectory=nianbao
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
RestrictRealtime=yes
SystemCallFilter=@system-service
CapabilityBoundingSet=
EOF
# a directive must not be set twice to different things (a later line wins)
dups=$(sed -n 's/^\([A-Za-z]*\)=.*/\1/p' "$unit" | sort | uniq -d |
    grep -vx 'SystemCallFilter')
[ -z "$dups" ]
check $? "no directive set twice${dups:+ (}${dups}${dups:+)}"

# --- a comment above every directive ----------------------------------------
bare=$(awk '/^[A-Za-z][A-Za-z0-9]*=/ && prev !~ /^#/ { print FILENAME ":" NR ": " $0 }
    { prev = $0 }' "$SRC/etc/nianbaod.service.in")
[ -z "$bare" ]
check $? "every directive line is preceded by a comment"
[ -z "$bare" ] || echo "$bare"

# --- systemd's own checks ---------------------------------------------------
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "skip systemd-analyze verify: systemd-analyze is not installed"
else
	# verify checks that ExecStart= exists on this machine: point a copy at
	# the binary installed into the DESTDIR; man: links are looked up there
	mkdir -p "$tmp/verify"
	sed "s|^ExecStart=/usr/bin/|ExecStart=$tmp/usr/usr/bin/|" "$unit" \
	    >"$tmp/verify/nianbaod.service"
	MANPATH=$tmp/usr/usr/share/man systemd-analyze verify \
	    "$tmp/verify/nianbaod.service" >"$tmp/verify.out" 2>&1
	rc=$?
	[ "$rc" = 0 ] && [ ! -s "$tmp/verify.out" ]
	check $? "systemd-analyze verify: no error, no warning"
	cat "$tmp/verify.out"

	# the exposure score is printed, never a gate: it depends on the
	# systemd version; an unknown option just skips it
	if systemd-analyze security --offline=yes \
	    "$tmp/verify/nianbaod.service" >"$tmp/sec.out" 2>&1; then
		grep 'Overall exposure' "$tmp/sec.out"
	fi
fi
if ! command -v systemd-sysusers >/dev/null 2>&1; then
	echo "skip systemd-sysusers --dry-run: systemd-sysusers is not installed"
else
	systemd-sysusers --root="$tmp/usr" --dry-run \
	    "$tmp/usr/usr/lib/sysusers.d/nianbao.conf" >"$tmp/sysusers.out" 2>&1
	check $? "systemd-sysusers accepts usr/lib/sysusers.d/nianbao.conf"
	grep -q "user 'nianbao'" "$tmp/sysusers.out"
	check $? "sysusers.d entry creates user nianbao"
fi

exit $fail
