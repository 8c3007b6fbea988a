/*
 * What every command that reads nianbaod's store shares: finding the
 * database (--db, else the configuration given with -f, $NIANBAO_CONF or
 * /etc/nianbao/nianbaod.conf when it is readable, else $NIANBAO_DB, else
 * the daemon's default path), opening it with a message that names the
 * file, and aligning columns that hold Chinese text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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
