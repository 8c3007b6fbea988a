#!/usr/bin/env python3
"""Writes the committed inputs of tests/golden/bad_input.sh.

Everything here is deterministic: re-running it gives the same bytes.  The
big inputs (a 50 MB page, one over the size limit) are not committed; the
test makes them at run time.  Run from anywhere:

    python3 tests/data/bad/gen.py

empty.txt             nothing at all
garbage.bin           4 KiB of pseudo-random bytes (fixed seed), NULs included
garbage_high.txt      4 KiB of bytes 0x80-0xff only: no NUL, no control
                      character, so only the charset and mapper can refuse it
truncated_t3.html     the benchmark's Word-HTML report cut in the middle of
                      table 三 (inside the （四）无法提供 group)
invalid_utf8.txt      seed 000 with invalid UTF-8 bytes in four narrative
                      lines (a lone continuation byte, 0xff, a truncated
                      three-byte sequence, an overlong "/")
jiedu.html            a 年报解读 page: title 关于《XX局2024年政府信息公开工作
                      年度报告》的解读, prose only, with the report's headings
website_report.html   a 政府网站工作年度报表 page (the website, not disclosure)
news.html             a news article about disclosure work
ragged_t3.html        a 2021 report whose table 三 has an extra value cell in
                      （一）予以公开 and one missing in 2.重复申请
pdf_magic.pdf         the first bytes of a PDF
"""

import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "data"))
import gen_wordhtml  # noqa: E402

SEED000 = gen_wordhtml.SEED


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def chrome(title, body, column="政务要闻"):
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>%(t)s_沂源县人民政府</title>
<meta name="SiteName" content="沂源县人民政府">
<meta name="ColumnName" content="%(c)s">
<meta name="ArticleTitle" content="%(t)s">
<meta name="PubDate" content="2025-02-10 16:20">
<meta name="ContentSource" content="沂源县人民政府办公室">
</head>
<body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/col/col21001/">政务公开</a></li><li><a href="/col/col21006/">政府信息公开年报</a></li></ul></div>
<div class="article">
<h1 class="title">%(t)s</h1>
<div class="info">发布日期：2025-02-10 16:20&nbsp;&nbsp;来源：沂源县人民政府办公室</div>
<div class="TRS_Editor">
%(b)s</div>
</div>
<div class="footer">主办单位：沂源县人民政府办公室 网站标识码：3703230001</div>
</body>
</html>
""" % {"t": title, "b": body, "c": column}


def paras(lines):
    return "".join("<p>%s</p>\n" % l for l in lines)


JIEDU = [
    "近日，XX局正式发布《XX局2024年政府信息公开工作年度报告》（以下简称《年报》）。"
    "为便于公众更好地理解《年报》内容，现就有关情况解读如下。",
    "一、总体情况",
    "2024年，XX局深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
    "不公开为例外，全年主动公开政府信息1024条，较上年增长12.5%。",
    "二、主动公开政府信息情况",
    "《年报》显示，2024年XX局制发行政规范性文件4件，废止3件，现行有效45件；"
    "作出行政许可决定71780件、行政处罚决定4520件。",
    "三、收到和处理政府信息公开申请情况",
    "2024年共收到政府信息公开申请101件，上年结转3件，均已按期答复，结转下年度继续办理6件。",
    "四、政府信息公开行政复议、行政诉讼情况",
    "全年因政府信息公开被申请行政复议9件，未发生行政诉讼。",
    "五、下一步工作",
    "XX局将持续深化政务公开，进一步提升政策解读质量，更好地服务企业和群众。",
]

WEBSITE_ROWS = [
    ("网站名称", "沂源县人民政府门户网站"),
    ("首页网址", "http://www.yiyuan.gov.cn"),
    ("主办单位", "沂源县人民政府办公室"),
    ("网站类型", "政府门户网站"),
    ("政府网站标识码", "3703230001"),
    ("ICP备案号", "鲁ICP备05012345号"),
    ("公安机关备案号", "37032302000123"),
    ("独立用户访问总量（单位：个）", "1523641"),
    ("网站总访问量（单位：次）", "8862017"),
    ("信息发布（单位：条）总数", "12596"),
    ("概况类信息更新量", "35"),
    ("政务动态信息更新量", "6021"),
    ("信息公开目录信息更新量", "6540"),
    ("专栏专题维护数量（单位：个）", "12"),
    ("解读回应 解读信息发布（单位：条）", "54"),
    ("办事服务 是否发布服务事项目录", "是"),
    ("互动交流 留言办理（单位：条）", "224"),
    ("安全防护 安全检测评估次数（单位：次）", "12"),
    ("移动新媒体 是否有移动新媒体", "是"),
    ("创新发展", "搜索即服务、多语言版本"),
]

NEWS = [
    "2月10日，沂源县召开2025年全县政务公开工作推进会议，总结2024年政务公开工作，"
    "部署2025年重点任务。",
    "会议指出，2024年全县各级各部门认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "政务公开工作取得明显成效，政府信息公开工作年度报告按时发布率达到100%。",
    "会议要求，各部门要于1月31日前在政府网站发布本部门政府信息公开工作年度报告，"
    "乡镇（街道）于3月31日前发布，严格执行国办公开办函〔2021〕30号规定的格式，"
    "确保数据准确、内容完整。",
    "会上，县政府办公室通报了2024年政务公开考核结果，3个部门作了典型发言。",
    "县政府办公室主任出席会议并讲话。各镇（街道）、县直各部门分管负责同志参加会议。",
]


def main():
    write("empty.txt", b"")
    rng = random.Random(20250101)
    write("garbage.bin", bytes(rng.randrange(256) for _ in range(4096)))
    write("garbage_high.txt",
          bytes(0x80 + rng.randrange(128) for _ in range(4096)))

    page = gen_wordhtml.page(word=True)
    cut = page.index("补正后申请内容仍不明确")
    write("truncated_t3.html", page[:cut])

    with open(SEED000, "rb") as f:
        lines = f.read().split(b"\n")
    bad = [b"\x80", b"\xff", b"\xe4\xb8", b"\xc0\xaf"]
    # narrative lines of section 一 (2..5): never a table cell
    for k, b in enumerate(bad):
        i = 2 + k
        lines[i] = lines[i][:30] + b + lines[i][30:]
    write("invalid_utf8.txt", b"\n".join(lines))

    write("jiedu.html", chrome(
        "关于《XX局2024年政府信息公开工作年度报告》的解读", paras(JIEDU),
        column="政策解读"))

    table = ['<table border="1" cellspacing="0">']
    for k, v in WEBSITE_ROWS:
        table.append("<tr><td>%s</td><td>%s</td></tr>" % (k, v))
    table.append("<tr><td>单位负责人：张三</td><td>审核人：李四 填报人：王五 "
                 "联系电话：0533-3241234 填报日期：2025-01-20</td></tr>")
    table.append("</table>")
    write("website_report.html", chrome(
        "沂源县人民政府门户网站2024年政府网站工作年度报表",
        "<p style=\"text-align:center\">政府网站工作年度报表</p>\n<p>"
        "（2024年度）</p>\n<p>填报单位：沂源县人民政府办公室</p>\n"
        + "\n".join(table) + "\n", column="网站年度报表"))

    write("news.html", chrome(
        "沂源县召开2025年全县政务公开工作推进会议", paras(NEWS)))

    ragged = {
        2: [68, 0, 0, 0, 0, 0, 0, 68],  # （一）予以公开: one value too many
        16: [1, 0, 0, 0, 0, 1],        # 2.重复申请: one value missing
    }
    write("ragged_t3.html", gen_wordhtml.page(word=False, ragged=ragged))

    write("pdf_magic.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type "
          b"/Catalog /Pages 2 0 R >>\nendobj\n")


if __name__ == "__main__":
    main()
