/*
 * Label normalization and matching: what lets "商 业 企\n业", "（三）" and
 * "(三)", "1、" and "1.", "“三安全一稳定”" and "\"三安全一稳定\"", full-width
 * digits and Word's "[bookmark: _Hlk…]" markers all compare equal.
 */
#ifndef LABEL_H
#define LABEL_H

#include <stddef.h>

/*
 * Returns a normalized copy (caller frees): all whitespace removed
 * (including NBSP, U+3000 and zero-width spaces), full-width ASCII folded to
 * ASCII, 、and ． to '.', curly quotes to straight ones, 【】〔〕 to [](),
 * and "[bookmark: …]" / "[image: …]" markers dropped.
 */
char	*label_norm(const char *);

/* Same, but keeps single spaces between words (for text bodies). */
char	*label_norm_text(const char *);

/* strstr on a normalized haystack with a keyword normalized on the fly. */
int	 label_has(const char *norm, const char *keyword);

/*
 * Parses a leading list number of a normalized label: "三.", "(三)", "3.",
 * "(3)", "3)", "三" followed by '.'.  Returns the number (1..99) and sets
 * *rest past it and *style ('c' Chinese numeral with '.', 'p' parenthesised,
 * 'a' arabic with '.'), or 0 when there is none.
 */
int	 label_number(const char *norm, const char **rest, int *style);

/* Number of UTF-8 code points in s. */
size_t	 label_chars(const char *s);

/*
 * Decodes one UTF-8 code point at *p (advancing it); invalid bytes return
 * U+FFFD and advance one byte.
 */
unsigned label_utf8_next(const char **p);
/* Appends the UTF-8 encoding of cp to out; returns bytes written (1-4). */
int	 label_utf8_put(char *out, unsigned cp);

/* Whether cp is a CJK ideograph. */
int	 label_is_han(unsigned cp);

#endif
