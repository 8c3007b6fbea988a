/*
 * libFuzzer harness for the whole pipeline, as `nianbao validate` runs it:
 * reader_read -> mapper_map -> rules_run -> record_free, plus the two-report
 * rules (the input mapped twice stands for last year's and this year's
 * report).  The document, the record before the rules and the record after
 * them are all checked against their invariants, so a rule that writes a
 * finding naming a key that does not exist fails here too.  The record is
 * then serialised both ways `nianbao parse` prints it (JSON, flat).
 *
 * Mapping and the rules cost ten times what reading does, so the pair rules
 * (a second mapping) run on a quarter of the inputs, picked by size so that
 * a reproducer replays the same way.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "export.h"
#include "invariants.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct record *
map(const struct doc *d)
{
	struct record *r = NULL;
	char *cause = NULL;

	if (mapper_map(d, &r, &cause) != 0) {
		if (r != NULL)
			fuzz_fail("mapper_map: failure with a record");
		if (cause == NULL || *cause == '\0')
			fuzz_fail("mapper_map: failure without a cause");
		if (!fuzz_utf8_valid(cause, strlen(cause)))
			fuzz_fail("mapper_map: cause is not UTF-8");
		free(cause);
		return NULL;
	}
	if (cause != NULL)
		fuzz_fail("mapper_map: success with a cause: %s", cause);
	fuzz_check_record(r);
	return r;
}

/* Serialises the record as the CLI does; jansson must accept it all. */
static void
serialise(const struct record *r)
{
	json_t *j;
	char *s;
	struct buf b;

	if ((j = export_json(r, 1)) == NULL)
		fuzz_fail("export_json returned NULL");
	if ((s = json_dumps(j, JSON_COMPACT)) == NULL)
		fuzz_fail("json_dumps failed");
	free(s);
	json_decref(j);
	buf_init(&b, 0);
	export_flat(r, &b);
	if (!fuzz_utf8_valid(buf_str(&b), b.len))
		fuzz_fail("flat listing is not UTF-8");
	buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc *d = NULL;
	struct record *prev, *cur;
	char *cause = NULL;

	if (reader_read((const char *)data, size, "fuzz-input", NULL, &d,
	    &cause) != 0) {
		if (d != NULL)
			fuzz_fail("reader_read: failure with a document");
		free(cause);
		return 0;
	}
	fuzz_check_doc(d, 1);
	if ((prev = map(d)) == NULL)
		goto out;
	rules_run(prev);
	fuzz_check_record(prev);
	serialise(prev);
	cur = size % 4 == 0 ? map(d) : NULL;
	if (cur != NULL) {
		rules_run(cur);
		rules_run_pair(prev, cur);
		fuzz_check_record(cur);
		record_free(cur);
	}
	record_free(prev);
out:
	doc_free(d);
	return 0;
}
