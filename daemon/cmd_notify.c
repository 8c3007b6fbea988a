/*
 * The notification commands: `nianbao notify test CHANNEL` sends a test
 * message through a channel of the configuration and prints the raw
 * answer, so a robot's settings (keyword, signature, IP allow-list) can
 * be checked before an event depends on them; `nianbao outbox` lists the
 * deliveries still pending or failed, with their last error, and `nianbao
 * outbox retry ID` makes one due now (nianbaod picks it up within a
 * second).  Nothing here prints a secret: errors were scrubbed before
 * they were stored, and URLs are shown without their query string.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../notify/notify.h"
#include "cli.h"
#include "clock.h"
#include "conf.h"
#include "store.h"
#include "util.h"
#include "xmalloc.h"

const char cmd_notify_usage[] =
"usage: nianbao notify test CHANNEL [-f CONFIG]\n"
"\n"
"Sends a test message through the channel CHANNEL of nianbaod's\n"
"configuration (a [channel CHANNEL] section) and prints the receiver's\n"
"raw answer and whether the channel's success rule held (webhook: a 2xx\n"
"status; DingTalk and WeCom: errcode 0; Feishu: code 0; exec: exit 0).\n"
"Exit status 0 when it held, 1 when not.\n"
"\n"
"  -f CONFIG    the configuration (default $NIANBAO_CONF, else\n"
"               /etc/nianbao/nianbaod.conf)\n";

const char cmd_outbox_usage[] =
"usage: nianbao outbox [-f CONFIG | --db PATH] [--failed] [--all]\n"
"                      [--channel NAME] [--json]\n"
"       nianbao outbox retry ID [-f CONFIG | --db PATH]\n"
"\n"
"Lists the deliveries of events to notification channels that are not\n"
"delivered yet, newest first: pending, failed (retried at NEXT TRY) and\n"
"given up, with the number of attempts and the last error.  `retry ID`\n"
"makes a failed or given-up delivery due now, with a new give-up window;\n"
"a running nianbaod sends it within a second.\n"
"\n"
"  -f CONFIG       read the database path from nianbaod's configuration\n"
"  --db PATH       the database itself\n"
"  --failed        only failed and given-up deliveries\n"
"  --all           delivered ones too\n"
"  --channel NAME  only this channel\n"
"  --json          a JSON array\n";

static void
cmd_notify_usage_err(void)
{
	fputs(cmd_notify_usage, stderr);
}

int
cmd_notify(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct channel_conf *c = NULL;
	struct notify_answer a;
	struct notify_event ev;
	struct notify_msg m;
	struct conf conf;
	const char *config = NULL, *name;
	char *key, *safe, when[32];
	int ch, have_conf, rc = 1;
	size_t i;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			config = optarg;
			break;
		case 'h':
			fputs(cmd_notify_usage, stdout);
			return CLI_OK;
		default:
			cmd_notify_usage_err();
			return CLI_USAGE;
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "test") != 0) {
		cmd_notify_usage_err();
		return CLI_USAGE;
	}
	name = argv[optind + 1];
	if (cmd_db_path(NULL, config, &conf, &have_conf) == NULL) {
		conf_release(&conf);
		return 1;
	}
	if (!have_conf) {
		fprintf(stderr, "nianbao: notify test needs nianbaod's "
		    "configuration (-f CONFIG or $NIANBAO_CONF)\n");
		conf_release(&conf);
		return 1;
	}
	for (i = 0; i < conf.nchannels; i++)
		if (strcmp(conf.channels[i].name, name) == 0)
			c = &conf.channels[i];
	if (c == NULL) {
		fprintf(stderr, "nianbao: %s: no [channel %s] section\n",
		    conf.path, name);
		conf_release(&conf);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "nianbao: curl_global_init failed\n");
		conf_release(&conf);
		return 1;
	}
	memset(&ev, 0, sizeof ev);
	memset(&m, 0, sizeof m);
	key = xprintf("test:%s:%lld", c->name, (long long)clock_now_ms());
	ev.type = "test";
	ev.key = key;
	ev.payload = "{\"message\":\"nianbao 测试消息：通知渠道配置正确\"}";
	ev.created = clock_now_ms();
	m.events = &ev;
	m.nevents = 1;
	m.key = key;
	m.test = 1;
	safe = c->url != NULL ? post_url_safe(c->url) : NULL;
	printf("channel %s (%s%s%s), key %s, at %s\n", c->name,
	    c->lark ? "lark" : channel_type_name(c->type), safe != NULL ?
	    ": " : "", safe != NULL ? safe : "", key,
	    clock_format(ev.created, when, sizeof when));
	free(safe);
	channel_send(c, &m, &a);
	if (a.status != 0)
		printf("status: %ld\n", a.status);
	printf("answer:\n%s%s", a.raw != NULL ? a.raw : "(none)",
	    a.raw != NULL && *a.raw != '\0' &&
	    a.raw[strlen(a.raw) - 1] == '\n' ? "" : "\n");
	if (a.delivered) {
		printf("delivered: the channel's success rule held\n");
		rc = 0;
	} else {
		char *err = channel_scrub(c, a.error != NULL ? a.error :
		    "not delivered");

		printf("not delivered: %s%s\n", err, a.retryable ?
		    " (worth a retry)" : "");
		free(err);
	}
	notify_answer_release(&a);
	free(key);
	curl_global_cleanup();
	conf_release(&conf);
	return rc;
}

struct cmd_outbox {
	json_t	*all;
	size_t	 n;
};

static int
cmd_outbox_cb(const struct store_delivery *d, void *arg)
{
	struct cmd_outbox *o = arg;
	char next[32], when[32];
	int waiting;

	o->n++;
	waiting = d->state == OUTBOX_PENDING || d->state == OUTBOX_FAILED;
	if (o->all != NULL) {
		json_array_append_new(o->all, json_pack("{s:I,s:s,s:I,s:s?,"
		    "s:s,s:i,s:s?,s:s?,s:s,s:s?,s:s?}", "id", (json_int_t)d->id,
		    "channel", d->channel, "event_id", (json_int_t)d->event_id,
		    "event_type", d->event_type, "state",
		    store_delivery_state_name(d->state), "attempts",
		    d->attempts, "next_try", waiting ? clock_format(d->next_try,
		    next, sizeof next) : NULL, "last_error", d->last_error,
		    "created", clock_format(d->created, when, sizeof when),
		    "delivered_at", d->delivered_at > 0 ?
		    clock_format(d->delivered_at, when, sizeof when) : NULL,
		    "digest", d->digest));
		return 0;
	}
	if (o->n == 1)
		printf("%-6s %-12s %-9s %-4s %-20s %-24s %s\n", "ID", "CHANNEL",
		    "STATE", "TRY", "NEXT TRY", "EVENT", "LAST ERROR");
	printf("%-6lld %-12s %-9s %-4d %-20s %-5lld %-18s %s\n",
	    (long long)d->id, d->channel, store_delivery_state_name(d->state),
	    d->attempts, waiting ? clock_format(d->next_try, next,
	    sizeof next) : "-", (long long)d->event_id, d->event_type != NULL ?
	    d->event_type : "-", d->last_error != NULL ? d->last_error : "");
	return 0;
}

int
cmd_outbox(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "failed", no_argument, NULL, 'F' },
		{ "all", no_argument, NULL, 'a' },
		{ "channel", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_outbox_filter f;
	struct cmd_outbox o;
	struct store *st;
	struct conf conf;
	const char *config = NULL, *db = NULL, *errstr;
	char *cause = NULL, *out;
	long long id = 0;
	int ch, have_conf, json = 0, retry = 0, rc;

	memset(&f, 0, sizeof f);
	optind = 1;
	if (argc > 1 && strcmp(argv[1], "retry") == 0) {
		retry = 1;
		argc--;
		argv++;
	}
	while ((ch = getopt_long(argc, argv, "f:h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			config = optarg;
			break;
		case 'D':
			db = optarg;
			break;
		case 'F':
			f.failed = 1;
			break;
		case 'a':
			f.all = 1;
			break;
		case 'c':
			f.channel = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(cmd_outbox_usage, stdout);
			return CLI_OK;
		default:
			fputs(cmd_outbox_usage, stderr);
			return CLI_USAGE;
		}
	}
	if (retry) {
		if (argc - optind != 1 || util_strtonum(argv[optind], 1,
		    INT64_MAX, &id, &errstr) != 0) {
			fputs(cmd_outbox_usage, stderr);
			return CLI_USAGE;
		}
	} else if (optind != argc) {
		fputs(cmd_outbox_usage, stderr);
		return CLI_USAGE;
	}
	st = cmd_db_open(db, config, retry ? 0 : STORE_RDONLY, &conf,
	    &have_conf);
	if (st == NULL) {
		conf_release(&conf);
		return 1;
	}
	if (retry) {
		rc = store_delivery_retry(st, id, clock_now_ms(), &cause);
		if (rc == 0)
			printf("delivery %lld is due now; nianbaod sends it "
			    "within a second\n", id);
		else if (rc == 1)
			fprintf(stderr, "nianbao: no delivery %lld\n", id);
		else if (rc == 2)
			fprintf(stderr, "nianbao: delivery %lld was delivered "
			    "already\n", id);
		else
			fprintf(stderr, "nianbao: %s\n", cause);
		free(cause);
		store_close(st);
		conf_release(&conf);
		return rc == 0 ? CLI_OK : 1;
	}
	memset(&o, 0, sizeof o);
	if (json)
		o.all = json_array();
	rc = store_outbox_list(st, &f, cmd_outbox_cb, &o, &cause);
	if (rc != 0) {
		fprintf(stderr, "nianbao: %s\n", cause);
		free(cause);
	} else if (json) {
		out = json_dumps(o.all, JSON_INDENT(2));
		if (out != NULL)
			printf("%s\n", out);
		free(out);
	} else if (o.n == 0)
		printf("no %sdeliveries%s\n", f.failed ? "failed " :
		    f.all ? "" : "pending or failed ", f.channel != NULL ?
		    " for this channel" : "");
	json_decref(o.all);
	store_close(st);
	conf_release(&conf);
	return rc == 0 ? CLI_OK : 1;
}
