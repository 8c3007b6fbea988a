/*
 * Sources in the store: an integer id for every catalog source id that
 * captures, reports or events mention (so a capture row carries a small
 * integer, not the name), and the check state the scheduler keeps across
 * restarts.  A source that is only referred to has no state yet:
 * store_source_get answers "never checked" until store_source_put.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "xmalloc.h"

#define SOURCE_COLUMNS	"name, last_check, last_ok, next_due, last_error, " \
	"failures, failing, checks"

int
source_intern(struct store *s, const char *name, int64_t *id, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(s, DB_SOURCE_INTERN_FIND,
	    "SELECT id FROM sources WHERE name = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		db_fail(s, "find source", cause);
	db_done(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return -1;

	st = db_stmt(s, DB_SOURCE_INTERN_ADD,
	    "INSERT INTO sources (name) VALUES (?)", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, name);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, "add source", cause);
	else {
		*id = sqlite3_last_insert_rowid(s->db);
		rc = 0;
	}
	db_done(st);
	return rc;
}

static void
source_fill(sqlite3_stmt *st, struct store_source *src)
{
	src->id = db_column_strdup(st, 0);
	src->last_check = sqlite3_column_int64(st, 1);
	src->last_ok = sqlite3_column_int64(st, 2);
	src->next_due = sqlite3_column_int64(st, 3);
	src->last_error = db_column_strdup(st, 4);
	src->failures = sqlite3_column_int(st, 5);
	src->failing = sqlite3_column_int(st, 6);
	src->checks = sqlite3_column_int(st, 7);
}

int
store_source_get(struct store *s, const char *id, struct store_source *src,
    char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(src, 0, sizeof *src);
	st = db_stmt(s, DB_SOURCE_GET, "SELECT " SOURCE_COLUMNS
	    " FROM sources WHERE name = ? AND has_state", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		source_fill(st, src);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "get source", cause);
	db_done(st);
	return rc;
}

int
store_source_put(struct store *s, const struct store_source *src,
    char **cause)
{
	sqlite3_stmt *st;
	int rc = 0;

	if (src->id == NULL || *src->id == '\0')
		return db_failx(s, cause, "source without an id");
	st = db_stmt(s, DB_SOURCE_PUT, "INSERT INTO sources (" SOURCE_COLUMNS
	    ", has_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) "
	    "ON CONFLICT (name) DO UPDATE SET last_check = excluded.last_check,"
	    " last_ok = excluded.last_ok, next_due = excluded.next_due,"
	    " last_error = excluded.last_error, failures = excluded.failures,"
	    " failing = excluded.failing, checks = excluded.checks,"
	    " has_state = 1", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, src->id);
	sqlite3_bind_int64(st, 2, src->last_check);
	sqlite3_bind_int64(st, 3, src->last_ok);
	sqlite3_bind_int64(st, 4, src->next_due);
	db_bind_text(st, 5, src->last_error);
	sqlite3_bind_int(st, 6, src->failures);
	sqlite3_bind_int(st, 7, src->failing);
	sqlite3_bind_int(st, 8, src->checks);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, "put source", cause);
	db_done(st);
	return rc;
}

void
store_source_release(struct store_source *src)
{
	if (src == NULL)
		return;
	free(src->id);
	free(src->last_error);
	memset(src, 0, sizeof *src);
}

int
store_sources_each(struct store *s,
    int (*cb)(const struct store_source *, void *), void *arg, char **cause)
{
	struct store_source src;
	sqlite3_stmt *st;
	int rc, stop = 0;

	/*
	 * A statement of its own, not a cached one: the callback may call
	 * back into the store, even this function.
	 */
	if (sqlite3_prepare_v2(s->db, "SELECT " SOURCE_COLUMNS " FROM sources "
	    "WHERE has_state ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "list sources", cause);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		source_fill(st, &src);
		stop = cb(&src, arg);
		store_source_release(&src);
		if (stop)
			break;
	}
	if (!stop && rc != SQLITE_DONE) {
		db_fail(s, "list sources", cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}
