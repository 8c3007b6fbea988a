/*
 * Files of the portal (portal.h): ROOT/<state>/<site>/<path>, else
 * ROOT/common/<site>/<path>, unless ROOT/<state>/<site>/<path>.gone says
 * the state removed it.  Answers like a CMS behind a plain web server:
 * Content-Type from the extension with the site's charset, a weak ETag
 * (hash of the file's bytes) and Last-Modified (file mtime) honoured by
 * conditional GETs, gzip when asked.  HTML pages get {{PORT}} replaced by
 * the port and every <!--CHROME--> marker by a visit counter and the
 * current time, so no two fetches of a page have the same bytes.
 */
#define _GNU_SOURCE	/* memmem, strptime, timegm */

#include <sys/types.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include <zlib.h>

#include "buf.h"
#include "portal.h"
#include "util.h"
#include "xmalloc.h"

#define SERVE_MAXFILE	(64 << 20)	/* larger files are a fixture bug */
#define SERVE_MAXPATH	1024

static const struct {
	const char	*ext;
	const char	*type;
	int		 text;		/* gets the site's charset */
} serve_types[] = {
	{ ".html", "text/html", 1 },
	{ ".htm", "text/html", 1 },
	{ ".shtml", "text/html", 1 },
	{ ".txt", "text/plain", 1 },
	{ ".xml", "text/xml", 1 },
	{ ".css", "text/css", 1 },
	{ ".js", "application/javascript", 1 },
	{ ".pdf", "application/pdf", 0 },
	{ ".doc", "application/msword", 0 },
	{ ".docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document", 0 },
	{ ".png", "image/png", 0 },
	{ ".jpg", "image/jpeg", 0 },
};

static char *
serve_type(struct site *s, const char *path, int *html)
{
	const char *dot, *slash;
	size_t i;

	*html = 0;
	dot = strrchr(path, '.');
	slash = strrchr(path, '/');
	if (dot == NULL || (slash != NULL && dot < slash))
		return xstrdup("application/octet-stream");
	for (i = 0; i < sizeof serve_types / sizeof serve_types[0]; i++) {
		if (strcasecmp(dot, serve_types[i].ext) != 0)
			continue;
		*html = strcmp(serve_types[i].type, "text/html") == 0;
		if (serve_types[i].text)
			return xprintf("%s; charset=%s", serve_types[i].type,
			    s->charset);
		return xstrdup(serve_types[i].type);
	}
	return xstrdup("application/octet-stream");
}

/* Only plain relative paths: no "..", no escapes, no control bytes. */
static int
serve_path_ok(const char *path)
{
	const char *p;

	if (*path != '/' || strlen(path) >= SERVE_MAXPATH)
		return 0;
	for (p = path; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '%' || *p == '\\')
			return 0;
	}
	if (strstr(path, "/..") != NULL || strstr(path, "//") != NULL)
		return 0;
	return 1;
}

/*
 * Finds the file for path ("/x/y.html") in the current state, then in
 * common.  Returns 0 with *file set (caller frees), 404 when there is none
 * or the state removed it, or 301 when it is a folder and the path lacks
 * the trailing slash.
 */
int
serve_path(struct site *s, const char *path, char **file, int *isdir)
{
	struct portal *p = s->portal;
	struct stat st;
	const char *rel = path + 1;
	const char *idx = "";
	char *f;

	*file = NULL;
	*isdir = 0;
	if (*rel == '\0' || rel[strlen(rel) - 1] == '/')
		idx = "index.html";
	f = xprintf("%s/%d/%s/%s%s.gone", p->root, p->state, s->name, rel,
	    idx);
	if (stat(f, &st) == 0) {
		free(f);
		return 404;
	}
	free(f);
	f = xprintf("%s/%d/%s/%s%s", p->root, p->state, s->name, rel, idx);
	if (stat(f, &st) != 0) {
		free(f);
		f = xprintf("%s/common/%s/%s%s", p->root, s->name, rel, idx);
		if (stat(f, &st) != 0) {
			free(f);
			return 404;
		}
	}
	if (S_ISDIR(st.st_mode)) {
		free(f);
		*isdir = 1;
		return 301;
	}
	if (!S_ISREG(st.st_mode)) {
		free(f);
		return 404;
	}
	*file = f;
	return 0;
}

static uint64_t
serve_hash(const char *p, size_t len)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a 64 */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The page with {{PORT}} and <!--CHROME--> filled in, into b. */
static int
serve_fill(struct site *s, const char *data, size_t len, struct buf *b)
{
	struct portal *p = s->portal;
	struct timespec ts;
	struct tm tm;
	const char *at, *end = data + len, *port, *chrome, *next;
	char when[64];

	p->visits++;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	for (at = data; at < end; at = next) {
		port = memmem(at, end - at, "{{PORT}}", 8);
		chrome = memmem(at, end - at, "<!--CHROME-->", 13);
		if (port == NULL && chrome == NULL)
			return buf_add(b, at, end - at);
		if (chrome == NULL || (port != NULL && port < chrome)) {
			if (buf_add(b, at, port - at) != 0 ||
			    buf_addf(b, "%u", p->port) != 0)
				return -1;
			next = port + 8;
		} else {
			/* ASCII only: the page may be GBK. */
			if (buf_add(b, at, chrome - at) != 0 ||
			    buf_addf(b, "<div class=\"portal-chrome\">visits "
			    "%llu | %s.%03ld</div>", p->visits, when,
			    ts.tv_nsec / 1000000) != 0)
				return -1;
			next = chrome + 13;
		}
	}
	return 0;
}

static int
serve_gzip(const char *data, size_t len, char **out, size_t *outlen)
{
	z_stream z;
	uLong bound;

	memset(&z, 0, sizeof z);
	/* windowBits 15 + 16: a gzip header and trailer. */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, len) + 32;
	*out = xmalloc(bound);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = len;
	z.next_out = (Bytef *)*out;
	z.avail_out = bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(*out);
		*out = NULL;
		return -1;
	}
	*outlen = z.total_out;
	deflateEnd(&z);
	return 0;
}

static int
serve_accepts_gzip(struct evhttp_request *req)
{
	const char *ae, *g;

	ae = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Accept-Encoding");
	if (ae == NULL)
		return 0;
	g = strstr(ae, "gzip");
	if (g == NULL)
		return 0;
	g += 4;
	while (*g == ' ')
		g++;
	return strncmp(g, ";q=0", 4) != 0 || g[4] == '.';
}

/* 1 when the client's copy is current (If-None-Match, If-Modified-Since). */
static int
serve_fresh(struct evhttp_request *req, const char *etag, time_t mtime)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	const char *inm, *ims, *end;
	struct tm tm;

	inm = evhttp_find_header(in, "If-None-Match");
	if (inm != NULL) {
		/* Weak comparison: W/"x" and "x" match. */
		return strcmp(inm, "*") == 0 || strstr(inm, etag + 2) != NULL;
	}
	ims = evhttp_find_header(in, "If-Modified-Since");
	if (ims == NULL)
		return 0;
	memset(&tm, 0, sizeof tm);
	end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	return mtime <= timegm(&tm);
}

/*
 * Replies with a body already in memory, as a file of the site at path
 * would be (type, gzip, chrome); mtime < 0 leaves out the validators.
 */
void
serve_buffer(struct site *s, struct evhttp_request *req, const char *path,
    const char *data, size_t len, int64_t mtime)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *eb;
	struct buf b;
	struct tm tm;
	time_t mt = (time_t)mtime;
	char etag[32], lm[64], *type, *gz = NULL;
	const char *body;
	size_t blen, gzlen;
	int html;

	type = serve_type(s, path, &html);
	snprintf(etag, sizeof etag, "W/\"%016llx\"",
	    (unsigned long long)serve_hash(data, len));
	evhttp_add_header(h, "Server", "nianbao-portal");
	if (mtime >= 0) {
		gmtime_r(&mt, &tm);
		strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		evhttp_add_header(h, "ETag", etag);
		evhttp_add_header(h, "Last-Modified", lm);
		if (serve_fresh(req, etag, mt)) {
			evhttp_send_reply(req, 304, "Not Modified", NULL);
			portal_log(s, req, 304, 0);
			free(type);
			return;
		}
	}
	buf_init(&b, SERVE_MAXFILE * 2);
	body = data;
	blen = len;
	if (html || strstr(type, "text/") == type) {
		if (serve_fill(s, data, len, &b) != 0) {
			buf_release(&b);
			free(type);
			portal_reply(s, req, 500, "text/plain", "too big\n", 8);
			return;
		}
		body = buf_str(&b);
		blen = b.len;
	}
	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Vary", "Accept-Encoding");
	if (blen > 0 && serve_accepts_gzip(req) &&
	    serve_gzip(body, blen, &gz, &gzlen) == 0) {
		evhttp_add_header(h, "Content-Encoding", "gzip");
		body = gz;
		blen = gzlen;
	}
	eb = evbuffer_new();
	if (eb == NULL)
		fatalx("evbuffer_new");
	evbuffer_add(eb, body, blen);
	evhttp_send_reply(req, 200, "OK", eb);
	evbuffer_free(eb);
	portal_log(s, req, 200, blen);
	free(gz);
	buf_release(&b);
	free(type);
}

void
serve_file(struct site *s, struct evhttp_request *req, const char *path)
{
	struct stat st;
	char *file = NULL, *data = NULL, *cause = NULL, *loc, *typed;
	size_t len;
	int isdir, code;

	if (!serve_path_ok(path)) {
		portal_reply(s, req, 400, "text/plain", "bad path\n", 9);
		return;
	}
	code = serve_path(s, path, &file, &isdir);
	if (code == 301) {
		loc = xprintf("%s/", path);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Location", loc);
		free(loc);
		portal_reply(s, req, 301, "text/plain", "moved\n", 6);
		return;
	}
	if (code == 404) {
		portal_reply(s, req, 404, "text/html; charset=utf-8",
		    "<html><body><h1>404 页面不存在</h1></body></html>\n",
		    strlen("<html><body><h1>404 页面不存在</h1></body></html>\n"));
		return;
	}
	if (stat(file, &st) != 0 ||
	    util_read_file(file, SERVE_MAXFILE, &data, &len, &cause) != 0) {
		free(cause);
		free(file);
		portal_reply(s, req, 500, "text/plain", "read error\n", 11);
		return;
	}
	/* The type comes from the file served: "/col/" is an index.html. */
	typed = xprintf("%s%s", path,
	    path[strlen(path) - 1] == '/' ? "index.html" : "");
	serve_buffer(s, req, typed, data != NULL ? data : "", len,
	    (int64_t)st.st_mtime);
	free(typed);
	free(data);
	free(file);
}
