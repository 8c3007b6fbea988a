/*
 * The webhook channel: the delivery's JSON (channel_json) POSTed to the
 * channel's URL, with the idempotency key in X-Nianbao-Idempotency-Key
 * and, when a secret is set, X-Nianbao-Signature: sha256=<hex> (the
 * HMAC-SHA256 of the body with the secret) so the receiver can tell our
 * deliveries from forgeries.  2xx is delivered; 429, 5xx and transport
 * errors are worth a retry; another 4xx is a receiver that refuses us,
 * retried all the same (with backoff) until the channel gives up, as a
 * misconfigured receiver gets fixed.
 */
#include <stdlib.h>
#include <string.h>

#include "../daemon/xmalloc.h"
#include "notify.h"

int
webhook_send(const struct channel_conf *c, const struct notify_msg *m,
    struct notify_answer *a)
{
	const char *headers[5];
	unsigned char mac[32];
	char *body, *hex = NULL, *key_h, *sig_h = NULL, *type_h, *safe;
	size_t n = 0;
	int rc = -1;

	body = channel_json(m);
	key_h = xprintf("X-Nianbao-Idempotency-Key: %s", m->key != NULL ?
	    m->key : "");
	type_h = xprintf("X-Nianbao-Event: %s", m->test ? "test" :
	    m->nevents == 1 ? m->events[0].type : "digest");
	headers[n++] = "Content-Type: application/json; charset=utf-8";
	headers[n++] = key_h;
	headers[n++] = type_h;
	if (c->secret != NULL) {
		sign_hmac_sha256(c->secret, strlen(c->secret), body,
		    strlen(body), mac);
		hex = sign_hex(mac, sizeof mac);
		sig_h = xprintf("X-Nianbao-Signature: sha256=%s", hex);
		headers[n++] = sig_h;
	}
	headers[n] = NULL;
	if (post_http(c->url, headers, body, strlen(body), c->timeout_ms,
	    c->tls_verify, a) != 0)
		goto out;
	if (a->status >= 200 && a->status < 300) {
		a->delivered = 1;
		rc = 0;
		goto out;
	}
	a->retryable = a->status == 429 || a->status >= 500;
	safe = post_url_safe(c->url);
	a->error = xprintf("POST %s: HTTP %ld", safe, a->status);
	free(safe);
out:
	free(body);
	free(hex);
	free(key_h);
	free(sig_h);
	free(type_h);
	return rc;
}
