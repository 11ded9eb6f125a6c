/*
 * search.c — find by type, name, alias, external id and relationship, and
 * the statistics of the store.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* LIKE pattern "%text%" with %, _ and \ escaped by \. */
static char *like_pattern(const char *text)
{
	cc_buf b = CC_BUF_INIT;

	cc_buf_putc(&b, '%');
	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			cc_buf_putc(&b, '\\');
		cc_buf_putc(&b, *p);
	}
	cc_buf_putc(&b, '%');
	return cc_buf_take(&b, NULL);
}

int store_find(store *s, const store_find_query *q, store_row_fn fn, void *ud, cc_err *e)
{
	cc_buf sql = CC_BUF_INIT;
	const char *live = q->include_revoked ? "" : " AND rv.revoked = 0 AND rv.deprecated = 0";
	char *like = NULL;
	sqlite3_stmt *st;
	size_t n = 0;
	int rc;

	rc = store_pend_flush(s, e);      /* this transaction's search rows */
	if (rc)
		return rc;
	if (q->related_to) {    /* the ids at the other end of its relationships */
		const char *rt = q->relationship_type ? " AND r.rel_type = ?6" : "";
		cc_buf_printf(&sql, "WITH rel_ends(ref) AS ("
			      "SELECT r.target_ref FROM rels r JOIN versions rv ON rv.vid = r.vid"
			      " AND rv.is_last = 1%s WHERE r.src_h = cc_idhash(?5) AND r.source_ref = ?5 COLLATE NOCASE%s"
			      " UNION SELECT r.source_ref FROM rels r JOIN versions rv ON rv.vid = r.vid"
			      " AND rv.is_last = 1%s WHERE r.dst_h = cc_idhash(?5) AND r.target_ref = ?5 COLLATE NOCASE%s) ",
			      live, rt, live, rt);
	}
	cc_buf_puts(&sql, "SELECT " STORE_ROW_COLS ", v.vid, v.collection_id, v.org_id, -1"
		    " FROM versions v WHERE v.is_last = 1");
	if (!q->include_revoked)
		cc_buf_puts(&sql, " AND v.revoked = 0 AND v.deprecated = 0");
	if (q->type)
		cc_buf_puts(&sql, " AND v.type = ?1");
	if (q->name) {
		like = like_pattern(q->name);
		cc_buf_puts(&sql, " AND v.vid IN (SELECT vid FROM names WHERE kind = 0"
			    " AND value LIKE ?2 ESCAPE '\\')");
	}
	if (q->alias)
		cc_buf_puts(&sql, " AND v.vid IN (SELECT vid FROM names WHERE value = ?3)");
	if (q->external_id)
		cc_buf_puts(&sql, " AND v.vid IN (SELECT vid FROM extids WHERE value = ?4)");
	if (q->related_to)
		cc_buf_puts(&sql, " AND v.vid IN (SELECT i.vid FROM ids i"
			    " WHERE i.idh IN (SELECT cc_idhash(ref) FROM rel_ends))"
			    " AND v.id COLLATE NOCASE IN (SELECT ref FROM rel_ends)");
	cc_buf_puts(&sql, " ORDER BY v.type, v.id");
	if (q->limit)
		cc_buf_puts(&sql, " LIMIT ?7");
	st = store_dyn_stmt(s, sql.data, e);
	if (!st) {
		rc = CC_EIO;
		goto out;
	}
	if (q->type)
		sqlite3_bind_text(st, 1, q->type, -1, SQLITE_STATIC);
	if (like)
		sqlite3_bind_text(st, 2, like, -1, SQLITE_STATIC);
	if (q->alias)
		sqlite3_bind_text(st, 3, q->alias, -1, SQLITE_STATIC);
	if (q->external_id)
		sqlite3_bind_text(st, 4, q->external_id, -1, SQLITE_STATIC);
	if (q->related_to)
		sqlite3_bind_text(st, 5, q->related_to, -1, SQLITE_STATIC);
	if (q->related_to && q->relationship_type)
		sqlite3_bind_text(st, 6, q->relationship_type, -1, SQLITE_STATIC);
	if (q->limit)
		sqlite3_bind_int64(st, 7, (int64_t)q->limit);
	rc = store_emit_rows(s, st, 0, NULL, fn, ud, &n, "finding", e);
out:
	free(like);
	cc_buf_free(&sql);
	return rc;
}

/* {"objects":n,"versions":m} added under key in parent; returns it. */
static json_t *count_obj(json_t *parent, const char *key, int64_t objects, int64_t versions)
{
	json_t *o = json_object();

	json_object_set_new(o, "objects", json_integer(objects));
	json_object_set_new(o, "versions", json_integer(versions));
	json_object_set_new(parent, key, o);
	return o;
}

static int stats_total(store *s, json_t *out, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT type, sum(is_first), count(*) FROM versions"
					  " GROUP BY type ORDER BY type", e);
	json_t *total = json_object();
	int64_t objects = 0, versions = 0;
	int rc;

	json_object_set_new(out, "total", total);
	if (!st)
		return CC_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t o = sqlite3_column_int64(st, 1), v = sqlite3_column_int64(st, 2);
		count_obj(total, (const char *)sqlite3_column_text(st, 0), o, v);
		objects += o;
		versions += v;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, rc, e, "counting");
	json_object_set_new(out, "objects", json_integer(objects));
	json_object_set_new(out, "versions", json_integer(versions));
	return 0;
}

static int stats_collections(store *s, json_t *out, cc_err *e)
{
	json_t *colls = json_object();
	store_collection *cv = NULL;
	size_t n = 0;
	sqlite3_stmt *st;
	int rc;

	json_object_set_new(out, "collections", colls);
	rc = store_collection_list(s, &cv, &n, e);
	if (rc)
		return rc;
	st = store_dyn_stmt(s, "SELECT v.type, sum((e.vis_first >> 4) & 1), count(*) FROM entries e"
			    " JOIN versions v ON v.vid = e.vid WHERE e.collection_id = ?1"
			    " GROUP BY v.type ORDER BY v.type", e);
	for (size_t i = 0; st && i < n; i++) {
		json_t *c = json_object();
		json_object_set_new(colls, cv[i].name, c);
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, cv[i].id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			count_obj(c, (const char *)sqlite3_column_text(st, 0),
				  sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2));
		if (rc != SQLITE_DONE) {
			rc = store_sqlerr(s, rc, e, "counting");
			break;
		}
		rc = 0;
	}
	if (!st)
		rc = CC_EIO;
	else
		sqlite3_reset(st);
	store_collection_list_free(cv, n);
	return rc;
}

int store_stats(store *s, json_t **out, cc_err *e)
{
	json_t *o = json_object();
	int rc;

	*out = NULL;
	json_object_set_new(o, "objects", json_integer(0));     /* keys first, in order */
	json_object_set_new(o, "versions", json_integer(0));
	/* one read transaction so the numbers agree with each other */
	rc = s->in_txn ? 0 : store_exec(s, "BEGIN", e);
	if (rc)
		goto out;
	rc = stats_total(s, o, e);
	if (rc == 0)
		rc = stats_collections(s, o, e);
	if (!s->in_txn)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
out:
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
