/*
 * Opening and closing the store, transactions, the integrity check and the
 * small SQLite helpers the other store/ files share (db.h).  The database
 * runs in WAL mode with synchronous=NORMAL: a crash may lose the last
 * committed batch but never corrupts the file, and a read-only process
 * (the CLI) reads while nianbaod writes.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "store.h"
#include "xmalloc.h"

/* How long a writer waits for another one before giving up, in ms. */
#define DB_BUSY_TIMEOUT	5000

sqlite3_stmt *
db_stmt(struct store *s, enum db_slot slot, const char *sql, char **cause)
{
	if (s->stmt[slot] != NULL && sqlite3_stmt_busy(s->stmt[slot])) {
		db_failx(s, cause, "statement in use: %s", sql);
		return NULL;
	}
	if (s->stmt[slot] == NULL &&
	    sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->stmt[slot], NULL) != SQLITE_OK) {
		db_fail(s, "prepare", cause);
		s->stmt[slot] = NULL;
		return NULL;
	}
	return s->stmt[slot];
}

void
db_done(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int
db_fail(struct store *s, const char *what, char **cause)
{
	if (cause != NULL)
		xasprintf(cause, "%s: %s: %s", s->path, what,
		    sqlite3_errmsg(s->db));
	return -1;
}

int
db_failx(struct store *s, char **cause, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (cause == NULL)
		return -1;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(cause, "%s: %s", s->path, msg);
	free(msg);
	return -1;
}

int
db_exec(struct store *s, const char *sql, char **cause)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		db_failx(s, cause, "%s", err != NULL ? err :
		    sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
db_step_done(struct store *s, sqlite3_stmt *st, const char *what,
    char **cause)
{
	int rc = 0;

	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, what, cause);
	db_done(st);
	return rc;
}

int
db_step_int64(struct store *s, sqlite3_stmt *st, const char *what,
    int64_t *v, char **cause)
{
	int rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*v = sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, what, cause);
	db_done(st);
	return rc;
}

int
db_step_each(struct store *s, sqlite3_stmt *st, const char *what,
    int (*row)(sqlite3_stmt *, void *), void *arg, char **cause)
{
	int rc;

	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		if (row(st, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		db_fail(s, what, cause);
		db_done(st);
		return -1;
	}
	db_done(st);
	return 0;
}

int
db_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

int
db_bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == 0)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_int64(st, i, v);
}

char *
db_column_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *p;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_text(st, i);
	return xstrdup(p != NULL ? (const char *)p : "");
}

/* Runs one of the cached statements that take no parameters. */
static int
db_run(struct store *s, enum db_slot slot, const char *sql, char **cause)
{
	sqlite3_stmt *st;
	int rc = 0;

	st = db_stmt(s, slot, sql, cause);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, sql, cause);
	sqlite3_reset(st);
	return rc;
}

int
db_op_begin(struct store *s, struct db_op *op, char **cause)
{
	op->outer = !sqlite3_get_autocommit(s->db);
	/*
	 * Outside a transaction, take the write lock at once (IMMEDIATE):
	 * a deferred transaction that reads first and writes later fails
	 * with SQLITE_BUSY without waiting when another process wrote in
	 * between.  These run once per capture: cached, not re-parsed.
	 */
	if (op->outer)
		return db_run(s, DB_OP_SAVEPOINT, "SAVEPOINT store_op", cause);
	return db_run(s, DB_OP_BEGIN, "BEGIN IMMEDIATE", cause);
}

int
db_op_end(struct store *s, struct db_op *op, int ok, char **cause)
{
	if (op->outer) {
		if (ok)
			return db_run(s, DB_OP_RELEASE, "RELEASE store_op",
			    cause);
		/* The caller's transaction may be gone already (SQLITE_FULL). */
		if (!sqlite3_get_autocommit(s->db))
			db_exec(s, "ROLLBACK TO store_op; RELEASE store_op",
			    NULL);
		return 0;
	}
	if (ok) {
		if (db_run(s, DB_OP_COMMIT, "COMMIT", cause) == 0)
			return 0;
	}
	if (!sqlite3_get_autocommit(s->db))
		db_exec(s, "ROLLBACK", NULL);
	return ok ? -1 : 0;
}

/* mkdir -p of the directory holding path. */
static int
db_mkdir_parent(const char *path, char **cause)
{
	char *dir, *p;
	int rc = -1;

	dir = xstrdup(path);
	p = strrchr(dir, '/');
	if (p == NULL || p == dir) {
		rc = 0;
		goto out;
	}
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		{
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
				xasprintf(cause, "%s: mkdir %s: %s", path, dir,
				    strerror(errno));
				goto out;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	rc = 0;
out:
	free(dir);
	return rc;
}

static int
db_pragmas(struct store *s, char **cause)
{
	sqlite3_busy_timeout(s->db, DB_BUSY_TIMEOUT);
	if (s->flags & STORE_RDONLY)
		return db_exec(s, "PRAGMA query_only = ON;", cause);
	/*
	 * journal_mode answers "memory" for ":memory:", which is fine: the
	 * mode only matters for files.
	 */
	/*
	 * A 32 MiB page cache (SQLite's default is 2 MiB) keeps the indexes
	 * the capture path walks (urls, blobs, sources) in memory for a
	 * catalog of 100,000 sources.
	 */
	return db_exec(s, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA cache_size = -32768;", cause);
}

struct store *
store_open(const char *path, int flags, char **cause)
{
	struct store *s;
	char *ignored = NULL;
	int oflags, memory;

	/* A caller that does not want the reason may pass NULL. */
	if (cause == NULL)
		cause = &ignored;

	memory = strcmp(path, ":memory:") == 0;
	if ((flags & STORE_RDONLY) && (flags & STORE_CREATE)) {
		xasprintf(cause, "%s: cannot create a read-only store", path);
		free(ignored);
		return NULL;
	}
	if ((flags & STORE_CREATE) && !memory &&
	    db_mkdir_parent(path, cause) != 0) {
		free(ignored);
		return NULL;
	}

	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->flags = flags;
	if (flags & STORE_RDONLY)
		oflags = SQLITE_OPEN_READONLY;
	else {
		oflags = SQLITE_OPEN_READWRITE;
		if ((flags & STORE_CREATE) || memory)
			oflags |= SQLITE_OPEN_CREATE;
	}
	oflags |= SQLITE_OPEN_NOMUTEX;	/* one thread per store */
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		if (s->db == NULL)
			xasprintf(cause, "%s: cannot open: out of memory",
			    path);
		else if (!memory && access(path, F_OK) != 0 && errno == ENOENT)
			xasprintf(cause, "%s: no such database", path);
		else
			db_fail(s, "cannot open", cause);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (db_pragmas(s, cause) != 0)
		goto fail;
	if (flags & STORE_RDONLY) {
		if (schema_verify(s, cause) != 0)
			goto fail;
	} else {
		if (schema_upgrade(s, cause) != 0)
			goto fail;
	}
	return s;

fail:
	store_close(s);
	free(ignored);
	return NULL;
}

void
store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < DB_NSLOTS; i++)
		sqlite3_finalize(s->stmt[i]);
	/* An open transaction is rolled back by sqlite3_close. */
	sqlite3_close(s->db);
	ZSTD_freeCCtx(s->cctx);
	ZSTD_freeDCtx(s->dctx);
	free(s->path);
	free(s);
}

int
store_begin(struct store *s, char **cause)
{
	if (store_in_tx(s))
		return db_failx(s, cause, "transaction already open");
	return db_exec(s, "BEGIN IMMEDIATE", cause);
}

int
store_commit(struct store *s, char **cause)
{
	if (!store_in_tx(s))
		return db_failx(s, cause, "commit without a transaction");
	if (db_exec(s, "COMMIT", cause) != 0) {
		/* A failed COMMIT may leave the transaction open. */
		store_rollback(s);
		return -1;
	}
	return 0;
}

int
store_rollback(struct store *s)
{
	if (!store_in_tx(s))
		return 0;
	return db_exec(s, "ROLLBACK", NULL);
}

int
store_in_tx(const struct store *s)
{
	return !sqlite3_get_autocommit(s->db);
}

/* Appends the problems a checking pragma reports (not "ok") to *msgs. */
static int
db_check_pragma(struct store *s, const char *sql, char **msgs, char **cause)
{
	sqlite3_stmt *st;
	char *m;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, sql, cause);
	for (;;) {
		const char *row;

		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		if (sqlite3_column_count(st) == 1) {
			row = (const char *)sqlite3_column_text(st, 0);
			if (row != NULL && strcmp(row, "ok") == 0)
				continue;
			xasprintf(&m, "%s%s%s", *msgs ? *msgs : "",
			    *msgs ? "; " : "", row ? row : "?");
		} else {
			/* foreign_key_check: table, rowid, parent, fkid */
			xasprintf(&m, "%s%sforeign key: %s row %lld -> %s",
			    *msgs ? *msgs : "", *msgs ? "; " : "",
			    sqlite3_column_text(st, 0),
			    (long long)sqlite3_column_int64(st, 1),
			    sqlite3_column_text(st, 2));
		}
		free(*msgs);
		*msgs = m;
	}
	if (rc != SQLITE_DONE) {
		db_fail(s, sql, cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int
store_check(struct store *s, char **cause)
{
	char *msgs = NULL;

	if (db_check_pragma(s, "PRAGMA integrity_check(20)", &msgs,
	    cause) != 0)
		goto fail;
	if (db_check_pragma(s, "PRAGMA foreign_key_check", &msgs,
	    cause) != 0)
		goto fail;
	if (msgs != NULL) {
		db_failx(s, cause, "integrity check: %s", msgs);
		goto fail;
	}
	return 0;
fail:
	free(msgs);
	return -1;
}

int
store_checkpoint(struct store *s, char **cause)
{
	if (s->flags & STORE_RDONLY)
		return 0;
	return db_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", cause);
}
