/*
 * import.c — `cybercell import`: read STIX 2.0/2.1 files, upgrade 2.0,
 * validate, and store every object; one transaction per file.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "stix/stix.h"
#include "store/store.h"
#include "util/file.h"
#include "util/jdump.h"
#include "util/jsplit.h"

const char cmd_import_usage[] =
	"usage: cybercell import [--collection NAME] [--skip-invalid] [--json] FILE...\n"
	"\n"
	"Import STIX bundles, single objects or JSON arrays of objects into the\n"
	"store.  FILE '-' is standard input; gzip-compressed files are read as is.\n"
	"STIX 2.0 objects are upgraded to 2.1; every object is validated.  Each\n"
	"file is one transaction: all of it is stored, or (on any invalid object)\n"
	"nothing of it.\n"
	"\n"
	"  -c, --collection NAME  store into this collection (default: \"default\")\n"
	"      --skip-invalid     store the valid objects, skip (and report) the others\n"
	"      --json             print one JSON object per file instead of a sentence\n"
	"\n"
	"Prints 'imported N objects (V new versions, D duplicates, S skipped) from FILE'.\n"
	"Exit status: 0 every file imported, 1 a file was unreadable or invalid, 2 bad usage.\n";

static const struct option import_opts[] = {
	{ "collection", required_argument, NULL, 'c' },
	{ "skip-invalid", no_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

/* Print at most this many problems per file. */
#define MAX_SHOWN 20

typedef struct import_ctx {
	store *st;
	int64_t coll;
	bool skip_invalid;
	const char *display;        /* the file as shown in messages */
	const char *where_fmt;      /* "objects[%zu]", "[%zu]" or "" */
	size_t index;               /* index of the current input object */
	const char *obj_id;         /* id of the object being checked */
	size_t problems, shown;     /* problems in this file, and printed */
	size_t n_new, n_dup, n_skipped, n_bad;
	cc_buf *defer;              /* when set, problems are collected here, not printed */
} import_ctx;

static void where(const import_ctx *c, char *out, size_t n)
{
	char idx[48];

	snprintf(idx, sizeof(idx), c->where_fmt, c->index);
	snprintf(out, n, "%s%s%s%s", idx, *idx ? " " : "", c->obj_id ? "(" : "",
		 c->obj_id ? c->obj_id : "");
	if (c->obj_id)
		strncat(out, ")", n - strlen(out) - 1);
}

static void report(import_ctx *c, const char *path, const char *msg)
{
	char w[512];

	c->problems++;
	if (c->shown >= MAX_SHOWN)
		return;
	c->shown++;
	where(c, w, sizeof(w));
	if (c->defer) {
		cc_buf_printf(c->defer, "cybercell: %s: %s%s%s%s%s%s\n", c->display, w,
			      *w ? ": " : "", path && *path ? path : "", path && *path ? ": " : "",
			      msg, c->skip_invalid ? " (skipped)" : "");
		return;
	}
	fprintf(stderr, "cybercell: %s: %s%s%s%s%s%s\n", c->display, w, *w ? ": " : "",
		path && *path ? path : "", path && *path ? ": " : "", msg,
		c->skip_invalid ? " (skipped)" : "");
}

static void on_problem(const char *path, const char *msg, void *ud)
{
	report(ud, path, msg);
}

/* Store one valid object (text: its compact JSON, or NULL to make it;
 * f: its store facts when made beforehand, with text). */
static int store_obj(import_ctx *c, const json_t *obj, const store_facts *f, const char *text,
		     size_t len, cc_err *e)
{
	store_put_result r;
	int rc;

	if (text && f)
		rc = store_put_facts(c->st, c->coll, f, text, len, 0, &r, e);
	else if (text)
		rc = store_put_text(c->st, c->coll, obj, text, len, 0, &r, e);
	else
		rc = store_put(c->st, c->coll, (json_t *)obj, 0, &r, e);
	if (rc) {
		char w[512];
		c->obj_id = json_string_value(json_object_get(obj, "id"));
		where(c, w, sizeof(w));
		cc_err_prefix(e, "%s: %s", c->display, w);
		return rc;
	}
	if (r.added)
		c->n_new++;
	else
		c->n_dup++;
	return 0;
}

/* Validate and store one 2.1 object.  Invalid: counted, returns 0 (the
 * caller decides); a store failure returns its code. */
static int import_one(import_ctx *c, json_t *obj, cc_err *e)
{
	size_t before = c->problems;

	c->obj_id = json_string_value(json_object_get(obj, "id"));
	if (stix_validate(obj, on_problem, c) || c->problems > before) {
		c->n_bad++;
		return 0;
	}
	return store_obj(c, obj, NULL, NULL, 0, e);
}

/* One input object: upgrade when 2.0, then store it and what it yielded. */
static int import_input(import_ctx *c, json_t *obj, const char *bundle_sv, cc_err *e)
{
	size_t bad_before = c->n_bad;
	json_t *extra = NULL, *x;
	cc_err ue;
	size_t i;
	int rc = 0;

	c->obj_id = json_string_value(json_object_get(obj, "id"));
	if (!json_is_object(obj)) {
		report(c, "", "not a JSON object");
		c->n_bad++;
		return 0;
	}
	if (stix_is_20(obj, bundle_sv)) {
		extra = json_array();
		cc_err_clear(&ue);
		if (stix_upgrade(obj, extra, &ue)) {
			report(c, "", ue.msg[0] ? ue.msg : "cannot upgrade from STIX 2.0");
			c->n_bad++;
			goto out;
		}
	}
	json_array_foreach(extra, i, x) {
		rc = import_one(c, x, e);
		if (rc)
			goto out;
	}
	rc = import_one(c, obj, e);
out:
	if (c->n_bad > bad_before + 1)   /* an object and its SCOs count once */
		c->n_bad = bad_before + 1;
	json_decref(extra);
	return rc;
}

static void print_result(const import_ctx *c, const char *coll, bool json)
{
	if (json) {
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "file", c->display,
				      "collection", coll,
				      "objects", (json_int_t)(c->n_new + c->n_dup),
				      "new_versions", (json_int_t)c->n_new,
				      "duplicates", (json_int_t)c->n_dup,
				      "skipped", (json_int_t)c->n_skipped);
		char *s = json_dumps(o, JSON_COMPACT);
		puts(s);
		free(s);
		json_decref(o);
		return;
	}
	printf("imported %zu objects (%zu new versions, %zu duplicates, %zu skipped) from %s\n",
	       c->n_new + c->n_dup, c->n_new, c->n_dup, c->n_skipped, c->display);
}

/* The input objects of a parsed file, and the bundle's spec_version. */
static json_t *inputs(import_ctx *c, json_t *root, const char **bundle_sv, cc_err *e)
{
	const char *type = json_string_value(json_object_get(root, "type"));

	*bundle_sv = NULL;
	c->where_fmt = "";
	if (json_is_array(root)) {
		c->where_fmt = "[%zu]";
	} else if (type && strcmp(type, "bundle") == 0) {
		c->where_fmt = "objects[%zu]";
		*bundle_sv = json_string_value(json_object_get(root, "spec_version"));
	}
	return stix_input_objects(root, c->display, e);
}

/* After the objects of a file: commit, or roll back when it failed or
 * had invalid objects (without --skip-invalid). */
static int finish_file(import_ctx *c, int rc, cc_err *e)
{
	if (rc == 0 && c->n_bad && !c->skip_invalid)
		rc = cc_err_set(e, CC_ERR, "%s: %zu invalid object%s (%zu problem%s%s); nothing imported",
				c->display, c->n_bad, c->n_bad == 1 ? "" : "s", c->problems,
				c->problems == 1 ? "" : "s",
				c->problems > c->shown ? ", first ones shown" : "");
	if (rc) {
		store_rollback(c->st);
		return rc;
	}
	c->n_skipped = c->n_bad;
	return store_commit(c->st, e);
}

/*
 * The parallel path for large bundles.  The bundle's "objects" array is cut
 * into object texts (util/jsplit); worker threads parse, upgrade, validate
 * and compact them in batches while this thread stores them in order.
 * Anything unusual (not a bundle, a piece that does not parse) falls back
 * to import_serial, which parses the whole document and so reports errors
 * exactly as usual.
 */
#define PAR_MIN_OBJECTS 512     /* below this the serial path is as fast */
#define PAR_BATCH 128
#define PAR_MAX_THREADS 8

typedef struct par_item {
	json_t *obj;            /* the parsed (upgraded) object; NULL: did not parse */
	json_t *extra;          /* SCOs from a 2.0 upgrade, or NULL */
	json_t *problems;       /* [[id, path, msg], ...] or NULL */
	char *text;             /* compact JSON of obj (not upgraded), or NULL */
	size_t len;
	store_facts facts;      /* with text: what the store takes from obj */
	bool has_facts;         /* facts made (else the store makes them) */
} par_item;

typedef struct par {
	const char *text;       /* the document */
	const cc_jspan *spans;  /* one per object */
	size_t n;
	const char *bundle_sv;  /* the bundle's spec_version or NULL */
	par_item *items;
	size_t n_batches, next; /* batches, and the next one to claim */
	unsigned char *batch_done;
	size_t consumed;        /* batches the main thread has stored */
	size_t freed;           /* batches whose items a worker has freed */
	bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} par;

typedef struct par_probe {
	par_item *it;
	const char *id;
} par_probe;

static void par_problem(const char *path, const char *msg, void *ud)
{
	par_probe *pp = ud;

	if (!pp->it->problems)
		pp->it->problems = json_array();
	json_array_append_new(pp->it->problems, json_pack("[s?, s, s]", pp->id, path ? path : "", msg));
}

static void par_validate(par_item *it, const json_t *obj)
{
	par_probe pp = { it, json_string_value(json_object_get(obj, "id")) };

	stix_validate(obj, par_problem, &pp);
}

/* Parse, upgrade, validate and compact object i (in a worker thread). */
static void par_work(par *p, size_t i)
{
	par_item *it = &p->items[i];
	const char *t = p->text + p->spans[i].off;
	size_t len = p->spans[i].len, k;
	json_t *x;
	cc_err e;

	it->obj = stix_json_parse(t, len, "", &e);
	if (!it->obj)
		return;
	if (stix_is_20(it->obj, p->bundle_sv)) {
		it->extra = json_array();
		cc_err_clear(&e);
		if (stix_upgrade(it->obj, it->extra, &e)) {
			par_probe pp = { it, json_string_value(json_object_get(it->obj, "id")) };
			par_problem("", e.msg[0] ? e.msg : "cannot upgrade from STIX 2.0", &pp);
			return;
		}
		json_array_foreach(it->extra, k, x)
			par_validate(it, x);
		par_validate(it, it->obj);
		if (!it->problems) {    /* changed: serialise the new form */
			cc_buf b = CC_BUF_INIT;
			if (cc_json_dump_text(it->obj, &b))
				it->text = cc_buf_take(&b, &it->len);
			cc_buf_free(&b);
			it->has_facts = store_facts_make(it->obj, &it->facts, &e) == 0;
		}
		return;
	}
	par_validate(it, it->obj);
	if (!it->problems) {
		cc_buf b = CC_BUF_INIT;
		cc_json_compact(t, len, &b);
		it->text = cc_buf_take(&b, &it->len);
		it->has_facts = store_facts_make(it->obj, &it->facts, &e) == 0;
	}
}

static void par_item_free(par_item *it)
{
	json_decref(it->obj);
	json_decref(it->extra);
	json_decref(it->problems);
	free(it->text);
	store_facts_clear(&it->facts);
	memset(it, 0, sizeof(*it));
}

/* Worker: parse batches; free the batches the main thread has stored (so
 * it does not spend its time freeing); wait while neither is to do. */
static void *par_worker(void *arg)
{
	par *p = arg;

	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		size_t b;
		if (p->freed < p->consumed) {
			b = p->freed++;
			pthread_mutex_unlock(&p->mu);
			for (size_t i = b * PAR_BATCH; i < p->n && i < (b + 1) * PAR_BATCH; i++)
				par_item_free(&p->items[i]);
			pthread_mutex_lock(&p->mu);
			continue;
		}
		if (p->next >= p->n_batches) {
			pthread_cond_wait(&p->cv, &p->mu);
			continue;
		}
		b = p->next++;
		pthread_mutex_unlock(&p->mu);
		for (size_t i = b * PAR_BATCH; i < p->n && i < (b + 1) * PAR_BATCH; i++)
			par_work(p, i);
		pthread_mutex_lock(&p->mu);
		p->batch_done[b] = 1;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Store item i (main thread).  *fallback when it did not parse. */
static int par_store(import_ctx *c, par_item *it, bool *fallback, cc_err *e)
{
	json_t *x;
	size_t k;
	int rc = 0;

	if (!it->obj) {
		*fallback = true;
		return 0;
	}
	if (it->problems) {
		json_array_foreach(it->problems, k, x) {
			c->obj_id = json_string_value(json_array_get(x, 0));
			report(c, json_string_value(json_array_get(x, 1)),
			       json_string_value(json_array_get(x, 2)));
		}
		c->n_bad++;
		return 0;
	}
	json_array_foreach(it->extra, k, x) {
		rc = store_obj(c, x, NULL, NULL, 0, e);
		if (rc)
			return rc;
	}
	return store_obj(c, it->obj, it->has_facts ? &it->facts : NULL, it->text, it->len, e);
}

/* Store the items in order as the workers finish their batches. */
static int par_consume(import_ctx *c, par *p, bool *fallback, cc_err *e)
{
	int rc = 0;

	for (size_t b = 0; b < p->n_batches && rc == 0 && !*fallback; b++) {
		pthread_mutex_lock(&p->mu);
		while (!p->batch_done[b])
			pthread_cond_wait(&p->cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		for (size_t i = b * PAR_BATCH; i < p->n && i < (b + 1) * PAR_BATCH; i++) {
			c->index = i;
			rc = par_store(c, &p->items[i], fallback, e);
			if (rc || *fallback)
				break;
		}
		pthread_mutex_lock(&p->mu);
		p->consumed = b + 1;    /* a worker frees it */
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return rc;
}

/* The bundle envelope with its objects array emptied, parsed strictly. */
static json_t *par_envelope(import_ctx *c, const cc_buf *data, cc_jspan arr)
{
	cc_buf env = CC_BUF_INIT;
	const char *type;
	json_t *root;
	cc_err e;

	cc_buf_append(&env, data->data, arr.off);
	cc_buf_puts(&env, "[]");
	cc_buf_append(&env, data->data + arr.off + arr.len, data->len - arr.off - arr.len);
	root = stix_json_parse(env.data, env.len, c->display, &e);
	cc_buf_free(&env);
	type = json_string_value(json_object_get(root, "type"));
	if (root && (!type || strcmp(type, "bundle") != 0)) {
		json_decref(root);
		root = NULL;
	}
	return root;
}

static size_t par_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > PAR_MAX_THREADS ? PAR_MAX_THREADS : (size_t)n;
}

/* Import a large bundle in parallel.  *done false (and nothing changed)
 * when the caller must use import_serial instead. */
static int import_parallel(import_ctx *c, const cc_buf *data, bool *done, cc_err *e)
{
	par p = { 0 };
	cc_jspan *spans = NULL, arr;
	pthread_t th[PAR_MAX_THREADS];
	size_t nth = 0, n;
	json_t *env = NULL;
	cc_buf problems = CC_BUF_INIT;
	bool fallback = false;
	int rc = 0;

	*done = false;
	if (data->len < 64 * 1024 ||
	    !cc_jsplit_bundle(data->data, data->len, 256, &spans, &n, &arr) || n < PAR_MIN_OBJECTS)
		goto out;
	env = par_envelope(c, data, arr);
	if (!env)
		goto out;
	c->where_fmt = "objects[%zu]";
	p.text = data->data;
	p.spans = spans;
	p.n = n;
	p.bundle_sv = json_string_value(json_object_get(env, "spec_version"));
	p.items = calloc(n, sizeof(*p.items));
	p.n_batches = (n + PAR_BATCH - 1) / PAR_BATCH;
	p.batch_done = calloc(p.n_batches, 1);
	if (!p.items || !p.batch_done)
		goto out;
	rc = store_begin(c->st, e);
	if (rc)
		goto out;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	json_object_seed(0);    /* before threads create objects */
	for (size_t want = par_threads(); nth < want; nth++)
		if (pthread_create(&th[nth], NULL, par_worker, &p) != 0)
			break;
	if (nth == 0) {         /* no threads: parse everything here first */
		for (size_t i = 0; i < n; i++)
			par_work(&p, i);
		memset(p.batch_done, 1, p.n_batches);
	}
	c->defer = &problems;
	rc = par_consume(c, &p, &fallback, e);
	c->defer = NULL;
	pthread_mutex_lock(&p.mu);
	p.stop = true;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (size_t i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	for (size_t i = 0; i < n; i++)
		par_item_free(&p.items[i]);
	if (!fallback)
		fputs(cc_buf_str(&problems), stderr);
	if (fallback) {
		store_rollback(c->st);
		c->problems = c->shown = c->n_new = c->n_dup = c->n_bad = 0;
		goto out;
	}
	*done = true;
	rc = finish_file(c, rc, e);
out:
	free(p.items);
	free(p.batch_done);
	free(spans);
	json_decref(env);
	cc_buf_free(&problems);
	return rc;
}

/* The whole document parsed at once: any input shape, canonical errors. */
static int import_serial(import_ctx *c, const cc_buf *data, cc_err *e)
{
	json_t *root, *objs = NULL, *obj;
	const char *bundle_sv;
	size_t i;
	int rc;

	root = stix_json_parse(data->data ? data->data : "", data->len, c->display, e);
	if (!root)
		return CC_ERR;
	objs = inputs(c, root, &bundle_sv, e);
	if (!objs) {
		rc = CC_ERR;
		goto out;
	}
	rc = store_begin(c->st, e);
	if (rc)
		goto out;
	json_array_foreach(objs, i, obj) {
		c->index = i;
		rc = import_input(c, obj, bundle_sv, e);
		if (rc)
			break;
	}
	rc = finish_file(c, rc, e);
out:
	json_decref(objs);
	json_decref(root);
	return rc;
}

static int import_file(import_ctx *c, const char *path, cc_err *e)
{
	cc_buf data = CC_BUF_INIT;
	bool done = false;
	int rc;

	c->display = cc_file_display(path);
	c->problems = c->shown = c->n_new = c->n_dup = c->n_skipped = c->n_bad = 0;
	rc = cc_file_read_all(path, &data, e);
	if (rc == 0)
		rc = import_parallel(c, &data, &done, e);
	if (rc == 0 && !done)
		rc = import_serial(c, &data, e);
	cc_buf_free(&data);
	return rc;
}

int cmd_import(int argc, char **argv, const cc_cli *cli)
{
	import_ctx c = { 0 };
	const char *coll_name = STORE_DEFAULT_COLLECTION;
	store_collection coll = { 0 };
	bool json = false;
	int opt, status = 0;
	cc_err e = { 0 };

	cmd_getopt_reset();
	while ((opt = getopt_long(argc, argv, "c:", import_opts, NULL)) != -1) {
		switch (opt) {
		case 'c': coll_name = optarg; break;
		case 's': c.skip_invalid = true; break;
		case 'j': json = true; break;
		default: return cmd_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(argv[0], "no FILE given");
	if (store_open(cli->db_path, &c.st, &e) || store_set_cache_mb(c.st, 256, &e)) {
		store_close(c.st);
		return cmd_fail(&e);
	}
	if (store_collection_get(c.st, coll_name, &coll, &e)) {
		store_close(c.st);
		return cmd_fail(&e);
	}
	c.coll = coll.id;
	for (int i = optind; i < argc; i++) {
		cc_err_clear(&e);
		if (import_file(&c, argv[i], &e)) {
			status = cmd_fail(&e);
			continue;
		}
		print_result(&c, coll.name, json);
	}
	store_collection_clear(&coll);
	store_close(c.st);
	return status;
}
