/*
 * Unit tests for store/gc.c: pruning revisit captures keeps every
 * version's capture, each URL's latest capture and the capture that gives
 * a version its last-seen time, deletes the other old revisits (bounded
 * per call), and leaves history unchanged; gc deletes blobs nothing refers
 * to and keeps those a capture, URL, version or derived row refers to; a
 * dry run (a rolled-back transaction) changes nothing; vacuum shrinks the
 * file; the store checks clean afterwards.  The store is a file in a
 * mkdtemp directory, filled through the store API.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store.h"

#define URL_A	"http://a.example/nb/2024.html"
#define URL_B	"http://b.example/nb/2023.html"
#define T0	1700000000000LL		/* a time in ms */
#define MIN	60000LL
#define REC1	"{\"meta\":{\"agency\":\"甲\",\"year\":2024},\"n\":1}"
#define REC2	"{\"meta\":{\"agency\":\"甲\",\"year\":2024},\"n\":2}"

struct fix {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
	int64_t		 report;
	int64_t		 a[6];		/* captures of URL_A */
	int64_t		 b[2];		/* captures of URL_B */
	char		 orphan[65];	/* digest of a blob nothing refers to */
	char		 body1[65];
};

static int64_t
add_capture(struct store *s, const char *url, const char *body, int64_t at,
    char digest[65])
{
	struct store_capture c;
	char d[65];

	memset(&c, 0, sizeof c);
	c.url = url;
	c.source_id = "src-a";
	c.kind = "report";
	c.fetched_at = at;
	c.status = 200;
	c.content_type = "text/html";
	c.headers = "Content-Type: text/html\n";
	assert_int_equal(store_blob_put(s, body, strlen(body), d, NULL), 0);
	c.digest = d;
	c.size = (int64_t)strlen(body);
	assert_int_equal(store_capture_add(s, &c, NULL), 0);
	if (digest != NULL)
		memcpy(digest, d, sizeof d);
	return c.id;
}

static int
fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	struct store_report r;
	char big[8192];
	size_t i;
	int n;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/nianbao-gc-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/nb.db", f->dir);
	f->s = store_open(f->path, STORE_CREATE, NULL);
	assert_non_null(f->s);

	/* URL_A: x, x, x (revisits), y (version 2), y, y (revisits) */
	f->a[0] = add_capture(f->s, URL_A, "<p>x</p>", T0, f->body1);
	f->a[1] = add_capture(f->s, URL_A, "<p>x</p>", T0 + 1 * MIN, NULL);
	f->a[2] = add_capture(f->s, URL_A, "<p>x</p>", T0 + 2 * MIN, NULL);
	f->a[3] = add_capture(f->s, URL_A, "<p>y</p>", T0 + 3 * MIN, NULL);
	f->a[4] = add_capture(f->s, URL_A, "<p>y</p>", T0 + 4 * MIN, NULL);
	f->a[5] = add_capture(f->s, URL_A, "<p>y</p>", T0 + 5 * MIN, NULL);
	/* URL_B: a page and one revisit, its latest */
	f->b[0] = add_capture(f->s, URL_B, "<p>b</p>", T0, NULL);
	f->b[1] = add_capture(f->s, URL_B, "<p>b</p>", T0 + 1 * MIN, NULL);

	memset(&r, 0, sizeof r);
	r.source_id = (char *)"src-a";
	r.agency = (char *)"甲";
	r.year = 2024;
	r.url = (char *)URL_A;
	r.first_seen = T0;
	r.last_seen = T0 + 5 * MIN;
	assert_int_equal(store_report_put(f->s, &r, NULL), 0);
	f->report = r.id;
	assert_int_equal(store_version_add(f->s, r.id, f->a[0], "d1", REC1,
	    T0, &n, NULL), 0);
	assert_int_equal(store_version_add(f->s, r.id, f->a[3], "d2", REC2,
	    T0 + 3 * MIN, &n, NULL), 0);
	assert_int_equal(n, 2);

	/* cached derived data keeps its blob */
	assert_int_equal(store_derived_put(f->s, "links:x", "[1,2]", 5, NULL),
	    0);
	/* a blob no row refers to, big enough to be worth counting */
	for (i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + (i * 7919 % 26));
	assert_int_equal(store_blob_put(f->s, big, sizeof big, f->orphan,
	    NULL), 0);
	*state = f;
	return 0;
}

static int
fix_teardown(void **state)
{
	struct fix *f = *state;
	char p[192];

	store_close(f->s);
	snprintf(p, sizeof p, "%s-wal", f->path);
	remove(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	remove(p);
	remove(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Whether capture id is still there. */
static int
has_capture(struct store *s, int64_t id)
{
	struct store_capture_info c;
	int rc;

	rc = store_capture_get(s, id, &c, NULL);
	assert_true(rc == 0 || rc == 1);
	if (rc == 0)
		store_capture_info_release(&c);
	return rc == 0;
}

struct seen {
	int	 n;
	int64_t	 first[4];
	int64_t	 last[4];
};

static int
seen_cb(const struct store_version *v, void *arg)
{
	struct seen *x = arg;

	if (x->n < 4) {
		x->first[x->n] = v->first_seen;
		x->last[x->n] = v->last_seen;
	}
	x->n++;
	return 0;
}

static struct seen
history(struct fix *f)
{
	struct seen x;

	memset(&x, 0, sizeof x);
	assert_int_equal(store_versions_each(f->s, f->report, seen_cb, &x,
	    NULL), 0);
	return x;
}

static void
test_prune(void **state)
{
	struct fix *f = *state;
	struct seen h0, h1;
	int64_t n = -1;
	char *cause = NULL;

	h0 = history(f);
	assert_int_equal(h0.n, 2);
	assert_true(h0.last[0] == T0 + 2 * MIN);	/* from a[2] */

	/* nothing older than the first revisit */
	assert_int_equal(store_prune_revisits(f->s, T0 + 30000, 0, &n, NULL),
	    0);
	assert_int_equal(n, 0);

	/* a[1] and a[4] may go; bounded to one per call */
	assert_int_equal(store_prune_revisits(f->s, T0 + 99 * MIN, 1, &n,
	    NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_prune_revisits(f->s, T0 + 99 * MIN, 0, &n,
	    NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_prune_revisits(f->s, T0 + 99 * MIN, 0, &n,
	    NULL), 0);
	assert_int_equal(n, 0);

	assert_false(has_capture(f->s, f->a[1]));
	assert_false(has_capture(f->s, f->a[4]));
	assert_true(has_capture(f->s, f->a[0]));	/* version 1 */
	assert_true(has_capture(f->s, f->a[2]));	/* v1's last seen */
	assert_true(has_capture(f->s, f->a[3]));	/* version 2 */
	assert_true(has_capture(f->s, f->a[5]));	/* URL_A's latest */
	assert_true(has_capture(f->s, f->b[0]));	/* not a revisit */
	assert_true(has_capture(f->s, f->b[1]));	/* URL_B's latest */

	h1 = history(f);
	assert_int_equal(h1.n, 2);
	assert_memory_equal(&h0, &h1, sizeof h0);
	if (store_check(f->s, &cause) != 0)
		fail_msg("store_check: %s", cause);
}

static void
test_gc(void **state)
{
	struct fix *f = *state;
	struct store_stats st0, st1;
	int64_t blobs = -1, bytes = -1, sz0, sz1, free0;
	char *data, *cause = NULL;
	size_t len;

	assert_int_equal(store_stats(f->s, &st0, NULL), 0);
	assert_int_equal(store_gc(f->s, &blobs, &bytes, NULL), 0);
	assert_int_equal(blobs, 1);
	assert_true(bytes > 0);
	assert_int_equal(store_stats(f->s, &st1, NULL), 0);
	assert_int_equal(st1.blobs, st0.blobs - 1);
	assert_int_equal(st1.blob_stored, st0.blob_stored - bytes);

	assert_int_equal(store_blob_get(f->s, f->orphan, &data, &len, NULL),
	    1);
	assert_int_equal(store_blob_get(f->s, f->body1, &data, &len, NULL), 0);
	assert_string_equal(data, "<p>x</p>");
	free(data);
	assert_int_equal(store_derived_get(f->s, "links:x", &data, &len, NULL),
	    0);
	assert_memory_equal(data, "[1,2]", 5);
	free(data);
	data = NULL;
	assert_int_equal(store_version_record(f->s, f->report, 1, &data, NULL),
	    0);
	assert_non_null(strstr(data, "\"n\":1"));
	free(data);

	/* nothing left to reclaim */
	assert_int_equal(store_gc(f->s, &blobs, &bytes, NULL), 0);
	assert_int_equal(blobs, 0);
	assert_int_equal(bytes, 0);
	if (store_check(f->s, &cause) != 0)
		fail_msg("store_check: %s", cause);

	/* vacuum gives the free pages back */
	assert_int_equal(store_file_bytes(f->s, &sz0, &free0, NULL), 0);
	assert_true(sz0 > 0);
	assert_int_equal(store_vacuum(f->s, NULL), 0);
	assert_int_equal(store_file_bytes(f->s, &sz1, NULL, NULL), 0);
	assert_true(sz1 <= sz0 - free0);
	assert_int_equal(store_blob_get(f->s, f->body1, &data, &len, NULL), 0);
	free(data);
}

static void
test_dry_run(void **state)
{
	struct fix *f = *state;
	struct store_stats st0, st1;
	int64_t n = 0, blobs = 0, bytes = 0;
	char *data;
	size_t len;

	assert_int_equal(store_stats(f->s, &st0, NULL), 0);
	assert_int_equal(store_begin(f->s, NULL), 0);
	assert_int_equal(store_prune_revisits(f->s, T0 + 99 * MIN, 0, &n,
	    NULL), 0);
	assert_int_equal(store_gc(f->s, &blobs, &bytes, NULL), 0);
	assert_int_equal(store_rollback(f->s), 0);
	assert_int_equal(n, 2);
	assert_int_equal(blobs, 1);
	assert_true(bytes > 0);

	assert_int_equal(store_stats(f->s, &st1, NULL), 0);
	assert_int_equal(st1.captures, st0.captures);
	assert_int_equal(st1.blobs, st0.blobs);
	assert_true(has_capture(f->s, f->a[1]));
	assert_int_equal(store_blob_get(f->s, f->orphan, &data, &len, NULL),
	    0);
	free(data);
}

static void
test_readonly(void **state)
{
	struct fix *f = *state;
	struct store *ro;
	int64_t n, blobs, bytes;
	char *cause = NULL;

	ro = store_open(f->path, STORE_RDONLY, NULL);
	assert_non_null(ro);
	assert_int_equal(store_gc(ro, &blobs, &bytes, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(store_prune_revisits(ro, T0 + 99 * MIN, 0, &n,
	    &cause), -1);
	assert_non_null(cause);
	free(cause);
	store_close(ro);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prune,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_gc,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_dry_run,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_readonly,
		    fix_setup, fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
