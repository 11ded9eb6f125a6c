/*
 * search.c — find by type, name, alias, external id and relationship, and
 * the statistics of the store.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* LIKE pattern "%text%" (or "text%" for a prefix) with %, _ and \
 * escaped by \. */
static char *like_pattern(const char *text, bool prefix)
{
	cc_buf b = CC_BUF_INIT;

	if (!prefix)
		cc_buf_putc(&b, '%');
	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			cc_buf_putc(&b, '\\');
		cc_buf_putc(&b, *p);
	}
	cc_buf_putc(&b, '%');
	return cc_buf_take(&b, NULL);
}

/* The bytes of the UTF-8 character at p (0 at the end). */
static size_t utf8_len(const char *p)
{
	size_t n = 1;

	if (!*p)
		return 0;
	while ((p[n] & 0xC0) == 0x80)
		n++;
	return n;
}

/* Whether text has the three characters a trigram needs (names_tri). */
static bool trigrams(const char *text)
{
	size_t chars = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	return chars >= 3;
}

/* The FTS5 query of text: every trigram of it, each a quoted string
 * ("" doubled), all of them required (AND).  names_tri keeps no
 * positions (detail=none), so it cannot match a phrase: a name holding
 * them all in another order also passes, and the LIKE decides. */
static char *trigram_query(const char *text)
{
	cc_buf b = CC_BUF_INIT;
	const char *c[4] = { text, NULL, NULL, NULL };	/* starts of 3 chars and the end */

	for (int k = 1; k < 4; k++)
		c[k] = c[k - 1] + utf8_len(c[k - 1]);
	while (*c[2]) {
		if (b.len)
			cc_buf_putc(&b, ' ');
		cc_buf_putc(&b, '"');
		for (const char *p = c[0]; p < c[3]; p++) {
			if (*p == '"')
				cc_buf_putc(&b, '"');
			cc_buf_putc(&b, *p);
		}
		cc_buf_putc(&b, '"');
		for (int k = 0; k < 3; k++)
			c[k] = c[k + 1];
		c[3] += utf8_len(c[3]);
	}
	return cc_buf_take(&b, NULL);
}

/* The criteria of q on version v (see store_find for the parameters). */
static void find_criteria(const store_find_query *q, const char *live, cc_buf *sql)
{
	if (!q->include_revoked)
		cc_buf_puts(sql, live);
	if (q->type)
		cc_buf_puts(sql, " AND v.type = ?1");
	if (q->name && trigrams(q->name))	/* the trigrams narrow, LIKE decides */
		cc_buf_puts(sql, " AND v.vid IN (SELECT rowid FROM names_tri WHERE names_tri"
			    " MATCH ?16 AND value LIKE ?2 ESCAPE '\\')");
	else if (q->name)
		cc_buf_puts(sql, " AND v.vid IN (SELECT vid FROM names WHERE kind = 0"
			    " AND value LIKE ?2 ESCAPE '\\')");
	if (q->word)	/* a prefix: the names index's range */
		cc_buf_puts(sql, " AND v.vid IN (SELECT vid FROM names WHERE value LIKE ?14"
			    " ESCAPE '\\' AND kind IN (0, 3))");
	if (q->alias)
		cc_buf_puts(sql, " AND v.vid IN (SELECT vid FROM names WHERE value = ?3 AND kind < 2)");
	if (q->value)
		cc_buf_puts(sql, " AND v.vid IN (SELECT vid FROM names WHERE value = ?13 AND kind = 2)");
	if (q->external_id)
		cc_buf_puts(sql, " AND v.vid IN (SELECT vid FROM extids WHERE value = ?4)");
	if (q->sighting_of)
		cc_buf_puts(sql, " AND v.vid IN (SELECT vid FROM names WHERE value = ?15 AND kind = 4)");
	if (q->related_to)
		cc_buf_puts(sql, " AND v.vid IN (SELECT i.vid FROM ids i"
			    " WHERE i.idh IN (SELECT cc_idhash(ref) FROM rel_ends))"
			    " AND v.id COLLATE NOCASE IN (SELECT ref FROM rel_ends)");
	if (q->refers_to)
		cc_buf_puts(sql, " AND v.vid IN (SELECT vid FROM rels WHERE src_h = cc_idhash(?12)"
			    " AND source_ref = ?12 COLLATE NOCASE UNION SELECT vid FROM rels"
			    " WHERE dst_h = cc_idhash(?12) AND target_ref = ?12 COLLATE NOCASE)");
}

/* The rows a reader may see in one collection (?10), as build_where in
 * query.c selects them for the latest versions: level, its bit of
 * vis_last, the copy it is served. */
static void find_reader(const store_find_query *q, bool few_of_type, cc_buf *sql)
{
	bool selective = q->name || q->word || q->alias || q->external_id || q->refers_to ||
			 q->value || q->sighting_of || few_of_type;

	/* a selective criterion (or a type few versions have) leads: its
	 * versions, then their entries here (CROSS JOIN keeps that order), and
	 * the few rows are sorted; else the collection is walked newest first
	 * until the page is full */
	cc_buf_puts(sql, "SELECT " STORE_ROW_COLS ", e.date_added, e.collection_id, e.org_id, e.lvl");
	if (selective)
		cc_buf_puts(sql, " FROM versions v CROSS JOIN entries e ON e.vid = v.vid"
			    " AND e.collection_id = ?10 WHERE 1");
	else
		cc_buf_puts(sql, " FROM entries e JOIN versions v ON v.vid = e.vid"
			    " WHERE e.collection_id = ?10");
	cc_buf_puts(sql, " AND (e.org_id = ?8 OR e.lvl <= ?9)"
		    " AND (e.vis_last >> (CASE WHEN e.org_id = ?8 THEN 4 ELSE ?9 END)) & 1");
	if (q->viewer_org)
		cc_buf_puts(sql, " AND " STORE_SERVED("?8", "?9"));
	if (q->before_us)
		cc_buf_puts(sql, " AND e.date_added < ?11");
	find_criteria(q, " AND v.revoked = 0 AND v.deprecated = 0", sql);
	cc_buf_puts(sql, selective ? " ORDER BY +e.date_added DESC" : " ORDER BY e.date_added DESC");
}

/* The hub's view: every owner's latest version. */
static void find_hub(const store_find_query *q, cc_buf *sql)
{
	const char *live = q->include_revoked ? "" : " AND rv.revoked = 0 AND rv.deprecated = 0";

	if (q->related_to) {    /* the ids at the other end of its relationships */
		const char *rt = q->relationship_type ? " AND r.rel_type = ?6" : "";
		cc_buf_printf(sql, "WITH rel_ends(ref) AS ("
			      "SELECT r.target_ref FROM rels r JOIN versions rv ON rv.vid = r.vid"
			      " AND rv.is_last = 1%s WHERE r.src_h = cc_idhash(?5) AND r.source_ref = ?5 COLLATE NOCASE%s"
			      " UNION SELECT r.source_ref FROM rels r JOIN versions rv ON rv.vid = r.vid"
			      " AND rv.is_last = 1%s WHERE r.dst_h = cc_idhash(?5) AND r.target_ref = ?5 COLLATE NOCASE%s) ",
			      live, rt, live, rt);
	}
	cc_buf_puts(sql, "SELECT " STORE_ROW_COLS ", v.vid, v.collection_id, v.org_id, -1"
		    " FROM versions v WHERE v.is_last = 1");
	find_criteria(q, " AND v.revoked = 0 AND v.deprecated = 0", sql);
	cc_buf_puts(sql, " ORDER BY v.type, v.id");
}

#define FEW_OF_TYPE 20000   /* versions of a type that are sorted rather than walked */

/* Whether fewer than FEW_OF_TYPE versions have type (versions_type, at
 * most that many index entries read). */
static int few_of_type(store *s, const char *type, bool *few, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT count(*) FROM (SELECT 1 FROM versions"
					  " WHERE type = ?1 LIMIT ?2)", e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, FEW_OF_TYPE);
	rc = sqlite3_step(st);
	*few = rc == SQLITE_ROW && sqlite3_column_int(st, 0) < FEW_OF_TYPE;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(s, rc, e, "counting a type");
}

int store_find(store *s, const store_find_query *q, store_row_fn fn, void *ud, cc_err *e)
{
	cc_buf sql = CC_BUF_INIT;
	bool reader = q->collection_id > 0;
	char *like = NULL, *word = NULL, *tri = NULL;
	sqlite3_stmt *st;
	size_t n = 0;
	int rc;

	if (reader && q->related_to)
		return cc_err_set(e, CC_EUSAGE, "%s: a reader's search takes refers_to, not related_to",
				  s->path);
	rc = store_pend_flush(s, e);      /* this transaction's search rows */
	if (rc)
		return rc;
	if (reader) {
		bool few = false;

		if (q->type && (rc = few_of_type(s, q->type, &few, e)) != 0)
			return rc;
		find_reader(q, few, &sql);
	}
	else
		find_hub(q, &sql);
	if (q->limit)
		cc_buf_puts(&sql, " LIMIT ?7");
	st = store_dyn_stmt(s, sql.data, e);
	if (!st) {
		rc = CC_EIO;
		goto out;
	}
	if (q->type)
		sqlite3_bind_text(st, 1, q->type, -1, SQLITE_STATIC);
	if (q->name) {
		like = like_pattern(q->name, false);
		sqlite3_bind_text(st, 2, like, -1, SQLITE_STATIC);
		if (trigrams(q->name)) {
			tri = trigram_query(q->name);
			sqlite3_bind_text(st, 16, tri, -1, SQLITE_STATIC);
		}
	}
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
	if (reader) {
		sqlite3_bind_int64(st, 8, q->viewer_org);
		sqlite3_bind_int64(st, 9, q->viewer_org ? q->max_tlp : STORE_TLP_RED);
		sqlite3_bind_int64(st, 10, q->collection_id);
		if (q->before_us)
			sqlite3_bind_int64(st, 11, q->before_us);
	}
	if (q->refers_to)
		sqlite3_bind_text(st, 12, q->refers_to, -1, SQLITE_STATIC);
	if (q->value)
		sqlite3_bind_text(st, 13, q->value, -1, SQLITE_STATIC);
	if (q->sighting_of)
		sqlite3_bind_text(st, 15, q->sighting_of, -1, SQLITE_STATIC);
	if (q->word) {
		word = like_pattern(q->word, true);
		sqlite3_bind_text(st, 14, word, -1, SQLITE_STATIC);
	}
	rc = store_emit_rows(s, st, 0, NULL, fn, ud, &n, "finding", e);
out:
	free(like);
	free(word);
	free(tri);
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
