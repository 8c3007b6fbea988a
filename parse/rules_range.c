/*
 * CELL.RANGE: what each table cell may hold.  Counts are non-negative
 * integers; the fee (t2.fees.amount, 万元) and the 2019 procurement amount
 * are non-negative decimals; the 2019 本年增/减 columns may be signed.
 * Text in a table cell ("详见附表", "XX") is a warning, as is a 总计 left
 * blank while its parts hold non-zero numbers (the reader cannot tell
 * whether the total was forgotten or means zero).
 *
 * One finding per problem cell, so a consumer can point at the cell; when
 * no cell has a problem, one pass finding for the whole record.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "record.h"
#include "rules.h"

/* 2019 本年增/减: a change against last year, so a sign is legitimate. */
static int
signed_ok(int idx)
{
	return idx == REC_T2(T2_LIC19_CHANGE) || idx == REC_T2(T2_OS19_CHANGE) ||
	    idx == REC_T2(T2_PUN19_CHANGE) || idx == REC_T2(T2_CO19_CHANGE) ||
	    idx == REC_T2(T2_FEE19_CHANGE);
}

/* Amounts of money may have a fraction; everything else is a count. */
static int
decimal_ok(int idx)
{
	return idx == REC_T2(T2_FEES_AMOUNT) || idx == REC_T2(T2_PROC19_AMOUNT);
}

static int
is_integral(double v)
{
	return rules_eq(v, (double)(long long)v);
}

/* Checks one cell's value; returns the number of findings added. */
static int
check_value(struct record *r, int idx)
{
	const struct cell *c = &r->cells[idx];
	const char *raw = c->raw != NULL ? c->raw : "";
	struct buf b;
	int n = 0;

	buf_init(&b, 0);
	rules_addlabel(&b, idx);
	if (c->kind == CELL_TEXT) {
		record_add_finding(r, "CELL.RANGE", SEV_WARNING, RESULT_FAIL,
		    record_key(idx), "%s为非数字内容“%s”，无法用于核对",
		    buf_str(&b), raw);
		n++;
	} else if (c->kind == CELL_NUMBER) {
		if (c->value < 0 && !signed_ok(idx)) {
			record_add_finding(r, "CELL.RANGE", SEV_ERROR,
			    RESULT_FAIL, record_key(idx), "%s为负数“%s”，%s"
			    "不能为负", buf_str(&b), raw, decimal_ok(idx) ?
			    "金额" : "数量");
			n++;
		} else if (!decimal_ok(idx) && !is_integral(c->value)) {
			record_add_finding(r, "CELL.RANGE", SEV_ERROR,
			    RESULT_FAIL, record_key(idx), "%s为“%s”，件数应为"
			    "整数", buf_str(&b), raw);
			n++;
		}
	}
	buf_release(&b);
	return n;
}

/* How a part is named inside its total's message. */
enum part_name { PART_COL, PART_ROW, PART_RESULT };

static const char *
part_label(int idx, enum part_name how)
{
	int i;

	switch (how) {
	case PART_COL:
		return t3_col_label((idx - REC_T3(0, 0)) % T3_NCOLS);
	case PART_ROW:
		return t3_row_label((idx - REC_T3(0, 0)) / T3_NCOLS);
	case PART_RESULT:
		i = (idx - REC_T4(0, 0)) % T4_NRESULTS;
		return t4_result_label(i);
	}
	return "?";
}

/*
 * Warns when the total cell is blank or n/a while some of parts[] hold
 * non-zero numbers.  Returns 1 when a finding was added.
 */
static int
check_blank_total(struct record *r, int total, const int *parts, int nparts,
    enum part_name how)
{
	const struct cell *t = &r->cells[total];
	struct buf keys, msg, where;
	int i, nz = 0;

	if (t->kind != CELL_BLANK && t->kind != CELL_NA)
		return 0;
	buf_init(&keys, 0);
	buf_init(&msg, 0);
	buf_init(&where, 0);
	rules_addkey(&keys, total);
	for (i = 0; i < nparts; i++) {
		if (r->cells[parts[i]].kind != CELL_NUMBER)
			continue;
		rules_addkey(&keys, parts[i]);
		if (nz < 3) {
			buf_addf(&msg, "%s“%s” ", nz ? "、" : "",
			    part_label(parts[i], how));
			rules_addnum(&msg, r->cells[parts[i]].value);
		} else if (nz == 3)
			buf_adds(&msg, "等");
		nz++;
	}
	if (nz > 0) {
		rules_addlabel(&where, total);
		buf_adds(&where, t->kind == CELL_BLANK ? "为空白" : "为“");
		if (t->kind == CELL_NA)
			buf_addf(&where, "%s”", t->raw != NULL ? t->raw : "");
		record_add_finding(r, "CELL.RANGE", SEV_WARNING, RESULT_FAIL,
		    buf_str(&keys), "%s，但其组成部分有非零数字（%s），总计"
		    "漏填", buf_str(&where), buf_str(&msg));
	}
	buf_release(&keys);
	buf_release(&msg);
	buf_release(&where);
	return nz > 0;
}

static int
blank_totals(struct record *r)
{
	int parts[T3_NROWS];
	int row, col, g, k, np, n = 0, done_total = 0;

	if (r->t3_state == TABLE_FOUND) {
		for (row = 0; row < T3_NROWS; row++) {
			if (!record_key_applies(r, REC_T3(row, T3C_TOTAL)))
				continue;
			for (col = 0; col < T3_NAPPLICANT; col++)
				parts[col] = REC_T3(row, col);
			if (check_blank_total(r, REC_T3(row, T3C_TOTAL), parts,
			    T3_NAPPLICANT, PART_COL)) {
				n++;
				if (row == T3_TOTAL)
					done_total = 1;
			}
			if (!record_key_applies(r,
			    REC_T3(row, T3C_LEGAL_SUBTOTAL)))
				continue;
			for (col = T3C_COMMERCIAL; col < T3_NAPPLICANT; col++)
				parts[col - T3C_COMMERCIAL] = REC_T3(row, col);
			n += check_blank_total(r, REC_T3(row,
			    T3C_LEGAL_SUBTOTAL), parts, T3_NAPPLICANT - 1,
			    PART_COL);
		}
		/* （七）总计 against the result rows of its column */
		for (col = 0; col < T3_NCOLS; col++) {
			if (!record_key_applies(r, REC_T3(T3_TOTAL, col)))
				continue;
			if (col == T3C_TOTAL && done_total)
				continue;
			np = 0;
			for (row = T3_GRANTED; row <= T3_OTHER; row++)
				if (record_key_applies(r, REC_T3(row, col)))
					parts[np++] = REC_T3(row, col);
			n += check_blank_total(r, REC_T3(T3_TOTAL, col), parts,
			    np, PART_ROW);
		}
	}
	if (r->t4_state == TABLE_FOUND) {
		for (g = 0; g < T4_NGROUPS; g++) {
			for (k = 0; k < T4_TOTAL; k++)
				parts[k] = REC_T4(g, k);
			n += check_blank_total(r, REC_T4(g, T4_TOTAL), parts,
			    T4_TOTAL, PART_RESULT);
		}
	}
	return n;
}

void
rules_range(struct record *r)
{
	int idx, n = 0, napplies = 0;

	for (idx = 0; idx < REC_NCELLS; idx++) {
		if (!record_key_applies(r, idx))
			continue;
		napplies++;
		n += check_value(r, idx);
	}
	if (napplies == 0) {
		record_add_finding(r, "CELL.RANGE", SEV_ERROR, RESULT_UNKNOWN,
		    "", "未读取到表格，无法检查单元格数值");
		return;
	}
	n += blank_totals(r);
	if (n == 0)
		record_add_finding(r, "CELL.RANGE", SEV_ERROR, RESULT_PASS, "",
		    "表格数值均为非负整数（收费金额为非负数），总计均已填写");
}
