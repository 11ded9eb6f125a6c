/*
 * stix.c — strict JSON input, the objects of a document, identifiers and
 * TLP markings.  Validation is in validate.c, the 2.0 upgrade in upgrade.c.
 */
#include "stix/stix.h"

#include <string.h>
#include <strings.h>

#include "stix/stix_int.h"

json_t *stix_json_parse(const char *text, size_t len, const char *display,
			cc_err *e)
{
	json_error_t je;
	json_t *root;
	size_t i = 0;
	int line = 1, col = 1;

	/* say so at once when the document cannot be STIX (e.g. one huge
	   string), instead of after scanning it */
	while (i < len && strchr(" \t\r\n", text[i]) && text[i]) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i++;
	}
	if (i == len) {
		cc_err_set(e, CC_ERR, "%s: empty input", display);
		return NULL;
	}
	if (text[i] != '{' && text[i] != '[') {
		cc_err_set(e, CC_ERR, "%s:%d:%d: not a JSON object or array "
			   "(a STIX bundle, object or array of objects)",
			   display, line, col);
		return NULL;
	}
	/* jansson rejects invalid UTF-8 and "\u0000" by default and stops at
	   JSON_PARSER_MAX_DEPTH without recursing further. */
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		const char *what = je.text[0] ? je.text : "invalid JSON";
		const char *kind = strstr(what, "unable to decode byte") ?
				   "invalid UTF-8: " : "";

		if (je.line < 0)
			cc_err_set(e, CC_ERR, "%s: %s%s", display, kind, what);
		else
			cc_err_set(e, CC_ERR, "%s:%d:%d: %s%s", display, je.line,
				   je.column, kind, what);
		return NULL;
	}
	return root;
}

json_t *stix_input_objects(json_t *root, const char *display, cc_err *e)
{
	json_t *arr, *objs;
	const char *type;
	size_t i;
	json_t *v;

	if (json_is_array(root)) {
		json_array_foreach(root, i, v) {
			if (!json_is_object(v)) {
				cc_err_set(e, CC_ERR, "%s: [%zu]: not a JSON object",
					   display, i);
				return NULL;
			}
		}
		return json_incref(root);
	}
	if (!json_is_object(root))
		goto out_not_stix;
	type = json_string_value(json_object_get(root, "type"));
	if (type && strcmp(type, "bundle") == 0) {
		objs = json_object_get(root, "objects");
		if (!objs)
			return json_array();
		if (!json_is_array(objs)) {
			cc_err_set(e, CC_ERR, "%s: objects: not a list", display);
			return NULL;
		}
		json_array_foreach(objs, i, v) {
			if (!json_is_object(v)) {
				cc_err_set(e, CC_ERR,
					   "%s: objects[%zu]: not a JSON object",
					   display, i);
				return NULL;
			}
		}
		return json_incref(objs);
	}
	if (!type)
		goto out_not_stix;
	arr = json_array();
	if (!arr || json_array_append(arr, root) != 0) {
		json_decref(arr);
		cc_err_set(e, CC_ENOMEM, "%s: out of memory", display);
		return NULL;
	}
	return arr;

out_not_stix:
	cc_err_set(e, CC_ERR, "%s: not a STIX bundle, object or array of objects",
		   display);
	return NULL;
}

bool stix_is_20(const json_t *obj, const char *bundle_spec_version)
{
	const char *sv = json_string_value(json_object_get(obj, "spec_version"));
	const char *type;
	const stix_type *t;

	if (sv)
		return strcmp(sv, "2.0") == 0;
	if (bundle_spec_version && strcmp(bundle_spec_version, "2.0") == 0)
		return true;
	type = json_string_value(json_object_get(obj, "type"));
	if (!type)
		return false;
	t = stix_type_find(type, strlen(type));
	/* SCOs need no spec_version in 2.1; everything else (custom objects
	   included, which 2.0 producers such as MITRE emit) must carry one. */
	return !t || t->cls != STIX_CLS_SCO;
}

/* Whether s (n bytes) is a syntactically valid type name: 3..250 of
   a-z 0-9 '-', starting with a letter, no "--" and not ending in '-'. */
bool stix_type_name_ok(const char *s, size_t n)
{
	if (n < 3 || n > 250 || s[0] < 'a' || s[0] > 'z' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '-') {
			if (s[i + 1] == '-')
				return false;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			return false;
		}
	}
	return true;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* An RFC 4122 UUID in text form: 8-4-4-4-12 hex, version 1..5, variant
   10xx (as the OASIS identifier schema requires). */
bool stix_uuid_ok(const char *u)
{
	static const char dash[] = { 8, 13, 18, 23 };
	int d = 0;

	for (int i = 0; i < 36; i++) {
		if (d < 4 && i == dash[d]) {
			if (u[i] != '-')
				return false;
			d++;
		} else if (!is_hex(u[i])) {
			return false;
		}
	}
	if (u[36] != '\0')
		return false;
	if (u[14] < '1' || u[14] > '5')
		return false;
	return strchr("89abAB", u[19]) != NULL;
}

/* Length of the type part of id (before "--"), 0 when there is none. */
size_t stix_id_type_len(const char *id)
{
	const char *p = strstr(id, "--");

	return p ? (size_t)(p - id) : 0;
}

bool stix_id_valid(const char *id, const char *expected_type)
{
	size_t n;

	if (!id)
		return false;
	n = stix_id_type_len(id);
	if (n == 0 || !stix_type_name_ok(id, n) || !stix_uuid_ok(id + n + 2))
		return false;
	if (expected_type)
		return strlen(expected_type) == n &&
		       memcmp(id, expected_type, n) == 0;
	return true;
}

bool stix_id_type(const char *id, char *out, size_t n)
{
	size_t len;

	if (!stix_id_valid(id, NULL))
		return false;
	len = stix_id_type_len(id);
	if (len >= n)
		return false;
	memcpy(out, id, len);
	out[len] = '\0';
	return true;
}

/* ---- TLP ---- */

static const char *const tlp2_ids[5] = {
	"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
};

/* TLP 1.0 (the STIX 2.1 predefined markings): white, green, amber, red. */
static const char *const tlp1_ids[4] = {
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
};
static const int tlp1_levels[4] = { STIX_TLP_CLEAR, STIX_TLP_GREEN,
				    STIX_TLP_AMBER, STIX_TLP_RED };

static const char *const tlp_names[5] = {
	"clear", "green", "amber", "amber+strict", "red",
};

int stix_tlp_id_level(const char *id, int *version)
{
	/* UUIDs are case-insensitive on input (RFC 4122): an upper-case TLP
	 * id is the same marking */
	for (int i = 0; i < 5; i++) {
		if (strcasecmp(id, tlp2_ids[i]) == 0) {
			if (version)
				*version = 2;
			return i;
		}
	}
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(id, tlp1_ids[i]) == 0) {
			if (version)
				*version = 1;
			return tlp1_levels[i];
		}
	}
	return STIX_TLP_NONE;
}

const char *stix_tlp1_marking_id(int level)
{
	for (int i = 0; i < 4; i++)
		if (tlp1_levels[i] == level)
			return tlp1_ids[i];
	return NULL;
}

/* The highest TLP level of the marking ids in refs (an array), or of the
 * one id refs is (a string); -1 when none is a TLP marking. */
static int tlp_of_refs(const json_t *refs)
{
	const json_t *v;
	int best = STIX_TLP_NONE, l;
	size_t i;

	if (json_is_string(refs))
		return stix_tlp_id_level(json_string_value(refs), NULL);
	json_array_foreach(refs, i, v) {
		if (!json_is_string(v))
			continue;
		l = stix_tlp_id_level(json_string_value(v), NULL);
		if (l > best)
			best = l;
	}
	return best;
}

int stix_tlp_level(const json_t *obj)
{
	return tlp_of_refs(json_object_get(obj, "object_marking_refs"));
}

int stix_tlp_granular_level(const json_t *obj)
{
	const json_t *gm;
	int best = STIX_TLP_NONE, l;
	size_t i;

	json_array_foreach(json_object_get(obj, "granular_markings"), i, gm) {
		l = tlp_of_refs(json_object_get(gm, "marking_ref"));
		if (l > best)
			best = l;
	}
	return best;
}

const char *stix_tlp_marking_id(int level)
{
	return level >= 0 && level <= 4 ? tlp2_ids[level] : NULL;
}

const char *stix_tlp_name(int level)
{
	return level >= 0 && level <= 4 ? tlp_names[level] : NULL;
}

int stix_tlp_parse_name(const char *name)
{
	if (!name)
		return STIX_TLP_NONE;
	if (strncasecmp(name, "TLP:", 4) == 0)
		name += 4;
	if (strcasecmp(name, "white") == 0)
		return STIX_TLP_CLEAR;
	for (int i = 0; i < 5; i++)
		if (strcasecmp(name, tlp_names[i]) == 0)
			return i;
	return STIX_TLP_NONE;
}
