#!/usr/bin/env python3
"""Writes the libFuzzer dictionaries (fuzz_*.dict) from the token lists here.

libFuzzer only takes printable ASCII between the quotes, so every Chinese
token is written as \\xNN escapes with the token itself in a comment above
it.  Edit the lists, then run: python3 tests/fuzz/gen_dict.py
"""

import os

HTML = [
    "<!DOCTYPE html>", "<html", "<head>", "<body>", "<meta", "charset=",
    "charset=gbk", "charset=gb2312", "charset=GB18030", "charset=utf-8",
    'http-equiv="Content-Type"', 'content="text/html; charset=gbk"',
    'name="ArticleTitle"', 'name="PubDate"', 'name="ContentSource"',
    'name="SiteName"', 'name="ColumnName"', "content=", "<title>",
    "</title>", "<table", "</table>", "<tbody>", "<thead>", "<tr>", "</tr>",
    "<td", "</td>", "<th", "rowspan=", "colspan=", 'rowspan="22"',
    'colspan="3"', "rowspan=0", "colspan=1000", "<p>", "<p class=MsoNormal>",
    "</p>", "<span style='font-size:16.0pt'>", "</span>", "<o:p></o:p>",
    "&nbsp;", "&#12288;", "&amp;", "&#x4E00;", "<br>", "<img src=", "alt=",
    '<div class="TRS_Editor">', '<div id="zoom">', "</div>", "<script>",
    "</script>", "<style>", "<!--", "-->", "<![if !supportLists]>",
    "\ufeff", b"\xff\xfe", b"\x81\x30\x81\x30", b"\xb9\xfa",
]

REPORT = [
    "一、", "二、", "三、", "四、", "五、", "六、", "2、", "（一）", "（二）",
    "（三）", "（四）", "（五）", "（六）", "（七）", "(一)", "1.", "2.",
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项", "第二十条第（一）项", "第二十条第（五）项",
    "第二十条第（六）项", "第二十条第（八）项", "信息内容", "本年制发件数",
    "本年废止件数", "现行有效件数", "规章", "行政规范性文件", "行政许可",
    "行政处罚", "行政强制", "行政事业性收费", "本年收费金额（单位：万元）",
    "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构",
    "社会公益组织", "法律服务机构", "其他", "总计", "小计",
    "本年新收", "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果", "予以公开", "部分公开", "不予公开", "无法提供",
    "不予处理", "其他处理", "四、结转下年度继续办理", "属于国家秘密",
    "重复申请", "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果",
    "尚未审结", "未经复议直接起诉", "复议后起诉", "政府信息公开工作年度报告",
    "年度报告", "解读", "关于", "政府网站工作年度报表", "2024年", "2021年",
    "年1月1日至12月31日", "发布日期：", "发布时间:", "来源：", "[具体地名]",
    "XX", "××", "/", "—", "无", "零", "0", "1", "101", "5183.5", "1,234",
    "-3", "+2", "件", "[bookmark: _Hlk1]", "[image: image1.png]", "\t",
    "\r\n", "\u3000",
]

TEXT_EXTRA = ["\t\n", "\n\n\n", "|", " | ", "\ufffd"]


def esc(s):
    out = []
    for b in (s if isinstance(s, bytes) else s.encode("utf-8")):
        c = chr(b)
        if c == '"' or c == "\\" or b < 0x20 or b > 0x7e:
            out.append("\\x%02X" % b)
        else:
            out.append(c)
    return "".join(out)


def write(name, tokens):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("# libFuzzer dictionary, written by gen_dict.py: edit "
                "that, not this.\n")
        seen = set()
        for t in tokens:
            if t in seen:
                continue
            seen.add(t)
            if isinstance(t, bytes):
                f.write("# raw bytes %r\n" % t)
            elif any(ord(ch) > 0x7e or ord(ch) < 0x20 for ch in t):
                f.write("# %s\n" % t.encode("unicode_escape").decode()
                        if not t.isprintable() else "# %s\n" % t)
            f.write('"%s"\n' % esc(t))


write("fuzz_text.dict", REPORT + TEXT_EXTRA)
write("fuzz_html.dict", HTML + REPORT[:40])
write("fuzz_mapper.dict", HTML + REPORT)
