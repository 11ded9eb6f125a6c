/*
 * log.c — access-log lines, built without printf (one per request) and
 * escaped: whatever a client sends (method, path, user name) reaches the
 * log only as text that cannot end the line, split a field or forge one;
 * and the server's other messages, escaped too and limited in rate.
 */
#include "taxii/taxii_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/time.h"

void taxii_log_put(taxii_log_line *l, const char *s, size_t n)
{
	if (n > sizeof(l->v) - 1 - l->n)
		n = sizeof(l->v) - 1 - l->n;
	memcpy(l->v + l->n, s, n);
	l->n += n;
}

static void put_hex(taxii_log_line *l, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

	taxii_log_put(l, e, sizeof(e));
}

/* The length of the UTF-8 sequence at s (n bytes left) when it is valid
 * and printable (not C1, U+2028 or U+2029); 0 otherwise. */
static size_t utf8_ok(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;	/* no overlong forms */
	else if (s[0] == 0xed)
		hi = 0x9f;	/* no surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;	/* nothing past U+10FFFF */
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	if (s[0] == 0xc2 && s[1] < 0xa0)
		return 0;	/* C1 controls */
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9))
		return 0;	/* line and paragraph separators */
	return len;
}

/* Append str escaped; spaces too unless keep_space. */
static void esc(taxii_log_line *l, const char *str, size_t n, bool keep_space)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, from = 0;	/* bytes [from, i) pass as they are */

	while (i < n) {
		unsigned char c = s[i];
		size_t k;

		if (c > 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c == ' ' && keep_space) {
			i++;
			continue;
		}
		if (c >= 0x80 && (k = utf8_ok(s + i, n - i)) != 0) {
			i += k;
			continue;
		}
		taxii_log_put(l, str + from, i - from);
		put_hex(l, c);
		from = ++i;
	}
	taxii_log_put(l, str + from, n - from);
}

void taxii_log_esc(taxii_log_line *l, const char *s, size_t n)
{
	esc(l, s, n, false);
}

void taxii_log_text(taxii_log_line *l, const char *s, size_t n)
{
	esc(l, s, n, true);
}

void taxii_log_u64(taxii_log_line *l, uint64_t x)
{
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	taxii_log_put(l, d + i, sizeof(d) - i);
}

/* The seconds are formatted once per second per thread. */
void taxii_log_time(taxii_log_line *l)
{
	static _Thread_local int64_t sec = -1;
	static _Thread_local char prefix[CC_TS_MAX];	/* "...T08:17:27" */
	int64_t now = cc_now_us();
	unsigned ms = (unsigned)(now % 1000000 / 1000);
	char frac[6] = { '.', (char)('0' + ms / 100), (char)('0' + ms / 10 % 10),
			 (char)('0' + ms % 10), 'Z', 0 };

	if (now / 1000000 != sec) {
		sec = now / 1000000;
		cc_ts_format(sec * 1000000, 0, prefix);
		prefix[19] = 0;		/* drop the "Z" */
	}
	taxii_log_put(l, prefix, 19);
	taxii_log_put(l, frac, 5);
}

/* IPv4 by hand: inet_ntop formats it with sprintf, and an address is
 * formatted per request (the access log's, the audit trail's). */
void taxii_addr_text(const struct sockaddr *sa, char out[INET6_ADDRSTRLEN])
{
	out[0] = '-';
	out[1] = '\0';
	if (sa && sa->sa_family == AF_INET) {
		const unsigned char *b =
			(const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
		char *p = out;

		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			if (b[i] >= 100)
				*p++ = (char)('0' + b[i] / 100);
			if (b[i] >= 10)
				*p++ = (char)('0' + b[i] / 10 % 10);
			*p++ = (char)('0' + b[i] % 10);
		}
		*p = '\0';
	} else if (sa && sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  INET6_ADDRSTRLEN);
	}
}

void taxii_log_addr(taxii_log_line *l, const struct sockaddr *sa)
{
	char a[INET6_ADDRSTRLEN];

	taxii_addr_text(sa, a);
	taxii_log_put(l, a, strlen(a));
}

void taxii_log_write(taxii_log_line *l)
{
	if (l->n == sizeof(l->v) - 1)
		l->n--;		/* a cut line still ends */
	l->v[l->n++] = '\n';
	(void)!write(STDERR_FILENO, l->v, l->n);
}

void taxii_log_message(taxii_log_limit *lim, const char *fmt, va_list ap)
{
	int64_t sec = cc_mono_us() / 1000000;
	unsigned dropped;
	char msg[512];
	taxii_log_line l;
	size_t n;

	pthread_mutex_lock(&lim->mu);
	if (sec != lim->sec) {
		lim->sec = sec;
		lim->n = 0;
	}
	if (lim->n++ >= TAXII_LOG_PER_SEC) {
		lim->dropped++;
		pthread_mutex_unlock(&lim->mu);
		return;
	}
	dropped = lim->dropped;
	lim->dropped = 0;
	pthread_mutex_unlock(&lim->mu);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		n--;
	l.n = 0;
	taxii_log_put(&l, "cybercell: serve: ", 18);
	taxii_log_text(&l, msg, n);
	if (dropped) {
		taxii_log_put(&l, " (", 2);
		taxii_log_u64(&l, dropped);
		taxii_log_put(&l, " more messages not shown)", 25);
	}
	taxii_log_write(&l);
}

void taxii_log_request(const struct sockaddr *addr, const char *method, const char *path,
		       int status, size_t bytes, int64_t us, const char *user, bool aborted)
{
	taxii_log_line l;

	/* <time> <address> <method> "<path>" <status> <bytes> <µs>us <user>[ (aborted)],
	 * what the client chose escaped */
	l.n = 0;
	taxii_log_time(&l);
	taxii_log_put(&l, " ", 1);
	taxii_log_addr(&l, addr);
	taxii_log_put(&l, " ", 1);
	taxii_log_esc(&l, method, strlen(method));
	taxii_log_put(&l, " \"", 2);
	taxii_log_esc(&l, path, strlen(path));
	taxii_log_put(&l, "\" ", 2);
	taxii_log_u64(&l, (uint64_t)(status > 0 ? status : 0));
	taxii_log_put(&l, " ", 1);
	taxii_log_u64(&l, bytes);
	taxii_log_put(&l, " ", 1);
	taxii_log_u64(&l, (uint64_t)us);
	taxii_log_put(&l, "us ", 3);
	if (user[0])
		taxii_log_esc(&l, user, strlen(user));
	else
		taxii_log_put(&l, "-", 1);
	if (aborted)
		taxii_log_put(&l, " (aborted)", 10);
	taxii_log_write(&l);
}
