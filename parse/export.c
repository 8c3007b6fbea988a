/*
 * JSON and flat serialisations of the record.  The same dotted cell keys
 * name a cell everywhere: nested objects in JSON ("t3" → "new" → "total"),
 * one line per key in the flat listing, columns in exports.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "xmalloc.h"

void
export_number(double v, char *out, size_t len)
{
	if (v == 0)
		v = 0;			/* no "-0" */
	if (fabs(v) < 1e15 && v == floor(v) && len >= 24) {
		/* integers, the common case (rule messages), without printf */
		long long n = (long long)v;
		char tmp[24], *p = tmp + sizeof tmp;
		int neg = n < 0;

		*--p = '\0';
		if (neg)
			n = -n;
		do {
			*--p = (char)('0' + n % 10);
			n /= 10;
		} while (n > 0);
		if (neg)
			*--p = '-';
		memcpy(out, p, (size_t)(tmp + sizeof tmp - p));
	} else if (fabs(v) < 1e15 && v == floor(v))
		snprintf(out, len, "%.0f", v);
	else
		snprintf(out, len, "%.15g", v);
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
cell_json(const struct cell *c)
{
	json_t *o = json_object();

	if (c->kind == CELL_NUMBER || c->kind == CELL_ZERO) {
		if (c->decimal)
			json_object_set_new(o, "value", json_real(c->value));
		else
			json_object_set_new(o, "value",
			    json_integer((json_int_t)c->value));
	} else
		json_object_set_new(o, "value", json_null());
	json_object_set_new(o, "kind", json_string(cell_kind_name(c->kind)));
	json_object_set_new(o, "raw", jstr(c->raw));
	return o;
}

/* Sets root[a][b][c] = v for the dotted key "a.b.c". */
static void
set_path(json_t *root, const char *key, json_t *v)
{
	char *k = xstrdup(key), *p = k, *dot;
	json_t *o = root, *child;

	for (;;) {
		dot = strchr(p, '.');
		if (dot == NULL)
			break;
		*dot = '\0';
		child = json_object_get(o, p);
		if (child == NULL) {
			child = json_object();
			json_object_set_new(o, p, child);
		}
		o = child;
		p = dot + 1;
	}
	json_object_set_new(o, p, v);
	free(k);
}

static const char *
table_state_name(enum table_state s)
{
	switch (s) {
	case TABLE_FOUND: return "found";
	case TABLE_IMAGE: return "image";
	case TABLE_MISSING: break;
	}
	return "missing";
}

json_t *
export_finding_json(const struct finding *f)
{
	json_t *o = json_object(), *cells = json_array();
	char *k = xstrdup(f->cells), *p, *save = NULL;

	json_object_set_new(o, "rule", json_string(f->rule));
	json_object_set_new(o, "severity", json_string(severity_name(f->severity)));
	json_object_set_new(o, "result", json_string(result_name(f->result)));
	for (p = strtok_r(k, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save))
		json_array_append_new(cells, json_string(p));
	json_object_set_new(o, "cells", cells);
	if (f->has_numbers) {
		json_object_set_new(o, "expected", json_real(f->expected));
		json_object_set_new(o, "actual", json_real(f->actual));
	}
	json_object_set_new(o, "message", json_string(f->message));
	free(k);
	return o;
}

json_t *
export_meta_json(const struct record *r)
{
	json_t *meta = json_object();

	json_object_set_new(meta, "agency", jstr(r->agency));
	json_object_set_new(meta, "region", jstr(r->region));
	json_object_set_new(meta, "level", jstr(r->level));
	json_object_set_new(meta, "year", r->year ? json_integer(r->year) :
	    json_null());
	json_object_set_new(meta, "title", jstr(r->title));
	json_object_set_new(meta, "published", jstr(r->published));
	json_object_set_new(meta, "published_from", jstr(r->published_from));
	json_object_set_new(meta, "format", json_string(format_name(r->format)));
	json_object_set_new(meta, "url", jstr(r->url));
	json_object_set_new(meta, "charset", jstr(r->charset));
	json_object_set_new(meta, "reader", jstr(r->reader));
	return meta;
}

json_t *
export_tables_json(const struct record *r)
{
	json_t *tabs = json_object();

	json_object_set_new(tabs, "t2", json_string(table_state_name(r->t2_state)));
	json_object_set_new(tabs, "t2_format", json_string(
	    r->t2_state == TABLE_FOUND ? format_name(r->t2_format) : "unknown"));
	json_object_set_new(tabs, "t3", json_string(table_state_name(r->t3_state)));
	json_object_set_new(tabs, "t3_format", json_string(
	    r->t3_state == TABLE_FOUND ? format_name(r->t3_format) : "unknown"));
	json_object_set_new(tabs, "t3_legal_subtotal",
	    json_boolean(r->t3_subtotal));
	json_object_set_new(tabs, "t4", json_string(table_state_name(r->t4_state)));
	return tabs;
}

json_t *
export_notes_json(const struct record *r)
{
	json_t *notes = json_array();
	size_t i;

	for (i = 0; i < r->nnotes; i++)
		json_array_append_new(notes, json_string(r->notes[i]));
	return notes;
}

json_t *
export_findings_json(const struct record *r)
{
	json_t *findings = json_array();
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		json_array_append_new(findings,
		    export_finding_json(&r->findings[i]));
	return findings;
}

json_t *
export_json(const struct record *r, int with_findings)
{
	json_t *root = json_object(), *secs, *s;
	size_t i;
	int idx;

	json_object_set_new(root, "meta", export_meta_json(r));
	secs = json_array();
	for (i = 0; i < SEC_N; i++) {
		s = json_object();
		json_object_set_new(s, "id", json_integer((json_int_t)i + 1));
		json_object_set_new(s, "name", json_string(section_name(i)));
		json_object_set_new(s, "present",
		    json_boolean(r->sections[i].present));
		json_object_set_new(s, "heading", jstr(r->sections[i].heading));
		json_object_set_new(s, "text", jstr(r->sections[i].text));
		json_array_append_new(secs, s);
	}
	json_object_set_new(root, "sections", secs);
	json_object_set_new(root, "tables", export_tables_json(r));

	json_object_set_new(root, "t2", json_object());
	json_object_set_new(root, "t3", json_object());
	json_object_set_new(root, "t4", json_object());
	for (idx = 0; idx < REC_NCELLS; idx++) {
		if (!record_key_applies(r, idx))
			continue;
		set_path(root, record_key(idx), cell_json(&r->cells[idx]));
	}
	json_object_set_new(root, "notes", export_notes_json(r));
	if (with_findings)
		json_object_set_new(root, "findings", export_findings_json(r));
	return root;
}

/* Tabs and newlines inside a field would break the line format. */
static void
flat_field(struct buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\t')
			buf_adds(b, "\\t");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else if (*s == '\r')
			continue;
		else if (*s == '\\')
			buf_adds(b, "\\\\");
		else
			buf_addc(b, *s);
	}
}

static void
flat_meta(struct buf *b, const char *key, const char *v)
{
	buf_adds(b, key);
	buf_addc(b, '\t');
	flat_field(b, v);
	buf_addf(b, "\t%s\t", v != NULL ? "text" : "blank");
	flat_field(b, v);
	buf_addc(b, '\n');
}

void
export_flat(const struct record *r, struct buf *b)
{
	char num[64], year[16];
	int idx;

	snprintf(year, sizeof year, "%d", r->year);
	flat_meta(b, "meta.agency", r->agency);
	flat_meta(b, "meta.region", r->region);
	flat_meta(b, "meta.level", r->level);
	flat_meta(b, "meta.year", r->year ? year : NULL);
	flat_meta(b, "meta.title", r->title);
	flat_meta(b, "meta.published", r->published);
	flat_meta(b, "meta.published_from", r->published_from);
	flat_meta(b, "meta.format", format_name(r->format));
	flat_meta(b, "meta.url", r->url);
	for (idx = 0; idx < REC_NCELLS; idx++) {
		const struct cell *c = &r->cells[idx];

		if (!record_key_applies(r, idx))
			continue;
		buf_adds(b, record_key(idx));
		buf_addc(b, '\t');
		if (cell_is_num(c)) {
			export_number(c->value, num, sizeof num);
			buf_adds(b, num);
		}
		buf_addf(b, "\t%s\t", cell_kind_name(c->kind));
		flat_field(b, c->raw);
		buf_addc(b, '\n');
	}
}
