/* Unit tests of the store's deferred rows (src/store/pending.c): ids rows
 * and search rows (names, aliases, external ids, relationships) of versions
 * stored in an open transaction are visible to get, find and delete in
 * that transaction, written at commit, forgotten at rollback; of a bulk
 * writer's id filter (src/store/idset.c); and of util/jdump, the compact
 * serialiser that must give the bytes json_dumps gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "util/jdump.h"
#include "util/time.h"

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

/* A tool n at version modified. */
static json_t *tool(int n, const char *modified)
{
	char id[96];

	snprintf(id, sizeof(id), "tool--00000000-0000-4000-8000-%012d", n);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "tool", "spec_version", "2.1",
			 "id", id, "created", "2020-01-01T00:00:00.000Z", "modified", modified,
			 "name", "t");
}

/* Store o (taking it) through s; *added tells a new entry from a duplicate. */
static void put_on(store *s, int64_t coll, json_t *o, bool *added)
{
	store_put_result r;
	cc_err e = { 0 };

	if (store_put(s, coll, o, 0, &r, &e))
		fail_msg("store_put: %s", e.msg);
	if (added)
		*added = r.added;
	json_decref(o);
}

static void put_ok(fx *f, json_t *o)
{
	put_on(f->s, f->coll, o, NULL);
}

/* A store_row_fn keeping the last row's modified. */
static int last_modified(const store_row *r, void *ud)
{
	snprintf(ud, 32, "%s", r->modified);
	return 0;
}

/* Versions of tool n in the store, and the modified of the latest. */
static int tool_versions(store *s, int n, char latest[32])
{
	char id[96];
	int count = 0;
	cc_err e = { 0 };

	snprintf(id, sizeof(id), "tool--00000000-0000-4000-8000-%012d", n);
	if (store_get(s, id, 0, true, count_row, &count, &e) == CC_ENOTFOUND)
		return 0;
	assert_int_equal(store_get(s, id, 0, false, last_modified, latest, &e), 0);
	return count;
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
	assert_int_equal(rows_in(f, "names"), 153);        /* name, alias, 2nd word on */
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

/* Versions stored in a transaction are found by id before their ids rows
 * are written; an id stored twice in one transaction is a new version or
 * a duplicate as if committed in between. */
static void test_ids_in_txn(void **state)
{
	fx *f = *state;
	cc_err e = { 0 };
	char latest[32];
	bool added;

	assert_int_equal(store_begin(f->s, &e), 0);
	put_ok(f, tool(1, "2021-01-01T00:00:00.000Z"));
	put_ok(f, tool(2, "2021-01-01T00:00:00.000Z"));
	put_on(f->s, f->coll, tool(2, "2022-01-01T00:00:00.000Z"), &added);
	assert_true(added);
	put_on(f->s, f->coll, tool(2, "2021-01-01T00:00:00.000Z"), &added);
	assert_false(added);                                        /* queued, still known */
	put_on(f->s, f->coll, tool(2, "2020-06-01T00:00:00.000Z"), &added);
	assert_true(added);
	assert_int_equal(rows_in(f, "ids"), 0);                     /* not committed */
	assert_int_equal(tool_versions(f->s, 1, latest), 1);        /* a read flushes */
	put_on(f->s, f->coll, tool(1, "2021-01-01T00:00:00.000Z"), &added);
	assert_false(added);
	assert_int_equal(tool_versions(f->s, 2, latest), 3);
	assert_string_equal(latest, "2022-01-01T00:00:00.000Z");
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(rows_in(f, "ids"), 4);
	assert_int_equal(store_begin(f->s, &e), 0);
	put_ok(f, tool(3, "2021-01-01T00:00:00.000Z"));
	store_rollback(f->s);
	assert_int_equal(tool_versions(f->s, 3, latest), 0);
	assert_int_equal(rows_in(f, "ids"), 4);
	/* a committed relationship's search rows go with it */
	put_ok(f, uses(100, 1, 2));
	assert_int_equal(rows_in(f, "rels"), 1);
	{
		const char *id = "relationship--00000000-0000-4000-8000-000000000100";
		store_query q = { .collection_id = f->coll, .ids = &id, .n_ids = 1 };
		size_t removed = 0;
		assert_int_equal(store_delete(f->s, &q, &removed, &e), 0);
		assert_int_equal(removed, 1);
	}
	assert_int_equal(rows_in(f, "rels"), 0);
}

/* A bulk writer's id filter: once built (after 8,192 puts) it must still
 * let duplicates and new versions of stored ids through to the index, and
 * it must not survive another connection's commit. */
static void test_bulk_filter(void **state)
{
	fx *f = *state;
	cc_err e = { 0 };
	char latest[32];
	store *other;
	bool added;

	assert_int_equal(store_bulk_writer(f->s, &e), 0);
	assert_int_equal(store_begin(f->s, &e), 0);
	for (int i = 1; i <= 9000; i++)
		put_ok(f, tool(i, "2021-01-01T00:00:00.000Z"));
	put_on(f->s, f->coll, tool(5, "2021-01-01T00:00:00.000Z"), &added);
	assert_false(added);                                        /* before the filter */
	put_on(f->s, f->coll, tool(8999, "2021-01-01T00:00:00.000Z"), &added);
	assert_false(added);                                        /* after it */
	put_on(f->s, f->coll, tool(8999, "2023-01-01T00:00:00.000Z"), &added);
	assert_true(added);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(tool_versions(f->s, 8999, latest), 2);
	assert_string_equal(latest, "2023-01-01T00:00:00.000Z");
	/* another writer stores an id the filter has never seen */
	assert_int_equal(store_open(f->path, &other, &e), 0);
	put_on(other, f->coll, tool(77777, "2021-01-01T00:00:00.000Z"), &added);
	assert_true(added);
	store_close(other);
	put_on(f->s, f->coll, tool(77777, "2021-01-01T00:00:00.000Z"), &added);
	assert_false(added);
	assert_int_equal(tool_versions(f->s, 77777, latest), 1);
	put_on(f->s, f->coll, tool(9001, "2021-01-01T00:00:00.000Z"), &added);
	assert_true(added);
	assert_int_equal(rows_in(f, "ids"), 9003);
}

/* The filter grows by being rebuilt from ids when full (at 65,536 ids for
 * an empty store): the id whose put makes it grow must be in it after. */
static void test_bulk_filter_grows(void **state)
{
	fx *f = *state;
	cc_err e = { 0 };
	bool added;

	assert_int_equal(store_bulk_writer(f->s, &e), 0);
	assert_int_equal(store_begin(f->s, &e), 0);
	for (int i = 1; i <= 65600; i++)
		put_ok(f, tool(i, "2021-01-01T00:00:00.000Z"));
	for (int i = 65470; i <= 65600; i++) {     /* around the growth */
		put_on(f->s, f->coll, tool(i, "2021-01-01T00:00:00.000Z"), &added);
		if (added)
			fail_msg("tool %d stored twice", i);
	}
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(rows_in(f, "ids"), 65600);
}

/* A VFS over the default one that counts the syncs of write-ahead logs:
 * each file it opens keeps the default's file object, with a copy of the
 * default's methods for that kind of file whose xSync counts when the file
 * is a WAL and then calls the default's. */
static sqlite3_vfs *real_vfs, count_vfs;
static const sqlite3_io_methods *real_io[4];
static sqlite3_io_methods count_io[4];
static sqlite3_file *wal_files[8];
static int wal_syncs;

static int count_sync(sqlite3_file *f, int flags)
{
	for (size_t i = 0; i < sizeof(wal_files) / sizeof(wal_files[0]); i++)
		if (wal_files[i] == f)
			wal_syncs++;
	return real_io[f->pMethods - count_io]->xSync(f, flags);
}

static int count_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	int rc = real_vfs->xOpen(real_vfs, name, f, flags, out);
	size_t k = 0;

	(void)vfs;
	if (rc != SQLITE_OK || !f->pMethods)
		return rc;
	while (k < 4 && real_io[k] && real_io[k] != f->pMethods)
		k++;
	if (k == 4)
		fail_msg("the default VFS has more than 4 kinds of file");
	if (!real_io[k]) {
		real_io[k] = f->pMethods;
		count_io[k] = *f->pMethods;
		count_io[k].xSync = count_sync;
	}
	f->pMethods = &count_io[k];
	for (size_t i = 0; (flags & SQLITE_OPEN_WAL) && i < sizeof(wal_files) / sizeof(wal_files[0]); i++)
		if (!wal_files[i]) {
			wal_files[i] = f;
			break;
		}
	return rc;
}

/* Lazy commits: a handle after store_set_lazy commits without syncing the
 * WAL (its commits visible to other handles at once), store_sync syncs it
 * once and makes the handle's commits durable again, and a lazy handle's
 * close syncs; neither call is taken inside a transaction. */
static void test_lazy_commits(void **state)
{
	fx *f = *state;
	cc_err e = { 0 };
	char latest[32];
	store *s;
	int n;

	real_vfs = sqlite3_vfs_find(NULL);
	count_vfs = *real_vfs;
	count_vfs.zName = "count-syncs";
	count_vfs.xOpen = count_open;
	assert_int_equal(sqlite3_vfs_register(&count_vfs, 1), SQLITE_OK);
	assert_int_equal(store_open(f->path, &s, &e), 0);
	sqlite3_vfs_register(real_vfs, 1);      /* only s counts */

	assert_int_equal(store_begin(s, &e), 0);
	put_on(s, f->coll, tool(1, "2021-01-01T00:00:00.000Z"), NULL);
	assert_int_equal(store_commit(s, &e), 0);
	assert_true(wal_syncs >= 1);                            /* durable by default */
	n = wal_syncs;
	assert_int_equal(store_sync(s, &e), 0);                 /* nothing lazy: no sync */
	assert_int_equal(wal_syncs, n);

	assert_int_equal(store_set_lazy(s, &e), 0);
	for (int i = 2; i <= 4; i++) {
		assert_int_equal(store_begin(s, &e), 0);
		put_on(s, f->coll, tool(i, "2021-01-01T00:00:00.000Z"), NULL);
		assert_int_equal(store_commit(s, &e), 0);
		assert_int_equal(tool_versions(f->s, i, latest), 1);    /* seen by others */
	}
	put_on(s, f->coll, tool(5, "2021-01-01T00:00:00.000Z"), NULL);  /* a txn of its own */
	assert_int_equal(wal_syncs, n);                         /* none of them synced */
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_not_equal(store_sync(s, &e), 0);             /* not inside a txn */
	assert_int_not_equal(store_set_lazy(s, &e), 0);
	store_rollback(s);
	assert_int_equal(store_sync(s, &e), 0);
	assert_int_equal(wal_syncs, n + 1);

	put_on(s, f->coll, tool(6, "2021-01-01T00:00:00.000Z"), NULL);
	assert_true(wal_syncs >= n + 2);                        /* durable again */
	n = wal_syncs;
	assert_int_equal(store_set_lazy(s, &e), 0);
	put_on(s, f->coll, tool(7, "2021-01-01T00:00:00.000Z"), NULL);
	assert_int_equal(wal_syncs, n);
	store_close(s);                                         /* f->s still open: no checkpoint */
	assert_int_equal(wal_syncs, n + 1);
	sqlite3_vfs_unregister(&count_vfs);
	for (int i = 1; i <= 7; i++)
		assert_int_equal(tool_versions(f->s, i, latest), 1);
}

/* A writer whose transactions follow each other at once (as a pull's do):
 * YIELD_ROUNDS transactions that each hold the write lock YIELD_HOLD_MS,
 * with store_yield between them. */
#define YIELD_ROUNDS 4
#define YIELD_HOLD_MS 1100

typedef struct yield_writer {
	const char *path;
	int64_t coll;
	int64_t first_commit_us;        /* when its first transaction ended */
	int64_t done_us;                /* when its last did */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool started;                   /* its first transaction holds the lock */
	int rc;
} yield_writer;

static void *yield_writer_main(void *arg)
{
	yield_writer *w = arg;
	cc_err e = { 0 };
	store *s;
	store_put_result r;

	w->rc = store_open(w->path, &s, &e);
	for (int i = 0; w->rc == 0 && i < YIELD_ROUNDS; i++) {
		json_t *o = tool(900 + i, "2021-01-01T00:00:00.000Z");

		w->rc = store_begin(s, &e);
		if (w->rc == 0)
			w->rc = store_put(s, w->coll, o, 0, &r, &e);
		json_decref(o);
		pthread_mutex_lock(&w->mu);
		w->started = true;
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
		nanosleep(&(struct timespec){ YIELD_HOLD_MS / 1000, YIELD_HOLD_MS % 1000 * 1000000L },
			  NULL);
		if (w->rc == 0)
			w->rc = store_commit(s, &e);
		if (i == 0)
			w->first_commit_us = cc_mono_us();
		store_yield(s);
	}
	w->done_us = cc_mono_us();
	store_close(s);
	return NULL;
}

/* Another writer that asks for the lock while the first holds it gets it
 * when that transaction ends (store_yield leaves it free for a moment, and
 * the busy handler tries every millisecond), not after the last one: with
 * SQLite's own busy handler, which tries at most every 100 ms, it waited
 * for all of them. */
static void test_yield(void **state)
{
	fx *f = *state;
	yield_writer w = { f->path, f->coll, 0, 0, PTHREAD_MUTEX_INITIALIZER,
			   PTHREAD_COND_INITIALIZER, false, 0 };
	cc_err e = { 0 };
	char latest[32];
	pthread_t th;
	int64_t got_us;

	assert_int_equal(pthread_create(&th, NULL, yield_writer_main, &w), 0);
	pthread_mutex_lock(&w.mu);
	while (!w.started)
		pthread_cond_wait(&w.cv, &w.mu);
	pthread_mutex_unlock(&w.mu);
	assert_int_equal(store_begin(f->s, &e), 0);             /* waits for the lock */
	got_us = cc_mono_us();
	put_ok(f, tool(1, "2021-01-01T00:00:00.000Z"));
	assert_int_equal(store_commit(f->s, &e), 0);
	pthread_join(th, NULL);
	assert_int_equal(w.rc, 0);
	if (got_us > w.done_us)
		fail_msg("the second writer got the lock after the first writer's last transaction");
	if (got_us - w.first_commit_us > 500000)
		fail_msg("the second writer got the lock %.2f s after the first transaction ended",
			 (double)(got_us - w.first_commit_us) / 1e6);
	for (int i = 0; i < YIELD_ROUNDS; i++)
		assert_int_equal(tool_versions(f->s, 900 + i, latest), 1);
	assert_int_equal(tool_versions(f->s, 1, latest), 1);
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
		cmocka_unit_test_setup_teardown(test_ids_in_txn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_filter_grows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lazy_commits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yield, setup, teardown),
		cmocka_unit_test(test_jdump),
	};

	return cmocka_run_group_tests_name("store_pend", tests, NULL, NULL);
}
