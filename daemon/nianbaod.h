/*
 * The daemon's shared state and the prototypes of the files that make it
 * up (tmux.h style, one section per file):
 *
 *   nianbaod_main.c  command line, start-up, signals, the loop, shutdown
 *   daemon.c         batching of store writes, the schedule driver
 *   job.c            one check of one source: listing pages, report pages,
 *                    attachments, versions, removals, events
 *   change.c         what changed between two versions of a record
 *   metrics.c        fetch counters by status class and host, for /metrics
 *   httpd.c          the read-only HTTP API and /metrics (evhttp)
 *   calsweep.c       the report calendar: statuses and report.missing,
 *                    report.late, report.found events (rules: calendar.h)
 */
#ifndef NIANBAOD_H
#define NIANBAOD_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "conf.h"
#include "sched.h"

struct buf;
struct dispatch;
struct event;
struct event_base;
struct httpd;
struct fetcher;
struct store;
struct fetch_result;

/* metrics.c: fetches by status class, per host up to a bound */
enum { METRICS_2XX, METRICS_3XX, METRICS_304, METRICS_4XX, METRICS_5XX,
    METRICS_ERROR, METRICS_NCLASS };
#define METRICS_MAX_HOSTS 1000
struct metrics_host {
	char		*host;
	uint64_t	 n[METRICS_NCLASS];
	uint64_t	 bytes;		/* body bytes on the wire */
};
struct metrics {
	struct metrics_host *hosts;	/* METRICS_MAX_HOSTS, nhosts used */
	size_t		 nhosts;
	size_t		*index;		/* hash slots: 1 + index into hosts */
	size_t		 nindex;
	struct metrics_host other;	/* hosts beyond the bound */
	uint64_t	 n[METRICS_NCLASS];
	uint64_t	 bytes;
};

struct nianbaod {
	struct event_base *base;
	struct conf	 conf;
	struct catalog	 cat;
	struct store	*store;
	struct fetcher	*fetcher;
	struct sched	 sched;

	int		 once;		/* --once: one cycle, then exit */
	int		 all;		/* --all: every source is due now */
	int		 stopping;	/* SIGTERM: schedule nothing new */
	size_t		 jobs;		/* checks running */
	size_t		 started;	/* checks started (this run) */
	size_t		 finished;	/* checks finished (this run) */
	size_t		 planned;	/* --once: checks to run */

	struct event	*due_ev;	/* next due source */
	struct event	*commit_ev;	/* batched commit */
	int		 dirty;		/* writes not yet committed */

	/* counters for this run, logged at exit */
	uint64_t	 n_fetches;
	uint64_t	 n_revisits;
	uint64_t	 n_errors;
	uint64_t	 n_events;
	uint64_t	 n_versions;

	struct metrics	 metrics;	/* for /metrics */
	struct httpd	*httpd;		/* NULL when [http] listen = no */
	struct dispatch	*dispatch;	/* notifications; NULL without channels */
	int64_t		 started_ms;	/* wall clock at start-up */
	struct event	*calendar_ev;	/* calsweep.c: next calendar sweep */
};

/* daemon.c */
/*
 * Opens a write transaction if none is open and makes sure it is
 * committed soon.  Returns -1 (logged) if the store cannot begin one.
 */
int	 daemon_tx(struct nianbaod *);
/* Commits the open transaction now, if any. */
void	 daemon_commit(struct nianbaod *);
/* Fills the schedule from the catalog and the store's due times. */
void	 daemon_schedule_all(struct nianbaod *);
/* Starts the sources that are due (up to max_jobs) and arms the timer. */
void	 daemon_run_due(struct nianbaod *);
/* Called by job.c when a check ends. */
void	 daemon_job_done(struct nianbaod *, size_t src, int64_t next_due);
/* The fetch options from the configuration. */
struct fetch_opts;
void	 daemon_fetch_opts(const struct conf *, struct fetch_opts *);
/*
 * A capture row from a fetch result, no source, not a revisit; digest is
 * the stored body's ("" when none).  Borrows every string of res.
 */
struct store_capture;
void	 daemon_capture_fill(struct store_capture *,
	    const struct fetch_result *, const char *kind, const char *digest);
/* Records robots.txt and other fetcher-made results. */
void	 daemon_aux_result(struct fetch_result *, void *);
uint64_t daemon_random(void);
/* Creates the due and commit timers on d->base. */
void	 daemon_init_events(struct nianbaod *);

/* calsweep.c */
/*
 * Recomputes the calendar of every source whose listing was ever read
 * (events included) and arms the timer for the next local midnight or
 * the next deadline, whichever is first (no timer with --once; no sweep
 * at all with --once --all, where every source is swept after its check).
 */
void	 calsweep_start(struct nianbaod *);
void	 calsweep_all(struct nianbaod *);
void	 calsweep_stop(struct nianbaod *);
/*
 * After a check of src: its calendar and events, and its next check
 * brought forward to now + [deadlines] due_interval while its latest
 * report is due soon or recently missing.  Returns the next due time.
 */
int64_t	 calsweep_after_check(struct nianbaod *, size_t src, int64_t next_due);

/* job.c */
/* Starts a check of source src (index into d->cat).  Never fails. */
void	 job_start(struct nianbaod *, size_t src);

/* change.c */
/*
 * What changed from the record JSON old to new: a JSON array of
 * {"key","from","to"} for cells (at most max; *more is set to the number
 * left out), section texts that changed as {"key":"sections.N.text"}, and
 * the findings that appeared ("appeared") and vanished ("vanished").
 * Returns a jansson object (caller decrefs) with "cells", "sections",
 * "findings_appeared", "findings_vanished"; NULL if either is not JSON.
 */
struct json_t;
struct json_t *change_summary(const char *old_json, const char *new_json,
	    size_t max);
/* "t3.new.total: 12 → 13; 2 more" for logs, from change_summary(). */
char	*change_line(struct json_t *summary);

/* metrics.c */
void	 metrics_init(struct metrics *);
void	 metrics_release(struct metrics *);
/* Counts one fetch result of url (error: no HTTP answer, or cut off). */
void	 metrics_fetch(struct metrics *, const char *url, long status,
	    int error, uint64_t bytes);
/* METRICS_2XX ... METRICS_ERROR for an answer, and its label value. */
int	 metrics_class(long status, int error);
const char *metrics_class_name(int);
/* The host[:port] of url, lower case, without user info; "none" if none. */
void	 metrics_host_of(const char *url, char *out, size_t len);
/* The outbox backlog and notification failures (dispatch_metrics). */
void	 metrics_notify(struct nianbaod *, struct buf *);
/* Appends s escaped as a label value of the text format (\\, \", \n). */
void	 metrics_label_escape(struct buf *, const char *);

/* httpd.c */
/*
 * Starts the API on d->base per d->conf's [http] (a no-op when listen is
 * "no"), with its own read-only store connection.  Returns -1 with *cause
 * naming the address when it cannot listen.
 */
int	 httpd_start(struct nianbaod *, char **cause);
/* SIGHUP: new token and max_limit; a new listen address needs a restart. */
void	 httpd_reload(struct nianbaod *, const struct conf *old);
void	 httpd_stop(struct nianbaod *);

/* The routes of the API, for httpd_route(). */
enum httpd_route_id { HTTPD_NOTFOUND, HTTPD_HEALTHZ, HTTPD_METRICS,
    HTTPD_REPORTS, HTTPD_REPORT, HTTPD_VERSIONS, HTTPD_DIFF, HTTPD_EVENTS,
    HTTPD_CAPTURES };
/*
 * Which route a decoded path is; sets *id for /api/v1/reports/{id}...
 * (a positive decimal integer, else HTTPD_NOTFOUND).
 */
enum httpd_route_id httpd_route(const char *path, int64_t *id);
/*
 * A time parameter: a CDX-style UTC timestamp prefix (YYYY[MM[DD[hh[mm[ss]]]]])
 * or ISO 8601 "YYYY-MM-DD[THH:MM[:SS]][Z]" in UTC.  end: the last ms of
 * the span named (to=2025 means up to the end of 2025).  0 or -1.
 */
int	 httpd_parse_time(const char *, int end, int64_t *ms);
/*
 * A paging limit: "" or NULL gives def, a number above max gives max;
 * -1 for anything that is not a positive decimal integer.
 */
int	 httpd_parse_limit(const char *, int def, int max, int *out);

#endif
