/*
 * A growable, always NUL-terminated byte buffer with an optional upper
 * limit (curl's dynbuf idea).  Appends past the limit fail with -1 and leave
 * the buffer unchanged, so input of any size can be read safely.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NUL-terminated contents, NULL until first add */
	size_t	 len;		/* bytes used, excluding the NUL */
	size_t	 cap;		/* bytes allocated */
	size_t	 max;		/* limit on len, 0 = unlimited */
};

void	 buf_init(struct buf *, size_t max);
void	 buf_release(struct buf *);
void	 buf_reset(struct buf *);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_adds(struct buf *, const char *);
int	 buf_addc(struct buf *, char);
int	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Returns the contents (caller frees) and leaves the buffer empty. */
char	*buf_detach(struct buf *);
/* Returns the contents; never NULL ("" when empty). Borrowed. */
const char *buf_str(const struct buf *);

#endif
