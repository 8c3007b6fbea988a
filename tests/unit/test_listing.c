/*
 * Unit tests for discovery (parse/listing.c, parse/url.c): the exact link
 * sets of the listing fixtures in tests/data/listing (Hanweb records in a
 * script, a TRS pager script, a GBK table listing, every look-alike, query
 * pagination, a report page's attachments), the title classifier on real
 * title wording, and the URL helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "listing.h"
#include "util.h"
#include "xmalloc.h"

/* One expected link: kind 'R' report, 'P' page, 'A' attachment. */
struct want {
	char		 kind;
	const char	*url;
	int		 year;
	const char	*date;		/* NULL: none */
};

static void
read_fixture(const char *name, const char *base, const char *extra,
    struct linkset *ls)
{
	char path[512], *buf = NULL, *cause = NULL;
	size_t len;

	snprintf(path, sizeof path, "%s/tests/data/listing/%s", SRC_DIR, name);
	if (util_read_file(path, 1 << 24, &buf, &len, &cause) != 0)
		fail_msg("%s", cause);
	if (listing_read(buf, len, NULL, base, extra, ls, &cause) != 0)
		fail_msg("listing_read %s: %s", name, cause);
	assert_null(cause);
	free(buf);
}

/* Asserts that ls holds exactly the wanted links, and the offhost count. */
static void
check(const struct linkset *ls, const struct want *w, size_t nw,
    size_t offhost)
{
	size_t i, j;

	for (i = 0; i < ls->n; i++) {
		const struct link *k = &ls->v[i];

		for (j = 0; j < nw; j++)
			if (strcmp(w[j].url, k->url) == 0)
				break;
		if (j == nw)
			fail_msg("unexpected link %c %s \"%s\"",
			    "RPA"[k->kind], k->url, k->text);
		if ("RPA"[k->kind] != w[j].kind)
			fail_msg("%s: kind %c, want %c", k->url,
			    "RPA"[k->kind], w[j].kind);
		if (k->year != w[j].year)
			fail_msg("%s: year %d, want %d", k->url, k->year,
			    w[j].year);
		if (w[j].date == NULL && k->date != NULL)
			fail_msg("%s: date %s, want none", k->url, k->date);
		if (w[j].date != NULL && (k->date == NULL ||
		    strcmp(k->date, w[j].date) != 0))
			fail_msg("%s: date %s, want %s", k->url,
			    k->date ? k->date : "none", w[j].date);
		assert_non_null(k->text);
		/* every URL once */
		for (j = 0; j < i; j++)
			assert_string_not_equal(ls->v[j].url, k->url);
	}
	assert_int_equal(ls->n, nw);
	assert_int_equal(ls->offhost, offhost);
}

#define CHECK(ls, w, off)	check(ls, w, sizeof (w) / sizeof (w)[0], off)

static const char *
text_of(const struct linkset *ls, const char *url)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		if (strcmp(ls->v[i].url, url) == 0)
			return ls->v[i].text;
	fail_msg("no link %s", url);
	return NULL;
}

static void
test_hanweb(void **state)
{
	static const struct want w[] = {
		{ 'R', "https://www.jiashan.gov.cn/art/2025/1/21/"
		    "art_1229_98797.html", 2024, "2025-01-21" },
		{ 'R', "https://www.jiashan.gov.cn/art/2024/1/16/"
		    "art_1229_86714.html", 2023, "2024-01-16" },
		{ 'R', "https://www.jiashan.gov.cn/art/2023/1/30/"
		    "art_1229_71460.html", 2022, "2023-01-30" },
	};
	struct linkset ls;

	(void)state;
	read_fixture("hanweb_col.html",
	    "https://www.jiashan.gov.cn/col/col1229/index.html", NULL, &ls);
	CHECK(&ls, w, 1);
	/* the truncated text was replaced by the full title attribute */
	assert_string_equal(text_of(&ls, w[0].url),
	    "大云镇2024年政府信息公开工作年度报告");
	linkset_release(&ls);
	assert_int_equal(ls.n, 0);
	assert_null(ls.v);
}

static const struct want trs_want[] = {
	{ 'R', "http://js.changchun.gov.cn/szf_3410/ndbg/202501/"
	    "t20250127_3378533.html", 2024, "2025-01-27" },
	{ 'R', "http://js.changchun.gov.cn/szf_3410/ndbg/202401/"
	    "t20240126_3270012.html", 2023, "2024-01-26" },
	{ 'R', "http://js.changchun.gov.cn/szf_3410/ndbg/202301/"
	    "t20230130_3112001.html", 2022, "2023-01-30" },
	{ 'P', "http://js.changchun.gov.cn/szf_3410/ndbg/index_1.html", 0,
	    NULL },
	{ 'P', "http://js.changchun.gov.cn/szf_3410/ndbg/index_2.html", 0,
	    NULL },
};

static void
test_trs(void **state)
{
	struct linkset ls;

	(void)state;
	read_fixture("trs_index.html",
	    "http://js.changchun.gov.cn/szf_3410/ndbg/index.html", NULL, &ls);
	CHECK(&ls, trs_want, 2);
	linkset_release(&ls);

	/* the portal is an allowed extra host: nothing off host then */
	read_fixture("trs_index.html",
	    "http://js.changchun.gov.cn/szf_3410/ndbg/index.html",
	    "other.example  WWW.changchun.gov.cn:80", &ls);
	CHECK(&ls, trs_want, 0);
	linkset_release(&ls);
}

/* The TRS pager from the second page: index.html comes back, not itself. */
static void
test_trs_pager_script(void **state)
{
	static const char page[] = "<ul><li><a href=\"t20250127_1.html\">x"
	    "</a></li></ul><script>createPageHTML('page_div', 4, 2,"
	    "'index','shtml',75);</script><script>function createPageHTML("
	    "a, b, c, d) {}\ncreatePageHTML(${PAGE_COUNT}, 0, \"index\", "
	    "\"html\");createPageHTML(2, 0, \"../../x\", \"html\");</script>";
	static const struct want w[] = {
		{ 'P', "http://a.gov.cn/col/index.shtml", 0, NULL },
		{ 'P', "http://a.gov.cn/col/index_1.shtml", 0, NULL },
		{ 'P', "http://a.gov.cn/col/index_3.shtml", 0, NULL },
	};
	static const char big[] = "<script>createPageHTML(100000, 0, "
	    "\"index\", \"html\")</script>";
	struct linkset ls;
	char *cause = NULL;

	(void)state;
	assert_int_equal(listing_read(page, strlen(page), NULL,
	    "http://a.gov.cn/col/index_2.shtml", NULL, &ls, &cause), 0);
	CHECK(&ls, w, 0);
	linkset_release(&ls);

	/* capped at 100 generated pages */
	assert_int_equal(listing_read(big, strlen(big), NULL,
	    "http://a.gov.cn/col/index.html", NULL, &ls, &cause), 0);
	assert_int_equal(ls.n, 99);
	assert_string_equal(ls.v[98].url, "http://a.gov.cn/col/index_99.html");
	linkset_release(&ls);
}

static void
test_gbk(void **state)
{
	static const struct want w[] = {
		{ 'R', "http://www.xyq.gov.cn/xyq/c100122/202401/"
		    "c04_163476.shtml", 2023, "2024-01-20" },
		{ 'R', "http://www.xyq.gov.cn/xyq/c100122/202301/"
		    "c04_150021.shtml", 2022, "2023-01-28" },
		{ 'R', "http://www.xyq.gov.cn/xyq/c100122/202201/"
		    "c04_139900.shtml", 2021, "2022-01-30" },
		{ 'P', "http://www.xyq.gov.cn/xyq/c100122/index_1.shtml", 0,
		    NULL },
	};
	struct linkset ls;

	(void)state;
	read_fixture("gbk_list.html",
	    "http://www.xyq.gov.cn/xyq/c100122/index.shtml", NULL, &ls);
	CHECK(&ls, w, 0);
	assert_string_equal(text_of(&ls, w[0].url),
	    "向阳区2023年政府信息公开工作年度报告");
	linkset_release(&ls);
}

static void
test_lookalikes(void **state)
{
	static const struct want w[] = {
		{ 'R', "https://www.cgx.gov.cn/zwgk/zfxxgknb/202501/"
		    "t20250120_1001.html", 2024, "2025-01-20" },
		{ 'R', "https://www.cgx.gov.cn/uploadfiles/2024/01/"
		    "%E5%9F%8E%E5%85%B3%E5%8E%BF2023%E5%B9%B4%E5%B9%B4%E6%8A%A5"
		    ".pdf", 2023, "2024-01-25" },
		{ 'R', "https://www.cgx.gov.cn/zwgk/zfxxgknb/202301/"
		    "t20230130_0901.html", 2022, "2023-01-30" },
		{ 'R', "https://www.cgx.gov.cn/zwgk/zfxxgknb/202003/"
		    "t20200331_0500.html", 2019, "2020-03-31" },
		{ 'A', "https://www.cgx.gov.cn/uploadfiles/2024/01/sqb.doc", 0,
		    "2024-01-05" },
	};
	struct linkset ls;

	(void)state;
	read_fixture("lookalikes.html", "https://www.cgx.gov.cn/zwgk/zfxxgknb/",
	    NULL, &ls);
	/* the 365bet mirror and www.gov.cn */
	CHECK(&ls, w, 2);
	linkset_release(&ls);
}

static void
test_paged(void **state)
{
	static const struct want w[] = {
		{ 'R', "http://www.zt.gov.cn/contents/6822/238168.html", 2024,
		    "2025-01-16" },
		{ 'R', "http://www.zt.gov.cn/contents/6822/211045.html", 2023,
		    "2024-01-16" },
		{ 'R', "http://www.zt.gov.cn/contents/6822/199001.html", 2022,
		    "2023-01-19" },
		{ 'P', "http://www.zt.gov.cn/list.jsp?cat=12&page=1", 0, NULL },
		{ 'P', "http://www.zt.gov.cn/list.jsp?cat=12&page=2", 0, NULL },
		{ 'P', "http://www.zt.gov.cn/list.jsp?page=3&cat=12", 0, NULL },
		{ 'P', "http://www.zt.gov.cn/list.jsp?cat=12&page=9", 0, NULL },
		{ 'P', "http://www.zt.gov.cn/list.jsp?pageNo=4&cat=12&t=1", 0,
		    NULL },
	};
	struct linkset ls;

	(void)state;
	read_fixture("paged.html", "http://www.zt.gov.cn/list.jsp?cat=12",
	    NULL, &ls);
	CHECK(&ls, w, 0);
	/* 下一页 came after the "2" link to the same URL: first one wins */
	assert_string_equal(text_of(&ls, w[4].url), "2");
	linkset_release(&ls);
}

static void
test_report_page(void **state)
{
	static const struct want w[] = {
		{ 'R', "https://www.jiashan.gov.cn/attach/0/2025/01/21/"
		    "dy2024.pdf", 2024, NULL },
		{ 'A', "https://www.jiashan.gov.cn/attach/0/2025/01/21/"
		    "table2.docx", 0, NULL },
		{ 'A', "https://www.jiashan.gov.cn/attach/0/2025/01/21/"
		    "table3.XLS", 0, NULL },
		{ 'A', "https://www.jiashan.gov.cn/attach/0/2025/01/21/"
		    "scan.ofd?v=2", 0, NULL },
		{ 'A', "https://www.jiashan.gov.cn/attach/0/2025/01/21/all.ZIP",
		    0, NULL },
		{ 'A', "https://www.jiashan.gov.cn/attach/0/2025/01/21/old.wps",
		    0, NULL },
		/* 上一篇: another report; 下一页 to an article is no page */
		{ 'R', "https://www.jiashan.gov.cn/art/2024/1/16/"
		    "art_1229_86714.html", 2023, NULL },
	};
	struct linkset ls;

	(void)state;
	read_fixture("report_page.html",
	    "https://www.jiashan.gov.cn/art/2025/1/21/art_1229_98797.html",
	    NULL, &ls);
	CHECK(&ls, w, 0);
	linkset_release(&ls);
}

/* Dates beside links in the layouts CMSs use. */
static void
test_dates(void **state)
{
	static const char page[] =
	    "<table><tr><td><a href=\"a1.html\">2023年政府信息公开年报</a>"
	    "</td><td><a href=\"x.pdf\">下载</a></td><td>2024/1/5</td></tr>"
	    "</table><div><span>2024.02.03</span><a href=\"a2.html\">"
	    "2023年政府信息公开年报</a><br><a href=\"a3.html\">"
	    "2022年政府信息公开年报</a> 2023年3月4日 <a href=\"a4.html\">"
	    "2021年政府信息公开年报</a></div><ul><li><a href=\"a5.html\">"
	    "2020年政府信息公开年报</a><span>2021-02-30</span></li></ul>";
	static const struct want w[] = {
		{ 'R', "http://h.cn/a1.html", 2023, "2024-01-05" },
		{ 'A', "http://h.cn/x.pdf", 0, "2024-01-05" },
		{ 'R', "http://h.cn/a2.html", 2023, "2024-02-03" },
		{ 'R', "http://h.cn/a3.html", 2022, "2023-03-04" },
		{ 'R', "http://h.cn/a4.html", 2021, NULL },
		/* not a calendar day */
		{ 'R', "http://h.cn/a5.html", 2020, NULL },
	};
	struct linkset ls;
	char *cause = NULL;

	(void)state;
	assert_int_equal(listing_read(page, strlen(page), "utf-8",
	    "http://h.cn/", NULL, &ls, &cause), 0);
	CHECK(&ls, w, 0);
	linkset_release(&ls);
}

/* <base href>, bounds and refusals. */
static void
test_bounds(void **state)
{
	static const char based[] = "<head><base href=\"http://h.cn/sub/\">"
	    "</head><a href=\"t20250101_1.html\">2024年政府信息公开工作年度报告"
	    "</a><a href=\"http://h.cn/sub/t20250101_1.html\">again</a>";
	struct linkset ls;
	struct buf_like { char *p; size_t n; } big;
	char *cause = NULL, *p;
	size_t i, n;

	(void)state;
	assert_int_equal(listing_read(based, strlen(based), NULL,
	    "http://h.cn/list/", NULL, &ls, &cause), 0);
	assert_int_equal(ls.n, 1);
	assert_string_equal(ls.v[0].url, "http://h.cn/sub/t20250101_1.html");
	assert_int_equal(ls.v[0].year, 2024);
	linkset_release(&ls);

	/* a stray <a> around a layout table: the links inside still count */
	p = "<a href=\"/\">logo<table><tr><td><a href=\"t20250101_1.html\">"
	    "2024年政府信息公开工作年度报告</a></td></tr></table>";
	assert_int_equal(listing_read(p, strlen(p), NULL, "http://h.cn/l/",
	    NULL, &ls, &cause), 0);
	assert_int_equal(ls.n, 1);
	assert_string_equal(ls.v[0].url, "http://h.cn/l/t20250101_1.html");
	linkset_release(&ls);

	/* 12,000 links: only the first 10,000 are read */
	n = 12000;
	big.n = n * 64 + 1;
	big.p = xmalloc(big.n);
	for (i = 0, p = big.p; i < n; i++)
		p += snprintf(p, 64, "<a href=\"/att/%zu.pdf\">f</a>\n", i);
	assert_int_equal(listing_read(big.p, (size_t)(p - big.p), NULL,
	    "http://h.cn/", NULL, &ls, &cause), 0);
	assert_int_equal(ls.n, 10000);
	assert_string_equal(ls.v[9999].url, "http://h.cn/att/9999.pdf");
	linkset_release(&ls);

	/* a link text longer than 1 KB is cut on a character boundary */
	p = big.p;
	p += snprintf(p, 64, "<a href=\"/x.pdf\">");
	for (i = 0; i < 1000; i++) {
		memcpy(p, "报", 3);
		p += 3;
	}
	p += snprintf(p, 8, "</a>");
	assert_int_equal(listing_read(big.p, (size_t)(p - big.p), NULL,
	    "http://h.cn/", NULL, &ls, &cause), 0);
	assert_int_equal(ls.n, 1);
	assert_true(strlen(ls.v[0].text) <= 1024);
	assert_true(strlen(ls.v[0].text) >= 1020);
	assert_int_equal(strlen(ls.v[0].text) % 3, 0);
	linkset_release(&ls);

	/* hostile nesting is refused, not parsed */
	p = big.p;
	for (i = 0; i < 6000; i++) {
		memcpy(p, "<div>", 5);
		p += 5;
	}
	assert_int_equal(listing_read(big.p, (size_t)(p - big.p), NULL,
	    "http://h.cn/", NULL, &ls, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "nested"));
	assert_int_equal(ls.n, 0);
	free(cause);
	cause = NULL;
	free(big.p);

	assert_int_equal(listing_read("", 0, NULL, "http://h.cn/", NULL, &ls,
	    &cause), -1);
	assert_non_null(strstr(cause, "empty"));
	free(cause);
	cause = NULL;
	assert_int_equal(listing_read("%PDF-1.7\n", 9, NULL, "http://h.cn/",
	    NULL, &ls, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(listing_read("<a href=x>", 10, NULL, "ftp://h.cn/",
	    NULL, &ls, &cause), -1);
	assert_non_null(strstr(cause, "base URL"));
	free(cause);
}

/* Real titles (domain.md §4.3, §5.6, §5.7 wording) and their years. */
static void
test_titles(void **state)
{
	static const struct {
		const char	*title;
		int		 year;	/* 0: not a report */
	} t[] = {
		{ "大云镇2024年政府信息公开工作年度报告", 2024 },
		{ "瓜沥镇2024年政府信息公开工作年度报告", 2024 },
		{ "长春市人民政府办公厅2024年政府信息公开工作年度报告", 2024 },
		{ "黔江区2023年政府信息公开工作年度报告", 2023 },
		{ "白城市农业农村局2024年度政府信息公开工作年度报告", 2024 },
		{ "上海市2022年政府信息公开工作年度报告", 2022 },
		{ "广东省人民政府2024年政府信息公开年度报告", 2024 },
		{ "丽水市2017年政府信息公开工作年度报告", 2017 },
		{ "南平市2012年政府信息公开工作年度报告", 2012 },
		{ "舒兰市2016年度政府信息公开年度报告", 2016 },
		{ "2009年政府信息公开工作年度报告", 2009 },
		{ "2010年政府信息公开年度工作报告", 2010 },
		{ "江苏省民政厅2023年度政府信息公开年报", 2023 },
		{ "昭通市2022年政务公开工作年度报告", 2022 },
		{ "宿迁市2017年政府信息公开工作报告", 2017 },
		{ "政府信息公开工作年度报告（2023年）", 2023 },
		{ "政府信息公开工作年度报告 2021", 2021 },
		{ "２０２３年 政府信息 公开工作 年度报告", 2023 },
		{ "二〇二三年政府信息公开工作年度报告", 2023 },
		{ "二零二一年度政府信息公开工作年度报告", 2021 },
		{ "2024年凤卧镇2023年度政府信息公开工作年度报告", 2023 },
		{ "城关县2019年政府信息公开工作年度报告（2020年3月修订）", 2019 },
		{ "嘉善县2024年政府信息公开工作年度报告.pdf", 2024 },
		/* look-alikes and rules */
		{ "《2023年政府信息公开工作年度报告》解读", 0 },
		{ "图解：2023年政府信息公开工作年度报告", 0 },
		{ "一图读懂2023年政府信息公开工作年度报告", 0 },
		{ "嘉善县人民政府2024年度政府网站工作年度报表", 0 },
		{ "2023年政府网站年度报表", 0 },
		{ "2023年度法治政府建设年度报告", 0 },
		{ "2024年部门预算", 0 },
		{ "2023年部门决算", 0 },
		{ "政府信息公开工作年度报告制度", 0 },
		{ "关于做好2023年度政府信息公开工作年度报告编制和发布工作的通知", 0 },
		{ "关于政府信息公开工作年度报告有关事项的通知", 0 },
		{ "中华人民共和国政府信息公开工作年度报告格式", 0 },
		{ "2023年国民经济和社会发展统计公报", 0 },
		{ "2016年政府信息公开工作年度报告发布情况评估报告", 0 },
		/* no year, or not about disclosure */
		{ "政府信息公开工作年度报告", 0 },
		{ "政府信息公开年报", 0 },
		{ "2023年企业年度报告公示", 0 },
		{ "2023年政府信息公开指南", 0 },
		{ "2024年政务公开工作要点", 0 },
		{ "政府信息公开工作年度报告 2007", 0 },
		{ "政府信息公开 2024-01-15 年度报告", 0 },
		{ "", 0 },
	};
	size_t i;
	int year, got;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		year = -1;
		got = listing_is_report_title(t[i].title, &year);
		if (got != (t[i].year != 0) || year != t[i].year)
			fail_msg("\"%s\": %d year %d, want year %d",
			    t[i].title, got, year, t[i].year);
	}
	assert_int_equal(listing_is_report_title(NULL, &year), 0);
	assert_int_equal(year, 0);
}

static void
test_url_resolve(void **state)
{
	static const char base[] = "http://WWW.Ex.gov.cn:80/a/b/index.html?x=1#f";
	static const struct {
		const char	*href;
		const char	*want;	/* NULL: refused */
	} t[] = {
		{ "t20250127_1.html", "http://www.ex.gov.cn/a/b/t20250127_1.html" },
		{ "./202501/t.html", "http://www.ex.gov.cn/a/b/202501/t.html" },
		{ "../c/d.html", "http://www.ex.gov.cn/a/c/d.html" },
		{ "../../../../d.html", "http://www.ex.gov.cn/d.html" },
		{ "/art/2025/1/21/art_1_2.html",
		    "http://www.ex.gov.cn/art/2025/1/21/art_1_2.html" },
		{ "//Other.COM/x", "http://other.com/x" },
		{ "?page=2", "http://www.ex.gov.cn/a/b/index.html?page=2" },
		{ "list.jsp?a=1&b=%E4", "http://www.ex.gov.cn/a/b/list.jsp?a=1&b=%E4" },
		{ "x.html#frag", "http://www.ex.gov.cn/a/b/x.html" },
		{ "#top", "http://www.ex.gov.cn/a/b/index.html?x=1" },
		{ "", "http://www.ex.gov.cn/a/b/index.html?x=1" },
		{ "  \n x.html\t ", "http://www.ex.gov.cn/a/b/x.html" },
		{ "a\nb.html", "http://www.ex.gov.cn/a/b/ab.html" },
		{ "/年报 2023.pdf",
		    "http://www.ex.gov.cn/%E5%B9%B4%E6%8A%A5%202023.pdf" },
		{ "HTTPS://Y.GOV.CN:443/p", "https://y.gov.cn/p" },
		{ "http://y.gov.cn:8080/p", "http://y.gov.cn:8080/p" },
		{ "http://user:pw@y.gov.cn/p", "http://y.gov.cn/p" },
		{ "http://[::1]:8080/x", "http://[::1]:8080/x" },
		{ "\\c\\d.html", "http://www.ex.gov.cn/c/d.html" },
		{ "javascript:void(0)", NULL },
		{ "JavaScript:openWin('x')", NULL },
		{ "mailto:a@b.cn", NULL },
		{ "tel:12345", NULL },
		{ "ftp://y.gov.cn/x", NULL },
		{ "data:text/html,x", NULL },
		{ "http://a b.cn/", NULL },
		/* curl decodes %XX in hosts: never a raw byte in a URL */
		{ "http://www.3%B65bet.com/", NULL },
		{ "http://www.3\xb6" "5bet.com/", NULL },
		{ "http://政府.cn/", NULL },
		{ "http://", NULL },
		{ "http:foo", NULL },
		{ "a\001b", NULL },
	};
	size_t i;
	char *u, *longhref;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		u = url_resolve(base, t[i].href);
		if (t[i].want == NULL && u != NULL)
			fail_msg("\"%s\" -> %s, want NULL", t[i].href, u);
		if (t[i].want != NULL && (u == NULL ||
		    strcmp(u, t[i].want) != 0))
			fail_msg("\"%s\" -> %s, want %s", t[i].href,
			    u ? u : "NULL", t[i].want);
		free(u);
	}
	assert_null(url_resolve("/relative/base", "x.html"));
	assert_null(url_resolve("www.ex.gov.cn/a", "x.html"));
	assert_null(url_resolve("ftp://h/", "http://x.cn/"));
	assert_null(url_resolve(NULL, "http://x.cn/"));
	assert_null(url_resolve(base, NULL));
	longhref = xmalloc(20000);
	memset(longhref, 'a', 19999);
	longhref[19999] = '\0';
	assert_null(url_resolve(base, longhref));
	free(longhref);
}

static void
test_url_host(void **state)
{
	static const struct {
		const char	*url;
		const char	*want;
	} t[] = {
		{ "http://WWW.Jiashan.GOV.cn/art/1.html", "www.jiashan.gov.cn" },
		{ "https://www.gd.gov.cn:8443/x", "www.gd.gov.cn" },
		{ "http://122.137.242.24:8080/pub/x.html", "122.137.242.24" },
		{ "http://61.150.65.235/zfxxgk/", "61.150.65.235" },
		{ "http://[2001:DB8::1]:8080/x", "[2001:db8::1]" },
		{ "HTTP://h.cn", "h.cn" },
		{ "http://u:p@h.cn/x", "h.cn" },
		{ "ftp://h.cn/x", NULL },
		{ "mailto:a@h.cn", NULL },
		{ "/relative", NULL },
		{ "h.cn/x", NULL },
		{ "", NULL },
	};
	size_t i;
	char *h;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		h = url_host(t[i].url);
		if (t[i].want == NULL && h != NULL)
			fail_msg("%s -> %s, want NULL", t[i].url, h);
		if (t[i].want != NULL && (h == NULL ||
		    strcmp(h, t[i].want) != 0))
			fail_msg("%s -> %s, want %s", t[i].url,
			    h ? h : "NULL", t[i].want);
		free(h);
	}
	assert_null(url_host(NULL));
}

static void
test_url_host_allowed(void **state)
{
	(void)state;
	assert_true(url_host_allowed("http://www.a.gov.cn/x", "www.a.gov.cn",
	    NULL));
	assert_true(url_host_allowed("http://WWW.A.gov.cn:81/x",
	    "www.a.gov.cn", NULL));
	assert_true(url_host_allowed("http://www.a.gov.cn/x", "WWW.A.GOV.CN",
	    ""));
	assert_false(url_host_allowed("http://a.gov.cn/x", "www.a.gov.cn",
	    NULL));
	/* a suffix is not the host: no subdomain or look-alike matching */
	assert_false(url_host_allowed("http://www.a.gov.cn.spam.com/x",
	    "www.a.gov.cn", NULL));
	assert_false(url_host_allowed("http://xwww.a.gov.cn/x",
	    "www.a.gov.cn", NULL));
	assert_false(url_host_allowed("http://www.365betchina.com/x",
	    "www.a.gov.cn", "b.gov.cn c.gov.cn"));
	assert_true(url_host_allowed("http://c.gov.cn/x", "www.a.gov.cn",
	    "b.gov.cn c.gov.cn"));
	assert_true(url_host_allowed("http://c.gov.cn/x", "www.a.gov.cn",
	    "  b.gov.cn,\tC.GOV.CN;  "));
	assert_true(url_host_allowed("http://122.137.242.24:8080/x",
	    "www.a.gov.cn", "122.137.242.24:8080"));
	assert_true(url_host_allowed("http://[::1]:8080/x", "[::1]:8080",
	    NULL));
	assert_true(url_host_allowed("https://d.gov.cn/p", "www.a.gov.cn",
	    "http://d.gov.cn/list/"));
	assert_false(url_host_allowed("http://b.gov.cn/x", "www.a.gov.cn",
	    "bb.gov.cn"));
	assert_false(url_host_allowed("mailto:x@www.a.gov.cn", "www.a.gov.cn",
	    NULL));
	assert_false(url_host_allowed(NULL, "www.a.gov.cn", NULL));
	assert_false(url_host_allowed("http://www.a.gov.cn/", NULL, NULL));
	assert_false(url_host_allowed("http://www.a.gov.cn/", "", " "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hanweb),
		cmocka_unit_test(test_trs),
		cmocka_unit_test(test_trs_pager_script),
		cmocka_unit_test(test_gbk),
		cmocka_unit_test(test_lookalikes),
		cmocka_unit_test(test_paged),
		cmocka_unit_test(test_report_page),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_url_resolve),
		cmocka_unit_test(test_url_host),
		cmocka_unit_test(test_url_host_allowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
