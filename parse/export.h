/*
 * Serialisations of a record: nested JSON (jansson; keys as in design.md,
 * cells as {"value","kind","raw"}) and the flat listing, one line per cell:
 * key TAB value TAB kind TAB raw.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <jansson.h>

#include "buf.h"
#include "record.h"

/* The record as a JSON object (caller json_decref()s). */
json_t	*export_json(const struct record *, int with_findings);
/* Parts of export_json(), for outputs that need only them (caller decrefs). */
json_t	*export_meta_json(const struct record *);
json_t	*export_tables_json(const struct record *);
json_t	*export_notes_json(const struct record *);
json_t	*export_findings_json(const struct record *);
/* One finding as a JSON object. */
json_t	*export_finding_json(const struct finding *);
/* Appends the flat listing. */
void	 export_flat(const struct record *, struct buf *);
/*
 * Formats a number the way every output prints it ("12", "1003.34"):
 * the flat listing, exports and the rules' messages.
 */
void	 export_number(double, char *, size_t);

#endif
