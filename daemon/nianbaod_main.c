/*
 * nianbaod: the daemon that watches the sources of the catalog.  This
 * build carries its configuration and catalog checks (-n); the crawl loop
 * (libcurl multi on libevent, the store, the scheduler) is the daemon
 * issue's work still to come, and the other modes say so instead of
 * pretending to run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "conf.h"

#define NIANBAOD_CONF	"/etc/nianbao/nianbaod.conf"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: nianbaod [-dnv] [-f CONFIG] [--once]\n"
"\n"
"nianbaod watches Chinese government websites for 政府信息公开工作年度报告,\n"
"captures, parses and checks every report it finds and records events.\n"
"\n"
"  -f CONFIG  configuration file (default " NIANBAOD_CONF ")\n"
"  -n         check the configuration and the source catalog, print\n"
"             \"configuration OK\" or every error as file:line, and exit\n"
"  -v         with -n: also print the configuration, normalized\n"
"  -d         stay in the foreground and log to stderr\n"
"  --once     one full cycle over all due sources, then exit\n"
"  -h         this help\n"
"\n"
"Exit status: 0 success, 1 configuration or catalog errors, 64 usage.\n"
"This build checks configurations (-n); crawling is not built yet.\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NIANBAOD_CONF;
	struct conf conf;
	struct catalog cat;
	char *errors = NULL, *cerrors = NULL, *printed;
	int ch, check = 0, verbose = 0, nerr, ncat, rc = 0;

	while ((ch = getopt_long(argc, argv, "f:dnvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'd':
		case 'o':
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 64;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "nianbaod: unexpected argument \"%s\"\n",
		    argv[optind]);
		usage(stderr);
		return 64;
	}
	conf_init(&conf);
	nerr = conf_load(&conf, path, &errors);
	if (nerr < 0) {
		fprintf(stderr, "nianbaod: %s", errors);
		free(errors);
		conf_release(&conf);
		return 1;
	}
	fputs(errors, stderr);
	ncat = catalog_load(&cat, conf.catalog, &cerrors);
	fputs(cerrors, stderr);
	if (nerr > 0 || ncat != 0)
		rc = 1;
	if (check) {
		if (verbose) {
			printed = conf_print(&conf);
			fputs(printed, stdout);
			free(printed);
		}
		if (rc == 0)
			printf("configuration OK (%s; %zu sources in %s)\n",
			    path, cat.n, conf.catalog);
		else
			fprintf(stderr, "nianbaod: %d configuration error(s), "
			    "%d catalog error(s); %zu sources load\n", nerr,
			    ncat < 0 ? 1 : ncat, cat.n);
	} else {
		fprintf(stderr, "nianbaod: the crawl loop is not built yet; "
		    "this build checks configurations (nianbaod -n -f %s)\n",
		    path);
		rc = 1;
	}
	free(errors);
	free(cerrors);
	catalog_release(&cat);
	conf_release(&conf);
	return rc;
}
