/*
 * The text of a notification (a stub until the channels land: the event
 * type and its payload as they are).
 */
#include <string.h>

#include "../daemon/buf.h"
#include "../daemon/xmalloc.h"
#include "notify.h"

char *
message_title(const struct notify_msg *m)
{
	if (m->nevents == 1)
		return xprintf("nianbao: %s", m->events[0].type);
	return xprintf("nianbao: %zu events", m->nevents);
}

char *
message_text(const struct notify_msg *m, enum message_format f, size_t max)
{
	struct buf b;
	size_t i;

	(void)f;
	buf_init(&b, max);
	for (i = 0; i < m->nevents; i++)
		(void)buf_addf(&b, "%s %s\n", m->events[i].type,
		    m->events[i].payload != NULL ? m->events[i].payload : "");
	return buf_detach(&b);
}

int
message_severity(const struct notify_event *e)
{
	(void)e;
	return 0;
}
