/*
 * upgrade.c — STIX 2.0 -> 2.1: spec_version, labels -> *_types, malware
 * is_family, indicator pattern_type, and observed-data's embedded 2.0
 * cyber observables -> 2.1 SCOs with deterministic ids + object_refs.
 */
#include "stix/stix.h"

#include <stdio.h>
#include <string.h>

#include "stix/stix_int.h"
#include "util/uuid.h"

/* Put "spec_version": "2.1" right after "type", keeping the other keys in
   their order (jansson appends new keys at the end). */
static int set_spec_version(json_t *obj)
{
	json_t *copy = json_object();
	const char *k;
	json_t *val;
	int rc = -1;

	if (!copy)
		return -1;
	json_object_foreach(obj, k, val) {
		if (strcmp(k, "spec_version") == 0)
			continue;
		if (json_object_set(copy, k, val) != 0)
			goto out;
		if (strcmp(k, "type") == 0 &&
		    json_object_set_new(copy, "spec_version", json_string("2.1")) != 0)
			goto out;
	}
	if (!json_object_get(copy, "spec_version") &&
	    json_object_set_new(copy, "spec_version", json_string("2.1")) != 0)
		goto out;
	json_object_clear(obj);
	rc = json_object_update(obj, copy);
out:
	json_decref(copy);
	return rc;
}

/* 2.0 labels that 2.1 turned into a *_types vocabulary property. */
static const struct { const char *type, *prop; } label_types[] = {
	{ "indicator", "indicator_types" }, { "malware", "malware_types" },
	{ "report", "report_types" }, { "threat-actor", "threat_actor_types" },
	{ "tool", "tool_types" },
};

static int move_labels(json_t *obj, const char *type)
{
	json_t *labels = json_object_get(obj, "labels");

	if (!labels)
		return 0;
	for (size_t i = 0; i < sizeof(label_types) / sizeof(label_types[0]); i++) {
		if (strcmp(type, label_types[i].type) != 0 ||
		    json_object_get(obj, label_types[i].prop))
			continue;
		if (json_object_set(obj, label_types[i].prop, labels) != 0)
			return -1;
		return json_object_del(obj, "labels");
	}
	return 0;
}

/* 2.0 SCO property names that 2.1 renamed, per type. */
static const struct { const char *type, *from, *to; } sco_renames[] = {
	{ "file", "created", "ctime" }, { "file", "modified", "mtime" },
	{ "file", "accessed", "atime" }, { "directory", "created", "ctime" },
	{ "directory", "modified", "mtime" }, { "directory", "accessed", "atime" },
	{ "process", "created", "created_time" }, { "process", "binary_ref", "image_ref" },
	{ "user-account", "password_last_changed", "credential_last_changed" },
	{ "windows-registry-key", "modified", "modified_time" },
};

static int rename_sco_props(json_t *sco, const char *type)
{
	for (size_t i = 0; i < sizeof(sco_renames) / sizeof(sco_renames[0]); i++) {
		json_t *v;

		if (strcmp(type, sco_renames[i].type) != 0)
			continue;
		v = json_object_get(sco, sco_renames[i].from);
		if (!v || json_object_get(sco, sco_renames[i].to))
			continue;
		if (json_object_set(sco, sco_renames[i].to, v) != 0 ||
		    json_object_del(sco, sco_renames[i].from) != 0)
			return -1;
	}
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Replace 2.0 object-key references ("0") in *_ref / *_refs properties of
   o (recursively into extensions and nested objects) by ids from keymap. */
static int rewrite_refs(json_t *o, const json_t *keymap, int depth, cc_err *e)
{
	const char *k;
	json_t *v;

	if (depth > 16)
		return 0;
	json_object_foreach(o, k, v) {
		if (ends_with(k, "_ref") && json_is_string(v)) {
			json_t *id = json_object_get(keymap, json_string_value(v));

			if (!id)
				return cc_err_set(e, CC_ERR, "%s: reference to unknown "
						  "object \"%.40s\"", k,
						  json_string_value(v));
			if (json_object_set(o, k, id) != 0)
				return cc_err_set(e, CC_ENOMEM, "out of memory");
		} else if (ends_with(k, "_refs") && json_is_array(v)) {
			size_t i;
			json_t *x;

			json_array_foreach(v, i, x) {
				const char *key = json_string_value(x);
				json_t *id = key ? json_object_get(keymap, key) : NULL;

				if (!id)
					return cc_err_set(e, CC_ERR, "%s[%zu]: reference "
							  "to unknown object", k, i);
				json_array_set(v, i, id);
			}
		} else if (json_is_object(v)) {
			if (rewrite_refs(v, keymap, depth + 1, e) != 0)
				return e ? e->code : CC_ERR;
		} else if (json_is_array(v)) {
			size_t i;
			json_t *x;

			json_array_foreach(v, i, x)
				if (json_is_object(x) &&
				    rewrite_refs(x, keymap, depth + 1, e) != 0)
					return e ? e->code : CC_ERR;
		}
	}
	return 0;
}

/* ID-contributing properties of the SCOs (STIX 2.1, per type). */
static const struct { const char *type; const char *props[9]; } id_props[] = {
	{ "artifact", { "hashes", "payload_bin" } },
	{ "autonomous-system", { "number" } },
	{ "directory", { "path" } },
	{ "domain-name", { "value" } },
	{ "email-addr", { "value" } },
	{ "email-message", { "from_ref", "subject", "body" } },
	{ "file", { "hashes", "name", "extensions", "parent_directory_ref" } },
	{ "ipv4-addr", { "value" } },
	{ "ipv6-addr", { "value" } },
	{ "mac-addr", { "value" } },
	{ "mutex", { "name" } },
	{ "network-traffic", { "start", "end", "src_ref", "dst_ref", "src_port",
			       "dst_port", "protocols", "extensions" } },
	{ "software", { "name", "cpe", "swid", "vendor", "version" } },
	{ "url", { "value" } },
	{ "user-account", { "account_type", "user_id", "account_login" } },
	{ "windows-registry-key", { "key", "values" } },
	{ "x509-certificate", { "hashes", "serial_number" } },
};

/* hashes contribute only one hash: MD5, else SHA-1, SHA-256, SHA-512,
   else the first one (as the OASIS stix2 library does). */
static json_t *one_hash(const json_t *h)
{
	static const char *const pref[] = { "MD5", "SHA-1", "SHA-256", "SHA-512" };
	const char *k;
	json_t *v;

	for (size_t i = 0; i < 4; i++) {
		v = json_object_get(h, pref[i]);
		if (v)
			return json_pack("{sO}", pref[i], v);
	}
	json_object_foreach((json_t *)h, k, v)
		return json_pack("{sO}", k, v);
	return NULL;
}

/* The deterministic id of an SCO: UUIDv5 in the STIX namespace of the
   canonical JSON (sorted keys, no spaces) of its ID-contributing
   properties; for types without any (process) or when none is present,
   of "<fallback>" so that re-upgrading the same 2.0 data gives the same
   id.  Writes "type--uuid" into out. */
static int sco_id(const json_t *sco, const char *type, const char *fallback,
		  char *out, size_t n)
{
	json_t *c = json_object();
	char uuid[CC_UUID_STR];
	char *text = NULL;

	if (!c)
		return -1;
	for (size_t i = 0; i < sizeof(id_props) / sizeof(id_props[0]); i++) {
		if (strcmp(id_props[i].type, type) != 0)
			continue;
		for (size_t j = 0; j < 9 && id_props[i].props[j]; j++) {
			const char *p = id_props[i].props[j];
			json_t *v = json_object_get(sco, p);

			if (!v)
				continue;
			if (strcmp(p, "hashes") == 0)
				json_object_set_new(c, p, one_hash(v));
			else
				json_object_set(c, p, v);
		}
	}
	if (json_object_size(c) > 0)
		text = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS |
				  JSON_ENCODE_ANY);
	json_decref(c);
	if (text) {
		cc_uuid5(cc_uuid_ns_stix, text, strlen(text), uuid);
		free(text);
	} else {
		cc_uuid5(cc_uuid_ns_stix, fallback, strlen(fallback), uuid);
	}
	snprintf(out, n, "%s--%s", type, uuid);
	return 0;
}

/* Append to deps every 2.0 object key o refers to (*_ref strings, *_refs
   lists, also in nested objects such as extensions), as rewrite_refs
   will find them. */
static void collect_refs(const json_t *o, json_t *deps, int depth)
{
	const char *k;
	json_t *v, *x;
	size_t i;

	if (depth > 16)
		return;
	json_object_foreach((json_t *)o, k, v) {
		if (ends_with(k, "_ref") && json_is_string(v)) {
			json_array_append(deps, v);
		} else if (ends_with(k, "_refs") && json_is_array(v)) {
			json_array_foreach(v, i, x)
				if (json_is_string(x))
					json_array_append(deps, x);
		} else if (json_is_object(v)) {
			collect_refs(v, deps, depth + 1);
		} else if (json_is_array(v)) {
			json_array_foreach(v, i, x)
				if (json_is_object(x))
					collect_refs(x, deps, depth + 1);
		}
	}
}

/* The 2.1 SCO of the 2.0 object o at key k, whose references all have ids
   in keymap already: appended to scos, its id recorded in keymap. */
static int build_sco(const char *k, const json_t *o, const char *od_id,
		     json_t *keymap, json_t *scos, cc_err *e)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	char fallback[256], id[320];
	json_t *sco = json_deep_copy(o);

	if (!sco)
		return cc_err_set(e, CC_ENOMEM, "out of memory");
	if (rewrite_refs(sco, keymap, 0, e) != 0) {
		json_decref(sco);
		return CC_ERR;
	}
	snprintf(fallback, sizeof(fallback), "%.200s/%.40s", od_id ? od_id : "", k);
	if (rename_sco_props(sco, type) != 0 ||
	    sco_id(sco, type, fallback, id, sizeof(id)) != 0 ||
	    json_object_set_new(sco, "id", json_string(id)) != 0 ||
	    set_spec_version(sco) != 0 ||
	    json_object_set_new(keymap, k, json_string(id)) != 0 ||
	    json_array_append_new(scos, sco) != 0)
		return cc_err_set(e, CC_ENOMEM, "out of memory");
	return 0;
}

/* Each 2.0 object's references (deps), who refers to it (users), how many
   of its references are still unresolved (pending), and the objects with
   none (ready).  Fails on a malformed object or a dangling reference. */
static int plan_observed(const json_t *objects, json_t *users, json_t *pending,
			 json_t *ready, cc_err *e)
{
	const char *k;
	json_t *o, *r;
	size_t i;

	json_object_foreach((json_t *)objects, k, o) {
		const char *type = json_string_value(json_object_get(o, "type"));
		json_t *deps = json_array();

		if (!json_is_object(o) || !type || !stix_type_name_ok(type, strlen(type))) {
			json_decref(deps);
			return cc_err_set(e, CC_ERR, "objects.%.40s: not a cyber "
					  "observable", k);
		}
		collect_refs(o, deps, 0);
		json_array_foreach(deps, i, r) {
			const char *ref = json_string_value(r);
			json_t *u = json_object_get(users, ref);

			if (!json_object_get(objects, ref)) {
				cc_err_set(e, CC_ERR, "objects.%.40s: reference to "
					   "unknown object \"%.40s\"", k, ref);
				json_decref(deps);
				return CC_ERR;
			}
			if (!u) {
				u = json_array();
				json_object_set_new(users, ref, u);
			}
			json_array_append_new(u, json_string(k));
		}
		json_object_set_new(pending, k, json_integer((json_int_t)json_array_size(deps)));
		if (json_array_size(deps) == 0)
			json_array_append_new(ready, json_string(k));
		json_decref(deps);
	}
	return 0;
}

/* observed-data "objects" (2.0) -> SCOs appended to extra + object_refs.
   SCOs are built in dependency order (Kahn's algorithm), so every
   reference already has its id when the referring SCO is built. */
static int upgrade_observed(json_t *obj, json_t *extra, cc_err *e)
{
	json_t *objects = json_object_get(obj, "objects");
	json_t *keymap = json_object(), *refs = json_array(), *scos = json_array();
	json_t *users = json_object(), *pending = json_object(), *ready = json_array();
	const char *od_id = json_string_value(json_object_get(obj, "id"));
	const char *k;
	json_t *o, *u;
	size_t i, j;
	int rc = CC_ENOMEM;

	if (!keymap || !refs || !scos || !users || !pending || !ready)
		goto out;
	if (!json_is_object(objects)) {
		rc = cc_err_set(e, CC_ERR, "objects: not a dictionary");
		goto out;
	}
	rc = plan_observed(objects, users, pending, ready, e);
	if (rc != 0)
		goto out;
	for (i = 0; i < json_array_size(ready); i++) {
		k = json_string_value(json_array_get(ready, i));
		rc = build_sco(k, json_object_get(objects, k), od_id, keymap, scos, e);
		if (rc != 0)
			goto out;
		json_array_foreach(json_object_get(users, k), j, u) {
			const char *user = json_string_value(u);
			json_int_t left = json_integer_value(json_object_get(pending, user)) - 1;

			json_object_set_new(pending, user, json_integer(left));
			if (left == 0)
				json_array_append(ready, u);
		}
	}
	if (json_object_size(keymap) != json_object_size(objects)) {
		rc = cc_err_set(e, CC_ERR, "objects: reference cycle");
		goto out;
	}
	rc = CC_ENOMEM;
	json_object_foreach(objects, k, o)
		json_array_append(refs, json_object_get(keymap, k));
	if (json_array_extend(extra, scos) != 0 ||
	    json_object_set(obj, "object_refs", refs) != 0 ||
	    json_object_del(obj, "objects") != 0)
		goto out;
	rc = 0;
out:
	if (rc == CC_ENOMEM)
		cc_err_set(e, CC_ENOMEM, "out of memory");
	json_decref(keymap);
	json_decref(refs);
	json_decref(scos);
	json_decref(users);
	json_decref(pending);
	json_decref(ready);
	return rc;
}

int stix_upgrade(json_t *obj, json_t *extra, cc_err *e)
{
	const char *sv = json_string_value(json_object_get(obj, "spec_version"));
	const char *type = json_string_value(json_object_get(obj, "type"));
	char tname[256];

	if (json_object_get(obj, "spec_version") && !sv)
		return cc_err_set(e, CC_ERR, "spec_version: not a string");
	if (sv && strcmp(sv, "2.1") == 0)
		return 0;
	if (sv && strcmp(sv, "2.0") != 0)
		return cc_err_set(e, CC_ERR, "spec_version: unknown spec_version "
				  "\"%.20s\"", sv);
	if (!type)
		return cc_err_set(e, CC_ERR, "type: required property missing");
	snprintf(tname, sizeof(tname), "%s", type);
	if (strcmp(tname, "malware") == 0 && !json_object_get(obj, "is_family") &&
	    json_object_set_new(obj, "is_family", json_true()) != 0)
		goto out_nomem;
	if (strcmp(tname, "indicator") == 0 && !json_object_get(obj, "pattern_type") &&
	    json_object_set_new(obj, "pattern_type", json_string("stix")) != 0)
		goto out_nomem;
	if (move_labels(obj, tname) != 0)
		goto out_nomem;
	if (strcmp(tname, "observed-data") == 0 && json_object_get(obj, "objects") &&
	    !json_object_get(obj, "object_refs")) {
		int rc = upgrade_observed(obj, extra, e);

		if (rc != 0)
			return rc;
	}
	if (set_spec_version(obj) != 0)
		goto out_nomem;
	return 0;
out_nomem:
	return cc_err_set(e, CC_ENOMEM, "out of memory");
}
