/*
 * auth.c — passwords: argon2id hashes (libsodium) and the verification
 * cache that spares each request an argon2 run.  The server asks the cache
 * first with the credentials alone (taxii_auth_peek) and has new ones
 * verified on a pool thread (taxii_auth_verify), so the handler's check
 * finds them in the cache.
 */
#include "taxii/taxii_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int taxii_password_hash(const char *password, char out[TAXII_PWHASH_MAX], cc_err *e)
{
	_Static_assert(TAXII_PWHASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer");
	if (sodium_init() < 0)
		return cc_err_set(e, CC_ERR, "password: libsodium failed to start");
	if (crypto_pwhash_str(out, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return cc_err_set(e, CC_ENOMEM, "password: out of memory while hashing");
	return 0;
}

void taxii_password_generate(char out[TAXII_PASSWORD_GEN])
{
	unsigned char raw[18];

	if (sodium_init() < 0)
		abort();	/* no randomness: nothing safe to hand out */
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TAXII_PASSWORD_GEN, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/* The credentials of one request. */
typedef struct creds {
	char user[64];                     /* the user name */
	char pass[256];                    /* the password, when has_pass */
	bool has_pass;                     /* false: taken from a peek (see tl_peek) */
	unsigned char cred[TAXII_CACHE_KEY]; /* keyed hash of user and password */
} creds;

/* What taxii_auth_peek found in the cache, for the handler's check of the
 * same request on the same thread (a GET on its network thread), which so
 * needs neither to decode nor to hash again; wiped by that check or by
 * taxii_auth_forget at the end of the request. */
static _Thread_local struct {
	char header[704];                  /* the Authorization header */
	char user[64];
	unsigned char cred[TAXII_CACHE_KEY];
	bool set;
} tl_peek;

/* The keyed hash (cache key of this process) of user and pass. */
static void keyed(const taxii_ctx *ctx, const char *user, const char *pass,
		  unsigned char out[TAXII_CACHE_KEY])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, ctx->cache_key, sizeof(ctx->cache_key), TAXII_CACHE_KEY);
	crypto_generichash_update(&st, (const unsigned char *)user, strlen(user) + 1);
	crypto_generichash_update(&st, (const unsigned char *)pass, strlen(pass) + 1);
	crypto_generichash_final(&st, out, TAXII_CACHE_KEY);
	sodium_memzero(&st, sizeof(st));
}

/* The end of an argon2 hash string (its output, after a random salt): a
 * new password, even the same one again, changes it. */
static void hash_tail(const char *pwhash, unsigned char out[TAXII_CACHE_KEY])
{
	size_t n = strlen(pwhash), k = n < TAXII_CACHE_KEY ? n : TAXII_CACHE_KEY;

	memset(out, 0, TAXII_CACHE_KEY);
	memcpy(out, pwhash + n - k, k);
}

/* Decode header into *c; false when it is not well-formed Basic. */
static bool decode(const taxii_ctx *ctx, const char *header, creds *c)
{
	if (!taxii_basic_auth_decode(header, c->user, sizeof(c->user), c->pass, sizeof(c->pass)))
		return false;
	c->has_pass = true;
	keyed(ctx, c->user, c->pass, c->cred);
	return true;
}

static taxii_cache_slot *slot_of(taxii_ctx *ctx, const unsigned char *cred)
{
	return &ctx->cache[((size_t)cred[0] | (size_t)cred[1] << 8) % TAXII_CACHE_SLOTS];
}

/* Whether the slot of cred holds cred (and, unless tail is NULL, tail). */
static bool cache_hit(taxii_ctx *ctx, const unsigned char *cred, const unsigned char *tail)
{
	taxii_cache_slot *sl = slot_of(ctx, cred);
	bool hit;

	pthread_mutex_lock(&ctx->cache_lock);
	hit = sodium_memcmp(sl->cred, cred, TAXII_CACHE_KEY) == 0 &&
	      (!tail || sodium_memcmp(sl->hash, tail, TAXII_CACHE_KEY) == 0);
	pthread_mutex_unlock(&ctx->cache_lock);
	return hit;
}

/* Remember cred and tail; tail NULL forgets cred (if its slot holds it). */
static void cache_put(taxii_ctx *ctx, const unsigned char *cred, const unsigned char *tail)
{
	taxii_cache_slot *sl = slot_of(ctx, cred);

	pthread_mutex_lock(&ctx->cache_lock);
	if (tail) {
		memcpy(sl->cred, cred, TAXII_CACHE_KEY);
		memcpy(sl->hash, tail, TAXII_CACHE_KEY);
	} else if (sodium_memcmp(sl->cred, cred, TAXII_CACHE_KEY) == 0) {
		memset(sl, 0, sizeof(*sl));
	}
	pthread_mutex_unlock(&ctx->cache_lock);
}

/* Check c against u (NULL: no such user), from the cache or, when
 * may_verify and c has its password, with argon2.  True when valid. */
static bool check(taxii_ctx *ctx, const creds *c, const taxii_known_user *u, bool may_verify)
{
	unsigned char tail[TAXII_CACHE_KEY];

	may_verify = may_verify && c->has_pass;
	if (!u) {
		cache_put(ctx, c->cred, NULL);	/* a user since removed */
		/* spend the argon2 run a wrong password costs, so that the
		 * time does not tell which names exist */
		if (may_verify && ctx->dummy_hash[0])
			(void)!crypto_pwhash_str_verify(ctx->dummy_hash, c->pass, strlen(c->pass));
		return false;
	}
	hash_tail(u->pwhash, tail);
	if (cache_hit(ctx, c->cred, tail))
		return true;
	if (!may_verify) {
		cache_put(ctx, c->cred, NULL);	/* the password changed: verify again */
		return false;
	}
	if (crypto_pwhash_str_verify(u->pwhash, c->pass, strlen(c->pass)) != 0)
		return false;
	cache_put(ctx, c->cred, tail);
	return true;
}

bool taxii_auth_check(taxii_ctx *ctx, store *s, taxii_memo *m, const char *header,
		      taxii_who *who)
{
	const taxii_known_user *u = NULL;
	creds c;
	bool ok;

	if (ctx->auth_deferred && tl_peek.set && header && strcmp(tl_peek.header, header) == 0) {
		memcpy(c.user, tl_peek.user, sizeof(c.user));
		memcpy(c.cred, tl_peek.cred, sizeof(c.cred));
		c.has_pass = false;
		taxii_auth_forget();
	} else if (!decode(ctx, header, &c)) {
		return false;
	}
	if (taxii_memo_user(m, s, c.user, &u) != 0)
		u = NULL;
	ok = check(ctx, &c, u, !ctx->auth_deferred);
	if (ok) {
		snprintf(who->user, sizeof(who->user), "%s", c.user);
		who->org_id = u->org_id;
		memcpy(who->org, u->org, sizeof(who->org));
	}
	sodium_memzero(&c, sizeof(c));
	return ok;
}

taxii_auth_need taxii_auth_peek(taxii_ctx *ctx, const char *header, char user[64])
{
	creds c;
	taxii_auth_need need = TAXII_AUTH_VERIFY;

	taxii_auth_forget();
	if (!decode(ctx, header, &c))
		return TAXII_AUTH_NONE;
	memcpy(user, c.user, sizeof(c.user));
	if (cache_hit(ctx, c.cred, NULL)) {
		need = TAXII_AUTH_KNOWN;
		if (strlen(header) < sizeof(tl_peek.header)) {
			strcpy(tl_peek.header, header);
			memcpy(tl_peek.user, c.user, sizeof(c.user));
			memcpy(tl_peek.cred, c.cred, sizeof(c.cred));
			tl_peek.set = true;
		}
	}
	sodium_memzero(&c, sizeof(c));
	return need;
}

void taxii_auth_forget(void)
{
	if (tl_peek.set)
		sodium_memzero(&tl_peek, sizeof(tl_peek));
}

bool taxii_auth_verify(taxii_ctx *ctx, store *s, taxii_memo *m, const char *header)
{
	const taxii_known_user *found = NULL;
	taxii_known_user u = { .org_id = 0 };
	uint64_t gen = 0;
	bool snapshot, ok;
	creds c;

	if (!decode(ctx, header, &c))
		return false;
	/* the user's hash from a snapshot that is closed again before argon2
	 * runs, so that no read transaction stays open that long */
	snapshot = store_read_begin(s, &gen, NULL) == 0;
	taxii_memo_start(m, snapshot, gen);
	if (taxii_memo_user(m, s, c.user, &found) == 0)
		u = *found;
	if (snapshot)
		store_read_end(s);
	ok = check(ctx, &c, found ? &u : NULL, true);
	sodium_memzero(&c, sizeof(c));
	sodium_memzero(&u, sizeof(u));
	return ok;
}
