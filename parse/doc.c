/*
 * Lifecycle of the intermediate document (doc.h).  Readers append blocks
 * in reading order; everything is copied in, so readers may free their own
 * buffers (the gumbo tree, the decoded text) as soon as they are done.
 */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "label.h"
#include "xmalloc.h"

/*
 * A copy of s that is valid UTF-8: every invalid byte becomes U+FFFD.
 * Readers decode their input, but a parser can still produce bad bytes
 * (gumbo 0.10 turns "&#8124048888;" into a lone 0xF8), and everything after
 * the document (JSON, the database) needs valid text.
 */
static char *
doc_strdup(const char *s)
{
	const char *p = s, *q;
	char *out, *o;
	unsigned cp;
	int bad = 0;

	while (*p != '\0' && !bad) {
		if ((unsigned char)*p < 0x80) {
			p++;
			continue;
		}
		q = p;
		cp = label_utf8_next(&q);
		bad = cp == 0xfffd && !(q - p == 3 && (unsigned char)p[0] == 0xef
		    && (unsigned char)p[1] == 0xbf && (unsigned char)p[2] == 0xbd);
		p = q;
	}
	if (!bad)
		return xstrdup(s);
	out = xreallocarray(NULL, strlen(s) + 1, 3);
	for (p = s, o = out; *p != '\0';)
		o += label_utf8_put(o, label_utf8_next(&p));
	*o = '\0';
	return out;
}

struct doc *
doc_new(void)
{
	struct doc *d;

	d = xcalloc(1, sizeof *d);
	d->charset = "UTF-8";
	d->charset_from = "default";
	d->reader = "text";
	return d;
}

static void
doc_table_free(struct doc_table *t)
{
	size_t i, j;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->rows[i].ncells; j++)
			free(t->rows[i].cells[j].text);
		free(t->rows[i].cells);
	}
	free(t->rows);
	free(t);
}

void
doc_free(struct doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nblocks; i++) {
		free(d->blocks[i].text);
		doc_table_free(d->blocks[i].table);
	}
	free(d->blocks);
	free(d->title);
	free(d->meta_title);
	free(d->pubdate);
	free(d->pubdate_from);
	free(d->source);
	free(d->site);
	free(d->column);
	free(d->url);
	free(d);
}

static struct doc_block *
doc_add_block(struct doc *d, enum block_kind kind, int line)
{
	struct doc_block *b;

	if (d->nblocks == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->blocks = xreallocarray(d->blocks, d->cap, sizeof *d->blocks);
	}
	b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->line = line;
	return b;
}

void
doc_add_text(struct doc *d, const char *text, int line)
{
	doc_add_block(d, BLOCK_TEXT, line)->text = doc_strdup(text);
}

void
doc_add_image(struct doc *d, const char *alt, int line)
{
	doc_add_block(d, BLOCK_IMAGE, line)->text = doc_strdup(alt ? alt : "");
}

struct doc_table *
doc_add_table(struct doc *d, int line)
{
	struct doc_block *b;

	b = doc_add_block(d, BLOCK_TABLE, line);
	b->table = xcalloc(1, sizeof *b->table);
	return b->table;
}

struct doc_row *
doc_table_add_row(struct doc_table *t)
{
	struct doc_row *r;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->rows = xreallocarray(t->rows, t->cap, sizeof *t->rows);
	}
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof *r);
	return r;
}

void
doc_row_add_cell(struct doc_table *t, struct doc_row *r, const char *text,
    int id, int copy)
{
	struct doc_cell *c;

	if (r->ncells == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->cells = xreallocarray(r->cells, r->cap, sizeof *r->cells);
	}
	c = &r->cells[r->ncells++];
	c->text = doc_strdup(text ? text : "");
	c->id = id;
	c->copy = copy;
	if (r->ncells > t->ncols)
		t->ncols = r->ncells;
}

void
doc_set(char **field, const char *value)
{
	free(*field);
	*field = value ? doc_strdup(value) : NULL;
}
