/*
 * request.c — parsing the pieces of a TAXII request: media types, Basic
 * credentials and the URL filters (from the query arguments libmicrohttpd
 * has split and percent-decoded).
 */
#include "taxii/taxii.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "util/time.h"

/* Trim spaces/tabs around [*s, *e). */
static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

static bool span_eq(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - s) == n && strncasecmp(s, lit, n) == 0;
}

/* One media range [s, e): type/subtype then ;params.  True when it names
 * TAXII with version 2.1 or none (or, with allow_wild, a wildcard). */
static bool media_range_ok(const char *s, const char *e, bool allow_wild)
{
	const char *semi = memchr(s, ';', (size_t)(e - s));
	const char *te = semi ? semi : e, *ts = s;
	bool version_ok = true;

	trim(&ts, &te);
	if (allow_wild && (span_eq(ts, te, "*/*") || span_eq(ts, te, "application/*")))
		return true;
	if (!span_eq(ts, te, "application/taxii+json"))
		return false;
	while (semi) {
		const char *ps = semi + 1, *pe, *eq;

		semi = memchr(ps, ';', (size_t)(e - ps));
		pe = semi ? semi : e;
		eq = memchr(ps, '=', (size_t)(pe - ps));
		if (!eq)
			continue;
		{
			const char *ks = ps, *ke = eq, *vs = eq + 1, *ve = pe;

			trim(&ks, &ke);
			trim(&vs, &ve);
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
				vs++;
				ve--;
			}
			if (span_eq(ks, ke, "version"))
				version_ok = span_eq(vs, ve, "2.1");
		}
	}
	return version_ok;
}

bool taxii_accept_ok(const char *accept)
{
	const char *s = accept, *comma;
	bool any = false;

	if (!accept)
		return true;
	for (;;) {
		const char *e;

		comma = strchr(s, ',');
		e = comma ? comma : s + strlen(s);
		{
			const char *ts = s, *te = e;

			trim(&ts, &te);
			if (ts < te) {
				any = true;
				if (media_range_ok(ts, te, true))
					return true;
			}
		}
		if (!comma)
			break;
		s = comma + 1;
	}
	return !any;
}

bool taxii_content_type_ok(const char *ct)
{
	if (!ct)
		return false;
	return media_range_ok(ct, ct + strlen(ct), false);
}

bool taxii_basic_auth_decode(const char *h, char *user, size_t un, char *pass, size_t pn)
{
	unsigned char dec[512];
	size_t len = 0, ulen;
	const char *colon;
	const char *b64;

	if (!h || strncasecmp(h, "Basic ", 6) != 0)
		return false;
	b64 = h + 6;
	while (*b64 == ' ')
		b64++;
	if (!*b64 || strlen(b64) > 4 * (sizeof(dec) / 3))
		return false;
	if (sodium_base642bin(dec, sizeof(dec) - 1, b64, strlen(b64), " ", &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return false;
	dec[len] = 0;
	colon = memchr(dec, ':', len);
	if (!colon || memchr(dec, 0, len)) {
		sodium_memzero(dec, sizeof(dec));
		return false;
	}
	ulen = (size_t)(colon - (const char *)dec);
	if (ulen == 0 || ulen >= un || len - ulen - 1 >= pn) {
		sodium_memzero(dec, sizeof(dec));
		return false;
	}
	memcpy(user, dec, ulen);
	user[ulen] = 0;
	memcpy(pass, colon + 1, len - ulen - 1);
	pass[len - ulen - 1] = 0;
	sodium_memzero(dec, sizeof(dec));
	return true;
}

/* Append the comma-separated items of value to *list. */
static int push_items(char ***list, size_t *n, const char *name, const char *value, cc_err *e)
{
	const char *s = value ? value : "";

	for (;;) {
		const char *comma = strchr(s, ','), *end = comma ? comma : s + strlen(s);
		const char *ts = s, *te = end;
		char **nl;

		trim(&ts, &te);
		if (ts == te)
			return cc_err_set(e, CC_EUSAGE, "%s: empty value", name);
		nl = realloc(*list, (*n + 1) * sizeof(**list));
		if (!nl)
			return cc_err_set(e, CC_ENOMEM, "%s: out of memory", name);
		*list = nl;
		nl[*n] = strndup(ts, (size_t)(te - ts));
		if (!nl[*n])
			return cc_err_set(e, CC_ENOMEM, "%s: out of memory", name);
		(*n)++;
		if (!comma)
			return 0;
		s = comma + 1;
	}
}

/* match[version]: keywords set bits, timestamps go to the list. */
static int parse_versions(taxii_filter *f, const char *value, cc_err *e)
{
	char **items = NULL;
	size_t n = 0, i;
	int rc = push_items(&items, &n, "match[version]", value, e);

	for (i = 0; rc == 0 && i < n; i++) {
		int64_t us;

		if (strcmp(items[i], "last") == 0) {
			f->versions |= STORE_VER_LAST;
		} else if (strcmp(items[i], "first") == 0) {
			f->versions |= STORE_VER_FIRST;
		} else if (strcmp(items[i], "all") == 0) {
			f->versions |= STORE_VER_ALL;
		} else if (cc_ts_parse(items[i], &us)) {
			int64_t *nv = realloc(f->version_us, (f->n_version_us + 1) * sizeof(*nv));

			if (!nv) {
				rc = cc_err_set(e, CC_ENOMEM, "match[version]: out of memory");
				break;
			}
			f->version_us = nv;
			nv[f->n_version_us++] = us;
		} else {
			rc = cc_err_set(e, CC_EUSAGE,
					"match[version]: '%.100s' is not last, first, all or a timestamp",
					items[i]);
		}
	}
	for (i = 0; i < n; i++)
		free(items[i]);
	free(items);
	return rc;
}

static int parse_positive(const char *name, const char *v, long long max, long long *out, cc_err *e)
{
	char *end;
	long long x;

	if (!v || !*v || !isdigit((unsigned char)*v))
		return cc_err_set(e, CC_EUSAGE, "%s: not a positive integer", name);
	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno || *end || x <= 0 || x > max)
		return cc_err_set(e, CC_EUSAGE, "%s: '%.40s' is not a positive integer", name, v);
	*out = x;
	return 0;
}

static int parse_one(taxii_filter *f, const taxii_arg *a, cc_err *e)
{
	const char *k = a->key;
	long long x;

	if (strcmp(k, "added_after") == 0) {
		if (!a->value || !cc_ts_parse(a->value, &f->added_after_us))
			return cc_err_set(e, CC_EUSAGE, "added_after: not a timestamp");
		if (f->added_after_us <= 0)
			f->added_after_us = 1;
		return 0;
	}
	if (strcmp(k, "limit") == 0) {
		if (parse_positive(k, a->value, 1000000000LL, &x, e))
			return CC_EUSAGE;
		f->limit = (size_t)x;
		return 0;
	}
	if (strcmp(k, "next") == 0) {
		if (parse_positive(k, a->value, INT64_MAX, &x, e))
			return CC_EUSAGE;
		f->next_us = x;
		return 0;
	}
	if (strcmp(k, "match[id]") == 0)
		return push_items(&f->ids, &f->n_ids, k, a->value, e);
	if (strcmp(k, "match[type]") == 0)
		return push_items(&f->types, &f->n_types, k, a->value, e);
	if (strcmp(k, "match[spec_version]") == 0)
		return push_items(&f->specs, &f->n_specs, k, a->value, e);
	if (strcmp(k, "match[version]") == 0)
		return parse_versions(f, a->value, e);
	return 0;
}

int taxii_filter_parse(const taxii_arg *args, size_t n, taxii_filter *f, cc_err *e)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n; i++) {
		int rc = parse_one(f, &args[i], e);

		if (rc) {
			taxii_filter_clear(f);
			return rc;
		}
	}
	return 0;
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void taxii_filter_clear(taxii_filter *f)
{
	if (!f)
		return;
	free_list(f->ids, f->n_ids);
	free_list(f->types, f->n_types);
	free_list(f->specs, f->n_specs);
	free(f->version_us);
	memset(f, 0, sizeof(*f));
}
