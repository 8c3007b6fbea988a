/*
 * See clock.h.  The override is an offset added to the real clock, set
 * once by clock_init(): the daemon's timers keep running at the real pace
 * and a test can still say "it is 1 February 2026, 09:00 in Beijing".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "xmalloc.h"

static int	clock_ready;
static int64_t	clock_shift;	/* override minus real time at start */

static int64_t
clock_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_now_ms(void)
{
	if (!clock_ready) {
		char *cause = NULL;

		if (clock_init(&cause) == -1)
			free(cause);	/* the program did not ask: real time */
	}
	return clock_real_ms() + clock_shift;
}

int
clock_init(char **cause)
{
	const char *v = getenv("NIANBAO_NOW");
	int64_t ms;

	clock_ready = 1;
	clock_shift = 0;
	if (v == NULL || *v == '\0')
		return 0;
	if (clock_parse(v, 8 * 60, &ms) == -1) {
		xasprintf(cause, "NIANBAO_NOW=\"%s\" is not a date or time "
		    "(2026-02-01, 2026-02-01T09:00+08:00, 2026-02-01T01:00Z)",
		    v);
		return -1;
	}
	clock_shift = ms - clock_real_ms();
	return 0;
}

int64_t
clock_days(int y, int m, int d)
{
	/* Howard Hinnant's days_from_civil */
	int64_t yy = y - (m <= 2), era, yoe, doy, doe;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
clock_ymd(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Reads exactly n digits at *p into *v and moves *p past them. */
static int
clock_digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

int
clock_parse(const char *s, int tz_minutes, int64_t *ms)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om, sign, mdays;
	static const int days_in[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	if (clock_digits(&p, 4, &y) || *p++ != '-' ||
	    clock_digits(&p, 2, &mo) || *p++ != '-' ||
	    clock_digits(&p, 2, &d))
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1)
		return -1;
	mdays = days_in[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0));
	if (d > mdays)
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (clock_digits(&p, 2, &h) || *p++ != ':' ||
		    clock_digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (clock_digits(&p, 2, &sec))
				return -1;
		}
		if (h > 23 || mi > 59 || sec > 59)
			return -1;
	}
	if (*p == 'Z' && p[1] == '\0')
		tz_minutes = 0;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (clock_digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (clock_digits(&p, 2, &om) || *p != '\0' || oh > 14 ||
		    om > 59)
			return -1;
		tz_minutes = sign * (oh * 60 + om);
	} else if (*p != '\0')
		return -1;
	*ms = ((clock_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	    (int64_t)tz_minutes * 60) * 1000;
	return 0;
}

int64_t
clock_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
clock_format(int64_t ms, char *buf, size_t len)
{
	struct tm tm;
	time_t t;

	if (ms <= 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	t = (time_t)(ms / 1000);
	localtime_r(&t, &tm);
	if (strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, len, "?");
	return buf;
}
