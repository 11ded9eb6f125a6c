/*
 * facts.c — what storing a version takes from the object (id, type,
 * version, TLP, flags, and its search rows), made without the store so an
 * importer's worker threads can make it and the writing thread only binds.
 *
 * The search rows are packed into one buffer: a tag byte, then
 * NUL-terminated strings — 'n' name, 'a' alias: one value; 'w' the name
 * from one of its words on (after the first): one value; 'x' external
 * id: one value; 'v' observed value: one value; 'o' a sighting's
 * sighting_of_ref: one value; 'r' relationship: type,
 * source_ref, target_ref.
 */
#include <string.h>

#include "stix/stix.h"
#include "store/store_int.h"
#include "util/time.h"

static const char *str_prop(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void put_row(cc_buf *b, char tag, const char *v)
{
	cc_buf_putc(b, tag);
	cc_buf_append(b, v, strlen(v) + 1);
}

static void pack_aliases(cc_buf *b, const json_t *arr)
{
	size_t i;
	json_t *a;

	json_array_foreach(arr, i, a) {
		if (json_is_string(a))
			put_row(b, 'a', json_string_value(a));
	}
}

#define WORDS_MAX 16        /* a name's words searched from (after its first) */
#define NAME_LEN_MAX 256    /* longer names are searched from their start only */

static bool word_char(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* The name from each word after the first on ("RED SECRET GROUP":
 * "SECRET GROUP", "GROUP"), so that a search of a name's start by the
 * index finds a word in it too (store_find's word). */
static void pack_words(cc_buf *b, const char *name)
{
	size_t n = 0;

	if (strlen(name) > NAME_LEN_MAX)
		return;
	for (const char *p = name; *p && p[1] && n < WORDS_MAX; p++)
		if (!word_char((unsigned char)p[0]) && word_char((unsigned char)p[1])) {
			put_row(b, 'w', p + 1);
			n++;
		}
}

#define VALUES_MAX 32       /* observed values kept per object */
#define VALUE_LEN_MAX 1024  /* longer ones are not searched for */

static void put_value(cc_buf *b, const char *v, size_t n, size_t *count)
{
	if (n == 0 || n > VALUE_LEN_MAX || *count >= VALUES_MAX || memchr(v, 0, n))
		return;
	cc_buf_putc(b, 'v');
	cc_buf_append(b, v, n);
	cc_buf_putc(b, '\0');
	(*count)++;
}

/* The string literals of a STIX pattern ('...' with \' and \\ escapes):
 * the values an indicator looks for. */
static void pack_pattern(cc_buf *b, const char *p, size_t *count)
{
	cc_buf lit = CC_BUF_INIT;

	while (p && (p = strchr(p, '\'')) != NULL) {
		cc_buf_reset(&lit);
		for (p++; *p && *p != '\''; p++) {
			if (*p == '\\' && p[1])
				p++;
			cc_buf_putc(&lit, *p);
		}
		put_value(b, cc_buf_str(&lit), lit.len, count);
		if (*p)
			p++;
	}
	cc_buf_free(&lit);
}

/* What an object holds or looks for that an analyst may search by: an
 * SCO's value and hashes, an indicator's pattern literals. */
static void pack_values(const json_t *obj, const char *type, cc_buf *b)
{
	const char *v = str_prop(obj, "value"), *k;
	size_t count = 0;
	json_t *h;

	if (v)
		put_value(b, v, strlen(v), &count);
	json_object_foreach((json_t *)json_object_get(obj, "hashes"), k, h)
		if (json_is_string(h))
			put_value(b, json_string_value(h), json_string_length(h), &count);
	if (strcmp(type, "indicator") == 0 && str_prop(obj, "pattern") &&
	    (!str_prop(obj, "pattern_type") || strcmp(str_prop(obj, "pattern_type"), "stix") == 0))
		pack_pattern(b, str_prop(obj, "pattern"), &count);
}

static void pack_rows(const json_t *obj, const char *type, cc_buf *b)
{
	const char *name = str_prop(obj, "name");
	json_t *r;
	size_t i;

	if (name) {
		put_row(b, 'n', name);
		pack_words(b, name);
	}
	pack_aliases(b, json_object_get(obj, "aliases"));
	pack_aliases(b, json_object_get(obj, "x_mitre_aliases"));
	json_array_foreach(json_object_get(obj, "external_references"), i, r) {
		const char *x = str_prop(r, "external_id");
		if (x)
			put_row(b, 'x', x);
	}
	if (strcmp(type, "relationship") == 0) {
		const char *rt = str_prop(obj, "relationship_type");
		const char *src = str_prop(obj, "source_ref");
		const char *dst = str_prop(obj, "target_ref");
		if (rt && src && dst) {
			put_row(b, 'r', rt);
			cc_buf_append(b, src, strlen(src) + 1);
			cc_buf_append(b, dst, strlen(dst) + 1);
		}
	}
	if (strcmp(type, "sighting") == 0 && str_prop(obj, "sighting_of_ref"))
		put_row(b, 'o', str_prop(obj, "sighting_of_ref"));
	pack_values(obj, type, b);
}

int store_facts_fill(const json_t *obj, const char *where, store_facts *f, cc_err *e)
{
	memset(f, 0, sizeof(*f));
	f->id = str_prop(obj, "id");
	f->type = str_prop(obj, "type");
	if (!f->id || !f->type)
		return cc_err_set(e, CC_ERR, "%s: object without string id and type", where);
	f->idh = store_idhash(f->id, strlen(f->id));
	f->spec_version = str_prop(obj, "spec_version");
	if (!f->spec_version)
		f->spec_version = "";
	f->modified = str_prop(obj, "modified");
	if (!f->modified)
		f->modified = str_prop(obj, "created");
	if (!f->modified)
		f->modified = "";
	else if (!cc_ts_parse(f->modified, &f->modified_us))
		return cc_err_set(e, CC_ERR, "%s: modified: not a STIX timestamp", f->id);
	f->tlp = stix_tlp_level(obj);
	f->gtlp = stix_tlp_granular_level(obj);
	f->revoked = json_is_true(json_object_get(obj, "revoked"));
	f->deprecated = json_is_true(json_object_get(obj, "x_mitre_deprecated"));
	pack_rows(obj, f->type, &f->rows);
	return 0;
}

int store_facts_make(const json_t *obj, store_facts *f, cc_err *e)
{
	int rc = store_facts_fill(obj, "object", f, e);

	if (rc)
		store_facts_clear(f);
	return rc;
}

void store_facts_clear(store_facts *f)
{
	if (!f)
		return;
	cc_buf_free(&f->rows);
	memset(f, 0, sizeof(*f));
}

/* Call fn for each packed search row of f: tag 'n', 'a', 'w', 'v' or 'x' with its
 * value, or 'r' with the relationship type, source and target; stop at
 * the first nonzero return. */
typedef int (*row_fn)(store *s, int64_t vid, char tag, const char *v, const char *src,
		      const char *dst, cc_err *e);

static int each_row(store *s, int64_t vid, const store_facts *f, row_fn fn, cc_err *e)
{
	const char *p = f->rows.data, *end = p ? p + f->rows.len : NULL;
	int rc = 0;

	while (rc == 0 && p && p < end) {
		char tag = *p++;
		const char *v = p, *src = NULL, *dst = NULL;
		p += strlen(p) + 1;
		if (tag == 'r') {
			src = p;
			dst = p + strlen(p) + 1;
			p = dst + strlen(dst) + 1;
		}
		rc = fn(s, vid, tag, v, src, dst, e);
	}
	return rc;
}

int store_facts_kind(char tag)
{
	switch (tag) {
	case 'a': return 1;
	case 'v': return 2;
	case 'w': return 3;
	case 'o': return 4;
	default:  return 0;
	}
}

static int pend_row(store *s, int64_t vid, char tag, const char *v, const char *src,
		    const char *dst, cc_err *e)
{
	if (tag == 'r')
		return store_pend_rel(s, vid, v, src, dst, e);
	if (tag == 'x')
		return store_pend_extid(s, vid, v, e);
	return store_pend_name(s, vid, store_facts_kind(tag), v, e);
}

int store_facts_pend(store *s, int64_t vid, const store_facts *f, cc_err *e)
{
	return each_row(s, vid, f, pend_row, e);
}

static int unindex_row(store *s, int64_t vid, char tag, const char *v, const char *src,
		       const char *dst, cc_err *e)
{
	const char *sql = tag == 'r' ? "DELETE FROM rels WHERE src_h = ?1 AND vid = ?2"
		: tag == 'x' ? "DELETE FROM extids WHERE value = ?1 AND vid = ?2"
		: "DELETE FROM names WHERE value = ?1 AND vid = ?2";
	sqlite3_stmt *st = store_dyn_stmt(s, sql, e);
	int rc;

	(void)dst;
	if (!st)
		return CC_EIO;
	if (tag == 'r')
		sqlite3_bind_int64(st, 1, store_idhash(src, strlen(src)));
	else
		sqlite3_bind_text(st, 1, v, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, vid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "removing search rows");
}

/* The search rows of vid found without their keys: a walk of each table,
 * for a version whose JSON no longer gives them (never written so). */
static int unindex_scan(store *s, int64_t vid, cc_err *e)
{
	static const char *const del[] = {
		"DELETE FROM names WHERE vid = ?1", "DELETE FROM extids WHERE vid = ?1",
		"DELETE FROM rels WHERE vid = ?1",
	};
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(del) / sizeof(del[0]); i++)
		rc = store_exec_int(s, del[i], vid, "removing search rows", e);
	return rc;
}

int store_unindex(store *s, int64_t vid, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT json FROM versions WHERE vid = ?1", e);
	json_t *obj = NULL;
	store_facts f = { 0 };
	cc_err fe;
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, vid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		obj = json_loadb((const char *)sqlite3_column_blob(st, 0),
				 (size_t)sqlite3_column_bytes(st, 0), 0, NULL);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(s, rc, e, "reading a version");
	if (obj && store_facts_fill(obj, s->path, &f, &fe) == 0)
		rc = each_row(s, vid, &f, unindex_row, e);
	else
		rc = unindex_scan(s, vid, e);
	store_facts_clear(&f);
	json_decref(obj);
	return rc;
}

/* Insert the observed-value, name-word and sighting rows of a version
 * (schema step 7). */
static int value_row(store *s, int64_t vid, char tag, const char *v, const char *src,
		     const char *dst, cc_err *e)
{
	sqlite3_stmt *st;
	int rc;

	(void)src;
	(void)dst;
	if (tag != 'v' && tag != 'w' && tag != 'o')
		return 0;
	st = store_stmt(s, ST_INSERT_NAME, e);
	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, vid);
	sqlite3_bind_int(st, 2, store_facts_kind(tag));
	sqlite3_bind_text(st, 3, v, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "indexing observed values");
}

int store_facts_index_values(store *s, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, "SELECT vid, json FROM versions WHERE type = 'indicator'"
					  " OR json LIKE '%\"value\":%' OR json LIKE '%\"hashes\":%'"
					  " OR json LIKE '%\"name\":%' OR type = 'sighting'", e);
	int rc = 0, step;

	if (!st)
		return CC_EIO;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *obj = json_loadb((const char *)sqlite3_column_blob(st, 1),
					 (size_t)sqlite3_column_bytes(st, 1), 0, NULL);
		store_facts f = { 0 };
		cc_err fe;

		if (obj && store_facts_fill(obj, s->path, &f, &fe) == 0)
			rc = each_row(s, sqlite3_column_int64(st, 0), &f, value_row, e);
		store_facts_clear(&f);
		json_decref(obj);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_sqlerr(s, step, e, "indexing observed values");
	sqlite3_reset(st);
	return rc;
}
