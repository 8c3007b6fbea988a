/*
 * The feishu channel (and lark: the same API on open.larksuite.com, the
 * URL says which): a Feishu 自定义机器人.  With a secret (the robot's 签名
 * 校验 setting) the body carries "timestamp" (seconds, a string) and
 * "sign" = base64(HMAC-SHA256(key = timestamp "\n" secret, message =
 * empty)) -- not DingTalk's scheme, which is the classic mistake.  The
 * message is a rich "post": one paragraph per line of the plain text,
 * links as "a" elements.  The body stays within 20 KB (max_bytes): the
 * text is cut until the JSON fits.  code 0 (StatusCode 0 from the older
 * API) is a delivery; 11232 (throttled) is worth a retry.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../daemon/xmalloc.h"
#include "notify.h"
#include "robot.h"

#define FEISHU_MAX_BODY		(20 * 1024)
#define FEISHU_MIN_TEXT		512	/* never cut the text below this */

static const char *const feishu_codes[] = { "code", "StatusCode", NULL };
static const char *const feishu_msgs[] = { "msg", "StatusMessage", NULL };
static const long feishu_retry[] = { 11232, 0 };
static const struct robot_api feishu_api = {
	"feishu", feishu_codes, feishu_msgs, feishu_retry, 1000
};

/* One line as a paragraph: text, with every http(s) URL as a link. */
static json_t *
feishu_paragraph(const char *line, size_t len)
{
	json_t *p = json_array();
	const char *s = line, *end = line + len, *h, *h2;
	size_t n;

	while (s < end) {
		h = NULL;
		for (h2 = s; h2 + 7 <= end; h2++) {
			if (strncmp(h2, "http://", 7) == 0 || (h2 + 8 <= end &&
			    strncmp(h2, "https://", 8) == 0)) {
				h = h2;
				break;
			}
		}
		if (h == NULL)
			h = end;
		if (h > s)
			json_array_append_new(p, json_pack("{s:s,s:s%}", "tag",
			    "text", "text", s, (size_t)(h - s)));
		if (h == end)
			break;
		n = strcspn(h, " \t\n");
		if (h + n > end)
			n = (size_t)(end - h);
		json_array_append_new(p, json_pack("{s:s,s:s%,s:s%}", "tag", "a",
		    "text", h, n, "href", h, n));
		s = h + n;
	}
	return p;
}

static char *
feishu_body(const struct channel_conf *c, const struct notify_msg *m,
    const char *title, size_t textmax)
{
	json_t *o, *content;
	char *text, *body, *ts, *key;
	const char *line, *nl;
	unsigned char mac[32];
	size_t len;
	int first = 1;

	text = message_text(m, MESSAGE_PLAIN, textmax);
	content = json_array();
	for (line = text; *line != '\0'; line = *nl != '\0' ? nl + 1 : nl) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		len = (size_t)(nl - line);
		if (first) {
			first = 0;	/* the title line: post has its own */
			continue;
		}
		if (len == 0)
			continue;
		json_array_append_new(content, feishu_paragraph(line, len));
	}
	free(text);
	o = json_pack("{s:s,s:{s:{s:{s:s,s:o}}}}", "msg_type", "post",
	    "content", "post", "zh_cn", "title", title, "content", content);
	if (c->secret != NULL && *c->secret != '\0') {
		ts = xprintf("%lld", (long long)(robot_now_ms() / 1000));
		key = xprintf("%s\n%s", ts, c->secret);
		sign_hmac_sha256(key, strlen(key), "", 0, mac);
		text = sign_base64(mac, sizeof mac);
		json_object_set_new(o, "timestamp", json_string(ts));
		json_object_set_new(o, "sign", json_string(text));
		free(text);
		free(ts);
		explicit_bzero(key, strlen(key));
		free(key);
	}
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (body == NULL)
		fatalx("json_dumps: out of memory");
	return body;
}

int
feishu_send(const struct channel_conf *c, const struct notify_msg *m,
    struct notify_answer *a)
{
	char *title, *body = NULL;
	size_t max, textmax, len, next;
	int i, ret;

	max = c->max_bytes != 0 && c->max_bytes != (size_t)-1 ? c->max_bytes :
	    FEISHU_MAX_BODY;
	textmax = max;
	title = message_title(m);
	/* JSON adds escapes and links twice: cut the text until it fits */
	for (i = 0; i < 8; i++) {
		free(body);
		body = feishu_body(c, m, title, textmax);
		len = strlen(body);
		if (len <= max || textmax <= FEISHU_MIN_TEXT)
			break;
		/* the JSON grows about in step with the text: scale it */
		next = (size_t)((double)textmax * (double)(max - max / 32) /
		    (double)len);
		if (next >= textmax)
			next = textmax - textmax / 16 - 1;
		textmax = next > FEISHU_MIN_TEXT ? next : FEISHU_MIN_TEXT;
	}
	ret = robot_post(&feishu_api, c, c->url, body, m->key, a);
	free(body);
	free(title);
	return ret;
}
