/*
 * ui.c — the UI's requests: static files, log in and out, the session
 * check every API call passes (cookie, idle time, the user unchanged in
 * the store, CSRF token and origin on every change), the security headers
 * of every answer, and the routing to the API's endpoints.
 */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stix/stix.h"
#include "util/time.h"

/* Scripts, styles and everything else only from the hub itself; no inline
 * script or style; not framed, except the war-game report by the UI. */
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;" \
	" connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none';" \
	" frame-ancestors 'none'"
#define CSP_REPORT "default-src 'none'; style-src 'unsafe-inline'; img-src data:;" \
	" base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"

ui_ctx *ui_new(const ui_config *cfg)
{
	ui_ctx *u;

	if (sodium_init() < 0)
		return NULL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->idle_s = cfg && cfg->idle_timeout_s ? cfg->idle_timeout_s : UI_DEFAULT_IDLE;
	u->models_dir = cfg && cfg->models_dir ? strdup(cfg->models_dir) : NULL;
	u->rules_dir = cfg && cfg->rules_dir ? strdup(cfg->rules_dir) : NULL;
	randombytes_buf(u->key, sizeof(u->key));
	pthread_mutex_init(&u->lock, NULL);
	pthread_mutex_init(&u->slim_lock, NULL);
	return u;
}

void ui_free(ui_ctx *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < UI_SESSIONS; i++)
		for (int k = 0; k < UI_REPORTS; k++)
			free(u->sessions[i].reports[k].html);
	pthread_mutex_destroy(&u->lock);
	pthread_mutex_destroy(&u->slim_lock);
	json_decref(u->slim);
	free(u->models_dir);
	free(u->rules_dir);
	sodium_memzero(u, sizeof(*u));
	free(u);
}

static const char *header(const taxii_request *rq, const char *name)
{
	return rq->header_of ? rq->header_of(rq->conn, name) : NULL;
}

static void add_header(taxii_response *rs, const char *name, const char *value)
{
	cc_buf_printf(&rs->headers, "%s: %s\n", name, value);
}

static void static_file(const taxii_request *rq, const char *rel, taxii_response *rs)
{
	const ui_file *f = ui_file_get(*rel ? rel : "index.html");

	if (!f) {
		ui_error(rs, 404, "no such page");
		return;
	}
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
		ui_error(rs, 405, "only GET");
		rs->allow = "GET, HEAD";
		return;
	}
	cc_buf_reset(&rs->body);
	cc_buf_append(&rs->body, f->data, f->len);
	rs->status = 200;
	rs->has_body = true;
	rs->content_type = f->type;
}

/* Whether an Origin or Sec-Fetch-Site header says the request came from
 * another site (a browser sends them; their absence is no proof). */
static bool cross_site(const taxii_request *rq)
{
	const char *origin = header(rq, "Origin"), *site = header(rq, "Sec-Fetch-Site");
	char want[300];

	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return true;
	if (!origin)
		return false;
	snprintf(want, sizeof(want), "%s://%s", rq->tls ? "https" : "http",
		 rq->host ? rq->host : "");
	return strcmp(origin, want) != 0;
}

static void set_cookie(taxii_response *rs, const char *token)
{
	char v[200];

	if (token)
		snprintf(v, sizeof(v), UI_COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Strict",
			 token);
	else
		snprintf(v, sizeof(v), UI_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Strict;"
			 " Max-Age=0");
	add_header(rs, "Set-Cookie", v);
}

/* {"user","organisation","csrf","idle_timeout","collections","wargame"} */
static json_t *session_json(ui_ctx *u, store *s, const ui_who *who, const ui_view *v)
{
	json_t *j = json_object(), *cols = json_array();
	store_org o = { 0 };

	json_object_set_new(j, "user", json_string(who->user));
	if (store_org_get_id(s, who->org_id, &o, NULL) == 0)
		json_object_set_new(j, "organisation", json_string(o.name));
	store_org_clear(&o);
	json_object_set_new(j, "csrf", json_string(who->csrf));
	json_object_set_new(j, "idle_timeout", json_integer(u->idle_s));
	for (size_t i = 0; v && i < v->n; i++) {
		json_t *c = json_object();

		json_object_set_new(c, "name", json_string(v->v[i].name));
		json_object_set_new(c, "max_tlp", json_string(stix_tlp_name(v->v[i].max_tlp)));
		json_array_append_new(cols, c);
	}
	json_object_set_new(j, "collections", cols);
	json_object_set_new(j, "wargame", json_boolean(u->models_dir != NULL));
	return j;
}

/* POST /ui/api/login: the server has verified the Basic credentials of
 * user; a session starts. */
static void login(ui_ctx *u, store *s, const char *user, taxii_response *rs)
{
	store_user su = { 0 };
	char token[UI_TOKEN_LEN + 1];
	unsigned char tail[16];
	ui_view v = { 0 };
	ui_who who;
	cc_err e;

	if (store_user_get(s, user, &su, &e) != 0) {
		ui_error(rs, 401, "wrong user name or password");
		return;
	}
	ui_pw_tail(su.pwhash, tail);
	ui_session_new(u, su.name, su.org_id, tail, token, &who);
	snprintf(rs->user, sizeof(rs->user), "%s", su.name);
	snprintf(rs->org, sizeof(rs->org), "%s", su.org_name ? su.org_name : "");
	if (ui_view_load(s, su.org_id, &v, &e) != 0) {
		ui_error(rs, 500, "%s", e.msg);
	} else {
		ui_json(rs, 200, session_json(u, s, &who, &v));
		set_cookie(rs, token);
	}
	ui_view_clear(&v);
	store_user_clear(&su);
	sodium_memzero(token, sizeof(token));
}

/* The session of rq, checked: true and *who, token filled; else rs is the
 * refusal.  A change (not a GET) must carry the session's CSRF token and
 * come from this site. */
static bool check_session(ui_ctx *u, store *s, const taxii_request *rq, ui_who *who,
			  char token[UI_TOKEN_LEN + 1], taxii_response *rs)
{
	const char *csrf = header(rq, "X-CSRF-Token");
	store_user su = { 0 };
	unsigned char tail[16];
	bool same;

	if (!ui_cookie_token(header(rq, "Cookie"), token) || !ui_session_get(u, token, who)) {
		ui_error(rs, 401, "not logged in, or the session has expired");
		return false;
	}
	/* a user removed, moved or given a new password is logged out */
	if (store_user_get(s, who->user, &su, NULL) != 0) {
		same = false;
	} else {
		ui_pw_tail(su.pwhash, tail);
		same = su.org_id == who->org_id && sodium_memcmp(tail, who->pw_tail, 16) == 0;
		snprintf(rs->org, sizeof(rs->org), "%s", su.org_name ? su.org_name : "");
	}
	store_user_clear(&su);
	if (!same) {
		ui_session_end(u, token);
		ui_error(rs, 401, "not logged in, or the session has expired");
		return false;
	}
	snprintf(rs->user, sizeof(rs->user), "%s", who->user);
	if (strcmp(rq->method, "GET") == 0)
		return true;
	if (cross_site(rq)) {
		ui_error(rs, 403, "a change must come from this site");
		return false;
	}
	if (!csrf || strlen(csrf) != UI_TOKEN_LEN ||
	    sodium_memcmp(csrf, who->csrf, UI_TOKEN_LEN) != 0) {
		ui_error(rs, 403, "missing or wrong CSRF token (X-CSRF-Token)");
		return false;
	}
	return true;
}

/* The API's endpoints: path after /ui/api/, method, handler. */
typedef struct ui_route {
	const char *path, *method;
	void (*fn)(const ui_req *r, taxii_response *rs);
} ui_route;

static void api_session(const ui_req *r, taxii_response *rs)
{
	ui_json(rs, 200, session_json(r->u, r->s, r->who, r->view));
}

static void api_logout(const ui_req *r, taxii_response *rs)
{
	ui_session_end(r->u, r->token);
	ui_json(rs, 200, json_object());
	set_cookie(rs, NULL);
}

static const ui_route routes[] = {
	{ "session", "GET", api_session },
	{ "logout", "POST", api_logout },
	{ "search", "GET", ui_api_search },
	{ "object", "GET", ui_api_object },
	{ "adversary", "GET", ui_api_adversary },
	{ "sightings", "GET", ui_api_seen },
	{ "wargame/models", "GET", ui_api_wargame_models },
	{ "wargame/run", "POST", ui_api_wargame_run },
	{ "wargame/report", "GET", ui_api_wargame_report },
};

static void api(ui_ctx *u, store *s, const taxii_request *rq, const char *rel,
		const char *user, taxii_response *rs)
{
	const ui_route *rt = NULL;
	const char *cl = header(rq, "Content-Length");
	char token[UI_TOKEN_LEN + 1] = "";
	ui_view v = { 0 };
	ui_who who;
	cc_err e;

	if (strcmp(rel, "login") == 0) {
		if (strcmp(rq->method, "POST") != 0) {
			ui_error(rs, 405, "only POST");
			rs->allow = "POST";
		} else if (!user) {
			ui_error(rs, 401, "log in with HTTP Basic credentials");
		} else if (cross_site(rq)) {
			ui_error(rs, 403, "a login must come from this site");
		} else if (!rq->headers_only) {
			login(u, s, user, rs);
		}
		return;
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strcmp(routes[i].path, rel) == 0)
			rt = &routes[i];
	if (!rt) {
		ui_error(rs, 404, "no such resource");
		return;
	}
	if (strcmp(rt->method, rq->method) != 0) {
		ui_error(rs, 405, "only %s", rt->method);
		rs->allow = rt->method;
		return;
	}
	if (!check_session(u, s, rq, &who, token, rs))
		goto out;
	if (cl && strtoull(cl, NULL, 10) > UI_MAX_BODY) {
		ui_error(rs, 413, "the limit is %d bytes", UI_MAX_BODY);
		goto out;
	}
	if (rq->headers_only)
		goto out;	/* status 0: the body may come */
	if (ui_view_load(s, who.org_id, &v, &e) != 0) {
		ui_error(rs, 500, "%s", e.msg);
		goto out;
	}
	v.read = &rs->read;
	rt->fn(&(ui_req){ u, s, rq, &who, &v, token }, rs);
out:
	ui_view_clear(&v);
	sodium_memzero(token, sizeof(token));
	sodium_memzero(&who, sizeof(who));
}

/* The headers every answer of the UI carries. */
static void security_headers(taxii_response *rs, bool report)
{
	add_header(rs, "Content-Security-Policy", report ? CSP_REPORT : CSP);
	add_header(rs, "X-Frame-Options", report ? "SAMEORIGIN" : "DENY");
	add_header(rs, "X-Content-Type-Options", "nosniff");
	add_header(rs, "Referrer-Policy", "no-referrer");
	add_header(rs, "Cross-Origin-Opener-Policy", "same-origin");
	add_header(rs, "Cross-Origin-Resource-Policy", "same-origin");
}

static void handle(void *ud, store *s, const taxii_request *rq, const char *user,
		   int64_t org_id, taxii_response *rs)
{
	ui_ctx *u = ud;
	const char *p = rq->path + 3;	/* after "/ui" */

	(void)org_id;
	if (*p == '\0') {	/* /ui: the page is /ui/ (relative links) */
		rs->status = 308;
		add_header(rs, "Location", "/ui/");
	} else if (strncmp(p, "/api/", 5) == 0) {
		api(u, s, rq, p + 5, user, rs);
	} else if (strcmp(rq->method, "POST") == 0 && rq->headers_only) {
		ui_error(rs, 405, "only GET");
		rs->allow = "GET, HEAD";
	} else {
		static_file(rq, p + 1, rs);
	}
	if (rs->status)
		security_headers(rs, rs->status == 200 && strcmp(p, "/api/wargame/report") == 0);
}

void ui_app(ui_ctx *u, taxii_app *out)
{
	out->prefix = "/ui";
	out->handle = handle;
	out->ud = u;
}
