/*
 * libFuzzer harness for parse/import.c: record_from_json() on arbitrary
 * bytes (NUL-terminated copy), which must refuse with a cause or return a
 * record; a record read back is exported, read again and exported again,
 * and the two exports must be the same (whatever odd JSON came in, what
 * import makes of it is a fixed point of export/import, the property the
 * daemon's cross-year recomputation relies on).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "export.h"
#include "import.h"
#include "invariants.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *
fuzz_dump(const struct record *r)
{
	json_t *o = export_json(r, 1);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(o);
	if (s == NULL)
		fuzz_fail("export_json: not serialisable");
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record *r, *back;
	char *copy, *cause = NULL, *a, *b;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	r = record_from_json(copy, &cause);
	free(copy);
	if (r == NULL) {
		if (cause == NULL)
			fuzz_fail("record_from_json: failure without a cause");
		free(cause);
		return 0;
	}
	if (cause != NULL)
		fuzz_fail("record_from_json: success with a cause: %s", cause);
	a = fuzz_dump(r);
	back = record_from_json(a, &cause);
	if (back == NULL)
		fuzz_fail("record_from_json refuses its own export: %s", cause);
	b = fuzz_dump(back);
	if (strcmp(a, b) != 0)
		fuzz_fail("export(import(x)) is not a fixed point:\n%s\n%s", a,
		    b);
	free(a);
	free(b);
	record_free(back);
	record_free(r);
	return 0;
}
