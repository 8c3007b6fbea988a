/*
 * The canonical report record: one per (agency, year, version), whatever
 * the report was read from.  Field names and cell keys are the public
 * interface of `nianbao parse`, exports and (later) the HTTP API; they are
 * listed in docs/design.md "Cell keys" and must never be renamed.
 *
 * All cells of all formats live in one array indexed by enum rec_cell;
 * the cells a report's format does not have stay CELL_ABSENT and are not
 * printed.  A cell keeps its raw text and a kind; a blank is never a zero.
 */
#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>

enum cell_kind {
	CELL_ABSENT = 0,	/* not in this report (table or row missing) */
	CELL_NUMBER,		/* a non-zero number */
	CELL_ZERO,		/* 0, 0件, 零 */
	CELL_BLANK,		/* empty, &nbsp; */
	CELL_NA,		/* / — - 无 不适用 */
	CELL_TEXT		/* anything else: XX, 详见附表 */
};

struct cell {
	enum cell_kind	 kind;
	double		 value;		/* NUMBER/ZERO: the number */
	int		 decimal;	/* the raw text had a fraction */
	char		*raw;		/* text as written, NULL if absent */
};

/* Table 二, 2021 format (10 cells) then 2019 format (22 cells). */
enum t2_field {
	T2_RULES_ISSUED, T2_RULES_REPEALED, T2_RULES_IN_FORCE,
	T2_NORM_ISSUED, T2_NORM_REPEALED, T2_NORM_IN_FORCE,
	T2_LICENSING_DECISIONS, T2_PUNISHMENT_DECISIONS,
	T2_COERCION_DECISIONS, T2_FEES_AMOUNT,
	T2_2021_N,
	T2_R19_MADE = T2_2021_N, T2_R19_PUBLISHED, T2_R19_TOTAL,
	T2_N19_MADE, T2_N19_PUBLISHED, T2_N19_TOTAL,
	T2_LIC19_PREVIOUS, T2_LIC19_CHANGE, T2_LIC19_DECISIONS,
	T2_OS19_PREVIOUS, T2_OS19_CHANGE, T2_OS19_DECISIONS,
	T2_PUN19_PREVIOUS, T2_PUN19_CHANGE, T2_PUN19_DECISIONS,
	T2_CO19_PREVIOUS, T2_CO19_CHANGE, T2_CO19_DECISIONS,
	T2_FEE19_PREVIOUS, T2_FEE19_CHANGE,
	T2_PROC19_PROJECTS, T2_PROC19_AMOUNT,
	T2_N
};

/* Table 三 rows: the 25 of 2021 plus the single 2019 其他处理 row. */
enum t3_row {
	T3_NEW, T3_CARRIED_OVER, T3_GRANTED, T3_PARTIAL,
	T3_DENIED_SECRET, T3_DENIED_LAW, T3_DENIED_SAFETY,
	T3_DENIED_THIRD_PARTY, T3_DENIED_INTERNAL, T3_DENIED_PROCESS,
	T3_DENIED_ENFORCEMENT, T3_DENIED_QUERY,
	T3_UNABLE_NOT_HELD, T3_UNABLE_CREATE, T3_UNABLE_UNCLEAR,
	T3_REFUSED_PETITION, T3_REFUSED_REPEAT, T3_REFUSED_PUBLICATION,
	T3_REFUSED_MASSIVE, T3_REFUSED_CONFIRM,
	T3_OTHER_NO_CORRECTION, T3_OTHER_NO_FEE, T3_OTHER_OTHER,
	T3_OTHER,		/* 2019: one （六）其他处理 row */
	T3_TOTAL, T3_CARRIED_FORWARD,
	T3_NROWS
};

enum t3_col {
	T3C_NATURAL, T3C_COMMERCIAL, T3C_RESEARCH, T3C_SOCIAL, T3C_LEGAL,
	T3C_OTHER, T3C_TOTAL,
	T3C_LEGAL_SUBTOTAL,	/* only where the report has that column */
	T3_NCOLS
};
#define T3_NAPPLICANT	6	/* natural .. other: the columns 总计 sums */

enum t4_group { T4_REVIEW, T4_SUIT_DIRECT, T4_SUIT_AFTER, T4_NGROUPS };
enum t4_result {
	T4_UPHELD, T4_CORRECTED, T4_OTHER, T4_PENDING, T4_TOTAL, T4_NRESULTS
};

/* Index of every cell in struct record's cells[]. */
#define REC_T2(f)	(f)
#define REC_T3(r, c)	(T2_N + (r) * T3_NCOLS + (c))
#define REC_T4(g, k)	(T2_N + T3_NROWS * T3_NCOLS + (g) * T4_NRESULTS + (k))
#define REC_NCELLS	(T2_N + T3_NROWS * T3_NCOLS + T4_NGROUPS * T4_NRESULTS)

enum rec_format {
	FORMAT_UNKNOWN, FORMAT_2021, FORMAT_2019, FORMAT_PRE2019
};

enum rec_section {
	SEC_OVERVIEW,		/* 一、总体情况 */
	SEC_PROACTIVE,		/* 二、主动公开政府信息情况 */
	SEC_REQUESTS,		/* 三、收到和处理政府信息公开申请情况 */
	SEC_REVIEW,		/* 四、政府信息公开行政复议、行政诉讼情况 */
	SEC_PROBLEMS,		/* 五、存在的主要问题及改进情况 */
	SEC_OTHER,		/* 六、其他需要报告的事项 */
	SEC_N
};

struct rec_section_text {
	int	 present;
	int	 order;		/* position among the headings found, 0-based */
	char	*heading;	/* as written */
	char	*text;		/* body text, paragraphs joined by '\n' */
};

/* How a table of the report was found. */
enum table_state {
	TABLE_MISSING = 0,	/* neither table nor heading content */
	TABLE_FOUND,
	TABLE_IMAGE		/* an image stands where the table should be */
};

enum finding_result { RESULT_PASS, RESULT_FAIL, RESULT_UNKNOWN };
enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

struct finding {
	const char	*rule;		/* static rule id, "T3.BALANCE" */
	enum severity	 severity;
	enum finding_result result;
	char		*cells;		/* cell keys involved, comma-separated */
	int		 has_numbers;	/* expected/actual are meaningful */
	double		 expected;
	double		 actual;
	char		*message;	/* Chinese, names cells and numbers */
};

struct record {
	/* meta.* */
	char	*agency;
	char	*region;
	char	*level;		/* "department", "government", "township" */
	int	 year;		/* 0 unknown */
	char	*title;
	char	*url;
	char	*published;	/* YYYY-MM-DD[ HH:MM[:SS]] */
	char	*published_from; /* "page", "meta", "url", "first_seen" */
	enum rec_format format;
	const char *charset;	/* static, from the document */
	const char *reader;	/* static, from the document */

	struct rec_section_text sections[SEC_N];
	char	*text;		/* all paragraph text, for text-level rules */

	enum table_state t2_state, t3_state, t4_state;
	int	 t2_format;	/* FORMAT_2021 / FORMAT_2019 layout of table 二 */
	int	 t3_format;	/* FORMAT_2021 / FORMAT_2019 (single 其他处理) */
	int	 t3_subtotal;	/* the 法人或其他组织 subtotal column is present */

	struct cell cells[REC_NCELLS];

	char	**notes;	/* reader/mapper diagnostics, in Chinese */
	size_t	  nnotes;

	struct finding *findings;
	size_t	  nfindings;
	size_t	  findings_cap;
};

struct record	*record_new(void);
void		 record_free(struct record *);	/* NULL is a no-op */

/* The public dotted key of a cell index ("t3.new.total"). Static. */
const char	*record_key(int idx);
/* Index of a key, or -1. */
int		 record_find_key(const char *key);
/*
 * Whether a cell index belongs to the record's format (the keys printed
 * by parse and exported).  Depends on t2_format, t3_format, t3_subtotal.
 */
int		 record_key_applies(const struct record *, int idx);

/*
 * Sets a cell from its raw text, classifying it (number, zero, blank, n/a,
 * text).  signed_ok allows a leading +/- (2019 本年增/减).
 */
void		 record_set_cell(struct record *, int idx, const char *raw);
/* Classifies raw text into *c without a record; c->raw is allocated. */
void		 cell_parse(struct cell *c, const char *raw);
const char	*cell_kind_name(enum cell_kind);
/* True for NUMBER and ZERO: usable in arithmetic. */
int		 cell_is_num(const struct cell *);

void		 record_note(struct record *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * Appends a finding.  cells is a comma-separated list of keys (copied);
 * the message is formatted (Chinese).  Returns the finding for callers that
 * want to set numbers.
 */
struct finding	*record_add_finding(struct record *, const char *rule,
		    enum severity, enum finding_result, const char *cells,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

const char	*format_name(enum rec_format);
const char	*severity_name(enum severity);
const char	*result_name(enum finding_result);
const char	*section_name(enum rec_section);	/* "一、总体情况" */
const char	*t3_row_label(enum t3_row);		/* Chinese label */
const char	*t3_col_label(enum t3_col);
const char	*t4_group_label(enum t4_group);
const char	*t4_result_label(enum t4_result);
const char	*t2_field_label(enum t2_field);

#endif
