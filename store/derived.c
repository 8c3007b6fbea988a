/*
 * A cache of data derived from stored bytes (see store_derived_put in
 * store.h).  The daemon keeps the links it read from a listing page here,
 * keyed by the page's digest, so that re-checking an unchanged listing
 * (a 304, most of the time) costs no HTML parse.
 */
#include <stdlib.h>

#include "db.h"
#include "store.h"

int
store_derived_put(struct store *s, const char *key, const void *data,
    size_t len, char **cause)
{
	sqlite3_stmt *st;
	char digest[65];
	int64_t id;
	int rc = 0;

	if (blob_put_id(s, data, len, digest, &id, cause) != 0)
		return -1;
	st = db_stmt(s, DB_DERIVED_PUT, "INSERT OR REPLACE INTO derived "
	    "(key, blob_id) VALUES (?, ?)", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, "cache derived data", cause);
	db_done(st);
	return rc;
}

int
store_derived_get(struct store *s, const char *key, char **data,
    size_t *len, char **cause)
{
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	*data = NULL;
	*len = 0;
	st = db_stmt(s, DB_DERIVED_GET, "SELECT blob_id FROM derived "
	    "WHERE key = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		db_done(st);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		rc = db_fail(s, "read derived data", cause);
		db_done(st);
		return rc;
	}
	id = sqlite3_column_int64(st, 0);
	db_done(st);
	return blob_load(s, id, data, len, cause);
}
