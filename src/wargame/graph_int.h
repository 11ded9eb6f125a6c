/*
 * graph_int.h — the private state of a wg_graph, shared by graph*.c,
 * metrics.c and harden.c only.
 */
#ifndef CC_WARGAME_GRAPH_INT_H
#define CC_WARGAME_GRAPH_INT_H

#include "wargame/wargame_int.h"

#define IDX_SLOTS (WG_MAX_ARITY + 1)    /* one list per argument + "all" */
#define IDX_ALL WG_MAX_ARITY
#define IKEY_EMPTY UINT64_MAX

/* A rule compiled against the graph's symbols. Terms: >= 0 a variable,
 * < 0 the constant symbol -(t+1). */
typedef struct wg_crule {
	int rule;                               /* index into rules->rules */
	int nbody;
	int head_terms[WG_MAX_ARITY];
	int body_terms[WG_MAX_BODY][WG_MAX_ARITY];
	int plan[WG_MAX_BODY][WG_MAX_BODY];     /* join order per delta atom */
} wg_crule;

typedef struct wg_graph_priv {
	wg_strmap symmap;       /* string -> symbol id */
	char **syms;            /* symbol id -> string */
	size_t nsyms, capsyms;
	int *ftab;              /* fact hash table (fact ids, WG_NONE empty) */
	uint32_t *ftag;         /* high hash bits of each slot, to skip compares */
	size_t fcap, capfacts;
	uint64_t *ikeys;        /* index table: key -> list head/tail */
	int *ihead, *itail;
	size_t icap, in;
	int *inext;             /* next fact id per (fact, slot) */
	size_t capinsts, capbody;
	int *sym_host;          /* symbol -> host index (or WG_NONE) */
	unsigned *host_plat;    /* host -> its WG_PLAT_* bits (wg_os_platforms) */
	size_t nsym_host;
	int *sym_person;        /* symbol -> person index */
	double *sym_expl;       /* symbol -> CVE exploitability (< 0: none) */
	double *sym_cvss;
	size_t nsym_ent;        /* size of sym_person / sym_expl / sym_cvss */
	int *flow_sym;          /* flow index -> its symbol */
	wg_crule *crules;
	size_t ncrules;
	int *trig_off, *trig;   /* per pred: (crule, body pos) pairs */
	int *pred_first;        /* per predicate: its first fact id, or INT_MAX */
	int p_user, p_root, p_inzone, p_compromised;
} wg_graph_priv;

int wg_sym(wg_graph *g, const char *s);
int wg_fact_lookup(const wg_graph *g, int pred, int nargs, const int *args);
int wg_fact_add(wg_graph *g, int pred, int nargs, const int *args, bool base,
		bool *added);
int wg_index_first(const wg_graph *g, int pred, int pos, int sym);
int wg_inst_add(wg_graph *g, int rule, int head, const int *body, int nbody);

/* Fill the base facts and flow instances from the model (graph_base.c). */
int wg_graph_base(wg_graph *g, cc_err *e);
/* Run the fixed point (graph_eval.c). */
int wg_graph_eval(wg_graph *g, cc_err *e);
/* Fact id of pred(args) with args given as strings, or WG_NONE. */
int wg_fact_find_str(const wg_graph *g, const char *pred, const char *const *args,
		     int nargs);
/* fact_rel[f] / inst_rel[i] = 1 when they lead to some goal (inst_rel may
 * be NULL). */
void wg_graph_relevant(const wg_graph *g, uint8_t *fact_rel, uint8_t *inst_rel);
/* Internal metric: derivation tree size (every instance weighs 1). */
#define WG_M_SIZE ((wg_metric)3)

/* Knuth's best-derivation search under metric m (metrics.c): cost[f] and
 * the instance best[f] achieving it; order (may be NULL) receives the
 * facts in finalisation order, *norder their number. */
void wg_knuth(const wg_graph *g, wg_metric m, const uint8_t *removed,
	      const double *pmul, double *cost, int *best, int *order, size_t *norder);
/* The best tree of fact under best[] as a path, taking an instance whose
 * body the path already achieved when it is no worse than best (cost: the
 * search's costs under metric m). */
void wg_path_from_m(const wg_graph *g, wg_metric m, const double *cost,
		    const int *best, int fact, wg_path *out);

#endif
