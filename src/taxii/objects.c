/*
 * objects.c — the content endpoints of a collection: get objects (all or
 * one id), manifest, versions, add objects (POST) and delete an object.
 *
 * Every read goes through store_query_run with the caller's organisation
 * and its grant's max TLP, so TLP filtering is the store's one rule.
 * Envelopes are built by concatenating the stored compact JSON text.
 */
#include "taxii/taxii_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "stix/stix.h"
#include "util/time.h"
#include "util/uuid.h"

enum page_kind { PAGE_OBJECTS, PAGE_MANIFEST, PAGE_VERSIONS };

/* Collects the rows of one page into the response body. */
typedef struct page {
	cc_buf *b;              /* the body being built */
	enum page_kind kind;
	size_t n;               /* rows so far */
	int64_t first, last;    /* date_added of the first and last row */
	audit_list *read;       /* the ids read that the audit trail records */
	bool all;               /* every id (a restricted collection), else those of
	                           level TLP:AMBER+STRICT and above */
} page;

/* Append s as a JSON string literal. */
static void put_jstr(cc_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *run = p;

	cc_buf_putc(b, '"');
	for (; *p; p++) {
		if (*p != '"' && *p != '\\' && *p >= 0x20)
			continue;
		cc_buf_append(b, run, (size_t)(p - run));
		if (*p == '"' || *p == '\\') {
			char esc[3] = { '\\', (char)*p, 0 };

			cc_buf_puts(b, esc);
		} else {
			char esc[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0 };

			cc_buf_puts(b, esc);
		}
		run = p + 1;
	}
	cc_buf_append(b, run, (size_t)(p - run));
	cc_buf_putc(b, '"');
}

static void put_ts(cc_buf *b, int64_t us)
{
	char ts[CC_TS_MAX];

	cc_ts_format(us, 6, ts);
	put_jstr(b, ts);
}

/* Record the id of row r for the audit trail when it is sensitive (once
 * when the rows of one id follow each other). */
static void audit_row(page *p, const store_row *r)
{
	if (!p->all && r->lvl < STORE_TLP_AMBER_STRICT)
		return;
	if (p->read->n && strcmp(p->read->v[p->read->n - 1], r->id) == 0)
		return;
	audit_list_add(p->read, r->id);
}

static int page_row(const store_row *r, void *ud)
{
	page *p = ud;

	audit_row(p, r);
	if (p->n++)
		cc_buf_putc(p->b, ',');
	else
		p->first = r->date_added_us;
	p->last = r->date_added_us;
	switch (p->kind) {
	case PAGE_OBJECTS:
		cc_buf_append(p->b, r->json, r->json_len);
		break;
	case PAGE_MANIFEST:
		cc_buf_puts(p->b, "{\"id\":");
		put_jstr(p->b, r->id);
		cc_buf_puts(p->b, ",\"date_added\":");
		put_ts(p->b, r->date_added_us);
		cc_buf_puts(p->b, ",\"version\":");
		if (r->modified && *r->modified)
			put_jstr(p->b, r->modified);
		else
			put_ts(p->b, r->date_added_us);
		cc_buf_puts(p->b, ",\"media_type\":\"" TAXII_STIX_MEDIA_TYPE "\"}");
		break;
	case PAGE_VERSIONS:
		if (r->modified && *r->modified)
			put_jstr(p->b, r->modified);
		else
			put_ts(p->b, r->date_added_us);
		break;
	}
	return 0;
}

/* Fill q from the filters; one_id (may be NULL) overrides match[id]. */
static void make_query(const taxii_coll_req *c, const taxii_filter *f, const char *const *one_id,
		       bool with_types, store_query *q)
{
	memset(q, 0, sizeof(*q));
	q->collection_id = c->coll->id;
	if (one_id) {
		q->ids = one_id;
		q->n_ids = 1;
	} else {
		q->ids = (const char *const *)f->ids;
		q->n_ids = f->n_ids;
	}
	if (with_types) {
		q->types = (const char *const *)f->types;
		q->n_types = f->n_types;
	}
	q->versions = f->versions;
	q->version_us = f->version_us;
	q->n_version_us = f->n_version_us;
	q->spec_versions = (const char *const *)f->specs;
	q->n_spec = f->n_specs;
	q->added_after_us = f->added_after_us > f->next_us ? f->added_after_us : f->next_us;
	q->limit = f->limit && f->limit < TAXII_PAGE_MAX ? f->limit : TAXII_PAGE_MAX;
	q->viewer_org = c->who->org_id;
	q->max_tlp = c->grant->max_tlp;
}

/* Whether who can see any version of id in the collection. */
static int visible_exists(const taxii_coll_req *c, const char *id, bool *exists, cc_err *e)
{
	const char *ids[1] = { id };
	store_query q = { 0 };
	size_t n = 0;
	int rc;

	q.collection_id = c->coll->id;
	q.ids = ids;
	q.n_ids = 1;
	q.versions = STORE_VER_ALL;
	q.viewer_org = c->who->org_id;
	q.max_tlp = c->grant->max_tlp;
	rc = store_query_count(c->s, &q, &n, e);
	*exists = n > 0;
	return rc;
}

#define PAGE_KEY_MAX 1024

/* The memo key of a read of endpoint kind ('o' objects, 'm' manifest, 'v'
 * versions) on object_id (may be NULL): everything its answer depends on
 * besides the store's content, i.e. the viewer's organisation, its grant's
 * max TLP, the collection and its default TLP, the object id and the
 * query arguments (each string with its length, so that no two requests
 * make one key).
 * False when the key does not fit (then the read is not kept). */
static bool page_key(const taxii_coll_req *c, char kind, const char *object_id, char *key)
{
	const char *id = object_id ? object_id : "";
	int n = snprintf(key, PAGE_KEY_MAX, "%c %lld %d %lld %d %zu:%s", kind,
			 (long long)c->who->org_id, c->grant->max_tlp, (long long)c->coll->id,
			 c->coll->default_tlp, strlen(id), id);

	for (size_t i = 0; i < c->rq->n_args && n > 0 && n < PAGE_KEY_MAX; i++) {
		const taxii_arg *a = &c->rq->args[i];

		if (a->value)
			n += snprintf(key + n, PAGE_KEY_MAX - (size_t)n, " %zu:%s%zu:%s",
				      strlen(a->key), a->key, strlen(a->value), a->value);
		else
			n += snprintf(key + n, PAGE_KEY_MAX - (size_t)n, " %zu:%s-",
				      strlen(a->key), a->key);
	}
	return n > 0 && n < PAGE_KEY_MAX;
}

/* Whether the caller may read; then the answer kept in the memo (true,
 * *f untouched) or the parsed filters (false, f to clear).  rs is set and
 * true returned also on a refusal. */
static bool answered_or_parsed(const taxii_coll_req *c, char kind, const char *object_id,
			       char *key, taxii_response *rs, taxii_filter *f)
{
	cc_err e;

	if (!c->grant->can_read) {
		taxii_error(rs, 403, "Forbidden", "this collection is not readable for you");
		return true;
	}
	if (!page_key(c, kind, object_id, key))
		key[0] = '\0';
	else if (taxii_memo_page_get(c->memo, key, rs))
		return true;
	if (taxii_filter_parse(c->rq->args, c->rq->n_args, f, &e) != 0) {
		taxii_error(rs, 400, "Bad Request", "%s", e.msg);
		return true;
	}
	return false;
}

/* The rows of q for a page of kind: a plain objects page (latest
 * versions of the collection or of one object, no filter but
 * added_after/next and limit) takes the store's lean page read. */
static int page_rows(const taxii_coll_req *c, const store_query *q, enum page_kind kind,
		     page *p, bool *more, cc_err *e)
{
	store_page_query pq;

	if (kind != PAGE_OBJECTS || q->n_ids > 1 || q->n_types || q->n_spec || q->versions ||
	    q->n_version_us)
		return store_query_run(c->s, q, page_row, p, more, e);
	memset(&pq, 0, sizeof(pq));
	pq.collection_id = q->collection_id;
	pq.added_after_us = q->added_after_us;
	pq.limit = q->limit;
	pq.viewer_org = q->viewer_org;
	pq.max_tlp = q->max_tlp;
	pq.id = q->n_ids ? q->ids[0] : NULL;
	return store_read_page(c->s, &pq, page_row, p, more, e);
}

/* Run q as one page of kind into rs, with the envelope around it. */
static void run_page(const taxii_coll_req *c, const store_query *q, enum page_kind kind,
		     const char *one_id, taxii_response *rs)
{
	page p = { &rs->body, kind, 0, 0, 0, &rs->read, c->coll->restricted };
	bool more = false;
	cc_err e;

	cc_buf_reset(&rs->body);
	cc_buf_puts(&rs->body, kind == PAGE_VERSIONS ? "{\"versions\":[" : "{\"objects\":[");
	if (page_rows(c, q, kind, &p, &more, &e) != 0) {
		audit_list_clear(&rs->read);
		taxii_error(rs, 500, "Internal Server Error", "%s", e.msg);
		return;
	}
	if (p.n == 0 && one_id) {
		bool exists = false;

		if (visible_exists(c, one_id, &exists, &e) != 0) {
			taxii_error(rs, 500, "Internal Server Error", "%s", e.msg);
			return;
		}
		if (!exists) {
			taxii_error(rs, 404, "Not Found", "no object %.100s in this collection", one_id);
			return;
		}
	}
	if (p.n == 0) {
		cc_buf_reset(&rs->body);
		cc_buf_puts(&rs->body, "{\"more\":false}");
	} else if (more) {
		cc_buf_printf(&rs->body, "],\"more\":true,\"next\":\"%lld\"}", (long long)p.last);
	} else {
		cc_buf_puts(&rs->body, "],\"more\":false}");
	}
	if (p.n) {
		cc_ts_format(p.first, 6, rs->date_first);
		if (p.last == p.first)
			memcpy(rs->date_last, rs->date_first, sizeof(rs->date_last));
		else
			cc_ts_format(p.last, 6, rs->date_last);
	}
	rs->status = 200;
	rs->has_body = true;
}

/* Keep a 200 answer under key (when there is one), unless it read
 * sensitive objects: their ids are in the answer's audit entry, and an
 * answer from memory would not name them. */
static void keep(const taxii_coll_req *c, const char *key, const taxii_response *rs)
{
	if (key[0] && !rs->read.n)
		taxii_memo_page_put(c->memo, key, rs);
}

/* GET objects (all, or one id), manifest or versions (one id): the memo's
 * answer, or the store's (then kept when asked again). */
static void get_content(const taxii_coll_req *c, enum page_kind kind, const char *object_id,
			taxii_response *rs)
{
	static const char kind_key[] = { [PAGE_OBJECTS] = 'o', [PAGE_MANIFEST] = 'm',
					 [PAGE_VERSIONS] = 'v' };
	const char *one[1] = { object_id };
	char key[PAGE_KEY_MAX];
	taxii_filter f;
	store_query q;

	if (answered_or_parsed(c, kind_key[kind], object_id, key, rs, &f))
		return;
	if (kind == PAGE_VERSIONS) {
		/* versions lists every version: match[version] does not apply */
		f.versions = STORE_VER_ALL;
		f.n_version_us = 0;
	}
	/* match[type] applies to lists, not to one object */
	make_query(c, &f, object_id ? one : NULL, object_id == NULL, &q);
	run_page(c, &q, kind, object_id, rs);
	keep(c, key, rs);
	taxii_filter_clear(&f);
}

void taxii_get_objects(const taxii_coll_req *c, const char *object_id, taxii_response *rs)
{
	get_content(c, PAGE_OBJECTS, object_id, rs);
}

void taxii_get_manifest(const taxii_coll_req *c, taxii_response *rs)
{
	get_content(c, PAGE_MANIFEST, NULL, rs);
}

void taxii_get_versions(const taxii_coll_req *c, const char *object_id, taxii_response *rs)
{
	get_content(c, PAGE_VERSIONS, object_id, rs);
}

/* DELETE of an object: the caller's own versions of it in the collection
 * (all, or those match[version] selects among them).  Another owner's
 * copy is never touched: asking to delete it, seen or not, answers as for
 * an id never stored (404). */
void taxii_delete_object(const taxii_coll_req *c, const char *object_id, taxii_response *rs)
{
	const char *one[1] = { object_id };
	taxii_filter f;
	store_query q;
	size_t n = 0;
	cc_err e;
	int rc;

	if (!c->grant->can_write) {
		taxii_error(rs, 403, "Forbidden", "this collection is not writable for you");
		return;
	}
	if (taxii_filter_parse(c->rq->args, c->rq->n_args, &f, &e) != 0) {
		taxii_error(rs, 400, "Bad Request", "%s", e.msg);
		return;
	}
	if (!f.versions && !f.n_version_us)
		f.versions = STORE_VER_ALL;	/* no filter: the whole object */
	make_query(c, &f, one, false, &q);
	q.added_after_us = 0;
	q.limit = 0;
	q.owner_only = true;
	pthread_mutex_lock(&c->ctx->write_lock);
	rc = store_begin(c->s, &e);
	if (rc == 0)
		rc = store_delete(c->s, &q, &n, &e);
	if (rc == 0 && n > 0)
		rc = store_commit(c->s, &e);
	else
		store_rollback(c->s);
	pthread_mutex_unlock(&c->ctx->write_lock);
	if (rc != 0)
		taxii_error(rs, 500, "Internal Server Error", "%s", e.msg);
	else if (n == 0)
		taxii_error(rs, 404, "Not Found", "no object %.100s in this collection", object_id);
	else {
		rs->status = 200;
		rs->has_body = false;
		audit_list_add(&rs->deleted, object_id);
	}
	taxii_filter_clear(&f);
}
