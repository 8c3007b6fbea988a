/*
 * `nianbao parse` and `nianbao validate`: read report files (text or HTML,
 * recognised by content), map them to the record, print it, or run the rule
 * catalogue and print the findings in Chinese.  A file that cannot be read
 * or is not a report is named on stderr with the reason and makes the exit
 * status 2; the other files are still processed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "export.h"
#include "parse.h"
#include "util.h"
#include "xmalloc.h"

const char cmd_parse_usage[] =
"usage: nianbao parse [--json | --flat] [--charset CHARSET] FILE...\n"
"\n"
"Reads each FILE (a report page saved as HTML, or a Word export as plain\n"
"text; \"-\" is standard input), maps it onto the canonical report record and\n"
"prints the record.  The input type and its character set are recognised\n"
"from the content; --charset forces a character set (as an HTTP header\n"
"would).\n"
"\n"
"  --json      the record as JSON (the default): meta, sections, tables,\n"
"              t2, t3, t4 (each cell {value, kind, raw}), notes, findings\n"
"  --flat      one cell per line: key TAB value TAB kind TAB raw\n"
"  --charset   decode the input with this charset (gbk, gb18030, utf-8...)\n"
"\n"
"Several files give a JSON array (--json) or blocks headed \"# FILE\" (--flat).\n"
"Exit status: 0 all files read, 2 a file could not be read or is not an\n"
"annual report (the reason is printed on stderr), 64 usage error.\n";

const char cmd_validate_usage[] =
"usage: nianbao validate [--json] [--all] [--previous LAST_YEAR_FILE] FILE...\n"
"\n"
"Reads each FILE like `nianbao parse` and checks it against the rule\n"
"catalogue: sections, tables, layout, template placeholders, years, the\n"
"arithmetic of tables 三 and 四, cell ranges and the figures quoted in the\n"
"text.  Failing and undecidable checks are printed in Chinese with the cells\n"
"and numbers involved.\n"
"\n"
"  --json       the findings as JSON, one object per file\n"
"  --all        also list the checks that passed\n"
"  --previous F the same agency's report for the year before: also runs the\n"
"               cross-year checks X.CARRY, X.INFORCE and X.COPY\n"
"  --charset C  decode the inputs with this charset\n"
"\n"
"Exit status: 0 no error-severity check failed, 1 one did, 2 a file could\n"
"not be read or is not an annual report, 64 usage error.\n";

/* Reads and maps one file; prints the reason on failure. */
static struct record *
report_load(const char *path, const char *charset)
{
	char *buf = NULL, *cause = NULL;
	size_t len = 0;
	struct doc *d = NULL;
	struct record *r = NULL;

	if (util_read_file(path, PARSE_MAX_INPUT, &buf, &len, &cause) != 0)
		goto fail;
	if (reader_read(buf, len, path, charset, &d, &cause) != 0)
		goto fail;
	if (mapper_map(d, &r, &cause) != 0) {
		char *c = cause;

		xasprintf(&cause, "%s: %s", path, c);
		free(c);
		goto fail;
	}
	doc_free(d);
	free(buf);
	return r;
fail:
	fprintf(stderr, "nianbao: %s\n", cause);
	free(cause);
	doc_free(d);
	free(buf);
	return NULL;
}

static void
usage_error(const char *usage, const char *msg)
{
	if (msg != NULL)
		fprintf(stderr, "nianbao: %s\n", msg);
	fputs(usage, stderr);
}

int
cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "flat", no_argument, NULL, 'f' },
		{ "charset", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *charset = NULL;
	int ch, flat = 0, rc = CLI_OK, i;
	json_t *all = NULL;
	struct record *r;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "jfc:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			flat = 0;
			break;
		case 'f':
			flat = 1;
			break;
		case 'c':
			charset = optarg;
			break;
		case 'h':
			fputs(cmd_parse_usage, stdout);
			return CLI_OK;
		default:
			usage_error(cmd_parse_usage, NULL);
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		usage_error(cmd_parse_usage, "parse: no FILE given");
		return CLI_USAGE;
	}
	if (!flat && argc - optind > 1)
		all = json_array();
	for (i = optind; i < argc; i++) {
		r = report_load(argv[i], charset);
		if (r == NULL) {
			rc = CLI_BADINPUT;
			continue;
		}
		if (flat) {
			struct buf b;

			buf_init(&b, 0);
			if (argc - optind > 1)
				printf("# %s\n", argv[i]);
			export_flat(r, &b);
			fputs(buf_str(&b), stdout);
			buf_release(&b);
		} else {
			json_t *j;

			rules_run(r);
			j = export_json(r, 1);
			if (all != NULL)
				json_array_append_new(all, j);
			else {
				json_dumpf(j, stdout, JSON_INDENT(2) |
				    JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
				fputc('\n', stdout);
				json_decref(j);
			}
		}
		record_free(r);
	}
	if (all != NULL) {
		json_dumpf(all, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(12));
		fputc('\n', stdout);
		json_decref(all);
	}
	return rc;
}

static const char *
severity_zh(enum severity s)
{
	switch (s) {
	case SEV_ERROR: return "错误";
	case SEV_WARNING: return "警告";
	case SEV_INFO: return "提示";
	}
	return "?";
}

static const char *
result_zh(enum finding_result r)
{
	switch (r) {
	case RESULT_PASS: return "通过";
	case RESULT_FAIL: return "未通过";
	case RESULT_UNKNOWN: return "无法判断";
	}
	return "?";
}

/* Prints one file's findings for people; returns 1 if an error failed. */
static int
validate_print(const char *path, const struct record *r, int show_all)
{
	size_t i, pass = 0, fail = 0, unknown = 0, errors = 0, warnings = 0;
	const struct finding *f;

	char year[16] = "？";

	if (r->year)
		snprintf(year, sizeof year, "%d", r->year);
	printf("%s: %s %s年度报告（%s格式，%s 读取，%s）\n", path,
	    r->agency ? r->agency : "（未知机关）", year,
	    format_name(r->format), r->reader, r->charset);
	if (r->title)
		printf("  标题：%s\n", r->title);
	for (i = 0; i < r->nnotes; i++)
		printf("  [说明] %s\n", r->notes[i]);
	for (i = 0; i < r->nfindings; i++) {
		size_t same = 0, j;

		f = &r->findings[i];
		/*
		 * A blank column makes every row unknown: show three of a
		 * kind, count the rest (--all shows them).
		 */
		if (f->result == RESULT_UNKNOWN && !show_all) {
			for (j = i; j > 0 && r->findings[j - 1].result ==
			    RESULT_UNKNOWN && strcmp(r->findings[j - 1].rule,
			    f->rule) == 0; j--)
				same++;
			if (same >= 3) {
				for (j = i; j < r->nfindings && r->findings[j].result
				    == RESULT_UNKNOWN && strcmp(r->findings[j].rule,
				    f->rule) == 0; j++)
					unknown++;
				printf("  [无法判断] %-18s 另有 %zu 项同类（--all 显示全部）\n",
				    f->rule, j - i);
				i = j - 1;
				continue;
			}
		}
		if (f->result == RESULT_PASS)
			pass++;
		else if (f->result == RESULT_UNKNOWN)
			unknown++;
		else {
			fail++;
			if (f->severity == SEV_ERROR)
				errors++;
			else if (f->severity == SEV_WARNING)
				warnings++;
		}
		if (f->result == RESULT_PASS && !show_all)
			continue;
		/* fail: its severity; otherwise what the result was */
		printf("  [%s] %-18s %s\n", f->result == RESULT_FAIL ?
		    severity_zh(f->severity) : result_zh(f->result), f->rule,
		    f->message);
	}
	printf("  共 %zu 项检查：通过 %zu，未通过 %zu（错误 %zu，警告 %zu），"
	    "无法判断 %zu\n", r->nfindings, pass, fail, errors, warnings,
	    unknown);
	return errors > 0;
}

int
cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "previous", required_argument, NULL, 'p' },
		{ "charset", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *previous = NULL, *charset = NULL;
	struct record *prev = NULL, *r;
	int ch, json = 0, show_all = 0, rc = CLI_OK, i;
	size_t k;
	json_t *all = NULL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "jap:c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'a':
			show_all = 1;
			break;
		case 'p':
			previous = optarg;
			break;
		case 'c':
			charset = optarg;
			break;
		case 'h':
			fputs(cmd_validate_usage, stdout);
			return CLI_OK;
		default:
			usage_error(cmd_validate_usage, NULL);
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		usage_error(cmd_validate_usage, "validate: no FILE given");
		return CLI_USAGE;
	}
	if (previous != NULL) {
		prev = report_load(previous, charset);
		if (prev == NULL)
			return CLI_BADINPUT;
	}
	if (json)
		all = json_array();
	for (i = optind; i < argc; i++) {
		int failed = 0;

		r = report_load(argv[i], charset);
		if (r == NULL) {
			rc = CLI_BADINPUT;
			continue;
		}
		rules_run(r);
		if (prev != NULL)
			rules_run_pair(prev, r);
		for (k = 0; k < r->nfindings; k++)
			if (r->findings[k].result == RESULT_FAIL &&
			    r->findings[k].severity == SEV_ERROR)
				failed = 1;
		if (json) {
			json_t *o = json_object();

			json_object_set_new(o, "file", json_string(argv[i]));
			json_object_set_new(o, "meta", export_meta_json(r));
			json_object_set_new(o, "tables", export_tables_json(r));
			json_object_set_new(o, "notes", export_notes_json(r));
			json_object_set_new(o, "findings",
			    export_findings_json(r));
			json_object_set_new(o, "ok", json_boolean(!failed));
			json_array_append_new(all, o);
		} else
			validate_print(argv[i], r, show_all);
		if (failed && rc == CLI_OK)
			rc = CLI_FINDINGS;
		record_free(r);
	}
	if (json) {
		json_dumpf(all, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(12));
		fputc('\n', stdout);
		json_decref(all);
	}
	record_free(prev);
	return rc;
}

const char cmd_rules_usage[] =
"usage: nianbao rules [--json]\n"
"\n"
"Lists the rule catalogue: each rule's id, severity and what it checks.\n"
"Rules marked \"previous\" need last year's report (validate --previous).\n";

int
cmd_rules(int argc, char **argv)
{
	const struct rule_info *ri;
	json_t *all;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		fputs(cmd_rules_usage, stdout);
		return CLI_OK;
	}
	if (argc > 1 && strcmp(argv[1], "--json") != 0) {
		usage_error(cmd_rules_usage, "rules: unknown argument");
		return CLI_USAGE;
	}
	if (argc > 1) {
		all = json_array();
		for (ri = rules_catalogue; ri->id != NULL; ri++)
			json_array_append_new(all, json_pack("{s:s,s:s,s:b,s:s,"
			    "s:s}", "rule", ri->id, "severity", ri->severity,
			    "previous", ri->pair, "zh", ri->zh, "en", ri->en));
		json_dumpf(all, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(all);
		return CLI_OK;
	}
	for (ri = rules_catalogue; ri->id != NULL; ri++)
		printf("%-19s %-8s%s %s\n    %s\n", ri->id, ri->severity,
		    ri->pair ? " previous" : "", ri->zh, ri->en);
	return CLI_OK;
}
