/*
 * wargame.c — the war games of the UI: the models of the member's own
 * organisation (serve --wargame-models DIR: DIR/<organisation>/NAME.yaml;
 * no member sees another's network), a run against an adversary as the
 * member sees it (the techniques `wargame run --adversary` gathers, its
 * malware's and tools' included, read through the member's access), and
 * its HTML report, kept for the session.
 */
#include "ui/ui_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "wargame/sim.h"

#define RUNS_MAX 10000
#define DOT_TIMEOUT_MS 20000

/* A plain file or folder name: letters, digits, . _ - @ +, not hidden. */
static bool plain_name(const char *s)
{
	if (!s || !*s || *s == '.' || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+", *s))
			return false;
	return true;
}

/* The member's models folder into dir (size n); false when there is none. */
static bool org_dir(const ui_req *r, char *dir, size_t n)
{
	store_org o = { 0 };
	bool ok = false;

	if (r->u->models_dir && store_org_get_id(r->s, r->who->org_id, &o, NULL) == 0 &&
	    plain_name(o.name))
		ok = (size_t)snprintf(dir, n, "%s/%s", r->u->models_dir, o.name) < n;
	store_org_clear(&o);
	return ok;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void ui_api_wargame_models(const ui_req *r, taxii_response *rs)
{
	json_t *j = json_object(), *models = json_array();
	char dir[4200], *names[256];
	size_t k = 0;
	struct dirent *d;
	DIR *dp = org_dir(r, dir, sizeof(dir)) ? opendir(dir) : NULL;

	while (dp && k < 256 && (d = readdir(dp)) != NULL) {
		size_t n = strlen(d->d_name);

		if (n > 5 && strcmp(d->d_name + n - 5, ".yaml") == 0 && plain_name(d->d_name))
			names[k++] = strndup(d->d_name, n - 5);
	}
	if (dp)
		closedir(dp);
	qsort(names, k, sizeof(names[0]), by_name);
	for (size_t i = 0; i < k; i++) {
		json_array_append_new(models, json_string(names[i]));
		free(names[i]);
	}
	json_object_set_new(j, "models", models);
	json_object_set_new(j, "max_runs", json_integer(RUNS_MAX));
	ui_json(rs, 200, j);
}

/* The member's wg_reader: the objects of type that id `uses`, through
 * the relationships and objects the member may see (the latest live
 * version of each). */
static int member_uses(void *ud, const char *id, const char *type, store_row_fn fn, void *fn_ud,
		       cc_err *e)
{
	const ui_req *r = ud;
	store_find_query q = { .type = "relationship", .refers_to = id };
	json_t *targets = json_array(), *x;
	size_t n = strlen(type);
	const char *k;
	ui_objs rels, objs;
	int rc;

	ui_objs_init_slim(&rels, r->view, r->u);
	ui_objs_init_slim(&objs, r->view, r->u);
	rc = ui_find(r->s, r->view, &q, ui_objs_row, &rels, e);
	json_object_foreach(rels.by_id, k, x) {
		const char *dst = ui_str(x, "target_ref");

		if (ui_live(x) && !strcmp(ui_str(x, "relationship_type"), "uses") &&
		    !strcasecmp(ui_str(x, "source_ref"), id) && !strncmp(dst, type, n) &&
		    !strncmp(dst + n, "--", 2))
			json_array_append_new(targets, json_string(dst));
	}
	if (rc == 0)
		rc = ui_ids_json(r->s, r->view, targets, STORE_VER_LAST, ui_objs_row, &objs, e);
	json_object_foreach(objs.by_id, k, x) {
		char *text = rc == 0 && ui_live(x) ? json_dumps(x, JSON_COMPACT) : NULL;
		store_row row = { .id = k, .type = type, .json = text, .json_len = text ? strlen(text) : 0 };
		bool stop = text && fn(&row, fn_ud) != 0;

		free(text);
		if (stop)
			break;
	}
	json_decref(targets);
	ui_objs_clear(&rels);
	ui_objs_clear(&objs);
	return rc;
}

/* The adversary id as the member sees it: its name and its techniques as
 * `wargame run --adversary` gathers them (wg_adversary_gather: its own
 * attack-patterns and those of its malware and tools), read as the
 * member.  NULL (and rs set) when it cannot. */
static wg_adversary *adversary(const ui_req *r, const char *id, taxii_response *rs)
{
	json_t *group;
	wg_adversary *a = NULL;
	ui_objs g;
	cc_err e;

	ui_objs_init_slim(&g, r->view, r->u);
	if (ui_ids(r->s, r->view, &id, 1, STORE_VER_LAST, ui_objs_row, &g, &e)) {
		ui_error(rs, 500, "%s", e.msg);
		goto out;
	}
	group = ui_objs_first(&g);
	if (!ui_is_adversary(group)) {
		ui_error(rs, 404, "no adversary %s", id);
		goto out;
	}
	a = wg_adversary_new(ui_str(group, "name"));
	a->id = cc_xstrdup(ui_str(group, "id"));
	if (wg_adversary_gather(&(wg_reader){ member_uses, (void *)r }, a, true, &e)) {
		ui_error(rs, 500, "%s", e.msg);
	} else if (!a->ntechniques) {
		ui_error(rs, 422, "%s uses no ATT&CK technique you may see", ui_str(group, "name"));
	} else {
		goto out;
	}
	wg_adversary_free(a);
	a = NULL;
out:
	ui_objs_clear(&g);
	return a;
}

/* Everything a run makes, freed together (the graph borrows the rest). */
typedef struct run {
	wg_model *m;
	wg_rules *rules;
	wg_adversary *a;
	wg_graph *g;
	wg_metrics *mt;
	wg_hardening *h;
	wg_sim_result *sim;
} run;

static void run_free(run *x)
{
	wg_sim_result_free(x->sim);
	wg_hardening_free(x->h);
	wg_metrics_free(x->mt);
	wg_graph_free(x->g);
	wg_adversary_free(x->a);
	wg_rules_free(x->rules);
	wg_model_free(x->m);
}

/* The HTML report of x, with its attack-graph picture when dot draws it. */
static char *report(run *x)
{
	wg_coverage cov;
	wg_report_in in = { .g = x->g, .metrics = x->mt, .hardening = x->h, .sim = x->sim,
			    .adversary_source = "hub", .coverage = &cov };
	cc_buf dot = CC_BUF_INIT, html = CC_BUF_INIT;
	char why[512], *svg;

	wg_coverage_of(x->a, x->rules, &cov);
	wg_report_paths_dot(&in, &dot);
	svg = wg_report_dot_svg(cc_buf_str(&dot), DOT_TIMEOUT_MS, why, sizeof(why));
	wg_report_html(&in, svg, svg ? NULL : why, &html);
	free(svg);
	cc_buf_free(&dot);
	wg_coverage_clear(&cov);
	return cc_buf_take(&html, NULL);
}

/* {"id","model","adversary","techniques","runs","p_any",...,"jewels"} */
static json_t *summary(const run *x, const char *model, const char *id)
{
	json_t *j = json_object(), *jewels = json_array();

	json_object_set_new(j, "id", json_string(id));
	json_object_set_new(j, "model", json_string(model));
	json_object_set_new(j, "adversary", json_string(x->a->name));
	json_object_set_new(j, "techniques", json_integer((json_int_t)x->a->ntechniques));
	json_object_set_new(j, "runs", json_integer((json_int_t)x->sim->runs));
	json_object_set_new(j, "p_any", json_real(x->sim->p_any));
	json_object_set_new(j, "detected", json_integer((json_int_t)x->sim->detected));
	for (size_t i = 0; i < x->sim->njewels; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(x->m->jewels[x->sim->jewels[i].jewel].name));
		json_object_set_new(o, "p", json_real(x->sim->jewels[i].p));
		json_array_append_new(jewels, o);
	}
	json_object_set_new(j, "jewels", jewels);
	return j;
}

void ui_api_wargame_run(const ui_req *r, taxii_response *rs)
{
	json_t *body = json_loadb(r->rq->body ? r->rq->body : "", r->rq->body_len, 0, NULL);
	const char *model = ui_str(body, "model"), *adv = ui_str(body, "adversary");
	json_int_t runs = json_is_integer(json_object_get(body, "runs"))
		? json_integer_value(json_object_get(body, "runs")) : 1000;
	json_int_t seed = json_is_integer(json_object_get(body, "seed"))
		? json_integer_value(json_object_get(body, "seed")) : 1;
	char dir[4200], path[4400], id[16];
	run x = { 0 };
	cc_err e;

	if (!json_is_object(body) || !plain_name(model) || !*adv || runs < 1 || runs > RUNS_MAX ||
	    seed < 0) {
		ui_error(rs, 400, "give {\"model\": NAME, \"adversary\": ID, \"runs\": 1..%d, \"seed\": N >= 0}",
			 RUNS_MAX);
		goto out;
	}
	if (!org_dir(r, dir, sizeof(dir)) ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s.yaml", dir, model) >= sizeof(path) ||
	    !(x.m = wg_model_load(path, &e))) {
		ui_error(rs, 404, "no model %s of your organisation", model);
		goto out;
	}
	if (!(x.rules = wg_rules_load_dir(r->u->rules_dir ? r->u->rules_dir : "", &e))) {
		ui_error(rs, 500, "the technique rules: %s", e.msg);
		goto out;
	}
	if (!(x.a = adversary(r, adv, rs)))
		goto out;
	if (!(x.g = wg_graph_build(x.m, x.rules, x.a, &e)) || !(x.mt = wg_metrics_compute(x.g, &e)) ||
	    !(x.h = wg_harden(x.g, NULL, &e)) ||
	    wg_sim_run(x.g, &(wg_sim_opts){ .runs = (size_t)runs, .seed = (uint64_t)seed,
					   .threads = 1, .epsilon = -1 }, &x.sim, &e)) {
		ui_error(rs, 422, "%s", e.msg);
		goto out;
	}
	if (!ui_session_put_report(r->u, r->token, report(&x), id)) {
		ui_error(rs, 401, "not logged in, or the session has expired");
		goto out;
	}
	ui_json(rs, 200, summary(&x, model, id));
out:
	run_free(&x);
	json_decref(body);
}

void ui_api_wargame_report(const ui_req *r, taxii_response *rs)
{
	const char *id = ui_arg(r->rq, "id");
	char *html = id ? ui_session_report(r->u, r->token, id) : NULL;

	if (!html) {
		ui_error(rs, 404, "no report %s in this session", id ? id : "");
		return;
	}
	cc_buf_reset(&rs->body);
	cc_buf_puts(&rs->body, html);
	free(html);
	rs->status = 200;
	rs->has_body = true;
	rs->content_type = "text/html; charset=utf-8";
}
