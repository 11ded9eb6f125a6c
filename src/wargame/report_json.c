/*
 * report_json.c — everything a `wargame run` computed, as one JSON
 * document (shape in docs/commands/wargame-run.md).  Deterministic: no
 * wall-clock time, no thread count, keys in a fixed order.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/report_int.h"

/* Rounded to 6 significant digits so that the text is stable. */
static json_t *num(double x)
{
	char s[32];

	if (!isfinite(x))
		return json_null();
	snprintf(s, sizeof(s), "%.6g", x);
	return json_real(strtod(s, NULL));
}

static json_t *dist_json(const wg_sim_dist *d)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:[o,o]}", "n", (json_int_t)d->n,
			 "mean_hours", num(d->mean), "median_hours", num(d->median),
			 "p90_hours", num(d->p90), "interval95_hours", num(d->lo95),
			 num(d->hi95));
}

static json_t *hist_json(const uint32_t *h, double horizon)
{
	json_t *a = json_array();

	for (int b = 0; b < WG_SIM_HIST_BINS; b++)
		json_array_append_new(a, json_integer(h[b]));
	return json_pack("{s:o,s:o}", "bin_hours", num(horizon / WG_SIM_HIST_BINS),
			 "counts", a);
}

static json_t *furthest_json(const wg_graph *g, const wg_sim_result *r)
{
	static const char *const priv[] = { "admin", "user", "credentials" };
	json_t *a = json_array();

	for (size_t i = 0; i < r->nfurthest && i < WG_REPORT_FURTHEST; i++) {
		const wg_sim_reach *f = &r->furthest[i];
		const char *what = f->kind == WG_REACH_CRED ? "account" : "host";
		const char *name = f->kind == WG_REACH_CRED ? g->model->accounts[f->index].name
							    : g->model->hosts[f->index].name;

		json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:o}", what, name, "privilege",
			priv[f->kind], "campaigns", (json_int_t)f->campaigns, "p", num(f->p)));
	}
	return a;
}

static json_t *sim_json(const wg_graph *g, const wg_sim_result *r)
{
	const wg_model *m = g->model;
	json_t *o, *js = json_array(), *ts = json_array(), *as = json_array(),
	       *ends = json_object();

	for (size_t j = 0; j < r->njewels; j++) {
		const wg_sim_jewel *sj = &r->jewels[j];

		json_array_append_new(js, json_pack(
			"{s:s,s:I,s:o,s:[o,o],s:o,s:o}", "jewel", m->jewels[sj->jewel].name,
			"compromised", (json_int_t)sj->compromised, "p", num(sj->p),
			"p_interval95", num(sj->p_lo), num(sj->p_hi),
			"time_to_compromise", dist_json(&sj->ttc),
			"histogram", hist_json(sj->hist, r->horizon_hours)));
	}
	for (size_t i = 0; i < r->ntechs; i++) {
		const wg_sim_tech *t = &r->techs[i];

		json_array_append_new(ts, json_pack(
			"{s:s,s:s,s:s,s:I,s:I,s:I,s:o}", "technique", t->technique,
			"name", t->name, "tactic", t->tactic, "attempts", (json_int_t)t->attempts,
			"successes", (json_int_t)t->successes,
			"detections", (json_int_t)t->detections, "detection_rate",
			num(t->attempts ? (double)t->detections / (double)t->attempts : 0)));
	}
	for (size_t i = 0; i < r->nactions; i++)
		json_array_append_new(as, json_pack(
			"{s:s,s:s,s:I,s:I}", "action", r->actions[i].label, "host",
			m->hosts[r->actions[i].host].name, "taken", (json_int_t)r->actions[i].taken,
			"stopped_campaigns", (json_int_t)r->actions[i].decisive));
	for (int e = 0; e < WG_END_COUNT; e++)
		json_object_set_new(ends, wg_sim_end_name(e), json_integer((json_int_t)r->ends[e]));
	o = json_pack("{s:I,s:I,s:o,s:o,s:b}", "runs", (json_int_t)r->runs,
		      "seed", (json_int_t)r->seed, "horizon_hours", num(r->horizon_hours),
		      "policy_epsilon", num(r->epsilon), "with_intel", r->with_intel);
	json_object_set_new(o, "jewels", js);
	json_object_set_new(o, "any_jewel", json_pack(
		"{s:I,s:o,s:[o,o],s:o,s:o}", "compromised", (json_int_t)r->any_compromised,
		"p", num(r->p_any), "p_interval95", num(r->p_any_lo), num(r->p_any_hi),
		"time_to_compromise", dist_json(&r->ttc_any),
		"histogram", hist_json(r->hist_any, r->horizon_hours)));
	json_object_set_new(o, "detected_campaigns", json_integer((json_int_t)r->detected));
	json_object_set_new(o, "time_to_first_detection", dist_json(&r->ttd));
	json_object_set_new(o, "outcomes", ends);
	json_object_set_new(o, "mean_attacker_actions", num(r->mean_steps));
	json_object_set_new(o, "furthest", furthest_json(g, r));
	json_object_set_new(o, "techniques", ts);
	json_object_set_new(o, "defender_actions", as);
	return o;
}

static json_t *path_json(const wg_graph *g, const wg_path *p)
{
	json_t *steps = json_array(), *o;
	cc_buf b = CC_BUF_INIT;

	for (size_t k = 0; k < p->ninsts; k++) {
		const wg_inst *in = &g->insts[p->insts[k]];
		const wg_rule *ru = wg_graph_inst_rule(g, p->insts[k]);
		cc_buf f = CC_BUF_INIT;

		if (!ru || !ru->technique)
			continue;
		wg_graph_fact_str(g, in->head, &f);
		json_array_append_new(steps, json_pack(
			"{s:s,s:s,s:s,s:s?,s:s,s:o,s:o,s:o}", "technique", ru->technique,
			"name", ru->name, "tactic", ru->tactic, "host",
			in->host != WG_NONE ? g->model->hosts[in->host].name : NULL,
			"gives", cc_buf_str(&f), "p", num(in->p), "detect", num(in->detect),
			"hours", num(in->hours)));
		cc_buf_free(&f);
	}
	wg_path_explain(g, p, &b);
	o = json_pack("{s:i,s:o,s:o,s:s,s:o}", "steps", p->steps, "p", num(p->p),
		      "hours", num(p->hours), "explanation", cc_buf_str(&b),
		      "actions", steps);
	cc_buf_free(&b);
	return o;
}

static json_t *metrics_json(const wg_graph *g, const wg_metrics *mt)
{
	json_t *a = json_array();

	for (size_t j = 0; j < mt->njewels; j++) {
		const wg_jewel_metrics *jm = &mt->jewels[j];
		const wg_jewel *jw = &g->model->jewels[jm->jewel];
		json_t *o = json_pack("{s:s,s:s,s:s?,s:o,s:b}", "jewel", jw->name,
				      "host", g->model->hosts[jw->host].name,
				      "function", jw->function, "value", num(jw->value),
				      "reachable", jm->reachable);
		json_t *cf = json_array(), *ch = json_array();

		if (jm->reachable) {
			json_object_set_new(o, "paths", json_pack("{s:o,s:b}", "count",
				num(jm->npaths), "capped", jm->npaths_capped));
			json_object_set_new(o, "shortest", path_json(g, &jm->shortest));
			json_object_set_new(o, "most_likely", path_json(g, &jm->likely));
			json_object_set_new(o, "fastest", path_json(g, &jm->fastest));
		}
		for (size_t k = 0; k < jm->nchoke_facts; k++) {
			cc_buf f = CC_BUF_INIT;

			wg_graph_fact_str(g, jm->choke_facts[k], &f);
			json_array_append_new(cf, json_string(cc_buf_str(&f)));
			cc_buf_free(&f);
		}
		for (size_t k = 0; k < jm->nchoke_hosts; k++)
			json_array_append_new(ch, json_string(g->model->hosts[jm->choke_hosts[k]].name));
		json_object_set_new(o, "choke_points", json_pack("{s:o,s:o}", "facts", cf,
								 "hosts", ch));
		json_array_append_new(a, o);
	}
	return json_pack("{s:o,s:o}", "risk", num(mt->risk), "jewels", a);
}

static json_t *mitig_list(unsigned mask)
{
	size_t n;
	const wg_mitigation *t = wg_mitigation_table(&n);
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		if (mask & (1u << i))
			json_array_append_new(a, json_pack("{s:s,s:s}", "id", t[i].id,
							   "name", t[i].name));
	return a;
}

json_t *wg_report_changes_json(const wg_change *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}",
			"kind", wg_change_kind_name(v[i].kind), "change", v[i].label,
			"cost", num(v[i].cost), "risk_after", num(v[i].risk_after),
			"risk_removed", num(v[i].risk_removed),
			"mitigations", mitig_list(v[i].mitigations)));
	return a;
}

json_t *wg_report_mitigations_json(const wg_hardening *h)
{
	size_t n;
	const wg_mitigation *t = wg_mitigation_table(&n);
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		double cost = 0;

		for (size_t c = 0; c < h->ncut; c++)
			if (h->cut[c].mitigations & (1u << i)) {
				k++;
				cost += h->cut[c].cost;
			}
		if (k)
			json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:o,s:s}", "id", t[i].id,
				"name", t[i].name, "changes", (json_int_t)k, "cost", num(cost),
				"source", h->mit_hub ? "hub" : "built-in"));
	}
	return a;
}

json_t *wg_report_uncut_json(const wg_graph *g, const wg_hardening *h)
{
	json_t *a = json_array();

	for (size_t i = 0; i < h->nuncut; i++)
		json_array_append_new(a, json_string(g->model->jewels[h->uncut[i]].name));
	return a;
}

static json_t *hardening_json(const wg_graph *g, const wg_hardening *h)
{
	return json_pack("{s:o,s:o,s:{s:b,s:b,s:o,s:o},s:o,s:o,s:o}", "risk_before",
			 num(h->risk_before), "risk_after", num(h->risk_after), "cut",
			 "found", h->cut_found, "exact", h->cut_exact, "cost", num(h->cut_cost),
			 "uncuttable", wg_report_uncut_json(g, h),
			 "changes", wg_report_changes_json(h->cut, h->ncut),
			 "ranked", wg_report_changes_json(h->ranked, h->nranked),
			 "mitigations", wg_report_mitigations_json(h));
}

static json_t *seen_json(const wg_report_in *in)
{
	size_t n;
	wg_seen *v = wg_seen_rows(in, &n);
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack(
			"{s:s,s:i,s:s,s:s,s:s?,s:s,s:s,s:o,s:o,s:I,s:o,s:s}",
			"jewel", in->g->model->jewels[v[i].jewel].name, "step", v[i].step,
			"technique", v[i].rule->technique, "name", v[i].rule->name,
			"host", v[i].host != WG_NONE ? in->g->model->hosts[v[i].host].name : NULL,
			"telemetry", v[i].telemetry, "data_sources", v[i].sources,
			"detect", num(v[i].detect), "detect_with_intel", num(v[i].detect_intel),
			"observed_attempts", (json_int_t)v[i].sim_attempts,
			"observed_detection_rate", v[i].sim_rate < 0 ? json_null() : num(v[i].sim_rate),
			"what_defenders_see", v[i].what));
	wg_seen_free(v, n);
	return a;
}

static json_t *intel_json(const wg_intel *in)
{
	json_t *a = json_array();

	for (size_t i = 0; i < in->n; i++)
		json_array_append_new(a, json_pack("{s:s,s:b,s:b}", "technique",
			in->techniques[i], "ttp", (in->flags[i] & WG_INTEL_TTP) != 0,
			"indicator", (in->flags[i] & WG_INTEL_IOC) != 0));
	return json_pack("{s:s,s:o,s:I,s:b}", "collection", in->collection,
			 "techniques", a, "indicators", (json_int_t)in->nindicators,
			 "adversary_indicators", in->adversary_iocs);
}

static json_t *strings_json(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *wg_report_adversary_json(const wg_adversary *a, const wg_coverage *c,
				 const char *source)
{
	json_t *o = json_pack("{s:s,s:s?,s:s?,s:o}", "name", a->name, "source", source,
			      "id", a->id, "techniques",
			      strings_json(a->techniques, a->ntechniques));

	if (c) {
		json_object_set_new(o, "techniques_total", json_integer((json_int_t)c->total));
		json_object_set_new(o, "techniques_modelled",
				    json_integer((json_int_t)c->modelled));
		json_object_set_new(o, "techniques_outside",
				    json_integer((json_int_t)c->outside));
		json_object_set_new(o, "techniques_unmodelled",
				    strings_json(c->unmodelled, c->nunmodelled));
	}
	json_object_set_new(o, "software", strings_json(a->software, a->nsoftware));
	return o;
}

/* The paired difference of the two runs (without - with, or the other
 * way round for detection) with its interval. */
static json_t *paired_json(const wg_sim_result *a, const wg_sim_result *b, int what,
			   const char *key, double va, double vb)
{
	wg_sim_diff d;
	char ikey[64];
	json_t *o = json_pack("{s:o,s:o}", "without", num(va), "with", num(vb));

	if (wg_sim_paired(a, b, what, &d, NULL) == CC_OK) {
		snprintf(ikey, sizeof(ikey), "%s_interval95", key);
		json_object_set_new(o, key, num(d.d));
		json_object_set_new(o, ikey, json_pack("[o,o]", num(d.lo), num(d.hi)));
	}
	return o;
}

static json_t *sharing_json(const wg_report_in *in)
{
	const wg_sim_result *a = in->sim, *b = in->sim_intel;

	return json_pack("{s:I,s:I,s:o,s:o}", "runs", (json_int_t)a->runs,
		"seed", (json_int_t)a->seed,
		"p_any_jewel", paired_json(a, b, WG_PAIR_ANY_JEWEL, "reduction", a->p_any, b->p_any),
		"detected", paired_json(b, a, WG_PAIR_DETECTED, "increase",
					(double)a->detected / (double)a->runs,
					(double)b->detected / (double)b->runs));
}

json_t *wg_report_notes_json(const wg_report_in *in)
{
	char *s = wg_report_notes(in), *line, *save = NULL;
	json_t *a = json_array();

	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		json_array_append_new(a, json_string(line));
	free(s);
	return a;
}

char *wg_report_json(const wg_report_in *in)
{
	const wg_graph *g = in->g;
	json_t *root = json_object();
	char *s;

	json_object_set_new(root, "model", json_pack("{s:s?,s:I,s:I,s:I}", "name",
		g->model->name, "hosts", (json_int_t)g->model->nhosts, "accounts",
		(json_int_t)g->model->naccounts, "jewels", (json_int_t)g->model->njewels));
	json_object_set_new(root, "adversary", wg_report_adversary_json(g->adv, in->coverage,
		in->adversary_source));
	json_object_set_new(root, "graph", json_pack("{s:I,s:I}", "facts",
		(json_int_t)g->nfacts, "instances", (json_int_t)g->ninsts));
	if (in->metrics)
		json_object_set_new(root, "attack_graph", metrics_json(g, in->metrics));
	if (in->hardening)
		json_object_set_new(root, "hardening", hardening_json(g, in->hardening));
	json_object_set_new(root, "defenders_view", seen_json(in));
	if (in->sim)
		json_object_set_new(root, "simulation", sim_json(g, in->sim));
	if (in->intel)
		json_object_set_new(root, "intel", intel_json(in->intel));
	if (in->sim_intel)
		json_object_set_new(root, "simulation_with_intel", sim_json(g, in->sim_intel));
	if (in->sim && in->sim_intel)
		json_object_set_new(root, "value_of_sharing", sharing_json(in));
	json_object_set_new(root, "notes", wg_report_notes_json(in));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return s;
}
