/*
 * wl.c — warning lists: MISP's warning-list JSON read into lookups that
 * cost nothing per log line (they are asked about indicators' values when
 * the matcher is compiled, and about the values of a hit).
 *
 * Addresses and CIDRs go into one sorted array per prefix length and
 * family (62,745 public resolvers are one array of /32s): a value is on a
 * list when, for some present prefix length L no longer than its own, its
 * address masked to L is in the array of L.  Strings (exact and hostname
 * entries, ASCII lower-cased) go into one open-addressing table; a
 * hostname entry also holds its subdomains.  Substring and regex entries
 * are tested one by one (such lists are short).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/wl_int.h"
#include "util/hash.h"
#include "util/ip.h"
#include "util/xalloc.h"

an_wlset *an_wlset_new(void)
{
	return calloc(1, sizeof(an_wlset));
}

static void list_clear(wl_list *l)
{
	free(l->name);
	free(l->description);
	free(l->type_name);
	for (size_t i = 0; i < l->n_subs; i++)
		free(l->subs[i]);
	free(l->subs);
	for (size_t i = 0; i < l->n_rx; i++)
		pcre2_code_free(l->rx[i]);
	free(l->rx);
}

void an_wlset_free(an_wlset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		list_clear(&s->lists[i]);
	free(s->lists);
	for (int p = 0; p <= 128; p++) {
		if (p <= 32)
			free(s->v4[p].v);
		free(s->v6[p].v);
	}
	free(s->strs);
	free(s->keys);
	free(s);
}

size_t an_wlset_count(const an_wlset *s)
{
	return s ? s->n : 0;
}

void an_wlset_meta(const an_wlset *s, size_t i, an_wl_meta *out)
{
	const wl_list *l = &s->lists[i];

	out->name = l->name;
	out->description = l->description ? l->description : "";
	out->type = l->type_name;
	out->entries = l->entries;
}

/* ---- addresses ---- */

bool an_cidr_parse(const char *v, size_t n, wl_addr *a)
{
	cc_ip ip;

	if (!cc_ip_parse(v, n, true, &ip))
		return false;
	a->family = ip.family;
	a->prefix = ip.prefix;
	a->hi = a->lo = 0;
	if (ip.family == 4) {
		a->lo = (uint64_t)ip.addr[0] << 24 | (uint64_t)ip.addr[1] << 16 | (uint64_t)ip.addr[2] << 8 |
			ip.addr[3];
		return true;
	}
	for (int i = 0; i < 8; i++) {
		a->hi = a->hi << 8 | ip.addr[i];
		a->lo = a->lo << 8 | ip.addr[8 + i];
	}
	/* IPv4-mapped IPv6 (::ffff:a.b.c.d) is IPv4 */
	if (a->hi == 0 && (a->lo >> 32) == 0xffff && a->prefix >= 96) {
		a->family = 4;
		a->lo &= 0xffffffffu;
		a->prefix -= 96;
	}
	return true;
}

/* a masked to its first bits bits. */
static wl_addr masked(const wl_addr *a, int bits)
{
	wl_addr m = *a;

	if (a->family == 4) {
		m.lo = bits == 0 ? 0 : a->lo & (0xffffffffu << (32 - bits)) & 0xffffffffu;
	} else if (bits <= 64) {
		m.hi = bits == 0 ? 0 : a->hi & (~0ull << (64 - bits));
		m.lo = 0;
	} else {
		m.lo = bits == 128 ? a->lo : a->lo & (~0ull << (128 - bits));
	}
	return m;
}

static int ipent_cmp(const void *x, const void *y)
{
	const wl_ipent *a = x, *b = y;

	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

static void ip_add(an_wlset *s, const wl_addr *a, uint32_t list)
{
	wl_iptab *t = a->family == 4 ? &s->v4[a->prefix] : &s->v6[a->prefix];
	wl_addr m = masked(a, a->prefix);

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = cc_xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n++] = (wl_ipent){ m.hi, m.lo, list };
	t->dirty = true;
}

static void ip_sort(an_wlset *s)
{
	for (int p = 0; p <= 128; p++) {
		wl_iptab *ts[2] = { p <= 32 ? &s->v4[p] : NULL, &s->v6[p] };

		for (int i = 0; i < 2; i++)
			if (ts[i] && ts[i]->dirty) {
				qsort(ts[i]->v, ts[i]->n, sizeof(*ts[i]->v), ipent_cmp);
				ts[i]->dirty = false;
			}
	}
}

/* A list (of category cat) holding address a: its name, or NULL. */
static const char *ip_find(const an_wlset *s, const wl_addr *a, unsigned cat)
{
	for (int p = a->prefix; p >= 0; p--) {
		const wl_iptab *t = a->family == 4 ? &s->v4[p] : &s->v6[p];
		wl_addr m;
		wl_ipent key, *hit;

		if (!t->n)
			continue;
		m = masked(a, p);
		key = (wl_ipent){ m.hi, m.lo, 0 };
		hit = bsearch(&key, t->v, t->n, sizeof(*t->v), ipent_cmp);
		if (!hit)
			continue;
		/* equal keys sit side by side: any of their lists that applies */
		while (hit > t->v && !ipent_cmp(hit - 1, &key))
			hit--;
		for (; hit < t->v + t->n && !ipent_cmp(hit, &key); hit++)
			if (s->lists[hit->list].cats & cat)
				return s->lists[hit->list].name;
	}
	return NULL;
}

/* ---- strings ---- */

/* ASCII lower case of v into out (n + 1 bytes), NUL-terminated. */
static void lower(const char *v, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (v[i] >= 'A' && v[i] <= 'Z') ? (char)(v[i] + 32) : v[i];
	out[n] = '\0';
}

static void str_grow(an_wlset *s)
{
	size_t cap = s->scap ? s->scap * 2 : 1024;
	wl_strent *v = cc_xcalloc(cap, sizeof(*v));

	for (size_t i = 0; i < s->scap; i++) {
		size_t j;

		if (!s->strs[i].len)
			continue;
		for (j = s->strs[i].h & (cap - 1); v[j].len; j = (j + 1) & (cap - 1))
			;
		v[j] = s->strs[i];
	}
	free(s->strs);
	s->strs = v;
	s->scap = cap;
}

static void str_add(an_wlset *s, const char *v, size_t n, uint32_t list)
{
	char *k = cc_xmalloc(n + 1);
	uint64_t h;
	size_t j;

	lower(v, n, k);
	h = cc_fnv1a(k, n);
	if ((s->ns + 1) * 2 > s->scap)
		str_grow(s);
	if (s->nkeys + n > s->capkeys) {
		s->capkeys = (s->nkeys + n) * 2 + 4096;
		s->keys = cc_xrealloc(s->keys, s->capkeys);
	}
	memcpy(s->keys + s->nkeys, k, n);
	free(k);
	for (j = h & (s->scap - 1); s->strs[j].len; j = (j + 1) & (s->scap - 1))
		;
	s->strs[j] = (wl_strent){ h, (uint32_t)s->nkeys, (uint32_t)n, list };
	s->nkeys += n;
	s->ns++;
}

/* A list whose type is in types (bits 1 << WL_*) and category cat holding
 * the lower-cased k exactly: its name, or NULL. */
static const char *str_find(const an_wlset *s, const char *k, size_t n, unsigned types, unsigned cat)
{
	uint64_t h;

	if (!s->scap || n == 0)
		return NULL;
	h = cc_fnv1a(k, n);
	for (size_t j = h & (s->scap - 1); s->strs[j].len; j = (j + 1) & (s->scap - 1)) {
		const wl_strent *x = &s->strs[j];
		const wl_list *l = x->list < s->n ? &s->lists[x->list] : NULL;

		if (x->list < s->n && x->h == h && x->len == n && !memcmp(s->keys + x->off, k, n) &&
		    (types >> l->type & 1) && (l->cats & cat))
			return l->name;
	}
	return NULL;
}

/* Substring and regex lists of category cat that match k. */
static const char *scan_find(const an_wlset *s, const char *k, size_t n, unsigned cat)
{
	for (size_t i = 0; i < s->n; i++) {
		const wl_list *l = &s->lists[i];

		if (!(l->cats & cat))
			continue;
		for (size_t j = 0; j < l->n_subs; j++)
			if (memmem(k, n, l->subs[j], strlen(l->subs[j])))
				return l->name;
		for (size_t j = 0; j < l->n_rx; j++) {
			pcre2_match_data *md = pcre2_match_data_create_from_pattern(l->rx[j], NULL);
			int rc = md ? pcre2_match(l->rx[j], (PCRE2_SPTR)k, n, 0, 0, md, NULL) : -1;

			pcre2_match_data_free(md);
			if (rc >= 0)
				return l->name;
		}
	}
	return NULL;
}

/* The host of a URL (lower-cased into out, cap bytes), or NULL. */
static const char *url_host(const char *v, size_t n, char *out, size_t cap)
{
	const char *p = memmem(v, n, "://", 3), *end = v + n, *h;
	size_t hn;

	p = p ? p + 3 : v;
	h = p;
	while (p < end && *p != '/' && *p != '?' && *p != '#')
		p++;
	if (memchr(h, '@', (size_t)(p - h)))
		h = (const char *)memchr(h, '@', (size_t)(p - h)) + 1;
	hn = (size_t)(p - h);
	if (hn && h[0] == '[') {                /* [v6]:port */
		const char *rb = memchr(h, ']', hn);

		if (!rb)
			return NULL;
		h++;
		hn = (size_t)(rb - h);
	} else if (memchr(h, ':', hn)) {
		hn = (size_t)((const char *)memchr(h, ':', hn) - h);
	}
	if (hn == 0 || hn >= cap)
		return NULL;
	lower(h, hn, out);
	return out;
}

/* A hostname on a list: the name itself (string or hostname lists), then
 * each parent domain (hostname lists). */
static const char *host_find(const an_wlset *s, const char *k, size_t n, unsigned cat)
{
	const char *r;
	wl_addr a;

	if (an_cidr_parse(k, n, &a))
		return ip_find(s, &a, CAT_ADDR);
	while (n && k[n - 1] == '.')
		n--;
	r = str_find(s, k, n, 1u << WL_STRING | 1u << WL_HOSTNAME, cat);
	for (size_t i = 0; !r && i < n; i++)
		if (k[i] == '.' && i + 1 < n)
			r = str_find(s, k + i + 1, n - i - 1, 1u << WL_HOSTNAME, cat);
	return r;
}

unsigned an_wl_path_cat(const char *path)
{
	static const struct { const char *prefix; unsigned cat; } cats[] = {
		{ "ipv4-addr:value", CAT_ADDR }, { "ipv6-addr:value", CAT_ADDR },
		{ "network-traffic:src_ref.value", CAT_ADDR }, { "network-traffic:dst_ref.value", CAT_ADDR },
		{ "domain-name:value", CAT_DOMAIN }, { "url:value", CAT_URL },
		{ "email-addr:value", CAT_EMAIL }, { "file:hashes.", CAT_HASH },
		{ "file:name", CAT_FILENAME }, { "x509-certificate:hashes.", CAT_X509 },
	};

	for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		if (!strncmp(path, cats[i].prefix, strlen(cats[i].prefix)))
			return cats[i].cat;
	return 0;
}

const char *an_wl_find(const an_wlset *s, const char *path, const char *v, size_t n)
{
	unsigned cat = an_wl_path_cat(path);
	char k[1024], host[256];
	const char *r = NULL;
	size_t kn = 0;
	wl_addr a;

	if (!s || !cat || n >= sizeof(k))
		return NULL;
	if (cat == CAT_ADDR)
		return an_cidr_parse(v, n, &a) ? ip_find(s, &a, CAT_ADDR) : NULL;
	for (size_t i = 0; i < n; i++)         /* hashes: lower-case, no ':' */
		if (!((cat == CAT_HASH || cat == CAT_X509) && v[i] == ':'))
			k[kn++] = v[i];
	lower(k, kn, k);
	if (cat == CAT_DOMAIN)
		r = host_find(s, k, kn, cat);
	else
		r = str_find(s, k, kn, 1u << WL_STRING, cat);
	if (!r && cat == CAT_URL && url_host(k, kn, host, sizeof(host)))
		r = host_find(s, host, strlen(host), cat | CAT_DOMAIN);
	return r ? r : scan_find(s, k, kn, cat);
}

const char *an_wl_broad(const char *path, const char *v, size_t n)
{
	unsigned cat = an_wl_path_cat(path);
	wl_addr a;

	if (cat == CAT_ADDR && an_cidr_parse(v, n, &a)) {
		if (a.family == 4 && a.prefix < 16)
			return "an address range wider than /16";
		if (a.family == 6 && a.prefix < 32)
			return "an address range wider than /32";
	}
	if (cat == CAT_DOMAIN) {
		while (n && v[n - 1] == '.')
			n--;
		if (n && !memchr(v, '.', n))
			return "a top-level domain";
	}
	return NULL;
}

/* ---- reading MISP's format ---- */

/* The categories of MISP attribute types (matching_attributes). */
static unsigned misp_cat(const char *t)
{
	static const struct { const char *t; unsigned cat; } m[] = {
		{ "ip-src", CAT_ADDR }, { "ip-dst", CAT_ADDR }, { "ip-src|port", CAT_ADDR },
		{ "ip-dst|port", CAT_ADDR }, { "domain|ip", CAT_ADDR | CAT_DOMAIN },
		{ "domain", CAT_DOMAIN }, { "hostname", CAT_DOMAIN }, { "hostname|port", CAT_DOMAIN },
		{ "url", CAT_URL }, { "uri", CAT_URL }, { "link", CAT_URL },
		{ "email", CAT_EMAIL }, { "email-src", CAT_EMAIL }, { "email-dst", CAT_EMAIL },
		{ "target-email", CAT_EMAIL }, { "whois-registrant-email", CAT_EMAIL },
		{ "filename", CAT_FILENAME }, { "x509-fingerprint-md5", CAT_X509 },
		{ "x509-fingerprint-sha1", CAT_X509 }, { "x509-fingerprint-sha256", CAT_X509 },
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (!strcmp(m[i].t, t))
			return m[i].cat;
	if (!strncmp(t, "filename|", 9))
		return CAT_FILENAME | CAT_HASH;
	if (!strncmp(t, "md5", 3) || !strncmp(t, "sha", 3) || !strcmp(t, "ssdeep") ||
	    !strcmp(t, "tlsh") || !strcmp(t, "imphash") || !strcmp(t, "authentihash"))
		return CAT_HASH;
	return 0;
}

static int type_of(const char *t)
{
	static const char *const names[] = {
		[WL_CIDR] = "cidr", [WL_STRING] = "string", [WL_HOSTNAME] = "hostname",
		[WL_SUBSTRING] = "substring", [WL_REGEX] = "regex",
	};

	for (int i = 0; i < WL_NTYPES; i++)
		if (!strcmp(names[i], t))
			return i;
	return -1;
}

/* A regex entry, as written or between /delimiters/ with flags. */
static pcre2_code *rx_compile(const char *src, char *msg, size_t msgsz)
{
	size_t n = strlen(src);
	uint32_t opts = PCRE2_UTF;
	const char *end = n > 1 && src[0] == '/' ? strrchr(src, '/') : NULL;
	int err;
	PCRE2_SIZE off;
	pcre2_code *rx;

	if (end && end > src) {
		for (const char *f = end + 1; *f; f++)
			if (*f == 'i')
				opts |= PCRE2_CASELESS;
		src++;
		n = (size_t)(end - src);
	}
	rx = pcre2_compile((PCRE2_SPTR)src, n, opts, &err, &off, NULL);
	if (!rx) {
		PCRE2_UCHAR buf[128];

		pcre2_get_error_message(err, buf, sizeof(buf));
		snprintf(msg, msgsz, "%s at offset %zu", (const char *)buf, (size_t)off);
	}
	return rx;
}

/* Add entry i (string v) of list l (number li); false with e set. */
static bool add_entry(an_wlset *s, wl_list *l, uint32_t li, const char *v, const char *origin,
		      size_t i, cc_err *e)
{
	char msg[160];
	wl_addr a;

	switch (l->type) {
	case WL_CIDR:
		if (!an_cidr_parse(v, strlen(v), &a))
			return cc_err_set(e, CC_ERR, "%s: list[%zu]: '%.60s' is not an address or CIDR",
					  origin, i, v), false;
		ip_add(s, &a, li);
		break;
	case WL_STRING:
	case WL_HOSTNAME:
		str_add(s, v, strlen(v), li);
		break;
	case WL_SUBSTRING:
		l->subs = cc_xrealloc(l->subs, (l->n_subs + 1) * sizeof(*l->subs));
		l->subs[l->n_subs] = cc_xmalloc(strlen(v) + 1);
		lower(v, strlen(v), l->subs[l->n_subs++]);
		break;
	default:
		l->rx = cc_xrealloc(l->rx, (l->n_rx + 1) * sizeof(*l->rx));
		l->rx[l->n_rx] = rx_compile(v, msg, sizeof(msg));
		if (!l->rx[l->n_rx])
			return cc_err_set(e, CC_ERR, "%s: list[%zu]: bad regular expression: %s",
					  origin, i, msg), false;
		l->n_rx++;
		break;
	}
	l->entries++;
	return true;
}

/* Check the envelope of a list; fills l's name, type and categories. */
static int read_head(const json_t *root, const char *origin, wl_list *l, cc_err *e)
{
	const char *name = json_string_value(json_object_get(root, "name"));
	const char *type = json_string_value(json_object_get(root, "type"));
	const char *desc = json_string_value(json_object_get(root, "description"));
	json_t *ma = json_object_get(root, "matching_attributes"), *x;
	size_t i;

	if (!json_is_object(root))
		return cc_err_set(e, CC_ERR, "%s: not a warning list (a JSON object)", origin);
	if (!name || !*name)
		return cc_err_set(e, CC_ERR, "%s: name: missing or not a string", origin);
	if (!type || type_of(type) < 0)
		return cc_err_set(e, CC_ERR, "%s: type: '%s' is not cidr, string, hostname, substring "
				  "or regex", origin, type ? type : "(missing)");
	if (!json_is_array(json_object_get(root, "list")))
		return cc_err_set(e, CC_ERR, "%s: list: missing or not an array", origin);
	if (ma && !json_is_array(ma))
		return cc_err_set(e, CC_ERR, "%s: matching_attributes: not an array", origin);
	l->type = type_of(type);
	json_array_foreach(ma, i, x) {
		if (!json_is_string(x))
			return cc_err_set(e, CC_ERR, "%s: matching_attributes[%zu]: not a string", origin, i);
		l->cats |= misp_cat(json_string_value(x));
	}
	if (!json_array_size(ma))
		l->cats = l->type == WL_CIDR ? CAT_ADDR : CAT_ALL & ~CAT_ADDR;
	if (l->type == WL_CIDR)
		l->cats |= CAT_ADDR;    /* an address list is about addresses */
	l->name = cc_xstrdup(name);
	l->type_name = cc_xstrdup(type);
	l->description = desc ? cc_xstrdup(desc) : NULL;
	return 0;
}

int an_wlset_add_json(an_wlset *s, const char *text, size_t len, const char *origin, cc_err *e)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je), *x;
	wl_list l = { 0 };
	size_t i;
	int rc;

	if (!root)
		return cc_err_set(e, CC_ERR, "%s:%d: invalid JSON: %s", origin, je.line, je.text);
	rc = read_head(root, origin, &l, e);
	for (i = 0; rc == 0 && i < s->n; i++)
		if (!strcmp(s->lists[i].name, l.name))
			rc = cc_err_set(e, CC_ECONFLICT, "%s: a list named '%s' is there already", origin, l.name);
	json_array_foreach(json_object_get(root, "list"), i, x) {
		if (rc)
			break;
		if (!json_is_string(x) || !*json_string_value(x))
			rc = cc_err_set(e, CC_ERR, "%s: list[%zu]: not a non-empty string", origin, i);
		else if (!add_entry(s, &l, (uint32_t)s->n, json_string_value(x), origin, i, e))
			rc = CC_ERR;
	}
	json_decref(root);
	if (rc) {
		an_wl_forget(s, (uint32_t)s->n);
		list_clear(&l);
		return rc;
	}
	ip_sort(s);
	s->lists = cc_xrealloc(s->lists, (s->n + 1) * sizeof(*s->lists));
	s->lists[s->n++] = l;
	return 0;
}

/* Drop the entries of list number li (a list that failed half-way). */
void an_wl_forget(an_wlset *s, uint32_t li)
{
	for (int p = 0; p <= 128; p++) {
		wl_iptab *ts[2] = { p <= 32 ? &s->v4[p] : NULL, &s->v6[p] };

		for (int t = 0; t < 2; t++) {
			size_t k = 0;

			for (size_t i = 0; ts[t] && i < ts[t]->n; i++)
				if (ts[t]->v[i].list != li)
					ts[t]->v[k++] = ts[t]->v[i];
			if (ts[t])
				ts[t]->n = k;
		}
	}
	for (size_t j = 0; j < s->scap; j++)
		if (s->strs[j].len && s->strs[j].list == li)
			s->strs[j].list = UINT32_MAX;   /* a tombstone: never matches */
}
