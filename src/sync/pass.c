/*
 * pass.c — one sync pass: every link of every peer (or of the peers
 * named), pulls before pushes, each link on its own: one that fails is
 * reported and the others still run.  One client (one kept-alive
 * connection) per peer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/sync_int.h"

/* The peers of the pass: those named (each must exist), else all. */
static int pass_peers(const sync_pass_opts *o, store_peer **v, size_t *n, cc_err *e)
{
	int rc;

	if (!o->peers)
		return store_peer_list(o->s, v, n, e);
	*v = calloc(o->n_peers ? o->n_peers : 1, sizeof(**v));
	*n = 0;
	if (!*v)
		return cc_err_set(e, CC_ENOMEM, "out of memory");
	for (size_t i = 0; i < o->n_peers; i++) {
		rc = store_peer_get(o->s, o->peers[i], &(*v)[i], e);
		if (rc) {
			store_peer_list_free(*v, i);
			*v = NULL;
			return rc;
		}
		*n = i + 1;
	}
	return 0;
}

/* The name of local collection id (borrowed from v), or "?". */
static const char *coll_name(const store_collection *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			return v[i].name;
	return "?";
}

/* Run one link of peer p with client c; report it. */
static int run_link(const sync_pass_opts *o, sync_client *c, const store_peer *p,
		    const store_link *l, const char *cname)
{
	sync_link_report r = { p, l, cname, { 0 }, 0, 0, "" };
	size_t before = sync_client_requests(c);
	cc_err e = { 0 };

	if (l->push) {
		sync_push_opts po = { c, l->remote_coll, o->s, l, p, NULL, o->page, o->on_problem,
				      o->ud, o->stop };

		r.rc = sync_push(&po, &r.n, &e);
	} else {
		sync_pull_opts po = { c, l->remote_coll, o->s, l->collection_id, p, l->id, NULL,
				      o->page, 1, o->on_problem, o->ud, o->stop };

		r.rc = sync_pull(&po, &r.n, &e);
	}
	r.requests = sync_client_requests(c) - before;
	r.error = r.rc ? e.msg : "";
	if (o->on_link)
		o->on_link(&r, o->ud);
	return r.rc;
}

/* Every link of peer p, pulls first. */
static int run_peer(const sync_pass_opts *o, const store_peer *p, const store_collection *cv,
		    size_t nc, cc_err *e)
{
	sync_conn conn = { p->url, p->user, p->password, p->ca_file, p->pin, false, p->api_root,
			   o->retries, o->max_wait_s, o->stop, o->log, o->ud };
	store_link *lv = NULL;
	size_t nl = 0;
	sync_client *c = NULL;
	const char *root;
	int rc = store_link_list(o->s, p->id, &lv, &nl, e), failed = 0;

	if (rc == 0 && nl && sync_client_new(&conn, &c, e) != 0) {
		for (size_t i = 0; i < nl; i++) {     /* each link fails with it */
			sync_link_report r = { p, &lv[i], coll_name(cv, nc, lv[i].collection_id),
					       { 0 }, 0, e ? e->code : CC_ERR, e ? e->msg : "" };

			if (o->on_link)
				o->on_link(&r, o->ud);
		}
		failed = (int)nl;
	}
	for (int push = 0; rc == 0 && c && push <= 1; push++)
		for (size_t i = 0; i < nl; i++) {
			if (lv[i].push != (push == 1))
				continue;
			if (run_link(o, c, p, &lv[i], coll_name(cv, nc, lv[i].collection_id)) != 0)
				failed++;
		}
	/* keep the API root the discovery led to; forget it when the links failed
	 * (the remote may have moved it) */
	root = c ? sync_client_root(c) : NULL;
	if (rc == 0 && root && strcmp(root, p->api_root) != 0 && !failed)
		rc = store_peer_set_api_root(o->s, p->id, root, e);
	else if (rc == 0 && failed && *p->api_root)
		rc = store_peer_set_api_root(o->s, p->id, "", e);
	sync_client_free(c);
	store_link_list_free(lv, nl);
	if (rc == 0 && failed)
		rc = cc_err_set(e, CC_ERR, "peer %s: %d link%s failed", p->name, failed,
				failed > 1 ? "s" : "");
	return rc;
}

int sync_pass(const sync_pass_opts *o, cc_err *e)
{
	store_peer *pv = NULL;
	store_collection *cv = NULL;
	size_t np = 0, nc = 0;
	int rc = pass_peers(o, &pv, &np, e), failed = 0;

	if (rc == 0)
		rc = store_collection_list(o->s, &cv, &nc, e);
	for (size_t i = 0; rc == 0 && i < np; i++) {
		cc_err pe = { 0 };

		if (o->stop && atomic_load(o->stop))
			break;
		if (run_peer(o, &pv[i], cv, nc, &pe) != 0) {
			failed++;
			if (e)
				*e = pe;
		}
	}
	store_collection_list_free(cv, nc);
	store_peer_list_free(pv, np);
	if (rc == 0 && failed > 1)
		rc = cc_err_set(e, CC_ERR, "%d peers had a link that failed", failed);
	else if (rc == 0 && failed)
		rc = CC_ERR;
	return rc;
}
