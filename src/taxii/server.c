/*
 * server.c — taxii_handle behind libmicrohttpd: TLS 1.2+ with GnuTLS (AEAD
 * suites only by default), a thread pool with one store handle and memo per
 * worker thread, request bodies streamed with the size limit enforced, POSTs
 * run on threads of their own (pool.c) while their connection is suspended,
 * an escaped access log line per request on stderr, and a clean stop on
 * SIGINT/SIGTERM.
 *
 * Hostile clients: every request is authenticated on its headers, before
 * any body is read.  Credentials verified before pass at once (the cache);
 * new ones are checked by argon2 on a small pool of their own, with the
 * connection suspended, behind a bounded queue (full: 503), and failed
 * logins slow the next ones down (throttle.c: 429).  Connections are
 * bounded per client address and in all, and slow headers and bodies are
 * cut off (guard.c).
 */
#include "taxii/taxii_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "util/file.h"
#include "util/time.h"

#define MAX_THREADS 64
#define IDLE_TIMEOUT 60                   /* seconds of silence before MHD hangs up */

/* The running server. */
typedef struct server {
	taxii_ctx *ctx;
	const char *db_path;              /* borrowed from the options */
	bool tls;
	pthread_mutex_t stores_lock;      /* guards stores/n_stores */
	store *stores[2 * MAX_THREADS + TAXII_MAX_AUTH_THREADS + 4]; /* every per-thread handle,
	                                     closed at the end */
	taxii_memo *memos[2 * MAX_THREADS + TAXII_MAX_AUTH_THREADS + 4]; /* the memo of each */
	size_t n_stores;
	atomic_long in_flight;            /* requests between first call and completion */
	taxii_pool *posts;                /* runs POSTs (NULL: on the MHD thread) */
	taxii_defences def;               /* auth pool, throttle, deadlines, limits */
	taxii_log_limit mhd_log;          /* libmicrohttpd's messages */
	audit_writer *audit;              /* the audit trail (NULL: none), borrowed */
	const taxii_app *app;             /* served beside TAXII (NULL: none) */
} server;

/* The worker thread's own store handle and its memo (made on its first
 * request, freed by stop()). */
static _Thread_local store *tl_store;
static _Thread_local taxii_memo *tl_memo;

/* Collects the query arguments of a request (strings borrowed from MHD). */
typedef struct arg_list {
	taxii_arg v[64];
	size_t n;
	bool overflow;
} arg_list;

/* Where a request's password check stands. */
enum { AUTH_NOT_ASKED, AUTH_WAITING, AUTH_VALID, AUTH_INVALID, AUTH_BROKEN };

/* State of one request across the access-handler calls. */
typedef struct req_state {
	int64_t t0;                       /* monotonic start, µs */
	cc_buf body;                      /* the upload so far */
	bool too_large;                   /* the upload passed max_content_length */
	size_t discarded;                 /* upload bytes dropped since then */
	int status;                       /* answered status, for the log */
	size_t bytes;                     /* answered body size */
	unsigned retry_after;             /* seconds for a Retry-After header, 0 = none */
	char user[64];                    /* authenticated user, for the log */
	char method[16];                  /* as sent (cut), for the log */
	char path[256];                   /* as sent (cut), for the log */
	/* for the audit trail (with server.audit) */
	char *target;                     /* path and query (taxii_trail_target), owned */
	char org[208];                    /* the user's organisation */
	char authz[40];                   /* what the handler recorded (taxii_response) */
	char refused[256];
	bool audited;                     /* its entry is written already (or, early, being
	                                     written: see trail_before_commit) */
	bool early;                       /* pending is the entry of a POST, begun before
	                                     its commit */
	audit_pending pending;
	const struct sockaddr *addr;      /* the client's address (MHD's) */
	taxii_conn *guard;                /* the connection's deadlines (NULL: none) */
	bool app;                         /* for the application beside TAXII */
	/* the password check on the auth pool while the connection is suspended */
	char login[64];                   /* the user name the credentials claim */
	const char *authorization;        /* the header (MHD's, valid until completion) */
	atomic_int auth;                  /* AUTH_* */
	/* a request run by the POST pool while its connection is suspended */
	server *sv;
	struct MHD_Connection *conn;
	taxii_request rq;                 /* its strings are MHD's, valid until completion */
	arg_list args;
	taxii_response rs;                /* the answer, queued once resumed */
	atomic_bool answered;             /* rs is ready */
} req_state;

static store *thread_store(server *sv, cc_err *e)
{
	store *s = NULL;
	taxii_memo *m;

	if (tl_store)
		return tl_store;
	if (store_open(sv->db_path, &s, e) != 0)
		return NULL;
	m = taxii_memo_new();
	if (!m) {
		store_close(s);
		cc_err_set(e, CC_ENOMEM, "serve: out of memory");
		return NULL;
	}
	pthread_mutex_lock(&sv->stores_lock);
	if (sv->n_stores == sizeof(sv->stores) / sizeof(sv->stores[0])) {
		pthread_mutex_unlock(&sv->stores_lock);
		taxii_memo_free(m);
		store_close(s);
		cc_err_set(e, CC_ERR, "serve: too many worker threads");
		return NULL;
	}
	sv->memos[sv->n_stores] = m;
	sv->stores[sv->n_stores++] = s;
	pthread_mutex_unlock(&sv->stores_lock);
	tl_memo = m;
	tl_store = s;
	return s;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	arg_list *a = cls;

	(void)kind;
	if (a->n == sizeof(a->v) / sizeof(a->v[0])) {
		a->overflow = true;
		return MHD_NO;
	}
	a->v[a->n].key = key;
	a->v[a->n].value = value;
	a->n++;
	return MHD_YES;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static const char *header_of(void *conn, const char *name)
{
	return header(conn, name);
}

static enum MHD_Result queue(struct MHD_Connection *c, req_state *st, taxii_response *rs)
{
	size_t len = 0;
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (st->app)            /* the application's own log-in, not a browser's dialogue */
		rs->www_authenticate = false;
	r = taxii_reply(rs, st->retry_after, &len);
	if (!r)
		return MHD_NO;
	st->status = rs->status;
	st->bytes = len;
	snprintf(st->user, sizeof(st->user), "%s", rs->user);
	memcpy(st->org, rs->org, sizeof(st->org));
	memcpy(st->authz, rs->authz, sizeof(st->authz));
	memcpy(st->refused, rs->refused, sizeof(st->refused));
	ret = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Answer an error before the handler runs (credentials, size limit, ...). */
static enum MHD_Result queue_error(struct MHD_Connection *c, req_state *st, int status,
				   const char *title, const char *desc)
{
	taxii_response rs;
	enum MHD_Result ret;

	memset(&rs, 0, sizeof(rs));
	taxii_error(&rs, status, title, "%s", desc);
	ret = queue(c, st, &rs);
	taxii_response_clear(&rs);
	return ret;
}

/* What the trail needs of st, answered with rs (NULL: what queue() kept). */
static void trail_of(const req_state *st, const taxii_response *rs, bool aborted,
		     taxii_trail_req *r)
{
	size_t len = 0;

	if (rs && rs->has_body)
		taxii_response_body(rs, &len);
	r->method = st->method;
	r->target = st->target ? st->target : st->path;
	r->target_plain = st->target != NULL;
	r->addr = st->addr;
	r->user = rs ? rs->user : st->user;
	r->login = st->login;
	r->status = rs ? rs->status : st->status;
	r->bytes = rs ? len : st->bytes;
	r->aborted = aborted;
	r->org = r->authz = r->refused = NULL;
}

/* The entry of st (answered with rs, its id lists moved into it). */
static void trail_entry(req_state *st, taxii_response *rs, audit_entry *en)
{
	taxii_trail_req r;

	trail_of(st, rs, false, &r);
	taxii_trail_entry(en, &r, rs);
	st->audited = true;
}

/* A POST about to commit: its entry goes to the trail while the store
 * syncs (taxii_request.before_commit). */
static void trail_before_commit(taxii_response *rs, void *ud)
{
	req_state *st = ud;
	audit_entry en;

	trail_entry(st, rs, &en);
	audit_writer_begin(st->sv->audit, &en, &st->pending);
	st->early = true;
}

/* The answer to rq: the application's under its prefix, else TAXII's. */
static void answer(server *sv, store *s, const taxii_request *rq, taxii_response *rs)
{
	if (taxii_app_owns(sv->app, rq->path))
		taxii_app_handle(sv->ctx, sv->app, s, tl_memo, rq, rs);
	else
		taxii_handle_memo(sv->ctx, s, tl_memo, rq, rs);
}

/* A POST on a pool thread, with that thread's store and memo; the
 * connection is resumed to have the answer queued (see on_request).  A
 * POST that stored something is on the audit trail's disk before. */
static void run_post(void *arg)
{
	req_state *st = arg;
	audit_entry en;
	store *s;
	cc_err e;

	if (st->sv->audit) {
		st->rq.before_commit = trail_before_commit;
		st->rq.before_commit_ud = st;
	}
	s = thread_store(st->sv, &e);
	if (!s)
		taxii_error(&st->rs, 500, "Internal Server Error", "%s", e.msg);
	else
		answer(st->sv, s, &st->rq, &st->rs);
	if (st->early && audit_writer_wait(st->sv->audit, &st->pending) != 0) {
		taxii_trail_failed(st->method, &st->rs);
	} else if (st->early && st->rs.status != 202) {
		/* the commit failed after the entry was begun: say so */
		trail_entry(st, &st->rs, &en);
		audit_set(&en.message, "the store's commit failed: nothing of it was stored");
		audit_writer_add(st->sv->audit, &en, true, NULL, NULL);
	} else if (!st->early && st->sv->audit && taxii_trail_durable(st->method, &st->rs)) {
		trail_entry(st, &st->rs, &en);
		if (audit_writer_add(st->sv->audit, &en, true, NULL, NULL) != 0)
			taxii_trail_failed(st->method, &st->rs);
	}
	atomic_store(&st->answered, true);
	MHD_resume_connection(st->conn);
}

/* The audit writer has the entry of a suspended request on disk (rc 0)
 * or failed: resume it to have its answer queued. */
static void trail_written(int rc, void *arg)
{
	req_state *st = arg;

	if (rc)
		taxii_trail_failed(st->method, &st->rs);
	atomic_store(&st->answered, true);
	MHD_resume_connection(st->conn);
}

/* Answer rs once its entry is on disk: the connection waits (suspended),
 * its network thread serves the others meanwhile. */
static enum MHD_Result queue_audited(server *sv, struct MHD_Connection *c, req_state *st,
				     taxii_response *rs)
{
	audit_entry en;

	st->rs = *rs;
	memset(rs, 0, sizeof(*rs));
	trail_entry(st, &st->rs, &en);
	st->sv = sv;
	st->conn = c;
	MHD_suspend_connection(c);
	audit_writer_add(sv->audit, &en, true, trail_written, st);
	return MHD_YES;
}

/* The request on c as the handler sees it, its strings MHD's (valid until
 * completion), its query arguments in *args; false when there are too many
 * of them. */
static bool request_of(server *sv, struct MHD_Connection *c, req_state *st, const char *url,
		       const char *method, taxii_request *rq, arg_list *args)
{
	args->n = 0;
	args->overflow = false;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, args);
	memset(rq, 0, sizeof(*rq));
	rq->method = method;
	rq->path = url;
	rq->args = args->v;
	rq->n_args = args->n;
	rq->accept = header(c, MHD_HTTP_HEADER_ACCEPT);
	rq->content_type = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->authorization = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
	rq->host = header(c, MHD_HTTP_HEADER_HOST);
	rq->tls = sv->tls;
	rq->body = st->body.data;
	rq->body_len = st->body.len;
	rq->header_of = header_of;
	rq->conn = c;
	return !args->overflow;
}

static enum MHD_Result dispatch(server *sv, struct MHD_Connection *c, req_state *st,
				const char *url, const char *method)
{
	taxii_request rq;
	taxii_response rs;
	arg_list args;
	store *s;
	cc_err e;
	enum MHD_Result ret;

	if (st->too_large) {
		char d[96];

		snprintf(d, sizeof(d), "the limit is %zu bytes", sv->ctx->max_content_length);
		return queue_error(c, st, 413, "Payload Too Large", d);
	}
	if (!request_of(sv, c, st, url, method, &rq, &args))
		return queue_error(c, st, 400, "Bad Request", "too many query arguments");
	if (sv->posts && strcmp(method, "POST") == 0) {
		/* the connection waits, its MHD thread serves the others */
		st->sv = sv;
		st->conn = c;
		st->args = args;
		st->rq = rq;
		st->rq.args = st->args.v;
		MHD_suspend_connection(c);
		if (taxii_pool_submit(sv->posts, run_post, st))
			return MHD_YES;
		MHD_resume_connection(c);
	}
	s = thread_store(sv, &e);
	if (!s)
		return queue_error(c, st, 500, "Internal Server Error", e.msg);
	answer(sv, s, &rq, &rs);
	if (sv->audit && taxii_trail_durable(method, &rs))
		return queue_audited(sv, c, st, &rs);
	ret = queue(c, st, &rs);
	taxii_response_clear(&rs);
	return ret;
}

/* Ask the handler about a POST on its headers alone (route, grant, media
 * type: taxii_request.headers_only): true and *rs set when it is refused
 * before its body is read. */
static bool refused_on_headers(server *sv, struct MHD_Connection *c, req_state *st,
			       const char *url, const char *method, taxii_response *rs)
{
	taxii_request rq;
	arg_list args;
	store *s;
	cc_err e;

	if (!request_of(sv, c, st, url, method, &rq, &args))
		return false;	/* dispatch() says so */
	rq.headers_only = true;
	s = thread_store(sv, &e);
	if (!s)
		return false;
	answer(sv, s, &rq, rs);
	if (rs->status)
		return true;
	taxii_response_clear(rs);
	return false;
}

/* How much of a body over the limit is read (and dropped) before the 413. */
static size_t discard_max(const server *sv)
{
	return 4 * sv->ctx->max_content_length + (1u << 20);
}

/* The credentials are good: refuse a POST its headers already condemn, or
 * a body known to be too large, else let the body come (see on_request). */
static enum MHD_Result authenticated(server *sv, struct MHD_Connection *c, req_state *st,
				     const char *url, const char *method)
{
	const char *cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
	taxii_response rs;
	char d[96];

	if (strcmp(method, "POST") == 0 && refused_on_headers(sv, c, st, url, method, &rs)) {
		enum MHD_Result ret = queue(c, st, &rs);

		taxii_response_clear(&rs);
		return ret;
	}
	taxii_conn_phase(st->guard, TAXII_CONN_BODY);
	if (!cl || strtoull(cl, NULL, 10) <= sv->ctx->max_content_length)
		return MHD_YES;
	/* Answered once the body is in (read and dropped, see on_request): a
	 * client still sending when the server hangs up gets a reset instead
	 * of the 413.  Only a body far beyond the limit is refused at once. */
	st->too_large = true;
	if (strtoull(cl, NULL, 10) <= discard_max(sv))
		return MHD_YES;
	snprintf(d, sizeof(d), "the limit is %zu bytes", sv->ctx->max_content_length);
	return queue_error(c, st, 413, "Payload Too Large", d);
}

/* A password check on an auth pool thread; the connection is resumed to
 * go on (see on_request). */
static void run_auth(void *arg)
{
	req_state *st = arg;
	server *sv = st->sv;
	store *s;
	cc_err e;
	bool ok;

	s = thread_store(sv, &e);
	if (!s) {
		atomic_store(&st->auth, AUTH_BROKEN);
	} else {
		ok = taxii_auth_verify(sv->ctx, s, tl_memo, st->authorization);
		taxii_throttle_record(sv->def.throttle, st->login, st->addr, ok, cc_mono_us());
		atomic_store(&st->auth, ok ? AUTH_VALID : AUTH_INVALID);
	}
	MHD_resume_connection(st->conn);
}

/* Retry-After in whole seconds for a wait of us. */
static unsigned seconds_up(int64_t us)
{
	return (unsigned)((us + 999999) / 1000000);
}

/* The credentials of a request, on its headers: 401, 429 or 503 at once,
 * on to authenticated(), or a check on the auth pool (suspended). */
static enum MHD_Result authenticate(server *sv, struct MHD_Connection *c, req_state *st,
				    const char *url, const char *method)
{
	taxii_auth_need need;
	int64_t wait;

	st->authorization = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
	need = taxii_auth_peek(sv->ctx, st->authorization, st->login);
	if (need == TAXII_AUTH_NONE)
		return queue_error(c, st, 401, "Unauthorized",
				   "valid HTTP Basic credentials are required");
	/* also for credentials in the cache: else a throttled guesser would
	 * learn from a 200 instead of the 429 that a guess is right */
	wait = taxii_throttle_wait(sv->def.throttle, st->login, st->addr, cc_mono_us());
	if (wait > 0) {
		char d[96];

		st->retry_after = seconds_up(wait);
		snprintf(d, sizeof(d), "too many failed logins; try again in %u s", st->retry_after);
		return queue_error(c, st, 429, "Too Many Requests", d);
	}
	if (need == TAXII_AUTH_KNOWN)
		return authenticated(sv, c, st, url, method);
	st->sv = sv;
	st->conn = c;
	atomic_store(&st->auth, AUTH_WAITING);
	taxii_conn_phase(st->guard, TAXII_CONN_BUSY);
	MHD_suspend_connection(c);
	if (taxii_pool_submit(sv->def.auth, run_auth, st))
		return MHD_YES;
	MHD_resume_connection(c);
	atomic_store(&st->auth, AUTH_NOT_ASKED);
	st->retry_after = 1;
	return queue_error(c, st, 503, "Service Unavailable",
			   "too many logins are being checked; try again");
}

/* Back from the auth pool: libmicrohttpd calls again as if for the first
 * time, before any body is read. */
static enum MHD_Result auth_done(server *sv, struct MHD_Connection *c, req_state *st,
				 const char *url, const char *method)
{
	int a = atomic_exchange(&st->auth, AUTH_NOT_ASKED);

	if (a == AUTH_VALID)
		return authenticated(sv, c, st, url, method);
	if (a == AUTH_BROKEN)
		return queue_error(c, st, 500, "Internal Server Error", "cannot check credentials");
	return queue_error(c, st, 401, "Unauthorized", "valid HTTP Basic credentials are required");
}

/* The first call of a request: its headers are in, its body is not. */
static enum MHD_Result first_call(server *sv, struct MHD_Connection *c, const char *url,
				  const char *method, void **con_cls)
{
	const union MHD_ConnectionInfo *ci;
	const char *bad_framing;
	req_state *st = calloc(1, sizeof(*st));

	if (!st)
		return MHD_NO;
	st->t0 = cc_mono_us();
	snprintf(st->method, sizeof(st->method), "%s", method);
	snprintf(st->path, sizeof(st->path), "%s", url);
	if (sv->audit)
		st->target = taxii_trail_target(c, url);
	atomic_init(&st->auth, AUTH_NOT_ASKED);
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	st->addr = ci ? ci->client_addr : NULL;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	st->guard = ci ? ci->socket_context : NULL;
	*con_cls = st;
	atomic_fetch_add(&sv->in_flight, 1);
	bad_framing = taxii_framing_problem(c);
	if (bad_framing)
		return queue_error(c, st, 400, "Bad Request", bad_framing);
	/* the application checks its sessions itself; credentials, when
	 * given, are checked here as for TAXII */
	st->app = taxii_app_owns(sv->app, url);
	if (st->app && !header(c, MHD_HTTP_HEADER_AUTHORIZATION))
		return authenticated(sv, c, st, url, method);
	return authenticate(sv, c, st, url, method);
}

/* libmicrohttpd calls this first when the headers are in (then a 401, 413
 * or other refusal is queued before any body is read, and libmicrohttpd
 * drops the body and the connection), again after a suspension in that
 * first call, once per piece of the body, and once more at its end. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **con_cls)
{
	server *sv = cls;
	req_state *st = *con_cls;

	(void)version;
	if (!st)
		return first_call(sv, c, url, method, con_cls);
	if (atomic_load(&st->auth) != AUTH_NOT_ASKED)	/* resumed: the check is done */
		return auth_done(sv, c, st, url, method);
	if (*upload_size) {
		taxii_conn_body(st->guard, *upload_size);
		if (!st->too_large && st->body.len + *upload_size <= sv->ctx->max_content_length) {
			cc_buf_append(&st->body, upload, *upload_size);
		} else {
			/* MHD answers only once the body is in: keep counting, keep
			 * nothing, and hang up on a client that sends far too much */
			st->too_large = true;
			st->discarded += *upload_size;
			if (st->discarded > discard_max(sv))
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->status)	/* already answered (refused on the first call) */
		return MHD_YES;
	taxii_conn_phase(st->guard, TAXII_CONN_BUSY);
	if (atomic_load(&st->answered)) {	/* back from the POST pool */
		enum MHD_Result ret = queue(c, st, &st->rs);

		taxii_response_clear(&st->rs);
		return ret;
	}
	return dispatch(sv, c, st, url, method);
}

/* The entry of a request that need not be on disk before its answer,
 * written within the writer's batch time. */
static void trail_completed(server *sv, req_state *st, bool aborted)
{
	taxii_trail_req r;

	trail_of(st, NULL, aborted, &r);
	r.org = st->org;
	r.authz = st->authz;
	r.refused = st->refused;
	taxii_trail_note(sv->audit, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	server *sv = cls;
	req_state *st = *con_cls;

	(void)c;
	if (!st)
		return;
	taxii_log_request(st->addr, st->method, st->path, st->status, st->bytes,
			  cc_mono_us() - st->t0, st->user, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	if (sv->audit && !st->audited)
		trail_completed(sv, st, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	free(st->target);
	/* the next request's headers are due from now */
	taxii_conn_phase(st->guard, TAXII_CONN_HEADERS);
	taxii_auth_forget();
	cc_buf_free(&st->body);
	taxii_response_clear(&st->rs);
	free(st);
	*con_cls = NULL;
	atomic_fetch_sub(&sv->in_flight, 1);
}

/* Connections start and end: their deadlines are watched in between. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	server *sv = cls;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

		*socket_context = ci ? taxii_guard_open(sv->def.guard, ci->connect_fd) : NULL;
	} else {
		taxii_guard_close(sv->def.guard, *socket_context);
		*socket_context = NULL;
	}
}

/* libmicrohttpd's own messages (a refused connection, a failed handshake). */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	server *sv = cls;

	taxii_log_message(&sv->mhd_log, fmt, ap);
}

static struct MHD_Daemon *start(server *sv, const taxii_serve_opts *o,
				const struct sockaddr_storage *ss, bool v6,
				const cc_buf *cert, const cc_buf *key)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
	unsigned threads = o->threads ? o->threads : 2;
	struct MHD_OptionItem opts[16];
	int n = 0;

	if (v6)
		flags |= MHD_USE_IPv6;
	if (sv->tls) {
		flags |= MHD_USE_TLS;
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, cert->data };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, key->data };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
						     (void *)sv->def.lim.tls_priorities };
	}
	if (threads > 1)
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, threads, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, (void *)ss };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, IDLE_TIMEOUT, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT, 16 * 1024, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, sv->def.lim.conn_total, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
					     sv->def.lim.conn_per_addr, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, sv,
				MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, sv,	/* first */
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, sv,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, sv,
				MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
}

/* Wait for SIGINT/SIGTERM (blocked in every thread by taxii_serve). */
static void wait_signal(const sigset_t *set)
{
	int sig = 0;

	while (sigwait(set, &sig) != 0)
		;
}

static void stop(server *sv, struct MHD_Daemon *d)
{
	int64_t until = cc_mono_us() + 10 * 1000000LL;
	MHD_socket ls = MHD_quiesce_daemon(d);
	size_t i;

	if (ls != MHD_INVALID_SOCKET)
		close(ls);	/* quiesce hands the listening socket to us */
	while (atomic_load(&sv->in_flight) > 0 && cc_mono_us() < until)
		usleep(10000);
	/* the pools run what they hold: every suspended request is resumed */
	taxii_pool_free(sv->def.auth);
	sv->def.auth = NULL;
	taxii_pool_free(sv->posts);
	sv->posts = NULL;
	MHD_stop_daemon(d);
	for (i = 0; i < sv->n_stores; i++) {
		taxii_memo_free(sv->memos[i]);
		store_close(sv->stores[i]);
	}
	sv->n_stores = 0;
}

int taxii_serve(const taxii_serve_opts *o, cc_err *e)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	bool v6 = false;
	cc_buf cert = CC_BUF_INIT, key = CC_BUF_INIT;
	char fp[128] = "", cert_path[4200] = "", url[300], host[INET6_ADDRSTRLEN];
	server sv;
	struct MHD_Daemon *d = NULL;
	sigset_t set, old;
	store *probe = NULL;
	const union MHD_DaemonInfo *info;
	int rc;

	memset(&sv, 0, sizeof(sv));
	if ((rc = taxii_listen_parse(o->listen ? o->listen : "127.0.0.1:6443", &ss, &sl, &v6, e)))
		return rc;
	if (o->insecure_http && !taxii_listen_loopback(&ss))
		return cc_err_set(e, CC_EUSAGE,
				  "serve: --insecure-http is allowed only on a loopback address");
	if (o->threads > MAX_THREADS)
		return cc_err_set(e, CC_EUSAGE, "serve: --threads: at most %d", MAX_THREADS);
	/* fail early on a store that cannot be opened */
	if ((rc = store_open(o->db_path, &probe, e)))
		return rc;
	store_close(probe);
	sv.tls = !o->insecure_http;
	if (sv.tls && (rc = taxii_tls_load(o, &cert, &key, fp, sizeof(fp), cert_path,
				     sizeof(cert_path), e)))
		goto out;
	sv.ctx = taxii_ctx_new(&o->cfg);
	sv.db_path = o->db_path;
	sv.audit = o->audit;
	sv.app = o->app;
	pthread_mutex_init(&sv.stores_lock, NULL);
	pthread_mutex_init(&sv.mhd_log.mu, NULL);
	if (!sv.ctx) {
		rc = cc_err_set(e, CC_ENOMEM, "serve: out of memory");
		goto out_lock;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);
	sv.ctx->auth_deferred = true;	/* passwords are checked on sv.def.auth */
	if ((rc = taxii_defences_start(&sv.def, &o->limits, o->threads ? o->threads : 2, e)))
		goto out_threads;
	sv.posts = taxii_pool_new(o->threads ? o->threads : 1, 0);	/* NULL: POSTs run inline */
	d = start(&sv, o, &ss, v6, &cert, &key);
	if (!d) {
		rc = cc_err_set(e, CC_EIO, "serve: cannot listen on %s (in use, or TLS setup failed)",
				o->listen ? o->listen : "127.0.0.1:6443");
		goto out_threads;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
	snprintf(url, sizeof(url), "%s://%s%s%s:%u/taxii2/", sv.tls ? "https" : "http",
		 v6 ? "[" : "", host, v6 ? "]" : "", info ? (unsigned)info->port : 0);
	if (o->on_ready)
		o->on_ready(url, sv.tls ? fp : NULL, sv.tls ? cert_path : NULL, o->ud);
	wait_signal(&set);
	stop(&sv, d);
	rc = 0;
out_threads:
	taxii_pool_free(sv.posts);
	taxii_defences_stop(&sv.def);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
out_lock:
	pthread_mutex_destroy(&sv.mhd_log.mu);
	pthread_mutex_destroy(&sv.stores_lock);
	taxii_ctx_free(sv.ctx);
out:
	if (key.data)
		sodium_memzero(key.data, key.len);
	cc_buf_free(&cert);
	cc_buf_free(&key);
	return rc;
}
