/*
 * users.c — users (with the password hash string their caller made),
 * grants of collections to organisations, and TAXII status resources.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/time.h"

/* ---- users ---- */

#define USER_SQL "SELECT u.id, u.name, u.pwhash, u.org_id, o.name FROM users u" \
	" JOIN orgs o ON o.id = u.org_id"

void store_user_clear(store_user *u)
{
	if (!u)
		return;
	free(u->name);
	free(u->pwhash);
	free(u->org_name);
	memset(u, 0, sizeof(*u));
}

static void user_from(sqlite3_stmt *st, store_user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->name = store_col_dup(st, 1);
	u->pwhash = store_col_dup(st, 2);
	u->org_id = sqlite3_column_int64(st, 3);
	u->org_name = store_col_dup(st, 4);
}

static void user_fill(sqlite3_stmt *st, void *u)
{
	user_from(st, u);
}

static void user_clear(void *u)
{
	store_user_clear(u);
}

int store_user_add(store *s, const char *name, int64_t org_id, const char *pwhash, cc_err *e)
{
	sqlite3_stmt *st;
	store_org o;
	int rc;

	if (!name || !*name || !pwhash)
		return cc_err_set(e, CC_ERR, "user: empty name or password hash");
	rc = store_org_get_id(s, org_id, &o, e);
	if (rc)
		return rc;
	store_org_clear(&o);
	st = store_dyn_stmt(s, "INSERT INTO users(name, pwhash, org_id) VALUES(?1, ?2, ?3)", e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, org_id);
	rc = store_step_done(s, st, "adding a user", e);
	if (rc == CC_ECONFLICT)
		return cc_err_set(e, rc, "user %s: already exists", name);
	return rc;
}

/* UPDATE/DELETE one user by name: CC_ENOTFOUND when there is none. */
static int user_change(store *s, const char *sql, const char *name, const char *arg, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, sql, e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (arg)
		sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
	rc = store_step_done(s, st, "changing a user", e);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = cc_err_set(e, CC_ENOTFOUND, "user %s: no such user", name);
	return rc;
}

int store_user_set_pwhash(store *s, const char *name, const char *pwhash, cc_err *e)
{
	if (!pwhash)
		return cc_err_set(e, CC_ERR, "user %s: empty password hash", name);
	return user_change(s, "UPDATE users SET pwhash = ?2 WHERE name = ?1", name, pwhash, e);
}

int store_user_remove(store *s, const char *name, cc_err *e)
{
	return user_change(s, "DELETE FROM users WHERE name = ?1", name, NULL, e);
}

int store_user_get(store *s, const char *name, store_user *out, cc_err *e)
{
	memset(out, 0, sizeof(*out));
	return store_get_one(s, USER_SQL " WHERE u.name = ?1", name, user_fill, out, "user", e);
}

int store_user_list(store *s, store_user **out, size_t *n, cc_err *e)
{
	void *v;
	int rc = store_list(s, USER_SQL " ORDER BY u.id",
			    sizeof(**out), user_fill, user_clear, &v, n, e);

	*out = v;
	return rc;
}

void store_user_list_free(store_user *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_user_clear(&v[i]);
	free(v);
}

/* ---- grants ---- */

static void grant_from(sqlite3_stmt *st, store_grant *g);

static void grant_fill(sqlite3_stmt *st, void *g)
{
	grant_from(st, g);
}

int store_grant_set(store *s, const store_grant *g, cc_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (g->max_tlp < STORE_TLP_CLEAR || g->max_tlp > STORE_TLP_RED)
		return cc_err_set(e, CC_ERR, "grant: TLP level %d out of range", g->max_tlp);
	st = store_dyn_stmt(s, "INSERT OR REPLACE INTO grants(org_id, collection_id, can_read,"
			    " can_write, max_tlp) VALUES(?1, ?2, ?3, ?4, ?5)", e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, g->org_id);
	sqlite3_bind_int64(st, 2, g->collection_id);
	sqlite3_bind_int(st, 3, g->can_read);
	sqlite3_bind_int(st, 4, g->can_write);
	sqlite3_bind_int(st, 5, g->max_tlp);
	rc = store_step_done(s, st, "setting a grant", e);
	if (rc == CC_ECONFLICT)    /* foreign key: no such org or collection */
		return cc_err_set(e, CC_ENOTFOUND, "grant: no such organisation or collection");
	return rc;
}

int store_grant_remove(store *s, int64_t org_id, int64_t collection_id, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "DELETE FROM grants WHERE org_id = ?1"
					  " AND collection_id = ?2", e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, collection_id);
	rc = store_step_done(s, st, "removing a grant", e);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = cc_err_set(e, CC_ENOTFOUND, "grant: no such grant");
	return rc;
}

static void grant_from(sqlite3_stmt *st, store_grant *g)
{
	g->org_id = sqlite3_column_int64(st, 0);
	g->collection_id = sqlite3_column_int64(st, 1);
	g->can_read = sqlite3_column_int(st, 2) != 0;
	g->can_write = sqlite3_column_int(st, 3) != 0;
	g->max_tlp = sqlite3_column_int(st, 4);
}

int store_grant_get(store *s, int64_t org_id, int64_t collection_id, store_grant *out,
		    cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT org_id, collection_id, can_read, can_write, "
					  STORE_GRANT_TLP("grants") " FROM grants WHERE org_id = ?1"
					  " AND collection_id = ?2", e);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, collection_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		grant_from(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return cc_err_set(e, CC_ENOTFOUND, "grant: no such grant");
	return rc == SQLITE_ROW ? 0 : store_sqlerr(s, rc, e, "reading a grant");
}

int store_grant_list(store *s, store_grant **out, size_t *n, cc_err *e)
{
	void *v;
	int rc = store_list(s, "SELECT org_id, collection_id, can_read, can_write, max_tlp FROM grants"
			  " ORDER BY org_id, collection_id",
			    sizeof(**out), grant_fill, NULL, &v, n, e);

	*out = v;
	return rc;
}

/* ---- TAXII status ---- */

int store_status_put(store *s, const char *status_id, const char *json, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "INSERT OR REPLACE INTO status(id, json, updated_us)"
					  " VALUES(?1, ?2, ?3)", e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, status_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, cc_now_us());
	return store_step_done(s, st, "storing a status", e);
}

int store_status_get(store *s, const char *status_id, int64_t not_before_us, char **json_out,
		     cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT json FROM status WHERE id = ?1"
					  " AND updated_us >= ?2", e);
	int rc;

	*json_out = NULL;
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, status_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, not_before_us);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*json_out = store_col_dup(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return cc_err_set(e, CC_ENOTFOUND, "status %s: no such status", status_id);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(s, rc, e, "reading a status");
}

int store_status_expire(store *s, int64_t before_us, size_t *n, cc_err *e)
{
	int rc = store_exec_int(s, "DELETE FROM status WHERE updated_us < ?1", before_us,
				"expiring status resources", e);

	if (n)
		*n = rc == 0 ? (size_t)sqlite3_changes(s->db) : 0;
	return rc;
}
