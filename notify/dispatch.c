/*
 * The dispatcher: a thread of nianbaod with its own store connection
 * that delivers the events of the outbox to every channel whose filter
 * takes them.  It is woken after each batch commit of the daemon (and
 * polls every DISPATCH_POLL_MS, for events written by another process and
 * for `nianbao outbox retry`).  Each pass, for each channel:
 *
 *   1. enqueue the events after the channel's cursor that match its
 *      filter (store_outbox_enqueue, atomic with the cursor);
 *   2. send the due deliveries within the channel's rate limits: one by
 *      one while they fit, else merged into one digest, so that a burst of
 *      100 events reaches a 20/minute robot as digests, neither dropped nor
 *      late by hours.  A digest's key is recorded before it is sent, so a
 *      retry (or a restart after kill -9) sends the same key again;
 *   3. record the outcome: delivered, or failed with the next try after an
 *      exponential backoff with jitter (the receiver's Retry-After wins when
 *      longer), or given up once the delivery is older than give_up_after.
 *
 * The rate windows (and the digest window) live in memory but start from
 * the store: at start-up each channel's sends of the last minute (and its
 * last send within the digest window) are read back from delivered_at,
 * and a reload keeps the windows of the channels it keeps.
 *
 * Sends are synchronous with a timeout each, so one slow channel delays
 * the others by at most its timeout per pass; nothing here exits the
 * process.  Errors stored or logged pass channel_scrub() first.
 *
 * Ownership: struct dispatch owns its copies of the channel configuration
 * and its store connection; the mutex guards stop/wake/reload and the
 * counters /metrics reads.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../daemon/buf.h"
#include "../daemon/clock.h"
#include "../daemon/log.h"
#include "../daemon/xmalloc.h"
#include "../store/store.h"
#include "notify.h"

#define DISPATCH_POLL_MS	1000	/* look for new events at least this often */
#define DISPATCH_DUE_MAX	200	/* deliveries looked at per round; a digest's cap */
#define DISPATCH_ENQUEUE_MAX	5000	/* events enqueued per channel and pass */
#define DISPATCH_ROUNDS		20	/* send rounds per channel and pass */

struct dispatch_chan {
	struct channel_conf	 conf;
	struct dispatch_rate	 rate;
	uint64_t		 failures;	/* failed attempts (metrics) */
	int64_t			 backlog;	/* pending + failed (metrics) */
	int64_t			 next_at;	/* wall ms this channel needs a look */
	int64_t			 digest_at;	/* mono ms of the last send (digest) */
};

struct dispatch {
	pthread_t		 thread;
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cond;		/* wakes the thread */
	pthread_cond_t		 passed;	/* a pass ended (drain) */
	int			 stop;
	int			 wake;
	uint64_t		 passes;
	int			 idle;		/* last pass: nothing due now */
	struct store		*st;
	struct dispatch_chan	*chans;
	size_t			 nchans;
	struct channel_conf	*reload;	/* new set, taken at the next pass */
	size_t			 nreload;
	int			 reloading;
	uint64_t		 rnd;
};

/* A due delivery, copied out of the store's statement. */
struct dispatch_item {
	int64_t		 id;
	int		 attempts;
	int64_t		 since;
	char		*digest;
	int64_t		 event_id;
	char		*type;
	char		*key;
	char		*source_id;
	char		*payload;
	int64_t		 created;
};

struct dispatch_due {
	struct dispatch_item	*v;
	size_t			 n;
};

/* ---- pure parts (unit-tested) --------------------------------------- */

long long
dispatch_backoff_ms(const struct channel_conf *c, int attempts,
    long long retry_after_ms, uint64_t rnd)
{
	long long base = c->backoff_ms > 0 ? c->backoff_ms : 1000;
	long long cap = c->backoff_max_ms > base ? c->backoff_max_ms : base;
	long long d = base, half;
	int i;

	for (i = 1; i < attempts && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	/* "equal jitter": between half and all of it, so retries spread */
	half = d / 2;
	d = half + (long long)(rnd % (uint64_t)(d - half + 1));
	if (retry_after_ms > d)
		d = retry_after_ms > 86400LL * 1000 ? 86400LL * 1000 :
		    retry_after_ms;
	return d;
}

void
dispatch_rate_init(struct dispatch_rate *r, long per_second, long per_minute)
{
	memset(r, 0, sizeof *r);
	r->per_second = per_second > 0 ? per_second : 0;
	r->per_minute = per_minute > 0 ? per_minute : 0;
	r->cap = (size_t)(r->per_minute > r->per_second ? r->per_minute :
	    r->per_second);
	if (r->cap > 0)
		r->sent = xcalloc(r->cap, sizeof *r->sent);
}

void
dispatch_rate_release(struct dispatch_rate *r)
{
	free(r->sent);
	memset(r, 0, sizeof *r);
}

long
dispatch_rate_budget(struct dispatch_rate *r, int64_t now, int64_t *free_at)
{
	long left = -1, sec = 0, b;
	size_t i;

	if (r->cap == 0)
		return -1;
	/* what is older than a minute no longer counts */
	while (r->n > 0 && r->sent[r->head] <= now - 60 * 1000) {
		r->head = (r->head + 1) % r->cap;
		r->n--;
	}
	*free_at = now;
	if (r->per_minute > 0) {
		left = r->per_minute - (long)r->n;
		if (left <= 0) {
			left = 0;
			*free_at = r->sent[r->head] + 60 * 1000;
		}
	}
	if (r->per_second > 0) {
		for (i = 0; i < r->n; i++)
			if (r->sent[(r->head + i) % r->cap] > now - 1000)
				sec++;
		b = r->per_second - sec;
		if (b <= 0) {
			b = 0;
			/* the oldest send of the last second frees a slot */
			i = r->n - (size_t)sec;
			if (r->sent[(r->head + i) % r->cap] + 1000 > *free_at)
				*free_at = r->sent[(r->head + i) % r->cap] +
				    1000;
		}
		if (left < 0 || b < left)
			left = b;
	}
	return left;
}

void
dispatch_rate_sent(struct dispatch_rate *r, int64_t now)
{
	if (r->cap == 0)
		return;
	if (r->n == r->cap) {
		/* full: only per_second counts this far back; drop the oldest */
		r->head = (r->head + 1) % r->cap;
		r->n--;
	}
	r->sent[(r->head + r->n) % r->cap] = now;
	r->n++;
}

struct dispatch_seed {
	struct dispatch_rate	*r;
	int64_t			 wall_now, mono_now, last;
};

/* A wall time of the past as the monotonic clock would have said it. */
static int64_t
dispatch_seed_mono(const struct dispatch_seed *s, int64_t at)
{
	if (at > s->wall_now)
		at = s->wall_now;	/* the wall clock stepped back */
	return s->mono_now - (s->wall_now - at);
}

static int
dispatch_seed_rate_cb(int64_t at, void *arg)
{
	struct dispatch_seed *s = arg;

	dispatch_rate_sent(s->r, dispatch_seed_mono(s, at));
	return 0;
}

static int
dispatch_seed_digest_cb(int64_t at, void *arg)
{
	struct dispatch_seed *s = arg;

	if (at > s->last)
		s->last = at;
	return 0;
}

int
dispatch_seed(struct store *st, const struct channel_conf *c,
    struct dispatch_rate *r, int64_t *digest_at, int64_t wall_now,
    int64_t mono_now, char **cause)
{
	struct dispatch_seed s;

	*digest_at = 0;
	memset(&s, 0, sizeof s);
	s.r = r;
	s.wall_now = wall_now;
	s.mono_now = mono_now;
	/* oldest first: a full ring keeps the newest */
	if (r->cap > 0 && store_outbox_sent(st, c->name, wall_now - 60 * 1000,
	    0, dispatch_seed_rate_cb, &s, cause) != 0)
		return -1;
	if (c->digest_ms > 0) {
		if (store_outbox_sent(st, c->name, wall_now - c->digest_ms, 0,
		    dispatch_seed_digest_cb, &s, cause) != 0)
			return -1;
		if (s.last > 0) {
			*digest_at = dispatch_seed_mono(&s, s.last);
			if (*digest_at == 0)
				*digest_at = -1;	/* 0 means none */
		}
	}
	return 0;
}

size_t
dispatch_plan(const char *const *keys, size_t n, long budget,
    struct dispatch_group *out)
{
	size_t i = 0, ng = 0, singles;

	if (budget == 0)
		return 0;
	/* digests formed earlier go out as they are, first */
	while (i < n && keys[i] != NULL && (budget < 0 || (long)ng < budget)) {
		out[ng].first = i;
		out[ng].n = 0;
		out[ng].digest = 1;
		out[ng].fresh = 0;
		while (i < n && keys[i] != NULL &&
		    strcmp(keys[i], keys[out[ng].first]) == 0) {
			out[ng].n++;
			i++;
		}
		ng++;
	}
	while (i < n && keys[i] != NULL)
		i++;	/* digests beyond the budget wait */
	singles = n - i;
	if (singles == 0 || (budget >= 0 && (long)ng >= budget))
		return ng;
	if (budget < 0 || (long)singles <= budget - (long)ng) {
		for (; i < n; i++) {
			out[ng].first = i;
			out[ng].n = 1;
			out[ng].digest = 0;
			out[ng++].fresh = 0;
		}
		return ng;
	}
	/* more than the budget: everything left in one digest */
	out[ng].first = i;
	out[ng].n = singles;
	out[ng].digest = 1;
	out[ng++].fresh = 1;
	return ng;
}

/* ---- the thread -------------------------------------------------------- */

static uint64_t
dispatch_random(struct dispatch *d)
{
	uint64_t x = d->rnd;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	d->rnd = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static int
dispatch_match_cb(const struct store_event *se, void *arg)
{
	const struct channel_conf *c = arg;
	struct notify_event e;

	memset(&e, 0, sizeof e);
	e.id = se->id;
	e.type = se->type;
	e.key = se->key;
	e.source_id = se->source_id;
	e.payload = se->payload;
	e.created = se->created;
	return channel_match(c, &e);
}

static char *
dispatch_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static int
dispatch_due_cb(const struct store_delivery *sd, const struct store_event *se,
    void *arg)
{
	struct dispatch_due *due = arg;
	struct dispatch_item *it;

	due->v = xreallocarray(due->v, due->n + 1, sizeof *due->v);
	it = &due->v[due->n++];
	memset(it, 0, sizeof *it);
	it->id = sd->id;
	it->attempts = sd->attempts;
	it->since = sd->since;
	it->digest = dispatch_dup(sd->digest);
	it->event_id = se->id;
	it->type = dispatch_dup(se->type);
	it->key = dispatch_dup(se->key);
	it->source_id = dispatch_dup(se->source_id);
	it->payload = dispatch_dup(se->payload);
	it->created = se->created;
	return 0;
}

static void
dispatch_due_free(struct dispatch_due *due)
{
	size_t i;

	for (i = 0; i < due->n; i++) {
		free(due->v[i].digest);
		free(due->v[i].type);
		free(due->v[i].key);
		free(due->v[i].source_id);
		free(due->v[i].payload);
	}
	free(due->v);
	memset(due, 0, sizeof *due);
}

/* Sends one group and records how it went: 0 delivered, -1 not. */
static int
dispatch_send(struct dispatch *d, struct dispatch_chan *ch,
    struct dispatch_due *due, const struct dispatch_group *g)
{
	struct channel_conf *c = &ch->conf;
	struct dispatch_item *v = due->v + g->first;
	struct notify_event *ev;
	struct notify_answer a;
	struct notify_msg m;
	char *key = NULL, *cause = NULL, *err = NULL;
	int64_t *ids, now;
	long long delay = 0;
	size_t i;
	int state, gaveup = 0, rc = -1;

	ev = xcalloc(g->n, sizeof *ev);
	ids = xcalloc(g->n, sizeof *ids);
	for (i = 0; i < g->n; i++) {
		ev[i].id = v[i].event_id;
		ev[i].type = v[i].type;
		ev[i].key = v[i].key;
		ev[i].source_id = v[i].source_id;
		ev[i].payload = v[i].payload;
		ev[i].created = v[i].created;
		ids[i] = v[i].id;
	}
	if (!g->digest)
		key = xstrdup(v[0].key);
	else if (!g->fresh)
		key = xstrdup(v[0].digest);
	else {
		key = xprintf("digest:%s:%lld-%lld", c->name,
		    (long long)v[0].event_id, (long long)v[g->n - 1].event_id);
		/* recorded first: a retry or a restart sends the same key */
		if (store_delivery_digest(d->st, ids, g->n, key, &cause) != 0) {
			log_warnx("notify %s: %s", c->name, cause);
			goto out;
		}
	}
	memset(&m, 0, sizeof m);
	m.events = ev;
	m.nevents = g->n;
	m.key = key;
	dispatch_rate_sent(&ch->rate, clock_mono_ms());
	channel_send(c, &m, &a);
	now = clock_now_ms();
	if (a.delivered) {
		for (i = 0; i < g->n; i++) {
			if (store_delivery_done(d->st, ids[i], now, &cause) !=
			    0) {
				log_warnx("notify %s: %s", c->name, cause);
				free(cause);
				cause = NULL;
			}
		}
		log_debug("notify %s: delivered %s (%zu event%s)", c->name,
		    key, g->n, g->n == 1 ? "" : "s");
		rc = 0;
		goto done;
	}
	err = channel_scrub(c, a.error != NULL ? a.error : "not delivered");
	for (i = 0; i < g->n; i++) {
		state = OUTBOX_FAILED;
		delay = dispatch_backoff_ms(c, v[i].attempts + 1,
		    a.retry_after_ms, dispatch_random(d));
		if (now - v[i].since >= c->give_up_ms) {
			state = OUTBOX_GIVEN_UP;
			gaveup = 1;
		}
		if (store_delivery_fail(d->st, ids[i], state, now + delay, err,
		    now, &cause) != 0) {
			log_warnx("notify %s: %s", c->name, cause);
			free(cause);
			cause = NULL;
		}
	}
	pthread_mutex_lock(&d->mtx);
	ch->failures++;
	pthread_mutex_unlock(&d->mtx);
	if (gaveup)
		log_warnx("notify %s: %s: %s; given up (older than %llds)",
		    c->name, key, err, c->give_up_ms / 1000);
	else
		log_warnx("notify %s: %s: %s; attempt %d, next in %llds",
		    c->name, key, err, v[0].attempts + 1, delay / 1000);
done:
	notify_answer_release(&a);
out:
	free(cause);
	free(err);
	free(key);
	free(ids);
	free(ev);
	return rc;
}

/* One channel's share of a pass; returns 1 if something is due now. */
static int
dispatch_channel(struct dispatch *d, struct dispatch_chan *ch)
{
	struct channel_conf *c = &ch->conf;
	struct dispatch_group *groups;
	struct dispatch_due due;
	const char **keys;
	char *cause = NULL;
	int64_t now, mono, free_at = 0, at, backlog = 0, rate_at;
	long budget;
	size_t ng, i;
	int added, round, busy = 0, stop, failed = 0;

	now = clock_now_ms();
	if (store_outbox_enqueue(d->st, c->name, c->since_all, now,
	    dispatch_match_cb, c, DISPATCH_ENQUEUE_MAX, &added, &cause) != 0) {
		log_warnx("notify %s: enqueue: %s", c->name, cause);
		free(cause);
		ch->next_at = now + DISPATCH_POLL_MS;
		return 0;
	}
	if (added > 0)
		log_debug("notify %s: %d new deliver%s", c->name, added,
		    added == 1 ? "y" : "ies");
	ch->next_at = 0;
	for (round = 0; round < DISPATCH_ROUNDS; round++) {
		pthread_mutex_lock(&d->mtx);
		stop = d->stop;
		pthread_mutex_unlock(&d->mtx);
		if (stop)
			break;
		mono = clock_mono_ms();
		budget = dispatch_rate_budget(&ch->rate, mono, &free_at);
		/*
		 * digest = WINDOW (email): at most one message per window,
		 * with every event due in it.
		 */
		if (c->digest_ms > 0 && ch->digest_at != 0 &&
		    mono - ch->digest_at < c->digest_ms) {
			budget = 0;
			free_at = ch->digest_at + c->digest_ms;
		} else if (c->digest_ms > 0 && budget != 0)
			budget = 1;
		if (budget == 0) {
			ch->next_at = clock_now_ms() + (free_at - mono);
			busy = 1;
			break;
		}
		memset(&due, 0, sizeof due);
		if (store_outbox_due(d->st, c->name, clock_now_ms(),
		    DISPATCH_DUE_MAX, dispatch_due_cb, &due, &cause) != 0) {
			log_warnx("notify %s: %s", c->name, cause);
			free(cause);
			cause = NULL;
			dispatch_due_free(&due);
			break;
		}
		if (due.n == 0) {
			dispatch_due_free(&due);
			break;
		}
		keys = xcalloc(due.n, sizeof *keys);
		groups = xcalloc(due.n, sizeof *groups);
		for (i = 0; i < due.n; i++)
			keys[i] = due.v[i].digest;
		ng = dispatch_plan(keys, due.n, budget, groups);
		/*
		 * A failure ends the channel's turn: a receiver that is down
		 * or slow costs the other channels one timeout per pass.
		 */
		for (i = 0; i < ng && !failed; i++)
			failed = dispatch_send(d, ch, &due, &groups[i]) != 0;
		if (ng > 0 && c->digest_ms > 0)
			ch->digest_at = clock_mono_ms();
		free(keys);
		free(groups);
		dispatch_due_free(&due);
		if (failed)
			break;
	}
	/* look again at the next try, or when the rate window frees */
	rate_at = ch->next_at;
	ch->next_at = 0;
	if (store_outbox_next(d->st, c->name, &at, &cause) == 0) {
		ch->next_at = at > rate_at ? at : rate_at;
		if (at <= clock_now_ms())
			busy = 1;
	}
	free(cause);
	cause = NULL;
	if (store_outbox_backlog(d->st, c->name, &backlog, &cause) != 0) {
		free(cause);
		backlog = -1;
	}
	pthread_mutex_lock(&d->mtx);
	if (backlog >= 0)
		ch->backlog = backlog;
	pthread_mutex_unlock(&d->mtx);
	return busy;
}

static void
dispatch_chans_free(struct dispatch_chan *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		channel_conf_release(&v[i].conf);
		dispatch_rate_release(&v[i].rate);
	}
	free(v);
}

/*
 * The channels of a start or a reload.  A channel the dispatcher had
 * keeps its windows (its send times replayed into the new limits); any
 * other is seeded from the store, so neither a restart nor a SIGHUP
 * lets a robot have a second limit's worth within the same minute.
 */
static struct dispatch_chan *
dispatch_chans_new(struct store *st, const struct channel_conf *c, size_t n,
    const struct dispatch_chan *old, size_t nold)
{
	struct dispatch_chan *v;
	const struct dispatch_rate *r;
	char *cause = NULL;
	size_t i, j, k;
	int found;

	v = xcalloc(n > 0 ? n : 1, sizeof *v);
	for (i = 0; i < n; i++) {
		channel_conf_copy(&v[i].conf, &c[i]);
		dispatch_rate_init(&v[i].rate, c[i].per_second,
		    c[i].per_minute);
		found = 0;
		for (j = 0; j < nold && !found; j++) {
			if (strcmp(old[j].conf.name, c[i].name) != 0)
				continue;
			found = 1;
			/* counters carry over a reload, as Prometheus expects */
			v[i].failures = old[j].failures;
			v[i].backlog = old[j].backlog;
			v[i].digest_at = old[j].digest_at;
			r = &old[j].rate;
			for (k = 0; k < r->n; k++)
				dispatch_rate_sent(&v[i].rate,
				    r->sent[(r->head + k) % r->cap]);
		}
		if (found)
			continue;
		if (dispatch_seed(st, &c[i], &v[i].rate, &v[i].digest_at,
		    clock_now_ms(), clock_mono_ms(), &cause) != 0) {
			/* not fatal: the receiver's own limit answers */
			log_warnx("notify %s: rate windows: %s", c[i].name,
			    cause);
			free(cause);
			cause = NULL;
		}
	}
	return v;
}

static void *
dispatch_main(void *arg)
{
	struct dispatch *d = arg;
	struct dispatch_chan *old;
	struct timespec ts;
	int64_t now, next, wait_ms;
	size_t i, nold;
	int busy;

	pthread_mutex_lock(&d->mtx);
	while (!d->stop) {
		if (d->reloading) {
			old = d->chans;
			nold = d->nchans;
			d->chans = dispatch_chans_new(d->st, d->reload,
			    d->nreload, old, nold);
			d->nchans = d->nreload;
			for (i = 0; i < d->nreload; i++)
				channel_conf_release(&d->reload[i]);
			free(d->reload);
			d->reload = NULL;
			d->nreload = 0;
			d->reloading = 0;
			dispatch_chans_free(old, nold);
		}
		d->wake = 0;
		pthread_mutex_unlock(&d->mtx);

		busy = 0;
		next = clock_now_ms() + DISPATCH_POLL_MS;
		for (i = 0; i < d->nchans; i++) {
			busy |= dispatch_channel(d, &d->chans[i]);
			if (d->chans[i].next_at > 0 && d->chans[i].next_at < next)
				next = d->chans[i].next_at;
		}

		pthread_mutex_lock(&d->mtx);
		d->passes++;
		d->idle = !busy;
		pthread_cond_broadcast(&d->passed);
		if (d->stop || d->wake || d->reloading)
			continue;
		now = clock_now_ms();
		wait_ms = next - now;
		if (wait_ms <= 0)
			continue;
		if (wait_ms > DISPATCH_POLL_MS)
			wait_ms = DISPATCH_POLL_MS;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += wait_ms / 1000;
		ts.tv_nsec += (wait_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		while (!d->stop && !d->wake && !d->reloading &&
		    pthread_cond_timedwait(&d->cond, &d->mtx, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&d->mtx);
	return NULL;
}

struct dispatch *
dispatch_start(const char *db, const struct channel_conf *c, size_t n,
    char **cause)
{
	struct dispatch *d;
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	d = xcalloc(1, sizeof *d);
	d->st = store_open(db, 0, cause);
	if (d->st == NULL) {
		free(d);
		return NULL;
	}
	d->rnd = (uint64_t)clock_now_ms() ^ ((uint64_t)(uintptr_t)d << 17) ^
	    0x9e3779b97f4a7c15ULL;
	d->chans = dispatch_chans_new(d->st, c, n, NULL, 0);
	d->nchans = n;
	pthread_mutex_init(&d->mtx, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cond, &ca);
	pthread_cond_init(&d->passed, &ca);
	pthread_condattr_destroy(&ca);
	/* signals stay with the main thread's event loop */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&d->thread, NULL, dispatch_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		xasprintf(cause, "dispatcher thread: %s", strerror(rc));
		store_close(d->st);
		dispatch_chans_free(d->chans, d->nchans);
		pthread_mutex_destroy(&d->mtx);
		pthread_cond_destroy(&d->cond);
		pthread_cond_destroy(&d->passed);
		free(d);
		return NULL;
	}
	return d;
}

void
dispatch_wake(struct dispatch *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mtx);
	d->wake = 1;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->mtx);
}

void
dispatch_reload(struct dispatch *d, const struct channel_conf *c, size_t n)
{
	size_t i;

	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mtx);
	for (i = 0; i < d->nreload; i++)
		channel_conf_release(&d->reload[i]);
	free(d->reload);
	d->reload = xcalloc(n > 0 ? n : 1, sizeof *d->reload);
	for (i = 0; i < n; i++)
		channel_conf_copy(&d->reload[i], &c[i]);
	d->nreload = n;
	d->reloading = 1;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->mtx);
}

int
dispatch_drain(struct dispatch *d, long long max_ms)
{
	struct timespec ts;
	uint64_t target;
	int rc = 1;

	if (d == NULL)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += max_ms / 1000;
	ts.tv_nsec += (max_ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&d->mtx);
	/* a whole pass that began after this call */
	target = d->passes + 2;
	d->wake = 1;
	pthread_cond_signal(&d->cond);
	for (;;) {
		if (d->passes >= target && d->idle) {
			rc = 0;
			break;
		}
		if (pthread_cond_timedwait(&d->passed, &d->mtx, &ts) ==
		    ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&d->mtx);
	return rc;
}

void
dispatch_stop(struct dispatch *d)
{
	size_t i;

	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mtx);
	d->stop = 1;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->mtx);
	pthread_join(d->thread, NULL);
	store_close(d->st);
	dispatch_chans_free(d->chans, d->nchans);
	for (i = 0; i < d->nreload; i++)
		channel_conf_release(&d->reload[i]);
	free(d->reload);
	pthread_mutex_destroy(&d->mtx);
	pthread_cond_destroy(&d->cond);
	pthread_cond_destroy(&d->passed);
	free(d);
}

void
dispatch_metrics(struct dispatch *d, struct buf *b)
{
	size_t i;

	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mtx);
	buf_addf(b, "# HELP nianbao_outbox_backlog Deliveries pending or "
	    "failed (to be retried), by channel.\n"
	    "# TYPE nianbao_outbox_backlog gauge\n");
	for (i = 0; i < d->nchans; i++)
		buf_addf(b, "nianbao_outbox_backlog{channel=\"%s\"} %lld\n",
		    d->chans[i].conf.name, (long long)d->chans[i].backlog);
	buf_addf(b, "# HELP nianbao_notify_failures_total Failed delivery "
	    "attempts since start-up, by channel.\n"
	    "# TYPE nianbao_notify_failures_total counter\n");
	for (i = 0; i < d->nchans; i++)
		buf_addf(b, "nianbao_notify_failures_total{channel=\"%s\"} "
		    "%llu\n", d->chans[i].conf.name,
		    (unsigned long long)d->chans[i].failures);
	pthread_mutex_unlock(&d->mtx);
}
