/* The store's access rules against an independent model.
 *
 * Random operations by rival organisations (and the hub, org 0) — posts of
 * versions with object-level and granular TLP markings, unchanged copies
 * of others' objects, deletes of one's own, changes of a collection's
 * default TLP — and deliveries by two peers (store_put_received, the
 * federation rule: organisations 4 and 5 stand for them, their grants
 * capped at the peers' max TLP) are applied both to the store and to a
 * plain model of the rules of src/store/store.h ("Owners", "Collections
 * and visibility", store_put_received, store_outbox), written here from
 * those rules alone.  After every operation, every reader (each org at
 * each TLP ceiling) must get from store_query_run and store_read_page
 * exactly what the model serves it: the same rows in the same order, for
 * the latest, first and all versions; and each push link's outbox must be
 * what the model says the peer is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "stix/stix.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/jdump.h"

#define N_ORGS 6        /* 0 = the hub, 1..3 members, 4..5 stand for peers 1..2 */
#define N_MEMBERS 4     /* orgs below this are the hub and its members */
#define N_PEERS 2
#define N_COLLS 3
#define N_IDS 6
#define MAX_V 512
#define MAX_E 1024

typedef struct mver {
	bool live;
	int owner, id, mod, variant, tlp, gtlp;
	bool upper;             /* the id spelled with an upper-case letter */
} mver;

typedef struct mentry {
	bool live;
	int coll, ver;
	long seq;               /* arrival order (date_added) */
} mentry;

typedef struct model {
	bool recv[MAX_V][N_PEERS + 1];  /* version delivered by peer 1..N_PEERS */
	int peer_cap[N_PEERS + 1];      /* each peer's max TLP */
	mver v[MAX_V];
	mentry e[MAX_E];
	int nv, ne;
	long seq;
	int deflt[N_COLLS];     /* default TLP of each collection */
	bool can_read[N_ORGS][N_COLLS];
	int max_tlp[N_ORGS][N_COLLS];
} model;

typedef struct fx {
	char path[64];
	store *s;
	int64_t coll[N_COLLS];
	store_peer peer[N_PEERS + 1];
	model m;
	unsigned rnd;
} fx;

static unsigned rnd(fx *f, unsigned n)
{
	f->rnd = f->rnd * 1103515245u + 12345u;
	return (f->rnd >> 16) % n;
}

static void id_text(int id, char *out)
{
	sprintf(out, "indicator--%08d-0000-4000-8000-00000000000%c", id, "abcdef"[id]);
}

static json_t *make_obj(int id, int mod, int variant, int tlp, int gtlp, bool upper)
{
	char ids[64], m[32];
	json_t *o;

	id_text(id, ids);
	if (upper)
		ids[strlen(ids) - 1] = (char)(ids[strlen(ids) - 1] - 32);
	snprintf(m, sizeof(m), "2024-01-0%dT00:00:00.000Z", mod);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "indicator", "spec_version", "2.1",
		      "id", ids, "created", "2024-01-01T00:00:00.000Z", "modified", m,
		      "name", variant ? "variant one" : "variant zero");
	if (tlp >= 0)
		json_object_set_new(o, "object_marking_refs",
				    json_pack("[s]", stix_tlp_marking_id(tlp)));
	if (gtlp >= 0)
		json_object_set_new(o, "granular_markings",
				    json_pack("[{s:s, s:[s]}]", "marking_ref",
					      stix_tlp_marking_id(gtlp), "selectors", "name"));
	return o;
}

/* ---- the model ---- */

static int lvl(const model *m, const mentry *e)
{
	const mver *v = &m->v[e->ver];
	int l = v->tlp >= 0 ? v->tlp : m->deflt[e->coll];

	return v->gtlp > l ? v->gtlp : l;
}

static bool m_is_peer(int org)
{
	return org >= N_MEMBERS;
}

/* The max TLP of org's grant on coll, capped when org stands for a peer. */
static int m_grant_tlp(const model *m, int org, int coll)
{
	int t = m->max_tlp[org][coll];

	if (m_is_peer(org) && m->peer_cap[org - N_MEMBERS + 1] < t)
		t = m->peer_cap[org - N_MEMBERS + 1];
	return t;
}

static bool m_readable(const model *m, int org, const mentry *e)
{
	if (org == 0)
		return true;
	return m->can_read[org][e->coll] && lvl(m, e) <= m_grant_tlp(m, org, e->coll);
}

static int m_entry_of(const model *m, int ver, int coll)
{
	for (int i = 0; i < m->ne; i++)
		if (m->e[i].live && m->e[i].ver == ver && m->e[i].coll == coll)
			return i;
	return -1;
}

static void m_add_entry(model *m, int ver, int coll)
{
	assert_true(m->ne < MAX_E);
	m->e[m->ne++] = (mentry){ true, coll, ver, ++m->seq };
}

/* Apply a put; returns the result code the store must give. */
static int m_put(model *m, int org, int coll, const mver *nv)
{
	bool own = false, foreign = false, readable = false;
	int same = -1, copy = -1;

	for (int i = 0; i < m->nv; i++) {
		const mver *v = &m->v[i];
		if (!v->live || v->id != nv->id)
			continue;
		if (v->owner == org) {
			own = true;
			if (v->mod == nv->mod)
				same = i;
		} else {
			foreign = true;
		}
	}
	if (!own && foreign) {
		for (int i = 0; i < m->ne; i++) {
			const mentry *e = &m->e[i];
			const mver *v = &m->v[e->ver];
			if (!e->live || v->id != nv->id || v->owner == org || !m_readable(m, org, e))
				continue;
			readable = true;
			if (v->mod != nv->mod || v->variant != nv->variant || v->tlp != nv->tlp ||
			    v->gtlp != nv->gtlp || v->upper != nv->upper)
				continue;
			/* of several equal copies: the hub's, else the first stored */
			if (copy < 0 || (v->owner == 0 && m->v[copy].owner != 0) ||
			    ((v->owner == 0) == (m->v[copy].owner == 0) && e->ver < copy))
				copy = e->ver;
		}
		if (copy >= 0) {
			if (m_entry_of(m, copy, coll) < 0)
				m_add_entry(m, copy, coll);
			return 0;
		}
		if (readable && org)
			return CC_EDENIED;
	}
	if (same >= 0) {
		if (m_entry_of(m, same, coll) < 0)
			m_add_entry(m, same, coll);
		return 0;
	}
	assert_true(m->nv < MAX_V);
	m->v[m->nv] = *nv;
	m->v[m->nv].owner = org;
	m->v[m->nv].live = true;
	m_add_entry(m, m->nv++, coll);
	return 0;
}

static bool m_same_content(const mver *a, const mver *b)
{
	return a->id == b->id && a->mod == b->mod && a->variant == b->variant &&
	       a->tlp == b->tlp && a->gtlp == b->gtlp && a->upper == b->upper;
}

/* Peer `peer` (standing for org) delivers nv into coll (store_put_received). */
static void m_put_received(model *m, int peer, int org, int coll, const mver *nv)
{
	int same = -1, owner = -1, first_peer = -1;
	bool own = false, local = false;

	for (int i = 0; i < m->nv; i++) {
		const mver *v = &m->v[i];
		if (!v->live || v->id != nv->id)
			continue;
		if (v->owner == org)
			own = true;
		else if (!m_is_peer(v->owner))
			local = true;
		else if (first_peer < 0)
			first_peer = v->owner;
		if (!m_same_content(v, nv))
			continue;
		/* of several identical: the peer's own, else the hub's, else the first */
		if (same < 0 || (v->owner == org && m->v[same].owner != org) ||
		    ((v->owner == org) == (m->v[same].owner == org) && v->owner == 0 &&
		     m->v[same].owner != 0))
			same = i;
	}
	if (same >= 0) {
		if (m_entry_of(m, same, coll) < 0)
			m_add_entry(m, same, coll);
		m->recv[same][peer] = true;
		return;
	}
	owner = own || local || first_peer < 0 ? org : first_peer;
	for (int i = 0; i < m->nv; i++) {
		const mver *v = &m->v[i];
		if (v->live && v->id == nv->id && v->owner == owner && v->mod == nv->mod) {
			if (m_entry_of(m, i, coll) < 0)    /* the first content stays */
				m_add_entry(m, i, coll);
			return;
		}
	}
	assert_true(m->nv < MAX_V);
	m->v[m->nv] = *nv;
	m->v[m->nv].owner = owner;
	m->v[m->nv].live = true;
	m->recv[m->nv][peer] = true;
	m_add_entry(m, m->nv++, coll);
}

/* org deletes its versions of id from coll; the count removed. */
static int m_delete(model *m, int org, int coll, int id)
{
	int n = 0;

	for (int i = 0; i < m->ne; i++) {
		mentry *e = &m->e[i];
		bool any = false;

		if (!e->live || e->coll != coll || m->v[e->ver].id != id || m->v[e->ver].owner != org)
			continue;
		e->live = false;
		n++;
		for (int j = 0; j < m->ne; j++)
			any |= m->e[j].live && m->e[j].ver == e->ver;
		if (!any) {     /* in no collection: gone from the store */
			m->v[e->ver].live = false;
			memset(m->recv[e->ver], 0, sizeof(m->recv[e->ver]));
		}
	}
	return n;
}

/* The copy of id in coll that reader org (max TLP t) is served: its owner,
 * or -1 for none. */
static int m_served_owner(const model *m, int org, int t, int coll, int id)
{
	int best = -1;
	long best_first = 0;

	for (int i = 0; i < m->ne; i++) {
		const mentry *e = &m->e[i];
		const mver *v = &m->v[e->ver];
		if (e->live && e->coll == coll && v->id == id && v->owner == org)
			return org;
	}
	for (int o = 0; o < N_ORGS; o++) {
		long first = -1;
		bool vis = false;
		for (int i = 0; i < m->ne; i++) {
			const mentry *e = &m->e[i];
			const mver *v = &m->v[e->ver];
			if (!e->live || e->coll != coll || v->id != id || v->owner != o)
				continue;
			if (first < 0 || e->seq < first)
				first = e->seq;
			vis |= lvl(m, e) <= t;
		}
		if (!vis)
			continue;
		/* the hub's copy first, then by first arrival */
		if (best < 0 || (o == 0 && best != 0) || ((o == 0) == (best == 0) && first < best_first)) {
			best = o;
			best_first = first;
		}
	}
	return best;
}

enum { SEL_LAST, SEL_FIRST, SEL_ALL };

/* The rows reader org (max t) gets of coll, as "id/mod/owner;" in arrival order. */
static void m_rows(const model *m, int org, int t, int coll, int sel, cc_buf *out)
{
	for (int i = 0; i < m->ne; i++) {
		const mentry *e = &m->e[i];
		const mver *v = &m->v[e->ver];
		int served, tt;
		bool pick = true;
		if (!e->live || e->coll != coll)
			continue;
		served = m_served_owner(m, org, t, coll, v->id);
		if (served != v->owner)
			continue;
		tt = v->owner == org ? STORE_TLP_RED : t;
		if (lvl(m, e) > tt)
			continue;
		if (sel != SEL_ALL) {   /* the newest / oldest visible of the copy */
			for (int j = 0; j < m->ne && pick; j++) {
				const mentry *x = &m->e[j];
				const mver *w = &m->v[x->ver];
				if (!x->live || x->coll != coll || w->id != v->id ||
				    w->owner != v->owner || lvl(m, x) > tt)
					continue;
				if (sel == SEL_LAST ? w->mod > v->mod : w->mod < v->mod)
					pick = false;
			}
		}
		if (pick)
			cc_buf_printf(out, "%d/%d/%d;", v->id, v->mod, v->owner);
	}
}

/* The rows peer `peer` (standing for org) is sent of coll at ceiling t:
 * "id/mod/owner;" in arrival order (store_outbox). */
static void m_outbox(const model *m, int peer, int org, int t, int coll, cc_buf *out)
{
	for (int i = 0; i < m->ne; i++) {
		const mentry *e = &m->e[i];
		const mver *v = &m->v[e->ver];
		bool any_recv = false;

		if (!e->live || e->coll != coll || lvl(m, e) > t || m->recv[e->ver][peer])
			continue;
		for (int p = 1; p <= N_PEERS; p++)
			any_recv |= m->recv[e->ver][p];
		if (v->owner == org && !any_recv)       /* what its organisation posted */
			continue;
		if (m_served_owner(m, org, t, coll, v->id) != v->owner)
			continue;
		cc_buf_printf(out, "%d/%d/%d;", v->id, v->mod, v->owner);
	}
}

/* ---- the store ---- */

static int collect(const store_row *r, void *ud)
{
	int id = -1, mod = 0;

	sscanf(r->id, "indicator--%8d", &id);
	sscanf(r->modified, "2024-01-0%d", &mod);
	cc_buf_printf(ud, "%d/%d/%lld;", id, mod, (long long)r->org_id);
	return 0;
}

static int collect_page(const store_row *r, void *ud)
{
	json_t *o = json_loadb(r->json, r->json_len, 0, NULL);
	const char *id = json_string_value(json_object_get(o, "id"));
	const char *m = json_string_value(json_object_get(o, "modified"));
	int n = -1, mod = 0;

	sscanf(id, "indicator--%8d", &n);
	sscanf(m, "2024-01-0%d", &mod);
	cc_buf_printf(ud, "%d/%d;", n, mod);
	json_decref(o);
	return 0;
}

/* "id/mod/owner;" rows without the owners. */
static void drop_owner(const char *in, cc_buf *out)
{
	for (const char *p = in; *p;) {
		const char *slash = strchr(strchr(p, '/') + 1, '/'), *semi = strchr(p, ';');
		cc_buf_append(out, p, (size_t)(slash - p));
		cc_buf_putc(out, ';');
		p = semi + 1;
	}
}

/* "a;b;c;" as "c;b;a;" (a reader's search comes newest first). */
static void reverse_rows(const char *in, cc_buf *out)
{
	const char *end = in + strlen(in);

	while (end > in) {
		const char *p = end - 1;

		while (p > in && p[-1] != ';')
			p--;
		cc_buf_append(out, p, (size_t)(end - p));
		end = p;
	}
}

typedef struct find_page {
	cc_buf *out;
	int64_t last;           /* date_added of the last row */
} find_page;

static int collect_find(const store_row *r, void *ud)
{
	find_page *fp = ud;

	fp->last = r->date_added_us;
	return collect(r, fp->out);
}

/* A reader's store_find, page by page of 3, gives what store_query_run
 * gives the same reader (latest versions), newest first. */
static void check_find(fx *f, int step, int org, int c, int t, const char *want)
{
	cc_buf rev = CC_BUF_INIT, got = CC_BUF_INIT;
	store_find_query q = { .type = "indicator", .include_revoked = true, .limit = 3,
			       .collection_id = f->coll[c], .viewer_org = org, .max_tlp = t };
	cc_err e;

	reverse_rows(want, &rev);
	for (;;) {
		size_t before = got.len;
		find_page fp = { &got, 0 };

		assert_int_equal(store_find(f->s, &q, collect_find, &fp, &e), 0);
		if (got.len == before)
			break;
		q.before_us = fp.last;
	}
	if (strcmp(cc_buf_str(&rev), cc_buf_str(&got)) != 0)
		fail_msg("step %d org %d coll %d max %d: find\n want %s\n got  %s", step, org, c, t,
			 cc_buf_str(&rev), cc_buf_str(&got));
	cc_buf_free(&rev);
	cc_buf_free(&got);
}

static void check_readers(fx *f, int step)
{
	for (int org = 1; org < N_ORGS; org++)
		for (int c = 0; c < N_COLLS; c++)
			for (int sel = SEL_LAST; sel <= SEL_ALL; sel++) {
				int t = m_grant_tlp(&f->m, org, c);
				store_query q = { 0 };
				store_page_query pq = { 0 };
				cc_buf want = CC_BUF_INIT, got = CC_BUF_INIT, page = CC_BUF_INIT,
				       want_page = CC_BUF_INIT;
				cc_err e;

				if (!f->m.can_read[org][c])
					continue;
				m_rows(&f->m, org, t, c, sel, &want);
				q.collection_id = f->coll[c];
				q.viewer_org = org;
				q.max_tlp = t;
				q.versions = sel == SEL_LAST ? STORE_VER_LAST
					   : sel == SEL_FIRST ? STORE_VER_FIRST : STORE_VER_ALL;
				assert_int_equal(store_query_run(f->s, &q, collect, &got, NULL, &e), 0);
				if (strcmp(cc_buf_str(&want), cc_buf_str(&got)) != 0)
					fail_msg("step %d org %d coll %d sel %d max %d:\n model %s\n store %s",
						 step, org, c, sel, t, cc_buf_str(&want), cc_buf_str(&got));
				if (sel == SEL_LAST) {
					check_find(f, step, org, c, t, cc_buf_str(&want));
					pq.collection_id = f->coll[c];
					pq.viewer_org = org;
					pq.max_tlp = t;
					assert_int_equal(store_read_page(f->s, &pq, collect_page, &page,
									 NULL, &e), 0);
					drop_owner(cc_buf_str(&want), &want_page);
					assert_string_equal(cc_buf_str(&want_page), cc_buf_str(&page));
				}
				cc_buf_free(&want);
				cc_buf_free(&got);
				cc_buf_free(&page);
				cc_buf_free(&want_page);
			}
}

static void check_outboxes(fx *f, int step)
{
	for (int p = 1; p <= N_PEERS; p++)
		for (int c = 0; c < N_COLLS; c++) {
			store_link l = { 0 };
			cc_buf want = CC_BUF_INIT, got = CC_BUF_INIT;
			int org = (int)f->peer[p].org_id;
			cc_err e;

			l.collection_id = f->coll[c];
			l.max_tlp = (p + c) % 5;
			l.push = true;
			m_outbox(&f->m, p, org, l.max_tlp < f->m.peer_cap[p] ? l.max_tlp
					  : f->m.peer_cap[p], c, &want);
			assert_int_equal(store_outbox(f->s, &l, &f->peer[p], 0, 0, collect, &got, NULL,
						      &e), 0);
			if (strcmp(cc_buf_str(&want), cc_buf_str(&got)) != 0)
				fail_msg("step %d: outbox of peer %d, c%d:\n model %s\n store %s", step, p,
					 c, cc_buf_str(&want), cc_buf_str(&got));
			cc_buf_free(&want);
			cc_buf_free(&got);
		}
}

static void setup_hub(fx *f, unsigned seed)
{
	cc_err e;
	int fd;

	memset(f, 0, sizeof(*f));
	f->rnd = seed;
	snprintf(f->path, sizeof(f->path), "/tmp/test_store_access_XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->path);
	assert_int_equal(store_open(f->path, &f->s, &e), 0);
	for (int o = 1; o < N_MEMBERS; o++) {
		char name[16];
		store_org org;
		snprintf(name, sizeof(name), "o%d", o);
		assert_int_equal(store_org_add(f->s, name, &org, &e), 0);
		assert_int_equal(org.id, o);
		store_org_clear(&org);
	}
	for (int p = 1; p <= N_PEERS; p++) {
		store_peer *pr = &f->peer[p];
		char name[16];

		snprintf(name, sizeof(name), "p%d", p);
		pr->name = name;
		pr->url = "https://peer.example/taxii2/";
		pr->max_tlp = f->m.peer_cap[p] = p == 1 ? STORE_TLP_GREEN : STORE_TLP_RED;
		assert_int_equal(store_peer_add(f->s, pr, &e), 0);
		assert_int_equal(pr->org_id, N_MEMBERS + p - 1);
		assert_int_equal(pr->id, p);
		pr->name = NULL;
		pr->url = NULL;
	}
	for (int c = 0; c < N_COLLS; c++) {
		char name[16];
		store_collection col;
		snprintf(name, sizeof(name), "c%d", c);
		assert_int_equal(store_collection_add(f->s, name, NULL, NULL, NULL, &col, &e), 0);
		f->coll[c] = col.id;
		store_collection_clear(&col);
		f->m.deflt[c] = c == 2 ? STORE_TLP_AMBER : STORE_TLP_CLEAR;
		if (f->m.deflt[c])
			assert_int_equal(store_collection_set_tlp(f->s, f->coll[c], f->m.deflt[c], &e), 0);
		for (int o = 1; o < N_ORGS; o++) {
			store_grant g = { o, f->coll[c], (o + c) % 4 != 0, true, (o + 2 * c) % 5 };
			f->m.can_read[o][c] = g.can_read;
			f->m.max_tlp[o][c] = g.max_tlp;
			assert_int_equal(store_grant_set(f->s, &g, &e), 0);
			assert_int_equal(store_grant_get(f->s, o, f->coll[c], &g, &e), 0);
			assert_int_equal(g.max_tlp, m_grant_tlp(&f->m, o, c));
		}
	}
}

static void run_ops(fx *f, int steps)
{
	cc_err e;

	for (int step = 0; step < steps; step++) {
		unsigned op = rnd(f, 28);
		int org = (int)rnd(f, N_ORGS), c = (int)rnd(f, N_COLLS), id = (int)rnd(f, N_IDS);

		if (op >= 20) {         /* a peer delivers a version, maybe a copy */
			int p = 1 + (int)rnd(f, N_PEERS);
			mver nv = { false, 0, id, 1 + (int)rnd(f, 4), (int)rnd(f, 2),
				    (int)rnd(f, 6) - 1, rnd(f, 4) ? -1 : (int)rnd(f, 5), rnd(f, 5) == 0 };
			store_ready rd = { 0 };
			cc_buf text = CC_BUF_INIT;

			if (op < 24 && f->m.nv)         /* an exact copy of a stored version */
				nv = f->m.v[rnd(f, (unsigned)f->m.nv)];
			rd.obj = make_obj(nv.id, nv.mod, nv.variant, nv.tlp, nv.gtlp, nv.upper);
			assert_true(cc_json_dump_text(rd.obj, &text));
			rd.text = text.data;
			rd.len = text.len;
			assert_int_equal(store_facts_make(rd.obj, &rd.facts, &e), 0);
			m_put_received(&f->m, p, (int)f->peer[p].org_id, c, &nv);
			if (store_put_received(f->s, f->coll[c], &rd, &f->peer[p], NULL, &e) != 0)
				fail_msg("step %d: delivery by peer %d: %s", step, p, e.msg);
			store_facts_clear(&rd.facts);
			cc_buf_free(&text);
			json_decref(rd.obj);
		} else if (op < 14) {   /* post a version, maybe a copy of what is there */
			mver nv = { false, org, id, 1 + (int)rnd(f, 4), (int)rnd(f, 2),
				    (int)rnd(f, 6) - 1, rnd(f, 4) ? -1 : (int)rnd(f, 5), rnd(f, 5) == 0 };
			json_t *o;
			store_put_result r;
			int want, got;

			if (op < 5 && f->m.nv) {        /* an exact copy of a stored version */
				const mver *v = &f->m.v[rnd(f, (unsigned)f->m.nv)];
				nv = *v;
			}
			o = make_obj(nv.id, nv.mod, nv.variant, nv.tlp, nv.gtlp, nv.upper);
			want = m_put(&f->m, org, c, &nv);
			got = store_put(f->s, f->coll[c], o, org, &r, &e);
			json_decref(o);
			if (got != want)
				fail_msg("step %d: put by %d into c%d of %d/%d: store %d (%s), model %d",
					 step, org, c, nv.id, nv.mod, got, got ? e.msg : "", want);
		} else if (op < 18 && org) {    /* a member deletes its copy */
			char ids[64];
			const char *idv[1] = { ids };
			store_query q = { 0 };
			size_t n = 0;
			int want = m_delete(&f->m, org, c, id);

			id_text(id, ids);
			q.collection_id = f->coll[c];
			q.ids = idv;
			q.n_ids = 1;
			q.viewer_org = org;
			q.max_tlp = f->m.max_tlp[org][c];
			q.owner_only = true;
			assert_int_equal(store_delete(f->s, &q, &n, &e), 0);
			assert_int_equal((int)n, want);
		} else if (op < 20) {   /* the operator changes a default TLP */
			int t = (int)rnd(f, 5);
			f->m.deflt[c] = t;
			assert_int_equal(store_collection_set_tlp(f->s, f->coll[c], t, &e), 0);
		}
		check_readers(f, step);
		check_outboxes(f, step);
	}
}

static void test_access_model(void **state)
{
	(void)state;
	/* SEEDS=N runs more (a longer soak) */
	unsigned seeds = getenv("SEEDS") ? (unsigned)atoi(getenv("SEEDS")) : 6u;

	for (unsigned seed = 1; seed <= seeds; seed++) {
		fx *f = calloc(1, sizeof(*f));

		assert_non_null(f);
		setup_hub(f, seed);
		run_ops(f, 150);
		for (int p = 1; p <= N_PEERS; p++)
			store_peer_clear(&f->peer[p]);
		store_close(f->s);
		unlink(f->path);
		free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access_model),
	};

	return cmocka_run_group_tests_name("store_access", tests, NULL, NULL);
}
