/*
 * Per-host politeness (scheme + host + port): the queue, the delay
 * between requests, robots.txt, Retry-After, backoff and the circuit
 * breaker, and delivery of results.
 *
 * Each host has one timer; host_run() is its handler and the only place
 * a request starts, so fetch_start() and completions merely arm it.  The
 * delay applies after each start and after each end, so starts are
 * spaced by it whatever per_host is, and every end is followed by it.
 * Results go to the fetcher's done list and are handed over one per
 * pass of the deliver event; the handler touches nothing after the
 * callback, which may start requests or free the fetcher.
 * Ownership: the fetcher owns hosts and xfers; results go to the callee.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fetch_int.h"
#include "util.h"
#include "xmalloc.h"

static void	host_run(evutil_socket_t, short, void *);

long long
fetch_backoff_ms(const struct fetch_opts *o, long failures)
{
	long long d = o->min_delay_ms;
	long i;

	if (failures <= 0)
		return (0);
	for (i = 0; i < failures && d < o->backoff_max_ms; i++)
		d *= 2;
	return (d > o->backoff_max_ms ? o->backoff_max_ms : d);
}

long long
fetch_delay_ms(const struct fetch_opts *o, long long crawl_ms,
    long long last_resp_ms, long failures)
{
	long long d = o->min_delay_ms, b, r = 0;

	if (crawl_ms > d)
		d = crawl_ms;
	if (o->delay_factor > 0 && last_resp_ms > 0) {
		/* Saturate rather than overflow. */
		if (last_resp_ms > (1LL << 40) / o->delay_factor)
			r = 1LL << 40;
		else
			r = o->delay_factor * last_resp_ms;
	}
	if (r > d)
		d = r;
	if (d > o->max_delay_ms)
		d = o->max_delay_ms;
	b = fetch_backoff_ms(o, failures);
	return (b > d ? b : d);
}

int
fetch_retry_after_ms(const char *v, int64_t now_wall_ms, long long *ms)
{
	const char *errstr;
	long long n;
	time_t t;

	if (v == NULL)
		return (-1);
	while (isspace((unsigned char)*v))
		v++;
	if (isdigit((unsigned char)*v)) {
		if (util_strtonum(v, 0, 366LL * 86400, &n, &errstr) != 0) {
			if (strcmp(errstr, "too large") != 0)
				return (-1);
			n = 366LL * 86400;
		}
		*ms = n * 1000;
		return (0);
	}
	/* IMF-fixdate, RFC 850 or asctime: curl_getdate reads all three. */
	if ((t = curl_getdate(v, NULL)) == -1)
		return (-1);
	n = (long long)t * 1000 - now_wall_ms;
	*ms = n < 0 ? 0 : n;
	return (0);
}

static void
host_kick(struct host *h, int64_t delay_ms)
{
	struct timeval tv;

	if (delay_ms < 0)
		delay_ms = 0;
	tv.tv_sec = delay_ms / 1000;
	tv.tv_usec = (delay_ms % 1000) * 1000;
	evtimer_add(&h->timer, &tv);
}

void
host_deliver_cb(evutil_socket_t fd, short kind, void *arg)
{
	struct fetcher *f = arg;
	struct timeval tv = { 0, 0 };
	struct fetch_result *res;
	struct xfer *x;
	fetch_cb *cb;
	void *cbarg;

	if ((x = TAILQ_FIRST(&f->done)) == NULL)
		return;
	TAILQ_REMOVE(&f->done, x, entry);
	f->ndone--;
	if (!TAILQ_EMPTY(&f->done))
		evtimer_add(&f->deliver, &tv);
	res = x->res;
	x->res = NULL;
	cb = x->cb;
	cbarg = x->arg;
	xfer_free(x);
	/* Last: the callback may start requests or free the fetcher. */
	if (cb != NULL)
		cb(res, cbarg);
	else
		fetch_result_free(res);
}

/* Queues x's result (x->res) for delivery on a later loop pass. */
static void
host_deliver(struct xfer *x)
{
	struct fetcher *f = x->f;
	struct timeval tv = { 0, 0 };

	if (x->is_robots) {
		x->cb = f->aux;
		x->arg = f->aux_arg;
	}
	TAILQ_INSERT_TAIL(&f->done, x, entry);
	f->ndone++;
	evtimer_add(&f->deliver, &tv);
}

/* Completes a request that never reached the network. */
static void
host_fail(struct xfer *x, enum fetch_err err, const char *cause)
{
	struct fetch_result *res;

	res = xcalloc(1, sizeof *res);
	res->url = xstrdup(x->url);
	res->final_url = xstrdup(x->url);
	res->err = err;
	res->cause = xstrdup(cause);
	res->retries = x->retries;
	res->started_ms = fetch_wall_ms();
	res->queued_ms = fetch_now_ms() - x->queued_at;
	/* the retried answers go with the final one (moved, not copied) */
	memcpy(res->attempts, x->attempts, sizeof res->attempts);
	res->nattempts = x->nattempts;
	x->nattempts = 0;
	x->res = res;
	host_deliver(x);
}

void
xfer_free(struct xfer *x)
{
	if (x == NULL)
		return;
	easy_reset(x);
	fetch_result_free(x->res);
	while (x->nattempts > 0)
		free(x->attempts[--x->nattempts].retry_after);
	free(x->url);
	free(x->path);
	free(x->etag);
	free(x->last_modified);
	free(x);
}

static uint64_t
host_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (h);
}

static struct host *
host_get(struct fetcher *f, const char *key)
{
	struct host **nb, *h, *next;
	size_t i, n;

	if (f->nbuckets == 0) {
		f->nbuckets = 64;
		f->hosts = xcalloc(f->nbuckets, sizeof *f->hosts);
	}
	for (h = f->hosts[host_hash(key) % f->nbuckets]; h != NULL;
	    h = h->next) {
		if (strcmp(h->key, key) == 0)
			return (h);
	}
	if (f->nhosts >= f->nbuckets) {
		n = f->nbuckets * 2;
		nb = xcalloc(n, sizeof *nb);
		for (i = 0; i < f->nbuckets; i++) {
			for (h = f->hosts[i]; h != NULL; h = next) {
				next = h->next;
				h->next = nb[host_hash(h->key) % n];
				nb[host_hash(h->key) % n] = h;
			}
		}
		free(f->hosts);
		f->hosts = nb;
		f->nbuckets = n;
	}
	h = xcalloc(1, sizeof *h);
	h->f = f;
	h->key = xstrdup(key);
	TAILQ_INIT(&h->queue);
	evtimer_assign(&h->timer, f->base, host_run, h);
	i = host_hash(key) % f->nbuckets;
	h->next = f->hosts[i];
	f->hosts[i] = h;
	f->nhosts++;
	return (h);
}

void
host_free_all(struct fetcher *f)
{
	struct host *h, *next;
	struct xfer *x;
	size_t i;

	for (i = 0; i < f->nbuckets; i++) {
		for (h = f->hosts[i]; h != NULL; h = next) {
			next = h->next;
			while ((x = TAILQ_FIRST(&h->queue)) != NULL) {
				TAILQ_REMOVE(&h->queue, x, entry);
				xfer_free(x);
			}
			evtimer_del(&h->timer);
			robots_free(h->robots);
			free(h->robots_why);
			free(h->key);
			free(h);
		}
	}
	free(f->hosts);
	f->hosts = NULL;
	f->nbuckets = f->nhosts = 0;
	while ((x = TAILQ_FIRST(&f->done)) != NULL) {
		TAILQ_REMOVE(&f->done, x, entry);
		xfer_free(x);
	}
	f->nqueued = f->ndone = 0;
}

/*
 * Splits url into the host key and the path robots.txt judges.  Returns
 * 0, or -1 with *cause.
 */
static int
host_key(const char *url, char **key, char **path, char **cause)
{
	CURLU *u;
	CURLUcode uc;
	char *scheme = NULL, *host = NULL, *port = NULL, *p = NULL, *q = NULL;
	char *c;
	int rv = -1;

	if ((u = curl_url()) == NULL)
		fatalx("curl_url: out of memory");
	uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc != CURLUE_OK) {
		xasprintf(cause, "%s: %s", url, curl_url_strerror(uc));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0)) {
		xasprintf(cause, "%s: only http and https can be fetched",
		    url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    *host == '\0') {
		xasprintf(cause, "%s: no host", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK) {
		xasprintf(cause, "%s: no port", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PATH, &p, 0) != CURLUE_OK)
		p = NULL;
	if (curl_url_get(u, CURLUPART_QUERY, &q, 0) != CURLUE_OK)
		q = NULL;
	for (c = scheme; *c != '\0'; c++)
		*c = tolower((unsigned char)*c);
	for (c = host; *c != '\0'; c++)
		*c = tolower((unsigned char)*c);
	xasprintf(key, "%s://%s:%s", scheme, host, port);
	xasprintf(path, "%s%s%s", p != NULL && *p != '\0' ? p : "/",
	    q != NULL ? "?" : "", q != NULL ? q : "");
	rv = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(p);
	curl_free(q);
	curl_url_cleanup(u);
	return (rv);
}

static int
host_bad_value(const char *s)
{
	return (s != NULL && strpbrk(s, "\r\n") != NULL);
}

int
fetch_start(struct fetcher *f, const struct fetch_req *req, fetch_cb *cb,
    void *arg, char **cause)
{
	struct xfer *x;
	struct host *h;
	char *key = NULL, *path = NULL;

	if (req == NULL || req->url == NULL) {
		*cause = xstrdup("no URL");
		return (-1);
	}
	if (host_bad_value(req->etag) || host_bad_value(req->last_modified)) {
		xasprintf(cause, "%s: line break in a validator", req->url);
		return (-1);
	}
	if (host_key(req->url, &key, &path, cause) != 0)
		return (-1);
	h = host_get(f, key);
	free(key);

	x = xcalloc(1, sizeof *x);
	x->f = f;
	x->h = h;
	x->url = xstrdup(req->url);
	x->path = path;
	x->etag = req->etag != NULL ? xstrdup(req->etag) : NULL;
	x->last_modified = req->last_modified != NULL ?
	    xstrdup(req->last_modified) : NULL;
	x->tls_verify = req->tls_verify;
	x->cb = cb;
	x->arg = arg;
	x->queued_at = fetch_now_ms();
	TAILQ_INSERT_TAIL(&h->queue, x, entry);
	f->nqueued++;
	/* Never start (or complete) from here: the host's timer does. */
	host_kick(h, 0);
	return (0);
}

/* Completes every queued request of h with err (breaker, cancel). */
static void
host_drain(struct host *h, enum fetch_err err, const char *cause)
{
	struct fetcher *f = h->f;
	struct xfer *x;

	while ((x = TAILQ_FIRST(&h->queue)) != NULL) {
		TAILQ_REMOVE(&h->queue, x, entry);
		f->nqueued--;
		if (x->is_robots) {
			/* Never made: nothing to capture. */
			h->robots_fetching = 0;
			xfer_free(x);
			continue;
		}
		host_fail(x, err, cause);
	}
}

void
fetch_cancel_queued(struct fetcher *f)
{
	struct host *h;
	size_t i;

	for (i = 0; i < f->nbuckets; i++) {
		for (h = f->hosts[i]; h != NULL; h = h->next)
			host_drain(h, FETCH_ERR_CANCELLED, "cancelled");
	}
}

static void
host_queue_robots(struct host *h)
{
	struct fetcher *f = h->f;
	struct xfer *x;

	x = xcalloc(1, sizeof *x);
	x->f = f;
	x->h = h;
	xasprintf(&x->url, "%s/robots.txt", h->key);
	x->path = xstrdup("/robots.txt");
	x->tls_verify = -1;
	x->is_robots = 1;
	x->queued_at = fetch_now_ms();
	TAILQ_INSERT_HEAD(&h->queue, x, entry);
	f->nqueued++;
	h->robots_fetching = 1;
}

static void
host_starve(struct host *h)
{
	if (!h->starved) {
		h->starved = 1;
		TAILQ_INSERT_TAIL(&h->f->starved, h, starved_entry);
	}
}

static long long
host_delay(struct host *h)
{
	return (fetch_delay_ms(&h->f->opts, robots_crawl_delay_ms(h->robots),
	    h->last_resp_ms, h->failures));
}

/* The host's timer: start what politeness allows, arm for the rest. */
static void
host_run(evutil_socket_t fd, short kind, void *arg)
{
	struct host *h = arg;
	struct fetcher *f = h->f;
	const struct fetch_opts *o = &f->opts;
	struct xfer *x;
	int64_t now, d;
	char *cause;
	int half_open;

	for (;;) {
		now = fetch_now_ms();
		if ((x = TAILQ_FIRST(&h->queue)) == NULL)
			return;
		if (o->breaker_failures > 0 &&
		    h->failures >= o->breaker_failures &&
		    now < h->breaker_until) {
			host_drain(h, FETCH_ERR_BREAKER,
			    "circuit breaker open for this host");
			return;
		}
		if (!x->is_robots && o->robots) {
			if (h->robots == NULL || now >= h->robots_expire) {
				if (h->robots_fetching)
					return;	/* its end kicks us */
				host_queue_robots(h);
				continue;
			}
			if (!robots_allowed(h->robots, x->path)) {
				TAILQ_REMOVE(&h->queue, x, entry);
				f->nqueued--;
				host_fail(x, FETCH_ERR_ROBOTS,
				    h->robots_why != NULL ? h->robots_why :
				    "disallowed by robots.txt");
				continue;
			}
		}
		half_open = o->breaker_failures > 0 &&
		    h->failures >= o->breaker_failures;
		if (h->running >= (o->per_host > 0 ? o->per_host : 1) ||
		    (half_open && h->running > 0))
			return;		/* an end kicks us */
		if (o->max_total > 0 && (long)f->nrunning >= o->max_total) {
			host_starve(h);
			return;
		}
		if (now < h->next_ms) {
			host_kick(h, h->next_ms - now);
			return;
		}

		TAILQ_REMOVE(&h->queue, x, entry);
		f->nqueued--;
		x->started_at = now;
		x->started_wall = fetch_wall_ms();
		cause = NULL;
		if (easy_setup(f, x, &cause) != 0 ||
		    multi_add(f, x, &cause) != 0) {
			host_fail(x, FETCH_ERR_OTHER, cause);
			free(cause);
			continue;
		}
		h->running++;
		f->nrunning++;
		d = host_delay(h);
		if (h->next_ms < now + d)
			h->next_ms = now + d;
	}
}

/* How soon an unreachable robots.txt is asked again. */
#define FETCH_ROBOTS_RETRY_MS	(10 * 60 * 1000)

/* A robots.txt answer becomes the host's policy (RFC 9309 §2.3.1). */
static void
host_robots_done(struct host *h, const struct fetch_result *res)
{
	const struct fetch_opts *o = &h->f->opts;

	int64_t ttl = o->robots_ttl_ms;

	robots_free(h->robots);
	free(h->robots_why);
	h->robots_why = NULL;
	if (res->status >= 200 && res->status < 300 && res->body != NULL)
		h->robots = robots_parse(res->body, res->len, "nianbao");
	else if (res->err == FETCH_ERR_REDIRECTS ||
	    (res->status >= 400 && res->status < 500 && res->status != 429))
		h->robots = robots_all(1);	/* unavailable: allow */
	else {
		/*
		 * Unreachable: disallow (RFC 9309), but say why, and ask
		 * again soon, so one outage does not hide a site for a day.
		 */
		h->robots = robots_all(0);
		if (res->err != FETCH_OK)
			xasprintf(&h->robots_why, "robots.txt unreachable "
			    "(%s: %s), host not fetched", fetch_err_name(
			    res->err), res->cause != NULL ? res->cause : "");
		else
			xasprintf(&h->robots_why, "robots.txt answered HTTP "
			    "%ld, host not fetched", res->status);
		if (ttl > FETCH_ROBOTS_RETRY_MS)
			ttl = FETCH_ROBOTS_RETRY_MS;
	}
	h->robots_expire = fetch_now_ms() + ttl;
	h->robots_fetching = 0;
}

/* Called by multi.c once a transfer ends; never runs user code. */
void
host_xfer_done(struct xfer *x, CURLcode code)
{
	struct fetcher *f = x->f;
	struct host *h = x->h, *sh;
	const struct fetch_opts *o = &f->opts;
	struct fetch_result *res;
	long long wait;
	int64_t now;
	int failed, retry = 0;

	h->running--;
	f->nrunning--;
	res = easy_collect(x, code);
	now = fetch_now_ms();
	h->last_resp_ms = res->total_ms;

	if (res->err == FETCH_OK && (res->status == 429 ||
	    res->status == 503) &&
	    fetch_retry_after_ms(res->retry_after, fetch_wall_ms(),
	    &wait) == 0) {
		retry = wait <= o->retry_after_max_ms &&
		    x->retries < o->max_retries;
		if (wait > o->retry_after_max_ms)
			wait = o->retry_after_max_ms;
		if (h->next_ms < now + wait)
			h->next_ms = now + wait;
	}
	if (retry) {
		if (x->nattempts < FETCH_MAX_ATTEMPTS) {
			struct fetch_attempt *a = &x->attempts[x->nattempts++];

			a->status = res->status;
			a->started_ms = res->started_ms;
			a->total_ms = res->total_ms;
			a->retry_after = res->retry_after;
			res->retry_after = NULL;
		}
		fetch_result_free(res);
		x->retries++;
		TAILQ_INSERT_HEAD(&h->queue, x, entry);
		f->nqueued++;
		host_kick(h, 0);
		goto starved;
	}

	switch (res->err) {
	case FETCH_ERR_DNS:
	case FETCH_ERR_CONNECT:
	case FETCH_ERR_TIMEOUT:
	case FETCH_ERR_TLS:
	case FETCH_ERR_PROTOCOL:
	case FETCH_ERR_OTHER:
		failed = 1;
		break;
	case FETCH_OK:
		failed = res->status >= 500 || res->status == 429;
		break;
	default:
		failed = 0;	/* our limits, not the host's health */
		break;
	}
	if (failed) {
		h->failures++;
		if (o->breaker_failures > 0 &&
		    h->failures >= o->breaker_failures)
			h->breaker_until = now + o->breaker_cooldown_ms;
	} else if (res->err == FETCH_OK)
		h->failures = 0;
	/* Before the delay: it may bring a Crawl-delay. */
	if (x->is_robots)
		host_robots_done(h, res);
	if (h->next_ms < now + host_delay(h))
		h->next_ms = now + host_delay(h);
	/* the retried answers go with the final one (moved, not copied) */
	memcpy(res->attempts, x->attempts, sizeof res->attempts);
	res->nattempts = x->nattempts;
	x->nattempts = 0;
	x->res = res;
	host_deliver(x);
	host_kick(h, 0);

starved:
	/* A global slot is free: wake the hosts that waited for one. */
	while ((sh = TAILQ_FIRST(&f->starved)) != NULL) {
		TAILQ_REMOVE(&f->starved, sh, starved_entry);
		sh->starved = 0;
		host_kick(sh, 0);
	}
}
