/*
 * The daemon's side of the report calendar (rules in calendar.c): after
 * each check of a source, and for every source at start-up, at every
 * local midnight and when a deadline passes, the source's years are
 * judged again, the calendar rows updated and the events written in the
 * daemon's batch transaction:
 *
 *   report.missing  once when a deadline + grace passes without a report
 *                   (key report.missing:SOURCE:YEAR), then a reminder every
 *                   [deadlines] remind while it stays missing (same type,
 *                   "reminder": N, key ...:YEAR:rN)
 *   report.late     a report found after its deadline + grace
 *   report.found    a report that closes a missing year ("late" says
 *                   whether it came late; a late one also gets its
 *                   report.late, so a channel that takes only report.late
 *                   sees every late report)
 *
 * A source's first fill (no calendar rows yet) is history, not news: no
 * report.late or report.found for past years, and report.missing only for
 * the latest year due.  Sources whose listing was never read are left
 * alone: nothing is known of them yet.
 */
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "clock.h"
#include "log.h"
#include "nianbaod.h"
#include "store.h"
#include "xmalloc.h"

#define DAY_MS		(86400LL * 1000)

static void
calsweep_event(struct nianbaod *d, const struct source *src,
    const struct calendar_entry *e, const char *type, const char *key,
    json_t *extra)
{
	struct store_event ev;
	json_t *p;
	char *payload, *cause = NULL;
	int rc;

	p = json_pack("{s:s,s:s,s:s,s:s,s:i,s:s}", "source", src->id,
	    "agency", src->agency, "region", src->region, "level",
	    src->level, "year", e->year, "deadline", e->deadline);
	if (e->report != NULL) {
		json_object_set_new(p, "published", json_string(e->published));
		json_object_set_new(p, "published_from",
		    json_string(e->published_from));
		json_object_set_new(p, "upper_bound",
		    json_boolean(e->upper_bound));
		json_object_set_new(p, "url", json_string(e->report->url));
		json_object_set_new(p, "report",
		    json_integer(e->report->id));
	} else {
		json_object_set_new(p, "published", json_null());
		json_object_set_new(p, "published_from", json_null());
		json_object_set_new(p, "url", json_string(src->url));
		json_object_set_new(p, "report", json_null());
	}
	json_object_set_new(p, "days_overdue",
	    json_integer(e->overdue_days));
	if (extra != NULL)
		json_object_update(p, extra);
	json_decref(extra);
	payload = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.source_id = src->id;
	ev.report_id = e->report != NULL ? e->report->id : 0;
	ev.key = key;
	ev.payload = payload;
	ev.created = clock_now_ms();
	rc = store_event_add(d->store, &ev, &cause);
	if (rc == -1) {
		log_warnx("%s: event %s: %s", src->id, key, cause);
		free(cause);
	} else if (rc == 0) {
		d->n_events++;
		log_info("%s: %s %d (deadline %s)", src->id, type, e->year,
		    e->deadline);
	}
	free(payload);
}

/* Lowers *next to t if t is in the future and earlier. */
static void
calsweep_next(int64_t *next, int64_t t, int64_t now)
{
	if (t > now && (*next == 0 || t < *next))
		*next = t;
}

/* One year of one source: events and the row.  Returns -1 on error. */
static int
calsweep_year(struct nianbaod *d, const struct source *src,
    const struct calendar_entry *e, int first_fill, int latest, int64_t now,
    int64_t *next)
{
	struct store_calendar old, row;
	const struct conf *c = &d->conf;
	char *key, *cause = NULL;
	const char *was;
	int found, rc = 0;
	long long n;

	found = store_calendar_get(d->store, src->id, e->year, &old, &cause);
	if (found == -1)
		goto fail;
	was = found == 0 ? old.status : NULL;
	memset(&row, 0, sizeof row);
	row.source_id = src->id;
	row.year = e->year;
	row.status = (char *)calendar_status_name(e->status);
	row.deadline = (char *)e->deadline;
	row.report_id = e->report != NULL ? e->report->id : 0;
	row.published = e->report != NULL ? (char *)e->published : NULL;
	row.published_from = e->report != NULL ? (char *)e->published_from :
	    NULL;
	row.missing_sent = found == 0 ? old.missing_sent : 0;
	row.reminded = found == 0 ? old.reminded : 0;
	row.updated = now;
	row.versions = e->report != NULL ? e->report->versions : 0;

	switch (e->status) {
	case CAL_NOT_DUE:
		calsweep_next(next, e->due_ms - c->dl_grace_ms -
		    c->dl_due_soon_ms, now);
		calsweep_next(next, e->due_ms, now);
		break;
	case CAL_DUE_SOON:
		calsweep_next(next, e->due_ms, now);
		break;
	case CAL_MISSING:
		if (row.missing_sent == 0) {
			if (!first_fill || e->year == latest) {
				key = xprintf("report.missing:%s:%d", src->id,
				    e->year);
				calsweep_event(d, src, e, "report.missing", key,
				    json_pack("{s:i}", "reminder", 0));
				free(key);
				row.missing_sent = 1;
				/* reminders count from this one */
				if (c->dl_remind_ms > 0)
					row.reminded = (int)((now - e->due_ms) /
					    c->dl_remind_ms);
			} else
				row.missing_sent = 2;	/* history */
		}
		if (row.missing_sent != 1 || c->dl_remind_ms <= 0)
			break;
		n = (now - e->due_ms) / c->dl_remind_ms;
		if (n > row.reminded) {
			/* a daemon that was down sends the latest one only */
			key = xprintf("report.missing:%s:%d:r%lld", src->id,
			    e->year, n);
			calsweep_event(d, src, e, "report.missing", key,
			    json_pack("{s:I}", "reminder", (json_int_t)n));
			free(key);
			row.reminded = (int)n;
		}
		calsweep_next(next, e->due_ms + (row.reminded + 1) *
		    c->dl_remind_ms, now);
		break;
	case CAL_ON_TIME:
	case CAL_LATE:
		if (first_fill)
			break;
		if (was != NULL && strcmp(was, "missing") == 0) {
			key = xprintf("report.found:%s:%d", src->id, e->year);
			calsweep_event(d, src, e, "report.found", key,
			    json_pack("{s:b}", "late", e->status == CAL_LATE));
			free(key);
		}
		if (e->status == CAL_LATE && (was == NULL ||
		    strcmp(was, "not_due") == 0 || strcmp(was, "due_soon") ==
		    0 || strcmp(was, "missing") == 0)) {
			key = xprintf("report.late:%s:%d", src->id, e->year);
			calsweep_event(d, src, e, "report.late", key, NULL);
			free(key);
		}
		break;
	}
	if (found == 1 || strcmp(old.status, row.status) != 0 ||
	    old.report_id != row.report_id || old.missing_sent !=
	    row.missing_sent || old.reminded != row.reminded ||
	    old.versions != row.versions ||
	    (old.published == NULL) != (row.published == NULL) ||
	    (old.published != NULL && strcmp(old.published, row.published) !=
	    0)) {
		if (store_calendar_put(d->store, &row, &cause) == -1)
			goto fail;
	}
	goto out;
fail:
	log_warnx("%s: calendar %d: %s", src->id, e->year, cause);
	free(cause);
	rc = -1;
out:
	if (found == 0)
		store_calendar_release(&old);
	return rc;
}

/*
 * Judges every year of source i.  *latest_status gets the status of its
 * latest year (-1 if none) and *latest_due when that one is overdue.
 * Returns the next time something changes for it (0: nothing known).
 */
static int64_t
calsweep_source(struct nianbaod *d, size_t i, int after_check,
    int *latest_status, int64_t *latest_due)
{
	const struct source *src = &d->cat.v[i];
	struct calendar_report *reps = NULL;
	struct calendar_entry *entries = NULL;
	size_t nreps = 0, n = 0, k;
	int64_t now = clock_now_ms(), first_check, fc, next = 0;
	char *cause = NULL;
	int checked, rows, latest, rc;

	*latest_status = -1;
	*latest_due = 0;
	if (calendar_read_checked(d->store, src, &reps, &nreps, &first_check,
	    &checked, &cause) == -1)
		goto fail;
	if (!checked)
		goto out;
	if (after_check) {
		rc = store_calendar_first_check(d->store, src->id, &fc, &cause);
		if (rc == -1)
			goto fail;
		if (rc == 1) {
			first_check = first_check > 0 ? first_check : now;
			if (store_calendar_set_first_check(d->store, src->id,
			    first_check, &cause) == -1)
				goto fail;
		}
	}
	if (store_calendar_count(d->store, src->id, &rows, &cause) == -1)
		goto fail;
	calendar_source(&d->conf, src, reps, nreps, now, first_check, &entries,
	    &n);
	latest = calendar_latest_due(&d->conf, src, now);
	for (k = 0; k < n; k++) {
		if (calsweep_year(d, src, &entries[k], rows == 0, latest, now,
		    &next) == -1)
			break;
	}
	if (n > 0) {
		*latest_status = (int)entries[n - 1].status;
		*latest_due = entries[n - 1].due_ms;
	}
	goto out;
fail:
	log_warnx("%s: calendar: %s", src->id, cause);
	free(cause);
out:
	free(entries);
	calendar_reports_free(reps, nreps);
	return next;
}

/*
 * A sweep in progress.  The daemon judges CALSWEEP_SLICE sources per turn
 * of the event loop, so that neither its start-up nor its checks wait for
 * a sweep of 100,000 sources; --once sweeps at once (there is no loop to
 * come back to).  Owned by calendar_ev (its callback argument).
 */
#define CALSWEEP_SLICE	500

struct calsweep {
	struct nianbaod	*d;
	int		 running;
	size_t		 pos;		/* the next source */
	int64_t		 next;		/* the earliest change seen */
	int64_t		 t0;		/* monotonic ms, at the start */
};

static void
calsweep_begin(struct calsweep *x)
{
	struct nianbaod *d = x->d;
	int64_t now = clock_now_ms();

	x->running = 1;
	x->pos = 0;
	/* the next local midnight, at the latest: a new day may change any */
	x->next = calendar_day_start(&d->conf, calendar_local_day(&d->conf,
	    now) + 1);
	x->t0 = clock_mono_ms();
}

/* Judges up to n sources from x->pos; 1 when the sweep is over. */
static int
calsweep_some(struct calsweep *x, size_t n)
{
	struct nianbaod *d = x->d;
	int64_t t, due;
	size_t end;
	int st;

	if (daemon_tx(d) == -1)
		x->pos = d->cat.n;	/* given up: the next one is due anyway */
	end = x->pos + n < d->cat.n ? x->pos + n : d->cat.n;
	for (; x->pos < end; x->pos++) {
		t = calsweep_source(d, x->pos, 0, &st, &due);
		if (t > 0 && t < x->next)
			x->next = t;
	}
	if (x->pos < d->cat.n)
		return 0;
	x->running = 0;
	log_debug("calendar: %zu sources in %.1fs", d->cat.n,
	    (double)(clock_mono_ms() - x->t0) / 1000);
	return 1;
}

static void
calsweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct calsweep *x = arg;
	struct nianbaod *d = x->d;
	struct timeval tv = { 0, 0 };
	int64_t wait;

	if (d->stopping)
		return;
	if (!x->running)
		calsweep_begin(x);
	if (calsweep_some(x, CALSWEEP_SLICE)) {
		wait = x->next - clock_now_ms();
		if (wait < 1000)
			wait = 1000;
		tv.tv_sec = (time_t)(wait / 1000);
		tv.tv_usec = (suseconds_t)(wait % 1000) * 1000;
	}
	evtimer_add(d->calendar_ev, &tv);
}

void
calsweep_all(struct nianbaod *d)
{
	struct calsweep once, *x;
	struct timeval tv = { 0, 0 };

	if (d->stopping)
		return;
	if (d->calendar_ev == NULL) {
		memset(&once, 0, sizeof once);
		once.d = d;
		calsweep_begin(&once);
		calsweep_some(&once, d->cat.n);
		return;
	}
	/* from the first source again (the catalog may be another one) */
	x = event_get_callback_arg(d->calendar_ev);
	calsweep_begin(x);
	evtimer_add(d->calendar_ev, &tv);
}

void
calsweep_start(struct nianbaod *d)
{
	struct calsweep *x;

	if (!d->once && d->calendar_ev == NULL) {
		x = xcalloc(1, sizeof *x);
		x->d = d;
		d->calendar_ev = evtimer_new(d->base, calsweep_cb, x);
		if (d->calendar_ev == NULL)
			free(x);	/* swept at once, then never again */
	}
	/*
	 * --once --all checks every source now, and each check sweeps its
	 * source: judging before would call a report missing that the check
	 * is about to find (report.found instead of report.late).
	 */
	if (d->once && d->all)
		return;
	calsweep_all(d);
}

void
calsweep_stop(struct nianbaod *d)
{
	if (d->calendar_ev == NULL)
		return;
	free(event_get_callback_arg(d->calendar_ev));
	event_free(d->calendar_ev);
	d->calendar_ev = NULL;
}

int64_t
calsweep_after_check(struct nianbaod *d, size_t src, int64_t next_due)
{
	struct store_source s;
	int64_t now = clock_now_ms(), due, soon;
	char *cause = NULL;
	int st;

	if (src >= d->cat.n || daemon_tx(d) == -1)
		return next_due;
	calsweep_source(d, src, 1, &st, &due);
	if (st != CAL_DUE_SOON && !(st == CAL_MISSING && now < due +
	    d->conf.dl_due_window_ms))
		return next_due;
	soon = now + d->conf.dl_due_interval_ms;
	if (next_due <= soon)
		return next_due;
	/* the stored due time too, so a restart keeps the pace */
	if (store_source_get(d->store, d->cat.v[src].id, &s, &cause) == 0) {
		s.next_due = soon;
		if (store_source_put(d->store, &s, &cause) == -1) {
			log_warnx("%s: %s", d->cat.v[src].id, cause);
			free(cause);
		}
		store_source_release(&s);
	} else
		free(cause);
	return soon;
}
