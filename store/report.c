/*
 * Reports, one per (source, year), and their versions.  A version is
 * added only when the content digest changes (the caller decides); its
 * record JSON is kept as a blob, so it is compressed and verified like a
 * page, and an identical record shared by two versions is stored once.
 * With it go the record's failing findings (schema 3) and its export row
 * (version_flat), so that queries and exports need not read the record.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "db.h"
#include "store.h"
#include "util.h"
#include "xmalloc.h"

#define REPORT_COLUMNS	"r.id, s.name, r.agency, r.year, r.url, r.title, " \
	"r.first_seen, r.last_seen, r.absent, r.removed, r.versions, r.digest"
#define REPORT_FROM	" FROM reports r JOIN sources s ON s.id = r.source_id"

static void
report_fill(sqlite3_stmt *st, struct store_report *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->source_id = db_column_strdup(st, 1);
	r->agency = db_column_strdup(st, 2);
	r->year = sqlite3_column_int(st, 3);
	r->url = db_column_strdup(st, 4);
	r->title = db_column_strdup(st, 5);
	r->first_seen = sqlite3_column_int64(st, 6);
	r->last_seen = sqlite3_column_int64(st, 7);
	r->absent = sqlite3_column_int(st, 8);
	r->removed = sqlite3_column_int(st, 9);
	r->versions = sqlite3_column_int(st, 10);
	r->digest = db_column_strdup(st, 11);
}

/* Steps a bound report query once: 0 and *r, 1 if no row, -1. */
static int
report_step(struct store *s, sqlite3_stmt *st, struct store_report *r,
    char **cause)
{
	int rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		report_fill(st, r);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "get report", cause);
	db_done(st);
	return rc;
}

int
store_report_get(struct store *s, const char *source_id, const char *agency,
    int year, struct store_report *r, char **cause)
{
	sqlite3_stmt *st;

	memset(r, 0, sizeof *r);
	st = db_stmt(s, DB_REPORT_GET, "SELECT " REPORT_COLUMNS REPORT_FROM
	    " WHERE s.name = ? AND r.agency = ? AND r.year = ?", cause);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, source_id);
	db_bind_text(st, 2, agency != NULL ? agency : "");
	sqlite3_bind_int(st, 3, year);
	return report_step(s, st, r, cause);
}

int
store_report_get_id(struct store *s, int64_t id, struct store_report *r,
    char **cause)
{
	sqlite3_stmt *st;

	memset(r, 0, sizeof *r);
	st = db_stmt(s, DB_REPORT_GET_ID, "SELECT " REPORT_COLUMNS REPORT_FROM
	    " WHERE r.id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return report_step(s, st, r, cause);
}

int
store_report_put(struct store *s, struct store_report *r, char **cause)
{
	sqlite3_stmt *st;
	int64_t source_id;
	int rc = 0;

	if (r->source_id == NULL || *r->source_id == '\0')
		return db_failx(s, cause, "report without a source");
	if (source_intern(s, r->source_id, &source_id, cause) != 0)
		return -1;
	if (r->id == 0)
		st = db_stmt(s, DB_REPORT_ADD, "INSERT INTO reports (source_id,"
		    " agency, year, url, title, first_seen, last_seen, absent,"
		    " removed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		    cause);
	else
		st = db_stmt(s, DB_REPORT_UPDATE, "UPDATE reports SET "
		    "source_id = ?1, agency = ?2, year = ?3, url = ?4, "
		    "title = ?5, first_seen = ?6, last_seen = ?7, absent = ?8, "
		    "removed = ?9 WHERE id = ?10", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, source_id);
	db_bind_text(st, 2, r->agency != NULL ? r->agency : "");
	sqlite3_bind_int(st, 3, r->year);
	db_bind_text(st, 4, r->url);
	db_bind_text(st, 5, r->title);
	sqlite3_bind_int64(st, 6, r->first_seen);
	sqlite3_bind_int64(st, 7, r->last_seen);
	sqlite3_bind_int(st, 8, r->absent);
	sqlite3_bind_int(st, 9, r->removed);
	if (r->id != 0)
		sqlite3_bind_int64(st, 10, r->id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(s, r->id == 0 ? "add report" : "update report",
		    cause);
	} else if (r->id == 0)
		r->id = sqlite3_last_insert_rowid(s->db);
	else if (sqlite3_changes(s->db) == 0)
		rc = db_failx(s, cause, "update report: no report %lld",
		    (long long)r->id);
	db_done(st);
	return rc;
}

void
store_report_release(struct store_report *r)
{
	if (r == NULL)
		return;
	free(r->source_id);
	free(r->agency);
	free(r->url);
	free(r->title);
	free(r->digest);
	memset(r, 0, sizeof *r);
}

int
store_reports_each(struct store *s, const char *source_id,
    int (*cb)(const struct store_report *, void *), void *arg, char **cause)
{
	struct store_report r;
	sqlite3_stmt *st;
	int rc, stop = 0;

	/* Not cached: the callback may use the store (see sources_each). */
	if (sqlite3_prepare_v2(s->db, "SELECT " REPORT_COLUMNS REPORT_FROM
	    " WHERE s.name = ? ORDER BY r.year", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "list reports", cause);
	db_bind_text(st, 1, source_id);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		memset(&r, 0, sizeof r);
		report_fill(st, &r);
		stop = cb(&r, arg);
		store_report_release(&r);
		if (stop)
			break;
	}
	if (!stop && rc != SQLITE_DONE) {
		db_fail(s, "list reports", cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * Writes the failing findings of a version's record into findings and
 * their error/warning count into versions.failing (schema 3).  A record
 * that is not JSON or has no findings array counts 0.  Versions are rare
 * (a content change), so the statements are prepared here, not cached.
 */
static int
report_findings_add(struct store *s, int64_t report_id, int n, json_t *rec,
    char **cause)
{
	sqlite3_stmt *st = NULL;
	json_t *f, *c;
	struct buf cells;
	const char *sev, *res, *rule;
	size_t i, j;
	int failing = 0, seq = 0, step, rc = -1;

	if (sqlite3_prepare_v2(s->db, "INSERT INTO findings (report_id, "
	    "number, seq, rule, severity, cells, message) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK) {
		db_fail(s, "add findings", cause);
		goto out;
	}
	json_array_foreach(json_object_get(rec, "findings"), i, f) {
		res = json_string_value(json_object_get(f, "result"));
		rule = json_string_value(json_object_get(f, "rule"));
		sev = json_string_value(json_object_get(f, "severity"));
		if (res == NULL || strcmp(res, "fail") != 0 || rule == NULL)
			continue;
		if (sev == NULL)
			sev = "info";
		if (strcmp(sev, "error") == 0 || strcmp(sev, "warning") == 0)
			failing++;
		buf_init(&cells, 0);
		json_array_foreach(json_object_get(f, "cells"), j, c) {
			if (!json_is_string(c))
				continue;
			if (cells.len > 0)
				buf_addc(&cells, ',');
			buf_adds(&cells, json_string_value(c));
		}
		sqlite3_bind_int64(st, 1, report_id);
		sqlite3_bind_int(st, 2, n);
		sqlite3_bind_int(st, 3, seq++);
		db_bind_text(st, 4, rule);
		db_bind_text(st, 5, sev);
		sqlite3_bind_text(st, 6, buf_str(&cells), -1,
		    SQLITE_TRANSIENT);
		db_bind_text(st, 7, json_string_value(json_object_get(f,
		    "message")));
		step = sqlite3_step(st);
		buf_release(&cells);
		if (step != SQLITE_DONE) {
			db_fail(s, "add findings", cause);
			goto out;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db, "UPDATE versions SET failing = ? "
	    "WHERE report_id = ? AND number = ?", -1, &st, NULL) !=
	    SQLITE_OK) {
		st = NULL;
		db_fail(s, "add findings", cause);
		goto out;
	}
	sqlite3_bind_int(st, 1, failing);
	sqlite3_bind_int64(st, 2, report_id);
	sqlite3_bind_int(st, 3, n);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(s, "add findings", cause);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/*
 * Export rows (schema: version_flat).  Every object under t2, t3 and t4 of
 * a record becomes one entry, in the record's order, so that the export's
 * lookup of a cell key (cmd_query.c query_cell) finds the same object in
 * a row as in the record: its layout (the keys) is stored once, the row
 * packs per entry one flags byte, then the kind spelled out if it is not
 * a usual one, the value (zigzag varint or 8-byte double) and the raw
 * text unless it is the value's digits.  Strings keep their NUL, so a
 * reader can point into the row.  Anything the row could not reproduce
 * byte for byte (a key with a dot, a kind or raw text that is not a
 * string, a meta field that is neither string nor null, deep nesting)
 * makes no row: export then reads the record, as for old versions.
 */
#define FLAT_KIND_MASK	0x07	/* 0 none, 1 spelled out, 2.. flat_kinds */
#define FLAT_VAL_SHIFT	3	/* STORE_FLAT_NONE, _INT, _REAL */
#define FLAT_RAW_SHIFT	5	/* 0 none, 1 spelled out, 2 ival's digits */
#define FLAT_DEPTH	8
#define FLAT_KEY_MAX	256

static const char *flat_kinds[] = { NULL, NULL, "number", "zero", "blank",
    "na", "text", "absent" };
#define FLAT_NKINDS	((int)(sizeof flat_kinds / sizeof flat_kinds[0]))

struct report_flat {
	struct buf	 keys;
	struct buf	 cells;
	int		 bad;
};

/* A JSON string that is a C string (no NUL inside), else NULL. */
static const char *
flat_string(json_t *v)
{
	const char *s = json_string_value(v);

	if (s == NULL || strlen(s) != json_string_length(v))
		return NULL;
	return s;
}

static void
flat_varint(struct buf *b, uint64_t v)
{
	unsigned char c;

	do {
		c = v & 0x7f;
		v >>= 7;
		if (v != 0)
			c |= 0x80;
		buf_addc(b, (char)c);
	} while (v != 0);
}

/* Packs the members export reads of the object o. */
static void
flat_pack_cell(struct report_flat *f, json_t *o)
{
	json_t *kind = json_object_get(o, "kind");
	json_t *raw = json_object_get(o, "raw");
	json_t *value = json_object_get(o, "value");
	const char *ks = NULL, *rs = NULL;
	char digits[24];
	double d;
	int k = 0, v = STORE_FLAT_NONE, r = 0;
	uint64_t u;
	int64_t i = 0;

	if (kind != NULL) {
		ks = flat_string(kind);
		if (ks == NULL) {
			f->bad = 1;
			return;
		}
		for (k = 2; k < FLAT_NKINDS; k++) {
			if (strcmp(ks, flat_kinds[k]) == 0)
				break;
		}
		if (k == FLAT_NKINDS)
			k = 1;
	}
	if (json_is_integer(value)) {
		v = STORE_FLAT_INT;
		i = (int64_t)json_integer_value(value);
	} else if (json_is_real(value))
		v = STORE_FLAT_REAL;
	if (raw != NULL) {
		rs = flat_string(raw);
		if (rs == NULL) {
			f->bad = 1;
			return;
		}
		r = 1;
		if (v == STORE_FLAT_INT) {
			snprintf(digits, sizeof digits, "%lld", (long long)i);
			if (strcmp(digits, rs) == 0)
				r = 2;
		}
	}
	buf_addc(&f->cells, (char)(k | v << FLAT_VAL_SHIFT |
	    r << FLAT_RAW_SHIFT));
	if (k == 1)
		buf_add(&f->cells, ks, strlen(ks) + 1);
	if (v == STORE_FLAT_INT) {
		u = (uint64_t)i;
		flat_varint(&f->cells, (u << 1) ^ (i < 0 ? UINT64_MAX : 0));
	} else if (v == STORE_FLAT_REAL) {
		d = json_real_value(value);
		buf_add(&f->cells, &d, sizeof d);
	}
	if (r == 1)
		buf_add(&f->cells, rs, strlen(rs) + 1);
}

/* The object o at path (plen bytes of path) and every object below it. */
static void
flat_walk(struct report_flat *f, json_t *o, char *path, size_t plen,
    int depth)
{
	const char *key;
	json_t *v;
	size_t klen;

	if (f->keys.len > 0)
		buf_addc(&f->keys, '\n');
	buf_add(&f->keys, path, plen);
	flat_pack_cell(f, o);
	json_object_foreach(o, key, v) {
		if (f->bad)
			return;
		if (!json_is_object(v))
			continue;
		klen = strlen(key);
		if (depth >= FLAT_DEPTH || klen == 0 ||
		    strpbrk(key, ".\n") != NULL ||
		    plen + 1 + klen >= FLAT_KEY_MAX) {
			f->bad = 1;
			return;
		}
		path[plen] = '.';
		memcpy(path + plen + 1, key, klen);
		flat_walk(f, v, path, plen + 1 + klen, depth + 1);
	}
}

/* meta's field as a text parameter: 0, or -1 if neither string nor null. */
static int
flat_bind_meta(sqlite3_stmt *st, int i, json_t *meta, const char *name)
{
	json_t *v = json_object_get(meta, name);
	const char *s;

	if (v == NULL || json_is_null(v))
		return db_bind_text(st, i, NULL) == SQLITE_OK ? 0 : -1;
	s = flat_string(v);
	if (s == NULL)
		return -1;
	return db_bind_text(st, i, s) == SQLITE_OK ? 0 : -1;
}

/* The id of a layout, added if new. */
static int
flat_layout_id(struct store *s, const struct buf *keys, int64_t *id,
    char **cause)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT id FROM flat_layouts WHERE "
	    "keys = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "add export row", cause);
	sqlite3_bind_text(st, 1, buf_str(keys), (int)keys->len,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return db_fail(s, "add export row", cause);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO flat_layouts (keys) "
	    "VALUES (?)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, "add export row", cause);
	sqlite3_bind_text(st, 1, buf_str(keys), (int)keys->len,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, "add export row", cause);
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Writes version n's export row, unless its record cannot have one. */
static int
report_flat_add(struct store *s, int64_t report_id, int n, json_t *rec,
    char **cause)
{
	static const char *tables[] = { "t2", "t3", "t4" };
	struct report_flat f;
	sqlite3_stmt *st = NULL;
	json_t *meta, *t;
	char path[FLAT_KEY_MAX];
	int64_t layout = 0;
	size_t i;
	int rc = -1;

	if (!json_is_object(rec))
		return 0;
	memset(&f, 0, sizeof f);
	buf_init(&f.keys, 0);
	buf_init(&f.cells, 0);
	for (i = 0; i < sizeof tables / sizeof tables[0] && !f.bad; i++) {
		t = json_object_get(rec, tables[i]);
		if (!json_is_object(t))
			continue;
		memcpy(path, tables[i], 2);
		flat_walk(&f, t, path, 2, 1);
	}
	if (f.bad) {
		rc = 0;
		goto out;
	}
	if (flat_layout_id(s, &f.keys, &layout, cause) != 0)
		goto out;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO version_flat (report_id, "
	    "number, layout_id, region, level, published, format, cells) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK) {
		st = NULL;
		db_fail(s, "add export row", cause);
		goto out;
	}
	meta = json_object_get(rec, "meta");
	if (flat_bind_meta(st, 4, meta, "region") != 0 ||
	    flat_bind_meta(st, 5, meta, "level") != 0 ||
	    flat_bind_meta(st, 6, meta, "published") != 0 ||
	    flat_bind_meta(st, 7, meta, "format") != 0) {
		rc = 0;			/* export reads the record */
		goto out;
	}
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int(st, 2, n);
	sqlite3_bind_int64(st, 3, layout);
	sqlite3_bind_blob(st, 8, f.cells.data != NULL ? f.cells.data : "",
	    (int)f.cells.len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(s, "add export row", cause);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	buf_release(&f.keys);
	buf_release(&f.cells);
	return rc;
}

static int
flat_varint_get(const unsigned char *p, size_t len, size_t *pos,
    uint64_t *v)
{
	int shift;

	*v = 0;
	for (shift = 0; shift < 64; shift += 7) {
		if (*pos >= len)
			return -1;
		*v |= (uint64_t)(p[*pos] & 0x7f) << shift;
		(*pos)++;
		if ((p[*pos - 1] & 0x80) == 0)
			return 0;
	}
	return -1;
}

/* A NUL-terminated string at *pos, inside the row. */
static const char *
flat_string_get(const unsigned char *p, size_t len, size_t *pos)
{
	const unsigned char *nul;
	const char *s;

	if (*pos >= len)
		return NULL;
	nul = memchr(p + *pos, '\0', len - *pos);
	if (nul == NULL)
		return NULL;
	s = (const char *)p + *pos;
	*pos = (size_t)(nul - p) + 1;
	return s;
}

int
store_flat_cell_next(const unsigned char *p, size_t len, size_t *pos,
    struct store_flat_cell *c)
{
	uint64_t u;
	int k, r;

	memset(c, 0, sizeof *c);
	if (*pos >= len || (p[*pos] & 0x80) != 0)
		return -1;
	k = p[*pos] & FLAT_KIND_MASK;
	c->vtype = (p[*pos] >> FLAT_VAL_SHIFT) & 3;
	r = (p[*pos] >> FLAT_RAW_SHIFT) & 3;
	(*pos)++;
	if (c->vtype > STORE_FLAT_REAL || r > 2 ||
	    (r == 2 && c->vtype != STORE_FLAT_INT))
		return -1;
	if (k == 1) {
		c->kind = flat_string_get(p, len, pos);
		if (c->kind == NULL)
			return -1;
	} else if (k != 0)
		c->kind = flat_kinds[k];
	if (c->vtype == STORE_FLAT_INT) {
		if (flat_varint_get(p, len, pos, &u) != 0)
			return -1;
		c->ival = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	} else if (c->vtype == STORE_FLAT_REAL) {
		if (len - *pos < sizeof c->rval)
			return -1;
		memcpy(&c->rval, p + *pos, sizeof c->rval);
		*pos += sizeof c->rval;
	}
	if (r == 1) {
		c->raw = flat_string_get(p, len, pos);
		if (c->raw == NULL)
			return -1;
	} else if (r == 2)
		c->raw = util_digits(c->ival, c->num);
	return 0;
}

int
store_version_add(struct store *s, int64_t report_id, int64_t capture_id,
    const char *digest, const char *record_json, int64_t seen_at,
    int *number, char **cause)
{
	struct db_op op;
	sqlite3_stmt *st;
	json_t *rec;
	char record_digest[65];
	int64_t blob_id;
	int n = 0, rc, ok = 0;

	if (digest == NULL || record_json == NULL)
		return db_failx(s, cause, "version of report %lld without "
		    "digest or record", (long long)report_id);
	/* a record that is not JSON gets no findings and no export row */
	rec = json_loads(record_json, 0, NULL);
	if (db_op_begin(s, &op, cause) != 0) {
		json_decref(rec);
		return -1;
	}

	st = db_stmt(s, DB_REPORT_VERSIONS, "SELECT versions FROM reports "
	    "WHERE id = ?", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, report_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int(st, 0) + 1;
	else if (rc == SQLITE_DONE)
		db_failx(s, cause, "add version: no report %lld",
		    (long long)report_id);
	else
		db_fail(s, "add version", cause);
	db_done(st);
	if (rc != SQLITE_ROW)
		goto out;

	if (blob_put_id(s, record_json, strlen(record_json), record_digest,
	    &blob_id, cause) != 0)
		goto out;

	st = db_stmt(s, DB_VERSION_ADD, "INSERT INTO versions (report_id, "
	    "number, capture_id, digest, record_blob, seen_at) "
	    "VALUES (?, ?, ?, ?, ?, ?)", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int(st, 2, n);
	db_bind_id(st, 3, capture_id);
	db_bind_text(st, 4, digest);
	sqlite3_bind_int64(st, 5, blob_id);
	sqlite3_bind_int64(st, 6, seen_at);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		db_fail(s, "add version", cause);
	db_done(st);
	if (rc != SQLITE_DONE)
		goto out;
	if (report_findings_add(s, report_id, n, rec, cause) != 0)
		goto out;
	if (report_flat_add(s, report_id, n, rec, cause) != 0)
		goto out;

	st = db_stmt(s, DB_REPORT_SET_VERSION, "UPDATE reports SET "
	    "versions = ?, digest = ? WHERE id = ?", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int(st, 1, n);
	db_bind_text(st, 2, digest);
	sqlite3_bind_int64(st, 3, report_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		db_fail(s, "add version", cause);
	db_done(st);
	if (rc != SQLITE_DONE)
		goto out;
	ok = 1;

out:
	json_decref(rec);
	if (db_op_end(s, &op, ok, cause) != 0)
		return -1;
	if (!ok)
		return -1;
	if (number != NULL)
		*number = n;
	return 0;
}

int
store_version_record(struct store *s, int64_t report_id, int n,
    char **record_json, char **cause)
{
	sqlite3_stmt *st;
	int64_t blob_id = 0;
	size_t len;
	int rc;

	*record_json = NULL;
	if (n < 0)
		return 1;
	st = db_stmt(s, DB_VERSION_RECORD, "SELECT record_blob FROM versions "
	    "WHERE report_id = ?1 AND number = CASE ?2 WHEN 0 THEN "
	    "(SELECT max(number) FROM versions WHERE report_id = ?1) "
	    "ELSE ?2 END", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int(st, 2, n);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		blob_id = sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(s, "get version", cause);
	db_done(st);
	if (rc != 0)
		return rc;
	rc = blob_load(s, blob_id, record_json, &len, cause);
	if (rc == 1)
		return db_failx(s, cause, "version %d of report %lld: record "
		    "blob %lld missing", n, (long long)report_id,
		    (long long)blob_id);
	return rc;
}
