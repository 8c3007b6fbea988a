#!/usr/bin/env python3
"""LibreOffice round trip of the seeds (tests/golden/roundtrip.sh).

Each seed in ../shared/seeds is written as a DOCX by
tests/data/docx/gen_docx.py, its tracked changes accepted (LibreOffice
prints a w:del run, struck through, into the PDF: a report is published
from its final text), and all of them converted to PDF by one soffice call
(start-up paid once).  `nianbao parse --flat` of each PDF is compared with
the seed text's.

Asserted, for every seed:
  - LibreOffice writes one PDF per seed and the PDF reader reads it;
  - meta.year, meta.agency and meta.format equal the seed's (002 is a
    2019-format report: its table 三 must come back as such);
  - every t2/t3/t4 cell (value, kind and raw) equals the seed text's, and
    the PDF has no t2/t3/t4 cell the seed text lacks.

The DOCX has the blank 2021 template's column widths (gen_docx.py), so the
PDF looks like a real one: labels wrap inside their cells, cells are
aligned at the top, LibreOffice leaves 10.8 pt between a label that fills
its cell and the first number (under the layout's 0.9-glyph segment cut)
and no space between a table and the next heading.  parse/pdf_layout.c
finds the value columns where the numbers line up and cuts the glued
numbers off there; the test fails if that breaks.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import check, finish, run  # noqa: E402

SRC = os.environ["SRC"]
SHARED = os.environ["SHARED"]
GEN = os.path.join(SRC, "tests", "data", "docx", "gen_docx.py")
SEEDS = os.path.join(SHARED, "seeds")
CELLS = ("t2", "t3", "t4")


def flat(path):
    rc, out, err = run("parse", "--flat", path)
    rows = {}
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) >= 3:
            rows[f[0]] = f
    return rc, rows, err


def accept_changes(src, dst):
    """The DOCX with its tracked changes accepted: w:del gone, w:ins kept."""
    with zipfile.ZipFile(src) as zin, \
            zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                s = data.decode("utf-8")
                s = re.sub(r"<w:del\b[^>]*>.*?</w:del>", "", s, flags=re.S)
                s = re.sub(r"<w:ins\b[^>]*>(.*?)</w:ins>", r"\1", s,
                           flags=re.S)
                data = s.encode("utf-8")
            zout.writestr(item, data)


tmp = tempfile.mkdtemp(prefix="nianbao-roundtrip-")
names = sorted(n[:-4] for n in os.listdir(SEEDS) if n.endswith(".txt"))
check(len(names) >= 5, "%d seeds" % len(names))
docx = []
for name in names:
    raw = os.path.join(tmp, name + ".raw.docx")
    out = os.path.join(tmp, name + ".docx")
    p = subprocess.run([sys.executable, GEN, "seed",
                        os.path.join(SEEDS, name + ".txt"), raw])
    check(p.returncode == 0, "%s: DOCX generated" % name)
    accept_changes(raw, out)
    os.unlink(raw)
    docx.append(out)

t0 = time.time()
env = dict(os.environ, HOME=tmp)
p = subprocess.run(["timeout", "120", "soffice", "--headless",
                    "-env:UserInstallation=file://%s/lo" % tmp,
                    "--convert-to", "pdf", "--outdir", tmp] + docx,
                   capture_output=True, env=env, timeout=180)
print("info soffice: %d DOCX to PDF in %.1fs (exit %d)" %
      (len(docx), time.time() - t0, p.returncode))
check(p.returncode == 0, "soffice exits 0 (%s)" % p.stderr.decode()[-200:])

for name in names:
    pdf = os.path.join(tmp, name + ".pdf")
    if not os.path.exists(pdf):
        check(False, "%s: PDF written" % name)
        continue
    rc1, want, _ = flat(os.path.join(SEEDS, name + ".txt"))
    rc2, got, err = flat(pdf)
    check(rc1 == 0 and rc2 == 0, "%s: seed and PDF parse (rc %d %d %s)" %
          (name, rc1, rc2, err.strip()))
    rc, out, _ = run("parse", "--json", pdf)
    reader = json.loads(out)["meta"].get("reader") if rc == 0 else None
    check(reader == "pdf", "%s: read by the PDF reader (%s)" % (name, reader))
    for k in ("meta.year", "meta.agency", "meta.format"):
        check(k in want and got.get(k) == want[k],
              "%s: %s %s (got %s)" % (name, k, want.get(k, ["", "?"])[1],
                                      got.get(k, ["", "absent"])[1]))
    keys = [k for k in want if k.split(".")[0] in CELLS]
    diff = ["%s seed %r pdf %r" % (k, want[k][1:], got.get(k, ["absent"])[1:])
            for k in keys if got.get(k) != want[k]]
    extra = [k for k in got if k.split(".")[0] in CELLS and k not in want]
    check(len(keys) >= 150 and not diff and not extra,
          "%s: all %d t2/t3/t4 cells equal the seed text's (%d differ%s%s)"
          % (name, len(keys), len(diff), ": " if diff else "",
             "; ".join(diff[:5])) +
          (" extra: %s" % " ".join(extra[:5]) if extra else ""))

shutil.rmtree(tmp, ignore_errors=True)
finish("LibreOffice round-trip")
