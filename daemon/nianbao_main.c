/*
 * nianbao: the command-line tool.  Dispatches to one handler per command
 * (tmux's cmd table, smtpctl) and owns the top-level help.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"

#define NIANBAO_VERSION "0.1.0"

static const struct cli_cmd cmds[] = {
	{ "parse", "print the canonical record of report files (JSON or flat)",
	    cmd_parse_usage, cmd_parse },
	{ "validate", "check report files against the rule catalogue",
	    cmd_validate_usage, cmd_validate },
	{ "rules", "list the rule catalogue", cmd_rules_usage, cmd_rules },
	{ "events", "list what nianbaod recorded: new, changed, removed "
	    "reports, failing sources", cmd_events_usage, cmd_events },
	{ "status", "each watched source: last check, next due, reports, "
	    "errors", cmd_status_usage, cmd_status },
	{ "reports", "the reports found, with versions and failing findings",
	    cmd_reports_usage, cmd_reports },
	{ "show", "a stored version of a report: record, flat, or raw bytes",
	    cmd_show_usage, cmd_show },
	{ "history", "every version of a report and what changed",
	    cmd_history_usage, cmd_history },
	{ "diff", "cells, findings and section text changed between versions",
	    cmd_diff_usage, cmd_diff },
	{ "findings", "failing findings of the latest versions",
	    cmd_findings_usage, cmd_findings },
	{ "export", "every report as CSV, JSON or NDJSON (wide or long)",
	    cmd_export_usage, cmd_export },
	{ "captures", "the fetches of a URL (time range, collapse, resume)",
	    cmd_captures_usage, cmd_captures },
	{ "gc", "prune old revisit captures, reclaim unreferenced blobs",
	    cmd_gc_usage, cmd_gc },
	{ "notify", "send a test message through a notification channel",
	    cmd_notify_usage, cmd_notify },
	{ "outbox", "deliveries to notification channels: pending, failed; "
	    "retry", cmd_outbox_usage, cmd_outbox },
	{ "missing", "agencies whose annual report is overdue (deadlines)",
	    cmd_missing_usage, cmd_missing },
	{ "calendar", "every source x year: deadline, status, published",
	    cmd_calendar_usage, cmd_calendar },
};
#define NCMDS (sizeof cmds / sizeof cmds[0])

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
"usage: nianbao [--help] [--version] COMMAND [ARGS]\n"
"\n"
"nianbao reads 政府信息公开工作年度报告 (the annual information-disclosure\n"
"reports of Chinese government agencies), maps their three standard tables\n"
"onto a canonical record and checks them; `events` and `status` read what\n"
"the nianbaod daemon found on the sites it watches.\n"
"\n"
"commands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f,
"  help CMD   show the help of a command\n"
"\n"
"`nianbao CMD --help` describes each command.  Exit status: 0 success,\n"
"1 an error-severity check failed, 2 an input could not be read or is not\n"
"a report, 64 usage error.\n");
}

int
main(int argc, char **argv)
{
	size_t i;
	const char *name;
	char *cause = NULL;

	/* NIANBAO_NOW (tests): a bad value is an error, not "now" */
	if (clock_init(&cause) == -1) {
		fprintf(stderr, "nianbao: %s\n", cause);
		free(cause);
		return CLI_BADINPUT;
	}
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("nianbao %s\n", NIANBAO_VERSION);
		return CLI_OK;
	}
	if (strcmp(name, "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return CLI_OK;
		}
		for (i = 0; i < NCMDS; i++)
			if (strcmp(argv[2], cmds[i].name) == 0) {
				fputs(cmds[i].usage, stdout);
				return CLI_OK;
			}
		fprintf(stderr, "nianbao: unknown command '%s'\n", argv[2]);
		return CLI_USAGE;
	}
	for (i = 0; i < NCMDS; i++)
		if (strcmp(name, cmds[i].name) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "nianbao: unknown command '%s'\n\n", name);
	usage(stderr);
	return CLI_USAGE;
}
