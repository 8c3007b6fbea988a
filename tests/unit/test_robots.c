/*
 * Unit tests for robots.txt (fetch/robots.c, RFC 9309): groups and agent
 * matching, longest match, Allow on ties, "*" and "$", percent-encoding,
 * Crawl-delay, garbage and empty input, robots_all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fetch.h"

static struct robots *
parse(const char *text)
{
	return (robots_parse(text, strlen(text), "nianbao"));
}

static void
test_groups_and_agents(void **state)
{
	struct robots *r;

	/* Our token wins over "*", case-insensitively, version ignored. */
	r = parse("User-agent: *\nDisallow: /\n\n"
	    "User-agent: NianBao/2.0\nDisallow: /secret\n");
	assert_true(robots_allowed(r, "/page"));
	assert_false(robots_allowed(r, "/secret/x"));
	robots_free(r);

	/* Another bot's group does not apply; "*" does. */
	r = parse("User-agent: otherbot\nDisallow: /\n\n"
	    "User-agent: *\nDisallow: /private\n");
	assert_true(robots_allowed(r, "/page"));
	assert_false(robots_allowed(r, "/private/a"));
	robots_free(r);

	/* A prefix of our token is not our token. */
	r = parse("User-agent: nian\nDisallow: /\n");
	assert_true(robots_allowed(r, "/x"));
	robots_free(r);

	/* Several user-agent lines share one group. */
	r = parse("User-agent: a\nUser-agent: nianbao\nUser-agent: b\n"
	    "Disallow: /shared\n\nUser-agent: c\nDisallow: /c\n");
	assert_false(robots_allowed(r, "/shared"));
	assert_true(robots_allowed(r, "/c"));
	robots_free(r);

	/* Two groups for us are merged. */
	r = parse("User-agent: nianbao\nDisallow: /a\n\n"
	    "User-agent: *\nDisallow: /b\n\n"
	    "User-agent: nianbao\nDisallow: /c\n");
	assert_false(robots_allowed(r, "/a"));
	assert_true(robots_allowed(r, "/b"));
	assert_false(robots_allowed(r, "/c"));
	robots_free(r);

	/* Rules before any user-agent belong to no group. */
	r = parse("Disallow: /\nUser-agent: *\nDisallow: /x\n");
	assert_true(robots_allowed(r, "/y"));
	assert_false(robots_allowed(r, "/x"));
	robots_free(r);

	/* No group for us and none for "*": everything allowed. */
	r = parse("User-agent: otherbot\nDisallow: /\n");
	assert_true(robots_allowed(r, "/"));
	robots_free(r);
}

static void
test_longest_match(void **state)
{
	struct robots *r;

	r = parse("User-agent: *\nDisallow: /docs\nAllow: /docs/public\n"
	    "Disallow: /docs/public/drafts\n");
	assert_false(robots_allowed(r, "/docs/x"));
	assert_true(robots_allowed(r, "/docs/public/report.html"));
	assert_false(robots_allowed(r, "/docs/public/drafts/1"));
	assert_true(robots_allowed(r, "/other"));
	robots_free(r);

	/* Same length: Allow wins, whatever the order. */
	r = parse("User-agent: *\nDisallow: /page\nAllow: /page\n");
	assert_true(robots_allowed(r, "/page"));
	robots_free(r);
	r = parse("User-agent: *\nAllow: /page\nDisallow: /page\n");
	assert_true(robots_allowed(r, "/page"));
	robots_free(r);

	/* Empty Disallow matches nothing; "/robots.txt" always allowed. */
	r = parse("User-agent: *\nDisallow:\n");
	assert_true(robots_allowed(r, "/anything"));
	robots_free(r);
	r = parse("User-agent: *\nDisallow: /\n");
	assert_false(robots_allowed(r, "/"));
	assert_false(robots_allowed(r, ""));
	assert_true(robots_allowed(r, "/robots.txt"));
	robots_free(r);
}

static void
test_wildcards(void **state)
{
	struct robots *r;

	r = parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /tmp*/x\n"
	    "Disallow: /*?sessionid=\nAllow: /exact$\nDisallow: /exact\n");
	assert_false(robots_allowed(r, "/a/b/report.pdf"));
	assert_true(robots_allowed(r, "/a/b/report.pdf?page=2"));
	assert_true(robots_allowed(r, "/a/report.pdfx"));
	assert_false(robots_allowed(r, "/tmp123/x/y"));
	assert_true(robots_allowed(r, "/tmp123/y"));
	assert_false(robots_allowed(r, "/list?sessionid=9&a=1"));
	assert_true(robots_allowed(r, "/list?a=1&sessionid=9"));
	assert_true(robots_allowed(r, "/list?a=1"));
	assert_true(robots_allowed(r, "/exact"));
	assert_false(robots_allowed(r, "/exact/more"));
	robots_free(r);

	/* A "*" run matches the empty string; many stars stay cheap. */
	r = parse("User-agent: *\nDisallow: /a*****************************b$\n");
	assert_false(robots_allowed(r, "/ab"));
	assert_true(robots_allowed(r,
	    "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"));
	robots_free(r);
}

static void
test_percent_encoding(void **state)
{
	struct robots *r;

	/* %7E is "~" (unreserved): decoded on both sides. */
	r = parse("User-agent: *\nDisallow: /%7Euser\nDisallow: /a%2fb\n"
	    "Disallow: /报告\n");
	assert_false(robots_allowed(r, "/~user/x"));
	assert_false(robots_allowed(r, "/%7euser"));
	/* %2F is reserved: it stays encoded and is not "/". */
	assert_false(robots_allowed(r, "/a%2Fb"));
	assert_true(robots_allowed(r, "/a/b"));
	/* UTF-8 in the file matches its percent-encoded form in the URL. */
	assert_false(robots_allowed(r, "/%E6%8A%A5%E5%91%8A/2024"));
	assert_false(robots_allowed(r, "/报告/2024"));
	robots_free(r);
}

static void
test_crawl_delay(void **state)
{
	struct robots *r;

	r = parse("User-agent: *\nCrawl-delay: 3\n");
	assert_int_equal(robots_crawl_delay_ms(r), 3000);
	robots_free(r);
	r = parse("User-agent: nianbao\ncrawl-delay: 0.5\n\n"
	    "User-agent: *\nCrawl-delay: 10\n");
	assert_int_equal(robots_crawl_delay_ms(r), 500);
	robots_free(r);
	r = parse("User-agent: *\nCrawl-delay: soon\nDisallow: /x\n");
	assert_int_equal(robots_crawl_delay_ms(r), 0);
	assert_false(robots_allowed(r, "/x"));
	robots_free(r);
	/* Capped at a day. */
	r = parse("User-agent: *\nCrawl-delay: 99999999999999999999\n");
	assert_int_equal(robots_crawl_delay_ms(r), 86400LL * 1000);
	robots_free(r);
}

static void
test_garbage_and_empty(void **state)
{
	static const char bin[] = "\0\x01\xff\xfe:::\n\r\n#User-agent: *\n"
	    "User-agent *\nDisallow /\n<html><body>Not Found</body></html>\n";
	struct robots *r;
	char *big;
	size_t i, n;

	r = robots_parse("", 0, "nianbao");
	assert_true(robots_allowed(r, "/"));
	assert_int_equal(robots_crawl_delay_ms(r), 0);
	robots_free(r);
	r = robots_parse(NULL, 0, "nianbao");
	assert_true(robots_allowed(r, "/"));
	robots_free(r);
	r = robots_parse(bin, sizeof bin - 1, "nianbao");
	assert_true(robots_allowed(r, "/"));
	robots_free(r);

	/* CRLF, BOM, comments and spacing. */
	r = parse("\xef\xbb\xbfUser-Agent : *   # all of them\r\n"
	    "DISALLOW:   /x   # not x\r\n");
	assert_false(robots_allowed(r, "/x"));
	assert_true(robots_allowed(r, "/y"));
	robots_free(r);

	/* Past 500 KiB nothing is read. */
	n = 600 * 1024;
	big = malloc(n + 64);
	assert_non_null(big);
	memcpy(big, "User-agent: *\n", 14);
	for (i = 14; i < n; i++)
		big[i] = i % 64 == 63 ? '\n' : '#';
	memcpy(big + n, "Disallow: /\n", 12);
	r = robots_parse(big, n + 12, "nianbao");
	assert_true(robots_allowed(r, "/page"));
	robots_free(r);
	free(big);
}

static void
test_all(void **state)
{
	struct robots *r;

	r = robots_all(1);
	assert_true(robots_allowed(r, "/anything"));
	robots_free(r);
	r = robots_all(0);
	assert_false(robots_allowed(r, "/anything"));
	assert_false(robots_allowed(r, "/"));
	assert_true(robots_allowed(r, "/robots.txt"));
	assert_int_equal(robots_crawl_delay_ms(r), 0);
	robots_free(r);
	robots_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_and_agents),
		cmocka_unit_test(test_longest_match),
		cmocka_unit_test(test_wildcards),
		cmocka_unit_test(test_percent_encoding),
		cmocka_unit_test(test_crawl_delay),
		cmocka_unit_test(test_garbage_and_empty),
		cmocka_unit_test(test_all),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
