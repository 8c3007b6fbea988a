# Sourced by the notification e2e tests (notify_burst.sh,
# notify_channels.sh): the preamble they share and the loopback receivers
# they start.  POSIX sh (dash): the helpers' own variables start with _nt_.
#
#   notify_setup VAR...   e2e_setup (lib/common.sh) with fail() printing the
#                         tails of $tmp/*.log and $tmp/*.out
#   notify_track PID      kill PID on exit
#   notify_wait FILE      until FILE is not empty (a port file), 20 s at most
#   notify_im ARG...      tests/e2e/lib/im_receiver.py with ARGs, recording
#                         into $tmp/im.jsonl; sets IM=http://127.0.0.1:PORT
#   notify_smtp NAME ARG...  tests/e2e/lib/smtp_sink.py with ARGs, mails in
#                         $tmp/NAME/; sets smtp_port
#   notify_cert           a self-signed certificate for 127.0.0.1 in
#                         $tmp/cert.pem and $tmp/key.pem (openssl CLI)
. "$SRC/tests/e2e/lib/common.sh"

notify_setup() {
	e2e_logs='*.log *.out'
	e2e_tail=${notify_tail:-10}
	e2e_setup "$@"
}

notify_track() {
	e2e_track "$1"
}

# python3's start-up alone can take seconds on a loaded machine
notify_wait() {
	e2e_wait 200 0.1 "$1 never appeared" test -s "$1"
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
