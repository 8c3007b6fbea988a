/*
 * Logging for nianbaod, OpenBSD style: log_warn() adds strerror(errno),
 * log_warnx() does not.  Lines go to stderr; under systemd (JOURNAL_STREAM
 * set) each line starts with the sd-daemon "<N>" priority prefix so the
 * journal keeps the level, otherwise with a timestamp.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARNING, LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG };

/* name is "debug", "info", "warning" or "error" (anything else: info). */
void	 log_init(const char *progname, const char *level);
void	 log_set_level(const char *level);
int	 log_level_enabled(enum log_level);

void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_error(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
