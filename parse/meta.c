/*
 * Report metadata found in the text: the reporting year (title, then the
 * statistics period of the preamble, then the most frequent year), the
 * agency (title, else the administrative name the text repeats most), its
 * region and its level (department / government / township), which decides
 * its legal deadline.
 */
#include <stdlib.h>
#include <string.h>

#include "label.h"
#include "mapper.h"
#include "xmalloc.h"

#define YEAR_MIN	2000
#define YEAR_MAX	2099

/* Reads a 4-digit year at p followed by 年; returns it or 0. */
static int
year_at(const char *p)
{
	int i, y = 0;

	for (i = 0; i < 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		y = y * 10 + (p[i] - '0');
	}
	if (strncmp(p + 4, "年", strlen("年")) != 0)
		return 0;
	if (y < YEAR_MIN || y > YEAR_MAX)
		return 0;
	return y;
}

int
meta_year_from_title(const char *title)
{
	char *n;
	const char *p;
	int y = 0;

	if (title == NULL)
		return 0;
	n = label_norm(title);
	for (p = n; *p != '\0' && y == 0; p++)
		if (p == n || p[-1] < '0' || p[-1] > '9')
			y = year_at(p);
	free(n);
	return y;
}

int
meta_year_from_period(const char *text)
{
	char *n;
	const char *p, *q;
	int y = 0;

	if (text == NULL)
		return 0;
	n = label_norm(text);
	p = strstr(n, "统计期限");
	if (p == NULL)
		p = strstr(n, "统计时限");
	if (p == NULL)
		p = strstr(n, "统计期间");
	if (p != NULL) {
		/* the first year within the next ~40 bytes */
		for (q = p; *q != '\0' && q < p + 60 && y == 0; q++)
			y = year_at(q);
	}
	free(n);
	return y;
}

int
meta_year_most_common(const char *text)
{
	int counts[YEAR_MAX - YEAR_MIN + 1];
	const char *p;
	int y, best = 0, i;

	if (text == NULL)
		return 0;
	memset(counts, 0, sizeof counts);
	for (p = text; *p != '\0'; p++) {
		if (p > text && p[-1] >= '0' && p[-1] <= '9')
			continue;
		y = year_at(p);
		if (y != 0)
			counts[y - YEAR_MIN]++;
	}
	for (i = 0; i <= YEAR_MAX - YEAR_MIN; i++)
		if (counts[i] > 0 && (best == 0 ||
		    counts[i] > counts[best - YEAR_MIN]))
			best = i + YEAR_MIN;
	return best;
}

char *
meta_agency_from_title(const char *title)
{
	char *n, *out = NULL;
	const char *p, *cut = NULL;

	if (title == NULL)
		return NULL;
	n = label_norm(title);
	for (p = n; *p != '\0'; p++) {
		if (year_at(p) != 0) {
			cut = p;
			break;
		}
	}
	if (cut == NULL)
		cut = strstr(n, "政府信息公开");
	if (cut == NULL)
		cut = strstr(n, "信息公开");
	if (cut != NULL && cut > n) {
		out = xstrndup(n, (size_t)(cut - n));
		/* "关于…" or a leading "《" are not part of the name */
		if (strncmp(out, "《", strlen("《")) == 0) {
			char *o = xstrdup(out + strlen("《"));

			free(out);
			out = o;
		}
	}
	free(n);
	if (out != NULL && label_chars(out) < 2) {
		free(out);
		out = NULL;
	}
	return out;
}

static int
is_division(unsigned cp)
{
	/* 省 市 县 区 州 旗 盟 */
	/* 镇 and 乡 are not regions: a township's region is its county */
	return cp == 0x7701 || cp == 0x5e02 || cp == 0x53bf || cp == 0x533a ||
	    cp == 0x5dde || cp == 0x65d7 || cp == 0x76df;
}

/*
 * Without a title: the "XX县/区/市" name the text repeats most (seed 000
 * says 沂源县 in almost every paragraph).
 */
char *
meta_agency_from_text(const char *text)
{
	struct cand { char name[16]; int count; } *c = NULL;
	size_t nc = 0, i, best = 0;
	const char *p, *q, *start[3] = { NULL, NULL, NULL };
	unsigned cp, prev[3];
	char *out = NULL;

	if (text == NULL)
		return NULL;
	memset(prev, 0, sizeof prev);
	p = text;
	while (*p != '\0') {
		q = p;
		cp = label_utf8_next(&q);
		if ((cp == 0x53bf || cp == 0x533a || cp == 0x5e02) &&
		    label_is_han(prev[0]) && label_is_han(prev[1]) &&
		    !label_is_han(prev[2])) {
			size_t len = (size_t)(q - start[1]);

			if (len < sizeof c->name) {
				for (i = 0; i < nc; i++)
					if (strlen(c[i].name) == len &&
					    memcmp(c[i].name, start[1], len) == 0)
						break;
				/* bounded: hostile text has endless names */
				if (i == nc && nc >= 4096)
					goto next;
				if (i == nc) {
					if ((nc & (nc - 1)) == 0)
						c = xreallocarray(c, nc ? nc * 2 :
						    1, sizeof *c);
					memcpy(c[nc].name, start[1], len);
					c[nc].name[len] = '\0';
					c[nc++].count = 0;
				}
				c[i].count++;
			}
		}
next:
		prev[2] = prev[1];
		start[2] = start[1];
		prev[1] = prev[0];
		start[1] = start[0];
		prev[0] = cp;
		start[0] = p;
		p = q;
	}
	for (i = 0; i < nc; i++)
		if (c[i].count > c[best].count)
			best = i;
	if (nc > 0 && c[best].count >= 3)
		out = xstrdup(c[best].name);
	free(c);
	return out;
}

char *
meta_region(const char *agency)
{
	const char *p, *q, *seg, *end = NULL;
	unsigned cp;
	int chars;

	if (agency == NULL)
		return NULL;
	p = agency;
	for (;;) {
		seg = p;
		chars = 0;
		q = p;
		while (*q != '\0' && chars < 7) {
			cp = label_utf8_next(&q);
			if (!label_is_han(cp))
				break;
			chars++;
			if (chars >= 2 && is_division(cp)) {
				end = q;
				break;
			}
		}
		if (end == NULL || end <= seg || end != q)
			break;
		p = end;
		if (strncmp(p, "人民政府", strlen("人民政府")) == 0)
			break;
	}
	if (end == NULL)
		return NULL;
	return xstrndup(agency, (size_t)(end - agency));
}

const char *
meta_level(const char *agency)
{
	size_t len;

	if (agency == NULL)
		return NULL;
	if (strstr(agency, "镇人民政府") != NULL || strstr(agency,
	    "乡人民政府") != NULL || strstr(agency, "街道办事处") != NULL ||
	    strstr(agency, "街道") != NULL)
		return "township";
	len = strlen(agency);
	if (len >= strlen("人民政府") && strcmp(agency + len -
	    strlen("人民政府"), "人民政府") == 0)
		return "government";
	if (len >= 3) {
		const char *p = agency, *last = agency;

		while (*p != '\0') {
			last = p;
			label_utf8_next(&p);
		}
		/* a bare place name ("沂源县") is its government */
		if (label_chars(agency) <= 6 && (strncmp(last, "县", 3) == 0 ||
		    strncmp(last, "区", 3) == 0 || strncmp(last, "市", 3) == 0 ||
		    strncmp(last, "省", 3) == 0))
			return "government";
		if (strncmp(last, "镇", 3) == 0 || strncmp(last, "乡", 3) == 0)
			return "township";
	}
	return "department";
}
