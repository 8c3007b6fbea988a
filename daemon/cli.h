/*
 * The nianbao command table: one entry per command, each with its own
 * usage text (printed by `nianbao CMD --help` and on a usage error).
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdint.h>

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
int	cmd_missing(int, char **);	/* cmd_calendar.c */
int	cmd_calendar(int, char **);

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
/* cmd_notify.c: notification channels and the outbox */
int	cmd_notify(int, char **);
int	cmd_outbox(int, char **);
extern const char cmd_notify_usage[];
extern const char cmd_outbox_usage[];
extern const char cmd_missing_usage[];
extern const char cmd_calendar_usage[];

/* cmd_db.c: what every command reading the store shares. */
struct conf;
struct store;
/*
 * The database path: db if given, else the configuration's (config, or
 * $NIANBAO_CONF, or the default configuration when readable; *have_conf is
 * then set and *c loaded), else $NIANBAO_DB, else the daemon's default.
 * *c is always initialised (conf_release it).  NULL after printing why.
 */
const char	*cmd_db_path(const char *db, const char *config, struct conf *c,
		    int *have_conf);
/* The same, opened with flags (STORE_RDONLY or 0); NULL after printing why. */
struct store	*cmd_db_open(const char *db, const char *config, int flags,
		    struct conf *c, int *have_conf);
/* Display width of UTF-8 text (East Asian wide characters count 2). */
size_t		 cmd_width(const char *);
/* Prints s padded with spaces to width display columns. */
void		 cmd_pad(const char *, size_t width);

/*
 * The options every store command shares, parsed by cmd_db_parse(): -f
 * CONFIG, --db PATH (-D where optstring has it), --json (-j likewise)
 * and --help.  A command's long option table ends with CMD_DB_LONGOPTS
 * (getopt.h); its other options must not use 'D' or 'j'.
 */
struct cmd_db_opts {
	const char	*config;
	const char	*db;
	int		 json;
};
#define CMD_OPT_DB	0x300
#define CMD_OPT_JSON	0x301
#define CMD_DB_LONGOPTS \
	{ "db", required_argument, NULL, CMD_OPT_DB }, \
	{ "json", no_argument, NULL, CMD_OPT_JSON }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ NULL, 0, NULL, 0 }
struct option;
/*
 * Parses argv (no operands allowed) with getopt_long(optstring, lopts):
 * the shared options into *d, every other one to opt(ch, optarg, arg),
 * which returns 0, CLI_USAGE after saying why, or -1 for an option the
 * command does not take (usage on stderr then).  Returns 0, -1 after
 * --help printed usage, or CLI_USAGE.
 */
int		 cmd_db_parse(int argc, char **argv, const char *optstring,
		    const struct option *lopts, const char *usage,
		    struct cmd_db_opts *d,
		    int (*opt)(int, const char *, void *), void *arg);
struct catalog;
/*
 * For the commands that need the catalog too (missing, calendar, reports
 * --late): the store opened read-only into *st, the configuration into *c
 * and its catalog into *cat (with --db and -f, the database given and the
 * rest from the file).  what names the command in the message when no
 * configuration is given.  CLI_OK, or an exit status after saying why;
 * *st (maybe NULL), *c and *cat are to be released either way.
 */
int		 cmd_db_catalog(const struct cmd_db_opts *, const char *what,
		    struct store **st, struct conf *c, struct catalog *cat);
/* One CSV field (RFC 4180), after a comma unless first; NULL is empty. */
void		 cmd_csv(const char *, int first);

/* cmd_calendar.c: the calendar as `nianbao calendar` computes it. */
struct source;
struct calendar_entry;
/*
 * Every source of cat that wanted (NULL: all) accepts, its calendar at
 * now given to each(): its n entries, and whether its listing was ever
 * read.  CLI_OK, or CLI_BADINPUT when some source's reports could not be
 * read (said on stderr; the others are done all the same).
 */
int		 cmd_calendar_each(struct store *, const struct conf *,
		    const struct catalog *, int64_t now,
		    int (*wanted)(const struct source *, void *),
		    void (*each)(const struct source *,
		    const struct calendar_entry *, size_t n, int checked,
		    void *), void *arg);

#endif
