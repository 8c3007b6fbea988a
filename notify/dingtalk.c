/*
 * The dingtalk channel (a stub until the channels land: it never delivers).
 */
#include <string.h>

#include "../daemon/xmalloc.h"
#include "notify.h"

int
dingtalk_send(const struct channel_conf *c, const struct notify_msg *m,
    struct notify_answer *a)
{
	(void)c;
	(void)m;
	a->error = xstrdup("dingtalk: not implemented yet");
	return -1;
}
