/*
 * The events outbox.  Events are appended in the transaction that writes
 * the data they describe, so a crash keeps both or neither; each carries
 * an idempotency key, and appending a key that exists already is a no-op,
 * so work redone after a restart never raises an event twice.  Delivery
 * (notify/) reads the outbox in id order.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "xmalloc.h"

/* The id of the event with this key: 0, 1 if none, -1 on error. */
static int
event_find(struct store *s, const char *key, int64_t *id, char **cause)
{
	sqlite3_stmt *st;

	st = db_stmt(s, DB_EVENT_FIND, "SELECT id FROM events WHERE key = ?",
	    cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	return db_step_int64(s, st, "find event", id, cause);
}

int
store_event_add(struct store *s, struct store_event *e, char **cause)
{
	sqlite3_stmt *st;
	int64_t source_id = 0;
	int rc;

	if (e->type == NULL || e->key == NULL || *e->key == '\0')
		return db_failx(s, cause, "event without a type or key");
	/* Keys repeat only after a restart: look before interning. */
	rc = event_find(s, e->key, &e->id, cause);
	if (rc != 1)
		return rc == 0 ? 1 : -1;
	if (e->source_id != NULL &&
	    source_intern(s, e->source_id, &source_id, cause) != 0)
		return -1;

	st = db_stmt(s, DB_EVENT_ADD, "INSERT INTO events (type, source_id, "
	    "report_id, key, payload, created) VALUES (?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (key) DO NOTHING", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, e->type);
	db_bind_id(st, 2, source_id);
	db_bind_id(st, 3, e->report_id);
	db_bind_text(st, 4, e->key);
	db_bind_text(st, 5, e->payload);
	sqlite3_bind_int64(st, 6, e->created);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, "add event", cause);
	else if (sqlite3_changes(s->db) == 0)
		rc = 1;		/* cannot happen after event_find; harmless */
	else {
		e->id = sqlite3_last_insert_rowid(s->db);
		rc = 0;
	}
	db_done(st);
	return rc;
}

int
store_events_each(struct store *s, int64_t since, int limit,
    int (*cb)(const struct store_event *, void *), void *arg, char **cause)
{
	struct store_event e;
	sqlite3_stmt *st;
	int rc, stop = 0;

	/* Not cached: the callback may use the store (see sources_each). */
	if (sqlite3_prepare_v2(s->db, "SELECT e.id, e.type, s.name, "
	    "e.report_id, e.key, e.payload, e.created FROM events e "
	    "LEFT JOIN sources s ON s.id = e.source_id WHERE e.id > ? "
	    "ORDER BY e.id LIMIT ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "list events", cause);
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		memset(&e, 0, sizeof e);
		e.id = sqlite3_column_int64(st, 0);
		e.type = (const char *)sqlite3_column_text(st, 1);
		e.source_id = (const char *)sqlite3_column_text(st, 2);
		e.report_id = sqlite3_column_int64(st, 3);
		e.key = (const char *)sqlite3_column_text(st, 4);
		e.payload = (const char *)sqlite3_column_text(st, 5);
		e.created = sqlite3_column_int64(st, 6);
		/* The strings are sqlite's, valid until the next step. */
		stop = cb(&e, arg);
		if (stop)
			break;
	}
	if (!stop && rc != SQLITE_DONE) {
		db_fail(s, "list events", cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}
