/*
 * Number parsing and file slurping for the core library.  Both report
 * failure as -1 plus a cause instead of exiting, so a bad input file never
 * takes anything else down with it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"
#include "xmalloc.h"

int
util_strtonum(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0') {
		*errstr = "invalid";
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || end == s) {
		*errstr = "invalid";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*errstr = "too small";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*errstr = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

int
util_read_file(const char *path, size_t max, char **out, size_t *len,
    char **cause)
{
	FILE *f;
	struct buf b;
	char chunk[65536];
	size_t n;
	int rc = -1;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf_init(&b, max);
	for (;;) {
		n = fread(chunk, 1, sizeof chunk, f);
		if (n > 0 && buf_add(&b, chunk, n) != 0) {
			xasprintf(cause, "%s: larger than the limit of %zu bytes",
			    path, max);
			goto out;
		}
		if (n < sizeof chunk)
			break;
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: read error: %s", path, strerror(errno));
		goto out;
	}
	*len = b.len;
	*out = buf_detach(&b);
	rc = 0;
out:
	if (f != stdin)
		fclose(f);
	buf_release(&b);
	return rc;
}

const char *
util_digits(long long v, char buf[24])
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;
	char *p = buf + 23;

	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	return p;
}
