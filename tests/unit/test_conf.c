/*
 * Unit tests for the configuration value parsers and loader (daemon/conf.c)
 * and the catalog loader (daemon/catalog.c) on small files.
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

#include "catalog.h"
#include "conf.h"

static void
test_durations_and_sizes(void **state)
{
	assert_true(conf_duration_ms("90s") == 90000);
	assert_true(conf_duration_ms("90") == 90000);
	assert_true(conf_duration_ms("15m") == 900000);
	assert_true(conf_duration_ms("6h") == 21600000);
	assert_true(conf_duration_ms("1d") == 86400000);
	assert_true(conf_duration_ms("500ms") == 500);
	assert_true(conf_duration_ms("often") == -1);
	assert_true(conf_duration_ms("6 weeks") == -1);
	assert_true(conf_duration_ms("") == -1);
	assert_true(conf_size("512k") == 512 * 1024);
	assert_true(conf_size("20MB") == 20 * 1024 * 1024);
	assert_true(conf_size("1G") == 1024LL * 1024 * 1024);
	assert_true(conf_size("100") == 100);
	assert_true(conf_size("2 TB") == -1);
}

static char *
write_tmp(const char *text, const char *suffix)
{
	char *path;
	FILE *f;
	int fd;

	path = strdup("/tmp/nianbao-conf-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	(void)suffix;
	return path;
}

static void
test_load_defaults_and_errors(void **state)
{
	struct conf c;
	char *path, *errors = NULL;
	int n;

	path = write_tmp("[fetch]\ninterval = 1h\nmin_delay = 40s\n"
	    "bogus = 1\n[other]\nx = y\n", ".conf");
	conf_init(&c);
	n = conf_load(&c, path, &errors);
	assert_int_equal(n, 3);	/* bogus, [other] x, min > max delay */
	assert_true(c.interval == 3600);
	assert_true(c.per_host == 1);		/* default kept */
	assert_non_null(strstr(errors, ":4: unknown key \"bogus\""));
	assert_non_null(strstr(errors, ":6: unknown key \"x\""));
	assert_non_null(strstr(errors, "min_delay is longer"));
	free(errors);
	conf_release(&c);
	unlink(path);
	free(path);
}

static void
test_catalog_quoting_and_tsv(void **state)
{
	struct catalog cat;
	char *path, *errors = NULL;

	path = write_tmp("\xef\xbb\xbfid,agency,level,region,url,hosts\n"
	    "a,\"某某局, 办公室\",部门,某某县,HTTP://WWW.Example.gov.cn/nb,"
	    "\"a.gov.cn;b.gov.cn\"\n", ".csv");
	assert_int_equal(catalog_load(&cat, path, &errors), 0);
	assert_int_equal(cat.n, 1);
	assert_string_equal(cat.v[0].agency, "某某局, 办公室");
	assert_string_equal(cat.v[0].level, "department");
	assert_string_equal(cat.v[0].host, "www.example.gov.cn");
	assert_string_equal(cat.v[0].hosts, "a.gov.cn b.gov.cn");
	free(errors);
	catalog_release(&cat);
	unlink(path);
	free(path);

	path = write_tmp("url\tid\tlevel\tagency\n"
	    "http://user@evil.example/\tx\tgovernment\t某某县人民政府\n", ".tsv");
	assert_int_equal(catalog_load(&cat, path, &errors), 1);
	assert_non_null(strstr(errors, ":2: source x: url"));
	assert_int_equal(cat.n, 0);
	free(errors);
	catalog_release(&cat);
	unlink(path);
	free(path);

	path = write_tmp("# nothing but a comment\n", ".csv");
	assert_int_equal(catalog_load(&cat, path, &errors), -1);
	assert_non_null(strstr(errors, "no header"));
	free(errors);
	catalog_release(&cat);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations_and_sizes),
		cmocka_unit_test(test_load_defaults_and_errors),
		cmocka_unit_test(test_catalog_quoting_and_tsv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
