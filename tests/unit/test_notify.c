/*
 * Unit tests for the pieces of a notification that need no receiver: the
 * signing and encoding helpers against published vectors (RFC 4231 HMAC,
 * RFC 4648 Base64, an RFC 2047 subject that decodes back) and the Chinese
 * texts of every event type, digests cut within a size limit, severity.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "notify.h"
#include "xmalloc.h"

static void
assert_contains(const char *s, const char *want)
{
	if (strstr(s, want) == NULL)
		fail_msg("\"%s\" not in:\n%s", want, s);
}

static void
test_hmac_rfc4231(void **state)
{
	unsigned char key[20], mac[32];
	char *hex;

	(void)state;
	/* RFC 4231 test case 1 */
	memset(key, 0x0b, sizeof key);
	sign_hmac_sha256(key, sizeof key, "Hi There", 8, mac);
	hex = sign_hex(mac, sizeof mac);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	free(hex);
	/* test case 2: a key shorter than the block */
	sign_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	hex = sign_hex(mac, sizeof mac);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	free(hex);
}

static void
test_base64_rfc4648(void **state)
{
	static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba",
	    "foobar" };
	static const char *out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
	    "Zm9vYmE=", "Zm9vYmFy" };
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		s = sign_base64((const unsigned char *)in[i], strlen(in[i]));
		assert_string_equal(s, out[i]);
		free(s);
	}
}

static void
test_urlencode(void **state)
{
	char *s;

	(void)state;
	s = sign_urlencode("ab+/=c d~-._");
	assert_string_equal(s, "ab%2B%2F%3Dc%20d~-._");
	free(s);
}

/* Base64 decoding for the test only. */
static size_t
b64dec(const char *s, size_t len, unsigned char *out)
{
	static const char al[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0;
	int bits = 0;
	size_t i, n = 0;
	const char *p;

	for (i = 0; i < len && s[i] != '='; i++) {
		p = strchr(al, s[i]);
		assert_non_null(p);
		v = v << 6 | (unsigned)(p - al);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(v >> bits & 0xff);
		}
	}
	return n;
}

static void
test_rfc2047_long_subject(void **state)
{
	const char *subj = "逾期未发布：安徽省池州市石台县人民政府办公室"
	    "政府信息公开工作年度报告 2025 年度（已超过公开截止日期）";
	char *enc, *word, *end;
	unsigned char dec[1024];
	size_t n = 0, w, words = 0;
	const char *p;

	(void)state;
	enc = sign_rfc2047("plain ASCII subject");
	assert_string_equal(enc, "plain ASCII subject");
	free(enc);

	enc = sign_rfc2047(subj);
	for (p = enc; *p != '\0'; p = end) {
		while (*p == '\r' || *p == '\n' || *p == ' ')
			p++;
		if (*p == '\0')
			break;
		assert_memory_equal(p, "=?UTF-8?B?", 10);
		end = strstr(p + 10, "?=");
		assert_non_null(end);
		end += 2;
		/* RFC 2047: an encoded word is at most 75 characters */
		assert_true(end - p <= 75);
		word = xstrndup(p + 10, (size_t)(end - p - 12));
		w = b64dec(word, strlen(word), dec + n);
		/* each word is whole UTF-8: it starts on a lead byte */
		assert_true((dec[n] & 0xc0) != 0x80);
		n += w;
		free(word);
		words++;
	}
	assert_true(words >= 3);
	assert_int_equal(n, strlen(subj));
	assert_memory_equal(dec, subj, n);
	free(enc);
}

static const char *ev_new_payload =
    "{\"version\":1,\"findings\":[{\"rule\":\"T3.ROW\",\"severity\":\"error\","
    "\"result\":\"fail\",\"cells\":[\"t3.granted.total\","
    "\"t3.granted.natural\"],\"expected\":70,\"actual\":68,\"message\":"
    "\"（一）予以公开：总计 68 ≠ 六列之和 70\"}],\"type\":\"report.new\","
    "\"source\":\"portal-trs\",\"agency\":\"沂源县人民政府\",\"level\":"
    "\"government\",\"region\":\"山东省淄博市沂源县\",\"report\":12,"
    "\"year\":2025,\"url\":\"http://127.0.0.12/xxgk/nb/t2025.html\","
    "\"title\":\"沂源县人民政府2025年政府信息公开工作年度报告\","
    "\"published\":\"2026-01-27\",\"published_from\":\"first_seen\"}";

static char *
render(const char *type, const char *payload, enum message_format f,
    size_t max, char **title)
{
	struct notify_event e;
	struct notify_msg m;

	memset(&e, 0, sizeof e);
	memset(&m, 0, sizeof m);
	e.type = type;
	e.key = "k:1";
	e.payload = payload;
	m.events = &e;
	m.nevents = 1;
	m.key = "k:1";
	if (title != NULL)
		*title = message_title(&m);
	return message_text(&m, f, max);
}

static void
test_message_new(void **state)
{
	char *t, *title;
	size_t f;

	(void)state;
	for (f = 0; f < 2; f++) {
		t = render("report.new", ev_new_payload, (enum message_format)f,
		    0, &title);
		assert_string_equal(title, "新发布：沂源县人民政府 2025 年度");
		assert_contains(t, "新发布");
		assert_contains(t, "沂源县人民政府");
		assert_contains(t, "2025");
		assert_contains(t, "http://127.0.0.12/xxgk/nb/t2025.html");
		assert_contains(t, "T3.ROW");
		assert_contains(t, "t3.granted.natural（（一）予以公开 · 自然人）");
		assert_contains(t, "应为 70，实为 68");
		assert_contains(t, "2026-01-27（首次发现日期，实际发布可能更早）");
		assert_contains(t, "幂等键：k:1");
		if (f == MESSAGE_MARKDOWN)
			assert_contains(t, "[http://127.0.0.12/xxgk/nb/t2025.html]"
			    "(http://127.0.0.12/xxgk/nb/t2025.html)");
		else
			assert_null(strstr(t, "]("));
		free(t);
		free(title);
	}
}

static void
test_message_changed(void **state)
{
	char *t;

	(void)state;
	t = render("report.changed", "{\"version\":2,\"agency\":\"沂源县人民政府\","
	    "\"year\":2024,\"url\":\"http://x/a.html\",\"summary\":"
	    "\"t3.granted.natural: 68 → 70\",\"changes\":{\"cells\":[{\"key\":"
	    "\"t3.granted.natural\",\"from\":\"68\",\"to\":\"70\"},{\"key\":"
	    "\"t4.review.total\",\"from\":\"1\",\"to\":\"2\"}],\"cells_more\":3,"
	    "\"sections\":[{\"name\":\"五、存在的主要问题及改进情况\"}],"
	    "\"findings_appeared\":[{\"id\":\"T3.BALANCE\",\"cells\":["
	    "\"t3.total.total\"],\"message\":\"不平衡\"}],"
	    "\"findings_vanished\":[]},\"findings\":[]}", MESSAGE_PLAIN, 0,
	    NULL);
	assert_contains(t, "内容变更");
	assert_contains(t, "t3.granted.natural（（一）予以公开 · 自然人）: 68 → 70");
	assert_contains(t, "t4.review.total（行政复议 · 总计）: 1 → 2");
	assert_contains(t, "另有 3 处单元格变更");
	assert_contains(t, "五、存在的主要问题及改进情况");
	assert_contains(t, "新出现的问题");
	assert_contains(t, "T3.BALANCE");
	assert_contains(t, "第 2 版");
	free(t);
}

static void
test_message_types(void **state)
{
	static const struct {
		const char *type, *what;
	} types[] = {
		{ "report.removed", "已撤下" },
		{ "report.missing", "逾期未发布" },
		{ "report.late", "逾期发布" },
		{ "report.found", "已补发" },
		{ "source.failing", "站点无法访问" },
		{ "source.recovered", "已恢复" },
		{ "source.synced", "首次同步" },
		{ "some.future", "some.future" },
	};
	const char *payload = "{\"agency\":\"石台县人民政府\",\"year\":2022,"
	    "\"url\":\"http://h/a.html\",\"reason\":\"404\",\"deadline\":"
	    "\"2023-01-31\",\"published\":\"2023-02-10\",\"published_from\":"
	    "\"page\",\"error\":\"HTTP 503\",\"failures\":3,\"pages_seen\":4}";
	char *t, *title;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		t = render(types[i].type, payload, MESSAGE_MARKDOWN, 0, &title);
		assert_contains(title, types[i].what);
		assert_contains(title, "石台县人民政府 2022 年度");
		assert_contains(t, types[i].what);
		assert_contains(t, "http://h/a.html");
		assert_contains(t, "公开截止日期：2023-01-31");
		assert_contains(t, "2023-02-10（页面所载日期）");
		assert_contains(t, "页面返回 404");
		assert_contains(t, "HTTP 503");
		/* an unknown member is still shown */
		assert_contains(t, "pages_seen：4");
		free(t);
		free(title);
	}
	/* the first sync names its past reports; missing names the listing */
	t = render("source.synced", "{\"agency\":\"沂源县人民政府\","
	    "\"reports_found\":2,\"years\":[2022,2023],\"reports\":[{"
	    "\"year\":2023,\"agency\":\"沂源县人民政府\",\"url\":"
	    "\"http://h/2023.html\",\"failing\":2}]}", MESSAGE_PLAIN, 0, NULL);
	assert_contains(t, "收录往年年报：2 份（2022、2023 年度）");
	assert_contains(t, "2023 年度 沂源县人民政府（2 项检查未通过） "
	    "http://h/2023.html");
	free(t);
	t = render("report.missing", "{\"agency\":\"沂源县人民政府\","
	    "\"year\":2025,\"deadline\":\"2026-01-31\",\"url\":"
	    "\"http://h/list.html\",\"days_overdue\":12,\"published\":null}",
	    MESSAGE_PLAIN, 0, NULL);
	assert_contains(t, "已逾期：12 天");
	assert_contains(t, "年报栏目：http://h/list.html");
	free(t);
	/* no payload at all: still a title and a footer */
	t = render("source.recovered", NULL, MESSAGE_PLAIN, 0, &title);
	assert_contains(t, "已恢复");
	assert_contains(t, "幂等键：k:1");
	free(t);
	free(title);
}

static int
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	while (*p != '\0') {
		n = *p < 0x80 ? 0 : *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc0 ?
		    1 : -1;
		if (n < 0)
			return 0;
		for (p++; n > 0; n--, p++)
			if ((*p & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

static void
test_digest_cut(void **state)
{
	struct notify_event ev[60];
	struct notify_msg m;
	char *payload[60], *t, *title, *more;
	size_t i, f;

	(void)state;
	memset(&m, 0, sizeof m);
	for (i = 0; i < 60; i++) {
		memset(&ev[i], 0, sizeof ev[i]);
		payload[i] = xprintf("{\"agency\":\"第%zu人民政府\",\"year\":2025,"
		    "\"url\":\"http://h/%zu.html\"}", i, i);
		ev[i].id = (int64_t)i + 1;
		ev[i].type = i % 2 ? "report.new" : "report.missing";
		ev[i].key = "k";
		ev[i].payload = payload[i];
	}
	m.events = ev;
	m.nevents = 60;
	m.key = "digest:robot:1-60";
	title = message_title(&m);
	assert_string_equal(title, "nianbao：60 条新事件");
	free(title);
	for (f = 0; f < 2; f++) {
		t = message_text(&m, (enum message_format)f, 0);
		assert_contains(t, "第59人民政府");
		assert_null(strstr(t, "另有"));
		free(t);
		t = message_text(&m, (enum message_format)f, 1000);
		assert_true(strlen(t) <= 1000);
		assert_true(utf8_valid(t));
		assert_contains(t, "第0人民政府 2025 年度");
		assert_null(strstr(t, "第59人民政府"));
		assert_contains(t, "另有 ");
		assert_contains(t, " 条未列出");
		assert_contains(t, "幂等键：digest:robot:1-60");
		/* the count is right: listed + left out = 60 */
		{
			size_t listed = 0, left;
			const char *p;

			for (i = 0; i < 60; i++) {
				more = xprintf("第%zu人民政府 ", i);
				if (strstr(t, more) != NULL)
					listed++;
				free(more);
			}
			p = strstr(t, "另有 ");
			left = strtoul(p + strlen("另有 "), NULL, 10);
			assert_int_equal(listed + left, 60);
		}
		free(t);
		/* a limit smaller than a title is still kept, whole sequences */
		t = message_text(&m, (enum message_format)f, 10);
		assert_true(strlen(t) <= 10);
		assert_true(utf8_valid(t));
		free(t);
	}
	for (i = 0; i < 60; i++)
		free(payload[i]);
}

static void
test_severity(void **state)
{
	struct notify_event e;

	(void)state;
	memset(&e, 0, sizeof e);
	e.type = "source.failing";
	assert_int_equal(message_severity(&e), 2);
	e.type = "report.removed";
	assert_int_equal(message_severity(&e), 1);
	e.type = "report.missing";
	assert_int_equal(message_severity(&e), 1);
	e.type = "report.late";
	assert_int_equal(message_severity(&e), 1);
	e.type = "report.new";
	e.payload = "{\"findings\":[]}";
	assert_int_equal(message_severity(&e), 0);
	e.payload = "{\"findings\":[{\"rule\":\"X\",\"severity\":\"warning\"}]}";
	assert_int_equal(message_severity(&e), 1);
	e.payload = ev_new_payload;
	assert_int_equal(message_severity(&e), 2);
	e.type = "source.recovered";
	e.payload = "not json";
	assert_int_equal(message_severity(&e), 0);
}

static void
test_test_message(void **state)
{
	struct notify_msg m;
	char *t, *title;

	(void)state;
	memset(&m, 0, sizeof m);
	m.test = 1;
	m.key = "test:robot:1";
	title = message_title(&m);
	t = message_text(&m, MESSAGE_MARKDOWN, 0);
	assert_contains(title, "测试");
	assert_contains(t, "测试消息");
	assert_contains(t, "test:robot:1");
	free(t);
	free(title);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_base64_rfc4648),
		cmocka_unit_test(test_urlencode),
		cmocka_unit_test(test_rfc2047_long_subject),
		cmocka_unit_test(test_message_new),
		cmocka_unit_test(test_message_changed),
		cmocka_unit_test(test_message_types),
		cmocka_unit_test(test_digest_cut),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_test_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
