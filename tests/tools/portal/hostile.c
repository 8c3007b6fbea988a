/*
 * The hostile endpoints of the portal (portal.h), under /hostile/ on the
 * site named "hostile": servers that drip, fail, throttle, loop, flood or
 * bomb, each one a way a crawler can be held up or blown up.  Long replies
 * are streamed from timers and write-completion callbacks, never by
 * blocking the loop, and end when the client goes away (the connection's
 * close callback, hostile_closed).  The list is in tests/portal/README.md.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include <zlib.h>

#include "portal.h"
#include "xmalloc.h"

#define HOSTILE_SLOW_TICK_MS	200
#define HOSTILE_SLOW_BYTES	150		/* 150 x 200 ms = 30 s */
#define HOSTILE_HUGE		(200ULL << 20)	/* 200 MiB */
#define HOSTILE_CHUNK		65536		/* per write of huge */
#define HOSTILE_ENDLESS_CHUNK	16384
#define HOSTILE_ENDLESS_MS	10
#define HOSTILE_BOMB		(1ULL << 30)	/* inflated size, 1 GiB */
#define HOSTILE_BOMB_PIECE	(1U << 20)	/* zeros per deflate flush */
#define HOSTILE_LOG_STATUS_ABORT 499		/* nginx: client went away */

enum stream_kind {
	STREAM_SLOW,			/* one byte per tick */
	STREAM_HUGE,			/* as fast as the client reads */
	STREAM_ENDLESS,			/* chunks on a timer, no end */
};

/* A streamed reply; owned by its connection slot until it ends. */
struct stream {
	struct site	*site;
	struct conn	*conn;
	struct evhttp_request *req;	/* freed by evhttp on close */
	struct event	*timer;
	enum stream_kind kind;
	uint64_t	 sent;		/* body bytes handed to evhttp */
	uint64_t	 total;		/* 0 = never ends */
	char		*method;	/* copies for the log line */
	char		*uri;
};

static char	*hostile_filler;	/* HOSTILE_CHUNK bytes of HTML-ish */
static char	*hostile_bomb;		/* the gzip stream */
static size_t	 hostile_bomblen;

static const char hostile_slow_body[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>slow</title>"
    "</head><body><p>This page arrives one byte every 200 ms.</p>"
    "</body></html>\n";

static void	 hostile_next(struct stream *);

/*
 * A gzip stream that inflates to HOSTILE_BOMB zero bytes, built without
 * compressing a gigabyte: after Z_FULL_FLUSH the deflate output of a piece
 * of zeros refers to nothing before it, so one piece's bytes can be
 * repeated; an empty final block and the trailer (CRC and size of the
 * whole) close it.
 */
static int
hostile_bomb_make(char **cause)
{
	z_stream z;
	unsigned char *zero, *out, *first, *piece, *p;
	size_t outsz = 1 << 16, firstlen, piecelen, n, i;
	uLong crc, crc1;
	int rc = -1;

	zero = xcalloc(1, HOSTILE_BOMB_PIECE);
	out = xmalloc(2 * outsz);
	first = out;
	piece = out + outsz;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		xasprintf(cause, "deflateInit2 failed");
		goto out;
	}
	z.next_in = zero;
	z.avail_in = HOSTILE_BOMB_PIECE;
	z.next_out = first;
	z.avail_out = outsz;
	if (deflate(&z, Z_FULL_FLUSH) != Z_OK || z.avail_in != 0 ||
	    z.avail_out == 0)
		goto fail;
	firstlen = outsz - z.avail_out;
	z.next_in = zero;
	z.avail_in = HOSTILE_BOMB_PIECE;
	z.next_out = piece;
	z.avail_out = outsz;
	if (deflate(&z, Z_FULL_FLUSH) != Z_OK || z.avail_in != 0 ||
	    z.avail_out == 0)
		goto fail;
	piecelen = outsz - z.avail_out;

	n = HOSTILE_BOMB / HOSTILE_BOMB_PIECE;
	hostile_bomblen = firstlen + (n - 1) * piecelen + 2 + 8;
	hostile_bomb = xmalloc(hostile_bomblen);
	p = (unsigned char *)hostile_bomb;
	memcpy(p, first, firstlen);
	p += firstlen;
	for (i = 1; i < n; i++) {
		memcpy(p, piece, piecelen);
		p += piecelen;
	}
	*p++ = 0x03;		/* final, fixed Huffman, end of block */
	*p++ = 0x00;
	crc1 = crc32(0L, zero, HOSTILE_BOMB_PIECE);
	crc = crc1;
	for (i = 1; i < n; i++)
		crc = crc32_combine(crc, crc1, HOSTILE_BOMB_PIECE);
	for (i = 0; i < 4; i++)
		*p++ = (crc >> (8 * i)) & 0xff;
	for (i = 0; i < 4; i++)
		*p++ = ((uint32_t)HOSTILE_BOMB >> (8 * i)) & 0xff;
	rc = 0;
	goto out;
fail:
	xasprintf(cause, "deflate of the gzip bomb failed");
out:
	deflateEnd(&z);
	free(out);
	free(zero);
	return rc;
}

int
hostile_init(char **cause)
{
	static const char line[] = "<p>2024年政府信息公开工作年度报告</p>\n";
	size_t i, n = sizeof line - 1;

	hostile_filler = xmalloc(HOSTILE_CHUNK);
	for (i = 0; i < HOSTILE_CHUNK; i++)
		hostile_filler[i] = line[i % n];
	return hostile_bomb_make(cause);
}

void
hostile_free(void)
{
	free(hostile_filler);
	free(hostile_bomb);
	hostile_filler = hostile_bomb = NULL;
}

static void
hostile_stream_free(struct stream *st)
{
	if (st->timer != NULL)
		event_free(st->timer);
	free(st->method);
	free(st->uri);
	free(st);
}

/* The client went away (or the server is exiting): drop the stream. */
void
hostile_closed(struct conn *c)
{
	struct stream *st = c->stream;

	c->stream = NULL;
	portal_log_uri(st->site, st->method, st->uri,
	    HOSTILE_LOG_STATUS_ABORT, st->sent);
	/*
	 * A client that went away mid-reply leaves the request detached
	 * from its connection and ours to free (libevent's
	 * evhttp_connection_incoming_fail); at server exit it is still
	 * attached and the connection frees it.
	 */
	if (evhttp_request_get_connection(st->req) == NULL)
		evhttp_request_free(st->req);
	hostile_stream_free(st);
}

static void
hostile_finish(struct stream *st)
{
	struct evhttp_request *req = st->req;

	/* Detached first: ending the reply may close the connection. */
	st->conn->stream = NULL;
	portal_log_uri(st->site, st->method, st->uri, 200, st->sent);
	hostile_stream_free(st);
	evhttp_send_reply_end(req);
}

static void
hostile_tick(evutil_socket_t fd, short what, void *arg)
{
	hostile_next(arg);
}

static void
hostile_drained(struct evhttp_connection *evcon, void *arg)
{
	struct stream *st = arg;
	struct timeval tv = { 0, HOSTILE_ENDLESS_MS * 1000 };

	if (st->kind == STREAM_ENDLESS)
		evtimer_add(st->timer, &tv);
	else
		hostile_next(st);
}

static void
hostile_next(struct stream *st)
{
	struct timeval tv = { 0, HOSTILE_SLOW_TICK_MS * 1000 };
	struct evbuffer *b;
	uint64_t n;

	if (st->total != 0 && st->sent >= st->total) {
		hostile_finish(st);
		return;
	}
	b = evbuffer_new();
	if (b == NULL)
		fatalx("evbuffer_new");
	switch (st->kind) {
	case STREAM_SLOW:
		evbuffer_add(b, hostile_slow_body +
		    st->sent % (sizeof hostile_slow_body - 1), 1);
		st->sent++;
		evhttp_send_reply_chunk(st->req, b);
		evtimer_add(st->timer, &tv);
		break;
	case STREAM_HUGE:
	case STREAM_ENDLESS:
		n = st->kind == STREAM_HUGE ? HOSTILE_CHUNK :
		    HOSTILE_ENDLESS_CHUNK;
		if (st->total != 0 && st->total - st->sent < n)
			n = st->total - st->sent;
		evbuffer_add_reference(b, hostile_filler, n, NULL, NULL);
		st->sent += n;
		/* The next piece goes when this one is written out. */
		evhttp_send_reply_chunk_with_cb(st->req, b, hostile_drained,
		    st);
		break;
	}
	evbuffer_free(b);
}

static void
hostile_stream(struct site *s, struct conn *c, struct evhttp_request *req,
    enum stream_kind kind, uint64_t total, int length)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct stream *st;
	char cl[32];

	evhttp_add_header(h, "Server", "nianbao-portal");
	evhttp_add_header(h, "Content-Type", "text/html; charset=utf-8");
	if (length) {
		/* With a length evhttp sends the body raw, not chunked. */
		snprintf(cl, sizeof cl, "%llu", (unsigned long long)total);
		evhttp_add_header(h, "Content-Length", cl);
	}
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		evhttp_send_reply(req, 200, "OK", NULL);
		portal_log(s, req, 200, 0);
		return;
	}
	st = xcalloc(1, sizeof *st);
	st->site = s;
	st->conn = c;
	st->req = req;
	st->kind = kind;
	st->total = total;
	st->method = xstrdup("GET");
	st->uri = xstrdup(evhttp_request_get_uri(req));
	st->timer = evtimer_new(s->portal->base, hostile_tick, st);
	if (st->timer == NULL)
		fatalx("evtimer_new");
	c->stream = st;
	evhttp_send_reply_start(req, 200, "OK");
	hostile_next(st);
}

static void
hostile_page(struct site *s, struct evhttp_request *req, int code,
    const char *title)
{
	char *body;

	body = xprintf("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
	    "<title>%d %s</title></head><body><h1>%d %s</h1></body></html>\n",
	    code, title, code, title);
	portal_reply(s, req, code, "text/html; charset=utf-8", body,
	    strlen(body));
	free(body);
}

/*
 * Serves /hostile/<name>.  Returns 0 when name is an endpoint, -1 to let
 * the caller serve it as a file (the listing, 429.html).
 */
int
hostile_serve(struct site *s, struct conn *c, struct evhttp_request *req,
    const char *name)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct portal *p = s->portal;
	struct evbuffer *b;

	if (strcmp(name, "slow") == 0)
		hostile_stream(s, c, req, STREAM_SLOW, HOSTILE_SLOW_BYTES, 0);
	else if (strcmp(name, "huge") == 0)
		hostile_stream(s, c, req, STREAM_HUGE, HOSTILE_HUGE, 1);
	else if (strcmp(name, "hugechunked") == 0)
		hostile_stream(s, c, req, STREAM_HUGE, HOSTILE_HUGE, 0);
	else if (strcmp(name, "endless") == 0)
		hostile_stream(s, c, req, STREAM_ENDLESS, 0, 0);
	else if (strcmp(name, "500") == 0)
		hostile_page(s, req, 500, "Internal Server Error");
	else if (strcmp(name, "503") == 0) {
		evhttp_add_header(h, "Retry-After", "2");
		hostile_page(s, req, 503, "Service Unavailable");
	} else if (strcmp(name, "429") == 0) {
		/* Throttled once per state, then the page is there. */
		if (p->state429 != p->state) {
			p->state429 = p->state;
			evhttp_add_header(h, "Retry-After", "1");
			hostile_page(s, req, 429, "Too Many Requests");
		} else
			serve_file(s, req, "/hostile/429.html");
	} else if (strcmp(name, "loop") == 0) {
		evhttp_add_header(h, "Location", "/hostile/loop");
		hostile_page(s, req, 302, "Found");
	} else if (strcmp(name, "notfound") == 0)
		hostile_page(s, req, 404, "Not Found");
	else if (strcmp(name, "gone") == 0)
		hostile_page(s, req, 410, "Gone");
	else if (strcmp(name, "gzipbomb") == 0) {
		evhttp_add_header(h, "Server", "nianbao-portal");
		evhttp_add_header(h, "Content-Type", "text/html; charset=utf-8");
		evhttp_add_header(h, "Content-Encoding", "gzip");
		b = evbuffer_new();
		if (b == NULL)
			fatalx("evbuffer_new");
		evbuffer_add_reference(b, hostile_bomb, hostile_bomblen, NULL,
		    NULL);
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
		portal_log(s, req, 200, hostile_bomblen);
	} else
		return -1;
	return 0;
}
