/*
 * notifytool: sends one message made of the events of a file on one
 * channel built from the command line, and prints each answer as a JSON
 * line; the notification tests run it against the loopback receivers
 * (tests/e2e/lib/im_receiver.py, smtp_sink.py).
 *
 *   notifytool -t TYPE [-u URL] [-s SECRET] [-k KEY] [-b MAX_BYTES]
 *       [-n COUNT] [-o TIMEOUT_MS] [-F FROM] [-T TO] [-U USER] [-P PASS]
 *       [-l starttls|tls|none] [-p markdown|plain] [-x] EVENTS
 *
 * EVENTS holds JSON objects {"type", "key", "source", "payload"} (an
 * array, or one per line); they make one message (a digest when there
 * are several).  -n sends it COUNT times (keys "KEY#1"...), -x marks it a
 * test, -p prints the title and text instead of sending.  Exit 0 when the
 * last send was delivered, 3 when it is retryable, 4 when it failed, 2 on
 * bad usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "notify.h"
#include "util.h"
#include "xmalloc.h"

#define NOTIFYTOOL_MAX_EVENTS	1000

static void
usage(void)
{
	fprintf(stderr, "usage: notifytool -t TYPE [-u URL] [-s SECRET] "
	    "[-k KEY] [-b MAX_BYTES] [-n COUNT] [-o TIMEOUT_MS] [-F FROM] "
	    "[-T TO] [-U USER] [-P PASS] [-l TLS] [-p FORMAT] [-x] EVENTS\n");
	exit(2);
}

static long long
number(const char *s, long long max)
{
	long long v;
	const char *errstr;

	if (util_strtonum(s, 0, max, &v, &errstr) != 0) {
		fprintf(stderr, "notifytool: %s: %s\n", s, errstr);
		exit(2);
	}
	return v;
}

/* Reads the events: a JSON array, or one object per line. */
static json_t *
read_events(const char *path)
{
	json_t *all, *o;
	json_error_t err;
	FILE *f;
	char line[65536];

	all = json_load_file(path, 0, &err);
	if (json_is_array(all))
		return all;
	if (json_is_object(all))
		return json_pack("[o]", all);
	json_decref(all);
	f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	all = json_array();
	while (fgets(line, sizeof line, f) != NULL &&
	    json_array_size(all) < NOTIFYTOOL_MAX_EVENTS) {
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		o = json_loads(line, 0, &err);
		if (!json_is_object(o)) {
			fprintf(stderr, "notifytool: %s: %s\n", path, err.text);
			exit(2);
		}
		json_array_append_new(all, o);
	}
	fclose(f);
	return all;
}

static int
send_one(const struct channel_conf *c, const struct notify_msg *m)
{
	struct notify_answer a;
	json_t *o;
	char *s;
	int rc;

	memset(&a, 0, sizeof a);
	switch (c->type) {
	case CHANNEL_DINGTALK:
		rc = dingtalk_send(c, m, &a);
		break;
	case CHANNEL_WECOM:
		rc = wecom_send(c, m, &a);
		break;
	case CHANNEL_FEISHU:
		rc = feishu_send(c, m, &a);
		break;
	case CHANNEL_EMAIL:
		rc = email_send(c, m, &a);
		break;
	default:
		fprintf(stderr, "notifytool: type not handled here\n");
		exit(2);
	}
	if (rc != 0)
		a.delivered = 0;
	o = json_pack("{s:s,s:b,s:b,s:I,s:I,s:s?,s:s?}", "key", m->key,
	    "delivered", a.delivered, "retryable", a.retryable, "status",
	    (json_int_t)a.status, "retry_after_ms",
	    (json_int_t)a.retry_after_ms, "error", a.error, "raw", a.raw);
	s = json_dumps(o, JSON_COMPACT);
	printf("%s\n", s);
	fflush(stdout);
	free(s);
	json_decref(o);
	rc = a.delivered ? 0 : a.retryable ? 3 : 4;
	free(a.raw);
	free(a.error);
	return rc;
}

int
main(int argc, char **argv)
{
	struct channel_conf c;
	struct notify_event *ev;
	struct notify_msg m;
	json_t *all, *o, *p;
	char **payloads, *to[2] = { NULL, NULL }, *title, *text, *key;
	const char *format = NULL, *basekey = "notifytool:1";
	long long count = 1, i;
	size_t n, k;
	int ch, rc = 2, keyset = 0;

	memset(&c, 0, sizeof c);
	memset(&m, 0, sizeof m);
	c.type = CHANNEL_NTYPES;
	c.timeout_ms = 10000;
	c.tls = CHANNEL_TLS_NONE;
	while ((ch = getopt(argc, argv, "b:F:k:l:n:o:P:p:s:T:t:U:u:x")) != -1) {
		switch (ch) {
		case 'b':
			c.max_bytes = (size_t)number(optarg, 64 << 20);
			break;
		case 'F':
			c.mail_from = optarg;
			break;
		case 'k':
			basekey = optarg;
			keyset = 1;
			break;
		case 'l':
			if (strcmp(optarg, "starttls") == 0)
				c.tls = CHANNEL_TLS_STARTTLS;
			else if (strcmp(optarg, "tls") == 0)
				c.tls = CHANNEL_TLS_TLS;
			else
				c.tls = CHANNEL_TLS_NONE;
			break;
		case 'n':
			count = number(optarg, 1000);
			break;
		case 'o':
			c.timeout_ms = number(optarg, 600000);
			break;
		case 'P':
			c.password = optarg;
			break;
		case 'p':
			format = optarg;
			break;
		case 's':
			c.secret = optarg;
			break;
		case 'T':
			to[0] = optarg;
			c.mail_to = to;
			break;
		case 't':
			if (strcmp(optarg, "lark") == 0) {
				c.type = CHANNEL_FEISHU;
				c.lark = 1;
			} else if (channel_type_find(optarg) >= 0)
				c.type = (enum channel_type)
				    channel_type_find(optarg);
			break;
		case 'U':
			c.username = optarg;
			break;
		case 'u':
			c.url = optarg;
			break;
		case 'x':
			m.test = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || (format == NULL && c.type == CHANNEL_NTYPES))
		usage();
	c.name = (char *)"notifytool";
	all = read_events(argv[0]);
	n = json_array_size(all);
	ev = xcalloc(n + 1, sizeof *ev);
	payloads = xcalloc(n + 1, sizeof *payloads);
	json_array_foreach(all, k, o) {
		p = json_object_get(o, "payload");
		payloads[k] = json_is_string(p) ? xstrdup(json_string_value(p)) :
		    json_dumps(p != NULL ? p : o, JSON_COMPACT);
		ev[k].id = (int64_t)k + 1;
		ev[k].type = json_string_value(json_object_get(o, "type"));
		ev[k].key = json_string_value(json_object_get(o, "key"));
		ev[k].source_id = json_string_value(json_object_get(o,
		    "source"));
		ev[k].payload = payloads[k];
	}
	m.events = ev;
	m.nevents = n;
	if (format != NULL) {
		m.key = n == 1 && ev[0].key != NULL ? ev[0].key : basekey;
		title = message_title(&m);
		text = message_text(&m, strcmp(format, "plain") == 0 ?
		    MESSAGE_PLAIN : MESSAGE_MARKDOWN, c.max_bytes);
		printf("%s\n\n%s", title, text);
		free(title);
		free(text);
		rc = 0;
		goto out;
	}
	for (i = 0; i < count; i++) {
		key = count > 1 ? xprintf("%s#%lld", basekey, i + 1) :
		    xstrdup(n == 1 && ev[0].key != NULL && !keyset ?
		    ev[0].key : basekey);
		m.key = key;
		rc = send_one(&c, &m);
		free(key);
	}
out:
	for (k = 0; k < n; k++)
		free(payloads[k]);
	free(payloads);
	free(ev);
	json_decref(all);
	return rc;
}
