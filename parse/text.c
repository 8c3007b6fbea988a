/* Text reader (stub). */
#include "parse.h"
#include "xmalloc.h"

int
text_read(const char *buf, size_t len, struct doc **out, char **cause)
{
	*out = NULL;
	*cause = xstrdup("text reader not built yet");
	return -1;
}
