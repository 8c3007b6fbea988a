/*
 * Unit tests for the report calendar (daemon/calendar.c): deadlines by
 * level, region and source overrides, grace, the five statuses, the
 * first_seen upper bound; the [deadlines] keys and catalog columns; and
 * the NIANBAO_NOW clock override (daemon/clock.c).
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
