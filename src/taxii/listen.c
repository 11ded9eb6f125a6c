/*
 * listen.c — where the server listens and how much it takes in: the
 * listen address, the limits (their defaults, the open files they need)
 * and the machinery that enforces them; what it lets out: a request's
 * framing checked, an answer made into libmicrohttpd's response.
 */
#include "taxii/taxii_int.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include <microhttpd.h>

int taxii_listen_parse(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
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

bool taxii_listen_loopback(const struct sockaddr_storage *ss)
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

void taxii_limits_default(taxii_limits *l)
{
	if (!l->conn_per_addr)
		l->conn_per_addr = TAXII_DEFAULT_CONN_PER_ADDR;
	if (!l->conn_total)
		l->conn_total = TAXII_DEFAULT_CONN_TOTAL;
	if (!l->header_timeout)
		l->header_timeout = TAXII_DEFAULT_HEADER_TIMEOUT;
	if (!l->body_min_rate)
		l->body_min_rate = TAXII_DEFAULT_BODY_MIN_RATE;
	if (!l->login_failures)
		l->login_failures = TAXII_DEFAULT_LOGIN_FAILURES;
	if (!l->login_backoff)
		l->login_backoff = TAXII_DEFAULT_LOGIN_BACKOFF;
	if (!l->login_backoff_max)
		l->login_backoff_max = TAXII_DEFAULT_LOGIN_BACKOFF_MAX;
	if (!l->auth_queue)
		l->auth_queue = TAXII_DEFAULT_AUTH_QUEUE;
	if (!l->auth_threads)
		l->auth_threads = TAXII_DEFAULT_AUTH_THREADS;
	if (!l->tls_priorities)
		l->tls_priorities = TAXII_DEFAULT_TLS_PRIORITIES;
}

void taxii_files_fit(taxii_limits *lim, unsigned threads)
{
	rlim_t reserve = 64 + 4 * (2 * (rlim_t)threads + lim->auth_threads);
	rlim_t need = lim->conn_total + reserve;
	struct rlimit rl;
	taxii_log_line l;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need ? rl.rlim_max : need;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 && getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur >= need)
		return;
	lim->conn_total = rl.rlim_cur > reserve + threads ? (unsigned)(rl.rlim_cur - reserve) : threads;
	l.n = 0;
	taxii_log_put(&l, "cybercell: serve: WARNING: serving at most ", 43);
	taxii_log_u64(&l, lim->conn_total);
	taxii_log_put(&l, " connections: the open-file limit is ", 37);
	taxii_log_u64(&l, (uint64_t)rl.rlim_cur);
	taxii_log_write(&l);
}

int taxii_defences_start(taxii_defences *d, const taxii_limits *l, unsigned threads, cc_err *e)
{
	memset(d, 0, sizeof(*d));
	d->lim = *l;
	taxii_limits_default(&d->lim);
	if (d->lim.auth_threads > TAXII_MAX_AUTH_THREADS)
		return cc_err_set(e, CC_EUSAGE, "serve: --auth-threads: at most %d",
				  TAXII_MAX_AUTH_THREADS);
	if (d->lim.conn_total < threads)
		return cc_err_set(e, CC_EUSAGE, "serve: --max-connections: at least --threads (%u)",
				  threads);
	taxii_files_fit(&d->lim, threads);
	d->auth = taxii_pool_new(d->lim.auth_threads, d->lim.auth_queue);
	d->throttle = taxii_throttle_new(&d->lim);
	d->guard = taxii_guard_new(&d->lim);
	if (!d->auth || !d->throttle || !d->guard)
		return cc_err_set(e, CC_ENOMEM, "serve: cannot start the auth threads");
	return 0;
}

void taxii_defences_stop(taxii_defences *d)
{
	taxii_pool_free(d->auth);
	taxii_guard_free(d->guard);
	taxii_throttle_free(d->throttle);
	d->auth = NULL;
	d->guard = NULL;
	d->throttle = NULL;
}

/* What check_framing finds in a request's headers. */
typedef struct framing {
	const char *length;               /* the first Content-Length */
	bool lengths_differ, encoding;
} framing;

static enum MHD_Result check_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	framing *f = cls;

	(void)kind;
	if ((key[0] | 0x20) != 'c' && (key[0] | 0x20) != 't')
		return MHD_YES;	/* neither (most headers; the test is per header) */
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (f->length && strcmp(f->length, value ? value : "") != 0)
			f->lengths_differ = true;
		if (!f->length)
			f->length = value ? value : "";
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		f->encoding = true;
	}
	return MHD_YES;
}

const char *taxii_framing_problem(struct MHD_Connection *c)
{
	framing f = { NULL, false, false };

	MHD_get_connection_values(c, MHD_HEADER_KIND, check_framing, &f);
	if (f.lengths_differ)
		return "two different Content-Length headers";
	if (f.length && f.encoding)
		return "both Content-Length and Transfer-Encoding";
	return NULL;
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

/* Add the "Name: value\n" lines of h to r. */
static void add_headers(struct MHD_Response *r, const cc_buf *h)
{
	char line[1024], *colon;

	for (const char *p = h->data, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl || (size_t)(nl - p) >= sizeof(line))
			break;
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		colon = strstr(line, ": ");
		if (colon) {
			*colon = '\0';
			MHD_add_response_header(r, line, colon + 2);
		}
	}
}

struct MHD_Response *taxii_reply(taxii_response *rs, unsigned retry_after, size_t *len)
{
	struct MHD_Response *r = response_of(rs, len);

	if (!r)
		return NULL;
	if (rs->has_body)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					rs->content_type ? rs->content_type : TAXII_MEDIA_TYPE);
	add_headers(r, &rs->headers);
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
	if (retry_after) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%u", retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	return r;
}
