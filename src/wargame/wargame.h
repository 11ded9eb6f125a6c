/*
 * wargame.h — war games over a network model: the model, the technique
 * rules, the adversary, the attack graph, its metrics and the hardening
 * advice.  (The Monte Carlo simulation, the exercise mode and the reports
 * live in sim*.c / exercise*.c / report*.c and build on this header.)
 *
 * It never touches a real network: everything here is computed over the
 * YAML model the user writes (docs/wargame-model.md) and the technique
 * rules in data/rules/ (docs/wargame-rules.md).
 *
 * Ownership: every `_load`/`_new`/`_build`/`_compute` returns an object the
 * caller owns and releases with the matching `_free` (which accepts NULL).
 * A wg_graph borrows the model, rules and adversary it was built from: they
 * must outlive it.  Strings inside the structs belong to their struct.
 * Indexes into the model arrays are `int`, WG_NONE (-1) meaning "none".
 */
#ifndef CC_WARGAME_H
#define CC_WARGAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define WG_NONE (-1)
#define WG_MAX_ARITY 4      /* most arguments a rule atom / fact has */
#define WG_MAX_BODY 8       /* most atoms in a rule body */
#define WG_MAX_VARS 12      /* most distinct variables in one rule */

/* ------------------------------------------------------------------ */
/* The network model                                                   */
/* ------------------------------------------------------------------ */

/* Where an element was written in the YAML file (1-based), for errors. */
typedef struct wg_pos {
	int line;
	int col;
} wg_pos;

/* Impact levels of a crown jewel, per dimension. */
typedef enum wg_level {
	WG_LVL_NONE = 0,
	WG_LVL_LOW,
	WG_LVL_MEDIUM,
	WG_LVL_HIGH,
	WG_LVL_CRITICAL,
} wg_level;

typedef struct wg_zone {
	char *name;             /* unique zone name ("internet" is predefined) */
	bool internet;          /* the zone is the internet / attacker-controlled */
	bool segmented;         /* hosts inside the zone cannot reach each other */
	double segment_cost;    /* cost of segmenting it; < 0: costs.segment */
	wg_pos pos;
} wg_zone;

/* Where a vulnerability lets the attacker in. */
typedef enum wg_vuln_kind {
	WG_VULN_REMOTE = 0,     /* remote code execution on the network service */
	WG_VULN_LOCAL,          /* local privilege escalation on the host */
	WG_VULN_CLIENT,         /* client-side (browser, office, mail client) */
	WG_VULN_AUTH,           /* authentication bypass / credential leak */
} wg_vuln_kind;

typedef struct wg_cve {
	char *id;               /* "CVE-2023-4966" */
	double cvss;            /* 0..10 base score */
	double exploitability;  /* 0..1: chance a working exploit succeeds */
	wg_vuln_kind kind;      /* what it gives the attacker */
	double patch_cost;      /* < 0: costs.patch */
	wg_pos pos;
} wg_cve;

typedef struct wg_service {
	char *name;             /* free label ("https") */
	char *kind;             /* protocol class used by rules: http, rdp,
				   ssh, smb, smtp, sql, vpn, ldap, winrm, swift,
				   backup, other */
	int port;               /* 1..65535; 0 for installed software
				   (hosts[].software, kind "software") */
	char *product;          /* may be NULL */
	char *version;          /* may be NULL */
	wg_cve *cves;
	size_t ncves;
	wg_pos pos;
} wg_service;

typedef struct wg_host {
	char *name;             /* unique host name */
	int zone;               /* index into model->zones */
	char *os;               /* "windows", "linux", ... (may be NULL) */
	char *role;             /* "workstation", "dc", "database", "jump", ... */
	double value;           /* business value (free units), for ranking */
	bool domain_joined;     /* member of the AD domain (domain admins rule) */
	bool edr;               /* EDR agent installed */
	double edr_detect;      /* EDR detection probability per action */
	double edr_prevent;     /* EDR chance to block an action outright */
	double edr_cost;        /* cost of adding EDR; < 0: costs.edr */
	bool backup;            /* restorable from offline backup */
	bool monitored;         /* logs go to the SOC */
	wg_service *services;
	size_t nservices;
	wg_pos pos;
} wg_host;

/* One end of a flow: a whole zone or one host. */
typedef struct wg_endpoint {
	bool is_host;           /* true: index is a host; false: a zone */
	int index;
} wg_endpoint;

typedef struct wg_flow {
	char *name;             /* label, defaults to "from->to" */
	wg_endpoint from, to;
	int *ports;             /* allowed destination ports; NULL = any */
	size_t nports;
	double block_cost;      /* < 0: costs.block_flow; INFINITY: never */
	bool critical;          /* the business needs it: never proposed for blocking */
	wg_pos pos;
} wg_flow;

typedef enum wg_account_kind {
	WG_ACC_USER = 0,        /* user rights on its logon hosts */
	WG_ACC_ADMIN,           /* local admin on its logon hosts */
	WG_ACC_DOMAIN_ADMIN,    /* admin on every domain-joined host */
	WG_ACC_SERVICE,         /* service account: admin on its logon hosts */
} wg_account_kind;

typedef struct wg_account {
	char *name;             /* unique account name */
	wg_account_kind kind;
	int person;             /* owner (index into people) or WG_NONE */
	int *logon;             /* hosts it may log on to */
	size_t nlogon;
	int *cached;            /* hosts where its credentials are cached */
	size_t ncached;
	bool mfa;               /* MFA enforced on remote/interactive logons */
	bool weak_password;     /* guessable (brute force / spraying works) */
	double mfa_cost;        /* < 0: costs.mfa */
	double uncache_cost;    /* cost to remove one cached copy; < 0: costs.remove_cred */
	double password_cost;   /* cost of a strong password; < 0: costs.password */
	wg_pos pos;
} wg_account;

typedef struct wg_person {
	char *name;             /* unique person name */
	char *role;             /* job ("teller", "payments operator") */
	double susceptibility;  /* 0..1: chance to fall for a lure */
	bool email;             /* receives external e-mail */
	int *hosts;             /* the workstations they use */
	size_t nhosts;
	wg_pos pos;
} wg_person;

/* Organisation-wide controls. */
typedef struct wg_controls {
	double email_filtering;     /* 0..1 share of malicious mail stopped */
	double patch_cadence_days;  /* how long a new CVE stays unpatched */
	bool monitoring;            /* a SOC watches */
	double monitor_detect;      /* chance the SOC sees an action without EDR */
	double response_hours;      /* from detection to containment */
	bool backups;               /* offline backups exist */
	double restore_hours;       /* time to restore from backup */
	double default_edr_detect;  /* used when hardening adds EDR */
	double default_edr_prevent;
} wg_controls;

/* Default costs of hardening changes (free units, e.g. person-days).
 * Every cost, here or on an element, may be INFINITY (`never` in the
 * YAML): the change is impossible and never proposed. */
typedef struct wg_costs {
	double patch, mfa, remove_cred, block_flow, edr, segment, password;
} wg_costs;

typedef struct wg_jewel {
	char *name;             /* unique jewel name */
	int host;               /* where it lives */
	char *function;         /* business function: payments, swift, ... */
	wg_level impact_c, impact_i, impact_a;
	double value;           /* loss if compromised (free units) */
	wg_pos pos;
} wg_jewel;

struct wg_model_priv;

typedef struct wg_model {
	char *path;             /* file it was loaded from ("<memory>") */
	char *name;             /* organisation name */
	wg_zone *zones;         size_t nzones;
	wg_host *hosts;         size_t nhosts;
	wg_flow *flows;         size_t nflows;
	wg_account *accounts;   size_t naccounts;
	wg_person *people;      size_t npeople;
	wg_jewel *jewels;       size_t njewels;
	wg_controls controls;
	wg_costs costs;
	struct wg_model_priv *priv; /* name indexes (private) */
} wg_model;

/* Load and validate a model.  Errors read "file:line:col: path: what". */
wg_model *wg_model_load(const char *path, cc_err *e);
/* The same from a buffer; name is used in error messages. */
wg_model *wg_model_load_mem(const char *data, size_t len, const char *name,
			    cc_err *e);
void wg_model_free(wg_model *m);

/* Index of the named element, or WG_NONE. */
int wg_model_zone(const wg_model *m, const char *name);
int wg_model_host(const wg_model *m, const char *name);
int wg_model_account(const wg_model *m, const char *name);

/* Cost helpers: the element's own cost or the model's default. */
double wg_model_patch_cost(const wg_model *m, const wg_cve *c);
double wg_model_mfa_cost(const wg_model *m, const wg_account *a);
double wg_model_uncache_cost(const wg_model *m, const wg_account *a);
double wg_model_block_cost(const wg_model *m, const wg_flow *f);
double wg_model_edr_cost(const wg_model *m, const wg_host *h);
double wg_model_segment_cost(const wg_model *m, const wg_zone *z);
double wg_model_password_cost(const wg_model *m, const wg_account *a);

const char *wg_level_name(wg_level l);
const char *wg_account_kind_name(wg_account_kind k);
const char *wg_vuln_kind_name(wg_vuln_kind k);

/* ------------------------------------------------------------------ */
/* Adversary                                                           */
/* ------------------------------------------------------------------ */

typedef struct wg_adversary {
	char *name;
	char *id;               /* its STIX id when it came from the hub, else NULL */
	char **techniques;      /* ATT&CK ids, "T1566" or "T1566.001" */
	size_t ntechniques;
	char **software;        /* names of the malware and tools whose techniques
				   were added (from the hub; may be empty) */
	size_t nsoftware;
} wg_adversary;

wg_adversary *wg_adversary_new(const char *name);
/* Add a technique id (duplicates ignored).  0 or CC_ERR on a bad id. */
int wg_adversary_add(wg_adversary *a, const char *technique, cc_err *e);
/* Record the name of a malware or tool whose techniques were added. */
void wg_adversary_add_software(wg_adversary *a, const char *name);
/* YAML: {name: X, techniques: [T1566.001, ...]} or a bare list. */
wg_adversary *wg_adversary_load_file(const char *path, cc_err *e);
wg_adversary *wg_adversary_load_mem(const char *data, size_t len,
				    const char *name, cc_err *e);
/* Is t an ATT&CK technique id: "T" and 4 digits, optionally "." and 3? */
bool wg_technique_id_ok(const char *t);
/* Are two technique ids related: the same, or one the parent of the other
 * (T1003 and T1003.001; not the siblings T1003.001 and T1003.006)? */
bool wg_technique_enables(const char *used, const char *rule);
/* Does the adversary use technique or a related one (wg_technique_enables)?
 * (Which rules fire is wg_rules_enabled's business.) */
bool wg_adversary_uses(const wg_adversary *a, const char *technique);
void wg_adversary_free(wg_adversary *a);

/* ------------------------------------------------------------------ */
/* Technique rules                                                     */
/* ------------------------------------------------------------------ */

/* Time an action takes, in hours. */
typedef enum wg_dist_kind {
	WG_DIST_FIXED = 0,      /* a */
	WG_DIST_EXP,            /* mean a */
	WG_DIST_LOGNORMAL,      /* median a, sigma b */
	WG_DIST_TRIANGULAR,     /* min a, mode b, max c */
	WG_DIST_UNIFORM,        /* min a, max b */
} wg_dist_kind;

typedef struct wg_dist {
	wg_dist_kind kind;
	double a, b, c;
} wg_dist;

/* Expected value (hours) of a distribution. */
double wg_dist_mean(const wg_dist *d);

/* An argument of a rule atom: a variable or a constant. */
typedef struct wg_term {
	bool is_var;
	int var;                /* variable index when is_var */
	char *constant;         /* constant text otherwise */
} wg_term;

typedef struct wg_atom {
	int pred;               /* index into rules->preds */
	int nargs;
	wg_term args[WG_MAX_ARITY];
} wg_atom;

/* Probability scale factors a rule may apply (see docs/wargame-rules.md). */
typedef enum wg_scale_kind {
	WG_SCALE_SUSCEPTIBILITY = 0, /* of person variable */
	WG_SCALE_EXPLOITABILITY,     /* of CVE variable */
	WG_SCALE_CVSS,               /* cvss/10 of CVE variable */
} wg_scale_kind;

typedef struct wg_scale {
	wg_scale_kind kind;
	int var;
} wg_scale;

/* Controls a rule is subject to (bit set). */
enum {
	WG_CTL_EMAIL = 1u << 0,     /* prob *= 1 - controls.email_filtering */
	WG_CTL_EDR = 1u << 1,       /* prob *= 1 - edr_prevent of the detect host */
	WG_CTL_BACKUP = 1u << 2,    /* the effect is undone by backups (impact) */
};

typedef struct wg_rule {
	char *technique;        /* ATT&CK id, or NULL for a builtin derivation */
	char *name;             /* "Spearphishing Attachment" */
	char *tactic;           /* "initial-access", ... (NULL for builtins) */
	wg_atom head;
	wg_atom body[WG_MAX_BODY];
	int nbody;
	int nvars;
	char *vars[WG_MAX_VARS];    /* variable names, for messages */
	double prob;            /* base success probability */
	wg_scale scales[4];
	int nscales;
	unsigned controls;      /* WG_CTL_* */
	int detect_var;         /* host variable where it is observable, or WG_NONE */
	double noise;           /* 0..1: how visible the action is (scales detection) */
	wg_dist time;
	unsigned platforms;     /* WG_PLAT_* bits where it applies (0: any) */
	char *sources;          /* ATT&CK detection strategy and data component
				   ids ("DET0455 DC0032 DC0064"), or NULL */
	char *file;             /* where it was defined */
	int line;
} wg_rule;

/* ATT&CK platforms, as a rule's `platforms` line names them and as a host's
 * `os` is matched against them. */
enum {
	WG_PLAT_WINDOWS = 1u << 0, WG_PLAT_LINUX = 1u << 1, WG_PLAT_MACOS = 1u << 2,
	WG_PLAT_NETWORK = 1u << 3, WG_PLAT_CONTAINERS = 1u << 4, WG_PLAT_IAAS = 1u << 5,
	WG_PLAT_SAAS = 1u << 6, WG_PLAT_OFFICE = 1u << 7, WG_PLAT_IDP = 1u << 8,
	WG_PLAT_ESXI = 1u << 9, WG_PLAT_PRE = 1u << 10,
	WG_PLAT_ALL = (1u << 11) - 1
};
/* The platform bit of a name ("windows", "network-devices", ...; ATT&CK's
 * names in lower case with '-' for spaces), or 0. */
unsigned wg_platform_bit(const char *name);
/* The name of one platform bit. */
const char *wg_platform_name(unsigned bit);
/* The platforms a host of this `os` runs: its bit, WG_PLAT_ALL when os is
 * NULL (unknown: every rule may apply), 0 for an os no platform names. */
unsigned wg_os_platforms(const char *os);

/* What the rules say of a technique they do not model. */
typedef enum wg_tech_status {
	WG_TECH_UNMODELLED = 0, /* no rule (a declaration may say why) */
	WG_TECH_MODELLED,       /* a technique rule fires for it */
	WG_TECH_OUTSIDE,        /* it happens outside the modelled network */
} wg_tech_status;

/* An `outside` or `unmodelled` declaration of the rules. */
typedef struct wg_tech_decl {
	char *technique;        /* ATT&CK id */
	char *name;
	char *tactic;
	wg_tech_status status;  /* WG_TECH_OUTSIDE or WG_TECH_UNMODELLED */
	char *why;              /* the reason, as written */
	char *file;
	int line;
} wg_tech_decl;

/* An ATT&CK data component a rule's `sources` may name. */
typedef struct wg_datasource {
	char *id;               /* "DC0032" */
	char *name;             /* "Process Creation" */
} wg_datasource;

typedef struct wg_rules {
	wg_rule *rules;
	size_t nrules;
	char **preds;           /* predicate names */
	int *arity;             /* their arities */
	size_t npreds;
	wg_tech_decl *decls;    /* outside / unmodelled declarations */
	size_t ndecls;
	wg_datasource *dsrc;    /* datasource declarations */
	size_t ndsrc;
} wg_rules;

wg_rules *wg_rules_new(void);
/* Parse rule text into r (appending).  Errors read "name:line: what". */
int wg_rules_parse(wg_rules *r, const char *text, size_t len, const char *name,
		   cc_err *e);
int wg_rules_load_file(wg_rules *r, const char *path, cc_err *e);
/* Load every *.rules file of dir in name order. */
wg_rules *wg_rules_load_dir(const char *dir, cc_err *e);
void wg_rules_free(wg_rules *r);
/* Index of the predicate, or WG_NONE. */
int wg_rules_pred(const wg_rules *r, const char *name);
/* Is there a technique rule written for exactly this id? */
bool wg_rules_has(const wg_rules *r, const char *technique);
/* Does a rule written for technique fire for adversary a?  When a uses
 * the same id; when it uses the parent (using a technique in general
 * means using its variants); when it uses a sub-technique that has no rule
 * or declaration of its own (the parent's rule stands in for it). */
bool wg_rules_enabled(const wg_rules *r, const wg_adversary *a, const char *technique);
/* The same for one technique `used` of an adversary. */
bool wg_rules_fires(const wg_rules *r, const char *used, const char *technique);
/* The name of a data component id ("DC0032"), or NULL. */
const char *wg_rules_datasource(const wg_rules *r, const char *id);
/* What the rules do with technique t: modelled when some technique rule
 * fires for it (wg_rules_enabled), outside when it or its parent
 * is declared `outside`, else unmodelled.  *decl (may be NULL) gets the
 * declaration that says so (an `unmodelled` one gives the reason), or
 * NULL. */
wg_tech_status wg_rules_status(const wg_rules *r, const char *t,
			       const wg_tech_decl **decl);

/* How much of an adversary the rules model. */
typedef struct wg_coverage {
	size_t total;           /* the adversary's techniques */
	size_t modelled;        /* ... that a rule models */
	size_t outside;         /* ... declared outside the modelled network */
	char **unmodelled;      /* the rest, ATT&CK ids in the adversary's order */
	size_t nunmodelled;
} wg_coverage;

/* Fill c (owned by the caller: wg_coverage_clear). */
void wg_coverage_of(const wg_adversary *a, const wg_rules *r, wg_coverage *c);
void wg_coverage_clear(wg_coverage *c);
/* "180 techniques: 167 modelled, 12 outside the modelled network, 1 not
 * modelled (T1669)" (at most 8 ids named), appended to out. */
void wg_coverage_text(const wg_coverage *c, cc_buf *out);

/* ------------------------------------------------------------------ */
/* Attack graph                                                        */
/* ------------------------------------------------------------------ */

/* A fact: a predicate over symbols (interned strings). OR node. */
typedef struct wg_fact {
	int pred;               /* index into rules->preds */
	int nargs;
	int args[WG_MAX_ARITY]; /* symbol ids (wg_graph_sym) */
	bool base;              /* comes from the model (a leaf) */
	int host;               /* model host it concerns, or WG_NONE */
} wg_fact;

/* A rule instance: one firing of a rule. AND node over its body facts. */
typedef struct wg_inst {
	int rule;               /* index into rules->rules, or WG_NONE for the
				   reachability instances built from flows */
	int head;               /* fact derived */
	uint32_t body;          /* offset of its body fact ids in g->body */
	int nbody;
	double p;               /* success probability after controls */
	double detect;          /* chance defenders see the attempt */
	double hours;           /* expected time (wg_dist_mean of time) */
	wg_dist time;           /* time distribution (hours) */
	int host;               /* the host it acts on (detect var), or WG_NONE */
} wg_inst;

/* Which facts a jewel falls by: jewel(J) is derived from the impact facts
 * of its host that match its C/I/A impact. */
typedef struct wg_goal {
	int jewel;              /* index into model->jewels */
	int fact;               /* the jewel(J) fact, or WG_NONE if unreachable */
} wg_goal;

struct wg_graph_priv;

typedef struct wg_graph {
	const wg_model *model;
	const wg_rules *rules;
	const wg_adversary *adv;
	wg_fact *facts;         size_t nfacts;
	wg_inst *insts;         size_t ninsts;
	int *body;              size_t nbody;   /* instance bodies, concatenated */
	/* CSR: instances deriving fact f are by_head[by_head_off[f] ..
	 * by_head_off[f+1]); instances using f are uses[uses_off[f]..]. */
	uint32_t *by_head_off;  int *by_head;
	uint32_t *uses_off;     int *uses;
	wg_goal *goals;         size_t ngoals;  /* one per model jewel */
	int start;              /* the attacker's starting fact: inzone(internet) */
	struct wg_graph_priv *priv;
} wg_graph;

/* Derive every attacker fact reachable under the model for this adversary
 * (semi-naive fixed point). */
wg_graph *wg_graph_build(const wg_model *m, const wg_rules *r,
			 const wg_adversary *a, cc_err *e);
void wg_graph_free(wg_graph *g);

/* The string of a symbol id. */
const char *wg_graph_sym(const wg_graph *g, int sym);
/* Append "pred(arg, ...)" to out. */
void wg_graph_fact_str(const wg_graph *g, int fact, cc_buf *out);
/* The fact pred(args...) if it was derived, else WG_NONE. */
int wg_graph_find(const wg_graph *g, const char *pred, const char *const *args,
		  int nargs);
/* The rule of an instance. */
const wg_rule *wg_graph_inst_rule(const wg_graph *g, int inst);

/* Recompute derivability with some facts removed (removed[f] != 0: a base
 * fact absent, or a derived fact never derived; may be NULL) and some
 * instances disabled (disabled may be NULL).  out[f] = 1 when f
 * is still derivable.  Linear in the graph. */
void wg_graph_derivable(const wg_graph *g, const uint8_t *removed,
			const uint8_t *disabled, uint8_t *out);

/* Graphviz text of the graph (facts as ellipses, instances as boxes). */
void wg_graph_dot(const wg_graph *g, cc_buf *out);

/* ------------------------------------------------------------------ */
/* Metrics                                                             */
/* ------------------------------------------------------------------ */

typedef enum wg_metric {
	WG_M_STEPS = 0,         /* fewest technique steps */
	WG_M_PROB,              /* highest product of probabilities */
	WG_M_TIME,              /* lowest sum of expected hours */
} wg_metric;

/* A path: the instances of one derivation tree of a jewel, in an order
 * the attacker can execute them (preconditions first). */
typedef struct wg_path {
	int *insts;
	size_t ninsts;
	int steps;              /* technique instances (builtins not counted) */
	double p;               /* product of instance probabilities */
	double hours;           /* sum of expected hours */
} wg_path;

/* Best path to fact under metric; per-instance probability factors pmul
 * (NULL: none) steer the WG_M_PROB search (out->p is the product of the
 * instances' own p).  0, or CC_ENOTFOUND when fact is not derivable. */
int wg_path_best(const wg_graph *g, int fact, wg_metric metric,
		 const double *pmul, wg_path *out);
void wg_path_free(wg_path *p);
/* "The attacker phishes alice (T1566.001, p=0.30) to get a foothold on
 * ws-01. Then ..." — one sentence per technique step. */
void wg_path_explain(const wg_graph *g, const wg_path *p, cc_buf *out);

#define WG_PATH_COUNT_CAP 1000000.0

typedef struct wg_jewel_metrics {
	int jewel;
	bool reachable;
	wg_path shortest, likely, fastest;
	double npaths;          /* distinct derivation trees, capped */
	bool npaths_capped;     /* npaths reached WG_PATH_COUNT_CAP */
	int *choke_facts;       /* attacker facts whose removal cuts the jewel
				   (AND/OR dominators) */
	size_t nchoke_facts;
	int *choke_hosts;       /* hosts whose user+root removal cuts it */
	size_t nchoke_hosts;
} wg_jewel_metrics;

typedef struct wg_metrics {
	wg_jewel_metrics *jewels;   /* one per model jewel */
	size_t njewels;
	double risk;            /* wg_graph_risk(g, NULL, NULL) */
} wg_metrics;

wg_metrics *wg_metrics_compute(const wg_graph *g, cc_err *e);
void wg_metrics_free(wg_metrics *mt);
/* Risk: sum over jewels of value * p of the tree the most-likely search
 * picks (each action once), with facts removed and instance probabilities
 * multiplied (either may be NULL). */
double wg_graph_risk(const wg_graph *g, const uint8_t *removed,
		     const double *pmul);

/* ------------------------------------------------------------------ */
/* Hardening                                                           */
/* ------------------------------------------------------------------ */

typedef enum wg_change_kind {
	WG_CH_PATCH = 0,        /* patch cve on host/service */
	WG_CH_MFA,              /* enforce MFA on account */
	WG_CH_UNCACHE,          /* remove account's cached credential on host */
	WG_CH_BLOCK_FLOW,       /* remove flow */
	WG_CH_EDR,              /* add EDR to host */
	WG_CH_SEGMENT,          /* segment zone */
	WG_CH_PASSWORD,         /* a strong password on account (removes weakpw) */
	WG_CH_KIND_COUNT
} wg_change_kind;

/* The kind's name in JSON: "patch", "mfa", "uncache", "block_flow", "edr",
 * "segment", "password". */
const char *wg_change_kind_name(wg_change_kind k);

/* ATT&CK mitigations a change can carry out (a built-in table of ATT&CK
 * ids and names; bit i of a mask is entry i). */
typedef struct wg_mitigation {
	const char *id;         /* "M1032" */
	const char *name;       /* "Multi-factor Authentication" */
} wg_mitigation;
/* The table, and its size. */
const wg_mitigation *wg_mitigation_table(size_t *n);
/* The mitigations a kind of change can be (mask). */
unsigned wg_change_kind_mitigations(wg_change_kind k);

/* "M1032 Multi-factor Authentication, M1026 ..." of a mask (appended). */
void wg_mitigations_text(unsigned mask, cc_buf *out);

/* What the hub says: the techniques each ATT&CK mitigation `mitigates`
 * (course-of-action objects and their relationships); made by
 * wg_mitigations_from_store (sim.h). */
typedef struct wg_mitigations wg_mitigations;
/* Does mitigation entry i (of the table) mitigate technique (or its
 * parent) according to the hub? */
bool wg_mitigations_cover(const wg_mitigations *m, size_t i, const char *technique);
void wg_mitigations_free(wg_mitigations *m);

typedef struct wg_change {
	wg_change_kind kind;
	int host;               /* PATCH, UNCACHE, EDR */
	int service;            /* PATCH */
	int cve;                /* PATCH: index in the service's cves */
	int account;            /* MFA, UNCACHE */
	int flow;               /* BLOCK_FLOW */
	int zone;               /* SEGMENT */
	double cost;
	double risk_after;      /* risk with only this change applied */
	double risk_removed;    /* risk_before - risk_after */
	unsigned mitigations;   /* mask of wg_mitigation_table entries it carries
				   out (with a hub: those the hub says mitigate a
				   technique the change hinders) */
	char *label;            /* "patch CVE-2023-4966 on web-01" */
} wg_change;

typedef struct wg_harden_opts {
	size_t exact_limit;     /* plain branch and bound when <= this many
				   candidates (0: default 24); beyond, implicit
				   hitting sets (docs/commands/wargame.md) */
	size_t max_ranked;      /* keep this many ranked changes (0: all) */
	const wg_mitigations *mit;  /* the hub's mitigations (NULL: the built-in
				   mapping of each kind of change) */
} wg_harden_opts;

typedef struct wg_hardening {
	double risk_before;
	double risk_after;      /* with the whole cut applied */
	wg_change *ranked;      /* single changes by risk removed per cost */
	size_t nranked;
	wg_change *cut;         /* cheapest set cutting every path to the jewels
				   that can be cut */
	size_t ncut;
	int *uncut;             /* jewels no set of changes cuts (some path to them
				   needs nothing a change can remove); the cut
				   leaves them out */
	size_t nuncut;
	double cut_cost;
	bool cut_found;         /* false when no set of changes cuts them all
				   (the cuttable ones, when some are not) */
	bool cut_exact;         /* proven cheapest (else a heuristic's cut) */
	bool mit_hub;           /* mitigations were confirmed by the hub */
} wg_hardening;

wg_hardening *wg_harden(const wg_graph *g, const wg_harden_opts *o, cc_err *e);
/* "no change cuts every path to J1, J2 (...)" when h->nuncut, appended to
 * out; nothing otherwise. */
void wg_hardening_uncut_text(const wg_graph *g, const wg_hardening *h, cc_buf *out);
void wg_hardening_free(wg_hardening *h);
/* The technique rules a change hinders directly (hit[rule] = 1): an
 * instance of the rule uses a fact the change removes, or a fact that a
 * builtin derivation makes from one (one way to it is cut, whatever other
 * ways remain), or has its probability lowered. */
void wg_change_hinders(const wg_graph *g, const wg_change *c, uint8_t *hit);
/* The base facts a change removes (removed[f] = 1) and the probability
 * factors it applies (pmul[i] *= x); either array may be NULL. */
void wg_change_apply(const wg_graph *g, const wg_change *c, uint8_t *removed,
		     double *pmul);

#endif
