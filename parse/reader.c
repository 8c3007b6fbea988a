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

/*
 * Whether an OLE directory holds an entry named name: directory entries
 * are 128-byte records (64 bytes of UTF-16LE name, then its byte length)
 * in 512- or 4096-byte sectors after the 512-byte header, so every
 * 128-byte boundary is looked at rather than following the FAT chain.
 */
static int
reader_ole_has(const char *buf, size_t len, const char *name)
{
	size_t off, i, nl = strlen(name);
	unsigned bl;

	for (off = 512; off + 128 <= len; off += 128) {
		bl = (unsigned char)buf[off + 64] |
		    ((unsigned)(unsigned char)buf[off + 65] << 8);
		if (bl != (nl + 1) * 2)
			continue;
		for (i = 0; i < nl; i++)
			if (buf[off + 2 * i] != name[i] ||
			    buf[off + 2 * i + 1] != '\0')
				break;
		if (i == nl)
			return 1;
	}
	return 0;
}

/*
 * What an OLE compound file (D0 CF 11 E0) is, as the reason it is refused.
 * Word 97 and WPS binaries are not read: antiword and catdoc lose the
 * table grid, and parse/ runs no programs; the fix is a DOCX.
 */
static const char *
reader_ole(const char *buf, size_t len)
{
	if (reader_ole_has(buf, len, "EncryptedPackage") ||
	    reader_ole_has(buf, len, "EncryptionInfo"))
		return "an encrypted (password-protected) Office document; "
		    "remove the password and save it as DOCX";
	if (reader_ole_has(buf, len, "WordDocument"))
		return "a Word 97 (.doc) / WPS file; not read, convert it to "
		    "DOCX (LibreOffice: soffice --convert-to docx)";
	if (reader_ole_has(buf, len, "WpsContent") ||
	    reader_ole_has(buf, len, "MatOST") ||
	    reader_ole_has(buf, len, "CONTENTS"))
		return "a WPS (.wps) document; not read, convert it to DOCX "
		    "(WPS Office or LibreOffice: soffice --convert-to docx)";
	if (reader_ole_has(buf, len, "Workbook") ||
	    reader_ole_has(buf, len, "Book"))
		return "an Excel 97 (.xls) workbook, not a report document";
	if (reader_ole_has(buf, len, "PowerPoint Document"))
		return "a PowerPoint 97 (.ppt) file, not a report document";
	return "an OLE compound file (Word 97 .doc / WPS?); not read, "
	    "convert it to DOCX (LibreOffice: soffice --convert-to docx)";
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
		/* PDF: poppler reads the raw bytes; the text is Unicode */
		rc = pdf_read(buf, len, out, cause);
		if (rc != 0) {
			char *c = *cause;

			xasprintf(cause, "%s: %s", name, c);
			free(c);
		}
		return rc;
	}
	if (len >= 4 && (memcmp(buf, "PK\x03\x04", 4) == 0 ||
	    memcmp(buf, "PK\x05\x06", 4) == 0)) {
		/* DOCX; docx_read names any other kind of ZIP it refuses */
		rc = docx_read(buf, len, out, cause);
		if (rc != 0) {
			char *c = *cause;

			xasprintf(cause, "%s: %s", name, c);
			free(c);
		}
		return rc;
	}
	if (len >= 8 && memcmp(buf, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0) {
		xasprintf(cause, "%s: %s", name, reader_ole(buf, len));
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
