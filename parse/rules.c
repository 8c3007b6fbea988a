/* Rule catalogue (stub until the rules land). */
#include "parse.h"

void
rules_run(struct record *r)
{
}

void
rules_run_pair(const struct record *prev, struct record *cur)
{
}
