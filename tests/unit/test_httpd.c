/*
 * Unit tests for the pure parts of the HTTP API (daemon/httpd.c): path
 * routing, limits, time parameters; of /metrics (daemon/metrics.c): label
 * escaping, status classes, host labels and their bound; and of the [http]
 * configuration keys (daemon/conf.c): listen addresses, the token kept out
 * of conf_print().
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

#include "buf.h"
#include "conf.h"
#include "nianbaod.h"

static void
test_route(void **state)
{
	int64_t id;

	assert_int_equal(httpd_route("/healthz", &id), HTTPD_HEALTHZ);
	assert_int_equal(httpd_route("/metrics", &id), HTTPD_METRICS);
	assert_int_equal(httpd_route("/api/v1/reports", &id), HTTPD_REPORTS);
	assert_int_equal(httpd_route("/api/v1/events", &id), HTTPD_EVENTS);
	assert_int_equal(httpd_route("/api/v1/captures", &id), HTTPD_CAPTURES);
	assert_int_equal(httpd_route("/api/v1/reports/12", &id), HTTPD_REPORT);
	assert_int_equal(id, 12);
	assert_int_equal(httpd_route("/api/v1/reports/7/versions", &id),
	    HTTPD_VERSIONS);
	assert_int_equal(id, 7);
	assert_int_equal(httpd_route("/api/v1/reports/9223372036854775807/diff",
	    &id), HTTPD_DIFF);
	assert_true(id == INT64_MAX);
	/* not ids: zero, leading zeros, signs, overflow, SQL */
	assert_int_equal(httpd_route("/api/v1/reports/0", &id),
	    HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("/api/v1/reports/012", &id),
	    HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("/api/v1/reports/-1", &id),
	    HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("/api/v1/reports/9223372036854775808",
	    &id), HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("/api/v1/reports/1'; DROP TABLE reports",
	    &id), HTTPD_NOTFOUND);
	assert_int_equal(id, 0);
	assert_int_equal(httpd_route("/api/v1/reports/", &id), HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("/api/v1/reports/1/", &id),
	    HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("/api/v1/reports/1/raw", &id),
	    HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("/api/v1/reportsx", &id), HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("/healthz/", &id), HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("/", &id), HTTPD_NOTFOUND);
	assert_int_equal(httpd_route("", &id), HTTPD_NOTFOUND);
}

static void
test_limit(void **state)
{
	int n;

	assert_int_equal(httpd_parse_limit(NULL, 100, 1000, &n), 0);
	assert_int_equal(n, 100);
	assert_int_equal(httpd_parse_limit("", 100, 1000, &n), 0);
	assert_int_equal(n, 100);
	assert_int_equal(httpd_parse_limit(NULL, 100, 5, &n), 0);
	assert_int_equal(n, 5);		/* the default is capped too */
	assert_int_equal(httpd_parse_limit("7", 100, 1000, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(httpd_parse_limit("007", 100, 1000, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(httpd_parse_limit("1000", 100, 1000, &n), 0);
	assert_int_equal(n, 1000);
	assert_int_equal(httpd_parse_limit("10000000", 100, 1000, &n), 0);
	assert_int_equal(n, 1000);
	assert_int_equal(httpd_parse_limit("99999999999999999999999999", 100,
	    1000, &n), 0);
	assert_int_equal(n, 1000);
	assert_int_equal(httpd_parse_limit("0", 100, 1000, &n), -1);
	assert_int_equal(httpd_parse_limit("000", 100, 1000, &n), -1);
	assert_int_equal(httpd_parse_limit("-5", 100, 1000, &n), -1);
	assert_int_equal(httpd_parse_limit("+5", 100, 1000, &n), -1);
	assert_int_equal(httpd_parse_limit("abc", 100, 1000, &n), -1);
	assert_int_equal(httpd_parse_limit("5x", 100, 1000, &n), -1);
	assert_int_equal(httpd_parse_limit(" 5", 100, 1000, &n), -1);
}

static void
test_time(void **state)
{
	int64_t ms;

	assert_int_equal(httpd_parse_time("2025", 0, &ms), 0);
	assert_true(ms == 1735689600000LL);		/* 2025-01-01 UTC */
	assert_int_equal(httpd_parse_time("2025", 1, &ms), 0);
	assert_true(ms == 1767225600000LL - 1);	/* end of 2025 */
	assert_int_equal(httpd_parse_time("20251123", 0, &ms), 0);
	assert_true(ms == 1763856000000LL);
	assert_int_equal(httpd_parse_time("2025-11-23", 0, &ms), 0);
	assert_true(ms == 1763856000000LL);
	assert_int_equal(httpd_parse_time("2025-11-23", 1, &ms), 0);
	assert_true(ms == 1763856000000LL + 86400000 - 1);
	assert_int_equal(httpd_parse_time("20251123080000", 0, &ms), 0);
	assert_true(ms == 1763856000000LL + 8 * 3600000);
	assert_int_equal(httpd_parse_time("2025-11-23T08:00:00Z", 0, &ms), 0);
	assert_true(ms == 1763856000000LL + 8 * 3600000);
	assert_int_equal(httpd_parse_time("2025-11-23T08:00", 0, &ms), 0);
	assert_true(ms == 1763856000000LL + 8 * 3600000);
	assert_int_equal(httpd_parse_time("2025-12", 0, &ms), -1);
	assert_int_equal(httpd_parse_time("2025-13-01", 0, &ms), -1);
	assert_int_equal(httpd_parse_time("2025-00-01", 0, &ms), -1);
	assert_int_equal(httpd_parse_time("1969", 0, &ms), -1);
	assert_int_equal(httpd_parse_time("yesterday", 0, &ms), -1);
	assert_int_equal(httpd_parse_time("", 0, &ms), -1);
	assert_int_equal(httpd_parse_time("Z", 0, &ms), -1);
	assert_int_equal(httpd_parse_time("202511230800001", 0, &ms), -1);
	assert_int_equal(httpd_parse_time("2025-11-23T08", 0, &ms), -1);
	assert_int_equal(httpd_parse_time("2025-11-23X08:00", 0, &ms), -1);
}

static void
test_label_escape(void **state)
{
	struct buf b;

	buf_init(&b, 0);
	metrics_label_escape(&b, "plain.example:8080");
	assert_string_equal(buf_str(&b), "plain.example:8080");
	buf_reset(&b);
	metrics_label_escape(&b, "a\"b\\c\nd");
	assert_string_equal(buf_str(&b), "a\\\"b\\\\c\\nd");
	buf_reset(&b);
	metrics_label_escape(&b, "");
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
}

static void
test_class_and_host(void **state)
{
	char host[64];

	assert_int_equal(metrics_class(200, 0), METRICS_2XX);
	assert_int_equal(metrics_class(206, 0), METRICS_2XX);
	assert_int_equal(metrics_class(301, 0), METRICS_3XX);
	assert_int_equal(metrics_class(304, 0), METRICS_304);
	assert_int_equal(metrics_class(404, 0), METRICS_4XX);
	assert_int_equal(metrics_class(429, 0), METRICS_4XX);
	assert_int_equal(metrics_class(503, 0), METRICS_5XX);
	assert_int_equal(metrics_class(200, 1), METRICS_ERROR);
	assert_int_equal(metrics_class(0, 0), METRICS_ERROR);
	assert_int_equal(metrics_class(999, 0), METRICS_ERROR);
	assert_string_equal(metrics_class_name(METRICS_304), "304");
	assert_string_equal(metrics_class_name(METRICS_ERROR), "error");

	metrics_host_of("http://WWW.Example.gov.cn/a/b?c", host, sizeof host);
	assert_string_equal(host, "www.example.gov.cn");
	metrics_host_of("https://user:pw@h.example:8443/", host, sizeof host);
	assert_string_equal(host, "h.example:8443");
	metrics_host_of("http://[::1]:80#x", host, sizeof host);
	assert_string_equal(host, "[::1]:80");
	metrics_host_of("not a url", host, sizeof host);
	assert_string_equal(host, "none");
	metrics_host_of("http:///path", host, sizeof host);
	assert_string_equal(host, "none");
	metrics_host_of("http://a-very-long-host-name.example/", host, 8);
	assert_string_equal(host, "a-very-");
}

static void
test_host_bound(void **state)
{
	struct metrics m;
	char url[64];
	size_t i;

	metrics_init(&m);
	for (i = 0; i < METRICS_MAX_HOSTS + 50; i++) {
		snprintf(url, sizeof url, "http://h%zu.example/", i);
		metrics_fetch(&m, url, 200, 0, 10);
	}
	metrics_fetch(&m, "http://h0.example/x", 304, 0, 0);
	metrics_fetch(&m, "http://h0.example/y", 0, 1, 0);
	assert_int_equal(m.nhosts, METRICS_MAX_HOSTS);
	assert_int_equal(m.other.n[METRICS_2XX], 50);
	assert_int_equal(m.other.bytes, 500);
	assert_string_equal(m.hosts[0].host, "h0.example");
	assert_int_equal(m.hosts[0].n[METRICS_2XX], 1);
	assert_int_equal(m.hosts[0].n[METRICS_304], 1);
	assert_int_equal(m.hosts[0].n[METRICS_ERROR], 1);
	assert_int_equal(m.n[METRICS_2XX], METRICS_MAX_HOSTS + 50);
	assert_int_equal(m.bytes, 10 * (METRICS_MAX_HOSTS + 50));
	/* a known host still counts as itself once the table is full */
	metrics_fetch(&m, "http://h999.example/", 404, 0, 0);
	assert_int_equal(m.hosts[999].n[METRICS_4XX], 1);
	metrics_release(&m);
}

static void
test_listen_split(void **state)
{
	char host[64];
	int port;

	assert_int_equal(conf_listen_split("127.0.0.1:8420", host, sizeof host,
	    &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8420);
	assert_int_equal(conf_listen_split("[::1]:8420", host, sizeof host,
	    &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(conf_listen_split("localhost:1", host, sizeof host,
	    &port), 0);
	assert_string_equal(host, "localhost");
	assert_int_equal(port, 1);
	assert_int_equal(conf_listen_split("::1:8420", host, sizeof host,
	    &port), -1);
	assert_int_equal(conf_listen_split("[::1]8420", host, sizeof host,
	    &port), -1);
	assert_int_equal(conf_listen_split("[nothex]:80", host, sizeof host,
	    &port), -1);
	assert_int_equal(conf_listen_split("127.0.0.1:0", host, sizeof host,
	    &port), -1);
	assert_int_equal(conf_listen_split("127.0.0.1:65536", host,
	    sizeof host, &port), -1);
	assert_int_equal(conf_listen_split("127.0.0.1", host, sizeof host,
	    &port), -1);
	assert_int_equal(conf_listen_split(":8420", host, sizeof host,
	    &port), -1);
	assert_int_equal(conf_listen_split("a b:80", host, sizeof host,
	    &port), -1);
	assert_int_equal(conf_listen_split("127.0.0.1:80x", host, sizeof host,
	    &port), -1);
}

static char *
write_conf(const char *text)
{
	char *path = strdup("/tmp/nianbao-test-httpd-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_conf_http(void **state)
{
	struct conf c;
	char *path, *errors = NULL, *printed;

	conf_init(&c);
	assert_string_equal(c.http_listen, "127.0.0.1:8420");
	assert_int_equal(c.http_max_limit, 1000);
	assert_string_equal(c.http_token, "");
	conf_release(&c);

	path = write_conf("[http]\nlisten =\ntoken = abc.DEF-123\n"
	    "max_limit = 50\n");
	conf_init(&c);
	assert_int_equal(conf_load(&c, path, &errors), 0);
	assert_string_equal(c.http_listen, "no");
	assert_string_equal(c.http_token, "abc.DEF-123");
	assert_int_equal(c.http_max_limit, 50);
	printed = conf_print(&c);
	assert_null(strstr(printed, "abc.DEF"));
	assert_non_null(strstr(printed, "[http]\nlisten = no\n"));
	assert_non_null(strstr(printed, "token = ********\n"));
	free(printed);
	free(errors);
	conf_release(&c);
	unlink(path);
	free(path);

	path = write_conf("[http]\nlisten = [::1]:9000\ntoken_file = tok\n");
	conf_init(&c);
	assert_int_equal(conf_load(&c, path, &errors), 0);
	assert_string_equal(c.http_listen, "[::1]:9000");
	assert_string_equal(c.http_token_file, "/tmp/tok");
	free(errors);
	conf_release(&c);
	unlink(path);
	free(path);

	path = write_conf("[http]\nlisten = 8420\ntoken = has space\n"
	    "max_limit = 0\ntoken_file = /x\n");
	conf_init(&c);
	assert_int_equal(conf_load(&c, path, &errors), 3);
	assert_non_null(strstr(errors, ":2: http.listen: \"8420\""));
	assert_non_null(strstr(errors, ":3: http.token: only visible ASCII"));
	assert_null(strstr(errors, "has space"));
	assert_non_null(strstr(errors, ":4: http.max_limit"));
	free(errors);
	conf_release(&c);
	unlink(path);
	free(path);

	path = write_conf("[http]\ntoken = t\ntoken_file = /x\n");
	conf_init(&c);
	assert_int_equal(conf_load(&c, path, &errors), 1);
	assert_non_null(strstr(errors, "both set"));
	free(errors);
	conf_release(&c);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_label_escape),
		cmocka_unit_test(test_class_and_host),
		cmocka_unit_test(test_host_bound),
		cmocka_unit_test(test_listen_split),
		cmocka_unit_test(test_conf_http),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
