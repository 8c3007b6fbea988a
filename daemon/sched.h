/*
 * The schedule: every source with the time it is next due, in a binary
 * min-heap keyed on that time, plus the pure arithmetic of intervals,
 * jitter and the start-up spread (no thundering herd after a restart).
 * 100,000 sources cost 1.6 MB here.
 */
#ifndef SCHED_H
#define SCHED_H

#include <stddef.h>
#include <stdint.h>

struct sched_entry {
	int64_t	 due;		/* ms since the epoch */
	size_t	 src;		/* index into the catalog */
};

struct sched {
	struct sched_entry *v;
	size_t		 n;
	size_t		 cap;
};

void	 sched_init(struct sched *);
void	 sched_release(struct sched *);
void	 sched_clear(struct sched *);
void	 sched_push(struct sched *, size_t src, int64_t due);
/* The earliest entry, or NULL when empty. */
const struct sched_entry *sched_peek(const struct sched *);
void	 sched_pop(struct sched *);

/*
 * When a source checked at now is due again: interval (ms) moved by up to
 * jitter percent either way.  r is a random number.
 */
int64_t	 sched_next(int64_t now, int64_t interval, long long jitter,
	    uint64_t r);
/*
 * When a source is first due after start-up.  stored is the due time kept
 * in the store (0 if never scheduled).  A source never checked is spread
 * over the first min(interval, window) ms; an overdue one over window ms,
 * so that a restart after a long stop does not fire every source at once.
 */
int64_t	 sched_initial(int64_t now, int64_t stored, int64_t interval,
	    int64_t window, uint64_t r);

#endif
