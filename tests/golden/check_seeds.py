#!/usr/bin/env python3
"""Golden test for the five seed reports (../shared/seeds/).

Asserts every fact of design.md's seed table on `nianbao parse --json`, the
findings of `nianbao validate --json`, and compares the full flat listing
with the reviewed golden files in tests/golden/seeds/NNN.flat (regenerate
with UPDATE=1 after checking the difference by hand).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import cell, check, finish, run, values  # noqa: E402

SRC = os.environ["SRC"]
SHARED = os.environ["SHARED"]
SEEDS = os.path.join(SHARED, "seeds")




def seed(prefix):
    for name in sorted(os.listdir(SEEDS)):
        if name.startswith(prefix):
            return os.path.join(SEEDS, name)
    raise SystemExit("seed %s not found in %s" % (prefix, SEEDS))








def t3_rest_zero(rec, nonzero, label):
    """Every t3 cell not named in nonzero holds 0 (kind zero)."""
    bad = []
    for row, cols in rec["t3"].items():
        for col, c in cols.items():
            key = "t3.%s.%s" % (row, col)
            if key in nonzero:
                continue
            if c["kind"] != "zero":
                bad.append("%s=%s(%s)" % (key, c["raw"], c["kind"]))
    check(not bad, "%s every other t3 cell is 0 %s" % (label, " ".join(bad)))


def findings(path, extra=()):
    rc, out, err = run("validate", "--json", *extra, path)
    return rc, json.loads(out)[0]["findings"] if out.strip() else []


def fails(fs, rule, severity=None):
    return [f for f in fs if f["rule"] == rule and f["result"] == "fail"
            and (severity is None or f["severity"] == severity)]


def no_error_failure(fs, label):
    bad = [f["rule"] + ": " + f["message"] for f in fs
           if f["result"] == "fail" and f["severity"] == "error"]
    check(not bad, "%s has no failing error-severity rule %s" % (label, bad))


def all_pass(fs, rule, label):
    rs = [f for f in fs if f["rule"] == rule]
    check(rs and all(f["result"] == "pass" for f in rs),
          "%s: every %s finding passes (%d)" % (label, rule, len(rs)))


def parse(prefix):
    rc, out, err = run("parse", "--json", seed(prefix))
    check(rc == 0, "seed %s parses (rc %d %s)" % (prefix, rc, err.strip()))
    return json.loads(out)


# ---- 000: 沂源县 2024, no title line ----
r = parse("000")
m = r["meta"]
check(m["agency"] == "沂源县", "000 agency 沂源县 (%s)" % m["agency"])
check(m["level"] == "government", "000 level government")
check(m["year"] == 2024, "000 year 2024 from the text")
check(m["title"] is None, "000 has no title line")
check(m["format"] == "2021", "000 format 2021")
check(r["sections"][1]["present"] and r["sections"][1]["heading"].startswith("2、"),
      "000 section 二 found under its heading written 2、")
check(all(s["present"] for s in r["sections"]), "000 all six sections")
values(r, {"t2.rules.issued": 0, "t2.rules.repealed": 0, "t2.rules.in_force": 0,
           "t2.normative.issued": 4, "t2.normative.repealed": 3,
           "t2.normative.in_force": 45, "t2.licensing.decisions": 71780,
           "t2.punishment.decisions": 4520, "t2.coercion.decisions": 582,
           "t2.fees.amount": 5183}, "000")
t3 = {"t3.new.total": 101, "t3.new.natural": 100, "t3.new.legal": 1,
      "t3.carried_over.total": 3, "t3.carried_over.natural": 3,
      "t3.granted.total": 68, "t3.granted.natural": 68,
      "t3.partial.total": 18, "t3.partial.natural": 18,
      "t3.unable_not_held.total": 11, "t3.unable_not_held.natural": 10,
      "t3.unable_not_held.legal": 1,
      "t3.refused_repeat.total": 1, "t3.refused_repeat.natural": 1,
      "t3.total.total": 98, "t3.total.natural": 97, "t3.total.legal": 1,
      "t3.carried_forward.total": 6, "t3.carried_forward.natural": 6}
values(r, t3, "000")
t3_rest_zero(r, t3, "000")
check(len(r["t3"]) == 25 and "other" not in r["t3"], "000 t3 has the 25 rows of 2021")
values(r, {"t4.review.upheld": 2, "t4.review.corrected": 2, "t4.review.other": 5,
           "t4.review.pending": 0, "t4.review.total": 9}, "000")
values(r, {"t4.%s.%s" % (g, k): 0 for g in ("suit_direct", "suit_after")
           for k in ("upheld", "corrected", "other", "pending", "total")}, "000")
rc, fs = findings(seed("000"))
check(rc == 0, "000 validate exits 0 (%d)" % rc)
no_error_failure(fs, "000")
for rule in ("T3.ROW", "T3.BALANCE", "T3.RESULTS", "T4.SUM"):
    all_pass(fs, rule, "000")
check(not fails(fs, "X.TEXT"), "000 the text's 101 / 3 / 6 agree with the tables")

# ---- 001: 临淄区人民政府办公室 2024 ----
r = parse("001")
m = r["meta"]
check(m["agency"] == "临淄区人民政府办公室", "001 agency (%s)" % m["agency"])
check(m["year"] == 2024 and m["format"] == "2021", "001 2024, 2021 format")
check(m["title"] == "临淄区人民政府办公室2024年政府信息公开工作年度报告",
      "001 title joined over the line break (%s)" % m["title"])
values(r, {"t2.normative.issued": 1, "t2.normative.repealed": 6,
           "t2.normative.in_force": 9, "t2.rules.in_force": 0}, "001")
t3 = {"t3.new.total": 12, "t3.carried_over.total": 2, "t3.granted.total": 5,
      "t3.partial.total": 6, "t3.unable_not_held.total": 3, "t3.total.total": 14}
values(r, t3, "001")
values(r, {"t3.carried_forward.total": 0}, "001")
values(r, {"t4.%s.%s" % (g, k): 0 for g in ("review", "suit_direct", "suit_after")
           for k in ("upheld", "corrected", "other", "pending", "total")}, "001")
rc, fs = findings(seed("001"))
check(rc == 0, "001 validate exits 0 (%d)" % rc)
no_error_failure(fs, "001")
for rule in ("T3.ROW", "T3.BALANCE", "T3.RESULTS", "T4.SUM"):
    all_pass(fs, rule, "001")
check(not fails(fs, "X.TEXT"), "001 the text's 12, 14, 5, 6, 3 agree")

# ---- 002: 沂源县人民政府办公室 2019, 2019 format ----
r = parse("002")
m = r["meta"]
check(m["agency"] == "沂源县人民政府办公室" and m["year"] == 2019,
      "002 agency and year (%s %s)" % (m["agency"], m["year"]))
check(m["format"] == "2019", "002 read as the 2019 format")
check(r["tables"]["t2_format"] == "2019" and r["tables"]["t3_format"] == "2019",
      "002 t2 and t3 in the 2019 layout")
t2keys = ["t2.rules.made", "t2.rules.published", "t2.rules.total",
          "t2.normative.made", "t2.normative.published", "t2.normative.total",
          "t2.licensing.previous", "t2.licensing.change", "t2.licensing.decisions",
          "t2.other_services.previous", "t2.other_services.change",
          "t2.other_services.decisions", "t2.punishment.previous",
          "t2.punishment.change", "t2.punishment.decisions",
          "t2.coercion.previous", "t2.coercion.change", "t2.coercion.decisions",
          "t2.fees.previous", "t2.fees.change",
          "t2.procurement.projects", "t2.procurement.amount"]
values(r, {k: 0 for k in t2keys}, "002")
check("issued" not in r["t2"].get("rules", {}), "002 has no 2021 t2 keys")
check("other" in r["t3"] and "other_other" not in r["t3"],
      "002 t3 has the single 其他处理 row")
check(len(r["t3"]) == 23, "002 t3 has 23 rows (%d)" % len(r["t3"]))
t3 = {"t3.new.total": 9, "t3.new.natural": 9, "t3.granted.total": 9,
      "t3.granted.natural": 9, "t3.total.total": 9, "t3.total.natural": 9}
values(r, t3, "002")
t3_rest_zero(r, t3, "002")
values(r, {"t4.%s.%s" % (g, k): 0 for g in ("review", "suit_direct", "suit_after")
           for k in ("upheld", "corrected", "other", "pending", "total")}, "002")
rc, fs = findings(seed("002"))
check(rc == 0, "002 validate exits 0 (%d)" % rc)
no_error_failure(fs, "002")

# ---- 003: 石台县人民政府 2024 ----
r = parse("003")
m = r["meta"]
check(m["agency"] == "石台县人民政府" and m["year"] == 2024 and
      m["level"] == "government", "003 agency, year, level")
values(r, {"t2.normative.issued": 12, "t2.normative.repealed": 67,
           "t2.normative.in_force": 68, "t2.licensing.decisions": 4462,
           "t2.punishment.decisions": 508, "t2.coercion.decisions": 325,
           "t2.fees.amount": 1003.34}, "003")
check(cell(r, "t2.fees.amount")["kind"] == "number", "003 fee is a number")
t3 = {"t3.new.total": 19, "t3.granted.total": 9, "t3.partial.total": 2,
      "t3.denied_enforcement.total": 7, "t3.unable_not_held.total": 1,
      "t3.total.total": 19}
values(r, t3, "003")
values(r, {"t4.review.upheld": 1, "t4.review.corrected": 0, "t4.review.other": 1,
           "t4.review.pending": 0, "t4.review.total": 2}, "003")
check("[bookmark:" in cell(r, "t4.review.upheld")["raw"] or
      cell(r, "t4.review.upheld")["raw"] == "1",
      "003 t4 first cell read through its bookmark marker")
rc, fs = findings(seed("003"))
check(rc == 0, "003 validate exits 0 (%d)" % rc)
no_error_failure(fs, "003")
for rule in ("T3.ROW", "T3.BALANCE", "T3.RESULTS", "T4.SUM"):
    all_pass(fs, rule, "003")

# ---- 004: 沂源县西里镇人民政府 2024, township ----
r = parse("004")
m = r["meta"]
check(m["agency"] == "沂源县西里镇人民政府" and m["level"] == "township" and
      m["year"] == 2024, "004 agency, township, 2024")
check(r["tables"]["t2"] == "image", "004 table 二 is an image")
check(r["tables"]["t4"] == "missing", "004 table 四 is missing")
check(r["tables"]["t3"] == "found", "004 table 三 found")
t3_rest_zero(r, {}, "004")
rc, fs = findings(seed("004"))
check(rc == 1, "004 validate exits 1 (%d)" % rc)
st = fails(fs, "STRUCT.TABLES", "error")
check(any("二" in f["message"] and "图片" in f["message"] for f in st),
      "004 STRUCT.TABLES fails for 二 as an image")
check(any("四" in f["message"] for f in st), "004 STRUCT.TABLES fails for 四")
check(len(st) == 2, "004 exactly tables 二 and 四 fail (%d)" % len(st))
ph = fails(fs, "STRUCT.PLACEHOLDER", "error")
check(ph and any("具体地名" in f["message"] for f in ph),
      "004 STRUCT.PLACEHOLDER fails for [具体地名]")
check(sum(f["message"].count("2") > 0 for f in ph) >= 1 or len(ph) == 2,
      "004 placeholder counted twice")
for rule in ("T3.ROW", "T3.BALANCE", "T3.RESULTS"):
    all_pass(fs, rule, "004")

# ---- validate --previous: the cross-year rules through the CLI ----
# Last year's report made from seed 001 by changing its year: same text (X.COPY
# near 100 %), its 结转下年度 0 against this year's 上年结转 2 (X.CARRY), and
# in force 9 = 9 + 1 - 6 does not hold (X.INFORCE).
import tempfile
with open(seed("001"), encoding="utf-8") as f:
    prev_text = f.read().replace("2024", "2023")
with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
    f.write(prev_text)
    prev_path = f.name
try:
    rc, fs = findings(seed("001"), ("--previous", prev_path))
finally:
    os.unlink(prev_path)
check(rc == 0, "001 --previous exits 0: cross-year rules are warnings (%d)" % rc)
carry = [f for f in fails(fs, "X.CARRY", "warning") if "t3.carried_over.total" in f["cells"]]
check(len(carry) == 1 and carry[0].get("actual") == 2 and carry[0].get("expected") == 0,
      "001 X.CARRY fails for 总计: 上年结转 2 vs last year's 结转 0 %s" % carry)
inforce = fails(fs, "X.INFORCE", "warning")
check(any("t2.normative.in_force" in f["cells"] for f in inforce),
      "001 X.INFORCE fails for 行政规范性文件 (9 vs 9 + 1 - 6)")
copy = [f for f in fs if f["rule"] == "X.COPY"]
check(len(copy) == 1 and copy[0]["result"] == "fail" and copy[0]["severity"] == "info",
      "001 X.COPY reports the repeated text %s" % [f["message"] for f in copy])

# ---- nianbao rules: the catalogue names every rule a finding can carry ----
rc, out, err = run("rules", "--json")
catalogue = {r["rule"] for r in json.loads(out)} if rc == 0 else set()
check(len(catalogue) == 14, "nianbao rules lists the 14 rules (%d)" % len(catalogue))
seen = set()
for prefix in ("000", "001", "002", "003", "004"):
    rc, fs = findings(seed(prefix))
    seen |= {f["rule"] for f in fs}
rc, fs = findings(seed("001"), ("--previous", seed("001")))
seen |= {f["rule"] for f in fs}
check(seen <= catalogue and len(seen) == 14,
      "every rule found in the seeds is in the catalogue and all 14 run %s" %
      sorted(seen ^ catalogue))

# ---- the full flat listings against the reviewed golden files ----
for prefix in ("000", "001", "002", "003", "004"):
    rc, out, err = run("parse", "--flat", seed(prefix))
    gold = os.path.join(SRC, "tests", "golden", "seeds", prefix + ".flat")
    if os.environ.get("UPDATE") == "1":
        with open(gold, "w") as f:
            f.write(out)
    with open(gold) as f:
        want = f.read()
    if out != want:
        import difflib
        sys.stdout.writelines(difflib.unified_diff(
            want.splitlines(True), out.splitlines(True), gold, "nianbao parse --flat"))
    check(out == want, "%s flat listing equals %s" % (prefix, gold))

finish("seed")
