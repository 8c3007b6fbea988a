/*
 * libFuzzer harness for the DOCX reader.  Inputs starting with "PK" are
 * whole archives, fed to reader_read() as they are (the ZIP layer: broken
 * directories, lying sizes, bombs).  Anything else is the content of
 * word/document.xml: it is zipped in memory (stored, so the fuzzer's
 * bytes reach libxml2 unchanged) and read, since mutated ZIP bytes almost
 * never get past the CRC to the XML walker.  A document read is checked
 * against the invariants of every reader, then mapped and its record
 * checked too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "invariants.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A stored ZIP in memory holding word/document.xml = data, or NULL. */
static char *
wrap(const uint8_t *data, size_t size, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src, *fs;
	zip_t *za;
	zip_int64_t n, idx;
	char *out = NULL;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (src == NULL)
		fuzz_fail("zip_source_buffer_create");
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (za == NULL)
		fuzz_fail("zip_open_from_source");
	fs = zip_source_buffer(za, data, size, 0);
	if (fs == NULL)
		fuzz_fail("zip_source_buffer");
	idx = zip_file_add(za, "word/document.xml", fs, 0);
	if (idx < 0)
		fuzz_fail("zip_file_add");
	zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	if (zip_close(za) != 0)
		fuzz_fail("zip_close");
	if (zip_source_open(src) != 0 || zip_source_seek(src, 0, SEEK_END) != 0)
		fuzz_fail("zip_source_open");
	n = zip_source_tell(src);
	if (n > 0 && zip_source_seek(src, 0, SEEK_SET) == 0 &&
	    (out = malloc((size_t)n)) != NULL) {
		if (zip_source_read(src, out, (zip_uint64_t)n) != n)
			fuzz_fail("zip_source_read");
		*len = (size_t)n;
	}
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

static void
read_docx(const char *buf, size_t len)
{
	struct doc *d = NULL;
	struct record *r = NULL;
	char *cause = NULL;

	if (reader_read(buf, len, "fuzz.docx", NULL, &d, &cause) != 0) {
		if (d != NULL)
			fuzz_fail("reader_read: failure with a document");
		if (cause == NULL || *cause == '\0')
			fuzz_fail("reader_read: failure without a cause");
		if (!fuzz_utf8_valid(cause, strlen(cause)))
			fuzz_fail("reader_read: cause is not UTF-8: %s", cause);
		free(cause);
		return;
	}
	if (cause != NULL)
		fuzz_fail("reader_read: success with a cause: %s", cause);
	if (len >= 4 && (memcmp(buf, "PK\x03\x04", 4) == 0 ||
	    memcmp(buf, "PK\x05\x06", 4) == 0) && strcmp(d->reader, "docx") != 0)
		fuzz_fail("a ZIP read by the %s reader", d->reader);
	fuzz_check_doc(d, 1);
	if (mapper_map(d, &r, &cause) == 0) {
		fuzz_check_record(r);
		record_free(r);
	} else
		free(cause);
	doc_free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *z;
	size_t len = 0;

	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		read_docx((const char *)data, size);
		return 0;
	}
	z = wrap(data, size, &len);
	if (z != NULL)
		read_docx(z, len);
	free(z);
	return 0;
}
