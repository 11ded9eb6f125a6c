/*
 * handler.c — one TAXII request against one store handle: authentication,
 * media types, routing, and the resources that are not collection content
 * (discovery, API root, status, collections).  No sockets here.
 */
#include "taxii/taxii_int.h"

#include "analysis/analysis.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/time.h"
#include "util/uuid.h"

/* A hash of a random password: unknown users are verified against it so
 * that a wrong user name costs the same argon2 run as a wrong password and
 * timing does not tell which user names exist.  Fuzzing builds skip it. */
static int make_dummy_hash(char out[TAXII_PWHASH_MAX])
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	out[0] = '\0';
	return 0;
#else
	char pw[TAXII_PASSWORD_GEN];

	taxii_password_generate(pw);
	return taxii_password_hash(pw, out, NULL);
#endif
}

taxii_ctx *taxii_ctx_new(const taxii_config *cfg)
{
	taxii_ctx *ctx;

	if (sodium_init() < 0)
		return NULL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	ctx->api_root = strdup(cfg && cfg->api_root ? cfg->api_root : TAXII_DEFAULT_API_ROOT);
	ctx->title = strdup(cfg && cfg->title ? cfg->title : "cybercell");
	ctx->max_content_length = cfg && cfg->max_content_length ? cfg->max_content_length
								 : TAXII_DEFAULT_MAX_CONTENT;
	ctx->status_ttl_s = cfg && cfg->status_ttl_s ? cfg->status_ttl_s : TAXII_DEFAULT_STATUS_TTL;
	if (cfg && cfg->hub_pk) {
		memcpy(ctx->hub_pk, cfg->hub_pk, sizeof(ctx->hub_pk));
		ctx->has_hub_pk = true;
	}
	if (!ctx->api_root || !ctx->title) {
		taxii_ctx_free(ctx);
		return NULL;
	}
	pthread_mutex_init(&ctx->write_lock, NULL);
	pthread_mutex_init(&ctx->cache_lock, NULL);
	randombytes_buf(ctx->cache_key, sizeof(ctx->cache_key));
	if (make_dummy_hash(ctx->dummy_hash) != 0) {
		taxii_ctx_free(ctx);
		return NULL;
	}
	return ctx;
}

void taxii_ctx_free(taxii_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->api_root && ctx->title) {
		pthread_mutex_destroy(&ctx->write_lock);
		pthread_mutex_destroy(&ctx->cache_lock);
	}
	sodium_memzero(ctx->cache_key, sizeof(ctx->cache_key));
	free(ctx->api_root);
	free(ctx->title);
	free(ctx);
}

void taxii_response_clear(taxii_response *rs)
{
	if (!rs)
		return;
	cc_buf_free(&rs->body);
	cc_buf_free(&rs->headers);
	taxii_blob_unref(rs->blob);
	rs->blob = NULL;
	audit_list_clear(&rs->written);
	audit_list_clear(&rs->versioned);
	audit_list_clear(&rs->deleted);
	audit_list_clear(&rs->read);
}

const char *taxii_response_body(const taxii_response *rs, size_t *len)
{
	if (rs->blob) {
		*len = rs->blob->len;
		return rs->blob->data;
	}
	*len = rs->body.len;
	return cc_buf_str(&rs->body);
}

/* Replace rs's body with the compact text of j (consumed). */
static void set_json(taxii_response *rs, int status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;

	cc_buf_reset(&rs->body);
	if (text)
		cc_buf_puts(&rs->body, text);
	else
		cc_buf_puts(&rs->body, "{}");
	free(text);
	json_decref(j);
	rs->status = status;
	rs->has_body = true;
}

void taxii_error(taxii_response *rs, int status, const char *title, const char *fmt, ...)
{
	char desc[512], code[8];
	va_list ap;
	json_t *j;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	snprintf(code, sizeof(code), "%d", status);
	j = json_object();
	json_object_set_new(j, "title", json_string(title));
	if (desc[0])	/* json_string refuses invalid UTF-8: then no description */
		json_object_set_new(j, "description", json_string(desc));
	json_object_set_new(j, "http_status", json_string(code));
	set_json(rs, status, j);
	rs->date_first[0] = rs->date_last[0] = 0;
	if (status == 401)
		rs->www_authenticate = true;
}

/* The absolute URL of path on this server, from the Host header. */
static json_t *url_of(const taxii_request *rq, const char *path)
{
	char url[512];

	if (!rq->host || !*rq->host || strpbrk(rq->host, "/\\ \"") ||
	    strlen(rq->host) > 255)
		return json_string(path);
	snprintf(url, sizeof(url), "%s://%s%s", rq->tls ? "https" : "http", rq->host, path);
	{
		json_t *u = json_string(url);

		return u ? u : json_string(path);
	}
}

static void get_discovery(taxii_ctx *ctx, const taxii_request *rq, taxii_response *rs)
{
	json_t *j = json_object(), *roots = json_array();
	char path[300];

	snprintf(path, sizeof(path), "/%s/", ctx->api_root);
	json_object_set_new(j, "title", json_string(ctx->title));
	json_object_set_new(j, "description",
			    json_string("cybercell threat-intelligence hub (TAXII 2.1)"));
	json_object_set_new(j, "default", url_of(rq, path));
	json_array_append_new(roots, url_of(rq, path));
	json_object_set_new(j, "api_roots", roots);
	set_json(rs, 200, j);
}

static void get_api_root(taxii_ctx *ctx, taxii_response *rs)
{
	json_t *j = json_object(), *v = json_array();

	json_object_set_new(j, "title", json_string(ctx->title));
	json_object_set_new(j, "description", json_string("the API root of this hub"));
	json_array_append_new(v, json_string(TAXII_MEDIA_TYPE));
	json_object_set_new(j, "versions", v);
	json_object_set_new(j, "max_content_length", json_integer((json_int_t)ctx->max_content_length));
	set_json(rs, 200, j);
}

static void get_status(taxii_ctx *ctx, store *s, const taxii_who *who, const char *id,
		       taxii_response *rs)
{
	char key[128], *text = NULL;
	cc_err e;
	unsigned char raw[16];

	if (!cc_uuid_parse(id, raw)) {
		taxii_error(rs, 404, "Not Found", "no status %.60s", id);
		return;
	}
	snprintf(key, sizeof(key), "%lld/%s", (long long)who->org_id, id);
	if (store_status_get(s, key, cc_now_us() - (int64_t)ctx->status_ttl_s * 1000000, &text,
			     &e) != 0) {
		if (e.code == CC_ENOTFOUND)
			taxii_error(rs, 404, "Not Found", "no status %s", id);
		else
			taxii_error(rs, 500, "Internal Server Error", "%s", e.msg);
		return;
	}
	cc_buf_reset(&rs->body);
	cc_buf_puts(&rs->body, text);
	free(text);
	rs->status = 200;
	rs->has_body = true;
}

static json_t *collection_json(const store_collection *c, const store_grant *g)
{
	json_t *j = json_object(), *mt = json_array();

	json_object_set_new(j, "id", json_string(c->uuid));
	json_object_set_new(j, "title", json_string(c->title && *c->title ? c->title : c->name));
	if (c->description && *c->description)
		json_object_set_new(j, "description", json_string(c->description));
	json_object_set_new(j, "alias", json_string(c->name));
	json_object_set_new(j, "can_read", json_boolean(g->can_read));
	json_object_set_new(j, "can_write", json_boolean(g->can_write));
	json_array_append_new(mt, json_string(TAXII_STIX_MEDIA_TYPE));
	json_object_set_new(j, "media_types", mt);
	return j;
}

/* Whether who may see collection c: a grant, and for a restricted
 * collection a valid authorisation now.  rs (may be NULL) records for the
 * audit trail the authorisation's id, or why the user's did not hold. */
static bool may_see(taxii_ctx *ctx, store *s, const taxii_who *who, const store_collection *c,
		    const store_grant *g, taxii_response *rs)
{
	char id[37], why[256];

	if (!g->can_read && !g->can_write)
		return false;
	if (!c->restricted)
		return true;
	/* checked on every request, never remembered: an authorisation
	 * ends to the second, also for answers the memo keeps */
	if (audit_authz_open(s, ctx->has_hub_pk ? ctx->hub_pk : NULL, who->user, c->id,
			     cc_now_us(), id, why, sizeof(why))) {
		if (rs)
			snprintf(rs->authz, sizeof(rs->authz), "%s", id);
		return true;
	}
	if (rs)
		snprintf(rs->refused, sizeof(rs->refused), "%s", why);
	return false;
}

static void get_collections(taxii_ctx *ctx, store *s, const taxii_who *who, taxii_response *rs)
{
	store_collection *v = NULL;
	size_t n = 0, i;
	json_t *arr = json_array(), *j = json_object();
	cc_err e;

	if (store_collection_list(s, &v, &n, &e) != 0) {
		json_decref(arr);
		json_decref(j);
		taxii_error(rs, 500, "Internal Server Error", "%s", e.msg);
		return;
	}
	for (i = 0; i < n; i++) {
		store_grant g;

		if (store_grant_get(s, who->org_id, v[i].id, &g, NULL) == 0 &&
		    may_see(ctx, s, who, &v[i], &g, NULL))
			json_array_append_new(arr, collection_json(&v[i], &g));
	}
	store_collection_list_free(v, n);
	if (json_array_size(arr))
		json_object_set_new(j, "collections", arr);
	else
		json_decref(arr);
	set_json(rs, 200, j);
}

/* Resolve collection id for who into *c (borrowed from m); false (and rs
 * set to 404) when it does not exist, who has no grant on it or, for a
 * restricted collection, no valid authorisation: existence is not
 * disclosed.  Every path of a collection comes through here. */
static bool find_collection(taxii_ctx *ctx, store *s, taxii_memo *m, const taxii_who *who,
			    const char *id,
			    const store_collection **c, store_grant *g, taxii_response *rs)
{
	unsigned char raw[16];

	if (!cc_uuid_parse(id, raw) || taxii_memo_collection(m, s, id, c) != 0 ||
	    strcasecmp((*c)->uuid, id) != 0 ||
	    taxii_memo_grant(m, s, who->org_id, (*c)->id, g) != 0 ||
	    !may_see(ctx, s, who, *c, g, rs)) {
		taxii_error(rs, 404, "Not Found", "no collection %.60s", id);
		return false;
	}
	return true;
}

/* GET /{root}/x-cybercell-sightings/?indicator=ID or ?value=V: "who else
 * saw this" as the caller's organisation may know it (analysis.h). */
static void get_seen(store *s, const taxii_request *rq, const taxii_who *who, taxii_response *rs)
{
	an_seen_query q = { .viewer_org = who->org_id };
	json_t *a = NULL;
	cc_err e;

	if (who->org_id <= 0) {         /* viewer 0 is the operator: never a caller */
		taxii_error(rs, 403, "Forbidden", "no organisation");
		return;
	}
	for (size_t i = 0; i < rq->n_args; i++) {
		if (!strcmp(rq->args[i].key, "indicator"))
			q.indicator = rq->args[i].value;
		else if (!strcmp(rq->args[i].key, "value"))
			q.value = rq->args[i].value;
	}
	if (an_who_saw(s, &q, &a, &e) != 0)
		taxii_error(rs, e.code == CC_EUSAGE ? 400 : 500, e.code == CC_EUSAGE ? "Bad Request" :
			    "Internal Server Error", "%s", e.msg);
	else
		set_json(rs, 200, a);
}

#define MAX_SEGS 8

/* Split path into segments; false when there are too many. */
static int split_path(char *p, char **seg)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(p, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (n == MAX_SEGS)
			return -1;
		seg[n++] = t;
	}
	return n;
}

static bool method_is(const taxii_request *rq, const char *m)
{
	return rq->method && strcmp(rq->method, m) == 0;
}

static void not_allowed(taxii_response *rs, const char *allow)
{
	taxii_error(rs, 405, "Method Not Allowed", "allowed: %s", allow);
	rs->allow = allow;
}

/* /{root}/collections/{id}/... with seg[0..n) */
static void route_collection(taxii_ctx *ctx, store *s, taxii_memo *m, const taxii_request *rq,
			     const taxii_who *who, char **seg, int n, taxii_response *rs)
{
	const store_collection *c = NULL;
	store_grant g;
	taxii_coll_req cr = { ctx, s, m, rq, who, NULL, &g };

	if (!find_collection(ctx, s, m, who, seg[2], &c, &g, rs))
		return;
	cr.coll = c;
	if (n == 3) {
		if (method_is(rq, "GET"))
			set_json(rs, 200, collection_json(c, &g));
		else
			not_allowed(rs, "GET");
	} else if (n == 4 && strcmp(seg[3], "objects") == 0) {
		if (method_is(rq, "GET"))
			taxii_get_objects(&cr, NULL, rs);
		else if (method_is(rq, "POST"))
			taxii_post_objects(&cr, rs);
		else
			not_allowed(rs, "GET, POST");
	} else if (n == 4 && strcmp(seg[3], "manifest") == 0) {
		if (method_is(rq, "GET"))
			taxii_get_manifest(&cr, rs);
		else
			not_allowed(rs, "GET");
	} else if (n == 5 && strcmp(seg[3], "objects") == 0) {
		if (method_is(rq, "GET"))
			taxii_get_objects(&cr, seg[4], rs);
		else if (method_is(rq, "DELETE"))
			taxii_delete_object(&cr, seg[4], rs);
		else
			not_allowed(rs, "GET, DELETE");
	} else if (n == 6 && strcmp(seg[3], "objects") == 0 && strcmp(seg[5], "versions") == 0) {
		if (method_is(rq, "GET"))
			taxii_get_versions(&cr, seg[4], rs);
		else
			not_allowed(rs, "GET");
	} else {
		taxii_error(rs, 404, "Not Found", "no such resource");
	}
}

static void route(taxii_ctx *ctx, store *s, taxii_memo *m, const taxii_request *rq,
		  const taxii_who *who, char **seg, int n, taxii_response *rs)
{
	bool get = method_is(rq, "GET");

	if (n == 1 && strcmp(seg[0], "taxii2") == 0) {
		if (get)
			get_discovery(ctx, rq, rs);
		else
			not_allowed(rs, "GET");
		return;
	}
	if (n < 1 || strcmp(seg[0], ctx->api_root) != 0) {
		taxii_error(rs, 404, "Not Found", "no such resource");
		return;
	}
	if (n == 1) {
		if (get)
			get_api_root(ctx, rs);
		else
			not_allowed(rs, "GET");
	} else if (n == 3 && strcmp(seg[1], "status") == 0) {
		if (get)
			get_status(ctx, s, who, seg[2], rs);
		else
			not_allowed(rs, "GET");
	} else if (n == 2 && strcmp(seg[1], "collections") == 0) {
		if (get)
			get_collections(ctx, s, who, rs);
		else
			not_allowed(rs, "GET");
	} else if (n >= 3 && strcmp(seg[1], "collections") == 0) {
		route_collection(ctx, s, m, rq, who, seg, n, rs);
	} else if (n == 2 && strcmp(seg[1], "x-cybercell-sightings") == 0) {
		if (get)
			get_seen(s, rq, who, rs);
		else
			not_allowed(rs, "GET");
	} else {
		taxii_error(rs, 404, "Not Found", "no such resource");
	}
}

/* Everything of taxii_handle_memo after the read transaction is set up. */
static void handle(taxii_ctx *ctx, store *s, taxii_memo *m, const taxii_request *rq,
		   taxii_response *rs)
{
	taxii_who who = { .org_id = 0 };
	char path[2048], *seg[MAX_SEGS];
	int n;

	if (!taxii_auth_check(ctx, s, m, rq->authorization, &who)) {
		taxii_error(rs, 401, "Unauthorized", "valid HTTP Basic credentials are required");
		return;
	}
	snprintf(rs->user, sizeof(rs->user), "%s", who.user);
	memcpy(rs->org, who.org, sizeof(rs->org));
	if (!taxii_accept_ok(rq->accept)) {
		taxii_error(rs, 406, "Not Acceptable", "this server answers with %s", TAXII_MEDIA_TYPE);
		return;
	}
	if (!rq->path || rq->path[0] != '/' || strlen(rq->path) >= sizeof(path)) {
		taxii_error(rs, 404, "Not Found", "no such resource");
		return;
	}
	strcpy(path, rq->path);
	n = split_path(path, seg);
	if (n < 0) {
		taxii_error(rs, 404, "Not Found", "no such resource");
		return;
	}
	route(ctx, s, m, rq, &who, seg, n, rs);
}

void taxii_handle_memo(taxii_ctx *ctx, store *s, taxii_memo *m, const taxii_request *rq,
		       taxii_response *rs)
{
	uint64_t gen = 0;
	bool snapshot = false;

	memset(rs, 0, sizeof(*rs));
	/* A GET reads one snapshot, under which the memo's entries hold.
	 * Writes (POST, DELETE) take the write lock themselves: no read
	 * transaction around them, and the memo keeps nothing of them. */
	if (method_is(rq, "GET"))
		snapshot = store_read_begin(s, &gen, NULL) == 0;
	taxii_memo_start(m, snapshot, gen);
	handle(ctx, s, m, rq, rs);
	if (snapshot)
		store_read_end(s);
}

void taxii_handle(taxii_ctx *ctx, store *s, const taxii_request *rq, taxii_response *rs)
{
	taxii_memo *m = taxii_memo_new();

	if (!m) {
		memset(rs, 0, sizeof(*rs));
		taxii_error(rs, 500, "Internal Server Error", "out of memory");
		return;
	}
	taxii_handle_memo(ctx, s, m, rq, rs);
	taxii_memo_free(m);
}
