/*
 * internal.h — what the files of the taxii module share; not part of the
 * module's interface (include taxii/taxii.h from outside).
 */
#ifndef CC_TAXII_INTERNAL_H
#define CC_TAXII_INTERNAL_H

#include <pthread.h>

#include <sodium.h>

#include "taxii/taxii.h"

#define TAXII_CACHE_SLOTS 4096

/* One remembered successful verification: the keyed hash of
 * user, password and the stored hash (so a password change misses). */
typedef struct taxii_cache_slot {
	unsigned char digest[crypto_generichash_BYTES]; /* all zero = empty */
} taxii_cache_slot;

struct taxii_ctx {
	char *api_root;                    /* API root name, owned */
	char *title;                       /* discovery title, owned */
	size_t max_content_length;         /* bytes */
	pthread_mutex_t write_lock;        /* serialises write transactions */
	pthread_mutex_t cache_lock;        /* guards cache */
	unsigned char cache_key[crypto_generichash_KEYBYTES]; /* random per process */
	taxii_cache_slot cache[TAXII_CACHE_SLOTS];
	char dummy_hash[TAXII_PWHASH_MAX]; /* verified against for unknown users,
	                                      so their answer takes as long */
};

/* The authenticated caller of a request. */
typedef struct taxii_who {
	char user[64];                     /* user name */
	int64_t org_id;                    /* the user's organisation */
} taxii_who;

/* Check the Basic credentials of header against the store: true and *who
 * filled when they are valid.  Successful verifications are cached. */
bool taxii_auth_check(taxii_ctx *ctx, store *s, const char *header, taxii_who *who);

/* Set rs to an error: status and a TAXII error message body. */
void taxii_error(taxii_response *rs, int status, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The endpoints of a collection (objects.c). */
typedef struct taxii_coll_req {
	taxii_ctx *ctx;
	store *s;
	const taxii_request *rq;
	const taxii_who *who;
	const store_collection *coll;
	const store_grant *grant;
} taxii_coll_req;

void taxii_get_objects(const taxii_coll_req *c, const char *object_id, taxii_response *rs);
void taxii_get_manifest(const taxii_coll_req *c, taxii_response *rs);
void taxii_get_versions(const taxii_coll_req *c, const char *object_id, taxii_response *rs);
void taxii_delete_object(const taxii_coll_req *c, const char *object_id, taxii_response *rs);
void taxii_post_objects(const taxii_coll_req *c, taxii_response *rs);

#endif
