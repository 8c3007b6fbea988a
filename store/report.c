/*
 * Reports, one per (source, year), and their versions.  A version is
 * added only when the content digest changes (the caller decides); its
 * record JSON is kept as a blob, so it is compressed and verified like a
 * page, and an identical record shared by two versions is stored once.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "db.h"
#include "store.h"
#include "xmalloc.h"

#define REPORT_COLUMNS	"r.id, s.name, r.agency, r.year, r.url, r.title, " \
	"r.first_seen, r.last_seen, r.absent, r.removed, r.versions, r.digest"
#define REPORT_FROM	" FROM reports r JOIN sources s ON s.id = r.source_id"

static void
report_fill(sqlite3_stmt *st, struct store_report *r)
{
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

/* Steps a bound report query once: 0 and *r, 1 if no row, -1. */
static int
report_step(struct store *s, sqlite3_stmt *st, struct store_report *r,
    char **cause)
{
	int rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		report_fill(st, r);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "get report", cause);
	db_done(st);
	return rc;
}

int
store_report_get(struct store *s, const char *source_id, const char *agency,
    int year, struct store_report *r, char **cause)
{
	sqlite3_stmt *st;

	memset(r, 0, sizeof *r);
	st = db_stmt(s, DB_REPORT_GET, "SELECT " REPORT_COLUMNS REPORT_FROM
	    " WHERE s.name = ? AND r.agency = ? AND r.year = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, source_id);
	db_bind_text(st, 2, agency != NULL ? agency : "");
	sqlite3_bind_int(st, 3, year);
	return report_step(s, st, r, cause);
}

int
store_report_get_id(struct store *s, int64_t id, struct store_report *r,
    char **cause)
{
	sqlite3_stmt *st;

	memset(r, 0, sizeof *r);
	st = db_stmt(s, DB_REPORT_GET_ID, "SELECT " REPORT_COLUMNS REPORT_FROM
	    " WHERE r.id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return report_step(s, st, r, cause);
}

int
store_report_put(struct store *s, struct store_report *r, char **cause)
{
	sqlite3_stmt *st;
	int64_t source_id;
	int rc = 0;

	if (r->source_id == NULL || *r->source_id == '\0')
		return db_failx(s, cause, "report without a source");
	if (source_intern(s, r->source_id, &source_id, cause) != 0)
		return -1;
	if (r->id == 0)
		st = db_stmt(s, DB_REPORT_ADD, "INSERT INTO reports (source_id,"
		    " agency, year, url, title, first_seen, last_seen, absent,"
		    " removed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		    cause);
	else
		st = db_stmt(s, DB_REPORT_UPDATE, "UPDATE reports SET "
		    "source_id = ?1, agency = ?2, year = ?3, url = ?4, "
		    "title = ?5, first_seen = ?6, last_seen = ?7, absent = ?8, "
		    "removed = ?9 WHERE id = ?10", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, source_id);
	db_bind_text(st, 2, r->agency != NULL ? r->agency : "");
	sqlite3_bind_int(st, 3, r->year);
	db_bind_text(st, 4, r->url);
	db_bind_text(st, 5, r->title);
	sqlite3_bind_int64(st, 6, r->first_seen);
	sqlite3_bind_int64(st, 7, r->last_seen);
	sqlite3_bind_int(st, 8, r->absent);
	sqlite3_bind_int(st, 9, r->removed);
	if (r->id != 0)
		sqlite3_bind_int64(st, 10, r->id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(s, r->id == 0 ? "add report" : "update report",
		    cause);
	} else if (r->id == 0)
		r->id = sqlite3_last_insert_rowid(s->db);
	else if (sqlite3_changes(s->db) == 0)
		rc = db_failx(s, cause, "update report: no report %lld",
		    (long long)r->id);
	db_done(st);
	return rc;
}

void
store_report_release(struct store_report *r)
{
	if (r == NULL)
		return;
	free(r->source_id);
	free(r->agency);
	free(r->url);
	free(r->title);
	free(r->digest);
	memset(r, 0, sizeof *r);
}

int
store_reports_each(struct store *s, const char *source_id,
    int (*cb)(const struct store_report *, void *), void *arg, char **cause)
{
	struct store_report r;
	sqlite3_stmt *st;
	int rc, stop = 0;

	/* Not cached: the callback may use the store (see sources_each). */
	if (sqlite3_prepare_v2(s->db, "SELECT " REPORT_COLUMNS REPORT_FROM
	    " WHERE s.name = ? ORDER BY r.year", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "list reports", cause);
	db_bind_text(st, 1, source_id);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		memset(&r, 0, sizeof r);
		report_fill(st, &r);
		stop = cb(&r, arg);
		store_report_release(&r);
		if (stop)
			break;
	}
	if (!stop && rc != SQLITE_DONE) {
		db_fail(s, "list reports", cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * Writes the failing findings of a version's record into findings and
 * their error/warning count into versions.failing (schema 3).  A record
 * that is not JSON or has no findings array counts 0.  Versions are rare
 * (a content change), so the statements are prepared here, not cached.
 */
static int
report_findings_add(struct store *s, int64_t report_id, int n,
    const char *record_json, char **cause)
{
	sqlite3_stmt *st = NULL;
	json_t *rec, *f, *c;
	struct buf cells;
	const char *sev, *res, *rule;
	size_t i, j;
	int failing = 0, seq = 0, step, rc = -1;

	rec = json_loads(record_json, 0, NULL);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO findings (report_id, "
	    "number, seq, rule, severity, cells, message) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK) {
		db_fail(s, "add findings", cause);
		goto out;
	}
	json_array_foreach(json_object_get(rec, "findings"), i, f) {
		res = json_string_value(json_object_get(f, "result"));
		rule = json_string_value(json_object_get(f, "rule"));
		sev = json_string_value(json_object_get(f, "severity"));
		if (res == NULL || strcmp(res, "fail") != 0 || rule == NULL)
			continue;
		if (sev == NULL)
			sev = "info";
		if (strcmp(sev, "error") == 0 || strcmp(sev, "warning") == 0)
			failing++;
		buf_init(&cells, 0);
		json_array_foreach(json_object_get(f, "cells"), j, c) {
			if (!json_is_string(c))
				continue;
			if (cells.len > 0)
				buf_addc(&cells, ',');
			buf_adds(&cells, json_string_value(c));
		}
		sqlite3_bind_int64(st, 1, report_id);
		sqlite3_bind_int(st, 2, n);
		sqlite3_bind_int(st, 3, seq++);
		db_bind_text(st, 4, rule);
		db_bind_text(st, 5, sev);
		sqlite3_bind_text(st, 6, buf_str(&cells), -1,
		    SQLITE_TRANSIENT);
		db_bind_text(st, 7, json_string_value(json_object_get(f,
		    "message")));
		step = sqlite3_step(st);
		buf_release(&cells);
		if (step != SQLITE_DONE) {
			db_fail(s, "add findings", cause);
			goto out;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db, "UPDATE versions SET failing = ? "
	    "WHERE report_id = ? AND number = ?", -1, &st, NULL) !=
	    SQLITE_OK) {
		st = NULL;
		db_fail(s, "add findings", cause);
		goto out;
	}
	sqlite3_bind_int(st, 1, failing);
	sqlite3_bind_int64(st, 2, report_id);
	sqlite3_bind_int(st, 3, n);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(s, "add findings", cause);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	json_decref(rec);
	return rc;
}

int
store_version_add(struct store *s, int64_t report_id, int64_t capture_id,
    const char *digest, const char *record_json, int64_t seen_at,
    int *number, char **cause)
{
	struct db_op op;
	sqlite3_stmt *st;
	char record_digest[65];
	int64_t blob_id;
	int n = 0, rc, ok = 0;

	if (digest == NULL || record_json == NULL)
		return db_failx(s, cause, "version of report %lld without "
		    "digest or record", (long long)report_id);
	if (db_op_begin(s, &op, cause) != 0)
		return -1;

	st = db_stmt(s, DB_REPORT_VERSIONS, "SELECT versions FROM reports "
	    "WHERE id = ?", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, report_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int(st, 0) + 1;
	else if (rc == SQLITE_DONE)
		db_failx(s, cause, "add version: no report %lld",
		    (long long)report_id);
	else
		db_fail(s, "add version", cause);
	db_done(st);
	if (rc != SQLITE_ROW)
		goto out;

	if (blob_put_id(s, record_json, strlen(record_json), record_digest,
	    &blob_id, cause) != 0)
		goto out;

	st = db_stmt(s, DB_VERSION_ADD, "INSERT INTO versions (report_id, "
	    "number, capture_id, digest, record_blob, seen_at) "
	    "VALUES (?, ?, ?, ?, ?, ?)", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int(st, 2, n);
	db_bind_id(st, 3, capture_id);
	db_bind_text(st, 4, digest);
	sqlite3_bind_int64(st, 5, blob_id);
	sqlite3_bind_int64(st, 6, seen_at);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		db_fail(s, "add version", cause);
	db_done(st);
	if (rc != SQLITE_DONE)
		goto out;
	if (report_findings_add(s, report_id, n, record_json, cause) != 0)
		goto out;

	st = db_stmt(s, DB_REPORT_SET_VERSION, "UPDATE reports SET "
	    "versions = ?, digest = ? WHERE id = ?", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int(st, 1, n);
	db_bind_text(st, 2, digest);
	sqlite3_bind_int64(st, 3, report_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		db_fail(s, "add version", cause);
	db_done(st);
	if (rc != SQLITE_DONE)
		goto out;
	ok = 1;

out:
	if (db_op_end(s, &op, ok, cause) != 0)
		return -1;
	if (!ok)
		return -1;
	if (number != NULL)
		*number = n;
	return 0;
}

int
store_version_record(struct store *s, int64_t report_id, int n,
    char **record_json, char **cause)
{
	sqlite3_stmt *st;
	int64_t blob_id = 0;
	size_t len;
	int rc;

	*record_json = NULL;
	if (n < 0)
		return 1;
	st = db_stmt(s, DB_VERSION_RECORD, "SELECT record_blob FROM versions "
	    "WHERE report_id = ?1 AND number = CASE ?2 WHEN 0 THEN "
	    "(SELECT max(number) FROM versions WHERE report_id = ?1) "
	    "ELSE ?2 END", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int(st, 2, n);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		blob_id = sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "get version", cause);
	db_done(st);
	if (rc != 0)
		return rc;
	rc = blob_load(s, blob_id, record_json, &len, cause);
	if (rc == 1)
		return db_failx(s, cause, "version %d of report %lld: record "
		    "blob %lld missing", n, (long long)report_id,
		    (long long)blob_id);
	return rc;
}
