/*
 * The wecom channel: a WeCom 企业微信 群机器人 (group robot).  No
 * signature: the key in the URL is the credential (and so never logged).
 * The body is a markdown message of at most 4096 bytes of content, cut on
 * a line boundary by message_text(); WeCom answers HTTP 200 on errors, so
 * only errcode 0 is a delivery, and 45009 (over 20 a minute) is worth a
 * retry.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../daemon/xmalloc.h"
#include "notify.h"
#include "robot.h"

#define WECOM_MAX_CONTENT	4096	/* bytes of markdown.content */

static const char *const wecom_codes[] = { "errcode", NULL };
static const char *const wecom_msgs[] = { "errmsg", NULL };
static const long wecom_retry[] = { 45009, 0 };
static const struct robot_api wecom_api = {
	"wecom", wecom_codes, wecom_msgs, wecom_retry, 60 * 1000
};

int
wecom_send(const struct channel_conf *c, const struct notify_msg *m,
    struct notify_answer *a)
{
	json_t *o;
	char *text, *body;
	size_t max = WECOM_MAX_CONTENT;
	int ret;

	if (c->max_bytes != 0 && c->max_bytes < max)
		max = c->max_bytes;
	text = message_text(m, MESSAGE_MARKDOWN, max);
	o = json_pack("{s:s,s:{s:s}}", "msgtype", "markdown", "markdown",
	    "content", text);
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (body == NULL)
		fatalx("json_dumps: out of memory");
	ret = robot_post(&wecom_api, c, c->url, body, m->key, a);
	free(body);
	free(text);
	return ret;
}
