/*
 * validate.c — the table-driven STIX 2.1 validator: walks an object's
 * properties once, checks each against the property table of its type
 * (types.c) or the common table, then the required properties and the
 * type's cross-property rule.  No allocation unless a problem is reported.
 */
#include "stix/stix.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "stix/stix_int.h"
#include "util/time.h"

void stix_problem(stix_vctx *v, const char *prop, const char *fmt, ...)
{
	char path[600], msg[512];
	va_list ap;

	v->problems++;
	if (!v->cb)
		return;
	if (prop && v->plen)
		snprintf(path, sizeof(path), "%s.%s", v->path, prop);
	else
		snprintf(path, sizeof(path), "%s", prop ? prop : v->path);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->cb(path, msg, v->ud);
}

/* Append s (n bytes) to the path, truncating when it is full. */
static void path_append(stix_vctx *v, const char *s, size_t n)
{
	size_t room = sizeof(v->path) - 1 - v->plen;

	if (n > room)
		n = room;
	memcpy(v->path + v->plen, s, n);
	v->plen += n;
	v->path[v->plen] = '\0';
}

/* Append ".name" (or "name" at the root) / "[i]" to the path; returns the
   length to restore with path_pop. */
static size_t path_push(stix_vctx *v, const char *name)
{
	size_t old = v->plen;

	if (old)
		path_append(v, ".", 1);
	path_append(v, name, strlen(name));
	return old;
}

static size_t path_push_index(stix_vctx *v, size_t i)
{
	size_t old = v->plen;
	char num[32];
	int n = snprintf(num, sizeof(num), "[%zu]", i);

	path_append(v, num, (size_t)n);
	return old;
}

static void path_pop(stix_vctx *v, size_t old)
{
	v->plen = old;
	v->path[old] = '\0';
}

bool stix_ts_get(const json_t *obj, const char *prop, int64_t *us)
{
	const char *s = json_string_value(json_object_get(obj, prop));

	return s && cc_ts_parse(s, us);
}

void stix_check_order(stix_vctx *v, const json_t *obj, const char *a,
		      const char *b, bool strict)
{
	int64_t ta, tb;

	if (!stix_ts_get(obj, a, &ta) || !stix_ts_get(obj, b, &tb))
		return;
	if (tb < ta || (strict && tb == ta))
		stix_problem(v, b, "must be %s %s", strict ? "later than" :
			     "later than or equal to", a);
}

/* A readable list of what a reference may point at, for messages. */
static void describe_targets(const stix_prop *p, char *out, size_t n)
{
	static const struct { uint8_t bit; const char *name; } cls[] = {
		{ STIX_CLS_SDO, "SDO" }, { STIX_CLS_SRO, "SRO" },
		{ STIX_CLS_SCO, "SCO" }, { STIX_CLS_MARK, "marking-definition" },
		{ STIX_CLS_LC, "language-content" },
		{ STIX_CLS_EXTDEF, "extension-definition" },
	};
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(cls) / sizeof(cls[0]); i++)
		if (p->targets & cls[i].bit)
			len += (size_t)snprintf(out + len, len < n ? n - len : 0,
						"%s%s", len ? " or " : "",
						cls[i].name);
	for (size_t i = 0; p->vals && p->vals[i] && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					len ? " or " : "", p->vals[i]);
}

static void check_ref(stix_vctx *v, const stix_prop *p, const json_t *val)
{
	const char *id = json_string_value(val);
	const stix_type *t;
	uint8_t cls;
	size_t n;
	char want[256];

	if (!id || !stix_id_valid(id, NULL)) {
		stix_problem(v, NULL, "not a STIX identifier");
		return;
	}
	n = stix_id_type_len(id);
	for (size_t i = 0; p->vals && p->vals[i]; i++)
		if (strlen(p->vals[i]) == n && memcmp(p->vals[i], id, n) == 0)
			return;
	t = stix_type_find(id, n);
	cls = t ? t->cls : STIX_CLS_CUSTOM;
	if (p->targets & cls)
		return;
	describe_targets(p, want, sizeof(want));
	stix_problem(v, NULL, "must reference %s, not %.*s", want, (int)n, id);
}

static bool in_list(const char *const *vals, const char *s)
{
	for (size_t i = 0; vals && vals[i]; i++)
		if (strcmp(vals[i], s) == 0)
			return true;
	return false;
}

static bool all_chars(const char *s, const char *set)
{
	return s[strspn(s, set)] == '\0';
}

#define HEXCHARS "0123456789abcdefABCDEF"
#define B64CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="

/* Known hash algorithms and the hex length of their values (0 = any). */
static void check_hashes(stix_vctx *v, const json_t *val)
{
	static const struct { const char *name; size_t hexlen; } algo[] = {
		{ "MD5", 32 }, { "SHA-1", 40 }, { "SHA-256", 64 },
		{ "SHA-512", 128 }, { "SHA3-256", 64 }, { "SHA3-512", 128 },
	};
	const char *k;
	const json_t *h;

	if (!json_is_object(val)) {
		stix_problem(v, NULL, "not a hashes dictionary");
		return;
	}
	if (json_object_size(val) == 0)
		stix_problem(v, NULL, "empty hashes dictionary");
	json_object_foreach((json_t *)val, k, h) {
		const char *s = json_string_value(h);

		if (!s) {
			stix_problem(v, k, "hash value not a string");
			continue;
		}
		for (size_t i = 0; i < sizeof(algo) / sizeof(algo[0]); i++)
			if (strcmp(k, algo[i].name) == 0 &&
			    (strlen(s) != algo[i].hexlen || !all_chars(s, HEXCHARS)))
				stix_problem(v, k, "not a %s hash (%zu hex digits)",
					     k, algo[i].hexlen);
	}
}

static void check_value(stix_vctx *v, const stix_prop *p, const json_t *val);

/* A non-empty list whose every item is checked by item(). */
static void check_list(stix_vctx *v, const stix_prop *p, const json_t *val,
		       void (*item)(stix_vctx *, const stix_prop *, const json_t *))
{
	const json_t *x;
	size_t i;

	if (!json_is_array(val)) {
		stix_problem(v, NULL, "not a list");
		return;
	}
	if (json_array_size(val) == 0 && !(p->flags & PF_EMPTY))
		stix_problem(v, NULL, "empty list");
	json_array_foreach((json_t *)val, i, x) {
		size_t old = path_push_index(v, i);

		item(v, p, x);
		path_pop(v, old);
	}
}

static void item_ref(stix_vctx *v, const stix_prop *p, const json_t *x)
{
	check_ref(v, p, x);
}

static void item_str(stix_vctx *v, const stix_prop *p, const json_t *x)
{
	if (!json_is_string(x))
		stix_problem(v, NULL, "not a string");
}

static void item_enum(stix_vctx *v, const stix_prop *p, const json_t *x)
{
	const char *s = json_string_value(x);

	if (!s)
		stix_problem(v, NULL, "not a string");
	else if (!in_list(p->vals, s))
		stix_problem(v, NULL, "\"%.100s\" is not an allowed value", s);
}

static void item_obj(stix_vctx *v, const stix_prop *p, const json_t *x)
{
	if (!json_is_object(x))
		stix_problem(v, NULL, "not an object");
	else
		stix_check_table(v, x, p->sub);
}

static void item_any(stix_vctx *v, const stix_prop *p, const json_t *x)
{
}

static void item_obj_any(stix_vctx *v, const stix_prop *p, const json_t *x)
{
	if (!json_is_object(x))
		stix_problem(v, NULL, "not an object");
}

static void check_number(stix_vctx *v, const stix_prop *p, const json_t *val)
{
	double d;

	if (p->kind == K_INT ? !json_is_integer(val) : !json_is_number(val)) {
		stix_problem(v, NULL, p->kind == K_INT ? "not an integer" :
			     "not a number");
		return;
	}
	d = json_number_value(val);
	if ((p->flags & PF_RANGE) && (d < p->lo || d > p->hi))
		stix_problem(v, NULL, "out of range %.15g..%.15g", p->lo, p->hi);
}

/* K_TS, K_HEX, K_BIN: a string of that form. */
static void check_shaped(stix_vctx *v, const stix_prop *p, const json_t *val)
{
	const char *s = json_string_value(val);

	if (p->kind == K_TS && (!s || !cc_ts_parse(s, &(int64_t){ 0 })))
		stix_problem(v, NULL, "not a STIX timestamp");
	else if (p->kind == K_HEX && (!s || !all_chars(s, HEXCHARS)))
		stix_problem(v, NULL, "not a hex string");
	else if (p->kind == K_BIN && (!s || !all_chars(s, B64CHARS)))
		stix_problem(v, NULL, "not a base64 string");
}

static void check_extensions(stix_vctx *v, const json_t *val);

static void check_value(stix_vctx *v, const stix_prop *p, const json_t *val)
{
	switch (p->kind) {
	case K_STR:
		item_str(v, p, val);
		break;
	case K_INT:
	case K_FLOAT:
		check_number(v, p, val);
		break;
	case K_BOOL:
		if (!json_is_boolean(val))
			stix_problem(v, NULL, "not a boolean");
		break;
	case K_TS:
	case K_HEX:
	case K_BIN:
		check_shaped(v, p, val);
		break;
	case K_REF:
		check_ref(v, p, val);
		break;
	case K_REFS:
		check_list(v, p, val, item_ref);
		break;
	case K_STRS:
		check_list(v, p, val, item_str);
		break;
	case K_ENUM:
		item_enum(v, p, val);
		break;
	case K_ENUMS:
		check_list(v, p, val, item_enum);
		break;
	case K_DICT:
		if (!json_is_object(val))
			stix_problem(v, NULL, "not a dictionary");
		break;
	case K_HASHES:
		check_hashes(v, val);
		break;
	case K_OBJ:
		item_obj(v, p, val);
		break;
	case K_OBJS:
		check_list(v, p, val, item_obj);
		break;
	case K_LIST:
		check_list(v, p, val, item_any);
		break;
	case K_EXTS:
		check_extensions(v, val);
		break;
	default:
		break;
	}
}

static const stix_prop *table_find(const stix_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (t->props[i].name[0] == name[0] &&
		    strcmp(t->props[i].name, name) == 0)
			return &t->props[i];
	return NULL;
}

/* Property names: 3..250 of a-z A-Z 0-9 '_' (STIX 2.1 section 3.1). */
static bool prop_name_ok(const char *k)
{
	size_t n = strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789_");

	return k[n] == '\0' && n >= 3 && n <= 250;
}

/* Check obj's properties against t (first) and common (second, may be
   NULL); required ones missing are reported unless !required. */
static void check_props(stix_vctx *v, const json_t *obj, const stix_table *t,
			const stix_table *common, bool required)
{
	const char *k;
	const json_t *val;

	json_object_foreach((json_t *)obj, k, val) {
		const stix_prop *p = table_find(t, k);
		size_t old;

		if (!p)
			p = table_find(common, k);
		if (!p) {
			if (!prop_name_ok(k))
				stix_problem(v, k, "invalid property name");
			continue;
		}
		old = path_push(v, k);
		check_value(v, p, val);
		path_pop(v, old);
	}
	for (int pass = 0; required && pass < 2; pass++) {
		const stix_table *tt = pass ? common : t;

		for (size_t i = 0; tt && i < tt->n; i++) {
			const stix_prop *p = &tt->props[i];

			if ((p->flags & PF_REQ) && !json_object_get(obj, p->name) &&
			    (!pass || !table_find(t, p->name)))
				stix_problem(v, p->name, "required property missing");
		}
	}
}

void stix_check_table(stix_vctx *v, const json_t *obj, const stix_table *t)
{
	check_props(v, obj, t, NULL, true);
	if (t->rule)
		t->rule(v, obj);
}

/* The extensions dictionary: extension-definition ids (their extension_type
   from the closed list) or the predefined SCO extensions of this type. */
static void check_extensions(stix_vctx *v, const json_t *val)
{
	static const stix_prop ext_type = { .name = "extension_type",
					    .kind = K_ENUM, .vals = stix_ext_types };
	const char *k;
	const json_t *x;

	if (!json_is_object(val)) {
		stix_problem(v, NULL, "not a dictionary");
		return;
	}
	if (json_object_size(val) == 0)
		stix_problem(v, NULL, "empty dictionary");
	json_object_foreach((json_t *)val, k, x) {
		size_t old = path_push(v, k), n = strlen(k);

		if (strncmp(k, "extension-definition--", 22) == 0) {
			const json_t *et = json_object_get(x, "extension_type");

			if (!stix_id_valid(k, "extension-definition")) {
				stix_problem(v, NULL, "not an extension-definition identifier");
			} else if (!json_is_object(x)) {
				stix_problem(v, NULL, "not an object");
			} else if (!et) {
				stix_problem(v, "extension_type", "required property missing");
			} else {
				size_t o2 = path_push(v, "extension_type");

				item_enum(v, &ext_type, et);
				path_pop(v, o2);
			}
		} else if (n < 5 || strcmp(k + n - 4, "-ext") != 0 ||
			   !stix_type_name_ok(k, n)) {
			stix_problem(v, NULL, "not an extension name (NAME-ext or "
				     "an extension-definition identifier)");
		} else if (!json_is_object(x) || json_object_size(x) == 0) {
			stix_problem(v, NULL, "not a non-empty object");
		}
		/* predefined SCO extensions are checked by the caller, which
		   knows the object's type */
		path_pop(v, old);
	}
}

/* The predefined extensions of an SCO ("archive-ext" ...). */
static void check_sco_extensions(stix_vctx *v, const char *type,
				 const json_t *exts)
{
	const char *k;
	const json_t *x;

	json_object_foreach((json_t *)exts, k, x) {
		const stix_table *t;
		size_t old;

		if (strncmp(k, "extension-definition--", 22) == 0 ||
		    !json_is_object(x))
			continue;
		old = path_push(v, "extensions");
		t = stix_sco_ext_find(type, k);
		if (t) {
			size_t o2 = path_push(v, k);

			stix_check_table(v, x, t);
			path_pop(v, o2);
		} else if (strncmp(k, "x-", 2) != 0) {
			stix_problem(v, k, "unknown extension for %s", type);
		}
		path_pop(v, old);
	}
}

/* Whether obj declares itself a new object type through an extension
   definition (extension_type new-sdo/new-sco/new-sro). */
static bool has_new_type_extension(const json_t *obj)
{
	const json_t *exts = json_object_get(obj, "extensions");
	const char *k;
	const json_t *x;

	json_object_foreach((json_t *)exts, k, x) {
		const char *et = json_string_value(json_object_get(x, "extension_type"));

		if (strncmp(k, "extension-definition--", 22) == 0 && et &&
		    strncmp(et, "new-", 4) == 0)
			return true;
	}
	return false;
}

/* type, id and spec_version, which decide how the rest is read. */
static const stix_type *check_head(stix_vctx *v, const json_t *obj,
				   bool *custom)
{
	const char *type = json_string_value(json_object_get(obj, "type"));
	const char *id = json_string_value(json_object_get(obj, "id"));
	const json_t *svj = json_object_get(obj, "spec_version");
	const char *sv = json_string_value(svj);
	const stix_type *t = NULL;
	size_t tn;

	*custom = false;
	if (!type) {
		stix_problem(v, "type", json_object_get(obj, "type") ?
			     "not a string" : "required property missing");
		return NULL;
	}
	tn = strlen(type);
	if (!stix_type_name_ok(type, tn)) {
		stix_problem(v, "type", "invalid STIX type name");
		return NULL;
	}
	t = stix_type_find(type, tn);
	if (t && t->cls == STIX_CLS_BUNDLE) {
		stix_problem(v, "type", "a bundle is not allowed as an object");
		return NULL;
	}
	if (!t) {
		if (strncmp(type, "x-", 2) != 0 && !has_new_type_extension(obj)) {
			stix_problem(v, "type", "unknown STIX type \"%s\" (custom "
				     "types start with \"x-\")", type);
			return NULL;
		}
		*custom = true;
	}
	if (!id)
		stix_problem(v, "id", json_object_get(obj, "id") ? "not a string" :
			     "required property missing");
	else if (!stix_id_valid(id, NULL))
		stix_problem(v, "id", "not a STIX identifier (type--UUID)");
	else if (!stix_id_valid(id, type))
		stix_problem(v, "id", "identifier type does not match \"%s\"", type);
	if (svj && !sv)
		stix_problem(v, "spec_version", "not a string");
	else if (sv && strcmp(sv, "2.0") == 0)
		stix_problem(v, "spec_version", "STIX 2.0 object (upgrade it to 2.1)");
	else if (sv && strcmp(sv, "2.1") != 0)
		stix_problem(v, "spec_version", "unknown spec_version \"%.20s\"", sv);
	else if (!sv && !*custom && t->cls != STIX_CLS_SCO)
		stix_problem(v, "spec_version", "required property missing");
	return t;
}

size_t stix_validate(const json_t *obj, stix_problem_fn cb, void *ud)
{
	stix_vctx v = { .cb = cb, .ud = ud };
	const stix_type *t;
	const stix_table *common;
	bool custom;

	if (!json_is_object(obj)) {
		stix_problem(&v, NULL, "not a JSON object");
		return v.problems;
	}
	t = check_head(&v, obj, &custom);
	if (!t && !custom)
		return v.problems;
	if (custom) {
		/* unknown layout: check what the common properties say, and
		   require only what every STIX object has */
		check_props(&v, obj, &stix_common_sdo, NULL, false);
		stix_check_order(&v, obj, "created", "modified", false);
		if (json_object_get(obj, "granular_markings"))
			stix_rule_selectors(&v, obj);
		return v.problems;
	}
	switch (t->cls) {
	case STIX_CLS_SCO:
		common = &stix_common_sco;
		break;
	case STIX_CLS_MARK:
		common = NULL;
		break;
	default:
		common = &stix_common_sdo;
		break;
	}
	check_props(&v, obj, t->table, common, true);
	if (common == &stix_common_sdo)
		stix_check_order(&v, obj, "created", "modified", false);
	if (t->cls == STIX_CLS_SCO && json_is_object(json_object_get(obj, "extensions")))
		check_sco_extensions(&v, t->name, json_object_get(obj, "extensions"));
	if (t->table->rule)
		t->table->rule(&v, obj);
	if (json_object_get(obj, "granular_markings"))
		stix_rule_selectors(&v, obj);
	return v.problems;
}

size_t stix_validate_bundle(const json_t *root, stix_problem_fn cb, void *ud)
{
	static const stix_prop objects = { .name = "objects", .kind = K_LIST,
					   .flags = PF_EMPTY };
	stix_vctx v = { .cb = cb, .ud = ud };
	const char *type = json_string_value(json_object_get(root, "type"));
	const char *id = json_string_value(json_object_get(root, "id"));
	const json_t *sv = json_object_get(root, "spec_version");
	const json_t *objs = json_object_get(root, "objects");

	if (!type || strcmp(type, "bundle") != 0) {
		stix_problem(&v, "type", "not \"bundle\"");
		return v.problems;
	}
	if (!id)
		stix_problem(&v, "id", "required property missing");
	else if (!stix_id_valid(id, "bundle"))
		stix_problem(&v, "id", "not a bundle identifier (bundle--UUID)");
	if (sv && (!json_is_string(sv) || (strcmp(json_string_value(sv), "2.0") != 0 &&
					   strcmp(json_string_value(sv), "2.1") != 0)))
		stix_problem(&v, "spec_version", "unknown spec_version");
	if (objs) {
		size_t old = path_push(&v, "objects");

		check_list(&v, &objects, objs, item_obj_any);
		path_pop(&v, old);
	}
	return v.problems;
}
