/* HTML reader (stub until the gumbo reader lands). */
#include "parse.h"
#include "xmalloc.h"

int
html_read(const char *buf, size_t len, struct doc **out, char **cause)
{
	*out = NULL;
	*cause = xstrdup("HTML reader not built yet");
	return -1;
}
