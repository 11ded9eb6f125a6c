/*
 * ui.h — the analysts' web interface: pages and a small JSON API under
 * /ui/, served by `cybercell serve` beside TAXII on the same TLS port
 * (taxii_app), with the hub's users.
 *
 * A user logs in once (POST /ui/api/login with HTTP Basic credentials,
 * checked by the server exactly as a TAXII request's: throttle, argon2 off
 * the network threads) and gets a session cookie (HttpOnly, Secure,
 * SameSite=Strict) and a CSRF token that every change must carry.  Every
 * read goes through the store's one access layer (store_find and
 * store_query_run with the session's organisation and its grant's max TLP,
 * collection by collection): the UI shows a member exactly what TAXII
 * would serve it.  The static files (ui/ at the top of the tree, and
 * cytoscape.js) are compiled into the binary.  docs/ui.md has the API.
 *
 * Ownership: ui_new returns a context freed by ui_free, after the server
 * that used it has stopped; it copies what the config points to.
 */
#ifndef CC_UI_H
#define CC_UI_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "taxii/taxii.h"

#define UI_DEFAULT_IDLE 1800               /* seconds a session lives without a request */
#define UI_SESSION_MAX_AGE (12 * 3600)     /* seconds a session lives at most */

typedef struct ui_config {
	unsigned idle_timeout_s;           /* 0 = UI_DEFAULT_IDLE */
	const char *models_dir;            /* war-game models: DIR/<organisation>/NAME.yaml;
	                                      NULL = none */
	const char *rules_dir;             /* the technique rules of the war games */
} ui_config;

typedef struct ui_ctx ui_ctx;

/* NULL when out of memory or libsodium fails. */
ui_ctx *ui_new(const ui_config *cfg);
void ui_free(ui_ctx *u);                   /* NULL ok */

/* The application to serve beside TAXII (taxii_serve_opts.app); u must
 * outlive the server. */
void ui_app(ui_ctx *u, taxii_app *out);

/* One static file compiled in (build/gen/ui_files.c). */
typedef struct ui_file {
	const char *path;                  /* under /ui/, e.g. "js/main.js" */
	const char *type;                  /* its Content-Type */
	const unsigned char *data;
	size_t len;
} ui_file;

/* The file at path (relative to /ui/), or NULL. */
const ui_file *ui_file_get(const char *path);

#endif
