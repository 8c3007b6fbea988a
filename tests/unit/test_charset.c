/*
 * Unit tests for charset detection and decoding (parse/charset.c): the
 * order BOM > HTTP > <meta> > guess, declarations the bytes contradict,
 * and bad bytes of every kind becoming U+FFFD without a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"
#include "util.h"

#define FFFD	"\xef\xbf\xbd"

/* GBK bytes of 中文报告 (D6D0 CEC4 B1A8 B8E6). */
#define GBK_ZWBG	"\xd6\xd0\xce\xc4\xb1\xa8\xb8\xe6"

struct dec {
	char		*out;
	size_t		 len;
	const char	*used;
	const char	*from;
};

static void
decode(const char *buf, size_t len, const char *http, int html,
    struct dec *d)
{
	char *cause = NULL;
	int rc;

	rc = charset_decode(buf, len, http, html, &d->out, &d->len, &d->used,
	    &d->from, &cause);
	if (rc != 0)
		fail_msg("charset_decode: %s", cause ? cause : "?");
	assert_non_null(d->out);
	assert_int_equal(strlen(d->out), d->len);
}

static void
expect(const char *buf, size_t len, const char *http, int html,
    const char *want, const char *used, const char *from)
{
	struct dec d;

	decode(buf, len, http, html, &d);
	assert_string_equal(d.out, want);
	assert_string_equal(d.used, used);
	assert_string_equal(d.from, from);
	free(d.out);
}

#define EXPECT(s, http, html, want, used, from) \
	expect((s), sizeof(s) - 1, (http), (html), (want), (used), (from))

/* Whether s is valid UTF-8 (a decoder's output must always be). */
static int
valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			n = 1;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			n = 2;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			n = 3;
		else
			return 0;
		for (k = 1; k <= n; k++)
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return 0;
		i += n + 1;
	}
	return 1;
}

static void
test_utf8(void **state)
{
	EXPECT("<p>中文报告</p>", NULL, 1, "<p>中文报告</p>", "UTF-8", "guess");
	EXPECT("<p>plain ascii</p>", NULL, 1, "<p>plain ascii</p>", "UTF-8",
	    "default");
	EXPECT("中文", NULL, 0, "中文", "UTF-8", "guess");
	EXPECT("", NULL, 0, "", "UTF-8", "default");
	EXPECT("<meta charset=\"utf-8\"><p>中文</p>", NULL, 1,
	    "<meta charset=\"utf-8\"><p>中文</p>", "UTF-8", "meta");
}

static void
test_bom(void **state)
{
	EXPECT("\xef\xbb\xbf中文", NULL, 0, "中文", "UTF-8", "bom");
	/* the BOM wins over everything else */
	EXPECT("\xef\xbb\xbf<meta charset=gbk>中", "gbk", 1,
	    "<meta charset=gbk>中", "UTF-8", "bom");
	/* UTF-16: "<p>中" (U+4E2D) */
	EXPECT("\xff\xfe<\0p\0>\0\x2d\x4e", NULL, 1, "<p>中", "UTF-16LE",
	    "bom");
	EXPECT("\xfe\xff\0<\0p\0>\x4e\x2d", NULL, 1, "<p>中", "UTF-16BE",
	    "bom");
	/* a truncated code unit at the end */
	EXPECT("\xff\xfe" "a\0b", NULL, 0, "a" FFFD, "UTF-16LE", "bom");
	/* a lone surrogate */
	EXPECT("\xff\xfe" "\x00\xd8" "a\0", NULL, 0, FFFD "a", "UTF-16LE",
	    "bom");
}

static void
test_gbk_meta(void **state)
{
	/* declared only in <meta http-equiv>, attribute order and case vary */
	EXPECT("<html><head><meta http-equiv=\"Content-Type\" "
	    "content=\"text/html; charset=gb2312\"></head><body>" GBK_ZWBG
	    "</body></html>", NULL, 1,
	    "<html><head><meta http-equiv=\"Content-Type\" "
	    "content=\"text/html; charset=gb2312\"></head><body>中文报告"
	    "</body></html>", "GB18030", "meta");
	EXPECT("<META CONTENT='text/html;charset=GBK' HTTP-EQUIV=content-type>"
	    GBK_ZWBG, NULL, 1,
	    "<META CONTENT='text/html;charset=GBK' HTTP-EQUIV=content-type>"
	    "中文报告", "GB18030", "meta");
	EXPECT("<meta charset='x-gbk'/>" GBK_ZWBG, NULL, 1,
	    "<meta charset='x-gbk'/>中文报告", "GB18030", "meta");
	EXPECT("<?xml version=\"1.0\" encoding=\"GB2312\"?><html>" GBK_ZWBG,
	    NULL, 1, "<?xml version=\"1.0\" encoding=\"GB2312\"?><html>中文报告",
	    "GB18030", "meta");
	/* a content= without http-equiv is no declaration: guessed */
	EXPECT("<meta name=x content=\"charset=big5\">" GBK_ZWBG, NULL, 1,
	    "<meta name=x content=\"charset=big5\">中文报告", "GB18030",
	    "guess");
	/* a meta inside a comment does not count */
	EXPECT("<!-- <meta charset=big5> -->" GBK_ZWBG, NULL, 1,
	    "<!-- <meta charset=big5> -->中文报告", "GB18030", "guess");
	/* not HTML: no sniffing, the GBK is guessed */
	EXPECT("<meta charset=big5>" GBK_ZWBG, NULL, 0,
	    "<meta charset=big5>中文报告", "GB18030", "guess");
}

static void
test_http_wins(void **state)
{
	/* HTTP says UTF-8, the meta says gb2312, the bytes are UTF-8 */
	EXPECT("<meta charset=gb2312><p>中文</p>", "utf-8", 1,
	    "<meta charset=gb2312><p>中文</p>", "UTF-8", "http");
	/* HTTP says GBK, the meta says UTF-8, the bytes are GBK */
	EXPECT("<meta charset=utf-8><p>" GBK_ZWBG "</p>", "GBK", 1,
	    "<meta charset=utf-8><p>中文报告</p>", "GB18030", "http");
	/* an unknown HTTP label falls through to the meta */
	EXPECT("<meta charset=gbk><p>" GBK_ZWBG "</p>", "x-nonsense", 1,
	    "<meta charset=gbk><p>中文报告</p>", "GB18030", "meta");
	/* Big5 when declared: 中文 */
	EXPECT("\xa4\xa4\xa4\xe5", "big5", 0, "中文", "Big5", "http");
}

static void
test_wrong_declaration(void **state)
{
	/* declared UTF-8, bytes invalid UTF-8 but clean GB18030 */
	EXPECT("<meta charset=\"utf-8\"><p>" GBK_ZWBG "</p>", NULL, 1,
	    "<meta charset=\"utf-8\"><p>中文报告</p>", "GB18030", "guess");
	EXPECT("<p>" GBK_ZWBG "</p>", "UTF-8", 1, "<p>中文报告</p>", "GB18030",
	    "guess");
	/* declared GBK, bytes are UTF-8 (and GB18030 stumbles on them) */
	EXPECT("<meta charset=gbk><p>政府信息公开工作年度报告</p>", NULL, 1,
	    "<meta charset=gbk><p>政府信息公开工作年度报告</p>", "UTF-8",
	    "guess");
	/* declared Latin-1 over GBK: GB18030 reads it cleanly */
	EXPECT("<meta charset=iso-8859-1><p>" GBK_ZWBG "</p>", NULL, 1,
	    "<meta charset=iso-8859-1><p>中文报告</p>", "GB18030", "guess");
	/* declared UTF-8 and neither decodes cleanly: UTF-8 with FFFD */
	EXPECT("<meta charset=utf-8>ab\xff\xfe\xfd" "cd", NULL, 1,
	    "<meta charset=utf-8>ab" FFFD FFFD FFFD "cd", "UTF-8", "meta");
}

static void
test_truncated_gb18030(void **state)
{
	/* a lead byte cut off by the end of the input */
	EXPECT("\xd6\xd0\xce\xc4\xd6", "gbk", 0, "中文" FFFD, "GB18030",
	    "http");
	/* a four-byte sequence cut after three bytes */
	EXPECT("\xd6\xd0\x81\x30\x81", "gb18030", 0, "中" FFFD, "GB18030",
	    "http");
	/* a lead byte followed by ASCII: the ASCII survives */
	EXPECT("\xd6<p>", "gbk", 0, FFFD "<p>", "GB18030", "http");
	/* a four-byte sequence, complete: U+00A5 is 81 30 84 36 */
	EXPECT("\x81\x30\x84\x36", "gb18030", 0, "\xc2\xa5", "GB18030",
	    "http");
}

static void
test_invalid_utf8(void **state)
{
	/*
	 * Overlong, surrogate, past U+10FFFF, truncated: one FFFD for each
	 * maximal subpart; NUL becomes FFFD too.  Each input ends in 0xFF so
	 * that GB18030 cannot read it either and the declaration stands.
	 */
	EXPECT("a\xc0\xafz\xff", "utf-8", 0, "a" FFFD FFFD "z" FFFD, "UTF-8",
	    "http");
	EXPECT("a\xed\xa0\x80z\xff", "utf-8", 0, "a" FFFD FFFD FFFD "z" FFFD,
	    "UTF-8", "http");
	EXPECT("a\xf4\x90\x80\x80z\xff", "utf-8", 0,
	    "a" FFFD FFFD FFFD FFFD "z" FFFD, "UTF-8", "http");
	EXPECT("a\xe4\xb8z\xff", "utf-8", 0, "a" FFFD "z" FFFD, "UTF-8",
	    "http");
	EXPECT("a\xff\xe4\xb8", "utf-8", 0, "a" FFFD FFFD, "UTF-8", "http");
	EXPECT("a\0b", "utf-8", 0, "a" FFFD "b", "UTF-8", "http");
	/* but declared UTF-8 over bytes that are clean GB18030: GB18030 */
	EXPECT("a\xc0\xafz", "utf-8", 0, "a蜡z", "GB18030", "guess");
}

static void
test_meta_window(void **state)
{
	char *buf;
	size_t n = 5000;
	struct dec d;

	/* a meta past the first 4 KB is not looked at */
	buf = malloc(n + 64);
	memset(buf, ' ', n);
	memcpy(buf + n, "<meta charset=big5>" GBK_ZWBG, 19 + 8);
	decode(buf, n + 27, NULL, 1, &d);
	assert_string_equal(d.used, "GB18030");
	assert_string_equal(d.from, "guess");
	assert_non_null(strstr(d.out, "中文报告"));
	free(d.out);
	free(buf);
}

/* Random bytes under every declaration: no crash, valid UTF-8 out. */
static void
test_garbage(void **state)
{
	static const char *decl[] = {
		NULL, "utf-8", "gbk", "gb18030", "big5", "utf-16", "utf-16be",
		"iso-8859-1", "nonsense",
	};
	size_t n = 1 << 16, i, j, len;
	unsigned char *buf;
	uint32_t x = 12345;
	struct dec d;

	buf = malloc(n);
	for (j = 0; j < sizeof decl / sizeof decl[0]; j++) {
		for (len = 0; len < n; len = len * 3 + 1) {
			for (i = 0; i < len; i++) {
				x = x * 1103515245 + 12345;
				buf[i] = (unsigned char)(x >> 16);
			}
			decode((char *)buf, len, decl[j], 1, &d);
			assert_true(valid_utf8((unsigned char *)d.out, d.len));
			free(d.out);
		}
	}
	/* every pair starting with a non-ASCII byte */
	for (i = 0x80; i < 256; i++) {
		for (j = 0; j < 256; j++) {
			buf[0] = (unsigned char)i;
			buf[1] = (unsigned char)j;
			decode((char *)buf, 2, "gb18030", 0, &d);
			assert_true(valid_utf8((unsigned char *)d.out, d.len));
			free(d.out);
			decode((char *)buf, 2, NULL, 0, &d);
			assert_true(valid_utf8((unsigned char *)d.out, d.len));
			free(d.out);
		}
	}
	free(buf);
}

/* The GBK fixture decodes through its meta declaration. */
static void
test_gbk_fixture(void **state)
{
	char *buf, *cause = NULL;
	size_t len;
	struct dec d;

	if (util_read_file(SRC_DIR "/tests/data/html/gbk_meta.html",
	    PARSE_MAX_INPUT, &buf, &len, &cause) != 0)
		fail_msg("%s", cause);
	decode(buf, len, NULL, 1, &d);
	assert_string_equal(d.used, "GB18030");
	assert_string_equal(d.from, "meta");
	assert_non_null(strstr(d.out, "临淄区人民政府办公室2024年政府信息公开工作"));
	assert_null(strstr(d.out, FFFD));
	free(d.out);
	/* an HTTP charset naming UTF-8 is contradicted by the bytes */
	decode(buf, len, "utf-8", 1, &d);
	assert_string_equal(d.used, "GB18030");
	assert_string_equal(d.from, "guess");
	free(d.out);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_gbk_meta),
		cmocka_unit_test(test_http_wins),
		cmocka_unit_test(test_wrong_declaration),
		cmocka_unit_test(test_truncated_gb18030),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_meta_window),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_gbk_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
