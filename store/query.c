/*
 * The read-only queries behind `nianbao reports`, `show`, `history`,
 * `diff`, `findings`, `export` and `captures`: reports by filter or by the
 * name a user gives, the versions of a report with when each was first and
 * last seen, the capture a version came from, the captures of a URL, the
 * failing findings of the latest versions, and the export rows of the
 * latest versions (report.c writes and decodes them).
 *
 * Every value from the command line is bound as a parameter.  The
 * statements are prepared per call, not cached in db.h's slots: a CLI
 * runs each once, and callbacks may run other queries meanwhile.
 * Strings handed to callbacks are sqlite's, valid during the callback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "db.h"
#include "store.h"
#include "xmalloc.h"

#define QUERY_REPORT_COLUMNS	"r.id, s.name, r.agency, r.year, r.url, " \
	"r.title, r.first_seen, r.last_seen, r.absent, r.removed, " \
	"r.versions, r.digest"
#define QUERY_REPORT_FROM	" FROM reports r JOIN sources s ON " \
	"s.id = r.source_id"
/* A store_report_filter, bound by query_filter_bind(). */
#define QUERY_REPORT_WHERE	" WHERE (?1 IS NULL OR r.agency = ?1) AND " \
	"(?2 IS NULL OR s.name = ?2) AND (?3 = 0 OR r.year = ?3) AND " \
	"(?4 < 0 OR r.removed = ?4) AND r.id > ?5 ORDER BY r.id LIMIT ?6"

static void
query_report_fill(sqlite3_stmt *st, struct store_report *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->source_id = db_column_strdup(st, 1);
	r->agency = db_column_strdup(st, 2);
	r->year = sqlite3_column_int(st, 3);
	r->url = db_column_strdup(st, 4);
	r->title = db_column_strdup(st, 5);
	r->first_seen = sqlite3_column_int64(st, 6);
	r->last_seen = sqlite3_column_int64(st, 7);
	r->absent = sqlite3_column_int(st, 8);
	r->removed = sqlite3_column_int(st, 9);
	r->versions = sqlite3_column_int(st, 10);
	r->digest = db_column_strdup(st, 11);
}

/* Ends a row loop: 0 when done or stopped, else -1 with *cause. */
static int
query_finish(struct store *s, sqlite3_stmt *st, int rc, int stop,
    const char *what, char **cause)
{
	int ret = 0;

	if (!stop && rc != SQLITE_DONE)
		ret = db_fail(s, what, cause);
	sqlite3_finalize(st);
	return ret;
}

/* Binds f to the parameters of QUERY_REPORT_WHERE. */
static void
query_filter_bind(sqlite3_stmt *st, const struct store_report_filter *f)
{
	db_bind_text(st, 1, f->agency);
	db_bind_text(st, 2, f->source_id);
	sqlite3_bind_int(st, 3, f->year);
	sqlite3_bind_int(st, 4, f->removed < 0 ? -1 : f->removed != 0);
	sqlite3_bind_int64(st, 5, f->after);
	sqlite3_bind_int(st, 6, f->limit > 0 ? f->limit : -1);
}

int
store_reports_query(struct store *s, const struct store_report_filter *f,
    int (*cb)(const struct store_report *, void *), void *arg, char **cause)
{
	struct store_report r;
	sqlite3_stmt *st;
	int rc, stop = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT " QUERY_REPORT_COLUMNS
	    QUERY_REPORT_FROM QUERY_REPORT_WHERE, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "list reports", cause);
	query_filter_bind(st, f);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		query_report_fill(st, &r);
		stop = cb(&r, arg);
		store_report_release(&r);
		if (stop)
			break;
	}
	return query_finish(s, st, rc, stop, "list reports", cause);
}

/* The row of a one-parameter report query: 0, 1 none, 2 several. */
static int
query_report_one(struct store *s, const char *sql, const char *text,
    int64_t num, struct store_report *r, struct buf *ids, char **cause)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "find report", cause);
	db_bind_text(st, 1, text);
	sqlite3_bind_int64(st, 2, num);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		if (n == 0)
			query_report_fill(st, r);
		buf_addf(ids, "%s%lld", n > 0 ? ", " : "",
		    (long long)sqlite3_column_int64(st, 0));
		n++;
	}
	if (rc != SQLITE_DONE) {
		store_report_release(r);
		return query_finish(s, st, rc, 0, "find report", cause);
	}
	sqlite3_finalize(st);
	if (n == 0)
		return 1;
	return n == 1 ? 0 : 2;
}

int
store_report_find(struct store *s, const char *name, struct store_report *r,
    char **cause)
{
	struct buf ids;
	const char *colon, *p;
	char *agency = NULL;
	long long v;
	int rc;

	memset(r, 0, sizeof *r);
	if (name == NULL || *name == '\0')
		return 1;
	for (p = name; *p >= '0' && *p <= '9'; p++)
		;
	if (*p == '\0' && p - name <= 18) {
		v = strtoll(name, NULL, 10);
		return store_report_get_id(s, v, r, cause);
	}
	buf_init(&ids, 4096);
	if (strstr(name, "://") != NULL) {
		/* several reports may share a page (listing-only reports) */
		rc = query_report_one(s, "SELECT " QUERY_REPORT_COLUMNS
		    QUERY_REPORT_FROM " WHERE r.url = ?1 AND ?2 = ?2 "
		    "ORDER BY r.removed, r.last_seen DESC, r.id", name, 0, r,
		    &ids, cause);
		if (rc == 2)
			rc = 0;		/* the one seen last */
		goto out;
	}
	colon = strrchr(name, ':');
	rc = 1;
	if (colon == NULL || colon == name)
		goto out;
	for (p = colon + 1; *p >= '0' && *p <= '9'; p++)
		;
	if (*p != '\0' || p - colon - 1 != 4)
		goto out;
	v = strtoll(colon + 1, NULL, 10);
	agency = xstrndup(name, (size_t)(colon - name));
	rc = query_report_one(s, "SELECT " QUERY_REPORT_COLUMNS
	    QUERY_REPORT_FROM " WHERE r.agency = ?1 AND r.year = ?2 "
	    "ORDER BY r.id", agency, v, r, &ids, cause);
	if (rc == 2) {
		store_report_release(r);
		rc = db_failx(s, cause, "%s matches reports %s of several "
		    "sources: name one by id", name, buf_str(&ids));
	}
out:
	free(agency);
	buf_release(&ids);
	return rc;
}

int
store_versions_each(struct store *s, int64_t report_id,
    int (*cb)(const struct store_version *, void *), void *arg, char **cause)
{
	struct store_version v;
	sqlite3_stmt *st;
	int rc, stop = 0;

	/*
	 * Last seen: the newest fetch of the version's page before the
	 * next version's capture; for the latest, the report's last_seen.
	 */
	if (sqlite3_prepare_v2(s->db, "SELECT v.number, v.capture_id, "
	    "v.digest, v.seen_at, v.failing, "
	    "CASE WHEN n.number IS NULL THEN max(r.last_seen, v.seen_at) "
	    "ELSE coalesce((SELECT max(c2.fetched_at) FROM captures c1 "
	    "  JOIN captures c2 ON c2.url_id = c1.url_id "
	    "  WHERE c1.id = v.capture_id AND c2.fetched_at < "
	    "  coalesce((SELECT fetched_at FROM captures WHERE "
	    "  id = n.capture_id), n.seen_at)), v.seen_at) END "
	    "FROM versions v JOIN reports r ON r.id = v.report_id "
	    "LEFT JOIN versions n ON n.report_id = v.report_id AND "
	    "n.number = v.number + 1 WHERE v.report_id = ? ORDER BY v.number",
	    -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "list versions", cause);
	sqlite3_bind_int64(st, 1, report_id);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		memset(&v, 0, sizeof v);
		v.number = sqlite3_column_int(st, 0);
		v.capture_id = sqlite3_column_int64(st, 1);
		v.digest = db_column_strdup(st, 2);
		v.first_seen = sqlite3_column_int64(st, 3);
		v.failing = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 4);
		v.last_seen = sqlite3_column_int64(st, 5);
		if (v.last_seen < v.first_seen)
			v.last_seen = v.first_seen;
		stop = cb(&v, arg);
		free(v.digest);
		if (stop)
			break;
	}
	return query_finish(s, st, rc, stop, "list versions", cause);
}

/* One integer from a query with an integer and an optional second one. */
static int
query_int(struct store *s, const char *sql, int64_t a, int64_t b,
    int64_t *out, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "get version", cause);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*out = sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "get version", cause);
	sqlite3_finalize(st);
	return rc;
}

int
store_version_at(struct store *s, int64_t report_id, int64_t at, int *number,
    char **cause)
{
	int64_t n;
	int rc;

	rc = query_int(s, "SELECT max(number) FROM versions WHERE "
	    "report_id = ?1 AND seen_at <= ?2", report_id, at, &n, cause);
	if (rc == 0)
		*number = (int)n;
	return rc;
}

int
store_version_capture(struct store *s, int64_t report_id, int n,
    int64_t *capture_id, char **cause)
{
	return query_int(s, "SELECT capture_id FROM versions WHERE "
	    "report_id = ?1 AND number = CASE ?2 WHEN 0 THEN (SELECT "
	    "max(number) FROM versions WHERE report_id = ?1) ELSE ?2 END",
	    report_id, n, capture_id, cause);
}

/* Failing error/warning findings of a record JSON. */
static int
query_count_failing(const char *json)
{
	json_t *rec, *x;
	const char *res, *sev;
	size_t i;
	int n = 0;

	rec = json_loads(json, 0, NULL);
	json_array_foreach(json_object_get(rec, "findings"), i, x) {
		res = json_string_value(json_object_get(x, "result"));
		sev = json_string_value(json_object_get(x, "severity"));
		if (res != NULL && strcmp(res, "fail") == 0 && sev != NULL &&
		    (strcmp(sev, "error") == 0 || strcmp(sev, "warning") == 0))
			n++;
	}
	json_decref(rec);
	return n;
}

int
store_version_failing(struct store *s, int64_t report_id, int n,
    int *failing, char **cause)
{
	sqlite3_stmt *st;
	char *json = NULL;
	int rc, known = 0, number = 0;

	*failing = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT number, failing FROM versions "
	    "WHERE report_id = ?1 AND number = CASE ?2 WHEN 0 THEN (SELECT "
	    "max(number) FROM versions WHERE report_id = ?1) ELSE ?2 END",
	    -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "count findings", cause);
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int(st, 2, n);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		number = sqlite3_column_int(st, 0);
		known = sqlite3_column_type(st, 1) != SQLITE_NULL;
		*failing = sqlite3_column_int(st, 1);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "count findings", cause);
	sqlite3_finalize(st);
	if (rc != 0 || known)
		return rc;
	/* stored before schema 3: count in the record */
	rc = store_version_record(s, report_id, number, &json, cause);
	if (rc != 0)
		return rc;
	*failing = query_count_failing(json);
	free(json);
	return 0;
}

#define QUERY_CAPTURE_COLUMNS	"c.id, u.url, c.final_url, " \
	"CASE c.kind WHEN 1 THEN 'listing' WHEN 2 THEN 'report' " \
	"WHEN 3 THEN 'attachment' WHEN 4 THEN 'robots' ELSE c.kind END, " \
	"c.fetched_at, c.status, c.error, c.content_type, c.headers, " \
	"lower(hex(b.sha256)), c.size, c.revisit"
#define QUERY_CAPTURE_FROM	" FROM captures c JOIN urls u ON " \
	"u.id = c.url_id LEFT JOIN blobs b ON b.id = c.blob_id"

static void
query_capture_fill(sqlite3_stmt *st, struct store_capture_info *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->url = db_column_strdup(st, 1);
	c->final_url = db_column_strdup(st, 2);
	c->kind = db_column_strdup(st, 3);
	c->fetched_at = sqlite3_column_int64(st, 4);
	c->status = (long)sqlite3_column_int64(st, 5);
	c->error = db_column_strdup(st, 6);
	c->content_type = db_column_strdup(st, 7);
	c->headers = db_column_strdup(st, 8);
	c->digest = db_column_strdup(st, 9);
	c->size = sqlite3_column_int64(st, 10);
	c->revisit = sqlite3_column_int(st, 11);
}

int
store_capture_get(struct store *s, int64_t id, struct store_capture_info *c,
    char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof *c);
	if (sqlite3_prepare_v2(s->db, "SELECT " QUERY_CAPTURE_COLUMNS
	    QUERY_CAPTURE_FROM " WHERE c.id = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "get capture", cause);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		query_capture_fill(st, c);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "get capture", cause);
	sqlite3_finalize(st);
	if (rc != 0 || (c->headers != NULL && c->content_type != NULL))
		return rc;

	/* A revisit keeps no headers: those of the capture it confirmed. */
	if (sqlite3_prepare_v2(s->db, "SELECT c.headers, c.content_type "
	    "FROM captures c JOIN captures me ON me.id = ?1 WHERE "
	    "c.url_id = me.url_id AND c.blob_id IS me.blob_id AND "
	    "c.id <= me.id AND c.headers IS NOT NULL ORDER BY c.id DESC "
	    "LIMIT 1", -1, &st, NULL) != SQLITE_OK) {
		store_capture_info_release(c);
		return db_fail(s, "get capture", cause);
	}
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (c->headers == NULL)
			c->headers = db_column_strdup(st, 0);
		if (c->content_type == NULL)
			c->content_type = db_column_strdup(st, 1);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		store_capture_info_release(c);
		rc = db_fail(s, "get capture", cause);
	}
	sqlite3_finalize(st);
	return rc;
}

void
store_capture_info_release(struct store_capture_info *c)
{
	if (c == NULL)
		return;
	free(c->url);
	free(c->final_url);
	free(c->kind);
	free(c->error);
	free(c->content_type);
	free(c->headers);
	free(c->digest);
	memset(c, 0, sizeof *c);
}

int
store_captures_query(struct store *s, const struct store_capture_filter *f,
    int (*cb)(const struct store_capture_info *, void *), void *arg,
    char **cause)
{
	struct store_capture_info c;
	sqlite3_stmt *st;
	char *last = NULL;
	int rc, stop = 0, n = 0, same;

	if (f->url == NULL)
		return db_failx(s, cause, "captures: no url");
	/* the captures_url index (url_id, fetched_at) serves the range */
	if (sqlite3_prepare_v2(s->db, "SELECT " QUERY_CAPTURE_COLUMNS
	    QUERY_CAPTURE_FROM " WHERE u.url = ?1 AND c.fetched_at >= ?2 AND "
	    "c.fetched_at <= ?3 AND c.id > ?4 ORDER BY c.fetched_at, c.id",
	    -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "list captures", cause);
	db_bind_text(st, 1, f->url);
	sqlite3_bind_int64(st, 2, f->from);
	sqlite3_bind_int64(st, 3, f->to > 0 ? f->to : INT64_MAX);
	sqlite3_bind_int64(st, 4, f->after);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		query_capture_fill(st, &c);
		same = f->collapse && c.digest != NULL && last != NULL &&
		    strcmp(c.digest, last) == 0;
		if (c.digest != NULL) {
			free(last);
			last = xstrdup(c.digest);
		}
		if (!same) {
			stop = cb(&c, arg);
			n++;
		}
		store_capture_info_release(&c);
		if (stop)
			break;
		if (f->limit > 0 && n >= f->limit) {
			stop = 1;
			break;
		}
	}
	free(last);
	return query_finish(s, st, rc, stop, "list captures", cause);
}

/* The failing findings of one record JSON (versions before schema 3). */
static int
query_findings_json(struct store *s, struct store_finding *sf,
    const struct store_finding_filter *f,
    int (*cb)(const struct store_finding *, void *), void *arg, char **cause)
{
	json_t *rec, *x, *c;
	struct buf cells;
	char *json = NULL;
	const char *res;
	size_t i, j;
	int rc, stop = 0;

	rc = store_version_record(s, sf->report_id, sf->version, &json,
	    cause);
	if (rc != 0)
		return rc == 1 ? 0 : -1;
	rec = json_loads(json, 0, NULL);
	free(json);
	json_array_foreach(json_object_get(rec, "findings"), i, x) {
		res = json_string_value(json_object_get(x, "result"));
		sf->rule = json_string_value(json_object_get(x, "rule"));
		sf->severity = json_string_value(json_object_get(x,
		    "severity"));
		sf->message = json_string_value(json_object_get(x, "message"));
		if (res == NULL || strcmp(res, "fail") != 0 || sf->rule == NULL)
			continue;
		if (sf->severity == NULL)
			sf->severity = "info";
		if (f->rule != NULL && strcmp(f->rule, sf->rule) != 0)
			continue;
		if (f->severity != NULL && strcmp(f->severity,
		    sf->severity) != 0)
			continue;
		buf_init(&cells, 0);
		json_array_foreach(json_object_get(x, "cells"), j, c) {
			if (!json_is_string(c))
				continue;
			if (cells.len > 0)
				buf_addc(&cells, ',');
			buf_adds(&cells, json_string_value(c));
		}
		sf->cells = buf_str(&cells);
		stop = cb(sf, arg);
		buf_release(&cells);
		if (stop)
			break;
	}
	json_decref(rec);
	return stop;
}

int
store_findings_each(struct store *s, const struct store_finding_filter *f,
    int (*cb)(const struct store_finding *, void *), void *arg, char **cause)
{
	struct store_finding sf;
	sqlite3_stmt *st, *fs = NULL;
	int rc, frc, stop = 0, ret = -1;

	/* the latest version of each report, and whether it has rows */
	if (sqlite3_prepare_v2(s->db, "SELECT r.id, r.versions, r.year, "
	    "s.name, r.agency, v.failing FROM reports r JOIN sources s ON "
	    "s.id = r.source_id JOIN versions v ON v.report_id = r.id AND "
	    "v.number = r.versions WHERE (?1 = 0 OR r.year = ?1) AND "
	    "(?2 = 0 OR r.id = ?2) ORDER BY r.id", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(s, "list findings", cause);
	sqlite3_bind_int(st, 1, f->year);
	sqlite3_bind_int64(st, 2, f->report_id);
	if (sqlite3_prepare_v2(s->db, "SELECT rule, severity, cells, message "
	    "FROM findings WHERE report_id = ?1 AND number = ?2 AND "
	    "(?3 IS NULL OR rule = ?3) AND (?4 IS NULL OR severity = ?4) "
	    "ORDER BY seq", -1, &fs, NULL) != SQLITE_OK) {
		db_fail(s, "list findings", cause);
		goto out;
	}
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		memset(&sf, 0, sizeof sf);
		sf.report_id = sqlite3_column_int64(st, 0);
		sf.version = sqlite3_column_int(st, 1);
		sf.year = sqlite3_column_int(st, 2);
		sf.source_id = (const char *)sqlite3_column_text(st, 3);
		sf.agency = (const char *)sqlite3_column_text(st, 4);
		if (sqlite3_column_type(st, 5) == SQLITE_NULL) {
			stop = query_findings_json(s, &sf, f, cb, arg, cause);
			if (stop == -1)
				goto out;
			if (stop)
				break;
			continue;
		}
		sqlite3_bind_int64(fs, 1, sf.report_id);
		sqlite3_bind_int(fs, 2, sf.version);
		db_bind_text(fs, 3, f->rule);
		db_bind_text(fs, 4, f->severity);
		for (;;) {
			frc = sqlite3_step(fs);
			if (frc != SQLITE_ROW)
				break;
			sf.rule = (const char *)sqlite3_column_text(fs, 0);
			sf.severity = (const char *)sqlite3_column_text(fs, 1);
			sf.cells = (const char *)sqlite3_column_text(fs, 2);
			sf.message = (const char *)sqlite3_column_text(fs, 3);
			stop = cb(&sf, arg);
			if (stop)
				break;
		}
		sqlite3_reset(fs);
		if (!stop && frc != SQLITE_DONE) {
			db_fail(s, "list findings", cause);
			goto out;
		}
		if (stop)
			break;
	}
	if (!stop && rc != SQLITE_DONE) {
		db_fail(s, "list findings", cause);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(fs);
	sqlite3_finalize(st);
	return ret;
}

int
store_export_each(struct store *s, const struct store_report_filter *f,
    int (*cb)(const struct store_report *, const struct store_flat *, void *),
    void *arg, char **cause)
{
	struct store_report r;
	struct store_flat fl;
	sqlite3_stmt *st;
	int rc, stop = 0, has;

	/* the report filter of store_reports_query, plus the export row */
	if (sqlite3_prepare_v2(s->db, "SELECT " QUERY_REPORT_COLUMNS ", "
	    "v.failing, f.layout_id, f.region, f.level, f.published, "
	    "f.format, f.cells" QUERY_REPORT_FROM " LEFT JOIN versions v ON "
	    "v.report_id = r.id AND v.number = r.versions LEFT JOIN "
	    "version_flat f ON f.report_id = r.id AND f.number = r.versions"
	    QUERY_REPORT_WHERE, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "export", cause);
	query_filter_bind(st, f);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		query_report_fill(st, &r);
		/* a row whose failing count is unknown is of no use */
		has = r.versions > 0 && sqlite3_column_type(st, 12) !=
		    SQLITE_NULL && sqlite3_column_type(st, 13) != SQLITE_NULL;
		memset(&fl, 0, sizeof fl);
		if (has) {
			fl.failing = sqlite3_column_int(st, 12);
			fl.layout = sqlite3_column_int64(st, 13);
			fl.region = (const char *)sqlite3_column_text(st, 14);
			fl.level = (const char *)sqlite3_column_text(st, 15);
			fl.published = (const char *)sqlite3_column_text(st,
			    16);
			fl.format = (const char *)sqlite3_column_text(st, 17);
			fl.cells = sqlite3_column_blob(st, 18);
			fl.cells_len = (size_t)sqlite3_column_bytes(st, 18);
		}
		stop = cb(&r, has ? &fl : NULL, arg);
		store_report_release(&r);
		if (stop)
			break;
	}
	return query_finish(s, st, rc, stop, "export", cause);
}

int
store_flat_layout(struct store *s, int64_t layout, char **keys,
    char **cause)
{
	sqlite3_stmt *st;
	int rc;

	*keys = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT keys FROM flat_layouts WHERE "
	    "id = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "export layout", cause);
	sqlite3_bind_int64(st, 1, layout);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*keys = db_column_strdup(st, 0);
		rc = *keys != NULL ? 0 : 1;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "export layout", cause);
	sqlite3_finalize(st);
	return rc;
}
