/*
 * Rules on two reports of one agency, last year's (prev) and this year's
 * (cur), appending findings to cur (domain.md §2.7 ):
 *
 *   X.CARRY    per column of table 三, cur 二、上年结转 = prev 四、结转下年度
 *              继续办理 (the peers check the 总计 column only);
 *   X.INFORCE  for 规章 and 行政规范性文件, cur 现行有效 = prev 现行有效 +
 *              cur 本年制发 − cur 本年废止 (2021 layout in both years; re-
 *              issues and clean-ups make it fail legitimately: a warning);
 *   X.COPY     the share of cur's sentences found verbatim (after
 *              label_norm) in prev: local evaluations deduct points above
 *              50 %, so more than half is a failing info finding.
 *
 * The cells of a finding are cur's; the message names prev's cell and
 * value.  When both years are known and are not consecutive, X.CARRY and
 * X.INFORCE answer unknown (X.COPY still compares the texts).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "label.h"
#include "record.h"
#include "rules.h"
#include "xmalloc.h"

#define COPY_MIN_CHARS	8	/* shorter sentences are headings, boilerplate */
#define COPY_LIMIT	50.0	/* percent repeated that evaluations penalise */

/* How prev is named in messages: "2023年度报告", or "上年报告". */
static const char *
prev_name(const struct record *prev, char *buf, size_t len)
{
	if (prev->year == 0)
		snprintf(buf, len, "上年报告");
	else
		snprintf(buf, len, "%d年度报告", prev->year);
	return buf;
}

static int
consecutive(const struct record *prev, const struct record *cur)
{
	return prev->year == 0 || cur->year == 0 || cur->year == prev->year + 1;
}

static void
rule_carry(const struct record *prev, struct record *cur)
{
	struct finding *f;
	const struct cell *a, *b;
	struct buf bad;
	char pa[64], ca[64], pn[64];
	int col, ia, ib;

	if (!consecutive(prev, cur)) {
		record_add_finding(cur, "X.CARRY", SEV_WARNING, RESULT_UNKNOWN,
		    "", "对比的报告为%d年度，不是%d年度的上一年，不核对上年"
		    "结转", prev->year, cur->year);
		return;
	}
	if (prev->t3_state != TABLE_FOUND || cur->t3_state != TABLE_FOUND) {
		record_add_finding(cur, "X.CARRY", SEV_WARNING, RESULT_UNKNOWN,
		    "", "%s未读取到表三，无法核对上年结转",
		    cur->t3_state != TABLE_FOUND ? "本年报告" : "上年报告");
		return;
	}
	buf_init(&bad, 0);
	for (col = 0; col < T3_NCOLS; col++) {
		ia = REC_T3(T3_CARRIED_OVER, col);
		ib = REC_T3(T3_CARRIED_FORWARD, col);
		if (!record_key_applies(cur, ia) ||
		    !record_key_applies(prev, ib))
			continue;
		a = &cur->cells[ia];
		b = &prev->cells[ib];
		if (!cell_is_num(a) || !cell_is_num(b)) {
			buf_reset(&bad);
			if (!cell_is_num(a)) {
				buf_adds(&bad, "本年“二、上年结转”");
				rules_addstate(&bad, a);
			}
			if (!cell_is_num(b)) {
				buf_addf(&bad, "%s上年“四、结转下年度继续办理”",
				    cell_is_num(a) ? "" : "，");
				rules_addstate(&bad, b);
			}
			record_add_finding(cur, "X.CARRY", SEV_WARNING,
			    RESULT_UNKNOWN, record_key(ia), "表三“%s”列：无法"
			    "核对上年结转，%s", t3_col_label(col),
			    buf_str(&bad));
			continue;
		}
		rules_num(ca, sizeof ca, a->value);
		rules_num(pa, sizeof pa, b->value);
		if (rules_eq(a->value, b->value))
			f = record_add_finding(cur, "X.CARRY", SEV_WARNING,
			    RESULT_PASS, record_key(ia), "表三“%s”列：本年“二、"
			    "上年结转”%s 与%s“四、结转下年度继续办理”%s 一致",
			    t3_col_label(col), ca, prev_name(prev, pn,
			    sizeof pn), pa);
		else
			f = record_add_finding(cur, "X.CARRY", SEV_WARNING,
			    RESULT_FAIL, record_key(ia), "表三“%s”列：本年“二、"
			    "上年结转”为 %s，而%s“四、结转下年度继续办理”为 %s",
			    t3_col_label(col), ca, prev_name(prev, pn,
			    sizeof pn), pa);
		f->has_numbers = 1;
		f->expected = b->value;
		f->actual = a->value;
	}
	buf_release(&bad);
}

static void
inforce_one(const struct record *prev, struct record *cur, int issued,
    int repealed, int inforce, const char *what)
{
	const struct cell *p = &prev->cells[inforce];
	const struct cell *i = &cur->cells[issued];
	const struct cell *x = &cur->cells[repealed];
	const struct cell *c = &cur->cells[inforce];
	struct finding *f;
	struct buf keys, bad;
	char ps[64], is[64], xs[64], cs[64], es[64];
	double e;

	buf_init(&keys, 0);
	buf_init(&bad, 0);
	rules_addkey(&keys, inforce);
	rules_addkey(&keys, issued);
	rules_addkey(&keys, repealed);
	if (!cell_is_num(p) || !cell_is_num(i) || !cell_is_num(x) ||
	    !cell_is_num(c)) {
		if (!cell_is_num(p)) {
			buf_adds(&bad, "上年“现行有效件数”");
			rules_addstate(&bad, p);
		}
		if (!cell_is_num(i)) {
			buf_addf(&bad, "%s本年“本年制发件数”", bad.len ? "，" :
			    "");
			rules_addstate(&bad, i);
		}
		if (!cell_is_num(x)) {
			buf_addf(&bad, "%s本年“本年废止件数”", bad.len ? "，" :
			    "");
			rules_addstate(&bad, x);
		}
		if (!cell_is_num(c)) {
			buf_addf(&bad, "%s本年“现行有效件数”", bad.len ? "，" :
			    "");
			rules_addstate(&bad, c);
		}
		record_add_finding(cur, "X.INFORCE", SEV_WARNING,
		    RESULT_UNKNOWN, buf_str(&keys), "表二“%s”：无法核对现行"
		    "有效件数，%s", what, buf_str(&bad));
		goto out;
	}
	e = p->value + i->value - x->value;
	if (!isfinite(e)) {
		record_add_finding(cur, "X.INFORCE", SEV_WARNING,
		    RESULT_UNKNOWN, buf_str(&keys), "表二“%s”：数值过大，无法"
		    "核对", what);
		goto out;
	}
	rules_num(ps, sizeof ps, p->value);
	rules_num(is, sizeof is, i->value);
	rules_num(xs, sizeof xs, x->value);
	rules_num(cs, sizeof cs, c->value);
	rules_num(es, sizeof es, e);
	if (rules_eq(e, c->value))
		f = record_add_finding(cur, "X.INFORCE", SEV_WARNING,
		    RESULT_PASS, buf_str(&keys), "表二“%s”：现行有效 %s = 上年"
		    "现行有效 %s + 本年制发 %s − 本年废止 %s", what, cs, ps, is,
		    xs);
	else
		f = record_add_finding(cur, "X.INFORCE", SEV_WARNING,
		    RESULT_FAIL, buf_str(&keys), "表二“%s”：现行有效件数为 "
		    "%s，而上年现行有效 %s + 本年制发 %s − 本年废止 %s = %s"
		    "（如有重新清理、统计口径调整请在报告中说明）", what, cs, ps,
		    is, xs, es);
	f->has_numbers = 1;
	f->expected = e;
	f->actual = c->value;
out:
	buf_release(&keys);
	buf_release(&bad);
}

static void
rule_inforce(const struct record *prev, struct record *cur)
{
	if (!consecutive(prev, cur)) {
		record_add_finding(cur, "X.INFORCE", SEV_WARNING,
		    RESULT_UNKNOWN, "", "对比的报告为%d年度，不是%d年度的上"
		    "一年，不核对现行有效件数", prev->year, cur->year);
		return;
	}
	if (prev->t2_state != TABLE_FOUND || cur->t2_state != TABLE_FOUND) {
		record_add_finding(cur, "X.INFORCE", SEV_WARNING,
		    RESULT_UNKNOWN, "", "%s未读取到表二，无法核对现行有效件数",
		    cur->t2_state != TABLE_FOUND ? "本年报告" : "上年报告");
		return;
	}
	/* 2019's 对外公开总数量 is not 现行有效件数: no honest comparison */
	if (prev->t2_format != FORMAT_2021 || cur->t2_format != FORMAT_2021) {
		record_add_finding(cur, "X.INFORCE", SEV_WARNING,
		    RESULT_UNKNOWN, "", "%s表二为2019年试行格式（对外公开总数量"
		    "不等同于现行有效件数），不核对", cur->t2_format !=
		    FORMAT_2021 ? "本年" : "上年");
		return;
	}
	inforce_one(prev, cur, REC_T2(T2_RULES_ISSUED),
	    REC_T2(T2_RULES_REPEALED), REC_T2(T2_RULES_IN_FORCE), "规章");
	inforce_one(prev, cur, REC_T2(T2_NORM_ISSUED),
	    REC_T2(T2_NORM_REPEALED), REC_T2(T2_NORM_IN_FORCE), "行政规范性文件");
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The sentences of a record's text: split on 。！？ and line ends,
 * normalized with label_norm, at least COPY_MIN_CHARS characters.
 */
static size_t
sentences(const struct record *r, char ***out)
{
	static const char *const ends[] = {
		"。", "！", "？", "!", "?", "\n", NULL,
	};
	char *text, *s, *n, **v = NULL;
	const char *p, *start;
	size_t nv = 0;

	text = rules_all_text(r);
	for (p = start = text; ; p += rules_cplen(p)) {
		if (*p != '\0' && !rules_at(p, ends))
			continue;
		s = xstrndup(start, (size_t)(p - start));
		n = label_norm(s);
		free(s);
		if (label_chars(n) >= COPY_MIN_CHARS) {
			if ((nv & (nv - 1)) == 0)	/* 0, 1, 2, 4...: double */
				v = xreallocarray(v, nv ? nv * 2 : 1,
				    sizeof *v);
			v[nv++] = n;
		} else
			free(n);
		if (*p == '\0')
			break;
		start = p + rules_cplen(p);
	}
	free(text);
	*out = v;
	return nv;
}

static void
rule_copy(const struct record *prev, struct record *cur)
{
	char **a, **b;
	size_t na, nb, i, same = 0;
	struct finding *f;
	char pn[64];
	double pct;

	na = sentences(cur, &a);
	nb = sentences(prev, &b);
	if (na == 0 || nb == 0) {
		record_add_finding(cur, "X.COPY", SEV_INFO, RESULT_UNKNOWN, "",
		    "%s没有可比较的正文，无法计算与上年报告的重复率",
		    na == 0 ? "本年报告" : "上年报告");
		goto out;
	}
	qsort(b, nb, sizeof *b, cmp_str);
	for (i = 0; i < na; i++)
		if (bsearch(&a[i], b, nb, sizeof *b, cmp_str) != NULL)
			same++;
	pct = 100.0 * (double)same / (double)na;
	f = record_add_finding(cur, "X.COPY", SEV_INFO, pct > COPY_LIMIT ?
	    RESULT_FAIL : RESULT_PASS, "", "正文%zu句中有%zu句与%s相同，"
	    "重复率%.1f%%%s", na, same, prev_name(prev, pn, sizeof pn), pct,
	    pct > COPY_LIMIT ?
	    "，超过50%" : "");
	f->has_numbers = 1;
	f->expected = COPY_LIMIT;
	f->actual = pct;
out:
	for (i = 0; i < na; i++)
		free(a[i]);
	free(a);
	for (i = 0; i < nb; i++)
		free(b[i]);
	free(b);
}

void
rules_pair(const struct record *prev, struct record *cur)
{
	rule_carry(prev, cur);
	rule_inforce(prev, cur);
	rule_copy(prev, cur);
}
