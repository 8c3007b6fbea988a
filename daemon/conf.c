/*
 * Configuration loading for nianbaod (see conf.h).  inih does the INI
 * syntax; this file owns the keys: one sorted table, looked up with
 * bsearch, each with a parser for its type.  The [http] token is a
 * secret: conf_print() shows that one is set, never its value.  inih's handler has no line
 * number in Debian's build, so the lines are counted in our own reader.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "../notify/notify.h"
#include "buf.h"
#include "conf.h"
#include "util.h"
#include "xmalloc.h"

enum conf_type { T_STRING, T_DURATION_S, T_DURATION_MS, T_COUNT, T_PERCENT,
    T_SIZE, T_BOOL, T_LEVEL, T_LISTEN, T_SECRET, T_OPTPATH, T_MMDD, T_TZ };

struct conf_key {
	const char	*name;		/* "section.key", the table is sorted */
	enum conf_type	 type;
	size_t		 offset;	/* into struct conf */
	long long	 min, max;
};

#define OFF(f)	offsetof(struct conf, f)
static const struct conf_key conf_keys[] = {
	{ "daemon.catalog", T_STRING, OFF(catalog), 0, 0 },
	{ "daemon.database", T_STRING, OFF(database), 0, 0 },
	{ "daemon.failing_after", T_COUNT, OFF(failing_after), 1, 1000 },
	{ "daemon.log_level", T_LEVEL, OFF(log_level), 0, 0 },
	{ "daemon.max_jobs", T_COUNT, OFF(max_jobs), 1, 100000 },
	{ "daemon.prune_revisits_after", T_DURATION_MS,
	    OFF(prune_revisits_after_ms), 0, 3650LL * 86400 * 1000 },
	{ "daemon.removed_after", T_COUNT, OFF(removed_after), 1, 1000 },
	/* [deadlines]; region.<prefix> keys are handled before the lookup */
	{ "deadlines.due_interval", T_DURATION_MS, OFF(dl_due_interval_ms),
	    60LL * 1000, 366LL * 86400 * 1000 },
	{ "deadlines.due_soon", T_DURATION_MS, OFF(dl_due_soon_ms), 0,
	    366LL * 86400 * 1000 },
	{ "deadlines.due_window", T_DURATION_MS, OFF(dl_due_window_ms), 0,
	    366LL * 86400 * 1000 },
	{ "deadlines.first_year", T_COUNT, OFF(dl_first_year), 2008, 2100 },
	{ "deadlines.grace", T_DURATION_MS, OFF(dl_grace_ms), 0,
	    366LL * 86400 * 1000 },
	{ "deadlines.remind", T_DURATION_MS, OFF(dl_remind_ms), 0,
	    366LL * 86400 * 1000 },
	{ "deadlines.timezone", T_TZ, OFF(dl_timezone), -14 * 60, 14 * 60 },
	{ "deadlines.township", T_MMDD, OFF(dl_township), 101, 1231 },
	{ "fetch.backoff_max", T_DURATION_MS, OFF(backoff_max_ms), 0,
	    7LL * 86400 * 1000 },
	{ "fetch.breaker_cooldown", T_DURATION_MS, OFF(breaker_cooldown_ms), 0,
	    7LL * 86400 * 1000 },
	{ "fetch.breaker_failures", T_COUNT, OFF(breaker_failures), 1, 1000 },
	{ "fetch.connect_timeout", T_DURATION_S, OFF(connect_timeout), 1, 600 },
	{ "fetch.delay_factor", T_COUNT, OFF(delay_factor), 0, 100 },
	{ "fetch.interval", T_DURATION_S, OFF(interval), 60, 366LL * 86400 },
	{ "fetch.jitter", T_PERCENT, OFF(jitter), 0, 100 },
	{ "fetch.max_attachments", T_COUNT, OFF(max_attachments), 0, 100 },
	{ "fetch.max_body", T_SIZE, OFF(max_body), 1024, 1LL << 32 },
	{ "fetch.max_decompressed", T_SIZE, OFF(max_decompressed), 1024,
	    1LL << 34 },
	{ "fetch.max_delay", T_DURATION_MS, OFF(max_delay_ms), 0,
	    3600LL * 1000 },
	{ "fetch.max_pages", T_COUNT, OFF(max_pages), 1, 1000 },
	{ "fetch.max_redirects", T_COUNT, OFF(max_redirects), 0, 50 },
	{ "fetch.max_retries", T_COUNT, OFF(max_retries), 0, 10 },
	{ "fetch.min_delay", T_DURATION_MS, OFF(min_delay_ms), 0,
	    3600LL * 1000 },
	{ "fetch.per_host", T_COUNT, OFF(per_host), 1, 1000 },
	{ "fetch.retry_after_max", T_DURATION_MS, OFF(retry_after_max_ms), 0,
	    86400LL * 1000 },
	{ "fetch.robots", T_BOOL, OFF(robots), 0, 1 },
	{ "fetch.tls_verify", T_BOOL, OFF(tls_verify), 0, 1 },
	{ "fetch.total_timeout", T_DURATION_S, OFF(total_timeout), 1, 3600 },
	{ "fetch.user_agent", T_STRING, OFF(user_agent), 0, 0 },
	{ "http.listen", T_LISTEN, OFF(http_listen), 0, 0 },
	{ "http.max_limit", T_COUNT, OFF(http_max_limit), 1, 100000 },
	{ "http.token", T_SECRET, OFF(http_token), 0, 0 },
	{ "http.token_file", T_OPTPATH, OFF(http_token_file), 0, 0 },
};
#define NKEYS (sizeof conf_keys / sizeof conf_keys[0])

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof *c);
	c->database = xstrdup("/var/lib/nianbao/nianbao.db");
	c->catalog = xstrdup("/etc/nianbao/catalog.csv");
	c->log_level = xstrdup("info");
	c->user_agent = xstrdup("nianbao/0.1 (+https://github.com/nianbao)");
	c->interval = 6 * 3600;
	c->jitter = 10;
	c->per_host = 1;
	c->min_delay_ms = 2000;
	c->max_delay_ms = 30000;
	c->delay_factor = 5;
	c->connect_timeout = 10;
	c->total_timeout = 60;
	c->max_redirects = 5;
	c->max_body = 20LL * 1024 * 1024;
	c->max_decompressed = 100LL * 1024 * 1024;
	c->tls_verify = 1;
	c->robots = 1;
	c->max_pages = 20;
	c->max_attachments = 5;
	c->max_retries = 2;
	c->retry_after_max_ms = 120 * 1000;
	c->backoff_max_ms = 3600 * 1000;
	c->breaker_failures = 5;
	c->breaker_cooldown_ms = 1800 * 1000;
	c->failing_after = 3;
	c->removed_after = 3;
	c->prune_revisits_after_ms = 0;	/* keep every capture */
	c->max_jobs = 256;
	c->http_listen = xstrdup("127.0.0.1:8420");
	c->http_token = xstrdup("");
	c->http_token_file = xstrdup("");
	c->http_max_limit = 1000;
	c->dl_township = 331;		/* 条例 第四十九条 names none: as counties */
	c->dl_grace_ms = 0;
	c->dl_due_soon_ms = 14LL * 86400 * 1000;
	c->dl_remind_ms = 7LL * 86400 * 1000;
	c->dl_due_interval_ms = 86400LL * 1000;
	c->dl_due_window_ms = 60LL * 86400 * 1000;
	c->dl_first_year = 2019;	/* the revised 条例 took effect */
	c->dl_timezone = 8 * 60;	/* China Standard Time */
}

void
conf_release(struct conf *c)
{
	free(c->path);
	free(c->database);
	free(c->catalog);
	free(c->log_level);
	free(c->user_agent);
	free(c->http_listen);
	if (c->http_token != NULL)
		explicit_bzero(c->http_token, strlen(c->http_token));
	free(c->http_token);
	free(c->http_token_file);
	for (size_t i = 0; i < c->dl_nregions; i++)
		free(c->dl_regions[i].prefix);
	free(c->dl_regions);
	for (size_t i = 0; i < c->nchannels; i++)
		channel_conf_release(&c->channels[i]);
	free(c->channels);
	memset(c, 0, sizeof *c);
}

/*
 * Reads the leading digits of s into *v (at most max) and returns the unit
 * after them, spaces skipped; NULL when there is no number.
 */
static const char *
conf_number_unit(const char *s, long long max, long long *v)
{
	char num[32];
	const char *errstr, *unit;
	size_t n = 0;

	while (isdigit((unsigned char)s[n]) && n < sizeof num - 1)
		n++;
	if (n == 0 || n >= sizeof num - 1)
		return NULL;
	memcpy(num, s, n);
	num[n] = '\0';
	if (util_strtonum(num, 0, max, v, &errstr) != 0)
		return NULL;
	for (unit = s + n; *unit == ' '; unit++)
		;
	return unit;
}

int
conf_listen_split(const char *s, char *host, size_t hostlen, int *port)
{
	const char *colon, *h, *errstr;
	unsigned char addr[16];
	char tmp[64];
	long long v;
	size_t n, i;

	if (s[0] == '[') {
		colon = strchr(s, ']');
		if (colon == NULL || colon[1] != ':')
			return -1;
		h = s + 1;
		n = (size_t)(colon - h);
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || strchr(s, ':') != colon)
			return -1;	/* a bare IPv6 address needs brackets */
		h = s;
		n = (size_t)(colon - s);
	}
	if (n == 0 || n >= hostlen || n >= sizeof tmp)
		return -1;
	memcpy(tmp, h, n);
	tmp[n] = '\0';
	if (s[0] == '[') {
		if (inet_pton(AF_INET6, tmp, addr) != 1)
			return -1;
	} else {
		for (i = 0; i < n; i++) {
			if (!isalnum((unsigned char)tmp[i]) && tmp[i] != '.' &&
			    tmp[i] != '-')
				return -1;
		}
	}
	if (util_strtonum(colon + 1, 1, 65535, &v, &errstr) != 0)
		return -1;
	memcpy(host, tmp, n + 1);
	*port = (int)v;
	return 0;
}

long long
conf_duration_ms(const char *s)
{
	const char *unit;
	long long v, mult;

	unit = conf_number_unit(s, LLONG_MAX / (86400LL * 1000), &v);
	if (unit == NULL)
		return -1;
	if (*unit == '\0' || strcmp(unit, "s") == 0)
		mult = 1000;
	else if (strcmp(unit, "ms") == 0)
		mult = 1;
	else if (strcmp(unit, "m") == 0 || strcmp(unit, "min") == 0)
		mult = 60 * 1000;
	else if (strcmp(unit, "h") == 0)
		mult = 3600 * 1000;
	else if (strcmp(unit, "d") == 0)
		mult = 86400LL * 1000;
	else
		return -1;
	return v * mult;
}

long long
conf_size(const char *s)
{
	const char *unit;
	long long v, mult;

	unit = conf_number_unit(s, LLONG_MAX >> 31, &v);
	if (unit == NULL)
		return -1;
	if (*unit == '\0' || strcasecmp(unit, "b") == 0)
		mult = 1;
	else if (strcasecmp(unit, "k") == 0 || strcasecmp(unit, "kb") == 0)
		mult = 1024;
	else if (strcasecmp(unit, "m") == 0 || strcasecmp(unit, "mb") == 0)
		mult = 1024 * 1024;
	else if (strcasecmp(unit, "g") == 0 || strcasecmp(unit, "gb") == 0)
		mult = 1024 * 1024 * 1024;
	else
		return -1;
	return v * mult;
}

int
conf_mmdd(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int m, d;

	if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != '-' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	d = (s[3] - '0') * 10 + (s[4] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	return m * 100 + d;
}

int
conf_tz(const char *s)
{
	int sign, h, m;

	if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0)
		return 0;
	if (s[0] != '+' && s[0] != '-')
		return -1000;
	sign = s[0] == '-' ? -1 : 1;
	s++;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1000;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	s += 2;
	if (*s == ':')
		s++;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != '\0')
		return -1000;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	if (h > 14 || m > 59)
		return -1000;
	return sign * (h * 60 + m);
}

/* [deadlines] region.<prefix> = MM-DD: later lines for a prefix win. */
static int
conf_region(struct conf *c, const char *prefix, const char *value)
{
	int md = conf_mmdd(value);
	size_t i;

	if (md < 0 || *prefix == '\0')
		return -1;
	for (i = 0; i < c->dl_nregions; i++) {
		if (strcmp(c->dl_regions[i].prefix, prefix) == 0) {
			c->dl_regions[i].md = md;
			return 0;
		}
	}
	c->dl_regions = xreallocarray(c->dl_regions, c->dl_nregions + 1,
	    sizeof *c->dl_regions);
	c->dl_regions[c->dl_nregions].prefix = xstrdup(prefix);
	c->dl_regions[c->dl_nregions++].md = md;
	return 0;
}

struct conf_parse {
	struct conf	*conf;
	const char	*path;
	FILE		*f;
	int		 line;		/* of the line inih is handling */
	int		 errors;
	struct buf	 err;
	int		*chan_line;	/* first line of each channel section */
};

static void
conf_error(struct conf_parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
conf_error(struct conf_parse *p, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	xvasprintf(&m, fmt, ap);
	va_end(ap);
	buf_addf(&p->err, "%s:%d: %s\n", p->path, p->line, m);
	free(m);
	p->errors++;
}

/* inih's line reader: fgets that counts lines. */
static char *
conf_reader(char *str, int num, void *stream)
{
	struct conf_parse *p = stream;
	char *r;

	r = fgets(str, num, p->f);
	if (r != NULL)
		p->line++;
	return r;
}

static int
conf_key_cmp(const void *a, const void *b)
{
	return strcmp(a, ((const struct conf_key *)b)->name);
}

/*
 * A key of a [channel NAME] section: the channel's keys are notify's
 * (channel_conf_set); the checks that need the whole section run after
 * the file is read (channel_conf_finish in conf_load).
 */
static void
conf_channel(struct conf_parse *p, const char *section, const char *name,
    const char *value)
{
	struct conf *c = p->conf;
	const char *cname = section + 7;
	char *cause = NULL;
	size_t i;

	while (*cname == ' ' || *cname == '\t')
		cname++;
	for (i = 0; i < c->nchannels; i++)
		if (strcmp(c->channels[i].name, cname) == 0)
			break;
	if (i == c->nchannels) {
		c->channels = xreallocarray(c->channels, c->nchannels + 1,
		    sizeof *c->channels);
		p->chan_line = xreallocarray(p->chan_line, c->nchannels + 1,
		    sizeof *p->chan_line);
		channel_conf_init(&c->channels[i], cname);
		p->chan_line[i] = p->line;
		c->nchannels++;
	}
	if (channel_conf_set(&c->channels[i], name, value, &cause) != 0) {
		conf_error(p, "[%s] %s", section, cause);
		free(cause);
	}
}

static int
conf_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct conf_parse *p = user;
	const struct conf_key *k;
	char full[128];
	long long v = 0, *num;
	const char *errstr;
	char **str;

	if (strcmp(section, "deadlines") == 0 && strncmp(name, "region.", 7) ==
	    0) {
		if (conf_region(p->conf, name + 7, value) != 0)
			conf_error(p, "deadlines.%s: \"%s\" is not a deadline "
			    "MM-DD (01-31) for a region", name, value);
		return 1;
	}
	if (strncmp(section, "channel", 7) == 0 && (section[7] == ' ' ||
	    section[7] == '\t' || section[7] == '\0')) {
		conf_channel(p, section, name, value);
		return 1;
	}
	snprintf(full, sizeof full, "%s.%s", section, name);
	k = bsearch(full, conf_keys, NKEYS, sizeof conf_keys[0],
	    conf_key_cmp);
	if (k == NULL) {
		conf_error(p, "unknown key \"%s\" in section [%s]", name,
		    section);
		return 1;	/* keep going: report every error */
	}
	str = (char **)((char *)p->conf + k->offset);
	num = (long long *)((char *)p->conf + k->offset);
	switch (k->type) {
	case T_STRING:
		if (*value == '\0') {
			conf_error(p, "%s: empty value", full);
			return 1;
		}
		if (strcmp(full, "fetch.user_agent") == 0 &&
		    strstr(value, "http://") == NULL &&
		    strstr(value, "https://") == NULL && strchr(value, '@') ==
		    NULL) {
			conf_error(p, "%s: \"%s\" names no contact URL or "
			    "e-mail (site operators must be able to reach you)",
			    full, value);
			return 1;
		}
		free(*str);
		*str = xstrdup(value);
		return 1;
	case T_LISTEN: {
		char host[64];
		int port;

		if (*value == '\0' || strcmp(value, "no") == 0 ||
		    strcmp(value, "off") == 0) {
			free(*str);
			*str = xstrdup("no");
			return 1;
		}
		if (conf_listen_split(value, host, sizeof host, &port) != 0) {
			conf_error(p, "%s: \"%s\" is not address:port (127.0.0.1:"
			    "8420, [::1]:8420) or no", full, value);
			return 1;
		}
		free(*str);
		*str = xstrdup(value);
		return 1;
	}
	case T_SECRET:
	case T_OPTPATH: {
		const char *c;

		/* a bearer token is visible ASCII (RFC 6750's b64token) */
		for (c = value; k->type == T_SECRET && *c != '\0'; c++) {
			if (*c <= ' ' || *c > '~') {
				conf_error(p, "%s: only visible ASCII characters "
				    "are allowed", full);
				return 1;
			}
		}
		if (*str != NULL)
			explicit_bzero(*str, strlen(*str));
		free(*str);
		*str = xstrdup(value);
		return 1;
	}
	case T_LEVEL:
		if (strcmp(value, "debug") != 0 && strcmp(value, "info") != 0 &&
		    strcmp(value, "warning") != 0 && strcmp(value, "error")
		    != 0) {
			conf_error(p, "%s: \"%s\" is not debug, info, warning "
			    "or error", full, value);
			return 1;
		}
		free(*str);
		*str = xstrdup(value);
		return 1;
	case T_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "1") == 0 || strcmp(value, "on") == 0)
			*(int *)((char *)p->conf + k->offset) = 1;
		else if (strcmp(value, "no") == 0 || strcmp(value, "false") ==
		    0 || strcmp(value, "0") == 0 || strcmp(value, "off") == 0)
			*(int *)((char *)p->conf + k->offset) = 0;
		else
			conf_error(p, "%s: \"%s\" is not yes or no", full,
			    value);
		return 1;
	case T_DURATION_S:
	case T_DURATION_MS:
		v = conf_duration_ms(value);
		if (v < 0) {
			conf_error(p, "%s: \"%s\" is not a duration (90s, 15m, "
			    "6h, 1d)", full, value);
			return 1;
		}
		if (k->type == T_DURATION_S)
			v /= 1000;
		break;
	case T_MMDD:
		v = conf_mmdd(value);
		if (v < 0) {
			conf_error(p, "%s: \"%s\" is not a day MM-DD (03-31)",
			    full, value);
			return 1;
		}
		break;
	case T_TZ:
		v = conf_tz(value);
		if (v == -1000) {
			conf_error(p, "%s: \"%s\" is not a UTC offset (+08:00)",
			    full, value);
			return 1;
		}
		break;
	case T_SIZE:
		v = conf_size(value);
		if (v < 0) {
			conf_error(p, "%s: \"%s\" is not a size (512k, 20MB, "
			    "1G)", full, value);
			return 1;
		}
		break;
	case T_PERCENT:
	case T_COUNT: {
		char tmp[32];
		size_t l = strlen(value);

		if (l == 0 || l >= sizeof tmp) {
			conf_error(p, "%s: \"%s\" is not a number", full,
			    value);
			return 1;
		}
		memcpy(tmp, value, l + 1);
		if (k->type == T_PERCENT && tmp[l - 1] == '%')
			tmp[l - 1] = '\0';
		if (util_strtonum(tmp, LLONG_MIN, LLONG_MAX, &v, &errstr) !=
		    0) {
			conf_error(p, "%s: \"%s\" is not a number", full,
			    value);
			return 1;
		}
		break;
	}
	}
	if (v < k->min || v > k->max) {
		conf_error(p, "%s: %s is out of range (%lld to %lld%s)", full,
		    value, k->min, k->max, k->type == T_DURATION_S ?
		    " seconds" : k->type == T_DURATION_MS ? " ms" :
		    k->type == T_SIZE ? " bytes" : "");
		return 1;
	}
	*num = v;
	return 1;
}

int
conf_load(struct conf *c, const char *path, char **errors)
{
	struct conf_parse p;
	int rc;

	memset(&p, 0, sizeof p);
	p.conf = c;
	p.path = path;
	buf_init(&p.err, 0);
	p.f = fopen(path, "r");
	if (p.f == NULL) {
		xasprintf(errors, "%s: %s\n", path, strerror(errno));
		buf_release(&p.err);
		return -1;
	}
	free(c->path);
	c->path = xstrdup(path);
	rc = ini_parse_stream(conf_reader, &p, conf_handler, &p);
	fclose(p.f);
	if (rc > 0) {
		/* a syntax error inih stopped at (handler errors return 1) */
		p.line = rc;
		conf_error(&p, "syntax error (expected [section] or key = "
		    "value)");
	}
	if (c->min_delay_ms > c->max_delay_ms) {
		p.line = 0;
		buf_addf(&p.err, "%s: fetch.min_delay is longer than "
		    "fetch.max_delay\n", path);
		p.errors++;
	}
	if (c->http_token[0] != '\0' && c->http_token_file[0] != '\0') {
		buf_addf(&p.err, "%s: http.token and http.token_file are both "
		    "set\n", path);
		p.errors++;
	}
	/* a relative token_file is relative to the config file too */
	if (c->http_token_file[0] != '\0' && c->http_token_file[0] != '/' &&
	    strchr(path, '/') != NULL) {
		char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *abs;

		*slash = '\0';
		xasprintf(&abs, "%s/%s", dir, c->http_token_file);
		free(c->http_token_file);
		c->http_token_file = abs;
		free(dir);
	}
	/* channels: defaults by type, checks, secrets (relative paths too) */
	for (size_t i = 0; i < c->nchannels; i++) {
		char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *cause;

		if (slash != NULL)
			*slash = '\0';
		if (channel_conf_finish(&c->channels[i], slash != NULL ? dir :
		    NULL, &cause) != 0) {
			p.line = p.chan_line[i];
			conf_error(&p, "[channel %s] %s", c->channels[i].name,
			    cause);
			free(cause);
		}
		free(dir);
	}
	free(p.chan_line);
	/* a relative catalog is relative to the config file */
	if (c->catalog[0] != '/' && strchr(path, '/') != NULL) {
		char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *abs;

		*slash = '\0';
		xasprintf(&abs, "%s/%s", dir, c->catalog);
		free(c->catalog);
		c->catalog = abs;
		free(dir);
	}
	*errors = buf_detach(&p.err);
	return p.errors;
}

char *
conf_print(const struct conf *c)
{
	struct buf b;
	const char *section = "", *dot;
	const void *field;
	long long v;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < NKEYS; i++) {
		const struct conf_key *k = &conf_keys[i];

		dot = strchr(k->name, '.');
		if (strncmp(section, k->name, (size_t)(dot - k->name)) != 0 ||
		    section[dot - k->name] != '.') {
			buf_addf(&b, "%s[%.*s]\n", i == 0 ? "" : "\n",
			    (int)(dot - k->name), k->name);
			section = k->name;
		}
		field = (const char *)c + k->offset;
		buf_addf(&b, "%s = ", dot + 1);
		switch (k->type) {
		case T_STRING:
		case T_LEVEL:
		case T_LISTEN:
		case T_OPTPATH:
			buf_addf(&b, "%s\n", *(char *const *)field);
			continue;
		case T_SECRET:
			/* shown as set, never printed */
			buf_addf(&b, "%s\n", **(char *const *)field != '\0' ?
			    "********" : "");
			continue;
		case T_BOOL:
			buf_addf(&b, "%s\n", *(const int *)field ? "yes" : "no");
			continue;
		default:
			break;
		}
		v = *(const long long *)field;
		switch (k->type) {
		case T_DURATION_S:
			buf_addf(&b, "%llds\n", v);
			break;
		case T_DURATION_MS:
			buf_addf(&b, "%lldms\n", v);
			break;
		case T_PERCENT:
			buf_addf(&b, "%lld%%\n", v);
			break;
		case T_MMDD:
			buf_addf(&b, "%02lld-%02lld\n", v / 100, v % 100);
			break;
		case T_TZ:
			buf_addf(&b, "%c%02lld:%02lld\n", v < 0 ? '-' : '+',
			    (v < 0 ? -v : v) / 60, (v < 0 ? -v : v) % 60);
			break;
		default:
			buf_addf(&b, "%lld\n", v);
			break;
		}
		/* the region overrides close their section */
		if (strcmp(k->name, "deadlines.township") == 0) {
			for (size_t r = 0; r < c->dl_nregions; r++)
				buf_addf(&b, "region.%s = %02d-%02d\n",
				    c->dl_regions[r].prefix,
				    c->dl_regions[r].md / 100,
				    c->dl_regions[r].md % 100);
		}
	}
	/* the channels, secrets shown as "(set)" */
	for (i = 0; i < c->nchannels; i++)
		channel_conf_print(&c->channels[i], &b);
	return buf_detach(&b);
}
