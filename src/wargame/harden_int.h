/*
 * harden_int.h — the hardening search state shared by harden.c and
 * harden_cut.c only.
 */
#ifndef CC_WARGAME_HARDEN_INT_H
#define CC_WARGAME_HARDEN_INT_H

#include "wargame/graph_int.h"

#define WG_EXACT_NODE_LIMIT 20000

typedef struct hctx {
	const wg_graph *g;
	wg_change *cands;       /* all candidates (cutting ones first) */
	size_t ncands, ncut;    /* ncut: the cutting ones */
	double *scost;          /* per candidate: the cost the searches use (a
				   change that is no ATT&CK mitigation weighs a
				   hair more, so ties go to mitigations) */
	int *cand_fact;         /* fact removed by cutting candidate c */
	int *fact_cand;         /* fact -> cutting candidate, or WG_NONE */
	uint8_t *removed, *out;
	uint8_t *goal_off;      /* per goal: left out of the cut (no change can
				   cut every path to it) */
	int *witness;           /* fact -> first instance deriving it */
	int *queue, *need;
	/* exact search */
	int *cur, *bestset;
	size_t ncur, nbest;
	double bestcost;
	long nodes;
} hctx;

/* Derivability under h->removed, recording witnesses; returns the value of
 * the jewels still derivable and one of their facts in *goal (WG_NONE
 * when none); *nderived (may be NULL) counts derivable facts. */
double wg_h_derive(hctx *h, int *goal, size_t *nderived);
/* The cutting candidates removing a leaf of goal's witness tree (call
 * after wg_h_derive); returns how many were written to out. */
size_t wg_h_hitting(hctx *h, int goal, int *out);
/* Cut by implicit hitting sets into h->bestset/nbest: 1 found (*exact
 * when it is a cheapest one), 0 no cut exists, -1 gave up. */
int wg_h_implicit(hctx *h, bool *exact);

#endif
