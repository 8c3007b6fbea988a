/*
 * Internal to the PDF reader: the geometry that turns positioned
 * characters into lines, paragraphs and tables (pdf_layout.c).  It knows
 * nothing of poppler, so that the unit tests and the fuzzer can feed it
 * boxes directly.
 */
#ifndef PDF_LAYOUT_H
#define PDF_LAYOUT_H

#include <stddef.h>

#include "doc.h"

/* Characters the layout accepts; the reader refuses more before. */
#define PDF_LAYOUT_MAX_GLYPHS	(5u * 1024 * 1024)

/*
 * One character with its box in page points, y growing downwards (the
 * way poppler_page_get_text_layout gives them).  Glyphs come grouped by
 * page, pages in order; within a page any order.
 */
struct pdf_glyph {
	unsigned	cp;		/* Unicode code point */
	double		x0, y0, x1, y1;
	int		page;		/* 0-based */
};

/*
 * Appends the text blocks and tables found in the glyphs to the document,
 * in reading order.  Whitespace glyphs and boxes that are not finite,
 * inverted or absurdly large are ignored.  Never fails.
 */
void	pdf_layout(struct doc *, const struct pdf_glyph *, size_t);

#endif
