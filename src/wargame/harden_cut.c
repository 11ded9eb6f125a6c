/*
 * harden_cut.c — the cheapest cut by implicit hitting sets.
 *
 * Every cut must remove a leaf of every derivation tree of every jewel.
 * Keep a growing list of trees (each as the set of changes that remove one
 * of its leaves); solve the cheapest hitting set of the list exactly
 * (branch and bound); if applying it still lets a jewel be derived, add
 * that derivation's tree to the list and repeat.  The first hitting set
 * that cuts everything is a cheapest cut, since each one is a lower bound.
 * If a hitting-set search exceeds its node budget, its greedy answer (most
 * trees hit per unit of cost) is used and the result is no longer exact.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/harden_int.h"

#define IHS_MAX_ROUNDS 400

typedef struct ihs {
	const hctx *h;
	int *items;             /* trees, concatenated (candidate ids) */
	size_t *off;            /* tree k: items[off[k] .. off[k + 1]) */
	size_t ntrees, nitems;
	uint8_t *on;            /* candidate chosen in the current branch */
	uint8_t *banned;        /* candidate excluded in the current branch */
	int *cur, *best;
	size_t ncur, nbest;
	double bestcost;
	long nodes;
	bool aborted;
} ihs;

static bool tree_hit(const ihs *s, size_t k)
{
	for (size_t i = s->off[k]; i < s->off[k + 1]; i++)
		if (s->on[s->items[i]])
			return true;
	return false;
}

static double cost_of(const ihs *s, int c)
{
	return s->h->scost[c];
}

static void solve(ihs *s, double cost)
{
	size_t pick = SIZE_MAX, pickn = SIZE_MAX;
	double lb = 0;

	if (++s->nodes > WG_EXACT_NODE_LIMIT * 5) {
		s->aborted = true;
		return;
	}
	for (size_t k = 0; k < s->ntrees; k++) {
		size_t n = 0;
		double mn = INFINITY;

		if (tree_hit(s, k))
			continue;
		for (size_t i = s->off[k]; i < s->off[k + 1]; i++)
			if (!s->banned[s->items[i]]) {
				n++;
				if (cost_of(s, s->items[i]) < mn)
					mn = cost_of(s, s->items[i]);
			}
		if (!n)
			return;         /* this branch cannot hit tree k */
		if (mn > lb)
			lb = mn;
		if (n < pickn) {
			pick = k;
			pickn = n;
		}
	}
	if (cost + lb >= s->bestcost)
		return;
	if (pick == SIZE_MAX) {
		s->bestcost = cost;
		s->nbest = s->ncur;
		memcpy(s->best, s->cur, s->ncur * sizeof(int));
		return;
	}
	{
		size_t n = s->off[pick + 1] - s->off[pick], nb = 0;
		int *br = cc_xcalloc(n, sizeof(int));

		for (size_t i = s->off[pick]; i < s->off[pick + 1]; i++)
			if (!s->banned[s->items[i]])
				br[nb++] = s->items[i];
		for (size_t a = 1; a < nb; a++)         /* cheapest first */
			for (size_t b = a; b > 0 && cost_of(s, br[b]) < cost_of(s, br[b - 1]); b--) {
				int t = br[b];

				br[b] = br[b - 1];
				br[b - 1] = t;
			}
		for (size_t i = 0; i < nb && !s->aborted; i++) {
			s->on[br[i]] = 1;
			s->cur[s->ncur++] = br[i];
			solve(s, cost + cost_of(s, br[i]));
			s->ncur--;
			s->on[br[i]] = 0;
			s->banned[br[i]] = 1;   /* later branches exclude it */
		}
		for (size_t i = 0; i < nb; i++)
			s->banned[br[i]] = 0;
		free(br);
	}
}

/* Greedy hitting set: most unhit trees per unit of cost. */
static void greedy_hs(ihs *s)
{
	memset(s->on, 0, s->h->ncut);
	s->nbest = 0;
	s->bestcost = 0;
	for (;;) {
		double bestscore = 0;
		int pick = WG_NONE;

		for (size_t c = 0; c < s->h->ncut; c++) {
			size_t n = 0;

			if (s->on[c])
				continue;
			for (size_t k = 0; k < s->ntrees; k++) {
				if (tree_hit(s, k))
					continue;
				for (size_t i = s->off[k]; i < s->off[k + 1]; i++)
					if (s->items[i] == (int)c) {
						n++;
						break;
					}
			}
			if (n && (double)n / (cost_of(s, (int)c) + 1e-9) > bestscore) {
				bestscore = (double)n / (cost_of(s, (int)c) + 1e-9);
				pick = (int)c;
			}
		}
		if (pick == WG_NONE)
			break;
		s->on[pick] = 1;
		s->best[s->nbest++] = pick;
		s->bestcost += cost_of(s, pick);
	}
	memset(s->on, 0, s->h->ncut);
}

static void add_tree(ihs *s, const int *c, size_t n)
{
	s->items = cc_xrealloc(s->items, (s->nitems + n) * sizeof(int));
	memcpy(s->items + s->nitems, c, n * sizeof(int));
	s->nitems += n;
	s->off = cc_xrealloc(s->off, (s->ntrees + 2) * sizeof(size_t));
	s->off[0] = 0;
	s->off[++s->ntrees] = s->nitems;
}

int wg_h_implicit(hctx *h, bool *exact)
{
	ihs s = { .h = h };
	int *hit = cc_xcalloc(h->ncut + 1, sizeof(int)), rc = -1, goal;
	bool all_exact = true;

	s.on = cc_xcalloc(h->ncut + 1, 1);
	s.banned = cc_xcalloc(h->ncut + 1, 1);
	s.cur = cc_xcalloc(h->ncut + 1, sizeof(int));
	s.best = cc_xcalloc(h->ncut + 1, sizeof(int));
	*exact = false;
	for (int round = 0; round < IHS_MAX_ROUNDS; round++) {
		size_t nh;

		memset(h->removed, 0, h->g->nfacts);
		for (size_t k = 0; k < s.nbest; k++)
			h->removed[h->cand_fact[s.best[k]]] = 1;
		wg_h_derive(h, &goal, NULL);
		if (goal == WG_NONE) {
			rc = 1;
			*exact = all_exact;
			break;
		}
		nh = wg_h_hitting(h, goal, hit);
		if (!nh) {
			rc = 0;         /* a tree no change can touch */
			break;
		}
		add_tree(&s, hit, nh);
		s.bestcost = INFINITY;
		s.nodes = 0;
		s.aborted = false;
		s.ncur = 0;
		solve(&s, 0);
		if (s.aborted || !isfinite(s.bestcost)) {
			all_exact = false;
			greedy_hs(&s);
		}
	}
	if (rc == 1) {
		memcpy(h->bestset, s.best, s.nbest * sizeof(int));
		h->nbest = s.nbest;
	}
	memset(h->removed, 0, h->g->nfacts);
	free(hit);
	free(s.items);
	free(s.off);
	free(s.on);
	free(s.banned);
	free(s.cur);
	free(s.best);
	return rc;
}
