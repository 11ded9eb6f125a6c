/* Unit tests of the store's deferred search rows (src/store/pending.c):
 * names, aliases, external ids and relationships of versions stored in an
 * open transaction are visible to find and delete in that transaction,
 * written at commit, forgotten at rollback; and of util/jdump, the compact
 * serialiser that must give the bytes json_dumps gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "util/jdump.h"

#include "store_fixture.h"

/* An intrusion-set n with a name, an alias and an external id. */
static json_t *iset(int n, const char *name)
{
	char id[96], x[32];

	snprintf(id, sizeof(id), "intrusion-set--00000000-0000-4000-8000-%012d", n);
	snprintf(x, sizeof(x), "G%04d", n);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[{s:s, s:s}]}",
			 "type", "intrusion-set", "spec_version", "2.1", "id", id,
			 "created", "2020-01-01T00:00:00.000Z",
			 "modified", "2020-01-01T00:00:00.000Z", "name", name,
			 "aliases", name, "external_references", "source_name", "mitre-attack",
			 "external_id", x);
}

static json_t *uses(int n, int src, int dst)
{
	char id[96], s[96], d[96];

	snprintf(id, sizeof(id), "relationship--00000000-0000-4000-8000-%012d", n);
	snprintf(s, sizeof(s), "intrusion-set--00000000-0000-4000-8000-%012d", src);
	snprintf(d, sizeof(d), "intrusion-set--00000000-0000-4000-8000-%012d", dst);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type", "relationship",
			 "spec_version", "2.1", "id", id, "created", "2020-01-01T00:00:00.000Z",
			 "modified", "2020-01-01T00:00:00.000Z", "relationship_type", "uses",
			 "source_ref", s, "target_ref", d);
}

static void put_ok(fx *f, json_t *o)
{
	cc_err e = { 0 };

	if (store_put(f->s, f->coll, o, 0, NULL, &e))
		fail_msg("store_put: %s", e.msg);
	json_decref(o);
}

/* Rows of table in the file, read by a second connection (committed only). */
static int rows_in(fx *f, const char *table)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char sql[64];
	int n = -1;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void test_find_in_txn(void **state)
{
	fx *f = *state;
	cc_err e = { 0 };

	assert_int_equal(store_begin(f->s, &e), 0);
	for (int i = 1; i <= 50; i++)
		put_ok(f, iset(i, i % 2 ? "Odd Kraken" : "Even Squid"));
	put_ok(f, uses(100, 1, 2));
	assert_int_equal(rows_in(f, "names"), 0);          /* not committed yet */
	assert_int_equal(find_n(f, (store_find_query){ .alias = "odd kraken" }), 25);
	assert_int_equal(find_n(f, (store_find_query){ .external_id = "g0007" }), 1);
	assert_int_equal(find_n(f, (store_find_query){
		.related_to = "intrusion-set--00000000-0000-4000-8000-000000000002" }), 1);
	put_ok(f, iset(51, "Late Arrival"));               /* queued after a find */
	assert_int_equal(find_n(f, (store_find_query){ .name = "late" }), 1);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(rows_in(f, "names"), 102);        /* name + alias each */
	assert_int_equal(rows_in(f, "extids"), 51);
	assert_int_equal(rows_in(f, "rels"), 1);
}

static void test_rollback_and_delete(void **state)
{
	fx *f = *state;
	cc_err e = { 0 };
	const char *gone = "intrusion-set--00000000-0000-4000-8000-000000000003";
	store_query q = { .collection_id = f->coll, .ids = &gone, .n_ids = 1 };
	size_t removed = 0;

	put_ok(f, iset(1, "Kept"));                        /* own transaction */
	assert_int_equal(rows_in(f, "names"), 2);
	assert_int_equal(store_begin(f->s, &e), 0);
	put_ok(f, iset(2, "Dropped"));
	store_rollback(f->s);
	assert_int_equal(find_n(f, (store_find_query){ .alias = "dropped" }), 0);
	assert_int_equal(store_begin(f->s, &e), 0);        /* nothing left queued */
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(rows_in(f, "names"), 2);
	/* stored and deleted in one transaction: no search rows survive */
	assert_int_equal(store_begin(f->s, &e), 0);
	put_ok(f, iset(3, "Fleeting"));
	assert_int_equal(store_delete(f->s, &q, &removed, &e), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(rows_in(f, "names"), 2);
	assert_int_equal(rows_in(f, "extids"), 1);
	assert_int_equal(find_n(f, (store_find_query){ .alias = "fleeting" }), 0);
}

/* cc_json_dump_compact gives json_dumps's bytes, or false (out unchanged)
 * on a real. */
static void test_jdump(void **state)
{
	static const char *const cases[] = {
		"{\"a\":\"x\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\\u00e9\\u20ac\\ud83d\\ude00\","
		"\"\":{},\"e\":[],\"n\":null,\"t\":true,\"f\":false,"
		"\"i\":-9223372036854775807,\"z\":0,\"k\\\"\\n\":1}",
		"[1,[2,[3,{\"b\":\"v\\u0000w\",\"a\":[]}]]]", "\"s\"", "[]", "{}", "-1",
	};
	cc_buf b = CC_BUF_INIT;
	json_error_t err;
	json_t *v;
	char *j;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = json_loads(cases[i], JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
		assert_non_null(v);
		j = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		cc_buf_reset(&b);
		assert_true(cc_json_dump_compact(v, &b));
		assert_int_equal(b.len, strlen(j));
		assert_memory_equal(b.data, j, b.len);
		free(j);
		json_decref(v);
	}
	cc_buf_reset(&b);
	cc_buf_puts(&b, "keep");
	v = json_loads("{\"a\":[1,{\"r\":1.5}]}", 0, &err);
	assert_false(cc_json_dump_compact(v, &b));
	assert_string_equal(b.data, "keep");
	json_decref(v);
	cc_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find_in_txn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_and_delete, setup, teardown),
		cmocka_unit_test(test_jdump),
	};

	return cmocka_run_group_tests_name("store_pend", tests, NULL, NULL);
}
