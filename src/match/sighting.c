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

static json_t *new_id(const char *type)
{
	char u[CC_UUID_STR], id[96];

	cc_uuid4(u);
	snprintf(id, sizeof(id), "%s--%s", type, u);
	return json_string(id);
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

json_t *match_sightings(const matcher *m, const match_run *run, const char *identity)
{
	json_t *out = json_array(), *seen = json_object();
	int64_t now = cc_now_us();

	for (uint32_t i = 0; i < m->n_ind; i++) {
		const mt_agg *a = run->agg[i];
		json_t *s, *refs, *od = NULL;
		int64_t first, last;

		if (!a)
			continue;
		first = a->first == INT64_MAX ? now : a->first;
		last = a->last == INT64_MIN ? now : a->last;
		refs = agg_scos(a, out, seen);
		if (json_array_size(refs)) {
			od = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:o}",
				       "type", "observed-data", "spec_version", "2.1",
				       "id", new_id("observed-data"), "created", ts_json(now),
				       "modified", ts_json(now), "first_observed", ts_json(first),
				       "last_observed", ts_json(last),
				       "number_observed", (json_int_t)(a->count > 999999999 ? 999999999 : a->count),
				       "object_refs", refs);
			if (identity && od)
				json_object_set_new(od, "created_by_ref", json_string(identity));
		} else {
			json_decref(refs);
		}
		s = json_pack("{s:s,s:s,s:o,s:o,s:o,s:s,s:I,s:o,s:o}",
			      "type", "sighting", "spec_version", "2.1", "id", new_id("sighting"),
			      "created", ts_json(now), "modified", ts_json(now),
			      "sighting_of_ref", match_indicator_id(m, i),
			      "count", (json_int_t)(a->count > 999999999 ? 999999999 : a->count),
			      "first_seen", ts_json(first), "last_seen", ts_json(last));
		if (!s) {
			json_decref(od);
			continue;
		}
		if (run->retro)
			json_object_set_new(s, "x_cybercell_retro", json_true());
		if (identity) {
			json_object_set_new(s, "created_by_ref", json_string(identity));
			json_object_set_new(s, "where_sighted_refs", json_pack("[s]", identity));
		}
		if (od) {
			json_object_set_new(s, "observed_data_refs",
					    json_pack("[O]", json_object_get(od, "id")));
			json_array_append_new(out, od);
		}
		json_array_append_new(out, s);
	}
	json_decref(seen);
	return out;
}
