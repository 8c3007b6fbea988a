/*
 * Tables 二, 三 and 四 onto record cells.  The approach is the same for
 * every reader: a row's values are its trailing value-like cells (numbers,
 * blanks, "/", "0件"), its label the last text cell before them, matched by
 * keywords on normalized text.  That survives ragged text rows, expanded
 * HTML grids, wrapped and spaced labels, lost numbering and repeated headers
 * without knowing where the merged label cells were.
 */
#include <stdlib.h>
#include <string.h>

#include "label.h"
#include "mapper.h"
#include "xmalloc.h"

/*
 * Whether a cell's text is a value (number, zero, blank, n/a).  Fast paths
 * first: plain digits are values, a Han character that no value word uses
 * makes a label; only the rest goes through cell_parse().
 */
static int
value_like(const char *text)
{
	static const char value_han[] = "件个项万元零无不适用涉及条次宗";
	const char *p = text, *q;
	struct cell c;
	unsigned cp;
	char enc[5];
	int v, digits_only = 1;

	while (*p != '\0') {
		q = p;
		cp = label_utf8_next(&q);
		if (cp < '0' || cp > '9')
			digits_only = 0;
		if (label_is_han(cp)) {
			enc[label_utf8_put(enc, cp)] = '\0';
			if (strstr(value_han, enc) == NULL)
				return 0;
		}
		p = q;
	}
	if (digits_only && *text != '\0')
		return 1;
	cell_parse(&c, text);
	v = c.kind != CELL_TEXT;
	free(c.raw);
	return v;
}

void
tables_lrow(const struct doc_row *row, struct lrow *lr)
{
	size_t i;

	lr->text = xreallocarray(NULL, row->ncells ? row->ncells : 1,
	    sizeof *lr->text);
	lr->n = 0;
	for (i = 0; i < row->ncells; i++) {
		/* a colspan copy repeats the cell to its left: skip it */
		if (i > 0 && row->cells[i].copy &&
		    row->cells[i].id == row->cells[i - 1].id)
			continue;
		lr->text[lr->n++] = row->cells[i].text;
	}
}

/* Number of trailing value-like cells of a row. */
static size_t
trailing_values(const struct lrow *lr)
{
	size_t n = 0;

	while (n < lr->n && value_like(lr->text[lr->n - 1 - n]))
		n++;
	return n;
}

/* Normalized text of the last label cell (before the values), or "". */
static char *
last_label(const struct lrow *lr, size_t nvalues)
{
	size_t i;
	char *n;

	for (i = lr->n - nvalues; i > 0; i--) {
		n = label_norm(lr->text[i - 1]);
		if (*n != '\0')
			return n;
		free(n);
	}
	return xstrdup("");
}

/*
 * A text cell among the values ("详见附表") ends the trailing run of values
 * early and is then taken for the label.  Finds the rightmost cell that is
 * a label by is_label() and returns the number of cells after it, or nv
 * when there is none.
 */
static size_t
values_after_label(const struct lrow *lr, size_t nv,
    int (*is_label)(const char *))
{
	size_t i;
	char *n;
	int ok;

	for (i = lr->n - nv; i > 0; i--) {
		n = label_norm(lr->text[i - 1]);
		ok = *n != '\0' && is_label(n);
		free(n);
		if (ok)
			return lr->n - i;
	}
	return nv;
}

/*
 * Splits a row into its label and values: the values are the trailing
 * value cells, unless the cell before them is no label by is_label (a text
 * cell among the values), then everything after the rightmost label.
 * Returns the normalized label (caller frees) and sets *nv, or NULL when
 * the row is all values.
 */
static char *
row_split(const struct lrow *lr, int (*is_label)(const char *), size_t *nv)
{
	char *lab;

	*nv = trailing_values(lr);
	if (*nv == lr->n)
		return NULL;
	lab = last_label(lr, *nv);
	if (!is_label(lab)) {
		*nv = values_after_label(lr, *nv, is_label);
		free(lab);
		lab = last_label(lr, *nv);
	}
	return lab;
}

/* Normalized text of all label cells of the row, joined. */
static char *
all_labels(const struct lrow *lr, size_t nvalues)
{
	size_t i, len = 0, off = 0, l;
	char *out, **parts;

	parts = xcalloc(lr->n + 1, sizeof *parts);
	for (i = 0; i + nvalues < lr->n; i++) {
		parts[i] = label_norm(lr->text[i]);
		len += strlen(parts[i]);
	}
	out = xmalloc(len + 1);
	for (i = 0; i + nvalues < lr->n; i++) {
		l = strlen(parts[i]);
		memcpy(out + off, parts[i], l);
		off += l;
		free(parts[i]);
	}
	out[off] = '\0';
	free(parts);
	return out;
}

static char *
table_text(const struct doc_table *t)
{
	size_t i, j, len = 0;
	char *all, *n;

	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->rows[i].ncells; j++)
			len += strlen(t->rows[i].cells[j].text);
	all = xmalloc(len + 1);
	all[0] = '\0';
	len = 0;
	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->rows[i].ncells; j++) {
			if (t->rows[i].cells[j].copy)
				continue;
			size_t l = strlen(t->rows[i].cells[j].text);

			memcpy(all + len, t->rows[i].cells[j].text, l + 1);
			len += l;
		}
	n = label_norm(all);
	free(all);
	return n;
}

enum table_class
tables_classify(const struct doc_table *t)
{
	enum table_class c = TCLASS_NONE;
	char *n;

	n = table_text(t);
	if ((label_has(n, "自然人") || label_has(n, "申请人情况") ||
	    label_has(n, "本年新收")) && (label_has(n, "予以公开") ||
	    label_has(n, "本年新收") || label_has(n, "勾稽")))
		c = TCLASS_T3;
	else if (label_has(n, "行政复议") && (label_has(n, "行政诉讼") ||
	    label_has(n, "复议后起诉") || label_has(n, "结果维持")))
		c = TCLASS_T4;
	else if (label_has(n, "第二十条") || label_has(n, "信息内容") ||
	    label_has(n, "行政许可") || label_has(n, "行政处罚") ||
	    label_has(n, "行政事业性收费") || label_has(n, "本年制发"))
		c = TCLASS_T2;
	else if (label_has(n, "不予公开") || label_has(n, "无法提供") ||
	    label_has(n, "不予处理") || label_has(n, "结转下年度"))
		c = TCLASS_T3;	/* the second half of a split table 三 */
	free(n);
	return c;
}

/*
 * Assigns nvals values (the row's last cells) to the record cells idx[],
 * noting a mismatch between what the row has and what the layout wants.
 */
static void
assign(struct record *r, const struct lrow *lr, size_t nvals,
    const int *idx, size_t nidx, const char *what)
{
	size_t i, first;

	if (nvals > nidx) {
		record_note(r, "%s 有 %zu 个数值单元格，多于应有的 %zu 个；"
		    "按最后 %zu 个读取", what, nvals, nidx, nidx);
		nvals = nidx;
	} else if (nvals < nidx)
		record_note(r, "%s 只有 %zu 个数值单元格，少于应有的 %zu 个；"
		    "缺少的单元格按空白处理", what, nvals, nidx);
	first = lr->n - nvals;
	for (i = 0; i < nidx; i++) {
		if (r->cells[idx[i]].kind != CELL_ABSENT)
			continue;	/* a repeated row: keep the first */
		if (i < nvals)
			record_set_cell(r, idx[i], lr->text[first + i]);
		else
			record_set_cell(r, idx[i], "");
	}
}

/* ---- table 二 ---- */

static int
t2_is_2019(const struct doc_table **ts, size_t nt)
{
	size_t i;
	char *n;
	int old = 0;

	for (i = 0; i < nt && !old; i++) {
		n = table_text(ts[i]);
		old = label_has(n, "本年新制作") || label_has(n, "本年新公开") ||
		    label_has(n, "对外公开总数") || label_has(n, "上一年项目数量") ||
		    label_has(n, "政府集中采购") || label_has(n, "第二十条第(九)项");
		free(n);
	}
	return old;
}

/* Whether a normalized cell is one of table 二's row labels. */
static int
t2_is_label(const char *n)
{
	static const char *const kw[] = {
		"规范性文件", "规章", "其他对外管理服务", "行政许可", "行政处罚",
		"行政强制", "收费", "集中采购", NULL,
	};
	size_t i;

	for (i = 0; kw[i] != NULL; i++)
		if (label_has(n, kw[i]))
			return 1;
	return 0;
}

/* Rows of the layout the table did not have: blank, and said so. */
static void
t2_fill_missing(struct record *r, int old)
{
	int k, first = old ? T2_2021_N : 0, last = old ? T2_N : T2_2021_N;
	int noted = -1;

	for (k = first; k < last; k++) {
		if (r->cells[k].kind != CELL_ABSENT)
			continue;
		r->cells[k].kind = CELL_BLANK;
		r->cells[k].raw = xstrdup("");
		/* one note per missing row, not per cell */
		if (noted < 0 || strncmp(t2_field_label(k),
		    t2_field_label(noted), 6) != 0) {
			char *row = xstrdup(t2_field_label(k)), *sp;

			sp = strchr(row, ' ');
			if (sp != NULL)
				*sp = '\0';
			record_note(r, "表二缺少“%s”行", row);
			free(row);
			noted = k;
		}
	}
}

int
tables_map_t2(struct record *r, const struct doc_table **ts, size_t nt)
{
	static const int r21[] = { T2_RULES_ISSUED, T2_RULES_REPEALED,
	    T2_RULES_IN_FORCE };
	static const int n21[] = { T2_NORM_ISSUED, T2_NORM_REPEALED,
	    T2_NORM_IN_FORCE };
	static const int lic21[] = { T2_LICENSING_DECISIONS };
	static const int pun21[] = { T2_PUNISHMENT_DECISIONS };
	static const int co21[] = { T2_COERCION_DECISIONS };
	static const int fee21[] = { T2_FEES_AMOUNT };
	static const int r19[] = { T2_R19_MADE, T2_R19_PUBLISHED, T2_R19_TOTAL };
	static const int n19[] = { T2_N19_MADE, T2_N19_PUBLISHED, T2_N19_TOTAL };
	static const int lic19[] = { T2_LIC19_PREVIOUS, T2_LIC19_CHANGE,
	    T2_LIC19_DECISIONS };
	static const int os19[] = { T2_OS19_PREVIOUS, T2_OS19_CHANGE,
	    T2_OS19_DECISIONS };
	static const int pun19[] = { T2_PUN19_PREVIOUS, T2_PUN19_CHANGE,
	    T2_PUN19_DECISIONS };
	static const int co19[] = { T2_CO19_PREVIOUS, T2_CO19_CHANGE,
	    T2_CO19_DECISIONS };
	static const int fee19[] = { T2_FEE19_PREVIOUS, T2_FEE19_CHANGE };
	static const int proc19[] = { T2_PROC19_PROJECTS, T2_PROC19_AMOUNT };
	size_t i, j, nv, ni;
	struct lrow lr;
	const int *idx;
	char *lab, *what;
	int old, rows = 0;

	old = t2_is_2019(ts, nt);
	r->t2_format = old ? FORMAT_2019 : FORMAT_2021;
	for (i = 0; i < nt; i++) {
		for (j = 0; j < ts[i]->nrows; j++) {
			tables_lrow(&ts[i]->rows[j], &lr);
			lab = row_split(&lr, t2_is_label, &nv);
			if (lab == NULL || nv == 0) {
				free(lab);
				free(lr.text);
				continue;
			}
			idx = NULL;
			ni = 0;
			if (label_has(lab, "规范性文件")) {
				idx = old ? n19 : n21;
				ni = 3;
			} else if (label_has(lab, "规章")) {
				idx = old ? r19 : r21;
				ni = 3;
			} else if (label_has(lab, "其他对外管理服务")) {
				idx = old ? os19 : NULL;
				ni = 3;
			} else if (label_has(lab, "行政许可")) {
				idx = old ? lic19 : lic21;
				ni = old ? 3 : 1;
			} else if (label_has(lab, "行政处罚")) {
				idx = old ? pun19 : pun21;
				ni = old ? 3 : 1;
			} else if (label_has(lab, "行政强制")) {
				idx = old ? co19 : co21;
				ni = old ? 3 : 1;
			} else if (label_has(lab, "行政事业性收费") ||
			    label_has(lab, "收费")) {
				idx = old ? fee19 : fee21;
				ni = old ? 2 : 1;
			} else if (label_has(lab, "政府集中采购") ||
			    label_has(lab, "集中采购")) {
				idx = old ? proc19 : NULL;
				ni = 2;
			}
			if (idx != NULL) {
				xasprintf(&what, "表二“%s”行", lab);
				assign(r, &lr, nv, idx, ni, what);
				free(what);
				rows++;
			}
			free(lab);
			free(lr.text);
		}
	}
	if (rows > 0)
		t2_fill_missing(r, old);
	return rows;
}

/* ---- table 三 ---- */

struct t3_pattern {
	enum t3_row	 row;
	const char	*kw[3];		/* any of these, normalized */
};

/* Order matters: the first match wins ("不予公开" before "予以公开"). */
static const struct t3_pattern t3_patterns[] = {
	{ T3_NEW, { "本年新收", "新收政府信息公开申请" } },
	{ T3_CARRIED_OVER, { "上年结转", "上年度结转" } },
	{ T3_CARRIED_FORWARD, { "结转下年", "下年度继续办理", "转下年度" } },
	{ T3_DENIED_SECRET, { "国家秘密" } },
	/* "其他法律": a PDF text layer that lost 法规禁 (洪泽区) still reads */
	{ T3_DENIED_LAW, { "禁止公开", "其他法律行政法规", "其他法律" } },
	{ T3_DENIED_SAFETY, { "三安全一稳定", "危及" } },
	{ T3_DENIED_THIRD_PARTY, { "第三方" } },
	{ T3_DENIED_INTERNAL, { "内部事务" } },
	{ T3_DENIED_PROCESS, { "过程性" } },
	{ T3_DENIED_ENFORCEMENT, { "执法案卷" } },
	{ T3_DENIED_QUERY, { "行政查询" } },
	{ T3_UNABLE_NOT_HELD, { "不掌握" } },
	{ T3_UNABLE_CREATE, { "另行制作", "没有现成信息" } },
	{ T3_UNABLE_UNCLEAR, { "仍不明确", "补正后" } },
	{ T3_REFUSED_PETITION, { "信访", "举报投诉" } },
	{ T3_REFUSED_REPEAT, { "重复申请" } },
	{ T3_REFUSED_PUBLICATION, { "公开出版物" } },
	{ T3_REFUSED_MASSIVE, { "大量反复" } },
	{ T3_REFUSED_CONFIRM, { "重新出具", "确认或" } },
	{ T3_OTHER_NO_CORRECTION, { "不补正", "逾期不补" } },
	{ T3_OTHER_NO_FEE, { "收费通知", "缴纳费用" } },
	{ T3_PARTIAL, { "部分公开" } },
	{ T3_GRANTED, { "予以公开" } },
	{ T3_TOTAL, { "总计", "合计" } },
};

/* Strips a leading list number ("3.", "(六)") from a normalized label. */
static const char *
strip_number(const char *n)
{
	const char *rest;

	if (label_number(n, &rest, NULL) > 0)
		return rest;
	return n;
}

static int
t3_match(const char *last, const char *all, int prev)
{
	size_t i, k;
	const char *bare = strip_number(last);

	/* "3.其他" under （六）其他处理, or the 2019 single 其他处理 row */
	if (strcmp(bare, "其他") == 0 && prev >= T3_REFUSED_PETITION &&
	    prev <= T3_OTHER_NO_FEE)
		return T3_OTHER_OTHER;
	if (label_has(bare, "其他处理") && strlen(bare) <= strlen("其他处理") + 1)
		return T3_OTHER;
	for (i = 0; i < sizeof t3_patterns / sizeof t3_patterns[0]; i++)
		for (k = 0; k < 3 && t3_patterns[i].kw[k] != NULL; k++)
			if (label_has(last, t3_patterns[i].kw[k]))
				return t3_patterns[i].row;
	/* a label that is only a number: fall back to the joined labels */
	if (*bare != '\0')
		return -1;
	for (i = 0; i < sizeof t3_patterns / sizeof t3_patterns[0]; i++)
		for (k = 0; k < 3 && t3_patterns[i].kw[k] != NULL; k++)
			if (t3_patterns[i].row != T3_TOTAL &&
			    label_has(all, t3_patterns[i].kw[k]))
				return t3_patterns[i].row;
	return -1;
}

/* Whether a normalized cell is one of table 三's row labels. */
static int
t3_is_label(const char *n)
{
	size_t i, k;

	if (label_has(n, "其他处理"))
		return 1;
	for (i = 0; i < sizeof t3_patterns / sizeof t3_patterns[0]; i++)
		for (k = 0; k < 3 && t3_patterns[i].kw[k] != NULL; k++)
			if (label_has(n, t3_patterns[i].kw[k]))
				return 1;
	/* "3.其他" under （六）: numbered, so not the header's 其他 */
	return strcmp(strip_number(n), "其他") == 0 && strcmp(n, "其他") != 0;
}

/*
 * The value columns in order, from the header: 自然人, the 法人或其他组织
 * columns as the header orders them (with 小计 if present), 总计.
 */
static size_t
t3_columns(const struct doc_table **ts, size_t nt, int *cols,
    int *subtotal)
{
	size_t i, j, k, n = 0;
	struct lrow lr;
	char *lab;
	int seen[T3_NCOLS];

	memset(seen, 0, sizeof seen);
	*subtotal = 0;
	cols[n++] = T3C_NATURAL;
	for (i = 0; i < nt; i++) {
		for (j = 0; j < ts[i]->nrows && j < 12; j++) {
			tables_lrow(&ts[i]->rows[j], &lr);
			for (k = 0; k < lr.n; k++) {
				int c = -1;

				lab = label_norm(lr.text[k]);
				if (label_has(lab, "商业企业"))
					c = T3C_COMMERCIAL;
				else if (label_has(lab, "科研机构"))
					c = T3C_RESEARCH;
				else if (label_has(lab, "社会公益"))
					c = T3C_SOCIAL;
				else if (label_has(lab, "法律服务"))
					c = T3C_LEGAL;
				else if (strcmp(lab, "其他") == 0 &&
				    seen[T3C_COMMERCIAL])
					c = T3C_OTHER;
				else if (label_has(lab, "小计"))
					c = T3C_LEGAL_SUBTOTAL;
				free(lab);
				if (c >= 0 && !seen[c]) {
					seen[c] = 1;
					cols[n++] = c;
				}
			}
			free(lr.text);
		}
	}
	if (n != 6 && n != 7) {
		/* header unreadable: the official order */
		n = 0;
		cols[n++] = T3C_NATURAL;
		cols[n++] = T3C_COMMERCIAL;
		cols[n++] = T3C_RESEARCH;
		cols[n++] = T3C_SOCIAL;
		cols[n++] = T3C_LEGAL;
		cols[n++] = T3C_OTHER;
		if (seen[T3C_LEGAL_SUBTOTAL])
			cols[n++] = T3C_LEGAL_SUBTOTAL;
	}
	*subtotal = seen[T3C_LEGAL_SUBTOTAL];
	cols[n++] = T3C_TOTAL;
	return n;
}

int
tables_map_t3(struct record *r, const struct doc_table **ts, size_t nt)
{
	int cols[T3_NCOLS + 1], idx[T3_NCOLS + 1];
	size_t ncols, i, j, k, nv;
	struct lrow lr;
	char *last, *all, *what;
	int row, prev = -1, rows = 0, seen[T3_NROWS];

	memset(seen, 0, sizeof seen);
	ncols = t3_columns(ts, nt, cols, &r->t3_subtotal);
	for (i = 0; i < nt; i++) {
		for (j = 0; j < ts[i]->nrows; j++) {
			tables_lrow(&ts[i]->rows[j], &lr);
			last = row_split(&lr, t3_is_label, &nv);
			/* header rows have no values (or one blank) */
			if (last == NULL || nv < 3) {
				free(last);
				free(lr.text);
				continue;
			}
			all = all_labels(&lr, nv);
			row = t3_match(last, all, prev);
			if (row >= 0 && seen[row]) {
				record_note(r, "表三“%s”行出现了两次，按第一次读取",
				    t3_row_label(row));
			} else if (row >= 0) {
				seen[row] = 1;
				for (k = 0; k < ncols; k++)
					idx[k] = REC_T3(row, cols[k]);
				xasprintf(&what, "表三“%s”行", t3_row_label(row));
				assign(r, &lr, nv, idx, ncols, what);
				free(what);
				rows++;
				prev = row;
			} else
				record_note(r, "表三中无法识别的行“%s”", last);
			free(last);
			free(all);
			free(lr.text);
		}
	}
	r->t3_format = seen[T3_OTHER] && !seen[T3_OTHER_NO_CORRECTION] &&
	    !seen[T3_OTHER_NO_FEE] && !seen[T3_OTHER_OTHER] ?
	    FORMAT_2019 : FORMAT_2021;
	/* rows of the layout that the report did not have stay blank */
	for (k = 0; k < T3_NROWS; k++) {
		if (seen[k] || rows == 0)
			continue;
		if (r->t3_format == FORMAT_2019 && k >= T3_OTHER_NO_CORRECTION &&
		    k <= T3_OTHER_OTHER)
			continue;
		if (r->t3_format == FORMAT_2021 && k == T3_OTHER)
			continue;
		record_note(r, "表三缺少“%s”行", t3_row_label(k));
	}
	return rows;
}

/* ---- table 四 ---- */

int
tables_map_t4(struct record *r, const struct doc_table **ts, size_t nt)
{
	int idx[T4_NGROUPS * T4_NRESULTS];
	const struct doc_table *best_t = NULL, *blank_t = NULL;
	size_t i, j, nv, best_nv = 0, best_row = 0, blank_row = 0;
	struct lrow lr;
	int g, k;

	for (g = 0; g < T4_NGROUPS; g++)
		for (k = 0; k < T4_NRESULTS; k++)
			idx[g * T4_NRESULTS + k] = REC_T4(g, k);
	for (i = 0; i < nt; i++) {
		for (j = 0; j < ts[i]->nrows; j++) {
			tables_lrow(&ts[i]->rows[j], &lr);
			nv = trailing_values(&lr);
			/* the data row: the most values, not all blank */
			if (nv > best_nv && nv >= 3) {
				size_t m, filled = 0;

				for (m = lr.n - nv; m < lr.n; m++) {
					struct cell c;

					cell_parse(&c, lr.text[m]);
					if (c.kind != CELL_BLANK)
						filled++;
					free(c.raw);
				}
				if (filled > 0) {
					best_nv = nv;
					best_t = ts[i];
					best_row = j;
				} else if (nv >= 15 && blank_t == NULL) {
					blank_t = ts[i];
					blank_row = j;
				}
			}
			free(lr.text);
		}
	}
	/*
	 * A data row of 15 blank cells (a blank template, a report that left
	 * the table empty) is table 四 with every cell blank, not no table.
	 */
	if (best_t == NULL && blank_t != NULL) {
		best_t = blank_t;
		best_row = blank_row;
		best_nv = 15;
	}
	if (best_t == NULL)
		return 0;
	tables_lrow(&best_t->rows[best_row], &lr);
	assign(r, &lr, best_nv, idx, 15, "表四数据行");
	free(lr.text);
	return 1;
}
