/*
 * Allocation wrappers that never return NULL: running out of memory is
 * fatal (tmux xmalloc.c, redis zmalloc).  Sizes that come from the network or
 * from a file go through struct buf (buf.h), which has a limit, never
 * straight into these.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
char	*xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
