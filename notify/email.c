/*
 * The email channel: one mail through SMTP with libcurl (smtp:// with
 * STARTTLS required when tls = starttls, smtps:// when tls = tls, plain
 * when tls = none), AUTH with username and password when set.  The mail
 * is plain text, UTF-8, Base64 transfer encoding; the subject is RFC 2047
 * encoded words; the Message-ID is derived from the idempotency key, so
 * a redelivery after a crash has the same Message-ID and mail clients
 * and people see it as the same mail.  A digest is a message of several
 * events (the dispatcher groups them per digest window).
 *
 * Delivered means libcurl finished the transaction (250 after DATA);
 * a 4xx SMTP answer or a transport error is retryable, a 5xx is not.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../daemon/buf.h"
#include "../daemon/xmalloc.h"
#include "notify.h"
#include "robot.h"

#define EMAIL_MAX_TEXT		(256 * 1024)	/* bytes of a mail's text */
#define EMAIL_MAX_ANSWER	4096		/* server lines kept in raw */

struct email_ctx {
	const char	*data;		/* the whole mail */
	size_t		 len, off;
	struct buf	 answer;	/* what the server said */
};

static size_t
email_read(char *p, size_t size, size_t n, void *arg)
{
	struct email_ctx *ctx = arg;
	size_t room = size * n, left = ctx->len - ctx->off;

	if (room > left)
		room = left;
	memcpy(p, ctx->data + ctx->off, room);
	ctx->off += room;
	return room;
}

static int
email_debug(CURL *h, curl_infotype type, char *p, size_t len, void *arg)
{
	struct email_ctx *ctx = arg;
	size_t room;

	(void)h;
	/* the server's lines only: what we send may carry AUTH */
	if (type != CURLINFO_HEADER_IN)
		return 0;
	room = EMAIL_MAX_ANSWER - ctx->answer.len;
	(void)buf_add(&ctx->answer, p, len < room ? len : room);
	return 0;
}

/* The address inside "Name <addr>", or the whole string; allocated. */
static char *
email_addr(const char *s)
{
	const char *lt = strrchr(s, '<'), *gt;

	if (lt != NULL) {
		gt = strchr(lt, '>');
		if (gt != NULL)
			return xstrndup(lt + 1, (size_t)(gt - lt - 1));
	}
	return xstrdup(s);
}

/* A header value with CR and LF made spaces (no header injection). */
static void
email_header(struct buf *b, const char *name, const char *value)
{
	const char *p;

	buf_addf(b, "%s: ", name);
	for (p = value; *p != '\0'; p++)
		buf_addc(b, *p == '\r' || *p == '\n' ? ' ' : *p);
	buf_adds(b, "\r\n");
}

/* The mail, headers and Base64 body in lines of 76, allocated. */
static char *
email_build(const struct channel_conf *c, const struct notify_msg *m)
{
	struct buf b;
	unsigned char mac[32];
	char *title, *subject, *text, *b64, *hex, *from, *dom, date[64];
	const char *key = m->key != NULL && *m->key != '\0' ? m->key :
	    "nianbao";
	size_t i, len;
	struct tm tm;
	time_t now = (time_t)(robot_now_ms() / 1000);

	buf_init(&b, 0);
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	email_header(&b, "Date", date);
	email_header(&b, "From", c->mail_from);
	buf_adds(&b, "To: ");
	for (i = 0; c->mail_to[i] != NULL; i++)
		buf_addf(&b, "%s%s", i > 0 ? ", " : "", c->mail_to[i]);
	buf_adds(&b, "\r\n");
	title = message_title(m);
	subject = sign_rfc2047(title);
	buf_addf(&b, "Subject: %s\r\n", subject);
	free(subject);
	free(title);
	/* the same key gives the same Message-ID: a duplicate is one mail */
	sign_hmac_sha256("nianbao-message-id", 18, key, strlen(key), mac);
	hex = sign_hex(mac, 16);
	from = email_addr(c->mail_from);
	dom = strchr(from, '@');
	buf_addf(&b, "Message-ID: <%s@%s>\r\n", hex, dom != NULL && dom[1] !=
	    '\0' && strpbrk(dom + 1, "<>\r\n ") == NULL ? dom + 1 : "nianbao");
	free(from);
	free(hex);
	email_header(&b, "X-Nianbao-Idempotency-Key", key);
	buf_adds(&b, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n");
	text = message_text(m, MESSAGE_PLAIN, EMAIL_MAX_TEXT);
	b64 = sign_base64((const unsigned char *)text, strlen(text));
	len = strlen(b64);
	for (i = 0; i < len; i += 76) {
		buf_add(&b, b64 + i, len - i < 76 ? len - i : 76);
		buf_adds(&b, "\r\n");
	}
	free(b64);
	free(text);
	return buf_detach(&b);
}

/* The SMTP URL for the tls setting: tls = tls means smtps://. */
static char *
email_url(const struct channel_conf *c)
{
	if (c->tls == CHANNEL_TLS_TLS && strncmp(c->url, "smtp://", 7) == 0)
		return xprintf("smtps://%s", c->url + 7);
	return xstrdup(c->url);
}

int
email_send(const struct channel_conf *c, const struct notify_msg *m,
    struct notify_answer *a)
{
	struct email_ctx ctx;
	struct curl_slist *rcpt = NULL, *tmp;
	CURL *h = NULL;
	CURLcode rc;
	char errbuf[CURL_ERROR_SIZE], *mail = NULL, *url = NULL, *from = NULL;
	char *addr, *safe;
	size_t i;
	int ret = -1;

	memset(&ctx, 0, sizeof ctx);
	buf_init(&ctx.answer, EMAIL_MAX_ANSWER);
	errbuf[0] = '\0';
	if (c->url == NULL || c->mail_from == NULL || c->mail_to == NULL ||
	    c->mail_to[0] == NULL) {
		a->error = xstrdup("email: url, from and to are needed");
		goto out;
	}
	mail = email_build(c, m);
	ctx.data = mail;
	ctx.len = strlen(mail);
	url = email_url(c);
	from = email_addr(c->mail_from);
	for (i = 0; c->mail_to[i] != NULL; i++) {
		addr = email_addr(c->mail_to[i]);
		tmp = curl_slist_append(rcpt, addr);
		free(addr);
		if (tmp == NULL)
			fatalx("curl_slist_append: out of memory");
		rcpt = tmp;
	}
	h = curl_easy_init();
	if (h == NULL) {
		a->error = xstrdup("curl_easy_init failed");
		a->retryable = 1;
		goto out;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, email_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &ctx);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)ctx.len);
	curl_easy_setopt(h, CURLOPT_USE_SSL, c->tls == CHANNEL_TLS_STARTTLS ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, c->tls_verify ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, c->tls_verify ? 2L : 0L);
	if (c->username != NULL)
		curl_easy_setopt(h, CURLOPT_USERNAME, c->username);
	if (c->password != NULL)
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(c->timeout_ms > 0 ?
	    c->timeout_ms : 30000));
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, email_debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &ctx);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
	a->raw = xstrdup(buf_str(&ctx.answer));
	if (rc == CURLE_OK) {
		a->delivered = 1;
		ret = 0;
		goto out;
	}
	safe = post_url_safe(c->url);
	if (a->status >= 400)
		a->error = xprintf("email %s: %s (SMTP %ld)", safe,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc),
		    a->status);
	else
		a->error = xprintf("email %s: %s", safe, errbuf[0] != '\0' ?
		    errbuf : curl_easy_strerror(rc));
	free(safe);
	/* 4xx: try again later; 5xx: the server refuses; none: transport */
	if (a->status >= 400 && a->status < 500)
		a->retryable = 1;
	else if (a->status >= 500)
		a->retryable = 0;
	else
		/* a server without STARTTLS will not grow one: configuration */
		a->retryable = rc != CURLE_LOGIN_DENIED &&
		    rc != CURLE_USE_SSL_FAILED &&
		    rc != CURLE_UNSUPPORTED_PROTOCOL && rc != CURLE_URL_MALFORMAT;
out:
	if (h != NULL)
		curl_easy_cleanup(h);
	curl_slist_free_all(rcpt);
	buf_release(&ctx.answer);
	free(from);
	free(url);
	free(mail);
	return ret;
}
