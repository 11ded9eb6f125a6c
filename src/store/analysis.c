/*
 * analysis.c — the store's part of hunting across members: what each
 * member allows others to learn of it (org_settings), and the warning
 * lists kept in the hub (warninglists).  Small tables, simple statements.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/time.h"

int store_org_get_named(store *s, int64_t org_id, bool *named, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT name_in_sightings FROM org_settings"
					  " WHERE org_id = ?1", e);
	int rc;

	*named = false;
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, org_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*named = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading org settings");
}

int store_org_set_named(store *s, int64_t org_id, bool named, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "INSERT INTO org_settings(org_id, name_in_sightings)"
					  " VALUES(?1, ?2) ON CONFLICT(org_id) DO UPDATE"
					  " SET name_in_sightings = ?2", e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int(st, 2, named);
	return store_step_done(s, st, "writing org settings", e);
}

int store_wl_put(store *s, const char *name, const char *json, bool enabled, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "INSERT OR REPLACE INTO warninglists(name, json,"
					  " enabled, added_us) VALUES(?1, ?2, ?3, ?4)", e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (json)
		sqlite3_bind_text(st, 2, json, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int(st, 3, enabled);
	sqlite3_bind_int64(st, 4, cc_now_us());
	return store_step_done(s, st, "writing a warning list", e);
}

int store_wl_set_enabled(store *s, const char *name, bool enabled, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "INSERT INTO warninglists(name, json, enabled, added_us)"
					  " VALUES(?1, NULL, ?2, ?3) ON CONFLICT(name) DO UPDATE"
					  " SET enabled = ?2", e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, enabled);
	sqlite3_bind_int64(st, 3, cc_now_us());
	return store_step_done(s, st, "writing a warning list's state", e);
}

int store_wl_remove(store *s, const char *name, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "DELETE FROM warninglists WHERE name = ?1", e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = store_step_done(s, st, "removing a warning list", e);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		return cc_err_set(e, CC_ENOTFOUND, "warning list %s: no such list in the store", name);
	return rc;
}

static void wl_fill(sqlite3_stmt *st, void *elem)
{
	store_wl *w = elem;

	w->name = store_col_dup(st, 0);
	w->json = store_col_dup(st, 1);
	w->enabled = sqlite3_column_int(st, 2) != 0;
	w->added_us = sqlite3_column_int64(st, 3);
}

static void wl_clear(void *elem)
{
	store_wl *w = elem;

	free(w->name);
	free(w->json);
}

int store_wl_list(store *s, store_wl **out, size_t *n, cc_err *e)
{
	return store_list(s, "SELECT name, json, enabled, added_us FROM warninglists ORDER BY name",
			  sizeof(**out), wl_fill, wl_clear, (void **)out, n, e);
}

void store_wl_list_free(store_wl *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		wl_clear(&v[i]);
	free(v);
}
