/*
 * The Chinese text of a notification, written for a disclosure officer
 * who should be able to act without opening anything: what happened, the
 * agency and year, the link, the failing rules with their cells and
 * numbers, the changed cells with their Chinese labels, the published
 * date and where it came from.  One text, two dresses: markdown for the
 * robots (DingTalk, WeCom) and plain text for mail and Feishu's post.
 *
 * A body is built as lines and then laid out within the receiver's size
 * limit: whole lines only, with "另有 N 条未列出" (a digest) or "另有 N
 * 行未列出" when some are left out, and a last line with the idempotency
 * key so that a duplicate delivery is recognisable by a person too.
 *
 * Ownership: every returned string is allocated, the caller frees it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../daemon/buf.h"
#include "../daemon/xmalloc.h"
#include "../parse/record.h"
#include "notify.h"

#define MESSAGE_MAX_FINDINGS	20	/* findings listed for one event */
#define MESSAGE_MAX_CELLS	30	/* changed cells listed for one event */

static const struct {
	const char	*type;
	const char	*what;		/* what happened, the title's first word */
	int		 severity;	/* of the type itself */
} message_types[] = {
	{ "report.new",		"新发布",	0 },
	{ "report.changed",	"内容变更",	0 },
	{ "report.removed",	"已撤下",	1 },
	{ "report.missing",	"逾期未发布",	1 },
	{ "report.late",	"逾期发布",	1 },
	{ "report.found",	"已补发",	0 },
	{ "report.invalid",	"发现新问题",	0 },
	{ "source.failing",	"站点无法访问",	2 },
	{ "source.recovered",	"已恢复",	0 },
	{ "source.synced",	"首次同步",	0 },
};

/* The lines of a body before layout. */
struct message_lines {
	char	**v;
	size_t	  n;
};

static void
message_line(struct message_lines *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
message_line(struct message_lines *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (xvasprintf(&s, fmt, ap) == -1)
		fatalx("xvasprintf failed");
	va_end(ap);
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

static void
message_lines_free(struct message_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static const char *
message_what(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof message_types / sizeof message_types[0]; i++)
		if (type != NULL && strcmp(message_types[i].type, type) == 0)
			return message_types[i].what;
	return NULL;
}

/* A payload member as text ("" when absent); integers and reals too. */
static const char *
message_str(json_t *p, const char *key, char *tmp, size_t len)
{
	json_t *v = json_object_get(p, key);

	if (json_is_string(v))
		return json_string_value(v);
	if (tmp == NULL)
		return "";
	if (json_is_integer(v)) {
		snprintf(tmp, len, "%lld", (long long)json_integer_value(v));
		return tmp;
	}
	if (json_is_real(v)) {
		snprintf(tmp, len, "%g", json_real_value(v));
		return tmp;
	}
	return "";
}

static json_t *
message_payload(const struct notify_event *e)
{
	json_t *p = NULL;

	if (e->payload != NULL)
		p = json_loads(e->payload, 0, NULL);
	if (!json_is_object(p)) {
		json_decref(p);
		p = json_object();
	}
	return p;
}

/* "（一）予以公开 · 自然人" for "t3.granted.natural", or NULL. */
static char *
message_cell_label(const char *key)
{
	int idx, i;

	if (key == NULL)
		return NULL;
	idx = record_find_key(key);
	if (idx < 0)
		return NULL;
	if (idx < T2_N)
		return xstrdup(t2_field_label((enum t2_field)idx));
	i = idx - T2_N;
	if (i < T3_NROWS * T3_NCOLS)
		return xprintf("%s · %s", t3_row_label((enum t3_row)(i /
		    T3_NCOLS)), t3_col_label((enum t3_col)(i % T3_NCOLS)));
	i -= T3_NROWS * T3_NCOLS;
	if (i < T4_NGROUPS * T4_NRESULTS)
		return xprintf("%s · %s", t4_group_label((enum t4_group)(i /
		    T4_NRESULTS)), t4_result_label((enum t4_result)(i %
		    T4_NRESULTS)));
	return NULL;
}

static const char *
message_severity_name(const char *s)
{
	if (s == NULL)
		return "";
	if (strcmp(s, "error") == 0)
		return "错误";
	if (strcmp(s, "warning") == 0)
		return "警告";
	if (strcmp(s, "info") == 0)
		return "提示";
	return s;
}

static const char *
message_origin(const char *from)
{
	if (strcmp(from, "page") == 0)
		return "页面所载日期";
	if (strcmp(from, "meta") == 0)
		return "页面元数据日期";
	if (strcmp(from, "url") == 0)
		return "网址中的日期";
	if (strcmp(from, "first_seen") == 0)
		return "首次发现日期，实际发布可能更早";
	return from;
}

/* The bullet of a list item in either format. */
static const char *
message_bullet(enum message_format f)
{
	return f == MESSAGE_MARKDOWN ? "- " : "  ";
}

static void
message_link(struct message_lines *l, enum message_format f, const char *url)
{
	if (*url == '\0')
		return;
	if (f == MESSAGE_MARKDOWN)
		message_line(l, "- 链接：[%s](%s)", url, url);
	else
		message_line(l, "  链接：%s", url);
}

static void
message_findings(struct message_lines *l, enum message_format f,
    json_t *findings, const char *heading)
{
	json_t *x, *c;
	struct buf b;
	size_t i, j, n = json_array_size(findings);
	char *label;

	if (n == 0)
		return;
	if (f == MESSAGE_MARKDOWN)
		message_line(l, "**%s（%zu 项）**", heading, n);
	else
		message_line(l, "%s（%zu 项）：", heading, n);
	json_array_foreach(findings, i, x) {
		if (i >= MESSAGE_MAX_FINDINGS) {
			message_line(l, "%s……另有 %zu 项", message_bullet(f),
			    n - i);
			break;
		}
		buf_init(&b, 0);
		buf_addf(&b, "%s%s", message_bullet(f),
		    json_string_value(json_object_get(x, "rule")) != NULL ?
		    json_string_value(json_object_get(x, "rule")) :
		    json_string_value(json_object_get(x, "id")) != NULL ?
		    json_string_value(json_object_get(x, "id")) : "?");
		if (json_is_string(json_object_get(x, "severity")))
			buf_addf(&b, "【%s】", message_severity_name(
			    json_string_value(json_object_get(x, "severity"))));
		if (json_is_string(json_object_get(x, "message")))
			buf_addf(&b, " %s", json_string_value(
			    json_object_get(x, "message")));
		if (json_is_number(json_object_get(x, "expected")) &&
		    json_is_number(json_object_get(x, "actual")))
			buf_addf(&b, "（应为 %g，实为 %g）",
			    json_number_value(json_object_get(x, "expected")),
			    json_number_value(json_object_get(x, "actual")));
		json_array_foreach(json_object_get(x, "cells"), j, c) {
			if (!json_is_string(c))
				continue;
			buf_adds(&b, j == 0 ? "；单元格 " : "、");
			label = message_cell_label(json_string_value(c));
			if (label != NULL)
				buf_addf(&b, "%s（%s）", json_string_value(c),
				    label);
			else
				buf_adds(&b, json_string_value(c));
			free(label);
		}
		message_line(l, "%s", buf_str(&b));
		buf_release(&b);
	}
}

/* "新出现的问题：T3.ROW、T3.BALANCE" */
static void
message_rule_ids(struct message_lines *l, enum message_format f,
    json_t *findings, const char *what)
{
	json_t *x;
	struct buf b;
	size_t i;
	const char *id;

	if (json_array_size(findings) == 0)
		return;
	buf_init(&b, 0);
	json_array_foreach(findings, i, x) {
		id = json_string_value(json_object_get(x, "id"));
		if (id == NULL)
			id = json_string_value(json_object_get(x, "rule"));
		buf_addf(&b, "%s%s", i > 0 ? "、" : "", id != NULL ? id : "?");
	}
	message_line(l, "%s%s：%s", message_bullet(f), what, buf_str(&b));
	buf_release(&b);
}

static void
message_changes(struct message_lines *l, enum message_format f, json_t *ch,
    const char *summary)
{
	json_t *cells = json_object_get(ch, "cells"), *c, *s;
	size_t i, n = json_array_size(cells);
	json_int_t more = json_integer_value(json_object_get(ch,
	    "cells_more"));
	const char *key, *from, *to;
	char *label;

	if (n > 0) {
		if (f == MESSAGE_MARKDOWN)
			message_line(l, "**变更的单元格（%lld 处）**",
			    (long long)(n + (size_t)more));
		else
			message_line(l, "变更的单元格（%lld 处）：",
			    (long long)(n + (size_t)more));
	}
	json_array_foreach(cells, i, c) {
		if (i >= MESSAGE_MAX_CELLS) {
			more += (json_int_t)(n - i);
			break;
		}
		key = json_string_value(json_object_get(c, "key"));
		from = json_string_value(json_object_get(c, "from"));
		to = json_string_value(json_object_get(c, "to"));
		label = message_cell_label(key);
		message_line(l, "%s%s%s%s%s: %s → %s", message_bullet(f),
		    key != NULL ? key : "?", label != NULL ? "（" : "",
		    label != NULL ? label : "", label != NULL ? "）" : "",
		    from != NULL ? from : "?", to != NULL ? to : "?");
		free(label);
	}
	if (more > 0)
		message_line(l, "%s……另有 %lld 处单元格变更", message_bullet(f),
		    (long long)more);
	json_array_foreach(json_object_get(ch, "sections"), i, s) {
		if (json_is_string(json_object_get(s, "name")))
			message_line(l, "%s正文变更：%s", message_bullet(f),
			    json_string_value(json_object_get(s, "name")));
	}
	if (n == 0 && json_array_size(json_object_get(ch, "sections")) == 0 &&
	    summary != NULL && *summary != '\0')
		message_line(l, "%s变更摘要：%s", message_bullet(f), summary);
	/* ids only: the failing ones are listed in full below */
	message_rule_ids(l, f, json_object_get(ch, "findings_appeared"),
	    "新出现的问题");
	message_rule_ids(l, f, json_object_get(ch, "findings_vanished"),
	    "已消除的问题");
}

/* source.synced: the past reports recorded on a source's first check. */
static void
message_synced(struct message_lines *l, enum message_format f, json_t *p)
{
	json_t *reps = json_object_get(p, "reports"), *x, *y;
	struct buf b;
	size_t i, n = json_array_size(reps);
	json_int_t failing;

	if (!json_is_integer(json_object_get(p, "reports_found")))
		return;
	buf_init(&b, 0);
	json_array_foreach(json_object_get(p, "years"), i, y)
		buf_addf(&b, "%s%lld", i > 0 ? "、" : "",
		    (long long)json_integer_value(y));
	message_line(l, "%s收录往年年报：%lld 份%s%s%s", message_bullet(f),
	    (long long)json_integer_value(json_object_get(p, "reports_found")),
	    b.len > 0 ? "（" : "", buf_str(&b), b.len > 0 ? " 年度）" : "");
	buf_release(&b);
	json_array_foreach(reps, i, x) {
		if (i >= MESSAGE_MAX_CELLS) {
			message_line(l, "%s……另有 %zu 份", message_bullet(f),
			    n - i);
			break;
		}
		failing = json_integer_value(json_object_get(x, "failing"));
		buf_init(&b, 0);
		buf_addf(&b, "%s%lld 年度 %s", message_bullet(f),
		    (long long)json_integer_value(json_object_get(x, "year")),
		    json_string_value(json_object_get(x, "agency")) != NULL ?
		    json_string_value(json_object_get(x, "agency")) : "");
		if (failing > 0)
			buf_addf(&b, "（%lld 项检查未通过）", (long long)failing);
		if (json_is_string(json_object_get(x, "url")))
			buf_addf(&b, f == MESSAGE_MARKDOWN ? " [链接](%s)" : " %s",
			    json_string_value(json_object_get(x, "url")));
		message_line(l, "%s", buf_str(&b));
		buf_release(&b);
	}
}

/* Payload members the body shows in its own way, not generically. */
static int
message_known(const char *k)
{
	static const char *known[] = {
		"type", "source", "agency", "region", "level", "year", "url",
		"title", "report", "version", "findings", "changes", "summary",
		"published", "published_from", "deadline", "reason", "error",
		"failures", "days_overdue", "reminder", "late", "upper_bound",
		"reports_found", "years", "reports", NULL
	};
	size_t i;

	for (i = 0; known[i] != NULL; i++)
		if (strcmp(known[i], k) == 0)
			return 1;
	return 0;
}

/* "沂源县人民政府 2025 年度" (the parts that are known). */
static char *
message_subject(json_t *p)
{
	char tmp[32];
	const char *agency = message_str(p, "agency", NULL, 0);
	const char *year = message_str(p, "year", tmp, sizeof tmp);

	if (*agency == '\0')
		agency = message_str(p, "source", NULL, 0);
	if (*year != '\0' && strcmp(year, "0") != 0)
		return xprintf("%s %s 年度", agency, year);
	return xstrdup(agency);
}

static char *
message_event_title(const struct notify_event *e, json_t *p)
{
	const char *what = message_what(e->type);
	char *subj = message_subject(p), *t;

	if (what == NULL)
		t = xprintf("事件 %s：%s", e->type != NULL ? e->type : "?",
		    subj);
	else
		t = xprintf("%s：%s", what, subj);
	free(subj);
	return t;
}

static void
message_event(struct message_lines *l, const struct notify_event *e,
    enum message_format f)
{
	json_t *p = message_payload(e), *v;
	char tmp[32], tmp2[32], *t;
	const char *b = message_bullet(f), *s, *k;
	const char *region;

	t = message_event_title(e, p);
	if (f == MESSAGE_MARKDOWN)
		message_line(l, "### %s", t);
	else
		message_line(l, "【%s】", t);
	free(t);

	s = message_str(p, "agency", NULL, 0);
	region = message_str(p, "region", NULL, 0);
	if (*s != '\0')
		message_line(l, "%s机关：%s%s%s%s", b, s, *region != '\0' ?
		    "（" : "", region, *region != '\0' ? "）" : "");
	s = message_str(p, "year", tmp, sizeof tmp);
	if (*s != '\0' && strcmp(s, "0") != 0)
		message_line(l, "%s年度：%s 年", b, s);
	s = message_str(p, "title", NULL, 0);
	if (*s != '\0')
		message_line(l, "%s标题：%s", b, s);
	s = message_str(p, "published", NULL, 0);
	if (*s != '\0') {
		k = message_str(p, "published_from", NULL, 0);
		message_line(l, "%s发布日期：%s%s%s%s", b, s, *k != '\0' ?
		    "（" : "", *k != '\0' ? message_origin(k) : "",
		    *k != '\0' ? "）" : "");
	}
	s = message_str(p, "deadline", NULL, 0);
	if (*s != '\0')
		message_line(l, "%s公开截止日期：%s", b, s);
	s = message_str(p, "reason", NULL, 0);
	if (*s != '\0')
		message_line(l, "%s原因：%s", b, strcmp(s, "404") == 0 ||
		    strcmp(s, "410") == 0 ? (strcmp(s, "404") == 0 ?
		    "页面返回 404（不存在）" : "页面返回 410（已删除）") :
		    strcmp(s, "absent from the listing") == 0 ?
		    "已从年报栏目列表中消失" : s);
	s = message_str(p, "error", NULL, 0);
	if (*s != '\0')
		message_line(l, "%s错误：%s", b, s);
	s = message_str(p, "failures", tmp, sizeof tmp);
	if (*s != '\0')
		message_line(l, "%s连续失败：%s 次", b, s);
	s = message_str(p, "version", tmp2, sizeof tmp2);
	if (*s != '\0' && strcmp(e->type != NULL ? e->type : "",
	    "report.changed") == 0)
		message_line(l, "%s版本：第 %s 版", b, s);
	s = message_str(p, "days_overdue", tmp, sizeof tmp);
	if (*s != '\0' && strcmp(s, "0") != 0)
		message_line(l, "%s已逾期：%s 天", b, s);
	s = message_str(p, "reminder", tmp, sizeof tmp);
	if (*s != '\0' && strcmp(s, "0") != 0)
		message_line(l, "%s第 %s 次提醒", b, s);
	if (json_is_true(json_object_get(p, "late")))
		message_line(l, "%s补发时已过公开截止日期", b);
	if (json_is_true(json_object_get(p, "upper_bound")))
		message_line(l, "%s发布日期仅为上限：实际发布可能更早", b);
	if (e->type != NULL && strcmp(e->type, "report.missing") == 0 &&
	    *message_str(p, "url", NULL, 0) != '\0') {
		/* no report: the link is the source's listing */
		message_line(l, f == MESSAGE_MARKDOWN ? "- 年报栏目：[%s](%s)" :
		    "  年报栏目：%s", message_str(p, "url", NULL, 0),
		    message_str(p, "url", NULL, 0));
	} else
		message_link(l, f, message_str(p, "url", NULL, 0));
	message_synced(l, f, p);
	if (json_is_object(json_object_get(p, "changes")) ||
	    json_is_string(json_object_get(p, "summary")))
		message_changes(l, f, json_object_get(p, "changes"),
		    message_str(p, "summary", NULL, 0));
	message_findings(l, f, json_object_get(p, "findings"),
	    "未通过的检查");
	/* anything else the payload carries (a new event type, counts) */
	json_object_foreach(p, k, v) {
		if (message_known(k) || json_is_object(v) || json_is_array(v))
			continue;
		s = message_str(p, k, tmp, sizeof tmp);
		if (json_is_true(v))
			s = "是";
		else if (json_is_false(v))
			s = "否";
		if (*s != '\0')
			message_line(l, "%s%s：%s", b, k, s);
	}
	json_decref(p);
}

/* One digest line: what, agency, year, link, failing count. */
static void
message_digest_line(struct message_lines *l, const struct notify_event *e,
    enum message_format f)
{
	json_t *p = message_payload(e);
	const char *what = message_what(e->type), *url;
	char *subj = message_subject(p), tmp[64];
	struct buf b;
	size_t nf = json_array_size(json_object_get(p, "findings"));

	buf_init(&b, 0);
	buf_addf(&b, "%s%s%s %s", message_bullet(f), what != NULL ? what :
	    "事件 ", what != NULL ? "" : (e->type != NULL ? e->type : "?"),
	    subj);
	if (json_is_string(json_object_get(p, "summary")))
		buf_addf(&b, "：%s", json_string_value(json_object_get(p,
		    "summary")));
	else if (json_is_string(json_object_get(p, "error")))
		buf_addf(&b, "：%s", json_string_value(json_object_get(p,
		    "error")));
	else if (json_is_integer(json_object_get(p, "reports_found")))
		buf_addf(&b, "，收录往年年报 %lld 份", (long long)
		    json_integer_value(json_object_get(p, "reports_found")));
	else if (json_integer_value(json_object_get(p, "days_overdue")) > 0)
		buf_addf(&b, "，截止 %s，已逾期 %lld 天", message_str(p,
		    "deadline", NULL, 0), (long long)json_integer_value(
		    json_object_get(p, "days_overdue")));
	else if (json_is_string(json_object_get(p, "published")))
		buf_addf(&b, "，发布日期 %s", json_string_value(
		    json_object_get(p, "published")));
	if (nf > 0)
		buf_addf(&b, "（%zu 项检查未通过）", nf);
	url = message_str(p, "url", tmp, sizeof tmp);
	if (*url != '\0') {
		if (f == MESSAGE_MARKDOWN)
			buf_addf(&b, " [链接](%s)", url);
		else
			buf_addf(&b, " %s", url);
	}
	message_line(l, "%s", buf_str(&b));
	buf_release(&b);
	free(subj);
	json_decref(p);
}

char *
message_title(const struct notify_msg *m)
{
	json_t *p;
	char *t;

	if (m->nevents == 0)
		return xstrdup("nianbao：测试消息");
	if (m->nevents > 1)
		return xprintf("nianbao：%zu 条新事件", m->nevents);
	p = message_payload(&m->events[0]);
	t = message_event_title(&m->events[0], p);
	json_decref(p);
	if (m->test) {
		char *tt = xprintf("测试 · %s", t);

		free(t);
		t = tt;
	}
	return t;
}

/* Length of s cut to at most max bytes, between UTF-8 sequences. */
static size_t
message_utf8_cut(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

char *
message_text(const struct notify_msg *m, enum message_format f, size_t max)
{
	struct message_lines l;
	struct buf b;
	char *footer, *title, *more;
	size_t i, first, reserve, left;
	const char *sep = f == MESSAGE_MARKDOWN ? "\n\n" : "\n";

	memset(&l, 0, sizeof l);
	title = message_title(m);
	if (m->nevents == 0) {
		message_line(&l, f == MESSAGE_MARKDOWN ? "### %s" : "【%s】",
		    title);
		message_line(&l, "这是一条测试消息：通道配置正确，年报监测通知"
		    "将发到这里。");
	} else if (m->nevents == 1)
		message_event(&l, &m->events[0], f);
	else {
		message_line(&l, f == MESSAGE_MARKDOWN ? "### %s" : "【%s】",
		    title);
		message_line(&l, "共 %zu 条事件（发送过快的事件合并为一条）：",
		    m->nevents);
		for (i = 0; i < m->nevents; i++)
			message_digest_line(&l, &m->events[i], f);
	}
	free(title);
	if (m->test && m->nevents > 0)
		message_line(&l, "（测试消息，由 nianbao notify test 发出）");
	if (m->key != NULL && *m->key != '\0')
		footer = xprintf("%s幂等键：%s", f == MESSAGE_MARKDOWN ?
		    "---\n\n" : "--\n", m->key);
	else
		footer = xprintf("%snianbao", f == MESSAGE_MARKDOWN ?
		    "---\n\n" : "--\n");

	/*
	 * Layout: whole lines while they fit, keeping room for the "left
	 * out" line and the footer; the first line (the title) always goes
	 * in, cut if it must be.
	 */
	first = m->nevents > 1 ? 2 : 1;		/* lines counted as header */
	reserve = strlen(footer) + 2 * strlen(sep) + 64;
	buf_init(&b, 0);
	for (i = 0; i < l.n; i++) {
		if (max != 0 && i > 0 && b.len + strlen(sep) + strlen(l.v[i]) +
		    reserve > max)
			break;
		if (i > 0)
			buf_adds(&b, sep);
		buf_adds(&b, l.v[i]);
	}
	if (i < l.n) {
		/* a digest counts events left out, an event its lines */
		if (m->nevents > 1) {
			left = i < first ? m->nevents : i < first + m->nevents ?
			    first + m->nevents - i : 0;
			more = left > 0 ? xprintf("另有 %zu 条未列出", left) :
			    NULL;
		} else
			more = xprintf("另有 %zu 行未列出", l.n - i);
		if (more != NULL) {
			buf_adds(&b, sep);
			buf_adds(&b, more);
			free(more);
		}
	}
	buf_adds(&b, sep);
	buf_adds(&b, footer);
	buf_addc(&b, '\n');
	free(footer);
	message_lines_free(&l);
	if (max != 0 && b.len > max) {
		/* a limit smaller than a title: cut, never inside a sequence */
		i = message_utf8_cut(buf_str(&b), max);
		b.data[i] = '\0';
		b.len = i;
	}
	return buf_detach(&b);
}

int
message_severity(const struct notify_event *e)
{
	json_t *p, *x;
	const char *s;
	size_t i;
	int sev = 0;

	for (i = 0; i < sizeof message_types / sizeof message_types[0]; i++)
		if (e->type != NULL && strcmp(message_types[i].type, e->type)
		    == 0)
			sev = message_types[i].severity;
	if (sev == 2)
		return sev;
	p = message_payload(e);
	json_array_foreach(json_object_get(p, "findings"), i, x) {
		s = json_string_value(json_object_get(x, "severity"));
		if (s == NULL)
			continue;
		if (strcmp(s, "error") == 0) {
			sev = 2;
			break;
		}
		if (strcmp(s, "warning") == 0 && sev < 1)
			sev = 1;
	}
	json_decref(p);
	return sev;
}
