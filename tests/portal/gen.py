#!/usr/bin/env python3
"""Generate the loopback portal's site tree (tests/portal/README.md).

    python3 tests/portal/gen.py ROOT

writes ROOT/sites.tsv, ROOT/catalog.csv, ROOT/expected.json and the files
of every site under ROOT/common/, ROOT/1/ and ROOT/2/, from the HTML
fixtures in tests/data/html/ and a PDF of ../shared/fixtures/real/ (SHARED=
to point elsewhere).  The output is deterministic, file times included, so
ETag and Last-Modified are the same on every run.  Links to the portal carry
the literal {{PORT}}: the portal fills it in when it serves a page, the
tests replace it in catalog.csv with sed.  Python 3 standard library only.
"""

import calendar
import csv
import io
import json
import os
import re
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
HTML = os.path.join(SRC, "tests", "data", "html")
SHARED = os.environ.get("SHARED") or os.path.join(SRC, "..", "shared")

# address, site, charset, agency, level, region, listing path
SITES = [
    ("127.0.0.11", "hanweb", "utf-8", "石台县人民政府", "government",
     "安徽省池州市石台县", "/col/col1229/index.html"),
    ("127.0.0.12", "trs", "utf-8", "沂源县人民政府", "government",
     "山东省淄博市沂源县", "/xxgk/zfxxgknb/index.html"),
    ("127.0.0.13", "gbk", "gb2312", "临淄区人民政府办公室", "department",
     "山东省淄博市临淄区", "/gongkai/zfxxgknb/index.html"),
    ("127.0.0.14", "robots", "utf-8", "沂源县人民政府办公室", "department",
     "山东省淄博市沂源县", "/nb/index.html"),
    ("127.0.0.15", "hostile", "utf-8", "沂源县南麻街道办事处", "township",
     "山东省淄博市沂源县", "/hostile/index.html"),
    # Not in the catalog: the spam mirror the hanweb listing links to.
    ("127.0.0.99", "spam", "utf-8", None, None, None, None),
]
ADDR = {s[1]: s[0] for s in SITES}

# Every file gets one of these times (UTC): stable validators.
MTIME = {"common": "2025-01-27 08:00:00", "1": "2025-01-27 08:00:00",
         "2": "2025-06-01 08:00:00"}


def url(site, path):
    return "http://%s:{{PORT}}%s" % (ADDR[site], path)


def read(name):
    with open(os.path.join(HTML, name), encoding="utf-8") as f:
        return f.read()


def element(html, start):
    """The element opened by the tag at html.index(start), to its </div>."""
    a = html.index(start)
    depth = 0
    for m in re.finditer(r"<div\b|</div\s*>", html[a:], re.I):
        depth += 1 if m.group(0).lower().startswith("<div") else -1
        if depth == 0:
            return html[a:a + m.end()]
    raise ValueError("unbalanced element " + start)


class Tree:
    """Files to write: (area, site, path) -> bytes; area common, 1 or 2."""

    def __init__(self):
        self.files = {}

    def put(self, area, site, path, data, charset="utf-8"):
        if isinstance(data, str):
            data = data.encode(charset)
        self.files[(area, site, path.lstrip("/"))] = data

    def gone(self, area, site, path):
        self.put(area, site, path + ".gone", b"removed in this state\n")

    def write(self, root):
        for (area, site, path), data in sorted(self.files.items()):
            p = os.path.join(root, area, site, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        for area in ("common", "1", "2"):
            os.makedirs(os.path.join(root, area), exist_ok=True)
        for d, _, files in os.walk(root):
            area = os.path.relpath(d, root).split(os.sep)[0]
            t = calendar.timegm(time.strptime(
                MTIME.get(area, MTIME["common"]), "%Y-%m-%d %H:%M:%S"))
            for name in files:
                os.utime(os.path.join(d, name), (t, t))


# ---- Hanweb (大汉): /col/col1229/index.html, /art/Y/M/D/art_1229_N.html ----

HANWEB_NEWS = {
    "a": ["石台县召开2025年政务公开工作推进会", "我县开展政府开放日活动",
          "石台县2024年国民经济和社会发展统计公报"],
    "b": ["石台县2025年上半年政务公开工作情况通报", "我县举办政务公开业务培训班",
          "石台县召开县政府常务会议", "关于开展2025年度政务公开第三方评估的通知"],
}


def hanweb_page(title, pub, body, news="a", updated="2025-01-27"):
    items = "".join('<li><a href="/art/2025/1/%d/art_1230_%d.html">%s</a></li>'
                    % (10 + i, 500 + i, t)
                    for i, t in enumerate(HANWEB_NEWS[news]))
    return """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>%(title)s_石台县人民政府</title>
<meta name="SiteName" content="石台县人民政府">
<meta name="SiteDomain" content="www.shitai.gov.cn">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="信息公开年报">
<meta name="ArticleTitle" content="%(title)s">
<meta name="PubDate" content="%(pub)s">
<meta name="ContentSource" content="石台县人民政府办公室">
<link rel="stylesheet" href="/images/xxgk.css">
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
</head>
<body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="石台县人民政府"></div>
<ul class="nav"><li><a href="/index.html">首页</a></li><li><a href="/col/col1228/index.html">政务公开</a></li><li><a href="/col/col1231/index.html">政务服务</a></li><li><a href="/col/col1232/index.html">互动交流</a></li></ul></div>
<div class="main">
<div class="sidebar"><h3>最新动态</h3><ul>%(items)s</ul><p class="updated">更新日期：%(updated)s</p></div>
<div class="content">
<div class="position">当前位置：<a href="/index.html">首页</a> &gt; <a href="/col/col1228/index.html">政务公开</a> &gt; <a href="/col/col1229/index.html">政府信息公开年报</a></div>
<table class="xxgk_table"><tr><th>索引号：</th><td>11341722003188519K/%(pubyear)s-00012</td><th>发布机构：</th><td>石台县人民政府办公室</td></tr></table>
<h1 class="title">%(title)s</h1>
<div class="info">发布日期：%(pub)s&nbsp;&nbsp;来源：石台县人民政府办公室&nbsp;&nbsp;<!--CHROME--></div>
<div id="zoom">
%(body)s
</div>
</div>
</div>
<div class="footer"><p>主办：石台县人民政府办公室&nbsp;&nbsp;皖ICP备05001263号&nbsp;&nbsp;网站标识码：3417220001</p><!--CHROME--></div>
</body>
</html>
""" % {"title": title, "pub": pub, "body": body, "items": items,
       "updated": updated, "pubyear": pub[:4]}


def hanweb_listing(entries):
    lis = "\n".join(
        '<li><a href="%s" target="_blank" title="%s">%s</a><span class="date">%s</span></li>'
        % (href, t, t, d) for href, t, d in entries)
    return """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>政府信息公开年报_石台县人民政府</title>
<meta name="SiteName" content="石台县人民政府">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="信息公开年报">
</head>
<body>
<div class="header"><ul class="nav"><li><a href="/index.html">首页</a></li><li><a href="/col/col1228/index.html">政务公开</a></li></ul></div>
<div class="position">当前位置：<a href="/index.html">首页</a> &gt; 政府信息公开年报</div>
<div class="list" id="4567">
<ul>
%s
</ul>
</div>
<div class="footer"><!--CHROME--></div>
</body>
</html>
""" % lis


def gen_hanweb(tree, exp):
    word = element(read("wordhtml_2021.html"), '<div class="TRS_Editor">')

    def word_year(y):
        # The fixture is the 2024 report signed in 2025.
        return re.sub(r"202[45]", lambda m: str(y + int(m.group(0)) - 2024),
                      word)

    f19 = element(read("format2019.html"), '<div class="wenzhang">')
    f19 = f19.replace("沂源县人民政府办公室", "石台县人民政府").replace(
        "沂源县", "石台县")
    name = "石台县人民政府%d年政府信息公开工作年度报告"
    # year, path, publication, body
    reports = [
        (2019, "/art/2020/1/19/art_1229_100.html", "2020-01-19 14:27", f19),
        (2022, "/art/2023/1/18/art_1229_101.html", "2023-01-18 09:30",
         word_year(2022)),
        (2023, "/art/2024/1/19/art_1229_102.html", "2024-01-19 10:00",
         word_year(2023)),
        (2024, "/art/2025/1/21/art_1229_103.html", "2025-01-21 10:00",
         word_year(2024)),
    ]
    added = (2025, "/art/2026/1/20/art_1229_106.html", "2026-01-20 10:00",
             word_year(2025))
    removed = "/art/2023/1/18/art_1229_101.html"
    chrome = "/art/2025/1/21/art_1229_103.html"
    for y, path, pub, body in reports:
        page = hanweb_page(name % y, pub, body)
        if path == chrome:
            tree.put("1", "hanweb", path, page)
            tree.put("2", "hanweb", path, hanweb_page(
                name % y, pub, body, news="b", updated="2025-06-01"))
        else:
            tree.put("common", "hanweb", path, page)
    tree.put("2", "hanweb", added[1],
             hanweb_page(name % added[0], added[2], added[3]))
    tree.gone("2", "hanweb", removed)

    # Look-alikes: a 解读, the website's own annual 报表, a budget.
    jd = "/art/2025/1/22/art_1229_104.html"
    bb = "/art/2025/1/15/art_1229_105.html"
    ys = "/art/2025/2/10/art_1229_107.html"
    tree.put("common", "hanweb", jd, hanweb_page(
        "图解：石台县人民政府2024年政府信息公开工作年度报告解读",
        "2025-01-22 09:00",
        '<p><img src="/images/tujie2024.png" alt="图解"></p>'
        '<p>一图读懂石台县人民政府2024年政府信息公开工作年度报告。</p>'
        '<p>附件：<a href="/module/download/format2021.docx">'
        '政府信息公开工作年度报告格式.docx</a></p>'))
    tree.put("common", "hanweb", bb, hanweb_page(
        "石台县人民政府门户网站2024年政府网站工作年度报表",
        "2025-01-15 16:00",
        "<p>政府网站工作年度报表（2024年度）</p><table border=1>"
        "<tr><td>网站名称</td><td>石台县人民政府</td></tr>"
        "<tr><td>网站标识码</td><td>3417220001</td></tr>"
        "<tr><td>独立用户访问总量</td><td>1203456</td></tr></table>"))
    tree.put("common", "hanweb", ys, hanweb_page(
        "石台县人民政府办公室2025年部门预算", "2025-02-10 11:00",
        "<p>一、部门基本情况</p><p>二、2025年部门预算情况说明</p>"))
    docx = os.path.join(SHARED, "fixtures", "real",
                               "annual_report_format_2021_blank_template.docx")
    with open(docx, "rb") as f:
        tree.put("common", "hanweb", "/module/download/format2021.docx",
                 f.read())

    # The spam mirror: same title, casino chrome, another address.
    mirror = reports[3][1]
    spam = hanweb_page(name % 2024, reports[3][2], reports[3][3]).replace(
        "石台县人民政府</title>", "澳门新葡京娱乐城</title>")
    tree.put("common", "spam", mirror, spam)

    def listing(state):
        rs = [r for r in reports if not (state == 2 and r[1] == removed)]
        if state == 2:
            rs.append(added)
        rs.sort(key=lambda r: r[2], reverse=True)
        e = [(p, name % y, pub[:10]) for y, p, pub, _ in rs]
        e[1:1] = [(jd, "图解：石台县人民政府2024年政府信息公开工作年度报告解读",
                   "2025-01-22"),
                  (bb, "石台县人民政府门户网站2024年政府网站工作年度报表",
                   "2025-01-15"),
                  (url("spam", mirror), name % 2024, "2025-01-21"),
                  (ys, "石台县人民政府办公室2025年部门预算", "2025-02-10")]
        return hanweb_listing(e)

    for st in (1, 2):
        tree.put(str(st), "hanweb", "/col/col1229/index.html", listing(st))
    tree.put("common", "hanweb", "/index.html", hanweb_listing(
        [("/col/col1229/index.html", "政府信息公开年报", "")]))

    for st in (1, 2):
        for y, path, pub, _ in reports + ([added] if st == 2 else []):
            if st == 2 and path == removed:
                continue
            exp["states"][str(st)]["reports"].append(
                {"site": "hanweb", "url": url("hanweb", path), "year": y,
                 "agency": "石台县人民政府", "published": pub,
                 "kind": "html", "format": 2019 if y < 2021 else 2021})
        exp["states"][str(st)]["never_fetch"].append(url("spam", mirror))
        for p in (jd, bb, ys):
            exp["states"][str(st)]["not_reports"].append(url("hanweb", p))
    ch = exp["changes"]["2"]
    ch["added"].append(url("hanweb", added[1]))
    ch["removed"].append(url("hanweb", removed))
    ch["chrome"].append(url("hanweb", chrome))


# ---- TRS (拓尔思): index.html, index_N.html, 202501/t20250127_N.html ----

def trs_page(title, pub, body, agency="沂源县人民政府"):
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>%(title)s</title>
<meta name="SiteName" content="沂源县人民政府">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="%(title)s">
<meta name="PubDate" content="%(pub)s">
<meta name="ContentSource" content="%(agency)s">
<script type="text/javascript" src="/js/common.js"></script>
</head>
<body>
<div class="top"><div class="site-name">沂源县人民政府</div></div>
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; <a href="/xxgk/zfxxgknb/">政府信息公开年报</a></div>
<div class="detail">
<h2 class="title">%(title)s</h2>
<div class="property">发布时间：%(pub)s&nbsp;&nbsp;来源：%(agency)s&nbsp;&nbsp;<!--CHROME--></div>
<div class="TRS_Editor">
%(body)s
</div>
</div>
<div class="footer">沂源县人民政府办公室主办<!--CHROME--></div>
</body>
</html>
""" % {"title": title, "pub": pub, "body": body, "agency": agency}


def trs_listing(entries, count, index):
    lis = "\n".join('<li><a href="%s" target="_blank">%s</a><span>%s</span></li>'
                    % e for e in entries)
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>政府信息公开年报_沂源县人民政府</title>
<meta name="ColumnName" content="政府信息公开年报">
<script type="text/javascript" src="/js/createPageHTML.js"></script>
</head>
<body>
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; 政府信息公开年报</div>
<ul class="list">
%s
</ul>
<div class="page">
<script type="text/javascript">
createPageHTML(%d, %d, "index", "html");
</script>
</div>
<div class="footer"><!--CHROME--></div>
</body>
</html>
""" % (lis, count, index)


def gen_trs(tree, exp):
    col = "/xxgk/zfxxgknb/"
    broken = element(read("t3_broken.html"), '<div class="pages_content">')
    assert broken.count(">70<") == 1
    good = broken.replace(">70<", ">68<")
    images = element(read("tables_as_images.html"), '<div id="UCAP-CONTENT">')
    r1 = col + "202501/t20250127_3378533.html"
    r2 = col + "202501/t20250122_3378101.html"
    r3 = col + "202401/t20240125_3271106.html"
    pdf = col + "202401/P020240125512345678901.pdf"
    t1 = "沂源县人民政府2024年政府信息公开工作年度报告"
    t2 = "沂源县西里镇人民政府2024年政府信息公开工作年度报告"
    t3 = "淮安市洪泽区人民政府2023年政府信息公开工作年度报告"
    tree.put("1", "trs", r1, trs_page(t1, "2025-01-27 15:30", good))
    tree.put("2", "trs", r1, trs_page(t1, "2025-01-27 15:30", broken))
    tree.put("common", "trs", r2, trs_page(t2, "2025-01-22 15:40", images,
                                           "沂源县西里镇人民政府"))
    tree.put("common", "trs", r3, trs_page(
        t3, "2024-01-25 09:00",
        '<p>%s全文请见附件。</p>\n<p>附件：<a href="./P020240125512345678901.pdf" '
        'oldsrc="P020240125512345678901.pdf">%s.pdf</a></p>' % (t3, t3),
        "淮安市洪泽区人民政府"))
    with open(os.path.join(SHARED, "fixtures", "real",
                           "hongze_district_gov_2023_annual_report.pdf"),
              "rb") as f:
        tree.put("common", "trs", pdf, f.read())
    pages = [(r1, t1, "2025-01-27"), (r2, t2, "2025-01-22"),
             (r3, t3, "2024-01-25")]
    for i, (href, t, d) in enumerate(pages):
        # One report per page: the crawler must follow createPageHTML.
        name = "index.html" if i == 0 else "index_%d.html" % i
        tree.put("common", "trs", col + name,
                 trs_listing([("./" + href[len(col):], t, d)], len(pages), i))
    for st in ("1", "2"):
        e = exp["states"][st]["reports"]
        e.append({"site": "trs", "url": url("trs", r1), "year": 2024,
                  "agency": "沂源县人民政府", "published": "2025-01-27 15:30",
                  "kind": "html", "format": 2021,
                  "t3.granted.natural": 68 if st == "1" else 70,
                  "failing_rules": [] if st == "1" else
                  ["T3.ROW", "T3.RESULTS"]})
        e.append({"site": "trs", "url": url("trs", r2), "year": 2024,
                  "agency": "沂源县西里镇人民政府", "published": "2025-01-22 15:40",
                  "kind": "images", "format": 2021,
                  "failing_rules": ["STRUCT.TABLES", "STRUCT.PLACEHOLDER"]})
        e.append({"site": "trs", "url": url("trs", r3), "year": 2023,
                  "agency": "淮安市洪泽区人民政府", "published": "2024-01-25 09:00",
                  "kind": "pdf", "attachment": url("trs", pdf)})
    exp["changes"]["2"]["altered"].append(url("trs", r1))


# ---- GBK: an older site, every page in GB2312 ----

def gen_gbk(tree, exp):
    col = "/gongkai/zfxxgknb/"
    rpt = col + "202501/t20250116_5012345.html"
    with open(os.path.join(HTML, "gbk_meta.html"), "rb") as f:
        page = f.read()
    page = page.replace(b"</body>", b"<!--CHROME-->\n</body>", 1)
    tree.put("common", "gbk", rpt, page)
    t = "临淄区人民政府办公室2024年政府信息公开工作年度报告"
    listing = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政府信息公开年报-淄博市临淄区人民政府</title>
</head>
<body>
<table width="980" align="center"><tr><td class="nav">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</td></tr>
<tr><td>
<table class="list">
<tr><td><a href="./202501/t20250116_5012345.html" target="_blank">%s</a></td><td>2025-01-16</td></tr>
</table>
</td></tr></table>
<!--CHROME-->
</body>
</html>
""" % t
    tree.put("common", "gbk", col + "index.html", listing, "gbk")
    for st in ("1", "2"):
        exp["states"][st]["reports"].append(
            {"site": "gbk", "url": url("gbk", rpt), "year": 2024,
             "agency": "临淄区人民政府办公室", "published": "2025-01-16 10:23",
             "kind": "html", "format": 2021, "charset": "gb18030"})


# ---- robots: /private/ is disallowed ----

def gen_robots(tree, exp):
    tree.put("common", "robots", "/robots.txt",
             "User-agent: *\nDisallow: /private/\n")
    ok = "/nb/2020/nb2019.html"
    private = "/private/nb2024.html"
    page = read("format2019.html").replace("</body>", "<!--CHROME-->\n</body>")
    tree.put("common", "robots", ok, page)
    tree.put("common", "robots", private,
             read("eight_columns.html").replace("沂源县", "沂源县人民政府办公室内部"))
    tree.put("common", "robots", "/nb/index.html", """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政府信息公开年报_沂源县人民政府办公室</title></head>
<body>
<ul class="list">
<li><a href="/private/nb2024.html">沂源县人民政府办公室2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>
<li><a href="/nb/2020/nb2019.html">沂源县人民政府办公室2019年政府信息公开工作年度报告</a><span>2020-01-19</span></li>
</ul>
<!--CHROME-->
</body></html>
""")
    for st in ("1", "2"):
        exp["states"][st]["reports"].append(
            {"site": "robots", "url": url("robots", ok), "year": 2019,
             "agency": "沂源县人民政府办公室", "published": "2020-01-19 14:27:50",
             "kind": "html", "format": 2019})
        exp["states"][st]["never_fetch"].append(url("robots", private))


# ---- hostile: endpoints served by the portal itself ----

HOSTILE = [
    # endpoint, what a crawler should make of it
    ("429", "429 with Retry-After: 1 once per state, then 200: a report"),
    ("slow", "timeout (1 byte / 200 ms for 30 s)"),
    ("500", "http 500"),
    ("503", "http 503 with Retry-After: 2"),
    ("loop", "too many redirects (302 to itself)"),
    ("huge", "body over the limit (Content-Length 200 MiB)"),
    ("hugechunked", "body over the limit (200 MiB chunked, no length)"),
    ("gzipbomb", "decompressed size over the limit (1 MiB gzip -> 1 GiB)"),
    ("endless", "body over the limit or timeout (chunked, never ends)"),
    ("notfound", "http 404"),
    ("gone", "http 410"),
]


def gen_hostile(tree, exp):
    lis = "\n".join(
        '<li><a href="/hostile/%s">沂源县南麻街道办事处%d年政府信息公开工作年度报告</a>'
        '<span>%d-01-20</span></li>' % (e, 2024 - i, 2025 - i)
        for i, (e, _) in enumerate(HOSTILE))
    tree.put("common", "hostile", "/hostile/index.html", """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政府信息公开年报_南麻街道</title></head>
<body>
<ul class="list">
%s
</ul>
<!--CHROME-->
</body></html>
""" % lis)
    page = read("eight_columns.html").replace("沂源县", "沂源县南麻街道办事处")
    page = page.replace("</body>", "<!--CHROME-->\n</body>")
    tree.put("common", "hostile", "/hostile/429.html", page)
    year = dict((e, 2024 - i) for i, (e, _) in enumerate(HOSTILE))
    for st in ("1", "2"):
        exp["states"][st]["reports"].append(
            {"site": "hostile", "url": url("hostile", "/hostile/429"),
             "year": year["429"], "agency": "沂源县南麻街道办事处",
             "published": "2025-03-18", "kind": "html", "format": 2021,
             "note": "only after honouring Retry-After"})
        exp["states"][st]["errors"] = [
            {"url": url("hostile", "/hostile/" + e), "expect": w}
            for e, w in HOSTILE if e != "429"]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen.py ROOT")
    root = sys.argv[1]
    if os.path.exists(root):
        shutil.rmtree(root)
    tree = Tree()
    exp = {"port": "{{PORT}}",
           "sites": {s[1]: {"address": s[0], "charset": s[2],
                            "listing": url(s[1], s[6]) if s[6] else None}
                     for s in SITES},
           "states": {st: {"reports": [], "never_fetch": [],
                           "not_reports": [], "errors": []}
                      for st in ("1", "2")},
           "changes": {"2": {"added": [], "altered": [], "chrome": [],
                             "removed": []}}}
    gen_hanweb(tree, exp)
    gen_trs(tree, exp)
    gen_gbk(tree, exp)
    gen_robots(tree, exp)
    gen_hostile(tree, exp)
    tree.write(root)

    with open(os.path.join(root, "sites.tsv"), "w", encoding="utf-8") as f:
        f.write("# address\tsite\tcharset (tests/portal/README.md)\n")
        for s in SITES:
            f.write("%s\t%s\t%s\n" % s[:3])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "agency", "level", "region", "url", "interval",
                "hosts", "tls_verify"])
    for a, site, _, agency, level, region, listing in SITES:
        if listing is None:
            continue
        w.writerow(["portal-" + site, agency, level, region,
                    url(site, listing), "", "", ""])
    with open(os.path.join(root, "catalog.csv"), "w", encoding="utf-8") as f:
        f.write(out.getvalue())
    with open(os.path.join(root, "expected.json"), "w",
              encoding="utf-8") as f:
        json.dump(exp, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
