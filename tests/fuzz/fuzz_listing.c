/*
 * libFuzzer harness for discovery (parse/listing.c, parse/url.c): the
 * input as a listing page fetched from one of a few base URLs (chosen by
 * its last byte, with or without an HTTP charset and extra hosts), as a
 * title, and as an href.  What the daemon relies on is checked: every link
 * is an absolute http(s) URL without fragment on an allowed host, appears
 * once, has UTF-8 text within the cap, a report year in 2008..2099 and a
 * YYYY-MM-DD date or none; a resolved URL is canonical (resolving it again
 * gives it back) and has a lower-case host.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"
#include "listing.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct {
	const char	*base;
	const char	*charset;
	const char	*extra;
} pages[] = {
	{ "https://www.jiashan.gov.cn/col/col1229/index.html", NULL, NULL },
	{ "http://js.changchun.gov.cn/szf_3410/ndbg/index_2.html", "utf-8",
	    "www.changchun.gov.cn" },
	{ "http://www.xyq.gov.cn/xyq/c100122/", "gbk", NULL },
	{ "http://www.zt.gov.cn/list.jsp?cat=12&page=1", NULL,
	    "zt.gov.cn 122.137.242.24:8080" },
	{ "http://122.137.242.24:8080/pub/ndbg/index.shtml", "gb2312", "" },
	{ "http://[::1]:8080/a/b?x=1#f", NULL, "[::1]" },
};
#define NPAGES	(sizeof pages / sizeof pages[0])

#define MAX_LINKS	(10000 + 100)	/* anchors + generated pages */
#define MAX_TEXT	1024

static int
url_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An absolute, canonical http(s) URL: no fragment, space or control. */
static void
check_url(const char *what, const char *u)
{
	const unsigned char *p;
	char *again, *host;

	if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
		fuzz_fail("%s: not http(s): %.80s", what, u);
	for (p = (const unsigned char *)u; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '#')
			fuzz_fail("%s: byte 0x%02x in %.80s", what, *p, u);
	if ((again = url_resolve(u, u)) == NULL)
		fuzz_fail("%s: does not resolve again: %.80s", what, u);
	if (strcmp(again, u) != 0)
		fuzz_fail("%s: not canonical: %.80s -> %.80s", what, u, again);
	free(again);
	if ((host = url_host(u)) == NULL)
		fuzz_fail("%s: no host: %.80s", what, u);
	for (p = (const unsigned char *)host; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			fuzz_fail("%s: host not lower case: %s", what, host);
	free(host);
}

static void
check_date(const char *d)
{
	int i;

	if (d == NULL)
		return;
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		fuzz_fail("date \"%s\"", d);
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			fuzz_fail("date \"%s\"", d);
}

static void
read_listing(const char *buf, size_t len, size_t which)
{
	struct linkset ls;
	char *cause = NULL, **urls, *host;
	size_t i;

	if (listing_read(buf, len, pages[which].charset, pages[which].base,
	    pages[which].extra, &ls, &cause) != 0) {
		if (cause == NULL)
			fuzz_fail("listing_read: failure without a cause");
		if (ls.n != 0 || ls.v != NULL || ls.offhost != 0)
			fuzz_fail("listing_read: failure with links");
		free(cause);
		return;
	}
	if (cause != NULL)
		fuzz_fail("listing_read: success with a cause: %s", cause);
	if (ls.n > MAX_LINKS || ls.n > ls.cap || ls.offhost > 10000)
		fuzz_fail("listing_read: %zu links (cap %zu), %zu offhost",
		    ls.n, ls.cap, ls.offhost);
	host = url_host(pages[which].base);
	urls = calloc(ls.n + 1, sizeof *urls);
	for (i = 0; i < ls.n; i++) {
		const struct link *k = &ls.v[i];

		if (k->url == NULL || k->text == NULL)
			fuzz_fail("link %zu: NULL url or text", i);
		check_url("link", k->url);
		if (!url_host_allowed(k->url, host, pages[which].extra))
			fuzz_fail("link %zu: host not allowed: %.80s", i,
			    k->url);
		if (strlen(k->text) > MAX_TEXT ||
		    !fuzz_utf8_valid(k->text, strlen(k->text)))
			fuzz_fail("link %zu: text too long or not UTF-8", i);
		switch (k->kind) {
		case LINK_REPORT:
			if (k->year < 2008 || k->year > 2099)
				fuzz_fail("report year %d", k->year);
			break;
		case LINK_PAGE:
		case LINK_ATTACHMENT:
			if (k->year != 0)
				fuzz_fail("kind %d with year %d", k->kind,
				    k->year);
			if (k->kind == LINK_PAGE && k->date != NULL)
				fuzz_fail("page with a date");
			break;
		default:
			fuzz_fail("link kind %d", k->kind);
		}
		check_date(k->date);
		if (urls != NULL)
			urls[i] = k->url;
	}
	if (urls != NULL && ls.n > 1) {
		qsort(urls, ls.n, sizeof *urls, url_cmp);
		for (i = 1; i < ls.n; i++)
			if (strcmp(urls[i - 1], urls[i]) == 0)
				fuzz_fail("URL twice: %.80s", urls[i]);
	}
	free(urls);
	free(host);
	linkset_release(&ls);
	if (ls.n != 0 || ls.v != NULL)
		fuzz_fail("linkset_release left links");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *u, *short_copy;
	size_t which, slen;
	int year = -1, is;

	which = size > 0 ? data[size - 1] % NPAGES : 0;
	read_listing((const char *)data, size, which);

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';

	/* titles and hrefs are short: the first 2 KB is plenty */
	slen = strlen(copy) < 2048 ? strlen(copy) : 2048;
	short_copy = strndup(copy, slen);
	if (short_copy != NULL) {
		is = listing_is_report_title(short_copy, &year);
		if (is != 0 && is != 1)
			fuzz_fail("listing_is_report_title returned %d", is);
		if (is ? year < 2008 || year > 2099 : year != 0)
			fuzz_fail("title verdict %d with year %d", is, year);
		if ((u = url_resolve(pages[which].base, short_copy)) != NULL) {
			check_url("url_resolve", u);
			free(u);
		}
		if ((u = url_host(short_copy)) != NULL)
			free(u);
		(void)url_host_allowed(short_copy, "www.jiashan.gov.cn",
		    short_copy);
		free(short_copy);
	}
	free(copy);
	return 0;
}
