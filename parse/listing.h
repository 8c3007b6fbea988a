/*
 * Discovery: the links of a listing page (or of a report page) sorted
 * into candidate annual reports, further pages of the same listing, and
 * attachments; and the URL helpers they need.  Pure functions, fuzzable.
 *
 * A report link is one whose title (link text, else its title attribute)
 * names a 政府信息公开(工作)年度报告 / 年报 with a year, and is not a
 * 解读, 政府网站工作年度报表, 法治政府建设年度报告, a budget or a rule about
 * reports (domain.md §5.6).  Pages are found from index_N.html links,
 * createPageHTML(...) scripts, 下一页 links and ?page=N.  Links to hosts
 * other than the page's own (and the allowed extra hosts) are dropped and
 * counted, so spam mirrors and other sites are never followed.
 */
#ifndef LISTING_H
#define LISTING_H

#include <stddef.h>

enum link_kind {
	LINK_REPORT,		/* a candidate annual report page */
	LINK_PAGE,		/* another page of the same listing */
	LINK_ATTACHMENT		/* .pdf .doc .docx .wps .xls .xlsx .et .zip ... */
};

struct link {
	enum link_kind	 kind;
	char		*url;	/* absolute, fragment removed */
	char		*text;	/* link text, whitespace collapsed */
	int		 year;	/* LINK_REPORT: the reporting year; else 0 */
	char		*date;	/* YYYY-MM-DD shown next to the link, or NULL */
};

struct linkset {
	struct link	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 offhost;	/* links dropped for their host */
};

/*
 * Reads the links of an HTML page fetched from base_url (http_charset may
 * be NULL; GBK pages are decoded).  extra_hosts: space-separated hosts also
 * allowed, or NULL.  Every URL appears once in out (the first occurrence
 * wins).  Returns 0, or -1 and *cause (caller frees) for input that is not
 * a readable page.
 */
int	 listing_read(const char *buf, size_t len, const char *http_charset,
	    const char *base_url, const char *extra_hosts, struct linkset *out,
	    char **cause);
void	 linkset_release(struct linkset *);

/*
 * Whether a title names an annual disclosure report; sets *year (0 when
 * the title has none, which is then not a report).
 */
int	 listing_is_report_title(const char *title, int *year);

/* href resolved against base; NULL if not http(s) or unparsable. */
char	*url_resolve(const char *base, const char *href);
/* The host of an http(s) URL, lower case, without port; NULL if none. */
char	*url_host(const char *url);
/* Whether url's host is host or one of the space-separated extra hosts. */
int	 url_host_allowed(const char *url, const char *host,
	    const char *extra_hosts);

#endif
