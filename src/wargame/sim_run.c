/*
 * sim_run.c — Monte Carlo campaigns of attacker against defender.
 *
 * One campaign: the attacker takes one action at a time, chosen by the
 * policy in wg_camp_pick (cheapest expected hours to a jewel, a random
 * queued action with probability epsilon).  The action takes a draw from
 * its rule's time distribution, is seen with its detection probability,
 * then succeeds with its probability p; an action that fails is not
 * retried (p is the chance that it works against this target at all).
 * A detection on host H triggers, response_hours later, the defender's
 * response: isolate H and reset the accounts cached on or logging on to
 * H, revoking everything that depended on them.  The campaign ends when
 * every reachable jewel fell, the attacker has no move left, or the
 * horizon passes.
 *
 * Determinism: campaign k draws only from stream (seed, k); threads take
 * campaigns by stride and write per-campaign records; floating-point
 * aggregation runs in campaign order after the threads join; per-thread
 * counters are integers (order-free sums).
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "wargame/sim_int.h"

#define MAX_STEPS 100000        /* safety bound on actions per campaign */

typedef struct shared {
	const wg_simctx *c;
	const wg_sim_opts *o;
	size_t runs;
	double horizon;
	int nthreads;
	wg_sim_rec *recs;
	double *jt;             /* runs x ngoals: time each goal fell */
	atomic_size_t done;
} shared;

typedef struct worker {
	shared *sh;
	int id;
	wg_camp camp;
	wg_sim_counts n;
} worker;

/* Apply the responses due by time t; returns the last effective host. */
static void respond(worker *w, double t, int *last)
{
	wg_camp *s = &w->camp;
	const wg_simctx *c = s->c;
	size_t k = 0;

	while (k < s->nresp && s->resp[k].t <= t) {
		int h = s->resp[k++].host;
		size_t lost;

		if (s->iso[h])
			continue;
		lost = wg_camp_isolate(s, h);
		for (uint32_t a = c->ha_off[h]; a < c->ha_off[h + 1]; a++)
			lost += wg_camp_reset_account(s, c->ha[a]);
		w->n.taken[h]++;
		if (lost)
			*last = h;
	}
	if (!k)
		return;
	memmove(s->resp, s->resp + k, (s->nresp - k) * sizeof(*s->resp));
	s->nresp -= k;
}

static void schedule(wg_camp *s, double t, int host)
{
	size_t k = s->nresp;

	if (s->nresp == s->capresp) {
		s->capresp = s->capresp ? 2 * s->capresp : 16;
		s->resp = cc_xrealloc(s->resp, s->capresp * sizeof(*s->resp));
	}
	while (k > 0 && s->resp[k - 1].t > t) {
		s->resp[k] = s->resp[k - 1];
		k--;
	}
	s->resp[k].t = t;
	s->resp[k].host = host;
	s->nresp++;
}

/* Count what the campaign held at some time: every fact it touched and
 * held, or held and lost, that records a privilege or credentials. */
static void reached(worker *w)
{
	const wg_camp *s = &w->camp;
	const wg_simctx *c = s->c;

	for (size_t k = 0; k < s->ntf; k++) {
		int f = s->tf[k];

		if (c->fkind[f] >= 0 && s->fs[f] != FS_DEFAULT && !c->stat[f])
			w->n.reach[(size_t)c->fkind[f] * w->n.nmax + (size_t)c->fidx[f]]++;
	}
}

static void campaign(worker *w, size_t k)
{
	shared *sh = w->sh;
	wg_camp *s = &w->camp;
	const wg_simctx *c = sh->c;
	const wg_graph *g = c->g;
	wg_sim_rec *r = &sh->recs[k];
	int last = WG_NONE;

	wg_camp_start(s, sh->o->seed, k);
	r->first_det = INFINITY;
	r->steps = 0;
	for (;;) {
		int i;
		const wg_inst *in;
		double tend, ud, up;

		if (c->ngoals_reach && s->goals_held == c->ngoals_reach) {
			r->end = WG_END_ALL_JEWELS;
			break;
		}
		if ((i = wg_camp_pick(s)) == WG_NONE) {
			r->end = last != WG_NONE ? WG_END_CONTAINED : WG_END_EXHAUSTED;
			break;
		}
		in = &g->insts[i];
		tend = s->t + wg_dist_sample(&in->time, &s->rng);
		ud = wg_rng_unit(&s->rng);
		up = wg_rng_unit(&s->rng);
		respond(w, tend, &last);
		if (tend > sh->horizon || r->steps >= MAX_STEPS) {
			r->end = WG_END_HORIZON;
			break;
		}
		s->t = tend;
		if (!wg_camp_valid(s, i)) {     /* the defender got there first */
			wg_camp_idle(s, i);
			continue;
		}
		r->steps++;
		w->n.att[in->rule]++;
		w->n.iatt[i]++;
		if (ud < c->det[i]) {
			w->n.det[in->rule]++;
			w->n.idet[i]++;
			if (tend < r->first_det)
				r->first_det = tend;
			if (in->host != WG_NONE)
				schedule(s, tend + c->response_h, in->host);
		}
		if (up < in->p)
			w->n.suc[in->rule]++;
		wg_camp_finish(s, i, up < in->p);
	}
	r->decisive = r->end == WG_END_CONTAINED ? last : WG_NONE;
	for (size_t j = 0; j < g->ngoals; j++)
		sh->jt[k * g->ngoals + j] = s->goal_t[j];
	reached(w);
}

static void *work(void *arg)
{
	worker *w = arg;
	shared *sh = w->sh;

	for (size_t k = (size_t)w->id; k < sh->runs; k += (size_t)sh->nthreads) {
		size_t d;

		campaign(w, k);
		d = atomic_fetch_add(&sh->done, 1) + 1;
		if (w->id == 0 && sh->o->progress && (d & 255) == 0)
			sh->o->progress(d, sh->runs, sh->o->progress_ud);
	}
	return NULL;
}

static void worker_init(worker *w, shared *sh, int id)
{
	const wg_graph *g = sh->c->g;
	const wg_model *m = g->model;
	size_t nr = g->rules->nrules + 1;

	memset(w, 0, sizeof(*w));
	w->sh = sh;
	w->id = id;
	wg_camp_init(&w->camp, sh->c);
	w->n.att = cc_xcalloc(nr, sizeof(uint64_t));
	w->n.suc = cc_xcalloc(nr, sizeof(uint64_t));
	w->n.det = cc_xcalloc(nr, sizeof(uint64_t));
	w->n.taken = cc_xcalloc(m->nhosts + 1, sizeof(uint64_t));
	w->n.nmax = (m->nhosts > m->naccounts ? m->nhosts : m->naccounts) + 1;
	w->n.reach = cc_xcalloc(3 * w->n.nmax, sizeof(uint64_t));
	w->n.iatt = cc_xcalloc(g->ninsts + 1, sizeof(uint32_t));
	w->n.idet = cc_xcalloc(g->ninsts + 1, sizeof(uint32_t));
}

static void worker_free(worker *w)
{
	wg_camp_free(&w->camp);
	CC_FREE_ALL(w->n.att, w->n.suc, w->n.det, w->n.taken, w->n.reach, w->n.iatt,
		    w->n.idet);
}

/* Add the counters of every worker into the first one's. */
static void merge_counters(worker *ws, int nt, const wg_graph *g)
{
	wg_sim_counts *a = &ws[0].n;

	for (int t = 1; t < nt; t++) {
		const wg_sim_counts *b = &ws[t].n;

		for (size_t k = 0; k <= g->rules->nrules; k++) {
			a->att[k] += b->att[k];
			a->suc[k] += b->suc[k];
			a->det[k] += b->det[k];
		}
		for (size_t h = 0; h < g->model->nhosts; h++)
			a->taken[h] += b->taken[h];
		for (size_t k = 0; k < 3 * a->nmax; k++)
			a->reach[k] += b->reach[k];
		for (size_t i = 0; i < g->ninsts; i++) {
			a->iatt[i] += b->iatt[i];
			a->idet[i] += b->idet[i];
		}
	}
}

int wg_sim_run(const wg_graph *g, const wg_sim_opts *o, wg_sim_result **out,
	       cc_err *e)
{
	shared sh = { 0 };
	worker *ws = NULL;
	pthread_t *tids = NULL;
	wg_sim_result *r = NULL;
	int nt, started = 0, rc = CC_OK;

	*out = NULL;
	sh.o = o;
	sh.runs = o->runs ? o->runs : 1000;
	sh.horizon = o->horizon_hours > 0 ? o->horizon_hours : 30 * 24;
	nt = o->threads > 0 ? o->threads : 1;
	if (nt > 256)
		return cc_err_set(e, CC_EUSAGE, "simulation: at most 256 threads");
	if ((size_t)nt > sh.runs)
		nt = (int)sh.runs;
	sh.nthreads = nt;
	sh.c = wg_simctx_new(g, o->intel, o->epsilon);
	sh.recs = cc_xcalloc(sh.runs, sizeof(wg_sim_rec));
	sh.jt = cc_xcalloc(sh.runs * (g->ngoals ? g->ngoals : 1), sizeof(double));
	ws = cc_xcalloc((size_t)nt, sizeof(*ws));
	tids = cc_xcalloc((size_t)nt, sizeof(*tids));
	for (int t = 0; t < nt; t++)
		worker_init(&ws[t], &sh, t);
	for (int t = 1; t < nt; t++, started++)
		if (pthread_create(&tids[t], NULL, work, &ws[t])) {
			rc = cc_err_set(e, CC_ERR, "simulation: cannot start a thread");
			break;
		}
	if (rc == CC_OK)
		work(&ws[0]);
	for (int t = 1; t <= started; t++)
		pthread_join(tids[t], NULL);
	if (rc == CC_OK) {
		r = cc_xcalloc(1, sizeof(*r));
		r->runs = sh.runs;
		r->seed = o->seed;
		r->threads = nt;
		r->horizon_hours = sh.horizon;
		r->epsilon = sh.c->epsilon;
		r->with_intel = o->intel != NULL;
		merge_counters(ws, nt, g);
		wg_sim_aggregate(r, g, sh.recs, sh.jt, &ws[0].n);
		if (o->progress)
			o->progress(sh.runs, sh.runs, o->progress_ud);
		*out = r;
	}
	for (int t = 0; t < nt; t++)
		worker_free(&ws[t]);
	free(ws);
	free(tids);
	free(sh.recs);
	free(sh.jt);
	wg_simctx_free((wg_simctx *)sh.c);
	return rc;
}
