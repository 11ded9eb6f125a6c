/*
 * sim_ctx.c — preparing a graph for campaigns: which facts every campaign
 * starts with, which instances are instant builtin derivations, the
 * detection odds (with shared intelligence), the attacker's cost-to-jewel
 * estimate per action, and the host/account -> facts indexes the defender
 * responses need.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "wargame/sim_int.h"

static const wg_rule *inst_rule(const wg_graph *g, int i)
{
	int r = g->insts[i].rule;

	return r < 0 ? NULL : &g->rules->rules[r];
}

/* Facts held by every campaign: base facts closed under builtins. */
static void static_facts(wg_simctx *c)
{
	const wg_graph *g = c->g;
	bool changed = true;

	for (size_t f = 0; f < g->nfacts; f++)
		c->stat[f] = g->facts[f].base;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < g->ninsts; i++) {
			const wg_inst *in = &g->insts[i];
			bool all = c->autom[i] && in->p >= 1 && !c->stat[in->head];

			for (int k = 0; all && k < in->nbody; k++)
				all = c->stat[g->body[in->body + (uint32_t)k]];
			if (all) {
				c->stat[in->head] = 1;
				changed = true;
			}
		}
	}
}

/* The packed instances, with their non-static bodies apart: while no
 * static fact is revoked, a campaign checks only those. */
static void packed(wg_simctx *c)
{
	const wg_graph *g = c->g;
	uint32_t nd = 0;

	c->ci = cc_xcalloc(g->ninsts, sizeof(*c->ci));
	c->dbody = cc_xcalloc(g->nbody + 1, sizeof(int));
	for (size_t i = 0; i < g->ninsts; i++) {
		const wg_inst *in = &g->insts[i];
		wg_cinst *ci = &c->ci[i];

		*ci = (wg_cinst){ .head = in->head, .body = in->body, .nbody = in->nbody,
				  .dbody = nd, .host = in->host,
				  .hhost = g->facts[in->head].host };
		for (int k = 0; k < in->nbody; k++) {
			int f = g->body[in->body + (uint32_t)k];

			if (!c->stat[f])
				c->dbody[nd++] = f;
		}
		ci->ndbody = (int)(nd - ci->dbody);
	}
}

/* Min-heap of (key, id) used by the cost-to-jewel pass. */
typedef struct dheap {
	double *key;
	int *id;
	size_t n;
} dheap;

static void dheap_push(dheap *h, double k, int id)
{
	size_t i = h->n++;

	while (i > 0 && h->key[(i - 1) / 2] > k) {
		h->key[i] = h->key[(i - 1) / 2];
		h->id[i] = h->id[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->key[i] = k;
	h->id[i] = id;
}

static int dheap_pop(dheap *h, double *k)
{
	int top = h->id[0];
	double lk = h->key[--h->n];
	int lid = h->id[h->n];
	size_t i = 0;

	*k = h->key[0];
	for (;;) {
		size_t l = 2 * i + 1, m = l;

		if (l >= h->n)
			break;
		if (l + 1 < h->n && h->key[l + 1] < h->key[l])
			m = l + 1;
		if (h->key[m] >= lk)
			break;
		h->key[i] = h->key[m];
		h->id[i] = h->id[m];
		i = m;
	}
	h->key[i] = lk;
	h->id[i] = lid;
	return top;
}

static double inst_cost(const wg_simctx *c, int i)
{
	const wg_inst *in = &c->g->insts[i];

	if (c->autom[i])
		return 0;
	return (in->hours > 0.01 ? in->hours : 0.01) / (in->p > 0.01 ? in->p : 0.01);
}

static void relax(wg_simctx *c, double *dist, dheap *h);

/* dist[f]: relaxed expected hours from holding f to goal j (Dijkstra
 * backwards over the instances that use f, ignoring their other bodies);
 * an action's score for j is its own cost plus dist of its head. */
static void goal_scores(wg_simctx *c, size_t j, double *dist, dheap *h)
{
	const wg_graph *g = c->g;
	float *sc = c->score_g + j * g->ninsts;

	for (size_t f = 0; f < g->nfacts; f++)
		dist[f] = INFINITY;
	h->n = 0;
	if (g->goals[j].fact != WG_NONE) {
		dist[g->goals[j].fact] = 0;
		dheap_push(h, 0, g->goals[j].fact);
	}
	relax(c, dist, h);
	for (size_t i = 0; i < g->ninsts; i++) {
		double x = inst_cost(c, (int)i) + dist[g->insts[i].head];

		sc[i] = (float)x;
		if (x < c->score[i])
			c->score[i] = x;
	}
}

/* Dijkstra backwards from the facts on the heap. */
static void relax(wg_simctx *c, double *dist, dheap *h)
{
	const wg_graph *g = c->g;

	while (h->n) {
		double d;
		int f = dheap_pop(h, &d);

		if (d > dist[f])
			continue;
		for (uint32_t k = g->by_head_off[f]; k < g->by_head_off[f + 1]; k++) {
			int i = g->by_head[k];
			const wg_inst *in = &g->insts[i];
			double nd = d + inst_cost(c, i);

			for (int b = 0; b < in->nbody; b++) {
				int bf = g->body[in->body + (uint32_t)b];

				if (nd < dist[bf]) {
					dist[bf] = nd;
					dheap_push(h, nd, bf);
				}
			}
		}
	}
}

/* When no jewel is reachable the attacker goes as far as it can: every
 * foothold, administrator right or credential is a goal (distance 0), so
 * the campaigns say how far it gets (simulation.furthest). */
static void reach_scores(wg_simctx *c, double *dist, dheap *h)
{
	const wg_graph *g = c->g;

	h->n = 0;
	for (size_t f = 0; f < g->nfacts; f++) {
		dist[f] = INFINITY;
		if (c->fkind[f] >= 0) {
			dist[f] = 0;
			dheap_push(h, 0, (int)f);
		}
	}
	relax(c, dist, h);
	for (size_t i = 0; i < g->ninsts; i++)
		c->score[i] = inst_cost(c, (int)i) + dist[g->insts[i].head];
}

static void scores(wg_simctx *c)
{
	const wg_graph *g = c->g;
	double *dist = cc_xcalloc(g->nfacts, sizeof(*dist));
	dheap h = { cc_xcalloc(g->nbody + g->nfacts + 1, sizeof(double)),
		    cc_xcalloc(g->nbody + g->nfacts + 1, sizeof(int)), 0 };
	bool any = false;

	c->score_g = cc_xcalloc(g->ngoals * g->ninsts + 1, sizeof(float));
	for (size_t i = 0; i < g->ninsts; i++)
		c->score[i] = INFINITY;
	for (size_t j = 0; j < g->ngoals; j++) {
		goal_scores(c, j, dist, &h);
		any |= g->goals[j].fact != WG_NONE;
	}
	if (!any)
		reach_scores(c, dist, &h);
	free(dist);
	free(h.key);
	free(h.id);
}

static int qent_cmp(const void *a, const void *b)
{
	const wg_qent *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->inst > y->inst) - (x->inst < y->inst);
}

/* The actions possible at the start, as a sorted array (a valid heap),
 * and the builtins with p < 1 that may fire at the start. */
static void initial(wg_simctx *c)
{
	const wg_graph *g = c->g;

	c->init = cc_xcalloc(g->ninsts, sizeof(*c->init));
	c->init_auto = cc_xcalloc(g->ninsts, sizeof(int));
	for (size_t i = 0; i < g->ninsts; i++) {
		const wg_inst *in = &g->insts[i];
		bool all = !c->stat[in->head];

		for (int k = 0; all && k < in->nbody; k++)
			all = c->stat[g->body[in->body + (uint32_t)k]];
		if (!all)
			continue;
		if (c->autom[i])
			c->init_auto[c->ninit_auto++] = (int)i;
		else if (isfinite(c->score[i]))
			c->init[c->ninit++] = (wg_qent){ c->score[i], (int)i };
	}
	qsort(c->init, c->ninit, sizeof(*c->init), qent_cmp);
}

/* Build a CSR from (key, value) pairs counted by the caller. */
typedef struct pairs {
	int *k, *v;
	size_t n, cap;
} pairs;

static void pairs_add(pairs *p, int k, int v)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 256;
		p->k = cc_xrealloc(p->k, p->cap * sizeof(int));
		p->v = cc_xrealloc(p->v, p->cap * sizeof(int));
	}
	p->k[p->n] = k;
	p->v[p->n++] = v;
}

static void pairs_csr(pairs *p, size_t nkeys, uint32_t **off, int **val)
{
	uint32_t *o = cc_xcalloc(nkeys + 1, sizeof(*o));
	int *v = cc_xcalloc(p->n, sizeof(*v));

	for (size_t i = 0; i < p->n; i++)
		o[p->k[i] + 1]++;
	for (size_t i = 0; i < nkeys; i++)
		o[i + 1] += o[i];
	for (size_t i = 0; i < p->n; i++)   /* stable: keeps value order */
		v[o[p->k[i]]++] = p->v[i];
	for (size_t i = nkeys; i > 0; i--)
		o[i] = o[i - 1];
	o[0] = 0;
	free(p->k);
	free(p->v);
	*off = o;
	*val = v;
}

/* host -> facts on it; account -> facts naming it. */
static void fact_indexes(wg_simctx *c)
{
	const wg_graph *g = c->g;
	pairs hp = { 0 }, ap = { 0 };
	int *symacc = NULL;
	size_t nsymacc = 0;

	for (size_t f = 0; f < g->nfacts; f++) {
		const wg_fact *x = &g->facts[f];

		if (x->base)
			continue;
		if (x->host != WG_NONE)
			pairs_add(&hp, x->host, (int)f);
		for (int k = 0; k < x->nargs; k++) {
			int s = x->args[k];

			if (s < 0)
				continue;
			if ((size_t)s >= nsymacc) {
				size_t n = (size_t)s * 2 + 16;

				symacc = cc_xrealloc(symacc, n * sizeof(*symacc));
				for (size_t j = nsymacc; j < n; j++)
					symacc[j] = -2;
				nsymacc = n;
			}
			if (symacc[s] == -2)
				symacc[s] = wg_model_account(c->m, wg_graph_sym(g, s));
			if (symacc[s] != WG_NONE)
				pairs_add(&ap, symacc[s], (int)f);
		}
	}
	free(symacc);
	pairs_csr(&hp, c->m->nhosts, &c->hf_off, &c->hf);
	pairs_csr(&ap, c->m->naccounts, &c->af_off, &c->af);
}

/* host -> accounts whose credentials are cached on it or log on to it. */
static void host_accounts(wg_simctx *c)
{
	const wg_model *m = c->m;
	pairs p = { 0 };

	for (size_t a = 0; a < m->naccounts; a++) {
		const wg_account *ac = &m->accounts[a];

		for (size_t k = 0; k < ac->ncached; k++)
			pairs_add(&p, ac->cached[k], (int)a);
		for (size_t k = 0; k < ac->nlogon; k++) {
			bool dup = false;

			for (size_t j = 0; j < ac->ncached && !dup; j++)
				dup = ac->cached[j] == ac->logon[k];
			if (!dup)
				pairs_add(&p, ac->logon[k], (int)a);
		}
	}
	pairs_csr(&p, m->nhosts, &c->ha_off, &c->ha);
}

static void flow_facts(wg_simctx *c)
{
	const wg_model *m = c->m;

	c->fact_flow = cc_xcalloc(m->nflows, sizeof(int));
	for (size_t i = 0; i < m->nflows; i++) {
		char s[300];
		const char *arg = s;

		/* the graph names flow i "<name>#<i>" (graph_base.c) */
		snprintf(s, sizeof(s), "%.200s#%zu", m->flows[i].name, i);
		c->fact_flow[i] = wg_graph_find(c->g, "flowok", &arg, 1);
	}
}

/* fact -> the privilege or credentials it records (furthest reach). */
static void reach_kinds(wg_simctx *c)
{
	const wg_graph *g = c->g;
	int pu = wg_rules_pred(g->rules, "user"), pr = wg_rules_pred(g->rules, "root");
	int pc = wg_rules_pred(g->rules, "cred");

	c->fkind = cc_xcalloc(g->nfacts + 1, 1);
	c->fidx = cc_xcalloc(g->nfacts + 1, sizeof(int));
	for (size_t f = 0; f < g->nfacts; f++) {
		const wg_fact *x = &g->facts[f];

		c->fkind[f] = -1;
		if (x->base || x->nargs != 1)
			continue;
		if ((x->pred == pu || x->pred == pr) && x->host != WG_NONE) {
			c->fkind[f] = x->pred == pr ? WG_REACH_ROOT : WG_REACH_USER;
			c->fidx[f] = x->host;
		} else if (x->pred == pc) {
			c->fidx[f] = wg_model_account(c->m, wg_graph_sym(g, x->args[0]));
			if (c->fidx[f] != WG_NONE)
				c->fkind[f] = WG_REACH_CRED;
		}
	}
}

static void detection(wg_simctx *c, const wg_intel *intel)
{
	const wg_graph *g = c->g;

	for (size_t i = 0; i < g->ninsts; i++) {
		const wg_inst *in = &g->insts[i];
		const wg_rule *ru = inst_rule(g, (int)i);
		bool tele = false;

		c->det[i] = c->autom[i] ? 0 : in->detect;
		if (!intel || c->autom[i] || in->host == WG_NONE)
			continue;
		tele = c->m->hosts[in->host].edr ||
		       (c->m->controls.monitoring && c->m->hosts[in->host].monitored);
		c->det[i] = wg_intel_detect(intel, ru->technique, in->detect, tele);
	}
}

wg_simctx *wg_simctx_new(const wg_graph *g, const wg_intel *intel, double epsilon)
{
	wg_simctx *c = cc_xcalloc(1, sizeof(*c));

	c->g = g;
	c->m = g->model;
	c->epsilon = epsilon < 0 ? 0.2 : epsilon > 1 ? 1 : epsilon;
	c->response_h = c->m->controls.response_hours;
	c->stat = cc_xcalloc(g->nfacts, 1);
	c->autom = cc_xcalloc(g->ninsts, 1);
	c->det = cc_xcalloc(g->ninsts, sizeof(double));
	c->score = cc_xcalloc(g->ninsts, sizeof(double));
	c->goal_of = cc_xcalloc(g->nfacts, sizeof(int));
	for (size_t i = 0; i < g->ninsts; i++) {
		const wg_rule *ru = inst_rule(g, (int)i);

		c->autom[i] = !ru || !ru->technique;
	}
	static_facts(c);
	packed(c);
	reach_kinds(c);
	scores(c);
	detection(c, intel);
	for (size_t f = 0; f < g->nfacts; f++)
		c->goal_of[f] = WG_NONE;
	for (size_t j = 0; j < g->ngoals; j++)
		if (g->goals[j].fact != WG_NONE) {
			c->goal_of[g->goals[j].fact] = (int)j;
			c->ngoals_reach++;
		}
	initial(c);
	fact_indexes(c);
	host_accounts(c);
	flow_facts(c);
	return c;
}

void wg_simctx_free(wg_simctx *c)
{
	if (!c)
		return;
	CC_FREE_ALL(c->stat, c->autom, c->ci, c->dbody, c->det, c->score, c->score_g,
		    c->init, c->init_auto, c->goal_of, c->hf_off, c->hf, c->af_off, c->af,
		    c->ha_off, c->ha, c->fact_flow, c->fkind, c->fidx, c);
}
