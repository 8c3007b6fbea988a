#!/bin/sh
# The five seed reports: every fact of design.md's seed table, their
# findings, and their flat listings against the reviewed golden files.
exec python3 "$SRC/tests/golden/check_seeds.py"
