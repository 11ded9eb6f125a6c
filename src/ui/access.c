/*
 * access.c — what a member may read, and nothing else: the collections it
 * has a read grant on (store_grant_get, which knows every cap on a grant)
 * and, in each, the rows store_find and store_query_run give that reader
 * at that ceiling.  The UI has no rule of its own about who sees what.
 *
 * A restricted collection is left out whatever the member's grant: it
 * opens only through TAXII, to a user holding an authorisation, where each
 * read is audited with the authorisation's id (docs/safeguards.md).  Every
 * row read goes through tap_row, which notes the ids of TLP:AMBER+STRICT
 * and RED versions for the request's audit entry, as TAXII's reads do.
 */
#include "ui/ui_int.h"

#include <stdlib.h>
#include <string.h>

int ui_view_load(store *s, int64_t org, ui_view *out, cc_err *e)
{
	store_collection *c = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->org = org;
	rc = store_collection_list(s, &c, &n, e);
	if (rc)
		return rc;
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	if (!out->v) {
		store_collection_list_free(c, n);
		return cc_err_set(e, CC_ENOMEM, "ui: out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		store_grant g;

		if (c[i].restricted || store_grant_get(s, org, c[i].id, &g, NULL) != 0 ||
		    !g.can_read)
			continue;
		out->v[out->n].id = c[i].id;
		out->v[out->n].max_tlp = g.max_tlp;
		out->v[out->n].name = c[i].name;
		c[i].name = NULL;
		out->n++;
	}
	store_collection_list_free(c, n);
	return 0;
}

void ui_view_clear(ui_view *v)
{
	for (size_t i = 0; v && i < v->n; i++)
		free(v->v[i].name);
	if (v)
		free(v->v);
}

const char *ui_view_coll_name(const ui_view *v, int64_t id)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].id == id)
			return v->v[i].name;
	return "";
}

/* A reader's row on its way to the UI's callback. */
typedef struct ui_tap {
	store_row_fn fn;
	void *ud;
	audit_list *read;
} ui_tap;

static int tap_row(const store_row *r, void *ud)
{
	ui_tap *t = ud;

	if (t->read && r->lvl >= STORE_TLP_AMBER_STRICT)
		audit_list_add(t->read, r->id);
	return t->fn(r, t->ud);
}

int ui_find(store *s, const ui_view *v, const store_find_query *q, store_row_fn fn, void *ud,
	    cc_err *e)
{
	ui_tap t = { fn, ud, v->read };
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < v->n; i++) {
		store_find_query cq = *q;

		cq.collection_id = v->v[i].id;
		cq.viewer_org = v->org;
		cq.max_tlp = v->v[i].max_tlp;
		rc = store_find(s, &cq, tap_row, &t, e);
	}
	return rc;
}

/* store_query_run as the member in each collection it may read. */
static int query_each(store *s, const ui_view *v, store_query *q, store_row_fn fn, void *ud,
		      cc_err *e)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < v->n; i++) {
		q->collection_id = v->v[i].id;
		q->viewer_org = v->org;
		q->max_tlp = v->v[i].max_tlp;
		rc = store_query_run(s, q, tap_row, &(ui_tap){ fn, ud, v->read }, NULL, e);
	}
	return rc;
}

int ui_ids(store *s, const ui_view *v, const char *const *ids, size_t n, unsigned versions,
	   store_row_fn fn, void *ud, cc_err *e)
{
	store_query q = { .ids = ids, .n_ids = n, .versions = versions };

	if (!n)
		return 0;
	return query_each(s, v, &q, fn, ud, e);
}

int ui_ids_json(store *s, const ui_view *v, const json_t *ids, unsigned versions,
		store_row_fn fn, void *ud, cc_err *e)
{
	size_t n = json_array_size(ids);
	const char **a = calloc(n ? n : 1, sizeof(*a));
	int rc;

	if (!a)
		return cc_err_set(e, CC_ENOMEM, "ui: out of memory");
	for (size_t i = 0; i < n; i++)
		a[i] = json_string_value(json_array_get(ids, i));
	rc = ui_ids(s, v, a, n, versions, fn, ud, e);
	free(a);
	return rc;
}

int ui_types(store *s, const ui_view *v, const char *const *types, size_t n, store_row_fn fn,
	     void *ud, cc_err *e)
{
	int rc = 0;

	/* store_find: a type few versions have is found by its index, not by
	 * a walk of the collection */
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = ui_find(s, v, &(store_find_query){ .type = types[i] }, fn, ud, e);
	return rc;
}

void ui_objs_init(ui_objs *o, const ui_view *v)
{
	o->by_id = json_object();
	o->colls = json_object();
	o->view = v;
	o->slim = NULL;
}

void ui_objs_init_slim(ui_objs *o, const ui_view *v, ui_ctx *u)
{
	ui_objs_init(o, v);
	o->slim = u;
}

void ui_objs_clear(ui_objs *o)
{
	json_decref(o->by_id);
	json_decref(o->colls);
	o->by_id = o->colls = NULL;
}

/* Whether version a (modified text) is newer than b's. */
static bool newer(const json_t *a, const json_t *b)
{
	const char *ma = json_string_value(json_object_get(a, "modified"));
	const char *mb = json_string_value(json_object_get(b, "modified"));

	return ma && mb && strcmp(ma, mb) > 0;
}

json_t *ui_objs_first(const ui_objs *o)
{
	void *it = json_object_iter(o->by_id);

	return it ? json_object_iter_value(it) : NULL;
}

int ui_objs_row(const store_row *r, void *ud)
{
	ui_objs *o = ud;
	json_t *obj = o->slim ? ui_slim_row(o->slim, r) : json_loadb(r->json, r->json_len, 0, NULL);
	json_t *old, *cl;
	const char *cn = ui_view_coll_name(o->view, r->collection_id);
	size_t i;
	json_t *x;

	if (!obj)
		return 0;
	old = json_object_get(o->by_id, r->id);
	if (!old || newer(obj, old))
		json_object_set(o->by_id, r->id, obj);
	json_decref(obj);
	cl = json_object_get(o->colls, r->id);
	if (!cl) {
		cl = json_array();
		json_object_set_new(o->colls, r->id, cl);
	}
	json_array_foreach(cl, i, x)
		if (strcmp(json_string_value(x), cn) == 0)
			return 0;
	json_array_append_new(cl, json_string(cn));
	return 0;
}
