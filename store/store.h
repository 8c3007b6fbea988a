/*
 * The capture store: one SQLite file in WAL mode holding every byte
 * nianbao ever fetched (blobs, content-addressed by SHA-256, compressed
 * with zstd), every fetch (captures), the sources' check state, the
 * reports with their versions, and the events outbox.  Everything SQL is
 * behind this header, so that another backend is a new store/, not a
 * rewrite.
 *
 * Conventions: times are int64 milliseconds since the epoch (UTC); every
 * function returning int gives 0 on success (1 = "not found" where said)
 * and -1 with *cause (caller frees) on error; strings in structs filled by
 * the store are owned by the struct and released by its _release().
 * Writers call store_begin/store_commit around batches; the daemon commits
 * a batch every few hundred milliseconds, so a crash loses at most that
 * and never leaves half of a batch.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define STORE_RDONLY	0x1	/* queries only (the CLI, while nianbaod runs) */
#define STORE_CREATE	0x2	/* create the file and its directory if missing */

/*
 * Opens (and migrates, unless read-only) the database at path.  ":memory:"
 * works for tests.  Returns NULL with *cause on error.
 */
struct store	*store_open(const char *path, int flags, char **cause);
void		 store_close(struct store *);	/* NULL is a no-op */
/* The schema version this build writes (PRAGMA user_version). */
int		 store_schema_version(void);

int	 store_begin(struct store *, char **cause);
int	 store_commit(struct store *, char **cause);
int	 store_rollback(struct store *);
int	 store_in_tx(const struct store *);

/* "PRAGMA integrity_check": 0 if "ok", else -1 and the problems in *cause. */
int	 store_check(struct store *, char **cause);
/*
 * Copies the WAL back into the database file and truncates it ("PRAGMA
 * wal_checkpoint(TRUNCATE)"), e.g. at shutdown or before measuring the
 * file.  A no-op on a read-only store.
 */
int	 store_checkpoint(struct store *, char **cause);

/* SHA-256 of data as 64 lower-case hex digits and a NUL. */
void	 store_sha256_hex(const void *, size_t, char out[65]);

/*
 * Stores data (deduplicated by SHA-256, compressed with zstd unless that
 * does not help) and sets digest.  Storing the same bytes twice costs
 * nothing.
 */
int	 store_blob_put(struct store *, const void *, size_t, char digest[65],
	    char **cause);
/* The bytes of a blob (caller frees, NUL-terminated); 1 if unknown. */
int	 store_blob_get(struct store *, const char *digest, char **data,
	    size_t *len, char **cause);

/*
 * Data derived from stored bytes, cached under a key the caller builds
 * (the links of a listing page under the page's digest and the parser's
 * version): put replaces, get gives 1 when nothing is cached.  The data is
 * a blob, so it is compressed and deduplicated like the rest.
 */
int	 store_derived_put(struct store *, const char *key, const void *,
	    size_t, char **cause);
int	 store_derived_get(struct store *, const char *key, char **data,
	    size_t *len, char **cause);

/* One fetch, successful or not. */
struct store_capture {
	int64_t		 id;		/* set by store_capture_add */
	const char	*source_id;	/* may be NULL (robots.txt) */
	const char	*url;		/* as requested */
	const char	*final_url;	/* after redirects, NULL if the same */
	const char	*kind;		/* "listing", "report", "attachment", "robots" */
	int64_t		 fetched_at;
	long		 status;	/* HTTP status, 0 without a response */
	const char	*error;		/* fetch_err_name(), NULL on success */
	const char	*cause;		/* error text, NULL on success */
	const char	*content_type;
	const char	*etag;
	const char	*last_modified;
	const char	*headers;	/* selected headers; not kept for revisits */
	const char	*digest;	/* blob of the body, NULL if no body */
	int64_t		 size;		/* body bytes (decoded) */
	int64_t		 wire_bytes;
	int64_t		 total_ms;
	int		 revisit;	/* 304, or same digest as the URL's last */
};
/*
 * Records a capture and updates the URL's state (validators, last digest)
 * when it carries a body or is a 304.  Sets c->id.  A revisit row costs well
 * under 200 bytes: no headers, URL and digest stored by reference.
 */
int	 store_capture_add(struct store *, struct store_capture *, char **cause);

/* What the store knows of a URL, for conditional GET and revisits. */
struct store_url {
	char	*etag;
	char	*last_modified;
	char	*digest;	/* last body seen, NULL if none */
	int64_t	 last_fetched;
	long	 last_status;
};
/* 0 and *u filled, 1 if the URL was never fetched. */
int	 store_url_get(struct store *, const char *url, struct store_url *,
	    char **cause);
void	 store_url_release(struct store_url *);

/* A source's check state (the catalog itself stays in its file). */
struct store_source {
	char	*id;
	int64_t	 last_check;	/* 0 never */
	int64_t	 last_ok;	/* last check whose listing was fetched */
	int64_t	 next_due;	/* 0 = not scheduled yet */
	char	*last_error;	/* NULL when the last check succeeded */
	int	 failures;	/* consecutive failed checks */
	int	 failing;	/* source.failing sent and not recovered */
	int	 checks;	/* completed checks */
};
/* 0 and *s filled, 1 if the source was never checked. */
int	 store_source_get(struct store *, const char *id, struct store_source *,
	    char **cause);
/* Inserts or replaces by id. */
int	 store_source_put(struct store *, const struct store_source *,
	    char **cause);
void	 store_source_release(struct store_source *);
/* Every source row, ordered by id; cb returns non-zero to stop. */
int	 store_sources_each(struct store *,
	    int (*cb)(const struct store_source *, void *), void *,
	    char **cause);

/*
 * A report: one agency's annual report for one year, keyed (source, agency,
 * year): a listing may carry the reports of several agencies.
 */
struct store_report {
	int64_t	 id;
	char	*source_id;
	char	*agency;
	int	 year;
	char	*url;		/* the report page (or the attachment) */
	char	*title;
	int64_t	 first_seen;
	int64_t	 last_seen;	/* last check that found it */
	int	 absent;	/* consecutive listing checks without it */
	int	 removed;	/* report.removed sent */
	int	 versions;	/* number of versions, 0 before the first */
	char	*digest;	/* content digest of the latest version */
};
/* 0 and *r filled, 1 if no such report. */
int	 store_report_get(struct store *, const char *source_id,
	    const char *agency, int year, struct store_report *, char **cause);
int	 store_report_get_id(struct store *, int64_t id, struct store_report *,
	    char **cause);
/* Inserts (r->id == 0, sets it) or updates every field but versions/digest. */
int	 store_report_put(struct store *, struct store_report *, char **cause);
void	 store_report_release(struct store_report *);
/* The reports of a source, by year; cb returns non-zero to stop. */
int	 store_reports_each(struct store *, const char *source_id,
	    int (*cb)(const struct store_report *, void *), void *,
	    char **cause);

/*
 * A new version of a report: its content digest (SHA-256 of the extracted
 * content, not of the page, so chrome changes do not count), the capture it
 * came from, and the record as JSON (findings included).  Sets the report's
 * versions and digest; returns the new version number (1, 2, ...) in *number.
 */
int	 store_version_add(struct store *, int64_t report_id,
	    int64_t capture_id, const char *digest, const char *record_json,
	    int64_t seen_at, int *number, char **cause);
/* The record JSON of version n (0 = latest); 1 if none. Caller frees. */
int	 store_version_record(struct store *, int64_t report_id, int n,
	    char **record_json, char **cause);

/* An event, written in the same transaction as the data it describes. */
struct store_event {
	int64_t		 id;
	const char	*type;		/* "report.new", ... */
	const char	*source_id;
	int64_t		 report_id;	/* 0 if none */
	const char	*key;		/* idempotency key, unique */
	const char	*payload;	/* JSON object */
	int64_t		 created;
};
/*
 * Appends an event.  An event whose key exists already is not added again
 * (a restart that redoes work never duplicates one); returns 1 then.
 */
int	 store_event_add(struct store *, struct store_event *, char **cause);
/* Events with id > since, oldest first, at most limit (0 = all). */
int	 store_events_each(struct store *, int64_t since, int limit,
	    int (*cb)(const struct store_event *, void *), void *,
	    char **cause);

/* Counts for status lines and benchmarks. */
struct store_stats {
	int64_t	 captures;
	int64_t	 revisits;
	int64_t	 blobs;
	int64_t	 blob_bytes;	/* raw */
	int64_t	 blob_stored;	/* compressed */
	int64_t	 reports;
	int64_t	 versions;
	int64_t	 events;
	int64_t	 file_bytes;	/* database file(s) on disk */
};
int	 store_stats(struct store *, struct store_stats *, char **cause);

/* ---- read-only queries (nianbao reports, show, history, diff, ...) ---- */

/*
 * Which reports store_reports_query gives, ordered by id.  Strings are
 * matched exactly and always bound as parameters, never pasted into SQL.
 */
struct store_report_filter {
	const char	*agency;	/* NULL: any */
	const char	*source_id;	/* NULL: any */
	int		 year;		/* 0: any */
	int		 removed;	/* -1 any, 0 present only, 1 removed only */
	int64_t		 after;		/* only ids above this (resume) */
	int		 limit;		/* 0: no limit */
};
int	 store_reports_query(struct store *,
	    const struct store_report_filter *,
	    int (*cb)(const struct store_report *, void *), void *,
	    char **cause);
/*
 * The report a user names: its id ("12"), its URL (anything with "://"),
 * or "agency:year".  0 and *r filled, 1 if none; -1 with *cause when
 * "agency:year" matches reports of several sources (the cause lists ids).
 */
int	 store_report_find(struct store *, const char *name,
	    struct store_report *, char **cause);

/*
 * The number of failing findings of error or warning severity in version n
 * (0 = latest) of a report: 0 and *failing, 1 if the report has no
 * version.
 */
int	 store_version_failing(struct store *, int64_t report_id, int n,
	    int *failing, char **cause);

/* A version of a report as history shows it. */
struct store_version {
	int	 number;
	int64_t	 capture_id;	/* 0 if unknown */
	char	*digest;	/* content digest */
	int64_t	 first_seen;	/* when it was stored */
	int64_t	 last_seen;	/* last fetch of its page before the next one */
	int	 failing;	/* failing error/warning findings, -1 unknown */
};
/* Every version of a report, oldest first; cb returns non-zero to stop. */
int	 store_versions_each(struct store *, int64_t report_id,
	    int (*cb)(const struct store_version *, void *), void *,
	    char **cause);
/* The version current at time at (ms): 0 and *number, 1 if none yet. */
int	 store_version_at(struct store *, int64_t report_id, int64_t at,
	    int *number, char **cause);
/* The capture a version came from: 0, 1 if none recorded. */
int	 store_version_capture(struct store *, int64_t report_id, int n,
	    int64_t *capture_id, char **cause);

/*
 * A stored capture, read back.  headers falls back to the newest earlier
 * capture of the same URL and bytes that kept them (revisits keep none).
 */
struct store_capture_info {
	int64_t	 id;
	char	*url;
	char	*final_url;	/* NULL if not redirected */
	char	*kind;
	int64_t	 fetched_at;
	long	 status;
	char	*error;
	char	*content_type;
	char	*headers;
	char	*digest;	/* NULL without a body */
	int64_t	 size;
	int	 revisit;
};
int	 store_capture_get(struct store *, int64_t id,
	    struct store_capture_info *, char **cause);
void	 store_capture_info_release(struct store_capture_info *);

/* The captures of one URL, oldest first (the Wayback CDX API's spirit). */
struct store_capture_filter {
	const char	*url;
	int64_t		 from;		/* fetched_at >= from, 0: any */
	int64_t		 to;		/* fetched_at <= to, 0: any */
	int64_t		 after;		/* only ids above this (resume) */
	int		 limit;		/* 0: no limit */
	int		 collapse;	/* skip a capture whose digest is the
					   previous one's */
};
int	 store_captures_query(struct store *,
	    const struct store_capture_filter *,
	    int (*cb)(const struct store_capture_info *, void *), void *,
	    char **cause);

/*
 * The failing findings of the latest version of every report (those of
 * versions stored before schema 3 are read from the record JSON).
 */
struct store_finding {
	int64_t		 report_id;
	int		 version;
	int		 year;
	const char	*source_id;
	const char	*agency;
	const char	*rule;
	const char	*severity;
	const char	*cells;		/* comma-separated keys */
	const char	*message;
};
struct store_finding_filter {
	const char	*rule;		/* NULL: any */
	const char	*severity;	/* NULL: any */
	int		 year;		/* 0: any */
	int64_t		 report_id;	/* 0: any */
};
int	 store_findings_each(struct store *,
	    const struct store_finding_filter *,
	    int (*cb)(const struct store_finding *, void *), void *,
	    char **cause);

/*
 * Retention (gc.c).  store_prune_revisits deletes at most limit (0: no
 * bound) revisit captures fetched before `before' (ms since the epoch),
 * keeping every version's capture, each URL's latest capture and the
 * newest capture of a version's page before the next version.  store_gc
 * deletes the blobs no capture, URL, version or derived row refers to and
 * gives their count and stored bytes.  Both are atomic on their own and
 * join the caller's transaction (so a dry run is store_begin, the calls,
 * store_rollback).  store_file_bytes: the database's size (pages times
 * page size) and how much of it is free pages; store_vacuum rebuilds the
 * file (outside a transaction) and checkpoints the WAL into it.
 */
int	 store_prune_revisits(struct store *, int64_t before, int64_t limit,
	    int64_t *pruned, char **cause);
int	 store_gc(struct store *, int64_t *blobs, int64_t *bytes,
	    char **cause);
int	 store_file_bytes(struct store *, int64_t *bytes, int64_t *free_bytes,
	    char **cause);
int	 store_vacuum(struct store *, char **cause);

/*
 * The report calendar (calendar.c; the rules are daemon/calendar.h): per
 * source and reporting year, the status the daemon last computed and the
 * events it sent, and when the source's first check ended.
 */
struct store_calendar {
	char	*source_id;
	int	 year;
	char	*status;	/* not_due, due_soon, missing, on_time, late */
	char	*deadline;	/* YYYY-MM-DD */
	int64_t	 report_id;	/* 0 if none */
	char	*published;	/* YYYY-MM-DD or NULL */
	char	*published_from;
	int	 missing_sent;	/* report.missing sent (2: skipped, first fill) */
	int	 reminded;	/* reminders sent */
	int64_t	 updated;
	int	 versions;	/* the report's versions when published was read */
};
/* 0 and *c filled, 1 if the source has no row for that year. */
int	 store_calendar_get(struct store *, const char *source_id, int year,
	    struct store_calendar *, char **cause);
/* Inserts or replaces by (source, year). */
int	 store_calendar_put(struct store *, const struct store_calendar *,
	    char **cause);
void	 store_calendar_release(struct store_calendar *);
/* The number of calendar rows of a source. */
int	 store_calendar_count(struct store *, const char *source_id, int *n,
	    char **cause);
/* When the source's first check ended: 0 and *ms, 1 if not recorded. */
int	 store_calendar_first_check(struct store *, const char *source_id,
	    int64_t *ms, char **cause);
/* Records it, unless it is recorded already. */
int	 store_calendar_set_first_check(struct store *, const char *source_id,
	    int64_t ms, char **cause);

/*
 * The notification outbox (outbox.c): a delivery is one event for one
 * channel.  A channel's cursor is the last event id it considered; a
 * channel seen for the first time starts at the newest event (no flood
 * of history) unless its configuration asks for all of them.  State:
 * pending (not tried yet or retried), delivered, failed (the last attempt
 * failed, tried again at next_try) and given up (failed for longer than
 * the channel's give_up_after).  Pending and failed deliveries are due
 * once next_try has passed.
 */
enum { OUTBOX_PENDING, OUTBOX_DELIVERED, OUTBOX_FAILED, OUTBOX_GIVEN_UP };
struct store_delivery {
	int64_t	 id;
	int64_t	 event_id;
	char	*channel;
	int	 state;
	int	 attempts;
	int64_t	 next_try;
	char	*last_error;	/* NULL if none */
	int64_t	 created;
	int64_t	 since;		/* start of the give-up window */
	int64_t	 updated;
	int64_t	 delivered_at;	/* 0 if not delivered */
	char	*digest;	/* digest key, NULL if sent alone */
	char	*event_type;	/* of the event, for listings */
};
const char *store_delivery_state_name(int);	/* "pending", ... */
int	 store_delivery_state_find(const char *);	/* -1 if unknown */
void	 store_delivery_release(struct store_delivery *);
/* The newest event id (0 if none). */
int	 store_events_last(struct store *, int64_t *id, char **cause);
/* A channel's cursor: 0 and *last, 1 if the channel has none yet. */
int	 store_outbox_cursor(struct store *, const char *channel,
	    int64_t *last, char **cause);
int	 store_outbox_set_cursor(struct store *, const char *channel,
	    int64_t last, char **cause);
/*
 * Enqueues for channel the events after its cursor for which match()
 * returns non-zero (at most limit events looked at, 0 = all), due at
 * now, and moves the cursor past them, atomically.  *added: deliveries
 * made.  A channel without a cursor gets one at the newest event first
 * (or at 0 when from_start is set).
 */
int	 store_outbox_enqueue(struct store *, const char *channel,
	    int from_start, int64_t now,
	    int (*match)(const struct store_event *, void *), void *,
	    int limit, int *added, char **cause);
/*
 * The due deliveries of channel (pending or failed, next_try <= now),
 * ordered by digest key (those already in a digest first) then event id,
 * at most limit, each with its event; cb returns non-zero to stop.
 */
int	 store_outbox_due(struct store *, const char *channel, int64_t now,
	    int limit,
	    int (*cb)(const struct store_delivery *, const struct store_event *,
	    void *), void *, char **cause);
/* The earliest next_try of channel's pending or failed deliveries; 1 if none. */
int	 store_outbox_next(struct store *, const char *channel, int64_t *at,
	    char **cause);
/* Puts deliveries into a digest (before it is sent; keeps its key). */
int	 store_delivery_digest(struct store *, const int64_t *ids, size_t n,
	    const char *digest, char **cause);
/* Marks a delivery delivered at now. */
int	 store_delivery_done(struct store *, int64_t id, int64_t now,
	    char **cause);
/*
 * Records a failed attempt: attempts + 1, state OUTBOX_FAILED or
 * OUTBOX_GIVEN_UP, the next try and the error (no secrets).
 */
int	 store_delivery_fail(struct store *, int64_t id, int state,
	    int64_t next_try, const char *error, int64_t now, char **cause);
/* Which deliveries store_outbox_list gives, newest first. */
struct store_outbox_filter {
	const char	*channel;	/* NULL: any */
	int		 failed;	/* only failed and given up */
	int		 all;		/* delivered ones too */
	int		 limit;		/* 0: no limit */
};
int	 store_outbox_list(struct store *, const struct store_outbox_filter *,
	    int (*cb)(const struct store_delivery *, void *), void *,
	    char **cause);
/*
 * Makes a failed or given-up delivery (or a pending one) due now, with
 * a new give-up window: 0, 1 if there is no such delivery, 2 if it was
 * delivered already.
 */
int	 store_delivery_retry(struct store *, int64_t id, int64_t now,
	    char **cause);
/* Pending and failed deliveries of channel (the backlog). */
int	 store_outbox_backlog(struct store *, const char *channel,
	    int64_t *n, char **cause);
/*
 * The sends to channel at or after since (wall ms), oldest first, at most
 * limit (0 = all): one time per send, a digest's deliveries counting once,
 * a delivered one at delivered_at and a failed attempt at its last update.
 * For the dispatcher's rate and digest windows after a restart.
 */
int	 store_outbox_sent(struct store *, const char *channel, int64_t since,
	    int limit, int (*cb)(int64_t at, void *), void *, char **cause);

/*
 * Export rows (report.c writes them, query.c reads them): what `nianbao
 * export` prints of a version, flattened when the version is stored, so
 * that an export need not decompress and parse every record.  A layout is
 * one list of cell keys (the dotted paths of the objects under t2, t3 and
 * t4, '\n'-separated), stored once; a row packs its cells in that order.
 * A version stored before the export rows existed, or whose record the
 * flattener declines (a shape export would print differently from a
 * row), has none: the caller reads its record instead.
 */
struct store_flat {
	int64_t			 layout;	/* store_flat_layout() id */
	int			 failing;	/* as store_version_failing */
	const char		*region;	/* meta.*; NULL for null */
	const char		*level;
	const char		*published;
	const char		*format;
	const unsigned char	*cells;		/* packed */
	size_t			 cells_len;
};
/*
 * The reports of a filter with the export row of their latest version
 * (flat NULL when there is none, or no version), ordered by id.  Strings
 * of flat are sqlite's, valid during the callback, which may run other
 * queries.  cb returns non-zero to stop.
 */
int	 store_export_each(struct store *, const struct store_report_filter *,
	    int (*cb)(const struct store_report *, const struct store_flat *,
	    void *), void *, char **cause);
/* The keys of a layout, '\n'-separated (caller frees); 1 if unknown. */
int	 store_flat_layout(struct store *, int64_t layout, char **keys,
	    char **cause);

/* One cell of a packed row: the members of the object at one key. */
enum { STORE_FLAT_NONE, STORE_FLAT_INT, STORE_FLAT_REAL };
struct store_flat_cell {
	const char	*kind;		/* NULL when the object has none */
	const char	*raw;		/* NULL when the object has none */
	int		 vtype;		/* value: not a number, int or real */
	int64_t		 ival;
	double		 rval;
	char		 num[24];	/* raw, when it is ival's digits */
};
/*
 * Decodes the cell at *pos of a packed row and moves *pos past it: 0, or
 * -1 when the row is malformed (never reads outside cells[0..len)).
 */
int	 store_flat_cell_next(const unsigned char *cells, size_t len,
	    size_t *pos, struct store_flat_cell *);

#endif
