/*
 * The source catalog: one agency's annual-report column per line, CSV or
 * TSV with a header naming the columns (id, agency, level, region, url,
 * and optionally interval, hosts, tls_verify, deadline, first_year).  A bad line is reported as
 * "catalog.csv:123: …" and skipped; the others load.
 */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>

struct source {
	char	*id;		/* unique, stable */
	char	*agency;	/* 沂源县人民政府 */
	char	*level;		/* department, government, township */
	char	*region;	/* may be "" */
	char	*url;		/* listing page, http(s) */
	char	*host;		/* the url's host (lower case) */
	char	*hosts;		/* extra allowed hosts, space-separated, or NULL */
	long long interval;	/* seconds, 0 = the configured default */
	int	 tls_verify;	/* -1 default, 0 no, 1 yes */
	int	 deadline;	/* month * 100 + day, 0 = by level/region */
	int	 first_year;	/* first reporting year, 0 = configured */
	int	 line;		/* where it was read */
};

struct catalog {
	char		*path;
	struct source	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * Loads path into cat (empty first).  Errors go to *errors as
 * "path:line: message\n" (caller frees).  Returns the number of bad lines,
 * or -1 if the file cannot be read or has no usable header.
 */
int	 catalog_load(struct catalog *, const char *path, char **errors);
/*
 * The same on a NUL-terminated buffer, split in place (it is modified);
 * path names the input in messages.
 */
int	 catalog_parse(struct catalog *, const char *path, char *data,
	    char **errors);
void	 catalog_release(struct catalog *);

#endif
