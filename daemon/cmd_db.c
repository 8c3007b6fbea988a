/*
 * What every command that reads nianbaod's store shares: finding the
 * database (--db, else the configuration given with -f, $NIANBAO_CONF or
 * /etc/nianbao/nianbaod.conf when it is readable, else $NIANBAO_DB, else
 * the daemon's default path), opening it with a message that names the
 * file, and aligning columns that hold Chinese text; parsing the options
 * they all take, loading the catalog for those that need it, and CSV.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "conf.h"
#include "store.h"

#define CMD_DEFAULT_CONF	"/etc/nianbao/nianbaod.conf"

const char *
cmd_db_path(const char *db, const char *config, struct conf *c,
    int *have_conf)
{
	char *errors = NULL;

	conf_init(c);
	*have_conf = 0;
	if (db != NULL)
		return db;
	if (config == NULL) {
		config = getenv("NIANBAO_CONF");
		if (config == NULL && getenv("NIANBAO_DB") == NULL &&
		    access(CMD_DEFAULT_CONF, R_OK) == 0)
			config = CMD_DEFAULT_CONF;
	}
	if (config != NULL) {
		if (conf_load(c, config, &errors) != 0) {
			fprintf(stderr, "nianbao: %s", errors);
			free(errors);
			return NULL;
		}
		free(errors);
		*have_conf = 1;
		return c->database;
	}
	if (getenv("NIANBAO_DB") != NULL)
		return getenv("NIANBAO_DB");
	return c->database;
}

struct store *
cmd_db_open(const char *db, const char *config, int flags, struct conf *c,
    int *have_conf)
{
	struct store *st;
	const char *path;
	char *cause = NULL;
	int rdonly = (flags & STORE_RDONLY) != 0;

	path = cmd_db_path(db, config, c, have_conf);
	if (path == NULL)
		return NULL;
	if (access(path, rdonly ? R_OK : R_OK | W_OK) != 0) {
		fprintf(stderr, "nianbao: %s: no %sdatabase (has nianbaod run "
		    "with this configuration?)\n", path, rdonly ? "" :
		    "writable ");
		return NULL;
	}
	st = store_open(path, flags, &cause);
	if (st == NULL) {
		fprintf(stderr, "nianbao: %s\n", cause);
		free(cause);
	}
	return st;
}

size_t
cmd_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	while (*p != '\0') {
		if (*p < 0x80) {
			w++;
			p++;
			continue;
		}
		/* two-byte sequences are narrow; CJK and beyond are wide */
		w += (*p & 0xe0) == 0xc0 ? 1 : 2;
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
	}
	return w;
}

void
cmd_pad(const char *s, size_t width)
{
	size_t w = cmd_width(s);

	fputs(s, stdout);
	while (w++ < width)
		putchar(' ');
}

int
cmd_db_parse(int argc, char **argv, const char *optstring,
    const struct option *lopts, const char *usage, struct cmd_db_opts *d,
    int (*opt)(int, const char *, void *), void *arg)
{
	int ch, rc;

	memset(d, 0, sizeof *d);
	optind = 1;
	while ((ch = getopt_long(argc, argv, optstring, lopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			d->config = optarg;
			break;
		case 'D':	/* the short forms, where optstring has them */
		case CMD_OPT_DB:
			d->db = optarg;
			break;
		case 'j':
		case CMD_OPT_JSON:
			d->json = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			rc = opt != NULL && ch != '?' && ch != ':' ?
			    opt(ch, optarg, arg) : -1;
			if (rc == CLI_USAGE)
				return CLI_USAGE;
			if (rc != 0)
				goto bad;
			break;
		}
	}
	if (optind == argc)
		return 0;
bad:
	fputs(usage, stderr);
	return CLI_USAGE;
}

int
cmd_db_catalog(const struct cmd_db_opts *d, const char *what,
    struct store **st, struct conf *c, struct catalog *cat)
{
	char *errors = NULL;
	int have_conf, rc = CLI_BADINPUT;

	memset(cat, 0, sizeof *cat);
	*st = cmd_db_open(d->db, d->config, STORE_RDONLY, c, &have_conf);
	if (*st == NULL)
		return CLI_BADINPUT;
	if (!have_conf && d->config != NULL) {
		/* --db and -f: the database given, the rest from the file */
		if (conf_load(c, d->config, &errors) != 0) {
			fprintf(stderr, "nianbao: %s", errors);
			goto out;
		}
		free(errors);
		errors = NULL;
		have_conf = 1;
	}
	if (!have_conf) {
		fprintf(stderr, "nianbao: %s needs the catalog: give "
		    "nianbaod's configuration with -f CONFIG (or "
		    "$NIANBAO_CONF)\n", what);
		rc = CLI_USAGE;
		goto out;
	}
	if (catalog_load(cat, c->catalog, &errors) < 0) {
		fprintf(stderr, "nianbao: %s", errors);
		goto out;
	}
	rc = CLI_OK;
out:
	free(errors);
	return rc;
}

void
cmd_csv(const char *s, int first)
{
	const char *p;

	if (!first)
		putchar(',');
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			putchar('"');
		putchar(*p);
	}
	putchar('"');
}
