/*
 * The notification outbox: which event goes to which channel, and how
 * its delivery went.  The dispatcher (notify/dispatch.c) enqueues the
 * events after each channel's cursor that match its filter, sends the
 * due ones and records the outcome here; a restart finds every pending
 * delivery where it was left.  A delivery in flight when the process
 * died is simply due again and sent again with the same idempotency key
 * (the event's, or the digest key recorded before the digest was sent).
 *
 * The statements are cached in db.c's slots: the dispatcher runs them
 * every tick of every channel.
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

int
store_events_last(struct store *s, int64_t *id, char **cause)
{
	sqlite3_stmt *st;

	*id = 0;
	st = db_stmt(s, DB_OUTBOX_LAST_EVENT, "SELECT max(id) FROM events",
	    cause);
	if (st == NULL)
		return -1;
	/* no events: 0 */
	return db_step_int64(s, st, "last event", id, cause) == -1 ? -1 : 0;
}

int
store_outbox_cursor(struct store *s, const char *channel, int64_t *last,
    char **cause)
{
	sqlite3_stmt *st;

	st = db_stmt(s, DB_OUTBOX_CURSOR, "SELECT last_event FROM "
	    "outbox_cursors WHERE channel = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	return db_step_int64(s, st, "outbox cursor", last, cause);
}

int
store_outbox_set_cursor(struct store *s, const char *channel, int64_t last,
    char **cause)
{
	sqlite3_stmt *st;

	st = db_stmt(s, DB_OUTBOX_SET_CURSOR, "INSERT INTO outbox_cursors "
	    "(channel, last_event) VALUES (?, ?) ON CONFLICT (channel) DO "
	    "UPDATE SET last_event = excluded.last_event", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, last);
	return db_step_done(s, st, "set outbox cursor", cause);
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
	st = db_stmt(q->s, DB_OUTBOX_ENQUEUE, "INSERT INTO deliveries "
	    "(event_id, channel, state, next_try, created, since, updated) "
	    "VALUES (?1, ?2, 0, ?3, ?3, ?3, ?3) ON CONFLICT (channel, "
	    "event_id) DO NOTHING", q->cause);
	if (st == NULL) {
		q->failed = 1;
		return 1;
	}
	sqlite3_bind_int64(st, 1, e->id);
	db_bind_text(st, 2, q->channel);
	sqlite3_bind_int64(st, 3, q->now);
	if (db_step_done(q->s, st, "enqueue delivery", q->cause) != 0) {
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

/* The caller's callback and its argument, for the row callbacks. */
struct outbox_each {
	int	(*due)(const struct store_delivery *,
		    const struct store_event *, void *);
	int	(*list)(const struct store_delivery *, void *);
	int	(*sent)(int64_t, void *);
	void	*arg;
};

static int
outbox_due_row(sqlite3_stmt *st, void *arg)
{
	struct outbox_each *x = arg;
	struct store_delivery d;
	struct store_event e;
	int stop;

	outbox_row(st, &d);
	memset(&e, 0, sizeof e);
	e.id = d.event_id;
	e.type = d.event_type;
	e.key = (const char *)sqlite3_column_text(st, 13);
	e.source_id = (const char *)sqlite3_column_text(st, 14);
	e.payload = (const char *)sqlite3_column_text(st, 15);
	e.created = sqlite3_column_int64(st, 16);
	e.report_id = sqlite3_column_int64(st, 17);
	stop = x->due(&d, &e, x->arg);
	store_delivery_release(&d);
	return stop;
}

int
store_outbox_due(struct store *s, const char *channel, int64_t now, int limit,
    int (*cb)(const struct store_delivery *, const struct store_event *,
    void *), void *arg, char **cause)
{
	struct outbox_each x = { .due = cb, .arg = arg };
	sqlite3_stmt *st;

	/* digests already formed come first, so they keep their key */
	st = db_stmt(s, DB_OUTBOX_DUE, "SELECT " OUTBOX_COLUMNS ", e.key, "
	    "s.name, e.payload, e.created, e.report_id FROM deliveries d JOIN "
	    "events e ON e.id = d.event_id LEFT JOIN sources s ON s.id = "
	    "e.source_id WHERE d.channel = ? AND d.state IN (0, 2) AND "
	    "d.next_try <= ? ORDER BY d.digest IS NULL, d.digest, d.event_id "
	    "LIMIT ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	return db_step_each(s, st, "due deliveries", outbox_due_row, &x, cause);
}

int
store_outbox_next(struct store *s, const char *channel, int64_t *at,
    char **cause)
{
	sqlite3_stmt *st;

	st = db_stmt(s, DB_OUTBOX_NEXT, "SELECT min(next_try) FROM deliveries "
	    "WHERE channel = ? AND state IN (0, 2)", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	return db_step_int64(s, st, "next delivery", at, cause);
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
		st = db_stmt(s, DB_OUTBOX_DIGEST, "UPDATE deliveries SET "
		    "digest = ? WHERE id = ?", cause);
		if (st == NULL) {
			rc = -1;
			break;
		}
		db_bind_text(st, 1, digest);
		sqlite3_bind_int64(st, 2, ids[i]);
		rc = db_step_done(s, st, "digest delivery", cause);
	}
	if (db_op_end(s, &op, rc == 0, rc == 0 ? cause : NULL) != 0)
		rc = -1;
	return rc;
}

int
store_delivery_done(struct store *s, int64_t id, int64_t now, char **cause)
{
	sqlite3_stmt *st;

	st = db_stmt(s, DB_OUTBOX_DONE, "UPDATE deliveries SET state = 1, "
	    "attempts = attempts + 1, updated = ?1, delivered_at = ?1, "
	    "last_error = NULL WHERE id = ?2", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	return db_step_done(s, st, "delivery done", cause);
}

int
store_delivery_fail(struct store *s, int64_t id, int state, int64_t next_try,
    const char *error, int64_t now, char **cause)
{
	sqlite3_stmt *st;

	if (state != OUTBOX_FAILED && state != OUTBOX_GIVEN_UP)
		return db_failx(s, cause, "delivery %lld: bad state %d",
		    (long long)id, state);
	st = db_stmt(s, DB_OUTBOX_FAIL, "UPDATE deliveries SET state = ?, "
	    "attempts = attempts + 1, next_try = ?, last_error = ?, updated = "
	    "? WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, state);
	sqlite3_bind_int64(st, 2, next_try);
	db_bind_text(st, 3, error);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, id);
	return db_step_done(s, st, "delivery failed", cause);
}

static int
outbox_list_row(sqlite3_stmt *st, void *arg)
{
	struct outbox_each *x = arg;
	struct store_delivery d;
	int stop;

	outbox_row(st, &d);
	stop = x->list(&d, x->arg);
	store_delivery_release(&d);
	return stop;
}

int
store_outbox_list(struct store *s, const struct store_outbox_filter *f,
    int (*cb)(const struct store_delivery *, void *), void *arg, char **cause)
{
	struct outbox_each x = { .list = cb, .arg = arg };
	sqlite3_stmt *st;

	st = db_stmt(s, DB_OUTBOX_LIST, "SELECT " OUTBOX_COLUMNS " FROM "
	    "deliveries d JOIN events e ON e.id = d.event_id WHERE (?1 IS NULL "
	    "OR d.channel = ?1) AND (CASE WHEN ?2 THEN d.state IN (2, 3) WHEN "
	    "?3 THEN 1 ELSE d.state <> 1 END) ORDER BY d.id DESC LIMIT ?4",
	    cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, f->channel);
	sqlite3_bind_int(st, 2, f->failed);
	sqlite3_bind_int(st, 3, f->all);
	sqlite3_bind_int(st, 4, f->limit > 0 ? f->limit : -1);
	return db_step_each(s, st, "list deliveries", outbox_list_row, &x,
	    cause);
}

int
store_delivery_retry(struct store *s, int64_t id, int64_t now, char **cause)
{
	sqlite3_stmt *st;
	int64_t state;
	int rc;

	st = db_stmt(s, DB_OUTBOX_STATE, "SELECT state FROM deliveries WHERE "
	    "id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = db_step_int64(s, st, "find delivery", &state, cause);
	if (rc != 0)
		return rc;
	if (state == OUTBOX_DELIVERED)
		return 2;
	st = db_stmt(s, DB_OUTBOX_RETRY, "UPDATE deliveries SET state = 0, "
	    "next_try = ?1, since = ?1, updated = ?1 WHERE id = ?2 AND state "
	    "<> 1", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	return db_step_done(s, st, "retry delivery", cause);
}

int
store_outbox_backlog(struct store *s, const char *channel, int64_t *n,
    char **cause)
{
	sqlite3_stmt *st;

	*n = 0;
	st = db_stmt(s, DB_OUTBOX_BACKLOG, "SELECT count(*) FROM deliveries "
	    "WHERE channel = ? AND state IN (0, 2)", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	return db_step_int64(s, st, "outbox backlog", n, cause) == -1 ? -1 : 0;
}

static int
outbox_sent_row(sqlite3_stmt *st, void *arg)
{
	struct outbox_each *x = arg;

	return x->sent(sqlite3_column_int64(st, 0), x->arg);
}

int
store_outbox_sent(struct store *s, const char *channel, int64_t since,
    int limit, int (*cb)(int64_t, void *), void *arg, char **cause)
{
	struct outbox_each x = { .sent = cb, .arg = arg };
	sqlite3_stmt *st;

	/*
	 * A digest is one message whatever its size, so group by its key;
	 * a failed attempt reached the receiver too (it may count it).
	 */
	st = db_stmt(s, DB_OUTBOX_SENT, "SELECT max(CASE WHEN state = 1 THEN "
	    "delivered_at ELSE updated END) AS at FROM deliveries WHERE "
	    "channel = ?1 AND ((state = 1 AND delivered_at >= ?2) OR (state "
	    "IN (2, 3) AND attempts > 0 AND updated >= ?2)) GROUP BY "
	    "coalesce(digest, 'id:' || id) ORDER BY at LIMIT ?3", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	return db_step_each(s, st, "sent deliveries", outbox_sent_row, &x,
	    cause);
}
