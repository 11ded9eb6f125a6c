/*
 * graph_util.c — building and freeing a wg_graph, printing facts, the
 * derivability pass used by metrics and hardening, and Graphviz output.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/graph_int.h"

/* The attacker facts the engine itself needs (documented vocabulary). */
static int need_pred(wg_graph *g, const char *name, int arity, cc_err *e)
{
	int p = wg_rules_pred(g->rules, name);

	if (p == WG_NONE)
		return WG_NONE;
	if (g->rules->arity[p] != arity)
		return cc_err_set(e, CC_ERR, "rules: %s must take %d argument%s",
				  name, arity, arity == 1 ? "" : "s"), -2;
	return p;
}

wg_graph *wg_graph_build(const wg_model *m, const wg_rules *r,
			 const wg_adversary *a, cc_err *e)
{
	wg_graph *g = cc_xcalloc(1, sizeof(*g));
	wg_graph_priv *p;

	g->model = m;
	g->rules = r;
	g->adv = a;
	g->start = WG_NONE;
	g->priv = p = cc_xcalloc(1, sizeof(*p));
	p->pred_first = cc_xcalloc(r->npreds + 1, sizeof(int));
	for (size_t i = 0; i <= r->npreds; i++)
		p->pred_first[i] = INT_MAX;
	p->p_user = need_pred(g, "user", 1, e);
	p->p_root = need_pred(g, "root", 1, e);
	p->p_inzone = need_pred(g, "inzone", 1, e);
	p->p_compromised = need_pred(g, "compromised", 1, e);
	if (p->p_user == -2 || p->p_root == -2 || p->p_inzone == -2 ||
	    p->p_compromised == -2)
		goto out_fail;
	if (p->p_inzone == WG_NONE || p->p_compromised == WG_NONE) {
		cc_err_set(e, CC_ERR, "rules: no rule derives %s",
			   p->p_inzone == WG_NONE ? "inzone(Z)" : "compromised(J)");
		goto out_fail;
	}
	if (wg_graph_base(g, e) || wg_graph_eval(g, e))
		goto out_fail;
	return g;
out_fail:
	wg_graph_free(g);
	return NULL;
}

void wg_graph_free(wg_graph *g)
{
	wg_graph_priv *p;

	if (!g)
		return;
	p = g->priv;
	if (p) {
		for (size_t i = 0; i < p->nsyms; i++)
			free(p->syms[i]);
		free(p->syms);
		wg_strmap_free(&p->symmap);
		CC_FREE_ALL(p->ftab, p->ftag, p->ikeys, p->ihead, p->itail, p->inext,
			    p->sym_host, p->host_plat, p->sym_person, p->sym_expl, p->sym_cvss,
			    p->flow_sym,
			    p->crules, p->trig_off, p->trig, p->pred_first, p);
	}
	CC_FREE_ALL(g->facts, g->insts, g->body, g->by_head_off, g->by_head, g->uses_off,
		    g->uses, g->goals, g);
}

void wg_graph_fact_str(const wg_graph *g, int fact, cc_buf *out)
{
	const wg_fact *f = &g->facts[fact];

	cc_buf_puts(out, g->rules->preds[f->pred]);
	if (!f->nargs)
		return;
	cc_buf_putc(out, '(');
	for (int i = 0; i < f->nargs; i++) {
		if (i)
			cc_buf_puts(out, ", ");
		cc_buf_puts(out, wg_graph_sym(g, f->args[i]));
	}
	cc_buf_putc(out, ')');
}

int wg_fact_find_str(const wg_graph *g, const char *pred, const char *const *args,
		     int nargs)
{
	int p = wg_rules_pred(g->rules, pred), syms[WG_MAX_ARITY];

	if (p == WG_NONE || nargs > WG_MAX_ARITY || g->rules->arity[p] != nargs)
		return WG_NONE;
	for (int i = 0; i < nargs; i++)
		if ((syms[i] = wg_strmap_get(&g->priv->symmap, args[i])) == WG_NONE)
			return WG_NONE;
	return wg_fact_lookup(g, p, nargs, syms);
}

int wg_graph_find(const wg_graph *g, const char *pred, const char *const *args,
		  int nargs)
{
	return wg_fact_find_str(g, pred, args, nargs);
}

const wg_rule *wg_graph_inst_rule(const wg_graph *g, int inst)
{
	int r = g->insts[inst].rule;

	return r < 0 ? NULL : &g->rules->rules[r];
}

void wg_graph_derivable(const wg_graph *g, const uint8_t *removed,
			const uint8_t *disabled, uint8_t *out)
{
	int *need = cc_xcalloc(g->ninsts, sizeof(int));
	int *queue = cc_xcalloc(g->nfacts, sizeof(int));
	size_t qh = 0, qt = 0;

	memset(out, 0, g->nfacts);
	for (size_t i = 0; i < g->ninsts; i++)
		need[i] = g->insts[i].nbody;
	for (size_t f = 0; f < g->nfacts; f++)
		if (g->facts[f].base && !(removed && removed[f])) {
			out[f] = 1;
			queue[qt++] = (int)f;
		}
	while (qh < qt) {
		int f = queue[qh++];

		for (uint32_t u = g->uses_off[f]; u < g->uses_off[f + 1]; u++) {
			int i = g->uses[u], h;

			if (--need[i] || (disabled && disabled[i]))
				continue;
			h = g->insts[i].head;
			if (out[h] || (removed && removed[h]))
				continue;
			out[h] = 1;
			queue[qt++] = h;
		}
	}
	free(need);
	free(queue);
}

/* Facts and instances that lead to some goal (backwards closure). */
void wg_graph_relevant(const wg_graph *g, uint8_t *fact_rel, uint8_t *inst_rel)
{
	int *stack = cc_xcalloc(g->nfacts, sizeof(int));
	size_t n = 0;

	memset(fact_rel, 0, g->nfacts);
	if (inst_rel)
		memset(inst_rel, 0, g->ninsts);
	for (size_t j = 0; j < g->ngoals; j++)
		if (g->goals[j].fact != WG_NONE && !fact_rel[g->goals[j].fact]) {
			fact_rel[g->goals[j].fact] = 1;
			stack[n++] = g->goals[j].fact;
		}
	while (n) {
		int f = stack[--n];

		for (uint32_t k = g->by_head_off[f]; k < g->by_head_off[f + 1]; k++) {
			const wg_inst *in = &g->insts[g->by_head[k]];

			if (inst_rel)
				inst_rel[g->by_head[k]] = 1;
			for (int b = 0; b < in->nbody; b++) {
				int x = g->body[in->body + (uint32_t)b];

				if (!fact_rel[x]) {
					fact_rel[x] = 1;
					stack[n++] = x;
				}
			}
		}
	}
	free(stack);
}

static void dot_str(cc_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			cc_buf_putc(out, '\\');
		cc_buf_putc(out, *s);
	}
}

void wg_graph_dot(const wg_graph *g, cc_buf *out)
{
	uint8_t *frel = cc_xcalloc(g->nfacts, 1), *irel = cc_xcalloc(g->ninsts, 1);
	cc_buf s = CC_BUF_INIT;

	wg_graph_relevant(g, frel, irel);
	cc_buf_puts(out, "digraph attack {\n  rankdir=LR;\n  node [fontsize=10];\n");
	for (size_t f = 0; f < g->nfacts; f++) {
		bool goal = g->facts[f].pred == g->priv->p_compromised;

		if (!frel[f] || g->facts[f].base)
			continue;
		cc_buf_reset(&s);
		wg_graph_fact_str(g, (int)f, &s);
		cc_buf_printf(out, "  f%zu [shape=ellipse%s,label=\"", f,
			      goal ? ",style=filled,fillcolor=\"#f4a0a0\"" : "");
		dot_str(out, cc_buf_str(&s));
		cc_buf_puts(out, "\"];\n");
	}
	for (size_t i = 0; i < g->ninsts; i++) {
		const wg_inst *in = &g->insts[i];
		const wg_rule *ru = wg_graph_inst_rule(g, (int)i);

		if (!irel[i] || !ru)
			continue;
		cc_buf_printf(out, "  i%zu [shape=box,label=\"", i);
		if (ru->technique)
			cc_buf_printf(out, "%s ", ru->technique);
		dot_str(out, ru->name);
		if (ru->technique)
			cc_buf_printf(out, "\\np=%.2f", in->p);
		cc_buf_puts(out, "\"];\n");
		cc_buf_printf(out, "  i%zu -> f%d;\n", i, in->head);
		for (int b = 0; b < in->nbody; b++) {
			int x = g->body[in->body + (uint32_t)b];

			if (!g->facts[x].base)
				cc_buf_printf(out, "  f%d -> i%zu;\n", x, i);
		}
	}
	cc_buf_puts(out, "}\n");
	cc_buf_free(&s);
	free(frel);
	free(irel);
}
