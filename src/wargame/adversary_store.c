/*
 * adversary_store.c — the adversary from the hub's store (--adversary
 * NAME), the one place a war game looks an adversary up: an
 * intrusion-set, else a threat-actor, else a campaign, named exactly
 * (name or alias, any case), else by a unique part of its name (the
 * store's store_resolve_name, which `find --related-to` shares); its
 * techniques are the ATT&CK ids of the attack-patterns it `uses`, plus
 * (unless asked not to) those of the malware and tools it `uses`.
 * Revoked and deprecated objects and relationships are skipped (store_find
 * hides them).  The store is read as the hub: no viewer.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "wargame/sim.h"

static const char *const adversary_types[] = { "intrusion-set", "threat-actor",
						"campaign", NULL };

int wg_adversary_lookup(store *s, const char *name, char **id, char **found, cc_err *e)
{
	const store_resolve r = { .what = "adversary", .types = adversary_types,
				  .substring = true };

	*id = NULL;
	if (found)
		*found = NULL;
	return store_resolve_name(s, &r, name, id, found, e);
}

/* The ATT&CK technique id of an attack-pattern (borrowed), or NULL. */
static const char *attack_id(const json_t *o)
{
	json_t *refs = json_object_get(o, "external_references"), *r;
	size_t i;

	json_array_foreach(refs, i, r) {
		const char *src = json_string_value(json_object_get(r, "source_name"));
		const char *eid = json_string_value(json_object_get(r, "external_id"));

		if (src && eid && !strcmp(src, "mitre-attack") && wg_technique_id_ok(eid))
			return eid;
	}
	return NULL;
}

static int pattern_row(const store_row *row, void *ud)
{
	json_t *o = json_loadb(row->json, row->json_len, 0, NULL);
	const char *t = o ? attack_id(o) : NULL;

	if (t)
		wg_adversary_add(ud, t, NULL);
	json_decref(o);
	return 0;
}

/* The techniques of the attack-patterns `id` uses. */
static int add_uses(const wg_reader *rd, const char *id, wg_adversary *a, cc_err *e)
{
	return rd->uses(rd->ud, id, "attack-pattern", pattern_row, a, e);
}

/* The malware and tools an adversary uses: ids and names. */
typedef struct softs {
	char **id, **name;
	size_t n;
} softs;

static int soft_row(const store_row *row, void *ud)
{
	softs *sw = ud;
	json_t *o = json_loadb(row->json, row->json_len, 0, NULL);
	const char *nm = json_string_value(json_object_get(o, "name"));

	sw->id = cc_xrealloc(sw->id, (sw->n + 1) * sizeof(char *));
	sw->name = cc_xrealloc(sw->name, (sw->n + 1) * sizeof(char *));
	sw->id[sw->n] = cc_xstrdup(row->id);
	sw->name[sw->n++] = cc_xstrdup(nm ? nm : row->id);
	json_decref(o);
	return 0;
}

static int add_software(const wg_reader *rd, const char *id, wg_adversary *a, cc_err *e)
{
	static const char *const types[] = { "malware", "tool" };
	softs sw = { 0 };
	int rc = CC_OK;

	for (size_t t = 0; t < 2 && rc == CC_OK; t++)
		rc = rd->uses(rd->ud, id, types[t], soft_row, &sw, e);
	for (size_t i = 0; i < sw.n; i++) {
		size_t before = a->ntechniques;

		if (rc == CC_OK)
			rc = add_uses(rd, sw.id[i], a, e);
		if (rc == CC_OK && a->ntechniques > before)
			wg_adversary_add_software(a, sw.name[i]);
		free(sw.id[i]);
		free(sw.name[i]);
	}
	free(sw.id);
	free(sw.name);
	return rc;
}

static int tech_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int wg_adversary_gather(const wg_reader *rd, wg_adversary *a, bool software, cc_err *e)
{
	int rc = add_uses(rd, a->id, a, e);

	if (rc == CC_OK && software)
		rc = add_software(rd, a->id, a, e);
	if (rc == CC_OK)
		qsort(a->techniques, a->ntechniques, sizeof(*a->techniques), tech_cmp);
	return rc;
}

/* The hub's reader: store_find of what id `uses` (no viewer). */
static int hub_uses(void *ud, const char *id, const char *type, store_row_fn fn, void *fn_ud,
		    cc_err *e)
{
	store_find_query q = { .type = type, .related_to = id, .relationship_type = "uses" };

	return store_find(ud, &q, fn, fn_ud, e);
}

int wg_adversary_from_store(store *s, const char *name, bool software,
			    wg_adversary **out, cc_err *e)
{
	char *id = NULL, *found = NULL;
	wg_adversary *a = NULL;
	int rc;

	*out = NULL;
	if ((rc = wg_adversary_lookup(s, name, &id, &found, e)))
		goto out;
	a = wg_adversary_new(found);
	a->id = id;
	id = NULL;
	rc = wg_adversary_gather(&(wg_reader){ hub_uses, s }, a, software, e);
	if (rc == CC_OK && !a->ntechniques)
		rc = cc_err_set(e, CC_ERR, "adversary '%s' (%s): uses no ATT&CK technique "
				"in the store", name, a->id);
	if (rc) {
		wg_adversary_free(a);
		goto out;
	}
	*out = a;
out:
	free(id);
	free(found);
	return rc;
}

/* Keep the first row's id. */
static int id_row(const store_row *row, void *ud)
{
	char **out = ud;

	if (!*out)
		*out = cc_xstrdup(row->id);
	return 1;
}

char *wg_store_attack_pattern_id(store *s, const char *technique)
{
	store_find_query q = { .type = "attack-pattern", .external_id = technique,
			       .limit = 1 };
	char *id = NULL;

	if (store_find(s, &q, id_row, &id, NULL))
		return NULL;
	return id;
}
