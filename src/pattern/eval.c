/*
 * eval.c — evaluating comparison expressions against one observation's
 * objects: object-path walking with _ref/_refs dereferencing, comparisons
 * per root SCO, AND as intersection and OR as union of the root SCOs that
 * satisfy them (as the reference matcher does: all comparisons joined by
 * AND must hold on the same root object).  Also building observations
 * from observed-data objects.
 */
#include <stdlib.h>
#include <string.h>

#include "pattern/pattern_int.h"
#include "util/time.h"
#include "util/xalloc.h"

/* ---- object paths ---- */

/* A walk along a path; visit() sees each value reached and returns true
 * to stop the walk (stopped is then set). */
typedef struct walk {
	const pattern_path *path;
	pattern_resolve_fn resolve;
	void *ctx;
	bool (*visit)(struct walk *w, json_t *v);
	void *vctx;
	bool stopped;
} walk;

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcmp(s + n - m, suf);
}

static void walk_step(walk *w, size_t i, json_t *cur);

/* After stepping into key: replace references by their referents. */
static void walk_key_value(walk *w, size_t i, const char *key, json_t *v)
{
	json_t *target, *list, *ref;
	size_t k;

	if (ends_with(key, "_ref")) {
		if (!json_is_string(v) || !w->resolve)
			return;
		target = w->resolve(w->ctx, json_string_value(v));
		if (target)
			walk_step(w, i + 1, target);
		return;
	}
	if (ends_with(key, "_refs")) {
		if (!json_is_array(v) || !w->resolve)
			return;
		list = json_array();
		json_array_foreach(v, k, ref) {
			if (!json_is_string(ref))
				continue;
			target = w->resolve(w->ctx, json_string_value(ref));
			if (target)
				json_array_append(list, target);
		}
		if (json_array_size(list))
			walk_step(w, i + 1, list);
		json_decref(list);
		return;
	}
	walk_step(w, i + 1, v);
}

static void walk_step(walk *w, size_t i, json_t *cur)
{
	const pattern_step *st;
	json_t *v;
	size_t k;

	if (w->stopped)
		return;
	if (i == w->path->n_steps) {
		w->stopped = w->visit(w, cur);
		return;
	}
	st = &w->path->steps[i];
	switch (st->kind) {
	case PATTERN_STEP_KEY:
		v = json_is_object(cur) ? json_object_get(cur, st->key) : NULL;
		if (v)
			walk_key_value(w, i, st->key, v);
		break;
	case PATTERN_STEP_INDEX:
		if (json_is_array(cur) && st->index >= 0 &&
		    (size_t)st->index < json_array_size(cur))
			walk_step(w, i + 1, json_array_get(cur, (size_t)st->index));
		break;
	case PATTERN_STEP_ANY:
		if (json_is_array(cur))
			json_array_foreach(cur, k, v)
				walk_step(w, i + 1, v);
		break;
	}
}

static bool visit_append(walk *w, json_t *v)
{
	json_array_append(w->vctx, v);
	return false;
}

void pattern_path_values(const pattern_path *path, json_t *sco,
			 pattern_resolve_fn resolve, void *ctx, json_t *out)
{
	walk w = { .path = path, .resolve = resolve, .ctx = ctx,
		   .visit = visit_append, .vctx = out };

	walk_step(&w, 0, sco);
}

/* Stop at the first value that exists (EXISTS) or passes the test. */
static bool visit_test(walk *w, json_t *v)
{
	const pattern_comparison *c = w->vctx;

	return c->op == PATTERN_OP_EXISTS || pattern_value_test(c, v) != c->negated;
}

bool pattern_comparison_eval(const pattern_comparison *c, json_t *sco,
			     pattern_resolve_fn resolve, void *ctx)
{
	walk w = { .path = &c->path, .resolve = resolve, .ctx = ctx,
		   .visit = visit_test, .vctx = (void *)c };

	walk_step(&w, 0, sco);
	if (c->op == PATTERN_OP_EXISTS && c->negated)
		return !w.stopped;
	return w.stopped;
}

/* ---- comparison expressions over an object set ---- */

typedef struct objset {
	size_t n;
	const char **keys;
	json_t **scos;
	const char **types;
	pattern_resolve_fn resolve;
	void *ctx;
} objset;

static json_t *resolve_in(void *ctx, const char *ref)
{
	return json_object_get((json_t *)ctx, ref);
}

static void objset_init(objset *os, json_t *objects, pattern_resolve_fn resolve, void *ctx)
{
	const char *key;
	json_t *v;
	size_t i = 0;

	os->n = json_is_object(objects) ? json_object_size(objects) : 0;
	os->keys = cc_xcalloc(os->n + 1, sizeof(*os->keys));
	os->scos = cc_xcalloc(os->n + 1, sizeof(*os->scos));
	os->types = cc_xcalloc(os->n + 1, sizeof(*os->types));
	if (os->n)
		json_object_foreach(objects, key, v) {
			os->keys[i] = key;
			os->scos[i] = v;
			os->types[i] = json_string_value(json_object_get(v, "type"));
			i++;
		}
	os->resolve = resolve ? resolve : resolve_in;
	os->ctx = resolve ? ctx : objects;
}

static void objset_clear(objset *os)
{
	free(os->keys);
	free(os->scos);
	free(os->types);
}

/* Set roots[i] when object i is a root on which ce holds; returns how
 * many are set. */
static size_t ce_roots(const pattern_cexpr *ce, const objset *os, bool *roots)
{
	size_t hits = 0;
	bool *tmp;

	if (ce->kind == PATTERN_CE_CMP) {
		const pattern_comparison *c = ce->cmp;

		for (size_t i = 0; i < os->n; i++) {
			roots[i] = os->types[i] && !strcmp(os->types[i], c->path.object_type) &&
				   pattern_comparison_eval(c, os->scos[i], os->resolve, os->ctx);
			hits += roots[i];
		}
		return hits;
	}
	tmp = cc_xcalloc(os->n + 1, sizeof(*tmp));
	for (size_t i = 0; i < os->n; i++)
		roots[i] = ce->kind == PATTERN_CE_AND;
	for (size_t k = 0; k < ce->n_kids; k++) {
		ce_roots(ce->kids[k], os, tmp);
		hits = 0;
		for (size_t i = 0; i < os->n; i++) {
			roots[i] = ce->kind == PATTERN_CE_AND ? roots[i] && tmp[i]
							     : roots[i] || tmp[i];
			hits += roots[i];
		}
		if (ce->kind == PATTERN_CE_AND && !hits)
			break;
	}
	free(tmp);
	return hits;
}

bool pattern_cexpr_eval(const pattern_cexpr *ce, json_t *objects,
			pattern_resolve_fn resolve, void *ctx)
{
	objset os;
	bool *roots;
	size_t hits;

	objset_init(&os, objects, resolve, ctx);
	roots = cc_xcalloc(os.n + 1, sizeof(*roots));
	hits = ce_roots(ce, &os, roots);
	free(roots);
	objset_clear(&os);
	return hits > 0;
}

json_t *pattern_cexpr_roots_json(const pattern_cexpr *ce, json_t *objects)
{
	objset os;
	bool *roots;
	json_t *out = json_object();

	objset_init(&os, objects, NULL, NULL);
	roots = cc_xcalloc(os.n + 1, sizeof(*roots));
	ce_roots(ce, &os, roots);
	for (size_t i = 0; i < os.n; i++)
		if (roots[i])
			json_object_set(out, os.keys[i], os.scos[i]);
	free(roots);
	objset_clear(&os);
	return out;
}

/* ---- observations ---- */

static bool ts_prop(json_t *od, const char *name, int64_t *us)
{
	const char *s = json_string_value(json_object_get(od, name));

	return s && cc_ts_parse(s, us);
}

int pattern_observation_init(pattern_observation *out, json_t *od,
			     json_t *scos, cc_err *e)
{
	json_t *n, *refs, *ref;
	const char *id;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(od))
		return cc_err_set(e, CC_ERR, "observed-data: not a JSON object");
	id = json_string_value(json_object_get(od, "id"));
	out->id = id;
	if (!id)
		id = "?";
	n = json_object_get(od, "number_observed");
	out->count = n ? (json_is_integer(n) ? json_integer_value(n) : 0) : 1;
	if (out->count < 1)
		return cc_err_set(e, CC_ERR, "observed-data[%s]: number_observed must be an integer >= 1", id);
	if (!ts_prop(od, "first_observed", &out->first_us))
		return cc_err_set(e, CC_ERR, "observed-data[%s]: first_observed missing or not a timestamp", id);
	if (!ts_prop(od, "last_observed", &out->last_us))
		return cc_err_set(e, CC_ERR, "observed-data[%s]: last_observed missing or not a timestamp", id);
	if (out->last_us < out->first_us)
		return cc_err_set(e, CC_ERR, "observed-data[%s]: last_observed is before first_observed", id);
	/* embedded objects (2.0) unless there are none and object_refs (2.1)
	 * name some: an empty "objects" beside object_refs shadows nothing */
	refs = json_object_get(od, "object_refs");
	if (json_is_object(json_object_get(od, "objects")) &&
	    (json_object_size(json_object_get(od, "objects")) || !json_array_size(refs))) {
		out->objects = json_incref(json_object_get(od, "objects"));
		return 0;
	}
	out->objects = json_object();
	if (refs && !json_is_array(refs)) {
		pattern_observation_clear(out);
		return cc_err_set(e, CC_ERR, "observed-data[%s]: object_refs is not a list", id);
	}
	json_array_foreach(refs, i, ref) {
		const char *rid = json_string_value(ref);
		json_t *sco = rid && scos ? json_object_get(scos, rid) : NULL;

		if (sco)
			json_object_set(out->objects, rid, sco);
	}
	return 0;
}

void pattern_observation_clear(pattern_observation *o)
{
	if (!o)
		return;
	json_decref(o->objects);
	memset(o, 0, sizeof(*o));
}
