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
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/xalloc.h"

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

/* Hand fn the row of one page: json and id of st's columns col and
 * col + 1, the entry's level lvl. */
static int page_emit(sqlite3_stmt *st, int col, int64_t da, int64_t coll, int lvl,
		     store_row_fn fn, void *ud)
{
	store_row r = { 0 };

	r.date_added_us = da;
	r.json = (const char *)sqlite3_column_text(st, col);
	r.json_len = (size_t)sqlite3_column_bytes(st, col);
	r.id = (const char *)sqlite3_column_text(st, col + 1);
	r.collection_id = coll;
	r.lvl = lvl;
	return fn(&r, ud);
}

/* The entries of one id a reader is served: at most one per owner's copy,
 * so few that sorting them here costs less than SQLite's sorter.  Each is
 * (date_added, vid, level), in date_added order. */
typedef struct id_entry {
	int64_t da, vid;
	int lvl;
} id_entry;

static int cmp_da(const void *a, const void *b)
{
	const id_entry *x = a, *y = b;

	return x->da < y->da ? -1 : x->da > y->da;
}

static int read_one_id(store *s, const store_page_query *q, store_row_fn fn, void *ud,
		       bool *more, cc_err *e)
{
	sqlite3_stmt *st = store_stmt(s, ST_READ_ONE_ID, e);
	id_entry small[8], *v = small;
	size_t n = 0, cap = sizeof(small) / sizeof(small[0]), i;
	bool stop = false;
	int rc;

	if (!st)
		return e ? e->code : CC_EIO;
	sqlite3_bind_int64(st, 1, q->collection_id);
	sqlite3_bind_int64(st, 2, q->added_after_us);
	sqlite3_bind_int64(st, 3, q->viewer_org);
	sqlite3_bind_int(st, 4, q->viewer_org ? q->max_tlp : STORE_TLP_RED);
	sqlite3_bind_int64(st, 5, store_idhash(q->id, strlen(q->id)));
	sqlite3_bind_text(st, 6, q->id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			id_entry *w = cc_xmalloc(2 * cap * sizeof(*w));
			memcpy(w, v, n * sizeof(*v));
			if (v != small)
				free(v);
			v = w;
			cap *= 2;
		}
		v[n++] = (id_entry){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
				     sqlite3_column_int(st, 2) };
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading an object");
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_da);
	st = rc ? NULL : store_stmt(s, ST_VERSION_JSON, e);
	if (!rc && !st)
		rc = e ? e->code : CC_EIO;
	for (i = 0; rc == 0 && !stop && i < n; i++) {
		if (q->limit && i == q->limit) {
			if (more)
				*more = true;
			break;
		}
		sqlite3_bind_int64(st, 1, v[i].vid);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			stop = page_emit(st, 0, v[i].da, q->collection_id, v[i].lvl, fn, ud) != 0;
			rc = 0;
		} else
			rc = store_sqlerr(s, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, e, "reading an object");
		sqlite3_reset(st);
	}
	if (v != small)
		free(v);
	return rc;
}

int store_read_page(store *s, const store_page_query *q, store_row_fn fn, void *ud,
		    bool *more, cc_err *e)
{
	/* store_query's rule for one collection, latest versions, in
	 * date_added order: the same rows, only the columns a page needs */
	sqlite3_stmt *st;
	size_t n = 0;
	int rc;

	if (more)
		*more = false;
	if (q->id)
		return read_one_id(s, q, fn, ud, more, e);
	st = store_stmt(s, ST_READ_PAGE, e);
	if (!st)
		return e ? e->code : CC_EIO;
	sqlite3_bind_int64(st, 1, q->collection_id);
	sqlite3_bind_int64(st, 2, q->added_after_us);
	sqlite3_bind_int64(st, 3, q->viewer_org);
	sqlite3_bind_int(st, 4, q->viewer_org ? q->max_tlp : STORE_TLP_RED);
	sqlite3_bind_int64(st, 5, q->limit ? (int64_t)q->limit + 1 : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (q->limit && n == q->limit) {
			if (more)
				*more = true;
			break;
		}
		n++;
		if (page_emit(st, 1, sqlite3_column_int64(st, 0), q->collection_id,
			      sqlite3_column_int(st, 3), fn, ud))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading a page");
	sqlite3_reset(st);
	return rc;
}
