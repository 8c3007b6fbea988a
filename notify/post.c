/*
 * An HTTP POST for the channels: libcurl easy, blocking (the dispatcher
 * runs in a thread of its own), with the answer kept up to a bound so a
 * receiver that streams forever cannot grow our memory.  Errors never
 * carry the URL's query string: robots put their access token there.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../daemon/buf.h"
#include "../daemon/util.h"
#include "../daemon/xmalloc.h"
#include "notify.h"

struct post_ctx {
	struct buf	 answer;
	long long	 retry_after_ms;
};

static size_t
post_write(char *p, size_t size, size_t n, void *arg)
{
	struct post_ctx *ctx = arg;
	size_t len = size * n;

	size_t room = POST_MAX_ANSWER - ctx->answer.len;

	/* Keep what fits; the rest is read and dropped. */
	(void)buf_add(&ctx->answer, p, len < room ? len : room);
	return len;
}

static size_t
post_header(char *p, size_t size, size_t n, void *arg)
{
	struct post_ctx *ctx = arg;
	size_t len = size * n;
	char tmp[64];
	const char *v;
	size_t vl;
	long long secs;
	const char *errstr;

	if (len > 12 && len < sizeof tmp + 12 &&
	    strncasecmp(p, "Retry-After:", 12) == 0) {
		v = p + 12;
		vl = len - 12;
		while (vl > 0 && (*v == ' ' || *v == '\t')) {
			v++;
			vl--;
		}
		while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == '\n' ||
		    v[vl - 1] == ' '))
			vl--;
		memcpy(tmp, v, vl);
		tmp[vl] = '\0';
		/* Seconds only: an HTTP date from a robot API is unheard of. */
		if (util_strtonum(tmp, 0, 86400, &secs, &errstr) == 0)
			ctx->retry_after_ms = secs * 1000;
	}
	return len;
}

char *
post_url_safe(const char *url)
{
	size_t n = strcspn(url, "?#");

	if (url[n] == '\0')
		return xstrdup(url);
	return xprintf("%.*s?…", (int)n, url);
}

int
post_http(const char *url, const char *const *headers, const char *body,
    size_t len, long long timeout_ms, int tls_verify, struct notify_answer *a)
{
	struct post_ctx ctx;
	struct curl_slist *hl = NULL, *tmp;
	CURL *h;
	CURLcode rc;
	char errbuf[CURL_ERROR_SIZE], *safe;
	int ret = -1;
	size_t i;

	memset(&ctx, 0, sizeof ctx);
	buf_init(&ctx.answer, POST_MAX_ANSWER);
	errbuf[0] = '\0';
	h = curl_easy_init();
	if (h == NULL) {
		a->error = xstrdup("curl_easy_init failed");
		a->retryable = 1;
		goto out;
	}
	for (i = 0; headers != NULL && headers[i] != NULL; i++) {
		tmp = curl_slist_append(hl, headers[i]);
		if (tmp == NULL)
			fatalx("curl_slist_append: out of memory");
		hl = tmp;
	}
	/* No "Expect: 100-continue" round trip for small bodies. */
	tmp = curl_slist_append(hl, "Expect:");
	if (tmp == NULL)
		fatalx("curl_slist_append: out of memory");
	hl = tmp;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "nianbao-notify");
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, tls_verify ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, tls_verify ? 2L : 0L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, post_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &ctx);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, post_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &ctx);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		safe = post_url_safe(url);
		a->error = xprintf("POST %s: %s", safe,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
		free(safe);
		a->retryable = 1;
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
	a->retry_after_ms = ctx.retry_after_ms;
	a->raw = xstrdup(buf_str(&ctx.answer));
	ret = 0;
out:
	if (h != NULL)
		curl_easy_cleanup(h);
	curl_slist_free_all(hl);
	buf_release(&ctx.answer);
	return ret;
}
