/*
 * Unit tests for the fetcher's pure policy (delay, backoff, Retry-After,
 * error names and CURLcode mapping) and for its life cycle on a private
 * event base against a closed loopback port: no callback from inside
 * fetch_start(), refused URLs, the circuit breaker, cancelling, and
 * freeing the fetcher from inside a callback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "fetch_int.h"

static void
test_delay_and_backoff(void **state)
{
	struct fetch_opts o;

	fetch_opts_default(&o);
	o.min_delay_ms = 1000;
	o.max_delay_ms = 10000;
	o.delay_factor = 5;
	o.backoff_max_ms = 60000;
	assert_int_equal(fetch_delay_ms(&o, 0, 0, 0), 1000);
	assert_int_equal(fetch_delay_ms(&o, 3000, 100, 0), 3000);
	assert_int_equal(fetch_delay_ms(&o, 0, 400, 0), 2000);
	/* Clamped to max_delay... */
	assert_int_equal(fetch_delay_ms(&o, 50000, 0, 0), 10000);
	assert_int_equal(fetch_delay_ms(&o, 0, 1LL << 50, 0), 10000);
	/* ...but backoff is not: it has its own cap. */
	assert_int_equal(fetch_backoff_ms(&o, 0), 0);
	assert_int_equal(fetch_backoff_ms(&o, 1), 2000);
	assert_int_equal(fetch_backoff_ms(&o, 3), 8000);
	assert_int_equal(fetch_backoff_ms(&o, 5), 32000);
	assert_int_equal(fetch_backoff_ms(&o, 6), 60000);
	assert_int_equal(fetch_backoff_ms(&o, 1000), 60000);
	assert_int_equal(fetch_delay_ms(&o, 0, 0, 4), 16000);
	assert_int_equal(fetch_delay_ms(&o, 0, 0, 1), 2000);
	o.delay_factor = 0;
	assert_int_equal(fetch_delay_ms(&o, 0, 5000, 0), 1000);
}

static void
test_retry_after(void **state)
{
	/* 2015-10-21 07:28:00 UTC */
	const int64_t now = 1445412480LL * 1000;
	long long ms;

	assert_int_equal(fetch_retry_after_ms("2", now, &ms), 0);
	assert_int_equal(ms, 2000);
	assert_int_equal(fetch_retry_after_ms(" 120", now, &ms), 0);
	assert_int_equal(ms, 120000);
	assert_int_equal(fetch_retry_after_ms("0", now, &ms), 0);
	assert_int_equal(ms, 0);
	/* Huge values are capped, not refused. */
	assert_int_equal(fetch_retry_after_ms("99999999999", now, &ms), 0);
	assert_int_equal(ms, 366LL * 86400 * 1000);
	/* The three HTTP-date forms. */
	assert_int_equal(fetch_retry_after_ms(
	    "Wed, 21 Oct 2015 07:28:30 GMT", now, &ms), 0);
	assert_int_equal(ms, 30000);
	assert_int_equal(fetch_retry_after_ms(
	    "Wednesday, 21-Oct-15 07:29:00 GMT", now, &ms), 0);
	assert_int_equal(ms, 60000);
	assert_int_equal(fetch_retry_after_ms(
	    "Wed Oct 21 07:28:05 2015", now, &ms), 0);
	assert_int_equal(ms, 5000);
	/* A date in the past means now. */
	assert_int_equal(fetch_retry_after_ms(
	    "Wed, 21 Oct 2015 07:00:00 GMT", now, &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(fetch_retry_after_ms("-5", now, &ms), -1);
	assert_int_equal(fetch_retry_after_ms("2s", now, &ms), -1);
	assert_int_equal(fetch_retry_after_ms("soon", now, &ms), -1);
	assert_int_equal(fetch_retry_after_ms("", now, &ms), -1);
	assert_int_equal(fetch_retry_after_ms(NULL, now, &ms), -1);
}

static void
test_err_names(void **state)
{
	assert_string_equal(fetch_err_name(FETCH_OK), "ok");
	assert_string_equal(fetch_err_name(FETCH_ERR_TIMEOUT), "timeout");
	assert_string_equal(fetch_err_name(FETCH_ERR_TOO_LARGE), "too_large");
	assert_string_equal(fetch_err_name(FETCH_ERR_BREAKER), "breaker");
	assert_string_equal(fetch_err_name((enum fetch_err)99), "other");
	assert_int_equal(fetch_err_from_curl(CURLE_OPERATION_TIMEDOUT),
	    FETCH_ERR_TIMEOUT);
	assert_int_equal(fetch_err_from_curl(CURLE_COULDNT_CONNECT),
	    FETCH_ERR_CONNECT);
	assert_int_equal(fetch_err_from_curl(CURLE_COULDNT_RESOLVE_HOST),
	    FETCH_ERR_DNS);
	assert_int_equal(fetch_err_from_curl(CURLE_PEER_FAILED_VERIFICATION),
	    FETCH_ERR_TLS);
	assert_int_equal(fetch_err_from_curl(CURLE_SSL_CONNECT_ERROR),
	    FETCH_ERR_TLS);
	assert_int_equal(fetch_err_from_curl(CURLE_BAD_CONTENT_ENCODING),
	    FETCH_ERR_DECODE);
	assert_int_equal(fetch_err_from_curl(CURLE_TOO_MANY_REDIRECTS),
	    FETCH_ERR_REDIRECTS);
	assert_int_equal(fetch_err_from_curl(CURLE_FILESIZE_EXCEEDED),
	    FETCH_ERR_TOO_LARGE);
	assert_int_equal(fetch_err_from_curl(CURLE_WEIRD_SERVER_REPLY),
	    FETCH_ERR_PROTOCOL);
}

/* The life-cycle tests: a fetcher on a private base. */
struct ctx {
	struct event_base	*base;
	struct fetcher		*f;
	int			 in_start;
	int			 called_in_start;
	int			 n;
	enum fetch_err		 errs[16];
	int			 free_at;	/* free the fetcher at result n */
};

static void
ctx_cb(struct fetch_result *res, void *arg)
{
	struct ctx *c = arg;

	if (c->in_start)
		c->called_in_start = 1;
	if (c->n < 16)
		c->errs[c->n] = res->err;
	c->n++;
	fetch_result_free(res);
	if (c->free_at != 0 && c->n == c->free_at) {
		fetcher_free(c->f);
		c->f = NULL;
		event_base_loopbreak(c->base);
		return;
	}
	if (fetch_pending(c->f) == 0)
		event_base_loopbreak(c->base);
}

static int
closed_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);	/* nothing listens there now */
	return (port);
}

static void
start(struct ctx *c, const char *url)
{
	struct fetch_req req;
	char *cause = NULL;

	memset(&req, 0, sizeof req);
	req.url = url;
	req.tls_verify = -1;
	c->in_start = 1;
	assert_int_equal(fetch_start(c->f, &req, ctx_cb, c, &cause), 0);
	c->in_start = 0;
}

static void
ctx_init(struct ctx *c, struct fetch_opts *o)
{
	memset(c, 0, sizeof *c);
	fetch_opts_default(o);
	o->robots = 0;
	o->min_delay_ms = 0;
	o->max_delay_ms = 0;
	o->connect_timeout = 5;
	o->total_timeout = 10;
	c->base = event_base_new();
	assert_non_null(c->base);
}

static void
test_refused_urls(void **state)
{
	const char *bad[] = { "ftp://127.0.0.1/x", "file:///etc/passwd",
	    "not a url", "http://", "gopher://x/" };
	struct fetch_opts o;
	struct fetch_req req;
	struct ctx c;
	char *cause;
	size_t i;

	ctx_init(&c, &o);
	c.f = fetcher_new(c.base, &o, NULL, NULL);
	assert_non_null(c.f);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&req, 0, sizeof req);
		req.url = bad[i];
		cause = NULL;
		assert_int_equal(fetch_start(c.f, &req, ctx_cb, &c, &cause),
		    -1);
		assert_non_null(cause);
		free(cause);
	}
	memset(&req, 0, sizeof req);
	req.url = "http://127.0.0.1/";
	req.etag = "\"x\"\r\nX-Injected: 1";
	cause = NULL;
	assert_int_equal(fetch_start(c.f, &req, ctx_cb, &c, &cause), -1);
	free(cause);
	assert_int_equal(fetch_pending(c.f), 0);
	fetcher_free(c.f);
	event_base_free(c.base);
}

static void
test_breaker(void **state)
{
	struct fetch_opts o;
	struct ctx c;
	char url[64];
	int i;

	ctx_init(&c, &o);
	o.breaker_failures = 2;
	o.breaker_cooldown_ms = 60000;
	c.f = fetcher_new(c.base, &o, NULL, NULL);
	assert_non_null(c.f);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x", closed_port());
	for (i = 0; i < 5; i++)
		start(&c, url);
	assert_int_equal(c.n, 0);
	assert_int_equal(fetch_pending(c.f), 5);
	event_base_dispatch(c.base);
	assert_false(c.called_in_start);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.errs[0], FETCH_ERR_CONNECT);
	assert_int_equal(c.errs[1], FETCH_ERR_CONNECT);
	for (i = 2; i < 5; i++)
		assert_int_equal(c.errs[i], FETCH_ERR_BREAKER);
	/* Still open: a new request completes at once, but not in start. */
	start(&c, url);
	assert_int_equal(c.n, 5);
	event_base_dispatch(c.base);
	assert_int_equal(c.n, 6);
	assert_int_equal(c.errs[5], FETCH_ERR_BREAKER);
	assert_int_equal(fetch_pending(c.f), 0);
	fetcher_free(c.f);
	event_base_free(c.base);
}

static void
test_cancel_and_free_in_callback(void **state)
{
	struct fetch_opts o;
	struct ctx c;
	char url[64];
	int i;

	/* A long delay keeps requests queued: cancelling completes them. */
	ctx_init(&c, &o);
	o.min_delay_ms = o.max_delay_ms = 60000;
	c.f = fetcher_new(c.base, &o, NULL, NULL);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x", closed_port());
	for (i = 0; i < 4; i++)
		start(&c, url);
	fetch_cancel_queued(c.f);
	assert_int_equal(c.n, 0);
	event_base_dispatch(c.base);
	assert_int_equal(c.n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(c.errs[i], FETCH_ERR_CANCELLED);
	fetcher_free(c.f);
	event_base_free(c.base);

	/* Freeing the fetcher inside a callback, others still pending. */
	ctx_init(&c, &o);
	c.free_at = 1;
	c.f = fetcher_new(c.base, &o, NULL, NULL);
	for (i = 0; i < 4; i++)
		start(&c, url);
	event_base_dispatch(c.base);
	assert_int_equal(c.n, 1);
	assert_null(c.f);
	/* Nothing of the fetcher is left on the base. */
	assert_int_equal(event_base_dispatch(c.base), 1);
	event_base_free(c.base);

	/* Freeing with requests queued: no callbacks, nothing left. */
	ctx_init(&c, &o);
	c.f = fetcher_new(c.base, &o, NULL, NULL);
	for (i = 0; i < 3; i++)
		start(&c, url);
	fetcher_free(c.f);
	assert_int_equal(event_base_dispatch(c.base), 1);
	assert_int_equal(c.n, 0);
	event_base_free(c.base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_and_backoff),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_err_names),
		cmocka_unit_test(test_refused_urls),
		cmocka_unit_test(test_breaker),
		cmocka_unit_test(test_cancel_and_free_in_callback),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
