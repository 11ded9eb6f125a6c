/*
 * post.c — Add Objects: one envelope, one write transaction.  Each object
 * is upgraded (STIX 2.0), validated and stored on its own: a bad object
 * fails alone, with a message, and the others are stored.  The status
 * resource is written in the same transaction, so a 202 "complete" answer
 * means everything it lists as a success is durable.
 */
#include "taxii/taxii_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "stix/stix.h"
#include "util/jdump.h"
#include "util/time.h"
#include "util/uuid.h"

/* Per-object details kept in a status resource: the counts are exact,
 * the lists stop here (the resource of a huge bad envelope stays small). */
#define STATUS_DETAILS_MAX 1000

/* The state of one POST. */
typedef struct post_state {
	const taxii_coll_req *c;
	taxii_response *rs;              /* its audit lists get the ids stored */
	json_t *successes, *failures;   /* status details, at most STATUS_DETAILS_MAX each */
	size_t n_success, n_failure;    /* the counts */
	size_t n_already;               /* successes that were in the collection already */
	store_ingest todo;               /* the objects to store, each ready */
	bool db_failed;                  /* a store error that aborts the envelope */
	cc_err db_err;                   /* its message */
} post_state;

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

	if (p->n_failure++ >= STATUS_DETAILS_MAX)
		return;
	snprintf(msg, sizeof(msg), fmt, what);
	json_array_append_new(p->failures, detail(obj, msg, 0));
}

static void succeed(post_state *p, const json_t *obj, const char *message, int64_t da)
{
	if (p->n_success++ < STATUS_DETAILS_MAX)
		json_array_append_new(p->successes, detail(obj, message, da));
}

/* One element of the envelope's objects: the store's ingest (upgrade 2.0,
 * validate, serialise); a bad one fails alone.  Outside the write lock. */
static void prepare(post_state *p, json_t *obj)
{
	store_first_problem pr = { "", 0 };

	if (store_ingest_prepare(obj, NULL, &p->todo, store_first_problem_note, &pr) != 0) {
		char msg[480];

		store_first_problem_text(&pr, msg, sizeof(msg));
		fail(p, obj, "invalid STIX 2.1 object: %s", msg);
	}
}

/* Store one ready object (under the write lock, in the transaction).  A
 * success says "already in the collection" only of the caller's own
 * version: of another owner's it says nothing (no oracle). */
static void put_one(post_state *p, const store_ready *it)
{
	store_put_result r;
	cc_err e;

	if (store_put_ready(p->c->s, p->c->coll->id, it, p->c->who->org_id, &r, &e) != 0) {
		if (e.code == CC_EIO || e.code == CC_ENOMEM) {
			p->db_failed = true;
			p->db_err = e;
		}
		fail(p, it->obj, "not stored: %s", e.msg);
		return;
	}
	if (!r.added && !r.reshared)
		p->n_already++;
	succeed(p, it->obj, r.added || r.reshared ? NULL : "already in the collection",
		r.date_added_us);
	if (r.new_version && r.versioned)
		audit_list_add(&p->rs->versioned, it->facts.id);
	else if (r.added)
		audit_list_add(&p->rs->written, it->facts.id);
}

static json_t *status_json(const char *id, int64_t ts_us, const post_state *p)
{
	json_t *j = json_object();
	char ts[CC_TS_MAX];
	size_t ns = p->n_success, nf = p->n_failure;

	cc_ts_format(ts_us, 6, ts);
	json_object_set_new(j, "id", json_string(id));
	json_object_set_new(j, "status", json_string("complete"));
	json_object_set_new(j, "request_timestamp", json_string(ts));
	json_object_set_new(j, "total_count", json_integer((json_int_t)(ns + nf)));
	json_object_set_new(j, "success_count", json_integer((json_int_t)ns));
	json_object_set_new(j, "successes", json_incref(p->successes));
	json_object_set_new(j, "failure_count", json_integer((json_int_t)nf));
	json_object_set_new(j, "failures", json_incref(p->failures));
	json_object_set_new(j, "pending_count", json_integer(0));
	json_object_set_new(j, "pendings", json_array());
	if (ns > STATUS_DETAILS_MAX || nf > STATUS_DETAILS_MAX) {
		/* custom properties (TAXII 2.1, 3.x: clients ignore what they
		 * do not know): the lists hold the first ones only; of all the
		 * successes, this many were in the collection already (a
		 * pushing hub counts what was new from it) */
		json_object_set_new(j, "x_cybercell_details_truncated", json_true());
		json_object_set_new(j, "x_cybercell_details_max", json_integer(STATUS_DETAILS_MAX));
		json_object_set_new(j, "x_cybercell_already_count",
				    json_integer((json_int_t)p->n_already));
	}
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

/* Remove the status resources past their lifetime, at most once a minute
 * per server (in the POST's transaction). */
static int expire_statuses(const taxii_coll_req *c, int64_t now, cc_err *e)
{
	long long last = atomic_load(&c->ctx->status_swept_us);

	if (!c->ctx->status_ttl_s || now - last < 60 * 1000000LL ||
	    !atomic_compare_exchange_strong(&c->ctx->status_swept_us, &last, now))
		return 0;
	return store_status_expire(c->s, now - (int64_t)c->ctx->status_ttl_s * 1000000, NULL, e);
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
	if (rc == 0)
		rc = expire_statuses(p->c, ts, e);
	for (i = 0; rc == 0 && i < p->todo.n && !p->db_failed; i++)
		put_one(p, &p->todo.v[i]);
	if (rc == 0 && p->db_failed) {
		*e = p->db_err;
		rc = CC_EIO;
	}
	if (rc == 0) {
		status = status_json(id, ts, p);
		text = json_dumps(status, JSON_COMPACT);
		rc = text ? store_status_put(p->c->s, key, text, e)
			  : cc_err_set(e, CC_ENOMEM, "status: out of memory");
	}
	if (rc == 0 && p->c->rq->before_commit) {
		/* the answer if the commit succeeds: its audit entry is
		 * written meanwhile */
		cc_buf_reset(&p->rs->body);
		cc_buf_puts(&p->rs->body, text);
		p->rs->status = 202;
		p->rs->has_body = true;
		p->c->rq->before_commit(p->rs, p->c->rq->before_commit_ud);
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
	post_state p = { c, rs, json_array(), json_array(), 0, 0, 0, { NULL, 0, 0, 0 }, false,
			 { 0, "" } };
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
		audit_list_clear(&rs->written);
		audit_list_clear(&rs->versioned);
		taxii_error(rs, 500, "Internal Server Error", "nothing was stored: %s", e.msg);
		goto out;
	}
	rs->status = 202;
	rs->has_body = true;
out:
	json_decref(p.successes);
	json_decref(p.failures);
	store_ingest_clear(&p.todo);
}
