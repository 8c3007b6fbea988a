/*
 * One easy handle per attempt.  easy_setup() turns a request and the
 * fetcher's options into curl options: http and https only (redirects
 * too), compressed transfer, bounded redirects, timeouts and a low-speed
 * floor, conditional GET headers, the bounded callbacks of body.c.
 * easy_collect() turns a finished handle into a struct fetch_result and
 * frees the handle.  The multi handle is multi.c's business.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fetch_int.h"
#include "xmalloc.h"

#define EASY_LOW_SPEED		64	/* bytes/s below which ... */
#define EASY_LOW_SPEED_TIME	30	/* ... for this long, we give up */

static void
easy_header(struct xfer *x, const char *name, const char *value)
{
	char *line;

	xasprintf(&line, "%s: %s", name, value);
	x->hdrlist = curl_slist_append(x->hdrlist, line);
	free(line);
	if (x->hdrlist == NULL)
		fatalx("curl_slist_append: out of memory");
}

int
easy_setup(struct fetcher *f, struct xfer *x, char **cause)
{
	const struct fetch_opts *o = &f->opts;
	CURL *e;
	CURLcode rc = CURLE_OK;
	long verify, low;

	easy_reset(x);
	if ((e = curl_easy_init()) == NULL) {
		*cause = xstrdup("curl_easy_init failed");
		return (-1);
	}
	x->easy = e;
	x->max_body = o->max_body;
	buf_init(&x->body, x->is_robots ? FETCH_ROBOTS_MAX :
	    (o->max_decompressed > 0 ? (size_t)o->max_decompressed : 0));
	buf_init(&x->headers, FETCH_HEADER_MAX);
	verify = x->tls_verify >= 0 ? x->tls_verify : o->tls_verify;
	low = o->total_timeout > 0 && o->total_timeout < EASY_LOW_SPEED_TIME ?
	    o->total_timeout : EASY_LOW_SPEED_TIME;

	if (x->etag != NULL)
		easy_header(x, "If-None-Match", x->etag);
	if (x->last_modified != NULL)
		easy_header(x, "If-Modified-Since", x->last_modified);

#define SET(opt, val) do {						\
	if (rc == CURLE_OK)						\
		rc = curl_easy_setopt(e, opt, val);			\
} while (0)
	SET(CURLOPT_URL, x->url);
	SET(CURLOPT_PRIVATE, x);
	SET(CURLOPT_ERRORBUFFER, x->errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_USERAGENT, o->user_agent);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, o->max_redirects);
	SET(CURLOPT_ACCEPT_ENCODING, "");	/* every encoding built in */
	SET(CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	SET(CURLOPT_TIMEOUT, o->total_timeout);
	SET(CURLOPT_LOW_SPEED_LIMIT, (long)EASY_LOW_SPEED);
	SET(CURLOPT_LOW_SPEED_TIME, low);
	SET(CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
	SET(CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
	if (o->max_body > 0 && !x->is_robots)
		SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	SET(CURLOPT_WRITEFUNCTION, body_write);
	SET(CURLOPT_WRITEDATA, x);
	SET(CURLOPT_HEADERFUNCTION, body_header);
	SET(CURLOPT_HEADERDATA, x);
	SET(CURLOPT_XFERINFOFUNCTION, body_progress);
	SET(CURLOPT_XFERINFODATA, x);
	SET(CURLOPT_NOPROGRESS, 0L);
	if (x->hdrlist != NULL)
		SET(CURLOPT_HTTPHEADER, x->hdrlist);
#undef SET
	if (rc != CURLE_OK) {
		xasprintf(cause, "curl_easy_setopt: %s",
		    curl_easy_strerror(rc));
		easy_reset(x);
		return (-1);
	}
	return (0);
}

/* Frees what one attempt holds, so that the request can be tried again. */
void
easy_reset(struct xfer *x)
{
	if (x->easy != NULL)
		curl_easy_cleanup(x->easy);
	x->easy = NULL;
	curl_slist_free_all(x->hdrlist);
	x->hdrlist = NULL;
	buf_release(&x->body);
	buf_release(&x->headers);
	free(x->content_type);
	free(x->etag_got);
	free(x->lm_got);
	free(x->ra_got);
	x->content_type = x->etag_got = x->lm_got = x->ra_got = NULL;
	x->errbuf[0] = '\0';
	x->hdr_bytes = 0;
	x->wire = 0;
	x->too_large = 0;
	x->too_large_why = NULL;
}

static int64_t
easy_ms(CURL *e, CURLINFO what)
{
	curl_off_t us = 0;

	if (curl_easy_getinfo(e, what, &us) != CURLE_OK)
		return (0);
	return ((int64_t)(us / 1000));
}

struct fetch_result *
easy_collect(struct xfer *x, CURLcode code)
{
	struct fetch_result *res;
	CURL *e = x->easy;
	char *s = NULL;
	long l = 0;
	curl_off_t dl = 0;

	res = xcalloc(1, sizeof *res);
	res->url = xstrdup(x->url);
	res->retries = x->retries;
	res->started_ms = x->started_wall;
	res->queued_ms = x->started_at - x->queued_at;

	if (x->too_large)
		res->err = FETCH_ERR_TOO_LARGE;
	else
		res->err = fetch_err_from_curl(code);
	if (res->err != FETCH_OK) {
		if (x->too_large)
			res->cause = xstrdup(x->too_large_why);
		else if (x->errbuf[0] != '\0')
			res->cause = xstrdup(x->errbuf);
		else
			res->cause = xstrdup(curl_easy_strerror(code));
	}

	if (e != NULL) {
		if (curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &s) ==
		    CURLE_OK && s != NULL)
			res->final_url = xstrdup(s);
		if (curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &l) ==
		    CURLE_OK)
			res->status = l;
		if (curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &l) ==
		    CURLE_OK)
			res->redirects = (int)l;
		if (curl_easy_getinfo(e, CURLINFO_SIZE_DOWNLOAD_T, &dl) ==
		    CURLE_OK && dl > 0)
			res->wire_bytes = (size_t)dl;
		if ((long long)res->wire_bytes < x->wire)
			res->wire_bytes = (size_t)x->wire;
		res->connect_ms = easy_ms(e, CURLINFO_CONNECT_TIME_T);
		res->ttfb_ms = easy_ms(e, CURLINFO_STARTTRANSFER_TIME_T);
		res->total_ms = easy_ms(e, CURLINFO_TOTAL_TIME_T);
	}
	if (res->final_url == NULL)
		res->final_url = xstrdup(x->url);

	/*
	 * A body cut short is not a body: only a complete response carries
	 * one (robots.txt keeps its first 500 KiB, see host.c).
	 */
	if (res->err == FETCH_OK || (x->is_robots && x->too_large)) {
		res->len = x->body.len;
		res->body = x->body.data != NULL ? buf_detach(&x->body) :
		    xstrdup("");
	}
	if (x->headers.len > 0)
		res->headers = buf_detach(&x->headers);
	res->content_type = x->content_type;
	res->etag = x->etag_got;
	res->last_modified = x->lm_got;
	res->retry_after = x->ra_got;
	x->content_type = x->etag_got = x->lm_got = x->ra_got = NULL;
	easy_reset(x);
	return (res);
}
