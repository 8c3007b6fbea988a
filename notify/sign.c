/*
 * The encodings the channels need: HMAC-SHA256 (webhook signatures,
 * DingTalk's and Feishu's signed requests), Base64, hex, percent-encoding
 * of a signature for a URL, and RFC 2047 encoded words for a UTF-8 mail
 * subject.  OpenSSL's libcrypto does the HMAC; the rest is small enough to
 * keep here rather than pull in another library.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/buf.h"
#include "../daemon/xmalloc.h"
#include "notify.h"

void
sign_hmac_sha256(const void *key, size_t keylen, const void *data,
    size_t len, unsigned char out[32])
{
	unsigned int outlen = 32;

	if (HMAC(EVP_sha256(), key, (int)keylen, data, len, out,
	    &outlen) == NULL)
		fatalx("HMAC-SHA256 failed");
}

char *
sign_base64(const unsigned char *p, size_t len)
{
	static const char al[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out, *o;
	size_t i;
	unsigned v;

	out = xmalloc((len + 2) / 3 * 4 + 1);
	o = out;
	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*o++ = al[v >> 18 & 63];
		*o++ = al[v >> 12 & 63];
		*o++ = al[v >> 6 & 63];
		*o++ = al[v & 63];
	}
	if (i < len) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)p[i + 1] << 8;
		*o++ = al[v >> 18 & 63];
		*o++ = al[v >> 12 & 63];
		*o++ = i + 1 < len ? al[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

char *
sign_hex(const unsigned char *p, size_t len)
{
	static const char hx[] = "0123456789abcdef";
	char *out;
	size_t i;

	out = xmalloc(len * 2 + 1);
	for (i = 0; i < len; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * len] = '\0';
	return out;
}

char *
sign_urlencode(const char *s)
{
	static const char hx[] = "0123456789ABCDEF";
	struct buf b;
	unsigned char c;

	buf_init(&b, 0);
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			buf_addc(&b, (char)c);
		else {
			buf_addc(&b, '%');
			buf_addc(&b, hx[c >> 4]);
			buf_addc(&b, hx[c & 15]);
		}
	}
	return buf_detach(&b);
}

/* Bytes of the UTF-8 sequence starting with c (1 for anything invalid). */
static size_t
sign_utf8_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

char *
sign_rfc2047(const char *s)
{
	struct buf b;
	const char *p;
	size_t len = strlen(s), i, n, chunk;
	char *enc;
	int ascii = 1;

	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80 || *p == '\r' || *p == '\n')
			ascii = 0;
	}
	if (ascii)
		return xstrdup(s);
	/*
	 * "=?UTF-8?B?" + "?=" is 12 characters, leaving 63 for Base64 in a
	 * 75-character word: at most 45 bytes of text, cut between UTF-8
	 * sequences so that each word decodes on its own (RFC 2047 §5).
	 */
	buf_init(&b, 0);
	for (i = 0; i < len; i += chunk) {
		chunk = 0;
		while (i + chunk < len) {
			n = sign_utf8_len((unsigned char)s[i + chunk]);
			if (chunk + n > 45)
				break;
			chunk += n;
		}
		if (chunk == 0)
			chunk = len - i < 45 ? len - i : 45;
		if (i + chunk > len)
			chunk = len - i;
		enc = sign_base64((const unsigned char *)s + i, chunk);
		buf_addf(&b, "%s=?UTF-8?B?%s?=", i == 0 ? "" : "\r\n ", enc);
		free(enc);
	}
	return buf_detach(&b);
}
