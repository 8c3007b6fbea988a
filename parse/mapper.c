/*
 * The one mapper from a document (whatever reader made it) to the report
 * record: finds the title and the six section headings among the
 * paragraphs, classifies the tables by content (not by position, since
 * reports move, split and repeat them), hands each class to tables.c, and
 * decides what the report is: its year, agency, level, format.  It also
 * refuses documents that are not reports (a 解读, a 网站工作年度报表, a
 * news page), with the reason.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "label.h"
#include "mapper.h"
#include "parse.h"
#include "xmalloc.h"

/* Keywords that identify each section heading (normalized). */
static const char *section_kw[SEC_N][5] = {
	{ "总体情况", "概述", "基本情况", "总体概况", NULL },
	{ "主动公开", NULL },
	{ "依申请", "收到和处理", "申请情况", NULL },
	{ "行政复议", "行政诉讼", NULL },
	{ "存在的主要问题", "主要问题", "问题及改进", "改进情况", "存在问题" },
	{ "其他需要报告", "其他事项", "需要说明", "其他需要", NULL },
};

#define HEADING_MAX_CHARS	45

/*
 * Returns the section a paragraph heads (0..5), or -1.  after is the last
 * section found: headings come in order, which keeps the overview's own
 * "（二）依申请公开情况" from being taken for section 三.
 */
static int
mapper_heading(const char *text, int after)
{
	char *n;
	const char *rest = NULL;
	int num, style = 0, s = -1, k, i;

	/* a heading is short: skip normalizing the long paragraphs */
	if (strlen(text) > HEADING_MAX_CHARS * 3 + 64)
		return -1;
	n = label_norm(text);
	if (label_chars(n) > HEADING_MAX_CHARS || *n == '\0')
		goto out;
	num = label_number(n, &rest, &style);
	if (num == 0) {
		rest = n;
		style = 0;
	}
	for (i = after + 1; i < SEC_N && s < 0; i++) {
		if (num > 0 && num != i + 1)
			continue;
		for (k = 0; k < 5 && section_kw[i][k] != NULL; k++) {
			if (!label_has(rest, section_kw[i][k]))
				continue;
			/* unnumbered: must be the whole heading, not prose */
			if (num == 0 && label_chars(n) > 24)
				continue;
			/* a parenthesised (二) is usually an overview item */
			if (style == 'p' && i == SEC_PROACTIVE &&
			    !label_has(rest, "政府信息情况"))
				continue;
			s = i;
			break;
		}
	}
out:
	free(n);
	return s;
}

static int
mapper_is_title(const char *n)
{
	return (label_has(n, "年度报告") || label_has(n, "年报")) &&
	    (label_has(n, "信息公开") || label_has(n, "政务公开"));
}

/* Titles of what is not a report but looks like one: kept to say why. */
static int
mapper_is_confounder(const char *n)
{
	return label_has(n, "年度报表") || (label_has(n, "年度报告") &&
	    label_has(n, "解读"));
}

/*
 * The title: metadata first, then a title line before the first heading
 * (joining a "年度报告" line with the line before it, as Word exports split
 * long titles).
 */
static char *
mapper_title(const struct doc *d, size_t first_heading)
{
	size_t i, prev = (size_t)-1;
	char *n, *title = NULL;

	if (d->meta_title != NULL && *d->meta_title != '\0')
		return label_norm(d->meta_title);
	for (i = 0; i < d->nblocks && i < first_heading; i++) {
		if (d->blocks[i].kind != BLOCK_TEXT)
			continue;
		n = label_norm(d->blocks[i].text);
		if (label_chars(n) <= 60 && (mapper_is_title(n) ||
		    mapper_is_confounder(n))) {
			free(title);
			title = n;
			break;
		}
		if (label_chars(n) <= 60 && prev != (size_t)-1 &&
		    (strcmp(n, "年度报告") == 0 || strcmp(n, "工作年度报告") == 0 ||
		    strcmp(n, "年报") == 0)) {
			char *p = label_norm(d->blocks[prev].text);

			xasprintf(&title, "%s%s", p, n);
			free(p);
			free(n);
			break;
		}
		free(n);
		if (label_chars(d->blocks[i].text) <= 60)
			prev = i;
	}
	if (title == NULL && d->title != NULL) {
		char *cut;

		title = label_norm(d->title);
		/* "<title>报告名_某某县人民政府</title>": drop the site part */
		cut = strstr(title, "_");
		if (cut != NULL && mapper_is_title(title))
			*cut = '\0';
	}
	return title;
}

/* Why a document is not a report, or NULL. */
static const char *
mapper_not_report(const char *title)
{
	if (title == NULL)
		return NULL;
	if (label_has(title, "解读"))
		return "这是年度报告的解读页面（年报解读），不是年度报告本身";
	if (label_has(title, "网站工作年度报表") ||
	    label_has(title, "网站年度报表") ||
	    label_has(title, "政府网站工作年度"))
		return "这是政府网站工作年度报表，不是政府信息公开工作年度报告";
	if (label_has(title, "法治政府建设"))
		return "这是法治政府建设年度报告，不是政府信息公开工作年度报告";
	return NULL;
}

/* The section each block belongs to (-1 = before the first heading). */
static int *
mapper_sections(const struct doc *d, struct record *r, size_t *first)
{
	int *sec, cur = -1, s, found = 0;
	size_t i;
	struct buf body[SEC_N];

	for (i = 0; i < SEC_N; i++)
		buf_init(&body[i], 0);
	sec = xcalloc(d->nblocks + 1, sizeof *sec);
	*first = d->nblocks;
	for (i = 0; i < d->nblocks; i++) {
		if (d->blocks[i].kind == BLOCK_TEXT) {
			s = mapper_heading(d->blocks[i].text, cur);
			if (s >= 0) {
				cur = s;
				r->sections[s].present = 1;
				r->sections[s].order = found++;
				r->sections[s].heading =
				    xstrdup(d->blocks[i].text);
				if (*first == d->nblocks)
					*first = i;
				sec[i] = s;
				continue;
			}
			if (cur >= 0) {
				if (body[cur].len > 0)
					buf_addc(&body[cur], '\n');
				buf_adds(&body[cur], d->blocks[i].text);
			}
		}
		sec[i] = cur;
	}
	for (i = 0; i < SEC_N; i++) {
		if (r->sections[i].present)
			r->sections[i].text = buf_detach(&body[i]);
		buf_release(&body[i]);
	}
	return sec;
}

/*
 * Whether an image stands where the table of section s should be: inside
 * the section, or the last thing before its heading (seed 004 puts the
 * picture of table 二 just above the heading).
 */
static int
mapper_image_for(const struct doc *d, const int *sec, int s)
{
	size_t i;

	for (i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];

		if (sec[i] == s && b->kind == BLOCK_IMAGE)
			return 1;
		if (sec[i] == s && b->kind == BLOCK_TABLE && b->table->images)
			return 1;
		/* the heading of s: look at what came just before it */
		if (sec[i] == s && i > 0 && sec[i - 1] != s) {
			size_t j = i;

			while (j > 0) {
				j--;
				if (d->blocks[j].kind == BLOCK_IMAGE)
					return 1;
				if (d->blocks[j].kind == BLOCK_TABLE)
					break;
				if (d->blocks[j].kind == BLOCK_TEXT) {
					char *n = label_norm(d->blocks[j].text);
					int empty = *n == '\0';

					free(n);
					if (!empty)
						break;
				}
			}
		}
	}
	return 0;
}

static void
mapper_tables(const struct doc *d, const int *sec, struct record *r)
{
	const struct doc_table **ts[4];
	size_t nts[4] = { 0, 0, 0, 0 }, i;
	enum table_class last = TCLASS_NONE, c;
	int secs[4] = { 0, SEC_PROACTIVE, SEC_REQUESTS, SEC_REVIEW };
	enum table_state *state[4] = { NULL, &r->t2_state, &r->t3_state,
	    &r->t4_state };
	int k, rows;

	for (k = 0; k < 4; k++)
		ts[k] = xcalloc(d->nblocks + 1, sizeof *ts[k]);
	for (i = 0; i < d->nblocks; i++) {
		if (d->blocks[i].kind == BLOCK_TEXT) {
			/* prose between tables ends a split table */
			if (strlen(d->blocks[i].text) > 64) {
				last = TCLASS_NONE;
			} else {
				char *n = label_norm(d->blocks[i].text);

				if (label_chars(n) > 8)
					last = TCLASS_NONE;
				free(n);
			}
			continue;
		}
		if (d->blocks[i].kind != BLOCK_TABLE)
			continue;
		c = tables_classify(d->blocks[i].table);
		if (c == TCLASS_NONE)
			c = last;	/* the rest of a table split in two */
		if (c == TCLASS_NONE) {
			/* fall back on the section the table stands in */
			if (sec[i] == SEC_PROACTIVE)
				c = TCLASS_T2;
			else if (sec[i] == SEC_REQUESTS)
				c = TCLASS_T3;
			else if (sec[i] == SEC_REVIEW)
				c = TCLASS_T4;
		}
		if (c != TCLASS_NONE)
			ts[c][nts[c]++] = d->blocks[i].table;
		last = c;
	}
	for (k = 1; k < 4; k++) {
		rows = 0;
		if (nts[k] > 0) {
			if (k == TCLASS_T2)
				rows = tables_map_t2(r, ts[k], nts[k]);
			else if (k == TCLASS_T3)
				rows = tables_map_t3(r, ts[k], nts[k]);
			else
				rows = tables_map_t4(r, ts[k], nts[k]);
			if (rows == 0)
				record_note(r, "找到了表%s，但无法读出数据行",
				    k == 1 ? "二" : k == 2 ? "三" : "四");
		}
		if (rows > 0)
			*state[k] = TABLE_FOUND;
		else if (mapper_image_for(d, sec, secs[k]))
			*state[k] = TABLE_IMAGE;
		else
			*state[k] = TABLE_MISSING;
		free(ts[k]);
	}
	free(ts[0]);
}

static char *
mapper_all_text(const struct doc *d)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	for (i = 0; i < d->nblocks; i++) {
		if (d->blocks[i].kind != BLOCK_TEXT)
			continue;
		if (b.len > 0)
			buf_addc(&b, '\n');
		buf_adds(&b, d->blocks[i].text);
	}
	return buf_detach(&b);
}

int
mapper_map(const struct doc *d, struct record **out, char **cause)
{
	struct record *r;
	size_t first, i;
	int *sec, nsec = 0, ntables = 0, year;
	const char *why;

	*out = NULL;
	r = record_new();
	r->charset = d->charset;
	r->reader = d->reader;
	if (d->url != NULL)
		r->url = xstrdup(d->url);
	sec = mapper_sections(d, r, &first);
	r->title = mapper_title(d, first);
	why = mapper_not_report(r->title);
	if (why != NULL) {
		xasprintf(cause, "不是年度报告：%s（标题“%s”）", why, r->title);
		goto fail;
	}
	r->text = mapper_all_text(d);
	mapper_tables(d, sec, r);
	for (i = 0; i < SEC_N; i++)
		nsec += r->sections[i].present;
	ntables = (r->t2_state == TABLE_FOUND) + (r->t3_state == TABLE_FOUND) +
	    (r->t4_state == TABLE_FOUND);
	if (nsec < 3 && ntables == 0 && !(r->title != NULL &&
	    mapper_is_title(r->title) && nsec >= 1)) {
		xasprintf(cause, "不是年度报告：没有找到年度报告的章节（一、总体情况"
		    "…六、其他需要报告的事项）或表格（找到 %d 个章节标题，0 个表格）",
		    nsec);
		goto fail;
	}

	year = meta_year_from_title(r->title);
	if (year == 0)
		year = meta_year_from_period(r->text);
	if (year == 0)
		year = meta_year_most_common(r->text);
	r->year = year;
	r->agency = meta_agency_from_title(r->title);
	if (r->agency == NULL && d->source != NULL && *d->source != '\0')
		r->agency = label_norm(d->source);
	if (r->agency == NULL)
		r->agency = meta_agency_from_text(r->text);
	r->region = meta_region(r->agency);
	if (meta_level(r->agency) != NULL)
		r->level = xstrdup(meta_level(r->agency));
	if (d->pubdate != NULL) {
		r->published = xstrdup(d->pubdate);
		r->published_from = xstrdup(d->pubdate_from ?
		    d->pubdate_from : "page");
	}

	if (r->t2_state == TABLE_FOUND)
		r->format = r->t2_format;
	else if (r->t3_state == TABLE_FOUND)
		r->format = r->t3_format;
	else if (year >= 2021)
		r->format = FORMAT_2021;
	else if (year >= 2019)
		r->format = FORMAT_2019;
	else if (year > 0)
		r->format = FORMAT_PRE2019;
	else
		r->format = FORMAT_UNKNOWN;
	if (year > 0 && year < 2019 && ntables == 0)
		r->format = FORMAT_PRE2019;
	free(sec);
	*out = r;
	return 0;
fail:
	free(sec);
	record_free(r);
	return -1;
}
