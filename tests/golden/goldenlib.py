"""Shared helpers of the golden test scripts (check_seeds.py, check_html.py).

Each check prints "ok" or "FAIL" with what it asserts; finish() exits 1 when
any failed.  Cells are looked up by their public dotted keys in the JSON
that `nianbao parse --json` prints.
"""
import os
import subprocess
import sys

NIANBAO = os.environ["NIANBAO"]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(*args):
    """Runs the CLI; returns (exit status, stdout, stderr)."""
    p = subprocess.run([NIANBAO] + list(args), capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def cell(rec, key):
    """The cell object {value, kind, raw} of a dotted key, or None."""
    o = rec
    for part in key.split("."):
        if not isinstance(o, dict) or part not in o:
            return None
        o = o[part]
    return o


def values(rec, expect, label):
    """Checks every key: value of expect against the record."""
    for key, want in expect.items():
        c = cell(rec, key)
        got = None if c is None else c["value"]
        check(got == want, "%s %s = %r (got %r)" % (label, key, want, got))


def finish(what):
    if failures:
        print("\n%d check(s) failed" % len(failures))
        sys.exit(1)
    print("\nall %s checks passed" % what)
