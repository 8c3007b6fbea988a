/*
 * Unit tests for the HTML reader (parse/html.c) and the date helpers
 * (parse/date.c): the span-expanded grid, paragraphs as a browser shows
 * them, page metadata and dates, the content container, hostile markup,
 * and the golden fixtures of tests/data/html read end to end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "buf.h"
#include "date.h"
#include "parse.h"
#include "record.h"
#include "util.h"
#include "xmalloc.h"

static struct doc *
read_html(const char *s)
{
	struct doc *d = NULL;
	char *cause = NULL;

	if (html_read(s, strlen(s), &d, &cause) != 0)
		fail_msg("html_read: %s", cause);
	assert_non_null(d);
	assert_string_equal(d->reader, "html");
	return d;
}

/* The i-th block of a kind (0-based), or NULL. */
static struct doc_block *
nth(struct doc *d, enum block_kind kind, size_t i)
{
	size_t j;

	for (j = 0; j < d->nblocks; j++)
		if (d->blocks[j].kind == kind && i-- == 0)
			return &d->blocks[j];
	return NULL;
}

static size_t
count(struct doc *d, enum block_kind kind)
{
	size_t j, n = 0;

	for (j = 0; j < d->nblocks; j++)
		n += d->blocks[j].kind == kind;
	return n;
}

static struct doc_table *
table(struct doc *d, size_t i)
{
	struct doc_block *b = nth(d, BLOCK_TABLE, i);

	assert_non_null(b);
	return b->table;
}

static struct doc_cell *
cell(struct doc_table *t, size_t r, size_t c)
{
	assert_true(r < t->nrows);
	assert_true(t->rows[r].ncells <= t->ncols);
	assert_true(c < t->rows[r].ncells);
	return &t->rows[r].cells[c];
}

static const char *
text(struct doc *d, size_t i)
{
	struct doc_block *b = nth(d, BLOCK_TEXT, i);

	assert_non_null(b);
	return b->text;
}

/* ---- dates ---- */

static void
expect_date(const char *s, const char *want)
{
	char out[DATE_MAX];
	int rc = date_parse(s, out, NULL);

	if (want == NULL) {
		assert_int_equal(rc, -1);
		assert_string_equal(out, "");
	} else {
		assert_int_equal(rc, 0);
		assert_string_equal(out, want);
	}
}

static void
expect_found(const char *s, const char *want)
{
	char out[DATE_MAX];
	int rc = date_find_labeled(s, out);

	if (want == NULL)
		assert_int_equal(rc, -1);
	else {
		assert_int_equal(rc, 0);
		assert_string_equal(out, want);
	}
}

static void
test_date_parse(void **state)
{
	const char *end;
	char out[DATE_MAX];

	expect_date("2025-01-15 14:06", "2025-01-15 14:06");
	expect_date("2025-01-22 14:27:50", "2025-01-22 14:27:50");
	expect_date("2021/11/02 09:08", "2021-11-02 09:08");
	expect_date("2008年06月11日", "2008-06-11");
	expect_date("2025年1月5日 8:05", "2025-01-05 08:05");
	expect_date("2025年1月5日14时06分", "2025-01-05 14:06");
	expect_date("2018.02.26", "2018-02-26");
	expect_date("２０２５－０１－２０", "2025-01-20");
	expect_date("2025-01-20T09:30:00+08:00", "2025-01-20 09:30:00");
	expect_date("2025-01-20\xc2\xa0" "09:30", "2025-01-20 09:30");
	expect_date("2024-02-29", "2024-02-29");
	/* not dates */
	expect_date("2023-02-29", NULL);
	expect_date("2025-13-01", NULL);
	expect_date("2025-01-32", NULL);
	expect_date("2025-01/20", NULL);
	expect_date("20250-01-20", NULL);
	expect_date("2025-01-201", NULL);
	expect_date("1800-01-01", NULL);
	expect_date("2025年", NULL);
	expect_date("", NULL);
	/* a bad time leaves the date */
	expect_date("2025-01-20 25:00", "2025-01-20");
	expect_date("2025-01-20 14:6", "2025-01-20");
	/* end points past what was read */
	assert_int_equal(date_parse("2025-01-20 来源", out, &end), 0);
	assert_string_equal(end, " 来源");
}

static void
test_date_labels(void **state)
{
	expect_found("首页 发布日期：2025-01-15 14:06 来源：本网",
	    "2025-01-15 14:06");
	expect_found("发布时间:2021-11-02 09:08 来源:中国政府网",
	    "2021-11-02 09:08");
	expect_found("时间 : 2025-01-22 14:27:50 来源 : 本网",
	    "2025-01-22 14:27:50");
	expect_found("发布时间:2008年06月11日", "2008-06-11");
	expect_found("索引号 x 发文日期 2018-02-26 发布机构", "2018-02-26");
	expect_found("来源:区人民政府办公室 时间:2017-01-12 10:01",
	    "2017-01-12 10:01");
	/* a label with a value in the next table cell */
	expect_found("发布日期\n \t2025-01-20", "2025-01-20");
	/* the strong label wins over an earlier weak one */
	expect_found("时间：2024-12-31 发布日期：2025-01-20", "2025-01-20");
	/* 成文日期 is not the publication date; 时间 inside a word is not a
	 * label */
	expect_found("成文日期：2024-12-30", NULL);
	expect_found("在规定时间2025-01-01内", NULL);
	expect_found("发布时间不及时，2025-01-01", NULL);
	expect_found("统计期限为2024年1月1日至12月31日", NULL);
	expect_found("", NULL);
}

/* ---- paragraphs ---- */

static void
test_paragraphs(void **state)
{
	struct doc *d;

	d = read_html("<body><p class=MsoNormal><b><span style='font-family:"
	    "黑体'>二、主动公开</span><span>政府信息情况</span></b></p>"
	    "<p class=MsoNormal><span>本年度共</span><span lang=EN-US>2"
	    "</span><span lang=EN-US>023</span><span>件<o:p></o:p></span></p>"
	    "<div>一行<br>二行<br/><br>三行</div>"
	    "<h2>三、收到和处理政府信息公开申请情况</h2>正文紧跟标题"
	    "<ul><li>甲</li><li>乙</li></ul>"
	    "<p>&nbsp;</p><p> \xe3\x80\x80 </p>"
	    "<script>document.write('脚本')</script><style>p{}</style>"
	    "<!-- 注释 --><p>a  b\n c</p><p>中文\n续行</p>"
	    "<p>\xe3\x80\x80\xe3\x80\x80首行缩进</p></body>");
	assert_string_equal(text(d, 0), "二、主动公开政府信息情况");
	assert_string_equal(text(d, 1), "本年度共2023件");
	assert_string_equal(text(d, 2), "一行");
	assert_string_equal(text(d, 3), "二行");
	assert_string_equal(text(d, 4), "三行");
	assert_string_equal(text(d, 5), "三、收到和处理政府信息公开申请情况");
	assert_string_equal(text(d, 6), "正文紧跟标题");
	assert_string_equal(text(d, 7), "甲");
	assert_string_equal(text(d, 8), "乙");
	assert_string_equal(text(d, 9), "a b c");
	assert_string_equal(text(d, 10), "中文续行");
	assert_string_equal(text(d, 11), "首行缩进");
	assert_int_equal(count(d, BLOCK_TEXT), 12);
	assert_int_equal(d->nblocks, 12);
	doc_free(d);

	/* NBSP inside text is kept; a <pre> keeps its lines */
	d = read_html("<p>a&nbsp;b</p><pre>x\ny</pre>");
	assert_string_equal(text(d, 0), "a\xc2\xa0" "b");
	assert_string_equal(text(d, 1), "x");
	assert_string_equal(text(d, 2), "y");
	doc_free(d);
}

static void
test_images(void **state)
{
	struct doc *d;

	d = read_html("<body><p>二、主动公开政府信息情况</p>"
	    "<p><img src=\"/u/t2.png\" alt=\"表二\"></p>"
	    "<p>三、收到和处理政府信息公开申请情况</p><img src=\"/u/t3.jpg\">"
	    "<img src=\"icon.gif\" width=16 height=16>"
	    "<table><tr><td><img src=x.png></td><td>1</td></tr></table>"
	    "</body>");
	assert_int_equal(d->nblocks, 5);
	assert_int_equal(d->blocks[1].kind, BLOCK_IMAGE);
	assert_string_equal(d->blocks[1].text, "表二");
	assert_int_equal(d->blocks[3].kind, BLOCK_IMAGE);
	assert_string_equal(d->blocks[3].text, "/u/t3.jpg");
	assert_int_equal(d->blocks[4].kind, BLOCK_TABLE);
	assert_int_equal(d->blocks[4].table->images, 1);
	assert_string_equal(cell(d->blocks[4].table, 0, 0)->text, "");
	doc_free(d);
}

/* ---- tables ---- */

static void
test_grid_spans(void **state)
{
	struct doc *d;
	struct doc_table *t;
	struct doc_cell *c;

	d = read_html("<table>"
	    "<tr><td rowspan=2 colspan=2>A</td><td colspan=3>B</td></tr>"
	    "<tr><td>1</td><td>&nbsp;</td><td> <p>&nbsp;</p> </td></tr>"
	    "<tr><td>x</td><td colspan=2>y</td></tr>"
	    "<tr><td>short</td></tr>"
	    "</table>");
	t = table(d, 0);
	assert_int_equal(t->nrows, 4);
	assert_int_equal(t->ncols, 5);
	c = cell(t, 0, 0);
	assert_string_equal(c->text, "A");
	assert_int_equal(c->copy, 0);
	/* every copy of A: same id, copy = 1, same text */
	assert_int_equal(cell(t, 0, 1)->id, c->id);
	assert_int_equal(cell(t, 0, 1)->copy, 1);
	assert_int_equal(cell(t, 1, 0)->id, c->id);
	assert_int_equal(cell(t, 1, 1)->id, c->id);
	assert_int_equal(cell(t, 1, 1)->copy, 1);
	assert_string_equal(cell(t, 1, 1)->text, "A");
	assert_string_equal(cell(t, 0, 2)->text, "B");
	assert_int_equal(cell(t, 0, 4)->id, cell(t, 0, 2)->id);
	assert_string_equal(cell(t, 1, 2)->text, "1");
	/* &nbsp; cells are empty */
	assert_string_equal(cell(t, 1, 3)->text, "");
	assert_string_equal(cell(t, 1, 4)->text, "");
	assert_int_equal(cell(t, 1, 3)->copy, 0);
	assert_string_equal(cell(t, 2, 1)->text, "y");
	assert_string_equal(cell(t, 2, 2)->text, "y");
	assert_int_equal(cell(t, 2, 2)->id, cell(t, 2, 1)->id);
	assert_int_equal(cell(t, 2, 2)->copy, 1);
	/* a short row stays short: its values stay rightmost */
	assert_int_equal(t->rows[2].ncells, 3);
	assert_string_equal(cell(t, 3, 0)->text, "short");
	assert_int_equal(t->rows[3].ncells, 1);
	doc_free(d);

	/* a slot left of a rowspan copy that no cell fills: id -1 */
	d = read_html("<table><tr><td>a</td><td>b</td><td rowspan=2>c</td>"
	    "</tr><tr><td>d</td></tr></table>");
	t = table(d, 0);
	assert_int_equal(t->rows[1].ncells, 3);
	assert_string_equal(cell(t, 1, 0)->text, "d");
	assert_string_equal(cell(t, 1, 1)->text, "");
	assert_int_equal(cell(t, 1, 1)->id, -1);
	assert_int_equal(cell(t, 1, 1)->copy, 0);
	assert_string_equal(cell(t, 1, 2)->text, "c");
	assert_int_equal(cell(t, 1, 2)->copy, 1);
	doc_free(d);

	/* ids are unique per source cell across the document */
	d = read_html("<table><tr><td>a</td><td>b</td></tr></table>"
	    "<table><tr><td>c</td></tr></table>");
	assert_true(cell(table(d, 0), 0, 0)->id != cell(table(d, 0), 0, 1)->id);
	assert_true(cell(table(d, 1), 0, 0)->id != cell(table(d, 0), 0, 0)->id);
	assert_true(cell(table(d, 1), 0, 0)->id != cell(table(d, 0), 0, 1)->id);
	doc_free(d);
}

/* Table 三's label columns: rowspan 22, and 8/3/5/3 groups. */
static void
test_grid_table3(void **state)
{
	static const int groups[] = { 8, 3, 5, 3 };
	struct buf b;
	struct doc *d;
	struct doc_table *t;
	int g, i, r, c;

	buf_init(&b, 0);
	buf_adds(&b, "<table><tr><td rowspan=3 colspan=3>勾稽</td>"
	    "<td colspan=7>申请人情况</td></tr><tr><td rowspan=2>自然人</td>"
	    "<td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr><tr>"
	    "<td>商业企业</td><td>科研机构</td><td>社会公益组织</td>"
	    "<td>法律服务机构</td><td>其他</td></tr>");
	buf_adds(&b, "<tr><td colspan=3>一、本年新收</td>");
	for (c = 0; c < 7; c++)
		buf_addf(&b, "<td>%d</td>", c);
	buf_adds(&b, "</tr><tr><td rowspan=22>三、本年度办理结果</td>"
	    "<td colspan=2>（一）予以公开</td>");
	for (c = 0; c < 7; c++)
		buf_adds(&b, "<td>0</td>");
	buf_adds(&b, "</tr><tr><td colspan=2>（二）部分公开</td>");
	for (c = 0; c < 7; c++)
		buf_adds(&b, "<td>0</td>");
	buf_adds(&b, "</tr>");
	for (g = 0; g < 4; g++) {
		for (i = 0; i < groups[g]; i++) {
			buf_adds(&b, "<tr>");
			if (i == 0)
				buf_addf(&b, "<td rowspan=%d>组%d</td>",
				    groups[g], g);
			buf_addf(&b, "<td>%d.项</td>", i + 1);
			for (c = 0; c < 7; c++)
				buf_adds(&b, "<td>0</td>");
			buf_adds(&b, "</tr>");
		}
	}
	buf_adds(&b, "<tr><td colspan=2>（七）总计</td>");
	for (c = 0; c < 7; c++)
		buf_adds(&b, "<td>9</td>");
	buf_adds(&b, "</tr><tr><td colspan=3>四、结转下年度继续办理</td>");
	for (c = 0; c < 7; c++)
		buf_adds(&b, "<td>0</td>");
	buf_adds(&b, "</tr></table>");
	d = read_html(b.data);
	buf_release(&b);

	t = table(d, 0);
	assert_int_equal(t->nrows, 3 + 1 + 22 + 1);
	assert_int_equal(t->ncols, 10);
	/* the 三、本年度办理结果 cell and its 21 copies */
	assert_string_equal(cell(t, 4, 0)->text, "三、本年度办理结果");
	assert_int_equal(cell(t, 4, 0)->copy, 0);
	for (r = 5; r < 26; r++) {
		assert_int_equal(cell(t, r, 0)->id, cell(t, 4, 0)->id);
		assert_int_equal(cell(t, r, 0)->copy, 1);
		assert_int_equal(cell(t, r, 1)->copy || r == 6 || r == 14 ||
		    r == 17 || r == 22 || r == 5 || r == 25, 1);
	}
	/* every row ends with its seven values in the last seven columns */
	assert_string_equal(cell(t, 3, 3)->text, "0");
	assert_string_equal(cell(t, 3, 9)->text, "6");
	assert_string_equal(cell(t, 25, 2)->text, "（七）总计");
	assert_string_equal(cell(t, 25, 9)->text, "9");
	assert_string_equal(cell(t, 26, 0)->text, "四、结转下年度继续办理");
	assert_int_equal(cell(t, 26, 0)->copy, 0);
	/* group 组0 spans 8 rows: 6..13; 8.项 sits in row 13 */
	assert_string_equal(cell(t, 6, 1)->text, "组0");
	assert_int_equal(cell(t, 13, 1)->id, cell(t, 6, 1)->id);
	assert_string_equal(cell(t, 13, 2)->text, "8.项");
	assert_string_equal(cell(t, 14, 1)->text, "组1");
	assert_string_equal(cell(t, 24, 2)->text, "3.项");
	/* header: 自然人 and 总计 span two rows */
	assert_int_equal(cell(t, 2, 3)->id, cell(t, 1, 3)->id);
	assert_int_equal(cell(t, 2, 9)->id, cell(t, 1, 9)->id);
	assert_string_equal(cell(t, 2, 8)->text, "其他");
	doc_free(d);
}

static void
test_cell_text(void **state)
{
	struct doc *d;
	struct doc_table *t;

	d = read_html("<table><tr>"
	    "<td><p class=MsoNormal><span>（三）</span><span>不予</span>"
	    "公开<o:p></o:p></p></td>"
	    "<td><p>商业</p><p>企业</p></td>"
	    "<td>科研<br>机构</td>"
	    "<td><span lang=EN-US>44</span><span lang=EN-US>62</span></td>"
	    "<td><a name=\"_GoBack\"></a>1</td>"
	    "<td>\n  <p>&nbsp;</p>\n  <p>12</p>\n </td>"
	    "<td><table><tr><td>内</td><td>表</td></tr><tr><td>二</td></tr>"
	    "</table></td>"
	    "</tr></table>");
	assert_int_equal(count(d, BLOCK_TABLE), 1);
	t = table(d, 0);
	assert_string_equal(cell(t, 0, 0)->text, "（三）不予公开");
	assert_string_equal(cell(t, 0, 1)->text, "商业\n企业");
	assert_string_equal(cell(t, 0, 2)->text, "科研\n机构");
	assert_string_equal(cell(t, 0, 3)->text, "4462");
	assert_string_equal(cell(t, 0, 4)->text, "1");
	assert_string_equal(cell(t, 0, 5)->text, "12");
	/* a nested table is flattened into its cell */
	assert_string_equal(cell(t, 0, 6)->text, "内\n表\n二");
	doc_free(d);
}

static void
test_table_sections(void **state)
{
	struct doc *d;
	struct doc_table *t;

	/* <tfoot> first in the source renders last; rowspans stop at the
	 * end of their row group; empty rows are skipped */
	d = read_html("<table><caption>表 三</caption>"
	    "<tfoot><tr><td>foot</td><td>f</td></tr></tfoot>"
	    "<thead><tr><td rowspan=5>head</td><td>h</td></tr></thead>"
	    "<tbody><tr><td>a</td><td>1</td></tr><tr></tr>"
	    "<tr><td></td><td> </td></tr>"
	    "<tr><td rowspan=0>b</td><td rowspan=x>2</td></tr>"
	    "<tr><td>c</td><td colspan=-3>3</td></tr></tbody></table>");
	t = table(d, 0);
	assert_int_equal(t->nrows, 5);
	assert_int_equal(t->ncols, 2);
	assert_string_equal(cell(t, 0, 0)->text, "head");
	assert_string_equal(cell(t, 1, 0)->text, "a");
	assert_int_equal(cell(t, 1, 0)->copy, 0);
	assert_string_equal(cell(t, 2, 0)->text, "b");
	assert_string_equal(cell(t, 3, 0)->text, "c");
	assert_int_equal(cell(t, 3, 0)->copy, 0);
	assert_string_equal(cell(t, 3, 1)->text, "3");
	assert_string_equal(cell(t, 4, 0)->text, "foot");
	/* the caption is a paragraph before the table */
	assert_int_equal(d->blocks[0].kind, BLOCK_TEXT);
	assert_string_equal(d->blocks[0].text, "表 三");
	doc_free(d);
}

/* Table 二 as four <table>s, table 三 split over two: successive blocks. */
static void
test_split_tables(void **state)
{
	struct doc *d;

	d = read_html("<div id=zoom><p>二、主动公开政府信息情况</p>"
	    "<table><tr><td colspan=4>第二十条第（一）项</td></tr></table>"
	    "<table><tr><td colspan=2>第二十条第（五）项</td></tr></table>"
	    "<table><tr><td colspan=2>第二十条第（六）项</td></tr></table>"
	    "<table><tr><td colspan=2>第二十条第（八）项</td></tr></table>"
	    "<p>三、收到和处理政府信息公开申请情况</p>"
	    "<table><tr><td>一、本年新收</td><td>1</td></tr></table>"
	    "<p>&nbsp;</p>"
	    "<table><tr><td>（七）总计</td><td>1</td></tr></table></div>");
	assert_int_equal(d->nblocks, 8);
	assert_int_equal(d->blocks[1].kind, BLOCK_TABLE);
	assert_int_equal(d->blocks[2].kind, BLOCK_TABLE);
	assert_int_equal(d->blocks[3].kind, BLOCK_TABLE);
	assert_int_equal(d->blocks[4].kind, BLOCK_TABLE);
	assert_int_equal(d->blocks[5].kind, BLOCK_TEXT);
	assert_int_equal(d->blocks[6].kind, BLOCK_TABLE);
	assert_int_equal(d->blocks[7].kind, BLOCK_TABLE);
	assert_string_equal(cell(d->blocks[4].table, 0, 1)->text,
	    "第二十条第（八）项");
	doc_free(d);
}

/* ---- metadata ---- */

static void
test_meta(void **state)
{
	struct doc *d;

	d = read_html("<html><head><title>\n 标题 一 \n</title>"
	    "<META NAME=\"articletitle\" CONTENT=\" 文章标题 \">"
	    "<meta content=\"2025-01-20 09:30\" name=\"PubDate\">"
	    "<meta name=ContentSource content=石台县人民政府办公室>"
	    "<meta name=\"SiteName\" content=\"石台县人民政府\">"
	    "<meta name=\"SiteName\" content=\"second\">"
	    "<meta name=\"ColumnName\" content=\"政府信息公开年报\">"
	    "<meta name=\"ColumnNameX\" content=\"no\">"
	    "</head><body><p>正文</p></body></html>");
	assert_string_equal(d->title, "标题 一");
	assert_string_equal(d->meta_title, "文章标题");
	assert_string_equal(d->source, "石台县人民政府办公室");
	assert_string_equal(d->site, "石台县人民政府");
	assert_string_equal(d->column, "政府信息公开年报");
	/* no date on the page: the meta one */
	assert_string_equal(d->pubdate, "2025-01-20 09:30");
	assert_string_equal(d->pubdate_from, "meta");
	doc_free(d);

	/* no <title>: the ArticleTitle; an unparsable PubDate is no date */
	d = read_html("<meta name=ArticleTitle content=\"年度报告\">"
	    "<meta name=PubDate content=\"yesterday\"><p>x</p>");
	assert_string_equal(d->title, "年度报告");
	assert_null(d->pubdate);
	assert_null(d->pubdate_from);
	assert_null(d->source);
	doc_free(d);
}

static void
test_page_date(void **state)
{
	struct doc *d;

	/* the date on the page wins, wherever it is, split over spans; a
	 * date in a script is not on the page */
	d = read_html("<head><meta name=PubDate content=\"2025-01-21 10:00\">"
	    "<script>var s = '发布日期：2099-01-01';</script></head><body>"
	    "<div class=info><span>发布日期：</span><span>2025-01-15"
	    "</span>&nbsp;<span>14:06</span></div>"
	    "<div id=zoom><p>正文内容足够长，足够长，足够长，足够长。</p></div>"
	    "</body>");
	assert_string_equal(d->pubdate, "2025-01-15 14:06");
	assert_string_equal(d->pubdate_from, "page");
	doc_free(d);

	d = read_html("<table><tr><td>索引号：</td><td>x/2018-00012</td>"
	    "<td>发文日期</td><td>2018-02-26</td></tr></table>");
	assert_string_equal(d->pubdate, "2018-02-26");
	assert_string_equal(d->pubdate_from, "page");
	doc_free(d);

	d = read_html("<div>来源：本网&nbsp;&nbsp;时间 : 2025-01-22 14:27:50"
	    "</div><p>发布时间:2008年06月11日</p>");
	assert_string_equal(d->pubdate, "2008-06-11");
	doc_free(d);
}

/* ---- the content container ---- */

static void
test_container(void **state)
{
	struct doc *d;

	/* #zoom wins over .content and the page chrome around it */
	d = read_html("<body><div class=nav>首页 &gt; 信息公开</div>"
	    "<div class=content><h1>标题在外面</h1>"
	    "<div id=zoom><p>一、总体情况</p><p>报告正文报告正文。</p></div></div>"
	    "<div class=footer>主办单位：某某人民政府办公室</div></body>");
	assert_int_equal(d->nblocks, 2);
	assert_string_equal(text(d, 0), "一、总体情况");
	assert_string_equal(text(d, 1), "报告正文报告正文。");
	doc_free(d);

	/* an empty named container (filled by script) is passed over */
	d = read_html("<body><div id=zoom></div><div class=TRS_Editor>"
	    "<p>一、总体情况，这是报告正文的第一段文字。</p></div>"
	    "<div>页脚文字页脚文字页脚文字</div></body>");
	assert_int_equal(d->nblocks, 1);
	assert_string_equal(text(d, 0), "一、总体情况，这是报告正文的第一段文字。");
	doc_free(d);

	/* the most specific known container wins over a generic one */
	d = read_html("<div class=article><p>外层外层外层外层外层外层外层外层</p>"
	    "<div class=\"view TRS_Editor\"><p>里层正文里层正文里层正文</p></div>"
	    "</div>");
	assert_int_equal(d->nblocks, 1);
	assert_string_equal(text(d, 0), "里层正文里层正文里层正文");
	doc_free(d);
}

static void
test_densest(void **state)
{
	struct buf b;
	struct doc *d;
	int i;

	buf_init(&b, 0);
	buf_adds(&b, "<body><header>网站名称网站名称</header>"
	    "<nav><ul><li>首页</li><li>政务公开</li><li>互动交流</li></ul>"
	    "</nav><div class=wrap><div class=left><ul>"
	    "<li>信息公开指南</li><li>信息公开制度</li><li>信息公开年报</li>"
	    "</ul></div><div class=right><h1>某某县2024年政府信息公开工作年度报告"
	    "</h1><div class=txt>");
	for (i = 0; i < 20; i++)
		buf_addf(&b, "<p>第%d段：本年度政府信息公开工作稳步推进。</p>", i);
	buf_adds(&b, "<table><tr><td>一、本年新收</td><td>3</td></tr></table>"
	    "</div></div></div><footer>主办单位：某某县人民政府办公室 "
	    "网站标识码：0000000000</footer></body>");
	d = read_html(b.data);
	buf_release(&b);
	/* only div.txt: 20 paragraphs and the table, no menu, no title */
	assert_int_equal(d->nblocks, 21);
	assert_string_equal(text(d, 0), "第0段：本年度政府信息公开工作稳步推进。");
	assert_int_equal(d->blocks[20].kind, BLOCK_TABLE);
	doc_free(d);

	/* no dominant block: the whole body, chrome (nav/footer) left out */
	d = read_html("<body><nav>导航导航</nav><div>甲段文字</div>"
	    "<div>乙段文字</div><footer>页脚</footer></body>");
	assert_int_equal(d->nblocks, 2);
	assert_string_equal(text(d, 1), "乙段文字");
	doc_free(d);
}

/* A whole page laid out in a table is read as blocks, not as a grid. */
static void
test_layout_table(void **state)
{
	struct buf b;
	struct doc *d;
	struct doc_table *t;
	int i;

	buf_init(&b, 0);
	buf_adds(&b, "<body><table class=layout><tr><td colspan=2>"
	    "<img src=banner.jpg width=1000 height=120></td></tr><tr>"
	    "<td class=side>政府信息公开指南</td><td class=main>");
	for (i = 0; i < 40; i++)
		buf_addf(&b, "<p>第%d段：本年度政府信息公开工作稳步推进。</p>", i);
	buf_adds(&b, "<table><tr><td>行政许可</td><td>1</td></tr></table>"
	    "</td></tr></table></body>");
	d = read_html(b.data);
	buf_release(&b);
	assert_int_equal(count(d, BLOCK_TABLE), 1);
	assert_int_equal(count(d, BLOCK_TEXT), 40);
	t = table(d, 0);
	assert_int_equal(t->nrows, 1);
	assert_string_equal(cell(t, 0, 0)->text, "行政许可");
	doc_free(d);
}

/* ---- hostile markup ---- */

static void
test_hostile(void **state)
{
	struct buf b;
	struct doc *d = NULL;
	struct doc_table *t;
	char *cause = NULL;
	clock_t t0;
	int i;

	/* huge spans are capped: a 1000 x 1000 cell and more rows */
	buf_init(&b, 0);
	buf_adds(&b, "<table><tr><td rowspan=99999 colspan=99999>x</td>"
	    "<td>y</td></tr>");
	for (i = 0; i < 2000; i++)
		buf_adds(&b, "<tr><td>z</td></tr>");
	buf_adds(&b, "</table>");
	d = read_html(b.data);
	buf_release(&b);
	t = table(d, 0);
	assert_true(t->ncols <= 1000);
	assert_true(t->nrows * t->ncols <= 200000);
	assert_string_equal(cell(t, 0, 0)->text, "x");
	assert_int_equal(cell(t, 1, 999)->copy, 1);
	assert_int_equal(t->rows[1].ncells, 1000);
	doc_free(d);

	/* deep nesting is refused quickly, not parsed for minutes */
	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "<div>");
	t0 = clock();
	assert_int_equal(html_read(b.data, b.len, &d, &cause), -1);
	assert_null(d);
	assert_non_null(strstr(cause, "nested"));
	free(cause);
	cause = NULL;
	assert_true((clock() - t0) / CLOCKS_PER_SEC < 5);
	buf_release(&b);

	/* nesting that closes again is fine */
	buf_init(&b, 0);
	for (i = 0; i < 20000; i++)
		buf_adds(&b, "<div><span><b>字</b></span></div>");
	d = read_html(b.data);
	assert_int_equal(count(d, BLOCK_TEXT), 20000);
	doc_free(d);
	buf_release(&b);

	/* garbage and truncated markup */
	d = read_html("<table><tr><td rowspan=3>a<td><table><tr><td>b");
	doc_free(d);
	d = read_html("<<<>>><p <div =\"'><td></tr></table>&#0;&#xd800;&bogus;");
	doc_free(d);
	d = read_html("");
	assert_int_equal(d->nblocks, 0);
	doc_free(d);
}

/* ---- the golden fixtures ---- */

static char *
fixture(const char *name, size_t *len)
{
	char path[512], *buf, *cause = NULL;

	snprintf(path, sizeof path, "%s/tests/data/html/%s", SRC_DIR, name);
	if (util_read_file(path, PARSE_MAX_INPUT, &buf, len, &cause) != 0)
		fail_msg("%s", cause);
	return buf;
}

static struct doc *
read_fixture(const char *name)
{
	struct doc *d = NULL;
	char *buf, *cause = NULL;
	size_t len;

	buf = fixture(name, &len);
	if (reader_read(buf, len, name, NULL, &d, &cause) != 0)
		fail_msg("%s", cause);
	free(buf);
	return d;
}

/* The first table whose top-left cell or whose text contains s. */
static struct doc_table *
find_table(struct doc *d, const char *s)
{
	size_t i, r, c;

	for (i = 0; i < d->nblocks; i++) {
		struct doc_table *t = d->blocks[i].table;

		if (t == NULL)
			continue;
		for (r = 0; r < t->nrows; r++)
			for (c = 0; c < t->rows[r].ncells; c++)
				if (strstr(t->rows[r].cells[c].text, s) != NULL)
					return t;
	}
	fail_msg("no table with %s", s);
	return NULL;
}

static int
has_text(struct doc *d, const char *s)
{
	size_t i;

	for (i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == BLOCK_TEXT &&
		    strcmp(d->blocks[i].text, s) == 0)
			return 1;
	return 0;
}

static void
test_fixture_wordhtml(void **state)
{
	struct doc *d = read_fixture("wordhtml_2021.html");
	struct doc_table *t;
	int r;

	assert_string_equal(d->charset, "UTF-8");
	assert_string_equal(d->charset_from, "meta");
	assert_string_equal(d->title,
	    "石台县人民政府2024年政府信息公开工作年度报告_石台县人民政府");
	assert_string_equal(d->meta_title,
	    "石台县人民政府2024年政府信息公开工作年度报告");
	assert_string_equal(d->pubdate, "2025-01-20");
	assert_string_equal(d->pubdate_from, "page");
	assert_string_equal(d->source, "石台县人民政府办公室");
	assert_string_equal(d->site, "石台县人民政府");
	assert_string_equal(d->column, "政府信息公开年报");
	/* table 二 as four tables, 三, 四 */
	assert_int_equal(count(d, BLOCK_TABLE), 6);
	assert_true(has_text(d, "二、主动公开政府信息情况"));
	assert_true(has_text(d, "三、收到和处理政府信息公开申请情况"));
	assert_true(has_text(d, "六、其他需要报告的事项"));
	t = find_table(d, "行政许可");
	assert_string_equal(cell(t, 2, 1)->text, "4462");	/* 44 + 62 */
	t = find_table(d, "行政事业性收费");
	assert_string_equal(cell(t, 2, 1)->text, "1003.34");
	t = find_table(d, "申请人情况");
	assert_int_equal(t->nrows, 28);		/* Word's spacer row dropped */
	assert_int_equal(t->ncols, 10);
	assert_string_equal(cell(t, 2, 4)->text, "商业\n企业");
	assert_string_equal(cell(t, 3, 0)->text, "一、本年新收政府信息公开申请数量");
	assert_string_equal(cell(t, 3, 3)->text, "19");
	assert_string_equal(cell(t, 5, 0)->text, "三、本年度办理结果");
	for (r = 6; r <= 26; r++)
		assert_int_equal(cell(t, r, 0)->id, cell(t, 5, 0)->id);
	assert_string_equal(cell(t, 7, 1)->text, "（三）不予公开");
	assert_string_equal(cell(t, 13, 2)->text, "7.属于行政执法案卷");
	assert_string_equal(cell(t, 13, 3)->text, "7");
	assert_string_equal(cell(t, 26, 9)->text, "19");
	t = find_table(d, "复议后起诉");
	assert_int_equal(t->nrows, 4);
	assert_int_equal(t->ncols, 15);
	assert_string_equal(cell(t, 3, 0)->text, "1");	/* after a bookmark */
	assert_string_equal(cell(t, 3, 4)->text, "2");
	doc_free(d);
}

static void
test_fixtures(void **state)
{
	struct doc *d;
	struct doc_table *t;

	d = read_fixture("gbk_meta.html");
	assert_string_equal(d->charset, "GB18030");
	assert_string_equal(d->charset_from, "meta");
	assert_string_equal(d->pubdate, "2025-01-16 10:23");
	assert_string_equal(d->pubdate_from, "page");
	assert_true(has_text(d, "临淄区人民政府办公室2024年政府信息公开工作"));
	t = find_table(d, "申请人情况");
	assert_string_equal(cell(t, 26, 9)->text, "14");
	doc_free(d);

	d = read_fixture("format2019.html");
	assert_string_equal(d->pubdate, "2020-01-19 14:27:50");
	assert_int_equal(count(d, BLOCK_TABLE), 3);
	assert_false(has_text(d, "政府信息公开指南"));	/* side menu */
	t = find_table(d, "政府集中采购");
	assert_int_equal(t->nrows, 18);		/* empty last row dropped */
	assert_string_equal(cell(t, 6, 2)->text, "0");	/* " \u30000" */
	t = find_table(d, "申请人情况");
	assert_int_equal(t->nrows, 26);
	assert_string_equal(cell(t, 23, 1)->text, "（六）其他处理");
	doc_free(d);

	d = read_fixture("eight_columns.html");
	assert_string_equal(d->pubdate, "2025-03-18");
	assert_true(has_text(d, "2、 主动公开政府信息情况"));
	assert_false(has_text(d, "政府信息公开指南"));	/* left menu */
	t = find_table(d, "申请人情况");
	assert_int_equal(t->ncols, 11);
	assert_string_equal(cell(t, 2, 9)->text, "小计");
	assert_string_equal(cell(t, 3, 9)->text, "1");
	assert_string_equal(cell(t, 3, 10)->text, "101");
	doc_free(d);

	d = read_fixture("blank_totals.html");
	assert_string_equal(d->pubdate, "2025-01-21 08:30:12");
	assert_string_equal(d->pubdate_from, "meta");
	t = find_table(d, "申请人情况");
	assert_string_equal(cell(t, 3, 3)->text, "12");
	assert_string_equal(cell(t, 3, 9)->text, "");
	assert_int_equal(cell(t, 3, 9)->copy, 0);
	doc_free(d);

	d = read_fixture("tables_as_images.html");
	assert_int_equal(count(d, BLOCK_TABLE), 0);
	assert_int_equal(count(d, BLOCK_IMAGE), 3);
	assert_string_equal(d->pubdate, "2025-01-22");
	assert_string_equal(nth(d, BLOCK_IMAGE, 1)->text,
	    "表二收到和处理政府信息公开申请情况");
	doc_free(d);

	d = read_fixture("t3_broken.html");
	assert_string_equal(d->pubdate, "2025-03-25 14:06");
	t = find_table(d, "申请人情况");
	assert_string_equal(cell(t, 5, 3)->text, "70");
	assert_string_equal(cell(t, 5, 9)->text, "68");
	doc_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_labels),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_grid_spans),
		cmocka_unit_test(test_grid_table3),
		cmocka_unit_test(test_cell_text),
		cmocka_unit_test(test_table_sections),
		cmocka_unit_test(test_split_tables),
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_page_date),
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_densest),
		cmocka_unit_test(test_layout_table),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_fixture_wordhtml),
		cmocka_unit_test(test_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
