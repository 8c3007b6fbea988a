/*
 * Charset detection and decoding to UTF-8 (parse.h charset_decode()).
 *
 * Chinese government pages are UTF-8 on the current platforms and GBK /
 * GB2312 on older ones, and their declarations are not always true.  The
 * order is the WHATWG one with a validity check on top: a byte order mark,
 * then the HTTP charset, then <meta charset> / <meta http-equiv> (or an
 * XML declaration) in the first 4 KB, then a guess (valid UTF-8, else
 * GB18030 if it decodes cleanly), else UTF-8.  A declaration the bytes
 * contradict (declared UTF-8 but only GB18030 decodes them, or declared
 * GBK but the bytes are UTF-8) loses to the decoding that works, reported
 * as "guess".  Every GB label decodes as GB18030, the superset.
 *
 * Decoding never fails on bad bytes: each invalid or truncated sequence
 * becomes U+FFFD and decoding goes on after it, and NUL characters become
 * U+FFFD too so that the result is a proper C string.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "parse.h"
#include "xmalloc.h"

#define CHARSET_SNIFF		4096	/* bytes searched for <meta> */
#define CHARSET_UTF8_STRONG	8	/* multibyte sequences that prove UTF-8 */
#define CHARSET_REPLACEMENT	"\xef\xbf\xbd"

/* A charset we decode: its canonical name and the iconv name. */
struct charset {
	const char	*name;		/* canonical, what *used reports */
	const char	*iconv;		/* for iconv_open(); NULL: own UTF-8 */
	size_t		 unit;		/* bytes skipped after an invalid one */
};

static const struct charset charset_utf8 = { "UTF-8", NULL, 1 };
static const struct charset charset_gb18030 = { "GB18030", "GB18030", 1 };
static const struct charset charset_big5 = { "Big5", "BIG5-HKSCS", 1 };
static const struct charset charset_utf16le = { "UTF-16LE", "UTF-16LE", 2 };
static const struct charset charset_utf16be = { "UTF-16BE", "UTF-16BE", 2 };
static const struct charset charset_1252 = { "windows-1252", "WINDOWS-1252",
    1 };

/* Labels (WHATWG names and what Chinese sites actually write). */
static const struct {
	const char		*label;
	const struct charset	*cs;
} charset_labels[] = {
	{ "utf-8", &charset_utf8 },
	{ "utf8", &charset_utf8 },
	{ "unicode-1-1-utf-8", &charset_utf8 },
	{ "x-unicode20utf8", &charset_utf8 },
	{ "gb18030", &charset_gb18030 },
	{ "gbk", &charset_gb18030 },
	{ "gb2312", &charset_gb18030 },
	{ "gb_2312", &charset_gb18030 },
	{ "gb_2312-80", &charset_gb18030 },
	{ "gb-2312", &charset_gb18030 },
	{ "x-gbk", &charset_gb18030 },
	{ "cp936", &charset_gb18030 },
	{ "ms936", &charset_gb18030 },
	{ "windows-936", &charset_gb18030 },
	{ "chinese", &charset_gb18030 },
	{ "csgb2312", &charset_gb18030 },
	{ "csiso58gb231280", &charset_gb18030 },
	{ "iso-ir-58", &charset_gb18030 },
	{ "euc-cn", &charset_gb18030 },
	{ "x-euc-cn", &charset_gb18030 },
	{ "big5", &charset_big5 },
	{ "big5-hkscs", &charset_big5 },
	{ "cn-big5", &charset_big5 },
	{ "csbig5", &charset_big5 },
	{ "x-x-big5", &charset_big5 },
	{ "utf-16", &charset_utf16le },
	{ "utf-16le", &charset_utf16le },
	{ "unicode", &charset_utf16le },
	{ "ucs-2", &charset_utf16le },
	{ "utf-16be", &charset_utf16be },
	{ "unicodefffe", &charset_utf16be },
	{ "iso-8859-1", &charset_1252 },
	{ "iso8859-1", &charset_1252 },
	{ "latin1", &charset_1252 },
	{ "l1", &charset_1252 },
	{ "us-ascii", &charset_1252 },
	{ "ascii", &charset_1252 },
	{ "windows-1252", &charset_1252 },
	{ "cp1252", &charset_1252 },
};

static int
charset_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Maps a label ("GBK", " utf-8 ", "'gb2312'") to a charset, or NULL. */
static const struct charset *
charset_lookup(const char *label, size_t len)
{
	size_t i;

	while (len > 0 && (charset_space((unsigned char)*label) ||
	    *label == '"' || *label == '\'')) {
		label++;
		len--;
	}
	while (len > 0 && (charset_space((unsigned char)label[len - 1]) ||
	    label[len - 1] == '"' || label[len - 1] == '\'' ||
	    label[len - 1] == ';'))
		len--;
	if (len == 0)
		return NULL;
	for (i = 0; i < sizeof charset_labels / sizeof charset_labels[0]; i++)
		if (strlen(charset_labels[i].label) == len &&
		    strncasecmp(charset_labels[i].label, label, len) == 0)
			return charset_labels[i].cs;
	return NULL;
}

/*
 * Length of the UTF-8 sequence at s (len > 0 bytes available).  Sets *ok
 * and returns its length when it is valid; otherwise clears *ok and
 * returns the length of its longest valid prefix (at least 1), the part
 * one U+FFFD replaces (Unicode's "maximal subpart" practice).
 */
static size_t
charset_utf8_len(const unsigned char *s, size_t len, int *ok)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	*ok = 1;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* past U+10FFFF */
	} else {
		*ok = 0;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*ok = 0;
			return i;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

/*
 * Checks UTF-8.  Returns the number of invalid sequences and sets *multi
 * to the number of valid multibyte ones.
 */
static size_t
charset_utf8_check(const char *buf, size_t len, size_t *multi)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, bad = 0, n;
	int ok;

	*multi = 0;
	while (i < len) {
		if (s[i] < 0x80) {
			uint64_t w;

			/* markup is mostly ASCII: step eight bytes at a time */
			while (i + 8 <= len) {
				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ULL)
					break;
				i += 8;
			}
			if (i < len && s[i] < 0x80)
				i++;
			continue;
		}
		n = charset_utf8_len(s + i, len - i, &ok);
		if (ok)
			(*multi)++;
		else
			bad++;
		i += n;
	}
	return bad;
}

/*
 * Appends UTF-8 text to out, replacing invalid sequences and NULs by
 * U+FFFD.  Valid runs are copied in one piece.  Returns -1 past the
 * buffer's limit.
 */
static int
charset_add_utf8(struct buf *out, const char *buf, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, run = 0, n;
	int ok;

	while (i < len) {
		if (s[i] != 0 && s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] == 0) {
			n = 1;
			ok = 0;
		} else
			n = charset_utf8_len(s + i, len - i, &ok);
		if (ok) {
			i += n;
			continue;
		}
		if (buf_add(out, buf + run, i - run) != 0 ||
		    buf_adds(out, CHARSET_REPLACEMENT) != 0)
			return -1;
		if (bad != NULL)
			(*bad)++;
		i += n;
		run = i;
	}
	return buf_add(out, buf + run, len - run);
}

/*
 * Decodes with iconv into out, piecewise: an invalid sequence becomes
 * U+FFFD and decoding restarts unit bytes later; a sequence cut off by the
 * end of the input becomes one U+FFFD.  Every pass of the loop consumes
 * input or empties the output chunk, so it always ends.
 */
static int
charset_iconv(const struct charset *cs, const char *in, size_t len,
    struct buf *out, size_t *bad, char **cause)
{
	char chunk[8192], *ip = (char *)in, *op;
	size_t il = len, ol, r, skip;
	iconv_t cd;
	int e, rc = -1;

	cd = iconv_open("UTF-8", cs->iconv);
	if (cd == (iconv_t)-1 && cs == &charset_big5)
		cd = iconv_open("UTF-8", "BIG5");
	if (cd == (iconv_t)-1) {
		xasprintf(cause, "cannot decode %s: iconv_open: %s", cs->name,
		    strerror(errno));
		return -1;
	}
	while (il > 0) {
		op = chunk;
		ol = sizeof chunk;
		errno = 0;
		r = iconv(cd, &ip, &il, &op, &ol);
		e = errno;
		/* iconv output is valid UTF-8; this only replaces NULs */
		if (charset_add_utf8(out, chunk, op - chunk, NULL) != 0)
			goto toolong;
		if (r != (size_t)-1)
			continue;
		if (e == E2BIG)
			continue;
		if (e == EILSEQ || e == EINVAL) {
			if (buf_adds(out, CHARSET_REPLACEMENT) != 0)
				goto toolong;
			(*bad)++;
			/* EINVAL: truncated at the end, nothing follows */
			skip = e == EINVAL ? il : cs->unit;
			if (skip > il || skip == 0)
				skip = il;
			ip += skip;
			il -= skip;
			iconv(cd, NULL, NULL, NULL, NULL);
			continue;
		}
		xasprintf(cause, "cannot decode %s: %s", cs->name,
		    strerror(e));
		goto out;
	}
	rc = 0;
	goto out;
toolong:
	xasprintf(cause, "decoded %s text is too large", cs->name);
out:
	iconv_close(cd);
	return rc;
}

/* Decodes buf as cs into out; *bad counts replaced sequences. */
static int
charset_convert(const struct charset *cs, const char *buf, size_t len,
    struct buf *out, size_t *bad, char **cause)
{
	*bad = 0;
	buf_reset(out);
	if (buf_add(out, "", 0) != 0)
		goto toolong;
	if (cs->iconv == NULL) {
		if (charset_add_utf8(out, buf, len, bad) != 0)
			goto toolong;
		return 0;
	}
	return charset_iconv(cs, buf, len, out, bad, cause);
toolong:
	xasprintf(cause, "decoded text is too large");
	return -1;
}

/* Reads an attribute value (quoted or not) at *p; returns its length. */
static size_t
charset_attr_value(const char **pp, const char *end, const char **val)
{
	const char *p = *pp;
	char q;

	*val = p;
	if (p < end && (*p == '"' || *p == '\'')) {
		q = *p++;
		*val = p;
		while (p < end && *p != q)
			p++;
		*pp = p < end ? p + 1 : p;
		return p - *val;
	}
	while (p < end && !charset_space((unsigned char)*p) && *p != '>')
		p++;
	*pp = p;
	return p - *val;
}

/* Finds "charset=label" in a Content-Type value; returns the charset. */
static const struct charset *
charset_from_content(const char *s, size_t len)
{
	const char *p = s, *end = s + len, *v;

	for (; end - p >= 7; p++) {
		if (strncasecmp(p, "charset", 7) != 0)
			continue;
		p += 7;
		while (p < end && charset_space((unsigned char)*p))
			p++;
		if (p >= end || *p != '=')
			continue;
		p++;
		while (p < end && charset_space((unsigned char)*p))
			p++;
		if (p < end && (*p == '"' || *p == '\''))
			p++;
		v = p;
		while (p < end && *p != ';' && *p != '"' && *p != '\'' &&
		    !charset_space((unsigned char)*p))
			p++;
		return charset_lookup(v, p - v);
	}
	return NULL;
}

/*
 * Reads the attributes of a <meta> tag starting after "<meta" and returns
 * the charset it declares, or NULL.  *pp ends past the tag.
 */
static const struct charset *
charset_meta_tag(const char **pp, const char *end)
{
	const char *p = *pp, *name, *val, *content = NULL;
	const struct charset *cs = NULL;
	size_t nlen, vlen, clen = 0;
	int pragma = 0, have_charset = 0;

	while (p < end) {
		while (p < end && (charset_space((unsigned char)*p) ||
		    *p == '/'))
			p++;
		if (p >= end || *p == '>')
			break;
		name = p;
		while (p < end && !charset_space((unsigned char)*p) &&
		    *p != '=' && *p != '>' && *p != '/')
			p++;
		nlen = p - name;
		while (p < end && charset_space((unsigned char)*p))
			p++;
		val = "";
		vlen = 0;
		if (p < end && *p == '=') {
			p++;
			while (p < end && charset_space((unsigned char)*p))
				p++;
			vlen = charset_attr_value(&p, end, &val);
		}
		if (nlen == 7 && strncasecmp(name, "charset", 7) == 0 &&
		    !have_charset) {
			have_charset = 1;
			cs = charset_lookup(val, vlen);
		} else if (nlen == 10 &&
		    strncasecmp(name, "http-equiv", 10) == 0) {
			if (vlen == 12 &&
			    strncasecmp(val, "content-type", 12) == 0)
				pragma = 1;
		} else if (nlen == 7 && strncasecmp(name, "content", 7) == 0 &&
		    content == NULL) {
			content = val;
			clen = vlen;
		}
	}
	*pp = p < end ? p + 1 : p;
	if (have_charset)
		return cs;
	if (pragma && content != NULL)
		return charset_from_content(content, clen);
	return NULL;
}

/*
 * The charset declared in the markup: an XML declaration at the start or
 * a <meta> in the first CHARSET_SNIFF bytes (comments skipped).  A meta
 * naming UTF-16 means UTF-8, as in browsers: bytes readable as ASCII are
 * not UTF-16.
 */
static const struct charset *
charset_sniff_meta(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + (len < CHARSET_SNIFF ? len :
	    CHARSET_SNIFF), *q;
	const struct charset *cs;

	if (end - p > 5 && strncmp(p, "<?xml", 5) == 0) {
		for (q = p + 5; q < end && *q != '>'; q++) {
			if (end - q > 8 && strncasecmp(q, "encoding", 8) == 0) {
				const char *v;
				size_t vlen;

				q += 8;
				while (q < end && charset_space((unsigned char)*q))
					q++;
				if (q >= end || *q != '=')
					break;
				q++;
				while (q < end && charset_space((unsigned char)*q))
					q++;
				vlen = charset_attr_value(&q, end, &v);
				cs = charset_lookup(v, vlen);
				if (cs != NULL)
					goto found;
				break;
			}
		}
	}
	while (p < end) {
		q = memchr(p, '<', end - p);
		if (q == NULL)
			break;
		p = q;
		if (end - p >= 4 && strncmp(p, "<!--", 4) == 0) {
			for (q = p + 4; end - q >= 3; q++)
				if (strncmp(q, "-->", 3) == 0)
					break;
			if (end - q < 3)
				break;
			p = q + 3;
			continue;
		}
		if (end - p >= 6 && strncasecmp(p, "<meta", 5) == 0 &&
		    (charset_space((unsigned char)p[5]) || p[5] == '/')) {
			p += 5;
			cs = charset_meta_tag(&p, end);
			if (cs != NULL)
				goto found;
			continue;
		}
		p++;
	}
	return NULL;
found:
	if (cs == &charset_utf16le || cs == &charset_utf16be)
		cs = &charset_utf8;
	return cs;
}

/* The charset of a byte order mark at the start of buf, and its length. */
static const struct charset *
charset_bom(const char *buf, size_t len, size_t *bomlen)
{
	const unsigned char *s = (const unsigned char *)buf;

	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		*bomlen = 3;
		return &charset_utf8;
	}
	if (len >= 2 && s[0] == 0xff && s[1] == 0xfe) {
		*bomlen = 2;
		return &charset_utf16le;
	}
	if (len >= 2 && s[0] == 0xfe && s[1] == 0xff) {
		*bomlen = 2;
		return &charset_utf16be;
	}
	*bomlen = 0;
	return NULL;
}

int
charset_decode(const char *buf, size_t len, const char *http_charset,
    int is_html, char **out, size_t *outlen, const char **used,
    const char **from, char **cause)
{
	const struct charset *cs = NULL, *alt;
	struct buf b, b2;
	size_t bomlen, bad, bad2, utf8bad, multi, max;
	const char *src = NULL;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	*used = "UTF-8";
	*from = "default";
	*cause = NULL;
	max = len <= (SIZE_MAX - 64) / 3 ? len * 3 + 64 : 0;
	buf_init(&b, max);
	buf_init(&b2, max);

	cs = charset_bom(buf, len, &bomlen);
	if (cs != NULL) {
		if (charset_convert(cs, buf + bomlen, len - bomlen, &b, &bad,
		    cause) != 0)
			goto out;
		src = "bom";
		goto done;
	}

	if (http_charset != NULL) {
		cs = charset_lookup(http_charset, strlen(http_charset));
		if (cs != NULL)
			src = "http";
	}
	if (cs == NULL && is_html) {
		cs = charset_sniff_meta(buf, len);
		if (cs != NULL)
			src = "meta";
	}
	utf8bad = charset_utf8_check(buf, len, &multi);

	if (cs == NULL || cs == &charset_utf8) {
		if (utf8bad == 0) {
			/* valid already: one copy, unless NULs need replacing */
			if (memchr(buf, '\0', len) == NULL) {
				if (buf_add(&b, buf, len) != 0) {
					*cause = xstrdup("decoded text too large");
					goto out;
				}
				bad = 0;
			} else if (charset_convert(&charset_utf8, buf, len, &b,
			    &bad, cause) != 0)
				goto out;
			if (cs == NULL)
				src = multi > 0 ? "guess" : "default";
			cs = &charset_utf8;
			goto done;
		}
		/*
		 * Not UTF-8.  GB18030 wins if it reads the bytes without a
		 * fault, even against a UTF-8 declaration (templates declare
		 * UTF-8 over GBK content); undeclared, it also wins if it
		 * faults less often than UTF-8 does.
		 */
		if (charset_convert(&charset_gb18030, buf, len, &b, &bad,
		    cause) != 0)
			goto out;
		if (bad == 0 || (cs == NULL && bad < utf8bad)) {
			cs = &charset_gb18030;
			src = "guess";
			goto done;
		}
		if (charset_convert(&charset_utf8, buf, len, &b, &bad,
		    cause) != 0)
			goto out;
		if (cs == NULL)
			src = "default";
		cs = &charset_utf8;
		goto done;
	}

	if ((cs == &charset_utf16le || cs == &charset_utf16be) &&
	    utf8bad == 0 && memchr(buf, '\0', len < CHARSET_SNIFF ? len :
	    CHARSET_SNIFF) == NULL) {
		/* UTF-16 markup is full of NULs; this is not UTF-16 */
		cs = &charset_utf8;
		if (charset_convert(cs, buf, len, &b, &bad, cause) != 0)
			goto out;
		src = "guess";
		goto done;
	}

	/* a declared charset other than UTF-8 */
	if (charset_convert(cs, buf, len, &b, &bad, cause) != 0)
		goto out;
	if (utf8bad == 0 && multi > 0 && (bad > 0 ||
	    multi >= CHARSET_UTF8_STRONG || cs == &charset_1252)) {
		/*
		 * Valid UTF-8 with real multibyte text is next to impossible
		 * by chance in GBK or Big5: the declaration is wrong.  UTF-16
		 * of a page is full of NULs and never valid here.
		 */
		if (charset_convert(&charset_utf8, buf, len, &b, &bad,
		    cause) != 0)
			goto out;
		cs = &charset_utf8;
		src = "guess";
		goto done;
	}
	if (cs == &charset_1252 && utf8bad > 0) {
		/* a Chinese page mislabelled Latin-1 is GBK more often */
		alt = &charset_gb18030;
		if (charset_convert(alt, buf, len, &b2, &bad2, cause) != 0)
			goto out;
		if (bad2 == 0) {
			buf_release(&b);
			b = b2;
			buf_init(&b2, max);
			cs = alt;
			src = "guess";
		}
	}
done:
	if (b.data == NULL && buf_add(&b, "", 0) != 0)
		goto out;
	*outlen = b.len;
	*out = buf_detach(&b);
	*used = cs->name;
	*from = src;
	rc = 0;
out:
	if (rc != 0 && *cause == NULL)
		xasprintf(cause, "cannot decode the input");
	buf_release(&b);
	buf_release(&b2);
	return rc;
}
