/*
 * Date parsing for page metadata (see date.h): the handful of ways
 * Chinese government CMSs print a publication date, normalized to
 * "YYYY-MM-DD[ HH:MM[:SS]]".  No sscanf: every field is read digit by
 * digit so that a truncated or hostile string cannot read past its end.
 */
#include <string.h>

#include "date.h"
#include "label.h"

#define DATE_YEAR_MIN	1900
#define DATE_YEAR_MAX	2199
#define DATE_SEP_MAX	24	/* bytes allowed between a label and its date */

/* Reads one ASCII or full-width digit at *p; returns 0..9 or -1. */
static int
date_digit(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;

	if (s[0] >= '0' && s[0] <= '9') {
		(*p)++;
		return s[0] - '0';
	}
	/* U+FF10..U+FF19 are EF BC 90..99 */
	if (s[0] == 0xef && s[1] == 0xbc && s[2] >= 0x90 && s[2] <= 0x99) {
		*p += 3;
		return s[2] - 0x90;
	}
	return -1;
}

static int
date_is_digit(const char *p)
{
	return date_digit(&p) >= 0;
}

/* Reads between min and max digits; returns the number or -1. */
static int
date_number(const char **p, int min, int max)
{
	const char *q = *p;
	int n = 0, d, i;

	for (i = 0; i < max; i++) {
		d = date_digit(&q);
		if (d < 0)
			break;
		n = n * 10 + d;
	}
	if (i < min)
		return -1;
	*p = q;
	return n;
}

/* Whether s starts with the UTF-8 string w; advances past it if so. */
static int
date_skip(const char **s, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(*s, w, n) != 0)
		return 0;
	*s += n;
	return 1;
}

/*
 * Reads a date separator.  Returns its kind: the ASCII character for
 * '-', '/', '.' (full-width forms fold to them), 'y' for 年, 'm' for 月,
 * or 0.
 */
static int
date_sep(const char **p)
{
	const char *s = *p;

	if (*s == '-' || *s == '/' || *s == '.') {
		(*p)++;
		return *s;
	}
	if (date_skip(p, "－"))
		return '-';
	if (date_skip(p, "／"))
		return '/';
	if (date_skip(p, "．"))
		return '.';
	if (date_skip(p, "年"))
		return 'y';
	if (date_skip(p, "月"))
		return 'm';
	return 0;
}

static int
date_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Skips the blanks allowed between a date and its time. */
static void
date_skip_blanks(const char **p)
{
	for (;;) {
		if (**p == ' ' || **p == '\t')
			(*p)++;
		else if (!date_skip(p, "\xc2\xa0") && !date_skip(p, "\xe3\x80\x80"))
			return;
	}
}

/* Reads ":" or "：". */
static int
date_colon(const char **p)
{
	if (**p == ':') {
		(*p)++;
		return 1;
	}
	return date_skip(p, "：");
}

/*
 * Reads a time "HH:MM[:SS]" or "HH时MM分[SS秒]" at *p into h/mi/sec
 * (sec = -1 when absent).  Returns 0 and advances, or -1.
 */
static int
date_time(const char **p, int *h, int *mi, int *sec)
{
	const char *s = *p, *t;
	int han;

	*h = date_number(&s, 1, 2);
	if (*h < 0 || *h > 23)
		return -1;
	if (date_colon(&s))
		han = 0;
	else if (date_skip(&s, "时"))
		han = 1;
	else
		return -1;
	*mi = date_number(&s, 2, 2);
	if (*mi < 0 || *mi > 59)
		return -1;
	if (han)
		date_skip(&s, "分");
	*sec = -1;
	t = s;
	if ((!han && date_colon(&t)) || han) {
		int v = date_number(&t, 2, 2);

		if (v >= 0 && v <= 59 && (!han || date_skip(&t, "秒"))) {
			*sec = v;
			s = t;
		}
	}
	if (date_is_digit(s))
		return -1;
	*p = s;
	return 0;
}

/* Writes v as exactly width decimal digits at out + at. */
static void
date_put(char *out, int at, int v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		out[at + i] = (char)('0' + v % 10);
		v /= 10;
	}
}

int
date_parse(const char *s, char out[DATE_MAX], const char **end)
{
	const char *p = s, *t;
	int y, m, d, sep, sep2, h, mi, sec;

	out[0] = '\0';
	y = date_number(&p, 4, 4);
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || date_is_digit(p))
		return -1;
	sep = date_sep(&p);
	if (sep == 0 || sep == 'm')
		return -1;
	m = date_number(&p, 1, 2);
	if (m < 1 || m > 12 || date_is_digit(p))
		return -1;
	sep2 = date_sep(&p);
	if ((sep == 'y' && sep2 != 'm') || (sep != 'y' && sep2 != sep))
		return -1;
	d = date_number(&p, 1, 2);
	if (d < 1 || d > date_days(y, m) || date_is_digit(p))
		return -1;
	if (sep == 'y' && !date_skip(&p, "日"))
		date_skip(&p, "号");

	t = p;
	if (*t == 'T')
		t++;
	else
		date_skip_blanks(&t);
	date_put(out, 0, y, 4);
	out[4] = '-';
	date_put(out, 5, m, 2);
	out[7] = '-';
	date_put(out, 8, d, 2);
	out[10] = '\0';
	if (date_time(&t, &h, &mi, &sec) == 0) {
		p = t;
		out[10] = ' ';
		date_put(out, 11, h, 2);
		out[13] = ':';
		date_put(out, 14, mi, 2);
		out[16] = '\0';
		if (sec >= 0) {
			out[16] = ':';
			date_put(out, 17, sec, 2);
			out[19] = '\0';
		}
	}
	if (end != NULL)
		*end = p;
	return 0;
}

/* Skips what may stand between a label and its value. */
static const char *
date_after_label(const char *p)
{
	const char *start = p;

	while (p - start < DATE_SEP_MAX) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == ':')
			p++;
		else if (!date_skip(&p, "\xc2\xa0") &&
		    !date_skip(&p, "\xe3\x80\x80") && !date_skip(&p, "："))
			break;
	}
	return p;
}

/* Whether the character ending just before p (in text) is a Han one. */
static int
date_han_before(const char *text, const char *p)
{
	const char *q = p;
	unsigned cp;

	if (q == text)
		return 0;
	/* back up to the lead byte of the previous character */
	do
		q--;
	while (q > text && ((unsigned char)*q & 0xc0) == 0x80 && p - q < 4);
	cp = label_utf8_next(&q);
	return label_is_han(cp);
}

int
date_find_labeled(const char *text, char out[DATE_MAX])
{
	static const char *strong[] = {
		"发布日期", "发布时间", "发表时间", "发布于", "公开日期",
		"发文日期",
	};
	static const char *weak[] = { "时间", "日期" };
	const char *p;
	size_t i;

	out[0] = '\0';
	if (text == NULL)
		return -1;
	for (i = 0; i < sizeof strong / sizeof strong[0]; i++) {
		for (p = strstr(text, strong[i]); p != NULL;
		    p = strstr(p + 1, strong[i])) {
			if (date_parse(date_after_label(p + strlen(strong[i])),
			    out, NULL) == 0)
				return 0;
		}
	}
	for (i = 0; i < sizeof weak / sizeof weak[0]; i++) {
		for (p = strstr(text, weak[i]); p != NULL;
		    p = strstr(p + 1, weak[i])) {
			if (date_han_before(text, p))
				continue;
			if (date_parse(date_after_label(p + strlen(weak[i])),
			    out, NULL) == 0)
				return 0;
		}
	}
	out[0] = '\0';
	return -1;
}
