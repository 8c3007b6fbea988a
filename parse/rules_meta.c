/*
 * Text-level checks of the report as a document: STRUCT.PLACEHOLDER
 * (template text never filled in: [具体地名], XX县, XXXX年, X月X日, ××,
 * 某某, （单位名称）, ＊＊, 请填写) and META.YEAR (the record's year against
 * the year in the title, the 统计期限 and the statements "YYYY年共收到…
 * 申请N件" / "YYYY年…主动公开…N条").
 *
 * Both scan normalized lines (rules_lines: full-width folded, 【】 as [],
 * （） as ()), so ＸＸ and XX, 【具体地名】 and [具体地名] are one thing.
 * META.YEAR is deliberately narrow: a year only counts when it introduces
 * a clause with a count (…N件, …N条) and the clause is not a comparison
 * (同比, 上年, 较…), a plan (方案, 要点) or a document title (《…》), so
 * that narrative mentions of other years never fail a report.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "label.h"
#include "record.h"
#include "rules.h"
#include "xmalloc.h"

#define CLAUSE_MAX	60	/* code points of a clause looked at, each way */
#define YEARS_MAX	1000	/* "YYYY年" examined per report (fuzzers) */
#define TOKENS_MAX	50	/* distinct placeholders reported */

/* Where a placeholder was seen; sections are 0 .. SEC_N - 1. */
enum { W_TEXT = SEC_N, W_TITLE, W_CELL, W_N };

struct ph {
	char		*token;		/* the placeholder as written */
	int		 n[W_N];	/* occurrences per place */
	struct buf	 keys;		/* cells holding it */
	char		*excerpt;	/* first context seen */
};

struct phlist {
	struct ph	*v;
	size_t		 n;
};

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void
ph_add(struct phlist *l, const char *tok, size_t toklen, int where, int idx,
    const char *line, size_t start)
{
	struct buf ex;
	struct ph *p = NULL;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strlen(l->v[i].token) == toklen &&
		    memcmp(l->v[i].token, tok, toklen) == 0) {
			p = &l->v[i];
			break;
		}
	}
	if (p == NULL) {
		if (l->n >= TOKENS_MAX)
			return;
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		p = &l->v[l->n++];
		memset(p, 0, sizeof *p);
		p->token = xstrndup(tok, toklen);
		buf_init(&p->keys, 0);
	}
	p->n[where]++;
	if (where == W_CELL && strstr(buf_str(&p->keys),
	    record_key(idx)) == NULL)
		rules_addkey(&p->keys, idx);
	if (where == W_TITLE && strstr(buf_str(&p->keys), "meta.title") == NULL)
		buf_addf(&p->keys, "%smeta.title", p->keys.len ? "," : "");
	if (p->excerpt == NULL) {
		buf_init(&ex, 0);
		rules_excerpt(&ex, line, start, start + toklen, 15, 15);
		p->excerpt = buf_detach(&ex);
	}
}

/* Words inside [] or () that mark a template blank: [具体地名], (单位名称). */
static const char *const bracket_words[] = {
	"地名", "名称", "填写", "填报", "待定", "待补充", "姓名", "某某",
	"XX", "xx", "××", NULL,
};

/* Phrases of template instructions left in the text. */
static const char *const phrases[] = {
	"请填写", "此处填写", "待填写", "待补充", "此处输入", NULL,
};

/* Units after a lone X that make it a blank: X月X日, X年, X件. */
static const char *const x_units[] = {
	"年", "月", "日", "号", "件", "条", "个", "次", "届", "家", "项", NULL,
};

/*
 * Length of a bracketed blank at p ("[具体地名]", "(单位名称)"), or 0.
 * Only short contents count: long parentheses are ordinary prose.
 */
static size_t
bracket_at(const char *p)
{
	const char *q;
	char close;
	size_t i, n;
	char *content;
	int hit = 0;

	if (*p != '[' && *p != '(')
		return 0;
	close = *p == '[' ? ']' : ')';
	for (q = p + 1, n = 0; *q != '\0' && *q != close && n <= 12; n++)
		q += rules_cplen(q);
	if (*q != close || n == 0 || n > 12)
		return 0;
	content = xstrndup(p + 1, (size_t)(q - p - 1));
	for (i = 0; bracket_words[i] != NULL; i++)
		if (strstr(content, bracket_words[i]) != NULL)
			hit = 1;
	free(content);
	return hit ? (size_t)(q - p) + 1 : 0;
}

/*
 * Length of an X blank at p ("XX", "XXXX年", "20XX年", "X月"), or 0.  A run
 * of X inside a Latin word, URL or e-mail address (xxgk.gov.cn, xx@163)
 * is not a blank.  *start is moved back over leading digits of 20XX.
 */
static size_t
xrun_at(const char *line, const char *p, const char **start)
{
	const char *q = p, *s = p, *u;
	static const char url[] = "@./_-:%&=?#\\";
	size_t n = 0;

	if (*p != 'X' && *p != 'x')
		return 0;
	if (p > line && (is_alnum(p[-1]) || strchr(url, p[-1]) != NULL)) {
		/* 20XX年: digits then X, but only before 年 */
		for (s = p; s > line && is_digit(s[-1]); s--)
			;
		if (s == p || (s > line && (is_alnum(s[-1]) ||
		    strchr(url, s[-1]) != NULL)))
			return 0;
		q = p;
		while (*q == 'X' || *q == 'x')
			q++;
		if (strncmp(q, "年", strlen("年")) != 0)
			return 0;
		*start = s;
		return (size_t)(q - s) + strlen("年");
	}
	while (*q == 'X' || *q == 'x') {
		q++;
		n++;
	}
	if (*q != '\0' && (is_alnum(*q) || strchr(url, *q) != NULL))
		return 0;
	/* the token keeps a date unit: "XXXX年", "X月" */
	u = q;
	if (strncmp(q, "年", strlen("年")) == 0 ||
	    strncmp(q, "月", strlen("月")) == 0 ||
	    strncmp(q, "日", strlen("日")) == 0)
		u = q + rules_cplen(q);
	if (n >= 2)
		return (size_t)(u - p);
	/* a lone X only before a unit: X月X日, X件 */
	if (rules_at(q, x_units))
		return (size_t)(q - p) + rules_cplen(q);
	return 0;
}

/* Length of a run of at least two of the 2-byte or 3-byte char ch at p. */
static size_t
run_at(const char *p, const char *ch)
{
	size_t l = strlen(ch), n = 0;

	while (strncmp(p + n * l, ch, l) == 0)
		n++;
	return n >= 2 ? n * l : 0;
}

static void
scan_line(struct phlist *l, const char *line, int where, int idx)
{
	const char *p = line, *s;
	size_t len, i;
	int stars = 0;

	/*
	 * ＊＊ is a blank, but a converter's **bold** comes in pairs: with
	 * two runs of stars on a line, stars are not counted.
	 */
	for (s = strstr(line, "**"); s != NULL; s = strstr(s, "**")) {
		stars++;
		s += strspn(s, "*");
	}
	while (*p != '\0') {
		unsigned char c = (unsigned char)*p;

		/*
		 * Every placeholder starts with [ ( X x * or one of × 某 请 此 待
		 * (checked by their first two bytes): skip the rest cheaply.
		 */
		if (c >= 0x80 ? !((c == 0xc3 && (unsigned char)p[1] == 0x97) ||
		    (c == 0xe6 && ((unsigned char)p[1] == 0x9f ||
		    (unsigned char)p[1] == 0xad)) || (c == 0xe8 &&
		    (unsigned char)p[1] == 0xaf) || (c == 0xe5 &&
		    (unsigned char)p[1] == 0xbe)) : (c != '[' && c != '(' &&
		    c != 'X' && c != 'x' && c != '*')) {
			p += rules_cplen(p);
			continue;
		}
		s = p;
		len = bracket_at(p);
		if (len == 0)
			len = xrun_at(line, p, &s);
		if (len == 0)
			len = run_at(p, "×");
		if (len == 0 && stars < 2)
			len = run_at(p, "*");
		if (len == 0)
			len = run_at(p, "某");
		for (i = 0; len == 0 && phrases[i] != NULL; i++)
			if (strncmp(p, phrases[i], strlen(phrases[i])) == 0)
				len = strlen(phrases[i]);
		if (len > 0) {
			ph_add(l, s, len, where, idx, line,
			    (size_t)(s - line));
			p = s + len;
			continue;
		}
		p += rules_cplen(p);
	}
}

static void
scan_text(struct phlist *l, const char *text, int where, int idx)
{
	char **lines;
	size_t n, i;

	n = rules_lines(text, &lines);
	for (i = 0; i < n; i++)
		scan_line(l, lines[i], where, idx);
	rules_lines_free(lines, n);
}

/* The normalized lines of the report's text, shared by both rules here. */
struct meta_text {
	char	**lines;
	size_t	  n;
};

/* Whether the (normalized) text contains the (normalized) title. */
static int
text_has_title(const struct record *r)
{
	char *t, *x;
	int has;

	if (r->text == NULL || r->title == NULL)
		return 0;
	t = label_norm(r->title);
	x = label_norm(r->text);
	has = *t != '\0' && strstr(x, t) != NULL;
	free(t);
	free(x);
	return has;
}

/*
 * STRUCT.PLACEHOLDER.  r->text holds the sections' texts too, so a
 * placeholder seen in both is counted once: the text count is the larger
 * of r->text's and the sections' sum, and the sections say where.
 */
static void
rule_placeholder(struct record *r, const struct meta_text *mt)
{
	struct phlist l = { NULL, 0 };
	struct buf where, tok;
	struct finding *f;
	size_t i;
	int s, idx, nsec, total, title_in_text;

	title_in_text = text_has_title(r);
	if (r->title != NULL && !title_in_text)
		scan_text(&l, r->title, W_TITLE, -1);
	if (r->text != NULL)
		for (i = 0; i < mt->n; i++)
			scan_line(&l, mt->lines[i], W_TEXT, -1);
	/*
	 * The sections are part of r->text: scan them again only to say
	 * where a placeholder is, which a clean text (the usual case) never
	 * needs.
	 */
	for (s = 0; s < SEC_N; s++)
		if (r->sections[s].text != NULL && (r->text == NULL ||
		    l.n > 0))
			scan_text(&l, r->sections[s].text, s, -1);
	for (idx = 0; idx < REC_NCELLS; idx++)
		if (r->cells[idx].kind == CELL_TEXT &&
		    record_key_applies(r, idx))
			scan_text(&l, r->cells[idx].raw, W_CELL, idx);

	buf_init(&where, 0);
	for (i = 0; i < l.n; i++) {
		struct ph *p = &l.v[i];

		buf_reset(&where);
		nsec = 0;
		for (s = 0; s < SEC_N; s++) {
			if (p->n[s] == 0)
				continue;
			buf_addf(&where, "%s%s", where.len ? "、" : "",
			    section_name(s));
			nsec += p->n[s];
		}
		if (p->n[W_TEXT] > nsec)
			buf_addf(&where, "%s正文", where.len ? "、" : "");
		if (p->n[W_TITLE] > 0)
			buf_addf(&where, "%s标题", where.len ? "、" : "");
		if (p->n[W_CELL] > 0)
			buf_addf(&where, "%s表格", where.len ? "、" : "");
		total = (p->n[W_TEXT] > nsec ? p->n[W_TEXT] : nsec) +
		    p->n[W_TITLE] + p->n[W_CELL];
		/* as written: "（单位名称）", not the folded "(单位名称)" */
		buf_init(&tok, 0);
		rules_excerpt(&tok, p->token, 0, strlen(p->token), 0, 0);
		f = record_add_finding(r, "STRUCT.PLACEHOLDER", SEV_ERROR,
		    RESULT_FAIL, buf_str(&p->keys), "模板占位符“%s”未替换，"
		    "共%d处（%s），如“%s”", buf_str(&tok), total,
		    buf_str(&where), p->excerpt);
		buf_release(&tok);
		f->has_numbers = 1;
		f->expected = 0;
		f->actual = total;
		free(p->token);
		free(p->excerpt);
		buf_release(&p->keys);
	}
	if (l.n == 0)
		record_add_finding(r, "STRUCT.PLACEHOLDER", SEV_ERROR,
		    RESULT_PASS, "", "未发现未替换的模板占位符");
	buf_release(&where);
	free(l.v);
}

/*
 * A year of four digits (1990–2099) at p, not preceded by a digit; with
 * whole set, not followed by one either.  Returns 0 if none.
 */
static int
year_at(const char *line, const char *p, int whole)
{
	int y;

	if (p > line && is_digit(p[-1]))
		return 0;
	if (!is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) ||
	    !is_digit(p[3]))
		return 0;
	if (whole && is_digit(p[4]))
		return 0;
	y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 +
	    (p[3] - '0');
	return y >= 1990 && y <= 2099 ? y : 0;
}

/* A found year with where it came from. */
struct seen {
	int	 year;
	char	*excerpt;
};

struct years {
	struct seen	 title;
	struct seen	*period;
	size_t		 nperiod;
	struct seen	*phrase;
	size_t		 nphrase;
	int		 nexamined;	/* against YEARS_MAX */
};

static void
seen_add(struct seen **v, size_t *n, int year, const char *line,
    size_t start, size_t end)
{
	struct buf ex;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].year == year)
			return;		/* one example per year is enough */
	buf_init(&ex, 0);
	rules_excerpt(&ex, line, start, end, 10, 20);
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].year = year;
	(*v)[*n].excerpt = buf_detach(&ex);
	(*n)++;
}

static const char *const period_words[] = {
	"统计期限", "统计期间", "统计时限", "统计时间", "统计区间", "统计周期",
	"统计时段", NULL,
};

/*
 * The statistics period: a year within 15 characters after 统计期限 (also
 * "201711日" where 年/月 were lost in extraction), or "YYYY年1月1日"
 * followed closely by "12月31日" (自2024年1月1日起至2024年12月31日止).
 */
static void
find_period(struct years *y, const char *line)
{
	const char *p, *q, *e;
	int year, i;

	for (p = line; *p != '\0'; p += rules_cplen(p)) {
		if (rules_at(p, period_words)) {
			/* all the words are four characters */
			q = p + strlen(period_words[0]);
			for (i = 0; i < 15 && *q != '\0'; i++) {
				year = year_at(line, q, 0);
				if (year != 0) {
					seen_add(&y->period, &y->nperiod, year,
					    line, (size_t)(p - line),
					    (size_t)(q + 4 - line));
					break;
				}
				q += rules_cplen(q);
			}
			continue;
		}
		year = year_at(line, p, 1);
		if (year == 0 || strncmp(p + 4, "年1月1日", strlen("年1月1日"))
		    != 0)
			continue;
		q = p + 4 + strlen("年1月1日");
		for (i = 0; i < 25 && *q != '\0'; i++) {
			if (strncmp(q, "12月31日", strlen("12月31日")) == 0) {
				e = q + strlen("12月31日");
				seen_add(&y->period, &y->nperiod, year, line,
				    (size_t)(p - line), (size_t)(e - line));
				break;
			}
			q += rules_cplen(q);
		}
	}
}

static int
is_delim(const char *p)
{
	static const char *const d[] = {
		",", ";", "。", "!", "?", ":", NULL,
	};

	return *p == '\0' || rules_at(p, d);
}

/* Words that make a clause about another period than the report's. */
static const char *const other_period[] = {
	"同比", "环比", "上年", "去年", "上一年", "较", "相比", "比", "以来",
	"截至", "截止", "至今", "方案", "计划", "要点", "以前", "之前", "以后",
	"前年", "历年", "近", "至", NULL,
};

/* Whether [s, e) holds a count: digits followed by 件, 条, 个 or 篇. */
static int
has_count(const char *s, const char *e)
{
	static const char *const units[] = { "件", "条", "个", "篇", NULL };
	const char *p;

	for (p = s; p < e; p++)
		if (is_digit(*p) && !is_digit(p[1]) && p + 1 < e &&
		    rules_at(p + 1, units))
			return 1;
	return 0;
}

static int
has_word(const char *s, const char *e, const char *w)
{
	size_t l = strlen(w);

	return e > s && memmem(s, (size_t)(e - s), w, l) != NULL;
}

/*
 * Statement years: "YYYY年(度)" that introduces a clause reporting this
 * year's work with a count — 主动公开…N条, 收到/新收/受理…申请N件.  When
 * the year stands alone before a comma ("2024年，我县收到…"), the next
 * clause is the statement.
 */
static void
find_phrases(struct years *y, const char *line)
{
	const char *p, *cs, *ce, *after;
	int year, depth = 0, i;

	for (p = line; *p != '\0'; p += rules_cplen(p)) {
		if ((unsigned char)*p == 0xe3) {	/* 《 and 》 */
			if (strncmp(p, "《", strlen("《")) == 0)
				depth++;
			else if (strncmp(p, "》", strlen("》")) == 0 &&
			    depth > 0)
				depth--;
		}
		if (!is_digit(*p))
			continue;
		year = year_at(line, p, 1);
		if (year == 0 || depth > 0 || strncmp(p + 4, "年",
		    strlen("年")) != 0)
			continue;
		after = p + 4 + strlen("年");
		if (strncmp(after, "度", strlen("度")) == 0)
			after += strlen("度");
		if (is_digit(*after))
			continue;		/* a date: 2024年1月 */
		if (++y->nexamined > YEARS_MAX)
			return;
		/* the clause around the year, bounded (see CLAUSE_MAX) */
		for (i = 0, cs = p; cs > line && i < CLAUSE_MAX; i++) {
			const char *prev = rules_cpprev(line, cs);

			if (is_delim(prev))
				break;
			cs = prev;
		}
		for (i = 0, ce = after; !is_delim(ce) && i < CLAUSE_MAX; i++)
			ce += rules_cplen(ce);
		if (ce == after && *ce != '\0') {
			ce += rules_cplen(ce);
			for (i = 0, after = ce; !is_delim(ce) && i < CLAUSE_MAX;
			    i++)
				ce += rules_cplen(ce);
		}
		for (i = 0; other_period[i] != NULL; i++)
			if (has_word(cs, ce, other_period[i]))
				break;
		if (other_period[i] != NULL || !has_count(after, ce))
			continue;
		if (!has_word(after, ce, "主动公开") &&
		    !(has_word(after, ce, "申请") && (has_word(after, ce,
		    "收到") || has_word(after, ce, "新收") ||
		    has_word(after, ce, "受理"))))
			continue;
		seen_add(&y->phrase, &y->nphrase, year, line,
		    (size_t)(p - line), (size_t)(ce - line));
	}
}

static void
find_title(struct years *y, const char *title)
{
	char **lines;
	const char *p;
	size_t n, i;
	int year;

	n = rules_lines(title, &lines);
	for (i = 0; i < n && y->title.year == 0; i++) {
		for (p = lines[i]; *p != '\0'; p += rules_cplen(p)) {
			year = year_at(lines[i], p, 1);
			if (year != 0 &&
			    strncmp(p + 4, "年", strlen("年")) == 0) {
				y->title.year = year;
				y->title.excerpt = xstrdup(lines[i]);
				break;
			}
		}
	}
	rules_lines_free(lines, n);
}

static void
years_free(struct years *y)
{
	size_t i;

	free(y->title.excerpt);
	for (i = 0; i < y->nperiod; i++)
		free(y->period[i].excerpt);
	free(y->period);
	for (i = 0; i < y->nphrase; i++)
		free(y->phrase[i].excerpt);
	free(y->phrase);
}

/*
 * META.YEAR: one finding.  The record's year is the reference; every
 * other year found is reported with where it was seen.
 */
static void
rule_year(struct record *r, const struct meta_text *mt)
{
	struct years y;
	struct buf bad, found, keys;
	struct finding *f;
	size_t i;
	int conflict = 0;

	memset(&y, 0, sizeof y);
	if (r->title != NULL)
		find_title(&y, r->title);
	for (i = 0; i < mt->n; i++) {
		find_period(&y, mt->lines[i]);
		find_phrases(&y, mt->lines[i]);
	}

	buf_init(&bad, 0);
	buf_init(&found, 0);
	buf_init(&keys, 0);
	buf_adds(&keys, "meta.year");
	if (y.title.year != 0) {
		buf_adds(&found, "标题");
		if (y.title.year != r->year) {
			buf_addf(&bad, "标题为%d年（“%s”）", y.title.year,
			    y.title.excerpt);
			buf_adds(&keys, ",meta.title");
			conflict = y.title.year;
		}
	}
	if (y.nperiod > 0)
		buf_addf(&found, "%s统计期限", found.len ? "、" : "");
	for (i = 0; i < y.nperiod; i++) {
		if (y.period[i].year == r->year)
			continue;
		buf_addf(&bad, "%s统计期限为%d年（“%s”）", bad.len ? "；" : "",
		    y.period[i].year, y.period[i].excerpt);
		if (conflict == 0)
			conflict = y.period[i].year;
	}
	if (y.nphrase > 0)
		buf_addf(&found, "%s正文统计数字", found.len ? "、" : "");
	for (i = 0; i < y.nphrase; i++) {
		if (y.phrase[i].year == r->year)
			continue;
		buf_addf(&bad, "%s正文写作%d年（“%s”）", bad.len ? "；" : "",
		    y.phrase[i].year, y.phrase[i].excerpt);
		if (conflict == 0)
			conflict = y.phrase[i].year;
	}

	if (r->year == 0) {
		buf_reset(&bad);
		if (y.title.year != 0)
			buf_addf(&bad, "标题为%d年", y.title.year);
		for (i = 0; i < y.nperiod; i++)
			buf_addf(&bad, "%s统计期限为%d年", bad.len ? "，" : "",
			    y.period[i].year);
		record_add_finding(r, "META.YEAR", SEV_ERROR, RESULT_UNKNOWN,
		    buf_str(&keys), "报告年度未知，无法核对年份%s%s%s",
		    bad.len ? "（" : "", buf_str(&bad), bad.len ? "）" : "");
	} else if (conflict != 0) {
		f = record_add_finding(r, "META.YEAR", SEV_ERROR, RESULT_FAIL,
		    buf_str(&keys), "报告年度为%d年，但%s", r->year,
		    buf_str(&bad));
		f->has_numbers = 1;
		f->expected = r->year;
		f->actual = conflict;
	} else if (found.len > 0)
		record_add_finding(r, "META.YEAR", SEV_ERROR, RESULT_PASS,
		    buf_str(&keys), "报告年度%d年与%s中的年份一致", r->year,
		    buf_str(&found));
	else
		record_add_finding(r, "META.YEAR", SEV_ERROR, RESULT_PASS,
		    buf_str(&keys), "标题、统计期限中未找到年份，未发现与报告"
		    "年度%d年矛盾的年份", r->year);
	buf_release(&bad);
	buf_release(&found);
	buf_release(&keys);
	years_free(&y);
}

void
rules_meta(struct record *r)
{
	struct meta_text mt;
	char *text;

	/* r->text when the reader filled it, else the sections (rules.h) */
	text = rules_all_text(r);
	mt.n = rules_lines(text, &mt.lines);
	free(text);
	rule_placeholder(r, &mt);
	rule_year(r, &mt);
	rules_lines_free(mt.lines, mt.n);
}
