/*
 * memo.c — what a worker remembers between requests: users (hash, org),
 * collections, grants, and the answers of reads asked more than once, read
 * from the store and kept while the store's generation (store_read_begin)
 * stays the same.  Any commit, by any connection or process, changes the
 * generation and empties the memo, so a revoked grant, a lowered max TLP,
 * a changed password or a new object takes effect on the next request.
 * The kept answers' bytes are shared (refcounted) with the responses still
 * being sent from them.
 */
#include "taxii/taxii_int.h"

#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

taxii_memo *taxii_memo_new(void)
{
	return calloc(1, sizeof(taxii_memo));
}

taxii_blob *taxii_blob_new(const char *data, size_t len)
{
	taxii_blob *b = malloc(sizeof(*b) + len + 1);

	if (!b)
		return NULL;
	atomic_init(&b->refs, 1);
	b->len = len;
	memcpy(b->data, data, len);
	b->data[len] = 0;
	return b;
}

taxii_blob *taxii_blob_ref(taxii_blob *b)
{
	atomic_fetch_add(&b->refs, 1);
	return b;
}

void taxii_blob_unref(taxii_blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

static void page_clear(taxii_memo *m, taxii_known_page *p)
{
	m->page_bytes -= p->key ? p->body->len : 0;
	free(p->key);
	taxii_blob_unref(p->body);
	memset(p, 0, sizeof(*p));
}

/* Forget everything (keeps the allocation). */
static void memo_forget(taxii_memo *m)
{
	for (size_t i = 0; i < TAXII_MEMO_COLLS; i++)
		store_collection_clear(&m->colls[i].c);
	for (size_t i = 0; i < TAXII_MEMO_PAGES; i++)
		page_clear(m, &m->pages[i]);
	memset(m, 0, sizeof(*m));
}

void taxii_memo_free(taxii_memo *m)
{
	if (!m)
		return;
	memo_forget(m);
	free(m);
}

void taxii_memo_start(taxii_memo *m, bool valid, uint64_t gen)
{
	if (!valid || !m->valid || m->gen != gen)
		memo_forget(m);
	m->valid = valid;
	m->gen = gen;
}

/* The index of the table slot for a new entry: a free one while there is
 * one (*n counts them), else the next one in turn (*next). */
static size_t new_slot(size_t *n, size_t *next, size_t max)
{
	return *n < max ? (*n)++ : (*next)++ % max;
}

int taxii_memo_user(taxii_memo *m, store *s, const char *name, const taxii_known_user **out)
{
	taxii_known_user *u;
	store_user su = { 0 };
	int rc;

	for (size_t i = 0; i < m->n_users; i++)
		if (strcmp(m->users[i].name, name) == 0) {
			*out = &m->users[i];
			return 0;
		}
	if (strlen(name) >= sizeof(u->name))
		return CC_ENOTFOUND;
	rc = store_user_get(s, name, &su, NULL);
	if (rc == 0 && (!su.pwhash || strlen(su.pwhash) >= sizeof(u->pwhash)))
		rc = CC_ENOTFOUND;
	if (rc) {
		store_user_clear(&su);
		return rc;
	}
	u = &m->users[new_slot(&m->n_users, &m->next_user, TAXII_MEMO_USERS)];
	snprintf(u->name, sizeof(u->name), "%s", name);
	snprintf(u->pwhash, sizeof(u->pwhash), "%s", su.pwhash);
	u->org_id = su.org_id;
	snprintf(u->org, sizeof(u->org), "%s", su.org_name ? su.org_name : "");
	store_user_clear(&su);
	*out = u;
	return 0;
}

int taxii_memo_collection(taxii_memo *m, store *s, const char *id, const store_collection **out)
{
	taxii_known_coll *mc;
	store_collection c;
	int rc;

	for (size_t i = 0; i < m->n_colls; i++)
		if (strcmp(m->colls[i].key, id) == 0) {
			*out = &m->colls[i].c;
			return 0;
		}
	rc = store_collection_get(s, id, &c, NULL);
	if (rc)
		return rc;
	if (strlen(id) >= sizeof(mc->key)) {
		store_collection_clear(&c);
		return CC_ENOTFOUND;
	}
	mc = &m->colls[new_slot(&m->n_colls, &m->next_coll, TAXII_MEMO_COLLS)];
	store_collection_clear(&mc->c);
	snprintf(mc->key, sizeof(mc->key), "%s", id);
	mc->c = c;
	*out = &mc->c;
	return 0;
}

int taxii_memo_grant(taxii_memo *m, store *s, int64_t org_id, int64_t coll_id, store_grant *out)
{
	taxii_known_grant *g;
	int rc;

	for (size_t i = 0; i < m->n_grants; i++) {
		g = &m->grants[i];
		if (g->g.org_id == org_id && g->g.collection_id == coll_id) {
			*out = g->g;
			return g->found ? 0 : CC_ENOTFOUND;
		}
	}
	rc = store_grant_get(s, org_id, coll_id, out, NULL);
	if (rc && rc != CC_ENOTFOUND)
		return rc;
	g = &m->grants[new_slot(&m->n_grants, &m->next_grant, TAXII_MEMO_GRANTS)];
	g->found = rc == 0;
	g->g = *out;
	g->g.org_id = org_id;
	g->g.collection_id = coll_id;
	return rc;
}

bool taxii_memo_page_get(taxii_memo *m, const char *key, taxii_response *rs)
{
	if (!m->valid)
		return false;
	for (size_t i = 0; i < TAXII_MEMO_PAGES; i++) {
		const taxii_known_page *p = &m->pages[i];

		if (p->key && strcmp(p->key, key) == 0) {
			cc_buf_reset(&rs->body);
			taxii_blob_unref(rs->blob);
			rs->blob = taxii_blob_ref(p->body);
			memcpy(rs->date_first, p->date_first, sizeof(rs->date_first));
			memcpy(rs->date_last, p->date_last, sizeof(rs->date_last));
			rs->status = 200;
			rs->has_body = true;
			return true;
		}
	}
	return false;
}

/* FNV-1a of a key, never 0 (0 marks a free slot of asked). */
static uint64_t key_hash(const char *key)
{
	uint64_t h = cc_fnv1a(key, strlen(key));

	return h ? h : 1;       /* 0 marks a free slot */
}

/* Whether key was asked before (and forget that); else remember it. */
static bool asked_before(taxii_memo *m, const char *key)
{
	uint64_t h = key_hash(key);

	for (size_t i = 0; i < TAXII_MEMO_ASKED; i++)
		if (m->asked[i] == h) {
			m->asked[i] = 0;
			return true;
		}
	m->asked[m->next_asked++ % TAXII_MEMO_ASKED] = h;
	return false;
}

void taxii_memo_page_put(taxii_memo *m, const char *key, const taxii_response *rs)
{
	taxii_known_page *p;
	size_t len = rs->body.len;

	if (!m->valid || rs->status != 200 || !rs->has_body || len > TAXII_MEMO_PAGE_MAX ||
	    !asked_before(m, key))
		return;
	/* replace pages in turn until this one fits */
	do {
		p = &m->pages[m->next_page++ % TAXII_MEMO_PAGES];
		page_clear(m, p);
	} while (m->page_bytes + len > TAXII_MEMO_PAGES_BYTES);
	p->key = strdup(key);
	p->body = taxii_blob_new(rs->body.data ? rs->body.data : "", len);
	if (!p->key || !p->body) {
		free(p->key);
		taxii_blob_unref(p->body);
		memset(p, 0, sizeof(*p));
		return;
	}
	memcpy(p->date_first, rs->date_first, sizeof(p->date_first));
	memcpy(p->date_last, rs->date_last, sizeof(p->date_last));
	m->page_bytes += len;
}
