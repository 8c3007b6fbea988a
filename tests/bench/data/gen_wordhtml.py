#!/usr/bin/env python3
"""Generates a realistic Word-exported HTML report page for the benchmarks.

The page is seed 000 (沂源县人民政府, 2024, 2021 format) as a TRS portal
would serve it: the report body is what Word's "save as web page" writes
(class=MsoNormal paragraphs, a <span style=...> around every run, lang=EN-US
runs around digits, <o:p></o:p>, &nbsp; in empty cells, tables with the
official rowspan/colspan layout of docs/domain.md 2.3-2.5) inside
<div class="TRS_Editor">, with the usual page chrome around it (meta tags of
the 政府网站发展指引, navigation, breadcrumb, footer, scripts).

The narrative comes from the seed itself; the table numbers are the seed's.
The output is committed (wordhtml_report.html); re-run after a change:

    python3 tests/bench/data/gen_wordhtml.py > tests/bench/data/wordhtml_report.html

Other test generators import this module (tests/data/bad/gen.py) to make
variants: a ragged table 三, a page cut short, a compact plain-HTML page.
"""

import html
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "..", "..", "..", "..", "shared", "seeds",
                    "000_009e668a3bf157d3.txt")

TITLE = "沂源县人民政府2024年政府信息公开工作年度报告"
AGENCY = "沂源县人民政府"

# Seed 000's tables (docs/design.md "The five seeds").
T2 = {
    "rules": (0, 0, 0),
    "normative": (4, 3, 45),
    "licensing": 71780,
    "punishment": 4520,
    "coercion": 582,
    "fees": "5183",
}

T3_ROWS = [
    # (label cells before the values, values)
    ("一、本年新收政府信息公开申请数量", [100, 0, 0, 0, 1, 0, 101]),
    ("二、上年结转政府信息公开申请数量", [3, 0, 0, 0, 0, 0, 3]),
    ("（一）予以公开", [68, 0, 0, 0, 0, 0, 68]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
     [18, 0, 0, 0, 0, 0, 18]),
    ("1.属于国家秘密", [0] * 7),
    ("2.其他法律行政法规禁止公开", [0] * 7),
    ("3.危及“三安全一稳定”", [0] * 7),
    ("4.保护第三方合法权益", [0] * 7),
    ("5.属于三类内部事务信息", [0] * 7),
    ("6.属于四类过程性信息", [0] * 7),
    ("7.属于行政执法案卷", [0] * 7),
    ("8.属于行政查询事项", [0] * 7),
    ("1.本机关不掌握相关政府信息", [10, 0, 0, 0, 1, 0, 11]),
    ("2.没有现成信息需要另行制作", [0] * 7),
    ("3.补正后申请内容仍不明确", [0] * 7),
    ("1.信访举报投诉类申请", [0] * 7),
    ("2.重复申请", [1, 0, 0, 0, 0, 0, 1]),
    ("3.要求提供公开出版物", [0] * 7),
    ("4.无正当理由大量反复申请", [0] * 7),
    ("5.要求行政机关确认或重新出具已获取信息", [0] * 7),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     [0] * 7),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
     [0] * 7),
    ("3.其他", [0] * 7),
    ("（七）总计", [97, 0, 0, 0, 1, 0, 98]),
    ("四、结转下年度继续办理", [6, 0, 0, 0, 0, 0, 6]),
]

# Group label cells of table 三: (first data row index, rowspan, label).
T3_GROUPS = [
    (4, 8, "（三）不予公开"),
    (12, 3, "（四）无法提供"),
    (15, 5, "（五）不予处理"),
    (20, 3, "（六）其他处理"),
]

T4 = [2, 2, 5, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]

PREAMBLE = (
    "本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）"
    "和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府"
    "信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，"
    "由沂源县人民政府办公室编制。本报告中所列数据统计期限自2024年1月1日起"
    "至2024年12月31日止。本报告电子版可在沂源县人民政府门户网站"
    "（http://www.yiyuan.gov.cn）下载。如对本报告有疑问，请与沂源县人民政府"
    "办公室联系（地址：沂源县城胜利路1号，邮编：256100，电话：0533-3241234）。"
)


def read_seed(path=SEED):
    """Returns {section index: [paragraphs]} for sections 一, 五, 六."""
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    marks = {}
    for i, l in enumerate(lines):
        s = l.strip()
        for k, h in enumerate(HEADINGS):
            if s == h or (k == 1 and s.endswith("主动公开政府信息情况")):
                marks[k] = i
    out = {}
    bounds = sorted(marks.items(), key=lambda kv: kv[1])
    for n, (k, start) in enumerate(bounds):
        end = bounds[n + 1][1] if n + 1 < len(bounds) else len(lines)
        if k not in (0, 4, 5):
            continue
        paras = []
        for l in lines[start + 1:end]:
            l = re.sub(r"\[bookmark: [^\]]*\]", "", l).strip()
            if l:
                paras.append(l)
        out[k] = paras
    return out


# ---------------------------------------------------------------- Word runs

FANGSONG = ("font-size:16.0pt;font-family:仿宋_GB2312;"
            "mso-hansi-font-family:\"Times New Roman\";"
            "mso-bidi-font-family:\"Times New Roman\"")
LATIN = "font-size:16.0pt;font-family:\"Times New Roman\";mso-fareast-font-family:仿宋_GB2312"
SONG10 = "font-size:10.0pt;font-family:宋体;mso-font-kerning:0pt"
LATIN10 = "font-size:10.0pt"


def runs(text, style, latin):
    """Splits text into Word runs: ASCII stretches get a lang=EN-US span."""
    out = []
    for m in re.finditer(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        s = html.escape(m.group(0), quote=False)
        if m.group(0)[0] < "\x7f":
            out.append("<span lang=EN-US style='%s'>%s</span>" % (latin, s))
        else:
            out.append("<span style='%s'>%s</span>" % (style, s))
    return "".join(out)


def word_para(text, indent=True):
    st = ("text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;"
          "mso-line-height-rule:exactly" if indent else
          "line-height:28.0pt;mso-line-height-rule:exactly")
    return ("<p class=MsoNormal style='%s'>%s<span lang=EN-US style='%s'>"
            "<o:p></o:p></span></p>\n" % (st, runs(text, FANGSONG, LATIN),
                                          LATIN))


def word_heading(text):
    return ("<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:"
            "2.0;line-height:28.0pt;mso-line-height-rule:exactly'><b "
            "style='mso-bidi-font-weight:normal'><span style='font-size:16.0pt;"
            "font-family:黑体;mso-hansi-font-family:黑体;mso-bidi-font-family:"
            "\"Times New Roman\"'>%s<span lang=EN-US><o:p></o:p></span></span>"
            "</b></p>\n" % html.escape(text, quote=False))


def word_cell(text, width, rowspan=1, colspan=1, bold=False, align="center"):
    attrs = " width=%d" % width
    if colspan > 1:
        attrs += " colspan=%d" % colspan
    if rowspan > 1:
        attrs += " rowspan=%d" % rowspan
    style = "width:%.1fpt;border:solid windowtext 1.0pt;padding:0cm 5.4pt" % (
        width * 0.75)
    if text == "":
        body = "<span lang=EN-US>&nbsp;<o:p></o:p></span>"
    elif re.fullmatch(r"[0-9.]+", text):
        # Word keeps a number and the paragraph mark in one Latin run
        body = ("<span lang=EN-US style='%s'>%s<o:p></o:p></span>"
                % (LATIN10, text))
    else:
        body = runs(text, SONG10, LATIN10)
        body += "<span lang=EN-US style='%s'><o:p></o:p></span>" % LATIN10
    if bold:
        body = "<b>" + body + "</b>"
    return ("<td%s style='%s'>\n<p class=MsoNormal align=%s>%s</p>\n</td>\n"
            % (attrs, style, align, body))


def word_table_open():
    return ("<div align=center>\n<table class=MsoNormalTable border=1 "
            "cellspacing=0 cellpadding=0 width=590 style='width:442.5pt;"
            "border-collapse:collapse;border:none;mso-border-alt:solid "
            "windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt "
            "0cm 5.4pt'>\n")


def tr(i, cells):
    return ("<tr style='mso-yfti-irow:%d;height:20.25pt'>\n%s</tr>\n"
            % (i, "".join(cells)))


# ---------------------------------------------------------- plain HTML runs

def plain_para(text, indent=True):
    return "<p>%s</p>\n" % html.escape(text, quote=False)


def plain_heading(text):
    return "<p><strong>%s</strong></p>\n" % html.escape(text, quote=False)


def plain_cell(text, width, rowspan=1, colspan=1, bold=False, align="center"):
    attrs = ""
    if colspan > 1:
        attrs += ' colspan="%d"' % colspan
    if rowspan > 1:
        attrs += ' rowspan="%d"' % rowspan
    return "<td%s>%s</td>" % (attrs, html.escape(text, quote=False)
                              if text else "&nbsp;")


def plain_table_open():
    return '<table border="1" cellspacing="0" cellpadding="0">\n'


def plain_tr(i, cells):
    return "<tr>%s</tr>\n" % "".join(cells)


# ------------------------------------------------------------------ tables

class Style:
    def __init__(self, word):
        self.word = word
        self.para = word_para if word else plain_para
        self.heading = word_heading if word else plain_heading
        self.cell = word_cell if word else plain_cell
        self.table_open = word_table_open if word else plain_table_open
        self.tr = tr if word else plain_tr
        self.table_close = ("</table>\n</div>\n" if word else "</table>\n")


def table2(s):
    c, out, i = s.cell, [s.table_open()], 0

    def row(cells):
        nonlocal i
        out.append(s.tr(i, cells))
        i += 1

    def caption(t):
        row([c(t, 590, colspan=4, bold=True)])

    caption("第二十条第（一）项")
    row([c("信息内容", 160), c("本年制发件数", 143), c("本年废止件数", 143),
         c("现行有效件数", 144)])
    row([c("规章", 160)] + [c(str(v), 143) for v in T2["rules"]])
    row([c("行政规范性文件", 160)] + [c(str(v), 143) for v in T2["normative"]])
    caption("第二十条第（五）项")
    row([c("信息内容", 160), c("本年处理决定数量", 430, colspan=3)])
    row([c("行政许可", 160), c(str(T2["licensing"]), 430, colspan=3)])
    caption("第二十条第（六）项")
    row([c("信息内容", 160), c("本年处理决定数量", 430, colspan=3)])
    row([c("行政处罚", 160), c(str(T2["punishment"]), 430, colspan=3)])
    row([c("行政强制", 160), c(str(T2["coercion"]), 430, colspan=3)])
    caption("第二十条第（八）项")
    row([c("信息内容", 160), c("本年收费金额（单位：万元）", 430, colspan=3)])
    row([c("行政事业性收费", 160), c(T2["fees"], 430, colspan=3)])
    out.append(s.table_close)
    return "".join(out)


def table3(s, ragged=None):
    """ragged: {data row index: values} overriding a row's value cells."""
    c, out = s.cell, [s.table_open()]
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    out.append(s.tr(0, [c(note, 210, rowspan=3, colspan=3),
                        c("申请人情况", 380, colspan=7)]))
    out.append(s.tr(1, [c("自然人", 50, rowspan=2),
                        c("法人或其他组织", 280, colspan=5),
                        c("总计", 50, rowspan=2)]))
    out.append(s.tr(2, [c(t, 56) for t in
                        ("商业企业", "科研机构", "社会公益组织", "法律服务机构",
                         "其他")]))
    groups = {g[0]: g for g in T3_GROUPS}
    for k, (label, vals) in enumerate(T3_ROWS):
        if ragged and k in ragged:
            vals = ragged[k]
        cells = []
        if k in (0, 1, 24):
            cells.append(c(label, 210, colspan=3, align="left"))
        else:
            if k == 2:
                cells.append(c("三、本年度办理结果", 40, rowspan=22))
            if k in (2, 3, 23):
                cells.append(c(label, 170, colspan=2, align="left"))
            else:
                if k in groups:
                    cells.append(c(groups[k][2], 50, rowspan=groups[k][1]))
                cells.append(c(label, 120, align="left"))
        cells += [c(str(v), 50 if j in (0, 6) else 56)
                  for j, v in enumerate(vals)]
        out.append(s.tr(k + 3, cells))
    out.append(s.table_close)
    return "".join(out)


def table4(s):
    c, out = s.cell, [s.table_open()]
    res = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    out.append(s.tr(0, [c("行政复议", 190, colspan=5),
                        c("行政诉讼", 400, colspan=10)]))
    out.append(s.tr(1, [c(t, 38, rowspan=2) for t in res] +
                    [c("未经复议直接起诉", 200, colspan=5),
                     c("复议后起诉", 200, colspan=5)]))
    out.append(s.tr(2, [c(t, 40) for t in res * 2]))
    out.append(s.tr(3, [c(str(v), 38 if j < 5 else 40)
                        for j, v in enumerate(T4)]))
    out.append(s.table_close)
    return "".join(out)


# -------------------------------------------------------------------- page

NAV = ["首页", "政务公开", "政府信息公开", "政府信息公开指南", "政府信息公开制度",
       "法定主动公开内容", "政府信息公开年报", "政务服务", "互动交流", "走进沂源",
       "领导信息", "机构职能", "政策文件", "政策解读", "规划计划", "财政信息",
       "重点领域", "建议提案办理", "人事信息", "统计信息", "应急管理", "审计信息"]

SCRIPT = """<script type="text/javascript">
var _hmt = _hmt || [];
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
	if (_nPageCount == null || _nPageCount <= 1) { return; }
	var nCurrIndex = _nCurrIndex || 0;
	for (var i = 0; i < _nPageCount; i++) {
		if (i == nCurrIndex) document.write("<span>" + (i + 1) + "</span>");
		else document.write("<a href=\\"" + _sPageName + (i ? "_" + i : "") +
		    "." + _sPageExt + "\\">" + (i + 1) + "</a>");
	}
}
function doZoom(size) { document.getElementById('zoom').style.fontSize = size + 'px'; }
</script>
"""

WORD_STYLE = """<style>
<!--
 /* Font Definitions */
 @font-face {font-family:宋体; panose-1:2 1 6 0 3 1 1 1 1 1;}
 @font-face {font-family:黑体; panose-1:2 1 6 9 6 1 1 1 1 1;}
 @font-face {font-family:仿宋_GB2312; panose-1:2 1 6 9 3 1 1 1 1 1;}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no; mso-style-qformat:yes; mso-style-parent:"";
	margin:0cm; margin-bottom:.0001pt; text-align:justify; text-justify:inter-ideograph;
	mso-pagination:none; font-size:10.5pt; mso-bidi-font-size:11.0pt;
	font-family:"Calibri",sans-serif; mso-ascii-font-family:Calibri;
	mso-fareast-font-family:宋体; mso-hansi-font-family:Calibri;
	mso-bidi-font-family:"Times New Roman"; mso-font-kerning:1.0pt;}
 table.MsoNormalTable
	{mso-style-name:普通表格; mso-tstyle-rowband-size:0; mso-tstyle-colband-size:0;
	mso-style-noshow:yes; mso-style-priority:99; mso-style-parent:"";
	mso-padding-alt:0cm 5.4pt 0cm 5.4pt; mso-para-margin:0cm;}
@page WordSection1
	{size:595.3pt 841.9pt; margin:72.0pt 90.0pt 72.0pt 90.0pt;
	mso-header-margin:42.55pt; mso-footer-margin:49.6pt; mso-paper-source:0;
	layout-grid:15.6pt;}
div.WordSection1
	{page:WordSection1;}
-->
</style>
"""


def body(s, ragged=None):
    seed = read_seed()
    out = []
    if s.word:
        out.append(WORD_STYLE)
        out.append("<div class=WordSection1 style='layout-grid:15.6pt'>\n")
        out.append("<p class=MsoNormal align=center style='text-align:center;"
                   "line-height:28.0pt;mso-line-height-rule:exactly'><span "
                   "style='font-size:22.0pt;font-family:方正小标宋简体'>%s"
                   "<span lang=EN-US><o:p></o:p></span></span></p>\n"
                   % TITLE)
    out.append(s.para(PREAMBLE))
    out.append(s.heading(HEADINGS[0]))
    out += [s.para(p) for p in seed[0]]
    out.append(s.heading(HEADINGS[1]))
    out.append(table2(s))
    out.append(s.heading(HEADINGS[2]))
    out.append(table3(s, ragged))
    out.append(s.heading(HEADINGS[3]))
    out.append(table4(s))
    out.append(s.heading(HEADINGS[4]))
    out += [s.para(p) for p in seed[4]]
    out.append(s.heading(HEADINGS[5]))
    out += [s.para(p) for p in seed[5]]
    out.append(s.para("沂源县人民政府办公室", indent=False))
    out.append(s.para("2025年1月20日", indent=False))
    if s.word:
        out.append("</div>\n")
    return "".join(out)


def page(word=True, ragged=None, chrome=True):
    s = Style(word)
    head = [
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n",
        "<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n",
        "<title>%s_沂源县人民政府</title>\n" % TITLE,
        "<meta name=\"SiteName\" content=\"沂源县人民政府\">\n",
        "<meta name=\"SiteDomain\" content=\"www.yiyuan.gov.cn\">\n",
        "<meta name=\"SiteIDCode\" content=\"3703230001\">\n",
        "<meta name=\"ColumnName\" content=\"政府信息公开年报\">\n",
        "<meta name=\"ColumnDescription\" content=\"沂源县政府信息公开工作年度报告\">\n",
        "<meta name=\"ColumnKeywords\" content=\"年报,政府信息公开\">\n",
        "<meta name=\"ColumnType\" content=\"信息公开年报\">\n",
        "<meta name=\"ArticleTitle\" content=\"%s\">\n" % TITLE,
        "<meta name=\"PubDate\" content=\"2025-01-20 09:30\">\n",
        "<meta name=\"ContentSource\" content=\"沂源县人民政府办公室\">\n",
        "<meta name=\"Keywords\" content=\"政府信息公开,年度报告\">\n",
        "<meta name=\"Description\" content=\"%s\">\n" % TITLE,
        "<link rel=\"stylesheet\" href=\"/images/2023/common.css\">\n",
        SCRIPT if chrome else "",
        "</head>\n<body>\n",
    ]
    nav = []
    if chrome:
        nav.append("<div class=\"top\"><div class=\"w1200\"><span>今天是："
                   "<script>document.write(new Date().toLocaleDateString());"
                   "</script></span><a href=\"/wza/\">无障碍</a> | <a href=\""
                   "/wap/\">手机版</a></div></div>\n")
        nav.append("<div class=\"header\"><img src=\"/images/logo.png\" alt=\""
                   "沂源县人民政府\"></div>\n<div class=\"nav\"><ul>\n")
        for k, n in enumerate(NAV):
            nav.append("<li><a href=\"/col/col%d/index.html\" target=\"_blank\""
                       ">%s</a></li>\n" % (21000 + k, n))
        nav.append("</ul></div>\n<div class=\"position\">当前位置：<a href=\"/\">"
                   "首页</a> &gt; <a href=\"/col/col21001/\">政务公开</a> &gt; "
                   "<a href=\"/col/col21006/\">政府信息公开年报</a></div>\n")
        nav.append("<table class=\"xxgk-meta\" width=\"100%\"><tr><td>索引号：</td>"
                   "<td>11370323004300123X/2025-0001234</td><td>发布机构：</td>"
                   "<td>沂源县人民政府办公室</td></tr><tr><td>成文日期：</td><td>"
                   "2025-01-20</td><td>发布日期：</td><td>2025-01-20</td></tr>"
                   "</table>\n")
    art = [
        "<div class=\"article\">\n<h1 class=\"title\">%s</h1>\n" % TITLE,
        "<div class=\"info\">发布日期：2025-01-20 09:30&nbsp;&nbsp;来源：沂源县"
        "人民政府办公室&nbsp;&nbsp;浏览次数：<span id=\"hits\"></span>&nbsp;&nbsp;"
        "字号：[<a href=\"javascript:doZoom(18)\">大</a> <a href=\"javascript:"
        "doZoom(16)\">中</a> <a href=\"javascript:doZoom(14)\">小</a>]</div>\n",
        "<div id=\"zoom\">\n<div class=\"TRS_Editor\">\n",
        body(s, ragged),
        "</div>\n<!--/TRS_Editor-->\n</div>\n",
        "<div class=\"attach\">附件：无</div>\n",
        "<div class=\"share\">[<a href=\"javascript:window.print()\">打印本页"
        "</a>] [<a href=\"javascript:window.close()\">关闭窗口</a>]</div>\n"
        "</div>\n",
    ]
    foot = []
    if chrome:
        foot.append("<div class=\"links\"><select onchange=\"window.open("
                    "this.value)\"><option>国务院部门网站</option><option value="
                    "\"http://www.gov.cn\">中国政府网</option><option value=\""
                    "http://www.shandong.gov.cn\">山东省人民政府</option><option "
                    "value=\"http://www.zibo.gov.cn\">淄博市人民政府</option>"
                    "</select></div>\n")
        foot.append("<div class=\"footer\"><p>主办单位：沂源县人民政府办公室"
                    "&nbsp;&nbsp;承办单位：沂源县大数据中心</p><p>网站标识码："
                    "3703230001&nbsp;&nbsp;<a href=\"https://beian.miit.gov.cn\">"
                    "鲁ICP备05012345号</a>&nbsp;&nbsp;<img src=\"/images/ga.png\">"
                    "鲁公网安备 37032302000123号</p><p>地址：沂源县城胜利路1号"
                    "&nbsp;&nbsp;电话：0533-3241234</p>\n<span id=\"_ideConac\">"
                    "<a href=\"http://bszs.conac.cn/sitename?method=show&id=1\">"
                    "<img src=\"/images/dzjg.png\" alt=\"党政机关\"></a></span>"
                    "</div>\n")
        foot.append("<script>var hits = 1024; document.getElementById('hits')"
                    ".innerHTML = hits;</script>\n")
    foot.append("</body>\n</html>\n")
    return "".join(head + nav + art + foot)


def main():
    word = "--plain" not in sys.argv[1:]
    sys.stdout.write(page(word=word, chrome=word))


if __name__ == "__main__":
    main()
