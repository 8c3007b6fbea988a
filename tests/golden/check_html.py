#!/usr/bin/env python3
"""Golden test for the HTML fixtures in tests/data/html/ (see its README).

Each page is written from a seed's real numbers in the markup real
government sites use; this checks the record `nianbao parse --json` reads
from it and the findings `nianbao validate --json` gives, cell by cell.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import cell, check, finish, run, values  # noqa: E402

HTML = os.path.join(os.environ["SRC"], "tests", "data", "html")






def parse(name):
    rc, out, err = run("parse", "--json", os.path.join(HTML, name))
    check(rc == 0, "%s parses (rc %d %s)" % (name, rc, err.strip()))
    return json.loads(out) if out.strip() else {"meta": {}, "tables": {}}


def validate(name):
    rc, out, err = run("validate", "--json", os.path.join(HTML, name))
    return rc, (json.loads(out)[0]["findings"] if out.strip() else [])






def by_rule(fs, rule, result=None):
    return [f for f in fs if f["rule"] == rule and
            (result is None or f["result"] == result)]


def errors(fs):
    return [f["rule"] + " " + f["message"] for f in fs
            if f["result"] == "fail" and f["severity"] == "error"]


ZERO_T4 = {"t4.%s.%s" % (g, k): 0 for g in ("review", "suit_direct", "suit_after")
           for k in ("upheld", "corrected", "other", "pending", "total")}

# 1. seed 003 as Word-exported HTML in a TRS_Editor container
name = "wordhtml_2021.html"
r = parse(name)
m = r["meta"]
check(m.get("agency") == "石台县人民政府" and m.get("year") == 2024,
      "%s agency and year (%s %s)" % (name, m.get("agency"), m.get("year")))
check(m.get("reader") == "html" and m.get("format") == "2021", name + " html, 2021")
check((m.get("published") or "").startswith("2025-01-20") and
      m.get("published_from") == "page",
      "%s published 2025-01-20 from the page (%s %s)" % (name, m.get("published"),
                                                       m.get("published_from")))
check(all(s["present"] for s in r["sections"]), name + " all six sections")
values(r, {"t2.normative.issued": 12, "t2.normative.repealed": 67,
           "t2.normative.in_force": 68, "t2.licensing.decisions": 4462,
           "t2.punishment.decisions": 508, "t2.coercion.decisions": 325,
           "t2.fees.amount": 1003.34, "t3.new.total": 19, "t3.granted.total": 9,
           "t3.partial.total": 2, "t3.denied_enforcement.total": 7,
           "t3.unable_not_held.total": 1, "t3.total.total": 19,
           "t4.review.upheld": 1, "t4.review.other": 1, "t4.review.total": 2},
       name)
check(len(r.get("t3", {})) == 25, name + " t3 has 25 rows")
rc, fs = validate(name)
check(rc == 0 and not errors(fs), "%s validates clean (rc %d) %s" % (name, rc, errors(fs)))

# 2. seed 001 in GBK, charset only in <meta http-equiv>
name = "gbk_meta.html"
r = parse(name)
m = r["meta"]
check(m.get("charset") == "GB18030", "%s decoded as GB18030 (%s)" % (name, m.get("charset")))
check(m.get("agency") == "临淄区人民政府办公室", "%s agency (%s)" % (name, m.get("agency")))
values(r, {"t2.normative.issued": 1, "t2.normative.repealed": 6,
           "t2.normative.in_force": 9, "t3.new.total": 12,
           "t3.carried_over.total": 2, "t3.granted.total": 5, "t3.partial.total": 6,
           "t3.unable_not_held.total": 3, "t3.total.total": 14,
           "t3.carried_forward.total": 0}, name)
values(r, ZERO_T4, name)
rc, fs = validate(name)
check(rc == 0 and not errors(fs), "%s validates clean %s" % (name, errors(fs)))

# 3. seed 002, 2019 format
name = "format2019.html"
r = parse(name)
check(r["meta"].get("format") == "2019", name + " read as the 2019 format")
check(r["tables"].get("t2_format") == "2019" and r["tables"].get("t3_format") == "2019",
      name + " t2 and t3 in the 2019 layout")
check("other" in r.get("t3", {}) and "other_other" not in r.get("t3", {}),
      name + " single 其他处理 row")
values(r, {"t2.other_services.decisions": 0, "t2.procurement.projects": 0,
           "t2.procurement.amount": 0, "t3.new.total": 9, "t3.granted.total": 9,
           "t3.total.total": 9}, name)
values(r, ZERO_T4, name)
rc, fs = validate(name)
check(rc == 0 and not errors(fs), "%s validates clean %s" % (name, errors(fs)))

# 4. seed 000 with an extra 法人或其他组织小计 column
name = "eight_columns.html"
r = parse(name)
check(r["tables"].get("t3_legal_subtotal") is True, name + " subtotal column recognised")
values(r, {"t3.new.natural": 100, "t3.new.legal": 1, "t3.new.legal_subtotal": 1,
           "t3.new.total": 101, "t3.total.total": 98, "t3.carried_forward.total": 6,
           "t3.unable_not_held.legal_subtotal": 1, "t3.unable_not_held.total": 11},
       name)
rc, fs = validate(name)
check(rc == 0 and not errors(fs), "%s validates clean %s" % (name, errors(fs)))
check(len(by_rule(fs, "T3.ROW")) == 50,
      "%s T3.ROW checks both the totals and the subtotals (%d)" % (name, len(by_rule(fs, "T3.ROW"))))

# 5. seed 001 with the 总计 column of table 三 left blank
name = "blank_totals.html"
r = parse(name)
check(cell(r, "t3.new.total") and cell(r, "t3.new.total")["kind"] == "blank",
      name + " t3.new.total is blank, not zero")
values(r, {"t3.new.natural": 12}, name)
rc, fs = validate(name)
check(rc == 0, "%s exits 0: blanks are not errors (rc %d) %s" % (name, rc, errors(fs)))
rows = by_rule(fs, "T3.ROW")
check(rows and all(f["result"] == "unknown" for f in rows),
      "%s every T3.ROW is unknown, not fail" % name)
bal = [f for f in by_rule(fs, "T3.BALANCE") if "t3.new.total" in f["cells"]]
check(bal and bal[0]["result"] == "unknown", name + " T3.BALANCE of 总计 is unknown")
bal = [f for f in by_rule(fs, "T3.BALANCE") if "t3.new.natural" in f["cells"]]
check(bal and bal[0]["result"] == "pass", name + " T3.BALANCE of 自然人 still passes")

# 6. tables published as images
name = "tables_as_images.html"
r = parse(name)
check(r["tables"].get("t2") == "image" and r["tables"].get("t3") == "image" and
      r["tables"].get("t4") == "image", "%s all three tables are images %s" % (name, r["tables"]))
rc, fs = validate(name)
st = by_rule(fs, "STRUCT.TABLES", "fail")
check(rc == 1 and len(st) == 3 and all("图片" in f["message"] for f in st),
      "%s STRUCT.TABLES fails three times, as images" % name)

# 7. seed 000 with 自然人 予以公开 70 instead of 68
name = "t3_broken.html"
r = parse(name)
values(r, {"t3.granted.natural": 70, "t3.granted.total": 68}, name)
rc, fs = validate(name)
check(rc == 1, "%s exits 1 (%d)" % (name, rc))
row = [f for f in by_rule(fs, "T3.ROW", "fail")]
check(len(row) == 1 and row[0]["cells"][0] == "t3.granted.total" and
      "t3.granted.natural" in row[0]["cells"] and row[0].get("expected") == 70 and
      row[0].get("actual") == 68,
      "%s T3.ROW fails for 予以公开 only: expected 70, actual 68 %s" % (name, row))
res = by_rule(fs, "T3.RESULTS", "fail")
check(len(res) == 1 and res[0]["cells"][0] == "t3.total.natural" and
      res[0].get("expected") == 99 and res[0].get("actual") == 97,
      "%s T3.RESULTS fails for 自然人 only: expected 99, actual 97 %s" % (name, res))
check(not by_rule(fs, "T3.BALANCE", "fail"), name + " T3.BALANCE still holds (103 = 103)")

finish("HTML fixture")
