/* See sched.h. */
#include <stdlib.h>
#include <string.h>

#include "sched.h"
#include "xmalloc.h"

void
sched_init(struct sched *s)
{
	memset(s, 0, sizeof *s);
}

void
sched_release(struct sched *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

void
sched_clear(struct sched *s)
{
	s->n = 0;
}

static int
sched_less(const struct sched_entry *a, const struct sched_entry *b)
{
	/* ties by catalog order, so the schedule is deterministic */
	return a->due < b->due || (a->due == b->due && a->src < b->src);
}

void
sched_push(struct sched *s, size_t src, int64_t due)
{
	struct sched_entry e = { due, src };
	size_t i, parent;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	i = s->n++;
	while (i > 0) {
		parent = (i - 1) / 2;
		if (!sched_less(&e, &s->v[parent]))
			break;
		s->v[i] = s->v[parent];
		i = parent;
	}
	s->v[i] = e;
}

const struct sched_entry *
sched_peek(const struct sched *s)
{
	return s->n ? &s->v[0] : NULL;
}

void
sched_pop(struct sched *s)
{
	struct sched_entry last;
	size_t i = 0, child;

	if (s->n == 0)
		return;
	last = s->v[--s->n];
	if (s->n == 0)
		return;
	for (;;) {
		child = 2 * i + 1;
		if (child >= s->n)
			break;
		if (child + 1 < s->n && sched_less(&s->v[child + 1],
		    &s->v[child]))
			child++;
		if (!sched_less(&s->v[child], &last))
			break;
		s->v[i] = s->v[child];
		i = child;
	}
	s->v[i] = last;
}

int64_t
sched_next(int64_t now, int64_t interval, long long jitter, uint64_t r)
{
	int64_t span;

	if (interval < 1000)
		interval = 1000;
	if (jitter <= 0)
		return now + interval;
	if (jitter > 100)
		jitter = 100;
	span = interval / 100 * jitter;
	if (span <= 0)
		return now + interval;
	/* uniform in [interval - span, interval + span] */
	return now + interval - span + (int64_t)(r % (uint64_t)(2 * span + 1));
}

int64_t
sched_initial(int64_t now, int64_t stored, int64_t interval, int64_t window,
    uint64_t r)
{
	int64_t spread;

	if (stored > now)
		return stored;
	spread = window;
	if (stored == 0 && interval < spread)
		spread = interval;
	if (spread <= 0)
		return now;
	return now + (int64_t)(r % (uint64_t)spread);
}
