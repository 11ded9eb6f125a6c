/*
 * sim_intel.c — what the cell shared about an adversary (--with-intel):
 * which of its techniques are described in a collection and which have
 * indicators, and how that raises the odds that defenders see an action.
 *
 * The model (docs/commands/wargame-run.md): intel only helps where there is
 * telemetry (EDR on the host, or SOC monitoring of it).  There, a technique
 * the collection describes (its attack-pattern, or a `uses` relationship
 * from the adversary) adds a 30 % chance to notice the action (hunting for
 * a known TTP), an indicator that `indicates` it (or the adversary's
 * malware/tool that `uses` it) adds 50 % (a detection rule fires), and
 * indicators of the adversary itself or of its malware and tools
 * (infrastructure, hashes) add 10 % to every action: d' = 1 - (1 - d)(1 - b) with
 * b = 1 - (1 - .3 ttp)(1 - .5 ioc)(1 - .1 adv).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "wargame/sim.h"

#define BOOST_TTP 0.30
#define BOOST_IOC 0.50
#define BOOST_ADV 0.10

wg_intel *wg_intel_new(const char *collection)
{
	wg_intel *in = cc_xcalloc(1, sizeof(*in));

	in->collection = cc_xstrdup(collection ? collection : "");
	return in;
}

void wg_intel_free(wg_intel *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->n; i++)
		free(in->techniques[i]);
	free(in->techniques);
	free(in->flags);
	free(in->collection);
	free(in);
}

void wg_intel_add(wg_intel *in, const char *technique, unsigned flags)
{
	for (size_t i = 0; i < in->n; i++)
		if (!strcasecmp(in->techniques[i], technique)) {
			in->flags[i] |= flags;
			return;
		}
	in->techniques = cc_xrealloc(in->techniques, (in->n + 1) * sizeof(char *));
	in->flags = cc_xrealloc(in->flags, (in->n + 1) * sizeof(unsigned));
	in->techniques[in->n] = cc_xstrdup(technique);
	in->flags[in->n++] = flags;
}

/* Same technique, or one is the parent of the other. */
static bool related(const char *a, const char *b)
{
	size_t la = strcspn(a, "."), lb = strcspn(b, ".");

	if (!strcasecmp(a, b))
		return true;
	if (la != lb || strncasecmp(a, b, la))
		return false;
	return !a[la] || !b[lb];
}

unsigned wg_intel_flags(const wg_intel *in, const char *technique)
{
	unsigned f = 0;

	if (!in || !technique)
		return 0;
	for (size_t i = 0; i < in->n; i++)
		if (related(in->techniques[i], technique))
			f |= in->flags[i];
	return f;
}

double wg_intel_detect(const wg_intel *in, const char *technique, double d,
		       bool telemetry)
{
	unsigned f = wg_intel_flags(in, technique);
	double miss = 1;

	if (!in || !telemetry)
		return d;
	if (f & WG_INTEL_TTP)
		miss *= 1 - BOOST_TTP;
	if (f & WG_INTEL_IOC)
		miss *= 1 - BOOST_IOC;
	if (in->adversary_iocs)
		miss *= 1 - BOOST_ADV;
	return miss < 1 ? 1 - (1 - d) * miss : d;
}

/* ---- reading a collection ---- */

typedef struct rel {
	char *src, *type, *tgt;
	bool pub;               /* created by MITRE: public knowledge, used only to
				   link an indicator to the adversary's software */
} rel;

typedef struct scan {
	store *s;
	char **ap_id, **ap_tech;        /* attack-patterns in the collection */
	size_t nap;
	rel *rels;
	size_t nrels;
	char **sets;                    /* intrusion-sets named like the adversary */
	size_t nsets;
	const char *adv_name;
} scan;

/* The ATT&CK id of an attack-pattern object, or NULL (borrowed). */
static const char *ap_technique(json_t *o)
{
	json_t *refs = json_object_get(o, "external_references"), *r;
	size_t i;

	json_array_foreach(refs, i, r) {
		const char *src = json_string_value(json_object_get(r, "source_name"));
		const char *id = json_string_value(json_object_get(r, "external_id"));

		if (src && id && !strcmp(src, "mitre-attack") && id[0] == 'T')
			return id;
	}
	return NULL;
}

static void push_str(char ***v, size_t n, const char *s)
{
	*v = cc_xrealloc(*v, (n + 1) * sizeof(char *));
	(*v)[n] = cc_xstrdup(s);
}

static int scan_row(const store_row *row, void *ud)
{
	scan *sc = ud;
	json_t *o = json_loadb(row->json, row->json_len, 0, NULL);
	const char *t;
	bool pub;

	if (!o)
		return 0;
	t = json_string_value(json_object_get(o, "created_by_ref"));
	pub = t && !strcasecmp(t, WG_MITRE_IDENTITY);
	if (pub && strcmp(row->type, "relationship")) {   /* public, not shared */
		json_decref(o);
		return 0;
	}
	if (!strcmp(row->type, "attack-pattern") && (t = ap_technique(o))) {
		push_str(&sc->ap_id, sc->nap, row->id);
		push_str(&sc->ap_tech, sc->nap++, t);
	} else if (!strcmp(row->type, "relationship")) {
		const char *a = json_string_value(json_object_get(o, "source_ref"));
		const char *b = json_string_value(json_object_get(o, "target_ref"));
		const char *rt = json_string_value(json_object_get(o, "relationship_type"));

		if (a && b && rt) {
			sc->rels = cc_xrealloc(sc->rels, (sc->nrels + 1) * sizeof(*sc->rels));
			sc->rels[sc->nrels].src = cc_xstrdup(a);
			sc->rels[sc->nrels].type = cc_xstrdup(rt);
			sc->rels[sc->nrels].pub = pub;
			sc->rels[sc->nrels++].tgt = cc_xstrdup(b);
		}
	} else if (!strcmp(row->type, "intrusion-set") || !strcmp(row->type, "threat-actor")) {
		const char *nm = json_string_value(json_object_get(o, "name"));

		if (nm && sc->adv_name && !strcasecmp(nm, sc->adv_name))
			push_str(&sc->sets, sc->nsets++, row->id);
	}
	json_decref(o);
	return 0;
}

static int tech_row(const store_row *row, void *ud)
{
	char **out = ud;
	json_t *o = json_loadb(row->json, row->json_len, 0, NULL);
	const char *t = o ? ap_technique(o) : NULL;

	if (t && !*out)
		*out = cc_xstrdup(t);
	json_decref(o);
	return 1;
}

/* Technique of attack-pattern id: in the collection, else anywhere. */
static char *technique_of(scan *sc, const char *id)
{
	char *t = NULL;

	if (strncmp(id, "attack-pattern--", 16))
		return NULL;
	for (size_t i = 0; i < sc->nap; i++)
		if (!strcmp(sc->ap_id[i], id))
			return cc_xstrdup(sc->ap_tech[i]);
	store_get(sc->s, id, 0, false, tech_row, &t, NULL);
	return t;
}

static bool is_adversary(const scan *sc, const char *id, const char *adv_id)
{
	if (adv_id && !strcmp(id, adv_id))
		return true;
	for (size_t i = 0; i < sc->nsets; i++)
		if (!strcmp(sc->sets[i], id))
			return true;
	return false;
}

/* Is id malware or a tool the adversary `uses` in the collection? */
static bool adversary_software(const scan *sc, const char *id, const char *adv_id)
{
	if (strncmp(id, "malware--", 9) && strncmp(id, "tool--", 6))
		return false;
	for (size_t i = 0; i < sc->nrels; i++)
		if (!strcmp(sc->rels[i].type, "uses") && !strcmp(sc->rels[i].tgt, id) &&
		    is_adversary(sc, sc->rels[i].src, adv_id))
			return true;
	return false;
}

/* An indicator of the adversary's software sd: the techniques sd `uses`
 * get an indicator too. */
static void software_iocs(scan *sc, wg_intel *in, const wg_adversary *a, const char *sd)
{
	for (size_t i = 0; i < sc->nrels; i++) {
		char *t;

		if (strcmp(sc->rels[i].type, "uses") || strcmp(sc->rels[i].src, sd))
			continue;
		if ((t = technique_of(sc, sc->rels[i].tgt)) && wg_adversary_uses(a, t))
			wg_intel_add(in, t, WG_INTEL_IOC);
		free(t);
	}
}

static void collect(scan *sc, wg_intel *in, const wg_adversary *a, const char *adv_id)
{
	for (size_t i = 0; i < sc->nap; i++)
		if (wg_adversary_uses(a, sc->ap_tech[i]))
			wg_intel_add(in, sc->ap_tech[i], WG_INTEL_TTP);
	for (size_t i = 0; i < sc->nrels; i++) {
		const rel *r = &sc->rels[i];
		char *t = NULL;

		if (r->pub)     /* links software only (adversary_software) */
			continue;
		if (!strcmp(r->type, "uses") && is_adversary(sc, r->src, adv_id)) {
			if ((t = technique_of(sc, r->tgt)) && wg_adversary_uses(a, t))
				wg_intel_add(in, t, WG_INTEL_TTP);
			free(t);
		} else if (!strcmp(r->type, "indicates") &&
			   !strncmp(r->src, "indicator--", 11)) {
			if (is_adversary(sc, r->tgt, adv_id) ||
			    adversary_software(sc, r->tgt, adv_id)) {
				in->adversary_iocs = true;
				in->nindicators++;
				if (!is_adversary(sc, r->tgt, adv_id))
					software_iocs(sc, in, a, r->tgt);
			} else if ((t = technique_of(sc, r->tgt)) && wg_adversary_uses(a, t)) {
				wg_intel_add(in, t, WG_INTEL_IOC);
				in->nindicators++;
			}
			free(t);
		}
	}
}

static void scan_free(scan *sc)
{
	for (size_t i = 0; i < sc->nap; i++) {
		free(sc->ap_id[i]);
		free(sc->ap_tech[i]);
	}
	for (size_t i = 0; i < sc->nrels; i++) {
		free(sc->rels[i].src);
		free(sc->rels[i].type);
		free(sc->rels[i].tgt);
	}
	for (size_t i = 0; i < sc->nsets; i++)
		free(sc->sets[i]);
	free(sc->ap_id);
	free(sc->ap_tech);
	free(sc->rels);
	free(sc->sets);
}

int wg_intel_from_store(store *s, const char *collection, const wg_adversary *a,
			wg_intel **out, cc_err *e)
{
	static const char *const types[] = { "attack-pattern", "relationship",
					     "intrusion-set", "threat-actor" };
	store_collection col;
	store_query q;
	scan sc = { .s = s, .adv_name = a->name };
	int rc;

	*out = NULL;
	memset(&col, 0, sizeof(col));
	if ((rc = store_collection_get(s, collection, &col, e))) {
		cc_err_prefix(e, "--with-intel");
		return rc;
	}
	memset(&q, 0, sizeof(q));
	q.collection_id = col.id;
	q.types = types;
	q.n_types = sizeof(types) / sizeof(types[0]);
	q.versions = STORE_VER_LAST;
	rc = store_query_run(s, &q, scan_row, &sc, NULL, e);
	if (rc == CC_OK) {
		*out = wg_intel_new(col.name ? col.name : collection);
		collect(&sc, *out, a, a->id);
	}
	scan_free(&sc);
	store_collection_clear(&col);
	return rc;
}
