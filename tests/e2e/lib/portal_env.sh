# Sourced by the daemon e2e tests: generates the portal into $tmp/root,
# starts it, and writes $tmp/catalog.csv, $tmp/expected.json and a config
# $tmp/nianbaod.conf (database $tmp/nb.db) with the politeness given in
# $MIN_DELAY (default 200ms).  The caller sets tmp and fail() and kills
# $portal_pid on exit.
python3 "$SRC/tests/portal/gen.py" "$tmp/root" >/dev/null
"$TOOLS/portal" -r "$tmp/root" -P "$tmp/port" -l "$tmp/portal.log" \
	>"$tmp/portal.out" 2>&1 &
portal_pid=$!
i=0
while [ ! -s "$tmp/port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "portal did not start"
	sleep 0.1
done
port=$(cat "$tmp/port")
sed "s/{{PORT}}/$port/g" "$tmp/root/catalog.csv" >"$tmp/catalog.csv"
sed "s/{{PORT}}/$port/g" "$tmp/root/expected.json" >"$tmp/expected.json"
cat >"$tmp/nianbaod.conf" <<CONF
[daemon]
database = $tmp/nb.db
catalog = catalog.csv
[fetch]
user_agent = nianbao-e2e/0.1 (+http://127.0.0.1/contact)
min_delay = ${MIN_DELAY:-200ms}
max_delay = 1s
connect_timeout = 2s
total_timeout = 3s
max_body = 8MB
max_decompressed = 32MB
retry_after_max = 5s
[http]
# tests run in parallel: no fixed port (a test that wants the API appends
# its own [http] listen, which wins)
listen = no
CONF
