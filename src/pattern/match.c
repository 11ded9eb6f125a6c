/*
 * match.c — whole-pattern evaluation over a set of observations.
 *
 * Semantics of the reference matcher: an observed-data with
 * number_observed N stands for N observations (instances) with the same
 * objects and times; a binding assigns an instance to each observation
 * expression leaf it needs, never the same instance twice (AND,
 * FOLLOWEDBY, REPEATS); OR binds one side only.  Time tests use the
 * intervals [first_observed, last_observed]:
 *   FOLLOWEDBY  latest first_observed on the left <= earliest
 *               last_observed on the right;
 *   WITHIN d    max(first_observed) - min(last_observed) <= d;
 *   START s STOP t   every observation has first_observed < t and
 *               last_observed >= s.
 *
 * The search is a depth-first backtracking over bindings written in
 * continuation-passing style.  Time constraints are checked as each leaf
 * is bound (they are monotone, so a violated partial binding is pruned),
 * REPEATS enumerates its repetitions in a canonical order, and a step
 * budget bounds pathological inputs.
 */
#include <stdlib.h>
#include <string.h>

#include "pattern/pattern_int.h"
#include "util/xalloc.h"

#define STEP_BUDGET 20000000LL
#define MAX_BOUND 2000          /* leaves bound at once (recursion depth) */

typedef enum cons_kind { CONS_WITHIN, CONS_STARTSTOP, CONS_AFTER } cons_kind;

/* A time constraint on leaves bound while it is active. */
typedef struct cons {
	cons_kind kind;
	bool active;
	size_t from;            /* WITHIN: first stack slot it covers */
	int64_t a, b;           /* WITHIN: a = d; STARTSTOP: [a, b); AFTER: a */
} cons;

typedef struct bound {
	size_t leaf, obs;
} bound;

typedef struct search {
	const pattern_observation *obs;
	size_t n;
	int64_t *used;                  /* instances of each observation bound */
	const pattern_oexpr **leaves;   /* OBS leaves in tree order */
	size_t n_leaves;
	size_t **hits;                  /* per leaf: matching observations */
	size_t *n_hits;
	bound *stack;
	size_t top;
	cons *cons;
	size_t n_cons;
	long long steps;
	bool exhausted;
	bound *found;                   /* the first full binding */
	size_t n_found;
} search;

struct cont;
typedef bool (*cont_fn)(search *s, const struct cont *k);

typedef struct cont {
	cont_fn fn;
	const pattern_oexpr *oe;
	const struct cont *next;
	size_t ci;              /* constraint to switch off while next runs */
	size_t pos, prev_pos, prev_end;
	int64_t rep;
} cont;

static bool solve(search *s, const pattern_oexpr *oe, const cont *k);

static size_t leaf_index(const search *s, const pattern_oexpr *oe)
{
	for (size_t i = 0; i < s->n_leaves; i++)
		if (s->leaves[i] == oe)
			return i;
	return 0;
}

static bool cons_ok(const search *s, size_t oi)
{
	const pattern_observation *o = &s->obs[oi];

	for (size_t c = 0; c < s->n_cons; c++) {
		const cons *k = &s->cons[c];

		if (!k->active)
			continue;
		if (k->kind == CONS_STARTSTOP) {
			if (!(o->first_us < k->b && o->last_us >= k->a))
				return false;
		} else if (k->kind == CONS_AFTER) {
			if (o->last_us < k->a)
				return false;
		} else {
			int64_t maxf = o->first_us, minl = o->last_us;

			for (size_t i = k->from; i < s->top; i++) {
				const pattern_observation *p = &s->obs[s->stack[i].obs];

				if (p->first_us > maxf)
					maxf = p->first_us;
				if (p->last_us < minl)
					minl = p->last_us;
			}
			if (maxf - minl > k->a)
				return false;
		}
	}
	return true;
}

/* Push a constraint; returns its index (the array may move). */
static size_t cons_push(search *s, cons_kind kind, size_t from, int64_t a, int64_t b)
{
	cons *c;

	s->cons = cc_xrealloc(s->cons, (s->n_cons + 1) * sizeof(*s->cons));
	c = &s->cons[s->n_cons++];
	c->kind = kind;
	c->active = true;
	c->from = from;
	c->a = a;
	c->b = b;
	return s->n_cons - 1;
}

static bool solve_leaf(search *s, const pattern_oexpr *oe, const cont *k)
{
	size_t li = leaf_index(s, oe);

	for (size_t h = 0; h < s->n_hits[li]; h++) {
		size_t oi = s->hits[li][h];
		bool r;

		if (++s->steps > STEP_BUDGET || s->top >= MAX_BOUND) {
			s->exhausted = true;
			return false;
		}
		if (s->used[oi] >= s->obs[oi].count || !cons_ok(s, oi))
			continue;
		s->used[oi]++;
		s->stack[s->top++] = (bound){ li, oi };
		r = k->fn(s, k);
		s->top--;
		s->used[oi]--;
		if (r || s->exhausted)
			return r;
	}
	return false;
}

static bool k_solve_next(search *s, const cont *k)
{
	return solve(s, k->oe, k->next);
}

/* Leave a qualifier's scope: its constraint must not apply to leaves the
 * continuation binds. */
static bool k_release(search *s, const cont *k)
{
	bool r;

	s->cons[k->ci].active = false;
	r = k->next->fn(s, k->next);
	s->cons[k->ci].active = true;
	return r;
}

/* FOLLOWEDBY: the left side is bound in [pos, top); now the right. */
static bool k_followed(search *s, const cont *k)
{
	int64_t maxf = INT64_MIN;
	cont k2;
	bool r;

	for (size_t i = k->pos; i < s->top; i++)
		if (s->obs[s->stack[i].obs].first_us > maxf)
			maxf = s->obs[s->stack[i].obs].first_us;
	k2 = (cont){ .fn = k_release, .next = k->next };
	k2.ci = cons_push(s, CONS_AFTER, 0, maxf, 0);
	r = solve(s, k->oe->right, &k2);
	s->n_cons--;
	return r;
}

static int seg_cmp(const search *s, size_t a0, size_t a1, size_t b0, size_t b1)
{
	for (; a0 < a1 && b0 < b1; a0++, b0++) {
		if (s->stack[a0].obs != s->stack[b0].obs)
			return s->stack[a0].obs < s->stack[b0].obs ? -1 : 1;
		if (s->stack[a0].leaf != s->stack[b0].leaf)
			return s->stack[a0].leaf < s->stack[b0].leaf ? -1 : 1;
	}
	return (a1 - a0 > 0) - (b1 - b0 > 0);
}

/* REPEATS: repetition k->rep is bound in [pos, top). */
static bool k_repeat(search *s, const cont *k)
{
	cont k2;

	if (k->rep > 0 && seg_cmp(s, k->pos, s->top, k->prev_pos, k->prev_end) < 0)
		return false;   /* not in canonical order: seen another way */
	if (k->rep + 1 == k->oe->repeats)
		return k->next->fn(s, k->next);
	k2 = *k;
	k2.rep = k->rep + 1;
	k2.prev_pos = k->pos;
	k2.prev_end = s->top;
	k2.pos = s->top;
	return solve(s, k->oe->kid, &k2);
}

/* WITHIN / START-STOP: constrain the leaves the kid binds. */
static bool solve_qualified(search *s, const pattern_oexpr *oe, const cont *k)
{
	cont k1 = { .fn = k_release, .next = k };
	bool r;

	if (oe->kind == PATTERN_OE_WITHIN)
		k1.ci = cons_push(s, CONS_WITHIN, s->top,
				  (int64_t)(oe->within_s * 1e6 + 0.5), 0);
	else
		k1.ci = cons_push(s, CONS_STARTSTOP, 0, oe->start_us, oe->stop_us);
	r = solve(s, oe->kid, &k1);
	s->n_cons--;
	return r;
}

static bool solve(search *s, const pattern_oexpr *oe, const cont *k)
{
	cont k1;

	switch (oe->kind) {
	case PATTERN_OE_OBS:
		return solve_leaf(s, oe, k);
	case PATTERN_OE_AND:
		k1 = (cont){ .fn = k_solve_next, .oe = oe->right, .next = k };
		return solve(s, oe->left, &k1);
	case PATTERN_OE_OR:
		return solve(s, oe->left, k) || (!s->exhausted && solve(s, oe->right, k));
	case PATTERN_OE_FOLLOWEDBY:
		k1 = (cont){ .fn = k_followed, .oe = oe, .next = k, .pos = s->top };
		return solve(s, oe->left, &k1);
	case PATTERN_OE_REPEATS:
		k1 = (cont){ .fn = k_repeat, .oe = oe, .next = k, .pos = s->top };
		return solve(s, oe->kid, &k1);
	case PATTERN_OE_WITHIN:
	case PATTERN_OE_STARTSTOP:
		return solve_qualified(s, oe, k);
	}
	return false;
}

static bool k_done(search *s, const cont *k)
{
	(void)k;
	s->found = cc_xmalloc((s->top + 1) * sizeof(*s->found));
	memcpy(s->found, s->stack, s->top * sizeof(*s->found));
	s->n_found = s->top;
	return true;
}

static void collect_leaves(search *s, const pattern_oexpr *oe)
{
	if (oe->kind == PATTERN_OE_OBS) {
		s->leaves[s->n_leaves++] = oe;
		return;
	}
	if (oe->left)
		collect_leaves(s, oe->left);
	if (oe->right)
		collect_leaves(s, oe->right);
	if (oe->kid)
		collect_leaves(s, oe->kid);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* Fill res from the binding found. */
static void fill_result(const search *s, pattern_match_result *res)
{
	res->matched = true;
	res->obs = cc_xmalloc((s->n_found + 1) * sizeof(*res->obs));
	for (size_t i = 0; i < s->n_found; i++)
		res->obs[i] = s->found[i].obs;
	qsort(res->obs, s->n_found, sizeof(*res->obs), cmp_size);
	for (size_t i = 0; i < s->n_found; i++)
		if (!res->n_obs || res->obs[res->n_obs - 1] != res->obs[i])
			res->obs[res->n_obs++] = res->obs[i];
	res->bindings = json_array();
	for (size_t i = 0; i < res->n_obs; i++) {
		const pattern_observation *o = &s->obs[res->obs[i]];
		json_t *b = json_object(), *objs = json_object();

		for (size_t j = 0; j < s->n_found; j++) {
			json_t *roots;

			if (s->found[j].obs != res->obs[i])
				continue;
			roots = pattern_cexpr_roots_json(s->leaves[s->found[j].leaf]->ce,
							 o->objects);
			json_object_update(objs, roots);
			json_decref(roots);
		}
		json_object_set_new(b, "observed_data", o->id ? json_string(o->id) : json_null());
		json_object_set_new(b, "objects", objs);
		json_array_append_new(res->bindings, b);
	}
}

int pattern_match_observations(const pattern *p,
			       const pattern_observation *obs, size_t n,
			       pattern_match_result *res, cc_err *e)
{
	search s;
	cont done = { .fn = k_done };
	int rc = 0;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.obs = obs;
	s.n = n;
	s.used = cc_xcalloc(n + 1, sizeof(*s.used));
	s.leaves = cc_xcalloc(p->n_obs + 1, sizeof(*s.leaves));
	s.hits = cc_xcalloc(p->n_obs + 1, sizeof(*s.hits));
	s.n_hits = cc_xcalloc(p->n_obs + 1, sizeof(*s.n_hits));
	s.stack = cc_xcalloc(MAX_BOUND + 1, sizeof(*s.stack));
	collect_leaves(&s, p->root);
	for (size_t l = 0; l < s.n_leaves; l++) {
		s.hits[l] = cc_xcalloc(n + 1, sizeof(**s.hits));
		for (size_t i = 0; i < n; i++)
			if (pattern_cexpr_eval(s.leaves[l]->ce, obs[i].objects, NULL, NULL))
				s.hits[l][s.n_hits[l]++] = i;
	}
	if (solve(&s, p->root, &done))
		fill_result(&s, res);
	else if (s.exhausted)
		rc = cc_err_set(e, CC_ERR, "pattern: evaluation gave up (too many possible bindings or REPEATS too large)");
	for (size_t l = 0; l < s.n_leaves; l++)
		free(s.hits[l]);
	free(s.hits);
	free(s.n_hits);
	free(s.leaves);
	free(s.used);
	free(s.stack);
	free(s.cons);
	free(s.found);
	return rc;
}

int pattern_match_scos(const pattern *p, json_t *const *observed_data,
		       size_t n, json_t *scos, pattern_match_result *res,
		       cc_err *e)
{
	pattern_observation *obs = cc_xcalloc(n + 1, sizeof(*obs));
	size_t built = 0;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	for (; built < n; built++) {
		rc = pattern_observation_init(&obs[built], observed_data[built], scos, e);
		if (rc)
			goto out;
	}
	rc = pattern_match_observations(p, obs, n, res, e);
out:
	for (size_t i = 0; i < built; i++)
		pattern_observation_clear(&obs[i]);
	free(obs);
	return rc;
}

int pattern_match(const pattern *p, json_t *const *observed_data, size_t n,
		  pattern_match_result *res, cc_err *e)
{
	return pattern_match_scos(p, observed_data, n, NULL, res, e);
}

void pattern_match_result_free(pattern_match_result *res)
{
	if (!res)
		return;
	free(res->obs);
	json_decref(res->bindings);
	memset(res, 0, sizeof(*res));
}
