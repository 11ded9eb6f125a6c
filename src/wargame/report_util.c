/*
 * report_util.c — the "what your defenders would see" rows (TIBER/DORA
 * style): every technique step of each jewel's most likely path, where it
 * is observable, through which control, and how often it was caught.
 */
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "wargame/report_int.h"

double wg_report_rate(const wg_sim_result *r, const char *technique)
{
	if (!r || !technique)
		return -1;
	for (size_t i = 0; i < r->ntechs; i++)
		if (!strcmp(r->techs[i].technique, technique))
			return r->techs[i].attempts ?
			       (double)r->techs[i].detections / (double)r->techs[i].attempts : -1;
	return -1;
}

/* The ATT&CK data components of a rule's sources, by name ("Process
 * Creation, Command Execution"); owned. */
static char *sources_text(const wg_rules *r, const wg_rule *ru)
{
	cc_buf b = CC_BUF_INIT;
	char *copy, *tok, *save = NULL;
	size_t n = 0;

	if (!ru->sources)
		return cc_xstrdup("");
	copy = cc_xstrdup(ru->sources);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		const char *name = wg_rules_datasource(r, tok);

		if (name)
			cc_buf_printf(&b, "%s%s", n++ ? ", " : "", name);
	}
	free(copy);
	return cc_buf_take(&b, NULL);
}

static void describe(const wg_report_in *in, wg_seen *s)
{
	const wg_model *m = in->g->model;
	cc_buf b = CC_BUF_INIT;
	const char *hn = s->host != WG_NONE ? m->hosts[s->host].name : "no host";
	const char *who = !strcmp(s->telemetry, "EDR alert / SOC log") ? "the EDR or the SOC" :
			  !strcmp(s->telemetry, "EDR alert") ? "the EDR" : "the SOC";

	if (s->host == WG_NONE)
		cc_buf_printf(&b, "%s leaves no trace on a host the model watches",
			      s->rule->name);
	else if (!strcmp(s->telemetry, "none"))
		cc_buf_printf(&b, "Nothing: %s has no EDR and its logs do not reach the SOC, "
			      "so %s goes unseen", hn, s->rule->name);
	else if (s->detect <= 0)
		cc_buf_printf(&b, "%s on %s makes no noise %s picks up", s->rule->name, hn, who);
	else
		cc_buf_printf(&b, "%s on %s: %s catches it %.0f%% of the time", s->rule->name,
			      hn, who, 100 * s->detect);
	if (in->intel && s->detect_intel > s->detect)
		cc_buf_printf(&b, " (%.0f%% with the shared intel)", 100 * s->detect_intel);
	if (*s->sources)
		cc_buf_printf(&b, "; ATT&CK data sources: %s", s->sources);
	s->what = cc_buf_take(&b, NULL);
}

static void add_row(const wg_report_in *in, int jewel, int step, int i,
		    wg_seen **v, size_t *n)
{
	const wg_graph *g = in->g;
	const wg_model *m = g->model;
	const wg_inst *it = &g->insts[i];
	wg_seen *s;
	bool edr, mon;

	*v = cc_xrealloc(*v, (*n + 1) * sizeof(**v));
	s = &(*v)[(*n)++];
	memset(s, 0, sizeof(*s));
	s->jewel = jewel;
	s->step = step;
	s->inst = i;
	s->rule = wg_graph_inst_rule(g, i);
	s->host = it->host;
	s->p = it->p;
	s->detect = s->detect_intel = it->detect;
	edr = it->host != WG_NONE && m->hosts[it->host].edr;
	mon = it->host != WG_NONE && m->controls.monitoring && m->hosts[it->host].monitored;
	s->telemetry = edr && mon ? "EDR alert / SOC log" : edr ? "EDR alert" :
		       mon ? "SOC log" : "none";
	if (in->intel)
		s->detect_intel = wg_intel_detect(in->intel, s->rule->technique,
						  it->detect, edr || mon);
	s->sim_rate = in->sim && in->sim->inst_att && in->sim->inst_att[i] ?
		      (double)in->sim->inst_det[i] / (double)in->sim->inst_att[i] : -1;
	s->sim_attempts = in->sim && in->sim->inst_att ? in->sim->inst_att[i] : 0;
	s->sources = sources_text(g->rules, s->rule);
	describe(in, s);
}

wg_seen *wg_seen_rows(const wg_report_in *in, size_t *n)
{
	const wg_graph *g = in->g;
	wg_seen *v = NULL;

	*n = 0;
	for (size_t j = 0; j < g->ngoals; j++) {
		wg_path p = { 0 };
		int step = 0;

		if (g->goals[j].fact == WG_NONE ||
		    wg_path_best(g, g->goals[j].fact, WG_M_PROB, NULL, &p))
			continue;
		for (size_t k = 0; k < p.ninsts; k++) {
			const wg_rule *ru = wg_graph_inst_rule(g, p.insts[k]);

			if (ru && ru->technique)
				add_row(in, g->goals[j].jewel, ++step, p.insts[k], &v, n);
		}
		wg_path_free(&p);
	}
	return v;
}

void wg_seen_free(wg_seen *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].what);
		free(v[i].sources);
	}
	free(v);
}

void wg_report_reach(const wg_graph *g, const wg_sim_reach *f, cc_buf *out)
{
	const wg_model *m = g->model;

	if (f->kind == WG_REACH_CRED)
		cc_buf_printf(out, "the credentials of %s", m->accounts[f->index].name);
	else
		cc_buf_printf(out, "%s on %s", f->kind == WG_REACH_ROOT ? "admin" : "a foothold",
			      m->hosts[f->index].name);
	if (f->p >= 0)
		cc_buf_printf(out, " (P %.3f)", f->p);
}

/* Hosts where the attack graph gives the attacker user or admin rights. */
static size_t graph_footholds(const wg_graph *g, cc_buf *out, size_t max)
{
	int pu = wg_rules_pred(g->rules, "user"), pr = wg_rules_pred(g->rules, "root");
	size_t n = 0;

	for (size_t f = 0; f < g->nfacts; f++) {
		const wg_fact *x = &g->facts[f];

		if (x->base || x->host == WG_NONE || (x->pred != pu && x->pred != pr))
			continue;
		if (n < max)
			cc_buf_printf(out, "%s%s on %s", n ? ", " : "",
				      x->pred == pr ? "admin" : "a foothold",
				      g->model->hosts[x->host].name);
		n++;
	}
	return n;
}

/* The adversary's initial-access techniques that have a rule. */
static void way_in(const wg_graph *g, cc_buf *out)
{
	size_t n = 0;

	for (size_t i = 0; i < g->adv->ntechniques; i++) {
		const char *t = g->adv->techniques[i];
		bool ia = false;

		for (size_t r = 0; r < g->rules->nrules && !ia; r++) {
			const wg_rule *ru = &g->rules->rules[r];

			ia = ru->technique && ru->tactic && !strcmp(ru->tactic, "initial-access") &&
			     wg_rules_fires(g->rules, t, ru->technique);
		}
		if (ia)
			cc_buf_printf(out, "%s%s", n++ ? ", " : "", t);
	}
	if (!n)
		cc_buf_puts(out, "none");
}

char *wg_report_notes(const wg_report_in *in)
{
	const wg_graph *g = in->g;
	const wg_sim_result *r = in->sim;
	cc_buf b = CC_BUF_INIT, h = CC_BUF_INIT;
	bool reachable = false;
	size_t nh;

	for (size_t j = 0; j < g->ngoals; j++)
		reachable |= g->goals[j].fact != WG_NONE;
	if (r ? r->any_compromised > 0 : reachable)
		return cc_xstrdup("");
	nh = graph_footholds(g, &h, 6);
	if (in->coverage && !in->coverage->modelled) {
		cc_buf_printf(&b, "%s %zu technique%s of %s %s modelled by the rules, so "
			      "nothing can happen: every result is zero.\n",
			      in->coverage->total == 1 ? "The" : "None of the",
			      in->coverage->total, in->coverage->total == 1 ? "" : "s",
			      g->adv->name, in->coverage->total == 1 ? "is not" : "is");
	} else if (!nh) {
		cc_buf_printf(&b, "%s gets no foothold on any host of this network: none of its "
			      "modelled techniques is a way in that works here (its initial-access "
			      "techniques with rules: ", g->adv->name);
		way_in(g, &b);
		cc_buf_puts(&b, "), so every result is zero.\n");
	} else if (r) {
		cc_buf_printf(&b, "No crown jewel fell in %zu campaigns; the furthest %s got: ",
			      r->runs, g->adv->name);
		for (size_t i = 0; i < r->nfurthest && i < 4; i++) {
			cc_buf_puts(&b, i ? ", " : "");
			wg_report_reach(g, &r->furthest[i], &b);
		}
		if (!r->nfurthest)
			cc_buf_puts(&b, "nothing (every attempt failed or was stopped)");
		cc_buf_puts(&b, ".\n");
	} else {
		cc_buf_printf(&b, "No crown jewel is reachable; %s can get %s%s.\n", g->adv->name,
			      cc_buf_str(&h), nh > 6 ? " and more" : "");
	}
	cc_buf_free(&h);
	return cc_buf_take(&b, NULL);
}
