/*
 * `nianbao missing` and `nianbao calendar`: the report calendar as the
 * store and the clock give it (calendar.h), computed here rather than read
 * from the daemon's rows, so the answer is right even if nianbaod has not
 * swept since midnight.  Both need the catalog (levels, regions, per-source
 * deadlines), so the configuration: -f CONFIG or $NIANBAO_CONF.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "catalog.h"
#include "cli.h"
#include "clock.h"
#include "conf.h"
#include "store.h"
#include "util.h"
#include "xmalloc.h"

const char cmd_missing_usage[] =
"usage: nianbao missing [-f CONFIG] [--db PATH] [--year Y] [--region R]\n"
"                       [--level L] [--source ID] [--json | --csv]\n"
"\n"
"The agencies whose annual report for year Y is overdue: its deadline\n"
"plus the grace period ([deadlines] in nianbaod.conf(5)) has passed and no\n"
"report of the source's own agency was found.  One line each: agency,\n"
"region, level, year, deadline, days overdue and the listing URL that was\n"
"checked: the list a disclosure office sends out.  Deadlines follow 条例\n"
"第四十九条: departments 31 January, governments 31 March of the next\n"
"year, townships as configured; dates are China Standard Time unless\n"
"[deadlines] timezone says otherwise.  Sources whose listing was never\n"
"read are not listed (a note on stderr counts them).\n"
"\n"
"  -f CONFIG    nianbaod's configuration: database, catalog, [deadlines]\n"
"  --db PATH    the database (the catalog still comes from the configuration)\n"
"  --year Y     the reporting year (default: the latest whose deadline has\n"
"               passed for some source)\n"
"  --region R   only sources whose region starts with R\n"
"  --level L    only department, government or township sources\n"
"  --source ID  only this source\n"
"  --json       a JSON array\n"
"  --csv        CSV with a header line\n"
"\n"
"NIANBAO_NOW (2026-02-01T09:00+08:00) sets the clock, for tests.\n";

const char cmd_calendar_usage[] =
"usage: nianbao calendar [-f CONFIG] [--db PATH] [--source ID] [--year Y]\n"
"                        [--region R] [--level L] [--json | --csv]\n"
"\n"
"Every source and reporting year from its first year expected ([deadlines]\n"
"first_year, or the catalog's first_year column) to the year whose\n"
"deadline falls in the current year: the deadline, the status (not_due,\n"
"due_soon, missing, on_time, late; unchecked when the source's listing was\n"
"never read) and the report's published date with its origin: page (the\n"
"page's 发布日期), meta (PubDate), url (a date in the URL) or first_seen\n"
"(when nianbao first saw it: an upper bound only, and a report found on a\n"
"source's first check is not counted late by it).\n"
"\n"
"  -f CONFIG    nianbaod's configuration: database, catalog, [deadlines]\n"
"  --db PATH    the database (the catalog still comes from the configuration)\n"
"  --source ID  only this source\n"
"  --year Y     only this reporting year\n"
"  --region R   only sources whose region starts with R\n"
"  --level L    only department, government or township sources\n"
"  --json       a JSON array\n"
"  --csv        CSV with a header line\n"
"\n"
"NIANBAO_NOW (2026-02-01T09:00+08:00) sets the clock, for tests.\n";

struct cal_opts {
	struct cmd_db_opts d;		/* -f, --db, --json */
	const char	*source;
	const char	*region;
	const char	*level;
	long long	 year;
	int		 csv;
};

/* One option of missing|calendar beyond the shared ones. */
static int
cal_opt(int ch, const char *arg, void *p)
{
	struct cal_opts *o = p;
	const char *errstr;

	switch (ch) {
	case 'S':
		o->source = arg;
		return 0;
	case 'r':
		o->region = arg;
		return 0;
	case 'l':
		if (strcmp(arg, "department") != 0 &&
		    strcmp(arg, "government") != 0 &&
		    strcmp(arg, "township") != 0) {
			fprintf(stderr, "nianbao: --level %s: not department, "
			    "government or township\n", arg);
			return CLI_USAGE;
		}
		o->level = arg;
		return 0;
	case 'y':
		if (util_strtonum(arg, 2000, 2100, &o->year, &errstr) != 0) {
			fprintf(stderr, "nianbao: --year %s: %s\n", arg,
			    errstr);
			return CLI_USAGE;
		}
		return 0;
	case 'c':
		o->csv = 1;
		return 0;
	}
	return -1;
}

static int
cal_parse_opts(int argc, char **argv, const char *usage, struct cal_opts *o)
{
	static const struct option lopts[] = {
		{ "source", required_argument, NULL, 'S' },
		{ "year", required_argument, NULL, 'y' },
		{ "region", required_argument, NULL, 'r' },
		{ "level", required_argument, NULL, 'l' },
		{ "csv", no_argument, NULL, 'c' },
		CMD_DB_LONGOPTS
	};
	int rc;

	memset(o, 0, sizeof *o);
	rc = cmd_db_parse(argc, argv, "f:h", lopts, usage, &o->d, cal_opt, o);
	if (rc == 0 && o->d.json && o->csv) {
		fputs(usage, stderr);
		return CLI_USAGE;
	}
	return rc;
}

struct cal_rows {
	const struct cal_opts	*o;
	int			 missing;	/* only the missing of year */
	int			 year;		/* 0: every year */
	json_t			*rows;
	size_t			 unchecked;	/* sources never read */
};

static int
cal_wanted(const struct source *s, void *arg)
{
	const struct cal_opts *o = ((const struct cal_rows *)arg)->o;

	if (o->source != NULL && strcmp(o->source, s->id) != 0)
		return 0;
	if (o->level != NULL && strcmp(o->level, s->level) != 0)
		return 0;
	if (o->region != NULL && strncmp(s->region, o->region,
	    strlen(o->region)) != 0)
		return 0;
	return 1;
}

/* One source's entries as JSON objects (text and CSV are made of them). */
static void
cal_rows_each(const struct source *s, const struct calendar_entry *ents,
    size_t n, int checked, void *arg)
{
	struct cal_rows *cr = arg;
	const struct calendar_entry *e;
	json_t *row;
	size_t k;

	if (!checked)
		cr->unchecked++;
	for (k = 0; k < n; k++) {
		e = &ents[k];
		if (cr->year != 0 && e->year != cr->year)
			continue;
		if (cr->missing && (!checked || e->status != CAL_MISSING))
			continue;
		row = json_pack("{s:s,s:s,s:s,s:s,s:i,s:s,s:s}",
		    "source", s->id, "agency", s->agency, "region",
		    s->region, "level", s->level, "year", e->year,
		    "deadline", e->deadline, "status", checked ?
		    calendar_status_name(e->status) : "unchecked");
		if (e->status == CAL_MISSING || e->status == CAL_LATE)
			json_object_set_new(row, "days_overdue",
			    json_integer(e->overdue_days));
		else
			json_object_set_new(row, "days_overdue", json_null());
		if (e->report != NULL) {
			json_object_set_new(row, "published",
			    json_string(e->published));
			json_object_set_new(row, "published_from",
			    json_string(e->published_from));
			json_object_set_new(row, "upper_bound",
			    json_boolean(e->upper_bound));
			json_object_set_new(row, "report",
			    json_integer(e->report->id));
			json_object_set_new(row, "url",
			    json_string(e->report->url));
		} else {
			json_object_set_new(row, "published", json_null());
			json_object_set_new(row, "published_from",
			    json_null());
			json_object_set_new(row, "upper_bound", json_false());
			json_object_set_new(row, "report", json_null());
			json_object_set_new(row, "url", json_string(s->url));
		}
		json_array_append_new(cr->rows, row);
	}
}

int
cmd_calendar_each(struct store *st, const struct conf *c,
    const struct catalog *cat, int64_t now,
    int (*wanted)(const struct source *, void *),
    void (*each)(const struct source *, const struct calendar_entry *,
    size_t, int, void *), void *arg)
{
	struct calendar_report *reps;
	struct calendar_entry *ents;
	const struct source *s;
	int64_t first_check;
	size_t i, nreps, n;
	char *cause = NULL;
	int checked, rc = CLI_OK;

	for (i = 0; i < cat->n; i++) {
		s = &cat->v[i];
		if (wanted != NULL && !wanted(s, arg))
			continue;
		if (calendar_read(st, s, &reps, &nreps, &first_check, &checked,
		    &cause) == -1) {
			fprintf(stderr, "nianbao: %s: %s\n", s->id, cause);
			free(cause);
			cause = NULL;
			rc = CLI_BADINPUT;
			continue;
		}
		calendar_source(c, s, reps, nreps, now, first_check, &ents, &n);
		each(s, ents, n, checked, arg);
		free(ents);
		calendar_reports_free(reps, nreps);
	}
	return rc;
}

static const char *
cal_str(json_t *row, const char *key)
{
	const char *v = json_string_value(json_object_get(row, key));

	return v != NULL ? v : "";
}

static void
cal_print_missing(json_t *rows, const struct cal_opts *o)
{
	static const char *cols[] = { "source", "agency", "region", "level",
	    "year", "deadline", "days_overdue", "url" };
	size_t i, k, wa = 6, wr = 6;
	char num[32];
	json_t *row;

	if (o->csv) {
		for (k = 0; k < 8; k++)
			cmd_csv(cols[k], k == 0);
		putchar('\n');
	}
	json_array_foreach(rows, i, row) {
		if (cmd_width(cal_str(row, "agency")) > wa)
			wa = cmd_width(cal_str(row, "agency"));
		if (cmd_width(cal_str(row, "region")) > wr)
			wr = cmd_width(cal_str(row, "region"));
	}
	if (!o->csv) {
		cmd_pad("AGENCY", wa + 2);
		cmd_pad("REGION", wr + 2);
		printf("%-10s  %4s  %-10s  %7s  %s\n", "LEVEL", "YEAR",
		    "DEADLINE", "OVERDUE", "URL");
	}
	json_array_foreach(rows, i, row) {
		long long year = json_integer_value(json_object_get(row,
		    "year"));
		long long days = json_integer_value(json_object_get(row,
		    "days_overdue"));

		if (o->csv) {
			for (k = 0; k < 8; k++) {
				if (k == 4 || k == 6) {
					snprintf(num, sizeof num, "%lld",
					    k == 4 ? year : days);
					cmd_csv(num, 0);
				} else
					cmd_csv(cal_str(row, cols[k]), k == 0);
			}
			putchar('\n');
			continue;
		}
		cmd_pad(cal_str(row, "agency"), wa + 2);
		cmd_pad(*cal_str(row, "region") != '\0' ? cal_str(row,
		    "region") : "-", wr + 2);
		snprintf(num, sizeof num, "%lldd", days);
		printf("%-10s  %4lld  %-10s  %7s  %s\n", cal_str(row, "level"),
		    year, cal_str(row, "deadline"), num, cal_str(row, "url"));
	}
}

static void
cal_print_calendar(json_t *rows, const struct cal_opts *o)
{
	static const char *cols[] = { "source", "agency", "region", "level",
	    "year", "status", "deadline", "days_overdue", "published",
	    "published_from", "url" };
	size_t i, k, ws = 6, wa = 6, nc = sizeof cols / sizeof cols[0];
	char num[32], pub[64];
	json_t *row, *v;

	if (o->csv) {
		for (k = 0; k < nc; k++)
			cmd_csv(cols[k], k == 0);
		putchar('\n');
		json_array_foreach(rows, i, row) {
			for (k = 0; k < nc; k++) {
				v = json_object_get(row, cols[k]);
				if (json_is_integer(v)) {
					snprintf(num, sizeof num, "%lld",
					    (long long)json_integer_value(v));
					cmd_csv(num, k == 0);
				} else
					cmd_csv(cal_str(row, cols[k]), k == 0);
			}
			putchar('\n');
		}
		return;
	}
	json_array_foreach(rows, i, row) {
		if (strlen(cal_str(row, "source")) > ws)
			ws = strlen(cal_str(row, "source"));
		if (cmd_width(cal_str(row, "agency")) > wa)
			wa = cmd_width(cal_str(row, "agency"));
	}
	cmd_pad("SOURCE", ws + 2);
	cmd_pad("AGENCY", wa + 2);
	printf("%4s  %-9s  %-10s  %7s  %s\n", "YEAR", "STATUS", "DEADLINE",
	    "OVERDUE", "PUBLISHED");
	json_array_foreach(rows, i, row) {
		v = json_object_get(row, "days_overdue");
		if (json_is_integer(v))
			snprintf(num, sizeof num, "%lldd",
			    (long long)json_integer_value(v));
		else
			snprintf(num, sizeof num, "-");
		if (json_is_string(json_object_get(row, "published")))
			snprintf(pub, sizeof pub, "%s%s (%s)",
			    json_is_true(json_object_get(row, "upper_bound")) ?
			    "by " : "", cal_str(row, "published"),
			    cal_str(row, "published_from"));
		else
			snprintf(pub, sizeof pub, "-");
		cmd_pad(cal_str(row, "source"), ws + 2);
		cmd_pad(cal_str(row, "agency"), wa + 2);
		printf("%4lld  %-9s  %-10s  %7s  %s\n",
		    (long long)json_integer_value(json_object_get(row, "year")),
		    cal_str(row, "status"), cal_str(row, "deadline"), num, pub);
	}
}

static int
cal_run(int argc, char **argv, int missing)
{
	struct cal_opts o;
	struct cal_rows cr;
	struct catalog cat;
	struct conf c;
	struct store *st = NULL;
	int64_t now = clock_now_ms();
	size_t i;
	int rc, y;

	rc = cal_parse_opts(argc, argv, missing ? cmd_missing_usage :
	    cmd_calendar_usage, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	rc = cmd_db_catalog(&o.d, missing ? "missing" : "calendar", &st, &c,
	    &cat);
	if (rc != CLI_OK)
		goto out;
	memset(&cr, 0, sizeof cr);
	cr.o = &o;
	cr.missing = missing;
	cr.year = (int)o.year;
	if (missing && cr.year == 0) {
		for (i = 0; i < cat.n; i++) {
			if (!cal_wanted(&cat.v[i], &cr))
				continue;
			y = calendar_latest_due(&c, &cat.v[i], now);
			if (y > cr.year)
				cr.year = y;
		}
	}
	cr.rows = json_array();
	rc = cmd_calendar_each(st, &c, &cat, now, cal_wanted, cal_rows_each,
	    &cr);
	if (o.d.json) {
		json_dumpf(cr.rows, stdout, JSON_INDENT(2));
		putchar('\n');
	} else if (missing)
		cal_print_missing(cr.rows, &o);
	else
		cal_print_calendar(cr.rows, &o);
	if (missing && cr.unchecked > 0)
		fprintf(stderr, "nianbao: %zu source%s never read, not listed "
		    "(see nianbao status)\n", cr.unchecked, cr.unchecked == 1 ?
		    "" : "s");
	json_decref(cr.rows);
out:
	catalog_release(&cat);
	store_close(st);
	conf_release(&c);
	return rc;
}

int
cmd_missing(int argc, char **argv)
{
	return cal_run(argc, argv, 1);
}

int
cmd_calendar(int argc, char **argv)
{
	return cal_run(argc, argv, 0);
}
