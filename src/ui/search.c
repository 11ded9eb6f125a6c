/*
 * search.c — GET /ui/api/search: objects by type, name (substring), alias,
 * external id (T1566, G0082) and observed value, as the member may see
 * them (store_find per collection), newest first, a page at a time.
 */
#include "ui/ui_int.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT 50
#define PAGE_MAX 200

/* One row found: an entry (a version in a collection). */
typedef struct hit {
	int64_t date_added;
	int64_t collection_id;
	json_t *summary;                   /* owned */
} hit;

typedef struct hits {
	hit *v;
	size_t n, cap;
	const ui_view *view;
} hits;

static int keep(const store_row *r, void *ud)
{
	hits *h = ud;
	json_t *o, *s;

	for (size_t i = 0; i < h->n; i++)	/* found by another criterion */
		if (h->v[i].date_added == r->date_added_us)
			return 0;
	o = json_loadb(r->json, r->json_len, 0, NULL);
	if (!o)
		return 0;
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 64;
		h->v = realloc(h->v, h->cap * sizeof(*h->v));
		if (!h->v)
			abort();
	}
	s = ui_summary(o);
	json_object_set(s, "modified", json_object_get(o, "modified"));
	json_object_set_new(s, "collection",
			    json_string(ui_view_coll_name(h->view, r->collection_id)));
	h->v[h->n++] = (hit){ r->date_added_us, r->collection_id, s };
	json_decref(o);
	return 0;
}

static int newest_first(const void *a, const void *b)
{
	const hit *x = a, *y = b;

	return x->date_added < y->date_added ? 1 : x->date_added > y->date_added ? -1 : 0;
}

/* Run q (with the page's type, cursor and size) as the member. */
static int run(const ui_req *r, store_find_query q, const store_find_query *page, hits *h,
	       cc_err *e)
{
	q.type = page->type;
	q.before_us = page->before_us;
	q.limit = page->limit;
	return ui_find(r->s, r->view, &q, keep, h, e);
}

/* The criteria of "by" for text: each one is a search of its own. */
static int search(const ui_req *r, const char *by, const char *text,
		  const store_find_query *page, hits *h, cc_err *e)
{
	bool any = !by || !*by || strcmp(by, "any") == 0;
	int rc = 0;

	if (!text || !*text)
		return run(r, (store_find_query){ 0 }, page, h, e);
	if (any || strcmp(by, "external_id") == 0)
		rc = run(r, (store_find_query){ .external_id = text }, page, h, e);
	if (rc == 0 && (any || strcmp(by, "alias") == 0))
		rc = run(r, (store_find_query){ .alias = text }, page, h, e);
	if (rc == 0 && any)	/* the start of the name or of a word in it: the index */
		rc = run(r, (store_find_query){ .word = text }, page, h, e);
	if (rc == 0 && !any && strcmp(by, "name") == 0)	/* any part: every name read */
		rc = run(r, (store_find_query){ .name = text }, page, h, e);
	if (rc == 0 && (any || strcmp(by, "value") == 0))
		rc = run(r, (store_find_query){ .value = text }, page, h, e);
	return rc;
}

static bool known_by(const char *by)
{
	static const char *const v[] = { "any", "name", "alias", "external_id", "value" };

	for (size_t i = 0; by && i < sizeof(v) / sizeof(v[0]); i++)
		if (strcmp(by, v[i]) == 0)
			return true;
	return !by || !*by;
}

void ui_api_search(const ui_req *r, taxii_response *rs)
{
	const char *by = ui_arg(r->rq, "by"), *lim = ui_arg(r->rq, "limit");
	const char *before = ui_arg(r->rq, "before"), *type = ui_arg(r->rq, "type");
	store_find_query page = { .limit = PAGE_DEFAULT };
	hits h = { NULL, 0, 0, r->view };
	json_t *j, *arr;
	cc_err e;
	size_t n;

	if (!known_by(by)) {
		ui_error(rs, 400, "by: one of any, name, alias, external_id, value");
		return;
	}
	if (lim && (atol(lim) < 1 || atol(lim) > PAGE_MAX)) {
		ui_error(rs, 400, "limit: 1 to %d", PAGE_MAX);
		return;
	}
	if (lim)
		page.limit = (size_t)atol(lim);
	page.type = type && *type ? type : NULL;
	page.before_us = before ? atoll(before) : 0;
	page.limit++;	/* one more tells whether there is a next page */
	if (search(r, by, ui_arg(r->rq, "q"), &page, &h, &e) != 0) {
		ui_error(rs, 500, "%s", e.msg);
		goto out;
	}
	if (h.n)
		qsort(h.v, h.n, sizeof(*h.v), newest_first);
	n = h.n < page.limit - 1 ? h.n : page.limit - 1;
	j = json_object();
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(arr, h.v[i].summary);
	json_object_set_new(j, "results", arr);
	json_object_set_new(j, "more", json_boolean(h.n > n));
	if (h.n > n) {
		char next[32];

		snprintf(next, sizeof(next), "%lld", (long long)h.v[n - 1].date_added);
		json_object_set_new(j, "next", json_string(next));
	}
	ui_json(rs, 200, j);
out:
	for (size_t i = 0; i < h.n; i++)
		json_decref(h.v[i].summary);
	free(h.v);
}
