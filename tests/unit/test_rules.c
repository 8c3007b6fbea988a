/*
 * Unit tests of the rule catalogue (parse/rules*.c).  Records are built by
 * hand from the seeds' real numbers (seed 000: 沂源县 2024, every identity
 * holds) and then broken one cell at a time, so each test says which
 * finding a given fault produces: its rule, cells, result, severity and
 * expected/actual.  The seeds' texts are read from ../shared/seeds to check
 * the text rules (META.YEAR, STRUCT.PLACEHOLDER, X.TEXT) on real prose.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"
#include "record.h"
#include "util.h"
#include "xmalloc.h"

/* ---- helpers ---------------------------------------------------------- */

/* Whether key is one element of the comma-separated list. */
static int
has_key(const char *list, const char *key)
{
	size_t l = strlen(key);
	const char *p;

	for (p = strstr(list, key); p != NULL; p = strstr(p + l, key))
		if ((p == list || p[-1] == ',') && (p[l] == ',' ||
		    p[l] == '\0'))
			return 1;
	return 0;
}

/*
 * The first finding of rule whose cells start with key (the judged cell
 * comes first), or any finding of rule when key is NULL.
 */
static const struct finding *
find(const struct record *r, const char *rule, const char *key)
{
	size_t i, l;

	for (i = 0; i < r->nfindings; i++) {
		if (strcmp(r->findings[i].rule, rule) != 0)
			continue;
		if (key == NULL)
			return &r->findings[i];
		l = strlen(key);
		if (strncmp(r->findings[i].cells, key, l) == 0 &&
		    (r->findings[i].cells[l] == ',' ||
		    r->findings[i].cells[l] == '\0'))
			return &r->findings[i];
	}
	return NULL;
}

/* The first finding of rule whose message contains text. */
static const struct finding *
find_msg(const struct record *r, const char *rule, const char *text)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].rule, rule) == 0 &&
		    strstr(r->findings[i].message, text) != NULL)
			return &r->findings[i];
	return NULL;
}

/* The first finding of rule listing key anywhere in its cells. */
static const struct finding *
find_any(const struct record *r, const char *rule, const char *key)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].rule, rule) == 0 &&
		    has_key(r->findings[i].cells, key))
			return &r->findings[i];
	return NULL;
}

static int
count(const struct record *r, const char *rule, enum finding_result res)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->nfindings; i++)
		if ((rule == NULL || strcmp(r->findings[i].rule, rule) == 0) &&
		    r->findings[i].result == res)
			n++;
	return n;
}

static int
count_rule(const struct record *r, const char *rule)
{
	return count(r, rule, RESULT_PASS) + count(r, rule, RESULT_FAIL) +
	    count(r, rule, RESULT_UNKNOWN);
}

/* Prints the findings when a test fails, to see why. */
static void
dump(const struct record *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		fprintf(stderr, "  %s %s %s [%s] %s\n", r->findings[i].rule,
		    severity_name(r->findings[i].severity),
		    result_name(r->findings[i].result), r->findings[i].cells,
		    r->findings[i].message);
}

/* Frees a record; with TEST_RULES_DUMP set, prints its findings first. */
static void
done(struct record *r)
{
	if (getenv("TEST_RULES_DUMP") != NULL) {
		fprintf(stderr, "--\n");
		dump(r);
	}
	record_free(r);
}

static void
reset_findings(struct record *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		free(r->findings[i].cells);
		free(r->findings[i].message);
	}
	r->nfindings = 0;
}

static void
set_int(struct record *r, int idx, int v)
{
	char s[32];

	snprintf(s, sizeof s, "%d", v);
	record_set_cell(r, idx, s);
}

static char *
read_seed(const char *name)
{
	char path[1024], *out, *cause;
	size_t len;

	snprintf(path, sizeof path, "%s/seeds/%s", SHARED_DIR, name);
	if (util_read_file(path, 1 << 20, &out, &len, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return NULL;
	}
	return out;
}

/*
 * The lines of text between the line containing from and the line
 * containing to (exclusive), as a section's body.
 */
static char *
between(const char *text, const char *from, const char *to)
{
	const char *s, *e;

	s = strstr(text, from);
	if (s == NULL)
		return xstrdup("");
	s = strchr(s, '\n');
	if (s == NULL)
		return xstrdup("");
	s++;
	e = strstr(s, to);
	if (e == NULL)
		e = s + strlen(s);
	while (e > s && e[-1] != '\n')
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* Seed 000's table 三, 2021 layout: natural … other, total. */
static const struct {
	int	row;
	int	v[7];
} seed000_t3[] = {
	{ T3_NEW,		{ 100, 0, 0, 0, 1, 0, 101 } },
	{ T3_CARRIED_OVER,	{ 3, 0, 0, 0, 0, 0, 3 } },
	{ T3_GRANTED,		{ 68, 0, 0, 0, 0, 0, 68 } },
	{ T3_PARTIAL,		{ 18, 0, 0, 0, 0, 0, 18 } },
	{ T3_UNABLE_NOT_HELD,	{ 10, 0, 0, 0, 1, 0, 11 } },
	{ T3_REFUSED_REPEAT,	{ 1, 0, 0, 0, 0, 0, 1 } },
	{ T3_TOTAL,		{ 97, 0, 0, 0, 1, 0, 98 } },
	{ T3_CARRIED_FORWARD,	{ 6, 0, 0, 0, 0, 0, 6 } },
};

static void
fill_t3(struct record *r)
{
	size_t i;
	int row, col;

	for (row = 0; row < T3_NROWS; row++)
		for (col = 0; col <= T3C_TOTAL; col++)
			if (record_key_applies(r, REC_T3(row, col)))
				record_set_cell(r, REC_T3(row, col), "0");
	for (i = 0; i < sizeof seed000_t3 / sizeof seed000_t3[0]; i++)
		for (col = 0; col <= T3C_TOTAL; col++)
			set_int(r, REC_T3(seed000_t3[i].row, col),
			    seed000_t3[i].v[col]);
}

/* Seed 000 (沂源县 2024), as the mapper should read it. */
static struct record *
seed000(void)
{
	struct record *r = record_new();
	static const char *t4[T4_NGROUPS][T4_NRESULTS] = {
		{ "2", "2", "5", "0", "9" },
		{ "0", "0", "0", "0", "0" },
		{ "0", "0", "0", "0", "0" },
	};
	int i, g, k;

	r->agency = xstrdup("沂源县人民政府");
	r->level = xstrdup("government");
	r->year = 2024;
	r->format = FORMAT_2021;
	for (i = 0; i < SEC_N; i++) {
		r->sections[i].present = 1;
		r->sections[i].order = i;
	}
	r->t2_state = r->t3_state = r->t4_state = TABLE_FOUND;
	r->t2_format = r->t3_format = FORMAT_2021;
	record_set_cell(r, REC_T2(T2_RULES_ISSUED), "0");
	record_set_cell(r, REC_T2(T2_RULES_REPEALED), "0");
	record_set_cell(r, REC_T2(T2_RULES_IN_FORCE), "0");
	record_set_cell(r, REC_T2(T2_NORM_ISSUED), "4");
	record_set_cell(r, REC_T2(T2_NORM_REPEALED), "3");
	record_set_cell(r, REC_T2(T2_NORM_IN_FORCE), "45");
	record_set_cell(r, REC_T2(T2_LICENSING_DECISIONS), "71780");
	record_set_cell(r, REC_T2(T2_PUNISHMENT_DECISIONS), "4520");
	record_set_cell(r, REC_T2(T2_COERCION_DECISIONS), "582");
	record_set_cell(r, REC_T2(T2_FEES_AMOUNT), "5183");
	fill_t3(r);
	for (g = 0; g < T4_NGROUPS; g++)
		for (k = 0; k < T4_NRESULTS; k++)
			record_set_cell(r, REC_T4(g, k), t4[g][k]);
	return r;
}

/* ---- whole records ---------------------------------------------------- */

static void
test_seed000_passes(void **state)
{
	struct record *r = seed000();

	rules_run(r);
	if (count(r, NULL, RESULT_FAIL) != 0)
		dump(r);
	assert_int_equal(count(r, NULL, RESULT_FAIL), 0);
	assert_int_equal(count(r, "T3.ROW", RESULT_PASS), 25);
	assert_int_equal(count_rule(r, "T3.ROW"), 25);
	assert_int_equal(count(r, "T3.BALANCE", RESULT_PASS), 7);
	assert_int_equal(count(r, "T3.RESULTS", RESULT_PASS), 7);
	assert_int_equal(count(r, "T4.SUM", RESULT_PASS), 3);
	assert_int_equal(count(r, "CELL.RANGE", RESULT_PASS), 1);
	assert_int_equal(count(r, "STRUCT.TABLES", RESULT_PASS), 3);
	assert_int_equal(count(r, "STRUCT.SECTIONS", RESULT_PASS), 1);
	assert_int_equal(count(r, "STRUCT.FORMAT", RESULT_PASS), 1);
	assert_int_equal(count(r, "STRUCT.PLACEHOLDER", RESULT_PASS), 1);
	assert_int_equal(count(r, "META.YEAR", RESULT_PASS), 1);
	/* no text: X.TEXT says it found nothing to compare */
	assert_int_equal(count(r, "X.TEXT", RESULT_UNKNOWN), 1);
	done(r);
}

/* Seed 000's real text: 101 / 3 / 6 quoted, all agree with table 三. */
static void
test_seed000_text(void **state)
{
	struct record *r = seed000();
	const struct finding *f;
	char *text;

	text = read_seed("000_009e668a3bf157d3.txt");
	assert_non_null(text);
	r->sections[SEC_OVERVIEW].text = between(text, "一、总体情况",
	    "主动公开政府信息情况");
	r->sections[SEC_OTHER].text = between(text, "六、其他需要报告的事项",
	    "\x01");
	r->text = text;
	rules_run(r);
	if (count(r, NULL, RESULT_FAIL) != 0)
		dump(r);
	assert_int_equal(count(r, NULL, RESULT_FAIL), 0);
	f = find(r, "X.TEXT", "t3.new.total");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_PASS);
	assert_true(f->actual == 101 && f->expected == 101);
	f = find(r, "X.TEXT", "t3.carried_over.total");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_PASS);
	assert_true(f->actual == 3);
	f = find(r, "X.TEXT", "t3.carried_forward.total");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_PASS);
	assert_true(f->actual == 6);
	/* 办理县人大代表建议69件 is not about requests */
	assert_int_equal(count_rule(r, "X.TEXT"), 3);
	f = find(r, "META.YEAR", NULL);
	assert_int_equal(f->result, RESULT_PASS);
	assert_int_equal(count(r, "STRUCT.PLACEHOLDER", RESULT_PASS), 1);
	done(r);
}

/*
 * Seed 001 (临淄区人民政府办公室 2024): 12, 14 (含上年结转2), 5, 6, 0, 3, 0
 * quoted among percentages (35.71% …) that must not be read as counts.
 * Only r->text is set, so X.TEXT reads it whole.
 */
static void
test_seed001_text(void **state)
{
	struct record *r = record_new();
	const struct finding *f;
	size_t i;
	static const struct {
		const char	*key;
		double		 v;
	} want[] = {
		{ "t3.new.total", 12 }, { "t3.total.total", 14 },
		{ "t3.carried_over.total", 2 }, { "t3.granted.total", 5 },
		{ "t3.partial.total", 6 }, { "t3.denied_secret.total", 0 },
		{ "t3.unable_not_held.total", 3 },
		{ "t3.carried_forward.total", 0 },
	};

	r->agency = xstrdup("临淄区人民政府办公室");
	r->title = xstrdup("临淄区人民政府办公室2024年政府信息公开工作年度报告");
	r->year = 2024;
	r->format = FORMAT_2021;
	r->t2_state = r->t3_state = r->t4_state = TABLE_FOUND;
	fill_t3(r);
	for (i = 0; i < T3_NROWS; i++)
		if (record_key_applies(r, REC_T3(i, T3C_TOTAL)))
			record_set_cell(r, REC_T3(i, T3C_TOTAL), "0");
	record_set_cell(r, REC_T3(T3_NEW, T3C_TOTAL), "12");
	record_set_cell(r, REC_T3(T3_CARRIED_OVER, T3C_TOTAL), "2");
	record_set_cell(r, REC_T3(T3_GRANTED, T3C_TOTAL), "5");
	record_set_cell(r, REC_T3(T3_PARTIAL, T3C_TOTAL), "6");
	record_set_cell(r, REC_T3(T3_UNABLE_NOT_HELD, T3C_TOTAL), "3");
	record_set_cell(r, REC_T3(T3_TOTAL, T3C_TOTAL), "14");
	r->text = read_seed("001_34f0a73bec97119a.txt");
	assert_non_null(r->text);
	rules_run(r);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		f = find(r, "X.TEXT", want[i].key);
		if (f == NULL || f->result != RESULT_PASS)
			dump(r);
		assert_non_null(f);
		assert_int_equal(f->result, RESULT_PASS);
		assert_true(f->actual == want[i].v);
	}
	assert_int_equal(count(r, "X.TEXT", RESULT_FAIL), 0);
	assert_int_equal(count(r, "X.TEXT", RESULT_UNKNOWN), 0);
	f = find(r, "META.YEAR", NULL);
	assert_int_equal(f->result, RESULT_PASS);
	assert_non_null(strstr(f->message, "统计期限"));
	done(r);
}

/*
 * The five seeds' texts with their years: META.YEAR never fails on
 * narrative years, and only seed 004 has a placeholder ([具体地名] ×2).
 */
static void
test_seeds_text_rules(void **state)
{
	static const struct {
		const char	*file;
		int		 year;
		const char	*title;
	} seeds[] = {
		{ "000_009e668a3bf157d3.txt", 2024, NULL },
		{ "001_34f0a73bec97119a.txt", 2024,
		    "临淄区人民政府办公室2024年政府信息公开工作年度报告" },
		{ "002_a62df7d142e7fe56.txt", 2019,
		    "沂源县人民政府办公室2019年政府信息公开工作年度报告" },
		{ "003_5aff47976b242122.txt", 2024,
		    "石台县人民政府2024年政府信息公开工作年度报告" },
		{ "004_8dc319be4d1513fc.txt", 2024,
		    "沂源县西里镇人民政府2024年政府信息公开工作年度报告" },
	};
	struct record *r;
	const struct finding *f;
	size_t i;

	for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		r = record_new();
		r->year = seeds[i].year;
		r->title = seeds[i].title ? xstrdup(seeds[i].title) : NULL;
		r->text = read_seed(seeds[i].file);
		assert_non_null(r->text);
		if (i == 4)
			r->sections[SEC_OVERVIEW].text = between(r->text,
			    "2024年政府信息公开工作年度报告", "二、主动公开");
		rules_run(r);
		f = find(r, "META.YEAR", NULL);
		if (f->result == RESULT_FAIL)
			dump(r);
		assert_int_not_equal(f->result, RESULT_FAIL);
		if (i < 4) {
			if (count(r, "STRUCT.PLACEHOLDER", RESULT_FAIL) != 0)
				dump(r);
			assert_int_equal(count(r, "STRUCT.PLACEHOLDER",
			    RESULT_FAIL), 0);
		} else {
			assert_int_equal(count(r, "STRUCT.PLACEHOLDER",
			    RESULT_FAIL), 1);
			f = find(r, "STRUCT.PLACEHOLDER", NULL);
			assert_int_equal(f->severity, SEV_ERROR);
			assert_true(f->actual == 2);
			assert_non_null(strstr(f->message, "[具体地名]"));
			assert_non_null(strstr(f->message, "2处"));
			assert_non_null(strstr(f->message, "一、总体情况"));
		}
		/* the text rules find nothing wrong in the seeds */
		assert_int_equal(count(r, "X.TEXT", RESULT_FAIL), 0);
		done(r);
	}
}

/* ---- table 三 ---------------------------------------------------------- */

static void
test_t3_row_fail(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	record_set_cell(r, REC_T3(T3_GRANTED, T3C_NATURAL), "70");
	record_set_cell(r, REC_T3(T3_GRANTED, T3C_COMMERCIAL), "2");
	rules_run(r);
	f = find(r, "T3.ROW", "t3.granted.total");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_ERROR);
	assert_string_equal(f->cells, "t3.granted.total,t3.granted.natural,"
	    "t3.granted.commercial,t3.granted.research,t3.granted.social,"
	    "t3.granted.legal,t3.granted.other");
	assert_true(f->has_numbers);
	assert_true(f->expected == 72 && f->actual == 68);
	assert_non_null(strstr(f->message, "（一）予以公开"));
	assert_non_null(strstr(f->message, "总计 68"));
	assert_non_null(strstr(f->message, "自然人 70"));
	assert_non_null(strstr(f->message, "72"));
	/* only that row */
	assert_int_equal(count(r, "T3.ROW", RESULT_FAIL), 1);
	/* the natural and commercial columns no longer sum to （七） */
	f = find(r, "T3.RESULTS", "t3.total.natural");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_true(f->expected == 99 && f->actual == 97);
	f = find(r, "T3.RESULTS", "t3.total.commercial");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_true(f->expected == 2 && f->actual == 0);
	assert_int_equal(count(r, "T3.RESULTS", RESULT_FAIL), 2);
	/* the balance identity does not involve the result rows */
	assert_int_equal(count(r, "T3.BALANCE", RESULT_FAIL), 0);
	done(r);
}

static void
test_t3_balance_fail(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	/* 上年结转 4: 100 + 4 ≠ 97 + 6 in the natural column */
	record_set_cell(r, REC_T3(T3_CARRIED_OVER, T3C_NATURAL), "4");
	record_set_cell(r, REC_T3(T3_CARRIED_OVER, T3C_TOTAL), "4");
	rules_run(r);
	f = find(r, "T3.BALANCE", "t3.new.natural");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_string_equal(f->cells, "t3.new.natural,t3.carried_over.natural,"
	    "t3.total.natural,t3.carried_forward.natural");
	assert_true(f->expected == 104 && f->actual == 103);
	assert_non_null(strstr(f->message, "自然人"));
	f = find(r, "T3.BALANCE", "t3.new.total");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_true(f->expected == 105 && f->actual == 104);
	assert_int_equal(count(r, "T3.BALANCE", RESULT_FAIL), 2);
	assert_int_equal(count(r, "T3.BALANCE", RESULT_PASS), 5);
	assert_int_equal(count(r, "T3.ROW", RESULT_FAIL), 0);
	done(r);
}

/* A blank or "/" is never a zero: the equations using it are unknown. */
static void
test_t3_blank_unknown(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	record_set_cell(r, REC_T3(T3_PARTIAL, T3C_COMMERCIAL), "");
	record_set_cell(r, REC_T3(T3_DENIED_LAW, T3C_RESEARCH), "/");
	record_set_cell(r, REC_T3(T3_NEW, T3C_SOCIAL), "\xc2\xa0");
	rules_run(r);
	f = find(r, "T3.ROW", "t3.partial.total");
	assert_int_equal(f->result, RESULT_UNKNOWN);
	assert_false(f->has_numbers);
	assert_non_null(strstr(f->message, "空白"));
	f = find(r, "T3.ROW", "t3.denied_law.total");
	assert_int_equal(f->result, RESULT_UNKNOWN);
	assert_non_null(strstr(f->message, "“/”"));
	f = find(r, "T3.RESULTS", "t3.total.commercial");
	assert_int_equal(f->result, RESULT_UNKNOWN);
	f = find(r, "T3.RESULTS", "t3.total.research");
	assert_int_equal(f->result, RESULT_UNKNOWN);
	f = find(r, "T3.BALANCE", "t3.new.social");
	assert_int_equal(f->result, RESULT_UNKNOWN);
	assert_int_equal(count(r, NULL, RESULT_FAIL), 0);
	/* a blank among zero parts is not a forgotten total */
	assert_int_equal(count(r, "CELL.RANGE", RESULT_PASS), 1);
	done(r);
}

/* Seed 002 (2019): table 三 with the single （六）其他处理 row. */
static struct record *
seed002(void)
{
	struct record *r = record_new();
	int row, col, i;

	r->year = 2019;
	r->format = FORMAT_2019;
	for (i = 0; i < SEC_N; i++) {
		r->sections[i].present = 1;
		r->sections[i].order = i;
	}
	r->t2_state = r->t3_state = r->t4_state = TABLE_FOUND;
	r->t2_format = r->t3_format = FORMAT_2019;
	for (i = T2_2021_N; i < T2_N; i++)
		record_set_cell(r, REC_T2(i), "0");
	for (row = 0; row < T3_NROWS; row++)
		for (col = 0; col <= T3C_TOTAL; col++)
			if (record_key_applies(r, REC_T3(row, col)))
				record_set_cell(r, REC_T3(row, col), "0");
	for (col = 0; col <= T3C_TOTAL; col += T3C_TOTAL) {
		record_set_cell(r, REC_T3(T3_NEW, col), "9");
		record_set_cell(r, REC_T3(T3_GRANTED, col), "9");
		record_set_cell(r, REC_T3(T3_TOTAL, col), "9");
	}
	for (i = 0; i < T4_NGROUPS * T4_NRESULTS; i++)
		record_set_cell(r, REC_T4(0, 0) + i, " 0 ");
	return r;
}

static void
test_t3_2019_layout(void **state)
{
	struct record *r = seed002();
	const struct finding *f;

	rules_run(r);
	if (count(r, NULL, RESULT_FAIL) != 0)
		dump(r);
	assert_int_equal(count(r, NULL, RESULT_FAIL), 0);
	assert_int_equal(count(r, "T3.ROW", RESULT_PASS), 23);
	assert_int_equal(count(r, "T3.RESULTS", RESULT_PASS), 7);
	assert_null(find(r, "T3.ROW", "t3.other_other.total"));
	assert_non_null(find(r, "T3.ROW", "t3.other.total"));
	assert_non_null(find_any(r, "T3.RESULTS", "t3.other.natural"));
	assert_null(find_any(r, "T3.RESULTS", "t3.other_other.natural"));

	/* one application under （六）其他处理 not counted in （七）总计 */
	reset_findings(r);
	record_set_cell(r, REC_T3(T3_OTHER, T3C_NATURAL), "1");
	record_set_cell(r, REC_T3(T3_OTHER, T3C_TOTAL), "1");
	rules_run(r);
	f = find(r, "T3.RESULTS", "t3.total.natural");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_true(f->expected == 10 && f->actual == 9);
	assert_non_null(strstr(f->message, "其他处理 1"));
	assert_int_equal(count(r, "T3.ROW", RESULT_FAIL), 0);
	done(r);
}

/* The 8th column 法人或其他组织小计 = the five organisation columns. */
static void
test_t3_subtotal(void **state)
{
	struct record *r = seed000();
	const struct finding *f;
	int row;

	r->t3_subtotal = 1;
	for (row = 0; row < T3_NROWS; row++)
		if (record_key_applies(r, REC_T3(row, T3C_LEGAL_SUBTOTAL)))
			record_set_cell(r, REC_T3(row, T3C_LEGAL_SUBTOTAL),
			    "0");
	record_set_cell(r, REC_T3(T3_NEW, T3C_LEGAL_SUBTOTAL), "1");
	record_set_cell(r, REC_T3(T3_UNABLE_NOT_HELD, T3C_LEGAL_SUBTOTAL),
	    "1");
	record_set_cell(r, REC_T3(T3_TOTAL, T3C_LEGAL_SUBTOTAL), "1");
	rules_run(r);
	if (count(r, NULL, RESULT_FAIL) != 0)
		dump(r);
	assert_int_equal(count(r, NULL, RESULT_FAIL), 0);
	assert_int_equal(count(r, "T3.ROW", RESULT_PASS), 50);
	assert_int_equal(count(r, "T3.BALANCE", RESULT_PASS), 8);
	assert_int_equal(count(r, "T3.RESULTS", RESULT_PASS), 8);
	f = find(r, "T3.ROW", "t3.new.legal_subtotal");
	assert_non_null(f);
	assert_string_equal(f->cells, "t3.new.legal_subtotal,"
	    "t3.new.commercial,t3.new.research,t3.new.social,t3.new.legal,"
	    "t3.new.other");

	reset_findings(r);
	record_set_cell(r, REC_T3(T3_NEW, T3C_LEGAL_SUBTOTAL), "2");
	rules_run(r);
	f = find(r, "T3.ROW", "t3.new.legal_subtotal");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_true(f->expected == 1 && f->actual == 2);
	assert_non_null(strstr(f->message, "法人或其他组织小计"));
	/* the 总计 check of the same row still holds */
	f = find(r, "T3.ROW", "t3.new.total");
	assert_int_equal(f->result, RESULT_PASS);
	f = find(r, "T3.BALANCE", "t3.new.legal_subtotal");
	assert_int_equal(f->result, RESULT_FAIL);
	done(r);
}

/* ---- table 四 ---------------------------------------------------------- */

/* 洪泽区 2023: 10 1 0 0 0 / 0 0 0 0 0 / 5 0 0 0 0, a real error. */
static void
test_t4_hongze2023(void **state)
{
	struct record *r = seed000();
	static const char *row[T4_NGROUPS * T4_NRESULTS] = {
		"10", "1", "0", "0", "0", "0", "0", "0", "0", "0",
		"5", "0", "0", "0", "0",
	};
	const struct finding *f;
	int i;

	for (i = 0; i < T4_NGROUPS * T4_NRESULTS; i++)
		record_set_cell(r, REC_T4(0, 0) + i, row[i]);
	rules_run(r);
	f = find(r, "T4.SUM", "t4.review.total");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_ERROR);
	assert_string_equal(f->cells, "t4.review.total,t4.review.upheld,"
	    "t4.review.corrected,t4.review.other,t4.review.pending");
	assert_true(f->expected == 11 && f->actual == 0);
	assert_non_null(strstr(f->message, "行政复议"));
	assert_non_null(strstr(f->message, "结果维持 10"));
	f = find(r, "T4.SUM", "t4.suit_direct.total");
	assert_int_equal(f->result, RESULT_PASS);
	f = find(r, "T4.SUM", "t4.suit_after.total");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_true(f->expected == 5 && f->actual == 0);
	assert_int_equal(count(r, "T4.SUM", RESULT_FAIL), 2);
	done(r);
}

/* ---- CELL.RANGE -------------------------------------------------------- */

static void
test_cell_range(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	record_set_cell(r, REC_T2(T2_FEES_AMOUNT), "1003.34");
	rules_run(r);
	assert_int_equal(count(r, "CELL.RANGE", RESULT_PASS), 1);
	assert_int_equal(count(r, "CELL.RANGE", RESULT_FAIL), 0);

	reset_findings(r);
	record_set_cell(r, REC_T2(T2_FEES_AMOUNT), "-5");
	record_set_cell(r, REC_T2(T2_LICENSING_DECISIONS), "2.5");
	record_set_cell(r, REC_T2(T2_PUNISHMENT_DECISIONS), "详见附表");
	record_set_cell(r, REC_T3(T3_GRANTED, T3C_TOTAL), "");
	record_set_cell(r, REC_T4(T4_REVIEW, T4_UPHELD), "-2");
	record_set_cell(r, REC_T4(T4_REVIEW, T4_CORRECTED), "4");
	rules_run(r);
	assert_int_equal(count(r, "CELL.RANGE", RESULT_PASS), 0);
	f = find(r, "CELL.RANGE", "t2.fees.amount");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_ERROR);
	assert_non_null(strstr(f->message, "负"));
	f = find(r, "CELL.RANGE", "t2.licensing.decisions");
	assert_int_equal(f->severity, SEV_ERROR);
	assert_non_null(strstr(f->message, "整数"));
	f = find(r, "CELL.RANGE", "t2.punishment.decisions");
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(f->message, "非数字内容"));
	assert_non_null(strstr(f->message, "详见附表"));
	f = find(r, "CELL.RANGE", "t4.review.upheld");
	assert_int_equal(f->severity, SEV_ERROR);
	/* 总计 blank while 自然人 holds 68 */
	f = find(r, "CELL.RANGE", "t3.granted.total");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_string_equal(f->cells, "t3.granted.total,t3.granted.natural");
	assert_non_null(strstr(f->message, "空白"));
	assert_int_equal(count(r, "CELL.RANGE", RESULT_FAIL), 5);
	done(r);
}

/* 2019 本年增/减 may be signed; other 2019 counts may not. */
static void
test_cell_range_2019(void **state)
{
	struct record *r = seed002();
	const struct finding *f;

	record_set_cell(r, REC_T2(T2_LIC19_CHANGE), "-3");
	record_set_cell(r, REC_T2(T2_OS19_CHANGE), "+1036");
	record_set_cell(r, REC_T2(T2_PROC19_AMOUNT), "251000元");
	rules_run(r);
	assert_int_equal(count(r, "CELL.RANGE", RESULT_FAIL), 0);
	reset_findings(r);
	record_set_cell(r, REC_T2(T2_LIC19_PREVIOUS), "-1");
	rules_run(r);
	f = find(r, "CELL.RANGE", "t2.licensing.previous");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_FAIL);
	done(r);
}

/* ---- structure -------------------------------------------------------- */

static void
test_struct_sections(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	r->sections[SEC_PROBLEMS].present = 0;
	r->sections[SEC_REQUESTS].order = 4;	/* 三 after 四 */
	r->sections[SEC_REVIEW].order = 2;
	rules_run(r);
	f = find(r, "STRUCT.SECTIONS", NULL);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(f->message, "五、存在的主要问题及改进情况"));
	assert_non_null(strstr(f->message, "顺序"));
	assert_non_null(strstr(f->message, "三、收到和处理政府信息公开申请情况"));
	done(r);
}

/* Seed 004: table 二 an image, table 四 a heading only. */
static void
test_struct_tables(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	r->t2_state = TABLE_IMAGE;
	r->t4_state = TABLE_MISSING;
	rules_run(r);
	f = find_msg(r, "STRUCT.TABLES", "表二");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_ERROR);
	assert_non_null(strstr(f->message, "表二"));
	assert_non_null(strstr(f->message, "图片"));
	f = find_msg(r, "STRUCT.TABLES", "表三");
	assert_int_equal(f->result, RESULT_PASS);
	f = find_msg(r, "STRUCT.TABLES", "表四");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_non_null(strstr(f->message, "缺少表四"));
	/* T4.SUM cannot run */
	f = find(r, "T4.SUM", NULL);
	assert_int_equal(f->result, RESULT_UNKNOWN);
	assert_int_equal(count_rule(r, "T4.SUM"), 1);

	reset_findings(r);
	r->format = FORMAT_PRE2019;
	rules_run(r);
	assert_int_equal(count(r, "STRUCT.TABLES", RESULT_UNKNOWN), 3);
	done(r);
}

static void
test_struct_format(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	r->year = 2023;
	r->t3_format = FORMAT_2019;	/* 洪泽 2023: single 其他处理 row */
	fill_t3(r);
	rules_run(r);
	f = find(r, "STRUCT.FORMAT", NULL);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_string_equal(f->cells, "meta.year,meta.format");
	assert_non_null(strstr(f->message, "表三"));
	assert_null(strstr(f->message, "表二"));

	reset_findings(r);
	r->year = 2020;
	r->t3_format = FORMAT_2021;
	rules_run(r);
	f = find(r, "STRUCT.FORMAT", NULL);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_non_null(strstr(f->message, "2021年格式"));

	reset_findings(r);
	r->year = 0;
	rules_run(r);
	f = find(r, "STRUCT.FORMAT", NULL);
	assert_int_equal(f->result, RESULT_UNKNOWN);
	done(r);
}

/* ---- placeholders ----------------------------------------------------- */

static void
test_placeholder(void **state)
{
	struct record *r = seed000();
	const struct finding *f;
	size_t i;
	static const char *tokens[] = {
		"XX", "XXXX年", "X月", "××", "某某", "（单位名称）", "20XX年",
	};

	r->text = xstrdup("XX县人民政府XXXX年政府信息公开工作年度报告\n"
	    "本报告统计期限为X月X日，由××局、某某科负责。\n"
	    "联系（单位名称），网址 http://www.xxgk.gov.cn/xx/index.html，"
	    "邮箱 xx@163.com，XBRL，X光机2台。20XX年计划。");
	rules_run(r);
	for (i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
		int found = 0;
		size_t j;
		char q[64];

		snprintf(q, sizeof q, "“%s”", tokens[i]);
		for (j = 0; j < r->nfindings; j++)
			if (strcmp(r->findings[j].rule,
			    "STRUCT.PLACEHOLDER") == 0 &&
			    strstr(r->findings[j].message, q) != NULL)
				found = 1;
		if (!found) {
			fprintf(stderr, "missing %s\n", tokens[i]);
			dump(r);
		}
		assert_true(found);
	}
	/* X月X日: "X日" is a second token; nothing from the URL or mail */
	assert_int_equal(count(r, "STRUCT.PLACEHOLDER", RESULT_FAIL), 8);
	for (i = 0; i < r->nfindings; i++) {
		f = &r->findings[i];
		if (strcmp(f->rule, "STRUCT.PLACEHOLDER") == 0)
			assert_null(strstr(f->message, "xxgk"));
	}

	/* a placeholder in a table cell names the cell */
	reset_findings(r);
	free(r->text);
	r->text = NULL;
	record_set_cell(r, REC_T2(T2_COERCION_DECISIONS), "XX");
	rules_run(r);
	f = find(r, "STRUCT.PLACEHOLDER", "t2.coercion.decisions");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_non_null(strstr(f->message, "表格"));
	done(r);
}

/* r->text holds the sections' text too: counted once, section named. */
static void
test_placeholder_dedup(void **state)
{
	struct record *r = seed000();
	const struct finding *f;
	const char *sec = "及时更新《[具体地名]镇人民政府2024年度信息公开指南》，"
	    "并动态完善《【具体地名】镇人民政府政府信息主动公开基本目录》。";

	r->sections[SEC_OVERVIEW].text = xstrdup(sec);
	xasprintf(&r->text, "前言\n%s\n其他", sec);
	rules_run(r);
	assert_int_equal(count(r, "STRUCT.PLACEHOLDER", RESULT_FAIL), 1);
	f = find(r, "STRUCT.PLACEHOLDER", NULL);
	assert_true(f->actual == 2);
	assert_non_null(strstr(f->message, "2处"));
	assert_non_null(strstr(f->message, "一、总体情况"));
	done(r);
}

/* ＊＊ is a blank; a converter's **bold** pair is not. */
static void
test_placeholder_stars(void **state)
{
	struct record *r = seed000();

	r->text = xstrdup("**一、总体情况**\n由＊＊局负责。");
	rules_run(r);
	assert_int_equal(count(r, "STRUCT.PLACEHOLDER", RESULT_FAIL), 1);
	assert_non_null(strstr(find(r, "STRUCT.PLACEHOLDER", NULL)->message,
	    "“**”"));
	done(r);
}

/* "其中" limits the figure: a mismatch after it is a scope difference. */
static void
test_xtext_qualifier_within(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	free(r->agency);
	r->agency = xstrdup("临淄区人民政府办公室");
	r->sections[SEC_OVERVIEW].text = xstrdup("2024年共收到政府信息公开申请"
	    "101件，其中区政府办公室受理60件。全区各部门共答复申请300件。");
	rules_run(r);
	f = find(r, "X.TEXT", "t3.new.total");
	assert_int_equal(f->result, RESULT_PASS);
	/* 受理60件 after 其中; the office is the agency itself */
	f = NULL;
	{
		size_t i;

		for (i = 0; i < r->nfindings; i++)
			if (strcmp(r->findings[i].rule, "X.TEXT") == 0 &&
			    r->findings[i].actual == 60)
				f = &r->findings[i];
	}
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_INFO);
	assert_non_null(strstr(f->message, "“其中”"));
	assert_null(strstr(f->message, "“办公室”"));
	f = find(r, "X.TEXT", "t3.total.total");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_INFO);
	assert_non_null(strstr(f->message, "“各部门”"));

	/* without table 三 the figures cannot be checked */
	reset_findings(r);
	r->t3_state = TABLE_MISSING;
	rules_run(r);
	assert_int_equal(count(r, "X.TEXT", RESULT_UNKNOWN),
	    count_rule(r, "X.TEXT"));
	done(r);
}

/* Tiny deterministic generator for the garbage test. */
static unsigned
lcg(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

/*
 * Arbitrary text and cells: rules_run must neither crash nor read out of
 * bounds (run under ASan), and a long line without punctuation must not
 * take quadratic time (the clause scans are bounded).
 */
static void
test_garbage(void **state)
{
	static const char *atoms[] = {
		"件", "年", "年度", "1月1日", "12月31日", "统计期限", "收到",
		"申请",
		"行政复议", "行政诉讼", "上年结转", "结转下年", "答复", "其中",
		"代表", "《", "》", "[", "]", "(", ")", "X", "x", "××", "某", "*",
		"，", "。", "、", "2024", "2023", "3", ",", ".", "0", "\xe4",
		"\xe4\xbb", "\xff", " ", "\n", "http://xx", "20", "XX", "公开",
	};
	struct record *r;
	struct buf b;
	unsigned seed = 7;
	int iter, i, n;

	for (iter = 0; iter < 300; iter++) {
		r = seed000();
		buf_init(&b, 0);
		n = (int)(lcg(&seed) % 400);
		for (i = 0; i < n; i++)
			buf_adds(&b, atoms[lcg(&seed) %
			    (sizeof atoms / sizeof atoms[0])]);
		r->text = buf_detach(&b);
		r->title = xstrdup(r->text + strlen(r->text) / 2);
		r->sections[iter % SEC_N].text = xstrdup(r->text);
		record_set_cell(r, REC_T3(T3_NEW, T3C_NATURAL), r->title);
		r->year = iter % 3 == 0 ? 0 : 2024;
		rules_run(r);
		rules_run_pair(r, r);
		record_free(r);
	}

	/* sums that overflow a double are unknown, never inf */
	{
		char big[310];
		const struct finding *f;

		memset(big, '9', 308);
		big[308] = '\0';
		r = seed000();
		record_set_cell(r, REC_T3(T3_GRANTED, T3C_NATURAL), big);
		record_set_cell(r, REC_T3(T3_GRANTED, T3C_COMMERCIAL), big);
		rules_run(r);
		f = find(r, "T3.ROW", "t3.granted.total");
		assert_int_equal(f->result, RESULT_UNKNOWN);
		assert_false(f->has_numbers);
		for (i = 0; i < (int)r->nfindings; i++)
			if (r->findings[i].has_numbers)
				assert_true(isfinite(r->findings[i].expected) &&
				    isfinite(r->findings[i].actual));
		record_free(r);
	}

	/* 400 KB of "1件" with no punctuation at all */
	r = seed000();
	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "收到1件");
	r->text = buf_detach(&b);
	rules_run(r);
	rules_run_pair(r, r);
	record_free(r);
}

/* ---- META.YEAR -------------------------------------------------------- */

static void
test_meta_year(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	r->title = xstrdup("沂源县人民政府2024年政府信息公开工作年度报告");
	r->text = xstrdup("本报告所列数据统计期限自2024年1月1日起至2024年12月"
	    "31日止。\n2024年，本机关共收到政府信息公开申请101件，较2023年"
	    "共收到申请80件有所增加。\n印发《2023年政务公开工作方案》。"
	    "2023年12月，举办培训。上年共收到申请80件。");
	rules_run(r);
	f = find(r, "META.YEAR", NULL);
	if (f->result != RESULT_PASS)
		dump(r);
	assert_int_equal(f->result, RESULT_PASS);
	assert_non_null(strstr(f->message, "标题"));
	assert_non_null(strstr(f->message, "统计期限"));

	/* the title says 2023 */
	reset_findings(r);
	free(r->title);
	r->title = xstrdup("沂源县人民政府2023年政府信息公开工作年度报告");
	rules_run(r);
	f = find(r, "META.YEAR", NULL);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_ERROR);
	assert_string_equal(f->cells, "meta.year,meta.title");
	assert_true(f->expected == 2024 && f->actual == 2023);
	assert_non_null(strstr(f->message, "标题为2023年"));

	/* a period and a statement left from last year's report */
	reset_findings(r);
	free(r->title);
	r->title = NULL;
	free(r->text);
	r->text = xstrdup("本报告中所列数据统计期限为2023年1月1日至12月31日。\n"
	    "2023年，本机关共收到政府信息公开申请101件。");
	rules_run(r);
	f = find(r, "META.YEAR", NULL);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_non_null(strstr(f->message, "统计期限为2023年"));
	assert_non_null(strstr(f->message, "正文写作2023年"));

	reset_findings(r);
	r->year = 0;
	rules_run(r);
	f = find(r, "META.YEAR", NULL);
	assert_int_equal(f->result, RESULT_UNKNOWN);
	done(r);
}

/* ---- X.TEXT ----------------------------------------------------------- */

/* 洪泽区 2024: 区政府办代表区政府受理 17 件, table 三 (whole 区政府) 95. */
static void
test_xtext_scope(void **state)
{
	struct record *r = seed000();
	const struct finding *f;
	size_t i;

	free(r->agency);
	r->agency = xstrdup("淮安市洪泽区人民政府");
	fill_t3(r);
	record_set_cell(r, REC_T3(T3_NEW, T3C_NATURAL), "94");
	record_set_cell(r, REC_T3(T3_NEW, T3C_TOTAL), "95");
	r->sections[SEC_OVERVIEW].text = xstrdup("（二）依申请公开。2024年，"
	    "区政府办代表区政府受理政府信息公开申请17件，均按期答复。");
	rules_run(r);
	f = find(r, "X.TEXT", "t3.new.total");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_INFO);
	assert_true(f->expected == 95 && f->actual == 17);
	assert_non_null(strstr(f->message, "口径"));
	assert_non_null(strstr(f->message, "17"));
	assert_non_null(strstr(f->message, "95"));
	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].rule, "X.TEXT") == 0)
			assert_int_not_equal(r->findings[i].severity,
			    SEV_ERROR);

	/* without the qualifier it is a plain mismatch */
	reset_findings(r);
	free(r->sections[SEC_OVERVIEW].text);
	r->sections[SEC_OVERVIEW].text = xstrdup("2024年，本机关共收到政府信息"
	    "公开申请90件，同比增加5件，约占全市的10%。因政府信息公开申请"
	    "行政复议3件。\n"
	    "受理群众来信12件。");
	rules_run(r);
	f = find(r, "X.TEXT", "t3.new.total");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_true(f->expected == 95 && f->actual == 90);
	assert_null(strstr(f->message, "口径"));
	/* 行政复议3件 in a sentence about 公开申请 vs t4.review.total 9 */
	f = find(r, "X.TEXT", "t4.review.total");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_true(f->actual == 3 && f->expected == 9);
	/* 同比增加5件 and 来信12件 are not figures of table 三 */
	assert_int_equal(count_rule(r, "X.TEXT"), 2);

	/* a blank total makes the comparison unknown */
	reset_findings(r);
	record_set_cell(r, REC_T3(T3_NEW, T3C_TOTAL), "");
	rules_run(r);
	f = find(r, "X.TEXT", "t3.new.total");
	assert_int_equal(f->result, RESULT_UNKNOWN);
	done(r);
}

/* Huai'an 2024: 行政诉讼46件 = 26 + 20, thousands separators. */
static void
test_xtext_suits(void **state)
{
	struct record *r = seed000();
	const struct finding *f;

	record_set_cell(r, REC_T4(T4_SUIT_DIRECT, T4_TOTAL), "26");
	record_set_cell(r, REC_T4(T4_SUIT_AFTER, T4_TOTAL), "20");
	fill_t3(r);
	record_set_cell(r, REC_T3(T3_NEW, T3C_TOTAL), "3119");
	r->sections[SEC_REVIEW].text = xstrdup("2024年，因政府信息公开引发"
	    "行政诉讼 46 件，其中结果维持25件。");
	r->sections[SEC_OVERVIEW].text = xstrdup("全年共新收政府信息公开申请"
	    "3,119件。");
	rules_run(r);
	f = find(r, "X.TEXT", "t4.suit_direct.total");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_PASS);
	assert_string_equal(f->cells, "t4.suit_direct.total,"
	    "t4.suit_after.total");
	assert_true(f->actual == 46);
	f = find(r, "X.TEXT", "t3.new.total");
	assert_int_equal(f->result, RESULT_PASS);
	assert_true(f->actual == 3119);
	assert_int_equal(count_rule(r, "X.TEXT"), 2);
	done(r);
}

/* ---- pairs ------------------------------------------------------------ */

static void
test_pair_carry(void **state)
{
	struct record *prev = seed000(), *cur = seed000();
	const struct finding *f;

	prev->year = 2023;
	/* cur carried over 3 (natural 3): prev must have carried 3 forward */
	record_set_cell(prev, REC_T3(T3_CARRIED_FORWARD, T3C_NATURAL), "3");
	record_set_cell(prev, REC_T3(T3_CARRIED_FORWARD, T3C_TOTAL), "3");
	rules_run_pair(prev, cur);
	assert_int_equal(count(cur, "X.CARRY", RESULT_PASS), 7);
	f = find(cur, "X.CARRY", "t3.carried_over.total");
	assert_int_equal(f->severity, SEV_WARNING);
	assert_true(f->expected == 3 && f->actual == 3);

	reset_findings(cur);
	record_set_cell(prev, REC_T3(T3_CARRIED_FORWARD, T3C_NATURAL), "5");
	record_set_cell(prev, REC_T3(T3_CARRIED_FORWARD, T3C_LEGAL), "");
	rules_run_pair(prev, cur);
	f = find(cur, "X.CARRY", "t3.carried_over.natural");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_string_equal(f->cells, "t3.carried_over.natural");
	assert_true(f->expected == 5 && f->actual == 3);
	assert_non_null(strstr(f->message, "2023年度报告"));
	f = find(cur, "X.CARRY", "t3.carried_over.legal");
	assert_int_equal(f->result, RESULT_UNKNOWN);

	/* the other way round the years are not consecutive */
	reset_findings(prev);
	rules_run_pair(cur, prev);
	assert_int_equal(count(prev, "X.CARRY", RESULT_UNKNOWN), 1);
	assert_int_equal(count(prev, "X.INFORCE", RESULT_UNKNOWN), 1);
	assert_int_equal(count(prev, "X.CARRY", RESULT_FAIL), 0);
	done(prev);
	done(cur);
}

static void
test_pair_inforce(void **state)
{
	struct record *prev = seed000(), *cur = seed000();
	const struct finding *f;

	prev->year = 2023;
	record_set_cell(prev, REC_T2(T2_NORM_IN_FORCE), "44");
	rules_run_pair(prev, cur);
	f = find(cur, "X.INFORCE", "t2.normative.in_force");
	assert_non_null(f);
	assert_int_equal(f->result, RESULT_PASS);	/* 44 + 4 − 3 = 45 */
	assert_string_equal(f->cells, "t2.normative.in_force,"
	    "t2.normative.issued,t2.normative.repealed");
	f = find(cur, "X.INFORCE", "t2.rules.in_force");
	assert_int_equal(f->result, RESULT_PASS);

	reset_findings(cur);
	record_set_cell(cur, REC_T2(T2_NORM_IN_FORCE), "46");
	rules_run_pair(prev, cur);
	f = find(cur, "X.INFORCE", "t2.normative.in_force");
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_true(f->expected == 45 && f->actual == 46);

	/* 2019 layout last year: 对外公开总数量 is another concept */
	reset_findings(cur);
	prev->t2_format = FORMAT_2019;
	rules_run_pair(prev, cur);
	f = find(cur, "X.INFORCE", NULL);
	assert_int_equal(f->result, RESULT_UNKNOWN);
	assert_int_equal(count_rule(cur, "X.INFORCE"), 1);
	done(prev);
	done(cur);
}

static void
test_pair_copy(void **state)
{
	struct record *prev = seed000(), *cur = seed000();
	const struct finding *f;

	prev->year = 2023;
	prev->text = xstrdup("本机关坚持以公开为常态、不公开为例外。"
	    "进一步加强政府信息公开平台建设工作。全年共收到申请80件。");
	cur->text = xstrdup("本机关坚持以公开为常态、不公开为例外。\n"
	    "进一步加强政府信息公开平台 建设工作！全年共收到申请101件。");
	rules_run_pair(prev, cur);
	f = find(cur, "X.COPY", NULL);
	assert_int_equal(f->result, RESULT_FAIL);
	assert_int_equal(f->severity, SEV_INFO);
	assert_true(f->actual > 66 && f->actual < 67);
	assert_non_null(strstr(f->message, "66.7%"));

	reset_findings(cur);
	free(cur->text);
	cur->text = xstrdup("本年度围绕重点领域深化公开内容。"
	    "本机关坚持以公开为常态、不公开为例外。全年共收到申请101件。");
	rules_run_pair(prev, cur);
	f = find(cur, "X.COPY", NULL);
	assert_int_equal(f->result, RESULT_PASS);
	assert_true(f->actual > 33 && f->actual < 34);

	reset_findings(cur);
	free(prev->text);
	prev->text = NULL;
	rules_run_pair(prev, cur);
	f = find(cur, "X.COPY", NULL);
	assert_int_equal(f->result, RESULT_UNKNOWN);
	done(prev);
	done(cur);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed000_passes),
		cmocka_unit_test(test_seed000_text),
		cmocka_unit_test(test_seed001_text),
		cmocka_unit_test(test_seeds_text_rules),
		cmocka_unit_test(test_t3_row_fail),
		cmocka_unit_test(test_t3_balance_fail),
		cmocka_unit_test(test_t3_blank_unknown),
		cmocka_unit_test(test_t3_2019_layout),
		cmocka_unit_test(test_t3_subtotal),
		cmocka_unit_test(test_t4_hongze2023),
		cmocka_unit_test(test_cell_range),
		cmocka_unit_test(test_cell_range_2019),
		cmocka_unit_test(test_struct_sections),
		cmocka_unit_test(test_struct_tables),
		cmocka_unit_test(test_struct_format),
		cmocka_unit_test(test_placeholder),
		cmocka_unit_test(test_placeholder_dedup),
		cmocka_unit_test(test_placeholder_stars),
		cmocka_unit_test(test_meta_year),
		cmocka_unit_test(test_xtext_scope),
		cmocka_unit_test(test_xtext_suits),
		cmocka_unit_test(test_xtext_qualifier_within),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_pair_carry),
		cmocka_unit_test(test_pair_inforce),
		cmocka_unit_test(test_pair_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
