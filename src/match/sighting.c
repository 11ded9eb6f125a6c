/*
 * sighting.c — a run's hits as STIX 2.1: per indicator that hit, one
 * sighting (count, first_seen, last_seen, sighting_of_ref,
 * where_sighted_refs) and one observed-data whose object_refs are the SCOs
 * of the distinct values that hit (up to MT_AGG_VALUES of them).
 */
#include <stdlib.h>
#include <string.h>

#include "match/run_int.h"
#include "util/time.h"
#include "util/uuid.h"

static json_t *ts_json(int64_t us)
{
	char b[CC_TS_MAX];

	cc_ts_format(us, 3, b);
	return json_string(b);
}

/* The SCOs of an aggregate's values, added to out once each (by id). */
static json_t *agg_scos(const mt_agg *a, json_t *out, json_t *seen)
{
	json_t *refs = json_array();

	for (size_t i = 0; i < a->nv; i++) {
		const char *path = a->vals[i], *val = path + strlen(path) + 1;
		json_t *sco = mt_value_sco(path, val);
		const char *id;

		if (!sco)
			continue;
		id = json_string_value(json_object_get(sco, "id"));
		if (!json_object_get(seen, id)) {
			json_object_set_new(seen, id, json_true());
			json_array_append(out, sco);
		}
		json_array_append_new(refs, json_string(id));
		json_decref(sco);
	}
	return refs;
}

/* The ids of a's sighting and observed-data, made the first time. */
static void agg_ids(mt_agg *a, int64_t now)
{
	char u[CC_UUID_STR];

	if (a->sid[0])
		return;
	cc_uuid4(u);
	snprintf(a->sid, sizeof(a->sid), "sighting--%s", u);
	cc_uuid4(u);
	snprintf(a->oid, sizeof(a->oid), "observed-data--%s", u);
	a->created = now;
}

/* The sighting of indicator i (and its observed-data, SCOs) into out. */
static void agg_sighting(const matcher *m, const match_run *run, uint32_t i, mt_agg *a,
			 const char *identity, int64_t now, json_t *out, json_t *seen)
{
	json_t *s, *refs, *od = NULL;
	int64_t first = a->first == INT64_MAX ? now : a->first;
	int64_t last = a->last == INT64_MIN ? now : a->last;
	json_int_t count = (json_int_t)(a->count > 999999999 ? 999999999 : a->count);

	agg_ids(a, now);
	refs = agg_scos(a, out, seen);
	if (json_array_size(refs)) {
		od = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:I,s:o}",
			       "type", "observed-data", "spec_version", "2.1", "id", a->oid,
			       "created", ts_json(a->created), "modified", ts_json(now),
			       "first_observed", ts_json(first), "last_observed", ts_json(last),
			       "number_observed", count, "object_refs", refs);
		if (identity && od)
			json_object_set_new(od, "created_by_ref", json_string(identity));
	} else {
		json_decref(refs);
	}
	s = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:I,s:o,s:o}",
		      "type", "sighting", "spec_version", "2.1", "id", a->sid,
		      "created", ts_json(a->created), "modified", ts_json(now),
		      "sighting_of_ref", match_indicator_id(m, i), "count", count,
		      "first_seen", ts_json(first), "last_seen", ts_json(last));
	if (!s) {
		json_decref(od);
		return;
	}
	if (run->retro)
		json_object_set_new(s, "x_cybercell_retro", json_true());
	if (identity) {
		json_object_set_new(s, "created_by_ref", json_string(identity));
		json_object_set_new(s, "where_sighted_refs", json_pack("[s]", identity));
	}
	if (od) {
		json_object_set_new(s, "observed_data_refs", json_pack("[s]", a->oid));
		json_array_append_new(out, od);
	}
	json_array_append_new(out, s);
	a->dirty = false;
}

static json_t *sightings(const matcher *m, match_run *run, const char *identity, bool changed)
{
	json_t *out = json_array(), *seen = json_object();
	/* timestamps have milliseconds: each call's modified is later */
	int64_t now = cc_now_us() / 1000 * 1000;

	if (now <= run->modified)
		now = run->modified + 1000;
	run->modified = now;
	for (uint32_t i = 0; i < m->n_ind; i++)
		if (run->agg[i] && run->agg[i]->count && (!changed || run->agg[i]->dirty))
			agg_sighting(m, run, i, run->agg[i], identity, now, out, seen);
	json_decref(seen);
	return out;
}

json_t *match_sightings(const matcher *m, match_run *run, const char *identity)
{
	return sightings(m, run, identity, false);
}

json_t *match_sightings_changed(const matcher *m, match_run *run, const char *identity)
{
	return sightings(m, run, identity, true);
}
