/*
 * Unit tests for the PDF layout (parse/pdf_layout.c), fed character boxes
 * directly: paragraphs joined at the margins, page numbers dropped, tables
 * from column bands, wrapped and vertical labels, a blank value cell kept
 * in place, a table continued on the next page, LibreOffice's tight
 * tables (the seeds' round trip), and boxes no PDF should have.  The
 * geometry mimics the real WPS PDFs (10 pt type, 7.5 pt in tables, rows
 * 24 pt apart, wrapped lines 15 pt apart) but where it says LibreOffice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc.h"
#include "label.h"
#include "pdf_layout.h"
#include "xmalloc.h"

struct boxes {
	struct pdf_glyph	*g;
	size_t			 n, cap;
};

/* Places UTF-8 text from x on the line whose top is y, w per character. */
static void
put(struct boxes *b, int page, double x, double y, double w, double h,
    const char *s)
{
	const char *p = s;

	while (*p != '\0') {
		unsigned cp = label_utf8_next(&p);

		if (b->n == b->cap) {
			b->cap = b->cap ? b->cap * 2 : 256;
			b->g = xreallocarray(b->g, b->cap, sizeof *b->g);
		}
		b->g[b->n].cp = cp;
		b->g[b->n].x0 = x;
		b->g[b->n].x1 = x + (cp < 0x80 ? w / 2 : w);
		b->g[b->n].y0 = y;
		b->g[b->n].y1 = y + h;
		b->g[b->n].page = page;
		b->n++;
		x += cp < 0x80 ? w / 2 : w;
	}
}

/* A table row: label at x 80, values centred in 40 pt columns from 260. */
static void
row(struct boxes *b, int page, double y, const char *label, const char **v,
    int nv)
{
	int i;

	if (label != NULL)
		put(b, page, 80, y, 7.5, 7.5, label);
	for (i = 0; i < nv; i++)
		if (v[i] != NULL && *v[i] != '\0')
			put(b, page, 275 + 40 * i - 3.75 * (double)strlen(v[i]) / 2,
			    y + 1, 7.5, 7.5, v[i]);
}

static void
dump(const struct doc *d)
{
	size_t i, r, c;

	for (i = 0; i < d->nblocks; i++) {
		const struct doc_table *t = d->blocks[i].table;

		if (d->blocks[i].kind != BLOCK_TABLE) {
			print_message("text: %s\n", d->blocks[i].text);
			continue;
		}
		for (r = 0; r < t->nrows; r++) {
			print_message("  row:");
			for (c = 0; c < t->rows[r].ncells; c++)
				print_message(" [%s]", t->rows[r].cells[c].text);
			print_message("\n");
		}
	}
}

static struct doc *
layout(struct boxes *b)
{
	struct doc *d = doc_new();

	pdf_layout(d, b->g, b->n);
	if (getenv("TEST_PDF_DUMP") != NULL)
		dump(d);
	free(b->g);
	memset(b, 0, sizeof *b);
	return d;
}

static const struct doc_table *
nth_table(const struct doc *d, int n)
{
	size_t i;

	for (i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == BLOCK_TABLE && n-- == 0)
			return d->blocks[i].table;
	return NULL;
}

static int
count(const struct doc *d, enum block_kind k)
{
	size_t i;
	int n = 0;

	for (i = 0; i < d->nblocks; i++)
		n += d->blocks[i].kind == k;
	return n;
}

/* The row whose some cell holds label, or NULL. */
static const struct doc_row *
find_row(const struct doc_table *t, const char *label)
{
	size_t i, j;

	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->rows[i].ncells; j++)
			if (strcmp(t->rows[i].cells[j].text, label) == 0)
				return &t->rows[i];
	return NULL;
}

static void
assert_row(const struct doc_row *r, int n, ...)
{
	va_list ap;
	int i;

	assert_non_null(r);
	assert_int_equal(r->ncells, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(r->cells[i].text, va_arg(ap, const char *));
	va_end(ap);
}

static void
test_paragraphs(void **state)
{
	struct boxes b = { 0 };
	struct doc *d;

	/* a centred title over two lines in large type */
	put(&b, 0, 240, 60, 22, 22, "某某县人民政府");
	put(&b, 0, 150, 90, 22, 22, "2024年政府信息公开工作年度报告");
	put(&b, 0, 80, 140, 16, 16, "一、总体情况");
	/* a paragraph: indented first line, full lines, a short last one */
	put(&b, 0, 112, 170, 16, 16, "本年度共收到申请12件，答复14件，均在法定");
	put(&b, 0, 80, 198, 16, 16, "期限内予以答复，其中予以公开5件，部分公开2件");
	put(&b, 0, 80, 226, 16, 16, "，无法提供7件。");
	put(&b, 0, 290, 800, 16, 16, "-1-");
	d = layout(&b);
	assert_int_equal(count(d, BLOCK_TABLE), 0);
	assert_int_equal(d->nblocks, 3);
	assert_string_equal(d->blocks[0].text,
	    "某某县人民政府2024年政府信息公开工作年度报告");
	assert_string_equal(d->blocks[1].text, "一、总体情况");
	assert_string_equal(d->blocks[2].text, "本年度共收到申请12件，答复14件，"
	    "均在法定期限内予以答复，其中予以公开5件，部分公开2件，无法提供7件。");
	doc_free(d);
}

static void
test_table_rows(void **state)
{
	struct boxes b = { 0 };
	struct doc *d;
	const struct doc_table *t;
	const char *r1[] = { "3001", "53", "0", "0", "61", "4", "3119" };
	const char *r2[] = { "34", "", "0", "0", "0", "0", "34" };

	put(&b, 0, 80, 40, 16, 16, "三、收到和处理政府信息公开申请情况");
	put(&b, 0, 268, 70, 7.5, 7.5, "自然人");
	put(&b, 0, 308, 70, 7.5, 7.5, "商业");
	put(&b, 0, 348, 70, 7.5, 7.5, "科研");
	put(&b, 0, 502, 70, 7.5, 7.5, "总计");
	row(&b, 0, 100, "一、本年新收政府信息公开申请数量", r1, 7);
	row(&b, 0, 124, "二、上年结转政府信息公开申请数量", r2, 7);
	put(&b, 0, 80, 200, 16, 16, "四、政府信息公开行政复议、行政诉讼情况");
	d = layout(&b);
	assert_int_equal(count(d, BLOCK_TABLE), 1);
	assert_string_equal(d->blocks[0].text,
	    "三、收到和处理政府信息公开申请情况");
	assert_int_equal(d->blocks[2].kind, BLOCK_TEXT);
	t = nth_table(d, 0);
	assert_row(find_row(t, "一、本年新收政府信息公开申请数量"), 8,
	    "一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61",
	    "4", "3119");
	/* the blank 商业企业 cell stays, so the values keep their columns */
	assert_row(find_row(t, "二、上年结转政府信息公开申请数量"), 8,
	    "二、上年结转政府信息公开申请数量", "34", "", "0", "0", "0", "0",
	    "34");
	assert_non_null(find_row(t, "自然人"));
	doc_free(d);
}

static void
test_wrapped_and_vertical_labels(void **state)
{
	struct boxes b = { 0 };
	struct doc *d;
	const struct doc_table *t;
	const char *v[] = { "1", "0", "0", "0", "0", "0", "1" };
	const char *vert = "三、本年度办理结果";
	const char *p = vert;
	double y;
	int i;

	row(&b, 0, 100, "一、本年新收政府信息公开申请数量", v, 7);
	/* a label wrapped over two lines, its values between them */
	put(&b, 0, 101, 122, 7.5, 7.5, "（二）部分公开（区分处理的，");
	row(&b, 0, 129, NULL, v, 7);
	put(&b, 0, 101, 137, 7.5, 7.5, "只计这一情形）");
	/* rows with a vertical label on their left, one character a line */
	for (i = 0; i < 4; i++) {
		static const char *items[] = { "1.属于国家秘密",
		    "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
		    "4.保护第三方合法权益" };

		row(&b, 0, 160 + 24 * i, NULL, v, 7);
		put(&b, 0, 143, 159 + 24 * i, 7.5, 7.5, items[i]);
	}
	for (y = 152; *p != '\0'; y += 10.5) {
		char ch[8];
		const char *q = p;

		label_utf8_next(&q);
		memcpy(ch, p, (size_t)(q - p));
		ch[q - p] = '\0';
		put(&b, 0, 80, y, 7.5, 7.5, ch);
		p = q;
	}
	d = layout(&b);
	assert_int_equal(count(d, BLOCK_TABLE), 1);
	t = nth_table(d, 0);
	assert_non_null(find_row(t,
	    "（二）部分公开（区分处理的，只计这一情形）"));
	assert_row(find_row(t, "（二）部分公开（区分处理的，只计这一情形）"), 8,
	    "（二）部分公开（区分处理的，只计这一情形）", "1", "0", "0", "0",
	    "0", "0", "1");
	assert_non_null(find_row(t, "三、本年度办理结果"));
	/* the item label is the row's last label, right before the values */
	assert_row(find_row(t, "1.属于国家秘密"), 8, "1.属于国家秘密", "1", "0",
	    "0", "0", "0", "0", "1");
	doc_free(d);
}

static void
test_table_over_page_break(void **state)
{
	struct boxes b = { 0 };
	struct doc *d;
	const struct doc_table *t;
	const char *v[] = { "7", "0", "0", "0", "0", "0", "7" };

	put(&b, 0, 80, 600, 16, 16, "三、收到和处理政府信息公开申请情况");
	row(&b, 0, 650, "一、本年新收政府信息公开申请数量", v, 7);
	row(&b, 0, 674, "二、上年结转政府信息公开申请数量", v, 7);
	row(&b, 0, 698, "（一）予以公开", v, 7);
	put(&b, 0, 290, 800, 16, 16, "-4-");
	/* the next page goes on with the table, no header repeated */
	row(&b, 1, 80, "（七）总计", v, 7);
	row(&b, 1, 104, "四、结转下年度继续办理", v, 7);
	put(&b, 1, 80, 160, 16, 16, "四、政府信息公开行政复议、行政诉讼情况");
	d = layout(&b);
	assert_int_equal(count(d, BLOCK_TABLE), 1);
	t = nth_table(d, 0);
	assert_int_equal(t->nrows, 5);
	assert_non_null(find_row(t, "（一）予以公开"));
	assert_non_null(find_row(t, "四、结转下年度继续办理"));
	assert_int_equal(count(d, BLOCK_TEXT), 2);	/* no "-4-" */
	doc_free(d);
}

/*
 * What LibreOffice makes of a DOCX table (the seeds' round trip): 10.5 pt
 * type in 13.7 pt boxes, a label that fills its cell ends 10.8 pt before
 * the first number (under the 0.9-glyph segment cut), cells aligned at the
 * top so a wrapped label's last line sits right over the next row, and
 * the next section heading, in body type, right under the table.
 */
static void
lo_row(struct boxes *b, double y, const char *label, const char **v)
{
	int i;

	if (label != NULL)
		put(b, 0, 239.2 - 10.5 * (double)label_chars(label), y, 10.5,
		    13.7, label);
	for (i = 0; i < 7; i++)
		put(b, 0, 250 + 34 * i, y, 10.5, 13.7, v[i]);
}

static void
test_libreoffice_table(void **state)
{
	struct boxes b = { 0 };
	struct doc *d;
	const struct doc_table *t;
	const char *r1[] = { "12", "0", "0", "1", "0", "0", "13" };
	const char *r2[] = { "0", "0", "0", "0", "0", "0", "0" };
	const char *r3[] = { "2", "0", "0", "0", "0", "0", "2" };

	put(&b, 0, 250, 80, 10.5, 13.7, "自然");
	put(&b, 0, 284, 80, 10.5, 13.7, "商业");
	put(&b, 0, 454, 80, 10.5, 13.7, "总计");
	/* 16 characters ending at 239.2: glued to "12" by the gap rule */
	lo_row(&b, 100, "一、本年新收政府信息公开申请数量", r1);
	put(&b, 0, 80, 120, 10.5, 13.7, "5.要求行政机关确认或重新");
	lo_row(&b, 120, NULL, r2);
	put(&b, 0, 80, 134.5, 10.5, 13.7, "出具已获取信息");
	put(&b, 0, 80, 148.5, 10.5, 13.7, "3.其他");
	lo_row(&b, 148.5, NULL, r3);
	put(&b, 0, 80, 163, 10.5, 13.7, "四、政府信息公开行政复议、行政诉讼情况");
	put(&b, 0, 250, 178, 10.5, 13.7, "维持");
	put(&b, 0, 284, 178, 10.5, 13.7, "纠正");
	lo_row(&b, 193, "行政复议", r3);
	d = layout(&b);
	assert_int_equal(count(d, BLOCK_TABLE), 2);
	t = nth_table(d, 0);
	assert_non_null(t);
	assert_row(find_row(t, "一、本年新收政府信息公开申请数量"), 8,
	    "一、本年新收政府信息公开申请数量", "12", "0", "0", "1", "0", "0",
	    "13");
	/* the wrapped line stays with its row, not with "3.其他" under it */
	assert_row(find_row(t, "5.要求行政机关确认或重新出具已获取信息"), 8,
	    "5.要求行政机关确认或重新出具已获取信息", "0", "0", "0", "0", "0",
	    "0", "0");
	assert_row(find_row(t, "3.其他"), 8, "3.其他", "2", "0", "0", "0", "0",
	    "0", "2");
	assert_null(find_row(t, "行政复议"));
	/* the heading between the tables is a paragraph of its own */
	assert_int_equal(d->blocks[1].kind, BLOCK_TEXT);
	assert_string_equal(d->blocks[1].text,
	    "四、政府信息公开行政复议、行政诉讼情况");
	t = nth_table(d, 1);
	assert_non_null(t);
	assert_row(find_row(t, "行政复议"), 8, "行政复议", "2", "0", "0", "0",
	    "0", "0", "2");
	doc_free(d);
}

static void
test_bad_boxes(void **state)
{
	struct pdf_glyph g[] = {
		{ 'a', NAN, 0, 1, 1, 0 },
		{ 'b', 0, 0, INFINITY, 1, 0 },
		{ 'c', 5, 5, 1, 1, 0 },		/* inverted */
		{ 'd', 0, 0, 1e9, 1e9, 0 },
		{ ' ', 0, 0, 5, 5, 0 },
		{ 0xd800, 0, 0, 5, 5, 0 },
		{ 'e', 0, 0, 0, 5, 1 },		/* zero width: kept */
	};
	struct doc *d = doc_new();

	pdf_layout(d, NULL, 0);
	assert_int_equal(d->nblocks, 0);
	pdf_layout(d, g, sizeof g / sizeof g[0]);
	assert_int_equal(d->nblocks, 1);
	assert_string_equal(d->blocks[0].text, "e");
	doc_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_wrapped_and_vertical_labels),
		cmocka_unit_test(test_table_over_page_break),
		cmocka_unit_test(test_libreoffice_table),
		cmocka_unit_test(test_bad_boxes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
