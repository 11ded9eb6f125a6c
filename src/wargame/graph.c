/*
 * graph.c — building the attack graph: base facts from the model, then a
 * semi-naive fixed point over the technique rules (docs/wargame-rules.md).
 *
 * Facts are interned (pred, args) tuples numbered in the order they are
 * found.  The fixed point processes facts in that order; a fact c is joined
 * against rule bodies with the rule atoms before its position matched only
 * by facts < c and those after it by facts <= c, so every rule instance is
 * found exactly once, when its last fact arrives — the worklist form of
 * semi-naive evaluation.  Joins use per-(pred, position, symbol) indexes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/graph_int.h"

/* ---- symbols ---- */

int wg_sym(wg_graph *g, const char *s)
{
	wg_graph_priv *p = g->priv;
	int id = wg_strmap_get(&p->symmap, s);

	if (id != WG_NONE)
		return id;
	if (p->nsyms == p->capsyms) {
		p->capsyms = p->capsyms ? p->capsyms * 2 : 256;
		p->syms = cc_xrealloc(p->syms, p->capsyms * sizeof(*p->syms));
	}
	id = (int)p->nsyms;
	wg_strmap_put(&p->symmap, s, id);
	p->syms[p->nsyms++] = cc_xstrdup(s);
	return id;
}

const char *wg_graph_sym(const wg_graph *g, int sym)
{
	if (sym < 0 || (size_t)sym >= g->priv->nsyms)
		return "?";
	return g->priv->syms[sym];
}

/* ---- fact table ---- */

static uint64_t fact_hash(int pred, int nargs, const int *args)
{
	uint64_t h = (uint64_t)pred * 0x9E3779B97F4A7C15ull;

	for (int i = 0; i < nargs; i++)
		h = (h ^ (uint64_t)(uint32_t)args[i]) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 31);
}

static bool fact_eq(const wg_fact *f, int pred, int nargs, const int *args)
{
	if (f->pred != pred || f->nargs != nargs)
		return false;
	for (int i = 0; i < nargs; i++)
		if (f->args[i] != args[i])
			return false;
	return true;
}

int wg_fact_lookup(const wg_graph *g, int pred, int nargs, const int *args)
{
	const wg_graph_priv *p = g->priv;
	uint64_t h;
	uint32_t tag;
	size_t i;

	if (!p->fcap)
		return WG_NONE;
	h = fact_hash(pred, nargs, args);
	tag = (uint32_t)(h >> 32);
	i = h & (p->fcap - 1);
	while (p->ftab[i] != WG_NONE) {
		if (p->ftag[i] == tag && fact_eq(&g->facts[p->ftab[i]], pred, nargs, args))
			return p->ftab[i];
		i = (i + 1) & (p->fcap - 1);
	}
	return WG_NONE;
}

/* Put fact f (hash h) in the table t/tags of capacity cap. */
static void ftab_put(int *t, uint32_t *tags, size_t cap, int f, uint64_t h)
{
	size_t i = h & (cap - 1);

	while (t[i] != WG_NONE)
		i = (i + 1) & (cap - 1);
	t[i] = f;
	tags[i] = (uint32_t)(h >> 32);
}

static void ftab_grow(wg_graph *g)
{
	wg_graph_priv *p = g->priv;
	size_t ncap = p->fcap ? p->fcap * 2 : 1024;
	int *nt = cc_xrealloc(NULL, ncap * sizeof(*nt));
	uint32_t *tags = cc_xrealloc(NULL, ncap * sizeof(*tags));

	for (size_t i = 0; i < ncap; i++)
		nt[i] = WG_NONE;
	for (size_t f = 0; f < g->nfacts; f++) {
		const wg_fact *x = &g->facts[f];

		ftab_put(nt, tags, ncap, (int)f, fact_hash(x->pred, x->nargs, x->args));
	}
	free(p->ftab);
	free(p->ftag);
	p->ftab = nt;
	p->ftag = tags;
	p->fcap = ncap;
}

/* ---- argument indexes: (pred, pos, sym) -> list of fact ids ---- */

static uint64_t ikey(int pred, int pos, int sym)
{
	return ((uint64_t)(uint32_t)pred << 36) | ((uint64_t)(uint32_t)pos << 32) |
	       (uint32_t)sym;
}

static size_t islot(const wg_graph_priv *p, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & (p->icap - 1);

	while (p->ikeys[i] != IKEY_EMPTY && p->ikeys[i] != key)
		i = (i + 1) & (p->icap - 1);
	return i;
}

static void itab_grow(wg_graph_priv *p)
{
	size_t ocap = p->icap, ncap = ocap ? ocap * 2 : 1024;
	uint64_t *ok = p->ikeys;
	int *oh = p->ihead, *ot = p->itail;

	p->icap = ncap;
	p->ikeys = cc_xrealloc(NULL, ncap * sizeof(*p->ikeys));
	p->ihead = cc_xrealloc(NULL, ncap * sizeof(*p->ihead));
	p->itail = cc_xrealloc(NULL, ncap * sizeof(*p->itail));
	for (size_t i = 0; i < ncap; i++)
		p->ikeys[i] = IKEY_EMPTY;
	for (size_t i = 0; i < ocap; i++) {
		size_t j;

		if (ok[i] == IKEY_EMPTY)
			continue;
		j = islot(p, ok[i]);
		p->ikeys[j] = ok[i];
		p->ihead[j] = oh[i];
		p->itail[j] = ot[i];
	}
	free(ok);
	free(oh);
	free(ot);
}

/* First fact id of the list (pred, pos, sym), or WG_NONE. */
int wg_index_first(const wg_graph *g, int pred, int pos, int sym)
{
	const wg_graph_priv *p = g->priv;
	size_t i;

	if (!p->icap)
		return WG_NONE;
	i = islot(p, ikey(pred, pos, sym));
	return p->ikeys[i] == IKEY_EMPTY ? WG_NONE : p->ihead[i];
}

static void index_add(wg_graph *g, int f, int pos, int sym)
{
	wg_graph_priv *p = g->priv;
	uint64_t key = ikey(g->facts[f].pred, pos, sym);
	size_t i;

	if ((p->in + 1) * 2 > p->icap)
		itab_grow(p);
	i = islot(p, key);
	p->inext[(size_t)f * IDX_SLOTS + (size_t)pos] = WG_NONE;
	if (p->ikeys[i] == IKEY_EMPTY) {
		p->ikeys[i] = key;
		p->ihead[i] = p->itail[i] = f;
		p->in++;
		return;
	}
	p->inext[(size_t)p->itail[i] * IDX_SLOTS + (size_t)pos] = f;
	p->itail[i] = f;
}

/* Intern a fact; *added tells whether it is new.  Returns its id. */
int wg_fact_add(wg_graph *g, int pred, int nargs, const int *args, bool base,
		bool *added)
{
	wg_graph_priv *p = g->priv;
	wg_fact *f;
	int id = wg_fact_lookup(g, pred, nargs, args);
	*added = false;
	if (id != WG_NONE)
		return id;
	if ((g->nfacts + 1) * 2 > p->fcap)
		ftab_grow(g);
	if (g->nfacts == p->capfacts) {
		p->capfacts = p->capfacts ? p->capfacts * 2 : 1024;
		g->facts = cc_xrealloc(g->facts, p->capfacts * sizeof(*g->facts));
		p->inext = cc_xrealloc(p->inext, p->capfacts * IDX_SLOTS * sizeof(*p->inext));
	}
	id = (int)g->nfacts++;
	f = &g->facts[id];
	memset(f, 0, sizeof(*f));
	f->pred = pred;
	f->nargs = nargs;
	f->base = base;
	f->host = WG_NONE;
	for (int k = 0; k < nargs; k++) {
		f->args[k] = args[k];
		if (f->host == WG_NONE && (size_t)args[k] < p->nsym_host)
			f->host = p->sym_host[args[k]];
	}
	ftab_put(p->ftab, p->ftag, p->fcap, id, fact_hash(pred, nargs, args));
	if (p->pred_first && p->pred_first[pred] > id)
		p->pred_first[pred] = id;
	for (int k = 0; k < nargs; k++)
		index_add(g, id, k, args[k]);
	index_add(g, id, IDX_ALL, 0);
	*added = true;
	return id;
}

/* ---- instances ---- */

int wg_inst_add(wg_graph *g, int rule, int head, const int *body, int nbody)
{
	wg_graph_priv *p = g->priv;
	wg_inst *in;

	if (g->ninsts == p->capinsts) {
		p->capinsts = p->capinsts ? p->capinsts * 2 : 1024;
		g->insts = cc_xrealloc(g->insts, p->capinsts * sizeof(*g->insts));
	}
	while (g->nbody + (size_t)nbody > p->capbody) {
		p->capbody = p->capbody ? p->capbody * 2 : 4096;
		g->body = cc_xrealloc(g->body, p->capbody * sizeof(*g->body));
	}
	in = &g->insts[g->ninsts];
	memset(in, 0, sizeof(*in));
	in->rule = rule;
	in->head = head;
	in->body = (uint32_t)g->nbody;
	in->nbody = nbody;
	in->p = 1;
	in->host = WG_NONE;
	memcpy(g->body + g->nbody, body, (size_t)nbody * sizeof(*body));
	g->nbody += (size_t)nbody;
	return (int)g->ninsts++;
}
