/*
 * Plain-text reader: what Word's "save as plain text" and similar exports
 * give.  Tables come out one cell per line, each cell line starting with a
 * tab, rows separated by a blank line; a cell whose text wrapped continues on
 * the following line(s) without a tab ("5.要求行政机关确认或重新\n出具已获
 * 取信息").  Rows written as "a | b | c" are read too.  Word leaves
 * "[bookmark: _Hlk…]" markers (dropped) and "[image: …]" markers (kept as
 * image blocks: an image where a table should be is a finding).
 *
 * Rows stay ragged: merged cells are not visible in this format, so the
 * mapper aligns values from the right of each row.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "label.h"
#include "parse.h"
#include "xmalloc.h"

struct text_state {
	struct doc	 *doc;
	struct doc_table *table;	/* table being read, or NULL */
	struct doc_row	 *row;		/* row being read, or NULL */
	int		  last_cell;	/* previous line was a cell line */
	int		  next_id;	/* cell ids, unique in the document */
	int		  last_pipe;	/* previous line was a "a | b" row */
};

/* Removes "[bookmark: …]" markers; counts and removes "[image: …]" ones. */
static char *
text_strip_markers(const char *s, int *images)
{
	struct buf b;
	const char *p = s, *e;

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	while (*p != '\0') {
		if (*p == '[' && (strncmp(p, "[bookmark:", 10) == 0 ||
		    strncmp(p, "[image:", 7) == 0)) {
			e = strchr(p, ']');
			if (e != NULL) {
				if (p[1] == 'i' && images != NULL)
					(*images)++;
				p = e + 1;
				continue;
			}
		}
		buf_addc(&b, *p++);
	}
	return buf_detach(&b);
}

/* Trims ASCII and CJK whitespace at both ends; returns a new string. */
static char *
text_trim(const char *s)
{
	const char *p = s, *q, *end;
	unsigned cp;

	end = s + strlen(s);
	/* leading */
	for (;;) {
		q = p;
		cp = label_utf8_next(&q);
		if (*p == '\0' || !(cp == ' ' || cp == '\t' || cp == '\r' ||
		    cp == 0xa0 || cp == 0x3000 || cp == 0xfeff))
			break;
		p = q;
	}
	/* trailing: step back over whole code points */
	while (end > p) {
		const char *c = end - 1;

		while (c > p && ((unsigned char)*c & 0xc0) == 0x80)
			c--;
		q = c;
		cp = label_utf8_next(&q);
		if (!(cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xa0 ||
		    cp == 0x3000 || cp == 0xfeff))
			break;
		end = c;
	}
	return xstrndup(p, (size_t)(end - p));
}

static int
text_is_blank(const char *line)
{
	char *t;
	int blank;

	t = text_trim(line);
	blank = *t == '\0';
	free(t);
	return blank;
}

static void
text_end_table(struct text_state *st)
{
	st->table = NULL;
	st->row = NULL;
	st->last_cell = 0;
}

static void
text_add_cell(struct text_state *st, const char *raw, int line)
{
	char *s, *t;
	int images = 0;

	if (st->table == NULL)
		st->table = doc_add_table(st->doc, line);
	if (st->row == NULL)
		st->row = doc_table_add_row(st->table);
	s = text_strip_markers(raw, &images);
	t = text_trim(s);
	st->table->images += images;
	doc_row_add_cell(st->table, st->row, t, st->next_id++, 0);
	free(t);
	free(s);
	st->last_cell = 1;
}

/* A cell line: "\tcell" or "\tcell\tcell..." (tab-separated on one line). */
static void
text_cell_line(struct text_state *st, const char *line, int lineno)
{
	const char *p = line + 1, *tab;
	char *cell;

	for (;;) {
		tab = strchr(p, '\t');
		cell = tab ? xstrndup(p, (size_t)(tab - p)) : xstrdup(p);
		text_add_cell(st, cell, lineno);
		free(cell);
		if (tab == NULL)
			break;
		p = tab + 1;
	}
}

/*
 * "| a | b |" or "a | b | c": at least two bars, or one when the line
 * before was a pipe row ("行政许可 | 71780" inside a table).
 */
static int
text_is_pipe_row(const char *line, int in_pipe_table)
{
	const char *p;
	int bars = 0;

	for (p = line; *p != '\0'; p++)
		if (*p == '|')
			bars++;
	return bars >= 2 || (bars == 1 && in_pipe_table);
}

static int
text_is_rule_row(const char *line)
{
	const char *p;

	for (p = line; *p != '\0'; p++)
		if (*p != '|' && *p != '-' && *p != ':' && *p != ' ' &&
		    *p != '+' && *p != '=')
			return 0;
	return 1;
}

static void
text_pipe_line(struct text_state *st, const char *line, int lineno)
{
	char *t, *p, *bar;

	if (text_is_rule_row(line))
		return;
	t = text_trim(line);
	p = t;
	if (*p == '|')
		p++;
	if (*p != '\0' && p[strlen(p) - 1] == '|')
		p[strlen(p) - 1] = '\0';
	st->row = NULL;		/* one line is one row */
	for (;;) {
		bar = strchr(p, '|');
		if (bar != NULL)
			*bar = '\0';
		text_add_cell(st, p, lineno);
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	st->row = NULL;
	st->last_cell = 0;
	free(t);
}

static void
text_para_line(struct text_state *st, const char *line, int lineno)
{
	char *s, *t;
	int images = 0;

	text_end_table(st);
	s = text_strip_markers(line, &images);
	t = text_trim(s);
	while (images-- > 0)
		doc_add_image(st->doc, line, lineno);
	if (*t != '\0')
		doc_add_text(st->doc, t, lineno);
	free(t);
	free(s);
}

/* A continuation line of the last cell (a label that wrapped). */
static void
text_continue_cell(struct text_state *st, const char *line)
{
	struct doc_cell *c;
	char *s, *t, *joined;

	c = &st->row->cells[st->row->ncells - 1];
	s = text_strip_markers(line, NULL);
	t = text_trim(s);
	xasprintf(&joined, "%s\n%s", c->text, t);
	free(c->text);
	c->text = joined;
	free(t);
	free(s);
}

int
text_read(const char *buf, size_t len, struct doc **out, char **cause)
{
	struct text_state st;
	const char *p = buf, *end = buf + len, *nl;
	char *line;
	int lineno = 0;

	memset(&st, 0, sizeof st);
	st.doc = doc_new();
	st.doc->reader = "text";
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line = xstrndup(p, (size_t)(nl - p));
		if (*line != '\0' && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		lineno++;
		if (line[0] == '\t')
			text_cell_line(&st, line, lineno);
		else if (text_is_blank(line)) {
			st.row = NULL;
			st.last_cell = 0;
		} else if (text_is_pipe_row(line, st.last_pipe)) {
			text_pipe_line(&st, line, lineno);
			st.last_pipe = 1;
			free(line);
			p = nl + 1;
			continue;
		} else if (st.last_cell && st.row != NULL)
			text_continue_cell(&st, line);
		else
			text_para_line(&st, line, lineno);
		st.last_pipe = 0;
		free(line);
		p = nl + 1;
	}
	if (st.doc->nblocks == 0) {
		doc_free(st.doc);
		*out = NULL;
		*cause = xstrdup("no text in the input");
		return -1;
	}
	*out = st.doc;
	return 0;
}
