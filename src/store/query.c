/*
 * query.c — the TAXII-style query (store_query_run), its count, TAXII
 * DELETE, and get by id.  SQL is built from the filters present and the
 * prepared statement is cached by its text, so a server answering the same
 * shape of request again only binds and steps.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/xalloc.h"

/* A value to bind, in order of the ?s in the built SQL. */
typedef struct qarg {
	bool is_text;
	const char *t;
	int64_t i;
} qarg;

typedef struct qbuild {
	cc_buf sql;
	qarg *args;
	size_t n, cap;
} qbuild;

static void arg_int(qbuild *b, int64_t v)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->args = cc_xrealloc(b->args, b->cap * sizeof(*b->args));
	}
	b->args[b->n++] = (qarg){ false, NULL, v };
}

static void arg_text(qbuild *b, const char *t)
{
	arg_int(b, 0);
	b->args[b->n - 1].is_text = true;
	b->args[b->n - 1].t = t;
}

static void qbuild_free(qbuild *b)
{
	cc_buf_free(&b->sql);
	free(b->args);
}

/* " AND col IN (?,?,...)" for a list of strings. */
static void in_text(qbuild *b, const char *col, const char *const *v, size_t n)
{
	if (!n)
		return;
	cc_buf_printf(&b->sql, " AND %s IN (", col);
	for (size_t i = 0; i < n; i++) {
		cc_buf_puts(&b->sql, i ? ",?" : "?");
		arg_text(b, v[i]);
	}
	cc_buf_putc(&b->sql, ')');
}

/* " AND v.vid IN (ids of the hashes) AND v.id IN (...)" for a list of ids: the hashes
 * reach the index, the texts rule out collisions. */
static void in_ids(qbuild *b, const char *const *v, size_t n)
{
	if (!n)
		return;
	cc_buf_puts(&b->sql, " AND v.vid IN (SELECT i.vid FROM ids i WHERE i.idh IN (");
	for (size_t i = 0; i < n; i++) {
		cc_buf_puts(&b->sql, i ? ",?" : "?");
		arg_int(b, store_idhash(v[i], strlen(v[i])));
	}
	cc_buf_puts(&b->sql, "))");
	in_text(b, "v.id COLLATE NOCASE", v, n);
}

/* The (cached) statement for b's SQL with b's arguments bound; NULL on error. */
static sqlite3_stmt *qbuild_prepare(store *s, const qbuild *b, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, b->sql.data, e);

	if (!st)
		return NULL;
	for (size_t i = 0; i < b->n; i++) {
		if (b->args[i].is_text)
			sqlite3_bind_text(st, (int)i + 1, b->args[i].t, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, (int)i + 1, b->args[i].i);
	}
	return st;
}

/*
 * The FROM/WHERE part for q.  Per collection the rows are entries (e) of
 * versions (v) and the version selection is per reader (group.c's flags:
 * bit R of vis_last/vis_first, where R is 4 for the reader's own copy and
 * for the hub, else the reader's max TLP); for collection 0 the rows are
 * the versions and flags are per owner across the store.  `key` names the
 * key column.
 */
static void build_where(const store_query *q, qbuild *b, const char **key)
{
	bool coll = q->collection_id > 0, viewer = coll && q->viewer_org;
	int64_t t = viewer ? q->max_tlp : STORE_TLP_RED;
	unsigned ver = q->versions;
	char bit[96];

	*key = coll ? "e.date_added" : "v.vid";
	if (coll) {
		/* With match[id], start from the id index: the unary '+' keeps
		 * SQLite from walking the whole collection in date order. */
		cc_buf_printf(&b->sql, " FROM entries e JOIN versions v ON v.vid = e.vid"
			      " WHERE %se.collection_id = ?", q->n_ids ? "+" : "");
		arg_int(b, q->collection_id);
		/* the bit of the reader's level: its own copy shows every version */
		snprintf(bit, sizeof(bit), "(CASE WHEN e.org_id = %lld THEN 4 ELSE %lld END)",
			 (long long)q->viewer_org, (long long)t);
	} else {
		cc_buf_puts(&b->sql, " FROM versions v WHERE 1");
	}
	if (q->added_after_us) {
		cc_buf_printf(&b->sql, " AND %s > ?", *key);
		arg_int(b, q->added_after_us);
	}
	if (ver == 0 && q->n_version_us == 0)
		ver = STORE_VER_LAST;
	if (coll) {     /* what the reader may see at all */
		cc_buf_puts(&b->sql, " AND (e.org_id = ? OR e.lvl <= ?)");
		arg_int(b, q->viewer_org);
		arg_int(b, t);
	}
	if (!(ver & STORE_VER_ALL)) {
		const char *sep = "";
		cc_buf_puts(&b->sql, " AND (");
		if (ver & STORE_VER_LAST) {
			if (coll)
				cc_buf_printf(&b->sql, "(e.vis_last >> %s) & 1", bit);
			else
				cc_buf_puts(&b->sql, "v.is_last = 1");
			sep = " OR ";
		}
		if (ver & STORE_VER_FIRST) {
			if (coll)
				cc_buf_printf(&b->sql, "%s(e.vis_first >> %s) & 1", sep, bit);
			else
				cc_buf_printf(&b->sql, "%sv.is_first = 1", sep);
			sep = " OR ";
		}
		if (q->n_version_us) {
			cc_buf_printf(&b->sql, "%sv.modified_us IN (", sep);
			for (size_t i = 0; i < q->n_version_us; i++) {
				cc_buf_puts(&b->sql, i ? ",?" : "?");
				arg_int(b, q->version_us[i]);
			}
			cc_buf_putc(&b->sql, ')');
		}
		cc_buf_putc(&b->sql, ')');
	}
	in_ids(b, q->ids, q->n_ids);
	in_text(b, "v.type", q->types, q->n_types);
	in_text(b, "v.spec_version", q->spec_versions, q->n_spec);
	if (viewer && q->owner_only) {
		cc_buf_puts(&b->sql, " AND e.org_id = ?");
		arg_int(b, q->viewer_org);
	} else if (viewer) {
		cc_buf_puts(&b->sql, " AND " STORE_SERVED("?", "?"));
		arg_int(b, q->viewer_org);
		arg_int(b, q->viewer_org);
		arg_int(b, t);
	}
}

int store_query_run(store *s, const store_query *q, store_row_fn fn, void *ud,
		    bool *more, cc_err *e)
{
	qbuild b = { CC_BUF_INIT, NULL, 0, 0 };
	sqlite3_stmt *st;
	const char *key;
	bool coll = q->collection_id > 0;
	size_t n = 0;
	int rc;

	if (more)
		*more = false;
	rc = store_pend_flush(s, e);        /* this transaction's ids rows */
	if (rc)
		return rc;
	cc_buf_printf(&b.sql, "SELECT " STORE_ROW_COLS ", %s",
		      coll ? "e.date_added, e.collection_id, e.org_id, e.lvl"
			   : "v.vid, v.collection_id, v.org_id, -1");
	build_where(q, &b, &key);
	cc_buf_printf(&b.sql, " ORDER BY %s%s", q->n_ids ? "+" : "", key);
	if (q->limit) {
		cc_buf_puts(&b.sql, " LIMIT ?");
		arg_int(&b, (int64_t)q->limit + 1);
	}
	st = qbuild_prepare(s, &b, e);
	if (!st) {
		rc = CC_EIO;
		goto out;
	}
	rc = store_emit_rows(s, st, q->limit, more, fn, ud, &n, "querying", e);
out:
	qbuild_free(&b);
	return rc;
}

int store_query_count(store *s, const store_query *q, size_t *n, cc_err *e)
{
	qbuild b = { CC_BUF_INIT, NULL, 0, 0 };
	sqlite3_stmt *st;
	const char *key;
	int rc;

	*n = 0;
	rc = store_pend_flush(s, e);
	if (rc)
		return rc;
	cc_buf_puts(&b.sql, "SELECT count(*)");
	build_where(q, &b, &key);
	st = qbuild_prepare(s, &b, e);
	if (!st) {
		rc = CC_EIO;
		goto out;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = (size_t)sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = store_sqlerr(s, rc, e, "counting");
	}
	sqlite3_reset(st);
out:
	qbuild_free(&b);
	return rc;
}

int store_get(store *s, const char *id, int64_t collection_id, bool all_versions,
	      store_row_fn fn, void *ud, cc_err *e)
{
	sqlite3_stmt *st;
	const char *sql;
	size_t n = 0;
	int rc = store_pend_flush(s, e);

	if (rc)
		return rc;
	if (collection_id > 0)
		sql = all_versions
			? "SELECT " STORE_ROW_COLS ", e.date_added, e.collection_id, e.org_id, e.lvl"
			  " FROM " STORE_ID_FROM " JOIN entries e ON e.vid = i.vid AND e.collection_id = ?2"
			  " WHERE " STORE_ID_MATCH("?1", "?3") " ORDER BY e.org_id, i.modified_us"
			: "SELECT " STORE_ROW_COLS ", e.date_added, e.collection_id, e.org_id, e.lvl"
			  " FROM " STORE_ID_FROM " JOIN entries e ON e.vid = i.vid AND e.collection_id = ?2"
			  " WHERE " STORE_ID_MATCH("?1", "?3") " AND (e.vis_last >> 4) & 1"
			  " ORDER BY e.org_id";
	else
		sql = all_versions
			? "SELECT " STORE_ROW_COLS ", v.vid, v.collection_id, v.org_id, -1"
			  " FROM " STORE_ID_FROM " WHERE " STORE_ID_MATCH("?1", "?3") " AND ?2 = 0"
			  " ORDER BY v.org_id, i.modified_us"
			: "SELECT " STORE_ROW_COLS ", v.vid, v.collection_id, v.org_id, -1"
			  " FROM " STORE_ID_FROM " WHERE " STORE_ID_MATCH("?1", "?3") " AND ?2 = 0"
			  " AND v.is_last = 1 ORDER BY v.org_id";
	st = store_dyn_stmt(s, sql, e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, collection_id > 0 ? collection_id : 0);
	sqlite3_bind_int64(st, 3, store_idhash(id, strlen(id)));
	rc = store_emit_rows(s, st, 0, NULL, fn, ud, &n, "reading", e);
	if (rc == 0 && n == 0)
		rc = cc_err_set(e, CC_ENOTFOUND, "%s: no such object", id);
	return rc;
}

/* ---- delete ---- */

typedef struct del_item {
	int64_t da, vid, idh;
	char *id;
} del_item;

typedef struct del_list {
	del_item *v;
	size_t n, cap;
} del_list;

static int collect_del(store *s, const store_query *q, del_list *dl, cc_err *e)
{
	qbuild b = { CC_BUF_INIT, NULL, 0, 0 };
	store_query qq = *q;
	sqlite3_stmt *st;
	const char *key;
	int rc;

	qq.limit = 0;
	if (qq.versions == 0 && qq.n_version_us == 0)
		qq.versions = STORE_VER_ALL;        /* TAXII: no match[version] = all */
	cc_buf_puts(&b.sql, "SELECT e.date_added, e.vid, v.id, v.idh");
	build_where(&qq, &b, &key);
	st = qbuild_prepare(s, &b, e);
	if (!st) {
		rc = CC_EIO;
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (dl->n == dl->cap) {
			dl->cap = dl->cap ? dl->cap * 2 : 16;
			dl->v = cc_xrealloc(dl->v, dl->cap * sizeof(*dl->v));
		}
		dl->v[dl->n].da = sqlite3_column_int64(st, 0);
		dl->v[dl->n].vid = sqlite3_column_int64(st, 1);
		dl->v[dl->n].id = store_col_dup(st, 2);
		dl->v[dl->n].idh = sqlite3_column_int64(st, 3);
		dl->n++;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "selecting for delete");
	sqlite3_reset(st);
out:
	qbuild_free(&b);
	return rc;
}

/* Remove the ids row of d's version. */
static int delete_id_row(store *s, const del_item *d, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "DELETE FROM ids WHERE idh = ?1 AND vid = ?2", e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, d->idh);
	sqlite3_bind_int64(st, 2, d->vid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "deleting");
}

/* Remove the entry; when its version is in no collection any more, the
 * version and its search rows too.  Then fix the flags of the id. */
static int delete_one(store *s, int64_t coll, const del_item *d, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "DELETE FROM entries WHERE collection_id = ?1"
					  " AND date_added = ?2", e);
	bool orphan;
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, coll);
	sqlite3_bind_int64(st, 2, d->da);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, rc, e, "deleting");
	st = store_dyn_stmt(s, "SELECT 1 FROM entries WHERE vid = ?1 LIMIT 1", e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, d->vid);
	rc = sqlite3_step(st);
	orphan = rc == SQLITE_DONE;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(s, rc, e, "deleting");
	if (orphan) {
		rc = store_unindex(s, d->vid, e);
		if (rc == 0)
			rc = delete_id_row(s, d, e);
		if (rc == 0)
			rc = store_exec_int(s, "DELETE FROM versions WHERE vid = ?1", d->vid, "deleting", e);
		if (rc == 0)
			rc = store_exec_int(s, "DELETE FROM received WHERE vid = ?1", d->vid, "deleting", e);
		if (rc == 0) {
			s->versions_delta--;
			rc = store_owner_flags_fix(s, d->id, d->idh, e);
		}
		if (rc)
			return rc;
	}
	return store_group_fix(s, coll, d->id, d->idh, e);
}

int store_delete(store *s, const store_query *q, size_t *n_removed, cc_err *e)
{
	del_list dl = { NULL, 0, 0 };
	bool own;
	int rc;

	if (n_removed)
		*n_removed = 0;
	if (q->collection_id <= 0)
		return cc_err_set(e, CC_ERR, "%s: delete needs a collection", s->path);
	rc = store_begin_own(s, &own, e);
	if (rc)
		return rc;
	rc = store_pend_flush(s, e);
	if (rc == 0)
		rc = collect_del(s, q, &dl, e);
	for (size_t i = 0; rc == 0 && i < dl.n; i++)
		rc = delete_one(s, q->collection_id, &dl.v[i], e);
	rc = store_end_own(s, own, rc, e);
	if (rc == 0 && n_removed)
		*n_removed = dl.n;
	for (size_t i = 0; i < dl.n; i++)
		free(dl.v[i].id);
	free(dl.v);
	return rc;
}
