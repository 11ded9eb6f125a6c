/*
 * sim_camp.c — one campaign's state: the facts the attacker holds, the
 * actions it may take next (a min-heap on the cost-to-jewel score), and the
 * defender's revocations (isolating a host, resetting an account, blocking
 * a flow, patching) with everything derived from what was revoked.
 *
 * Provenance per campaign: a fact the attacker acquired remembers the
 * instance that gave it (via); revoking a fact revokes every held fact
 * whose via used it, transitively, and re-queues other ways to get them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "wargame/sim_int.h"

void wg_camp_init(wg_camp *s, const wg_simctx *c)
{
	const wg_graph *g = c->g;

	memset(s, 0, sizeof(*s));
	s->c = c;
	s->fs = cc_xcalloc(g->nfacts + 1, 1);
	s->hb = cc_xmalloc(g->nfacts + 1);
	s->via = cc_xcalloc(g->nfacts + 1, sizeof(int));
	s->is = cc_xcalloc(g->ninsts + 1, 1);
	s->iso = cc_xcalloc(c->m->nhosts + 1, 1);
	s->work = cc_xcalloc(g->nfacts + 1, sizeof(int));
	s->rwork = cc_xcalloc(g->nfacts + 1, sizeof(int));
	s->goal_t = cc_xcalloc(g->ngoals + 1, sizeof(double));
	memcpy(s->hb, c->stat, g->nfacts);
}

void wg_camp_free(wg_camp *s)
{
	if (!s)
		return;
	CC_FREE_ALL(s->fs, s->hb, s->via, s->is, s->iso, s->tf, s->ti, s->heap, s->work,
		    s->rwork, s->resp, s->goal_t);
	memset(s, 0, sizeof(*s));
}

static void set_fs(wg_camp *s, int f, uint8_t v)
{
	if (s->fs[f] == FS_DEFAULT) {
		if (s->ntf == s->capf) {
			s->capf = s->capf ? 2 * s->capf : 256;
			s->tf = cc_xrealloc(s->tf, s->capf * sizeof(int));
		}
		s->tf[s->ntf++] = f;
	}
	if (v == FS_REVOKED && s->c->stat[f] && s->hb[f])
		s->nstatrev++;
	s->fs[f] = v;
	s->hb[f] = v == FS_HELD || (v == FS_DEFAULT && s->c->stat[f]);
}

static void set_is(wg_camp *s, int i, uint8_t v)
{
	if (s->is[i] == IS_IDLE) {
		if (s->nti == s->capi) {
			s->capi = s->capi ? 2 * s->capi : 256;
			s->ti = cc_xrealloc(s->ti, s->capi * sizeof(int));
		}
		s->ti[s->nti++] = i;
	}
	s->is[i] = v;
}

bool wg_camp_held(const wg_camp *s, int f)
{
	return s->hb[f];
}

static bool blocked(const wg_camp *s, const wg_cinst *ci)
{
	return s->niso && ((ci->host != WG_NONE && s->iso[ci->host]) ||
			   (ci->hhost != WG_NONE && s->iso[ci->hhost]));
}

bool wg_camp_valid(const wg_camp *s, int i)
{
	const wg_cinst *ci = &s->c->ci[i];
	const int *body = s->c->g->body + ci->body;
	int n = ci->nbody;

	if (s->hb[ci->head] || blocked(s, ci))
		return false;
	if (!s->nstatrev) {
		body = s->c->dbody + ci->dbody;
		n = ci->ndbody;
	}
	for (int k = 0; k < n; k++)
		if (!s->hb[body[k]])
			return false;
	return true;
}

/* ---- the action heap: ordered by (key, instance id) ---- */

static bool before(const wg_qent *a, const wg_qent *b)
{
	return a->key < b->key || (a->key == b->key && a->inst < b->inst);
}

static void sift_up(wg_camp *s, size_t i)
{
	wg_qent v = s->heap[i];

	while (i > 0 && before(&v, &s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = v;
}

static void sift_down(wg_camp *s, size_t i)
{
	wg_qent v = s->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, m = l;

		if (l >= s->nheap)
			break;
		if (l + 1 < s->nheap && before(&s->heap[l + 1], &s->heap[l]))
			m = l + 1;
		if (!before(&s->heap[m], &v))
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	s->heap[i] = v;
}

static void heap_reserve(wg_camp *s, size_t n)
{
	if (n <= s->capheap)
		return;
	while (s->capheap < n)
		s->capheap = s->capheap ? 2 * s->capheap : 256;
	s->heap = cc_xrealloc(s->heap, s->capheap * sizeof(*s->heap));
}

/* The policy key of action i: its cost to the nearest jewel not yet
 * fallen (INFINITY when it leads to none of them). */
static double key_of(const wg_camp *s, int i)
{
	const wg_simctx *c = s->c;
	size_t ng = c->g->ngoals, n = c->g->ninsts;
	double k = INFINITY;

	if (!s->goals_held)
		return c->score[i];
	for (size_t j = 0; j < ng; j++)
		if (isinf(s->goal_t[j]) && c->score_g[j * n + (size_t)i] < k)
			k = c->score_g[j * n + (size_t)i];
	return k;
}

static void heap_push(wg_camp *s, int i, double key)
{
	heap_reserve(s, s->nheap + 1);
	s->heap[s->nheap].key = key;
	s->heap[s->nheap++].inst = i;
	sift_up(s, s->nheap - 1);
}

static int heap_take(wg_camp *s, size_t at)
{
	int v = s->heap[at].inst;

	s->heap[at] = s->heap[--s->nheap];
	if (at < s->nheap) {
		sift_down(s, at);
		sift_up(s, at);
	}
	return v;
}

/* A jewel fell: re-key the queue for the jewels left, dropping actions
 * that lead to none of them. */
static void rekey(wg_camp *s)
{
	size_t n = 0;

	for (size_t k = 0; k < s->nheap; k++) {
		wg_qent e = s->heap[k];

		e.key = key_of(s, e.inst);
		if (isinf(e.key))
			s->is[e.inst] = IS_IDLE;
		else
			s->heap[n++] = e;
	}
	s->nheap = n;
	for (size_t k = n / 2; k-- > 0;)
		sift_down(s, k);
	s->rekey = false;
}

/* ---- acquiring facts ---- */

static void hold(wg_camp *s, int f, int via, size_t *nw)
{
	int gi = s->c->goal_of[f];

	set_fs(s, f, FS_HELD);
	s->via[f] = via;
	s->work[(*nw)++] = f;
	if (gi != WG_NONE && isinf(s->goal_t[gi])) {
		s->goal_t[gi] = s->t;
		s->goals_held++;
		s->rekey = true;
	}
}

/* Queue action i, or for a builtin derivation apply it now, if possible. */
static void consider(wg_camp *s, int i, size_t *nw)
{
	const wg_simctx *c = s->c;

	if ((s->is[i] != IS_IDLE && s->is[i] != IS_DONE) || !wg_camp_valid(s, i))
		return;
	if (!c->autom[i]) {
		double k = key_of(s, i);

		if (isfinite(k)) {
			set_is(s, i, IS_QUEUED);
			heap_push(s, i, k);
		}
		return;
	}
	if (c->g->insts[i].p < 1 && wg_rng_unit(&s->rng) >= c->g->insts[i].p) {
		set_is(s, i, IS_FAILED);
		return;
	}
	set_is(s, i, IS_DONE);
	hold(s, c->g->insts[i].head, i, nw);
}

/* Consider everything the facts on the work list enable. */
static void closure(wg_camp *s, size_t nw)
{
	const wg_graph *g = s->c->g;

	while (nw) {
		int f = s->work[--nw];

		for (uint32_t k = g->uses_off[f]; k < g->uses_off[f + 1]; k++)
			consider(s, g->uses[k], &nw);
	}
}

void wg_camp_start(wg_camp *s, uint64_t seed, uint64_t index)
{
	const wg_simctx *c = s->c;
	size_t nw = 0;

	for (size_t k = 0; k < s->ntf; k++) {
		s->fs[s->tf[k]] = FS_DEFAULT;
		s->hb[s->tf[k]] = c->stat[s->tf[k]];
	}
	for (size_t k = 0; k < s->nti; k++)
		s->is[s->ti[k]] = IS_IDLE;
	s->ntf = s->nti = s->nheap = s->nresp = 0;
	if (s->niso)
		memset(s->iso, 0, c->m->nhosts);
	s->niso = 0;
	s->nstatrev = 0;
	s->goals_held = 0;
	for (size_t j = 0; j < c->g->ngoals; j++) {
		int f = c->g->goals[j].fact;

		/* a jewel the model alone exposes falls at once */
		s->goal_t[j] = f != WG_NONE && c->stat[f] ? 0 : INFINITY;
		s->goals_held += f != WG_NONE && c->stat[f];
	}
	s->rekey = s->goals_held > 0;
	s->t = 0;
	wg_rng_seed(&s->rng, seed, index);
	heap_reserve(s, c->ninit + 1);
	memcpy(s->heap, c->init, c->ninit * sizeof(*s->heap));
	s->nheap = c->ninit;
	for (size_t k = 0; k < c->ninit; k++)
		set_is(s, c->init[k].inst, IS_QUEUED);
	for (size_t k = 0; k < c->ninit_auto; k++)
		consider(s, c->init_auto[k], &nw);
	closure(s, nw);
}

int wg_camp_pick(wg_camp *s)
{
	if (s->rekey)
		rekey(s);
	while (s->nheap) {
		size_t at = 0;
		int i;

		if (s->c->epsilon > 0 && wg_rng_unit(&s->rng) < s->c->epsilon)
			at = wg_rng_below(&s->rng, s->nheap);
		i = heap_take(s, at);
		if (s->is[i] != IS_QUEUED)
			continue;
		if (wg_camp_valid(s, i))
			return i;
		s->is[i] = IS_IDLE;
	}
	return WG_NONE;
}

void wg_camp_finish(wg_camp *s, int i, bool success)
{
	size_t nw = 0;

	if (!success) {
		s->is[i] = IS_FAILED;
		return;
	}
	s->is[i] = IS_DONE;
	hold(s, s->c->g->insts[i].head, i, &nw);
	closure(s, nw);
}

void wg_camp_idle(wg_camp *s, int i)
{
	s->is[i] = IS_IDLE;
}

/* A static fact still derivable by a builtin from held facts? */
static bool static_support(const wg_camp *s, int f)
{
	const wg_graph *g = s->c->g;

	if (g->facts[f].base)
		return false;
	for (uint32_t k = g->by_head_off[f]; k < g->by_head_off[f + 1]; k++) {
		int i = g->by_head[k];
		const wg_inst *in = &g->insts[i];
		bool all = s->c->autom[i] && !blocked(s, &s->c->ci[i]);

		for (int b = 0; all && b < in->nbody; b++)
			all = s->hb[g->body[in->body + (uint32_t)b]];
		if (all)
			return true;
	}
	return false;
}

/* Revoke f (held); counts it in *won when the attacker had acquired it
 * through one of its techniques. */
static void lose(wg_camp *s, int f, size_t *nr, size_t *won)
{
	if (s->fs[f] == FS_HELD && !s->c->autom[s->via[f]])
		(*won)++;
	set_fs(s, f, FS_REVOKED);
	s->rwork[(*nr)++] = f;
}

size_t wg_camp_revoke(wg_camp *s, const int *facts, size_t n)
{
	const wg_graph *g = s->c->g;
	size_t nr = 0, done = 0, nw = 0, won = 0;

	for (size_t k = 0; k < n; k++)
		if (wg_camp_held(s, facts[k]))
			lose(s, facts[k], &nr, &won);
	while (done < nr) {
		int f = s->rwork[done++];

		for (uint32_t k = g->uses_off[f]; k < g->uses_off[f + 1]; k++) {
			int i = g->uses[k], h = g->insts[i].head;

			if ((s->fs[h] == FS_HELD && s->via[h] == i) ||
			    (s->fs[h] == FS_DEFAULT && s->c->stat[h] &&
			     s->c->autom[i] && !static_support(s, h)))
				lose(s, h, &nr, &won);
		}
	}
	/* other ways to the lost facts may be open again */
	for (size_t k = 0; k < nr; k++) {
		int f = s->rwork[k];

		for (uint32_t j = g->by_head_off[f]; j < g->by_head_off[f + 1]; j++)
			consider(s, g->by_head[j], &nw);
	}
	closure(s, nw);
	return won;
}

void wg_camp_remove(wg_camp *s, int f)
{
	if (wg_camp_held(s, f))
		set_fs(s, f, FS_REVOKED);
}

size_t wg_camp_isolate(wg_camp *s, int h)
{
	const wg_simctx *c = s->c;

	if (!s->iso[h]) {
		s->iso[h] = 1;
		s->niso++;
	}
	return wg_camp_revoke(s, c->hf + c->hf_off[h], c->hf_off[h + 1] - c->hf_off[h]);
}

size_t wg_camp_reset_account(wg_camp *s, int a)
{
	const wg_simctx *c = s->c;

	return wg_camp_revoke(s, c->af + c->af_off[a], c->af_off[a + 1] - c->af_off[a]);
}

bool wg_camp_on_host(const wg_camp *s, int h)
{
	const wg_simctx *c = s->c;

	for (uint32_t k = c->hf_off[h]; k < c->hf_off[h + 1]; k++) {
		int f = c->hf[k];

		if (s->fs[f] == FS_HELD && !c->autom[s->via[f]])
			return true;
	}
	return false;
}
