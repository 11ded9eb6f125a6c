/*
 * index.c — the exact indexes: addresses and CIDRs in one open-addressing
 * table per prefix length (probed longest first, only for the lengths that
 * occur), and one open-addressing string set keyed by (kind, normal form).
 * Entries are 8 (IPv4), 24 (IPv6) and 12 (strings) bytes; tables stay at
 * most half full.
 */
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"

#define EMPTY UINT32_MAX
#define DUPBIT 0x80000000u

int mt_dups_add(mt_dups *d, uint32_t *slot, uint32_t ind)
{
	uint32_t cur = *slot;

	if (cur == EMPTY) {
		*slot = ind;
		return 0;
	}
	if (d->n + 4 > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 1024;
		uint32_t *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return CC_ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	if (!(cur & DUPBIT)) {	/* turn a single value into a chain of one */
		if (d->n / 2 >= DUPBIT)
			return CC_ENOMEM;
		d->v[d->n] = cur;
		d->v[d->n + 1] = EMPTY;
		cur = DUPBIT | (uint32_t)(d->n / 2);
		d->n += 2;
	}
	d->v[d->n] = ind;
	d->v[d->n + 1] = cur;
	*slot = DUPBIT | (uint32_t)(d->n / 2);
	d->n += 2;
	return 0;
}

size_t mt_dups_each(const mt_dups *d, uint32_t val, mt_hit_fn fn, void *ud)
{
	size_t n = 0;

	if (!(val & DUPBIT)) {
		fn(ud, val);
		return 1;
	}
	while (val != EMPTY) {
		size_t i = (size_t)(val & ~DUPBIT) * 2;

		fn(ud, d->v[i]);
		n++;
		val = d->v[i + 1];
	}
	return n;
}

static inline uint32_t h32(uint32_t k)
{
	uint64_t h = (uint64_t)k * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 32);
}

static inline uint32_t h128(uint64_t hi, uint64_t lo)
{
	uint64_t h = (hi ^ (lo * 0xc2b2ae3d27d4eb4full)) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 32);
}

/* ---- IPv4 ---- */

static int t4_grow(mt_ip4tab *t)
{
	uint32_t ncap = t->mask ? (t->mask + 1) * 2 : 16;
	uint32_t *k = malloc(ncap * sizeof(*k));
	uint32_t *v = malloc(ncap * sizeof(*v));

	if (!k || !v) {
		free(k);
		free(v);
		return CC_ENOMEM;
	}
	memset(v, 0xff, ncap * sizeof(*v));
	for (uint32_t i = 0; t->mask && i <= t->mask; i++) {
		uint32_t j;

		if (t->vals[i] == EMPTY)
			continue;
		for (j = h32(t->keys[i]) & (ncap - 1); v[j] != EMPTY; j = (j + 1) & (ncap - 1))
			;
		k[j] = t->keys[i];
		v[j] = t->vals[i];
	}
	free(t->keys);
	free(t->vals);
	t->keys = k;
	t->vals = v;
	t->mask = ncap - 1;
	return 0;
}

static uint32_t *t4_slot(mt_ip4tab *t, uint32_t key, bool insert)
{
	uint32_t j;

	if (!t->mask)
		return NULL;
	for (j = h32(key) & t->mask; t->vals[j] != EMPTY; j = (j + 1) & t->mask)
		if (t->keys[j] == key)
			return &t->vals[j];
	if (!insert)
		return NULL;
	t->keys[j] = key;
	t->used++;
	return &t->vals[j];
}

/* ---- IPv6 ---- */

static int t6_grow(mt_ip6tab *t)
{
	uint32_t ncap = t->mask ? (t->mask + 1) * 2 : 16;
	mt_ip6ent *e = malloc(ncap * sizeof(*e));

	if (!e)
		return CC_ENOMEM;
	for (uint32_t i = 0; i < ncap; i++)
		e[i].val = EMPTY;
	for (uint32_t i = 0; t->mask && i <= t->mask; i++) {
		uint32_t j;

		if (t->e[i].val == EMPTY)
			continue;
		for (j = h128(t->e[i].hi, t->e[i].lo) & (ncap - 1); e[j].val != EMPTY;
		     j = (j + 1) & (ncap - 1))
			;
		e[j] = t->e[i];
	}
	free(t->e);
	t->e = e;
	t->mask = ncap - 1;
	return 0;
}

static uint32_t *t6_slot(mt_ip6tab *t, uint64_t hi, uint64_t lo, bool insert)
{
	uint32_t j;

	if (!t->mask)
		return NULL;
	for (j = h128(hi, lo) & t->mask; t->e[j].val != EMPTY; j = (j + 1) & t->mask)
		if (t->e[j].hi == hi && t->e[j].lo == lo)
			return &t->e[j].val;
	if (!insert)
		return NULL;
	t->e[j].hi = hi;
	t->e[j].lo = lo;
	t->used++;
	return &t->e[j].val;
}

int mt_ipindex_add(mt_ipindex *x, const mt_ip *ip, uint32_t ind)
{
	uint32_t *slot;

	if (ip->family == 4) {
		mt_ip4tab *t = &x->t4[ip->prefix];

		if ((t->used + 1) * 2 > t->mask && t4_grow(t) < 0)
			return CC_ENOMEM;
		slot = t4_slot(t, ip->v4, true);
		x->present4 |= 1ull << ip->prefix;
	} else {
		mt_ip6tab *t = &x->t6[ip->prefix];

		if ((t->used + 1) * 2 > t->mask && t6_grow(t) < 0)
			return CC_ENOMEM;
		slot = t6_slot(t, ip->hi, ip->lo, true);
		x->present6[ip->prefix / 64] |= 1ull << (ip->prefix % 64);
	}
	return mt_dups_add(x->dups, slot, ind);
}

static inline bool bit_get(const uint64_t *b, uint32_t i)
{
	return b[i >> 6] >> (i & 63) & 1;
}

static void bit_set(uint64_t *b, uint32_t i)
{
	b[i >> 6] |= 1ull << (i & 63);
}

/* The bitmaps in front of the IPv4 tables (one bit per possible key up to
 * /24, one per /24 for the longer prefixes).  Without memory for them the
 * tables are probed directly. */
static void build_bits(mt_ipindex *x)
{
	if (!x->mask16 && x->present4 >> 16)
		x->mask16 = calloc((size_t)1 << 16, sizeof(*x->mask16));
	for (int p = 16; x->mask16 && p <= 32; p++)
		for (uint32_t i = 0; x->t4[p].mask && i <= x->t4[p].mask; i++)
			if (x->t4[p].vals[i] != EMPTY)
				x->mask16[x->t4[p].keys[i] >> 16] |= 1u << (p - 16);
	for (int p = 0; p <= 32; p++) {
		mt_ip4tab *t = &x->t4[p];
		uint64_t **bp = p <= 24 ? &x->bits4[p] : &x->long24;

		if (!t->used)
			continue;
		if (!*bp) {
			unsigned bits = p <= 24 ? (unsigned)p : 24;

			*bp = calloc(((size_t)1 << bits) / 64 + 1, 8);
			if (!*bp)
				continue;
		}
		for (uint32_t i = 0; i <= t->mask; i++)
			if (t->vals[i] != EMPTY)
				bit_set(*bp, p == 0 ? 0 : t->keys[i] >> (32 - (p <= 24 ? p : 24)));
	}
}

void mt_ipindex_finish(mt_ipindex *x)
{
	build_bits(x);
	x->n4 = x->n6 = 0;
	for (int p = 32; p >= 0; p--)
		if (x->present4 >> p & 1)
			x->order4[x->n4++] = (uint8_t)p;
	for (int p = 128; p >= 0; p--)
		if (x->present6[p / 64] >> (p % 64) & 1)
			x->order6[x->n6++] = (uint8_t)p;
}

size_t mt_ipindex_find(const mt_ipindex *x, const mt_ip *ip, mt_hit_fn fn, void *ud)
{
	size_t n = 0;

	if (ip->family == 4) {
		bool long_ok = !x->long24 || bit_get(x->long24, ip->v4 >> 8);
		uint32_t pm = x->mask16 ? x->mask16[ip->v4 >> 16] : ~0u;

		for (unsigned i = 0; i < x->n4; i++) {
			unsigned p = x->order4[i];
			uint32_t key = p ? ip->v4 & (~0u << (32 - p)) : 0;
			uint32_t *v;

			if (p >= 16 && !(pm >> (p - 16) & 1))
				continue;
			if (p > 24 ? !long_ok : (x->bits4[p] && !bit_get(x->bits4[p], p ? ip->v4 >> (32 - p) : 0)))
				continue;
			v = t4_slot((mt_ip4tab *)&x->t4[p], key, false);

			if (v)
				n += mt_dups_each(x->dups, *v, fn, ud);
		}
		return n;
	}
	for (unsigned i = 0; i < x->n6; i++) {
		unsigned p = x->order6[i];
		uint64_t hi = ip->hi, lo = ip->lo;
		uint32_t *v;

		if (p <= 64) {
			lo = 0;
			hi &= p ? ~0ull << (64 - p) : 0;
		} else if (p < 128) {
			lo &= ~0ull << (128 - p);
		}
		v = t6_slot((mt_ip6tab *)&x->t6[p], hi, lo, false);
		if (v)
			n += mt_dups_each(x->dups, *v, fn, ud);
	}
	return n;
}

void mt_ipindex_free(mt_ipindex *x)
{
	if (!x)
		return;
	for (int p = 0; p <= 32; p++) {
		free(x->t4[p].keys);
		free(x->t4[p].vals);
		if (p <= 24)
			free(x->bits4[p]);
	}
	free(x->long24);
	free(x->mask16);
	for (int p = 0; p <= 128; p++)
		free(x->t6[p].e);
	memset(x, 0, sizeof(*x));
}

size_t mt_ipindex_bytes(const mt_ipindex *x)
{
	size_t b = 0;

	for (int p = 0; p <= 32; p++) {
		if (x->t4[p].mask)
			b += (x->t4[p].mask + 1) * 8;
		if (p <= 24 && x->bits4[p])
			b += ((size_t)1 << p) / 8 + 8;
	}
	if (x->long24)
		b += ((size_t)1 << 24) / 8 + 8;
	if (x->mask16)
		b += ((size_t)1 << 16) * sizeof(*x->mask16);
	for (int p = 0; p <= 128; p++)
		if (x->t6[p].mask)
			b += (x->t6[p].mask + 1) * sizeof(mt_ip6ent);
	return b;
}

/* ---- strings ---- */

static inline bool key_eq(const mt_arena *a, uint32_t off, mt_kind k, const char *v, size_t n)
{
	const unsigned char *p = (const unsigned char *)a->data + off;
	size_t len = (size_t)p[0] | (size_t)p[1] << 8;

	return len == n && p[2] == (unsigned char)k && memcmp(p + 3, v, n) == 0;
}

static int str_grow(mt_strindex *x)
{
	uint32_t ncap = x->mask ? (x->mask + 1) * 2 : 64;
	mt_strent *e = malloc(ncap * sizeof(*e));

	if (!e)
		return CC_ENOMEM;
	for (uint32_t i = 0; i < ncap; i++)
		e[i].val = EMPTY;
	for (uint32_t i = 0; x->mask && i <= x->mask; i++) {
		uint32_t j;

		if (x->e[i].val == EMPTY)
			continue;
		for (j = x->e[i].h & (ncap - 1); e[j].val != EMPTY; j = (j + 1) & (ncap - 1))
			;
		e[j] = x->e[i];
	}
	free(x->e);
	x->e = e;
	x->mask = ncap - 1;
	return 0;
}

int mt_strindex_add(mt_strindex *x, mt_kind k, const char *v, size_t n, uint32_t ind)
{
	uint32_t h = (uint32_t)mt_hash(v, n, (uint64_t)k);
	uint32_t j;
	unsigned char hdr[3];
	uint32_t off;

	if (n > 0xffff)
		return CC_ERR;
	if ((x->used + 1) * 2 > x->mask && str_grow(x) < 0)
		return CC_ENOMEM;
	for (j = h & x->mask; x->e[j].val != EMPTY; j = (j + 1) & x->mask)
		if (x->e[j].h == h && key_eq(x->arena, x->e[j].off, k, v, n))
			return mt_dups_add(x->dups, &x->e[j].val, ind);
	hdr[0] = (unsigned char)n;
	hdr[1] = (unsigned char)(n >> 8);
	hdr[2] = (unsigned char)k;
	off = mt_arena_put(x->arena, hdr, 3);
	if (off == UINT32_MAX)
		return CC_ENOMEM;
	x->arena->len--;	/* drop the NUL: the value follows the header */
	if (mt_arena_put(x->arena, v, n) == UINT32_MAX)
		return CC_ENOMEM;
	x->e[j].h = h;
	x->e[j].off = off;
	x->e[j].val = EMPTY;
	x->used++;
	x->kinds |= 1u << k;
	return mt_dups_add(x->dups, &x->e[j].val, ind);
}

void mt_strindex_finish(mt_strindex *x)
{
	uint32_t bits = 1u << 16;

	free(x->filter);
	x->filter = NULL;
	while (bits < x->used * 16u && bits < (1u << 26))
		bits <<= 1;
	x->filter = calloc(bits / 64, 8);
	if (!x->filter)
		return;
	x->fmask = bits - 1;
	for (uint32_t i = 0; x->mask && i <= x->mask; i++)
		if (x->e[i].val != EMPTY)
			bit_set(x->filter, (x->e[i].h >> 7) & x->fmask);
}

size_t mt_strindex_find(const mt_strindex *x, mt_kind k, const char *v, size_t n,
			mt_hit_fn fn, void *ud)
{
	uint32_t h, j;

	if (!x->mask || !(x->kinds >> k & 1))
		return 0;
	h = (uint32_t)mt_hash(v, n, (uint64_t)k);
	if (x->filter && !bit_get(x->filter, (h >> 7) & x->fmask))
		return 0;
	for (j = h & x->mask; x->e[j].val != EMPTY; j = (j + 1) & x->mask)
		if (x->e[j].h == h && key_eq(x->arena, x->e[j].off, k, v, n))
			return mt_dups_each(x->dups, x->e[j].val, fn, ud);
	return 0;
}

void mt_strindex_free(mt_strindex *x)
{
	if (!x)
		return;
	free(x->e);
	free(x->filter);
	x->e = NULL;
	x->filter = NULL;
	x->mask = x->used = 0;
}

size_t mt_strindex_bytes(const mt_strindex *x)
{
	return (x->mask ? (x->mask + 1) * sizeof(mt_strent) : 0) + (x->filter ? (x->fmask + 1) / 8 : 0);
}
