/*
 * pull.c — a pull, as a pipeline: one thread asks for the pages (the
 * next request needs only the previous answer), workers make each page's
 * objects ready to store (the store's ingest: upgrade, validate,
 * serialise), and the calling thread stores the pages in order, each
 * with the link's cursor moved past it in the same transaction (pages
 * share one: store_all).  At most PULL_AHEAD pages are in memory.
 *
 * The transactions are committed lazily (store_set_lazy) and made durable
 * together when the pull ends, before it reports: the storing thread
 * would otherwise wait for the disk at every commit, about 3 s in a pull
 * of 1.1M.  A crash of the process loses nothing; a crash of the
 * machine can lose the last transactions, and always with the cursor that
 * moved in them, so the next pass pulls the same pages again.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sync/sync_int.h"
#include "util/proc.h"
#include "util/time.h"
#include "util/xalloc.h"

#define PULL_AHEAD 4
#define PULL_WORKERS_MAX 8
/* The threads that run ahead of the storing thread yield the CPU to it:
 * it is the one everything waits for (as import's workers do). */
#define PULL_NICE 10
/* A transaction shares pages up to about this many objects, or this age
 * (it holds the store's write lock, which a server's members wait for).
 * Large ones pay: a commit writes every B-tree page it dirtied, and in a
 * large store a page of 10,000 random ids dirties a page of each index
 * nearly every time, the same pages the next pages dirty again.  Too large
 * ones pay too: past about 100,000 objects the sync's page cache (256 MiB)
 * spills dirty pages to the WAL before the commit writes them again. */
#define PULL_TXN_OBJECTS 100000
#define PULL_TXN_US (2 * 1000000)
/* An open transaction waits this long for the next page before it is
 * committed: the storing thread is the pipeline's slowest, so the next
 * page is usually a moment away, and committing at every such moment
 * cost a pull of 1.1M 25 commits instead of 11, and 170,000 pages
 * written to the WAL instead of 100,000. */
#define PULL_IDLE_US (250 * 1000)

enum { P_FREE, P_FETCHED, P_WORK, P_READY };

/* One page on its way from the remote to the store. */
typedef struct page {
	int state;                      /* P_* */
	json_t *objects;                /* its objects (a reference) */
	char cursor[SYNC_HDR_MAX];      /* X-TAXII-Date-Added-Last ("" = none) */
	store_ingest ready;             /* what to store of it, in order */
	cc_buf problems;                /* "id\tmessage\n" per object refused */
	size_t n_bad;                   /* objects refused */
} page;

typedef struct pull {
	const sync_pull_opts *o;
	page ring[PULL_AHEAD];
	size_t fetched;                 /* pages fetched so far */
	size_t claimed;                 /* pages [0, claimed) claimed by workers */
	size_t stored;                  /* pages [0, stored) done with by the store */
	bool fetch_done;                /* no page will come after `fetched` */
	int fetch_rc;                   /* why (0: the remote has no more) */
	cc_err fetch_err;
	bool abort;                     /* the store failed or was asked to stop */
	char start[SYNC_HDR_MAX];       /* added_after of the first request */
	pthread_mutex_t mu;
	pthread_cond_t cv;
} pull;

static bool stopped(const pull *p)
{
	return p->abort || (p->o->stop && atomic_load(p->o->stop));
}

static void page_free(page *pg)
{
	json_decref(pg->objects);
	store_ingest_clear(&pg->ready);
	cc_buf_free(&pg->problems);
	memset(pg, 0, sizeof(*pg));
}

/* Hand a fetched page to the ring (the caller waited for its slot).  The
 * page stored there before is freed here, not by the storing thread,
 * which is the pipeline's slowest. */
static void put_page(pull *p, json_t *objects, const char *cursor)
{
	page *pg = &p->ring[p->fetched % PULL_AHEAD];

	page_free(pg);
	pthread_mutex_lock(&p->mu);
	pg->objects = json_incref(objects);
	snprintf(pg->cursor, sizeof(pg->cursor), "%s", cursor);
	pg->state = P_FETCHED;
	p->fetched++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Wait for a free slot; false when stopping. */
static bool wait_slot(pull *p)
{
	bool ok;

	pthread_mutex_lock(&p->mu);
	while (!stopped(p) && p->fetched - p->stored >= PULL_AHEAD)
		pthread_cond_wait(&p->cv, &p->mu);
	ok = !stopped(p);
	pthread_mutex_unlock(&p->mu);
	return ok;
}

/* Ask for the pages one after the other (sync_paging). */
static int fetch_all(pull *p, cc_err *e)
{
	const sync_pull_opts *o = p->o;
	sync_filter f = o->filter ? *o->filter : (sync_filter){ 0 };
	static const char *const all[1] = { "all" };
	cc_buf path = CC_BUF_INIT, q = CC_BUF_INIT;
	sync_paging pg;
	int rc = 0;

	sync_paging_init(&pg, p->start, NULL);
	f.versions = all;
	f.n_versions = 1;
	f.limit = o->page && o->page < SYNC_PAGE_MAX ? o->page : SYNC_PAGE_MAX;
	sync_coll_path(o->remote_coll, "objects/", NULL, &path);
	while (wait_slot(p)) {
		sync_answer a;
		json_t *objs;
		bool more;

		sync_paging_apply(&pg, &f);
		cc_buf_reset(&q);
		sync_filter_query(&f, &q);
		rc = sync_get(o->c, cc_buf_str(&path), cc_buf_str(&q), &a, e);
		if (rc)
			break;
		if (a.json && !json_is_object(a.json)) {
			sync_answer_clear(&a);
			rc = cc_err_set(e, CC_ERR, "collection %s: the answer is not a TAXII envelope",
					o->remote_coll);
			break;
		}
		objs = json_object_get(a.json, "objects");
		if (json_array_size(objs))
			put_page(p, objs, a.date_last);
		rc = sync_paging_step(&pg, &a, "objects", &more, e);
		sync_answer_clear(&a);
		if (rc)
			cc_err_prefix(e, "collection %s", o->remote_coll);
		if (rc || !more)
			break;
	}
	sync_paging_free(&pg);
	cc_buf_free(&path);
	cc_buf_free(&q);
	return rc;
}

static void *fetch_thread(void *arg)
{
	pull *p = arg;
	cc_err e = { 0 };
	int rc;

	cc_proc_thread_nice(PULL_NICE);
	rc = fetch_all(p, &e);

	pthread_mutex_lock(&p->mu);
	p->fetch_done = true;
	p->fetch_rc = rc;
	p->fetch_err = e;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Make page pg's objects ready to store (outside the lock). */
static void prepare_page(page *pg)
{
	size_t i;
	json_t *obj;

	json_array_foreach(pg->objects, i, obj) {
		store_first_problem op = { "", 0 };
		char why[480];
		const char *id = json_string_value(json_object_get(obj, "id"));

		if (store_ingest_prepare(obj, NULL, &pg->ready, store_first_problem_note, &op) == 0)
			continue;
		pg->n_bad++;
		store_first_problem_text(&op, why, sizeof(why));
		cc_buf_printf(&pg->problems, "%s\tinvalid STIX 2.1 object (object %zu of the page): "
			      "%s\n", id ? id : "", i, why);
	}
}

static void *worker_thread(void *arg)
{
	pull *p = arg;

	cc_proc_thread_nice(PULL_NICE);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		page *pg;

		while (!stopped(p) && p->claimed == p->fetched && !p->fetch_done)
			pthread_cond_wait(&p->cv, &p->mu);
		if (stopped(p) || p->claimed == p->fetched)
			break;
		pg = &p->ring[p->claimed++ % PULL_AHEAD];
		pg->state = P_WORK;
		pthread_mutex_unlock(&p->mu);
		prepare_page(pg);
		pthread_mutex_lock(&p->mu);
		pg->state = P_READY;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Report the problems of page pg, one call per object. */
static void report(const sync_pull_opts *o, page *pg)
{
	char *line = pg->problems.data;

	while (o->on_problem && line && *line) {
		char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');

		*tab = *nl = '\0';
		o->on_problem(line, tab + 1, o->ud);
		line = nl + 1;
	}
}

/* Store page pg and move the link's cursor past it, in the open
 * transaction; what it did goes to *tx. */
static int store_page(pull *p, page *pg, sync_counts *tx, cc_err *e)
{
	const sync_pull_opts *o = p->o;
	size_t added = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < pg->ready.n; i++) {
		store_put_result r;

		rc = o->peer ? store_put_received(o->s, o->collection_id, &pg->ready.v[i], o->peer,
						  &r, e)
			     : store_put_ready(o->s, o->collection_id, &pg->ready.v[i], 0, &r, e);
		if (rc == 0)
			added += r.added;
	}
	if (rc == 0 && o->link_id > 0)
		rc = store_link_advance(o->s, o->link_id, pg->cursor[0] ? pg->cursor : NULL, 0,
					(int64_t)added, e);
	if (rc)
		return rc;
	tx->objects += json_array_size(pg->objects);
	tx->added += added;
	tx->already += pg->ready.n - added;
	tx->failed += pg->n_bad;
	tx->pages++;
	report(o, pg);
	return 0;
}

/* Commit the open transaction and count what it stored into n. */
static int commit(pull *p, sync_counts *tx, sync_counts *n, cc_err *e)
{
	int rc = store_commit(p->o->s, e);

	if (rc == 0) {
		n->objects += tx->objects;
		n->added += tx->added;
		n->already += tx->already;
		n->failed += tx->failed;
		n->pages += tx->pages;
	}
	memset(tx, 0, sizeof(*tx));
	return rc;
}

/* Whether the open transaction, begun at begun_us, has had its share. */
static bool txn_full(const sync_counts *tx, int64_t begun_us)
{
	return tx->objects >= PULL_TXN_OBJECTS || cc_mono_us() - begun_us >= PULL_TXN_US;
}

/* Wait (holding p->mu) until pg is ready, no page will come or the pull
 * stops; or, if deadline_us is not 0, until the monotonic clock reaches
 * it. */
static void wait_page(pull *p, const page *pg, int64_t deadline_us)
{
	while (!stopped(p) && pg->state != P_READY && !(p->fetch_done && p->stored == p->fetched)) {
		if (!deadline_us) {
			pthread_cond_wait(&p->cv, &p->mu);
		} else if (cc_mono_us() < deadline_us) {
			struct timespec ts = { (time_t)(deadline_us / 1000000),
					       (long)(deadline_us % 1000000) * 1000 };

			pthread_cond_timedwait(&p->cv, &p->mu, &ts);
		} else {
			return;
		}
	}
}

/* Store the pages in order as they become ready.  Pages share a
 * transaction (up to PULL_TXN_OBJECTS objects and PULL_TXN_US), so a fast
 * remote costs fewer commits; a transaction is committed when no next
 * page has come for PULL_IDLE_US, so what is stored waits little on the
 * network. */
static int store_all(pull *p, sync_counts *n, cc_err *e)
{
	sync_counts tx = { 0 };
	int64_t begun_us = 0;
	bool open = false;
	int rc = 0;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		page *pg = &p->ring[p->stored % PULL_AHEAD];

		if (open && pg->state != P_READY && !txn_full(&tx, begun_us)) {
			int64_t idle = cc_mono_us() + PULL_IDLE_US, full = begun_us + PULL_TXN_US;

			wait_page(p, pg, idle < full ? idle : full);
		}
		if (open && (pg->state != P_READY || txn_full(&tx, begun_us) || stopped(p))) {
			pthread_mutex_unlock(&p->mu);
			rc = commit(p, &tx, n, e);
			open = false;
			if (rc == 0)
				store_yield(p->o->s);   /* a member's write may go first */
			pthread_mutex_lock(&p->mu);
			if (rc)
				break;
		}
		wait_page(p, pg, 0);
		if (stopped(p) || pg->state != P_READY)
			break;
		pthread_mutex_unlock(&p->mu);
		if (!open) {
			rc = store_begin(p->o->s, e);
			begun_us = cc_mono_us();
		}
		open = rc == 0;
		if (rc == 0)
			rc = store_page(p, pg, &tx, e);
		pthread_mutex_lock(&p->mu);
		pg->state = P_FREE;     /* put_page frees it */
		p->stored++;
		pthread_cond_broadcast(&p->cv);
		if (rc)
			break;
	}
	if (rc)
		p->abort = true;
	pthread_mutex_unlock(&p->mu);
	if (open && rc == 0)
		rc = commit(p, &tx, n, e);
	else if (open)
		store_rollback(p->o->s);
	return rc;
}

/* The added_after of the first request: the link's cursor, else the
 * filter's. */
static int start_cursor(pull *p, cc_err *e)
{
	const sync_pull_opts *o = p->o;
	store_link l;
	int rc;

	if (o->link_id <= 0) {
		snprintf(p->start, sizeof(p->start), "%s",
			 o->filter && o->filter->added_after ? o->filter->added_after : "");
		return 0;
	}
	rc = store_link_get(o->s, o->link_id, &l, e);
	if (rc == 0)
		snprintf(p->start, sizeof(p->start), "%s", l.cursor);
	store_link_clear(&l);
	return rc;
}

int sync_pull(const sync_pull_opts *o, sync_counts *n, cc_err *e)
{
	pull *p = cc_xcalloc(1, sizeof(*p));
	pthread_t fetcher, workers[PULL_WORKERS_MAX];
	unsigned nw = o->workers ? (o->workers > PULL_WORKERS_MAX ? PULL_WORKERS_MAX : o->workers) : 1,
		 started = 0;
	bool fetching = false;
	pthread_condattr_t ca;
	int rc, synced;

	memset(n, 0, sizeof(*n));
	p->o = o;
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);       /* cc_mono_us's */
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	rc = start_cursor(p, e);
	if (rc == 0)
		rc = store_set_lazy(o->s, e);
	if (rc == 0 && pthread_create(&fetcher, NULL, fetch_thread, p) == 0)
		fetching = true;
	else if (rc == 0)
		rc = cc_err_set(e, CC_ERR, "pull: cannot start a thread");
	for (; rc == 0 && started < nw; started++)
		if (pthread_create(&workers[started], NULL, worker_thread, p) != 0)
			break;
	if (rc == 0 && started == 0)
		rc = cc_err_set(e, CC_ERR, "pull: cannot start a thread");
	if (rc == 0)
		rc = store_all(p, n, e);
	pthread_mutex_lock(&p->mu);
	p->abort = true;                /* whatever is left: stop */
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (fetching)
		pthread_join(fetcher, NULL);
	for (unsigned i = 0; i < started; i++)
		pthread_join(workers[i], NULL);
	if (rc == 0 && p->fetch_rc) {
		rc = p->fetch_rc;
		if (e)
			*e = p->fetch_err;
	}
	synced = store_sync(o->s, rc ? NULL : e);       /* whatever happened */
	if (rc == 0)
		rc = synced;
	if (rc == 0 && o->stop && atomic_load(o->stop))
		rc = cc_err_set(e, CC_ERR, "collection %s: stopped", o->remote_coll);
	for (size_t i = 0; i < PULL_AHEAD; i++)
		page_free(&p->ring[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
	return rc;
}
