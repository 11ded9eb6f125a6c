/*
 * pending.c — the rows of the versions stored in the open transaction
 * that go into tables searched by key: ids (the id index) and the search
 * rows (names, external ids, relationships).  They are kept in memory and
 * written in one go, sorted by key, before anything reads those tables in
 * the transaction and at commit.  Inserting in key order touches each
 * page once instead of once per row at a random place, which is most of
 * what storing a version cost on a large store.
 *
 * While its ids row waits, a version is not found by id through SQL; a set
 * of the waiting hashes tells put when to flush first (an id stored twice
 * in one transaction), and every reader flushes first.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/store_int.h"
#include "util/xalloc.h"

/* Flush early past this many rows, to bound the memory of a huge import. */
#define PEND_MAX_ROWS 1000000

/* Offset of a copy of text in the string arena. */
static size_t arena_add(store_pending *p, const char *text)
{
	size_t off = p->arena.len;

	cc_buf_append(&p->arena, text, strlen(text) + 1);
	return off;
}


static void *grow(void *v, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 256;
	return cc_xrealloc(v, *cap * elem);
}

static size_t pend_rows(const store_pending *p)
{
	return p->n_ids + p->n_names + p->n_extids + p->n_rels;
}

/* The slot of h in the set: where it is, or the free slot it would take. */
static size_t set_slot(const uint64_t *set, size_t cap, uint64_t h)
{
	size_t i = (size_t)(h * 0x9E3779B97F4A7C15ULL >> 32) & (cap - 1);

	while (set[i] && set[i] != h)
		i = (i + 1) & (cap - 1);
	return i;
}

static void set_add(store_pending *p, uint64_t h)
{
	if (h == 0) {
		p->idh_zero = true;
		return;
	}
	if ((p->n_ids + 1) * 2 > p->idh_cap) {     /* keep it at most half full */
		size_t cap = p->idh_cap ? p->idh_cap * 2 : 1024;
		uint64_t *set = cc_xcalloc(cap, sizeof(*set));
		for (size_t i = 0; i < p->idh_cap; i++)
			if (p->idh_set[i])
				set[set_slot(set, cap, p->idh_set[i])] = p->idh_set[i];
		free(p->idh_set);
		p->idh_set = set;
		p->idh_cap = cap;
	}
	p->idh_set[set_slot(p->idh_set, p->idh_cap, h)] = h;
}

bool store_pend_has_id(const store *s, int64_t idh)
{
	const store_pending *p = &s->pend;
	uint64_t h = (uint64_t)idh;

	if (p->n_ids == 0)
		return false;
	if (h == 0)
		return p->idh_zero;
	return p->idh_set[set_slot(p->idh_set, p->idh_cap, h)] == h;
}

int store_pend_id(store *s, int64_t idh, int64_t modified_us, int64_t vid, cc_err *e)
{
	store_pending *p = &s->pend;

	set_add(p, (uint64_t)idh);
	p->ids = grow(p->ids, &p->cap_ids, p->n_ids, sizeof(*p->ids));
	p->ids[p->n_ids++] = (pend_id){ idh, modified_us, vid };
	return pend_rows(p) >= PEND_MAX_ROWS ? store_pend_flush(s, e) : 0;
}

int store_pend_name(store *s, int64_t vid, int kind, const char *value, cc_err *e)
{
	store_pending *p = &s->pend;
	pend_val *r;

	p->names = grow(p->names, &p->cap_names, p->n_names, sizeof(*p->names));
	r = &p->names[p->n_names++];
	r->vid = vid;
	r->kind = kind;
	r->value = arena_add(p, value);
	return pend_rows(p) >= PEND_MAX_ROWS ? store_pend_flush(s, e) : 0;
}

int store_pend_extid(store *s, int64_t vid, const char *value, cc_err *e)
{
	store_pending *p = &s->pend;
	pend_val *r;

	p->extids = grow(p->extids, &p->cap_extids, p->n_extids, sizeof(*p->extids));
	r = &p->extids[p->n_extids++];
	r->vid = vid;
	r->kind = 0;
	r->value = arena_add(p, value);
	return pend_rows(p) >= PEND_MAX_ROWS ? store_pend_flush(s, e) : 0;
}

int store_pend_rel(store *s, int64_t vid, const char *rel_type, const char *src,
		   const char *dst, cc_err *e)
{
	store_pending *p = &s->pend;
	pend_rel *r;

	p->rels = grow(p->rels, &p->cap_rels, p->n_rels, sizeof(*p->rels));
	r = &p->rels[p->n_rels++];
	r->vid = vid;
	r->src_h = store_idhash(src, strlen(src));
	r->dst_h = store_idhash(dst, strlen(dst));
	r->rel_type = arena_add(p, rel_type);
	r->src = arena_add(p, src);
	r->dst = arena_add(p, dst);
	return pend_rows(p) >= PEND_MAX_ROWS ? store_pend_flush(s, e) : 0;
}

/* qsort has no context argument: the arena of the flush in progress. */
static _Thread_local const char *sort_arena;

/* The NOCASE order of the value indexes (ASCII case folded), then vid. */
static int cmp_val(const void *a, const void *b)
{
	const pend_val *x = a, *y = b;
	int c = strcasecmp(sort_arena + x->value, sort_arena + y->value);

	return c ? c : (x->vid > y->vid) - (x->vid < y->vid);
}

/* The order of the ids table: (idh, modified_us, vid). */
static int cmp_id(const void *a, const void *b)
{
	const pend_id *x = a, *y = b;

	if (x->idh != y->idh)
		return x->idh < y->idh ? -1 : 1;
	if (x->modified_us != y->modified_us)
		return x->modified_us < y->modified_us ? -1 : 1;
	return (x->vid > y->vid) - (x->vid < y->vid);
}

/* The order of the rels table: (src_h, vid). */
static int cmp_rel(const void *a, const void *b)
{
	const pend_rel *x = a, *y = b;

	if (x->src_h != y->src_h)
		return x->src_h < y->src_h ? -1 : 1;
	return (x->vid > y->vid) - (x->vid < y->vid);
}

static int step_row(store *s, sqlite3_stmt *st, cc_err *e, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, what);
}

/* The order of names_tri: vid (FTS5 writes its pending data out each
 * time a rowid is not above the one before). */
static int cmp_vid(const void *a, const void *b)
{
	const pend_val *x = a, *y = b;

	return (x->vid > y->vid) - (x->vid < y->vid);
}

/* The names of tri[0, n) (kind 0, just stored) into the trigram index,
 * sorted by vid, in the open transaction (schema 11 on; before, a trigger
 * on names queued them in names_tri_new: flush_trigrams). */
static int flush_name_trigrams(store *s, pend_val *tri, size_t n, cc_err *e)
{
	const char *a = s->pend.arena.data;
	sqlite3_stmt *st;
	int rc = 0;

	qsort(tri, n, sizeof(*tri), cmp_vid);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		st = store_stmt(s, ST_INSERT_TRIGRAMS, e);
		if (!st)
			return CC_EIO;
		sqlite3_bind_int64(st, 1, tri[i].vid);
		sqlite3_bind_text(st, 2, a + tri[i].value, -1, SQLITE_STATIC);
		rc = step_row(s, st, e, "indexing names by trigrams");
	}
	return rc;
}

static int flush_vals(store *s, enum store_stmt_id id, pend_val *v, size_t n, cc_err *e)
{
	const char *a = s->pend.arena.data;
	bool names = id == ST_INSERT_NAME, tri_lean = s->schema >= STORE_SCHEMA_TRI_LEAN;
	pend_val *tri = NULL;
	size_t n_tri = 0;
	sqlite3_stmt *st;
	int rc = 0;

	if (n == 0)
		return 0;
	sort_arena = a;
	qsort(v, n, sizeof(*v), cmp_val);
	if (names && tri_lean)
		tri = cc_xmalloc(n * sizeof(*tri));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		st = store_stmt(s, id, e);
		if (!st) {
			rc = CC_EIO;
			break;
		}
		sqlite3_bind_int64(st, 1, v[i].vid);
		if (names) {
			sqlite3_bind_int(st, 2, v[i].kind);
			sqlite3_bind_text(st, 3, a + v[i].value, -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_text(st, 2, a + v[i].value, -1, SQLITE_STATIC);
		}
		rc = step_row(s, st, e, names ? "indexing names" : "indexing external ids");
		/* a name stored (not one already there: OR IGNORE) */
		if (rc == 0 && tri && v[i].kind == 0 && sqlite3_changes(s->db) > 0)
			tri[n_tri++] = v[i];
	}
	if (rc == 0 && n_tri)
		rc = flush_name_trigrams(s, tri, n_tri, e);
	free(tri);
	return rc;
}

static int flush_ids(store *s, cc_err *e)
{
	pend_id *v = s->pend.ids;
	sqlite3_stmt *st;
	int rc = 0;

	qsort(v, s->pend.n_ids, sizeof(*v), cmp_id);
	for (size_t i = 0; rc == 0 && i < s->pend.n_ids; i++) {
		st = store_stmt(s, ST_INSERT_ID, e);
		if (!st)
			return CC_EIO;
		sqlite3_bind_int64(st, 1, v[i].idh);
		sqlite3_bind_int64(st, 2, v[i].modified_us);
		sqlite3_bind_int64(st, 3, v[i].vid);
		rc = step_row(s, st, e, "indexing ids");
	}
	return rc;
}

static int flush_rels(store *s, cc_err *e)
{
	const char *a = s->pend.arena.data;
	pend_rel *v = s->pend.rels;
	sqlite3_stmt *st;
	int rc = 0;

	if (s->pend.n_rels == 0)
		return 0;
	sort_arena = a;
	qsort(v, s->pend.n_rels, sizeof(*v), cmp_rel);
	for (size_t i = 0; rc == 0 && i < s->pend.n_rels; i++) {
		st = store_stmt(s, ST_INSERT_REL, e);
		if (!st)
			return CC_EIO;
		sqlite3_bind_int64(st, 1, v[i].vid);
		sqlite3_bind_text(st, 2, a + v[i].rel_type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, a + v[i].src, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, a + v[i].dst, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, v[i].src_h);
		sqlite3_bind_int64(st, 6, v[i].dst_h);
		rc = step_row(s, st, e, "indexing relationships");
	}
	return rc;
}

/* Schema 10 only: the names this flush added, into the trigram index in
 * one statement (names_tri_new, filled by the trigger names_tri_add that
 * step 11 dropped).  Nothing before step 10. */
static int flush_trigrams(store *s, cc_err *e)
{
	if (s->schema >= STORE_SCHEMA_TRI_LEAN ||
	    sqlite3_table_column_metadata(s->db, "main", "names_tri_new", "vid", NULL, NULL, NULL,
					  NULL, NULL) != SQLITE_OK)
		return 0;
	return store_exec(s, "INSERT INTO names_tri(rowid, value) SELECT vid, value FROM names_tri_new;"
			  "DELETE FROM names_tri_new;", e);
}

int store_pend_flush(store *s, cc_err *e)
{
	store_pending *p = &s->pend;
	int rc = 0;

	if (pend_rows(p) == 0)
		return 0;
	rc = flush_ids(s, e);
	if (rc == 0)
		rc = flush_vals(s, ST_INSERT_NAME, p->names, p->n_names, e);
	if (rc == 0 && p->n_names)
		rc = flush_trigrams(s, e);
	if (rc == 0)
		rc = flush_vals(s, ST_INSERT_EXTID, p->extids, p->n_extids, e);
	if (rc == 0)
		rc = flush_rels(s, e);
	store_pend_discard(s);
	return rc;
}

void store_pend_discard(store *s)
{
	store_pending *p = &s->pend;

	p->n_ids = p->n_names = p->n_extids = p->n_rels = 0;
	if (p->idh_cap)
		memset(p->idh_set, 0, p->idh_cap * sizeof(*p->idh_set));
	p->idh_zero = false;
	cc_buf_reset(&p->arena);
}

void store_pend_free(store *s)
{
	store_pending *p = &s->pend;

	free(p->ids);
	free(p->idh_set);
	free(p->names);
	free(p->extids);
	free(p->rels);
	cc_buf_free(&p->arena);
	memset(p, 0, sizeof(*p));
}
