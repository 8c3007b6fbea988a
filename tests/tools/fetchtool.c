/*
 * fetchtool: every URL at once on one fetcher, one JSON object per result
 * on stdout (robots.txt results marked "aux": true), exit once nothing is
 * pending.  The e2e tests read its output beside the test server's log.
 *
 *   fetchtool [-R] [-c per_host] [-d min_delay_ms] [-D max_delay_ms]
 *       [-f delay_factor] [-r max_retries] [-b max_body]
 *       [-z max_decompressed] [-t total_timeout_s] [-B breaker_failures]
 *       [-E etag] [-M last_modified] [-T safety_s] URL...
 *
 * Exit 0 when every request completed, 1 on the safety timeout, 2 on
 * bad usage or a URL fetch_start refuses.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "fetch.h"
#include "util.h"

static struct fetcher	*fetcher;
static struct event_base *base;

static void
print_result(struct fetch_result *res, int aux)
{
	json_t *o;
	char *s;

	o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i}",
	    "url", res->url, "err", fetch_err_name(res->err),
	    "status", (json_int_t)res->status, "len", (json_int_t)res->len,
	    "wire_bytes", (json_int_t)res->wire_bytes,
	    "started_ms", (json_int_t)res->started_ms,
	    "queued_ms", (json_int_t)res->queued_ms,
	    "total_ms", (json_int_t)res->total_ms,
	    "ttfb_ms", (json_int_t)res->ttfb_ms,
	    "retries", res->retries, "redirects", res->redirects);
	json_object_set_new(o, "cause", res->cause != NULL ?
	    json_string(res->cause) : json_null());
	json_object_set_new(o, "etag", res->etag != NULL ?
	    json_string(res->etag) : json_null());
	json_object_set_new(o, "last_modified", res->last_modified != NULL ?
	    json_string(res->last_modified) : json_null());
	json_object_set_new(o, "final_url", res->final_url != NULL ?
	    json_string(res->final_url) : json_null());
	if (aux)
		json_object_set_new(o, "aux", json_true());
	s = json_dumps(o, JSON_COMPACT);
	if (s != NULL) {
		printf("%s\n", s);
		fflush(stdout);
	}
	free(s);
	json_decref(o);
}

static void
done(struct fetch_result *res, void *arg)
{
	print_result(res, arg != NULL);
	fetch_result_free(res);
	if (fetch_pending(fetcher) == 0)
		event_base_loopbreak(base);
}

static void
safety(evutil_socket_t fd, short kind, void *arg)
{
	int *timed_out = arg;

	fprintf(stderr, "fetchtool: safety timeout, %zu pending\n",
	    fetch_pending(fetcher));
	*timed_out = 1;
	event_base_loopbreak(base);
}

static long long
num(const char *s, long long min, long long max)
{
	const char *errstr;
	long long n;

	if (util_strtonum(s, min, max, &n, &errstr) != 0) {
		fprintf(stderr, "fetchtool: %s: %s\n", s, errstr);
		exit(2);
	}
	return (n);
}

int
main(int argc, char **argv)
{
	struct fetch_opts o;
	struct fetch_req req;
	struct event *ev;
	struct timeval tv;
	char *cause;
	const char *etag = NULL, *lm = NULL;
	long long safety_s = 60;
	int c, i, timed_out = 0;

	fetch_opts_default(&o);
	o.min_delay_ms = 0;
	o.tls_verify = 0;
	while ((c = getopt(argc, argv, "B:b:c:D:d:E:f:M:Rr:T:t:z:")) != -1) {
		switch (c) {
		case 'B':
			o.breaker_failures = num(optarg, 0, 1000);
			break;
		case 'b':
			o.max_body = num(optarg, 1, 1LL << 40);
			break;
		case 'c':
			o.per_host = num(optarg, 1, 1000);
			break;
		case 'D':
			o.max_delay_ms = num(optarg, 0, 3600000);
			break;
		case 'd':
			o.min_delay_ms = num(optarg, 0, 3600000);
			break;
		case 'E':
			etag = optarg;
			break;
		case 'f':
			o.delay_factor = num(optarg, 0, 100);
			break;
		case 'M':
			lm = optarg;
			break;
		case 'R':
			o.robots = 0;
			break;
		case 'r':
			o.max_retries = num(optarg, 0, 100);
			break;
		case 'T':
			safety_s = num(optarg, 1, 3600);
			break;
		case 't':
			o.total_timeout = num(optarg, 1, 3600);
			break;
		case 'z':
			o.max_decompressed = num(optarg, 1, 1LL << 40);
			break;
		default:
			fprintf(stderr, "usage: fetchtool [-R] [-B breaker] "
			    "[-b max_body] [-c per_host] [-D max_delay_ms] "
			    "[-d min_delay_ms] [-E etag] [-f delay_factor] "
			    "[-M last_modified] [-r max_retries] [-T safety_s] "
			    "[-t total_timeout_s] [-z max_decompressed] "
			    "URL...\n");
			return (2);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.max_delay_ms < o.min_delay_ms)
		o.max_delay_ms = o.min_delay_ms;

	base = event_base_new();
	/* Any non-NULL aux_arg marks aux results. */
	fetcher = fetcher_new(base, &o, done, base);
	if (fetcher == NULL) {
		fprintf(stderr, "fetchtool: fetcher_new failed\n");
		return (2);
	}
	for (i = 0; i < argc; i++) {
		memset(&req, 0, sizeof req);
		req.url = argv[i];
		req.etag = etag;
		req.last_modified = lm;
		req.tls_verify = -1;
		cause = NULL;
		if (fetch_start(fetcher, &req, done, NULL, &cause) != 0) {
			fprintf(stderr, "fetchtool: %s\n", cause);
			free(cause);
			fetcher_free(fetcher);
			event_base_free(base);
			return (2);
		}
	}
	ev = evtimer_new(base, safety, &timed_out);
	tv.tv_sec = safety_s;
	tv.tv_usec = 0;
	evtimer_add(ev, &tv);
	if (fetch_pending(fetcher) > 0)
		event_base_dispatch(base);
	fetcher_free(fetcher);
	event_free(ev);
	event_base_free(base);
	return (timed_out ? 1 : 0);
}
