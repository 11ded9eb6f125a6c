/*
 * taxii_int.h — what the files of the taxii module share; not part of the
 * module's interface (include taxii/taxii.h from outside).
 */
#ifndef CC_TAXII_INTERNAL_H
#define CC_TAXII_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <sodium.h>

#include "taxii/taxii.h"

#define TAXII_CACHE_SLOTS 4096

#define TAXII_CACHE_KEY 16                 /* bytes of each keyed hash in a slot */

/* One remembered successful verification, in the slot its credentials'
 * hash selects.  The server asks with the credentials alone (before any
 * store read, see taxii_auth_peek); the handler also with the stored hash,
 * so a password change misses. */
typedef struct taxii_cache_slot {
	unsigned char cred[TAXII_CACHE_KEY]; /* keyed hash of user and password; 0 = empty */
	unsigned char hash[TAXII_CACHE_KEY]; /* the end of the stored hash it matched */
} taxii_cache_slot;

struct taxii_ctx {
	char *api_root;                    /* API root name, owned */
	char *title;                       /* discovery title, owned */
	size_t max_content_length;         /* bytes */
	bool auth_deferred;                /* set by the server, which verifies every new
	                                      password on its auth pool before the handler
	                                      runs: a cache miss in the handler is then a
	                                      401, never an argon2 run on a network thread */
	pthread_mutex_t write_lock;        /* serialises write transactions */
	pthread_mutex_t cache_lock;        /* guards cache */
	unsigned char cache_key[crypto_generichash_KEYBYTES]; /* random per process */
	taxii_cache_slot cache[TAXII_CACHE_SLOTS];
	char dummy_hash[TAXII_PWHASH_MAX]; /* verified against for unknown users,
	                                      so their answer takes as long */
	unsigned status_ttl_s;             /* lifetime of a status resource, seconds */
	atomic_llong status_swept_us;      /* when expired statuses were last removed */
	unsigned char hub_pk[32];          /* endorses approvers (see audit.h), when has_hub_pk */
	bool has_hub_pk;                   /* else restricted collections open to nobody */
};

/* A user as the memo keeps it. */
typedef struct taxii_known_user {
	char name[64];                     /* login name */
	char pwhash[TAXII_PWHASH_MAX];     /* its argon2id hash string */
	int64_t org_id;                    /* its organisation */
	char org[208];                     /* that organisation's name */
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
	char org[208];                     /* its name */
} taxii_who;

/* Check the Basic credentials of header against the store: true and *who
 * filled when they are valid.  Successful verifications are cached; a miss
 * runs argon2 here unless ctx->auth_deferred (then it is false). */
bool taxii_auth_check(taxii_ctx *ctx, store *s, taxii_memo *m, const char *header,
		      taxii_who *who);

/* What the server must do with a request's credentials before the handler. */
typedef enum taxii_auth_need {
	TAXII_AUTH_NONE,                   /* none, or not well-formed Basic: 401 */
	TAXII_AUTH_KNOWN,                  /* verified before (the cache): go on */
	TAXII_AUTH_VERIFY                  /* argon2 must run (taxii_auth_verify) */
} taxii_auth_need;

/* Classify header's credentials without touching the store (cheap: one
 * keyed hash); the user name goes to user (size 64) unless NONE.  KNOWN
 * credentials are kept for this thread's next taxii_auth_check of the same
 * header (which then need not decode them again) until then or until
 * taxii_auth_forget. */
taxii_auth_need taxii_auth_peek(taxii_ctx *ctx, const char *header, char user[64]);

/* Wipe what taxii_auth_peek kept on this thread (at the end of a request). */
void taxii_auth_forget(void);

/* Verify header's credentials against the store, argon2 included (slow:
 * for a pool thread), in a read snapshot of s it opens with memo m (bound
 * to s); unknown users are verified against the dummy hash.  True when
 * valid; the cache then remembers them. */
bool taxii_auth_verify(taxii_ctx *ctx, store *s, taxii_memo *m, const char *header);

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

/* ---- trail.c: the audit entry of a request ---- */

/* The request's target for the trail: the path and its query arguments
 * (as the client sent them, decoded by libmicrohttpd) percent-encoded
 * again, so that it is plain ASCII.  Owned by the caller (free). */
struct MHD_Connection;
char *taxii_trail_target(struct MHD_Connection *c, const char *url);

/* Whether the entry of a request answered with rs must be on disk before
 * the answer: a POST or DELETE that changed the store (2xx), a read of
 * restricted material, a restricted collection opened or refused. */
bool taxii_trail_durable(const char *method, const taxii_response *rs);

/* What the server knows of a request, for its entry. */
typedef struct taxii_trail_req {
	const char *method;                /* as sent */
	const char *target;                /* taxii_trail_target's, or the path */
	bool target_plain;                 /* target is taxii_trail_target's */
	const struct sockaddr *addr;       /* the client's (NULL: unknown) */
	const char *user;                  /* authenticated ("" when not) */
	const char *login;                 /* the name credentials claimed ("" none) */
	int status;                        /* the answer's (0: none sent) */
	size_t bytes;                      /* its body's */
	bool aborted;                      /* the client left before the end */
	const char *org, *authz, *refused; /* for taxii_trail_note: what the answer's
	                                      taxii_response said (may be NULL) */
} taxii_trail_req;

/* Fill en (zeroed first) from r and rs (may be NULL), moving rs's id
 * lists into it. */
void taxii_trail_entry(audit_entry *en, const taxii_trail_req *r, taxii_response *rs);

/* Queue the entry of r (its org, authz and refused; no ids) on w, to be
 * written within w's batch time. */
void taxii_trail_note(audit_writer *w, const taxii_trail_req *r);

/* Make rs the answer of a request whose entry had to be on disk first
 * but could not be written: 500 for a write (its effect may stand, it is
 * not acknowledged), 503 for a read (restricted material is not served
 * unrecorded).  The user and organisation stay for the logs. */
void taxii_trail_failed(const char *method, taxii_response *rs);

/* ---- pool.c: threads for heavy requests (POST) ---- */

typedef struct taxii_pool taxii_pool;
typedef void (*taxii_pool_fn)(void *arg);

/* Start n_threads threads (NULL when none could start) whose queue holds
 * at most max_queued jobs waiting (0 = no bound). */
taxii_pool *taxii_pool_new(size_t n_threads, size_t max_queued);
/* Run fn(arg) on one of them, in submission order; false: out of memory,
 * or the queue is full (then fn is never called). */
bool taxii_pool_submit(taxii_pool *p, taxii_pool_fn fn, void *arg);
/* Run what is queued, then stop and join the threads. */
void taxii_pool_free(taxii_pool *p);

/* ---- listen.c, tls.c: setting up the server ---- */

/* Parse "ADDR:PORT" or "[ADDR]:PORT" (numeric) into ss; *v6 for IPv6. */
int taxii_listen_parse(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
		       bool *v6, cc_err *e);
/* Whether ss is a loopback address (127.0.0.0/8, ::1). */
bool taxii_listen_loopback(const struct sockaddr_storage *ss);
/* Raise the open-file limit to hold lim->conn_total connections besides
 * what a server of threads workers keeps open (stores, epoll, pipes); when
 * the hard limit is lower, lower conn_total and say so on stderr. */
void taxii_files_fit(taxii_limits *lim, unsigned threads);
/* Load the certificate and key PEM text of o (its files, or the
 * self-signed pair next to the store, made the first time) into cert and
 * key; the fingerprint into fp (size fn), the certificate's path into
 * cert_path (size cpn). */
int taxii_tls_load(const taxii_serve_opts *o, cc_buf *cert, cc_buf *key, char *fp,
		   size_t fn, char *cert_path, size_t cpn, cc_err *e);

/* libmicrohttpd's response for rs (its body handed over or, from the
 * memo, shared) with the headers TAXII needs, and Retry-After when
 * retry_after is not 0; *len receives the body's length.  NULL when out
 * of memory. */
struct MHD_Response;
struct MHD_Response *taxii_reply(taxii_response *rs, unsigned retry_after, size_t *len);

/* Whether the framing headers of the request on c contradict each other:
 * two different Content-Length values (which one is meant cannot be
 * known), or Content-Length with Transfer-Encoding (RFC 9112 6.1 lets a
 * server refuse it; proxies that pick the other one are how requests get
 * smuggled).  The problem (for a 400), or NULL. */
struct MHD_Connection;
const char *taxii_framing_problem(struct MHD_Connection *c);

/* ---- throttle.c: failed logins slow down the next ones ---- */

/* Three counts of failed logins, each with exponential backoff once past
 * its threshold: of one user name from one client address (threshold
 * login_failures), of one address over all names and of one name over all
 * addresses (4 x login_failures each; one address adds at most
 * login_failures to them).  A name and address pair with a successful
 * login is trusted: only its own count holds it back, so a guesser
 * elsewhere, or at the same address under other names, cannot lock its
 * user out.  IPv6 addresses count by their /64.  Thread-safe; the table is
 * bounded (the oldest entries make room, trusted pairs last). */
typedef struct taxii_throttle taxii_throttle;

/* NULL when out of memory. */
taxii_throttle *taxii_throttle_new(const taxii_limits *l);
void taxii_throttle_free(taxii_throttle *t);

/* Microseconds the login of user from addr must still wait (0: it may be
 * tried now); now_us is cc_mono_us().  Cheap while nothing is throttled. */
int64_t taxii_throttle_wait(taxii_throttle *t, const char *user, const struct sockaddr *addr,
			    int64_t now_us);

/* Count a verified login of user from addr: ok (a success) or a failure. */
void taxii_throttle_record(taxii_throttle *t, const char *user, const struct sockaddr *addr,
			   bool ok, int64_t now_us);

/* ---- guard.c: deadlines of slow clients ---- */

/* Hangs up on connections whose request headers (TLS handshake included)
 * are not in within header_timeout of the connection's start or the end of
 * its previous request, and on bodies that fall below body_min_rate bytes/s
 * after that grace.  A thread checks every connection four times a
 * second; the server reports each connection's phase. */
typedef struct taxii_guard taxii_guard;
typedef struct taxii_conn taxii_conn;

/* What a connection is doing, as far as the deadlines go. */
enum taxii_conn_phase {
	TAXII_CONN_HEADERS,                /* waiting for (the rest of) request headers */
	TAXII_CONN_BODY,                   /* receiving a request body */
	TAXII_CONN_BUSY                    /* the server has the request: no deadline */
};

/* Start the checking thread; NULL when it cannot start. */
taxii_guard *taxii_guard_new(const taxii_limits *l);
/* Stop it (after the last taxii_guard_close); accepts NULL. */
void taxii_guard_free(taxii_guard *g);
/* Watch the connection on socket fd, from its start; NULL when out of
 * memory (it then goes unwatched). */
taxii_conn *taxii_guard_open(taxii_guard *g, int fd);
/* Stop watching c (before its socket is closed) and free it; accepts NULL. */
void taxii_guard_close(taxii_guard *g, taxii_conn *c);
/* c enters phase (a taxii_conn_phase) now; accepts NULL. */
void taxii_conn_phase(taxii_conn *c, int phase);
/* n more body bytes arrived on c; accepts NULL. */
void taxii_conn_body(taxii_conn *c, size_t n);

/* ---- listen.c: the defences together ---- */

#define TAXII_MAX_AUTH_THREADS 8

/* What enforces the limits, owned by the server. */
typedef struct taxii_defences {
	taxii_limits lim;                  /* the limits in force (defaults filled in) */
	taxii_pool *auth;                  /* runs password checks (bounded queue) */
	taxii_throttle *throttle;          /* failed logins */
	taxii_guard *guard;                /* header and body deadlines */
} taxii_defences;

/* Fill d from limits l (zero fields: defaults) for a server of threads
 * workers and start its threads; call with SIGINT and SIGTERM blocked, as
 * for every thread of the server.  CC_EUSAGE for limits out of range.
 * taxii_defences_stop undoes it (also after a failure), after the daemon
 * has stopped. */
int taxii_defences_start(taxii_defences *d, const taxii_limits *l, unsigned threads,
			 cc_err *e);
void taxii_defences_stop(taxii_defences *d);

/* ---- log.c: the access log ---- */

/* A log line under construction; what does not fit is cut. */
typedef struct taxii_log_line {
	char v[1024];                      /* the text */
	size_t n;                          /* its length */
} taxii_log_line;

/* Append n bytes of s as they are (text the server chose). */
void taxii_log_put(taxii_log_line *l, const char *s, size_t n);
/* Append n bytes of s that a client chose, so that nothing in them can end
 * or forge a line or field: control characters, DEL, space, '"', '\\',
 * bytes that are not UTF-8 and C1 or line/paragraph separator characters
 * become \xHH escapes of their bytes; other UTF-8 passes as it is. */
void taxii_log_esc(taxii_log_line *l, const char *s, size_t n);
/* taxii_log_esc but spaces stay (a message, not a field). */
void taxii_log_text(taxii_log_line *l, const char *s, size_t n);
/* Append x in decimal. */
void taxii_log_u64(taxii_log_line *l, uint64_t x);
/* The numeric address of sa ("-" when it is unknown or not IP). */
void taxii_addr_text(const struct sockaddr *sa, char out[INET6_ADDRSTRLEN]);
/* Append the time now, "2016-05-12T08:17:27.123Z". */
void taxii_log_time(taxii_log_line *l);
/* Append the numeric client address ("-" when unknown). */
void taxii_log_addr(taxii_log_line *l, const struct sockaddr *sa);
/* End the line with a newline and write it to stderr in one write. */
void taxii_log_write(taxii_log_line *l);
/* The access-log line of a request: time, client address, method, "path",
 * status, body bytes, duration (us µs), user ("" = "-"), " (aborted)". */
void taxii_log_request(const struct sockaddr *addr, const char *method, const char *path,
		       int status, size_t bytes, int64_t us, const char *user, bool aborted);

#define TAXII_LOG_PER_SEC 10               /* messages a second, at most */

/* Messages (libmicrohttpd's) counted per second: a flood of connections
 * must not become a flood of log lines.  mu is initialised by the owner. */
typedef struct taxii_log_limit {
	pthread_mutex_t mu;                /* guards the rest */
	int64_t sec;                       /* the second being counted */
	unsigned n, dropped;               /* messages in it; dropped since the last shown */
} taxii_log_limit;

/* Write "cybercell: serve: <message>" (printf fmt and ap, escaped with
 * taxii_log_text) unless TAXII_LOG_PER_SEC were written this second; the
 * next one written says how many were dropped. */
void taxii_log_message(taxii_log_limit *lim, const char *fmt, va_list ap);

#endif
