# Sourced by the daemon e2e tests that keep their own preamble (query.sh):
# the gen.py portal fixture of lib/common.sh (e2e_portal_fixture): the
# portal running on $tmp/root, $tmp/catalog.csv, $tmp/expected.json and
# $tmp/nianbaod.conf (database $tmp/nb.db, min_delay $MIN_DELAY, default
# 200ms).  The caller sets tmp and fail() and kills $portal_pid on exit.
. "$SRC/tests/e2e/lib/common.sh"
e2e_portal_fixture
