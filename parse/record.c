/*
 * The report record: cell keys (the public names of every cell), Chinese
 * labels used in messages, cell classification (number / zero / blank / n/a
 * / text) and the record's lifecycle.  Keys are built once from the tables
 * below; never rename a key, they are a public interface.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label.h"
#include "record.h"
#include "xmalloc.h"

#define RECORD_MAX_NOTES	200

static const char *t2_keys[T2_N] = {
	"t2.rules.issued", "t2.rules.repealed", "t2.rules.in_force",
	"t2.normative.issued", "t2.normative.repealed", "t2.normative.in_force",
	"t2.licensing.decisions", "t2.punishment.decisions",
	"t2.coercion.decisions", "t2.fees.amount",
	"t2.rules.made", "t2.rules.published", "t2.rules.total",
	"t2.normative.made", "t2.normative.published", "t2.normative.total",
	"t2.licensing.previous", "t2.licensing.change", "t2.licensing.decisions",
	"t2.other_services.previous", "t2.other_services.change",
	"t2.other_services.decisions",
	"t2.punishment.previous", "t2.punishment.change",
	"t2.punishment.decisions",
	"t2.coercion.previous", "t2.coercion.change", "t2.coercion.decisions",
	"t2.fees.previous", "t2.fees.change",
	"t2.procurement.projects", "t2.procurement.amount",
};

static const char *t2_labels[T2_N] = {
	"规章 本年制发件数", "规章 本年废止件数", "规章 现行有效件数",
	"行政规范性文件 本年制发件数", "行政规范性文件 本年废止件数",
	"行政规范性文件 现行有效件数",
	"行政许可 本年处理决定数量", "行政处罚 本年处理决定数量",
	"行政强制 本年处理决定数量", "行政事业性收费 本年收费金额（万元）",
	"规章 本年新制作数量", "规章 本年新公开数量", "规章 对外公开总数量",
	"规范性文件 本年新制作数量", "规范性文件 本年新公开数量",
	"规范性文件 对外公开总数量",
	"行政许可 上一年项目数量", "行政许可 本年增/减", "行政许可 处理决定数量",
	"其他对外管理服务事项 上一年项目数量", "其他对外管理服务事项 本年增/减",
	"其他对外管理服务事项 处理决定数量",
	"行政处罚 上一年项目数量", "行政处罚 本年增/减", "行政处罚 处理决定数量",
	"行政强制 上一年项目数量", "行政强制 本年增/减", "行政强制 处理决定数量",
	"行政事业性收费 上一年项目数量", "行政事业性收费 本年增/减",
	"政府集中采购 采购项目数量", "政府集中采购 采购总金额",
};

static const char *t3_row_keys[T3_NROWS] = {
	"new", "carried_over", "granted", "partial",
	"denied_secret", "denied_law", "denied_safety", "denied_third_party",
	"denied_internal", "denied_process", "denied_enforcement",
	"denied_query",
	"unable_not_held", "unable_create", "unable_unclear",
	"refused_petition", "refused_repeat", "refused_publication",
	"refused_massive", "refused_confirm",
	"other_no_correction", "other_no_fee", "other_other",
	"other",
	"total", "carried_forward",
};

static const char *t3_row_labels[T3_NROWS] = {
	"一、本年新收政府信息公开申请数量",
	"二、上年结转政府信息公开申请数量",
	"（一）予以公开",
	"（二）部分公开",
	"（三）不予公开 1.属于国家秘密",
	"（三）不予公开 2.其他法律行政法规禁止公开",
	"（三）不予公开 3.危及“三安全一稳定”",
	"（三）不予公开 4.保护第三方合法权益",
	"（三）不予公开 5.属于三类内部事务信息",
	"（三）不予公开 6.属于四类过程性信息",
	"（三）不予公开 7.属于行政执法案卷",
	"（三）不予公开 8.属于行政查询事项",
	"（四）无法提供 1.本机关不掌握相关政府信息",
	"（四）无法提供 2.没有现成信息需要另行制作",
	"（四）无法提供 3.补正后申请内容仍不明确",
	"（五）不予处理 1.信访举报投诉类申请",
	"（五）不予处理 2.重复申请",
	"（五）不予处理 3.要求提供公开出版物",
	"（五）不予处理 4.无正当理由大量反复申请",
	"（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
	"（六）其他处理 1.申请人无正当理由逾期不补正",
	"（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
	"（六）其他处理 3.其他",
	"（六）其他处理",
	"（七）总计",
	"四、结转下年度继续办理",
};

static const char *t3_col_keys[T3_NCOLS] = {
	"natural", "commercial", "research", "social", "legal", "other",
	"total", "legal_subtotal",
};

static const char *t3_col_labels[T3_NCOLS] = {
	"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
	"总计", "法人或其他组织小计",
};

static const char *t4_group_keys[T4_NGROUPS] = {
	"review", "suit_direct", "suit_after",
};
static const char *t4_group_labels[T4_NGROUPS] = {
	"行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）",
};
static const char *t4_result_keys[T4_NRESULTS] = {
	"upheld", "corrected", "other", "pending", "total",
};
static const char *t4_result_labels[T4_NRESULTS] = {
	"结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
};

static const char *section_names[SEC_N] = {
	"一、总体情况",
	"二、主动公开政府信息情况",
	"三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况",
	"五、存在的主要问题及改进情况",
	"六、其他需要报告的事项",
};

static char *keys[REC_NCELLS];

static void
record_keys_init(void)
{
	int r, c, g, k;

	if (keys[0] != NULL)
		return;
	for (k = 0; k < T2_N; k++)
		keys[REC_T2(k)] = (char *)t2_keys[k];
	for (r = 0; r < T3_NROWS; r++)
		for (c = 0; c < T3_NCOLS; c++)
			xasprintf(&keys[REC_T3(r, c)], "t3.%s.%s",
			    t3_row_keys[r], t3_col_keys[c]);
	for (g = 0; g < T4_NGROUPS; g++)
		for (k = 0; k < T4_NRESULTS; k++)
			xasprintf(&keys[REC_T4(g, k)], "t4.%s.%s",
			    t4_group_keys[g], t4_result_keys[k]);
}

const char *
record_key(int idx)
{
	if (idx < 0 || idx >= REC_NCELLS)
		return "?";
	record_keys_init();
	return keys[idx];
}

int
record_find_key(const char *key)
{
	int i;

	record_keys_init();
	for (i = 0; i < REC_NCELLS; i++) {
		/* the 2019 t2.licensing.decisions duplicates the 2021 key */
		if (strcmp(keys[i], key) == 0)
			return i;
	}
	return -1;
}

int
record_key_applies(const struct record *r, int idx)
{
	if (idx < T2_N) {
		if (r->t2_state != TABLE_FOUND)
			return 0;
		if (r->t2_format == FORMAT_2019)
			return idx >= T2_2021_N;
		return idx < T2_2021_N;
	}
	if (idx < REC_T3(0, 0) + T3_NROWS * T3_NCOLS) {
		int row = (idx - REC_T3(0, 0)) / T3_NCOLS;
		int col = (idx - REC_T3(0, 0)) % T3_NCOLS;

		if (r->t3_state != TABLE_FOUND)
			return 0;
		if (col == T3C_LEGAL_SUBTOTAL && !r->t3_subtotal)
			return 0;
		if (r->t3_format == FORMAT_2019)
			return row < T3_OTHER_NO_CORRECTION || row >= T3_OTHER;
		return row != T3_OTHER;
	}
	return r->t4_state == TABLE_FOUND;
}

struct record *
record_new(void)
{
	struct record *r;

	r = xcalloc(1, sizeof *r);
	r->charset = "UTF-8";
	r->reader = "text";
	r->t2_format = FORMAT_2021;
	r->t3_format = FORMAT_2021;
	return r;
}

void
record_free(struct record *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->agency);
	free(r->region);
	free(r->level);
	free(r->title);
	free(r->url);
	free(r->published);
	free(r->published_from);
	free(r->text);
	for (i = 0; i < SEC_N; i++) {
		free(r->sections[i].heading);
		free(r->sections[i].text);
	}
	for (i = 0; i < REC_NCELLS; i++)
		free(r->cells[i].raw);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	for (i = 0; i < r->nfindings; i++) {
		free(r->findings[i].cells);
		free(r->findings[i].message);
	}
	free(r->findings);
	free(r);
}

static int
is_na(const char *n)
{
	static const char *na[] = {
		"/", "\\", "-", "--", "—", "——", "–", "无", "不适用",
		"不涉及", "N/A", "n/a", "NA", "na", "-/-", "×",
	};
	size_t i;

	for (i = 0; i < sizeof na / sizeof na[0]; i++)
		if (strcmp(n, na[i]) == 0)
			return 1;
	return 0;
}

/* Strips a trailing unit word (件, 个, 万元...) in place. */
static void
strip_unit(char *n)
{
	static const char *units[] = {
		"万元", "元", "件", "个", "项", "条", "次", "宗",
	};
	size_t i, len, ul;

	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		len = strlen(n);
		ul = strlen(units[i]);
		if (len > ul && strcmp(n + len - ul, units[i]) == 0) {
			n[len - ul] = '\0';
			return;
		}
	}
}

void
cell_parse(struct cell *c, const char *raw)
{
	char *n, *p, *q;
	char *end;
	int digits = 0, dot = 0;

	memset(c, 0, sizeof *c);
	c->raw = xstrdup(raw ? raw : "");
	n = label_norm(c->raw);
	if (*n == '\0') {
		c->kind = CELL_BLANK;
		goto out;
	}
	if (is_na(n)) {
		c->kind = CELL_NA;
		goto out;
	}
	if (strcmp(n, "零") == 0) {
		c->kind = CELL_ZERO;
		goto out;
	}
	strip_unit(n);
	/* drop thousands separators between digits */
	for (p = q = n; *p != '\0'; p++) {
		if (*p == ',' && p > n && p[1] >= '0' && p[1] <= '9' &&
		    p[-1] >= '0' && p[-1] <= '9')
			continue;
		*q++ = *p;
	}
	*q = '\0';
	p = n;
	if (*p == '+' || *p == '-')
		p++;
	for (q = p; *q != '\0'; q++) {
		if (*q >= '0' && *q <= '9')
			digits++;
		else if (*q == '.' && !dot)
			dot = 1;
		else
			break;
	}
	/*
	 * More than 15 digits is no count a report can hold, and past that
	 * a double stops being exact (or overflows): keep it as text.
	 */
	if (*q != '\0' || digits == 0 || digits > 15) {
		c->kind = CELL_TEXT;
		goto out;
	}
	c->value = strtod(n, &end);
	c->decimal = dot;
	c->kind = c->value == 0 ? CELL_ZERO : CELL_NUMBER;
	if (c->value == 0)
		c->value = 0;	/* no -0 */
out:
	free(n);
}

void
record_set_cell(struct record *r, int idx, const char *raw)
{
	if (idx < 0 || idx >= REC_NCELLS)
		return;
	free(r->cells[idx].raw);
	cell_parse(&r->cells[idx], raw);
}

const char *
cell_kind_name(enum cell_kind k)
{
	switch (k) {
	case CELL_ABSENT: return "absent";
	case CELL_NUMBER: return "number";
	case CELL_ZERO: return "zero";
	case CELL_BLANK: return "blank";
	case CELL_NA: return "na";
	case CELL_TEXT: return "text";
	}
	return "?";
}

int
cell_is_num(const struct cell *c)
{
	return c->kind == CELL_NUMBER || c->kind == CELL_ZERO;
}

void
record_note(struct record *r, const char *fmt, ...)
{
	va_list ap;

	/* a hostile table could make one note per row: keep the first ones */
	if (r->nnotes > RECORD_MAX_NOTES)
		return;
	if ((r->nnotes & (r->nnotes - 1)) == 0)	/* 0, 1, 2, 4...: double */
		r->notes = xreallocarray(r->notes, r->nnotes ? r->nnotes * 2 : 1,
		    sizeof *r->notes);
	if (r->nnotes == RECORD_MAX_NOTES) {
		r->notes[r->nnotes++] = xstrdup("……说明过多，其余从略");
		return;
	}
	va_start(ap, fmt);
	xvasprintf(&r->notes[r->nnotes++], fmt, ap);
	va_end(ap);
}

struct finding *
record_add_finding(struct record *r, const char *rule, enum severity sev,
    enum finding_result res, const char *cells, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (r->nfindings == r->findings_cap) {
		r->findings_cap = r->findings_cap ? r->findings_cap * 2 : 32;
		r->findings = xreallocarray(r->findings, r->findings_cap,
		    sizeof *r->findings);
	}
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof *f);
	f->rule = rule;
	f->severity = sev;
	f->result = res;
	f->cells = xstrdup(cells ? cells : "");
	va_start(ap, fmt);
	xvasprintf(&f->message, fmt, ap);
	va_end(ap);
	return f;
}

const char *
format_name(enum rec_format f)
{
	switch (f) {
	case FORMAT_2021: return "2021";
	case FORMAT_2019: return "2019";
	case FORMAT_PRE2019: return "pre2019";
	case FORMAT_UNKNOWN: break;
	}
	return "unknown";
}

const char *
severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO: return "info";
	case SEV_WARNING: return "warning";
	case SEV_ERROR: return "error";
	}
	return "?";
}

const char *
result_name(enum finding_result r)
{
	switch (r) {
	case RESULT_PASS: return "pass";
	case RESULT_FAIL: return "fail";
	case RESULT_UNKNOWN: return "unknown";
	}
	return "?";
}

const char *
section_name(enum rec_section s)
{
	return (unsigned)s < SEC_N ? section_names[s] : "?";
}

const char *
t3_row_label(enum t3_row r)
{
	return (unsigned)r < T3_NROWS ? t3_row_labels[r] : "?";
}

const char *
t3_col_label(enum t3_col c)
{
	return (unsigned)c < T3_NCOLS ? t3_col_labels[c] : "?";
}

const char *
t4_group_label(enum t4_group g)
{
	return (unsigned)g < T4_NGROUPS ? t4_group_labels[g] : "?";
}

const char *
t4_result_label(enum t4_result k)
{
	return (unsigned)k < T4_NRESULTS ? t4_result_labels[k] : "?";
}

const char *
t2_field_label(enum t2_field f)
{
	return (unsigned)f < T2_N ? t2_labels[f] : "?";
}
