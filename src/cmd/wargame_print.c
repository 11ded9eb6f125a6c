/* wargame_print.c — the results of `wargame graph` as text, JSON or dot. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/wargame_int.h"
#include "wargame/sim.h"

static void compute(wg_session *s)
{
	cc_err e;

	if (!s->metrics)
		s->metrics = wg_metrics_compute(s->graph, &e);
	wg_session_harden(s);
}

static size_t count_base(const wg_graph *g)
{
	size_t n = 0;

	for (size_t f = 0; f < g->nfacts; f++)
		n += g->facts[f].base;
	return n;
}

static const char *fact_s(const wg_graph *g, int f, cc_buf *b)
{
	cc_buf_reset(b);
	wg_graph_fact_str(g, f, b);
	return cc_buf_str(b);
}

static void text_path(const char *what, const wg_path *p)
{
	printf("  %-12s %d steps, p=%.3g, %.1f h expected\n", what, p->steps, p->p,
	       p->hours);
}

static void text_jewel(wg_session *s, const wg_jewel_metrics *jm)
{
	const wg_graph *g = s->graph;
	const wg_jewel *j = &s->model->jewels[jm->jewel];
	cc_buf b = CC_BUF_INIT;

	printf("\njewel %s (%s on %s): %s\n", j->name, j->function ? j->function : "-",
	       s->model->hosts[j->host].name, jm->reachable ? "REACHABLE" : "not reachable");
	if (!jm->reachable)
		return;
	printf("  paths:       %.0f%s\n", jm->npaths, jm->npaths_capped ? "+ (capped)" : "");
	text_path("shortest:", &jm->shortest);
	text_path("most likely:", &jm->likely);
	text_path("fastest:", &jm->fastest);
	printf("  choke points:");
	for (size_t k = 0; k < jm->nchoke_facts; k++)
		printf("%s %s", k ? "," : "", fact_s(g, jm->choke_facts[k], &b));
	if (!jm->nchoke_facts)
		printf(" none");
	printf("\n  choke hosts: ");
	for (size_t k = 0; k < jm->nchoke_hosts; k++)
		printf("%s %s", k ? "," : "", s->model->hosts[jm->choke_hosts[k]].name);
	if (!jm->nchoke_hosts)
		printf(" none");
	printf("\n  most likely path:\n");
	cc_buf_reset(&b);
	wg_path_explain(g, &jm->likely, &b);
	for (char *line = b.data, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		printf("    %.*s\n", (int)(nl - line), line);
	}
	cc_buf_free(&b);
}

/* "; ATT&CK M1032 Multi-factor Authentication" of a change, or "". */
static const char *mitig_s(const wg_change *c, cc_buf *b)
{
	cc_buf_reset(b);
	if (c->mitigations) {
		cc_buf_puts(b, "; ATT&CK ");
		wg_mitigations_text(c->mitigations, b);
	}
	return cc_buf_str(b);
}

/* Why nothing is reachable, when it is not (wg_report_notes). */
static void print_notes(const wg_session *s)
{
	wg_report_in in = { .g = s->graph, .coverage = &s->cov };
	char *notes = wg_report_notes(&in);

	if (*notes)
		printf("note: %s", notes);
	free(notes);
}

int wg_print_text(wg_session *s)
{
	const wg_graph *g = s->graph;
	const wg_hardening *h;
	size_t reach = 0;
	cc_buf b = CC_BUF_INIT;

	compute(s);
	h = s->hardening;
	for (size_t j = 0; j < s->metrics->njewels; j++)
		reach += s->metrics->jewels[j].reachable;
	cc_buf cov = CC_BUF_INIT;

	wg_coverage_text(&s->cov, &cov);
	printf("model: %s (%zu hosts)\nadversary: %s — %s\n",
	       s->model->name ? s->model->name : s->model->path, s->model->nhosts,
	       s->adv->name, cc_buf_str(&cov));
	cc_buf_free(&cov);
	printf("attack graph: %zu facts (%zu from the model), %zu rule instances\n",
	       g->nfacts, count_base(g), g->ninsts);
	printf("crown jewels reachable: %zu of %zu; risk %.2f\n", reach,
	       s->metrics->njewels, s->metrics->risk);
	print_notes(s);
	for (size_t j = 0; j < s->metrics->njewels; j++)
		text_jewel(s, &s->metrics->jewels[j]);
	printf("\nhardening: risk %.2f", h->risk_before);
	cc_buf_reset(&b);
	wg_hardening_uncut_text(g, h, &b);
	if (b.len)
		printf("; %s", cc_buf_str(&b));
	if (h->cut_found && h->nuncut)
		printf(";\n  for the other jewels: risk %.2f", h->risk_before);
	if (h->cut_found)
		printf(" -> %.2f with %zu change%s costing %.1f (%s)\n", h->risk_after,
		       h->ncut, h->ncut == 1 ? "" : "s", h->cut_cost,
		       h->cut_exact ? "cheapest, exact search" : "greedy heuristic");
	else
		printf("; no set of candidate changes cuts every path\n");
	for (size_t k = 0; k < h->ncut; k++)
		printf("  - %s (cost %.1f%s)\n", h->cut[k].label, h->cut[k].cost,
		       mitig_s(&h->cut[k], &b));
	if (h->nranked)
		printf("best single changes (risk removed per unit of cost):\n");
	for (size_t k = 0; k < h->nranked && k < 10; k++)
		printf("  %2zu. %s: risk %.2f -> %.2f (cost %.1f%s)\n", k + 1,
		       h->ranked[k].label, h->risk_before, h->ranked[k].risk_after,
		       h->ranked[k].cost, mitig_s(&h->ranked[k], &b));
	cc_buf_free(&b);
	return 0;
}

/* ---- JSON ---- */

static json_t *path_json(const wg_graph *g, const wg_path *p)
{
	json_t *steps = json_array();
	cc_buf b = CC_BUF_INIT;

	for (size_t k = 0; k < p->ninsts; k++) {
		const wg_inst *in = &g->insts[p->insts[k]];
		const wg_rule *ru = wg_graph_inst_rule(g, p->insts[k]);

		if (!ru || !ru->technique)
			continue;
		json_array_append_new(steps, json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:s?}",
			"technique", ru->technique, "name", ru->name, "tactic", ru->tactic,
			"fact", fact_s(g, in->head, &b), "p", in->p, "hours", in->hours,
			"detect", in->detect,
			"host", in->host >= 0 ? g->model->hosts[in->host].name : NULL));
	}
	cc_buf_reset(&b);
	wg_path_explain(g, p, &b);
	json_t *o = json_pack("{s:i,s:f,s:f,s:o,s:s}", "steps", p->steps, "p", p->p,
			      "hours", p->hours, "actions", steps,
			      "explanation", cc_buf_str(&b));
	cc_buf_free(&b);
	return o;
}

static json_t *jewel_json(wg_session *s, const wg_jewel_metrics *jm)
{
	const wg_graph *g = s->graph;
	const wg_jewel *j = &s->model->jewels[jm->jewel];
	json_t *o = json_pack("{s:s,s:s,s:s?,s:f,s:b}", "name", j->name,
			      "host", s->model->hosts[j->host].name, "function", j->function,
			      "value", j->value, "reachable", jm->reachable);
	json_t *cf = json_array(), *ch = json_array();
	cc_buf b = CC_BUF_INIT;

	if (!jm->reachable) {
		json_decref(cf);
		json_decref(ch);
		return o;
	}
	json_object_set_new(o, "paths", json_real(jm->npaths));
	json_object_set_new(o, "paths_capped", json_boolean(jm->npaths_capped));
	json_object_set_new(o, "shortest", path_json(g, &jm->shortest));
	json_object_set_new(o, "most_likely", path_json(g, &jm->likely));
	json_object_set_new(o, "fastest", path_json(g, &jm->fastest));
	for (size_t k = 0; k < jm->nchoke_facts; k++)
		json_array_append_new(cf, json_string(fact_s(g, jm->choke_facts[k], &b)));
	for (size_t k = 0; k < jm->nchoke_hosts; k++)
		json_array_append_new(ch, json_string(s->model->hosts[jm->choke_hosts[k]].name));
	json_object_set_new(o, "choke_points", cf);
	json_object_set_new(o, "choke_hosts", ch);
	cc_buf_free(&b);
	return o;
}


int wg_print_json(wg_session *s)
{
	wg_report_in in = { .g = s->graph, .coverage = &s->cov };
	const wg_hardening *h;
	json_t *o, *jw = json_array();

	compute(s);
	h = s->hardening;
	for (size_t j = 0; j < s->metrics->njewels; j++)
		json_array_append_new(jw, jewel_json(s, &s->metrics->jewels[j]));
	o = json_pack("{s:s,s:o,s:I,s:I,s:f,s:o,s:{s:f,s:f,s:b,s:b,s:f,s:o,s:o,s:o}}",
		      "model", s->model->path,
		      "adversary", wg_report_adversary_json(s->adv, &s->cov,
							     s->adv->id ? "store" : "file"),
		      "facts", (json_int_t)s->graph->nfacts,
		      "instances", (json_int_t)s->graph->ninsts,
		      "risk", s->metrics->risk, "jewels", jw,
		      "hardening", "risk_before", h->risk_before, "risk_after", h->risk_after,
		      "cut_found", h->cut_found, "cut_exact", h->cut_exact,
		      "cut_cost", h->cut_cost, "cut", wg_report_changes_json(h->cut, h->ncut),
		      "ranked", wg_report_changes_json(h->ranked, h->nranked),
		      "uncuttable", wg_report_uncut_json(s->graph, h));
	json_object_set_new(json_object_get(o, "hardening"), "mitigations",
			    wg_report_mitigations_json(h));
	json_object_set_new(o, "notes", wg_report_notes_json(&in));
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	fputc('\n', stdout);
	json_decref(o);
	return 0;
}

int wg_print_dot(wg_session *s)
{
	cc_buf b = CC_BUF_INIT;

	wg_graph_dot(s->graph, &b);
	fputs(cc_buf_str(&b), stdout);
	cc_buf_free(&b);
	return 0;
}
