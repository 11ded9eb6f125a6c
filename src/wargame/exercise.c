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
	json_array_append_new(x->log, json_pack("{s:i,s:s,s:s,s:s,s:b}", "turn", x->turn,
		"id", id, "host", h->name, "technique", ru->technique, "real", real));
	if (real)
		x->true_alerts++;
	else
		x->false_alerts++;
}

/* Benign activity that looks like one of the adversary's techniques,
 * on hosts with telemetry: a technique that could act on that host. */
static void false_alerts(wg_exercise *x)
{
	size_t n = 0;

	for (size_t k = 0; k < x->ntele; k++) {
		int h = x->tele[k];
		size_t nr = x->fp_off[h + 1] - x->fp_off[h];
		double u = wg_rng_unit(&x->arng);
		size_t r = nr ? wg_rng_below(&x->arng, nr) : 0;

		if (u < x->o.fp_rate && nr && n < MAX_FALSE_ALERTS) {
			alert(x, h, &x->g->rules->rules[x->fp_rules[x->fp_off[h] + r]], false);
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

/* Technique rules that could act on host h (its OS among their
 * platforms, or no platforms) and that the adversary uses. */
static bool fits(const wg_graph *g, const wg_rule *ru, int h)
{
	return ru->technique && ru->detect_var != WG_NONE &&
	       (!ru->platforms || (ru->platforms & wg_os_platforms(g->model->hosts[h].os))) &&
	       wg_rules_enabled(g->rules, g->adv, ru->technique);
}

static int pair_cmp(const void *a, const void *b)
{
	const int *x = a, *y = b;

	return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

/* Per host, the rules false alerts may name: those with an instance acting
 * on the host in the graph, else those that fit it (fits). */
static void setup_lists(wg_exercise *x)
{
	const wg_graph *g = x->g;
	const wg_model *m = g->model;
	int *pairs = cc_xcalloc(2 * g->ninsts + 2, sizeof(int));
	size_t np = 0, n = 0, k = 0;

	x->tele = cc_xcalloc(m->nhosts + 1, sizeof(int));
	x->fp_off = cc_xcalloc(m->nhosts + 1, sizeof(uint32_t));
	for (size_t h = 0; h < m->nhosts; h++)
		if (m->hosts[h].edr || (m->controls.monitoring && m->hosts[h].monitored))
			x->tele[x->ntele++] = (int)h;
	for (size_t i = 0; i < g->ninsts; i++) {
		const wg_rule *ru = wg_graph_inst_rule(g, (int)i);

		if (g->insts[i].host != WG_NONE && ru && ru->technique) {
			pairs[2 * np] = g->insts[i].host;
			pairs[2 * np++ + 1] = g->insts[i].rule;
		}
	}
	qsort(pairs, np, 2 * sizeof(int), pair_cmp);
	for (size_t h = 0; h < m->nhosts; h++) {
		size_t before = n;
		bool in_graph;

		x->fp_off[h] = (uint32_t)n;
		for (; k < np && pairs[2 * k] == (int)h; k++)
			if (n == before || x->fp_rules[n - 1] != pairs[2 * k + 1]) {
				x->fp_rules = cc_xrealloc(x->fp_rules, (n + 1) * sizeof(int));
				x->fp_rules[n++] = pairs[2 * k + 1];
			}
		in_graph = n > before;
		for (size_t r = 0; !in_graph && r < g->rules->nrules; r++)
			if (fits(g, &g->rules->rules[r], (int)h)) {
				x->fp_rules = cc_xrealloc(x->fp_rules, (n + 1) * sizeof(int));
				x->fp_rules[n++] = (int)r;
			}
	}
	x->fp_off[m->nhosts] = (uint32_t)n;
	free(pairs);
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
	x->log = json_array();
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
	json_decref(x->log);
	free(x->tele);
	free(x->fp_off);
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

/* Remove every vuln fact of cve on host h (an attacker already on h
 * stays); -1 when h has no such CVE. */
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
				wg_camp_remove(&x->s, f);
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
		x->found += there;
		cc_buf_printf(said, there ? "investigation of %s: the attacker IS there"
				    : "investigation of %s: nothing found", c->arg[0]);
		return CC_OK;
	case WG_EX_ISOLATE:
		there = wg_camp_on_host(&x->s, h);
		wg_camp_isolate(&x->s, h);
		x->score += there ? EX_PTS_ISOLATE_HIT : EX_PTS_ISOLATE_MISS;
		x->iso_hit += there;
		x->iso_miss += !there;
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
	case WG_EX_MAP:
		wg_ex_board(x, said);
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
	size_t hits = x->found + x->iso_hit;
	bool hit;
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
	hit = x->found + x->iso_hit > hits;
	r = json_pack("{s:i,s:s,s:s,s:s,s:i,s:s}", "turn", x->turn, "action",
		      wg_ex_kind_name(c->kind), "target", c->arg[0], "cve", c->arg[1],
		      "cost", cost, "result", cc_buf_str(&b));
	if (!c->arg[1][0])
		json_object_del(r, "cve");
	if (c->kind != WG_EX_PASS && c->kind != WG_EX_MAP) {
		json_t *rb = json_deep_copy(r);     /* the review may say if it hit */

		if (c->kind == WG_EX_ISOLATE || c->kind == WG_EX_INVESTIGATE)
			json_object_set_new(rb, "hit", json_boolean(hit));
		json_array_append_new(x->blue, rb);
	}
	if (c->kind != WG_EX_PASS)
		json_array_append(x->results, r);
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
