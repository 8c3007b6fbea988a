/*
 * The daemon's shared state and the prototypes of the files that make it
 * up (tmux.h style, one section per file):
 *
 *   nianbaod_main.c  command line, start-up, signals, the loop, shutdown
 *   daemon.c         batching of store writes, the schedule driver
 *   job.c            one check of one source: listing pages, report pages,
 *                    attachments, versions, removals, events
 *   change.c         what changed between two versions of a record
 */
#ifndef NIANBAOD_H
#define NIANBAOD_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "conf.h"
#include "sched.h"

struct event;
struct event_base;
struct fetcher;
struct store;
struct fetch_result;

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
/* Records robots.txt and other fetcher-made results. */
void	 daemon_aux_result(struct fetch_result *, void *);
uint64_t daemon_random(void);
/* Creates the due and commit timers on d->base. */
void	 daemon_init_events(struct nianbaod *);

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

#endif
