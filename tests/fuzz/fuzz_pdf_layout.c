/*
 * libFuzzer harness for the PDF layout (parse/pdf_layout.c) without
 * poppler: the input is a list of 8-byte character records, decoded into
 * boxes, laid out into a document, then mapped and checked.  A record is
 *
 *   [char] [x hi] [x lo] [y hi] [y lo] [width] [height] [flags]
 *
 * char indexes an alphabet of what reports print (digits, 表三 labels,
 * headings, punctuation), x and y are 1/64 points (0..1024), width and
 * height 1 + n/8 points; flags: bit 0 starts a new page, bit 1 makes x0
 * NaN, bit 2 inverts the box, bit 3 makes y1 infinite, bit 4 takes the
 * code point raw from the x bytes (whitespace, surrogates, anything).
 * The seeds in corpus/pdf_layout are the table pages of the three real
 * PDFs of ../shared/fixtures/real in this format (characters outside the
 * alphabet written as 其).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"
#include "label.h"
#include "parse.h"
#include "pdf_layout.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* 64 code points: what a report's tables and headings are made of. */
static const char alphabet[] =
    "0123456789.、一二三四五六七（）总计自然人商业企科研机构社会公益组织"
    "法律服务其他年新收结转予以公开部分不无提供处理行政复议诉讼维持纠正"
    "尚未审";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned cps[128];
	static size_t ncps;
	struct pdf_glyph *g;
	struct doc *d;
	struct record *r = NULL;
	char *cause = NULL;
	size_t i, n = size / 8;
	int page = 0;

	if (ncps == 0) {
		const char *p = alphabet;

		while (*p != '\0' && ncps < 128)
			cps[ncps++] = label_utf8_next(&p);
	}
	if (n > 20000)
		n = 20000;
	g = calloc(n ? n : 1, sizeof *g);
	if (g == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		const uint8_t *b = data + 8 * i;
		double x = (double)(b[1] << 8 | b[2]) / 64;
		double y = (double)(b[3] << 8 | b[4]) / 64;
		double w = 1 + b[5] / 8.0, h = 1 + b[6] / 8.0;

		if (b[7] & 1)
			page++;
		g[i].cp = b[7] & 16 ? (unsigned)(b[1] << 8 | b[2]) :
		    cps[b[0] % ncps];
		g[i].x0 = b[7] & 2 ? NAN : x;
		g[i].x1 = b[7] & 4 ? x - w : x + w;
		g[i].y0 = y;
		g[i].y1 = b[7] & 8 ? INFINITY : y + h;
		g[i].page = page;
	}
	d = doc_new();
	d->reader = "pdf";
	pdf_layout(d, g, n);
	fuzz_check_doc(d, 1);
	if (mapper_map(d, &r, &cause) == 0) {
		rules_run(r);
		fuzz_check_record(r);
		record_free(r);
	} else if (cause == NULL)
		fuzz_fail("mapper_map: failure without a cause");
	free(cause);
	doc_free(d);
	free(g);
	return 0;
}
