/*
 * metrics_jewel.c — the per-jewel metrics: the three best paths, the
 * bounded number of distinct paths, and choke points.
 *
 * Path count: the number of distinct derivation trees of the jewel in
 * which every instance's body facts have a smaller minimal derivation
 * size (number of instances of their smallest tree) than its head — so
 * the counted graph is acyclic and cycles are never unrolled; saturates
 * at WG_PATH_COUNT_CAP.
 *
 * Choke point: an attacker fact (or a host, meaning both user(H) and
 * root(H)) whose removal makes the jewel underivable — a dominator of the
 * jewel in the AND/OR sense.  Every dominator lies on every path, so only
 * the facts common to the three best paths are tested, each with one
 * linear derivability pass.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/graph_int.h"


static void count_paths(const wg_graph *g, const int *order, size_t norder,
			const double *size, double *count)
{
	for (size_t f = 0; f < g->nfacts; f++)
		count[f] = 0;
	for (size_t k = 0; k < norder; k++) {
		int f = order[k];
		double c = 0;

		if (g->facts[f].base) {
			count[f] = 1;
			continue;
		}
		for (uint32_t u = g->by_head_off[f]; u < g->by_head_off[f + 1]; u++) {
			const wg_inst *in = &g->insts[g->by_head[u]];
			double prod = 1;

			for (int b = 0; b < in->nbody && prod > 0; b++) {
				int x = g->body[in->body + (uint32_t)b];

				prod = size[x] < size[f] ? prod * count[x] : 0;
			}
			c += prod;
		}
		count[f] = c > WG_PATH_COUNT_CAP ? WG_PATH_COUNT_CAP : c;
	}
}

/* Is the goal still derivable with the given facts removed? */
static bool still(const wg_graph *g, uint8_t *removed, uint8_t *out, int goal)
{
	wg_graph_derivable(g, removed, NULL, out);
	return out[goal] != 0;
}

static bool in_path(const wg_graph *g, const wg_path *p, int fact)
{
	for (size_t k = 0; k < p->ninsts; k++)
		if (g->insts[p->insts[k]].head == fact)
			return true;
	return false;
}

static void chokes(const wg_graph *g, wg_jewel_metrics *jm, int goal)
{
	const wg_graph_priv *pv = g->priv;
	uint8_t *removed = cc_xcalloc(g->nfacts, 1), *out = cc_xcalloc(g->nfacts, 1);
	int jhost = g->model->jewels[jm->jewel].host;

	for (size_t k = 0; k < jm->likely.ninsts; k++) {
		int f = g->insts[jm->likely.insts[k]].head;

		if (f == goal || !in_path(g, &jm->shortest, f) || !in_path(g, &jm->fastest, f))
			continue;
		removed[f] = 1;
		if (!still(g, removed, out, goal)) {
			jm->choke_facts = cc_xrealloc(jm->choke_facts,
						      (jm->nchoke_facts + 1) * sizeof(int));
			jm->choke_facts[jm->nchoke_facts++] = f;
		}
		removed[f] = 0;
	}
	for (size_t k = 0; k < jm->likely.ninsts; k++) {
		const wg_fact *fa = &g->facts[g->insts[jm->likely.insts[k]].head];
		int h = fa->host, sym, ids[2];
		bool dup = false;

		if (fa->pred != pv->p_user || h == WG_NONE || h == jhost)
			continue;
		for (size_t c = 0; c < jm->nchoke_hosts; c++)
			dup |= jm->choke_hosts[c] == h;
		if (dup)
			continue;
		sym = fa->args[0];
		ids[0] = wg_fact_lookup(g, pv->p_user, 1, &sym);
		ids[1] = pv->p_root >= 0 ? wg_fact_lookup(g, pv->p_root, 1, &sym) : WG_NONE;
		for (int x = 0; x < 2; x++)
			if (ids[x] != WG_NONE)
				removed[ids[x]] = 1;
		if (!still(g, removed, out, goal)) {
			jm->choke_hosts = cc_xrealloc(jm->choke_hosts,
						      (jm->nchoke_hosts + 1) * sizeof(int));
			jm->choke_hosts[jm->nchoke_hosts++] = h;
		}
		for (int x = 0; x < 2; x++)
			if (ids[x] != WG_NONE)
				removed[ids[x]] = 0;
	}
	free(removed);
	free(out);
}

static wg_path path_dup(const wg_path *src)
{
	wg_path d = *src;

	d.insts = cc_xcalloc(src->ninsts, sizeof(int));
	memcpy(d.insts, src->insts, src->ninsts * sizeof(int));
	return d;
}

/* Each search minimises its tree cost, where a shared sub-goal counts once
 * per use; the paths report each action once.  So under each measure keep
 * the best of the three trees found. */
static void pick_best(wg_jewel_metrics *jm)
{
	wg_path c[3] = { jm->shortest, jm->likely, jm->fastest };
	int s = 0, l = 1, t = 2;

	for (int k = 0; k < 3; k++) {
		if (c[k].steps < c[s].steps)
			s = k;
		if (c[k].p > c[l].p)
			l = k;
		if (c[k].hours < c[t].hours)
			t = k;
	}
	jm->shortest = path_dup(&c[s]);
	jm->likely = path_dup(&c[l]);
	jm->fastest = path_dup(&c[t]);
	for (int k = 0; k < 3; k++)
		wg_path_free(&c[k]);
}

wg_metrics *wg_metrics_compute(const wg_graph *g, cc_err *e)
{
	wg_metrics *mt = cc_xcalloc(1, sizeof(*mt));
	size_t nf = g->nfacts, norder;
	double *cost[4], *count = cc_xcalloc(nf, sizeof(double));
	int *best[4], *order = cc_xcalloc(nf, sizeof(int));

	(void)e;
	for (int m = 0; m < 4; m++) {
		cost[m] = cc_xcalloc(nf, sizeof(double));
		best[m] = cc_xcalloc(nf, sizeof(int));
		wg_knuth(g, (wg_metric)m, NULL, NULL, cost[m], best[m],
			 m == WG_M_SIZE ? order : NULL, m == WG_M_SIZE ? &norder : NULL);
	}
	count_paths(g, order, norder, cost[WG_M_SIZE], count);
	mt->risk = wg_graph_risk(g, NULL, NULL);    /* the same measure as hardening */
	mt->njewels = g->ngoals;
	mt->jewels = cc_xcalloc(mt->njewels, sizeof(*mt->jewels));
	for (size_t j = 0; j < g->ngoals; j++) {
		wg_jewel_metrics *jm = &mt->jewels[j];
		int f = g->goals[j].fact;

		jm->jewel = (int)j;
		if (f == WG_NONE || !isfinite(cost[WG_M_STEPS][f]))
			continue;
		jm->reachable = true;
		wg_path_from_m(g, WG_M_STEPS, cost[WG_M_STEPS], best[WG_M_STEPS], f, &jm->shortest);
		wg_path_from_m(g, WG_M_PROB, cost[WG_M_PROB], best[WG_M_PROB], f, &jm->likely);
		wg_path_from_m(g, WG_M_TIME, cost[WG_M_TIME], best[WG_M_TIME], f, &jm->fastest);
		pick_best(jm);
		jm->npaths = count[f];
		jm->npaths_capped = count[f] >= WG_PATH_COUNT_CAP;
		chokes(g, jm, f);
	}
	for (int m = 0; m < 4; m++) {
		free(cost[m]);
		free(best[m]);
	}
	free(count);
	free(order);
	return mt;
}

void wg_metrics_free(wg_metrics *mt)
{
	if (!mt)
		return;
	for (size_t j = 0; j < mt->njewels; j++) {
		wg_jewel_metrics *jm = &mt->jewels[j];

		wg_path_free(&jm->shortest);
		wg_path_free(&jm->likely);
		wg_path_free(&jm->fastest);
		free(jm->choke_facts);
		free(jm->choke_hosts);
	}
	free(mt->jewels);
	free(mt);
}
