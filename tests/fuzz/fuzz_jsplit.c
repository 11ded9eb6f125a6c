/*
 * fuzz_jsplit.c — the bundle splitter (util/jsplit)
 * against jansson on arbitrary input:
 *  - when cc_jsplit_bundle accepts a text and every piece and the emptied
 *    envelope parse strictly, the whole text parses strictly too, with the
 *    same number of objects and the same objects;
 *  - the same for cc_jsplit_array on an array of objects;
 *  - spans lie inside the text and do not overlap.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/jsplit.h"

#define FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL)

/* The spans lie in [lo, hi), in order, each the text of an object. */
static void check_spans(const char *t, const cc_jspan *el, size_t n, size_t lo, size_t hi)
{
	for (size_t i = 0; i < n; i++) {
		assert(el[i].off >= lo && el[i].off + el[i].len <= hi);
		assert(t[el[i].off] == '{');
		lo = el[i].off + el[i].len;
	}
}

/* The pieces parsed strictly, as an array; NULL when one does not parse. */
static json_t *parse_pieces(const char *t, const cc_jspan *el, size_t n)
{
	json_t *pieces = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_loadb(t + el[i].off, el[i].len, FLAGS, NULL);

		if (!o) {
			json_decref(pieces);
			return NULL;
		}
		json_array_append_new(pieces, o);
	}
	return pieces;
}

static void check_split(const char *t, size_t len)
{
	cc_jspan *el, arr;
	size_t n;
	json_t *whole, *env, *pieces;
	cc_buf b = CC_BUF_INIT;

	if (!cc_jsplit_bundle(t, len, 64, &el, &n, &arr))
		return;
	assert(arr.off + arr.len <= len && t[arr.off] == '[' && t[arr.off + arr.len - 1] == ']');
	check_spans(t, el, n, arr.off, arr.off + arr.len);
	cc_jsplit_envelope(t, len, arr, &b);
	env = json_loadb(b.data, b.len, FLAGS, NULL);
	cc_buf_free(&b);
	pieces = env ? parse_pieces(t, el, n) : NULL;
	whole = json_loadb(t, len, FLAGS, NULL);
	if (pieces) {           /* valid pieces make a valid whole, with these objects */
		json_t *objs = json_object_get(whole, "objects");

		assert(whole && json_array_size(objs) == n);
		assert(json_equal(objs, pieces));
	}
	json_decref(pieces);
	json_decref(whole);
	json_decref(env);
	free(el);
}

/* An array of objects: when every piece parses, so does the whole, with
 * these objects. */
static void check_split_array(const char *t, size_t len)
{
	cc_jspan *el;
	size_t n;
	json_t *whole, *pieces;

	if (!cc_jsplit_array(t, len, 64, &el, &n))
		return;
	check_spans(t, el, n, 0, len);
	pieces = parse_pieces(t, el, n);
	whole = json_loadb(t, len, FLAGS, NULL);
	if (pieces)
		assert(whole && json_equal(whole, pieces));
	json_decref(pieces);
	json_decref(whole);
	free(el);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_split((const char *)data, size);
	check_split_array((const char *)data, size);
	return 0;
}
