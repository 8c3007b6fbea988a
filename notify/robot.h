/*
 * What the three robot channels (dingtalk.c, wecom.c, feishu.c) share:
 * the POST of a JSON body and the reading of the answer, which says
 * success or failure in its JSON (errcode, code or StatusCode), not in
 * its HTTP status: DingTalk and WeCom answer 200 on every error.
 */
#ifndef ROBOT_H
#define ROBOT_H

#include <stdint.h>

struct channel_conf;
struct notify_answer;

struct robot_api {
	const char	*name;		/* "dingtalk", for error texts */
	const char *const *code_keys;	/* members holding the code, in order */
	const char *const *msg_keys;	/* members holding the message */
	const long	*retry_codes;	/* rate limits and the like, 0-ended */
	long long	 retry_ms;	/* wait asked for on a retry code */
};

/*
 * POSTs the JSON body to url with the idempotency key in a header and
 * judges the answer: delivered when a code member is 0; retryable on a
 * transport error, HTTP 429 or 5xx, a retry code or an answer that is
 * not JSON; failed otherwise.  Returns 0 if delivered, else -1.
 */
int	 robot_post(const struct robot_api *, const struct channel_conf *,
	    const char *url, const char *body, const char *key,
	    struct notify_answer *);

/* Wall-clock milliseconds for a signature (never NIANBAO_NOW's shift). */
int64_t	 robot_now_ms(void);

#endif
