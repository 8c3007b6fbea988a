/*
 * The read-only HTTP API of nianbaod and its /metrics, on libevent's
 * evhttp in the daemon's own loop (no thread: the store is not shared
 * across threads).  Every request is answered at once from a second,
 * read-only store connection, so reads never touch the writer's batch
 * transaction and WAL lets them see the last commit.  A request never
 * costs more than a bounded query: lists are paged (limit, capped at
 * [http] max_limit, and a "next" cursor), the store figures of /metrics
 * are recomputed at most every HTTPD_STATS_MS, and the request line,
 * headers and body are size-limited.  Captured bytes are never served
 * (design.md): there is no raw endpoint.
 *
 *   GET /healthz                          liveness, no token needed
 *   GET /metrics                          Prometheus text format 0.0.4
 *   GET /api/v1/reports                   ?agency=&year=&source=&removed=
 *                                         &limit=&after=
 *   GET /api/v1/reports/{id}              ?version=N
 *   GET /api/v1/reports/{id}/versions
 *   GET /api/v1/reports/{id}/diff         ?from=&to=
 *   GET /api/v1/events                    ?since=&limit=
 *   GET /api/v1/captures                  ?url=&from=&to=&limit=&after=
 *                                         &collapse=
 *
 * Ownership: struct httpd belongs to the daemon (d->httpd), created by
 * httpd_start() and freed by httpd_stop().
 */
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "clock.h"
#include "fetch.h"
#include "log.h"
#include "nianbaod.h"
#include "store.h"
#include "util.h"
#include "xmalloc.h"

#define HTTPD_DEFAULT_LIMIT	100
#define HTTPD_STATS_MS		15000	/* store figures of /metrics */
#define HTTPD_MAX_TYPES		32	/* event type labels, then "other" */
#define HTTPD_MAX_HEADERS	8192	/* request line and headers */
#define HTTPD_MAX_BODY		1024	/* a GET carries none */
#define HTTPD_TIMEOUT_S		10
#define HTTPD_MAX_PARAM		2048	/* bytes of one parameter value */
#define HTTPD_MAX_DIFF		1000	/* cells in one diff */
#define HTTPD_TOKEN_MAX		4096	/* bytes of a token_file */

static const int httpd_codes[] = { 200, 400, 401, 404, 405, 500 };
#define HTTPD_NCODES (sizeof httpd_codes / sizeof httpd_codes[0])

struct httpd_type {
	char		*type;
	uint64_t	 n;
};

struct httpd {
	struct nianbaod	*d;
	struct evhttp	*http;
	struct store	*st;		/* read-only connection */
	char		*listen;	/* the address bound */
	char		*token;		/* "" when none */

	/* store figures, recomputed at most every HTTPD_STATS_MS */
	int64_t		 stats_at;	/* monotonic ms, 0 never */
	int		 stats_ok;
	struct store_stats stats;
	int64_t		 reports_present;
	int64_t		 reports_removed;
	int64_t		 reports_failing;
	/* events by type, read incrementally (ids only grow) */
	int64_t		 events_last;
	struct httpd_type types[HTTPD_MAX_TYPES];
	size_t		 ntypes;
	uint64_t	 types_other;

	uint64_t	 requests[HTTPD_NCODES + 1];	/* + other codes */
};

/* One request being answered. */
struct httpd_req {
	struct httpd		*h;
	struct evhttp_request	*req;
	struct evkeyvalq	 q;	/* the decoded query parameters */
	int64_t			 id;	/* {id} of the path */
};

/* ---- pure helpers (tests/unit/test_httpd.c) ---------------------------- */

enum httpd_route_id
httpd_route(const char *path, int64_t *id)
{
	static const char reports[] = "/api/v1/reports";
	const char *p, *errstr;
	char num[24];
	long long v;
	size_t n;

	*id = 0;
	if (strcmp(path, "/healthz") == 0)
		return HTTPD_HEALTHZ;
	if (strcmp(path, "/metrics") == 0)
		return HTTPD_METRICS;
	if (strcmp(path, "/api/v1/events") == 0)
		return HTTPD_EVENTS;
	if (strcmp(path, "/api/v1/captures") == 0)
		return HTTPD_CAPTURES;
	if (strcmp(path, reports) == 0)
		return HTTPD_REPORTS;
	if (strncmp(path, reports, sizeof reports - 1) != 0 ||
	    path[sizeof reports - 1] != '/')
		return HTTPD_NOTFOUND;
	p = path + sizeof reports;
	n = strspn(p, "0123456789");
	if (n == 0 || n >= sizeof num || p[0] == '0')
		return HTTPD_NOTFOUND;
	memcpy(num, p, n);
	num[n] = '\0';
	if (util_strtonum(num, 1, INT64_MAX, &v, &errstr) != 0)
		return HTTPD_NOTFOUND;
	p += n;
	*id = v;
	if (*p == '\0')
		return HTTPD_REPORT;
	if (strcmp(p, "/versions") == 0)
		return HTTPD_VERSIONS;
	if (strcmp(p, "/diff") == 0)
		return HTTPD_DIFF;
	*id = 0;
	return HTTPD_NOTFOUND;
}

int
httpd_parse_limit(const char *s, int def, int max, int *out)
{
	size_t n;

	if (def > max)
		def = max;
	if (s == NULL || *s == '\0') {
		*out = def;
		return 0;
	}
	n = strspn(s, "0123456789");
	if (n == 0 || s[n] != '\0' || strspn(s, "0") == n)
		return -1;
	/* any positive number: more than max is max */
	n -= strspn(s, "0");
	if (n > 9) {
		*out = max;
		return 0;
	}
	*out = 0;
	for (s += strspn(s, "0"); *s != '\0'; s++)
		*out = *out * 10 + (*s - '0');
	if (*out > max)
		*out = max;
	return 0;
}

/* n decimal digits of s into *v; -1 if one is not a digit. */
static int
httpd_digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
httpd_parse_time(const char *s, int end, int64_t *ms)
{
	static const int width[6] = { 4, 2, 2, 2, 2, 2 };
	static const int maxv[6] = { 9999, 12, 31, 23, 59, 60 };
	int v[6] = { 0, 1, 1, 0, 0, 0 }, i, n = 0;
	const char *p = s;
	size_t len = strlen(s);
	int iso;
	struct tm tm;
	time_t t;

	if (len > 0 && s[len - 1] == 'Z')
		len--;
	iso = strspn(s, "0123456789") != len;
	for (i = 0; i < 6 && (size_t)(p - s) < len; i++) {
		if (iso && i > 0) {
			if (*p != (i < 3 ? '-' : i == 3 ? 'T' : ':') &&
			    !(i == 3 && *p == ' '))
				return -1;
			p++;
		}
		if ((size_t)(p - s) + (size_t)width[i] > len ||
		    httpd_digits(p, width[i], &v[i]) == -1)
			return -1;
		if (v[i] > maxv[i] || (i > 0 && i < 3 && v[i] == 0))
			return -1;
		p += width[i];
		n++;
	}
	if ((size_t)(p - s) != len || n == 0 || v[0] < 1970)
		return -1;
	if (iso && n != 1 && n != 3 && n < 5)
		return -1;	/* 2025, 2025-11-23, ...T08:00[:00] */
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
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
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000 - (end ? 1 : 0);
	return 0;
}

/* ---- replies ------------------------------------------------------------ */

/* "2026-11-23T06:05:09.123Z", or JSON null for 0. */
static json_t *
httpd_time(int64_t ms)
{
	struct tm tm;
	time_t t;
	char buf[40], out[48];

	if (ms <= 0)
		return json_null();
	t = (time_t)(ms / 1000);
	if (gmtime_r(&t, &tm) == NULL)
		return json_null();
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, sizeof out, "%s.%03dZ", buf, (int)(ms % 1000));
	return json_string(out);
}

static void
httpd_count(struct httpd *h, int code)
{
	size_t i;

	for (i = 0; i < HTTPD_NCODES; i++) {
		if (httpd_codes[i] == code)
			break;
	}
	h->requests[i]++;
}

static void
httpd_send(struct httpd_req *r, int code, const char *type,
    const char *body, size_t len)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(r->req);
	struct evbuffer *b;
	const char *reason;
	char clen[32];

	switch (code) {
	case 200: reason = "OK"; break;
	case 400: reason = "Bad Request"; break;
	case 401: reason = "Unauthorized"; break;
	case 404: reason = "Not Found"; break;
	case 405: reason = "Method Not Allowed"; break;
	default: reason = "Internal Server Error"; break;
	}
	httpd_count(r->h, code);
	evhttp_add_header(out, "Content-Type", type);
	evhttp_add_header(out, "Cache-Control", "no-store");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	b = evbuffer_new();
	if (b == NULL) {
		evhttp_send_error(r->req, 500, NULL);
		return;
	}
	/*
	 * HEAD: the GET's headers and no body.  evhttp adds Content-Length
	 * only to a reply with a body, so say the GET body's length here
	 * (RFC 9110 9.3.2); evhttp keeps a Content-Length already set.
	 */
	if (evhttp_request_get_command(r->req) == EVHTTP_REQ_HEAD) {
		snprintf(clen, sizeof clen, "%zu", len);
		evhttp_add_header(out, "Content-Length", clen);
	} else
		evbuffer_add(b, body, len);
	evhttp_send_reply(r->req, code, reason, b);
	evbuffer_free(b);
}

/* Sends body (a JSON value, decref'd) with code. */
static void
httpd_json(struct httpd_req *r, int code, json_t *body)
{
	char *s;

	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (s == NULL) {
		s = xstrdup("{\"error\":\"out of memory\"}");
		code = 500;
	}
	httpd_send(r, code, "application/json; charset=utf-8", s, strlen(s));
	free(s);
}

/* A JSON error {"error": message, "parameter": param}. */
static void
httpd_error(struct httpd_req *r, int code, const char *param,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
httpd_error(struct httpd_req *r, int code, const char *param,
    const char *fmt, ...)
{
	va_list ap;
	char *m;
	json_t *o;

	va_start(ap, fmt);
	xvasprintf(&m, fmt, ap);
	va_end(ap);
	o = json_object();
	/* a message quotes user input: jansson refuses invalid UTF-8 */
	if (json_object_set_new(o, "error", json_string(m)) == -1)
		json_object_set_new(o, "error", json_string("bad request"));
	if (param != NULL)
		json_object_set_new(o, "parameter", json_string(param));
	free(m);
	httpd_json(r, code, o);
}

/* A store error: logged, and a 500 that does not say more. */
static void
httpd_store_error(struct httpd_req *r, char *cause)
{
	log_warnx("http: %s: %s", evhttp_request_get_uri(r->req), cause);
	free(cause);
	httpd_error(r, 500, NULL, "store error (see the daemon's log)");
}

/* ---- parameters --------------------------------------------------------- */

/* 0 if every parameter is one of allowed and given once; else 400 sent. */
static int
httpd_params_check(struct httpd_req *r, const char *const *allowed)
{
	struct evkeyval *kv, *o;
	size_t i;

	TAILQ_FOREACH(kv, &r->q, next) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(kv->key, allowed[i]) == 0)
				break;
		}
		if (allowed[i] == NULL) {
			httpd_error(r, 400, kv->key, "unknown parameter");
			return -1;
		}
		for (o = TAILQ_NEXT(kv, next); o != NULL;
		    o = TAILQ_NEXT(o, next)) {
			if (strcmp(o->key, kv->key) == 0) {
				httpd_error(r, 400, kv->key, "parameter given "
				    "twice");
				return -1;
			}
		}
		if (strlen(kv->value) > HTTPD_MAX_PARAM) {
			httpd_error(r, 400, kv->key, "value too long");
			return -1;
		}
	}
	return 0;
}

static const char *
httpd_param(struct httpd_req *r, const char *name)
{
	return evhttp_find_header(&r->q, name);
}

/* A number in [min, max] (def if absent); -1 with 400 sent. */
static int
httpd_param_num(struct httpd_req *r, const char *name, long long min,
    long long max, long long def, long long *out)
{
	const char *v = httpd_param(r, name), *errstr;

	*out = def;
	if (v == NULL)
		return 0;
	if (util_strtonum(v, min, max, out, &errstr) != 0) {
		httpd_error(r, 400, name, "not a number from %lld to %lld",
		    min, max);
		return -1;
	}
	return 0;
}

static int
httpd_param_limit(struct httpd_req *r, int *limit)
{
	if (httpd_parse_limit(httpd_param(r, "limit"), HTTPD_DEFAULT_LIMIT,
	    (int)r->h->d->conf.http_max_limit, limit) == -1) {
		httpd_error(r, 400, "limit", "not a positive number");
		return -1;
	}
	return 0;
}

/* A yes/no parameter: 1, 0 or def; -1 with 400 sent. */
static int
httpd_param_bool(struct httpd_req *r, const char *name, int def, int *out)
{
	const char *v = httpd_param(r, name);

	*out = def;
	if (v == NULL)
		return 0;
	if (strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "0") == 0 || strcmp(v, "no") == 0 ||
	    strcmp(v, "false") == 0)
		*out = 0;
	else {
		httpd_error(r, 400, name, "not 1 or 0");
		return -1;
	}
	return 0;
}

static int
httpd_param_time(struct httpd_req *r, const char *name, int end,
    int64_t *ms)
{
	const char *v = httpd_param(r, name);

	*ms = 0;
	if (v == NULL)
		return 0;
	if (httpd_parse_time(v, end, ms) == -1) {
		httpd_error(r, 400, name, "not a time (20251123, "
		    "2025-11-23, 2025-11-23T08:00:00Z)");
		return -1;
	}
	return 0;
}

/* ---- JSON of store rows ------------------------------------------------- */

static json_t *
httpd_report_json(struct httpd *h, const struct store_report *r)
{
	int failing = 0;

	if (r->versions > 0 && store_version_failing(h->st, r->id, 0,
	    &failing, NULL) != 0)
		failing = 0;
	return json_pack("{s:I,s:s,s:s,s:i,s:s?,s:s?,s:i,s:i,s:o,s:o,s:b,"
	    "s:i,s:s?}", "id", (json_int_t)r->id, "source", r->source_id,
	    "agency", r->agency != NULL ? r->agency : "", "year", r->year,
	    "url", r->url, "title", r->title, "versions", r->versions,
	    "failing", failing, "first_seen", httpd_time(r->first_seen),
	    "last_seen", httpd_time(r->last_seen), "removed", r->removed,
	    "absent", r->absent, "digest", r->digest);
}

/* Loads report r->id into *rep, or sends 404/500 and returns -1. */
static int
httpd_report_load(struct httpd_req *r, struct store_report *rep)
{
	char *cause = NULL;
	int rc;

	memset(rep, 0, sizeof *rep);
	rc = store_report_get_id(r->h->st, r->id, rep, &cause);
	if (rc == -1) {
		httpd_store_error(r, cause);
		return -1;
	}
	if (rc == 1) {
		httpd_error(r, 404, NULL, "no report %lld", (long long)r->id);
		return -1;
	}
	return 0;
}

/* ---- endpoints ---------------------------------------------------------- */

static void
httpd_healthz(struct httpd_req *r)
{
	struct nianbaod *d = r->h->d;

	httpd_json(r, 200, json_pack("{s:s,s:I,s:I,s:I,s:I}", "status", "ok",
	    "sources", (json_int_t)d->cat.n, "checks_running",
	    (json_int_t)d->jobs, "uptime_s", (json_int_t)((clock_now_ms() -
	    d->started_ms) / 1000), "fetches", (json_int_t)d->n_fetches));
}

struct httpd_list {
	struct httpd	*h;
	json_t		*rows;
	int		 limit;
	int		 n;
	int64_t		 last;
	int		 more;
};

static int
httpd_reports_cb(const struct store_report *rep, void *arg)
{
	struct httpd_list *l = arg;

	if (l->n >= l->limit) {
		l->more = 1;
		return 1;
	}
	json_array_append_new(l->rows, httpd_report_json(l->h, rep));
	l->last = rep->id;
	l->n++;
	return 0;
}

static json_t *
httpd_next(const struct httpd_list *l)
{
	return l->more ? json_integer(l->last) : json_null();
}

static void
httpd_reports(struct httpd_req *r)
{
	static const char *const allowed[] = { "agency", "year", "source",
	    "removed", "limit", "after", NULL };
	struct store_report_filter f;
	struct httpd_list l;
	long long year, after;
	const char *removed;
	char *cause = NULL;

	if (httpd_params_check(r, allowed) == -1)
		return;
	memset(&f, 0, sizeof f);
	memset(&l, 0, sizeof l);
	if (httpd_param_num(r, "year", 1990, 2100, 0, &year) == -1 ||
	    httpd_param_num(r, "after", 0, INT64_MAX, 0, &after) == -1 ||
	    httpd_param_limit(r, &l.limit) == -1)
		return;
	f.agency = httpd_param(r, "agency");
	f.source_id = httpd_param(r, "source");
	f.year = (int)year;
	f.after = after;
	f.removed = -1;
	removed = httpd_param(r, "removed");
	if (removed != NULL) {
		if (strcmp(removed, "any") == 0)
			f.removed = -1;
		else if (httpd_param_bool(r, "removed", -1, &f.removed) == -1)
			return;
	}
	f.limit = l.limit + 1;	/* one more tells whether there is a next */
	l.h = r->h;
	l.rows = json_array();
	if (store_reports_query(r->h->st, &f, httpd_reports_cb, &l, &cause) ==
	    -1) {
		json_decref(l.rows);
		httpd_store_error(r, cause);
		return;
	}
	httpd_json(r, 200, json_pack("{s:o,s:i,s:o}", "reports", l.rows,
	    "count", l.n, "next", httpd_next(&l)));
}

static void
httpd_report(struct httpd_req *r)
{
	static const char *const allowed[] = { "version", NULL };
	struct store_report rep;
	long long version;
	char *json = NULL, *cause = NULL;
	json_t *record = NULL, *meta;
	json_error_t jerr;
	int rc;

	if (httpd_params_check(r, allowed) == -1 ||
	    httpd_param_num(r, "version", 1, 1000000, 0, &version) == -1 ||
	    httpd_report_load(r, &rep) == -1)
		return;
	if (version > rep.versions) {
		httpd_error(r, 404, "version", "report %lld has %d version(s)",
		    (long long)rep.id, rep.versions);
		goto out;
	}
	if (rep.versions > 0) {
		rc = store_version_record(r->h->st, rep.id, (int)version, &json,
		    &cause);
		if (rc == -1) {
			httpd_store_error(r, cause);
			goto out;
		}
		if (rc == 0) {
			record = json_loads(json, 0, &jerr);
			if (record == NULL)
				log_warnx("http: report %lld: stored record is "
				    "not JSON: %s", (long long)rep.id, jerr.text);
		}
	}
	meta = httpd_report_json(r->h, &rep);
	httpd_json(r, 200, json_pack("{s:o,s:i,s:o}", "report", meta,
	    "version", record == NULL ? 0 : version != 0 ? (int)version :
	    rep.versions, "record", record != NULL ? record : json_null()));
out:
	free(json);
	store_report_release(&rep);
}

static int
httpd_versions_cb(const struct store_version *v, void *arg)
{
	struct httpd_list *l = arg;

	if (l->n >= l->limit) {
		l->more = 1;
		return 1;
	}
	json_array_append_new(l->rows, json_pack("{s:i,s:o,s:o,s:s?,s:I,s:i}",
	    "version", v->number, "first_seen", httpd_time(v->first_seen),
	    "last_seen", httpd_time(v->last_seen), "digest", v->digest,
	    "capture", (json_int_t)v->capture_id, "failing", v->failing));
	l->n++;
	return 0;
}

static void
httpd_versions(struct httpd_req *r)
{
	static const char *const allowed[] = { NULL };
	struct store_report rep;
	struct httpd_list l;
	char *cause = NULL;

	if (httpd_params_check(r, allowed) == -1 ||
	    httpd_report_load(r, &rep) == -1)
		return;
	memset(&l, 0, sizeof l);
	l.h = r->h;
	l.limit = (int)r->h->d->conf.http_max_limit;
	l.rows = json_array();
	if (store_versions_each(r->h->st, rep.id, httpd_versions_cb, &l,
	    &cause) == -1) {
		json_decref(l.rows);
		httpd_store_error(r, cause);
	} else
		httpd_json(r, 200, json_pack("{s:o,s:o,s:b}", "report",
		    httpd_report_json(r->h, &rep), "versions", l.rows,
		    "truncated", l.more));
	store_report_release(&rep);
}

static void
httpd_diff(struct httpd_req *r)
{
	static const char *const allowed[] = { "from", "to", NULL };
	struct store_report rep;
	long long from, to;
	char *a = NULL, *b = NULL, *cause = NULL;
	json_t *sum;
	int rc;

	if (httpd_params_check(r, allowed) == -1 ||
	    httpd_param_num(r, "from", 1, 1000000, 0, &from) == -1 ||
	    httpd_param_num(r, "to", 1, 1000000, 0, &to) == -1 ||
	    httpd_report_load(r, &rep) == -1)
		return;
	if (to == 0)
		to = rep.versions;
	if (from == 0)
		from = to > 1 ? to - 1 : 1;
	if (rep.versions == 0 || from > rep.versions || to > rep.versions) {
		httpd_error(r, 404, from > rep.versions ? "from" : "to",
		    "report %lld has %d version(s)", (long long)rep.id,
		    rep.versions);
		goto out;
	}
	rc = store_version_record(r->h->st, rep.id, (int)from, &a, &cause);
	if (rc == 0)
		rc = store_version_record(r->h->st, rep.id, (int)to, &b,
		    &cause);
	if (rc == -1) {
		httpd_store_error(r, cause);
		goto out;
	}
	sum = rc == 0 ? change_summary(a, b, HTTPD_MAX_DIFF) : NULL;
	if (sum == NULL) {
		httpd_error(r, 500, NULL, "the versions cannot be compared");
		goto out;
	}
	httpd_json(r, 200, json_pack("{s:I,s:I,s:I,s:o}", "report",
	    (json_int_t)rep.id, "from", (json_int_t)from, "to",
	    (json_int_t)to, "changes", sum));
out:
	free(a);
	free(b);
	store_report_release(&rep);
}

static int
httpd_events_cb(const struct store_event *e, void *arg)
{
	struct httpd_list *l = arg;
	json_t *payload;

	if (l->n >= l->limit) {
		l->more = 1;
		return 1;
	}
	payload = e->payload != NULL ? json_loads(e->payload, 0, NULL) : NULL;
	json_array_append_new(l->rows, json_pack("{s:I,s:s,s:s?,s:o,s:s?,s:o,"
	    "s:o}", "id", (json_int_t)e->id, "type", e->type, "source",
	    e->source_id, "report", e->report_id > 0 ?
	    json_integer(e->report_id) : json_null(), "key", e->key,
	    "created", httpd_time(e->created), "payload", payload != NULL ?
	    payload : json_null()));
	l->last = e->id;
	l->n++;
	return 0;
}

static void
httpd_events(struct httpd_req *r)
{
	static const char *const allowed[] = { "since", "limit", NULL };
	struct httpd_list l;
	long long since;
	char *cause = NULL;

	memset(&l, 0, sizeof l);
	if (httpd_params_check(r, allowed) == -1 ||
	    httpd_param_num(r, "since", 0, INT64_MAX, 0, &since) == -1 ||
	    httpd_param_limit(r, &l.limit) == -1)
		return;
	l.h = r->h;
	l.rows = json_array();
	if (store_events_each(r->h->st, since, l.limit + 1, httpd_events_cb,
	    &l, &cause) == -1) {
		json_decref(l.rows);
		httpd_store_error(r, cause);
		return;
	}
	httpd_json(r, 200, json_pack("{s:o,s:i,s:o}", "events", l.rows,
	    "count", l.n, "next", httpd_next(&l)));
}

static int
httpd_captures_cb(const struct store_capture_info *c, void *arg)
{
	struct httpd_list *l = arg;

	if (l->n >= l->limit) {
		l->more = 1;
		return 1;
	}
	json_array_append_new(l->rows, json_pack("{s:I,s:o,s:I,s:s,s:s?,s:I,"
	    "s:s?,s:s?,s:s?,s:I,s:b,s:s?}", "id", (json_int_t)c->id,
	    "fetched_at", httpd_time(c->fetched_at), "timestamp_ms",
	    (json_int_t)c->fetched_at, "url", c->url, "final_url",
	    c->final_url, "status", (json_int_t)c->status, "kind", c->kind,
	    "digest", c->digest, "content_type", c->content_type, "size",
	    (json_int_t)c->size, "revisit", c->revisit, "error", c->error));
	l->last = c->id;
	l->n++;
	return 0;
}

static void
httpd_captures(struct httpd_req *r)
{
	static const char *const allowed[] = { "url", "from", "to", "limit",
	    "after", "collapse", NULL };
	struct store_capture_filter f;
	struct httpd_list l;
	long long after;
	char *cause = NULL;

	memset(&f, 0, sizeof f);
	memset(&l, 0, sizeof l);
	if (httpd_params_check(r, allowed) == -1)
		return;
	f.url = httpd_param(r, "url");
	if (f.url == NULL || *f.url == '\0') {
		httpd_error(r, 400, "url", "url is required");
		return;
	}
	if (httpd_param_time(r, "from", 0, &f.from) == -1 ||
	    httpd_param_time(r, "to", 1, &f.to) == -1 ||
	    httpd_param_num(r, "after", 0, INT64_MAX, 0, &after) == -1 ||
	    httpd_param_bool(r, "collapse", 0, &f.collapse) == -1 ||
	    httpd_param_limit(r, &l.limit) == -1)
		return;
	f.after = after;
	f.limit = l.limit + 1;
	l.h = r->h;
	l.rows = json_array();
	if (store_captures_query(r->h->st, &f, httpd_captures_cb, &l,
	    &cause) == -1) {
		json_decref(l.rows);
		httpd_store_error(r, cause);
		return;
	}
	httpd_json(r, 200, json_pack("{s:s,s:o,s:i,s:o}", "url", f.url,
	    "captures", l.rows, "count", l.n, "next", httpd_next(&l)));
}

/* ---- /metrics ----------------------------------------------------------- */

static int
httpd_count_reports_cb(const struct store_report *rep, void *arg)
{
	struct httpd *h = arg;

	if (rep->removed)
		h->reports_removed++;
	else
		h->reports_present++;
	return 0;
}

struct httpd_failing {
	int64_t	 last;
	int64_t	 n;
};

static int
httpd_count_failing_cb(const struct store_finding *f, void *arg)
{
	struct httpd_failing *c = arg;

	/* findings come ordered by report: count each report once */
	if (f->report_id == c->last || f->severity == NULL ||
	    (strcmp(f->severity, "error") != 0 &&
	    strcmp(f->severity, "warning") != 0))
		return 0;
	c->last = f->report_id;
	c->n++;
	return 0;
}

static int
httpd_count_events_cb(const struct store_event *e, void *arg)
{
	struct httpd *h = arg;
	size_t i;

	h->events_last = e->id;
	for (i = 0; i < h->ntypes; i++) {
		if (strcmp(h->types[i].type, e->type) == 0) {
			h->types[i].n++;
			return 0;
		}
	}
	if (h->ntypes < HTTPD_MAX_TYPES) {
		h->types[h->ntypes].type = xstrdup(e->type);
		h->types[h->ntypes++].n = 1;
	} else
		h->types_other++;
	return 0;
}

/* Refreshes the store figures if they are older than HTTPD_STATS_MS. */
static void
httpd_stats(struct httpd *h)
{
	struct httpd_failing fc;
	struct store_report_filter f;
	struct store_finding_filter ff;
	int64_t now = clock_mono_ms();
	char *cause = NULL;

	if (h->stats_at != 0 && now - h->stats_at < HTTPD_STATS_MS)
		return;
	h->stats_at = now;
	h->stats_ok = 0;
	h->reports_present = h->reports_removed = 0;
	memset(&f, 0, sizeof f);
	f.removed = -1;
	memset(&ff, 0, sizeof ff);
	memset(&fc, 0, sizeof fc);
	if (store_stats(h->st, &h->stats, &cause) == -1 ||
	    store_reports_query(h->st, &f, httpd_count_reports_cb, h,
	    &cause) == -1 ||
	    store_findings_each(h->st, &ff, httpd_count_failing_cb, &fc,
	    &cause) == -1 ||
	    store_events_each(h->st, h->events_last, 0, httpd_count_events_cb,
	    h, &cause) == -1) {
		log_warnx("http: metrics: %s", cause);
		free(cause);
		return;
	}
	h->reports_failing = fc.n;
	h->stats_ok = 1;
}

static void
httpd_help(struct buf *b, const char *name, const char *type,
    const char *help)
{
	buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
httpd_metrics(struct httpd_req *r)
{
	static const char *const allowed[] = { NULL };
	struct httpd *h = r->h;
	struct nianbaod *d = h->d;
	struct metrics *m = &d->metrics;
	const struct metrics_host *mh;
	int64_t now = clock_now_ms(), earliest = 0, interval;
	size_t i, due = 0, overdue = 0;
	uint64_t answered;
	struct buf b;
	int c;

	if (httpd_params_check(r, allowed) == -1)
		return;
	buf_init(&b, 0);
	httpd_help(&b, "nianbao_up", "gauge", "1 while nianbaod answers.");
	buf_adds(&b, "nianbao_up 1\n");
	httpd_help(&b, "nianbao_start_time_seconds", "gauge",
	    "When this nianbaod started, seconds since the epoch.");
	buf_addf(&b, "nianbao_start_time_seconds %lld\n",
	    (long long)(d->started_ms / 1000));

	/* fetches of this process, by class and host */
	httpd_help(&b, "nianbao_fetches_total", "counter", "Fetch results "
	    "since start-up by status class (2xx, 3xx, 304, 4xx, 5xx, error "
	    "= no HTTP answer or cut off) and host (the first 1000 hosts, "
	    "then host=\"other\").");
	for (i = 0; i <= m->nhosts; i++) {
		mh = i < m->nhosts ? &m->hosts[i] : &m->other;
		for (c = 0; c < METRICS_NCLASS; c++) {
			if (mh->n[c] == 0)
				continue;
			buf_addf(&b, "nianbao_fetches_total{class=\"%s\","
			    "host=\"", metrics_class_name(c));
			metrics_label_escape(&b, mh->host);
			buf_addf(&b, "\"} %llu\n", (unsigned long long)mh->n[c]);
		}
	}
	httpd_help(&b, "nianbao_fetch_bytes_total", "counter",
	    "Response body bytes received (on the wire) since start-up, by "
	    "host.");
	for (i = 0; i <= m->nhosts; i++) {
		mh = i < m->nhosts ? &m->hosts[i] : &m->other;
		if (mh->bytes == 0 && (i < m->nhosts || mh->n[0] == 0))
			continue;
		buf_adds(&b, "nianbao_fetch_bytes_total{host=\"");
		metrics_label_escape(&b, mh->host);
		buf_addf(&b, "\"} %llu\n", (unsigned long long)mh->bytes);
	}
	answered = m->n[METRICS_2XX] + m->n[METRICS_304];
	httpd_help(&b, "nianbao_fetch_not_modified_ratio", "gauge",
	    "304 answers / (2xx + 304 answers) since start-up: how much "
	    "conditional GET saves.");
	buf_addf(&b, "nianbao_fetch_not_modified_ratio %.6f\n", answered > 0 ?
	    (double)m->n[METRICS_304] / (double)answered : 0.0);

	/* the loop */
	httpd_help(&b, "nianbao_fetch_queue_length", "gauge",
	    "Requests queued in the fetcher (waiting for politeness or a "
	    "connection).");
	buf_addf(&b, "nianbao_fetch_queue_length %zu\n",
	    fetch_pending(d->fetcher));
	httpd_help(&b, "nianbao_fetch_running", "gauge",
	    "Requests in flight.");
	buf_addf(&b, "nianbao_fetch_running %zu\n", fetch_running(d->fetcher));
	httpd_help(&b, "nianbao_checks_running", "gauge",
	    "Source checks running.");
	buf_addf(&b, "nianbao_checks_running %zu\n", d->jobs);
	for (i = 0; i < d->sched.n; i++) {
		const struct sched_entry *e = &d->sched.v[i];

		if (e->due > now)
			continue;
		due++;
		interval = d->conf.interval;
		if (e->src < d->cat.n && d->cat.v[e->src].interval > 0)
			interval = d->cat.v[e->src].interval;
		if (now - e->due > interval * 1000)
			overdue++;
		if (earliest == 0 || e->due < earliest)
			earliest = e->due;
	}
	httpd_help(&b, "nianbao_sources", "gauge", "Sources in the catalog.");
	buf_addf(&b, "nianbao_sources %zu\n", d->cat.n);
	httpd_help(&b, "nianbao_sources_due", "gauge", "Sources whose check "
	    "is due and not started (waiting for a check slot).");
	buf_addf(&b, "nianbao_sources_due %zu\n", due);
	httpd_help(&b, "nianbao_sources_overdue", "gauge", "Sources due for "
	    "longer than their interval: a whole check missed.");
	buf_addf(&b, "nianbao_sources_overdue %zu\n", overdue);
	httpd_help(&b, "nianbao_schedule_lag_seconds", "gauge", "How long "
	    "the longest-waiting due source has waited (0 if none).");
	buf_addf(&b, "nianbao_schedule_lag_seconds %.3f\n", earliest > 0 ?
	    (double)(now - earliest) / 1000 : 0.0);

	/* notifications: outbox backlog and failures per channel */
	metrics_notify(d, &b);

	/* the store, cached */
	httpd_stats(h);
	if (h->stats_ok) {
		httpd_help(&b, "nianbao_reports", "gauge", "Reports in the "
		    "store by status (present on their listing, or removed).");
		buf_addf(&b, "nianbao_reports{status=\"present\"} %lld\n"
		    "nianbao_reports{status=\"removed\"} %lld\n",
		    (long long)h->reports_present,
		    (long long)h->reports_removed);
		httpd_help(&b, "nianbao_reports_failing", "gauge", "Reports "
		    "whose latest version has error or warning findings.");
		buf_addf(&b, "nianbao_reports_failing %lld\n",
		    (long long)h->reports_failing);
		httpd_help(&b, "nianbao_versions", "gauge",
		    "Report versions in the store.");
		buf_addf(&b, "nianbao_versions %lld\n",
		    (long long)h->stats.versions);
		httpd_help(&b, "nianbao_events_total", "counter", "Events in "
		    "the store by type (nianbao_outbox_backlog: those not yet "
		    "delivered).");
		for (i = 0; i < h->ntypes; i++) {
			buf_adds(&b, "nianbao_events_total{type=\"");
			metrics_label_escape(&b, h->types[i].type);
			buf_addf(&b, "\"} %llu\n",
			    (unsigned long long)h->types[i].n);
		}
		if (h->types_other > 0)
			buf_addf(&b, "nianbao_events_total{type=\"other\"} "
			    "%llu\n", (unsigned long long)h->types_other);
		httpd_help(&b, "nianbao_store_captures", "gauge",
		    "Captures (fetches) in the store.");
		buf_addf(&b, "nianbao_store_captures %lld\n",
		    (long long)h->stats.captures);
		httpd_help(&b, "nianbao_store_file_bytes", "gauge",
		    "Size of the database file and its WAL.");
		buf_addf(&b, "nianbao_store_file_bytes %lld\n",
		    (long long)h->stats.file_bytes);
		httpd_help(&b, "nianbao_store_blob_bytes", "gauge",
		    "Captured bytes in the store: raw, and as stored "
		    "(compressed).");
		buf_addf(&b, "nianbao_store_blob_bytes{form=\"raw\"} %lld\n"
		    "nianbao_store_blob_bytes{form=\"stored\"} %lld\n",
		    (long long)h->stats.blob_bytes,
		    (long long)h->stats.blob_stored);
	}
	httpd_help(&b, "nianbao_http_requests_total", "counter",
	    "API requests answered since start-up, by status code.");
	for (i = 0; i < HTTPD_NCODES; i++)
		buf_addf(&b, "nianbao_http_requests_total{code=\"%d\"} %llu\n",
		    httpd_codes[i], (unsigned long long)h->requests[i]);
	buf_addf(&b, "nianbao_http_requests_total{code=\"other\"} %llu\n",
	    (unsigned long long)h->requests[HTTPD_NCODES]);
	httpd_send(r, 200, "text/plain; version=0.0.4; charset=utf-8",
	    buf_str(&b), b.len);
	buf_release(&b);
}

/* ---- dispatch ----------------------------------------------------------- */

/* Constant-time comparison: the token's length and bytes do not leak. */
static int
httpd_token_ok(const struct httpd *h, const char *header)
{
	const char *given;
	size_t n, g, i;
	unsigned char diff;

	if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0)
		return 0;
	for (given = header + 7; *given == ' '; given++)
		;
	n = strlen(h->token);
	g = strlen(given);
	diff = n != g;
	for (i = 0; i < n; i++)
		diff |= (unsigned char)h->token[i] ^
		    (unsigned char)given[i < g ? i : 0];
	return diff == 0;
}

static void
httpd_request(struct evhttp_request *req, void *arg)
{
	struct httpd_req r;
	const struct evhttp_uri *uri;
	enum evhttp_cmd_type cmd;
	enum httpd_route_id route;
	const char *path, *query;
	char *dpath = NULL;
	size_t dlen = 0;

	memset(&r, 0, sizeof r);
	r.h = arg;
	r.req = req;
	TAILQ_INIT(&r.q);
	cmd = evhttp_request_get_command(req);
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		httpd_error(&r, 405, NULL, "read-only: GET and HEAD only");
		return;
	}
	uri = evhttp_request_get_evhttp_uri(req);
	path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (path == NULL || *path == '\0')
		path = "/";
	dpath = evhttp_uridecode(path, 0, &dlen);
	if (dpath == NULL || strlen(dpath) != dlen) {
		httpd_error(&r, 400, NULL, "bad path");
		goto out;
	}
	route = httpd_route(dpath, &r.id);
	if (route != HTTPD_HEALTHZ && r.h->token[0] != '\0' &&
	    !httpd_token_ok(r.h, evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization"))) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "WWW-Authenticate", "Bearer realm=\"nianbaod\"");
		httpd_error(&r, 401, NULL, "a bearer token is required");
		goto out;
	}
	query = uri != NULL ? evhttp_uri_get_query(uri) : NULL;
	if (query != NULL && evhttp_parse_query_str(query, &r.q) == -1) {
		httpd_error(&r, 400, NULL, "malformed query string (want "
		    "name=value&...)");
		goto out;
	}
	switch (route) {
	case HTTPD_HEALTHZ:
		httpd_healthz(&r);
		break;
	case HTTPD_METRICS:
		httpd_metrics(&r);
		break;
	case HTTPD_REPORTS:
		httpd_reports(&r);
		break;
	case HTTPD_REPORT:
		httpd_report(&r);
		break;
	case HTTPD_VERSIONS:
		httpd_versions(&r);
		break;
	case HTTPD_DIFF:
		httpd_diff(&r);
		break;
	case HTTPD_EVENTS:
		httpd_events(&r);
		break;
	case HTTPD_CAPTURES:
		httpd_captures(&r);
		break;
	case HTTPD_NOTFOUND:
		httpd_error(&r, 404, NULL, "no such endpoint or report");
		break;
	}
out:
	evhttp_clear_headers(&r.q);
	free(dpath);
}

/* ---- start, reload, stop ------------------------------------------------ */

/* The configured token: http.token, or http.token_file's first line. */
static int
httpd_load_token(const struct conf *c, char **token, char **cause)
{
	char *data = NULL;
	size_t len;

	if (c->http_token_file[0] == '\0') {
		*token = xstrdup(c->http_token);
		return 0;
	}
	if (util_read_file(c->http_token_file, HTTPD_TOKEN_MAX, &data, &len,
	    cause) == -1)
		return -1;
	data[strcspn(data, "\r\n")] = '\0';
	if (data[0] == '\0') {
		xasprintf(cause, "%s: empty token", c->http_token_file);
		free(data);
		return -1;
	}
	*token = data;
	return 0;
}

int
httpd_start(struct nianbaod *d, char **cause)
{
	struct httpd *h;
	char host[64];
	int port;

	if (strcmp(d->conf.http_listen, "no") == 0)
		return 0;
	if (conf_listen_split(d->conf.http_listen, host, sizeof host, &port)
	    != 0) {
		xasprintf(cause, "http: bad listen address %s",
		    d->conf.http_listen);
		return -1;
	}
	h = xcalloc(1, sizeof *h);
	h->d = d;
	if (httpd_load_token(&d->conf, &h->token, cause) == -1)
		goto fail;
	h->st = store_open(d->conf.database, STORE_RDONLY, cause);
	if (h->st == NULL)
		goto fail;
	h->http = evhttp_new(d->base);
	if (h->http == NULL) {
		xasprintf(cause, "http: evhttp_new failed");
		goto fail;
	}
	evhttp_set_max_headers_size(h->http, HTTPD_MAX_HEADERS);
	evhttp_set_max_body_size(h->http, HTTPD_MAX_BODY);
	evhttp_set_timeout(h->http, HTTPD_TIMEOUT_S);
	/* every method reaches httpd_request, which answers 405 itself */
	evhttp_set_allowed_methods(h->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT |
	    EVHTTP_REQ_PATCH);
	evhttp_set_gencb(h->http, httpd_request, h);
	errno = 0;
	if (evhttp_bind_socket_with_handle(h->http, host, (uint16_t)port) ==
	    NULL) {
		xasprintf(cause, "http: cannot listen on %s%s%s",
		    d->conf.http_listen, errno != 0 ? ": " : "",
		    errno != 0 ? strerror(errno) : "");
		goto fail;
	}
	h->listen = xstrdup(d->conf.http_listen);
	d->httpd = h;
	log_info("http: listening on %s%s", h->listen, h->token[0] != '\0' ?
	    " (bearer token required)" : "");
	return 0;
fail:
	if (h->http != NULL)
		evhttp_free(h->http);
	store_close(h->st);
	if (h->token != NULL)
		explicit_bzero(h->token, strlen(h->token));
	free(h->token);
	free(h);
	return -1;
}

void
httpd_reload(struct nianbaod *d, const struct conf *old)
{
	struct httpd *h = d->httpd;
	char *token = NULL, *cause = NULL;

	if (strcmp(d->conf.http_listen, old->http_listen) != 0)
		log_warnx("http: listen changed to %s; it takes a restart, "
		    "still %s", d->conf.http_listen, h != NULL ? h->listen :
		    "no");
	if (h == NULL)
		return;
	if (httpd_load_token(&d->conf, &token, &cause) == -1) {
		log_warnx("http: %s; the old token stays", cause);
		free(cause);
		return;
	}
	explicit_bzero(h->token, strlen(h->token));
	free(h->token);
	h->token = token;
}

void
httpd_stop(struct nianbaod *d)
{
	struct httpd *h = d->httpd;
	size_t i;

	if (h == NULL)
		return;
	evhttp_free(h->http);
	store_close(h->st);
	for (i = 0; i < h->ntypes; i++)
		free(h->types[i].type);
	explicit_bzero(h->token, strlen(h->token));
	free(h->token);
	free(h->listen);
	free(h);
	d->httpd = NULL;
}
