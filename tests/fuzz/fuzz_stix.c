/* Fuzz target for src/stix: strict parse, collect the objects, upgrade
 * STIX 2.0, validate every object (and the SCOs an upgrade creates), TLP. */
#include <stddef.h>
#include <stdint.h>

#include "stix/stix.h"

static void count(const char *path, const char *msg, void *ud)
{
	(void)path;
	(void)msg;
	(*(size_t *)ud)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cc_err e = { 0 };
	json_t *root, *objs, *obj, *x;
	const char *bsv = NULL;
	size_t i, j, n = 0;

	root = stix_json_parse((const char *)data, size, "fuzz", &e);
	if (!root)
		return 0;
	if (json_is_object(root)) {
		bsv = json_string_value(json_object_get(root, "spec_version"));
		stix_validate_bundle(root, count, &n);
	}
	objs = stix_input_objects(root, "fuzz", &e);
	json_array_foreach(objs, i, obj) {
		json_t *extra = json_array();

		if (!stix_is_20(obj, bsv) || stix_upgrade(obj, extra, &e) == 0) {
			size_t got = stix_validate(obj, count, &n);

			(void)got;
			json_array_foreach(extra, j, x)
				stix_validate(x, count, &n);
		}
		(void)stix_tlp_level(obj);
		json_decref(extra);
	}
	json_decref(objs);
	json_decref(root);
	return 0;
}
