/*
 * Layout of a PDF's text layer: positioned characters in, paragraphs and
 * tables out.  PDF has no tables, only characters at positions (and rules
 * that poppler-glib does not show), so everything here is geometry:
 *
 *   lines      characters grouped by baseline (y centre within a fraction
 *              of the smaller glyph height), sorted by x
 *   segments   runs of a line cut where the gap exceeds 0.9 glyph heights:
 *              cell boundaries in a table, never inside prose
 *   regions    runs of lines with two or more segments, with the short
 *              lines between them (wrapped labels, vertical labels); a
 *              region at the foot of a page and one at the head of the next
 *              are one table
 *   columns    x-bands built from the lines with the most segments first;
 *              a segment over several bands is a spanning cell
 *   rows       one per line holding values (numbers), or holding text in
 *              the value columns (headers); label pieces of other lines are
 *              joined (wrapped labels, characters stacked one per line) and
 *              go to the nearest row
 *
 * Label cells of a row come out compacted (the mapper takes the last one),
 * value cells one per column with "" for an empty one, so that values stay
 * aligned from the right.  Everything else is text: lines joined into a
 * paragraph when a line runs to the right margin and the next starts at the
 * left one.  Page numbers ("-3-", "第 3 页") at the head or foot of a page
 * are dropped.
 *
 * Every array here is sized by the input; all work is O(n log n) but for
 * the column search, which is bounded by PL_MAX_COLS per segment.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "label.h"
#include "pdf_layout.h"
#include "xmalloc.h"

#define PL_COORD_MAX	100000.0	/* points; real pages are < 15000 */
#define PL_GLYPH_MAX	2000.0		/* largest glyph box side */
#define PL_PAGE_STRIDE	1000000.0	/* y offset per page: one y axis */
#define PL_MAX_COLS	64		/* columns of one table */

struct pl_seg {
	double	 x0, x1, y0, y1, h;
	char	*text;
	size_t	 ng;
	size_t	 gi;		/* its first glyph in the line's g */
	int	 value;		/* looks like a number cell */
	int	 col, span;	/* table column, number of columns covered */
};

struct pl_line {
	int		 page;
	double		 x0, x1, y0, y1, h;	/* y on the document axis */
	struct pl_seg	*segs;
	size_t		 nsegs;
	struct pdf_glyph *g;		/* the glyphs, by x (to split a cell) */
	size_t		 ng;
};

struct pl_lines {
	struct pl_line	*v;
	size_t		 n, cap;
};

struct pl_col {
	double	 x0, x1;
};

/* A label piece of a table on its way to a row. */
struct pl_piece {
	double		 x0, x1, y0, y1, h;
	const char	*text;
	size_t		 ng;
	int		 col, span;
	int		 anchor;	/* row of the line it is on, or -1 */
	int		 home;		/* that row, or the nearest one */
	int		 vertical;	/* one of a stack of single characters */
	int		 block;		/* the block's representative piece */
	int		 numbered;	/* starts with a list number: "3.其他" */
};

/* How far back (in pieces, by y) a wrapped line looks for its start. */
#define PL_WINDOW	24

/* A cell's text on its way to a row. */
struct pl_place {
	int		 row, col, span;
	double		 y, x, x1;
	const char	*text;
	char		*own;		/* joined block text, freed after */
};

struct pl_row {
	double	 y;
	int	 id;
};

/* ---- glyphs, lines, segments ---- */

static int
pl_space(unsigned cp)
{
	return cp <= 0x20 || cp == 0x7f || cp == 0xa0 || cp == 0x3000 ||
	    (cp >= 0x2000 && cp <= 0x200b) || cp == 0xfeff || cp == 0x85;
}

static int
pl_glyph_ok(const struct pdf_glyph *g)
{
	if (!isfinite(g->x0) || !isfinite(g->x1) || !isfinite(g->y0) ||
	    !isfinite(g->y1))
		return 0;
	if (fabs(g->x0) > PL_COORD_MAX || fabs(g->x1) > PL_COORD_MAX ||
	    fabs(g->y0) > PL_COORD_MAX || fabs(g->y1) > PL_COORD_MAX)
		return 0;
	if (g->x1 < g->x0 || g->y1 <= g->y0 || g->x1 - g->x0 > PL_GLYPH_MAX ||
	    g->y1 - g->y0 > PL_GLYPH_MAX)
		return 0;
	if (pl_space(g->cp) || g->cp > 0x10ffff ||
	    (g->cp >= 0xd800 && g->cp <= 0xdfff))
		return 0;
	return 1;
}

static double
pl_yc(const struct pdf_glyph *g)
{
	return (g->y0 + g->y1) / 2;
}

static int
pl_cmp_yc(const void *a, const void *b)
{
	const struct pdf_glyph *ga = a, *gb = b;
	double ya = pl_yc(ga), yb = pl_yc(gb);

	if (ya != yb)
		return ya < yb ? -1 : 1;
	if (ga->x0 != gb->x0)
		return ga->x0 < gb->x0 ? -1 : 1;
	return 0;
}

static int
pl_cmp_x(const void *a, const void *b)
{
	const struct pdf_glyph *ga = a, *gb = b;

	if (ga->x0 != gb->x0)
		return ga->x0 < gb->x0 ? -1 : 1;
	if (ga->x1 != gb->x1)
		return ga->x1 < gb->x1 ? -1 : 1;
	return 0;
}

static int
pl_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
pl_ascii_alnum(unsigned cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
	    (cp >= 'A' && cp <= 'Z');
}

/* Whether a segment's text is a value: a number, a dash, "/", "无". */
static int
pl_is_value(const char *s)
{
	static const char *const dash[] = {
		"/", "／", "-", "—", "——", "－", "–", "无", NULL,
	};
	const char *p = s, *q;
	unsigned cp, last = 0;
	size_t i;
	int digits = 0;

	for (i = 0; dash[i] != NULL; i++)
		if (strcmp(s, dash[i]) == 0)
			return 1;
	if (*s == '.')
		return 0;
	while (*p != '\0') {
		q = p;
		cp = label_utf8_next(&q);
		if ((cp >= '0' && cp <= '9') || (cp >= 0xff10 && cp <= 0xff19))
			digits++;
		else if (cp != '.' && cp != ',' && cp != 0xff0c &&
		    cp != '%' && cp != ' ' && cp != '-' && cp != 0x4ef6 &&
		    cp != 0x4e2a && cp != 0x9879 && cp != 0x4e07 &&
		    cp != 0x5143)	/* 件 个 项 万 元 */
			return 0;
		last = cp;
		p = q;
	}
	return digits > 0 && last != '.';
}

static void
pl_seg_make(struct pl_seg *s, const struct pdf_glyph *g, size_t n)
{
	struct buf b;
	double *hs;
	char enc[8];
	size_t i;

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	hs = xreallocarray(NULL, n, sizeof *hs);
	s->x0 = g[0].x0;
	s->x1 = g[0].x1;
	s->y0 = g[0].y0;
	s->y1 = g[0].y1;
	for (i = 0; i < n; i++) {
		double h = g[i].y1 - g[i].y0;

		hs[i] = h;
		if (i > 0 && pl_ascii_alnum(g[i - 1].cp) &&
		    pl_ascii_alnum(g[i].cp) && g[i].x0 - g[i - 1].x1 > 0.25 *
		    fmin(h, g[i - 1].y1 - g[i - 1].y0))
			buf_addc(&b, ' ');
		buf_add(&b, enc, (size_t)label_utf8_put(enc, g[i].cp));
		s->x0 = fmin(s->x0, g[i].x0);
		s->x1 = fmax(s->x1, g[i].x1);
		s->y0 = fmin(s->y0, g[i].y0);
		s->y1 = fmax(s->y1, g[i].y1);
	}
	qsort(hs, n, sizeof *hs, pl_cmp_double);
	s->h = hs[n / 2];
	free(hs);
	s->ng = n;
	s->text = buf_detach(&b);
	s->value = pl_is_value(s->text);
	s->col = -1;
	s->span = 1;
}

static struct pl_line *
pl_line_add(struct pl_lines *ls)
{
	struct pl_line *l;

	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 64;
		ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
	}
	l = &ls->v[ls->n++];
	memset(l, 0, sizeof *l);
	return l;
}

/* One line from glyphs sharing a baseline: sorted, de-duplicated, cut. */
static void
pl_line_make(struct pl_lines *ls, struct pdf_glyph *g, size_t n, int page)
{
	struct pl_line *l;
	size_t i, m = 0, start, nseg = 0;
	double right, *hs;

	qsort(g, n, sizeof *g, pl_cmp_x);
	for (i = 0; i < n; i++) {
		/* text drawn twice, slightly offset, for a bold look */
		if (m > 0 && g[i].cp == g[m - 1].cp &&
		    fabs(g[i].x0 - g[m - 1].x0) < 0.5 * (g[i].x1 - g[i].x0) &&
		    fabs(g[i].y0 - g[m - 1].y0) < 0.5 * (g[i].y1 - g[i].y0))
			continue;
		g[m++] = g[i];
	}
	l = pl_line_add(ls);
	l->page = page;
	l->g = xreallocarray(NULL, m, sizeof *l->g);
	memcpy(l->g, g, m * sizeof *l->g);
	l->ng = m;
	l->segs = xreallocarray(NULL, m, sizeof *l->segs);
	start = 0;
	right = g[0].x1;
	for (i = 1; i <= m; i++) {
		if (i < m) {
			double h = fmin(g[i].y1 - g[i].y0,
			    g[i - 1].y1 - g[i - 1].y0);

			if (g[i].x0 - right <= 0.9 * h) {
				right = fmax(right, g[i].x1);
				continue;
			}
		}
		l->segs[nseg].gi = start;
		pl_seg_make(&l->segs[nseg++], g + start, i - start);
		start = i;
		if (i < m)
			right = g[i].x1;
	}
	l->nsegs = nseg;
	l->x0 = l->segs[0].x0;
	l->x1 = l->segs[0].x1;
	l->y0 = l->segs[0].y0;
	l->y1 = l->segs[0].y1;
	hs = xreallocarray(NULL, nseg, sizeof *hs);
	for (i = 0; i < nseg; i++) {
		l->x0 = fmin(l->x0, l->segs[i].x0);
		l->x1 = fmax(l->x1, l->segs[i].x1);
		l->y0 = fmin(l->y0, l->segs[i].y0);
		l->y1 = fmax(l->y1, l->segs[i].y1);
		hs[i] = l->segs[i].h;
	}
	qsort(hs, nseg, sizeof *hs, pl_cmp_double);
	l->h = hs[nseg / 2];
	free(hs);
}

/* Groups one page's glyphs (reordered in place) into lines. */
static void
pl_page_lines(struct pl_lines *ls, struct pdf_glyph *g, size_t n, int page)
{
	size_t i = 0, j;
	double sum, minh, h, tol;

	qsort(g, n, sizeof *g, pl_cmp_yc);
	while (i < n) {
		sum = pl_yc(&g[i]);
		minh = g[i].y1 - g[i].y0;
		for (j = i + 1; j < n; j++) {
			h = g[j].y1 - g[j].y0;
			tol = 0.4 * fmin(h, minh);
			if (pl_yc(&g[j]) - sum / (double)(j - i) > tol)
				break;
			sum += pl_yc(&g[j]);
			minh = fmin(minh, h);
		}
		pl_line_make(ls, g + i, j - i, page);
		i = j;
	}
}

static void
pl_line_free(struct pl_line *l)
{
	size_t i;

	for (i = 0; i < l->nsegs; i++)
		free(l->segs[i].text);
	free(l->segs);
	free(l->g);
}

/*
 * Cuts segment j of a line before its glyph k (0 < k < ng): a number that
 * came too close to the label before it.  The line's segs array was sized
 * for one segment per glyph, so there is room.
 */
static void
pl_seg_split(struct pl_line *l, size_t j, size_t k)
{
	struct pl_seg *s = &l->segs[j];
	size_t gi = s->gi, ng = s->ng;

	memmove(&l->segs[j + 2], &l->segs[j + 1],
	    (l->nsegs - j - 1) * sizeof *l->segs);
	l->nsegs++;
	free(s->text);
	pl_seg_make(&l->segs[j], l->g + gi, k);
	l->segs[j].gi = gi;
	pl_seg_make(&l->segs[j + 1], l->g + gi + k, ng - k);
	l->segs[j + 1].gi = gi + k;
}

static char *
pl_line_text(const struct pl_line *l)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	for (i = 0; i < l->nsegs; i++) {
		if (i > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, l->segs[i].text);
	}
	return buf_detach(&b);
}

/* A page number line: "-3-", "— 3 —", "3", "第 3 页", "第3页 共6页". */
static int
pl_is_folio(const struct pl_line *l)
{
	char *t = pl_line_text(l);
	const char *p = t, *q;
	unsigned cp;
	int digits = 0, other = 0, di = 0;

	while (*p != '\0') {
		q = p;
		cp = label_utf8_next(&q);
		if (cp >= '0' && cp <= '9')
			digits++;
		else if (cp == '-' || cp == 0x2014 || cp == 0x2013 ||
		    cp == 0xff0d || cp == ' ' || cp == '/')
			;
		else if (cp == 0x7b2c || cp == 0x9875 || cp == 0x5171)
			di++;	/* 第 页 共 */
		else
			other++;
		p = q;
	}
	free(t);
	return digits > 0 && digits <= 8 && other == 0 && di <= 4;
}

/* ---- tables ---- */

static int
pl_overlap(double a0, double a1, double b0, double b1)
{
	return fmin(a1, b1) - fmax(a0, b0) > 0;
}

static int
pl_cmp_col(const void *a, const void *b)
{
	const struct pl_col *x = a, *y = b;

	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

struct pl_order {
	size_t	 n, i;
};

static int
pl_cmp_order(const void *a, const void *b)
{
	const struct pl_order *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
pl_plain_value(const struct pl_seg *s)
{
	return s->value && strchr(s->text, ' ') == NULL;
}

/*
 * On a line with numbers, the text just left of the first one may end in
 * a number of its own, glued to it by a gap under the segment cut but
 * wider than half a glyph (no label spaces its characters so): the first
 * value of a row whose label fills its cell.  Cut before it, so that it
 * counts for the value bands even when no other row has a number there
 * (a table of one row).
 */
static void
pl_split_first(struct pl_line *lv, size_t first, size_t last)
{
	struct pl_seg tail;
	size_t i, j, k;
	int plain;

	for (i = first; i <= last; i++) {
		struct pl_line *l = &lv[i];
		const struct pdf_glyph *g;
		struct pl_seg *s;

		for (j = 1; j < l->nsegs; j++)
			if (pl_plain_value(&l->segs[j]))
				break;
		if (j == l->nsegs || l->segs[j - 1].value)
			continue;
		s = &l->segs[j - 1];
		g = l->g + s->gi;
		for (k = s->ng - 1; k > 0; k--)
			if (g[k].x0 - g[k - 1].x1 >= 0.5 * (g[k].y1 - g[k].y0))
				break;
		if (k == 0)
			continue;
		pl_seg_make(&tail, g + k, s->ng - k);
		plain = pl_plain_value(&tail);
		free(tail.text);
		if (plain)
			pl_seg_split(l, j - 1, k);
	}
}

/*
 * Value bands: where the numbers of the rows line up.  Numbers of one
 * column overlap in x (left-, right- or centre-aligned alike) and numbers of
 * two columns never do, however narrow the gap between the cells: LibreOffice
 * leaves 10.8 pt, under the segment cut, so gaps alone cannot find columns.
 * Taken from the plain numbers (a space inside is two numbers run together)
 * of value lines: two or more of them, or one after a label.  Returns the
 * number of bands, in x order, 0 when the region has no value lines.
 */
static size_t
pl_value_bands(struct pl_line *lv, size_t first, size_t last,
    struct pl_col *cols)
{
	struct pl_col *iv;
	size_t i, j, n = 0, cap = 0, nv, ncols = 0;

	pl_split_first(lv, first, last);
	for (i = first; i <= last; i++)
		cap += lv[i].nsegs;
	iv = xreallocarray(NULL, cap ? cap : 1, sizeof *iv);
	for (i = first; i <= last; i++) {
		struct pl_line *l = &lv[i];

		for (j = 0, nv = 0; j < l->nsegs; j++)
			nv += pl_plain_value(&l->segs[j]);
		if (nv == 0 || (nv == 1 && pl_plain_value(&l->segs[0])))
			continue;
		for (j = 0; j < l->nsegs; j++) {
			if (!pl_plain_value(&l->segs[j]))
				continue;
			iv[n].x0 = l->segs[j].x0;
			iv[n].x1 = l->segs[j].x1;
			n++;
		}
	}
	qsort(iv, n, sizeof *iv, pl_cmp_col);
	for (i = 0; i < n; i++) {
		if (ncols > 0 && iv[i].x0 < cols[ncols - 1].x1) {
			cols[ncols - 1].x1 = fmax(cols[ncols - 1].x1, iv[i].x1);
			continue;
		}
		if (ncols == PL_MAX_COLS / 2)
			break;
		cols[ncols++] = iv[i];
	}
	free(iv);
	return ncols;
}

/*
 * Cuts the segments of lines [first, last] where a number starts in a
 * value band right after text that ends before the band: the first number
 * of a row glued to a label that fills its cell, or two numbers run
 * together.
 */
static void
pl_split_glued(struct pl_line *lv, size_t first, size_t last,
    const struct pl_col *vb, size_t nvb)
{
	struct pl_seg tail;
	size_t i, j, k, b;

	for (i = first; i <= last; i++) {
		struct pl_line *l = &lv[i];

		for (j = 0; j < l->nsegs; j++) {
			struct pl_seg *s = &l->segs[j];
			const struct pdf_glyph *g = l->g + s->gi;

			if (pl_plain_value(s) || s->x1 <= vb[0].x0)
				continue;
			for (k = 1; k < s->ng; k++) {
				double tol = 0.3 * (g[k].y1 - g[k].y0);

				for (b = 0; b < nvb; b++)
					if (g[k - 1].x1 <= vb[b].x0 + tol &&
					    g[k].x0 >= vb[b].x0 - tol &&
					    g[k].x0 < vb[b].x1)
						break;
				if (b == nvb)
					continue;
				pl_seg_make(&tail, g + k, s->ng - k);
				free(tail.text);
				if (!tail.value)
					continue;
				pl_seg_split(l, j, k);
				break;
			}
		}
	}
}

/* Column bands of lines [first, last], then each segment's column. */
static size_t
pl_columns(struct pl_line *lv, size_t first, size_t last,
    struct pl_col *cols)
{
	struct pl_order *ord;
	struct pl_col vb[PL_MAX_COLS / 2];
	size_t n = last - first + 1, i, j, k, ncols = 0, m, hit = 0, nvb;
	size_t lim = PL_MAX_COLS;
	double vx = HUGE_VAL;

	/*
	 * Where numbers line up, they make the value columns, and the greedy
	 * search below only finds the label columns left of them.
	 */
	nvb = pl_value_bands(lv, first, last, vb);
	if (nvb > 0) {
		pl_split_glued(lv, first, last, vb, nvb);
		vx = vb[0].x0;
		lim = PL_MAX_COLS - nvb;
	}
	ord = xreallocarray(NULL, n, sizeof *ord);
	for (i = 0; i < n; i++) {
		ord[i].n = lv[first + i].nsegs;
		ord[i].i = first + i;
	}
	qsort(ord, n, sizeof *ord, pl_cmp_order);
	for (i = 0; i < n; i++) {
		struct pl_line *l = &lv[ord[i].i];

		for (j = 0; j < l->nsegs; j++) {
			struct pl_seg *s = &l->segs[j];
			double x1 = fmin(s->x1, vx);

			if ((s->x0 + x1) / 2 >= vx || x1 <= s->x0)
				continue;
			for (k = 0, m = 0; k < ncols; k++)
				if (pl_overlap(s->x0, x1, cols[k].x0,
				    cols[k].x1)) {
					m++;
					hit = k;
				}
			if (m == 0 && ncols < lim) {
				cols[ncols].x0 = s->x0;
				cols[ncols].x1 = x1;
				ncols++;
			} else if (m == 1) {
				cols[hit].x0 = fmin(cols[hit].x0, s->x0);
				cols[hit].x1 = fmax(cols[hit].x1, x1);
			}
		}
	}
	free(ord);
	for (k = 0; k < nvb; k++)
		cols[ncols++] = vb[k];
	qsort(cols, ncols, sizeof *cols, pl_cmp_col);
	/* bands that grew into each other are one */
	for (i = 0, m = 0; i < ncols; i++) {
		if (m > 0 && cols[i].x0 < cols[m - 1].x1) {
			cols[m - 1].x1 = fmax(cols[m - 1].x1, cols[i].x1);
			continue;
		}
		cols[m++] = cols[i];
	}
	ncols = m;
	for (i = first; i <= last; i++) {
		for (j = 0; j < lv[i].nsegs; j++) {
			struct pl_seg *s = &lv[i].segs[j];
			double best = HUGE_VAL, c = (s->x0 + s->x1) / 2;

			s->col = -1;
			s->span = 0;
			for (k = 0; k < ncols; k++) {
				if (pl_overlap(s->x0, s->x1, cols[k].x0,
				    cols[k].x1)) {
					if (s->col < 0)
						s->col = (int)k;
					s->span++;
				}
			}
			if (s->col >= 0)
				continue;
			for (k = 0; k < ncols; k++) {
				double d = fabs(c - (cols[k].x0 + cols[k].x1) / 2);

				if (d < best) {
					best = d;
					s->col = (int)k;
				}
			}
			s->span = 1;
		}
	}
	return ncols;
}

static int
pl_cmp_piece(const void *a, const void *b)
{
	const struct pl_piece *x = a, *y = b;

	if (x->y0 != y->y0)
		return x->y0 < y->y0 ? -1 : 1;
	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static int
pl_cmp_block(const void *a, const void *b)
{
	const struct pl_piece *x = a, *y = b;

	if (x->block != y->block)
		return x->block < y->block ? -1 : 1;
	if (x->y0 != y->y0)
		return x->y0 < y->y0 ? -1 : 1;
	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static int
pl_cmp_label(const void *a, const void *b)
{
	const struct pl_place *x = *(const struct pl_place *const *)a;
	const struct pl_place *y = *(const struct pl_place *const *)b;

	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return x->y < y->y ? -1 : x->y > y->y;
}

static int
pl_cmp_place(const void *a, const void *b)
{
	const struct pl_place *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	return x->x < y->x ? -1 : x->x > y->x;
}

static int
pl_cmp_row(const void *a, const void *b)
{
	const struct pl_row *x = a, *y = b;

	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Appends b to a buffer, with a space only between two ASCII words. */
static void
pl_join(struct buf *b, const char *s)
{
	const char *p = s, *q;

	if (b->len > 0 && *s != '\0') {
		unsigned last = (unsigned char)b->data[b->len - 1];

		q = p;
		if (pl_ascii_alnum(last) && pl_ascii_alnum(label_utf8_next(&q)))
			buf_addc(b, ' ');
	}
	buf_adds(b, s);
}

/* The row (index into anchors' y) nearest y, by binary search. */
static int
pl_nearest(const double *ay, size_t n, double y)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ay[mid] < y)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n)
		return (int)n - 1;
	if (lo > 0 && y - ay[lo - 1] < ay[lo] - y)
		return (int)lo - 1;
	return (int)lo;
}

struct pl_table {
	struct pl_place	*pl;
	size_t		 npl, plcap;
	struct pl_row	*rows;
	size_t		 nrows, rowcap;
};

static void
pl_place(struct pl_table *t, int row, int col, int span, double y, double x,
    double x1, const char *text, char *own)
{
	struct pl_place *p;

	if (t->npl == t->plcap) {
		t->plcap = t->plcap ? t->plcap * 2 : 64;
		t->pl = xreallocarray(t->pl, t->plcap, sizeof *t->pl);
	}
	p = &t->pl[t->npl++];
	p->row = row;
	p->col = col;
	p->span = span;
	p->y = y;
	p->x = x;
	p->x1 = x1;
	p->text = text;
	p->own = own;
}

static int
pl_new_row(struct pl_table *t, double y)
{
	if (t->nrows == t->rowcap) {
		t->rowcap = t->rowcap ? t->rowcap * 2 : 32;
		t->rows = xreallocarray(t->rows, t->rowcap, sizeof *t->rows);
	}
	t->rows[t->nrows].y = y;
	t->rows[t->nrows].id = (int)t->nrows;
	return (int)t->nrows++;
}

static size_t
pl_find(int *parent, size_t i)
{
	while ((size_t)parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = (size_t)parent[i];
	}
	return i;
}

static void
pl_union(int *parent, size_t a, size_t b)
{
	a = pl_find(parent, a);
	b = pl_find(parent, b);
	if (a < b)
		parent[b] = (int)a;
	else if (b < a)
		parent[a] = (int)b;
}

static int
pl_numbered(const char *text)
{
	char *n = label_norm(text);
	int v;

	v = label_number(n, NULL, NULL);
	free(n);
	return v > 0;
}

/*
 * Joins label pieces (sorted by y) into blocks: characters stacked one per
 * line at the same x (a vertical label, three or more), then lines of a
 * wrapped label: overlapping in x, close in y and going to the same row.
 */
static void
pl_blocks(struct pl_piece *pc, size_t n, const double *ay, size_t nanch)
{
	int *parent;
	size_t i, j, *size;

	parent = xreallocarray(NULL, n ? n : 1, sizeof *parent);
	size = xcalloc(n ? n : 1, sizeof *size);
	for (i = 0; i < n; i++) {
		parent[i] = (int)i;
		pc[i].home = pc[i].anchor;
		if (pc[i].home < 0 && nanch > 0)
			pc[i].home = pl_nearest(ay, nanch,
			    (pc[i].y0 + pc[i].y1) / 2);
	}
	for (i = 1; i < n; i++) {
		double xc = (pc[i].x0 + pc[i].x1) / 2;

		if (pc[i].ng > 2)
			continue;
		for (j = i; j > 0 && i - j < PL_WINDOW; j--) {
			struct pl_piece *q = &pc[j - 1];
			double h = fmax(q->h, pc[i].h), gap = pc[i].y0 - q->y1;

			if (q->ng > 2 || gap < -0.3 * h || gap > 1.5 * h ||
			    fabs(xc - (q->x0 + q->x1) / 2) > 0.6 * h)
				continue;
			pl_union(parent, i, j - 1);
			break;
		}
	}
	for (i = 0; i < n; i++)
		size[pl_find(parent, i)]++;
	for (i = 0; i < n; i++) {
		pc[i].vertical = size[pl_find(parent, i)] >= 3;
		if (!pc[i].vertical)
			parent[i] = (int)i;
	}
	/*
	 * The last line of a label wrapped below its row (cells aligned at
	 * the top, as LibreOffice does) sits right over the next row's
	 * numbered label ("3.其他") and may be nearer that row: it goes on
	 * with the row above.
	 */
	for (i = 0; i < n; i++) {
		if (pc[i].anchor >= 0 || pc[i].vertical || pc[i].numbered ||
		    pc[i].home <= 0)
			continue;
		for (j = i + 1; j < n && j - i < PL_WINDOW; j++) {
			struct pl_piece *q = &pc[j];
			double h = fmax(q->h, pc[i].h), gap = q->y0 - pc[i].y1;

			if (gap > 1.2 * h)
				break;
			if (q->vertical || gap < -0.3 * h ||
			    !pl_overlap(q->x0, q->x1, pc[i].x0, pc[i].x1))
				continue;
			if (q->numbered && q->anchor == pc[i].home &&
			    ay[pc[i].home - 1] < pc[i].y0)
				pc[i].home--;
			break;
		}
	}
	for (i = 1; i < n; i++) {
		if (pc[i].vertical)
			continue;
		for (j = i; j > 0 && i - j < PL_WINDOW; j--) {
			struct pl_piece *q = &pc[j - 1];
			double h = fmax(q->h, pc[i].h), gap = pc[i].y0 - q->y1;

			if (q->vertical || q->home != pc[i].home ||
			    pc[i].numbered ||
			    gap < -0.3 * h || gap > 1.2 * h ||
			    !pl_overlap(q->x0, q->x1, pc[i].x0, pc[i].x1))
				continue;
			pl_union(parent, i, j - 1);
			break;
		}
	}
	for (i = 0; i < n; i++)
		pc[i].block = (int)pl_find(parent, i);
	free(size);
	free(parent);
}

/* Emits one table from lines [first, last]. */
static void
pl_table(struct doc *d, struct pl_line *lv, size_t first, size_t last,
    int *next_id)
{
	struct pl_col cols[PL_MAX_COLS];
	struct pl_table t;
	struct pl_piece *pc;
	int *isval, *anchor, *rowpos, fv, row;
	size_t ncols, i, j, k, n = last - first + 1, npc = 0, nval = 0;
	size_t fvline = (size_t)-1, *hist;
	double *ay;
	size_t nanch = 0;
	struct doc_table *dt;
	struct pl_place **lab;
	size_t nlab;

	memset(&t, 0, sizeof t);
	ncols = pl_columns(lv, first, last, cols);
	if (ncols == 0)
		return;

	/* value lines and the first value column */
	isval = xcalloc(n, sizeof *isval);
	hist = xcalloc(ncols, sizeof *hist);
	for (i = 0; i < n; i++) {
		struct pl_line *l = &lv[first + i];
		size_t nv = 0, leftmost = l->nsegs;

		for (j = 0; j < l->nsegs; j++)
			if (l->segs[j].value) {
				nv++;
				if (leftmost == l->nsegs)
					leftmost = j;
			}
		if (nv >= 2 || (nv == 1 && leftmost > 0)) {
			isval[i] = 1;
			nval++;
			hist[l->segs[leftmost].col]++;
			if (fvline == (size_t)-1)
				fvline = i;
		}
	}
	fv = (int)ncols;
	for (k = 0; k < ncols && nval > 0; k++)
		if (hist[k] * 5 >= nval) {
			fv = (int)k;
			break;
		}
	free(hist);

	/* anchors: the lines that are rows of their own */
	anchor = xcalloc(n, sizeof *anchor);
	ay = xreallocarray(NULL, n, sizeof *ay);
	rowpos = NULL;
	for (i = 0; i < n; i++) {
		struct pl_line *l = &lv[first + i];
		int a = isval[i] || (i < fvline && l->nsegs >= 2);

		for (j = 0; j < l->nsegs && !a; j++)
			if (!l->segs[j].value && l->segs[j].col >= fv)
				a = 1;
		anchor[i] = -1;
		if (a) {
			anchor[i] = pl_new_row(&t, (l->y0 + l->y1) / 2);
			ay[nanch++] = (l->y0 + l->y1) / 2;
		}
	}

	/* cells of anchor lines in value columns go straight to their row */
	pc = xreallocarray(NULL, 1, sizeof *pc);
	for (i = 0; i < n; i++) {
		struct pl_line *l = &lv[first + i];

		for (j = 0; j < l->nsegs; j++) {
			struct pl_seg *s = &l->segs[j];

			if (anchor[i] >= 0 && (s->value || s->col >= fv)) {
				pl_place(&t, anchor[i], s->col, s->span,
				    (s->y0 + s->y1) / 2, s->x0, s->x1, s->text,
				    NULL);
				continue;
			}
			pc = xreallocarray(pc, npc + 1, sizeof *pc);
			pc[npc].x0 = s->x0;
			pc[npc].x1 = s->x1;
			pc[npc].y0 = s->y0;
			pc[npc].y1 = s->y1;
			pc[npc].h = s->h;
			pc[npc].text = s->text;
			pc[npc].ng = s->ng;
			pc[npc].col = s->col;
			pc[npc].span = s->span;
			pc[npc].anchor = anchor[i];
			pc[npc].numbered = pl_numbered(s->text);
			npc++;
		}
	}
	qsort(pc, npc, sizeof *pc, pl_cmp_piece);
	pl_blocks(pc, npc, ay, nanch);
	qsort(pc, npc, sizeof *pc, pl_cmp_block);

	/* each block to a row: its anchor, the nearest one, or its own */
	for (i = 0; i < npc; i = j) {
		struct buf b;
		double y0 = pc[i].y0, y1 = pc[i].y1, h = pc[i].h;
		double x0 = pc[i].x0, x1 = pc[i].x1;
		int anc = -1, span = pc[i].span, col = pc[i].col;

		buf_init(&b, 0);
		buf_add(&b, "", 0);
		for (j = i; j < npc && pc[j].block == pc[i].block; j++) {
			pl_join(&b, pc[j].text);
			y0 = fmin(y0, pc[j].y0);
			y1 = fmax(y1, pc[j].y1);
			x0 = fmin(x0, pc[j].x0);
			x1 = fmax(x1, pc[j].x1);
			h = fmax(h, pc[j].h);
			if (anc < 0 && !pc[j].vertical)
				anc = pc[j].anchor;
			if (pc[j].col < col)
				col = pc[j].col;
			if (pc[j].span > span)
				span = pc[j].span;
		}
		if (anc < 0 && nanch > 0) {
			int r = pl_nearest(ay, nanch, (y0 + y1) / 2);
			double ry = ay[r], gap;

			gap = ry < y0 ? y0 - ry : ry > y1 ? ry - y1 : 0;
			if (pc[i].vertical || gap <= 1.7 * h)
				anc = r;
		}
		if (anc < 0)
			anc = pl_new_row(&t, (y0 + y1) / 2);
		pl_place(&t, anc, col, span, y0, x0, x1, NULL, buf_detach(&b));
		buf_release(&b);
	}

	/* rows in y order */
	qsort(t.rows, t.nrows, sizeof *t.rows, pl_cmp_row);
	rowpos = xreallocarray(NULL, t.nrows ? t.nrows : 1, sizeof *rowpos);
	for (i = 0; i < t.nrows; i++)
		rowpos[t.rows[i].id] = (int)i;
	for (i = 0; i < t.npl; i++)
		t.pl[i].row = rowpos[t.pl[i].row];
	qsort(t.pl, t.npl, sizeof *t.pl, pl_cmp_place);

	lab = xreallocarray(NULL, t.npl ? t.npl : 1, sizeof *lab);
	dt = doc_add_table(d, 0);
	for (i = 0, row = 0; row < (int)t.nrows; row++) {
		struct buf cell[PL_MAX_COLS];
		int span[PL_MAX_COLS], used = 0, lastc = -1, c, firstc;
		struct doc_row *dr;

		for (k = 0; k < ncols; k++) {
			buf_init(&cell[k], 0);
			span[k] = 1;
		}
		nlab = 0;
		for (; i < t.npl && t.pl[i].row == row; i++) {
			const char *s = t.pl[i].own ? t.pl[i].own : t.pl[i].text;

			used = 1;
			c = t.pl[i].col;
			if (c < fv) {
				lab[nlab++] = &t.pl[i];
				continue;
			}
			if (cell[c].len == 0 && t.pl[i].span > span[c])
				span[c] = t.pl[i].span;
			pl_join(&cell[c], s);
			if (c > lastc)
				lastc = c;
		}
		if (!used) {
			for (k = 0; k < ncols; k++)
				buf_release(&cell[k]);
			continue;
		}
		dr = doc_table_add_row(dt);
		/* label blocks left to right, each a cell (the last is the label) */
		qsort(lab, nlab, sizeof *lab, pl_cmp_label);
		for (k = 0; k < nlab; k++)
			doc_row_add_cell(dt, dr, lab[k]->own ? lab[k]->own :
			    lab[k]->text, (*next_id)++, 0);
		/*
		 * Values one per column up to the last; blanks before the
		 * first are dropped, as the mapper reads from the right.
		 */
		firstc = fv;
		while (firstc <= lastc && cell[firstc].len == 0)
			firstc++;
		for (c = firstc; c <= lastc; c++) {
			int id = -1, s, from = c;

			if (cell[c].len == 0) {
				doc_row_add_cell(dt, dr, "", -1, 0);
				continue;
			}
			id = (*next_id)++;
			doc_row_add_cell(dt, dr, buf_str(&cell[c]), id, 0);
			/* a header over several columns: copies, as colspan */
			for (s = 1; s < span[from] && c + 1 <= lastc &&
			    cell[c + 1].len == 0; s++) {
				c++;
				doc_row_add_cell(dt, dr, buf_str(&cell[from]),
				    id, 1);
			}
		}
		for (k = 0; k < ncols; k++)
			buf_release(&cell[k]);
	}
	free(lab);
	for (i = 0; i < t.npl; i++)
		free(t.pl[i].own);
	free(t.pl);
	free(t.rows);
	free(rowpos);
	free(pc);
	free(ay);
	free(anchor);
	free(isval);
}

/* ---- regions and text ---- */

/*
 * A section heading of the report ("三、收到和处理政府信息公开申请情况")
 * alone on its line: it ends a table region even when it is short and
 * close under the table (LibreOffice leaves no space after a table), so
 * that two tables do not run into one.
 */
static int
pl_is_heading(const struct pl_line *l)
{
	static const char *const kw[] = {
		"主动公开政府信息", "收到和处理", "行政复议", "行政诉讼",
		"存在的主要问题", "其他需要报告", NULL,
	};
	char *n;
	const char *rest;
	int num, style = 0, yes = 0;
	size_t i;

	if (l->nsegs != 1 || l->segs[0].ng > 40)
		return 0;
	n = label_norm(l->segs[0].text);
	num = label_number(n, &rest, &style);
	if (num >= 1 && num <= 6 && style != 'p')
		for (i = 0; kw[i] != NULL && !yes; i++)
			yes = label_has(rest, kw[i]);
	free(n);
	return yes;
}

struct pl_metrics {
	double	 left, right, h;
};

static int
pl_prose(const struct pl_line *l, const struct pl_metrics *m, double th)
{
	/* a page of table alone has no body to measure: 24 characters */
	double body = fmax(m->right - m->left, 24 * m->h);

	return l->x1 - l->x0 >= 0.7 * body || l->h > 1.3 * th;
}

/*
 * The end of the table region starting at line i (a line of two or more
 * segments, or any line when cont says the previous page ended in a
 * table), or (size_t)-1 when there is none.
 */
static size_t
pl_region(const struct pl_line *lv, size_t i, size_t end,
    const struct pl_metrics *m)
{
	size_t j, last = (size_t)-1;
	double th = lv[i].h, hmax = lv[i].h;

	if (lv[i].nsegs >= 2)
		last = i;
	for (j = i + 1; j < end; j++) {
		hmax = fmax(hmax, lv[j].h);
		/* table text is the smallest type around: headings are larger */
		if (j > i + 1 || lv[i].nsegs >= 2)
			th = fmin(th, lv[j - 1].h);
		if (lv[j].y0 - lv[j - 1].y1 > 4 * hmax)
			break;
		if (lv[j].nsegs >= 2) {
			last = j;
			continue;
		}
		if (pl_prose(&lv[j], m, th) || pl_is_heading(&lv[j]))
			break;
	}
	/* a table running to the foot of the page takes its last lines */
	if (j == end && last != (size_t)-1)
		last = end - 1;
	return last;
}

static void
pl_text(struct doc *d, const struct pl_line *lv, size_t first, size_t last,
    const struct pl_metrics *m)
{
	struct buf b;
	size_t i;
	int title = 1;
	char *t;

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	for (i = first; i <= last; i++) {
		const struct pl_line *l = &lv[i], *p = i > first ? &lv[i - 1] :
		    NULL;
		int join = 0;

		if (l->h <= 1.15 * m->h || l->page != 0)
			title = 0;
		if (p != NULL) {
			double hm = fmax(l->h, p->h);
			int near = (l->page == p->page && l->y0 - p->y1 <
			    1.5 * hm) || l->page == p->page + 1;

			/* a line running to the right margin goes on */
			if (near && p->x1 >= m->right - 2 * p->h &&
			    l->x0 <= m->left + 1.0 * l->h &&
			    fabs(l->h - p->h) <= 0.25 * hm)
				join = 1;
			/* a title in large type over two lines */
			if (title && l->page == p->page && p->h > 1.15 * m->h &&
			    fabs(l->h - p->h) <= 0.1 * hm &&
			    l->y0 - p->y1 < 1.5 * hm)
				join = 1;
		}
		if (!join && b.len > 0) {
			doc_add_text(d, b.data, 0);
			buf_reset(&b);
			buf_add(&b, "", 0);
		}
		t = pl_line_text(l);
		pl_join(&b, t);
		free(t);
	}
	if (b.len > 0)
		doc_add_text(d, b.data, 0);
	buf_release(&b);
}

void
pdf_layout(struct doc *d, const struct pdf_glyph *in, size_t n)
{
	struct pl_lines ls;
	struct pdf_glyph *g;
	struct pl_metrics m;
	size_t i, j, k, ng, *pstart, npages = 0, tfirst, tx;
	double *hs;
	int next_id = 0, page = 0, cont = 0;

	memset(&ls, 0, sizeof ls);
	if (n > PDF_LAYOUT_MAX_GLYPHS)
		n = PDF_LAYOUT_MAX_GLYPHS;
	g = xreallocarray(NULL, n ? n : 1, sizeof *g);

	/* lines, page by page (a run of equal page numbers is a page) */
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && in[j].page == in[i].page; j++)
			;
		ng = 0;
		for (k = i; k < j; k++)
			if (pl_glyph_ok(&in[k])) {
				g[ng] = in[k];
				g[ng].y0 += page * PL_PAGE_STRIDE;
				g[ng].y1 += page * PL_PAGE_STRIDE;
				ng++;
			}
		if (ng == 0)
			continue;
		k = ls.n;
		pl_page_lines(&ls, g, ng, page);
		/* page numbers at the head or the foot */
		if (ls.n - k >= 2 && pl_is_folio(&ls.v[ls.n - 1])) {
			pl_line_free(&ls.v[ls.n - 1]);
			ls.n--;
		}
		if (ls.n - k >= 2 && pl_is_folio(&ls.v[k])) {
			pl_line_free(&ls.v[k]);
			memmove(&ls.v[k], &ls.v[k + 1],
			    (ls.n - k - 1) * sizeof *ls.v);
			ls.n--;
		}
		page++;
	}
	free(g);
	if (ls.n == 0)
		goto out;

	/*
	 * The body: type size (median height of single-segment lines), left
	 * margin (their leftmost start) and right margin (the 80th percentile
	 * of their ends, so that a wide title or a short last line do not set
	 * it), over lines in body type.
	 */
	hs = xreallocarray(NULL, ls.n, sizeof *hs);
	for (i = 0, k = 0; i < ls.n; i++)
		if (ls.v[i].nsegs == 1)
			hs[k++] = ls.v[i].h;
	if (k == 0)
		hs[k++] = ls.v[0].h;
	qsort(hs, k, sizeof *hs, pl_cmp_double);
	m.h = hs[k / 2];
	m.left = HUGE_VAL;
	for (i = 0, k = 0; i < ls.n; i++) {
		if (ls.v[i].nsegs != 1 || fabs(ls.v[i].h - m.h) > 0.2 * m.h)
			continue;
		m.left = fmin(m.left, ls.v[i].x0);
		hs[k++] = ls.v[i].x1;
	}
	if (k == 0) {
		m.left = ls.v[0].x0;
		hs[k++] = ls.v[0].x1;
	}
	qsort(hs, k, sizeof *hs, pl_cmp_double);
	m.right = hs[(k - 1) * 4 / 5];
	free(hs);

	pstart = xreallocarray(NULL, (size_t)page + 1, sizeof *pstart);
	for (i = 0; i < ls.n; i++)
		if (i == 0 || ls.v[i].page != ls.v[i - 1].page)
			pstart[npages++] = i;
	pstart[npages] = ls.n;

	/*
	 * Text and tables.  A paragraph may run on over a page break; a
	 * table that reaches the foot of a page goes on at the head of the
	 * next when a table starts there (repeated header or not).
	 */
	tfirst = (size_t)-1;
	tx = (size_t)-1;
	for (k = 0; k < npages; k++) {
		size_t end = pstart[k + 1], last;

		for (i = pstart[k]; i < end; i++) {
			last = (size_t)-1;
			if (ls.v[i].nsegs >= 2 || (cont && i == pstart[k] &&
			    !pl_is_heading(&ls.v[i])))
				last = pl_region(ls.v, i, end, &m);
			cont = 0;
			if (last == (size_t)-1) {
				if (tfirst != (size_t)-1) {
					pl_table(d, ls.v, tfirst, i - 1,
					    &next_id);
					tfirst = (size_t)-1;
				}
				if (tx == (size_t)-1)
					tx = i;
				continue;
			}
			if (tx != (size_t)-1) {
				pl_text(d, ls.v, tx, i - 1, &m);
				tx = (size_t)-1;
			}
			if (tfirst == (size_t)-1)
				tfirst = i;
			i = last;
			if (last == end - 1)
				cont = 1;
			else {
				pl_table(d, ls.v, tfirst, last, &next_id);
				tfirst = (size_t)-1;
			}
		}
	}
	if (tx != (size_t)-1)
		pl_text(d, ls.v, tx, ls.n - 1, &m);
	if (tfirst != (size_t)-1)
		pl_table(d, ls.v, tfirst, ls.n - 1, &next_id);
	free(pstart);
out:
	for (i = 0; i < ls.n; i++)
		pl_line_free(&ls.v[i]);
	free(ls.v);
}
