/*
 * metrics.c — best paths (Knuth's generalisation of Dijkstra to AND/OR
 * graphs), bounded path counts, choke points and risk.
 *
 * A path is a derivation tree: a fact is reached by one of its instances
 * (OR), an instance needs all of its body facts (AND).  Its cost under a
 * metric is the instance weight plus the costs of its body facts: 1 per
 * technique step, -log p, or expected hours.  Knuth's algorithm finalises
 * facts in cost order, so the best tree of every fact is found in
 * O((F + B) log F) and cycles never contribute (an instance only fires
 * once all its body facts are final).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/graph_int.h"

typedef struct heap {
	double *key;
	int *val;
	size_t n, cap;
} heap;

static void heap_push(heap *h, double k, int v)
{
	size_t i;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->key = cc_xrealloc(h->key, h->cap * sizeof(*h->key));
		h->val = cc_xrealloc(h->val, h->cap * sizeof(*h->val));
	}
	i = h->n++;
	while (i && h->key[(i - 1) / 2] > k) {
		h->key[i] = h->key[(i - 1) / 2];
		h->val[i] = h->val[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->key[i] = k;
	h->val[i] = v;
}

static int heap_pop(heap *h, double *k)
{
	int top = h->val[0];
	double lk = h->key[--h->n];
	int lv = h->val[h->n];
	size_t i = 0;

	*k = h->key[0];
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->key[c + 1] < h->key[c])
			c++;
		if (h->key[c] >= lk)
			break;
		h->key[i] = h->key[c];
		h->val[i] = h->val[c];
		i = c;
	}
	if (h->n) {
		h->key[i] = lk;
		h->val[i] = lv;
	}
	return top;
}

static double inst_weight(const wg_graph *g, int i, wg_metric m, const double *pmul)
{
	const wg_inst *in = &g->insts[i];
	double p;

	switch (m) {
	case WG_M_STEPS:
		return in->rule >= 0 && g->rules->rules[in->rule].technique ? 1 : 0;
	case WG_M_TIME:
		return in->hours;
	case WG_M_PROB:
		p = in->p * (pmul ? pmul[i] : 1);
		return p > 0 ? -log(p) : INFINITY;
	}
	return 1;       /* WG_M_SIZE: every instance counts */
}

void wg_knuth(const wg_graph *g, wg_metric m, const uint8_t *removed,
	      const double *pmul, double *cost, int *best, int *order, size_t *norder)
{
	int *need = cc_xcalloc(g->ninsts, sizeof(int));
	double *sum = cc_xcalloc(g->ninsts, sizeof(double));
	uint8_t *final = cc_xcalloc(g->nfacts, 1);
	heap h = { 0 };
	size_t no = 0;

	for (size_t i = 0; i < g->ninsts; i++)
		need[i] = g->insts[i].nbody;
	for (size_t f = 0; f < g->nfacts; f++) {
		cost[f] = INFINITY;
		best[f] = WG_NONE;
		if (g->facts[f].base && !(removed && removed[f])) {
			cost[f] = 0;
			heap_push(&h, 0, (int)f);
		}
	}
	while (h.n) {
		double k;
		int f = heap_pop(&h, &k);

		if (final[f] || k > cost[f])
			continue;
		final[f] = 1;
		if (order)
			order[no++] = f;
		for (uint32_t u = g->uses_off[f]; u < g->uses_off[f + 1]; u++) {
			int i = g->uses[u], hd;
			double c;

			sum[i] += cost[f];
			if (--need[i])
				continue;
			hd = g->insts[i].head;
			c = sum[i] + inst_weight(g, i, m, pmul);
			if (final[hd] || (removed && removed[hd]) || !(c < cost[hd]))
				continue;
			cost[hd] = c;
			best[hd] = i;
			heap_push(&h, c, hd);
		}
	}
	if (norder)
		*norder = no;
	free(h.key);
	free(h.val);
	free(need);
	free(sum);
	free(final);
}

typedef struct pctx {
	const wg_graph *g;
	const int *best;
	const double *cost;     /* may be NULL: no shortcut */
	wg_metric m;
	uint8_t *seen;          /* entered */
	uint8_t *done;          /* achieved by the path so far */
} pctx;

/* An instance of f whose body the path has already achieved and whose own
 * weight is no worse than f's best tree: using it adds nothing to redo. */
static int shortcut(const pctx *c, int f)
{
	const wg_graph *g = c->g;
	int pick = WG_NONE;
	double pw = INFINITY;

	if (!c->cost)
		return WG_NONE;
	for (uint32_t k = g->by_head_off[f]; k < g->by_head_off[f + 1]; k++) {
		int i = g->by_head[k];
		const wg_inst *in = &g->insts[i];
		double w = inst_weight(g, i, c->m, NULL);
		bool ok = w <= c->cost[f] && w < pw;

		for (int b = 0; ok && b < in->nbody; b++) {
			int x = g->body[in->body + (uint32_t)b];

			ok = g->facts[x].base || c->done[x];
		}
		if (ok) {
			pick = i;
			pw = w;
		}
	}
	return pick;
}

/* Post-order of the best tree of fact f into p (each instance once). */
static void collect(pctx *c, int f, wg_path *p)
{
	const wg_graph *g = c->g;
	int i;
	const wg_inst *in;

	if (c->seen[f] || c->best[f] == WG_NONE)
		return;
	c->seen[f] = 1;
	i = shortcut(c, f);
	if (i == WG_NONE) {
		i = c->best[f];
		in = &g->insts[i];
		for (int b = 0; b < in->nbody; b++)
			collect(c, g->body[in->body + (uint32_t)b], p);
		/* the body may have achieved f's shortcut meanwhile */
	}
	in = &g->insts[i];
	c->done[f] = 1;
	p->insts = cc_xrealloc(p->insts, (p->ninsts + 1) * sizeof(int));
	p->insts[p->ninsts++] = i;
	if (in->rule >= 0 && g->rules->rules[in->rule].technique)
		p->steps++;
	p->p *= in->p;
	p->hours += in->hours;
}

void wg_path_from_m(const wg_graph *g, wg_metric m, const double *cost,
		    const int *best, int fact, wg_path *out)
{
	pctx c = { .g = g, .best = best, .cost = cost, .m = m };

	c.seen = cc_xcalloc(g->nfacts, 1);
	c.done = cc_xcalloc(g->nfacts, 1);
	memset(out, 0, sizeof(*out));
	out->p = 1;
	collect(&c, fact, out);
	free(c.seen);
	free(c.done);
}

int wg_path_best(const wg_graph *g, int fact, wg_metric metric,
		 const double *pmul, wg_path *out)
{
	double *cost = cc_xcalloc(g->nfacts, sizeof(double));
	int *best = cc_xcalloc(g->nfacts, sizeof(int));
	int rc = CC_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	wg_knuth(g, metric, NULL, pmul, cost, best, NULL, NULL);
	if (fact >= 0 && isfinite(cost[fact])) {
		wg_path_from_m(g, metric, cost, best, fact, out);
		rc = CC_OK;
	}
	free(cost);
	free(best);
	return rc;
}

void wg_path_free(wg_path *p)
{
	if (!p)
		return;
	free(p->insts);
	memset(p, 0, sizeof(*p));
}

double wg_graph_risk(const wg_graph *g, const uint8_t *removed, const double *pmul)
{
	double *cost = cc_xcalloc(g->nfacts, sizeof(double)), risk = 0;
	int *best = cc_xcalloc(g->nfacts, sizeof(int));

	wg_knuth(g, WG_M_PROB, removed, pmul, cost, best, NULL, NULL);
	for (size_t j = 0; j < g->ngoals; j++) {
		int f = g->goals[j].fact;
		wg_path p;
		double pr = 1;

		if (f == WG_NONE || !isfinite(cost[f]))
			continue;
		/* each action of the chosen tree counted once */
		wg_path_from_m(g, WG_M_PROB, cost, best, f, &p);
		for (size_t k = 0; k < p.ninsts; k++)
			pr *= g->insts[p.insts[k]].p * (pmul ? pmul[p.insts[k]] : 1);
		wg_path_free(&p);
		risk += g->model->jewels[j].value * pr;
	}
	free(cost);
	free(best);
	return risk;
}
