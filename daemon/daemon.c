/*
 * The daemon's plumbing between the loop and the jobs: store writes
 * batched into one transaction committed every COMMIT_MS (a crash loses at
 * most that much work, which the next check redoes, and never half of
 * it), and the schedule driver that starts due sources up to max_jobs.
 */
#include <sys/random.h>

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "../notify/notify.h"
#include "clock.h"
#include "fetch.h"
#include "log.h"
#include "nianbaod.h"
#include "store.h"
#include "xmalloc.h"

#define COMMIT_MS	250

uint64_t
daemon_random(void)
{
	static uint64_t state;
	uint64_t x;

	if (state == 0 && getrandom(&state, sizeof state, 0) !=
	    (ssize_t)sizeof state)
		state = (uint64_t)clock_now_ms() | 1;
	/* xorshift64*: spreading and jitter need no more */
	x = state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static void
daemon_commit_cb(evutil_socket_t fd, short what, void *arg)
{
	daemon_commit(arg);
}

int
daemon_tx(struct nianbaod *d)
{
	struct timeval tv = { 0, COMMIT_MS * 1000 };
	char *cause = NULL;

	if (!store_in_tx(d->store)) {
		if (store_begin(d->store, &cause) == -1) {
			log_warnx("store: %s", cause);
			free(cause);
			return -1;
		}
		evtimer_add(d->commit_ev, &tv);
	}
	d->dirty = 1;
	return 0;
}

/*
 * Commits, or logs why not and rolls back.  Kept out of line: inlined into
 * the timer callback, GCC 12 at -O3 warns of a "dangling pointer" to cause
 * (a false positive).
 */
static void __attribute__((noinline))
daemon_store_commit(struct store *st)
{
	char *cause = NULL;

	if (store_commit(st, &cause) == -1) {
		log_warnx("store: commit: %s", cause);
		free(cause);
		store_rollback(st);
	}
}

void
daemon_commit(struct nianbaod *d)
{
	if (!store_in_tx(d->store))
		return;
	daemon_store_commit(d->store);
	d->dirty = 0;
	evtimer_del(d->commit_ev);
	/* new events may be in the batch: the dispatcher looks now */
	dispatch_wake(d->dispatch);
}

void
daemon_fetch_opts(const struct conf *c, struct fetch_opts *o)
{
	fetch_opts_default(o);
	o->user_agent = c->user_agent;
	o->per_host = (long)c->per_host;
	o->min_delay_ms = c->min_delay_ms;
	o->max_delay_ms = c->max_delay_ms;
	o->delay_factor = (long)c->delay_factor;
	o->connect_timeout = (long)c->connect_timeout;
	o->total_timeout = (long)c->total_timeout;
	o->max_redirects = (long)c->max_redirects;
	o->max_body = c->max_body;
	o->max_decompressed = c->max_decompressed;
	o->tls_verify = c->tls_verify;
	o->robots = c->robots;
	o->max_retries = (long)c->max_retries;
	o->retry_after_max_ms = c->retry_after_max_ms;
	o->backoff_max_ms = c->backoff_max_ms;
	o->breaker_failures = (long)c->breaker_failures;
	o->breaker_cooldown_ms = c->breaker_cooldown_ms;
}

void
daemon_capture_fill(struct store_capture *c, const struct fetch_result *res,
    const char *kind, const char *digest)
{
	memset(c, 0, sizeof *c);
	c->url = res->url;
	if (res->final_url != NULL && strcmp(res->final_url, res->url) != 0)
		c->final_url = res->final_url;
	c->kind = kind;
	c->fetched_at = res->started_ms;
	c->status = res->status;
	if (res->err != FETCH_OK) {
		c->error = fetch_err_name(res->err);
		c->cause = res->cause;
	}
	c->content_type = res->content_type;
	c->etag = res->etag;
	c->last_modified = res->last_modified;
	c->headers = res->headers;
	c->digest = digest[0] != '\0' ? digest : NULL;
	c->size = (int64_t)res->len;
	c->wire_bytes = (int64_t)res->wire_bytes;
	c->total_ms = res->total_ms;
}

void
daemon_aux_result(struct fetch_result *res, void *arg)
{
	struct nianbaod *d = arg;
	struct store_capture c;
	char digest[65], *cause = NULL;

	if (res->err == FETCH_ERR_CANCELLED || daemon_tx(d) == -1)
		goto out;
	digest[0] = '\0';
	if (res->err == FETCH_OK && res->body != NULL && res->len > 0 &&
	    store_blob_put(d->store, res->body, res->len, digest, &cause) ==
	    -1) {
		log_warnx("store: %s", cause);
		free(cause);
		cause = NULL;
		digest[0] = '\0';
	}
	daemon_capture_fill(&c, res, "robots", digest);
	if (store_capture_add(d->store, &c, &cause) == -1) {
		log_warnx("store: capture of %s: %s", res->url, cause);
		free(cause);
	}
	d->n_fetches++;
	metrics_fetch(&d->metrics, res->url, res->status, res->err != FETCH_OK,
	    (uint64_t)res->wire_bytes);
out:
	fetch_result_free(res);
}

struct daemon_due {
	struct nianbaod	*d;
	int64_t		 now;
};

void
daemon_schedule_all(struct nianbaod *d)
{
	struct store_source s;
	int64_t now = clock_now_ms(), stored, interval;
	char *cause = NULL;
	size_t i;
	int rc;

	sched_clear(&d->sched);
	/* one transaction for the whole read: 100,000 lookups, one lock */
	if (store_begin(d->store, &cause) == -1) {
		log_warnx("store: %s", cause);
		free(cause);
		cause = NULL;
	}
	for (i = 0; i < d->cat.n; i++) {
		const struct source *src = &d->cat.v[i];

		stored = 0;
		memset(&s, 0, sizeof s);
		rc = store_source_get(d->store, src->id, &s, &cause);
		if (rc == -1) {
			log_warnx("store: %s", cause);
			free(cause);
			cause = NULL;
		} else if (rc == 0) {
			stored = s.next_due;
			store_source_release(&s);
		}
		interval = (src->interval > 0 ? src->interval :
		    d->conf.interval) * 1000;
		if (d->all)
			sched_push(&d->sched, i, now);
		else if (d->once)
			sched_push(&d->sched, i, stored > now ? stored : now);
		else	/* spread over one interval: no herd at start-up */
			sched_push(&d->sched, i, sched_initial(now, stored,
			    interval, interval, daemon_random()));
	}
	if (store_in_tx(d->store) && store_commit(d->store, &cause) == -1) {
		log_warnx("store: %s", cause);
		free(cause);
	}
	if (d->once) {
		/* --once: what is due now, the rest stays for later */
		d->planned = 0;
		for (i = 0; i < d->sched.n; i++) {
			if (d->sched.v[i].due <= now)
				d->planned++;
		}
	}
}

static void
daemon_due_cb(evutil_socket_t fd, short what, void *arg)
{
	daemon_run_due(arg);
}

void
daemon_run_due(struct nianbaod *d)
{
	const struct sched_entry *e;
	struct timeval tv;
	int64_t now = clock_now_ms(), wait;
	size_t src;

	if (d->stopping)
		return;
	for (;;) {
		e = sched_peek(&d->sched);
		if (e == NULL || e->due > now ||
		    d->jobs >= (size_t)d->conf.max_jobs)
			break;
		if (d->once && d->started >= d->planned)
			break;
		src = e->src;
		sched_pop(&d->sched);
		if (src >= d->cat.n)
			continue;
		d->jobs++;
		d->started++;
		job_start(d, src);
	}
	e = sched_peek(&d->sched);
	if (e == NULL || d->once || e->due <= now)
		return;		/* nothing later, or woken by a finishing job */
	wait = e->due - now;
	tv.tv_sec = (time_t)(wait / 1000);
	tv.tv_usec = (suseconds_t)(wait % 1000) * 1000;
	evtimer_add(d->due_ev, &tv);
}

void
daemon_job_done(struct nianbaod *d, size_t src, int64_t next_due)
{
	d->jobs--;
	d->finished++;
	/* the report calendar after each check (calsweep.c) */
	next_due = calsweep_after_check(d, src, next_due);
	if (!d->once && !d->stopping && src < d->cat.n)
		sched_push(&d->sched, src, next_due);
	if (d->once && d->finished >= d->planned) {
		daemon_commit(d);
		event_base_loopexit(d->base, NULL);
		return;
	}
	if (d->stopping) {
		if (d->jobs == 0) {
			daemon_commit(d);
			event_base_loopexit(d->base, NULL);
		}
		return;
	}
	daemon_run_due(d);
}

void
daemon_init_events(struct nianbaod *d)
{
	d->due_ev = evtimer_new(d->base, daemon_due_cb, d);
	d->commit_ev = evtimer_new(d->base, daemon_commit_cb, d);
}
