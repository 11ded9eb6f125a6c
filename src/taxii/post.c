/*
 * post.c — Add Objects: one envelope, one write transaction.  Each object
 * is upgraded (STIX 2.0), validated and stored on its own: a bad object
 * fails alone, with a message, and the others are stored.  The status
 * resource is written in the same transaction, so a 202 "complete" answer
 * means everything it lists as a success is durable.
 */
#include "taxii/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "stix/stix.h"
#include "util/jdump.h"
#include "util/time.h"
#include "util/uuid.h"

/* A checked object waiting to be stored, with what the store takes from
 * it made beforehand, outside the write lock. */
typedef struct post_item {
	json_t *obj;                     /* a reference */
	char *text;                      /* its compact JSON (owned) */
	size_t len;
	store_facts facts;
} post_item;

/* The state of one POST. */
typedef struct post_state {
	const taxii_coll_req *c;
	json_t *successes, *failures;   /* status details */
	post_item *todo;                 /* checked objects waiting to be stored */
	size_t n_todo, cap_todo;
	bool db_failed;                  /* a store error that aborts the envelope */
	cc_err db_err;                   /* its message */
} post_state;

/* First validation problem, and how many there were. */
typedef struct problems {
	char first[400];
	size_t n;
} problems;

static void on_problem(const char *path, const char *msg, void *ud)
{
	problems *p = ud;

	if (p->n++ == 0)
		snprintf(p->first, sizeof(p->first), "%s: %s", path && *path ? path : "(object)", msg);
}

static json_t *detail(const json_t *obj, const char *message, int64_t date_added_us)
{
	json_t *d = json_object(), *id = json_object_get(obj, "id");
	const char *ver = json_string_value(json_object_get(obj, "modified"));
	char ts[CC_TS_MAX];

	if (!ver)
		ver = json_string_value(json_object_get(obj, "created"));
	if (!ver) {
		cc_ts_format(date_added_us ? date_added_us : cc_now_us(), 6, ts);
		ver = ts;
	}
	json_object_set_new(d, "id", json_is_string(id) ? json_copy(id) : json_string(""));
	json_object_set_new(d, "version", json_string(ver));
	if (message)
		json_object_set_new(d, "message", json_string(message));
	return d;
}

static void fail(post_state *p, const json_t *obj, const char *fmt, const char *what)
{
	char msg[1200];

	snprintf(msg, sizeof(msg), fmt, what);
	json_array_append_new(p->failures, detail(obj, msg, 0));
}

/* Validate one 2.1 object; valid ones go to p->todo, the others fail. */
static void check_one(post_state *p, json_t *obj)
{
	problems pr = { { 0 }, 0 };
	cc_buf b = CC_BUF_INIT;
	post_item *it;
	cc_err e;

	if (stix_validate(obj, on_problem, &pr) != 0) {
		char msg[480];

		snprintf(msg, sizeof(msg), "%s%s", pr.first, pr.n > 1 ? " (and more problems)" : "");
		fail(p, obj, "invalid STIX 2.1 object: %s", msg);
		return;
	}
	if (p->n_todo == p->cap_todo) {
		p->cap_todo = p->cap_todo ? 2 * p->cap_todo : 64;
		p->todo = realloc(p->todo, p->cap_todo * sizeof(*p->todo));
		if (!p->todo)
			abort();        /* like cc_buf: out of memory is not recoverable */
	}
	it = &p->todo[p->n_todo];
	memset(it, 0, sizeof(*it));
	if (!cc_json_dump_text(obj, &b)) {
		cc_buf_free(&b);
		fail(p, obj, "not stored: %s", "cannot serialise the object");
		return;
	}
	if (store_facts_make(obj, &it->facts, &e) != 0) {
		cc_buf_free(&b);
		fail(p, obj, "not stored: %s", e.msg);
		return;
	}
	it->obj = json_incref(obj);
	it->text = cc_buf_take(&b, &it->len);
	p->n_todo++;
}

static void post_items_free(post_state *p)
{
	for (size_t i = 0; i < p->n_todo; i++) {
		json_decref(p->todo[i].obj);
		free(p->todo[i].text);
		store_facts_clear(&p->todo[i].facts);
	}
	free(p->todo);
}

/* One element of the envelope's objects: upgrade 2.0, then check it and
 * whatever the upgrade split off.  Runs outside the write lock. */
static void prepare(post_state *p, json_t *obj)
{
	json_t *extra;
	cc_err e;
	size_t i;

	if (!json_is_object(obj)) {
		fail(p, obj, "%s", "not a JSON object");
		return;
	}
	if (!json_is_string(json_object_get(obj, "id")) ||
	    !json_is_string(json_object_get(obj, "type"))) {
		fail(p, obj, "%s", "a STIX object needs string properties id and type");
		return;
	}
	if (!stix_is_20(obj, NULL)) {
		check_one(p, obj);
		return;
	}
	extra = json_array();
	if (stix_upgrade(obj, extra, &e) != 0) {
		fail(p, obj, "STIX 2.0 upgrade failed: %s", e.msg);
	} else {
		check_one(p, obj);
		for (i = 0; i < json_array_size(extra); i++)
			check_one(p, json_array_get(extra, i));
	}
	json_decref(extra);
}

/* Store one checked object (under the write lock, in the transaction). */
static void put_one(post_state *p, const post_item *it)
{
	const json_t *obj = it->obj;
	store_put_result r;
	cc_err e;

	if (store_put_facts(p->c->s, p->c->coll->id, &it->facts, it->text, it->len,
			    p->c->who->org_id, &r, &e) != 0) {
		if (e.code == CC_EIO || e.code == CC_ENOMEM) {
			p->db_failed = true;
			p->db_err = e;
		}
		fail(p, obj, "not stored: %s", e.msg);
		return;
	}
	json_array_append_new(p->successes, detail(obj, r.added ? NULL : "already in the collection",
						   r.date_added_us));
}

static json_t *status_json(const char *id, int64_t ts_us, json_t *succ, json_t *fails)
{
	json_t *j = json_object();
	char ts[CC_TS_MAX];
	size_t ns = json_array_size(succ), nf = json_array_size(fails);

	cc_ts_format(ts_us, 6, ts);
	json_object_set_new(j, "id", json_string(id));
	json_object_set_new(j, "status", json_string("complete"));
	json_object_set_new(j, "request_timestamp", json_string(ts));
	json_object_set_new(j, "total_count", json_integer((json_int_t)(ns + nf)));
	json_object_set_new(j, "success_count", json_integer((json_int_t)ns));
	json_object_set_new(j, "successes", json_incref(succ));
	json_object_set_new(j, "failure_count", json_integer((json_int_t)nf));
	json_object_set_new(j, "failures", json_incref(fails));
	json_object_set_new(j, "pending_count", json_integer(0));
	json_object_set_new(j, "pendings", json_array());
	return j;
}

/* Parse the body into its objects array (new reference); NULL with rs set. */
static json_t *envelope_objects(const taxii_request *rq, taxii_response *rs)
{
	json_t *root, *objs;
	cc_err e;

	root = stix_json_parse(rq->body ? rq->body : "", rq->body_len, "body", &e);
	if (!root) {
		taxii_error(rs, 400, "Bad Request", "%s", e.msg);
		return NULL;
	}
	objs = json_object_get(root, "objects");
	if (!json_is_object(root) || !json_is_array(objs)) {
		json_decref(root);
		taxii_error(rs, 422, "Unprocessable Entity",
			    "the body is not a TAXII envelope with an \"objects\" array");
		return NULL;
	}
	json_incref(objs);
	json_decref(root);
	return objs;
}

/* Check the objects, then store the good ones and the status in one
 * transaction under the write lock.  The status resource's text goes to
 * out.  0 or the failure. */
static int store_envelope(post_state *p, json_t *objs, const char *key, const char *id,
			  int64_t ts, cc_buf *out, cc_err *e)
{
	char *text = NULL;
	json_t *status = NULL;
	size_t i;
	int rc;

	for (i = 0; i < json_array_size(objs); i++)
		prepare(p, json_array_get(objs, i));

	pthread_mutex_lock(&p->c->ctx->write_lock);
	rc = store_begin(p->c->s, e);
	for (i = 0; rc == 0 && i < p->n_todo && !p->db_failed; i++)
		put_one(p, &p->todo[i]);
	if (rc == 0 && p->db_failed) {
		*e = p->db_err;
		rc = CC_EIO;
	}
	if (rc == 0) {
		status = status_json(id, ts, p->successes, p->failures);
		text = json_dumps(status, JSON_COMPACT);
		rc = text ? store_status_put(p->c->s, key, text, e)
			  : cc_err_set(e, CC_ENOMEM, "status: out of memory");
	}
	if (rc == 0)
		rc = store_commit(p->c->s, e);
	if (rc != 0)
		store_rollback(p->c->s);
	pthread_mutex_unlock(&p->c->ctx->write_lock);
	if (rc == 0) {
		cc_buf_reset(out);
		cc_buf_puts(out, text);
	}
	json_decref(status);
	free(text);
	return rc;
}

void taxii_post_objects(const taxii_coll_req *c, taxii_response *rs)
{
	post_state p = { c, json_array(), json_array(), NULL, 0, 0, false, { 0, "" } };
	json_t *objs;
	char id[CC_UUID_STR], key[128];
	int64_t ts = cc_now_us();
	cc_err e;
	int rc;

	if (!c->grant->can_write) {
		taxii_error(rs, 403, "Forbidden", "this collection is not writable for you");
		goto out;
	}
	if (!taxii_content_type_ok(c->rq->content_type)) {
		taxii_error(rs, 415, "Unsupported Media Type", "send %s", TAXII_MEDIA_TYPE);
		goto out;
	}
	if (c->rq->headers_only)
		goto out;	/* the server asks before reading the body: go on */
	if (c->rq->body_len > c->ctx->max_content_length) {
		taxii_error(rs, 413, "Payload Too Large", "the limit is %zu bytes",
			    c->ctx->max_content_length);
		goto out;
	}
	objs = envelope_objects(c->rq, rs);
	if (!objs)
		goto out;
	cc_uuid4(id);
	snprintf(key, sizeof(key), "%lld/%s", (long long)c->who->org_id, id);
	rc = store_envelope(&p, objs, key, id, ts, &rs->body, &e);
	json_decref(objs);
	if (rc != 0) {
		taxii_error(rs, 500, "Internal Server Error", "nothing was stored: %s", e.msg);
		goto out;
	}
	rs->status = 202;
	rs->has_body = true;
out:
	json_decref(p.successes);
	json_decref(p.failures);
	post_items_free(&p);
}
