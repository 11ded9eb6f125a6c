/*
 * slim.c — what the pages read of most objects, without parsing all of
 * each: a "slim" copy of an object keeps the properties the summaries,
 * the matrix, the graph and the relationship lists use (below) and drops
 * the rest (descriptions, detection notes, most references).  A version's
 * JSON never changes once stored, so its slim copy is kept, keyed by its
 * entry's date_added (unique in the store, never reused) and owner, and
 * checked against the row's id and version: a technique is parsed once
 * per process, not once per request.  This is a cache of a pure function of
 * the stored text; which rows a member gets is still decided by the
 * store, per request, as before.  The copies are shared by the threads
 * and never changed (jansson's reference counts are atomic): whoever
 * gets one only reads it.
 */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLIM_MAX 32768          /* entries kept; full: emptied */

static const char *const keep[] = {
	"id", "type", "name", "value", "modified", "created", "revoked", "x_mitre_deprecated",
	"object_marking_refs", "granular_markings", "relationship_type", "source_ref",
	"target_ref", "kill_chain_phases", "x_mitre_shortname", "tactic_refs", "sighting_of_ref",
	"where_sighted_refs", "first_seen", "last_seen", "count",
};

/* The slim copy of o: the kept properties, and of external_references
 * only those with an external_id: their source_name and external_id. */
static json_t *slim_of(const json_t *o)
{
	json_t *s = json_object(), *refs = json_array(), *r;
	size_t i;

	for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
		json_t *v = json_object_get(o, keep[k]);

		if (v)
			json_object_set(s, keep[k], v);
	}
	json_array_foreach(json_object_get(o, "external_references"), i, r) {
		json_t *x;

		if (!json_is_string(json_object_get(r, "external_id")))
			continue;       /* a citation */
		x = json_object();

		json_object_set(x, "source_name", json_object_get(r, "source_name"));
		json_object_set(x, "external_id", json_object_get(r, "external_id"));
		json_array_append_new(refs, x);
	}
	json_object_set_new(s, "external_references", refs);
	return s;
}

/* The slim copy of r's object, parsed now. */
static json_t *slim_parse(const store_row *r)
{
	json_t *o = json_loadb(r->json, r->json_len, 0, NULL), *s;

	if (!o)
		return NULL;
	s = slim_of(o);
	json_decref(o);
	return s;
}

/* Whether cached slim s is of row r (its id and version). */
static bool slim_is(const json_t *s, const store_row *r)
{
	return s && strcmp(ui_str(s, "id"), r->id) == 0 &&
	       strcmp(ui_str(s, "modified")[0] ? ui_str(s, "modified") : ui_str(s, "created"),
		      r->modified) == 0;
}

json_t *ui_slim_row(ui_ctx *u, const store_row *r)
{
	char key[48];
	json_t *s;

	if (r->date_added_us <= 0)      /* no entry: nothing to key it by */
		return slim_parse(r);
	snprintf(key, sizeof(key), "%lld %lld", (long long)r->date_added_us, (long long)r->org_id);
	pthread_mutex_lock(&u->slim_lock);
	s = json_incref(json_object_get(u->slim, key));
	pthread_mutex_unlock(&u->slim_lock);
	if (slim_is(s, r))
		return s;
	json_decref(s);
	if (!(s = slim_parse(r)))
		return NULL;
	pthread_mutex_lock(&u->slim_lock);
	if (!u->slim || json_object_size(u->slim) >= SLIM_MAX) {
		json_decref(u->slim);   /* what requests hold stays theirs */
		u->slim = json_object();
	}
	json_object_set(u->slim, key, s);
	pthread_mutex_unlock(&u->slim_lock);
	return s;
}
