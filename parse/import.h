/*
 * A record read back from its JSON (export_json()'s output, as the store
 * keeps every version), so rules that need two reports, such as the
 * cross-year rules, can run on stored versions.  What comes back is what
 * the JSON holds: meta, table states and formats, cells, section texts,
 * notes and findings; r->text (the reader's whole text) is not exported
 * and stays NULL, so text rules fall back to the sections' texts.
 * Invariant: export_json(record_from_json(export_json(r))) equals
 * export_json(r).
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <jansson.h>

#include "record.h"

/* The record of a JSON text; NULL with *cause if it is not one. */
struct record	*record_from_json(const char *json, char **cause);
/* The same from a parsed object (not modified, not stolen). */
struct record	*record_from_jobj(json_t *root, char **cause);
/*
 * The object at a dotted key ("t3.new.total") under a record's JSON, or
 * NULL if there is none (borrowed from root).
 */
json_t		*import_cell(json_t *root, const char *key);

#endif
