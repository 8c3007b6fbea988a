/*
 * Unit tests for the report calendar (daemon/calendar.c): deadlines by
 * level, region and source overrides, grace, the five statuses, the
 * first_seen upper bound; the [deadlines] keys and catalog columns; the
 * NIANBAO_NOW clock override (daemon/clock.c); and calendar_read taking a
 * report's date from its calendar row unless a version came since.
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

#include "calendar.h"
#include "catalog.h"
#include "clock.h"
#include "conf.h"
#include "store.h"

#define H	(3600LL * 1000)

static int64_t
at(const char *s)
{
	int64_t ms;

	assert_int_equal(clock_parse(s, 480, &ms), 0);
	return ms;
}

static struct source
src(const char *level, const char *region)
{
	struct source s;

	memset(&s, 0, sizeof s);
	s.id = (char *)"s1";
	s.agency = (char *)"某某局";
	s.level = (char *)level;
	s.region = (char *)region;
	s.url = (char *)"http://127.0.0.1/";
	return s;
}

static void
test_clock_parse(void **state)
{
	int64_t ms;
	int y, m, d;

	assert_int_equal(clock_parse("2026-02-01T09:00+08:00", 0, &ms), 0);
	assert_true(ms == 1769907600000LL);		/* 01:00Z */
	assert_int_equal(clock_parse("2026-02-01T01:00Z", 480, &ms), 0);
	assert_true(ms == 1769907600000LL);
	assert_int_equal(clock_parse("2026-02-01 09:00:00", 480, &ms), 0);
	assert_true(ms == 1769907600000LL);
	assert_int_equal(clock_parse("2026-01-31T20:00-05:00", 480, &ms), 0);
	assert_true(ms == 1769907600000LL);
	/* a date alone is 00:00 in China Standard Time */
	assert_int_equal(clock_parse("2026-02-01", 480, &ms), 0);
	assert_true(ms == 1769907600000LL - 9 * H);
	assert_int_equal(clock_parse("2024-02-29", 0, &ms), 0);
	assert_int_equal(clock_parse("2026-02-29", 480, &ms), -1);
	assert_int_equal(clock_parse("2026-13-01", 480, &ms), -1);
	assert_int_equal(clock_parse("2026-02-01T24:00", 480, &ms), -1);
	assert_int_equal(clock_parse("2026-02-01T09", 480, &ms), -1);
	assert_int_equal(clock_parse("2026-02-01+08", 480, &ms), -1);
	assert_int_equal(clock_parse("2026-02-01Zx", 480, &ms), -1);
	assert_int_equal(clock_parse("tomorrow", 480, &ms), -1);
	assert_int_equal(clock_parse("", 480, &ms), -1);
	clock_ymd(clock_days(2026, 3, 1) - 1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20260228);
	clock_ymd(clock_days(2024, 3, 1) - 1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
}

static void
test_clock_override(void **state)
{
	char *cause = NULL;
	int64_t now;

	setenv("NIANBAO_NOW", "2026-02-01T09:00+08:00", 1);
	assert_int_equal(clock_init(&cause), 0);
	now = clock_now_ms();
	/* the override plus the (short) real time since clock_init */
	assert_true(now >= 1769907600000LL && now < 1769907600000LL + 60000);
	setenv("NIANBAO_NOW", "2026-02-31", 1);
	assert_int_equal(clock_init(&cause), -1);
	assert_non_null(strstr(cause, "NIANBAO_NOW"));
	assert_non_null(strstr(cause, "2026-02-31"));
	free(cause);
	unsetenv("NIANBAO_NOW");
	assert_int_equal(clock_init(&cause), 0);
	assert_true(clock_now_ms() > 1769907600000LL + 200LL * 86400 * 1000);
}

static void
test_deadlines_by_level(void **state)
{
	struct conf c;
	struct source s;

	conf_init(&c);
	s = src("department", "");
	assert_int_equal(calendar_deadline_md(&c, &s), 131);
	s = src("government", "");
	assert_int_equal(calendar_deadline_md(&c, &s), 331);
	s = src("township", "山东省淄博市沂源县");
	assert_int_equal(calendar_deadline_md(&c, &s), 331);
	c.dl_township = 220;
	assert_int_equal(calendar_deadline_md(&c, &s), 220);
	/* the longest matching region prefix wins, for townships */
	c.dl_regions = calloc(2, sizeof *c.dl_regions);
	c.dl_regions[0].prefix = strdup("山东省");
	c.dl_regions[0].md = 315;
	c.dl_regions[1].prefix = strdup("山东省淄博市沂源县");
	c.dl_regions[1].md = 131;
	c.dl_nregions = 2;
	assert_int_equal(calendar_deadline_md(&c, &s), 131);
	s.region = (char *)"山东省济南市";
	assert_int_equal(calendar_deadline_md(&c, &s), 315);
	s.region = (char *)"浙江省";
	assert_int_equal(calendar_deadline_md(&c, &s), 220);
	/* departments keep the statute's day */
	s = src("department", "山东省淄博市沂源县");
	assert_int_equal(calendar_deadline_md(&c, &s), 131);
	/* the source's own wins over everything */
	s.deadline = 228;
	assert_int_equal(calendar_deadline_md(&c, &s), 228);
	/* first year: configured, or the source's */
	assert_int_equal(calendar_first_year(&c, &s), 2019);
	s.first_year = 2023;
	assert_int_equal(calendar_first_year(&c, &s), 2023);
	conf_release(&c);
}

static void
test_statuses(void **state)
{
	struct conf c;
	struct source s;
	struct calendar_entry e;
	struct calendar_report r;

	conf_init(&c);
	s = src("department", "");
	calendar_judge(&c, &s, 2025, NULL, at("2026-01-10T12:00"), 0, &e);
	assert_int_equal(e.status, CAL_NOT_DUE);
	assert_string_equal(e.deadline, "2026-01-31");
	/* due_soon = 14d before the end of 31 January */
	calendar_judge(&c, &s, 2025, NULL, at("2026-01-17T23:59"), 0, &e);
	assert_int_equal(e.status, CAL_NOT_DUE);
	calendar_judge(&c, &s, 2025, NULL, at("2026-01-18T00:00"), 0, &e);
	assert_int_equal(e.status, CAL_DUE_SOON);
	/* missing exactly after the deadline day, not one minute before */
	calendar_judge(&c, &s, 2025, NULL, at("2026-01-31T23:59:59"), 0, &e);
	assert_int_equal(e.status, CAL_DUE_SOON);
	calendar_judge(&c, &s, 2025, NULL, at("2026-02-01T00:00"), 0, &e);
	assert_int_equal(e.status, CAL_MISSING);
	assert_int_equal(e.overdue_days, 1);
	calendar_judge(&c, &s, 2025, NULL, at("2026-02-11T09:00"), 0, &e);
	assert_int_equal(e.overdue_days, 11);
	/* the grace period moves it */
	c.dl_grace_ms = 2 * 24 * H;
	calendar_judge(&c, &s, 2025, NULL, at("2026-02-02T23:59"), 0, &e);
	assert_int_equal(e.status, CAL_DUE_SOON);
	calendar_judge(&c, &s, 2025, NULL, at("2026-02-03T00:00"), 0, &e);
	assert_int_equal(e.status, CAL_MISSING);
	c.dl_grace_ms = 0;

	/* a page dated 5 February: late for a department ... */
	memset(&r, 0, sizeof r);
	r.id = 7;
	r.year = 2025;
	r.published = (char *)"2026-02-05";
	r.published_from = (char *)"page";
	r.first_seen = at("2026-02-06T10:00");
	calendar_judge(&c, &s, 2025, &r, at("2026-02-06T10:00"), 0, &e);
	assert_int_equal(e.status, CAL_LATE);
	assert_int_equal(e.overdue_days, 5);
	assert_string_equal(e.published, "2026-02-05");
	assert_string_equal(e.published_from, "page");
	assert_false(e.upper_bound);
	/* ... on time for a government */
	s = src("government", "");
	calendar_judge(&c, &s, 2025, &r, at("2026-02-06T10:00"), 0, &e);
	assert_int_equal(e.status, CAL_ON_TIME);
	assert_string_equal(e.deadline, "2026-03-31");
	/* the deadline day itself is on time; a grace day saves the next */
	s = src("department", "");
	r.published = (char *)"2026-01-31 17:30:00";
	calendar_judge(&c, &s, 2025, &r, at("2026-02-06T10:00"), 0, &e);
	assert_int_equal(e.status, CAL_ON_TIME);
	r.published = (char *)"2026-02-01";
	calendar_judge(&c, &s, 2025, &r, at("2026-02-06T10:00"), 0, &e);
	assert_int_equal(e.status, CAL_LATE);
	c.dl_grace_ms = 24 * H;
	calendar_judge(&c, &s, 2025, &r, at("2026-02-06T10:00"), 0, &e);
	assert_int_equal(e.status, CAL_ON_TIME);
	c.dl_grace_ms = 0;
	/* a township follows its configured day */
	s = src("township", "");
	c.dl_township = 220;
	r.published = (char *)"2026-02-21";
	calendar_judge(&c, &s, 2025, &r, at("2026-03-01T10:00"), 0, &e);
	assert_int_equal(e.status, CAL_LATE);
	assert_string_equal(e.deadline, "2026-02-20");
	r.published = (char *)"2026-02-20";
	calendar_judge(&c, &s, 2025, &r, at("2026-03-01T10:00"), 0, &e);
	assert_int_equal(e.status, CAL_ON_TIME);
	/* reports up to 2018: 31 March for everyone (2007 条例) */
	s = src("department", "");
	calendar_judge(&c, &s, 2018, NULL, at("2019-03-20T10:00"), 0, &e);
	assert_int_equal(e.status, CAL_DUE_SOON);
	assert_string_equal(e.deadline, "2019-03-31");
	conf_release(&c);
}

static void
test_first_seen_upper_bound(void **state)
{
	struct conf c;
	struct source s;
	struct calendar_entry e;
	struct calendar_report r;

	conf_init(&c);
	s = src("department", "");
	memset(&r, 0, sizeof r);
	r.year = 2021;
	r.published = (char *)"2026-03-01";
	r.published_from = (char *)"first_seen";
	/* a 2021 report found in 2026 on the source's first check */
	r.first_seen = at("2026-03-01T10:00");
	calendar_judge(&c, &s, 2021, &r, at("2026-03-02T10:00"),
	    r.first_seen + 60000, &e);
	assert_int_equal(e.status, CAL_ON_TIME);
	assert_true(e.upper_bound);
	assert_string_equal(e.published_from, "first_seen");
	assert_string_equal(e.published, "2026-03-01");
	/* first seen on a later check, after the deadline: late */
	calendar_judge(&c, &s, 2021, &r, at("2026-03-02T10:00"),
	    at("2026-01-01T10:00"), &e);
	assert_int_equal(e.status, CAL_LATE);
	assert_true(e.upper_bound);
	/* the same when no date was recorded at all */
	r.published = NULL;
	r.published_from = NULL;
	r.year = 2025;
	r.first_seen = at("2026-01-20T10:00");
	calendar_judge(&c, &s, 2025, &r, at("2026-03-02T10:00"),
	    at("2026-01-01T10:00"), &e);
	assert_int_equal(e.status, CAL_ON_TIME);
	assert_string_equal(e.published, "2026-01-20");
	conf_release(&c);
}

static void
test_years(void **state)
{
	struct conf c;
	struct source s;
	struct calendar_entry *v;
	struct calendar_report r;
	size_t n;

	conf_init(&c);
	s = src("department", "");
	memset(&r, 0, sizeof r);
	r.year = 2023;
	r.published = (char *)"2024-01-20";
	r.published_from = (char *)"url";
	calendar_source(&c, &s, &r, 1, at("2026-02-01T09:00"), 0, &v, &n);
	assert_int_equal(n, 7);			/* 2019 .. 2025 */
	assert_int_equal(v[0].year, 2019);
	assert_int_equal(v[4].year, 2023);
	assert_int_equal(v[4].status, CAL_ON_TIME);
	assert_ptr_equal(v[4].report, &r);
	assert_int_equal(v[6].status, CAL_MISSING);
	free(v);
	s.first_year = 2024;
	calendar_source(&c, &s, NULL, 0, at("2026-02-01T09:00"), 0, &v, &n);
	assert_int_equal(n, 2);
	free(v);
	s.first_year = 2026;
	calendar_source(&c, &s, NULL, 0, at("2026-02-01T09:00"), 0, &v, &n);
	assert_int_equal(n, 0);
	assert_null(v);
	/* the latest year due */
	s = src("department", "");
	assert_int_equal(calendar_latest_due(&c, &s, at("2026-02-01T00:00")),
	    2025);
	assert_int_equal(calendar_latest_due(&c, &s, at("2026-01-31T23:59")),
	    2024);
	s = src("government", "");
	assert_int_equal(calendar_latest_due(&c, &s, at("2026-02-01T00:00")),
	    2024);
	/* another zone: the day ends at its own midnight */
	c.dl_timezone = 0;
	s = src("department", "");
	assert_int_equal(calendar_latest_due(&c, &s, at("2026-02-01T00:00")),
	    2024);
	assert_int_equal(calendar_latest_due(&c, &s, at("2026-02-01T08:00")),
	    2025);
	conf_release(&c);
}

static char *
write_tmp(const char *text, const char *suffix)
{
	char *path;
	FILE *f;
	int fd;

	path = malloc(64);
	snprintf(path, 64, "/tmp/test_calendar_XXXXXX%s", suffix);
	fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

/* calendar_read of s1's only report: its published date and origin. */
static void
read_one(struct store *st, const struct source *s, const char *published,
    const char *from, int versions)
{
	struct calendar_report *reps;
	size_t n;
	int64_t fc;
	char *cause = NULL;
	int checked;

	assert_int_equal(calendar_read(st, s, &reps, &n, &fc, &checked,
	    &cause), 0);
	assert_int_equal(checked, 1);
	assert_int_equal(n, 1);
	assert_int_equal(reps[0].versions, versions);
	if (published == NULL)
		assert_null(reps[0].published);
	else
		assert_string_equal(reps[0].published, published);
	assert_string_equal(reps[0].published_from, from);
	calendar_reports_free(reps, n);
}

static void
put_row(struct store *st, int64_t report, int versions, const char *published,
    const char *from)
{
	struct store_calendar row;
	char *cause = NULL;

	memset(&row, 0, sizeof row);
	row.source_id = (char *)"s1";
	row.year = 2024;
	row.status = (char *)"on_time";
	row.deadline = (char *)"2025-01-31";
	row.report_id = report;
	row.published = (char *)published;
	row.published_from = (char *)from;
	row.updated = 1;
	row.versions = versions;
	if (store_calendar_put(st, &row, &cause) != 0)
		fail_msg("%s", cause);
}

/*
 * The sweep reads a record only when its report has a version its row has
 * not seen: otherwise the row's date is taken (the rows below lie on
 * purpose, to show which was read).
 */
static void
test_read_rows(void **state)
{
	struct source s = src("department", NULL);
	struct store_source ss;
	struct store_report r, other;
	struct store_calendar got;
	struct calendar_report *reps;
	struct store *st;
	size_t n;
	int64_t fc;
	char *cause = NULL;
	int num, checked;

	(void)state;
	st = store_open(":memory:", STORE_CREATE, &cause);
	if (st == NULL)
		fail_msg("%s", cause);
	memset(&ss, 0, sizeof ss);
	ss.id = (char *)"s1";
	ss.last_check = ss.last_ok = 1000;
	ss.checks = 2;
	memset(&r, 0, sizeof r);
	r.source_id = (char *)"s1";
	r.agency = (char *)"某某局";
	r.year = 2024;
	r.url = (char *)"http://127.0.0.1/r";
	r.first_seen = 1000;
	/* a source never read: no reports looked at by the sweep's read */
	assert_int_equal(store_report_put(st, &r, &cause), 0);
	assert_int_equal(store_version_add(st, r.id, 0, "d1", "{\"meta\":"
	    "{\"published\":\"2025-01-20\",\"published_from\":\"page\"}}",
	    1000, &num, &cause), 0);
	assert_int_equal(calendar_read_checked(st, &s, &reps, &n, &fc,
	    &checked, &cause), 0);
	assert_int_equal(checked, 0);
	assert_int_equal(n, 0);
	assert_null(reps);
	assert_int_equal(store_source_put(st, &ss, &cause), 0);

	read_one(st, &s, "2025-01-20", "page", 1);	/* no row yet */
	put_row(st, r.id, 1, "2025-01-02", "meta");
	assert_int_equal(store_calendar_get(st, "s1", 2024, &got, &cause), 0);
	assert_int_equal(got.versions, 1);
	store_calendar_release(&got);
	read_one(st, &s, "2025-01-02", "meta", 1);	/* the row's */
	put_row(st, r.id, 1, "2025-01-03", "first_seen");
	read_one(st, &s, NULL, "first_seen", 1);	/* judged by first_seen */
	other = r;
	other.id = 0;
	other.agency = (char *)"别的局";	/* not s1's own: not read */
	assert_int_equal(store_report_put(st, &other, &cause), 0);
	put_row(st, other.id, 1, "2025-01-02", "meta");	/* another report's */
	read_one(st, &s, "2025-01-20", "page", 1);
	put_row(st, r.id, 0, "2025-01-02", "meta");	/* written before */
	read_one(st, &s, "2025-01-20", "page", 1);
	put_row(st, r.id, 1, "2025-01-02", "meta");
	assert_int_equal(store_version_add(st, r.id, 0, "d2", "{\"meta\":"
	    "{\"published\":\"2025-03-09\",\"published_from\":\"meta\"}}",
	    2000, &num, &cause), 0);
	read_one(st, &s, "2025-03-09", "meta", 2);	/* a new version */
	store_close(st);
}

static void
test_conf_and_catalog(void **state)
{
	struct conf c;
	struct catalog cat;
	char *path, *errors = NULL, *printed;

	conf_init(&c);
	path = write_tmp("[deadlines]\n"
	    "township = 02-20\n"
	    "grace = 2d\n"
	    "due_soon = 7d\n"
	    "remind = 0\n"
	    "first_year = 2021\n"
	    "timezone = +05:30\n"
	    "region.山东省淄博市沂源县 = 01-31\n"
	    "region.山东省 = 03-15\n"
	    "region.山东省 = 03-10\n"
	    "region.浙江省 = 02-30\n"
	    "township = 2-20\n"
	    "timezone = CST\n"
	    "first_year = 1999\n", ".conf");
	assert_int_equal(conf_load(&c, path, &errors), 4);
	assert_non_null(strstr(errors, ":11: deadlines.region.浙江省"));
	assert_non_null(strstr(errors, ":12: deadlines.township"));
	assert_non_null(strstr(errors, ":13: deadlines.timezone"));
	assert_non_null(strstr(errors, ":14: deadlines.first_year"));
	assert_int_equal(c.dl_township, 220);
	assert_true(c.dl_grace_ms == 2 * 24 * H);
	assert_true(c.dl_remind_ms == 0);
	assert_int_equal(c.dl_first_year, 2021);
	assert_int_equal(c.dl_timezone, 330);
	assert_int_equal(c.dl_nregions, 2);
	assert_int_equal(c.dl_regions[1].md, 310);	/* the later line */
	printed = conf_print(&c);
	assert_non_null(strstr(printed, "[deadlines]\n"));
	assert_non_null(strstr(printed, "township = 02-20\n"));
	assert_non_null(strstr(printed, "timezone = +05:30\n"));
	assert_non_null(strstr(printed, "region.山东省淄博市沂源县 = 01-31\n"));
	free(printed);
	free(errors);
	conf_release(&c);
	unlink(path);
	free(path);

	path = write_tmp("id,agency,level,region,url,deadline,first_year\n"
	    "a,甲局,department,,http://a.example/,,\n"
	    "b,乙镇人民政府,township,山东省,http://b.example/,02-28,2022\n"
	    "c,丙镇,township,,http://c.example/,02-30,\n"
	    "d,丁镇,township,,http://d.example/,,1999\n", ".csv");
	assert_int_equal(catalog_load(&cat, path, &errors), 2);
	assert_non_null(strstr(errors, ":4: source c: deadline"));
	assert_non_null(strstr(errors, ":5: source d: first_year"));
	assert_int_equal(cat.n, 2);
	assert_int_equal(cat.v[0].deadline, 0);
	assert_int_equal(cat.v[0].first_year, 0);
	assert_int_equal(cat.v[1].deadline, 228);
	assert_int_equal(cat.v[1].first_year, 2022);
	free(errors);
	catalog_release(&cat);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_parse),
		cmocka_unit_test(test_clock_override),
		cmocka_unit_test(test_deadlines_by_level),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_first_seen_upper_bound),
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_conf_and_catalog),
		cmocka_unit_test(test_read_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
