/*
 * nianbaod: the daemon that watches the sources of the catalog.  main()
 * reads the configuration and the catalog, opens the store, builds the
 * fetcher on one libevent loop and hands the schedule to daemon.c; the
 * signal handlers here give the promised behaviour:
 *
 *   SIGTERM, SIGINT  stop scheduling, cancel queued requests, let the ones
 *                    in flight finish for up to STOP_GRACE_S, commit, exit 0
 *   SIGHUP           re-read configuration and catalog; keep the old ones
 *                    when the new ones have errors
 *
 * Under systemd (Type=notify) it reports READY, RELOADING, STOPPING,
 * STATUS and pets the watchdog.
 */
#include <sys/stat.h>

#include <event2/event.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../notify/notify.h"
#include "catalog.h"
#include "clock.h"
#include "conf.h"
#include "fetch.h"
#include "log.h"
#include "nianbaod.h"
#include "sdnotify.h"
#include "store.h"
#include "xmalloc.h"

#define NIANBAOD_CONF	"/etc/nianbao/nianbaod.conf"
#define STOP_GRACE_S	10
#define ONCE_DELIVER_MS	10000	/* --once: how long to deliver what is due */
/*
 * Revisit pruning ([daemon] prune_revisits_after): once a day, the first
 * time soon after start; at most PRUNE_BATCH rows per run, so the loop is
 * never held long, and again a minute later while a run was full.
 */
#define PRUNE_FIRST_S	10
#define PRUNE_EVERY_S	(24 * 3600)
#define PRUNE_AGAIN_S	60
#define PRUNE_BATCH	50000

static void
usage(FILE *f)
{
	fprintf(f,
"usage: nianbaod [-dnv] [-f CONFIG] [--once [--all]]\n"
"\n"
"nianbaod watches Chinese government websites for 政府信息公开工作年度报告:\n"
"it checks the listing page of every source in the catalog on schedule,\n"
"finds the annual reports, captures every response byte for byte into its\n"
"SQLite store, parses and checks each report, keeps every version and\n"
"records an event when a report is new, changed or removed, or a source\n"
"starts failing or recovers.  `nianbao events` and `nianbao status` read\n"
"what it recorded.\n"
"\n"
"  -f CONFIG  configuration file (default " NIANBAOD_CONF ")\n"
"  -n         check the configuration and the source catalog, print\n"
"             \"configuration OK\" or every error as file:line, and exit\n"
"  -v         with -n: also print the configuration, normalized;\n"
"             otherwise: log at debug level\n"
"  -d         stay in the foreground and log to stderr (the default under\n"
"             systemd, which also gets <N> priority prefixes)\n"
"  --once     one cycle over the sources that are due (all of them on a\n"
"             new database), then exit 0: for cron, tests and the demo\n"
"  --all      with --once: check every source now, due or not\n"
"  -h         this help\n"
"\n"
"Signals: SIGTERM/SIGINT finish in-flight requests (up to 10 s), commit\n"
"and exit 0; SIGHUP re-reads the configuration and the catalog and keeps\n"
"the old ones if the new ones have errors.\n"
"\n"
"Exit status: 0 success, 1 configuration, catalog or store error, 64 usage.\n");
}

static void		 notify_reload(struct nianbaod *);

static struct nianbaod	*the_daemon;
static const char	*conf_path = NIANBAOD_CONF;
static struct event	*stop_ev, *watchdog_ev, *prune_ev;

static void
status_notify(struct nianbaod *d)
{
	char buf[256];

	snprintf(buf, sizeof buf, "STATUS=%zu sources, %zu checks running, "
	    "%llu fetches, %llu events", d->cat.n, d->jobs,
	    (unsigned long long)d->n_fetches, (unsigned long long)d->n_events);
	sdnotify(buf);
}

/*
 * Deletes old revisit captures inside the current write batch; the
 * number pruned, -1 on error (logged) or when pruning is off.
 */
static int64_t
prune_revisits(struct nianbaod *d)
{
	char *cause = NULL;
	int64_t n = 0;

	if (d->conf.prune_revisits_after_ms <= 0 || daemon_tx(d) == -1)
		return -1;
	if (store_prune_revisits(d->store, clock_now_ms() -
	    d->conf.prune_revisits_after_ms, PRUNE_BATCH, &n, &cause) == -1) {
		log_warnx("prune revisits: %s", cause);
		free(cause);
		return -1;
	}
	log_info("pruned %lld revisit captures older than %llds",
	    (long long)n, d->conf.prune_revisits_after_ms / 1000);
	return n;
}

static void
on_prune(evutil_socket_t fd, short what, void *arg)
{
	struct nianbaod *d = arg;
	struct timeval tv = { PRUNE_EVERY_S, 0 };

	if (d->stopping)
		return;
	if (prune_revisits(d) == PRUNE_BATCH)
		tv.tv_sec = PRUNE_AGAIN_S;
	evtimer_add(prune_ev, &tv);
}

static void
stop_now(evutil_socket_t fd, short what, void *arg)
{
	struct nianbaod *d = arg;

	log_warnx("%zu checks still running after %d s; stopping anyway",
	    d->jobs, STOP_GRACE_S);
	daemon_commit(d);
	event_base_loopbreak(d->base);
}

static void
on_term(evutil_socket_t sig, short what, void *arg)
{
	struct nianbaod *d = arg;
	struct timeval tv = { STOP_GRACE_S, 0 };

	if (d->stopping) {
		log_info("second signal: stopping now");
		daemon_commit(d);
		event_base_loopbreak(d->base);
		return;
	}
	log_info("signal %d: stopping (%zu checks running)", (int)sig,
	    d->jobs);
	sdnotify("STOPPING=1");
	d->stopping = 1;
	evtimer_del(d->due_ev);
	fetch_cancel_queued(d->fetcher);
	if (d->jobs == 0) {
		daemon_commit(d);
		event_base_loopexit(d->base, NULL);
		return;
	}
	stop_ev = evtimer_new(d->base, stop_now, d);
	evtimer_add(stop_ev, &tv);
}

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct nianbaod *d = arg;
	struct conf c, old;
	struct catalog cat;
	struct fetch_opts o;
	char *errors = NULL, *cerrors = NULL;
	int nerr, ncat;

	sdnotify("RELOADING=1");
	log_info("SIGHUP: reloading %s", conf_path);
	conf_init(&c);
	memset(&cat, 0, sizeof cat);
	nerr = conf_load(&c, conf_path, &errors);
	ncat = nerr == 0 ? catalog_load(&cat, c.catalog, &cerrors) : 0;
	if (nerr != 0 || ncat < 0) {
		log_warnx("reload refused, the running configuration stays:\n%s%s",
		    errors != NULL ? errors : "", cerrors != NULL ? cerrors : "");
		conf_release(&c);
		catalog_release(&cat);
		goto out;
	}
	if (ncat > 0)
		log_warnx("catalog: %d bad line(s) skipped:\n%s", ncat, cerrors);
	if (strcmp(c.database, d->conf.database) != 0)
		log_warnx("database cannot change on reload; still %s",
		    d->conf.database);
	free(c.database);
	c.database = xstrdup(d->conf.database);
	old = d->conf;
	d->conf = c;
	httpd_reload(d, &old);
	notify_reload(d);
	conf_release(&old);
	catalog_release(&d->cat);
	d->cat = cat;
	log_set_level(d->conf.log_level);
	daemon_fetch_opts(&d->conf, &o);
	fetcher_set_opts(d->fetcher, &o);
	daemon_commit(d);
	daemon_schedule_all(d);
	calsweep_all(d);	/* deadlines may have changed */
	log_info("reloaded: %zu sources", d->cat.n);
	daemon_run_due(d);
out:
	free(errors);
	free(cerrors);
	sdnotify("READY=1");
	status_notify(d);
}

/* Starts the dispatcher when channels are configured, or hands it new ones. */
static void
notify_reload(struct nianbaod *d)
{
	char *cause = NULL;

	if (d->dispatch != NULL) {
		dispatch_reload(d->dispatch, d->conf.channels,
		    d->conf.nchannels);
		log_info("notifications: %zu channel(s)", d->conf.nchannels);
		return;
	}
	if (d->conf.nchannels == 0)
		return;
	d->dispatch = dispatch_start(d->conf.database, d->conf.channels,
	    d->conf.nchannels, &cause);
	if (d->dispatch == NULL) {
		log_warnx("notifications: %s; no deliveries", cause);
		free(cause);
		return;
	}
	log_info("notifications: %zu channel(s)", d->conf.nchannels);
}

static void
on_watchdog(evutil_socket_t fd, short what, void *arg)
{
	sdnotify("WATCHDOG=1");
	status_notify(arg);
}

static int
check_only(struct conf *conf, const char *path, int verbose)
{
	struct catalog cat;
	char *errors = NULL, *cerrors = NULL, *printed;
	int nerr, ncat, rc = 0;

	memset(&cat, 0, sizeof cat);
	nerr = conf_load(conf, path, &errors);
	if (nerr < 0) {
		fprintf(stderr, "nianbaod: %s", errors);
		free(errors);
		return 1;
	}
	fputs(errors, stderr);
	ncat = catalog_load(&cat, conf->catalog, &cerrors);
	fputs(cerrors, stderr);
	if (nerr > 0 || ncat != 0)
		rc = 1;
	if (verbose) {
		printed = conf_print(conf);
		fputs(printed, stdout);
		free(printed);
	}
	if (rc == 0)
		printf("configuration OK (%s; %zu sources in %s)\n", path,
		    cat.n, conf->catalog);
	else
		fprintf(stderr, "nianbaod: %d configuration error(s), %d "
		    "catalog error(s); %zu sources load\n", nerr, ncat < 0 ? 1 :
		    ncat, cat.n);
	free(errors);
	free(cerrors);
	catalog_release(&cat);
	return rc;
}

static void
detach(void)
{
	int fd;

	if (daemon(0, 1) == -1)
		fatalx("daemon: %s", strerror(errno));
	fd = open("/dev/null", O_RDWR);
	if (fd != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		/* stderr stays: a supervisor may collect it */
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nianbaod d;
	struct fetch_opts fo;
	struct event *ev_term, *ev_int, *ev_hup;
	char *errors = NULL, *cause = NULL;
	uint64_t wd;
	int ch, check = 0, verbose = 0, foreground = 0, nerr, ncat, rc = 0;
	int64_t t0;

	memset(&d, 0, sizeof d);
	while ((ch = getopt_long(argc, argv, "f:dnvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			conf_path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'd':
			foreground = 1;
			break;
		case 'o':
			d.once = 1;
			break;
		case 'a':
			d.all = 1;
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
	if (d.all && !d.once) {
		fprintf(stderr, "nianbaod: --all goes with --once\n");
		return 64;
	}
	/* NIANBAO_NOW (tests): a bad value is an error, not "now" */
	if (clock_init(&cause) == -1) {
		fprintf(stderr, "nianbaod: %s\n", cause);
		free(cause);
		return 1;
	}
	conf_init(&d.conf);
	if (check) {
		rc = check_only(&d.conf, conf_path, verbose);
		conf_release(&d.conf);
		return rc;
	}

	/* start-up: anything wrong here is fatal, with its file:line */
	nerr = conf_load(&d.conf, conf_path, &errors);
	if (nerr != 0) {
		fprintf(stderr, "nianbaod: %s", errors);
		free(errors);
		return 1;
	}
	free(errors);
	errors = NULL;
	log_init("nianbaod", verbose ? "debug" : d.conf.log_level);
	ncat = catalog_load(&d.cat, d.conf.catalog, &errors);
	if (ncat < 0) {
		fprintf(stderr, "nianbaod: %s", errors);
		free(errors);
		return 1;
	}
	if (ncat > 0)
		log_warnx("catalog: %d bad line(s) skipped:\n%s", ncat, errors);
	free(errors);

	d.store = store_open(d.conf.database, STORE_CREATE, &cause);
	if (d.store == NULL) {
		fprintf(stderr, "nianbaod: %s\n", cause);
		free(cause);
		return 1;
	}
	if (!foreground && !d.once && getenv("NOTIFY_SOCKET") == NULL &&
	    getenv("JOURNAL_STREAM") == NULL)
		detach();

	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	d.base = event_base_new();
	if (d.base == NULL)
		fatalx("event_base_new failed");
	the_daemon = &d;
	daemon_init_events(&d);
	daemon_fetch_opts(&d.conf, &fo);
	d.fetcher = fetcher_new(d.base, &fo, daemon_aux_result, &d);
	if (d.fetcher == NULL)
		fatalx("fetcher_new failed");
	metrics_init(&d.metrics);
	d.started_ms = clock_now_ms();
	/*
	 * A daemon that cannot serve its API does not start; a --once run
	 * (cron, tests, beside a running daemon) crawls without it.
	 */
	if (httpd_start(&d, &cause) == -1) {
		if (!d.once)
			fatalx("%s", cause);
		log_warnx("%s; no HTTP API for this run", cause);
		free(cause);
		cause = NULL;
	}

	notify_reload(&d);

	ev_term = evsignal_new(d.base, SIGTERM, on_term, &d);
	ev_int = evsignal_new(d.base, SIGINT, on_term, &d);
	ev_hup = evsignal_new(d.base, SIGHUP, on_hup, &d);
	evsignal_add(ev_term, NULL);
	evsignal_add(ev_int, NULL);
	evsignal_add(ev_hup, NULL);
	wd = sdnotify_watchdog_usec();
	if (wd > 0) {
		struct timeval tv = { (time_t)(wd / 2000000),
		    (suseconds_t)(wd / 2 % 1000000) };

		watchdog_ev = event_new(d.base, -1, EV_PERSIST, on_watchdog,
		    &d);
		event_add(watchdog_ev, &tv);
	}

	if (!d.once) {
		struct timeval tv = { PRUNE_FIRST_S, 0 };

		prune_ev = evtimer_new(d.base, on_prune, &d);
		evtimer_add(prune_ev, &tv);
	}

	t0 = clock_mono_ms();
	daemon_schedule_all(&d);
	calsweep_start(&d);	/* report.missing needs no check */
	log_info("started: %zu sources, database %s%s", d.cat.n,
	    d.conf.database, d.once ? ", one cycle" : "");
	sdnotify("READY=1");
	status_notify(&d);
	if (d.once && d.planned == 0)
		log_info("no source is due");
	else {
		daemon_run_due(&d);
		event_base_dispatch(d.base);
	}
	/* a --once run (cron) prunes at the end of its cycle */
	if (d.once)
		prune_revisits(&d);
	daemon_commit(&d);
	/* --once delivers what is due before it exits, within a bound */
	if (d.once && d.dispatch != NULL &&
	    dispatch_drain(d.dispatch, ONCE_DELIVER_MS) != 0)
		log_warnx("notifications: still due after %d s; the next run "
		    "delivers them", ONCE_DELIVER_MS / 1000);
	/* an attempt in flight ends within its timeout */
	dispatch_stop(d.dispatch);
	d.dispatch = NULL;
	log_info("stopped after %.1fs: %zu checks, %llu fetches (%llu "
	    "unchanged, %llu errors), %llu new versions, %llu events",
	    (double)(clock_mono_ms() - t0) / 1000, d.finished,
	    (unsigned long long)d.n_fetches,
	    (unsigned long long)d.n_revisits, (unsigned long long)d.n_errors,
	    (unsigned long long)d.n_versions, (unsigned long long)d.n_events);

	httpd_stop(&d);
	fetcher_free(d.fetcher);
	if (stop_ev != NULL)
		event_free(stop_ev);
	if (watchdog_ev != NULL)
		event_free(watchdog_ev);
	if (prune_ev != NULL)
		event_free(prune_ev);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_hup);
	event_free(d.due_ev);
	event_free(d.commit_ev);
	calsweep_stop(&d);
	event_base_free(d.base);
	curl_global_cleanup();
	store_close(d.store);
	sched_release(&d.sched);
	metrics_release(&d.metrics);
	catalog_release(&d.cat);
	conf_release(&d.conf);
	return 0;
}
