/*
 * object.c — GET /ui/api/object?id=ID: one object as the member may see
 * it: its latest version, every version with what changed and which
 * peers delivered it (federation), the collections it is in, its
 * relationships both ways with what is at their other end, and its
 * sightings.  Nothing here tells a hidden object from
 * one never stored.
 */
#include "ui/ui_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/time.h"

/* The versions of the object, one per modified, each with the peers
 * that delivered it (federation: store_received_list). */
typedef struct versions {
	json_t *rows;                      /* [{"us", "modified", "object", "received"}] */
	store *s;
} versions;

/* Add {"peer", "received"} to array ud unless there. */
static void add_received(const char *peer, int64_t us, void *ud)
{
	char ts[CC_TS_MAX];
	json_t *x;
	size_t i;

	cc_ts_format(us, 6, ts);
	json_array_foreach((json_t *)ud, i, x)
		if (!strcmp(ui_str(x, "peer"), peer) && !strcmp(ui_str(x, "received"), ts))
			return;
	json_array_append_new(ud, json_pack("{s:s, s:s}", "peer", peer, "received", ts));
}

static int keep_version(const store_row *r, void *ud)
{
	versions *vs = ud;
	json_t *o = json_loadb(r->json, r->json_len, 0, NULL), *x, *found = NULL;
	size_t i;

	if (!o)
		return 0;
	json_array_foreach(vs->rows, i, x)
		if (json_integer_value(json_object_get(x, "us")) == r->modified_us &&
		    json_equal(json_object_get(x, "object"), o))
			found = x;
	if (found) {
		json_decref(o);
	} else {
		found = json_object();
		json_object_set_new(found, "us", json_integer(r->modified_us));
		json_object_set_new(found, "modified", json_string(r->modified));
		json_object_set_new(found, "object", o);
		json_object_set_new(found, "received", json_array());
		json_array_append_new(vs->rows, found);
	}
	store_received_list(vs->s, r, add_received, json_object_get(found, "received"), NULL);
	return 0;
}

static int newest_first(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "us"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "us"));

	return x < y ? 1 : x > y ? -1 : 0;
}

/* [{"property","change"}] from version old to version now. */
static json_t *changes(const json_t *old, const json_t *now)
{
	json_t *c = json_array(), *v;
	const char *k;

	json_object_foreach((json_t *)now, k, v) {
		json_t *was = json_object_get(old, k), *ch;

		if (!strcmp(k, "modified") || (was && json_equal(was, v)))
			continue;
		ch = json_object();
		json_object_set_new(ch, "property", json_string(k));
		json_object_set_new(ch, "change", json_string(was ? "changed" : "added"));
		json_array_append_new(c, ch);
	}
	json_object_foreach((json_t *)old, k, v) {
		json_t *ch;

		if (json_object_get(now, k))
			continue;
		ch = json_object();
		json_object_set_new(ch, "property", json_string(k));
		json_object_set_new(ch, "change", json_string("removed"));
		json_array_append_new(c, ch);
	}
	return c;
}

/* The versions newest first, each with its changes from the one before. */
static json_t *versions_json(json_t *rows)
{
	size_t n = json_array_size(rows);
	json_t **v = calloc(n ? n : 1, sizeof(*v)), *out = json_array();

	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(rows, i);
	qsort(v, n, sizeof(*v), newest_first);
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_object();

		json_object_set(x, "modified", json_object_get(v[i], "modified"));
		json_object_set(x, "object", json_object_get(v[i], "object"));
		json_object_set(x, "received", json_object_get(v[i], "received"));
		json_object_set_new(x, "changes", i + 1 < n
				    ? changes(json_object_get(v[i + 1], "object"),
					      json_object_get(v[i], "object"))
				    : json_array());
		json_array_append_new(out, x);
	}
	free(v);
	return out;
}

/* Summaries of the objects at ids (those the member may see), id -> summary. */
static int summaries(const ui_req *r, json_t *ids, json_t **out, cc_err *e)
{
	ui_objs o;
	const char *k;
	json_t *x;
	int rc;

	ui_objs_init_slim(&o, r->view, r->u);
	rc = ui_ids_json(r->s, r->view, ids, STORE_VER_LAST, ui_objs_row, &o, e);
	*out = json_object();
	json_object_foreach(o.by_id, k, x)
		json_object_set_new(*out, k, ui_summary(x));
	ui_objs_clear(&o);
	return rc;
}

/* The other end of each relationship: its summary when the member may
 * see it, else only its id (as for an id never stored). */
static json_t *relationships(const ui_req *r, const char *id, json_t *rels, cc_err *e, int *rc)
{
	json_t *out = json_array(), *ends = json_array(), *known = NULL, *x;
	const char *k;

	json_object_foreach(rels, k, x) {
		const char *src = json_string_value(json_object_get(x, "source_ref"));
		const char *dst = json_string_value(json_object_get(x, "target_ref"));
		bool outward = src && strcasecmp(src, id) == 0;

		json_array_append_new(ends, json_string(outward ? (dst ? dst : "") : (src ? src : "")));
	}
	*rc = summaries(r, ends, &known, e);
	json_object_foreach(rels, k, x) {
		const char *src = json_string_value(json_object_get(x, "source_ref"));
		bool outward = src && strcasecmp(src, id) == 0;
		const char *other = json_string_value(json_object_get(x, outward ? "target_ref"
									  : "source_ref"));
		json_t *rel = ui_summary(x), *o = other ? json_object_get(known, other) : NULL;

		json_object_set(rel, "relationship_type", json_object_get(x, "relationship_type"));
		json_object_set_new(rel, "direction", json_string(outward ? "out" : "in"));
		if (o) {
			json_object_set(rel, "other", o);
		} else {
			o = json_object();
			json_object_set_new(o, "id", json_string(other ? other : ""));
			json_object_set_new(rel, "other", o);
		}
		json_array_append_new(out, rel);
	}
	json_decref(known);
	json_decref(ends);
	return out;
}

/* The sightings of id the member may see, with where they were made. */
static json_t *sightings(const ui_req *r, const char *id, cc_err *e, int *rc)
{
	json_t *out = json_array(), *where = json_array(), *names = NULL, *x;
	const char *k;
	ui_objs o;

	ui_objs_init_slim(&o, r->view, r->u);
	*rc = ui_find(r->s, r->view, &(store_find_query){ .type = "sighting", .sighting_of = id },
		      ui_objs_row, &o, e);
	json_object_foreach(o.by_id, k, x) {
		const char *of = json_string_value(json_object_get(x, "sighting_of_ref"));

		if (of && strcasecmp(of, id) == 0)
			json_array_extend(where, json_object_get(x, "where_sighted_refs"));
	}
	if (*rc == 0)
		*rc = summaries(r, where, &names, e);
	json_object_foreach(o.by_id, k, x) {
		const char *of = json_string_value(json_object_get(x, "sighting_of_ref"));
		json_t *s, *w, *ref;
		size_t i;

		if (!of || strcasecmp(of, id) != 0)
			continue;
		s = ui_summary(x);
		w = json_array();
		json_object_set(s, "first_seen", json_object_get(x, "first_seen"));
		json_object_set(s, "last_seen", json_object_get(x, "last_seen"));
		json_object_set(s, "count", json_object_get(x, "count"));
		json_object_set(s, "created", json_object_get(x, "created"));
		json_array_foreach(json_object_get(x, "where_sighted_refs"), i, ref) {
			json_t *n = json_object_get(names, json_string_value(ref));

			json_array_append(w, n ? json_object_get(n, "name") : ref);
		}
		json_object_set_new(s, "where_sighted", w);
		json_array_append_new(out, s);
	}
	json_decref(names);
	json_decref(where);
	ui_objs_clear(&o);
	return out;
}

void ui_api_object(const ui_req *r, taxii_response *rs)
{
	const char *id = ui_arg(r->rq, "id");
	versions rows = { json_array(), r->s };
	json_t *j, *vs;
	store_find_query q = { .type = "relationship" };
	ui_objs rels;
	int rc = 0;
	cc_err e;

	ui_objs_init_slim(&rels, r->view, r->u);
	if (!id || !*id || strlen(id) > 200) {
		ui_error(rs, 400, "id: the object's id");
		goto out;
	}
	if (ui_ids(r->s, r->view, &id, 1, STORE_VER_ALL, keep_version, &rows, &e) != 0)
		goto fail;
	if (!json_array_size(rows.rows)) {
		ui_error(rs, 404, "no object %s", id);
		goto out;
	}
	q.refers_to = id;
	if (ui_find(r->s, r->view, &q, ui_objs_row, &rels, &e) != 0)
		goto fail;
	j = json_object();
	vs = versions_json(rows.rows);
	json_object_set(j, "object", json_object_get(json_array_get(vs, 0), "object"));
	json_object_set_new(j, "summary", ui_summary(json_object_get(j, "object")));
	json_object_set_new(j, "versions", vs);
	json_object_set_new(j, "relationships", relationships(r, id, rels.by_id, &e, &rc));
	if (rc == 0)
		json_object_set_new(j, "sightings", sightings(r, id, &e, &rc));
	if (rc) {
		json_decref(j);
		goto fail;
	}
	ui_json(rs, 200, j);
	goto out;
fail:
	ui_error(rs, 500, "%s", e.msg);
out:
	ui_objs_clear(&rels);
	json_decref(rows.rows);
}
