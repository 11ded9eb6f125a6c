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

static void describe(const wg_report_in *in, wg_seen *s)
{
	const wg_model *m = in->g->model;
	cc_buf b = CC_BUF_INIT;
	const char *hn = s->host != WG_NONE ? m->hosts[s->host].name : "no host";

	if (s->host == WG_NONE)
		cc_buf_printf(&b, "%s leaves no trace on a host the model watches",
			      s->rule->name);
	else if (!strcmp(s->telemetry, "none"))
		cc_buf_printf(&b, "Nothing: %s has no EDR and is not monitored, so "
			      "%s goes unseen", hn, s->rule->name);
	else if (s->detect <= 0)
		cc_buf_printf(&b, "%s on %s makes no noise the %s picks up",
			      s->rule->name, hn, s->telemetry);
	else
		cc_buf_printf(&b, "%s on %s raises a %s %.0f%% of the time",
			      s->rule->name, hn, s->telemetry, 100 * s->detect);
	if (in->intel && s->detect_intel > s->detect)
		cc_buf_printf(&b, " (%.0f%% with the shared intel)", 100 * s->detect_intel);
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
	s->sim_rate = wg_report_rate(in->sim, s->rule->technique);
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
	for (size_t i = 0; i < n; i++)
		free(v[i].what);
	free(v);
}
