/* Unit tests of src/store: versions, duplicates, date_added, last/first,
 * queries and paging, TLP filtering, find, members, migration, rollback. */
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

#include "stix/stix.h"
#include "store/store.h"
#include "util/time.h"

#include "store_fixture.h"
#include "store/store_int.h"

/* An indicator-like object; uuid_tail distinguishes ids. */
static json_t *obj(const char *type, int n, const char *modified)
{
	char id[128];

	snprintf(id, sizeof(id), "%s--00000000-0000-4000-8000-%012d", type, n);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", type, "spec_version", "2.1",
			 "id", id, "created", "2020-01-01T00:00:00.000Z", "modified", modified,
			 "name", "object");
}

static void put_ok(fx *f, int64_t coll, json_t *o, int64_t org, store_put_result *r)
{
	cc_err e = { 0 };
	store_put_result tmp;
	int rc = store_put(f->s, coll, o, org, r ? r : &tmp, &e);

	if (rc)
		fail_msg("store_put: %s", e.msg);
	json_decref(o);
}

/* Collect rows: ids and modified into arrays. */
typedef struct rows {
	int n;
	char id[512][80];
	char modified[512][40];
	int64_t da[512];
	char json[4][256];
} rows;

static int collect(const store_row *r, void *ud)
{
	rows *rs = ud;

	if (rs->n < 4)
		snprintf(rs->json[rs->n], sizeof(rs->json[0]), "%s", r->json);
	snprintf(rs->id[rs->n], sizeof(rs->id[0]), "%s", r->id);
	snprintf(rs->modified[rs->n], sizeof(rs->modified[0]), "%s", r->modified);
	rs->da[rs->n] = r->date_added_us;
	assert_int_equal(strlen(r->json), r->json_len);
	rs->n++;
	return 0;
}

static void query(fx *f, const store_query *q, rows *rs, bool *more)
{
	cc_err e = { 0 };

	memset(rs, 0, sizeof(*rs));
	if (store_query_run(f->s, q, collect, rs, more, &e))
		fail_msg("store_query_run: %s", e.msg);
}

static void test_versions(void **state)
{
	fx *f = *state;
	store_put_result r;
	store_query q = { 0 };
	rows rs;
	cc_err e = { 0 };
	int64_t v1;

	put_ok(f, f->coll, obj("indicator", 1, "2021-01-01T00:00:00.000Z"), 0, &r);
	assert_true(r.new_version && r.added);
	put_ok(f, f->coll, obj("indicator", 1, "2022-01-01T00:00:00.000Z"), 0, &r);
	assert_true(r.new_version && r.added);
	put_ok(f, f->coll, obj("indicator", 1, "2020-06-01T00:00:00.000Z"), 0, &r);
	assert_true(r.new_version && r.added);

	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_get(f->s, "indicator--00000000-0000-4000-8000-000000000001", 0,
				   false, collect, &rs, &e), 0);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.modified[0], "2022-01-01T00:00:00.000Z");
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_get(f->s, "indicator--00000000-0000-4000-8000-000000000001",
				   f->coll, true, collect, &rs, &e), 0);
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.modified[0], "2020-06-01T00:00:00.000Z");
	assert_string_equal(rs.modified[2], "2022-01-01T00:00:00.000Z");
	assert_int_equal(store_get(f->s, "indicator--00000000-0000-4000-8000-000000000009", 0,
				   false, collect, &rs, &e), CC_ENOTFOUND);

	for (int c = 0; c < 2; c++) {   /* per collection and per store */
		q.collection_id = c ? f->coll : 0;
		q.versions = 0;
		query(f, &q, &rs, NULL);
		assert_int_equal(rs.n, 1);
		assert_string_equal(rs.modified[0], "2022-01-01T00:00:00.000Z");
		q.versions = STORE_VER_FIRST;
		query(f, &q, &rs, NULL);
		assert_int_equal(rs.n, 1);
		assert_string_equal(rs.modified[0], "2020-06-01T00:00:00.000Z");
		q.versions = STORE_VER_FIRST | STORE_VER_LAST;
		query(f, &q, &rs, NULL);
		assert_int_equal(rs.n, 2);
		q.versions = STORE_VER_ALL;
		query(f, &q, &rs, NULL);
		assert_int_equal(rs.n, 3);
		/* in date_added order: as put */
		assert_string_equal(rs.modified[0], "2021-01-01T00:00:00.000Z");
		assert_true(rs.da[0] < rs.da[1] && rs.da[1] < rs.da[2]);
		assert_true(cc_ts_parse("2021-01-01T00:00:00.000Z", &v1));
		q.versions = 0;
		q.version_us = &v1;
		q.n_version_us = 1;
		query(f, &q, &rs, NULL);
		assert_int_equal(rs.n, 1);
		assert_string_equal(rs.modified[0], "2021-01-01T00:00:00.000Z");
		q.version_us = NULL;
		q.n_version_us = 0;
	}
}

static void test_duplicates(void **state)
{
	fx *f = *state;
	store_put_result r;
	json_t *o;
	rows rs;
	cc_err e = { 0 };
	store_collection c2;

	put_ok(f, f->coll, obj("malware", 1, "2021-01-01T00:00:00.000Z"), 0, &r);
	assert_true(r.added);
	put_ok(f, f->coll, obj("malware", 1, "2021-01-01T00:00:00.000Z"), 0, &r);
	assert_false(r.added);
	assert_false(r.new_version);
	/* same version, other content, other spelling of the same instant: first wins */
	o = obj("malware", 1, "2021-01-01T00:00:00Z");
	json_object_set_new(o, "name", json_string("changed"));
	put_ok(f, f->coll, o, 0, &r);
	assert_false(r.added);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_get(f->s, "malware--00000000-0000-4000-8000-000000000001", 0,
				   true, collect, &rs, &e), 0);
	assert_int_equal(rs.n, 1);
	assert_non_null(strstr(rs.json[0], "\"name\":\"object\""));
	/* key order kept, compact */
	assert_true(strncmp(rs.json[0], "{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":", 44) == 0);

	/* the same version in a second collection: not a new version, but added */
	assert_int_equal(store_collection_add(f->s, "second", "Second", NULL, NULL, &c2, &e), 0);
	put_ok(f, c2.id, obj("malware", 1, "2021-01-01T00:00:00.000Z"), 0, &r);
	assert_true(r.added);
	assert_false(r.new_version);
	store_query q = { .collection_id = 0, .versions = STORE_VER_ALL };
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	q.collection_id = c2.id;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_int_equal(store_collection_add(f->s, "second", NULL, NULL, NULL, NULL, &e),
			 CC_ECONFLICT);
	store_collection_clear(&c2);
}

/* Move the store's last date_added into the future with plain SQLite. */
static void set_last_da(fx *f, int64_t v)
{
	sqlite3 *db;
	char sql[128];

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	snprintf(sql, sizeof(sql), "UPDATE meta SET value = %lld WHERE key = 'last_date_added'",
		 (long long)v);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_date_added(void **state)
{
	fx *f = *state;
	store_put_result r;
	cc_err e = { 0 };
	int64_t prev = 0, future = cc_now_us() + 3600LL * 1000000;

	assert_int_equal(store_begin(f->s, &e), 0);
	for (int i = 0; i < 2000; i++) {
		put_ok(f, f->coll, obj("indicator", i, "2021-01-01T00:00:00.000Z"), 0, &r);
		assert_true(r.date_added_us > prev);
		prev = r.date_added_us;
	}
	assert_int_equal(store_commit(f->s, &e), 0);
	/* with the clock behind the last value, every put is last + 1 exactly,
	 * i.e. many puts within one microsecond of the clock stay unique */
	set_last_da(f, future);
	assert_int_equal(store_begin(f->s, &e), 0);
	for (int i = 0; i < 1000; i++) {
		put_ok(f, f->coll, obj("tool", i, "2021-01-01T00:00:00.000Z"), 0, &r);
		assert_int_equal(r.date_added_us, future + 1 + i);
	}
	assert_int_equal(store_commit(f->s, &e), 0);
	/* another handle continues after it, also outside explicit transactions */
	store_close(f->s);
	assert_int_equal(store_open(f->path, &f->s, &e), 0);
	put_ok(f, f->coll, obj("tool", 5000, "2021-01-01T00:00:00.000Z"), 0, &r);
	assert_int_equal(r.date_added_us, future + 1001);
	/* a rolled-back put does not make the sequence go back or repeat */
	assert_int_equal(store_begin(f->s, &e), 0);
	put_ok(f, f->coll, obj("tool", 5001, "2021-01-01T00:00:00.000Z"), 0, &r);
	store_rollback(f->s);
	put_ok(f, f->coll, obj("tool", 5002, "2021-01-01T00:00:00.000Z"), 0, &r);
	assert_int_equal(r.date_added_us, future + 1002);
}

static void test_query_filters(void **state)
{
	fx *f = *state;
	store_query q = { 0 };
	rows rs;
	bool more;
	const char *types[] = { "malware", "tool" };
	const char *ids[] = { "tool--00000000-0000-4000-8000-000000000004",
			      "indicator--00000000-0000-4000-8000-000000000005" };
	const char *specs[] = { "2.0" };
	json_t *o;
	size_t n;
	cc_err e = { 0 };

	for (int i = 0; i < 30; i++)
		put_ok(f, f->coll, obj(i % 3 == 0 ? "malware" : i % 3 == 1 ? "tool" : "indicator",
				      i, "2021-01-01T00:00:00.000Z"), 0, NULL);
	o = obj("indicator", 99, "2021-01-01T00:00:00.000Z");
	json_object_set_new(o, "spec_version", json_string("2.0"));
	put_ok(f, f->coll, o, 0, NULL);

	q.collection_id = f->coll;
	q.types = types;
	q.n_types = 2;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 20);
	assert_int_equal(store_query_count(f->s, &q, &n, &e), 0);
	assert_int_equal(n, 20);
	q.ids = ids;
	q.n_ids = 2;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.id[0], ids[0]);
	q.n_types = 0;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	q.n_ids = 0;
	q.spec_versions = specs;
	q.n_spec = 1;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.id[0], "indicator--00000000-0000-4000-8000-000000000099");
	q.n_spec = 0;
	/* added_after and limit */
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 31);
	q.added_after_us = rs.da[9];
	q.limit = 5;
	query(f, &q, &rs, &more);
	assert_int_equal(rs.n, 5);
	assert_true(more);
	assert_string_equal(rs.id[0], "tool--00000000-0000-4000-8000-000000000010");
	q.limit = 21;
	query(f, &q, &rs, &more);
	assert_int_equal(rs.n, 21);
	assert_false(more);
}

static void test_paging(void **state)
{
	fx *f = *state;
	store_query q = { 0 };
	rows rs;
	bool more = true;
	int seen = 0, pages = 0;
	char last_id[80] = "";

	assert_int_equal(store_begin(f->s, NULL), 0);
	for (int i = 0; i < 250; i++)
		put_ok(f, f->coll, obj("indicator", i, "2021-01-01T00:00:00.000Z"), 0, NULL);
	assert_int_equal(store_commit(f->s, NULL), 0);
	q.collection_id = f->coll;
	q.limit = 100;
	while (more) {
		query(f, &q, &rs, &more);
		for (int i = 0; i < rs.n; i++) {
			char want[80];
			snprintf(want, sizeof(want), "indicator--00000000-0000-4000-8000-%012d",
				 seen < 250 ? seen : 0);
			assert_string_equal(rs.id[i], want);   /* each once, in order */
			seen++;
		}
		snprintf(last_id, sizeof(last_id), "%s", rs.id[rs.n - 1]);
		q.added_after_us = rs.da[rs.n - 1];
		pages++;
		/* a new version arriving while paging comes after, exactly once */
		if (pages == 1)
			put_ok(f, f->coll, obj("indicator", 0, "2022-01-01T00:00:00.000Z"), 0, NULL);
	}
	assert_int_equal(pages, 3);
	assert_int_equal(seen, 251);
	assert_string_equal(last_id, "indicator--00000000-0000-4000-8000-000000000000");
}

static json_t *marked(int n, int tlp)
{
	json_t *o = obj("indicator", n, "2021-01-01T00:00:00.000Z");

	if (tlp >= 0)
		json_object_set_new(o, "object_marking_refs",
				    json_pack("[s]", stix_tlp_marking_id(tlp)));
	return o;
}

static void test_tlp(void **state)
{
	fx *f = *state;
	store_query q = { 0 };
	rows rs;
	cc_err e = { 0 };

	for (int t = -1; t <= STORE_TLP_RED; t++)
		put_ok(f, f->coll, marked(t + 1, t), 0, NULL);       /* ids 0..5 */
	put_ok(f, f->coll, marked(10, STORE_TLP_RED), 7, NULL);  /* org 7's own */
	q.collection_id = f->coll;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 7);                              /* no viewer: all */
	q.viewer_org = 3;
	q.max_tlp = STORE_TLP_GREEN;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 3);                              /* unmarked(clear), clear, green */
	q.viewer_org = 7;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 4);                              /* + its own red one */
	q.max_tlp = STORE_TLP_AMBER_STRICT;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 6);
	/* the collection default applies to unmarked objects */
	assert_int_equal(store_collection_set_tlp(f->s, f->coll, STORE_TLP_AMBER, &e), 0);
	q.viewer_org = 3;
	q.max_tlp = STORE_TLP_GREEN;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	q.max_tlp = STORE_TLP_CLEAR;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	/* a reader needs a collection: across the store it is the hub's view */
	q.collection_id = 0;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 7);
}

static json_t *rel(int n, const char *rt, const char *src, const char *dst)
{
	json_t *o = obj("relationship", n, "2021-01-01T00:00:00.000Z");

	json_object_del(o, "name");
	json_object_set_new(o, "relationship_type", json_string(rt));
	json_object_set_new(o, "source_ref", json_string(src));
	json_object_set_new(o, "target_ref", json_string(dst));
	return o;
}

static void test_find(void **state)
{
	fx *f = *state;
	json_t *o;
	const char *is = "intrusion-set--00000000-0000-4000-8000-000000000001";
	const char *ap = "attack-pattern--00000000-0000-4000-8000-000000000002";
	const char *mw = "malware--00000000-0000-4000-8000-000000000003";

	o = obj("intrusion-set", 1, "2021-01-01T00:00:00.000Z");
	json_object_set_new(o, "name", json_string("Glass Kraken"));
	json_object_set_new(o, "aliases", json_pack("[s,s]", "Glass Kraken", "GK-100%"));
	json_object_set_new(o, "x_mitre_aliases", json_pack("[s]", "Brittle Squid"));
	put_ok(f, f->coll, o, 0, NULL);
	o = obj("attack-pattern", 2, "2021-01-01T00:00:00.000Z");
	json_object_set_new(o, "name", json_string("Spearphishing Attachment"));
	json_object_set_new(o, "external_references",
			    json_pack("[{s:s, s:s}]", "source_name", "mitre-attack",
				      "external_id", "T1566.001"));
	put_ok(f, f->coll, o, 0, NULL);
	put_ok(f, f->coll, obj("malware", 3, "2021-01-01T00:00:00.000Z"), 0, NULL);
	put_ok(f, f->coll, rel(10, "uses", is, ap), 0, NULL);
	put_ok(f, f->coll, rel(11, "uses", is, mw), 0, NULL);
	o = rel(12, "targets", mw, is);
	json_object_set_new(o, "revoked", json_true());
	put_ok(f, f->coll, o, 0, NULL);

	assert_int_equal(find_n(f, (store_find_query){ .type = "intrusion-set" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .name = "kRAKEN" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .name = "phishing" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .name = "%" }), 0);
	/* word: the start of the name or of a word in it, any case */
	assert_int_equal(find_n(f, (store_find_query){ .word = "glass k" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .word = "KRAK" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .word = "raken" }), 0);    /* inside a word */
	assert_int_equal(find_n(f, (store_find_query){ .word = "attachment" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .word = "phishing" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .word = "brittle" }), 0);  /* an alias's */
	assert_int_equal(find_n(f, (store_find_query){ .word = "%" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .word = "k", .type = "attack-pattern" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .alias = "brittle squid" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .alias = "gk-100%" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .alias = "Brittle" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .alias = "glass kraken",
						      .type = "malware" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .external_id = "t1566.001" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .external_id = "T1566" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .related_to = is }), 2);
	assert_int_equal(find_n(f, (store_find_query){ .related_to = is,
						      .type = "malware" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .related_to = mw }), 1);  /* reverse */
	assert_int_equal(find_n(f, (store_find_query){ .related_to = mw,
						      .include_revoked = true }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .related_to = is,
						      .relationship_type = "targets",
						      .include_revoked = true }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .related_to = is,
						      .relationship_type = "targets" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .limit = 2 }), 2);
	/* a new version that drops the alias: find sees only the latest */
	o = obj("intrusion-set", 1, "2022-01-01T00:00:00.000Z");
	put_ok(f, f->coll, o, 0, NULL);
	assert_int_equal(find_n(f, (store_find_query){ .alias = "brittle squid" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .type = "intrusion-set" }), 1);
}

static void test_members(void **state)
{
	fx *f = *state;
	store_org o, *ov;
	store_user u, *uv;
	store_grant g = { 0 }, *gv;
	store_collection c;
	size_t n;
	char *js;
	cc_err e = { 0 };

	assert_int_equal(store_org_add(f->s, "Bank", &o, &e), 0);
	assert_true(o.id > 0);
	assert_true(stix_id_valid(o.identity_id, "identity"));
	assert_int_equal(store_org_add(f->s, "Bank", NULL, &e), CC_ECONFLICT);
	assert_int_equal(store_org_add(f->s, "Agency", NULL, &e), 0);
	assert_int_equal(store_org_list(f->s, &ov, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ov[1].name, "Agency");
	store_org_list_free(ov, n);
	store_org_clear(&o);
	assert_int_equal(store_org_get(f->s, "Nobody", &o, &e), CC_ENOTFOUND);
	assert_int_equal(store_org_get(f->s, "Bank", &o, &e), 0);

	assert_int_equal(store_user_add(f->s, "alice", o.id, "$hash1", &e), 0);
	assert_int_equal(store_user_add(f->s, "alice", o.id, "$hash1", &e), CC_ECONFLICT);
	assert_int_equal(store_user_add(f->s, "bob", 999, "$h", &e), CC_ENOTFOUND);
	assert_int_equal(store_user_set_pwhash(f->s, "alice", "$hash2", &e), 0);
	assert_int_equal(store_user_set_pwhash(f->s, "carol", "$hash2", &e), CC_ENOTFOUND);
	assert_int_equal(store_user_get(f->s, "alice", &u, &e), 0);
	assert_string_equal(u.pwhash, "$hash2");
	assert_string_equal(u.org_name, "Bank");
	assert_int_equal(u.org_id, o.id);
	store_user_clear(&u);
	assert_int_equal(store_user_list(f->s, &uv, &n, &e), 0);
	assert_int_equal(n, 1);
	store_user_list_free(uv, n);

	assert_int_equal(store_collection_add(f->s, "shared", "Shared", "d",
					      "6C0A2A3E-5A8B-4C59-9C1F-0E5B2D0C9E11", &c, &e), 0);
	assert_string_equal(c.uuid, "6c0a2a3e-5a8b-4c59-9c1f-0e5b2d0c9e11");
	store_collection_clear(&c);
	assert_int_equal(store_collection_get(f->s, "6c0a2a3e-5a8b-4c59-9c1f-0e5b2d0c9e11",
					      &c, &e), 0);
	assert_string_equal(c.name, "shared");
	g = (store_grant){ o.id, c.id, true, false, STORE_TLP_AMBER };
	assert_int_equal(store_grant_set(f->s, &g, &e), 0);
	g.can_write = true;
	assert_int_equal(store_grant_set(f->s, &g, &e), 0);
	memset(&g, 0, sizeof(g));
	assert_int_equal(store_grant_get(f->s, o.id, c.id, &g, &e), 0);
	assert_true(g.can_read && g.can_write);
	assert_int_equal(g.max_tlp, STORE_TLP_AMBER);
	assert_int_equal(store_grant_list(f->s, &gv, &n, &e), 0);
	assert_int_equal(n, 1);
	free(gv);
	assert_int_equal(store_grant_remove(f->s, o.id, c.id, &e), 0);
	assert_int_equal(store_grant_remove(f->s, o.id, c.id, &e), CC_ENOTFOUND);
	assert_int_equal(store_grant_get(f->s, o.id, c.id, &g, &e), CC_ENOTFOUND);
	store_collection_clear(&c);
	store_org_clear(&o);

	assert_int_equal(store_status_put(f->s, "st-1", "{\"status\":\"pending\"}", &e), 0);
	assert_int_equal(store_status_put(f->s, "st-1", "{\"status\":\"complete\"}", &e), 0);
	assert_int_equal(store_status_get(f->s, "st-1", 0, &js, &e), 0);
	assert_string_equal(js, "{\"status\":\"complete\"}");
	free(js);
	assert_int_equal(store_status_get(f->s, "st-2", 0, &js, &e), CC_ENOTFOUND);
	/* older than asked for: as if missing; expiry removes it */
	assert_int_equal(store_status_get(f->s, "st-1", cc_now_us() + 1000000, &js, &e),
			 CC_ENOTFOUND);
	assert_int_equal(store_status_expire(f->s, cc_now_us() - 60000000, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_status_get(f->s, "st-1", 0, &js, &e), 0);
	free(js);
	assert_int_equal(store_status_expire(f->s, cc_now_us() + 1, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_status_get(f->s, "st-1", 0, &js, &e), CC_ENOTFOUND);
}

static int user_version(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The migration test's object: two versions, the 2022 one the latest. */
static void assert_two_versions(store *s, int64_t coll)
{
	const char *id = "tool--00000000-0000-4000-8000-000000000001";
	cc_err e = { 0 };
	rows rs;

	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_get(s, id, coll, true, collect, &rs, &e), 0);
	assert_int_equal(rs.n, 2);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_get(s, id, coll, false, collect, &rs, &e), 0);
	assert_string_equal(rs.modified[0], "2022-01-01T00:00:00.000Z");
}

static void test_migration(void **state)
{
	fx *f = *state;
	char path[160];
	store *s;
	rows rs;
	cc_err e = { 0 };
	store_collection c;
	sqlite3 *db;
	json_t *o;

	snprintf(path, sizeof(path), "%s/old.db", f->dir);
	assert_int_equal(store_open_version(path, 1, &s, &e), 0);
	assert_int_equal(store_collection_get(s, STORE_DEFAULT_COLLECTION, &c, &e), 0);
	store_close(s);
	assert_int_equal(user_version(path), 1);
	/* a version as schema 1 stored it: no id hash column yet */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO versions(vid, id, type, modified, modified_us, spec_version, tlp,"
		" revoked, deprecated, is_last, is_first, collection_id, org_id, json)"
		" VALUES(7, 'tool--00000000-0000-4000-8000-000000000001', 'tool',"
		" '2021-01-01T00:00:00.000Z', 1609459200000000, '2.1', -1, 0, 0, 1, 1, 1, 0,"
		" '{\"type\":\"tool\"}');"
		"INSERT INTO entries VALUES(7, 1, 7, 0, 1, 1);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(path, &s, &e), 0);
	assert_int_equal(user_version(path), store_schema_version());
	memset(&rs, 0, sizeof(rs));     /* found through the ids table schema 4 made */
	assert_int_equal(store_get(s, "tool--00000000-0000-4000-8000-000000000001", c.id, false,
				   collect, &rs, &e), 0);
	assert_int_equal(rs.n, 1);
	assert_int_equal(store_org_add(s, "Bank", NULL, &e), 0);   /* a v2 table */
	/* and it takes a new version of the object (dedupe and flags by hash) */
	o = obj("tool", 1, "2022-01-01T00:00:00.000Z");
	assert_int_equal(store_put(s, c.id, o, 0, NULL, &e), 0);
	json_decref(o);
	assert_two_versions(s, c.id);
	store_close(s);
	/* a row whose hash collides with that id is not taken for it */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	{
		const char *id1 = "tool--00000000-0000-4000-8000-000000000001";
		char sql[1024];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO versions(vid, id, type, modified, modified_us, spec_version, tlp,"
			 " revoked, deprecated, is_last, is_first, collection_id, org_id, json, idh)"
			 " VALUES(9, 'tool--00000000-0000-4000-8000-000000000009', 'tool',"
			 " '2030-01-01T00:00:00.000Z', 1893456000000000, '2.1', -1, 0, 0, 1, 1, 1, 0,"
			 " '{}', %lld);"
			 "INSERT INTO ids(idh, modified_us, vid) VALUES(%lld, 1893456000000000, 9);"
			 "INSERT INTO entries(collection_id, date_added, vid, org_id, lvl, rank,"
			 " contested, vis_last, vis_first) VALUES(1, 9, 9, 0, 0, 0, 0, 31, 31);",
			 (long long)store_idhash(id1, strlen(id1)), (long long)store_idhash(id1, strlen(id1)));
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_close(db);
	assert_int_equal(store_open(path, &s, &e), 0);
	assert_two_versions(s, c.id);
	store_close(s);
	store_collection_clear(&c);
	/* a schema newer than this build is refused, not damaged */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_not_equal(store_open(path, &s, &e), 0);
	assert_null(s);
	assert_non_null(strstr(e.msg, "newer"));
}

/* A schema 4 store as the old code left it after the attacks of the
 * hostile-member suite: bank B's entry of bank A's red version in B's own
 * collection (the shared version row), marking ids in upper case, a red
 * granular marking.  Schema 5 gives each entry its version's owner and
 * level, so B reads none of it. */
static void test_migration_owners(void **state)
{
	fx *f = *state;
	char path[160], sql[4096];
	const char *red_up = "marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1";
	const char *red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
	const char *x = "indicator--00000000-0000-4000-8000-0000000000aa";
	const char *g = "indicator--00000000-0000-4000-8000-0000000000bb";
	store *s;
	sqlite3 *db;
	store_query q = { 0 };
	rows rs;
	cc_err e = { 0 };
	int64_t ca, cb;
	store_collection c;

	snprintf(path, sizeof(path), "%s/v4.db", f->dir);
	assert_int_equal(store_open_version(path, 4, &s, &e), 0);
	assert_int_equal(store_org_add(s, "bank-a", NULL, &e), 0);      /* org 1 */
	assert_int_equal(store_org_add(s, "bank-b", NULL, &e), 0);      /* org 2 */
	assert_int_equal(store_collection_add(s, "a", NULL, NULL, NULL, &c, &e), 0);
	ca = c.id;
	store_collection_clear(&c);
	assert_int_equal(store_collection_add(s, "b", NULL, NULL, NULL, &c, &e), 0);
	cb = c.id;
	store_collection_clear(&c);
	store_close(s);
	assert_int_equal(user_version(path), 4);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO versions(vid, id, type, modified, modified_us, spec_version, tlp,"
		 " revoked, deprecated, is_last, is_first, collection_id, org_id, json, idh)"
		 " VALUES(10, '%s', 'indicator', '2021-01-01T00:00:00.000Z', 1609459200000000, '2.1',"
		 " -1, 0, 0, 1, 1, %lld, 1, '{\"id\":\"%s\",\"object_marking_refs\":[\"%s\"]}', %lld),"
		 " (20, '%s', 'indicator', '2021-01-01T00:00:00.000Z', 1609459200000000, '2.1',"
		 " -1, 0, 0, 1, 1, %lld, 1, '{\"id\":\"%s\",\"granular_markings\":"
		 "[{\"marking_ref\":\"%s\",\"selectors\":[\"name\"]}]}', %lld);"
		 "INSERT INTO ids VALUES(%lld, 1609459200000000, 10), (%lld, 1609459200000000, 20);"
		 "INSERT INTO entries(collection_id, date_added, vid, org_id, is_last, is_first)"
		 " VALUES(%lld, 10, 10, 1, 1, 1), (%lld, 11, 10, 2, 1, 1), (%lld, 20, 20, 1, 1, 1);",
		 x, (long long)ca, x, red_up, (long long)store_idhash(x, strlen(x)),
		 g, (long long)ca, g, red, (long long)store_idhash(g, strlen(g)),
		 (long long)store_idhash(x, strlen(x)), (long long)store_idhash(g, strlen(g)),
		 (long long)ca, (long long)cb, (long long)ca);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(path, &s, &e), 0);
	assert_int_equal(user_version(path), store_schema_version());
	store_close(s);
	store_close(f->s);
	assert_int_equal(store_open(path, &f->s, &e), 0);
	/* bank B at amber in its own collection: its old entry shows nothing */
	q.collection_id = cb;
	q.viewer_org = 2;
	q.max_tlp = STORE_TLP_AMBER;
	q.versions = STORE_VER_ALL;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 0);
	/* the upper-case and the granular red marking count, in A's collection */
	q.collection_id = ca;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 0);
	q.max_tlp = STORE_TLP_RED;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	/* bank A sees its own at any ceiling; latest flags were made */
	q.viewer_org = 1;
	q.max_tlp = STORE_TLP_CLEAR;
	q.versions = STORE_VER_LAST;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
}

/* Observed values are searched: an SCO's value and hashes, an indicator's
 * pattern literals; the rows of a store made before them come at its
 * migration. */
static void put_values(fx *f)
{
	json_t *o = obj("indicator", 1, "2021-01-01T00:00:00.000Z");

	json_object_set_new(o, "name", json_string("Kraken beacon (C2)"));
	json_object_set_new(o, "pattern_type", json_string("stix"));
	json_object_set_new(o, "pattern", json_string("[ipv4-addr:value = '198.51.100.7'] AND "
						      "[url:value = 'http://x.example/a\\'b']"));
	put_ok(f, f->coll, o, 0, NULL);
	o = json_pack("{s:s, s:s, s:s, s:{s:s}}", "type", "file", "spec_version", "2.1",
		      "id", "file--00000000-0000-4000-8000-000000000002",
		      "hashes", "SHA-256", "ABCDEF0123456789");
	put_ok(f, f->coll, o, 0, NULL);
	o = json_pack("{s:s, s:s, s:s, s:s}", "type", "domain-name", "spec_version", "2.1",
		      "id", "domain-name--00000000-0000-4000-8000-000000000003", "value", "evil.example");
	put_ok(f, f->coll, o, 0, NULL);
	o = obj("sighting", 4, "2021-01-01T00:00:00.000Z");
	json_object_set_new(o, "sighting_of_ref",
			    json_string("indicator--00000000-0000-4000-8000-000000000001"));
	put_ok(f, f->coll, o, 0, NULL);
}

static void check_values(fx *f)
{
	assert_int_equal(find_n(f, (store_find_query){ .value = "198.51.100.7" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .value = "http://x.example/a'b" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .value = "abcdef0123456789" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .value = "EVIL.example" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .value = "evil" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .value = "198.51.100.7",
						      .type = "ipv4-addr" }), 0);
	/* a value is no alias or name */
	assert_int_equal(find_n(f, (store_find_query){ .alias = "evil.example" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .name = "example" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .word = "C2" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .word = "beacon (c" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .word = "eacon" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .sighting_of =
		"indicator--00000000-0000-4000-8000-000000000001" }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .sighting_of =
		"indicator--00000000-0000-4000-8000-000000000001", .collection_id = f->coll }), 1);
	assert_int_equal(find_n(f, (store_find_query){ .sighting_of =
		"file--00000000-0000-4000-8000-000000000002" }), 0);
}

static void test_find_values(void **state)
{
	fx *f = *state;

	put_values(f);
	check_values(f);
	assert_int_equal(find_n(f, (store_find_query){ .value = "evil.example",
						      .collection_id = f->coll, .viewer_org = 0 }), 1);
}

static void test_migration_values(void **state)
{
	fx *f = *state;
	char path[160];
	store *s;
	cc_err e = { 0 };

	snprintf(path, sizeof(path), "%s/v5.db", f->dir);
	assert_int_equal(store_open_version(path, 6, &s, &e), 0);
	store_close(f->s);
	f->s = s;
	put_values(f);
	/* as a store of schema 6 had them: no value, word or sighting rows */
	assert_int_equal(store_exec(s, "DELETE FROM names WHERE kind >= 2", &e), 0);
	assert_int_equal(find_n(f, (store_find_query){ .value = "evil.example" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .word = "beacon" }), 0);
	assert_int_equal(find_n(f, (store_find_query){ .sighting_of =
		"indicator--00000000-0000-4000-8000-000000000001" }), 0);
	store_close(s);
	assert_int_equal(store_open(path, &f->s, &e), 0);
	assert_int_equal(user_version(path), store_schema_version());
	check_values(f);
}

static void test_rollback(void **state)
{
	fx *f = *state;
	json_t *before, *after;
	cc_err e = { 0 };
	rows rs;

	put_ok(f, f->coll, obj("tool", 1, "2021-01-01T00:00:00.000Z"), 0, NULL);
	assert_int_equal(store_stats(f->s, &before, &e), 0);
	assert_int_equal(store_begin(f->s, &e), 0);
	assert_int_not_equal(store_begin(f->s, &e), 0);            /* no nesting */
	put_ok(f, f->coll, obj("tool", 1, "2022-01-01T00:00:00.000Z"), 0, NULL);
	put_ok(f, f->coll, obj("tool", 2, "2021-01-01T00:00:00.000Z"), 0, NULL);
	assert_int_equal(store_org_add(f->s, "Bank", NULL, &e), 0);
	store_rollback(f->s);
	assert_int_equal(store_stats(f->s, &after, &e), 0);
	assert_true(json_equal(before, after));
	assert_int_equal(json_integer_value(json_object_get(after, "objects")), 1);
	json_decref(before);
	json_decref(after);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_get(f->s, "tool--00000000-0000-4000-8000-000000000001", 0, true,
				   collect, &rs, &e), 0);
	assert_int_equal(rs.n, 1);                                 /* flags intact too */
	store_query q = { .collection_id = f->coll };
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_int_equal(store_org_get(f->s, "Bank", &(store_org){ 0 }, &e), CC_ENOTFOUND);
}

static void test_delete_and_stats(void **state)
{
	fx *f = *state;
	store_query q = { 0 };
	const char *ids[] = { "tool--00000000-0000-4000-8000-000000000001" };
	int64_t v;
	size_t n;
	rows rs;
	json_t *st;
	cc_err e = { 0 };

	put_ok(f, f->coll, obj("tool", 1, "2021-01-01T00:00:00.000Z"), 0, NULL);
	put_ok(f, f->coll, obj("tool", 1, "2022-01-01T00:00:00.000Z"), 0, NULL);
	put_ok(f, f->coll, obj("tool", 2, "2021-01-01T00:00:00.000Z"), 0, NULL);
	assert_int_equal(store_stats(f->s, &st, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(st, "objects")), 2);
	assert_int_equal(json_integer_value(json_object_get(st, "versions")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(
		json_object_get(st, "collections"), "default"), "tool"), "versions")), 3);
	json_decref(st);
	/* delete the newest version: the older one becomes last again */
	assert_true(cc_ts_parse("2022-01-01T00:00:00.000Z", &v));
	q.collection_id = f->coll;
	q.ids = ids;
	q.n_ids = 1;
	q.version_us = &v;
	q.n_version_us = 1;
	assert_int_equal(store_delete(f->s, &q, &n, &e), 0);
	assert_int_equal(n, 1);
	memset(&q, 0, sizeof(q));
	q.collection_id = f->coll;
	query(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.modified[0], "2021-01-01T00:00:00.000Z");
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_get(f->s, ids[0], 0, false, collect, &rs, &e), 0);
	assert_string_equal(rs.modified[0], "2021-01-01T00:00:00.000Z");
	/* no version selection deletes all versions */
	q.ids = ids;
	q.n_ids = 1;
	assert_int_equal(store_delete(f->s, &q, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_get(f->s, ids[0], 0, false, collect, &rs, &e), CC_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_date_added, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_owners, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_and_stats, setup, teardown),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
