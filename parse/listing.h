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
 *
 * Choices the callers may rely on:
 *   - a link to an attachment (.pdf .doc ...) whose text is a report title
 *     is a LINK_REPORT, not a LINK_ATTACHMENT: some listings link the PDF
 *     directly, and the daemon must treat it as the report;
 *   - a title naming 政务公开 (政务公开工作年度报告, 政务公开年报) counts
 *     like 政府信息公开: some agencies title the statutory report so, and
 *     a wrong candidate costs one fetch that the mapper then rejects;
 *   - a link whose text is cut short ("...年度报...") is judged by its title
 *     attribute, which then becomes its text;
 *   - an article URL (art_N, tYYYYMMDD_N, post_N, content_N, doc_N) is never
 *     a LINK_PAGE, whatever its text says (下一页 inside an article);
 *   - pages generated from createPageHTML(...) have text "" and no date;
 *     the first 100 page numbers at most;
 *   - date: the first valid date in the link's row (<li>, <tr>, <dd>, <dt>)
 *     outside the link, else in the siblings after it up to the next link,
 *     else before it when it is the first link of its parent;
 *   - Hanweb column pages: the records inside <script type="text/xml">
 *     (<record><![CDATA[...]]>) are read like the page itself;
 *   - <base href> is honoured for resolving; self links are dropped;
 *   - offhost counts every <a> whose http(s) URL is on another host.
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
/*
 * out needs no initialisation: listing_read() clears it first, and leaves
 * it empty on failure.  At most 10,000 <a href> are read; link texts are
 * capped at 1 KB.
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
