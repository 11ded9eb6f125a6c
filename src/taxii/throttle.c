/*
 * throttle.c — the login throttle: counts of failed logins per user name
 * and client address, per address and per name, each with an exponential
 * backoff past its threshold (the rules are in taxii_int.h).  Entries live
 * in a fixed table under keyed hashes (a random key per process, so a
 * client cannot aim its entries at someone else's slots); in a small set,
 * the oldest entry makes room for a new one, trusted pairs last.
 */
#include "taxii/taxii_int.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#define THR_SETS 1024                       /* sets of THR_WAYS entries */
#define THR_WAYS 4
#define THR_WIDE 4                          /* address and name thresholds, in
                                               multiples of login_failures */

enum thr_kind { THR_PAIR, THR_ADDR, THR_NAME };

/* The count of one key. */
typedef struct thr_entry {
	unsigned char key[16];              /* keyed hash of kind, address, name; 0 = free */
	uint32_t failures;                  /* failed logins counted */
	int64_t last_us;                    /* the last failure (monotonic µs) */
	bool trusted;                       /* pairs: a login succeeded */
	int64_t touched_us;                 /* last change, to pick what makes room */
} thr_entry;

struct taxii_throttle {
	pthread_mutex_t mu;                 /* guards e */
	unsigned threshold;                 /* login_failures */
	int64_t backoff_us, backoff_max_us; /* the first and the longest wait */
	unsigned char hkey[crypto_generichash_KEYBYTES]; /* random per process */
	atomic_int_fast64_t blocked_until;  /* no key waits beyond this (monotonic µs) */
	thr_entry e[THR_SETS * THR_WAYS];
};

taxii_throttle *taxii_throttle_new(const taxii_limits *l)
{
	taxii_throttle *t;

	if (sodium_init() < 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	pthread_mutex_init(&t->mu, NULL);
	t->threshold = l->login_failures ? l->login_failures : 1;
	t->backoff_us = (int64_t)l->login_backoff * 1000000;
	t->backoff_max_us = (int64_t)l->login_backoff_max * 1000000;
	if (t->backoff_max_us < t->backoff_us)
		t->backoff_max_us = t->backoff_us;
	randombytes_buf(t->hkey, sizeof(t->hkey));
	atomic_init(&t->blocked_until, 0);
	return t;
}

void taxii_throttle_free(taxii_throttle *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->mu);
	free(t);
}

/* The bytes that stand for a client address: IPv4 (also mapped into IPv6)
 * whole, IPv6 by its /64; n = 0 for other families. */
static size_t addr_bytes(const struct sockaddr *sa, unsigned char out[8])
{
	if (sa && sa->sa_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 4;
	}
	if (sa && sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a)) {
			memcpy(out, a->s6_addr + 12, 4);
			return 4;
		}
		memcpy(out, a->s6_addr, 8);
		return 8;
	}
	return 0;
}

static void key_of(const taxii_throttle *t, int kind, const char *user,
		   const struct sockaddr *sa, unsigned char key[16])
{
	crypto_generichash_state st;
	unsigned char a[8], head[2];
	size_t an = kind == THR_NAME ? 0 : addr_bytes(sa, a);

	head[0] = (unsigned char)kind;
	head[1] = (unsigned char)an;
	crypto_generichash_init(&st, t->hkey, sizeof(t->hkey), 16);
	crypto_generichash_update(&st, head, sizeof(head));
	crypto_generichash_update(&st, a, an);
	if (kind != THR_ADDR)
		crypto_generichash_update(&st, (const unsigned char *)user, strlen(user));
	crypto_generichash_final(&st, key, 16);
	if (sodium_is_zero(key, 16))
		key[0] = 1;	/* zero marks a free entry */
}

/* Whether entry a should make room before entry b: a free one first, then
 * one that is not trusted, then the one untouched longest. */
static bool before(const thr_entry *a, const thr_entry *b)
{
	if (a->touched_us == 0 || b->touched_us == 0)
		return a->touched_us == 0 && b->touched_us != 0;
	if (a->trusted != b->trusted)
		return !a->trusted;
	return a->touched_us < b->touched_us;
}

/* The entry of key (t->mu held); NULL when absent and !create. */
static thr_entry *find(taxii_throttle *t, const unsigned char key[16], bool create,
		       int64_t now)
{
	size_t set = ((size_t)key[0] | (size_t)key[1] << 8 | (size_t)key[2] << 16) % THR_SETS;
	thr_entry *e = &t->e[set * THR_WAYS], *old = e;

	for (size_t i = 0; i < THR_WAYS; i++) {
		if (memcmp(e[i].key, key, 16) == 0)
			return &e[i];
		if (before(&e[i], old))
			old = &e[i];
	}
	if (!create)
		return NULL;
	memset(old, 0, sizeof(*old));
	memcpy(old->key, key, 16);
	old->touched_us = now;
	return old;
}

/* Whether e's failures are too old to count (quiet for twice the longest wait). */
static bool stale(const taxii_throttle *t, const thr_entry *e, int64_t now)
{
	return now - e->last_us > 2 * t->backoff_max_us;
}

/* When e may be tried again, given its threshold (0: now). */
static int64_t free_at(const taxii_throttle *t, const thr_entry *e, unsigned threshold,
		       int64_t now)
{
	unsigned shift;
	int64_t delay;

	if (!e || e->failures < threshold || stale(t, e, now))
		return 0;
	shift = e->failures - threshold;
	delay = shift >= 40 ? t->backoff_max_us : t->backoff_us << shift;
	if (delay > t->backoff_max_us || delay <= 0)
		delay = t->backoff_max_us;
	return e->last_us + delay;
}

int64_t taxii_throttle_wait(taxii_throttle *t, const char *user, const struct sockaddr *addr,
			    int64_t now_us)
{
	unsigned char k[3][16];
	thr_entry *pair;
	int64_t until;

	if (now_us >= atomic_load_explicit(&t->blocked_until, memory_order_relaxed))
		return 0;
	key_of(t, THR_PAIR, user, addr, k[0]);
	key_of(t, THR_ADDR, user, addr, k[1]);
	key_of(t, THR_NAME, user, addr, k[2]);
	pthread_mutex_lock(&t->mu);
	pair = find(t, k[0], false, now_us);
	until = free_at(t, pair, t->threshold, now_us);
	if (!pair || !pair->trusted) {
		int64_t a = free_at(t, find(t, k[1], false, now_us), THR_WIDE * t->threshold, now_us);
		int64_t n = free_at(t, find(t, k[2], false, now_us), THR_WIDE * t->threshold, now_us);

		until = a > until ? a : until;
		until = n > until ? n : until;
	}
	pthread_mutex_unlock(&t->mu);
	return until > now_us ? until - now_us : 0;
}

/* One more failure on e; lets blocked_until know when e is free again. */
static void fail(taxii_throttle *t, thr_entry *e, unsigned threshold, int64_t now)
{
	int64_t at, cur;

	if (stale(t, e, now))
		e->failures = 0;
	e->failures++;
	e->last_us = now;
	e->touched_us = now;
	at = free_at(t, e, threshold, now);
	cur = atomic_load(&t->blocked_until);
	while (at > cur && !atomic_compare_exchange_weak(&t->blocked_until, &cur, at))
		;
}

void taxii_throttle_record(taxii_throttle *t, const char *user, const struct sockaddr *addr,
			   bool ok, int64_t now_us)
{
	unsigned char k[16];
	thr_entry *pair;
	bool below;

	key_of(t, THR_PAIR, user, addr, k);
	pthread_mutex_lock(&t->mu);
	pair = find(t, k, true, now_us);
	if (ok) {
		pair->failures = 0;
		pair->trusted = true;
		pair->touched_us = now_us;
		goto out;
	}
	/* one address adds at most threshold failures of one name to the wide counts */
	below = pair->failures < t->threshold || stale(t, pair, now_us);
	fail(t, pair, t->threshold, now_us);
	if (below) {
		key_of(t, THR_ADDR, user, addr, k);
		fail(t, find(t, k, true, now_us), THR_WIDE * t->threshold, now_us);
		key_of(t, THR_NAME, user, addr, k);
		fail(t, find(t, k, true, now_us), THR_WIDE * t->threshold, now_us);
	}
out:
	pthread_mutex_unlock(&t->mu);
}
