/*
 * The fetcher's insides, shared by the files of fetch/ and nothing else
 * (the daemon includes only fetch.h).  Who does what:
 *   multi.c   curl_multi_* and the libevent socket and timer events;
 *   easy.c    one easy handle per attempt: options, then the result;
 *   body.c    the bounded write, header and progress callbacks;
 *   host.c    per-host queues, politeness, retries, breaker, delivery;
 *   robots.c  robots.txt;
 *   fetch.c   the public glue (new, free, options, names).
 * The pure policy functions at the bottom are exposed for unit tests.
 */
#ifndef FETCH_INT_H
#define FETCH_INT_H

#include <sys/queue.h>

#include <stdint.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <event2/event_struct.h>

#include "buf.h"
#include "fetch.h"

#define FETCH_HEADER_MAX	(64 * 1024)	/* one response's header block */
#define FETCH_ROBOTS_MAX	(500 * 1024)	/* RFC 9309 §2.5 */

struct host;

/* One request, from fetch_start() to delivery; owned by the fetcher. */
struct xfer {
	struct fetcher		*f;
	struct host		*h;
	char			*url;
	char			*path;		/* path and query, for robots */
	char			*etag;
	char			*last_modified;
	int			 tls_verify;
	int			 is_robots;	/* ours; result goes to aux */
	fetch_cb		*cb;
	void			*arg;

	/* One attempt; reset before a retry. */
	CURL			*easy;
	struct curl_slist	*hdrlist;
	char			 errbuf[CURL_ERROR_SIZE];
	struct buf		 body;
	struct buf		 headers;	/* kept headers, final response */
	size_t			 hdr_bytes;	/* this response's header block */
	char			*content_type;
	char			*etag_got;
	char			*lm_got;
	char			*ra_got;
	long long		 wire;		/* dlnow, from the progress cb */
	long long		 max_body;
	int			 too_large;	/* our limit stopped it */
	const char		*too_large_why;

	int			 retries;
	/* the answers retried so far, handed to the final result */
	struct fetch_attempt	 attempts[FETCH_MAX_ATTEMPTS];
	int			 nattempts;
	int64_t			 queued_at;	/* monotonic ms, first queued */
	int64_t			 started_at;	/* monotonic ms, this attempt */
	int64_t			 started_wall;
	struct fetch_result	*res;		/* set once completed */

	TAILQ_ENTRY(xfer)	 entry;		/* host queue, running or done */
};
TAILQ_HEAD(xfer_list, xfer);

/* A politeness domain: scheme + host + port. */
struct host {
	struct fetcher		*f;
	char			*key;		/* "https://example.org:443" */
	struct host		*next;		/* hash chain */
	struct xfer_list	 queue;
	long			 running;
	int64_t			 next_ms;	/* monotonic: earliest start */
	long long		 last_resp_ms;
	long			 failures;	/* consecutive */
	int64_t			 breaker_until;	/* monotonic */
	struct robots		*robots;
	int64_t			 robots_expire;	/* monotonic */
	char			*robots_why;	/* why all is disallowed, or NULL */
	int			 robots_fetching;
	int			 starved;	/* waiting for a global slot */
	TAILQ_ENTRY(host)	 starved_entry;
	struct event		 timer;
};
TAILQ_HEAD(host_list, host);

/* A socket libcurl asked us to watch (multi.c). */
struct fetch_sock {
	struct fetcher		*f;
	curl_socket_t		 fd;
	int			 added;
	struct event		 ev;
	LIST_ENTRY(fetch_sock)	 entry;
};

struct fetcher {
	struct event_base	*base;
	struct fetch_opts	 opts;
	char			*user_agent;	/* opts.user_agent points here */
	fetch_cb		*aux;
	void			*aux_arg;

	CURLM			*multi;
	struct event		 curl_timer;
	int			 still_running;
	LIST_HEAD(, fetch_sock)	 socks;

	struct host		**hosts;	/* hash table, chained */
	size_t			 nbuckets;
	size_t			 nhosts;
	struct host_list	 starved;

	struct xfer_list	 running_list;
	struct xfer_list	 done;		/* completed, not yet delivered */
	struct event		 deliver;
	size_t			 nqueued;
	size_t			 nrunning;
	size_t			 ndone;
};

/* multi.c */
int		 multi_init(struct fetcher *);
int		 multi_add(struct fetcher *, struct xfer *, char **);
void		 multi_free(struct fetcher *);

/* easy.c */
int		 easy_setup(struct fetcher *, struct xfer *, char **);
struct fetch_result *easy_collect(struct xfer *, CURLcode);
void		 easy_reset(struct xfer *);

/* body.c */
size_t		 body_write(char *, size_t, size_t, void *);
size_t		 body_header(char *, size_t, size_t, void *);
int		 body_progress(void *, curl_off_t, curl_off_t, curl_off_t,
		    curl_off_t);

/* host.c */
void		 host_xfer_done(struct xfer *, CURLcode);
void		 host_free_all(struct fetcher *);
void		 host_deliver_cb(evutil_socket_t, short, void *);
void		 xfer_free(struct xfer *);

/* fetch.c */
int64_t		 fetch_now_ms(void);		/* monotonic */
int64_t		 fetch_wall_ms(void);
enum fetch_err	 fetch_err_from_curl(CURLcode);

/*
 * Pure policy (host.c), for unit tests.  The delay after a response:
 * max(min_delay, crawl_delay, delay_factor x last response), clamped to
 * max_delay, then raised to the backoff when failures > 0.
 */
long long	 fetch_delay_ms(const struct fetch_opts *, long long crawl_ms,
		    long long last_resp_ms, long failures);
/* min_delay x 2^failures, capped at backoff_max; 0 without failures. */
long long	 fetch_backoff_ms(const struct fetch_opts *, long failures);
/*
 * Retry-After: delta-seconds or an HTTP-date, relative to now_wall_ms.
 * Returns 0 with *ms >= 0 (not clamped), or -1 if it cannot be read.
 */
int		 fetch_retry_after_ms(const char *, int64_t now_wall_ms,
		    long long *ms);
/* robots.c: RFC 3986 normalisation used for both sides of a match. */
void		 robots_normalise(const char *, size_t, int pattern,
		    struct buf *);

#endif
