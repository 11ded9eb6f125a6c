/* Unit tests of src/util/jsplit: cutting a bundle's objects array (or a
 * top-level array) into pieces, giving up on other shapes, the envelope. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsplit.h"

static void piece_is(const char *t, const cc_jspan *sp, const char *want)
{
	assert_int_equal(sp->len, strlen(want));
	assert_memory_equal(t + sp->off, want, sp->len);
}

static void test_split(void **state)
{
	const char *t = " {\"type\": \"bundle\", \"objects\" : [ {\"a\":\"}]\\\"\"} ,\n"
			"{\"b\":[1,{\"c\":{}}]}],\"id\":\"x\"} \n";
	cc_jspan *el, arr;
	size_t n;

	(void)state;
	assert_true(cc_jsplit_bundle(t, strlen(t), 16, &el, &n, &arr));
	assert_int_equal(n, 2);
	piece_is(t, &el[0], "{\"a\":\"}]\\\"\"}");
	piece_is(t, &el[1], "{\"b\":[1,{\"c\":{}}]}");
	assert_int_equal(t[arr.off], '[');
	assert_int_equal(t[arr.off + arr.len - 1], ']');
	free(el);
	t = "{\"objects\":[{\"a\":\"\\\\\"}, {\"b\":\"\\\\\\\"]\"}]}";
	assert_true(cc_jsplit_bundle(t, strlen(t), 16, &el, &n, &arr));
	assert_int_equal(n, 2);
	piece_is(t, &el[0], "{\"a\":\"\\\\\"}");
	piece_is(t, &el[1], "{\"b\":\"\\\\\\\"]\"}");
	free(el);
	t = "{\"objects\":[]}";
	assert_true(cc_jsplit_bundle(t, strlen(t), 16, &el, &n, &arr));
	assert_int_equal(n, 0);
	free(el);
}

static void test_split_gives_up(void **state)
{
	static const char *const bad[] = {
		"[{\"a\":1}]",                              /* not an object */
		"{\"type\":\"bundle\"}",                    /* no objects */
		"{\"objects\":[{}],\"objects\":[{}]}",      /* twice */
		"{\"objects\":[1,{}]}",                     /* element not an object */
		"{\"objects\":[{}] \"x\":1}",               /* missing comma */
		"{\"objects\":[{},]}",                      /* trailing comma */
		"{\"objects\":[{}],}",
		"{\"objects\":[{\"a\":\"}]}",               /* unterminated string */
		"{\"objects\":[{}]} x",                     /* trailing garbage */
		"{\"objects\":[{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}]}",  /* too deep */
	};
	cc_jspan *el, arr;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(cc_jsplit_bundle(bad[i], strlen(bad[i]), 16, &el, &n, &arr));
		assert_null(el);
	}
}

static void test_split_array(void **state)
{
	static const char *const bad[] = {
		"{\"objects\":[{}]}", "[1]", "[{},]", "[{}", "[{}] x", "[{}][{}]",
		"[{\"a\":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]}]",     /* too deep */
	};
	const char *t = " [ {\"a\":\"]\"} ,\n{\"b\":[{}]} ] \n";
	cc_jspan *el;
	size_t n;

	(void)state;
	assert_true(cc_jsplit_array(t, strlen(t), 16, &el, &n));
	assert_int_equal(n, 2);
	piece_is(t, &el[0], "{\"a\":\"]\"}");
	piece_is(t, &el[1], "{\"b\":[{}]}");
	free(el);
	assert_true(cc_jsplit_array("[]", 2, 16, &el, &n));
	assert_int_equal(n, 0);
	assert_null(el);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(cc_jsplit_array(bad[i], strlen(bad[i]), 16, &el, &n));
		assert_null(el);
		assert_int_equal(n, 0);
	}
}

static void test_envelope(void **state)
{
	const char *t = "{\"type\":\"bundle\", \"objects\": [{\"a\":1}, {}] ,\"id\":\"x\"}";
	cc_buf b = CC_BUF_INIT;
	cc_jspan *el, arr;
	size_t n;

	(void)state;
	assert_true(cc_jsplit_bundle(t, strlen(t), 16, &el, &n, &arr));
	cc_jsplit_envelope(t, strlen(t), arr, &b);
	assert_string_equal(cc_buf_str(&b), "{\"type\":\"bundle\", \"objects\": [] ,\"id\":\"x\"}");
	cc_buf_free(&b);
	free(el);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_gives_up),
		cmocka_unit_test(test_split_array),
		cmocka_unit_test(test_envelope),
	};

	return cmocka_run_group_tests_name("jsplit", tests, NULL, NULL);
}
