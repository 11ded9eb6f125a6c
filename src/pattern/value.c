/*
 * value.c — testing one observed value against one comparison, with the
 * type rules of the OASIS reference matcher: numbers compare across int
 * and float, strings by code point, binary (from *_hex / *_bin properties
 * or h''/b'' literals) byte-wise and against strings whose code points are
 * all below 256, timestamps against strings that parse as timestamps;
 * anything else compares unequal and unordered.  Also the regexes for
 * MATCHES and LIKE (PCRE2) and the CIDR arithmetic of ISSUBSET/ISSUPERSET.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern/pattern_int.h"
#include "util/unicode.h"
#include "util/time.h"
#include "util/xalloc.h"

/* What c->regex points to. */
typedef struct pregex {
	pcre2_code *utf;        /* for string values (UTF + UCP mode) */
	pcre2_code *bin;        /* for binary values; NULL when the regex has
				   code points >= 256 (binary never matches) */
} pregex;

/* ---- regexes ---- */

/* Latin-1 bytes of UTF-8 s when every code point is < 256; else NULL. */
static char *latin1_of(const char *s, size_t n, size_t *outlen)
{
	char *out = cc_xmalloc(n + 1);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			out[k++] = (char)c;
		} else if ((c == 0xc2 || c == 0xc3) && i + 1 < n) {
			out[k++] = (char)(((c & 3) << 6) | (s[i + 1] & 0x3f));
			i++;
		} else {
			free(out);
			return NULL;
		}
	}
	out[k] = '\0';
	*outlen = k;
	return out;
}

/* LIKE 'a%b_' as an anchored regex: % any run, _ any one character. */
static char *like_regex(const char *like)
{
	cc_buf b = CC_BUF_INIT;

	cc_buf_putc(&b, '^');
	for (const char *p = like; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '%')
			cc_buf_puts(&b, ".*");
		else if (c == '_')
			cc_buf_putc(&b, '.');
		else if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				       (c >= '0' && c <= '9')))
			cc_buf_printf(&b, "\\%c", c);
		else
			cc_buf_putc(&b, (char)c);
	}
	cc_buf_putc(&b, '$');
	return cc_buf_take(&b, NULL);
}

bool pcmp_compile(pattern_comparison *c, char *msg, size_t msgsz)
{
	pregex *rx;
	char *src, *lat, *nfc;
	const char *lit;
	size_t latlen = 0, nfclen;
	int errcode;
	PCRE2_SIZE erroff;

	if (c->op != PATTERN_OP_MATCHES && c->op != PATTERN_OP_LIKE)
		return true;
	/* The reference matcher compares NFC-normalised text. */
	nfc = cc_utf8_nfc(c->lit.str, strlen(c->lit.str), &nfclen);
	lit = nfc ? nfc : c->lit.str;
	src = c->op == PATTERN_OP_LIKE ? like_regex(lit) : cc_xstrdup(lit);
	free(nfc);
	rx = cc_xcalloc(1, sizeof(*rx));
	rx->utf = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
				PCRE2_UTF | PCRE2_UCP, &errcode, &erroff, NULL);
	if (!rx->utf) {
		PCRE2_UCHAR buf[200];

		pcre2_get_error_message(errcode, buf, sizeof(buf));
		snprintf(msg, msgsz, "%s at offset %zu", (char *)buf, (size_t)erroff);
		free(src);
		free(rx);
		return false;
	}
	lat = latin1_of(src, strlen(src), &latlen);
	if (lat)
		rx->bin = pcre2_compile((PCRE2_SPTR)lat, latlen, 0, &errcode,
					&erroff, NULL);
	free(lat);
	free(src);
	c->regex = rx;
	return true;
}

void pcmp_free_regex(pattern_comparison *c)
{
	pregex *rx = c->regex;

	if (!rx)
		return;
	pcre2_code_free(rx->utf);
	pcre2_code_free(rx->bin);
	free(rx);
	c->regex = NULL;
}

static bool rx_search(pcre2_code *code, const char *s, size_t n)
{
	pcre2_match_data *md;
	int rc;

	if (!code)
		return false;
	md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!md)
		abort();
	rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

/* rx_search on the NFC form of a text value, as the reference matcher does. */
static bool rx_search_text(pcre2_code *code, const char *s, size_t n)
{
	size_t nn;
	char *nfc = cc_utf8_nfc(s, n, &nn);
	bool r = nfc ? rx_search(code, nfc, nn) : rx_search(code, s, n);

	free(nfc);
	return r;
}

/* ---- CIDR ---- */

bool pcidr_parse(const char *s, int *family, unsigned char addr[16], int *prefix)
{
	char host[64];
	const char *slash = strchr(s, '/');
	size_t hn = slash ? (size_t)(slash - s) : strlen(s);
	int maxp;

	if (hn == 0 || hn >= sizeof(host))
		return false;
	memcpy(host, s, hn);
	host[hn] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, host, addr) == 1) {
		*family = 4;
		maxp = 32;
	} else if (inet_pton(AF_INET6, host, addr) == 1) {
		*family = 6;
		maxp = 128;
	} else {
		return false;
	}
	*prefix = maxp;
	if (slash) {
		const char *p = slash + 1;
		int v = 0;

		if (!*p || strlen(p) > 3)
			return false;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return false;
			v = v * 10 + (*p - '0');
		}
		if (v > maxp)
			return false;
		*prefix = v;
	}
	return true;
}

/* Is inner (address or network) inside outer (network)? */
static bool cidr_within(const char *inner, const char *outer)
{
	unsigned char a[16], b[16];
	int fa, fb, pa, pb;

	if (!pcidr_parse(inner, &fa, a, &pa) || !pcidr_parse(outer, &fb, b, &pb))
		return false;
	if (fa != fb || pb > pa)
		return false;
	for (int bit = 0; bit < pb; bit += 8) {
		int left = pb - bit;
		unsigned char mask = left >= 8 ? 0xff : (unsigned char)(0xff << (8 - left));

		if ((a[bit / 8] & mask) != (b[bit / 8] & mask))
			return false;
	}
	return true;
}

/* ---- typed values ---- */

typedef enum vkind { V_STR, V_BIN, V_INT, V_FLOAT, V_BOOL, V_OTHER } vkind;

typedef struct pval {
	vkind k;
	const char *s;          /* V_STR: UTF-8 bytes; V_BIN: bytes */
	size_t n;
	unsigned char *owned;   /* V_BIN decoded from hex/base64 */
	int64_t i;
	double f;
	bool b;
} pval;

/* Does the path end in a property whose name says binary (_hex/_bin)? */
static int binary_suffix(const pattern_path *path)
{
	const pattern_step *st = &path->steps[path->n_steps - 1];
	size_t n;

	if (st->kind != PATTERN_STEP_KEY)
		return 0;
	n = strlen(st->key);
	if (n >= 4 && !strcmp(st->key + n - 4, "_hex"))
		return 'h';
	if (n >= 4 && !strcmp(st->key + n - 4, "_bin"))
		return 'b';
	return 0;
}

/* Convert v to a typed value; false when it cannot be (bad hex/base64). */
static bool pval_of(pval *pv, const pattern_comparison *c, json_t *v)
{
	memset(pv, 0, sizeof(*pv));
	if (json_is_string(v)) {
		int suf = binary_suffix(&c->path);

		pv->k = V_STR;
		pv->s = json_string_value(v);
		pv->n = json_string_length(v);
		if (suf == 'h') {
			if (pv->n % 2)
				return false;
			pv->owned = cc_xmalloc(pv->n / 2 + 1);
			for (size_t i = 0; i < pv->n; i += 2) {
				int hi = cc_hex_digit(pv->s[i]), lo = cc_hex_digit(pv->s[i + 1]);

				if (hi < 0 || lo < 0) {
					free(pv->owned);
					return false;
				}
				pv->owned[i / 2] = (unsigned char)(hi << 4 | lo);
			}
			pv->n /= 2;
		} else if (suf == 'b') {
			if (!pb64_decode(pv->s, pv->n, &pv->owned, &pv->n))
				return false;
		}
		if (suf) {
			pv->k = V_BIN;
			pv->s = (const char *)pv->owned;
		}
	} else if (json_is_integer(v)) {
		pv->k = V_INT;
		pv->i = json_integer_value(v);
	} else if (json_is_real(v)) {
		pv->k = V_FLOAT;
		pv->f = json_real_value(v);
	} else if (json_is_boolean(v)) {
		pv->k = V_BOOL;
		pv->b = json_is_true(v);
	} else {
		pv->k = V_OTHER;
	}
	return true;
}

static int memcmp_len(const void *a, size_t an, const void *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int r = n ? memcmp(a, b, n) : 0;      /* h'' has no bytes (NULL) */

	if (r)
		return r;
	return an < bn ? -1 : an > bn;
}

/* Compare value pv with literal l: sets *cmp (<0, 0, >0) and returns
 * true when the two are comparable.  ordered: for <,>; equality also
 * accepts bool/bool. */
static bool compare(const pval *pv, const pattern_literal *l, bool ordered, int *cmp)
{
	size_t ln;
	char *lat;

	switch (l->kind) {
	case PATTERN_LIT_INT:
	case PATTERN_LIT_FLOAT: {
		double a, b = l->kind == PATTERN_LIT_INT ? (double)l->i : l->f;

		if (pv->k == V_INT && l->kind == PATTERN_LIT_INT) {
			*cmp = (pv->i > l->i) - (pv->i < l->i);
			return true;
		}
		if (pv->k != V_INT && pv->k != V_FLOAT)
			return false;
		a = pv->k == V_INT ? (double)pv->i : pv->f;
		*cmp = (a > b) - (a < b);
		return true;
	}
	case PATTERN_LIT_BOOL:
		if (ordered || pv->k != V_BOOL)
			return false;
		*cmp = pv->b != l->b;
		return true;
	case PATTERN_LIT_STRING:
		if (pv->k == V_STR) {
			*cmp = memcmp_len(pv->s, pv->n, l->str, l->len);
			return true;
		}
		if (pv->k != V_BIN)
			return false;
		lat = latin1_of(l->str, l->len, &ln);
		if (!lat)
			return false;
		*cmp = memcmp_len(pv->s, pv->n, lat, ln);
		free(lat);
		return true;
	case PATTERN_LIT_HEX:
	case PATTERN_LIT_BINARY:
		if (pv->k == V_BIN) {
			*cmp = memcmp_len(pv->s, pv->n, l->bytes, l->len);
			return true;
		}
		if (pv->k != V_STR)
			return false;
		lat = latin1_of(pv->s, pv->n, &ln);
		if (!lat)
			return false;
		*cmp = memcmp_len(lat, ln, l->bytes, l->len);
		free(lat);
		return true;
	case PATTERN_LIT_TIMESTAMP: {
		char tmp[64];
		int64_t us;

		if (pv->k != V_STR || pv->n >= sizeof(tmp))
			return false;
		memcpy(tmp, pv->s, pv->n);
		tmp[pv->n] = '\0';
		if (!cc_ts_parse(tmp, &us))
			return false;
		*cmp = (us > l->ts_us) - (us < l->ts_us);
		return true;
	}
	case PATTERN_LIT_SET:
		return false;
	}
	return false;
}

/* Python's "value in set" for one member: numbers (and booleans, which
 * Python counts as 0/1) numerically; strings, bytes, timestamps by type. */
static bool set_member_eq(const pval *pv, const pattern_literal *item)
{
	int cmp;

	if (item->kind == PATTERN_LIT_INT || item->kind == PATTERN_LIT_FLOAT ||
	    item->kind == PATTERN_LIT_BOOL) {
		double a, b;

		if (pv->k != V_INT && pv->k != V_FLOAT && pv->k != V_BOOL)
			return false;
		if (pv->k == V_INT && item->kind == PATTERN_LIT_INT)
			return pv->i == item->i;
		a = pv->k == V_INT ? (double)pv->i : pv->k == V_FLOAT ? pv->f : pv->b;
		b = item->kind == PATTERN_LIT_INT ? (double)item->i :
		    item->kind == PATTERN_LIT_FLOAT ? item->f : item->b;
		return a == b;
	}
	if (item->kind == PATTERN_LIT_STRING && pv->k != V_STR)
		return false;
	if ((item->kind == PATTERN_LIT_HEX || item->kind == PATTERN_LIT_BINARY) &&
	    pv->k != V_BIN)
		return false;
	return compare(pv, item, false, &cmp) && cmp == 0;
}

static bool test_pval(const pattern_comparison *c, const pval *pv)
{
	int cmp;
	const pregex *rx = c->regex;

	switch (c->op) {
	case PATTERN_OP_EQ:
		return compare(pv, &c->lit, false, &cmp) && cmp == 0;
	case PATTERN_OP_NE:
		return !(compare(pv, &c->lit, false, &cmp) && cmp == 0);
	case PATTERN_OP_LT:
		return compare(pv, &c->lit, true, &cmp) && cmp < 0;
	case PATTERN_OP_GT:
		return compare(pv, &c->lit, true, &cmp) && cmp > 0;
	case PATTERN_OP_LE:
		return compare(pv, &c->lit, true, &cmp) && cmp <= 0;
	case PATTERN_OP_GE:
		return compare(pv, &c->lit, true, &cmp) && cmp >= 0;
	case PATTERN_OP_IN:
		for (size_t i = 0; i < c->lit.n_items; i++)
			if (set_member_eq(pv, &c->lit.items[i]))
				return true;
		return false;
	case PATTERN_OP_LIKE:
		if (pv->k == V_BIN && !putf8_valid(pv->s, pv->n))
			return false;
		if (pv->k == V_STR)
			return rx_search_text(rx->utf, pv->s, pv->n);
		return pv->k == V_BIN && rx_search(rx->utf, pv->s, pv->n);
	case PATTERN_OP_MATCHES:
		if (pv->k == V_STR)
			return rx_search_text(rx->utf, pv->s, pv->n);
		return pv->k == V_BIN && rx_search(rx->bin, pv->s, pv->n);
	case PATTERN_OP_ISSUBSET:
		return pv->k == V_STR && strlen(pv->s) == pv->n &&
		       cidr_within(pv->s, c->lit.str);
	case PATTERN_OP_ISSUPERSET:
		return pv->k == V_STR && strlen(pv->s) == pv->n &&
		       cidr_within(c->lit.str, pv->s);
	case PATTERN_OP_EXISTS:
		return true;
	}
	return false;
}

bool pattern_value_test(const pattern_comparison *c, json_t *value)
{
	pval pv;
	bool r;

	if (!pval_of(&pv, c, value))
		return false;
	r = test_pval(c, &pv);
	free(pv.owned);
	return r;
}
