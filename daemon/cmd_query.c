/*
 * The query commands of nianbao, on nianbaod's store opened read-only
 * (they work while the daemon runs, thanks to WAL): `reports`, `show`,
 * `history`, `diff`, `findings`, `export` and `captures`.  The SQL is in
 * store/query.c; this file parses command lines, names reports, and
 * prints aligned text (CJK counted double width) or JSON.
 *
 * A REPORT is named by its id, its URL or "agency:year".  Exit statuses:
 * 0, 2 when what was named does not exist or the store cannot be read,
 * 64 on a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "calendar.h"
#include "catalog.h"
#include "cli.h"
#include "clock.h"
#include "conf.h"
#include "export.h"
#include "import.h"
#include "nianbaod.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "xmalloc.h"

#define QUERY_LIMIT_MAX		1000000000LL
/* Line diffs beyond this many line pairs print the texts whole. */
#define QUERY_LCS_MAX		(4 * 1024 * 1024)
#define QUERY_JSON_FLAGS	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
	JSON_REAL_PRECISION(12))

#define QUERY_DB_HELP \
"  -f CONFIG    read the database path from nianbaod's configuration\n" \
"  --db PATH    the database itself\n"
#define QUERY_REPORT_HELP \
"REPORT is a report id (see `nianbao reports`), the report's URL, or\n" \
"AGENCY:YEAR (e.g. 石台县人民政府:2024).\n"

const char cmd_reports_usage[] =
"usage: nianbao reports [-f CONFIG | --db PATH] [--agency A] [--region R]\n"
"                       [--year Y] [--source ID] [--failing RULE | --errors]\n"
"                       [--removed | --all] [--late] [--limit N] [--after ID]\n"
"                       [--json]\n"
"\n"
"One line per report nianbaod found: its id, year, agency, number of\n"
"versions, failing findings of error or warning severity in the latest\n"
"version, when it was last seen and its URL.  Removed reports are left\n"
"out unless --removed or --all is given.  With --late, only the reports\n"
"published after their deadline plus grace, as `nianbao calendar` judges\n"
"them (it needs the catalog: -f CONFIG), with the deadline, the days late\n"
"and the published date and its origin.\n"
"\n"
QUERY_DB_HELP
"  --agency A      only this agency (exact name)\n"
"  --region R      only this region (the record's meta.region)\n"
"  --year Y        only reports for this year\n"
"  --source ID     only this catalog source\n"
"  --failing RULE  only reports whose latest version fails RULE (T3.ROW)\n"
"  --errors        only reports with a failing error-severity finding\n"
"  --removed       only reports gone from their site\n"
"  --all           present and removed reports\n"
"  --late          only reports whose calendar status is late\n"
"  --limit N       at most N reports\n"
"  --after ID      only reports with an id above ID (to resume)\n"
"  --json          a JSON array\n";

const char cmd_show_usage[] =
"usage: nianbao show [-f CONFIG | --db PATH] REPORT\n"
"                    [--version N | --at DATE] [--json | --flat | --raw\n"
"                    [--headers]]\n"
"\n"
"Prints a stored version of a report: the record as JSON (the default,\n"
"as `nianbao parse` prints it, with its findings), one cell per line\n"
"(--flat: key TAB value TAB kind TAB raw), or the exact bytes captured\n"
"when the version was first seen (--raw, decompressed, unchanged).\n"
QUERY_REPORT_HELP
"\n"
QUERY_DB_HELP
"  --version N  version N (1 is the first; default the latest)\n"
"  --at DATE    the version current at DATE (YYYY-MM-DD[ HH:MM[:SS]],\n"
"               local time, or YYYYMMDDhhmmss)\n"
"  --json       the record as JSON\n"
"  --flat       one cell per line\n"
"  --raw        the captured bytes\n"
"  --headers    with --raw: the response's stored headers first, then an\n"
"               empty line\n";

const char cmd_history_usage[] =
"usage: nianbao history [-f CONFIG | --db PATH] REPORT [--json]\n"
"\n"
"Every version of a report, oldest first: its number, when it was first\n"
"and last seen, its content digest (short), failing findings, and what\n"
"changed from the version before in one line.\n"
QUERY_REPORT_HELP
"\n"
QUERY_DB_HELP
"  --json       a JSON array, with the full change of each version\n";

const char cmd_diff_usage[] =
"usage: nianbao diff [-f CONFIG | --db PATH] REPORT [V1 [V2]] [--json]\n"
"\n"
"What changed between two versions of a report: the cells whose value\n"
"changed (t3.new.total: 12 → 13), the failing findings that appeared (+)\n"
"or vanished (-), and a line diff of each section text that changed.\n"
"Without versions, the latest against the one before; with V1 only, V1\n"
"against the latest.\n"
QUERY_REPORT_HELP
"\n"
QUERY_DB_HELP
"  --json       the change as a JSON object\n";

const char cmd_findings_usage[] =
"usage: nianbao findings [-f CONFIG | --db PATH] [--rule ID]\n"
"                        [--severity error|warning|info] [--year Y]\n"
"                        [--json]\n"
"\n"
"The failing findings of the latest version of every report: report id,\n"
"year, agency, severity, rule, cells and message.\n"
"\n"
QUERY_DB_HELP
"  --rule ID       only this rule (see `nianbao rules`)\n"
"  --severity S    only this severity\n"
"  --year Y        only reports for this year\n"
"  --json          a JSON array\n";

const char cmd_export_usage[] =
"usage: nianbao export [-f CONFIG | --db PATH] --format csv|json|ndjson\n"
"                      [--long] [--bom] [--agency A] [--region R]\n"
"                      [--year Y] [--source ID] [--failing RULE | --errors]\n"
"                      [--all]\n"
"\n"
"Exports the latest version of every report.  Wide (the default): one row\n"
"per report with the columns id, source, agency, region, level, year,\n"
"version, first_seen, last_seen, url, title, published, format, failing,\n"
"then every cell key of the record in a fixed order (t2.*, t3.*, t4.*);\n"
"a number is written as a number, any other cell as its raw text, an\n"
"absent cell empty (null in JSON).  --long: one row per cell present,\n"
"with id, source, agency, year, version, key, value, kind, raw.\n"
"CSV follows RFC 4180 (CRLF, quotes doubled), UTF-8.\n"
"\n"
QUERY_DB_HELP
"  --format F   csv, json (one array) or ndjson (one object per line)\n"
"  --long       one row per cell\n"
"  --bom        start with a UTF-8 byte order mark (for Excel)\n"
"  --agency A   only this agency\n"
"  --region R   only this region (the record's meta.region)\n"
"  --year Y     only reports for this year\n"
"  --source ID  only this catalog source\n"
"  --failing RULE  only reports whose latest version fails RULE\n"
"  --errors     only reports with a failing error-severity finding\n"
"  --all        removed reports too\n";

const char cmd_captures_usage[] =
"usage: nianbao captures [-f CONFIG | --db PATH] URL [--from DATE]\n"
"                        [--to DATE] [--collapse] [--limit N] [--after ID]\n"
"                        [--json]\n"
"\n"
"Every fetch of URL nianbaod recorded, oldest first (in the spirit of the\n"
"Wayback Machine's CDX API): capture id, time, HTTP status, kind, body\n"
"digest (short), size, and whether it was a revisit or an error.  When\n"
"--limit cuts the list, the line \"more: --after ID\" on stderr says how\n"
"to resume.\n"
"\n"
QUERY_DB_HELP
"  --from DATE  from this time (YYYY-MM-DD[ HH:MM[:SS]] local, or\n"
"               YYYYMMDDhhmmss; a date alone is its first second)\n"
"  --to DATE    up to this time (a date alone is its last second)\n"
"  --collapse   leave out a capture whose body is the previous one's\n"
"  --limit N    at most N captures\n"
"  --after ID   only captures with an id above ID (to resume)\n"
"  --json       a JSON array\n";

struct query_opts {
	const char	*config;
	const char	*db;
	int		 json;
	int		 flat;
	int		 raw;
	int		 headers;
	int		 removed;	/* -1 any, 0 present, 1 removed */
	int		 errors;
	int		 late;
	int		 collapse;
	int		 long_form;
	int		 bom;
	const char	*format;
	const char	*agency;
	const char	*region;
	const char	*source;
	const char	*rule;
	const char	*severity;
	long long	 year;
	long long	 version;
	long long	 limit;
	long long	 after;
	int64_t		 at;
	int64_t		 from;
	int64_t		 to;
	int		 nargs;
	char		**args;
};

enum {
	QO_DB = 256, QO_JSON, QO_FLAT, QO_RAW, QO_HEADERS, QO_REMOVED,
	QO_ALL, QO_ERRORS, QO_COLLAPSE, QO_LONG, QO_BOM, QO_FORMAT, QO_AGENCY,
	QO_REGION, QO_SOURCE, QO_RULE, QO_SEVERITY, QO_YEAR, QO_VERSION,
	QO_LIMIT, QO_AFTER, QO_AT, QO_FROM, QO_TO, QO_LATE, QO_HELP
};

/*
 * A time given on the command line, local time: YYYY-MM-DD, optionally
 * followed by a space or T and HH:MM[:SS], or the digits of the CDX API
 * (YYYY[MM[DD[hh[mm[ss]]]]]).  end: a part left out is its last value
 * (the end of the day), else its first.
 */
static int
query_time(const char *s, int end, int64_t *ms)
{
	int v[6] = { 0, 1, 1, 0, 0, 0 };
	static const int width[6] = { 4, 2, 2, 2, 2, 2 };
	static const int maxv[6] = { 9999, 12, 31, 23, 59, 59 };
	const char *p = s;
	struct tm tm;
	time_t t;
	int i, j, n = 0, digits;

	digits = strspn(s, "0123456789") == strlen(s);
	for (i = 0; i < 6 && *p != '\0'; i++) {
		if (i > 0 && !digits) {
			if (*p != (i < 3 ? '-' : i == 3 ? ' ' : ':') &&
			    !(i == 3 && *p == 'T'))
				return -1;
			p++;
		}
		v[i] = 0;
		for (j = 0; j < width[i]; j++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v[i] = v[i] * 10 + (*p - '0');
		}
		if (v[i] > maxv[i] || (i > 0 && i < 3 && v[i] == 0))
			return -1;
		n++;
	}
	if (*p != '\0' || n == 0 || v[0] < 1970)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	tm.tm_isdst = -1;
	if (end) {
		/* the first second after the span, minus one millisecond */
		switch (n) {
		case 1: tm.tm_year++; break;
		case 2: tm.tm_mon++; break;
		case 3: tm.tm_mday++; break;
		case 4: tm.tm_hour++; break;
		case 5: tm.tm_min++; break;
		default: tm.tm_sec++; break;
		}
	}
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000 - (end ? 1 : 0);
	return 0;
}

/*
 * Parses argv for one command.  allowed lists the QO_ options the command
 * takes; non-options go to o->args.  Returns 0, -1 after --help, or
 * CLI_USAGE.
 */
static int
query_parse(int argc, char **argv, const char *usage, const int *allowed,
    struct query_opts *o)
{
	static const struct option lopts[] = {
		{ "db", required_argument, NULL, QO_DB },
		{ "json", no_argument, NULL, QO_JSON },
		{ "flat", no_argument, NULL, QO_FLAT },
		{ "raw", no_argument, NULL, QO_RAW },
		{ "headers", no_argument, NULL, QO_HEADERS },
		{ "removed", no_argument, NULL, QO_REMOVED },
		{ "all", no_argument, NULL, QO_ALL },
		{ "errors", no_argument, NULL, QO_ERRORS },
		{ "collapse", no_argument, NULL, QO_COLLAPSE },
		{ "long", no_argument, NULL, QO_LONG },
		{ "bom", no_argument, NULL, QO_BOM },
		{ "format", required_argument, NULL, QO_FORMAT },
		{ "agency", required_argument, NULL, QO_AGENCY },
		{ "region", required_argument, NULL, QO_REGION },
		{ "source", required_argument, NULL, QO_SOURCE },
		{ "failing", required_argument, NULL, QO_RULE },
		{ "rule", required_argument, NULL, QO_RULE },
		{ "severity", required_argument, NULL, QO_SEVERITY },
		{ "year", required_argument, NULL, QO_YEAR },
		{ "version", required_argument, NULL, QO_VERSION },
		{ "limit", required_argument, NULL, QO_LIMIT },
		{ "after", required_argument, NULL, QO_AFTER },
		{ "at", required_argument, NULL, QO_AT },
		{ "from", required_argument, NULL, QO_FROM },
		{ "to", required_argument, NULL, QO_TO },
		{ "late", no_argument, NULL, QO_LATE },
		{ "help", no_argument, NULL, QO_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *errstr, *name = argv[0];
	long long *num;
	long long lo, hi;
	int64_t *tp;
	int ch, i, ok, idx;

	memset(o, 0, sizeof *o);
	o->removed = 0;
	optind = 1;
	opterr = 0;
	for (;;) {
		idx = -1;
		ch = getopt_long(argc, argv, "f:h", lopts, &idx);
		if (ch == -1)
			break;
		if (ch == 'h')
			ch = QO_HELP;
		if (ch == QO_HELP) {
			fputs(usage, stdout);
			return -1;
		}
		if (ch == 'f') {
			o->config = optarg;
			continue;
		}
		if (ch == QO_DB) {
			o->db = optarg;
			continue;
		}
		ok = 0;
		for (i = 0; allowed[i] != 0; i++)
			if (allowed[i] == ch)
				ok = 1;
		if (!ok) {
			if (ch == '?' || ch == ':')
				fprintf(stderr, "nianbao %s: bad option '%s'\n",
				    name, argv[optind - 1]);
			else
				fprintf(stderr, "nianbao %s: --%s does not "
				    "apply here\n", name, lopts[idx].name);
			goto bad;
		}
		num = NULL;
		tp = NULL;
		lo = 1;
		hi = QUERY_LIMIT_MAX;
		switch (ch) {
		case QO_JSON: o->json = 1; break;
		case QO_FLAT: o->flat = 1; break;
		case QO_RAW: o->raw = 1; break;
		case QO_HEADERS: o->headers = 1; break;
		case QO_REMOVED: o->removed = 1; break;
		case QO_ALL: o->removed = -1; break;
		case QO_ERRORS: o->errors = 1; break;
		case QO_LATE: o->late = 1; break;
		case QO_COLLAPSE: o->collapse = 1; break;
		case QO_LONG: o->long_form = 1; break;
		case QO_BOM: o->bom = 1; break;
		case QO_FORMAT: o->format = optarg; break;
		case QO_AGENCY: o->agency = optarg; break;
		case QO_REGION: o->region = optarg; break;
		case QO_SOURCE: o->source = optarg; break;
		case QO_RULE: o->rule = optarg; break;
		case QO_SEVERITY: o->severity = optarg; break;
		case QO_YEAR:
			num = &o->year;
			lo = 1900;
			hi = 2999;
			break;
		case QO_VERSION: num = &o->version; break;
		case QO_LIMIT: num = &o->limit; break;
		case QO_AFTER:
			num = &o->after;
			lo = 0;
			hi = INT64_MAX;
			break;
		case QO_AT: tp = &o->at; break;
		case QO_FROM: tp = &o->from; break;
		case QO_TO: tp = &o->to; break;
		}
		if (num != NULL && util_strtonum(optarg, lo, hi, num,
		    &errstr) != 0) {
			fprintf(stderr, "nianbao %s: --%s %s: %s (%lld to "
			    "%lld)\n", name, lopts[idx].name, optarg, errstr,
			    lo, hi);
			return CLI_USAGE;
		}
		if (tp != NULL && query_time(optarg, ch == QO_TO, tp) != 0) {
			fprintf(stderr, "nianbao %s: --%s %s: not a date "
			    "(YYYY-MM-DD[ HH:MM[:SS]] or YYYYMMDDhhmmss)\n",
			    name, lopts[idx].name, optarg);
			return CLI_USAGE;
		}
	}
	if (o->severity != NULL && strcmp(o->severity, "error") != 0 &&
	    strcmp(o->severity, "warning") != 0 &&
	    strcmp(o->severity, "info") != 0) {
		fprintf(stderr, "nianbao %s: --severity %s: not error, "
		    "warning or info\n", name, o->severity);
		return CLI_USAGE;
	}
	if (o->json + o->flat + o->raw > 1 || (o->headers && !o->raw) ||
	    (o->version != 0 && o->at != 0) || (o->errors && o->rule)) {
		fprintf(stderr, "nianbao %s: conflicting options\n", name);
		goto bad;
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	return 0;
bad:
	fputs(usage, stderr);
	return CLI_USAGE;
}

/* Opens the store read-only, found as `nianbao events` finds it. */
static struct store *
query_open(const struct query_opts *o)
{
	struct store *st;
	struct conf c;
	int have_conf;

	st = cmd_db_open(o->db, o->config, STORE_RDONLY, &c, &have_conf);
	conf_release(&c);
	return st;
}

static int
query_fail(char *cause)
{
	fprintf(stderr, "nianbao: %s\n", cause != NULL ? cause : "error");
	free(cause);
	return CLI_BADINPUT;
}

/* Finds the report named by the user: CLI_OK, or the exit status. */
static int
query_report(struct store *st, const char *name, struct store_report *r)
{
	char *cause = NULL;

	switch (store_report_find(st, name, r, &cause)) {
	case 0:
		if (r->versions > 0)
			return CLI_OK;
		fprintf(stderr, "nianbao: report %s (%lld) has no stored "
		    "version\n", name, (long long)r->id);
		store_report_release(r);
		return CLI_BADINPUT;
	case 1:
		fprintf(stderr, "nianbao: no report %s (give an id, a URL "
		    "or AGENCY:YEAR; see nianbao reports)\n", name);
		return CLI_BADINPUT;
	default:
		return query_fail(cause);
	}
}

/* The record JSON of version n of r (loaded, caller decrefs) or NULL. */
static json_t *
query_record(struct store *st, const struct store_report *r, int n,
    char **text)
{
	char *json = NULL, *cause = NULL;
	json_t *rec;

	switch (store_version_record(st, r->id, n, &json, &cause)) {
	case 0:
		break;
	case 1:
		fprintf(stderr, "nianbao: report %lld has no version %d "
		    "(it has %d)\n", (long long)r->id, n, r->versions);
		return NULL;
	default:
		query_fail(cause);
		return NULL;
	}
	rec = json_loads(json, 0, NULL);
	if (rec == NULL)
		fprintf(stderr, "nianbao: report %lld version %d: the stored "
		    "record is not JSON\n", (long long)r->id, n);
	if (text != NULL && rec != NULL)
		*text = json;
	else
		free(json);
	return rec;
}

static const char *
query_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A cell's number as every output prints it, or NULL if not a number. */
static const char *
query_cell_number(json_t *cell, char *buf, size_t len)
{
	const char *kind = query_str(cell, "kind");
	json_t *v = json_object_get(cell, "value");

	if (kind == NULL || (strcmp(kind, "number") != 0 &&
	    strcmp(kind, "zero") != 0) || !json_is_number(v))
		return NULL;
	export_number(json_number_value(v), buf, len);
	return buf;
}

/* ---- reports ---------------------------------------------------------- */

struct query_list {
	struct store		*st;
	const struct query_opts	*o;
	json_t			*only;		/* report ids to keep, or NULL */
	json_t			*late;		/* --late: id -> its calendar */
	json_t			*rows;
	long long		 n;
	int			 error;
};

static int
query_ids_cb(const struct store_finding *f, void *arg)
{
	json_t *ids = arg;
	char k[32];

	snprintf(k, sizeof k, "%lld", (long long)f->report_id);
	json_object_set_new(ids, k, json_true());
	return 0;
}

/* The latest record's meta.region, compared with --region. */
static int
query_region_match(struct store *st, const struct store_report *r,
    const char *region)
{
	char *json = NULL;
	json_t *rec;
	int match = 0;

	if (store_version_record(st, r->id, 0, &json, NULL) != 0)
		return 0;
	rec = json_loads(json, 0, NULL);
	free(json);
	if (rec != NULL) {
		const char *v = query_str(json_object_get(rec, "meta"),
		    "region");

		match = v != NULL && strcmp(v, region) == 0;
	}
	json_decref(rec);
	return match;
}

static int
query_reports_cb(const struct store_report *r, void *arg)
{
	struct query_list *l = arg;
	char k[32], last[32], *cause = NULL;
	int failing = 0;

	snprintf(k, sizeof k, "%lld", (long long)r->id);
	if (l->only != NULL && json_object_get(l->only, k) == NULL)
		return 0;
	if (l->late != NULL && json_object_get(l->late, k) == NULL)
		return 0;
	if (l->o->region != NULL && !query_region_match(l->st, r,
	    l->o->region))
		return 0;
	if (r->versions > 0 && store_version_failing(l->st, r->id, 0,
	    &failing, &cause) == -1) {
		query_fail(cause);
		l->error = 1;
		return 1;
	}
	clock_format(r->last_seen, last, sizeof last);
	json_array_append_new(l->rows, json_pack("{s:I,s:s,s:s,s:i,s:s?,"
	    "s:s?,s:i,s:i,s:s,s:s,s:b}", "id", (json_int_t)r->id, "source",
	    r->source_id, "agency", r->agency != NULL ? r->agency : "",
	    "year", r->year, "url", r->url, "title", r->title, "versions",
	    r->versions, "failing", failing, "first_seen", clock_format(
	    r->first_seen, k, sizeof k), "last_seen", last, "removed",
	    r->removed));
	if (l->late != NULL) {
		/* k holds first_seen now */
		snprintf(k, sizeof k, "%lld", (long long)r->id);
		json_object_set(json_array_get(l->rows,
		    json_array_size(l->rows) - 1), "calendar",
		    json_object_get(l->late, k));
	}
	l->n++;
	return l->o->limit > 0 && l->n >= l->o->limit;
}

/*
 * One source's calendar (cmd_calendar_each): its late reports into
 * l->late.  A source never read has no report to judge.
 */
static void
query_late_each(const struct source *s, const struct calendar_entry *ents,
    size_t n, int checked, void *arg)
{
	struct query_list *l = arg;
	const struct calendar_entry *e;
	char k[32];
	size_t i;

	(void)s;
	for (i = 0; i < n && checked; i++) {
		e = &ents[i];
		if (e->status != CAL_LATE || e->report == NULL)
			continue;
		snprintf(k, sizeof k, "%lld", (long long)e->report->id);
		json_object_set_new(l->late, k, json_pack("{s:s,s:s,s:s,s:s,"
		    "s:b,s:I}", "status", calendar_status_name(e->status),
		    "deadline", e->deadline, "published", e->published,
		    "published_from", e->published_from, "upper_bound",
		    e->upper_bound, "days_late", (json_int_t)e->overdue_days));
	}
}

/*
 * --late: the store opened with the catalog, and the late reports of
 * every source as `nianbao calendar` judges them now.
 */
static int
query_late(struct query_list *l)
{
	struct cmd_db_opts d;
	struct catalog cat;
	struct conf c;
	int rc;

	memset(&d, 0, sizeof d);
	d.config = l->o->config;
	d.db = l->o->db;
	rc = cmd_db_catalog(&d, "reports --late", &l->st, &c, &cat);
	if (rc == CLI_OK) {
		l->late = json_object();
		rc = cmd_calendar_each(l->st, &c, &cat, clock_now_ms(), NULL,
		    query_late_each, l);
	}
	catalog_release(&cat);
	conf_release(&c);
	return rc;
}

/* Fills l->rows with the reports the filters of o select. */
static int
query_select(struct query_list *l)
{
	const struct query_opts *o = l->o;
	struct store_report_filter rf;
	struct store_finding_filter ff;
	char *cause = NULL;

	if (o->rule != NULL || o->errors) {
		memset(&ff, 0, sizeof ff);
		ff.rule = o->rule;
		ff.severity = o->errors ? "error" : NULL;
		ff.year = (int)o->year;
		l->only = json_object();
		if (store_findings_each(l->st, &ff, query_ids_cb, l->only,
		    &cause) == -1)
			return query_fail(cause);
	}
	memset(&rf, 0, sizeof rf);
	rf.agency = o->agency;
	rf.source_id = o->source;
	rf.year = (int)o->year;
	rf.removed = o->removed;
	rf.after = o->after;
	l->rows = json_array();
	if (store_reports_query(l->st, &rf, query_reports_cb, l, &cause) ==
	    -1)
		return query_fail(cause);
	return l->error ? CLI_BADINPUT : CLI_OK;
}

/* The rest of a --late line of `nianbao reports`, after the agency. */
static void
query_reports_late_line(json_t *row)
{
	json_t *cal = json_object_get(row, "calendar");
	char days[32], pub[64];

	snprintf(days, sizeof days, "%lldd", (long long)json_integer_value(
	    json_object_get(cal, "days_late")));
	snprintf(pub, sizeof pub, "%s%s (%s)", json_is_true(json_object_get(
	    cal, "upper_bound")) ? "by " : "", query_str(cal, "published"),
	    query_str(cal, "published_from"));
	printf("%8lld  %7lld  %-19s  %-10s  %5s  %-24s  %s%s\n",
	    (long long)json_integer_value(json_object_get(row, "versions")),
	    (long long)json_integer_value(json_object_get(row, "failing")),
	    query_str(row, "last_seen"), query_str(cal, "deadline"), days, pub,
	    query_str(row, "url") != NULL ? query_str(row, "url") : "-",
	    json_is_true(json_object_get(row, "removed")) ? "  (removed)" : "");
}

int
cmd_reports(int argc, char **argv)
{
	static const int allowed[] = { QO_JSON, QO_AGENCY, QO_REGION,
	    QO_YEAR, QO_SOURCE, QO_RULE, QO_ERRORS, QO_REMOVED, QO_ALL,
	    QO_LIMIT, QO_AFTER, QO_LATE, 0 };
	struct query_opts o;
	struct query_list l;
	json_t *row;
	size_t i, wag = 6;
	int rc;

	rc = query_parse(argc, argv, cmd_reports_usage, allowed, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	if (o.nargs != 0) {
		fputs(cmd_reports_usage, stderr);
		return CLI_USAGE;
	}
	memset(&l, 0, sizeof l);
	l.o = &o;
	if (o.late) {
		rc = query_late(&l);
		if (rc != CLI_OK)
			goto out;
	} else {
		l.st = query_open(&o);
		if (l.st == NULL)
			return CLI_BADINPUT;
	}
	rc = query_select(&l);
	if (rc != CLI_OK)
		goto out;
	if (o.json) {
		json_dumpf(l.rows, stdout, QUERY_JSON_FLAGS);
		putchar('\n');
		goto out;
	}
	json_array_foreach(l.rows, i, row) {
		if (cmd_width(query_str(row, "agency")) > wag)
			wag = cmd_width(query_str(row, "agency"));
	}
	printf("%6s  %4s  ", "ID", "YEAR");
	cmd_pad("AGENCY", wag + 2);
	printf("%8s  %7s  %-19s  ", "VERSIONS", "FAILING", "LAST SEEN");
	if (o.late)
		printf("%-10s  %5s  %-24s  ", "DEADLINE", "LATE", "PUBLISHED");
	printf("URL\n");
	json_array_foreach(l.rows, i, row) {
		printf("%6lld  %4lld  ", (long long)json_integer_value(
		    json_object_get(row, "id")), (long long)json_integer_value(
		    json_object_get(row, "year")));
		cmd_pad(query_str(row, "agency"), wag + 2);
		if (o.late) {
			/* the usual columns, then the calendar's */
			query_reports_late_line(row);
			continue;
		}
		printf("%8lld  %7lld  %-19s  %s%s\n",
		    (long long)json_integer_value(json_object_get(row,
		    "versions")), (long long)json_integer_value(
		    json_object_get(row, "failing")), query_str(row,
		    "last_seen"), query_str(row, "url") != NULL ?
		    query_str(row, "url") : "-", json_is_true(json_object_get(
		    row, "removed")) ? "  (removed)" : "");
	}
out:
	json_decref(l.rows);
	json_decref(l.only);
	json_decref(l.late);
	store_close(l.st);
	return rc;
}

/* ---- show ------------------------------------------------------------- */

/* Tabs and newlines inside a field would break the line format. */
static void
query_flat_field(const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\t')
			fputs("\\t", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else if (*s == '\r')
			continue;
		else if (*s == '\\')
			fputs("\\\\", stdout);
		else
			putchar(*s);
	}
}

/* The flat listing of a stored record, as export_flat() prints a parse. */
static void
query_flat(json_t *rec)
{
	static const char *meta[] = { "agency", "region", "level", "year",
	    "title", "published", "published_from", "format", "url" };
	json_t *m = json_object_get(rec, "meta"), *v, *cell;
	const char *s, *num;
	char buf[64];
	size_t i;
	int idx;

	for (i = 0; i < sizeof meta / sizeof meta[0]; i++) {
		v = json_object_get(m, meta[i]);
		s = json_string_value(v);
		if (json_is_integer(v)) {
			snprintf(buf, sizeof buf, "%lld",
			    (long long)json_integer_value(v));
			s = buf;
		}
		printf("meta.%s\t", meta[i]);
		query_flat_field(s);
		printf("\t%s\t", s != NULL ? "text" : "blank");
		query_flat_field(s);
		putchar('\n');
	}
	for (idx = 0; idx < REC_NCELLS; idx++) {
		cell = import_cell(rec, record_key(idx));
		if (cell == NULL)
			continue;
		printf("%s\t", record_key(idx));
		num = query_cell_number(cell, buf, sizeof buf);
		if (num != NULL)
			fputs(num, stdout);
		s = query_str(cell, "kind");
		printf("\t%s\t", s != NULL ? s : "?");
		query_flat_field(query_str(cell, "raw"));
		putchar('\n');
	}
}

static int
query_show_raw(struct store *st, const struct store_report *r, int n,
    int headers)
{
	struct store_capture_info c;
	char *cause = NULL, *data = NULL;
	int64_t cid = 0;
	size_t len;
	int rc;

	rc = store_version_capture(st, r->id, n, &cid, &cause);
	if (rc == -1)
		return query_fail(cause);
	if (rc == 1) {
		fprintf(stderr, "nianbao: report %lld version %d: no capture "
		    "recorded\n", (long long)r->id, n);
		return CLI_BADINPUT;
	}
	rc = store_capture_get(st, cid, &c, &cause);
	if (rc == -1)
		return query_fail(cause);
	if (rc == 1 || c.digest == NULL) {
		fprintf(stderr, "nianbao: report %lld version %d: capture "
		    "%lld holds no body\n", (long long)r->id, n,
		    (long long)cid);
		store_capture_info_release(&c);
		return CLI_BADINPUT;
	}
	rc = store_blob_get(st, c.digest, &data, &len, &cause);
	if (rc != 0) {
		store_capture_info_release(&c);
		if (rc == 1) {
			fprintf(stderr, "nianbao: capture %lld: blob %s is "
			    "missing\n", (long long)cid, c.digest);
			return CLI_BADINPUT;
		}
		return query_fail(cause);
	}
	if (headers) {
		printf("HTTP %ld\r\n", c.status);
		if (c.headers != NULL) {
			const char *p, *e;

			/* stored as "Name: value\n"; HTTP lines end CRLF */
			for (p = c.headers; *p != '\0'; p = e) {
				e = strchr(p, '\n');
				if (e == NULL)
					e = p + strlen(p);
				if (e > p && e[-1] != '\r')
					printf("%.*s\r\n", (int)(e - p), p);
				else if (e > p)
					printf("%.*s\n", (int)(e - p), p);
				if (*e == '\n')
					e++;
			}
		} else if (c.content_type != NULL)
			printf("Content-Type: %s\r\n", c.content_type);
		fputs("\r\n", stdout);
	}
	rc = fwrite(data, 1, len, stdout) == len ? CLI_OK : CLI_BADINPUT;
	if (fflush(stdout) != 0)
		rc = CLI_BADINPUT;
	free(data);
	store_capture_info_release(&c);
	return rc;
}

int
cmd_show(int argc, char **argv)
{
	static const int allowed[] = { QO_JSON, QO_FLAT, QO_RAW, QO_HEADERS,
	    QO_VERSION, QO_AT, 0 };
	struct query_opts o;
	struct store_report r;
	struct store *st;
	char *cause = NULL, when[32];
	json_t *rec;
	int rc, n;

	rc = query_parse(argc, argv, cmd_show_usage, allowed, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	if (o.nargs != 1) {
		fputs(cmd_show_usage, stderr);
		return CLI_USAGE;
	}
	st = query_open(&o);
	if (st == NULL)
		return CLI_BADINPUT;
	rc = query_report(st, o.args[0], &r);
	if (rc != CLI_OK)
		goto out;
	n = (int)o.version;
	if (n > r.versions) {
		fprintf(stderr, "nianbao: report %lld has no version %d (it "
		    "has %d)\n", (long long)r.id, n, r.versions);
		rc = CLI_BADINPUT;
		goto done;
	}
	if (o.at != 0) {
		switch (store_version_at(st, r.id, o.at, &n, &cause)) {
		case 0:
			break;
		case 1:
			fprintf(stderr, "nianbao: report %lld had no version "
			    "yet at %s\n", (long long)r.id,
			    clock_format(o.at, when, sizeof when));
			rc = CLI_BADINPUT;
			goto done;
		default:
			rc = query_fail(cause);
			goto done;
		}
	}
	if (n == 0)
		n = r.versions;
	if (o.raw) {
		rc = query_show_raw(st, &r, n, o.headers);
		goto done;
	}
	rec = query_record(st, &r, n, NULL);
	if (rec == NULL) {
		rc = CLI_BADINPUT;
		goto done;
	}
	if (o.flat)
		query_flat(rec);
	else {
		json_dumpf(rec, stdout, QUERY_JSON_FLAGS);
		putchar('\n');
	}
	json_decref(rec);
done:
	store_report_release(&r);
out:
	store_close(st);
	return rc;
}

/* ---- history ---------------------------------------------------------- */

struct query_history {
	struct store			*st;
	const struct store_report	*r;
	json_t				*rows;
	char				*prev;	/* record JSON of the last row */
	int				 error;
};

static int
query_history_cb(const struct store_version *v, void *arg)
{
	struct query_history *h = arg;
	char a[32], b[32], *json = NULL, *cause = NULL, *line;
	json_t *sum = NULL;
	int failing = v->failing;

	if (store_version_record(h->st, h->r->id, v->number, &json,
	    &cause) == -1) {
		query_fail(cause);
		h->error = 1;
		return 1;
	}
	if (failing < 0 && store_version_failing(h->st, h->r->id, v->number,
	    &failing, NULL) != 0)
		failing = 0;
	if (h->prev != NULL && json != NULL)
		sum = change_summary(h->prev, json, 8);
	if (sum != NULL)
		line = change_line(sum);
	else
		line = xstrdup(v->number == 1 ? "first version" : "?");
	json_array_append_new(h->rows, json_pack("{s:i,s:s,s:s,s:s?,s:I,"
	    "s:i,s:s,s:o}", "version", v->number, "first_seen",
	    clock_format(v->first_seen, a, sizeof a), "last_seen",
	    clock_format(v->last_seen, b, sizeof b), "digest", v->digest,
	    "capture", (json_int_t)v->capture_id, "failing", failing,
	    "summary", line, "changes", sum != NULL ? sum : json_null()));
	free(line);
	free(h->prev);
	h->prev = json;
	return 0;
}

int
cmd_history(int argc, char **argv)
{
	static const int allowed[] = { QO_JSON, 0 };
	struct query_opts o;
	struct query_history h;
	struct store_report r;
	struct store *st;
	char *cause = NULL;
	const char *d;
	json_t *row;
	size_t i;
	int rc;

	rc = query_parse(argc, argv, cmd_history_usage, allowed, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	if (o.nargs != 1) {
		fputs(cmd_history_usage, stderr);
		return CLI_USAGE;
	}
	st = query_open(&o);
	if (st == NULL)
		return CLI_BADINPUT;
	rc = query_report(st, o.args[0], &r);
	if (rc != CLI_OK)
		goto out;
	memset(&h, 0, sizeof h);
	h.st = st;
	h.r = &r;
	h.rows = json_array();
	if (store_versions_each(st, r.id, query_history_cb, &h, &cause) ==
	    -1)
		rc = query_fail(cause);
	else if (h.error)
		rc = CLI_BADINPUT;
	if (rc == CLI_OK && o.json) {
		json_t *top = json_pack("{s:I,s:s,s:s,s:i,s:s?,s:O}", "id",
		    (json_int_t)r.id, "source", r.source_id, "agency",
		    r.agency != NULL ? r.agency : "", "year", r.year, "url",
		    r.url, "versions", h.rows);

		json_dumpf(top, stdout, QUERY_JSON_FLAGS);
		putchar('\n');
		json_decref(top);
	} else if (rc == CLI_OK) {
		printf("report %lld  %s  %d  %s\n", (long long)r.id,
		    r.agency != NULL ? r.agency : "", r.year,
		    r.url != NULL ? r.url : "-");
		printf("%-4s  %-19s  %-19s  %-12s  %7s  %s\n", "VER",
		    "FIRST SEEN", "LAST SEEN", "DIGEST", "FAILING",
		    "CHANGES");
		json_array_foreach(h.rows, i, row) {
			d = query_str(row, "digest");
			printf("v%-3lld  %-19s  %-19s  %-12.12s  %7lld  %s\n",
			    (long long)json_integer_value(json_object_get(row,
			    "version")), query_str(row, "first_seen"),
			    query_str(row, "last_seen"), d != NULL ? d : "-",
			    (long long)json_integer_value(json_object_get(row,
			    "failing")), query_str(row, "summary"));
		}
	}
	free(h.prev);
	json_decref(h.rows);
	store_report_release(&r);
out:
	store_close(st);
	return rc;
}

/* ---- diff ------------------------------------------------------------- */

/* Splits text into lines (pointers into a copy the caller frees). */
static char **
query_lines(const char *text, size_t *n, char **copy)
{
	char **v = NULL, *p;
	size_t cap = 0;

	*n = 0;
	*copy = xstrdup(text != NULL ? text : "");
	if (**copy == '\0')
		return NULL;
	for (p = *copy; p != NULL; ) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[(*n)++] = p;
		p = strchr(p, '\n');
		if (p != NULL)
			*p++ = '\0';
	}
	return v;
}

/*
 * A line diff of two texts by longest common subsequence: the lines only
 * in a ("-") and only in b ("+"), in order, appended to out as
 * {"op","line"}.  Beyond QUERY_LCS_MAX pairs, a is removed and b added
 * whole.
 */
static void
query_line_diff(const char *ta, const char *tb, json_t *out)
{
	char **a, **b, *ca, *cb;
	size_t na, nb, i, j;
	uint32_t *t = NULL;

	a = query_lines(ta, &na, &ca);
	b = query_lines(tb, &nb, &cb);
	if (na > 0 && nb > 0 && na <= QUERY_LCS_MAX / nb) {
		/* t[i][j]: LCS length of a[i..] and b[j..] */
		t = xcalloc((na + 1) * (nb + 1), sizeof *t);
#define T(x, y)	t[(x) * (nb + 1) + (y)]
		for (i = na; i-- > 0; ) {
			for (j = nb; j-- > 0; ) {
				if (strcmp(a[i], b[j]) == 0)
					T(i, j) = T(i + 1, j + 1) + 1;
				else
					T(i, j) = T(i + 1, j) > T(i, j + 1) ?
					    T(i + 1, j) : T(i, j + 1);
			}
		}
	}
	i = j = 0;
	while (i < na || j < nb) {
		if (t != NULL && i < na && j < nb && strcmp(a[i], b[j]) == 0) {
			i++;
			j++;
		} else if (i < na && (j >= nb || t == NULL ||
		    T(i + 1, j) >= T(i, j + 1))) {
			json_array_append_new(out, json_pack("{s:s,s:s}", "op",
			    "-", "line", a[i++]));
		} else {
			json_array_append_new(out, json_pack("{s:s,s:s}", "op",
			    "+", "line", b[j++]));
		}
	}
#undef T
	free(t);
	free(a);
	free(b);
	free(ca);
	free(cb);
}

/* Adds each changed section's line diff to sum's "sections". */
static void
query_section_diffs(json_t *sum, json_t *old, json_t *new)
{
	json_t *secs, *s, *os, *lines;
	size_t i;

	secs = json_array();
	json_array_foreach(json_object_get(new, "sections"), i, s) {
		os = json_array_get(json_object_get(old, "sections"), i);
		if (os != NULL && json_equal(json_object_get(os, "text"),
		    json_object_get(s, "text")))
			continue;
		lines = json_array();
		query_line_diff(query_str(os, "text"), query_str(s, "text"),
		    lines);
		json_array_append_new(secs, json_pack("{s:O?,s:o}", "name",
		    json_object_get(s, "name"), "lines", lines));
	}
	json_object_set_new(sum, "sections", secs);
}

static void
query_print_findings(json_t *list, const char *sign)
{
	json_t *f, *c;
	size_t i, j;

	json_array_foreach(list, i, f) {
		printf("%s%s", sign, query_str(f, "id") != NULL ?
		    query_str(f, "id") : "?");
		json_array_foreach(json_object_get(f, "cells"), j, c)
			printf("%s%s", j == 0 ? " " : ",",
			    json_string_value(c) != NULL ?
			    json_string_value(c) : "");
		if (query_str(f, "message") != NULL)
			printf("  %s", query_str(f, "message"));
		putchar('\n');
	}
}

int
cmd_diff(int argc, char **argv)
{
	static const int allowed[] = { QO_JSON, 0 };
	struct query_opts o;
	struct store_report r;
	struct store *st;
	char *ta = NULL, *tb = NULL;
	const char *errstr;
	json_t *a = NULL, *b = NULL, *sum = NULL, *c, *s, *l;
	long long v[2] = { 0, 0 };
	size_t i, j;
	int rc, k;

	rc = query_parse(argc, argv, cmd_diff_usage, allowed, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	if (o.nargs < 1 || o.nargs > 3) {
		fputs(cmd_diff_usage, stderr);
		return CLI_USAGE;
	}
	for (k = 1; k < o.nargs; k++) {
		const char *arg = o.args[k];

		if (*arg == 'v' || *arg == 'V')
			arg++;
		if (util_strtonum(arg, 1, QUERY_LIMIT_MAX, &v[k - 1],
		    &errstr) != 0) {
			fprintf(stderr, "nianbao diff: version %s: %s\n",
			    o.args[k], errstr);
			return CLI_USAGE;
		}
	}
	st = query_open(&o);
	if (st == NULL)
		return CLI_BADINPUT;
	rc = query_report(st, o.args[0], &r);
	if (rc != CLI_OK)
		goto out;
	if (o.nargs == 1) {
		v[1] = r.versions;
		v[0] = r.versions > 1 ? r.versions - 1 : 1;
	} else if (o.nargs == 2)
		v[1] = r.versions;
	for (k = 0; k < 2; k++) {
		if (v[k] > r.versions) {
			fprintf(stderr, "nianbao: report %lld has no version "
			    "%lld (it has %d)\n", (long long)r.id, v[k],
			    r.versions);
			rc = CLI_BADINPUT;
			goto done;
		}
	}
	a = query_record(st, &r, (int)v[0], &ta);
	b = query_record(st, &r, (int)v[1], &tb);
	if (a == NULL || b == NULL) {
		rc = CLI_BADINPUT;
		goto done;
	}
	sum = change_summary(ta, tb, SIZE_MAX);
	if (sum == NULL) {
		rc = CLI_BADINPUT;
		goto done;
	}
	json_object_del(sum, "cells_more");
	query_section_diffs(sum, a, b);
	if (o.json) {
		json_t *top = json_pack("{s:I,s:s?,s:i,s:I,s:I,s:O}", "id",
		    (json_int_t)r.id, "agency", r.agency, "year", r.year,
		    "from", (json_int_t)v[0], "to", (json_int_t)v[1],
		    "changes", sum);

		json_dumpf(top, stdout, QUERY_JSON_FLAGS);
		putchar('\n');
		json_decref(top);
		goto done;
	}
	printf("report %lld  %s  %d: version %lld → %lld\n", (long long)r.id,
	    r.agency != NULL ? r.agency : "", r.year, v[0], v[1]);
	json_array_foreach(json_object_get(sum, "cells"), i, c)
		printf("%s: %s → %s\n", query_str(c, "key"),
		    query_str(c, "from"), query_str(c, "to"));
	query_print_findings(json_object_get(sum, "findings_appeared"), "+");
	query_print_findings(json_object_get(sum, "findings_vanished"), "-");
	json_array_foreach(json_object_get(sum, "sections"), i, s) {
		printf("@@ %s\n", query_str(s, "name") != NULL ?
		    query_str(s, "name") : "?");
		json_array_foreach(json_object_get(s, "lines"), j, l)
			printf("%s %s\n", query_str(l, "op"),
			    query_str(l, "line"));
	}
	if (json_array_size(json_object_get(sum, "cells")) == 0 &&
	    json_array_size(json_object_get(sum, "sections")) == 0 &&
	    json_array_size(json_object_get(sum, "findings_appeared")) == 0 &&
	    json_array_size(json_object_get(sum, "findings_vanished")) == 0)
		printf("no difference in cells, findings or section texts\n");
done:
	json_decref(sum);
	json_decref(a);
	json_decref(b);
	free(ta);
	free(tb);
	store_report_release(&r);
out:
	store_close(st);
	return rc;
}

/* ---- findings --------------------------------------------------------- */

static int
query_findings_cb(const struct store_finding *f, void *arg)
{
	json_t *rows = arg;

	json_array_append_new(rows, json_pack("{s:I,s:i,s:i,s:s?,s:s?,s:s,"
	    "s:s,s:s?,s:s?}", "report", (json_int_t)f->report_id, "version",
	    f->version, "year", f->year, "source", f->source_id, "agency",
	    f->agency, "rule", f->rule, "severity", f->severity, "cells",
	    f->cells, "message", f->message));
	return 0;
}

int
cmd_findings(int argc, char **argv)
{
	static const int allowed[] = { QO_JSON, QO_RULE, QO_SEVERITY,
	    QO_YEAR, 0 };
	struct store_finding_filter ff;
	struct query_opts o;
	struct store *st;
	char *cause = NULL;
	json_t *rows, *row;
	size_t i, wag = 6;
	int rc;

	rc = query_parse(argc, argv, cmd_findings_usage, allowed, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	if (o.nargs != 0) {
		fputs(cmd_findings_usage, stderr);
		return CLI_USAGE;
	}
	st = query_open(&o);
	if (st == NULL)
		return CLI_BADINPUT;
	memset(&ff, 0, sizeof ff);
	ff.rule = o.rule;
	ff.severity = o.severity;
	ff.year = (int)o.year;
	rows = json_array();
	if (store_findings_each(st, &ff, query_findings_cb, rows, &cause) ==
	    -1) {
		rc = query_fail(cause);
		goto out;
	}
	if (o.json) {
		json_dumpf(rows, stdout, QUERY_JSON_FLAGS);
		putchar('\n');
		goto out;
	}
	json_array_foreach(rows, i, row) {
		const char *ag = query_str(row, "agency");

		if (ag != NULL && cmd_width(ag) > wag)
			wag = cmd_width(ag);
	}
	printf("%6s  %4s  ", "REPORT", "YEAR");
	cmd_pad("AGENCY", wag + 2);
	printf("%-8s %-16s %s\n", "SEVERITY", "RULE", "CELLS  MESSAGE");
	json_array_foreach(rows, i, row) {
		const char *ag = query_str(row, "agency");
		const char *cells = query_str(row, "cells");

		printf("%6lld  %4lld  ", (long long)json_integer_value(
		    json_object_get(row, "report")),
		    (long long)json_integer_value(json_object_get(row,
		    "year")));
		cmd_pad(ag != NULL ? ag : "", wag + 2);
		printf("%-8s %-16s %s  %s\n", query_str(row, "severity"),
		    query_str(row, "rule"), cells != NULL && *cells != '\0' ?
		    cells : "-", query_str(row, "message") != NULL ?
		    query_str(row, "message") : "");
	}
out:
	json_decref(rows);
	store_close(st);
	return rc;
}

/* ---- export ----------------------------------------------------------- */

enum query_format { QF_CSV, QF_JSON, QF_NDJSON };

static const char *query_wide_meta[] = { "id", "source", "agency", "region",
    "level", "year", "version", "first_seen", "last_seen", "url", "title",
    "published", "format", "failing" };
#define QUERY_NWIDE_META (sizeof query_wide_meta / sizeof query_wide_meta[0])
static const char *query_long_cols[] = { "id", "source", "agency", "year",
    "version", "key", "value", "kind", "raw" };
#define QUERY_NLONG (sizeof query_long_cols / sizeof query_long_cols[0])

/* Distinct layouts of export rows read at most (one or two in practice). */
#define QUERY_LAYOUTS_MAX	64

struct query_export {
	struct store		*st;
	const struct query_opts	*o;
	enum query_format	 fmt;
	json_t			*only;
	long long		 n;
	int			 error;
	struct query_layout	**layouts;	/* the rows' layouts, read */
	size_t			 nlayouts;
	struct store_flat_cell	*cells;		/* one row's, decoded */
	size_t			 ncells;
	struct buf		 out;		/* one row's bytes */
};

/* Writes one row (a JSON object of the columns cols) in the format. */
static void
query_export_row(struct query_export *x, json_t *row, const char **meta,
    size_t nmeta, int cells)
{
	char buf[64];
	json_t *v;
	size_t i;
	int idx, first = 1;

	if (x->fmt == QF_NDJSON || x->fmt == QF_JSON) {
		if (x->fmt == QF_JSON)
			fputs(x->n > 0 ? ",\n" : "[\n", stdout);
		json_dumpf(row, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(15));
		if (x->fmt == QF_NDJSON)
			putchar('\n');
		x->n++;
		return;
	}
	for (i = 0; i < nmeta + (cells ? REC_NCELLS : 0); i++) {
		idx = (int)(i - nmeta);
		v = json_object_get(row, i < nmeta ? meta[i] :
		    record_key(idx));
		if (json_is_integer(v)) {
			snprintf(buf, sizeof buf, "%lld",
			    (long long)json_integer_value(v));
			cmd_csv(buf, first);
		} else if (json_is_real(v)) {
			export_number(json_real_value(v), buf, sizeof buf);
			cmd_csv(buf, first);
		} else
			cmd_csv(json_string_value(v), first);
		first = 0;
	}
	fputs("\r\n", stdout);
	x->n++;
}

/* A cell's value in an export: its number, else its raw text. */
static json_t *
query_export_value(json_t *cell)
{
	const char *raw = query_str(cell, "raw");
	json_t *v = json_object_get(cell, "value");
	char buf[64];

	if (query_cell_number(cell, buf, sizeof buf) != NULL)
		return json_incref(v);
	return json_string(raw != NULL ? raw : "");
}

static int
query_export_cb(const struct store_report *r, void *arg)
{
	struct query_export *x = arg;
	json_t *rec, *meta, *row, *cell;
	char k[32], a[32], b[32], *json = NULL, *cause = NULL;
	int idx, failing = 0;

	snprintf(k, sizeof k, "%lld", (long long)r->id);
	if (r->versions == 0 || (x->only != NULL &&
	    json_object_get(x->only, k) == NULL))
		return 0;
	if (store_version_record(x->st, r->id, 0, &json, &cause) != 0 ||
	    store_version_failing(x->st, r->id, 0, &failing, &cause) != 0) {
		free(json);
		query_fail(cause);
		x->error = 1;
		return 1;
	}
	rec = json_loads(json, 0, NULL);
	free(json);
	if (rec == NULL)
		return 0;
	meta = json_object_get(rec, "meta");
	if (x->o->region != NULL && (query_str(meta, "region") == NULL ||
	    strcmp(query_str(meta, "region"), x->o->region) != 0)) {
		json_decref(rec);
		return 0;
	}
	if (x->o->long_form) {
		for (idx = 0; idx < REC_NCELLS; idx++) {
			cell = import_cell(rec, record_key(idx));
			if (cell == NULL)
				continue;
			row = json_pack("{s:I,s:s,s:s,s:i,s:i,s:s,s:o,s:O?,"
			    "s:O?}", "id", (json_int_t)r->id, "source",
			    r->source_id, "agency", r->agency != NULL ?
			    r->agency : "", "year", r->year, "version",
			    r->versions, "key", record_key(idx), "value",
			    query_export_value(cell), "kind",
			    json_object_get(cell, "kind"), "raw",
			    json_object_get(cell, "raw"));
			query_export_row(x, row, query_long_cols, QUERY_NLONG,
			    0);
			json_decref(row);
		}
		json_decref(rec);
		return 0;
	}
	row = json_pack("{s:I,s:s,s:s,s:O?,s:O?,s:i,s:i,s:s,s:s,s:s?,s:s?,"
	    "s:O?,s:O?,s:i}", "id", (json_int_t)r->id, "source", r->source_id,
	    "agency", r->agency != NULL ? r->agency : "", "region",
	    json_object_get(meta, "region"), "level", json_object_get(meta,
	    "level"), "year", r->year, "version", r->versions, "first_seen",
	    clock_format(r->first_seen, a, sizeof a), "last_seen",
	    clock_format(r->last_seen, b, sizeof b), "url", r->url, "title",
	    r->title, "published", json_object_get(meta, "published"),
	    "format", json_object_get(meta, "format"), "failing", failing);
	for (idx = 0; idx < REC_NCELLS; idx++) {
		cell = import_cell(rec, record_key(idx));
		json_object_set_new(row, record_key(idx), cell != NULL ?
		    query_export_value(cell) : json_null());
	}
	query_export_row(x, row, query_wide_meta, QUERY_NWIDE_META, 1);
	json_decref(row);
	json_decref(rec);
	return 0;
}

/*
 * The export from rows (store_export_each): the same bytes as
 * query_export_cb prints from the record, written straight into a buffer
 * instead of through jansson objects, so that an export runs at tens of
 * thousands of reports a second.  A report without a row, with a row
 * that does not decode, or with text jansson would refuse (not UTF-8)
 * goes through query_export_cb, so the output never depends on the path.
 */
static void	query_json_str(struct buf *, const char *);

struct query_layout {
	int64_t	 id;
	int	 n;			/* cells in a row of this layout */
	int	 pos[REC_NCELLS];	/* each record key's cell, -1 none */
};

/*
 * The first index of each record key (the 2019 t2 repeats 2021 keys), and
 * each key as a JSON member's start (,"t3.new.total":), made once.
 */
static int query_key_first[REC_NCELLS];
static char *query_key_json[REC_NCELLS];

static void
query_keys_init(void)
{
	struct buf b;
	int idx;

	if (query_key_json[0] != NULL)
		return;
	buf_init(&b, 0);
	for (idx = 0; idx < REC_NCELLS; idx++) {
		query_key_first[idx] = record_find_key(record_key(idx));
		buf_addc(&b, ',');
		query_json_str(&b, record_key(idx));
		buf_addc(&b, ':');
		query_key_json[idx] = buf_detach(&b);
	}
}

/* The layout of a row, read once: NULL if it cannot be read. */
static struct query_layout *
query_layout_get(struct query_export *x, int64_t id)
{
	struct query_layout *l;
	char *keys = NULL, *cause = NULL, *p, *nl;
	size_t i;
	int idx, n = 0;

	for (i = 0; i < x->nlayouts; i++) {
		if (x->layouts[i]->id == id)
			return x->layouts[i];
	}
	if (x->nlayouts >= QUERY_LAYOUTS_MAX ||
	    store_flat_layout(x->st, id, &keys, &cause) != 0) {
		free(cause);
		return NULL;
	}
	l = xcalloc(1, sizeof *l);
	l->id = id;
	for (idx = 0; idx < REC_NCELLS; idx++)
		l->pos[idx] = -1;
	for (p = keys; p != NULL; p = nl) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		idx = record_find_key(p);
		if (idx >= 0)
			l->pos[idx] = n;
		n++;
	}
	for (idx = 0; idx < REC_NCELLS; idx++) {
		if (query_key_first[idx] >= 0)
			l->pos[idx] = l->pos[query_key_first[idx]];
	}
	l->n = n;
	free(keys);
	x->layouts = xreallocarray(x->layouts, x->nlayouts + 1,
	    sizeof *x->layouts);
	x->layouts[x->nlayouts++] = l;
	if ((size_t)n > x->ncells) {
		x->cells = xreallocarray(x->cells, (size_t)n,
		    sizeof *x->cells);
		x->ncells = (size_t)n;
	}
	return l;
}

/* Valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
static int
query_utf8_ok(const unsigned char *s)
{
	unsigned int c;
	int n, i;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if (*s >= 0xc2 && *s <= 0xdf) {
			n = 1;
			c = *s & 0x1f;
		} else if (*s >= 0xe0 && *s <= 0xef) {
			n = 2;
			c = *s & 0x0f;
		} else if (*s >= 0xf0 && *s <= 0xf4) {
			n = 3;
			c = *s & 0x07;
		} else
			return 0;
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i] & 0x3f);
		}
		if ((n == 2 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
		    (n == 3 && (c < 0x10000 || c > 0x10ffff)))
			return 0;
		s += n + 1;
	}
	return 1;
}

/* A JSON string as jansson's compact dump writes it. */
static void
query_json_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *p, *run;
	char esc[7];

	if (s == NULL) {
		buf_add(b, "null", 4);
		return;
	}
	buf_addc(b, '"');
	for (run = p = s; *p != '\0'; p++) {
		if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
			continue;
		buf_add(b, run, (size_t)(p - run));
		run = p + 1;
		esc[0] = '\\';
		switch (*p) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[(unsigned char)*p >> 4];
			esc[5] = hex[*p & 0xf];
			buf_add(b, esc, 6);
			break;
		}
	}
	buf_add(b, run, (size_t)(p - run));
	buf_addc(b, '"');
}

/* A CSV field into b, as cmd_csv() prints it. */
static void
query_csv_str(struct buf *b, const char *s, int first)
{
	const char *p, *run;

	if (!first)
		buf_addc(b, ',');
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	for (run = p = s; *p != '\0'; p++) {
		if (*p != '"')
			continue;
		buf_add(b, run, (size_t)(p - run + 1));
		run = p;		/* the quote again: doubled */
	}
	buf_add(b, run, (size_t)(p - run));
	buf_addc(b, '"');
}

/* An integer in the row's format (the same digits in JSON and CSV). */
static void
query_row_int(struct query_export *x, long long v, int first)
{
	char num[24];

	if (x->fmt == QF_CSV)
		query_csv_str(&x->out, util_digits(v, num), first);
	else
		buf_adds(&x->out, util_digits(v, num));
}

static void
query_row_str(struct query_export *x, const char *s, int first)
{
	if (x->fmt == QF_CSV)
		query_csv_str(&x->out, s, first);
	else
		query_json_str(&x->out, s);
}

/* A JSON member's key and colon, after a comma unless it is the first. */
static void
query_row_key(struct query_export *x, const char *key, int first)
{
	if (x->fmt == QF_CSV)
		return;
	if (!first)
		buf_addc(&x->out, ',');
	query_json_str(&x->out, key);
	buf_addc(&x->out, ':');
}

/* A named string of a row that is not its first: key (JSON), value. */
static void
query_row_kstr(struct query_export *x, const char *key, const char *s)
{
	query_row_key(x, key, 0);
	query_row_str(x, s, 0);
}

/* The same for an integer. */
static void
query_row_kint(struct query_export *x, const char *key, long long v)
{
	query_row_key(x, key, 0);
	query_row_int(x, v, 0);
}

/* A cell's export value (query_export_value): its number, else raw. */
static void
query_row_value(struct query_export *x, const struct store_flat_cell *c,
    int first)
{
	char num[64];
	json_t *v;
	size_t n;

	if (c->vtype == STORE_FLAT_NONE || c->kind == NULL ||
	    (strcmp(c->kind, "number") != 0 && strcmp(c->kind, "zero") != 0)) {
		query_row_str(x, c->raw != NULL ? c->raw : "", first);
		return;
	}
	if (c->vtype == STORE_FLAT_INT) {
		query_row_int(x, (long long)c->ival, first);
		return;
	}
	if (x->fmt == QF_CSV) {
		export_number(c->rval, num, sizeof num);
		query_csv_str(&x->out, num, first);
		return;
	}
	/* jansson's own spelling of a real (rare: fees) */
	v = json_real(c->rval);
	n = json_dumpb(v, num, sizeof num, JSON_ENCODE_ANY | JSON_COMPACT |
	    JSON_REAL_PRECISION(15));
	json_decref(v);
	if (n > 0 && n < sizeof num)
		buf_add(&x->out, num, n);
}

/* Starts a row in the format. */
static void
query_row_begin(struct query_export *x)
{
	buf_reset(&x->out);
	if (x->fmt == QF_JSON)
		buf_adds(&x->out, x->n > 0 ? ",\n{" : "[\n{");
	else if (x->fmt == QF_NDJSON)
		buf_addc(&x->out, '{');
}

/* Ends a row and writes it. */
static void
query_row_end(struct query_export *x)
{
	if (x->fmt == QF_CSV)
		buf_add(&x->out, "\r\n", 2);
	else if (x->fmt == QF_NDJSON)
		buf_add(&x->out, "}\n", 2);
	else
		buf_addc(&x->out, '}');
	fwrite(x->out.data, 1, x->out.len, stdout);
	x->n++;
}

/* The columns of a report before its cells, as query_export_cb's rows. */
static void
query_row_head(struct query_export *x, const struct store_report *r,
    const char *agency, int wide)
{
	query_row_key(x, "id", 1);
	query_row_int(x, (long long)r->id, 1);
	query_row_kstr(x, "source", r->source_id);
	query_row_kstr(x, "agency", agency);
	if (wide)
		return;
	query_row_kint(x, "year", r->year);
	query_row_kint(x, "version", r->versions);
}

static int
query_export_flat_cb(const struct store_report *r,
    const struct store_flat *fl, void *arg)
{
	struct query_export *x = arg;
	struct query_layout *l;
	struct store_flat_cell *c;
	const char *agency = r->agency != NULL ? r->agency : "";
	char k[32], a[32], b[32];
	size_t pos = 0;
	int i, idx;

	snprintf(k, sizeof k, "%lld", (long long)r->id);
	if (r->versions == 0 || (x->only != NULL &&
	    json_object_get(x->only, k) == NULL))
		return 0;
	if (fl == NULL || r->source_id == NULL ||
	    !query_utf8_ok((const unsigned char *)r->source_id) ||
	    !query_utf8_ok((const unsigned char *)agency) ||
	    (r->url != NULL && !query_utf8_ok((const unsigned char *)r->url)) ||
	    (r->title != NULL &&
	    !query_utf8_ok((const unsigned char *)r->title)))
		return query_export_cb(r, arg);
	l = query_layout_get(x, fl->layout);
	if (l == NULL)
		return query_export_cb(r, arg);
	for (i = 0; i < l->n; i++) {
		if (store_flat_cell_next(fl->cells, fl->cells_len, &pos,
		    &x->cells[i]) != 0)
			return query_export_cb(r, arg);
	}
	if (pos != fl->cells_len)
		return query_export_cb(r, arg);
	if (x->o->region != NULL && (fl->region == NULL ||
	    strcmp(fl->region, x->o->region) != 0))
		return 0;

	if (x->o->long_form) {
		for (idx = 0; idx < REC_NCELLS; idx++) {
			if (l->pos[idx] < 0)
				continue;
			c = &x->cells[l->pos[idx]];
			query_row_begin(x);
			query_row_head(x, r, agency, 0);
			query_row_kstr(x, "key", record_key(idx));
			query_row_key(x, "value", 0);
			query_row_value(x, c, 0);
			query_row_kstr(x, "kind", c->kind);
			query_row_kstr(x, "raw", c->raw);
			query_row_end(x);
		}
		return 0;
	}
	query_row_begin(x);
	query_row_head(x, r, agency, 1);
	query_row_kstr(x, "region", fl->region);
	query_row_kstr(x, "level", fl->level);
	query_row_kint(x, "year", r->year);
	query_row_kint(x, "version", r->versions);
	query_row_kstr(x, "first_seen", clock_format(r->first_seen, a,
	    sizeof a));
	query_row_kstr(x, "last_seen", clock_format(r->last_seen, b,
	    sizeof b));
	query_row_kstr(x, "url", r->url);
	query_row_kstr(x, "title", r->title);
	query_row_kstr(x, "published", fl->published);
	query_row_kstr(x, "format", fl->format);
	query_row_kint(x, "failing", fl->failing);
	for (idx = 0; idx < REC_NCELLS; idx++) {
		/* a JSON object names a repeated key once, where it was set */
		if (x->fmt != QF_CSV && query_key_first[idx] != idx &&
		    query_key_first[idx] >= 0)
			continue;
		if (x->fmt != QF_CSV)
			buf_adds(&x->out, query_key_json[idx]);
		if (l->pos[idx] >= 0)
			query_row_value(x, &x->cells[l->pos[idx]], 0);
		else
			query_row_str(x, NULL, 0);
	}
	query_row_end(x);
	return 0;
}

int
cmd_export(int argc, char **argv)
{
	static const int allowed[] = { QO_FORMAT, QO_LONG, QO_BOM, QO_AGENCY,
	    QO_REGION, QO_YEAR, QO_SOURCE, QO_ALL, QO_RULE, QO_ERRORS, 0 };
	struct store_report_filter rf;
	struct store_finding_filter ff;
	struct query_export x;
	struct query_opts o;
	char *cause = NULL;
	size_t i;
	int rc, idx;

	rc = query_parse(argc, argv, cmd_export_usage, allowed, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	memset(&x, 0, sizeof x);
	if (o.nargs != 0 || o.format == NULL) {
		if (o.format == NULL)
			fprintf(stderr, "nianbao export: --format is "
			    "required\n");
		fputs(cmd_export_usage, stderr);
		return CLI_USAGE;
	}
	if (strcmp(o.format, "csv") == 0)
		x.fmt = QF_CSV;
	else if (strcmp(o.format, "json") == 0)
		x.fmt = QF_JSON;
	else if (strcmp(o.format, "ndjson") == 0)
		x.fmt = QF_NDJSON;
	else {
		fprintf(stderr, "nianbao export: --format %s: not csv, json "
		    "or ndjson\n", o.format);
		return CLI_USAGE;
	}
	x.o = &o;
	x.st = query_open(&o);
	if (x.st == NULL)
		return CLI_BADINPUT;
	if (o.rule != NULL || o.errors) {
		memset(&ff, 0, sizeof ff);
		ff.rule = o.rule;
		ff.severity = o.errors ? "error" : NULL;
		x.only = json_object();
		if (store_findings_each(x.st, &ff, query_ids_cb, x.only,
		    &cause) == -1) {
			rc = query_fail(cause);
			goto out;
		}
	}
	if (o.bom)
		fputs("\xef\xbb\xbf", stdout);
	if (x.fmt == QF_CSV) {
		if (o.long_form) {
			for (i = 0; i < QUERY_NLONG; i++)
				cmd_csv(query_long_cols[i], i == 0);
		} else {
			for (i = 0; i < QUERY_NWIDE_META; i++)
				cmd_csv(query_wide_meta[i], i == 0);
			for (idx = 0; idx < REC_NCELLS; idx++)
				cmd_csv(record_key(idx), 0);
		}
		fputs("\r\n", stdout);
	}
	memset(&rf, 0, sizeof rf);
	rf.agency = o.agency;
	rf.source_id = o.source;
	rf.year = (int)o.year;
	rf.removed = o.removed;
	query_keys_init();
	buf_init(&x.out, 0);
	if (store_export_each(x.st, &rf, query_export_flat_cb, &x, &cause) ==
	    -1)
		rc = query_fail(cause);
	else if (x.error)
		rc = CLI_BADINPUT;
	if (x.fmt == QF_JSON)
		fputs(x.n > 0 ? "\n]\n" : "[]\n", stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "nianbao export: write error: %s\n",
		    strerror(errno));
		rc = CLI_BADINPUT;
	}
out:
	for (i = 0; i < x.nlayouts; i++)
		free(x.layouts[i]);
	free(x.layouts);
	free(x.cells);
	buf_release(&x.out);
	json_decref(x.only);
	store_close(x.st);
	return rc;
}

/* ---- captures --------------------------------------------------------- */

struct query_caps {
	json_t	*rows;
	int64_t	 last_id;
};

static int
query_captures_cb(const struct store_capture_info *c, void *arg)
{
	struct query_caps *qc = arg;
	char when[32];

	json_array_append_new(qc->rows, json_pack("{s:I,s:s,s:I,s:s,s:I,"
	    "s:s?,s:s?,s:s?,s:I,s:b,s:s?}", "id", (json_int_t)c->id,
	    "fetched_at", clock_format(c->fetched_at, when, sizeof when),
	    "timestamp_ms", (json_int_t)c->fetched_at, "url", c->url,
	    "status", (json_int_t)c->status, "kind", c->kind, "digest",
	    c->digest, "content_type", c->content_type, "size",
	    (json_int_t)c->size, "revisit", c->revisit, "error", c->error));
	qc->last_id = c->id;
	return 0;
}

int
cmd_captures(int argc, char **argv)
{
	static const int allowed[] = { QO_JSON, QO_FROM, QO_TO, QO_COLLAPSE,
	    QO_LIMIT, QO_AFTER, 0 };
	struct store_capture_filter cf;
	struct query_caps qc;
	struct query_opts o;
	struct store *st;
	char *cause = NULL;
	const char *d, *err;
	json_t *row;
	size_t i;
	int rc;

	rc = query_parse(argc, argv, cmd_captures_usage, allowed, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	if (o.nargs != 1) {
		fputs(cmd_captures_usage, stderr);
		return CLI_USAGE;
	}
	if (o.from != 0 && o.to != 0 && o.from > o.to) {
		fprintf(stderr, "nianbao captures: --from is after --to\n");
		return CLI_USAGE;
	}
	st = query_open(&o);
	if (st == NULL)
		return CLI_BADINPUT;
	memset(&cf, 0, sizeof cf);
	cf.url = o.args[0];
	cf.from = o.from;
	cf.to = o.to;
	cf.after = o.after;
	cf.limit = (int)o.limit;
	cf.collapse = o.collapse;
	memset(&qc, 0, sizeof qc);
	qc.rows = json_array();
	if (store_captures_query(st, &cf, query_captures_cb, &qc, &cause) ==
	    -1) {
		rc = query_fail(cause);
		goto out;
	}
	if (json_array_size(qc.rows) == 0 && o.from == 0 && o.to == 0 &&
	    o.after == 0) {
		fprintf(stderr, "nianbao: no capture of %s\n", o.args[0]);
		rc = CLI_BADINPUT;
		goto out;
	}
	if (o.json) {
		json_dumpf(qc.rows, stdout, QUERY_JSON_FLAGS);
		putchar('\n');
	} else {
		printf("%8s  %-19s  %6s  %-10s  %-12s  %9s  %s\n", "ID",
		    "FETCHED", "STATUS", "KIND", "DIGEST", "SIZE", "NOTE");
		json_array_foreach(qc.rows, i, row) {
			d = query_str(row, "digest");
			err = query_str(row, "error");
			printf("%8lld  %-19s  %6lld  %-10s  %-12.12s  %9lld  "
			    "%s\n", (long long)json_integer_value(
			    json_object_get(row, "id")), query_str(row,
			    "fetched_at"), (long long)json_integer_value(
			    json_object_get(row, "status")), query_str(row,
			    "kind") != NULL ? query_str(row, "kind") : "-",
			    d != NULL ? d : "-", (long long)json_integer_value(
			    json_object_get(row, "size")), err != NULL ? err :
			    json_is_true(json_object_get(row, "revisit")) ?
			    "revisit" : "");
		}
	}
	if (o.limit > 0 && (long long)json_array_size(qc.rows) >= o.limit)
		fprintf(stderr, "more: --after %lld\n",
		    (long long)qc.last_id);
out:
	json_decref(qc.rows);
	store_close(st);
	return rc;
}
