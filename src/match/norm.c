/*
 * norm.c — the arena, hashing, and the normal forms that make exact lookups
 * exact: addresses, domains, URLs, e-mail addresses, hashes, log times.
 */
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"

uint32_t mt_arena_put(mt_arena *a, const void *p, size_t n)
{
	size_t off = a->len;

	if (a->len + n + 1 > UINT32_MAX)
		return UINT32_MAX;
	if (a->len + n + 1 > a->cap) {
		size_t cap = a->cap ? a->cap : 1 << 16;
		char *d;

		while (cap < a->len + n + 1)
			cap *= 2;
		d = realloc(a->data, cap);
		if (!d)
			return UINT32_MAX;
		a->data = d;
		a->cap = cap;
	}
	if (n)
		memcpy(a->data + off, p, n);
	a->data[off + n] = '\0';
	a->len += n + 1;
	return (uint32_t)off;
}

void mt_arena_free(mt_arena *a)
{
	if (!a)
		return;
	free(a->data);
	memset(a, 0, sizeof(*a));
}

static inline uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t mt_hash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);

	while (n >= 8) {
		h = mix(h ^ rd64(s), 0xa0761d6478bd642full);
		s += 8;
		n -= 8;
	}
	if (n) {
		uint64_t t = 0;

		memcpy(&t, s, n);
		h = mix(h ^ t, 0xe7037ed1a0b428dbull);
	}
	return mix(h, 0x8ebc6af09c88c6e3ull);
}

/* ---- addresses ---- */

static bool parse_v4(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		uint32_t o = 0;
		size_t start = i;

		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3)
			o = o * 10 + (uint32_t)(s[i++] - '0');
		if (i == start || o > 255 || (i - start > 1 && s[start] == '0'))
			return false;
		v = (v << 8) | o;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
	}
	if (i != n)
		return false;
	*out = v;
	return true;
}

static bool parse_v6(const char *s, size_t n, uint16_t w[8])
{
	uint16_t a[8], b[8];
	int na = 0, nb = 0;
	bool dbl = false;
	size_t i = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		dbl = true;
		i = 2;
	} else if (n && s[0] == ':') {
		return false;
	}
	while (i < n) {
		size_t st = i;
		uint32_t v = 0;
		uint16_t *dst = dbl ? b : a;
		int *cnt = dbl ? &nb : &na;

		if (na + nb >= 8)
			return false;
		while (i < n && cc_hex_digit((unsigned char)s[i]) >= 0 && i - st < 4)
			v = v * 16 + (uint32_t)cc_hex_digit((unsigned char)s[i++]);
		if (i < n && s[i] == '.') {	/* embedded IPv4 at the end */
			uint32_t v4;

			if (na + nb > 6 || !parse_v4(s + st, n - st, &v4))
				return false;
			dst[(*cnt)++] = (uint16_t)(v4 >> 16);
			dst[(*cnt)++] = (uint16_t)v4;
			i = n;
			break;
		}
		if (i == st)
			return false;
		dst[(*cnt)++] = (uint16_t)v;
		if (i == n)
			break;
		if (s[i] != ':')
			return false;
		i++;
		if (i < n && s[i] == ':') {
			if (dbl)
				return false;
			dbl = true;
			i++;
		} else if (i == n) {
			return false;
		}
	}
	if (dbl ? na + nb > 7 : na != 8)
		return false;
	memset(w, 0, 16);
	memcpy(w, a, (size_t)na * 2);
	memcpy(w + 8 - nb, b, (size_t)nb * 2);
	return true;
}

bool mt_ip_parse(const char *s, size_t n, bool cidr, mt_ip *out)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	int pfx = -1;
	uint16_t w[8];

	if (slash) {
		const char *q = slash + 1;
		size_t qn = n - an - 1;

		if (!cidr || qn == 0 || qn > 3)
			return false;
		pfx = 0;
		for (size_t i = 0; i < qn; i++) {
			if (q[i] < '0' || q[i] > '9')
				return false;
			pfx = pfx * 10 + (q[i] - '0');
		}
	}
	memset(out, 0, sizeof(*out));
	if (an && memchr(s, ':', an) == NULL) {
		if (!parse_v4(s, an, &out->v4) || pfx > 32)
			return false;
		out->family = 4;
		out->prefix = pfx < 0 ? 32 : pfx;
	} else {
		if (an == 0 || an > 45 || !parse_v6(s, an, w) || pfx > 128)
			return false;
		for (int i = 0; i < 4; i++) {
			out->hi = out->hi << 16 | w[i];
			out->lo = out->lo << 16 | w[i + 4];
		}
		out->family = 6;
		out->prefix = pfx < 0 ? 128 : pfx;
		/* ::ffff:a.b.c.d/n (n >= 96) is the IPv4 a.b.c.d/(n-96) */
		if (out->hi == 0 && (out->lo >> 32) == 0xffff && out->prefix >= 96) {
			out->family = 4;
			out->v4 = (uint32_t)out->lo;
			out->prefix -= 96;
			out->hi = out->lo = 0;
		}
	}
	if (out->family == 4) {
		if (out->prefix < 32)
			out->v4 &= out->prefix ? ~0u << (32 - out->prefix) : 0;
	} else if (out->prefix < 128) {
		if (out->prefix <= 64) {
			out->lo = 0;
			out->hi &= out->prefix ? ~0ull << (64 - out->prefix) : 0;
		} else {
			out->lo &= ~0ull << (128 - out->prefix);
		}
	}
	return true;
}

/* ---- strings ---- */

static int lower_copy(const char *v, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	return (int)n;
}

static int norm_domain(const char *v, size_t n, char *out)
{
	if (n && v[n - 1] == '.')
		n--;
	if (n == 0)
		return -1;
	return lower_copy(v, n, out);
}

/* Hex digests: case-insensitive, ':' separators (certificate fingerprints
 * as Suricata writes them) dropped. */
static int norm_hash(const char *v, size_t n, char *out)
{
	int o = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)v[i];

		if (c == ':')
			continue;
		if (cc_hex_digit(c) < 0)
			return -1;
		out[o++] = (char)(c >= 'A' && c <= 'F' ? c + 32 : c);
	}
	return o ? o : -1;
}

/* E-mail: the domain part is case-insensitive, the local part is kept. */
static int norm_email(const char *v, size_t n, char *out)
{
	const char *lt = memchr(v, '<', n);
	const char *gt = lt ? memchr(lt, '>', n - (size_t)(lt - v)) : NULL;
	const char *at;

	if (gt) {	/* "Name <a@b>": the address inside */
		n = (size_t)(gt - lt - 1);
		v = lt + 1;
	}
	at = memrchr(v, '@', n);
	if (!at || at == v || at == v + n - 1)
		return -1;
	memcpy(out, v, (size_t)(at - v));
	lower_copy(at, n - (size_t)(at - v), out + (at - v));
	return (int)n;
}

static bool unreserved(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/* URL: scheme and host lower-cased, the scheme's default port dropped, an
 * empty path made "/", percent-escapes of unreserved characters decoded and
 * the others' hex upper-cased.  No scheme means "http://". */
static int norm_url(const char *v, size_t n, char *out)
{
	const char *sep = n > 3 ? memmem(v, n, "://", 3) : NULL;
	size_t o = 0, i, hs, he;
	const char *scheme = "http";
	size_t sl = 4;

	if (sep && sep > v && sep - v < 16) {
		scheme = v;
		sl = (size_t)(sep - v);
		i = sl + 3;
	} else {
		i = 0;
	}
	if (sl + 3 + n + 1 > MT_NORM_MAX)
		return -1;
	o = (size_t)lower_copy(scheme, sl, out);
	memcpy(out + o, "://", 3);
	o += 3;
	hs = i;
	while (i < n && v[i] != '/' && v[i] != '?' && v[i] != '#')
		i++;
	he = i;
	if (he == hs)
		return -1;
	{
		const char *at = memrchr(v + hs, '@', he - hs);
		size_t h0 = at ? (size_t)(at - v) + 1 : hs;
		size_t hend = he;	/* end of the host name */
		size_t pst = he;	/* start of ":port" kept, he when none */

		memcpy(out + o, v + hs, h0 - hs);	/* userinfo as is */
		o += h0 - hs;
		for (size_t j = he; j > h0; j--) {
			if (v[j - 1] == ']')
				break;
			if (v[j - 1] == ':') {
				const char *port = v + j;
				size_t pl = he - j;
				bool dflt = pl == 0 ||
					(pl == 2 && !memcmp(port, "80", 2) && sl == 4 && !memcmp(out, "http", 4)) ||
					(pl == 3 && !memcmp(port, "443", 3) && sl == 5 && !memcmp(out, "https", 5)) ||
					(pl == 2 && !memcmp(port, "21", 2) && sl == 3 && !memcmp(out, "ftp", 3));

				hend = j - 1;
				pst = dflt ? he : j - 1;
				break;
			}
		}
		if (hend > h0 && v[hend - 1] == '.')
			hend--;
		o += (size_t)lower_copy(v + h0, hend - h0, out + o);
		memcpy(out + o, v + pst, he - pst);
		o += he - pst;
	}
	if (i == n || v[i] != '/')
		out[o++] = '/';
	for (; i < n; i++) {
		int c = (unsigned char)v[i];

		if (c == '%' && i + 2 < n && cc_hex_digit((unsigned char)v[i + 1]) >= 0 &&
		    cc_hex_digit((unsigned char)v[i + 2]) >= 0) {
			int d = cc_hex_digit((unsigned char)v[i + 1]) * 16 + cc_hex_digit((unsigned char)v[i + 2]);

			if (unreserved(d)) {
				out[o++] = (char)d;
			} else {
				out[o++] = '%';
				out[o++] = "0123456789ABCDEF"[d >> 4];
				out[o++] = "0123456789ABCDEF"[d & 15];
			}
			i += 2;
		} else {
			out[o++] = (char)c;
		}
	}
	return (int)o;
}

int mt_norm(mt_kind k, const char *v, size_t n, char *out)
{
	if (n == 0 || n >= MT_NORM_MAX - 16)
		return -1;
	switch (k) {
	case MK_DOMAIN:
	case MK_HOST:
		return norm_domain(v, n, out);
	case MK_URL:
		return norm_url(v, n, out);
	case MK_EMAIL:
		return norm_email(v, n, out);
	case MK_MD5:
	case MK_SHA1:
	case MK_SHA256:
	case MK_SHA512:
	case MK_X509_SHA1:
	case MK_X509_SHA256:
	case MK_X509_SERIAL:
	case MK_HASH_ANY:
		return norm_hash(v, n, out);
	default:
		memcpy(out, v, n);
		return (int)n;
	}
}
