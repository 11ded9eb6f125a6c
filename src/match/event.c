/*
 * event.c — log events: what their fields mean in STIX, finishing them
 * (escapes, joined URLs, DNS answers), and the time stamps of logs.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "match/match_int.h"

static const char *const kind_path[MK_COUNT] = {
	[MK_NONE] = "",
	[MK_SRC_IP] = "network-traffic:src_ref.value",
	[MK_DST_IP] = "network-traffic:dst_ref.value",
	[MK_IP] = "ipv4-addr:value",
	[MK_SRC_PORT] = "network-traffic:src_port",
	[MK_DST_PORT] = "network-traffic:dst_port",
	[MK_PROTO] = "network-traffic:protocols[*]",
	[MK_DOMAIN] = "domain-name:value",
	[MK_URL] = "url:value",
	[MK_EMAIL] = "email-addr:value",
	[MK_MD5] = "file:hashes.MD5",
	[MK_SHA1] = "file:hashes.'SHA-1'",
	[MK_SHA256] = "file:hashes.'SHA-256'",
	[MK_SHA512] = "file:hashes.'SHA-512'",
	[MK_FILE_NAME] = "file:name",
	[MK_X509_SHA1] = "x509-certificate:hashes.'SHA-1'",
	[MK_X509_SHA256] = "x509-certificate:hashes.'SHA-256'",
	[MK_X509_SUBJECT] = "x509-certificate:subject",
	[MK_X509_ISSUER] = "x509-certificate:issuer",
	[MK_X509_SERIAL] = "x509-certificate:serial_number",
	[MK_UA] = "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'",
	[MK_HTTP_METHOD] = "network-traffic:extensions.'http-request-ext'.request_method",
	[MK_URI] = "network-traffic:extensions.'http-request-ext'.request_value",
	[MK_HOST] = "domain-name:value",
	[MK_ANSWER] = "domain-name:value",
	[MK_HASH_ANY] = "file:hashes",
};

const char *mt_kind_path(mt_kind k)
{
	return (unsigned)k < MK_COUNT ? kind_path[k] : "";
}

/* Column names of Zeek logs and common CSV headers. */
static const struct { const char *name; mt_kind k; } columns[] = {
	{ "id.orig_h", MK_SRC_IP }, { "id.resp_h", MK_DST_IP },
	{ "id.orig_p", MK_SRC_PORT }, { "id.resp_p", MK_DST_PORT },
	{ "proto", MK_PROTO }, { "protocol", MK_PROTO },
	{ "src", MK_SRC_IP }, { "src_ip", MK_SRC_IP }, { "source_ip", MK_SRC_IP },
	{ "srcip", MK_SRC_IP }, { "src_addr", MK_SRC_IP }, { "client_ip", MK_SRC_IP },
	{ "dst", MK_DST_IP }, { "dst_ip", MK_DST_IP }, { "dest_ip", MK_DST_IP },
	{ "destination_ip", MK_DST_IP }, { "dstip", MK_DST_IP }, { "dst_addr", MK_DST_IP },
	{ "server_ip", MK_DST_IP },
	{ "ip", MK_IP }, { "addr", MK_IP }, { "address", MK_IP }, { "ip_address", MK_IP },
	{ "src_port", MK_SRC_PORT }, { "sport", MK_SRC_PORT },
	{ "dst_port", MK_DST_PORT }, { "dest_port", MK_DST_PORT }, { "dport", MK_DST_PORT },
	{ "query", MK_DOMAIN }, { "domain", MK_DOMAIN }, { "hostname", MK_DOMAIN },
	{ "fqdn", MK_DOMAIN }, { "server_name", MK_DOMAIN }, { "sni", MK_DOMAIN },
	{ "san.dns", MK_DOMAIN }, { "qname", MK_DOMAIN }, { "rrname", MK_DOMAIN },
	{ "host", MK_HOST },
	{ "uri", MK_URI },
	{ "url", MK_URL },
	{ "answers", MK_ANSWER },
	{ "email", MK_EMAIL }, { "mailfrom", MK_EMAIL }, { "rcptto", MK_EMAIL },
	{ "from", MK_EMAIL }, { "to", MK_EMAIL }, { "sender", MK_EMAIL },
	{ "recipient", MK_EMAIL }, { "san.email", MK_EMAIL },
	{ "md5", MK_MD5 }, { "sha1", MK_SHA1 }, { "sha256", MK_SHA256 },
	{ "sha512", MK_SHA512 }, { "sha-1", MK_SHA1 }, { "sha-256", MK_SHA256 },
	{ "hash", MK_HASH_ANY },
	{ "filename", MK_FILE_NAME }, { "file_name", MK_FILE_NAME },
	{ "fingerprint", MK_X509_SHA256 }, { "cert_chain_fps", MK_X509_SHA256 },
	{ "client_cert_chain_fps", MK_X509_SHA256 },
	{ "certificate.subject", MK_X509_SUBJECT }, { "certificate.issuer", MK_X509_ISSUER },
	{ "certificate.serial", MK_X509_SERIAL }, { "subject", MK_X509_SUBJECT },
	{ "issuer", MK_X509_ISSUER }, { "serial", MK_X509_SERIAL },
	{ "san.ip", MK_IP }, { "tx_hosts", MK_IP }, { "rx_hosts", MK_IP },
	{ "user_agent", MK_UA }, { "method", MK_HTTP_METHOD },
};

mt_kind mt_kind_of_column(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		if (strlen(columns[i].name) == n && !strncasecmp(columns[i].name, name, n))
			return columns[i].k;
	return MK_NONE;
}

static const struct { const char *path; mt_kind k; } paths[] = {
	{ "ipv4-addr:value", MK_IP }, { "ipv6-addr:value", MK_IP },
	{ "network-traffic:src_ref.value", MK_SRC_IP },
	{ "network-traffic:dst_ref.value", MK_DST_IP },
	{ "network-traffic:src_port", MK_SRC_PORT }, { "network-traffic:dst_port", MK_DST_PORT },
	{ "network-traffic:protocols[*]", MK_PROTO },
	{ "domain-name:value", MK_DOMAIN }, { "url:value", MK_URL },
	{ "email-addr:value", MK_EMAIL },
	{ "file:hashes.MD5", MK_MD5 }, { "file:hashes.'MD5'", MK_MD5 },
	{ "file:hashes.'SHA-1'", MK_SHA1 }, { "file:hashes.SHA1", MK_SHA1 },
	{ "file:hashes.'SHA-256'", MK_SHA256 }, { "file:hashes.SHA256", MK_SHA256 },
	{ "file:hashes.'SHA-512'", MK_SHA512 }, { "file:hashes.SHA512", MK_SHA512 },
	{ "file:name", MK_FILE_NAME },
	{ "x509-certificate:hashes.'SHA-1'", MK_X509_SHA1 },
	{ "x509-certificate:hashes.'SHA-256'", MK_X509_SHA256 },
	{ "x509-certificate:subject", MK_X509_SUBJECT },
	{ "x509-certificate:issuer", MK_X509_ISSUER },
	{ "x509-certificate:serial_number", MK_X509_SERIAL },
	{ "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'", MK_UA },
	{ "network-traffic:extensions.'http-request-ext'.request_method", MK_HTTP_METHOD },
};

mt_kind mt_kind_of_path(const char *path)
{
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!strcmp(paths[i].path, path))
			return paths[i].k;
	return MK_NONE;
}

const char *mt_event_keep(mt_event *ev, const char *p, size_t n)
{
	char *d;

	if (ev->scratch_len + n + 1 > ev->scratch_cap) {
		/* fields already point into scratch: never move it, start a
		 * new region only when empty (events are small) */
		size_t cap = ev->scratch_cap ? ev->scratch_cap : 1 << 16;

		if (ev->scratch_len)
			return NULL;
		while (cap < n + 1)
			cap *= 2;
		d = realloc(ev->scratch, cap);
		if (!d)
			return NULL;
		ev->scratch = d;
		ev->scratch_cap = cap;
	}
	d = ev->scratch + ev->scratch_len;
	memcpy(d, p, n);
	d[n] = '\0';
	ev->scratch_len += n + 1;
	return d;
}

int64_t mt_event_ts(mt_event *ev)
{
	if (!ev->ts_done) {
		int64_t us;

		ev->ts_done = true;
		if (ev->ts_p && mt_parse_time(ev->ts_p, ev->ts_n, &us))
			ev->ts_us = us;
	}
	return ev->ts_us;
}

void mt_event_reset(mt_event *ev)
{
	ev->nf = 0;
	ev->obs_key = 0;
	ev->flow_p = ev->tx_p = NULL;
	ev->ts_us = INT64_MIN;
	ev->ts_p = NULL;
	ev->ts_done = true;
	ev->scratch_len = 0;
}

void mt_event_free(mt_event *ev)
{
	if (!ev)
		return;
	free(ev->scratch);
	ev->scratch = NULL;
	ev->scratch_cap = ev->scratch_len = 0;
}

static bool looks_ip(const char *p, size_t n)
{
	mt_ip ip;

	return n <= 45 && mt_ip_parse(p, n, false, &ip);
}

void mt_event_finish(mt_event *ev)
{
	const mt_field *host = NULL, *uri = NULL;
	size_t nf = ev->nf;

	for (size_t i = 0; i < nf; i++) {
		mt_field *f = &ev->f[i];

		if (f->flags & MT_F_ESCAPED) {
			char tmp[MT_NORM_MAX];
			int n = f->n < sizeof(tmp) ? mt_json_unescape(f->p, f->n, tmp) : -1;
			const char *k = n >= 0 ? mt_event_keep(ev, tmp, (size_t)n) : NULL;

			if (k) {
				f->p = k;
				f->n = (uint32_t)n;
			}
			f->flags &= (uint16_t)~MT_F_ESCAPED;
		}
		if (f->kind == MK_ANSWER)
			f->kind = looks_ip(f->p, f->n) ? MK_IP : MK_DOMAIN;
		else if (f->kind == MK_HASH_ANY)
			f->kind = f->n == 32 ? MK_MD5 : f->n == 40 ? MK_SHA1 :
				  f->n == 64 ? MK_SHA256 : f->n == 128 ? MK_SHA512 : MK_NONE;
		else if (f->kind == MK_X509_SHA256 && f->n == 40)
			f->kind = MK_X509_SHA1;	/* Zeek before 4 wrote SHA-1 fingerprints */
		else if (f->kind == MK_HOST && !host)
			host = f;
		else if (f->kind == MK_URI && !uri)
			uri = f;
	}
	if (host && uri && uri->n && host->n + uri->n + 8 < MT_NORM_MAX) {
		char tmp[MT_NORM_MAX];
		size_t n = 0;
		const char *k;

		if (uri->n > 4 && (!memcmp(uri->p, "http", 4))) {
			memcpy(tmp, uri->p, uri->n);	/* proxy style: absolute */
			n = uri->n;
		} else {
			memcpy(tmp, "http://", 7);
			memcpy(tmp + 7, host->p, host->n);
			n = 7 + host->n;
			if (uri->p[0] != '/')
				tmp[n++] = '/';
			memcpy(tmp + n, uri->p, uri->n);
			n += uri->n;
		}
		k = mt_event_keep(ev, tmp, n);
		if (k)
			mt_event_add(ev, MK_URL, k, n, 0);
	}
	/* a Host header may carry a port or be an address literal */
	if (host) {
		mt_field *h = (mt_field *)host;
		const char *c = memchr(h->p, ':', h->n);

		if (looks_ip(h->p, h->n)) {
			h->kind = MK_IP;
		} else {
			if (c && memchr(c + 1, ':', h->n - (size_t)(c + 1 - h->p)) == NULL)
				h->n = (uint32_t)(c - h->p);
			h->kind = MK_DOMAIN;
		}
	}
}

/* ---- time ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* At s[*i]: an optional ".digits"; its value in microseconds (digits
 * past the sixth are dropped). */
static int64_t fraction(const char *s, size_t n, size_t *i)
{
	int64_t frac = 0, scale = 1000000;

	if (*i >= n || s[*i] != '.')
		return 0;
	for ((*i)++; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		if (scale > 1) {
			scale /= 10;
			frac += (s[*i] - '0') * scale;
		}
	}
	return frac;
}

static bool parse_epoch(const char *s, size_t n, int64_t *us)
{
	int64_t sec = 0, frac;
	size_t i = 0;

	if (n == 0 || n > 30)
		return false;
	/* past year 3000 (32503680000 s) it is no time: stop before the
	 * multiplication could overflow */
	while (i < n && s[i] >= '0' && s[i] <= '9' && sec <= 32503680000ll)
		sec = sec * 10 + (s[i++] - '0');
	if (i == 0 || sec > 32503680000ll)
		return false;
	frac = fraction(s, n, &i);
	if (i != n)
		return false;
	*us = sec * 1000000 + frac;
	return true;
}

bool mt_parse_time(const char *s, size_t n, int64_t *us)
{
	int y, mo, d, h, mi, se;
	int64_t frac, off = 0;
	size_t i = 19;

	if (n < 19 || s[4] != '-')
		return parse_epoch(s, n, us);
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &se))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return false;
	frac = fraction(s, n, &i);
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int oh, om = 0;
		int sign = s[i] == '-' ? -1 : 1;

		if (i + 3 > n || !digits(s + i + 1, 2, &oh))
			return false;
		i += 3;
		if (i < n && s[i] == ':')
			i++;
		if (i + 2 <= n && digits(s + i, 2, &om))
			i += 2;
		off = sign * (int64_t)(oh * 3600 + om * 60);
	}
	if (i != n)
		return false;
	*us = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se) - off) *
		      1000000 + frac;
	return true;
}

static void put_utf8(char **o, unsigned cp)
{
	char *p = *o;

	if (cp < 0x80) {
		*p++ = (char)cp;
	} else if (cp < 0x800) {
		*p++ = (char)(0xc0 | cp >> 6);
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (char)(0xe0 | cp >> 12);
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (char)(0xf0 | cp >> 18);
		*p++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = p;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int d = cc_hex_digit((unsigned char)s[i]);

		if (d < 0)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

int mt_json_unescape(const char *s, size_t n, char *out)
{
	char *o = out;

	for (size_t i = 0; i < n; i++) {
		unsigned cp;

		if (s[i] != '\\') {
			*o++ = s[i];
			continue;
		}
		if (++i >= n)
			return -1;
		switch (s[i]) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (i + 4 >= n || hex4(s + i + 1, &cp) < 0)
				return -1;
			i += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < n && s[i + 1] == '\\' &&
			    s[i + 2] == 'u') {
				unsigned lo;

				if (hex4(s + i + 3, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					i += 6;
				}
			}
			/* 4 output bytes never exceed the 6+ input bytes consumed */
			put_utf8(&o, cp);
			break;
		default:
			return -1;
		}
	}
	return (int)(o - out);
}
