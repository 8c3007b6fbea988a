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
	const char	*config;
	const char	*db;
	const char	*source;
	const char	*region;
	const char	*level;
	long long	 year;
	int		 json;
	int		 csv;
};

static int
cal_parse_opts(int argc, char **argv, const char *usage, struct cal_opts *o)
{
	static const struct option lopts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "source", required_argument, NULL, 'S' },
		{ "year", required_argument, NULL, 'y' },
		{ "region", required_argument, NULL, 'r' },
		{ "level", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *errstr;
	int ch;

	memset(o, 0, sizeof *o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o->config = optarg;
			break;
		case 'D':
			o->db = optarg;
			break;
		case 'S':
			o->source = optarg;
			break;
		case 'r':
			o->region = optarg;
			break;
		case 'l':
			if (strcmp(optarg, "department") != 0 &&
			    strcmp(optarg, "government") != 0 &&
			    strcmp(optarg, "township") != 0) {
				fprintf(stderr, "nianbao: --level %s: not "
				    "department, government or township\n",
				    optarg);
				return CLI_USAGE;
			}
			o->level = optarg;
			break;
		case 'y':
			if (util_strtonum(optarg, 2000, 2100, &o->year,
			    &errstr) != 0) {
				fprintf(stderr, "nianbao: --year %s: %s\n",
				    optarg, errstr);
				return CLI_USAGE;
			}
			break;
		case 'j':
			o->json = 1;
			break;
		case 'c':
			o->csv = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			goto bad;
		}
	}
	if (optind == argc && !(o->json && o->csv))
		return 0;
bad:
	fputs(usage, stderr);
	return CLI_USAGE;
}

/* One CSV field, quoted when it must be (RFC 4180). */
static void
cal_csv(const char *s, int last)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL)
		fputs(s, stdout);
	else {
		putchar('"');
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	}
	putchar(last ? '\n' : ',');
}

static int
cal_wanted(const struct cal_opts *o, const struct source *s)
{
	if (o->source != NULL && strcmp(o->source, s->id) != 0)
		return 0;
	if (o->level != NULL && strcmp(o->level, s->level) != 0)
		return 0;
	if (o->region != NULL && strncmp(s->region, o->region,
	    strlen(o->region)) != 0)
		return 0;
	return 1;
}

/*
 * The rows of every wanted source as JSON objects (the text and CSV
 * outputs are made from them too).  missing: only the missing ones of
 * year.  *unchecked counts the sources never read.
 */
static json_t *
cal_rows(struct store *st, const struct conf *c, const struct catalog *cat,
    const struct cal_opts *o, int missing, int year, int64_t now,
    size_t *unchecked, int *rc)
{
	struct calendar_report *reps;
	struct calendar_entry *ents;
	const struct calendar_entry *e;
	const struct source *s;
	json_t *rows = json_array(), *row;
	int64_t first_check;
	size_t i, k, nreps, n;
	char *cause = NULL;
	int checked;

	*unchecked = 0;
	for (i = 0; i < cat->n; i++) {
		s = &cat->v[i];
		if (!cal_wanted(o, s))
			continue;
		if (calendar_read(st, s, &reps, &nreps, &first_check, &checked,
		    &cause) == -1) {
			fprintf(stderr, "nianbao: %s: %s\n", s->id, cause);
			free(cause);
			cause = NULL;
			*rc = CLI_BADINPUT;
			continue;
		}
		if (!checked)
			(*unchecked)++;
		calendar_source(c, s, reps, nreps, now, first_check, &ents, &n);
		for (k = 0; k < n; k++) {
			e = &ents[k];
			if (year != 0 && e->year != year)
				continue;
			if (missing && (!checked || e->status != CAL_MISSING))
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
				json_object_set_new(row, "days_overdue",
				    json_null());
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
				json_object_set_new(row, "published",
				    json_null());
				json_object_set_new(row, "published_from",
				    json_null());
				json_object_set_new(row, "upper_bound",
				    json_false());
				json_object_set_new(row, "report", json_null());
				json_object_set_new(row, "url",
				    json_string(s->url));
			}
			json_array_append_new(rows, row);
		}
		free(ents);
		calendar_reports_free(reps, nreps);
	}
	return rows;
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
			cal_csv(cols[k], k == 7);
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
					cal_csv(num, 0);
				} else
					cal_csv(cal_str(row, cols[k]), k == 7);
			}
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
			cal_csv(cols[k], k == nc - 1);
		json_array_foreach(rows, i, row) {
			for (k = 0; k < nc; k++) {
				v = json_object_get(row, cols[k]);
				if (json_is_integer(v)) {
					snprintf(num, sizeof num, "%lld",
					    (long long)json_integer_value(v));
					cal_csv(num, k == nc - 1);
				} else
					cal_csv(cal_str(row, cols[k]),
					    k == nc - 1);
			}
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
	struct catalog cat;
	struct conf c;
	struct store *st;
	json_t *rows;
	char *errors = NULL;
	int64_t now = clock_now_ms();
	size_t i, unchecked;
	int rc, have_conf, year, y;

	rc = cal_parse_opts(argc, argv, missing ? cmd_missing_usage :
	    cmd_calendar_usage, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	memset(&cat, 0, sizeof cat);
	st = cmd_db_open(o.db, o.config, STORE_RDONLY, &c, &have_conf);
	if (st == NULL) {
		conf_release(&c);
		return CLI_BADINPUT;
	}
	rc = CLI_OK;
	if (!have_conf && o.config != NULL) {
		/* --db and -f: the database given, the rest from the file */
		if (conf_load(&c, o.config, &errors) != 0) {
			fprintf(stderr, "nianbao: %s", errors);
			rc = CLI_BADINPUT;
			goto out;
		}
		have_conf = 1;
	}
	if (!have_conf) {
		fprintf(stderr, "nianbao: %s needs the catalog: give nianbaod's "
		    "configuration with -f CONFIG (or $NIANBAO_CONF)\n",
		    missing ? "missing" : "calendar");
		rc = CLI_USAGE;
		goto out;
	}
	free(errors);
	errors = NULL;
	if (catalog_load(&cat, c.catalog, &errors) < 0) {
		fprintf(stderr, "nianbao: %s", errors);
		rc = CLI_BADINPUT;
		goto out;
	}
	year = (int)o.year;
	if (missing && year == 0) {
		for (i = 0; i < cat.n; i++) {
			if (!cal_wanted(&o, &cat.v[i]))
				continue;
			y = calendar_latest_due(&c, &cat.v[i], now);
			if (y > year)
				year = y;
		}
	}
	rows = cal_rows(st, &c, &cat, &o, missing, year, now, &unchecked, &rc);
	if (o.json) {
		json_dumpf(rows, stdout, JSON_INDENT(2));
		putchar('\n');
	} else if (missing)
		cal_print_missing(rows, &o);
	else
		cal_print_calendar(rows, &o);
	if (missing && unchecked > 0)
		fprintf(stderr, "nianbao: %zu source%s never read, not listed "
		    "(see nianbao status)\n", unchecked, unchecked == 1 ? "" :
		    "s");
	json_decref(rows);
out:
	free(errors);
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
