/*
 * import.c — `cybercell import`: read STIX 2.0/2.1 files, upgrade 2.0,
 * validate, and store every object; one transaction per file.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cmd/cmd.h"
#include "cmd/import_int.h"
#include "stix/stix.h"
#include "store/store.h"

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

static void where(const import_ctx *c, char *out, size_t n)
{
	char idx[48];

	snprintf(idx, sizeof(idx), c->where_fmt, c->index);
	snprintf(out, n, "%s%s%s%s", idx, *idx ? " " : "", c->obj_id ? "(" : "",
		 c->obj_id ? c->obj_id : "");
	if (c->obj_id)
		strncat(out, ")", n - strlen(out) - 1);
}

void import_report(import_ctx *c, const char *path, const char *msg)
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

/* A warning about the object being stored (the first MAX_SHOWN of a file
 * are printed, or kept with the problems when they are deferred). */
static void on_warning(void *ud, const char *msg)
{
	import_ctx *c = ud;
	char w[512];

	if (c->warnings++ >= MAX_SHOWN)
		return;
	where(c, w, sizeof(w));
	if (c->defer)
		cc_buf_printf(c->defer, "cybercell: %s: %s%swarning: %s\n", c->display, w, *w ? ": " : "",
			      msg);
	else
		fprintf(stderr, "cybercell: %s: %s%swarning: %s\n", c->display, w, *w ? ": " : "", msg);
}

void import_warn_summary(import_ctx *c)
{
	if (c->warnings > MAX_SHOWN)
		fprintf(stderr, "cybercell: %s: %zu warnings in all (first %d shown)\n", c->display,
			c->warnings, MAX_SHOWN);
}

static void on_problem(const char *id, const char *path, const char *msg, void *ud)
{
	import_ctx *c = ud;

	c->obj_id = id;
	import_report(c, path, msg);
}

int import_store_ready(import_ctx *c, const store_ready *rd, cc_err *e)
{
	store_put_result r;
	int rc = store_put_ready(c->st, c->coll, rd, 0, &r, e);

	if (rc) {
		char w[512];
		c->obj_id = rd->facts.id;
		where(c, w, sizeof(w));
		cc_err_prefix(e, "%s: %s", c->display, w);
		return rc;
	}
	if (r.added)
		c->n_new++;
	else
		c->n_dup++;
	if (!strcmp(rd->facts.type, "indicator")) {
		c->obj_id = rd->facts.id;
		cmd_indicator_warnings(rd->obj, c->wl, on_warning, c);
	}
	return 0;
}

/* One input object: made ready by the store's ingest (upgrade 2.0,
 * validate), then stored with what it yielded.  Invalid: counted once,
 * returns 0 (the caller decides); a store failure returns its code. */
static int import_input(import_ctx *c, json_t *obj, const char *bundle_sv, cc_err *e)
{
	store_ingest in = { 0 };
	int rc = 0;

	c->obj_id = json_string_value(json_object_get(obj, "id"));
	if (store_ingest_prepare(obj, bundle_sv, &in, on_problem, c) != 0)
		c->n_bad++;
	for (size_t i = 0; rc == 0 && i < in.n; i++)
		rc = import_store_ready(c, &in.v[i], e);
	store_ingest_clear(&in);
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

int import_finish_file(import_ctx *c, int rc, cc_err *e)
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
	rc = store_commit(c->st, e);
	if (rc == 0)
		store_yield(c->st);     /* a member's write may go first */
	return rc;
}

/* The whole document parsed at once: any input shape, canonical errors. */
int import_serial(import_ctx *c, const cc_buf *data, cc_err *e)
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
	rc = import_finish_file(c, rc, e);
out:
	json_decref(objs);
	json_decref(root);
	return rc;
}

struct run {
	const char *coll;
	bool json;
	int status;
};

static void file_done(import_ctx *c, int rc, cc_err *e, void *ud)
{
	struct run *r = ud;

	if (rc) {
		r->status = cmd_fail(e);
		return;
	}
	import_warn_summary(c);
	print_result(c, r->coll, r->json);
}

int cmd_import(int argc, char **argv, const cc_cli *cli)
{
	import_ctx c = { 0 };
	const char *coll_name = STORE_DEFAULT_COLLECTION;
	store_collection coll = { 0 };
	struct run run = { NULL, false, 0 };
	int opt;
	cc_err e = { 0 };

	cmd_getopt_reset();
	while ((opt = cmd_getopt(argv[0], argc, argv, "c:", import_opts)) != -1) {
		switch (opt) {
		case 'c': coll_name = optarg; break;
		case 's': c.skip_invalid = true; break;
		case 'j': run.json = true; break;
		default: return 2;      /* reported by cmd_getopt */
		}
	}
	if (optind >= argc)
		return cmd_usage_error(argv[0], "no FILE given");
	if (store_open(cli->db_path, &c.st, &e) || store_set_cache_mb(c.st, 256, &e) ||
	    store_bulk_writer(c.st, &e)) {
		store_close(c.st);
		return cmd_fail(&e);
	}
	if (store_collection_get(c.st, coll_name, &coll, &e)) {
		store_close(c.st);
		return cmd_fail(&e);
	}
	c.coll = coll.id;
	run.coll = coll.name;
	c.wl = cmd_warninglists(cli->db_path);
	import_files(&c, argv + optind, (size_t)(argc - optind), file_done, &run);
	an_wlset_free((an_wlset *)c.wl);
	store_collection_clear(&coll);
	store_close(c.st);
	return run.status;
}
