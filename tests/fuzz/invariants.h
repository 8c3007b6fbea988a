/*
 * Invariant checks shared by the libFuzzer harnesses.  A crash is not the
 * only bug a fuzzer can find: a reader that leaves a NULL cell text, a row
 * wider than its table, a string that is not UTF-8 (jansson would refuse
 * it in `nianbao parse --json`) or a finding naming a cell key that does not
 * exist is a bug too.  Every check touches every byte of every string, so
 * AddressSanitizer also sees use-after-free and overreads in what the parse
 * layer hands back.  A failed check prints what broke and aborts, which
 * libFuzzer records as a crash with the input that caused it.
 */
#ifndef FUZZ_INVARIANTS_H
#define FUZZ_INVARIANTS_H

#include <stddef.h>

#include "parse.h"

/* Whether s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int	 fuzz_utf8_valid(const char *s, size_t len);

/*
 * Checks a document's structure.  utf8 says every string must be valid
 * UTF-8 (true for anything that went through charset_decode).
 */
void	 fuzz_check_doc(const struct doc *, int utf8);

/* Checks a record (after mapper_map and, optionally, rules_run). */
void	 fuzz_check_record(const struct record *);

/* Prints "invariant broken: ..." and aborts. */
void	 fuzz_fail(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
