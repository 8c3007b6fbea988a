/*
 * Unit tests of parse/import.c, the inverse of export_json(): on every
 * seed (../shared/seeds, read, mapped and checked as nianbao parse does,
 * plus a pair run against another seed so X.* findings with numbers are
 * there too), export(import(export(r))) must equal export(r), and the
 * fields rules_pair reads must come back; JSON that is not a record is
 * refused with a cause.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "export.h"
#include "import.h"
#include "parse.h"
#include "record.h"
#include "util.h"

static const char *seeds[] = {
	"000_009e668a3bf157d3.txt", "001_34f0a73bec97119a.txt",
	"002_a62df7d142e7fe56.txt", "003_5aff47976b242122.txt",
	"004_8dc319be4d1513fc.txt",
};
#define NSEEDS	(sizeof seeds / sizeof seeds[0])

static struct record *
seed_record(const char *name)
{
	struct doc *doc = NULL;
	struct record *r = NULL;
	char path[1024], *data = NULL, *cause = NULL;
	size_t len;

	snprintf(path, sizeof path, "%s/seeds/%s", SHARED_DIR, name);
	if (util_read_file(path, 1 << 22, &data, &len, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	if (reader_read(data, len, name, NULL, &doc, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	if (mapper_map(doc, &r, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	rules_run(r);
	doc_free(doc);
	free(data);
	return r;
}

static char *
dump(const struct record *r)
{
	json_t *o = export_json(r, 1);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(o);
	return s;
}

static void
test_roundtrip_seeds(void **state)
{
	struct record *r, *back, *prev;
	char *a, *b, *cause = NULL;
	size_t i, k, nx;

	(void)state;
	for (i = 0; i < NSEEDS; i++) {
		r = seed_record(seeds[i]);
		/* X.* findings too: against the next seed as "last year" */
		prev = seed_record(seeds[(i + 1) % NSEEDS]);
		rules_run_pair(prev, r);
		record_free(prev);
		for (nx = 0, k = 0; k < r->nfindings; k++)
			nx += strncmp(r->findings[k].rule, "X.", 2) == 0;
		assert_true(nx >= 3);
		assert_int_equal(r->t3_state, TABLE_FOUND);

		a = dump(r);
		back = record_from_json(a, &cause);
		assert_non_null(back);
		assert_null(cause);
		b = dump(back);
		if (strcmp(a, b) != 0)
			fail_msg("%s: export(import(export(r))) differs", seeds[i]);
		/* what rules_pair reads */
		assert_int_equal(back->year, r->year);
		assert_int_equal(back->t2_state, r->t2_state);
		assert_int_equal(back->t2_format, r->t2_format);
		assert_int_equal(back->t3_format, r->t3_format);
		assert_int_equal(back->nfindings, r->nfindings);
		for (k = 0; k < REC_NCELLS; k++) {
			assert_int_equal(back->cells[k].kind, r->cells[k].kind);
			if (cell_is_num(&r->cells[k]))
				assert_true(back->cells[k].value ==
				    r->cells[k].value);
		}
		for (k = 0; k < r->nfindings; k++) {
			assert_string_equal(back->findings[k].rule,
			    r->findings[k].rule);
			assert_int_equal(back->findings[k].has_numbers,
			    r->findings[k].has_numbers);
		}
		free(a);
		free(b);
		record_free(back);
		record_free(r);
	}
}

/* The pair rules give the same findings on imported records as on live ones. */
static void
test_pair_on_imported(void **state)
{
	struct record *cur, *prev, *icur, *iprev;
	char *a, *cause = NULL;
	size_t k;

	(void)state;
	cur = seed_record(seeds[0]);
	prev = seed_record(seeds[1]);
	free(cur->text);
	cur->text = NULL;	/* not exported: the sections stand in */
	free(prev->text);
	prev->text = NULL;
	a = dump(prev);
	iprev = record_from_json(a, &cause);
	free(a);
	a = dump(cur);
	icur = record_from_json(a, &cause);
	free(a);
	assert_non_null(iprev);
	assert_non_null(icur);
	rules_run_pair(prev, cur);
	rules_run_pair(iprev, icur);
	assert_int_equal(cur->nfindings, icur->nfindings);
	for (k = 0; k < cur->nfindings; k++) {
		assert_string_equal(cur->findings[k].rule,
		    icur->findings[k].rule);
		assert_int_equal(cur->findings[k].result,
		    icur->findings[k].result);
		assert_string_equal(cur->findings[k].message,
		    icur->findings[k].message);
	}
	record_free(cur);
	record_free(prev);
	record_free(icur);
	record_free(iprev);
}

static void
test_refused(void **state)
{
	static const char *bad[] = {
		"", "[", "[]", "42", "{}", "{\"meta\":{}}",
		"{\"meta\":[],\"tables\":{}}",
	};
	struct record *r;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		r = record_from_json(bad[i], &cause);
		assert_null(r);
		assert_non_null(cause);
		free(cause);
	}
}

/* Odd but well-formed JSON: kept where sane, ignored where not. */
static void
test_lenient(void **state)
{
	struct record *r;
	char *cause = NULL;

	(void)state;
	r = record_from_json("{\"meta\":{\"year\":2023,\"agency\":\"某局\","
	    "\"charset\":\"GB18030\"},\"tables\":{\"t3\":\"found\","
	    "\"t3_format\":\"2021\"},\"t3\":{\"new\":{\"total\":{\"value\":"
	    "\"x\",\"kind\":\"number\",\"raw\":\"7\"}},\"carried_over\":{"
	    "\"total\":{\"value\":3,\"kind\":\"number\",\"raw\":\"3\"}}},"
	    "\"sections\":[{\"id\":9},{\"id\":2,\"present\":true,\"text\":"
	    "\"正文\"}],\"findings\":[{\"rule\":\"T3.ROW\"},{\"rule\":\"X.CARRY\","
	    "\"severity\":\"warning\",\"result\":\"fail\",\"cells\":["
	    "\"t3.carried_over.total\",1],\"expected\":2,\"actual\":3,"
	    "\"message\":\"m\"}]}", &cause);
	assert_non_null(r);
	assert_int_equal(r->year, 2023);
	assert_string_equal(r->agency, "某局");
	assert_string_equal(r->charset, "GB18030");
	assert_int_equal(r->cells[REC_T3(T3_NEW, T3C_TOTAL)].kind, CELL_TEXT);
	assert_int_equal(r->cells[REC_T3(T3_CARRIED_OVER, T3C_TOTAL)].kind,
	    CELL_NUMBER);
	assert_true(r->cells[REC_T3(T3_CARRIED_OVER, T3C_TOTAL)].value == 3);
	assert_true(r->sections[SEC_PROACTIVE].present);
	assert_string_equal(r->sections[SEC_PROACTIVE].text, "正文");
	assert_int_equal(r->nfindings, 1);
	assert_string_equal(r->findings[0].rule, "X.CARRY");
	assert_string_equal(r->findings[0].cells, "t3.carried_over.total");
	assert_true(r->findings[0].has_numbers);
	assert_true(r->findings[0].expected == 2);
	record_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_seeds),
		cmocka_unit_test(test_pair_on_imported),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_lenient),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
