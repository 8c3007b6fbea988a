/*
 * Private interface of the rule catalogue (parse/rules*.c): one entry point
 * per family of rules, and the helpers they share for wording messages
 * (cell labels, numbers) and for walking the report's text sentence by
 * sentence.  Nothing here is used outside parse/rules*.c; the public entry
 * points are rules_run() and rules_run_pair() in parse.h.
 *
 * Conventions every rule follows:
 *   - a finding's cells list the dotted keys of the cells involved (real
 *     keys of record_key() or meta.*), the cell being judged (a 总计)
 *     first; whole-table and text findings may list none;
 *   - where there is arithmetic, expected is what the parts (or the other
 *     source) say the value should be and actual is what the report
 *     states: T3.ROW expected = Σ six columns, actual = 总计;
 *   - an operand that is blank, n/a, text or absent makes the result
 *     unknown, never pass or fail (a blank is never a zero).
 */
#ifndef RULES_H
#define RULES_H

#include <stddef.h>

#include "buf.h"
#include "record.h"

/* rules_struct.c: STRUCT.SECTIONS, STRUCT.TABLES, STRUCT.FORMAT */
void	 rules_struct(struct record *);
/* rules_table.c: T3.ROW, T3.BALANCE, T3.RESULTS, T4.SUM */
void	 rules_table(struct record *);
/* rules_range.c: CELL.RANGE */
void	 rules_range(struct record *);
/* rules_meta.c: STRUCT.PLACEHOLDER, META.YEAR */
void	 rules_meta(struct record *);
/* rules_text.c: X.TEXT */
void	 rules_text(struct record *);
/* rules_pair.c: X.CARRY, X.INFORCE, X.COPY */
void	 rules_pair(const struct record *prev, struct record *cur);

/* Whether two table values are the same number (sums of decimals drift). */
int	 rules_eq(double, double);
/* export_number() into buf, returning buf (for use inside printf args). */
const char *rules_num(char *buf, size_t len, double);
/* Appends rules_num() of v to b. */
void	 rules_addnum(struct buf *, double);
/* Appends a cell's Chinese place: 表三“（一）予以公开”行“自然人”列. */
void	 rules_addlabel(struct buf *, int idx);
/* Appends the key of idx to a comma-separated key list. */
void	 rules_addkey(struct buf *, int idx);
/* How a non-numeric cell is described: 为空白, 为“/”, 为文字“详见附表”. */
void	 rules_addstate(struct buf *, const struct cell *);

/*
 * The report's text for text rules: r->text when the reader filled it
 * (it holds the preamble with the 统计期限 too), else the six sections'
 * texts joined by '\n'.  Caller frees; never NULL.
 */
char	*rules_all_text(const struct record *);

/*
 * Splits text into normalized lines (label_norm_text of each '\n'-separated
 * line: full-width ASCII folded, 、 to '.', （） to (), 【】 to [], Word
 * markers dropped), skipping empty ones.  Returns the count; *out is an
 * array the caller frees with rules_lines_free().
 */
size_t	 rules_lines(const char *text, char ***out);
void	 rules_lines_free(char **, size_t);

/*
 * Appends to b the text of line around [start, end) (byte offsets), with
 * up to before / after code points of context and "…" where cut.
 */
void	 rules_excerpt(struct buf *, const char *line, size_t start,
	    size_t end, int before, int after);

/* Whether the code point at p (a UTF-8 string) starts one of words[]. */
int	 rules_at(const char *p, const char *const *words);

/*
 * Byte length of the UTF-8 sequence starting at p (1 for bad bytes).
 * Inline: the text scans call it for every character.
 */
static inline size_t
rules_cplen(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80)
		return 2;
	if ((p[0] & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80)
		return 3;
	if ((p[0] & 0xf8) == 0xf0 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80)
		return 4;
	return 1;
}
/* Start of the code point before p, not before start. */
const char *rules_cpprev(const char *start, const char *p);

#endif
