/*
 * peers.c — federation's tables: the peers (remote TAXII servers, each
 * standing for an organisation of this hub), their links with the cursors
 * that make a sync exact-once, what a push sends (the outbox), and where
 * each delivered version came from (provenance).  The rule that decides
 * where a delivered version goes is in put.c (store_put_received).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/store_int.h"
#include "util/time.h"

#define PEER_COLS "id, name, org_id, url, user, password, ca_file, pin, max_tlp, api_root"
#define LINK_COLS "id, peer_id, push, remote_coll, collection_id, max_tlp, cursor, after_us," \
	" moved, last_us"

/* Step st once and reset it: 0, or the error (CC_ECONFLICT for a
 * constraint) naming what. */
static int step_once(store *s, sqlite3_stmt *st, const char *what, cc_err *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_sqlerr(s, rc, e, what);
}

/* Fill out from the one row of st (prepared and bound): 0, CC_ENOTFOUND
 * without a message when there is none, or the error.  Resets st. */
static int one_row(store *s, sqlite3_stmt *st, store_fill_fn fill, void *out, const char *what,
		   cc_err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		fill(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return CC_ENOTFOUND;
	return rc == SQLITE_ROW ? 0 : store_sqlerr(s, rc, e, what);
}

static void wipe_free(char *secret)
{
	if (secret)
		sodium_memzero(secret, strlen(secret));
	free(secret);
}

void store_peer_clear(store_peer *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->url);
	free(p->user);
	wipe_free(p->password);
	free(p->ca_file);
	free(p->pin);
	free(p->api_root);
	memset(p, 0, sizeof(*p));
}

void store_peer_list_free(store_peer *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_peer_clear(&v[i]);
	free(v);
}

static void peer_fill(sqlite3_stmt *st, void *elem)
{
	store_peer *p = elem;

	p->id = sqlite3_column_int64(st, 0);
	p->name = store_col_dup(st, 1);
	p->org_id = sqlite3_column_int64(st, 2);
	p->url = store_col_dup(st, 3);
	p->user = store_col_dup(st, 4);
	p->password = store_col_dup(st, 5);
	p->ca_file = store_col_dup(st, 6);
	p->pin = store_col_dup(st, 7);
	p->max_tlp = sqlite3_column_int(st, 8);
	p->api_root = store_col_dup(st, 9);
}

static void peer_clear_elem(void *elem)
{
	store_peer_clear(elem);
}

/* The peer (not removed) whose name is name, or whose id is id. */
static int peer_get(store *s, const char *name, int64_t id, store_peer *out, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, name
		? "SELECT " PEER_COLS " FROM peers WHERE name = ?1 AND removed = 0"
		: "SELECT " PEER_COLS " FROM peers WHERE id = ?2 AND removed = 0", e);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	rc = one_row(s, st, peer_fill, out, "reading a peer", e);
	if (rc == CC_ENOTFOUND)
		return name ? cc_err_set(e, rc, "peer %s: no such peer", name)
			    : cc_err_set(e, rc, "peer %lld: no such peer", (long long)id);
	return rc;
}

int store_peer_get(store *s, const char *name, store_peer *out, cc_err *e)
{
	return peer_get(s, name, 0, out, e);
}

int store_peer_get_id(store *s, int64_t id, store_peer *out, cc_err *e)
{
	return peer_get(s, NULL, id, out, e);
}

int store_peer_list(store *s, store_peer **out, size_t *n, cc_err *e)
{
	void *v;
	int rc = store_list(s, "SELECT " PEER_COLS " FROM peers WHERE removed = 0 ORDER BY name",
			    sizeof(**out), peer_fill, peer_clear_elem, &v, n, e);

	*out = v;
	return rc;
}

/* Bind p's settings at ?2..?7 (url, user, password, ca_file, pin, max_tlp). */
static void bind_settings(sqlite3_stmt *st, const store_peer *p)
{
	sqlite3_bind_text(st, 2, p->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->user ? p->user : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->password ? p->password : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->ca_file ? p->ca_file : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, p->pin ? p->pin : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, p->max_tlp);
}

/* A removed peer of p's name comes back with p's settings (its
 * organisation and what it delivered are still there): *revived tells. */
static int peer_revive(store *s, store_peer *p, bool *revived, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "UPDATE peers SET url = ?2, user = ?3, password = ?4,"
					  " ca_file = ?5, pin = ?6, max_tlp = ?7, api_root = '', removed = 0"
					  " WHERE name = ?1 AND removed = 1", e);
	int rc;

	*revived = false;
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, p->name, -1, SQLITE_STATIC);
	bind_settings(st, p);
	rc = step_once(s, st, "adding a peer", e);
	*revived = rc == 0 && sqlite3_changes(s->db) > 0;
	return rc;
}

static int peer_insert(store *s, store_peer *p, cc_err *e)
{
	store_org o = { 0 };
	sqlite3_stmt *st;
	int rc = store_org_get(s, p->name, &o, NULL);

	store_org_clear(&o);
	if (rc == 0)
		return cc_err_set(e, CC_ECONFLICT, "peer %s: an organisation of that name exists; a "
				  "peer stands for an organisation of its own (choose another name)",
				  p->name);
	rc = store_org_add(s, p->name, &o, e);
	if (rc)
		return rc;
	st = store_dyn_stmt(s, "INSERT INTO peers(name, url, user, password, ca_file, pin, max_tlp,"
			    " org_id, created_us) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", e);
	if (st) {
		sqlite3_bind_text(st, 1, p->name, -1, SQLITE_STATIC);
		bind_settings(st, p);
		sqlite3_bind_int64(st, 8, o.id);
		sqlite3_bind_int64(st, 9, cc_now_us());
		rc = step_once(s, st, "adding a peer", e);
	} else {
		rc = CC_EIO;
	}
	store_org_clear(&o);
	return rc;
}

int store_peer_add(store *s, store_peer *p, cc_err *e)
{
	store_peer cur = { 0 };
	bool own, revived;
	int rc;

	if (!p->name || !*p->name || !p->url || !*p->url)
		return cc_err_set(e, CC_ERR, "peer: a name and a URL are needed");
	if (p->max_tlp < STORE_TLP_CLEAR || p->max_tlp > STORE_TLP_RED)
		return cc_err_set(e, CC_ERR, "peer %s: TLP level %d out of range", p->name, p->max_tlp);
	rc = store_begin_own(s, &own, e);
	if (rc)
		return rc;
	rc = peer_get(s, p->name, 0, &cur, NULL);
	store_peer_clear(&cur);
	if (rc == 0)
		rc = cc_err_set(e, CC_ECONFLICT, "peer %s: already exists", p->name);
	else if ((rc = peer_revive(s, p, &revived, e)) == 0 && !revived)
		rc = peer_insert(s, p, e);
	if (rc == 0) {
		rc = peer_get(s, p->name, 0, &cur, e);
		p->id = cur.id;
		p->org_id = cur.org_id;
		store_peer_clear(&cur);
	}
	return store_end_own(s, own, rc, e);
}

int store_peer_remove(store *s, const char *name, cc_err *e)
{
	store_peer p;
	bool own;
	int rc = store_begin_own(s, &own, e);

	if (rc)
		return rc;
	rc = peer_get(s, name, 0, &p, e);
	if (rc == 0)
		rc = store_exec_int(s, "DELETE FROM links WHERE peer_id = ?1", p.id,
				    "removing a peer's links", e);
	if (rc == 0)
		rc = store_exec_int(s, "UPDATE peers SET removed = 1, password = '' WHERE id = ?1",
				    p.id, "removing a peer", e);
	store_peer_clear(&p);
	return store_end_own(s, own, rc, e);
}

int store_peer_set_api_root(store *s, int64_t id, const char *api_root, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "UPDATE peers SET api_root = ?2 WHERE id = ?1", e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, api_root ? api_root : "", -1, SQLITE_STATIC);
	return step_once(s, st, "keeping a peer's API root", e);
}

/* ---- links ---- */

void store_link_clear(store_link *l)
{
	if (!l)
		return;
	free(l->remote_coll);
	free(l->cursor);
	memset(l, 0, sizeof(*l));
}

void store_link_list_free(store_link *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_link_clear(&v[i]);
	free(v);
}

static void link_fill(sqlite3_stmt *st, void *elem)
{
	store_link *l = elem;

	l->id = sqlite3_column_int64(st, 0);
	l->peer_id = sqlite3_column_int64(st, 1);
	l->push = sqlite3_column_int(st, 2) != 0;
	l->remote_coll = store_col_dup(st, 3);
	l->collection_id = sqlite3_column_int64(st, 4);
	l->max_tlp = sqlite3_column_int(st, 5);
	l->cursor = store_col_dup(st, 6);
	l->after_us = sqlite3_column_int64(st, 7);
	l->moved = sqlite3_column_int64(st, 8);
	l->last_us = sqlite3_column_int64(st, 9);
}

/* CC_EDENIED when collection coll is restricted (safeguards): what it
 * holds opens only with a two-person authorisation, so no link pushes it
 * to a peer. */
static int refuse_restricted(store *s, int64_t coll, cc_err *e)
{
	sqlite3_stmt *st;
	int rc, restricted = 0;

	if (s->schema < STORE_SCHEMA_SAFEGUARDS)
		return 0;
	st = store_dyn_stmt(s, "SELECT restricted FROM collections WHERE id = ?1", e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, coll);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		restricted = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(s, rc, e, "reading a collection");
	return restricted ? cc_err_set(e, CC_EDENIED, "push: the collection is restricted: what "
				       "it holds opens only with a two-person authorisation and "
				       "is never pushed to a peer") : 0;
}

int store_link_add(store *s, store_link *l, cc_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (!l->remote_coll || !*l->remote_coll)
		return cc_err_set(e, CC_ERR, "link: no remote collection");
	if (l->max_tlp < STORE_TLP_CLEAR || l->max_tlp > STORE_TLP_RED)
		return cc_err_set(e, CC_ERR, "link: TLP level %d out of range", l->max_tlp);
	if (l->push && (rc = refuse_restricted(s, l->collection_id, e)) != 0)
		return rc;
	st = store_dyn_stmt(s, "INSERT INTO links(peer_id, push, remote_coll, collection_id, max_tlp)"
			    " SELECT ?1, ?2, ?3, ?4, ?5 FROM peers WHERE id = ?1 AND removed = 0", e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, l->peer_id);
	sqlite3_bind_int(st, 2, l->push);
	sqlite3_bind_text(st, 3, l->remote_coll, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, l->collection_id);
	sqlite3_bind_int(st, 5, l->max_tlp);
	rc = step_once(s, st, "adding a link", e);
	if (rc == CC_ECONFLICT)
		return cc_err_set(e, rc, "link: %s %s: already linked", l->push ? "push to" : "pull from",
				  l->remote_coll);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		return cc_err_set(e, CC_ENOTFOUND, "link: no such peer");
	if (rc == 0)
		l->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static void link_clear_elem(void *elem)
{
	store_link_clear(elem);
}

int store_link_list(store *s, int64_t peer_id, store_link **out, size_t *n, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT " LINK_COLS " FROM links"
					  " WHERE ?1 = 0 OR peer_id = ?1 ORDER BY peer_id, id", e);
	void *v = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, peer_id);
	rc = store_list_stmt(s, st, sizeof(**out), link_fill, link_clear_elem, &v, n, e);
	*out = v;
	return rc;
}

int store_link_get(store *s, int64_t id, store_link *out, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT " LINK_COLS " FROM links WHERE id = ?1", e);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = one_row(s, st, link_fill, out, "reading a link", e);
	if (rc == CC_ENOTFOUND)
		return cc_err_set(e, rc, "link %lld: no such link", (long long)id);
	return rc;
}

int store_link_remove(store *s, int64_t id, cc_err *e)
{
	int rc = store_exec_int(s, "DELETE FROM links WHERE id = ?1", id, "removing a link", e);

	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = cc_err_set(e, CC_ENOTFOUND, "link %lld: no such link", (long long)id);
	return rc;
}

int store_link_advance(store *s, int64_t id, const char *cursor, int64_t after_us, int64_t moved,
		       cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "UPDATE links SET cursor = coalesce(?2, cursor),"
					  " after_us = max(after_us, ?3), moved = moved + ?4,"
					  " last_us = ?5 WHERE id = ?1", e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, id);
	if (cursor)
		sqlite3_bind_text(st, 2, cursor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, after_us);
	sqlite3_bind_int64(st, 4, moved);
	sqlite3_bind_int64(st, 5, cc_now_us());
	rc = step_once(s, st, "moving a link's cursor", e);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = cc_err_set(e, CC_ENOTFOUND, "link %lld: no such link (removed meanwhile?)",
				(long long)id);
	return rc;
}

/* ---- what a push sends ---- */

int store_outbox(store *s, const store_link *l, const store_peer *p, int64_t after_us,
		 size_t limit, store_row_fn fn, void *ud, bool *more, cc_err *e)
{
	/* the entries after after_us at most at the ceiling, as the reader
	 * that stands for the peer is served them, but none the peer
	 * delivered or posted (?4: its organisation, ?5: the peer) */
	sqlite3_stmt *st = store_dyn_stmt(s,
		"SELECT " STORE_ROW_COLS ", e.date_added, e.collection_id, e.org_id, e.lvl"
		" FROM entries e JOIN versions v ON v.vid = e.vid"
		" WHERE e.collection_id = ?1 AND e.date_added > ?2 AND e.lvl <= ?3"
		" AND NOT EXISTS (SELECT 1 FROM received r WHERE r.vid = e.vid AND r.peer_id = ?5)"
		" AND (e.org_id <> ?4 OR EXISTS (SELECT 1 FROM received r WHERE r.vid = e.vid))"
		" AND " STORE_SERVED("?4", "?3") " ORDER BY e.date_added LIMIT ?6", e);
	int ceiling = l->max_tlp < p->max_tlp ? l->max_tlp : p->max_tlp;
	size_t n = 0;
	int rc;

	if (more)
		*more = false;
	if (!st)
		return CC_EIO;
	rc = store_pend_flush(s, e);
	if (rc == 0)
		rc = refuse_restricted(s, l->collection_id, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, l->collection_id);
	sqlite3_bind_int64(st, 2, after_us);
	sqlite3_bind_int(st, 3, ceiling);
	sqlite3_bind_int64(st, 4, p->org_id);
	sqlite3_bind_int64(st, 5, p->id);
	sqlite3_bind_int64(st, 6, limit ? (int64_t)limit + 1 : -1);
	return store_emit_rows(s, st, limit, more, fn, ud, &n, "reading what to push", e);
}

/* ---- provenance ---- */

int store_received_list(store *s, const store_row *row, store_received_fn fn, void *ud,
			cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s,
		"SELECT p.name, r.received_us FROM " STORE_ID_FROM
		" JOIN received r ON r.vid = v.vid JOIN peers p ON p.id = r.peer_id"
		" WHERE " STORE_ID_MATCH("?1", "?2") " AND v.modified_us = ?3 AND v.org_id = ?4"
		" ORDER BY r.received_us, p.name", e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, row->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, store_idhash(row->id, strlen(row->id)));
	sqlite3_bind_int64(st, 3, row->modified_us);
	sqlite3_bind_int64(st, 4, row->org_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1), ud);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading where a version came from");
}
