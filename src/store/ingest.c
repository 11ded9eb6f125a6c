/*
 * ingest.c — the one way an input object becomes what the store keeps:
 * upgrade STIX 2.0, validate, serialise, make the store facts.  Import
 * (on its worker threads or not) and TAXII POST all call it, so the same
 * object is stored as the same bytes whichever way it came in: the text
 * is always cc_json_dump_text of the parsed (and upgraded) object, never
 * the input's own spelling of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stix/stix.h"
#include "store/store_int.h"
#include "util/xalloc.h"
#include "util/jdump.h"

/* Passes the problems of one object to the caller's function with its id. */
typedef struct probe {
	store_problem_fn fn;
	void *ud;
	const char *id;
	size_t n;
} probe;

static void report(probe *p, const char *path, const char *msg)
{
	p->n++;
	if (p->fn)
		p->fn(p->id, path ? path : "", msg, p->ud);
}

static void on_problem(const char *path, const char *msg, void *ud)
{
	report(ud, path, msg);
}

static void validate(probe *p, const json_t *obj)
{
	p->id = json_string_value(json_object_get(obj, "id"));
	stix_validate(obj, on_problem, p);
}

static store_ready *ready_add(store_ingest *in)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? 2 * in->cap : 4;
		in->v = cc_xrealloc(in->v, in->cap * sizeof(*in->v));
	}
	memset(&in->v[in->n], 0, sizeof(in->v[0]));
	return &in->v[in->n++];
}

static void ready_clear(store_ready *r)
{
	store_facts_clear(&r->facts);
	free(r->text);
	json_decref(r->obj);
	memset(r, 0, sizeof(*r));
}

/* Append obj, valid, with its text and facts; false (reported) when the
 * store cannot take it. */
static bool make_ready(probe *p, json_t *obj, store_ingest *out)
{
	store_ready *r = ready_add(out);
	cc_buf b = CC_BUF_INIT;
	cc_err e;

	p->id = json_string_value(json_object_get(obj, "id"));
	if (!cc_json_dump_text(obj, &b)) {
		cc_buf_free(&b);
		out->n--;
		report(p, "", "cannot serialise the object");
		return false;
	}
	r->obj = json_incref(obj);
	r->text = cc_buf_take(&b, &r->len);
	if (store_facts_make(obj, &r->facts, &e) != 0) {
		ready_clear(r);
		out->n--;
		report(p, "", e.msg);
		return false;
	}
	return true;
}

void store_first_problem_note(const char *id, const char *path, const char *msg, void *ud)
{
	store_first_problem *p = ud;

	(void)id;
	if (p->n++ == 0)
		snprintf(p->first, sizeof(p->first), "%s%s%s", path && *path ? path : "",
			 path && *path ? ": " : "", msg);
}

void store_first_problem_text(const store_first_problem *p, char *out, size_t n)
{
	snprintf(out, n, "%s%s", p->first, p->n > 1 ? " (and more problems)" : "");
}

size_t store_ingest_prepare(json_t *obj, const char *bundle_sv, store_ingest *out,
			    store_problem_fn fn, void *ud)
{
	probe p = { fn, ud, json_string_value(json_object_get(obj, "id")), 0 };
	size_t first = out->n, i;
	json_t *extra = NULL, *x;
	cc_err e;

	if (!json_is_object(obj)) {
		report(&p, "", "not a JSON object");
		goto out;
	}
	if (stix_is_20(obj, bundle_sv)) {
		extra = json_array();
		cc_err_clear(&e);
		if (stix_upgrade(obj, extra, &e) != 0) {
			report(&p, "", e.msg[0] ? e.msg : "cannot upgrade from STIX 2.0");
			goto out;
		}
	}
	json_array_foreach(extra, i, x)
		validate(&p, x);
	validate(&p, obj);
	if (p.n)
		goto out;
	json_array_foreach(extra, i, x)
		if (!make_ready(&p, x, out))
			goto out;
	make_ready(&p, obj, out);
out:
	if (p.n) {              /* nothing of a bad input is stored */
		while (out->n > first)
			ready_clear(&out->v[--out->n]);
		out->problems += p.n;
	}
	json_decref(extra);
	return p.n;
}

void store_ingest_clear(store_ingest *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->n; i++)
		ready_clear(&in->v[i]);
	free(in->v);
	memset(in, 0, sizeof(*in));
}
