/*
 * fuzz_jsplit.c — the bundle splitter and the JSON compactor (util/jsplit)
 * against jansson on arbitrary input:
 *  - when cc_jsplit_bundle accepts a text and every piece and the emptied
 *    envelope parse strictly, the whole text parses strictly too, with the
 *    same number of objects and the same objects;
 *  - spans lie inside the text and do not overlap;
 *  - compacting valid JSON gives an equal value.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/jsplit.h"

#define FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL)

static void check_split(const char *t, size_t len)
{
	cc_jspan *el, arr;
	size_t n, i, end = 0;
	json_t *whole, *env, *objs, *pieces;
	cc_buf b = CC_BUF_INIT;
	bool pieces_ok = true;

	if (!cc_jsplit_bundle(t, len, 64, &el, &n, &arr))
		return;
	assert(arr.off + arr.len <= len && t[arr.off] == '[' && t[arr.off + arr.len - 1] == ']');
	for (i = 0; i < n; i++) {
		assert(el[i].off >= end && el[i].off + el[i].len <= arr.off + arr.len);
		assert(t[el[i].off] == '{');
		end = el[i].off + el[i].len;
	}
	cc_buf_append(&b, t, arr.off);
	cc_buf_puts(&b, "[]");
	cc_buf_append(&b, t + arr.off + arr.len, len - arr.off - arr.len);
	env = json_loadb(b.data, b.len, FLAGS, NULL);
	cc_buf_free(&b);
	pieces = json_array();
	pieces_ok = env != NULL;
	for (i = 0; pieces_ok && i < n; i++) {
		json_t *o = json_loadb(t + el[i].off, el[i].len, FLAGS, NULL);
		pieces_ok = o != NULL;
		json_array_append_new(pieces, o ? o : json_null());
	}
	whole = json_loadb(t, len, FLAGS, NULL);
	if (pieces_ok) {        /* valid pieces make a valid whole, with these objects */
		objs = json_object_get(whole, "objects");
		assert(whole && json_array_size(objs) == n);
		assert(json_equal(objs, pieces));
	}
	json_decref(pieces);
	json_decref(whole);
	json_decref(env);
	free(el);
}

static void check_compact(const char *t, size_t len)
{
	json_t *a = json_loadb(t, len, FLAGS, NULL), *c;
	cc_buf b = CC_BUF_INIT;

	if (!a)
		return;
	cc_json_compact(t, len, &b);
	c = json_loadb(b.data ? b.data : "", b.len, FLAGS, NULL);
	assert(c && json_equal(a, c));
	json_decref(a);
	json_decref(c);
	cc_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_split((const char *)data, size);
	check_compact((const char *)data, size);
	return 0;
}
