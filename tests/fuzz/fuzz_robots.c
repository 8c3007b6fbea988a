/*
 * libFuzzer harness for the robots.txt parser (fetch/robots.c): arbitrary
 * bytes as a robots.txt, then questions about paths taken from the input
 * itself and a few fixed ones.  Checked: answers are 0 or 1, the
 * Crawl-delay is never negative, an empty path and "/robots.txt" are
 * asked without trouble, /robots.txt itself is always allowed, and a
 * policy built for "allow all" or "allow nothing" says so for every other
 * path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "invariants.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *fixed[] = {
	"/", "", "/robots.txt", "/private/", "/a?b=c", "/%E5%B9%B4%E6%8A%A5",
	"/年报/index.html", "/$", "/*",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct robots *r, *all, *none;
	char path[256];
	const char *p, *end;
	size_t i, n;
	int a;

	r = robots_parse((const char *)data, size, "nianbao");
	if (r == NULL)
		fuzz_fail("robots_parse returned NULL");
	if (robots_crawl_delay_ms(r) < 0)
		fuzz_fail("negative crawl delay");
	if (robots_allowed(r, "/robots.txt") != 1)
		fuzz_fail("/robots.txt disallowed");
	all = robots_all(1);
	none = robots_all(0);
	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		a = robots_allowed(r, fixed[i]);
		if (a != 0 && a != 1)
			fuzz_fail("robots_allowed(%s) = %d", fixed[i], a);
		/* /robots.txt itself is always allowed (RFC 9309 2.2.2) */
		if (robots_allowed(all, fixed[i]) != 1 ||
		    robots_allowed(none, fixed[i]) !=
		    (strcmp(fixed[i], "/robots.txt") == 0))
			fuzz_fail("robots_all wrong for %s", fixed[i]);
	}
	/* every line of the input that starts with '/' asked as a path */
	p = (const char *)data;
	end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		if (len > 0 && *p == '/') {
			n = len < sizeof path - 1 ? len : sizeof path - 1;
			memcpy(path, p, n);
			path[n] = '\0';
			if (strlen(path) == n) {
				a = robots_allowed(r, path);
				if (a != 0 && a != 1)
					fuzz_fail("robots_allowed = %d", a);
			}
		}
		p += len + 1;
	}
	robots_free(all);
	robots_free(none);
	robots_free(r);
	return 0;
}
