/*
 * seen.c — "who else saw this": the sightings of an indicator, or of an
 * observed value, across the members of the hub, as one member (or the
 * hub's operator) may know of them.
 *
 * Every object comes through store_query_run with the viewer's
 * organisation and its grant's TLP ceiling, collection by collection: the
 * one access layer that decides TAXII reads decides these too, so a
 * member counts only sightings (and finds values only in observed-data
 * and SCOs) it could read itself.  Whose a sighting is comes from the
 * store (the version's owner; for the hub's own copies, the organisation
 * whose identity it names): a member cannot make its sightings count as
 * another's.  Another member is named only when it allows it
 * (store_org_get_named), else only counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analysis.h"
#include "util/time.h"

/* What the viewer may read: sightings, observed-data, SCOs. */
typedef struct seen_ctx {
	json_t *sightings;      /* "owner id" -> sighting (one copy per owner) */
	json_t *owners;         /* "owner id" -> owner org id */
	json_t *od;             /* observed-data id -> object */
	json_t *scos;           /* SCO id -> object */
} seen_ctx;

static int keep_row(const store_row *r, void *ud)
{
	seen_ctx *c = ud;
	json_t *o = json_loadb(r->json, r->json_len, 0, NULL);
	char key[160];

	if (!o)
		return 0;
	if (!strcmp(r->type, "sighting")) {
		snprintf(key, sizeof(key), "%lld %s", (long long)r->org_id, r->id);
		json_object_set(c->sightings, key, o);
		json_object_set_new(c->owners, key, json_integer(r->org_id));
	} else if (!strcmp(r->type, "observed-data")) {
		json_object_set(c->od, r->id, o);
	} else {
		json_object_set(c->scos, r->id, o);
	}
	json_decref(o);
	return 0;
}

static const char *const types[] = {
	"sighting", "observed-data", "ipv4-addr", "ipv6-addr", "domain-name", "url",
	"email-addr", "file", "x509-certificate", "mac-addr",
};

/* Whether collection id is restricted (in cs, n of them). */
static bool restricted(const store_collection *cs, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (cs[i].id == id)
			return cs[i].restricted;
	return true;            /* not listed: not to be read */
}

/* Read what the viewer may see: every collection it has a read grant on,
 * at its TLP ceiling there (store_grant_get's, as TAXII's: a peer's cap
 * included), but a restricted one (it opens only through TAXII to a user
 * with an authorisation, each read audited: counted here its sightings
 * would tell any member what it holds); the operator reads everything. */
static int collect(store *s, int64_t viewer, seen_ctx *c, cc_err *e)
{
	store_query q = { 0 };
	store_collection *cs = NULL;
	store_grant *g = NULL;
	size_t n = 0, nc = 0;
	int rc;

	q.types = types;
	q.n_types = sizeof(types) / sizeof(types[0]);
	if (!viewer)
		return store_query_run(s, &q, keep_row, c, NULL, e);
	rc = store_collection_list(s, &cs, &nc, e);
	if (rc == 0)
		rc = store_grant_list(s, &g, &n, e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		store_grant eff;        /* with every cap on it (a peer's login's) */

		if (g[i].org_id != viewer || !g[i].can_read ||
		    restricted(cs, nc, g[i].collection_id) ||
		    store_grant_get(s, viewer, g[i].collection_id, &eff, NULL) != 0)
			continue;
		q.collection_id = g[i].collection_id;
		q.viewer_org = viewer;
		q.max_tlp = eff.max_tlp;
		rc = store_query_run(s, &q, keep_row, c, NULL, e);
	}
	free(g);
	store_collection_list_free(cs, nc);
	return rc;
}

/* Whether SCO o holds value v (its value, or one of its hashes),
 * ignoring ASCII case and a trailing dot of a name. */
static bool sco_holds(const json_t *o, const char *v)
{
	const char *val = json_string_value(json_object_get(o, "value"));
	const char *k;
	json_t *h;
	size_t n = strlen(v);

	while (n > 1 && v[n - 1] == '.')
		n--;
	if (val && strlen(val) >= n && !strncasecmp(val, v, n) &&
	    (val[n] == '\0' || (val[n] == '.' && val[n + 1] == '\0')))
		return true;
	json_object_foreach(json_object_get(o, "hashes"), k, h)
		if (json_is_string(h) && !strcasecmp(json_string_value(h), v))
			return true;
	return false;
}

/* Whether a sighting is of the query: of the indicator, or with an
 * observed-data the viewer may read that names an SCO holding the value. */
static bool sighting_matches(const seen_ctx *c, const json_t *s, const an_seen_query *q)
{
	json_t *odr, *ref;
	size_t i, j;

	if (q->indicator) {
		const char *of = json_string_value(json_object_get(s, "sighting_of_ref"));

		return of && !strcasecmp(of, q->indicator);
	}
	odr = json_object_get(s, "observed_data_refs");
	json_array_foreach(odr, i, ref) {
		json_t *od = json_object_get(c->od, json_string_value(ref)), *r;

		json_array_foreach(json_object_get(od, "object_refs"), j, r) {
			json_t *sco = json_object_get(c->scos, json_string_value(r));

			if (sco && sco_holds(sco, q->value))
				return true;
		}
	}
	return false;
}

/* The org a hub-owned sighting names (where_sighted_refs, else
 * created_by_ref) by its identity, 0 when none. */
static int64_t named_org(const json_t *s, const store_org *orgs, size_t n)
{
	const char *cb = json_string_value(json_object_get(s, "created_by_ref"));
	json_t *w = json_object_get(s, "where_sighted_refs"), *x;
	size_t i;

	json_array_foreach(w, i, x)
		for (size_t k = 0; k < n; k++)
			if (json_is_string(x) && !strcasecmp(json_string_value(x), orgs[k].identity_id))
				return orgs[k].id;
	for (size_t k = 0; cb && k < n; k++)
		if (!strcasecmp(cb, orgs[k].identity_id))
			return orgs[k].id;
	return 0;
}

/* One group of sightings: counts and times. */
typedef struct tally {
	uint64_t sightings, count;
	int64_t first, last;    /* INT64_MAX / INT64_MIN when none */
} tally;

static void tally_add(tally *t, const json_t *s)
{
	json_t *cnt = json_object_get(s, "count");
	int64_t f, l;
	const char *fs = json_string_value(json_object_get(s, "first_seen"));
	const char *ls = json_string_value(json_object_get(s, "last_seen"));

	t->sightings++;
	t->count += json_is_integer(cnt) && json_integer_value(cnt) > 0 ? (uint64_t)json_integer_value(cnt) : 1;
	if (fs && cc_ts_parse(fs, &f) && f < t->first)
		t->first = f;
	if (ls && cc_ts_parse(ls, &l) && l > t->last)
		t->last = l;
}

static json_t *tally_json(const tally *t)
{
	char f[CC_TS_MAX] = "", l[CC_TS_MAX] = "";

	if (t->first != INT64_MAX)
		cc_ts_format(t->first, 3, f);
	if (t->last != INT64_MIN)
		cc_ts_format(t->last, 3, l);
	return json_pack("{s:I,s:I,s:o,s:o}", "sightings", (json_int_t)t->sightings,
			 "count", (json_int_t)t->count, "first_seen", f[0] ? json_string(f) : json_null(),
			 "last_seen", l[0] ? json_string(l) : json_null());
}

#define TALLY0 { 0, 0, INT64_MAX, INT64_MIN }

/* Sum the matching sightings per org (index k of orgs, n = the hub). */
static void tally_all(const seen_ctx *c, const an_seen_query *q, const store_org *orgs, size_t n,
		      tally *per)
{
	const char *key;
	json_t *s;

	json_object_foreach(c->sightings, key, s) {
		int64_t owner = json_integer_value(json_object_get(c->owners, key));
		size_t k = n;

		if (!sighting_matches(c, s, q))
			continue;
		if (!owner)
			owner = named_org(s, orgs, n);
		for (size_t i = 0; i < n; i++)
			if (orgs[i].id == owner)
				k = i;
		tally_add(&per[k], s);
	}
}

static void merge(tally *into, const tally *t)
{
	into->sightings += t->sightings;
	into->count += t->count;
	if (t->first < into->first)
		into->first = t->first;
	if (t->last > into->last)
		into->last = t->last;
}

/* The answer from the per-org tallies. */
static json_t *answer(store *s, const an_seen_query *q, const store_org *orgs, size_t n,
		      const tally *per)
{
	json_t *out = json_object(), *named = json_array(), *t;
	tally total = TALLY0, unnamed = TALLY0;
	size_t members = 0, hidden = 0;

	for (size_t i = 0; i < n; i++) {
		bool allows = false;
		cc_err e;

		if (!per[i].sightings)
			continue;
		members++;
		merge(&total, &per[i]);
		store_org_get_named(s, orgs[i].id, &allows, &e);
		if (orgs[i].id == q->viewer_org || allows) {
			t = tally_json(&per[i]);
			json_object_set_new(t, "member", json_string(orgs[i].name));
			if (orgs[i].id == q->viewer_org)
				json_object_set_new(t, "you", json_true());
			json_array_append_new(named, t);
		} else {
			hidden++;
			merge(&unnamed, &per[i]);
		}
	}
	merge(&total, &per[n]);
	json_object_set_new(out, q->indicator ? "indicator" : "value",
			    json_string(q->indicator ? q->indicator : q->value));
	json_object_set_new(out, "members", json_integer((json_int_t)members));
	json_object_update(out, t = tally_json(&total));
	json_decref(t);
	json_object_set_new(out, "named", named);
	t = tally_json(&unnamed);
	json_object_set_new(t, "members", json_integer((json_int_t)hidden));
	json_object_set_new(out, "unnamed", t);
	json_object_set_new(out, "hub", tally_json(&per[n]));
	return out;
}

int an_who_saw(store *s, const an_seen_query *q, json_t **out, cc_err *e)
{
	seen_ctx c;
	store_org *orgs = NULL;
	size_t n = 0;
	tally *per = NULL;
	int rc;

	*out = NULL;
	if (!q->indicator == !q->value)
		return cc_err_set(e, CC_EUSAGE, "sightings: an indicator id or a value, one of them");
	c = (seen_ctx){ json_object(), json_object(), json_object(), json_object() };
	rc = collect(s, q->viewer_org, &c, e);
	if (rc == 0)
		rc = store_org_list(s, &orgs, &n, e);
	if (rc == 0) {
		per = malloc((n + 1) * sizeof(*per));
		if (!per)
			rc = cc_err_set(e, CC_ENOMEM, "out of memory");
	}
	if (rc == 0) {
		for (size_t i = 0; i <= n; i++)
			per[i] = (tally)TALLY0;
		tally_all(&c, q, orgs, n, per);
		*out = answer(s, q, orgs, n, per);
	}
	free(per);
	store_org_list_free(orgs, n);
	json_decref(c.sightings);
	json_decref(c.owners);
	json_decref(c.od);
	json_decref(c.scos);
	return rc;
}
