/*
 * client.c — the TAXII 2.1 client's requests on libcurl: each request on
 * a fresh easy handle copied from the client's (whose options it takes),
 * its connection kept alive in a share of the client, TLS verified by CA
 * or by a pin of the server's public key, credentials only to the URL
 * given (no redirects), and retries of what is transient.
 *
 * Why not one handle for every request: Debian 12's libcurl (7.88.1)
 * keeps a pointer to the last header of an easy handle's previous answer,
 * freed when the next transfer starts, and uses it to unfold a header
 * that begins with a space.  A peer that answers a second request that
 * way makes it read and reallocate freed memory (found by fuzz_sync_client;
 * fixed upstream in May 2023, curl pull request 11103, after the version
 * Debian 12 ships).  A fresh handle has no previous answer.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "sync/sync_int.h"
#include "util/time.h"
#include "util/xalloc.h"
#include "version.h"

#define BODY_MAX (256u << 20)           /* a larger answer is refused */
#define FIRST_WAIT_MS 250               /* the wait before the first retry; it doubles */
#define SILENT_GET_S 30L                /* a peer silent this long has failed (GET) */
#define SILENT_POST_S 300L              /* (POST: the remote stores a whole envelope,
                                           up to 50,000 objects, before it answers) */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_setup(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* What the header callback keeps of an answer's headers. */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	sync_client *c = ud;
	size_t len = size * n, k, v;
	char *val;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {  /* a new answer (after a 100) */
		c->date_first[0] = c->date_last[0] = c->retry_after[0] = '\0';
		return len;
	}
	for (k = 0; k < len && p[k] != ':'; k++)
		;
	if (k == len)
		return len;
	if (k == 24 && strncasecmp(p, "X-TAXII-Date-Added-First", k) == 0)
		val = c->date_first;
	else if (k == 23 && strncasecmp(p, "X-TAXII-Date-Added-Last", k) == 0)
		val = c->date_last;
	else if (k == 11 && strncasecmp(p, "Retry-After", k) == 0)
		val = c->retry_after;
	else
		return len;
	for (v = k + 1; v < len && (p[v] == ' ' || p[v] == '\t'); v++)
		;
	while (len > v && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
		len--;
	if (len - v < SYNC_HDR_MAX)     /* a longer value is not one we can use */
		snprintf(val, SYNC_HDR_MAX, "%.*s", (int)(len - v), p + v);
	return size * n;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	sync_client *c = ud;

	if (c->body.len + size * n > BODY_MAX)
		return 0;       /* curl fails the transfer (CURLE_WRITE_ERROR) */
	cc_buf_append(&c->body, p, size * n);
	return size * n;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	const sync_client *c = ud;

	(void)dt, (void)dn, (void)ut, (void)un;
	return c->stop && atomic_load(c->stop);
}

/* Whether host (as a URL writes it) is a loopback address: 127.0.0.0/8,
 * [::1] or localhost. */
static bool host_loopback(const char *host)
{
	unsigned char a[16];

	if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
		return true;
	return inet_pton(AF_INET, host, a) == 1 && a[0] == 127;
}

/* Whether url is http:// to a loopback address (where clear text is
 * allowed, as for `serve --insecure-http`). */
static bool http_loopback(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	bool ok = false;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		ok = strcmp(scheme, "http") == 0 && host_loopback(host);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* url with a '/' at its end (owned). */
static char *with_slash(const char *url)
{
	size_t n = strlen(url);
	char *s = cc_xmalloc(n + 2);

	memcpy(s, url, n + 1);
	if (n == 0 || s[n - 1] != '/') {
		s[n] = '/';
		s[n + 1] = '\0';
	}
	return s;
}

int sync_url_check(const char *url, cc_err *e)
{
	if (!url || !*url)
		return cc_err_set(e, CC_EUSAGE, "no URL given");
	if (strncmp(url, "https://", 8) == 0)
		return 0;
	if (strncmp(url, "http://", 7) == 0 && http_loopback(url))
		return 0;
	if (strncmp(url, "http://", 7) == 0)
		return cc_err_set(e, CC_EUSAGE, "%s: plain http is allowed only to a loopback "
				  "address; use https", url);
	return cc_err_set(e, CC_EUSAGE, "%s: not an https:// URL", url);
}

/* Set what every request of c shares. */
static int setup_handle(sync_client *c, const sync_conn *conn, cc_err *e)
{
	CURL *h = c->h;
	bool pinned = conn->pin && *conn->pin;
	CURLcode rc = CURLE_OK;

	rc |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(h, CURLOPT_USERAGENT, "cybercell/" CYBERCELL_VERSION);
	rc |= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
	rc |= curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	rc |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
	rc |= curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);     /* a silent peer */
	rc |= curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, SILENT_GET_S);
	rc |= curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 256L * 1024);
	rc |= curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	rc |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->curl_err);
	rc |= curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	rc |= curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
	rc |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	rc |= curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
	rc |= curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	rc |= curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
	rc |= curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	if (conn->ca_file && *conn->ca_file)
		rc |= curl_easy_setopt(h, CURLOPT_CAINFO, conn->ca_file);
	if (pinned)
		rc |= curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, conn->pin);
	if (pinned || conn->insecure) {     /* the pin stands for CA and name */
		rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (conn->user && *conn->user) {
		rc |= curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		rc |= curl_easy_setopt(h, CURLOPT_USERNAME, conn->user);
		rc |= curl_easy_setopt(h, CURLOPT_PASSWORD, conn->password ? conn->password : "");
	}
	c->hdr_get = curl_slist_append(NULL, "Accept: " SYNC_MEDIA_TYPE);
	c->hdr_post = curl_slist_append(NULL, "Accept: " SYNC_MEDIA_TYPE);
	c->hdr_post = curl_slist_append(c->hdr_post, "Content-Type: " SYNC_MEDIA_TYPE);
	c->hdr_post = curl_slist_append(c->hdr_post, "Expect:");
	if (rc != CURLE_OK || !c->hdr_get || !c->hdr_post)
		return cc_err_set(e, CC_ERR, "%s: cannot set up the HTTP client (libcurl)", conn->url);
	return 0;
}

int sync_client_new(const sync_conn *conn, sync_client **out, cc_err *e)
{
	sync_client *c;
	int rc;

	*out = NULL;
	rc = sync_url_check(conn->url, e);
	if (rc)
		return rc;
	pthread_once(&curl_once, curl_setup);
	if (curl_init_rc != CURLE_OK)
		return cc_err_set(e, CC_ERR, "libcurl: %s", curl_easy_strerror(curl_init_rc));
	c = cc_xcalloc(1, sizeof(*c));
	c->url = with_slash(conn->url);
	c->root = conn->api_root && *conn->api_root ? with_slash(conn->api_root) : NULL;
	c->retries = conn->retries ? conn->retries : SYNC_DEFAULT_RETRIES;
	c->max_wait_ms = 1000 * (int64_t)(conn->max_wait_s ? conn->max_wait_s : SYNC_DEFAULT_MAX_WAIT);
	c->stop = conn->stop;
	c->log = conn->log;
	c->log_ud = conn->log_ud;
	c->h = curl_easy_init();
	c->share = curl_share_init();
	if (!c->h || !c->share ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK) {
		sync_client_free(c);
		return cc_err_set(e, CC_ENOMEM, "libcurl: out of memory");
	}
	rc = setup_handle(c, conn, e);
	if (rc) {
		sync_client_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void sync_client_free(sync_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->h);        /* wipes nothing: it holds a copy of the password */
	curl_share_cleanup(c->share);   /* after the handles that used it */
	curl_slist_free_all(c->hdr_get);
	curl_slist_free_all(c->hdr_post);
	if (c->body.data)
		sodium_memzero(c->body.data, c->body.cap);
	cc_buf_free(&c->body);
	free(c->url);
	free(c->root);
	free(c);
}

size_t sync_client_requests(const sync_client *c)
{
	return c ? c->requests : 0;
}

void sync_answer_clear(sync_answer *a)
{
	if (!a)
		return;
	json_decref(a->json);
	memset(a, 0, sizeof(*a));
}

/* Milliseconds to wait before retry number `attempt` (0-based): what the
 * server's Retry-After says, else a doubling wait; at most c's maximum. */
static int64_t wait_ms(const sync_client *c, unsigned attempt)
{
	int64_t ms = (int64_t)FIRST_WAIT_MS << (attempt < 16 ? attempt : 16);

	if (c->retry_after[0]) {
		char *end;
		long long s = strtoll(c->retry_after, &end, 10);

		if (*end == '\0' && s >= 0) {
			ms = s * 1000;
		} else {
			time_t t = curl_getdate(c->retry_after, NULL);

			if (t > 0)
				ms = ((int64_t)t - (int64_t)time(NULL)) * 1000;
		}
		if (ms < 0)
			ms = 0;
	}
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	ms = 0;         /* the fuzz target is the server: no need to wait on it */
#endif
	return ms > c->max_wait_ms ? c->max_wait_ms : ms;
}

/* Sleep ms, waking early when the stop flag is set.  False: stopped. */
static bool pause_ms(const sync_client *c, int64_t ms)
{
	while (ms > 0) {
		int64_t step = ms > 100 ? 100 : ms;
		struct timespec ts = { 0, (long)step * 1000000L };

		if (c->stop && atomic_load(c->stop))
			return false;
		nanosleep(&ts, NULL);
		ms -= step;
	}
	return !(c->stop && atomic_load(c->stop));
}

/* The TAXII error message of a failed answer: its title and description,
 * or the body's start. */
static void error_text(const sync_client *c, long status, char *out, size_t n)
{
	json_t *j = json_loadb(c->body.data ? c->body.data : "", c->body.len, 0, NULL);
	const char *title = json_string_value(json_object_get(j, "title"));
	const char *desc = json_string_value(json_object_get(j, "description"));

	if (title || desc)
		snprintf(out, n, "HTTP %ld %s%s%s", status, title ? title : "",
			 desc ? ": " : "", desc ? desc : "");
	else
		snprintf(out, n, "HTTP %ld%s%.*s", status, c->body.len ? ": " : "",
			 (int)(c->body.len > 200 ? 200 : c->body.len), c->body.data ? c->body.data : "");
	json_decref(j);
}

/* Whether an HTTP status is worth another try. */
static bool status_transient(long st)
{
	return st == 429 || st == 500 || st == 502 || st == 503 || st == 504 || st == 408;
}

/* Whether a curl failure may go away if tried again (the network, the
 * server going down and up) rather than a verdict (TLS verification, a
 * bad URL). */
static bool curl_transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_LOGIN_DENIED:
	case CURLE_ABORTED_BY_CALLBACK:
	case CURLE_OUT_OF_MEMORY:
	case CURLE_WRITE_ERROR:
		return false;
	default:
		return true;
	}
}

/* One attempt: *transient tells whether a failure may be retried. */
static int attempt(sync_client *c, const sync_req *rq, sync_answer *a, bool *transient,
		   cc_err *e)
{
	CURL *h = curl_easy_duphandle(c->h);    /* a fresh one: see the top */
	CURLcode rc;
	long st = 0;
	json_error_t je;

	*transient = false;
	if (!h || curl_easy_setopt(h, CURLOPT_SHARE, c->share) != CURLE_OK) {
		curl_easy_cleanup(h);
		return cc_err_set(e, CC_ENOMEM, "%s: libcurl: out of memory", rq->url);
	}
	cc_buf_reset(&c->body);
	c->date_first[0] = c->date_last[0] = c->retry_after[0] = c->curl_err[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, rq->url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, rq->body ? c->hdr_post : c->hdr_get);
	if (rq->body) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->len);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, rq->body ? SILENT_POST_S : SILENT_GET_S);
	c->requests++;
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
	curl_easy_cleanup(h);   /* its connection stays in the share */
	if (rc != CURLE_OK) {
		*transient = curl_transient(rc);
		if (rc == CURLE_ABORTED_BY_CALLBACK)
			return cc_err_set(e, CC_ERR, "%s: stopped", rq->url);
		if (rc == CURLE_WRITE_ERROR)
			return cc_err_set(e, CC_ERR, "%s: answer larger than %u MiB", rq->url,
					  BODY_MAX >> 20);
		return cc_err_set(e, CC_EIO, "%s: %s", rq->url,
				  c->curl_err[0] ? c->curl_err : curl_easy_strerror(rc));
	}
	if (st < 200 || st > 299) {
		char msg[400];

		*transient = status_transient(st);
		error_text(c, st, msg, sizeof(msg));
		return cc_err_set(e, st == 404 ? CC_ENOTFOUND : CC_ERR, "%s: %s", rq->url, msg);
	}
	a->status = st;
	if (c->body.len) {
		a->json = json_loadb(c->body.data, c->body.len, 0, &je);
		if (!a->json) {         /* cut short or garbled on the way: again */
			*transient = true;
			return cc_err_set(e, CC_EIO, "%s: the answer is not JSON (%s, at byte %d "
					  "of %zu)", rq->url, je.text, je.position, c->body.len);
		}
	}
	snprintf(a->date_first, sizeof(a->date_first), "%s", c->date_first);
	snprintf(a->date_last, sizeof(a->date_last), "%s", c->date_last);
	return 0;
}

int sync_request(sync_client *c, const sync_req *rq, sync_answer *a, cc_err *e)
{
	memset(a, 0, sizeof(*a));
	for (unsigned n = 0;; n++) {
		bool transient;
		int64_t ms;
		int rc = attempt(c, rq, a, &transient, e);

		if (rc == 0)
			return 0;
		sync_answer_clear(a);
		if (!transient || n >= c->retries)
			return n && transient ? (cc_err_prefix(e, "gave up after %u attempts", n + 1), rc)
					      : rc;
		ms = wait_ms(c, n);
		if (c->log) {
			char msg[1200];

			snprintf(msg, sizeof(msg), "%s; again in %.1f s (attempt %u of %u)",
				 e ? e->msg : "failed", (double)ms / 1000, n + 2, c->retries + 1);
			c->log(msg, c->log_ud);
		}
		if (!pause_ms(c, ms))
			return cc_err_set(e, CC_ERR, "%s: stopped", rq->url);
	}
}

/* An absolute URL for path: itself when absolute, else below the root. */
static int full_url(sync_client *c, const char *path, const char *query, cc_buf *out, cc_err *e)
{
	const char *root;
	int rc;

	cc_buf_reset(out);
	if (strncmp(path, "https://", 8) == 0 || strncmp(path, "http://", 7) == 0) {
		cc_buf_puts(out, path);
	} else {
		rc = sync_api_root(c, &root, e);
		if (rc)
			return rc;
		cc_buf_puts(out, root);
		cc_buf_puts(out, path);
	}
	if (query && *query) {
		cc_buf_putc(out, '?');
		cc_buf_puts(out, query);
	}
	return 0;
}

int sync_get(sync_client *c, const char *path, const char *query, sync_answer *a, cc_err *e)
{
	cc_buf url = CC_BUF_INIT;
	int rc = full_url(c, path, query, &url, e);

	memset(a, 0, sizeof(*a));
	if (rc == 0) {
		sync_req rq = { cc_buf_str(&url), NULL, 0 };

		rc = sync_request(c, &rq, a, e);
	}
	cc_buf_free(&url);
	return rc;
}

int sync_post(sync_client *c, const char *path, const char *body, size_t len, sync_answer *a,
	      cc_err *e)
{
	cc_buf url = CC_BUF_INIT;
	int rc = full_url(c, path, NULL, &url, e);

	memset(a, 0, sizeof(*a));
	if (rc == 0) {
		sync_req rq = { cc_buf_str(&url), body, len };

		rc = sync_request(c, &rq, a, e);
	}
	cc_buf_free(&url);
	return rc;
}

/* The URL of an API root named by a discovery document (absolute, or
 * relative to the discovery URL's origin, as some servers write it). */
static char *root_url(const char *discovery_url, const char *root)
{
	CURLU *u;
	char *origin = NULL, *s;
	cc_buf b = CC_BUF_INIT;

	if (strncmp(root, "https://", 8) == 0 || strncmp(root, "http://", 7) == 0)
		return with_slash(root);
	u = curl_url();
	if (u && curl_url_set(u, CURLUPART_URL, discovery_url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PATH, "/", 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &origin, 0) == CURLUE_OK)
		cc_buf_puts(&b, origin);
	curl_free(origin);
	curl_url_cleanup(u);
	while (*root == '/')
		root++;
	cc_buf_puts(&b, root);
	s = with_slash(cc_buf_str(&b));
	cc_buf_free(&b);
	return s;
}

int sync_api_root(sync_client *c, const char **root, cc_err *e)
{
	sync_req rq = { c->url, NULL, 0 };
	sync_answer a;
	json_t *roots, *def;
	const char *r = NULL;
	int rc;

	if (c->root) {
		*root = c->root;
		return 0;
	}
	rc = sync_request(c, &rq, &a, e);
	if (rc)
		return rc;
	roots = json_object_get(a.json, "api_roots");
	def = json_object_get(a.json, "default");
	if (json_is_string(def))
		r = json_string_value(def);
	else if (json_array_size(roots) >= 1 && json_is_string(json_array_get(roots, 0)))
		r = json_string_value(json_array_get(roots, 0));
	if (r) {
		c->root = root_url(c->url, r);
	} else if (json_object_get(a.json, "max_content_length") ||
		   json_object_get(a.json, "versions")) {
		c->root = cc_xstrdup(c->url);   /* the URL is an API root */
	} else {
		sync_answer_clear(&a);
		return cc_err_set(e, CC_ERR, "%s: neither a TAXII discovery answer (with api_roots) "
				  "nor an API root", c->url);
	}
	sync_answer_clear(&a);
	*root = c->root;
	return 0;
}

const char *sync_client_root(const sync_client *c)
{
	return c->root;
}
