/*
 * sim_int.h — what sim*.c and exercise*.c share: the prepared simulation
 * (read-only, shared by all threads) and one campaign's state (one per
 * thread, reused from campaign to campaign).  Not part of the interface.
 *
 * A campaign holds a fact when it is "static" (a model fact, or derived
 * from model facts by builtin derivations alone) and not revoked, or when
 * the attacker acquired it.  Every change to per-campaign arrays is logged
 * in a touched list so resetting costs what the campaign touched, not the
 * size of the graph.
 */
#ifndef CC_WARGAME_SIM_INT_H
#define CC_WARGAME_SIM_INT_H

#include "wargame/sim.h"

/* What a campaign checks of an instance, packed for locality. */
typedef struct wg_cinst {
	int head;               /* fact derived */
	uint32_t body;          /* offset of its bodies in g->body */
	int nbody;
	uint32_t dbody;         /* offset of its non-static bodies in ctx->dbody */
	int ndbody;
	int host;               /* host it acts on, or WG_NONE */
	int hhost;              /* host of its head fact, or WG_NONE */
} wg_cinst;

/* Read-only preparation of a graph for campaigns. */
typedef struct wg_simctx {
	const wg_graph *g;
	const wg_model *m;
	uint8_t *stat;          /* fact: held at the start of every campaign */
	wg_cinst *ci;           /* inst: packed copy of what campaigns check */
	int *dbody;             /* the non-static bodies of every instance */
	uint8_t *autom;         /* inst: builtin derivation (instant, silent) */
	double *det;            /* inst: detection probability (intel applied) */
	double *score;          /* inst: policy cost to the nearest jewel
				   (INFINITY: leads to none) */
	float *score_g;         /* ngoals x ninsts: cost to each jewel */
	struct wg_qent *init;   /* the action heap at the start */
	size_t ninit;
	int *init_auto;         /* builtins with p < 1 possible at the start */
	size_t ninit_auto;
	int *goal_of;           /* fact -> goal index, or WG_NONE */
	size_t ngoals_reach;    /* goals with a fact */
	uint32_t *hf_off;       /* host -> non-base facts concerning it (CSR) */
	int *hf;
	uint32_t *af_off;       /* account -> non-base facts naming it (CSR) */
	int *af;
	uint32_t *ha_off;       /* host -> accounts reset when it is isolated */
	int *ha;
	int *fact_flow;         /* flow -> its flowok fact, or WG_NONE */
	int8_t *fkind;          /* fact -> WG_REACH_* it records, or -1 */
	int *fidx;              /* ... its host or account */
	double epsilon;         /* chance of a random (not cheapest) move */
	double response_h;      /* detection -> response delay, hours */
} wg_simctx;

/* Build / free the preparation.  intel may be NULL. */
wg_simctx *wg_simctx_new(const wg_graph *g, const wg_intel *intel, double epsilon);
void wg_simctx_free(wg_simctx *c);

/* A queued action and its policy key (cost to the nearest jewel that has
 * not fallen yet). */
typedef struct wg_qent {
	double key;
	int inst;
} wg_qent;

/* Fact states in a campaign. */
enum { FS_DEFAULT = 0, FS_HELD = 1, FS_REVOKED = 2 };
/* Instance states in a campaign. */
enum { IS_IDLE = 0, IS_QUEUED = 1, IS_FAILED = 2, IS_DONE = 3 };

/* A pending defender response. */
typedef struct wg_resp {
	double t;
	int host;
} wg_resp;

typedef struct wg_camp {
	const wg_simctx *c;
	uint8_t *fs;            /* fact state FS_* */
	uint8_t *hb;            /* fact held now (follows fs and stat) */
	int *via;               /* fact -> instance that gave it (FS_HELD) */
	uint8_t *is;            /* instance state IS_* */
	uint8_t *iso;           /* host isolated */
	int *tf, *ti;           /* touched facts / instances */
	size_t ntf, capf, nti, capi;
	wg_qent *heap;          /* queued actions, min-heap on (key, inst) */
	size_t nheap, capheap;
	size_t niso;            /* hosts isolated */
	size_t nstatrev;        /* static facts revoked (0: static bodies hold) */
	bool rekey;             /* a jewel fell: re-key the heap */
	int *work;              /* worklist of acquired facts, size nfacts */
	int *rwork;             /* revoked facts, size nfacts */
	wg_resp *resp;          /* pending responses, time order */
	size_t nresp, capresp;
	wg_rng rng;
	double t;               /* simulated hours */
	double *goal_t;         /* per goal: time it fell, or INFINITY */
	size_t goals_held;
} wg_camp;

void wg_camp_init(wg_camp *s, const wg_simctx *c);
void wg_camp_free(wg_camp *s);
/* Start a fresh campaign with rng stream (seed, index). */
void wg_camp_start(wg_camp *s, uint64_t seed, uint64_t index);
bool wg_camp_held(const wg_camp *s, int f);
/* Is instance i possible now (bodies held, head not held, not blocked)? */
bool wg_camp_valid(const wg_camp *s, int i);
/* The attacker's next action by the policy, removed from the queue, or
 * WG_NONE when it has none. */
int wg_camp_pick(wg_camp *s);
/* Outcome of an attempted action: on success the head is acquired (with
 * the builtin closure); state becomes IS_DONE / IS_FAILED. */
void wg_camp_finish(wg_camp *s, int i, bool success);
/* Put an action back (it became invalid before it finished). */
void wg_camp_idle(wg_camp *s, int i);
/* Revoke facts (and what was derived from them); returns how many facts
 * the attacker had won with its techniques were lost. */
size_t wg_camp_revoke(wg_camp *s, const int *facts, size_t n);
/* Take fact f (a model fact) away without revoking what was derived from
 * it: what the attacker already won stays won (patching a host does not
 * evict an attacker already on it); new derivations need f again. */
void wg_camp_remove(wg_camp *s, int f);
/* Isolate host h / reset account a; returns as wg_camp_revoke. */
size_t wg_camp_isolate(wg_camp *s, int h);
size_t wg_camp_reset_account(wg_camp *s, int a);
/* Does the attacker hold a fact about host h won by one of its
 * techniques (a foothold, rights, tools, data)? */
bool wg_camp_on_host(const wg_camp *s, int h);

/* One campaign's outcome, kept by campaign index. */
typedef struct wg_sim_rec {
	double first_det;       /* INFINITY: never detected */
	int end;                /* WG_END_* */
	int decisive;           /* host of the decisive response, or WG_NONE */
	uint32_t steps;
} wg_sim_rec;

/* What the workers count, summed over campaigns (integers, so the sum
 * does not depend on the order). */
typedef struct wg_sim_counts {
	uint64_t *att, *suc, *det;  /* per rule: attempts, successes, detections */
	uint64_t *taken;            /* per host: responses carried out */
	uint64_t *reach;            /* per WG_REACH_* x (hosts or accounts): campaigns
				       that held it; index kind * nmax + i */
	size_t nmax;                /* max(hosts, accounts) */
	uint32_t *iatt, *idet;      /* per instance: attempts, detections */
} wg_sim_counts;

/* Fill r (runs, horizon set) from the per-campaign records and the
 * counters (sim_stats.c); r takes iatt and idet (set to NULL in c). */
void wg_sim_aggregate(wg_sim_result *r, const wg_graph *g, const wg_sim_rec *recs,
		      const double *jt, wg_sim_counts *c);

#endif
