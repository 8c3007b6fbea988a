/*
 * Wall-clock time for the daemon and the CLI in one place, so that a
 * clock override for tests (issue "Deadlines and years") has one place to
 * go.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the epoch. */
int64_t	 clock_now_ms(void);
/* A monotonic clock in milliseconds, for durations. */
int64_t	 clock_mono_ms(void);
/* "2026-11-23 14:05:09" in local time into buf; "-" for 0. */
const char *clock_format(int64_t ms, char *buf, size_t len);

#endif
