/*
 * objects.c — the content endpoints of a collection: get objects (all or
 * one id), manifest, versions, add objects (POST) and delete an object.
 *
 * Every read goes through store_query_run with the caller's organisation
 * and its grant's max TLP, so TLP filtering is the store's one rule.
 * Envelopes are built by concatenating the stored compact JSON text.
 */
#include "taxii/internal.h"

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

static int page_row(const store_row *r, void *ud)
{
	page *p = ud;

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

static bool read_allowed(const taxii_coll_req *c, taxii_response *rs, taxii_filter *f)
{
	cc_err e;

	if (!c->grant->can_read) {
		taxii_error(rs, 403, "Forbidden", "this collection is not readable for you");
		return false;
	}
	if (taxii_filter_parse(c->rq->args, c->rq->n_args, f, &e) != 0) {
		taxii_error(rs, 400, "Bad Request", "%s", e.msg);
		return false;
	}
	return true;
}

/* Run q as one page of kind into rs, with the envelope around it. */
static void run_page(const taxii_coll_req *c, const store_query *q, enum page_kind kind,
		     const char *one_id, taxii_response *rs)
{
	page p = { &rs->body, kind, 0, 0, 0 };
	bool more = false;
	cc_err e;

	cc_buf_reset(&rs->body);
	cc_buf_puts(&rs->body, kind == PAGE_VERSIONS ? "{\"versions\":[" : "{\"objects\":[");
	if (store_query_run(c->s, q, page_row, &p, &more, &e) != 0) {
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
		cc_ts_format(p.last, 6, rs->date_last);
	}
	rs->status = 200;
	rs->has_body = true;
}

void taxii_get_objects(const taxii_coll_req *c, const char *object_id, taxii_response *rs)
{
	taxii_filter f;
	store_query q;
	const char *one[1] = { object_id };

	if (!read_allowed(c, rs, &f))
		return;
	make_query(c, &f, object_id ? one : NULL, object_id == NULL, &q);
	run_page(c, &q, PAGE_OBJECTS, object_id, rs);
	taxii_filter_clear(&f);
}

void taxii_get_manifest(const taxii_coll_req *c, taxii_response *rs)
{
	taxii_filter f;
	store_query q;

	if (!read_allowed(c, rs, &f))
		return;
	make_query(c, &f, NULL, true, &q);
	run_page(c, &q, PAGE_MANIFEST, NULL, rs);
	taxii_filter_clear(&f);
}

void taxii_get_versions(const taxii_coll_req *c, const char *object_id, taxii_response *rs)
{
	taxii_filter f;
	store_query q;
	const char *one[1] = { object_id };

	if (!read_allowed(c, rs, &f))
		return;
	/* versions lists every version: match[version] does not apply here */
	f.versions = STORE_VER_ALL;
	f.n_version_us = 0;
	make_query(c, &f, one, false, &q);
	run_page(c, &q, PAGE_VERSIONS, object_id, rs);
	taxii_filter_clear(&f);
}

/* The visible versions an object DELETE would remove. */
typedef struct del_set {
	int64_t *us;            /* their version timestamps */
	size_t n, cap;
} del_set;

static int del_row(const store_row *r, void *ud)
{
	del_set *d = ud;

	if (d->n == d->cap) {
		int64_t *nv;

		d->cap = d->cap ? d->cap * 2 : 16;
		nv = realloc(d->us, d->cap * sizeof(*nv));
		if (!nv)
			return 1;
		d->us = nv;
	}
	d->us[d->n++] = r->modified_us;
	return 0;
}

void taxii_delete_object(const taxii_coll_req *c, const char *object_id, taxii_response *rs)
{
	const char *one[1] = { object_id };
	taxii_filter f;
	store_query q;
	del_set d = { NULL, 0, 0 };
	size_t total = 0;
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
	pthread_mutex_lock(&c->ctx->write_lock);
	rc = store_begin(c->s, &e);
	if (rc == 0)
		rc = store_query_run(c->s, &q, del_row, &d, NULL, &e);
	if (rc == 0 && d.n == 0) {
		store_rollback(c->s);
		pthread_mutex_unlock(&c->ctx->write_lock);
		taxii_error(rs, 404, "Not Found", "no object %.100s in this collection", object_id);
		goto out;
	}
	q.viewer_org = 0;
	if (rc == 0)
		rc = store_query_count(c->s, &q, &total, &e);
	if (rc == 0 && total != d.n) {
		/* some selected versions are hidden from the caller: remove only
		 * the visible ones, by their exact version */
		q.versions = 0;
		q.version_us = d.us;
		q.n_version_us = d.n;
	}
	if (rc == 0)
		rc = store_delete(c->s, &q, NULL, &e);
	if (rc == 0)
		rc = store_commit(c->s, &e);
	if (rc != 0)
		store_rollback(c->s);
	pthread_mutex_unlock(&c->ctx->write_lock);
	if (rc != 0) {
		taxii_error(rs, 500, "Internal Server Error", "%s", e.msg);
		goto out;
	}
	rs->status = 200;
	rs->has_body = false;
out:
	free(d.us);
	taxii_filter_clear(&f);
}
