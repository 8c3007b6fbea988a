/*
 * The commands that read nianbaod's store: `nianbao events` (what the
 * daemon recorded, oldest first) and `nianbao status` (each source's last
 * check, last error, next due time and reports found).  They open the
 * database read-only, so they work while the daemon runs (WAL).
 *
 * The database is found from --db, else the configuration given with -f
 * (or $NIANBAO_CONF, else /etc/nianbao/nianbaod.conf when it exists), else
 * $NIANBAO_DB, else the daemon's default path.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "catalog.h"
#include "cli.h"
#include "clock.h"
#include "conf.h"
#include "store.h"
#include "util.h"
#include "xmalloc.h"


const char cmd_events_usage[] =
"usage: nianbao events [-f CONFIG | --db PATH] [--since ID] [--limit N]\n"
"                      [--type TYPE] [--source ID] [--json]\n"
"\n"
"Lists the events nianbaod recorded, oldest first, one line each: id,\n"
"time, type, source, year, then what happened.  The types:\n"
"\n"
"  report.new        a report seen for the first time (URL, failing findings)\n"
"  report.changed    a new version (the cells that changed)\n"
"  report.removed    a report gone from its site (why)\n"
"  report.missing    no report by deadline + grace (deadline, days overdue;\n"
"                    reminder N for the reminders)\n"
"  report.late       a report found after its deadline (published date and\n"
"                    its origin, deadline, days late)\n"
"  report.found      a report found for a year that was missing (the same,\n"
"                    late or on time)\n"
"  source.synced     a source's first check: past reports recorded as\n"
"                    history (how many, which years)\n"
"  source.failing    a source failing its checks (the error)\n"
"  source.recovered  a failing source read again\n"
"\n"
"  -f CONFIG    read the database path from nianbaod's configuration\n"
"  --db PATH    the database itself\n"
"  --since ID   only events after this id (for polling)\n"
"  --limit N    at most N events\n"
"  --type TYPE  only this type (report.new, ...)\n"
"  --source ID  only this source\n"
"  --json       a JSON array of the events with their full payload\n";

const char cmd_status_usage[] =
"usage: nianbao status [-f CONFIG | --db PATH] [--json]\n"
"\n"
"One line per source: its last check, the next time it is due, the\n"
"number of reports found, whether it is failing and its last error.\n"
"With -f the catalog is read too, so that sources never checked are\n"
"listed with their agency.\n"
"\n"
"  -f CONFIG    read the database path and catalog from this configuration\n"
"  --db PATH    the database itself (sources as recorded there)\n"
"  --json       a JSON array\n";

struct cmd_opts {
	struct cmd_db_opts d;		/* -f, --db, --json */
	int		 events;	/* the options of events allowed */
	long long	 since;
	long long	 limit;
	const char	*type;
	const char	*source;
};

/* Opens the store read-only; loads the configuration into *c if one is used. */
static struct store *
cmd_open(const struct cmd_opts *o, struct conf *c, int *have_conf)
{
	return cmd_db_open(o->d.db, o->d.config, STORE_RDONLY, c, have_conf);
}

/* One option of events beyond the shared ones (status has none). */
static int
cmd_opt(int ch, const char *arg, void *p)
{
	struct cmd_opts *o = p;
	const char *errstr;

	if (!o->events)
		return -1;
	switch (ch) {
	case 't':
		o->type = arg;
		return 0;
	case 'S':
		o->source = arg;
		return 0;
	case 's':
	case 'l':
		if (util_strtonum(arg, 0, 1LL << 53, ch == 's' ? &o->since :
		    &o->limit, &errstr) != 0) {
			fprintf(stderr, "nianbao: --%s %s: %s\n", ch == 's' ?
			    "since" : "limit", arg, errstr);
			return CLI_USAGE;
		}
		return 0;
	}
	return -1;
}

static int
cmd_parse_opts(int argc, char **argv, const char *usage, int events,
    struct cmd_opts *o)
{
	static const struct option lopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ "type", required_argument, NULL, 't' },
		{ "source", required_argument, NULL, 'S' },
		CMD_DB_LONGOPTS
	};

	memset(o, 0, sizeof *o);
	o->events = events;
	return cmd_db_parse(argc, argv, "f:D:jh", lopts, usage, &o->d, cmd_opt,
	    o);
}

struct cmd_events {
	const struct cmd_opts	*o;
	json_t			*all;
	size_t			 n;
};

/* A string of the payload, "?" when it has none. */
static const char *
cmd_event_str(json_t *p, const char *key)
{
	const char *v = json_string_value(json_object_get(p, key));

	return v != NULL ? v : "?";
}

/* "published 2026-02-05 (page)", "by" before a first_seen upper bound. */
static void
cmd_event_published(json_t *p)
{
	printf("published %s%s (%s)", json_is_true(json_object_get(p,
	    "upper_bound")) ? "by " : "", cmd_event_str(p, "published"),
	    cmd_event_str(p, "published_from"));
}

/* report.missing, report.late, report.found: the calendar's view. */
static void
cmd_event_calendar(const char *type, json_t *p)
{
	long long days = json_integer_value(json_object_get(p,
	    "days_overdue"));
	long long n = json_integer_value(json_object_get(p, "reminder"));

	if (strcmp(type, "report.missing") == 0) {
		printf("no report, deadline %s, %lld day%s overdue",
		    cmd_event_str(p, "deadline"), days, days == 1 ? "" : "s");
		if (n > 0)
			printf(", reminder %lld", n);
	} else {
		cmd_event_published(p);
		printf(", deadline %s", cmd_event_str(p, "deadline"));
		if (strcmp(type, "report.late") == 0 || json_is_true(
		    json_object_get(p, "late")))
			printf(", %lld day%s late", days, days == 1 ? "" : "s");
		else
			printf(", on time");
	}
	printf("  %s", cmd_event_str(p, "url"));
}

/* source.synced: what a source's first check found. */
static void
cmd_event_synced(json_t *p)
{
	json_t *years = json_object_get(p, "years");
	long long n = json_integer_value(json_object_get(p, "reports_found"));
	size_t ny = json_array_size(years);

	printf("first sync: %lld past report%s recorded", n, n == 1 ? "" : "s");
	if (ny > 0)
		printf(", years %lld", (long long)json_integer_value(
		    json_array_get(years, 0)));
	if (ny > 1)
		printf("-%lld", (long long)json_integer_value(
		    json_array_get(years, ny - 1)));
}

/* The other types: the URL and what happened. */
static void
cmd_event_detail(json_t *p)
{
	const char *detail;
	json_t *v;

	detail = json_string_value(json_object_get(p, "summary"));
	if (detail == NULL)
		detail = json_string_value(json_object_get(p, "reason"));
	if (detail == NULL)
		detail = json_string_value(json_object_get(p, "error"));
	v = json_object_get(p, "url");
	printf("%s%s%s", json_is_string(v) ? json_string_value(v) : "",
	    detail != NULL && json_is_string(v) ? "  " : "",
	    detail != NULL ? detail : "");
	v = json_object_get(p, "failures");
	if (json_is_integer(v))
		printf(" (%lld failed checks)",
		    (long long)json_integer_value(v));
	v = json_object_get(p, "findings");
	if (json_array_size(v) > 0)
		printf("  (%zu failing finding%s)", json_array_size(v),
		    json_array_size(v) == 1 ? "" : "s");
}

static int
cmd_events_cb(const struct store_event *ev, void *arg)
{
	struct cmd_events *ce = arg;
	json_t *p, *v;
	char when[32];

	if (ce->o->type != NULL && strcmp(ev->type, ce->o->type) != 0)
		return 0;
	if (ce->o->source != NULL && (ev->source_id == NULL ||
	    strcmp(ev->source_id, ce->o->source) != 0))
		return 0;
	if (ce->o->limit > 0 && ce->n >= (size_t)ce->o->limit)
		return 1;
	ce->n++;
	p = json_loads(ev->payload != NULL ? ev->payload : "{}", 0, NULL);
	if (p == NULL)
		p = json_object();
	if (ce->all != NULL) {
		json_array_append_new(ce->all, json_pack("{s:I,s:s,s:s?,s:s,"
		    "s:s,s:o}", "id", (json_int_t)ev->id, "type", ev->type,
		    "source", ev->source_id, "key", ev->key, "created",
		    clock_format(ev->created, when, sizeof when), "payload",
		    p));
		return 0;
	}
	clock_format(ev->created, when, sizeof when);
	printf("%-5lld %s  %-16s %-16s ", (long long)ev->id, when, ev->type,
	    ev->source_id != NULL ? ev->source_id : "-");
	v = json_object_get(p, "year");
	if (json_is_integer(v))
		printf("%4lld  ", (long long)json_integer_value(v));
	else
		printf("   -  ");
	/* a listing may carry several agencies' reports: say whose */
	v = json_object_get(p, "agency");
	if (json_is_string(v) && json_object_get(p, "report") != NULL)
		printf("%s  ", json_string_value(v));
	if (strncmp(ev->type, "report.", 7) == 0 &&
	    json_object_get(p, "deadline") != NULL)
		cmd_event_calendar(ev->type, p);
	else if (strcmp(ev->type, "source.synced") == 0)
		cmd_event_synced(p);
	else
		cmd_event_detail(p);
	putchar('\n');
	json_decref(p);
	return 0;
}

int
cmd_events(int argc, char **argv)
{
	struct cmd_opts o;
	struct cmd_events ce;
	struct conf c;
	struct store *st;
	char *cause = NULL;
	int rc, have_conf;

	rc = cmd_parse_opts(argc, argv, cmd_events_usage, 1, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	st = cmd_open(&o, &c, &have_conf);
	if (st == NULL) {
		conf_release(&c);
		return CLI_BADINPUT;
	}
	memset(&ce, 0, sizeof ce);
	ce.o = &o;
	if (o.d.json)
		ce.all = json_array();
	rc = CLI_OK;
	if (store_events_each(st, o.since, 0, cmd_events_cb, &ce, &cause) ==
	    -1) {
		fprintf(stderr, "nianbao: %s\n", cause);
		free(cause);
		rc = CLI_BADINPUT;
	}
	if (ce.all != NULL) {
		json_dumpf(ce.all, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(ce.all);
	}
	store_close(st);
	conf_release(&c);
	return rc;
}

struct cmd_status {
	struct store	*st;
	json_t		*rows;
};

static int
cmd_count_cb(const struct store_report *r, void *arg)
{
	int *n = arg;

	if (!r->removed)
		(*n)++;
	return 0;
}

static int
cmd_status_cb(const struct store_source *s, void *arg)
{
	struct cmd_status *cs = arg;
	char *cause = NULL;
	char a[32], b[32];
	int n = 0;
	json_t *row;

	if (store_reports_each(cs->st, s->id, cmd_count_cb, &n, &cause) ==
	    -1) {
		fprintf(stderr, "nianbao: %s\n", cause);
		free(cause);
	}
	row = json_object_get(cs->rows, s->id);
	if (row == NULL) {
		row = json_object();
		json_object_set_new(cs->rows, s->id, row);
	}
	json_object_set_new(row, "last_check", json_string(clock_format(
	    s->last_check, a, sizeof a)));
	json_object_set_new(row, "next_due", json_string(clock_format(
	    s->next_due, b, sizeof b)));
	json_object_set_new(row, "checks", json_integer(s->checks));
	json_object_set_new(row, "reports", json_integer(n));
	json_object_set_new(row, "failures", json_integer(s->failures));
	json_object_set_new(row, "state", json_string(s->failing ? "failing" :
	    s->last_error != NULL ? "error" : "ok"));
	json_object_set_new(row, "last_error", s->last_error != NULL ?
	    json_string(s->last_error) : json_null());
	return 0;
}

int
cmd_status(int argc, char **argv)
{
	struct cmd_opts o;
	struct cmd_status cs;
	struct catalog cat;
	struct conf c;
	char *cause = NULL, *errors = NULL;
	const char *k;
	json_t *row, *arr;
	size_t i, wid = 6, wag = 6;
	int rc = CLI_OK, have_conf;

	rc = cmd_parse_opts(argc, argv, cmd_status_usage, 0, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	memset(&cat, 0, sizeof cat);
	memset(&cs, 0, sizeof cs);
	cs.st = cmd_open(&o, &c, &have_conf);
	if (cs.st == NULL) {
		conf_release(&c);
		return CLI_BADINPUT;
	}
	cs.rows = json_object();
	if (have_conf && catalog_load(&cat, c.catalog, &errors) >= 0) {
		for (i = 0; i < cat.n; i++)
			json_object_set_new(cs.rows, cat.v[i].id, json_pack(
			    "{s:s,s:s,s:s,s:s,s:i,s:i,s:s,s:n}", "agency",
			    cat.v[i].agency, "level", cat.v[i].level,
			    "last_check", "-", "next_due", "-", "checks", 0,
			    "reports", 0, "state", "new", "last_error"));
	}
	free(errors);
	if (store_sources_each(cs.st, cmd_status_cb, &cs, &cause) == -1) {
		fprintf(stderr, "nianbao: %s\n", cause);
		free(cause);
		rc = CLI_BADINPUT;
	}
	if (o.d.json) {
		arr = json_array();
		json_object_foreach(cs.rows, k, row) {
			json_object_set_new(row, "source", json_string(k));
			json_array_append(arr, row);
		}
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
		goto out;
	}
	json_object_foreach(cs.rows, k, row) {
		const char *ag = json_string_value(json_object_get(row,
		    "agency"));

		if (strlen(k) > wid)
			wid = strlen(k);
		if (ag != NULL && cmd_width(ag) > wag)
			wag = cmd_width(ag);
	}
	cmd_pad("SOURCE", wid + 2);
	if (have_conf)
		cmd_pad("AGENCY", wag + 2);
	printf("%-19s  %-19s  %7s  %-7s  %s\n", "LAST CHECK", "NEXT DUE",
	    "REPORTS", "STATE", "LAST ERROR");
	json_object_foreach(cs.rows, k, row) {
		const char *err = json_string_value(json_object_get(row,
		    "last_error"));

		cmd_pad(k, wid + 2);
		if (have_conf) {
			const char *ag = json_string_value(json_object_get(row,
			    "agency"));

			cmd_pad(ag != NULL ? ag : "?", wag + 2);
		}
		printf("%-19s  %-19s  %7lld  %-7s  %s\n",
		    json_string_value(json_object_get(row, "last_check")),
		    json_string_value(json_object_get(row, "next_due")),
		    (long long)json_integer_value(json_object_get(row,
		    "reports")), json_string_value(json_object_get(row,
		    "state")), err != NULL ? err : "-");
	}
out:
	json_decref(cs.rows);
	catalog_release(&cat);
	store_close(cs.st);
	conf_release(&c);
	return rc;
}
