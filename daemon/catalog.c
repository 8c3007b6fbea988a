/*
 * Source catalog loading (see catalog.h).  The file is read whole and
 * split in place, so 100,000 lines load in well under a second; CSV
 * quoting ("a, b" and "" for a quote) is understood.  Ids must be unique;
 * URLs must be http(s) with a host, since the daemon only ever follows
 * links to a source's own host(s).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "catalog.h"
#include "conf.h"
#include "util.h"
#include "xmalloc.h"

#define CATALOG_MAX_BYTES	(256u * 1024 * 1024)
#define CATALOG_MAX_FIELDS	16

enum col { C_ID, C_AGENCY, C_LEVEL, C_REGION, C_URL, C_INTERVAL, C_HOSTS,
    C_TLS, C_DEADLINE, C_FIRST_YEAR, C_N };
static const char *col_names[C_N] = {
	"id", "agency", "level", "region", "url", "interval", "hosts",
	"tls_verify", "deadline", "first_year",
};

/* Splits one line into fields in place; returns the count. */
static int
split(char *line, char sep, char **f, int max)
{
	char *p = line, *o;
	int n = 0;

	for (;;) {
		if (n == max)
			return n + 1;		/* too many: caller reports */
		while (*p == ' ')
			p++;
		if (*p == '"') {
			/* quoted: "" is a quote, the field ends at a lone " */
			f[n++] = o = ++p;
			for (;;) {
				if (*p == '\0')
					break;
				if (*p == '"' && p[1] == '"') {
					*o++ = '"';
					p += 2;
					continue;
				}
				if (*p == '"') {
					p++;
					break;
				}
				*o++ = *p++;
			}
			while (*p != '\0' && *p != sep)
				p++;
			*o = '\0';
		} else {
			f[n++] = p;
			while (*p != '\0' && *p != sep)
				p++;
		}
		if (*p == '\0') {
			o = p;
			break;
		}
		*p++ = '\0';
	}
	/* trim trailing spaces of every field */
	for (int i = 0; i < n; i++) {
		size_t l = strlen(f[i]);

		while (l > 0 && (f[i][l - 1] == ' ' || f[i][l - 1] == '\r'))
			f[i][--l] = '\0';
	}
	return n;
}

/* The host of an http(s) URL, lower case, or NULL. */
static char *
url_host(const char *url)
{
	const char *p, *e;
	char *h;
	size_t i;

	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else
		return NULL;
	e = p + strcspn(p, "/?#");
	/* userinfo is not allowed: it hides the real host */
	if (memchr(p, '@', (size_t)(e - p)) != NULL || e == p)
		return NULL;
	h = xstrndup(p, (size_t)(e - p));
	for (i = 0; h[i] != '\0'; i++) {
		if (isspace((unsigned char)h[i])) {
			free(h);
			return NULL;
		}
		h[i] = (char)tolower((unsigned char)h[i]);
	}
	return h;
}

static int
id_cmp(const void *a, const void *b)
{
	const struct source *x = *(const struct source *const *)a;
	const struct source *y = *(const struct source *const *)b;
	int c = strcmp(x->id, y->id);

	return c != 0 ? c : x->line - y->line;
}

void
catalog_release(struct catalog *cat)
{
	size_t i;

	for (i = 0; i < cat->n; i++) {
		free(cat->v[i].id);
		free(cat->v[i].agency);
		free(cat->v[i].level);
		free(cat->v[i].region);
		free(cat->v[i].url);
		free(cat->v[i].host);
		free(cat->v[i].hosts);
	}
	free(cat->v);
	free(cat->path);
	memset(cat, 0, sizeof *cat);
}

static const char *
level_canonical(const char *s)
{
	if (strcmp(s, "department") == 0 || strcmp(s, "部门") == 0)
		return "department";
	if (strcmp(s, "government") == 0 || strcmp(s, "政府") == 0)
		return "government";
	if (strcmp(s, "township") == 0 || strcmp(s, "乡镇") == 0 ||
	    strcmp(s, "街道") == 0)
		return "township";
	return NULL;
}

/* Checks one data line and appends it; returns 0 or -1 (error written). */
static int
catalog_line(struct catalog *cat, struct buf *err, int lineno, char **f,
    int nf, const int *pos)
{
	struct source s;
	const char *v[C_N], *level;
	long long ms;
	int c;

	for (c = 0; c < C_N; c++)
		v[c] = pos[c] >= 0 && pos[c] < nf ? f[pos[c]] : "";
	memset(&s, 0, sizeof s);
	s.line = lineno;
	s.tls_verify = -1;
#define BAD(...) do {							\
	buf_addf(err, "%s:%d: ", cat->path, lineno);			\
	buf_addf(err, __VA_ARGS__);					\
	buf_addc(err, '\n');						\
	return -1;							\
} while (0)
	if (*v[C_ID] == '\0')
		BAD("empty id");
	if (*v[C_AGENCY] == '\0')
		BAD("source %s: empty agency", v[C_ID]);
	level = level_canonical(v[C_LEVEL]);
	if (level == NULL)
		BAD("source %s: level \"%s\" is not department, government or "
		    "township", v[C_ID], v[C_LEVEL]);
	s.host = url_host(v[C_URL]);
	if (s.host == NULL)
		BAD("source %s: url \"%s\" is not an http(s) URL with a host",
		    v[C_ID], v[C_URL]);
	if (*v[C_INTERVAL] != '\0') {
		ms = conf_duration_ms(v[C_INTERVAL]);
		if (ms < 60 * 1000) {
			free(s.host);
			BAD("source %s: interval \"%s\" is not a duration of at "
			    "least 60s (90s, 15m, 6h, 1d)", v[C_ID],
			    v[C_INTERVAL]);
		}
		s.interval = ms / 1000;
	}
	if (*v[C_TLS] != '\0') {
		if (strcmp(v[C_TLS], "yes") == 0 || strcmp(v[C_TLS], "1") == 0)
			s.tls_verify = 1;
		else if (strcmp(v[C_TLS], "no") == 0 ||
		    strcmp(v[C_TLS], "0") == 0)
			s.tls_verify = 0;
		else {
			free(s.host);
			BAD("source %s: tls_verify \"%s\" is not yes or no",
			    v[C_ID], v[C_TLS]);
		}
	}
	if (*v[C_DEADLINE] != '\0') {
		s.deadline = conf_mmdd(v[C_DEADLINE]);
		if (s.deadline < 0) {
			free(s.host);
			BAD("source %s: deadline \"%s\" is not a day MM-DD "
			    "(01-31)", v[C_ID], v[C_DEADLINE]);
		}
	}
	if (*v[C_FIRST_YEAR] != '\0') {
		const char *errstr;
		long long y;

		if (util_strtonum(v[C_FIRST_YEAR], 2008, 2100, &y, &errstr) !=
		    0) {
			free(s.host);
			BAD("source %s: first_year \"%s\" is not a year (2008 "
			    "to 2100)", v[C_ID], v[C_FIRST_YEAR]);
		}
		s.first_year = (int)y;
	}
#undef BAD
	s.id = xstrdup(v[C_ID]);
	s.agency = xstrdup(v[C_AGENCY]);
	s.level = xstrdup(level);
	s.region = xstrdup(v[C_REGION]);
	s.url = xstrdup(v[C_URL]);
	if (*v[C_HOSTS] != '\0') {
		char *h = xstrdup(v[C_HOSTS]), *p;

		for (p = h; *p != '\0'; p++)
			if (*p == ';' || *p == ',')
				*p = ' ';
		s.hosts = h;
	}
	if (cat->n == cat->cap) {
		cat->cap = cat->cap ? cat->cap * 2 : 256;
		cat->v = xreallocarray(cat->v, cat->cap, sizeof *cat->v);
	}
	cat->v[cat->n++] = s;
	return 0;
}

int
catalog_load(struct catalog *cat, const char *path, char **errors)
{
	char *data = NULL, *cause = NULL;
	size_t len;
	int rc;

	if (util_read_file(path, CATALOG_MAX_BYTES, &data, &len, &cause) != 0) {
		memset(cat, 0, sizeof *cat);
		cat->path = xstrdup(path);
		xasprintf(errors, "%s\n", cause);
		free(cause);
		return -1;
	}
	rc = catalog_parse(cat, path, data, errors);
	free(data);
	return rc;
}

int
catalog_parse(struct catalog *cat, const char *path, char *data,
    char **errors)
{
	char *line, *next, sep;
	char *f[CATALOG_MAX_FIELDS + 1];
	int pos[C_N], nf, c, i, lineno = 0, bad = 0, header = 0;
	size_t len, k;
	struct buf err;
	struct source **byid;

	memset(cat, 0, sizeof *cat);
	cat->path = xstrdup(path);
	buf_init(&err, 0);
	sep = ',';
	for (line = data; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (lineno == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
			line += 3;	/* Excel's BOM */
		while (*line == ' ')
			line++;
		if (*line == '\0' || *line == '#' || *line == '\r')
			continue;
		if (!header) {
			sep = strchr(line, '\t') != NULL ? '\t' : ',';
			nf = split(line, sep, f, CATALOG_MAX_FIELDS);
			for (c = 0; c < C_N; c++)
				pos[c] = -1;
			for (i = 0; i < nf && i < CATALOG_MAX_FIELDS; i++) {
				for (c = 0; c < C_N; c++)
					if (strcasecmp(f[i], col_names[c]) == 0)
						pos[c] = i;
			}
			for (c = C_ID; c <= C_URL; c++) {
				if (pos[c] < 0 && c != C_REGION) {
					buf_addf(&err, "%s:%d: the header has no "
					    "\"%s\" column (needed: id, agency, "
					    "level, url; optional: region, "
					    "interval, hosts, tls_verify, "
					    "deadline, first_year)\n",
					    path, lineno, col_names[c]);
					*errors = buf_detach(&err);
					return -1;
				}
			}
			header = 1;
			continue;
		}
		nf = split(line, sep, f, CATALOG_MAX_FIELDS);
		if (nf > CATALOG_MAX_FIELDS) {
			buf_addf(&err, "%s:%d: more than %d fields\n", path,
			    lineno, CATALOG_MAX_FIELDS);
			bad++;
			continue;
		}
		if (catalog_line(cat, &err, lineno, f, nf, pos) != 0)
			bad++;
	}
	if (!header) {
		buf_addf(&err, "%s: no header line (id, agency, level, region, "
		    "url, ...)\n", path);
		*errors = buf_detach(&err);
		return -1;
	}
	/* duplicate ids: the first one stays, later ones are errors */
	byid = xreallocarray(NULL, cat->n ? cat->n : 1, sizeof *byid);
	for (k = 0; k < cat->n; k++)
		byid[k] = &cat->v[k];
	qsort(byid, cat->n, sizeof *byid, id_cmp);
	for (k = 1, i = 0; k < cat->n; k++) {
		if (strcmp(byid[k]->id, byid[i]->id) != 0) {
			i = (int)k;
			continue;
		}
		buf_addf(&err, "%s:%d: duplicate id \"%s\" (first on line %d)\n",
		    path, byid[k]->line, byid[k]->id, byid[i]->line);
		byid[k]->line = -byid[k]->line;		/* drop it below */
		bad++;
	}
	free(byid);
	for (k = 0, len = 0; k < cat->n; k++) {
		struct source *s = &cat->v[k];

		if (s->line > 0) {
			cat->v[len++] = *s;
			continue;
		}
		free(s->id);
		free(s->agency);
		free(s->level);
		free(s->region);
		free(s->url);
		free(s->host);
		free(s->hosts);
	}
	cat->n = len;
	*errors = buf_detach(&err);
	return bad;
}
