/*
 * app.c — an application beside TAXII on the same server (taxii_app: the
 * analysts' web interface): which paths are its, and its requests with
 * the Basic credentials verified as TAXII's are.
 */
#include "taxii/taxii_int.h"

#include <string.h>

bool taxii_app_owns(const taxii_app *app, const char *path)
{
	size_t n;

	if (!app || !path)
		return false;
	n = strlen(app->prefix);
	return strncmp(path, app->prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

void taxii_app_handle(taxii_ctx *ctx, const taxii_app *app, store *s, taxii_memo *m,
		      const taxii_request *rq, taxii_response *rs)
{
	taxii_who who = { .org_id = 0 };
	uint64_t gen = 0;
	bool snapshot = false, get = rq->method && strcmp(rq->method, "GET") == 0;

	memset(rs, 0, sizeof(*rs));
	if (get)
		snapshot = store_read_begin(s, &gen, NULL) == 0;
	taxii_memo_start(m, snapshot, gen);
	if (rq->authorization && !taxii_auth_check(ctx, s, m, rq->authorization, &who)) {
		taxii_error(rs, 401, "Unauthorized", "wrong user name or password");
		rs->www_authenticate = false;
	} else {
		app->handle(app->ud, s, rq, who.user[0] ? who.user : NULL, who.org_id, rs);
	}
	if (snapshot)
		store_read_end(s);
}
