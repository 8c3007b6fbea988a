/*
 * Input type detection and dispatch: decide whether bytes are HTML or plain
 * text (by content, never by file name), refuse what is not a document at
 * all (empty, binary, too large), decode to UTF-8 and run the reader.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"
#include "xmalloc.h"

int
reader_is_html(const char *buf, size_t len)
{
	static const char *tags[] = {
		"<!doctype html", "<html", "<head", "<body", "<meta", "<table",
		"<div", "<p>", "<p ", "<title", "<br", "<span",
	};
	size_t i, j, n = len < 4096 ? len : 4096;

	for (i = 0; i < n; i++) {
		if (buf[i] != '<')
			continue;
		for (j = 0; j < sizeof tags / sizeof tags[0]; j++) {
			size_t tl = strlen(tags[j]);

			if (i + tl <= len && strncasecmp(buf + i, tags[j], tl) == 0)
				return 1;
		}
	}
	return 0;
}

/* Binary: NUL bytes or many control characters in the first 8 KB. */
static int
looks_binary(const char *buf, size_t len)
{
	size_t i, n = len < 8192 ? len : 8192, ctl = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == 0)
			return 1;
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' &&
		    c != '\f' && c != 0x1b)
			ctl++;
	}
	return ctl * 20 > n;
}

int
reader_read(const char *buf, size_t len, const char *name,
    const char *http_charset, struct doc **out, char **cause)
{
	char *utf8 = NULL;
	size_t ulen;
	const char *used, *from;
	int html, rc = -1;

	*out = NULL;
	if (len == 0) {
		xasprintf(cause, "%s: empty input", name);
		return -1;
	}
	if (len > PARSE_MAX_INPUT) {
		xasprintf(cause, "%s: %zu bytes is larger than the limit of %u",
		    name, len, PARSE_MAX_INPUT);
		return -1;
	}
	if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0) {
		xasprintf(cause, "%s: a PDF file; PDF reports are not read yet",
		    name);
		return -1;
	}
	if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0) {
		xasprintf(cause, "%s: a ZIP archive (DOCX?); Word files are not "
		    "read yet, save the report as HTML or text", name);
		return -1;
	}
	if (len >= 8 && memcmp(buf, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0) {
		xasprintf(cause, "%s: a Word 97 (DOC/WPS) file; not supported, "
		    "convert it to DOCX, HTML or text", name);
		return -1;
	}
	if (looks_binary(buf, len) && !(len >= 2 &&
	    ((unsigned char)buf[0] == 0xff || (unsigned char)buf[0] == 0xfe))) {
		xasprintf(cause, "%s: binary data, not a text or HTML document",
		    name);
		return -1;
	}
	html = reader_is_html(buf, len);
	if (charset_decode(buf, len, http_charset, html, &utf8, &ulen, &used,
	    &from, cause) != 0)
		goto out;
	if (html)
		rc = html_read(utf8, ulen, out, cause);
	else
		rc = text_read(utf8, ulen, out, cause);
	if (rc == 0) {
		(*out)->charset = used;
		(*out)->charset_from = from;
	} else {
		char *c = *cause;

		xasprintf(cause, "%s: %s", name, c);
		free(c);
	}
out:
	free(utf8);
	return rc;
}
