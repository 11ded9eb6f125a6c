/*
 * sync.h — federation: a TAXII 2.1 client on libcurl, and the sync of the
 * hub's links with its peers (src/store/store.h, "federation").
 *
 * The client talks to any TAXII 2.1 server (discovery, API roots,
 * collections, objects with every filter, add objects and their status),
 * verifying it by its CA or by a pin of its public key, and rides out
 * what networks and busy servers do: a transient failure (a connection
 * refused, reset or cut mid-body, a timeout, a truncated or garbled body,
 * HTTP 429, 500, 502, 503, 504) is retried after a wait (Retry-After when
 * the server gives one), so a request either gets a whole answer or fails
 * with the last error.
 *
 * A pull stores each page of a remote collection and moves the link's
 * cursor in the same transaction, so after any interruption the next
 * pull starts after the last page stored: every version exactly once.  A
 * push sends what the store's outbox gives and moves its cursor once the
 * remote has confirmed it (a version sent twice after an interruption is
 * a duplicate the remote recognises).
 *
 * Ownership: a sync_client is made by sync_client_new and freed by
 * sync_client_free; it copies what it is given (the password is wiped
 * when it is freed) and is used by one thread at a time.  Answers own
 * their JSON (sync_answer_clear).  Every fallible function returns 0 or a
 * negative CC_E* code and fills *e.
 */
#ifndef CC_SYNC_H
#define CC_SYNC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

#define SYNC_PAGE_MAX 10000             /* objects asked per page */
#define SYNC_DEFAULT_RETRIES 6          /* attempts after the first */
#define SYNC_DEFAULT_MAX_WAIT 30        /* seconds, the longest wait before a retry */
#define SYNC_PIN_MAX 96                 /* "sha256//" and 44 base64 characters, NUL */
#define SYNC_HDR_MAX 128                /* bytes of a header's value used (a longer
                                           one is taken as absent) */

/* Where and how to reach a TAXII server. */
typedef struct sync_conn {
	const char *url;        /* a discovery URL (.../taxii2/) or an API root URL;
	                           http:// only on a loopback address */
	const char *user;       /* HTTP Basic user (NULL or "" = no credentials) */
	const char *password;   /* its password */
	const char *ca_file;    /* PEM CAs that verify the server (NULL or "" = the
	                           system's); the name must match the certificate */
	const char *pin;        /* its public key, "sha256//BASE64" (NULL or "" = none):
	                           then the key alone is checked, not a CA or name */
	bool insecure;          /* verify nothing (only for `taxii pin`) */
	const char *api_root;   /* the API root, when known already (NULL = find it
	                           from url, which costs a request) */
	unsigned retries;       /* attempts after the first (0 = SYNC_DEFAULT_RETRIES) */
	unsigned max_wait_s;    /* longest wait between attempts, Retry-After included
	                           (0 = SYNC_DEFAULT_MAX_WAIT) */
	const atomic_bool *stop; /* set: give up at once (NULL = never) */
	void (*log)(const char *msg, void *ud);  /* what is retried and why (NULL = quiet) */
	void *log_ud;
} sync_conn;

typedef struct sync_client sync_client;

/* Whether a client may use url: https://, or http:// to a loopback
 * address (127.0.0.0/8, [::1], localhost); else CC_EUSAGE saying why. */
int sync_url_check(const char *url, cc_err *e);

/* A client for conn.  Fails (CC_EUSAGE) on a URL it cannot use. */
int  sync_client_new(const sync_conn *conn, sync_client **out, cc_err *e);
void sync_client_free(sync_client *c);                          /* NULL ok */

/* Requests made so far (attempts included). */
size_t sync_client_requests(const sync_client *c);

/* The API root URL (ending in '/', borrowed from c): conn.api_root, else
 * url when it is an API root, else the discovery's "default" (or its only
 * API root) — one request, the first time. */
int sync_api_root(sync_client *c, const char **root, cc_err *e);

/* A successful answer. */
typedef struct sync_answer {
	long status;            /* HTTP status (2xx) */
	json_t *json;           /* the body parsed (NULL when empty) */
	char date_first[SYNC_HDR_MAX]; /* X-TAXII-Date-Added-First ("" when absent) */
	char date_last[SYNC_HDR_MAX];  /* X-TAXII-Date-Added-Last ("" when absent) */
} sync_answer;
void sync_answer_clear(sync_answer *a);                         /* NULL ok */

/* GET path — relative to the API root ("collections/"; "" is the root
 * itself), or an absolute URL — with the URL query query (may be NULL).
 * A 4xx answer (other than 429) fails with its TAXII error message. */
int sync_get(sync_client *c, const char *path, const char *query, sync_answer *a, cc_err *e);

/* TAXII filters, as a URL query. */
typedef struct sync_filter {
	const char *added_after;                 /* a timestamp, as the server wrote it */
	const char *next;                        /* a next token */
	const char *const *ids; size_t n_ids;    /* match[id] */
	const char *const *types; size_t n_types;
	const char *const *versions; size_t n_versions;   /* last, first, all, timestamps */
	const char *const *specs; size_t n_specs;         /* match[spec_version] */
	size_t limit;                            /* 0 = none */
} sync_filter;
/* Append the query of f to q ("" when f asks nothing), percent-encoded. */
void sync_filter_query(const sync_filter *f, cc_buf *q);

/* Where the next page of a read starts (TAXII 2.1, 3.4): the answer's
 * next token with the first request's filters, else added_after = its
 * X-TAXII-Date-Added-Last.  The strings are owned (sync_paging_free). */
typedef struct sync_paging {
	cc_buf after;           /* added_after ("" = none) */
	cc_buf next;            /* next ("" = none) */
} sync_paging;
void sync_paging_init(sync_paging *pg, const char *added_after, const char *next);
void sync_paging_free(sync_paging *pg);
/* Set f's added_after and next from pg (borrowed while pg is unchanged). */
void sync_paging_apply(const sync_paging *pg, sync_filter *f);
/* Move pg past answer a, whose list is its member key ("objects",
 * "versions"): *more tells whether there is a next page.  CC_ERR when
 * the server says there is more but gives no way there (no next, no
 * header) or the same one again. */
int sync_paging_step(sync_paging *pg, const sync_answer *a, const char *key, bool *more,
		     cc_err *e);

/* Append s to out percent-encoded (RFC 3986: only unreserved characters
 * stay), e.g. an id in a URL path. */
void sync_url_escape(cc_buf *out, const char *s);

/* The path of collection coll's endpoint what ("objects/", "manifest/",
 * "objects/ID/versions/", ...; "" = the collection) below the API root,
 * the ids percent-encoded, into out. */
void sync_coll_path(const char *coll, const char *what, const char *object_id, cc_buf *out);

/* POST envelope env (len bytes, a TAXII envelope) to collection coll and
 * follow its status until it is complete; *status (owned) is the final
 * status resource. */
int sync_add_objects(sync_client *c, const char *coll, const char *env, size_t len,
		     json_t **status, cc_err *e);

/* The public key pin ("sha256//" and the base64 SHA-256 of its
 * SubjectPublicKeyInfo) of the first certificate in PEM text. */
int sync_pem_pin(const char *pem, size_t len, char pin[SYNC_PIN_MAX], cc_err *e);

/* The pin of the certificate the server at url presents, and its SHA-256
 * fingerprint ("AB:CD:...", size >= 96).  Nothing is verified and nothing
 * but the TLS handshake and one unauthenticated GET is sent: compare what
 * it says with what the server's operator says. */
int sync_server_pin(const char *url, char pin[SYNC_PIN_MAX], char *fingerprint, size_t fn,
		    cc_err *e);

/* ---- pull and push ---- */

/* What a link moved. */
typedef struct sync_counts {
	size_t objects;         /* objects received (pull) or sent (push) */
	size_t added;           /* stored as new here (pull) or taken by the remote (push) */
	size_t already;         /* were there already (duplicates, versions of ours) */
	size_t failed;          /* invalid (pull) or refused by the remote (push) */
	size_t pages;           /* pages or envelopes */
} sync_counts;

/* A problem with one object: its id (may be ""), and what. */
typedef void (*sync_problem_fn)(const char *id, const char *msg, void *ud);

typedef struct sync_pull_opts {
	sync_client *c;
	const char *remote_coll;        /* the remote collection's id */
	store *s;                       /* the store written (by the calling thread) */
	int64_t collection_id;          /* into this collection */
	const store_peer *peer;         /* who delivers (store_put_received), or NULL:
	                                   stored as the hub's own (org 0), as an import */
	int64_t link_id;                /* > 0: start after its cursor and move it with
	                                   each page stored */
	const sync_filter *filter;      /* further filters (types, ids, added_after when
	                                   no link); NULL = none.  Versions: all. */
	size_t page;                    /* objects asked per page (0 = SYNC_PAGE_MAX) */
	unsigned workers;               /* threads that validate (0 = 1) */
	sync_problem_fn on_problem;     /* each object refused (NULL = none) */
	void *ud;
	const atomic_bool *stop;        /* set: stop after the page being stored */
} sync_pull_opts;

/* Pull every version the remote collection has after the cursor, page
 * after page, each stored with the cursor in one transaction.  Invalid
 * objects are reported and left out, never stored in part; the others of
 * their page are stored. */
int sync_pull(const sync_pull_opts *o, sync_counts *n, cc_err *e);

typedef struct sync_push_opts {
	sync_client *c;
	const char *remote_coll;        /* the remote collection's id */
	store *s;                       /* with link: the store read */
	const store_link *link;         /* push what its outbox gives, moving its cursor
	                                   (id 0: a link not in the store, from the start,
	                                   without a cursor); NULL: objects instead */
	const store_peer *peer;         /* with link: the peer */
	const json_t *objects;          /* without link: an array of objects to send */
	size_t page;                    /* objects per envelope at most (0 = 1000) */
	sync_problem_fn on_problem;     /* each object the remote refused (NULL = none) */
	void *ud;
	const atomic_bool *stop;
} sync_push_opts;

/* Send the objects in envelopes that fit the remote's max_content_length
 * (and 16 MiB), following each status to its end; with a link, each
 * envelope's confirmation moves the link's cursor (one transaction). */
int sync_push(const sync_push_opts *o, sync_counts *n, cc_err *e);

/* ---- a pass over the links ---- */

/* How one link went. */
typedef struct sync_link_report {
	const store_peer *peer;
	const store_link *link;
	const char *collection;         /* the local collection's name */
	sync_counts n;
	size_t requests;                /* HTTP requests it took */
	int rc;                         /* 0, or the failure */
	const char *error;              /* the failure's message ("" when rc is 0) */
} sync_link_report;
typedef void (*sync_link_fn)(const sync_link_report *r, void *ud);

typedef struct sync_pass_opts {
	store *s;                       /* the hub's store (used by this thread) */
	const char *const *peers;       /* only these peers (names); NULL = every peer */
	size_t n_peers;
	unsigned retries;               /* per request (0 = SYNC_DEFAULT_RETRIES) */
	unsigned max_wait_s;            /* 0 = SYNC_DEFAULT_MAX_WAIT */
	size_t page;                    /* objects per page or envelope (0: the defaults) */
	sync_link_fn on_link;           /* after each link (NULL = none) */
	sync_problem_fn on_problem;     /* each object refused, either way */
	void (*log)(const char *msg, void *ud);  /* retries */
	void *ud;
	const atomic_bool *stop;
} sync_pass_opts;

/* One pass: each link of each peer (pulls first, then pushes), each on
 * its own: a link that fails is reported and the others still run.
 * CC_ENOTFOUND when a named peer does not exist (nothing runs), CC_ERR
 * when a link failed. */
int sync_pass(const sync_pass_opts *o, cc_err *e);

#endif
