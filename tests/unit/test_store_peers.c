/* Federation's tables in the store: peers and the organisations that stand
 * for them, links and their cursors (durable only with the transaction
 * that stored what they cover), provenance, and the federation rule on a
 * few hand-made cases (the random model is in test_store_access.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "store_fixture.h"
#include "util/buf.h"
#include "util/jdump.h"

/* A ready object (not validated: the store does not need it to be). */
typedef struct obj {
	store_ready rd;
	cc_buf text;
} obj;

static void obj_make(obj *o, const char *id, const char *modified, const char *name)
{
	cc_err e;

	memset(o, 0, sizeof(*o));
	o->rd.obj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "indicator",
			      "spec_version", "2.1", "id", id, "created", "2024-01-01T00:00:00.000Z",
			      "modified", modified, "name", name);
	assert_true(cc_json_dump_text(o->rd.obj, &o->text));
	o->rd.text = o->text.data;
	o->rd.len = o->text.len;
	assert_int_equal(store_facts_make(o->rd.obj, &o->rd.facts, &e), 0);
}

static void obj_free(obj *o)
{
	store_facts_clear(&o->rd.facts);
	cc_buf_free(&o->text);
	json_decref(o->rd.obj);
}

static void add_peer(fx *f, const char *name, int max_tlp, store_peer *p)
{
	cc_err e;

	memset(p, 0, sizeof(*p));
	p->name = (char *)name;
	p->url = "https://peer.example/taxii2/";
	p->user = "me";
	p->password = "secret-password";
	p->max_tlp = max_tlp;
	assert_int_equal(store_peer_add(f->s, p, &e), 0);
	p->name = p->url = p->user = p->password = NULL;
}

static void test_peers(void **state)
{
	fx *f = *state;
	store_peer p, q, *v;
	store_org o;
	size_t n;
	cc_err e;

	add_peer(f, "us-hub", STORE_TLP_AMBER, &p);
	assert_true(p.id > 0 && p.org_id > 0);
	assert_int_equal(store_org_get(f->s, "us-hub", &o, &e), 0);
	assert_int_equal(o.id, p.org_id);
	store_org_clear(&o);
	assert_int_equal(store_peer_get(f->s, "us-hub", &q, &e), 0);
	assert_string_equal(q.url, "https://peer.example/taxii2/");
	assert_string_equal(q.password, "secret-password");
	assert_string_equal(q.pin, "");
	assert_int_equal(q.max_tlp, STORE_TLP_AMBER);
	store_peer_clear(&q);
	q = (store_peer){ .name = "us-hub", .url = "https://x/" };
	assert_int_equal(store_peer_add(f->s, &q, &e), CC_ECONFLICT);
	/* a member's organisation never becomes a peer's */
	assert_int_equal(store_org_add(f->s, "bank-a", NULL, &e), 0);
	q.name = "bank-a";
	assert_int_equal(store_peer_add(f->s, &q, &e), CC_ECONFLICT);
	assert_non_null(strstr(e.msg, "organisation"));
	assert_int_equal(store_peer_list(f->s, &v, &n, &e), 0);
	assert_int_equal(n, 1);
	store_peer_list_free(v, n);
	/* removed, then back with the same organisation */
	assert_int_equal(store_peer_remove(f->s, "us-hub", &e), 0);
	assert_int_equal(store_peer_get(f->s, "us-hub", &q, &e), CC_ENOTFOUND);
	assert_int_equal(store_peer_remove(f->s, "us-hub", &e), CC_ENOTFOUND);
	add_peer(f, "us-hub", STORE_TLP_GREEN, &q);
	assert_int_equal(q.id, p.id);
	assert_int_equal(q.org_id, p.org_id);
	store_peer_clear(&p);
	store_peer_clear(&q);
}

static void test_grant_capped(void **state)
{
	fx *f = *state;
	store_grant g = { 0 };
	store_peer p;
	cc_err e;

	add_peer(f, "uk-hub", STORE_TLP_GREEN, &p);
	g = (store_grant){ p.org_id, f->coll, true, true, STORE_TLP_RED };
	assert_int_equal(store_grant_set(f->s, &g, &e), 0);
	assert_int_equal(store_grant_get(f->s, p.org_id, f->coll, &g, &e), 0);
	assert_int_equal(g.max_tlp, STORE_TLP_GREEN);
	store_peer_clear(&p);
}

static void test_link_cursor_with_txn(void **state)
{
	fx *f = *state;
	store_peer p;
	store_link l = { 0 }, got, *v;
	size_t n;
	obj a;
	cc_err e;

	add_peer(f, "us-hub", STORE_TLP_AMBER, &p);
	l.peer_id = p.id;
	l.remote_coll = "5b6e3ad4-0000-4000-8000-000000000001";
	l.collection_id = f->coll;
	l.max_tlp = STORE_TLP_AMBER;
	assert_int_equal(store_link_add(f->s, &l, &e), 0);
	assert_true(l.id > 0);
	assert_int_equal(store_link_add(f->s, &l, &e), CC_ECONFLICT);
	l.push = true;
	assert_int_equal(store_link_add(f->s, &l, &e), 0);
	/* a rolled-back page leaves neither objects nor the cursor */
	obj_make(&a, "indicator--00000000-0000-4000-8000-000000000001", "2024-01-01T00:00:00.000Z",
		 "a");
	assert_int_equal(store_begin(f->s, &e), 0);
	assert_int_equal(store_put_received(f->s, f->coll, &a.rd, &p, NULL, &e), 0);
	assert_int_equal(store_link_advance(f->s, l.id - 1, "2024-05-01T00:00:00.000001Z", 0, 1, &e),
			 0);
	store_rollback(f->s);
	assert_int_equal(store_link_get(f->s, l.id - 1, &got, &e), 0);
	assert_string_equal(got.cursor, "");
	assert_int_equal(got.moved, 0);
	store_link_clear(&got);
	assert_int_equal(store_get(f->s, (const char *)a.rd.facts.id, 0, false, count_row, &(int){ 0 },
				   &e), CC_ENOTFOUND);
	/* committed: both */
	assert_int_equal(store_begin(f->s, &e), 0);
	assert_int_equal(store_put_received(f->s, f->coll, &a.rd, &p, NULL, &e), 0);
	assert_int_equal(store_link_advance(f->s, l.id - 1, "2024-05-01T00:00:00.000001Z", 0, 1, &e),
			 0);
	assert_int_equal(store_link_advance(f->s, l.id, NULL, 77, 3, &e), 0);
	assert_int_equal(store_link_advance(f->s, l.id, NULL, 5, 1, &e), 0);   /* never back */
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(store_link_list(f->s, p.id, &v, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_false(v[0].push);
	assert_string_equal(v[0].cursor, "2024-05-01T00:00:00.000001Z");
	assert_int_equal(v[0].moved, 1);
	assert_true(v[1].push);
	assert_int_equal(v[1].after_us, 77);
	assert_int_equal(v[1].moved, 4);
	store_link_list_free(v, n);
	/* removing the peer removes its links */
	assert_int_equal(store_peer_remove(f->s, "us-hub", &e), 0);
	assert_int_equal(store_link_list(f->s, 0, &v, &n, &e), 0);
	assert_int_equal(n, 0);
	free(v);
	obj_free(&a);
	store_peer_clear(&p);
}

typedef struct prov {
	char names[256];
	int n;
} prov;

static void on_received(const char *peer, int64_t us, void *ud)
{
	prov *p = ud;

	assert_true(us > 0);
	snprintf(p->names + strlen(p->names), sizeof(p->names) - strlen(p->names), "%s%s",
		 p->n++ ? "," : "", peer);
}

static int first_row(const store_row *r, void *ud)
{
	store *s = ((void **)ud)[0];
	prov *p = ((void **)ud)[1];
	cc_err e;

	assert_int_equal(store_received_list(s, r, on_received, p, &e), 0);
	return 1;
}

/* The same version from two peers and round a loop is one version with
 * two provenances; a member's object is never changed by a peer. */
static void test_federation_rule(void **state)
{
	fx *f = *state;
	store_peer a, b;
	store_org m;
	store_put_result r;
	obj x1, x1b, x2, mine, mine2;
	prov pv = { "", 0 };
	void *ud[2] = { f->s, &pv };
	int n = 0;
	cc_err e;

	add_peer(f, "a-hub", STORE_TLP_RED, &a);
	add_peer(f, "b-hub", STORE_TLP_RED, &b);
	obj_make(&x1, "indicator--00000000-0000-4000-8000-0000000000a1", "2024-01-01T00:00:00.000Z",
		 "x");
	obj_make(&x1b, "indicator--00000000-0000-4000-8000-0000000000a1", "2024-01-01T00:00:00.000Z",
		 "x, forged");
	obj_make(&x2, "indicator--00000000-0000-4000-8000-0000000000a1", "2024-02-01T00:00:00.000Z",
		 "x2");
	assert_int_equal(store_put_received(f->s, f->coll, &x1.rd, &a, &r, &e), 0);
	assert_true(r.new_version && r.added);
	assert_int_equal(store_put_received(f->s, f->coll, &x1.rd, &b, &r, &e), 0);
	assert_false(r.new_version);
	assert_int_equal(store_put_received(f->s, f->coll, &x1b.rd, &b, &r, &e), 0);
	assert_false(r.new_version);    /* joins a-hub's copy, whose version stays */
	assert_int_equal(store_put_received(f->s, f->coll, &x2.rd, &b, &r, &e), 0);
	assert_true(r.new_version);     /* relayed: one copy */
	assert_int_equal(store_get(f->s, (const char *)x1.rd.facts.id, 0, true, count_row, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_get(f->s, (const char *)x1.rd.facts.id, 0, true, first_row, ud, &e),
			 0);
	assert_string_equal(pv.names, "a-hub,b-hub");
	assert_int_equal(find_n(f, (store_find_query){ .name = "x2" }), 1);
	/* a member's object: an identical version coming back is the same;
	 * a peer's other version of it stays apart */
	assert_int_equal(store_org_add(f->s, "bank-a", &m, &e), 0);
	obj_make(&mine, "indicator--00000000-0000-4000-8000-0000000000b1", "2024-01-01T00:00:00.000Z",
		 "mine");
	obj_make(&mine2, "indicator--00000000-0000-4000-8000-0000000000b1",
		 "2024-03-01T00:00:00.000Z", "peer's revocation");
	assert_int_equal(store_put_ready(f->s, f->coll, &mine.rd, m.id, NULL, &e), 0);
	assert_int_equal(store_put_received(f->s, f->coll, &mine.rd, &a, &r, &e), 0);
	assert_true(!r.new_version && r.reshared);
	assert_int_equal(store_put_received(f->s, f->coll, &mine2.rd, &a, &r, &e), 0);
	assert_true(r.new_version);
	n = 0;
	assert_int_equal(store_get(f->s, (const char *)mine.rd.facts.id, 0, false, count_row, &n, &e),
			 0);
	assert_int_equal(n, 2);         /* the member's copy and the peer's, apart */
	{
		store_query q = { 0 };
		const char *ids[1] = { (const char *)mine.rd.facts.id };

		q.collection_id = f->coll;
		q.ids = ids;
		q.n_ids = 1;
		q.viewer_org = 999;     /* a reader with no copy */
		q.max_tlp = STORE_TLP_RED;
		n = 0;
		assert_int_equal(store_query_run(f->s, &q, count_row, &n, NULL, &e), 0);
		assert_int_equal(n, 1);
	}
	obj_free(&x1);
	obj_free(&x1b);
	obj_free(&x2);
	obj_free(&mine);
	obj_free(&mine2);
	store_org_clear(&m);
	store_peer_clear(&a);
	store_peer_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_peers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grant_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_cursor_with_txn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_federation_rule, setup, teardown),
	};

	return cmocka_run_group_tests_name("store_peers", tests, NULL, NULL);
}
