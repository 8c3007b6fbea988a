/*
 * The POST and the answer rule of the robot channels (robot.h).  The
 * receiver's own code decides: DingTalk and WeCom answer HTTP 200 with
 * {"errcode":310000,...} for a bad signature, so a 200 alone is never a
 * delivery.  Error texts name the code and the receiver's message, cut
 * short, and never the URL's query (the robot's token).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "../daemon/xmalloc.h"
#include "notify.h"
#include "robot.h"

#define ROBOT_MAX_ERRMSG	200	/* bytes of the receiver's message kept */

int64_t
robot_now_ms(void)
{
	struct timespec ts;

	/*
	 * The robots check the timestamp against their own clock (within
	 * an hour): a test's NIANBAO_NOW must not move it.
	 */
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The first of keys that is an integer member of o; 0 if none is. */
static int
robot_member(json_t *o, const char *const *keys, json_int_t *v)
{
	json_t *x;
	size_t i;

	for (i = 0; keys[i] != NULL; i++) {
		x = json_object_get(o, keys[i]);
		if (json_is_integer(x)) {
			*v = json_integer_value(x);
			return 1;
		}
	}
	return 0;
}

static const char *
robot_msg(json_t *o, const char *const *keys)
{
	const char *s;
	size_t i;

	for (i = 0; keys[i] != NULL; i++) {
		s = json_string_value(json_object_get(o, keys[i]));
		if (s != NULL)
			return s;
	}
	return "";
}

int
robot_post(const struct robot_api *api, const struct channel_conf *c,
    const char *url, const char *body, const char *key,
    struct notify_answer *a)
{
	const char *headers[3];
	char *hkey = NULL, *safe;
	json_t *o = NULL;
	json_int_t code;
	const char *msg;
	size_t i, n;
	int ret = -1;

	headers[0] = "Content-Type: application/json; charset=utf-8";
	headers[1] = NULL;
	headers[2] = NULL;
	if (key != NULL && *key != '\0' && strpbrk(key, "\r\n") == NULL) {
		hkey = xprintf("X-Nianbao-Idempotency-Key: %s", key);
		headers[1] = hkey;
	}
	if (post_http(url, headers, body, strlen(body), c->timeout_ms > 0 ?
	    c->timeout_ms : 10000, c->tls_verify, a) == -1)
		goto out;	/* transport: a->error and retryable set */
	if (a->status == 429 || a->status >= 500) {
		safe = post_url_safe(url);
		a->error = xprintf("%s: HTTP %ld from %s", api->name, a->status,
		    safe);
		free(safe);
		a->retryable = 1;
		goto out;
	}
	o = json_loads(a->raw != NULL ? a->raw : "", 0, NULL);
	if (!json_is_object(o) || !robot_member(o, api->code_keys, &code)) {
		/* a proxy's page, a half answer: worth another try */
		a->error = xprintf("%s: HTTP %ld, the answer has no %s", api->name,
		    a->status, api->code_keys[0]);
		a->retryable = a->status == 200 || a->status == 0;
		goto out;
	}
	if (code == 0) {
		a->delivered = 1;
		ret = 0;
		goto out;
	}
	msg = robot_msg(o, api->msg_keys);
	n = strlen(msg);
	if (n > ROBOT_MAX_ERRMSG) {
		n = ROBOT_MAX_ERRMSG;
		while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80)
			n--;
	}
	a->error = xprintf("%s: %s %lld: %.*s", api->name, api->code_keys[0],
	    (long long)code, (int)n, msg);
	for (i = 0; api->retry_codes[i] != 0; i++) {
		if (api->retry_codes[i] == code) {
			a->retryable = 1;
			if (a->retry_after_ms == 0)
				a->retry_after_ms = api->retry_ms;
		}
	}
out:
	json_decref(o);
	free(hkey);
	return ret;
}
