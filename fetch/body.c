/*
 * The callbacks libcurl feeds a transfer's bytes through, each bounded:
 * the decoded body by max_decompressed (a gzip bomb stops at the limit,
 * not at the end of the inflation), the bytes on the wire by max_body (the
 * progress callback sees dlnow before decoding; CURLOPT_MAXFILESIZE_LARGE
 * catches an announced Content-Length earlier), one response's header
 * block by 64 KiB.  They never touch the multi handle: stopping a transfer
 * is a short count or a non-zero return, and the completion check sees
 * too_large and says FETCH_ERR_TOO_LARGE.
 * robots.txt is different: past 500 KiB it stops, keeping what it has.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fetch_int.h"
#include "xmalloc.h"

/* Headers worth keeping in the result (and in captures). */
static const char *body_keep[] = {
	"Content-Type", "ETag", "Last-Modified", "Retry-After", "Location",
	"Content-Length", "Content-Encoding", "Date", "Server", "Cache-Control"
};

size_t
body_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nmemb, room;

	if (buf_add(&x->body, ptr, n) == 0)
		return (n);
	if (x->is_robots) {
		/* Keep the first 500 KiB: RFC 9309 lets us ignore the rest. */
		room = x->body.max - x->body.len;
		buf_add(&x->body, ptr, room);
	}
	x->too_large = 1;
	x->too_large_why = "decoded body larger than max_decompressed";
	return (0);
}

static void
body_set(char **field, const char *v, size_t len)
{
	free(*field);
	*field = xstrndup(v, len);
}

size_t
body_header(char *ptr, size_t size, size_t nitems, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nitems, nlen, vlen, i;
	const char *colon, *v;

	if (n >= 5 && strncasecmp(ptr, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or a 100): start again. */
		x->hdr_bytes = 0;
		buf_reset(&x->headers);
		free(x->content_type);
		free(x->etag_got);
		free(x->lm_got);
		free(x->ra_got);
		x->content_type = x->etag_got = x->lm_got = x->ra_got = NULL;
	}
	x->hdr_bytes += n;
	if (x->hdr_bytes > FETCH_HEADER_MAX) {
		x->too_large = 1;
		x->too_large_why = "header block larger than 64 KiB";
		return (0);
	}
	if ((colon = memchr(ptr, ':', n)) == NULL)
		return (n);
	nlen = colon - ptr;
	v = colon + 1;
	vlen = ptr + n - v;
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	for (i = 0; i < sizeof body_keep / sizeof body_keep[0]; i++) {
		if (strlen(body_keep[i]) != nlen ||
		    strncasecmp(body_keep[i], ptr, nlen) != 0)
			continue;
		/* The buffer is bounded like the block: never fails. */
		buf_add(&x->headers, body_keep[i], nlen);
		buf_add(&x->headers, ": ", 2);
		buf_add(&x->headers, v, vlen);
		buf_addc(&x->headers, '\n');
		if (i == 0)
			body_set(&x->content_type, v, vlen);
		else if (i == 1)
			body_set(&x->etag_got, v, vlen);
		else if (i == 2)
			body_set(&x->lm_got, v, vlen);
		else if (i == 3)
			body_set(&x->ra_got, v, vlen);
		break;
	}
	return (n);
}

int
body_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = arg;

	x->wire = dlnow;
	if (x->max_body > 0 && dlnow > x->max_body) {
		x->too_large = 1;
		x->too_large_why = "body larger than max_body";
		return (1);
	}
	return (0);
}
