/*
 * taxii_move.c — `cybercell taxii pull` and `taxii push`: a remote
 * collection into the store (as the hub's own, or the peer's with
 * --peer), and bundles or a local collection out to a remote collection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/taxii_int.h"
#include "stix/stix.h"
#include "util/file.h"

static void on_problem(const char *id, const char *msg, void *ud)
{
	(void)ud;
	fprintf(stderr, "cybercell: taxii: %s%s%s\n", id, *id ? ": " : "", msg);
}

/* The exit status of a pull or push that returned rc: what moved is
 * printed when anything did; 1 also when objects were refused. */
static int finish(int rc, const sync_counts *n, const char *failed, const cc_err *e)
{
	if (rc == 0 || n->pages)
		printf("%zu objects, %zu new, %zu already there, %zu %s\n", n->objects, n->added,
		       n->already, n->failed, failed);
	return rc ? cmd_fail(e) : n->failed ? 1 : 0;
}

int tx_pull(const tx_args *a, const cc_cli *cli)
{
	store_collection c = { 0 };
	sync_pull_opts o = { 0 };
	sync_filter f;
	sync_counts n;
	tx_conn t;
	cc_err e;
	int rc;

	if (!a->into)
		return cmd_usage_error("taxii", "pull needs --into LOCAL_COLLECTION");
	if (a->n_versions || a->next || a->limit || a->from || a->object || a->versions_of ||
	    a->manifest || a->all_pages)
		return cmd_usage_error("taxii", "pull takes --type, --id, --spec-version and "
				       "--added-after (every version is pulled, every page)");
	rc = tx_open(a, cli, true, &t);
	if (rc)
		return rc;
	if (t.n_rest != 1) {
		tx_close(&t);
		return cmd_usage_error("taxii", "pull takes URL and COLLECTION");
	}
	if (store_collection_get(t.s, a->into, &c, &e) != 0) {
		rc = cmd_fail(&e);
		goto out;
	}
	tx_filter(a, &f);
	o.c = t.c;
	o.remote_coll = t.rest[0];
	o.s = t.s;
	o.collection_id = c.id;
	o.peer = a->peer ? &t.peer : NULL;
	o.filter = &f;
	o.workers = 1;
	o.on_problem = on_problem;
	rc = finish(sync_pull(&o, &n, &e), &n, "invalid", &e);
out:
	store_collection_clear(&c);
	tx_close(&t);
	return rc;
}

/* The objects of bundle or envelope files, each made ready (STIX 2.0
 * upgraded, validated) into *out; problems reported.  0, or the number
 * of objects refused (nothing is sent then), or -1 when a file is not
 * read. */
static long read_objects(char *const *files, int n, json_t *out)
{
	long bad = 0;

	for (int i = 0; i < n; i++) {
		cc_buf text = CC_BUF_INIT;
		store_ingest in = { 0 };
		json_t *root, *objs, *obj;
		const char *sv;
		cc_err e;
		size_t k;

		if (cc_file_read_all(files[i], &text, &e) != 0) {
			cmd_fail(&e);
			return -1;
		}
		root = stix_json_parse(text.data, text.len, files[i], &e);
		cc_buf_free(&text);
		objs = json_object_get(root, "objects");
		if (!json_is_array(objs)) {
			if (root)
				fprintf(stderr, "cybercell: %s: not a bundle or an envelope (no "
					"\"objects\" array)\n", files[i]);
			else
				cmd_fail(&e);
			json_decref(root);
			return -1;
		}
		sv = json_string_value(json_object_get(root, "spec_version"));
		json_array_foreach(objs, k, obj) {
			size_t before = in.n;

			if (store_ingest_prepare(obj, sv, &in, NULL, NULL) != 0) {
				const char *id = json_string_value(json_object_get(obj, "id"));

				fprintf(stderr, "cybercell: %s: object %zu%s%s: not valid STIX (check it "
					"with `cybercell validate`)\n", files[i], k, id ? " " : "",
					id ? id : "");
				bad++;
			}
			for (size_t j = before; j < in.n; j++)
				json_array_append(out, in.v[j].obj);
		}
		store_ingest_clear(&in);
		json_decref(root);
	}
	return bad;
}

int tx_push(const tx_args *a, const cc_cli *cli)
{
	store_collection c = { 0 };
	store_link l = { 0 };
	store_peer anyone = { 0 };
	sync_push_opts o = { 0 };
	json_t *objs = json_array();
	sync_counts n;
	tx_conn t;
	cc_err e;
	long bad;
	int rc;

	if (a->into || a->n_ids || a->n_types || a->n_versions || a->n_specs || a->added_after ||
	    a->next || a->limit || a->object || a->versions_of || a->manifest || a->all_pages)
		return cmd_usage_error("taxii", "push takes FILE... or --from LOCAL [--max-tlp LEVEL]");
	if (a->max_tlp >= 0 && !a->from)
		return cmd_usage_error("taxii", "--max-tlp goes with --from");
	rc = tx_open(a, cli, a->from != NULL, &t);
	if (rc)
		goto out_objs;
	if (t.n_rest < 1 || (a->from ? t.n_rest != 1 : t.n_rest < 2)) {
		rc = cmd_usage_error("taxii", "push takes URL, COLLECTION and FILE... or --from LOCAL");
		goto out;
	}
	o.c = t.c;
	o.remote_coll = t.rest[0];
	o.on_problem = on_problem;
	if (a->from) {
		if (store_collection_get(t.s, a->from, &c, &e) != 0) {
			rc = cmd_fail(&e);
			goto out;
		}
		l.collection_id = c.id;
		l.push = true;
		l.max_tlp = a->max_tlp >= 0 ? a->max_tlp : STORE_TLP_AMBER;
		anyone.org_id = -1;     /* a reader holding no copy */
		anyone.max_tlp = STORE_TLP_RED;
		o.s = t.s;
		o.link = &l;
		o.peer = a->peer ? &t.peer : &anyone;
	} else {
		bad = read_objects((char *const *)t.rest + 1, t.n_rest - 1, objs);
		if (bad) {
			if (bad > 0)
				fprintf(stderr, "cybercell: taxii: %ld invalid object%s: nothing sent\n",
					bad, bad > 1 ? "s" : "");
			rc = 1;
			goto out;
		}
		o.objects = objs;
	}
	rc = finish(sync_push(&o, &n, &e), &n, "refused", &e);
out:
	store_collection_clear(&c);
	tx_close(&t);
out_objs:
	json_decref(objs);
	return rc;
}
