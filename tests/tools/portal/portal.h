/*
 * The loopback portal: a libevent evhttp server that plays several fake
 * government sites for the end-to-end tests and the demo.  Each site is
 * told apart by the local address it is reached on (127.0.0.11, ...), all
 * on one port.  Files come from ROOT/<state>/<site>/ with a fallback to
 * ROOT/common/<site>/, so switching the state changes what the sites
 * publish.  tests/portal/README.md describes the tree and the sites.
 */
#ifndef PORTAL_H
#define PORTAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct evhttp;
struct evhttp_bound_socket;
struct evhttp_connection;
struct evhttp_request;
struct event_base;
struct portal;
struct stream;

struct site {
	struct portal	*portal;	/* back pointer, borrowed */
	char		*addr;		/* local address, "127.0.0.11" */
	char		*name;		/* folder under ROOT/<state>/ */
	char		*charset;	/* charset of text/html, text/plain */
	struct evhttp	*http;		/* one evhttp per site: the cb arg */
	struct evhttp_bound_socket *sock;
};

/* One slot per connection being served; a full table refuses new ones. */
struct conn {
	struct evhttp_connection *evcon;	/* NULL when the slot is free */
	struct stream	*stream;	/* streamed reply in progress or NULL */
};

struct portal {
	struct event_base *base;
	char		*root;		/* ROOT, no trailing slash */
	struct site	*sites;
	size_t		 nsites;
	unsigned int	 port;		/* the one port of every site */
	int		 state;		/* current state, 1.. */
	unsigned long long visits;	/* HTML pages served, for the chrome */
	int		 state429;	/* state of the last 429 answered, 0 none */
	struct conn	*conns;
	size_t		 maxconns;
	FILE		*log;		/* one line per request, or NULL */
};

/* portal.c */
void	 portal_log(struct site *, struct evhttp_request *, int, uint64_t);
void	 portal_log_uri(struct site *, const char *, const char *, int,
	    uint64_t);
void	 portal_reply(struct site *, struct evhttp_request *, int,
	    const char *, const char *, size_t);

/* serve.c: files of ROOT/<state>/<site> with ROOT/common fallback. */
void	 serve_file(struct site *, struct evhttp_request *, const char *);
int	 serve_path(struct site *, const char *, char **, int *);
void	 serve_buffer(struct site *, struct evhttp_request *, const char *,
	    const char *, size_t, int64_t);

/* hostile.c: the misbehaving endpoints under /hostile/. */
int	 hostile_init(char **);
void	 hostile_free(void);
int	 hostile_serve(struct site *, struct conn *, struct evhttp_request *,
	    const char *);
void	 hostile_closed(struct conn *);

#endif
