/*
 * attrib.c — attribution help: intrusion-sets ranked by the evidence they
 * share with what was seen.
 *
 * A group's profile is what the knowledge base says it uses: its
 * techniques (attack-patterns, with the parents of sub-techniques), those
 * of the software it uses, the software itself, its infrastructure, and
 * the indicators that indicate it or its software.  The ranking is a
 * likelihood: evidence drawn from a group's profile has probability
 * (1 - EPS) / |profile| per item when the group has it, and EPS times the
 * item's share among all profiles when it has not (seen items that are
 * not the group's).  So a group that has every item ranks above one that
 * lacks some, a group with a smaller profile (one that explains the
 * evidence more specifically) above a bigger one, and an item few groups
 * have (rare evidence) costs more to lack than a common one.  The ranks
 * are reported as posterior shares over all groups (equal priors), with
 * the shared items and their weights (ln(groups / groups that have it)).
 * A plain TF-IDF cosine is kept beside it as a baseline.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analysis.h"
#include "util/xalloc.h"

#define EPS 0.1

typedef struct at_item {
	char *id, *name, *xid;  /* STIX id, name, ATT&CK external id (owned; may be NULL) */
	char type[24];          /* STIX type */
	uint32_t df;            /* groups whose profile has it */
	double share;           /* sum over those groups of 1 / |profile| */
} at_item;

typedef struct at_group {
	char *id, *name;
	uint32_t *items;        /* sorted item numbers */
	size_t n;
} at_group;

struct an_attr {
	json_t *objs;           /* id -> object (the knowledge base) */
	json_t *rels;           /* the relationships */
	json_t *index;          /* item id -> item number */
	at_item *items;
	size_t n_items, cap_items;
	at_group *groups;
	size_t n_groups;
	bool built;
};

an_attr *an_attr_new(void)
{
	an_attr *a = cc_xcalloc(1, sizeof(*a));

	a->objs = json_object();
	a->rels = json_array();
	a->index = json_object();
	return a;
}

void an_attr_free(an_attr *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_items; i++) {
		free(a->items[i].id);
		free(a->items[i].name);
		free(a->items[i].xid);
	}
	for (size_t i = 0; i < a->n_groups; i++) {
		free(a->groups[i].id);
		free(a->groups[i].name);
		free(a->groups[i].items);
	}
	free(a->items);
	free(a->groups);
	json_decref(a->objs);
	json_decref(a->rels);
	json_decref(a->index);
	free(a);
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The ATT&CK id of an object (mitre-attack first), or NULL. */
static const char *xid_of(const json_t *o)
{
	json_t *r;
	const char *first = NULL;
	size_t i;

	json_array_foreach(json_object_get(o, "external_references"), i, r) {
		const char *x = str(r, "external_id"), *src = str(r, "source_name");

		if (x && src && !strncmp(src, "mitre-", 6))
			return x;
		if (x && !first)
			first = x;
	}
	return first;
}

void an_attr_add(an_attr *a, const json_t *obj)
{
	static const char *const kept[] = {
		"intrusion-set", "attack-pattern", "malware", "tool", "indicator", "infrastructure",
	};
	const char *t = str(obj, "type"), *id = str(obj, "id");

	if (!t || !id || json_is_true(json_object_get(obj, "revoked")) ||
	    json_is_true(json_object_get(obj, "x_mitre_deprecated")))
		return;
	if (!strcmp(t, "relationship")) {
		json_array_append(a->rels, (json_t *)obj);
		return;
	}
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (!strcmp(t, kept[i]))
			json_object_set(a->objs, id, (json_t *)obj);
}

/* The number of item id, interning it (0.. n_items). */
static uint32_t item_of(an_attr *a, const char *id, const json_t *obj)
{
	json_t *n = json_object_get(a->index, id);
	at_item *it;

	if (n)
		return (uint32_t)json_integer_value(n);
	if (a->n_items == a->cap_items) {
		a->cap_items = a->cap_items ? a->cap_items * 2 : 256;
		a->items = cc_xrealloc(a->items, a->cap_items * sizeof(*a->items));
	}
	it = &a->items[a->n_items];
	memset(it, 0, sizeof(*it));
	it->id = cc_xstrdup(id);
	it->name = str(obj, "name") ? cc_xstrdup(str(obj, "name")) : NULL;
	it->xid = xid_of(obj) ? cc_xstrdup(xid_of(obj)) : NULL;
	snprintf(it->type, sizeof(it->type), "%s", str(obj, "type") ? str(obj, "type") : "");
	json_object_set_new(a->index, id, json_integer((json_int_t)a->n_items));
	return (uint32_t)a->n_items++;
}

/* Relationship endpoints by type: from -> [to...] (new object). */
static json_t *edges(const an_attr *a, const char *type, bool reverse)
{
	json_t *m = json_object(), *r;
	size_t i;

	json_array_foreach(a->rels, i, r) {
		const char *s = str(r, reverse ? "target_ref" : "source_ref");
		const char *d = str(r, reverse ? "source_ref" : "target_ref");
		json_t *l;

		if (!s || !d || strcmp(str(r, "relationship_type") ? str(r, "relationship_type") : "", type) ||
		    !json_object_get(a->objs, s) || !json_object_get(a->objs, d))
			continue;
		l = json_object_get(m, s);
		if (!l)
			json_object_set_new(m, s, l = json_array());
		json_array_append_new(l, json_string(d));
	}
	return m;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* Add item id (an object of the base) to the set being built. */
static void add_item(an_attr *a, json_t *set, const char *id)
{
	json_t *o = json_object_get(a->objs, id);

	if (o && !json_object_get(set, id))
		json_object_set_new(set, id, json_integer(item_of(a, id, o)));
}

/* What uses/indicates/subtechnique-of say about group gid: its profile. */
static void profile(an_attr *a, const char *gid, json_t *uses, json_t *indicated_by,
		    json_t *parent, at_group *g)
{
	json_t *set = json_object(), *parents = json_array(), *x, *y, *v;
	size_t i, j;
	const char *k;

	json_array_foreach(json_object_get(uses, gid), i, x) {
		const char *t = json_string_value(x);

		add_item(a, set, t);
		json_array_foreach(json_object_get(indicated_by, t), j, y)
			add_item(a, set, json_string_value(y));
		if (!strncmp(t, "malware--", 9) || !strncmp(t, "tool--", 6))
			json_array_foreach(json_object_get(uses, t), j, y)
				if (!strncmp(json_string_value(y), "attack-pattern--", 16))
					add_item(a, set, json_string_value(y));
	}
	json_array_foreach(json_object_get(indicated_by, gid), i, x)
		add_item(a, set, json_string_value(x));
	json_object_foreach(set, k, v)          /* a sub-technique also shows its parent */
		json_array_foreach(json_object_get(parent, k), j, y)
			json_array_append(parents, y);
	json_array_foreach(parents, i, y)
		add_item(a, set, json_string_value(y));
	json_decref(parents);
	g->n = json_object_size(set);
	g->items = cc_xmalloc((g->n + 1) * sizeof(*g->items));
	i = 0;
	json_object_foreach(set, k, v)
		g->items[i++] = (uint32_t)json_integer_value(v);
	qsort(g->items, g->n, sizeof(*g->items), cmp_u32);
	json_decref(set);
}

int an_attr_build(an_attr *a, cc_err *e)
{
	json_t *uses = edges(a, "uses", false), *ind = edges(a, "indicates", true);
	json_t *parent = edges(a, "subtechnique-of", false), *o;
	const char *id;

	json_object_foreach(a->objs, id, o) {
		at_group *g;

		if (strcmp(str(o, "type"), "intrusion-set"))
			continue;
		a->groups = cc_xrealloc(a->groups, (a->n_groups + 1) * sizeof(*a->groups));
		g = &a->groups[a->n_groups++];
		g->id = cc_xstrdup(id);
		g->name = cc_xstrdup(str(o, "name") ? str(o, "name") : id);
		profile(a, id, uses, ind, parent, g);
	}
	for (size_t i = 0; i < a->n_groups; i++)
		for (size_t j = 0; j < a->groups[i].n; j++) {
			a->items[a->groups[i].items[j]].df++;
			a->items[a->groups[i].items[j]].share += 1.0 / (double)a->groups[i].n;
		}
	json_decref(uses);
	json_decref(ind);
	json_decref(parent);
	a->built = true;
	if (!a->n_groups)
		return cc_err_set(e, CC_ENOTFOUND, "attribute: no intrusion-set in the knowledge base");
	return 0;
}

size_t an_attr_n_groups(const an_attr *a)
{
	return a->n_groups;
}

size_t an_attr_group_items(const an_attr *a, size_t g, const char *type, const char **out,
			   size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < a->groups[g].n && n < max; i++) {
		const at_item *it = &a->items[a->groups[g].items[i]];

		if (!type || !strcmp(it->type, type))
			out[n++] = it->id;
	}
	return n;
}

const char *an_attr_group_id(const an_attr *a, size_t g)
{
	return a->groups[g].id;
}

const char *an_attr_resolve(const an_attr *a, const char *text)
{
	const char *id;
	json_t *o;

	if (json_object_get(a->objs, text))
		return json_string_value(json_object_get(json_object_get(a->objs, text), "id"));
	json_object_foreach(a->objs, id, o) {
		const char *x = xid_of(o), *name = str(o, "name");

		if ((x && !strcasecmp(x, text)) ||
		    (name && strcmp(str(o, "type"), "intrusion-set") && !strcasecmp(name, text)))
			return id;
	}
	return NULL;
}

size_t an_attr_indicated(const an_attr *a, const char *id, const char **out, size_t max)
{
	json_t *r;
	size_t i, n = 0;

	json_array_foreach(a->rels, i, r) {
		const char *s = str(r, "source_ref"), *d = str(r, "target_ref");
		const char *t = str(r, "relationship_type");
		json_t *o = d ? json_object_get(a->objs, d) : NULL;

		if (n < max && s && o && t && !strcmp(t, "indicates") && !strcasecmp(s, id))
			out[n++] = str(o, "id");
	}
	return n;
}

static bool has(const at_group *g, uint32_t it)
{
	return bsearch(&it, g->items, g->n, sizeof(*g->items), cmp_u32) != NULL;
}

/* The evidence as item numbers (unknown ids left out), into ev. */
static size_t evidence(const an_attr *a, const char *const *ids, size_t n, uint32_t *ev)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		json_t *x = json_object_get(a->index, ids[i]);
		bool dup = false;

		for (size_t j = 0; x && j < k; j++)
			dup = dup || ev[j] == (uint32_t)json_integer_value(x);
		if (x && !dup && a->items[json_integer_value(x)].df)
			ev[k++] = (uint32_t)json_integer_value(x);
	}
	return k;
}

static double idf(const an_attr *a, uint32_t it)
{
	return log((double)a->n_groups / (double)(a->items[it].df ? a->items[it].df : 1));
}

/* The score of group g: log-likelihood, or the TF-IDF cosine (baseline). */
static double score(const an_attr *a, const at_group *g, const uint32_t *ev, size_t n, bool baseline)
{
	double s = 0, q = 0, gn = 0;

	if (baseline) {
		for (size_t i = 0; i < g->n; i++)
			gn += idf(a, g->items[i]) * idf(a, g->items[i]);
		for (size_t i = 0; i < n; i++) {
			q += idf(a, ev[i]) * idf(a, ev[i]);
			if (has(g, ev[i]))
				s += idf(a, ev[i]) * idf(a, ev[i]);
		}
		return gn > 0 && q > 0 ? s / sqrt(gn * q) : 0;
	}
	for (size_t i = 0; i < n; i++)
		s += has(g, ev[i]) ? log((1 - EPS) / (double)g->n)
				   : log(EPS * a->items[ev[i]].share / (double)a->n_groups);
	return s;
}

typedef struct ranked { size_t g; double s; } ranked;

static int cmp_ranked(const void *x, const void *y)
{
	const ranked *a = x, *b = y;

	if (a->s != b->s)
		return a->s > b->s ? -1 : 1;
	return a->g < b->g ? -1 : a->g > b->g;
}

/* Every group, best first. */
static ranked *rank_all(const an_attr *a, const uint32_t *ev, size_t n, bool baseline)
{
	ranked *r = cc_xmalloc((a->n_groups + 1) * sizeof(*r));

	for (size_t g = 0; g < a->n_groups; g++)
		r[g] = (ranked){ g, score(a, &a->groups[g], ev, n, baseline) };
	qsort(r, a->n_groups, sizeof(*r), cmp_ranked);
	return r;
}

size_t an_attr_position(const an_attr *a, const char *const *ids, size_t n, const char *group,
			bool baseline)
{
	uint32_t *ev = cc_xmalloc((n + 1) * sizeof(*ev));
	size_t k = evidence(a, ids, n, ev), pos = 0;
	ranked *r = rank_all(a, ev, k, baseline);

	for (size_t i = 0; i < a->n_groups && !pos; i++)
		if (!strcmp(a->groups[r[i].g].id, group))
			pos = i + 1;
	free(r);
	free(ev);
	return pos;
}

static json_t *item_json(const an_attr *a, uint32_t it)
{
	const at_item *x = &a->items[it];
	json_t *j = json_pack("{s:s,s:s,s:I,s:f}", "id", x->id, "type", x->type,
			      "groups", (json_int_t)x->df, "weight", round(idf(a, it) * 100) / 100);

	if (x->name)
		json_object_set_new(j, "name", json_string(x->name));
	if (x->xid)
		json_object_set_new(j, "external_id", json_string(x->xid));
	return j;
}

/* One ranked group with its shared and missing items. */
static json_t *group_json(const an_attr *a, const ranked *r, double p, size_t rank,
			  const uint32_t *ev, size_t n)
{
	const at_group *g = &a->groups[r->g];
	json_t *shared = json_array(), *missing = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(has(g, ev[i]) ? shared : missing, item_json(a, ev[i]));
	return json_pack("{s:I,s:s,s:s,s:f,s:I,s:o,s:o}", "rank", (json_int_t)rank, "id", g->id,
			 "name", g->name, "probability", round(p * 10000) / 10000,
			 "profile", (json_int_t)g->n, "shared", shared, "missing", missing);
}

int an_attr_rank(const an_attr *a, const char *const *ids, size_t n, size_t top, json_t **out,
		 cc_err *e)
{
	uint32_t *ev = cc_xmalloc((n + 1) * sizeof(*ev));
	size_t k = evidence(a, ids, n, ev);
	ranked *r;
	json_t *list = json_array(), *unknown = json_array();
	double sum = 0;

	if (!a->built || !a->n_groups) {
		free(ev);
		json_decref(list);
		json_decref(unknown);
		return cc_err_set(e, CC_ENOTFOUND, "attribute: no intrusion-set in the knowledge base");
	}
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(a->index, ids[i]) ||
		    !a->items[json_integer_value(json_object_get(a->index, ids[i]))].df)
			json_array_append_new(unknown, json_string(ids[i]));
	r = rank_all(a, ev, k, false);
	for (size_t i = 0; i < a->n_groups; i++)
		sum += exp(r[i].s - r[0].s);
	for (size_t i = 0; i < a->n_groups && i < top; i++)
		json_array_append_new(list, group_json(a, &r[i], exp(r[i].s - r[0].s) / sum, i + 1, ev, k));
	*out = json_pack("{s:s,s:I,s:I,s:o,s:o}",
			 "note", "an aid to an analyst, not a verdict: the groups whose known "
			 "techniques, software and infrastructure best explain the evidence",
			 "groups", (json_int_t)a->n_groups, "evidence", (json_int_t)k,
			 "unmatched", unknown, "ranking", list);
	free(r);
	free(ev);
	return 0;
}
