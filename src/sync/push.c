/*
 * push.c — a push: envelopes of the store's outbox for a link (or of
 * objects given), each sent and its status followed to the end before the
 * link's cursor moves past it.  Sending an envelope again after an
 * interruption is harmless: the remote knows the versions it has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/sync_int.h"
#include "util/jdump.h"

/* Objects per envelope at most (and the remote's max_content_length).  On
 * the remote, an envelope is one transaction: its cost is mostly the
 * B-tree pages it dirties, and a store of a million objects has so many
 * pages in its id and search indexes that 1,000 random ids dirty a page
 * each -- the same pages that 50,000 share (bench/results/sync.md). */
#define PUSH_OBJECTS_MAX 50000

/* An envelope being filled. */
typedef struct env {
	cc_buf text;                    /* {"objects":[...]} without its "]}" */
	size_t n;                       /* objects in it */
	size_t max_n;                   /* objects it may hold */
	size_t max_bytes;               /* the remote's limit (and ours) */
	int64_t last_da;                /* date_added of its last row (outbox) */
	bool full;                      /* the next row did not fit */
} env;

static void env_start(env *v)
{
	cc_buf_reset(&v->text);
	cc_buf_puts(&v->text, "{\"objects\":[");
	v->n = 0;
	v->full = false;
}

/* Add one object's text unless the envelope is full; false then. */
static bool env_add(env *v, const char *json, size_t len)
{
	if (v->n && (v->n >= v->max_n || v->text.len + len + 3 > v->max_bytes)) {
		v->full = true;
		return false;
	}
	if (v->n++)
		cc_buf_putc(&v->text, ',');
	cc_buf_append(&v->text, json, len);
	return true;
}

static int outbox_row(const store_row *r, void *ud)
{
	env *v = ud;

	if (!env_add(v, r->json, r->json_len))
		return 1;
	v->last_da = r->date_added_us;
	return 0;
}

/* The remote's max_content_length (the API root's), within ours. */
static int remote_limit(sync_client *c, size_t *out, cc_err *e)
{
	sync_answer a;
	json_t *m;
	int rc = sync_get(c, "", NULL, &a, e);

	if (rc)
		return rc;
	m = json_object_get(a.json, "max_content_length");
	*out = SYNC_ENVELOPE_MAX;
	if (json_is_integer(m) && json_integer_value(m) > 0 &&
	    (uint64_t)json_integer_value(m) < SYNC_ENVELOPE_MAX)
		*out = (size_t)json_integer_value(m);
	sync_answer_clear(&a);
	return 0;
}

/* The successes of status st that were on the remote already: its count
 * when it gives one (a cybercell hub lists the first 1,000 successes only),
 * else those the list says so of. */
static size_t already_of(const json_t *st)
{
	json_t *count = json_object_get(st, "x_cybercell_already_count"), *f;
	size_t i, already = 0;

	if (json_is_integer(count) && json_integer_value(count) >= 0)
		return (size_t)json_integer_value(count);
	json_array_foreach(json_object_get(st, "successes"), i, f) {
		const char *m = json_string_value(json_object_get(f, "message"));

		if (m && strstr(m, "already"))
			already++;
	}
	return already;
}

/* Count a final status into n; report each failure. */
static void tally(const sync_push_opts *o, const json_t *st, size_t sent, sync_counts *n)
{
	json_t *fails = json_object_get(st, "failures"), *f;
	json_int_t nf = json_integer_value(json_object_get(st, "failure_count"));
	json_int_t ns = json_integer_value(json_object_get(st, "success_count"));
	size_t i, already = already_of(st);

	n->objects += sent;
	n->pages++;
	n->failed += nf > 0 ? (size_t)nf : 0;
	n->already += already;
	n->added += ns > (json_int_t)already ? (size_t)ns - already : 0;
	json_array_foreach(fails, i, f) {
		const char *id = json_string_value(json_object_get(f, "id"));
		const char *msg = json_string_value(json_object_get(f, "message"));

		if (o->on_problem)
			o->on_problem(id ? id : "", msg ? msg : "refused", o->ud);
	}
	if (o->on_problem && nf > (json_int_t)json_array_size(fails))
		o->on_problem("", "more objects refused than the status lists", o->ud);
}

/* Send envelope v (closing it) and follow its status. */
static int send_envelope(const sync_push_opts *o, env *v, sync_counts *n, cc_err *e)
{
	json_t *st = NULL;
	int rc;

	cc_buf_puts(&v->text, "]}");
	rc = sync_add_objects(o->c, o->remote_coll, v->text.data, v->text.len, &st, e);
	if (rc == 0)
		tally(o, st, v->n, n);
	json_decref(st);
	return rc;
}

/* Where the link's outbox starts: after its cursor (0 for a link that is
 * not in the store). */
static int link_after(const sync_push_opts *o, int64_t *after, cc_err *e)
{
	store_link l;
	int rc;

	*after = 0;
	if (o->link->id <= 0)
		return 0;
	rc = store_link_get(o->s, o->link->id, &l, e);
	*after = l.after_us;
	store_link_clear(&l);
	return rc;
}

/* Push the link's outbox, an envelope at a time. */
static int push_outbox(const sync_push_opts *o, env *v, sync_counts *n, cc_err *e)
{
	int64_t after = 0;
	int rc = link_after(o, &after, e);

	while (rc == 0) {
		size_t before_added = n->added;
		bool more = false;

		if (o->stop && atomic_load(o->stop))
			return cc_err_set(e, CC_ERR, "push to %s: stopped", o->remote_coll);
		env_start(v);
		rc = store_outbox(o->s, o->link, o->peer, after, v->max_n, outbox_row, v, &more, e);
		if (rc || v->n == 0)
			break;
		rc = send_envelope(o, v, n, e);
		if (rc)
			break;
		after = v->last_da;
		if (o->link->id <= 0)
			continue;       /* no link in the store: no cursor */
		rc = store_begin(o->s, e);
		if (rc == 0)
			rc = store_link_advance(o->s, o->link->id, NULL, after,
						(int64_t)(n->added - before_added), e);
		if (rc == 0)
			rc = store_commit(o->s, e);
		else
			store_rollback(o->s);
		if (!more && !v->full)
			break;
	}
	return rc;
}

/* Push objects given, an envelope at a time. */
static int push_objects(const sync_push_opts *o, env *v, sync_counts *n, cc_err *e)
{
	cc_buf one = CC_BUF_INIT;
	size_t i = 0, total = json_array_size(o->objects);
	int rc = 0;

	while (rc == 0 && i < total) {
		env_start(v);
		while (i < total) {
			cc_buf_reset(&one);
			if (!cc_json_dump_text(json_array_get(o->objects, i), &one)) {
				rc = cc_err_set(e, CC_ERR, "object %zu: cannot serialise it", i);
				break;
			}
			if (!env_add(v, one.data, one.len))
				break;
			i++;
		}
		if (rc == 0)
			rc = send_envelope(o, v, n, e);
	}
	cc_buf_free(&one);
	return rc;
}

static int any_row(const store_row *r, void *ud)
{
	(void)r;
	*(bool *)ud = true;
	return 1;
}

/* Whether the link's outbox has anything to send. */
static int outbox_any(const sync_push_opts *o, bool *any, cc_err *e)
{
	int64_t after;
	int rc = link_after(o, &after, e);

	*any = false;
	if (rc == 0)
		rc = store_outbox(o->s, o->link, o->peer, after, 1, any_row, any, NULL, e);
	return rc;
}

int sync_push(const sync_push_opts *o, sync_counts *n, cc_err *e)
{
	env v = { CC_BUF_INIT, 0, PUSH_OBJECTS_MAX, SYNC_ENVELOPE_MAX, 0, false };
	bool any = false;
	int rc = 0;

	memset(n, 0, sizeof(*n));
	if (o->page && o->page < PUSH_OBJECTS_MAX)
		v.max_n = o->page;
	if (o->link)            /* the remote is asked nothing when there is nothing */
		rc = outbox_any(o, &any, e);
	else
		any = json_array_size(o->objects) > 0;
	if (rc == 0 && any)
		rc = remote_limit(o->c, &v.max_bytes, e);
	if (rc == 0 && any)
		rc = o->link ? push_outbox(o, &v, n, e) : push_objects(o, &v, n, e);
	cc_buf_free(&v.text);
	return rc;
}
