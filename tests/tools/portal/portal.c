/*
 * portal: main loop, sites, connections and the request log of the
 * loopback portal (portal.h).  Reads ROOT/sites.tsv (address, site,
 * charset), binds one evhttp per site on its address and one shared port,
 * writes the port to the port file once every address listens, and serves
 * until SIGTERM or SIGINT.  Connections are bounded by a slot table: when
 * it is full a new connection gets 503 and is closed.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "buf.h"
#include "portal.h"
#include "util.h"
#include "xmalloc.h"

#define PORTAL_MAXCONNS		64
#define PORTAL_MAXSITES		64
#define PORTAL_BIND_TRIES	8
#define PORTAL_TIMEOUT		60	/* s idle; slow drips for 30 s */

static void	 portal_request(struct evhttp_request *, void *);

static void
usage(void)
{
	fprintf(stderr, "usage: portal -r root [-P portfile] [-a addr,...] "
	    "[-l logfile] [-c maxconns] [-p port] [-s state]\n");
	exit(1);
}

void
portal_log_uri(struct site *s, const char *method, const char *uri,
    int status, uint64_t bytes)
{
	struct timespec ts;
	long long ms;

	if (s->portal->log == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	/* The URI is the client's: bounded, and it has no spaces in HTTP. */
	fprintf(s->portal->log, "%lld %s %s %.512s %d %llu\n", ms, s->addr,
	    method, uri, status, (unsigned long long)bytes);
}

static const char *
portal_method(struct evhttp_request *req)
{
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	default:
		return "OTHER";
	}
}

void
portal_log(struct site *s, struct evhttp_request *req, int status,
    uint64_t bytes)
{
	portal_log_uri(s, portal_method(req), evhttp_request_get_uri(req),
	    status, bytes);
}

/* A small reply with a body held in memory (copied); logs it. */
void
portal_reply(struct site *s, struct evhttp_request *req, int code,
    const char *ctype, const char *body, size_t len)
{
	struct evbuffer *b;
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	b = evbuffer_new();
	if (b == NULL)
		fatalx("evbuffer_new");
	if (len > 0)
		evbuffer_add(b, body, len);
	if (ctype != NULL)
		evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "Server", "nianbao-portal");
	evhttp_send_reply(req, code, NULL, b);
	evbuffer_free(b);
	portal_log(s, req, code, len);
}

static struct conn *
portal_conn_find(struct portal *p, struct evhttp_connection *evcon)
{
	size_t i;

	for (i = 0; i < p->maxconns; i++) {
		if (p->conns[i].evcon == evcon)
			return &p->conns[i];
	}
	return NULL;
}

static void
portal_conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct conn *c = arg;

	if (c->stream != NULL)
		hostile_closed(c);
	c->evcon = NULL;
}

/* The slot of a connection; a new connection takes a free one, or NULL. */
static struct conn *
portal_conn_get(struct portal *p, struct evhttp_connection *evcon)
{
	struct conn *c;

	c = portal_conn_find(p, evcon);
	if (c != NULL)
		return c;
	c = portal_conn_find(p, NULL);
	if (c == NULL)
		return NULL;
	c->evcon = evcon;
	c->stream = NULL;
	evhttp_connection_set_closecb(evcon, portal_conn_closed, c);
	return c;
}

/* GET /__portal/state?n=N switches the state; without n says the state. */
static void
portal_state(struct site *s, struct evhttp_request *req, const char *query)
{
	struct portal *p = s->portal;
	struct evkeyvalq q;
	struct stat st;
	const char *n, *errstr;
	char *dir, reply[32];
	long long v;
	int len;

	TAILQ_INIT(&q);
	if (query != NULL && evhttp_parse_query_str(query, &q) != 0)
		goto bad;
	n = evhttp_find_header(&q, "n");
	if (n == NULL) {
		len = snprintf(reply, sizeof reply, "%d\n", p->state);
		portal_reply(s, req, 200, "text/plain", reply, len);
		goto out;
	}
	if (util_strtonum(n, 1, 999, &v, &errstr) != 0)
		goto bad;
	dir = xprintf("%s/%lld", p->root, v);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(dir);
		portal_reply(s, req, 404, "text/plain", "no such state\n", 14);
		goto out;
	}
	free(dir);
	p->state = (int)v;
	portal_reply(s, req, 200, "text/plain", "ok\n", 3);
	goto out;
bad:
	portal_reply(s, req, 400, "text/plain", "bad request\n", 12);
out:
	evhttp_clear_headers(&q);
}

static void
portal_request(struct evhttp_request *req, void *arg)
{
	struct site *s = arg;
	struct portal *p = s->portal;
	const struct evhttp_uri *uri;
	struct conn *c;
	const char *path;

	c = portal_conn_get(p, evhttp_request_get_connection(req));
	if (c == NULL) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Connection", "close");
		portal_reply(s, req, 503, "text/plain", "busy\n", 5);
		return;
	}
	uri = evhttp_request_get_evhttp_uri(req);
	path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (path == NULL || *path != '/') {
		portal_reply(s, req, 400, "text/plain", "bad request\n", 12);
		return;
	}
	if (strcmp(path, "/__portal/state") == 0) {
		portal_state(s, req, evhttp_uri_get_query(uri));
		return;
	}
	if (strcmp(s->name, "hostile") == 0 &&
	    strncmp(path, "/hostile/", 9) == 0 &&
	    hostile_serve(s, c, req, path + 9) == 0)
		return;
	serve_file(s, req, path);
}

static void
portal_signal(evutil_socket_t sig, short what, void *arg)
{
	struct portal *p = arg;

	event_base_loopbreak(p->base);
}

/* Reads ROOT/sites.tsv: address TAB site TAB charset, # comments. */
static int
portal_sites(struct portal *p, const char *addrs, char **cause)
{
	char *path, *data = NULL, *line, *next, *f[3], *save, *alist = NULL;
	char *a, *asave = NULL;
	struct in_addr in;
	struct site *s;
	size_t len, n;
	int lineno = 0, rc = -1;

	path = xprintf("%s/sites.tsv", p->root);
	if (util_read_file(path, 1 << 20, &data, &len, cause) != 0)
		goto out;
	if (addrs != NULL)
		alist = xstrdup(addrs);
	p->sites = xcalloc(PORTAL_MAXSITES, sizeof *p->sites);
	for (line = data; line != NULL && *line != '\0'; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		save = NULL;
		for (n = 0; n < 3; n++) {
			f[n] = strtok_r(n == 0 ? line : NULL, "\t", &save);
			if (f[n] == NULL)
				break;
		}
		if (n < 3) {
			xasprintf(cause, "%s:%d: want address, site, charset",
			    path, lineno);
			goto out;
		}
		if (alist != NULL) {
			a = strtok_r(asave == NULL ? alist : NULL, ",", &asave);
			if (a == NULL) {
				xasprintf(cause, "-a: fewer addresses than "
				    "sites");
				goto out;
			}
			f[0] = a;
		}
		if (inet_pton(AF_INET, f[0], &in) != 1) {
			xasprintf(cause, "%s:%d: bad address %s", path, lineno,
			    f[0]);
			goto out;
		}
		if (strchr(f[1], '/') != NULL || f[1][0] == '.') {
			xasprintf(cause, "%s:%d: bad site name", path, lineno);
			goto out;
		}
		if (p->nsites == PORTAL_MAXSITES) {
			xasprintf(cause, "%s: too many sites", path);
			goto out;
		}
		s = &p->sites[p->nsites++];
		s->portal = p;
		s->addr = xstrdup(f[0]);
		s->name = xstrdup(f[1]);
		s->charset = xstrdup(f[2]);
	}
	if (p->nsites == 0) {
		xasprintf(cause, "%s: no sites", path);
		goto out;
	}
	rc = 0;
out:
	free(alist);
	free(data);
	free(path);
	return rc;
}

static void
portal_unbind(struct portal *p)
{
	size_t i;

	for (i = 0; i < p->nsites; i++) {
		if (p->sites[i].sock != NULL)
			evhttp_del_accept_socket(p->sites[i].http,
			    p->sites[i].sock);
		p->sites[i].sock = NULL;
	}
}

/*
 * Binds every site on one port: the first address picks it (or takes the
 * one asked for), the others follow; if a later address has that port in
 * use, everything is unbound and tried again with a new port.
 */
static int
portal_bind(struct portal *p, unsigned int want, char **cause)
{
	struct sockaddr_in sin;
	socklen_t slen;
	struct site *s;
	unsigned int port;
	size_t i;
	int try;

	for (try = 0; try < PORTAL_BIND_TRIES; try++) {
		port = want;
		for (i = 0; i < p->nsites; i++) {
			s = &p->sites[i];
			s->sock = evhttp_bind_socket_with_handle(s->http,
			    s->addr, port);
			if (s->sock == NULL)
				break;
			if (port != 0)
				continue;
			slen = sizeof sin;
			if (getsockname(evhttp_bound_socket_get_fd(s->sock),
			    (struct sockaddr *)&sin, &slen) != 0) {
				xasprintf(cause, "getsockname: %s",
				    strerror(errno));
				return -1;
			}
			port = ntohs(sin.sin_port);
		}
		if (i == p->nsites) {
			p->port = port;
			return 0;
		}
		portal_unbind(p);
		if (want != 0)
			break;
	}
	xasprintf(cause, "cannot bind %s port %u: %s", p->sites[i].addr,
	    want, strerror(errno));
	return -1;
}

static int
portal_portfile(struct portal *p, const char *path, char **cause)
{
	char *tmp;
	FILE *f;
	int rc = -1;

	/* Written then renamed, so a waiting test never reads half of it. */
	tmp = xprintf("%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fprintf(f, "%u\n", p->port);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

int
main(int argc, char **argv)
{
	struct portal p;
	struct event *sigterm = NULL, *sigint = NULL;
	const char *portfile = NULL, *addrs = NULL, *logfile = NULL;
	const char *errstr;
	char *cause = NULL;
	long long v;
	unsigned int port = 0;
	size_t i;
	int ch, rc = 1;

	memset(&p, 0, sizeof p);
	p.state = 1;
	p.maxconns = PORTAL_MAXCONNS;
	while ((ch = getopt(argc, argv, "a:c:l:p:P:r:s:")) != -1) {
		switch (ch) {
		case 'a':
			addrs = optarg;
			break;
		case 'c':
			if (util_strtonum(optarg, 1, 10000, &v, &errstr) != 0)
				fatalx("-c %s: %s", optarg, errstr);
			p.maxconns = (size_t)v;
			break;
		case 'l':
			logfile = optarg;
			break;
		case 'p':
			if (util_strtonum(optarg, 0, 65535, &v, &errstr) != 0)
				fatalx("-p %s: %s", optarg, errstr);
			port = (unsigned int)v;
			break;
		case 'P':
			portfile = optarg;
			break;
		case 'r':
			p.root = xstrdup(optarg);
			break;
		case 's':
			if (util_strtonum(optarg, 1, 999, &v, &errstr) != 0)
				fatalx("-s %s: %s", optarg, errstr);
			p.state = (int)v;
			break;
		default:
			usage();
		}
	}
	if (p.root == NULL || optind != argc)
		usage();
	/* A client that goes away mid-reply must not kill the server. */
	signal(SIGPIPE, SIG_IGN);

	if (logfile != NULL) {
		p.log = fopen(logfile, "a");
		if (p.log == NULL)
			fatalx("%s: %s", logfile, strerror(errno));
		setvbuf(p.log, NULL, _IOLBF, 0);
	}
	if (portal_sites(&p, addrs, &cause) != 0)
		goto out;
	if (hostile_init(&cause) != 0)
		goto out;
	p.conns = xcalloc(p.maxconns, sizeof *p.conns);
	p.base = event_base_new();
	if (p.base == NULL)
		fatalx("event_base_new");
	for (i = 0; i < p.nsites; i++) {
		p.sites[i].http = evhttp_new(p.base);
		if (p.sites[i].http == NULL)
			fatalx("evhttp_new");
		evhttp_set_gencb(p.sites[i].http, portal_request, &p.sites[i]);
		evhttp_set_allowed_methods(p.sites[i].http,
		    EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
		/* Bodies are never read: anything beyond this is refused. */
		evhttp_set_max_body_size(p.sites[i].http, 4096);
		evhttp_set_max_headers_size(p.sites[i].http, 16384);
		evhttp_set_timeout(p.sites[i].http, PORTAL_TIMEOUT);
		evhttp_set_default_content_type(p.sites[i].http, NULL);
	}
	if (portal_bind(&p, port, &cause) != 0)
		goto out;
	sigterm = evsignal_new(p.base, SIGTERM, portal_signal, &p);
	sigint = evsignal_new(p.base, SIGINT, portal_signal, &p);
	if (sigterm == NULL || sigint == NULL)
		fatalx("evsignal_new");
	event_add(sigterm, NULL);
	event_add(sigint, NULL);
	if (portfile != NULL && portal_portfile(&p, portfile, &cause) != 0)
		goto out;
	if (p.log != NULL)
		fprintf(p.log, "# portal %s port %u, %zu sites, state %d\n",
		    p.root, p.port, p.nsites, p.state);
	event_base_dispatch(p.base);
	rc = 0;
out:
	if (cause != NULL) {
		fprintf(stderr, "portal: %s\n", cause);
		free(cause);
	}
	if (sigterm != NULL)
		event_free(sigterm);
	if (sigint != NULL)
		event_free(sigint);
	/* evhttp_free closes the connections, which ends their streams. */
	for (i = 0; i < p.nsites; i++) {
		if (p.sites[i].http != NULL)
			evhttp_free(p.sites[i].http);
		free(p.sites[i].addr);
		free(p.sites[i].name);
		free(p.sites[i].charset);
	}
	hostile_free();
	if (p.base != NULL)
		event_base_free(p.base);
	free(p.sites);
	free(p.conns);
	free(p.root);
	if (p.log != NULL)
		fclose(p.log);
	return rc;
}
