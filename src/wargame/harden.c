/*
 * harden.c — candidate changes, their effect on risk, and the cheapest set
 * of changes that cuts every path to the jewels.
 *
 * Every cutting change (patch, MFA, uncache, block flow, segment) removes
 * exactly one base fact.  A cut must remove a leaf of every derivation
 * tree of every jewel, so the search repeatedly takes one tree that still
 * derives a jewel and branches on the changes that remove one of its
 * leaves: exactly (branch and bound on cost) when there are at most
 * exact_limit candidates, else greedily (the change that cuts most jewel
 * value, then most attacker facts, per unit of cost), followed by dropping
 * changes the rest make redundant.  EDR changes only lower probabilities,
 * so they are ranked but never part of a cut.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/harden_int.h"



static char *label(const char *fmt, const char *a, const char *b, const char *c)
{
	cc_buf s = CC_BUF_INIT;

	cc_buf_printf(&s, fmt, a, b, c);
	return cc_buf_take(&s, NULL);
}

static void cand_add(hctx *h, wg_change *c, int fact)
{
	h->cands = cc_xrealloc(h->cands, (h->ncands + 1) * sizeof(*h->cands));
	h->cand_fact = cc_xrealloc(h->cand_fact, (h->ncands + 1) * sizeof(int));
	c->risk_after = c->risk_removed = 0;
	h->cand_fact[h->ncands] = fact;
	h->cands[h->ncands++] = *c;
}

/* MFA is not proposed for service accounts (they log on without a person
 * to answer it) unless the model prices it for the account. */
static bool mfa_possible(const wg_account *a)
{
	return a->kind != WG_ACC_SERVICE || a->mfa_cost >= 0;
}

/* The cutting candidate for relevant base fact f, if its predicate is one
 * a change can remove. */
static void cut_candidate(hctx *h, int f)
{
	const wg_graph *g = h->g;
	const wg_model *m = g->model;
	const wg_fact *fa = &g->facts[f];
	const char *p = g->rules->preds[fa->pred];
	wg_change c = { .host = WG_NONE, .service = WG_NONE, .cve = WG_NONE,
			.account = WG_NONE, .flow = WG_NONE, .zone = WG_NONE };
	const char *a0 = fa->nargs ? wg_graph_sym(g, fa->args[0]) : "";

	if (!strcmp(p, "vuln")) {
		const char *cve = wg_graph_sym(g, fa->args[2]);
		const wg_host *ho;

		c.kind = WG_CH_PATCH;
		c.host = wg_model_host(m, a0);
		ho = &m->hosts[c.host];
		for (size_t s = 0; s < ho->nservices && c.cve == WG_NONE; s++)
			for (size_t k = 0; k < ho->services[s].ncves; k++)
				if (!strcmp(ho->services[s].cves[k].id, cve) &&
				    atoi(wg_graph_sym(g, fa->args[1])) ==
				    ho->services[s].port) {
					c.service = (int)s;
					c.cve = (int)k;
					break;
				}
		if (c.cve == WG_NONE)
			return;
		c.cost = wg_model_patch_cost(m, &ho->services[c.service].cves[c.cve]);
		c.label = label("patch %s on %s (%s)", cve, a0, ho->services[c.service].name);
	} else if (!strcmp(p, "nomfa")) {
		c.kind = WG_CH_MFA;
		c.account = wg_model_account(m, a0);
		if (!mfa_possible(&m->accounts[c.account]))
			return;
		c.cost = wg_model_mfa_cost(m, &m->accounts[c.account]);
		c.label = label("enforce MFA on account %s%s%s", a0, "", "");
	} else if (!strcmp(p, "weakpw")) {
		c.kind = WG_CH_PASSWORD;
		c.account = wg_model_account(m, a0);
		c.cost = wg_model_password_cost(m, &m->accounts[c.account]);
		c.label = label("set a strong password on account %s%s%s", a0, "", "");
	} else if (!strcmp(p, "cached")) {
		c.kind = WG_CH_UNCACHE;
		c.account = wg_model_account(m, a0);
		c.host = wg_model_host(m, wg_graph_sym(g, fa->args[1]));
		c.cost = wg_model_uncache_cost(m, &m->accounts[c.account]);
		c.label = label("remove cached credentials of %s from %s%s", a0,
				wg_graph_sym(g, fa->args[1]), "");
	} else if (!strcmp(p, "flowok")) {
		c.kind = WG_CH_BLOCK_FLOW;
		for (size_t i = 0; i < m->nflows; i++)
			if (g->priv->flow_sym[i] == fa->args[0])
				c.flow = (int)i;
		if (m->flows[c.flow].critical)
			return;
		c.cost = wg_model_block_cost(m, &m->flows[c.flow]);
		c.label = label("block flow %s%s%s", m->flows[c.flow].name, "", "");
	} else if (!strcmp(p, "flat")) {
		c.kind = WG_CH_SEGMENT;
		c.zone = wg_model_zone(m, a0);
		c.cost = wg_model_segment_cost(m, &m->zones[c.zone]);
		c.label = label("segment zone %s%s%s", a0, "", "");
	} else {
		return;
	}
	if (!isfinite(c.cost)) {        /* `never`: impossible */
		free(c.label);
		return;
	}
	cand_add(h, &c, f);
}

static void candidates(hctx *h)
{
	const wg_graph *g = h->g;
	uint8_t *frel = cc_xcalloc(g->nfacts, 1), *irel = cc_xcalloc(g->ninsts, 1);
	uint8_t *hseen = cc_xcalloc(g->model->nhosts, 1);

	wg_graph_relevant(g, frel, irel);
	for (size_t f = 0; f < g->nfacts; f++)
		if (frel[f] && g->facts[f].base)
			cut_candidate(h, (int)f);
	h->ncut = h->ncands;
	for (size_t i = 0; i < g->ninsts; i++) {
		const wg_inst *in = &g->insts[i];
		const wg_rule *ru = wg_graph_inst_rule(g, (int)i);
		wg_change c = { .kind = WG_CH_EDR, .service = WG_NONE, .cve = WG_NONE,
				.account = WG_NONE, .flow = WG_NONE, .zone = WG_NONE };

		if (!irel[i] || !ru || !(ru->controls & WG_CTL_EDR) || in->host == WG_NONE ||
		    g->model->hosts[in->host].edr || hseen[in->host])
			continue;
		hseen[in->host] = 1;
		c.host = in->host;
		c.cost = wg_model_edr_cost(g->model, &g->model->hosts[c.host]);
		if (!isfinite(c.cost))
			continue;
		c.label = label("add EDR to %s%s%s", g->model->hosts[c.host].name, "", "");
		cand_add(h, &c, WG_NONE);
	}
	h->fact_cand = cc_xcalloc(g->nfacts, sizeof(int));
	for (size_t f = 0; f < g->nfacts; f++)
		h->fact_cand[f] = WG_NONE;
	for (size_t c = 0; c < h->ncut; c++)
		h->fact_cand[h->cand_fact[c]] = (int)c;
	free(frel);
	free(irel);
	free(hseen);
}

/* The ATT&CK mitigations each candidate carries out: its kind's, kept only
 * where the hub (mit) says they mitigate a technique the change hinders;
 * and the search costs that prefer them. */
static void mitigations(hctx *h, const wg_mitigations *mit)
{
	const wg_graph *g = h->g;
	uint8_t *hit = cc_xcalloc(g->rules->nrules + 1, 1);
	size_t nt;

	wg_mitigation_table(&nt);
	h->scost = cc_xcalloc(h->ncands + 1, sizeof(double));
	for (size_t c = 0; c < h->ncands; c++) {
		wg_change *ch = &h->cands[c];
		unsigned kind = wg_change_kind_mitigations(ch->kind), keep = 0;

		if (mit) {
			memset(hit, 0, g->rules->nrules + 1);
			wg_change_hinders(g, ch, hit);
			for (size_t r = 0; r < g->rules->nrules; r++)
				for (size_t i = 0; hit[r] && i < nt; i++)
					if ((kind & (1u << i)) &&
					    wg_mitigations_cover(mit, i, g->rules->rules[r].technique))
						keep |= 1u << i;
			kind = keep;
		}
		ch->mitigations = kind;
		h->scost[c] = ch->cost * (kind ? 1 : 1 + 1e-6) + (kind ? 0 : 1e-9);
	}
	free(hit);
}

void wg_change_apply(const wg_graph *g, const wg_change *c, uint8_t *removed,
		     double *pmul)
{
	const wg_model *m = g->model;
	char port[16];
	const char *args[4];
	int f = WG_NONE;

	switch (c->kind) {
	case WG_CH_PATCH: {
		const wg_service *s = &m->hosts[c->host].services[c->service];

		snprintf(port, sizeof(port), "%d", s->port);
		args[0] = m->hosts[c->host].name;
		args[1] = port;
		args[2] = s->cves[c->cve].id;
		args[3] = wg_vuln_kind_name(s->cves[c->cve].kind);
		f = wg_fact_find_str(g, "vuln", args, 4);
		break;
	}
	case WG_CH_MFA:
		args[0] = m->accounts[c->account].name;
		f = wg_fact_find_str(g, "nomfa", args, 1);
		break;
	case WG_CH_PASSWORD:
		args[0] = m->accounts[c->account].name;
		f = wg_fact_find_str(g, "weakpw", args, 1);
		break;
	case WG_CH_UNCACHE:
		args[0] = m->accounts[c->account].name;
		args[1] = m->hosts[c->host].name;
		f = wg_fact_find_str(g, "cached", args, 2);
		break;
	case WG_CH_BLOCK_FLOW:
		if (c->flow >= 0 && (size_t)c->flow < m->nflows) {
			int sym = g->priv->flow_sym[c->flow], p = wg_rules_pred(g->rules, "flowok");

			f = p < 0 ? WG_NONE : wg_fact_lookup(g, p, 1, &sym);
		}
		break;
	case WG_CH_SEGMENT:
		args[0] = m->zones[c->zone].name;
		f = wg_fact_find_str(g, "flat", args, 1);
		break;
	case WG_CH_EDR:
	case WG_CH_KIND_COUNT:
		for (size_t i = 0; pmul && c->kind == WG_CH_EDR && i < g->ninsts; i++) {
			const wg_rule *ru = wg_graph_inst_rule(g, (int)i);

			if (ru && (ru->controls & WG_CTL_EDR) && g->insts[i].host == c->host)
				pmul[i] *= 1 - m->controls.default_edr_prevent;
		}
		break;
	}
	if (f != WG_NONE && removed)
		removed[f] = 1;
}

/* Derivability with h->removed, recording the first instance deriving
 * each fact; returns the value of the jewels still derivable and sets
 * *goal to one of them (WG_NONE when none). */
double wg_h_derive(hctx *h, int *goal, size_t *nderived)
{
	const wg_graph *g = h->g;
	size_t qh = 0, qt = 0;
	double value = 0;

	memset(h->out, 0, g->nfacts);
	for (size_t i = 0; i < g->ninsts; i++)
		h->need[i] = g->insts[i].nbody;
	for (size_t f = 0; f < g->nfacts; f++) {
		h->witness[f] = WG_NONE;
		if (g->facts[f].base && !h->removed[f]) {
			h->out[f] = 1;
			h->queue[qt++] = (int)f;
		}
	}
	while (qh < qt) {
		int f = h->queue[qh++];

		for (uint32_t u = g->uses_off[f]; u < g->uses_off[f + 1]; u++) {
			int i = g->uses[u], hd = g->insts[i].head;

			if (--h->need[i] || h->out[hd] || g->insts[i].p <= 0)
				continue;
			h->out[hd] = 1;
			h->witness[hd] = i;
			h->queue[qt++] = hd;
		}
	}
	*goal = WG_NONE;
	for (size_t j = 0; j < g->ngoals; j++) {
		int f = g->goals[j].fact;

		if (h->goal_off && h->goal_off[j])
			continue;
		if (f != WG_NONE && h->out[f]) {
			value += g->model->jewels[j].value + 1e-9;
			if (*goal == WG_NONE)
				*goal = f;
		}
	}
	if (nderived)
		*nderived = qt;
	return value;
}

/* The cutting candidates removing a leaf of the witness tree of goal. */
size_t wg_h_hitting(hctx *h, int goal, int *out)
{
	const wg_graph *g = h->g;
	uint8_t *seen = cc_xcalloc(g->nfacts, 1);
	int *stack = cc_xcalloc(g->nfacts, sizeof(int));
	size_t n = 0, k = 0;

	stack[n++] = goal;
	seen[goal] = 1;
	while (n) {
		int f = stack[--n], i = h->witness[f];

		if (i == WG_NONE) {
			if (h->fact_cand[f] != WG_NONE)
				out[k++] = h->fact_cand[f];
			continue;
		}
		for (int b = 0; b < g->insts[i].nbody; b++) {
			int x = g->body[g->insts[i].body + (uint32_t)b];

			if (!seen[x]) {
				seen[x] = 1;
				stack[n++] = x;
			}
		}
	}
	free(seen);
	free(stack);
	return k;
}

static void exact(hctx *h, double cost)
{
	int goal, *hit;
	size_t nh;

	if (cost >= h->bestcost || ++h->nodes > WG_EXACT_NODE_LIMIT)
		return;
	wg_h_derive(h, &goal, NULL);
	if (goal == WG_NONE) {
		h->bestcost = cost;
		h->nbest = h->ncur;
		memcpy(h->bestset, h->cur, h->ncur * sizeof(int));
		return;
	}
	hit = cc_xcalloc(h->ncut + 1, sizeof(int));
	nh = wg_h_hitting(h, goal, hit);
	for (size_t k = 0; k < nh; k++) {
		int c = hit[k];

		h->removed[h->cand_fact[c]] = 1;
		h->cur[h->ncur++] = c;
		exact(h, cost + h->scost[c]);
		h->ncur--;
		h->removed[h->cand_fact[c]] = 0;
	}
	free(hit);
}

/* Greedy cut into h->bestset; false when some path cannot be cut. */
static bool greedy(hctx *h)
{
	int goal, *hit = cc_xcalloc(h->ncut + 1, sizeof(int));
	bool ok = true;

	h->nbest = 0;
	for (;;) {
		double base = wg_h_derive(h, &goal, NULL), bestscore = -1;
		size_t nh, nbase, nd;
		int pick = WG_NONE;

		if (goal == WG_NONE)
			break;
		wg_h_derive(h, &goal, &nbase);
		nh = wg_h_hitting(h, goal, hit);
		for (size_t k = 0; k < nh; k++) {
			int c = hit[k], g2;
			double v, score;

			h->removed[h->cand_fact[c]] = 1;
			v = wg_h_derive(h, &g2, &nd);
			h->removed[h->cand_fact[c]] = 0;
			score = ((base - v) + 1e-6 * (double)(nbase - nd)) /
				(h->scost[c] > 0 ? h->scost[c] : 1e-3);
			if (score > bestscore) {
				bestscore = score;
				pick = c;
			}
		}
		if (pick == WG_NONE) {
			ok = false;
			break;
		}
		h->removed[h->cand_fact[pick]] = 1;
		h->bestset[h->nbest++] = pick;
	}
	/* drop changes the others make redundant, most expensive first */
	for (size_t a = 0; ok && a < h->nbest; a++)
		for (size_t b = a + 1; b < h->nbest; b++)
			if (h->scost[h->bestset[b]] > h->scost[h->bestset[a]]) {
				int t = h->bestset[a];

				h->bestset[a] = h->bestset[b];
				h->bestset[b] = t;
			}
	for (size_t a = 0; ok && a < h->nbest;) {
		h->removed[h->cand_fact[h->bestset[a]]] = 0;
		wg_h_derive(h, &goal, NULL);
		if (goal == WG_NONE) {
			memmove(&h->bestset[a], &h->bestset[a + 1],
				(h->nbest - a - 1) * sizeof(int));
			h->nbest--;
			continue;
		}
		h->removed[h->cand_fact[h->bestset[a]]] = 1;
		a++;
	}
	free(hit);
	return ok;
}

/* Mark the instances of the most likely tree of every jewel. */
static void best_trees(const wg_graph *g, uint8_t *fact_on, uint8_t *inst_on)
{
	double *cost = cc_xcalloc(g->nfacts, sizeof(double));
	int *best = cc_xcalloc(g->nfacts, sizeof(int));

	wg_knuth(g, WG_M_PROB, NULL, NULL, cost, best, NULL, NULL);
	for (size_t j = 0; j < g->ngoals; j++) {
		wg_path p;

		if (g->goals[j].fact == WG_NONE || !isfinite(cost[g->goals[j].fact]))
			continue;
		wg_path_from_m(g, WG_M_PROB, cost, best, g->goals[j].fact, &p);
		for (size_t k = 0; k < p.ninsts; k++) {
			const wg_inst *in = &g->insts[p.insts[k]];

			inst_on[p.insts[k]] = 1;
			for (int b = 0; b < in->nbody; b++)
				fact_on[g->body[in->body + (uint32_t)b]] = 1;
		}
		wg_path_free(&p);
	}
	free(cost);
	free(best);
}

static int rank_cmp(const void *a, const void *b)
{
	const wg_change *x = a, *y = b;
	double rx = x->risk_removed / (x->cost > 0 ? x->cost : 1e-3);
	double ry = y->risk_removed / (y->cost > 0 ? y->cost : 1e-3);

	if (rx != ry)
		return rx > ry ? -1 : 1;
	if (x->cost != y->cost)
		return x->cost < y->cost ? -1 : 1;
	if (!x->mitigations != !y->mitigations)     /* ATT&CK mitigations first */
		return x->mitigations ? -1 : 1;
	return strcmp(x->label, y->label);
}

static void rank(hctx *h, wg_hardening *hd, const wg_harden_opts *o)
{
	const wg_graph *g = h->g;
	uint8_t *fon = cc_xcalloc(g->nfacts, 1), *ion = cc_xcalloc(g->ninsts, 1);
	uint8_t *rem = cc_xcalloc(g->nfacts, 1);
	double *pmul = cc_xcalloc(g->ninsts, sizeof(double));
	uint8_t *hon = cc_xcalloc(g->model->nhosts + 1, 1);

	best_trees(g, fon, ion);
	for (size_t i = 0; i < g->ninsts; i++)
		if (ion[i] && g->insts[i].host != WG_NONE)
			hon[g->insts[i].host] = 1;
	for (size_t c = 0; c < h->ncands; c++) {
		wg_change *ch = &h->cands[c];
		bool touches = c < h->ncut ? fon[h->cand_fact[c]] : hon[ch->host];

		ch->risk_after = hd->risk_before;
		if (touches) {
			for (size_t i = 0; i < g->ninsts; i++)
				pmul[i] = 1;
			memset(rem, 0, g->nfacts);
			wg_change_apply(g, ch, rem, pmul);
			ch->risk_after = wg_graph_risk(g, rem, pmul);
		}
		ch->risk_removed = hd->risk_before - ch->risk_after;
		if (ch->risk_removed < 1e-12)
			ch->risk_removed = 0;
	}
	for (size_t c = 0; c < h->ncands; c++) {
		if (h->cands[c].risk_removed <= 0)
			continue;
		hd->ranked = cc_xrealloc(hd->ranked, (hd->nranked + 1) * sizeof(*hd->ranked));
		hd->ranked[hd->nranked] = h->cands[c];
		hd->ranked[hd->nranked++].label = cc_xstrdup(h->cands[c].label);
	}
	if (hd->nranked)
		qsort(hd->ranked, hd->nranked, sizeof(*hd->ranked), rank_cmp);
	while (o && o->max_ranked && hd->nranked > o->max_ranked)
		free(hd->ranked[--hd->nranked].label);
	free(fon);
	free(ion);
	free(hon);
	free(rem);
	free(pmul);
}

/* Run the greedy cut too and keep the cheaper of it and the current
 * h->bestset (valid when have); false when neither is a cut. */
static bool keep_cheaper(hctx *h, bool have)
{
	int *keep = cc_xcalloc(h->ncut + 1, sizeof(int));
	size_t nkeep = have ? h->nbest : 0;
	double kc = 0, gc = 0;
	bool gok;

	memcpy(keep, h->bestset, nkeep * sizeof(int));
	memset(h->removed, 0, h->g->nfacts);
	gok = greedy(h);
	for (size_t k = 0; k < nkeep; k++)
		kc += h->scost[keep[k]];
	for (size_t k = 0; gok && k < h->nbest; k++)
		gc += h->scost[h->bestset[k]];
	if (have && (!gok || kc <= gc)) {
		memcpy(h->bestset, keep, nkeep * sizeof(int));
		h->nbest = nkeep;
	}
	free(keep);
	return have || gok;
}

/* Leave out of the cut the jewels that stay derivable with every cutting
 * change applied at once: some path to them needs nothing a change can
 * remove (phishing straight onto their host, say). */
static void uncuttable(hctx *h, wg_hardening *hd)
{
	const wg_graph *g = h->g;
	int goal;

	for (size_t c = 0; c < h->ncut; c++)
		h->removed[h->cand_fact[c]] = 1;
	wg_h_derive(h, &goal, NULL);
	h->goal_off = cc_xcalloc(g->ngoals + 1, 1);
	hd->uncut = cc_xcalloc(g->ngoals + 1, sizeof(int));
	for (size_t j = 0; j < g->ngoals; j++)
		if (g->goals[j].fact != WG_NONE && h->out[g->goals[j].fact]) {
			h->goal_off[j] = 1;
			hd->uncut[hd->nuncut++] = g->goals[j].jewel;
		}
	memset(h->removed, 0, g->nfacts);
}

static void cut(hctx *h, wg_hardening *hd, const wg_harden_opts *o)
{
	const wg_graph *g = h->g;
	size_t limit = o && o->exact_limit ? o->exact_limit : 24;
	int goal;

	uncuttable(h, hd);
	wg_h_derive(h, &goal, NULL);
	if (goal == WG_NONE) {      /* nothing reachable: the empty cut */
		hd->cut_found = hd->cut_exact = true;
		return;
	}

	h->bestcost = INFINITY;
	if (h->ncut <= limit) {         /* small: plain branch and bound */
		exact(h, 0);
		hd->cut_exact = h->nodes <= WG_EXACT_NODE_LIMIT && isfinite(h->bestcost);
		hd->cut_found = isfinite(h->bestcost);
	}
	if (!hd->cut_exact) {           /* implicit hitting sets, then greedy */
		int r;

		memset(h->removed, 0, g->nfacts);
		h->nbest = 0;
		r = wg_h_implicit(h, &hd->cut_exact);
		hd->cut_found = r > 0;
		if (r != 0 && !hd->cut_exact)
			hd->cut_found = keep_cheaper(h, r > 0);
	}
	if (!hd->cut_found)
		return;
	hd->ncut = h->nbest;
	hd->cut = cc_xcalloc(h->nbest, sizeof(*hd->cut));
	memset(h->removed, 0, g->nfacts);
	for (size_t k = 0; k < h->nbest; k++) {
		hd->cut[k] = h->cands[h->bestset[k]];
		hd->cut[k].label = cc_xstrdup(hd->cut[k].label);
		hd->cut_cost += hd->cut[k].cost;
		h->removed[h->cand_fact[h->bestset[k]]] = 1;
	}
	hd->risk_after = wg_graph_risk(g, h->removed, NULL);
}

wg_hardening *wg_harden(const wg_graph *g, const wg_harden_opts *o, cc_err *e)
{
	wg_hardening *hd = cc_xcalloc(1, sizeof(*hd));
	hctx h = { .g = g };

	(void)e;
	candidates(&h);
	mitigations(&h, o ? o->mit : NULL);
	hd->mit_hub = o && o->mit;
	h.removed = cc_xcalloc(g->nfacts, 1);
	h.out = cc_xcalloc(g->nfacts, 1);
	h.witness = cc_xcalloc(g->nfacts, sizeof(int));
	h.queue = cc_xcalloc(g->nfacts, sizeof(int));
	h.need = cc_xcalloc(g->ninsts, sizeof(int));
	h.cur = cc_xcalloc(h.ncut + 1, sizeof(int));
	h.bestset = cc_xcalloc(h.ncut + 1, sizeof(int));
	hd->risk_before = hd->risk_after = wg_graph_risk(g, NULL, NULL);
	rank(&h, hd, o);
	cut(&h, hd, o);
	for (size_t c = 0; c < h.ncands; c++)
		free(h.cands[c].label);
	free(h.cands);
	free(h.scost);
	free(h.cand_fact);
	free(h.fact_cand);
	free(h.removed);
	free(h.out);
	free(h.witness);
	free(h.queue);
	free(h.need);
	free(h.cur);
	free(h.bestset);
	free(h.goal_off);
	return hd;
}

void wg_hardening_free(wg_hardening *hd)
{
	if (!hd)
		return;
	for (size_t i = 0; i < hd->nranked; i++)
		free(hd->ranked[i].label);
	for (size_t i = 0; i < hd->ncut; i++)
		free(hd->cut[i].label);
	free(hd->uncut);
	free(hd->ranked);
	free(hd->cut);
	free(hd);
}

void wg_hardening_uncut_text(const wg_graph *g, const wg_hardening *h, cc_buf *out)
{
	if (!h->nuncut)
		return;
	cc_buf_puts(out, "no change cuts every path to ");
	for (size_t i = 0; i < h->nuncut; i++)
		cc_buf_printf(out, "%s%s", i ? ", " : "", g->model->jewels[h->uncut[i]].name);
	cc_buf_puts(out, " (some path needs nothing a change can remove: the attacker "
		    "only needs people and hosts as they are)");
}
