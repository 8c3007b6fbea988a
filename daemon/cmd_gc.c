/*
 * `nianbao gc`: retention by hand.  Prunes revisit captures older than an
 * age when asked, deletes the blobs nothing refers to any more, and with
 * --vacuum rebuilds the file so the freed pages go back to the file
 * system.  It opens the store read-write and works while nianbaod runs:
 * each step is one short write transaction and SQLite's busy timeout
 * serialises it with the daemon's batches (VACUUM holds the write lock for
 * as long as it copies the file, so the daemon waits that long).
 *
 * The database is found as by the other commands: --db, else -f CONFIG
 * (or $NIANBAO_CONF, else /etc/nianbao/nianbaod.conf when it exists),
 * else $NIANBAO_DB, else the daemon's default path.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "clock.h"
#include "conf.h"
#include "store.h"
#include "xmalloc.h"


const char cmd_gc_usage[] =
"usage: nianbao gc [-f CONFIG | --db PATH] [--prune-revisits AGE]\n"
"                  [--vacuum] [--dry-run] [--json]\n"
"\n"
"Reclaims space in nianbaod's store.  Versions and the captures they\n"
"came from are kept forever; with --prune-revisits, revisit captures\n"
"(unchanged re-checks) fetched more than AGE ago are deleted, except\n"
"each URL's latest and those history needs.  Then the blobs nothing\n"
"refers to are deleted, and their number and stored bytes printed.\n"
"Works while nianbaod runs.\n"
"\n"
"  -f CONFIG              read the database path from this configuration\n"
"  --db PATH              the database itself\n"
"  --prune-revisits AGE   also prune revisits older than AGE (30d, 12h, 0s)\n"
"  --vacuum               rebuild the file so that it shrinks\n"
"  --dry-run              report what would be done, change nothing\n"
"  --json                 one JSON object\n";

struct gc_opts {
	struct cmd_db_opts d;		/* -f, --db, --json */
	long long	 age_ms;	/* -1: no pruning */
	int		 vacuum;
	int		 dry_run;
};

/* One option of gc beyond the shared ones. */
static int
gc_opt(int ch, const char *arg, void *p)
{
	struct gc_opts *o = p;

	switch (ch) {
	case 'p':
		o->age_ms = conf_duration_ms(arg);
		if (o->age_ms < 0) {
			fprintf(stderr, "nianbao: --prune-revisits %s: not a "
			    "duration (90s, 15m, 12h, 30d)\n", arg);
			return CLI_USAGE;
		}
		return 0;
	case 'v':
		o->vacuum = 1;
		return 0;
	case 'n':
		o->dry_run = 1;
		return 0;
	}
	return -1;
}

/* 0 to go on, -1 after --help, else an exit status. */
static int
gc_parse_opts(int argc, char **argv, struct gc_opts *o)
{
	static const struct option lopts[] = {
		{ "prune-revisits", required_argument, NULL, 'p' },
		{ "vacuum", no_argument, NULL, 'v' },
		{ "dry-run", no_argument, NULL, 'n' },
		CMD_DB_LONGOPTS
	};

	memset(o, 0, sizeof *o);
	o->age_ms = -1;
	return cmd_db_parse(argc, argv, "f:h", lopts, cmd_gc_usage, &o->d,
	    gc_opt, o);
}

int
cmd_gc(int argc, char **argv)
{
	struct gc_opts o;
	struct store *st = NULL;
	struct conf c;
	char *cause = NULL;
	int64_t pruned = 0, blobs = 0, bytes = 0, before = 0, after = 0;
	int64_t free_bytes = 0;
	int rc, have_conf;

	rc = gc_parse_opts(argc, argv, &o);
	if (rc != 0)
		return rc == -1 ? CLI_OK : rc;
	rc = CLI_BADINPUT;
	st = cmd_db_open(o.d.db, o.d.config, 0, &c, &have_conf);
	if (st == NULL)
		goto out;
	if (store_file_bytes(st, &before, NULL, &cause) != 0)
		goto fail;

	/* A dry run does everything in one transaction and undoes it. */
	if (store_begin(st, &cause) != 0)
		goto fail;
	if (o.age_ms >= 0 && store_prune_revisits(st, clock_now_ms() -
	    o.age_ms, 0, &pruned, &cause) != 0)
		goto fail;
	if (store_gc(st, &blobs, &bytes, &cause) != 0)
		goto fail;
	if (o.dry_run)
		store_rollback(st);
	else if (store_commit(st, &cause) != 0)
		goto fail;

	if (o.vacuum && !o.dry_run && store_vacuum(st, &cause) != 0)
		goto fail;
	if (store_file_bytes(st, &after, &free_bytes, &cause) != 0)
		goto fail;

	if (o.d.json) {
		json_t *j = json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:b}",
		    "dry_run", o.dry_run, "pruned", (json_int_t)pruned,
		    "blobs", (json_int_t)blobs, "bytes", (json_int_t)bytes,
		    "file_before", (json_int_t)before,
		    "file_after", (json_int_t)after,
		    "free_bytes", (json_int_t)free_bytes,
		    "vacuum", o.vacuum && !o.dry_run);

		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
	} else {
		printf("%s%lld revisit captures; %s %lld blobs, %lld bytes; "
		    "database %lld → %lld bytes (%lld free)\n",
		    o.dry_run ? "would prune " : "pruned ", (long long)pruned,
		    o.dry_run ? "would reclaim" : "reclaimed",
		    (long long)blobs, (long long)bytes, (long long)before,
		    (long long)after, (long long)free_bytes);
	}
	rc = CLI_OK;
	goto out;
fail:
	fprintf(stderr, "nianbao: gc: %s\n", cause != NULL ? cause : "failed");
	free(cause);
	store_rollback(st);
out:
	store_close(st);
	conf_release(&c);
	return rc;
}
