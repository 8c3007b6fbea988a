#!/bin/sh
# HTML pages written from the seeds in real sites' markup: records and findings.
exec python3 "$SRC/tests/golden/check_html.py"
