/*
 * PDF reader benchmark (`make bench`): pages per second of the whole
 * pipeline (reader_read -> mapper_map -> rules_run) on real PDF reports,
 * next to the HTML reader's rate on a report page (one page = one report).
 * The PDF figure is also split into poppler's share (opening the document
 * and extracting the text with its character boxes, what any PDF reader
 * pays) and the rest (layout, mapping, rules).
 *
 * Each figure is measured for at least the given seconds on one core with
 * CLOCK_MONOTONIC.  A benchmark never fails on a timing: it exits 0
 * whatever the figures, 2 only when it cannot read its inputs.
 *
 * A DOCX among the files (told by its content) is measured the same way;
 * a Word document has no pages, so its figure is documents/s and MB/s.
 *
 * usage: bench_pdf SECONDS HTML_PAGE PDF|DOCX...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <poppler.h>

#include "parse.h"
#include "util.h"
#include "xmalloc.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
pipeline_once(const char *buf, size_t len, const char *name, char **cause)
{
	struct doc *d = NULL;
	struct record *r = NULL;
	char *why = NULL;

	if (reader_read(buf, len, name, NULL, &d, &why) != 0) {
		*cause = why;
		return -1;
	}
	if (mapper_map(d, &r, &why) != 0) {
		doc_free(d);
		xasprintf(cause, "mapper: %s", why);
		free(why);
		return -1;
	}
	rules_run(r);
	doc_free(d);
	record_free(r);
	return 0;
}

/* poppler alone: open, and every page's text and character boxes. */
static int
poppler_once(const char *buf, size_t len)
{
	GBytes *b = g_bytes_new_static(buf, len);
	PopplerDocument *pd = poppler_document_new_from_bytes(b, NULL, NULL);
	PopplerRectangle *r;
	guint nr;
	int i, n = 0;

	if (pd != NULL) {
		n = poppler_document_get_n_pages(pd);
		for (i = 0; i < n; i++) {
			PopplerPage *pg = poppler_document_get_page(pd, i);
			char *t = poppler_page_get_text(pg);

			if (poppler_page_get_text_layout(pg, &r, &nr))
				g_free(r);
			g_free(t);
			g_object_unref(pg);
		}
		g_object_unref(pd);
	}
	g_bytes_unref(b);
	return n;
}

/* Runs the pipeline for >= secs; returns runs per second, or -1. */
static double
rate(const char *buf, size_t len, const char *name, double secs)
{
	double start = now(), el;
	long n = 0;
	char *cause = NULL;

	do {
		if (pipeline_once(buf, len, name, &cause) != 0) {
			printf("%s: not measured: %s\n", name, cause);
			free(cause);
			return -1;
		}
		n++;
		el = now() - start;
	} while (el < secs);
	return (double)n / el;
}

static double
poppler_rate(const char *buf, size_t len, double secs)
{
	double start = now(), el;
	long n = 0;

	do {
		poppler_once(buf, len);
		n++;
		el = now() - start;
	} while (el < secs);
	return (double)n / el;
}

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

int
main(int argc, char **argv)
{
	const char *errstr;
	char *buf, *cause = NULL;
	size_t len;
	long long s;
	double secs, html, r, pr, pages = 0, psecs = 0;
	int i, np;

	if (argc < 4) {
		fprintf(stderr, "usage: bench_pdf SECONDS HTML_PAGE PDF|DOCX...\n");
		return 2;
	}
	if (util_strtonum(argv[1], 1, 3600, &s, &errstr) != 0) {
		fprintf(stderr, "bench_pdf: seconds %s: %s\n", argv[1], errstr);
		return 2;
	}
	secs = (double)s;
	if (util_read_file(argv[2], PARSE_MAX_INPUT, &buf, &len, &cause) != 0) {
		fprintf(stderr, "bench_pdf: %s\n", cause);
		free(cause);
		return 2;
	}
	html = rate(buf, len, base(argv[2]), secs);
	free(buf);
	if (html > 0)
		printf("html read+parse+validate: %.1f pages/s (%s, one page = "
		    "one report)\n", html, base(argv[2]));
	for (i = 3; i < argc; i++) {
		if (util_read_file(argv[i], PARSE_MAX_INPUT, &buf, &len,
		    &cause) != 0) {
			fprintf(stderr, "bench_pdf: %s\n", cause);
			free(cause);
			return 2;
		}
		if (len >= 2 && memcmp(buf, "PK", 2) == 0) {
			r = rate(buf, len, base(argv[i]), secs);
			if (r > 0)
				printf("docx read+parse+validate: %.1f documents"
				    "/s = %.1f MB/s (%s, %zu bytes); html: %.1f "
				    "reports/s\n", r, r * (double)len / 1e6,
				    base(argv[i]), len, html);
			free(buf);
			continue;
		}
		np = poppler_once(buf, len);
		r = rate(buf, len, base(argv[i]), secs);
		pr = poppler_rate(buf, len, secs);
		if (r > 0) {
			printf("pdf read+parse+validate: %.1f pages/s = %.1f "
			    "reports/s (%s, %d pages); poppler text+boxes alone "
			    "%.1f pages/s\n", r * np, r, base(argv[i]), np,
			    pr * np);
			pages += np;
			psecs += np / (r * np);
		}
		free(buf);
	}
	if (pages > 0 && html > 0)
		printf("pdf reader overall: %.1f pages/s = %.3f x the html "
		    "reader's pages/s\n", pages / psecs, pages / psecs / html);
	return 0;
}
