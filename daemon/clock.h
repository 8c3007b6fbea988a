/*
 * Wall-clock time for the daemon and the CLI in one place, so that a
 * clock override for tests (issue "Deadlines and years") has one place to
 * go: NIANBAO_NOW=2026-02-01T09:00+08:00 makes "now" that instant plus
 * the real time elapsed since clock_init(), so timers still advance.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the epoch (shifted by NIANBAO_NOW when set). */
int64_t	 clock_now_ms(void);
/* A monotonic clock in milliseconds, for durations. */
int64_t	 clock_mono_ms(void);
/* "2026-11-23 14:05:09" in local time into buf; "-" for 0. */
const char *clock_format(int64_t ms, char *buf, size_t len);

/*
 * Reads $NIANBAO_NOW once, at start-up.  Returns 0 (also when it is unset),
 * or -1 with *cause naming the variable and the value when it cannot be
 * read.  clock_now_ms() calls it itself (ignoring a bad value) if the
 * program did not.
 */
int	 clock_init(char **cause);
/*
 * An instant: "YYYY-MM-DD" (00:00), "YYYY-MM-DDTHH:MM[:SS]" (a space for
 * the T works too), followed by "Z" or an offset "+08:00"/"+0800"; without
 * one the time is in the zone tz_minutes east of UTC (480 for China
 * Standard Time).  0 and *ms, or -1.
 */
int	 clock_parse(const char *, int tz_minutes, int64_t *ms);
/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t	 clock_days(int y, int m, int d);
void	 clock_ymd(int64_t days, int *y, int *m, int *d);

#endif
