/*
 * server.c — taxii_handle behind libmicrohttpd: TLS 1.2+ with GnuTLS, a
 * thread pool with one store handle and memo per worker thread, request
 * bodies streamed with the size limit enforced, POSTs run on threads of
 * their own (pool.c) while their connection is suspended, an access log
 * line per request on stderr, and a clean stop on SIGINT/SIGTERM.
 */
#include "taxii/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "util/file.h"
#include "util/time.h"

#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
#define MAX_THREADS 64

/* The running server. */
typedef struct server {
	taxii_ctx *ctx;
	const char *db_path;              /* borrowed from the options */
	bool tls;
	pthread_mutex_t stores_lock;      /* guards stores/n_stores */
	store *stores[2 * MAX_THREADS + 4]; /* every per-thread handle, closed at the end */
	taxii_memo *memos[2 * MAX_THREADS + 4]; /* the memo of each of those handles */
	size_t n_stores;
	atomic_long in_flight;            /* requests between first call and completion */
	taxii_pool *posts;                /* runs POSTs (NULL: on the MHD thread) */
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

/* State of one request across the access-handler calls. */
typedef struct req_state {
	int64_t t0;                       /* monotonic start, µs */
	cc_buf body;                      /* the upload so far */
	bool too_large;                   /* the upload passed max_content_length */
	size_t discarded;                 /* upload bytes dropped since then */
	int status;                       /* answered status, for the log */
	size_t bytes;                     /* answered body size */
	char user[64];                    /* authenticated user, for the log */
	char method[8];
	char path[200];
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

static void blob_done(void *cls)
{
	taxii_blob_unref(cls);
}

/* The MHD response for rs's body: the memo's shared bytes are sent as they
 * are (MHD drops the reference when done), a built body is handed over. */
static struct MHD_Response *response_of(taxii_response *rs, size_t *len)
{
	struct MHD_Response *r;
	char *data;

	if (rs->blob && rs->has_body) {
		*len = rs->blob->len;
		r = MHD_create_response_from_buffer_with_free_callback_cls(
			*len, rs->blob->data, blob_done, rs->blob);
		if (r)
			rs->blob = NULL;	/* MHD's reference now */
		return r;
	}
	data = cc_buf_take(&rs->body, len);
	if (!rs->has_body)
		*len = 0;
	r = MHD_create_response_from_buffer(*len, data, MHD_RESPMEM_MUST_FREE);
	if (!r)
		free(data);
	return r;
}

static enum MHD_Result queue(struct MHD_Connection *c, req_state *st, taxii_response *rs)
{
	size_t len = 0;
	struct MHD_Response *r = response_of(rs, &len);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	if (rs->has_body)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, TAXII_MEDIA_TYPE);
	if (rs->date_first[0])
		MHD_add_response_header(r, "X-TAXII-Date-Added-First", rs->date_first);
	if (rs->date_last[0])
		MHD_add_response_header(r, "X-TAXII-Date-Added-Last", rs->date_last);
	if (rs->www_authenticate)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Basic realm=\"cybercell\"");
	if (rs->allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rs->allow);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	st->status = rs->status;
	st->bytes = len;
	snprintf(st->user, sizeof(st->user), "%s", rs->user);
	ret = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Answer an error before the handler runs (size limit). */
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

/* A POST on a pool thread, with that thread's store and memo; the
 * connection is resumed to have the answer queued (see on_request). */
static void run_post(void *arg)
{
	req_state *st = arg;
	store *s;
	cc_err e;

	s = thread_store(st->sv, &e);
	if (!s)
		taxii_error(&st->rs, 500, "Internal Server Error", "%s", e.msg);
	else
		taxii_handle_memo(st->sv->ctx, s, tl_memo, &st->rq, &st->rs);
	atomic_store(&st->answered, true);
	MHD_resume_connection(st->conn);
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
	args.n = 0;
	args.overflow = false;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &args);
	if (args.overflow)
		return queue_error(c, st, 400, "Bad Request", "too many query arguments");
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = url;
	rq.args = args.v;
	rq.n_args = args.n;
	rq.accept = header(c, MHD_HTTP_HEADER_ACCEPT);
	rq.content_type = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
	rq.authorization = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
	rq.host = header(c, MHD_HTTP_HEADER_HOST);
	rq.tls = sv->tls;
	rq.body = st->body.data;
	rq.body_len = st->body.len;
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
	taxii_handle_memo(sv->ctx, s, tl_memo, &rq, &rs);
	ret = queue(c, st, &rs);
	taxii_response_clear(&rs);
	return ret;
}

/* How much of a body over the limit is read (and dropped) before the 413. */
static size_t discard_max(const server *sv)
{
	return 4 * sv->ctx->max_content_length + (1u << 20);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **con_cls)
{
	server *sv = cls;
	req_state *st = *con_cls;

	(void)version;
	if (!st) {
		const char *cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);

		st = calloc(1, sizeof(*st));
		if (!st)
			return MHD_NO;
		st->t0 = cc_mono_us();
		snprintf(st->method, sizeof(st->method), "%s", method);
		snprintf(st->path, sizeof(st->path), "%s", url);
		*con_cls = st;
		atomic_fetch_add(&sv->in_flight, 1);
		if (cl && strtoull(cl, NULL, 10) > sv->ctx->max_content_length) {
			char d[96];

			/* Answered once the body is in (read and dropped, see
			 * below): a client still sending when the server hangs
			 * up gets a reset instead of the 413.  Only a body far
			 * beyond the limit is refused at once. */
			st->too_large = true;
			if (strtoull(cl, NULL, 10) <= discard_max(sv))
				return MHD_YES;
			snprintf(d, sizeof(d), "the limit is %zu bytes", sv->ctx->max_content_length);
			return queue_error(c, st, 413, "Payload Too Large", d);
		}
		return MHD_YES;
	}
	if (*upload_size) {
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
	if (st->status)	/* already answered (413 on the first call) */
		return MHD_YES;
	if (atomic_load(&st->answered)) {	/* back from the POST pool */
		enum MHD_Result ret = queue(c, st, &st->rs);

		taxii_response_clear(&st->rs);
		return ret;
	}
	return dispatch(sv, c, st, url, method);
}

/* An access log line under construction (no printf: it runs per request). */
typedef struct log_line {
	char v[512];
	size_t n;
} log_line;

static void log_put(log_line *l, const char *s, size_t n)
{
	if (n > sizeof(l->v) - 1 - l->n)
		n = sizeof(l->v) - 1 - l->n;
	memcpy(l->v + l->n, s, n);
	l->n += n;
}

static void log_str(log_line *l, const char *s)
{
	log_put(l, s, strlen(s));
}

static void log_u64(log_line *l, uint64_t x)
{
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	log_put(l, d + i, sizeof(d) - i);
}

/* "2016-05-12T08:17:27.123Z" for now: the seconds are formatted once per
 * second per thread. */
static void log_time(log_line *l)
{
	static _Thread_local int64_t sec = -1;
	static _Thread_local char prefix[CC_TS_MAX];	/* "...T08:17:27" */
	int64_t now = cc_now_us();
	unsigned ms = (unsigned)(now % 1000000 / 1000);
	char frac[6] = { '.', (char)('0' + ms / 100), (char)('0' + ms / 10 % 10),
			 (char)('0' + ms % 10), 'Z', 0 };

	if (now / 1000000 != sec) {
		sec = now / 1000000;
		cc_ts_format(sec * 1000000, 0, prefix);
		prefix[19] = 0;		/* drop the "Z" */
	}
	log_put(l, prefix, 19);
	log_put(l, frac, 5);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	server *sv = cls;
	req_state *st = *con_cls;
	log_line l;

	(void)c;
	if (!st)
		return;
	/* "<time> <method> <path> <status> <bytes> <µs>us <user>[ (aborted)]" */
	l.n = 0;
	log_time(&l);
	log_put(&l, " ", 1);
	log_str(&l, st->method);
	log_put(&l, " ", 1);
	log_str(&l, st->path);
	log_put(&l, " ", 1);
	log_u64(&l, (uint64_t)(st->status > 0 ? st->status : 0));
	log_put(&l, " ", 1);
	log_u64(&l, st->bytes);
	log_put(&l, " ", 1);
	log_u64(&l, (uint64_t)(cc_mono_us() - st->t0));
	log_put(&l, "us ", 3);
	log_str(&l, st->user[0] ? st->user : "-");
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		log_str(&l, " (aborted)");
	log_put(&l, "\n", 1);
	if (l.v[l.n - 1] != '\n')
		l.v[l.n - 1] = '\n';	/* a cut line still ends */
	(void)!write(STDERR_FILENO, l.v, l.n);
	cc_buf_free(&st->body);
	taxii_response_clear(&st->rs);
	free(st);
	*con_cls = NULL;
	atomic_fetch_sub(&sv->in_flight, 1);
}

/* Parse "ADDR:PORT" or "[ADDR]:PORT" into ss. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
			bool *v6, cc_err *e)
{
	char host[128];
	const char *colon, *port;
	struct addrinfo hints, *res = NULL;
	size_t hl;

	if (listen[0] == '[') {
		const char *rb = strchr(listen, ']');

		if (!rb || rb[1] != ':')
			return cc_err_set(e, CC_EUSAGE, "serve: --listen: '%s' is not [ADDR]:PORT", listen);
		hl = (size_t)(rb - listen - 1);
		if (hl >= sizeof(host))
			return cc_err_set(e, CC_EUSAGE, "serve: --listen: address too long");
		memcpy(host, listen + 1, hl);
		port = rb + 2;
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			return cc_err_set(e, CC_EUSAGE, "serve: --listen: '%s' is not ADDR:PORT", listen);
		hl = (size_t)(colon - listen);
		if (hl >= sizeof(host))
			return cc_err_set(e, CC_EUSAGE, "serve: --listen: address too long");
		memcpy(host, listen, hl);
		port = colon + 1;
	}
	host[hl] = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (!*port || getaddrinfo(host, port, &hints, &res) != 0 || !res)
		return cc_err_set(e, CC_EUSAGE, "serve: --listen: '%s' is not a numeric ADDR:PORT",
				  listen);
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	*v6 = res->ai_family == AF_INET6;
	freeaddrinfo(res);
	return 0;
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return false;
}

/* Load cert and key PEM text (given files, or the self-signed pair). */
static int load_tls(const taxii_serve_opts *o, cc_buf *cert, cc_buf *key, char *fp,
		    size_t fn, char *cert_path, size_t cpn, cc_err *e)
{
	int rc;

	if (!o->cert_file) {
		char key_path[4096];

		snprintf(cert_path, cpn, "%s.tls-cert.pem", o->db_path);
		snprintf(key_path, sizeof(key_path), "%s.tls-key.pem", o->db_path);
		rc = taxii_tls_self_signed(cert_path, key_path, fp, fn, e);
		if (rc == 0)
			rc = cc_file_read_all(cert_path, cert, e);
		if (rc == 0)
			rc = cc_file_read_all(key_path, key, e);
		return rc;
	}
	snprintf(cert_path, cpn, "%s", o->cert_file);
	rc = cc_file_read_all(o->cert_file, cert, e);
	if (rc == 0)
		rc = cc_file_read_all(o->key_file, key, e);
	if (rc == 0)
		rc = taxii_tls_fingerprint(cert->data, cert->len, fp, fn, e);
	return rc;
}

static struct MHD_Daemon *start(server *sv, const taxii_serve_opts *o,
				const struct sockaddr_storage *ss, bool v6,
				const cc_buf *cert, const cc_buf *key)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
	unsigned threads = o->threads ? o->threads : 2;
	struct MHD_OptionItem opts[12];
	int n = 0;

	if (v6)
		flags |= MHD_USE_IPv6;
	if (sv->tls) {
		flags |= MHD_USE_TLS;
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, cert->data };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, key->data };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
						     (void *)TLS_PRIORITIES };
	}
	if (threads > 1)
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, threads, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, (void *)ss };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, 60, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT, 16 * 1024, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, sv,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, sv,
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
	taxii_pool_free(sv->posts);	/* runs what it holds: every suspended POST is resumed */
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
	if ((rc = parse_listen(o->listen ? o->listen : "127.0.0.1:6443", &ss, &sl, &v6, e)))
		return rc;
	if (o->insecure_http && !is_loopback(&ss))
		return cc_err_set(e, CC_EUSAGE,
				  "serve: --insecure-http is allowed only on a loopback address");
	if (o->threads > MAX_THREADS)
		return cc_err_set(e, CC_EUSAGE, "serve: --threads: at most %d", MAX_THREADS);
	/* fail early on a store that cannot be opened */
	if ((rc = store_open(o->db_path, &probe, e)))
		return rc;
	store_close(probe);
	sv.tls = !o->insecure_http;
	if (sv.tls && (rc = load_tls(o, &cert, &key, fp, sizeof(fp), cert_path,
				     sizeof(cert_path), e)))
		goto out;
	sv.ctx = taxii_ctx_new(&o->cfg);
	sv.db_path = o->db_path;
	pthread_mutex_init(&sv.stores_lock, NULL);
	if (!sv.ctx) {
		rc = cc_err_set(e, CC_ENOMEM, "serve: out of memory");
		goto out_lock;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);
	sv.posts = taxii_pool_new(o->threads ? o->threads : 1, 0);	/* NULL: POSTs run inline */
	d = start(&sv, o, &ss, v6, &cert, &key);
	if (!d) {
		taxii_pool_free(sv.posts);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		rc = cc_err_set(e, CC_EIO, "serve: cannot listen on %s (in use, or TLS setup failed)",
				o->listen ? o->listen : "127.0.0.1:6443");
		goto out_lock;
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
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	rc = 0;
out_lock:
	pthread_mutex_destroy(&sv.stores_lock);
	taxii_ctx_free(sv.ctx);
out:
	if (key.data)
		sodium_memzero(key.data, key.len);
	cc_buf_free(&cert);
	cc_buf_free(&key);
	return rc;
}
