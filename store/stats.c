/*
 * Counts for status lines, `nianbao status` and the benchmarks, and the
 * size of the database on disk: the pages of the main file plus the WAL,
 * which holds recent commits until a checkpoint copies them back.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "xmalloc.h"

int
store_stats(struct store *s, struct store_stats *out, char **cause)
{
	sqlite3_stmt *st;
	struct stat sb;
	char *wal;
	int rc;

	memset(out, 0, sizeof *out);
	st = db_stmt(s, DB_STATS, "SELECT "
	    "(SELECT count(*) FROM captures), "
	    "(SELECT count(*) FROM captures WHERE revisit), "
	    "(SELECT count(*) FROM blobs), "
	    "(SELECT coalesce(sum(size), 0) FROM blobs), "
	    "(SELECT coalesce(sum(stored), 0) FROM blobs), "
	    "(SELECT count(*) FROM reports), "
	    "(SELECT count(*) FROM versions), "
	    "(SELECT count(*) FROM events), "
	    "(SELECT page_count * page_size FROM pragma_page_count(), "
	    "    pragma_page_size())", cause);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->captures = sqlite3_column_int64(st, 0);
		out->revisits = sqlite3_column_int64(st, 1);
		out->blobs = sqlite3_column_int64(st, 2);
		out->blob_bytes = sqlite3_column_int64(st, 3);
		out->blob_stored = sqlite3_column_int64(st, 4);
		out->reports = sqlite3_column_int64(st, 5);
		out->versions = sqlite3_column_int64(st, 6);
		out->events = sqlite3_column_int64(st, 7);
		out->file_bytes = sqlite3_column_int64(st, 8);
		rc = 0;
	} else
		rc = db_fail(s, "stats", cause);
	db_done(st);
	if (rc != 0)
		return -1;

	if (strcmp(s->path, ":memory:") != 0) {
		xasprintf(&wal, "%s-wal", s->path);
		if (stat(wal, &sb) == 0)
			out->file_bytes += (int64_t)sb.st_size;
		free(wal);
	}
	return 0;
}
