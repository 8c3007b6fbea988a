/*
 * The report calendar: for a source and a reporting year Y, the day its
 * report is due (条例 第四十九条: departments by 31 January Y+1, county-level
 * and higher governments by 31 March Y+1; townships as configured), and
 * what became of it: not_due, due_soon, missing, on_time or late.  Pure
 * logic on the configuration and the catalog, except calendar_read(),
 * which gathers what the store knows of a source's own reports; the
 * daemon (calsweep.c) and `nianbao missing|calendar` (cmd_calendar.c)
 * both build on it, so they always agree.
 */
#ifndef CALENDAR_H
#define CALENDAR_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct source;
struct store;

enum calendar_status { CAL_NOT_DUE, CAL_DUE_SOON, CAL_MISSING, CAL_ON_TIME,
    CAL_LATE };

/* What the store knows of one year's report of the source's own agency. */
struct calendar_report {
	int64_t		 id;
	int		 year;
	char		*url;
	char		*published;	/* YYYY-MM-DD, NULL if none recorded */
	char		*published_from; /* page, meta, url, first_seen */
	int64_t		 first_seen;	/* ms */
	int		 versions;	/* the report's, when read */
};

/* One source x year. */
struct calendar_entry {
	int		 year;
	enum calendar_status status;
	int		 md;		/* the deadline day, month * 100 + day */
	char		 deadline[11];	/* YYYY-MM-DD of Y+1 */
	int64_t		 due_ms;	/* when it is overdue: deadline day's
					   end (local) + grace */
	const struct calendar_report *report;	/* NULL if none */
	char		 published[11];	/* the date judged, "" if no report */
	const char	*published_from; /* its origin */
	int		 upper_bound;	/* published is only "seen by then" */
	long long	 overdue_days;	/* missing/late: days after the
					   deadline day (local dates) */
};

/* The deadline day of source's reports: month * 100 + day. */
int	 calendar_deadline_md(const struct conf *, const struct source *);
/* The first reporting year expected of source. */
int	 calendar_first_year(const struct conf *, const struct source *);
/* Days since the epoch of the local (configured zone) date of ms. */
int64_t	 calendar_local_day(const struct conf *, int64_t ms);
/* The start (ms) of local day `days'. */
int64_t	 calendar_day_start(const struct conf *, int64_t days);
/*
 * The latest reporting year whose deadline + grace has passed at now for
 * source (0 if none).
 */
int	 calendar_latest_due(const struct conf *, const struct source *,
	    int64_t now);
/*
 * The status of source's year at now.  rep: its report, NULL if none
 * found.  first_check: when the source's first check ended (0 unknown); a
 * report first seen by then and dated only by first_seen is on_time with
 * upper_bound set: nianbao did not watch before, so its date proves
 * nothing.
 */
void	 calendar_judge(const struct conf *, const struct source *, int year,
	    const struct calendar_report *rep, int64_t now, int64_t first_check,
	    struct calendar_entry *);
/*
 * Every year of source from its first year to the one whose deadline is
 * in now's year, into *entries (caller frees, *n of them); reps (nreps)
 * are its reports, any order.
 */
void	 calendar_source(const struct conf *, const struct source *,
	    const struct calendar_report *reps, size_t nreps, int64_t now,
	    int64_t first_check, struct calendar_entry **entries, size_t *n);
const char *calendar_status_name(enum calendar_status);

/*
 * What the store knows of source's own reports (agency = the catalog's),
 * latest version's published date, and when its first check ended (0 if
 * never checked).  calendar_reports_free() releases reps.  The date comes
 * from the source's calendar row for the year when the sweep wrote it
 * for the same report and number of versions; only otherwise is the
 * latest record read (decompressed and parsed).
 */
int	 calendar_read(struct store *, const struct source *,
	    struct calendar_report **reps, size_t *nreps, int64_t *first_check,
	    int *checked, char **cause);
void	 calendar_reports_free(struct calendar_report *, size_t);
/*
 * The same, but nothing more than *checked = 0 for a source never read
 * (the sweep skips those: one query instead of three).
 */
int	 calendar_read_checked(struct store *, const struct source *,
	    struct calendar_report **reps, size_t *nreps,
	    int64_t *first_check, int *checked, char **cause);

#endif
