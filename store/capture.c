/*
 * Captures, one row per fetch, and the URL state table the fetcher reads
 * for conditional GET (validators) and revisit detection (last digest).
 * Most fetches of a watched site are unchanged re-checks, so a revisit row
 * is made small: URL, source and blob by integer id, the kind as a small
 * integer, and NULL for headers, content type and validators unless they
 * changed; the URL's row and its last full capture hold the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "xmalloc.h"

/* Capture kinds stored as integers; any other kind is kept as text. */
static const char *capture_kinds[] = {
	NULL, "listing", "report", "attachment", "robots"
};

static int
capture_kind(const char *kind)
{
	size_t i;

	if (kind == NULL)
		return 0;
	for (i = 1; i < sizeof capture_kinds / sizeof capture_kinds[0]; i++) {
		if (strcmp(kind, capture_kinds[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* Both NULL, or both set and equal. */
static int
capture_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

struct capture_url {
	int64_t	 id;
	int64_t	 blob_id;
	char	*etag;
	char	*last_modified;
};

/* The URL's row, created if the URL is new. */
static int
capture_url_find(struct store *s, const char *url, struct capture_url *u,
    char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(u, 0, sizeof *u);
	st = db_stmt(s, DB_URL_FIND, "SELECT id, blob_id, etag, last_modified "
	    "FROM urls WHERE url = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		u->id = sqlite3_column_int64(st, 0);
		u->blob_id = sqlite3_column_int64(st, 1);
		u->etag = db_column_strdup(st, 2);
		u->last_modified = db_column_strdup(st, 3);
	} else if (rc != SQLITE_DONE)
		db_fail(s, "find url", cause);
	db_done(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return -1;

	st = db_stmt(s, DB_URL_ADD, "INSERT INTO urls (url) VALUES (?)",
	    cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, url);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, "add url", cause);
	else {
		u->id = sqlite3_last_insert_rowid(s->db);
		rc = 0;
	}
	db_done(st);
	return rc;
}

static int
capture_insert(struct store *s, struct store_capture *c, int64_t url_id,
    int64_t source_id, int64_t blob_id, const struct capture_url *u,
    char **cause)
{
	sqlite3_stmt *st;
	const char *final_url, *etag, *last_modified;
	int kind, rc = 0;

	st = db_stmt(s, DB_CAPTURE_ADD, "INSERT INTO captures (url_id, "
	    "source_id, kind, fetched_at, status, error, cause, final_url, "
	    "content_type, etag, last_modified, headers, blob_id, size, "
	    "wire_bytes, total_ms, revisit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?)", cause);
	if (st == NULL)
		return -1;

	final_url = c->final_url;
	if (final_url != NULL && strcmp(final_url, c->url) == 0)
		final_url = NULL;
	etag = c->etag;
	last_modified = c->last_modified;
	if (c->revisit) {
		if (capture_same(etag, u->etag))
			etag = NULL;
		if (capture_same(last_modified, u->last_modified))
			last_modified = NULL;
	}

	sqlite3_bind_int64(st, 1, url_id);
	db_bind_id(st, 2, source_id);
	kind = capture_kind(c->kind);
	if (kind > 0)
		sqlite3_bind_int(st, 3, kind);
	else
		db_bind_text(st, 3, c->kind);
	sqlite3_bind_int64(st, 4, c->fetched_at);
	sqlite3_bind_int64(st, 5, c->status);
	db_bind_text(st, 6, c->error);
	db_bind_text(st, 7, c->cause);
	db_bind_text(st, 8, final_url);
	db_bind_text(st, 9, c->revisit ? NULL : c->content_type);
	db_bind_text(st, 10, etag);
	db_bind_text(st, 11, last_modified);
	db_bind_text(st, 12, c->revisit ? NULL : c->headers);
	db_bind_id(st, 13, blob_id);
	sqlite3_bind_int64(st, 14, c->size);
	sqlite3_bind_int64(st, 15, c->wire_bytes);
	sqlite3_bind_int64(st, 16, c->total_ms);
	sqlite3_bind_int(st, 17, c->revisit ? 1 : 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, "add capture", cause);
	else
		c->id = sqlite3_last_insert_rowid(s->db);
	db_done(st);
	return rc;
}

/*
 * The URL's new state.  mode 0: only when and how it was last fetched (an
 * error); 1: a body, whose validators replace the old ones; 2: a 304, which
 * keeps the validators it does not repeat.
 */
static int
capture_url_update(struct store *s, int64_t url_id, int mode,
    const struct store_capture *c, int64_t blob_id, char **cause)
{
	sqlite3_stmt *st;
	int rc = 0;

	st = db_stmt(s, DB_URL_UPDATE, "UPDATE urls SET "
	    "last_fetched = ?2, last_status = ?3, "
	    "etag = CASE ?1 WHEN 1 THEN ?4 WHEN 2 THEN coalesce(?4, etag) "
	    "  ELSE etag END, "
	    "last_modified = CASE ?1 WHEN 1 THEN ?5 "
	    "  WHEN 2 THEN coalesce(?5, last_modified) ELSE last_modified END, "
	    "blob_id = CASE ?1 WHEN 0 THEN blob_id "
	    "  ELSE coalesce(?6, blob_id) END "
	    "WHERE id = ?7", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, mode);
	sqlite3_bind_int64(st, 2, c->fetched_at);
	sqlite3_bind_int64(st, 3, c->status);
	db_bind_text(st, 4, c->etag);
	db_bind_text(st, 5, c->last_modified);
	db_bind_id(st, 6, blob_id);
	sqlite3_bind_int64(st, 7, url_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, "update url", cause);
	db_done(st);
	return rc;
}

int
store_capture_add(struct store *s, struct store_capture *c, char **cause)
{
	struct capture_url u;
	struct db_op op;
	int64_t source_id = 0, blob_id = 0;
	int mode, ok = 0;

	memset(&u, 0, sizeof u);
	if (c->url == NULL || *c->url == '\0')
		return db_failx(s, cause, "capture without a url");
	if (db_op_begin(s, &op, cause) != 0)
		return -1;
	if (c->source_id != NULL &&
	    source_intern(s, c->source_id, &source_id, cause) != 0)
		goto out;
	if (capture_url_find(s, c->url, &u, cause) != 0)
		goto out;
	if (c->digest != NULL) {
		switch (blob_find(s, c->digest, &blob_id, cause)) {
		case 0:
			break;
		case 1:
			db_failx(s, cause, "capture of %s: no blob %s (store "
			    "the body first)", c->url, c->digest);
			goto out;
		default:
			goto out;
		}
	}

	/* A 304, or the bytes the URL had last time, is a revisit. */
	if (c->status == 304 || (blob_id != 0 && blob_id == u.blob_id))
		c->revisit = 1;
	if (c->revisit && blob_id == 0)
		blob_id = u.blob_id;	/* the body the revisit confirmed */
	if (capture_insert(s, c, u.id, source_id, blob_id, &u, cause) != 0)
		goto out;

	if (c->status == 304)
		mode = 2;
	else if (c->digest != NULL)
		mode = 1;
	else
		mode = 0;
	if (capture_url_update(s, u.id, mode, c, mode == 1 ? blob_id : 0,
	    cause) != 0)
		goto out;
	ok = 1;

out:
	free(u.etag);
	free(u.last_modified);
	if (db_op_end(s, &op, ok, cause) != 0)
		return -1;
	return ok ? 0 : -1;
}

int
store_url_get(struct store *s, const char *url, struct store_url *out,
    char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	st = db_stmt(s, DB_URL_GET, "SELECT u.etag, u.last_modified, "
	    "lower(hex(b.sha256)), u.last_fetched, u.last_status "
	    "FROM urls u LEFT JOIN blobs b ON b.id = u.blob_id "
	    "WHERE u.url = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->etag = db_column_strdup(st, 0);
		out->last_modified = db_column_strdup(st, 1);
		out->digest = db_column_strdup(st, 2);
		out->last_fetched = sqlite3_column_int64(st, 3);
		out->last_status = (long)sqlite3_column_int64(st, 4);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "get url", cause);
	db_done(st);
	return rc;
}

void
store_url_release(struct store_url *u)
{
	if (u == NULL)
		return;
	free(u->etag);
	free(u->last_modified);
	free(u->digest);
	memset(u, 0, sizeof *u);
}
