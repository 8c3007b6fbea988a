/*
 * Unit tests for the plain-text reader (parse/text.c) and the mapper
 * (parse/mapper.c, tables.c, meta.c) on small hand-written reports: label
 * variants, renamed headings, split and repeated tables, the 2019 and the
 * 8-column layouts, ragged rows, and documents that are not reports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "parse.h"

static const char *t3_labels[25] = {
	"一、本年新收政府信息公开申请数量",
	"二、上年结转政府信息公开申请数量",
	"三、本年度办理结果|（一）予以公开",
	"（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
	"（三）不予公开|1.属于国家秘密",
	"2.其他法律行政法规禁止公开",
	"3.危及“三安全一稳定”",
	"4.保护第三方合法权益",
	"5.属于三类内部事务信息",
	"6.属于四类过程性信息",
	"7.属于行政执法案卷",
	"8.属于行政查询事项",
	"（四）无法提供|1.本机关不掌握相关政府信息",
	"2.没有现成信息需要另行制作",
	"3.补正后申请内容仍不明确",
	"（五）不予处理|1.信访举报投诉类申请",
	"2.重复申请",
	"3.要求提供公开出版物",
	"4.无正当理由大量反复申请",
	"5.要求行政机关确认或重新出具已获取信息",
	"（六）其他处理|1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
	"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
	"3.其他",
	"（七）总计",
	"四、结转下年度继续办理",
};

/* Builds a small report in pipe-row text around the given table 三 rows. */
static char *
report(const char *title, const char *t3)
{
	struct buf b;

	buf_init(&b, 0);
	buf_addf(&b, "%s\n一、总体情况\n本报告中所列数据统计期限自2024年1月1日"
	    "起至2024年12月31日止。\n二、主动公开政府信息情况\n"
	    "第二十条第（一）项|\n信息内容|本年制发件数|本年废止件数|现行有效件数\n"
	    "规章|0|0|0\n行政规范性文件|4|3|45\n"
	    "第二十条第（五）项|\n信息内容|本年处理决定数量\n行政许可|71780\n"
	    "第二十条第（六）项|\n信息内容|本年处理决定数量\n行政处罚|4520\n"
	    "行政强制|582\n第二十条第（八）项|\n信息内容|本年收费金额（单位：万元）\n"
	    "行政事业性收费|5183\n\n"
	    "三、收到和处理政府信息公开申请情况\n%s\n"
	    "四、政府信息公开行政复议、行政诉讼情况\n"
	    "行政复议|行政诉讼\n"
	    "结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉|复议后起诉\n"
	    "2|2|5|0|9|0|0|0|0|0|0|0|0|0|0\n\n"
	    "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n",
	    title, t3);
	return buf_detach(&b);
}

/* Table 三 in pipe rows; row r gets values "r*10+c" unless vals given. */
static char *
t3_table(int subtotal, int skip_row, const char *header)
{
	struct buf b;
	int r, c, ncols = subtotal ? 8 : 7;

	buf_init(&b, 0);
	buf_adds(&b, header != NULL ? header :
	    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|申请人情况\n"
	    "|自然人|法人或其他组织|总计\n");
	if (header == NULL)
		buf_addf(&b, "||商业企业|科研机构|社会公益组织|法律服务机构|其他%s|\n",
		    subtotal ? "|小计" : "");
	for (r = 0; r < 25; r++) {
		if (r == skip_row)
			continue;
		buf_addf(&b, "%s", t3_labels[r]);
		for (c = 0; c < ncols; c++)
			buf_addf(&b, "|%d", r * 10 + c);
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}

static struct record *
map(const char *text)
{
	struct doc *d = NULL;
	struct record *r = NULL;
	char *cause = NULL;

	if (reader_read(text, strlen(text), "test", NULL, &d, &cause) != 0) {
		fprintf(stderr, "read: %s\n", cause);
		free(cause);
		return NULL;
	}
	if (mapper_map(d, &r, &cause) != 0) {
		fprintf(stderr, "map: %s\n", cause);
		free(cause);
	}
	doc_free(d);
	return r;
}

static double
val(const struct record *r, const char *key)
{
	int i = record_find_key(key);

	assert_true(i >= 0);
	assert_true(cell_is_num(&r->cells[i]));
	return r->cells[i].value;
}

static void
test_text_reader_cells(void **state)
{
	const char *in = "标题\n\t[bookmark: _Hlk1]一、本年新收\n\t1\n\t2\n\n"
	    "\t5.要求行政机关确认或重新\n出具已获取信息\n\t0\n\n\n正文\n"
	    "[image: IMG_1]\n";
	struct doc *d;
	char *cause = NULL;

	assert_int_equal(text_read(in, strlen(in), &d, &cause), 0);
	assert_int_equal(d->nblocks, 4);
	assert_int_equal(d->blocks[0].kind, BLOCK_TEXT);
	assert_int_equal(d->blocks[1].kind, BLOCK_TABLE);
	assert_int_equal(d->blocks[1].table->nrows, 2);
	assert_string_equal(d->blocks[1].table->rows[0].cells[0].text,
	    "一、本年新收");
	assert_string_equal(d->blocks[1].table->rows[1].cells[0].text,
	    "5.要求行政机关确认或重新\n出具已获取信息");
	assert_int_equal(d->blocks[2].kind, BLOCK_TEXT);
	assert_int_equal(d->blocks[3].kind, BLOCK_IMAGE);
	doc_free(d);
}

static void
test_full_2021(void **state)
{
	char *t3 = t3_table(0, -1, NULL);
	char *in = report("某某县人民政府2024年政府信息公开工作年度报告", t3);
	struct record *r = map(in);
	int i;

	assert_non_null(r);
	assert_int_equal(r->year, 2024);
	assert_string_equal(r->agency, "某某县人民政府");
	assert_string_equal(r->level, "government");
	assert_int_equal(r->format, FORMAT_2021);
	for (i = 0; i < SEC_N; i++)
		assert_true(r->sections[i].present);
	assert_int_equal(r->t2_state, TABLE_FOUND);
	assert_int_equal(r->t3_state, TABLE_FOUND);
	assert_int_equal(r->t4_state, TABLE_FOUND);
	assert_true(val(r, "t2.normative.in_force") == 45);
	assert_true(val(r, "t2.fees.amount") == 5183);
	assert_true(val(r, "t3.new.natural") == 0);
	assert_true(val(r, "t3.new.total") == 6);
	assert_true(val(r, "t3.denied_safety.commercial") == 61);
	assert_true(val(r, "t3.refused_confirm.other") == 195);
	assert_true(val(r, "t3.other_no_fee.legal") == 214);
	assert_true(val(r, "t3.other_other.total") == 226);
	assert_true(val(r, "t3.carried_forward.total") == 246);
	assert_true(val(r, "t4.review.total") == 9);
	assert_true(val(r, "t4.suit_after.total") == 0);
	assert_int_equal(r->nnotes, 0);
	record_free(r);
	free(in);
	free(t3);
}

static void
test_subtotal_column(void **state)
{
	char *t3 = t3_table(1, -1, NULL);
	char *in = report("某某局2024年政府信息公开工作年度报告", t3);
	struct record *r = map(in);

	assert_non_null(r);
	assert_true(r->t3_subtotal);
	assert_string_equal(r->level, "department");
	/* columns: natural commercial research social legal other subtotal total */
	assert_true(val(r, "t3.new.legal_subtotal") == 6);
	assert_true(val(r, "t3.new.total") == 7);
	assert_true(record_key_applies(r, record_find_key("t3.new.legal_subtotal")));
	record_free(r);
	free(in);
	free(t3);
}

static void
test_missing_row_and_lost_numbering(void **state)
{
	char *t3 = t3_table(0, 7, NULL), *in, *p;
	struct record *r;

	/* lost numbering and a truncated label */
	p = strstr(t3, "1.本机关不掌握");
	memcpy(p, "  ", 2);
	p = strstr(t3, "5.要求行政机关确认或重新出具已获取信息");
	memmove(p + strlen("5.要求行政机关确认或重新"), p +
	    strlen("5.要求行政机关确认或重新出具已获取信息"),
	    strlen(p + strlen("5.要求行政机关确认或重新出具已获取信息")) + 1);
	in = report("某某局2024年政府信息公开工作年度报告", t3);
	r = map(in);
	assert_non_null(r);
	assert_true(val(r, "t3.unable_not_held.total") == 126);
	assert_true(val(r, "t3.refused_confirm.total") == 196);
	/* the row that is not there is noted and stays absent */
	assert_int_equal(r->cells[REC_T3(T3_DENIED_THIRD_PARTY, 0)].kind,
	    CELL_ABSENT);
	assert_true(r->nnotes >= 1);
	assert_non_null(strstr(r->notes[0], "第三方"));
	record_free(r);
	free(in);
	free(t3);
}

static void
test_single_other_row_2019(void **state)
{
	struct buf b;
	char *in;
	struct record *r;
	int i, c;

	buf_init(&b, 0);
	buf_adds(&b, "|自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计\n");
	for (i = 0; i < 25; i++) {
		if (i >= 20 && i <= 22) {
			if (i == 20)
				buf_adds(&b, "（六）其他处理|1|0|0|0|0|0|1\n");
			continue;
		}
		buf_adds(&b, t3_labels[i]);
		for (c = 0; c < 7; c++)
			buf_adds(&b, "|0");
		buf_addc(&b, '\n');
	}
	in = report("某某县人民政府办公室2019年政府信息公开工作年度报告",
	    buf_str(&b));
	r = map(in);
	assert_non_null(r);
	assert_int_equal(r->t3_format, FORMAT_2019);
	assert_true(val(r, "t3.other.total") == 1);
	assert_false(record_key_applies(r, REC_T3(T3_OTHER_OTHER, T3C_TOTAL)));
	assert_true(record_key_applies(r, REC_T3(T3_OTHER, T3C_TOTAL)));
	record_free(r);
	free(in);
	buf_release(&b);
}

static void
test_ragged_rows_noted(void **state)
{
	char *t3 = t3_table(0, -1, NULL), *in, *p;
	struct record *r;

	/* drop one value from the 予以公开 row: "|20|21|...|26" → 6 values */
	p = strstr(t3, "|20|21");
	memmove(p, p + 3, strlen(p + 3) + 1);
	in = report("某某局2024年政府信息公开工作年度报告", t3);
	r = map(in);
	assert_non_null(r);
	assert_true(r->nnotes >= 1);
	assert_non_null(strstr(r->notes[0], "予以公开"));
	assert_non_null(strstr(r->notes[0], "6"));
	assert_int_equal(r->cells[REC_T3(T3_GRANTED, T3C_TOTAL)].kind,
	    CELL_BLANK);
	record_free(r);
	free(in);
	free(t3);
}

/* A copy of s with the first "from" replaced by "to". */
static char *
replace1(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	struct buf b;

	assert_non_null(p);
	buf_init(&b, 0);
	buf_add(&b, s, (size_t)(p - s));
	buf_adds(&b, to);
	buf_adds(&b, p + strlen(from));
	return buf_detach(&b);
}

static void
test_text_in_value_cells(void **state)
{
	char *t3 = t3_table(0, -1, NULL), *t3x, *in, *inx;
	struct record *r;

	/* a word inside a row of table 三, "详见附表" instead of 71780 */
	t3x = replace1(t3, "|20|21", "|详见|21");
	in = report("某某局2024年政府信息公开工作年度报告", t3x);
	inx = replace1(in, "行政许可|71780", "行政许可|详见附表");
	r = map(inx);
	assert_non_null(r);
	assert_int_equal(r->cells[REC_T2(T2_LICENSING_DECISIONS)].kind,
	    CELL_TEXT);
	assert_string_equal(r->cells[REC_T2(T2_LICENSING_DECISIONS)].raw,
	    "详见附表");
	assert_int_equal(r->cells[REC_T3(T3_GRANTED, T3C_NATURAL)].kind,
	    CELL_TEXT);
	assert_true(val(r, "t3.granted.commercial") == 21);
	assert_true(val(r, "t3.granted.total") == 26);
	record_free(r);
	free(inx);
	free(in);
	free(t3x);
	free(t3);
}

static void
test_renamed_headings(void **state)
{
	const char *in =
	    "某某区人民政府2023年政府信息公开工作年度报告\n"
	    "一、总体情况\n（一）主动公开情况\n（二）依申请公开情况\n正文。\n"
	    "2、主动公开政府信息情况\n表格见下。\n"
	    "三、收到和处理政府信息公开申请情况\n无。\n"
	    "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况\n无。\n"
	    "五、政府信息公开工作存在的主要问题及改进情况\n无。\n"
	    "六、其他需要报告的事项\n无。\n";
	struct record *r = map(in);
	int i;

	assert_non_null(r);
	for (i = 0; i < SEC_N; i++) {
		assert_true(r->sections[i].present);
		assert_int_equal(r->sections[i].order, i);
	}
	assert_string_equal(r->sections[SEC_PROACTIVE].heading,
	    "2、主动公开政府信息情况");
	assert_non_null(strstr(r->sections[SEC_OVERVIEW].text, "依申请公开情况"));
	assert_int_equal(r->t3_state, TABLE_MISSING);
	record_free(r);
}

static void
test_split_table_repeated_header(void **state)
{
	char *t3 = t3_table(0, -1, NULL), *in, *p;
	struct buf b;
	struct record *r;

	/* split table 三 after （四）无法提供 and repeat the header */
	p = strstr(t3, "2.没有现成信息");
	buf_init(&b, 0);
	buf_add(&b, t3, (size_t)(p - t3));
	buf_adds(&b, "\n\n|自然人|法人或其他组织|总计\n"
	    "||商业企业|科研机构|社会公益组织|法律服务机构|其他|\n");
	buf_adds(&b, p);
	in = report("某某局2024年政府信息公开工作年度报告", buf_str(&b));
	r = map(in);
	assert_non_null(r);
	assert_true(val(r, "t3.unable_create.total") == 136);
	assert_true(val(r, "t3.carried_forward.natural") == 240);
	assert_int_equal(r->nnotes, 0);
	record_free(r);
	free(in);
	free(t3);
	buf_release(&b);
}

static void
test_not_reports(void **state)
{
	struct doc *d;
	struct record *r = NULL;
	char *cause = NULL;
	const char *jd = "关于《某某局2024年政府信息公开工作年度报告》的解读\n"
	    "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n";
	const char *news = "我县召开政务公开工作推进会\n会议强调……\n";
	const char *site = "某某县人民政府门户网站2024年政府网站工作年度报表\n"
	    "网站名称|某某县人民政府\n";

	assert_int_equal(text_read(jd, strlen(jd), &d, &cause), 0);
	assert_int_equal(mapper_map(d, &r, &cause), -1);
	assert_non_null(strstr(cause, "解读"));
	free(cause);
	doc_free(d);
	assert_int_equal(text_read(news, strlen(news), &d, &cause), 0);
	assert_int_equal(mapper_map(d, &r, &cause), -1);
	assert_non_null(strstr(cause, "不是年度报告"));
	free(cause);
	doc_free(d);
	assert_int_equal(text_read(site, strlen(site), &d, &cause), 0);
	assert_int_equal(mapper_map(d, &r, &cause), -1);
	assert_non_null(strstr(cause, "网站工作年度报表"));
	free(cause);
	doc_free(d);
}

static void
test_cells(void **state)
{
	struct cell c;

	cell_parse(&c, "0件");
	assert_int_equal(c.kind, CELL_ZERO);
	free(c.raw);
	cell_parse(&c, "1,234");
	assert_int_equal(c.kind, CELL_NUMBER);
	assert_true(c.value == 1234);
	free(c.raw);
	cell_parse(&c, "\xc2\xa0");
	assert_int_equal(c.kind, CELL_BLANK);
	free(c.raw);
	cell_parse(&c, "／");
	assert_int_equal(c.kind, CELL_NA);
	free(c.raw);
	cell_parse(&c, "不适用");
	assert_int_equal(c.kind, CELL_NA);
	free(c.raw);
	cell_parse(&c, "XX");
	assert_int_equal(c.kind, CELL_TEXT);
	free(c.raw);
	cell_parse(&c, "96171.6");
	assert_int_equal(c.kind, CELL_NUMBER);
	assert_true(c.decimal);
	free(c.raw);
	cell_parse(&c, "+1036");
	assert_true(c.value == 1036);
	free(c.raw);
	cell_parse(&c, "１２");
	assert_true(c.value == 12);
	free(c.raw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_reader_cells),
		cmocka_unit_test(test_full_2021),
		cmocka_unit_test(test_subtotal_column),
		cmocka_unit_test(test_missing_row_and_lost_numbering),
		cmocka_unit_test(test_single_other_row_2019),
		cmocka_unit_test(test_ragged_rows_noted),
		cmocka_unit_test(test_text_in_value_cells),
		cmocka_unit_test(test_renamed_headings),
		cmocka_unit_test(test_split_table_repeated_header),
		cmocka_unit_test(test_not_reports),
		cmocka_unit_test(test_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
