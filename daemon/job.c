/*
 * One check of one source, from its listing to its events.  A job walks
 * three phases, each ending when its last request completes:
 *
 *   LISTING   the listing URL and the further pages it links (up to
 *             max_pages), every candidate report link collected;
 *   REPORTS   one report page per reporting year (the link whose title
 *             names the agency wins when a listing shows several), and the
 *             attachments each links; when all are in, the reports are
 *             stored oldest year first, each with its cross-year findings
 *             against last year's stored version, and its content digest
 *             decides whether it is a new version (a new version of last
 *             year's report recomputes next year's cross-year findings);
 *   REMOVALS  the reports the store knows for this source that the
 *             listing no longer shows are fetched again: 404/410 removes
 *             them at once, otherwise after removed_after absent checks.
 *
 * The first check that reads a source's listing is its first sync: the
 * reports are stored as history, without report.new / report.changed, and
 * one source.synced event lists them.
 *
 * Every response becomes a capture, and every version and event is written
 * in the daemon's current batch transaction together with the data it
 * describes.  A job never fails the daemon: whatever goes wrong ends up in
 * a capture's error, the source's last_error, and the log.
 */
#define _GNU_SOURCE		/* strcasestr */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "clock.h"
#include "export.h"
#include "fetch.h"
#include "import.h"
#include "listing.h"
#include "log.h"
#include "nianbaod.h"
#include "parse.h"
#include "store.h"
#include "xmalloc.h"

#define JOB_MAX_REPORTS	200	/* candidate links kept per check */
#define JOB_MAX_CHANGES	50	/* cells listed in a report.changed */

enum job_phase { PHASE_LISTING, PHASE_REPORTS, PHASE_REMOVALS };
enum job_kind { JF_LISTING, JF_REPORT, JF_ATTACH, JF_RECHECK };

struct job;

/* A candidate report of this check. */
struct job_report {
	struct job	*job;
	char		*url;
	char		*title;
	char		*agency;	/* whose report: see job_report_agency() */
	int		 year;
	char		*date;		/* shown next to the link, or NULL */
	int		 selected;	/* the one fetched for its year */
	int		 pending;	/* requests not yet completed */
	int		 fetched;	/* the page was fetched (2xx or 304) */
	int		 gone;		/* the page answered 404 or 410 */
	int		 revisit;	/* the page's bytes did not change */
	int64_t		 capture_id;
	struct record	*rec;		/* parsed, or NULL */
	char		*cause;		/* why there is no record */
	json_t		*atts;		/* attachments captured */
};

/* The context of one request. */
struct job_fetch {
	struct job		*job;
	enum job_kind		 kind;
	struct job_report	*rep;		/* JF_REPORT, JF_ATTACH */
	int64_t			 report_id;	/* JF_RECHECK */
	char			*prev_digest;	/* the URL's last body */
};

struct job {
	struct nianbaod	*d;
	size_t		 src;
	/* copies of the catalog line: a reload may free the catalog */
	char		*id;
	char		*agency;
	char		*level;
	char		*region;
	char		*url;
	char		*hosts;		/* space-separated, or NULL */
	int		 tls_verify;
	long long	 interval;	/* seconds */

	int64_t		 started;	/* wall clock */
	int64_t		 t0;		/* monotonic */
	enum job_phase	 phase;
	int		 pending;
	int		 listing_ok;
	int		 cancelled;
	char		*error;		/* why the listing failed */
	char		**pages;
	size_t		 npages;
	struct job_report **reps;
	size_t		 nreps;
	struct job_report **order;	/* the selected ones, by year */
	size_t		 norder;
	int		 first_sync;	/* no earlier check read the listing */
	int		 nfound, nnew, nchanged, nremoved;
};

static void	job_fetched(struct fetch_result *, void *);
static void	job_report_from_file(struct job *, struct job_report *,
		    const char *, const char *, size_t);
static void	job_advance(struct job *);

static int
job_is_file_url(const char *url)
{
	static const char *ext[] = { ".pdf", ".doc", ".docx", ".wps", ".xls",
	    ".xlsx", ".et", ".ofd", ".zip", ".rar" };
	const char *end = url + strcspn(url, "?#"), *dot;
	size_t i, n;

	for (dot = end; dot > url && dot[-1] != '/' && dot[-1] != '.'; dot--)
		;
	if (dot == url || dot[-1] != '.')
		return 0;
	dot--;
	n = (size_t)(end - dot);
	for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		if (strlen(ext[i]) == n && strncasecmp(dot, ext[i], n) == 0)
			return 1;
	}
	return 0;
}

/* The charset parameter of a Content-Type into buf, or NULL. */
static const char *
job_charset(const char *ctype, char *buf, size_t len)
{
	const char *p;
	size_t n = 0;

	if (ctype == NULL)
		return NULL;
	p = strcasestr(ctype, "charset=");
	if (p == NULL)
		return NULL;
	p += 8;
	if (*p == '"')
		p++;
	while (p[n] != '\0' && p[n] != '"' && p[n] != ';' && p[n] != ' ' &&
	    n < len - 1)
		n++;
	if (n == 0)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static void
job_fetch(struct job *j, enum job_kind kind, struct job_report *rep,
    int64_t report_id, const char *url)
{
	struct nianbaod *d = j->d;
	struct store_url u;
	struct fetch_req req;
	struct job_fetch *jf;
	char *cause = NULL;
	int have;

	memset(&u, 0, sizeof u);
	have = store_url_get(d->store, url, &u, &cause);
	if (have == -1) {
		log_warnx("%s: %s", j->id, cause);
		free(cause);
		cause = NULL;
	}
	jf = xcalloc(1, sizeof *jf);
	jf->job = j;
	jf->kind = kind;
	jf->rep = rep;
	jf->report_id = report_id;
	memset(&req, 0, sizeof req);
	req.url = url;
	req.tls_verify = j->tls_verify;
	if (have == 0) {
		/* validators only when the body they describe is stored */
		if (u.digest != NULL) {
			req.etag = u.etag;
			req.last_modified = u.last_modified;
		}
		jf->prev_digest = u.digest;
		u.digest = NULL;
	}
	if (fetch_start(d->fetcher, &req, job_fetched, jf, &cause) == -1) {
		log_warnx("%s: %s: %s", j->id, url, cause);
		free(cause);
		free(jf->prev_digest);
		free(jf);
	} else {
		j->pending++;
		if (rep != NULL)
			rep->pending++;
	}
	if (have == 0)
		store_url_release(&u);
}

/*
 * Records a result as a capture.  *digest is set to the body's blob (or,
 * for a 304, the one it confirms); *revisit when the bytes are the same as
 * the URL's last.  Returns the capture id, 0 if it could not be written.
 */
static int64_t
job_capture(struct job *j, const struct job_fetch *jf,
    const struct fetch_result *res, const char *kind, char digest[65],
    int *revisit)
{
	struct nianbaod *d = j->d;
	struct store_capture c;
	char *cause = NULL;
	int i;

	digest[0] = '\0';
	*revisit = 0;
	if (daemon_tx(d) == -1)
		return 0;
	if (res->err == FETCH_OK && res->status != 304 && res->body != NULL &&
	    res->len > 0) {
		if (store_blob_put(d->store, res->body, res->len, digest,
		    &cause) == -1) {
			log_warnx("%s: %s: %s", j->id, res->url, cause);
			free(cause);
			cause = NULL;
			digest[0] = '\0';
		}
	} else if (res->err == FETCH_OK && res->status == 304 &&
	    jf->prev_digest != NULL && strlen(jf->prev_digest) == 64)
		memcpy(digest, jf->prev_digest, 65);
	*revisit = res->err == FETCH_OK && (res->status == 304 ||
	    (digest[0] != '\0' && jf->prev_digest != NULL &&
	    strcmp(digest, jf->prev_digest) == 0));

	/* the 429/503 answers retried before this one are captures too */
	for (i = 0; i < res->nattempts; i++) {
		char *hdr = NULL;

		memset(&c, 0, sizeof c);
		c.source_id = j->id;
		c.url = res->url;
		c.kind = kind;
		c.fetched_at = res->attempts[i].started_ms;
		c.status = res->attempts[i].status;
		if (res->attempts[i].retry_after != NULL)
			xasprintf(&hdr, "Retry-After: %s\n",
			    res->attempts[i].retry_after);
		c.headers = hdr;
		c.total_ms = res->attempts[i].total_ms;
		if (store_capture_add(d->store, &c, &cause) == -1) {
			log_warnx("%s: capture of %s: %s", j->id, res->url,
			    cause);
			free(cause);
			cause = NULL;
		}
		free(hdr);
		d->n_fetches++;
		metrics_fetch(&d->metrics, res->url, c.status, 0, 0);
	}

	daemon_capture_fill(&c, res, kind, digest);
	c.source_id = j->id;
	if (*revisit)
		c.headers = NULL;	/* the first capture of these bytes has them */
	c.revisit = *revisit;
	if (store_capture_add(d->store, &c, &cause) == -1) {
		log_warnx("%s: capture of %s: %s", j->id, res->url, cause);
		free(cause);
		return 0;
	}
	d->n_fetches++;
	metrics_fetch(&d->metrics, res->url, res->status,
	    res->err != FETCH_OK, (uint64_t)res->wire_bytes);
	if (*revisit)
		d->n_revisits++;
	if (res->err != FETCH_OK || res->status >= 400)
		d->n_errors++;
	return c.id;
}

/*
 * The body of a result: its own, or for a 304 the stored bytes it
 * confirms.  *owned is set when the caller must free the returned body.
 */
static const char *
job_body(struct job *j, const struct job_fetch *jf,
    const struct fetch_result *res, size_t *len, char **owned)
{
	char *data = NULL, *cause = NULL;

	*owned = NULL;
	if (res->status != 304) {
		*len = res->len;
		return res->body;
	}
	if (jf->prev_digest == NULL ||
	    store_blob_get(j->d->store, jf->prev_digest, &data, len,
	    &cause) != 0) {
		if (cause != NULL)
			log_warnx("%s: %s: %s", j->id, res->url, cause);
		free(cause);
		return NULL;
	}
	*owned = data;
	return data;
}

static int
job_ok(const struct fetch_result *res)
{
	return res->err == FETCH_OK && ((res->status >= 200 &&
	    res->status < 300) || res->status == 304);
}

static char *
job_failure(const struct fetch_result *res)
{
	if (res->err != FETCH_OK)
		return xprintf("%s: %s", fetch_err_name(res->err),
		    res->cause != NULL ? res->cause : "");
	return xprintf("HTTP %ld", res->status);
}

static struct job_report *
job_find_report(struct job *j, const char *url)
{
	size_t i;

	for (i = 0; i < j->nreps; i++) {
		if (strcmp(j->reps[i]->url, url) == 0)
			return j->reps[i];
	}
	return NULL;
}

/*
 * Whose report a link is.  Several agencies may publish on one listing (a
 * county's column also carries its townships' reports), so the agency is
 * taken from the title, the words before the year; a title without one,
 * or one that is a shorter or longer form of the source's agency
 * (石台县 / 石台县人民政府), belongs to the source's agency.
 */
static char *
job_report_agency(const char *title, const char *agency)
{
	const unsigned char *p = (const unsigned char *)title;
	char *prefix, *q;
	size_t n, skip;

	while (*p == ' ')
		p++;
	for (n = 0; p[n] != '\0'; n++) {
		if (isdigit(p[n]))
			break;
		/* full-width digits ０-９ are EF BC 90-99 */
		if (p[n] == 0xef && p[n + 1] == 0xbc && p[n + 2] >= 0x90 &&
		    p[n + 2] <= 0x99)
			break;
	}
	if (p[n] == '\0')
		return xstrdup(agency);
	prefix = xstrndup((const char *)p, n);
	skip = strncmp(prefix, "关于", 6) == 0 ? 6 : 0;
	memmove(prefix, prefix + skip, strlen(prefix + skip) + 1);
	for (q = prefix; *q != '\0'; q++) {
		if (*q == ' ')
			*q = '\0';
	}
	/* three UTF-8 bytes a character: fewer than two is no agency */
	if (strlen(prefix) < 6 || strstr(agency, prefix) != NULL ||
	    strstr(prefix, agency) != NULL) {
		free(prefix);
		return xstrdup(agency);
	}
	return prefix;
}

/* Bump when listing_read() changes what it finds: old caches then miss. */
#define JOB_LINKS_VERSION	"links1"

/* The cache key of a listing page's links: its bytes, base and hosts. */
static void
job_links_key(const char *digest, const char *base, const char *hosts,
    char key[80])
{
	char *text, hex[65];

	text = xprintf("%s\n%s\n%s", digest, base, hosts != NULL ? hosts :
	    "");
	store_sha256_hex(text, strlen(text), hex);
	free(text);
	snprintf(key, 80, "%s:%s", JOB_LINKS_VERSION, hex);
}

static char *
job_links_dump(const struct linkset *ls)
{
	json_t *a = json_array();
	char *text;
	size_t i;

	json_t *l;

	for (i = 0; i < ls->n; i++) {
		/* absent, not null, when NULL: job_links_load reads "s?s" */
		l = json_pack("{s:i,s:s,s:i}", "k", (int)ls->v[i].kind, "u",
		    ls->v[i].url, "y", ls->v[i].year);
		if (ls->v[i].text != NULL)
			json_object_set_new(l, "t", json_string(ls->v[i].text));
		if (ls->v[i].date != NULL)
			json_object_set_new(l, "d", json_string(ls->v[i].date));
		json_array_append_new(a, l);
	}
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

/* Rebuilds a linkset from job_links_dump(); -1 if the text is not one. */
static int
job_links_load(const char *text, size_t len, struct linkset *ls)
{
	json_t *a, *l;
	const char *u, *t, *d;
	size_t i;
	int k, y;

	a = json_loadb(text, len, 0, NULL);
	if (!json_is_array(a)) {
		json_decref(a);
		return -1;
	}
	memset(ls, 0, sizeof *ls);
	json_array_foreach(a, i, l) {
		t = d = NULL;
		if (json_unpack(l, "{s:i,s:s,s?s,s:i,s?s}", "k", &k, "u", &u,
		    "t", &t, "y", &y, "d", &d) != 0 || k < LINK_REPORT ||
		    k > LINK_ATTACHMENT) {
			json_decref(a);
			linkset_release(ls);
			return -1;	/* not ours: read the page again */
		}
		ls->v = xreallocarray(ls->v, ls->n + 1, sizeof *ls->v);
		ls->v[ls->n].kind = (enum link_kind)k;
		ls->v[ls->n].url = xstrdup(u);
		ls->v[ls->n].text = t != NULL ? xstrdup(t) : NULL;
		ls->v[ls->n].year = y;
		ls->v[ls->n].date = d != NULL ? xstrdup(d) : NULL;
		ls->n++;
		ls->cap = ls->n;
	}
	json_decref(a);
	return 0;
}

/*
 * The links of a listing page: from the cache when these bytes were read
 * before (re-checking an unchanged listing then costs no HTML parse, which
 * is most of a re-check's CPU, and a 304 not even a blob read), else read
 * from the body and cached.  Returns 0, or -1 with *cause.
 */
static int
job_links(struct job *j, const struct job_fetch *jf,
    const struct fetch_result *res, const char *digest, const char *base,
    struct linkset *ls, char **cause)
{
	struct store *st = j->d->store;
	const char *body;
	char key[80], cs[64], *cached = NULL, *owned = NULL, *text;
	char *why = NULL;
	size_t clen, len;
	int rc = -1;

	memset(ls, 0, sizeof *ls);
	if (digest[0] != '\0') {
		job_links_key(digest, base, j->hosts, key);
		if (store_derived_get(st, key, &cached, &clen, &why) == 0 &&
		    job_links_load(cached, clen, ls) == 0) {
			free(cached);
			return 0;
		}
		free(cached);
		free(why);
		why = NULL;
	}
	body = job_body(j, jf, res, &len, &owned);
	if (body == NULL) {
		*cause = xstrdup("no body");
		goto out;
	}
	if (listing_read(body, len, job_charset(res->content_type, cs,
	    sizeof cs), base, j->hosts, ls, cause) == -1)
		goto out;
	rc = 0;
	if (digest[0] != '\0') {
		text = job_links_dump(ls);
		if (store_derived_put(st, key, text, strlen(text), &why) == -1) {
			log_debug("%s: %s", j->id, why);
			free(why);
		}
		free(text);
	}
out:
	free(owned);
	return rc;
}

static void
job_listing(struct job *j, struct job_fetch *jf, struct fetch_result *res)
{
	struct nianbaod *d = j->d;
	struct linkset ls;
	struct job_report *rep;
	const char *base;
	char digest[65], *cause = NULL;
	size_t i, k;
	int revisit, first = strcmp(res->url, j->url) == 0;

	job_capture(j, jf, res, "listing", digest, &revisit);
	if (!job_ok(res)) {
		if (first) {
			free(j->error);
			j->error = job_failure(res);
		}
		return;
	}
	memset(&ls, 0, sizeof ls);
	base = res->final_url != NULL ? res->final_url : res->url;
	if (job_links(j, jf, res, digest, base, &ls, &cause) == -1) {
		if (first)
			xasprintf(&j->error, "listing: %s", cause);
		free(cause);
		goto out;
	}
	if (first)
		j->listing_ok = 1;
	if (ls.offhost > 0)
		log_debug("%s: %s: %zu links to other hosts ignored", j->id,
		    res->url, ls.offhost);
	for (i = 0; i < ls.n; i++) {
		struct link *l = &ls.v[i];

		switch (l->kind) {
		case LINK_PAGE:
			for (k = 0; k < j->npages; k++) {
				if (strcmp(j->pages[k], l->url) == 0)
					break;
			}
			if (k < j->npages ||
			    j->npages >= (size_t)d->conf.max_pages)
				break;
			j->pages = xreallocarray(j->pages, j->npages + 1,
			    sizeof *j->pages);
			j->pages[j->npages++] = xstrdup(l->url);
			job_fetch(j, JF_LISTING, NULL, 0, l->url);
			break;
		case LINK_REPORT:
			if (job_find_report(j, l->url) != NULL ||
			    j->nreps >= JOB_MAX_REPORTS || l->year <= 0)
				break;
			rep = xcalloc(1, sizeof *rep);
			rep->job = j;
			rep->url = xstrdup(l->url);
			rep->title = xstrdup(l->text != NULL ? l->text : "");
			rep->agency = job_report_agency(rep->title, j->agency);
			rep->year = l->year;
			rep->date = l->date != NULL ? xstrdup(l->date) : NULL;
			rep->atts = json_array();
			j->reps = xreallocarray(j->reps, j->nreps + 1,
			    sizeof *j->reps);
			j->reps[j->nreps++] = rep;
			break;
		case LINK_ATTACHMENT:
			break;
		}
	}
out:
	linkset_release(&ls);
}

/* Reads a report page into a record and queues its attachments. */
static void
job_report_parse(struct job *j, struct job_report *rep,
    const struct fetch_result *res, const char *body, size_t len)
{
	struct nianbaod *d = j->d;
	struct linkset ls;
	struct doc *doc = NULL;
	const char *cs, *base;
	char csbuf[64], *cause = NULL;
	size_t i, natt = 0;

	cs = job_charset(res->content_type, csbuf, sizeof csbuf);
	base = res->final_url != NULL ? res->final_url : res->url;
	if (reader_read(body, len, base, cs, &doc, &cause) == -1) {
		rep->cause = cause;
		return;
	}
	if (mapper_map(doc, &rep->rec, &cause) == -1) {
		rep->cause = cause;
		rep->rec = NULL;
	} else
		rules_run(rep->rec);
	doc_free(doc);

	if (!reader_is_html(body, len))
		return;
	memset(&ls, 0, sizeof ls);
	if (listing_read(body, len, cs, base, j->hosts, &ls, &cause) == -1) {
		free(cause);
		return;
	}
	for (i = 0; i < ls.n; i++) {
		/* a file link titled as the report is its attachment too */
		if (ls.v[i].kind != LINK_ATTACHMENT &&
		    !(ls.v[i].kind == LINK_REPORT &&
		    job_is_file_url(ls.v[i].url)))
			continue;
		if (natt++ >= (size_t)d->conf.max_attachments)
			break;
		job_fetch(j, JF_ATTACH, rep, 0, ls.v[i].url);
	}
	linkset_release(&ls);
}

static void
job_report_page(struct job *j, struct job_fetch *jf, struct fetch_result *res)
{
	struct job_report *rep = jf->rep;
	const char *body;
	char digest[65], *owned = NULL;
	size_t len;

	rep->capture_id = job_capture(j, jf, res, "report", digest,
	    &rep->revisit);
	if (!job_ok(res)) {
		rep->gone = res->err == FETCH_OK && (res->status == 404 ||
		    res->status == 410);
		if (!rep->gone) {
			free(rep->cause);
			rep->cause = job_failure(res);
		}
		return;
	}
	rep->fetched = 1;
	body = job_body(j, jf, res, &len, &owned);
	if (body == NULL)
		return;
	if (job_is_file_url(rep->url) && !reader_is_html(body, len)) {
		/* the listing links the document itself */
		json_array_append_new(rep->atts, json_pack("{s:s,s:s,s:s?,s:I}",
		    "url", res->url, "digest", digest, "content_type",
		    res->content_type, "size", (json_int_t)len));
		job_report_from_file(j, rep, res->url, body, len);
	} else
		job_report_parse(j, rep, res, body, len);
	free(owned);
}

/*
 * A report whose page does not read as one (the page only links a PDF or
 * DOCX) takes its record from the first attachment that does.
 */
static void
job_report_from_file(struct job *j, struct job_report *rep, const char *url,
    const char *body, size_t len)
{
	struct doc *doc = NULL;
	struct record *rec = NULL;
	char *cause = NULL;

	if (rep->rec != NULL)
		return;
	if (reader_read(body, len, url, NULL, &doc, &cause) == -1 ||
	    mapper_map(doc, &rec, &cause) == -1) {
		log_info("%s: attachment %s: %s", j->id, url, cause);
		free(cause);
		doc_free(doc);
		return;
	}
	doc_free(doc);
	rules_run(rec);
	record_note(rec, "报告取自附件 %s", url);
	rep->rec = rec;
}

static void
job_attachment(struct job *j, struct job_fetch *jf, struct fetch_result *res)
{
	const char *body;
	char digest[65], *owned = NULL;
	size_t len;
	int revisit;

	job_capture(j, jf, res, "attachment", digest, &revisit);
	if (!job_ok(res) || digest[0] == '\0') {
		char *why = job_failure(res);

		json_array_append_new(jf->rep->atts, json_pack("{s:s,s:s}",
		    "url", res->url, "error", why));
		free(why);
		return;
	}
	/* a 304's bytes are the stored ones: size and record from those */
	body = job_body(j, jf, res, &len, &owned);
	json_array_append_new(jf->rep->atts, json_pack("{s:s,s:s,s:s?,s:I}",
	    "url", res->url, "digest", digest, "content_type",
	    res->content_type, "size", (json_int_t)(body != NULL ? len : 0)));
	if (body != NULL && jf->rep->rec == NULL)
		job_report_from_file(j, jf->rep, res->url, body, len);
	free(owned);
}

/* The failing findings of a record JSON, for event payloads. */
static json_t *
job_failing(json_t *rec)
{
	json_t *out = json_array(), *f, *r;
	size_t i;

	json_array_foreach(json_object_get(rec, "findings"), i, f) {
		r = json_object_get(f, "result");
		if (json_is_string(r) && strcmp(json_string_value(r), "fail")
		    == 0)
			json_array_append(out, f);
	}
	return out;
}

static void
job_event(struct job *j, const char *type, const char *key,
    const struct store_report *r, json_t *payload)
{
	struct nianbaod *d = j->d;
	struct store_event ev;
	char *text, *cause = NULL;
	int rc;

	json_object_set_new(payload, "type", json_string(type));
	json_object_set_new(payload, "source", json_string(j->id));
	json_object_set_new(payload, "agency", json_string(r != NULL &&
	    r->agency != NULL ? r->agency : j->agency));
	json_object_set_new(payload, "level", json_string(j->level));
	json_object_set_new(payload, "region", json_string(j->region));
	if (r != NULL) {
		json_object_set_new(payload, "report", json_integer(r->id));
		json_object_set_new(payload, "year", json_integer(r->year));
		json_object_set_new(payload, "url", json_string(r->url));
		json_object_set_new(payload, "title", json_string(r->title));
	}
	text = json_dumps(payload, JSON_COMPACT);
	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.source_id = j->id;
	ev.report_id = r != NULL ? r->id : 0;
	ev.key = key;
	ev.payload = text;
	ev.created = clock_now_ms();
	rc = store_event_add(d->store, &ev, &cause);
	if (rc == -1) {
		log_warnx("%s: event %s: %s", j->id, key, cause);
		free(cause);
	} else if (rc == 0) {
		d->n_events++;
		log_info("event %s %s%s%s", type, j->id, r != NULL ? " " : "",
		    r != NULL ? r->url : "");
	}
	free(text);
	json_decref(payload);
}

/*
 * Reads exactly n digits at *p (advancing it) into *v; with sep, the
 * number may have 1..n digits and must be followed by sep, which is
 * skipped.  Returns -1 on anything else.
 */
static int
job_digits(const char **p, int n, char sep, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n && isdigit((unsigned char)(*p)[i]); i++)
		*v = *v * 10 + ((*p)[i] - '0');
	if (i == 0 || (sep == '\0' && i != n))
		return -1;
	*p += i;
	if (sep != '\0') {
		if (**p != sep)
			return -1;
		(*p)++;
	}
	return 0;
}

/* A publication date from the URL (/art/2025/1/21/, t20250127_, /2025-01-27/). */
static int
job_url_date(const char *url, char out[11])
{
	const char *p, *q;
	int y, m, dd;

	for (p = url; *p != '\0'; p++) {
		q = p + 5;
		if (strncmp(p, "/art/", 5) == 0 && job_digits(&q, 4, '/', &y)
		    == 0 && job_digits(&q, 2, '/', &m) == 0 &&
		    job_digits(&q, 2, '/', &dd) == 0)
			goto found;
		q = p + 2;
		if ((p[0] == '/' || p[0] == '_') && p[1] == 't' &&
		    job_digits(&q, 4, '\0', &y) == 0 &&
		    job_digits(&q, 2, '\0', &m) == 0 &&
		    job_digits(&q, 2, '\0', &dd) == 0 && *q == '_')
			goto found;
		q = p + 1;
		if (p[0] == '/' && job_digits(&q, 4, '-', &y) == 0 &&
		    job_digits(&q, 2, '-', &m) == 0 &&
		    job_digits(&q, 2, '/', &dd) == 0)
			goto found;
	}
	return -1;
found:
	if (y < 1990 || y > 2199 || m < 1 || m > 12 || dd < 1 || dd > 31)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, dd);
	return 0;
}

/* The digests of the attachments fetched, in order: what a version tracks. */
static json_t *
job_att_digests(json_t *atts)
{
	json_t *out = json_array(), *a, *d;
	size_t i;

	json_array_foreach(atts, i, a) {
		d = json_object_get(a, "digest");
		if (json_is_string(d))
			json_array_append(out, d);
	}
	return out;
}

/*
 * The digest of a record JSON: the record without where the page was
 * found and with only the attachments' digests (what their answers said,
 * a 304 has no Content-Type, does not count: only their bytes).
 */
static void
job_record_digest(json_t *rec, char digest[65])
{
	json_t *content, *meta;
	char *text;

	content = json_deep_copy(rec);
	meta = json_object_get(content, "meta");
	json_object_del(meta, "url");
	json_object_set_new(content, "attachments",
	    job_att_digests(json_object_get(rec, "attachments")));
	text = json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS);
	store_sha256_hex(text, strlen(text), digest);
	free(text);
	json_decref(content);
}

/* The rules of rules_pair(): X.TEXT is a one-report rule. */
static int
job_pair_rule(const char *rule)
{
	return strcmp(rule, "X.CARRY") == 0 || strcmp(rule, "X.INFORCE") ==
	    0 || strcmp(rule, "X.COPY") == 0;
}

/*
 * The record JSON of the latest version of last year's report of the
 * same source and agency into *json, NULL when there is none.
 */
static int
job_prev_json(struct job *j, const char *agency, int year, char **json,
    char **cause)
{
	struct store_report p;
	int found, rc = 0;

	*json = NULL;
	memset(&p, 0, sizeof p);
	found = store_report_get(j->d->store, j->id, agency, year - 1, &p,
	    cause);
	if (found == -1)
		return -1;
	if (found == 0 && p.versions > 0 && store_version_record(j->d->store,
	    p.id, 0, json, cause) == -1)
		rc = -1;
	store_report_release(&p);
	return rc;
}

/*
 * Replaces the cross-year findings (X.CARRY, X.INFORCE, X.COPY) of a
 * record JSON by rules_pair() against prev_json, last year's latest
 * version, or drops them when there is none (or it is no record).  Both
 * records are read back from JSON, live check or not, so that the
 * findings computed while a report is read and those recomputed later
 * from the store are the same (the reader's whole text, which X.COPY
 * would use, is not stored: the sections' texts are compared).  Returns
 * 1 if the findings changed, 0 if not, -1 with *cause.
 */
static int
job_pair_apply(json_t *rec, const char *prev_json, char **cause)
{
	struct record *cur, *prev = NULL;
	json_t *now;
	char *why = NULL;
	size_t i, k;
	int changed;

	cur = record_from_jobj(rec, cause);
	if (cur == NULL)
		return -1;
	if (prev_json != NULL) {
		prev = record_from_json(prev_json, &why);
		free(why);	/* an attachment-only version: no pair */
	}
	for (i = k = 0; i < cur->nfindings; i++) {
		if (job_pair_rule(cur->findings[i].rule)) {
			free(cur->findings[i].cells);
			free(cur->findings[i].message);
			continue;
		}
		cur->findings[k++] = cur->findings[i];
	}
	cur->nfindings = k;
	if (prev != NULL)
		rules_run_pair(prev, cur);
	now = export_findings_json(cur);
	changed = !json_equal(now, json_object_get(rec, "findings"));
	json_object_set_new(rec, "findings", now);
	record_free(cur);
	record_free(prev);
	return changed;
}

/*
 * The content of a report version as JSON and its digest: the record
 * (findings included, the cross-year ones against last year's stored
 * report) when the page reads as a report, else the attachments'
 * digests.  NULL when there is nothing to keep.
 */
static json_t *
job_content(struct job *j, struct job_report *rep,
    const struct store_report *r, char digest[65])
{
	json_t *rec, *content;
	char *text, date[11], *prev = NULL, *cause = NULL;
	size_t i;
	json_t *a;
	int natt = 0;

	json_array_foreach(rep->atts, i, a) {
		if (json_object_get(a, "digest") != NULL)
			natt++;
	}
	if (rep->rec != NULL) {
		struct record *x = rep->rec;

		free(x->url);
		x->url = xstrdup(rep->url);
		if (x->level == NULL)
			x->level = xstrdup(j->level);
		if (x->year == 0)
			x->year = rep->year;
		if (x->published == NULL) {
			if (job_url_date(rep->url, date) == 0) {
				x->published = xstrdup(date);
				x->published_from = xstrdup("url");
			} else {
				char buf[32];

				clock_format(r->first_seen, buf, sizeof buf);
				buf[10] = '\0';
				x->published = xstrdup(buf);
				x->published_from = xstrdup("first_seen");
			}
		}
		rec = export_json(x, 1);
		json_object_set(rec, "attachments", rep->atts);
		if (job_prev_json(j, r->agency, r->year, &prev, &cause) == -1 ||
		    job_pair_apply(rec, prev, &cause) == -1) {
			log_warnx("%s: %d report %s: cross-year rules: %s",
			    j->id, r->year, rep->url, cause);
			free(cause);
		}
		free(prev);
		job_record_digest(rec, digest);
		return rec;
	} else if (natt > 0) {
		rec = json_pack("{s:{s:s,s:s,s:s,s:i,s:s,s:s},s:O,s:[s?]}",
		    "meta", "agency", rep->agency, "level", j->level, "region",
		    j->region, "year", rep->year, "title", rep->title, "url",
		    rep->url, "attachments", rep->atts, "notes", rep->cause);
		content = json_pack("{s:s,s:o}", "title", rep->title,
		    "attachments", job_att_digests(rep->atts));
	} else
		return NULL;
	text = json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS);
	store_sha256_hex(text, strlen(text), digest);
	free(text);
	json_decref(content);
	return rec;
}

static void
job_removed(struct job *j, struct store_report *r, const char *why)
{
	char *key, *cause = NULL;

	r->removed = 1;
	if (store_report_put(j->d->store, r, &cause) == -1) {
		log_warnx("%s: %s", j->id, cause);
		free(cause);
		return;
	}
	key = xprintf("report.removed:%lld:v%d", (long long)r->id,
	    r->versions);
	job_event(j, "report.removed", key, r, json_pack("{s:s,s:i}",
	    "reason", why, "version", r->versions));
	free(key);
	j->nremoved++;
}

/*
 * The event of a new version: report.new for the first, report.changed
 * with what changed for a later one (reason, when set, says why a version
 * was made without a new fetch).  None during a source's first sync: its
 * reports are history, summed up by one source.synced.
 */
static void
job_version_event(struct job *j, const struct store_report *r, json_t *rec,
    const char *old, const char *json, int number, const char *reason)
{
	json_t *payload, *sum;
	char *key, *line;

	if (number == 1)
		j->nnew++;
	else
		j->nchanged++;
	if (j->first_sync)
		return;
	payload = json_pack("{s:i,s:o}", "version", number, "findings",
	    job_failing(rec));
	if (reason != NULL)
		json_object_set_new(payload, "reason", json_string(reason));
	if (number == 1) {
		key = xprintf("report.new:%lld", (long long)r->id);
		job_event(j, "report.new", key, r, payload);
	} else {
		sum = old != NULL ? change_summary(old, json, JOB_MAX_CHANGES) :
		    NULL;
		line = sum != NULL ? change_line(sum) : xstrdup("?");
		log_info("%s: %d report changed (v%d): %s", j->id, r->year,
		    number, line);
		if (sum != NULL)
			json_object_set_new(payload, "changes", sum);
		json_object_set_new(payload, "summary", json_string(line));
		free(line);
		key = xprintf("report.changed:%lld:v%d", (long long)r->id,
		    number);
		job_event(j, "report.changed", key, r, payload);
	}
	free(key);
}

/*
 * After a new version of (agency, year): next year's report, if stored,
 * gets its cross-year findings recomputed against it, and a new version
 * (same capture, it was not fetched again) when they differ.  Not when
 * next year's report is read in this same check: finished after this one
 * (job_finish_reports goes by year), it compares with this version itself.
 */
static void
job_pair_next(struct job *j, const char *agency, int year,
    const char *prev_json)
{
	struct nianbaod *d = j->d;
	struct store_report r;
	struct job_report *rep;
	json_t *rec = NULL;
	char digest[65], *old = NULL, *json = NULL, *cause = NULL;
	int64_t capture = 0;
	size_t i;
	int number, changed;

	for (i = 0; i < j->norder; i++) {
		rep = j->order[i];
		if (rep->year == year + 1 && rep->fetched && rep->rec != NULL &&
		    strcmp(rep->agency, agency) == 0)
			return;
	}
	memset(&r, 0, sizeof r);
	if (store_report_get(d->store, j->id, agency, year + 1, &r,
	    &cause) != 0 || r.versions == 0)
		goto out;
	if (store_version_record(d->store, r.id, 0, &old, &cause) != 0)
		goto out;
	rec = json_loads(old, 0, NULL);
	if (!json_is_object(rec) ||
	    !json_is_object(json_object_get(rec, "tables")))
		goto out;	/* attachments only: no record to compare */
	changed = job_pair_apply(rec, prev_json, &cause);
	if (changed != 1)
		goto out;
	job_record_digest(rec, digest);
	if (r.digest != NULL && strcmp(r.digest, digest) == 0)
		goto out;
	if (store_version_capture(d->store, r.id, 0, &capture, &cause) == -1)
		goto out;
	json = json_dumps(rec, JSON_COMPACT);
	if (store_version_add(d->store, r.id, capture, digest, json,
	    clock_now_ms(), &number, &cause) == -1)
		goto out;
	d->n_versions++;
	r.versions = number;
	log_info("%s: %d report: cross-year findings recomputed against the "
	    "%d report (v%d)", j->id, r.year, year, number);
	job_version_event(j, &r, rec, old, json, number, "cross-year");
out:
	if (cause != NULL) {
		log_warnx("%s: %d report: cross-year rules: %s", j->id,
		    year + 1, cause);
		free(cause);
	}
	free(json);
	free(old);
	json_decref(rec);
	store_report_release(&r);
}

static void
job_report_finish(struct job *j, struct job_report *rep)
{
	struct nianbaod *d = j->d;
	struct store_report r;
	json_t *rec = NULL;
	char digest[65], *json = NULL, *old = NULL, *cause = NULL;
	int found, number;
	int64_t now = clock_now_ms();

	if (daemon_tx(d) == -1)
		return;
	memset(&r, 0, sizeof r);
	found = store_report_get(d->store, j->id, rep->agency, rep->year, &r,
	    &cause);
	if (found == -1)
		goto fail;
	if (!rep->fetched) {
		if (rep->gone && found == 0 && !r.removed)
			job_removed(j, &r, "404");
		else if (rep->cause != NULL)
			log_info("%s: %d report %s: %s", j->id, rep->year,
			    rep->url, rep->cause);
		goto out;
	}
	if (found == 1) {
		r.source_id = xstrdup(j->id);
		r.agency = xstrdup(rep->agency);
		r.year = rep->year;
		r.first_seen = now;
	} else if (r.removed)
		log_info("%s: %d report is back at %s", j->id, rep->year,
		    rep->url);
	free(r.url);
	r.url = xstrdup(rep->url);
	free(r.title);
	r.title = xstrdup(rep->title);
	r.last_seen = now;
	r.absent = 0;
	r.removed = 0;
	j->nfound++;

	if (rep->rec == NULL && rep->revisit && r.versions > 0)
		goto put;		/* unchanged bytes: nothing to read */
	rec = job_content(j, rep, &r, digest);
	if (rec == NULL) {
		log_info("%s: %s is not read as a report: %s", j->id,
		    rep->url, rep->cause != NULL ? rep->cause : "no content");
		if (found == 1)
			goto out;	/* never a report: keep nothing */
		goto put;
	}
	if (r.digest != NULL && strcmp(r.digest, digest) == 0)
		goto put;		/* chrome or bytes changed, content not */
	if (store_report_put(d->store, &r, &cause) == -1)
		goto fail;
	if (r.versions > 0 && store_version_record(d->store, r.id, 0, &old,
	    &cause) == -1)
		goto fail;
	json = json_dumps(rec, JSON_COMPACT);
	if (store_version_add(d->store, r.id, rep->capture_id, digest, json,
	    now, &number, &cause) == -1)
		goto fail;
	d->n_versions++;
	r.versions = number;
	job_version_event(j, &r, rec, old, json, number, NULL);
	if (rep->rec != NULL)
		job_pair_next(j, r.agency, r.year, json);
	goto out;
put:
	if (store_report_put(d->store, &r, &cause) == -1)
		goto fail;
	goto out;
fail:
	log_warnx("%s: %d report %s: %s", j->id, rep->year, rep->url, cause);
	free(cause);
out:
	free(json);
	free(old);
	json_decref(rec);
	store_report_release(&r);
}

static int
job_year_cmp(const void *a, const void *b)
{
	const struct job_report *x = *(struct job_report *const *)a;
	const struct job_report *y = *(struct job_report *const *)b;

	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return strcmp(x->agency, y->agency);
}

/*
 * The reports of a check are stored once all are in, oldest year first:
 * a report's cross-year findings then compare with last year's version
 * of this same check, so a first sync stores one version per report and
 * a check that changes two consecutive years makes one version of each.
 */
static void
job_finish_reports(struct job *j)
{
	size_t i;

	j->order = xreallocarray(NULL, j->nreps + 1, sizeof *j->order);
	j->norder = 0;
	for (i = 0; i < j->nreps; i++) {
		if (j->reps[i]->selected)
			j->order[j->norder++] = j->reps[i];
	}
	qsort(j->order, j->norder, sizeof *j->order, job_year_cmp);
	for (i = 0; i < j->norder; i++)
		job_report_finish(j, j->order[i]);
}

static void
job_recheck(struct job *j, struct job_fetch *jf, struct fetch_result *res)
{
	struct store_report r;
	char digest[65], *cause = NULL;
	int revisit;

	job_capture(j, jf, res, "report", digest, &revisit);
	if (res->err != FETCH_OK || (res->status >= 500 && res->status != 501))
		return;		/* unreachable is not removed */
	memset(&r, 0, sizeof r);
	if (store_report_get_id(j->d->store, jf->report_id, &r, &cause) != 0)
		goto out;
	if (res->status == 404 || res->status == 410)
		job_removed(j, &r, res->status == 404 ? "404" : "410");
	else {
		r.absent++;
		if (r.absent >= j->d->conf.removed_after)
			job_removed(j, &r, "absent from the listing");
		else if (store_report_put(j->d->store, &r, &cause) == -1)
			log_warnx("%s: %s", j->id, cause);
	}
out:
	free(cause);
	store_report_release(&r);
}

/* Reports the store knows that this check's listing did not show. */
static int
job_absent_cb(const struct store_report *r, void *arg)
{
	struct job *j = arg;
	size_t i;

	if (r->removed)
		return 0;
	for (i = 0; i < j->nreps; i++) {
		if (j->reps[i]->selected && j->reps[i]->year == r->year &&
		    strcmp(j->reps[i]->agency, r->agency) == 0)
			return 0;
	}
	job_fetch(j, JF_RECHECK, NULL, r->id, r->url);
	return 0;
}

static int
job_title_names(const struct job_report *rep, const char *agency)
{
	return agency != NULL && *agency != '\0' &&
	    strstr(rep->title, agency) != NULL;
}

/*
 * One link per agency and year: the first whose title names the agency,
 * else the first (a report posted twice on one listing is read once).
 */
static void
job_select(struct job *j)
{
	size_t i, k;
	struct job_report *best;

	for (i = 0; i < j->nreps; i++) {
		best = NULL;
		for (k = 0; k < j->nreps; k++) {
			if (j->reps[k]->year != j->reps[i]->year ||
			    strcmp(j->reps[k]->agency, j->reps[i]->agency) != 0)
				continue;
			if (best == NULL || (!job_title_names(best,
			    best->agency) && job_title_names(j->reps[k],
			    j->reps[k]->agency)))
				best = j->reps[k];
		}
		best->selected = 1;
	}
}

static void
job_free(struct job *j)
{
	size_t i;

	for (i = 0; i < j->nreps; i++) {
		struct job_report *rep = j->reps[i];

		free(rep->url);
		free(rep->title);
		free(rep->agency);
		free(rep->date);
		free(rep->cause);
		record_free(rep->rec);
		json_decref(rep->atts);
		free(rep);
	}
	free(j->reps);
	free(j->order);
	for (i = 0; i < j->npages; i++)
		free(j->pages[i]);
	free(j->pages);
	free(j->id);
	free(j->agency);
	free(j->level);
	free(j->region);
	free(j->url);
	free(j->hosts);
	free(j->error);
	free(j);
}

/*
 * The one event of a first sync: the reports recorded, with the failing
 * findings of each (errors and warnings, as `nianbao reports` counts).
 */
static void
job_synced(struct job *j)
{
	struct store *st = j->d->store;
	struct store_report r;
	json_t *years = json_array(), *reps = json_array();
	char *key, *cause = NULL;
	size_t i;
	int failing, last = 0;

	for (i = 0; i < j->norder; i++) {
		memset(&r, 0, sizeof r);
		if (store_report_get(st, j->id, j->order[i]->agency,
		    j->order[i]->year, &r, &cause) != 0 || r.versions == 0) {
			free(cause);
			cause = NULL;
			store_report_release(&r);
			continue;
		}
		if (store_version_failing(st, r.id, 0, &failing,
		    &cause) != 0) {
			free(cause);
			cause = NULL;
			failing = -1;
		}
		json_array_append_new(reps, json_pack("{s:I,s:s,s:i,s:s,s:i}",
		    "report", (json_int_t)r.id, "agency", r.agency, "year",
		    r.year, "url", r.url, "failing", failing));
		/* j->order goes by year */
		if (r.year != last)
			json_array_append_new(years, json_integer(r.year));
		last = r.year;
		store_report_release(&r);
	}
	log_info("%s: first sync: %zu past report%s recorded as history",
	    j->id, json_array_size(reps), json_array_size(reps) == 1 ? "" :
	    "s");
	key = xprintf("source.synced:%s", j->id);
	job_event(j, "source.synced", key, NULL, json_pack("{s:I,s:o,s:o}",
	    "reports_found", (json_int_t)json_array_size(reps), "years", years,
	    "reports", reps));
	free(key);
}

static void
job_done(struct job *j)
{
	struct nianbaod *d = j->d;
	struct store_source s;
	char *cause = NULL, *key;
	int64_t now = clock_now_ms(), next;
	int found;

	next = sched_next(now, j->interval * 1000, d->conf.jitter,
	    daemon_random());
	if (j->cancelled) {
		/* stopped half-way: checked again first thing after a restart */
		log_info("%s: check interrupted", j->id);
		daemon_job_done(d, j->src, now);
		job_free(j);
		return;
	}
	if (daemon_tx(d) == -1)
		goto done;
	memset(&s, 0, sizeof s);
	found = store_source_get(d->store, j->id, &s, &cause);
	if (found == -1)
		goto fail;
	if (found == 1)
		s.id = xstrdup(j->id);
	s.last_check = now;
	s.checks++;
	s.next_due = next;
	free(s.last_error);
	s.last_error = NULL;
	if (j->listing_ok) {
		if (j->first_sync)
			job_synced(j);
		s.last_ok = now;
		s.failures = 0;
		if (s.failing) {
			s.failing = 0;
			key = xprintf("source.recovered:%s:%lld", j->id,
			    (long long)now);
			job_event(j, "source.recovered", key, NULL,
			    json_pack("{}"));
			free(key);
		}
	} else {
		s.failures++;
		s.last_error = xstrdup(j->error != NULL ? j->error :
		    "listing not read");
		if (!s.failing && s.failures >= d->conf.failing_after) {
			s.failing = 1;
			key = xprintf("source.failing:%s:%lld", j->id,
			    (long long)s.last_ok);
			job_event(j, "source.failing", key, NULL,
			    json_pack("{s:s,s:i}", "error", s.last_error,
			    "failures", s.failures));
			free(key);
		}
	}
	if (store_source_put(d->store, &s, &cause) == -1)
		goto fail;
	store_source_release(&s);
	goto done;
fail:
	log_warnx("%s: %s", j->id, cause);
	free(cause);
	store_source_release(&s);
done:
	if (j->listing_ok)
		log_info("%s: checked in %.1fs: %zu listing page%s, %d "
		    "report%s (%d new, %d changed, %d removed)", j->id,
		    (double)(clock_mono_ms() - j->t0) / 1000, j->npages,
		    j->npages == 1 ? "" : "s", j->nfound, j->nfound == 1 ? "" :
		    "s", j->nnew, j->nchanged, j->nremoved);
	else
		log_warnx("%s: check failed: %s", j->id, j->error != NULL ?
		    j->error : "listing not read");
	daemon_job_done(d, j->src, next);
	job_free(j);
}

/* Moves to the next phase when the current one has no request left. */
static void
job_advance(struct job *j)
{
	size_t i;
	char *cause = NULL;

	if (j->pending > 0)
		return;
	if (j->phase == PHASE_LISTING) {
		j->phase = PHASE_REPORTS;
		if (j->listing_ok && !j->cancelled) {
			job_select(j);
			for (i = 0; i < j->nreps; i++) {
				if (j->reps[i]->selected)
					job_fetch(j, JF_REPORT, j->reps[i], 0,
					    j->reps[i]->url);
			}
		}
		if (j->pending > 0)
			return;
	}
	if (j->phase == PHASE_REPORTS) {
		j->phase = PHASE_REMOVALS;
		if (j->listing_ok && !j->cancelled)
			job_finish_reports(j);
		if (j->listing_ok && !j->cancelled &&
		    store_reports_each(j->d->store, j->id, job_absent_cb, j,
		    &cause) == -1) {
			log_warnx("%s: %s", j->id, cause);
			free(cause);
		}
		if (j->pending > 0)
			return;
	}
	job_done(j);
}

static void
job_fetched(struct fetch_result *res, void *arg)
{
	struct job_fetch *jf = arg;
	struct job *j = jf->job;
	struct job_report *rep = jf->rep;

	if (res->err == FETCH_ERR_CANCELLED)
		j->cancelled = 1;
	else {
		switch (jf->kind) {
		case JF_LISTING:
			job_listing(j, jf, res);
			break;
		case JF_REPORT:
			job_report_page(j, jf, res);
			break;
		case JF_ATTACH:
			job_attachment(j, jf, res);
			break;
		case JF_RECHECK:
			job_recheck(j, jf, res);
			break;
		}
	}
	fetch_result_free(res);
	free(jf->prev_digest);
	free(jf);
	if (rep != NULL)
		rep->pending--;
	j->pending--;
	job_advance(j);
}

/*
 * Whether no check of the source has read its listing yet: its reports
 * are then the past ones, recorded as history under one source.synced
 * instead of a report.new each.  A failed first check does not count.
 */
static int
job_first_sync(struct nianbaod *d, const char *id)
{
	struct store_source s;
	char *cause = NULL;
	int found, first;

	memset(&s, 0, sizeof s);
	found = store_source_get(d->store, id, &s, &cause);
	if (found == -1) {
		log_warnx("%s: %s", id, cause);
		free(cause);
		return 0;	/* in doubt, events as usual */
	}
	first = found == 1 || s.last_ok == 0;
	if (found == 0)
		store_source_release(&s);
	return first;
}

void
job_start(struct nianbaod *d, size_t src)
{
	const struct source *s = &d->cat.v[src];
	struct job *j;
	char *p;

	j = xcalloc(1, sizeof *j);
	j->d = d;
	j->src = src;
	j->id = xstrdup(s->id);
	j->agency = xstrdup(s->agency);
	j->level = xstrdup(s->level);
	j->region = xstrdup(s->region != NULL ? s->region : "");
	j->url = xstrdup(s->url);
	if (s->hosts != NULL && *s->hosts != '\0') {
		j->hosts = xstrdup(s->hosts);
		for (p = j->hosts; *p != '\0'; p++) {
			if (*p == ';' || *p == ',')
				*p = ' ';
		}
	}
	j->tls_verify = s->tls_verify;
	j->interval = s->interval > 0 ? s->interval : d->conf.interval;
	j->first_sync = job_first_sync(d, j->id);
	j->started = clock_now_ms();
	j->t0 = clock_mono_ms();
	j->pages = xcalloc(1, sizeof *j->pages);
	j->pages[0] = xstrdup(s->url);
	j->npages = 1;
	log_debug("%s: check %s", j->id, j->url);
	job_fetch(j, JF_LISTING, NULL, 0, j->url);
	/* a URL the fetcher refuses ends the check here */
	if (j->pending == 0) {
		j->error = xprintf("listing URL %s cannot be fetched", j->url);
		job_advance(j);
	}
}
