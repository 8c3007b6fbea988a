#!/usr/bin/env python3
"""A portal ROOT (tests/portal/README.md layout) for the cross-year and
first-sync test, tests/e2e/crossyear.sh.

    python3 tests/e2e/lib/years_site.py ROOT

Four sites, one agency each, whose reports are the Word-HTML fixture
tests/data/html/wordhtml_2021.html (seed 003, 石台县 2024) moved to other
years and agencies, with the table 三 rows 二、上年结转 and 四、结转下年度
继续办理 both set to one number per report (自然人 and 总计 columns; the
other columns stay 0), so that each report balances (T3.BALANCE) and only
the cross-year rule X.CARRY can see a mismatch:

  fwd    state 1 lists 2024 only, state 2 adds 2023 (last year arrives
         second); 2024 carries 7 over, 2023 carried 5 forward: mismatch
  rev    state 1 lists 2023 only, state 2 adds 2024 (the usual order);
         2023 carried 3 forward, 2024 carries 4 over: mismatch
  back   state 1 lists 2024 only, state 2 lists 2023 only (2024 left the
         column's first page, its page still answers); 2024 carries 9
         over, 2023 carried 8 forward: 2024 is not read again, its
         findings are recomputed from the store
  agree  state 1 lists 2022 and 2023, both 6: X.CARRY passes
  five   state 1 lists five past years 2020-2024 (a first sync), state 2
         adds 2025; all carry 2: X.CARRY passes

The expectations are written to ROOT/years.json for the test.  Python 3
standard library only; tests/portal/gen.py is reused, not changed.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(SRC, "tests", "portal"))
import gen  # noqa: E402  (Tree, element, read)

# site, address, agency (replaces 石台县 in the fixture), years by state,
# {year: carried over from last year = carried forward to next year}
SITES = [
    ("fwd", "127.0.0.21", "东至县",
     {1: [2024], 2: [2023, 2024]}, {2023: 5, 2024: 7}),
    ("rev", "127.0.0.22", "青阳县",
     {1: [2023], 2: [2023, 2024]}, {2023: 3, 2024: 4}),
    ("back", "127.0.0.25", "池州市",
     {1: [2024], 2: [2023]}, {2023: 8, 2024: 9}),
    ("agree", "127.0.0.23", "贵池区",
     {1: [2022, 2023], 2: [2022, 2023]}, {2022: 6, 2023: 6}),
    ("five", "127.0.0.24", "石台县",
     {1: [2020, 2021, 2022, 2023, 2024],
      2: [2020, 2021, 2022, 2023, 2024, 2025]},
     {y: 2 for y in range(2020, 2026)}),
]

WORD = gen.element(gen.read("wordhtml_2021.html"), '<div class="TRS_Editor">')
CELL = re.compile(r"(<span[^>]*>)0(</span>)")


def set_row(body, label, value):
    """The first (自然人) and seventh (总计) cells after label become value."""
    at = body.index(label) + len(label)
    cells = list(CELL.finditer(body, at))[:7]
    assert len(cells) == 7, label
    for m in (cells[6], cells[0]):      # right to left: offsets stay valid
        body = body[:m.start()] + m.group(1) + str(value) + m.group(2) + \
            body[m.end():]
    return body


def report(county, year, carried):
    # The fixture is the 2024 report signed in 2025.
    body = re.sub(r"202[45]", lambda m: str(year + int(m.group(0)) - 2024),
                  WORD).replace("石台县", county)
    body = set_row(body, "二、上年结转政府信息公开申请数量", carried)
    body = set_row(body, "四、结转下年度继续办理", carried)
    title = "%s人民政府%d年政府信息公开工作年度报告" % (county, year)
    return title, """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>%(t)s</title>
<meta name="ArticleTitle" content="%(t)s">
<meta name="PubDate" content="%(y)d-01-20 10:00"></head>
<body><div class="header"><!--CHROME--></div>
<h1>%(t)s</h1><div class="info">发布日期：%(y)d-01-20</div>
%(b)s
</body></html>
""" % {"t": title, "y": year + 1, "b": body}


def path(year):
    return "/art/%d/1/20/art_7_%d.html" % (year + 1, year)


def listing(entries):
    lis = "\n".join('<li><a href="%s" title="%s">%s</a><span class="date">'
                    '%d-01-20</span></li>' % (path(y), t, t, y + 1)
                    for y, t in entries)
    return """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head>
<body><div class="list"><ul>
%s
</ul></div><div class="footer"><!--CHROME--></div></body></html>
""" % lis


def main():
    root = sys.argv[1]
    tree = gen.Tree()
    sites, catalog, exp = [], ["id,agency,level,region,url,interval,hosts,"
                               "tls_verify"], {}
    for site, addr, county, states, carry in SITES:
        agency = county + "人民政府"
        sites.append("%s\t%s\tutf-8" % (addr, site))
        catalog.append("years-%s,%s,government,安徽省池州市%s,"
                       "http://%s:{{PORT}}/nb/index.html,,," %
                       (site, agency, county, addr))
        titles = {}
        for y, n in carry.items():
            titles[y], page = report(county, y, n)
            tree.put("common", site, path(y), page)
        for st, years in states.items():
            tree.put(str(st), site, "/nb/index.html", listing(
                [(y, titles[y]) for y in sorted(years, reverse=True)]))
        exp[site] = {
            "source": "years-" + site, "agency": agency,
            "states": {str(k): v for k, v in states.items()},
            "carry": {str(y): n for y, n in carry.items()},
            "urls": {str(y): "http://%s:{{PORT}}%s" % (addr, path(y))
                     for y in carry},
        }
    tree.write(root)
    with open(os.path.join(root, "sites.tsv"), "w") as f:
        f.write("\n".join(sites) + "\n")
    with open(os.path.join(root, "catalog.csv"), "w") as f:
        f.write("\n".join(catalog) + "\n")
    with open(os.path.join(root, "years.json"), "w") as f:
        json.dump(exp, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
