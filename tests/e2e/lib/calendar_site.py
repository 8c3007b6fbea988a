#!/usr/bin/env python3
"""Write a loopback-portal ROOT (tests/portal/README.md) for the deadline
tests (tests/e2e/calendar.sh):

    python3 tests/e2e/lib/calendar_site.py ROOT

Five agencies of one county, one site each (TRS-style listing and report
pages), catalog first_year 2025 so only the 2025 reports matter:

  dept-missing   department, never publishes
  dept-late      department, its report (page date 2026-02-05) appears in
                 state 2
  gov-ontime     government, the same date, state 2
  town-late      township, report dated 2026-02-21 appears in state 3
  town-missing   township, never publishes

States: 1 no report anywhere; 2 dept-late and gov-ontime published;
3 town-late too.  The report bodies come from tests/data/html/t3_broken.html
(with its one wrong cell fixed).  Python 3 standard library only.
"""

import csv
import io
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
REGION = "山东省淄博市沂源县"
COL = "/xxgk/nb/"

# address, id, agency, level, (state, path, page date) of its report or None
SITES = [
    ("127.0.0.61", "dept-missing", "沂源县财政局", "department", None),
    ("127.0.0.62", "dept-late", "沂源县教育局", "department",
     ("2", "202602/t20260205_100.html", "2026-02-05 10:00")),
    ("127.0.0.63", "gov-ontime", "沂源县人民政府", "government",
     ("2", "202602/t20260205_200.html", "2026-02-05 10:00")),
    ("127.0.0.64", "town-late", "沂源县南麻街道办事处", "township",
     ("3", "202602/t20260221_300.html", "2026-02-21 09:30")),
    ("127.0.0.65", "town-missing", "沂源县历山街道办事处", "township", None),
]


def body():
    with open(os.path.join(SRC, "tests", "data", "html", "t3_broken.html"),
              encoding="utf-8") as f:
        html = f.read()
    a = html.index('<div class="pages_content">')
    depth = 0
    for m in re.finditer(r"<div\b|</div\s*>", html[a:], re.I):
        depth += 1 if m.group(0).lower().startswith("<div") else -1
        if depth == 0:
            return html[a:a + m.end()].replace(">70<", ">68<")
    raise ValueError("unbalanced fixture")


def page(title, pub, agency, content):
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>%(t)s</title>
<meta name="ArticleTitle" content="%(t)s">
<meta name="ContentSource" content="%(a)s">
</head>
<body>
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; 政府信息公开年报</div>
<div class="detail">
<h2 class="title">%(t)s</h2>
<div class="property">发布时间：%(p)s&nbsp;&nbsp;来源：%(a)s&nbsp;&nbsp;<!--CHROME--></div>
<div class="TRS_Editor">
%(b)s
</div>
</div>
<div class="footer">%(a)s主办<!--CHROME--></div>
</body>
</html>
""" % {"t": title, "p": pub, "a": agency, "b": content}


def listing(agency, entries):
    lis = "\n".join('<li><a href="./%s" target="_blank">%s</a><span>%s</span></li>'
                    % e for e in entries)
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>政府信息公开年报_%s</title>
</head>
<body>
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; 政府信息公开年报</div>
<ul class="list">
%s
</ul>
<div class="footer"><!--CHROME--></div>
</body>
</html>
""" % (agency, lis)


def put(root, area, site, path, text):
    p = os.path.join(root, area, site, path.lstrip("/"))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: calendar_site.py ROOT")
    root = sys.argv[1]
    if os.path.exists(root):
        shutil.rmtree(root)
    content = body()
    for area in ("common", "1", "2", "3"):
        os.makedirs(os.path.join(root, area), exist_ok=True)
    for addr, sid, agency, level, rep in SITES:
        put(root, "common", sid, "/robots.txt", "User-agent: *\nAllow: /\n")
        for st in ("1", "2", "3"):
            entries = []
            if rep is not None and st >= rep[0]:
                title = "%s2025年政府信息公开工作年度报告" % agency
                entries.append((rep[1], title, rep[2][:10]))
                put(root, st, sid, COL + rep[1],
                    page(title, rep[2], agency, content))
            put(root, st, sid, COL + "index.html", listing(agency, entries))
    with open(os.path.join(root, "sites.tsv"), "w", encoding="utf-8") as f:
        f.write("# address\tsite\tcharset (tests/portal/README.md)\n")
        for s in SITES:
            f.write("%s\t%s\tutf-8\n" % (s[0], s[1]))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "agency", "level", "region", "url", "first_year"])
    for addr, sid, agency, level, rep in SITES:
        w.writerow([sid, agency, level, REGION,
                    "http://%s:{{PORT}}%sindex.html" % (addr, COL), "2025"])
    with open(os.path.join(root, "catalog.csv"), "w", encoding="utf-8") as f:
        f.write(out.getvalue())


if __name__ == "__main__":
    main()
