/*
 * run.c — what a scan accumulates, in file/line order on the caller's
 * thread: hits delivered to the caller, per-indicator sighting aggregates,
 * and the per-indicator windows of candidate observations that
 * multi-observation patterns (AND, OR, FOLLOWEDBY, WITHIN, REPEATS,
 * START/STOP) are evaluated over.
 */
#include <stdlib.h>
#include <string.h>

#include "match/run_int.h"
#include "util/time.h"

match_run *match_run_new(const matcher *m)
{
	match_run *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->m = m;
	r->agg = calloc(m->n_ind ? m->n_ind : 1, sizeof(*r->agg));
	r->win = calloc(m->n_gen ? m->n_gen : 1, sizeof(*r->win));
	if (!r->agg || !r->win) {
		match_run_free(r);
		return NULL;
	}
	return r;
}

static void window_drop(mt_window *w, size_t i)
{
	pattern_observation_clear(&w->obs[i]);
	free(w->vals[i]);
	memmove(&w->obs[i], &w->obs[i + 1], (w->n - i - 1) * sizeof(*w->obs));
	memmove(&w->vals[i], &w->vals[i + 1], (w->n - i - 1) * sizeof(*w->vals));
	memmove(&w->nvals[i], &w->nvals[i + 1], (w->n - i - 1) * sizeof(*w->nvals));
	memmove(&w->lines[i], &w->lines[i + 1], (w->n - i - 1) * sizeof(*w->lines));
	w->n--;
}

void match_run_free(match_run *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->agg && i < r->m->n_ind; i++) {
		if (!r->agg[i])
			continue;
		for (size_t v = 0; v < r->agg[i]->nv; v++)
			free(r->agg[i]->vals[v]);
		free(r->agg[i]);
	}
	for (size_t g = 0; r->win && g < r->m->n_gen; g++) {
		mt_window *w = &r->win[g];

		while (w->n)
			window_drop(w, w->n - 1);
		free(w->obs);
		free(w->vals);
		free(w->nvals);
		free(w->lines);
	}
	free(r->agg);
	free(r->win);
	free(r->seen.cur);
	free(r->seen.old);
	free(r);
}

void match_run_totals(const match_run *r, match_totals *out)
{
	*out = r->tot;
}

#define SEEN_SLOTS (2 * MT_SEEN_MAX)

/* Whether table t (may be NULL) holds k; *slot: where k would go. */
static bool seen_has(const uint64_t *t, uint64_t k, size_t *slot)
{
	size_t i = k & (SEEN_SLOTS - 1);

	while (t && t[i]) {
		if (t[i] == k)
			return true;
		i = (i + 1) & (SEEN_SLOTS - 1);
	}
	*slot = i;
	return false;
}

/* Whether (ind, obs) was counted already; remembers it when not. */
static bool seen_before(mt_seen *s, uint32_t ind, uint64_t obs)
{
	uint64_t k = mt_hash(&obs, sizeof(obs), ind) | 1;
	size_t i;

	if (seen_has(s->old, k, &i) || seen_has(s->cur, k, &i))
		return true;
	if (!s->cur || s->n_cur == MT_SEEN_MAX) {
		uint64_t *t = s->old ? s->old : calloc(SEEN_SLOTS, sizeof(*t));

		if (!t)
			return false;
		memset(t, 0, SEEN_SLOTS * sizeof(*t));
		s->old = s->cur;
		s->cur = t;
		s->n_cur = 0;
		seen_has(s->cur, k, &i);
	}
	s->cur[i] = k;
	s->n_cur++;
	return false;
}

/* Keep the values of a hit that the aggregate lacks (up to MT_AGG_VALUES). */
static void agg_values(mt_agg *a, const match_value *v, size_t n)
{
	for (size_t i = 0; i < n && a->nv < MT_AGG_VALUES; i++) {
		size_t pl = strlen(v[i].path), vl = strlen(v[i].value);
		bool seen = false;
		char *s;

		for (size_t j = 0; j < a->nv && !seen; j++)
			seen = !strcmp(a->vals[j], v[i].path) && !strcmp(a->vals[j] + pl + 1, v[i].value);
		if (seen)
			continue;
		s = malloc(pl + vl + 2);
		if (!s)
			break;
		memcpy(s, v[i].path, pl + 1);
		memcpy(s + pl + 1, v[i].value, vl + 1);
		a->vals[a->nv++] = s;
	}
}

/* Whether the matcher's filter drops every value of a hit (none: no). */
static bool filtered(const matcher *m, uint32_t ind, const match_value *v, size_t n)
{
	if (!m->filter || n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!m->filter(m->filter_ud, match_indicator_id(m, ind), v[i].path, v[i].value,
			       strlen(v[i].value), true))
			return false;
	return true;
}

/* Record a hit: aggregate for the sighting and hand it to the caller.  A
 * hit on an observation (obs != 0) the indicator already hit adds its
 * values to the sighting and nothing else. */
void mt_run_hit(match_run *r, const match_opts *o, const char *file, uint32_t ind,
		uint64_t line, int64_t ts, uint64_t obs, const char *vals, uint32_t nv)
{
	match_value v[64];
	mt_agg *a = r->agg[ind];
	const char *p = vals;
	size_t n = 0;
	bool again;

	for (uint32_t i = 0; i < nv; i++) {
		const char *path = p, *val = p + strlen(p) + 1;

		p = val + strlen(val) + 1;
		if (n < 64) {
			v[n].path = path;
			v[n].value = val;
			n++;
		}
	}
	if (filtered(r->m, ind, v, n)) {
		r->tot.suppressed++;
		return;
	}
	again = obs && seen_before(&r->seen, ind, obs);
	if (!a) {
		a = calloc(1, sizeof(*a));
		if (!a)
			return;
		a->first = INT64_MAX;
		a->last = INT64_MIN;
		r->agg[ind] = a;
	}
	agg_values(a, v, n);
	a->dirty = true;
	if (again) {
		r->tot.merged++;
		return;
	}
	a->count++;
	if (ts != INT64_MIN) {
		if (ts < a->first)
			a->first = ts;
		if (ts > a->last)
			a->last = ts;
	}
	r->tot.hits++;
	if (o && o->on_hit) {
		match_hit h = { ind, file, line, ts, n, v, o->retro };

		o->on_hit(o->hit_ud, &h);
	}
}

static int window_push(mt_window *w, const mt_cand *c, const char *vals, size_t vlen, uint64_t line)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		pattern_observation *o = realloc(w->obs, cap * sizeof(*o));
		char **v = o ? realloc(w->vals, cap * sizeof(*v)) : NULL;
		uint32_t *nv = v ? realloc(w->nvals, cap * sizeof(*nv)) : NULL;
		uint64_t *l = nv ? realloc(w->lines, cap * sizeof(*l)) : NULL;

		if (o)
			w->obs = o;
		if (v)
			w->vals = v;
		if (nv)
			w->nvals = nv;
		if (l)
			w->lines = l;
		if (!l)
			return CC_ENOMEM;
		w->cap = cap;
	}
	w->vals[w->n] = malloc(vlen ? vlen : 1);
	if (!w->vals[w->n])
		return CC_ENOMEM;
	memcpy(w->vals[w->n], vals, vlen);
	w->nvals[w->n] = c->nv;
	w->lines[w->n] = line;
	w->obs[w->n].id = NULL;
	w->obs[w->n].first_us = c->ts == INT64_MIN ? 0 : c->ts;
	w->obs[w->n].last_us = w->obs[w->n].first_us;
	w->obs[w->n].count = 1;
	w->obs[w->n].objects = json_incref(c->objects);
	w->n++;
	return 0;
}

/* Length of nv "path\0value\0" pairs at p. */
static size_t vals_len(const char *p, uint32_t nv)
{
	const char *s = p;

	for (uint32_t i = 0; i < 2 * nv; i++)
		s += strlen(s) + 1;
	return (size_t)(s - p);
}

/* Append the pairs of p that all (holding have pairs) lacks; returns how
 * many were appended. */
static uint32_t append_new_values(cc_buf *all, uint32_t have, const char *p, uint32_t nv)
{
	uint32_t added = 0;

	for (uint32_t i = 0; i < nv; i++) {
		size_t len = vals_len(p, 1);
		const char *q = all->data;
		bool dup = false;

		for (uint32_t j = 0; j < have + added && !dup; j++) {
			size_t ql = vals_len(q, 1);

			dup = ql == len && !memcmp(q, p, len);
			q += ql;
		}
		if (!dup) {
			cc_buf_append(all, p, len);
			added++;
		}
		p += len;
	}
	return added;
}

/* Feed one candidate to its pattern's window; a match is a hit at the
 * candidate's line with the values of every bound observation. */
void mt_run_cand(match_run *r, const match_opts *o, const char *file, const mt_cand *c,
		 const char *vals, uint64_t line)
{
	const mt_general *g = &r->m->gen[c->gen];
	mt_window *w = &r->win[c->gen];
	pattern_match_result res = { 0 };
	cc_err e;

	if (window_push(w, c, vals, vals_len(vals, c->nv), line) < 0)
		return;
	if (w->n > MT_WINDOW_MAX)
		window_drop(w, 0);
	if (pattern_match_observations(g->pat, w->obs, w->n, &res, &e) == 0 && res.matched) {
		cc_buf all = CC_BUF_INIT;
		uint32_t nv = 0;
		bool *used = calloc(w->n, sizeof(*used));

		for (size_t i = 0; i < res.n_obs; i++)
			if (res.obs[i] < w->n && used && !used[res.obs[i]]) {
				used[res.obs[i]] = true;
				nv += append_new_values(&all, nv, w->vals[res.obs[i]], w->nvals[res.obs[i]]);
			}
		mt_run_hit(r, o, file, g->ind, line, c->ts, 0, all.data ? all.data : "", nv);
		cc_buf_free(&all);
		/* bound observations are used up; the others may still pair later */
		for (size_t i = w->n; i-- > 0;)
			if (!used || used[i])
				window_drop(w, i);
		free(used);
	}
	pattern_match_result_free(&res);
}

void match_run_finish(const matcher *m, match_run *run, const match_opts *o)
{
	(void)o;
	/* a window matches as soon as it can, so what is left never will:
	 * release it (a long-running source calls this between batches) */
	for (size_t g = 0; g < m->n_gen; g++)
		while (run->win[g].n)
			window_drop(&run->win[g], run->win[g].n - 1);
}
