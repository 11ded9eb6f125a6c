/*
 * sim_stats.c — turning per-campaign records into the result: jewel
 * probabilities with Wilson intervals, time-to-compromise and time-to-
 * detection quantiles, histograms, per-technique detection and the
 * defender responses that ended campaigns.  Everything runs in campaign
 * order so the result does not depend on the thread count.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "wargame/sim_int.h"

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Type-7 quantile of sorted x[0..n). */
static double quantile(const double *x, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return x[n - 1];
	return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/* Sort x and summarise it. */
static void summarise(double *x, size_t n, wg_sim_dist *d)
{
	double sum = 0;

	memset(d, 0, sizeof(*d));
	d->n = n;
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	qsort(x, n, sizeof(*x), dcmp);
	d->mean = sum / (double)n;
	d->median = quantile(x, n, 0.5);
	d->p90 = quantile(x, n, 0.9);
	d->lo95 = quantile(x, n, 0.025);
	d->hi95 = quantile(x, n, 0.975);
}

static void wilson(size_t k, size_t n, double *p, double *lo, double *hi)
{
	double z = 1.959964, ph, den, c, h;

	if (!n) {
		*p = *lo = *hi = 0;
		return;
	}
	ph = (double)k / (double)n;
	den = 1 + z * z / (double)n;
	c = (ph + z * z / (2.0 * (double)n)) / den;
	h = z * sqrt(ph * (1 - ph) / (double)n + z * z / (4.0 * (double)n * (double)n)) / den;
	*p = ph;
	*lo = c - h < 0 ? 0 : c - h;
	*hi = c + h > 1 ? 1 : c + h;
}

static void hist_add(uint32_t *hist, double t, double horizon)
{
	int b = (int)(t / horizon * WG_SIM_HIST_BINS);

	if (b < 0)
		b = 0;
	if (b >= WG_SIM_HIST_BINS)
		b = WG_SIM_HIST_BINS - 1;
	hist[b]++;
}

static void jewels(wg_sim_result *r, const wg_graph *g, const double *jt,
		   double *tmp)
{
	size_t ng = g->ngoals, nany = 0;

	r->njewels = ng;
	r->jewels = cc_xcalloc(ng + 1, sizeof(*r->jewels));
	for (size_t j = 0; j < ng; j++) {
		wg_sim_jewel *sj = &r->jewels[j];
		size_t n = 0;

		sj->jewel = g->goals[j].jewel;
		for (size_t k = 0; k < r->runs; k++) {
			double t = jt[k * ng + j];

			if (isfinite(t)) {
				tmp[n++] = t;
				hist_add(sj->hist, t, r->horizon_hours);
			}
		}
		sj->compromised = n;
		wilson(n, r->runs, &sj->p, &sj->p_lo, &sj->p_hi);
		summarise(tmp, n, &sj->ttc);
	}
	for (size_t k = 0; k < r->runs; k++) {
		double t = INFINITY;

		for (size_t j = 0; j < ng; j++)
			if (jt[k * ng + j] < t)
				t = jt[k * ng + j];
		if (isfinite(t)) {
			tmp[nany++] = t;
			hist_add(r->hist_any, t, r->horizon_hours);
		}
	}
	r->any_compromised = nany;
	wilson(nany, r->runs, &r->p_any, &r->p_any_lo, &r->p_any_hi);
	summarise(tmp, nany, &r->ttc_any);
}

static int tech_cmp(const void *a, const void *b)
{
	return strcmp(((const wg_sim_tech *)a)->technique,
		      ((const wg_sim_tech *)b)->technique);
}

static char *dup(const char *s)
{
	return cc_xstrdup(s ? s : "");
}

static void techniques(wg_sim_result *r, const wg_graph *g, const uint64_t *att,
		       const uint64_t *suc, const uint64_t *det)
{
	const wg_rules *rs = g->rules;

	r->techs = cc_xcalloc(rs->nrules + 1, sizeof(*r->techs));
	for (size_t k = 0; k < rs->nrules; k++) {
		const wg_rule *ru = &rs->rules[k];
		wg_sim_tech *t = NULL;

		if (!ru->technique || !att[k])
			continue;
		for (size_t i = 0; i < r->ntechs && !t; i++)
			if (!strcmp(r->techs[i].technique, ru->technique))
				t = &r->techs[i];
		if (!t) {
			t = &r->techs[r->ntechs++];
			t->technique = dup(ru->technique);
			t->name = dup(ru->name);
			t->tactic = dup(ru->tactic);
		}
		t->attempts += att[k];
		t->successes += suc[k];
		t->detections += det[k];
	}
	qsort(r->techs, r->ntechs, sizeof(*r->techs), tech_cmp);
}

static int act_cmp(const void *a, const void *b)
{
	const wg_sim_action *x = a, *y = b;

	if (x->decisive != y->decisive)
		return x->decisive > y->decisive ? -1 : 1;
	if (x->taken != y->taken)
		return x->taken > y->taken ? -1 : 1;
	return (x->host > y->host) - (x->host < y->host);
}

static void actions(wg_sim_result *r, const wg_graph *g, const wg_sim_rec *recs,
		    const uint64_t *taken)
{
	const wg_model *m = g->model;
	size_t *dec = cc_xcalloc(m->nhosts + 1, sizeof(size_t));

	r->actions = cc_xcalloc(m->nhosts + 1, sizeof(*r->actions));
	for (size_t k = 0; k < r->runs; k++)
		if (recs[k].decisive != WG_NONE)
			dec[recs[k].decisive]++;
	for (size_t h = 0; h < m->nhosts; h++) {
		wg_sim_action *a;
		cc_buf b = CC_BUF_INIT;

		if (!taken[h])
			continue;
		a = &r->actions[r->nactions++];
		a->host = (int)h;
		a->taken = taken[h];
		a->decisive = dec[h];
		cc_buf_printf(&b, "isolate %s, reset the credentials on it",
			      m->hosts[h].name);
		a->label = cc_buf_take(&b, NULL);
	}
	free(dec);
	qsort(r->actions, r->nactions, sizeof(*r->actions), act_cmp);
}

static int reach_cmp(const void *a, const void *b)
{
	const wg_sim_reach *x = a, *y = b;

	if (x->campaigns != y->campaigns)
		return x->campaigns > y->campaigns ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

static void furthest(wg_sim_result *r, const wg_graph *g, const wg_sim_counts *c)
{
	size_t n[3] = { g->model->nhosts, g->model->nhosts, g->model->naccounts };

	r->furthest = cc_xcalloc(3 * c->nmax + 1, sizeof(*r->furthest));
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < n[k]; i++) {
			uint64_t x = c->reach[(size_t)k * c->nmax + i];
			wg_sim_reach *f;

			if (!x)
				continue;
			f = &r->furthest[r->nfurthest++];
			f->kind = (wg_reach_kind)k;
			f->index = (int)i;
			f->campaigns = x;
			f->p = (double)x / (double)r->runs;
		}
	qsort(r->furthest, r->nfurthest, sizeof(*r->furthest), reach_cmp);
}

void wg_sim_aggregate(wg_sim_result *r, const wg_graph *g, const wg_sim_rec *recs,
		      const double *jt, wg_sim_counts *c)
{
	double *tmp = cc_xcalloc(r->runs + 1, sizeof(double));
	uint64_t steps = 0;
	size_t n = 0;

	jewels(r, g, jt, tmp);
	r->camp_any = cc_xcalloc(r->runs + 1, 1);
	r->camp_det = cc_xcalloc(r->runs + 1, 1);
	for (size_t k = 0; k < r->runs; k++) {
		r->ends[recs[k].end]++;
		steps += recs[k].steps;
		if (isfinite(recs[k].first_det))
			tmp[n++] = recs[k].first_det;
		r->camp_det[k] = isfinite(recs[k].first_det);
		for (size_t j = 0; j < g->ngoals; j++)
			r->camp_any[k] |= isfinite(jt[k * g->ngoals + j]);
	}
	r->detected = n;
	summarise(tmp, n, &r->ttd);
	r->mean_steps = (double)steps / (double)r->runs;
	techniques(r, g, c->att, c->suc, c->det);
	actions(r, g, recs, c->taken);
	furthest(r, g, c);
	r->ninsts = g->ninsts;
	r->inst_att = c->iatt;
	r->inst_det = c->idet;
	c->iatt = c->idet = NULL;
	free(tmp);
}

int wg_sim_paired(const wg_sim_result *a, const wg_sim_result *b, int what,
		  wg_sim_diff *out, cc_err *e)
{
	const uint8_t *x = what == WG_PAIR_DETECTED ? a->camp_det : a->camp_any;
	const uint8_t *y = what == WG_PAIR_DETECTED ? b->camp_det : b->camp_any;
	double sum = 0, sq = 0, n = (double)a->runs, sd;

	memset(out, 0, sizeof(*out));
	if (a->runs != b->runs || a->seed != b->seed || !a->runs)
		return cc_err_set(e, CC_EUSAGE, "paired runs need the same seed and number "
				  "of campaigns");
	for (size_t k = 0; k < a->runs; k++) {
		double d = (double)x[k] - (double)y[k];

		sum += d;
		sq += d * d;
	}
	out->d = sum / n;
	sd = a->runs > 1 ? (sq - n * out->d * out->d) / (n - 1) : 0;
	sd = sd > 0 ? sqrt(sd) : 0;
	out->lo = out->d - 1.959964 * sd / sqrt(n);
	out->hi = out->d + 1.959964 * sd / sqrt(n);
	return CC_OK;
}

void wg_sim_result_free(wg_sim_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ntechs; i++) {
		free(r->techs[i].technique);
		free(r->techs[i].name);
		free(r->techs[i].tactic);
	}
	for (size_t i = 0; i < r->nactions; i++)
		free(r->actions[i].label);
	CC_FREE_ALL(r->techs, r->actions, r->jewels, r->furthest, r->camp_any, r->camp_det,
		    r->inst_att, r->inst_det, r);
}

const char *wg_sim_end_name(int end)
{
	static const char *const names[] = { "all-jewels", "contained", "exhausted",
					     "horizon" };

	return end >= 0 && end < WG_END_COUNT ? names[end] : "?";
}
