/*
 * Discovery (listing.h): every <a href> of a listing page, resolved,
 * kept on the source's hosts, and sorted into candidate reports, further
 * pages of the listing and attachments; everything else is dropped.
 *
 * The page is decoded first (GBK listings exist, domain.md §5.3) and read
 * with gumbo; the tree is walked iteratively.  Two CMS habits need more
 * than the tree:
 *   - TRS writes its pager from a script, createPageHTML(PAGE_COUNT,
 *     PAGE_INDEX, "index", "html"): the page URLs are generated from it;
 *   - Hanweb column pages carry their first records as HTML inside
 *     <script type="text/xml"><recordset><record><![CDATA[...]]>: those
 *     fragments are parsed and walked like the page itself.
 * A date shown next to a link (in its <li> / <tr>, else beside it) is
 * kept, since for many CMSs it is the publication date (§5.4).
 *
 * Everything is bounded: links per page, text per link, generated pages,
 * nodes visited per date, and the nesting gumbo is given.
 */
#define _GNU_SOURCE	/* strcasestr */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gumbo.h>

#include "buf.h"
#include "date.h"
#include "label.h"
#include "listing.h"
#include "parse.h"
#include "xmalloc.h"

#define LISTING_MAX_LINKS	10000	/* <a href> read per page */
#define LISTING_MAX_TEXT	1024	/* bytes of one link's text */
#define LISTING_MAX_PAGES	100	/* pages generated from scripts */
#define LISTING_DATE_TEXT	512	/* bytes of row text searched */
#define LISTING_DATE_NODES	300	/* nodes visited for one date */
#define LISTING_ROW_UP		4	/* levels up looking for <li>/<tr> */
#define LISTING_PAGER_UP	4	/* levels up looking for a pager */
#define LISTING_MAX_RECORDS	(8u * 1024 * 1024) /* Hanweb record HTML */

/* One page being read. */
struct listing {
	struct linkset	*out;
	const char	*extra;		/* extra allowed hosts, or NULL */
	char		*base;		/* canonical page URL */
	char		*host;		/* its host */
	char		*resolve;	/* <base href>, else NULL */
	char		*dir;		/* base up to the last '/' of its path */
	char		*stem;		/* "index" of .../index_2.html */
	char		*path;		/* base without its query */
	const char	*query;		/* base's query (in base), or "" */
	size_t		*slots;		/* hash of URL -> index + 1 in out */
	size_t		 nslots;	/* power of two */
	size_t		 anchors;	/* <a href> read so far */
	size_t		 generated;	/* pages made from scripts */
};

/* An element on the traversal stack. */
struct listing_frame {
	const GumboNode	*node;
	unsigned	 next;
};

struct listing_stack {
	struct listing_frame *v;
	size_t		 n;
	size_t		 cap;
};

static void	listing_walk(struct listing *, const GumboNode *, int);

/* ---- gumbo helpers ---- */

static int
listing_is_element(const GumboNode *n)
{
	return n != NULL && (n->type == GUMBO_NODE_ELEMENT ||
	    n->type == GUMBO_NODE_TEMPLATE);
}

static GumboTag
listing_tag(const GumboNode *n)
{
	return listing_is_element(n) ? n->v.element.tag : GUMBO_TAG_LAST;
}

static const char *
listing_attr(const GumboNode *n, const char *name)
{
	GumboAttribute *a;

	if (!listing_is_element(n))
		return NULL;
	a = gumbo_get_attribute(&n->v.element.attributes, name);
	return a != NULL ? a->value : NULL;
}

static const GumboVector *
listing_children(const GumboNode *n)
{
	if (n->type == GUMBO_NODE_DOCUMENT)
		return &n->v.document.children;
	if (listing_is_element(n))
		return &n->v.element.children;
	return NULL;
}

static void
listing_push(struct listing_stack *s, const GumboNode *n)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n].node = n;
	s->v[s->n].next = 0;
	s->n++;
}

/* Elements whose content is never link or row text. */
static int
listing_invisible(GumboTag t)
{
	return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE ||
	    t == GUMBO_TAG_TEMPLATE || t == GUMBO_TAG_NOSCRIPT ||
	    t == GUMBO_TAG_SELECT || t == GUMBO_TAG_TEXTAREA;
}

/* ---- text ---- */

/* Collapses whitespace while appending; stops quietly at the limit. */
struct listing_text {
	struct buf	 b;
	int		 space;
	int		 full;
};

static void
listing_text_init(struct listing_text *t, size_t max)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->b, max);
	buf_add(&t->b, "", 0);
}

static void
listing_text_add(struct listing_text *t, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0' && !t->full) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f') {
			t->space = 1;
			p++;
			continue;
		}
		if ((p[0] == 0xc2 && p[1] == 0xa0) ||
		    (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)) {
			t->space = 1;
			p += p[0] == 0xc2 ? 2 : 3;
			continue;
		}
		/* a whole code point or nothing, so the cap never splits one */
		if (*p < 0x80)
			n = 1;
		else if ((*p & 0xe0) == 0xc0)
			n = 2;
		else if ((*p & 0xf0) == 0xe0)
			n = 3;
		else
			n = 4;
		n = strnlen((const char *)p, n);
		if (t->space && t->b.len > 0 && buf_addc(&t->b, ' ') != 0) {
			t->full = 1;
			break;
		}
		t->space = 0;
		if (buf_add(&t->b, p, n) != 0) {
			t->full = 1;
			break;
		}
		p += n;
	}
}

/* A word break between text nodes (not written at the start). */
static void
listing_text_break(struct listing_text *t)
{
	t->space = 1;
}

/* The visible text of an element's subtree, whitespace collapsed. */
static char *
listing_node_text(const GumboNode *root, size_t max)
{
	struct listing_stack st;
	struct listing_text t;
	const GumboVector *kids;
	const GumboNode *n;
	size_t visited = 0;

	memset(&st, 0, sizeof st);
	listing_text_init(&t, max);
	listing_push(&st, root);
	while (st.n > 0 && !t.full && visited < 20000) {
		struct listing_frame *f = &st.v[st.n - 1];

		kids = listing_children(f->node);
		if (kids == NULL || f->next >= kids->length) {
			st.n--;
			continue;
		}
		n = kids->data[f->next++];
		visited++;
		if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
		    n->type == GUMBO_NODE_WHITESPACE)
			listing_text_add(&t, n->v.text.text);
		else if (listing_is_element(n)) {
			/* a nested link's text is its own */
			if (listing_invisible(listing_tag(n)) ||
			    listing_tag(n) == GUMBO_TAG_A)
				continue;
			if (listing_tag(n) == GUMBO_TAG_BR)
				listing_text_break(&t);
			listing_push(&st, n);
		}
	}
	free(st.v);
	return buf_detach(&t.b);
}

/* Whitespace-collapsed copy of an attribute value, capped. */
static char *
listing_collapse(const char *s, size_t max)
{
	struct listing_text t;

	listing_text_init(&t, max);
	listing_text_add(&t, s);
	return buf_detach(&t.b);
}

/* ---- titles ---- */

/* Look-alikes that are never the report itself (domain.md §4.3, §5.6). */
static const char *const listing_excluded[] = {
	"解读", "图解", "读懂", "看懂", "报表", "网站工作", "网站年度",
	"法治政府", "预算", "决算", "制度", "办法", "通知", "统计公报",
	"关于做好", "关于报送", "关于印发", "格式", "评估",
};
/* What the report is about... */
static const char *const listing_context[] = { "信息公开", "政务公开" };
/* ...and what it is. */
static const char *const listing_kind[] = {
	"年度报告", "年度工作报告", "年报", "公开工作报告",
};

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* The value of a Chinese numeral digit (〇 一 ... 九), or -1. */
static int
listing_han_digit(unsigned cp)
{
	static const unsigned digits[] = {
		0x3007, 0x4e00, 0x4e8c, 0x4e09, 0x56db, 0x4e94, 0x516d,
		0x4e03, 0x516b, 0x4e5d,
	};
	size_t i;

	if (cp == 0x96f6 || cp == 0x25cb || cp == 0x25ef)	/* 零 ○ ◯ */
		return 0;
	for (i = 0; i < NITEMS(digits); i++)
		if (cp == digits[i])
			return (int)i;
	return -1;
}

static int
listing_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The reporting year of a normalized title (full-width digits already
 * folded): of the years 2008..2099 written as four digits (or as 二〇二三)
 * and not part of a longer number or a date, the last one followed by
 * 年 before ctx (where 信息公开 starts), else the first followed by 年,
 * else the first.  0 when there is none.
 */
static int
listing_title_year(const char *s, const char *ctx)
{
	const char *p = s, *q, *r, *t, *start;
	int year, first = 0, first_nian = 0, before = 0, nian, d, i;
	unsigned cp;

	while (*p != '\0') {
		start = p;
		year = -1;
		if (listing_is_digit(*p) && (p == s || !listing_is_digit(p[-1]))) {
			for (q = p, year = 0; listing_is_digit(*q) && q - p < 5;
			    q++)
				year = year * 10 + (*q - '0');
			if (q - p != 4 || listing_is_digit(*q) ||
			    ((*q == '-' || *q == '/' || *q == '.') &&
			    listing_is_digit(q[1])))
				year = -1;
			p = q;
		} else {
			q = p;
			cp = label_utf8_next(&q);
			if (listing_han_digit(cp) >= 0) {
				/* 二〇二三年: four numerals, then 年 */
				for (i = 0, year = 0, t = p; i < 4; i++) {
					r = t;
					d = listing_han_digit(label_utf8_next(&r));
					if (d < 0)
						break;
					year = year * 10 + d;
					t = r;
				}
				if (i < 4 || strncmp(t, "年", 3) != 0)
					year = -1;
				p = year >= 0 ? t : q;
			} else
				p = q;
		}
		if (year < 2008 || year > 2099)
			continue;
		nian = strncmp(p, "年", 3) == 0;
		if (first == 0)
			first = year;
		if (nian && first_nian == 0)
			first_nian = year;
		if (nian && ctx != NULL && start < ctx)
			before = year;
	}
	if (before != 0)
		return before;
	return first_nian != 0 ? first_nian : first;
}

/* 1: a report title; 0: not one; -1: a look-alike (解读, 报表, ...). */
static int
listing_title_verdict(const char *title, int *year)
{
	char *n;
	const char *ctx = NULL, *c;
	size_t i;
	int kind = 0, rc = 0;

	*year = 0;
	if (title == NULL || *title == '\0')
		return 0;
	n = label_norm(title);
	for (i = 0; i < NITEMS(listing_excluded); i++) {
		if (strstr(n, listing_excluded[i]) != NULL) {
			rc = -1;
			goto out;
		}
	}
	for (i = 0; i < NITEMS(listing_context); i++) {
		c = strstr(n, listing_context[i]);
		if (c != NULL && (ctx == NULL || c < ctx))
			ctx = c;
	}
	for (i = 0; i < NITEMS(listing_kind); i++)
		kind |= strstr(n, listing_kind[i]) != NULL;
	if (ctx == NULL || !kind)
		goto out;
	*year = listing_title_year(n, ctx);
	rc = *year != 0;
out:
	free(n);
	return rc;
}

int
listing_is_report_title(const char *title, int *year)
{
	int y, rc;

	rc = listing_title_verdict(title, &y) == 1;
	if (year != NULL)
		*year = rc ? y : 0;
	return rc;
}

/* ---- the link set ---- */

static uint64_t
listing_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot of url: where it is, or the empty one where it would go. */
static size_t
listing_slot(const struct listing *l, const char *url)
{
	size_t i = (size_t)listing_hash(url) & (l->nslots - 1);

	while (l->slots[i] != 0 &&
	    strcmp(l->out->v[l->slots[i] - 1].url, url) != 0)
		i = (i + 1) & (l->nslots - 1);
	return i;
}

static int
listing_has(const struct listing *l, const char *url)
{
	return l->nslots != 0 && l->slots[listing_slot(l, url)] != 0;
}

/* Adds a link unless its URL is there already; takes url and text. */
static void
listing_add(struct listing *l, enum link_kind kind, char *url, char *text,
    int year, const char *date)
{
	struct linkset *ls = l->out;
	struct link *k;
	size_t i, old;

	if (listing_has(l, url)) {
		free(url);
		free(text);
		return;
	}
	if ((ls->n + 1) * 2 > l->nslots) {
		old = l->nslots;
		l->nslots = old ? old * 2 : 64;
		free(l->slots);
		l->slots = xcalloc(l->nslots, sizeof *l->slots);
		for (i = 0; i < ls->n; i++)
			l->slots[listing_slot(l, ls->v[i].url)] = i + 1;
	}
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 32;
		ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
	}
	k = &ls->v[ls->n++];
	k->kind = kind;
	k->url = url;
	k->text = text != NULL ? text : xstrdup("");
	k->year = kind == LINK_REPORT ? year : 0;
	k->date = date != NULL && *date != '\0' ? xstrdup(date) : NULL;
	l->slots[listing_slot(l, url)] = ls->n;
}

void
linkset_release(struct linkset *ls)
{
	size_t i;

	if (ls == NULL)
		return;
	for (i = 0; i < ls->n; i++) {
		free(ls->v[i].url);
		free(ls->v[i].text);
		free(ls->v[i].date);
	}
	free(ls->v);
	memset(ls, 0, sizeof *ls);
}

/* ---- URL shapes ---- */

/* The path of an absolute URL (from its first '/' after the host). */
static const char *
listing_url_path(const char *url, size_t *len)
{
	const char *p = strstr(url, "://"), *q;

	p = p != NULL ? p + 3 : url;
	q = strchr(p, '/');
	if (q == NULL)
		q = p + strlen(p);
	*len = strcspn(q, "?#");
	return q;
}

/* The file name of a URL's path (after the last '/'). */
static const char *
listing_url_file(const char *url, size_t *len)
{
	size_t plen, i;
	const char *p = listing_url_path(url, &plen);

	for (i = plen; i > 0 && p[i - 1] != '/'; i--)
		;
	*len = plen - i;
	return p + i;
}

static int
listing_ends(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

static int
listing_is_attachment(const char *url)
{
	static const char *const exts[] = {
		".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et",
		".ofd", ".zip", ".rar",
	};
	size_t len, i;
	const char *p = listing_url_path(url, &len);

	for (i = 0; i < NITEMS(exts); i++)
		if (listing_ends(p, len, exts[i]))
			return 1;
	return 0;
}

/* Whether s[0..len) starts with prefix and continues with digits. */
static int
listing_prefix_digits(const char *s, size_t len, const char *prefix,
    size_t ndigits)
{
	size_t n = strlen(prefix), i;

	if (len < n + ndigits || strncmp(s, prefix, n) != 0)
		return 0;
	for (i = 0; i < ndigits; i++)
		if (!listing_is_digit(s[n + i]))
			return 0;
	return 1;
}

/*
 * Article URLs of the CMS families of domain.md §5.1 (art_..., tYYYYMMDD_,
 * post_, content_, doc_): a link to one is never another listing page,
 * whatever its text says.
 */
static int
listing_looks_article(const char *url)
{
	size_t len;
	const char *f = listing_url_file(url, &len);

	return listing_prefix_digits(f, len, "art_", 1) ||
	    (listing_prefix_digits(f, len, "t", 8) && len > 9 && f[9] == '_') ||
	    listing_prefix_digits(f, len, "post_", 1) ||
	    listing_prefix_digits(f, len, "content_", 1) ||
	    listing_prefix_digits(f, len, "doc_", 1);
}

/* stem.html, stem_N.html (.shtml, .htm) in the base's directory. */
static int
listing_is_sibling(const struct listing *l, const char *url)
{
	static const char *const exts[] = { ".html", ".shtml", ".htm" };
	size_t dlen = strlen(l->dir), slen = strlen(l->stem), flen, i;
	const char *f, *dot;

	if (strncmp(url, l->dir, dlen) != 0)
		return 0;
	f = url + dlen;
	flen = strlen(f);
	if (strcspn(f, "/?#") != flen || strncmp(f, l->stem, slen) != 0)
		return 0;
	if ((dot = strrchr(f, '.')) == NULL)
		return 0;
	for (i = 0; i < NITEMS(exts); i++)
		if (strcasecmp(dot, exts[i]) == 0)
			break;
	if (i == NITEMS(exts))
		return 0;
	f += slen;
	if (f == dot)
		return 1;
	if (*f++ != '_' || f == dot)
		return 0;
	for (; f < dot; f++)
		if (!listing_is_digit(*f))
			return 0;
	return 1;
}

/* Whether a query parameter (name=value, len bytes) numbers a page. */
static int
listing_is_page_param(const char *p, size_t len)
{
	static const char *const names[] = {
		"page", "pageno", "pagenum", "pageindex", "curpage",
		"currentpage",
	};
	const char *eq = memchr(p, '=', len);
	size_t i, n;

	if (eq == NULL || eq + 1 == p + len)
		return 0;
	n = (size_t)(eq - p);
	for (i = eq + 1 - p; i < len; i++)
		if (!listing_is_digit(p[i]))
			return 0;
	for (i = 0; i < NITEMS(names); i++)
		if (strlen(names[i]) == n && strncasecmp(p, names[i], n) == 0)
			return 1;
	return 0;
}

/* Whether query q holds the parameter p (len bytes) exactly. */
static int
listing_query_has(const char *q, const char *p, size_t len)
{
	size_t n;

	while (*q != '\0') {
		n = strcspn(q, "&");
		if (n == len && strncmp(q, p, n) == 0)
			return 1;
		q += n;
		if (*q == '&')
			q++;
	}
	return 0;
}

/*
 * ?page=N (pageNo, pageNum, ...) on the base's path, keeping every other
 * parameter the base has: the same listing, another page.
 */
static int
listing_is_query_page(const struct listing *l, const char *url)
{
	size_t plen = strlen(l->path), n;
	const char *q, *p;
	int paged = 0;

	if (strncmp(url, l->path, plen) != 0 || url[plen] != '?')
		return 0;
	q = url + plen + 1;
	for (p = q; *p != '\0'; p += *p == '&') {
		n = strcspn(p, "&");
		paged |= listing_is_page_param(p, n);
		p += n;
	}
	if (!paged)
		return 0;
	for (p = l->query; *p != '\0'; p += *p == '&') {
		n = strcspn(p, "&");
		if (n > 0 && !listing_is_page_param(p, n) &&
		    !listing_query_has(q, p, n))
			return 0;
		p += n;
	}
	return 1;
}

/* Han characters and ASCII letters and digits of s, the rest dropped. */
static void
listing_squeeze(const char *s, char *out, size_t size)
{
	size_t n = 0;
	const char *p = s, *q;
	unsigned cp;

	while (*p != '\0') {
		q = p;
		cp = label_utf8_next(&p);
		if ((cp < 0x80 && ((cp >= '0' && cp <= '9') ||
		    ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))) ||
		    label_is_han(cp)) {
			if (n + (size_t)(p - q) >= size)
				break;
			memcpy(out + n, q, (size_t)(p - q));
			n += (size_t)(p - q);
		}
	}
	out[n] = '\0';
}

/* Whether an ancestor near n is a pager (class or id says so). */
static int
listing_in_pager(const GumboNode *n)
{
	static const char *const words[] = { "pag", "fenye" };
	const char *v[2];
	int up, i;
	size_t w;

	for (up = 0, n = n->parent; n != NULL && up < LISTING_PAGER_UP;
	    up++, n = n->parent) {
		v[0] = listing_attr(n, "class");
		v[1] = listing_attr(n, "id");
		for (i = 0; i < 2; i++) {
			if (v[i] == NULL)
				continue;
			for (w = 0; w < NITEMS(words); w++)
				if (strcasestr(v[i], words[w]) != NULL)
					return 1;
		}
	}
	return 0;
}

/* Whether a link (not a report) leads to another page of the listing. */
static int
listing_is_page(const struct listing *l, const char *url, const char *text,
    const GumboNode *a)
{
	static const char *const pager[] = {
		"下一页", "下页", "上一页", "上页", "尾页", "末页", "最后一页",
		"后页", "前页",
	};
	char sq[64];
	size_t i;

	if (listing_looks_article(url))
		return 0;
	if (listing_is_sibling(l, url) || listing_is_query_page(l, url))
		return 1;
	listing_squeeze(text, sq, sizeof sq);
	for (i = 0; i < NITEMS(pager); i++)
		if (strcmp(sq, pager[i]) == 0)
			return 1;
	if (sq[0] == '\0' || !listing_in_pager(a))
		return 0;
	if (strcmp(sq, "首页") == 0)
		return 1;
	for (i = 0; sq[i] != '\0'; i++)
		if (!listing_is_digit(sq[i]) || i >= 4)
			return 0;
	return 1;
}

/* ---- dates beside a link ---- */

/* The first date in text, as YYYY-MM-DD into out; -1 if none. */
static int
listing_find_date(const char *text, char out[DATE_MAX])
{
	const unsigned char *p = (const unsigned char *)text;
	char d[DATE_MAX];
	int prev_digit = 0, digit;

	for (; *p != '\0'; p++) {
		digit = listing_is_digit((char)*p) || (p[0] == 0xef &&
		    p[1] == 0xbc && p[2] >= 0x90 && p[2] <= 0x99);
		if (digit && !prev_digit &&
		    date_parse((const char *)p, d, NULL) == 0) {
			memcpy(out, d, 10);
			out[10] = '\0';
			return 0;
		}
		/* continuation bytes of a full-width digit keep the state */
		if ((*p & 0xc0) != 0x80)
			prev_digit = digit;
	}
	out[0] = '\0';
	return -1;
}

/*
 * Appends the text of n's subtree (skip excepted) to t within a node
 * budget.  Returns -1 when the walk met another <a> and stop_at_link is
 * set, else 0.
 */
static int
listing_gather(struct listing_text *t, const GumboNode *n,
    const GumboNode *skip, int stop_at_link, size_t *budget)
{
	struct listing_stack st;
	const GumboVector *kids;
	const GumboNode *c;
	int rc = 0;

	if (n == skip)
		return 0;
	if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
		listing_text_break(t);
		listing_text_add(t, n->v.text.text);
		return 0;
	}
	if (!listing_is_element(n) || listing_invisible(listing_tag(n)))
		return 0;
	if (stop_at_link && listing_tag(n) == GUMBO_TAG_A)
		return -1;
	memset(&st, 0, sizeof st);
	listing_push(&st, n);
	while (st.n > 0 && *budget > 0 && !t->full) {
		struct listing_frame *f = &st.v[st.n - 1];

		kids = listing_children(f->node);
		if (kids == NULL || f->next >= kids->length) {
			st.n--;
			continue;
		}
		c = kids->data[f->next++];
		(*budget)--;
		if (c == skip)
			continue;
		if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA) {
			listing_text_break(t);
			listing_text_add(t, c->v.text.text);
		} else if (listing_is_element(c) &&
		    !listing_invisible(listing_tag(c))) {
			if (stop_at_link && listing_tag(c) == GUMBO_TAG_A) {
				rc = -1;
				break;
			}
			listing_push(&st, c);
		}
	}
	free(st.v);
	return rc;
}

/*
 * The date shown next to link a: in the text of its row (the nearest
 * <li>, <tr>, <dd> or <dt> a few levels up), else in its siblings up to
 * the neighbouring links, after it first.
 */
static int
listing_date(const GumboNode *a, char out[DATE_MAX])
{
	struct listing_text t;
	const GumboNode *n, *row = NULL, *parent = a->parent;
	const GumboVector *kids;
	size_t budget = LISTING_DATE_NODES, i, at;
	int up, rc;
	GumboTag tag;

	for (up = 0, n = a->parent; n != NULL && up < LISTING_ROW_UP;
	    up++, n = n->parent) {
		tag = listing_tag(n);
		if (tag == GUMBO_TAG_LI || tag == GUMBO_TAG_TR ||
		    tag == GUMBO_TAG_DD || tag == GUMBO_TAG_DT) {
			row = n;
			break;
		}
		if (tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL ||
		    tag == GUMBO_TAG_TABLE || tag == GUMBO_TAG_BODY)
			break;
	}
	listing_text_init(&t, LISTING_DATE_TEXT);
	if (row != NULL) {
		listing_gather(&t, row, a, 0, &budget);
		rc = listing_find_date(t.b.data, out);
		tag = listing_tag(row);
		if (rc == 0 || (tag != GUMBO_TAG_DT && tag != GUMBO_TAG_DD)) {
			buf_release(&t.b);
			return rc;
		}
		/* <dt><a>title</a></dt><dd>date</dd>: the term's siblings */
		a = row;
		parent = row->parent;
		buf_reset(&t.b);
	}
	if (parent == NULL || (kids = listing_children(parent)) == NULL) {
		buf_release(&t.b);
		out[0] = '\0';
		return -1;
	}
	at = a->index_within_parent;
	for (i = at + 1; i < kids->length && budget > 0; i++)
		if (listing_gather(&t, kids->data[i], a, 1, &budget) != 0)
			break;
	rc = listing_find_date(t.b.data, out);
	if (rc != 0) {
		/*
		 * Before the link, only when it is the first link of its
		 * parent: between two links a date belongs to the one
		 * before it ("link date link date").
		 */
		buf_reset(&t.b);
		for (i = at; i > 0 && budget > 0; i--)
			if (listing_gather(&t, kids->data[i - 1], a, 1,
			    &budget) != 0)
				break;
		if (i == 0)
			rc = listing_find_date(t.b.data, out);
	}
	buf_release(&t.b);
	return rc;
}

/* ---- links ---- */

/* Reads one <a href>. */
static void
listing_anchor(struct listing *l, const GumboNode *a)
{
	const char *href, *title;
	char *url, *text = NULL, *t2 = NULL, date[DATE_MAX];
	int year = 0, y2, v;

	if ((href = listing_attr(a, "href")) == NULL)
		return;
	if (l->anchors >= LISTING_MAX_LINKS)
		return;
	l->anchors++;
	while (*href == ' ' || *href == '\t' || *href == '\n' || *href == '\r')
		href++;
	if (*href == '#' || *href == '\0')
		return;
	url = url_resolve(l->resolve != NULL ? l->resolve : l->base, href);
	if (url == NULL)
		return;		/* javascript:, mailto:, garbage */
	if (strcmp(url, l->base) == 0 || listing_has(l, url)) {
		free(url);
		return;
	}
	if (!url_host_allowed(url, l->host, l->extra)) {
		l->out->offhost++;
		free(url);
		return;
	}

	text = listing_node_text(a, LISTING_MAX_TEXT);
	v = listing_title_verdict(text, &year);
	if (v == 0 && (title = listing_attr(a, "title")) != NULL) {
		/* link texts are often cut short; the title has it all */
		t2 = listing_collapse(title, LISTING_MAX_TEXT);
		if (listing_title_verdict(t2, &y2) == 1) {
			free(text);
			text = t2;
			t2 = NULL;
			year = y2;
			v = 1;
		}
	}
	if (v == 1) {
		listing_date(a, date);
		listing_add(l, LINK_REPORT, url, text, year, date);
	} else if (listing_is_attachment(url)) {
		listing_date(a, date);
		listing_add(l, LINK_ATTACHMENT, url, text, 0, date);
	} else if (listing_is_page(l, url, text, a))
		listing_add(l, LINK_PAGE, url, text, 0, NULL);
	else {
		free(url);
		free(text);
	}
	free(t2);
}

/* ---- scripts ---- */

/* A name or extension a pager script may pass: [A-Za-z0-9_-]{1,32}. */
static int
listing_safe_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 32)
		return 0;
	for (i = 0; i < len; i++)
		if (!listing_is_digit(s[i]) && !((s[i] | 0x20) >= 'a' &&
		    (s[i] | 0x20) <= 'z') && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

struct listing_arg {
	int		 kind;		/* 'n' number, 's' string, '?' other */
	long		 n;
	const char	*s;
	size_t		 len;
};

/*
 * Reads the arguments of a call at p (just after the '('), at most max;
 * returns how many.
 */
static int
listing_args(const char *p, struct listing_arg *args, int max)
{
	int n = 0;
	const char *q;
	char quote;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == ')' || *p == '\0' || n == max)
			return n;
		args[n].kind = '?';
		if (*p == '"' || *p == '\'') {
			quote = *p++;
			q = p;
			while (*q != '\0' && *q != quote && *q != '\n' &&
			    q - p < 64)
				q++;
			if (*q != quote)
				return n;
			args[n].kind = 's';
			args[n].s = p;
			args[n].len = (size_t)(q - p);
			p = q + 1;
		} else if (listing_is_digit(*p)) {
			args[n].n = 0;
			for (q = p; listing_is_digit(*q) && q - p < 9; q++)
				args[n].n = args[n].n * 10 + (*q - '0');
			args[n].kind = listing_is_digit(*q) ? '?' : 'n';
			p = q;
		}
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		/* the rest of the argument, whatever it is */
		while (*p != ',' && *p != ')' && *p != '\0') {
			args[n].kind = '?';
			p++;
		}
		n++;
		if (*p != ',')
			return n;
		p++;
	}
}

/*
 * TRS pagers: createPageHTML(PAGE_COUNT, PAGE_INDEX, "index", "html"
 * [, ...]), some templates with a container id first.  Pages are 0-based:
 * index.html, index_1.html ... index_{N-1}.html; all but the current one
 * are added.
 */
static void
listing_trs_pager(struct listing *l, const char *script)
{
	static const char fn[] = "createPageHTML";
	struct listing_arg args[8];
	const char *p;
	char *name, *url;
	long count, cur, k;
	int n, i;

	for (p = strstr(script, fn); p != NULL; p = strstr(p, fn)) {
		p += sizeof fn - 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '(')
			continue;
		n = listing_args(p + 1, args, NITEMS(args));
		for (i = 0; i + 3 < n; i++)
			if (args[i].kind == 'n' && args[i + 1].kind == 'n' &&
			    args[i + 2].kind == 's' && args[i + 3].kind == 's')
				break;
		if (i + 3 >= n || !listing_safe_name(args[i + 2].s,
		    args[i + 2].len) || !listing_safe_name(args[i + 3].s,
		    args[i + 3].len))
			continue;
		count = args[i].n;
		cur = args[i + 1].n;
		for (k = 0; k < count && k < LISTING_MAX_PAGES &&
		    l->generated < LISTING_MAX_PAGES; k++) {
			if (k == cur)
				continue;
			if (k == 0)
				xasprintf(&name, "%.*s.%.*s",
				    (int)args[i + 2].len, args[i + 2].s,
				    (int)args[i + 3].len, args[i + 3].s);
			else
				xasprintf(&name, "%.*s_%ld.%.*s",
				    (int)args[i + 2].len, args[i + 2].s, k,
				    (int)args[i + 3].len, args[i + 3].s);
			url = url_resolve(l->base, name);
			free(name);
			if (url == NULL || strcmp(url, l->base) == 0 ||
			    !url_host_allowed(url, l->host, l->extra)) {
				free(url);
				continue;
			}
			l->generated++;
			listing_add(l, LINK_PAGE, url, NULL, 0, NULL);
		}
	}
}


/*
 * Hanweb column pages: the records of the first page are HTML fragments
 * in <record><![CDATA[...]]></record> inside a script.  They are joined,
 * parsed and walked (not searched for scripts again).
 */
static void
listing_hanweb_records(struct listing *l, const char *script)
{
	static const char open[] = "<![CDATA[", close[] = "]]>";
	GumboOptions opts = kGumboDefaultOptions;
	GumboOutput *g;
	struct buf b;
	const char *p, *e;
	char *why = NULL;

	if (strstr(script, "<record") == NULL)
		return;
	buf_init(&b, LISTING_MAX_RECORDS);
	for (p = strstr(script, open); p != NULL; p = strstr(e, open)) {
		p += sizeof open - 1;
		if ((e = strstr(p, close)) == NULL)
			break;
		if (buf_add(&b, p, (size_t)(e - p)) != 0 ||
		    buf_addc(&b, '\n') != 0)
			break;
	}
	if (b.len > 0 && html_guard(b.data, b.len, &why) == 0) {
		opts.max_errors = 0;
		g = gumbo_parse_with_options(&opts, b.data, b.len);
		if (g != NULL) {
			listing_walk(l, g->root, 1);
			gumbo_destroy_output(&opts, g);
		}
	}
	free(why);		/* records nested too deeply are left out */
	buf_release(&b);
}

/* The text of a <script> (its one text child), or NULL. */
static const char *
listing_script_text(const GumboNode *n)
{
	const GumboVector *kids = listing_children(n);
	const GumboNode *c;

	if (kids == NULL || kids->length == 0)
		return NULL;
	c = kids->data[0];
	if (c->type != GUMBO_NODE_TEXT && c->type != GUMBO_NODE_CDATA &&
	    c->type != GUMBO_NODE_WHITESPACE)
		return NULL;
	return c->v.text.text;
}

/* ---- the walk ---- */

/* Every element of the tree in document order; nested: a record tree. */
static void
listing_walk(struct listing *l, const GumboNode *root, int nested)
{
	struct listing_stack st;
	const GumboVector *kids;
	const GumboNode *n;
	const char *s;
	GumboTag tag;

	memset(&st, 0, sizeof st);
	listing_push(&st, root);
	while (st.n > 0) {
		struct listing_frame *f = &st.v[st.n - 1];

		kids = listing_children(f->node);
		if (kids == NULL || f->next >= kids->length) {
			st.n--;
			continue;
		}
		n = kids->data[f->next++];
		if (!listing_is_element(n))
			continue;
		tag = listing_tag(n);
		/*
		 * Links do nest in gumbo's tree when a stray unclosed <a>
		 * precedes a layout table (table cells are markers for the
		 * adoption agency): read the inner ones too.
		 */
		if (tag == GUMBO_TAG_A)
			listing_anchor(l, n);
		if (tag == GUMBO_TAG_BASE && l->resolve == NULL && !nested &&
		    (s = listing_attr(n, "href")) != NULL)
			l->resolve = url_resolve(l->base, s);
		if (tag == GUMBO_TAG_SCRIPT) {
			if ((s = listing_script_text(n)) != NULL) {
				listing_trs_pager(l, s);
				if (!nested)
					listing_hanweb_records(l, s);
			}
			continue;
		}
		if (tag == GUMBO_TAG_STYLE)
			continue;
		listing_push(&st, n);
	}
	free(st.v);
}

/* ---- the reader ---- */

/* Splits the canonical base into what the page rules compare with. */
static void
listing_base_parts(struct listing *l)
{
	size_t plen, flen, n;
	const char *path = listing_url_path(l->base, &plen), *file, *q, *dot;

	l->path = xstrndup(l->base, (size_t)(path - l->base) + plen);
	q = strchr(l->base, '?');
	l->query = q != NULL ? q + 1 : "";
	file = listing_url_file(l->base, &flen);
	l->dir = xstrndup(l->base, (size_t)(file - l->base));
	if (flen == 0) {
		l->stem = xstrdup("index");
		return;
	}
	dot = memchr(file, '.', flen);
	n = dot != NULL ? (size_t)(dot - file) : flen;
	l->stem = xstrndup(file, n);
	/* index_3 -> index */
	for (q = l->stem + n; q > l->stem && listing_is_digit(q[-1]); q--)
		;
	if (q > l->stem + 1 && q < l->stem + n && q[-1] == '_')
		l->stem[q - 1 - l->stem] = '\0';
}

/* Whether raw bytes are something other than a page (PDF, ZIP, binary). */
static int
listing_binary(const char *buf, size_t len)
{
	size_t n = len < 8192 ? len : 8192;

	if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0)
		return 1;
	if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0)
		return 1;
	if (len >= 2 && ((unsigned char)buf[0] == 0xff ||
	    (unsigned char)buf[0] == 0xfe))
		return 0;	/* UTF-16 with a BOM: NULs are expected */
	return memchr(buf, '\0', n) != NULL;
}

int
listing_read(const char *buf, size_t len, const char *http_charset,
    const char *base_url, const char *extra_hosts, struct linkset *out,
    char **cause)
{
	GumboOptions opts = kGumboDefaultOptions;
	GumboOutput *g = NULL;
	struct listing l;
	char *utf8 = NULL, *why = NULL;
	size_t ulen;
	const char *used, *from;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&l, 0, sizeof l);
	l.out = out;
	l.extra = extra_hosts;
	if (base_url == NULL ||
	    (l.base = url_resolve(base_url, base_url)) == NULL ||
	    (l.host = url_host(l.base)) == NULL) {
		xasprintf(cause, "base URL \"%.200s\" is not an http(s) URL",
		    base_url != NULL ? base_url : "(null)");
		goto out;
	}
	if (buf == NULL || len == 0) {
		xasprintf(cause, "%s: empty page", l.base);
		goto out;
	}
	if (len > PARSE_MAX_INPUT) {
		xasprintf(cause, "%s: %zu bytes is larger than the limit of %u",
		    l.base, len, PARSE_MAX_INPUT);
		goto out;
	}
	if (listing_binary(buf, len)) {
		xasprintf(cause, "%s: binary data, not an HTML page", l.base);
		goto out;
	}
	if (charset_decode(buf, len, http_charset, 1, &utf8, &ulen, &used,
	    &from, cause) != 0)
		goto out;
	if (html_guard(utf8, ulen, &why) != 0) {
		xasprintf(cause, "%s: %s", l.base, why);
		free(why);
		goto out;
	}
	listing_base_parts(&l);
	/* parse errors are not used: do not let gumbo record them */
	opts.max_errors = 0;
	g = gumbo_parse_with_options(&opts, utf8, ulen);
	if (g == NULL || g->root == NULL) {
		xasprintf(cause, "%s: the HTML parser failed", l.base);
		goto out;
	}
	listing_walk(&l, g->document, 0);
	rc = 0;
out:
	if (g != NULL)
		gumbo_destroy_output(&opts, g);
	if (rc != 0)
		linkset_release(out);
	free(utf8);
	free(l.base);
	free(l.host);
	free(l.resolve);
	free(l.dir);
	free(l.stem);
	free(l.path);
	free(l.slots);
	return rc;
}
