/*
 * X.TEXT: figures quoted in the narrative against tables 三 and 四
 * (domain.md §2.7 X-3).  The narrative says "2024年共收到政府信息公开申请
 * 12件…答复14件（含上年结转2件），其中予以公开5件…"; each "N件" is read
 * with the clause before it and compared with the table cell it names:
 *
 *   收到 / 新收 / 受理 …申请 N件          t3.new.total
 *   上年结转 / 上年转结 N件               t3.carried_over.total
 *   结转下年 / 转结下年 / 顺延至下年 N件  t3.carried_forward.total
 *   办结 / 答复 / 办理完毕 N件            t3.total.total
 *   予以公开 / 部分公开 N件               t3.granted.total / t3.partial.total
 *   不予公开 / 无法提供 / 不予处理 N件    Σ of the group's rows, total column
 *   行政复议 N件                          t4.review.total
 *   行政诉讼 N件                          t4.suit_direct.total + suit_after
 *
 * The keyword nearest before the number decides (含上年结转2件 inside a
 * sentence about 答复).  Only "N件/起/宗" written in digits counts, so
 * percentages (占35.71%) and 条 of proactive disclosure never match.  A
 * figure is skipped when its clause is a change (同比, 较, 减少…), an
 * approximation (约, 近, 余), another year's (上年收到, 2023年…), or about
 * something else (建议, 提案, 留言, 信箱); table 三 figures need 申请 in
 * the sentence, table 四 figures 公开 (or section 四).
 *
 * A mismatch whose sentence limits the scope (区政府办代表区政府受理, 其中,
 * 本级, 全县, 各部门…) is a difference of 口径, reported as a failing
 * info-severity finding, not as an arithmetic error: 洪泽 2024 says
 * 区政府办 received 17 while its table (the whole 区政府) says 95.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "record.h"
#include "rules.h"
#include "xmalloc.h"

#define CLAUSE_MAX	60	/* code points looked back for a clause */
#define SENTENCE_MAX	200	/* and for a sentence, each way */
#define FIGURES_MAX	1000	/* "N件" looked at per report (real: < 100) */

enum xkind {
	XK_NEW, XK_CARRIED_OVER, XK_CARRIED_FORWARD, XK_TOTAL,
	XK_GRANTED, XK_PARTIAL, XK_DENIED, XK_UNABLE, XK_REFUSED,
	XK_REVIEW, XK_SUIT, XK_N
};

static const struct xkind_def {
	const char	*name;		/* what the figure is, in messages */
	const char	*cell;		/* the table cells it is compared with */
	int		 table;		/* 3 or 4 */
	int		 first, last;	/* t3 rows or t4 groups, inclusive */
	const char	*kw[12];
} kinds[XK_N] = {
	{ "本年新收申请", "表三“一、本年新收政府信息公开申请数量”总计", 3,
	    T3_NEW, T3_NEW,
	    { "收到", "新收", "受理", "接收", "接到", NULL } },
	{ "上年结转申请", "表三“二、上年结转政府信息公开申请数量”总计", 3,
	    T3_CARRIED_OVER, T3_CARRIED_OVER,
	    { "上年结转", "上年转结", "上年度结转", "上年度转结", "上一年度结转",
	    "上一年结转", "结转上年", NULL } },
	{ "结转下年度申请", "表三“四、结转下年度继续办理”总计", 3,
	    T3_CARRIED_FORWARD, T3_CARRIED_FORWARD,
	    { "结转下年", "转结下年", "结转至下年", "结转到下年", "转至下年",
	    "转入下年", "顺延至下年", "顺延到下年", "结转下一年", "转下年",
	    "下年度继续办理", NULL } },
	{ "办结申请", "表三“（七）总计”总计", 3, T3_TOTAL, T3_TOTAL,
	    { "办结", "答复", "办理完毕", "处理完毕", NULL } },
	{ "予以公开", "表三“（一）予以公开”总计", 3, T3_GRANTED, T3_GRANTED,
	    { "予以公开", NULL } },
	{ "部分公开", "表三“（二）部分公开”总计", 3, T3_PARTIAL, T3_PARTIAL,
	    { "部分公开", NULL } },
	{ "不予公开", "表三“（三）不予公开”各项总计之和", 3, T3_DENIED_SECRET,
	    T3_DENIED_QUERY, { "不予公开", NULL } },
	{ "无法提供", "表三“（四）无法提供”各项总计之和", 3, T3_UNABLE_NOT_HELD,
	    T3_UNABLE_UNCLEAR, { "无法提供", NULL } },
	{ "不予处理", "表三“（五）不予处理”各项总计之和", 3, T3_REFUSED_PETITION,
	    T3_REFUSED_CONFIRM, { "不予处理", NULL } },
	{ "行政复议", "表四“行政复议”总计", 4, T4_REVIEW, T4_REVIEW,
	    { "行政复议", NULL } },
	{ "行政诉讼", "表四“行政诉讼”两项总计之和（未经复议直接起诉、复议后"
	    "起诉）", 4, T4_SUIT_DIRECT, T4_SUIT_AFTER,
	    { "行政诉讼", NULL } },
};

/* Clauses about something other than information-disclosure requests. */
static const char *const other_topic[] = {
	"建议", "提案", "留言", "来信", "信箱", "热线", "咨询", "诉求",
	"民生连线", NULL,
};

/* Clauses giving a change or an approximation rather than a count. */
static const char *const not_count[] = {
	"同比", "环比", "较", "增加", "减少", "增长", "下降", "上升", "相比",
	"持平", "约", "近", "超过", "逾", NULL,
};

/* Another year's figure (unless the figure is the 上年结转 itself). */
static const char *const last_year[] = {
	"上年", "去年", "上一年", "前年", NULL,
};

/* Words that limit a sentence to part of the agency or widen it. */
static const char *const scope_words[] = {
	"代表", "其中", "本级", "各部门", "各单位", "各乡镇", "各镇", "各街道",
	"各级", "汇总", "全县", "全区", "全市", "全省", "全州", "全旗", "全镇",
	"县直", "区直", "市直", "系统", "所属", "下属", NULL,
};
/* The same, for a government's report naming its office. */
static const char *const office_words[] = { "政府办", "办公室", NULL };

struct quote {
	enum xkind	 kind;
	double		 value;
};

struct xtext {
	struct record	*r;
	struct quote	*seen;		/* (kind, figure) already reported */
	size_t		 nseen;
	int		 nfigures;	/* figures compared */
	int		 nexamined;	/* "N件" looked at, against FIGURES_MAX */
	int		 office;	/* the agency is an office itself */
};

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether word occurs in [s, e). */
static const char *
find_in(const char *s, const char *e, const char *w)
{
	const char *p;
	size_t l = strlen(w);

	for (p = s; p + l <= e; p++)
		if (strncmp(p, w, l) == 0)
			return p;
	return NULL;
}

static const char *
find_any(const char *s, const char *e, const char *const *words)
{
	const char *p;
	size_t i;

	for (i = 0; words[i] != NULL; i++) {
		p = find_in(s, e, words[i]);
		if (p != NULL)
			return words[i];
	}
	return NULL;
}

static int
is_clause_delim(const char *p)
{
	static const char *const d[] = {
		",", ";", "。", "!", "?", "(", ")", "[", "]", NULL,
	};

	return rules_at(p, d);
}

static int
is_sentence_delim(const char *p)
{
	static const char *const d[] = { "。", "!", "?", NULL };

	return rules_at(p, d);
}

/*
 * The kind named by the keyword ending nearest to e in [s, e), or -1.
 * A longer keyword ending at the same place wins (上年结转 over 结转).
 */
static int
clause_kind(const char *s, const char *e)
{
	const char *p, *best_end = NULL;
	size_t l, best_len = 0;
	int k, i, best = -1;

	for (k = 0; k < XK_N; k++) {
		for (i = 0; kinds[k].kw[i] != NULL; i++) {
			l = strlen(kinds[k].kw[i]);
			for (p = s; p + l <= e; p++) {
				if (strncmp(p, kinds[k].kw[i], l) != 0)
					continue;
				if (best_end == NULL || p + l > best_end ||
				    (p + l == best_end && l > best_len)) {
					best_end = p + l;
					best_len = l;
					best = k;
				}
			}
		}
	}
	return best;
}

/* Whether [s, e) mentions a year other than the report's. */
static int
other_year(const char *s, const char *e, int year)
{
	const char *p;
	int y;

	for (p = s; p + 4 < e; p++) {
		if ((p > s && is_digit(p[-1])) || !is_digit(p[0]) ||
		    !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]) ||
		    is_digit(p[4]) || strncmp(p + 4, "年", strlen("年")) != 0)
			continue;
		y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 +
		    (p[2] - '0') * 10 + (p[3] - '0');
		if (year != 0 && y != year)
			return 1;
	}
	return 0;
}

/*
 * The table's value for a kind: the sum of its cells in the total column
 * (or the groups' totals of table 四).  Returns 1 and *v, 0 when a cell is
 * not a number, -1 when the table was not read.  keys gets the cells.
 */
static int
table_value(const struct record *r, enum xkind k, double *v, struct buf *keys)
{
	const struct xkind_def *d = &kinds[k];
	int i, idx, ok = 1;

	*v = 0;
	if ((d->table == 3 && r->t3_state != TABLE_FOUND) ||
	    (d->table == 4 && r->t4_state != TABLE_FOUND))
		return -1;
	for (i = d->first; i <= d->last; i++) {
		idx = d->table == 3 ? REC_T3(i, T3C_TOTAL) :
		    REC_T4(i, T4_TOTAL);
		if (!record_key_applies(r, idx))
			continue;
		rules_addkey(keys, idx);
		if (cell_is_num(&r->cells[idx]))
			*v += r->cells[idx].value;
		else
			ok = 0;
	}
	return ok && isfinite(*v);
}

static void
report(struct xtext *x, enum xkind k, double fig, const char *line,
    size_t qs, size_t qe, const char *ss, const char *num)
{
	struct record *r = x->r;
	struct buf keys, ex, scope;
	struct finding *f;
	const char *w;
	char t[64];
	double tv;
	size_t i;
	int st;

	for (i = 0; i < x->nseen; i++)
		if (x->seen[i].kind == k && rules_eq(x->seen[i].value, fig))
			return;
	x->seen = xreallocarray(x->seen, x->nseen + 1, sizeof *x->seen);
	x->seen[x->nseen].kind = k;
	x->seen[x->nseen++].value = fig;

	buf_init(&keys, 0);
	buf_init(&ex, 0);
	buf_init(&scope, 0);
	/* the clause, with a little of the sentence before it */
	for (i = 0, w = line + qs; i < 8 && w > ss; i++)
		w = rules_cpprev(line, w);
	rules_excerpt(&ex, line, (size_t)(w - line), qe, 0, 0);
	st = table_value(r, k, &tv, &keys);
	if (st < 0) {
		record_add_finding(r, "X.TEXT", SEV_WARNING, RESULT_UNKNOWN,
		    buf_str(&keys), "正文“%s”：未读取到表%s，无法核对",
		    buf_str(&ex), kinds[k].table == 3 ? "三" : "四");
		goto out;
	}
	if (st == 0) {
		record_add_finding(r, "X.TEXT", SEV_WARNING, RESULT_UNKNOWN,
		    buf_str(&keys), "正文“%s”：%s有空白或非数字单元格，无法"
		    "核对", buf_str(&ex), kinds[k].cell);
		goto out;
	}
	if (rules_eq(tv, fig)) {
		f = record_add_finding(r, "X.TEXT", SEV_WARNING, RESULT_PASS,
		    buf_str(&keys), "正文“%s”与%s %s 一致", buf_str(&ex),
		    kinds[k].cell, num);
		goto numbers;
	}
	/* the words limiting the sentence's scope, before the figure */
	for (i = 0; scope_words[i] != NULL; i++)
		if (find_in(ss, line + qe, scope_words[i]) != NULL)
			buf_addf(&scope, "“%s”", scope_words[i]);
	for (i = 0; !x->office && office_words[i] != NULL; i++)
		if (find_in(ss, line + qe, office_words[i]) != NULL)
			buf_addf(&scope, "“%s”", office_words[i]);
	rules_num(t, sizeof t, tv);
	if (scope.len > 0)
		f = record_add_finding(r, "X.TEXT", SEV_INFO, RESULT_FAIL,
		    buf_str(&keys), "正文“%s”所述%s为 %s 件，%s为 %s；句中有%s"
		    "等限定，属统计口径不同，不是计算错误", buf_str(&ex),
		    kinds[k].name, num, kinds[k].cell, t, buf_str(&scope));
	else
		f = record_add_finding(r, "X.TEXT", SEV_WARNING, RESULT_FAIL,
		    buf_str(&keys), "正文“%s”所述%s为 %s 件，而%s为 %s，两者"
		    "不一致", buf_str(&ex), kinds[k].name, num, kinds[k].cell,
		    t);
numbers:
	f->has_numbers = 1;
	f->expected = tv;
	f->actual = fig;
out:
	buf_release(&keys);
	buf_release(&ex);
	buf_release(&scope);
}

/* Units after a figure: 件 (requests, cases), 起 and 宗 (cases). */
static size_t
unit_at(const char *p)
{
	static const char *const u[] = { "件", "起", "宗", NULL };
	unsigned char c = (unsigned char)*p;
	size_t i;

	/* the lead bytes of 件 起 宗: most characters stop here */
	if (c != 0xe4 && c != 0xe8 && c != 0xe5)
		return 0;
	for (i = 0; u[i] != NULL; i++)
		if (strncmp(p, u[i], strlen(u[i])) == 0)
			return strlen(u[i]);
	return 0;
}

/*
 * The figure ending just before unit u: digits with optional thousands
 * commas and one space.  Returns its start or NULL, and *v.
 */
static const char *
figure_before(const char *line, const char *u, double *v)
{
	const char *e = u, *s, *p;
	double val = 0;
	int ndig;

	if (e > line && e[-1] == ' ')
		e--;
	s = e;
	for (;;) {
		ndig = 0;
		while (s > line && is_digit(s[-1])) {
			s--;
			ndig++;
		}
		if (ndig == 0)
			return NULL;
		/* 3,119: a comma with exactly three digits after it */
		if (s - line >= 2 && s[-1] == ',' && is_digit(s[-2]) &&
		    ndig == 3)
			s--;
		else
			break;
	}
	/* 35.71件 or 第3件 are not counts of requests */
	if (s > line && s[-1] == '.' && s - line >= 2 && is_digit(s[-2]))
		return NULL;
	if (e - s > 15)
		return NULL;		/* no count has that many digits */
	for (p = s; p < e; p++)
		if (is_digit(*p))
			val = val * 10 + (*p - '0');
	*v = val;
	return s;
}

static void
scan_line(struct xtext *x, const char *line, int section)
{
	const char *p, *u, *ns, *cs, *ss, *se, *prev;
	const char *why;
	char num[64];
	size_t ul;
	double v;
	int k, i;

	for (p = line; *p != '\0'; p += rules_cplen(p)) {
		ul = unit_at(p);
		if (ul == 0)
			continue;
		u = p;
		ns = figure_before(line, u, &v);
		if (ns == NULL)
			continue;
		/* adversarial input (fuzzers) must stay linear */
		if (++x->nexamined > FIGURES_MAX)
			return;
		/*
		 * Clause and sentence around the figure, bounded so that a
		 * line without punctuation costs linear time, not quadratic.
		 */
		for (i = 0, cs = ns; cs > line && i < CLAUSE_MAX; i++,
		    cs = prev) {
			prev = rules_cpprev(line, cs);
			if (is_clause_delim(prev))
				break;
		}
		for (i = 0, ss = ns; ss > line && i < SENTENCE_MAX; i++,
		    ss = prev) {
			prev = rules_cpprev(line, ss);
			if (is_sentence_delim(prev))
				break;
		}
		for (i = 0, se = u; *se != '\0' && !is_sentence_delim(se) &&
		    i < SENTENCE_MAX; i++, se += rules_cplen(se))
			;
		k = clause_kind(cs, ns);
		if (k < 0)
			continue;
		if (find_any(cs, ns, other_topic) != NULL ||
		    find_any(cs, ns, not_count) != NULL ||
		    other_year(cs, ns, x->r->year))
			continue;
		if (k != XK_CARRIED_OVER && find_any(cs, ns, last_year) != NULL)
			continue;
		if (ns > line && strncmp(rules_cpprev(line, ns), "第",
		    strlen("第")) == 0)
			continue;
		if (kinds[k].table == 3)
			why = find_in(ss, se, "申请");
		else
			why = section == SEC_REVIEW ? ss :
			    find_in(ss, se, "公开");
		if (why == NULL)
			continue;
		/* both 复议 and 诉讼 in one clause: a combined figure */
		if (kinds[k].table == 4 && find_in(cs, ns, "行政复议") != NULL &&
		    find_in(cs, ns, "行政诉讼") != NULL)
			continue;
		x->nfigures++;
		rules_num(num, sizeof num, v);
		report(x, k, v, line, (size_t)(cs - line),
		    (size_t)(u + ul - line), ss, num);
	}
}

static void
scan_text(struct xtext *x, const char *text, int section)
{
	char **lines;
	size_t n, i;

	n = rules_lines(text, &lines);
	for (i = 0; i < n; i++)
		scan_line(x, lines[i], section);
	rules_lines_free(lines, n);
}

/*
 * Sections are scanned one by one when the mapper filled them (so a
 * figure's section is known); r->text only when no section has text.
 */
void
rules_text(struct record *r)
{
	struct xtext x;
	int s, any = 0;

	memset(&x, 0, sizeof x);
	x.r = r;
	x.office = r->agency != NULL && (strstr(r->agency, "办公室") != NULL ||
	    strstr(r->agency, "政府办") != NULL);
	for (s = 0; s < SEC_N; s++) {
		if (r->sections[s].text == NULL ||
		    r->sections[s].text[0] == '\0')
			continue;
		any = 1;
		scan_text(&x, r->sections[s].text, s);
	}
	if (!any && r->text != NULL)
		scan_text(&x, r->text, -1);
	if (x.nfigures == 0)
		record_add_finding(r, "X.TEXT", SEV_WARNING, RESULT_UNKNOWN, "",
		    "正文中未找到可与表三、表四核对的申请或复议、诉讼件数");
	free(x.seen);
}
