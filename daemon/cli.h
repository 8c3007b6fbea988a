/*
 * The nianbao command table: one entry per command, each with its own
 * usage text (printed by `nianbao CMD --help` and on a usage error).
 */
#ifndef CLI_H
#define CLI_H

struct cli_cmd {
	const char	*name;
	const char	*summary;	/* one line for `nianbao --help` */
	const char	*usage;		/* full help text */
	int		(*run)(int argc, char **argv);
};

/* Exit statuses shared by the commands. */
#define CLI_OK		0	/* done; no error-severity finding failed */
#define CLI_FINDINGS	1	/* an error-severity finding failed */
#define CLI_BADINPUT	2	/* an input could not be read / is no report */
#define CLI_USAGE	64	/* wrong command line (sysexits EX_USAGE) */

int	cmd_parse(int, char **);
int	cmd_validate(int, char **);
int	cmd_rules(int, char **);
int	cmd_events(int, char **);
int	cmd_status(int, char **);
int	cmd_reports(int, char **);
int	cmd_show(int, char **);
int	cmd_history(int, char **);
int	cmd_diff(int, char **);
int	cmd_findings(int, char **);
int	cmd_export(int, char **);
int	cmd_captures(int, char **);
int	cmd_gc(int, char **);

extern const char cmd_parse_usage[];
extern const char cmd_validate_usage[];
extern const char cmd_rules_usage[];
extern const char cmd_events_usage[];
extern const char cmd_status_usage[];
extern const char cmd_reports_usage[];
extern const char cmd_show_usage[];
extern const char cmd_history_usage[];
extern const char cmd_diff_usage[];
extern const char cmd_findings_usage[];
extern const char cmd_export_usage[];
extern const char cmd_captures_usage[];
extern const char cmd_gc_usage[];

#endif
