/*
 * Unit tests for the read-only queries of store/query.c: reports by
 * filter and by the name a user gives (id, URL, agency:year, ambiguous,
 * SQL-looking), versions with first and last seen, the version current at
 * a time, findings from their rows (schema 3) and from the record JSON of
 * older versions, and the captures of a URL with a time range, collapse,
 * limit and resume, and export from its rows against export from the
 * records.  The store is a file in a mkdtemp directory, filled
 * through the store API, then opened read-only as the CLI opens it.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "cli.h"
#include "store.h"
#include "util.h"

struct fix {
	char		 dir[64];
	char		 path[128];
	int64_t		 r1, r2, r3, r4;	/* report ids */
	int64_t		 cap[5];		/* captures of URL_A */
};

#define URL_A	"http://a.example/nb/2024.html"
#define URL_B	"http://b.example/nb/2023.html"
#define T0	1700000000000LL		/* a time in ms */
#define MIN	60000LL

/* A record with one failing error, one failing warning, one passing rule. */
#define REC_FAILING \
	"{\"meta\":{\"agency\":\"甲\",\"region\":\"安徽省\",\"year\":2024}," \
	"\"t3\":{\"new\":{\"total\":{\"value\":12,\"kind\":\"number\"," \
	"\"raw\":\"12\"}}},\"findings\":[" \
	"{\"rule\":\"T3.ROW\",\"severity\":\"error\",\"result\":\"fail\"," \
	"\"cells\":[\"t3.new.total\",\"t3.new.natural\"],\"message\":\"m1\"}," \
	"{\"rule\":\"T3.COL\",\"severity\":\"warning\",\"result\":\"fail\"," \
	"\"cells\":[],\"message\":\"m2\"}," \
	"{\"rule\":\"T2.SUM\",\"severity\":\"error\",\"result\":\"pass\"," \
	"\"cells\":[],\"message\":\"m3\"}]}"
#define REC_CLEAN \
	"{\"meta\":{\"agency\":\"甲\",\"year\":2024},\"findings\":[]}"

static int64_t
add_capture(struct store *s, const char *url, const char *body,
    int64_t at, long status)
{
	struct store_capture c;
	char digest[65];

	memset(&c, 0, sizeof c);
	c.url = url;
	c.source_id = "src-a";
	c.kind = "report";
	c.fetched_at = at;
	c.status = status;
	c.content_type = "text/html";
	c.headers = "Content-Type: text/html\nETag: \"x\"\n";
	if (body != NULL) {
		assert_int_equal(store_blob_put(s, body, strlen(body), digest,
		    NULL), 0);
		c.digest = digest;
		c.size = (int64_t)strlen(body);
	}
	assert_int_equal(store_capture_add(s, &c, NULL), 0);
	return c.id;
}

static int64_t
add_report(struct store *s, const char *source, const char *agency,
    int year, const char *url, int removed)
{
	struct store_report r;

	memset(&r, 0, sizeof r);
	r.source_id = (char *)source;
	r.agency = (char *)agency;
	r.year = year;
	r.url = (char *)url;
	r.title = (char *)"t";
	r.first_seen = T0;
	r.last_seen = T0 + 30 * MIN;
	r.removed = removed;
	assert_int_equal(store_report_put(s, &r, NULL), 0);
	return r.id;
}

static int
fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	struct store *s;
	int n;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/nianbao-query-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/nb.db", f->dir);
	s = store_open(f->path, STORE_CREATE, NULL);
	assert_non_null(s);

	/* URL_A fetched five times: bodies x, x (revisit), y, y, x */
	f->cap[0] = add_capture(s, URL_A, "<p>x</p>", T0, 200);
	f->cap[1] = add_capture(s, URL_A, "<p>x</p>", T0 + 10 * MIN, 200);
	f->cap[2] = add_capture(s, URL_A, "<p>y</p>", T0 + 20 * MIN, 200);
	f->cap[3] = add_capture(s, URL_A, "<p>y</p>", T0 + 25 * MIN, 200);
	f->cap[4] = add_capture(s, URL_A, "<p>x</p>", T0 + 40 * MIN, 200);

	f->r1 = add_report(s, "src-a", "甲", 2024, URL_A, 0);
	f->r2 = add_report(s, "src-b", "乙", 2023, URL_B, 0);
	f->r3 = add_report(s, "src-c", "甲", 2023, NULL, 1);
	f->r4 = add_report(s, "src-d", "甲", 2023, NULL, 0);
	assert_int_equal(store_version_add(s, f->r1, f->cap[0], "d1",
	    REC_CLEAN, T0, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_version_add(s, f->r1, f->cap[2], "d2",
	    REC_FAILING, T0 + 21 * MIN, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_version_add(s, f->r2, 0, "d3", REC_FAILING,
	    T0, &n, NULL), 0);
	store_close(s);
	*state = f;
	return 0;
}

static int
fix_teardown(void **state)
{
	struct fix *f = *state;
	char p[192];

	snprintf(p, sizeof p, "%s-wal", f->path);
	remove(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	remove(p);
	remove(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct store *
open_ro(struct fix *f)
{
	char *cause = NULL;
	struct store *s;

	s = store_open(f->path, STORE_RDONLY, &cause);
	if (s == NULL)
		fail_msg("open: %s", cause);
	return s;
}

struct ids {
	int64_t	 v[16];
	int	 n;
	int	 stop_at;
};

static int
ids_cb(const struct store_report *r, void *arg)
{
	struct ids *x = arg;

	assert_true(x->n < 16);
	x->v[x->n++] = r->id;
	return x->stop_at > 0 && x->n >= x->stop_at;
}

static struct ids
query(struct store *s, const char *agency, const char *source, int year,
    int removed, int64_t after, int limit)
{
	struct store_report_filter rf;
	struct ids x;

	memset(&x, 0, sizeof x);
	memset(&rf, 0, sizeof rf);
	rf.agency = agency;
	rf.source_id = source;
	rf.year = year;
	rf.removed = removed;
	rf.after = after;
	rf.limit = limit;
	assert_int_equal(store_reports_query(s, &rf, ids_cb, &x, NULL), 0);
	return x;
}

static void
test_reports_filter(void **state)
{
	struct fix *f = *state;
	struct store *s = open_ro(f);
	struct ids x;

	x = query(s, NULL, NULL, 0, -1, 0, 0);
	assert_int_equal(x.n, 4);
	x = query(s, NULL, NULL, 0, 0, 0, 0);
	assert_int_equal(x.n, 3);		/* r3 removed */
	x = query(s, NULL, NULL, 0, 1, 0, 0);
	assert_int_equal(x.n, 1);
	assert_true(x.v[0] == f->r3);
	x = query(s, "甲", NULL, 2023, -1, 0, 0);
	assert_int_equal(x.n, 2);
	assert_true(x.v[0] == f->r3 && x.v[1] == f->r4);
	x = query(s, NULL, "src-b", 0, -1, 0, 0);
	assert_int_equal(x.n, 1);
	assert_true(x.v[0] == f->r2);
	x = query(s, NULL, NULL, 0, -1, f->r2, 2);	/* resume, limit */
	assert_int_equal(x.n, 2);
	assert_true(x.v[0] == f->r3 && x.v[1] == f->r4);
	x = query(s, "' OR 1=1; DROP TABLE reports; --", NULL, 0, -1, 0, 0);
	assert_int_equal(x.n, 0);
	x = query(s, NULL, NULL, 0, -1, 0, 0);
	assert_int_equal(x.n, 4);		/* still there */
	store_close(s);
}

static void
test_report_find(void **state)
{
	struct fix *f = *state;
	struct store *s = open_ro(f);
	struct store_report r;
	char name[32], *cause = NULL;

	snprintf(name, sizeof name, "%lld", (long long)f->r2);
	assert_int_equal(store_report_find(s, name, &r, NULL), 0);
	assert_string_equal(r.agency, "乙");
	store_report_release(&r);

	assert_int_equal(store_report_find(s, URL_A, &r, NULL), 0);
	assert_true(r.id == f->r1);
	assert_int_equal(r.versions, 2);
	store_report_release(&r);

	assert_int_equal(store_report_find(s, "甲:2024", &r, NULL), 0);
	assert_true(r.id == f->r1);
	store_report_release(&r);

	/* 甲:2023 is a report of two sources: an error naming both ids */
	assert_int_equal(store_report_find(s, "甲:2023", &r, &cause), -1);
	assert_non_null(cause);
	snprintf(name, sizeof name, "%lld, %lld", (long long)f->r3,
	    (long long)f->r4);
	assert_non_null(strstr(cause, name));
	free(cause);

	assert_int_equal(store_report_find(s, "999999", &r, NULL), 1);
	assert_int_equal(store_report_find(s, "99999999999999999999999", &r,
	    NULL), 1);
	assert_int_equal(store_report_find(s, "丙:2024", &r, NULL), 1);
	assert_int_equal(store_report_find(s, "甲:24", &r, NULL), 1);
	assert_int_equal(store_report_find(s, "x'; DROP TABLE reports; --",
	    &r, NULL), 1);
	assert_int_equal(store_report_find(s, "http://nowhere/", &r, NULL), 1);
	assert_int_equal(store_report_find(s, "", &r, NULL), 1);
	store_close(s);
}

struct vers {
	struct store_version	v[4];
	int			n;
};

static int
vers_cb(const struct store_version *v, void *arg)
{
	struct vers *x = arg;

	assert_true(x->n < 4);
	x->v[x->n] = *v;
	x->v[x->n].digest = NULL;
	assert_non_null(v->digest);
	x->n++;
	return 0;
}

static void
test_versions(void **state)
{
	struct fix *f = *state;
	struct store *s = open_ro(f);
	struct vers x;
	int64_t cid;
	int n, failing;

	memset(&x, 0, sizeof x);
	assert_int_equal(store_versions_each(s, f->r1, vers_cb, &x, NULL), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.v[0].number, 1);
	assert_true(x.v[0].first_seen == T0);
	/* last fetch of the page before version 2's capture */
	assert_true(x.v[0].last_seen == T0 + 10 * MIN);
	assert_int_equal(x.v[0].failing, 0);
	assert_true(x.v[1].first_seen == T0 + 21 * MIN);
	assert_true(x.v[1].last_seen == T0 + 30 * MIN);	/* the report's */
	assert_int_equal(x.v[1].failing, 2);	/* error + warning */

	assert_int_equal(store_version_at(s, f->r1, T0 - 1, &n, NULL), 1);
	assert_int_equal(store_version_at(s, f->r1, T0 + 20 * MIN, &n, NULL),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(store_version_at(s, f->r1, T0 + 99 * MIN, &n, NULL),
	    0);
	assert_int_equal(n, 2);

	assert_int_equal(store_version_capture(s, f->r1, 0, &cid, NULL), 0);
	assert_true(cid == f->cap[2]);
	assert_int_equal(store_version_capture(s, f->r1, 1, &cid, NULL), 0);
	assert_true(cid == f->cap[0]);
	assert_int_equal(store_version_capture(s, f->r2, 1, &cid, NULL), 1);
	assert_int_equal(store_version_capture(s, f->r1, 9, &cid, NULL), 1);

	assert_int_equal(store_version_failing(s, f->r1, 1, &failing, NULL),
	    0);
	assert_int_equal(failing, 0);
	assert_int_equal(store_version_failing(s, f->r1, 0, &failing, NULL),
	    0);
	assert_int_equal(failing, 2);
	assert_int_equal(store_version_failing(s, f->r3, 0, &failing, NULL),
	    1);
	store_close(s);
}

struct fnd {
	char	 got[512];
	int	 n;
};

static int
fnd_cb(const struct store_finding *sf, void *arg)
{
	struct fnd *x = arg;
	size_t len = strlen(x->got);

	snprintf(x->got + len, sizeof x->got - len, "%lld:%d:%s:%s:%s:%s;",
	    (long long)sf->report_id, sf->version, sf->rule, sf->severity,
	    sf->cells != NULL ? sf->cells : "", sf->message);
	x->n++;
	return 0;
}

static void
findings_check(struct fix *f)
{
	struct store_finding_filter ff;
	struct store *s = open_ro(f);
	struct fnd x;
	char want[512];

	memset(&ff, 0, sizeof ff);
	memset(&x, 0, sizeof x);
	assert_int_equal(store_findings_each(s, &ff, fnd_cb, &x, NULL), 0);
	assert_int_equal(x.n, 4);	/* two failing in each latest version */
	snprintf(want, sizeof want, "%lld:2:T3.ROW:error:t3.new.total,"
	    "t3.new.natural:m1;%lld:2:T3.COL:warning::m2;", (long long)f->r1,
	    (long long)f->r1);
	assert_int_equal(strncmp(x.got, want, strlen(want)), 0);

	ff.rule = "T3.COL";
	memset(&x, 0, sizeof x);
	assert_int_equal(store_findings_each(s, &ff, fnd_cb, &x, NULL), 0);
	assert_int_equal(x.n, 2);
	ff.rule = NULL;
	ff.severity = "error";
	ff.year = 2023;
	memset(&x, 0, sizeof x);
	assert_int_equal(store_findings_each(s, &ff, fnd_cb, &x, NULL), 0);
	assert_int_equal(x.n, 1);
	assert_non_null(strstr(x.got, ":T3.ROW:"));
	ff.severity = NULL;
	ff.year = 0;
	ff.rule = "T2.SUM";		/* passes: not a failing finding */
	memset(&x, 0, sizeof x);
	assert_int_equal(store_findings_each(s, &ff, fnd_cb, &x, NULL), 0);
	assert_int_equal(x.n, 0);
	store_close(s);
}

static void
test_findings(void **state)
{
	findings_check(*state);
}

/* Versions stored before schema 3 have no rows: read from the JSON. */
static void
test_findings_fallback(void **state)
{
	struct fix *f = *state;
	struct store *s;
	sqlite3 *db;
	int failing;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM findings; UPDATE "
	    "versions SET failing = NULL", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	findings_check(f);
	s = open_ro(f);
	assert_int_equal(store_version_failing(s, f->r1, 0, &failing, NULL),
	    0);
	assert_int_equal(failing, 2);
	store_close(s);
}

struct caps {
	int64_t	 id[8];
	int	 revisit[8];
	int	 n;
};

static int
caps_cb(const struct store_capture_info *c, void *arg)
{
	struct caps *x = arg;

	assert_true(x->n < 8);
	assert_string_equal(c->url, URL_A);
	assert_non_null(c->digest);
	x->revisit[x->n] = c->revisit;
	x->id[x->n++] = c->id;
	return 0;
}

static struct caps
caps(struct store *s, int64_t from, int64_t to, int64_t after, int limit,
    int collapse)
{
	struct store_capture_filter cf;
	struct caps x;

	memset(&x, 0, sizeof x);
	memset(&cf, 0, sizeof cf);
	cf.url = URL_A;
	cf.from = from;
	cf.to = to;
	cf.after = after;
	cf.limit = limit;
	cf.collapse = collapse;
	assert_int_equal(store_captures_query(s, &cf, caps_cb, &x, NULL), 0);
	return x;
}

static void
test_captures(void **state)
{
	struct fix *f = *state;
	struct store *s = open_ro(f);
	struct store_capture_info c;
	struct caps x;

	x = caps(s, 0, 0, 0, 0, 0);
	assert_int_equal(x.n, 5);
	assert_int_equal(x.revisit[1], 1);
	/* collapse: x, y, x */
	x = caps(s, 0, 0, 0, 0, 1);
	assert_int_equal(x.n, 3);
	assert_true(x.id[0] == f->cap[0] && x.id[1] == f->cap[2] &&
	    x.id[2] == f->cap[4]);
	x = caps(s, T0 + 10 * MIN, T0 + 25 * MIN, 0, 0, 0);
	assert_int_equal(x.n, 3);
	assert_true(x.id[0] == f->cap[1] && x.id[2] == f->cap[3]);
	x = caps(s, 0, 0, 0, 2, 0);
	assert_int_equal(x.n, 2);
	x = caps(s, 0, 0, x.id[1], 2, 0);		/* resume */
	assert_int_equal(x.n, 2);
	assert_true(x.id[0] == f->cap[2] && x.id[1] == f->cap[3]);
	x = caps(s, T0 + 99 * MIN, 0, 0, 0, 0);
	assert_int_equal(x.n, 0);

	/* a revisit keeps no headers: those of the capture it confirmed */
	assert_int_equal(store_capture_get(s, f->cap[1], &c, NULL), 0);
	assert_int_equal(c.revisit, 1);
	assert_non_null(c.headers);
	assert_non_null(strstr(c.headers, "ETag"));
	assert_string_equal(c.content_type, "text/html");
	assert_string_equal(c.kind, "report");
	store_capture_info_release(&c);
	assert_int_equal(store_capture_get(s, 999999, &c, NULL), 1);
	store_close(s);
}

/*
 * nianbao export from the rows written with each version (version_flat)
 * prints exactly what it prints from the records: every format, wide and
 * long, on records with reals, escapes, missing members, a repeated key,
 * null meta fields, and records the flattener declines (mixed in), then
 * the same store with every row deleted (versions stored before the rows
 * existed).  A changed row shows in the output, so the rows are read.
 */
#define REC_ODD \
	"{\"meta\":{\"agency\":\"丙\",\"region\":\"沂源县\",\"level\":" \
	"\"government\",\"published\":\"2025-01-20\",\"format\":\"2021\"}," \
	"\"t2\":{\"rules\":{\"issued\":{\"value\":0,\"kind\":\"zero\"," \
	"\"raw\":\"0\"},\"repealed\":{\"value\":-7,\"kind\":\"number\"," \
	"\"raw\":\"-7\"}},\"licensing\":{\"decisions\":{\"value\":" \
	"9007199254740993,\"kind\":\"number\",\"raw\":\"9,007\"}}," \
	"\"fees\":{\"amount\":{\"value\":96171.6,\"kind\":\"number\"," \
	"\"raw\":\"96171.6\"}}},\"t3\":{\"new\":{\"natural\":{\"value\":" \
	"null,\"kind\":\"text\",\"raw\":\"详见\\\"附表\\\", a,b\\n\\t\\\\/" \
	"\\u0001\\u001f\\u007f\\u2028 end\"},\"commercial\":{\"value\":3," \
	"\"kind\":\"na\",\"raw\":\"—\"},\"research\":{\"value\":1e20," \
	"\"kind\":\"number\"},\"social\":{\"kind\":\"odd kind\",\"raw\":" \
	"\"\"},\"legal\":{\"value\":0.30000000000000004,\"kind\":\"zero\"," \
	"\"raw\":\"0.3\"},\"other\":{\"value\":-0.0,\"kind\":\"number\"," \
	"\"raw\":\"-0\"},\"total\":{}}},\"t4\":{\"review\":{\"upheld\":" \
	"{\"value\":2,\"raw\":\"2\"},\"total\":{\"value\":\"2\",\"kind\":" \
	"\"number\",\"raw\":\"2\"}}},\"findings\":[{\"rule\":\"T3.ROW\"," \
	"\"severity\":\"error\",\"result\":\"fail\",\"cells\":[]}]}"
#define REC_NULLMETA \
	"{\"meta\":{\"region\":null},\"t4\":{\"suit_direct\":{\"pending\":" \
	"{\"value\":1.5e-7,\"kind\":\"number\",\"raw\":\"x\"}}}," \
	"\"findings\":[]}"
#define REC_DOTKEY \
	"{\"meta\":{\"region\":\"沂源县\"},\"t3\":{\"new.natural\":{\"value\":" \
	"1,\"kind\":\"number\",\"raw\":\"1\"}}}"
#define REC_NUMREGION \
	"{\"meta\":{\"region\":5},\"t3\":{\"new\":{\"total\":{\"value\":1," \
	"\"kind\":\"number\",\"raw\":\"1\"}}}}"

/* Runs nianbao export with args into file out; returns its exit status. */
static int
run_export(const char *out, const char *db, const char *a1, const char *a2,
    const char *a3)
{
	char *argv[8];
	int argc = 0, saved, fd, rc;

	argv[argc++] = (char *)"export";
	argv[argc++] = (char *)"--db";
	argv[argc++] = (char *)db;
	argv[argc++] = (char *)a1;
	if (a2 != NULL)
		argv[argc++] = (char *)a2;
	if (a3 != NULL)
		argv[argc++] = (char *)a3;
	argv[argc] = NULL;
	fflush(stdout);
	saved = dup(1);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 1);
	close(fd);
	rc = cmd_export(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	return rc;
}

static char *
slurp(const char *path, size_t *len)
{
	char *data = NULL, *cause = NULL;

	if (util_read_file(path, 64 << 20, &data, len, &cause) != 0)
		fail_msg("%s", cause);
	return data;
}

static void
sql(const char *db, const char *q)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static int
sql_int(const char *db, const char *q)
{
	sqlite3_stmt *st;
	sqlite3 *h;
	int v;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static void
test_export_rows(void **state)
{
	static const char *forms[][2] = { { "--format=csv", NULL },
	    { "--format=json", NULL }, { "--format=ndjson", NULL },
	    { "--format=csv", "--long" }, { "--format=json", "--long" },
	    { "--format=ndjson", "--long" } };
	struct fix *f = *state;
	struct store *s;
	int64_t id[8];
	char out[6][160], p[160], *a, *b;
	size_t alen, blen, i;
	int n;

	s = store_open(f->path, 0, NULL);
	assert_non_null(s);
	id[0] = add_report(s, "src-e", "丁,\"quoted\"", 2024, "http://x/\"q\"",
	    0);
	id[1] = add_report(s, "src-e", "戊", 2023, NULL, 0);
	id[2] = add_report(s, "src-f", "己", 2022, URL_B, 0);
	id[3] = add_report(s, "src-f", "庚", 2021, URL_B, 0);
	id[4] = add_report(s, "src-f", "辛", 2020, URL_B, 0);
	id[5] = add_report(s, "src-f", "bad \xff utf-8", 2019, URL_B, 0);
	assert_int_equal(store_version_add(s, id[0], 0, "o1", REC_CLEAN, T0,
	    &n, NULL), 0);
	assert_int_equal(store_version_add(s, id[0], 0, "o2", REC_ODD, T0,
	    &n, NULL), 0);
	assert_int_equal(store_version_add(s, id[1], 0, "o3", REC_NULLMETA,
	    T0, &n, NULL), 0);
	assert_int_equal(store_version_add(s, id[2], 0, "o4", REC_DOTKEY,
	    T0, &n, NULL), 0);
	assert_int_equal(store_version_add(s, id[3], 0, "o5", REC_NUMREGION,
	    T0, &n, NULL), 0);
	assert_int_equal(store_version_add(s, id[4], 0, "o6", "not json",
	    T0, &n, NULL), 0);
	assert_int_equal(store_version_add(s, id[5], 0, "o7", REC_ODD, T0,
	    &n, NULL), 0);
	store_close(s);
	/* rows for every version but the three declined records */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM "
	    "version_flat"), sql_int(f->path, "SELECT count(*) FROM "
	    "versions") - 3);
	/* none (no table), the fixture's, REC_ODD's and REC_NULLMETA's */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM "
	    "flat_layouts"), 4);

	for (i = 0; i < 6; i++) {
		snprintf(out[i], sizeof out[i], "%s/fast%zu", f->dir, i);
		assert_int_equal(run_export(out[i], f->path, forms[i][0],
		    forms[i][1], NULL), 0);
	}
	a = slurp(out[0], &alen);
	assert_non_null(strstr(a, "\"详见\"\"附表\"\", a,b\n\t\\/"));
	assert_non_null(strstr(a, ",96171.6,"));
	free(a);
	/* the JSON export escapes control characters as jansson does */
	a = slurp(out[1], &alen);
	assert_non_null(strstr(a, "\\u0001\\u001F\x7f\xe2\x80\xa8 end\""));
	assert_non_null(strstr(a, "\"t3.new.research\":1e20,"));
	free(a);

	/* a row changed behind export's back shows: the rows are read */
	snprintf(p, sizeof p, "%s/changed", f->dir);
	sql(f->path, "UPDATE version_flat SET region = 'ZZ-from-row'");
	assert_int_equal(run_export(p, f->path, "--format=csv", NULL, NULL),
	    0);
	a = slurp(p, &alen);
	assert_non_null(strstr(a, "ZZ-from-row"));
	free(a);
	assert_int_equal(run_export(p, f->path, "--format=csv",
	    "--region=沂源县", NULL), 0);
	a = slurp(p, &alen);
	assert_null(strstr(a, "丁"));		/* its row says ZZ-from-row */
	assert_non_null(strstr(a, "己"));	/* no row: from the record */
	free(a);

	/* no rows at all: every report from its record, the same bytes */
	sql(f->path, "DELETE FROM version_flat");
	for (i = 0; i < 6; i++) {
		snprintf(p, sizeof p, "%s/slow%zu", f->dir, i);
		assert_int_equal(run_export(p, f->path, forms[i][0],
		    forms[i][1], NULL), 0);
		a = slurp(out[i], &alen);
		b = slurp(p, &blen);
		if (alen != blen || memcmp(a, b, alen) != 0)
			fail_msg("export %s %s: rows and records differ",
			    forms[i][0], forms[i][1] != NULL ? forms[i][1] :
			    "");
		assert_true(alen > 200);
		free(a);
		free(b);
		remove(p);
		remove(out[i]);
	}
	snprintf(p, sizeof p, "%s/changed", f->dir);
	remove(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reports_filter,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_report_find,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_versions,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_findings,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_findings_fallback,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_captures,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_export_rows,
		    fix_setup, fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
