/*
 * import_par.c — the import pipeline.  Worker threads read the input files
 * ahead of the thread that stores, cut each large bundle's "objects" array
 * into object texts (util/jsplit), and parse them and make them ready to
 * store (the store's ingest: upgrade, validate, serialise) in batches.  The storing thread (the caller's) takes the batches in
 * order, one transaction per file, and the workers free what it has
 * stored, so that it spends its time in the store only.  While it commits
 * one file the workers are already parsing the next.  At most two files
 * are in memory and at most PAR_AHEAD batches are parsed ahead of the store.
 *
 * Anything unusual (a small file, not a bundle, a piece that does not
 * parse) goes to import_serial on the storing thread, which parses the
 * whole document and so reports errors exactly as usual.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/import_int.h"
#include "stix/stix.h"
#include "util/file.h"
#include "util/jsplit.h"
#include "util/proc.h"
#include "util/xalloc.h"

#define PAR_MIN_BYTES (64 * 1024)   /* below either, the serial path is */
#define PAR_MIN_OBJECTS 512         /* as fast */
#define PAR_BATCH 128
#define PAR_AHEAD 512               /* batches parsed ahead of the store */
#define PAR_MAX_THREADS 8
#define PAR_NICE 10                 /* workers' niceness */

enum { B_TODO, B_WORK, B_DONE };    /* a batch: unclaimed, being parsed, parsed */
enum { F_WAIT, F_LOAD, F_READY };   /* a file: unread, being read, read */

typedef struct par_item {
	json_t *obj;            /* the parsed object; NULL: did not parse */
	json_t *problems;       /* [[id, path, msg], ...] or NULL */
	store_ingest ready;     /* what to store of it (the store's ingest) */
} par_item;

typedef struct pfile {
	const char *path;
	int state;              /* F_* */
	int rc;                 /* reading failed: its code, and err */
	cc_err err;
	cc_buf data;            /* the text */
	bool parallel;          /* cut into objects (else import_serial) */
	cc_jspan *spans;        /* one per object */
	size_t n;
	json_t *env;            /* the bundle without its objects */
	const char *bundle_sv;  /* its spec_version, or NULL */
	par_item *items;
	unsigned char *bst;     /* B_* of each batch */
	size_t n_batches;
	size_t claimed;         /* batches [0, claimed) are claimed (or given up) */
	size_t working;         /* batches being parsed */
	size_t stored;          /* batches [0, stored) are done with by the store */
	size_t freeing;         /* of those, [0, freeing) claimed for freeing */
	size_t freed;           /* and freed */
	bool finished;          /* the storing thread is done with the file */
} pfile;

typedef struct par {
	pfile *f;
	size_t nf;
	size_t cur;             /* the file being stored */
	size_t sweep;           /* files before it have nothing left to free */
	size_t loading;         /* files [0, loading) are claimed for reading */
	size_t ahead;           /* batches claimed for parsing and not yet stored */
	size_t nth;             /* worker threads */
	bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} par;

enum job_kind { J_NONE, J_FREE, J_PARSE, J_LOAD };

typedef struct job {
	enum job_kind kind;
	pfile *f;
	size_t b;               /* the batch (J_FREE, J_PARSE) */
} job;

/* ---- the work itself (no lock held) ---------------------------------------- */

static void par_problem(const char *id, const char *path, const char *msg, void *ud)
{
	par_item *it = ud;

	if (!it->problems)
		it->problems = json_array();
	json_array_append_new(it->problems, json_pack("[s?, s, s]", id, path ? path : "", msg));
}

/* Parse object i of f and make it ready to store (the store's ingest). */
static void parse_item(pfile *f, size_t i)
{
	par_item *it = &f->items[i];
	cc_err e;

	it->obj = stix_json_parse(f->data.data + f->spans[i].off, f->spans[i].len, "", &e);
	if (it->obj)
		store_ingest_prepare(it->obj, f->bundle_sv, &it->ready, par_problem, it);
}

static void free_item(par_item *it)
{
	json_decref(it->obj);
	json_decref(it->problems);
	store_ingest_clear(&it->ready);
	memset(it, 0, sizeof(*it));
}

static void batch_each(pfile *f, size_t b, void (*fn)(pfile *f, size_t i))
{
	for (size_t i = b * PAR_BATCH; i < f->n && i < (b + 1) * PAR_BATCH; i++)
		fn(f, i);
}

static void free_one(pfile *f, size_t i)
{
	free_item(&f->items[i]);
}

/* The bundle envelope with its objects array emptied, parsed strictly;
 * NULL when it does not parse or is not a bundle. */
static json_t *envelope(const cc_buf *data, cc_jspan arr)
{
	cc_buf env = CC_BUF_INIT;
	const char *type;
	json_t *root;
	cc_err e;

	cc_jsplit_envelope(data->data, data->len, arr, &env);
	root = stix_json_parse(env.data, env.len, "", &e);
	cc_buf_free(&env);
	type = json_string_value(json_object_get(root, "type"));
	if (root && (!type || strcmp(type, "bundle") != 0)) {
		json_decref(root);
		root = NULL;
	}
	return root;
}

/* What is left of f once the store and the workers are done with it (the
 * parallel form; its text is the storing thread's). */
static void release_file(pfile *f)
{
	free(f->items);
	free(f->bst);
	free(f->spans);
	json_decref(f->env);
	f->items = NULL;
	f->bst = NULL;
	f->spans = NULL;
	f->env = NULL;
}

/* Read f and, when it is a large bundle, cut it into objects. */
static void load_file(pfile *f)
{
	cc_jspan arr;

	f->rc = cc_file_read_all(f->path, &f->data, &f->err);
	if (f->rc || f->data.len < PAR_MIN_BYTES ||
	    !cc_jsplit_bundle(f->data.data, f->data.len, 256, &f->spans, &f->n, &arr))
		return;
	if (f->n >= PAR_MIN_OBJECTS)
		f->env = envelope(&f->data, arr);
	f->n_batches = (f->n + PAR_BATCH - 1) / PAR_BATCH;
	if (f->env) {
		f->items = calloc(f->n, sizeof(*f->items));
		f->bst = calloc(f->n_batches, 1);
	}
	f->parallel = f->env && f->items && f->bst;
	if (f->parallel) {
		f->bundle_sv = json_string_value(json_object_get(f->env, "spec_version"));
		return;
	}
	release_file(f);
	f->n = f->n_batches = 0;
}

/* ---- the queue (lock held) --------------------------------------------------- */

/* The next job: freeing what the store is done with first (memory), then
 * parsing ahead of it, then reading the next file. */
static job next_job(par *p)
{
	job j = { J_NONE, NULL, 0 };

	for (size_t i = p->sweep; i < p->nf && i <= p->cur; i++) {
		pfile *f = &p->f[i];
		if (f->freeing < f->stored) {
			j = (job){ J_FREE, f, f->freeing++ };
			return j;
		}
		if (i == p->sweep && f->finished && f->freeing == f->n_batches)
			p->sweep++;
	}
	for (size_t i = p->cur; p->ahead < PAR_AHEAD && i < p->loading; i++) {
		pfile *f = &p->f[i];
		if (f->state == F_READY && f->parallel && f->claimed < f->n_batches) {
			j = (job){ J_PARSE, f, f->claimed++ };
			f->bst[j.b] = B_WORK;
			f->working++;
			p->ahead++;
			return j;
		}
	}
	if (p->loading < p->nf && p->loading <= p->cur + 1) {
		j = (job){ J_LOAD, &p->f[p->loading++], 0 };
		j.f->state = F_LOAD;
	}
	return j;
}

static void run_job(const job *j)
{
	switch (j->kind) {
	case J_FREE: batch_each(j->f, j->b, free_one); break;
	case J_PARSE: batch_each(j->f, j->b, parse_item); break;
	case J_LOAD: load_file(j->f); break;
	case J_NONE: break;
	}
}

static void end_job(par *p, const job *j)
{
	pfile *f = j->f;

	switch (j->kind) {
	case J_FREE:
		if (++f->freed == f->n_batches && f->finished)
			release_file(f);
		break;
	case J_PARSE:
		f->bst[j->b] = B_DONE;
		f->working--;
		break;
	case J_LOAD:
		f->state = F_READY;
		break;
	case J_NONE:
		return;
	}
	pthread_cond_broadcast(&p->cv);
}

/* Run one job now (lock held, dropped while it runs). */
static void do_job(par *p, const job *j)
{
	pthread_mutex_unlock(&p->mu);
	run_job(j);
	pthread_mutex_lock(&p->mu);
	end_job(p, j);
}

static void *worker(void *arg)
{
	par *p = arg;

	/* The storing thread is the one everything waits for: the workers
	 * run ahead of it, so they yield the CPU to it (Linux: per thread). */
	cc_proc_thread_nice(PAR_NICE);

	pthread_mutex_lock(&p->mu);
	for (;;) {
		job j = next_job(p);
		if (j.kind != J_NONE)
			do_job(p, &j);
		else if (p->stop)
			break;
		else
			pthread_cond_wait(&p->cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ---- the storing thread -------------------------------------------------------- */

/* Wait (lock held) until file i is read; read it here if nobody has. */
static void wait_file(par *p, size_t i)
{
	pfile *f = &p->f[i];

	while (f->state != F_READY) {
		if (f->state == F_WAIT && p->loading == i) {
			job j = { J_LOAD, f, 0 };
			p->loading++;
			f->state = F_LOAD;
			do_job(p, &j);
		} else {
			pthread_cond_wait(&p->cv, &p->mu);
		}
	}
}

/* Wait (lock held) until batch b of f is parsed; parse it here if it is
 * the next one nobody has claimed. */
static void wait_batch(par *p, pfile *f, size_t b)
{
	while (f->bst[b] != B_DONE) {
		if (f->bst[b] == B_TODO && f->claimed == b) {
			job j = { J_PARSE, f, f->claimed++ };
			f->bst[b] = B_WORK;
			f->working++;
			p->ahead++;
			do_job(p, &j);
		} else {
			pthread_cond_wait(&p->cv, &p->mu);
		}
	}
}

/* Store item it.  *fallback when it did not parse. */
static int store_item(import_ctx *c, par_item *it, bool *fallback, cc_err *e)
{
	json_t *x;
	size_t k;
	int rc;

	if (!it->obj) {
		*fallback = true;
		return 0;
	}
	if (it->problems) {
		json_array_foreach(it->problems, k, x) {
			c->obj_id = json_string_value(json_array_get(x, 0));
			import_report(c, json_string_value(json_array_get(x, 1)),
				      json_string_value(json_array_get(x, 2)));
		}
		c->n_bad++;
		return 0;
	}
	for (k = 0; k < it->ready.n; k++) {
		rc = import_store_ready(c, &it->ready.v[k], e);
		if (rc)
			return rc;
	}
	return 0;
}

/* Store f's batches in order as they are parsed. */
static int store_batches(import_ctx *c, par *p, pfile *f, bool *fallback, cc_err *e)
{
	int rc = 0;

	c->where_fmt = "objects[%zu]";
	for (size_t b = 0; b < f->n_batches && rc == 0 && !*fallback; b++) {
		pthread_mutex_lock(&p->mu);
		wait_batch(p, f, b);
		pthread_mutex_unlock(&p->mu);
		for (size_t i = b * PAR_BATCH; i < f->n && i < (b + 1) * PAR_BATCH; i++) {
			c->index = i;
			rc = store_item(c, &f->items[i], fallback, e);
			if (rc || *fallback)
				break;
		}
		pthread_mutex_lock(&p->mu);
		f->stored = b + 1;      /* a worker frees it */
		p->ahead--;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return rc;
}

/* The store stopped before the end of f: no more parsing of it, and what
 * was parsed goes to the workers to free. */
static void give_up(par *p, pfile *f)
{
	size_t claimed;

	pthread_mutex_lock(&p->mu);
	claimed = f->claimed;
	f->claimed = f->n_batches;
	while (f->working)
		pthread_cond_wait(&p->cv, &p->mu);
	if (claimed > f->stored)
		p->ahead -= claimed - f->stored;
	f->stored = f->n_batches;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Import a file cut into objects.  Falls back to import_serial when a
 * piece does not parse, after forgetting the parallel attempt. */
static int import_cut(import_ctx *c, par *p, pfile *f, cc_err *e)
{
	cc_buf problems = CC_BUF_INIT;
	bool fallback = false;
	int rc;

	rc = store_begin(c->st, e);
	if (rc)
		return rc;
	c->defer = &problems;
	rc = store_batches(c, p, f, &fallback, e);
	c->defer = NULL;
	if (f->stored < f->n_batches)
		give_up(p, f);
	if (fallback) {
		store_rollback(c->st);
		c->problems = c->shown = c->n_new = c->n_dup = c->n_bad = c->warnings = 0;
		cc_buf_free(&problems);
		return import_serial(c, &f->data, e);
	}
	fputs(cc_buf_str(&problems), stderr);
	cc_buf_free(&problems);
	return import_finish_file(c, rc, e);
}

/* The store is done with f: free its text; its batches go to the workers
 * (or are freed here when there are none). */
static void finish(par *p, pfile *f)
{
	cc_buf_free(&f->data);
	pthread_mutex_lock(&p->mu);
	f->finished = true;
	if (p->nth == 0) {
		while (f->freeing < f->stored) {
			job j = { J_FREE, f, f->freeing++ };
			do_job(p, &j);
		}
	}
	if (f->freed == f->n_batches)
		release_file(f);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static size_t n_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > PAR_MAX_THREADS ? PAR_MAX_THREADS : (size_t)n;
}

void import_files(import_ctx *c, char *const *paths, size_t n, import_done_fn done, void *ud)
{
	par p = { 0 };
	pthread_t th[PAR_MAX_THREADS];
	cc_err e;

	p.f = cc_xcalloc(n, sizeof(*p.f));
	p.nf = n;
	for (size_t i = 0; i < n; i++)
		p.f[i].path = paths[i];
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	json_object_seed(0);    /* before threads create objects */
	for (size_t want = n_threads(); p.nth < want; p.nth++)
		if (pthread_create(&th[p.nth], NULL, worker, &p) != 0)
			break;
	for (size_t i = 0; i < n; i++) {
		pfile *f = &p.f[i];
		int rc;

		cc_err_clear(&e);
		c->display = cc_file_display(f->path);
		c->where_fmt = "";
		c->problems = c->shown = c->n_new = c->n_dup = c->n_skipped = c->n_bad = 0;
		c->warnings = 0;
		pthread_mutex_lock(&p.mu);
		p.cur = i;
		pthread_cond_broadcast(&p.cv);
		wait_file(&p, i);
		pthread_mutex_unlock(&p.mu);
		if (f->rc) {
			rc = f->rc;
			e = f->err;
		} else if (f->parallel) {
			rc = import_cut(c, &p, f, &e);
		} else {
			rc = import_serial(c, &f->data, &e);
		}
		finish(&p, f);
		done(c, rc, &e, ud);
	}
	pthread_mutex_lock(&p.mu);
	p.stop = true;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (size_t i = 0; i < p.nth; i++)
		pthread_join(th[i], NULL);
	for (size_t i = 0; i < n; i++)      /* nothing is left unless threads failed */
		release_file(&p.f[i]);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	free(p.f);
}
