/*
 * libFuzzer harness for the PDF reader from its raw bytes: poppler's
 * parser, then our layout stage (fuzz_pdf_layout fuzzes that stage alone,
 * from glyph boxes, which mutated PDF bytes rarely reach).  Every input is
 * read as a PDF; a failure must come with a cause in UTF-8, a document
 * read must keep the invariants of every reader, and its record those of
 * the mapper.  poppler is not built with coverage here, so this mostly
 * checks that whatever poppler gives back or refuses is handled.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc *d = NULL;
	struct record *r = NULL;
	char *cause = NULL;

	if (reader_read((const char *)data, size, "fuzz.pdf", NULL, &d,
	    &cause) != 0) {
		if (d != NULL)
			fuzz_fail("reader_read: failure with a document");
		if (cause == NULL || *cause == '\0')
			fuzz_fail("reader_read: failure without a cause");
		if (!fuzz_utf8_valid(cause, strlen(cause)))
			fuzz_fail("reader_read: cause is not UTF-8: %s", cause);
		free(cause);
		return 0;
	}
	if (cause != NULL)
		fuzz_fail("reader_read: success with a cause: %s", cause);
	fuzz_check_doc(d, 1);
	if (mapper_map(d, &r, &cause) == 0) {
		fuzz_check_record(r);
		record_free(r);
	} else
		free(cause);
	doc_free(d);
	return 0;
}
