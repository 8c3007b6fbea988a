/*
 * The schema and its migrations.  PRAGMA user_version holds how many
 * migrations a database has had; opening read-write applies the missing
 * ones in one transaction, so a crash mid-way leaves the old schema.  A
 * database from a newer build is refused rather than written with
 * assumptions it does not meet.  Never edit a migration once released:
 * append a new one.
 *
 * Space matters most in captures: an unchanged re-check is one captures
 * row that refers to its URL, source and blob by integer and leaves every
 * text column NULL (see capture.c), about 60 bytes with its index entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"

/* "nbao": tells a nianbao database from any other SQLite file. */
#define SCHEMA_APPLICATION_ID	0x6e62616f

static const char *schema_migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE sources ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"		/* the catalog's source id */
	"  has_state INTEGER NOT NULL DEFAULT 0," /* store_source_put seen */
	"  last_check INTEGER NOT NULL DEFAULT 0,"
	"  last_ok INTEGER NOT NULL DEFAULT 0,"
	"  next_due INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  failing INTEGER NOT NULL DEFAULT 0,"
	"  checks INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE blobs ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 BLOB NOT NULL UNIQUE,"	/* 32 bytes */
	"  size INTEGER NOT NULL,"		/* raw bytes */
	"  stored INTEGER NOT NULL,"		/* bytes in data */
	"  codec INTEGER NOT NULL,"		/* 0 raw, 1 zstd */
	"  data BLOB NOT NULL"
	");"
	"CREATE TABLE urls ("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL UNIQUE,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  blob_id INTEGER REFERENCES blobs(id),"
	"  last_fetched INTEGER NOT NULL DEFAULT 0,"
	"  last_status INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE captures ("
	"  id INTEGER PRIMARY KEY,"
	"  url_id INTEGER NOT NULL REFERENCES urls(id),"
	"  source_id INTEGER REFERENCES sources(id),"
	"  kind,"			/* 1 listing 2 report 3 attachment 4 robots, or text */
	"  fetched_at INTEGER NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  error TEXT,"
	"  cause TEXT,"
	"  final_url TEXT,"
	"  content_type TEXT,"		/* NULL on revisits: see the URL's last */
	"  etag TEXT,"			/* NULL on revisits when unchanged */
	"  last_modified TEXT,"
	"  headers TEXT,"
	"  blob_id INTEGER REFERENCES blobs(id),"
	"  size INTEGER,"
	"  wire_bytes INTEGER,"
	"  total_ms INTEGER,"
	"  revisit INTEGER NOT NULL"
	");"
	"CREATE INDEX captures_url ON captures(url_id, fetched_at);"
	"CREATE TABLE reports ("
	"  id INTEGER PRIMARY KEY,"
	"  source_id INTEGER NOT NULL REFERENCES sources(id),"
	"  year INTEGER NOT NULL,"
	"  agency TEXT NOT NULL DEFAULT '',"
	"  url TEXT,"
	"  title TEXT,"
	"  first_seen INTEGER NOT NULL DEFAULT 0,"
	"  last_seen INTEGER NOT NULL DEFAULT 0,"
	"  absent INTEGER NOT NULL DEFAULT 0,"
	"  removed INTEGER NOT NULL DEFAULT 0,"
	"  versions INTEGER NOT NULL DEFAULT 0,"
	"  digest TEXT,"
	"  UNIQUE (source_id, agency, year)"
	");"
	"CREATE TABLE versions ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  number INTEGER NOT NULL,"
	"  capture_id INTEGER REFERENCES captures(id),"
	"  digest TEXT NOT NULL,"		/* content digest */
	"  record_blob INTEGER NOT NULL REFERENCES blobs(id)," /* JSON */
	"  seen_at INTEGER NOT NULL,"
	"  PRIMARY KEY (report_id, number)"
	") WITHOUT ROWID;"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  type TEXT NOT NULL,"
	"  source_id INTEGER REFERENCES sources(id),"
	"  report_id INTEGER REFERENCES reports(id),"
	"  key TEXT NOT NULL UNIQUE,"
	"  payload TEXT,"
	"  created INTEGER NOT NULL"
	");",
	/*
	 * 2: data derived from a blob and cached under a key, e.g. the links
	 * of a listing page, so an unchanged page is not parsed again.
	 */
	"CREATE TABLE derived ("
	"  key TEXT PRIMARY KEY,"
	"  blob_id INTEGER NOT NULL REFERENCES blobs(id)"
	") WITHOUT ROWID;",
	/*
	 * 3: the failing findings of each version, so that `nianbao
	 * reports` and `findings` need not decompress every record.
	 * versions.failing counts those of error or warning severity; it
	 * stays NULL for versions stored before, whose findings are read
	 * from their record JSON (no backfill: SQL cannot read the blobs).
	 */
	"ALTER TABLE versions ADD COLUMN failing INTEGER;"
	"CREATE TABLE findings ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  number INTEGER NOT NULL,"		/* the version */
	"  seq INTEGER NOT NULL,"		/* order in the record */
	"  rule TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  cells TEXT,"				/* comma-separated keys */
	"  message TEXT,"
	"  PRIMARY KEY (report_id, number, seq)"
	") WITHOUT ROWID;"
	"CREATE INDEX findings_rule ON findings(rule);",
	/*
	 * The report calendar (daemon/calendar.h, store/calendar.c): per
	 * source and reporting year the status last computed and which
	 * events were sent for it, so a restart never repeats one; and when
	 * each source's first check ended (a report found then and dated
	 * only by "first seen" is not late).
	 */
	"CREATE TABLE calendar ("
	"  source_id INTEGER NOT NULL REFERENCES sources(id),"
	"  year INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  deadline TEXT NOT NULL,"		/* YYYY-MM-DD */
	"  report_id INTEGER REFERENCES reports(id),"
	"  published TEXT,"
	"  published_from TEXT,"
	"  missing_sent INTEGER NOT NULL DEFAULT 0,"
	"  reminded INTEGER NOT NULL DEFAULT 0,"
	"  updated INTEGER NOT NULL,"
	"  PRIMARY KEY (source_id, year)"
	") WITHOUT ROWID;"
	"CREATE TABLE calendar_sources ("
	"  source_id INTEGER PRIMARY KEY REFERENCES sources(id),"
	"  first_check INTEGER NOT NULL"
	");",
	/*
	 * The notification outbox (outbox.c, notify/dispatch.c): one row
	 * per event and channel with its delivery state, and per channel
	 * the last event id considered, so that a restart resumes where
	 * delivery stopped and never enqueues an event twice.
	 */
	"CREATE TABLE deliveries ("
	"  id INTEGER PRIMARY KEY,"
	"  event_id INTEGER NOT NULL REFERENCES events(id),"
	"  channel TEXT NOT NULL,"
	"  state INTEGER NOT NULL DEFAULT 0,"	/* 0 pending 1 delivered 2 failed 3 given up */
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_try INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  created INTEGER NOT NULL,"
	"  since INTEGER NOT NULL,"		/* start of the give-up window */
	"  updated INTEGER NOT NULL,"
	"  delivered_at INTEGER,"
	"  digest TEXT,"			/* digest key when sent in one */
	"  UNIQUE (channel, event_id)"
	");"
	"CREATE INDEX deliveries_due ON deliveries(channel, state, next_try);"
	"CREATE TABLE outbox_cursors ("
	"  channel TEXT PRIMARY KEY,"
	"  last_event INTEGER NOT NULL"
	") WITHOUT ROWID;",
	/*
	 * What `nianbao export` prints of each version, written with the
	 * version (report.c), so that an export reads one small row per
	 * report instead of decompressing and parsing its record JSON.
	 * flat_layouts holds each distinct list of cell keys once (the
	 * dotted paths of the objects under t2, t3 and t4, '\n'-separated);
	 * version_flat the meta fields export prints and the cells in that
	 * order, packed (report.c report_flat_pack).  Versions stored before
	 * have no row and are exported from their record (no backfill: SQL
	 * cannot read the blobs).
	 */
	"CREATE TABLE flat_layouts ("
	"  id INTEGER PRIMARY KEY,"
	"  keys TEXT NOT NULL UNIQUE"
	");"
	"CREATE TABLE version_flat ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  number INTEGER NOT NULL,"		/* the version */
	"  layout_id INTEGER NOT NULL REFERENCES flat_layouts(id),"
	"  region TEXT,"			/* meta.*, NULL when null */
	"  level TEXT,"
	"  published TEXT,"
	"  format TEXT,"
	"  cells BLOB NOT NULL,"
	"  PRIMARY KEY (report_id, number)"
	");",
	/*
	 * The calendar sweep's cache of each report's published date: how
	 * many versions the report had when the row's published and
	 * published_from were read from its latest record (0: unknown, read
	 * it), so the daily sweep decompresses a record only when a version
	 * was added since (daemon/calendar.c calendar_read).
	 */
	"ALTER TABLE calendar ADD COLUMN versions INTEGER NOT NULL DEFAULT 0;",
};
#define SCHEMA_VERSION \
	((int)(sizeof schema_migrations / sizeof schema_migrations[0]))

int
store_schema_version(void)
{
	return SCHEMA_VERSION;
}

static int
schema_pragma_int(struct store *s, const char *sql, int *v, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, sql, cause);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		db_fail(s, sql, cause);
		sqlite3_finalize(st);
		return -1;
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Refuses a database that is not ours or is newer than this build. */
static int
schema_check_version(struct store *s, int version, char **cause)
{
	int app;

	if (schema_pragma_int(s, "PRAGMA application_id", &app, cause) != 0)
		return -1;
	if (app != 0 && app != SCHEMA_APPLICATION_ID)
		return db_failx(s, cause, "not a nianbao database "
		    "(application_id %d)", app);
	if (version > SCHEMA_VERSION)
		return db_failx(s, cause, "schema version %d is newer than "
		    "this build knows (%d); use a newer nianbao", version,
		    SCHEMA_VERSION);
	if (version < 0)
		return db_failx(s, cause, "bad schema version %d", version);
	return 0;
}

int
schema_upgrade(struct store *s, char **cause)
{
	char sql[64];
	int version, v;

	/* Up to date, the usual case: no need for the write lock. */
	if (schema_pragma_int(s, "PRAGMA user_version", &version, cause) != 0)
		return -1;
	if (version == SCHEMA_VERSION)
		return schema_check_version(s, version, cause);

	/*
	 * Read the version again inside the write transaction: two
	 * processes opening a fresh file at once must not both migrate it.
	 */
	if (db_exec(s, "BEGIN IMMEDIATE", cause) != 0)
		return -1;
	if (schema_pragma_int(s, "PRAGMA user_version", &version, cause) != 0)
		goto fail;
	if (schema_check_version(s, version, cause) != 0)
		goto fail;
	if (version == SCHEMA_VERSION) {
		db_exec(s, "COMMIT", NULL);
		return 0;
	}
	for (v = version; v < SCHEMA_VERSION; v++) {
		if (db_exec(s, schema_migrations[v], cause) != 0)
			goto fail;
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SCHEMA_VERSION);
	if (db_exec(s, sql, cause) != 0)
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
	    SCHEMA_APPLICATION_ID);
	if (db_exec(s, sql, cause) != 0)
		goto fail;
	if (db_exec(s, "COMMIT", cause) != 0)
		goto fail;
	return 0;

fail:
	if (!sqlite3_get_autocommit(s->db))
		db_exec(s, "ROLLBACK", NULL);
	return -1;
}

int
schema_verify(struct store *s, char **cause)
{
	int version;

	if (schema_pragma_int(s, "PRAGMA user_version", &version, cause) != 0)
		return -1;
	if (schema_check_version(s, version, cause) != 0)
		return -1;
	if (version == 0)
		return db_failx(s, cause, "not a nianbao database (no schema)");
	if (version < SCHEMA_VERSION)
		return db_failx(s, cause, "schema version %d is older than "
		    "this build's (%d); open it once read-write (nianbaod) to "
		    "migrate", version, SCHEMA_VERSION);
	return 0;
}
