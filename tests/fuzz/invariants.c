/*
 * Invariant checks for the fuzz harnesses (see invariants.h): walk what
 * the readers, the mapper and the rules hand back and abort on anything
 * that breaks the contracts written in parse.h, doc.h and record.h.  The
 * checks only read; they never fix anything up.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"

/* Tables larger than this skip the quadratic span-copy check. */
#define SPAN_CHECK_MAX	4096

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("invariant broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int
fuzz_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	unsigned int cp, min;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			n = 1;
			cp = p[i] & 0x1f;
			min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			n = 2;
			cp = p[i] & 0x0f;
			min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			n = 3;
			cp = p[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Touches every byte of s (for ASan) and checks it is UTF-8 if asked. */
static void
check_str(const char *what, const char *s, int utf8)
{
	size_t len;

	if (s == NULL)
		fuzz_fail("%s is NULL", what);
	len = strlen(s);
	if (utf8 && !fuzz_utf8_valid(s, len))
		fuzz_fail("%s is not valid UTF-8: \"%.60s\"", what, s);
}

static void
check_opt(const char *what, const char *s, int utf8)
{
	if (s != NULL)
		check_str(what, s, utf8);
}

static int
one_of(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS". */
static void
check_date(const char *what, const char *s)
{
	size_t len;

	if (s == NULL)
		return;
	len = strlen(s);
	if ((len != 10 && len != 16 && len != 19) || !digits(s, 4) ||
	    s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		goto bad;
	if (len >= 16 && (s[10] != ' ' || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2)))
		goto bad;
	if (len == 19 && (s[16] != ':' || !digits(s + 17, 2)))
		goto bad;
	return;
bad:
	fuzz_fail("%s \"%.40s\" is not YYYY-MM-DD[ HH:MM[:SS]]", what, s);
}

/* Whether a non-copy cell with this id comes before (r, c), row-major. */
static int
has_source(const struct doc_table *t, size_t r, size_t c, int id)
{
	size_t r2, c2;

	for (r2 = 0; r2 <= r; r2++)
		for (c2 = 0; c2 < t->rows[r2].ncells; c2++) {
			if (r2 == r && c2 >= c)
				return 0;
			if (!t->rows[r2].cells[c2].copy &&
			    t->rows[r2].cells[c2].id == id)
				return 1;
		}
	return 0;
}

/*
 * doc.h, for a grid reader: an uncovered slot left of a covered one is an
 * empty id -1 cell, and a row is never padded at its end (padding shifts
 * the values the mapper reads from the right).
 */
static void
check_grid_row(const struct doc_row *row, size_t bi, size_t r)
{
	const struct doc_cell *cell;
	size_t c;

	for (c = 0; c < row->ncells; c++) {
		cell = &row->cells[c];
		if (cell->id == -1 && (cell->copy || *cell->text != '\0'))
			fuzz_fail("block %zu cell %zu,%zu: an id -1 slot with "
			    "text or marked a copy", bi, r, c);
	}
	if (row->ncells > 0 && row->cells[row->ncells - 1].id == -1)
		fuzz_fail("block %zu row %zu: padded at its end with an "
		    "uncovered slot (doc.h: rows are not padded)", bi, r);
}

static void
check_table(const struct doc_table *t, size_t bi, int utf8, int grid)
{
	size_t r, c, widest = 0, ncells = 0;
	const struct doc_row *row;
	const struct doc_cell *cell;

	if (t == NULL)
		fuzz_fail("block %zu: table block without a table", bi);
	if (t->nrows > t->cap || (t->nrows > 0 && t->rows == NULL))
		fuzz_fail("block %zu: nrows %zu, cap %zu", bi, t->nrows,
		    t->cap);
	for (r = 0; r < t->nrows; r++) {
		row = &t->rows[r];
		if (row->ncells > row->cap ||
		    (row->ncells > 0 && row->cells == NULL))
			fuzz_fail("block %zu row %zu: ncells %zu, cap %zu", bi,
			    r, row->ncells, row->cap);
		if (row->ncells > widest)
			widest = row->ncells;
		ncells += row->ncells;
		for (c = 0; c < row->ncells; c++) {
			cell = &row->cells[c];
			check_str("cell text", cell->text, utf8);
			if (cell->copy != 0 && cell->copy != 1)
				fuzz_fail("block %zu cell %zu,%zu: copy = %d",
				    bi, r, c, cell->copy);
		}
		if (grid)
			check_grid_row(row, bi, r);
	}
	if (t->ncols != widest)
		fuzz_fail("block %zu: ncols %zu but the widest row has %zu",
		    bi, t->ncols, widest);
	if (!grid || ncells > SPAN_CHECK_MAX)
		return;
	/*
	 * A copy comes from an earlier (up or left) cell with the same id.
	 * An empty copy may outlive its source: the reader drops a row with
	 * no text, and an empty rowspan cell in it leaves empty copies below
	 * (harmless, tolerated).
	 */
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->rows[r].ncells; c++) {
			cell = &t->rows[r].cells[c];
			if (!cell->copy || cell->id == -1 ||
			    *cell->text == '\0')
				continue;
			if (!has_source(t, r, c, cell->id))
				fuzz_fail("block %zu cell %zu,%zu: a span copy "
				    "(id %d) with no source cell before it", bi,
				    r, c, cell->id);
		}
}

void
fuzz_check_doc(const struct doc *d, int utf8)
{
	static const char *const froms[] = {
		"http", "bom", "meta", "guess", "default", NULL
	};
	static const char *const pubfroms[] = { "page", "meta", NULL };
	size_t i;
	int grid;

	if (d == NULL)
		fuzz_fail("reader returned 0 but no document");
	check_opt("doc.title", d->title, utf8);
	check_opt("doc.meta_title", d->meta_title, utf8);
	check_opt("doc.pubdate", d->pubdate, utf8);
	check_date("doc.pubdate", d->pubdate);
	if (d->pubdate_from != NULL && !one_of(d->pubdate_from, pubfroms))
		fuzz_fail("doc.pubdate_from \"%.20s\"", d->pubdate_from);
	if (d->pubdate != NULL && d->pubdate_from == NULL)
		fuzz_fail("doc.pubdate set without pubdate_from");
	check_opt("doc.source", d->source, utf8);
	check_opt("doc.site", d->site, utf8);
	check_opt("doc.column", d->column, utf8);
	check_opt("doc.url", d->url, utf8);
	check_str("doc.charset", d->charset, 1);
	check_str("doc.charset_from", d->charset_from, 1);
	if (!one_of(d->charset_from, froms))
		fuzz_fail("doc.charset_from \"%s\"", d->charset_from);
	check_str("doc.reader", d->reader, 1);
	grid = strcmp(d->reader, "html") == 0;
	if (d->nblocks > d->cap || (d->nblocks > 0 && d->blocks == NULL))
		fuzz_fail("nblocks %zu, cap %zu", d->nblocks, d->cap);
	for (i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];

		if (b->line < 0)
			fuzz_fail("block %zu: line %d", i, b->line);
		switch (b->kind) {
		case BLOCK_TEXT:
			check_str("text block", b->text, utf8);
			break;
		case BLOCK_IMAGE:
			check_str("image block", b->text, utf8);
			break;
		case BLOCK_TABLE:
			check_table(b->table, i, utf8, grid);
			break;
		default:
			fuzz_fail("block %zu: kind %d", i, (int)b->kind);
		}
	}
}

/* Every comma-separated key of a finding names a real cell. */
static void
check_keys(const struct finding *f)
{
	char key[128];
	const char *p = f->cells, *e;
	size_t n;

	while (*p != '\0') {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		while (n > 0 && *p == ' ') {
			p++;
			n--;
		}
		if (n == 0 || n >= sizeof key)
			fuzz_fail("finding %s: bad cell list \"%.80s\"",
			    f->rule, f->cells);
		memcpy(key, p, n);
		key[n] = '\0';
		/* whole tables (STRUCT.TABLES) are named t2, t3, t4 */
		if (strncmp(key, "meta.", 5) != 0 && record_find_key(key) < 0 &&
		    strcmp(key, "t2") != 0 && strcmp(key, "t3") != 0 &&
		    strcmp(key, "t4") != 0)
			fuzz_fail("finding %s names unknown cell key \"%s\"",
			    f->rule, key);
		if (e == NULL)
			break;
		p = e + 1;
	}
}

void
fuzz_check_record(const struct record *r)
{
	static const char *const levels[] = {
		"department", "government", "township", NULL
	};
	static const char *const pubfroms[] = {
		"page", "meta", "url", "first_seen", NULL
	};
	const struct cell *c;
	const struct finding *f;
	size_t i;
	const char *p;

	if (r == NULL)
		fuzz_fail("mapper returned 0 but no record");
	check_opt("meta.agency", r->agency, 1);
	check_opt("meta.region", r->region, 1);
	check_opt("meta.level", r->level, 1);
	if (r->level != NULL && !one_of(r->level, levels))
		fuzz_fail("meta.level \"%.20s\"", r->level);
	if (r->year < 0)
		fuzz_fail("meta.year %d", r->year);
	check_opt("meta.title", r->title, 1);
	check_opt("meta.url", r->url, 1);
	check_opt("meta.published", r->published, 1);
	check_date("meta.published", r->published);
	if (r->published_from != NULL && !one_of(r->published_from, pubfroms))
		fuzz_fail("meta.published_from \"%.20s\"", r->published_from);
	if ((int)r->format < FORMAT_UNKNOWN || r->format > FORMAT_PRE2019)
		fuzz_fail("format %d", (int)r->format);
	check_opt("record.charset", r->charset, 1);
	check_opt("record.reader", r->reader, 1);
	check_opt("record.text", r->text, 1);
	for (i = 0; i < SEC_N; i++) {
		const struct rec_section_text *s = &r->sections[i];

		check_opt("section heading", s->heading, 1);
		check_opt("section text", s->text, 1);
		if (s->present && (s->order < 0 || s->order > 64))
			fuzz_fail("section %zu: order %d", i, s->order);
	}
	if (r->t2_state > TABLE_IMAGE || r->t3_state > TABLE_IMAGE ||
	    r->t4_state > TABLE_IMAGE)
		fuzz_fail("table state %d/%d/%d", (int)r->t2_state,
		    (int)r->t3_state, (int)r->t4_state);
	for (i = 0; i < REC_NCELLS; i++) {
		c = &r->cells[i];
		(void)record_key_applies(r, (int)i);
		if ((int)c->kind < CELL_ABSENT || c->kind > CELL_TEXT)
			fuzz_fail("%s: kind %d", record_key((int)i),
			    (int)c->kind);
		if (c->kind == CELL_ABSENT)
			continue;
		check_str(record_key((int)i), c->raw, 1);
		if (c->kind == CELL_ZERO && c->value != 0)
			fuzz_fail("%s: zero cell with value %g", record_key(
			    (int)i), c->value);
		if (c->kind == CELL_NUMBER && (c->value == 0 ||
		    !isfinite(c->value)))
			fuzz_fail("%s: number cell with value %g "
			    "(raw \"%.40s\")", record_key((int)i), c->value,
			    c->raw);
	}
	for (i = 0; i < r->nnotes; i++)
		check_str("note", r->notes[i], 1);
	if (r->nfindings > r->findings_cap)
		fuzz_fail("nfindings %zu > cap %zu", r->nfindings,
		    r->findings_cap);
	for (i = 0; i < r->nfindings; i++) {
		f = &r->findings[i];
		if (f->rule == NULL || *f->rule == '\0')
			fuzz_fail("finding %zu without a rule id", i);
		for (p = f->rule; *p != '\0'; p++)
			if (!((*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_'))
				fuzz_fail("rule id \"%.40s\"", f->rule);
		if ((int)f->severity < SEV_INFO || f->severity > SEV_ERROR)
			fuzz_fail("%s: severity %d", f->rule, (int)f->severity);
		if ((int)f->result < RESULT_PASS ||
		    f->result > RESULT_UNKNOWN)
			fuzz_fail("%s: result %d", f->rule, (int)f->result);
		check_str("finding cells", f->cells, 1);
		check_keys(f);
		check_str("finding message", f->message, 1);
		if (*f->message == '\0')
			fuzz_fail("%s: empty message", f->rule);
		if (f->has_numbers && (!isfinite(f->expected) ||
		    !isfinite(f->actual)))
			fuzz_fail("%s: expected %g, actual %g", f->rule,
			    f->expected, f->actual);
	}
}
