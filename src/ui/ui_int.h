/*
 * ui_int.h — what the files of the ui module share; not part of its
 * interface (include ui/ui.h from outside).
 */
#ifndef CC_UI_INT_H
#define CC_UI_INT_H

#include <pthread.h>
#include <stdbool.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "ui/ui.h"

#define UI_SESSIONS 1024                   /* sessions at once (the least recently
                                              used makes room) */
#define UI_TOKEN_LEN 43                    /* base64url of 32 random bytes */
#define UI_MAX_BODY 65536                  /* bytes of a request body */
#define UI_REPORTS 3                       /* war-game reports kept per session */
#define UI_COOKIE "__Host-cybercell"

/* A war-game report kept for the session that ran it. */
typedef struct ui_report {
	char id[16];                       /* its number in the session, as text */
	char *html;                        /* the report, owned */
} ui_report;

/* One logged-in user. */
typedef struct ui_session {
	unsigned char key[16];             /* keyed hash of the cookie's token; 0 = free */
	char user[64];                     /* login name */
	int64_t org_id;                    /* its organisation at login */
	unsigned char pw_tail[16];         /* the end of its password hash at login: a new
	                                      password ends the session */
	char csrf[UI_TOKEN_LEN + 1];       /* the token every change carries */
	int64_t created_us, last_us;       /* monotonic: login, last request */
	ui_report reports[UI_REPORTS];     /* the latest war games it ran */
	unsigned n_runs;                   /* war games run, numbers the reports */
} ui_session;

/* What a request learns of its session (a copy, no report). */
typedef struct ui_who {
	char user[64];
	int64_t org_id;
	unsigned char pw_tail[16];
	char csrf[UI_TOKEN_LEN + 1];
} ui_who;

struct ui_ctx {
	unsigned idle_s;                   /* idle timeout, seconds */
	char *models_dir, *rules_dir;      /* owned; NULL = none */
	unsigned char key[crypto_generichash_KEYBYTES]; /* hashes tokens (per process) */
	pthread_mutex_t lock;              /* guards sessions */
	ui_session sessions[UI_SESSIONS];
	pthread_mutex_t slim_lock;         /* guards slim */
	json_t *slim;                      /* "date_added owner" -> slim copy (slim.c) */
};

/* ---- session.c ---- */

/* A new session for user of org_id: its cookie token into token and its
 * CSRF token into who->csrf.  The least recently used session makes room. */
void ui_session_new(ui_ctx *u, const char *user, int64_t org_id, const unsigned char *pw_tail,
		    char token[UI_TOKEN_LEN + 1], ui_who *who);
/* The live session of token (from the Cookie header): true and *who
 * filled, its idle time restarted; an expired one is ended. */
bool ui_session_get(ui_ctx *u, const char *token, ui_who *who);
/* End the session of token (no-op when none). */
void ui_session_end(ui_ctx *u, const char *token);
/* Keep html (taken) as the session's newest report: its id into id. */
bool ui_session_put_report(ui_ctx *u, const char *token, char *html, char id[16]);
/* A copy of the session's report id (free()), NULL when none. */
char *ui_session_report(ui_ctx *u, const char *token, const char *id);
/* The end of a password hash, as kept in ui_session.pw_tail. */
void ui_pw_tail(const char *pwhash, unsigned char out[16]);
/* The session token in a Cookie header, or false. */
bool ui_cookie_token(const char *cookie, char token[UI_TOKEN_LEN + 1]);

/* ---- access.c: what a member may read, through the store's one layer ---- */

/* A collection the member may read, and its ceiling there. */
typedef struct ui_coll {
	int64_t id;
	int max_tlp;                       /* STORE_TLP_* */
	char *name;                        /* owned */
} ui_coll;

/* The member's view: its organisation and the collections it may read. */
typedef struct ui_view {
	int64_t org;
	ui_coll *v;                        /* owned */
	size_t n;
	audit_list *read;                  /* where the ids of TLP:AMBER+STRICT and RED
	                                      versions read go, for the request's audit
	                                      entry (NULL: nowhere) */
} ui_view;

int  ui_view_load(store *s, int64_t org, ui_view *out, cc_err *e);
void ui_view_clear(ui_view *v);
/* The name of collection id in the view ("" when not there). */
const char *ui_view_coll_name(const ui_view *v, int64_t id);

/* store_find as the member in each collection it may read (q's
 * collection_id, viewer_org and max_tlp are set here). */
int ui_find(store *s, const ui_view *v, const store_find_query *q, store_row_fn fn, void *ud,
	    cc_err *e);
/* The versions (STORE_VER_* bits) of ids the member may see, collection
 * by collection (store_query_run as the member); types (n_types, may be
 * 0) narrow them. */
int ui_ids(store *s, const ui_view *v, const char *const *ids, size_t n, unsigned versions,
	   store_row_fn fn, void *ud, cc_err *e);
/* ui_ids of the ids in JSON array ids (strings). */
int ui_ids_json(store *s, const ui_view *v, const json_t *ids, unsigned versions,
		store_row_fn fn, void *ud, cc_err *e);
/* Every latest version of the types the member may see (ui_find of each). */
int ui_types(store *s, const ui_view *v, const char *const *types, size_t n, store_row_fn fn,
	     void *ud, cc_err *e);

/* Collects the latest version of each id (by modified, across
 * collections) as parsed objects: id -> object. */
typedef struct ui_objs {
	json_t *by_id;                     /* owned */
	json_t *colls;                     /* id -> [collection names] */
	const ui_view *view;
	ui_ctx *slim;                      /* not NULL: slim copies (ui_slim_row) */
} ui_objs;
void ui_objs_init(ui_objs *o, const ui_view *v);
/* The same, collecting slim copies (summaries, matrix, graph, lists). */
void ui_objs_init_slim(ui_objs *o, const ui_view *v, ui_ctx *u);
void ui_objs_clear(ui_objs *o);
int  ui_objs_row(const store_row *r, void *ud);     /* a store_row_fn adding to ui_objs */
/* The first object of o (the only one, when one id was asked), or NULL. */
json_t *ui_objs_first(const ui_objs *o);

/* ---- slim.c: what the pages read of most objects ---- */

/* The slim copy of row r's object (a new reference; NULL when its JSON
 * does not parse): id, type, name, value, versions, flags, markings,
 * relationship ends, kill chain phases, tactics, sighting fields, and
 * the external_references that have an external_id (source_name and
 * external_id only).  Kept per
 * entry in u (a version's JSON never changes) and shared: read it, never
 * change it. */
json_t *ui_slim_row(ui_ctx *u, const store_row *r);

/* ---- json.c: answers and object summaries ---- */

/* rs: status and the compact JSON of j (consumed). */
void ui_json(taxii_response *rs, int status, json_t *j);
/* rs: status and {"error": msg}. */
void ui_error(taxii_response *rs, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* {"id","type","name","tlp"} of object o (name: its name, value, or a
 * relationship's type; tlp: its TLP marking's name or null). */
json_t *ui_summary(const json_t *o);
/* The ATT&CK id of an object (the external_id of its mitre-attack
 * reference, else its first external id), or NULL. */
const char *ui_attack_id(const json_t *o);
/* Whether o is neither revoked nor deprecated (x_mitre_deprecated). */
bool ui_live(const json_t *o);
/* Whether o (NULL: no) is an intrusion-set, threat-actor or campaign. */
bool ui_is_adversary(const json_t *o);
/* The string property key of o, "" when absent. */
const char *ui_str(const json_t *o, const char *key);
/* The value of query argument key, or NULL. */
const char *ui_arg(const taxii_request *rq, const char *key);

/* ---- the endpoints (one file each) ---- */

/* What an API handler gets: the store, the request, the member. */
typedef struct ui_req {
	ui_ctx *u;
	store *s;
	const taxii_request *rq;
	const ui_who *who;
	const ui_view *view;
	const char *token;                 /* the session's cookie token */
} ui_req;

void ui_api_search(const ui_req *r, taxii_response *rs);
void ui_api_object(const ui_req *r, taxii_response *rs);
void ui_api_adversary(const ui_req *r, taxii_response *rs);
void ui_api_seen(const ui_req *r, taxii_response *rs);
void ui_api_wargame_models(const ui_req *r, taxii_response *rs);
void ui_api_wargame_run(const ui_req *r, taxii_response *rs);
void ui_api_wargame_report(const ui_req *r, taxii_response *rs);

#endif
