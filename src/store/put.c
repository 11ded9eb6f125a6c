/*
 * put.c — storing object versions: each owner's copy of an id kept apart,
 * dedupe by (owner, id, modified), the refusal of a version of another
 * owner's object, re-sharing, date_added, and the flags that let readers
 * pick their rows (group.c); and the federation rule for what a peer
 * delivers (store_put_received).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "stix/stix.h"
#include "store/store_int.h"
#include "util/jdump.h"
#include "util/time.h"

/* The object text to store: given by the caller, or made from obj. */
typedef struct put_text {
	const json_t *obj;      /* the object (NULL when json is given) */
	const char *json;       /* compact text given by the caller, or NULL */
	size_t json_len;
} put_text;

/* One stored version of the id being stored. */
typedef struct pver {
	int64_t vid, mod, org;
	int tlp, gtlp;
} pver;

/* What the store holds of the id: the span of the owner's own versions,
 * the one at the new version's modified, and whether others hold any. */
typedef struct put_seen {
	bool any_own;           /* the owner holds a version of the id */
	int64_t own_min, own_max;       /* modified_us span of the owner's versions */
	int64_t own_min_vid, own_max_vid;
	pver found;             /* the owner's version at the new modified, if any */
	bool has_found;
	bool foreign;           /* another owner holds a version of the id */
} put_seen;

static int step_done(store *s, sqlite3_stmt *st, cc_err *e, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlerr(s, rc, e, what);
	return 0;
}

/* Read the stored versions of f's id as seen by owner org. */
static int read_seen(store *s, const store_facts *f, int64_t org, put_seen *sn, cc_err *e)
{
	sqlite3_stmt *st = store_stmt(s, ST_VERSIONS_OF_ID, e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, f->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->idh);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		pver v = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			   sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3),
			   sqlite3_column_int(st, 4) };

		if (v.org != org) {
			sn->foreign = true;
			continue;
		}
		if (v.mod == f->modified_us) {
			sn->found = v;
			sn->has_found = true;
		}
		if (!sn->any_own || v.mod < sn->own_min) {
			sn->own_min = v.mod;
			sn->own_min_vid = v.vid;
		}
		if (!sn->any_own || v.mod > sn->own_max) {
			sn->own_max = v.mod;
			sn->own_max_vid = v.vid;
		}
		sn->any_own = true;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading versions");
}

/* Set the store-wide last/first flags of version vid. */
static int set_flags(store *s, int64_t vid, int last, int first, cc_err *e)
{
	sqlite3_stmt *st = store_stmt(s, ST_VERSION_FLAGS, e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, vid);
	sqlite3_bind_int(st, 2, last);
	sqlite3_bind_int(st, 3, first);
	return step_done(s, st, e, "updating version flags");
}

/* The store-wide flags of a new version at m of the owner's copy, and
 * those it takes from the owner's other versions. */
static int take_flags(store *s, const put_seen *sn, int64_t m, int *is_last, int *is_first,
		      cc_err *e)
{
	int rc = 0;

	*is_last = !sn->any_own || m > sn->own_max;
	*is_first = !sn->any_own || m < sn->own_min;
	if (!sn->any_own || (!*is_last && !*is_first))
		return 0;
	if (sn->own_min_vid == sn->own_max_vid)   /* one existing: it keeps one flag */
		return set_flags(s, sn->own_max_vid, !*is_last, !*is_first, e);
	if (*is_last)                             /* the old last is now neither */
		rc = set_flags(s, sn->own_max_vid, 0, 0, e);
	if (rc == 0 && *is_first)
		rc = set_flags(s, sn->own_min_vid, 0, 0, e);
	return rc;
}

/* A new version of org's: its row, store-wide flags and search rows.
 * vid = the date_added of its first entry. */
static int insert_version(store *s, int64_t vid, int64_t coll, int64_t org,
			  const put_text *pt, const store_facts *f, const put_seen *sn, cc_err *e)
{
	sqlite3_stmt *st;
	const char *text = pt->json;
	size_t text_len = pt->json_len;
	int is_last, is_first, rc;

	rc = take_flags(s, sn, f->modified_us, &is_last, &is_first, e);
	if (rc)
		return rc;
	if (!text) {
		cc_buf_reset(&s->json);
		if (!cc_json_dump_text(pt->obj, &s->json))
			return cc_err_set(e, CC_ERR, "%s: cannot serialise object", f->id);
		text = s->json.data;
		text_len = s->json.len;
	}
	st = store_stmt(s, ST_INSERT_VERSION, e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, vid);
	sqlite3_bind_text(st, 2, f->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->modified, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, f->modified_us);
	sqlite3_bind_text(st, 6, f->spec_version, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, f->tlp);
	sqlite3_bind_int(st, 8, f->revoked);
	sqlite3_bind_int(st, 9, f->deprecated);
	sqlite3_bind_int(st, 10, is_last);
	sqlite3_bind_int(st, 11, is_first);
	sqlite3_bind_int64(st, 12, coll);
	sqlite3_bind_int64(st, 13, org);
	sqlite3_bind_text(st, 14, text, (int)text_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, f->idh);
	sqlite3_bind_int(st, 16, f->gtlp);
	rc = step_done(s, st, e, "storing a version");
	if (rc)
		return rc;
	s->versions_delta++;
	rc = store_idset_add(s, f->idh, e);
	if (rc == 0)
		rc = store_pend_id(s, f->idh, f->modified_us, vid, e);
	return rc ? rc : store_facts_pend(s, vid, f, e);
}

/* The default TLP of collection coll (read once per transaction). */
static int coll_default_tlp(store *s, int64_t coll, int *out, cc_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (s->tlp_coll == coll) {
		*out = s->tlp_default;
		return 0;
	}
	st = store_stmt(s, ST_COLL_TLP, e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, coll);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return cc_err_set(e, CC_ENOTFOUND, "%s: no collection %lld", s->path, (long long)coll);
	if (rc != SQLITE_ROW)
		return store_sqlerr(s, rc, e, "reading a collection");
	s->tlp_coll = coll;
	s->tlp_default = *out;
	return 0;
}

/* The entry of version v (of owner v->org) in collection coll at date da.
 * alone: no version of the id is in the store besides v, so the entry is
 * its group on its own and its flags need no reading. */
static int insert_entry(store *s, int64_t da, int64_t coll, const pver *v,
			const store_facts *f, bool alone, cc_err *e)
{
	sqlite3_stmt *st;
	int def, lvl, rc;

	rc = coll_default_tlp(s, coll, &def, e);
	if (rc)
		return rc;
	lvl = store_entry_level(v->tlp, v->gtlp, def);
	st = store_stmt(s, ST_INSERT_ENTRY, e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, da);
	sqlite3_bind_int64(st, 2, coll);
	sqlite3_bind_int64(st, 3, v->vid);
	sqlite3_bind_int64(st, 4, v->org);
	sqlite3_bind_int(st, 5, lvl);
	sqlite3_bind_int(st, 6, (int)store_level_mask(lvl));
	rc = step_done(s, st, e, "adding to the collection");
	if (rc == 0 && !alone)
		rc = store_group_fix(s, coll, f->id, f->idh, e);
	return rc;
}

static int entry_exists(store *s, int64_t vid, int64_t coll, int64_t *da, cc_err *e)
{
	sqlite3_stmt *st = store_stmt(s, ST_ENTRY_EXISTS, e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, vid);
	sqlite3_bind_int64(st, 2, coll);
	rc = sqlite3_step(st);
	*da = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(s, rc, e, "reading entries");
	return 0;
}

/* Whether stored JSON text a and the object to store are the same JSON
 * (the same bytes first: what the store and its peers write). */
static bool same_object(const char *a, size_t alen, const put_text *pt)
{
	json_t *x, *y = NULL;
	bool same;

	if (!a)
		return false;
	if (pt->json && pt->json_len == alen && memcmp(pt->json, a, alen) == 0)
		return true;
	x = json_loadb(a, alen, 0, NULL);
	if (pt->obj)
		same = x && json_equal(x, (json_t *)pt->obj);
	else {
		y = json_loadb(pt->json, pt->json_len, 0, NULL);
		same = x && y && json_equal(x, y);
	}
	json_decref(x);
	json_decref(y);
	return same;
}

/* The versions of f's id held by owners other than org that org may read
 * (in a collection it has a read grant on, at most at its grant's max TLP;
 * the hub, org 0, reads everything).  Of those, *copy_of receives the one
 * whose version is f's and whose content is the same as the object (0:
 * none; of several, the hub's, else the first stored), *readable whether
 * there is any. */
static int foreign_readable(store *s, const store_facts *f, int64_t org, const put_text *pt,
			    pver *copy_of, bool *readable, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, org
		? "SELECT DISTINCT v.vid, v.modified_us, v.org_id, v.tlp, v.gtlp, v.json"
		  " FROM " STORE_ID_FROM " JOIN entries e ON e.vid = v.vid"
		  " JOIN grants g ON g.org_id = ?2 AND g.collection_id = e.collection_id"
		  " WHERE " STORE_ID_MATCH("?1", "?3") " AND v.org_id <> ?2"
		  " AND g.can_read = 1 AND e.lvl <= " STORE_GRANT_TLP("g") " ORDER BY v.org_id <> 0, v.vid"
		: "SELECT v.vid, v.modified_us, v.org_id, v.tlp, v.gtlp, v.json"
		  " FROM " STORE_ID_FROM " WHERE " STORE_ID_MATCH("?1", "?3") " AND v.org_id <> ?2"
		  " ORDER BY v.org_id <> 0, v.vid", e);
	int rc;

	memset(copy_of, 0, sizeof(*copy_of));
	*readable = false;
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, f->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, org);
	sqlite3_bind_int64(st, 3, f->idh);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*readable = true;
		if (copy_of->vid || sqlite3_column_int64(st, 1) != f->modified_us ||
		    !same_object((const char *)sqlite3_column_text(st, 5),
				 (size_t)sqlite3_column_bytes(st, 5), pt))
			continue;
		*copy_of = (pver){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
				   sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3),
				   sqlite3_column_int(st, 4) };
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading versions");
}

/* Put version v (stored already) into coll, unless it is there. */
static int add_existing(store *s, int64_t coll, const pver *v, const store_facts *f,
			store_put_result *r, cc_err *e)
{
	int64_t da;
	int rc = entry_exists(s, v->vid, coll, &da, e);

	if (rc || da) {
		r->date_added_us = da;
		return rc;
	}
	rc = store_next_date_added(s, &da, e);
	if (rc == 0)
		rc = insert_entry(s, da, coll, v, f, false, e);
	if (rc == 0) {
		r->date_added_us = da;
		r->added = true;
	}
	return rc;
}

static int put_locked(store *s, int64_t coll, const put_text *pt, const store_facts *f,
		      int64_t org, store_put_result *r, cc_err *e)
{
	put_seen sn;
	pver v;
	int64_t da;
	bool maybe;
	int rc;

	if (store_pend_has_id(s, f->idh)) {     /* stored earlier in this transaction */
		rc = store_pend_flush(s, e);
		if (rc)
			return rc;
	}
	rc = store_idset_maybe(s, f->idh, &maybe, e);
	if (rc)
		return rc;
	memset(&sn, 0, sizeof(sn));
	if (maybe && (rc = read_seen(s, f, org, &sn, e)))       /* else: a new id */
		return rc;
	if (!sn.any_own && sn.foreign) {
		bool readable;

		rc = foreign_readable(s, f, org, pt, &v, &readable, e);
		if (rc)
			return rc;
		if (v.vid) {            /* an unchanged copy: re-share it */
			r->reshared = true;
			return add_existing(s, coll, &v, f, r, e);
		}
		if (readable && org)
			return cc_err_set(e, CC_EDENIED, "%s: created by another organisation: only "
					  "its creator adds versions to it (STIX 2.1, 3.6); make a new "
					  "object that refers to it", f->id);
		/* else: org's own copy, kept apart */
	}
	if (sn.has_found)               /* org has this version: in this collection? */
		return add_existing(s, coll, &sn.found, f, r, e);
	rc = store_next_date_added(s, &da, e);
	if (rc)
		return rc;
	r->date_added_us = da;
	rc = insert_version(s, da, coll, org, pt, f, &sn, e);
	if (rc)
		return rc;
	r->new_version = true;
	r->versioned = sn.any_own;
	v = (pver){ da, f->modified_us, org, f->tlp, f->gtlp };
	rc = insert_entry(s, da, coll, &v, f, !sn.any_own && !sn.foreign, e);
	if (rc == 0)
		r->added = true;
	return rc;
}

/* ---- what a peer delivers (store_put_received) ---- */

/* The stored versions of f's id as the federation rule sees them. */
typedef struct fed_seen {
	pver same;              /* an identical version (same modified and content) */
	bool has_same;
	bool own;               /* the peer's organisation holds a copy */
	bool local;             /* an owner that is no peer (a member, the hub) holds one */
	int64_t first_peer_org; /* of the copies held by peers' organisations, the
	                           first stored (0: none) */
} fed_seen;

/* Whether candidate c (an identical version of owner c->org) is a better
 * one to take than the one in fs: the delivering peer's own, then the
 * hub's, then the first stored. */
static bool better_same(const fed_seen *fs, const pver *c, int64_t org)
{
	const pver *b = &fs->same;

	if (!fs->has_same)
		return true;
	if ((c->org == org) != (b->org == org))
		return c->org == org;
	if ((c->org == 0) != (b->org == 0))
		return c->org == 0;
	return c->vid < b->vid;
}

static int fed_read(store *s, const store_facts *f, int64_t org, const put_text *pt,
		    fed_seen *fs, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s,
		"SELECT v.vid, v.modified_us, v.org_id, v.tlp, v.gtlp,"
		" CASE WHEN v.modified_us = ?2 THEN v.json END,"
		" EXISTS (SELECT 1 FROM peers p WHERE p.org_id = v.org_id)"
		" FROM " STORE_ID_FROM " WHERE " STORE_ID_MATCH("?1", "?3") " ORDER BY v.vid", e);
	int rc;

	memset(fs, 0, sizeof(*fs));
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, f->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, f->modified_us);
	sqlite3_bind_int64(st, 3, f->idh);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		pver v = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			   sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3),
			   sqlite3_column_int(st, 4) };
		bool peer = sqlite3_column_int(st, 6) != 0;

		if (v.org == org)
			fs->own = true;
		else if (!peer)
			fs->local = true;
		else if (!fs->first_peer_org)
			fs->first_peer_org = v.org;
		if (v.mod == f->modified_us && better_same(fs, &v, org) &&
		    same_object((const char *)sqlite3_column_text(st, 5),
				(size_t)sqlite3_column_bytes(st, 5), pt)) {
			fs->same = v;
			fs->has_same = true;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading versions");
}

/* Record that peer peer_id delivered version vid (the first time only). */
static int note_received(store *s, int64_t vid, int64_t peer_id, cc_err *e)
{
	sqlite3_stmt *st = store_stmt(s, ST_INSERT_RECEIVED, e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, vid);
	sqlite3_bind_int64(st, 2, peer_id);
	sqlite3_bind_int64(st, 3, cc_now_us());
	return step_done(s, st, e, "recording where a version came from");
}

/* The federation rule (store.h, store_put_received): the owner whose copy
 * the version joins, or the identical version to take (*same). */
static int fed_owner(store *s, const store_facts *f, int64_t org, const put_text *pt,
		     int64_t *owner, pver *same, cc_err *e)
{
	fed_seen fs;
	int rc = fed_read(s, f, org, pt, &fs, e);

	if (rc)
		return rc;
	if (fs.has_same)
		*same = fs.same;
	else if (fs.own || fs.local || !fs.first_peer_org)
		*owner = org;
	else
		*owner = fs.first_peer_org;
	return 0;
}

/* Store a version that peer peer_id (standing for org) delivered. */
static int put_received_locked(store *s, int64_t coll, const put_text *pt,
			       const store_facts *f, int64_t org, int64_t peer_id,
			       store_put_result *r, cc_err *e)
{
	put_seen sn;
	pver v = { 0 };
	int64_t owner = org, da;
	bool maybe;
	int rc;

	if (store_pend_has_id(s, f->idh) && (rc = store_pend_flush(s, e)))
		return rc;
	rc = store_idset_maybe(s, f->idh, &maybe, e);
	if (rc == 0 && maybe)
		rc = fed_owner(s, f, org, pt, &owner, &v, e);
	if (rc)
		return rc;
	memset(&sn, 0, sizeof(sn));
	if (v.vid) {                    /* the same version is stored: take it */
		r->reshared = v.org != org;
		rc = add_existing(s, coll, &v, f, r, e);
		return rc ? rc : note_received(s, v.vid, peer_id, e);
	}
	if (maybe && (rc = read_seen(s, f, owner, &sn, e)))
		return rc;
	if (sn.has_found)               /* that copy has this version (other content) */
		return add_existing(s, coll, &sn.found, f, r, e);
	rc = store_next_date_added(s, &da, e);
	if (rc == 0)
		rc = insert_version(s, da, coll, owner, pt, f, &sn, e);
	if (rc)
		return rc;
	r->date_added_us = da;
	r->new_version = true;
	v = (pver){ da, f->modified_us, owner, f->tlp, f->gtlp };
	rc = insert_entry(s, da, coll, &v, f, !sn.any_own && !sn.foreign, e);
	if (rc == 0)
		r->added = true;
	return rc ? rc : note_received(s, da, peer_id, e);
}

/* Store one version: with facts f made by the caller, else made here
 * from pt->obj; peer_id > 0: delivered by that peer (standing for org_id). */
static int put_any(store *s, int64_t collection_id, const put_text *pt, const store_facts *f,
		   int64_t org_id, int64_t peer_id, store_put_result *r, cc_err *e)
{
	store_put_result tmp;
	store_facts own_f = { 0 };
	bool own;
	int rc;

	if (!r)
		r = &tmp;
	memset(r, 0, sizeof(*r));
	if (collection_id <= 0)
		return cc_err_set(e, CC_ERR, "%s: store_put needs a collection", s->path);
	rc = store_begin_own(s, &own, e);
	if (rc)
		return rc;
	if (!f) {
		rc = store_facts_fill(pt->obj, s->path, &own_f, e);
		f = &own_f;
	}
	if (rc == 0)
		rc = peer_id > 0 ? put_received_locked(s, collection_id, pt, f, org_id, peer_id, r, e)
				 : put_locked(s, collection_id, pt, f, org_id, r, e);
	store_facts_clear(&own_f);
	rc = store_end_own(s, own, rc, e);
	if (rc)
		memset(r, 0, sizeof(*r));
	return rc;
}

int store_put(store *s, int64_t collection_id, json_t *obj, int64_t org_id,
	      store_put_result *r, cc_err *e)
{
	put_text pt = { obj, NULL, 0 };

	return put_any(s, collection_id, &pt, NULL, org_id, 0, r, e);
}

int store_put_facts(store *s, int64_t collection_id, const store_facts *f, const char *json,
		    size_t json_len, int64_t org_id, store_put_result *r, cc_err *e)
{
	put_text pt = { NULL, json, json_len };

	if (!json || json_len > INT_MAX)
		return cc_err_set(e, CC_ERR, "%s: object %s", s->path,
				  json ? "too large" : "without text");
	return put_any(s, collection_id, &pt, f, org_id, 0, r, e);
}

int store_put_ready(store *s, int64_t collection_id, const store_ready *rd, int64_t org_id,
		    store_put_result *res, cc_err *e)
{
	return store_put_facts(s, collection_id, &rd->facts, rd->text, rd->len, org_id, res, e);
}

int store_put_received(store *s, int64_t collection_id, const store_ready *rd,
		       const store_peer *p, store_put_result *res, cc_err *e)
{
	put_text pt = { NULL, rd->text, rd->len };

	if (!p || p->id <= 0 || p->org_id <= 0)
		return cc_err_set(e, CC_ERR, "%s: a delivery needs a peer", s->path);
	if (!rd->text || rd->len > INT_MAX)
		return cc_err_set(e, CC_ERR, "%s: object %s", s->path,
				  rd->text ? "too large" : "without text");
	return put_any(s, collection_id, &pt, &rd->facts, p->org_id, p->id, res, e);
}
