/*
 * The fetcher's public glue (fetch.h): defaults, names, results, creating
 * and freeing a fetcher, counters, and the one mapping from CURLcode to
 * enum fetch_err.  The work is done in host.c and multi.c.
 * Ownership: the fetcher owns its copy of the options' user agent.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch_int.h"
#include "xmalloc.h"

#define FETCH_DEFAULT_UA	"nianbao/0.1 (+https://github.com/nianbao)"

void
fetch_opts_default(struct fetch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->user_agent = FETCH_DEFAULT_UA;
	o->per_host = 1;
	o->min_delay_ms = 2000;
	o->max_delay_ms = 30000;
	o->delay_factor = 5;
	o->connect_timeout = 10;
	o->total_timeout = 60;
	o->max_redirects = 5;
	o->max_body = 20LL * 1024 * 1024;
	o->max_decompressed = 100LL * 1024 * 1024;
	o->tls_verify = 1;
	o->robots = 1;
	o->robots_ttl_ms = 24LL * 3600 * 1000;
	o->max_retries = 2;
	o->retry_after_max_ms = 120LL * 1000;
	o->backoff_max_ms = 3600LL * 1000;
	o->breaker_failures = 5;
	o->breaker_cooldown_ms = 30LL * 60 * 1000;
	o->max_total = 64;
}

const char *
fetch_err_name(enum fetch_err e)
{
	switch (e) {
	case FETCH_OK:
		return ("ok");
	case FETCH_ERR_DNS:
		return ("dns");
	case FETCH_ERR_CONNECT:
		return ("connect");
	case FETCH_ERR_TIMEOUT:
		return ("timeout");
	case FETCH_ERR_TLS:
		return ("tls");
	case FETCH_ERR_TOO_LARGE:
		return ("too_large");
	case FETCH_ERR_REDIRECTS:
		return ("redirects");
	case FETCH_ERR_DECODE:
		return ("decode");
	case FETCH_ERR_PROTOCOL:
		return ("protocol");
	case FETCH_ERR_ROBOTS:
		return ("robots");
	case FETCH_ERR_BREAKER:
		return ("breaker");
	case FETCH_ERR_CANCELLED:
		return ("cancelled");
	case FETCH_ERR_OTHER:
		break;
	}
	return ("other");
}

enum fetch_err
fetch_err_from_curl(CURLcode code)
{
	switch (code) {
	case CURLE_OK:
		return (FETCH_OK);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return (FETCH_ERR_DNS);
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		return (FETCH_ERR_CONNECT);
	case CURLE_OPERATION_TIMEDOUT:
		return (FETCH_ERR_TIMEOUT);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		return (FETCH_ERR_TLS);
	case CURLE_FILESIZE_EXCEEDED:
		return (FETCH_ERR_TOO_LARGE);
	case CURLE_TOO_MANY_REDIRECTS:
		return (FETCH_ERR_REDIRECTS);
	case CURLE_BAD_CONTENT_ENCODING:
		return (FETCH_ERR_DECODE);
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP3:
	case CURLE_RANGE_ERROR:
		return (FETCH_ERR_PROTOCOL);
	default:
		return (FETCH_ERR_OTHER);
	}
}

void
fetch_result_free(struct fetch_result *res)
{
	if (res == NULL)
		return;
	free(res->url);
	free(res->final_url);
	free(res->cause);
	free(res->body);
	free(res->content_type);
	free(res->etag);
	free(res->last_modified);
	free(res->retry_after);
	free(res->headers);
	while (res->nattempts > 0)
		free(res->attempts[--res->nattempts].retry_after);
	free(res);
}

int64_t
fetch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int64_t
fetch_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

struct fetcher *
fetcher_new(struct event_base *base, const struct fetch_opts *o,
    fetch_cb *aux, void *aux_arg)
{
	struct fetcher *f;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return (NULL);
	f = xcalloc(1, sizeof *f);
	f->base = base;
	f->aux = aux;
	f->aux_arg = aux_arg;
	TAILQ_INIT(&f->starved);
	TAILQ_INIT(&f->running_list);
	TAILQ_INIT(&f->done);
	evtimer_assign(&f->deliver, base, host_deliver_cb, f);
	fetcher_set_opts(f, o);
	if (multi_init(f) != 0) {
		fetcher_free(f);
		return (NULL);
	}
	return (f);
}

void
fetcher_set_opts(struct fetcher *f, const struct fetch_opts *o)
{
	char *ua;

	ua = xstrdup(o->user_agent != NULL ? o->user_agent : FETCH_DEFAULT_UA);
	free(f->user_agent);
	f->opts = *o;
	f->user_agent = ua;
	f->opts.user_agent = ua;
}

size_t
fetch_pending(const struct fetcher *f)
{
	return (f->nqueued + f->nrunning + f->ndone);
}

size_t
fetch_running(const struct fetcher *f)
{
	return (f->nrunning);
}

/* Shutdown order, style.md §3.8: handles, multi, events; no callbacks. */
void
fetcher_free(struct fetcher *f)
{
	if (f == NULL)
		return;
	multi_free(f);
	host_free_all(f);
	evtimer_del(&f->deliver);
	free(f->user_agent);
	free(f);
	curl_global_cleanup();
}
