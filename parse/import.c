/*
 * The inverse of export_json(): a stored record JSON back into a struct
 * record.  The daemon keeps every version as JSON; the cross-year rules
 * (rules_pair) compare last year's stored version with this year's, and a
 * new version of last year's report means recomputing this year's X.*
 * findings from its stored JSON, so both sides must come back as records.
 *
 * Rule ids, charsets and reader names are static strings in a record (the
 * rules and readers own them): read back, they are interned in a small
 * process-lifetime table, bounded so that hostile JSON cannot grow it.
 *
 * Ownership: the record returned belongs to the caller (record_free()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "import.h"
#include "record.h"
#include "xmalloc.h"

#define IMPORT_MAX_NAMES	512	/* distinct interned names */
#define IMPORT_MAX_NAME		64	/* bytes in one interned name */
#define IMPORT_MAX_FINDINGS	10000	/* the rules make a few hundred */

static char	*import_names[IMPORT_MAX_NAMES];
static size_t	 import_nnames;

/*
 * A static copy of name, for the record's static fields; "?" once the
 * table is full or the name is too long (no real rule or reader is).
 */
static const char *
import_intern(const char *name)
{
	size_t i;

	for (i = 0; i < import_nnames; i++) {
		if (strcmp(import_names[i], name) == 0)
			return import_names[i];
	}
	if (import_nnames == IMPORT_MAX_NAMES ||
	    strlen(name) > IMPORT_MAX_NAME)
		return "?";
	import_names[import_nnames] = xstrdup(name);
	return import_names[import_nnames++];
}

/* A string member, copied; NULL when absent or null. */
static char *
import_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static int
import_format(const char *s, enum rec_format *f)
{
	static const enum rec_format all[] = { FORMAT_UNKNOWN, FORMAT_2021,
	    FORMAT_2019, FORMAT_PRE2019 };
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (strcmp(format_name(all[i]), s) == 0) {
			*f = all[i];
			return 0;
		}
	}
	return -1;
}

static enum table_state
import_table_state(json_t *tabs, const char *key)
{
	json_t *v = json_object_get(tabs, key);
	const char *s = json_is_string(v) ? json_string_value(v) : "";

	if (strcmp(s, "found") == 0)
		return TABLE_FOUND;
	if (strcmp(s, "image") == 0)
		return TABLE_IMAGE;
	return TABLE_MISSING;
}

/* A table's layout; the record's default stays when the JSON says none. */
static void
import_table_format(json_t *tabs, const char *key, int *out)
{
	json_t *v = json_object_get(tabs, key);
	enum rec_format f;

	if (json_is_string(v) && import_format(json_string_value(v), &f) ==
	    0 && (f == FORMAT_2021 || f == FORMAT_2019))
		*out = (int)f;
}

static void
import_meta(struct record *r, json_t *meta)
{
	json_t *v;
	enum rec_format f;

	r->agency = import_str(meta, "agency");
	r->region = import_str(meta, "region");
	r->level = import_str(meta, "level");
	v = json_object_get(meta, "year");
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) < 10000)
		r->year = (int)json_integer_value(v);
	r->title = import_str(meta, "title");
	r->url = import_str(meta, "url");
	r->published = import_str(meta, "published");
	r->published_from = import_str(meta, "published_from");
	v = json_object_get(meta, "format");
	if (json_is_string(v) && import_format(json_string_value(v), &f) == 0)
		r->format = f;
	v = json_object_get(meta, "charset");
	r->charset = json_is_string(v) ? import_intern(json_string_value(v)) :
	    NULL;
	v = json_object_get(meta, "reader");
	r->reader = json_is_string(v) ? import_intern(json_string_value(v)) :
	    NULL;
}

static void
import_sections(struct record *r, json_t *secs)
{
	json_t *s, *v;
	size_t i;
	json_int_t id;

	json_array_foreach(secs, i, s) {
		v = json_object_get(s, "id");
		if (!json_is_integer(v))
			continue;
		id = json_integer_value(v);
		if (id < 1 || id > SEC_N)
			continue;
		/* a repeated id: the last one wins, as export writes one */
		free(r->sections[id - 1].heading);
		free(r->sections[id - 1].text);
		r->sections[id - 1].present = json_is_true(json_object_get(s,
		    "present"));
		r->sections[id - 1].heading = import_str(s, "heading");
		r->sections[id - 1].text = import_str(s, "text");
	}
}

json_t *
import_cell(json_t *root, const char *key)
{
	char part[64];
	const char *p = key, *dot;
	json_t *o = root;
	size_t n;

	for (;;) {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof part)
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		o = json_object_get(o, part);
		if (!json_is_object(o))
			return NULL;
		if (dot == NULL)
			return o;
		p = dot + 1;
	}
}

static int
import_cell_kind(const char *s, enum cell_kind *k)
{
	static const enum cell_kind all[] = { CELL_ABSENT, CELL_NUMBER,
	    CELL_ZERO, CELL_BLANK, CELL_NA, CELL_TEXT };
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (strcmp(cell_kind_name(all[i]), s) == 0) {
			*k = all[i];
			return 0;
		}
	}
	return -1;
}

static void
import_cells(struct record *r, json_t *root)
{
	struct cell *c;
	json_t *o, *v;
	int idx;

	for (idx = 0; idx < REC_NCELLS; idx++) {
		if (!record_key_applies(r, idx))
			continue;
		o = import_cell(root, record_key(idx));
		if (o == NULL)
			continue;
		c = &r->cells[idx];
		v = json_object_get(o, "kind");
		if (!json_is_string(v) ||
		    import_cell_kind(json_string_value(v), &c->kind) == -1)
			continue;
		v = json_object_get(o, "value");
		if (json_is_integer(v))
			c->value = (double)json_integer_value(v);
		else if (json_is_real(v)) {
			c->value = json_real_value(v);
			c->decimal = 1;
		}
		/* a number without a value is no number: rules say unknown */
		if ((c->kind == CELL_NUMBER || c->kind == CELL_ZERO) &&
		    !json_is_number(v))
			c->kind = CELL_TEXT;
		free(c->raw);
		c->raw = import_str(o, "raw");
	}
}

static int
import_severity(const char *s, enum severity *out)
{
	static const enum severity all[] = { SEV_INFO, SEV_WARNING,
	    SEV_ERROR };
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (strcmp(severity_name(all[i]), s) == 0) {
			*out = all[i];
			return 0;
		}
	}
	return -1;
}

static int
import_result(const char *s, enum finding_result *out)
{
	static const enum finding_result all[] = { RESULT_PASS, RESULT_FAIL,
	    RESULT_UNKNOWN };
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (strcmp(result_name(all[i]), s) == 0) {
			*out = all[i];
			return 0;
		}
	}
	return -1;
}

/* One finding; -1 (and nothing added) when it is not one. */
static int
import_finding(struct record *r, json_t *o)
{
	struct finding *f;
	struct buf cells;
	json_t *rule, *sev, *res, *msg, *exp, *act, *k;
	enum severity severity;
	enum finding_result result;
	size_t i;

	rule = json_object_get(o, "rule");
	sev = json_object_get(o, "severity");
	res = json_object_get(o, "result");
	msg = json_object_get(o, "message");
	if (!json_is_string(rule) || !json_is_string(sev) ||
	    !json_is_string(res) || !json_is_string(msg) ||
	    import_severity(json_string_value(sev), &severity) == -1 ||
	    import_result(json_string_value(res), &result) == -1)
		return -1;
	buf_init(&cells, 0);
	json_array_foreach(json_object_get(o, "cells"), i, k) {
		if (!json_is_string(k))
			continue;
		if (cells.len > 0)
			buf_addc(&cells, ',');
		buf_adds(&cells, json_string_value(k));
	}
	f = record_add_finding(r, import_intern(json_string_value(rule)),
	    severity, result, buf_str(&cells), "%s", json_string_value(msg));
	buf_release(&cells);
	exp = json_object_get(o, "expected");
	act = json_object_get(o, "actual");
	if (json_is_number(exp) && json_is_number(act)) {
		f->has_numbers = 1;
		f->expected = json_number_value(exp);
		f->actual = json_number_value(act);
	}
	return 0;
}

struct record *
record_from_jobj(json_t *root, char **cause)
{
	struct record *r;
	json_t *meta, *tabs, *v;
	size_t i;

	meta = json_object_get(root, "meta");
	tabs = json_object_get(root, "tables");
	if (!json_is_object(meta) || !json_is_object(tabs)) {
		*cause = xstrdup("not a report record (no meta or tables)");
		return NULL;
	}
	r = record_new();
	import_meta(r, meta);
	import_sections(r, json_object_get(root, "sections"));
	r->t2_state = import_table_state(tabs, "t2");
	r->t3_state = import_table_state(tabs, "t3");
	r->t4_state = import_table_state(tabs, "t4");
	import_table_format(tabs, "t2_format", &r->t2_format);
	import_table_format(tabs, "t3_format", &r->t3_format);
	r->t3_subtotal = json_is_true(json_object_get(tabs,
	    "t3_legal_subtotal"));
	import_cells(r, root);
	json_array_foreach(json_object_get(root, "notes"), i, v) {
		if (json_is_string(v))
			record_note(r, "%s", json_string_value(v));
	}
	json_array_foreach(json_object_get(root, "findings"), i, v) {
		if (r->nfindings >= IMPORT_MAX_FINDINGS)
			break;
		import_finding(r, v);
	}
	return r;
}

struct record *
record_from_json(const char *json, char **cause)
{
	json_error_t err;
	json_t *root;
	struct record *r;

	root = json_loads(json, 0, &err);
	if (root == NULL) {
		xasprintf(cause, "record JSON, line %d: %s", err.line,
		    err.text);
		return NULL;
	}
	r = record_from_jobj(root, cause);
	json_decref(root);
	return r;
}
