/*
 * URL helpers for discovery (listing.h): resolving an href found on a page
 * against the page's URL, and the host checks that keep the crawler on a
 * source's own sites.  Parsing is libcurl's CURLU (the same parser the
 * fetcher will use, so what we resolve is what gets fetched); the few
 * things CURLU does not do the way a browser does are done here first:
 * whitespace around and inside an href, bytes outside ASCII (percent-
 * encoded), backslashes, empty and fragment-only hrefs.
 *
 * Every result is canonical so that it can be compared as a string: scheme
 * and host lower case, default port dropped, dot segments removed, no
 * fragment, no user name or password.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "listing.h"
#include "xmalloc.h"

#define URL_MAX		8192	/* longer hrefs are not links we follow */

/*
 * An href as a browser reads it: leading and trailing whitespace
 * trimmed, tabs and newlines inside removed, backslashes before the query
 * turned into slashes, and every byte outside printable ASCII
 * percent-encoded.  Returns NULL for what cannot be a URL (other control
 * bytes, too long).  Caller frees.
 */
static char *
url_clean(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b;
	const unsigned char *p, *e;
	int query = 0;

	p = (const unsigned char *)s;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	    *p == '\f')
		p++;
	e = p + strlen((const char *)p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r' || e[-1] == '\f'))
		e--;
	if (e - p > URL_MAX)
		return NULL;
	buf_init(&b, 3 * URL_MAX);
	buf_add(&b, "", 0);
	for (; p < e; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p < 0x20 || *p == 0x7f) {
			buf_release(&b);
			return NULL;
		}
		if (*p == '?' || *p == '#')
			query = 1;
		if (*p == '\\' && !query)
			buf_addc(&b, '/');
		else if (*p >= 0x80 || *p == ' ' || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '`' || *p == '{' || *p == '}' ||
		    *p == '|' || *p == '^' || (*p == '\\' && query)) {
			buf_addc(&b, '%');
			buf_addc(&b, hex[*p >> 4]);
			buf_addc(&b, hex[*p & 0xf]);
		} else
			buf_addc(&b, (char)*p);
	}
	return buf_detach(&b);
}

/* Lower-cases an ASCII string in place. */
static void
url_lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + ('a' - 'A'));
}

/*
 * Whether a host curl returned is a plain name or address.  curl decodes
 * percent-encoding in host names, so "%B6" would come back as a raw byte;
 * such hosts (and IDN ones, which official sites do not use) are refused.
 */
static int
url_host_ok(const char *h)
{
	const char *p;

	if (*h == '\0')
		return 0;
	if (*h == '[') {
		for (p = h + 1; *p != ']'; p++)
			if (!((*p >= '0' && *p <= '9') ||
			    ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f') ||
			    *p == ':' || *p == '.'))
				return 0;
		return p[1] == '\0';
	}
	for (p = h; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' &&
		    (*p | 0x20) <= 'z') || *p == '-' || *p == '.' || *p == '_'))
			return 0;
	return 1;
}

/*
 * Finishes a handle holding a resolved URL: only http(s), host lower case,
 * no fragment, no credentials.  Returns the URL (caller frees) or NULL.
 */
static char *
url_finish(CURLU *h)
{
	char *scheme = NULL, *host = NULL, *u = NULL, *out = NULL;

	if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0))
		goto out;
	if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    !url_host_ok(host))
		goto out;
	url_lower(host);
	if (curl_url_set(h, CURLUPART_HOST, host, 0) != CURLUE_OK)
		goto out;
	curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
	curl_url_set(h, CURLUPART_USER, NULL, 0);
	curl_url_set(h, CURLUPART_PASSWORD, NULL, 0);
	curl_url_set(h, CURLUPART_OPTIONS, NULL, 0);
	if (curl_url_get(h, CURLUPART_URL, &u, CURLU_NO_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto out;
	out = xstrdup(u);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(u);
	return out;
}

/*
 * Only absolute http(s) URLs (case-insensitive scheme) may be set without
 * a base: curl would otherwise guess a scheme or accept ftp:// and friends
 * that url_finish() would refuse anyway.
 */
static int
url_is_http(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

char *
url_resolve(const char *base, const char *href)
{
	CURLU *h = NULL;
	char *b = NULL, *r = NULL, *out = NULL;

	if (base == NULL || href == NULL)
		return NULL;
	b = url_clean(base);
	r = url_clean(href);
	if (b == NULL || r == NULL || !url_is_http(b))
		goto out;
	if ((h = curl_url()) == NULL)
		goto out;
	/* CURLU_DEFAULT_SCHEME off: a base without a scheme is refused */
	if (curl_url_set(h, CURLUPART_URL, b, 0) != CURLUE_OK)
		goto out;
	/*
	 * An empty or fragment-only href is the page itself; curl 7.88
	 * resolves "#x" against the base's directory instead.
	 */
	if (*r != '\0' && *r != '#' &&
	    curl_url_set(h, CURLUPART_URL, r, 0) != CURLUE_OK)
		goto out;
	out = url_finish(h);
out:
	curl_url_cleanup(h);
	free(b);
	free(r);
	return out;
}

char *
url_host(const char *url)
{
	CURLU *h = NULL;
	char *c = NULL, *scheme = NULL, *host = NULL, *out = NULL;

	if (url == NULL || (c = url_clean(url)) == NULL || !url_is_http(c))
		goto out;
	if ((h = curl_url()) == NULL ||
	    curl_url_set(h, CURLUPART_URL, c, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0))
		goto out;
	if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    !url_host_ok(host))
		goto out;
	out = xstrdup(host);
	url_lower(out);
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(h);
	free(c);
	return out;
}

/*
 * A host as written in a configuration (extra_hosts, a catalog's host
 * column): "Example.gov.cn", "1.2.3.4:8080", "[::1]:8080", or a whole URL.
 * Returns it lower case without port or trailing dot (caller frees), or
 * NULL when empty.
 */
static char *
url_host_norm(const char *s, size_t len)
{
	char *h, *colon, *url;
	size_t n;

	if (len == 0)
		return NULL;
	h = xstrndup(s, len);
	if (strstr(h, "://") != NULL) {
		url = url_host(h);
		free(h);
		return url;
	}
	url_lower(h);
	if (h[0] == '[') {
		/* IPv6 literal: the port, if any, follows the ']' */
		if ((colon = strchr(h, ']')) != NULL)
			colon[1] = '\0';
	} else if ((colon = strchr(h, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL)
		*colon = '\0';
	if ((colon = strchr(h, '/')) != NULL)
		*colon = '\0';
	n = strlen(h);
	while (n > 0 && h[n - 1] == '.')
		h[--n] = '\0';
	if (n == 0) {
		free(h);
		return NULL;
	}
	return h;
}

int
url_host_allowed(const char *url, const char *host, const char *extra_hosts)
{
	char *uh, *want;
	const char *p, *e;
	size_t n;
	int ok = 0;

	if (url == NULL || (uh = url_host(url)) == NULL)
		return 0;
	n = strlen(uh);
	while (n > 0 && uh[n - 1] == '.')
		uh[--n] = '\0';
	if (host != NULL &&
	    (want = url_host_norm(host, strlen(host))) != NULL) {
		ok = strcmp(uh, want) == 0;
		free(want);
	}
	for (p = extra_hosts; !ok && p != NULL && *p != '\0'; p = e) {
		while (*p == ' ' || *p == '\t' || *p == ',' || *p == ';')
			p++;
		e = p + strcspn(p, " \t,;");
		if ((want = url_host_norm(p, (size_t)(e - p))) != NULL) {
			ok = strcmp(uh, want) == 0;
			free(want);
		}
	}
	free(uh);
	return ok;
}
