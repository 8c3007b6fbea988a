#!/usr/bin/env python3
"""Generates the HTML golden fixtures in tests/data/html/ from the seeds.

The narrative (title, preamble, sections 一, 五 and 六) is copied from the
seed text exports in ../shared/seeds (or $SHARED/seeds); the table numbers
are written out below and checked against the seed's cells in order, so a
typo here fails the generation instead of producing a wrong fixture.

The markup imitates what real government sites serve (domain.md section 5):
a CMS page shell (TRS, Hanweb, gkmlpt-like, table-layout), Word-exported
content (class=MsoNormal, <span style=...> everywhere, <o:p></o:p>,
&nbsp;), the tables with rowspan/colspan exactly as in domain.md 2.4/2.5.

    python3 tests/data/html/gen/gen.py          # rewrites the fixtures

The fixtures are committed; rerun only to change them.
"""

import html
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(os.path.dirname(OUT)))
SHARED = os.environ.get('SHARED', os.path.join(REPO, '..', 'shared'))
SEEDS = os.path.join(SHARED, 'seeds')

SEED_FILES = {
    '000': '000_009e668a3bf157d3.txt',
    '001': '001_34f0a73bec97119a.txt',
    '002': '002_a62df7d142e7fe56.txt',
    '003': '003_5aff47976b242122.txt',
    '004': '004_8dc319be4d1513fc.txt',
}


class Raw(str):
    """Markup that goes into the page as is."""


def esc(s):
    if isinstance(s, Raw):
        return str(s)
    return html.escape(s, quote=False).replace('\u00a0', '&nbsp;')


# ---------------------------------------------------------------- seeds

HEADINGS = [
    (1, r'^(一|1)、\s*总体情况'),
    (2, r'^(二|2)、\s*主动公开'),
    (3, r'^三、\s*收到和处理'),
    (4, r'^四、\s*政府信息公开行政复议'),
    (5, r'^五、'),
    (6, r'^六、'),
]


def strip_markers(s):
    return re.sub(r'\[(bookmark|image): [^\]]*\]', '', s)


def seed_text(seed):
    with open(os.path.join(SEEDS, SEED_FILES[seed]), encoding='utf-8') as f:
        return f.read()


def seed_narrative(seed):
    """Title lines, preamble, and {section: (heading, [paragraphs])}."""
    lines = seed_text(seed).split('\n')
    head, secs, cur = [], {}, None
    for line in lines:
        if line.startswith('\t'):
            continue
        t = strip_markers(line).strip()
        found = None
        for n, rx in HEADINGS:
            if re.match(rx, t) and n not in secs:
                found = n
                break
        if found is not None:
            cur = found
            secs[cur] = (t, [])
            continue
        if not t:
            continue
        if cur is None:
            head.append(t)
        elif cur in (1, 5, 6):
            secs[cur][1].append(t)
        # lines under 二/三/四 are wrapped table cells: not narrative
    return head, secs


def seed_numbers(seed):
    """The value cells of the seed's tables, in order (raw, stripped)."""
    out = []
    for line in seed_text(seed).split('\n'):
        if not line.startswith('\t'):
            continue
        v = strip_markers(line).strip().strip('\u3000').strip()
        if re.fullmatch(r'[0-9]+(\.[0-9]+)?', v):
            out.append(v)
    return out


# ---------------------------------------------------------------- numbers

T3_ROWS_2021 = [
    ('new', '一、本年新收政府信息公开申请数量'),
    ('carried_over', '二、上年结转政府信息公开申请数量'),
    ('granted', '（一）予以公开'),
    ('partial', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）'),
    ('denied_secret', '1.属于国家秘密'),
    ('denied_law', '2.其他法律行政法规禁止公开'),
    ('denied_safety', '3.危及“三安全一稳定”'),
    ('denied_third_party', '4.保护第三方合法权益'),
    ('denied_internal', '5.属于三类内部事务信息'),
    ('denied_process', '6.属于四类过程性信息'),
    ('denied_enforcement', '7.属于行政执法案卷'),
    ('denied_query', '8.属于行政查询事项'),
    ('unable_not_held', '1.本机关不掌握相关政府信息'),
    ('unable_create', '2.没有现成信息需要另行制作'),
    ('unable_unclear', '3.补正后申请内容仍不明确'),
    ('refused_petition', '1.信访举报投诉类申请'),
    ('refused_repeat', '2.重复申请'),
    ('refused_publication', '3.要求提供公开出版物'),
    ('refused_massive', '4.无正当理由大量反复申请'),
    ('refused_confirm', '5.要求行政机关确认或重新出具已获取信息'),
    ('other_no_correction',
     '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'),
    ('other_no_fee',
     '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'),
    ('other_other', '3.其他'),
    ('total', '（七）总计'),
    ('carried_forward', '四、结转下年度继续办理'),
]
T3_ROWS_2019 = (T3_ROWS_2021[:20] + [('other', '（六）其他处理')] +
                T3_ROWS_2021[23:])


def t3(values, rows=T3_ROWS_2021):
    """A full table 三: every row 7 values, '0' unless given."""
    out = {}
    for key, _ in rows:
        out[key] = [str(v) for v in values.get(key, [0] * 7)]
    return out


def col(n, legal=0):
    """A row whose only applicants are natural persons (+ legal services)."""
    return [n, 0, 0, 0, legal, 0, n + legal]


SEED_T2 = {
    '000': dict(rules=('0', '0', '0'), normative=('4', '3', '45'),
                licensing='71780', punishment='4520', coercion='582',
                fees='5183'),
    '001': dict(rules=('0', '0', '0'), normative=('1', '6', '9'),
                licensing='0', punishment='0', coercion='0', fees='0'),
    '003': dict(rules=('0', '0', '0'), normative=('12', '67', '68'),
                licensing='4462', punishment='508', coercion='325',
                fees='1003.34'),
}

SEED_T3 = {
    '000': t3({'new': col(100, 1), 'carried_over': col(3),
               'granted': col(68), 'partial': col(18),
               'unable_not_held': col(10, 1), 'refused_repeat': col(1),
               'total': col(97, 1), 'carried_forward': col(6)}),
    '001': t3({'new': col(12), 'carried_over': col(2), 'granted': col(5),
               'partial': col(6), 'unable_not_held': col(3),
               'total': col(14)}),
    '002': t3({'new': col(9), 'granted': col(9), 'total': col(9)},
              T3_ROWS_2019),
    '003': t3({'new': col(19), 'granted': col(9), 'partial': col(2),
               'denied_enforcement': col(7), 'unable_not_held': col(1),
               'total': col(19)}),
}

SEED_T4 = {
    '000': ['2', '2', '5', '0', '9'] + ['0'] * 10,
    '001': ['0'] * 15,
    '002': ['0'] * 15,
    '003': ['1', '0', '1', '0', '2'] + ['0'] * 10,
}

# table 二 of 2019 (seed 002): (caption, header, rows); values as written
T2_2019_002 = [
    ('第二十条第（一）项', ['信息内容', '本年新制作数量', '本年新公开数量',
                        '对外公开总数量'],
     [('规章', ['0', '0', '0']), ('规范性文件', ['0', '0', '0'])]),
    ('第二十条第（五）项', ['信息内容', '上一年项目数量', '本年增/减',
                        '处理决定数量'],
     [('行政许可', ['0', ' \u30000', '0']),
      ('其他对外管理服务事项', ['0', '0', '0'])]),
    ('第二十条第（六）项', ['信息内容', '上一年项目数量', '本年增/减',
                        '处理决定数量'],
     [('行政处罚', ['0', '0', '0']), ('行政强制', ['0', '0', '0'])]),
    ('第二十条第（八）项', ['信息内容', '上一年项目数量', '本年增/减'],
     [('行政事业性收费', ['0\u3000\u3000', '0'])]),
    ('第二十条第（九）项', ['信息内容', '采购项目数量', '采购总金额'],
     [('政府集中采购', ['0', '0'])]),
]
T4_002_RAW = ['0', '0', '0', ' 0', '0', '0', '0 ', ' 0', ' 0', '0', '0',
              '0', '0 ', '0', '0']


def t2_flat(t2):
    return (list(t2['rules']) + list(t2['normative']) +
            [t2['licensing'], t2['punishment'], t2['coercion'], t2['fees']])


def check_seed(seed, flat):
    want = seed_numbers(seed)
    got = [v.strip().strip('\u3000').strip() for v in flat]
    if want != got:
        for i, (a, b) in enumerate(zip(want, got)):
            if a != b:
                sys.exit('seed %s: value %d is %s in the seed, %s here' %
                         (seed, i, a, b))
        sys.exit('seed %s: %d values in the seed, %d here' %
                 (seed, len(want), len(got)))


def check_all():
    for s in ('000', '001', '003'):
        flat = t2_flat(SEED_T2[s])
        for key, _ in T3_ROWS_2021:
            flat += SEED_T3[s][key]
        check_seed(s, flat + SEED_T4[s])
    flat = []
    for _, _, rows in T2_2019_002:
        for _, vals in rows:
            flat += vals
    for key, _ in T3_ROWS_2019:
        flat += SEED_T3['002'][key]
    check_seed('002', flat + T4_002_RAW)


# ---------------------------------------------------------------- markup

class Word:
    """Word "save as web page" markup, as pasted into TRS / Hanweb."""

    TD = ("border:solid windowtext 1.0pt;border-top:none;"
          "mso-border-top-alt:solid windowtext .5pt;"
          "mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt")

    def para(self, text, heading=False, indent=True, center=False):
        if text == '':
            return ("<p class=MsoNormal style='line-height:28.0pt;"
                    "mso-line-height-rule:exactly'><span lang=EN-US "
                    "style='font-size:16.0pt;font-family:仿宋_GB2312'>&nbsp;"
                    "</span></p>\n")
        style = "line-height:28.0pt;mso-line-height-rule:exactly"
        if indent:
            style = "text-indent:32.0pt;mso-char-indent-count:2.0;" + style
        if center:
            style = "text-align:center;" + style
        font = '黑体' if heading else '仿宋_GB2312'
        inner = ("<span style='font-size:16.0pt;font-family:%s;"
                 "mso-hansi-font-family:\"Times New Roman\"'>%s"
                 "<span lang=EN-US><o:p></o:p></span></span>" %
                 (font, self.inline(text)))
        if heading:
            inner = '<b>' + inner + '</b>'
        al = ' align=center' if center else ''
        return "<p class=MsoNormal%s style='%s'>%s</p>\n" % (al, style, inner)

    def inline(self, text):
        """Digits in their own lang=EN-US span, as Word writes them."""
        if isinstance(text, Raw):
            return str(text)
        parts = re.split(r'([0-9][0-9.]*)', text)
        out = []
        for i, p in enumerate(parts):
            if not p:
                continue
            if i % 2:
                out.append("</span><span lang=EN-US style='font-size:16.0pt;"
                           "font-family:仿宋_GB2312'>%s</span><span "
                           "style='font-size:16.0pt;font-family:仿宋_GB2312'>"
                           % p)
            else:
                out.append(esc(p))
        return ''.join(out)

    def cell(self, text, rs=1, cs=1, width=None, number=False):
        attrs = ''
        if width:
            attrs += ' width=%d' % width
        if cs > 1:
            attrs += ' colspan=%d' % cs
        if rs > 1:
            attrs += ' rowspan=%d' % rs
        if isinstance(text, Raw):
            lines = [text]
        else:
            lines = text.split('\n')
        ps = []
        for ln in lines:
            if isinstance(ln, Raw):
                body = str(ln)
            elif ln.strip() == '':
                body = "<span lang=EN-US>&nbsp;</span>"
            elif number:
                body = ("<span lang=EN-US style='font-size:10.5pt;"
                        "font-family:\"Times New Roman\",serif;"
                        "mso-font-kerning:0pt'>%s</span>" % esc(ln))
            else:
                body = ("<span style='font-size:10.5pt;font-family:宋体;"
                        "mso-bidi-font-family:宋体;color:black;"
                        "mso-font-kerning:0pt'>%s</span>" % esc(ln))
            ps.append("<p class=MsoNormal align=center style='text-align:"
                      "center;mso-pagination:widow-orphan'>%s<span "
                      "lang=EN-US style='font-size:10.5pt'><o:p></o:p>"
                      "</span></p>" % body)
        return ("  <td%s valign=center style='%s'>\n  %s\n  </td>\n" %
                (attrs, self.TD, '\n  '.join(ps)))

    def table(self, rows, width=568, spacer=None):
        out = ["<div align=center>\n",
               "<table class=MsoNormalTable border=0 cellspacing=0 "
               "cellpadding=0 width=%d style='width:426.0pt;"
               "border-collapse:collapse;mso-table-layout-alt:fixed;"
               "border:none;mso-border-alt:solid windowtext .5pt;"
               "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>"
               "\n" % width]
        for i, r in enumerate(rows):
            out.append(" <tr style='mso-yfti-irow:%d;height:20.0pt'>\n" % i)
            out.extend(r)
            out.append(" </tr>\n")
        if spacer:
            # Word's hidden row fixing the column widths
            out.append(" <![if !supportMisalignedColumns]>\n"
                       " <tr height=0>\n")
            for w in spacer:
                out.append("  <td width=%d style='border:none'></td>\n" % w)
            out.append(" </tr>\n <![endif]>\n")
        out.append("</table>\n</div>\n")
        return ''.join(out)


class Plain:
    """The markup a CMS editor produces (UEditor / KindEditor style)."""

    def para(self, text, heading=False, indent=True, center=False):
        if text == '':
            return '<p>&nbsp;</p>\n'
        style = []
        if indent:
            style.append('text-indent: 2em;')
        if center:
            style.append('text-align: center;')
        st = ' style="%s"' % ' '.join(style) if style else ''
        body = esc(text)
        if heading:
            body = '<strong>' + body + '</strong>'
        return '<p%s>%s</p>\n' % (st, body)

    def cell(self, text, rs=1, cs=1, width=None, number=False):
        attrs = ''
        if cs > 1:
            attrs += ' colspan="%d"' % cs
        if rs > 1:
            attrs += ' rowspan="%d"' % rs
        if width:
            attrs += ' width="%d"' % width
        if isinstance(text, Raw):
            body = str(text)
        elif text.strip() == '':
            body = '&nbsp;'
        else:
            body = '<br/>'.join(esc(t) for t in text.split('\n'))
        return '<td%s style="text-align: center;">%s</td>\n' % (attrs, body)

    def table(self, rows, width=None, spacer=None):
        out = ['<table border="1" cellspacing="0" cellpadding="0" '
               'style="width: 100%; border-collapse: collapse;">\n<tbody>\n']
        for r in rows:
            out.append('<tr>\n')
            out.extend(r)
            out.append('</tr>\n')
        out.append('</tbody>\n</table>\n')
        return ''.join(out)


# ---------------------------------------------------------------- tables

def t2_2021_tables(m, t2, split_number=None):
    """Table 二 as the four separate tables Word makes of it."""
    def num(v):
        if split_number and v == split_number[0]:
            a, b = split_number[1]
            return Raw("<span lang=EN-US style='font-size:10.5pt'>%s</span>"
                       "<span lang=EN-US style='font-size:10.5pt;"
                       "font-family:\"Times New Roman\"'>%s</span>" % (a, b))
        return v
    tabs = []
    tabs.append(m.table([
        [m.cell('第二十条第（一）项', cs=4, width=568)],
        [m.cell('信息内容', width=142), m.cell('本年制发件数', width=142),
         m.cell('本年废止件数', width=142), m.cell('现行有效件数', width=142)],
        [m.cell('规章')] + [m.cell(num(v), number=True)
                           for v in t2['rules']],
        [m.cell('行政规范性文件')] + [m.cell(num(v), number=True)
                                 for v in t2['normative']],
    ]))
    tabs.append(m.table([
        [m.cell('第二十条第（五）项', cs=2, width=568)],
        [m.cell('信息内容', width=142), m.cell('本年处理决定数量', width=426)],
        [m.cell('行政许可'), m.cell(num(t2['licensing']), number=True)],
    ]))
    tabs.append(m.table([
        [m.cell('第二十条第（六）项', cs=2, width=568)],
        [m.cell('信息内容', width=142), m.cell('本年处理决定数量', width=426)],
        [m.cell('行政处罚'), m.cell(num(t2['punishment']), number=True)],
        [m.cell('行政强制'), m.cell(num(t2['coercion']), number=True)],
    ]))
    tabs.append(m.table([
        [m.cell('第二十条第（八）项', cs=2, width=568)],
        [m.cell('信息内容', width=142),
         m.cell('本年收费金额（单位：万元）', width=426)],
        [m.cell('行政事业性收费'), m.cell(num(t2['fees']), number=True)],
    ]))
    return tabs


def t2_2021_one_table(m, t2):
    """Table 二 as one table with caption rows (the other common form)."""
    rows = [
        [m.cell('第二十条第（一）项', cs=4)],
        [m.cell('信息内容'), m.cell('本年制发件数'), m.cell('本年废止件数'),
         m.cell('现行有效件数')],
        [m.cell('规章')] + [m.cell(v, number=True) for v in t2['rules']],
        [m.cell('行政规范性文件')] + [m.cell(v, number=True)
                                 for v in t2['normative']],
        [m.cell('第二十条第（五）项', cs=4)],
        [m.cell('信息内容'), m.cell('本年处理决定数量', cs=3)],
        [m.cell('行政许可'), m.cell(t2['licensing'], cs=3, number=True)],
        [m.cell('第二十条第（六）项', cs=4)],
        [m.cell('信息内容'), m.cell('本年处理决定数量', cs=3)],
        [m.cell('行政处罚'), m.cell(t2['punishment'], cs=3, number=True)],
        [m.cell('行政强制'), m.cell(t2['coercion'], cs=3, number=True)],
        [m.cell('第二十条第（八）项', cs=4)],
        [m.cell('信息内容'), m.cell('本年收费金额（单位：万元）', cs=3)],
        [m.cell('行政事业性收费'), m.cell(t2['fees'], cs=3, number=True)],
    ]
    return m.table(rows)


def t2_2019_table(m):
    rows = []
    for cap, head, data in T2_2019_002:
        rows.append([m.cell(cap, cs=4)])
        hc = [m.cell(h) for h in head[:-1]]
        hc.append(m.cell(head[-1], cs=5 - len(head)))
        rows.append(hc)
        for label, vals in data:
            r = [m.cell(label)] + [m.cell(v, number=True) for v in vals[:-1]]
            r.append(m.cell(vals[-1], cs=5 - len(head), number=True))
            rows.append(r)
    # the empty row Word left at the end of the seed's table
    rows.append([m.cell('') for _ in range(4)])
    return m.table(rows)


NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）'


def t3_table(m, vals, rows=T3_ROWS_2021, subtotal=False, blank_total=False,
             split=None, spacer=None):
    """Table 三 with the official merged cells (domain.md 2.4).

    subtotal adds a 法人或其他组织小计 column after 其他; blank_total
    leaves the 总计 column empty (&nbsp;); split maps a label to Raw
    markup (labels split over spans)."""
    nleg = 6 if subtotal else 5
    lab = split or {}

    def L(text):
        return lab.get(text, text)

    def values(key):
        v = list(vals[key])
        if subtotal:
            sub = sum(int(x) for x in v[1:6])
            v = v[:6] + [str(sub)] + v[6:]
        if blank_total:
            v[-1] = ''
        return [m.cell(x, number=True) for x in v]

    heads = ['商业\n企业', '科研\n机构', '社会公益组织', '法律服务机构', '其他']
    if isinstance(m, Plain):
        heads = ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']
    if subtotal:
        heads.append('小计')
    out = [
        [m.cell(NOTE, rs=3, cs=3, width=236), m.cell(L('申请人情况'),
                                                     cs=nleg + 2)],
        [m.cell('自然人', rs=2), m.cell(L('法人或其他组织'), cs=nleg),
         m.cell('总计', rs=2)],
        [m.cell(h) for h in heads],
    ]
    keys = [k for k, _ in rows]
    label = dict(rows)
    n_results = keys.index('total') - keys.index('granted') + 1
    groups = {'denied_secret': ('（三）不予公开', 8),
              'unable_not_held': ('（四）无法提供', 3),
              'refused_petition': ('（五）不予处理', 5),
              'other_no_correction': ('（六）其他处理', 3)}
    for key in keys:
        r = []
        if key in ('new', 'carried_over', 'carried_forward'):
            r.append(m.cell(L(label[key]), cs=3))
        elif key == 'granted':
            r.append(m.cell(L('三、本年度办理结果'), rs=n_results))
            r.append(m.cell(L(label[key]), cs=2))
        elif key in ('partial', 'total', 'other'):
            r.append(m.cell(L(label[key]), cs=2))
        elif key in groups:
            g, n = groups[key]
            r.append(m.cell(L(g), rs=n))
            r.append(m.cell(L(label[key])))
        else:
            r.append(m.cell(L(label[key])))
        r.extend(values(key))
        out.append(r)
    return m.table(out, spacer=spacer)


T4_HEAD = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']


def t4_table(m, vals, first=None):
    data = [m.cell(v, number=True) for v in vals]
    if first is not None:
        data[0] = m.cell(first)
    return m.table([
        [m.cell('行政复议', cs=5), m.cell('行政诉讼', cs=10)],
        [m.cell(h, rs=2) for h in T4_HEAD] +
        [m.cell('未经复议直接起诉', cs=5), m.cell('复议后起诉', cs=5)],
        [m.cell(h) for h in T4_HEAD] + [m.cell(h) for h in T4_HEAD],
        data,
    ])


# ---------------------------------------------------------------- pages

def body_sections(m, seed, tables, heading2=None, images=None):
    """The report body: title lines, preamble, six sections, tables."""
    head, secs = seed_narrative(seed)
    out = []
    for h in head:
        # the title (possibly wrapped over two lines), then the preamble
        if len(h) < 40 and not h.endswith('。'):
            out.append(m.para(h, heading=True, indent=False, center=True))
        else:
            out.append(m.para(h))
    for n in range(1, 7):
        if n not in secs:
            continue
        heading, paras = secs[n]
        if n == 2 and heading2:
            heading = heading2
        out.append(m.para(heading, heading=True))
        for p in paras:
            out.append(m.para(p))
        if images and n in images:
            out.append(images[n])
        if n in tables:
            out.extend(tables[n] if isinstance(tables[n], list)
                       else [tables[n]])
        if n in (2, 3, 4) and isinstance(m, Word):
            out.append(m.para(''))
    return ''.join(out)


def meta_tags(d):
    out = []
    for k in ('SiteName', 'SiteDomain', 'SiteIDCode', 'ColumnName',
              'ColumnType', 'ArticleTitle', 'PubDate', 'ContentSource'):
        if k in d:
            out.append('<meta name="%s" content="%s">\n' % (k, d[k]))
    return ''.join(out)


def write(name, text, encoding='utf-8'):
    path = os.path.join(OUT, name)
    data = text.encode('utf-8')
    if encoding != 'utf-8':
        data = subprocess.run(['iconv', '-f', 'UTF-8', '-t', encoding],
                              input=data, check=True,
                              stdout=subprocess.PIPE).stdout
    with open(path, 'wb') as f:
        f.write(data)
    print('wrote %s (%d bytes)' % (path, len(data)))


SIDEBAR = '''<div class="xgxx">
<h3>相关信息</h3>
<ul>
<li><a href="../202401/t20240118_4512.html">2023年政府信息公开工作年度报告</a><span>2024-01-18</span></li>
<li><a href="../202301/t20230116_3977.html">2022年政府信息公开工作年度报告</a><span>2023-01-16</span></li>
<li><a href="../202201/t20220120_3301.html">2021年政府信息公开工作年度报告</a><span>2022-01-20</span></li>
</ul>
</div>
'''


def fixture_wordhtml():
    """Seed 003 as Word HTML in a TRS page (.TRS_Editor)."""
    m = Word()
    t2 = SEED_T2['003']
    split = {
        '（三）不予公开': Raw("<span style='font-size:10.5pt;font-family:宋体'>"
                          "（三）</span><span style='font-size:10.5pt;"
                          "font-family:宋体;mso-bidi-font-family:宋体'>不予"
                          "</span><span style='font-size:10.5pt'>公开</span>"),
        '一、本年新收政府信息公开申请数量': Raw(
            "<span style='font-size:10.5pt;font-family:宋体'>一、本年新收"
            "</span><span style='font-size:10.5pt;font-family:宋体;"
            "color:black'>政府信息公开</span><span style='font-size:10.5pt;"
            "font-family:宋体'>申请数量</span>"),
        '三、本年度办理结果': Raw(
            "<span style='font-size:10.5pt;font-family:宋体;"
            "layout-flow:vertical-ideographic'>三、本年度</span><span "
            "style='font-size:10.5pt;font-family:宋体'>办理结果</span>"),
        '法人或其他组织': Raw("<span style='font-size:10.5pt'>法人或</span>"
                        "<span style='font-size:10.5pt'>其他组织</span>"),
    }
    tables = {
        2: t2_2021_tables(m, t2, split_number=('4462', ('44', '62'))),
        3: t3_table(m, SEED_T3['003'], split=split,
                    spacer=[26, 26, 184, 47, 47, 47, 47, 47, 47, 47]),
        4: t4_table(m, SEED_T4['003'], first=Raw(
            "<span lang=EN-US style='font-size:10.5pt'><a name=\"_GoBack\">"
            "</a>1</span>")),
    }
    body = body_sections(m, '003', tables)
    title = '石台县人民政府2024年政府信息公开工作年度报告'
    page = '''<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<title>%(title)s_石台县人民政府</title>
%(meta)s<link rel="stylesheet" type="text/css" href="/images/xxgk_content.css" />
<script type="text/javascript" src="/images/jquery.min.js"></script>
<script type="text/javascript">
var pubDate = "2025-01-20";  /* 发布日期：2099-01-01 in a script is not the date */
</script>
</head>
<body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="石台县人民政府" /></div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="./">政府信息公开年报</a></div>
<div class="xxgk_table">
<table class="table_suoyin" cellpadding="0" cellspacing="0">
<tr><th>索&nbsp;&nbsp;引&nbsp;&nbsp;号：</th><td>003188519/202501-00012</td><th>信息分类：</th><td>政府信息公开年报</td></tr>
<tr><th>发布机构：</th><td>石台县人民政府办公室</td><th>生成日期：</th><td>2025-01-20</td></tr>
</table>
</div>
<div class="article">
<h1 class="title">%(title)s</h1>
<div class="info"><span>发布日期：2025-01-20</span>&nbsp;&nbsp;<span>来源：石台县人民政府办公室</span>&nbsp;&nbsp;<span>浏览次数：<script>document.write(1024)</script></span>&nbsp;&nbsp;<span class="font">字体：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</span></div>
<div class="TRS_Editor"><style type="text/css">
.TRS_Editor P{line-height:2;font-family:宋体;font-size:12pt;}.TRS_Editor DIV{line-height:2;font-family:宋体;font-size:12pt;}
</style>
<div class=WordSection1 style='layout-grid:15.6pt'>
%(body)s
<p class=MsoNormal align=right style='text-align:right;line-height:28.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>石台县人民政府办公室<span lang=EN-US><o:p></o:p></span></span></p>
<p class=MsoNormal align=right style='text-align:right;line-height:28.0pt'><span lang=EN-US style='font-size:16.0pt;font-family:仿宋_GB2312'>2025</span><span style='font-size:16.0pt;font-family:仿宋_GB2312'>年<span lang=EN-US>1</span>月<span lang=EN-US>20</span>日<span lang=EN-US><o:p></o:p></span></span></p>
</div>
</div>
<div class="fujian">附件：无</div>
</div>
%(sidebar)s<div class="footer"><p>主办：石台县人民政府办公室&nbsp;&nbsp;地址：石台县曙光西路8号</p><p>皖ICP备05001263号&nbsp;&nbsp;网站标识码：3417220001</p></div>
</body>
</html>
''' % dict(title=title, body=body, sidebar=SIDEBAR, meta=meta_tags({
        'SiteName': '石台县人民政府', 'SiteDomain': 'www.shitai.gov.cn',
        'SiteIDCode': '3417220001', 'ColumnName': '政府信息公开年报',
        'ColumnType': '信息公开年报', 'ArticleTitle': title,
        'PubDate': '2025-01-20 16:05', 'ContentSource': '石台县人民政府办公室',
    }))
    write('wordhtml_2021.html', page)


def hanweb_page(title, meta, date_line, body, charset='utf-8'):
    """An older Hanweb-style page laid out with tables; content in #zoom."""
    return '''<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=%(charset)s">
<title>%(title)s</title>
%(meta)s<style type="text/css">
.bt_content { font-size: 16px; line-height: 30px; }
</style>
<script language="javascript" src="/script/hanweb.js"></script>
</head>
<body leftmargin="0" topmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td height="120" background="/images/banner.jpg"><img src="/images/blank.gif" width="1" height="1"></td>
  </tr>
  <tr>
    <td class="nav"><a href="/">网站首页</a> | <a href="/col/col1/">政务公开</a> | <a href="/col/col2/">政务服务</a> | <a href="/col/col3/">互动交流</a></td>
  </tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td width="240" valign="top" class="left">
      <table width="100%%" border="0" cellspacing="0" cellpadding="0">
        <tr><td class="lm">信息公开指南</td></tr>
        <tr><td class="lm">信息公开制度</td></tr>
        <tr><td class="lm">法定主动公开内容</td></tr>
        <tr><td class="lm">信息公开年报</td></tr>
      </table>
    </td>
    <td width="760" valign="top">
      <table width="100%%" border="0" cellspacing="0" cellpadding="0">
        <tr><td class="title" align="center">%(title)s</td></tr>
        <tr><td align="center" class="info">%(date_line)s</td></tr>
        <tr>
          <td class="bt_content" id="zoom">
%(body)s
          </td>
        </tr>
        <tr><td align="right"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></td></tr>
      </table>
    </td>
  </tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr><td class="foot" align="center">主办单位：淄博市临淄区人民政府办公室　 承办单位：临淄区大数据中心<br>鲁ICP备05019382号　 网站标识码：3703050001</td></tr>
</table>
</body>
</html>
''' % dict(title=title, meta=meta, date_line=date_line, body=body,
           charset=charset)


def fixture_gbk():
    """Seed 001 in GBK, declared only by <meta http-equiv>."""
    m = Word()
    tables = {
        2: t2_2021_one_table(m, SEED_T2['001']),
        3: t3_table(m, SEED_T3['001']),
        4: t4_table(m, SEED_T4['001']),
    }
    title = '临淄区人民政府办公室2024年政府信息公开工作年度报告'
    body = body_sections(m, '001', tables)
    page = hanweb_page(
        title, meta_tags({'SiteName': '淄博市临淄区人民政府',
                          'ColumnName': '政府信息公开年报',
                          'ArticleTitle': title,
                          'PubDate': '2025-01-16 10:23:41'}),
        '发布时间:2025-01-16 10:23&nbsp;&nbsp;来源:区政府办公室&nbsp;&nbsp;'
        '浏览次数:<span id="hits">357</span>', body, charset='gb2312')
    write('gbk_meta.html', page, encoding='GB18030')


def fixture_2019():
    """Seed 002 (2019 format) in a table-layout page, no known container."""
    m = Plain()
    tables = {
        2: t2_2019_table(m),
        3: t3_table(m, SEED_T3['002'], rows=T3_ROWS_2019),
        4: t4_table_raw(m, T4_002_RAW),
    }
    title = '沂源县人民政府办公室2019年政府信息公开工作年度报告'
    body = body_sections(m, '002', tables)
    page = '''<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>%(title)s-沂源县人民政府</title>
%(meta)s</head>
<body>
<table class="layout" width="1000" align="center" cellspacing="0" cellpadding="0">
<tr><td class="top" colspan="2"><img src="/img/top.jpg" alt="沂源县人民政府"></td></tr>
<tr>
<td class="side" width="220" valign="top">
<ul class="sub-menu"><li><a href="#">政府信息公开指南</a></li><li><a href="#">政府信息公开制度</a></li><li><a href="#">政府信息公开年报</a></li><li><a href="#">依申请公开</a></li></ul>
</td>
<td class="main" valign="top">
<div class="tit">%(title)s</div>
<div class="sub">时间 : 2020-01-19 14:27:50&nbsp;&nbsp;&nbsp;来源 : 县政府办公室</div>
<div class="wenzhang">
%(body)s
</div>
</td>
</tr>
<tr><td class="bottom" colspan="2">版权所有：沂源县人民政府办公室 技术支持：沂源县大数据中心</td></tr>
</table>
</body>
</html>
''' % dict(title=title, body=body, meta=meta_tags({
        'SiteName': '沂源县人民政府', 'ColumnName': '政府信息公开年报',
        'ArticleTitle': title}))
    write('format2019.html', page)


def t4_table_raw(m, vals):
    return t4_table(m, vals)


def html5_page(title, meta, date_html, container_open, body,
               container_close='</div>'):
    return '''<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>%(title)s</title>
%(meta)s<link rel="stylesheet" href="/static/css/main.css">
</head>
<body>
<header class="top"><div class="site-name">沂源县人民政府</div><div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></header>
<nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjyy/">走进沂源</a></li></ul></nav>
<div class="wrap">
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="main-box">
<div class="left-menu"><h3>政府信息公开</h3><ul><li><a href="#">政府信息公开指南</a></li><li><a href="#">政府信息公开制度</a></li><li><a href="#">法定主动公开内容</a></li><li><a href="#">政府信息公开年报</a></li><li><a href="#">依申请公开</a></li></ul></div>
<div class="right-main">
<h1>%(title)s</h1>
%(date)s
%(open)s
%(body)s
%(close)s
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
</div>
</div>
</div>
<footer><p>主办：沂源县人民政府办公室 承办：沂源县大数据中心</p><p>网站标识码：3703230001 鲁ICP备05002317号</p></footer>
<script src="/static/js/jquery.min.js"></script>
<script>$(function(){ $(".share a").click(function(){ return false; }); });</script>
</body>
</html>
''' % dict(title=title, meta=meta, date=date_html, open=container_open,
           body=body, close=container_close)


def fixture_eight_columns():
    """Seed 000 numbers, table 三 with a 法人或其他组织小计 column."""
    m = Plain()
    tables = {
        2: t2_2021_one_table(m, SEED_T2['000']),
        3: t3_table(m, SEED_T3['000'], subtotal=True),
        4: t4_table(m, SEED_T4['000']),
    }
    title = '沂源县2024年政府信息公开工作年度报告'
    body = body_sections(m, '000', tables)
    page = html5_page(
        title, meta_tags({'SiteName': '沂源县人民政府',
                          'ColumnName': '政府信息公开年报',
                          'ArticleTitle': title,
                          'PubDate': '2025-03-18 09:12',
                          'ContentSource': '沂源县人民政府办公室'}),
        '<div class="art-info"><span>发布时间:2025年03月18日</span>'
        '<span>来源:沂源县人民政府办公室</span></div>',
        '<div class="txt-body">', body)
    write('eight_columns.html', page)


def fixture_blank_totals():
    """Seed 001 numbers with the 总计 column of table 三 left empty."""
    m = Plain()
    tables = {
        2: t2_2021_one_table(m, SEED_T2['001']),
        3: t3_table(m, SEED_T3['001'], blank_total=True),
        4: t4_table(m, SEED_T4['001']),
    }
    title = '临淄区人民政府办公室2024年政府信息公开工作年度报告'
    body = body_sections(m, '001', tables)
    page = html5_page(
        title, meta_tags({'SiteName': '淄博市临淄区人民政府',
                          'ColumnName': '政府信息公开年报',
                          'ArticleTitle': title,
                          'PubDate': '2025-01-21 08:30:12',
                          'ContentSource': '临淄区人民政府办公室'}),
        '<div class="art-info"><span>来源：临淄区人民政府办公室</span>'
        '<span>浏览：<em id="views">88</em></span></div>',
        '<div class="article-content">', body)
    write('blank_totals.html', page)


def fixture_images():
    """Seed 004's text with tables 二, 三 and 四 published as images."""
    m = Plain()

    def img(n, name):
        return ('<p style="text-align: center;"><img src="/u/cms/www/202501/'
                '%s.png" title="%s" alt="%s" width="650" height="%d" '
                'border="0"/></p>\n' % (name, name, name, 300 + 100 * n))
    images = {2: img(2, '表一主动公开政府信息情况'),
              3: img(3, '表二收到和处理政府信息公开申请情况'),
              4: img(4, '表三政府信息公开行政复议行政诉讼情况')}
    title = '沂源县西里镇人民政府2024年政府信息公开工作年度报告'
    body = body_sections(m, '004', {}, images=images)
    meta = meta_tags({'SiteName': '沂源县人民政府',
                      'ColumnName': '乡镇政府信息公开年报',
                      'ArticleTitle': title,
                      'PubDate': '2025-01-22 15:40',
                      'ContentSource': '西里镇人民政府'})
    date = ('<table class="xxgk-meta"><tr><td>索引号：</td><td>'
            '11371323004316745L/2025-00003</td><td>发文日期</td><td> '
            '2025-01-22</td></tr><tr><td>发布机构：</td><td>西里镇人民政府</td>'
            '<td>主题分类：</td><td>信息公开年报</td></tr></table>')
    page = html5_page(title, meta, date, '<div id="UCAP-CONTENT">', body)
    write('tables_as_images.html', page)


def fixture_t3_broken():
    """Seed 000 numbers with 自然人 予以公开 changed from 68 to 70."""
    m = Word()
    vals = {k: list(v) for k, v in SEED_T3['000'].items()}
    vals['granted'][0] = '70'
    tables = {
        2: t2_2021_tables(m, SEED_T2['000']),
        3: t3_table(m, vals),
        4: t4_table(m, SEED_T4['000']),
    }
    title = '沂源县人民政府2024年政府信息公开工作年度报告'
    body = body_sections(m, '000', tables)
    comment = '''<!--
  t3_broken.html: seed 000 (沂源县 2024) with ONE cell changed in table 三:
  t3.granted.natural 予以公开/自然人 is 70 here, 68 in the seed.
  Identities that fail because of it:
    T3.ROW     row （一）予以公开: 总计 68 != 自然人 70 + 0+0+0+0+0 = 70
    T3.RESULTS column 自然人: （七）总计 97 != 70+18+10+1 = 99
  Identities that still hold:
    T3.BALANCE 自然人: 一 100 + 二 3 = 103 = （七）97 + 四 6
    T3.RESULTS 总计: 98 = 68+18+11+1; every other row and column; T4.SUM.
-->
'''
    page = comment + html5_page(
        title, meta_tags({'SiteName': '沂源县人民政府',
                          'ColumnName': '政府信息公开年报',
                          'ArticleTitle': title,
                          'PubDate': '2025-03-25 14:06',
                          'ContentSource': '沂源县人民政府办公室'}),
        '<div class="art-info">发布日期：2025-03-25 14:06&nbsp;&nbsp;'
        '信息来源：沂源县人民政府办公室</div>',
        '<div class="pages_content">',
        body)
    write('t3_broken.html', page)


def main():
    check_all()
    fixture_wordhtml()
    fixture_gbk()
    fixture_2019()
    fixture_eight_columns()
    fixture_blank_totals()
    fixture_images()
    fixture_t3_broken()


if __name__ == '__main__':
    main()
