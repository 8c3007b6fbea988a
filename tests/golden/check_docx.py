#!/usr/bin/env python3
"""Golden test for the DOCX reader (parse/docx.c) and the ZIP/OLE branches
of parse/reader.c.

1. The blank 2021 template in ../shared/fixtures/real/ reads as a 2021
   report, all six sections, every table cell blank.
2. Each seed written as a DOCX (tests/data/docx/gen_docx.py, at test time)
   gives the same t2/t3/t4 cells and meta year/agency as the seed text,
   and the same findings.
3. Malformed archives, a zip bomb, entity expansion, non-Word ZIPs and
   OLE (.doc) files exit 2 with the right message, within 10 seconds.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import NIANBAO, check, finish, run  # noqa: E402

SRC = os.environ["SRC"]
SHARED = os.environ["SHARED"]
GEN = os.path.join(SRC, "tests", "data", "docx", "gen_docx.py")
TEMPLATE = os.path.join(SHARED, "fixtures", "real",
                        "annual_report_format_2021_blank_template.docx")
SEEDS = os.path.join(SHARED, "seeds")


def flat(path):
    rc, out, err = run("parse", "--flat", path)
    rows = {}
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) >= 3:
            rows[f[0]] = f
    return rc, rows, err


def summary(path):
    rc, out, err = run("validate", path)
    lines = [ln for ln in out.splitlines() if ln.strip()]
    return lines[-1].strip() if lines else err.strip()


tmp = tempfile.mkdtemp(prefix="nianbao-docx-")

# 1. the blank template
rc, rows, err = flat(TEMPLATE)
check(rc == 0, "template parses (rc %d %s)" % (rc, err.strip()))
check(rows.get("meta.format", [""] * 3)[1] == "2021", "template is the 2021 format")
rc, out, err = run("parse", "--json", TEMPLATE)
import json  # noqa: E402
rec = json.loads(out) if rc == 0 else {"sections": [], "meta": {}}
check(len(rec["sections"]) == 6 and all(s["present"] for s in rec["sections"]),
      "template: all six sections found")
check(rec["meta"].get("reader") == "docx", "template read by the docx reader")
cells = {k: v for k, v in rows.items() if k.split(".")[0] in ("t2", "t3", "t4")}
t2 = [k for k in cells if k.startswith("t2.")]
t3 = [k for k in cells if k.startswith("t3.")]
t4 = [k for k in cells if k.startswith("t4.")]
check(len(t2) == 10 and len(t3) == 175 and len(t4) == 15,
      "template: 10 t2, 175 t3 and 15 t4 cells (got %d, %d, %d)" %
      (len(t2), len(t3), len(t4)))
notblank = ["%s=%s" % (k, v[2]) for k, v in cells.items() if v[2] != "blank"]
check(not notblank, "template: every table cell blank %s" % " ".join(notblank[:5]))

# 2. the seeds as DOCX
for name in sorted(os.listdir(SEEDS)):
    if not name.endswith(".txt"):
        continue
    seed = os.path.join(SEEDS, name)
    docx = os.path.join(tmp, name[:-4] + ".docx")
    p = subprocess.run([sys.executable, GEN, "seed", seed, docx])
    check(p.returncode == 0, "%s: DOCX generated" % name)
    rc1, want, _ = flat(seed)
    rc2, got, err = flat(docx)
    check(rc1 == 0 and rc2 == 0, "%s: both parse (rc %d %d %s)" % (name, rc1, rc2, err.strip()))
    keys = [k for k in want if k.split(".")[0] in ("t2", "t3", "t4") or
            k in ("meta.year", "meta.agency", "meta.format")]
    check(len([k for k in keys if k.startswith("t3.")]) >= 150,
          "%s: the seed has table 三 (%d keys)" % (name, len(keys)))
    diff = ["%s: %s vs %s" % (k, want[k][1:3], got.get(k, ["", "absent"])[1:3])
            for k in keys if got.get(k) != want[k]]
    extra = [k for k in got if k.split(".")[0] in ("t2", "t3", "t4") and k not in want]
    check(not diff and not extra, "%s: DOCX gives the seed's cells (%d keys) %s %s"
          % (name, len(keys), diff[:4], extra[:4]))
    rc, _, _ = run("parse", "--json", docx)
    s1, s2 = summary(seed), summary(docx)
    check(s1 == s2, "%s: same findings (%s / %s)" % (name, s1, s2))

# 3. malformed input
bad = os.path.join(tmp, "bad")
t0 = time.time()
p = subprocess.run([sys.executable, GEN, "bad", bad])
check(p.returncode == 0, "malformed archives generated (%.1fs)" % (time.time() - t0))
cases = [
    ("truncated.docx", "broken ZIP archive"),
    ("bomb.docx", "word/document.xml larger than 64 MB uncompressed"),
    ("liar.docx", None),
    ("laughs.docx", "declares XML entities"),
    ("noword.zip", "not a Word document (no word/document.xml)"),
    ("book.xlsx", "an Excel workbook (XLSX), not a Word document"),
    ("badxml.docx", "word/document.xml: XML error at line"),
    ("old.doc", "a Word 97 (.doc) / WPS file; not read, convert it to DOCX"),
]
for f, want in cases:
    path = os.path.join(bad, f)
    try:
        q = subprocess.run(["timeout", "10", NIANBAO, "parse", "--flat", path],
                           capture_output=True, timeout=20)
        rc, err = q.returncode, q.stderr.decode()
    except subprocess.TimeoutExpired:
        rc, err = -1, "timed out"
    if want is None:
        # headers that lie: stopped by the size bound or by libzip's checks
        ok = rc == 2 and ("larger than 64 MB" in err or "broken ZIP" in err)
    else:
        ok = rc == 2 and want in err and path in err
    check(ok, "%s refused: rc %d, %s" % (f, rc, err.strip()[:160]))

# the same bytes under any name: detected by content
os.rename(os.path.join(bad, "old.doc"), os.path.join(bad, "report.docx"))
rc, _, err = run("parse", os.path.join(bad, "report.docx"))
check(rc == 2 and "Word 97" in err, "a .doc named .docx is still a .doc")

subprocess.run(["rm", "-rf", tmp])
finish("DOCX")
