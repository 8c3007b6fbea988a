/* Mapper (stub). */
#include "parse.h"
#include "xmalloc.h"

int
mapper_map(const struct doc *d, struct record **out, char **cause)
{
	*out = NULL;
	*cause = xstrdup("mapper not built yet");
	return -1;
}
