/*
 * What changed between two versions of a report, for the report.changed
 * event and the log: the cells whose value or kind differ (keyed as in
 * design.md, "t3.new.total"), the sections whose text differs, and the
 * findings that appeared or vanished.  Works on the stored record JSON,
 * so a version written by an older build still compares.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "nianbaod.h"
#include "xmalloc.h"

/* Collects the cells of obj (t2/t3/t4 subtree) into flat: key -> cell. */
static void
change_flatten(json_t *flat, json_t *obj, const char *prefix)
{
	const char *k;
	json_t *v;
	char *key;

	json_object_foreach(obj, k, v) {
		if (!json_is_object(v))
			continue;
		key = xprintf("%s.%s", prefix, k);
		if (json_object_get(v, "kind") != NULL)
			json_object_set(flat, key, v);
		else
			change_flatten(flat, v, key);
		free(key);
	}
}

/* A cell as shown in a change: its raw text, or "(blank)" / "(absent)". */
static json_t *
change_cell_text(json_t *cell)
{
	json_t *raw;

	if (cell == NULL)
		return json_string("(absent)");
	raw = json_object_get(cell, "raw");
	if (json_is_string(raw) && json_string_length(raw) > 0)
		return json_incref(raw);
	return json_string("(blank)");
}

static int
change_cell_equal(json_t *a, json_t *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return json_equal(json_object_get(a, "kind"),
	    json_object_get(b, "kind")) && json_equal(json_object_get(a,
	    "value"), json_object_get(b, "value"));
}

/* "RULE cells" of every failing finding. */
static json_t *
change_failing(json_t *rec)
{
	json_t *set = json_object(), *f, *cells, *c;
	struct buf b;
	size_t i, j;

	json_array_foreach(json_object_get(rec, "findings"), i, f) {
		if (!json_is_string(json_object_get(f, "result")) ||
		    strcmp(json_string_value(json_object_get(f, "result")),
		    "fail") != 0)
			continue;
		buf_init(&b, 0);
		buf_adds(&b, json_string_value(json_object_get(f, "rule")) ?
		    json_string_value(json_object_get(f, "rule")) : "?");
		cells = json_object_get(f, "cells");
		json_array_foreach(cells, j, c) {
			buf_addc(&b, j == 0 ? ' ' : ',');
			if (json_is_string(c))
				buf_adds(&b, json_string_value(c));
		}
		json_object_set(set, buf_str(&b), f);
		buf_release(&b);
	}
	return set;
}

static json_t *
change_set_minus(json_t *a, json_t *b)
{
	json_t *out = json_array(), *v;
	const char *k;

	json_object_foreach(a, k, v) {
		if (json_object_get(b, k) == NULL)
			json_array_append_new(out, json_pack("{s:O?,s:O?,s:O?}",
			    "id", json_object_get(v, "rule"), "cells",
			    json_object_get(v, "cells"), "message",
			    json_object_get(v, "message")));
	}
	return out;
}

json_t *
change_summary(const char *old_json, const char *new_json, size_t max)
{
	static const char *tables[] = { "t2", "t3", "t4" };
	json_t *old = NULL, *new = NULL, *fo, *fn, *out = NULL, *cells, *secs;
	json_t *v, *ov, *s, *os, *ao, *an;
	const char *k;
	size_t i, more = 0;

	old = json_loads(old_json, 0, NULL);
	new = json_loads(new_json, 0, NULL);
	if (old == NULL || new == NULL)
		goto out;
	fo = json_object();
	fn = json_object();
	for (i = 0; i < 3; i++) {
		change_flatten(fo, json_object_get(old, tables[i]), tables[i]);
		change_flatten(fn, json_object_get(new, tables[i]), tables[i]);
	}
	cells = json_array();
	/* jansson keeps insertion order: the record's own cell order */
	json_object_foreach(fn, k, v) {
		ov = json_object_get(fo, k);
		if (change_cell_equal(ov, v))
			continue;
		if (json_array_size(cells) >= max) {
			more++;
			continue;
		}
		json_array_append_new(cells, json_pack("{s:s,s:o,s:o}", "key",
		    k, "from", change_cell_text(ov), "to",
		    change_cell_text(v)));
	}
	json_object_foreach(fo, k, v) {
		if (json_object_get(fn, k) != NULL)
			continue;
		if (json_array_size(cells) >= max) {
			more++;
			continue;
		}
		json_array_append_new(cells, json_pack("{s:s,s:o,s:o}", "key",
		    k, "from", change_cell_text(v), "to",
		    json_string("(absent)")));
	}
	json_decref(fo);
	json_decref(fn);

	secs = json_array();
	json_array_foreach(json_object_get(new, "sections"), i, s) {
		os = json_array_get(json_object_get(old, "sections"), i);
		if (os != NULL && json_equal(json_object_get(os, "text"),
		    json_object_get(s, "text")))
			continue;
		json_array_append_new(secs, json_pack("{s:O?}", "name",
		    json_object_get(s, "name")));
	}

	fo = change_failing(old);
	fn = change_failing(new);
	an = change_set_minus(fn, fo);
	ao = change_set_minus(fo, fn);
	json_decref(fo);
	json_decref(fn);
	out = json_pack("{s:o,s:I,s:o,s:o,s:o}", "cells", cells,
	    "cells_more", (json_int_t)more, "sections", secs,
	    "findings_appeared", an, "findings_vanished", ao);
out:
	json_decref(old);
	json_decref(new);
	return out;
}

char *
change_line(json_t *sum)
{
	struct buf b;
	json_t *c, *s;
	size_t i;
	json_int_t more;

	buf_init(&b, 4096);
	json_array_foreach(json_object_get(sum, "cells"), i, c) {
		if (i > 0)
			buf_adds(&b, "; ");
		buf_addf(&b, "%s: %s → %s",
		    json_string_value(json_object_get(c, "key")),
		    json_string_value(json_object_get(c, "from")),
		    json_string_value(json_object_get(c, "to")));
	}
	more = json_integer_value(json_object_get(sum, "cells_more"));
	if (more > 0)
		buf_addf(&b, "; %lld more", (long long)more);
	json_array_foreach(json_object_get(sum, "sections"), i, s) {
		buf_addf(&b, "%s%s text", b.len ? "; " : "",
		    json_string_value(json_object_get(s, "name")) ?
		    json_string_value(json_object_get(s, "name")) : "?");
	}
	json_array_foreach(json_object_get(sum, "findings_appeared"), i, s)
		buf_addf(&b, "%s+%s", b.len ? "; " : "",
		    json_string_value(json_object_get(s, "id")));
	json_array_foreach(json_object_get(sum, "findings_vanished"), i, s)
		buf_addf(&b, "%s-%s", b.len ? "; " : "",
		    json_string_value(json_object_get(s, "id")));
	if (b.len == 0)
		buf_adds(&b, "metadata only");
	return buf_detach(&b);
}
