/*
 * Unit tests for the notification outbox and the dispatcher's pure parts:
 * the store functions (a new channel starts at the newest event or, with
 * since = all, at the first; the filter callback; due, delivered, failed,
 * given up, retry; digest keys kept; the listing), the backoff and its
 * jitter bounds, the per-second and per-minute send windows, how due
 * deliveries are grouped into digests within a budget, the windows a
 * restart seeds from the store, the channel filter
 * (types, agencies, regions) and the [channel] keys with their defaults
 * and secret sources.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../notify/notify.h"
#include "buf.h"
#include "store.h"

struct tmp {
	char	 dir[64];
	char	 path[128];
};

static struct store *
tmp_store(struct tmp *t)
{
	struct store *s;
	char *cause = NULL;

	snprintf(t->dir, sizeof t->dir, "/tmp/nianbao-outbox-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/nb.db", t->dir);
	s = store_open(t->path, STORE_CREATE, &cause);
	if (s == NULL)
		fail_msg("%s", cause);
	return s;
}

static void
tmp_clean(struct tmp *t)
{
	static const char *names[] = { "nb.db", "nb.db-wal", "nb.db-shm" };
	char path[192];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", t->dir, names[i]);
		remove(path);
	}
	assert_int_equal(rmdir(t->dir), 0);
}

static int64_t
add_event(struct store *s, const char *type, const char *key,
    const char *payload)
{
	struct store_event e;
	char *cause = NULL;

	memset(&e, 0, sizeof e);
	e.type = type;
	e.key = key;
	e.payload = payload;
	e.created = 1000;
	assert_int_equal(store_event_add(s, &e, &cause), 0);
	return e.id;
}

/* Takes report.* events only. */
static int
match_report(const struct store_event *e, void *arg)
{
	(void)arg;
	return strncmp(e->type, "report.", 7) == 0;
}

struct due {
	int64_t	 ids[16];
	char	 digest[16][64];
	int	 attempts[16];
	size_t	 n;
};

static int
due_cb(const struct store_delivery *d, const struct store_event *e, void *arg)
{
	struct due *u = arg;

	assert_int_equal(d->event_id, e->id);
	assert_non_null(e->key);
	u->ids[u->n] = d->id;
	u->attempts[u->n] = d->attempts;
	snprintf(u->digest[u->n], sizeof u->digest[0], "%s",
	    d->digest != NULL ? d->digest : "");
	u->n++;
	return 0;
}

static size_t
due_now(struct store *s, const char *ch, int64_t now, struct due *u)
{
	char *cause = NULL;

	memset(u, 0, sizeof *u);
	assert_int_equal(store_outbox_due(s, ch, now, 0, due_cb, u, &cause), 0);
	return u->n;
}

static int
count_cb(const struct store_delivery *d, void *arg)
{
	(void)d;
	(*(int *)arg)++;
	return 0;
}

static void
test_outbox_store(void **state)
{
	struct store_outbox_filter f;
	struct store *s;
	struct tmp t;
	struct due u;
	char *cause = NULL;
	int64_t last, at, n;
	int added, count;

	(void)state;
	s = tmp_store(&t);
	add_event(s, "report.new", "old", "{}");
	/* a new channel starts at the newest event: no history */
	assert_int_equal(store_outbox_enqueue(s, "a", 0, 5000, match_report,
	    NULL, 0, &added, &cause), 0);
	assert_int_equal(added, 0);
	assert_int_equal(store_outbox_cursor(s, "a", &last, &cause), 0);
	assert_int_equal(last, 1);
	/* ... unless it asks for all of it */
	assert_int_equal(store_outbox_enqueue(s, "b", 1, 5000, NULL, NULL, 0,
	    &added, &cause), 0);
	assert_int_equal(added, 1);

	add_event(s, "report.new", "r1", "{}");
	add_event(s, "source.failing", "f1", "{}");
	add_event(s, "report.changed", "r2", "{}");
	assert_int_equal(store_outbox_enqueue(s, "a", 0, 5000, match_report,
	    NULL, 0, &added, &cause), 0);
	assert_int_equal(added, 2);	/* the filter left source.failing */
	assert_int_equal(store_outbox_cursor(s, "a", &last, &cause), 0);
	assert_int_equal(last, 4);
	/* enqueueing again adds nothing */
	assert_int_equal(store_outbox_enqueue(s, "a", 0, 5000, match_report,
	    NULL, 0, &added, &cause), 0);
	assert_int_equal(added, 0);

	assert_int_equal(due_now(s, "a", 4999, &u), 0);	/* not yet */
	assert_int_equal(due_now(s, "a", 5000, &u), 2);
	assert_int_equal(store_outbox_backlog(s, "a", &n, &cause), 0);
	assert_int_equal(n, 2);

	/* one delivered, one failed with a next try */
	assert_int_equal(store_delivery_done(s, u.ids[0], 6000, &cause), 0);
	assert_int_equal(store_delivery_fail(s, u.ids[1], OUTBOX_FAILED, 9000,
	    "HTTP 500", 6000, &cause), 0);
	assert_int_equal(due_now(s, "a", 8999, &u), 0);
	assert_int_equal(store_outbox_next(s, "a", &at, &cause), 0);
	assert_int_equal(at, 9000);
	assert_int_equal(due_now(s, "a", 9000, &u), 1);
	assert_int_equal(u.attempts[0], 1);
	assert_int_equal(store_outbox_backlog(s, "a", &n, &cause), 0);
	assert_int_equal(n, 1);

	/* given up: not due any more, listed by --failed, retried by hand */
	assert_int_equal(store_delivery_fail(s, u.ids[0], OUTBOX_GIVEN_UP,
	    10000, "HTTP 500", 9500, &cause), 0);
	assert_int_equal(due_now(s, "a", 1LL << 50, &u), 0);
	assert_int_equal(store_outbox_next(s, "a", &at, &cause), 1);
	memset(&f, 0, sizeof f);
	f.failed = 1;
	count = 0;
	assert_int_equal(store_outbox_list(s, &f, count_cb, &count, &cause), 0);
	assert_int_equal(count, 1);
	f.failed = 0;
	f.all = 1;
	f.channel = "a";
	count = 0;
	assert_int_equal(store_outbox_list(s, &f, count_cb, &count, &cause), 0);
	assert_int_equal(count, 2);
	assert_int_equal(store_delivery_retry(s, 9999, 1, &cause), 1);
	f.failed = 1;
	f.all = 0;
	f.channel = NULL;
	memset(&u, 0, sizeof u);
	count = 0;
	assert_int_equal(store_outbox_list(s, &f, count_cb, &count, &cause), 0);
	assert_int_equal(count, 1);

	/* digest keys are kept and come first */
	add_event(s, "report.new", "r3", "{}");
	add_event(s, "report.new", "r4", "{}");
	assert_int_equal(store_outbox_enqueue(s, "a", 0, 20000, match_report,
	    NULL, 0, &added, &cause), 0);
	assert_int_equal(added, 2);
	assert_int_equal(due_now(s, "a", 20000, &u), 2);
	{
		int64_t ids[1] = { u.ids[1] };

		assert_int_equal(store_delivery_digest(s, ids, 1,
		    "digest:a:6-6", &cause), 0);
	}
	assert_int_equal(due_now(s, "a", 20000, &u), 2);
	assert_string_equal(u.digest[0], "digest:a:6-6");
	assert_string_equal(u.digest[1], "");
	assert_string_equal(store_delivery_state_name(OUTBOX_GIVEN_UP),
	    "given_up");
	assert_int_equal(store_delivery_state_find("failed"), OUTBOX_FAILED);
	store_close(s);
	tmp_clean(&t);
}

static void
test_outbox_retry(void **state)
{
	struct store *s;
	struct tmp t;
	struct due u;
	char *cause = NULL;
	int added;

	(void)state;
	s = tmp_store(&t);
	add_event(s, "report.new", "r1", "{}");
	assert_int_equal(store_outbox_enqueue(s, "a", 1, 100, NULL, NULL, 0,
	    &added, &cause), 0);
	assert_int_equal(due_now(s, "a", 100, &u), 1);
	assert_int_equal(store_delivery_fail(s, u.ids[0], OUTBOX_GIVEN_UP,
	    200, "refused", 150, &cause), 0);
	assert_int_equal(due_now(s, "a", 1000, &u), 0);
	assert_int_equal(store_delivery_retry(s, 1, 500, &cause), 0);
	assert_int_equal(due_now(s, "a", 500, &u), 1);
	assert_int_equal(store_delivery_done(s, 1, 600, &cause), 0);
	assert_int_equal(store_delivery_retry(s, 1, 700, &cause), 2);
	store_close(s);
	tmp_clean(&t);
}

struct reenter {
	struct store	*s;
	int		 rows;
	int		 rc;
	char		*cause;
};

/* Comes back to store_outbox_due from inside its own loop. */
static int
reenter_cb(const struct store_delivery *d, const struct store_event *e,
    void *arg)
{
	struct reenter *r = arg;
	int64_t at;

	(void)d;
	(void)e;
	r->rows++;
	/* another statement is fine while the loop runs */
	assert_int_equal(store_outbox_next(r->s, "c1", &at, &r->cause), 0);
	r->rc = store_outbox_due(r->s, "c1", 5000, 0, reenter_cb, r,
	    &r->cause);
	return 1;
}

/*
 * The outbox statements are cached: one still running (a callback of its
 * own loop calling it again) is refused with a cause, not rebound under
 * the loop, and the loop still ends cleanly.
 */
static void
test_outbox_reentry(void **state)
{
	struct tmp t;
	struct store *s = tmp_store(&t);
	struct reenter r;
	struct due u;
	char *cause = NULL;
	int added;

	(void)state;
	assert_int_equal(store_outbox_enqueue(s, "c1", 1, 1000, NULL, NULL, 0,
	    &added, &cause), 0);
	add_event(s, "report.new", "k1", "{}");
	add_event(s, "report.new", "k2", "{}");
	assert_int_equal(store_outbox_enqueue(s, "c1", 0, 1000, NULL, NULL, 0,
	    &added, &cause), 0);
	assert_int_equal(added, 2);
	memset(&r, 0, sizeof r);
	r.s = s;
	assert_int_equal(store_outbox_due(s, "c1", 5000, 0, reenter_cb, &r,
	    &cause), 0);
	assert_int_equal(r.rows, 1);
	assert_int_equal(r.rc, -1);
	assert_non_null(r.cause);
	assert_non_null(strstr(r.cause, "statement in use"));
	free(r.cause);
	/* reset after the loop: usable again, both rows still due */
	assert_int_equal(due_now(s, "c1", 5000, &u), 2);
	store_close(s);
	tmp_clean(&t);
}

static void
test_backoff(void **state)
{
	struct channel_conf c;
	long long d, base;
	uint64_t r;
	int n;

	(void)state;
	channel_conf_init(&c, "x");
	for (n = 1; n <= 12; n++) {
		base = 30000LL << (n - 1);
		if (base > 3600000)
			base = 3600000;
		for (r = 0; r < 2000; r += 7) {
			d = dispatch_backoff_ms(&c, n, 0, r * 2654435761ULL);
			assert_true(d >= base / 2);
			assert_true(d <= base);
		}
	}
	/* jitter: not always the same */
	assert_true(dispatch_backoff_ms(&c, 3, 0, 1) !=
	    dispatch_backoff_ms(&c, 3, 0, 12345));
	/* the receiver's Retry-After wins when longer */
	assert_int_equal(dispatch_backoff_ms(&c, 1, 90000, 0), 90000);
	assert_true(dispatch_backoff_ms(&c, 1, 10, 0) >= 15000);
	channel_conf_release(&c);
}

static void
test_rate(void **state)
{
	struct dispatch_rate r;
	int64_t free_at = 0;
	int i;

	(void)state;
	dispatch_rate_init(&r, 0, 0);
	assert_int_equal(dispatch_rate_budget(&r, 0, &free_at), -1);
	dispatch_rate_release(&r);

	dispatch_rate_init(&r, 0, 20);
	assert_int_equal(dispatch_rate_budget(&r, 1000, &free_at), 20);
	for (i = 0; i < 20; i++)
		dispatch_rate_sent(&r, 1000 + i * 100);
	assert_int_equal(dispatch_rate_budget(&r, 3000, &free_at), 0);
	assert_int_equal(free_at, 61000);	/* the oldest leaves the window */
	assert_int_equal(dispatch_rate_budget(&r, 61000, &free_at), 1);
	assert_int_equal(dispatch_rate_budget(&r, 63000, &free_at), 20);
	dispatch_rate_release(&r);

	/* Feishu: 5 a second and 100 a minute */
	dispatch_rate_init(&r, 5, 100);
	for (i = 0; i < 5; i++)
		dispatch_rate_sent(&r, 10000);
	assert_int_equal(dispatch_rate_budget(&r, 10500, &free_at), 0);
	assert_int_equal(free_at, 11000);
	assert_int_equal(dispatch_rate_budget(&r, 11000, &free_at), 5);
	for (i = 0; i < 95; i++)
		dispatch_rate_sent(&r, 20000 + i * 250);
	assert_int_equal(dispatch_rate_budget(&r, 45000, &free_at), 0);
	assert_int_equal(free_at, 70000);
	dispatch_rate_release(&r);
}

/*
 * The windows a restart starts with: the sends of the last minute from
 * the store, a digest counting once and a failed attempt too, mapped
 * onto the monotonic clock; the last send within the digest window.
 */
static void
test_seed(void **state)
{
	struct tmp t;
	struct store *s;
	struct channel_conf c;
	struct dispatch_rate r;
	struct due u;
	int64_t free_at = 0, digest_at = 1, ids[2];
	static const char *keys[] = { "k0", "k1", "k2", "k3", "k4" };
	char *cause = NULL, name[] = "ding", other[] = "other";
	int added, i;

	(void)state;
	s = tmp_store(&t);
	for (i = 0; i < 5; i++)
		add_event(s, "report.new", keys[i], "{}");
	assert_int_equal(store_outbox_enqueue(s, "ding", 1, 40000,
	    match_report, NULL, 0, &added, &cause), 0);
	assert_int_equal(added, 5);
	assert_int_equal(store_outbox_enqueue(s, "other", 1, 40000,
	    match_report, NULL, 0, &added, &cause), 0);
	assert_int_equal(due_now(s, "ding", 40000, &u), 5);
	/* older than a minute at 130 s: out of the window */
	assert_int_equal(store_delivery_done(s, u.ids[0], 50000, &cause), 0);
	/* one digest of two: one send */
	ids[0] = u.ids[1];
	ids[1] = u.ids[2];
	assert_int_equal(store_delivery_digest(s, ids, 2, "digest:ding:2-3",
	    &cause), 0);
	assert_int_equal(store_delivery_done(s, ids[0], 100000, &cause), 0);
	assert_int_equal(store_delivery_done(s, ids[1], 100000, &cause), 0);
	/* a failed attempt reached the receiver too */
	assert_int_equal(store_delivery_fail(s, u.ids[3], OUTBOX_FAILED,
	    200000, "refused", 110000, &cause), 0);
	assert_int_equal(store_delivery_done(s, u.ids[4], 120000, &cause), 0);
	/* another channel's sends are not this one's */
	assert_int_equal(due_now(s, "other", 40000, &u), 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(store_delivery_done(s, u.ids[i], 125000,
		    &cause), 0);

	memset(&c, 0, sizeof c);
	c.name = name;
	c.digest_ms = 30000;
	/* wall 130 s is mono 5 s: the sends were at mono -25, -15, -5 s */
	dispatch_rate_init(&r, 0, 3);
	assert_int_equal(dispatch_seed(s, &c, &r, &digest_at, 130000, 5000,
	    &cause), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(dispatch_rate_budget(&r, 5000, &free_at), 0);
	assert_int_equal(free_at, 35000);
	assert_int_equal(dispatch_rate_budget(&r, 35000, &free_at), 1);
	assert_int_equal(digest_at, -5000);
	dispatch_rate_release(&r);

	dispatch_rate_init(&r, 0, 20);
	assert_int_equal(dispatch_seed(s, &c, &r, &digest_at, 130000, 5000,
	    &cause), 0);
	assert_int_equal(dispatch_rate_budget(&r, 5000, &free_at), 17);
	dispatch_rate_release(&r);

	/* past the digest window: no digest send to wait for */
	c.digest_ms = 5000;
	dispatch_rate_init(&r, 0, 0);
	assert_int_equal(dispatch_seed(s, &c, &r, &digest_at, 130000, 5000,
	    &cause), 0);
	assert_int_equal(digest_at, 0);
	assert_int_equal(dispatch_rate_budget(&r, 5000, &free_at), -1);
	dispatch_rate_release(&r);

	/* a channel that never sent starts with empty windows */
	c.name = other;
	c.digest_ms = 0;
	dispatch_rate_init(&r, 0, 20);
	assert_int_equal(dispatch_seed(s, &c, &r, &digest_at, 300000, 5000,
	    &cause), 0);
	assert_int_equal(dispatch_rate_budget(&r, 5000, &free_at), 20);
	assert_int_equal(digest_at, 0);
	dispatch_rate_release(&r);

	store_close(s);
	tmp_clean(&t);
}

static void
test_plan(void **state)
{
	struct dispatch_group g[200];
	const char *keys[200];
	size_t n, i;

	(void)state;
	for (i = 0; i < 200; i++)
		keys[i] = NULL;
	/* within budget: one by one */
	n = dispatch_plan(keys, 5, 20, g);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		assert_true(!g[i].digest && g[i].n == 1 && g[i].first == i);
	/* unlimited */
	assert_int_equal(dispatch_plan(keys, 100, -1, g), 100);
	/* 100 events, 20 a minute: one digest of all of them */
	n = dispatch_plan(keys, 100, 20, g);
	assert_int_equal(n, 1);
	assert_true(g[0].digest && g[0].fresh && g[0].n == 100);
	/* no budget: nothing now */
	assert_int_equal(dispatch_plan(keys, 100, 0, g), 0);
	/* formed digests go first, as they are, then the rest */
	keys[0] = keys[1] = "digest:a:1-2";
	keys[2] = "digest:a:3-3";
	n = dispatch_plan(keys, 6, 10, g);
	assert_int_equal(n, 5);
	assert_true(g[0].digest && !g[0].fresh && g[0].n == 2);
	assert_true(g[1].digest && !g[1].fresh && g[1].n == 1 &&
	    g[1].first == 2);
	assert_true(!g[2].digest && g[2].first == 3);
	n = dispatch_plan(keys, 6, 3, g);
	assert_int_equal(n, 3);
	assert_true(g[2].digest && g[2].fresh && g[2].first == 3 &&
	    g[2].n == 3);
	assert_int_equal(dispatch_plan(keys, 6, 1, g), 1);
}

static void
test_match_and_conf(void **state)
{
	struct channel_conf c, d;
	struct notify_event e;
	struct buf b;
	char *cause = NULL, *printed, *s;

	(void)state;
	channel_conf_init(&c, "ding");
	assert_int_equal(channel_conf_set(&c, "type", "dingtalk", &cause), 0);
	assert_int_equal(channel_conf_set(&c, "url",
	    "https://oapi.dingtalk.com/robot/send?access_token=TOKEN", &cause),
	    0);
	assert_int_equal(channel_conf_set(&c, "secret", "SEC-abcdef", &cause),
	    0);
	assert_int_equal(channel_conf_set(&c, "events", "report.* source.failing",
	    &cause), 0);
	assert_int_equal(channel_conf_set(&c, "agencies", "沂源县", &cause), 0);
	assert_int_equal(channel_conf_set(&c, "regions", "山东省", &cause), 0);
	assert_int_equal(channel_conf_set(&c, "nope", "1", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(channel_conf_set(&c, "min_severity", "fatal", &cause),
	    -1);
	free(cause);
	cause = NULL;
	assert_int_equal(channel_conf_finish(&c, NULL, &cause), 0);
	assert_int_equal(c.per_minute, 20);	/* DingTalk's limit */
	assert_int_equal(c.give_up_ms, 7LL * 86400 * 1000);

	memset(&e, 0, sizeof e);
	e.type = "report.new";
	e.payload = "{\"agency\":\"沂源县人民政府\",\"region\":\"山东省淄博市沂源县\"}";
	assert_true(channel_match(&c, &e));
	e.type = "report.removed";
	assert_true(channel_match(&c, &e));
	e.type = "source.recovered";
	assert_false(channel_match(&c, &e));
	e.type = "report.new";
	e.payload = "{\"agency\":\"沂源县人民政府\",\"region\":\"河北省\"}";
	assert_false(channel_match(&c, &e));
	e.payload = "{\"agency\":\"临朐县人民政府\",\"region\":\"山东省\"}";
	assert_false(channel_match(&c, &e));
	e.payload = NULL;
	assert_false(channel_match(&c, &e));

	/* printed without the secret or the token */
	buf_init(&b, 0);
	channel_conf_print(&c, &b);
	printed = buf_detach(&b);
	assert_non_null(strstr(printed, "secret = (set)"));
	assert_null(strstr(printed, "SEC-abcdef"));
	assert_null(strstr(printed, "TOKEN"));
	free(printed);
	s = channel_scrub(&c, "failed: SEC-abcdef in the answer");
	assert_string_equal(s, "failed: (secret) in the answer");
	free(s);

	channel_conf_copy(&d, &c);
	assert_string_equal(d.secret, "SEC-abcdef");
	assert_true(d.events != c.events);
	channel_conf_release(&d);
	channel_conf_release(&c);

	/* one secret source only; an unset variable is an error */
	channel_conf_init(&c, "w");
	assert_int_equal(channel_conf_set(&c, "type", "webhook", &cause), 0);
	assert_int_equal(channel_conf_set(&c, "url", "http://127.0.0.1/", &cause),
	    0);
	assert_int_equal(channel_conf_set(&c, "secret", "a", &cause), 0);
	assert_int_equal(channel_conf_set(&c, "secret_env", "NB_UNIT_X",
	    &cause), 0);
	assert_int_equal(channel_conf_finish(&c, NULL, &cause), -1);
	assert_non_null(strstr(cause, "only one"));
	free(cause);
	cause = NULL;
	channel_conf_release(&c);
	channel_conf_init(&c, "w");
	assert_int_equal(channel_conf_set(&c, "type", "webhook", &cause), 0);
	assert_int_equal(channel_conf_set(&c, "url", "http://127.0.0.1/", &cause),
	    0);
	assert_int_equal(channel_conf_set(&c, "secret_env", "NB_UNIT_UNSET_X",
	    &cause), 0);
	assert_int_equal(channel_conf_finish(&c, NULL, &cause), -1);
	free(cause);
	cause = NULL;
	channel_conf_release(&c);
	setenv("NB_UNIT_SET_X", "from-env", 1);
	channel_conf_init(&c, "w");
	assert_int_equal(channel_conf_set(&c, "type", "feishu", &cause), 0);
	assert_int_equal(channel_conf_set(&c, "url", "https://x/hook/abc",
	    &cause), 0);
	assert_int_equal(channel_conf_set(&c, "secret_env", "NB_UNIT_SET_X",
	    &cause), 0);
	assert_int_equal(channel_conf_finish(&c, NULL, &cause), 0);
	assert_string_equal(c.secret, "from-env");
	assert_int_equal(c.per_second, 5);
	assert_int_equal(c.per_minute, 100);
	assert_int_equal(c.max_bytes, 20 * 1024);
	channel_conf_release(&c);
	/* a bad name, a webhook without a URL */
	channel_conf_init(&c, "a b");
	assert_int_equal(channel_conf_set(&c, "type", "log", &cause), 0);
	assert_int_equal(channel_conf_finish(&c, NULL, &cause), -1);
	free(cause);
	cause = NULL;
	channel_conf_release(&c);
	channel_conf_init(&c, "w");
	assert_int_equal(channel_conf_set(&c, "type", "webhook", &cause), 0);
	assert_int_equal(channel_conf_finish(&c, NULL, &cause), -1);
	free(cause);
	channel_conf_release(&c);
}

static void
test_json(void **state)
{
	struct notify_event ev[2];
	struct notify_msg m;
	char *s;

	(void)state;
	memset(ev, 0, sizeof ev);
	memset(&m, 0, sizeof m);
	ev[0].id = 7;
	ev[0].type = "report.new";
	ev[0].key = "report.new:7";
	ev[0].payload = "{\"year\":2025}";
	ev[1].id = 8;
	ev[1].type = "report.removed";
	ev[1].key = "report.removed:8";
	m.events = ev;
	m.nevents = 1;
	m.key = ev[0].key;
	s = channel_json(&m);
	assert_non_null(strstr(s, "\"key\":\"report.new:7\""));
	assert_non_null(strstr(s, "\"payload\":{\"year\":2025}"));
	assert_null(strstr(s, "digest"));
	free(s);
	m.nevents = 2;
	m.key = "digest:x:7-8";
	s = channel_json(&m);
	assert_non_null(strstr(s, "\"digest\":true"));
	assert_non_null(strstr(s, "\"key\":\"digest:x:7-8\""));
	assert_non_null(strstr(s, "\"key\":\"report.removed:8\""));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outbox_store),
		cmocka_unit_test(test_outbox_retry),
		cmocka_unit_test(test_outbox_reentry),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_match_and_conf),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
