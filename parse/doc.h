/*
 * The intermediate "document" every reader produces and the one mapper
 * (mapper.c) turns into a report record: page metadata plus a flat list of
 * blocks in reading order.  A block is a paragraph of text, a table (rows of
 * cells) or an image.  Sections are not found here: the mapper finds them
 * from the paragraphs, the same way whatever the input format.
 *
 * Tables are rows of cells.  A reader that knows the real grid (HTML, DOCX)
 * expands rowspan and colspan, marking the filled-in copies with copy = 1
 * and giving every cell of one source cell the same id; a slot no cell
 * covers, left of one that is covered, is an empty cell with id -1.  Rows
 * are not padded at their end: the mapper reads a row's values from the
 * right, and padding a short row to the widest would shift them.  A reader
 * that does not know the grid (plain text) gives ragged rows.
 */
#ifndef DOC_H
#define DOC_H

#include <stddef.h>

struct doc_cell {
	char	*text;		/* cell text as written (UTF-8), never NULL */
	int	 id;		/* source cell id; copies of a span share it */
	int	 copy;		/* 1 if filled in from a rowspan/colspan */
};

struct doc_row {
	struct doc_cell	*cells;
	size_t		 ncells;
	size_t		 cap;
};

struct doc_table {
	struct doc_row	*rows;
	size_t		 nrows;
	size_t		 cap;
	size_t		 ncols;	/* widest row; other rows may be shorter */
	int		 images;	/* <img> found inside the table */
};

enum block_kind {
	BLOCK_TEXT,		/* a paragraph or a line */
	BLOCK_TABLE,
	BLOCK_IMAGE		/* an image standing in the text */
};

struct doc_block {
	enum block_kind	  kind;
	char		 *text;		/* BLOCK_TEXT: the text; IMAGE: alt/src */
	struct doc_table *table;	/* BLOCK_TABLE */
	int		  line;		/* source line (1-based), 0 unknown */
};

struct doc {
	/* metadata, all owned strings, NULL when absent */
	char	*title;		/* <title>/ArticleTitle or the first title line */
	char	*meta_title;	/* ArticleTitle meta */
	char	*pubdate;	/* normalized YYYY-MM-DD[ HH:MM[:SS]] */
	char	*pubdate_from;	/* "page" (发布日期 on the page), "meta" (PubDate) */
	char	*source;	/* ContentSource */
	char	*site;		/* SiteName */
	char	*column;	/* ColumnName */
	char	*url;		/* where the bytes came from, if known */
	const char *charset;	/* static: "UTF-8", "GB18030", ... */
	const char *charset_from; /* static: "http", "bom", "meta", "guess", "default" */
	const char *reader;	/* static: "text", "html", ... */

	struct doc_block *blocks;
	size_t		  nblocks;
	size_t		  cap;
};

struct doc	 *doc_new(void);
void		  doc_free(struct doc *);	/* NULL is a no-op */
/* Appends a paragraph; the text is copied. */
void		  doc_add_text(struct doc *, const char *, int line);
void		  doc_add_image(struct doc *, const char *alt, int line);
/* Appends an empty table and returns it (owned by the document). */
struct doc_table *doc_add_table(struct doc *, int line);
/* Appends an empty row and returns it (owned by the table). */
struct doc_row	 *doc_table_add_row(struct doc_table *);
/* Appends a cell; the text is copied. */
void		  doc_row_add_cell(struct doc_table *, struct doc_row *,
		      const char *text, int id, int copy);
/* Sets a metadata string field, replacing and freeing the old value. */
void		  doc_set(char **field, const char *value);

#endif
