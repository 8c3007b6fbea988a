/*
 * Content-addressed blobs: the bytes of every body fetched, and the
 * records of report versions, keyed by SHA-256 and compressed with zstd.
 * Level 6 keeps a Word-exported report page near 5 % of its size (the
 * target is 15 %) at a fraction of the CPU of the high levels; only new
 * content is ever compressed, so the cost is per change, not per check.
 * Reading trusts nothing in the row: the sizes must agree with the zstd
 * frame and the SHA-256 of the result with the key, so a corrupt blob is
 * an error naming the blob, never a crash or a huge allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zstd.h>

#include "db.h"
#include "store.h"
#include "xmalloc.h"

#define BLOB_LEVEL	6
#define BLOB_RAW	0
#define BLOB_ZSTD	1

static void
blob_sha256(const void *data, size_t len, unsigned char md[32])
{
	unsigned int mdlen = 32;

	/* Fails only when libcrypto cannot allocate: as fatal as xmalloc. */
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		fatalx("EVP_Digest(sha256) failed");
}

static void
blob_hex(const unsigned char md[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0xf];
	}
	out[64] = '\0';
}

static int
blob_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 64 hex digits to 32 bytes; -1 if hex is anything else. */
static int
blob_unhex(const char *hex, unsigned char md[32])
{
	int i, hi, lo;

	if (hex == NULL || strlen(hex) != 64)
		return -1;
	for (i = 0; i < 32; i++) {
		hi = blob_nibble(hex[2 * i]);
		lo = blob_nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		md[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

void
store_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];

	blob_sha256(data, len, md);
	blob_hex(md, out);
}

/* The id of the blob with this SHA-256: 0, 1 if none, -1 on error. */
static int
blob_find_md(struct store *s, const unsigned char md[32], int64_t *id,
    char **cause)
{
	sqlite3_stmt *st;

	st = db_stmt(s, DB_BLOB_FIND, "SELECT id FROM blobs WHERE sha256 = ?",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, md, 32, SQLITE_STATIC);
	return db_step_int64(s, st, "find blob", id, cause);
}

int
blob_find(struct store *s, const char *digest, int64_t *id, char **cause)
{
	unsigned char md[32];

	if (blob_unhex(digest, md) != 0)
		return db_failx(s, cause, "bad digest \"%s\"",
		    digest != NULL ? digest : "(null)");
	return blob_find_md(s, md, id, cause);
}

int
blob_put_id(struct store *s, const void *data, size_t len, char digest[65],
    int64_t *id, char **cause)
{
	static const char empty[1] = "";
	unsigned char md[32];
	sqlite3_stmt *st;
	const void *stored;
	void *z = NULL;
	size_t zlen = 0, bound;
	int codec, rc;

	if (data == NULL)
		data = empty;
	blob_sha256(data, len, md);
	blob_hex(md, digest);
	rc = blob_find_md(s, md, id, cause);
	if (rc != 1)
		return rc;	/* already there (0), or an error */
	if (len > STORE_BLOB_MAX)
		return db_failx(s, cause, "blob %s: %zu bytes, more than the "
		    "limit of %d", digest, len, STORE_BLOB_MAX);

	stored = data;
	codec = BLOB_RAW;
	if (len > 0) {
		if (s->cctx == NULL)
			s->cctx = ZSTD_createCCtx();
		if (s->cctx == NULL)
			fatalx("ZSTD_createCCtx failed");
		bound = ZSTD_compressBound(len);
		z = xmalloc(bound);
		zlen = ZSTD_compressCCtx(s->cctx, z, bound, data, len,
		    BLOB_LEVEL);
		/* Keep the raw bytes when zstd does not make them smaller. */
		if (!ZSTD_isError(zlen) && zlen < len) {
			stored = z;
			codec = BLOB_ZSTD;
		} else
			zlen = len;
	}

	st = db_stmt(s, DB_BLOB_INSERT, "INSERT INTO blobs (sha256, size, "
	    "stored, codec, data) VALUES (?, ?, ?, ?, ?)", cause);
	if (st == NULL) {
		free(z);
		return -1;
	}
	sqlite3_bind_blob(st, 1, md, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)(codec == BLOB_RAW ? len :
	    zlen));
	sqlite3_bind_int(st, 4, codec);
	/* A NULL pointer would bind SQL NULL; an empty blob is not NULL. */
	sqlite3_bind_blob(st, 5, len > 0 ? stored : empty,
	    (int)(codec == BLOB_RAW ? len : zlen), SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, "insert blob", cause);
	else {
		*id = sqlite3_last_insert_rowid(s->db);
		rc = 0;
	}
	db_done(st);
	free(z);
	return rc;
}

int
store_blob_put(struct store *s, const void *data, size_t len,
    char digest[65], char **cause)
{
	int64_t id;

	return blob_put_id(s, data, len, digest, &id, cause);
}

int
blob_load(struct store *s, int64_t id, char **data, size_t *len,
    char **cause)
{
	unsigned char md[32], check[32];
	char hex[65];
	const void *p;
	sqlite3_stmt *st;
	sqlite3_int64 size;
	unsigned long long fsize;
	char *out = NULL;
	const char *why = NULL;
	size_t n, r;
	int rc, codec;

	*data = NULL;
	*len = 0;
	st = db_stmt(s, DB_BLOB_LOAD, "SELECT sha256, size, codec, data "
	    "FROM blobs WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		db_done(st);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		db_fail(s, "load blob", cause);
		db_done(st);
		return -1;
	}

	if (sqlite3_column_bytes(st, 0) != 32) {
		memset(md, 0, sizeof md);
		snprintf(hex, sizeof hex, "#%lld", (long long)id);
		why = "bad key";
		goto corrupt;
	}
	memcpy(md, sqlite3_column_blob(st, 0), 32);
	blob_hex(md, hex);
	size = sqlite3_column_int64(st, 1);
	codec = sqlite3_column_int(st, 2);
	p = sqlite3_column_blob(st, 3);
	n = (size_t)sqlite3_column_bytes(st, 3);
	if (size < 0 || size > STORE_BLOB_MAX) {
		why = "impossible size";
		goto corrupt;
	}
	/*
	 * Allocate only what both the row and the data agree on: a raw
	 * blob is its size, a zstd frame declares its content size, and the
	 * output buffer is exactly that, so zstd stops there whatever the
	 * rest of the frame claims.
	 */
	switch (codec) {
	case BLOB_RAW:
		if (n != (size_t)size) {
			why = "stored size differs from its size";
			goto corrupt;
		}
		out = xmalloc((size_t)size + 1);
		if (n > 0)
			memcpy(out, p, n);
		break;
	case BLOB_ZSTD:
		fsize = p != NULL ? ZSTD_getFrameContentSize(p, n) :
		    ZSTD_CONTENTSIZE_ERROR;
		if (fsize != (unsigned long long)size) {
			why = "not a zstd frame of its size";
			goto corrupt;
		}
		if (s->dctx == NULL)
			s->dctx = ZSTD_createDCtx();
		if (s->dctx == NULL)
			fatalx("ZSTD_createDCtx failed");
		out = xmalloc((size_t)size + 1);
		r = ZSTD_decompressDCtx(s->dctx, out, (size_t)size, p, n);
		if (ZSTD_isError(r) || r != (size_t)size) {
			why = ZSTD_isError(r) ? ZSTD_getErrorName(r) :
			    "short zstd frame";
			goto corrupt;
		}
		break;
	default:
		why = "unknown codec";
		goto corrupt;
	}
	blob_sha256(out, (size_t)size, check);
	if (memcmp(check, md, 32) != 0) {
		why = "content does not match its SHA-256";
		goto corrupt;
	}
	out[size] = '\0';
	db_done(st);
	*data = out;
	*len = (size_t)size;
	return 0;

corrupt:
	db_failx(s, cause, "blob %s is corrupt: %s", hex, why);
	db_done(st);
	free(out);
	return -1;
}

int
store_blob_get(struct store *s, const char *digest, char **data, size_t *len,
    char **cause)
{
	int64_t id;
	int rc;

	*data = NULL;
	*len = 0;
	rc = blob_find(s, digest, &id, cause);
	if (rc != 0)
		return rc;
	return blob_load(s, id, data, len, cause);
}
