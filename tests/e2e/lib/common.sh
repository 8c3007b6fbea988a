# Sourced by the end-to-end scripts (tests/e2e/*.sh, tests/demo.sh): the
# preamble they all share, so that each script keeps only what it tests.
# POSIX sh (the scripts run with dash): no `local`, so the helpers' own
# variables start with _e2e_; every name this file defines starts with e2e_
# except fail(), which only e2e_setup defines (a script sourcing only
# portal_env.sh keeps its own fail()).
#
# The state the helpers share with the script, by name:
#   tmp          the test's temporary directory (e2e_setup)
#   portal_pid   the loopback portal (e2e_portal), killed on exit
#   daemon_pid   a background nianbaod (e2e_daemon), killed -9 on exit
#   e2e_pids     other background processes (e2e_track), killed on exit
#   port         the portal's port (e2e_portal)
#   e2e_logs     what fail() prints the tail of: globs under $tmp,
#                space-separated (default run*.log), e2e_tail lines
#                (default 20)
#   MIN_DELAY    the fetch.min_delay of e2e_write_conf (default 200ms)
#   E2E_TIMEOUT  seconds one `nianbaod --once` may take (default 240)

# e2e_setup [VAR...]: exits unless every VAR is set (the environment ctest
# gives: NIANBAOD NIANBAO TOOLS SRC ...), makes $tmp, removes it and every
# process started through these helpers on exit, and defines fail().
e2e_setup() {
	for _e2e_v in "$@"; do
		eval ": \"\${$_e2e_v:?}\""
	done
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-e2e.XXXXXX")
	portal_pid=""
	daemon_pid=""
	e2e_pids=""
	trap e2e_cleanup EXIT
	trap 'exit 1' INT TERM
	# fail MESSAGE: says why on stderr with the tail of the logs, exits 1
	fail() {
		echo "FAIL: $*" >&2
		# the globs are expanded in $tmp, not where the script runs
		for _e2e_f in $(cd "$tmp" && ls -d ${e2e_logs:-run*.log} \
		    2>/dev/null); do
			[ -f "$tmp/$_e2e_f" ] || continue
			echo "--- $tmp/$_e2e_f" >&2
			tail -"${e2e_tail:-20}" "$tmp/$_e2e_f" >&2
		done
		exit 1
	}
}

# e2e_cleanup: the exit trap.  A daemon still running here is a failed
# test's: kill -9, nothing of it is checked any more.
# Every step may fail (the process is gone): none may stop the trap (set -e)
# before the directory is removed.
e2e_cleanup() {
	if [ -n "${daemon_pid:-}" ]; then kill -9 "$daemon_pid" 2>/dev/null || :; fi
	if [ -n "${portal_pid:-}" ]; then kill "$portal_pid" 2>/dev/null || :; fi
	for _e2e_p in ${e2e_pids:-}; do
		kill "$_e2e_p" 2>/dev/null || :
	done
	wait 2>/dev/null || :
	rm -rf "$tmp"
}

# e2e_track PID: kill PID on exit (a server the script started itself)
e2e_track() {
	e2e_pids="${e2e_pids:-} $1"
}

# e2e_wait TRIES SECONDS WHAT COMMAND...: runs COMMAND until it succeeds,
# at most TRIES times more, SECONDS apart; fail "WHAT" if it never does.
# COMMAND may be a shell function (a condition that needs $(...) each time).
e2e_wait() {
	_e2e_n=$1
	_e2e_s=$2
	_e2e_what=$3
	shift 3
	_e2e_i=0
	until "$@"; do
		_e2e_i=$((_e2e_i + 1))
		[ "$_e2e_i" -gt "$_e2e_n" ] && fail "$_e2e_what"
		sleep "$_e2e_s"
	done
	return 0
}

# e2e_wait_file FILE WHAT: until FILE is not empty (a port file), 10 s
e2e_wait_file() {
	e2e_wait 100 0.1 "$2" test -s "$1"
}

# e2e_wait_log FILE PATTERN WHAT [TRIES [SECONDS]]: until grep finds
# PATTERN in FILE (default 100 tries 0.05 s apart)
e2e_wait_log() {
	e2e_wait "${4:-100}" "${5:-0.05}" "$3" grep -q "$2" "$1"
}

# e2e_portal ROOT [PORTAL ARGS...]: starts $TOOLS/portal on the site tree
# ROOT (log $tmp/portal.log, output $tmp/portal.out), waits for its port
# file and sets portal_pid and port.
e2e_portal() {
	_e2e_root=$1
	shift
	"$TOOLS/portal" -r "$_e2e_root" -P "$tmp/port" -l "$tmp/portal.log" \
		"$@" >"$tmp/portal.out" 2>&1 &
	portal_pid=$!
	e2e_wait_file "$tmp/port" "portal did not start"
	port=$(cat "$tmp/port")
}

# e2e_unport FILE...: each ROOT file $tmp/root/FILE with the portal's real
# port for {{PORT}}, as $tmp/FILE
e2e_unport() {
	for _e2e_f in "$@"; do
		sed "s/{{PORT}}/$port/g" "$tmp/root/$_e2e_f" >"$tmp/$_e2e_f"
	done
}

# e2e_write_conf [FETCH_LINES [SECTIONS]]: $tmp/nianbaod.conf for a test
# daemon: database $tmp/nb.db, catalog $tmp/catalog.csv, short fetch
# bounds with min_delay $MIN_DELAY, the API off.  FETCH_LINES (newline
# terminated) go into [fetch], SECTIONS at the end.
e2e_write_conf() {
	{
		printf '[daemon]\ndatabase = %s/nb.db\ncatalog = catalog.csv\n' \
		    "$tmp"
		printf '[fetch]\nuser_agent = %s\nmin_delay = %s\n' \
		    "nianbao-e2e/0.1 (+http://127.0.0.1/contact)" \
		    "${MIN_DELAY:-200ms}"
		printf 'max_delay = 1s\nconnect_timeout = 2s\ntotal_timeout = 3s\n'
		printf '%s' "${1:-}"
		# tests run in parallel: no fixed port (a test that wants the
		# API appends its own [http] listen, which wins)
		printf '[http]\nlisten = no\n'
		printf '%s' "${2:-}"
	} >"$tmp/nianbaod.conf"
}

# e2e_portal_fixture: the site tree of tests/portal/gen.py served by the
# portal, $tmp/catalog.csv and $tmp/expected.json with its port, and the
# configuration (with the fetch bounds the hostile site needs)
e2e_portal_fixture() {
	python3 "$SRC/tests/portal/gen.py" "$tmp/root" >/dev/null ||
		fail "gen.py"
	e2e_portal "$tmp/root"
	e2e_unport catalog.csv expected.json
	e2e_write_conf "max_body = 8MB
max_decompressed = 32MB
retry_after_max = 5s
"
}

# e2e_calendar_fixture: the site tree of lib/calendar_site.py served by
# the portal, $tmp/catalog.csv with its port, and a configuration whose
# [deadlines] give townships of two regions their own deadlines
e2e_calendar_fixture() {
	python3 "$SRC/tests/e2e/lib/calendar_site.py" "$tmp/root" ||
		fail "calendar_site.py"
	e2e_portal "$tmp/root"
	e2e_unport catalog.csv
	MIN_DELAY=100ms
	e2e_write_conf "interval = 2d
" "[deadlines]
region.山东省淄博市沂源县 = 02-20
region.山东省 = 03-15
"
	E2E_TIMEOUT=120
}

# e2e_no_hostile: drops the hostile site from $tmp/catalog.csv (its
# timeouts take half a minute a run)
e2e_no_hostile() {
	grep -v hostile "$tmp/catalog.csv" >"$tmp/catalog.tmp"
	mv "$tmp/catalog.tmp" "$tmp/catalog.csv"
}

# e2e_state N [ADDRESS]: switches the portal (every site) to its state N,
# asking the site on ADDRESS (default 127.0.0.11, gen.py's first); the
# portal answers "ok"
e2e_state() {
	_e2e_r=$(curl -sf --max-time 10 \
	    "http://${2:-127.0.0.11}:$port/__portal/state?n=$1") ||
		fail "portal state switch to $1"
	[ "$_e2e_r" = ok ] || fail "portal state switch to $1: $_e2e_r"
}

# e2e_once NAME [NIANBAOD ARGS...]: one `nianbaod --once` on the test
# configuration, stderr to $tmp/runNAME.log, bounded by $E2E_TIMEOUT;
# fails unless it exits 0 with its summary line
e2e_once() {
	_e2e_name=$1
	shift
	timeout "${E2E_TIMEOUT:-240}" "$NIANBAOD" -d -f "$tmp/nianbaod.conf" \
		--once "$@" 2>"$tmp/run$_e2e_name.log" ||
		fail "run $_e2e_name: nianbaod exited $?"
	grep -q "stopped after" "$tmp/run$_e2e_name.log" ||
		fail "run $_e2e_name: no summary line"
}

# e2e_events NAME: every event so far as $tmp/eventsNAME.json
e2e_events() {
	"$NIANBAO" events --db "$tmp/nb.db" --json >"$tmp/events$1.json" ||
		fail "run $1: nianbao events"
}

# e2e_daemon LOG [NIANBAOD ARGS...]: a nianbaod on the test configuration
# in the background, stderr to $tmp/LOG, its pid in daemon_pid
e2e_daemon() {
	_e2e_log=$1
	shift
	"$NIANBAOD" -d -f "$tmp/nianbaod.conf" "$@" 2>"$tmp/$_e2e_log" &
	daemon_pid=$!
}

# e2e_daemon_stop: SIGTERM to daemon_pid, which must drain and exit 0
# within 15 s
e2e_daemon_stop() {
	kill -TERM "$daemon_pid"
	e2e_wait 300 0.05 "SIGTERM: still running after 15 s" e2e_daemon_gone
	_e2e_rc=0
	wait "$daemon_pid" || _e2e_rc=$?
	daemon_pid=""
	[ "$_e2e_rc" = 0 ] || fail "SIGTERM: exit status $_e2e_rc"
}
e2e_daemon_gone() {
	! kill -0 "$daemon_pid" 2>/dev/null
}
