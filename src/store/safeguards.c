/*
 * safeguards.c — the rows of the safeguards: a collection's restricted
 * flag, approvers (name, organisation, public key, the hub's endorsement)
 * and authorisations (request, approval, revocation).  Whether a row is
 * valid — its signatures, its expiry — is decided by src/audit/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Step st once (reset after): 0 when it ran (a row or done), else the
 * error; *changed (may be NULL) says whether a row changed. */
static int step_once(store *s, sqlite3_stmt *st, bool *changed, cc_err *e, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (changed)
		*changed = sqlite3_changes(s->db) > 0;
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return store_sqlerr(s, rc, e, what);
}

/* Copy a possibly NULL text column into out (size n). */
static void col_copy(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	snprintf(out, n, "%s", t ? t : "");
}

int store_collection_set_restricted(store *s, int64_t id, bool restricted, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "UPDATE collections SET restricted = ?2 WHERE id = ?1",
					  e);
	bool changed = false;
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, restricted ? 1 : 0);
	rc = step_once(s, st, &changed, e, "restricting a collection");
	if (rc == 0 && !changed)
		return cc_err_set(e, CC_ENOTFOUND, "collection %lld: no such collection", (long long)id);
	return rc;
}

/* ---- approvers ---- */

#define APPROVER_SQL "SELECT a.id, a.name, a.org_id, o.name, a.public_key, a.endorsement," \
	" a.created_us FROM approvers a JOIN orgs o ON o.id = a.org_id"

void store_approver_clear(store_approver *a)
{
	if (!a)
		return;
	free(a->name);
	free(a->org_name);
	memset(a, 0, sizeof(*a));
}

static void approver_from(sqlite3_stmt *st, void *elem)
{
	store_approver *a = elem;

	a->id = sqlite3_column_int64(st, 0);
	a->name = store_col_dup(st, 1);
	a->org_id = sqlite3_column_int64(st, 2);
	a->org_name = store_col_dup(st, 3);
	col_copy(st, 4, a->public_key, sizeof(a->public_key));
	col_copy(st, 5, a->endorsement, sizeof(a->endorsement));
	a->created_us = sqlite3_column_int64(st, 6);
}

static void approver_clear(void *elem)
{
	store_approver_clear(elem);
}

int store_approver_add(store *s, const store_approver *a, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "INSERT INTO approvers(name, org_id, public_key,"
					  " endorsement, created_us) VALUES(?1, ?2, ?3, ?4, ?5)", e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, a->org_id);
	sqlite3_bind_text(st, 3, a->public_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->endorsement, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, a->created_us);
	rc = step_once(s, st, NULL, e, "adding an approver");
	if (rc == CC_ECONFLICT)
		return cc_err_set(e, rc, "approver %s: already exists", a->name);
	return rc;
}

int store_approver_get(store *s, const char *name, store_approver *out, cc_err *e)
{
	memset(out, 0, sizeof(*out));
	return store_get_one(s, APPROVER_SQL " WHERE a.name = ?1", name, approver_from, out,
			     "approver", e);
}

int store_approver_list(store *s, store_approver **out, size_t *n, cc_err *e)
{
	void *v;
	int rc = store_list(s, APPROVER_SQL " ORDER BY a.name", sizeof(**out), approver_from,
			    approver_clear, &v, n, e);

	*out = v;
	return rc;
}

void store_approver_list_free(store_approver *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_approver_clear(&v[i]);
	free(v);
}

/* ---- authorisations ---- */

#define AUTHZ_SQL "SELECT a.id, a.collection_id, c.uuid, c.name, a.user_name, a.reason," \
	" a.duration_s, a.requested_us, a.requested_by, a.approver, a.approved_us, a.signature," \
	" a.revoked_us FROM authorisations a JOIN collections c ON c.id = a.collection_id"

void store_authz_clear(store_authz *a)
{
	if (!a)
		return;
	free(a->coll_name);
	free(a->user);
	free(a->reason);
	free(a->requested_by);
	free(a->approver);
	free(a->signature);
	memset(a, 0, sizeof(*a));
}

static void authz_from(sqlite3_stmt *st, void *elem)
{
	store_authz *a = elem;

	col_copy(st, 0, a->id, sizeof(a->id));
	a->collection_id = sqlite3_column_int64(st, 1);
	col_copy(st, 2, a->coll_uuid, sizeof(a->coll_uuid));
	a->coll_name = store_col_dup(st, 3);
	a->user = store_col_dup(st, 4);
	a->reason = store_col_dup(st, 5);
	a->duration_s = sqlite3_column_int64(st, 6);
	a->requested_us = sqlite3_column_int64(st, 7);
	a->requested_by = store_col_dup(st, 8);
	a->approver = store_col_dup(st, 9);
	a->approved_us = sqlite3_column_int64(st, 10);
	a->signature = store_col_dup(st, 11);
	a->revoked_us = sqlite3_column_int64(st, 12);
}

int store_authz_add(store *s, const store_authz *a, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "INSERT INTO authorisations(id, collection_id,"
					  " user_name, reason, duration_s, requested_us, requested_by)"
					  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, a->collection_id);
	sqlite3_bind_text(st, 3, a->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, a->duration_s);
	sqlite3_bind_int64(st, 6, a->requested_us);
	sqlite3_bind_text(st, 7, a->requested_by, -1, SQLITE_STATIC);
	rc = step_once(s, st, NULL, e, "adding an authorisation");
	if (rc == CC_ECONFLICT)
		return cc_err_set(e, rc, "authorisation %s: already exists", a->id);
	return rc;
}

int store_authz_get(store *s, const char *id, store_authz *out, cc_err *e)
{
	memset(out, 0, sizeof(*out));
	return store_get_one(s, AUTHZ_SQL " WHERE a.id = lower(?1)", id, authz_from, out,
			     "authorisation", e);
}

/* Run an UPDATE of authorisation id that applies only in the state its
 * WHERE clause names: CC_ENOTFOUND when there is no such authorisation,
 * CC_ECONFLICT (message "id: <conflict>") when it is not in that state. */
static int authz_update(store *s, sqlite3_stmt *st, const char *id, const char *conflict,
			cc_err *e)
{
	store_authz a;
	bool changed = false;
	int rc = step_once(s, st, &changed, e, "updating an authorisation");

	if (rc || changed)
		return rc;
	rc = store_authz_get(s, id, &a, e);
	store_authz_clear(&a);
	return rc ? rc : cc_err_set(e, CC_ECONFLICT, "authorisation %s: %s", id, conflict);
}

int store_authz_approve(store *s, const char *id, const char *approver, int64_t approved_us,
			const char *signature, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "UPDATE authorisations SET approver = ?2,"
					  " approved_us = ?3, signature = ?4 WHERE id = lower(?1)"
					  " AND approver IS NULL AND revoked_us IS NULL", e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, approver, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, approved_us);
	sqlite3_bind_text(st, 4, signature, -1, SQLITE_STATIC);
	return authz_update(s, st, id, "no longer pending", e);
}

int store_authz_revoke(store *s, const char *id, int64_t revoked_us, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "UPDATE authorisations SET revoked_us = ?2"
					  " WHERE id = lower(?1) AND revoked_us IS NULL", e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, revoked_us);
	return authz_update(s, st, id, "revoked already", e);
}

int store_authz_list(store *s, const char *user, int64_t collection_id, store_authz **out,
		     size_t *n, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, AUTHZ_SQL " WHERE (?1 IS NULL OR a.user_name = ?1)"
					  " AND (?2 = 0 OR a.collection_id = ?2)"
					  " ORDER BY a.requested_us DESC, a.id", e);
	store_authz *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, collection_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			store_authz *nv;

			cap = cap ? 2 * cap : 4;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = nv;
		}
		memset(&v[cnt], 0, sizeof(v[cnt]));
		authz_from(st, &v[cnt++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_authz_list_free(v, cnt);
		return store_sqlerr(s, rc, e, "listing authorisations");
	}
	*out = v;
	*n = cnt;
	return 0;
}

void store_authz_list_free(store_authz *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_authz_clear(&v[i]);
	free(v);
}
