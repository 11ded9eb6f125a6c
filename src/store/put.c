/*
 * put.c — storing object versions: dedupe by (id, modified), date_added,
 * the last/first flags per collection and per store, and the search
 * helper rows (names, aliases, external ids, relationships).
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

/* Existing versions or entries of one id: min/max of modified_us. */
typedef struct span {
	bool any;
	int64_t min_us, max_us;
	int64_t min_key, max_key;   /* vid or date_added of the min and max */
} span;

static int step_done(store *s, sqlite3_stmt *st, cc_err *e, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlerr(s, rc, e, what);
	return 0;
}

/* Read a (key, modified_us) result set into a span; *found_key is the key
 * whose modified_us equals want (0 if none). */
static int read_span(store *s, sqlite3_stmt *st, int key_col, int mod_col,
		     int64_t want, span *sp, int64_t *found_key, cc_err *e)
{
	int rc;

	memset(sp, 0, sizeof(*sp));
	*found_key = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t key = sqlite3_column_int64(st, key_col);
		int64_t m = sqlite3_column_int64(st, mod_col);
		if (m == want)
			*found_key = key;
		if (!sp->any || m < sp->min_us) {
			sp->min_us = m;
			sp->min_key = key;
		}
		if (!sp->any || m > sp->max_us) {
			sp->max_us = m;
			sp->max_key = key;
		}
		sp->any = true;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, rc, e, "reading versions");
	return 0;
}

/* Set the last/first flags of the row with key (of a version, or of an
 * entry in collection coll) through statement upd. */
static int set_flags(store *s, enum store_stmt_id upd, int64_t coll, int64_t key, int last,
		     int first, cc_err *e)
{
	sqlite3_stmt *st = store_stmt(s, upd, e);

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, key);
	if (upd == ST_ENTRY_FLAGS)
		sqlite3_bind_int64(st, 4, coll);
	sqlite3_bind_int(st, 2, last);
	sqlite3_bind_int(st, 3, first);
	return step_done(s, st, e, "updating version flags");
}

/* Given the span of the existing versions/entries and a new one at m,
 * work out the new one's flags and clear the flags it takes over. */
static int take_flags(store *s, enum store_stmt_id upd, int64_t coll, const span *sp, int64_t m,
		      int *is_last, int *is_first, cc_err *e)
{
	int rc = 0;

	*is_last = !sp->any || m > sp->max_us;
	*is_first = !sp->any || m < sp->min_us;
	if (!sp->any || (!*is_last && !*is_first))
		return 0;
	if (sp->min_key == sp->max_key)         /* one existing: it keeps one flag */
		return set_flags(s, upd, coll, sp->max_key, !*is_last, !*is_first, e);
	if (*is_last)                           /* the old last is now neither */
		rc = set_flags(s, upd, coll, sp->max_key, 0, 0, e);
	if (rc == 0 && *is_first)
		rc = set_flags(s, upd, coll, sp->min_key, 0, 0, e);
	return rc;
}

/* A new version: its row, global flags and search rows.  vid = date_added. */
static int insert_version(store *s, int64_t vid, int64_t coll, int64_t org,
			  const put_text *pt, const store_facts *pi, const span *sp, cc_err *e)
{
	sqlite3_stmt *st;
	const char *text = pt->json;
	size_t text_len = pt->json_len;
	int is_last, is_first, rc;

	rc = take_flags(s, ST_VERSION_FLAGS, 0, sp, pi->modified_us, &is_last, &is_first, e);
	if (rc)
		return rc;
	if (!text) {
		cc_buf_reset(&s->json);
		if (!cc_json_dump_text(pt->obj, &s->json))
			return cc_err_set(e, CC_ERR, "%s: cannot serialise object", pi->id);
		text = s->json.data;
		text_len = s->json.len;
	}
	st = store_stmt(s, ST_INSERT_VERSION, e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, vid);
	sqlite3_bind_text(st, 2, pi->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, pi->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, pi->modified, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, pi->modified_us);
	sqlite3_bind_text(st, 6, pi->spec_version, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, pi->tlp);
	sqlite3_bind_int(st, 8, pi->revoked);
	sqlite3_bind_int(st, 9, pi->deprecated);
	sqlite3_bind_int(st, 10, is_last);
	sqlite3_bind_int(st, 11, is_first);
	sqlite3_bind_int64(st, 12, coll);
	sqlite3_bind_int64(st, 13, org);
	sqlite3_bind_text(st, 14, text, (int)text_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, pi->idh);
	rc = step_done(s, st, e, "storing a version");
	if (rc)
		return rc;
	s->versions_delta++;
	rc = store_idset_add(s, pi->idh, e);
	if (rc == 0)
		rc = store_pend_id(s, pi->idh, pi->modified_us, vid, e);
	return rc ? rc : store_facts_pend(s, vid, pi, e);
}

/* The entry of version vid in collection coll, with per-collection flags.
 * first_in_store: no version of this id existed before, so no entries. */
static int insert_entry(store *s, int64_t da, int64_t coll, int64_t vid, int64_t org,
			const store_facts *pi, bool first_in_store, cc_err *e)
{
	sqlite3_stmt *st;
	span sp;
	int64_t found;
	int is_last = 1, is_first = 1, rc;

	if (!first_in_store) {
		st = store_stmt(s, ST_ENTRIES_OF_ID, e);
		if (!st)
			return CC_EIO;
		sqlite3_bind_text(st, 1, pi->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, coll);
		sqlite3_bind_int64(st, 3, pi->idh);
		rc = read_span(s, st, 0, 2, pi->modified_us, &sp, &found, e);
		if (rc == 0)
			rc = take_flags(s, ST_ENTRY_FLAGS, coll, &sp, pi->modified_us, &is_last, &is_first, e);
		if (rc)
			return rc;
	}
	st = store_stmt(s, ST_INSERT_ENTRY, e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, da);
	sqlite3_bind_int64(st, 2, coll);
	sqlite3_bind_int64(st, 3, vid);
	sqlite3_bind_int64(st, 4, org);
	sqlite3_bind_int(st, 5, is_last);
	sqlite3_bind_int(st, 6, is_first);
	return step_done(s, st, e, "adding to the collection");
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

static int put_locked(store *s, int64_t coll, const put_text *pt, const store_facts *pi,
		      int64_t org, store_put_result *r, cc_err *e)
{
	sqlite3_stmt *st;
	span sp;
	int64_t vid, da;
	bool maybe;
	int rc;

	if (store_pend_has_id(s, pi->idh)) {    /* stored earlier in this transaction */
		rc = store_pend_flush(s, e);
		if (rc)
			return rc;
	}
	rc = store_idset_maybe(s, pi->idh, &maybe, e);
	if (rc)
		return rc;
	memset(&sp, 0, sizeof(sp));
	vid = 0;
	if (maybe) {            /* else: a new id, nothing to read */
		st = store_stmt(s, ST_VERSIONS_OF_ID, e);
		if (!st)
			return CC_EIO;
		sqlite3_bind_text(st, 1, pi->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, pi->idh);
		rc = read_span(s, st, 0, 1, pi->modified_us, &sp, &vid, e);
		if (rc)
			return rc;
	}
	if (vid) {                      /* the version exists: in this collection? */
		rc = entry_exists(s, vid, coll, &da, e);
		if (rc || da) {
			r->date_added_us = da;
			return rc;
		}
	}
	rc = store_next_date_added(s, &da, e);
	if (rc)
		return rc;
	r->date_added_us = da;
	if (!vid) {
		rc = insert_version(s, da, coll, org, pt, pi, &sp, e);
		if (rc)
			return rc;
		r->new_version = true;
		vid = da;
	}
	rc = insert_entry(s, da, coll, vid, org, pi, !sp.any, e);
	if (rc == 0)
		r->added = true;
	return rc;
}

/* Store one version: with facts f made by the caller, else made here
 * from pt->obj. */
static int put_any(store *s, int64_t collection_id, const put_text *pt, const store_facts *f,
		   int64_t org_id, store_put_result *r, cc_err *e)
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
		rc = put_locked(s, collection_id, pt, f, org_id, r, e);
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

	return put_any(s, collection_id, &pt, NULL, org_id, r, e);
}

int store_put_text(store *s, int64_t collection_id, const json_t *obj, const char *json,
		   size_t json_len, int64_t org_id, store_put_result *r, cc_err *e)
{
	put_text pt = { obj, json, json_len };

	if (json_len > INT_MAX)
		return cc_err_set(e, CC_ERR, "%s: object too large", s->path);
	return put_any(s, collection_id, &pt, NULL, org_id, r, e);
}

int store_put_facts(store *s, int64_t collection_id, const store_facts *f, const char *json,
		    size_t json_len, int64_t org_id, store_put_result *r, cc_err *e)
{
	put_text pt = { NULL, json, json_len };

	if (!json || json_len > INT_MAX)
		return cc_err_set(e, CC_ERR, "%s: object %s", s->path,
				  json ? "too large" : "without text");
	return put_any(s, collection_id, &pt, f, org_id, r, e);
}
