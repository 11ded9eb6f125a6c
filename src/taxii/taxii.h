/*
 * taxii.h — the TAXII 2.1 server: members push and pull STIX objects over
 * HTTPS, exactly as the OASIS TAXII 2.1 specification (sections 4 and 5)
 * says, with HTTP Basic authentication and TLP 2.0 enforced on every read.
 *
 * Layers: taxii_handle() answers one parsed request against one store handle
 * (no sockets: the fuzzer and the unit tests call it directly);
 * taxii_serve() puts it behind libmicrohttpd + GnuTLS with a thread pool.
 * The parsing pieces (media types, Basic credentials, query filters) are
 * public so they can be tested on their own.
 *
 * Ownership: a taxii_ctx is made by taxii_ctx_new and freed by
 * taxii_ctx_free; it borrows nothing.  A taxii_request borrows every string
 * it points to.  A taxii_response owns its body (taxii_response_clear frees
 * it).  Password strings passed in are never kept, logged or copied beyond
 * the call.
 */
#ifndef CC_TAXII_H
#define CC_TAXII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

#define TAXII_MEDIA_TYPE "application/taxii+json;version=2.1"
#define TAXII_STIX_MEDIA_TYPE "application/stix+json;version=2.1"
#define TAXII_DEFAULT_API_ROOT "api1"
#define TAXII_DEFAULT_MAX_CONTENT (16u * 1024 * 1024)
#define TAXII_PAGE_MAX 10000   /* objects per page when limit is absent or larger */
#define TAXII_DEFAULT_STATUS_TTL (24u * 3600)   /* seconds a status resource is kept */

/* ---- parsing pieces ---------------------------------------------------- */

/* Whether an Accept header admits the TAXII 2.1 media type: one of its
 * comma-separated ranges is application/taxii+json with version 2.1 or no
 * version, or application/ wildcard or the any wildcard.  A NULL or empty
 * header is accepted (HTTP: no preference). */
bool taxii_accept_ok(const char *accept);

/* Whether a Content-Type is the TAXII 2.1 media type (version 2.1 or none). */
bool taxii_content_type_ok(const char *content_type);

/* Decode "Basic <base64(user:password)>" into user (size un) and password
 * (size pn).  False when the header is not a well-formed Basic credential
 * or a part does not fit.  The caller wipes pass after use. */
bool taxii_basic_auth_decode(const char *header, char *user, size_t un,
			     char *pass, size_t pn);

/* One query argument as libmicrohttpd gives it: key and value split at the
 * first '=' and percent-decoded ('+' is a space). */
typedef struct taxii_arg {
	const char *key;        /* e.g. "match[type]" */
	const char *value;      /* NULL when the argument had no '=' */
} taxii_arg;

/* Parsed URL filters of the objects, object, manifest and versions
 * endpoints.  Owns its strings; taxii_filter_clear frees them. */
typedef struct taxii_filter {
	char **ids; size_t n_ids;          /* match[id] */
	char **types; size_t n_types;      /* match[type] */
	char **specs; size_t n_specs;      /* match[spec_version] */
	unsigned versions;                 /* STORE_VER_* bits from match[version] */
	int64_t *version_us; size_t n_version_us; /* match[version] timestamps */
	int64_t added_after_us;            /* added_after, 0 = none */
	int64_t next_us;                   /* next token, 0 = none */
	size_t limit;                      /* limit, 0 = none given */
} taxii_filter;

/* Parse the filters among args.  Unknown arguments are ignored; a present
 * but malformed filter is CC_EUSAGE with "<name>: <what>" in *e. */
int taxii_filter_parse(const taxii_arg *args, size_t n, taxii_filter *f, cc_err *e);
void taxii_filter_clear(taxii_filter *f);

/* ---- passwords --------------------------------------------------------- */

/* argon2id hash string of password (libsodium crypto_pwhash_str, interactive
 * limits) into out.  Fails only when out of memory. */
#define TAXII_PWHASH_MAX 128
int taxii_password_hash(const char *password, char out[TAXII_PWHASH_MAX], cc_err *e);
/* A fresh random password (24 characters of base64url, 144 bits). */
#define TAXII_PASSWORD_GEN 25
void taxii_password_generate(char out[TAXII_PASSWORD_GEN]);

/* ---- the request handler ---------------------------------------------- */

typedef struct taxii_ctx taxii_ctx;

typedef struct taxii_config {
	const char *api_root;              /* name of the one API root, "api1" */
	size_t max_content_length;         /* bytes, advertised and enforced */
	const char *title;                 /* discovery title, NULL = "cybercell" */
	unsigned status_ttl_s;             /* seconds a status resource is kept after
	                                      its POST (0 = TAXII_DEFAULT_STATUS_TTL) */
	const unsigned char *hub_pk;       /* the hub's Ed25519 public key (32 bytes,
	                                      copied), which endorses approvers; NULL:
	                                      restricted collections open to nobody */
} taxii_config;

/* A server context: configuration, the write lock, the credential cache.
 * NULL on out-of-memory or libsodium failure. */
taxii_ctx *taxii_ctx_new(const taxii_config *cfg);
void taxii_ctx_free(taxii_ctx *ctx);

typedef struct taxii_response taxii_response;

/* One HTTP request as the handler sees it; strings borrowed. */
typedef struct taxii_request {
	const char *method;                /* "GET", "POST", "DELETE", ... */
	const char *path;                  /* decoded path, e.g. "/api1/collections/" */
	const taxii_arg *args; size_t n_args;
	const char *accept;                /* header values, NULL when absent */
	const char *content_type;
	const char *authorization;
	const char *host;                  /* Host header, for absolute URLs */
	bool tls;                          /* scheme https (for absolute URLs) */
	const char *body; size_t body_len;
	bool headers_only;                 /* the body is not read yet: a POST gets only the
	                                      answers its headers decide (credentials, route,
	                                      grant, media type), else status 0 */
	/* A POST about to commit calls it (may be NULL) with the answer it
	 * gives when the commit succeeds, before committing: the server then
	 * writes the request's audit entry while the store syncs (it may take
	 * rs's id lists).  The answer after a failed commit is an error. */
	void (*before_commit)(taxii_response *rs, void *ud);
	void *before_commit_ud;
	/* any other request header by name (NULL when absent), for an
	 * application beside TAXII (taxii_app); header_of NULL: none */
	const char *(*header_of)(void *conn, const char *name);
	void *conn;
} taxii_request;

typedef struct taxii_blob taxii_blob;

/* The answer: status, body and the headers TAXII needs. */
struct taxii_response {
	int status;                        /* HTTP status */
	cc_buf body;                       /* owned; empty for no body */
	taxii_blob *blob;                  /* when set, the body instead of body: bytes
	                                      shared with the worker's memo (one
	                                      reference owned); see taxii_response_body */
	bool has_body;                     /* send body with Content-Type TAXII */
	char date_first[64];               /* X-TAXII-Date-Added-First, "" = none */
	char date_last[64];                /* X-TAXII-Date-Added-Last, "" = none */
	bool www_authenticate;             /* add WWW-Authenticate: Basic */
	const char *allow;                 /* Allow header for 405, NULL = none */
	char user[64];                     /* authenticated user name for the log */
	/* what the audit trail records of the request, besides what the
	 * server knows (see audit.h and taxii_trail_entry) */
	char org[208];                     /* the user's organisation */
	char authz[40];                    /* the authorisation that opened a restricted
	                                      collection */
	char refused[256];                 /* why an authorisation of the user did not */
	audit_list written, versioned;     /* ids a POST stored: new, or new versions */
	audit_list deleted;                /* the id a DELETE removed versions of */
	audit_list read;                   /* ids read that are TLP:AMBER+STRICT or RED,
	                                      or in a restricted collection */
	const char *content_type;          /* of the body; NULL = the TAXII media type */
	cc_buf headers;                    /* more headers, owned: "Name: value\n" each */
};

void taxii_response_clear(taxii_response *rs);

/* The body bytes of rs (borrowed; valid until rs is cleared). */
const char *taxii_response_body(const taxii_response *rs, size_t *len);

/* Answer rq against store s (a handle owned by the calling thread).  Fills
 * *rs (initialised by this call).  Never fails: every problem becomes an
 * HTTP error status with a TAXII error message body.  A GET reads one
 * snapshot of the store (one read transaction). */
void taxii_handle(taxii_ctx *ctx, store *s, const taxii_request *rq, taxii_response *rs);

/* A worker's memo between requests of users, collections, grants and the
 * answers of reads asked more than once (bounded: a few MiB): it spares a
 * GET those lookups and queries while the store is unchanged, and forgets
 * everything at the first request after any commit by anyone (so
 * revocations, TLP and password changes and new objects apply at once).
 * Authentication and the 403/404 rules still run on every request.  One
 * memo per store handle, used by one thread; taxii_memo_free accepts NULL.
 * NULL on out-of-memory. */
typedef struct taxii_memo taxii_memo;
taxii_memo *taxii_memo_new(void);
void taxii_memo_free(taxii_memo *m);

/* taxii_handle with memo m, which must always be used with the same s. */
void taxii_handle_memo(taxii_ctx *ctx, store *s, taxii_memo *m, const taxii_request *rq,
		       taxii_response *rs);

/* ---- an application beside TAXII on the same port ----------------------- */

/* The analysts' web interface (src/ui/) is served by the same server, on
 * the same port, under its own path prefix: same TLS, connection limits,
 * deadlines and access log, and the same users.  A request there that
 * carries HTTP Basic credentials has them checked exactly as a TAXII
 * request's (the throttle's 429, argon2 on the auth threads, 503 when
 * they are busy, 401) before the application sees it, with the user it
 * names; a request without them goes to the application as it is (it has
 * sessions of its own).  Its answers carry no WWW-Authenticate. */
typedef struct taxii_app {
	const char *prefix;                /* e.g. "/ui": that path and those below it */
	/* Answer rq, like taxii_handle: user and org_id are the verified Basic
	 * credentials' (user NULL when rq has none).  A GET runs in one read
	 * snapshot of s; a POST on the POST threads, first with
	 * rq->headers_only (status 0: read the body) */
	void (*handle)(void *ud, store *s, const taxii_request *rq, const char *user,
		       int64_t org_id, taxii_response *rs);
	void *ud;
} taxii_app;

/* Whether path belongs to app (NULL: none does). */
bool taxii_app_owns(const taxii_app *app, const char *path);

/* Answer rq for app against s (its memo m bound to s), verifying
 * rq->authorization when present as taxii_handle does. */
void taxii_app_handle(taxii_ctx *ctx, const taxii_app *app, store *s, taxii_memo *m,
		      const taxii_request *rq, taxii_response *rs);

/* ---- the server -------------------------------------------------------- */

/* Defaults of the limits a hostile client meets (see taxii_limits). */
#define TAXII_DEFAULT_CONN_PER_ADDR 128
#define TAXII_DEFAULT_CONN_TOTAL 1024
#define TAXII_DEFAULT_HEADER_TIMEOUT 20       /* seconds */
#define TAXII_DEFAULT_BODY_MIN_RATE 1024      /* bytes per second */
#define TAXII_DEFAULT_LOGIN_FAILURES 5
#define TAXII_DEFAULT_LOGIN_BACKOFF 1         /* seconds */
#define TAXII_DEFAULT_LOGIN_BACKOFF_MAX 900   /* seconds */
#define TAXII_DEFAULT_AUTH_QUEUE 64
#define TAXII_DEFAULT_AUTH_THREADS 1
#define TAXII_DEFAULT_TLS_PRIORITIES \
	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:" \
	"+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA"

/* What the server concedes to one client before it refuses or hangs up;
 * a zero field takes its TAXII_DEFAULT_* value (taxii_limits_default). */
typedef struct taxii_limits {
	unsigned conn_per_addr;            /* open connections per client address */
	unsigned conn_total;               /* open connections in all */
	unsigned header_timeout;           /* seconds from a connection's start (or the
	                                      end of its previous request) to the end of
	                                      the request headers, TLS handshake included */
	unsigned body_min_rate;            /* bytes/s a body must keep up after a grace of
	                                      header_timeout; UINT_MAX = no minimum */
	unsigned login_failures;           /* failed logins of one user name from one
	                                      address before each try must wait */
	unsigned login_backoff;            /* seconds of the first wait; it doubles */
	unsigned login_backoff_max;        /* seconds the wait never exceeds */
	unsigned auth_queue;               /* password checks waiting at most (then 503) */
	unsigned auth_threads;             /* threads that run password checks */
	const char *tls_priorities;        /* GnuTLS priority string */
} taxii_limits;

/* l with each zero field set to its default. */
void taxii_limits_default(taxii_limits *l);

typedef struct taxii_serve_opts {
	const char *db_path;               /* the store */
	audit_writer *audit;               /* each request's entry goes there (borrowed;
	                                      NULL: no audit trail) */
	const char *listen;                /* "ADDR:PORT" or "[v6]:PORT" */
	const char *cert_file, *key_file;  /* NULL = self-signed next to the store */
	bool insecure_http;                /* plain HTTP (loopback only) */
	unsigned threads;                  /* worker threads */
	taxii_limits limits;               /* zero fields: defaults */
	taxii_config cfg;
	const taxii_app *app;              /* served beside TAXII (NULL: none) */
	/* called once the server listens, with the base URL and, for TLS, the
	 * certificate's SHA-256 fingerprint (hex with colons) */
	void (*on_ready)(const char *url, const char *fingerprint, const char *cert_path, void *ud);
	void *ud;
} taxii_serve_opts;

/* Serve until SIGINT or SIGTERM; then finish in-flight requests and return
 * 0.  With o->audit, every request is an entry of the trail: a POST or
 * DELETE that changed the store, and a read of restricted material, is
 * on disk before its answer is sent (or the answer is an error: 500, 503);
 * other entries within the writer's batch time.  Fails (CC_EUSAGE for bad options, CC_EIO for sockets/TLS) before
 * serving. */
int taxii_serve(const taxii_serve_opts *o, cc_err *e);

/* Load or (first time) create the self-signed certificate and key at
 * cert_path/key_path (key mode 0600).  fingerprint receives the SHA-256
 * fingerprint "AB:CD:..." (size >= 96). */
int taxii_tls_self_signed(const char *cert_path, const char *key_path,
			  char *fingerprint, size_t fn, cc_err *e);
/* SHA-256 fingerprint of the first certificate in PEM text. */
int taxii_tls_fingerprint(const char *pem, size_t len, char *fingerprint, size_t fn, cc_err *e);

#endif
