/*
 * group.c — the flags that let a reader pick its rows without looking at
 * other rows.
 *
 * The entries of one id in one collection form a group: one copy per
 * owner, each a list of versions.  Every entry keeps
 *   lvl        its level: the highest TLP of the object's own and granular
 *              markings, or the collection's default TLP when the object
 *              has no object-level TLP marking;
 *   vis_last   bit T set: it is the newest version of its copy among those
 *              of level <= T (bit 4: the newest of all);
 *   vis_first  bit T set: the oldest such version;
 *   rank       the order of its owner among the group's owners: the hub's
 *              copy (owner 0) first, then by first arrival;
 *   contested  more than one owner holds a copy of the id here.
 * A reader whose max TLP is T is served the entries of another owner's
 * copy with bit T set, and those of its own copy with bit 4 (it may see all
 * its own versions).  Of a contested id it is served its own copy if it has
 * one, else the copy of lowest rank it may see a version of (query.c).
 *
 * The versions table keeps the same for the hub's view, across the store:
 * is_last / is_first of each owner's copy.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/store_int.h"
#include "util/xalloc.h"

int store_entry_level(int tlp, int gtlp, int default_tlp)
{
	int l = tlp >= 0 ? tlp : default_tlp;

	return gtlp > l ? gtlp : l;
}

unsigned store_level_mask(int lvl)
{
	if (lvl < 0)
		lvl = 0;
	return lvl > STORE_TLP_RED ? 0 : (0x1fu >> lvl) << lvl;
}

/* One entry of a group, as read and as it should be. */
typedef struct grow {
	int64_t da;             /* date_added: the entry's key in its collection */
	int64_t org;            /* owner */
	int64_t mod;            /* modified_us of the version */
	int lvl;
	int rank, contested, vis_last, vis_first;       /* as stored */
	int nrank, ncontested, nlast, nfirst;           /* as computed */
} grow;

typedef struct group {
	grow *v;
	size_t n, cap;
} group;

static grow *group_add(group *g)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->v = cc_xrealloc(g->v, g->cap * sizeof(*g->v));
	}
	memset(&g->v[g->n], 0, sizeof(g->v[0]));
	return &g->v[g->n++];
}

/* Owner, then version order. */
static int cmp_owner_mod(const void *a, const void *b)
{
	const grow *x = a, *y = b;

	if (x->org != y->org)
		return x->org < y->org ? -1 : 1;
	if (x->mod != y->mod)
		return x->mod < y->mod ? -1 : 1;
	return x->da < y->da ? -1 : x->da > y->da;
}

/* The flags of one owner's versions v[0..n), sorted by version. */
static void copy_flags(grow *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i].nlast = v[i].nfirst = 0;
	for (int t = 0; t <= STORE_TLP_RED; t++) {
		size_t i;

		for (i = 0; i < n && v[i].lvl > t; i++)
			;
		if (i < n)
			v[i].nfirst |= 1 << t;
		for (i = n; i > 0 && v[i - 1].lvl > t; i--)
			;
		if (i > 0)
			v[i - 1].nlast |= 1 << t;
	}
}

/* One owner's copy in a group: where its rows are and when it arrived. */
typedef struct gcopy {
	size_t start, end;      /* its rows in the sorted group */
	int64_t first;          /* its earliest date_added */
} gcopy;

/* Whether copy a comes before copy b: the hub's copy first, then by arrival. */
static bool copy_before(const grow *v, const gcopy *a, const gcopy *b)
{
	bool ah = v[a->start].org == 0, bh = v[b->start].org == 0;

	return ah != bh ? ah : a->first < b->first;
}

/* Compute the flags of every entry of g. */
static void group_compute(group *g)
{
	gcopy small[8], *c = small;
	size_t nc = 0, cap = sizeof(small) / sizeof(small[0]);

	if (g->n > 1)
		qsort(g->v, g->n, sizeof(*g->v), cmp_owner_mod);
	for (size_t i = 0, j; i < g->n; i = j) {
		int64_t first = g->v[i].da;

		for (j = i; j < g->n && g->v[j].org == g->v[i].org; j++)
			if (g->v[j].da < first)
				first = g->v[j].da;
		copy_flags(g->v + i, j - i);
		if (nc == cap) {
			gcopy *n = cc_xmalloc(2 * cap * sizeof(*n));
			memcpy(n, c, nc * sizeof(*c));
			if (c != small)
				free(c);
			c = n;
			cap *= 2;
		}
		c[nc++] = (gcopy){ i, j, first };
	}
	for (size_t a = 0; a < nc; a++) {
		int rank = 0;

		for (size_t b = 0; b < nc; b++)
			rank += b != a && copy_before(g->v, &c[b], &c[a]);
		for (size_t m = c[a].start; m < c[a].end; m++) {
			g->v[m].nrank = rank;
			g->v[m].ncontested = nc > 1;
		}
	}
	if (c != small)
		free(c);
}

static bool grow_changed(const grow *r)
{
	return r->rank != r->nrank || r->contested != r->ncontested ||
	       r->vis_last != r->nlast || r->vis_first != r->nfirst;
}

static int write_row(store *s, int64_t coll, const grow *r, cc_err *e)
{
	sqlite3_stmt *st = store_stmt(s, ST_ENTRY_GROUP, e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, coll);
	sqlite3_bind_int64(st, 2, r->da);
	sqlite3_bind_int(st, 3, r->nrank);
	sqlite3_bind_int(st, 4, r->ncontested);
	sqlite3_bind_int(st, 5, r->nlast);
	sqlite3_bind_int(st, 6, r->nfirst);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "updating entry flags");
}

/* Fill r from columns col.. : date_added, org_id, modified_us, lvl, rank,
 * contested, vis_last, vis_first. */
static void grow_from(sqlite3_stmt *st, int col, grow *r)
{
	r->da = sqlite3_column_int64(st, col);
	r->org = sqlite3_column_int64(st, col + 1);
	r->mod = sqlite3_column_int64(st, col + 2);
	r->lvl = sqlite3_column_int(st, col + 3);
	r->rank = sqlite3_column_int(st, col + 4);
	r->contested = sqlite3_column_int(st, col + 5);
	r->vis_last = sqlite3_column_int(st, col + 6);
	r->vis_first = sqlite3_column_int(st, col + 7);
}

int store_group_fix(store *s, int64_t coll, const char *id, int64_t idh, cc_err *e)
{
	sqlite3_stmt *st;
	group g = { NULL, 0, 0 };
	int rc = store_pend_flush(s, e);

	if (rc)
		return rc;
	st = store_stmt(s, ST_GROUP_OF_ID, e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, coll);
	sqlite3_bind_int64(st, 3, idh);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		grow_from(st, 0, group_add(&g));
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading entries");
	if (rc == 0)
		group_compute(&g);
	for (size_t i = 0; rc == 0 && i < g.n; i++)
		if (grow_changed(&g.v[i]))
			rc = write_row(s, coll, &g.v[i], e);
	free(g.v);
	return rc;
}

/* The changed rows of the groups met so far in a walk (written once the
 * walk's statement is done). */
typedef struct changes {
	int64_t *coll;
	group rows;
	size_t cap_coll;
} changes;

static void keep_changes(changes *c, int64_t coll, group *g)
{
	group_compute(g);
	for (size_t i = 0; i < g->n; i++) {
		if (!grow_changed(&g->v[i]))
			continue;
		*group_add(&c->rows) = g->v[i];
		if (c->rows.n > c->cap_coll) {
			c->cap_coll = c->rows.cap;
			c->coll = cc_xrealloc(c->coll, c->cap_coll * sizeof(*c->coll));
		}
		c->coll[c->rows.n - 1] = coll;
	}
	g->n = 0;
}

int store_group_fix_all(store *s, int64_t coll, cc_err *e)
{
	sqlite3_stmt *st;
	group g = { NULL, 0, 0 };
	changes c = { NULL, { NULL, 0, 0 }, 0 };
	int64_t gcoll = 0, gidh = 0;
	char *gid = NULL;
	int rc = store_pend_flush(s, e);

	if (rc)
		return rc;
	st = store_dyn_stmt(s, "SELECT e.collection_id, v.idh, v.id, e.date_added, e.org_id,"
			    " v.modified_us, e.lvl, e.rank, e.contested, e.vis_last, e.vis_first"
			    " FROM entries e JOIN versions v ON v.vid = e.vid"
			    " WHERE ?1 = 0 OR e.collection_id = ?1"
			    " ORDER BY e.collection_id, v.idh, v.id COLLATE NOCASE", e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, coll);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t c0 = sqlite3_column_int64(st, 0), h = sqlite3_column_int64(st, 1);
		const char *id = (const char *)sqlite3_column_text(st, 2);

		if (g.n && (c0 != gcoll || h != gidh || strcasecmp(id, gid) != 0))
			keep_changes(&c, gcoll, &g);
		if (g.n == 0) {
			free(gid);
			gid = store_col_dup(st, 2);
			gcoll = c0;
			gidh = h;
		}
		grow_from(st, 3, group_add(&g));
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading entries");
	if (rc == 0 && g.n)
		keep_changes(&c, gcoll, &g);
	for (size_t i = 0; rc == 0 && i < c.rows.n; i++)
		rc = write_row(s, c.coll[i], &c.rows.v[i], e);
	free(gid);
	free(g.v);
	free(c.rows.v);
	free(c.coll);
	return rc;
}

int store_group_relevel(store *s, int64_t coll, int default_tlp, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s,
		"UPDATE entries SET lvl = (SELECT max(CASE WHEN v.tlp >= 0 THEN v.tlp ELSE ?2 END,"
		" v.gtlp) FROM versions v WHERE v.vid = entries.vid) WHERE collection_id = ?1", e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, coll);
	sqlite3_bind_int(st, 2, default_tlp);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, rc, e, "updating entry levels");
	return store_group_fix_all(s, coll, e);
}

/* ---- the hub's view: each owner's copy across the store ---- */

/* Set is_last / is_first of each owner's copy among rows (vid in da). */
static int write_version_flags(store *s, group *g, cc_err *e)
{
	int rc = 0;

	if (g->n > 1)
		qsort(g->v, g->n, sizeof(*g->v), cmp_owner_mod);
	for (size_t i = 0, j; rc == 0 && i < g->n; i = j) {
		for (j = i; j < g->n && g->v[j].org == g->v[i].org; j++)
			;
		for (size_t k = i; rc == 0 && k < j; k++) {
			int last = k == j - 1, first = k == i;
			sqlite3_stmt *st;

			if (g->v[k].vis_last == last && g->v[k].vis_first == first)
				continue;
			st = store_stmt(s, ST_VERSION_FLAGS, e);
			if (!st)
				return CC_EIO;
			sqlite3_bind_int64(st, 1, g->v[k].da);
			sqlite3_bind_int(st, 2, last);
			sqlite3_bind_int(st, 3, first);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			rc = rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "updating version flags");
		}
	}
	g->n = 0;
	return rc;
}

/* The columns of a version as grow_from reads them: vid in the date_added
 * place, is_last / is_first in the vis_last / vis_first places. */
#define VROW_COLS "v.vid, v.org_id, v.modified_us, 0, 0, 0, v.is_last, v.is_first"

int store_owner_flags_fix(store *s, const char *id, int64_t idh, cc_err *e)
{
	sqlite3_stmt *st;
	group g = { NULL, 0, 0 };
	int rc = store_pend_flush(s, e);

	if (rc)
		return rc;
	st = store_dyn_stmt(s, "SELECT " VROW_COLS " FROM " STORE_ID_FROM
			    " WHERE " STORE_ID_MATCH("?1", "?2"), e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, idh);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		grow_from(st, 0, group_add(&g));
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading versions");
	if (rc == 0)
		rc = write_version_flags(s, &g, e);
	free(g.v);
	return rc;
}

int store_owner_flags_fix_all(store *s, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT v.idh, v.id, " VROW_COLS " FROM versions v"
					  " ORDER BY v.idh, v.id COLLATE NOCASE", e);
	group g = { NULL, 0, 0 }, all = { NULL, 0, 0 };
	size_t *starts = NULL, n_starts = 0;
	int64_t gidh = 0;
	char *gid = NULL;
	int rc;

	if (!st)
		return CC_EIO;
	/* collect every row, noting where each id starts; write afterwards */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t h = sqlite3_column_int64(st, 0);
		const char *id = (const char *)sqlite3_column_text(st, 1);

		if (all.n == 0 || h != gidh || strcasecmp(id, gid) != 0) {
			free(gid);
			gid = store_col_dup(st, 1);
			gidh = h;
			starts = cc_xrealloc(starts, (n_starts + 1) * sizeof(*starts));
			starts[n_starts++] = all.n;
		}
		grow_from(st, 2, group_add(&all));
	}
	sqlite3_reset(st);
	free(gid);
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading versions");
	for (size_t i = 0; rc == 0 && i < n_starts; i++) {
		size_t end = i + 1 < n_starts ? starts[i + 1] : all.n;

		g.v = all.v + starts[i];
		g.n = end - starts[i];
		g.cap = g.n;
		rc = write_version_flags(s, &g, e);
	}
	free(all.v);
	free(starts);
	return rc;
}
