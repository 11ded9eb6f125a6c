/*
 * auth.c — passwords: argon2id hashes (libsodium) and the verification
 * cache that spares each request an argon2 run.
 */
#include "taxii/internal.h"

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

static void cred_digest(const taxii_ctx *ctx, const char *user, const char *pass,
			const char *pwhash, unsigned char out[crypto_generichash_BYTES])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, ctx->cache_key, sizeof(ctx->cache_key), crypto_generichash_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)user, strlen(user) + 1);
	crypto_generichash_update(&st, (const unsigned char *)pass, strlen(pass) + 1);
	crypto_generichash_update(&st, (const unsigned char *)pwhash, strlen(pwhash) + 1);
	crypto_generichash_final(&st, out, crypto_generichash_BYTES);
	sodium_memzero(&st, sizeof(st));
}

static size_t slot_of(const unsigned char *d)
{
	return ((size_t)d[0] | (size_t)d[1] << 8) % TAXII_CACHE_SLOTS;
}

static bool cache_hit(taxii_ctx *ctx, const unsigned char *d)
{
	bool hit;

	pthread_mutex_lock(&ctx->cache_lock);
	hit = sodium_memcmp(ctx->cache[slot_of(d)].digest, d, crypto_generichash_BYTES) == 0;
	pthread_mutex_unlock(&ctx->cache_lock);
	return hit;
}

static void cache_put(taxii_ctx *ctx, const unsigned char *d)
{
	pthread_mutex_lock(&ctx->cache_lock);
	memcpy(ctx->cache[slot_of(d)].digest, d, crypto_generichash_BYTES);
	pthread_mutex_unlock(&ctx->cache_lock);
}

bool taxii_auth_check(taxii_ctx *ctx, store *s, taxii_memo *m, const char *header,
		      taxii_who *who)
{
	char user[64], pass[256];
	unsigned char d[crypto_generichash_BYTES];
	const taxii_known_user *u = NULL;
	bool ok = false;

	if (!taxii_basic_auth_decode(header, user, sizeof(user), pass, sizeof(pass)))
		return false;
	if (taxii_memo_user(m, s, user, &u) != 0) {
		/* Spend the same argon2 run as for a wrong password; the
		 * answer is "no" whatever the dummy verification says. */
		if (ctx->dummy_hash[0] &&
		    crypto_pwhash_str_verify(ctx->dummy_hash, pass, strlen(pass)) == 0)
			ok = false;
		goto out;
	}
	cred_digest(ctx, user, pass, u->pwhash, d);
	if (cache_hit(ctx, d)) {
		ok = true;
	} else if (crypto_pwhash_str_verify(u->pwhash, pass, strlen(pass)) == 0) {
		cache_put(ctx, d);
		ok = true;
	}
	if (ok) {
		snprintf(who->user, sizeof(who->user), "%s", user);
		who->org_id = u->org_id;
	}
out:
	sodium_memzero(pass, sizeof(pass));
	sodium_memzero(d, sizeof(d));
	return ok;
}
