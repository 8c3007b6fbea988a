/*
 * Notifications: the channels an event is delivered to, and the pieces
 * every channel shares.  The dispatcher (dispatch.c) runs in a thread of
 * its own with its own store connection and delivers the events of the
 * outbox (store/outbox.c) to every channel whose filter matches; a
 * channel's send function is synchronous (blocking libcurl, or a child
 * process) and judges success by the receiver's own rule, never by the
 * HTTP status alone: DingTalk and WeCom answer 200 on errors.
 *
 *   notify.h     this header: channel configuration, messages, answers
 *   channel.c    the table of channel types, channel_send()
 *   post.c       an HTTP POST with a bounded answer (libcurl easy)
 *   sign.c       HMAC-SHA256, Base64, URL and RFC 2047 encoding
 *   message.c    the Chinese text of a message (title, markdown, plain)
 *   webhook.c dingtalk.c wecom.c feishu.c email.c exec.c log.c
 *                one file per channel type, each with a X_send()
 *
 * Secrets (a channel's secret, the SMTP password) are read once at
 * start-up from the file, the environment variable or the value itself,
 * and never logged: error texts carry the URL without its query string.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <stddef.h>
#include <stdint.h>

enum channel_type {
	CHANNEL_WEBHOOK,
	CHANNEL_DINGTALK,
	CHANNEL_WECOM,
	CHANNEL_FEISHU,	/* and Lark: the same API on another host */
	CHANNEL_EMAIL,
	CHANNEL_EXEC,
	CHANNEL_LOG,
	CHANNEL_NTYPES
};

/* Email transport security. */
enum channel_tls { CHANNEL_TLS_STARTTLS, CHANNEL_TLS_TLS, CHANNEL_TLS_NONE };

/*
 * One [channel NAME] section of the configuration, secrets resolved.
 * Every string is owned by the struct (channel_conf_release()).
 */
struct channel_conf {
	char		*name;		/* the section's NAME */
	enum channel_type type;
	char		*url;		/* webhook/robot URL; email: smtp:// or smtps:// */
	char		*secret;	/* HMAC/signing secret, or NULL */
	/* filter: an event is delivered if all three match */
	char	       **events;	/* type patterns ("report.*"), NULL-terminated; NULL = all */
	int		 min_severity;	/* 0 info, 1 warning, 2 error */
	char	       **agencies;	/* substrings of the agency; NULL = all */
	char	       **regions;	/* prefixes of the region; NULL = all */
	/* limits */
	long		 per_minute;	/* messages per minute, 0 = none */
	long		 per_second;	/* messages per second, 0 = none */
	long long	 timeout_ms;	/* one attempt (HTTP, SMTP or the command) */
	long long	 give_up_ms;	/* deliveries older than this are given up */
	long long	 digest_ms;	/* email: one mail per window, 0 = one per event */
	size_t		 max_bytes;	/* message size limit of the receiver, 0 = none */
	/* email */
	char		*mail_from;
	char	       **mail_to;	/* NULL-terminated */
	char		*username;
	char		*password;	/* secret */
	enum channel_tls tls;
	int		 tls_verify;
	/* exec */
	char		*command;	/* run with /bin/sh -c, event JSON on stdin */
	/* Lark instead of Feishu, for the message format only */
	int		 lark;
	/*
	 * Added with the dispatcher: where the secrets came from (a path or
	 * a variable name, never a value), the retry timing, and whether a
	 * new channel starts at the first event instead of the newest.
	 */
	char		*secret_file;
	char		*secret_env;
	char		*password_file;
	char		*password_env;
	long long	 backoff_ms;	/* first retry after this (30 s) */
	long long	 backoff_max_ms; /* retries at most this far apart (1 h) */
	int		 since_all;	/* `since = all` */
};
void	 channel_conf_release(struct channel_conf *);

/* An event of the outbox, as the channels see it (borrowed strings). */
struct notify_event {
	int64_t		 id;
	const char	*type;		/* "report.new", ... */
	const char	*key;		/* idempotency key */
	const char	*source_id;	/* may be NULL */
	const char	*payload;	/* JSON object, the record keys */
	int64_t		 created;	/* ms since the epoch */
};

/*
 * What one send delivers: one event, or a digest of several when the
 * receiver's rate limit would otherwise drop or delay them.  key is the
 * idempotency key sent with the delivery (the event's own key, or for a
 * digest "digest:<channel>:<first id>-<last id>").
 */
struct notify_msg {
	const struct notify_event *events;
	size_t		 nevents;	/* 1 = a single event, more = a digest */
	const char	*key;
	int		 test;		/* `nianbao notify test`: events may be empty */
};

/* How a send went.  Strings owned by the answer (notify_answer_release). */
struct notify_answer {
	int		 delivered;	/* the channel's success rule held */
	int		 retryable;	/* not delivered, worth another attempt */
	long		 status;	/* HTTP status, SMTP code or exit status; 0 none */
	long long	 retry_after_ms; /* the receiver asked to wait, 0 if not */
	char		*raw;		/* the raw answer (bounded), or NULL */
	char		*error;		/* why not delivered, no secrets, or NULL */
};
void	 notify_answer_release(struct notify_answer *);

/* channel.c */
const char	*channel_type_name(enum channel_type);	/* "dingtalk" */
int		 channel_type_find(const char *);	/* -1 if unknown */
/* Sends msg on c; fills *a.  Returns 0 if delivered, else -1. */
int		 channel_send(const struct channel_conf *,
		    const struct notify_msg *, struct notify_answer *);

/* One function per channel type, same contract as channel_send(). */
int	 webhook_send(const struct channel_conf *, const struct notify_msg *,
	    struct notify_answer *);
int	 dingtalk_send(const struct channel_conf *, const struct notify_msg *,
	    struct notify_answer *);
int	 wecom_send(const struct channel_conf *, const struct notify_msg *,
	    struct notify_answer *);
int	 feishu_send(const struct channel_conf *, const struct notify_msg *,
	    struct notify_answer *);
int	 email_send(const struct channel_conf *, const struct notify_msg *,
	    struct notify_answer *);
int	 exec_send(const struct channel_conf *, const struct notify_msg *,
	    struct notify_answer *);
int	 log_send(const struct channel_conf *, const struct notify_msg *,
	    struct notify_answer *);

/* post.c */
#define POST_MAX_ANSWER	(64 * 1024)	/* bytes of an answer kept */
/*
 * POSTs body (len bytes) to url with the extra headers (NULL-terminated
 * "Name: value" strings, may be NULL), waiting at most timeout_ms.  Fills
 * a->status, a->raw (the answer's first POST_MAX_ANSWER bytes) and
 * a->retry_after_ms.  Returns 0 when an HTTP answer came (any status);
 * -1 on a transport error with a->error set (URL without its query) and
 * a->retryable = 1.
 */
int	 post_http(const char *url, const char *const *headers,
	    const char *body, size_t len, long long timeout_ms, int tls_verify,
	    struct notify_answer *a);
/* url without its query string (which may hold a token), allocated. */
char	*post_url_safe(const char *url);

/* sign.c */
/* HMAC-SHA256 of data with key into out (32 bytes). */
void	 sign_hmac_sha256(const void *key, size_t keylen, const void *data,
	    size_t len, unsigned char out[32]);
/* Base64 (standard alphabet, padded), allocated. */
char	*sign_base64(const unsigned char *, size_t);
/* Lower-case hex, allocated. */
char	*sign_hex(const unsigned char *, size_t);
/* Percent-encoding of everything but unreserved characters, allocated. */
char	*sign_urlencode(const char *);
/*
 * An RFC 2047 encoded-word header value ("=?UTF-8?B?...?=", split into
 * words of at most 75 characters) for non-ASCII text; ASCII is returned
 * unchanged.  Allocated.
 */
char	*sign_rfc2047(const char *);

/* message.c */
enum message_format { MESSAGE_MARKDOWN, MESSAGE_PLAIN };
/*
 * The Chinese title of msg ("新年报：沂源县人民政府 2025 年度", or for a
 * digest "nianbao：12 条新事件"), allocated.
 */
char	*message_title(const struct notify_msg *);
/*
 * The Chinese body of msg, at most max bytes (0 = no limit): what
 * happened, agency, year, link, failing rules with their cells and
 * numbers, changed cells; a digest lists one line per event and ends
 * with "另有 N 条未列出" when cut.  Never cuts inside a UTF-8 sequence.
 * Allocated.
 */
char	*message_text(const struct notify_msg *, enum message_format,
	    size_t max);
/*
 * An event's severity from its type and payload: 2 error (failing
 * findings of error severity, source.failing), 1 warning (report.removed,
 * report.missing, report.late, warnings), else 0 info.
 */
int	 message_severity(const struct notify_event *);

/*
 * daemon/channel_conf.c, the configuration side (conf.c parses [channel NAME]
 * sections with these): init with the name, set each key (-1 and *cause
 * for an unknown key or a bad value), finish (defaults by type, checks,
 * secrets read from their file, relative to dir, or variable).  print
 * appends the section as the file would say it, secrets as "(set)".
 */
struct buf;
void	 channel_conf_init(struct channel_conf *, const char *name);
int	 channel_conf_set(struct channel_conf *, const char *key,
	    const char *value, char **cause);
int	 channel_conf_finish(struct channel_conf *, const char *dir,
	    char **cause);
void	 channel_conf_print(const struct channel_conf *, struct buf *);
/* A deep copy (the dispatcher keeps its own). */
void	 channel_conf_copy(struct channel_conf *, const struct channel_conf *);
/* Whether the channel's filter (types, severity, agencies, regions) takes e. */
int	 channel_match(const struct channel_conf *, const struct notify_event *);
/*
 * The JSON of a delivery: {"key","type","id","source","created",
 * "payload"} for one event, {"key","digest":true,"events":[...]} for a
 * digest, {"key","test":true,...} for a test.  Allocated.
 */
char	*channel_json(const struct notify_msg *);
/* text with the channel's secret and password replaced by "(secret)". */
char	*channel_scrub(const struct channel_conf *, const char *text);

/* dispatch.c: the dispatcher thread */
struct dispatch;
/*
 * Starts the thread with its own connection to the store at db and a
 * copy of the channels.  NULL with *cause if the store cannot be opened.
 */
struct dispatch *dispatch_start(const char *db, const struct channel_conf *,
	    size_t, char **cause);
/* New events were committed: look now rather than at the next poll. */
void	 dispatch_wake(struct dispatch *);
/* SIGHUP: a new channel set (copied), used from the next pass. */
void	 dispatch_reload(struct dispatch *, const struct channel_conf *,
	    size_t);
/*
 * Waits until a pass finds nothing due (or max_ms): for --once.  0 when
 * the outbox has nothing due, 1 on timeout.
 */
int	 dispatch_drain(struct dispatch *, long long max_ms);
/* Lets an attempt in flight end (within its timeout), joins, frees. */
void	 dispatch_stop(struct dispatch *);
/* The outbox backlog and failures per channel, Prometheus text. */
void	 dispatch_metrics(struct dispatch *, struct buf *);
/* The delay before retry n (1 = first retry), jitter from rnd. */
long long dispatch_backoff_ms(const struct channel_conf *, int attempts,
	    long long retry_after_ms, uint64_t rnd);
/* Sliding send windows of one channel (per second, per minute). */
struct dispatch_rate {
	int64_t		*sent;		/* ring of send times, ms */
	size_t		 cap, n, head;
	long		 per_second, per_minute;
};
void	 dispatch_rate_init(struct dispatch_rate *, long per_second,
	    long per_minute);
void	 dispatch_rate_release(struct dispatch_rate *);
/*
 * Sends allowed at now: -1 without limits; when 0, *free_at is when the
 * next one will be.
 */
long	 dispatch_rate_budget(struct dispatch_rate *, int64_t now,
	    int64_t *free_at);
void	 dispatch_rate_sent(struct dispatch_rate *, int64_t now);
/*
 * The windows of channel c as the store remembers them, for a start or a
 * channel new to a reload (a reload keeps the windows of the channels it
 * had): the sends of the last minute go into r, and *digest_at is the
 * last send within c's digest window, 0 if none; both on the monotonic
 * clock, whose now is mono_now when the wall clock's is wall_now.  So a
 * restart neither sends a robot more than its limit in a minute nor a
 * second digest mail within the window.
 */
struct store;
int	 dispatch_seed(struct store *, const struct channel_conf *c,
	    struct dispatch_rate *r, int64_t *digest_at, int64_t wall_now,
	    int64_t mono_now, char **cause);
/*
 * How the due deliveries (their digest keys in store_outbox_due's order:
 * formed digests first, NULL for the rest) are sent within budget sends
 * (-1 unlimited): formed digests as they are, then the rest one by one if
 * they fit, else merged into one new digest.  Fills out (room for n) and
 * returns the number of sends.
 */
struct dispatch_group {
	size_t	 first;		/* index of the first delivery */
	size_t	 n;		/* deliveries in the send */
	int	 digest;	/* sent as a digest */
	int	 fresh;		/* a new digest: its key must be recorded */
};
size_t	 dispatch_plan(const char *const *keys, size_t n, long budget,
	    struct dispatch_group *out);

#endif
