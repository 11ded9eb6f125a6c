/*
 * internal.h — what the files of the taxii module share; not part of the
 * module's interface (include taxii/taxii.h from outside).
 */
#ifndef CC_TAXII_INTERNAL_H
#define CC_TAXII_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

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
	unsigned status_ttl_s;             /* lifetime of a status resource, seconds */
	atomic_llong status_swept_us;      /* when expired statuses were last removed */
};

/* A user as the memo keeps it. */
typedef struct taxii_known_user {
	char name[64];                     /* login name */
	char pwhash[TAXII_PWHASH_MAX];     /* its argon2id hash string */
	int64_t org_id;                    /* its organisation */
} taxii_known_user;

/* A collection as the memo keeps it, under the id it was asked for. */
typedef struct taxii_known_coll {
	char key[48];                      /* the id in the URL, as given */
	store_collection c;                /* owned */
} taxii_known_coll;

/* A grant, or its absence (found false), as the memo keeps it. */
typedef struct taxii_known_grant {
	store_grant g;                     /* org_id and collection_id are the key */
	bool found;                        /* false: no grant (the org may not see it) */
} taxii_known_grant;

/* Bytes shared, read-only, by a memo and the responses being sent from
 * it; freed when the last reference is dropped (from any thread). */
struct taxii_blob {
	atomic_size_t refs;                /* references */
	size_t len;                        /* bytes of data */
	char data[];                       /* the bytes */
};

/* A new blob holding a copy of data, one reference; NULL when out of memory. */
taxii_blob *taxii_blob_new(const char *data, size_t len);
/* Take / drop a reference (taxii_blob_unref accepts NULL). */
taxii_blob *taxii_blob_ref(taxii_blob *b);
void taxii_blob_unref(taxii_blob *b);

/* A 200 answer of a collection content endpoint, kept under its key. */
typedef struct taxii_known_page {
	char *key;                         /* owned; NULL = free slot (see objects.c) */
	taxii_blob *body;                  /* the response body, one reference owned */
	char date_first[64], date_last[64]; /* the X-TAXII-Date-Added headers */
} taxii_known_page;

#define TAXII_MEMO_PAGES 8
#define TAXII_MEMO_PAGE_MAX (1u << 20)      /* larger answers are not kept */
#define TAXII_MEMO_PAGES_BYTES (4u << 20)   /* at most this much per memo */
#define TAXII_MEMO_ASKED 32                 /* a page is kept when asked again */

#define TAXII_MEMO_USERS 8
#define TAXII_MEMO_COLLS 8
#define TAXII_MEMO_GRANTS 16

/* Users, collections, grants and answers read under one store generation.
 * Tables are small and scanned; when full, entries are replaced in turn. */
struct taxii_memo {
	bool valid;                        /* gen is a store generation */
	uint64_t gen;                      /* the generation the entries were read under */
	taxii_known_user users[TAXII_MEMO_USERS];
	taxii_known_coll colls[TAXII_MEMO_COLLS];
	taxii_known_grant grants[TAXII_MEMO_GRANTS];
	taxii_known_page pages[TAXII_MEMO_PAGES];
	uint64_t asked[TAXII_MEMO_ASKED];  /* hashes of keys asked once, not kept yet */
	size_t n_users, n_colls, n_grants; /* entries in use */
	size_t next_user, next_coll, next_grant, next_page, next_asked; /* next to replace */
	size_t page_bytes;                 /* bytes of the kept bodies */
};

/* Begin a request: keep the entries when valid and gen equals the memo's
 * generation, else forget them.  valid false (no read transaction, e.g. a
 * POST) keeps nothing beyond this request. */
void taxii_memo_start(taxii_memo *m, bool valid, uint64_t gen);

/* The user name (borrowed from m until the next taxii_memo_start), from
 * the memo or the store.  CC_ENOTFOUND when there is no such user. */
int taxii_memo_user(taxii_memo *m, store *s, const char *name, const taxii_known_user **out);

/* The collection with name or UUID id (borrowed from m until the next
 * taxii_memo_start).  CC_ENOTFOUND when there is none. */
int taxii_memo_collection(taxii_memo *m, store *s, const char *id, const store_collection **out);

/* The grant of org_id on coll_id into *out.  CC_ENOTFOUND when none. */
int taxii_memo_grant(taxii_memo *m, store *s, int64_t org_id, int64_t coll_id, store_grant *out);

/* Answer rs from the page kept under key: true when there is one. */
bool taxii_memo_page_get(taxii_memo *m, const char *key, taxii_response *rs);

/* Keep rs (a 200 answer) under key, when the memo is valid, rs is small
 * enough and key was asked before under this generation (a one-off read
 * is not copied); older pages make room. */
void taxii_memo_page_put(taxii_memo *m, const char *key, const taxii_response *rs);

/* The authenticated caller of a request. */
typedef struct taxii_who {
	char user[64];                     /* user name */
	int64_t org_id;                    /* the user's organisation */
} taxii_who;

/* Check the Basic credentials of header against the store: true and *who
 * filled when they are valid.  Successful verifications are cached. */
bool taxii_auth_check(taxii_ctx *ctx, store *s, taxii_memo *m, const char *header,
		      taxii_who *who);

/* Set rs to an error: status and a TAXII error message body. */
void taxii_error(taxii_response *rs, int status, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The endpoints of a collection (objects.c). */
typedef struct taxii_coll_req {
	taxii_ctx *ctx;
	store *s;
	taxii_memo *memo;                  /* the worker's memo, bound to s */
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

/* ---- pool.c: threads for heavy requests (POST) ---- */

typedef struct taxii_pool taxii_pool;
typedef void (*taxii_pool_fn)(void *arg);

/* Start n_threads threads (NULL when none could start). */
taxii_pool *taxii_pool_new(size_t n_threads);
/* Run fn(arg) on one of them, in submission order; false: out of memory. */
bool taxii_pool_submit(taxii_pool *p, taxii_pool_fn fn, void *arg);
/* Run what is queued, then stop and join the threads. */
void taxii_pool_free(taxii_pool *p);

#endif
