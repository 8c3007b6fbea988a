/*
 * nianbaod's configuration: an INI file (read with Debian's inih) with a
 * [daemon], a [fetch] and an [http] section.  Every key is in one sorted table in
 * conf.c with its type and default; errors name file:line and parsing goes
 * on, so `nianbaod -n` reports every mistake at once.
 */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>

struct channel_conf;

struct conf {
	char	*path;			/* the file read */
	/* [daemon] */
	char	*database;		/* SQLite file */
	char	*catalog;		/* source catalog (CSV/TSV) */
	char	*log_level;		/* debug, info, warning, error */
	long long failing_after;	/* failed checks before source.failing */
	long long removed_after;	/* checks absent from the listing */
	long long max_jobs;		/* sources checked at the same time */
	long long prune_revisits_after_ms; /* 0: keep revisit captures */
	/* [fetch] */
	char	*user_agent;		/* must carry a contact URL */
	long long interval;		/* seconds between checks of a source */
	long long jitter;		/* percent of the interval */
	long long per_host;		/* concurrent requests per host */
	long long min_delay_ms;		/* between requests to one host */
	long long max_delay_ms;		/* cap of the adaptive delay */
	long long delay_factor;		/* delay = factor x last response time */
	long long connect_timeout;	/* seconds */
	long long total_timeout;	/* seconds */
	long long max_redirects;
	long long max_body;		/* bytes */
	long long max_decompressed;	/* bytes */
	int	 tls_verify;
	int	 robots;		/* obey robots.txt */
	long long max_pages;		/* listing pages followed per check */
	long long max_attachments;	/* per report page */
	long long max_retries;		/* after 429/503 */
	long long retry_after_max_ms;
	long long backoff_max_ms;
	long long breaker_failures;
	long long breaker_cooldown_ms;
	/* [http] */
	char	*http_listen;		/* "127.0.0.1:8420", "[::1]:8420" or "no" */
	char	*http_token;		/* bearer token, "" for none; never logged */
	char	*http_token_file;	/* read at start, "" for none */
	long long http_max_limit;	/* cap of ?limit= */
	/* [deadlines]: the report calendar (calendar.h) */
	long long dl_township;		/* month * 100 + day, e.g. 331 */
	long long dl_grace_ms;		/* after the deadline day */
	long long dl_due_soon_ms;	/* before it */
	long long dl_remind_ms;		/* report.missing reminders, 0 never */
	long long dl_due_interval_ms;	/* checks at most this far apart */
	long long dl_due_window_ms;	/* ... until this long after it */
	long long dl_first_year;	/* first reporting year expected */
	long long dl_timezone;		/* calendar dates: minutes east of UTC */
	struct conf_region *dl_regions;	/* region.<prefix> = MM-DD */
	size_t	 dl_nregions;
	/* [channel NAME] sections: notification channels (notify.h) */
	struct channel_conf *channels;
	size_t	 nchannels;
};

/* A [deadlines] region.<prefix> = MM-DD override. */
struct conf_region {
	char	*prefix;		/* 山东省淄博市沂源县 */
	int	 md;			/* month * 100 + day */
};

/* Default values, strings allocated. */
void	 conf_init(struct conf *);
void	 conf_release(struct conf *);
/*
 * Reads path into c (defaults for what it does not set).  Every error is
 * appended to *errors as "file:line: message\n" (caller frees).  Returns
 * the number of errors; -1 if the file cannot be opened (*errors says why).
 * A relative catalog path is taken relative to the config file.
 */
int	 conf_load(struct conf *, const char *path, char **errors);
/* Prints the configuration, normalized, in the file's own syntax. */
char	*conf_print(const struct conf *);

/*
 * Splits an [http] listen value ("127.0.0.1:8420", "[::1]:8420") into
 * host (without brackets) and port.  Returns 0, or -1 if it is neither.
 */
int	 conf_listen_split(const char *, char *host, size_t hostlen,
	    int *port);
/* "6h", "90s", "2d", "500ms" -> milliseconds; -1 if invalid. */
long long conf_duration_ms(const char *);
/* "20MB", "512k", "100" -> bytes; -1 if invalid. */
long long conf_size(const char *);
/* "01-31" -> 131 (month * 100 + day; 02-29 is refused); -1 if invalid. */
int	 conf_mmdd(const char *);
/* "+08:00", "-0530", "Z" -> minutes east of UTC; -1000 if invalid. */
int	 conf_tz(const char *);

#endif
