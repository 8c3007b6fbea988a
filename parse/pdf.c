/*
 * PDF reader: poppler-glib opens the bytes in memory (no file, no copy),
 * every page gives its text with one box per character, and pdf_layout.c
 * rebuilds paragraphs and tables from the boxes.  Nothing is guessed: a
 * PDF whose pages have no characters but images is a scan and is refused
 * as such (OCR is not done); an encrypted or broken PDF is refused with
 * poppler's own message.
 *
 * Bounds: at most PDF_MAX_PAGES pages and PDF_LAYOUT_MAX_GLYPHS
 * characters, and the pages are read within PDF_MAX_SECONDS (checked
 * between pages: poppler itself repairs a broken cross-reference table in
 * one pass over the bytes, bounded by their size).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <poppler.h>

#include "parse.h"
#include "pdf_layout.h"
#include "xmalloc.h"

#define PDF_MAX_PAGES	500
#define PDF_MAX_SECONDS	60

static double
pdf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The document's Title when it names one report (a year and 年度报告):
 * WPS often leaves a generic "政府信息公开工作年度报告" or a file name.
 */
static void
pdf_title(PopplerDocument *pd, struct doc *d)
{
	gchar *t = poppler_document_get_title(pd);

	if (t != NULL && g_utf8_validate(t, -1, NULL) &&
	    strstr(t, "年度报告") != NULL && strstr(t, "20") != NULL)
		doc_set(&d->meta_title, t);
	g_free(t);
}

/* Appends the characters of one page; returns how many were added. */
static size_t
pdf_page_glyphs(PopplerPage *pg, int page, struct pdf_glyph **gv,
    size_t *ng, size_t *cap)
{
	PopplerRectangle *r = NULL;
	guint nr = 0, i;
	char *text;
	const char *p;
	size_t added = 0;

	text = poppler_page_get_text(pg);
	if (text == NULL)
		return 0;
	if (!poppler_page_get_text_layout(pg, &r, &nr)) {
		g_free(text);
		return 0;
	}
	/* one rectangle per character of the text, in order */
	p = text;
	for (i = 0; i < nr && *p != '\0'; i++) {
		gunichar cp = g_utf8_get_char_validated(p, -1);
		const char *next = g_utf8_find_next_char(p, NULL);

		if (next == NULL)
			next = p + strlen(p);
		if (cp == (gunichar)-1 || cp == (gunichar)-2)
			cp = 0xfffd;
		p = next;
		if (cp == '\n' || cp == ' ' || cp == '\r' || cp == '\t')
			continue;
		if (*ng >= PDF_LAYOUT_MAX_GLYPHS)
			break;
		if (*ng == *cap) {
			*cap = *cap ? *cap * 2 : 4096;
			*gv = xreallocarray(*gv, *cap, sizeof **gv);
		}
		(*gv)[*ng].cp = cp;
		(*gv)[*ng].x0 = r[i].x1;
		(*gv)[*ng].y0 = r[i].y1;
		(*gv)[*ng].x1 = r[i].x2;
		(*gv)[*ng].y1 = r[i].y2;
		(*gv)[*ng].page = page;
		(*ng)++;
		added++;
	}
	g_free(r);
	g_free(text);
	return added;
}

static int
pdf_page_has_image(PopplerPage *pg)
{
	GList *l = poppler_page_get_image_mapping(pg);
	int yes = l != NULL;

	poppler_page_free_image_mapping(l);
	return yes;
}

int
pdf_read(const char *buf, size_t len, struct doc **out, char **cause)
{
	PopplerDocument *pd = NULL;
	PopplerPage *pg;
	GBytes *bytes = NULL;
	GError *err = NULL;
	struct pdf_glyph *gv = NULL;
	size_t ng = 0, cap = 0;
	struct doc *d = NULL;
	int npages, i, images = 0, rc = -1;
	double start = pdf_now();

	*out = NULL;
	if (len > PARSE_MAX_INPUT) {
		xasprintf(cause, "a PDF of %zu bytes is larger than the limit "
		    "of %u", len, PARSE_MAX_INPUT);
		return -1;
	}
	bytes = g_bytes_new_static(buf, len);
	pd = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (pd == NULL) {
		if (err != NULL && err->domain == POPPLER_ERROR &&
		    err->code == POPPLER_ERROR_ENCRYPTED)
			xasprintf(cause, "an encrypted PDF (%s); nianbao does "
			    "not read protected files", err->message);
		else
			xasprintf(cause, "a broken PDF: %s", err != NULL ?
			    err->message : "poppler could not open it");
		goto out;
	}
	npages = poppler_document_get_n_pages(pd);
	if (npages <= 0) {
		xasprintf(cause, "a PDF with no pages");
		goto out;
	}
	if (npages > PDF_MAX_PAGES) {
		xasprintf(cause, "a PDF of %d pages is more than the limit of "
		    "%d", npages, PDF_MAX_PAGES);
		goto out;
	}
	for (i = 0; i < npages; i++) {
		if (pdf_now() - start > PDF_MAX_SECONDS) {
			xasprintf(cause, "reading the PDF took more than %d "
			    "seconds (at page %d of %d)", PDF_MAX_SECONDS,
			    i + 1, npages);
			goto out;
		}
		pg = poppler_document_get_page(pd, i);
		if (pg == NULL)
			continue;
		if (pdf_page_glyphs(pg, i, &gv, &ng, &cap) == 0 &&
		    pdf_page_has_image(pg))
			images++;
		g_object_unref(pg);
		if (ng >= PDF_LAYOUT_MAX_GLYPHS) {
			xasprintf(cause, "a PDF of more than %u characters",
			    PDF_LAYOUT_MAX_GLYPHS);
			goto out;
		}
	}
	if (ng == 0) {
		if (images > 0)
			xasprintf(cause, "a scanned PDF without a text layer "
			    "(%d page%s of images, no characters); nianbao does "
			    "not guess (OCR is not done)", images,
			    images == 1 ? "" : "s");
		else
			xasprintf(cause, "a PDF with no text in its %d page%s",
			    npages, npages == 1 ? "" : "s");
		goto out;
	}
	d = doc_new();
	d->reader = "pdf";
	pdf_title(pd, d);
	pdf_layout(d, gv, ng);
	*out = d;
	d = NULL;
	rc = 0;
out:
	doc_free(d);
	free(gv);
	if (err != NULL)
		g_error_free(err);
	if (pd != NULL)
		g_object_unref(pd);
	if (bytes != NULL)
		g_bytes_unref(bytes);
	return rc;
}
