/*
 * Structure rules: whether the report has the six sections of the format
 * in order (STRUCT.SECTIONS), whether tables 二, 三 and 四 could be read
 * (STRUCT.TABLES), and whether the tables' layout is the one of the
 * report's year (STRUCT.FORMAT).  They only look at what the mapper
 * recorded (sections[].present/order, t*_state, t*_format, year, format).
 *
 * Reports for 2008–2018 (FORMAT_PRE2019) follow the 2007 条例 and have no
 * uniform sections or tables, so these rules answer unknown for them
 * instead of failing every old report.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "record.h"
#include "rules.h"

static const char *table_names[3] = {
	"表二（主动公开政府信息情况）",
	"表三（收到和处理政府信息公开申请情况）",
	"表四（政府信息公开行政复议、行政诉讼情况）",
};
#define FORMAT_KEYS	"meta.year,meta.format"

static const char *table_short[3] = { "表二", "表三", "表四" };

static int
any_section(const struct record *r)
{
	int i;

	for (i = 0; i < SEC_N; i++)
		if (r->sections[i].present)
			return 1;
	return 0;
}

/*
 * STRUCT.SECTIONS: every section present, and the present ones in the
 * order 一…六 (a section found before one that should precede it is out
 * of order).  One finding.
 */
static void
rule_sections(struct record *r)
{
	struct buf missing, order;
	int i, maxi = -1, nmiss = 0, nbad = 0;

	if (r->format == FORMAT_PRE2019) {
		record_add_finding(r, "STRUCT.SECTIONS", SEV_WARNING,
		    RESULT_UNKNOWN, "", "2019年以前的年度报告没有统一的六部分"
		    "结构，不检查章节");
		return;
	}
	buf_init(&missing, 0);
	buf_init(&order, 0);
	for (i = 0; i < SEC_N; i++) {
		if (!r->sections[i].present) {
			buf_addf(&missing, "%s“%s”", nmiss ? "、" : "",
			    section_name(i));
			nmiss++;
			continue;
		}
		if (maxi >= 0 && r->sections[i].order <
		    r->sections[maxi].order) {
			buf_addf(&order, "%s“%s”出现在“%s”之后",
			    nbad ? "；" : "", section_name(i),
			    section_name(maxi));
			nbad++;
			continue;
		}
		maxi = i;
	}
	if (nmiss == 0 && nbad == 0)
		record_add_finding(r, "STRUCT.SECTIONS", SEV_WARNING,
		    RESULT_PASS, "", "六个部分齐全且顺序正确");
	else
		record_add_finding(r, "STRUCT.SECTIONS", SEV_WARNING,
		    RESULT_FAIL, "", "%s%s%s%s%s",
		    nmiss ? "缺少" : "", buf_str(&missing),
		    nmiss && nbad ? "；" : "",
		    nbad ? "章节顺序错乱：" : "", buf_str(&order));
	buf_release(&missing);
	buf_release(&order);
}

/*
 * STRUCT.TABLES: one finding per table.  An image where the table
 * should be is said as such, since the fix (publish the table as text)
 * differs from a table simply left out.
 */
static void
rule_tables(struct record *r)
{
	/* a finding about a whole table names the table */
	static const char *table_key[3] = { "t2", "t3", "t4" };
	enum table_state st[3];
	int i;

	st[0] = r->t2_state;
	st[1] = r->t3_state;
	st[2] = r->t4_state;
	for (i = 0; i < 3; i++) {
		if (r->format == FORMAT_PRE2019) {
			record_add_finding(r, "STRUCT.TABLES", SEV_ERROR,
			    RESULT_UNKNOWN, table_key[i], "2019年以前的年度报告"
			    "没有统一表格，不检查%s", table_short[i]);
			continue;
		}
		if (r->format == FORMAT_UNKNOWN && !any_section(r) &&
		    st[i] == TABLE_MISSING) {
			record_add_finding(r, "STRUCT.TABLES", SEV_ERROR,
			    RESULT_UNKNOWN, table_key[i], "未识别出报告格式和"
			    "章节，无法判断是否缺少%s", table_short[i]);
			continue;
		}
		switch (st[i]) {
		case TABLE_FOUND:
			record_add_finding(r, "STRUCT.TABLES", SEV_ERROR,
			    RESULT_PASS, table_key[i], "%s已读取",
			    table_names[i]);
			break;
		case TABLE_IMAGE:
			record_add_finding(r, "STRUCT.TABLES", SEV_ERROR,
			    RESULT_FAIL, table_key[i], "%s以图片形式发布，无法"
			    "读取数据", table_names[i]);
			break;
		case TABLE_MISSING:
			record_add_finding(r, "STRUCT.TABLES", SEV_ERROR,
			    RESULT_FAIL, table_key[i], "缺少%s",
			    table_names[i]);
			break;
		}
	}
}

/*
 * STRUCT.FORMAT: the 2021 format (国办公开办函〔2021〕30号) applies from
 * the 2021 reports on, the 2019 trial format to the 2019 and 2020 ones.
 * A 2019 layout in a 2021+ report is the common fault (templates copied
 * forward); a 2021 layout in a 2019–2020 report cannot come from the
 * official templates and is worded as a doubt about the year.
 */
static void
rule_format(struct record *r)
{
	struct buf b;
	int found = 0, old = 0, t2old, t3old, t2new, t3new;

	if (r->year == 0) {
		record_add_finding(r, "STRUCT.FORMAT", SEV_WARNING,
		    RESULT_UNKNOWN, "meta.year", "报告年度未知，无法判断表格"
		    "格式是否适用");
		return;
	}
	if (r->year < 2019) {
		record_add_finding(r, "STRUCT.FORMAT", SEV_WARNING,
		    RESULT_UNKNOWN, FORMAT_KEYS, "%d年度报告早于"
		    "统一格式，不检查表格格式", r->year);
		return;
	}
	if (r->format == FORMAT_PRE2019) {
		record_add_finding(r, "STRUCT.FORMAT", SEV_WARNING,
		    RESULT_FAIL, FORMAT_KEYS, "%d年度报告未采用"
		    "统一的年度报告格式（仍为2019年以前的结构）", r->year);
		return;
	}
	t2old = r->t2_state == TABLE_FOUND && r->t2_format == FORMAT_2019;
	t3old = r->t3_state == TABLE_FOUND && r->t3_format == FORMAT_2019;
	t2new = r->t2_state == TABLE_FOUND && r->t2_format == FORMAT_2021;
	t3new = r->t3_state == TABLE_FOUND && r->t3_format == FORMAT_2021;
	found = r->t2_state == TABLE_FOUND || r->t3_state == TABLE_FOUND;
	if (!found) {
		record_add_finding(r, "STRUCT.FORMAT", SEV_WARNING,
		    RESULT_UNKNOWN, FORMAT_KEYS, "未读取到表二或"
		    "表三，无法判断表格格式");
		return;
	}
	buf_init(&b, 0);
	if (r->year >= 2021) {
		if (t2old)
			buf_adds(&b, "表二采用2019年试行格式（本年新制作数量/"
			    "上一年项目数量等列）");
		if (t3old)
			buf_addf(&b, "%s表三“（六）其他处理”为单行（2019年试行"
			    "格式）", t2old ? "；" : "");
		old = t2old || t3old;
		if (old)
			record_add_finding(r, "STRUCT.FORMAT", SEV_WARNING,
			    RESULT_FAIL, FORMAT_KEYS, "%d年度报告应使用2021年"
			    "格式（国办公开办函〔2021〕30号）：%s", r->year,
			    buf_str(&b));
		else
			record_add_finding(r, "STRUCT.FORMAT", SEV_WARNING,
			    RESULT_PASS, FORMAT_KEYS, "表格采用2021年格式，"
			    "与%d年度相符", r->year);
	} else {
		if (t2new)
			buf_adds(&b, "表二");
		if (t3new)
			buf_addf(&b, "%s表三", t2new ? "、" : "");
		if (t2new || t3new)
			record_add_finding(r, "STRUCT.FORMAT", SEV_WARNING,
			    RESULT_FAIL, FORMAT_KEYS, "%s采用2021年格式，而%d"
			    "年度报告应使用2019年试行格式，请核对报告年度",
			    buf_str(&b), r->year);
		else
			record_add_finding(r, "STRUCT.FORMAT", SEV_WARNING,
			    RESULT_PASS, FORMAT_KEYS, "表格采用2019年试行格式，"
			    "与%d年度相符", r->year);
	}
	buf_release(&b);
}

void
rules_struct(struct record *r)
{
	rule_sections(r);
	rule_tables(r);
	rule_format(r);
}
