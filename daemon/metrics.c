/*
 * The daemon's in-memory counters for /metrics: every fetch result that
 * job.c and daemon.c record is counted here by status class and host,
 * with the bytes received.  The host label set is bounded (METRICS_MAX_HOSTS,
 * then host="other"), so a catalog of 100,000 sites or a hostile redirect
 * chain cannot grow the exposition without limit.  Counters start at zero
 * with the process, as Prometheus counters do.
 *
 * Also the pure helpers of the text exposition format: label escaping
 * and the host of a URL.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../notify/notify.h"
#include "buf.h"
#include "nianbaod.h"
#include "xmalloc.h"

static const char *metrics_class_names[METRICS_NCLASS] = {
	"2xx", "3xx", "304", "4xx", "5xx", "error"
};

const char *
metrics_class_name(int c)
{
	if (c < 0 || c >= METRICS_NCLASS)
		return "error";
	return metrics_class_names[c];
}

int
metrics_class(long status, int error)
{
	if (error || status < 100 || status > 599)
		return METRICS_ERROR;
	if (status == 304)
		return METRICS_304;
	if (status < 300)
		return METRICS_2XX;	/* 1xx never ends a fetch */
	if (status < 400)
		return METRICS_3XX;
	if (status < 500)
		return METRICS_4XX;
	return METRICS_5XX;
}

void
metrics_host_of(const char *url, char *out, size_t len)
{
	const char *p, *end, *at;
	size_t n, i;

	if (len == 0)
		return;
	out[0] = '\0';
	p = strstr(url, "://");
	if (p == NULL) {
		snprintf(out, len, "none");
		return;
	}
	p += 3;
	end = p + strcspn(p, "/?#");
	/* user:password@ is never a label */
	at = memchr(p, '@', (size_t)(end - p));
	if (at != NULL)
		p = at + 1;
	n = (size_t)(end - p);
	if (n == 0) {
		snprintf(out, len, "none");
		return;
	}
	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[n] = '\0';
}

void
metrics_label_escape(struct buf *b, const char *s)
{
	/* the text format escapes backslash, double quote and line feed */
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_adds(b, "\\\\");
		else if (*s == '"')
			buf_adds(b, "\\\"");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
}

void
metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof *m);
	m->other.host = xstrdup("other");
}

void
metrics_release(struct metrics *m)
{
	size_t i;

	for (i = 0; i < m->nhosts; i++)
		free(m->hosts[i].host);
	free(m->hosts);
	free(m->index);
	free(m->other.host);
	memset(m, 0, sizeof *m);
}

static uint64_t
metrics_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The counters of host, added if there is room, else "other". */
static struct metrics_host *
metrics_host(struct metrics *m, const char *host)
{
	size_t i, mask, slot;

	if (m->index == NULL) {
		/* open addressing, at most half full */
		m->nindex = 2 * METRICS_MAX_HOSTS;
		m->nindex--;
		m->nindex |= m->nindex >> 1;
		m->nindex |= m->nindex >> 2;
		m->nindex |= m->nindex >> 4;
		m->nindex |= m->nindex >> 8;
		m->nindex |= m->nindex >> 16;
		m->nindex++;
		m->index = xcalloc(m->nindex, sizeof *m->index);
		m->hosts = xcalloc(METRICS_MAX_HOSTS, sizeof *m->hosts);
	}
	mask = m->nindex - 1;
	slot = (size_t)metrics_hash(host) & mask;
	for (i = 0; i < m->nindex; i++) {
		size_t at = m->index[slot];

		if (at == 0)
			break;
		if (strcmp(m->hosts[at - 1].host, host) == 0)
			return &m->hosts[at - 1];
		slot = (slot + 1) & mask;
	}
	if (m->nhosts >= METRICS_MAX_HOSTS)
		return &m->other;
	m->hosts[m->nhosts].host = xstrdup(host);
	m->index[slot] = ++m->nhosts;
	return &m->hosts[m->nhosts - 1];
}

void
metrics_fetch(struct metrics *m, const char *url, long status, int error,
    uint64_t bytes)
{
	struct metrics_host *h;
	char host[256];
	int c;

	c = metrics_class(status, error);
	metrics_host_of(url != NULL ? url : "", host, sizeof host);
	h = metrics_host(m, host);
	h->n[c]++;
	h->bytes += bytes;
	m->n[c]++;
	m->bytes += bytes;
}

void
metrics_notify(struct nianbaod *d, struct buf *b)
{
	/* the dispatcher's counters; nothing without channels */
	dispatch_metrics(d->dispatch, b);
}
