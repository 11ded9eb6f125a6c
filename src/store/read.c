/*
 * read.c — read transactions for servers: one WAL snapshot for all the
 * reads of a request, and a generation number that tells a caller whether
 * anything it remembered from an earlier snapshot may be stale.
 *
 * Why: every statement outside a transaction opens and closes its own WAL
 * read transaction (a shared-memory lock, fcntl calls, a process-wide
 * mutex); a TAXII GET ran five of them.  One BEGIN .. COMMIT around the
 * request pays that once and gives the request a consistent view.
 */
#include "store/store_int.h"

/* Step a parameterless statement that returns no row; 0 or the error. */
static int step_done(store *s, const char *sql, const char *what, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, sql, e);
	int rc;

	if (!st)
		return e ? e->code : CC_EIO;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, what);
}

int store_read_begin(store *s, uint64_t *gen, cc_err *e)
{
	int64_t dv;
	int rc;

	if (s->in_txn)
		return cc_err_set(e, CC_ERR, "%s: a write transaction is open", s->path);
	rc = step_done(s, "BEGIN DEFERRED", "starting a read", e);
	if (rc)
		return rc;
	/* data_version reads the snapshot's header, so it also starts the
	 * read transaction here rather than in the first query */
	rc = store_read_int(s, "PRAGMA data_version", &dv, "starting a read", e);
	if (rc) {
		store_read_end(s);
		return rc;
	}
	/* data_version counts the commits of other connections this handle
	 * has seen; total_changes counts this handle's own writes.  Both only
	 * grow, so their sum changes whenever either does. */
	*gen = (uint64_t)dv + (uint64_t)sqlite3_total_changes64(s->db);
	return 0;
}

void store_read_end(store *s)
{
	if (s->in_txn || sqlite3_get_autocommit(s->db))
		return;
	if (step_done(s, "COMMIT", "ending a read", NULL) != 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_read_page(store *s, const store_page_query *q, store_row_fn fn, void *ud,
		    bool *more, cc_err *e)
{
	/* store_query's rule for one collection, latest versions, in
	 * date_added order: the same rows, only the columns a page needs */
	sqlite3_stmt *st = store_dyn_stmt(s,
		"SELECT e.date_added, v.json, v.id, e.lvl FROM entries e JOIN versions v ON v.vid = e.vid"
		" WHERE e.collection_id = ?1 AND e.date_added > ?2"
		" AND (e.vis_last >> (CASE WHEN e.org_id = ?3 THEN 4 ELSE ?4 END)) & 1"
		" AND " STORE_SERVED("?3", "?4") " ORDER BY e.date_added LIMIT ?5", e);
	size_t n = 0;
	int rc;

	if (more)
		*more = false;
	if (!st)
		return e ? e->code : CC_EIO;
	sqlite3_bind_int64(st, 1, q->collection_id);
	sqlite3_bind_int64(st, 2, q->added_after_us);
	sqlite3_bind_int64(st, 3, q->viewer_org);
	sqlite3_bind_int(st, 4, q->viewer_org ? q->max_tlp : STORE_TLP_RED);
	sqlite3_bind_int64(st, 5, q->limit ? (int64_t)q->limit + 1 : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_row r = { 0 };

		if (q->limit && n == q->limit) {
			if (more)
				*more = true;
			break;
		}
		r.date_added_us = sqlite3_column_int64(st, 0);
		r.json = (const char *)sqlite3_column_text(st, 1);
		r.json_len = (size_t)sqlite3_column_bytes(st, 1);
		r.collection_id = q->collection_id;
		r.id = (const char *)sqlite3_column_text(st, 2);
		r.lvl = sqlite3_column_int(st, 3);
		n++;
		if (fn(&r, ud))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading a page");
	sqlite3_reset(st);
	return rc;
}
