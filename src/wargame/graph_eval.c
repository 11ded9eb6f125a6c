/*
 * graph_eval.c — compiling the enabled rules and running the semi-naive
 * fixed point (see graph.c for the ordering argument), then the CSR
 * adjacency of the finished AND/OR graph.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/graph_int.h"

/* ---- compiling ---- */

static int term_of(wg_graph *g, const wg_term *t)
{
	return t->is_var ? t->var : -(wg_sym(g, t->constant) + 1);
}

/* Join order for delta atom d: greedily the atom with most bound args. */
static void plan(const wg_rule *ru, wg_crule *cr, int d)
{
	bool bound[WG_MAX_VARS] = { false }, used[WG_MAX_BODY] = { false };
	int k = 0;

	used[d] = true;
	for (int a = 0; a < ru->body[d].nargs; a++)
		if (ru->body[d].args[a].is_var)
			bound[ru->body[d].args[a].var] = true;
	while (k < ru->nbody - 1) {
		int best = -1, bestscore = -1;

		for (int b = 0; b < ru->nbody; b++) {
			int score = 0;

			if (used[b])
				continue;
			for (int a = 0; a < ru->body[b].nargs; a++) {
				const wg_term *t = &ru->body[b].args[a];

				if (!t->is_var || bound[t->var])
					score += 2;
			}
			if (score == 2 * ru->body[b].nargs)
				score += 100;   /* fully bound: a hash lookup */
			else if (score)
				score = score * 8 - ru->body[b].nargs; /* fewer free args first */
			if (score > bestscore) {
				best = b;
				bestscore = score;
			}
		}
		used[best] = true;
		cr->plan[d][k++] = best;
		for (int a = 0; a < ru->body[best].nargs; a++)
			if (ru->body[best].args[a].is_var)
				bound[ru->body[best].args[a].var] = true;
	}
}

static void compile(wg_graph *g)
{
	wg_graph_priv *p = g->priv;
	const wg_rules *r = g->rules;
	size_t np = r->npreds;

	p->crules = cc_xcalloc(r->nrules, sizeof(*p->crules));
	for (size_t i = 0; i < r->nrules; i++) {
		const wg_rule *ru = &r->rules[i];
		wg_crule *cr;

		if (ru->technique && !wg_rules_enabled(r, g->adv, ru->technique))
			continue;
		cr = &p->crules[p->ncrules++];
		cr->rule = (int)i;
		cr->nbody = ru->nbody;
		for (int a = 0; a < ru->head.nargs; a++)
			cr->head_terms[a] = term_of(g, &ru->head.args[a]);
		for (int b = 0; b < ru->nbody; b++) {
			for (int a = 0; a < ru->body[b].nargs; a++)
				cr->body_terms[b][a] = term_of(g, &ru->body[b].args[a]);
			plan(ru, cr, b);
		}
	}
	p->trig_off = cc_xcalloc(np + 1, sizeof(int));
	for (size_t c = 0; c < p->ncrules; c++)
		for (int b = 0; b < p->crules[c].nbody; b++)
			p->trig_off[r->rules[p->crules[c].rule].body[b].pred + 1]++;
	for (size_t i = 0; i < np; i++)
		p->trig_off[i + 1] += p->trig_off[i];
	p->trig = cc_xcalloc((size_t)p->trig_off[np] * 2, sizeof(int));
	{
		int *fill = cc_xcalloc(np, sizeof(int));

		for (size_t c = 0; c < p->ncrules; c++)
			for (int b = 0; b < p->crules[c].nbody; b++) {
				int pr = r->rules[p->crules[c].rule].body[b].pred;
				int at = (p->trig_off[pr] + fill[pr]++) * 2;

				p->trig[at] = (int)c;
				p->trig[at + 1] = b;
			}
		free(fill);
	}
}

/* ---- joining ---- */

typedef struct jctx {
	wg_graph *g;
	const wg_crule *cr;
	const wg_rule *ru;
	int d;                  /* delta atom */
	int c;                  /* delta fact */
	int body[WG_MAX_BODY];
} jctx;

/* Bind the terms of an atom to fact f; false on a mismatch. */
static bool unify(const wg_fact *f, const int *terms, int nargs, int *bind)
{
	for (int a = 0; a < nargs; a++) {
		int t = terms[a];

		if (t < 0) {
			if (f->args[a] != -(t + 1))
				return false;
		} else if (bind[t] < 0) {
			bind[t] = f->args[a];
		} else if (bind[t] != f->args[a]) {
			return false;
		}
	}
	return true;
}

/* The host a rule instance acts on: its detect variable's, else the first
 * host among the head's arguments; WG_NONE when neither names a host. */
static int inst_host(const wg_graph *g, const wg_rule *ru, const int *bind,
		     const int *head_args)
{
	const wg_graph_priv *p = g->priv;

	if (ru->detect_var >= 0 && bind[ru->detect_var] >= 0 &&
	    (size_t)bind[ru->detect_var] < p->nsym_host)
		return p->sym_host[bind[ru->detect_var]];
	for (int a = 0; a < ru->head.nargs; a++)
		if (head_args[a] >= 0 && (size_t)head_args[a] < p->nsym_host &&
		    p->sym_host[head_args[a]] != WG_NONE)
			return p->sym_host[head_args[a]];
	return WG_NONE;
}

static void inst_params(wg_graph *g, const wg_rule *ru, const int *bind, int id,
			int host)
{
	wg_graph_priv *p = g->priv;
	const wg_model *m = g->model;
	wg_inst *in = &g->insts[id];
	double prob = ru->prob;

	for (int s = 0; s < ru->nscales; s++) {
		int sym = bind[ru->scales[s].var];

		if (sym < 0 || (size_t)sym >= p->nsym_ent)
			continue;
		if (ru->scales[s].kind == WG_SCALE_SUSCEPTIBILITY && p->sym_person[sym] >= 0)
			prob *= m->people[p->sym_person[sym]].susceptibility;
		else if (ru->scales[s].kind == WG_SCALE_EXPLOITABILITY && p->sym_expl[sym] >= 0)
			prob *= p->sym_expl[sym];
		else if (ru->scales[s].kind == WG_SCALE_CVSS && p->sym_cvss[sym] >= 0)
			prob *= p->sym_cvss[sym] / 10;
	}
	if (ru->controls & WG_CTL_EMAIL)
		prob *= 1 - m->controls.email_filtering;
	in->host = host;
	if (host != WG_NONE && ru->technique) {
		const wg_host *h = &m->hosts[host];
		double edr = h->edr ? h->edr_detect : 0;
		double mon = m->controls.monitoring && h->monitored ? m->controls.monitor_detect : 0;

		in->detect = ru->noise * (1 - (1 - edr) * (1 - mon));
		if ((ru->controls & WG_CTL_EDR) && h->edr)
			prob *= 1 - h->edr_prevent;
	}
	in->p = prob;
	in->time = ru->time;
	in->hours = wg_dist_mean(&ru->time);
}

/* Add the instance unless the rule's platforms exclude the host it acts
 * on (docs/wargame-rules.md). */
static void emit(jctx *j, const int *bind)
{
	int args[WG_MAX_ARITY], head, id, host;
	const wg_rule *ru = j->ru;
	bool added;

	for (int a = 0; a < ru->head.nargs; a++) {
		int t = j->cr->head_terms[a];

		args[a] = t < 0 ? -(t + 1) : bind[t];
	}
	host = inst_host(j->g, ru, bind, args);
	if (ru->platforms && host != WG_NONE && !(ru->platforms & j->g->priv->host_plat[host]))
		return;
	head = wg_fact_add(j->g, ru->head.pred, ru->head.nargs, args, false, &added);
	id = wg_inst_add(j->g, j->cr->rule, head, j->body, ru->nbody);
	inst_params(j->g, ru, bind, id, host);
}

static void join(jctx *j, int k, const int *bind)
{
	const wg_graph *g = j->g;
	int a, nargs, args[WG_MAX_ARITY], bpos = -1, id, first;
	const int *terms;
	bool all = true;

	if (k == j->cr->nbody - 1) {
		emit(j, bind);
		return;
	}
	a = j->cr->plan[j->d][k];
	terms = j->cr->body_terms[a];
	nargs = j->ru->body[a].nargs;
	for (int i = 0; i < nargs; i++) {
		int t = terms[i];

		args[i] = t < 0 ? -(t + 1) : bind[t];
		if (args[i] < 0)
			all = false;
		else if (bpos < 0)
			bpos = i;
	}
	if (all) {
		id = wg_fact_lookup(g, j->ru->body[a].pred, nargs, args);
		if (id == WG_NONE || id > j->c || (a < j->d && id == j->c))
			return;
		j->body[a] = id;
		join(j, k + 1, bind);
		return;
	}
	first = bpos >= 0 ? wg_index_first(g, j->ru->body[a].pred, bpos, args[bpos])
			  : wg_index_first(g, j->ru->body[a].pred, IDX_ALL, 0);
	for (id = first; id != WG_NONE && id <= j->c;
	     id = g->priv->inext[(size_t)id * IDX_SLOTS + (size_t)(bpos >= 0 ? bpos : IDX_ALL)]) {
		int nb[WG_MAX_VARS];

		if (a < j->d && id == j->c)
			break;
		memcpy(nb, bind, sizeof(nb));
		if (!unify(&g->facts[id], terms, nargs, nb))
			continue;
		j->body[a] = id;
		join(j, k + 1, nb);
	}
}

static void fire(wg_graph *g, int c)
{
	wg_graph_priv *p = g->priv;
	int pr = g->facts[c].pred;

	for (int t = p->trig_off[pr]; t < p->trig_off[pr + 1]; t++) {
		jctx j = { .g = g, .c = c };
		int bind[WG_MAX_VARS];

		bool possible = true;

		j.cr = &p->crules[p->trig[2 * t]];
		j.ru = &g->rules->rules[j.cr->rule];
		j.d = p->trig[2 * t + 1];
		/* an atom whose predicate has no fact <= c yet cannot match */
		for (int b = 0; b < j.ru->nbody && possible; b++)
			possible = b == j.d || p->pred_first[j.ru->body[b].pred] <= c;
		if (!possible)
			continue;
		for (int v = 0; v < WG_MAX_VARS; v++)
			bind[v] = -1;
		if (!unify(&g->facts[c], j.cr->body_terms[j.d], g->facts[c].nargs, bind))
			continue;
		j.body[j.d] = c;
		join(&j, 0, bind);
	}
}

/* ---- adjacency ---- */

static void csr(wg_graph *g)
{
	size_t nf = g->nfacts;
	uint32_t *fill;

	g->by_head_off = cc_xcalloc(nf + 1, sizeof(uint32_t));
	g->uses_off = cc_xcalloc(nf + 1, sizeof(uint32_t));
	for (size_t i = 0; i < g->ninsts; i++) {
		g->by_head_off[g->insts[i].head + 1]++;
		for (int b = 0; b < g->insts[i].nbody; b++)
			g->uses_off[g->body[g->insts[i].body + (uint32_t)b] + 1]++;
	}
	for (size_t f = 0; f < nf; f++) {
		g->by_head_off[f + 1] += g->by_head_off[f];
		g->uses_off[f + 1] += g->uses_off[f];
	}
	g->by_head = cc_xcalloc(g->ninsts, sizeof(int));
	g->uses = cc_xcalloc(g->nbody, sizeof(int));
	fill = cc_xcalloc(nf, sizeof(uint32_t));
	for (size_t i = 0; i < g->ninsts; i++) {
		int h = g->insts[i].head;

		g->by_head[g->by_head_off[h] + fill[h]++] = (int)i;
	}
	memset(fill, 0, nf * sizeof(uint32_t));
	for (size_t i = 0; i < g->ninsts; i++)
		for (int b = 0; b < g->insts[i].nbody; b++) {
			int f = g->body[g->insts[i].body + (uint32_t)b];

			g->uses[g->uses_off[f] + fill[f]++] = (int)i;
		}
	free(fill);
}

int wg_graph_eval(wg_graph *g, cc_err *e)
{
	wg_graph_priv *p = g->priv;

	(void)e;
	compile(g);
	for (size_t c = 0; c < g->nfacts; c++)
		fire(g, (int)c);
	csr(g);
	g->ngoals = g->model->njewels;
	g->goals = cc_xcalloc(g->ngoals, sizeof(*g->goals));
	for (size_t j = 0; j < g->ngoals; j++) {
		int js = wg_strmap_get(&p->symmap, g->model->jewels[j].name);

		g->goals[j].jewel = (int)j;
		g->goals[j].fact = p->p_compromised == WG_NONE || js == WG_NONE ? WG_NONE
			: wg_fact_lookup(g, p->p_compromised, 1, &js);
	}
	return CC_OK;
}
