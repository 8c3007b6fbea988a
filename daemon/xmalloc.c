/*
 * Fatal-on-OOM allocation wrappers.  Every caller in the core library uses
 * these, so no code path has to test for NULL after an allocation.
 */
#define _GNU_SOURCE	/* vasprintf */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nianbao: fatal: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

void *
xmalloc(size_t size)
{
	void *p;

	if (size == 0)
		size = 1;
	p = malloc(size);
	if (p == NULL)
		fatalx("out of memory allocating %zu bytes", size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	p = calloc(n, size);
	if (p == NULL)
		fatalx("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	if (SIZE_MAX / n < size)
		fatalx("allocation overflow: %zu x %zu", n, size);
	p = realloc(old, n * size);
	if (p == NULL)
		fatalx("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
xvasprintf(char **out, const char *fmt, va_list ap)
{
	int n;

	n = vasprintf(out, fmt, ap);
	if (n < 0 || *out == NULL)
		fatalx("out of memory formatting a string");
	return n;
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = xvasprintf(out, fmt, ap);
	va_end(ap);
	return n;
}

char *
xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	return s;
}
