/*
 * The report calendar's rows (see store.h and daemon/calendar.h).  The
 * daemon's sweep runs these for every source at start-up and every
 * midnight: they are cached in db.h's slots like the other store files'.
 * A row also records how many versions its report had when its published
 * date was read (versions), so that the sweep reads a report's record
 * again only when a version was added since.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "xmalloc.h"

void
store_calendar_release(struct store_calendar *c)
{
	free(c->source_id);
	free(c->status);
	free(c->deadline);
	free(c->published);
	free(c->published_from);
	memset(c, 0, sizeof *c);
}

int
store_calendar_get(struct store *s, const char *source_id, int year,
    struct store_calendar *c, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof *c);
	st = db_stmt(s, DB_CAL_GET, "SELECT c.status, c.deadline, "
	    "c.report_id, c.published, c.published_from, c.missing_sent, "
	    "c.reminded, c.updated, c.versions FROM calendar c JOIN sources s "
	    "ON s.id = c.source_id WHERE s.name = ? AND c.year = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, source_id);
	sqlite3_bind_int(st, 2, year);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->source_id = xstrdup(source_id);
		c->year = year;
		c->status = db_column_strdup(st, 0);
		c->deadline = db_column_strdup(st, 1);
		c->report_id = sqlite3_column_int64(st, 2);
		c->published = db_column_strdup(st, 3);
		c->published_from = db_column_strdup(st, 4);
		c->missing_sent = sqlite3_column_int(st, 5);
		c->reminded = sqlite3_column_int(st, 6);
		c->updated = sqlite3_column_int64(st, 7);
		c->versions = sqlite3_column_int(st, 8);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "get calendar", cause);
	db_done(st);
	return rc;
}

int
store_calendar_put(struct store *s, const struct store_calendar *c,
    char **cause)
{
	sqlite3_stmt *st;
	int64_t sid;

	if (c->source_id == NULL || c->status == NULL || c->deadline == NULL)
		return db_failx(s, cause, "calendar row without a source");
	if (source_intern(s, c->source_id, &sid, cause) == -1)
		return -1;
	st = db_stmt(s, DB_CAL_PUT, "INSERT OR REPLACE INTO calendar "
	    "(source_id, year, status, deadline, report_id, published, "
	    "published_from, missing_sent, reminded, updated, versions) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, sid);
	sqlite3_bind_int(st, 2, c->year);
	db_bind_text(st, 3, c->status);
	db_bind_text(st, 4, c->deadline);
	db_bind_id(st, 5, c->report_id);
	db_bind_text(st, 6, c->published);
	db_bind_text(st, 7, c->published_from);
	sqlite3_bind_int(st, 8, c->missing_sent);
	sqlite3_bind_int(st, 9, c->reminded);
	sqlite3_bind_int64(st, 10, c->updated);
	sqlite3_bind_int(st, 11, c->versions);
	return db_step_done(s, st, "put calendar", cause);
}

int
store_calendar_count(struct store *s, const char *source_id, int *n,
    char **cause)
{
	sqlite3_stmt *st;
	int64_t v = 0;
	int rc;

	*n = 0;
	st = db_stmt(s, DB_CAL_COUNT, "SELECT count(*) FROM calendar c JOIN "
	    "sources s ON s.id = c.source_id WHERE s.name = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, source_id);
	rc = db_step_int64(s, st, "count calendar", &v, cause);
	if (rc == -1)
		return -1;
	*n = (int)v;
	return 0;
}

int
store_calendar_first_check(struct store *s, const char *source_id,
    int64_t *ms, char **cause)
{
	sqlite3_stmt *st;

	st = db_stmt(s, DB_CAL_FIRST_CHECK, "SELECT c.first_check FROM "
	    "calendar_sources c JOIN sources s ON s.id = c.source_id WHERE "
	    "s.name = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, source_id);
	return db_step_int64(s, st, "get first check", ms, cause);
}

int
store_calendar_set_first_check(struct store *s, const char *source_id,
    int64_t ms, char **cause)
{
	sqlite3_stmt *st;
	int64_t sid;

	if (source_intern(s, source_id, &sid, cause) == -1)
		return -1;
	st = db_stmt(s, DB_CAL_SET_FIRST_CHECK, "INSERT OR IGNORE INTO "
	    "calendar_sources (source_id, first_check) VALUES (?, ?)", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, sid);
	sqlite3_bind_int64(st, 2, ms);
	return db_step_done(s, st, "set first check", cause);
}
