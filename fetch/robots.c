/*
 * robots.txt as RFC 9309 reads it.  Parsing keeps only the rules of the
 * groups that apply to us: those naming our product token (matched
 * case-insensitively), else those for "*", else none (allow all); several
 * matching groups are merged (§2.2.1).  A path is allowed unless the
 * longest matching rule is a Disallow; on a tie Allow wins (§2.2.2).
 * Patterns may hold "*" (any run) and a final "$" (end anchor).  Paths and
 * patterns are normalised the same way before comparing (§2.2.2).  Only
 * the first 500 KiB are read (§2.5).  Garbage lines are skipped: parsing
 * never fails.
 * Ownership: a struct robots owns its rules.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fetch.h"
#include "fetch_int.h"
#include "xmalloc.h"

#define ROBOTS_MAX_RULES	10000
#define ROBOTS_MAX_DELAY_MS	(86400LL * 1000)

struct robots_rule {
	char		*pat;		/* normalised, without a final "$" */
	size_t		 spec;		/* length of the rule as written */
	int		 allow;
	int		 anchored;	/* ended in "$" */
};

struct robots_set {
	struct robots_rule	*rules;
	size_t			 n, cap;
	long long		 delay_ms;	/* -1 = none seen */
	int			 found;		/* a group matched */
};

struct robots {
	int			 all;	/* -1 rules apply, 0 deny all, 1 allow all */
	struct robots_rule	*rules;
	size_t			 n;
	long long		 delay_ms;
};

static int
robots_unreserved(int c)
{
	return (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~');
}

static int
robots_hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Percent-encodes octets outside printable ASCII, decodes %XX of
 * unreserved characters and upper-cases the hex of the rest, so "/%7Ea",
 * "/~a" compare equal and "/%2f" stays distinct from "/".  In a pattern,
 * "*" and "$" keep their meaning.
 */
void
robots_normalise(const char *s, size_t len, int pattern, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t i;
	int hi, lo, c;

	(void)pattern;
	for (i = 0; i < len; i++) {
		c = p[i];
		if (c == '%' && i + 2 < len &&
		    (hi = robots_hex(p[i + 1])) >= 0 &&
		    (lo = robots_hex(p[i + 2])) >= 0) {
			c = hi * 16 + lo;
			i += 2;
			if (robots_unreserved(c))
				buf_addc(out, (char)c);
			else {
				buf_addc(out, '%');
				buf_addc(out, hex[c >> 4]);
				buf_addc(out, hex[c & 15]);
			}
			continue;
		}
		if (c <= 0x20 || c >= 0x7f) {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
			continue;
		}
		buf_addc(out, (char)c);
	}
}

/* Whether pattern p (with "*") matches a prefix of s, or all of it. */
static int
robots_match(const char *p, const char *s, int anchored)
{
	size_t i = 0, j = 0, m = strlen(p), n = strlen(s);
	size_t star = (size_t)-1, mark = 0;

	/* Classic two-pointer glob: O(n x m) at worst, no recursion. */
	while (i < n) {
		if (j < m && p[j] == '*') {
			star = j++;
			mark = i;
		} else if (j < m && p[j] == s[i]) {
			i++;
			j++;
		} else if (j == m && !anchored)
			return (1);	/* the pattern is a prefix of s */
		else if (star != (size_t)-1) {
			j = star + 1;
			i = ++mark;
		} else
			return (0);
	}
	while (j < m && p[j] == '*')
		j++;
	return (j == m);
}

static void
robots_set_add(struct robots_set *set, const char *value, size_t len,
    int allow)
{
	struct robots_rule *r;
	struct buf b;
	int anchored = 0;

	if (len == 0)
		return;		/* "Disallow:" with no value matches nothing */
	if (set->n >= ROBOTS_MAX_RULES)
		return;
	if (value[len - 1] == '$') {
		anchored = 1;
		len--;
	}
	buf_init(&b, 0);
	robots_normalise(value, len, 1, &b);
	if (set->n == set->cap) {
		set->cap = set->cap == 0 ? 16 : set->cap * 2;
		set->rules = xreallocarray(set->rules, set->cap,
		    sizeof *set->rules);
	}
	r = &set->rules[set->n++];
	r->pat = b.data == NULL ? xstrdup("") : buf_detach(&b);
	r->spec = len + anchored;
	r->allow = allow;
	r->anchored = anchored;
	buf_release(&b);
}

/* Crawl-delay: seconds, maybe with a fraction ("0.5"). */
static long long
robots_delay(const char *v, size_t len)
{
	long long ms = 0, scale = 1000;
	size_t i = 0;
	int digits = 0;

	for (; i < len && isdigit((unsigned char)v[i]); i++) {
		if (ms < ROBOTS_MAX_DELAY_MS)
			ms = ms * 10 + (v[i] - '0') * 1000;
		digits++;
	}
	if (i < len && v[i] == '.') {
		for (i++; i < len && isdigit((unsigned char)v[i]); i++) {
			scale /= 10;
			ms += (v[i] - '0') * scale;
			digits++;
		}
	}
	if (digits == 0 || i != len)
		return (-1);
	return (ms > ROBOTS_MAX_DELAY_MS ? ROBOTS_MAX_DELAY_MS : ms);
}

/* Whether a User-agent value names agent: its product token, any case. */
static int
robots_agent_is(const char *v, size_t len, const char *agent)
{
	size_t n = 0, alen = strlen(agent);

	while (n < len && (isalpha((unsigned char)v[n]) || v[n] == '_' ||
	    v[n] == '-'))
		n++;
	return (n != 0 && n == alen && strncasecmp(v, agent, n) == 0);
}

static void
robots_trim(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static void
robots_set_free(struct robots_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free(set->rules[i].pat);
	free(set->rules);
}

struct robots *
robots_parse(const char *body, size_t len, const char *agent)
{
	struct robots_set ours, star, *use;
	struct robots *r;
	const char *line, *end, *eol, *colon, *key, *val;
	size_t klen, vlen;
	int in_ours = 0, in_star = 0, had_rule = 1;
	long long d;

	memset(&ours, 0, sizeof ours);
	memset(&star, 0, sizeof star);
	ours.delay_ms = star.delay_ms = -1;
	if (body == NULL)
		len = 0;
	if (len > FETCH_ROBOTS_MAX)
		len = FETCH_ROBOTS_MAX;
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0) {
		body += 3;
		len -= 3;
	}
	end = body + len;
	for (line = body; line != NULL && line < end; line = eol) {
		eol = line;
		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		klen = eol - line;
		if ((val = memchr(line, '#', klen)) != NULL)
			klen = val - line;
		key = line;
		while (eol < end && (*eol == '\n' || *eol == '\r'))
			eol++;
		if ((colon = memchr(key, ':', klen)) == NULL)
			continue;
		val = colon + 1;
		vlen = key + klen - val;
		klen = colon - key;
		robots_trim(&key, &klen);
		robots_trim(&val, &vlen);

		if (klen == 10 && strncasecmp(key, "user-agent", 10) == 0) {
			if (had_rule) {
				/* A new group starts. */
				in_ours = in_star = 0;
				had_rule = 0;
			}
			if (vlen == 1 && val[0] == '*') {
				in_star = 1;
				star.found = 1;
			} else if (robots_agent_is(val, vlen, agent)) {
				in_ours = 1;
				ours.found = 1;
			}
			continue;
		}
		if (klen == 5 && strncasecmp(key, "allow", 5) == 0) {
			had_rule = 1;
			if (in_ours)
				robots_set_add(&ours, val, vlen, 1);
			if (in_star)
				robots_set_add(&star, val, vlen, 1);
		} else if (klen == 8 && strncasecmp(key, "disallow", 8) == 0) {
			had_rule = 1;
			if (in_ours)
				robots_set_add(&ours, val, vlen, 0);
			if (in_star)
				robots_set_add(&star, val, vlen, 0);
		} else if (klen == 11 &&
		    strncasecmp(key, "crawl-delay", 11) == 0) {
			had_rule = 1;
			d = robots_delay(val, vlen);
			if (d >= 0 && in_ours && ours.delay_ms < 0)
				ours.delay_ms = d;
			if (d >= 0 && in_star && star.delay_ms < 0)
				star.delay_ms = d;
		}
		/* Sitemap and unknown keys neither start nor end groups. */
	}

	r = xcalloc(1, sizeof *r);
	r->all = -1;
	use = ours.found ? &ours : (star.found ? &star : NULL);
	if (use == NULL)
		r->all = 1;
	else {
		r->rules = use->rules;
		r->n = use->n;
		r->delay_ms = use->delay_ms < 0 ? 0 : use->delay_ms;
		use->rules = NULL;
		use->n = 0;
	}
	robots_set_free(&ours);
	robots_set_free(&star);
	return (r);
}

struct robots *
robots_all(int allow)
{
	struct robots *r;

	r = xcalloc(1, sizeof *r);
	r->all = allow ? 1 : 0;
	return (r);
}

int
robots_allowed(const struct robots *r, const char *path)
{
	const struct robots_rule *rule, *best = NULL;
	struct buf b;
	size_t i;
	int allowed;

	if (r == NULL || r->all == 1)
		return (1);
	if (path == NULL || *path == '\0')
		path = "/";
	if (strcmp(path, "/robots.txt") == 0)
		return (1);	/* §2.2.2: always allowed */
	if (r->all == 0)
		return (0);
	buf_init(&b, 0);
	robots_normalise(path, strlen(path), 0, &b);
	for (i = 0; i < r->n; i++) {
		rule = &r->rules[i];
		if (!robots_match(rule->pat, buf_str(&b), rule->anchored))
			continue;
		if (best == NULL || rule->spec > best->spec ||
		    (rule->spec == best->spec && rule->allow))
			best = rule;
	}
	allowed = best == NULL || best->allow;
	buf_release(&b);
	return (allowed);
}

long long
robots_crawl_delay_ms(const struct robots *r)
{
	return (r == NULL ? 0 : r->delay_ms);
}

void
robots_free(struct robots *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		free(r->rules[i].pat);
	free(r->rules);
	free(r);
}
