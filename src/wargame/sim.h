/*
 * sim.h — the moving parts of a war game on top of an attack graph
 * (wargame.h): Monte Carlo campaigns of attacker against defender, the
 * value of the cell's shared intelligence, the turn-based exercise, and the
 * reports (JSON, HTML, STIX course-of-action bundle).
 *
 * It never touches a real network: campaigns run over the wg_graph derived
 * from the user's model.  The simulation model is documented in
 * docs/commands/wargame-run.md, the exercise protocol in docs/exercise.md.
 *
 * Ownership: `_new`/`_run`/`_load`/`_from_store` return objects the caller
 * releases with the matching `_free` (NULL accepted).  Results and games
 * borrow the wg_graph (and through it the model, rules and adversary) they
 * were made from; it must outlive them.  Strings inside structs belong to
 * their struct.  Results are deterministic: the same graph, options and
 * seed give byte-identical output whatever the thread count.
 */
#ifndef CC_WARGAME_SIM_H
#define CC_WARGAME_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "wargame/wargame.h"

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */
/* ------------------------------------------------------------------ */

/* xoshiro256** seeded through splitmix64 from (seed, stream): every
 * campaign gets its own stream, so results do not depend on scheduling. */
typedef struct wg_rng {
	uint64_t s[4];
} wg_rng;

void wg_rng_seed(wg_rng *r, uint64_t seed, uint64_t stream);
uint64_t wg_rng_next(wg_rng *r);
/* Uniform in [0, 1). */
double wg_rng_unit(wg_rng *r);
/* Uniform integer in [0, n); n > 0. */
size_t wg_rng_below(wg_rng *r, size_t n);
/* A draw (hours, >= 0) from a rule's time distribution. */
double wg_dist_sample(const wg_dist *d, wg_rng *r);

/* ------------------------------------------------------------------ */
/* Shared intelligence (--with-intel)                                  */
/* ------------------------------------------------------------------ */

enum {
	WG_INTEL_TTP = 1u << 0,         /* the technique is described (attack-
					   pattern / `uses`) in the collection */
	WG_INTEL_IOC = 1u << 1,         /* an indicator `indicates` it */
};

/* Per-technique knowledge the cell shared in one collection. */
typedef struct wg_intel {
	char *collection;       /* its name */
	char **techniques;      /* ATT&CK ids */
	unsigned *flags;        /* WG_INTEL_* per technique */
	size_t n;
	size_t nindicators;     /* indicators in the collection about the
				   adversary or its techniques */
	bool adversary_iocs;    /* some indicator `indicates` the adversary
				   itself (infrastructure, malware) */
} wg_intel;

wg_intel *wg_intel_new(const char *collection);
/* Record flags for technique (ORed with what is there). */
void wg_intel_add(wg_intel *in, const char *technique, unsigned flags);
/* The flags known for technique (a parent id covers sub-techniques and
 * the other way round, as wg_adversary_uses does); 0 when none. */
unsigned wg_intel_flags(const wg_intel *in, const char *technique);
/* Detection probability d of an action of technique on a host with
 * telemetry (EDR or SOC monitoring), raised by the intel; d unchanged
 * without telemetry or intel.  The model: d' = 1 - (1 - d)(1 - b) with
 * b = 1 - (1 - 0.30 [TTP])(1 - 0.50 [IOC])(1 - 0.10 [adversary IOCs]). */
double wg_intel_detect(const wg_intel *in, const char *technique, double d,
		       bool telemetry);
/* Read the collection: attack-patterns (ATT&CK external ids), `uses`
 * relationships of the adversary (a->id, or an intrusion-set or
 * threat-actor of the collection with its name), and indicators with
 * `indicates` relationships.  Objects created by MITRE (ATT&CK itself,
 * WG_MITRE_IDENTITY) are public knowledge, never shared intelligence, and
 * are skipped.  Only the techniques the adversary uses are kept.
 * CC_ENOTFOUND: no collection. */
int wg_intel_from_store(store *s, const char *collection, const wg_adversary *a,
			wg_intel **out, cc_err *e);
/* The identity that creates ATT&CK's objects (created_by_ref). */
#define WG_MITRE_IDENTITY "identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5"
void wg_intel_free(wg_intel *in);

/* ------------------------------------------------------------------ */
/* The adversary from the store (--adversary NAME)                     */
/* ------------------------------------------------------------------ */

/* Look an adversary up: an intrusion-set, else a threat-actor, else a
 * campaign whose name or an alias is name (any case); failing that, one
 * whose name contains name; the first type with a match decides.  *id and
 * *found (its name; found may be NULL) are the caller's to free.
 * CC_ENOTFOUND when nothing matches, CC_ERR (naming the candidates) when
 * several do. */
int wg_adversary_lookup(store *s, const char *name, char **id, char **found,
			cc_err *e);
/* How an adversary's techniques are read: uses(ud, id, type, fn, fn_ud, e)
 * calls fn for the latest live version of each object of type that id
 * `uses` (through relationships the reader may see). */
typedef struct wg_reader {
	int (*uses)(void *ud, const char *id, const char *type, store_row_fn fn, void *fn_ud,
		    cc_err *e);
	void *ud;
} wg_reader;
/* The techniques of adversary a (a->id set) through rd: the ATT&CK ids
 * of the attack-patterns it `uses`, and with software those of the
 * malware and tools it `uses` (their names go to a->software); sorted.
 * The one way a war game gathers them: wg_adversary_from_store reads as
 * the hub, the web interface as the member. */
int wg_adversary_gather(const wg_reader *rd, wg_adversary *a, bool software, cc_err *e);
/* The adversary named name (wg_adversary_lookup) and its techniques: the
 * ATT&CK ids of the attack-patterns it `uses`, and with software those of
 * the malware and tools it `uses` (their names go to a->software).
 * Revoked and deprecated objects are skipped; techniques are sorted;
 * a->id is set.  CC_ERR when it uses no technique. */
int wg_adversary_from_store(store *s, const char *name, bool software,
			    wg_adversary **out, cc_err *e);
/* The hub's ATT&CK mitigations (course-of-action objects with the ids of
 * wg_mitigation_table) and the techniques they `mitigates`.  *out is NULL
 * (and 0 returned) when the hub has none of them.  Free with
 * wg_mitigations_free. */
int wg_mitigations_from_store(store *s, wg_mitigations **out, cc_err *e);
/* The id of the latest attack-pattern whose ATT&CK external id is
 * technique, or NULL (caller frees). */
char *wg_store_attack_pattern_id(store *s, const char *technique);

/* ------------------------------------------------------------------ */
/* Monte Carlo                                                         */
/* ------------------------------------------------------------------ */

#define WG_SIM_HIST_BINS 30

typedef struct wg_sim_opts {
	size_t runs;            /* campaigns (0: 1000) */
	uint64_t seed;
	int threads;            /* worker threads (<= 0: 1) */
	double horizon_hours;   /* campaign length (<= 0: 30 days) */
	double epsilon;         /* policy randomness 0..1 (< 0: 0.2) */
	const wg_intel *intel;  /* NULL: no shared intelligence */
	/* Called now and then from one worker with campaigns done so far. */
	void (*progress)(size_t done, size_t total, void *ud);
	void *progress_ud;
} wg_sim_opts;

/* Quantiles of a sample (hours); all 0 when n == 0. */
typedef struct wg_sim_dist {
	size_t n;               /* campaigns it covers */
	double mean, median, p90, lo95, hi95;   /* lo95/hi95: 2.5 % / 97.5 % */
} wg_sim_dist;

typedef struct wg_sim_jewel {
	int jewel;              /* index into model->jewels */
	size_t compromised;     /* campaigns in which it fell in time */
	double p;               /* compromised / runs */
	double p_lo, p_hi;      /* Wilson 95 % interval of p */
	wg_sim_dist ttc;        /* time to compromise of those campaigns */
	uint32_t hist[WG_SIM_HIST_BINS];   /* ttc histogram over the horizon */
} wg_sim_jewel;

/* Detection statistics of one ATT&CK technique over all campaigns. */
typedef struct wg_sim_tech {
	char *technique;        /* ATT&CK id */
	char *name;
	char *tactic;
	size_t attempts;        /* actions the attacker finished */
	size_t successes;
	size_t detections;
} wg_sim_tech;

/* One defender response: isolate a host and reset the credentials that
 * were cached on it or log on to it. */
typedef struct wg_sim_action {
	int host;               /* index into model->hosts */
	char *label;            /* "isolate ws-01, reset its credentials" */
	size_t taken;           /* campaigns in which it was carried out */
	size_t decisive;        /* campaigns it ended: the last response
				   before the attacker ran out of moves */
} wg_sim_action;

enum {
	WG_END_ALL_JEWELS = 0,  /* every reachable jewel fell */
	WG_END_CONTAINED,       /* out of moves after a defender response */
	WG_END_EXHAUSTED,       /* out of moves without any response */
	WG_END_HORIZON,         /* time ran out */
	WG_END_COUNT
};

/* How far the attacker got: a privilege on a host or an account's
 * credentials, and in how many campaigns it held it at some time. */
typedef enum wg_reach_kind {
	WG_REACH_ROOT = 0,      /* administrator rights on host */
	WG_REACH_USER,          /* a foothold (user rights) on host */
	WG_REACH_CRED,          /* the credentials of account */
} wg_reach_kind;

typedef struct wg_sim_reach {
	wg_reach_kind kind;
	int index;              /* model host (ROOT, USER) or account (CRED) */
	size_t campaigns;       /* campaigns in which it was held */
	double p;               /* campaigns / runs */
} wg_sim_reach;

typedef struct wg_sim_result {
	size_t runs;
	uint64_t seed;
	int threads;
	double horizon_hours;
	double epsilon;
	bool with_intel;
	wg_sim_jewel *jewels;   /* one per model jewel */
	size_t njewels;
	size_t any_compromised; /* campaigns in which some jewel fell */
	double p_any, p_any_lo, p_any_hi;
	wg_sim_dist ttc_any;    /* time to the first jewel */
	uint32_t hist_any[WG_SIM_HIST_BINS];
	size_t detected;        /* campaigns with at least one detection */
	wg_sim_dist ttd;        /* time to first detection */
	size_t ends[WG_END_COUNT];
	wg_sim_tech *techs;     /* by technique id */
	size_t ntechs;
	wg_sim_action *actions; /* responses taken, most decisive first */
	size_t nactions;
	double mean_steps;      /* attacker actions per campaign */
	wg_sim_reach *furthest; /* how far it got, most likely first (p > 0) */
	size_t nfurthest;
	uint8_t *camp_any;      /* per campaign: some jewel fell (0/1) */
	uint8_t *camp_det;      /* per campaign: the defenders saw something */
	uint32_t *inst_att;     /* per graph instance: attempts over all campaigns */
	uint32_t *inst_det;     /* ... and detections */
	size_t ninsts;
} wg_sim_result;

/* A paired difference between two runs over the same campaigns (same
 * seed and runs: common random numbers): mean of a's outcome minus b's,
 * and its 95 % interval (normal approximation of the paired
 * differences). */
typedef struct wg_sim_diff {
	double d, lo, hi;
} wg_sim_diff;

enum { WG_PAIR_ANY_JEWEL = 0, WG_PAIR_DETECTED };
/* what: WG_PAIR_*.  CC_EUSAGE when the runs differ in seed or size. */
int wg_sim_paired(const wg_sim_result *a, const wg_sim_result *b, int what,
		  wg_sim_diff *out, cc_err *e);

/* Run o->runs campaigns over g.  Fails only on bad options (CC_EUSAGE) or
 * when threads cannot start. */
int wg_sim_run(const wg_graph *g, const wg_sim_opts *o, wg_sim_result **out,
	       cc_err *e);
void wg_sim_result_free(wg_sim_result *r);
const char *wg_sim_end_name(int end);

/* ------------------------------------------------------------------ */
/* Exercise (turn-based training game)                                 */
/* ------------------------------------------------------------------ */

typedef enum wg_ex_kind {
	WG_EX_PASS = 0,
	WG_EX_INVESTIGATE,      /* HOST: is the attacker there? */
	WG_EX_ISOLATE,          /* HOST */
	WG_EX_RESET,            /* ACCOUNT */
	WG_EX_BLOCK,            /* FLOW */
	WG_EX_PATCH,            /* HOST CVE */
	WG_EX_MAP,              /* the board: zones, hosts, accounts, flows (free) */
	WG_EX_KIND_COUNT
} wg_ex_kind;

/* A blue-team command, as typed ("isolate ws-01") or sent in JSON. */
typedef struct wg_ex_cmd {
	wg_ex_kind kind;
	char arg[2][128];       /* HOST / ACCOUNT / FLOW, then CVE */
} wg_ex_cmd;

/* Parse one line of the command language: "pass", "investigate HOST",
 * "isolate HOST", "reset ACCOUNT", "block FLOW", "patch HOST CVE", "map"
 * (also "done"/"end" = pass, "hosts" = map).  CC_EUSAGE with a message on
 * anything else. */
int wg_ex_parse(const char *line, wg_ex_cmd *out, cc_err *e);
#define WG_EX_MAX_ACTIONS 64
/* Parse a reply line {"actions":[{"action":"isolate","host":"ws-01"},
 * ...]} (keys host, account, flow, cve).  *cmds (caller frees) gets the
 * actions in order.  CC_EUSAGE with a message on anything malformed; then
 * nothing is returned. */
int wg_ex_parse_reply(const char *line, size_t len, wg_ex_cmd **cmds, size_t *n,
		      cc_err *e);
const char *wg_ex_kind_name(wg_ex_kind k);
/* Budget points an action costs. */
int wg_ex_cost(wg_ex_kind k);

typedef struct wg_exercise wg_exercise;

typedef struct wg_ex_opts {
	uint64_t seed;
	int turns;              /* <= 0: 20 */
	int budget;             /* points per turn, <= 0: 4 */
	double fp_rate;         /* false alerts per monitored host per turn
				   (< 0: 0.02) */
} wg_ex_opts;

/* A new game; the attacker makes its first move at once, so the first
 * turn may already show alerts. */
wg_exercise *wg_ex_new(const wg_graph *g, const wg_ex_opts *o, cc_err *e);
void wg_ex_free(wg_exercise *x);
/* {"type":"start",...}: the board (hosts, accounts, flows, jewels, costs),
 * as one JSON line.  Caller frees. */
char *wg_ex_start_message(const wg_exercise *x);
/* {"type":"turn",...} at the start of a blue turn, or {"type":"end",...}
 * with the score and after-action review once the game is over; one JSON
 * line.  Caller frees. */
char *wg_ex_message(const wg_exercise *x);
bool wg_ex_over(const wg_exercise *x);
/* Budget left this turn. */
int wg_ex_budget(const wg_exercise *x);
/* Carry out one blue action now; a sentence about its outcome is appended
 * to said (may be NULL) and to the results of the next message.
 * CC_EUSAGE (message in e, nothing spent) when the game is over, the
 * action names nothing in the model, or it exceeds the budget left.
 * `pass` does nothing: the caller ends the turn. */
int wg_ex_act(wg_exercise *x, const wg_ex_cmd *c, cc_buf *said, cc_err *e);
/* End the blue turn: the attacker moves, alerts are raised, and the game
 * may end (a jewel fell, the attacker has no move left, turns ran out). */
void wg_ex_end_turn(wg_exercise *x);
/* For people: the turn briefing (alerts, budget), or the outcome and the
 * after-action review once the game is over; appended to out. */
void wg_ex_describe(const wg_exercise *x, cc_buf *out);
/* The board in words (zones and their hosts with OS, role, EDR,
 * monitoring and CVEs; accounts; flows; crown jewels), appended to out:
 * what `map` shows. */
void wg_ex_board(const wg_exercise *x, cc_buf *out);
/* The one-page after-action review (HTML, no scripts) a trainer hands
 * out: outcome, timeline of attacker steps, alerts and blue actions, what
 * was missed, and lessons.  Appended to out. */
void wg_ex_review_html(const wg_exercise *x, cc_buf *out);
/* Outcome facts (also for tests). */
bool wg_ex_evicted(const wg_exercise *x);
bool wg_ex_jewel_lost(const wg_exercise *x);
int wg_ex_score(const wg_exercise *x);
/* Hosts where the attacker holds a foothold now (up to max); count. */
size_t wg_ex_footholds(const wg_exercise *x, int *hosts, size_t max);

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

/* Everything a run produced; members may be NULL when not computed. */
typedef struct wg_report_in {
	const wg_graph *g;
	const wg_metrics *metrics;
	const wg_hardening *hardening;
	const wg_sim_result *sim;       /* without intel */
	const wg_sim_result *sim_intel; /* with --with-intel, or NULL */
	const wg_intel *intel;
	const char *adversary_source;   /* "store" or the file name */
	const wg_coverage *coverage;    /* how much of the adversary is modelled */
	store *store;                   /* to look attack-pattern ids up, or NULL */
} wg_report_in;

/* {"name", "source", "id", "techniques": [...], "techniques_total",
 * "techniques_modelled", "techniques_outside", "techniques_unmodelled":
 * [...], "software": [...]} of an adversary (coverage may be NULL: the
 * counts are left out).  A new reference. */
json_t *wg_report_adversary_json(const wg_adversary *a, const wg_coverage *c,
				 const char *source);

/* Sentences (one per line) a reader needs so that no result is a silent
 * zero: why nothing was reached (no technique modelled, no way in, or how
 * far the attacker got).  Empty when a jewel is reachable.  Caller frees. */
char *wg_report_notes(const wg_report_in *in);
/* The notes as a JSON array of strings (a new reference). */
json_t *wg_report_notes_json(const wg_report_in *in);
/* "admin on ws-01 (P 0.41)" — one furthest-reach entry, appended to out. */
void wg_report_reach(const wg_graph *g, const wg_sim_reach *f, cc_buf *out);

/* [{"kind", "change", "cost", "risk_after", "risk_removed", "mitigations":
 * [{"id", "name"}]}] of changes (a new reference). */
json_t *wg_report_changes_json(const wg_change *v, size_t n);
/* The cut by ATT&CK mitigation: [{"id", "name", "changes", "cost"}]
 * (costs from the model), and whether the hub confirmed them. */
json_t *wg_report_mitigations_json(const wg_hardening *h);

/* The names of the jewels no change cuts (a new reference). */
json_t *wg_report_uncut_json(const wg_graph *g, const wg_hardening *h);

/* JSON of everything (deterministic; no wall-clock time).  Caller frees. */
char *wg_report_json(const wg_report_in *in);
/* Self-contained HTML.  dot_svg: inline SVG of the attack graph or NULL
 * with dot_note saying why not. */
void wg_report_html(const wg_report_in *in, const char *dot_svg,
		    const char *dot_note, cc_buf *out);
/* Graphviz text of the part of the graph on the best paths to jewels. */
void wg_report_paths_dot(const wg_report_in *in, cc_buf *out);
/* The SVG `dot -Tsvg` draws of dot_text (caller frees), or NULL with why
 * (whysz bytes) saying what went wrong: dot missing, failing (its exit
 * status and first line of complaint), killed, or still running after
 * timeout_ms (then it is stopped). */
char *wg_report_dot_svg(const char *dot_text, int timeout_ms, char *why, size_t whysz);
/* STIX 2.1 bundle: course-of-action per hardening change, `mitigates`
 * relationships to the attack-patterns it hinders (ids from the store when
 * known, else UUIDv5 of the technique id, with the attack-pattern objects
 * included).  created/modified = now_us.  Caller frees. */
char *wg_report_stix(const wg_report_in *in, int64_t now_us);

#endif
