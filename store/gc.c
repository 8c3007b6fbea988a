/*
 * Retention: pruning old revisit captures and reclaiming blobs nothing
 * refers to (`nianbao gc`, and nianbaod's daily prune).
 *
 * Versions and the captures they came from are the evidence and are never
 * touched.  A revisit row (an unchanged re-check) is pruned only when it is
 * none of: a version's capture, the latest capture of its URL (the state
 * the next fetch compares with), or the newest capture of a version's page
 * before the next version's capture (what `nianbao history` shows as the
 * version's last-seen time).  A revisit refers to the blob its URL had,
 * which a full capture holds too, so pruning alone frees no blob; store_gc
 * does that for every table that refers to blobs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"

/*
 * The revisit captures that may go: fetched before ?1, at most ?2 of them
 * (-1: all).  The NOT IN lists are uncorrelated, so SQLite builds each
 * once per statement.
 */
#define GC_PRUNABLE \
	"SELECT c.id FROM captures c WHERE c.revisit = 1 AND " \
	"  c.fetched_at < ?1 AND " \
	"  c.id NOT IN (SELECT capture_id FROM versions " \
	"    WHERE capture_id IS NOT NULL) AND " \
	"  c.id NOT IN (SELECT max(id) FROM captures GROUP BY url_id) AND " \
	"  c.id NOT IN (SELECT (SELECT c2.id FROM captures c1 " \
	"      JOIN captures c2 ON c2.url_id = c1.url_id " \
	"      WHERE c1.id = v.capture_id AND c2.fetched_at < " \
	"      coalesce((SELECT fetched_at FROM captures WHERE " \
	"      id = n.capture_id), n.seen_at) " \
	"      ORDER BY c2.fetched_at DESC, c2.id DESC LIMIT 1) " \
	"    FROM versions v JOIN versions n ON n.report_id = v.report_id " \
	"    AND n.number = v.number + 1 WHERE v.capture_id IS NOT NULL) " \
	"  LIMIT ?2"

/* Blobs no row refers to. */
#define GC_UNREFERENCED \
	"FROM blobs WHERE id NOT IN (" \
	"  SELECT blob_id FROM captures WHERE blob_id IS NOT NULL " \
	"  UNION SELECT blob_id FROM urls WHERE blob_id IS NOT NULL " \
	"  UNION SELECT record_blob FROM versions " \
	"  UNION SELECT blob_id FROM derived)"

/* Runs a one-off statement; the count of changed rows in *changes. */
static int
gc_run(struct store *s, const char *sql, int64_t before, int64_t limit,
    int64_t *changes, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "gc", cause);
	if (sqlite3_bind_parameter_count(st) >= 2) {
		sqlite3_bind_int64(st, 1, before);
		sqlite3_bind_int64(st, 2, limit);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, "gc", cause);
	if (changes != NULL)
		*changes = sqlite3_changes64(s->db);
	return 0;
}

/* The two integers of a one-row query. */
static int
gc_query2(struct store *s, const char *sql, int64_t *a, int64_t *b,
    char **cause)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "gc", cause);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*a = sqlite3_column_int64(st, 0);
		*b = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(s, "gc", cause);
	return 0;
}

int
store_prune_revisits(struct store *s, int64_t before, int64_t limit,
    int64_t *pruned, char **cause)
{
	struct db_op op;
	int rc;

	*pruned = 0;
	if (s->flags & STORE_RDONLY)
		return db_failx(s, cause, "prune: the store is read-only");
	if (db_op_begin(s, &op, cause) != 0)
		return -1;
	rc = gc_run(s, "DELETE FROM captures WHERE id IN (" GC_PRUNABLE ")",
	    before, limit > 0 ? limit : -1, pruned, cause);
	if (db_op_end(s, &op, rc == 0, rc == 0 ? cause : NULL) != 0)
		return -1;
	return rc;
}

int
store_gc(struct store *s, int64_t *blobs, int64_t *bytes, char **cause)
{
	struct db_op op;
	int rc;

	*blobs = *bytes = 0;
	if (s->flags & STORE_RDONLY)
		return db_failx(s, cause, "gc: the store is read-only");
	if (db_op_begin(s, &op, cause) != 0)
		return -1;
	rc = gc_query2(s, "SELECT count(*), coalesce(sum(stored), 0) "
	    GC_UNREFERENCED, blobs, bytes, cause);
	if (rc == 0)
		rc = gc_run(s, "DELETE " GC_UNREFERENCED, 0, 0, NULL, cause);
	if (db_op_end(s, &op, rc == 0, rc == 0 ? cause : NULL) != 0)
		return -1;
	return rc;
}

int
store_file_bytes(struct store *s, int64_t *bytes, int64_t *free_bytes,
    char **cause)
{
	int64_t total, freel;

	if (gc_query2(s, "SELECT p.page_count * s.page_size, "
	    "f.freelist_count * s.page_size FROM pragma_page_count() p, "
	    "pragma_page_size() s, pragma_freelist_count() f", &total, &freel,
	    cause) != 0)
		return -1;
	*bytes = total;
	if (free_bytes != NULL)
		*free_bytes = freel;
	return 0;
}

int
store_vacuum(struct store *s, char **cause)
{
	if (s->flags & STORE_RDONLY)
		return db_failx(s, cause, "vacuum: the store is read-only");
	if (store_in_tx(s))
		return db_failx(s, cause, "vacuum: inside a transaction");
	if (db_exec(s, "VACUUM", cause) != 0)
		return -1;
	/* the shrunken file is written back from the WAL */
	return store_checkpoint(s, cause);
}
