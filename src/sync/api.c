/*
 * api.c — the TAXII 2.1 endpoints as the client uses them: filters as a
 * URL query, collection paths, Add Objects with its status followed to
 * the end, and the pin of a server's public key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>
#include <sodium.h>

#include "sync/sync_int.h"
#include "taxii/taxii.h"
#include "util/time.h"

#define STATUS_WAIT_MAX_MS 5000         /* between two looks at a pending status */
#define STATUS_PATIENCE_S 600           /* a status pending longer is a failure */

void sync_url_escape(cc_buf *q, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			cc_buf_putc(q, (char)*p);
		} else {
			char esc[4] = { '%', hex[*p >> 4], hex[*p & 15], 0 };

			cc_buf_puts(q, esc);
		}
	}
}

/* Append "&key=v1,v2" (key already encoded), each value encoded. */
static void put_list(cc_buf *q, const char *key, const char *const *v, size_t n)
{
	if (!n)
		return;
	if (q->len)
		cc_buf_putc(q, '&');
	cc_buf_puts(q, key);
	cc_buf_putc(q, '=');
	for (size_t i = 0; i < n; i++) {
		if (i)
			cc_buf_putc(q, ',');
		sync_url_escape(q, v[i]);
	}
}

static void put_one(cc_buf *q, const char *key, const char *v)
{
	if (v && *v)
		put_list(q, key, &v, 1);
}

void sync_filter_query(const sync_filter *f, cc_buf *q)
{
	char lim[32];

	cc_buf_puts(q, "");
	if (!f)
		return;
	put_one(q, "added_after", f->added_after);
	put_list(q, "match%5Bid%5D", f->ids, f->n_ids);
	put_list(q, "match%5Btype%5D", f->types, f->n_types);
	put_list(q, "match%5Bversion%5D", f->versions, f->n_versions);
	put_list(q, "match%5Bspec_version%5D", f->specs, f->n_specs);
	if (f->limit) {
		snprintf(lim, sizeof(lim), "%zu", f->limit);
		put_one(q, "limit", lim);
	}
	put_one(q, "next", f->next);
}

void sync_coll_path(const char *coll, const char *what, const char *object_id, cc_buf *out)
{
	cc_buf_reset(out);
	cc_buf_puts(out, "collections/");
	sync_url_escape(out, coll);
	cc_buf_putc(out, '/');
	if (object_id) {
		cc_buf_puts(out, "objects/");
		sync_url_escape(out, object_id);
		cc_buf_putc(out, '/');
	}
	cc_buf_puts(out, what ? what : "");
}

void sync_paging_init(sync_paging *pg, const char *added_after, const char *next)
{
	cc_buf_init(&pg->after);
	cc_buf_init(&pg->next);
	cc_buf_puts(&pg->after, added_after ? added_after : "");
	cc_buf_puts(&pg->next, next ? next : "");
}

void sync_paging_free(sync_paging *pg)
{
	cc_buf_free(&pg->after);
	cc_buf_free(&pg->next);
}

void sync_paging_apply(const sync_paging *pg, sync_filter *f)
{
	f->added_after = pg->after.len ? cc_buf_str(&pg->after) : NULL;
	f->next = pg->next.len ? cc_buf_str(&pg->next) : NULL;
}

int sync_paging_step(sync_paging *pg, const sync_answer *a, const char *key, bool *more,
		     cc_err *e)
{
	json_t *nx = json_object_get(a->json, "next");
	const char *next = json_is_string(nx) ? json_string_value(nx) : "";

	*more = json_is_true(json_object_get(a->json, "more")) &&
		json_array_size(json_object_get(a->json, key)) > 0;
	if (!*more)
		return 0;
	if (*next) {
		if (strcmp(next, cc_buf_str(&pg->next)) == 0)
			return cc_err_set(e, CC_ERR, "the server gives the same next token again");
		cc_buf_reset(&pg->next);
		cc_buf_puts(&pg->next, next);
		return 0;
	}
	if (!a->date_last[0])
		return cc_err_set(e, CC_ERR, "the server says there is more but gives neither next "
				  "nor X-TAXII-Date-Added-Last");
	if (strcmp(a->date_last, cc_buf_str(&pg->after)) == 0)
		return cc_err_set(e, CC_ERR, "the server's X-TAXII-Date-Added-Last does not move on");
	cc_buf_reset(&pg->after);
	cc_buf_puts(&pg->after, a->date_last);
	cc_buf_reset(&pg->next);
	return 0;
}

/* Whether status resource st is complete (pending_count 0, or so said). */
static bool status_done(const json_t *st)
{
	const char *s = json_string_value(json_object_get(st, "status"));
	json_t *pending = json_object_get(st, "pending_count");

	if (s && strcmp(s, "complete") == 0)
		return true;
	return json_is_integer(pending) && json_integer_value(pending) == 0 &&
	       (!s || strcmp(s, "pending") != 0);
}

static void sleep_ms(int64_t ms)
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	ms = 0;         /* the fuzz target is the server: no need to wait on it */
#endif
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Look at status resource id until it is complete. */
static int follow_status(sync_client *c, const char *id, json_t **status, cc_err *e)
{
	cc_buf path = CC_BUF_INIT;
	int64_t wait = 100, start = cc_mono_us();
	int rc = 0;

	cc_buf_puts(&path, "status/");
	sync_url_escape(&path, id);
	cc_buf_putc(&path, '/');
	while (!status_done(*status)) {
		sync_answer a;

		if (c->stop && atomic_load(c->stop)) {
			rc = cc_err_set(e, CC_ERR, "status %s: stopped while pending", id);
			break;
		}
		if (cc_mono_us() - start > (int64_t)STATUS_PATIENCE_S * 1000000) {
			rc = cc_err_set(e, CC_ERR, "status %s: still pending after %d s", id,
					STATUS_PATIENCE_S);
			break;
		}
		sleep_ms(wait);
		wait = wait * 2 > STATUS_WAIT_MAX_MS ? STATUS_WAIT_MAX_MS : wait * 2;
		rc = sync_get(c, cc_buf_str(&path), NULL, &a, e);
		if (rc)
			break;
		if (!json_is_object(a.json)) {
			sync_answer_clear(&a);
			rc = cc_err_set(e, CC_ERR, "status %s: not a status resource", id);
			break;
		}
		json_decref(*status);
		*status = json_incref(a.json);
		sync_answer_clear(&a);
	}
	cc_buf_free(&path);
	return rc;
}

int sync_add_objects(sync_client *c, const char *coll, const char *env, size_t len,
		     json_t **status, cc_err *e)
{
	cc_buf path = CC_BUF_INIT;
	sync_answer a;
	const char *id;
	int rc;

	*status = NULL;
	sync_coll_path(coll, "objects/", NULL, &path);
	rc = sync_post(c, cc_buf_str(&path), env, len, &a, e);
	cc_buf_free(&path);
	if (rc)
		return rc;
	id = json_string_value(json_object_get(a.json, "id"));
	if (!json_is_object(a.json) || !id) {
		sync_answer_clear(&a);
		return cc_err_set(e, CC_ERR, "collection %s: the answer to Add Objects is not a "
				  "status resource", coll);
	}
	*status = json_incref(a.json);
	rc = follow_status(c, id, status, e);
	sync_answer_clear(&a);
	if (rc) {
		json_decref(*status);
		*status = NULL;
	}
	return rc;
}

/* "sha256//" and the base64 SHA-256 of the DER public key der. */
static void pin_of(const unsigned char *der, size_t len, char pin[SYNC_PIN_MAX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, der, len);
	memcpy(pin, "sha256//", 8);
	sodium_bin2base64(pin + 8, SYNC_PIN_MAX - 8, h, sizeof(h), sodium_base64_VARIANT_ORIGINAL);
}

int sync_pem_pin(const char *pem, size_t len, char pin[SYNC_PIN_MAX], cc_err *e)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_pubkey_t key = NULL;
	gnutls_datum_t in = { (unsigned char *)pem, (unsigned)len }, der = { NULL, 0 };
	int rc = CC_ERR;

	if (gnutls_x509_crt_init(&crt) < 0 || gnutls_pubkey_init(&key) < 0)
		goto out;
	if (gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_PEM) < 0 ||
	    gnutls_pubkey_import_x509(key, crt, 0) < 0 ||
	    gnutls_pubkey_export2(key, GNUTLS_X509_FMT_DER, &der) < 0)
		goto out;
	pin_of(der.data, der.size, pin);
	rc = 0;
out:
	gnutls_free(der.data);
	gnutls_pubkey_deinit(key);
	gnutls_x509_crt_deinit(crt);
	return rc ? cc_err_set(e, CC_ERR, "not a PEM certificate with a public key") : 0;
}

int sync_server_pin(const char *url, char pin[SYNC_PIN_MAX], char *fp, size_t fn, cc_err *e)
{
	sync_conn conn = { 0 };
	sync_client *c;
	struct curl_certinfo *ci = NULL;
	const char *pem = NULL;
	int rc;

	conn.url = url;
	conn.insecure = true;
	conn.retries = 1;
	if (strncmp(url, "https://", 8) != 0)
		return cc_err_set(e, CC_EUSAGE, "%s: a pin needs an https:// URL", url);
	rc = sync_client_new(&conn, &c, e);
	if (rc)
		return rc;
	curl_easy_setopt(c->h, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(c->h, CURLOPT_URL, c->url);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->hdr_get);
	if (curl_easy_perform(c->h) != CURLE_OK) {
		rc = cc_err_set(e, CC_EIO, "%s: %s", url, c->curl_err);
		goto out;
	}
	curl_easy_getinfo(c->h, CURLINFO_CERTINFO, &ci);
	for (struct curl_slist *l = ci && ci->num_of_certs > 0 ? ci->certinfo[0] : NULL; l;
	     l = l->next)
		if (strncmp(l->data, "Cert:", 5) == 0)
			pem = l->data + 5;
	rc = pem ? sync_pem_pin(pem, strlen(pem), pin, e)
		 : cc_err_set(e, CC_ERR, "%s: the server showed no certificate", url);
	if (rc == 0)
		rc = taxii_tls_fingerprint(pem, strlen(pem), fp, fn, e);
out:
	sync_client_free(c);
	return rc;
}
