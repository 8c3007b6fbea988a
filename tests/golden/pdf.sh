#!/bin/sh
# The PDF reader on the three real PDFs of ../shared/fixtures/real (facts
# in its README), and malformed PDFs made here, each under `timeout 20`:
# a truncated file, one with its cross-reference data destroyed, random
# bytes after "%PDF-1.4", an image-only PDF (a scan) written object by
# object, and encrypted copies of a real PDF made with qpdf (skipped with
# a message where qpdf is missing).  Environment (set by ctest): NIANBAO,
# SRC, SHARED.  Prints one line per check and ends with "N passed, N
# failed".
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
NIANBAO=${NIANBAO:-$SRC/build/nianbao}
SHARED=${SHARED:-$SRC/../shared}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-pdf.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

export NIANBAO SHARED tmp
exec python3 - <<'EOF'
import json, os, shutil, subprocess, sys

nb = os.environ["NIANBAO"]
real = os.path.join(os.environ["SHARED"], "fixtures", "real")
tmp = os.environ["tmp"]
HZ23 = os.path.join(real, "hongze_district_gov_2023_annual_report.pdf")
HZ24 = os.path.join(real, "hongze_district_gov_2024_annual_report.pdf")
HA24 = os.path.join(real, "huaian_city_gov_2024_annual_report.pdf")
passed = failed = 0


def check(label, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok   " + label)
    else:
        failed += 1
        print("FAIL " + label + (": " + detail if detail else ""))


def run(*args):
    p = subprocess.run(["timeout", "20", nb] + list(args),
                       capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def flat(path):
    rc, out, err = run("parse", "--flat", path)
    cells = {}
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) >= 2:
            cells[f[0]] = f[1]
    return rc, cells


def validate(*paths):
    rc, out, err = run("validate", "--json", *paths)
    try:
        return rc, json.loads(out)
    except ValueError:
        return rc, []


def findings(rep, rule, result=None):
    return [f for f in rep.get("findings", []) if f["rule"] == rule and
            (result is None or f["result"] == result)]


def cells_are(label, cells, want):
    bad = ["%s=%r (want %r)" % (k, cells.get(k), v) for k, v in want.items()
           if cells.get(k) != v]
    check(label, not bad, "; ".join(bad))


def t4(cells, rows):
    want = {}
    for g, vals in zip(("review", "suit_direct", "suit_after"), rows):
        for k, v in zip(("upheld", "corrected", "other", "pending", "total"),
                        vals.split()):
            want["t4.%s.%s" % (g, k)] = v
    return want


# ---- 洪泽区 2023: a real table-四 error, table 三 in the 2019 layout ----
rc, c = flat(HZ23)
check("洪泽 2023: parse exits 0", rc == 0, str(rc))
cells_are("洪泽 2023: reader, year, agency", c, {
    "meta.year": "2023", "meta.agency": "洪泽区人民政府"})
cells_are("洪泽 2023: t3 总计 new 21, carried 0, total 21, forward 0", c, {
    "t3.new.total": "21", "t3.carried_over.total": "0",
    "t3.total.total": "21", "t3.carried_forward.total": "0"})
check("洪泽 2023: table 三 has the single 其他处理 row (t3.other.*)",
      c.get("t3.other.total") == "0" and c.get("t3.other.natural") == "0"
      and c.get("t3.other_other.total") in (None, ""),
      "other=%r other_other=%r" % (c.get("t3.other.total"),
                                    c.get("t3.other_other.total")))
cells_are("洪泽 2023: t4 10 1 0 0 0 / 0 0 0 0 0 / 5 0 0 0 0", c,
          t4(c, ["10 1 0 0 0", "0 0 0 0 0", "5 0 0 0 0"]))
rc, v = validate(HZ23)
rep = v[0] if v else {}
check("洪泽 2023: validate exits 1 (errors found)", rc == 1, str(rc))
fails = findings(rep, "T4.SUM", "fail")
got = sorted((f["cells"][0], f["expected"], f["actual"]) for f in fails)
check("洪泽 2023: T4.SUM fails for 行政复议 (11 vs 0) and 复议后起诉 (5 vs 0)",
      got == [("t4.review.total", 11.0, 0.0),
              ("t4.suit_after.total", 5.0, 0.0)], repr(got))
check("洪泽 2023: STRUCT.FORMAT says table 三 is in the 2019 layout",
      any("其他处理" in f["message"] for f in
          findings(rep, "STRUCT.FORMAT", "fail")))
check("洪泽 2023: reader is pdf", rep.get("meta", {}).get("reader") == "pdf"
      or "pdf" in json.dumps(rep.get("meta", {})), repr(rep.get("meta")))

# ---- 洪泽区 2024: holds; the 17-vs-95 narrative is a scope difference ----
rc, c = flat(HZ24)
check("洪泽 2024: parse exits 0", rc == 0, str(rc))
cells_are("洪泽 2024: t3 总计 new 95, carried 0, total 95, forward 0", c, {
    "t3.new.total": "95", "t3.carried_over.total": "0",
    "t3.total.total": "95", "t3.carried_forward.total": "0"})
cells_are("洪泽 2024: t4 1 1 0 0 2 / 1 0 0 0 1 / 2 0 1 0 3", c,
          t4(c, ["1 1 0 0 2", "1 0 0 0 1", "2 0 1 0 3"]))
rc, v = validate(HZ24)
rep = v[0] if v else {}
errs = [f for f in rep.get("findings", []) if f["result"] == "fail" and
        f["severity"] == "error"]
check("洪泽 2024: no failing error-severity finding", not errs,
      "; ".join(f["message"] for f in errs))
for rule in ("T3.BALANCE", "T4.SUM", "T3.ROW"):
    check("洪泽 2024: %s has no failure" % rule,
          not findings(rep, rule, "fail") and
          findings(rep, rule) != [], rule)
xt = findings(rep, "X.TEXT", "fail")
check("洪泽 2024: 17 vs 95 is an X.TEXT scope difference, not an error",
      any("17" in f["message"] and "95" in f["message"] and
          f["severity"] != "error" and "口径" in f["message"] for f in xt),
      repr([(f["severity"], f["message"]) for f in xt]))

# ---- 淮安市 2024: holds; table 三 across a page break; a decimal fee ----
rc, c = flat(HA24)
check("淮安 2024: parse exits 0", rc == 0, str(rc))
cells_are("淮安 2024: t2 fees 96171.6, 行政处罚 3985758, 许可 447228", c, {
    "t2.fees.amount": "96171.6", "t2.punishment.decisions": "3985758",
    "t2.licensing.decisions": "447228", "t2.coercion.decisions": "88283",
    "t2.rules.issued": "1", "t2.rules.repealed": "0",
    "t2.rules.in_force": "11", "t2.normative.issued": "8",
    "t2.normative.repealed": "26", "t2.normative.in_force": "66"})
cells_are("淮安 2024: t3 总计 new 3119, carried 34, total 3050, forward 103",
          c, {"t3.new.total": "3119", "t3.carried_over.total": "34",
              "t3.total.total": "3050", "t3.carried_forward.total": "103"})
cells_are("淮安 2024: t3 rows on both sides of the page break", c, {
    "t3.unable_not_held.total": "769", "t3.unable_create.total": "11",
    "t3.unable_unclear.total": "1", "t3.refused_confirm.total": "1",
    "t3.other_no_correction.total": "71", "t3.other_no_fee.total": "6",
    "t3.other_other.total": "110"})
cells_are("淮安 2024: t4 72 64 178 37 351 / 13 4 8 1 26 / 12 1 1 6 20", c,
          t4(c, ["72 64 178 37 351", "13 4 8 1 26", "12 1 1 6 20"]))
cells_are("淮安 2024: title and agency", c, {
    "meta.title": "淮安市人民政府2024年政府信息公开工作年度报告",
    "meta.year": "2024"})
rc, v = validate(HA24)
rep = v[0] if v else {}
bad = [f["message"] for f in rep.get("findings", []) if f["result"] != "pass"]
check("淮安 2024: validate exits 0, every check passes", rc == 0 and not bad,
      "rc=%d %s" % (rc, "; ".join(bad)))
check("淮安 2024: no notes (every table row recognised)",
      not rep.get("notes"), repr(rep.get("notes")))

# ---- the pair: 2023 结转 0 -> 2024 上年结转 0 ----
rc, v = validate("--previous", HZ23, HZ24)
rep = v[-1] if v else {}
carry = findings(rep, "X.CARRY")
check("洪泽 2023 -> 2024: X.CARRY holds",
      carry != [] and all(f["result"] == "pass" for f in carry),
      repr([(f["result"], f["message"]) for f in carry]))

# ---- malformed PDFs: exit 2, a clear message, in bounded time ----
src = open(HA24, "rb").read()
bad = {}
bad["truncated"] = (src[:30000], "broken PDF")
b = bytearray(src)
i = src.rfind(b"startxref")
b[i:] = b"startxref\n99999999\n%%EOF\n"
j = src.rfind(b"xref", 0, i)
if j > 0:
    b[j:j + 200] = b"X" * 200
bad["broken xref"] = (bytes(b), "broken PDF")
bad["random bytes"] = (b"%PDF-1.4\n" + bytes((k * 131 + 7) % 256
                                             for k in range(5000)),
                       "broken PDF")
# an image-only page: what a scanner makes
img = bytes((k * 37) % 256 for k in range(64))
content = b"q 200 0 0 200 0 0 cm /Im0 Do Q"
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources "
    b"<< /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
    b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace "
    b"/DeviceGray /BitsPerComponent 8 /Length 64 >>\nstream\n" + img +
    b"\nendstream",
    b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
]
out = bytearray(b"%PDF-1.4\n")
offs = []
for k, o in enumerate(objs):
    offs.append(len(out))
    out += b"%d 0 obj\n" % (k + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
    len(objs) + 1, x)
bad["scan"] = (bytes(out), "scanned PDF without a text layer")


def pages_pdf(n):
    """A valid PDF of n empty pages sharing one page object's content."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" +
            b" ".join(b"%d 0 R" % (k + 3) for k in range(n)) +
            b"] /Count %d >>" % n]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"] * n
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for k, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (k + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, x)
    return bytes(out)


bad["501 pages"] = (pages_pdf(501), "more than the limit of 500")
bad["empty pages"] = (pages_pdf(2), "a PDF with no text")
for name, (data, want) in bad.items():
    path = os.path.join(tmp, name.replace(" ", "_") + ".pdf")
    open(path, "wb").write(data)
    for cmd in ("parse", "validate"):
        rc, o, err = run(cmd, path)
        check("%s PDF: %s exits 2 saying %r" % (name, cmd, want),
              rc == 2 and want in err and os.path.basename(path) in err,
              "rc=%d err=%r" % (rc, err[:300]))

# ---- encrypted PDFs (qpdf, made here from a real fixture) ----
# A user password: poppler cannot open it, the reader refuses it with its
# own message (timeout 20 bounds the time).  An owner password only (empty
# user password, the "protected against editing" PDFs every viewer opens):
# read like the original, cell for cell.
qpdf = shutil.which("qpdf")
if qpdf is None:
    print("skip encrypted PDFs: qpdf not installed (Makefile DEBIAN_PACKAGES)")
else:
    _, plain = flat(HZ23)
    for name, upw, opw in (("user", "user", "owner"), ("owner", "", "owner")):
        path = os.path.join(tmp, "encrypted_%s.pdf" % name)
        p = subprocess.run([qpdf, "--encrypt", upw, opw, "256", "--", HZ23,
                            path], capture_output=True, timeout=60)
        # qpdf exits 3 for warnings; the file is written all the same
        check("qpdf --encrypt %r %r 256 writes %s" % (upw, opw, path),
              p.returncode in (0, 3) and os.path.exists(path),
              p.stderr.decode("utf-8", "replace")[:200])
        enc = open(path, "rb").read() if os.path.exists(path) else b""
        check("%s-password PDF is encrypted (/Encrypt in its trailer)" % name,
              b"/Encrypt" in enc)
        if name == "user":
            for cmd in ("parse", "validate"):
                rc, o, err = run(cmd, path)
                check("user-password PDF: %s exits 2 saying it is an "
                      "encrypted PDF" % cmd,
                      rc == 2 and "an encrypted PDF" in err and
                      "does not read protected files" in err and
                      os.path.basename(path) in err and o == "",
                      "rc=%d err=%r" % (rc, err[:300]))
        else:
            rc, got = flat(path)
            check("owner-password-only PDF: read, every cell as the "
                  "unencrypted file's (%d cells)" % len(plain),
                  rc == 0 and len(plain) > 100 and got == plain,
                  "rc=%d, %d cells differ" % (rc, sum(
                      1 for k in plain if got.get(k) != plain[k])))
            check("owner-password-only PDF: T4.SUM still fails 11 vs 0",
                  got.get("t4.review.total") == plain.get("t4.review.total"))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
