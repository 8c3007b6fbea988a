/*
 * See log.h.  One write per line so that concurrent writers (the daemon
 * and its test harness reading the same stream) never see half lines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char	*log_progname = "nianbaod";
static enum log_level	 log_cur = LOG_LEVEL_INFO;
static int		 log_journal;	/* prefix lines with <N> */

static enum log_level
log_parse(const char *name)
{
	if (name == NULL)
		return LOG_LEVEL_INFO;
	if (strcmp(name, "debug") == 0)
		return LOG_LEVEL_DEBUG;
	if (strcmp(name, "warning") == 0)
		return LOG_LEVEL_WARNING;
	if (strcmp(name, "error") == 0)
		return LOG_LEVEL_ERROR;
	return LOG_LEVEL_INFO;
}

void
log_init(const char *progname, const char *level)
{
	log_progname = progname;
	log_cur = log_parse(level);
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void
log_set_level(const char *level)
{
	log_cur = log_parse(level);
}

int
log_level_enabled(enum log_level l)
{
	return l <= log_cur;
}

static void	log_vwrite(enum log_level, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

static void
log_vwrite(enum log_level l, int with_errno, const char *fmt, va_list ap)
{
	/* syslog priorities: err 3, warning 4, info 6, debug 7 */
	static const int prio[] = { 3, 4, 6, 7 };
	static const char *name[] = { "error", "warning", "info", "debug" };
	char line[4096], stamp[32];
	int saved = errno, n = 0;
	struct tm tm;
	time_t now;

	if (!log_level_enabled(l))
		return;
	if (log_journal)
		n = snprintf(line, sizeof line, "<%d>", prio[l]);
	else {
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
		n = snprintf(line, sizeof line, "%s %s[%ld] %s: ", stamp,
		    log_progname, (long)getpid(), name[l]);
	}
	if (n < 0 || (size_t)n >= sizeof line)
		n = 0;
	n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	if ((size_t)n >= sizeof line - 2)
		n = (int)sizeof line - 2;
	if (with_errno)
		n += snprintf(line + n, sizeof line - (size_t)n, ": %s",
		    strerror(saved));
	if ((size_t)n >= sizeof line - 1)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
	errno = saved;
}

#define LOG_FN(fn, level, with_errno)			\
void							\
fn(const char *fmt, ...)				\
{							\
	va_list ap;					\
							\
	va_start(ap, fmt);				\
	log_vwrite(level, with_errno, fmt, ap);		\
	va_end(ap);					\
}
LOG_FN(log_warn, LOG_LEVEL_WARNING, 1)
LOG_FN(log_warnx, LOG_LEVEL_WARNING, 0)
LOG_FN(log_info, LOG_LEVEL_INFO, 0)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, 0)
LOG_FN(log_error, LOG_LEVEL_ERROR, 0)
