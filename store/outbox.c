/*
 * The notification outbox: which event goes to which channel, and how
 * its delivery went.  The dispatcher (notify/dispatch.c) enqueues the
 * events after each channel's cursor that match its filter, sends the
 * due ones and records the outcome here; a restart finds every pending
 * delivery where it was left.  A delivery in flight when the process
 * died is simply due again and sent again with the same idempotency key
 * (the event's, or the digest key recorded before the digest was sent).
 *
 * The statements are not in the cache of db.c: they run a few times a
 * second at most, and the slots are shared with other files.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "xmalloc.h"

static const char *outbox_states[] = { "pending", "delivered", "failed",
    "given_up" };

const char *
store_delivery_state_name(int state)
{
	if (state < 0 || state > OUTBOX_GIVEN_UP)
		return "unknown";
	return outbox_states[state];
}

int
store_delivery_state_find(const char *name)
{
	int i;

	for (i = 0; i <= OUTBOX_GIVEN_UP; i++)
		if (strcmp(outbox_states[i], name) == 0)
			return i;
	return -1;
}

void
store_delivery_release(struct store_delivery *d)
{
	free(d->channel);
	free(d->last_error);
	free(d->digest);
	free(d->event_type);
	memset(d, 0, sizeof *d);
}

static sqlite3_stmt *
outbox_prepare(struct store *s, const char *sql, char **cause)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(s, "outbox: prepare", cause);
		return NULL;
	}
	return st;
}

/* Steps a statement without rows; finalizes it. */
static int
outbox_run(struct store *s, sqlite3_stmt *st, const char *what, char **cause)
{
	int rc = 0;

	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, what, cause);
	sqlite3_finalize(st);
	return rc;
}

int
store_events_last(struct store *s, int64_t *id, char **cause)
{
	sqlite3_stmt *st;
	int rc = 0;

	st = outbox_prepare(s, "SELECT coalesce(max(id), 0) FROM events",
	    cause);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		rc = db_fail(s, "last event", cause);
	sqlite3_finalize(st);
	return rc;
}

int
store_outbox_cursor(struct store *s, const char *channel, int64_t *last,
    char **cause)
{
	sqlite3_stmt *st;
	int rc;

	st = outbox_prepare(s, "SELECT last_event FROM outbox_cursors WHERE "
	    "channel = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*last = sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "outbox cursor", cause);
	sqlite3_finalize(st);
	return rc;
}

int
store_outbox_set_cursor(struct store *s, const char *channel, int64_t last,
    char **cause)
{
	sqlite3_stmt *st;

	st = outbox_prepare(s, "INSERT INTO outbox_cursors (channel, "
	    "last_event) VALUES (?, ?) ON CONFLICT (channel) DO UPDATE SET "
	    "last_event = excluded.last_event", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, last);
	return outbox_run(s, st, "set outbox cursor", cause);
}

struct outbox_enqueue {
	struct store	*s;
	const char	*channel;
	int64_t		 now;
	int		(*match)(const struct store_event *, void *);
	void		*arg;
	int64_t		 last;
	int		 added;
	int		 failed;
	char		**cause;
};

static int
outbox_enqueue_cb(const struct store_event *e, void *arg)
{
	struct outbox_enqueue *q = arg;
	sqlite3_stmt *st;

	q->last = e->id;
	if (q->match != NULL && !q->match(e, q->arg))
		return 0;
	st = outbox_prepare(q->s, "INSERT INTO deliveries (event_id, "
	    "channel, state, next_try, created, since, updated) VALUES "
	    "(?, ?, 0, ?, ?, ?, ?) ON CONFLICT (channel, event_id) DO "
	    "NOTHING", q->cause);
	if (st == NULL) {
		q->failed = 1;
		return 1;
	}
	sqlite3_bind_int64(st, 1, e->id);
	db_bind_text(st, 2, q->channel);
	sqlite3_bind_int64(st, 3, q->now);
	sqlite3_bind_int64(st, 4, q->now);
	sqlite3_bind_int64(st, 5, q->now);
	sqlite3_bind_int64(st, 6, q->now);
	if (outbox_run(q->s, st, "enqueue delivery", q->cause) != 0) {
		q->failed = 1;
		return 1;
	}
	q->added += sqlite3_changes(q->s->db);
	return 0;
}

int
store_outbox_enqueue(struct store *s, const char *channel, int from_start,
    int64_t now, int (*match)(const struct store_event *, void *), void *arg,
    int limit, int *added, char **cause)
{
	struct outbox_enqueue q;
	struct db_op op;
	int64_t cursor;
	int rc;

	*added = 0;
	if (db_op_begin(s, &op, cause) != 0)
		return -1;
	rc = store_outbox_cursor(s, channel, &cursor, cause);
	if (rc == 1) {
		/* a new channel: history is not news */
		cursor = 0;
		rc = from_start ? 0 : store_events_last(s, &cursor, cause);
		if (rc == 0)
			rc = store_outbox_set_cursor(s, channel, cursor, cause);
	}
	if (rc != 0)
		goto out;
	memset(&q, 0, sizeof q);
	q.s = s;
	q.channel = channel;
	q.now = now;
	q.match = match;
	q.arg = arg;
	q.last = cursor;
	q.cause = cause;
	rc = store_events_each(s, cursor, limit, outbox_enqueue_cb, &q, cause);
	if (rc == 0 && q.failed)
		rc = -1;
	if (rc == 0 && q.last != cursor)
		rc = store_outbox_set_cursor(s, channel, q.last, cause);
	if (rc == 0)
		*added = q.added;
out:
	if (db_op_end(s, &op, rc == 0, rc == 0 ? cause : NULL) != 0)
		rc = -1;
	return rc;
}

#define OUTBOX_COLUMNS "d.id, d.event_id, d.channel, d.state, d.attempts, " \
	"d.next_try, d.last_error, d.created, d.since, d.updated, " \
	"d.delivered_at, d.digest, e.type"

static void
outbox_row(sqlite3_stmt *st, struct store_delivery *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(st, 0);
	d->event_id = sqlite3_column_int64(st, 1);
	d->channel = db_column_strdup(st, 2);
	d->state = sqlite3_column_int(st, 3);
	d->attempts = sqlite3_column_int(st, 4);
	d->next_try = sqlite3_column_int64(st, 5);
	d->last_error = db_column_strdup(st, 6);
	d->created = sqlite3_column_int64(st, 7);
	d->since = sqlite3_column_int64(st, 8);
	d->updated = sqlite3_column_int64(st, 9);
	d->delivered_at = sqlite3_column_int64(st, 10);
	d->digest = db_column_strdup(st, 11);
	d->event_type = db_column_strdup(st, 12);
}

int
store_outbox_due(struct store *s, const char *channel, int64_t now, int limit,
    int (*cb)(const struct store_delivery *, const struct store_event *,
    void *), void *arg, char **cause)
{
	struct store_delivery d;
	struct store_event e;
	sqlite3_stmt *st;
	int rc, stop = 0;

	/* digests already formed come first, so they keep their key */
	st = outbox_prepare(s, "SELECT " OUTBOX_COLUMNS ", e.key, s.name, "
	    "e.payload, e.created, e.report_id FROM deliveries d JOIN events "
	    "e ON e.id = d.event_id LEFT JOIN sources s ON s.id = e.source_id "
	    "WHERE d.channel = ? AND d.state IN (0, 2) AND d.next_try <= ? "
	    "ORDER BY d.digest IS NULL, d.digest, d.event_id LIMIT ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		outbox_row(st, &d);
		memset(&e, 0, sizeof e);
		e.id = d.event_id;
		e.type = d.event_type;
		e.key = (const char *)sqlite3_column_text(st, 13);
		e.source_id = (const char *)sqlite3_column_text(st, 14);
		e.payload = (const char *)sqlite3_column_text(st, 15);
		e.created = sqlite3_column_int64(st, 16);
		e.report_id = sqlite3_column_int64(st, 17);
		stop = cb(&d, &e, arg);
		store_delivery_release(&d);
		if (stop)
			break;
	}
	if (!stop && rc != SQLITE_DONE) {
		db_fail(s, "due deliveries", cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int
store_outbox_next(struct store *s, const char *channel, int64_t *at,
    char **cause)
{
	sqlite3_stmt *st;
	int rc;

	st = outbox_prepare(s, "SELECT min(next_try) FROM deliveries WHERE "
	    "channel = ? AND state IN (0, 2)", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*at = sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_ROW)
		rc = 1;
	else
		rc = db_fail(s, "next delivery", cause);
	sqlite3_finalize(st);
	return rc;
}

int
store_delivery_digest(struct store *s, const int64_t *ids, size_t n,
    const char *digest, char **cause)
{
	struct db_op op;
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (db_op_begin(s, &op, cause) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		st = outbox_prepare(s, "UPDATE deliveries SET digest = ? "
		    "WHERE id = ?", cause);
		if (st == NULL) {
			rc = -1;
			break;
		}
		db_bind_text(st, 1, digest);
		sqlite3_bind_int64(st, 2, ids[i]);
		rc = outbox_run(s, st, "digest delivery", cause);
	}
	if (db_op_end(s, &op, rc == 0, rc == 0 ? cause : NULL) != 0)
		rc = -1;
	return rc;
}

int
store_delivery_done(struct store *s, int64_t id, int64_t now, char **cause)
{
	sqlite3_stmt *st;

	st = outbox_prepare(s, "UPDATE deliveries SET state = 1, attempts = "
	    "attempts + 1, updated = ?, delivered_at = ?, last_error = NULL "
	    "WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	return outbox_run(s, st, "delivery done", cause);
}

int
store_delivery_fail(struct store *s, int64_t id, int state, int64_t next_try,
    const char *error, int64_t now, char **cause)
{
	sqlite3_stmt *st;

	if (state != OUTBOX_FAILED && state != OUTBOX_GIVEN_UP)
		return db_failx(s, cause, "delivery %lld: bad state %d",
		    (long long)id, state);
	st = outbox_prepare(s, "UPDATE deliveries SET state = ?, attempts = "
	    "attempts + 1, next_try = ?, last_error = ?, updated = ? WHERE "
	    "id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, state);
	sqlite3_bind_int64(st, 2, next_try);
	db_bind_text(st, 3, error);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, id);
	return outbox_run(s, st, "delivery failed", cause);
}

int
store_outbox_list(struct store *s, const struct store_outbox_filter *f,
    int (*cb)(const struct store_delivery *, void *), void *arg, char **cause)
{
	struct store_delivery d;
	sqlite3_stmt *st;
	int rc, stop = 0;

	st = outbox_prepare(s, "SELECT " OUTBOX_COLUMNS " FROM deliveries d "
	    "JOIN events e ON e.id = d.event_id WHERE (?1 IS NULL OR "
	    "d.channel = ?1) AND (CASE WHEN ?2 THEN d.state IN (2, 3) WHEN ?3 "
	    "THEN 1 ELSE d.state <> 1 END) ORDER BY d.id DESC LIMIT ?4",
	    cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, f->channel);
	sqlite3_bind_int(st, 2, f->failed);
	sqlite3_bind_int(st, 3, f->all);
	sqlite3_bind_int(st, 4, f->limit > 0 ? f->limit : -1);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		outbox_row(st, &d);
		stop = cb(&d, arg);
		store_delivery_release(&d);
		if (stop)
			break;
	}
	if (!stop && rc != SQLITE_DONE) {
		db_fail(s, "list deliveries", cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int
store_delivery_retry(struct store *s, int64_t id, int64_t now, char **cause)
{
	sqlite3_stmt *st;
	int rc, state;

	st = outbox_prepare(s, "SELECT state FROM deliveries WHERE id = ?",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		db_fail(s, "find delivery", cause);
		sqlite3_finalize(st);
		return -1;
	}
	state = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (state == OUTBOX_DELIVERED)
		return 2;
	st = outbox_prepare(s, "UPDATE deliveries SET state = 0, next_try = "
	    "?, since = ?, updated = ? WHERE id = ? AND state <> 1", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, id);
	return outbox_run(s, st, "retry delivery", cause);
}

int
store_outbox_backlog(struct store *s, const char *channel, int64_t *n,
    char **cause)
{
	sqlite3_stmt *st;
	int rc = 0;

	st = outbox_prepare(s, "SELECT count(*) FROM deliveries WHERE "
	    "channel = ? AND state IN (0, 2)", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		rc = db_fail(s, "outbox backlog", cause);
	sqlite3_finalize(st);
	return rc;
}

int
store_outbox_sent(struct store *s, const char *channel, int64_t since,
    int limit, int (*cb)(int64_t, void *), void *arg, char **cause)
{
	sqlite3_stmt *st;
	int rc, stop = 0;

	/*
	 * A digest is one message whatever its size, so group by its key;
	 * a failed attempt reached the receiver too (it may count it).
	 */
	st = outbox_prepare(s, "SELECT max(CASE WHEN state = 1 THEN "
	    "delivered_at ELSE updated END) AS at FROM deliveries WHERE "
	    "channel = ?1 AND ((state = 1 AND delivered_at >= ?2) OR (state "
	    "IN (2, 3) AND attempts > 0 AND updated >= ?2)) GROUP BY "
	    "coalesce(digest, 'id:' || id) ORDER BY at LIMIT ?3", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		stop = cb(sqlite3_column_int64(st, 0), arg);
		if (stop)
			break;
	}
	if (!stop && rc != SQLITE_DONE) {
		db_fail(s, "sent deliveries", cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}
