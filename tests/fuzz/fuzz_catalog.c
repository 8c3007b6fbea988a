/*
 * libFuzzer harness for the source catalog parser (daemon/catalog.c):
 * arbitrary bytes as a catalog file.  Every source that loads must have
 * the fields the daemon relies on: an id, an agency, a canonical level and
 * an http(s) URL whose host was extracted; every error line names the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "invariants.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NAME	"fuzz-catalog.csv"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalog cat;
	char *copy, *errors = NULL, *line, *nl;
	size_t i;
	int rc;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	rc = catalog_parse(&cat, NAME, copy, &errors);
	if (errors == NULL)
		fuzz_fail("catalog_parse: no error string");
	if (rc < 0 && cat.n != 0)
		fuzz_fail("catalog_parse: -1 with %zu sources", cat.n);
	for (i = 0; i < cat.n; i++) {
		const struct source *s = &cat.v[i];

		if (s->id == NULL || *s->id == '\0' || s->agency == NULL ||
		    *s->agency == '\0' || s->host == NULL || *s->host == '\0')
			fuzz_fail("source %zu: empty id, agency or host", i);
		if (strcmp(s->level, "department") != 0 &&
		    strcmp(s->level, "government") != 0 &&
		    strcmp(s->level, "township") != 0)
			fuzz_fail("source %zu: level \"%s\"", i, s->level);
		if (strncasecmp(s->url, "http://", 7) != 0 &&
		    strncasecmp(s->url, "https://", 8) != 0)
			fuzz_fail("source %zu: url \"%.40s\"", i, s->url);
	}
	for (line = errors; line != NULL && *line != '\0'; line = nl) {
		nl = strchr(line, '\n');
		if (strncmp(line, NAME, strlen(NAME)) != 0)
			fuzz_fail("error line does not name the file: %.60s",
			    line);
		if (nl != NULL)
			nl++;
	}
	free(errors);
	catalog_release(&cat);
	free(copy);
	return 0;
}
