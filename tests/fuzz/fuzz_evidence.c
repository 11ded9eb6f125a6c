/*
 * fuzz_evidence.c — libFuzzer target: arbitrary bytes as a JSON array of
 * STIX objects (sightings, opinions, indicators, intrusion-sets,
 * attack-patterns, relationships ...) fed to the scores' evidence and to
 * the attribution knowledge base; every indicator is scored and every
 * object id is ranked as evidence.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *root = json_loadb((const char *)data, size, 0, NULL), *o, *out = NULL;
	an_evidence *ev = an_evidence_new();
	an_attr *a = an_attr_new();
	const char *ids[64];
	size_t i, n = 0;
	cc_err e;

	json_array_foreach(json_is_array(root) ? root : NULL, i, o) {
		an_evidence_add(ev, o);
		an_attr_add(a, o);
		if (n < 64 && json_is_string(json_object_get(o, "id")))
			ids[n++] = json_string_value(json_object_get(o, "id"));
	}
	an_evidence_finish(ev);
	json_array_foreach(json_is_array(root) ? root : NULL, i, o)
		an_indicator_score(ev, o, 1800000000ll * 1000000, NULL);
	if (an_attr_build(a, &e) == 0 && an_attr_rank(a, ids, n, 3, &out, &e) == 0)
		json_decref(out);
	for (i = 0; i < n; i++)
		an_attr_resolve(a, ids[i]);
	an_attr_free(a);
	an_evidence_free(ev);
	json_decref(root);
	return 0;
}
