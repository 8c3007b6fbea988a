/*
 * libFuzzer harness for the HTML path: charset_decode() with no HTTP
 * charset, with a charset label chosen by the input's last byte (real
 * ones, aliases, junk) and as non-HTML, then html_read() on the decoded
 * UTF-8 (what production does) and on the raw bytes (parse.h promises
 * every function survives arbitrary bytes).  Decoded text must be
 * NUL-terminated, valid UTF-8 and say where its charset came from.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const http_charsets[] = {
	"gbk", "GB2312", "gb18030", "utf-8", "UTF8", "big5", "iso-8859-1",
	"windows-1252", "x-user-defined", "", "utf-16le", "\"gbk\"",
	"GBK; q=1", "unicode-1-1-utf-8", "us-ascii", "cp936",
};
#define NCHARSETS	(sizeof http_charsets / sizeof http_charsets[0])

/* Decodes and checks; returns the UTF-8 (caller frees) or NULL. */
static char *
decode(const uint8_t *data, size_t size, const char *http, int is_html,
    size_t *outlen)
{
	static const char *const froms[] = {
		"http", "bom", "meta", "guess", "default"
	};
	char *out = NULL, *cause = NULL;
	const char *used = NULL, *from = NULL;
	size_t i;

	*outlen = 0;
	if (charset_decode((const char *)data, size, http, is_html, &out,
	    outlen, &used, &from, &cause) != 0) {
		if (out != NULL)
			fuzz_fail("charset_decode: failure with output");
		if (cause == NULL)
			fuzz_fail("charset_decode: failure without a cause");
		free(cause);
		return NULL;
	}
	if (out == NULL || used == NULL || from == NULL)
		fuzz_fail("charset_decode: success without out/used/from");
	if (cause != NULL)
		fuzz_fail("charset_decode: success with a cause: %s", cause);
	if (out[*outlen] != '\0')
		fuzz_fail("charset_decode: output not NUL-terminated at "
		    "outlen %zu", *outlen);
	if (!fuzz_utf8_valid(out, *outlen))
		fuzz_fail("charset_decode(%s, http \"%s\"): output is not "
		    "valid UTF-8", used, http ? http : "(none)");
	for (i = 0; i < sizeof froms / sizeof froms[0]; i++)
		if (strcmp(from, froms[i]) == 0)
			break;
	if (i == sizeof froms / sizeof froms[0])
		fuzz_fail("charset_decode: from \"%s\"", from);
	if (http != NULL && *http == '\0' && strcmp(from, "http") == 0)
		fuzz_fail("charset_decode: empty HTTP charset was used");
	(void)strlen(used);
	return out;
}

static void
read_html(const char *buf, size_t len, int utf8)
{
	struct doc *d = NULL;
	char *cause = NULL;

	if (html_read(buf, len, &d, &cause) == 0) {
		if (cause != NULL)
			fuzz_fail("html_read: success with a cause: %s", cause);
		fuzz_check_doc(d, utf8);
	} else {
		if (d != NULL)
			fuzz_fail("html_read: failure with a document");
		if (cause == NULL)
			fuzz_fail("html_read: failure without a cause");
	}
	doc_free(d);
	free(cause);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *utf8, *other, *copy;
	size_t ulen, olen;
	const char *http;

	(void)reader_is_html((const char *)data, size);
	utf8 = decode(data, size, NULL, 1, &ulen);
	http = http_charsets[size > 0 ? data[size - 1] % NCHARSETS : 0];
	other = decode(data, size, http, 1, &olen);
	free(other);
	other = decode(data, size, NULL, 0, &olen);
	free(other);

	if (utf8 != NULL)
		read_html(utf8, ulen, 1);
	free(utf8);

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	read_html(copy, size, 0);
	free(copy);
	return 0;
}
