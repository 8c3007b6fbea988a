/*
 * Unit tests for the capture store (store/): opening, creating and
 * migrating a database file, blobs (round trip, dedup, compression of a
 * real report page, corruption), captures and the URL state, the cost of
 * a revisit on disk, sources, reports and versions, the events outbox,
 * transactions, read-only access and the integrity check.  Every test
 * works on a file in its own mkdtemp directory, since WAL, read-only opens
 * and file sizes do not exist for ":memory:".
 */
#include <sys/wait.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "store.h"
#include "util.h"

struct tmp {
	char	 dir[64];
	char	 path[128];
};

static void
tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/nianbao-store-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/nianbao.db", t->dir);
}

/* Removes the files a test can leave: the database, its WAL and index. */
static void
tmp_clean(struct tmp *t)
{
	static const char *names[] = {
		"a/b/nianbao.db", "a/b/nianbao.db-wal", "a/b/nianbao.db-shm",
		"a/b", "a", "nianbao.db", "nianbao.db-wal", "nianbao.db-shm"
	};
	char path[192];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", t->dir, names[i]);
		remove(path);
	}
	assert_int_equal(rmdir(t->dir), 0);
}

static struct store *
open_ok(const char *path, int flags)
{
	struct store *s;
	char *cause = NULL;

	s = store_open(path, flags, &cause);
	if (s == NULL)
		fail_msg("store_open %s: %s", path, cause);
	return s;
}

/* Runs SQL on the file behind the store's back (corruption, versions). */
static void
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *err = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

static int64_t
raw_count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
test_open_create_reopen(void **state)
{
	struct tmp t;
	struct store *s;
	char deep[256], *cause = NULL;

	tmp_make(&t);
	snprintf(deep, sizeof deep, "%s/a/b/nianbao.db", t.dir);

	/* Without STORE_CREATE a missing file is an error naming it. */
	assert_null(store_open(deep, 0, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, deep));
	free(cause);
	cause = NULL;

	/* STORE_CREATE makes the directories and the schema. */
	s = open_ok(deep, STORE_CREATE);
	assert_false(store_in_tx(s));
	store_close(s);
	assert_int_equal(raw_count(deep, "PRAGMA user_version"),
	    store_schema_version());
	assert_true(store_schema_version() >= 1);
	assert_int_equal(raw_count(deep, "SELECT count(*) FROM sqlite_master "
	    "WHERE name IN ('urls', 'blobs', 'captures', 'sources', "
	    "'reports', 'versions', 'events')"), 7);
	assert_int_equal(raw_count(deep, "SELECT count(*) FROM "
	    "pragma_journal_mode() WHERE journal_mode = 'wal'"), 1);

	/* Reopening an up-to-date file migrates nothing and loses nothing. */
	s = open_ok(deep, 0);
	assert_int_equal(store_check(s, &cause), 0);
	store_close(s);

	/* A file that predates the schema is migrated when opened. */
	raw_exec(t.path, "CREATE TABLE unrelated (x)");
	assert_int_equal(raw_count(t.path, "PRAGMA user_version"), 0);
	s = open_ok(t.path, 0);
	store_close(s);
	assert_int_equal(raw_count(t.path, "PRAGMA user_version"),
	    store_schema_version());
	assert_int_equal(raw_count(t.path, "SELECT count(*) FROM unrelated"),
	    0);

	/* ":memory:" works too. */
	s = open_ok(":memory:", 0);
	store_close(s);
	store_close(NULL);
	tmp_clean(&t);
}

static void
test_future_version_refused(void **state)
{
	struct tmp t;
	struct store *s;
	char *cause = NULL;

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	store_close(s);
	raw_exec(t.path, "PRAGMA user_version = 999");

	assert_null(store_open(t.path, 0, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "newer"));
	assert_non_null(strstr(cause, t.path));
	free(cause);
	cause = NULL;
	assert_null(store_open(t.path, STORE_RDONLY, &cause));
	assert_non_null(strstr(cause, "newer"));
	free(cause);
	cause = NULL;
	/* Refusing must not have touched it. */
	assert_int_equal(raw_count(t.path, "PRAGMA user_version"), 999);

	/* Another program's database is refused, not migrated. */
	raw_exec(t.path, "PRAGMA user_version = 0; "
	    "PRAGMA application_id = 42");
	assert_null(store_open(t.path, 0, &cause));
	assert_non_null(strstr(cause, "not a nianbao database"));
	free(cause);
	tmp_clean(&t);
}

static void
test_blob_roundtrip_dedup(void **state)
{
	struct tmp t;
	struct store *s;
	struct store_stats st;
	char d1[65], d2[65], d3[65], *data, *cause = NULL;
	unsigned char noise[4096];
	size_t len, i;
	uint32_t x = 2463534242u;

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);

	store_sha256_hex("abc", 3, d1);
	assert_string_equal(d1, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");

	assert_int_equal(store_blob_put(s, "hello, world", 12, d1, &cause), 0);
	assert_int_equal(store_blob_put(s, "hello, world", 12, d2, &cause), 0);
	assert_string_equal(d1, d2);
	assert_int_equal(store_stats(s, &st, &cause), 0);
	assert_int_equal(st.blobs, 1);
	assert_int_equal(st.blob_bytes, 12);

	assert_int_equal(store_blob_get(s, d1, &data, &len, &cause), 0);
	assert_int_equal(len, 12);
	assert_memory_equal(data, "hello, world", 12);
	assert_int_equal(data[len], '\0');
	free(data);

	/* Empty bodies exist (204, empty files). */
	assert_int_equal(store_blob_put(s, "", 0, d3, &cause), 0);
	assert_int_equal(store_blob_get(s, d3, &data, &len, &cause), 0);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);

	/* Noise does not compress: stored raw, and still round-trips. */
	for (i = 0; i < sizeof noise; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		noise[i] = (unsigned char)x;
	}
	assert_int_equal(store_blob_put(s, noise, sizeof noise, d3, &cause),
	    0);
	assert_int_equal(raw_count(t.path, "SELECT codec = 0 AND stored = size "
	    "FROM blobs WHERE size = 4096"), 1);
	assert_int_equal(store_blob_get(s, d3, &data, &len, &cause), 0);
	assert_int_equal(len, sizeof noise);
	assert_memory_equal(data, noise, sizeof noise);
	free(data);

	/* Unknown and malformed digests. */
	store_sha256_hex("never stored", 12, d3);
	assert_int_equal(store_blob_get(s, d3, &data, &len, &cause), 1);
	assert_null(data);
	assert_int_equal(store_blob_get(s, "xyz", &data, &len, &cause), -1);
	assert_non_null(cause);
	free(cause);
	store_close(s);
	tmp_clean(&t);
}

static void
test_blob_compression_ratio(void **state)
{
	struct tmp t;
	struct store *s;
	struct store_stats st;
	char digest[65], *page, *data, *cause = NULL;
	size_t len, got;

	if (util_read_file(SRC_DIR "/tests/data/html/wordhtml_2021.html",
	    1 << 24, &page, &len, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(len > 100000);
	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	assert_int_equal(store_blob_put(s, page, len, digest, &cause), 0);
	assert_int_equal(store_stats(s, &st, &cause), 0);
	assert_int_equal(st.blob_bytes, (int64_t)len);
	/* The design's budget: a stored report page <= 15 % of its size. */
	assert_true(st.blob_stored * 100 <= st.blob_bytes * 15);
	assert_true(st.blob_stored > 0);
	assert_int_equal(store_blob_get(s, digest, &data, &got, &cause), 0);
	assert_int_equal(got, len);
	assert_memory_equal(data, page, len);
	free(data);
	free(page);
	store_close(s);
	tmp_clean(&t);
}

static void
test_blob_corrupt(void **state)
{
	struct tmp t;
	struct store *s;
	char d1[65], d2[65], *data, *cause = NULL;
	char text[2000];
	size_t len, i;

	for (i = 0; i < sizeof text; i++)
		text[i] = "政府信息公开 annual report "[i % 20];
	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	assert_int_equal(store_blob_put(s, text, sizeof text, d1, &cause), 0);
	assert_int_equal(store_blob_put(s, "short raw", 9, d2, &cause), 0);
	store_close(s);
	assert_int_equal(raw_count(t.path, "SELECT codec FROM blobs "
	    "WHERE size = 2000"), 1);

	/* Garbage in a compressed blob's data. */
	raw_exec(t.path, "UPDATE blobs SET data = randomblob(stored) "
	    "WHERE size = 2000");
	s = open_ok(t.path, 0);
	assert_int_equal(store_blob_get(s, d1, &data, &len, &cause), -1);
	assert_null(data);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "corrupt"));
	assert_non_null(strstr(cause, d1));
	free(cause);
	cause = NULL;

	/* A size that would make the reader allocate without bound. */
	raw_exec(t.path, "UPDATE blobs SET size = 1 << 40 WHERE stored > 100");
	assert_int_equal(store_blob_get(s, d1, &data, &len, &cause), -1);
	assert_non_null(strstr(cause, "corrupt"));
	free(cause);
	cause = NULL;

	/* Raw bytes changed in place: the SHA-256 no longer matches. */
	raw_exec(t.path, "UPDATE blobs SET data = CAST('short rAw' AS BLOB) "
	    "WHERE size = 9");
	assert_int_equal(store_blob_get(s, d2, &data, &len, &cause), -1);
	assert_non_null(strstr(cause, "SHA-256"));
	free(cause);
	cause = NULL;

	/* An unknown codec. */
	raw_exec(t.path, "UPDATE blobs SET codec = 7, "
	    "data = CAST('short raw' AS BLOB) WHERE size = 9");
	assert_int_equal(store_blob_get(s, d2, &data, &len, &cause), -1);
	assert_non_null(strstr(cause, "codec"));
	free(cause);
	store_close(s);
	tmp_clean(&t);
}

static void
test_capture_url_state(void **state)
{
	struct tmp t;
	struct store *s;
	struct store_capture c;
	struct store_url u;
	struct store_stats st;
	char d1[65], d2[65], *cause = NULL;
	const char *url = "http://www.example.gov.cn/col/nb/index.html";

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	assert_int_equal(store_url_get(s, url, &u, &cause), 1);

	assert_int_equal(store_blob_put(s, "<html>v1</html>", 15, d1, &cause),
	    0);
	memset(&c, 0, sizeof c);
	c.source_id = "yiyuan-gov";
	c.url = url;
	c.kind = "listing";
	c.fetched_at = 1700000000000LL;
	c.status = 200;
	c.content_type = "text/html; charset=utf-8";
	c.etag = "\"v1\"";
	c.last_modified = "Tue, 14 Nov 2023 22:13:20 GMT";
	c.headers = "server: nginx\n";
	c.digest = d1;
	c.size = 15;
	c.wire_bytes = 400;
	c.total_ms = 35;
	assert_int_equal(store_capture_add(s, &c, &cause), 0);
	assert_true(c.id > 0);
	assert_int_equal(c.revisit, 0);
	assert_int_equal(store_url_get(s, url, &u, &cause), 0);
	assert_string_equal(u.etag, "\"v1\"");
	assert_string_equal(u.last_modified, "Tue, 14 Nov 2023 22:13:20 GMT");
	assert_string_equal(u.digest, d1);
	assert_int_equal(u.last_fetched, 1700000000000LL);
	assert_int_equal(u.last_status, 200);
	store_url_release(&u);

	/* Same bytes again: a revisit, even if the caller did not say. */
	c.fetched_at += 1000;
	assert_int_equal(store_capture_add(s, &c, &cause), 0);
	assert_int_equal(c.revisit, 1);
	assert_int_equal(raw_count(t.path, "SELECT headers IS NULL AND "
	    "content_type IS NULL AND etag IS NULL AND blob_id IS NOT NULL "
	    "FROM captures ORDER BY id DESC LIMIT 1"), 1);

	/* A 304 without validators keeps the URL's. */
	memset(&c, 0, sizeof c);
	c.url = url;
	c.kind = "listing";
	c.fetched_at = 1700000002000LL;
	c.status = 304;
	assert_int_equal(store_capture_add(s, &c, &cause), 0);
	assert_int_equal(c.revisit, 1);
	assert_int_equal(store_url_get(s, url, &u, &cause), 0);
	assert_string_equal(u.etag, "\"v1\"");
	assert_string_equal(u.digest, d1);
	assert_int_equal(u.last_status, 304);
	store_url_release(&u);

	/* A failed fetch changes when, not what. */
	c.fetched_at = 1700000003000LL;
	c.status = 0;
	c.revisit = 0;
	c.error = "timeout";
	c.cause = "operation timed out after 60000 ms";
	assert_int_equal(store_capture_add(s, &c, &cause), 0);
	assert_int_equal(c.revisit, 0);
	assert_int_equal(store_url_get(s, url, &u, &cause), 0);
	assert_string_equal(u.etag, "\"v1\"");
	assert_string_equal(u.digest, d1);
	assert_int_equal(u.last_status, 0);
	assert_int_equal(u.last_fetched, 1700000003000LL);
	store_url_release(&u);

	/* New content without validators replaces them all. */
	assert_int_equal(store_blob_put(s, "<html>v2</html>", 15, d2, &cause),
	    0);
	memset(&c, 0, sizeof c);
	c.url = url;
	c.final_url = url;
	c.kind = "listing";
	c.fetched_at = 1700000004000LL;
	c.status = 200;
	c.digest = d2;
	assert_int_equal(store_capture_add(s, &c, &cause), 0);
	assert_int_equal(c.revisit, 0);
	assert_int_equal(store_url_get(s, url, &u, &cause), 0);
	assert_null(u.etag);
	assert_null(u.last_modified);
	assert_string_equal(u.digest, d2);
	store_url_release(&u);

	/* A body that was never stored is the caller's bug, reported. */
	store_sha256_hex("missing", 7, d1);
	c.digest = d1;
	assert_int_equal(store_capture_add(s, &c, &cause), -1);
	assert_non_null(strstr(cause, d1));
	free(cause);
	cause = NULL;

	assert_int_equal(store_stats(s, &st, &cause), 0);
	assert_int_equal(st.captures, 5);
	assert_int_equal(st.revisits, 2);
	/* Other kinds and robots.txt without a source are fine. */
	memset(&c, 0, sizeof c);
	c.url = "http://www.example.gov.cn/robots.txt";
	c.kind = "robots";
	c.status = 404;
	assert_int_equal(store_capture_add(s, &c, &cause), 0);
	c.kind = "something-new";
	assert_int_equal(store_capture_add(s, &c, &cause), 0);
	assert_int_equal(store_check(s, &cause), 0);
	store_close(s);
	tmp_clean(&t);
}

static void
test_revisit_cost(void **state)
{
	struct tmp t;
	struct store *s;
	struct store_capture c;
	struct store_stats before, after;
	char digest[65], url[128], *page, *cause = NULL;
	size_t len;
	int i;

	if (util_read_file(SRC_DIR "/tests/data/html/wordhtml_2021.html",
	    1 << 24, &page, &len, &cause) != 0)
		fail_msg("%s", cause);
	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	assert_int_equal(store_blob_put(s, page, len, digest, &cause), 0);
	free(page);

	memset(&c, 0, sizeof c);
	c.source_id = "shandong-zibo-linzi-zfbgs";
	c.kind = "report";
	c.status = 200;
	c.content_type = "text/html; charset=utf-8";
	c.etag = "\"65a1f3c2-25b1d\"";
	c.last_modified = "Sat, 13 Jan 2024 02:11:30 GMT";
	c.headers = "server: nginx/1.22.1\ncontent-type: text/html\n"
	    "cache-control: max-age=600\n";
	c.digest = digest;
	c.size = (int64_t)len;
	c.wire_bytes = 30000;
	c.total_ms = 120;
	/* A few other URLs, so the one measured is not alone in its pages. */
	for (i = 0; i < 20; i++) {
		snprintf(url, sizeof url, "http://www.linzi.gov.cn/art/2024/1/"
		    "13/art_%d.html", i);
		c.url = url;
		c.fetched_at = 1700000000000LL + i;
		assert_int_equal(store_capture_add(s, &c, &cause), 0);
	}
	assert_int_equal(store_checkpoint(s, &cause), 0);
	assert_int_equal(store_stats(s, &before, &cause), 0);

	/* 1,000 unchanged re-checks of one URL, committed in batches. */
	c.url = "http://www.linzi.gov.cn/art/2024/1/13/art_7.html";
	for (i = 0; i < 1000; i++) {
		if (i % 100 == 0)
			assert_int_equal(store_begin(s, &cause), 0);
		c.fetched_at = 1700000100000LL + (int64_t)i * 21600000;
		c.status = (i % 2) ? 304 : 200;
		c.revisit = 0;
		c.wire_bytes = (i % 2) ? 250 : 30000;
		assert_int_equal(store_capture_add(s, &c, &cause), 0);
		assert_int_equal(c.revisit, 1);
		if (i % 100 == 99)
			assert_int_equal(store_commit(s, &cause), 0);
	}
	assert_int_equal(store_checkpoint(s, &cause), 0);
	assert_int_equal(store_stats(s, &after, &cause), 0);
	assert_int_equal(after.revisits - before.revisits, 1000);
	/* WAL truncated: file_bytes is the main file alone. */
	print_message("1000 revisits: %lld bytes\n",
	    (long long)(after.file_bytes - before.file_bytes));
	assert_true(after.file_bytes - before.file_bytes <= 1000 * 200);
	assert_true(after.file_bytes > before.file_bytes);
	assert_int_equal(after.blobs, 1);
	store_close(s);
	tmp_clean(&t);
}

struct collect {
	char	 ids[8][32];
	int	 n;
	int	 stop_at;
};

static int
collect_source(const struct store_source *src, void *arg)
{
	struct collect *co = arg;

	snprintf(co->ids[co->n], sizeof co->ids[0], "%s", src->id);
	co->n++;
	return co->n == co->stop_at;
}

static void
test_sources(void **state)
{
	struct tmp t;
	struct store *s;
	struct store_source src, got;
	struct store_capture c;
	struct collect co;
	char *cause = NULL;

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	assert_int_equal(store_source_get(s, "b", &got, &cause), 1);

	memset(&src, 0, sizeof src);
	src.id = "b";
	src.last_check = 10;
	src.last_ok = 9;
	src.next_due = 20;
	src.last_error = "timeout";
	src.failures = 2;
	src.failing = 1;
	src.checks = 5;
	assert_int_equal(store_source_put(s, &src, &cause), 0);
	src.id = "a";
	src.last_error = NULL;
	assert_int_equal(store_source_put(s, &src, &cause), 0);
	assert_int_equal(store_source_get(s, "b", &got, &cause), 0);
	assert_string_equal(got.id, "b");
	assert_int_equal(got.last_check, 10);
	assert_int_equal(got.last_ok, 9);
	assert_int_equal(got.next_due, 20);
	assert_string_equal(got.last_error, "timeout");
	assert_int_equal(got.failures, 2);
	assert_int_equal(got.failing, 1);
	assert_int_equal(got.checks, 5);
	store_source_release(&got);

	/* Replace by id. */
	src.id = "b";
	src.failures = 0;
	src.failing = 0;
	src.checks = 6;
	assert_int_equal(store_source_put(s, &src, &cause), 0);
	assert_int_equal(store_source_get(s, "b", &got, &cause), 0);
	assert_null(got.last_error);
	assert_int_equal(got.checks, 6);
	assert_int_equal(got.failing, 0);
	store_source_release(&got);

	/* A source only mentioned by a capture has no check state. */
	memset(&c, 0, sizeof c);
	c.source_id = "c";
	c.url = "http://c.example/";
	c.status = 200;
	assert_int_equal(store_capture_add(s, &c, &cause), 0);
	assert_int_equal(store_source_get(s, "c", &got, &cause), 1);

	memset(&co, 0, sizeof co);
	assert_int_equal(store_sources_each(s, collect_source, &co, &cause),
	    0);
	assert_int_equal(co.n, 2);
	assert_string_equal(co.ids[0], "a");
	assert_string_equal(co.ids[1], "b");
	memset(&co, 0, sizeof co);
	co.stop_at = 1;
	assert_int_equal(store_sources_each(s, collect_source, &co, &cause),
	    0);
	assert_int_equal(co.n, 1);

	src.id = NULL;
	assert_int_equal(store_source_put(s, &src, &cause), -1);
	free(cause);
	store_close(s);
	tmp_clean(&t);
}

static int
collect_report(const struct store_report *r, void *arg)
{
	struct collect *co = arg;

	snprintf(co->ids[co->n], sizeof co->ids[0], "%d", r->year);
	co->n++;
	return co->n == co->stop_at;
}

static void
test_reports_versions(void **state)
{
	struct tmp t;
	struct store *s;
	struct store_report r, got;
	struct collect co;
	char *json, *cause = NULL;
	int n;

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	assert_int_equal(store_report_get(s, "linzi", "临淄区人民政府办公室", 2024, &got,
	    &cause), 1);

	memset(&r, 0, sizeof r);
	r.source_id = "linzi";
	r.agency = "临淄区人民政府办公室";
	r.year = 2024;
	r.url = "http://www.linzi.gov.cn/art/2025/1/20/art_1.html";
	r.title = "临淄区人民政府办公室2024年政府信息公开工作年度报告";
	r.first_seen = 100;
	r.last_seen = 100;
	assert_int_equal(store_report_put(s, &r, &cause), 0);
	assert_true(r.id > 0);
	r.id = 0;
	r.year = 2023;
	assert_int_equal(store_report_put(s, &r, &cause), 0);

	/* UNIQUE (source, agency, year). */
	r.id = 0;
	r.year = 2024;
	assert_int_equal(store_report_put(s, &r, &cause), -1);
	assert_non_null(strstr(cause, "UNIQUE"));
	free(cause);
	cause = NULL;
	/* another agency's report on the same listing, same year */
	r.id = 0;
	r.agency = "临淄区朱台镇人民政府";
	assert_int_equal(store_report_put(s, &r, &cause), 0);
	assert_int_equal(store_report_get(s, "linzi", "临淄区朱台镇人民政府",
	    2024, &got, &cause), 0);
	assert_true(got.id == r.id);
	store_report_release(&got);
	r.agency = "临淄区人民政府办公室";

	assert_int_equal(store_report_get(s, "linzi", "临淄区人民政府办公室", 2024, &got,
	    &cause), 0);
	assert_string_equal(got.source_id, "linzi");
	assert_string_equal(got.agency, "临淄区人民政府办公室");
	assert_string_equal(got.title, r.title);
	assert_int_equal(got.versions, 0);
	assert_null(got.digest);
	r.id = got.id;
	store_report_release(&got);

	/* Update everything but versions/digest. */
	r.last_seen = 200;
	r.absent = 2;
	r.removed = 1;
	assert_int_equal(store_report_put(s, &r, &cause), 0);
	assert_int_equal(store_report_get_id(s, r.id, &got, &cause), 0);
	assert_int_equal(got.year, 2024);
	assert_int_equal(got.first_seen, 100);
	assert_int_equal(got.last_seen, 200);
	assert_int_equal(got.absent, 2);
	assert_int_equal(got.removed, 1);
	store_report_release(&got);
	assert_int_equal(store_report_get_id(s, 9999, &got, &cause), 1);

	/* Versions 1, 2, 3 and their records. */
	assert_int_equal(store_version_record(s, r.id, 0, &json, &cause), 1);
	assert_int_equal(store_version_add(s, r.id, 0, "d1",
	    "{\"t3\":{\"total\":{\"new\":12}}}", 300, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_version_add(s, r.id, 0, "d2",
	    "{\"t3\":{\"total\":{\"new\":13}}}", 400, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_version_add(s, r.id, 0, "d3",
	    "{\"t3\":{\"total\":{\"new\":12}}}", 500, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_report_get_id(s, r.id, &got, &cause), 0);
	assert_int_equal(got.versions, 3);
	assert_string_equal(got.digest, "d3");
	store_report_release(&got);

	assert_int_equal(store_version_record(s, r.id, 2, &json, &cause), 0);
	assert_string_equal(json, "{\"t3\":{\"total\":{\"new\":13}}}");
	free(json);
	assert_int_equal(store_version_record(s, r.id, 0, &json, &cause), 0);
	assert_string_equal(json, "{\"t3\":{\"total\":{\"new\":12}}}");
	free(json);
	assert_int_equal(store_version_record(s, r.id, 4, &json, &cause), 1);
	assert_null(json);
	/* Records 1 and 3 are the same bytes: one blob. */
	assert_int_equal(raw_count(t.path, "SELECT count(*) FROM blobs"), 2);

	assert_int_equal(store_version_add(s, 9999, 0, "dx", "{}", 1, &n,
	    &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;

	memset(&co, 0, sizeof co);
	assert_int_equal(store_reports_each(s, "linzi", collect_report, &co,
	    &cause), 0);
	assert_int_equal(co.n, 3);	/* two agencies report for 2024 */
	assert_string_equal(co.ids[0], "2023");
	assert_string_equal(co.ids[1], "2024");
	assert_string_equal(co.ids[2], "2024");
	memset(&co, 0, sizeof co);
	assert_int_equal(store_reports_each(s, "nobody", collect_report, &co,
	    &cause), 0);
	assert_int_equal(co.n, 0);
	assert_int_equal(store_check(s, &cause), 0);
	store_close(s);
	tmp_clean(&t);
}

struct events {
	int64_t	 ids[8];
	char	 keys[8][32];
	char	 sources[8][16];
	int	 n;
};

static int
collect_event(const struct store_event *e, void *arg)
{
	struct events *ev = arg;

	ev->ids[ev->n] = e->id;
	snprintf(ev->keys[ev->n], sizeof ev->keys[0], "%s", e->key);
	snprintf(ev->sources[ev->n], sizeof ev->sources[0], "%s",
	    e->source_id != NULL ? e->source_id : "-");
	ev->n++;
	return 0;
}

static void
test_events(void **state)
{
	struct tmp t;
	struct store *s;
	struct store_event e;
	struct store_stats st;
	struct events ev;
	char *cause = NULL;
	int64_t first;

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	memset(&e, 0, sizeof e);
	e.type = "report.new";
	e.source_id = "linzi";
	e.key = "report.new:linzi:2024:1";
	e.payload = "{\"year\":2024}";
	e.created = 1000;
	assert_int_equal(store_event_add(s, &e, &cause), 0);
	assert_true(e.id > 0);
	first = e.id;

	/* The same key again (a restart redoing work): nothing added. */
	e.id = 0;
	e.payload = "{\"year\":2024,\"again\":true}";
	assert_int_equal(store_event_add(s, &e, &cause), 1);
	assert_int_equal(e.id, first);
	assert_int_equal(store_stats(s, &st, &cause), 0);
	assert_int_equal(st.events, 1);

	e.type = "source.failing";
	e.key = "source.failing:yiyuan:1";
	e.source_id = "yiyuan";
	assert_int_equal(store_event_add(s, &e, &cause), 0);
	e.type = "report.missing";
	e.key = "report.missing:x:2024";
	e.source_id = NULL;
	assert_int_equal(store_event_add(s, &e, &cause), 0);

	memset(&ev, 0, sizeof ev);
	assert_int_equal(store_events_each(s, 0, 0, collect_event, &ev,
	    &cause), 0);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.keys[0], "report.new:linzi:2024:1");
	assert_string_equal(ev.sources[0], "linzi");
	assert_string_equal(ev.sources[1], "yiyuan");
	assert_string_equal(ev.sources[2], "-");
	assert_true(ev.ids[0] < ev.ids[1] && ev.ids[1] < ev.ids[2]);
	memset(&ev, 0, sizeof ev);
	assert_int_equal(store_events_each(s, first, 1, collect_event, &ev,
	    &cause), 0);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.keys[0], "source.failing:yiyuan:1");
	/* The first payload stays: a redelivery never rewrites an event. */
	assert_int_equal(raw_count(t.path, "SELECT count(*) FROM events WHERE "
	    "key = 'report.new:linzi:2024:1' AND payload = '{\"year\":2024}'"),
	    1);

	e.key = NULL;
	assert_int_equal(store_event_add(s, &e, &cause), -1);
	free(cause);
	store_close(s);
	tmp_clean(&t);
}

static void
test_rollback(void **state)
{
	struct tmp t;
	struct store *s;
	struct store_source src;
	struct store_report r;
	struct store_event e;
	struct store_capture c;
	struct store_stats st;
	struct store_url u;
	char digest[65], *cause = NULL;
	int n;

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	assert_int_equal(store_begin(s, &cause), 0);
	assert_true(store_in_tx(s));
	assert_int_equal(store_begin(s, &cause), -1);	/* no nesting */
	free(cause);
	cause = NULL;

	memset(&src, 0, sizeof src);
	src.id = "linzi";
	assert_int_equal(store_source_put(s, &src, &cause), 0);
	assert_int_equal(store_blob_put(s, "body", 4, digest, &cause), 0);
	memset(&c, 0, sizeof c);
	c.url = "http://x.example/";
	c.source_id = "linzi";
	c.status = 200;
	c.digest = digest;
	assert_int_equal(store_capture_add(s, &c, &cause), 0);
	memset(&r, 0, sizeof r);
	r.source_id = "linzi";
	r.year = 2024;
	assert_int_equal(store_report_put(s, &r, &cause), 0);
	assert_int_equal(store_version_add(s, r.id, c.id, "d", "{}", 1, &n,
	    &cause), 0);
	memset(&e, 0, sizeof e);
	e.type = "report.new";
	e.key = "k";
	e.report_id = r.id;
	assert_int_equal(store_event_add(s, &e, &cause), 0);
	/* A failing operation inside the batch undoes only itself. */
	assert_int_equal(store_version_add(s, 9999, 0, "d", "{}", 1, &n,
	    &cause), -1);
	free(cause);
	cause = NULL;
	assert_true(store_in_tx(s));
	assert_int_equal(store_stats(s, &st, &cause), 0);
	assert_int_equal(st.versions, 1);

	assert_int_equal(store_rollback(s), 0);
	assert_false(store_in_tx(s));
	assert_int_equal(store_stats(s, &st, &cause), 0);
	assert_int_equal(st.captures, 0);
	assert_int_equal(st.blobs, 0);
	assert_int_equal(st.reports, 0);
	assert_int_equal(st.versions, 0);
	assert_int_equal(st.events, 0);
	assert_int_equal(store_source_get(s, "linzi", &src, &cause), 1);
	assert_int_equal(store_url_get(s, "http://x.example/", &u, &cause), 1);
	assert_int_equal(store_commit(s, &cause), -1);	/* none open */
	free(cause);
	cause = NULL;

	/* The report is gone, so is the event's reference. */
	assert_int_equal(store_event_add(s, &e, &cause), -1);
	assert_non_null(strstr(cause, "FOREIGN KEY"));
	free(cause);
	cause = NULL;

	/* And commit keeps it all. */
	e.report_id = 0;
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_event_add(s, &e, &cause), 0);
	assert_int_equal(store_commit(s, &cause), 0);
	assert_int_equal(store_stats(s, &st, &cause), 0);
	assert_int_equal(st.events, 1);
	store_close(s);
	tmp_clean(&t);
}

static void
test_read_only(void **state)
{
	struct tmp t;
	struct store *w, *r;
	struct store_source src, got;
	struct store_event e;
	char digest[65], *cause = NULL;

	tmp_make(&t);
	assert_null(store_open(t.path, STORE_RDONLY, &cause));
	assert_non_null(strstr(cause, t.path));
	free(cause);
	cause = NULL;

	w = open_ok(t.path, STORE_CREATE);
	memset(&src, 0, sizeof src);
	src.id = "linzi";
	src.checks = 1;
	assert_int_equal(store_source_put(w, &src, &cause), 0);

	/* A reader beside the writer sees what is committed, when it is. */
	r = open_ok(t.path, STORE_RDONLY);
	assert_int_equal(store_source_get(r, "linzi", &got, &cause), 0);
	assert_int_equal(got.checks, 1);
	store_source_release(&got);
	assert_int_equal(store_begin(w, &cause), 0);
	src.checks = 2;
	assert_int_equal(store_source_put(w, &src, &cause), 0);
	assert_int_equal(store_source_get(r, "linzi", &got, &cause), 0);
	assert_int_equal(got.checks, 1);		/* not yet */
	store_source_release(&got);
	assert_int_equal(store_commit(w, &cause), 0);
	assert_int_equal(store_source_get(r, "linzi", &got, &cause), 0);
	assert_int_equal(got.checks, 2);
	store_source_release(&got);

	/* The reader cannot write. */
	assert_int_equal(store_source_put(r, &src, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(store_blob_put(r, "x", 1, digest, &cause), -1);
	free(cause);
	cause = NULL;
	memset(&e, 0, sizeof e);
	e.type = "report.new";
	e.key = "ro";
	assert_int_equal(store_event_add(r, &e, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(store_check(r, &cause), 0);
	store_close(r);
	store_close(w);

	/* And alone, after the writer has gone. */
	r = open_ok(t.path, STORE_RDONLY);
	assert_int_equal(store_source_get(r, "linzi", &got, &cause), 0);
	assert_int_equal(got.checks, 2);
	store_source_release(&got);
	store_close(r);
	assert_null(store_open(t.path, STORE_RDONLY | STORE_CREATE, &cause));
	free(cause);
	tmp_clean(&t);
}

static void
test_check_reports_problems(void **state)
{
	struct tmp t;
	struct store *s;
	char *cause = NULL;

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	assert_int_equal(store_check(s, &cause), 0);
	store_close(s);
	/* A capture of a URL that does not exist, written behind its back. */
	raw_exec(t.path, "PRAGMA foreign_keys = OFF; INSERT INTO captures "
	    "(url_id, fetched_at, status, revisit) VALUES (999, 1, 200, 0)");
	s = open_ok(t.path, 0);
	assert_int_equal(store_check(s, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "captures"));
	assert_non_null(strstr(cause, t.path));
	free(cause);
	store_close(s);
	tmp_clean(&t);
}

/*
 * The CLI reads while nianbaod writes: another process holds a write
 * transaction open, the reader still answers (from the last commit), and
 * sees the commit once it is made.
 */
static void
test_read_only_other_process(void **state)
{
	struct tmp t;
	struct store *s, *r;
	struct store_source src, got;
	char c, *cause = NULL;
	int to_child[2], to_parent[2], status;
	pid_t pid;

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	memset(&src, 0, sizeof src);
	src.id = "yiyuan";
	src.checks = 1;
	assert_int_equal(store_source_put(s, &src, &cause), 0);
	store_close(s);

	assert_int_equal(pipe(to_child), 0);
	assert_int_equal(pipe(to_parent), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The writer: no cmocka asserts here, only an exit code. */
		s = store_open(t.path, 0, NULL);
		if (s == NULL || store_begin(s, NULL) != 0)
			_exit(1);
		src.checks = 2;
		if (store_source_put(s, &src, NULL) != 0)
			_exit(2);
		if (write(to_parent[1], "w", 1) != 1)
			_exit(3);
		if (read(to_child[0], &c, 1) != 1)
			_exit(4);
		if (store_commit(s, NULL) != 0)
			_exit(5);
		store_close(s);
		_exit(0);
	}
	assert_int_equal(read(to_parent[0], &c, 1), 1);
	r = open_ok(t.path, STORE_RDONLY);
	assert_int_equal(store_source_get(r, "yiyuan", &got, &cause), 0);
	assert_int_equal(got.checks, 1);
	store_source_release(&got);
	assert_int_equal(write(to_child[1], "c", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(store_source_get(r, "yiyuan", &got, &cause), 0);
	assert_int_equal(got.checks, 2);
	store_source_release(&got);
	store_close(r);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	tmp_clean(&t);
}

static void
test_derived_cache(void **state)
{
	struct tmp t;
	struct store *s;
	char *data, *cause = NULL;
	size_t len;

	tmp_make(&t);
	s = open_ok(t.path, STORE_CREATE);
	assert_int_equal(store_derived_get(s, "links1:abc", &data, &len,
	    &cause), 1);
	assert_null(data);
	assert_int_equal(store_derived_put(s, "links1:abc", "[1,2]", 5,
	    &cause), 0);
	assert_int_equal(store_derived_get(s, "links1:abc", &data, &len,
	    &cause), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(data, "[1,2]", 5);
	free(data);
	/* put replaces */
	assert_int_equal(store_derived_put(s, "links1:abc", "[]", 2, &cause),
	    0);
	assert_int_equal(store_derived_get(s, "links1:abc", &data, &len,
	    &cause), 0);
	assert_int_equal(len, 2);
	free(data);
	assert_int_equal(raw_count(t.path, "SELECT count(*) FROM derived"), 1);
	assert_int_equal(store_check(s, &cause), 0);
	store_close(s);
	tmp_clean(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_create_reopen),
		cmocka_unit_test(test_future_version_refused),
		cmocka_unit_test(test_blob_roundtrip_dedup),
		cmocka_unit_test(test_blob_compression_ratio),
		cmocka_unit_test(test_blob_corrupt),
		cmocka_unit_test(test_capture_url_state),
		cmocka_unit_test(test_revisit_cost),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_reports_versions),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_rollback),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_read_only_other_process),
		cmocka_unit_test(test_check_reports_problems),
		cmocka_unit_test(test_derived_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
