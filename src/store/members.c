/*
 * members.c — collections, organisations, users, grants and TAXII status
 * resources: small tables, simple statements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/time.h"
#include "util/uuid.h"

/* Step a one-row query: 0 with a row, CC_ENOTFOUND (message not set), or error. */
static int row(store *s, sqlite3_stmt *st, cc_err *e, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 0;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return CC_ENOTFOUND;
	return store_sqlerr(s, rc, e, what);
}

static int changes_or_notfound(store *s, int rc, cc_err *e, const char *what, const char *name)
{
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		return cc_err_set(e, CC_ENOTFOUND, "%s: no such %s", name, what);
	return rc;
}

/* ---- collections ---- */

/* SELECT of the collections' columns, then tail: "restricted" came
 * with schema STORE_SCHEMA_SAFEGUARDS (older stores, opened at their
 * version by tests and tools, read 0). */
#define COLL_COLS "id, uuid, name, title, description, default_tlp"
#define COLL_SELECT(s, tail) ((s)->schema >= STORE_SCHEMA_SAFEGUARDS \
	? "SELECT " COLL_COLS ", restricted FROM collections" tail \
	: "SELECT " COLL_COLS ", 0 FROM collections" tail)

void store_collection_clear(store_collection *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->title);
	free(c->description);
	memset(c, 0, sizeof(*c));
}

static void coll_from(sqlite3_stmt *st, store_collection *c)
{
	const char *u = (const char *)sqlite3_column_text(st, 1);

	c->id = sqlite3_column_int64(st, 0);
	snprintf(c->uuid, sizeof(c->uuid), "%s", u ? u : "");
	c->name = store_col_dup(st, 2);
	c->title = store_col_dup(st, 3);
	c->description = store_col_dup(st, 4);
	c->default_tlp = sqlite3_column_int(st, 5);
	c->restricted = sqlite3_column_int(st, 6) != 0;
}

static void coll_fill(sqlite3_stmt *st, void *c)
{
	coll_from(st, c);
}

static void coll_clear(void *c)
{
	store_collection_clear(c);
}

int store_collection_add(store *s, const char *name, const char *title, const char *desc,
			 const char *uuid, store_collection *out, cc_err *e)
{
	char u[CC_UUID_STR];
	unsigned char raw[16];
	sqlite3_stmt *st;
	int rc;

	if (!name || !*name)
		return cc_err_set(e, CC_ERR, "collection: empty name");
	if (uuid && (strlen(uuid) != 36 || !cc_uuid_parse(uuid, raw)))
		return cc_err_set(e, CC_ERR, "collection %s: '%s' is not a UUID", name, uuid);
	if (!uuid) {
		cc_uuid4(u);
		uuid = u;
	}
	st = store_dyn_stmt(s, "INSERT INTO collections(uuid, name, title, description)"
			    " VALUES(lower(?1), ?2, ?3, ?4)", e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, desc, -1, SQLITE_STATIC);
	rc = store_step_done(s, st, "adding a collection", e);
	if (rc == CC_ECONFLICT)
		return cc_err_set(e, CC_ECONFLICT, "collection %s: a collection with this name or "
				  "id exists", name);
	if (rc == 0 && out)
		rc = store_collection_get(s, name, out, e);
	return rc;
}

int store_collection_get(store *s, const char *name_or_uuid, store_collection *out, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, COLL_SELECT(s, " WHERE name = ?1 OR uuid = lower(?1)"
							     " ORDER BY name = ?1 DESC LIMIT 1"), e);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, name_or_uuid, -1, SQLITE_STATIC);
	rc = row(s, st, e, "reading a collection");
	if (rc == CC_ENOTFOUND)
		return cc_err_set(e, rc, "collection %s: no such collection", name_or_uuid);
	if (rc)
		return rc;
	coll_from(st, out);
	sqlite3_reset(st);
	return 0;
}

int store_collection_set_tlp(store *s, int64_t id, int default_tlp, cc_err *e)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if (default_tlp < STORE_TLP_CLEAR || default_tlp > STORE_TLP_RED)
		return cc_err_set(e, CC_ERR, "collection: TLP level %d out of range", default_tlp);
	rc = store_begin_own(s, &own, e);
	if (rc)
		return rc;
	st = store_dyn_stmt(s, "UPDATE collections SET default_tlp = ?2 WHERE id = ?1", e);
	if (!st) {
		rc = CC_EIO;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, default_tlp);
	rc = store_step_done(s, st, "updating a collection", e);
	rc = changes_or_notfound(s, rc, e, "collection", "collection");
	if (rc == 0)    /* the unmarked objects' entries change level */
		rc = store_group_relevel(s, id, default_tlp, e);
	s->tlp_coll = 0;
out:
	return store_end_own(s, own, rc, e);
}

int store_collection_list(store *s, store_collection **out, size_t *n, cc_err *e)
{
	void *v;
	int rc = store_list(s, COLL_SELECT(s, " ORDER BY id"),
			    sizeof(**out), coll_fill, coll_clear, &v, n, e);

	*out = v;
	return rc;
}

void store_collection_list_free(store_collection *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_collection_clear(&v[i]);
	free(v);
}

/* ---- organisations ---- */

void store_org_clear(store_org *o)
{
	if (!o)
		return;
	free(o->name);
	memset(o, 0, sizeof(*o));
}

static void org_from(sqlite3_stmt *st, store_org *o)
{
	const char *ident = (const char *)sqlite3_column_text(st, 2);

	o->id = sqlite3_column_int64(st, 0);
	o->name = store_col_dup(st, 1);
	snprintf(o->identity_id, sizeof(o->identity_id), "%s", ident ? ident : "");
}

static void org_fill(sqlite3_stmt *st, void *o)
{
	org_from(st, o);
}

static void org_clear(void *o)
{
	store_org_clear(o);
}

int store_org_add(store *s, const char *name, store_org *out, cc_err *e)
{
	char u[CC_UUID_STR], ident[64];
	sqlite3_stmt *st;
	int rc;

	if (!name || !*name)
		return cc_err_set(e, CC_ERR, "org: empty name");
	cc_uuid4(u);
	snprintf(ident, sizeof(ident), "identity--%s", u);
	st = store_dyn_stmt(s, "INSERT INTO orgs(name, identity_id) VALUES(?1, ?2)", e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ident, -1, SQLITE_STATIC);
	rc = store_step_done(s, st, "adding an organisation", e);
	if (rc == CC_ECONFLICT)
		return cc_err_set(e, rc, "org %s: already exists", name);
	if (rc == 0 && out)
		rc = store_org_get(s, name, out, e);
	return rc;
}

static int org_get(store *s, const char *name, int64_t id, store_org *out, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, name
		? "SELECT id, name, identity_id FROM orgs WHERE name = ?1"
		: "SELECT id, name, identity_id FROM orgs WHERE id = ?1", e);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return CC_EIO;
	if (name)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	rc = row(s, st, e, "reading an organisation");
	if (rc == CC_ENOTFOUND)
		return name ? cc_err_set(e, rc, "org %s: no such organisation", name)
			    : cc_err_set(e, rc, "org %lld: no such organisation", (long long)id);
	if (rc)
		return rc;
	org_from(st, out);
	sqlite3_reset(st);
	return 0;
}

int store_org_get(store *s, const char *name, store_org *out, cc_err *e)
{
	return org_get(s, name ? name : "", 0, out, e);
}

int store_org_get_id(store *s, int64_t id, store_org *out, cc_err *e)
{
	return org_get(s, NULL, id, out, e);
}

int store_org_list(store *s, store_org **out, size_t *n, cc_err *e)
{
	void *v;
	int rc = store_list(s, "SELECT id, name, identity_id FROM orgs ORDER BY id",
			    sizeof(**out), org_fill, org_clear, &v, n, e);

	*out = v;
	return rc;
}

void store_org_list_free(store_org *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_org_clear(&v[i]);
	free(v);
}
