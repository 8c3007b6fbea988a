/*
 * Entry points of the parse layer: bytes in, structs out, no I/O.  Every
 * function here can be fed arbitrary bytes (the fuzzers do).
 *
 *   reader_read()   detect the input type and run the right reader
 *   text_read()     plain text (Word "save as text": one cell per line)
 *   html_read()     HTML through gumbo
 *   docx_read()     DOCX through libzip and libxml2
 *   pdf_read()      PDF through poppler-glib (text layer, tables rebuilt)
 *   mapper_map()    document -> report record
 *   rules_run()     the one-report rule catalogue -> record findings
 *   rules_run_pair() the two-report rules (X.CARRY, X.INFORCE, X.COPY)
 */
#ifndef PARSE_H
#define PARSE_H

#include <stddef.h>

#include "doc.h"
#include "record.h"

/* Inputs larger than this are refused by the readers. */
#define PARSE_MAX_INPUT	(64u * 1024 * 1024)

/*
 * Decodes buf to UTF-8.  http_charset is the charset parameter of an HTTP
 * Content-Type, or NULL.  is_html enables <meta> sniffing.  On success *out
 * is a NUL-terminated UTF-8 copy (caller frees; invalid sequences replaced by
 * U+FFFD), *used the charset name and *from where it was found ("http",
 * "bom", "meta", "guess", "default"), both static.  Returns -1 with *cause
 * (caller frees) when the bytes cannot be decoded at all.
 */
int	 charset_decode(const char *buf, size_t len, const char *http_charset,
	    int is_html, char **out, size_t *outlen, const char **used,
	    const char **from, char **cause);

/* Whether the bytes look like HTML rather than plain text. */
int	 reader_is_html(const char *buf, size_t len);

/*
 * Reads any supported input into a document.  name is used in messages
 * (a file name or URL); http_charset may be NULL.  Returns 0 and *out (caller
 * frees with doc_free), or -1 and *cause (caller frees) saying why the input
 * could not be read: empty, binary, too large, undecodable.
 */
int	 reader_read(const char *buf, size_t len, const char *name,
	    const char *http_charset, struct doc **out, char **cause);

/*
 * gumbo's time grows with the square of the nesting depth: 0 when UTF-8
 * HTML may be given to it, -1 with *cause when it nests too deep or too
 * often (the page and listing readers both ask first).
 */
int	 html_guard(const char *buf, size_t len, char **cause);

/* The readers; buf is UTF-8 already (reader_read decodes first). */
int	 text_read(const char *buf, size_t len, struct doc **out,
	    char **cause);
int	 html_read(const char *buf, size_t len, struct doc **out,
	    char **cause);
/*
 * DOCX (Word 2007+): buf is the raw ZIP archive, not decoded.  Refuses a
 * ZIP that is not a Word document (naming what it is: XLSX, OFD, ...) and
 * hostile archives (zip bombs, XML entities) with -1 and *cause.
 */
int	 docx_read(const char *buf, size_t len, struct doc **out,
	    char **cause);
/*
 * PDF: buf is the raw file.  Rebuilds paragraphs and tables from the text
 * layer's character boxes.  Refuses with -1 and *cause a scan (pages of
 * images, no text layer: no OCR is done), an encrypted or broken PDF
 * (poppler's message), more than 500 pages or 5 M characters.
 */
int	 pdf_read(const char *buf, size_t len, struct doc **out,
	    char **cause);

/*
 * Maps a document onto a report record.  Returns 0 and *out (caller
 * frees), or -1 and *cause when the document is not an annual report (no
 * recognisable section or table, or a 解读 / 网站年度报表 page).
 */
int	 mapper_map(const struct doc *, struct record **out, char **cause);

/* Runs the one-report rules, appending findings to the record. */
void	 rules_run(struct record *);
/*
 * Runs the two-report rules on cur with prev as last year's report,
 * appending findings to cur.
 */
void	 rules_run_pair(const struct record *prev, struct record *cur);

/* One entry of the rule catalogue, for `nianbao rules` and the docs. */
struct rule_info {
	const char	*id;		/* "T3.BALANCE" */
	const char	*severity;	/* "error", "warning", "info" */
	int		 pair;		/* needs last year's report (--previous) */
	const char	*zh;		/* what it checks, in Chinese */
	const char	*en;		/* the same in English */
};
/* The catalogue, terminated by an entry with id NULL. */
extern const struct rule_info rules_catalogue[];

#endif
