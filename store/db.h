/*
 * Internals shared by the files of store/ and nothing else: the store
 * handle, the prepared statement cache, error and binding helpers, the
 * short write operations that must be atomic whether or not the caller
 * holds a transaction, and the cross-file lookups (blob ids, interned
 * source ids).  Everything here stays behind store.h.
 */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <stdint.h>

#include <sqlite3.h>
#include <zstd.h>

#include "store.h"

/*
 * One slot per cached statement.  A slot is prepared on first use with the
 * SQL its caller passes, and kept until store_close.
 */
enum db_slot {
	DB_BLOB_FIND,
	DB_BLOB_INSERT,
	DB_BLOB_LOAD,
	DB_SOURCE_INTERN_FIND,
	DB_SOURCE_INTERN_ADD,
	DB_SOURCE_GET,
	DB_SOURCE_PUT,
	DB_URL_FIND,
	DB_URL_ADD,
	DB_URL_UPDATE,
	DB_URL_GET,
	DB_CAPTURE_ADD,
	DB_REPORT_GET,
	DB_REPORT_GET_ID,
	DB_REPORT_ADD,
	DB_REPORT_UPDATE,
	DB_REPORT_VERSIONS,
	DB_VERSION_ADD,
	DB_REPORT_SET_VERSION,
	DB_VERSION_RECORD,
	DB_EVENT_ADD,
	DB_EVENT_FIND,
	DB_STATS,
	DB_OP_BEGIN,
	DB_OP_SAVEPOINT,
	DB_OP_RELEASE,
	DB_OP_COMMIT,
	DB_DERIVED_GET,
	DB_DERIVED_PUT,
	DB_CAL_GET,
	DB_CAL_PUT,
	DB_CAL_COUNT,
	DB_CAL_FIRST_CHECK,
	DB_CAL_SET_FIRST_CHECK,
	DB_OUTBOX_LAST_EVENT,
	DB_OUTBOX_CURSOR,
	DB_OUTBOX_SET_CURSOR,
	DB_OUTBOX_ENQUEUE,
	DB_OUTBOX_DUE,
	DB_OUTBOX_NEXT,
	DB_OUTBOX_DIGEST,
	DB_OUTBOX_DONE,
	DB_OUTBOX_FAIL,
	DB_OUTBOX_LIST,
	DB_OUTBOX_STATE,
	DB_OUTBOX_RETRY,
	DB_OUTBOX_BACKLOG,
	DB_OUTBOX_SENT,
	DB_NSLOTS
};

/*
 * The largest blob stored or loaded (1 GiB): a bound on what a corrupt row
 * can make the reader allocate.  Bodies are limited far below this by
 * fetch.max_decompressed.
 */
#define STORE_BLOB_MAX	(1 << 30)

struct store {
	sqlite3		*db;
	char		*path;		/* as given to store_open, for causes */
	int		 flags;		/* STORE_RDONLY, STORE_CREATE */
	sqlite3_stmt	*stmt[DB_NSLOTS];
	ZSTD_CCtx	*cctx;		/* made on first use, reused */
	ZSTD_DCtx	*dctx;
};

/*
 * The cached statement for slot, prepared from sql the first time.  NULL
 * with *cause on error, and when the statement is still running (a
 * callback of a loop over its rows came back to it: rebinding would break
 * the loop).  The caller binds, steps and must db_done() it, so that no
 * statement keeps a read snapshot open (it would hold WAL checkpoints
 * back).
 */
sqlite3_stmt	*db_stmt(struct store *, enum db_slot, const char *sql,
		    char **cause);
void		 db_done(sqlite3_stmt *);

/* Sets *cause to "path: what: sqlite's message" and returns -1. */
int		 db_fail(struct store *, const char *what, char **cause);
/* The same with a message of our own instead of sqlite's. */
int		 db_failx(struct store *, char **cause, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* Runs SQL without results (schema, pragmas); -1 and *cause on error. */
int		 db_exec(struct store *, const char *sql, char **cause);

/*
 * Step st and db_done() it, whatever the outcome; what names it in *cause.
 * db_step_done: a statement without rows, 0 or -1.  db_step_int64: the
 * first column of its first row into *v; 0, 1 if there is no row or the
 * value is NULL, -1 on error.  db_step_each: row(st, arg) for every row
 * until it returns non-zero (not an error); 0 or -1.
 */
int		 db_step_done(struct store *, sqlite3_stmt *, const char *what,
		    char **cause);
int		 db_step_int64(struct store *, sqlite3_stmt *, const char *what,
		    int64_t *v, char **cause);
int		 db_step_each(struct store *, sqlite3_stmt *, const char *what,
		    int (*row)(sqlite3_stmt *, void *), void *arg,
		    char **cause);

/* Bind a string or NULL; an integer, or NULL when it is zero. */
int		 db_bind_text(sqlite3_stmt *, int, const char *);
int		 db_bind_id(sqlite3_stmt *, int, int64_t);
/* A copy of a text column, NULL for SQL NULL. */
char		*db_column_strdup(sqlite3_stmt *, int);

/*
 * A write of several statements that is atomic on its own: a transaction
 * when the caller holds none, a savepoint inside the caller's.  op_end
 * commits (ok != 0) or undoes everything since op_begin.
 */
struct db_op {
	int	outer;		/* the caller's transaction was open */
};
int		 db_op_begin(struct store *, struct db_op *, char **cause);
int		 db_op_end(struct store *, struct db_op *, int ok, char **cause);

/* schema.c: brings the schema up to date (read-write) or checks it. */
int		 schema_upgrade(struct store *, char **cause);
int		 schema_verify(struct store *, char **cause);

/*
 * blob.c: store bytes and return the blob's row id (dedup by SHA-256);
 * find a blob id by digest (1 if unknown); load and verify a blob by id.
 */
int		 blob_put_id(struct store *, const void *, size_t,
		    char digest[65], int64_t *id, char **cause);
int		 blob_find(struct store *, const char *digest, int64_t *id,
		    char **cause);
int		 blob_load(struct store *, int64_t id, char **data, size_t *len,
		    char **cause);

/*
 * source.c: the integer id of a source name, created if absent (captures,
 * reports and events refer to sources by this id).
 */
int		 source_intern(struct store *, const char *name, int64_t *id,
		    char **cause);

#endif
