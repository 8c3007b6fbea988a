/*
 * The fetcher: libcurl's multi_socket API driven by one libevent loop,
 * with the politeness every request goes through.  Above this header the
 * daemon sees only "request in, completion callback out".
 *
 * Politeness lives here, per host (scheme + host + port):
 *   - at most opts.per_host requests in flight;
 *   - a delay between the end of one request and the start of the next:
 *     max(min_delay, crawl-delay of robots.txt, delay_factor x last response
 *     time), clamped to max_delay;
 *   - robots.txt fetched before the first request to a host, cached for
 *     robots_ttl, obeyed (our product token "nianbao", then "*"); a request
 *     it disallows completes with FETCH_ERR_ROBOTS without touching the
 *     network;
 *   - 429 and 503: Retry-After (seconds or HTTP date, clamped to
 *     retry_after_max) postpones the host; the request is retried up to
 *     max_retries times if the wait fits in retry_after_max, else it
 *     completes with the 429/503 result;
 *   - transport errors and 5xx: exponential backoff of the host's delay
 *     (min_delay x 2^failures, capped at backoff_max), reset on success;
 *   - a circuit breaker: after breaker_failures consecutive failures the
 *     host is open for breaker_cooldown; queued requests complete at once
 *     with FETCH_ERR_BREAKER; then one request is let through (half-open).
 */
#ifndef FETCH_H
#define FETCH_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct fetcher;

struct fetch_opts {
	const char	*user_agent;		/* copied */
	long		 per_host;		/* concurrent requests per host */
	long long	 min_delay_ms;
	long long	 max_delay_ms;
	long		 delay_factor;		/* x last response time */
	long		 connect_timeout;	/* seconds */
	long		 total_timeout;		/* seconds */
	long		 max_redirects;
	long long	 max_body;		/* bytes on the wire */
	long long	 max_decompressed;	/* bytes after decoding */
	int		 tls_verify;
	int		 robots;		/* obey robots.txt (1) */
	long long	 robots_ttl_ms;		/* cache lifetime, default 24 h */
	long		 max_retries;		/* after 429/503, default 2 */
	long long	 retry_after_max_ms;	/* default 120 s */
	long long	 backoff_max_ms;	/* default 1 h */
	long		 breaker_failures;	/* default 5 */
	long long	 breaker_cooldown_ms;	/* default 30 min */
	long		 max_total;		/* transfers in flight, all hosts */
};

/* Defaults as above (per_host 1, min_delay 2 s, ...). */
void	 fetch_opts_default(struct fetch_opts *);

enum fetch_err {
	FETCH_OK = 0,		/* a response was received (any status) */
	FETCH_ERR_DNS,
	FETCH_ERR_CONNECT,
	FETCH_ERR_TIMEOUT,	/* connect or total timeout */
	FETCH_ERR_TLS,
	FETCH_ERR_TOO_LARGE,	/* max_body or max_decompressed exceeded */
	FETCH_ERR_REDIRECTS,	/* more than max_redirects */
	FETCH_ERR_DECODE,	/* bad gzip/deflate/brotli stream */
	FETCH_ERR_PROTOCOL,	/* malformed response, bad URL, ... */
	FETCH_ERR_ROBOTS,	/* disallowed by robots.txt, not fetched */
	FETCH_ERR_BREAKER,	/* host's circuit breaker open, not fetched */
	FETCH_ERR_CANCELLED,	/* fetch_cancel_queued / shutdown */
	FETCH_ERR_OTHER
};
/* "timeout", "too_large", ... (stable, stored in captures). */
const char *fetch_err_name(enum fetch_err);

struct fetch_req {
	const char	*url;		/* copied */
	const char	*etag;		/* If-None-Match, or NULL; copied */
	const char	*last_modified;	/* If-Modified-Since, or NULL; copied */
	int		 tls_verify;	/* -1 = opts.tls_verify */
};

/* An answer that was retried (429/503 with Retry-After) before the final one. */
#define FETCH_MAX_ATTEMPTS	10
struct fetch_attempt {
	long		 status;
	int64_t		 started_ms;	/* wall clock */
	int64_t		 total_ms;
	char		*retry_after;	/* the header as sent, or NULL */
};

/* A completed request.  Every string is owned by the result. */
struct fetch_result {
	char		*url;		/* as requested */
	char		*final_url;	/* after redirects */
	enum fetch_err	 err;
	char		*cause;		/* error text (curl's or ours), or NULL */
	long		 status;	/* HTTP status, 0 without a response */
	char		*body;		/* decoded body, NUL-terminated, may be NULL */
	size_t		 len;
	size_t		 wire_bytes;	/* body bytes received before decoding */
	char		*content_type;	/* the header values, or NULL */
	char		*etag;
	char		*last_modified;
	char		*retry_after;
	char		*headers;	/* selected headers, "Name: value\n" lines */
	int		 redirects;
	int		 retries;	/* times retried after 429/503 */
	struct fetch_attempt attempts[FETCH_MAX_ATTEMPTS]; /* those answers */
	int		 nattempts;	/* at most FETCH_MAX_ATTEMPTS kept */
	int64_t		 started_ms;	/* wall clock, ms since the epoch */
	int64_t		 queued_ms;	/* time spent waiting for politeness */
	int64_t		 connect_ms;
	int64_t		 ttfb_ms;
	int64_t		 total_ms;
};
void	 fetch_result_free(struct fetch_result *);	/* NULL is a no-op */

/*
 * Called once per fetch_start(), on the loop, never from inside
 * fetch_start().  The callee owns res and frees it with
 * fetch_result_free().
 */
typedef void fetch_cb(struct fetch_result *res, void *arg);

/*
 * A fetcher on base.  aux, if not NULL, receives the results of the
 * requests the fetcher makes on its own (robots.txt), so that they can be
 * captured too; the callee owns them.
 */
struct fetcher	*fetcher_new(struct event_base *, const struct fetch_opts *,
		    fetch_cb *aux, void *aux_arg);
/* New politeness and limits (SIGHUP); queued requests keep their place. */
void		 fetcher_set_opts(struct fetcher *, const struct fetch_opts *);
/*
 * Queues a request.  Returns 0, or -1 with *cause (caller frees) for a URL
 * that cannot be fetched at all (not http/https, unparsable).
 */
int		 fetch_start(struct fetcher *, const struct fetch_req *,
		    fetch_cb *, void *arg, char **cause);
/* Completes every queued (not yet started) request with CANCELLED. */
void		 fetch_cancel_queued(struct fetcher *);
/* Requests queued plus in flight. */
size_t		 fetch_pending(const struct fetcher *);
/* Requests in flight. */
size_t		 fetch_running(const struct fetcher *);
/*
 * Aborts everything without calling callbacks and frees the fetcher
 * (curl handles, then the multi, then events, in that order).
 */
void		 fetcher_free(struct fetcher *);

/* robots.txt, exposed for unit tests and `nianbao` (fetch/robots.c). */
struct robots;
/* Parses a robots.txt body for agent (e.g. "nianbao"); never fails. */
struct robots	*robots_parse(const char *body, size_t len, const char *agent);
/* A policy that allows everything (4xx) or nothing (5xx, unreachable). */
struct robots	*robots_all(int allow);
/* Whether path (with query) may be fetched. */
int		 robots_allowed(const struct robots *, const char *path);
/* Crawl-delay in ms, 0 if none. */
long long	 robots_crawl_delay_ms(const struct robots *);
void		 robots_free(struct robots *);

#endif
