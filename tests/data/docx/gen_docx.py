#!/usr/bin/env python3
"""Writes DOCX files for the DOCX reader's tests (python3 stdlib only).

  gen_docx.py seed SEED.txt OUT.docx   a seed (Word "save as text", one
                                       cell per line) as the Word document
                                       it was exported from
  gen_docx.py bad OUTDIR               the malformed archives of docx.sh

From a seed, every paragraph becomes a w:p and every table a w:tbl with
the merged cells and column widths Word writes for the official layout
(see the blank 2021 template in ../shared/fixtures/real/): table 三's note cell gridSpan 3 +
vMerge over the three header rows, 自然人/总计 vMerge, the 三、本年度办理结果
and (三)…(六) labels vMerge restart/continue down their groups; table 四's
three-row header with gridSpan 5 and vMerge; table 二's 第二十条 rows with
gridSpan over the table.  A seed's table 四 whose labels wrapped into
stray lines (seed 001) is rebuilt with the official labels around the
seed's 15 numbers.  Word's own noise is added where it does not change
the text: runs split inside labels, bookmarks, proofErr marks, a deleted
run (w:del, must not be read), an inserted one (w:ins, must be), and
hyperlinks.  The numbers are the seed's, always.
"""
import io
import os
import re
import sys
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BLANK = " \t\r\u3000\xa0\ufeff"
MARK = re.compile(r"\[bookmark: ([^\]]*)\]")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '</Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '</Relationships>')


def core(title):
    t = "<dc:title>%s</dc:title>" % escape(title) if title else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/'
            'dc/elements/1.1/">%s<dc:creator>gen_docx</dc:creator>'
            '</cp:coreProperties>' % t)


def document(body):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="%s" xmlns:r="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships"><w:body>%s<w:sectPr>'
            '<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body>'
            '</w:document>' % (W_NS, body))


def write_docx(path, body, title=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("docProps/core.xml", core(title))
        z.writestr("word/document.xml", document(body))


# ---- seed text -> blocks (the same reading as parse/text.c) ----

def read_seed(path):
    blocks, table, row, last_cell = [], None, None, False
    for line in open(path, encoding="utf-8").read().split("\n"):
        line = line.rstrip("\r")
        if line.startswith("\t"):
            if table is None:
                table = []
                blocks.append(("table", table))
            if row is None:
                row = []
                table.append(row)
            for c in line[1:].split("\t"):
                row.append(c.strip(BLANK))
            last_cell = True
        elif line.strip(BLANK) == "":
            row, last_cell = None, False
        elif last_cell and row is not None:
            row[-1] = row[-1] + "\n" + line.strip(BLANK)
        else:
            table, row, last_cell = None, None, False
            blocks.append(("p", line.strip(BLANK)))
    return blocks


# ---- XML of runs, paragraphs, cells ----

RPR = '<w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/><w:sz w:val="21"/></w:rPr>'
noise = {"n": 0}


def runs(text):
    """One line of text as runs, with Word's noise (text unchanged)."""
    out = []
    m = MARK.match(text)
    if m:
        out.append('<w:bookmarkStart w:id="%d" w:name="%s"/>'
                   % (noise["n"], escape(m.group(1))))
        text = text[m.end():]
    noise["n"] += 1
    k = noise["n"]
    if len(text) >= 4 and k % 3 == 0:
        # a label split over runs, with a spell-check mark between
        h = len(text) // 2
        out.append('<w:r>%s<w:t>%s</w:t></w:r><w:proofErr w:type="gramStart"/>'
                   '<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>'
                   % (RPR, escape(text[:h]), RPR, escape(text[h:])))
    elif len(text) >= 2 and k % 7 == 1:
        # tracked changes: a deleted run (not read) and an inserted one
        h = len(text) // 2
        out.append('<w:r><w:t>%s</w:t></w:r><w:del w:id="9%d" w:author="a">'
                   '<w:r><w:delText>删除的9999</w:delText></w:r></w:del>'
                   '<w:ins w:id="8%d" w:author="a"><w:r><w:t>%s</w:t></w:r>'
                   '</w:ins>' % (escape(text[:h]), k, k, escape(text[h:])))
    elif len(text) >= 2 and k % 11 == 5:
        out.append('<w:hyperlink w:anchor="_top"><w:r><w:t>%s</w:t></w:r>'
                   '</w:hyperlink>' % escape(text))
    elif text:
        out.append('<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>'
                   % (RPR, escape(text)))
    if m:
        out.append('<w:bookmarkEnd w:id="%d"/>' % (noise["n"] - 1))
    return "".join(out)


def para(text):
    return "<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>%s</w:p>" % runs(text)


def cell(text, span=1, vmerge=None, br=False):
    """A w:tc; lines of text are paragraphs (or w:br lines when br)."""
    pr = '<w:tcW w:w="%d" w:type="dxa"/>' % (685 * span)
    if span > 1:
        pr += '<w:gridSpan w:val="%d"/>' % span
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        pr += '<w:vMerge/>' if noise["n"] % 2 else '<w:vMerge w:val="continue"/>'
    lines = text.split("\n") if text else [""]
    if br and len(lines) > 1:
        inner = "<w:r><w:br/></w:r>".join(runs(ln) for ln in lines)
        ps = "<w:p>%s</w:p>" % inner
    else:
        ps = "".join(para(ln) if ln else "<w:p/>" for ln in lines)
    return "<w:tc><w:tcPr>%s</w:tcPr>%s</w:tc>" % (pr, ps)


# Column widths (twips) of the blank 2021 template's three tables, as Word
# lays them out: table 二 four equal columns, table 三 its three label
# columns and 685 a value, table 四 fifteen of about 650.  Word and
# LibreOffice honour the grid, so these decide how labels wrap in a PDF.
T2_WIDTH = 9740
T3_LABELS = [754, 921, 3271]
T3_VALUE = 685
T4_COL = 650


def table(rows, widths):
    grid = "".join('<w:gridCol w:w="%d"/>' % w for w in widths)
    trs = "".join("<w:tr><w:trPr><w:jc w:val=\"center\"/></w:trPr>%s</w:tr>"
                  % "".join(r) for r in rows)
    return ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout '
            'w:type="fixed"/></w:tblPr><w:tblGrid>%s</w:tblGrid>%s</w:tbl>'
            % (grid, trs))


# ---- the three kinds of report table ----

def is_num(s):
    return re.fullmatch(r"-?[0-9][0-9,.]*", s.strip(BLANK)) is not None


def table2(rows):
    """Table 二: 第二十条 rows span the table; a short row's last cell fills."""
    width = max(len(r) for r in rows if any(c for c in r))
    out = []
    for r in rows:
        if not any(c for c in r):
            out.append([cell("") for _ in range(width)])
            continue
        r = r[:width]
        tcs = [cell(c) for c in r[:-1]]
        tcs.append(cell(r[-1], span=width - len(r) + 1))
        out.append(tcs)
    return table(out, [T2_WIDTH // width] * width)


def table3(rows):
    """
    Table 三: the three header rows as in the template, then the data rows:
    leading empty cells continue the vMerge of the label above them, the
    last label spans the rest of the three label columns.
    """
    nvals = max(len(r) for r in rows) - 3
    first = next((i for i, r in enumerate(rows)
                  if r and MARK.sub("", r[0]).startswith("一、")), 3)
    out = []
    # header: note 3x3, 申请人情况; 自然人 / 法人或其他组织 / 总计; the kinds
    h0, h1, h2 = rows[0], rows[1], rows[2]
    out.append([cell(h0[0], 3, "restart"), cell(h0[-1], nvals)])
    out.append([cell("", 3, "continue"), cell(h1[1], 1, "restart"),
                cell(h1[2], nvals - 2), cell(h1[3], 1, "restart")])
    kinds = h2[2:-1]
    out.append([cell("", 3, "continue"), cell("", 1, "continue")] +
               [cell(k) for k in kinds] + [cell("", 1, "continue")])
    # data rows: where each label cell starts, to mark vMerge restarts
    layout = []
    for r in rows[first:]:
        vals = r[len(r) - nvals:]
        labels = r[:len(r) - nvals]
        lead = 0
        while lead < len(labels) and labels[lead] == "":
            lead += 1
        layout.append((lead, labels[lead:], vals))
    for i, (lead, labels, vals) in enumerate(layout):
        nxt = layout[i + 1][0] if i + 1 < len(layout) else 0
        tcs = [cell("", 1, "continue") for _ in range(lead)]
        col = lead
        for j, lab in enumerate(labels):
            span = 1 if j < len(labels) - 1 else 3 - col
            restart = "restart" if col < nxt and span == 1 else None
            tcs.append(cell(lab, span, restart))
            col += span
        tcs += [cell(v) for v in vals]
        out.append(tcs)
    return table(out, T3_LABELS + [T3_VALUE] * nvals)


T4_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def table4(values, labels=None):
    """Table 四: the official three-row header, then the 15 numbers."""
    labels = labels or T4_LABELS
    out = [[cell("行政复议", 5), cell("行政诉讼", 10)],
           [cell(l, 1, "restart", br=True) for l in labels] +
           [cell("未经复议直接起诉", 5), cell("复议后起诉", 5)],
           [cell("", 1, "continue") for _ in range(5)] +
           [cell(l, br=True) for l in T4_LABELS * 2],
           [cell(v) for v in values]]
    return table(out, [T4_COL] * 15)


def seed_body(blocks):
    body, i = [], 0
    while i < len(blocks):
        kind, v = blocks[i]
        i += 1
        if kind == "p":
            if v:
                body.append(para(v))
            continue
        text = "".join("".join(r) for r in v)
        if "申请人情况" in text:
            body.append(table3(v))
        elif v[0] and v[0][0] == "行政复议":
            # table 四, perhaps broken into fragments by wrapped labels
            values = labels = None
            while True:
                for r in v:
                    if len(r) == 15 and all(is_num(MARK.sub("", c)) for c in r):
                        values = r
                    elif len(r) == 7:
                        labels = r[:5]
                if values is not None or i >= len(blocks):
                    break
                kind, v = blocks[i]
                i += 1
                while kind == "p" and i < len(blocks):
                    kind, v = blocks[i]
                    i += 1
                if kind != "table":
                    break
            if values is None:
                raise SystemExit("table 四 without its 15 numbers")
            body.append(table4(values, labels))
        else:
            body.append(table2(v))
    return "".join(body)


def gen_seed(src, dst):
    blocks = read_seed(src)
    title = next((v for k, v in blocks if k == "p" and "报告" in v), None)
    write_docx(dst, seed_body(blocks), title)


# ---- malformed archives ----

def gen_bad(outdir):
    os.makedirs(outdir, exist_ok=True)
    good = os.path.join(outdir, "good.docx")
    write_docx(good, para("一、总体情况") + para("正文"), "好")
    data = open(good, "rb").read()
    # truncated: the central directory is gone
    open(os.path.join(outdir, "truncated.docx"), "wb").write(data[:len(data) // 2])
    # a zip bomb: 1 GB of zeros as word/document.xml (about 1 MB deflated)
    with zipfile.ZipFile(os.path.join(outdir, "bomb.docx"), "w",
                         zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(1024):
                f.write(chunk)
    # a bomb whose headers lie: 100 MB of '<' declared as 1000 bytes
    path = os.path.join(outdir, "liar.docx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w") as f:
            chunk = b"<" * (1 << 20)
            for _ in range(100):
                f.write(chunk)
    raw = bytearray(open(path, "rb").read())
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        p = raw.find(sig)
        raw[p + off:p + off + 4] = (1000).to_bytes(4, "little")
    open(path, "wb").write(bytes(raw))
    # billion laughs in word/document.xml
    lol = ('<?xml version="1.0"?>\n<!DOCTYPE w:document [\n'
           '<!ENTITY lol "lol">\n' +
           "".join('<!ENTITY lol%d "%s">\n' % (n, ("&lol%s;" % ("" if n == 1 else n - 1)) * 10)
                   for n in range(1, 10)) +
           ']>\n<w:document xmlns:w="%s"><w:body><w:p><w:r><w:t>&lol9;'
           '</w:t></w:r></w:p></w:body></w:document>' % W_NS)
    with zipfile.ZipFile(os.path.join(outdir, "laughs.docx"), "w",
                         zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", lol)
    # a ZIP that is no Word document, and an Excel workbook
    with zipfile.ZipFile(os.path.join(outdir, "noword.zip"), "w") as z:
        z.writestr("readme.txt", "hello")
    with zipfile.ZipFile(os.path.join(outdir, "book.xlsx"), "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", "<workbook/>")
    # not well-formed XML
    with zipfile.ZipFile(os.path.join(outdir, "badxml.docx"), "w") as z:
        z.writestr("word/document.xml", '<?xml version="1.0"?>\n<w:document '
                   'xmlns:w="%s"><w:body><w:p></w:body>' % W_NS)
    # a Word 97 file: the OLE header, then junk, then a directory entry
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    ent = bytearray(128)
    name = "WordDocument".encode("utf-16-le")
    ent[:len(name)] = name
    ent[64:66] = (len(name) + 2).to_bytes(2, "little")
    ent[66] = 2
    ole += ent + bytes(range(256)) * 4
    open(os.path.join(outdir, "old.doc"), "wb").write(bytes(ole))
    os.unlink(good)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "seed":
        gen_seed(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "bad":
        gen_bad(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
