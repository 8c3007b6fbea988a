/*
 * DOCX reader: a Word 2007+ document (a ZIP archive of XML parts) into a
 * document (doc.h).  libzip opens the archive from memory, libxml2 parses
 * word/document.xml, and the body is walked in order: every w:p is a
 * paragraph (its runs concatenated; w:br lines are blocks of their own, as
 * <br> lines are in HTML), every w:tbl a table grid with w:gridSpan
 * (colspan) and w:vMerge (rowspan) expanded the way html.c expands
 * rowspan and colspan, and a picture standing alone, or a table holding
 * only pictures, an image block.  The title comes from docProps/core.xml.
 * The main part is word/document.xml, or the one _rels/.rels names (Word
 * Online writes word/document2.xml); a ZIP without one is refused, named
 * (XLSX, PPTX, OFD, ODT) when it is a known other kind.
 *
 * Hostile archives are bounded before anything is inflated or parsed: the
 * entry count, the declared size and compression ratio of the part, the
 * bytes actually inflated (read in chunks, so a size header that lies
 * cannot make it inflate more), the number of tags (the libxml2 tree costs
 * a few hundred bytes a node) and entity declarations (refused outright,
 * never expanded: no XML_PARSE_NOENT, no DTD loading, no network).  The
 * walk is recursive but the depth is bounded by libxml2 (256 without
 * XML_PARSE_HUGE) and again here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "buf.h"
#include "parse.h"
#include "xmalloc.h"

#define DOCX_MAX_ENTRIES	10000	/* archive entries */
#define DOCX_MAX_XML		(64u * 1024 * 1024) /* document.xml inflated */
#define DOCX_MAX_CORE		(1024u * 1024)	/* docProps/core.xml */
#define DOCX_MAX_RATIO		500	/* inflated / compressed, when large */
#define DOCX_RATIO_FROM		(4u * 1024 * 1024) /* ratio checked above */
#define DOCX_MAX_TAGS		1000000	/* '<' in the XML, about its nodes */
#define DOCX_MAX_DEPTH		200	/* element nesting walked */
#define DOCX_MAX_SPAN		1000	/* gridSpan, gridBefore cap */
#define DOCX_MAX_COLS		1000	/* columns of one table */
#define DOCX_MAX_TABLE_CELLS	200000	/* grid cells of one table */
#define DOCX_MAX_DOC_CELLS	2000000	/* grid cells of all tables */
#define DOCX_MAX_COPY_TEXT	(32u * 1024 * 1024) /* text in span copies */
#define DOCX_MAX_BLOCKS		200000
#define DOCX_MAX_TEXT		(16u * 1024 * 1024) /* text of one cell/para */
#define DOCX_ICON_EMU		304800	/* pictures smaller are icons */

#define DOCX_NS_W	"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DOCX_NS_WS	"http://purl.oclc.org/ooxml/wordprocessingml/main"
#define DOCX_NS_DC	"http://purl.org/dc/elements/1.1/"
#define DOCX_NS_MC	"http://schemas.openxmlformats.org/markup-compatibility/2006"
#define DOCX_NS_WP	"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

struct docx {
	struct doc	*doc;
	int		 next_id;	/* cell ids, unique in the document */
	size_t		 cells;		/* grid cells emitted so far */
	size_t		 copy_text;	/* bytes of text in span copies */
	int		 full;		/* a limit was reached: stop adding */
};

/* The text of one paragraph (or cell) being collected. */
struct docx_text {
	struct buf	 b;
	int		 images;	/* pictures found (icons excluded) */
	char		*alt;		/* description of the first one */
};

static void	docx_runs(struct docx *, const xmlNode *, struct docx_text *,
		    int);
static void	docx_blocks(struct docx *, const xmlNode *, int);

/* ---- small helpers ---- */

static int
docx_in(const xmlNode *n, const char *href)
{
	return n->ns != NULL && n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, href) == 0;
}

/* Whether n is the WordprocessingML element w:<name>. */
static int
docx_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0 &&
	    (docx_in(n, DOCX_NS_W) || docx_in(n, DOCX_NS_WS));
}

/* The first w:<name> child of n, or NULL. */
static const xmlNode *
docx_child(const xmlNode *n, const char *name)
{
	const xmlNode *c;

	for (c = n->children; c != NULL; c = c->next)
		if (docx_is(c, name))
			return c;
	return NULL;
}

/* The value of attribute name (any namespace), borrowed, or NULL. */
static const char *
docx_attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		if (a->children != NULL && a->children->type == XML_TEXT_NODE &&
		    a->children->content != NULL)
			return (const char *)a->children->content;
		return "";
	}
	return NULL;
}

/* A w:val as a count: digits only, 0 and garbage give def, capped. */
static unsigned
docx_val_uint(const xmlNode *n, unsigned def, unsigned max)
{
	const char *s = n != NULL ? docx_attr(n, "val") : NULL;
	unsigned v = 0;
	int digits = 0;

	if (s == NULL)
		return def;
	for (; *s >= '0' && *s <= '9'; s++) {
		digits = 1;
		if (v < max)
			v = v * 10 + (unsigned)(*s - '0');
	}
	if (!digits || v == 0)
		return def;
	return v > max ? max : v;
}

/* A w:vanish, w:b-like toggle: present and not "0"/"false"/"off". */
static int
docx_on(const xmlNode *n)
{
	const char *v;

	if (n == NULL)
		return 0;
	v = docx_attr(n, "val");
	return v == NULL || !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "off") == 0);
}

/* An EMU size attribute (a long decimal); 0 when absent or garbage. */
static uint64_t
docx_emu(const xmlNode *n, const char *name)
{
	const char *s = docx_attr(n, name);
	uint64_t v = 0;

	for (; s != NULL && *s >= '0' && *s <= '9'; s++)
		if (v < UINT64_MAX / 100)
			v = v * 10 + (uint64_t)(*s - '0');
	return v;
}

static int
docx_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * The range of s[0..len) without leading and trailing spaces, NBSP and
 * U+3000 (Word pads blank cells with them).
 */
static void
docx_trim(const char *s, size_t len, size_t *start, size_t *end)
{
	size_t a = 0, e = len;

	for (;;) {
		if (a < e && docx_space((unsigned char)s[a]))
			a++;
		else if (e - a >= 2 && memcmp(s + a, "\xc2\xa0", 2) == 0)
			a += 2;
		else if (e - a >= 3 && memcmp(s + a, "\xe3\x80\x80", 3) == 0)
			a += 3;
		else
			break;
	}
	for (;;) {
		if (e > a && docx_space((unsigned char)s[e - 1]))
			e--;
		else if (e - a >= 2 && memcmp(s + e - 2, "\xc2\xa0", 2) == 0)
			e -= 2;
		else if (e - a >= 3 && memcmp(s + e - 3, "\xe3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	*start = a;
	*end = e;
}

static void
docx_text_init(struct docx_text *t)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->b, DOCX_MAX_TEXT);
	buf_add(&t->b, "", 0);
}

static void
docx_text_free(struct docx_text *t)
{
	buf_release(&t->b);
	free(t->alt);
}

/* ---- runs: the text of one paragraph ---- */

/* A picture (w:drawing, w:pict, w:object): counted unless an icon. */
static void
docx_picture(const xmlNode *n, struct docx_text *t, int depth)
{
	const xmlNode *c, *ext = NULL, *pr = NULL;
	const char *alt = NULL;

	/* wp:inline or wp:anchor hold wp:extent and wp:docPr */
	for (c = n->children; c != NULL && depth < DOCX_MAX_DEPTH; c = c->next) {
		const xmlNode *k;

		if (c->type != XML_ELEMENT_NODE || !docx_in(c, DOCX_NS_WP))
			continue;
		for (k = c->children; k != NULL; k = k->next) {
			if (k->type != XML_ELEMENT_NODE || !docx_in(k, DOCX_NS_WP))
				continue;
			if (strcmp((const char *)k->name, "extent") == 0)
				ext = k;
			else if (strcmp((const char *)k->name, "docPr") == 0)
				pr = k;
		}
	}
	if (ext != NULL) {
		uint64_t cx = docx_emu(ext, "cx"), cy = docx_emu(ext, "cy");

		if (cx > 0 && cy > 0 && cx < DOCX_ICON_EMU &&
		    cy < DOCX_ICON_EMU)
			return;
	}
	if (pr != NULL) {
		alt = docx_attr(pr, "descr");
		if (alt == NULL || *alt == '\0')
			alt = docx_attr(pr, "title");
		if (alt == NULL || *alt == '\0')
			alt = docx_attr(pr, "name");
	}
	t->images++;
	if (t->alt == NULL)
		t->alt = xstrdup(alt != NULL && *alt != '\0' ? alt : "picture");
}

/* Appends the text children of n (a w:t) to the paragraph. */
static void
docx_add_t(const xmlNode *n, struct docx_text *t)
{
	const xmlNode *c;

	for (c = n->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) && c->content != NULL)
			buf_adds(&t->b, (const char *)c->content);
}

/* The content of one w:r. */
static void
docx_run(struct docx *dx, const xmlNode *r, struct docx_text *t, int depth)
{
	const xmlNode *c, *pr;

	pr = docx_child(r, "rPr");
	if (pr != NULL && (docx_on(docx_child(pr, "vanish")) ||
	    docx_on(docx_child(pr, "specVanish"))))
		return;		/* hidden text is not shown */
	for (c = r->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docx_is(c, "t"))
			docx_add_t(c, t);
		else if (docx_is(c, "tab") || docx_is(c, "ptab"))
			buf_addc(&t->b, '\t');
		else if (docx_is(c, "br") || docx_is(c, "cr"))
			buf_addc(&t->b, '\n');
		else if (docx_is(c, "noBreakHyphen"))
			buf_addc(&t->b, '-');
		else if (docx_is(c, "drawing") || docx_is(c, "pict") ||
		    docx_is(c, "object"))
			docx_picture(c, t, depth + 1);
		else if (docx_in(c, DOCX_NS_MC) && depth < DOCX_MAX_DEPTH &&
		    strcmp((const char *)c->name, "AlternateContent") == 0) {
			const xmlNode *k;

			/* one of the alternatives: the first Choice */
			for (k = c->children; k != NULL; k = k->next)
				if (k->type == XML_ELEMENT_NODE &&
				    docx_in(k, DOCX_NS_MC))
					break;
			if (k != NULL)
				docx_run(dx, k, t, depth + 1);
		} else if (docx_is(c, "ruby") && depth < DOCX_MAX_DEPTH) {
			const xmlNode *base = docx_child(c, "rubyBase");

			if (base != NULL)
				docx_runs(dx, base, t, depth + 1);
		}
		/* w:delText, w:instrText, w:fldChar, w:sym: not text */
	}
}

/*
 * The inline content of a paragraph (or of an element inside one):
 * runs, and the containers runs are found in.  Deleted text is left out,
 * inserted text is in: the document as it reads with changes accepted.
 */
static void
docx_runs(struct docx *dx, const xmlNode *p, struct docx_text *t, int depth)
{
	const xmlNode *c;

	if (depth > DOCX_MAX_DEPTH)
		return;
	for (c = p->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (docx_is(c, "r"))
			docx_run(dx, c, t, depth + 1);
		else if (docx_is(c, "hyperlink") || docx_is(c, "ins") ||
		    docx_is(c, "moveTo") || docx_is(c, "smartTag") ||
		    docx_is(c, "customXml") || docx_is(c, "fldSimple") ||
		    docx_is(c, "dir") || docx_is(c, "bdo") ||
		    docx_is(c, "sdtContent"))
			docx_runs(dx, c, t, depth + 1);
		else if (docx_is(c, "sdt")) {
			const xmlNode *k = docx_child(c, "sdtContent");

			if (k != NULL)
				docx_runs(dx, k, t, depth + 1);
		} else if (docx_in(c, DOCX_NS_MC) &&
		    strcmp((const char *)c->name, "AlternateContent") == 0) {
			const xmlNode *k;

			for (k = c->children; k != NULL; k = k->next)
				if (k->type == XML_ELEMENT_NODE &&
				    docx_in(k, DOCX_NS_MC))
					break;
			if (k != NULL)
				docx_runs(dx, k, t, depth + 1);
		}
		/* w:del, w:moveFrom, w:pPr, bookmarks, math: not read */
	}
}

/* ---- paragraphs ---- */

/* Appends a line to a cell's text: trimmed, empty lines dropped. */
static void
docx_add_line(struct buf *lines, const char *s, size_t len)
{
	size_t a, e;

	docx_trim(s, len, &a, &e);
	if (e == a)
		return;
	if (lines->len > 0)
		buf_addc(lines, '\n');
	buf_add(lines, s + a, e - a);
}

static void
docx_add_block_text(struct docx *dx, const char *s, size_t len)
{
	size_t a, e;
	char *line;

	docx_trim(s, len, &a, &e);
	if (e == a)
		return;
	if (dx->doc->nblocks >= DOCX_MAX_BLOCKS) {
		dx->full = 1;
		return;
	}
	line = xstrndup(s + a, e - a);
	doc_add_text(dx->doc, line, 0);
	free(line);
}

/*
 * A body paragraph: each line (w:br splits them) is a text block, then
 * a picture in it is an image block (a table published as a picture
 * stands where the table should).
 */
static void
docx_para(struct docx *dx, const xmlNode *p, int depth)
{
	struct docx_text t;
	const char *s, *nl, *end;

	docx_text_init(&t);
	docx_runs(dx, p, &t, depth + 1);
	s = buf_str(&t.b);
	end = s + t.b.len;
	while (s < end && !dx->full) {
		nl = memchr(s, '\n', end - s);
		if (nl == NULL)
			nl = end;
		docx_add_block_text(dx, s, nl - s);
		s = nl + 1;
	}
	if (t.images > 0 && !dx->full) {
		if (dx->doc->nblocks < DOCX_MAX_BLOCKS)
			doc_add_image(dx->doc, t.alt, 0);
		else
			dx->full = 1;
	}
	docx_text_free(&t);
}

/* ---- tables ---- */

/* The rows of a table, or the cells of a row, through w:sdt/customXml. */
struct docx_list {
	const xmlNode	**v;
	size_t		  n;
	size_t		  cap;
};

static void
docx_collect(const xmlNode *n, const char *name, struct docx_list *l,
    int depth)
{
	const xmlNode *c;

	if (depth > DOCX_MAX_DEPTH)
		return;
	for (c = n->children; c != NULL; c = c->next) {
		if (docx_is(c, name)) {
			if (l->n == l->cap) {
				l->cap = l->cap ? l->cap * 2 : 32;
				l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
			}
			l->v[l->n++] = c;
		} else if (docx_is(c, "sdt")) {
			const xmlNode *k = docx_child(c, "sdtContent");

			if (k != NULL)
				docx_collect(k, name, l, depth + 1);
		} else if (docx_is(c, "customXml") || docx_is(c, "ins") ||
		    docx_is(c, "moveTo"))
			docx_collect(c, name, l, depth + 1);
	}
}

static void	docx_cell_blocks(struct docx *, const xmlNode *,
		    struct buf *, int *, int);

/*
 * A table nested in a cell, flattened into the cell's text: one line per
 * row, the row's cell texts joined by a space.
 */
static void
docx_nested(struct docx *dx, const xmlNode *tbl, struct buf *lines,
    int *images, int depth)
{
	struct docx_list rows, tcs;
	struct buf row, cell;
	size_t i, j;

	memset(&rows, 0, sizeof rows);
	docx_collect(tbl, "tr", &rows, depth + 1);
	for (i = 0; i < rows.n; i++) {
		memset(&tcs, 0, sizeof tcs);
		docx_collect(rows.v[i], "tc", &tcs, depth + 1);
		buf_init(&row, DOCX_MAX_TEXT);
		buf_add(&row, "", 0);
		for (j = 0; j < tcs.n; j++) {
			buf_init(&cell, DOCX_MAX_TEXT);
			buf_add(&cell, "", 0);
			docx_cell_blocks(dx, tcs.v[j], &cell, images, depth + 1);
			if (cell.len > 0) {
				size_t k;

				for (k = 0; k < cell.len; k++)
					if (cell.data[k] == '\n')
						cell.data[k] = ' ';
				if (row.len > 0)
					buf_addc(&row, ' ');
				buf_add(&row, cell.data, cell.len);
			}
			buf_release(&cell);
		}
		docx_add_line(lines, buf_str(&row), row.len);
		buf_release(&row);
		free(tcs.v);
	}
	free(rows.v);
}

/* The block content of a cell: paragraphs (and nested tables) as lines. */
static void
docx_cell_blocks(struct docx *dx, const xmlNode *n, struct buf *lines,
    int *images, int depth)
{
	const xmlNode *c;
	struct docx_text t;
	const char *s, *nl, *end;

	if (depth > DOCX_MAX_DEPTH)
		return;
	for (c = n->children; c != NULL; c = c->next) {
		if (docx_is(c, "p")) {
			docx_text_init(&t);
			docx_runs(dx, c, &t, depth + 1);
			s = buf_str(&t.b);
			end = s + t.b.len;
			while (s < end) {
				nl = memchr(s, '\n', end - s);
				if (nl == NULL)
					nl = end;
				docx_add_line(lines, s, nl - s);
				s = nl + 1;
			}
			if (t.images > 0)
				*images = 1;
			docx_text_free(&t);
		} else if (docx_is(c, "tbl"))
			docx_nested(dx, c, lines, images, depth + 1);
		else if (docx_is(c, "sdt")) {
			const xmlNode *k = docx_child(c, "sdtContent");

			if (k != NULL)
				docx_cell_blocks(dx, k, lines, images,
				    depth + 1);
		} else if (docx_is(c, "customXml"))
			docx_cell_blocks(dx, c, lines, images, depth + 1);
	}
}

/* One source cell of the grid. */
struct docx_gcell {
	char	*text;
	int	 id;
};

/* A grid slot: the source cell shown there (-1 none), copy or origin. */
struct docx_slot {
	int	 cell;
	int	 copy;
};

struct docx_grow {
	struct docx_slot *slot;
	size_t		  n;
};

static void
docx_grow_set(struct docx_grow *r, size_t c, int cell, int copy)
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

/* The cell shown at column c of a row, -1 for none. */
static int
docx_grow_at(const struct docx_grow *r, size_t c)
{
	return r != NULL && c < r->n ? r->slot[c].cell : -1;
}

/*
 * Builds the grid of a w:tbl and appends it.  Each row starts after its
 * w:gridBefore columns; each w:tc takes w:gridSpan columns.  A cell with
 * w:vMerge continue (w:vMerge without a value) repeats the cell above it
 * in the same columns as a copy with the same id; a continue with nothing
 * above is read as a cell of its own.  A slot no cell covers, left of one
 * that is covered, is an empty cell with id -1; rows are not padded at
 * their end (doc.h).  A table without any text but with pictures is an
 * image block: the report's table published as a picture.
 */
static void
docx_table(struct docx *dx, const xmlNode *tbl, int depth)
{
	struct docx_list trs, tcs;
	struct docx_grow *rows = NULL, *prev = NULL;
	struct docx_gcell *cells = NULL;
	size_t nrows = 0, ncells = 0, capcells = 0, i, j, k, c, width = 0;
	struct doc_table *dt;
	struct doc_row *dr;
	int images = 0, full = 0, anytext = 0;

	memset(&trs, 0, sizeof trs);
	docx_collect(tbl, "tr", &trs, depth + 1);
	rows = xcalloc(trs.n ? trs.n : 1, sizeof *rows);
	for (i = 0; i < trs.n && !full; i++) {
		struct docx_grow *row = &rows[nrows];
		const xmlNode *trpr = docx_child(trs.v[i], "trPr");
		int text = 0;

		memset(row, 0, sizeof *row);
		c = trpr != NULL ? docx_val_uint(docx_child(trpr,
		    "gridBefore"), 0, DOCX_MAX_SPAN) : 0;
		memset(&tcs, 0, sizeof tcs);
		docx_collect(trs.v[i], "tc", &tcs, depth + 1);
		for (j = 0; j < tcs.n && c < DOCX_MAX_COLS; j++) {
			const xmlNode *pr = docx_child(tcs.v[j], "tcPr");
			const xmlNode *vm = NULL;
			const char *v;
			unsigned cs;
			int above, cont = 0;
			struct buf lines;

			cs = pr != NULL ? docx_val_uint(docx_child(pr,
			    "gridSpan"), 1, DOCX_MAX_SPAN) : 1;
			if (cs > DOCX_MAX_COLS - c)
				cs = (unsigned)(DOCX_MAX_COLS - c);
			if (pr != NULL)
				vm = docx_child(pr, "vMerge");
			if (vm != NULL) {
				v = docx_attr(vm, "val");
				cont = v == NULL || strcmp(v, "continue") == 0;
			}
			above = docx_grow_at(prev, c);
			if (cont && above >= 0) {
				/* the cell above, continued: copies */
				for (k = 0; k < cs; k++) {
					int a = docx_grow_at(prev, c + k);

					docx_grow_set(row, c + k,
					    a >= 0 ? a : above, 1);
				}
				if (cells[above].text[0] != '\0')
					text = 1;
				/* a continued cell's own content is not shown,
				 * but a picture in it still counts */
				buf_init(&lines, DOCX_MAX_TEXT);
				docx_cell_blocks(dx, tcs.v[j], &lines, &images,
				    depth + 1);
				buf_release(&lines);
				c += cs;
				continue;
			}
			if (ncells == capcells) {
				capcells = capcells ? capcells * 2 : 64;
				cells = xreallocarray(cells, capcells,
				    sizeof *cells);
			}
			buf_init(&lines, DOCX_MAX_TEXT);
			buf_add(&lines, "", 0);
			docx_cell_blocks(dx, tcs.v[j], &lines, &images,
			    depth + 1);
			cells[ncells].text = buf_detach(&lines);
			cells[ncells].id = dx->next_id++;
			if (cells[ncells].text[0] != '\0')
				text = 1;
			for (k = 0; k < cs; k++)
				docx_grow_set(row, c + k, (int)ncells, k > 0);
			ncells++;
			c += cs;
		}
		free(tcs.v);
		/*
		 * Empty rows are kept (unlike html.c's Word spacer rows):
		 * a blank form's value row is all empty cells.
		 */
		if (row->n == 0) {
			free(row->slot);
			memset(row, 0, sizeof *row);
			prev = NULL;
			continue;
		}
		if (text)
			anytext = 1;
		k = row->n > width ? row->n : width;
		if ((nrows + 1) * k > DOCX_MAX_TABLE_CELLS ||
		    dx->cells + (nrows + 1) * k > DOCX_MAX_DOC_CELLS) {
			free(row->slot);
			memset(row, 0, sizeof *row);
			full = 1;
			break;
		}
		width = k;
		prev = row;
		nrows++;
	}

	if (dx->doc->nblocks >= DOCX_MAX_BLOCKS)
		dx->full = 1;
	if (!anytext && images && !dx->full)
		doc_add_image(dx->doc, "table as picture", 0);
	else if (nrows > 0 && !dx->full) {
		dt = doc_add_table(dx->doc, 0);
		dt->images = images;
		for (i = 0; i < nrows; i++) {
			dr = doc_table_add_row(dt);
			for (c = 0; c < rows[i].n; c++) {
				const struct docx_slot *sl = &rows[i].slot[c];
				const struct docx_gcell *gc;
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
				if (dx->copy_text + tl > DOCX_MAX_COPY_TEXT)
					tl = 0;
				dx->copy_text += tl;
				doc_row_add_cell(dt, dr, tl ? gc->text : "",
				    gc->id, 1);
			}
		}
		dx->cells += nrows * width;
	}
	if (full)
		dx->full = 1;
	for (i = 0; i < nrows; i++)
		free(rows[i].slot);
	for (i = 0; i < ncells; i++)
		free(cells[i].text);
	free(rows);
	free(cells);
	free(trs.v);
}

/* ---- the body ---- */

/* Block-level content: paragraphs, tables, and their containers. */
static void
docx_blocks(struct docx *dx, const xmlNode *n, int depth)
{
	const xmlNode *c;

	if (depth > DOCX_MAX_DEPTH)
		return;
	for (c = n->children; c != NULL && !dx->full; c = c->next) {
		if (docx_is(c, "p"))
			docx_para(dx, c, depth + 1);
		else if (docx_is(c, "tbl"))
			docx_table(dx, c, depth + 1);
		else if (docx_is(c, "sdt")) {
			const xmlNode *k = docx_child(c, "sdtContent");

			if (k != NULL)
				docx_blocks(dx, k, depth + 1);
		} else if (docx_is(c, "customXml") || docx_is(c, "ins") ||
		    docx_is(c, "moveTo"))
			docx_blocks(dx, c, depth + 1);
	}
}

/* ---- the archive ---- */

/* Counts "<" (about the number of nodes libxml2 will allocate). */
static size_t
docx_tags(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	size_t n = 0;

	while (p < end && (p = memchr(p, '<', end - p)) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* Whether s occurs in buf as 8-bit or UTF-16 (either byte order). */
static int
docx_has(const char *buf, size_t len, const char *s)
{
	size_t sl = strlen(s), i, j, w;

	for (w = 1; w <= 2; w++) {
		if (sl * w > len)
			continue;
		for (i = 0; i + sl * w <= len; i++) {
			if (buf[i] != s[0])
				continue;
			for (j = 1; j < sl; j++)
				if (buf[i + j * w] != s[j])
					break;
			if (j == sl)
				return 1;
		}
	}
	return 0;
}

/*
 * Reads one archive entry into *out (NUL-terminated), at most max bytes:
 * the declared size is checked first, then the bytes actually inflated,
 * since the header can lie.  Returns -1 with *cause.
 */
static int
docx_entry(zip_t *za, zip_int64_t idx, const char *name, size_t max,
    char **out, size_t *outlen, char **cause)
{
	zip_stat_t st;
	zip_file_t *zf = NULL;
	struct buf b;
	char chunk[65536];
	zip_int64_t n;
	int rc = -1;

	*out = NULL;
	buf_init(&b, 0);
	zip_stat_init(&st);
	if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0) {
		xasprintf(cause, "broken ZIP archive (%s: %s)", name,
		    zip_strerror(za));
		goto out;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > max) {
		xasprintf(cause, "%s larger than %zu MB uncompressed", name,
		    max / (1024 * 1024));
		goto out;
	}
	if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) &&
	    st.size > DOCX_RATIO_FROM &&
	    st.size / (st.comp_size ? st.comp_size : 1) > DOCX_MAX_RATIO) {
		xasprintf(cause, "%s compressed %llu:1, not a document "
		    "(a ZIP bomb?)", name, (unsigned long long)(st.size /
		    (st.comp_size ? st.comp_size : 1)));
		goto out;
	}
	zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (zf == NULL) {
		xasprintf(cause, "broken ZIP archive (%s: %s)", name,
		    zip_strerror(za));
		goto out;
	}
	buf_add(&b, "", 0);
	for (;;) {
		n = zip_fread(zf, chunk, sizeof chunk);
		if (n < 0) {
			xasprintf(cause, "broken ZIP archive (%s: %s)", name,
			    zip_file_strerror(zf));
			goto out;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			xasprintf(cause, "%s larger than %zu MB uncompressed",
			    name, max / (1024 * 1024));
			goto out;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	*outlen = b.len;
	*out = buf_detach(&b);
	rc = 0;
out:
	if (zf != NULL)
		zip_fclose(zf);
	buf_release(&b);
	return rc;
}

/* Parses XML safely; returns NULL with *cause. */
static xmlDoc *
docx_xml(const char *buf, size_t len, const char *name, char **cause)
{
	xmlParserCtxt *ctx;
	xmlDoc *x = NULL;
	const xmlError *e;
	size_t tags;

	if (docx_has(buf, len, "<!ENTITY")) {
		xasprintf(cause, "%s declares XML entities; refused", name);
		return NULL;
	}
	tags = docx_tags(buf, len);
	if (tags > DOCX_MAX_TAGS) {
		xasprintf(cause, "%s has %zu tags, more than the limit of %u",
		    name, tags, DOCX_MAX_TAGS);
		return NULL;
	}
	if (len > INT32_MAX) {
		xasprintf(cause, "%s is too large", name);
		return NULL;
	}
	ctx = xmlNewParserCtxt();
	if (ctx == NULL) {
		xasprintf(cause, "%s: the XML parser failed", name);
		return NULL;
	}
	/* no entity expansion, no DTD, no network, default limits */
	x = xmlCtxtReadMemory(ctx, buf, (int)len, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA);
	e = xmlCtxtGetLastError(ctx);
	if (x == NULL || (e != NULL && e->level >= XML_ERR_FATAL)) {
		if (e != NULL && e->message != NULL) {
			char *m = xstrndup(e->message,
			    strnlen(e->message, 200));
			size_t ml = strlen(m), i;

			/* libxml2 quotes the input's bytes: keep it ASCII */
			for (i = 0; i < ml; i++)
				if ((unsigned char)m[i] < 0x20 ||
				    (unsigned char)m[i] > 0x7e)
					m[i] = '?';
			while (ml > 0 && (docx_space((unsigned char)m[ml - 1]) ||
			    m[ml - 1] == '?'))
				m[--ml] = '\0';
			xasprintf(cause, "%s: XML error at line %d: %s", name,
			    e->line, m);
			free(m);
		} else
			xasprintf(cause, "%s: not well-formed XML", name);
		if (x != NULL)
			xmlFreeDoc(x);
		x = NULL;
	} else if (x->intSubset != NULL && x->intSubset->entities != NULL) {
		xasprintf(cause, "%s declares XML entities; refused", name);
		xmlFreeDoc(x);
		x = NULL;
	}
	xmlFreeParserCtxt(ctx);
	return x;
}

/* dc:title of docProps/core.xml, if there is one; errors are ignored. */
static void
docx_title(zip_t *za, struct doc *d)
{
	zip_int64_t idx;
	char *buf = NULL, *cause = NULL;
	size_t len;
	xmlDoc *x = NULL;
	const xmlNode *root, *c;

	idx = zip_name_locate(za, "docProps/core.xml", 0);
	if (idx < 0 || docx_entry(za, idx, "docProps/core.xml", DOCX_MAX_CORE,
	    &buf, &len, &cause) != 0)
		goto out;
	x = docx_xml(buf, len, "docProps/core.xml", &cause);
	if (x == NULL || (root = xmlDocGetRootElement(x)) == NULL)
		goto out;
	for (c = root->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && docx_in(c, DOCX_NS_DC) &&
		    strcmp((const char *)c->name, "title") == 0) {
			struct docx_text t;
			size_t a, e;
			char *s;

			docx_text_init(&t);
			docx_add_t(c, &t);
			docx_trim(buf_str(&t.b), t.b.len, &a, &e);
			if (e > a) {
				s = xstrndup(buf_str(&t.b) + a, e - a);
				doc_set(&d->title, s);
				free(s);
			}
			docx_text_free(&t);
			break;
		}
	}
out:
	if (x != NULL)
		xmlFreeDoc(x);
	free(buf);
	free(cause);
}

/*
 * The main part named by _rels/.rels when it is not word/document.xml
 * (Word Online writes word/document2.xml): its index, or -1.
 */
static zip_int64_t
docx_main_part(zip_t *za, char **name)
{
	zip_int64_t idx;
	char *buf = NULL, *cause = NULL;
	size_t len;
	xmlDoc *x = NULL;
	const xmlNode *root, *c;
	const char *type, *target;

	*name = NULL;
	idx = zip_name_locate(za, "_rels/.rels", 0);
	if (idx < 0 || docx_entry(za, idx, "_rels/.rels", DOCX_MAX_CORE,
	    &buf, &len, &cause) != 0)
		goto none;
	x = docx_xml(buf, len, "_rels/.rels", &cause);
	if (x == NULL || (root = xmlDocGetRootElement(x)) == NULL)
		goto none;
	for (c = root->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "Relationship") != 0)
			continue;
		type = docx_attr(c, "Type");
		target = docx_attr(c, "Target");
		if (type == NULL || target == NULL || strlen(type) < 15 ||
		    strcmp(type + strlen(type) - 15, "/officeDocument") != 0)
			continue;
		while (*target == '/')
			target++;
		if (strncmp(target, "word/", 5) != 0)
			break;		/* not a Word document's main part */
		idx = zip_name_locate(za, target, 0);
		if (idx >= 0)
			*name = xstrdup(target);
		xmlFreeDoc(x);
		free(buf);
		return idx;
	}
none:
	if (x != NULL)
		xmlFreeDoc(x);
	free(buf);
	free(cause);
	return -1;
}

/* What a ZIP that is not a Word document is, for the refusal. */
static const char *
docx_other(zip_t *za)
{
	static const struct {
		const char *entry;
		const char *what;
	} kinds[] = {
		{ "xl/workbook.xml", "an Excel workbook (XLSX)" },
		{ "ppt/presentation.xml", "a PowerPoint presentation (PPTX)" },
		{ "OFD.xml", "an OFD document" },
		{ "Doc_0/Document.xml", "an OFD document" },
		{ "content.xml", "an OpenDocument file (ODT/ODS)" },
	};
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (zip_name_locate(za, kinds[i].entry, ZIP_FL_NOCASE) >= 0)
			return kinds[i].what;
	return NULL;
}

int
docx_read(const char *buf, size_t len, struct doc **out, char **cause)
{
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	zip_error_t zerr;
	zip_int64_t n, idx;
	char *xml = NULL, *part = NULL;
	size_t xlen;
	xmlDoc *x = NULL;
	const xmlNode *root, *body;
	const char *what;
	struct docx dx;
	int rc = -1;

	*out = NULL;
	memset(&dx, 0, sizeof dx);
	zip_error_init(&zerr);
	if (len > PARSE_MAX_INPUT) {
		xasprintf(cause, "%zu bytes is larger than the limit", len);
		goto out;
	}
	src = zip_source_buffer_create(buf, len, 0, &zerr);
	if (src == NULL) {
		xasprintf(cause, "broken ZIP archive (%s)",
		    zip_error_strerror(&zerr));
		goto out;
	}
	za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	if (za == NULL) {
		xasprintf(cause, "broken ZIP archive (%s)",
		    zip_error_strerror(&zerr));
		goto out;
	}
	src = NULL;		/* the archive owns it now */
	n = zip_get_num_entries(za, 0);
	if (n > DOCX_MAX_ENTRIES) {
		xasprintf(cause, "a ZIP archive of %lld entries, more than the "
		    "limit of %u", (long long)n, DOCX_MAX_ENTRIES);
		goto out;
	}
	idx = zip_name_locate(za, "word/document.xml", 0);
	if (idx < 0)
		idx = docx_main_part(za, &part);
	if (idx < 0) {
		what = docx_other(za);
		if (what != NULL)
			xasprintf(cause, "%s, not a Word document (no "
			    "word/document.xml); save it as DOCX", what);
		else
			xasprintf(cause, "not a Word document (no "
			    "word/document.xml)");
		goto out;
	}
	if (docx_entry(za, idx, part != NULL ? part : "word/document.xml",
	    DOCX_MAX_XML, &xml, &xlen, cause) != 0)
		goto out;
	x = docx_xml(xml, xlen, part != NULL ? part : "word/document.xml",
	    cause);
	if (x == NULL)
		goto out;
	root = xmlDocGetRootElement(x);
	body = root != NULL ? docx_child(root, "body") : NULL;
	if (root == NULL || !docx_is(root, "document") || body == NULL) {
		xasprintf(cause, "%s has no w:body",
		    part != NULL ? part : "word/document.xml");
		goto out;
	}

	dx.doc = doc_new();
	dx.doc->reader = "docx";
	docx_blocks(&dx, body, 0);
	if (dx.doc->nblocks == 0) {
		xasprintf(cause, "no text in the Word document");
		goto out;
	}
	docx_title(za, dx.doc);
	*out = dx.doc;
	dx.doc = NULL;
	rc = 0;
out:
	doc_free(dx.doc);
	if (x != NULL)
		xmlFreeDoc(x);
	free(xml);
	free(part);
	if (za != NULL)
		zip_discard(za);
	if (src != NULL)
		zip_source_free(src);
	zip_error_fini(&zerr);
	return rc;
}
