# Sourced by the notification e2e tests (notify_burst.sh,
# notify_channels.sh): the preamble they share and the loopback receivers
# they start.  POSIX sh (dash): the helpers' own variables start with _nt_.
#
#   notify_setup VAR...   exits unless every VAR is set; makes $tmp, and on
#                         exit kills what notify_track was given and removes
#                         $tmp; defines fail MESSAGE (the tails of
#                         $tmp/*.log and $tmp/*.out on stderr, exit 1)
#   notify_track PID      kill PID on exit
#   notify_wait FILE      until FILE is not empty (a port file), 20 s at most
#   notify_im ARG...      tests/e2e/lib/im_receiver.py with ARGs, recording
#                         into $tmp/im.jsonl; sets IM=http://127.0.0.1:PORT
#   notify_smtp NAME ARG...  tests/e2e/lib/smtp_sink.py with ARGs, mails in
#                         $tmp/NAME/; sets smtp_port
#   notify_cert           a self-signed certificate for 127.0.0.1 in
#                         $tmp/cert.pem and $tmp/key.pem (openssl CLI)
notify_setup() {
	for _nt_v in "$@"; do
		eval ": \"\${$_nt_v:?}\""
	done
	tmp=$(mktemp -d)
	_nt_pids=""
	trap notify_cleanup EXIT
	trap 'exit 1' INT TERM
	fail() {
		echo "FAIL: $*" >&2
		for _nt_f in "$tmp"/*.log "$tmp"/*.out; do
			[ -f "$_nt_f" ] || continue
			echo "--- $_nt_f" >&2
			tail -"${notify_tail:-10}" "$_nt_f" >&2
		done
		exit 1
	}
}

# the exit trap: nothing in it may stop it (set -e) before rm
notify_cleanup() {
	for _nt_p in $_nt_pids; do
		kill "$_nt_p" 2>/dev/null || :
	done
	wait 2>/dev/null || :
	rm -rf "$tmp"
}

notify_track() {
	_nt_pids="$_nt_pids $1"
}

notify_wait() {
	_nt_i=0
	while [ ! -s "$1" ]; do
		_nt_i=$((_nt_i + 1))
		[ $_nt_i -gt 200 ] && fail "$1 never appeared"
		sleep 0.1
	done
	return 0
}

notify_im() {
	python3 "$SRC/tests/e2e/lib/im_receiver.py" --port-file "$tmp/im.port" \
		--record "$tmp/im.jsonl" --lifetime 240 "$@" 2>"$tmp/im.log" &
	notify_track $!
	notify_wait "$tmp/im.port"
	IM="http://127.0.0.1:$(cat "$tmp/im.port")"
}

notify_smtp() {
	_nt_n=$1
	shift
	python3 "$SRC/tests/e2e/lib/smtp_sink.py" --port-file "$tmp/$_nt_n.port" \
		--dir "$tmp/$_nt_n" --lifetime 240 "$@" 2>"$tmp/$_nt_n.log" &
	notify_track $!
	notify_wait "$tmp/$_nt_n.port"
	smtp_port=$(cat "$tmp/$_nt_n.port")
}

notify_cert() {
	command -v openssl >/dev/null || fail "no openssl (Debian: openssl)"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
		>"$tmp/openssl.out" 2>&1 || fail "openssl req"
}
