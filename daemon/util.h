/*
 * Small helpers shared by the whole core: range-checked number parsing
 * (no atoi), reading a file into memory under a size limit.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

/*
 * Parses a decimal integer in [min, max].  Returns 0 and sets *out, or -1
 * with *errstr set to a static English phrase ("invalid", "too small",
 * "too large").
 */
int	 util_strtonum(const char *, long long min, long long max,
	    long long *out, const char **errstr);
/*
 * The decimal digits of v ("%lld" without printf, for rows with hundreds
 * of numbers), written at the end of buf; returns where they start.
 */
const char *util_digits(long long v, char buf[24]);

/*
 * Reads the whole file at path into *out (NUL-terminated, caller frees),
 * refusing files larger than max bytes.  Returns 0, or -1 with *cause set
 * (caller frees) naming the file and the reason.
 */
int	 util_read_file(const char *path, size_t max, char **out, size_t *len,
	    char **cause);

#endif
