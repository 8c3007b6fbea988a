/*
 * libcurl's multi_socket API on our libevent loop (style.md §3), the only
 * file that touches curl_multi_* or socket events.  libcurl says which
 * fds to watch (multi_sock_cb) and when to wake it (multi_timer_cb); we
 * turn both into events, hand readiness back with socket_action and then
 * collect finished transfers (multi_check).  Completion goes to
 * host_xfer_done(), which never runs user code: callbacks are delivered
 * later from their own event, so nothing here can be freed under us.
 * Ownership: the fetcher owns the multi, the timer and every fetch_sock.
 */
#include <stdlib.h>
#include <string.h>

#include "fetch_int.h"
#include "xmalloc.h"

static void
multi_check(struct fetcher *f)
{
	struct xfer *x;
	CURLMsg *msg;
	CURL *e;
	CURLcode code;
	char *p;
	int left;

	while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* Read the message before remove_handle frees it. */
		e = msg->easy_handle;
		code = msg->data.result;
		p = NULL;
		curl_easy_getinfo(e, CURLINFO_PRIVATE, &p);
		curl_multi_remove_handle(f->multi, e);
		x = (struct xfer *)p;
		if (x == NULL) {
			curl_easy_cleanup(e);
			continue;
		}
		TAILQ_REMOVE(&f->running_list, x, entry);
		host_xfer_done(x, code);
	}
}

static void
multi_action(struct fetcher *f, curl_socket_t fd, int bits)
{
	CURLMcode mc;

	mc = curl_multi_socket_action(f->multi, fd, bits, &f->still_running);
	/*
	 * BAD_SOCKET is a race with a socket being removed (hiperfifo
	 * ignores it); anything else leaves transfers that
	 * check_multi_info will still report, so carry on.
	 */
	(void)mc;
	multi_check(f);
	if (f->still_running == 0 && evtimer_pending(&f->curl_timer, NULL))
		evtimer_del(&f->curl_timer);
}

static void
multi_event_cb(evutil_socket_t fd, short kind, void *arg)
{
	struct fetch_sock *s = arg;
	int bits = 0;

	if (kind & EV_READ)
		bits |= CURL_CSELECT_IN;
	if (kind & EV_WRITE)
		bits |= CURL_CSELECT_OUT;
	multi_action(s->f, fd, bits);
}

static void
multi_timer_fire(evutil_socket_t fd, short kind, void *arg)
{
	multi_action(arg, CURL_SOCKET_TIMEOUT, 0);
}

static int
multi_timer_cb(CURLM *m, long timeout_ms, void *arg)
{
	struct fetcher *f = arg;
	struct timeval tv;

	/* One timer, replaced each time; never socket_action from here. */
	if (timeout_ms < 0) {
		evtimer_del(&f->curl_timer);
		return (0);
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(&f->curl_timer, &tv);
	return (0);
}

static void
multi_sock_free(struct fetch_sock *s)
{
	if (s->added)
		event_del(&s->ev);
	LIST_REMOVE(s, entry);
	free(s);
}

static int
multi_sock_cb(CURL *e, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct fetcher *f = arg;
	struct fetch_sock *s = sockp;
	short kind;

	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			curl_multi_assign(f->multi, fd, NULL);
			multi_sock_free(s);
		}
		return (0);
	}
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->f = f;
		s->fd = fd;
		LIST_INSERT_HEAD(&f->socks, s, entry);
		curl_multi_assign(f->multi, fd, s);
	}
	kind = EV_PERSIST;
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	/* event_assign on a pending event corrupts libevent: delete first. */
	if (s->added)
		event_del(&s->ev);
	event_assign(&s->ev, f->base, fd, kind, multi_event_cb, s);
	if (event_add(&s->ev, NULL) != 0) {
		s->added = 0;
		return (-1);
	}
	s->added = 1;
	return (0);
}

int
multi_init(struct fetcher *f)
{
	LIST_INIT(&f->socks);
	if ((f->multi = curl_multi_init()) == NULL)
		return (-1);
	evtimer_assign(&f->curl_timer, f->base, multi_timer_fire, f);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, multi_sock_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, multi_timer_cb);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	return (0);
}

/* Starts an attempt; the timer callback libcurl calls gets it going. */
int
multi_add(struct fetcher *f, struct xfer *x, char **cause)
{
	CURLMcode mc;

	mc = curl_multi_add_handle(f->multi, x->easy);
	if (mc != CURLM_OK) {
		xasprintf(cause, "curl_multi_add_handle: %s",
		    curl_multi_strerror(mc));
		return (-1);
	}
	TAILQ_INSERT_TAIL(&f->running_list, x, entry);
	return (0);
}

/*
 * Shutdown (style.md §3.8): the easy handles, then the multi (its socket
 * callback may still run, so the base must live), then our events.
 */
void
multi_free(struct fetcher *f)
{
	struct fetch_sock *s;
	struct xfer *x;

	while ((x = TAILQ_FIRST(&f->running_list)) != NULL) {
		TAILQ_REMOVE(&f->running_list, x, entry);
		curl_multi_remove_handle(f->multi, x->easy);
		xfer_free(x);
	}
	if (f->multi != NULL)
		curl_multi_cleanup(f->multi);
	f->multi = NULL;
	while ((s = LIST_FIRST(&f->socks)) != NULL)
		multi_sock_free(s);
	if (evtimer_initialized(&f->curl_timer))
		evtimer_del(&f->curl_timer);
}
