/*
 * Label normalization for matching table and section labels across every
 * way real reports write them (see label.h).  Matching is then plain
 * substring search on normalized strings: robust against wrapped, spaced
 * and truncated labels without any fuzzy scoring.
 */
#include <stdlib.h>
#include <string.h>

#include "label.h"
#include "xmalloc.h"

unsigned
label_utf8_next(const char **pp)
{
	const unsigned char *p = (const unsigned char *)*pp;
	unsigned cp;
	int n, i;

	if (p[0] < 0x80) {
		*pp += 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f;
		n = 1;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f;
		n = 2;
	} else if ((p[0] & 0xf8) == 0xf0) {
		cp = p[0] & 0x07;
		n = 3;
	} else {
		*pp += 1;
		return 0xfffd;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*pp += 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	*pp += n + 1;
	return cp;
}

int
label_utf8_put(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int
label_is_han(unsigned cp)
{
	return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 &&
	    cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff);
}

static int
is_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\f' || cp == '\v' || cp == 0xa0 || cp == 0x3000 ||
	    cp == 0x200b || cp == 0x200c || cp == 0x200d || cp == 0xfeff ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f;
}

/* Folds one code point; returns 0 to drop it. */
static unsigned
fold(unsigned cp)
{
	if (cp >= 0xff01 && cp <= 0xff5e)
		cp -= 0xfee0;		/* full-width ASCII */
	switch (cp) {
	case 0x3001:			/* 、 */
	case 0xff64:			/* half-width ideographic comma */
	case 0x2027:			/* hyphenation point */
	case 0x00b7:			/* middle dot */
		return '.';
	case 0x201c: case 0x201d: case 0x201e: case 0x300c: case 0x300d:
	case 0x300e: case 0x300f:
		return '"';
	case 0x2018: case 0x2019:
		return '\'';
	case 0x3010: case 0x3014:	/* 【 〔 */
		return '[';
	case 0x3011: case 0x3015:
		return ']';
	case 0x2212:			/* minus sign */
		return '-';
	}
	return cp;
}

/* Length of a "[bookmark: …]" or "[image: …]" marker at p, or 0. */
static size_t
marker_len(const char *p)
{
	const char *e;

	if (strncmp(p, "[bookmark:", 10) != 0 && strncmp(p, "[image:", 7) != 0)
		return 0;
	e = strchr(p, ']');
	return e != NULL ? (size_t)(e - p) + 1 : 0;
}

static char *
norm(const char *s, int keep_spaces)
{
	const char *p = s;
	char *out, *o;
	unsigned cp;
	size_t m;
	int pending_space = 0;

	/*
	 * Folding only shrinks a character, but an invalid byte becomes
	 * U+FFFD (3 bytes): 3 bytes of output per input byte always suffice.
	 * Writing straight into the array keeps this hot path free of
	 * per-character calls.
	 */
	out = xreallocarray(NULL, strlen(s) + 1, 3);
	o = out;
	while (*p != '\0') {
		if ((unsigned char)*p < 0x80 && *p != '[') {
			/* ASCII fast path */
			if (*p == ' ' || *p == '\t' || *p == '\n' ||
			    *p == '\r' || *p == '\f' || *p == '\v') {
				pending_space = keep_spaces && o > out;
				p++;
				continue;
			}
			if (pending_space)
				*o++ = ' ';
			pending_space = 0;
			*o++ = *p++;
			continue;
		}
		if ((unsigned char)*p >= 0xe4 && (unsigned char)*p <= 0xe9 &&
		    ((unsigned char)p[1] & 0xc0) == 0x80 &&
		    ((unsigned char)p[2] & 0xc0) == 0x80) {
			/* CJK ideographs (U+4000-U+9FFF): fold() keeps them */
			if (pending_space)
				*o++ = ' ';
			pending_space = 0;
			memcpy(o, p, 3);
			o += 3;
			p += 3;
			continue;
		}
		m = marker_len(p);
		if (m > 0) {
			p += m;
			continue;
		}
		cp = label_utf8_next(&p);
		if (is_space(cp)) {
			pending_space = keep_spaces && o > out;
			continue;
		}
		cp = fold(cp);
		if (pending_space)
			*o++ = ' ';
		pending_space = 0;
		o += label_utf8_put(o, cp);
	}
	*o = '\0';
	return out;
}

char *
label_norm(const char *s)
{
	return norm(s ? s : "", 0);
}

char *
label_norm_text(const char *s)
{
	return norm(s ? s : "", 1);
}

/*
 * Whether normalizing s could change it: whitespace, '[', or the UTF-8
 * lead bytes of the characters fold() rewrites.  Keywords in the code are
 * mostly plain CJK, so label_has() can skip the copy.
 */
static int
needs_norm(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p <= ' ' || *p == '[' || *p == 0xc2)
			return 1;
		if ((*p == 0xef && (p[1] == 0xbc || p[1] == 0xbd ||
		    p[1] == 0xbb || p[1] == 0xbd)) || (*p == 0xe3 &&
		    p[1] == 0x80) || (*p == 0xe2 && (p[1] == 0x80 ||
		    p[1] == 0x81 || p[1] == 0x88)))
			return 1;
	}
	return 0;
}

int
label_has(const char *n, const char *kw)
{
	char *k;
	int found;

	if (!needs_norm(kw))
		return strstr(n, kw) != NULL;
	k = label_norm(kw);
	found = strstr(n, k) != NULL;
	free(k);
	return found;
}

static int
chinese_digit(unsigned cp)
{
	static const unsigned d[] = {
		0x4e00, 0x4e8c, 0x4e09, 0x56db, 0x4e94, 0x516d, 0x4e03, 0x516b,
		0x4e5d, 0x5341,	/* 一二三四五六七八九十 */
	};
	int i;

	for (i = 0; i < 10; i++)
		if (d[i] == cp)
			return i + 1;
	return 0;
}

/* Parses 一..九十九 at *p; returns 0 if none. */
static int
chinese_number(const char **pp)
{
	const char *p = *pp, *q;
	int v = 0, d, last = 0;

	for (;;) {
		q = p;
		d = chinese_digit(label_utf8_next(&q));
		if (d == 0)
			break;
		if (d == 10) {
			v = (last ? last : 1) * 10;
			last = 0;
		} else {
			if (last)
				return 0;
			last = d;
		}
		p = q;
	}
	v += last;
	if (v > 0)
		*pp = p;
	return v;
}

int
label_number(const char *n, const char **rest, int *style)
{
	const char *p = n;
	int v = 0, paren = 0;

	if (*p == '(') {
		paren = 1;
		p++;
	}
	if (*p >= '0' && *p <= '9') {
		while (*p >= '0' && *p <= '9' && v < 100)
			v = v * 10 + (*p++ - '0');
		if (style)
			*style = paren ? 'p' : 'a';
	} else {
		v = chinese_number(&p);
		if (style)
			*style = paren ? 'p' : 'c';
	}
	if (v <= 0 || v > 99)
		return 0;
	if (paren) {
		if (*p != ')')
			return 0;
		p++;
	} else if (*p == '.' || *p == ')' || *p == ':') {
		p++;
	} else
		return 0;
	if (rest)
		*rest = p;
	return v;
}

size_t
label_chars(const char *s)
{
	size_t n = 0;

	while (*s != '\0') {
		label_utf8_next(&s);
		n++;
	}
	return n;
}
