/*
 * The rule catalogue's entry points and shared helpers.  rules_run() runs
 * every one-report rule in catalogue order (structure, metadata, table
 * arithmetic, cell ranges, text against tables); rules_run_pair() runs the
 * rules that need last year's report.  The rules themselves live in
 * rules_struct.c, rules_meta.c, rules_table.c, rules_range.c,
 * rules_text.c and rules_pair.c; this file holds what they share: how a
 * number and a cell are named in a Chinese message, and how the report's
 * text is cut into normalized lines.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "label.h"
#include "parse.h"
#include "record.h"
#include "export.h"
#include "rules.h"
#include "xmalloc.h"

void
rules_run(struct record *r)
{
	rules_struct(r);
	rules_meta(r);
	rules_table(r);
	rules_range(r);
	rules_text(r);
}

void
rules_run_pair(const struct record *prev, struct record *cur)
{
	rules_pair(prev, cur);
}

int
rules_eq(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

const char *
rules_num(char *out, size_t len, double v)
{
	export_number(v, out, len);
	return out;
}

void
rules_addnum(struct buf *b, double v)
{
	char n[64];

	buf_adds(b, rules_num(n, sizeof n, v));
}

void
rules_addlabel(struct buf *b, int idx)
{
	int row, col, g, k;

	if (idx < 0 || idx >= REC_NCELLS) {
		buf_adds(b, "?");
		return;
	}
	if (idx < T2_N) {
		buf_addf(b, "表二“%s”", t2_field_label(idx));
		return;
	}
	if (idx < REC_T4(0, 0)) {
		row = (idx - REC_T3(0, 0)) / T3_NCOLS;
		col = (idx - REC_T3(0, 0)) % T3_NCOLS;
		buf_addf(b, "表三“%s”行“%s”列", t3_row_label(row),
		    t3_col_label(col));
		return;
	}
	g = (idx - REC_T4(0, 0)) / T4_NRESULTS;
	k = (idx - REC_T4(0, 0)) % T4_NRESULTS;
	buf_addf(b, "表四“%s”“%s”", t4_group_label(g), t4_result_label(k));
}

void
rules_addkey(struct buf *b, int idx)
{
	if (b->len > 0)
		buf_addc(b, ',');
	buf_adds(b, record_key(idx));
}

void
rules_addstate(struct buf *b, const struct cell *c)
{
	switch (c->kind) {
	case CELL_ABSENT:
		buf_adds(b, "缺失");
		break;
	case CELL_BLANK:
		buf_adds(b, "为空白");
		break;
	case CELL_NA:
		buf_addf(b, "为“%s”", c->raw != NULL ? c->raw : "");
		break;
	case CELL_TEXT:
		buf_addf(b, "为文字“%s”", c->raw != NULL ? c->raw : "");
		break;
	case CELL_NUMBER:
	case CELL_ZERO:
		buf_adds(b, "为");
		rules_addnum(b, c->value);
		break;
	}
}

char *
rules_all_text(const struct record *r)
{
	struct buf b;
	int i;

	if (r->text != NULL && r->text[0] != '\0')
		return xstrdup(r->text);
	buf_init(&b, 0);
	for (i = 0; i < SEC_N; i++) {
		if (r->sections[i].text == NULL)
			continue;
		buf_adds(&b, r->sections[i].text);
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}

size_t
rules_lines(const char *text, char ***out)
{
	char **v = NULL, *line, *n;
	const char *p, *e;
	size_t nv = 0, cap = 0;

	for (p = text != NULL ? text : ""; *p != '\0'; p = e) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		line = xstrndup(p, (size_t)(e - p));
		n = label_norm_text(line);
		free(line);
		if (*e == '\n')
			e++;
		if (*n == '\0') {
			free(n);
			continue;
		}
		/* geometric growth: a 50 MB page has a million lines */
		if (nv == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[nv++] = n;
	}
	*out = v;
	return nv;
}

void
rules_lines_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

const char *
rules_cpprev(const char *start, const char *p)
{
	if (p <= start)
		return start;
	p--;
	while (p > start && ((unsigned char)*p & 0xc0) == 0x80)
		p--;
	return p;
}

/*
 * Appends [s, e) with the ASCII punctuation that label_norm_text folded
 * from full-width put back where it touches Chinese text, so quotes read
 * as the report wrote them ("申请12件，同比" rather than "申请12件,同比");
 * "3,119" and URLs keep theirs.
 */
static void
add_refolded(struct buf *b, const char *line, const char *s, const char *e)
{
	static const char ascii[] = ",;:()!?";
	static const char *const wide[] = {
		"，", "；", "：", "（", "）", "！", "？",
	};
	const char *p, *k;

	for (p = s; p < e; p++) {
		k = strchr(ascii, *p);
		if (*p != '\0' && k != NULL &&
		    ((p > line && (unsigned char)p[-1] >= 0x80) ||
		    (unsigned char)p[1] >= 0x80))
			buf_adds(b, wide[k - ascii]);
		else
			buf_addc(b, *p);
	}
}

void
rules_excerpt(struct buf *b, const char *line, size_t start, size_t end,
    int before, int after)
{
	const char *s = line + start, *e = line + end;
	int i;

	for (i = 0; i < before && s > line; i++)
		s = rules_cpprev(line, s);
	for (i = 0; i < after && *e != '\0'; i++)
		e += rules_cplen(e);
	if (s > line)
		buf_adds(b, "…");
	add_refolded(b, line, s, e);
	if (*e != '\0')
		buf_adds(b, "…");
}

int
rules_at(const char *p, const char *const *words)
{
	size_t i;

	/* compare the first byte inline: this runs for every character */
	for (i = 0; words[i] != NULL; i++)
		if (*p == words[i][0] &&
		    strncmp(p, words[i], strlen(words[i])) == 0)
			return 1;
	return 0;
}

const struct rule_info rules_catalogue[] = {
	{ "STRUCT.SECTIONS", "warning", 0,
	    "六个章节齐全且顺序正确（标题宽松匹配）",
	    "the six sections are present and in order" },
	{ "STRUCT.TABLES", "error", 0,
	    "表二、表三、表四齐全可读；以图片发布的表格单独指出",
	    "tables 2, 3 and 4 are present and readable; images are named" },
	{ "STRUCT.FORMAT", "warning", 0,
	    "表格格式与报告年度相符（2021年起应使用2021年格式）",
	    "the table layout matches the report year" },
	{ "STRUCT.PLACEHOLDER", "error", 0,
	    "没有遗留模板占位符（[具体地名]、XX、××、某某…）",
	    "no template placeholder left in" },
	{ "META.YEAR", "error", 0,
	    "标题年度、统计期限与正文所述年度一致",
	    "title year, statistics period and text years agree" },
	{ "T3.ROW", "error", 0,
	    "表三每行：总计 = 六类申请人之和（小计 = 五类法人之和）",
	    "table 3, every row: total = sum of the six applicant columns" },
	{ "T3.BALANCE", "error", 0,
	    "表三每列：第一项 + 第二项 = 第三项（七）总计 + 第四项",
	    "table 3, every column: new + carried over = total + carried forward" },
	{ "T3.RESULTS", "error", 0,
	    "表三每列：（七）总计 = （一）至（六）各项之和",
	    "table 3, every column: total = sum of the result rows" },
	{ "T4.SUM", "error", 0,
	    "表四三组：总计 = 维持 + 纠正 + 其他 + 尚未审结",
	    "table 4, each group: total = upheld + corrected + other + pending" },
	{ "CELL.RANGE", "error", 0,
	    "件数为非负整数，收费为非负数；非数字内容、部分非零而总计空白（警告）",
	    "counts are non-negative integers, the fee a non-negative decimal" },
	{ "X.TEXT", "warning", 0,
	    "正文引用的件数与表格一致；统计口径不同单独说明",
	    "figures quoted in the text agree with the tables" },
	{ "X.CARRY", "warning", 1,
	    "本年上年结转 = 上年结转下年度继续办理（逐列）",
	    "carried over = last year's carried forward, per column" },
	{ "X.INFORCE", "warning", 1,
	    "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止",
	    "in force = last year's in force + issued - repealed" },
	{ "X.COPY", "info", 1,
	    "与上年报告重复的正文比例（超过50%提示）",
	    "share of text repeated from last year's report" },
	{ NULL, NULL, 0, NULL, NULL },
};
