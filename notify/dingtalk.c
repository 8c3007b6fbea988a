/*
 * The dingtalk channel: a DingTalk 自定义机器人 (custom group robot).
 * With a secret (the robot's 加签 setting, "SEC..."), the URL gets
 * &timestamp=<ms>&sign=<urlencode(base64(HMAC-SHA256(secret, timestamp
 * "\n" secret)))>.  The body is a markdown message; DingTalk answers HTTP
 * 200 even on errors, so only errcode 0 is a delivery; 130101 (more than
 * 20 a minute) is worth a retry, 310000 (bad signature, keyword or IP)
 * is not.  The 20-a-minute pace itself is kept by the dispatcher.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../daemon/xmalloc.h"
#include "notify.h"
#include "robot.h"

#define DINGTALK_MAX_TEXT	20000	/* bytes of markdown text, by default */

static const char *const dingtalk_codes[] = { "errcode", NULL };
static const char *const dingtalk_msgs[] = { "errmsg", NULL };
/* 130101: too fast, the robot is throttled; 90018: the same, older */
static const long dingtalk_retry[] = { 130101, 90018, 0 };
static const struct robot_api dingtalk_api = {
	"dingtalk", dingtalk_codes, dingtalk_msgs, dingtalk_retry, 60 * 1000
};

/* The signed URL, allocated; the URL itself without a secret. */
static char *
dingtalk_url(const struct channel_conf *c)
{
	unsigned char mac[32];
	char *ts, *str, *b64, *enc, *url;

	if (c->secret == NULL || *c->secret == '\0')
		return xstrdup(c->url);
	ts = xprintf("%lld", (long long)robot_now_ms());
	str = xprintf("%s\n%s", ts, c->secret);
	sign_hmac_sha256(c->secret, strlen(c->secret), str, strlen(str), mac);
	b64 = sign_base64(mac, sizeof mac);
	enc = sign_urlencode(b64);
	url = xprintf("%s%stimestamp=%s&sign=%s", c->url,
	    strchr(c->url, '?') != NULL ? "&" : "?", ts, enc);
	free(ts);
	free(str);
	free(b64);
	free(enc);
	return url;
}

int
dingtalk_send(const struct channel_conf *c, const struct notify_msg *m,
    struct notify_answer *a)
{
	json_t *o;
	char *title, *text, *body, *url;
	size_t max;
	int ret;

	max = c->max_bytes != 0 && c->max_bytes != (size_t)-1 ? c->max_bytes :
	    DINGTALK_MAX_TEXT;
	title = message_title(m);
	text = message_text(m, MESSAGE_MARKDOWN, max);
	o = json_pack("{s:s,s:{s:s,s:s}}", "msgtype", "markdown", "markdown",
	    "title", title, "text", text);
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (body == NULL)
		fatalx("json_dumps: out of memory");
	url = dingtalk_url(c);
	ret = robot_post(&dingtalk_api, c, url, body, m->key, a);
	free(url);
	free(body);
	free(text);
	free(title);
	return ret;
}
