/*
 * The channel types and what every channel shares: the filter an event
 * must pass, the JSON of a delivery, scrubbing secrets out of error
 * texts, and channel_send(), which hands a message to the type's
 * X_send().  The [channel NAME] keys are in daemon/channel_conf.c (the
 * configuration links without the channels).
 *
 * Ownership: a struct notify_answer owns raw and error.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../daemon/buf.h"
#include "../daemon/clock.h"
#include "../daemon/xmalloc.h"
#include "notify.h"

/* In enum channel_type order. */
static int (*const channel_sends[CHANNEL_NTYPES])(const struct channel_conf *,
    const struct notify_msg *, struct notify_answer *) = {
	webhook_send, dingtalk_send, wecom_send, feishu_send, email_send,
	exec_send, log_send,
};

int
channel_send(const struct channel_conf *c, const struct notify_msg *m,
    struct notify_answer *a)
{
	memset(a, 0, sizeof *a);
	if ((int)c->type < 0 || c->type >= CHANNEL_NTYPES) {
		a->error = xstrdup("unknown channel type");
		return -1;
	}
	if (channel_sends[c->type](c, m, a) == 0 && a->delivered)
		return 0;
	a->delivered = 0;
	if (a->error == NULL)
		a->error = xprintf("%s: not delivered", channel_type_name(c->type));
	return -1;
}

void
notify_answer_release(struct notify_answer *a)
{
	free(a->raw);
	free(a->error);
	memset(a, 0, sizeof *a);
}

/* The payload's string member key, or NULL. */
static const char *
channel_payload_str(json_t *p, const char *key)
{
	return json_string_value(json_object_get(p, key));
}

int
channel_match(const struct channel_conf *c, const struct notify_event *e)
{
	json_t *p = NULL;
	const char *v;
	size_t i;
	int ok = 0;

	if (c->events != NULL) {
		for (i = 0; c->events[i] != NULL; i++)
			if (fnmatch(c->events[i], e->type, 0) == 0)
				break;
		if (c->events[i] == NULL)
			return 0;
	}
	if (c->min_severity > 0 && message_severity(e) < c->min_severity)
		return 0;
	if (c->agencies == NULL && c->regions == NULL)
		return 1;
	p = json_loads(e->payload != NULL ? e->payload : "{}", 0, NULL);
	if (c->agencies != NULL) {
		v = channel_payload_str(p, "agency");
		for (i = 0; v != NULL && c->agencies[i] != NULL; i++)
			if (strstr(v, c->agencies[i]) != NULL)
				break;
		if (v == NULL || c->agencies[i] == NULL)
			goto out;
	}
	if (c->regions != NULL) {
		v = channel_payload_str(p, "region");
		for (i = 0; v != NULL && c->regions[i] != NULL; i++)
			if (strncmp(v, c->regions[i], strlen(c->regions[i])) ==
			    0)
				break;
		if (v == NULL || c->regions[i] == NULL)
			goto out;
	}
	ok = 1;
out:
	json_decref(p);
	return ok;
}

static json_t *
channel_event_json(const struct notify_event *e)
{
	json_t *o, *p;
	char when[32];

	p = json_loads(e->payload != NULL ? e->payload : "{}", 0, NULL);
	if (p == NULL)
		p = json_string(e->payload);
	o = json_pack("{s:s,s:s,s:I,s:s?,s:s,s:I,s:o}", "key",
	    e->key != NULL ? e->key : "", "type", e->type != NULL ? e->type :
	    "", "id", (json_int_t)e->id, "source", e->source_id, "created",
	    clock_format(e->created, when, sizeof when), "created_ms",
	    (json_int_t)e->created, "payload", p != NULL ? p : json_null());
	return o;
}

char *
channel_json(const struct notify_msg *m)
{
	json_t *o, *a;
	char *s;
	size_t i;

	if (m->nevents == 1 && !m->test)
		o = channel_event_json(&m->events[0]);
	else if (m->nevents == 1) {
		o = channel_event_json(&m->events[0]);
		json_object_set_new(o, "test", json_true());
	} else {
		a = json_array();
		for (i = 0; i < m->nevents; i++)
			json_array_append_new(a, channel_event_json(
			    &m->events[i]));
		o = json_pack("{s:b,s:o}", "digest", 1, "events", a);
		if (m->test)
			json_object_set_new(o, "test", json_true());
	}
	json_object_set_new(o, "key", json_string(m->key != NULL ? m->key :
	    ""));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		fatalx("json_dumps: out of memory");
	/* jansson's allocator is malloc: free() releases it */
	return s;
}

static void
channel_replace(struct buf *b, const char *text, const char *secret)
{
	const char *p = text, *hit;
	size_t sl = strlen(secret);

	for (;;) {
		hit = strstr(p, secret);
		if (hit == NULL)
			break;
		buf_add(b, p, (size_t)(hit - p));
		buf_adds(b, "(secret)");
		p = hit + sl;
	}
	buf_adds(b, p);
}

char *
channel_scrub(const struct channel_conf *c, const char *text)
{
	struct buf b;
	char *once;

	if (text == NULL)
		return NULL;
	buf_init(&b, 0);
	if (c->secret != NULL && strlen(c->secret) >= 4)
		channel_replace(&b, text, c->secret);
	else
		buf_adds(&b, text);
	once = buf_detach(&b);
	if (c->password == NULL || strlen(c->password) < 4)
		return once;
	buf_init(&b, 0);
	channel_replace(&b, once, c->password);
	free(once);
	return buf_detach(&b);
}
