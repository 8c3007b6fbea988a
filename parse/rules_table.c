/*
 * Table arithmetic (勾稽关系, domain.md §2.7): T3.ROW (总计 = the six
 * applicant columns, and the 法人或其他组织 subtotal = its five columns
 * where a report has it), T3.BALANCE (一 + 二 = 三（七） + 四 per column,
 * the identity printed on the form), T3.RESULTS (（七）总计 = every result
 * row （一）…（六） per column) and T4.SUM (总计 = 维持 + 纠正 + 其他 +
 * 尚未审结 per group).
 *
 * Each equation is one finding.  Its operands are gathered by struct sum,
 * which keeps the keys, a readable "自然人 70 + 商业企业 0" and the first
 * non-numeric operands: one blank, n/a or text operand makes the finding
 * unknown, never a zero (the peers' silent zero-filling is what we avoid).
 * Rows and columns that do not belong to the report's layout (2019 single
 * 其他处理 row, optional subtotal column) are chosen by record_key_applies.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "record.h"
#include "rules.h"

#define SUM_MAXBAD	3	/* non-numeric operands named in a message */

struct sum {
	double		 value;
	int		 nbad;		/* operands that are not numbers */
	int		 nterms;
	struct buf	 keys;		/* dotted keys, comma-separated */
	struct buf	 terms;		/* "自然人 70 + 商业企业 0" */
	struct buf	 bad;		/* "“自然人”为空白、…" */
};

static void
sum_init(struct sum *s)
{
	memset(s, 0, sizeof *s);
	buf_init(&s->keys, 0);
	buf_init(&s->terms, 0);
	buf_init(&s->bad, 0);
}

static void
sum_release(struct sum *s)
{
	buf_release(&s->keys);
	buf_release(&s->terms);
	buf_release(&s->bad);
}

/* Notes a non-numeric operand, naming it by name. */
static void
sum_bad(struct sum *s, const char *name, const struct cell *c)
{
	if (s->nbad < SUM_MAXBAD) {
		buf_addf(&s->bad, "%s“%s”", s->nbad ? "、" : "", name);
		rules_addstate(&s->bad, c);
	} else if (s->nbad == SUM_MAXBAD)
		buf_adds(&s->bad, "等");
	s->nbad++;
}

/*
 * Adds cell idx under name.  With term set, the cell also appears in the
 * readable terms (group sums add their rows silently and call
 * sum_term() once for the group).
 */
static void
sum_add(struct sum *s, const struct record *r, int idx, const char *name,
    int term)
{
	const struct cell *c = &r->cells[idx];

	rules_addkey(&s->keys, idx);
	if (!cell_is_num(c)) {
		sum_bad(s, name, c);
		if (term) {
			if (s->nterms)
				buf_adds(&s->terms, " + ");
			buf_adds(&s->terms, name);
			buf_adds(&s->terms, " ？");
			s->nterms++;
		}
		return;
	}
	s->value += c->value;
	if (term) {
		/* buf_adds, not buf_addf: this runs for every cell of 三 */
		if (s->nterms)
			buf_adds(&s->terms, " + ");
		buf_adds(&s->terms, name);
		buf_addc(&s->terms, ' ');
		rules_addnum(&s->terms, c->value);
		s->nterms++;
	}
}

/* Adds a readable term for a group whose cells were added silently. */
static void
sum_term(struct sum *s, const char *name, double v, int ok)
{
	if (s->nterms)
		buf_adds(&s->terms, " + ");
	buf_adds(&s->terms, name);
	buf_addc(&s->terms, ' ');
	if (ok)
		rules_addnum(&s->terms, v);
	else
		buf_adds(&s->terms, "？");
	s->nterms++;
}

/*
 * Adds one finding for "total = parts".  total is the stated cell, parts
 * the gathered sum; where names the equation in the message.
 */
static void
equation(struct record *r, const char *rule, int total, const char *tname,
    struct sum *parts, const char *where)
{
	const struct cell *t = &r->cells[total];
	struct finding *f;
	struct buf keys;
	char a[64], e[64], d[64];

	buf_init(&keys, 0);
	rules_addkey(&keys, total);
	buf_addf(&keys, ",%s", buf_str(&parts->keys));
	if (!cell_is_num(t))
		sum_bad(parts, tname, t);
	if (parts->nbad > 0) {
		record_add_finding(r, rule, SEV_ERROR, RESULT_UNKNOWN,
		    buf_str(&keys), "%s：无法核对，%s（空白不按0计算）", where,
		    buf_str(&parts->bad));
		goto out;
	}
	if (!isfinite(parts->value)) {
		record_add_finding(r, rule, SEV_ERROR, RESULT_UNKNOWN,
		    buf_str(&keys), "%s：数值过大，无法核对", where);
		goto out;
	}
	rules_num(a, sizeof a, t->value);
	rules_num(e, sizeof e, parts->value);
	if (rules_eq(t->value, parts->value))
		f = record_add_finding(r, rule, SEV_ERROR, RESULT_PASS,
		    buf_str(&keys), "%s：%s %s，等于%s", where, tname, a,
		    buf_str(&parts->terms));
	else
		f = record_add_finding(r, rule, SEV_ERROR, RESULT_FAIL,
		    buf_str(&keys), "%s：%s %s，而%s = %s，相差 %s", where,
		    tname, a, buf_str(&parts->terms), e,
		    rules_num(d, sizeof d, t->value - parts->value));
	f->has_numbers = 1;
	f->expected = parts->value;
	f->actual = t->value;
out:
	buf_release(&keys);
}

/* T3.ROW: per applicable row, 总计 = the six applicant columns. */
static void
rule_t3_row(struct record *r)
{
	struct sum s;
	struct buf where;
	int row, col;

	buf_init(&where, 0);
	for (row = 0; row < T3_NROWS; row++) {
		if (!record_key_applies(r, REC_T3(row, T3C_TOTAL)))
			continue;
		buf_reset(&where);
		buf_addf(&where, "表三“%s”行", t3_row_label(row));
		sum_init(&s);
		for (col = 0; col < T3_NAPPLICANT; col++)
			sum_add(&s, r, REC_T3(row, col), t3_col_label(col), 1);
		equation(r, "T3.ROW", REC_T3(row, T3C_TOTAL), "总计", &s,
		    buf_str(&where));
		sum_release(&s);

		/* the extra column, where there is one, is a second check */
		if (!record_key_applies(r, REC_T3(row, T3C_LEGAL_SUBTOTAL)))
			continue;
		sum_init(&s);
		for (col = T3C_COMMERCIAL; col < T3_NAPPLICANT; col++)
			sum_add(&s, r, REC_T3(row, col), t3_col_label(col), 1);
		equation(r, "T3.ROW", REC_T3(row, T3C_LEGAL_SUBTOTAL),
		    "法人或其他组织小计", &s, buf_str(&where));
		sum_release(&s);
	}
	buf_release(&where);
}

/* The columns of table 三 the report has: six applicants, 总计, 小计. */
static int
t3_col_applies(const struct record *r, int col)
{
	return record_key_applies(r, REC_T3(T3_NEW, col));
}

/* T3.BALANCE: per column, 一 + 二 = 三（七）总计 + 四. */
static void
rule_t3_balance(struct record *r)
{
	struct sum in, out;
	struct buf keys, where, bad;
	struct finding *f;
	char a[64], e[64];
	int col;

	buf_init(&keys, 0);
	buf_init(&where, 0);
	buf_init(&bad, 0);
	for (col = 0; col < T3_NCOLS; col++) {
		if (!t3_col_applies(r, col))
			continue;
		sum_init(&in);
		sum_init(&out);
		sum_add(&in, r, REC_T3(T3_NEW, col), "一、本年新收", 1);
		sum_add(&in, r, REC_T3(T3_CARRIED_OVER, col), "二、上年结转", 1);
		sum_add(&out, r, REC_T3(T3_TOTAL, col), "三（七）总计", 1);
		sum_add(&out, r, REC_T3(T3_CARRIED_FORWARD, col),
		    "四、结转下年度继续办理", 1);
		buf_reset(&keys);
		buf_reset(&where);
		buf_reset(&bad);
		buf_addf(&keys, "%s,%s", buf_str(&in.keys),
		    buf_str(&out.keys));
		buf_addf(&where, "表三“%s”列", t3_col_label(col));
		if (in.nbad + out.nbad == 0 && (!isfinite(in.value) ||
		    !isfinite(out.value))) {
			record_add_finding(r, "T3.BALANCE", SEV_ERROR,
			    RESULT_UNKNOWN, buf_str(&keys), "%s：数值过大，无法"
			    "核对", buf_str(&where));
		} else if (in.nbad + out.nbad > 0) {
			buf_addf(&bad, "%s%s%s", buf_str(&in.bad),
			    in.nbad && out.nbad ? "、" : "", buf_str(&out.bad));
			record_add_finding(r, "T3.BALANCE", SEV_ERROR,
			    RESULT_UNKNOWN, buf_str(&keys), "%s：无法核对勾稽关系"
			    "（第一项加第二项之和等于第三项加第四项之和），%s"
			    "（空白不按0计算）", buf_str(&where), buf_str(&bad));
		} else {
			rules_num(a, sizeof a, out.value);
			rules_num(e, sizeof e, in.value);
			if (rules_eq(in.value, out.value))
				f = record_add_finding(r, "T3.BALANCE",
				    SEV_ERROR, RESULT_PASS, buf_str(&keys),
				    "%s：%s = %s，%s = %s，勾稽关系成立",
				    buf_str(&where), buf_str(&in.terms), e,
				    buf_str(&out.terms), a);
			else
				f = record_add_finding(r, "T3.BALANCE",
				    SEV_ERROR, RESULT_FAIL, buf_str(&keys),
				    "%s：%s = %s，而%s = %s，不符合“第一项加"
				    "第二项之和，等于第三项加第四项之和”",
				    buf_str(&where), buf_str(&in.terms), e,
				    buf_str(&out.terms), a);
			f->has_numbers = 1;
			f->expected = in.value;
			f->actual = out.value;
		}
		sum_release(&in);
		sum_release(&out);
	}
	buf_release(&keys);
	buf_release(&where);
	buf_release(&bad);
}

/* The result groups of table 三, in form order. */
static const struct {
	const char	*name;
	int		 first, last;	/* rows, inclusive */
} groups[] = {
	{ "予以公开", T3_GRANTED, T3_GRANTED },
	{ "部分公开", T3_PARTIAL, T3_PARTIAL },
	{ "不予公开", T3_DENIED_SECRET, T3_DENIED_QUERY },
	{ "无法提供", T3_UNABLE_NOT_HELD, T3_UNABLE_UNCLEAR },
	{ "不予处理", T3_REFUSED_PETITION, T3_REFUSED_CONFIRM },
	{ "其他处理", T3_OTHER_NO_CORRECTION, T3_OTHER },
};

/*
 * T3.RESULTS: per column, （七）总计 = （一）+（二）+ Σ（三）+ Σ（四）+
 * Σ（五）+ Σ（六）.  The （六） group is rows other_no_correction ..
 * other_other in the 2021 layout and the single other row in 2019;
 * record_key_applies keeps exactly the rows of the report's layout.
 */
static void
rule_t3_results(struct record *r)
{
	struct sum s;
	struct buf where;
	double gv;
	size_t gi;
	int col, row, ok, idx;

	buf_init(&where, 0);
	for (col = 0; col < T3_NCOLS; col++) {
		if (!t3_col_applies(r, col))
			continue;
		sum_init(&s);
		for (gi = 0; gi < sizeof groups / sizeof groups[0]; gi++) {
			gv = 0;
			ok = 1;
			for (row = groups[gi].first; row <= groups[gi].last;
			    row++) {
				idx = REC_T3(row, col);
				if (!record_key_applies(r, idx))
					continue;
				if (cell_is_num(&r->cells[idx]))
					gv += r->cells[idx].value;
				else
					ok = 0;
				sum_add(&s, r, idx, t3_row_label(row), 0);
			}
			sum_term(&s, groups[gi].name, gv, ok);
		}
		buf_reset(&where);
		buf_addf(&where, "表三“%s”列", t3_col_label(col));
		equation(r, "T3.RESULTS", REC_T3(T3_TOTAL, col), "（七）总计",
		    &s, buf_str(&where));
		sum_release(&s);
	}
	buf_release(&where);
}

/* T4.SUM: per group, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结. */
static void
rule_t4_sum(struct record *r)
{
	struct sum s;
	struct buf where;
	int g, k;

	buf_init(&where, 0);
	for (g = 0; g < T4_NGROUPS; g++) {
		sum_init(&s);
		for (k = 0; k < T4_TOTAL; k++)
			sum_add(&s, r, REC_T4(g, k), t4_result_label(k), 1);
		buf_reset(&where);
		buf_addf(&where, "表四“%s”", t4_group_label(g));
		equation(r, "T4.SUM", REC_T4(g, T4_TOTAL), "总计", &s,
		    buf_str(&where));
		sum_release(&s);
	}
	buf_release(&where);
}

void
rules_table(struct record *r)
{
	/*
	 * Without the table each rule says once why it could not run, so
	 * that every rule of the catalogue appears in the findings.
	 */
	if (r->t3_state == TABLE_FOUND) {
		rule_t3_row(r);
		rule_t3_balance(r);
		rule_t3_results(r);
	} else {
		record_add_finding(r, "T3.ROW", SEV_ERROR, RESULT_UNKNOWN,
		    "", "未读取到表三，无法核对各行总计");
		record_add_finding(r, "T3.BALANCE", SEV_ERROR, RESULT_UNKNOWN,
		    "", "未读取到表三，无法核对勾稽关系");
		record_add_finding(r, "T3.RESULTS", SEV_ERROR, RESULT_UNKNOWN,
		    "", "未读取到表三，无法核对办理结果合计");
	}
	if (r->t4_state == TABLE_FOUND)
		rule_t4_sum(r);
	else
		record_add_finding(r, "T4.SUM", SEV_ERROR, RESULT_UNKNOWN,
		    "", "未读取到表四，无法核对复议、诉讼合计");
}
