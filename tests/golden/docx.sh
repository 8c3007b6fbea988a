#!/bin/sh
# DOCX reader: the blank 2021 template, DOCX files generated from the
# seeds (same record as the seed text), malformed archives refused.
exec python3 "$SRC/tests/golden/check_docx.py"
