/*
 * libFuzzer harness for the plain-text path: reader_read() on arbitrary
 * bytes (which refuses, sniffs, decodes and dispatches; most inputs end in
 * the text reader), then text_read() directly on the same bytes as a
 * NUL-terminated copy, the way reader_read hands decoded text over.  Every
 * document that comes back is walked by fuzz_check_doc(); a refusal must
 * come with a cause that names the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NAME	"fuzz-input.txt"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc *d = NULL;
	char *cause = NULL, *copy;

	if (reader_read((const char *)data, size, NAME, NULL, &d,
	    &cause) == 0) {
		if (cause != NULL)
			fuzz_fail("reader_read: success with a cause: %s",
			    cause);
		fuzz_check_doc(d, 1);
	} else {
		if (d != NULL)
			fuzz_fail("reader_read: failure with a document");
		if (cause == NULL || strstr(cause, NAME) == NULL)
			fuzz_fail("reader_read: cause does not name the "
			    "input: %s", cause ? cause : "(null)");
	}
	doc_free(d);
	free(cause);

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	d = NULL;
	cause = NULL;
	if (text_read(copy, size, &d, &cause) == 0) {
		if (cause != NULL)
			fuzz_fail("text_read: success with a cause: %s", cause);
		fuzz_check_doc(d, 0);
	} else {
		if (d != NULL)
			fuzz_fail("text_read: failure with a document");
		if (cause == NULL)
			fuzz_fail("text_read: failure without a cause");
	}
	doc_free(d);
	free(cause);
	free(copy);
	return 0;
}
