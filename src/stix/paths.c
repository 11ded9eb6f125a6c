/*
 * paths.c — what an object path of a STIX pattern names, from the same
 * property tables the validator uses: whether the SCO type has the
 * property (through nested structures, lists, references and predefined
 * extensions), and what kind of value it holds.  The pattern checker
 * warns with it (pattern_lint).
 */
#include <string.h>

#include "stix/stix.h"
#include "stix/stix_int.h"

/* The property key of tables tabs[0..nt), or NULL. */
static const stix_prop *find_prop(const stix_table *const *tabs, size_t nt, const char *key)
{
	for (size_t t = 0; t < nt; t++)
		for (size_t i = 0; tabs[t] && i < tabs[t]->n; i++)
			if (!strcmp(tabs[t]->props[i].name, key))
				return &tabs[t]->props[i];
	return NULL;
}

static void no_prop(stix_path_info *out, size_t i, const char *why)
{
	out->status = STIX_PATH_NO_PROP;
	out->bad_step = i;
	out->why = why;
}

static void walk_tables(const stix_table *const *tabs, size_t nt, const char *type,
			const char *const *steps, size_t n, size_t i, stix_path_info *out);

/* The kind of a value of prop when the path ends at it. */
static void leaf(const stix_prop *p, stix_path_info *out)
{
	static const stix_value_kind kinds[] = {
		[K_STR] = STIX_VAL_STRING, [K_INT] = STIX_VAL_INT, [K_FLOAT] = STIX_VAL_FLOAT,
		[K_BOOL] = STIX_VAL_BOOL, [K_TS] = STIX_VAL_TIMESTAMP, [K_REF] = STIX_VAL_STRING,
		[K_REFS] = STIX_VAL_LIST, [K_STRS] = STIX_VAL_LIST, [K_ENUM] = STIX_VAL_STRING,
		[K_ENUMS] = STIX_VAL_LIST, [K_DICT] = STIX_VAL_OBJECT, [K_HASHES] = STIX_VAL_OBJECT,
		[K_HEX] = STIX_VAL_HEX, [K_BIN] = STIX_VAL_BINARY, [K_OBJ] = STIX_VAL_OBJECT,
		[K_OBJS] = STIX_VAL_LIST, [K_LIST] = STIX_VAL_LIST, [K_ANY] = STIX_VAL_ANY,
		[K_EXTS] = STIX_VAL_OBJECT,
	};

	out->status = STIX_PATH_OK;
	out->kind = p->kind < sizeof(kinds) / sizeof(kinds[0]) ? kinds[p->kind] : STIX_VAL_ANY;
	if (p->kind == K_ENUM)
		out->enum_vals = p->vals;
	if (p->kind == K_INT && (p->flags & PF_RANGE)) {
		out->ranged = true;
		out->lo = p->lo;
		out->hi = p->hi;
	}
}

/* Follow a reference: the next step in the first target type that has it. */
static void deref(const stix_prop *p, const char *const *steps, size_t n, size_t i,
		  stix_path_info *out)
{
	stix_path_info best = { 0 };

	if (!p->vals) {                 /* any SCO may be named */
		out->status = STIX_PATH_OK;
		out->kind = STIX_VAL_ANY;
		return;
	}
	no_prop(&best, i, "none of the types it may refer to has it");
	for (const char *const *t = p->vals; *t; t++) {
		const stix_type *ty = stix_type_find(*t, strlen(*t));
		const stix_table *tabs[2] = { ty ? ty->table : NULL, &stix_common_sco };
		stix_path_info r = { 0 };

		walk_tables(tabs, 2, *t, steps, n, i, &r);
		if (r.status == STIX_PATH_OK) {
			*out = r;
			return;
		}
		if (r.bad_step > best.bad_step)
			best = r;
	}
	*out = best;
}

/* The path continues (steps[i] exists) after property p of type. */
static void walk_prop(const stix_prop *p, const char *type, const char *const *steps, size_t n,
		      size_t i, stix_path_info *out)
{
	bool index = steps[i] == NULL;

	switch (p->kind) {
	case K_OBJ:
		if (index) {
			no_prop(out, i, "not a list");
			return;
		}
		walk_tables(&p->sub, 1, type, steps, n, i, out);
		return;
	case K_OBJS:
		if (!index) {
			no_prop(out, i, "a list: its elements need [*] or [n]");
			return;
		}
		if (i + 1 == n) {
			leaf(&(stix_prop){ .kind = K_OBJ }, out);
			return;
		}
		walk_tables(&p->sub, 1, type, steps, n, i + 1, out);
		return;
	case K_STRS:
	case K_ENUMS:
	case K_REFS:
	case K_LIST:
		if (!index) {
			no_prop(out, i, "a list: its elements need [*] or [n]");
			return;
		}
		if (p->kind == K_REFS && i + 1 < n) {
			deref(p, steps, n, i + 1, out);
			return;
		}
		if (i + 1 < n && p->kind != K_LIST) {
			no_prop(out, i + 1, "not an object");
			return;
		}
		out->status = STIX_PATH_OK;
		out->kind = p->kind == K_LIST ? STIX_VAL_ANY : STIX_VAL_STRING;
		if (p->kind == K_ENUMS)
			out->enum_vals = p->vals;
		return;
	case K_REF:
		if (index) {
			no_prop(out, i, "not a list");
			return;
		}
		deref(p, steps, n, i, out);
		return;
	case K_HASHES:
		if (index) {
			no_prop(out, i, "not a list");
			return;
		}
		if (i + 1 < n) {
			no_prop(out, i + 1, "not an object");
			return;
		}
		out->status = STIX_PATH_OK;
		out->kind = STIX_VAL_STRING;
		out->hash_alg = steps[i];
		return;
	case K_EXTS: {
		const stix_table *ext = index ? NULL : stix_sco_ext_find(type, steps[i]);

		if (index) {
			no_prop(out, i, "not a list");
			return;
		}
		if (!ext || i + 1 == n) {       /* custom extension, or the whole one */
			out->status = STIX_PATH_OK;
			out->kind = ext ? STIX_VAL_OBJECT : STIX_VAL_ANY;
			return;
		}
		walk_tables(&ext, 1, type, steps, n, i + 1, out);
		return;
	}
	case K_DICT:
	case K_ANY:
		out->status = STIX_PATH_OK;
		out->kind = STIX_VAL_ANY;
		return;
	default:
		no_prop(out, i, index ? "not a list" : "not an object");
		return;
	}
}

static void walk_tables(const stix_table *const *tabs, size_t nt, const char *type,
			const char *const *steps, size_t n, size_t i, stix_path_info *out)
{
	const stix_prop *p;

	if (!steps[i]) {
		no_prop(out, i, "not a list");
		return;
	}
	p = find_prop(tabs, nt, steps[i]);
	if (!p) {
		if (!strncmp(steps[i], "x_", 2)) {      /* a custom property */
			out->status = STIX_PATH_OK;
			out->kind = STIX_VAL_ANY;
			return;
		}
		no_prop(out, i, "no such property");
		return;
	}
	if (i + 1 == n) {
		leaf(p, out);
		return;
	}
	walk_prop(p, type, steps, n, i + 1, out);
}

void stix_path_lookup(const char *type, const char *const *steps, size_t n, stix_path_info *out)
{
	const stix_type *t = stix_type_find(type, strlen(type));
	const stix_table *tabs[2];

	memset(out, 0, sizeof(*out));
	if (!t) {
		out->status = strncmp(type, "x-", 2) ? STIX_PATH_NO_TYPE : STIX_PATH_OK;
		out->kind = STIX_VAL_ANY;
		return;
	}
	if (t->cls != STIX_CLS_SCO) {
		out->status = STIX_PATH_NOT_SCO;
		return;
	}
	if (n == 0) {
		out->status = STIX_PATH_OK;
		out->kind = STIX_VAL_OBJECT;
		return;
	}
	tabs[0] = t->table;
	tabs[1] = &stix_common_sco;
	walk_tables(tabs, 2, type, steps, n, 0, out);
}
