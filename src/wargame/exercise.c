/*
 * exercise.c — the rules of the turn-based training game (docs/exercise.md).
 *
 * The attacker is one Monte Carlo campaign (sim_camp.c) that makes one
 * action per turn by the simulation's policy; each action is seen with its
 * detection probability and raises an alert.  Hosts with telemetry also
 * raise false alerts (fp_rate per host per turn, from their own random
 * stream).  The blue team spends a budget on investigate / isolate /
 * reset / block / patch; those revoke the attacker's facts exactly as the
 * simulation's defender responses do.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "wargame/exercise_int.h"

#define MAX_FALSE_ALERTS 8      /* per turn */

static void alert(wg_exercise *x, int host, const wg_rule *ru, bool real)
{
	const wg_host *h = &x->g->model->hosts[host];
	char id[32];

	snprintf(id, sizeof(id), "A-%d", ++x->next_alert);
	json_array_append_new(x->alerts, json_pack(
		"{s:s,s:s,s:s,s:s,s:s}", "id", id, "host", h->name, "technique",
		ru->technique, "name", ru->name, "source", h->edr ? "EDR" : "SOC"));
	if (real)
		x->true_alerts++;
	else
		x->false_alerts++;
}

static void false_alerts(wg_exercise *x)
{
	size_t n = 0;

	for (size_t k = 0; k < x->ntele; k++) {
		double u = wg_rng_unit(&x->arng);
		size_t r = x->nfp_rules ? wg_rng_below(&x->arng, x->nfp_rules) : 0;

		if (u < x->o.fp_rate && x->nfp_rules && n < MAX_FALSE_ALERTS) {
			alert(x, x->tele[k], &x->g->rules->rules[x->fp_rules[r]], false);
			n++;
		}
	}
}

static void end_game(wg_exercise *x, int outcome)
{
	x->outcome = outcome;
	if (outcome == EX_EVICTED)
		x->score += EX_PTS_EVICTED;
	else if (outcome == EX_JEWEL)
		x->score += EX_PTS_JEWEL;
}

/* One attacker action; ends the game when a jewel falls or it has none. */
static void attacker_move(wg_exercise *x)
{
	wg_camp *s = &x->s;
	const wg_graph *g = x->g;
	const wg_inst *in;
	const wg_rule *ru;
	int i = wg_camp_pick(s);
	double ud, up;
	bool ok, seen;

	json_decref(x->alerts);
	x->alerts = json_array();
	if (i == WG_NONE) {
		end_game(x, EX_EVICTED);
		return;
	}
	in = &g->insts[i];
	ru = wg_graph_inst_rule(g, i);
	ud = wg_rng_unit(&s->rng);
	up = wg_rng_unit(&s->rng);
	ok = up < in->p;
	seen = ud < x->c->det[i] && in->host != WG_NONE;
	wg_camp_finish(s, i, ok);
	json_array_append_new(x->steps, json_pack(
		"{s:i,s:s,s:s,s:s,s:s?,s:b,s:b}", "turn", x->turn, "technique", ru->technique,
		"name", ru->name, "tactic", ru->tactic, "host",
		in->host != WG_NONE ? g->model->hosts[in->host].name : NULL,
		"success", ok, "alerted", seen));
	if (seen)
		alert(x, in->host, ru, true);
	false_alerts(x);
	for (size_t j = 0; j < g->ngoals; j++)
		if (isfinite(s->goal_t[j])) {
			x->jewel = g->goals[j].jewel;
			end_game(x, EX_JEWEL);
			return;
		}
}

static void setup_lists(wg_exercise *x)
{
	const wg_graph *g = x->g;
	const wg_model *m = g->model;

	x->tele = cc_xcalloc(m->nhosts + 1, sizeof(int));
	x->fp_rules = cc_xcalloc(g->rules->nrules + 1, sizeof(int));
	for (size_t h = 0; h < m->nhosts; h++)
		if (m->hosts[h].edr || (m->controls.monitoring && m->hosts[h].monitored))
			x->tele[x->ntele++] = (int)h;
	for (size_t r = 0; r < g->rules->nrules; r++) {
		const wg_rule *ru = &g->rules->rules[r];

		if (ru->technique && ru->detect_var != WG_NONE &&
		    wg_rules_enabled(g->rules, g->adv, ru->technique))
			x->fp_rules[x->nfp_rules++] = (int)r;
	}
}

wg_exercise *wg_ex_new(const wg_graph *g, const wg_ex_opts *o, cc_err *e)
{
	wg_exercise *x = cc_xcalloc(1, sizeof(*x));

	x->g = g;
	x->o = *o;
	if (x->o.turns <= 0)
		x->o.turns = 20;
	if (x->o.budget <= 0)
		x->o.budget = 4;
	if (x->o.fp_rate < 0)
		x->o.fp_rate = 0.02;
	if (x->o.turns > 10000 || x->o.budget > 1000 || x->o.fp_rate > 1) {
		cc_err_set(e, CC_EUSAGE, "exercise: turns at most 10000, budget at most "
			   "1000, false-alert rate at most 1");
		free(x);
		return NULL;
	}
	x->c = wg_simctx_new(g, NULL, -1);
	wg_camp_init(&x->s, x->c);
	wg_camp_start(&x->s, o->seed, 0);
	wg_rng_seed(&x->arng, o->seed, 1);
	x->jewel = WG_NONE;
	x->alerts = json_array();
	x->results = json_array();
	x->shown = json_array();
	x->steps = json_array();
	x->blue = json_array();
	setup_lists(x);
	x->budget = x->o.budget;
	attacker_move(x);               /* turn 0: before the blue team plays */
	x->turn = 1;
	return x;
}

void wg_ex_free(wg_exercise *x)
{
	if (!x)
		return;
	wg_camp_free(&x->s);
	wg_simctx_free(x->c);
	json_decref(x->alerts);
	json_decref(x->results);
	json_decref(x->shown);
	json_decref(x->steps);
	json_decref(x->blue);
	free(x->tele);
	free(x->fp_rules);
	free(x);
}

void wg_ex_end_turn(wg_exercise *x)
{
	if (x->outcome != EX_RUNNING)
		return;
	json_decref(x->shown);
	x->shown = x->results;
	x->results = json_array();
	attacker_move(x);
	if (x->outcome != EX_RUNNING)
		return;
	x->score += EX_PTS_TURN;
	if (x->turn >= x->o.turns) {
		end_game(x, EX_TURNS);
		return;
	}
	x->turn++;
	x->budget = x->o.budget;
}

/* ---- blue actions ---- */

static int find_flow(const wg_model *m, const char *name)
{
	for (size_t i = 0; i < m->nflows; i++)
		if (m->flows[i].name && !strcmp(m->flows[i].name, name))
			return (int)i;
	return WG_NONE;
}

/* Revoke every vuln fact of cve on host h; -1 when h has no such CVE. */
static int patch(wg_exercise *x, int h, const char *cve)
{
	const wg_host *ho = &x->g->model->hosts[h];
	int found = -1;

	for (size_t s = 0; s < ho->nservices; s++)
		for (size_t c = 0; c < ho->services[s].ncves; c++) {
			const wg_cve *cv = &ho->services[s].cves[c];
			char port[16];
			const char *args[4];
			int f;

			if (strcmp(cv->id, cve))
				continue;
			found = 0;
			snprintf(port, sizeof(port), "%d", ho->services[s].port);
			args[0] = ho->name;
			args[1] = port;
			args[2] = cv->id;
			args[3] = wg_vuln_kind_name(cv->kind);
			f = wg_graph_find(x->g, "vuln", args, 4);
			if (f != WG_NONE)
				wg_camp_revoke(&x->s, &f, 1);
		}
	return found;
}

/* Resolve and apply; the sentence goes to said.  CC_EUSAGE when the
 * target does not exist. */
static int apply(wg_exercise *x, const wg_ex_cmd *c, cc_buf *said, cc_err *e)
{
	const wg_model *m = x->g->model;
	int h = WG_NONE, a, f;
	bool there;

	if (c->kind == WG_EX_INVESTIGATE || c->kind == WG_EX_ISOLATE ||
	    c->kind == WG_EX_PATCH) {
		if ((h = wg_model_host(m, c->arg[0])) == WG_NONE)
			return cc_err_set(e, CC_EUSAGE, "no host named '%s'", c->arg[0]);
	}
	switch (c->kind) {
	case WG_EX_INVESTIGATE:
		there = wg_camp_on_host(&x->s, h);
		x->score += there ? EX_PTS_FOUND : 0;
		cc_buf_printf(said, there ? "investigation of %s: the attacker IS there"
				    : "investigation of %s: nothing found", c->arg[0]);
		return CC_OK;
	case WG_EX_ISOLATE:
		there = wg_camp_on_host(&x->s, h);
		wg_camp_isolate(&x->s, h);
		x->score += there ? EX_PTS_ISOLATE_HIT : EX_PTS_ISOLATE_MISS;
		cc_buf_printf(said, "%s isolated from the network", c->arg[0]);
		return CC_OK;
	case WG_EX_RESET:
		if ((a = wg_model_account(m, c->arg[0])) == WG_NONE)
			return cc_err_set(e, CC_EUSAGE, "no account named '%s'", c->arg[0]);
		wg_camp_reset_account(&x->s, a);
		cc_buf_printf(said, "credentials of %s reset", c->arg[0]);
		return CC_OK;
	case WG_EX_BLOCK:
		if ((f = find_flow(m, c->arg[0])) == WG_NONE)
			return cc_err_set(e, CC_EUSAGE, "no flow named '%s'", c->arg[0]);
		if (x->c->fact_flow[f] != WG_NONE)
			wg_camp_revoke(&x->s, &x->c->fact_flow[f], 1);
		cc_buf_printf(said, "flow %s blocked", c->arg[0]);
		return CC_OK;
	case WG_EX_PATCH:
		if (patch(x, h, c->arg[1]) < 0)
			return cc_err_set(e, CC_EUSAGE, "host '%s' has no %s", c->arg[0], c->arg[1]);
		cc_buf_printf(said, "%s patched on %s", c->arg[1], c->arg[0]);
		return CC_OK;
	default:
		cc_buf_puts(said, "pass");
		return CC_OK;
	}
}

int wg_ex_act(wg_exercise *x, const wg_ex_cmd *c, cc_buf *said, cc_err *e)
{
	cc_buf b = CC_BUF_INIT;
	int cost = wg_ex_cost(c->kind), rc;
	json_t *r;

	if (x->outcome != EX_RUNNING)
		return cc_err_set(e, CC_EUSAGE, "the exercise is over");
	if (cost > x->budget)
		rc = cc_err_set(e, CC_EUSAGE, "%s costs %d, only %d left this turn",
				wg_ex_kind_name(c->kind), cost, x->budget);
	else
		rc = apply(x, c, &b, e);
	if (rc) {
		json_array_append_new(x->results, json_pack("{s:i,s:s,s:s,s:s}", "turn",
			x->turn, "action", wg_ex_kind_name(c->kind), "target", c->arg[0],
			"error", e ? e->msg : "refused"));
		cc_buf_free(&b);
		return rc;
	}
	x->budget -= cost;
	r = json_pack("{s:i,s:s,s:s,s:s,s:i,s:s}", "turn", x->turn, "action",
		      wg_ex_kind_name(c->kind), "target", c->arg[0], "cve", c->arg[1],
		      "cost", cost, "result", cc_buf_str(&b));
	if (!c->arg[1][0])
		json_object_del(r, "cve");
	if (c->kind != WG_EX_PASS) {
		json_array_append(x->results, r);
		json_array_append(x->blue, r);
	}
	json_decref(r);
	if (said)
		cc_buf_puts(said, cc_buf_str(&b));
	cc_buf_free(&b);
	return CC_OK;
}

/* ---- queries ---- */

bool wg_ex_over(const wg_exercise *x) { return x->outcome != EX_RUNNING; }
int wg_ex_budget(const wg_exercise *x) { return x->budget; }
bool wg_ex_evicted(const wg_exercise *x) { return x->outcome == EX_EVICTED; }
bool wg_ex_jewel_lost(const wg_exercise *x) { return x->outcome == EX_JEWEL; }
int wg_ex_score(const wg_exercise *x) { return x->score; }

size_t wg_ex_footholds(const wg_exercise *x, int *hosts, size_t max)
{
	size_t n = 0;

	for (size_t h = 0; h < x->g->model->nhosts; h++)
		if (wg_camp_on_host(&x->s, (int)h)) {
			if (n < max)
				hosts[n] = (int)h;
			n++;
		}
	return n;
}
