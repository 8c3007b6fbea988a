/*
 * The [channel NAME] sections of nianbaod.conf (notify.h's struct
 * channel_conf): each key's parser, the defaults by channel type (the
 * receivers' own limits: DingTalk and WeCom 20 messages a minute, Feishu
 * 5 a second and 100 a minute with 20 KB bodies, WeCom 4096 bytes), and
 * the secrets, read once at load from the value, a file or an environment
 * variable (exactly one) and kept in memory only: channel_conf_print
 * shows "(set)", and a URL without its query string (robots put their
 * token there).  Kept in daemon/ so that the configuration links without
 * the channels themselves (libcurl, the store).
 *
 * Ownership: a struct channel_conf owns all its strings
 * (channel_conf_release zeroes the secrets first).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../notify/notify.h"
#include "buf.h"
#include "conf.h"
#include "util.h"
#include "xmalloc.h"

#define CHANNEL_SECRET_MAX	4096	/* bytes of a secret file */

/* In enum channel_type order. */
static const char *channel_type_names[CHANNEL_NTYPES] = {
	"webhook", "dingtalk", "wecom", "feishu", "email", "exec", "log"
};

const char *
channel_type_name(enum channel_type t)
{
	if ((int)t < 0 || t >= CHANNEL_NTYPES)
		return "unknown";
	return channel_type_names[t];
}

int
channel_type_find(const char *name)
{
	int i;

	for (i = 0; i < CHANNEL_NTYPES; i++)
		if (strcmp(channel_type_names[i], name) == 0)
			return i;
	if (strcmp(name, "lark") == 0)
		return CHANNEL_FEISHU;
	return -1;
}

static void
channel_strv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static char **
channel_strv_copy(char *const *v)
{
	char **out;
	size_t n, i;

	if (v == NULL)
		return NULL;
	for (n = 0; v[n] != NULL; n++)
		;
	out = xcalloc(n + 1, sizeof *out);
	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

/* Space-separated words, NULL-terminated; NULL if there are none. */
static char **
channel_words(const char *s)
{
	char **v = NULL;
	size_t n = 0, len;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		len = strcspn(s, " \t,");
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrndup(s, len);
		v[n] = NULL;
		s += len;
	}
	return v;
}

static void
channel_secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void
channel_conf_release(struct channel_conf *c)
{
	free(c->name);
	free(c->url);
	channel_secret_free(c->secret);
	channel_strv_free(c->events);
	channel_strv_free(c->agencies);
	channel_strv_free(c->regions);
	free(c->mail_from);
	channel_strv_free(c->mail_to);
	free(c->username);
	channel_secret_free(c->password);
	free(c->command);
	free(c->secret_file);
	free(c->secret_env);
	free(c->password_file);
	free(c->password_env);
	memset(c, 0, sizeof *c);
}

void
channel_conf_init(struct channel_conf *c, const char *name)
{
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->type = CHANNEL_NTYPES;	/* "type" is required */
	c->per_minute = -1;		/* -1: the type's default */
	c->per_second = -1;
	c->timeout_ms = -1;
	c->give_up_ms = 7LL * 86400 * 1000;
	c->digest_ms = 0;
	c->max_bytes = (size_t)-1;
	c->tls = CHANNEL_TLS_STARTTLS;
	c->tls_verify = 1;
	c->backoff_ms = 30 * 1000;
	c->backoff_max_ms = 3600 * 1000;
}

void
channel_conf_copy(struct channel_conf *d, const struct channel_conf *s)
{
	*d = *s;
	d->name = s->name != NULL ? xstrdup(s->name) : NULL;
	d->url = s->url != NULL ? xstrdup(s->url) : NULL;
	d->secret = s->secret != NULL ? xstrdup(s->secret) : NULL;
	d->events = channel_strv_copy(s->events);
	d->agencies = channel_strv_copy(s->agencies);
	d->regions = channel_strv_copy(s->regions);
	d->mail_from = s->mail_from != NULL ? xstrdup(s->mail_from) : NULL;
	d->mail_to = channel_strv_copy(s->mail_to);
	d->username = s->username != NULL ? xstrdup(s->username) : NULL;
	d->password = s->password != NULL ? xstrdup(s->password) : NULL;
	d->command = s->command != NULL ? xstrdup(s->command) : NULL;
	d->secret_file = s->secret_file != NULL ? xstrdup(s->secret_file) :
	    NULL;
	d->secret_env = s->secret_env != NULL ? xstrdup(s->secret_env) : NULL;
	d->password_file = s->password_file != NULL ?
	    xstrdup(s->password_file) : NULL;
	d->password_env = s->password_env != NULL ? xstrdup(s->password_env) :
	    NULL;
}

static const char *channel_severities[] = { "info", "warning", "error" };

/* Replaces *slot by a copy of value (zeroing a secret it held). */
static void
channel_set_str(char **slot, const char *value, int secret)
{
	if (secret)
		channel_secret_free(*slot);
	else
		free(*slot);
	*slot = xstrdup(value);
}

static int
channel_number(const char *value, long long max, long long *v)
{
	const char *errstr;

	return util_strtonum(value, 0, max, v, &errstr);
}

int
channel_conf_set(struct channel_conf *c, const char *key, const char *value,
    char **cause)
{
	long long v;
	int t, i;

	if (strcmp(key, "type") == 0) {
		t = channel_type_find(value);
		if (t < 0) {
			xasprintf(cause, "type: \"%s\" is not webhook, dingtalk, "
			    "wecom, feishu, lark, email, exec or log", value);
			return -1;
		}
		c->type = (enum channel_type)t;
		c->lark = strcmp(value, "lark") == 0;
		return 0;
	}
	if (strcmp(key, "url") == 0) {
		channel_set_str(&c->url, value, 0);
		return 0;
	}
	if (strcmp(key, "secret") == 0) {
		channel_set_str(&c->secret, value, 1);
		return 0;
	}
	if (strcmp(key, "secret_file") == 0) {
		channel_set_str(&c->secret_file, value, 0);
		return 0;
	}
	if (strcmp(key, "secret_env") == 0) {
		channel_set_str(&c->secret_env, value, 0);
		return 0;
	}
	if (strcmp(key, "password") == 0) {
		channel_set_str(&c->password, value, 1);
		return 0;
	}
	if (strcmp(key, "password_file") == 0) {
		channel_set_str(&c->password_file, value, 0);
		return 0;
	}
	if (strcmp(key, "password_env") == 0) {
		channel_set_str(&c->password_env, value, 0);
		return 0;
	}
	if (strcmp(key, "events") == 0) {
		channel_strv_free(c->events);
		c->events = channel_words(value);
		return 0;
	}
	if (strcmp(key, "agencies") == 0) {
		channel_strv_free(c->agencies);
		c->agencies = channel_words(value);
		return 0;
	}
	if (strcmp(key, "regions") == 0) {
		channel_strv_free(c->regions);
		c->regions = channel_words(value);
		return 0;
	}
	if (strcmp(key, "to") == 0) {
		channel_strv_free(c->mail_to);
		c->mail_to = channel_words(value);
		return 0;
	}
	if (strcmp(key, "from") == 0) {
		channel_set_str(&c->mail_from, value, 0);
		return 0;
	}
	if (strcmp(key, "username") == 0) {
		channel_set_str(&c->username, value, 0);
		return 0;
	}
	if (strcmp(key, "command") == 0) {
		channel_set_str(&c->command, value, 0);
		return 0;
	}
	if (strcmp(key, "min_severity") == 0) {
		for (i = 0; i < 3; i++) {
			if (strcmp(value, channel_severities[i]) == 0) {
				c->min_severity = i;
				return 0;
			}
		}
		xasprintf(cause, "min_severity: \"%s\" is not info, warning or "
		    "error", value);
		return -1;
	}
	if (strcmp(key, "per_minute") == 0 || strcmp(key, "per_second") == 0) {
		if (channel_number(value, 100000, &v) != 0) {
			xasprintf(cause, "%s: \"%s\" is not a number from 0 "
			    "(no limit) to 100000", key, value);
			return -1;
		}
		if (key[4] == 'm')
			c->per_minute = (long)v;
		else
			c->per_second = (long)v;
		return 0;
	}
	if (strcmp(key, "timeout") == 0 || strcmp(key, "give_up_after") == 0 ||
	    strcmp(key, "digest") == 0 || strcmp(key, "backoff") == 0 ||
	    strcmp(key, "backoff_max") == 0) {
		v = conf_duration_ms(value);
		if (v < 0 || v > 366LL * 86400 * 1000 ||
		    (strcmp(key, "timeout") == 0 && (v < 100 ||
		    v > 600 * 1000))) {
			xasprintf(cause, "%s: \"%s\" is not a duration (90s, 15m, "
			    "6h, 7d)%s", key, value, strcmp(key, "timeout") == 0 ?
			    " from 100ms to 10m" : "");
			return -1;
		}
		if (strcmp(key, "timeout") == 0)
			c->timeout_ms = v;
		else if (strcmp(key, "give_up_after") == 0)
			c->give_up_ms = v;
		else if (strcmp(key, "digest") == 0)
			c->digest_ms = v;
		else if (strcmp(key, "backoff") == 0)
			c->backoff_ms = v;
		else
			c->backoff_max_ms = v;
		return 0;
	}
	if (strcmp(key, "max_bytes") == 0) {
		v = conf_size(value);
		if (v < 0 || v > 64LL * 1024 * 1024) {
			xasprintf(cause, "max_bytes: \"%s\" is not a size (4096, "
			    "20k) up to 64M", value);
			return -1;
		}
		c->max_bytes = (size_t)v;
		return 0;
	}
	if (strcmp(key, "tls") == 0) {
		if (strcmp(value, "starttls") == 0)
			c->tls = CHANNEL_TLS_STARTTLS;
		else if (strcmp(value, "tls") == 0)
			c->tls = CHANNEL_TLS_TLS;
		else if (strcmp(value, "none") == 0)
			c->tls = CHANNEL_TLS_NONE;
		else {
			xasprintf(cause, "tls: \"%s\" is not starttls, tls or "
			    "none", value);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "tls_verify") == 0 || strcmp(key, "since") == 0) {
		int yes;

		if (strcmp(key, "since") == 0) {
			if (strcmp(value, "all") != 0 && strcmp(value, "new") !=
			    0) {
				xasprintf(cause, "since: \"%s\" is not new or "
				    "all", value);
				return -1;
			}
			c->since_all = strcmp(value, "all") == 0;
			return 0;
		}
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "1") == 0 || strcmp(value, "on") == 0)
			yes = 1;
		else if (strcmp(value, "no") == 0 || strcmp(value, "false") ==
		    0 || strcmp(value, "0") == 0 || strcmp(value, "off") == 0)
			yes = 0;
		else {
			xasprintf(cause, "tls_verify: \"%s\" is not yes or no",
			    value);
			return -1;
		}
		c->tls_verify = yes;
		return 0;
	}
	xasprintf(cause, "unknown key \"%s\" in a channel section", key);
	return -1;
}

/*
 * Resolves one secret from its three possible sources; exactly one may
 * be set.  A file's trailing newline is not part of the secret.
 */
static int
channel_secret(const char *what, char **value, const char *file,
    const char *env, const char *dir, char **cause)
{
	char *path, *data = NULL, *err = NULL;
	const char *e;
	size_t len;
	int n;

	n = (*value != NULL) + (file != NULL) + (env != NULL);
	if (n > 1) {
		xasprintf(cause, "%s, %s_file and %s_env: set only one", what,
		    what, what);
		return -1;
	}
	if (env != NULL) {
		e = getenv(env);
		if (e == NULL || *e == '\0') {
			xasprintf(cause, "%s_env: the environment variable %s is "
			    "not set", what, env);
			return -1;
		}
		*value = xstrdup(e);
		return 0;
	}
	if (file == NULL)
		return 0;
	if (file[0] != '/' && dir != NULL)
		path = xprintf("%s/%s", dir, file);
	else
		path = xstrdup(file);
	if (util_read_file(path, CHANNEL_SECRET_MAX, &data, &len, &err) != 0) {
		xasprintf(cause, "%s_file: %s", what, err);
		free(err);
		free(path);
		return -1;
	}
	free(path);
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		data[--len] = '\0';
	if (len == 0 || memchr(data, '\0', len) != NULL) {
		xasprintf(cause, "%s_file: %s is empty or not text", what, file);
		channel_secret_free(data);
		return -1;
	}
	*value = data;
	return 0;
}

int
channel_conf_finish(struct channel_conf *c, const char *dir, char **cause)
{
	const char *n;

	for (n = c->name; *n != '\0'; n++) {
		if (!isalnum((unsigned char)*n) && *n != '-' && *n != '_' &&
		    *n != '.') {
			xasprintf(cause, "channel name \"%s\": use letters, "
			    "digits, '-', '_' and '.'", c->name);
			return -1;
		}
	}
	if (*c->name == '\0') {
		xasprintf(cause, "a channel section needs a name: [channel "
		    "NAME]");
		return -1;
	}
	if (c->type == CHANNEL_NTYPES) {
		xasprintf(cause, "channel %s: no type", c->name);
		return -1;
	}
	if (channel_secret("secret", &c->secret, c->secret_file, c->secret_env,
	    dir, cause) != 0 || channel_secret("password", &c->password,
	    c->password_file, c->password_env, dir, cause) != 0)
		return -1;
	switch (c->type) {
	case CHANNEL_WEBHOOK:
	case CHANNEL_DINGTALK:
	case CHANNEL_WECOM:
	case CHANNEL_FEISHU:
		if (c->url == NULL || (strncmp(c->url, "http://", 7) != 0 &&
		    strncmp(c->url, "https://", 8) != 0)) {
			xasprintf(cause, "channel %s: url must be an http:// or "
			    "https:// URL", c->name);
			return -1;
		}
		break;
	case CHANNEL_EMAIL:
		if (c->url == NULL || (strncmp(c->url, "smtp://", 7) != 0 &&
		    strncmp(c->url, "smtps://", 8) != 0)) {
			xasprintf(cause, "channel %s: url must be smtp://HOST:PORT "
			    "or smtps://HOST:PORT", c->name);
			return -1;
		}
		if (c->mail_from == NULL || c->mail_to == NULL) {
			xasprintf(cause, "channel %s: email needs from and to",
			    c->name);
			return -1;
		}
		break;
	case CHANNEL_EXEC:
		if (c->command == NULL) {
			xasprintf(cause, "channel %s: exec needs a command",
			    c->name);
			return -1;
		}
		break;
	default:
		break;
	}
	/* the receivers' own limits (anchors.md §8) */
	if (c->per_minute < 0)
		c->per_minute = c->type == CHANNEL_DINGTALK || c->type ==
		    CHANNEL_WECOM ? 20 : c->type == CHANNEL_FEISHU ? 100 : 0;
	if (c->per_second < 0)
		c->per_second = c->type == CHANNEL_FEISHU ? 5 : 0;
	if (c->max_bytes == (size_t)-1)
		c->max_bytes = c->type == CHANNEL_WECOM ? 4096 :
		    c->type == CHANNEL_FEISHU ? 20 * 1024 :
		    c->type == CHANNEL_DINGTALK ? 20000 : 0;
	if (c->timeout_ms < 0)
		c->timeout_ms = c->type == CHANNEL_EXEC ||
		    c->type == CHANNEL_EMAIL ? 30 * 1000 : 10 * 1000;
	if (c->backoff_max_ms < c->backoff_ms)
		c->backoff_max_ms = c->backoff_ms;
	return 0;
}

static void
channel_print_words(struct buf *b, const char *key, char *const *v)
{
	size_t i;

	if (v == NULL)
		return;
	buf_addf(b, "%s =", key);
	for (i = 0; v[i] != NULL; i++)
		buf_addf(b, " %s", v[i]);
	buf_addc(b, '\n');
}

void
channel_conf_print(const struct channel_conf *c, struct buf *b)
{
	static const char *tls[] = { "starttls", "tls", "none" };

	buf_addf(b, "\n[channel %s]\n", c->name);
	buf_addf(b, "type = %s\n", c->lark ? "lark" :
	    channel_type_name(c->type));
	if (c->url != NULL) {
		size_t n = strcspn(c->url, "?#");

		/* a robot's token sits in the query: not shown */
		buf_addf(b, "url = %.*s%s\n", (int)n, c->url,
		    c->url[n] != '\0' ? "?…" : "");
	}
	if (c->secret != NULL)
		buf_adds(b, "secret = (set)\n");
	if (c->secret_file != NULL)
		buf_addf(b, "secret_file = %s\n", c->secret_file);
	if (c->secret_env != NULL)
		buf_addf(b, "secret_env = %s\n", c->secret_env);
	channel_print_words(b, "events", c->events);
	buf_addf(b, "min_severity = %s\n",
	    channel_severities[c->min_severity]);
	channel_print_words(b, "agencies", c->agencies);
	channel_print_words(b, "regions", c->regions);
	buf_addf(b, "per_minute = %ld\nper_second = %ld\n", c->per_minute,
	    c->per_second);
	buf_addf(b, "timeout = %lldms\ngive_up_after = %lldms\n",
	    c->timeout_ms, c->give_up_ms);
	buf_addf(b, "backoff = %lldms\nbackoff_max = %lldms\n", c->backoff_ms,
	    c->backoff_max_ms);
	buf_addf(b, "max_bytes = %zu\n", c->max_bytes);
	buf_addf(b, "since = %s\n", c->since_all ? "all" : "new");
	if (c->type == CHANNEL_EMAIL) {
		buf_addf(b, "digest = %lldms\n", c->digest_ms);
		buf_addf(b, "from = %s\n", c->mail_from);
		channel_print_words(b, "to", c->mail_to);
		if (c->username != NULL)
			buf_addf(b, "username = %s\n", c->username);
		if (c->password != NULL)
			buf_adds(b, "password = (set)\n");
		if (c->password_file != NULL)
			buf_addf(b, "password_file = %s\n", c->password_file);
		if (c->password_env != NULL)
			buf_addf(b, "password_env = %s\n", c->password_env);
		buf_addf(b, "tls = %s\n", tls[c->tls]);
	}
	if (c->type != CHANNEL_EXEC && c->type != CHANNEL_LOG)
		buf_addf(b, "tls_verify = %s\n", c->tls_verify ? "yes" : "no");
	if (c->command != NULL)
		buf_addf(b, "command = %s\n", c->command);
}

