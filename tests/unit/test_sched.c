/*
 * Unit tests for the schedule (daemon/sched.c): heap order under random
 * pushes and pops, jitter bounds, the start-up spread, and the change
 * summary between two record versions (daemon/change.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "nianbaod.h"
#include "sched.h"

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
test_heap_order(void **state)
{
	struct sched s;
	const struct sched_entry *e;
	uint64_t r = 42;
	int64_t last = -1;
	size_t i, n = 0;

	sched_init(&s);
	for (i = 0; i < 10000; i++)
		sched_push(&s, i, (int64_t)(rnd(&r) % 100000));
	/* pop half, push more, then drain: always non-decreasing */
	for (i = 0; i < 5000; i++) {
		e = sched_peek(&s);
		assert_non_null(e);
		assert_true(e->due >= last);
		last = e->due;
		sched_pop(&s);
	}
	for (i = 0; i < 3000; i++)
		sched_push(&s, i, last + (int64_t)(rnd(&r) % 1000));
	while ((e = sched_peek(&s)) != NULL) {
		assert_true(e->due >= last);
		last = e->due;
		sched_pop(&s);
		n++;
	}
	assert_int_equal(n, 8000);
	sched_pop(&s);		/* empty: no-op */
	assert_null(sched_peek(&s));
	sched_release(&s);
}

static void
test_ties_by_catalog_order(void **state)
{
	struct sched s;

	sched_init(&s);
	sched_push(&s, 7, 100);
	sched_push(&s, 3, 100);
	sched_push(&s, 5, 100);
	assert_int_equal(sched_peek(&s)->src, 3);
	sched_pop(&s);
	assert_int_equal(sched_peek(&s)->src, 5);
	sched_release(&s);
}

static void
test_jitter(void **state)
{
	uint64_t r = 7;
	int64_t now = 1000000, iv = 6 * 3600 * 1000LL, t, lo = iv, hi = 0;
	int i;

	assert_true(sched_next(now, iv, 0, 12345) == now + iv);
	for (i = 0; i < 10000; i++) {
		t = sched_next(now, iv, 10, rnd(&r)) - now;
		assert_true(t >= iv - iv / 10 && t <= iv + iv / 10);
		if (t < lo)
			lo = t;
		if (t > hi)
			hi = t;
	}
	/* the whole band is used, not one end of it */
	assert_true(lo < iv - iv / 20);
	assert_true(hi > iv + iv / 20);
	/* jitter above 100 % is clamped: never due in the past */
	for (i = 0; i < 1000; i++)
		assert_true(sched_next(now, iv, 500, rnd(&r)) >= now);
}

static void
test_initial_spread(void **state)
{
	uint64_t r = 99;
	int64_t now = 5000000, iv = 3600 * 1000, win = 600 * 1000, t;
	int i, buckets[10] = { 0 };

	/* a future due time is kept */
	assert_true(sched_initial(now, now + 5000, iv, win, 1) == now + 5000);
	for (i = 0; i < 10000; i++) {
		/* never checked: within min(interval, window) */
		t = sched_initial(now, 0, iv, win, rnd(&r)) - now;
		assert_true(t >= 0 && t < win);
		buckets[t * 10 / win]++;
		/* overdue after a long stop: within the window */
		t = sched_initial(now, now - 86400000, iv, win, rnd(&r)) - now;
		assert_true(t >= 0 && t < win);
	}
	/* spread, not a herd: every tenth of the window gets some */
	for (i = 0; i < 10; i++)
		assert_true(buckets[i] > 500);
	/* a short interval bounds the spread of new sources */
	t = sched_initial(now, 0, 1000, win, 123456789) - now;
	assert_true(t >= 0 && t < 1000);
}

static const char *old_rec =
"{\"t3\":{\"new\":{\"total\":{\"value\":12,\"kind\":\"number\",\"raw\":\"12\"},"
"\"natural\":{\"value\":12,\"kind\":\"number\",\"raw\":\"12\"}}},"
"\"sections\":[{\"name\":\"一、总体情况\",\"text\":\"a\"}],"
"\"findings\":[{\"rule\":\"T3.BALANCE\",\"result\":\"pass\",\"cells\":[]}]}";
static const char *new_rec =
"{\"t3\":{\"new\":{\"total\":{\"value\":13,\"kind\":\"number\",\"raw\":\"13\"},"
"\"natural\":{\"value\":12,\"kind\":\"number\",\"raw\":\"12\"}}},"
"\"sections\":[{\"name\":\"一、总体情况\",\"text\":\"b\"}],"
"\"findings\":[{\"rule\":\"T3.BALANCE\",\"result\":\"fail\",\"cells\":"
"[\"t3.new.total\"],\"message\":\"m\"}]}";

static void
test_change_summary(void **state)
{
	json_t *sum, *c;
	char *line;

	sum = change_summary(old_rec, new_rec, 50);
	assert_non_null(sum);
	c = json_object_get(sum, "cells");
	assert_int_equal(json_array_size(c), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(c, 0), "key")), "t3.new.total");
	line = change_line(sum);
	assert_non_null(strstr(line, "t3.new.total: 12 → 13"));
	assert_non_null(strstr(line, "一、总体情况 text"));
	assert_non_null(strstr(line, "+T3.BALANCE"));
	assert_null(strstr(line, "+T3.BALANCE t3"));
	free(line);
	json_decref(sum);

	/* identical records: nothing but "metadata only" */
	sum = change_summary(old_rec, old_rec, 50);
	line = change_line(sum);
	assert_string_equal(line, "metadata only");
	free(line);
	json_decref(sum);

	/* the limit counts what it leaves out */
	sum = change_summary(old_rec, new_rec, 0);
	assert_int_equal(json_array_size(json_object_get(sum, "cells")), 0);
	assert_int_equal(json_integer_value(json_object_get(sum,
	    "cells_more")), 1);
	json_decref(sum);

	assert_null(change_summary("not json", new_rec, 5));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_order),
		cmocka_unit_test(test_ties_by_catalog_order),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_initial_spread),
		cmocka_unit_test(test_change_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
