/*
 * The report calendar (see calendar.h).  Dates are local to the
 * configured zone ([deadlines] timezone, China Standard Time by default):
 * "by 31 January" means until 31 January 24:00 in Beijing, so a report
 * is overdue from 1 February 00:00 plus the grace period.  A report is
 * judged by its best date (the page's 发布日期, the PubDate meta, the date
 * in its URL) and, failing those, by when nianbao first saw it, which is
 * only an upper bound: a report found on a source's first check proves
 * nothing about when it was published, so it counts as on time.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "catalog.h"
#include "clock.h"
#include "conf.h"
#include "store.h"
#include "xmalloc.h"

#define DAY_MS		(86400LL * 1000)

const char *
calendar_status_name(enum calendar_status s)
{
	switch (s) {
	case CAL_NOT_DUE:
		return "not_due";
	case CAL_DUE_SOON:
		return "due_soon";
	case CAL_MISSING:
		return "missing";
	case CAL_ON_TIME:
		return "on_time";
	case CAL_LATE:
		return "late";
	}
	return "?";
}

/*
 * The day by level (条例 第四十九条), the township default and its region
 * overrides (longest prefix wins: townships have no statutory day, their
 * county sets one), and the source's own, which wins over everything.
 */
static int
calendar_md(const struct conf *c, const struct source *s, int year)
{
	size_t i, best = 0;
	int md = -1;

	if (s->deadline > 0)
		return s->deadline;
	/* the 2007 条例 (reports up to 2018): 31 March for everyone */
	if (year > 0 && year <= 2018)
		return 331;
	if (strcmp(s->level, "department") == 0)
		return 131;
	if (strcmp(s->level, "government") == 0)
		return 331;
	for (i = 0; i < c->dl_nregions; i++) {
		const struct conf_region *r = &c->dl_regions[i];
		size_t l = strlen(r->prefix);

		if (l > best && s->region != NULL &&
		    strncmp(s->region, r->prefix, l) == 0) {
			best = l;
			md = r->md;
		}
	}
	return md > 0 ? md : (int)c->dl_township;
}

int
calendar_deadline_md(const struct conf *c, const struct source *s)
{
	return calendar_md(c, s, 0);
}

int
calendar_first_year(const struct conf *c, const struct source *s)
{
	return s->first_year > 0 ? s->first_year : (int)c->dl_first_year;
}

int64_t
calendar_local_day(const struct conf *c, int64_t ms)
{
	int64_t t = ms + c->dl_timezone * 60 * 1000;

	return t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS);
}

int64_t
calendar_day_start(const struct conf *c, int64_t days)
{
	return days * DAY_MS - c->dl_timezone * 60 * 1000;
}

/* Sets the deadline fields of e for year; returns the deadline's day. */
static int64_t
calendar_deadline(const struct conf *c, const struct source *s, int year,
    struct calendar_entry *e)
{
	int64_t day;
	int y, m, d;

	e->md = calendar_md(c, s, year);
	day = clock_days(year + 1, e->md / 100, e->md % 100);
	clock_ymd(day, &y, &m, &d);
	snprintf(e->deadline, sizeof e->deadline, "%04d-%02d-%02d", y, m, d);
	e->due_ms = calendar_day_start(c, day + 1) + c->dl_grace_ms;
	return day;
}

int
calendar_latest_due(const struct conf *c, const struct source *s,
    int64_t now)
{
	struct calendar_entry e;
	int y, m, d, year;

	clock_ymd(calendar_local_day(c, now), &y, &m, &d);
	for (year = y - 1; year >= y - 3; year--) {
		calendar_deadline(c, s, year, &e);
		if (now >= e.due_ms)
			return year;
	}
	return 0;
}

/* "2025-02-05", "2025-02-05 10:00": the day, or -1. */
static int
calendar_parse_day(const char *s, int64_t *day)
{
	char tmp[11];
	int64_t ms;

	if (s == NULL || strlen(s) < 10)
		return -1;
	memcpy(tmp, s, 10);
	tmp[10] = '\0';
	if (clock_parse(tmp, 0, &ms) == -1)
		return -1;
	*day = ms / DAY_MS;
	return 0;
}

void
calendar_judge(const struct conf *c, const struct source *s, int year,
    const struct calendar_report *rep, int64_t now, int64_t first_check,
    struct calendar_entry *e)
{
	int64_t dday, pday;
	int y, m, d, late;

	memset(e, 0, sizeof *e);
	e->year = year;
	e->report = rep;
	dday = calendar_deadline(c, s, year, e);
	if (rep == NULL) {
		e->published_from = "";
		if (now >= e->due_ms) {
			e->status = CAL_MISSING;
			e->overdue_days = calendar_local_day(c, now) - dday;
		} else if (now >= calendar_day_start(c, dday + 1) -
		    c->dl_due_soon_ms)
			e->status = CAL_DUE_SOON;
		else
			e->status = CAL_NOT_DUE;
		return;
	}
	if (rep->published_from != NULL &&
	    strcmp(rep->published_from, "first_seen") != 0 &&
	    calendar_parse_day(rep->published, &pday) == 0) {
		e->published_from = rep->published_from;
		late = calendar_day_start(c, pday) >= e->due_ms;
	} else {
		/* only when nianbao saw it: an upper bound */
		e->upper_bound = 1;
		e->published_from = "first_seen";
		pday = calendar_local_day(c, rep->first_seen);
		if (first_check > 0 && rep->first_seen <= first_check)
			late = 0;	/* there before nianbao looked */
		else
			late = rep->first_seen >= e->due_ms;
	}
	clock_ymd(pday, &y, &m, &d);
	snprintf(e->published, sizeof e->published, "%04d-%02d-%02d", y, m,
	    d);
	e->status = late ? CAL_LATE : CAL_ON_TIME;
	if (late)
		e->overdue_days = pday - dday;
}

void
calendar_source(const struct conf *c, const struct source *s,
    const struct calendar_report *reps, size_t nreps, int64_t now,
    int64_t first_check, struct calendar_entry **entries, size_t *n)
{
	const struct calendar_report *rep;
	int first, last, year, y, m, d;
	size_t i;

	*entries = NULL;
	*n = 0;
	first = calendar_first_year(c, s);
	clock_ymd(calendar_local_day(c, now), &y, &m, &d);
	last = y - 1;		/* its deadline falls in this year */
	if (first > last)
		return;
	*entries = xcalloc((size_t)(last - first + 1), sizeof **entries);
	for (year = first; year <= last; year++) {
		rep = NULL;
		for (i = 0; i < nreps; i++) {
			if (reps[i].year == year) {
				rep = &reps[i];
				break;
			}
		}
		calendar_judge(c, s, year, rep, now, first_check,
		    &(*entries)[(*n)++]);
	}
}

struct calendar_collect {
	const struct source	*src;
	struct calendar_report	*v;
	size_t			 n;
	int64_t			 min_seen;
};

static int
calendar_collect_cb(const struct store_report *r, void *arg)
{
	struct calendar_collect *cc = arg;
	struct calendar_report *cr;

	/* other agencies on the same listing are not this source's */
	if (r->agency == NULL || strcmp(r->agency, cc->src->agency) != 0 ||
	    r->versions == 0)
		return 0;
	cc->v = xreallocarray(cc->v, cc->n + 1, sizeof *cc->v);
	cr = &cc->v[cc->n++];
	memset(cr, 0, sizeof *cr);
	cr->id = r->id;
	cr->year = r->year;
	cr->url = xstrdup(r->url != NULL ? r->url : "");
	cr->first_seen = r->first_seen;
	cr->versions = r->versions;
	if (cc->min_seen == 0 || r->first_seen < cc->min_seen)
		cc->min_seen = r->first_seen;
	return 0;
}

void
calendar_reports_free(struct calendar_report *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].url);
		free(v[i].published);
		free(v[i].published_from);
	}
	free(v);
}

/*
 * The published date of cr from the source's calendar row, when the row
 * was written for this report at its current number of versions: 0, 1 if
 * the record must be read.  The row holds what calendar_judge made of the
 * record (the date's day and its origin, or "first_seen" when the record
 * had no usable date); given back, it judges the same way.
 */
static int
calendar_read_row(struct store *st, const struct source *src,
    struct calendar_report *cr, char **cause)
{
	struct store_calendar row;
	int rc;

	rc = store_calendar_get(st, src->id, cr->year, &row, cause);
	if (rc != 0)
		return rc;
	rc = 1;
	if (row.report_id != cr->id || row.versions != cr->versions ||
	    row.versions == 0 || row.published_from == NULL)
		goto out;
	if (strcmp(row.published_from, "first_seen") != 0) {
		if (row.published == NULL)
			goto out;
		cr->published = row.published;
		row.published = NULL;
	}
	cr->published_from = row.published_from;
	row.published_from = NULL;
	rc = 0;
out:
	store_calendar_release(&row);
	return rc;
}

/* calendar_read; unchecked: read the reports of a source never read too. */
static int
calendar_read_how(struct store *st, const struct source *src,
    struct calendar_report **reps, size_t *nreps, int64_t *first_check,
    int *checked, int unchecked, char **cause)
{
	struct calendar_collect cc;
	struct store_source ss;
	json_t *rec, *meta;
	char *json;
	size_t i;
	int rc;

	memset(&cc, 0, sizeof cc);
	cc.src = src;
	*reps = NULL;
	*nreps = 0;
	*first_check = 0;
	*checked = 0;
	rc = store_source_get(st, src->id, &ss, cause);
	if (rc == -1)
		return -1;
	if (rc == 0) {
		/* a source never read is unknown, not missing */
		*checked = ss.last_ok > 0;
		if (ss.checks == 1)
			*first_check = ss.last_check;
		store_source_release(&ss);
	}
	if (!*checked && !unchecked)
		return 0;
	if (store_reports_each(st, src->id, calendar_collect_cb, &cc, cause) ==
	    -1)
		goto fail;
	for (i = 0; i < cc.n; i++) {
		rc = calendar_read_row(st, src, &cc.v[i], cause);
		if (rc == -1)
			goto fail;
		if (rc == 0)
			continue;
		json = NULL;
		rc = store_version_record(st, cc.v[i].id, 0, &json, cause);
		if (rc == -1)
			goto fail;
		rec = rc == 0 ? json_loads(json, 0, NULL) : NULL;
		free(json);
		meta = json_object_get(rec, "meta");
		if (json_is_string(json_object_get(meta, "published")))
			cc.v[i].published = xstrdup(json_string_value(
			    json_object_get(meta, "published")));
		if (json_is_string(json_object_get(meta, "published_from")))
			cc.v[i].published_from = xstrdup(json_string_value(
			    json_object_get(meta, "published_from")));
		json_decref(rec);
	}
	/* recorded when the daemon saw the first check end; else a guess */
	rc = store_calendar_first_check(st, src->id, first_check, cause);
	if (rc == -1)
		goto fail;
	if (rc == 1 && *first_check == 0 && *checked)
		*first_check = cc.min_seen;
	*reps = cc.v;
	*nreps = cc.n;
	return 0;
fail:
	calendar_reports_free(cc.v, cc.n);
	return -1;
}

int
calendar_read(struct store *st, const struct source *src,
    struct calendar_report **reps, size_t *nreps, int64_t *first_check,
    int *checked, char **cause)
{
	return calendar_read_how(st, src, reps, nreps, first_check, checked, 1,
	    cause);
}

int
calendar_read_checked(struct store *st, const struct source *src,
    struct calendar_report **reps, size_t *nreps, int64_t *first_check,
    int *checked, char **cause)
{
	return calendar_read_how(st, src, reps, nreps, first_check, checked, 0,
	    cause);
}
