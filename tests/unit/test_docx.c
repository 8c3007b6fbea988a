/*
 * Unit tests for the DOCX reader (parse/docx.c) and the ZIP/OLE branches
 * of reader_read(): small word/document.xml bodies are zipped in memory
 * with libzip and read back, to check the grid (w:gridSpan, w:vMerge
 * restart/continue, a continue with nothing above, w:gridBefore), the
 * paragraph text (split runs, w:tab, w:br, w:del, w:ins, hyperlinks,
 * hidden text, field codes), pictures and the refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <zip.h>

#include "parse.h"
#include "xmalloc.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

/* A ZIP in memory holding the given entries (name, content pairs). */
static char *
zip_make(size_t *len, const char *const *entries, size_t n)
{
	zip_error_t ze;
	zip_source_t *src, *fs;
	zip_t *za;
	zip_int64_t size;
	char *out;
	size_t i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (i = 0; i + 1 < n; i += 2) {
		fs = zip_source_buffer(za, entries[i + 1],
		    strlen(entries[i + 1]), 0);
		assert_non_null(fs);
		assert_true(zip_file_add(za, entries[i], fs,
		    ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	size = zip_source_tell(src);
	assert_true(size > 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	out = xmalloc((size_t)size);
	assert_int_equal(zip_source_read(src, out, (zip_uint64_t)size), size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = (size_t)size;
	return out;
}

/* A DOCX whose body is the given XML. */
static char *
docx_make(const char *body, size_t *len)
{
	char *xml, *z;
	const char *e[4];

	xasprintf(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<w:document xmlns:w=\"" W_NS "\" xmlns:wp=\"http://schemas."
	    "openxmlformats.org/drawingml/2006/wordprocessingDrawing\">"
	    "<w:body>%s</w:body></w:document>", body);
	e[0] = "word/document.xml";
	e[1] = xml;
	e[2] = "docProps/core.xml";
	e[3] = "<cp:coreProperties xmlns:cp=\"x\" xmlns:dc=\"http://purl.org/"
	    "dc/elements/1.1/\"><dc:title> 某县2024年报告 </dc:title>"
	    "</cp:coreProperties>";
	z = zip_make(len, e, 4);
	free(xml);
	return z;
}

static struct doc *
read_body(const char *body)
{
	struct doc *d = NULL;
	char *z, *cause = NULL;
	size_t len;

	z = docx_make(body, &len);
	if (docx_read(z, len, &d, &cause) != 0)
		fail_msg("docx_read: %s", cause);
	free(z);
	assert_non_null(d);
	assert_string_equal(d->reader, "docx");
	return d;
}

/* The cause of refusing body (caller frees). */
static char *
refuse_body(const char *body)
{
	struct doc *d = NULL;
	char *z, *cause = NULL;
	size_t len;

	z = docx_make(body, &len);
	assert_int_equal(docx_read(z, len, &d, &cause), -1);
	assert_null(d);
	assert_non_null(cause);
	free(z);
	return cause;
}

static struct doc_table *
first_table(struct doc *d)
{
	size_t i;

	for (i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == BLOCK_TABLE)
			return d->blocks[i].table;
	fail_msg("no table");
	return NULL;
}

static void
assert_cell(const struct doc_table *t, size_t r, size_t c, const char *text,
    int copy)
{
	assert_true(r < t->nrows);
	assert_true(c < t->rows[r].ncells);
	assert_string_equal(t->rows[r].cells[c].text, text);
	assert_int_equal(t->rows[r].cells[c].copy, copy);
}

#define TC(x)	"<w:tc><w:p><w:r><w:t>" x "</w:t></w:r></w:p></w:tc>"
#define TCP(pr, x) "<w:tc><w:tcPr>" pr "</w:tcPr><w:p><w:r><w:t>" x \
		"</w:t></w:r></w:p></w:tc>"
#define SPAN(n)	"<w:gridSpan w:val=\"" #n "\"/>"
#define RESTART	"<w:vMerge w:val=\"restart\"/>"
#define CONT	"<w:vMerge/>"

static void
test_gridspan(void **state)
{
	struct doc *d;
	struct doc_table *t;

	(void)state;
	d = read_body("<w:tbl>"
	    "<w:tr>" TCP(SPAN(3), "第二十条") "</w:tr>"
	    "<w:tr>" TC("信息内容") TCP(SPAN(2), "数量") "</w:tr>"
	    "<w:tr>" TC("行政许可") TC("5") "</w:tr>"
	    "</w:tbl>");
	t = first_table(d);
	assert_int_equal(t->nrows, 3);
	assert_int_equal(t->ncols, 3);
	assert_int_equal(t->rows[0].ncells, 3);
	assert_cell(t, 0, 0, "第二十条", 0);
	assert_cell(t, 0, 1, "第二十条", 1);
	assert_cell(t, 0, 2, "第二十条", 1);
	assert_int_equal(t->rows[0].cells[0].id, t->rows[0].cells[2].id);
	assert_cell(t, 1, 1, "数量", 0);
	assert_cell(t, 1, 2, "数量", 1);
	/* not padded at the end */
	assert_int_equal(t->rows[2].ncells, 2);
	assert_cell(t, 2, 1, "5", 0);
	assert_int_not_equal(t->rows[2].cells[0].id, t->rows[2].cells[1].id);
	doc_free(d);
}

static void
test_vmerge(void **state)
{
	struct doc *d;
	struct doc_table *t;

	(void)state;
	/* 三、本年度办理结果 down three rows, (三) down two, a note 2x2 */
	d = read_body("<w:tbl>"
	    "<w:tr>" TCP(SPAN(2) RESTART, "说明") TC("总计") "</w:tr>"
	    "<w:tr>" TCP(SPAN(2) "<w:vMerge w:val=\"continue\"/>", "")
	    TC("") "</w:tr>"
	    "<w:tr>" TCP(RESTART, "三、结果") TCP(SPAN(1), "（一）") TC("9")
	    "</w:tr>"
	    "<w:tr>" TCP(CONT, "") TCP(RESTART, "（三）") TC("1") "</w:tr>"
	    "<w:tr>" TCP(CONT, "") TCP(CONT, "") TC("2") "</w:tr>"
	    "</w:tbl>");
	t = first_table(d);
	assert_int_equal(t->nrows, 5);
	assert_cell(t, 1, 0, "说明", 1);
	assert_cell(t, 1, 1, "说明", 1);
	assert_int_equal(t->rows[1].cells[0].id, t->rows[0].cells[0].id);
	assert_cell(t, 1, 2, "", 0);
	assert_cell(t, 2, 0, "三、结果", 0);
	assert_cell(t, 3, 0, "三、结果", 1);
	assert_cell(t, 4, 0, "三、结果", 1);
	assert_int_equal(t->rows[4].cells[0].id, t->rows[2].cells[0].id);
	assert_cell(t, 3, 1, "（三）", 0);
	assert_cell(t, 4, 1, "（三）", 1);
	assert_int_equal(t->rows[4].cells[1].id, t->rows[3].cells[1].id);
	assert_cell(t, 4, 2, "2", 0);
	assert_int_equal(t->rows[4].ncells, 3);
	doc_free(d);
}

static void
test_continue_without_restart(void **state)
{
	struct doc *d;
	struct doc_table *t;

	(void)state;
	/* first row continue: nothing above, a cell of its own */
	d = read_body("<w:tbl>"
	    "<w:tr>" TCP(CONT, "甲") TC("1") "</w:tr>"
	    "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" TC("2")
	    "</w:tr>"
	    "<w:tr>" TC("乙") TCP(CONT, "") TCP(CONT, "") "</w:tr>"
	    "</w:tbl>");
	t = first_table(d);
	assert_cell(t, 0, 0, "甲", 0);
	/* gridBefore: an uncovered slot left of a cell, id -1 */
	assert_int_equal(t->rows[1].ncells, 2);
	assert_cell(t, 1, 0, "", 0);
	assert_int_equal(t->rows[1].cells[0].id, -1);
	assert_cell(t, 1, 1, "2", 0);
	/* continue under "2" copies it; under nothing (col 2) own cell */
	assert_cell(t, 2, 1, "2", 1);
	assert_int_equal(t->rows[2].cells[1].id, t->rows[1].cells[1].id);
	assert_cell(t, 2, 2, "", 0);
	assert_true(t->rows[2].cells[2].id >= 0);
	doc_free(d);
}

static void
test_runs(void **state)
{
	struct doc *d;
	struct doc_table *t;

	(void)state;
	d = read_body(
	    "<w:p><w:r><w:t>一、总</w:t></w:r><w:proofErr/>"
	    "<w:r><w:rPr><w:b/></w:rPr><w:t>体情况</w:t></w:r></w:p>"
	    "<w:p><w:r><w:t xml:space=\"preserve\">  收到申请</w:t></w:r>"
	    "<w:del w:id=\"1\"><w:r><w:delText>99</w:delText></w:r></w:del>"
	    "<w:ins w:id=\"2\"><w:r><w:t>19</w:t></w:r></w:ins>"
	    "<w:hyperlink><w:r><w:t>件</w:t></w:r></w:hyperlink>"
	    "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"
	    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
	    "<w:r><w:instrText>PAGE</w:instrText></w:r>"
	    "<w:sdt><w:sdtPr><w:alias w:val=\"x\"/></w:sdtPr><w:sdtContent>"
	    "<w:r><w:tab/><w:t>。</w:t></w:r></w:sdtContent></w:sdt></w:p>"
	    "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>"
	    "<w:p><w:r><w:t>\xe3\x80\x80 </w:t></w:r></w:p>"
	    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>商业</w:t><w:br/>"
	    "<w:t>企业</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>（注）</w:t>"
	    "</w:r></w:p></w:tc>" TC("\xe3\x80\x80") "</w:tr></w:tbl>");
	assert_string_equal(d->title, "某县2024年报告");
	assert_int_equal(d->blocks[0].kind, BLOCK_TEXT);
	assert_string_equal(d->blocks[0].text, "一、总体情况");
	assert_string_equal(d->blocks[1].text, "收到申请19件\t。");
	/* a w:br line in the body is a block of its own */
	assert_string_equal(d->blocks[2].text, "第一行");
	assert_string_equal(d->blocks[3].text, "第二行");
	/* the blank paragraph is not a block */
	assert_int_equal(d->blocks[4].kind, BLOCK_TABLE);
	t = d->blocks[4].table;
	/* in a cell: lines and paragraphs joined by newlines, blanks out */
	assert_cell(t, 0, 0, "商业\n企业\n（注）", 0);
	assert_cell(t, 0, 1, "", 0);
	assert_int_equal(d->nblocks, 5);
	doc_free(d);
}

static void
test_nested(void **state)
{
	struct doc *d;
	struct doc_table *t;

	(void)state;
	d = read_body("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>"
	    "<w:tbl><w:tr>" TC("a") TC("b") "</w:tr><w:tr>" TC("c")
	    "</w:tr></w:tbl></w:tc>" TC("1") "</w:tr></w:tbl>");
	t = first_table(d);
	assert_int_equal(t->nrows, 1);
	assert_cell(t, 0, 0, "外\na b\nc", 0);
	assert_cell(t, 0, 1, "1", 0);
	doc_free(d);
}

#define PIC(cx, cy) "<w:r><w:drawing><wp:inline><wp:extent cx=\"" #cx \
		"\" cy=\"" #cy "\"/><wp:docPr id=\"1\" name=\"图片 1\" " \
		"descr=\"表三\"/></wp:inline></w:drawing></w:r>"

static void
test_images(void **state)
{
	struct doc *d;
	size_t i, images = 0, tables = 0;

	(void)state;
	d = read_body("<w:p><w:r><w:t>三、收到和处理</w:t></w:r></w:p>"
	    "<w:p>" PIC(5000000, 3000000) "</w:p>"
	    /* an icon: not an image */
	    "<w:p>" PIC(100000, 100000) "</w:p>"
	    /* a table holding only a picture: an image block */
	    "<w:tbl><w:tr><w:tc><w:p>" PIC(5000000, 3000000)
	    "</w:p></w:tc></w:tr></w:tbl>"
	    /* a table with text and a picture: a table, marked */
	    "<w:tbl><w:tr>" TC("行政复议") "<w:tc><w:p>"
	    "<w:r><w:pict/></w:r></w:p></w:tc></w:tr></w:tbl>");
	for (i = 0; i < d->nblocks; i++) {
		if (d->blocks[i].kind == BLOCK_IMAGE)
			images++;
		if (d->blocks[i].kind == BLOCK_TABLE) {
			tables++;
			assert_int_equal(d->blocks[i].table->images, 1);
		}
	}
	assert_int_equal(images, 2);
	assert_int_equal(tables, 1);
	assert_int_equal(d->blocks[1].kind, BLOCK_IMAGE);
	assert_string_equal(d->blocks[1].text, "表三");
	doc_free(d);
}

static void
test_refused(void **state)
{
	struct doc *d = NULL;
	char *cause = NULL, *z;
	const char *e[2];
	size_t len;

	(void)state;
	cause = refuse_body("<w:p><w:r><w:t>x</w:t></w:p>");
	assert_non_null(strstr(cause, "XML error at line"));
	free(cause);
	cause = refuse_body("<w:p/>");
	assert_non_null(strstr(cause, "no text"));
	free(cause);

	e[0] = "xl/workbook.xml";
	e[1] = "<workbook/>";
	z = zip_make(&len, e, 2);
	assert_int_equal(reader_read(z, len, "b.xlsx", NULL, &d, &cause), -1);
	assert_non_null(strstr(cause, "b.xlsx: an Excel workbook"));
	free(cause);
	/* truncated */
	assert_int_equal(reader_read(z, len / 2, "t.docx", NULL, &d, &cause),
	    -1);
	assert_non_null(strstr(cause, "t.docx: broken ZIP archive"));
	free(cause);
	free(z);

	e[0] = "word/document.xml";
	e[1] = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;\">]><d>&b;</d>";
	z = zip_make(&len, e, 2);
	assert_int_equal(docx_read(z, len, &d, &cause), -1);
	assert_non_null(strstr(cause, "declares XML entities"));
	free(cause);
	free(z);
	assert_null(d);
}

/* Word Online names the main part word/document2.xml in _rels/.rels. */
static void
test_main_part(void **state)
{
	struct doc *d = NULL;
	char *cause = NULL, *z;
	const char *e[4];
	size_t len;

	(void)state;
	e[0] = "_rels/.rels";
	e[1] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/relationships\"><Relationship Id=\"rId1\" "
	    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	    "relationships/officeDocument\" Target=\"/word/document2.xml\"/>"
	    "</Relationships>";
	e[2] = "word/document2.xml";
	e[3] = "<w:document xmlns:w=\"" W_NS "\"><w:body><w:p><w:r><w:t>"
	    "一、总体情况</w:t></w:r></w:p></w:body></w:document>";
	z = zip_make(&len, e, 4);
	if (docx_read(z, len, &d, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(d->blocks[0].text, "一、总体情况");
	doc_free(d);
	/* without the relationship it is no Word document */
	free(z);
	z = zip_make(&len, e + 2, 2);
	assert_int_equal(docx_read(z, len, &d, &cause), -1);
	assert_non_null(strstr(cause, "not a Word document (no "
	    "word/document.xml)"));
	free(cause);
	free(z);
}

static void
test_ole(void **state)
{
	char buf[1024];
	struct doc *d = NULL;
	char *cause = NULL;
	const char *name = "WordDocument";
	size_t i;

	(void)state;
	memset(buf, 0, sizeof buf);
	memcpy(buf, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	assert_int_equal(reader_read(buf, sizeof buf, "a.doc", NULL, &d,
	    &cause), -1);
	assert_non_null(strstr(cause, "convert it to DOCX"));
	free(cause);
	for (i = 0; name[i] != '\0'; i++)
		buf[512 + 2 * i] = name[i];
	buf[512 + 64] = (char)((strlen(name) + 1) * 2);
	assert_int_equal(reader_read(buf, sizeof buf, "a.doc", NULL, &d,
	    &cause), -1);
	assert_non_null(strstr(cause, "a.doc: a Word 97 (.doc)"));
	free(cause);
	memset(buf + 512, 0, 128);
	name = "EncryptedPackage";
	for (i = 0; name[i] != '\0'; i++)
		buf[512 + 2 * i] = name[i];
	buf[512 + 64] = (char)((strlen(name) + 1) * 2);
	assert_int_equal(reader_read(buf, sizeof buf, "a.docx", NULL, &d,
	    &cause), -1);
	assert_non_null(strstr(cause, "encrypted"));
	free(cause);
	assert_null(d);
}

/* The blank 2021 template: 2021 report, every cell blank. */
static void
test_template(void **state)
{
	char *path, *buf;
	FILE *f;
	long n;
	struct doc *d = NULL;
	struct record *r = NULL;
	char *cause = NULL;
	size_t i, tables = 0;

	(void)state;
	xasprintf(&path, "%s/fixtures/real/"
	    "annual_report_format_2021_blank_template.docx", SHARED_DIR);
	f = fopen(path, "rb");
	if (f == NULL) {
		free(path);
		skip();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (reader_read(buf, (size_t)n, path, NULL, &d, &cause) != 0)
		fail_msg("%s", cause);
	for (i = 0; i < d->nblocks; i++)
		tables += d->blocks[i].kind == BLOCK_TABLE;
	assert_int_equal(tables, 3);
	if (mapper_map(d, &r, &cause) != 0)
		fail_msg("%s", cause);
	record_free(r);
	doc_free(d);
	free(buf);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gridspan),
		cmocka_unit_test(test_vmerge),
		cmocka_unit_test(test_continue_without_restart),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_main_part),
		cmocka_unit_test(test_ole),
		cmocka_unit_test(test_template),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
