/*
 * Unit tests for label normalization and list-number parsing (parse/label.c):
 * the ways real reports write the same label must normalize to one string.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "label.h"

static void
assert_norm(const char *in, const char *want)
{
	char *n = label_norm(in);

	assert_string_equal(n, want);
	free(n);
}

static void
test_width_and_brackets(void **state)
{
	assert_norm("（三）不予公开", "(三)不予公开");
	assert_norm("(三)不予公开", "(三)不予公开");
	assert_norm("１２３４", "1234");
	assert_norm("第二十条第（一）项", "第二十条第(一)项");
	assert_norm("第二十条 第(一)项", "第二十条第(一)项");
}

static void
test_spaces_and_breaks(void **state)
{
	assert_norm("商 业 企\n业", "商业企业");
	assert_norm("法 律 服 务\n机构", "法律服务机构");
	assert_norm("\xc2\xa0\xe3\x80\x80总计\t", "总计");	/* NBSP, U+3000 */
	/* a vertical label printed one character per line */
	assert_norm("三\n、\n本\n年\n度\n办\n理\n结\n果", "三.本年度办理结果");
}

static void
test_numbering_and_quotes(void **state)
{
	assert_norm("1、本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息");
	assert_norm("1.本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息");
	assert_norm("3.危及“三安全一稳定”", "3.危及\"三安全一稳定\"");
	assert_norm("3.危及\"三安全一稳定\"", "3.危及\"三安全一稳定\"");
}

static void
test_markers(void **state)
{
	assert_norm("[bookmark: _Hlk66973412]一、本年新收", "一.本年新收");
	assert_norm("[bookmark: _GoBack]1", "1");
	assert_norm("前[image: IMG_259]后", "前后");
}

static void
test_number(void **state)
{
	const char *rest;
	int style;

	assert_int_equal(label_number("三.本年度办理结果", &rest, &style), 3);
	assert_string_equal(rest, "本年度办理结果");
	assert_int_equal(style, 'c');
	assert_int_equal(label_number("(六)其他处理", &rest, &style), 6);
	assert_string_equal(rest, "其他处理");
	assert_int_equal(style, 'p');
	assert_int_equal(label_number("2.主动公开", &rest, &style), 2);
	assert_int_equal(style, 'a');
	assert_int_equal(label_number("十二.其他", &rest, NULL), 12);
	assert_int_equal(label_number("总计", &rest, NULL), 0);
	assert_int_equal(label_number("三安全", &rest, NULL), 0);
}

static void
test_has(void **state)
{
	char *n = label_norm("（二）部分公开（区分处理的，只计这一情形，不计其他情形）");

	assert_true(label_has(n, "部分公开"));
	assert_true(label_has(n, "（区分处理的"));
	assert_false(label_has(n, "予以公开"));
	free(n);
	assert_int_equal(label_chars("商业企业ab"), 6);
}

static void
test_text_norm_keeps_words(void **state)
{
	char *n = label_norm_text("  共收到  申请\n101件 ");

	assert_string_equal(n, "共收到 申请 101件");
	free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_and_brackets),
		cmocka_unit_test(test_spaces_and_breaks),
		cmocka_unit_test(test_numbering_and_quotes),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_text_norm_keeps_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
