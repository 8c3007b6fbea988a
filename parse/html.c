/*
 * HTML reader: a report page (UTF-8 already) through gumbo into a document
 * (doc.h) of paragraphs, table grids and images in reading order, plus the
 * page metadata (title, the 政府网站 meta tags, the publication date).
 *
 * Three passes over the tree, all iterative so that nesting depth cannot
 * exhaust the stack:
 *   1. html_scan()    the whole page once: metadata, the page text (for the
 *                     on-page date), the content-container candidates and
 *                     per-element counts (Han characters, tables) kept in a
 *                     small hash table;
 *   2. html_container() the element whose content is the report: a known
 *                     CMS container (#zoom, .TRS_Editor, ...) or else the
 *                     densest block found from those counts;
 *   3. html_walk()    the container's content into blocks.  Every <p>,
 *                     <div>, <li>, heading and <br> line is its own block;
 *                     inline elements join without spaces, since Word HTML
 *                     splits labels and numbers over <span>s.  A data table
 *                     becomes a grid with rowspan and colspan expanded; a
 *                     layout table (one holding the whole page) is read as
 *                     plain blocks.
 *
 * Hostile markup is bounded: gumbo is not even called on nesting deep
 * enough to make it quadratic, spans and grids are capped, and text
 * duplicated into span copies has a budget.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gumbo.h>

#include "buf.h"
#include "date.h"
#include "label.h"
#include "parse.h"
#include "xmalloc.h"

#define HTML_MAX_SPAN		1000	/* rowspan / colspan cap */
#define HTML_MAX_COLS		1000	/* columns of one table */
#define HTML_MAX_TABLE_CELLS	200000	/* grid cells of one table */
#define HTML_MAX_DOC_CELLS	2000000	/* grid cells of all tables */
#define HTML_MAX_COPY_TEXT	(32u * 1024 * 1024) /* text in span copies */
#define HTML_MAX_BLOCKS		200000
#define HTML_MAX_DEPTH		5000	/* element nesting refused beyond */
#define HTML_LAYOUT_HAN		500	/* a cell this long is page layout */
#define HTML_LAYOUT_ROWS	5	/* as is one holding a table this long */
#define HTML_CONTAINER_HAN	10	/* a named container must have text */
#define HTML_ICON_PX		32	/* smaller images are icons */

/* Counts of one element's subtree, page chrome (nav, footer) excluded. */
struct html_stat {
	const GumboNode	*node;
	unsigned	 han;		/* Han characters */
	unsigned	 tables;	/* <table>s below the element */
	unsigned	 trs;		/* <tr>s below the element */
	unsigned	 maxrows;	/* most <tr>s of one table below it */
};

/* Open-addressing map from element to its counts; NULL node = empty. */
struct html_stats {
	struct html_stat *v;
	size_t		  n;
	size_t		  cap;		/* power of two */
};

/* Known content containers, the most specific first. */
static const struct {
	char		 kind;		/* '#' id, '.' class */
	const char	*name;
	int		 generic;	/* also used for page chrome */
} html_containers[] = {
	{ '#', "zoom", 0 },
	{ '.', "TRS_Editor", 0 },
	{ '.', "trs_editor_view", 0 },
	{ '#', "UCAP-CONTENT", 0 },
	{ '.', "pages_content", 0 },
	{ '.', "article-content", 0 },
	{ '#', "ivs_content", 0 },
	{ '.', "Custom_UnionStyle", 0 },
	{ '#', "vsb_content", 0 },
	{ '.', "wp_articlecontent", 0 },
	{ '#', "content", 1 },
	{ '.', "content", 1 },
	{ '.', "article", 1 },
	{ '#', "article", 1 },
};
#define HTML_NCONTAINERS (sizeof html_containers / sizeof html_containers[0])

/* A paragraph being collected. */
struct html_para {
	struct buf	 text;
	int		 space;		/* whitespace seen, not yet written */
	int		 newline;	/* ... and it held a line break */
	unsigned	 last;		/* last code point written */
	int		 line;		/* source line of the first text */
};

/* Where html_walk() puts paragraphs: the document, or one table cell. */
struct html_sink {
	int		 cell;		/* 1: collecting a cell's text */
	struct buf	 lines;		/* cell: finished lines, '\n'-joined */
	int		 images;	/* cell: an <img> inside */
	int		 pre;		/* inside <pre>: line breaks kept */
	struct html_para para;
};

struct html {
	struct doc	*doc;
	struct html_stats stats;
	struct buf	 page;		/* all page text, for the date */
	int		 page_space;
	const GumboNode	*body;
	const GumboNode	*match[HTML_NCONTAINERS];
	int		 next_id;	/* cell ids, unique in the document */
	size_t		 cells;		/* grid cells emitted so far */
	size_t		 copy_text;	/* bytes of text in span copies */
	int		 full;		/* block limit reached */
};

/* An element on an explicit traversal stack. */
struct html_frame {
	const GumboNode	*node;
	unsigned	 next;		/* next child to visit */
	int		 chrome;	/* inside nav/header/footer/aside */
	int		 hidden;	/* inside <head>: no page text */
	struct html_stat acc;		/* scan: counts of the children */
};

struct html_stack {
	struct html_frame *v;
	size_t		   n;
	size_t		   cap;
};

static void	html_walk(struct html *, const GumboNode *, struct html_sink *);

/* ---- small helpers ---- */

static int
html_is_element(const GumboNode *n)
{
	return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
}

static GumboTag
html_tag(const GumboNode *n)
{
	return html_is_element(n) ? n->v.element.tag : GUMBO_TAG_LAST;
}

static const char *
html_attr(const GumboNode *n, const char *name)
{
	GumboAttribute *a;

	if (!html_is_element(n))
		return NULL;
	a = gumbo_get_attribute(&n->v.element.attributes, name);
	return a != NULL ? a->value : NULL;
}

static struct html_frame *
html_push(struct html_stack *s, const GumboNode *n)
{
	struct html_frame *f;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	f = &s->v[s->n++];
	memset(f, 0, sizeof *f);
	f->node = n;
	return f;
}

/* Elements whose content is never page text. */
static int
html_invisible(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_HEAD:
	case GUMBO_TAG_SCRIPT:
	case GUMBO_TAG_STYLE:
	case GUMBO_TAG_NOSCRIPT:
	case GUMBO_TAG_TEMPLATE:
	case GUMBO_TAG_TITLE:
	case GUMBO_TAG_SELECT:
	case GUMBO_TAG_DATALIST:
	case GUMBO_TAG_TEXTAREA:
	case GUMBO_TAG_IFRAME:
	case GUMBO_TAG_OBJECT:
	case GUMBO_TAG_EMBED:
	case GUMBO_TAG_APPLET:
	case GUMBO_TAG_NOEMBED:
	case GUMBO_TAG_NOFRAMES:
	case GUMBO_TAG_SVG:
	case GUMBO_TAG_MATH:
	case GUMBO_TAG_CANVAS:
	case GUMBO_TAG_AUDIO:
	case GUMBO_TAG_VIDEO:
		return 1;
	default:
		return 0;
	}
}

/* Page chrome: not counted when looking for the content, not read. */
static int
html_chrome(GumboTag t)
{
	return t == GUMBO_TAG_NAV || t == GUMBO_TAG_FOOTER ||
	    t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_HEADER;
}

/* Elements that end the paragraph before them and start a new one after. */
static int
html_block(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_ADDRESS:
	case GUMBO_TAG_ARTICLE:
	case GUMBO_TAG_ASIDE:
	case GUMBO_TAG_BLOCKQUOTE:
	case GUMBO_TAG_BODY:
	case GUMBO_TAG_CAPTION:
	case GUMBO_TAG_CENTER:
	case GUMBO_TAG_DD:
	case GUMBO_TAG_DETAILS:
	case GUMBO_TAG_DIR:
	case GUMBO_TAG_DIV:
	case GUMBO_TAG_DL:
	case GUMBO_TAG_DT:
	case GUMBO_TAG_FIELDSET:
	case GUMBO_TAG_FIGCAPTION:
	case GUMBO_TAG_FIGURE:
	case GUMBO_TAG_FOOTER:
	case GUMBO_TAG_FORM:
	case GUMBO_TAG_H1:
	case GUMBO_TAG_H2:
	case GUMBO_TAG_H3:
	case GUMBO_TAG_H4:
	case GUMBO_TAG_H5:
	case GUMBO_TAG_H6:
	case GUMBO_TAG_HEADER:
	case GUMBO_TAG_HGROUP:
	case GUMBO_TAG_HR:
	case GUMBO_TAG_HTML:
	case GUMBO_TAG_LEGEND:
	case GUMBO_TAG_LI:
	case GUMBO_TAG_LISTING:
	case GUMBO_TAG_MAIN:
	case GUMBO_TAG_MENU:
	case GUMBO_TAG_NAV:
	case GUMBO_TAG_OL:
	case GUMBO_TAG_P:
	case GUMBO_TAG_PLAINTEXT:
	case GUMBO_TAG_PRE:
	case GUMBO_TAG_SECTION:
	case GUMBO_TAG_SUMMARY:
	case GUMBO_TAG_TABLE:
	case GUMBO_TAG_TBODY:
	case GUMBO_TAG_TD:
	case GUMBO_TAG_TFOOT:
	case GUMBO_TAG_TH:
	case GUMBO_TAG_THEAD:
	case GUMBO_TAG_TR:
	case GUMBO_TAG_UL:
	case GUMBO_TAG_XMP:
		return 1;
	default:
		return 0;
	}
}

static int
html_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Characters between which a source line break is not a space (CSS). */
static int
html_wide(unsigned cp)
{
	return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xf900 &&
	    cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	    (cp >= 0xff00 && cp <= 0xffef) || (cp >= 0x20000 && cp <= 0x3ffff);
}

/*
 * Number of Han characters in s.  Hot (every text node of the page), so
 * the three-byte sequences are decoded here; gumbo's text is valid UTF-8
 * but the continuation bytes are checked anyway.
 */
static unsigned
html_count_han(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned n = 0, cp;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xe0 && *p <= 0xef && (p[1] & 0xc0) == 0x80 &&
		    (p[2] & 0xc0) == 0x80) {
			cp = ((unsigned)(p[0] & 0x0f) << 12) |
			    ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
			if (label_is_han(cp))
				n++;
			p += 3;
			continue;
		}
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
	}
	return n;
}

static unsigned
html_sat_add(unsigned a, unsigned b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

/*
 * Reads a non-negative integer attribute ("22", " 3 ", "50px"); garbage,
 * zero and absence give def, and values are capped at max.
 */
static unsigned
html_attr_uint(const GumboNode *n, const char *name, unsigned def,
    unsigned max)
{
	const char *s = html_attr(n, name);
	unsigned v = 0;
	int digits = 0;

	if (s == NULL)
		return def;
	while (html_ascii_space((unsigned char)*s))
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		digits = 1;
		if (v < max)
			v = v * 10 + (unsigned)(*s - '0');
	}
	if (!digits || v == 0)
		return def;
	return v > max ? max : v;
}

/* ---- the element counts ---- */

static size_t
html_hash(const GumboNode *n)
{
	uint64_t x = (uint64_t)(uintptr_t)n;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

static void
html_stats_put(struct html_stats *m, const struct html_stat *st)
{
	size_t i, j;

	if (m->n * 2 >= m->cap) {
		struct html_stat *old = m->v;
		size_t ocap = m->cap;

		m->cap = m->cap ? m->cap * 2 : 1024;
		m->v = xcalloc(m->cap, sizeof *m->v);
		m->n = 0;
		for (i = 0; i < ocap; i++)
			if (old[i].node != NULL)
				html_stats_put(m, &old[i]);
		free(old);
	}
	for (j = html_hash(st->node) & (m->cap - 1); m->v[j].node != NULL;
	    j = (j + 1) & (m->cap - 1))
		if (m->v[j].node == st->node)
			break;
	if (m->v[j].node == NULL)
		m->n++;
	m->v[j] = *st;
}

/* The counts of an element; zeros for one never stored (no text). */
static struct html_stat
html_stats_get(const struct html_stats *m, const GumboNode *n)
{
	struct html_stat none;
	size_t j;

	if (m->cap > 0) {
		for (j = html_hash(n) & (m->cap - 1); m->v[j].node != NULL;
		    j = (j + 1) & (m->cap - 1))
			if (m->v[j].node == n)
				return m->v[j];
	}
	memset(&none, 0, sizeof none);
	none.node = n;
	return none;
}

/* ---- pass 1: scan the whole page ---- */

/* Appends text to the page text, whitespace collapsed. */
static void
html_page_add(struct html *h, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		if (!html_ascii_space((unsigned char)*s))
			continue;
		if (s > run) {
			buf_add(&h->page, run, s - run);
			h->page_space = 0;
		}
		if (!h->page_space)
			buf_addc(&h->page, ' ');
		h->page_space = 1;
		run = s + 1;
	}
	if (s > run) {
		buf_add(&h->page, run, s - run);
		h->page_space = 0;
	}
}

static void
html_page_break(struct html *h)
{
	if (h->page.len > 0 && h->page.data[h->page.len - 1] != '\n') {
		buf_addc(&h->page, '\n');
		h->page_space = 1;
	}
}

/* Whether an element's id or class (either may be NULL) is container i. */
static int
html_container_match(const char *id, const char *cls, size_t i)
{
	const char *v, *p, *e;
	size_t len = strlen(html_containers[i].name);

	if (html_containers[i].kind == '#')
		return id != NULL && strcasecmp(id, html_containers[i].name) == 0;
	v = cls;
	if (v == NULL)
		return 0;
	for (p = v; *p != '\0'; p = e) {
		while (html_ascii_space((unsigned char)*p))
			p++;
		for (e = p; *e != '\0' && !html_ascii_space((unsigned char)*e);
		    e++)
			;
		if ((size_t)(e - p) == len &&
		    strncasecmp(p, html_containers[i].name, len) == 0)
			return 1;
	}
	return 0;
}

/* Trimmed, whitespace-collapsed copy of s (NULL if nothing is left). */
static char *
html_clean(const char *s)
{
	struct buf b;
	int space = 0;

	buf_init(&b, 0);
	for (; s != NULL && *s != '\0'; s++) {
		if (html_ascii_space((unsigned char)*s) ||
		    strncmp(s, "\xc2\xa0", 2) == 0 ||
		    strncmp(s, "\xe3\x80\x80", 3) == 0) {
			if (*s == '\xc2')
				s++;
			else if (*s == '\xe3')
				s += 2;
			space = 1;
			continue;
		}
		if (space && b.len > 0)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, *s);
	}
	if (b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* Text of an element's text children (for <title>). */
static char *
html_own_text(const GumboNode *n)
{
	struct buf b;
	const GumboVector *c = &n->v.element.children;
	const GumboNode *k;
	char *s;
	unsigned i;

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	for (i = 0; i < c->length; i++) {
		k = c->data[i];
		if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE ||
		    k->type == GUMBO_NODE_CDATA)
			buf_adds(&b, k->v.text.text);
	}
	s = html_clean(b.data);
	buf_release(&b);
	return s;
}

/* A <meta name=… content=…> of the 政府网站 set (matched loosely). */
static void
html_meta(struct html *h, const GumboNode *n, char **pubdate)
{
	static const char *names[] = {
		"ArticleTitle", "PubDate", "ContentSource", "SiteName",
		"ColumnName",
	};
	const char *name = html_attr(n, "name"), *content;
	char **field[5];
	char *v;
	size_t i;

	if (name == NULL)
		return;
	content = html_attr(n, "content");
	if (content == NULL)
		return;
	field[0] = &h->doc->meta_title;
	field[1] = pubdate;
	field[2] = &h->doc->source;
	field[3] = &h->doc->site;
	field[4] = &h->doc->column;
	while (html_ascii_space((unsigned char)*name))
		name++;
	for (i = 0; i < 5; i++) {
		if (strncasecmp(name, names[i], strlen(names[i])) != 0)
			continue;
		if (name[strlen(names[i])] != '\0' &&
		    !html_ascii_space((unsigned char)name[strlen(names[i])]))
			continue;
		if (*field[i] != NULL)
			return;		/* the first one wins */
		v = html_clean(content);
		doc_set(field[i], v);	/* doc_set keeps it valid UTF-8 */
		free(v);
		return;
	}
}

/*
 * Pass 1: one iterative walk over the whole tree.  Collects the title and
 * meta tags, the page text, the first element matching each known
 * container, and the counts of every element that has text or tables.
 */
static void
html_scan(struct html *h, const GumboNode *root, char **title,
    char **meta_pubdate)
{
	struct html_stack s;
	struct html_frame *f, *up;
	const GumboNode *n, *k;
	struct html_stat st;
	GumboTag t;
	unsigned hc;
	size_t i;

	memset(&s, 0, sizeof s);
	html_push(&s, root);
	while (s.n > 0) {
		f = &s.v[s.n - 1];
		n = f->node;
		if ((n->type == GUMBO_NODE_DOCUMENT &&
		    f->next < n->v.document.children.length) ||
		    (html_is_element(n) &&
		    f->next < n->v.element.children.length)) {
			k = n->type == GUMBO_NODE_DOCUMENT ?
			    n->v.document.children.data[f->next++] :
			    n->v.element.children.data[f->next++];
			if (k->type == GUMBO_NODE_TEXT ||
			    k->type == GUMBO_NODE_CDATA ||
			    k->type == GUMBO_NODE_WHITESPACE) {
				if (f->hidden)
					continue;
				html_page_add(h, k->v.text.text);
				if (!f->chrome && k->type != GUMBO_NODE_WHITESPACE) {
					hc = html_count_han(k->v.text.text);
					f->acc.han = html_sat_add(f->acc.han, hc);
				}
				continue;
			}
			if (!html_is_element(k))
				continue;
			t = k->v.element.tag;
			if (t == GUMBO_TAG_META)
				html_meta(h, k, meta_pubdate);
			else if (t == GUMBO_TAG_TITLE && *title == NULL &&
			    k->v.element.tag_namespace == GUMBO_NAMESPACE_HTML)
				*title = html_own_text(k);
			else if (t == GUMBO_TAG_BODY && h->body == NULL)
				h->body = k;
			if (html_invisible(t) && t != GUMBO_TAG_HEAD)
				continue;
			/* look the two attributes up once per element */
			if (k->v.element.attributes.length > 0) {
				const char *id = html_attr(k, "id");
				const char *cls = html_attr(k, "class");

				for (i = 0; (id != NULL || cls != NULL) &&
				    i < HTML_NCONTAINERS; i++)
					if (h->match[i] == NULL &&
					    html_container_match(id, cls, i))
						h->match[i] = k;
			}
			if (html_block(t) || t == GUMBO_TAG_BR)
				html_page_break(h);
			else if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH)
				html_page_add(h, " ");
			f = html_push(&s, k);
			up = &s.v[s.n - 2];	/* html_push may move the stack */
			f->chrome = up->chrome || html_chrome(t);
			f->hidden = up->hidden || t == GUMBO_TAG_HEAD;
			continue;
		}
		/* leaving n: finish its counts and add them to its parent */
		st = f->acc;
		st.node = n;
		if (html_tag(n) == GUMBO_TAG_TABLE && st.trs > st.maxrows)
			st.maxrows = st.trs;
		if (html_block(html_tag(n)))
			html_page_break(h);
		if (html_is_element(n) && (st.han > 0 || st.tables > 0))
			html_stats_put(&h->stats, &st);
		s.n--;
		if (s.n == 0)
			break;
		up = &s.v[s.n - 1];
		if (f->chrome && !up->chrome)
			continue;
		up->acc.han = html_sat_add(up->acc.han, st.han);
		up->acc.tables = html_sat_add(up->acc.tables, st.tables);
		up->acc.trs = html_sat_add(up->acc.trs, st.trs);
		if (html_tag(n) == GUMBO_TAG_TABLE)
			up->acc.tables = html_sat_add(up->acc.tables, 1);
		if (html_tag(n) == GUMBO_TAG_TR)
			up->acc.trs = html_sat_add(up->acc.trs, 1);
		if (st.maxrows > up->acc.maxrows)
			up->acc.maxrows = st.maxrows;
	}
	free(s.v);
}

/* ---- tables ---- */

/*
 * The rows of a table in rendering order (<thead> first, <tfoot> last),
 * each with the index of its row group, since rowspans stop at the end of
 * a group.  Rows of nested tables are not included.
 */
struct html_rows {
	const GumboNode	**tr;
	int		 *group;
	size_t		  n;
	size_t		  cap;
};

static void
html_rows_add_group(struct html_rows *r, const GumboNode *g, int group)
{
	const GumboVector *c = &g->v.element.children;
	unsigned i;

	for (i = 0; i < c->length; i++) {
		const GumboNode *k = c->data[i];

		if (html_tag(k) != GUMBO_TAG_TR)
			continue;
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 32;
			r->tr = xreallocarray(r->tr, r->cap, sizeof *r->tr);
			r->group = xreallocarray(r->group, r->cap,
			    sizeof *r->group);
		}
		r->tr[r->n] = k;
		r->group[r->n++] = group;
	}
}

static void
html_rows(const GumboNode *table, struct html_rows *r)
{
	const GumboVector *c = &table->v.element.children;
	unsigned i;
	int pass, group = 0;

	memset(r, 0, sizeof *r);
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < c->length; i++) {
			const GumboNode *k = c->data[i];
			GumboTag t = html_tag(k);

			if ((pass == 0 && t == GUMBO_TAG_THEAD) ||
			    (pass == 1 && t == GUMBO_TAG_TBODY) ||
			    (pass == 2 && t == GUMBO_TAG_TFOOT)) {
				html_rows_add_group(r, k, group++);
			} else if (pass == 1 && t == GUMBO_TAG_TR) {
				/* gumbo adds <tbody>; this is for safety */
				if (r->n == r->cap) {
					r->cap = r->cap ? r->cap * 2 : 32;
					r->tr = xreallocarray(r->tr, r->cap,
					    sizeof *r->tr);
					r->group = xreallocarray(r->group,
					    r->cap, sizeof *r->group);
				}
				r->tr[r->n] = k;
				r->group[r->n++] = group++;
			}
		}
	}
}

static int
html_is_cell(const GumboNode *n)
{
	return html_tag(n) == GUMBO_TAG_TD || html_tag(n) == GUMBO_TAG_TH;
}

/*
 * A layout table holds a page rather than data: one of its cells has a
 * long text or a long nested table.  Data tables of the reports never do.
 */
static int
html_table_is_layout(const struct html *h, const GumboNode *table)
{
	struct html_rows r;
	struct html_stat st;
	size_t i;
	unsigned j;
	int layout = 0;

	html_rows(table, &r);
	for (i = 0; i < r.n && !layout; i++) {
		const GumboVector *c = &r.tr[i]->v.element.children;

		for (j = 0; j < c->length && !layout; j++) {
			if (!html_is_cell(c->data[j]))
				continue;
			st = html_stats_get(&h->stats, c->data[j]);
			if (st.han >= HTML_LAYOUT_HAN ||
			    st.maxrows >= HTML_LAYOUT_ROWS)
				layout = 1;
		}
	}
	free(r.tr);
	free(r.group);
	return layout;
}

/* One source cell of a grid being built. */
struct html_gcell {
	char	*text;
	int	 id;
};

/* A grid slot: the source cell shown there, -1 for none. */
struct html_slot {
	int	 cell;
	int	 copy;
};

struct html_grow {
	struct html_slot *slot;
	size_t		  n;
	int		  ncells;	/* <td>/<th> elements in the row */
	int		  text;		/* some origin cell has text */
};

/* Sets slot c of a row, growing it with empty slots as needed. */
static void
html_grow_set(struct html_grow *r, size_t c, int cell, int copy)
{
	size_t i;

	if (c >= r->n) {
		r->slot = xreallocarray(r->slot, c + 1, sizeof *r->slot);
		for (i = r->n; i <= c; i++) {
			r->slot[i].cell = -1;
			r->slot[i].copy = 0;
		}
		r->n = c + 1;
	}
	r->slot[c].cell = cell;
	r->slot[c].copy = copy;
}

static int
html_grow_free_at(const struct html_grow *r, size_t c)
{
	return c >= r->n || r->slot[c].cell < 0;
}

/* Reads the text of one cell: paragraphs and <br> lines joined by '\n'. */
static char *
html_cell_text(struct html *h, const GumboNode *td, int *images)
{
	struct html_sink sink;
	char *s;

	memset(&sink, 0, sizeof sink);
	sink.cell = 1;
	buf_init(&sink.lines, 0);
	buf_add(&sink.lines, "", 0);
	buf_init(&sink.para.text, 0);
	html_walk(h, td, &sink);
	buf_release(&sink.para.text);
	if (sink.images)
		*images = 1;
	s = buf_detach(&sink.lines);
	return s;
}

/* A <caption> becomes a paragraph before its table. */
static void
html_caption(struct html *h, const GumboNode *table)
{
	const GumboVector *c = &table->v.element.children;
	unsigned i;
	int images = 0;
	char *s;

	for (i = 0; i < c->length; i++) {
		const GumboNode *k = c->data[i];

		if (html_tag(k) != GUMBO_TAG_CAPTION)
			continue;
		s = html_cell_text(h, k, &images);
		if (*s != '\0')
			doc_add_text(h->doc, s, k->v.element.start_pos.line);
		free(s);
	}
}

/*
 * Builds the grid of a data table and appends it to the document.  HTML's
 * table model, simplified: a row starts with the slots that rowspans from
 * above still cover, each cell takes the next free slot and covers colspan
 * slots of rowspan rows; rowspans end with their row group.  A slot no
 * cell covers, left of a covered one, is an empty cell with id -1.  A row
 * shorter than the widest is not padded at its end: the source row ended
 * there, and the mapper reads a row's values from the right, so padding
 * would shift them (a ragged table 三 reads right this way).
 */
static void
html_table(struct html *h, const GumboNode *table)
{
	struct html_rows r;
	struct html_grow *rows = NULL;
	struct html_gcell *cells = NULL;
	struct html_slot *pend = NULL;	/* per column: covering cell */
	unsigned *left = NULL;		/* per column: rows still covered */
	size_t npend = 0, nrows = 0, ncells = 0, capcells = 0;
	size_t i, c, k, width = 0;
	struct doc_table *dt;
	struct doc_row *dr;
	unsigned j, rs, cs;
	int images = 0, group = -1, full = 0;

	html_rows(table, &r);
	pend = xcalloc(HTML_MAX_COLS, sizeof *pend);
	left = xcalloc(HTML_MAX_COLS, sizeof *left);
	rows = xcalloc(r.n ? r.n : 1, sizeof *rows);
	for (i = 0; i < r.n && !full; i++) {
		const GumboVector *ch = &r.tr[i]->v.element.children;
		struct html_grow *row = &rows[nrows];

		memset(row, 0, sizeof *row);
		if (r.group[i] != group) {
			/* rowspans do not cross row groups */
			memset(left, 0, HTML_MAX_COLS * sizeof *left);
			npend = 0;
			group = r.group[i];
		}
		for (c = 0; c < npend; c++) {
			if (left[c] > 0) {
				html_grow_set(row, c, pend[c].cell, 1);
				left[c]--;
			}
		}
		c = 0;
		for (j = 0; j < ch->length; j++) {
			const GumboNode *td = ch->data[j];
			int id;

			if (!html_is_cell(td))
				continue;
			row->ncells++;
			while (c < HTML_MAX_COLS && !html_grow_free_at(row, c))
				c++;
			if (c >= HTML_MAX_COLS)
				break;
			rs = html_attr_uint(td, "rowspan", 1, HTML_MAX_SPAN);
			cs = html_attr_uint(td, "colspan", 1, HTML_MAX_SPAN);
			if (cs > HTML_MAX_COLS - c)
				cs = HTML_MAX_COLS - c;
			if (ncells == capcells) {
				capcells = capcells ? capcells * 2 : 64;
				cells = xreallocarray(cells, capcells,
				    sizeof *cells);
			}
			id = h->next_id++;
			cells[ncells].text = html_cell_text(h, td, &images);
			cells[ncells].id = id;
			if (cells[ncells].text[0] != '\0')
				row->text = 1;
			for (k = 0; k < cs; k++) {
				if (!html_grow_free_at(row, c + k))
					continue;	/* overlapping spans */
				html_grow_set(row, c + k, (int)ncells, k > 0);
				if (rs > 1) {
					pend[c + k].cell = (int)ncells;
					left[c + k] = rs - 1;
					if (c + k >= npend)
						npend = c + k + 1;
				}
			}
			ncells++;
			c += cs;
		}
		if (row->n == 0 || row->ncells == 0 || (!row->text &&
		    row->n == (size_t)row->ncells)) {
			/* no cells, or an empty spacer row of Word's */
			free(row->slot);
			continue;
		}
		/* the grid as emitted is nrows x width, padding included */
		k = row->n > width ? row->n : width;
		if ((nrows + 1) * k > HTML_MAX_TABLE_CELLS ||
		    h->cells + (nrows + 1) * k > HTML_MAX_DOC_CELLS) {
			free(row->slot);
			full = 1;
			break;
		}
		width = k;
		nrows++;
	}

	if (h->doc->nblocks >= HTML_MAX_BLOCKS)
		h->full = 1;
	if (!h->full)
		html_caption(h, table);
	if (nrows > 0 && !h->full) {
		dt = doc_add_table(h->doc, table->v.element.start_pos.line);
		dt->images = images;
		for (i = 0; i < nrows; i++) {
			dr = doc_table_add_row(dt);
			for (c = 0; c < rows[i].n; c++) {
				const struct html_slot *sl = &rows[i].slot[c];
				const struct html_gcell *gc;
				size_t tl;

				if (sl->cell < 0) {
					doc_row_add_cell(dt, dr, "", -1, 0);
					continue;
				}
				gc = &cells[sl->cell];
				if (!sl->copy) {
					doc_row_add_cell(dt, dr, gc->text,
					    gc->id, 0);
					continue;
				}
				/* copies repeat the text, within a budget */
				tl = strlen(gc->text);
				if (h->copy_text + tl > HTML_MAX_COPY_TEXT)
					tl = 0;
				h->copy_text += tl;
				doc_row_add_cell(dt, dr, tl ? gc->text : "",
				    gc->id, 1);
			}
		}
		h->cells += nrows * width;
	} else if (nrows == 0 && images && !h->full) {
		/* a table holding only an image: keep the image visible */
		dt = doc_add_table(h->doc, table->v.element.start_pos.line);
		dt->images = 1;
	}
	for (i = 0; i < nrows; i++)
		free(rows[i].slot);
	for (i = 0; i < ncells; i++)
		free(cells[i].text);
	free(rows);
	free(cells);
	free(pend);
	free(left);
	free(r.tr);
	free(r.group);
}

/* ---- pass 3: blocks ---- */

/* Removes leading and trailing spaces, NBSP and U+3000 in place. */
static void
html_trim(struct buf *b)
{
	size_t s = 0, e = b->len;

	for (;;) {
		if (s < e && html_ascii_space((unsigned char)b->data[s]))
			s++;
		else if (e - s >= 2 && memcmp(b->data + s, "\xc2\xa0", 2) == 0)
			s += 2;
		else if (e - s >= 3 &&
		    memcmp(b->data + s, "\xe3\x80\x80", 3) == 0)
			s += 3;
		else
			break;
	}
	for (;;) {
		if (e > s && html_ascii_space((unsigned char)b->data[e - 1]))
			e--;
		else if (e - s >= 2 &&
		    memcmp(b->data + e - 2, "\xc2\xa0", 2) == 0)
			e -= 2;
		else if (e - s >= 3 &&
		    memcmp(b->data + e - 3, "\xe3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	if (b->data == NULL)
		return;
	memmove(b->data, b->data + s, e - s);
	b->len = e - s;
	b->data[b->len] = '\0';
}

/* Ends the current paragraph, handing it to the sink if not empty. */
static void
html_flush(struct html *h, struct html_sink *k)
{
	struct html_para *p = &k->para;

	html_trim(&p->text);
	if (p->text.len > 0) {
		if (k->cell) {
			if (k->lines.len > 0)
				buf_addc(&k->lines, '\n');
			buf_add(&k->lines, p->text.data, p->text.len);
		} else if (h->doc->nblocks < HTML_MAX_BLOCKS)
			doc_add_text(h->doc, p->text.data, p->line);
		else
			h->full = 1;
	}
	buf_reset(&p->text);
	p->space = p->newline = 0;
	p->last = 0;
	p->line = 0;
}

/*
 * Adds text to the paragraph as a browser shows it: runs of ASCII
 * whitespace become one space, none at the start; a line break between
 * two CJK characters is no space at all.  NBSP is kept.
 */
static void
html_para_add(struct html *h, struct html_sink *k, const char *s, int line)
{
	struct html_para *p = &k->para;
	const char *run, *q;
	unsigned cp;

	while (*s != '\0') {
		if (html_ascii_space((unsigned char)*s)) {
			if ((*s == '\n' || *s == '\r') && k->pre) {
				html_flush(h, k);
				s++;
				continue;
			}
			p->space = 1;
			if (*s == '\n' || *s == '\r')
				p->newline = 1;
			s++;
			continue;
		}
		q = s;
		cp = label_utf8_next(&q);
		if (p->space && p->text.len > 0 && !(p->newline &&
		    html_wide(p->last) && html_wide(cp)))
			buf_addc(&p->text, ' ');
		p->space = p->newline = 0;
		if (p->line == 0)
			p->line = line;
		/* copy the run up to the next ASCII whitespace at once */
		for (run = s; *s != '\0' && !html_ascii_space((unsigned char)*s);
		    s++)
			;
		buf_add(&p->text, run, s - run);
		/* remember the last code point of the run */
		q = s - 1;
		while (q > run && ((unsigned char)*q & 0xc0) == 0x80 &&
		    s - q < 4)
			q--;
		p->last = label_utf8_next(&q);
	}
}

/* Whether an <img> is a small icon (both sizes given and small). */
static int
html_icon(const GumboNode *img)
{
	unsigned w = html_attr_uint(img, "width", 0, 100000);
	unsigned hh = html_attr_uint(img, "height", 0, 100000);

	return w > 0 && hh > 0 && w < HTML_ICON_PX && hh < HTML_ICON_PX;
}

/*
 * What to do on entering an element: 1 descend into it, 0 skip it (it was
 * handled here or is invisible).
 */
static int
html_enter(struct html *h, const GumboNode *n, struct html_sink *k)
{
	GumboTag t = n->v.element.tag;
	const char *alt;

	if (html_invisible(t))
		return 0;
	if (!k->cell && (t == GUMBO_TAG_NAV || t == GUMBO_TAG_FOOTER ||
	    t == GUMBO_TAG_ASIDE))
		return 0;
	switch (t) {
	case GUMBO_TAG_BR:
		html_flush(h, k);
		return 0;
	case GUMBO_TAG_IMG:
	case GUMBO_TAG_IMAGE:
		if (k->cell) {
			k->images = 1;
			return 0;
		}
		if (html_icon(n))
			return 0;
		html_flush(h, k);
		alt = html_attr(n, "alt");
		if (alt == NULL || *alt == '\0')
			alt = html_attr(n, "src");
		if (h->doc->nblocks < HTML_MAX_BLOCKS)
			doc_add_image(h->doc, alt ? alt : "",
			    n->v.element.start_pos.line);
		else
			h->full = 1;
		return 0;
	case GUMBO_TAG_TABLE:
		html_flush(h, k);
		if (k->cell || html_table_is_layout(h, n))
			return 1;	/* read as plain blocks */
		if (!h->full)
			html_table(h, n);
		return 0;
	case GUMBO_TAG_PRE:
	case GUMBO_TAG_LISTING:
	case GUMBO_TAG_PLAINTEXT:
	case GUMBO_TAG_XMP:
		html_flush(h, k);
		k->pre++;
		return 1;
	default:
		break;
	}
	if (html_block(t))
		html_flush(h, k);
	return 1;
}

static void
html_leave(struct html *h, const GumboNode *n, struct html_sink *k)
{
	GumboTag t = n->v.element.tag;

	if (t == GUMBO_TAG_PRE || t == GUMBO_TAG_LISTING ||
	    t == GUMBO_TAG_PLAINTEXT || t == GUMBO_TAG_XMP)
		k->pre--;
	if (html_block(t))
		html_flush(h, k);
}

/*
 * Pass 3 (and the text of one cell): walks root's content in document
 * order, turning it into paragraphs, tables and images.
 */
static void
html_walk(struct html *h, const GumboNode *root, struct html_sink *k)
{
	struct html_stack s;
	struct html_frame *f;
	const GumboNode *n, *c;

	if (!html_is_element(root))
		return;
	memset(&s, 0, sizeof s);
	html_push(&s, root);
	while (s.n > 0 && !h->full) {
		f = &s.v[s.n - 1];
		n = f->node;
		if (f->next < n->v.element.children.length) {
			c = n->v.element.children.data[f->next++];
			switch (c->type) {
			case GUMBO_NODE_TEXT:
			case GUMBO_NODE_CDATA:
			case GUMBO_NODE_WHITESPACE:
				html_para_add(h, k, c->v.text.text,
				    c->v.text.start_pos.line);
				break;
			case GUMBO_NODE_ELEMENT:
			case GUMBO_NODE_TEMPLATE:
				if (html_enter(h, c, k))
					html_push(&s, c);
				break;
			default:
				break;
			}
			continue;
		}
		if (n != root)
			html_leave(h, n, k);
		s.n--;
	}
	html_flush(h, k);
	free(s.v);
}

/* ---- pass 2: the content container ---- */

static int
html_table_part(GumboTag t)
{
	return t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TBODY ||
	    t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT ||
	    t == GUMBO_TAG_TR || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH ||
	    t == GUMBO_TAG_CAPTION;
}

/*
 * Goes down from n while one child holds most (60 %) of n's text and all
 * of its tables: that child is the content, the rest is page chrome.  It
 * never goes into a data table, only through layout tables.
 */
static const GumboNode *
html_densest(const struct html *h, const GumboNode *n)
{
	struct html_stat sn, sc, best;
	const GumboNode *bn, *c;
	const GumboVector *ch;
	unsigned i, tables;

	for (;;) {
		sn = html_stats_get(&h->stats, n);
		ch = &n->v.element.children;
		bn = NULL;
		memset(&best, 0, sizeof best);
		for (i = 0; i < ch->length; i++) {
			c = ch->data[i];
			if (!html_is_element(c) || html_invisible(html_tag(c)) ||
			    html_chrome(html_tag(c)))
				continue;
			sc = html_stats_get(&h->stats, c);
			if (bn == NULL || sc.han > best.han) {
				bn = c;
				best = sc;
			}
		}
		if (bn == NULL || best.han == 0 ||
		    (uint64_t)best.han * 10 < (uint64_t)sn.han * 6)
			break;
		tables = best.tables + (html_tag(bn) == GUMBO_TAG_TABLE);
		if (tables != sn.tables)
			break;
		if (html_tag(bn) == GUMBO_TAG_TABLE &&
		    !html_table_is_layout(h, bn))
			break;
		if (html_table_part(html_tag(bn)) &&
		    html_tag(bn) != GUMBO_TAG_TABLE &&
		    !html_table_part(html_tag(n)))
			break;
		n = bn;
	}
	return n;
}

static const GumboNode *
html_container(const struct html *h, const GumboNode *root)
{
	const GumboNode *body = h->body != NULL ? h->body : root;
	struct html_stat st;
	size_t i;

	for (i = 0; i < HTML_NCONTAINERS; i++) {
		if (h->match[i] == NULL)
			continue;
		st = html_stats_get(&h->stats, h->match[i]);
		if (st.han < HTML_CONTAINER_HAN && st.tables == 0)
			continue;
		if (html_containers[i].generic)
			return html_densest(h, h->match[i]);
		return h->match[i];
	}
	return html_densest(h, body);
}

/* ---- the nesting guard ---- */

/*
 * A space-separated list of lower-case tag names, with a per-first-letter
 * mask of the name lengths it holds: the guard runs for every tag of the
 * page, and the mask rejects most names without searching the list.
 */
struct html_taglist {
	const char	*words;
	uint32_t	 lens[26];	/* bit n: a name of length n */
	int		 ready;
};

static struct html_taglist html_flat_tags = { " a area base basefont "
    "bgsound body br button caption col colgroup dd dt embed form frame "
    "head hr html image img input isindex keygen li link meta nobr option "
    "optgroup p param rb rp rt rtc source tbody td tfoot th thead tr track "
    "wbr ", { 0 }, 0 };
static struct html_taglist html_raw_tags = { " script style textarea "
    "title xmp iframe noembed noframes plaintext ", { 0 }, 0 };

/* Whether a tag name is in the list (case-insensitive). */
static int
html_guard_in(struct html_taglist *l, const char *name, size_t len)
{
	char key[16];
	size_t i;
	int c;

	if (!l->ready) {
		const char *w = l->words, *e;

		/* idempotent: a second thread would compute the same bits */
		while (*w != '\0') {
			while (*w == ' ')
				w++;
			e = strchr(w, ' ');
			if (e == NULL || e == w)
				break;
			if (*w >= 'a' && *w <= 'z' && e - w < 32)
				l->lens[*w - 'a'] |= 1u << (e - w);
			w = e;
		}
		l->ready = 1;
	}
	if (len + 3 > sizeof key || len >= 32)
		return 0;
	c = name[0] | 0x20;
	if (c < 'a' || c > 'z' || (l->lens[c - 'a'] & (1u << len)) == 0)
		return 0;
	key[0] = ' ';
	for (i = 0; i < len; i++)
		key[i + 1] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
		    name[i] + ('a' - 'A') : name[i]);
	key[len + 1] = ' ';
	key[len + 2] = '\0';
	return strstr(l->words, key) != NULL;
}

/* Tags that never nest in the tree gumbo builds (closed implicitly). */
static int
html_guard_flat(const char *name, size_t len)
{
	return html_guard_in(&html_flat_tags, name, len);
}

/* Elements whose content is raw text: no tags inside to count. */
static int
html_guard_raw(const char *name, size_t len)
{
	return html_guard_in(&html_raw_tags, name, len);
}

/*
 * gumbo 0.10 takes time quadratic in the nesting depth (scope checks walk
 * the stack of open elements), so 50,000 nested <div>s, 250 KB, take
 * seconds.  This estimates the depth from the tags alone and refuses
 * input that nests too deep or too often; real pages nest a few dozen
 * levels.  Returns 0 when the input may be parsed.
 */
int
html_guard(const char *buf, size_t len, char **cause)
{
	const char *p = buf, *end = buf + len, *name, *q;
	uint64_t depth = 0, maxdepth = 0, work = 0, limit;
	size_t nlen;
	int close;

	limit = 4000000 + 8 * (uint64_t)len;
	while (p < end) {
		p = memchr(p, '<', end - p);
		if (p == NULL)
			break;
		p++;
		if (end - p >= 3 && strncmp(p, "!--", 3) == 0) {
			for (q = p + 3; end - q >= 3 &&
			    strncmp(q, "-->", 3) != 0; q++)
				;
			p = end - q >= 3 ? q + 3 : end;
			continue;
		}
		close = p < end && *p == '/';
		if (close)
			p++;
		name = p;
		while (p < end && (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == ':' || *p == '-'))
			p++;
		nlen = p - name;
		if (nlen == 0 || !(((*name | 0x20) >= 'a' &&
		    (*name | 0x20) <= 'z')))
			continue;
		/* to the end of the tag, skipping quoted values */
		while (p < end && *p != '>') {
			if (*p == '"' || *p == '\'') {
				q = memchr(p + 1, *p, end - p - 1);
				p = q != NULL ? q + 1 : end;
			} else
				p++;
		}
		if (close) {
			if (!html_guard_flat(name, nlen) && depth > 0)
				depth--;
			continue;
		}
		if (p > name && p[-1] == '/')
			continue;	/* <o:p/> and the like */
		if (html_guard_raw(name, nlen)) {
			/* skip to the matching end tag */
			for (q = p; q < end; q++) {
				q = memchr(q, '<', end - q);
				if (q == NULL || (end - q > (ptrdiff_t)nlen + 2 &&
				    q[1] == '/' &&
				    strncasecmp(q + 2, name, nlen) == 0))
					break;
			}
			p = q != NULL ? q : end;
			continue;
		}
		if (html_guard_flat(name, nlen))
			continue;
		depth++;
		work += depth;
		if (depth > maxdepth)
			maxdepth = depth;
		if (maxdepth > HTML_MAX_DEPTH || work > limit) {
			xasprintf(cause, "HTML nested too deeply (more than "
			    "%u levels or too often); not parsed",
			    HTML_MAX_DEPTH);
			return -1;
		}
	}
	return 0;
}

/* ---- the reader ---- */

int
html_read(const char *buf, size_t len, struct doc **out, char **cause)
{
	GumboOptions opts = kGumboDefaultOptions;
	GumboOutput *g = NULL;
	struct html h;
	struct html_sink sink;
	const GumboNode *content;
	char *title = NULL, *meta_pubdate = NULL, date[DATE_MAX];
	int rc = -1;

	*out = NULL;
	memset(&h, 0, sizeof h);
	buf_init(&h.page, 0);
	buf_add(&h.page, "", 0);
	if (len > PARSE_MAX_INPUT) {
		xasprintf(cause, "%zu bytes of HTML is more than the limit",
		    len);
		goto out;
	}
	if (html_guard(buf, len, cause) != 0)
		goto out;
	/* parse errors are not used: do not let gumbo record them */
	opts.max_errors = 0;
	g = gumbo_parse_with_options(&opts, buf, len);
	if (g == NULL || g->root == NULL) {
		xasprintf(cause, "the HTML parser failed");
		goto out;
	}

	h.doc = doc_new();
	h.doc->reader = "html";
	html_scan(&h, g->document, &title, &meta_pubdate);

	if (title != NULL)
		doc_set(&h.doc->title, title);
	else if (h.doc->meta_title != NULL)
		doc_set(&h.doc->title, h.doc->meta_title);
	free(title);
	title = NULL;
	if (date_find_labeled(h.page.data, date) == 0) {
		doc_set(&h.doc->pubdate, date);
		doc_set(&h.doc->pubdate_from, "page");
	} else if (meta_pubdate != NULL &&
	    date_parse(meta_pubdate, date, NULL) == 0) {
		doc_set(&h.doc->pubdate, date);
		doc_set(&h.doc->pubdate_from, "meta");
	}

	content = html_container(&h, g->root);
	if (html_tag(content) == GUMBO_TAG_TABLE &&
	    !html_table_is_layout(&h, content))
		html_table(&h, content);	/* the container is the table */
	else {
		memset(&sink, 0, sizeof sink);
		buf_init(&sink.para.text, 0);
		html_walk(&h, content, &sink);
		buf_release(&sink.para.text);
	}

	*out = h.doc;
	h.doc = NULL;
	rc = 0;
out:
	if (g != NULL)
		gumbo_destroy_output(&opts, g);
	doc_free(h.doc);
	free(title);
	free(meta_pubdate);
	free(h.stats.v);
	buf_release(&h.page);
	return rc;
}
